//! The kiosk's side of replication, with real stores, real signatures and real automerge
//! merges standing in for the network.

use std::path::Path;

use ::sync::journal::{EVENT_FORMAT, Entry};
use ::sync::pki::Infra;
use ::sync::signing::{self, ChainHead, DeviceKey};
use registry::model::{IdDocument, IdDocumentKind, Person, Sensitive};
use store::{Store, StoreOptions};
use time::macros::{datetime, offset};

use super::*;

const OFFICE: &str = "MO01";
const MACAU: UtcOffset = offset!(+8);
/// 01:30 on 22 November in Macau, still the 21st in UTC: the journal is the office's day.
const NOW: time::OffsetDateTime = datetime!(2026-11-21 17:30 UTC);
const DAY: &str = "2026-11-22";

fn store_at(kiosk: &str) -> Store {
    let options = StoreOptions { kiosk_id: Some(kiosk.into()), now: Box::new(|| NOW) };
    Store::open_in_memory(options).expect("store")
}

/// A kiosk's device key, enrolled as the hub would (one infrastructure CA per call).
fn device_key(kiosk: &str) -> DeviceKey {
    let dir = tempfile::tempdir().expect("tempdir");
    let infra = Infra::open_or_create(dir.path(), &["localhost".into()]).expect("infra");
    infra.enroll(OFFICE, Some(kiosk)).expect("enroll").device_key()
}

fn joined(dir: &Path, kiosk: &str) -> LocalReplica {
    let mut replica = LocalReplica::open_in(dir, MACAU).expect("open sync.sqlite");
    replica
        .set_identity(&Identity {
            office: OFFICE.into(),
            kiosk: kiosk.into(),
            hub_url: "wss://localhost:7443".into(),
            credentials: dir.join("kiosk.creds"),
        })
        .expect("join");
    replica
}

fn person(n: u32) -> Person {
    Person {
        id: ulid::Ulid::new(),
        name_zh: Some(format!("何家豪{n}")),
        name_latin: Some("HO KA HOU".into()),
        id_document: IdDocument {
            kind: IdDocumentKind::MacauResident,
            number: Sensitive::new("1234567(3)"),
            issuing_state: None,
            expiry: None,
        },
        nationality: Some("CHN".into()),
        birth_date: None,
        sex: None,
        phone: Some(Sensitive::new("+853 6612 3456")),
        email: None,
        photo: None,
    }
}

fn export(store: &Store) -> String {
    let mut out = Vec::new();
    store.export_jsonl(&mut out).expect("export");
    String::from_utf8(out).expect("utf-8")
}

fn journal_name() -> DocName {
    DocName::journal(OFFICE, DAY).expect("a journal's name")
}

fn part(period: &str) -> DocName {
    DocName::journal(OFFICE, period).expect("a journal's name")
}

fn manifest_name() -> DocName {
    DocName::manifest(OFFICE).expect("the manifest's name")
}

/// Every entry of `kiosk` in the replica's journals, checked: signed by `key`, and one chain
/// from its first entry in `seq` order.
fn checked_chain(replica: &mut LocalReplica, kiosk: &str, key: &DeviceKey) -> Vec<Entry> {
    let mut entries = Vec::new();
    for name in replica.stored_docs().expect("docs") {
        if name.journal_period().is_some() {
            let read = replica.journal(&name).expect("journal").entries().expect("entries");
            assert!(read.unreadable.is_empty(), "{name}: {:?}", read.unreadable);
            entries.extend(read.entries.into_iter().filter(|e| e.kiosk == kiosk));
        }
    }
    entries.sort_by_key(|e| e.seq);
    let mut head = ChainHead::default();
    for entry in &entries {
        signing::verify(OFFICE, entry, key.public_key()).expect("signed by the kiosk");
        head = signing::check_next(&head, OFFICE, entry).expect("the next link");
    }
    entries
}

/// Everything `from` holds taken into `to` (an automerge sync in one direction), then what is
/// new applied to `to`'s store.
fn take_in(from: &mut LocalReplica, to: &mut LocalReplica, store: &mut Store) -> Applied {
    let mut total = Applied::default();
    for name in from.stored_docs().expect("docs") {
        let before = to.doc_mut(&name).expect("doc").get_heads();
        let theirs = from.doc_mut(&name).expect("theirs");
        to.doc_mut(&name).expect("doc").merge(theirs).expect("merge");
        to.persist(&name).expect("persist");
        if name.journal_period().is_some() {
            let applied = to.apply_incoming(store, &name, &before).expect("apply");
            total.add(&applied);
        }
    }
    total
}

