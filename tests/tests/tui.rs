//! The terminal UI driven as a clerk drives it: in a real terminal (tmux), by keys.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tests::{kiosk, kiosk_bin};

struct Tmux {
    socket: std::path::PathBuf,
}

impl Tmux {
    fn start(socket_dir: &Path, command: &str) -> Tmux {
        let socket = socket_dir.join("tmux.sock");
        let status = Command::new("tmux")
            .arg("-u")
            .arg("-S")
            .arg(&socket)
            .args(["new-session", "-d", "-x", "100", "-y", "30", command])
            .env("LANG", "C.UTF-8")
            .status()
            .expect("tmux must be installed: run scripts/test.sh, which installs it");
        assert!(status.success(), "tmux did not start");
        Tmux { socket }
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p"]).stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(Instant::now() < deadline, "{text:?} never appeared; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &str) {
        assert!(self.tmux(&["send-keys", keys]).status.success());
    }

    fn running(&self) -> bool {
        self.tmux(&["has-session"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Today in the office's zone (the kiosk's default, UTC+8).
fn office_date() -> time::Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("offset");
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

#[test]
fn the_kiosk_opens_in_a_terminal_switches_language_and_quits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let day_of_demo = office_date();
    let out = kiosk(dir.path()).args(["demo", "init"]).output().expect("demo init");
    assert!(out.status.success());
    let command =
        format!("{} --data-dir {} --lang zh-Hant", kiosk_bin().display(), dir.path().display());
    let tmux = Tmux::start(dir.path(), &command);
    let screen = tmux.wait_for("註冊櫃檯");
    // The demo books five appointments for the office's today; should office midnight fall
    // between the demo and this screen, the screen rightly counts none.
    let expected =
        if office_date() == day_of_demo { "今日預約：5" } else { "今日預約：0" };
    assert!(screen.contains(expected), "today's appointments from the demo office:\n{screen}");

    tmux.keys("F2");
    tmux.wait_for("Balcão de registo");
    tmux.keys("F2");
    tmux.wait_for("注册柜台");
    tmux.keys("F2");
    let english = tmux.wait_for("Registry counter");
    let expected = if office_date() == day_of_demo { "today: 5" } else { "today: 0" };
    assert!(english.contains(expected), "{english}");

    tmux.keys("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    while tmux.running() {
        assert!(Instant::now() < deadline, "q did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
}
