//! `kiosk clerk add|list|disable|reset-totp` and the demo's one-time codes, through the real
//! binary: the printed `otpauth://` URI is what the clerk's app gets, so a code computed from it
//! must verify against what the store keeps.

use std::path::Path;

use registry::model::Clerk;
use registry::totp;
use tests::{kiosk, run_with_stdin, stderr, stdout};

const PASSWORD: &str = "Counter-2026a";

fn add(dir: &Path, id: &str, password: &str) -> std::process::Output {
    let mut cmd = kiosk(dir);
    cmd.args(["--lang", "en", "clerk", "add", "--id", id, "--name", "何家豪 HO KA HOU"]);
    cmd.args(["--role", "supervisor"]);
    run_with_stdin(cmd, format!("{password}\n").as_bytes())
}

fn clerks(dir: &Path) -> Vec<Clerk> {
    let store = store::Store::open(&dir.join("kiosk.db"), store::StoreOptions::default())
        .expect("the kiosk's store opens");
    store.list::<Clerk>().expect("clerks")
}

fn clerk(dir: &Path, username: &str) -> Clerk {
    clerks(dir).into_iter().find(|c| c.username == username).expect("the clerk is stored")
}

/// The one `otpauth://` URI in `text`.
fn printed_uri(text: &str) -> totp::OtpAuth {
    let uri = text
        .split_whitespace()
        .find(|word| word.starts_with("otpauth://"))
        .unwrap_or_else(|| panic!("no otpauth URI in:\n{text}"));
    totp::parse_otpauth_uri(uri).unwrap_or_else(|| panic!("the URI does not parse: {uri}"))
}

/// The stored secret accepts the code an app makes from the printed URI, now.
fn assert_code_from_uri_verifies(uri: &totp::OtpAuth, stored: &Clerk) {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let code = totp::code_at(&uri.secret, uri.period, now);
    let secret = stored
        .totp_secret
        .as_ref()
        .and_then(|s| totp::base32_decode(s.expose()))
        .expect("a stored secret");
    assert_eq!(uri.period, stored.totp_period);
    assert!(totp::verify(&secret, stored.totp_period, &code, now, None).is_ok(), "{code}");
}

/// The half-block QR code in `text` as a light-on-dark terminal shows it (a glyph's blocks in
/// the light foreground, the rest dark background), four pixels a module, read with zbar.
fn scan_terminal_qr(text: &str) -> Vec<Vec<u8>> {
    const SCALE: usize = 4;
    let rows: Vec<Vec<char>> = text
        .lines()
        .filter(|l| !l.is_empty() && l.chars().all(|c| " \u{2580}\u{2584}\u{2588}".contains(c)))
        .map(|l| l.chars().collect())
        .collect();
    let width = rows.iter().map(Vec::len).max().expect("a QR code") * SCALE;
    let mut gray = Vec::new();
    for row in &rows {
        for half in [0, 1] {
            let mut line = Vec::with_capacity(width);
            for &c in row {
                let light = match c {
                    '\u{2588}' => true,
                    '\u{2580}' => half == 0,
                    '\u{2584}' => half == 1,
                    _ => false,
                };
                line.extend(std::iter::repeat_n(if light { 255u8 } else { 0 }, SCALE));
            }
            line.resize(width, 0);
            for _ in 0..SCALE {
                gray.extend_from_slice(&line);
            }
        }
    }
    let height = gray.len() / width;
    card_readers::qr::decode_frame(&gray, width as u32, height as u32).expect("zbar runs")
}

#[test]
fn a_clerk_added_from_a_pipe_gets_a_uri_and_a_qr_code_whose_codes_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = add(dir.path(), "clerk.ho", PASSWORD);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(printed.contains("clerk.ho"), "{printed}");
    let uri = printed_uri(&printed);
    assert_eq!((uri.account.as_str(), uri.period, uri.digits), ("clerk.ho", 60, 6));
    assert_eq!(uri.secret.len(), totp::SECRET_BYTES);
    // The QR code: rows of half blocks, its quiet zone a row of full blocks.
    let qr_rows = printed.lines().filter(|l| l.contains('\u{2580}') || l.contains('\u{2584}'));
    assert!(qr_rows.count() > 10, "{printed}");
    assert!(printed.lines().any(|l| !l.is_empty() && l.chars().all(|c| c == '\u{2588}')));
    // It scans: as a light-on-dark terminal shows it, zbar reads the URI back.
    let payloads = scan_terminal_qr(&printed);
    let printed_line = printed.lines().find(|l| l.starts_with("otpauth://")).expect("URI line");
    assert_eq!(payloads, [printed_line.as_bytes().to_vec()]);
    let stored = clerk(dir.path(), "clerk.ho");
    assert!(stored.active);
    assert_code_from_uri_verifies(&uri, &stored);
    // The password itself is nowhere in the store's file.
    let bytes = std::fs::read(dir.path().join("kiosk.db")).expect("store file");
    assert!(!bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()));
    // Neither the password nor the secret reaches the log.
    let secret = totp::base32_encode(&uri.secret);
    for entry in std::fs::read_dir(dir.path().join("logs")).expect("logs") {
        let log = std::fs::read_to_string(entry.expect("entry").path()).expect("log");
        assert!(!log.contains(PASSWORD) && !log.contains(&secret), "{log}");
    }

    // The same id again, in any case, is refused and changes nothing.
    let again = add(dir.path(), "CLERK.HO", PASSWORD);
    assert_eq!(again.status.code(), Some(1), "{}", stdout(&again));
    assert!(stderr(&again).contains("already a clerk"), "{}", stderr(&again));
    assert_eq!(clerks(dir.path()).len(), 1);
}