#[test]
fn the_pump_journals_exactly_this_kiosks_new_events_signed_and_chained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = device_key("KA");
    let mut store = store_at("KA");
    let mut replica = joined(dir.path(), "KA");
    let mut other = store_at("KB");
    let theirs = other.put(None, &person(0)).expect("put").expect("event");
    let mut own = Vec::new();
    for n in 1..=3 {
        own.push(store.put(None, &person(n)).expect("put").expect("event"));
    }
    store.write(None, |w| w.apply_event(&theirs)).expect("replicated in");

    assert_eq!(replica.pump(&store, &key).expect("pump"), 3);
    let entries = checked_chain(&mut replica, "KA", &key);
    let ids: Vec<String> = entries.iter().map(|e| e.event_id.clone()).collect();
    let expected: Vec<String> = own.iter().map(|e| e.event_id.to_string()).collect();
    assert_eq!(ids, expected, "this kiosk's events, in order, and not the replicated one");
    let journal = replica.journal(&journal_name()).expect("the office day's journal");
    assert_eq!(journal.len(), 3);
    assert_eq!(journal.entry(&theirs.event_id.to_string()).expect("read"), None);
    assert_eq!(entries[0].event().expect("typed"), own[0], "the entry is the event");
    let listed = replica.manifest(&manifest_name()).expect("manifest").journals();
    let listed = listed.expect("listed");
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].period.as_str(), listed[0].closed.is_none()), (DAY, true));

    assert_eq!(replica.pump(&store, &key).expect("again"), 0, "nothing new, nothing copied");
    assert_eq!(replica.unjournaled(&store).expect("waiting"), 0);
    store.put(None, &person(4)).expect("put");
    assert_eq!(replica.unjournaled(&store).expect("waiting"), 1);
    assert_eq!(replica.pump(&store, &key).expect("the next one"), 1);
    let entries = checked_chain(&mut replica, "KA", &key);
    assert_eq!(entries.len(), 4);
    let (cursor, head) = replica.pump_position().expect("position");
    assert_eq!(cursor, store.last_seq().expect("seq"));
    assert_eq!(head.seq, 4);
    assert_eq!(head.link, signing::link(OFFICE, &entries[3]));
}

#[test]
fn the_pump_needs_a_join_and_the_stores_own_kiosk_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = device_key("KA");
    let mut store = store_at("KA");
    store.put(None, &person(1)).expect("put");
    let mut replica = LocalReplica::open_in(dir.path(), MACAU).expect("open");
    assert!(matches!(replica.pump(&store, &key), Err(SyncError::NotJoined)));
    let mut replica = joined(dir.path(), "KOTHER");
    let err = replica.pump(&store, &key).expect_err("another kiosk's store");
    assert!(matches!(err, SyncError::KioskMismatch { .. }), "{err}");
    assert_eq!(replica.pump_position().expect("position").0, 0, "nothing journaled");
}

