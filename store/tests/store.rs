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

fn staff(store: &mut Store, role: StaffRole, active: bool) -> ulid::Ulid {
    let clerk = Clerk {
        id: ulid::Ulid::new(),
        username: format!("u{}", ulid::Ulid::new().to_string().to_lowercase()),
        display_name: "測試職員".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        active,
        totp_secret: None,
        totp_period: registry::totp::DEFAULT_PERIOD,
    };
    store.put(None, &clerk).expect("clerk");
    clerk.id
}

#[test]
fn applications_move_only_by_transition_and_each_step_is_audited() {
    use registry::application::{ApplicationAction, ApplicationState};
    use registry::audit::{AuditAction, AuditEvent};
    let mut store = store_at("K1", NOW);
    let clerk = staff(&mut store, StaffRole::Clerk, true);
    let mut app = draft_application();
    app.progress.state = ApplicationState::Completed;
    assert!(store.put(Some(clerk), &app).is_err(), "created past the draft");
    app.progress.state = ApplicationState::Draft;
    store.put(Some(clerk), &app).expect("draft");

    let submitted = store
        .write(None, |w| {
            w.transition(app.id, ApplicationAction::Submit { organisation: None }, clerk)
        })
        .expect("submit");
    assert_eq!(submitted.state(), ApplicationState::UnderReview);
    // A plain write cannot move it on, nor change what was vetted.
    let mut skipped = submitted.clone();
    skipped.progress.state = ApplicationState::Completed;
    assert!(store.put(None, &skipped).is_err());
    let mut altered = submitted.clone();
    altered.validity_years = 5;
    assert!(store.write(None, |w| w.edit(&submitted, &altered)).is_err(), "vetted data froze");
    let mut readdressed = submitted.clone();
    readdressed.mailing_address = Some("澳門新馬路 1 號".into());
    assert!(store.put(None, &readdressed).is_ok(), "the mailing address may still change");
    let illegal = store.write(None, |w| w.transition(app.id, ApplicationAction::Complete, clerk));
    assert!(matches!(illegal, Err(StoreError::Transition(_))), "{illegal:?}");

    let audits: Vec<AuditEvent> = store.list().expect("list");
    assert_eq!(audits.len(), 1, "one step, one audit event (the refused one left none)");
    assert_eq!(audits[0].clerk, Some(clerk));
    assert_eq!(
        audits[0].action,
        AuditAction::ApplicationTransition {
            action: "submit".into(),
            from: "draft".into(),
            to: "under_review".into()
        }
    );
    // The event that moved the application names the clerk who acted.
    let events = store.events_of(RecordKind::Application, app.id).expect("events");
    let step = events.iter().find(|e| e.changes.contains_key("progress") && e.changes.len() == 1);
    assert_eq!(step.and_then(|e| e.clerk), Some(clerk));
    // Audit events are written once.
    let mut rewritten = audits[0].clone();
    rewritten.clerk = None;
    assert!(store.put(None, &rewritten).is_err());
}

#[test]
fn the_acting_role_comes_from_the_clerk_record_and_inactive_clerks_cannot_act() {
    use registry::application::{ApplicationAction, ApplicationState};
    let mut store = store_at("K1", NOW);
    let clerk = staff(&mut store, StaffRole::Clerk, true);
    let supervisor = staff(&mut store, StaffRole::Supervisor, true);
    let retired = staff(&mut store, StaffRole::Supervisor, false);
    let mut app = draft_application();
    app.service = Service::PinUnlock; // always needs a supervisor
    store.put(None, &app).expect("draft");
    store
        .write(None, |w| {
            w.transition(app.id, ApplicationAction::Submit { organisation: None }, clerk)?;
            let fee = Money::zero(Currency::Mop);
            w.transition(app.id, ApplicationAction::PassVetting { fee }, clerk)
        })
        .expect("vetted");
    let approve = |store: &mut Store, who| {
        store.write(None, |w| w.transition(app.id, ApplicationAction::Approve, who))
    };
    assert!(matches!(
        approve(&mut store, clerk),
        Err(StoreError::Transition(registry::application::TransitionError::SupervisorRequired))
    ));
    assert!(matches!(approve(&mut store, retired), Err(StoreError::ClerkInactive(_))));
    assert!(matches!(approve(&mut store, ulid::Ulid::new()), Err(StoreError::NotFound { .. })));
    let approved = approve(&mut store, supervisor).expect("approve");
    assert_eq!(approved.state(), ApplicationState::AwaitingFulfilment);
}

