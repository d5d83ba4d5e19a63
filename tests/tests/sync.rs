//! Replication end to end: real `kiosk` and `registry-hub` processes over TLS on loopback.
//!
//! The schedules are random from a seed printed by each test (`SYNC_SEED=N` replays one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tests::hub::{Hub, hub_command};
use tests::postgres::Postgres;
use tests::{kiosk, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> Output {
    kiosk(dir).args(["--lang", "en"]).args(args).output().expect("kiosk runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert_eq!(out.status.code(), Some(0), "kiosk {args:?}: {}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

/// A kiosk joined to `hub` as `kiosk` of `office`, its data directory `dir`.
fn joined(hub: &Hub, dir: &Path, office: &str, name: &str) {
    let creds = dir.with_extension("pem");
    hub.enroll(office, name, &creds);
    let said =
        ok(dir, &["join", "--hub", &hub.url(), "--credentials", creds.to_str().expect("path")]);
    assert!(said.contains(&format!("Joined office {office} as kiosk {name}")), "{said}");
}

fn export(dir: &Path) -> String {
    ok(dir, &["export"])
}

/// An export's records by id.
fn records(export: &str) -> BTreeMap<String, Value> {
    export
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).expect("an export line is JSON");
            let id = record["id"].as_str().expect("an id").to_owned();
            (id, record)
        })
        .collect()
}

fn of_kind<'a>(records: &'a BTreeMap<String, Value>, kind: &str) -> Vec<&'a Value> {
    records.values().filter(|r| r["kind"] == kind).collect()
}

/// Everything a finished command said.
fn said(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// A small deterministic generator (Knuth's MMIX LCG), so that a failing schedule can be
/// replayed from the seed the test printed.
struct Rng(u64);

impl Rng {
    fn seeded(test: &str) -> Rng {
        let seed =
            std::env::var("SYNC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
                SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
            });
        println!("{test}: seed {seed} (replay with SYNC_SEED={seed})");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.below(denominator) < numerator
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i as u64 + 1) as usize);
        }
    }
}

/// A person in `kiosk export`'s form.
fn person_line(id: &str, name: &str, number: u64) -> String {
    format!(
        "{{\"kind\":\"person\",\"id\":\"{id}\",\"name_zh\":null,\"name_latin\":\"{name}\",\
         \"id_document\":{{\"kind\":\"passport\",\"number\":\"P{number:08}\",\
         \"issuing_state\":\"PRT\",\"expiry\":null}},\"nationality\":null,\"birth_date\":null,\
         \"sex\":null,\"phone\":null,\"email\":null,\"photo\":null}}"
    )
}

/// A file of import lines, written beside the kiosks.
fn import_file(root: &Path, lines: &[String]) -> PathBuf {
    let path = root.join(format!("import-{}.jsonl", ulid::Ulid::new()));
    std::fs::write(&path, lines.join("\n") + "\n").expect("write the import file");
    path
}

fn import(dir: &Path, file: &Path) -> Output {
    run(dir, &["import", "--format", "jsonl", file.to_str().expect("path")])
}

/// One counter of the test: its data directory and who it is.
struct Counter {
    dir: PathBuf,
    office: &'static str,
}

/// The office's persons as the test wrote them: id, the name last written, the passport number.
type Persons = BTreeMap<&'static str, Vec<(String, String, u64)>>;

fn syncs_or_says_the_hub_is_away(dir: &Path, hub: &Hub) {
    let out = run(dir, &["sync", "--once"]);
    if hub.is_running() {
        assert!(out.status.success(), "sync with the hub up: {}", said(&out));
        assert!(stdout(&out).starts_with("Synced with the hub"), "{}", said(&out));
    } else {
        assert!(!out.status.success(), "a sync with the hub down succeeded: {}", said(&out));
        assert!(said(&out).contains("The hub cannot be reached"), "{}", said(&out));
    }
}

