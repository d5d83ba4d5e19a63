//! Rebuild never loses a record the log cannot make, and verify tells a lost record from one
//! still waiting for its creation to replicate.

mod common;

use common::*;
use registry::model::*;
use store::{Fault, Finding, Store, StoreError, StoreOptions};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-11-21 10:00 +8);

fn open(path: &std::path::Path) -> Store {
    Store::open(path, StoreOptions { kiosk_id: Some("KHERE".into()), now: Box::new(|| NOW) })
        .expect("open")
}

fn sql(path: &std::path::Path, statement: &str, id: ulid::Ulid) {
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    conn.execute(statement, [id.to_string()]).expect("damage");
}

/// Which of a record's two events a test loses from the log.
#[derive(Clone, Copy)]
enum Lose {
    Creation,
    Edit,
}

/// A person written and then edited here; one of the two events is then lost from the log.
fn store_losing(lose: Lose) -> (tempfile::TempDir, std::path::PathBuf, Person) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let mut person = chan_tai_man();
    {
        let mut store = open(&path);
        store.put(None, &person).expect("put");
        person.email = Some("later@example.mo".into());
        store.put(None, &person).expect("edit");
    }
    let which = match lose {
        Lose::Creation => "min",
        Lose::Edit => "max",
    };
    sql(
        &path,
        &format!(
            "DELETE FROM events WHERE seq = (SELECT {which}(seq) FROM events WHERE record_id = ?1)"
        ),
        person.id,
    );
    (dir, path, person)
}

#[test]
fn rebuild_keeps_a_record_whose_creation_is_missing_and_verify_still_flags_it() {
    let (_dir, path, person) = store_losing(Lose::Creation);
    let mut store = open(&path);
    let lost = Finding { kind: RecordKind::Person, id: person.id, fault: Fault::CreationLost };
    assert_eq!(store.verify_report().expect("verify").faults, [lost]);
    let report = store.rebuild().expect("rebuild");
    assert_eq!(report.kept, [lost], "rebuild says what it could not rebuild");
    assert!(!report.is_complete());
    assert_eq!(store.get::<Person>(person.id).expect("still whole"), Some(person.clone()));
    assert_eq!(store.find_by_name("陳大文", 5).expect("search").len(), 1, "still indexed");
    assert_eq!(
        store.verify().expect("verify"),
        [(RecordKind::Person, person.id)],
        "the log still lacks its creation: not sound"
    );
}

#[test]
fn rebuild_keeps_a_record_that_has_no_events_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let person = chan_tai_man();
    open(&path).put(None, &person).expect("put");
    sql(&path, "DELETE FROM events WHERE record_id = ?1", person.id);
    let mut store = open(&path);
    let orphan = Finding { kind: RecordKind::Person, id: person.id, fault: Fault::NoEvents };
    assert_eq!(store.rebuild().expect("rebuild").kept, [orphan]);
    assert_eq!(store.get::<Person>(person.id).expect("get"), Some(person.clone()));
    assert_eq!(store.find_by_name("陳大文", 5).expect("search").len(), 1, "still indexed");
    assert_eq!(store.verify_report().expect("verify").faults, [orphan]);
}

#[test]
fn rebuild_keeps_an_edit_whose_event_is_missing() {
    let (_dir, path, person) = store_losing(Lose::Edit);
    let mut store = open(&path);
    let lost = Finding { kind: RecordKind::Person, id: person.id, fault: Fault::EventsLost };
    assert_eq!(store.rebuild().expect("rebuild").kept, [lost]);
    assert_eq!(
        store.get::<Person>(person.id).expect("get"),
        Some(person.clone()),
        "the edit is not silently undone"
    );
    assert_eq!(store.verify().expect("verify"), [(RecordKind::Person, person.id)]);
}

