//! Faults and hostile input at the store and the ID checks, through the built `kiosk`: a log
//! that lost a record's creation, birth dates the standard allows, numbers typed full-width.

use std::path::Path;
use std::process::Output;

use registry::model::*;
use store::{Store, StoreOptions};
use tests::{kiosk, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> Output {
    kiosk(dir).args(["--lang", "en"]).args(args).output().expect("kiosk runs")
}

fn id_check(kind: &str, value: &str) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    run(dir.path(), &["id", "check", "--kind", kind, value])
}

#[test]
fn the_standards_own_example_born_in_1880_is_a_valid_number() {
    // GB 11643-1999, Appendix A: 440524188001010014, born 1 January 1880.
    let out = id_check("cn-resident", "440524188001010014");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "440524188001010014");
    // Valid, and worth a second look: the warning is said apart from the answer.
    let named = format!("age of {}", tests::age_today_of_one_born_on_new_years_day(1880));
    assert!(stderr(&out).contains(&named), "the holder's age is named: {}", stderr(&out));
    // 29 February 1899 never was: still refused.
    let out = id_check("cn-resident", "110105189902290028");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn numbers_typed_full_width_are_checked_as_if_typed_plainly() {
    let cases = [
        ("hk", "Ａ１２３４５６３", "A123456(3)"),
        ("hk", "Ａ１２３４５６（３）", "A123456(3)"),
        ("cn-resident", "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("mo", "１２３４５６７（３）", "1234567(3)"),
        ("uscc", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
    ];
    for (kind, value, normalised) in cases {
        let out = id_check(kind, value);
        assert_eq!(out.status.code(), Some(0), "{kind} {value}: {}", stderr(&out));
        assert_eq!(stdout(&out).trim(), normalised, "{kind} {value}");
    }
}

#[test]
fn search_finds_a_subscriber_by_what_a_cjk_keyboard_types() {
    let dir = tempfile::tempdir().expect("tempdir");
    let init = run(dir.path(), &["demo", "init"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    for (query, matched_by) in [
        ("１２３４５６７３", "id_number"),
        ("６６１２\u{3000}３４５６", "phone"),
        ("ＣＨＡＮ ＴＡＩ", "name"),
    ] {
        let out = run(dir.path(), &["search", "--json", query]);
        assert_eq!(out.status.code(), Some(0), "{query}: {}", stderr(&out));
        let first: serde_json::Value =
            serde_json::from_str(stdout(&out).lines().next().unwrap_or_default()).expect("json");
        assert_eq!(first["name_latin"], "CHAN TAI MAN", "{query}");
        assert_eq!(first["matched_by"], matched_by, "{query}");
    }
}

/// A person written and edited through the store, whose creating event is then lost.
fn person_whose_creation_is_lost(dir: &Path) -> Person {
    let mut person = Person {
        id: ulid::Ulid::new(),
        name_zh: Some("陳大文".into()),
        name_latin: Some("CHAN TAI MAN".into()),
        id_document: IdDocument {
            kind: IdDocumentKind::MacauResident,
            number: Sensitive::new("1234567(3)"),
            issuing_state: None,
            expiry: None,
        },
        nationality: Some("CHN".into()),
        birth_date: None,
        sex: Some(Sex::M),
        phone: Some(Sensitive::new("+853 6612 3456")),
        email: None,
        photo: None,
    };
    let path = dir.join("kiosk.db");
    {
        let mut store = Store::open(&path, StoreOptions::default()).expect("store");
        store.put(None, &person).expect("put");
        person.email = Some("chan@example.mo".into());
        store.put(None, &person).expect("edit");
    }
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute(
        "DELETE FROM events WHERE seq = (SELECT min(seq) FROM events WHERE record_id = ?1)",
        [person.id.to_string()],
    )
    .expect("lose the creation");
    person
}

#[test]
fn rebuild_never_drops_a_record_whose_creation_is_missing_from_the_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path()).expect("data dir");
    let person = person_whose_creation_is_lost(dir.path());
    let id = person.id.to_string();

    let verify = run(dir.path(), &["store", "verify"]);
    assert_eq!(verify.status.code(), Some(1), "{}", stdout(&verify));
    assert!(stderr(&verify).contains(&id), "{}", stderr(&verify));

    // `store rebuild` keeps the record, names it with why, and does not claim success.
    let rebuild = run(dir.path(), &["store", "rebuild"]);
    assert_eq!(rebuild.status.code(), Some(1), "{}", stderr(&rebuild));
    let said = stderr(&rebuild);
    assert!(said.contains(&id) && said.contains("created this record is missing"), "{said}");
    assert!(said.contains("1 record could not be rebuilt"), "{said}");
    // Its reader gone, the command still lists what it kept and still says no.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let closed = kiosk(dir.path())
        .args(["--lang", "en", "store", "rebuild"])
        .stdout(writer)
        .output()
        .expect("kiosk runs");
    assert_eq!(closed.status.code(), Some(1), "{}", stderr(&closed));
    assert!(stderr(&closed).contains(&id), "{}", stderr(&closed));
    let export = run(dir.path(), &["export", "--format", "jsonl"]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let line = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|r| r["id"] == id.as_str())
        .expect("the record is still exported");
    assert_eq!(line["name_latin"], "CHAN TAI MAN", "kept whole: {line}");
    assert_eq!(line["email"], "chan@example.mo");
    let search = run(dir.path(), &["search", "--json", "1234567(3)"]);
    assert!(stdout(&search).contains(&id), "still found: {}", stderr(&search));

    let verify = run(dir.path(), &["store", "verify"]);
    assert_eq!(verify.status.code(), Some(1), "still not sound: {}", stdout(&verify));
    assert!(stderr(&verify).contains(&id), "{}", stderr(&verify));
}
