//! The store's one write path, its fold, rebuild, merges between kiosks, and search.

mod common;

use common::*;
use proptest::prelude::*;
use registry::model::*;
use store::{Event, Store, StoreError, StoreOptions, fold};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-11-21 10:00 +8);

#[test]
fn a_write_appends_one_event_with_the_changed_fields_only() {
    let mut store = store_at("K1", NOW);
    let mut person = chan_tai_man();
    let first = store.put(None, &person).expect("put").expect("an event");
    assert!(first.changes.contains_key("name_zh") && first.changes.contains_key("id_document"));

    person.email = Some("chan@example.mo".into());
    let second = store.put(None, &person).expect("put").expect("an event");
    assert_eq!(second.changes.keys().collect::<Vec<_>>(), ["email"]);
    assert!(second.hlc > first.hlc);

    assert!(store.put(None, &person).expect("put").is_none(), "no change, no event");
    assert_eq!(store.get::<Person>(person.id).expect("get"), Some(person.clone()));
    assert_eq!(store.events_of(RecordKind::Person, person.id).expect("events").len(), 2);
}

#[test]
fn an_invalid_record_is_refused_with_every_problem_and_nothing_is_written() {
    let mut store = store_at("K1", NOW);
    let mut person = chan_tai_man();
    person.name_zh = None;
    person.name_latin = None;
    person.email = Some("not-an-email".into());
    person.id_document.number = Sensitive::new("9999999");
    let err = store.put(None, &person).expect_err("must be refused");
    let StoreError::Invalid { problems, .. } = err else { panic!("wrong error: {err}") };
    let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["name", "id_document.number", "email"]);
    assert_eq!(store.stats().expect("stats").events, 0);
}

#[test]
fn a_failed_batch_writes_nothing() {
    let mut store = store_at("K1", NOW);
    let good = chan_tai_man();
    let mut bad = chan_tai_man();
    bad.email = Some("broken".into());
    let result = store.write(None, |w| {
        w.put(&good)?;
        w.put(&bad)?;
        Ok(())
    });
    assert!(result.is_err());
    assert_eq!(store.stats().expect("stats").records, 0);
    assert_eq!(store.get::<Person>(good.id).expect("get"), None);
}

#[test]
fn the_state_is_rebuilt_from_the_events_alone() {
    let mut store = store_at("K1", NOW);
    let mut person = chan_tai_man();
    store.put(None, &person).expect("put");
    person.phone = Some(Sensitive::new("+853 6000 0001"));
    store.put(None, &person).expect("put");
    let cert = certificate_for(&person, "0a1b2c3d");
    store.put(None, &cert).expect("put");

    store.rebuild().expect("rebuild");
    assert_eq!(store.get::<Person>(person.id).expect("get"), Some(person.clone()));
    assert_eq!(store.get::<Certificate>(cert.id).expect("get"), Some(cert));
    assert!(store.verify().expect("verify").is_empty());
    // The indexes are rebuilt too.
    assert_eq!(store.find_by_serial("0A:1B:2C:3D", 5).expect("search").len(), 1);
    assert_eq!(store.find_by_phone("60000001", 5).expect("search").len(), 1);
}

#[test]
fn two_kiosks_editing_different_fields_both_keep_their_edit() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW + time::Duration::seconds(1));
    let person = chan_tai_man();
    let created = a.put(None, &person).expect("put").expect("event");
    b.write(None, |w| w.apply_event(&created)).expect("replicate");

    let mut on_a = person.clone();
    on_a.email = Some("a@example.mo".into());
    let mut on_b = person.clone();
    on_b.phone = Some(Sensitive::new("+853 6999 9999"));
    let ea = a.put(None, &on_a).expect("put").expect("event");
    let eb = b.put(None, &on_b).expect("put").expect("event");

    a.write(None, |w| w.apply_event(&eb)).expect("replicate");
    b.write(None, |w| w.apply_event(&ea)).expect("replicate");
    let merged_a: Person = a.get(person.id).expect("get").expect("present");
    let merged_b: Person = b.get(person.id).expect("get").expect("present");
    assert_eq!(merged_a, merged_b);
    assert_eq!(merged_a.email.as_deref(), Some("a@example.mo"));
    assert_eq!(merged_a.phone, Some(Sensitive::new("+853 6999 9999")));
}

