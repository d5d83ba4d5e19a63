//! `kiosk token …` and `kiosk ca …` end to end: the real binary against SoftHSM2 tokens in a
//! private directory, checked with tools that are not ours (pkcs11-tool reads the token,
//! openssl verifies the chain and the CRL).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;
use tests::{kiosk, stderr, stdout};
use tokens::softhsm::{MODULE, SoftHsm};

const SO_PIN: &str = "87654321";
const PIN: &str = "123456";
const CA_PIN: &str = "24682468";

struct Office {
    dir: TempDir,
    hsm: SoftHsm,
}

impl Office {
    /// A data directory, a SoftHSM2 of its own, and an office CA on its own token.
    fn new() -> Office {
        let dir = tempfile::tempdir().expect("tempdir");
        let hsm = SoftHsm::create(&dir.path().join("hsm")).expect("softhsm config");
        hsm.init_token("office-ca", SO_PIN, CA_PIN).expect("CA token");
        let office = Office { dir, hsm };
        let out = office.run(
            &["ca", "init", "--module", MODULE, "--token-label", "office-ca", "--out-cert"],
            Some(&office.path("chain.pem")),
        );
        assert!(out.status.success(), "ca init: {}", stderr(&out));
        // The chain file holds the office CA, then the root: split them for openssl.
        let chain = std::fs::read(office.path("chain.pem")).expect("chain");
        let certs = tokens::ca::read_pem_chain(&chain).expect("pem");
        assert_eq!(certs.len(), 2);
        std::fs::write(office.path("sub.pem"), tokens::ca::pem_chain(&certs[..1])).expect("sub");
        std::fs::write(office.path("root.pem"), tokens::ca::pem_chain(&certs[1..])).expect("root");
        office
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self) -> Command {
        let mut cmd = kiosk(&self.path("data"));
        cmd.env("SOFTHSM2_CONF", &self.hsm.conf)
            .env("KIOSK_CA_PIN", CA_PIN)
            .env("KIOSK_PIN_TRIES", "3")
            .env("KIOSK_LANGUAGE", "en");
        cmd
    }

    fn run(&self, args: &[&str], last: Option<&Path>) -> Output {
        let mut cmd = self.command();
        cmd.args(args);
        if let Some(path) = last {
            cmd.arg(path);
        }
        cmd.output().expect("kiosk runs")
    }

    fn token(&self, label: &str) {
        self.hsm.init_token(label, SO_PIN, PIN).expect("token");
    }

    fn issue(&self, label: &str, pin: &str, key: &str) -> Output {
        self.run(
            &[
                "token",
                "issue",
                "--module",
                MODULE,
                "--token-label",
                label,
                "--pin",
                pin,
                "--profile",
                "qualified-person",
                "--subject",
                "CN=陳大文,C=MO,serialNumber=1234567(8)",
                "--validity-years",
                "2",
                "--key",
                key,
            ],
            None,
        )
    }

    fn tool(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .env("SOFTHSM2_CONF", &self.hsm.conf)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| {
                panic!("{program} runs (install it with scripts/deps.sh test): {e}")
            })
    }

    /// Reads the holder's certificate back from the token with OpenSC's pkcs11-tool.
    fn read_back(&self, label: &str, file: &str) -> Vec<u8> {
        let out = self.tool(
            "pkcs11-tool",
            &[
                "--module",
                MODULE,
                "--token-label",
                label,
                "--read-object",
                "--type",
                "cert",
                "--label",
                "陳大文",
                "-o",
                file,
            ],
        );
        assert!(out.status.success(), "pkcs11-tool: {}", stderr(&out));
        std::fs::read(self.path(file)).expect("read back")
    }

    fn pem_of(&self, der_file: &str) -> String {
        let pem = format!("{der_file}.pem");
        let out = self.tool("openssl", &["x509", "-inform", "DER", "-in", der_file, "-out", &pem]);
        assert!(out.status.success(), "{}", stderr(&out));
        pem
    }

    fn public_key(&self, der_file: &str) -> String {
        let out =
            self.tool("openssl", &["x509", "-inform", "DER", "-in", der_file, "-noout", "-pubkey"]);
        assert!(out.status.success());
        stdout(&out)
    }

    fn token_serial(&self, label: &str) -> String {
        let out = self.run(&["token", "list", "--module", MODULE, "--json"], None);
        assert!(out.status.success(), "{}", stderr(&out));
        let tokens: Value = serde_json::from_str(&stdout(&out)).expect("json");
        tokens
            .as_array()
            .expect("array")
            .iter()
            .find(|t| t["label"] == label)
            .and_then(|t| t["serial"].as_str())
            .expect("token listed")
            .to_owned()
    }
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
    serde_json::from_str(stdout(out).trim()).expect("one JSON object")
}

fn sha256_hex(bytes: &[u8]) -> String {
    let out = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(bytes)?;
            child.wait_with_output()
        })
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_owned()
}

