//! The members screen driven as a clerk drives it: the real `kiosk` binary in a real terminal
//! (tmux), by keys only, on the demo office. From an organisation's file, `M` lists its members
//! and authorisations; the clerk suspends and resumes one, adds one, hands the administrator
//! over against the signed letter, and ends one; `kiosk export` shows each change and its audit
//! event by that clerk.

use std::path::Path;

use serde_json::Value;
use tests::tmux::{Authenticator, Tmux, office_now, sign_in, wait_out_office_midnight};
use tests::{kiosk, run_with_stdin, stderr, stdout};

const PASSWORD: &str = "Counter-2026e";
const CLERK: &str = "clerk.members";

/// Every record of `kind` in `kiosk export`.
fn exported(dir: &Path, kind: &str) -> Vec<Value> {
    let out = kiosk(dir).arg("export").output().expect("export");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|r| r["kind"] == kind)
        .collect()
}

fn one(dir: &Path, kind: &str, id: &Value) -> Value {
    exported(dir, kind)
        .into_iter()
        .find(|r| r["id"] == *id)
        .unwrap_or_else(|| panic!("no {kind} {id}"))
}

/// The list's selected line (the one marked at the box's left edge).
fn selected(screen: &str) -> &str {
    screen
        .lines()
        .find(|l| l.starts_with("│▶"))
        .unwrap_or_else(|| panic!("no line selected:\n{screen}"))
}

