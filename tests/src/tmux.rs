//! The counter app in a real terminal: the real `kiosk` binary in a tmux pane of its own, driven
//! by keys as a clerk (or a keyboard-wedge scanner) drives it, its screen read back as text; and
//! the clerk's authenticator app, computing one-time codes from the `otpauth://` URI the kiosk
//! printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use registry::totp;

use crate::{kiosk_bin, stderr, stdout};

/// How long anything the app does may take to show (a debug build on two shared cores).
pub const DEADLINE: Duration = Duration::from_secs(20);

/// One tmux server of its own (its socket in the test's folder, no user configuration), whose
/// one pane runs `sh run.sh KIOSK ARGS…`: the kiosk, then a line with its exit status, then the
/// shell waits, so the pane outlives the kiosk and its screen can be read after it has ended.
#[derive(Debug)]
pub struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    pub fn start(dir: &Path, width: u16, height: u16, kiosk_args: &[&str]) -> Tmux {
        Tmux::start_with_env(dir, width, height, kiosk_args, &[])
    }

    /// As [`Tmux::start`], with `env` set in the pane's environment (such as the office CA's
    /// `KIOSK_CA_PIN`, which the counter reads from its environment only).
    pub fn start_with_env(
        dir: &Path,
        width: u16,
        height: u16,
        kiosk_args: &[&str],
        env: &[(&str, &str)],
    ) -> Tmux {
        let script = dir.join("run.sh");
        std::fs::write(&script, "\"$@\"\necho \"kiosk exited with $?\"\nexec sleep 600\n")
            .expect("the pane's script is written");
        let socket = dir.join("tmux.sock");
        let mut cmd = Command::new("tmux");
        cmd.arg("-u").arg("-f").arg("/dev/null").arg("-S").arg(&socket);
        cmd.args(["new-session", "-d", "-x", &width.to_string(), "-y", &height.to_string()]);
        cmd.arg("sh").arg(&script).arg(kiosk_bin()).args(kiosk_args);
        // The server's environment is the pane's: nothing from the machine decides the language,
        // and the kiosk does not think it runs inside another tmux.
        for (var, _) in std::env::vars_os() {
            let name = var.to_string_lossy();
            if name.starts_with("KIOSK_") || name.starts_with("LC_") || name == "TMUX" {
                cmd.env_remove(&var);
            }
        }
        cmd.env("LANG", "C.UTF-8");
        cmd.envs(env.iter().copied());
        let status =
            cmd.status().expect("tmux must be installed: run scripts/test.sh, which installs it");
        assert!(status.success(), "tmux did not start");
        Tmux { socket }
    }

    pub fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p"]).stdout).into_owned()
    }

    /// A tmux format of the pane: `#{alternate_on}`, `#{pane_pid}`, …
    pub fn format(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Polls the screen until `done` holds and the screen has settled (the same twice in a row,
    /// so that it is not read half-drawn); fails with `what` and the screen after the deadline.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let screen = self.screen();
            if done(&screen) {
                std::thread::sleep(Duration::from_millis(30));
                if self.screen() == screen {
                    return screen;
                }
                continue;
            }
            assert!(Instant::now() < deadline, "{what} never came; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text))
    }

    /// Keys by tmux's names: `Enter`, `F2`, `C-l`, `BSpace`.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success(), "tmux sent {keys:?}");
    }

    /// Characters as a keyboard (or a keyboard-wedge scanner) types them: `-l`, so that `|`,
    /// `;` and words such as `Enter` are not read as key names.
    pub fn type_text(&self, text: &str) {
        assert!(self.tmux(&["send-keys", "-l", text]).status.success(), "tmux typed {text:?}");
    }

    /// Presses `key` and waits for the screen to change: one key at a person's pace, never two
    /// close enough to read as a scanner's burst.
    pub fn press(&self, key: &str) -> String {
        let before = self.screen();
        self.keys(&[key]);
        self.wait_until(&format!("the screen after {key}"), |s| s != before)
    }

    /// The kiosk's process id: the child of the pane's shell.
    pub fn kiosk_pid(&self) -> Option<String> {
        child_of(&self.format("#{pane_pid}"))
    }

    /// The pane's terminal device.
    pub fn tty(&self) -> String {
        self.format("#{pane_tty}")
    }

    /// Whether the pane's terminal is in raw mode (no line editing, no echo), as a full-screen
    /// app sets it, rather than as a shell expects to find it.
    pub fn raw_mode(&self) -> bool {
        let out = Command::new("stty").arg("-F").arg(self.tty()).arg("-a").output().expect("stty");
        assert!(out.status.success(), "stty: {}", stderr(&out));
        let flags = stdout(&out);
        let flags: Vec<&str> = flags.split([' ', ';', '\n']).collect();
        match (flags.contains(&"-icanon"), flags.contains(&"icanon")) {
            (true, false) => true,
            (false, true) => false,
            _ => panic!("stty shows no icanon flag:\n{}", flags.join(" ")),
        }
    }

    /// Waits for the kiosk to end (the pane's shell prints its status) and answers the status.
    /// A kiosk killed outright leaves its screen drawn, and the line lands wherever the cursor
    /// stood: the status is the word after it.
    pub fn wait_for_exit(&self) -> String {
        let deadline = Instant::now() + DEADLINE;
        // Joined (`-J`): the line may wrap at the pane's edge.
        let joined = || {
            let out = self.tmux(&["capture-pane", "-p", "-J"]);
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let mut screen = joined();
        while !screen.contains("kiosk exited with ") {
            assert!(Instant::now() < deadline, "the kiosk never ended; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
            screen = joined();
        }
        let (_, after) = screen.split_once("kiosk exited with ").unwrap_or_default();
        after.split_whitespace().next().unwrap_or_default().to_owned()
    }

    /// After the kiosk ended: the pane is back on the main screen, with a visible cursor, and
    /// its terminal in the mode a shell needs.
    pub fn assert_terminal_restored(&self) {
        let deadline = Instant::now() + DEADLINE;
        while self.format("#{alternate_on}") != "0" {
            assert!(Instant::now() < deadline, "still on the alternate screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(self.format("#{cursor_flag}"), "1", "the cursor stays hidden");
        assert!(!self.raw_mode(), "the terminal is left in raw mode");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The office's zone (the kiosk's default, UTC+8).
pub fn office_now() -> time::OffsetDateTime {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("offset");
    time::OffsetDateTime::now_utc().to_offset(offset)
}

/// The demo books its appointments for the office's today, and a pass is good on its day only.
/// A test starting in the last three minutes of the office's day waits for the next one, so that
/// the demo and the screens it checks share one day.
pub fn wait_out_office_midnight() {
    let now = office_now();
    let left = time::Duration::DAY - (now - now.replace_time(time::Time::MIDNIGHT));
    if left < time::Duration::minutes(3) {
        std::thread::sleep((left + time::Duration::seconds(2)).unsigned_abs());
    }
}

/// The clerk's authenticator app, from the `otpauth://` URI the kiosk printed.
pub struct Authenticator {
    pub otp: totp::OtpAuth,
}

/// The secret stays out of test output.
impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator").field("account", &self.otp.account).finish_non_exhaustive()
    }
}

impl Authenticator {
    pub fn from_uri(uri: &str) -> Authenticator {
        let otp = totp::parse_otpauth_uri(uri).unwrap_or_else(|| panic!("not a URI: {uri}"));
        Authenticator { otp }
    }

    /// The code the app shows now, once its step is later than `after` (a code signs in once)
    /// and with at least 5 s left in the step, so that it is still the current code when the
    /// kiosk checks it. Answers the code and its step.
    pub fn code(&self, after: Option<u64>) -> (String, u64) {
        let period = self.otp.period;
        let deadline = Instant::now() + Duration::from_secs(3 * u64::from(period));
        loop {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let step = totp::step_at(now, period);
            let left = i64::from(period) - now.rem_euclid(i64::from(period));
            if left >= 5 && after.is_none_or(|used| step > used) {
                return (totp::code_at(&self.otp.secret, period, now), step);
            }
            assert!(Instant::now() < deadline, "no usable step came");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The first line of `screen` holding every one of `parts`.
pub fn line_with<'a>(screen: &'a str, parts: &[&str]) -> Option<&'a str> {
    screen.lines().find(|line| parts.iter().all(|p| line.contains(p)))
}

/// Types the clerk id, the password and a code, each followed by Enter, on the sign-in or the
/// lock screen, and checks the password never shows. Answers the step of the code typed.
pub fn sign_in(
    tmux: &Tmux,
    id: &str,
    password: &str,
    app: &Authenticator,
    after: Option<u64>,
) -> (String, u64) {
    tmux.wait_for("Clerk id:");
    tmux.type_text(id);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Password:");
    tmux.type_text(password);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("One-time code:");
    assert!(!screen.contains(password), "the password is shown:\n{screen}");
    let (code, step) = app.code(after);
    tmux.type_text(&code);
    tmux.keys(&["Enter"]);
    (code, step)
}

/// The child process of `parent` (the kiosk under the pane's shell), from `/proc`.
pub fn child_of(parent: &str) -> Option<String> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // `pid (comm) state ppid …`; the name may hold spaces and parentheses.
        let Some((_, rest)) = stat.rsplit_once(") ") else { continue };
        if rest.split_whitespace().nth(1) == Some(parent) {
            return Some(entry.file_name().to_string_lossy().into_owned());
        }
    }
    None
}
