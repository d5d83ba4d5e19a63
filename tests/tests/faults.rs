//! The kiosk under a hostile user and a faulty machine: closed pipes, full disks, paths that are
//! not UTF-8, processes racing to create one store, broken configuration, damaged stores, text
//! that would command the terminal, data left readable by other accounts.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tests::{kiosk, run_with_stdin, stderr, stdout};

const VALID_MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n";

/// Runs `cmd` with stdout a pipe whose reader is already gone: every write gets EPIPE.
fn with_closed_stdout(mut cmd: Command, input: &[u8]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    cmd.stdout(writer).stdin(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("kiosk starts");
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().expect("kiosk finishes")
}

/// Runs `cmd` with stdout on /dev/full: every write gets ENOSPC.
fn with_full_stdout(mut cmd: Command) -> Output {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    cmd.stdout(full).stderr(Stdio::piped());
    cmd.output().expect("kiosk runs")
}

fn no_panic(out: &Output) {
    let err = stderr(out);
    assert_ne!(out.status.code(), Some(101), "panicked: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn demo(dir: &Path) -> Output {
    kiosk(dir).args(["--lang", "en", "demo", "init"]).output().expect("kiosk runs")
}

#[test]
fn a_closed_pipe_ends_each_command_quietly_with_exit_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(demo(dir.path()).status.code(), Some(0));
    let commands: &[&[&str]] = &[
        &["store", "stats"],
        &["store", "verify"],
        &["export", "--format", "jsonl"],
        &["search", "CHAN"],
        &["id", "check", "--kind", "hk", "A1234563"],
        &["mrz", "parse"],
    ];
    for args in commands {
        let mut cmd = kiosk(dir.path());
        cmd.args(*args);
        let out = with_closed_stdout(cmd, VALID_MRZ.as_bytes());
        no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{args:?} should end quietly: {}", stderr(&out));
    }
}

#[test]
fn a_full_disk_under_stdout_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "en", "id", "check", "--kind", "hk", "A1234563"]);
    let out = with_full_stdout(cmd);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(70));
    assert!(stderr(&out).contains("could not be written"), "{}", stderr(&out));
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "zh-Hant", "store", "stats"]);
    let out = with_full_stdout(cmd);
    assert_eq!(out.status.code(), Some(70));
    assert!(stderr(&out).contains("無法寫出結果"), "{}", stderr(&out));
}

#[test]
fn demo_init_creates_nothing_when_nobody_can_read_the_passwords() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "en", "demo", "init"]);
    let closed = with_closed_stdout(cmd, b"");
    no_panic(&closed);
    assert_eq!(closed.status.code(), Some(70), "{}", stderr(&closed));
    assert!(stderr(&closed).contains("was not created"), "{}", stderr(&closed));
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "en", "demo", "init"]);
    let full = with_full_stdout(cmd);
    assert_eq!(full.status.code(), Some(70), "{}", stderr(&full));
    // Nothing was committed, so a rerun provisions the office and shows the passwords.
    let out = demo(dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("supervisor.lei"), "{}", stdout(&out));
}

#[test]
fn a_data_directory_whose_path_is_not_utf8_works() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9-data"));
    let out = kiosk(&odd).args(["store", "stats"]).output().expect("kiosk runs");
    no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stats: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    let path = stats["path"].as_str().expect("path");
    assert!(path.contains("caf\u{FFFD}-data"), "{path}");
}

