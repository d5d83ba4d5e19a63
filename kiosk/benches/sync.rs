//! Replication as the counter and the central registry feel it, measured against the issue's
//! targets on loopback with real TLS: the replication's own infrastructure CA in a temporary
//! folder, `registry-hub`'s server (`sync::hub::server::serve` on SQLite) in this process on
//! 127.0.0.1, and kiosks (file-backed stores and `sync.sqlite`, FULL sync) syncing through
//! `kiosk::sync::net::sync_once`, the code `kiosk sync --once` and the counter app run.
//!
//! - committing one record with its journal entry (a store write, then the pump that signs it
//!   into the day's journal): p50/p99 over 1,000 commits (target p99 ≤ 20 ms);
//! - a reconnect with nothing new, for a kiosk holding a week of day journals: round trips and
//!   bytes both ways (≤ 1 round trip, ≤ 8 KB), with the documents it offers;
//! - a week offline with 10,000 new events, then one sync: wall time and bytes uploaded
//!   (≤ 5 s, ≤ 2 MB);
//! - the hub's ingest of those 10,000 signed entries in the messages that sync carried, on one
//!   core, beside raw automerge applying the same changes (≥ 10,000 events/s, within 2×);
//! - loading a 4,000-entry journal: `Journal::load` of its save, and a `LocalReplica` opening it
//!   from `sync.sqlite` as the pump left it (≤ 100 ms).
//!
//! Each figure is printed with its target and PASS or MISS, then criterion's mean for loading a
//! journal. `cargo bench -p kiosk --bench sync`. `BENCH_SCALE=N` divides every size by N (a
//! quick check that the bench runs; its figures are not the targets').

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use kiosk::sync::net::{KioskReplica, sync_once};
use kiosk::sync::{Applied, LocalReplica};
use registry::model::{
    IdDocument, IdDocumentKind, Person, Sensitive, Service, TicketStatus, WalkInTicket,
};
use store::{Store, StoreOptions};
use sync::automerge::sync::{Message, State, SyncDoc};
use sync::automerge::{AutoCommit, ChangeHash};
use sync::hub::db::{Database, Device};
use sync::hub::server::HubReplica;
use sync::hub::sqlite::SqliteDb;
use sync::journal::Journal;
use sync::pki::{Credentials, Infra, peer_identity};
use sync::session::Replica;
use sync::wire::{DocName, Hello, PROTOCOL};
use time::macros::{datetime, offset};
use time::{OffsetDateTime, UtcOffset};

const MACAU: UtcOffset = offset!(+8);
const TIMEOUT: Duration = Duration::from_secs(60);

const COMMIT_P99: Duration = Duration::from_millis(20);
const RECONNECT_ROUNDS: u32 = 1;
const RECONNECT_BYTES: u64 = 8 * 1024;
const OFFLINE_TIME: Duration = Duration::from_secs(5);
const OFFLINE_BYTES: u64 = 2 * 1024 * 1024;
const INGEST_RATE: f64 = 10_000.0;
const INGEST_VS_RAW: f64 = 2.0;
const LOAD_TIME: Duration = Duration::from_millis(100);

/// `BENCH_SCALE`, 1 unless set.
fn scale() -> usize {
    std::env::var("BENCH_SCALE").ok().and_then(|s| s.parse().ok()).filter(|s| *s > 0).unwrap_or(1)
}

/// CPU time this thread has run (`/proc/thread-self/schedstat`, in ns): on a machine shared with
/// other work, what "per core" means; wall time counts the waits for a core too.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|ns| ns.parse().ok()))
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// CPU time of the whole process, every thread (`/proc/self/stat`, in clock ticks of 10 ms).
fn process_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat").ok().and_then(|s| {
        // The fields after the command's closing parenthesis; utime and stime are 14th and 15th.
        let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
        Some(rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?)
    });
    ticks.map_or(Duration::ZERO, |t| Duration::from_millis(t * 10))
}

/// Wall and CPU time of `work`.
fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (wall, cpu) = (Instant::now(), thread_cpu());
    let out = work();
    (out, wall.elapsed(), thread_cpu().saturating_sub(cpu))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "MISS" }
}

