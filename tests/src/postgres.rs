//! A real PostgreSQL for the hub's tests: Debian's `postgresql` binaries, a private cluster in a
//! temporary folder on a loopback port, started by the test and stopped (immediately) when
//! dropped. Run as root (CI), the cluster runs as the `postgres` user, as PostgreSQL requires.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::free_port;

#[derive(Debug)]
pub struct Postgres {
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

/// The newest `/usr/lib/postgresql/N/bin`.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("Debian's postgresql is installed (scripts/deps.sh test)")
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL version under /usr/lib/postgresql").1
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// `program` with `args`, as the `postgres` user when this is root.
fn as_owner(program: &Path, args: &[&str]) -> Output {
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args).output().expect("PostgreSQL's tools run")
}

fn check(what: &str, out: Output) {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Postgres {
    /// A new cluster, accepting connections on its port when this returns.
    pub fn start() -> Postgres {
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("registry-pg").tempdir().expect("tempdir");
        let data = dir.path().join("data");
        if is_root() {
            check(
                "chown",
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(dir.path())
                    .output()
                    .expect("chown"),
            );
        }
        let data_str = data.to_str().expect("a UTF-8 temp path");
        check(
            "initdb",
            as_owner(
                &bin.join("initdb"),
                &["-D", data_str, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
            ),
        );
        // A port another test took between our look and the server's bind: try another.
        for _ in 0..5 {
            let port = free_port();
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                dir.path().display()
            );
            let log = dir.path().join("log");
            let out = as_owner(
                &bin.join("pg_ctl"),
                &[
                    "-D",
                    data_str,
                    "-o",
                    &options,
                    "-l",
                    log.to_str().expect("path"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            );
            if out.status.success() {
                return Postgres { port, bin, data, _dir: dir };
            }
        }
        panic!(
            "PostgreSQL did not start on any of 5 ports: {}",
            std::fs::read_to_string(dir.path().join("log")).unwrap_or_default()
        );
    }

    /// A new, empty database on the cluster; its URL.
    pub fn new_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let name = format!("hub_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
            ])
            .arg(format!("CREATE DATABASE {name}"))
            .output()
            .expect("psql runs");
        check("CREATE DATABASE", out);
        self.url(&name)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs SQL on `database` with psql, returning what it printed (unaligned, tuples only).
    pub fn psql(&self, database_url: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-At", database_url, "-c", sql])
            .output()
            .expect("psql runs");
        check("psql", out.clone());
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(data) = self.data.to_str() {
            let _ =
                as_owner(&self.bin.join("pg_ctl"), &["-D", data, "-m", "immediate", "-w", "stop"]);
        }
    }
}