#[test]
fn ten_processes_opening_one_new_store_all_succeed_with_one_kiosk_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("new");
    let children: Vec<_> = (0..10)
        .map(|_| {
            kiosk(&data)
                .args(["store", "stats"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("kiosk starts")
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for child in children {
        let out = child.wait_with_output().expect("kiosk finishes");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let stats: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("json");
        ids.insert(stats["kiosk_id"].as_str().expect("kiosk id").to_owned());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
}

#[test]
fn two_demo_inits_into_one_empty_directory_provision_one_office() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("office");
    let children: Vec<_> = (0..2)
        .map(|_| {
            kiosk(&data)
                .args(["--lang", "en", "demo", "init"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("kiosk starts")
        })
        .collect();
    let outs: Vec<Output> =
        children.into_iter().map(|c| c.wait_with_output().expect("finishes")).collect();
    let mut codes: Vec<_> = outs.iter().map(|o| o.status.code()).collect();
    codes.sort();
    assert_eq!(codes, [Some(0), Some(1)], "{:?}", outs.iter().map(stderr).collect::<Vec<_>>());
    let export = kiosk(&data).args(["export"]).output().expect("export");
    let clerks = stdout(&export).lines().filter(|l| l.contains(r#""kind":"clerk""#)).count();
    assert_eq!(clerks, 3, "one office's staff, not two");
}

fn config_error(dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = kiosk(dir);
    cmd.args(["--lang", "en", "store", "stats"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("kiosk runs")
}

#[test]
fn bad_settings_exit_78_naming_the_variable_or_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (var, value) in [
        ("KIOSK_KIOSK_ID", "../x"),
        ("KIOSK_UTC_OFFSET", "nine"),
        ("KIOSK_LANGUAGE", "klingon"),
        ("KIOSK_LOG", "store=[oops"),
        ("KIOSK_PIN_TRIES", "0"),
    ] {
        let out = config_error(dir.path(), &[(var, value)]);
        assert_eq!(out.status.code(), Some(78), "{var}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(var), "{var}: {err}");
        assert!(!err.contains("kiosk.toml"), "no kiosk.toml exists, yet it is blamed: {err}");
    }
    std::fs::write(dir.path().join("kiosk.toml"), "utc_offset = \"+8:xx\"\n").expect("write");
    let out = config_error(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(78));
    assert!(stderr(&out).contains("kiosk.toml: utc_offset"), "{}", stderr(&out));
}

#[test]
fn settings_that_used_to_be_ignored_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml = dir.path().join("kiosk.toml");
    std::fs::write(&toml, "token_module = 5\n").expect("write");
    let out = config_error(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    assert!(stderr(&out).contains("token_module"), "{}", stderr(&out));
    std::fs::remove_file(&toml).expect("rm");
    std::fs::create_dir(&toml).expect("a folder named kiosk.toml");
    let out = config_error(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a file that can be read"), "{}", stderr(&out));
    std::fs::remove_dir(&toml).expect("rmdir");
    std::os::unix::fs::symlink(dir.path().join("gone.toml"), &toml).expect("dangling link");
    let out = config_error(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
}

#[test]
fn an_unwritable_log_is_said_once_and_the_command_still_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A file where the logs folder should be: no log can be written, even by root.
    std::fs::write(dir.path().join("logs"), b"").expect("write");
    let out = demo(dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("The log cannot be written").count(), 1, "{err}");
    let stats = kiosk(dir.path()).args(["store", "stats"]).output().expect("stats");
    assert!(stdout(&stats).contains("\"records\""), "the records were still saved");
}

#[test]
fn a_mistyped_data_directory_is_said_on_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(demo(dir.path()).status.code(), Some(0));
    let typo = dir.path().join("offfice");
    let out = kiosk(&typo).args(["--lang", "en", "search", "CHAN"]).output().expect("kiosk runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("new, empty one was made"), "{}", stderr(&out));
    // The real store says nothing of the kind.
    let out = kiosk(dir.path()).args(["--lang", "en", "search", "CHAN"]).output().expect("runs");
    assert!(!stderr(&out).contains("new, empty"), "{}", stderr(&out));
}

#[test]
fn a_damaged_store_is_not_called_busy() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(demo(dir.path()).status.code(), Some(0));
    let db = dir.path().join("kiosk.db");
    // Keep SQLite's header, overwrite the pages after it: a file SQLite recognises, damaged.
    let mut bytes = std::fs::read(&db).expect("read");
    for b in bytes.iter_mut().skip(4096) {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).expect("write");
    let out = kiosk(dir.path()).args(["--lang", "en", "store", "verify"]).output().expect("runs");
    no_panic(&out);
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains("damaged"), "{err}");
    assert!(!err.contains("try again"), "a damaged file is not helped by trying again: {err}");
}

#[test]
fn control_and_bidi_characters_are_escaped_in_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    for hostile in ["A12\u{1b}[2J3456", "\u{202E}A1234563", "A1\u{7}234563"] {
        let out = kiosk(dir.path())
            .args(["--lang", "en", "id", "check", "--kind", "hk", hostile])
            .output()
            .expect("kiosk runs");
        assert_eq!(out.status.code(), Some(1), "{hostile:?}");
        let err = stderr(&out);
        assert!(!err.contains(['\u{1b}', '\u{202E}', '\u{7}']), "{err:?}");
    }
    let out = kiosk(dir.path())
        .args(["--lang", "\u{1b}]0;pwned\u{7}\u{202E}ne", "store", "stats"])
        .output()
        .expect("kiosk runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains(['\u{1b}', '\u{7}', '\u{202E}']), "{err:?}");
    // Not an MRZ: the message quotes what it found, NUL and escape sequence included.
    let mrz = "P<UTO\u{0}ERIK\u{1b}[31mSSON<<ANNA\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n";
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "en", "mrz", "parse"]);
    let out = run_with_stdin(cmd, mrz.as_bytes());
    assert_ne!(out.status.code(), Some(0));
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!shown.contains(['\u{1b}', '\0']), "{shown:?}");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn the_data_directory_and_its_files_are_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    assert_eq!(demo(&data).status.code(), Some(0));
    assert_eq!(mode(&data), 0o700);
    let files = files_under(&data);
    assert!(files.iter().any(|f| f.ends_with("kiosk.db")), "{files:?}");
    for path in &files {
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(path), expected, "{}", path.display());
    }
    // A directory an older kiosk left open is closed on the next start.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = data.join("kiosk.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = kiosk(&data).args(["store", "stats"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn devices_says_the_smart_card_service_is_not_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    // libpcsclite finds pcscd by this socket: one that does not exist is a pcscd that is not
    // running, without stopping the daemon other tests use.
    let out = kiosk(dir.path())
        .args(["--lang", "en", "devices"])
        .env("PCSCLITE_CSOCK_NAME", dir.path().join("no-pcscd.comm"))
        .output()
        .expect("kiosk runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("pcscd") && text.contains("not running"), "{text}");
    assert!(!text.contains("Unplug"), "the reader is not the problem: {text}");
}

#[test]
fn an_unreadable_trust_store_file_is_named_without_hanging() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csca = dir.path().join("csca");
    std::fs::create_dir(&csca).expect("mkdir");
    nix::unistd::mkfifo(&csca.join("root.pem"), nix::sys::stat::Mode::S_IRWXU).expect("fifo");
    let out = kiosk(dir.path())
        .args(["--lang", "en", "doc", "read", "--mrz", VALID_MRZ, "--csca"])
        .arg(&csca)
        .output()
        .expect("kiosk runs");
    no_panic(&out);
    assert_eq!(out.status.code(), Some(70), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("CSCA") && err.contains("root.pem"), "{err}");
}

#[test]
fn a_closed_pipe_does_not_turn_a_no_into_a_yes() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The document number's check digit is wrong: the answer is 1 whoever reads stdout.
    let bad = VALID_MRZ.replace("L898902C36", "L898902C37");
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "en", "mrz", "parse"]);
    let out = with_closed_stdout(cmd, bad.as_bytes());
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("check digit"), "still said on stderr: {}", stderr(&out));
}

