//! What replication needs of the store: the log read by arrival order from a cursor, and fields
//! a newer build added kept through this build's writes.

mod common;

use common::*;
use registry::model::*;
use serde_json::json;
use store::{Event, Store};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-11-21 10:00 +8);

fn export(store: &Store) -> String {
    let mut out = Vec::new();
    store.export_jsonl(&mut out).expect("export");
    String::from_utf8(out).expect("utf-8")
}

/// An event of kiosk `kiosk` (a newer build) setting `field` of `person`, one second on.
fn newer_field(created: &Event, kiosk: &str, field: &str, value: serde_json::Value) -> Event {
    let mut event = created.clone();
    event.event_id = ulid::Ulid::new();
    event.kiosk = kiosk.into();
    event.hlc.node = kiosk.into();
    event.hlc.wall_ms += 1000;
    event.changes = serde_json::Map::from_iter([(field.to_owned(), value)]);
    event
}

#[test]
fn a_field_only_a_newer_kiosk_knows_survives_this_kiosks_write() {
    let mut store = store_at("KA", NOW);
    let mut person = chan_tai_man();
    let created = store.put(None, &person).expect("put").expect("event");
    let newer = newer_field(&created, "KNEW", "preferred_language", json!("pt"));
    assert!(store.write(None, |w| w.apply_event(&newer)).expect("apply"));
    // The record still decodes with the field it does not know.
    let stored: Person = store.get(person.id).expect("get").expect("decodes");
    assert_eq!(stored, person);

    person.phone = Some(Sensitive::new("+853 6000 0002"));
    let event = store.put(None, &person).expect("put").expect("a change");
    assert_eq!(event.changes.keys().collect::<Vec<_>>(), ["phone"], "only the phone changed");
    let exported = export(&store);
    assert!(exported.contains(r#""preferred_language":"pt""#), "{exported}");
    assert!(exported.contains("+853 6000 0002"));
    assert!(store.verify().expect("verify").is_empty());
    // Writing the same record again is still no change.
    assert!(store.put(None, &person).expect("put").is_none());
    // A field this build knows and drops is still cleared.
    person.email = None;
    let cleared = store.put(None, &person).expect("put").expect("a change");
    assert_eq!(cleared.changes.get("email"), Some(&serde_json::Value::Null));
    assert!(export(&store).contains(r#""preferred_language":"pt""#));
}

#[test]
fn an_application_step_keeps_a_newer_kiosks_field_too() {
    use registry::application::{Application, ApplicationAction, ApplicationState};
    let mut store = store_at("KA", NOW);
    let clerk = Clerk {
        id: ulid::Ulid::new(),
        username: "ana".into(),
        display_name: "測試職員".into(),
        role: StaffRole::Clerk,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        active: true,
        totp_secret: None,
        totp_period: registry::totp::DEFAULT_PERIOD,
    };
    store.put(None, &clerk).expect("clerk");
    let app = Application::draft(
        ulid::Ulid::new(),
        Service::NewIssuance,
        ulid::Ulid::new(),
        HolderKind::Person,
        CertificateClass::Standard,
        NOW,
    );
    let created = store.put(Some(clerk.id), &app).expect("put").expect("event");
    let newer = newer_field(&created, "KNEW", "channel", json!("online"));
    store.write(None, |w| w.apply_event(&newer)).expect("apply");
    let cancelled = store
        .write(None, |w| w.transition(app.id, ApplicationAction::Cancel, clerk.id))
        .expect("cancel");
    assert_eq!(cancelled.state(), ApplicationState::Cancelled);
    assert!(export(&store).contains(r#""channel":"online""#));
}

#[test]
fn events_since_reads_the_log_in_arrival_order_from_a_cursor() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW);
    assert_eq!(b.last_seq().expect("seq"), 0);
    assert!(b.events_since(0, 10).expect("since").is_empty());
    let people = [chan_tai_man(), chan_tai_man()];
    let from_a = a.put(None, &people[0]).expect("put").expect("event");
    let own = b.put(None, &people[1]).expect("put").expect("event");
    b.write(None, |w| w.apply_event(&from_a)).expect("apply");
    let mut edited = people[1].clone();
    edited.email = Some("b@example.mo".into());
    let edit = b.put(None, &edited).expect("put").expect("event");

    let all = b.events_since(0, 10).expect("since");
    let ids: Vec<_> = all.iter().map(|(_, e)| e.event_id).collect();
    assert_eq!(ids, [own.event_id, from_a.event_id, edit.event_id], "arrival order");
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "seqs rise");
    assert_eq!(b.last_seq().expect("seq"), all[2].0);
    let page = b.events_since(all[0].0, 1).expect("page");
    assert_eq!(page.len(), 1, "the limit holds");
    assert_eq!(page[0].1, from_a);
    assert!(b.events_since(all[2].0, 10).expect("since").is_empty());
}