#[test]
fn a_record_cut_down_to_its_later_edits_is_flagged_when_this_kiosk_wrote_them() {
    // What an earlier rebuild left behind: the log lacks the creation, and the state holds only
    // the edit. This kiosk only ever writes whole records, so the creation was here once.
    let (_dir, path, person) = store_losing(Lose::Creation);
    sql(&path, "DELETE FROM records WHERE id = ?1", person.id);
    let mut store = open(&path);
    let lost = Finding { kind: RecordKind::Person, id: person.id, fault: Fault::CreationLost };
    assert_eq!(store.rebuild().expect("rebuild").kept, [lost]);
    assert!(store.list::<Person>().expect("list").is_empty());
    assert_eq!(store.verify_report().expect("verify").faults, [lost]);
}

#[test]
fn an_edit_replicated_before_its_creation_is_awaited_not_unsound() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW);
    let mut person = chan_tai_man();
    let created = a.put(None, &person).expect("put").expect("event");
    person.email = Some("later@example.mo".into());
    let edited = a.put(None, &person).expect("edit").expect("event");

    b.write(None, |w| w.apply_event(&edited)).expect("replicate");
    let report = b.verify_report().expect("verify");
    assert!(report.is_sound(), "{:?}", report.faults);
    assert_eq!(report.awaiting_creation, [(RecordKind::Person, person.id)]);
    let rebuilt = b.rebuild().expect("rebuild");
    assert!(rebuilt.is_complete());
    assert_eq!(rebuilt.awaiting_creation, [(RecordKind::Person, person.id)]);
    assert!(b.verify().expect("verify").is_empty());

    // The creation arrives after the rebuild: the record is whole and nothing is awaited.
    b.write(None, |w| w.apply_event(&created)).expect("replicate");
    assert_eq!(b.get::<Person>(person.id).expect("get"), Some(person));
    let report = b.verify_report().expect("verify");
    assert!(report.is_sound() && report.awaiting_creation.is_empty(), "{report:?}");
}

#[test]
fn a_replicated_creation_that_does_not_make_a_record_is_unsound() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW);
    let person = chan_tai_man();
    let mut created = a.put(None, &person).expect("put").expect("event");
    // A kiosk of another version sends a creation whose document this one cannot read.
    created.changes.insert("id_document".into(), serde_json::json!(42));
    b.write(None, |w| w.apply_event(&created)).expect("replicate");
    let broken = Finding { kind: RecordKind::Person, id: person.id, fault: Fault::Undecodable };
    assert_eq!(b.verify_report().expect("verify").faults, [broken]);
    assert_eq!(b.rebuild().expect("rebuild").kept, [broken]);
    assert!(matches!(b.get::<Person>(person.id), Err(StoreError::Json(_))));
}

#[test]
fn damage_the_log_can_mend_is_told_apart_and_mended() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let person = chan_tai_man();
    open(&path).put(None, &person).expect("put");
    sql(
        &path,
        "UPDATE records SET state = json_set(state, '$.email', 'x@y.z') WHERE id = ?1",
        person.id,
    );
    let mut store = open(&path);
    let differs = Finding { kind: RecordKind::Person, id: person.id, fault: Fault::Differs };
    assert!(differs.fault.rebuild_mends());
    assert_eq!(store.verify_report().expect("verify").faults, [differs]);
    assert!(store.rebuild().expect("rebuild").is_complete());
    assert_eq!(store.get::<Person>(person.id).expect("get"), Some(person));
    assert!(store.verify_report().expect("verify").is_sound());
}

#[test]
fn every_fault_has_a_message_in_every_language() {
    for locale in ["en", "zh-Hant", "zh-Hans", "pt"] {
        let path = format!("{}/../i18n/locales/{locale}/problems.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("problems.ftl");
        for fault in Fault::ALL {
            let id = fault.message_id();
            assert!(Fault::ALL_MESSAGE_IDS.contains(&id));
            assert!(text.lines().any(|l| l.starts_with(&format!("{id} ="))), "{locale} lacks {id}");
        }
        for id in store::REPORT_MESSAGE_IDS {
            assert!(text.lines().any(|l| l.starts_with(&format!("{id} ="))), "{locale} lacks {id}");
        }
    }
}