fn fail(what: &str, error: impl std::fmt::Display) -> ! {
    eprintln!("{what}: {error}");
    std::process::exit(1);
}

/// `result`'s value, or the process ends saying what failed.
fn or_exit<T, E: std::fmt::Display>(what: &str, result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| fail(what, e))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The infrastructure CA and a hub serving kiosks on 127.0.0.1 from a SQLite file.
struct Hub {
    _dir: tempfile::TempDir,
    infra: Infra,
    url: String,
    runtime: tokio::runtime::Runtime,
}

impl Hub {
    fn start() -> Hub {
        let dir = or_exit("a temporary folder", tempfile::tempdir());
        let names = ["localhost".to_owned(), "127.0.0.1".to_owned()];
        let infra = or_exit("the infrastructure CA", Infra::open_or_create(dir.path(), &names));
        let runtime = or_exit(
            "tokio",
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build(),
        );
        let listener =
            or_exit("listening", runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")));
        let port = or_exit("the port", listener.local_addr()).port();
        let database = format!("sqlite:{}", dir.path().join("hub.sqlite").display());
        runtime.spawn(sync::hub::server::serve(listener, infra.server_config(), database));
        Hub { _dir: dir, infra, url: format!("wss://127.0.0.1:{port}"), runtime }
    }
}

/// A joined kiosk: its store and `sync.sqlite` in a data folder on disk, its clock the bench's.
struct Kiosk {
    dir: tempfile::TempDir,
    store: Store,
    local: LocalReplica,
    credentials: Credentials,
    clock: Arc<AtomicI64>,
}

impl Kiosk {
    fn join(hub: &Hub, office: &str, kiosk: &str, at: OffsetDateTime) -> Kiosk {
        let dir = or_exit("a data folder", tempfile::tempdir());
        let clock = Arc::new(AtomicI64::new(unix_ms(at)));
        let now = {
            let clock = Arc::clone(&clock);
            Box::new(move || {
                let ms = i128::from(clock.load(Ordering::SeqCst));
                OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000)
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            })
        };
        let options = StoreOptions { kiosk_id: Some(kiosk.into()), now };
        let mut store =
            or_exit("the store", Store::open(&dir.path().join("store.sqlite"), options));
        let mut local = or_exit("sync.sqlite", LocalReplica::open_in(dir.path(), MACAU));
        let credentials = or_exit("enrolling", hub.infra.enroll(office, Some(kiosk)));
        or_exit(
            "joining",
            kiosk::sync::net::join(dir.path(), &mut local, &mut store, &hub.url, &credentials),
        );
        Kiosk { dir, store, local, credentials, clock }
    }

    fn set_time(&self, at: OffsetDateTime) {
        self.clock.store(unix_ms(at), Ordering::SeqCst);
    }

    fn sync(&mut self, hub: &Hub) -> kiosk::sync::net::Outcome {
        let outcome = hub.runtime.block_on(sync_once(&mut self.local, &mut self.store, TIMEOUT));
        or_exit("sync", outcome)
    }

    /// The documents this kiosk would open a session with.
    fn offered(&mut self) -> Vec<DocName> {
        let identity = or_exit("identity", self.local.identity())
            .unwrap_or_else(|| fail("identity", "not joined"));
        let mut replica = KioskReplica {
            local: &mut self.local,
            store: &mut self.store,
            identity,
            applied: Applied::default(),
        };
        or_exit("offered", replica.offered())
    }
}

fn unix_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

fn person(n: usize) -> Person {
    Person {
        id: ulid::Ulid::new(),
        name_zh: Some(format!("陳大文{n}")),
        name_latin: Some(format!("CHAN TAI MAN {n}")),
        id_document: IdDocument {
            kind: IdDocumentKind::MacauResident,
            number: Sensitive::new("1234567(3)"),
            issuing_state: None,
            expiry: None,
        },
        nationality: Some("CHN".into()),
        birth_date: None,
        sex: None,
        phone: Some(Sensitive::new(format!("+853 66{:06}", n % 1_000_000))),
        email: Some(format!("person{n}@example.mo")),
        photo: None,
    }
}