#[test]
fn issued_certificates_read_back_over_pkcs11_verify_with_openssl_and_renew() {
    let office = Office::new();
    for (label, key) in [("holder-ec", "p256"), ("holder-rsa", "rsa2048")] {
        office.token(label);
        let issued = json(&office.issue(label, PIN, key));
        let serial = issued["serial"].as_str().expect("serial");
        assert!(serial.len() >= 16 && serial.chars().all(|c| c.is_ascii_hexdigit()), "{serial}");

        let der = office.read_back(label, &format!("{label}.der"));
        assert_eq!(issued["sha256"].as_str(), Some(sha256_hex(&der).as_str()));
        let leaf = office.pem_of(&format!("{label}.der"));
        let verify = office
            .tool("openssl", &["verify", "-CAfile", "root.pem", "-untrusted", "sub.pem", &leaf]);
        assert!(verify.status.success(), "{key}: {}{}", stdout(&verify), stderr(&verify));
        let shown = office.tool("openssl", &["x509", "-in", &leaf, "-noout", "-serial"]);
        assert_eq!(stdout(&shown).trim().to_lowercase(), format!("serial={serial}"));

        // Renewal with the same key keeps the public key; with a new key it changes.
        let old_key = office.public_key(&format!("{label}.der"));
        let base = [
            "token",
            "renew",
            "--module",
            MODULE,
            "--token-label",
            label,
            "--pin",
            PIN,
            "--validity-years",
            "1",
        ];
        let same = json(&office.run(&[&base[..], &["--same-key"]].concat(), None));
        assert_ne!(same["serial"], issued["serial"]);
        assert_eq!(same["previous_serial"], issued["serial"]);
        office.read_back(label, &format!("{label}-same.der"));
        assert_eq!(office.public_key(&format!("{label}-same.der")), old_key, "{key}: same key");

        let new = json(&office.run(&[&base[..], &["--new-key"]].concat(), None));
        let on_token = office.tool(
            "pkcs11-tool",
            &["--module", MODULE, "--token-label", label, "--list-objects", "--type", "cert"],
        );
        assert!(stdout(&on_token).contains("陳大文"));
        // Find the new certificate by its sha256 among what the token holds.
        let new_der = office.path(&format!("{label}-new.der"));
        let listing = stdout(&on_token);
        let ids: Vec<&str> =
            listing.lines().filter_map(|l| l.trim().strip_prefix("ID:")).map(str::trim).collect();
        assert_eq!(ids.len(), 2, "the same-key certificate and the new-key one: {listing}");
        let mut found = false;
        for id in ids {
            let out = Command::new("pkcs11-tool")
                .args([
                    "--module",
                    MODULE,
                    "--token-label",
                    label,
                    "--read-object",
                    "--type",
                    "cert",
                    "--id",
                    id,
                    "-o",
                ])
                .arg(&new_der)
                .env("SOFTHSM2_CONF", &office.hsm.conf)
                .output()
                .expect("pkcs11-tool");
            assert!(out.status.success(), "{}", stderr(&out));
            let der = std::fs::read(&new_der).expect("der");
            if new["sha256"].as_str() == Some(sha256_hex(&der).as_str()) {
                found = true;
                assert_ne!(
                    office.public_key(&format!("{label}-new.der")),
                    old_key,
                    "{key}: new key"
                );
            }
        }
        assert!(found, "the new-key certificate is on the token");
    }
}