#[test]
fn a_weak_password_is_refused_with_every_reason_and_nothing_is_added() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = add(dir.path(), "clerk.weak", "short");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let said = stderr(&out);
    assert!(said.contains("at least 8 characters"), "{said}");
    assert!(said.contains("three"), "{said}");
    assert!(!stdout(&out).contains("otpauth://"));
    assert!(clerks(dir.path()).is_empty());
    // In the clerk's language.
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "zh-Hant", "clerk", "add", "--id", "clerk.weak", "--name", "X"]);
    cmd.args(["--role", "clerk"]);
    let out = run_with_stdin(cmd, b"abcdefgh\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("密碼"), "{}", stderr(&out));
}

#[test]
fn list_shows_the_clerks_without_secrets_and_disable_stops_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(add(dir.path(), "clerk.ho", PASSWORD).status.code(), Some(0));
    let secret = clerk(dir.path(), "clerk.ho").totp_secret.expect("secret").expose().to_owned();

    let out = kiosk(dir.path()).args(["clerk", "list", "--json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains(&secret) && !text.contains("argon2"), "{text}");
    let rows: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "clerk.ho");
    assert_eq!(rows[0]["name"], "何家豪 HO KA HOU");
    assert_eq!(rows[0]["role"], "supervisor");
    assert_eq!(rows[0]["active"], true);
    assert_eq!(rows[0]["totp"], true);

    let out = kiosk(dir.path()).args(["--lang", "en", "clerk", "list"]).output().expect("runs");
    let text = stdout(&out);
    assert!(text.contains("clerk.ho") && text.contains("active"), "{text}");
    assert!(!text.contains(&secret), "{text}");

    let out = kiosk(dir.path()).args(["clerk", "disable", "clerk.ho"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!clerk(dir.path(), "clerk.ho").active);
    let out = kiosk(dir.path()).args(["clerk", "list", "--json"]).output().expect("runs");
    assert!(stdout(&out).contains(r#""active":false"#), "{}", stdout(&out));

    let out = kiosk(dir.path()).args(["clerk", "disable", "clerk.nobody"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // A mistake of usage is 2, as for every command.
    let out = kiosk(dir.path()).args(["clerk", "add", "--id", "x"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reset_totp_gives_a_new_secret_and_the_old_codes_stop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = add(dir.path(), "clerk.ho", PASSWORD);
    let old = printed_uri(&stdout(&out));

    let out = kiosk(dir.path()).args(["clerk", "reset-totp", "clerk.ho"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let new = printed_uri(&stdout(&out));
    assert_ne!(new.secret, old.secret);
    let stored = clerk(dir.path(), "clerk.ho");
    assert_code_from_uri_verifies(&new, &stored);
    let stored_secret =
        stored.totp_secret.as_ref().and_then(|s| totp::base32_decode(s.expose())).expect("secret");
    assert_eq!(stored_secret, new.secret);

    let out = kiosk(dir.path()).args(["clerk", "reset-totp", "nobody"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn demo_init_prints_each_clerks_uri_beside_the_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = kiosk(dir.path()).args(["--lang", "en", "demo", "init"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    let lines: Vec<&str> = printed
        .lines()
        .filter(|l| l.trim_start().starts_with("clerk.") || l.contains("supervisor."))
        .collect();
    assert_eq!(lines.len(), 3, "{printed}");
    for line in lines {
        let username = line.split_whitespace().next().expect("user name");
        let uri = printed_uri(line);
        assert_eq!(uri.account, username);
        assert_code_from_uri_verifies(&uri, &clerk(dir.path(), username));
    }
}