/// How the pump runs while a kiosk is offline.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pumped {
    /// After every `PUMPED_EVERY` events: the background sync's retries, each of which pumps
    /// before it finds the hub unreachable, so entries reach the journals in small changes.
    AsItGoes,
    /// Not until the sync (one large change per journal).
    AtTheSync,
}

const PUMPED_EVERY: usize = 10;

/// One office day's counter work, `events` events: new persons, edits of persons registered
/// earlier (a phone), walk-in tickets, written `PUMPED_EVERY` to a transaction (the bench's
/// setup, not what it times), the clock moving through the day.
fn a_days_work(
    kiosk: &mut Kiosk,
    day: OffsetDateTime,
    events: usize,
    persons: &mut Vec<Person>,
    pumped: Pumped,
) {
    let per_batch = PUMPED_EVERY;
    let key = kiosk.credentials.device_key();
    let mut written = 0;
    while written < events {
        let at = day + time::Duration::seconds((written * 8 * 3600 / events.max(1)) as i64);
        kiosk.set_time(at);
        let batch = per_batch.min(events - written);
        let result = kiosk.store.write(None, |w| {
            for i in 0..batch {
                let n = written + i;
                match n % 10 {
                    0..=5 => {
                        let p = person(persons.len());
                        w.put(&p)?;
                        persons.push(p);
                    }
                    6..=8 if !persons.is_empty() => {
                        let at = (n * 7919) % persons.len();
                        let p = &mut persons[at];
                        p.phone = Some(Sensitive::new(format!("+853 62{n:06}")));
                        w.put(&*p)?;
                    }
                    _ => {
                        w.put(&WalkInTicket {
                            id: ulid::Ulid::new(),
                            number: format!("W{:03}", n % 1000),
                            service: Service::Renewal,
                            issued_at: at.to_offset(MACAU),
                            status: TicketStatus::Waiting,
                        })?;
                    }
                }
            }
            Ok(())
        });
        or_exit("writing", result);
        written += batch;
        if pumped == Pumped::AsItGoes {
            or_exit("pump", kiosk.local.pump(&kiosk.store, &key));
        }
    }
}

// --- 1. committing one record with its journal entry ---------------------------------------

/// Times 1,000 commits (store write + pump), then goes on untimed to `fill` entries in the day's
/// journal, each pumped alone as the counter does: the journal item 5 loads.
fn commit_with_journal(hub: &Hub, fill: usize) -> Kiosk {
    let mut kiosk = Kiosk::join(hub, "MO03", "KCOMMIT", datetime!(2026-11-30 01:00 UTC));
    let key = kiosk.credentials.device_key();
    let (mut all, mut puts, mut pumps) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..fill {
        let started = Instant::now();
        or_exit("put", kiosk.store.put(None, &person(n)));
        let put = started.elapsed();
        let journaled = or_exit("pump", kiosk.local.pump(&kiosk.store, &key));
        let took = started.elapsed();
        if journaled != 1 {
            fail("pump", format!("journaled {journaled}, not 1"));
        }
        // The first commits open the files and begin the journal.
        if (20..20 + 1000 / scale()).contains(&n) {
            all.push(took);
            puts.push(put);
            pumps.push(took - put);
        }
    }
    for v in [&mut all, &mut puts, &mut pumps] {
        v.sort();
    }
    let (p50, p99, max) = (percentile(&all, 0.5), percentile(&all, 0.99), percentile(&all, 1.0));
    println!(
        "commit + journal entry, {} commits: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms \
         (target p99 ≤ {} ms): {}",
        all.len(),
        ms(p50),
        ms(p99),
        ms(max),
        COMMIT_P99.as_millis(),
        verdict(p99 <= COMMIT_P99)
    );
    println!(
        "    of which the store's write p50 {:.1} / p99 {:.1} ms, the pump p50 {:.1} / p99 {:.1} ms",
        ms(percentile(&puts, 0.5)),
        ms(percentile(&puts, 0.99)),
        ms(percentile(&pumps, 0.5)),
        ms(percentile(&pumps, 0.99)),
    );
    kiosk
}