#[test]
fn a_clerk_manages_an_organisations_members_from_its_file() {
    wait_out_office_midnight();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let demo = kiosk(&data).args(["--lang", "en", "demo", "init"]).output().expect("demo init");
    assert_eq!(demo.status.code(), Some(0), "{}", stderr(&demo));
    let mut add = kiosk(&data);
    add.args([
        "--lang",
        "en",
        "clerk",
        "add",
        "--id",
        CLERK,
        "--name",
        "何家豪",
        "--role",
        "clerk",
    ]);
    let added = run_with_stdin(add, format!("{PASSWORD}\n").as_bytes());
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let printed = stdout(&added);
    let uri = printed.split_whitespace().find(|w| w.starts_with("otpauth://totp/")).expect("URI");
    let app = Authenticator::from_uri(uri);
    let clerk_id = exported(&data, "clerk")
        .into_iter()
        .find(|c| c["username"] == CLERK)
        .map(|c| c["id"].clone())
        .expect("the clerk");

    // The demo's one authorisation: an employee of one organisation, let use its certificate.
    let authorisations = exported(&data, "authorisation");
    assert_eq!(authorisations.len(), 1);
    let first = authorisations[0].clone();
    let org = one(&data, "organisation", &first["organisation"]);
    let employee = one(&data, "person", &first["grantee"]);
    let employee_name = employee["name_latin"].as_str().expect("a Latin name").to_owned();
    let cert = one(&data, "certificate", &first["object"]["id"]);
    // A serial is longer than the list's column at 80 columns: its start names it there.
    let serial: String = cert["serial"].as_str().expect("a serial").chars().take(12).collect();

    let data_arg = data.to_str().expect("a UTF-8 path");
    let tmux = Tmux::start(dir.path(), 80, 24, &["--data-dir", data_arg, "--lang", "en"]);
    sign_in(&tmux, CLERK, PASSWORD, &app, None);
    tmux.wait_for("Appointments");

    // The organisation's file, by its name; M opens its members.
    let org_name = org["name_latin"].as_str().expect("a Latin name");
    tmux.keys(&["F3"]);
    tmux.type_text(org_name.split(',').next().unwrap_or(org_name));
    tmux.wait_for(&org_name[..20]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Identity and documents");
    tmux.press("m");
    let screen = tmux.wait_for("Members and authorisations");
    let screen = if screen.contains("in force") { screen } else { tmux.wait_for("in force") };
    for line in screen.lines().skip(1).take_while(|l| !l.starts_with('└')) {
        assert!(
            line.starts_with('│') || line.starts_with('┌'),
            "a line is out of the box at 80 columns:\n{screen}"
        );
        assert!(line.ends_with('│') || line.ends_with('┐'), "cut at 80 columns:\n{screen}");
    }
    assert!(screen.contains("administrator") && screen.contains("legal representative"));

    // Down to the employee's certificate: suspend it, resume it.
    let mut screen = screen;
    for _ in 0..10 {
        if selected(&screen).contains(&serial) {
            break;
        }
        screen = tmux.press("Down");
    }
    assert!(selected(&screen).contains("in force"), "{screen}");
    tmux.press("s");
    let screen = tmux.wait_for("Authorisation suspended.");
    assert!(selected(&screen).contains("suspended"), "{screen}");
    tmux.press("r");
    let screen = tmux.wait_for("Authorisation resumed.");
    assert!(selected(&screen).contains("in force"), "{screen}");

    // Add: the employee's line, A, two years, another certificate or seal than the one they
    // have, Enter.
    let screen = tmux.press("Up");
    assert!(selected(&screen).contains(&employee_name), "{screen}");
    tmux.press("a");
    tmux.press("Right");
    let mut form = tmux.wait_for("2 years");
    for _ in 0..10 {
        let choice = form.lines().find(|l| l.contains("Certificate or seal:")).expect("the choice");
        if !choice.contains(&serial) {
            break;
        }
        form = tmux.press("Down");
    }
    tmux.press("Enter");
    tmux.wait_for("Authorisation added.");
    let today = office_now().date();
    let granted: Vec<Value> = exported(&data, "authorisation")
        .into_iter()
        .filter(|a| a["grantee"] == first["grantee"] && a["id"] != first["id"])
        .collect();
    assert_eq!(granted.len(), 1, "{granted:?}");
    let until = registry::members::until_for(today, 2);
    assert_eq!(granted[0]["valid_from"], today.to_string());
    assert_eq!(granted[0]["valid_until"], until.to_string());
    assert_eq!(granted[0]["status"], "active");
    assert_ne!(granted[0]["object"], first["object"]);

    // Hand the administrator over to the employee: not without the letter; then it asks.
    let screen = tmux.screen();
    assert!(selected(&screen).contains(&employee_name), "{screen}");
    tmux.press("t");
    tmux.press("Enter");
    tmux.wait_for("Collect the signed administrator transfer letter first.");
    tmux.press("Space");
    tmux.wait_for("[x]");
    tmux.press("Enter");
    tmux.wait_for("the administrator?");
    tmux.press("y");
    tmux.wait_for("Administrator transferred");
    let administrators: Vec<Value> = exported(&data, "membership")
        .into_iter()
        .filter(|m| m["organisation"] == org["id"] && m["role"] == "administrator")
        .collect();
    let current: Vec<&Value> = administrators.iter().filter(|m| m["ended"].is_null()).collect();
    assert_eq!(current.len(), 1, "exactly one administrator: {administrators:?}");
    assert_eq!(current[0]["person"], first["grantee"]);
    assert!(administrators.iter().any(|m| m["ended"] == today.to_string()), "{administrators:?}");

    // End the first authorisation: it asks, N keeps it, Y ends it.
    let mut screen = tmux.screen();
    for _ in 0..10 {
        if selected(&screen).contains(&serial) {
            break;
        }
        screen = tmux.press("Down");
    }
    tmux.press("e");
    tmux.wait_for("for good?");
    tmux.press("n");
    tmux.press("e");
    tmux.wait_for("for good?");
    tmux.press("y");
    let screen = tmux.wait_for("Authorisation ended.");
    assert!(selected(&screen).contains("ended"), "{screen}");
    assert_eq!(one(&data, "authorisation", &first["id"])["status"], "cancelled");

    // Every change is an audit event by this clerk; the handover records the letter's day.
    let events: Vec<Value> =
        exported(&data, "audit_event").into_iter().filter(|e| e["clerk"] == clerk_id).collect();
    let types: Vec<&str> = events.iter().filter_map(|e| e["action"]["type"].as_str()).collect();
    for kind in [
        "authorisation_withdrawn",
        "authorisation_restored",
        "authorisation_granted",
        "administrator_transferred",
        "authorisation_ended",
    ] {
        assert_eq!(types.iter().filter(|t| **t == kind).count(), 1, "{kind} in {types:?}");
    }
    let transfer =
        events.iter().find(|e| e["action"]["type"] == "administrator_transferred").expect("one");
    assert_eq!(transfer["action"]["letter_collected_on"], today.to_string());

    tmux.press("Escape");
    tmux.wait_for("Subscriber file");
    tmux.keys(&["C-c"]);
    tmux.wait_for("kiosk exited with 0");
}
