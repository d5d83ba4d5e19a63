//! A private CUPS for tests and demos: its own cupsd in the foreground, configured under one
//! directory, listening on a free port of 127.0.0.1, with PDF queues whose every job lands in
//! its own file (`DIR/out/<queue>/job-<n>.pdf`), so a test can count what was printed and read
//! it back. No systemd, nothing under /etc, the system's cupsd (if any) untouched.
//!
//! Each queue uses the Generic PDF driver (cups-filters' `pdftopdf` runs on every job, as at a
//! real printer, so a broken PDF fails there) and a one-file-per-job backend written into the
//! private `ServerBin`. CUPS's own `file:` device would do, but it overwrites one file per job.
//!
//! "The printer is off" is [`Cups::stop_queue`] (`cupsdisable`): the queue is *stopped*, as
//! CUPS stops a queue whose device is off or failing, and keeps accepting jobs it cannot print.
//! [`Cups::reject_jobs`] (`cupsreject`) is the other case: the queue refuses new jobs. [`Cups::stop`]
//! stops cupsd itself: nothing answers.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The PPD of the PDF queues (package `cups-filters`).
const PDF_PPD: &str = "/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd";

/// Where the system's filters live; the private `ServerBin` links to them.
const SYSTEM_SERVER_BIN: &str = "/usr/lib/cups";

const INSTALL_HINT: &str =
    "install cups, cups-client and printer-driver-cups-pdf (scripts/deps.sh test)";