// --- 2. a reconnect with nothing new ---------------------------------------------------------

fn reconnect(hub: &Hub) {
    let mut kiosk = Kiosk::join(hub, "MO01", "KWEEK", datetime!(2026-11-23 01:00 UTC));
    let mut persons = Vec::new();
    // The week before today (the hub's clock): 23–29 November, 200 events a day.
    for day in 0..7 {
        let at = datetime!(2026-11-23 01:00 UTC) + time::Duration::days(day);
        a_days_work(&mut kiosk, at, 200 / scale(), &mut persons, Pumped::AsItGoes);
    }
    kiosk.set_time(OffsetDateTime::now_utc());
    let first = kiosk.sync(hub);
    println!(
        "a week of journals (7 × 200 events) synced: {} rounds, {:.0} KB up, {:.0} KB down",
        first.report.rounds,
        first.report.bytes_sent as f64 / 1024.0,
        first.report.bytes_received as f64 / 1024.0
    );
    for attempt in 1..=3 {
        let offered = kiosk.offered();
        let started = Instant::now();
        let again = kiosk.sync(hub);
        let took = started.elapsed();
        let r = &again.report;
        let bytes = r.bytes_sent + r.bytes_received;
        // The first reconnect is when the hub (its clock is today's) closes the journals more
        // than two days old and sends the manifest down: news, not the steady state.
        let (what, verdict) = if attempt == 1 {
            ("the hub closing old journals", "news from the hub, no target".to_owned())
        } else {
            let pass = r.rounds <= RECONNECT_ROUNDS && bytes <= RECONNECT_BYTES;
            (
                "nothing new",
                format!(
                    "target ≤ {RECONNECT_ROUNDS} round trip, ≤ {} KB: {}",
                    RECONNECT_BYTES / 1024,
                    verdict(pass)
                ),
            )
        };
        println!(
            "reconnect {attempt}, {what}: {} documents offered ({}), {} round trip(s), \
             {} B up + {} B down = {:.1} KB, {:.1} ms ({verdict})",
            offered.len(),
            offered.iter().map(DocName::as_str).collect::<Vec<_>>().join(" "),
            r.rounds,
            r.bytes_sent,
            r.bytes_received,
            bytes as f64 / 1024.0,
            ms(took),
        );
    }
}

// --- 3. a week offline -------------------------------------------------------------------------

fn week_offline(hub: &Hub) -> Kiosk {
    let mut kiosk = Kiosk::join(hub, "MO02", "KOFFLINE", datetime!(2026-11-23 01:00 UTC));
    let mut persons = Vec::new();
    let per_day = [1429, 1429, 1429, 1429, 1428, 1428, 1428].map(|n| n / scale());
    for (day, events) in per_day.into_iter().enumerate() {
        let at = datetime!(2026-11-23 01:00 UTC) + time::Duration::days(day as i64);
        a_days_work(&mut kiosk, at, events, &mut persons, Pumped::AsItGoes);
    }
    let events: u64 = or_exit("stats", kiosk.store.stats()).events;
    let journals = or_exit("docs", kiosk.local.stored_docs())
        .iter()
        .filter(|d| d.journal_period().is_some())
        .count();
    kiosk.set_time(OffsetDateTime::now_utc());
    let started = Instant::now();
    let cpu = process_cpu();
    let outcome = kiosk.sync(hub);
    let took = started.elapsed();
    let cpu = process_cpu().saturating_sub(cpu);
    let r = &outcome.report;
    println!(
        "a week offline, {events} events in {} journals (pumped every {PUMPED_EVERY}), one sync: {:.2} s \
         ({:.2} s CPU, kiosk and hub), {:.2} MB up, {:.1} KB down, {} rounds \
         (target ≤ {} s, ≤ {} MB up): {}",
        journals,
        took.as_secs_f64(),
        cpu.as_secs_f64(),
        r.bytes_sent as f64 / 1024.0 / 1024.0,
        r.bytes_received as f64 / 1024.0,
        r.rounds,
        OFFLINE_TIME.as_secs(),
        OFFLINE_BYTES / 1024 / 1024,
        verdict(took <= OFFLINE_TIME && r.bytes_sent <= OFFLINE_BYTES)
    );
    // The same week pumped only at the sync (a kiosk whose pump never ran meanwhile).
    let mut late = Kiosk::join(hub, "MO04", "KLATE", datetime!(2026-11-23 01:00 UTC));
    let mut persons = Vec::new();
    for (day, events) in per_day.into_iter().enumerate() {
        let at = datetime!(2026-11-23 01:00 UTC) + time::Duration::days(day as i64);
        a_days_work(&mut late, at, events, &mut persons, Pumped::AtTheSync);
    }
    late.set_time(OffsetDateTime::now_utc());
    let started = Instant::now();
    let outcome = late.sync(hub);
    let took = started.elapsed();
    println!(
        "    the same week pumped at the sync ({} entries signed then): {:.2} s, {:.2} MB up",
        outcome.pumped,
        took.as_secs_f64(),
        outcome.report.bytes_sent as f64 / 1024.0 / 1024.0
    );
    kiosk
}

