//! The hub's database on SQLite: one file, no setup, for a registry that one hub process serves.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::CENTRAL;
use super::db::{
    Commit, Conflict, Database, DbError, Device, Folded, PROJECT_BATCH, StoredEntry, by_record,
    export_entries, folded, group_conflicts,
};
use crate::journal::Entry;
use crate::signing::ChainHead;

const MIGRATIONS: &[&str] = &[
    r#"
    -- Each document as the automerge chunks the hub saved of it, in order: a document is the
    -- chunks loaded one after another. `compact` replaces a run of them by one whole save.
    CREATE TABLE chunks (
        id    INTEGER PRIMARY KEY,
        doc   TEXT NOT NULL,
        bytes BLOB NOT NULL
    );
    CREATE INDEX chunks_by_doc ON chunks (doc, id);

    -- automerge's sync state per kiosk and document, so a reconnect resumes.
    CREATE TABLE sync_states (
        peer  TEXT NOT NULL,
        doc   TEXT NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (peer, doc)
    ) WITHOUT ROWID;

    -- Kiosks seen, with the certificate they presented.
    CREATE TABLE devices (
        kiosk       TEXT PRIMARY KEY,
        office      TEXT NOT NULL,
        public_key  BLOB NOT NULL,
        certificate BLOB NOT NULL
    ) WITHOUT ROWID;

    -- The last link of each kiosk's chain.
    CREATE TABLE chain_heads (
        kiosk TEXT PRIMARY KEY,
        seq   INTEGER NOT NULL,
        link  TEXT NOT NULL
    ) WITHOUT ROWID;

    -- Every entry accepted, as signed (kinds this build does not know included).
    CREATE TABLE events (
        event_id    TEXT PRIMARY KEY,
        office      TEXT NOT NULL,
        doc         TEXT NOT NULL,
        v           INTEGER NOT NULL,
        hlc         TEXT NOT NULL,
        kiosk       TEXT NOT NULL,
        clerk       TEXT,
        record_kind TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        changes     TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        prev        TEXT NOT NULL,
        sig         TEXT NOT NULL,
        link        TEXT NOT NULL,
        UNIQUE (kiosk, seq)
    ) WITHOUT ROWID;

    -- The records, folded from the events with the kiosks' own fold. `office` is the office
    -- whose journal first named the record (CENTRAL for the central registry's).
    CREATE TABLE records (
        kind   TEXT NOT NULL,
        id     TEXT NOT NULL,
        office TEXT NOT NULL,
        state  TEXT NOT NULL,
        clocks TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    );
    CREATE INDEX records_by_office ON records (office, kind, id);
"#,
    // 2: what a record may conflict on (`registry::conflicts`): one row per record that has a key.
    r#"
    CREATE TABLE record_keys (
        kind     TEXT NOT NULL,
        id       TEXT NOT NULL,
        office   TEXT NOT NULL,
        key_kind TEXT NOT NULL,
        key      TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE INDEX record_keys_by_key ON record_keys (key_kind, key);
"#,
    // 3: events kept but not yet folded into records (`Database::project`); and records.clocks
    // grouped by stamp (`db::encode_clocks`: the earlier form still reads, but a hub before this
    // schema would not read the new one).
    r#"
    CREATE TABLE unprojected (
        event_id TEXT PRIMARY KEY
    ) WITHOUT ROWID;
"#,
];

#[derive(Debug)]
pub struct SqliteDb {
    conn: Connection,
}

impl SqliteDb {
    pub fn open(path: &Path) -> Result<SqliteDb, DbError> {
        // The records hold ID numbers and phones: a new database file is the owner's only (its
        // -wal and -shm files take the same mode from SQLite).
        if !path.exists() {
            use std::os::unix::fs::OpenOptionsExt;
            match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e.into()),
            }
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        let mut db = SqliteDb { conn };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&mut self) -> Result<(), DbError> {
        let known = MIGRATIONS.len() as i64;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current > known {
            return Err(DbError::Newer { found: current, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn entry_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Entry, String)> {
    Ok((
        r.get("office")?,
        Entry {
            v: r.get::<_, i64>("v")? as u64,
            event_id: r.get("event_id")?,
            hlc: r.get("hlc")?,
            kiosk: r.get("kiosk")?,
            clerk: r.get("clerk")?,
            record_kind: r.get("record_kind")?,
            record_id: r.get("record_id")?,
            changes: r.get("changes")?,
            seq: r.get::<_, i64>("seq")? as u64,
            prev: r.get("prev")?,
            sig: r.get("sig")?,
        },
        r.get("link")?,
    ))
}

impl Database for SqliteDb {
    fn chunks(&mut self, doc: &str, after: i64) -> Result<Vec<(i64, Vec<u8>)>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, bytes FROM chunks WHERE doc = ?1 AND id > ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![doc, after], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn docs(&mut self, prefix: &str) -> Result<Vec<String>, DbError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT doc FROM chunks WHERE substr(doc, 1, length(?1)) = ?1 ORDER BY doc",
        )?;
        let rows = stmt.query_map([prefix], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn compact(&mut self, doc: &str, upto: i64, whole: &[u8]) -> Result<(), DbError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM chunks WHERE doc = ?1 AND id <= ?2", params![doc, upto])?;
        // The whole save takes the place of the chunks it replaces: its id must sort before
        // any chunk written after them, so it reuses the last replaced id.
        tx.execute(
            "INSERT INTO chunks (id, doc, bytes) VALUES (?1, ?2, ?3)",
            params![upto, doc, whole],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn sync_state(&mut self, peer: &str, doc: &str) -> Result<Option<Vec<u8>>, DbError> {
        Ok(self
            .conn
            .prepare_cached("SELECT state FROM sync_states WHERE peer = ?1 AND doc = ?2")?
            .query_row(params![peer, doc], |r| r.get(0))
            .optional()?)
    }

    fn save_sync_state(&mut self, peer: &str, doc: &str, state: &[u8]) -> Result<(), DbError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO sync_states (peer, doc, state) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![peer, doc, state])?;
        Ok(())
    }

    fn device(&mut self, kiosk: &str) -> Result<Option<Device>, DbError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT kiosk, office, public_key, certificate FROM devices WHERE kiosk = ?1",
            )?
            .query_row([kiosk], |r| {
                Ok(Device {
                    kiosk: r.get(0)?,
                    office: r.get(1)?,
                    public_key: r.get(2)?,
                    certificate: r.get(3)?,
                })
            })
            .optional()?)
    }

    fn devices(&mut self) -> Result<Vec<Device>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kiosk, office, public_key, certificate FROM devices")?;
        let rows = stmt.query_map([], |r| {
            Ok(Device {
                kiosk: r.get(0)?,
                office: r.get(1)?,
                public_key: r.get(2)?,
                certificate: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn note_device(&mut self, d: &Device) -> Result<(), DbError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO devices (kiosk, office, public_key, certificate) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![d.kiosk, d.office, d.public_key, d.certificate])?;
        Ok(())
    }

    fn chain_head(&mut self, kiosk: &str) -> Result<ChainHead, DbError> {
        Ok(self
            .conn
            .prepare_cached("SELECT seq, link FROM chain_heads WHERE kiosk = ?1")?
            .query_row([kiosk], |r| {
                Ok(ChainHead { seq: r.get::<_, i64>(0)? as u64, link: r.get(1)? })
            })
            .optional()?
            .unwrap_or_default())
    }

    fn record_state(&mut self, kind: &str, id: &str) -> Result<Option<String>, DbError> {
        self.project()?;
        Ok(self
            .conn
            .prepare_cached("SELECT state FROM records WHERE kind = ?1 AND id = ?2")?
            .query_row([kind, id], |r| r.get(0))
            .optional()?)
    }

    fn latest_hlc(&mut self, kiosk: &str) -> Result<Option<String>, DbError> {
        Ok(self
            .conn
            .prepare_cached("SELECT hlc FROM events WHERE kiosk = ?1 ORDER BY seq DESC LIMIT 1")?
            .query_row([kiosk], |r| r.get(0))
            .optional()?)
    }

    fn event_link(&mut self, event_id: &str) -> Result<Option<String>, DbError> {
        Ok(self
            .conn
            .prepare_cached("SELECT link FROM events WHERE event_id = ?1")?
            .query_row([event_id], |r| r.get(0))
            .optional()?)
    }

    fn commit(&mut self, commit: &Commit) -> Result<i64, DbError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for head in &commit.heads {
            let now: ChainHead = tx
                .query_row(
                    "SELECT seq, link FROM chain_heads WHERE kiosk = ?1",
                    [&head.kiosk],
                    |r| Ok(ChainHead { seq: r.get::<_, i64>(0)? as u64, link: r.get(1)? }),
                )
                .optional()?
                .unwrap_or_default();
            if now != head.from {
                return Err(DbError::Raced { kiosk: head.kiosk.clone() });
            }
            tx.execute(
                "INSERT OR REPLACE INTO chain_heads (kiosk, seq, link) VALUES (?1, ?2, ?3)",
                params![head.kiosk, head.to.seq as i64, head.to.link],
            )?;
        }
        tx.execute(
            "INSERT INTO chunks (doc, bytes) VALUES (?1, ?2)",
            params![commit.doc, commit.chunk],
        )?;
        let chunk = tx.last_insert_rowid();
        for a in &commit.accepted {
            let e = &a.entry;
            tx.prepare_cached(
                "INSERT INTO events (event_id, office, doc, v, hlc, kiosk, clerk, record_kind, record_id,
                                     changes, seq, prev, sig, link)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                e.event_id, a.office, a.doc, e.v as i64, e.hlc, e.kiosk, e.clerk, e.record_kind,
                e.record_id, e.changes, e.seq as i64, e.prev, e.sig, a.link
            ])?;
            tx.prepare_cached("INSERT INTO unprojected (event_id) VALUES (?1)")?
                .execute([&e.event_id])?;
        }
        tx.commit()?;
        Ok(chunk)
    }

    fn project(&mut self) -> Result<u64, DbError> {
        let mut total = 0;
        loop {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let pending: Vec<(String, Entry)> = tx
                .prepare_cached(
                    "SELECT e.* FROM unprojected u JOIN events e ON e.event_id = u.event_id
                     ORDER BY e.record_kind, e.record_id LIMIT ?1",
                )?
                .query_map([PROJECT_BATCH], entry_of)?
                .map(|r| r.map(|(office, entry, _)| (office, entry)))
                .collect::<Result<_, _>>()?;
            if pending.is_empty() {
                return Ok(total);
            }
            for record in by_record(&pending) {
                let row: Option<(String, String)> = tx
                    .prepare_cached(
                        "SELECT state, clocks FROM records WHERE kind = ?1 AND id = ?2",
                    )?
                    .query_row(params![record.kind, record.id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                if let Some(Folded { state, clocks, key }) = folded(row, &record.events)? {
                    tx.prepare_cached(
                        "INSERT INTO records (kind, id, office, state, clocks) VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state, clocks = excluded.clocks",
                    )?
                    .execute(params![record.kind, record.id, record.office, state, clocks])?;
                    tx.prepare_cached("DELETE FROM record_keys WHERE kind = ?1 AND id = ?2")?
                        .execute(params![record.kind, record.id])?;
                    if let Some((key_kind, key)) = key {
                        tx.prepare_cached(
                            "INSERT INTO record_keys (kind, id, office, key_kind, key)
                             SELECT kind, id, office, ?3, ?4 FROM records WHERE kind = ?1 AND id = ?2",
                        )?
                        .execute(params![
                            record.kind,
                            record.id,
                            key_kind,
                            key
                        ])?;
                    }
                }
            }
            for (_, entry) in &pending {
                tx.prepare_cached("DELETE FROM unprojected WHERE event_id = ?1")?
                    .execute([&entry.event_id])?;
            }
            tx.commit()?;
            total += pending.len() as u64;
        }
    }

    fn export(&mut self, office: &str, out: &mut dyn Write) -> Result<u64, DbError> {
        // Folded from the events the office's kiosks hold (its own and the central registry's),
        // so a central record an office changed is, for another office, as that office sees it.
        let mut stmt = self.conn.prepare(
            "SELECT * FROM events WHERE office IN (?1, ?2) ORDER BY record_kind, record_id",
        )?;
        let rows = stmt.query_map(params![office, CENTRAL], entry_of)?;
        export_entries(rows.map(|r| r.map(|(_, entry, _)| entry).map_err(DbError::from)), out)
    }

    fn chains(
        &mut self,
        each: &mut dyn FnMut(StoredEntry) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut stmt = self.conn.prepare("SELECT * FROM events ORDER BY kiosk, seq")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (office, entry, link) = entry_of(row)?;
            each(StoredEntry { office, entry, link })?;
        }
        Ok(())
    }

    fn conflicts(&mut self) -> Result<Vec<Conflict>, DbError> {
        self.project()?;
        let mut stmt = self.conn.prepare(
            "SELECT k.key_kind, k.key, k.office, k.kind, k.id FROM record_keys k
             JOIN (SELECT key_kind, key FROM record_keys GROUP BY key_kind, key HAVING count(*) > 1) d
               ON d.key_kind = k.key_kind AND d.key = k.key
             ORDER BY k.key_kind, k.key, k.office, k.id",
        )?;
        let rows =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        Ok(group_conflicts(rows.collect::<Result<_, _>>()?))
    }

    fn event_count(&mut self) -> Result<u64, DbError> {
        Ok(self.conn.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))? as u64)
    }
}
