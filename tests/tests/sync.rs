//! Replication end to end: real `kiosk` and `registry-hub` processes over TLS on loopback.

use std::path::Path;

use tests::hub::Hub;
use tests::{kiosk, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    kiosk(dir).args(["--lang", "en"]).args(args).output().expect("kiosk runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert_eq!(out.status.code(), Some(0), "kiosk {args:?}: {}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

/// A kiosk joined to `hub` as `kiosk` of `office`, its data directory `dir`.
fn joined(hub: &Hub, dir: &Path, office: &str, name: &str) {
    let creds = dir.with_extension("pem");
    hub.enroll(office, name, &creds);
    let said =
        ok(dir, &["join", "--hub", &hub.url(), "--credentials", creds.to_str().expect("path")]);
    assert!(said.contains(&format!("Joined office {office} as kiosk {name}")), "{said}");
}

fn export(dir: &Path) -> String {
    ok(dir, &["export"])
}

#[test]
fn three_kiosks_in_two_offices_converge_through_the_hub_and_no_office_sees_another() {
    let root = tempfile::tempdir().expect("tempdir");
    let hub = Hub::start(root.path());
    let (k1, k2, k3) = (root.path().join("k1"), root.path().join("k2"), root.path().join("k3"));
    joined(&hub, &k1, "MO01", "K1");
    joined(&hub, &k2, "MO01", "K2");
    joined(&hub, &k3, "GD01", "K3");
    for dir in [&k1, &k1, &k2, &k3] {
        ok(dir, &["walk-in", "issue", "--service", "renewal"]);
    }
    for dir in [&k1, &k2, &k3, &k1] {
        let said = ok(dir, &["sync", "--once"]);
        assert!(said.starts_with("Synced with the hub"), "{said}");
    }
    let (e1, e2, e3) = (export(&k1), export(&k2), export(&k3));
    assert_eq!(e1, e2, "one office's kiosks hold the same records");
    assert_eq!(e1, hub.export("MO01"), "and so does the hub");
    assert_eq!(e3, hub.export("GD01"));
    assert!(e1.lines().count() >= 3, "{e1}");
    for line in e3.lines() {
        assert!(!e1.contains(line), "an office sees another's record: {line}");
    }
    let status = ok(&k1, &["sync", "--status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&status).expect("JSON");
    assert_eq!(status["online"], true);
    assert_eq!(status["waiting"], 0);
    assert_eq!(status["office"], "MO01");
    let audit = hub.run(&["audit", "verify"]);
    assert!(
        audit.status.success() && stdout(&audit).contains("Every chain is whole"),
        "{}",
        stdout(&audit)
    );
    let audit = ok(&k2, &["audit", "verify"]);
    assert!(audit.contains("Every chain in the journals is whole"), "{audit}");
}