// --- 4. the hub's ingest -----------------------------------------------------------------------

/// The kiosk → hub messages of an automerge sync of `doc` with an empty peer, in order.
fn messages_to_empty_peer(doc: &AutoCommit) -> Vec<Vec<u8>> {
    let (mut kiosk, mut hub) = (doc.clone(), AutoCommit::new());
    let (mut ks, mut hs) = (State::new(), State::new());
    let mut out = Vec::new();
    loop {
        let mut moved = false;
        if let Some(m) = kiosk.sync().generate_sync_message(&mut ks) {
            let bytes = m.encode();
            let m = or_exit("decode", Message::decode(&bytes));
            or_exit("receive", hub.sync().receive_sync_message(&mut hs, m));
            out.push(bytes);
            moved = true;
        }
        if let Some(m) = hub.sync().generate_sync_message(&mut hs) {
            or_exit("receive", kiosk.sync().receive_sync_message(&mut ks, m));
            moved = true;
        }
        if !moved {
            return out;
        }
    }
}

fn ingest(kiosk: &mut Kiosk) {
    let office = "MO02";
    let names: Vec<DocName> = or_exit("docs", kiosk.local.stored_docs())
        .into_iter()
        .filter(|d| d.office() == office)
        .collect();
    let mut docs: Vec<(DocName, AutoCommit, Vec<Vec<u8>>)> = Vec::new();
    let mut entries = 0;
    for name in names {
        let doc = or_exit("doc", kiosk.local.doc_mut(&name)).clone();
        if name.journal_period().is_some() {
            entries += or_exit("journal", kiosk.local.journal(&name)).len();
        }
        let messages = messages_to_empty_peer(&doc);
        docs.push((name, doc, messages));
    }
    let bytes: usize = docs.iter().flat_map(|(_, _, m)| m).map(Vec::len).sum();
    let changes: usize = docs.iter_mut().map(|(_, d, _)| d.get_changes(&[]).len()).sum();

    // The hub: a fresh database, the kiosk's identity as its certificate proves it.
    let dir = or_exit("a temporary folder", tempfile::tempdir());
    let mut db = or_exit("hub database", SqliteDb::open(&dir.path().join("hub.sqlite")));
    let peer = or_exit("identity", peer_identity(kiosk.credentials.cert_der()));
    or_exit(
        "device",
        db.note_device(&Device {
            kiosk: peer.kiosk.clone(),
            office: peer.office.clone(),
            public_key: peer.public_key.clone(),
            certificate: kiosk.credentials.cert_der().to_vec(),
        }),
    );
    let hello = Hello {
        protocol: PROTOCOL,
        office: peer.office.clone(),
        kiosk: peer.kiosk.clone(),
        time_ms: 0,
    };
    let mut replica = HubReplica::new(Box::new(db), peer);
    let ((), hub_wall, hub_time) = timed(|| {
        for (name, _, messages) in &docs {
            let mut state = State::new();
            for bytes in messages {
                let message = or_exit("decode", Message::decode(bytes));
                let doc = or_exit("hub doc", replica.doc(name));
                let before: Vec<ChangeHash> = doc.get_heads();
                // As the session does: the message's changes, kept as sent when they are all
                // the document took in.
                let sent: Vec<u8> = message.changes.iter().flatten().copied().collect();
                or_exit("receive", doc.sync().receive_sync_message(&mut state, message));
                let whole = doc.get_missing_deps(&[]).is_empty();
                if doc.get_heads() != before {
                    replica
                        .changed(&hello, name, &before, whole.then_some(&sent[..]))
                        .unwrap_or_else(|r| {
                            fail("the hub refused", format!("{}: {}", r.code, r.detail))
                        });
                }
            }
        }
    });
    let rate = entries as f64 / hub_time.as_secs_f64();
    // The fold of those events into the registry's records, which the hub runs after each
    // session rather than while the kiosk waits.
    let (projected, _, project_time) = timed(|| or_exit("project", replica.project()));

    // Raw automerge, the same changes into empty documents: as changes, as the bytes of the
    // same changes, and as the same sync messages (CPU time, as the hub's).
    let mut raw_changes = Duration::ZERO;
    let mut raw_bytes = Duration::ZERO;
    let mut raw_sync = Duration::ZERO;
    for (_, doc, messages) in &mut docs {
        let changes = doc.get_changes(&[]);
        let concatenated: Vec<u8> = changes.iter().flat_map(|c| c.raw_bytes().to_vec()).collect();
        let mut empty = AutoCommit::new();
        let (result, _, cpu) = timed(|| empty.apply_changes(changes));
        or_exit("apply_changes", result);
        raw_changes += cpu;
        let mut empty = AutoCommit::new();
        let (result, _, cpu) = timed(|| empty.load_incremental(&concatenated));
        or_exit("load_incremental", result);
        raw_bytes += cpu;
        let mut empty = AutoCommit::new();
        let mut state = State::new();
        let ((), _, cpu) = timed(|| {
            for bytes in messages.iter() {
                let message = or_exit("decode", Message::decode(bytes));
                or_exit("receive", empty.sync().receive_sync_message(&mut state, message));
            }
        });
        raw_sync += cpu;
    }
    // Where the hub's time goes beyond automerge: each entry's signature checked against the
    // kiosk's key (what raw automerge does not do), on the same entries.
    let mut all = Vec::new();
    for (name, _, _) in &docs {
        if name.journal_period().is_some() {
            all.extend(
                or_exit("entries", or_exit("journal", kiosk.local.journal(name)).entries()).entries,
            );
        }
    }
    let key = kiosk.credentials.device_key();
    let public = key.public_key().to_vec();
    let (checked, _, verify_cpu) =
        timed(|| all.iter().filter(|e| sync::signing::verify(office, e, &public).is_ok()).count());
    if checked != all.len() {
        fail("verify", format!("{} of {} entries verified", checked, all.len()));
    }
    let ratio = hub_time.as_secs_f64() / raw_changes.as_secs_f64();
    println!(
        "hub ingest, {entries} signed entries ({changes} changes, {} messages, {:.2} MB) on one core: \
         {:.2} s CPU ({:.2} s wall), {:.0} events/s (target ≥ {:.0}): {}",
        docs.iter().map(|(_, _, m)| m.len()).sum::<usize>(),
        bytes as f64 / 1024.0 / 1024.0,
        hub_time.as_secs_f64(),
        hub_wall.as_secs_f64(),
        rate,
        INGEST_RATE,
        verdict(rate >= INGEST_RATE)
    );
    println!(
        "    raw automerge, the same changes into empty documents: apply_changes {:.2} s \
         ({:.0} events/s), load_incremental {:.2} s, the same sync messages {:.2} s; \
         the hub takes {ratio:.1}× apply_changes (target ≤ {INGEST_VS_RAW}×): {}",
        raw_changes.as_secs_f64(),
        entries as f64 / raw_changes.as_secs_f64(),
        raw_bytes.as_secs_f64(),
        raw_sync.as_secs_f64(),
        verdict(ratio <= INGEST_VS_RAW)
    );
    let both = (hub_time + project_time).as_secs_f64() / raw_changes.as_secs_f64();
    println!(
        "    then folding the {projected} events into records, after the session: {:.2} s CPU \
         ({:.0} events/s); ingest and fold together {:.0} events/s, {both:.1}× apply_changes",
        project_time.as_secs_f64(),
        projected as f64 / project_time.as_secs_f64(),
        entries as f64 / (hub_time + project_time).as_secs_f64(),
    );
    println!(
        "    of the hub's time, checking the {} signatures alone: {:.2} s CPU ({:.0} µs each)",
        all.len(),
        verify_cpu.as_secs_f64(),
        verify_cpu.as_secs_f64() * 1e6 / all.len().max(1) as f64
    );
}

