//! The counter app driven as a clerk drives it: the real `kiosk` binary in a real terminal
//! (tmux), by keys only. A demo office, a clerk added from a pipe, sign-in with a one-time code
//! computed from the printed `otpauth://` URI, today's queue, a check-in by a scanner typing a
//! pass, live search, the subscriber file, F2, the lock, Ctrl-C; the first-start screen; and the
//! terminal given back whole however the app ends.

use std::path::Path;
use std::process::Command;

use registry::totp;
use tests::tmux::{Authenticator, Tmux, child_of, line_with, sign_in, wait_out_office_midnight};
use tests::{kiosk, run_with_stdin, stderr, stdout};

const PASSWORD: &str = "Counter-2026e";
const CLERK: &str = "clerk.e2e";
const CLERK_NAME: &str = "何家豪 HO KA HOU";

/// Every record of `kind` in `kiosk export`.
fn exported(dir: &Path, kind: &str) -> Vec<serde_json::Value> {
    let out = kiosk(dir).arg("export").output().expect("export");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
        .filter(|r| r["kind"] == kind)
        .collect()
}

/// The QR payload of `booked_name`'s appointment, from `kiosk appointment pass`.
fn pass_of(dir: &Path, booked_name: &str) -> String {
    let appointment = appointment_of(dir, booked_name);
    let id = appointment["id"].as_str().expect("an id");
    let out = kiosk(dir).args(["appointment", "pass", id]).output().expect("pass");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pass = stdout(&out).trim().to_owned();
    assert!(pass.starts_with("KQ1|") && pass.split('|').count() == 5, "{pass}");
    pass
}

fn appointment_of(dir: &Path, booked_name: &str) -> serde_json::Value {
    exported(dir, "appointment")
        .into_iter()
        .find(|a| a["booked_name"] == booked_name)
        .unwrap_or_else(|| panic!("no appointment for {booked_name}"))
}

/// A demo office from `kiosk demo init`, and a clerk of its own from `kiosk clerk add` with the
/// password from a pipe: the clerk's authenticator app, set up from the printed URI.
fn office_with_clerk(data: &Path) -> Authenticator {
    let demo = kiosk(data).args(["--lang", "en", "demo", "init"]).output().expect("demo init");
    assert_eq!(demo.status.code(), Some(0), "{}", stderr(&demo));
    let printed = stdout(&demo);
    for clerk in ["clerk.chan", "clerk.wong", "supervisor.lei"] {
        let line = line_with(&printed, &[clerk, "otpauth://totp/"]);
        assert!(line.is_some(), "demo init shows {clerk}'s credentials:\n{printed}");
    }

    let mut add = kiosk(data);
    add.args(["--lang", "en", "clerk", "add", "--id", CLERK, "--name", CLERK_NAME]);
    add.args(["--role", "clerk"]);
    let added = run_with_stdin(add, format!("{PASSWORD}\n").as_bytes());
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let printed = stdout(&added);
    let uri = printed
        .split_whitespace()
        .find(|w| w.starts_with("otpauth://totp/"))
        .unwrap_or_else(|| panic!("clerk add prints no URI:\n{printed}"));
    let app = Authenticator::from_uri(uri);
    assert_eq!((app.otp.account.as_str(), app.otp.period, app.otp.digits), (CLERK, 60, 6));
    app
}

