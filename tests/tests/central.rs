//! The central registry's journal end to end: `registry-hub central import` writes records every
//! office's kiosks receive, signed by the hub and checked by both audits.

use std::path::Path;

use tests::hub::Hub;
use tests::{kiosk, stderr, stdout};

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = kiosk(dir).args(["--lang", "en"]).args(args).output().expect("kiosk runs");
    assert_eq!(out.status.code(), Some(0), "kiosk {args:?}: {}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

fn joined(hub: &Hub, dir: &Path, office: &str, name: &str) {
    let creds = dir.with_extension("pem");
    hub.enroll(office, name, &creds);
    ok(dir, &["join", "--hub", &hub.url(), "--credentials", creds.to_str().expect("path")]);
}

fn person(id: &str, number: &str, phone: Option<&str>) -> String {
    serde_json::json!({
        "kind": "person", "id": id, "name_zh": "陳大文", "name_latin": "CHAN TAI MAN",
        "id_document": {"kind": "passport", "number": number, "issuing_state": "CHN", "expiry": null},
        "nationality": "CHN", "birth_date": null, "sex": null, "phone": phone, "email": null, "photo": null
    })
    .to_string()
}

fn central_import(hub: &Hub, file: &Path) -> std::process::Output {
    let tls = hub.tls_dir.to_str().expect("path").to_owned();
    let file = file.to_str().expect("path").to_owned();
    hub.run(&["central", "import", "--tls-dir", &tls, "--format", "jsonl", &file])
}

#[test]
fn central_records_reach_every_office_and_a_bad_line_imports_nothing() {
    let root = tempfile::tempdir().expect("tempdir");
    let hub = Hub::start(root.path());
    let (mo, gd) = (root.path().join("mo"), root.path().join("gd"));
    joined(&hub, &mo, "MO01", "K1");
    joined(&hub, &gd, "GD01", "K2");
    ok(&mo, &["walk-in", "issue", "--service", "renewal"]);

    let id = ulid::Ulid::new().to_string();
    let bad = root.path().join("bad.jsonl");
    std::fs::write(&bad, format!("{}\n{{\"kind\":\"person\"}}\n", person(&id, "E12345678", None)))
        .expect("write");
    let out = central_import(&hub, &bad);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Line 2:"), "{}", stderr(&out));

    let good = root.path().join("good.jsonl");
    std::fs::write(&good, person(&id, "E12345678", None) + "\n").expect("write");
    let out = central_import(&hub, &good);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Imported: 1 new, 0 changed, 0 unchanged.");
    // A new version of the record is a change; the same again changes nothing.
    std::fs::write(&good, person(&id, "E12345678", Some("+853 6612 3456")) + "\n").expect("write");
    assert_eq!(
        stdout(&central_import(&hub, &good)).trim(),
        "Imported: 0 new, 1 changed, 0 unchanged."
    );
    assert_eq!(
        stdout(&central_import(&hub, &good)).trim(),
        "Imported: 0 new, 0 changed, 1 unchanged."
    );

    for dir in [&mo, &gd, &mo] {
        ok(dir, &["sync", "--once"]);
    }
    let (e_mo, e_gd) = (ok(&mo, &["export"]), ok(&gd, &["export"]));
    for export in [&e_mo, &e_gd] {
        let line = export
            .lines()
            .find(|l| l.contains(&id))
            .expect("the central record reached the office");
        assert!(line.contains("6612"), "its latest version: {line}");
    }
    assert_eq!(e_mo, hub.export("MO01"));
    assert_eq!(e_gd, hub.export("GD01"));
    assert!(!e_gd.contains("walk_in_ticket"), "no office sees another's records");
    // Each office's documents as plain automerge save files, which load as journals holding
    // the office's events (the central record among the central registry's, not the office's).
    let saved = root.path().join("saved");
    let out =
        hub.run(&["journal", "save", "--office", "MO01", "--out", saved.to_str().expect("path")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut files: Vec<String> = std::fs::read_dir(&saved)
        .expect("saved")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.iter().any(|f| f == "manifest.automerge"), "{files:?}");
    let journal = files.iter().find(|f| f.starts_with("journal-")).expect("a journal");
    let bytes = std::fs::read(saved.join(journal)).expect("read");
    let loaded = sync::journal::Journal::load(&bytes, b"reader").expect("an automerge journal");
    assert_eq!(loaded.office().as_deref(), Some("MO01"));
    let entries = loaded.entries().expect("entries").entries;
    assert!(
        entries.iter().any(|e| e.record_kind == "walk_in_ticket"),
        "the office's walk-in ticket"
    );
    assert!(entries.iter().all(|e| e.kiosk == "K1"), "only the office's own events");

    let audit = hub.run(&["audit", "verify"]);
    assert!(stdout(&audit).contains("Every chain is whole"), "{}", stdout(&audit));
    assert!(ok(&gd, &["audit", "verify"]).contains("is whole"));
}