#[test]
fn two_kiosks_of_one_office_exchanging_journals_end_with_the_same_export() {
    let (dir_a, dir_b) = (tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b"));
    let (key_a, key_b) = (device_key("KA"), device_key("KB"));
    let (mut store_a, mut store_b) = (store_at("KA"), store_at("KB"));
    let (mut a, mut b) = (joined(dir_a.path(), "KA"), joined(dir_b.path(), "KB"));

    let mut ho = person(1);
    store_a.put(None, &ho).expect("put");
    store_b.put(None, &person(2)).expect("put");
    store_b.put(None, &person(3)).expect("put");
    assert_eq!(a.pump(&store_a, &key_a).expect("pump a"), 1);
    assert_eq!(b.pump(&store_b, &key_b).expect("pump b"), 2);

    let to_b = take_in(&mut a, &mut b, &mut store_b);
    assert_eq!((to_b.applied, to_b.own), (1, 0));
    let to_a = take_in(&mut b, &mut a, &mut store_a);
    assert_eq!((to_a.applied, to_a.own), (2, 0), "B's two; A's own entry is not new to A");
    assert_eq!(export(&store_a), export(&store_b));

    // B edits the person A registered; the edit goes back to A as one journal entry.
    ho.email = Some("kahou@example.mo".into());
    store_b.put(None, &ho).expect("edit at B");
    assert_eq!(b.pump(&store_b, &key_b).expect("pump b"), 1);
    let to_a = take_in(&mut b, &mut a, &mut store_a);
    assert_eq!(to_a.applied, 1);
    assert!(to_a.refused.is_empty() && to_a.unknown == 0 && to_a.unreadable == 0);
    assert_eq!(export(&store_a), export(&store_b));
    assert!(export(&store_a).contains("kahou@example.mo"));
    assert!(store_a.verify().expect("verify").is_empty());
    // Both chains stand in both replicas; A's pump skips what it applied (B's events).
    assert_eq!(a.pump(&store_a, &key_a).expect("pump a"), 0);
    assert_eq!(checked_chain(&mut a, "KB", &key_b).len(), 3);
    assert_eq!(checked_chain(&mut b, "KA", &key_a).len(), 1);
    // Taking in the same again applies nothing.
    let again = take_in(&mut b, &mut a, &mut store_a);
    assert_eq!(again.applied, 0);
    // A's sync.sqlite lost (a new one): its own entries come back from B and are left alone.
    let fresh_dir = tempfile::tempdir().expect("fresh");
    let mut fresh = joined(fresh_dir.path(), "KA");
    let back = take_in(&mut b, &mut fresh, &mut store_a);
    assert_eq!((back.applied, back.known, back.own), (0, 3, 1));
}

#[test]
fn an_entry_of_a_kind_this_build_does_not_know_stays_in_the_journal_and_is_skipped() {
    let (dir_a, dir_b) = (tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b"));
    let key_b = device_key("KB");
    let mut store_a = store_at("KA");
    let mut store_b = store_at("KB");
    let (mut a, mut b) = (joined(dir_a.path(), "KA"), joined(dir_b.path(), "KB"));
    store_b.put(None, &person(1)).expect("put");
    b.pump(&store_b, &key_b).expect("pump");
    // A newer build at B journals a vehicle, and an event of a newer format.
    let (_, head) = b.pump_position().expect("head");
    let newer = |kind: &str, v: u64, head: &ChainHead| {
        let mut entry = Entry {
            v,
            event_id: ulid::Ulid::new().to_string(),
            hlc: format!("{:015}-{:010}-KB", NOW.unix_timestamp() * 1000, 9),
            kiosk: "KB".into(),
            clerk: None,
            record_kind: kind.into(),
            record_id: ulid::Ulid::new().to_string(),
            changes: r#"{"plate":"MA-12-34"}"#.into(),
            seq: 0,
            prev: String::new(),
            sig: String::new(),
        };
        let head = key_b.sign(OFFICE, &mut entry, head).expect("sign");
        (entry, head)
    };
    let (vehicle, head) = newer("vehicle", EVENT_FORMAT, &head);
    let (future, _) = newer("person", EVENT_FORMAT + 1, &head);
    b.journal(&journal_name())
        .expect("journal")
        .append(&[vehicle.clone(), future])
        .expect("append");
    b.persist(&journal_name()).expect("persist");

    let applied = take_in(&mut b, &mut a, &mut store_a);
    assert_eq!((applied.applied, applied.unknown, applied.unreadable), (1, 2, 0));
    assert_eq!(store_a.stats().expect("stats").events, 1, "only the person");
    // Kept, stored and forwarded: another process (or the next sync) still has it.
    drop(a);
    let mut reopened = LocalReplica::open_in(dir_a.path(), MACAU).expect("reopen");
    let kept = reopened.journal(&journal_name()).expect("journal").entry(&vehicle.event_id);
    assert_eq!(kept.expect("read"), Some(vehicle));
    assert_eq!(checked_chain(&mut reopened, "KB", &key_b).len(), 3, "its chain stands");
}

#[test]
fn a_crash_between_saving_the_journal_and_committing_copies_nothing_twice_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = device_key("KA");
    let mut store = store_at("KA");
    for n in 1..=3 {
        store.put(None, &person(n)).expect("put");
    }
    let mut replica = joined(dir.path(), "KA");
    assert_eq!(replica.pump_and_crash_before_commit(&store, &key).expect("steps"), 3);
    drop(replica);
    let mut replica = LocalReplica::open_in(dir.path(), MACAU).expect("restart");
    assert!(replica.stored_docs().expect("docs").is_empty(), "the lost transaction left nothing");
    assert_eq!(replica.pump_position().expect("position").0, 0);
    assert_eq!(replica.pump(&store, &key).expect("pump"), 3);

    store.put(None, &person(4)).expect("put");
    store.put(None, &person(5)).expect("put");
    // The same process crashes mid-pump and goes on: what it held is read again.
    assert_eq!(replica.pump_and_crash_before_commit(&store, &key).expect("steps"), 2);
    assert_eq!(replica.journal(&journal_name()).expect("journal").len(), 3);
    assert_eq!(replica.pump(&store, &key).expect("pump"), 2);
    assert_eq!(replica.pump(&store, &key).expect("pump"), 0);
    let entries = checked_chain(&mut replica, "KA", &key);
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    let mut restarted = LocalReplica::open_in(dir.path(), MACAU).expect("restart");
    assert_eq!(checked_chain(&mut restarted, "KA", &key).len(), 5);
}

/// A sync message whose entries the store could not take (here: another process holds the
/// store's write lock past its wait; a kiosk killed at that point is the same) leaves nothing of
/// them in `sync.sqlite` either: the next sync brings them again and the store takes them. When
/// the journal was kept first, its entries were never applied again: records lost at a counter.
#[test]
fn entries_the_store_did_not_take_are_not_kept_in_the_journal_so_the_next_sync_brings_them() {
    use ::sync::session::Replica;
    let (dir_a, dir_b) = (tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b"));
    let key_b = device_key("KB");
    let mut store_b = store_at("KB");
    let mut b = joined(dir_b.path(), "KB");
    store_b.put(None, &person(1)).expect("put");
    b.pump(&store_b, &key_b).expect("pump");
    let store_path = dir_a.path().join("kiosk.db");
    let options = || StoreOptions { kiosk_id: Some("KA".into()), now: Box::new(|| NOW) };
    let mut store_a = Store::open(&store_path, options()).expect("store");
    let mut a = joined(dir_a.path(), "KA");
    let name = journal_name();

    // What the session does with a message: the document changed in memory, then `changed`.
    let before = a.doc_mut(&name).expect("doc").get_heads();
    let theirs = b.doc_mut(&name).expect("theirs");
    a.doc_mut(&name).expect("doc").merge(theirs).expect("merge");
    let locker = rusqlite::Connection::open(&store_path).expect("open the store");
    locker.execute_batch("BEGIN IMMEDIATE").expect("hold the write lock");
    let identity = a.identity().expect("identity").expect("joined");
    let mut replica = net::KioskReplica {
        local: &mut a,
        store: &mut store_a,
        identity,
        applied: Applied::default(),
    };
    let hub = replica.hello();
    let refused = replica.changed(&hub, &name, &before, None).expect_err("the store is locked");
    assert_eq!(refused.code, ::sync::session::UNAVAILABLE);
    locker.execute_batch("ROLLBACK").expect("release");
    drop(a);

    let mut a = LocalReplica::open_in(dir_a.path(), MACAU).expect("reopen");
    assert!(
        !a.stored_docs().expect("docs").contains(&name) || a.journal(&name).expect("j").is_empty(),
        "the journal kept entries the store never took"
    );
    let again = take_in(&mut b, &mut a, &mut store_a);
    assert_eq!(again.applied, 1, "the next sync brings them again");
    assert_eq!(export(&store_a), export(&store_b));
}

#[test]
fn a_second_process_sees_the_first_ones_chunks_and_continues_its_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = device_key("KA");
    let mut store = store_at("KA");
    let mut first = joined(dir.path(), "KA");
    let mut second = LocalReplica::open_in(dir.path(), MACAU).expect("second process");
    store.put(None, &person(1)).expect("put");
    store.put(None, &person(2)).expect("put");
    assert_eq!(first.pump(&store, &key).expect("first pumps"), 2);
    assert_eq!(second.journal(&journal_name()).expect("journal").len(), 2);

    store.put(None, &person(3)).expect("put");
    assert_eq!(second.pump(&store, &key).expect("second pumps"), 1);
    assert_eq!(first.journal(&journal_name()).expect("journal").len(), 3, "read the new chunk");
    store.put(None, &person(4)).expect("put");
    assert_eq!(first.pump(&store, &key).expect("first again"), 1);
    assert_eq!(first.pump_position().expect("head").1.seq, 4, "one chain across processes");

    // A compaction by one process loses nothing the other wrote before or after it.
    second.compact(&journal_name()).expect("compact");
    store.put(None, &person(5)).expect("put");
    assert_eq!(first.pump(&store, &key).expect("after the compaction"), 1);
    let chunks: i64 = second
        .conn
        .query_row(
            "SELECT count(*) FROM chunks WHERE doc = ?1",
            [journal_name().to_string()],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(chunks, 2, "the whole save and the one chunk after it");
    let mut third = LocalReplica::open_in(dir.path(), MACAU).expect("third process");
    let entries = checked_chain(&mut third, "KA", &key);
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(second.journal(&journal_name()).expect("journal").len(), 5);
}

#[test]
fn a_full_journal_goes_on_in_the_days_next_part_and_the_manifest_lists_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = device_key("KA");
    let mut store = store_at("KA");
    let mut replica = joined(dir.path(), "KA").with_journal_limit(3);
    for n in 1..=4 {
        store.put(None, &person(n)).expect("put");
    }
    assert_eq!(replica.pump(&store, &key).expect("pump"), 4);
    for n in 5..=7 {
        store.put(None, &person(n)).expect("put");
    }
    assert_eq!(replica.pump(&store, &key).expect("pump"), 3);
    let listed = replica.manifest(&manifest_name()).expect("manifest").journals();
    let periods: Vec<String> = listed.expect("listed").into_iter().map(|l| l.period).collect();
    assert_eq!(periods, [DAY.to_owned(), format!("{DAY}.2"), format!("{DAY}.3")]);
    let sizes: Vec<usize> =
        periods.iter().map(|p| replica.journal(&part(p)).expect("journal").len()).collect();
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(checked_chain(&mut replica, "KA", &key).len(), 7, "one chain across the parts");
    // A closed part takes nothing more, though it has room.
    let third = part(&periods[2]);
    let heads = replica.doc_mut(&third).expect("doc").get_heads();
    let manifest = manifest_name();
    replica.manifest(&manifest).expect("manifest").close(&periods[2], &heads).expect("close");
    replica.persist(&manifest).expect("persist");
    store.put(None, &person(8)).expect("put");
    assert_eq!(replica.pump(&store, &key).expect("pump"), 1);
    assert_eq!(replica.journal(&third).expect("journal").len(), 1);
    assert_eq!(replica.journal(&part(&format!("{DAY}.4"))).expect("j").len(), 1);
}

#[test]
fn an_events_journal_is_its_office_day_and_a_days_parts_are_numbered_from_2() {
    assert_eq!(office_day(NOW.unix_timestamp() as u64 * 1000, MACAU).expect("day"), DAY);
    assert_eq!(
        office_day(NOW.unix_timestamp() as u64 * 1000, UtcOffset::UTC).expect("day"),
        "2026-11-21"
    );
    assert_eq!(part_of("2026-11-22", DAY), Some(1));
    assert_eq!(part_of("2026-11-22.3", DAY), Some(3));
    assert_eq!(part_of("2026-11-22.1", DAY), None);
    assert_eq!(part_of("2026-11-23", DAY), None);
    assert_eq!(part_of("2026-11-222", DAY), None);
    assert_eq!((period_of(DAY, 1), period_of(DAY, 2)), (DAY.to_owned(), format!("{DAY}.2")));
}

#[test]
fn identity_sync_states_and_the_hubs_last_word_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut replica = joined(dir.path(), "KA");
    let mut state = automerge::sync::State::new();
    state.shared_heads = replica.doc_mut(&journal_name()).expect("doc").get_heads();
    replica.save_sync_state("hub", &journal_name(), &state).expect("save");
    let status = HubStatus {
        hub_time_ms: Some(1_790_000_000_000),
        last_at_ms: Some(1_790_000_000_500),
        last_ok: Some(false),
        last_detail: Some("unreachable".into()),
        last_ok_at_ms: Some(1_790_000_000_100),
        acked_seq: Some(7),
        hub_offset_ms: Some(-420_000),
    };
    replica.record_sync(&status).expect("record");
    let failed = HubStatus { hub_time_ms: None, last_ok: Some(true), ..status.clone() };
    drop(replica);
    let mut replica = LocalReplica::open_in(dir.path(), MACAU).expect("reopen");
    assert_eq!(replica.identity().expect("identity").map(|i| i.kiosk), Some("KA".into()));
    let kept = replica.sync_state("hub", &journal_name()).expect("state");
    assert_eq!(kept.shared_heads, state.shared_heads);
    assert!(replica.sync_state("hub", &manifest_name()).expect("new").shared_heads.is_empty());
    assert_eq!(replica.hub_status().expect("status"), status);
    replica.record_sync(&failed).expect("record");
    let now = replica.hub_status().expect("status");
    assert_eq!(now.hub_time_ms, status.hub_time_ms, "an unreached hub's time stays");
    assert_eq!(now.last_ok, Some(true));
}