#[test]
fn a_revocation_survives_a_concurrent_suspension_on_another_counter() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW + time::Duration::seconds(30));
    let person = chan_tai_man();
    let cert = certificate_for(&person, "0a1b");
    let created = a.put(None, &cert).expect("put").expect("event");
    b.write(None, |w| w.apply_event(&created)).expect("replicate");
    let mut revoked = cert.clone();
    revoked.revoke(NOW, RevocationReason::KeyCompromise, &mut []).expect("revoke");
    let ea = a.put(None, &revoked).expect("put").expect("event");
    // B's clock is later: plain last-writer-wins would let the suspension win.
    let suspended = Certificate { status: CertificateStatus::Suspended, ..cert.clone() };
    let eb = b.put(None, &suspended).expect("put").expect("event");
    assert!(eb.hlc > ea.hlc);
    a.write(None, |w| w.apply_event(&eb)).expect("replicate");
    b.write(None, |w| w.apply_event(&ea)).expect("replicate");
    for store in [&a, &b] {
        let merged: Certificate = store.get(cert.id).expect("get").expect("present");
        assert_eq!(merged.status, CertificateStatus::Revoked);
        assert!(merged.revocation.is_some());
        assert!(store.verify().expect("verify").is_empty());
    }
}

#[test]
fn two_handles_on_one_file_take_turns_and_keep_one_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let open =
        || Store::open(&path, StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) });
    let mut ui = open().expect("open");
    let mut command = open().expect("open");
    let mut person = chan_tai_man();
    let first = ui.put(None, &person).expect("put").expect("event");
    person.email = Some("second@example.mo".into());
    let second = command.put(None, &person).expect("put").expect("event");
    person.email = Some("third@example.mo".into());
    let third = ui.put(None, &person).expect("put").expect("event");
    // Each handle stamps after what the other wrote, though neither reopened.
    assert!(
        first.hlc < second.hlc && second.hlc < third.hlc,
        "{} {} {}",
        first.hlc,
        second.hlc,
        third.hlc
    );
    let stored: Person = command.get(person.id).expect("get").expect("present");
    assert_eq!(stored.email.as_deref(), Some("third@example.mo"));
    assert!(command.verify().expect("verify").is_empty());
}

#[test]
fn renewals_due_and_the_days_appointments_come_from_their_indexes() {
    let mut store = store_at("K1", NOW);
    let person = chan_tai_man();
    store.put(None, &person).expect("put");
    let expiring = |days: i64, serial: &str| {
        let mut cert = certificate_for(&person, serial);
        cert.not_before = Some(NOW - time::Duration::days(300));
        cert.not_after = Some(NOW + time::Duration::days(days));
        cert
    };
    for (days, serial) in [(5, "01"), (29, "02"), (31, "03"), (-2, "04"), (400, "05")] {
        store.put(None, &expiring(days, serial)).expect("put");
    }
    let due = store.renewals_due(NOW, 30).expect("due");
    let serials: Vec<_> = due.iter().filter_map(|c| c.serial.as_deref()).collect();
    assert_eq!(serials, ["01", "02"]);

    let slot = |hours: i64| Appointment {
        id: ulid::Ulid::new(),
        reference: format!("B{hours}"),
        person: None,
        organisation: None,
        booked_name: "陳大文".into(),
        service: Service::Renewal,
        slot: NOW + time::Duration::hours(hours),
        status: AppointmentStatus::Booked,
    };
    for hours in [-11, 1, 5, 13, 30] {
        store.put(None, &slot(hours)).expect("put");
    }
    // NOW is 10:00 at +08:00: the office's day runs from -10 h to +14 h.
    let midnight = NOW.replace_time(time::Time::MIDNIGHT);
    let today = store.appointments_between(midnight, midnight + time::Duration::DAY).expect("day");
    let refs: Vec<_> = today.iter().map(|a| a.reference.as_str()).collect();
    assert_eq!(refs, ["B1", "B5", "B13"]);
}