/// Two passes of `kiosk sync --once` over every kiosk: each one's records reach the hub in the
/// first, and every other kiosk of its office by the second.
fn heal(counters: &[Counter]) {
    for _pass in 0..2 {
        for counter in counters {
            let said = ok(&counter.dir, &["sync", "--once"]);
            assert!(said.starts_with("Synced with the hub"), "{said}");
        }
    }
}

/// The exports of one office's kiosks are identical and equal the hub's; no office's export
/// holds another office's record; every person the test wrote is there with the name last
/// written, and every walk-in ticket issued.
fn converged(hub: &Hub, counters: &[Counter], persons: &Persons, walk_ins: &BTreeMap<&str, usize>) {
    let mut offices: BTreeMap<&str, String> = BTreeMap::new();
    for counter in counters {
        let mine = export(&counter.dir);
        match offices.get(counter.office) {
            Some(other) => {
                assert!(
                    &mine == other,
                    "two kiosks of {} differ:\n{mine}\n--\n{other}",
                    counter.office
                )
            }
            None => {
                offices.insert(counter.office, mine);
            }
        }
    }
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (office, text) in &offices {
        assert_eq!(text, &hub.export(office), "the hub's export of {office}");
        let held = records(text);
        for id in held.keys() {
            if let Some(other) = seen.insert(id.clone(), office) {
                panic!("record {id} is in the exports of both {other} and {office}");
            }
        }
        for (id, name, _) in persons.get(office).into_iter().flatten() {
            let record = held.get(id).unwrap_or_else(|| panic!("person {id} of {office} lost"));
            assert_eq!(record["name_latin"], name.as_str(), "the last name written of {id}");
        }
        let tickets = of_kind(&held, "walk_in_ticket").len();
        assert_eq!(tickets, walk_ins.get(office).copied().unwrap_or(0), "{office}'s tickets");
    }
}