#[test]
fn a_clerk_signs_in_checks_a_pass_in_finds_a_subscriber_locks_unlocks_and_quits() {
    wait_out_office_midnight();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = office_with_clerk(&data);
    // What the booking system sends 黃志明: the pass of today's appointment, as a QR payload.
    assert_eq!(appointment_of(&data, "黃志明")["status"], "booked");
    let pass = pass_of(&data, "黃志明");
    // 張偉's pass with another booking reference: its signature no longer matches.
    let genuine = pass_of(&data, "張偉");
    let mut fields: Vec<&str> = genuine.split('|').collect();
    let reference = fields[2].to_owned();
    let altered = format!("{}9", &reference[..reference.len() - 1]);
    assert_ne!(altered, reference);
    fields[2] = &altered;
    let forged = fields.join("|");

    let data_arg = data.to_str().expect("a UTF-8 path");
    let tmux = Tmux::start(dir.path(), 100, 30, &["--data-dir", data_arg, "--lang", "en"]);
    tmux.wait_for("Sign in");
    assert_eq!(tmux.format("#{alternate_on}"), "1", "the app draws on the alternate screen");
    assert!(tmux.raw_mode(), "the app reads keys in raw mode");

    // Sign-in: id, password, then the code the clerk's app shows now.
    let (signin_code, signin_step) = sign_in(&tmux, CLERK, PASSWORD, &app, None);
    // Today's queue: the demo's five appointments, 李美玲 already checked in.
    let queue = tmux.wait_for("Appointments (5)");
    assert!(queue.contains(CLERK_NAME), "the status bar names the clerk:\n{queue}");
    for name in ["李美玲", "黃志明", "張偉", "王芳", "MARIA FERNANDA SOUSA"] {
        assert!(queue.contains(name), "{name} is on today's queue:\n{queue}");
    }
    let row = line_with(&queue, &["黃志明", "New certificate"]).expect("黃志明's row");
    assert!(row.trim_end().ends_with("booked"), "{row}");
    assert!(line_with(&queue, &["李美玲", "checked in"]).is_some(), "{queue}");

    // The scanner types the pass and Enter into the queue screen.
    tmux.type_text(&pass);
    tmux.keys(&["Enter"]);
    tmux.wait_for("黃志明 is checked in.");
    let queue = tmux.wait_until("黃志明's row saying checked in", |s| {
        line_with(s, &["黃志明", "New certificate"])
            .is_some_and(|row| row.trim_end().ends_with("checked in"))
    });
    assert!(!queue.contains("KQ1|"), "the pass is typed into no field:\n{queue}");
    assert_eq!(appointment_of(&data, "黃志明")["status"], "checked_in");
    // The same pass again is refused, and says why.
    tmux.type_text(&pass);
    tmux.keys(&["Enter"]);
    tmux.wait_for("is already checked in. Do not check it in twice");
    // An altered pass is refused as forged, and checks nobody in.
    tmux.type_text(&forged);
    tmux.keys(&["Enter"]);
    let refused = tmux.wait_for("failed its security check");
    let row = line_with(&refused, &["張偉", "PIN unlock"]).expect("張偉's row");
    assert!(row.trim_end().ends_with("booked"), "{refused}");
    assert_eq!(appointment_of(&data, "張偉")["status"], "booked");

    // F1 lists the keys of the queue, from the key table; Esc closes it.
    tmux.keys(&["F1"]);
    let help = tmux.wait_for("Keys on this screen");
    for key in ["Ctrl-L", "lock the screen", "F3 / /", "walk-in ticket", "Ctrl-C"] {
        assert!(help.contains(key), "the help lists {key:?}:\n{help}");
    }
    tmux.keys(&["Escape"]);
    tmux.wait_until("the help closed", |s| !s.contains("Keys on this screen"));

    // Live search by two characters of a Chinese name.
    tmux.keys(&["F3"]);
    tmux.wait_for("Name, ID number, phone or certificate serial");
    tmux.type_text("志明");
    let results = tmux.wait_for("WONG CHI MING");
    let row = line_with(&results, &["黃志明", "WONG CHI MING"]).expect("黃志明's result");
    assert!(row.contains("******6(3)"), "the ID number masked but its last 4:\n{results}");
    assert!(!results.contains("A123456"), "the whole ID number is shown:\n{results}");
    assert!(row.trim_end().ends_with("name"), "found by name:\n{results}");
    // Enter opens the file.
    tmux.keys(&["Enter"]);
    let file = tmux.wait_until("黃志明's file", |s| {
        s.contains("Subscriber file") && s.contains("黃志明  WONG CHI MING")
    });
    for section in ["Identity and documents", "Organisations and roles", "Certificates", "History"]
    {
        assert!(file.contains(section), "the file has {section}:\n{file}");
    }
    assert!(file.contains("Hong Kong identity card: ******6(3)"), "{file}");
    assert!(file.contains("Phone: **** **** 4567"), "{file}");
    assert!(!file.contains("A123456") && !file.contains("9123"), "unmasked:\n{file}");

    // Back to the search, and by ID number, typed in full-width digits with spaces.
    tmux.keys(&["Escape"]);
    tmux.wait_for("Name, ID number, phone or certificate serial: 志明");
    tmux.keys(&["BSpace", "BSpace"]);
    tmux.wait_for("Type part of a name");
    tmux.type_text("４４０３０５ １９８５０５２１ ２４２８");
    let results = tmux.wait_for("WANG FANG");
    let row = line_with(&results, &["王芳", "WANG FANG"]).expect("王芳's result");
    assert!(row.contains("**************2428"), "masked but its last 4:\n{results}");
    assert!(row.trim_end().ends_with("ID number"), "found by ID number:\n{results}");
    assert!(!results.contains("440305198505"), "the whole ID number is shown:\n{results}");
    tmux.keys(&["Enter"]);
    let file = tmux.wait_for("王芳  WANG FANG");
    assert!(file.contains("Mainland resident identity card: **************2428"), "{file}");

    // F2: the next language, zh-Hant, everything on screen included; round to English.
    tmux.keys(&["F2"]);
    tmux.wait_until("the file all in zh-Hant", |s| {
        ["登記人檔案", "註冊櫃檯", "繁體中文", "身份及證件", "機構及角色", "F1 說明"]
            .iter()
            .all(|zh| s.contains(zh))
            && ["Subscriber file", "Identity and documents", "Certificates", "History", "F1 help"]
                .iter()
                .all(|en| !s.contains(en))
    });
    tmux.keys(&["F2"]);
    tmux.wait_for("Ficha do titular");
    tmux.keys(&["F2"]);
    tmux.wait_for("登记人档案");
    tmux.keys(&["F2"]);
    tmux.wait_for("Subscriber file");

    // Ctrl-L locks: nothing of the file shows.
    tmux.keys(&["C-l"]);
    let locked = tmux.wait_for("Screen locked");
    assert!(locked.contains("Locked while"), "{locked}");
    assert!(!locked.contains("WANG FANG"), "the file shows on the locked screen:\n{locked}");
    // The code that signed in does not unlock: a code is good once.
    tmux.wait_for("Clerk id:");
    tmux.type_text(CLERK);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Password:");
    tmux.type_text(PASSWORD);
    tmux.keys(&["Enter"]);
    tmux.wait_for("One-time code:");
    let step_now = totp::step_at(time::OffsetDateTime::now_utc().unix_timestamp(), 60);
    if step_now <= signin_step + 1 {
        // Within the window the kiosk accepts (one step of skew), so only the reuse refuses it.
        tmux.type_text(&signin_code);
        tmux.keys(&["Enter"]);
        tmux.wait_for("already used");
        assert!(tmux.screen().contains("Screen locked"));
    }
    // The next code unlocks, back onto the file that was open.
    let (code, _) = app.code(Some(signin_step));
    tmux.wait_for("One-time code:");
    tmux.type_text(&code);
    tmux.keys(&["Enter"]);
    let unlocked = tmux.wait_until("the file again", |s| {
        s.contains("王芳  WANG FANG") && !s.contains("Screen locked")
    });
    assert!(unlocked.contains("Subscriber file"), "{unlocked}");

    // Ctrl-C quits, and the terminal is given back as it was.
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_for_exit(), "0", "{}", tmux.screen());
    tmux.assert_terminal_restored();
}