#[test]
fn the_same_field_edited_on_two_kiosks_goes_to_the_later_clock_on_both() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW + time::Duration::seconds(5));
    let person = chan_tai_man();
    let created = a.put(None, &person).expect("put").expect("event");
    b.write(None, |w| w.apply_event(&created)).expect("replicate");
    let mut on_a = person.clone();
    on_a.email = Some("from-a@example.mo".into());
    let mut on_b = person.clone();
    on_b.email = Some("from-b@example.mo".into());
    let ea = a.put(None, &on_a).expect("put").expect("event");
    let eb = b.put(None, &on_b).expect("put").expect("event");
    assert!(eb.hlc > ea.hlc);
    a.write(None, |w| w.apply_event(&eb)).expect("replicate");
    b.write(None, |w| w.apply_event(&ea)).expect("replicate");
    for store in [&a, &b] {
        let merged: Person = store.get(person.id).expect("get").expect("present");
        assert_eq!(merged.email.as_deref(), Some("from-b@example.mo"));
        assert!(store.verify().expect("verify").is_empty());
    }
    // Applying an event twice changes nothing.
    assert!(!a.write(None, |w| w.apply_event(&eb)).expect("replicate"));
}

#[test]
fn the_kiosk_id_and_clock_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let later = NOW;
    let earlier = NOW - time::Duration::hours(1);
    let (kiosk, last) = {
        let mut store =
            Store::open(&path, StoreOptions { kiosk_id: None, now: Box::new(move || later) })
                .expect("open");
        let event = store.put(None, &chan_tai_man()).expect("put").expect("event");
        (store.kiosk_id().to_owned(), event.hlc)
    };
    // The wall clock went back an hour (a bad RTC battery): the next event still sorts after.
    let mut store =
        Store::open(&path, StoreOptions { kiosk_id: None, now: Box::new(move || earlier) })
            .expect("reopen");
    assert_eq!(store.kiosk_id(), kiosk);
    let next = store.put(None, &chan_tai_man()).expect("put").expect("event");
    assert!(next.hlc > last, "{} <= {}", next.hlc, last);
}

#[test]
fn a_store_from_a_newer_kiosk_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    drop(Store::open(&path, StoreOptions::default()).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.pragma_update(None, "user_version", 99).expect("pragma");
    drop(conn);
    let err = Store::open(&path, StoreOptions::default()).expect_err("newer schema");
    assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }), "{err}");
    let before = std::fs::read(&path).expect("read");
    let _ = Store::open(&path, StoreOptions::default());
    assert_eq!(std::fs::read(&path).expect("read"), before, "the newer store was left untouched");
}

#[test]
fn personal_data_stays_out_of_debug_output() {
    let person = chan_tai_man();
    let mut store = store_at("K1", NOW);
    let event = store.put(None, &person).expect("put").expect("event");
    for text in [format!("{person:?}"), format!("{event:?}")] {
        assert!(!text.contains("1234567"), "ID number leaked: {text}");
        assert!(!text.contains("6612"), "phone leaked: {text}");
    }
}

fn search_fixture() -> (Store, Vec<Person>) {
    let mut store = store_at("K1", NOW);
    let people = vec![
        chan_tai_man(),
        person(
            Some("李大文"),
            "LEI TAI MAN",
            IdDocumentKind::HongKongResident,
            "A123456(3)",
            "+852 9123 4567",
        ),
        person(
            Some("張偉"),
            "ZHANG WEI",
            IdDocumentKind::MainlandResident,
            "11010519491231002X",
            "13800138000",
        ),
        person(
            None,
            "MARIA FERNANDA SOUSA",
            IdDocumentKind::Passport,
            "CB1234567",
            "+853 6290 7788",
        ),
    ];
    for p in &people {
        store.put(None, p).expect("put");
    }
    (store, people)
}

fn names(hits: &[store::SubscriberHit]) -> Vec<String> {
    let mut out: Vec<String> =
        hits.iter().map(|h| h.name_latin.clone().unwrap_or_default()).collect();
    out.sort();
    out
}

#[test]
fn names_are_found_by_any_part_chinese_or_latin() {
    let (store, _) = search_fixture();
    let find = |q: &str| names(&store.find_by_name(q, 10).expect("search"));
    assert_eq!(
        find("大文"),
        ["CHAN TAI MAN", "LEI TAI MAN"],
        "two characters of a three-character name"
    );
    assert_eq!(find("文"), ["CHAN TAI MAN", "LEI TAI MAN"], "one character");
    assert_eq!(find("陳大文"), ["CHAN TAI MAN"]);
    assert_eq!(find("張偉"), ["ZHANG WEI"]);
    assert_eq!(find("tai man"), ["CHAN TAI MAN", "LEI TAI MAN"], "Latin, any case");
    assert_eq!(find("ERNAND"), ["MARIA FERNANDA SOUSA"], "a Latin substring");
    assert_eq!(find("so"), ["MARIA FERNANDA SOUSA"], "two letters match word starts");
    assert!(find("陳李").is_empty());
    assert!(find("\"").is_empty(), "a quote is searched for, not parsed");
    assert_eq!(find("陳\0大文"), ["CHAN TAI MAN"], "a scanner's NUL is dropped");
}

