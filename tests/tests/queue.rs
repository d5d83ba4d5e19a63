//! The counter's queue from the command line: appointment passes the booking system would send,
//! and walk-in tickets, against a demo office.

use std::path::Path;

use card_readers::qr::AppointmentPass;
use tests::{kiosk, stderr, stdout};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn demo_office() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = kiosk(dir.path()).args(["--lang", "en", "demo", "init"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "demo init: {}", stderr(&out));
    dir
}

fn records(dir: &Path, kind: &str) -> Vec<serde_json::Value> {
    let out = kiosk(dir).args(["export", "--format", "jsonl"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "export: {}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .filter(|r| r["kind"] == kind)
        .collect()
}

fn pass_key(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("keys").join("pass.key")).expect("the office's pass key")
}

#[test]
fn an_appointment_pass_is_signed_with_the_office_pass_key() {
    let office = demo_office();
    let dir = office.path();
    let appointments = records(dir, "appointment");
    let booked = appointments.iter().find(|a| a["status"] == "booked").expect("a booked one");
    let id = booked["id"].as_str().expect("id");

    let out = kiosk(dir).args(["appointment", "pass", id]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    assert_eq!(printed.lines().count(), 1, "one line: {printed:?}");
    let payload = printed.trim_end_matches('\n');

    let key = pass_key(dir);
    assert_eq!(key.len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir.join("keys").join("pass.key")).expect("key file");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "the key is its owner's alone");
    }
    let pass = AppointmentPass::parse(payload, &key).expect("a genuine pass");
    assert_eq!(pass.appointment.to_string(), id);
    assert_eq!(pass.reference, booked["reference"].as_str().expect("reference"));
    let slot = OffsetDateTime::parse(booked["slot"].as_str().expect("slot"), &Rfc3339)
        .expect("RFC 3339 slot");
    assert_eq!(pass.slot, slot);
    // Written in the office's zone (the default +08:00), as the format says.
    assert!(payload.contains("+08:00|"), "{payload}");
    // Another office's key does not accept it.
    assert!(AppointmentPass::parse(payload, &[0u8; 32]).is_err());

    // The same pass again: the key was made once and kept.
    let again = kiosk(dir).args(["appointment", "pass", id]).output().expect("runs");
    assert_eq!(stdout(&again), printed);
    assert_eq!(pass_key(dir), key);

    // With --qr the code comes first, the payload still last on its own line.
    let drawn = kiosk(dir).args(["appointment", "pass", "--qr", id]).output().expect("runs");
    assert_eq!(drawn.status.code(), Some(0), "{}", stderr(&drawn));
    let text = stdout(&drawn);
    assert!(text.lines().count() > 10, "a QR code: {text}");
    assert!(text.contains('█'), "{text}");
    assert_eq!(text.lines().last(), Some(payload));
}

#[test]
fn an_unknown_appointment_has_no_pass() {
    let office = demo_office();
    let dir = office.path();
    let unknown = ulid::Ulid::new().to_string();
    let out =
        kiosk(dir).args(["--lang", "en", "appointment", "pass", &unknown]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("No appointment with this id"), "{}", stderr(&out));
    // Not an id at all is a usage error.
    let out = kiosk(dir).args(["appointment", "pass", "B333001"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn walk_in_tickets_are_numbered_on_from_the_days_last_and_shown_without_a_printer() {
    let office = demo_office();
    let dir = office.path();
    let issue = || {
        let out = kiosk(dir)
            .args(["--lang", "en", "walk-in", "issue", "--service", "pin-unlock"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stderr(&out).contains("No printer is configured"), "{}", stderr(&out));
        let number = stdout(&out).trim().to_owned();
        assert!(
            number.len() == 4
                && number.starts_with('W')
                && number[1..].bytes().all(|b| b.is_ascii_digit()),
            "{number}"
        );
        number[1..].parse::<u32>().expect("sequence")
    };
    let first = issue();
    let second = issue();
    assert_eq!(second, first + 1);
    let tickets = records(dir, "walk_in_ticket");
    let issued: Vec<_> = tickets.iter().filter(|t| t["service"] == "pin_unlock").collect();
    assert_eq!(issued.len(), 2);
    assert!(issued.iter().all(|t| t["status"] == "waiting"));
    let audits = records(dir, "audit_event");
    let audited = audits.iter().filter(|a| a["action"]["type"] == "walk_in_ticket_issued").count();
    assert_eq!(audited, 2);
}