// --- 5. loading a journal -----------------------------------------------------------------------

fn load_journal(kiosk: &mut Kiosk, c: &mut Criterion) {
    let name = or_exit("docs", kiosk.local.stored_docs())
        .into_iter()
        .find(|d| d.journal_period().is_some())
        .unwrap_or_else(|| fail("journal", "none"));
    let journal = or_exit("journal", kiosk.local.journal(&name));
    let entries = journal.len();
    let saved = journal.save();
    let actor = b"bench-reader";
    let mut loads = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let loaded = or_exit("load", Journal::load(&saved, actor));
        loads.push(started.elapsed());
        assert_eq!(loaded.len(), entries);
    }
    loads.sort();
    let p50 = percentile(&loads, 0.5);
    let max = percentile(&loads, 1.0);
    println!(
        "Journal::load, {entries} entries ({:.0} KB saved): p50 {:.1} ms, max {:.1} ms \
         (target ≤ {} ms): {}",
        saved.len() as f64 / 1024.0,
        ms(p50),
        ms(max),
        LOAD_TIME.as_millis(),
        verdict(max <= LOAD_TIME)
    );
    let path = kiosk.dir.path().to_path_buf();
    let opened = open_journal_times(&path, &name, entries);
    let chunks = chunk_count(&path, &name);
    println!(
        "LocalReplica opening it from sync.sqlite ({chunks} chunks, as the pump left it): \
         p50 {:.1} ms, max {:.1} ms (target ≤ {} ms): {}",
        ms(opened.0),
        ms(opened.1),
        LOAD_TIME.as_millis(),
        verdict(opened.1 <= LOAD_TIME)
    );
    c.bench_function("Journal::load, 4,000 entries", |b| {
        b.iter(|| Journal::load(&saved, actor).map(|j| j.len()))
    });
}