/// What the kiosk opens a session with (`KioskReplica::offered`).
fn offered(replica: &mut LocalReplica, store: &mut Store) -> Vec<DocName> {
    use ::sync::session::Replica;
    let identity = replica.identity().expect("identity").expect("joined");
    let mut session_side =
        net::KioskReplica { local: replica, store, identity, applied: Applied::default() };
    session_side.offered().expect("offered")
}

#[test]
fn a_closed_journal_is_left_out_only_while_everything_in_it_was_shared_with_the_hub() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = device_key("KA");
    let mut store = store_at("KA");
    let mut replica = joined(dir.path(), "KA");
    let (name, manifest) = (journal_name(), manifest_name());
    store.put(None, &person(1)).expect("put");
    replica.pump(&store, &key).expect("pump");
    // A session shared the journal as it is.
    let shared = replica.doc_mut(&name).expect("doc").get_heads();
    let mut state = automerge::sync::State::new();
    state.shared_heads = shared.clone();
    replica.save_sync_state(net::HUB, &name, &state).expect("save");
    assert!(replica.settled(net::HUB, &name).expect("settled"));
    // The pump puts one more entry in it; then the hub's close arrives, at the heads the hub
    // had (without that entry), and the session is cut before the entry goes up.
    store.put(None, &person(2)).expect("put");
    replica.pump(&store, &key).expect("pump");
    assert!(!replica.settled(net::HUB, &name).expect("settled"), "a chunk came after");
    replica.manifest(&manifest).expect("manifest").close(DAY, &shared).expect("close");
    replica.persist(&manifest).expect("persist");
    assert!(offered(&mut replica, &mut store).contains(&name), "the late entry still goes up");
    // Once it went up (the hub closed it again at the new heads), it is left out.
    let now = replica.doc_mut(&name).expect("doc").get_heads();
    state.shared_heads = now.clone();
    replica.save_sync_state(net::HUB, &name, &state).expect("save");
    replica.manifest(&manifest).expect("manifest").reclose(DAY, &now).expect("reclose");
    replica.persist(&manifest).expect("persist");
    let offered = offered(&mut replica, &mut store);
    assert!(!offered.contains(&name), "{offered:?}");
    assert!(offered.contains(&manifest));
}