#[test]
fn id_numbers_phones_and_serials_are_found_however_they_are_typed() {
    let (mut store, people) = search_fixture();
    let cert = certificate_for(&people[1], "00f3a9c4e1");
    store.put(None, &cert).expect("put");
    let one = |hits: Vec<store::SubscriberHit>| names(&hits);
    assert_eq!(one(store.find_by_id_number("a123456 (3)", 5).expect("q")), ["LEI TAI MAN"]);
    assert_eq!(one(store.find_by_id_number("11010519491231002x", 5).expect("q")), ["ZHANG WEI"]);
    assert_eq!(one(store.find_by_phone("9123 4567", 5).expect("q")), ["LEI TAI MAN"]);
    assert_eq!(one(store.find_by_phone("138-0013-8000", 5).expect("q")), ["ZHANG WEI"]);
    assert!(store.find_by_phone("4567", 5).expect("q").is_empty(), "too few digits to search");
    assert_eq!(one(store.find_by_serial("F3:A9:C4:E1", 5).expect("q")), ["LEI TAI MAN"]);
    // The search box tries every way at once.
    let hits = store.search("A1234563", 5).expect("q");
    assert_eq!(hits[0].matched_by, store::MatchedBy::IdNumber);
    assert_eq!(names(&store.search("大文", 5).expect("q")), ["CHAN TAI MAN", "LEI TAI MAN"]);
}

#[test]
fn a_renamed_subscriber_is_found_by_the_new_name_only() {
    let (mut store, mut people) = search_fixture();
    people[0].name_zh = Some("陳小明".into());
    store.put(None, &people[0]).expect("put");
    assert_eq!(names(&store.find_by_name("大文", 10).expect("q")), ["LEI TAI MAN"]);
    assert_eq!(names(&store.find_by_name("小明", 10).expect("q")), ["CHAN TAI MAN"]);
}

