//! Helpers for the end-to-end tests: the built `kiosk` binary, run as a user would run it.
#![forbid(unsafe_code)]

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
