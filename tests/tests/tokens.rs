//! `kiosk token …` and `kiosk ca …` end to end: the real binary against SoftHSM2 tokens in a
//! private directory, checked with tools that are not ours (pkcs11-tool reads the token,
//! openssl verifies the chain and the CRL).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;
use tests::token_files::TokenFileHeld;
use tests::{kiosk, stderr, stdout};
use tokens::softhsm::{MODULE, SoftHsm};

const SO_PIN: &str = "87654321";
const PIN: &str = "123456";
const CA_PIN: &str = "24682468";
/// Renews the certificate on the token labelled "holder" with its key, for a year.
const RENEW_HOLDER_SAME_KEY: [&str; 11] = [
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
];

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
        self.read_back_labelled(label, "陳大文", file)
    }

    /// Reads the certificate object labelled `cert_label` from the token `label`.
    fn read_back_labelled(&self, label: &str, cert_label: &str, file: &str) -> Vec<u8> {
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
                cert_label,
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
    // A CRL is published: readable by all, whatever the kiosk's private umask.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(office.path("office.crl")).expect("crl").permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
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
    let renew = office.run(&RENEW_HOLDER_SAME_KEY, None);
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
        stderr(&bad_subject).contains("needs O, the organisation's name"),
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

/// Every certificate record of the office's store, as `kiosk export` writes them.
fn certificates(office: &Office) -> Vec<Value> {
    let out = office.run(&["export", "--format", "jsonl"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("one JSON object a line"))
        .filter(|record| record["kind"] == "certificate")
        .collect()
}

fn certificate(office: &Office, serial: &str) -> Value {
    certificates(office)
        .into_iter()
        .find(|c| c["serial"] == serial)
        .unwrap_or_else(|| panic!("no certificate {serial} in the store"))
}

/// The serials a DER CRL lists, upper case, as openssl prints them.
fn crl_text(office: &Office) -> String {
    let out = office.run(&["ca", "crl", "--out"], Some(&office.path("office.crl")));
    assert!(out.status.success(), "{}", stderr(&out));
    let crl = office.tool(
        "openssl",
        &["crl", "-inform", "DER", "-in", "office.crl", "-CAfile", "sub.pem", "-noout", "-text"],
    );
    assert!(stderr(&crl).contains("verify OK"), "{}", stderr(&crl));
    stdout(&crl).to_uppercase()
}

fn issue_subject(office: &Office, lang: &str, subject: &str) -> Output {
    let mut cmd = office.command();
    cmd.env("KIOSK_LANGUAGE", lang).args([
        "token",
        "issue",
        "--module",
        MODULE,
        "--token-label",
        "holder",
        "--pin",
        PIN,
        "--profile",
        "standard-person",
        "--subject",
        subject,
        "--validity-years",
        "1",
        "--key",
        "p256",
    ]);
    cmd.output().expect("kiosk runs")
}

#[test]
fn subjects_no_ca_should_sign_are_refused_saying_which_attribute_and_why() {
    let office = Office::new();
    office.token("holder");
    let long_cn = format!("CN={},C=MO", "陳".repeat(10_000));
    let long_o = format!("CN=Chan,O={},C=MO", "A".repeat(65));
    let long_l = format!("CN=Chan,L={},C=MO", "澳".repeat(129));
    for (subject, needles) in [
        (long_cn.as_str(), &["CN", "10000", "64"][..]),
        (long_o.as_str(), &["O ", "65", "64"]),
        (long_l.as_str(), &["L ", "129", "128"]),
        ("CN=Chan\u{7}Tai,C=MO", &["CN", "U+0007"]),
        ("CN=Chan\u{1b}[31mTai,C=MO", &["CN", "U+001B"]),
        ("CN=Chan\nTai,C=MO", &["CN", "U+000A"]),
        ("CN=Chan Tai Man\n,C=MO", &["CN", "U+000A"]),
        ("CN=Chan\u{85}Tai,C=MO", &["CN", "U+0085"]),
        ("CN=\u{202e}naM iaT nahC,C=MO", &["CN", "U+202E"]),
        ("CN=Chan\u{200b}Tai,C=MO", &["CN", "U+200B"]),
        ("CN=Chan,O=ACME\u{2066}Ltd,C=MO", &["O ", "U+2066"]),
        ("CN=Chan,C=MO,serialNumber=\u{feff}1234567(8)", &["serialNumber", "U+FEFF"]),
        (r"CN=Chan\00Tai,C=MO", &["CN", "U+0000"]),
        (r"CN=Chan\E2\80\AETai,C=MO", &["CN", "U+202E"]),
        (r"CN=Chan\ZZTai,C=MO", &["CN", r"\Z"]),
        (r"CN=Chan\4,C=MO", &["CN", r"\4"]),
        (r"CN=Chan\C3Tai,C=MO", &["CN", "UTF-8"]),
        (r"CN=Chan\", &["CN", r"\"]),
        ("CN=Chan,C=MO,serialNumber=1234567（8）", &["serialNumber", "（"]),
    ] {
        let out = issue_subject(&office, "en", subject);
        let shown: String = subject.chars().take(40).collect();
        assert_eq!(out.status.code(), Some(1), "{shown:?}: {}{}", stdout(&out), stderr(&out));
        for needle in needles {
            assert!(stderr(&out).contains(needle), "{shown:?}: {needle:?} not in {}", stderr(&out));
        }
    }
    assert!(certificates(&office).is_empty(), "nothing was issued");

    // The refusal is in the clerk's language, naming the attribute.
    let out = issue_subject(&office, "zh-Hant", "CN=Chan\u{202e}Tai,C=MO");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("CN") && stderr(&out).contains("U+202E"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("invisible"), "not English: {}", stderr(&out));

    // Escapes that decode are kept: an escaped comma and UTF-8 in hex pairs (陳 is E9 99 B3).
    let issued = json(&issue_subject(&office, "en", r"CN=\E9\99\B3大文\, Chan,C=MO"));
    let der = office.read_back_labelled("holder", "陳大文, Chan", "escaped.der");
    assert_eq!(issued["sha256"].as_str(), Some(sha256_hex(&der).as_str()));
    let pem = office.pem_of("escaped.der");
    let shown =
        office.tool("openssl", &["x509", "-in", &pem, "-noout", "-subject", "-nameopt", "utf8"]);
    assert!(stdout(&shown).contains("陳大文, Chan"), "{}", stdout(&shown));
}

#[test]
fn one_pin_rule_for_init_unlock_and_change_pin() {
    let office = Office::new();
    let init = |label: &str, pin: &str| {
        office.run(
            &[
                "token",
                "init",
                "--module",
                MODULE,
                "--token-label",
                label,
                "--so-pin",
                SO_PIN,
                "--pin",
                pin,
            ],
            None,
        )
    };
    for bad in ["abcd", "12345", "1234567", "１２３４５６"] {
        let out = init("fresh", bad);
        assert_eq!(out.status.code(), Some(1), "{bad}: {}{}", stdout(&out), stderr(&out));
        assert!(
            stderr(&out).contains("6 digits") || stderr(&out).contains("digits 0–9"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    // The refused PIN left the slot as it was: no token was initialised.
    let list = office.run(&["token", "list", "--module", MODULE, "--json"], None);
    assert!(!stdout(&list).contains("\"fresh\""), "{}", stdout(&list));
    let out = init("fresh", "135790");
    assert!(out.status.success(), "{}", stderr(&out));

    let at = ["--module", MODULE, "--token-label", "fresh"];
    let unlock = office.run(
        &[&["token", "unlock"][..], &at, &["--so-pin", SO_PIN, "--new-pin", "abcd"]].concat(),
        None,
    );
    assert_eq!(unlock.status.code(), Some(1), "{}", stderr(&unlock));
    assert!(stderr(&unlock).contains("6 digits"), "{}", stderr(&unlock));
    let change = office.run(
        &[&["token", "change-pin"][..], &at, &["--pin", "135790", "--new-pin", "abcd"]].concat(),
        None,
    );
    assert_eq!(change.status.code(), Some(1), "{}", stderr(&change));
    assert!(stderr(&change).contains("6 digits"), "{}", stderr(&change));
    let change = office.run(
        &[&["token", "change-pin"][..], &at, &["--pin", "135790", "--new-pin", "246802"]].concat(),
        None,
    );
    assert!(change.status.success(), "{}", stderr(&change));
}

#[test]
fn a_pin_tries_below_the_minimum_is_refused_rather_than_locking_at_the_first_typo() {
    let office = Office::new();
    office.token("holder");
    json(&office.issue("holder", PIN, "p256"));
    for tries in ["0", "1", "2"] {
        let mut cmd = office.command();
        cmd.env("KIOSK_PIN_TRIES", tries).args([
            "token",
            "change-pin",
            "--module",
            MODULE,
            "--token-label",
            "holder",
            "--pin",
            "000000",
            "--new-pin",
            "654321",
        ]);
        let out = cmd.output().expect("kiosk runs");
        // Refused as a configuration the kiosk cannot work with, not as a wrong or locked PIN.
        assert_eq!(out.status.code(), Some(78), "{tries}: {}", stderr(&out));
        assert!(stderr(&out).contains("KIOSK_PIN_TRIES"), "{tries}: {}", stderr(&out));
        assert!(!stderr(&out).contains("locked"), "{tries}: {}", stderr(&out));
    }
    // No wrong PIN was counted: the right one still works with the office's setting.
    json(&office.issue("holder", PIN, "p256"));
}

/// Starts a same-key renewal of `holder`'s certificate and returns once it is stopped inside
/// the write-back: recorded in the store, its object's file written, SoftHSM2 waiting to make
/// it part of the token. A same-key renewal writes nothing to the token before that but the
/// login, which the first held lock waits out.
/// Returns the renewal, the held lock and the token's directory.
fn renewal_stopped_in_write_back(office: &Office) -> (std::process::Child, TokenFileHeld, PathBuf) {
    let dir = office.hsm.token_dir(&office.token_serial("holder")).expect("the token's files");
    let login = TokenFileHeld::on(&dir.join("token.object"));
    let mut child = office
        .command()
        .args(RENEW_HOLDER_SAME_KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kiosk starts");
    login.wait_for_waiter(&mut child);
    let write_back = TokenFileHeld::on(&dir.join("generation"));
    drop(login);
    write_back.wait_for_waiter(&mut child);
    (child, write_back, dir)
}

/// Makes the store refuse to record any revocation, as a store that cannot be written would.
fn refuse_revocations(office: &Office, refuse: bool) {
    let conn = rusqlite::Connection::open(office.path("data").join("kiosk.db")).expect("store");
    conn.busy_timeout(std::time::Duration::from_secs(5)).expect("busy timeout");
    let sql = if refuse {
        "CREATE TRIGGER refuse_revocations BEFORE UPDATE OF status ON certificate_index
         WHEN NEW.status = 'revoked'
         BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END;"
    } else {
        "DROP TRIGGER refuse_revocations;"
    };
    conn.execute_batch(sql).expect("trigger");
}

#[test]
fn an_issuance_killed_before_write_back_is_revoked_by_the_next_run() {
    let office = Office::new();
    office.token("holder");
    let first = json(&office.issue("holder", PIN, "p256"));
    let (mut child, held, _) = renewal_stopped_in_write_back(&office);
    let renewed: Vec<Value> =
        certificates(&office).into_iter().filter(|c| c["serial"] != first["serial"]).collect();
    assert_eq!(renewed.len(), 1);
    let serial = renewed[0]["serial"].as_str().expect("serial").to_owned();
    // Recorded, not yet on the token: it does not count as in force.
    assert_ne!(renewed[0]["status"], "valid", "{:?}", renewed[0]);
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    drop(held);

    // The next command that can finish the interrupted issuance revokes it: the CRL lists it.
    let crl = crl_text(&office);
    assert!(crl.contains(&serial.to_uppercase()), "{crl}");
    assert!(crl.contains("CESSATION OF OPERATION"), "{crl}");
    assert_eq!(certificate(&office, &serial)["status"], "revoked");
    assert_eq!(certificate(&office, first["serial"].as_str().expect("serial"))["status"], "valid");
    // And it is finished once only.
    let list = office.run(&["token", "list", "--module", MODULE], None);
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(!stderr(&list).contains(&serial), "{}", stderr(&list));
}

#[test]
fn a_revocation_the_store_refuses_is_kept_pending_shown_and_completed_later() {
    let office = Office::new();
    office.token("holder");
    json(&office.issue("holder", PIN, "p256"));
    refuse_revocations(&office, true);
    let (child, held, token) = renewal_stopped_in_write_back(&office);
    // The token is unplugged while the kiosk waits to write the certificate onto it. (Any
    // other kiosk command would wait too: loading SoftHSM2 locks every token's `generation`.)
    std::fs::remove_dir_all(token).expect("token removed");
    drop(held);
    let out = child.wait_with_output().expect("kiosk finishes");
    assert_eq!(out.status.code(), Some(70), "{}{}", stdout(&out), stderr(&out));
    let pending: Vec<Value> =
        certificates(&office).into_iter().filter(|c| c["status"] != "valid").collect();
    assert_eq!(pending.len(), 1, "the renewal's certificate is not in force");
    let renewed = pending[0]["serial"].as_str().expect("serial").to_owned();
    // The clerk is told both: the issuance failed, and its certificate is not yet revoked.
    assert!(stderr(&out).contains(&renewed), "{}", stderr(&out));
    assert!(stderr(&out).contains("not yet revoked"), "{}", stderr(&out));
    assert!(stderr(&out).contains("disk refused"), "{}", stderr(&out));

    // Every later run shows it while the store still refuses…
    let list = office.run(&["token", "list", "--module", MODULE], None);
    assert!(stderr(&list).contains(&renewed), "{}", stderr(&list));
    assert!(stderr(&list).contains("not yet revoked"), "{}", stderr(&list));
    let crl = office.run(&["ca", "crl", "--out"], Some(&office.path("never.crl")));
    assert_eq!(crl.status.code(), Some(70), "no CRL may leave it out: {}", stderr(&crl));
    assert!(!office.path("never.crl").exists());

    // …and the first run that can write revokes it.
    refuse_revocations(&office, false);
    let list = office.run(&["token", "list", "--module", MODULE], None);
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(stderr(&list).contains(&renewed), "{}", stderr(&list));
    assert!(stderr(&list).contains("now revoked"), "{}", stderr(&list));
    assert_eq!(certificate(&office, &renewed)["status"], "revoked");
    assert!(crl_text(&office).contains(&renewed.to_uppercase()));
}

/// `kiosk token issue` of a standard certificate into a PKCS#12 file at `path`.
fn issue_pkcs12(office: &Office, path: &Path) -> Output {
    let args = [
        "token",
        "issue",
        "--profile",
        "standard-person",
        "--subject",
        "CN=Soft Holder,C=MO",
        "--validity-years",
        "1",
        "--key",
        "p256",
        "--password",
        "Secret123",
        "--pkcs12",
    ];
    office.run(&args, Some(path))
}

#[test]
fn a_pkcs12_file_that_cannot_be_written_revokes_its_certificate() {
    let office = Office::new();
    // The path passes the check made before the CA signs (its folder is there, no file is), but
    // the write itself fails: /proc takes no new files, whoever asks (the tests run as root).
    let out = issue_pkcs12(&office, Path::new("/proc/holder.p12"));
    assert_eq!(out.status.code(), Some(70), "{}{}", stdout(&out), stderr(&out));
    let all = certificates(&office);
    assert_eq!(all.len(), 1);
    let serial = all[0]["serial"].as_str().expect("serial");
    assert_eq!(all[0]["status"], "revoked", "it never reached its holder");
    assert!(stderr(&out).contains(serial) && stderr(&out).contains("revoked"), "{}", stderr(&out));
    assert!(crl_text(&office).contains(&serial.to_uppercase()));
}

#[test]
fn a_pkcs12_path_that_cannot_take_the_file_is_refused_before_the_ca_signs() {
    let office = Office::new();
    let out = issue_pkcs12(&office, &office.path("no-such-folder").join("holder.p12"));
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(certificates(&office).is_empty(), "nothing was signed");
}
