//! What the day-end needs of the store: a day's events read by their clock, and the closed day
//! kept as a record like any other (links, verify, export).

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use registry::day_end::{DayEnd, Sources, count_day, day_bounds};
use registry::model::*;
use store::{Store, StoreOptions};
use time::OffsetDateTime;
use time::macros::{date, datetime, offset};

fn store_with_clock(kiosk: &str, clock: Arc<Mutex<OffsetDateTime>>) -> Store {
    let now = Box::new(move || *clock.lock().expect("clock"));
    Store::open_in_memory(StoreOptions { kiosk_id: Some(kiosk.into()), now }).expect("open store")
}

fn token(serial: &str) -> Token {
    Token {
        id: ulid::Ulid::new(),
        serial: serial.into(),
        model: None,
        status: TokenStatus::Blank,
        holder_person: None,
        holder_organisation: None,
        pin_failures: 0,
    }
}

#[test]
fn a_days_events_are_read_by_their_clock_in_the_office_zone_and_nothing_else() {
    let clock = Arc::new(Mutex::new(datetime!(2026-11-29 23:59:59.999 +8)));
    let mut store = store_with_clock("K1", clock.clone());
    let before = token("T-BEFORE");
    store.put(None, &before).expect("put");
    *clock.lock().expect("clock") = datetime!(2026-11-30 00:00 +8);
    let first = token("T-FIRST");
    store.put(None, &first).expect("put");
    *clock.lock().expect("clock") = datetime!(2026-11-30 23:59:59.999 +8);
    let last = token("T-LAST");
    store.put(None, &last).expect("put");
    // Another kind in the day is not asked for.
    store.put(None, &chan_tai_man()).expect("put");
    *clock.lock().expect("clock") = datetime!(2026-12-01 00:00 +8);
    store.put(None, &token("T-AFTER")).expect("put");

    let (start, end) = day_bounds(date!(2026 - 11 - 30), offset!(+8));
    let events = store.events_between(RecordKind::Token, start, end).expect("events");
    let ids: Vec<_> = events.iter().map(|e| e.record_id).collect();
    assert_eq!(ids, [first.id, last.id]);
    assert!(events.iter().all(|e| e.kiosk == "K1"));
}

#[test]
fn a_closed_day_is_kept_linked_to_its_supervisor_sound_and_exported() {
    let mut store = store_at("K1", datetime!(2026-11-30 18:00 +8));
    let report = count_day(
        "K1",
        date!(2026 - 11 - 30),
        offset!(+8),
        &Sources { applications: &[], audit: &[], tokens: &[] },
    );
    let supervisor = ulid::Ulid::new();
    let record = DayEnd {
        id: ulid::Ulid::new(),
        kiosk: "K1".into(),
        day: date!(2026 - 11 - 30),
        closed_by: supervisor,
        closed_at: datetime!(2026-11-30 18:00 +8),
        report,
    };
    store.put(Some(supervisor), &record).expect("put");
    assert_eq!(store.get::<DayEnd>(record.id).expect("get"), Some(record.clone()));
    assert_eq!(store.list::<DayEnd>().expect("list"), std::slice::from_ref(&record));
    let links = store.linked_to(supervisor).expect("links");
    assert!(links.iter().any(|l| l.from_kind == RecordKind::DayEnd && l.from_id == record.id));
    assert!(store.verify_report().expect("verify").faults.is_empty());

    let mut edited = record.clone();
    edited.report.forms_printed += 1;
    assert!(store.put(Some(supervisor), &edited).is_err(), "a closed day is never changed");

    let mut out = Vec::new();
    store.export_jsonl(&mut out).expect("export");
    let text = String::from_utf8(out).expect("utf-8");
    let line = text.lines().find(|l| l.contains("\"day_end\"")).expect("exported");
    let value: serde_json::Value = serde_json::from_str(line).expect("json");
    assert_eq!(value["kind"], "day_end");
    assert_eq!(value["day"], "2026-11-30");
    assert_eq!(value["closed_by"], supervisor.to_string());
}
