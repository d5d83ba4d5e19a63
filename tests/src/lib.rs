//! Helpers for the end-to-end tests: the built `kiosk` binary, run as a user would run it.
#![forbid(unsafe_code)]

pub mod hub;
pub mod postgres;
pub mod pty;
pub mod tmux;
pub mod token_files;
pub mod visit;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The workspace's target directory, as cargo was told it.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Builds a binary of the workspace once per test process and returns its path.
pub fn binary(package: &str, name: &str) -> PathBuf {
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(["build", "--quiet", "-p", package, "--bin", name]);
    cargo.current_dir(env!("CARGO_MANIFEST_DIR"));
    // What cargo set for this test process is not the build's environment. A build script that
    // watches one of these (ring's watches CARGO_MANIFEST_DIR) would otherwise see it change
    // between `cargo test` and this build, and each would rebuild ring and all above it for the
    // other: some 20 s on every run.
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        let set_for_tests = ["CARGO_MANIFEST_", "CARGO_PKG_", "CARGO_BIN_", "CARGO_CRATE_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
            || matches!(&*name, "CARGO_PRIMARY_PACKAGE" | "CARGO_TARGET_TMPDIR" | "OUT_DIR");
        if set_for_tests {
            cargo.env_remove(&var);
        }
    }
    let status = cargo.status().expect("cargo runs");
    assert!(status.success(), "building {name} failed");
    target_dir().join("debug").join(name)
}

pub fn kiosk_bin() -> PathBuf {
    static KIOSK: OnceLock<PathBuf> = OnceLock::new();
    KIOSK.get_or_init(|| binary("kiosk", "kiosk")).clone()
}

/// A kiosk command with its own data directory and no language from the environment.
pub fn kiosk(data_dir: &Path) -> Command {
    let mut cmd = Command::new(kiosk_bin());
    cmd.arg("--data-dir").arg(data_dir);
    // Nothing from the machine's environment decides what the test sees.
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        if name.starts_with("KIOSK_") || name.starts_with("LC_") || name == "LANG" {
            cmd.env_remove(&var);
        }
    }
    cmd
}

/// Runs `cmd` with `input` on stdin.
pub fn run_with_stdin(mut cmd: Command, input: &[u8]) -> Output {
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("kiosk starts");
    if let Some(mut stdin) = child.stdin.take() {
        // A command may exit before reading everything; a broken pipe is its answer, not ours.
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().expect("kiosk finishes")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// How old someone born on 1 January `year` is today in the office's zone (UTC+8): the age the
/// kiosk's implausible-age warning names.
pub fn age_today_of_one_born_on_new_years_day(year: i32) -> i32 {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).year() - year
}

/// Debian's Python, where `python3-aiosmtpd` lives (a `python3` earlier on the PATH, such as
/// pyenv's, does not see Debian's packages).
const DEBIAN_PYTHON: &str = "/usr/bin/python3";

/// A real SMTP server for the tests: Debian's `python3-aiosmtpd` on a loopback port, keeping
/// every message it accepts as a file in a maildir. Stopped when dropped.
#[derive(Debug)]
pub struct Smtp {
    pub port: u16,
    maildir: PathBuf,
    child: std::process::Child,
}

/// A loopback port nothing listens on now (the OS picks it; the caller binds it soon after).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

impl Smtp {
    /// Starts a server on a free port, its maildir under `dir`.
    pub fn start(dir: &Path) -> Smtp {
        Smtp::start_on(dir, free_port())
    }

    /// Starts a server on `port` (a relay that was down comes back where it was), and returns
    /// once it accepts connections.
    pub fn start_on(dir: &Path, port: u16) -> Smtp {
        let maildir = dir.join("maildir");
        let mut child = Command::new(DEBIAN_PYTHON)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{DEBIAN_PYTHON} runs (install python3-aiosmtpd with scripts/deps.sh test): {e}"
                )
            });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
                }
                panic!(
                    "aiosmtpd stopped ({status}); install python3-aiosmtpd with \
                     scripts/deps.sh test: {err}"
                );
            }
            assert!(std::time::Instant::now() < deadline, "aiosmtpd did not listen on {port}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Smtp { port, maildir, child }
    }

    /// The relay's address for `mail_relay`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received, oldest first, decoded (as a mail reader shows it): the
    /// envelope's recipient (`X-RcptTo`), `Subject`, a blank line, the text body.
    pub fn messages(&self) -> Vec<String> {
        // Python's own MIME parser: the bodies come base64 or quoted-printable, the subjects as
        // RFC 2047 words.
        let script = r#"
import email, email.policy, os, sys
root = sys.argv[1]
files = []
for sub in ("new", "cur"):
    d = os.path.join(root, sub)
    if os.path.isdir(d):
        files += [os.path.join(d, f) for f in os.listdir(d)]
files.sort(key=lambda f: (os.stat(f).st_mtime_ns, f))
out = []
for f in files:
    with open(f, "rb") as fh:
        m = email.message_from_binary_file(fh, policy=email.policy.default)
    body = m.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    out.append("X-RcptTo: %s\nSubject: %s\n\n%s" % (m.get("X-RcptTo", ""), m.get("Subject", ""), text))
sys.stdout.write("\x1e".join(out))
"#;
        let out = Command::new(DEBIAN_PYTHON)
            .arg("-c")
            .arg(script)
            .arg(&self.maildir)
            .output()
            .expect("python reads the maildir");
        assert!(out.status.success(), "reading the maildir: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        if text.is_empty() { Vec::new() } else { text.split('\u{1e}').map(str::to_owned).collect() }
    }

    /// The code in the latest message to `address`: the first run of exactly six digits in its
    /// body.
    pub fn code_for(&self, address: &str) -> Option<String> {
        let message = self.messages().into_iter().rev().find(|m| {
            m.lines()
                .next()
                .and_then(|l| l.strip_prefix("X-RcptTo: "))
                .is_some_and(|to| to.trim().eq_ignore_ascii_case(address))
        })?;
        let (_, body) = message.split_once("\n\n")?;
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start == 6 {
                    return Some(chars[start..i].iter().collect());
                }
            } else {
                i += 1;
            }
        }
        None
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