/// The backend: writes each job to `job-<id>.pdf` in the directory of its device URI
/// (`kioskpdf:/DIR`). Written to a temporary name first, so a file that exists is complete.
const BACKEND: &str = r#"#!/bin/sh
# One PDF file per job, for the kiosk's tests (printers::cups).
if [ $# -eq 0 ]; then
    echo 'direct kioskpdf "Unknown" "Kiosk test PDF output"'
    exit 0
fi
dir="${DEVICE_URI#kioskpdf:}"
tmp="$dir/.job-$1.part"
if [ $# -ge 6 ]; then cat "$6" > "$tmp" || exit 1; else cat > "$tmp" || exit 1; fi
chmod 0644 "$tmp"
mv "$tmp" "$dir/job-$1.pdf" || exit 1
exit 0
"#;

/// A running private cupsd. Dropping it stops cupsd.
#[derive(Debug)]
pub struct Cups {
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
    /// Running as root: cupsd runs filters and backends as `lp`, which must reach `dir`.
    lp_group: Option<u32>,
}

impl Cups {
    /// Starts cupsd with a configuration under `dir` (created if missing) on a free port, and
    /// waits until it answers. As root, `dir`'s parents must be searchable by others (filters
    /// run as `lp`); `dir` itself is made `root:lp`.
    pub fn start(dir: &Path) -> io::Result<Cups> {
        for program in ["cupsd", "lpadmin", "cupsenable", "cupsaccept"] {
            if which(program).is_none() {
                return Err(io::Error::other(format!("{program} not found: {INSTALL_HINT}")));
            }
        }
        if !Path::new(PDF_PPD).exists() {
            return Err(io::Error::other(format!("{PDF_PPD} not found: {INSTALL_HINT}")));
        }
        std::fs::create_dir_all(dir)?;
        let dir = dir.canonicalize()?;
        // Whoever creates a file owns it: that tells root from a user without libc.
        let probe = dir.join(".owner-probe");
        std::fs::write(&probe, b"")?;
        let root = std::fs::metadata(&probe)?.uid() == 0;
        std::fs::remove_file(&probe)?;
        let lp_group = if root {
            check_searchable_parents(&dir)?;
            Some(group_id("lp")?)
        } else {
            None
        };
        let cups = Cups { dir, port: 0, child: None, lp_group };
        cups.write_tree(root)?;
        cups.launch()
    }

    /// The private tree: configuration, spool, state, logs, the `ServerBin` with the backend.
    fn write_tree(&self, root: bool) -> io::Result<()> {
        let d = &self.dir;
        for sub in ["etc/ppd", "spool/tmp", "run", "cache", "log", "out", "lib/backend"] {
            std::fs::create_dir_all(d.join(sub))?;
        }
        for sub in ["filter", "daemon", "cgi-bin", "driver", "monitor", "notifier"] {
            let link = d.join("lib").join(sub);
            if std::fs::symlink_metadata(&link).is_err() {
                std::os::unix::fs::symlink(Path::new(SYSTEM_SERVER_BIN).join(sub), &link)?;
            }
        }
        let backend = d.join("lib/backend/kioskpdf");
        std::fs::write(&backend, BACKEND)?;
        // 0755: CUPS runs it as `lp` (a 0700 backend would run as root).
        std::fs::set_permissions(&backend, std::fs::Permissions::from_mode(0o755))?;

        let user_lines = if root {
            "User lp\nGroup lp\nSystemGroup root\n".to_owned()
        } else {
            // Unprivileged cupsd runs everything as the current user.
            String::new()
        };
        let files_conf = format!(
            "ServerRoot {d}/etc\nRequestRoot {d}/spool\nTempDir {d}/spool/tmp\nStateDir {d}/run\n\
             CacheDir {d}/cache\nServerBin {d}/lib\nAccessLog {d}/log/access_log\n\
             ErrorLog {d}/log/error_log\nPageLog {d}/log/page_log\nFileDevice Yes\nPrintcap\n\
             {user_lines}",
            d = d.display()
        );
        std::fs::write(d.join("cups-files.conf"), files_conf)?;

        if let Some(lp) = self.lp_group {
            // cupsd (root) repairs what it owns; lp needs to pass through, read the PPDs and
            // spool files, and write job output.
            chown_tree(d, lp)?;
            for (sub, mode) in [
                ("", 0o750),
                ("etc", 0o755),
                ("lib", 0o755),
                ("lib/backend", 0o755),
                ("spool", 0o710),
                ("spool/tmp", 0o1770),
                ("out", 0o770),
                ("cache", 0o770),
                ("run", 0o755),
                ("log", 0o755),
            ] {
                std::fs::set_permissions(d.join(sub), std::fs::Permissions::from_mode(mode))?;
            }
        }
        Ok(())
    }

    fn write_cupsd_conf(&self) -> io::Result<()> {
        // No authentication and every operation allowed, but only from 127.0.0.1. Job names stay
        // private to their owner (CUPS's default), as on a real server: the spool must find its
        // jobs as the user it printed them as.
        let conf = format!(
            "LogLevel info\nListen 127.0.0.1:{port}\nBrowsing No\nWebInterface No\n\
             DefaultAuthType None\nPreserveJobHistory Yes\n\
             <Location />\n  Order allow,deny\n  Allow 127.0.0.1\n</Location>\n\
             <Policy default>\n  JobPrivateAccess default\n  JobPrivateValues default\n\
             SubscriptionPrivateAccess default\n  SubscriptionPrivateValues default\n\
             <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
            port = self.port
        );
        std::fs::write(self.dir.join("cupsd.conf"), conf)
    }

    /// Picks a free port, starts cupsd on it and waits until it listens. A port taken between
    /// the pick and cupsd's bind makes cupsd exit: then another port.
    fn launch(mut self) -> io::Result<Cups> {
        let mut last_error = None;
        for _ in 0..5 {
            self.port = free_port()?;
            self.write_cupsd_conf()?;
            let log = std::fs::File::create(self.dir.join("log/cupsd.out"))?;
            let mut child = Command::new("cupsd")
                .arg("-f")
                .arg("-c")
                .arg(self.dir.join("cupsd.conf"))
                .arg("-s")
                .arg(self.dir.join("cups-files.conf"))
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log)
                .spawn()
                .map_err(|e| {
                    io::Error::other(format!("cannot start cupsd ({e}): {INSTALL_HINT}"))
                })?;
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                if let Some(status) = child.try_wait()? {
                    last_error = Some(io::Error::other(format!(
                        "cupsd exited ({status}) on port {}: {}",
                        self.port,
                        self.diagnostics()
                    )));
                    break;
                }
                let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
                if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                    self.child = Some(child);
                    return Ok(self);
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(io::Error::other(format!(
                        "cupsd did not answer on port {} within 15 s: {}",
                        self.port,
                        self.diagnostics()
                    )));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("cupsd did not start")))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`, for the CUPS tools' `-h`.
    pub fn server(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The IPP URI of queue `name` (whether or not it exists).
    pub fn queue_uri(&self, name: &str) -> String {
        format!("ipp://127.0.0.1:{}/printers/{name}", self.port)
    }

    /// Adds an enabled, accepting PDF queue `name` whose jobs land in [`Cups::outputs`], and
    /// returns its IPP URI.
    pub fn add_pdf_queue(&self, name: &str) -> io::Result<String> {
        if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("queue name {name:?}"),
            ));
        }
        let out = self.out_dir(name);
        std::fs::create_dir_all(&out)?;
        if let Some(lp) = self.lp_group {
            std::os::unix::fs::chown(&out, Some(0), Some(lp))?;
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o770))?;
        }
        let device = format!("kioskpdf:{}", out.display());
        self.tool("lpadmin", &["-p", name, "-v", &device, "-P", PDF_PPD, "-E"])?;
        Ok(self.queue_uri(name))
    }

    /// Removes queue `name`.
    pub fn remove_queue(&self, name: &str) -> io::Result<()> {
        self.tool("lpadmin", &["-x", name])
    }

    /// "The printer is off": stops the queue (`cupsdisable`). It reports `stopped` (reason
    /// `paused`) and would hold new jobs without printing them.
    pub fn stop_queue(&self, name: &str) -> io::Result<()> {
        self.tool("cupsdisable", &[name])
    }

    /// The printer is on again (`cupsenable`): held jobs print.
    pub fn start_queue(&self, name: &str) -> io::Result<()> {
        self.tool("cupsenable", &[name])
    }

    /// The queue refuses new jobs (`cupsreject`): Print-Job gets server-error-not-accepting-jobs.
    pub fn reject_jobs(&self, name: &str) -> io::Result<()> {
        self.tool("cupsreject", &[name])
    }

    /// The queue takes jobs again (`cupsaccept`).
    pub fn accept_jobs(&self, name: &str) -> io::Result<()> {
        self.tool("cupsaccept", &[name])
    }

    fn out_dir(&self, name: &str) -> PathBuf {
        self.dir.join("out").join(name)
    }

    /// The files queue `name` has printed, one per job, in job order.
    pub fn outputs(&self, name: &str) -> io::Result<Vec<PathBuf>> {
        let mut jobs = Vec::new();
        for entry in std::fs::read_dir(self.out_dir(name))? {
            let path = entry?.path();
            let job = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("job-"))
                .and_then(|n| n.strip_suffix(".pdf"))
                .and_then(|n| n.parse::<u32>().ok());
            if let Some(job) = job {
                jobs.push((job, path));
            }
        }
        jobs.sort();
        Ok(jobs.into_iter().map(|(_, path)| path).collect())
    }

    /// Stops cupsd (SIGTERM, then SIGKILL after 5 s): from now on nothing answers on the port.
    pub fn stop(&mut self) -> io::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        // SIGTERM lets cupsd stop its filters; std only sends SIGKILL.
        let _ = Command::new("sh")
            .args(["-c", &format!("kill -TERM {}", child.id())])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while child.try_wait()?.is_none() {
            if Instant::now() > deadline {
                child.kill()?;
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait()?;
        Ok(())
    }

    /// The end of cupsd's error log and output, for a failing test's message.
    pub fn diagnostics(&self) -> String {
        let tail = |file: &str| {
            let text = std::fs::read_to_string(self.dir.join("log").join(file)).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(20)..].join("\n")
        };
        format!("{}\n{}", tail("cupsd.out"), tail("error_log"))
    }

    /// Runs a CUPS tool against this cupsd.
    fn tool(&self, program: &str, args: &[&str]) -> io::Result<()> {
        let output = Command::new(program)
            .arg("-h")
            .arg(self.server())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| io::Error::other(format!("cannot run {program} ({e}): {INSTALL_HINT}")))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "{program} {}: {} {}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )))
        }
    }
}

impl Drop for Cups {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

fn group_id(name: &str) -> io::Result<u32> {
    let groups = std::fs::read_to_string("/etc/group")?;
    groups
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(':');
            let group = fields.next()?;
            let gid = fields.nth(1)?.parse().ok()?;
            (group == name).then_some(gid)
        })
        .next()
        .ok_or_else(|| io::Error::other(format!("no group {name:?}: {INSTALL_HINT}")))
}

/// cupsd runs filters as `lp`: every parent of `dir` must let others through.
fn check_searchable_parents(dir: &Path) -> io::Result<()> {
    for parent in dir.ancestors().skip(1) {
        let mode = std::fs::metadata(parent)?.mode();
        if mode & 0o001 == 0 {
            return Err(io::Error::other(format!(
                "{} is not searchable by others (mode {:o}): CUPS filters run as lp and could not \
                 reach {}; chmod o+x it or use another directory",
                parent.display(),
                mode & 0o7777,
                dir.display()
            )));
        }
    }
    Ok(())
}

fn chown_tree(dir: &Path, gid: u32) -> io::Result<()> {
    std::os::unix::fs::lchown(dir, Some(0), Some(gid))?;
    if std::fs::symlink_metadata(dir)?.is_dir() {
        for entry in std::fs::read_dir(dir)? {
            chown_tree(&entry?.path(), gid)?;
        }
    }
    Ok(())
}