fn event_strategy() -> impl Strategy<Value = Vec<Event>> {
    let fields = prop::sample::select(vec!["email", "phone", "name_zh", "status"]);
    let one = (fields, 0u64..50, 0u32..3, prop::sample::select(vec!["KA", "KB", "KC"]), 0i64..100);
    prop::collection::vec(one, 1..24).prop_map(|raw| {
        let id = ulid::Ulid::from_parts(1, 1);
        raw.into_iter()
            .map(|(field, wall, counter, node, value)| Event {
                event_id: ulid::Ulid::new(),
                hlc: registry::hlc::Hlc { wall_ms: wall, counter, node: node.into() },
                kiosk: node.into(),
                clerk: None,
                record_kind: RecordKind::Person,
                record_id: id,
                changes: serde_json::Map::from_iter([(
                    field.to_string(),
                    serde_json::json!(value),
                )]),
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn the_fold_is_the_same_in_any_order_and_with_repeats(
        events in event_strategy(),
        seed in any::<u64>(),
    ) {
        let forward = fold(&events);
        let mut shuffled = events.clone();
        // A deterministic shuffle from the seed, plus every event delivered twice.
        let len = shuffled.len();
        for i in (1..len).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        shuffled.extend(events.iter().cloned());
        let shuffled_fold = fold(&shuffled);
        // Clocks may tie here (the generator reuses node and instant, as two kiosks sharing an
        // id would): the event id still decides, so the order of arrival never matters.
        prop_assert_eq!(forward, shuffled_fold);
    }
}

#[test]
fn an_edit_from_a_stale_copy_keeps_what_other_kiosks_changed() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW + time::Duration::seconds(1));
    let person = chan_tai_man();
    let created = a.put(None, &person).expect("put").expect("event");
    b.write(None, |w| w.apply_event(&created)).expect("replicate");
    // The clerk on A opens the record; meanwhile B's change of phone arrives.
    let on_screen: Person = a.get(person.id).expect("get").expect("present");
    let mut on_b = person.clone();
    on_b.phone = Some(Sensitive::new("+853 6999 9999"));
    let eb = b.put(None, &on_b).expect("put").expect("event");
    a.write(None, |w| w.apply_event(&eb)).expect("replicate");
    // The clerk saves a new e-mail from the copy opened before B's change.
    let mut edited = on_screen.clone();
    edited.email = Some("new@example.mo".into());
    let event = a.write(None, |w| w.edit(&on_screen, &edited)).expect("edit").expect("event");
    assert_eq!(event.changes.keys().collect::<Vec<_>>(), ["email"]);
    let now: Person = a.get(person.id).expect("get").expect("present");
    assert_eq!(now.email.as_deref(), Some("new@example.mo"));
    assert_eq!(now.phone, Some(Sensitive::new("+853 6999 9999")), "B's change survived");
    // An edit that makes the record invalid is refused whole.
    let mut broken = now.clone();
    broken.email = Some("broken".into());
    assert!(a.write(None, |w| w.edit(&now, &broken)).is_err());
}

fn draft_application() -> registry::application::Application {
    use registry::application::{Application, DocumentKind};
    let mut app = Application::draft(
        ulid::Ulid::new(),
        Service::Renewal,
        ulid::Ulid::new(),
        HolderKind::Person,
        CertificateClass::Standard,
        NOW,
    );
    app.certificates = vec![ulid::Ulid::new()];
    app.documents = vec![DocumentKind::SignedApplicationForm, DocumentKind::ApplicantId];
    app.consent_given = true;
    app.agreement_accepted = true;
    app
}

#[test]
fn applications_move_only_by_transition_and_each_step_is_audited() {
    use registry::application::{Actor, ApplicationAction, ApplicationState};
    use registry::audit::{AuditAction, AuditEvent};
    let mut store = store_at("K1", NOW);
    let clerk = Actor { clerk: ulid::Ulid::new(), role: StaffRole::Clerk };
    let mut app = draft_application();
    app.progress.state = ApplicationState::Completed;
    assert!(store.put(Some(clerk.clerk), &app).is_err(), "created past the draft");
    app.progress.state = ApplicationState::Draft;
    store.put(Some(clerk.clerk), &app).expect("draft");

    let submitted = store
        .write(Some(clerk.clerk), |w| {
            w.transition(app.id, ApplicationAction::Submit { organisation: None }, clerk)
        })
        .expect("submit");
    assert_eq!(submitted.state(), ApplicationState::UnderReview);
    // A plain write cannot move it on, nor back.
    let mut skipped = submitted.clone();
    skipped.progress.state = ApplicationState::Completed;
    assert!(store.put(None, &skipped).is_err());
    let illegal = store.write(None, |w| w.transition(app.id, ApplicationAction::Complete, clerk));
    assert!(matches!(illegal, Err(StoreError::Transition(_))), "{illegal:?}");

    let audits: Vec<AuditEvent> = store.list().expect("list");
    assert_eq!(audits.len(), 1, "one step, one audit event (the refused one left none)");
    assert_eq!(audits[0].clerk, Some(clerk.clerk));
    assert_eq!(
        audits[0].action,
        AuditAction::ApplicationTransition {
            action: "submit".into(),
            from: "draft".into(),
            to: "under_review".into()
        }
    );
    let stored: registry::application::Application = store.get(app.id).expect("get").expect("app");
    assert_eq!(stored.state(), ApplicationState::UnderReview);
}

#[test]
fn replicated_events_that_no_honest_kiosk_sends_are_refused() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW);
    let event = a.put(None, &chan_tai_man()).expect("put").expect("event");

    let mut own = event.clone();
    own.kiosk = "KB".into();
    own.hlc.node = "KB".into();
    let err = b.write(None, |w| w.apply_event(&own)).expect_err("claims to be B");
    assert!(err.to_string().contains("share one id"), "{err}");

    let mut mismatched = event.clone();
    mismatched.kiosk = "KC".into();
    assert!(matches!(b.write(None, |w| w.apply_event(&mismatched)), Err(StoreError::BadEvent(_))));

    let mut renamed = event.clone();
    renamed.changes.insert("id".into(), serde_json::json!(ulid::Ulid::new().to_string()));
    assert!(matches!(b.write(None, |w| w.apply_event(&renamed)), Err(StoreError::BadEvent(_))));

    let mut future = event.clone();
    future.hlc.wall_ms += 2 * store::MAX_CLOCK_AHEAD_MS;
    assert!(matches!(
        b.write(None, |w| w.apply_event(&future)),
        Err(StoreError::ClockAhead { .. })
    ));

    assert_eq!(b.stats().expect("stats").events, 0, "nothing refused was kept");
    assert!(b.write(None, |w| w.apply_event(&event)).expect("honest event"));
}