#[test]
fn the_clock_skew_is_this_kiosks_clock_less_the_hubs_as_measured_at_the_sync() {
    assert_eq!(net::clock_offset(1_000_000, 1_420_000), -420_000, "the hub behind");
    assert_eq!(net::clock_offset(1_420_000, 1_000_000), 420_000, "the hub ahead");
    assert_eq!(net::clock_offset(u64::MAX, 0), i64::MAX, "no overflow");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut replica = joined(dir.path(), "KA");
    assert_eq!(replica.hub_status().expect("status").clock_skew(), None, "never measured");
    // The hub's clock 7 minutes behind this kiosk's when its Hello came: the kiosk is 7 ahead,
    // however long ago that sync was (the hub's time alone would say nothing by now).
    let offset = net::clock_offset(1_790_000_000_000, 1_790_000_420_000);
    let good = HubStatus {
        hub_time_ms: Some(1_790_000_000_000),
        last_at_ms: Some(1_790_000_421_000),
        last_ok: Some(true),
        last_ok_at_ms: Some(1_790_000_421_000),
        hub_offset_ms: Some(offset),
        ..HubStatus::default()
    };
    replica.record_sync(&good).expect("record");
    let skew = replica.hub_status().expect("status").clock_skew();
    assert_eq!(skew, Some(time::Duration::minutes(7)));
    // A sync that did not reach the hub keeps the last measure.
    let unreached = HubStatus {
        last_at_ms: Some(1_790_000_900_000),
        last_ok: Some(false),
        last_detail: Some("unreachable".into()),
        ..HubStatus::default()
    };
    replica.record_sync(&unreached).expect("record");
    assert_eq!(replica.hub_status().expect("status").clock_skew(), skew);
}

