//! A kill -9 in the middle of writing loses nothing committed and leaves nothing half-written.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tests::{binary, kiosk, stderr};

/// A count while the writer may still be creating the file or its tables: not yet there is 0.
fn poll_count(path: &Path, sql: &str) -> i64 {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(conn) = rusqlite::Connection::open_with_flags(path, flags) else { return 0 };
    let _ = conn.busy_timeout(Duration::from_secs(5));
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or(0)
}

/// A count once the writer is gone: any failure is a failure of the test.
fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("the store opens");
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn sigkill_mid_write_leaves_a_consistent_store() {
    let writer = binary("tests", "store-writer");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let mut last_events = 0;
    for round in 1..=3 {
        let mut child = Command::new(&writer)
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("writer starts");
        // Wait until this round has committed a few hundred more events, then kill it mid-stride.
        let deadline = Instant::now() + Duration::from_secs(120);
        while poll_count(&path, "SELECT count(*) FROM events") < last_events + 300 {
            assert!(Instant::now() < deadline, "the writer made no progress");
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the writer stopped by itself: {status}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");

        let out =
            kiosk(dir.path()).args(["--lang", "en", "store", "verify"]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "round {round}: {}", stderr(&out));
        // Each transaction wrote a person and their certificate: never one without the other.
        let people = count(&path, "SELECT count(*) FROM records WHERE kind = 'person'");
        let certificates = count(&path, "SELECT count(*) FROM records WHERE kind = 'certificate'");
        assert_eq!(people, certificates, "round {round}: a half-written transaction survived");
        let events = count(&path, "SELECT count(*) FROM events");
        assert_eq!(events, people + certificates, "round {round}: one event per record write");
        assert!(events >= last_events + 300, "round {round}: committed events were lost");
        // Every committed certificate is findable by its serial: the indexes kept up.
        let indexed = count(&path, "SELECT count(*) FROM certificate_index");
        assert_eq!(indexed, certificates, "round {round}");
        last_events = events;
    }
}