#[test]
fn demo_init_force_gives_the_demo_staff_new_passwords() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(demo(dir.path()).status.code(), Some(0));
    let hashes = |dir: &Path| -> Vec<String> {
        let out = kiosk(dir).args(["export"]).output().expect("export");
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
            .filter(|r| r["kind"] == "clerk")
            .map(|r| r["password_hash"].as_str().expect("hash").to_owned())
            .collect()
    };
    let before = hashes(dir.path());
    let out = kiosk(dir.path())
        .args(["--lang", "en", "demo", "init", "--force"])
        .output()
        .expect("kiosk runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for username in ["clerk.chan", "clerk.wong", "supervisor.lei"] {
        assert!(stdout(&out).contains(username), "{}", stdout(&out));
    }
    let after = hashes(dir.path());
    assert_eq!(after.len(), 3, "the same three accounts, not three more");
    assert!(before.iter().all(|h| !after.contains(h)), "every password was replaced");
}

#[test]
fn a_folder_that_is_not_a_data_directory_keeps_its_permissions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("project");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let notes = folder.join("notes.txt");
    std::fs::write(&notes, b"mine").expect("write");
    std::fs::set_permissions(&notes, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    // A mistyped --data-dir: the kiosk makes its store there, and touches nothing else.
    for _ in 0..2 {
        let out = kiosk(&folder).args(["store", "stats"]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    assert_eq!(mode(&notes), 0o644, "a file the kiosk did not make is not its to change");
    assert_eq!(mode(&folder.join("kiosk.db")), 0o600);
}

#[test]
fn a_data_directory_behind_a_link_is_made_private_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("disk");
    assert_eq!(demo(&real).status.code(), Some(0));
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = real.join("kiosk.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let link = dir.path().join("data");
    std::os::unix::fs::symlink(&real, &link).expect("link");
    let out = kiosk(&link).args(["store", "stats"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(mode(&real), 0o700);
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn release_builds_of_the_kiosk_leave_every_test_double_out() {
    // The features of `krate` that a build of `package` compiles (normal dependencies only, as
    // `cargo build -p kiosk --release` resolves them).
    let features_of = |package: &str, krate: &str| {
        let out = Command::new(env!("CARGO"))
            .args(["tree", "-p", package, "-e", "features,normal", "-i", krate])
            .args(["--prefix", "none"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo tree");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    // softhsm, vcard and the Mainland reader simulator, cups.
    for krate in ["tokens", "card-readers", "printers"] {
        let kiosk = features_of("kiosk", krate);
        assert!(kiosk.contains(&format!("{krate} feature \"default\"")), "{kiosk}");
        assert!(!kiosk.contains("test-support"), "the kiosk compiles {krate}'s doubles: {kiosk}");
        // The feature exists, and these tests are built with it.
        let tests = features_of("tests", krate);
        assert!(tests.contains(&format!("{krate} feature \"test-support\"")), "{tests}");
    }
}

#[test]
fn a_damaged_print_spool_does_not_hide_the_other_devices() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("spool.db"), vec![0x5A; 8192]).expect("write");
    let out = kiosk(dir.path()).args(["--lang", "en", "devices", "--json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["spool"]["status"], "unavailable", "{json}");
    assert!(json["spool"]["detail"].is_string(), "{json}");
    assert!(json["readers"]["status"].is_string() && json["cameras"]["status"].is_string());
}
