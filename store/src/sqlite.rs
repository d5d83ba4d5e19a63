//! How every SQLite file of the kiosk is opened and migrated: the store's `kiosk.db` and the
//! print spool's `spool.db` alike. Several processes open these files at once (the counter app's
//! workers, a command beside the UI, two counters' first start on a shared directory), so the
//! setup and each migration must be safe when they race.

use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

/// How long a connection waits for another process's write before it gives up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a database could not be brought to this build's schema.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error("the database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database was written by a newer kiosk (schema {found}, this build knows {known})")]
    Newer { found: i64, known: i64 },
}

/// Sets up a freshly opened connection: the busy timeout first (so every later step waits for a
/// racing process instead of failing with "database is locked"), then WAL (readers never wait
/// for a writer) and FULL sync (a commit survives a power cut).
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    switch_to_wal(conn)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

/// How long to wait between two tries of switching to WAL.
const WAL_RETRY: Duration = Duration::from_millis(2);

/// Switches the file to WAL. When several connections switch one new file at once, a
/// connection that read the file before another's switch committed holds a read lock it would
/// have to upgrade past the other's, and SQLite answers "database is locked" at once instead of
/// calling the busy handler (waiting could deadlock). Nothing announces when the other is done,
/// so this retries, with a short pause, for as long as the busy timeout would have waited.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::DatabaseBusy && Instant::now() < deadline =>
            {
                std::thread::sleep(WAL_RETRY);
            }
            done => return done,
        }
    }
}

/// Brings the database to `migrations.len()`, the schema this build knows. `PRAGMA user_version`
/// holds how many migrations have run; a migration is never edited once shipped.
///
/// Each migration runs in an IMMEDIATE transaction that re-reads the version inside it: of
/// several processes opening a new file at once, one migrates while the others wait on the
/// write lock, then find the work done. A version read outside the lock would have them all
/// create the same tables.
pub fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<(), MigrationError> {
    let known = migrations.len() as i64;
    // Versions only rise, so a file already at this build's version needs no lock: every open
    // but the first few takes this path, and a reader never waits behind a long write here.
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current == known {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if current > known {
            return Err(MigrationError::Newer { found: current, known });
        }
        let Some(sql) = usize::try_from(current).ok().and_then(|i| migrations.get(i)) else {
            // Up to date: nothing to commit.
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
        tracing::info!(version = current + 1, "schema migrated");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATIONS: &[&str] =
        &["CREATE TABLE a (x INTEGER);", "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);"];

    #[test]
    fn migrations_run_once_in_order_and_a_newer_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        for _ in 0..2 {
            let mut conn = Connection::open(&path).expect("open");
            configure(&conn).expect("configure");
            migrate(&mut conn, MIGRATIONS).expect("migrate");
            let rows: i64 = conn.query_row("SELECT count(*) FROM a", [], |r| r.get(0)).expect("a");
            assert_eq!(rows, 1, "the second migration ran exactly once");
        }
        let mut conn = Connection::open(&path).expect("open");
        let err = migrate(&mut conn, &MIGRATIONS[..1]).expect_err("newer schema");
        assert!(matches!(err, MigrationError::Newer { found: 2, known: 1 }), "{err}");
    }

    #[test]
    fn threads_racing_to_create_one_file_all_succeed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("race.db");
        let handles: Vec<_> = (0..10)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || -> Result<(), String> {
                    let mut conn = Connection::open(&path).map_err(|e| e.to_string())?;
                    configure(&conn).map_err(|e| e.to_string())?;
                    migrate(&mut conn, MIGRATIONS).map_err(|e| e.to_string())
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("thread").expect("open and migrate");
        }
        let conn = Connection::open(&path).expect("open");
        let rows: i64 = conn.query_row("SELECT count(*) FROM a", [], |r| r.get(0)).expect("a");
        assert_eq!(rows, 1);
    }
}
