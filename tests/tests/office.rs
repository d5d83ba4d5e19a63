//! The demo office end to end: provision, export, search, verify, rebuild, configuration.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tests::{kiosk, stderr, stdout};

fn demo_init(dir: &Path) -> String {
    let out = kiosk(dir).args(["--lang", "en", "demo", "init"]).output().expect("kiosk runs");
    assert_eq!(out.status.code(), Some(0), "demo init: {}", stderr(&out));
    stdout(&out)
}

fn export(dir: &Path) -> Vec<serde_json::Value> {
    let out = kiosk(dir).args(["export", "--format", "jsonl"]).output().expect("kiosk runs");
    assert_eq!(out.status.code(), Some(0), "export: {}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line ({e}): {l}")))
        .collect()
}

#[test]
fn demo_init_then_export_shows_the_demo_office() {
    let dir = tempfile::tempdir().expect("tempdir");
    let printed = demo_init(dir.path());
    // Printed sign-in credentials for the staff, one of them a supervisor.
    assert!(printed.contains("clerk.chan") && printed.contains("supervisor.lei"), "{printed}");
    assert!(printed.contains("supervisor"), "{printed}");

    let records = export(dir.path());
    let mut by_kind: BTreeMap<String, Vec<&serde_json::Value>> = BTreeMap::new();
    for r in &records {
        assert!(r["id"].as_str().is_some_and(|id| id.len() == 26), "ULID ids: {r}");
        by_kind.entry(r["kind"].as_str().expect("kind").to_owned()).or_default().push(r);
    }
    for kind in [
        "person",
        "organisation",
        "membership",
        "authorisation",
        "certificate",
        "token",
        "seal",
        "application",
        "appointment",
        "walk_in_ticket",
        "clerk",
        "audit_event",
    ] {
        assert!(by_kind.contains_key(kind), "no {kind} in the export");
    }
    // Chinese and Latin names.
    let names: Vec<&str> = by_kind["person"].iter().filter_map(|p| p["name_zh"].as_str()).collect();
    assert!(names.contains(&"陳大文"), "{names:?}");
    assert!(by_kind["organisation"].iter().any(|o| o["name_zh"] == "广州网证科技有限公司"));
    // Certificates of every class and holder kind.
    let kinds: BTreeSet<(String, String)> = by_kind["certificate"]
        .iter()
        .map(|c| (c["class"].to_string(), c["holder_kind"].to_string()))
        .collect();
    assert_eq!(kinds.len(), 16, "{kinds:?}");
    // Applications in several states.
    let states: BTreeSet<&str> =
        by_kind["application"].iter().filter_map(|a| a["progress"]["state"].as_str()).collect();
    assert!(states.len() >= 6, "{states:?}");
    assert!(states.contains("awaiting_payment") && states.contains("completed"), "{states:?}");
    // Passwords are stored as Argon2 hashes only.
    for clerk in &by_kind["clerk"] {
        assert!(clerk["password_hash"].as_str().is_some_and(|h| h.starts_with("$argon2")));
    }
    let text = records.iter().map(|r| r.to_string()).collect::<String>();
    for line in printed.lines().filter(|l| l.contains("clerk.") || l.contains("supervisor.")) {
        let password = line.split_whitespace().nth(1).expect("password column");
        assert!(!text.contains(password), "a clear-text password reached the store");
    }

    // Some certificates are due for renewal, by the registry's own rule, in the office's zone.
    let certificates: Vec<registry::model::Certificate> = by_kind["certificate"]
        .iter()
        .map(|line| {
            let mut record = (*line).clone();
            record.as_object_mut().expect("object").remove("kind");
            serde_json::from_value(record).expect("an exported certificate reads back")
        })
        .collect();
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("offset");
    let now = time::OffsetDateTime::now_utc().to_offset(offset);
    let due = registry::renewal::renewal_due_within(&certificates, now, 30);
    assert!(due.len() >= 2, "only {} certificates due for renewal", due.len());
    // Seals keep their own kind beside the record's.
    assert!(by_kind["seal"].iter().all(|s| s["kind"] == "seal" && s["seal_kind"].is_string()));
    // Every application step left an audit event.
    let transitions = by_kind["audit_event"]
        .iter()
        .filter(|a| a["action"]["type"] == "application_transition")
        .count();
    assert!(transitions >= 10, "only {transitions} audited steps");

    // Today's appointments.
    assert_eq!(by_kind["appointment"].len(), 5);
}