/// A person with Macau resident card `number`.
fn holder_of(number: &str) -> Person {
    let mut p = person(0);
    p.id_document.number = Sensitive::new(number);
    p
}

fn token(serial: &str, holder: Option<registry::model::RecordId>) -> registry::model::Token {
    registry::model::Token {
        id: ulid::Ulid::new(),
        serial: serial.into(),
        model: Some("ePass2003".into()),
        status: registry::model::TokenStatus::Blank,
        holder_person: holder,
        holder_organisation: None,
        pin_failures: 0,
    }
}

/// Two kiosks of one office, each with its store and replica, joined.
struct Pair {
    _dirs: [tempfile::TempDir; 2],
    keys: [DeviceKey; 2],
    stores: [Store; 2],
    replicas: [LocalReplica; 2],
}

fn pair() -> Pair {
    let dirs = [tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b")];
    let replicas = [joined(dirs[0].path(), "KA"), joined(dirs[1].path(), "KB")];
    Pair {
        keys: [device_key("KA"), device_key("KB")],
        stores: [store_at("KA"), store_at("KB")],
        replicas,
        _dirs: dirs,
    }
}

impl Pair {
    /// Each pumps, then each takes in the other's journals: what a sync through the hub does.
    fn exchange(&mut self) -> [Applied; 2] {
        let [a, b] = &mut self.replicas;
        let [store_a, store_b] = &mut self.stores;
        a.pump(store_a, &self.keys[0]).expect("pump a");
        b.pump(store_b, &self.keys[1]).expect("pump b");
        let to_b = take_in(a, b, store_b);
        let to_a = take_in(b, a, store_a);
        [to_a, to_b]
    }

    fn conflicts(&self, n: usize) -> Vec<conflicts::Conflict> {
        self.replicas[n].conflicts(&self.stores[n]).expect("conflicts")
    }
}

#[test]
fn two_persons_registered_at_two_counters_with_one_id_number_are_a_conflict_on_both() {
    let mut kiosks = pair();
    // One card, written two ways: the same number to registration's comparison.
    let a = holder_of("1234567(3)");
    let b = holder_of("12345673");
    kiosks.stores[0].put(None, &a).expect("put a");
    kiosks.stores[1].put(None, &b).expect("put b");
    // Someone else, elsewhere: no conflict of theirs.
    kiosks.stores[1].put(None, &holder_of("5215299(8)")).expect("put");
    let [to_a, to_b] = kiosks.exchange();
    assert_eq!((to_a.applied, to_a.conflicts), (2, 1));
    assert_eq!((to_b.applied, to_b.conflicts), (1, 1));
    let expected = vec![conflicts::Conflict::new(conflicts::ConflictKind::IdNumber, a.id, b.id)];
    assert_eq!(kiosks.conflicts(0), expected, "listed on A");
    assert_eq!(kiosks.conflicts(1), expected, "listed on B");
    // Both records stay as they were: nothing is resolved by the merge.
    for store in &kiosks.stores {
        assert!(store.get::<Person>(a.id).expect("get").is_some());
        assert!(store.get::<Person>(b.id).expect("get").is_some());
    }
    // What the supervisor sees: the number masked but its last four, both records.
    let rows = crate::counter::conflict_rows(&kiosks.stores[0], &expected).expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].shared, "******7(3)");
    assert_eq!(
        rows[0].sides.each_ref().map(|s| s.opens),
        [
            Some((registry::model::RecordKind::Person, expected[0].first)),
            Some((registry::model::RecordKind::Person, expected[0].second)),
        ]
    );
    assert!(!format!("{:?}", rows[0]).contains("7(3)"), "Debug hides the number");

    // Syncing again finds nothing new, and keeps the one listed.
    let [again_a, again_b] = kiosks.exchange();
    assert_eq!((again_a.conflicts, again_b.conflicts), (0, 0));
    assert_eq!(kiosks.conflicts(0).len(), 1);

    // A supervisor corrects B's number at A: the conflict leaves both lists once synced.
    let mut corrected = b.clone();
    corrected.id_document.number = Sensitive::new("5123456(7)");
    kiosks.stores[0].put(None, &corrected).expect("correct");
    kiosks.exchange();
    assert_eq!(kiosks.conflicts(0), Vec::new());
    assert_eq!(kiosks.conflicts(1), Vec::new(), "B's copy was corrected by the sync");
}