#[test]
fn a_revoked_serial_is_in_the_crl_and_openssl_accepts_its_signature() {
    let office = Office::new();
    office.token("holder");
    let kept = json(&office.issue("holder", PIN, "p256"));
    let gone = json(&office.issue("holder", PIN, "p256"));
    let gone_serial = gone["serial"].as_str().expect("serial");
    let out = office
        .run(&["token", "revoke", "--serial", gone_serial, "--reason", "keyCompromise"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(gone_serial));
    // Revocation is final: a second one is refused with the domain's reason.
    let again =
        office.run(&["token", "revoke", "--serial", gone_serial, "--reason", "superseded"], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already revoked"), "{}", stderr(&again));

    let out = office.run(&["ca", "crl", "--out"], Some(&office.path("office.crl")));
    assert!(out.status.success(), "{}", stderr(&out));
    let crl = office.tool(
        "openssl",
        &["crl", "-inform", "DER", "-in", "office.crl", "-CAfile", "sub.pem", "-noout", "-text"],
    );
    assert!(crl.status.success(), "{}", stderr(&crl));
    assert!(
        stderr(&crl).contains("verify OK"),
        "openssl did not accept the CRL signature: {}",
        stderr(&crl)
    );
    let text = stdout(&crl).to_uppercase();
    assert!(text.contains(&gone_serial.to_uppercase()), "{text}");
    assert!(!text.contains(&kept["serial"].as_str().expect("serial").to_uppercase()));
    assert!(text.contains("KEY COMPROMISE"));
    // The CRL signed by another CA's key would not verify: check against the root instead.
    let wrong = office.tool(
        "openssl",
        &["crl", "-inform", "DER", "-in", "office.crl", "-CAfile", "root.pem", "-noout"],
    );
    assert!(!stderr(&wrong).contains("verify OK"));
}

#[test]
fn wrong_pins_lock_the_token_and_unlock_makes_the_new_pin_work() {
    let office = Office::new();
    office.token("holder");
    json(&office.issue("holder", PIN, "p256"));
    for left in ["2 tries left", "1 try left"] {
        let out = office.issue("holder", "000000", "p256");
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(left), "{}", stderr(&out));
    }
    let locked = office.issue("holder", "000000", "p256");
    assert_eq!(locked.status.code(), Some(1));
    assert!(stderr(&locked).contains("locked"), "{}", stderr(&locked));
    // Locked means locked: SoftHSM2 would take the right PIN, the kiosk does not try it.
    let right = office.issue("holder", PIN, "p256");
    assert_eq!(right.status.code(), Some(1));
    assert!(stderr(&right).contains("locked"));
    let list = office.run(&["token", "list", "--module", MODULE], None);
    assert!(stdout(&list).contains("locked"), "{}", stdout(&list));

    let unlock = |so_pin: &str| {
        office.run(
            &[
                "token",
                "unlock",
                "--module",
                MODULE,
                "--token-label",
                "holder",
                "--so-pin",
                so_pin,
                "--new-pin",
                "654321",
            ],
            None,
        )
    };
    let wrong_so = unlock("11111111");
    assert_eq!(wrong_so.status.code(), Some(1));
    assert!(stderr(&wrong_so).contains("SO PIN"), "{}", stderr(&wrong_so));
    let out = unlock(SO_PIN);
    assert!(out.status.success(), "{}", stderr(&out));
    // The old PIN no longer opens the token; the new one does.
    assert_eq!(office.issue("holder", PIN, "p256").status.code(), Some(1));
    json(&office.issue("holder", "654321", "p256"));
    // No PIN, SO PIN or CA PIN reached the log.
    let logs = office.path("data").join("logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&logs).expect("log directory") {
        text += &std::fs::read_to_string(entry.expect("entry").path()).expect("log");
    }
    assert!(text.contains("wrong token PIN"), "the failures are logged, without the PINs");
    for secret in [PIN, "000000", "654321", SO_PIN, "11111111", CA_PIN] {
        assert!(!text.contains(secret), "{secret} is in the log");
    }
}

#[test]
fn a_token_reported_lost_is_refused() {
    let office = Office::new();
    office.token("holder");
    json(&office.issue("holder", PIN, "p256"));
    let serial = office.token_serial("holder");
    let out = office.run(&["token", "report", "--serial", &serial, "--status", "lost"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let refused = office.issue("holder", PIN, "p256");
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("reported lost"), "{}", stderr(&refused));
    let unlock = office.run(
        &[
            "token",
            "unlock",
            "--module",
            MODULE,
            "--token-label",
            "holder",
            "--so-pin",
            SO_PIN,
            "--new-pin",
            "654321",
        ],
        None,
    );
    assert_eq!(unlock.status.code(), Some(1));
    assert!(stderr(&unlock).contains("reported lost"));
    let renew = office.run(
        &[
            "token",
            "renew",
            "--module",
            MODULE,
            "--token-label",
            "holder",
            "--pin",
            PIN,
            "--same-key",
            "--validity-years",
            "1",
        ],
        None,
    );
    assert_eq!(renew.status.code(), Some(1));
}

#[test]
fn bad_input_gets_a_clear_message_in_the_clerks_language() {
    let office = Office::new();
    office.token("holder");
    let bad_subject = office.run(
        &[
            "token",
            "issue",
            "--module",
            MODULE,
            "--token-label",
            "holder",
            "--pin",
            PIN,
            "--profile",
            "standard-organisation",
            "--subject",
            "CN=陳大文,C=MO",
            "--validity-years",
            "1",
        ],
        None,
    );
    assert_eq!(bad_subject.status.code(), Some(1));
    assert!(
        stderr(&bad_subject).contains("O (the organisation) is required"),
        "{}",
        stderr(&bad_subject)
    );
    let no_token = office.issue("nobody", PIN, "p256");
    assert_eq!(no_token.status.code(), Some(1));
    assert!(stderr(&no_token).contains("nobody"));
    let mut cmd = office.command();
    cmd.env("KIOSK_LANGUAGE", "zh-Hant").args([
        "token",
        "issue",
        "--module",
        MODULE,
        "--token-label",
        "holder",
        "--pin",
        PIN,
        "--profile",
        "gold",
        "--subject",
        "CN=x,C=MO",
        "--validity-years",
        "1",
    ]);
    let unknown = cmd.output().expect("kiosk");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("gold"));
    assert!(
        !stderr(&unknown).contains("There is no certificate type"),
        "not English: {}",
        stderr(&unknown)
    );
    let no_module = office.run(&["token", "list", "--module", "/nonexistent/libpkcs11.so"], None);
    assert_eq!(no_module.status.code(), Some(70));
    assert!(stderr(&no_module).contains("/nonexistent/libpkcs11.so"));
}