#[test]
fn a_record_whose_creation_has_not_arrived_hides_nothing_else() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW);
    let people = [chan_tai_man(), chan_tai_man()];
    let mut events = Vec::new();
    for p in &people {
        events.push(a.put(None, p).expect("put").expect("event"));
    }
    let mut later = people[1].clone();
    later.email = Some("later@example.mo".into());
    let update = a.put(None, &later).expect("put").expect("event");
    // B gets the first person whole, and only the update of the second, each in its own write.
    b.write(None, |w| w.apply_event(&events[0])).expect("replicate");
    b.write(None, |w| w.apply_event(&update)).expect("replicate");
    let listed: Vec<Person> = b.list().expect("list");
    assert_eq!(listed.len(), 1, "the half-arrived record is left out, the whole one listed");
    assert_eq!(b.find_by_name("陳大文", 5).expect("q").len(), 1);
    // Its creation arrives: now both are whole.
    b.write(None, |w| w.apply_event(&events[1])).expect("replicate");
    assert_eq!(b.list::<Person>().expect("list").len(), 2);
    assert!(b.verify().expect("verify").is_empty());

    let mut empty = update.clone();
    empty.event_id = ulid::Ulid::new();
    empty.changes.clear();
    assert!(matches!(b.write(None, |w| w.apply_event(&empty)), Err(StoreError::BadEvent(_))));
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
        store
            .put(
                None,
                &Appointment {
                    id: ulid::Ulid::new(),
                    reference: "B1".into(),
                    person: Some(person.id),
                    organisation: None,
                    booked_name: "陳大文".into(),
                    service: Service::Renewal,
                    slot: NOW,
                    status: AppointmentStatus::Booked,
                },
            )
            .expect("put");
        assert!(store.verify().expect("verify").is_empty());
        (person, cert)
    };
    let damage = [
        "UPDATE records SET state = json_set(state, '$.email', 'x@y.z') WHERE kind = 'person'",
        "UPDATE records SET clocks = '{}' WHERE kind = 'certificate'",
        "DELETE FROM subscriber_grams",
        "DELETE FROM certificate_index",
        "DELETE FROM appointment_index",
        "UPDATE subscribers SET phone = '000'",
        "DELETE FROM subscriber_names",
    ];
    for sql in damage {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch(sql).expect("damage");
        drop(conn);
        let mut store = Store::open(&path, StoreOptions::default()).expect("open");
        let bad = store.verify().unwrap_or_else(|e| panic!("verify after {sql}: {e}"));
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

#[test]
fn audit_events_about_a_record_come_newest_first_and_stop_when_asked() {
    use registry::audit::{AuditAction, AuditEvent};
    use std::ops::ControlFlow;
    let mut store = store_at("K1", NOW);
    let clerk = staff(&mut store, StaffRole::Clerk, true);
    let other = staff(&mut store, StaffRole::Clerk, true);
    let event = |subject, failures| AuditEvent {
        id: ulid::Ulid::new(),
        at: NOW,
        kiosk: "K1".into(),
        clerk: None,
        action: AuditAction::ClerkLocked { failures },
        subject_kind: Some(RecordKind::Clerk),
        subject: Some(subject),
    };
    for n in 1..=4 {
        store.put(None, &event(clerk, n)).expect("audit");
        store.put(None, &event(other, 100 + n)).expect("audit");
    }
    let mut seen = Vec::new();
    store
        .audit_about(clerk, |e| {
            if let AuditAction::ClerkLocked { failures } = e.action {
                seen.push(failures);
            }
            if seen.len() == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .expect("read");
    // Same wall clock for all four: the order is the events' clocks, not their time stamps.
    assert_eq!(seen, [4, 3, 2]);
    // A rebuilt store answers the same (the index is SQLite's own, over the rebuilt rows).
    store.rebuild().expect("rebuild");
    let mut all = 0;
    store
        .audit_about(other, |_| {
            all += 1;
            ControlFlow::Continue(())
        })
        .expect("read");
    assert_eq!(all, 4);
}

#[test]
fn tokens_are_found_by_serial_through_its_index_and_a_serial_held_twice_is_listed() {
    let mut store = store_at("K1", NOW);
    let token = |serial: &str| Token {
        id: ulid::Ulid::new(),
        serial: serial.into(),
        model: None,
        status: TokenStatus::Blank,
        holder_person: None,
        holder_organisation: None,
        pin_failures: 0,
    };
    let (a, b, other) = (token("5A01"), token("5A01"), token("5A02"));
    for t in [&a, &b, &other] {
        store.put(None, t).expect("put");
    }
    let mut both: Vec<_> =
        store.tokens_by_serial("5A01").expect("read").iter().map(|t| t.id).collect();
    both.sort();
    let mut expected = vec![a.id, b.id];
    expected.sort();
    assert_eq!(both, expected);
    assert_eq!(store.token_by_serial("5A02").expect("read").map(|t| t.id), Some(other.id));
    assert!(store.tokens_by_serial("5A03").expect("read").is_empty());
    assert_eq!(store.shared_token_serials().expect("shared"), ["5A01"]);
    // Two persons with one number (written two ways) share one search key; one alone does not.
    let mut first = chan_tai_man();
    first.id_document.number = Sensitive::new("1234567(3)");
    let mut second = chan_tai_man();
    second.id = ulid::Ulid::new();
    second.id_document.number = Sensitive::new("12345673");
    store.put(None, &first).expect("put");
    assert!(store.shared_person_id_number_keys().expect("keys").is_empty());
    store.put(None, &second).expect("put");
    assert_eq!(store.shared_person_id_number_keys().expect("keys"), ["12345673"]);
}
