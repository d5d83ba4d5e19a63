//! The central registry's hub for the end-to-end tests: the real `registry-hub` binary serving
//! on a loopback port with its own TLS folder and database (SQLite in the test's folder, or a
//! PostgreSQL URL), killed with SIGKILL when dropped or asked to.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::{binary, free_port, stderr, stdout};

pub fn hub_bin() -> PathBuf {
    static HUB: OnceLock<PathBuf> = OnceLock::new();
    HUB.get_or_init(|| binary("sync", "registry-hub")).clone()
}

/// A `registry-hub` command with no language or log settings from the environment.
pub fn hub_command() -> Command {
    let mut cmd = Command::new(hub_bin());
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        if name.starts_with("REGISTRY_HUB") || name.starts_with("LC_") || name == "LANG" {
            cmd.env_remove(&var);
        }
    }
    cmd.args(["--lang", "en"]);
    cmd
}

#[derive(Debug)]
pub struct Hub {
    pub port: u16,
    pub tls_dir: PathBuf,
    pub database: String,
    /// Where the hub's stderr (its warnings, and a panic if one happened) goes, every start
    /// of this hub appended.
    pub log: PathBuf,
    child: Option<Child>,
}

impl Hub {
    /// A hub on SQLite in `dir`.
    pub fn start(dir: &Path) -> Hub {
        let database = format!("sqlite:{}", dir.join("hub.sqlite").display());
        Hub::start_with(dir, database)
    }

    /// A hub on `database` (`sqlite:PATH` or a PostgreSQL URL), its TLS folder in `dir`.
    pub fn start_with(dir: &Path, database: String) -> Hub {
        let log = dir.join(format!("hub-{}.log", ulid::Ulid::new()));
        let mut hub = Hub { port: 0, tls_dir: dir.join("tls"), database, log, child: None };
        hub.restart();
        hub
    }

    /// Another hub process on the same database and TLS folder (several hubs sharing one
    /// PostgreSQL).
    pub fn another(&self) -> Hub {
        let mut hub = Hub {
            port: 0,
            tls_dir: self.tls_dir.clone(),
            database: self.database.clone(),
            log: self.log.with_file_name(format!("hub-{}.log", ulid::Ulid::new())),
            child: None,
        };
        hub.restart();
        hub
    }

    pub fn url(&self) -> String {
        format!("wss://localhost:{}", self.port)
    }

    /// Starts the hub (again, after [`Hub::kill`]) once it says it listens: on the port it
    /// had, so that kiosks joined to it find it again (a port another process took meanwhile
    /// is retried for a while, then a new one is taken), or on a new port the first time.
    pub fn restart(&mut self) {
        self.kill();
        let previous = self.port;
        for attempt in 0..40 {
            let port = if previous != 0 && attempt < 35 { previous } else { free_port() };
            let mut child = hub_command()
                .args([
                    "serve",
                    "--listen",
                    &format!("127.0.0.1:{port}"),
                    "--database",
                    &self.database,
                ])
                .arg("--tls-dir")
                .arg(&self.tls_dir)
                .env("REGISTRY_HUB_LOG", "warn")
                .stdout(Stdio::piped())
                .stderr(Stdio::from(
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&self.log)
                        .expect("the hub's log file"),
                ))
                .spawn()
                .expect("registry-hub starts");
            let Some(out) = child.stdout.take() else { panic!("no stdout") };
            let mut lines = BufReader::new(out).lines();
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut listening = false;
            while Instant::now() < deadline {
                match lines.next() {
                    Some(Ok(line)) if line.contains("listening") => {
                        listening = true;
                        break;
                    }
                    Some(Ok(_)) => continue,
                    _ => break,
                }
            }
            if listening {
                // Keep reading its stdout so it never blocks on a full pipe.
                std::thread::spawn(move || for _ in lines {});
                self.port = port;
                self.child = Some(child);
                return;
            }
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("registry-hub did not start");
    }

    /// Panics when the hub's log shows it panicked (in a connection's task, say: the process
    /// goes on, and only its log tells).
    pub fn assert_never_panicked(&self) {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        assert!(!log.contains("panicked"), "the hub panicked:\n{log}");
    }

    /// Whether the hub process runs (it was started and not killed).
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// SIGKILL: the hub dies where it stands.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A kiosk's credentials for `office`, in `out`.
    pub fn enroll(&self, office: &str, kiosk: &str, out: &Path) {
        let output = hub_command()
            .args(["enroll", "--office", office, "--kiosk", kiosk])
            .arg("--tls-dir")
            .arg(&self.tls_dir)
            .arg("--out")
            .arg(out)
            .output()
            .expect("registry-hub runs");
        assert!(output.status.success(), "enroll: {}", stderr(&output));
    }

    pub fn run(&self, args: &[&str]) -> Output {
        hub_command()
            .args(args)
            .args(["--database", &self.database])
            .output()
            .expect("registry-hub runs")
    }

    /// `registry-hub export --office OFFICE`.
    pub fn export(&self, office: &str) -> String {
        let out = self.run(&["export", "--office", office, "--format", "jsonl"]);
        assert!(out.status.success(), "export: {}", stderr(&out));
        stdout(&out)
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.kill();
    }
}