/// The first-start screen's credentials: each clerk's line (id, password, role) and the URI
/// under it, which the box may have wrapped over several rows.
fn credentials_on(screen: &str) -> Vec<(String, String, String)> {
    let inner: Vec<String> = screen
        .lines()
        .map(|l| l.trim_end().trim_start_matches('│').trim_end_matches('│').trim().to_owned())
        .collect();
    let mut found = Vec::new();
    for (i, row) in inner.iter().enumerate() {
        let words: Vec<&str> = row.split_whitespace().collect();
        let [id, password, _role] = words[..] else { continue };
        if !id.contains('.') || !inner.get(i + 1).is_some_and(|n| n.starts_with("otpauth://")) {
            continue;
        }
        let mut uri = String::new();
        for part in &inner[i + 1..] {
            uri.push_str(part);
            if uri.contains("algorithm=SHA1") {
                break;
            }
        }
        found.push((id.to_owned(), password.to_owned(), uri));
    }
    found
}

#[test]
fn first_start_creates_the_demo_office_and_its_credentials_sign_in() {
    wait_out_office_midnight();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let data_arg = data.to_str().expect("a UTF-8 path");
    let tmux = Tmux::start(dir.path(), 100, 30, &["--data-dir", data_arg, "--lang", "en"]);
    tmux.wait_for("data directory is empty");
    tmux.keys(&["Enter"]);
    let shown = tmux.wait_for("Press Enter to go to sign-in.");
    let credentials = credentials_on(&shown);
    let ids: Vec<&str> = credentials.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ["clerk.chan", "clerk.wong", "supervisor.lei"], "{shown}");
    let (id, password, uri) = &credentials[0];
    let app = Authenticator::from_uri(uri);
    assert_eq!(app.otp.account, *id, "{uri}");

    // Shown once: gone from the screen once the clerk goes on.
    tmux.keys(&["Enter"]);
    let signin = tmux.wait_for("Clerk id:");
    assert!(!signin.contains(password.as_str()), "{signin}");
    sign_in(&tmux, id, password, &app, None);
    let queue = tmux.wait_for("Appointments (5)");
    assert!(queue.contains("陳文詠 CHAN MAN WING"), "the status bar names the clerk:\n{queue}");
    assert!(line_with(&queue, &["黃志明", "booked"]).is_some(), "{queue}");

    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_for_exit(), "0", "{}", tmux.screen());
    tmux.assert_terminal_restored();
}