#[test]
fn one_person_edited_at_two_counters_is_no_conflict() {
    let mut kiosks = pair();
    let ho = holder_of("1234567(3)");
    kiosks.stores[0].put(None, &ho).expect("put");
    kiosks.exchange();
    let mut renamed = ho.clone();
    renamed.name_latin = Some("HO KA HOU JOSE".into());
    kiosks.stores[1].put(None, &renamed).expect("edit at B");
    let [to_a, _] = kiosks.exchange();
    assert_eq!((to_a.applied, to_a.conflicts), (1, 0));
    assert!(kiosks.conflicts(0).is_empty());
    assert!(kiosks.conflicts(1).is_empty());
}

#[test]
fn two_token_records_with_one_serial_from_two_counters_are_a_conflict_on_both() {
    let mut kiosks = pair();
    let a = token("5A0012345678", None);
    let b = token("5A0012345678", None);
    kiosks.stores[0].put(None, &a).expect("put a");
    kiosks.stores[1].put(None, &b).expect("put b");
    kiosks.stores[1].put(None, &token("5A0099999999", None)).expect("another serial");
    let [to_a, to_b] = kiosks.exchange();
    assert_eq!((to_a.conflicts, to_b.conflicts), (1, 1));
    let expected = vec![conflicts::Conflict::new(conflicts::ConflictKind::TokenSerial, a.id, b.id)];
    assert_eq!(kiosks.conflicts(0), expected);
    assert_eq!(kiosks.conflicts(1), expected);
    assert_eq!(kiosks.stores[0].tokens_by_serial("5A0012345678").expect("both").len(), 2);
    let rows = crate::counter::conflict_rows(&kiosks.stores[1], &expected).expect("rows");
    assert_eq!(rows[0].shared, "5A0012345678");
    assert_eq!(
        rows[0].sides.each_ref().map(|s| s.opens),
        [None, None],
        "no holder, no file to open"
    );
}