#[test]
fn verify_finds_damage_and_rebuild_mends_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let (person, cert) = {
        let mut store = Store::open(&path, StoreOptions::default()).expect("open");
        let person = chan_tai_man();
        let cert = certificate_for(&person, "0a1b2c3d");
        store.put(None, &person).expect("put");
        store.put(None, &cert).expect("put");
        assert!(store.verify().expect("verify").is_empty());
        (person, cert)
    };
    let damage = [
        "UPDATE records SET state = json_set(state, '$.email', 'x@y.z') WHERE kind = 'person'",
        "UPDATE records SET clocks = '{}' WHERE kind = 'certificate'",
        "DELETE FROM subscriber_grams",
        "DELETE FROM certificate_serials",
        "DELETE FROM subscriber_names",
    ];
    for sql in damage {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch(sql).expect("damage");
        drop(conn);
        let mut store = Store::open(&path, StoreOptions::default()).expect("open");
        let bad = store.verify().expect("verify");
        assert!(!bad.is_empty(), "verify missed: {sql}");
        store.rebuild().expect("rebuild");
        assert!(store.verify().expect("verify").is_empty(), "rebuild did not mend: {sql}");
        assert_eq!(store.get::<Person>(person.id).expect("get"), Some(person.clone()));
        assert_eq!(store.find_by_name("大文", 5).expect("q").len(), 1);
        assert_eq!(
            store.find_by_serial(cert.serial.as_deref().unwrap_or_default(), 5).expect("q").len(),
            1
        );
    }
    // A record missing altogether.
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute("DELETE FROM records WHERE kind = 'certificate'", []).expect("damage");
    drop(conn);
    let store = Store::open(&path, StoreOptions::default()).expect("open");
    assert!(store.verify().expect("verify").contains(&(RecordKind::Certificate, cert.id)));
}

#[test]
fn replicas_given_the_same_events_in_any_order_agree_on_export_and_search() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW + time::Duration::seconds(2));
    let mut events = Vec::new();
    let mut people = vec![chan_tai_man(), chan_tai_man()];
    for p in &people {
        events.push(a.put(None, p).expect("put").expect("event"));
    }
    people[0].name_zh = Some("陳小明".into());
    events.push(a.put(None, &people[0]).expect("put").expect("event"));
    people[1].email = Some("b@example.mo".into());
    events.push(
        b.write(None, |w| {
            w.apply_event(&events[1])?;
            w.put(&people[1])
        })
        .expect("put")
        .expect("event"),
    );

    let mut forward = store_at("KC", NOW + time::Duration::seconds(5));
    let mut backward = store_at("KD", NOW + time::Duration::seconds(5));
    forward
        .write(None, |w| events.iter().try_for_each(|e| w.apply_event(e).map(drop)))
        .expect("apply");
    backward
        .write(None, |w| events.iter().rev().try_for_each(|e| w.apply_event(e).map(drop)))
        .expect("apply");
    let export = |s: &Store| {
        let mut out = Vec::new();
        s.export_jsonl(&mut out).expect("export");
        String::from_utf8(out).expect("utf-8")
    };
    assert_eq!(export(&forward), export(&backward));
    for store in [&forward, &backward] {
        assert_eq!(store.find_by_name("小明", 5).expect("q").len(), 1);
        assert!(store.find_by_name("陳大文", 5).expect("q").len() == 1, "only the second person");
        assert!(store.verify().expect("verify").is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever a clerk (or a scanner) types into the search box, search answers: FTS5 syntax,
    /// quotes, NUL, control characters and any script are searched for, never interpreted.
    #[test]
    fn any_search_text_gets_an_answer(text in "\\PC{0,12}|[\"*():^\\-+ NEAROR]{0,12}|.{0,6}") {
        let (store, _) = search_fixture();
        prop_assert!(store.search(&text, 10).is_ok(), "search({text:?}) failed");
        prop_assert!(store.find_by_name(&text, 10).is_ok());
        prop_assert!(store.find_by_id_number(&text, 10).is_ok());
        prop_assert!(store.find_by_phone(&text, 10).is_ok());
        prop_assert!(store.find_by_serial(&text, 10).is_ok());
    }
}