#[test]
fn sigterm_ends_the_app_and_gives_the_terminal_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let demo = kiosk(&data).args(["demo", "init"]).output().expect("demo init");
    assert_eq!(demo.status.code(), Some(0), "{}", stderr(&demo));
    let data_arg = data.to_str().expect("a UTF-8 path");
    let tmux = Tmux::start(dir.path(), 80, 24, &["--data-dir", data_arg, "--lang", "en"]);
    tmux.wait_for("Clerk id:");
    tmux.type_text("clerk.chan");
    assert_eq!(tmux.format("#{alternate_on}"), "1");
    assert!(tmux.raw_mode(), "the app reads keys in raw mode");

    let shell = tmux.format("#{pane_pid}");
    let pid = child_of(&shell).expect("the kiosk runs under the pane's shell");
    let kill = Command::new("sh").args(["-c", "kill -TERM \"$1\"", "sh", &pid]).status();
    assert!(kill.expect("kill runs").success(), "SIGTERM to {pid}");
    let status = tmux.wait_for_exit();
    tmux.assert_terminal_restored();
    // The app ended itself: killed by the signal, the shell would say 143.
    assert_eq!(status, "0", "{}", tmux.screen());
}

/// What the app draws must reach the clerk's screen whole, at the 80×24 the screens are laid
/// out for. Each problem is named, then all are asserted at once.
#[test]
fn the_search_the_file_and_the_help_reach_the_screen_whole_at_80_columns() {
    wait_out_office_midnight();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = office_with_clerk(&data);
    let data_arg = data.to_str().expect("a UTF-8 path");
    let tmux = Tmux::start(dir.path(), 80, 24, &["--data-dir", data_arg, "--lang", "en"]);
    sign_in(&tmux, CLERK, PASSWORD, &app, None);
    tmux.wait_for("Appointments (5)");
    let mut problems = Vec::new();

    // The help box over the queue: every row has both borders, whatever wide characters the
    // queue has under its left edge.
    tmux.keys(&["F1"]);
    let help = tmux.wait_for("Keys on this screen");
    let rows: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.contains("┌ Keys on this screen"))
        .skip(1)
        .take_while(|l| !l.contains('└'))
        .collect();
    assert!(rows.len() > 10, "{help}");
    if rows.iter().any(|r| r.matches('│').count() < 2) {
        problems.push(format!("the help box loses its left border beside Chinese names:\n{help}"));
    }
    tmux.keys(&["Escape"]);
    tmux.wait_until("the help closed", |s| !s.contains("Keys on this screen"));

    // A search result shows the last four characters of the phone number, as of the ID number.
    tmux.keys(&["F3"]);
    tmux.type_text("志明");
    let results = tmux.wait_for("WONG CHI MING");
    let row = line_with(&results, &["黃志明", "WONG CHI MING"]).expect("黃志明's result");
    if !row.contains("4567") {
        problems.push(format!("the phone column cuts off the phone's last four:\n{results}"));
    }

    // The file names each organisation role once: 黃志明 is the legal representative of one
    // company, by his membership and by the company's record, which say the same thing. (At 80
    // columns the line wraps, so the company's name is what is counted.)
    tmux.keys(&["Enter"]);
    let file = tmux.wait_for("Organisations and roles");
    let role = "SHENZHEN QIANHAI DATA SERVICES";
    let times = file.lines().filter(|l| l.contains(role)).count();
    if times != 1 {
        problems.push(format!("the file shows {role:?} {times} times:\n{file}"));
    }

    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