#[test]
fn the_full_check_finds_conflicts_no_sync_saw_and_keeps_them_for_the_queue() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = store_at("KA");
    let replica = joined(dir.path(), "KA");
    // Written here directly (an import, or a store older than this check): no sync looked.
    let holder = holder_of("5215299(8)");
    store.put(None, &holder).expect("put");
    let (a, b) = (holder_of("1234567(3)"), holder_of("1234567(3)"));
    store.put(None, &a).expect("put");
    store.put(None, &b).expect("put");
    let (t1, t2) = (token("5A01", Some(holder.id)), token("5A01", None));
    store.put(None, &t1).expect("put");
    store.put(None, &t2).expect("put");
    // Another document kind with the same digits is another document.
    let mut passport = holder_of("12345673");
    passport.id_document.kind = IdDocumentKind::Passport;
    passport.id_document.issuing_state = Some("PRT".into());
    store.put(None, &passport).expect("put");
    assert!(replica.conflicts(&store).expect("kept").is_empty(), "nothing kept yet");
    let found = replica.check_all_conflicts(&store).expect("full check");
    let mut expected = vec![
        conflicts::Conflict::new(conflicts::ConflictKind::IdNumber, a.id, b.id),
        conflicts::Conflict::new(conflicts::ConflictKind::TokenSerial, t1.id, t2.id),
    ];
    let mut sorted = found.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    assert_eq!(replica.conflicts(&store).expect("kept").len(), 2, "kept for the queue");
    let status = crate::sync_cmd::read_status(&replica, &store).expect("status");
    assert_eq!(status.conflicts, 2);
    let json = serde_json::to_value(&status).expect("json");
    assert_eq!(json["conflicts"], 2);
    // The token's holder's file is what Enter opens for it.
    let rows = crate::counter::conflict_rows(&store, &found).expect("rows");
    let token_row = rows.iter().find(|r| r.kind == conflicts::ConflictKind::TokenSerial);
    let opens = token_row.expect("the token row").sides.iter().filter_map(|s| s.opens).next();
    assert_eq!(opens, Some((registry::model::RecordKind::Person, holder.id)));
}

#[test]
fn a_journal_pumped_in_many_chunks_is_saved_whole_and_reads_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = store_at("K1");
    let key = device_key("K1");
    let mut replica = joined(dir.path(), "K1");
    for n in 0..12 {
        store.put(None, &person(n)).expect("put");
        replica.pump(&store, &key).expect("pump");
    }
    let chunks = |replica: &LocalReplica| -> i64 {
        replica
            .conn
            .query_row(
                "SELECT count(*) FROM chunks WHERE doc = ?1",
                [journal_name().as_str()],
                |r| r.get(0),
            )
            .expect("count")
    };
    assert!(chunks(&replica) > 10, "a chunk a pump at least");
    let before = checked_chain(&mut replica, "K1", &key);
    assert_eq!(
        replica.compact_fragmented(10).expect("compact"),
        1,
        "only the journal had more than 10"
    );
    assert_eq!(chunks(&replica), 1);
    // Another process opening it reads the same entries, and the pump goes on after them.
    let mut other = joined(dir.path(), "K1");
    assert_eq!(checked_chain(&mut other, "K1", &key), before);
    store.put(None, &person(12)).expect("put");
    assert_eq!(other.pump(&store, &key).expect("pump"), 1);
    assert_eq!(checked_chain(&mut other, "K1", &key).len(), 13);
}
