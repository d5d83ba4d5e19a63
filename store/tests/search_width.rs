//! Search as typed on a CJK keyboard: full-width digits and letters find what plain ones find,
//! while Chinese characters, compatibility ideographs included, stay as written.

mod common;

use common::*;
use registry::model::*;
use store::{Store, StoreOptions};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-11-21 10:00 +8);

fn ids(hits: &[store::SubscriberHit]) -> Vec<ulid::Ulid> {
    hits.iter().map(|h| h.id).collect()
}

#[test]
fn full_width_id_numbers_phones_serials_and_names_find_the_subscriber() {
    let mut store = store_at("K1", NOW);
    let person = chan_tai_man(); // 1234567(3), +853 6612 3456
    store.put(None, &person).expect("put");
    store.put(None, &certificate_for(&person, "0a1b2c3d")).expect("put");
    for query in [
        "１２３４５６７３",
        "１２３４５６７（３）",
        "＋８５３\u{3000}６６１２\u{3000}３４５６",
        "６６１２３４５６",
        "０Ａ：１Ｂ：２Ｃ：３Ｄ",
        "ＣＨＡＮ",
        "ｃｈ",
        "ＴＡＩ ＭＡＮ",
    ] {
        assert_eq!(ids(&store.search(query, 5).expect("search")), [person.id], "{query}");
    }
    assert_eq!(ids(&store.find_by_id_number("１２３４５６７（３）", 5).expect("q")), [person.id]);
    assert_eq!(ids(&store.find_by_phone("６６１２３４５６", 5).expect("q")), [person.id]);
    assert_eq!(ids(&store.find_by_serial("０ａ１ｂ２ｃ３ｄ", 5).expect("q")), [person.id]);
    assert_eq!(ids(&store.find_by_name("ｔａ", 5).expect("q")), [person.id]);
}

#[test]
fn a_latin_name_stored_full_width_is_found_typed_plainly_and_shown_as_written() {
    let mut store = store_at("K1", NOW);
    let mut person = chan_tai_man();
    person.name_latin = Some("ＬＥＯＮＧ ＫＡ ＷＡＩ".into());
    store.put(None, &person).expect("put");
    for query in ["leong", "Le", "KA WAI", "ｌｅｏｎｇ"] {
        let hits = store.search(query, 5).expect("search");
        assert_eq!(ids(&hits), [person.id], "{query}");
        assert_eq!(hits[0].name_latin.as_deref(), Some("ＬＥＯＮＧ ＫＡ ＷＡＩ"));
    }
    assert!(store.verify().expect("verify").is_empty());
}

#[test]
fn compatibility_ideographs_in_names_stay_as_written() {
    let mut store = store_at("K1", NOW);
    // U+F9F4 is a compatibility ideograph; NFKC would make it U+6797 林. The two people are
    // kept apart, as their documents write them.
    let compat = "\u{F9F4}大文";
    let mut written = chan_tai_man();
    written.name_zh = Some(compat.into());
    written.name_latin = Some("LAM TAI MAN".into());
    let mut unified = chan_tai_man();
    unified.name_zh = Some("林大文".into());
    unified.name_latin = Some("LAM TAI MAN".into());
    unified.id_document.number = Sensitive::new("5123456(7)");
    store.put(None, &written).expect("put");
    store.put(None, &unified).expect("put");
    for query in [compat, "\u{F9F4}大", "\u{F9F4}"] {
        let hits = store.find_by_name(query, 5).expect("search");
        assert_eq!(ids(&hits), [written.id], "{query}");
        assert_eq!(hits[0].name_zh.as_deref(), Some(compat));
    }
    assert_eq!(ids(&store.find_by_name("林大文", 5).expect("q")), [unified.id]);
    assert_eq!(ids(&store.find_by_name("林", 5).expect("q")), [unified.id]);
    assert!(store.verify().expect("verify").is_empty());
}

/// What a store written before search folded full-width forms holds for `id`: the search keys
/// and name entries as that build computed them.
fn index_as_before_folding(path: &std::path::Path, id: ulid::Ulid, names: &str, grams: &[&str]) {
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    let rid: i64 = conn
        .query_row("SELECT rid FROM subscribers WHERE id = ?1", [id.to_string()], |r| r.get(0))
        .expect("indexed");
    conn.execute("UPDATE subscribers SET id_number = NULL WHERE rid = ?1", [rid]).expect("key");
    conn.execute("DELETE FROM subscriber_names WHERE rowid = ?1", [rid]).expect("fts");
    conn.execute(
        "INSERT INTO subscriber_names (rowid, names) VALUES (?1, ?2)",
        rusqlite::params![rid, names],
    )
    .expect("fts");
    conn.execute("DELETE FROM subscriber_grams WHERE rid = ?1", [rid]).expect("grams");
    for gram in grams {
        conn.execute(
            "INSERT INTO subscriber_grams (gram, rid) VALUES (?1, ?2)",
            rusqlite::params![gram, rid],
        )
        .expect("gram");
    }
    // Schema 1 had neither the re-index requests nor the links index (migration 3), nor the
    // outbox (migration 5), nor the token serial index (migration 6).
    conn.execute_batch(
        "DELETE FROM meta WHERE key IN ('reindex_search', 'relink'); DROP TABLE record_links;
         DROP TABLE mail_outbox; DROP TABLE email_codes; DROP INDEX records_token_by_serial;
         PRAGMA user_version = 1;",
    )
    .expect("schema 1");
}

#[test]
fn a_store_indexed_before_folding_is_reindexed_on_open_and_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let options = || StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) };
    let organisation = Organisation {
        id: ulid::Ulid::new(),
        name_zh: Some("澳門貿易行".into()),
        name_latin: Some("ＡＢＣ Ｔｒａｄｉｎｇ".into()),
        registration: OrganisationRegistration {
            kind: RegistrationKind::MacauCommercialRegistry,
            number: "ＳＯ１２３４５".into(),
        },
        legal_representative: None,
        licence_valid_until: None,
        address: None,
        phone: None,
        website: None,
    };
    let person = chan_tai_man();
    {
        let mut store = Store::open(&path, options()).expect("open");
        store.put(None, &organisation).expect("put");
        store.put(None, &person).expect("put");
    }
    let grams =
        ["澳", "澳門", "門", "門貿", "貿", "貿易", "易", "易行", "行", "ａ", "ａｂ", "ｔ", "ｔｒ"];
    index_as_before_folding(&path, organisation.id, "澳門貿易行\nＡＢＣ Ｔｒａｄｉｎｇ", &grams);

    let store = Store::open(&path, options()).expect("open migrates");
    assert!(store.verify().expect("verify").is_empty(), "the old store verifies after the upgrade");
    for query in ["SO12345", "ＳＯ１２３４５", "abc", "ａｂ", "trading", "貿易"] {
        assert_eq!(ids(&store.search(query, 5).expect("search")), [organisation.id], "{query}");
    }
    assert_eq!(ids(&store.search("陳大文", 5).expect("search")), [person.id]);
    // Migrations 3 to 6 (the audit index, the links, the outbox, the token serial index) run on
    // this set-back store and change no search key.
    assert_eq!(store::SCHEMA_VERSION, 6, "a new migration: make this store as schema 1 had it");
}