#[test]
fn three_kiosks_in_two_offices_converge_through_the_hub_and_no_office_sees_another() {
    let root = tempfile::tempdir().expect("tempdir");
    let hub = Hub::start(root.path());
    let (k1, k2, k3) = (root.path().join("k1"), root.path().join("k2"), root.path().join("k3"));
    joined(&hub, &k1, "MO01", "K1");
    joined(&hub, &k2, "MO01", "K2");
    joined(&hub, &k3, "GD01", "K3");
    for dir in [&k1, &k1, &k2, &k3] {
        ok(dir, &["walk-in", "issue", "--service", "renewal"]);
    }
    for dir in [&k1, &k2, &k3, &k1] {
        let said = ok(dir, &["sync", "--once"]);
        assert!(said.starts_with("Synced with the hub"), "{said}");
    }
    let (e1, e2, e3) = (export(&k1), export(&k2), export(&k3));
    assert_eq!(e1, e2, "one office's kiosks hold the same records");
    assert_eq!(e1, hub.export("MO01"), "and so does the hub");
    assert_eq!(e3, hub.export("GD01"));
    assert!(e1.lines().count() >= 3, "{e1}");
    for line in e3.lines() {
        assert!(!e1.contains(line), "an office sees another's record: {line}");
    }
    let status = ok(&k1, &["sync", "--status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&status).expect("JSON");
    assert_eq!(status["online"], true);
    assert_eq!(status["waiting"], 0);
    assert_eq!(status["office"], "MO01");
    let audit = hub.run(&["audit", "verify"]);
    assert!(
        audit.status.success() && stdout(&audit).contains("Every chain is whole"),
        "{}",
        stdout(&audit)
    );
    let audit = ok(&k2, &["audit", "verify"]);
    assert!(audit.contains("Every chain in the journals is whole"), "{audit}");
}

/// One random edit at `counter`: a walk-in ticket, new persons, or a new name for a person of
/// its office (one it may not have received yet: then the line makes it here).
fn random_edit(
    rng: &mut Rng,
    root: &Path,
    counter: &Counter,
    persons: &mut Persons,
    walk_ins: &mut BTreeMap<&'static str, usize>,
    next_number: &mut u64,
    tag: &str,
) {
    let known = persons.entry(counter.office).or_default();
    match rng.below(3) {
        0 => {
            ok(&counter.dir, &["walk-in", "issue", "--service", "renewal"]);
            *walk_ins.entry(counter.office).or_default() += 1;
        }
        1 => {
            let mut lines = Vec::new();
            for n in 0..=rng.below(2) {
                let id = ulid::Ulid::new().to_string();
                let name = format!("NEW {tag} {n}");
                *next_number += 1;
                lines.push(person_line(&id, &name, *next_number));
                known.push((id, name, *next_number));
            }
            let out = import(&counter.dir, &import_file(root, &lines));
            assert!(out.status.success(), "import: {}", said(&out));
        }
        _ => {
            if known.is_empty() {
                return;
            }
            let pick = rng.below(known.len() as u64) as usize;
            let (id, name, number) = &mut known[pick];
            *name = format!("CHANGED {tag}");
            let out = import(&counter.dir, &import_file(root, &[person_line(id, name, *number)]));
            assert!(out.status.success(), "import of a change: {}", said(&out));
        }
    }
}

#[test]
fn kiosks_partitioned_from_a_killed_hub_converge_and_lose_nothing() {
    let started = Instant::now();
    let mut rng = Rng::seeded("convergence");
    let root = tempfile::tempdir().expect("tempdir");
    let mut hub = Hub::start(root.path());
    let counters: Vec<Counter> = [("K1", "MO01"), ("K2", "MO01"), ("K3", "GD01")]
        .into_iter()
        .map(|(name, office)| {
            let dir = root.path().join(name);
            joined(&hub, &dir, office, name);
            Counter { dir, office }
        })
        .collect();
    let mut persons = Persons::new();
    let mut walk_ins = BTreeMap::new();
    let mut next_number = rng.below(1_000_000) * 100;
    for round in 0..10 {
        for (k, counter) in counters.iter().enumerate() {
            for e in 0..rng.below(3) {
                let tag = format!("R{round}K{k}E{e}");
                random_edit(
                    &mut rng,
                    root.path(),
                    counter,
                    &mut persons,
                    &mut walk_ins,
                    &mut next_number,
                    &tag,
                );
            }
        }
        // A partition: the hub killed where it stands, and some kiosks sync meanwhile, in an
        // order of the round's own.
        if hub.is_running() && rng.chance(1, 4) {
            // The connection cut mid-session: the hub killed while a kiosk syncs with it.
            let sync = spawn(&counters[rng.below(3) as usize].dir, &["sync", "--once"]);
            std::thread::sleep(Duration::from_millis(rng.below(200)));
            hub.kill();
            sync_ended_well_or_unreachable(&finished(sync));
        } else if hub.is_running() && rng.chance(1, 2) {
            hub.kill();
        }
        let mut order = [0, 1, 2];
        rng.shuffle(&mut order);
        for &k in &order[..=rng.below(3) as usize] {
            syncs_or_says_the_hub_is_away(&counters[k].dir, &hub);
        }
        if !hub.is_running() && rng.chance(2, 3) {
            hub.restart();
        }
    }
    if !hub.is_running() {
        hub.restart();
    }
    heal(&counters);
    converged(&hub, &counters, &persons, &walk_ins);
    let audit = hub.run(&["audit", "verify"]);
    assert!(audit.status.success(), "{}", said(&audit));
    hub.assert_never_panicked();
    println!("convergence took {:?}", started.elapsed());
}

/// Waits up to `delay_ms` for `child`; SIGKILL if it is still running then. Answers what it
/// said when it finished by itself, `None` when it was killed.
fn finish_or_kill(mut child: Child, delay_ms: u64) -> Option<Output> {
    let deadline = Instant::now() + Duration::from_millis(delay_ms);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return Some(child.wait_with_output().expect("reaped"));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Waits for `child` to end by itself (a minute at most).
fn finished(child: Child) -> Output {
    finish_or_kill(child, 60_000).expect("the command ended within a minute")
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    kiosk(dir)
        .args(["--lang", "en"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kiosk starts")
}

/// A sync that ended by itself: it went through, or the hub was away or went away (a hub killed
/// mid-session is a connection that fails).
fn sync_ended_well_or_unreachable(out: &Output) {
    let text = said(out);
    assert!(
        out.status.success() && text.starts_with("Synced with the hub")
            || !out.status.success() && text.contains("The hub cannot be reached"),
        "{text}"
    );
}

#[test]
fn kiosks_and_the_hub_killed_mid_write_and_mid_sync_lose_no_acknowledged_record() {
    let mut rng = Rng::seeded("crashes");
    let root = tempfile::tempdir().expect("tempdir");
    let mut hub = Hub::start(root.path());
    let counters: Vec<Counter> = [("K1", "MO01"), ("K2", "MO01")]
        .into_iter()
        .map(|(name, office)| {
            let dir = root.path().join(name);
            joined(&hub, &dir, office, name);
            Counter { dir, office }
        })
        .collect();
    // What a command that exited 0 said it wrote: persons by id, tickets by number, per kiosk.
    let mut acked_persons: Vec<(usize, String)> = Vec::new();
    let mut acked_tickets: Vec<(usize, String)> = Vec::new();
    let mut next_number = rng.below(1_000_000) * 100;
    let (mut kills, mut steps) = (0, 0);
    let started = Instant::now();
    while (kills < 24 || steps < 60) && steps < 150 && started.elapsed() < Duration::from_secs(70) {
        steps += 1;
        let k = rng.below(2) as usize;
        let dir = &counters[k].dir;
        match rng.below(4) {
            0 | 1 => {
                // A write killed at a random point, sometimes while the same kiosk syncs.
                let person = rng.chance(1, 2).then(|| {
                    next_number += 1;
                    (ulid::Ulid::new().to_string(), next_number)
                });
                let file = person.as_ref().map(|(id, number)| {
                    import_file(root.path(), &[person_line(id, "CRASH TEST", *number)])
                });
                let write = match &file {
                    Some(file) => {
                        spawn(dir, &["import", "--format", "jsonl", file.to_str().expect("path")])
                    }
                    None => spawn(dir, &["walk-in", "issue", "--service", "renewal"]),
                };
                let sync = rng.chance(1, 2).then(|| spawn(dir, &["sync", "--once"]));
                // Half the writes are let finish, so that many are acknowledged.
                let wait = if rng.chance(1, 2) { rng.below(300) } else { 60_000 };
                match finish_or_kill(write, wait) {
                    Some(out) => {
                        assert!(out.status.success(), "a write failed: {}", said(&out));
                        match person {
                            Some((id, _)) => acked_persons.push((k, id)),
                            None => acked_tickets.push((k, stdout(&out).trim().to_owned())),
                        }
                    }
                    None => kills += 1,
                }
                if let Some(sync) = sync {
                    match finish_or_kill(sync, rng.below(300)) {
                        Some(out) => sync_ended_well_or_unreachable(&out),
                        None => kills += 1,
                    }
                }
            }
            2 => match finish_or_kill(spawn(dir, &["sync", "--once"]), rng.below(300)) {
                Some(out) => sync_ended_well_or_unreachable(&out),
                None => kills += 1,
            },
            _ => {
                if !hub.is_running() {
                    hub.restart();
                    continue;
                }
                // The hub killed while a kiosk syncs with it.
                let sync = spawn(dir, &["sync", "--once"]);
                std::thread::sleep(Duration::from_millis(rng.below(300)));
                hub.kill();
                kills += 1;
                sync_ended_well_or_unreachable(&finished(sync));
                if rng.chance(2, 3) {
                    hub.restart();
                }
            }
        }
    }
    assert!(kills >= 20, "only {kills} kills in {steps} steps");
    if !hub.is_running() {
        hub.restart();
    }
    // Sync resumes: every kiosk's sync goes through, twice over.
    heal(&counters);
    let hub_records = records(&hub.export("MO01"));
    for (k, counter) in counters.iter().enumerate() {
        let text = export(&counter.dir);
        assert_eq!(text, hub.export("MO01"), "kiosk {k} and the hub");
        let held = records(&text);
        for (_, id) in acked_persons.iter().filter(|(at, _)| *at == k) {
            assert!(held.contains_key(id), "acknowledged person {id} lost at kiosk {k}");
            assert!(hub_records.contains_key(id), "acknowledged person {id} not at the hub");
        }
        let numbers: Vec<&Value> =
            of_kind(&held, "walk_in_ticket").into_iter().map(|t| &t["number"]).collect();
        for (_, number) in acked_tickets.iter().filter(|(at, _)| *at == k) {
            assert!(
                numbers.iter().any(|n| n.as_str() == Some(number.as_str())),
                "acknowledged ticket {number} lost at kiosk {k}"
            );
        }
        let audit = ok(&counter.dir, &["audit", "verify"]);
        assert!(audit.contains("Every chain in the journals is whole"), "{audit}");
        let status = ok(&counter.dir, &["sync", "--status", "--json"]);
        let status: Value = serde_json::from_str(&status).expect("JSON");
        assert_eq!((&status["online"], &status["waiting"]), (&Value::Bool(true), &Value::from(0)));
    }
    let audit = hub.run(&["audit", "verify"]);
    assert!(
        audit.status.success() && stdout(&audit).contains("Every chain is whole"),
        "{}",
        said(&audit)
    );
    hub.assert_never_panicked();
    println!(
        "crashes: {kills} kills in {steps} steps, {} persons and {} tickets acknowledged, {:?}",
        acked_persons.len(),
        acked_tickets.len(),
        started.elapsed()
    );
}

/// `kiosk join` again with the same credentials: the kiosk now syncs with `hub`.
fn rejoin(dir: &Path, hub: &Hub) {
    let creds = dir.with_extension("pem");
    ok(dir, &["join", "--hub", &hub.url(), "--credentials", creds.to_str().expect("path")]);
}

#[test]
fn kiosks_syncing_with_two_hub_processes_on_one_postgres_converge() {
    let mut rng = Rng::seeded("postgres");
    let pg = Postgres::start();
    let root = tempfile::tempdir().expect("tempdir");
    let a = Hub::start_with(root.path(), pg.new_database());
    let b = a.another();
    let hubs = [&a, &b];
    let counters: Vec<Counter> = [("K1", "MO01"), ("K2", "MO01")]
        .into_iter()
        .map(|(name, office)| {
            let dir = root.path().join(name);
            joined(&a, &dir, office, name);
            Counter { dir, office }
        })
        .collect();
    let mut persons = Persons::new();
    let mut walk_ins = BTreeMap::new();
    let mut next_number = rng.below(1_000_000) * 100;
    for round in 0..4 {
        for (k, counter) in counters.iter().enumerate() {
            for e in 0..=rng.below(2) {
                let tag = format!("R{round}K{k}E{e}");
                random_edit(
                    &mut rng,
                    root.path(),
                    counter,
                    &mut persons,
                    &mut walk_ins,
                    &mut next_number,
                    &tag,
                );
            }
            // Each kiosk alternates between the two hubs.
            rejoin(&counter.dir, hubs[(round + k) % 2]);
        }
        // Both kiosks sync at once, each with another hub process.
        let syncs: Vec<Child> =
            counters.iter().map(|c| spawn(&c.dir, &["sync", "--once"])).collect();
        for sync in syncs {
            let out = finished(sync);
            // Another process writing the office's journal at the same moment is `busy`: the
            // kiosk tries again next time.
            assert!(out.status.success() || said(&out).contains("(busy:"), "{}", said(&out));
        }
    }
    for (k, counter) in counters.iter().enumerate() {
        rejoin(&counter.dir, hubs[k % 2]);
    }
    heal(&counters);
    converged(&a, &counters, &persons, &walk_ins);
    assert_eq!(a.export("MO01"), b.export("MO01"));
    let audit = b.run(&["audit", "verify"]);
    assert!(
        audit.status.success() && stdout(&audit).contains("Every chain is whole"),
        "{}",
        said(&audit)
    );
    // Each session's end closes its PostgreSQL connection on a tokio worker: it once panicked
    // there, every time.
    a.assert_never_panicked();
    b.assert_never_panicked();
}

/// `kiosk sync --once` refused: exits non-zero, and what it says names `reason` (the English
/// sentence for the hub's code) and the code itself.
fn sync_refused(dir: &Path, reason: &str, code: &str) -> String {
    let out = run(dir, &["sync", "--once"]);
    let text = said(&out);
    assert!(!out.status.success(), "the sync went through: {text}");
    assert!(text.contains("The hub refused the sync"), "{text}");
    assert!(text.contains(reason) && text.contains(&format!("({code}:")), "{text}");
    text
}

/// The hub holds nothing of `office`, and what it holds is whole.
fn hub_kept_nothing(hub: &Hub, office: &str) {
    assert_eq!(hub.export(office), "", "the hub kept something of a refused sync");
    let audit = hub.run(&["audit", "verify"]);
    assert!(audit.status.success(), "{}", said(&audit));
    hub.assert_never_panicked();
}

#[test]
fn a_kiosk_whose_certificate_names_another_office_is_refused_and_told_why() {
    let root = tempfile::tempdir().expect("tempdir");
    let hub = Hub::start(root.path());
    let dir = root.path().join("k1");
    joined(&hub, &dir, "MO01", "K1");
    ok(&dir, &["walk-in", "issue", "--service", "renewal"]);
    // The kiosk is K1 of MO01 by its data directory, but now presents a certificate of
    // office GD01 (a real one, of the hub's own CA).
    let gd = root.path().join("gd01.pem");
    hub.enroll("GD01", "K1", &gd);
    let kept = dir.join(kiosk::sync::net::CREDENTIALS_FILE);
    std::fs::remove_file(&kept).expect("remove the credentials");
    std::fs::copy(&gd, &kept).expect("copy the other office's credentials");
    let text =
        sync_refused(&dir, "this kiosk's name does not match its certificate", "wrong-identity");
    assert!(text.contains("office MO01") && text.contains("office GD01"), "{text}");
    hub_kept_nothing(&hub, "MO01");
    hub_kept_nothing(&hub, "GD01");
}

/// The hub's infrastructure CA certificate, as a client trusts it.
fn hub_roots(hub: &Hub) -> rustls::RootCertStore {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(hub.tls_dir.join("ca.pem")).expect("ca.pem") {
        roots.add(cert.expect("a certificate")).expect("a root");
    }
    roots
}

fn tls13() -> rustls::ConfigBuilder<rustls::ClientConfig, rustls::WantsVerifier> {
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
}

/// Connects to `hub` with `config` and runs a session with an empty replica: the error, or
/// `None` when the hub let the client through.
fn session_error(hub: &Hub, config: rustls::ClientConfig) -> Option<String> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let ws = match sync::session::connect(&hub.url(), Arc::new(config)).await {
            Ok(ws) => ws,
            Err(e) => return Some(e.to_string()),
        };
        let mut replica = Empty;
        sync::session::client(ws, &mut replica).await.err().map(|e| e.to_string())
    })
}

/// A client replica that holds nothing and takes nothing.
struct Empty;

impl sync::session::Replica for Empty {
    fn hello(&self) -> sync::wire::Hello {
        sync::wire::Hello {
            protocol: sync::wire::PROTOCOL,
            office: "MO01".into(),
            kiosk: "K1".into(),
            time_ms: 0,
        }
    }
    fn offered(&mut self) -> Result<Vec<sync::wire::DocName>, sync::session::SessionError> {
        Ok(Vec::new())
    }
    fn allowed(
        &self,
        _peer: &sync::wire::Hello,
        _doc: &sync::wire::DocName,
    ) -> Result<(), sync::wire::Refused> {
        Err(sync::wire::Refused::new("test", "this client takes nothing"))
    }
    fn doc(
        &mut self,
        _doc: &sync::wire::DocName,
    ) -> Result<&mut sync::automerge::AutoCommit, sync::session::SessionError> {
        Err(sync::session::SessionError::storage("this client holds nothing"))
    }
    fn sync_state(
        &mut self,
        _peer: &sync::wire::Hello,
        _doc: &sync::wire::DocName,
    ) -> Result<sync::automerge::sync::State, sync::session::SessionError> {
        Ok(sync::automerge::sync::State::new())
    }
    fn save_sync_state(
        &mut self,
        _peer: &sync::wire::Hello,
        _doc: &sync::wire::DocName,
        _state: &sync::automerge::sync::State,
    ) -> Result<(), sync::session::SessionError> {
        Ok(())
    }
    fn changed(
        &mut self,
        _peer: &sync::wire::Hello,
        _doc: &sync::wire::DocName,
        _before: &[sync::automerge::ChangeHash],
        _sent: Option<&[u8]>,
    ) -> Result<(), sync::wire::Refused> {
        Ok(())
    }
}

#[test]
fn a_client_without_a_certificate_or_with_another_cas_is_refused_at_the_handshake() {
    let root = tempfile::tempdir().expect("tempdir");
    let hub = Hub::start(root.path());

    // No certificate at all, trusting the hub's CA.
    let config = tls13().with_root_certificates(hub_roots(&hub)).with_no_client_auth();
    let why = session_error(&hub, config).expect("a client without a certificate got through");
    assert!(why.to_lowercase().contains("certificate"), "{why}");

    // A device certificate of another infrastructure CA (another hub's TLS folder), presented
    // to this hub by a client that trusts this hub's CA.
    let other = root.path().join("other");
    let creds = root.path().join("other.pem");
    let out = hub_command()
        .args(["enroll", "--office", "MO01", "--kiosk", "K1", "--tls-dir"])
        .arg(&other)
        .arg("--out")
        .arg(&creds)
        .output()
        .expect("registry-hub runs");
    assert!(out.status.success(), "{}", said(&out));
    let foreign = sync::pki::Credentials::read(&creds).expect("credentials");
    let key = {
        use rustls::pki_types::PrivateKeyDer;
        use rustls::pki_types::pem::PemObject;
        PrivateKeyDer::from_pem_file(&creds).expect("the device key")
    };
    let config = tls13()
        .with_root_certificates(hub_roots(&hub))
        .with_client_auth_cert(vec![foreign.cert_der().clone()], key)
        .expect("a client certificate");
    let why = session_error(&hub, config).expect("another CA's certificate got through");
    assert!(why.contains("UnknownCA") || why.to_lowercase().contains("certificate"), "{why}");

    // The real kiosk with those credentials: it does not even trust the hub, and says so.
    let dir = root.path().join("k1");
    let said_join =
        ok(&dir, &["join", "--hub", &hub.url(), "--credentials", creds.to_str().expect("path")]);
    assert!(said_join.contains("Joined office MO01 as kiosk K1"), "{said_join}");
    ok(&dir, &["walk-in", "issue", "--service", "renewal"]);
    let out = run(&dir, &["sync", "--once"]);
    assert!(!out.status.success(), "{}", said(&out));
    let text = said(&out);
    assert!(
        text.contains("The hub and this kiosk do not trust each other's certificates")
            && text.contains("UnknownIssuer")
            && !text.contains("cannot be reached"),
        "{text}"
    );
    let status = ok(&dir, &["sync", "--status"]);
    assert!(status.contains("do not trust each other's certificates"), "{status}");
    hub_kept_nothing(&hub, "MO01");
}

/// The pump, as `kiosk sync --once` runs it first: this kiosk's new store events signed into
/// its journal in `sync.sqlite`. Answers the journal they went to.
fn pumped(dir: &Path) -> (kiosk::sync::LocalReplica, sync::wire::DocName) {
    let store = store::Store::open(&dir.join("kiosk.db"), store::StoreOptions::default())
        .expect("the kiosk's store");
    let mut local =
        kiosk::sync::LocalReplica::open_in(dir, time::UtcOffset::UTC).expect("sync.sqlite");
    let creds = sync::pki::Credentials::read(&dir.join(kiosk::sync::net::CREDENTIALS_FILE))
        .expect("the kiosk's credentials");
    assert!(local.pump(&store, &creds.device_key()).expect("pump") > 0);
    let name = local
        .stored_docs()
        .expect("documents")
        .into_iter()
        .find(|d| d.journal_period().is_some())
        .expect("a journal");
    (local, name)
}

#[test]
fn a_forged_or_reordered_event_is_refused_and_the_kiosk_says_why() {
    use sync::automerge::ReadDoc;
    use sync::automerge::transaction::Transactable;
    let root = tempfile::tempdir().expect("tempdir");
    let hub = Hub::start(root.path());

    // Forged: a signed entry's changes altered in the kiosk's sync.sqlite after signing.
    let forger = root.path().join("k1");
    joined(&hub, &forger, "MO01", "K1");
    ok(&forger, &["walk-in", "issue", "--service", "renewal"]);
    let (mut local, name) = pumped(&forger);
    let journal = local.journal(&name).expect("journal");
    let entry = journal
        .entries()
        .expect("entries")
        .entries
        .into_iter()
        .find(|e| e.changes.contains("renewal"))
        .expect("the ticket's entry");
    let doc = journal.doc_mut();
    let (_, events) = doc.get(sync::automerge::ROOT, "events").expect("get").expect("events");
    let (_, obj) = doc.get(&events, entry.event_id.as_str()).expect("get").expect("the entry");
    let altered = entry.changes.replacen("renewal", "new_application", 1);
    assert_ne!(altered, entry.changes, "{}", entry.changes);
    doc.put(&obj, "changes", altered.as_str()).expect("put");
    doc.commit();
    local.persist(&name).expect("persist");
    drop(local);
    let text = sync_refused(
        &forger,
        "an event's signature does not match this kiosk's key",
        "bad-signature",
    );
    assert!(text.contains(&entry.event_id), "the event is named: {text}");
    hub_kept_nothing(&hub, "MO01");

    // Re-ordered: the kiosk's second event reaches the hub before its first (the first taken
    // out of the journal before it was ever sent).
    let skipper = root.path().join("k2");
    joined(&hub, &skipper, "MO01", "K2");
    ok(&skipper, &["walk-in", "issue", "--service", "renewal"]);
    ok(&skipper, &["walk-in", "issue", "--service", "renewal"]);
    let (mut local, name) = pumped(&skipper);
    let journal = local.journal(&name).expect("journal");
    let entries = journal.entries().expect("entries").entries;
    let first = entries.iter().find(|e| e.seq == 1).expect("the first").event_id.clone();
    let second = entries.iter().find(|e| e.seq == 2).expect("the second").event_id.clone();
    let doc = journal.doc_mut();
    let (_, events) = doc.get(sync::automerge::ROOT, "events").expect("get").expect("events");
    doc.delete(&events, first.as_str()).expect("delete");
    doc.commit();
    local.persist(&name).expect("persist");
    drop(local);
    let text = sync_refused(
        &skipper,
        "an event is out of this kiosk's chain (missing or re-ordered)",
        "out-of-chain",
    );
    assert!(text.contains(&second), "the event is named: {text}");
    hub_kept_nothing(&hub, "MO01");
}