#[test]
fn a_second_demo_init_refuses_to_mix_into_existing_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    demo_init(dir.path());
    let out = kiosk(dir.path()).args(["--lang", "en", "demo", "init"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
}

#[test]
fn search_verify_and_rebuild_work_on_the_demo_office() {
    let dir = tempfile::tempdir().expect("tempdir");
    demo_init(dir.path());
    let search = |text: &str| {
        let out = kiosk(dir.path()).args(["search", "--json", text]).output().expect("runs");
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
            .collect::<Vec<_>>()
    };
    let hits = search("大文");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["name_latin"], "CHAN TAI MAN");
    assert_eq!(search("1234567(3)")[0]["matched_by"], "id_number");
    assert_eq!(search("6612 3456")[0]["matched_by"], "phone");
    assert!(search("sousa").iter().any(|h| h["name_latin"] == "MARIA FERNANDA SOUSA"));

    let none = kiosk(dir.path())
        .args(["--lang", "zh-Hant", "search", "不存在的人"])
        .output()
        .expect("runs");
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("找不到"), "{}", stderr(&none));

    let before = export(dir.path());
    for sub in ["verify", "rebuild", "verify"] {
        let out = kiosk(dir.path()).args(["store", sub]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "store {sub}: {}", stderr(&out));
    }
    assert_eq!(export(dir.path()), before, "rebuilding from the events changes nothing");
}

#[test]
fn configuration_comes_from_the_file_then_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("kiosk.toml"), "language = \"pt\"\nkiosk_id = \"MACAU_01\"\n")
        .expect("write config");
    let stats = kiosk(dir.path()).args(["store", "stats"]).output().expect("runs");
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).expect("json");
    assert_eq!(stats["kiosk_id"], "MACAU_01");

    let pt = kiosk(dir.path()).args(["search", "ninguém"]).output().expect("runs");
    assert!(stderr(&pt).contains("Ninguém encontrado"), "{}", stderr(&pt));
    let zh = kiosk(dir.path())
        .env("KIOSK_LANGUAGE", "zh-Hans")
        .args(["search", "x"])
        .output()
        .expect("runs");
    assert!(stderr(&zh).contains("未找到"), "{}", stderr(&zh));

    std::fs::write(dir.path().join("kiosk.toml"), "language = [broken\n").expect("write");
    let bad = kiosk(dir.path()).args(["store", "stats"]).output().expect("runs");
    assert_eq!(bad.status.code(), Some(78), "EX_CONFIG, not a usage error");
    assert!(stderr(&bad).contains("kiosk.toml"), "{}", stderr(&bad));
    // Checking a number needs nothing from the configuration: its answer stands.
    let check = kiosk(dir.path())
        .args(["id", "check", "--kind", "hk", "A123456(3)"])
        .output()
        .expect("runs");
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn logs_go_to_the_data_directory_and_never_hold_personal_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    demo_init(dir.path());
    let _ = kiosk(dir.path()).args(["search", "1234567(3)"]).output().expect("runs");
    let logs = dir.path().join("logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&logs).expect("logs folder exists") {
        text.push_str(&std::fs::read_to_string(entry.expect("entry").path()).expect("read log"));
    }
    assert!(text.contains("demo office provisioned"), "{text}");
    for secret in ["1234567", "陳大文", "6612", "$argon2"] {
        assert!(!text.contains(secret), "{secret} leaked into the log");
    }
}

#[test]
fn version_and_the_ui_outside_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = kiosk(dir.path()).arg("--version").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("kiosk "), "{}", stdout(&out));
    // Without a terminal the UI explains itself instead of scrambling a pipe.
    let out = kiosk(dir.path()).args(["--lang", "en"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("needs a terminal"), "{}", stderr(&out));
}