/// p50 and max of a new `LocalReplica` reading the journal `name` (all its chunks).
fn open_journal_times(data_dir: &Path, name: &DocName, entries: usize) -> (Duration, Duration) {
    let mut times = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let mut local = or_exit("open", LocalReplica::open_in(data_dir, MACAU));
        let len = or_exit("journal", local.journal(name)).len();
        times.push(started.elapsed());
        assert_eq!(len, entries);
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 1.0))
}

fn chunk_count(data_dir: &Path, name: &DocName) -> i64 {
    let path: PathBuf = data_dir.join(kiosk::sync::FILE_NAME);
    let conn = or_exit("sync.sqlite", rusqlite::Connection::open(path));
    or_exit(
        "chunks",
        conn.query_row("SELECT count(*) FROM chunks WHERE doc = ?1", [name.as_str()], |r| r.get(0)),
    )
}

fn main() {
    let mut c = Criterion::default().configure_from_args().sample_size(20);
    let hub = Hub::start();
    println!("replication on loopback, TLS 1.3, hub on SQLite in this process");
    let mut committed = commit_with_journal(&hub, 4000 / scale());
    reconnect(&hub);
    let mut offline = week_offline(&hub);
    ingest(&mut offline);
    load_journal(&mut committed, &mut c);
    c.final_summary();
}
