//! The hub's database on PostgreSQL: how the registry grows past one machine, several hub
//! processes sharing one database.
//!
//! Everything one message writes is one transaction holding a transaction-level advisory lock
//! on the office: two hub processes never fold one office's records at once, and a document's
//! chunk ids rise in the order their transactions commit, which is what lets each process read
//! only the chunks after the last it saw.

use std::io::Write;

use postgres::{Client, NoTls};

use super::CENTRAL;
use super::db::{
    Commit, Conflict, Database, DbError, Device, Folded, PROJECT_BATCH, StoredEntry, by_record,
    export_entries, folded, group_conflicts,
};
use crate::journal::Entry;
use crate::signing::ChainHead;

const SCHEMA: &str = r#"
    CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS chunks (
        id    BIGSERIAL PRIMARY KEY,
        doc   TEXT NOT NULL,
        bytes BYTEA NOT NULL
    );
    CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks (doc, id);
    CREATE TABLE IF NOT EXISTS sync_states (
        peer  TEXT NOT NULL,
        doc   TEXT NOT NULL,
        state BYTEA NOT NULL,
        PRIMARY KEY (peer, doc)
    );
    CREATE TABLE IF NOT EXISTS devices (
        kiosk       TEXT PRIMARY KEY,
        office      TEXT NOT NULL,
        public_key  BYTEA NOT NULL,
        certificate BYTEA NOT NULL
    );
    CREATE TABLE IF NOT EXISTS chain_heads (
        kiosk TEXT PRIMARY KEY,
        seq   BIGINT NOT NULL,
        link  TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS events (
        event_id    TEXT PRIMARY KEY,
        office      TEXT NOT NULL,
        doc         TEXT NOT NULL,
        v           BIGINT NOT NULL,
        hlc         TEXT NOT NULL,
        kiosk       TEXT NOT NULL,
        clerk       TEXT,
        record_kind TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        changes     TEXT NOT NULL,
        seq         BIGINT NOT NULL,
        prev        TEXT NOT NULL,
        sig         TEXT NOT NULL,
        link        TEXT NOT NULL,
        UNIQUE (kiosk, seq)
    );
    CREATE TABLE IF NOT EXISTS records (
        kind   TEXT NOT NULL,
        id     TEXT NOT NULL,
        office TEXT NOT NULL,
        state  TEXT NOT NULL,
        clocks TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    );
    CREATE INDEX IF NOT EXISTS records_by_office ON records (office, kind, id);
    CREATE TABLE IF NOT EXISTS record_keys (
        kind     TEXT NOT NULL,
        id       TEXT NOT NULL,
        office   TEXT NOT NULL,
        key_kind TEXT NOT NULL,
        key      TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    );
    CREATE INDEX IF NOT EXISTS record_keys_by_key ON record_keys (key_kind, key);
    -- Since 2: events kept but not yet folded into records (`Database::project`).
    CREATE TABLE IF NOT EXISTS unprojected (
        event_id TEXT PRIMARY KEY
    );
"#;

/// This build's schema version; a database at a later one was written by a newer hub.
/// 2: events folded behind ingest (`unprojected`), records.clocks grouped by stamp
/// (`db::encode_clocks`; the earlier form still reads).
const VERSION: i32 = 2;

/// The server's own message when it sent one (`db error` alone says nothing).
fn pg(e: postgres::Error) -> DbError {
    match e.as_db_error() {
        Some(db) => DbError::Postgres(format!("{} ({})", db.message(), db.code().code())),
        None => DbError::Postgres(e.to_string()),
    }
}

/// Runs a call of the synchronous client. It drives its own small runtime, which may not start
/// inside a tokio worker: on the hub's multi-threaded runtime the call is moved off the worker.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

pub struct PgDb {
    /// Always `Some` until dropped: [`Drop`] takes it to close it where blocking is allowed.
    client: Option<Client>,
}

/// Closing the synchronous client blocks on its runtime too: a hub's connection task that ends
/// drops its database on a tokio worker, where that would panic ("Cannot start a runtime from
/// within a runtime") at the end of every PostgreSQL session.
impl Drop for PgDb {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            blocking(move || drop(client));
        }
    }
}

impl std::fmt::Debug for PgDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDb").finish_non_exhaustive()
    }
}

impl PgDb {
    fn client(&mut self) -> Result<&mut Client, DbError> {
        self.client.as_mut().ok_or_else(|| DbError::Postgres("the connection is closed".into()))
    }

    pub fn connect(url: &str) -> Result<PgDb, DbError> {
        blocking(|| {
            let mut client = Client::connect(url, NoTls).map_err(pg)?;
            let mut tx = client.transaction().map_err(pg)?;
            // Two hub processes starting at once: one creates the tables, the other waits.
            tx.execute("SELECT pg_advisory_xact_lock(7461626)", &[]).map_err(pg)?;
            tx.batch_execute(SCHEMA).map_err(pg)?;
            let found: Option<i32> =
                tx.query_opt("SELECT version FROM hub_schema", &[]).map_err(pg)?.map(|r| r.get(0));
            match found {
                Some(v) if v > VERSION => {
                    return Err(DbError::Newer { found: v.into(), known: VERSION.into() });
                }
                Some(v) if v < VERSION => {
                    tx.execute("UPDATE hub_schema SET version = $1", &[&VERSION]).map_err(pg)?;
                }
                Some(_) => {}
                None => {
                    tx.execute("INSERT INTO hub_schema (version) VALUES ($1)", &[&VERSION])
                        .map_err(pg)?;
                }
            }
            tx.commit().map_err(pg)?;
            Ok(PgDb { client: Some(client) })
        })
    }
}

/// An entry from the columns `v, event_id, hlc, kiosk, clerk, record_kind, record_id, changes,
/// seq, prev, sig`, the first at `at`.
fn entry_of(r: &postgres::Row, at: usize) -> Entry {
    Entry {
        v: r.get::<_, i64>(at) as u64,
        event_id: r.get(at + 1),
        hlc: r.get(at + 2),
        kiosk: r.get(at + 3),
        clerk: r.get(at + 4),
        record_kind: r.get(at + 5),
        record_id: r.get(at + 6),
        changes: r.get(at + 7),
        seq: r.get::<_, i64>(at + 8) as u64,
        prev: r.get(at + 9),
        sig: r.get(at + 10),
    }
}

fn lock_office(tx: &mut postgres::Transaction<'_>, doc: &str) -> Result<(), DbError> {
    let office = doc.split('/').next().unwrap_or(doc);
    tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&office]).map_err(pg)?;
    Ok(())
}

impl Database for PgDb {
    fn chunks(&mut self, doc: &str, after: i64) -> Result<Vec<(i64, Vec<u8>)>, DbError> {
        blocking(|| {
            let rows = self
                .client()?
                .query(
                    "SELECT id, bytes FROM chunks WHERE doc = $1 AND id > $2 ORDER BY id",
                    &[&doc, &after],
                )
                .map_err(pg)?;
            Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn docs(&mut self, prefix: &str) -> Result<Vec<String>, DbError> {
        blocking(|| {
            let rows = self
                .client()?
                .query(
                    "SELECT DISTINCT doc FROM chunks WHERE left(doc, length($1)) = $1 ORDER BY doc",
                    &[&prefix],
                )
                .map_err(pg)?;
            Ok(rows.into_iter().map(|r| r.get(0)).collect())
        })
    }

    fn compact(&mut self, doc: &str, upto: i64, whole: &[u8]) -> Result<(), DbError> {
        blocking(|| {
            let mut tx = self.client()?.transaction().map_err(pg)?;
            lock_office(&mut tx, doc)?;
            tx.execute("DELETE FROM chunks WHERE doc = $1 AND id <= $2", &[&doc, &upto])
                .map_err(pg)?;
            tx.execute(
                "INSERT INTO chunks (id, doc, bytes) VALUES ($1, $2, $3)",
                &[&upto, &doc, &whole],
            )
            .map_err(pg)?;
            tx.commit().map_err(pg)
        })
    }

    fn sync_state(&mut self, peer: &str, doc: &str) -> Result<Option<Vec<u8>>, DbError> {
        blocking(|| {
            Ok(self
                .client()?
                .query_opt(
                    "SELECT state FROM sync_states WHERE peer = $1 AND doc = $2",
                    &[&peer, &doc],
                )
                .map_err(pg)?
                .map(|r| r.get(0)))
        })
    }

    fn save_sync_state(&mut self, peer: &str, doc: &str, state: &[u8]) -> Result<(), DbError> {
        blocking(|| {
            self.client()?
                .execute(
                    "INSERT INTO sync_states (peer, doc, state) VALUES ($1, $2, $3)
                     ON CONFLICT (peer, doc) DO UPDATE SET state = excluded.state",
                    &[&peer, &doc, &state],
                )
                .map_err(pg)?;
            Ok(())
        })
    }

    fn device(&mut self, kiosk: &str) -> Result<Option<Device>, DbError> {
        blocking(|| {
            Ok(self
                .client()?
                .query_opt(
                    "SELECT kiosk, office, public_key, certificate FROM devices WHERE kiosk = $1",
                    &[&kiosk],
                )
                .map_err(pg)?
                .map(|r| Device {
                    kiosk: r.get(0),
                    office: r.get(1),
                    public_key: r.get(2),
                    certificate: r.get(3),
                }))
        })
    }

    fn devices(&mut self) -> Result<Vec<Device>, DbError> {
        blocking(|| {
            let rows = self
                .client()?
                .query("SELECT kiosk, office, public_key, certificate FROM devices", &[])
                .map_err(pg)?;
            Ok(rows
                .into_iter()
                .map(|r| Device {
                    kiosk: r.get(0),
                    office: r.get(1),
                    public_key: r.get(2),
                    certificate: r.get(3),
                })
                .collect())
        })
    }

    fn note_device(&mut self, d: &Device) -> Result<(), DbError> {
        blocking(|| {
            self.client()?
                .execute(
                    "INSERT INTO devices (kiosk, office, public_key, certificate) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (kiosk) DO UPDATE SET office = excluded.office,
                         public_key = excluded.public_key, certificate = excluded.certificate",
                    &[&d.kiosk, &d.office, &d.public_key, &d.certificate],
                )
                .map_err(pg)?;
            Ok(())
        })
    }

    fn chain_head(&mut self, kiosk: &str) -> Result<ChainHead, DbError> {
        blocking(|| {
            Ok(self
                .client()?
                .query_opt("SELECT seq, link FROM chain_heads WHERE kiosk = $1", &[&kiosk])
                .map_err(pg)?
                .map(|r| ChainHead { seq: r.get::<_, i64>(0) as u64, link: r.get(1) })
                .unwrap_or_default())
        })
    }

    fn record_state(&mut self, kind: &str, id: &str) -> Result<Option<String>, DbError> {
        self.project()?;
        blocking(|| {
            Ok(self
                .client()?
                .query_opt("SELECT state FROM records WHERE kind = $1 AND id = $2", &[&kind, &id])
                .map_err(pg)?
                .map(|r| r.get(0)))
        })
    }

    fn latest_hlc(&mut self, kiosk: &str) -> Result<Option<String>, DbError> {
        blocking(|| {
            Ok(self
                .client()?
                .query_opt(
                    "SELECT hlc FROM events WHERE kiosk = $1 ORDER BY seq DESC LIMIT 1",
                    &[&kiosk],
                )
                .map_err(pg)?
                .map(|r| r.get(0)))
        })
    }

    fn event_link(&mut self, event_id: &str) -> Result<Option<String>, DbError> {
        blocking(|| {
            Ok(self
                .client()?
                .query_opt("SELECT link FROM events WHERE event_id = $1", &[&event_id])
                .map_err(pg)?
                .map(|r| r.get(0)))
        })
    }

    fn commit(&mut self, commit: &Commit) -> Result<i64, DbError> {
        blocking(|| {
            let mut tx = self.client()?.transaction().map_err(pg)?;
            lock_office(&mut tx, &commit.doc)?;
            for head in &commit.heads {
                let now = tx
                    .query_opt("SELECT seq, link FROM chain_heads WHERE kiosk = $1", &[&head.kiosk])
                    .map_err(pg)?
                    .map(|r| ChainHead { seq: r.get::<_, i64>(0) as u64, link: r.get(1) })
                    .unwrap_or_default();
                if now != head.from {
                    return Err(DbError::Raced { kiosk: head.kiosk.clone() });
                }
                tx.execute(
                    "INSERT INTO chain_heads (kiosk, seq, link) VALUES ($1, $2, $3)
                     ON CONFLICT (kiosk) DO UPDATE SET seq = excluded.seq, link = excluded.link",
                    &[&head.kiosk, &(head.to.seq as i64), &head.to.link],
                )
                .map_err(pg)?;
            }
            let chunk: i64 = tx
                .query_one(
                    "INSERT INTO chunks (doc, bytes) VALUES ($1, $2) RETURNING id",
                    &[&commit.doc, &commit.chunk],
                )
                .map_err(pg)?
                .get(0);
            for a in &commit.accepted {
                let e = &a.entry;
                tx.execute(
                    "INSERT INTO events (event_id, office, doc, v, hlc, kiosk, clerk, record_kind, record_id,
                                         changes, seq, prev, sig, link)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                    &[
                        &e.event_id, &a.office, &a.doc, &(e.v as i64), &e.hlc, &e.kiosk, &e.clerk,
                        &e.record_kind, &e.record_id, &e.changes, &(e.seq as i64), &e.prev, &e.sig, &a.link,
                    ],
                )
                .map_err(pg)?;
                tx.execute("INSERT INTO unprojected (event_id) VALUES ($1)", &[&e.event_id])
                    .map_err(pg)?;
            }
            tx.commit().map_err(pg)?;
            Ok(chunk)
        })
    }

    fn project(&mut self) -> Result<u64, DbError> {
        blocking(|| {
            let mut total = 0;
            loop {
                let mut tx = self.client()?.transaction().map_err(pg)?;
                // One projection at a time among the hub processes sharing the database: two
                // folding one record at once would each write the fold of half its events.
                tx.execute("SELECT pg_advisory_xact_lock(7461627)", &[]).map_err(pg)?;
                let rows = tx
                    .query(
                        "SELECT e.office, e.v, e.event_id, e.hlc, e.kiosk, e.clerk, e.record_kind,
                                e.record_id, e.changes, e.seq, e.prev, e.sig
                         FROM unprojected u JOIN events e ON e.event_id = u.event_id
                         ORDER BY e.record_kind, e.record_id LIMIT $1",
                        &[&PROJECT_BATCH],
                    )
                    .map_err(pg)?;
                let pending: Vec<(String, Entry)> =
                    rows.iter().map(|r| (r.get(0), entry_of(r, 1))).collect();
                if pending.is_empty() {
                    return Ok(total);
                }
                for record in by_record(&pending) {
                    let row = tx
                        .query_opt(
                            "SELECT state, clocks FROM records WHERE kind = $1 AND id = $2",
                            &[&record.kind, &record.id],
                        )
                        .map_err(pg)?
                        .map(|r| (r.get(0), r.get(1)));
                    if let Some(Folded { state, clocks, key }) = folded(row, &record.events)? {
                        tx.execute(
                            "INSERT INTO records (kind, id, office, state, clocks) VALUES ($1, $2, $3, $4, $5)
                             ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state, clocks = excluded.clocks",
                            &[&record.kind, &record.id, &record.office, &state, &clocks],
                        )
                        .map_err(pg)?;
                        tx.execute(
                            "DELETE FROM record_keys WHERE kind = $1 AND id = $2",
                            &[&record.kind, &record.id],
                        )
                        .map_err(pg)?;
                        if let Some((key_kind, key)) = key {
                            tx.execute(
                                "INSERT INTO record_keys (kind, id, office, key_kind, key)
                                 SELECT kind, id, office, $3, $4 FROM records WHERE kind = $1 AND id = $2",
                                &[&record.kind, &record.id, &key_kind, &key],
                            )
                            .map_err(pg)?;
                        }
                    }
                }
                let ids: Vec<&str> = pending.iter().map(|(_, e)| e.event_id.as_str()).collect();
                tx.execute("DELETE FROM unprojected WHERE event_id = ANY($1)", &[&ids])
                    .map_err(pg)?;
                tx.commit().map_err(pg)?;
                total += pending.len() as u64;
            }
        })
    }

    fn export(&mut self, office: &str, out: &mut dyn Write) -> Result<u64, DbError> {
        // As on SQLite: folded from the events the office's kiosks hold; byte order, as SQLite
        // sorts, so the hubs' exports compare with a kiosk's.
        let rows = blocking(|| {
            self.client()?
                .query(
                    "SELECT v, event_id, hlc, kiosk, clerk, record_kind, record_id, changes, seq, prev, sig
                     FROM events WHERE office IN ($1, $2)
                     ORDER BY record_kind COLLATE \"C\", record_id COLLATE \"C\"",
                    &[&office, &CENTRAL],
                )
                .map_err(pg)
        })?;
        export_entries(rows.iter().map(|r| Ok(entry_of(r, 0))), out)
    }

    fn chains(
        &mut self,
        each: &mut dyn FnMut(StoredEntry) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let rows = blocking(|| {
            self.client()?
                .query(
                    "SELECT office, v, event_id, hlc, kiosk, clerk, record_kind, record_id, changes, seq, prev,
                            sig, link
                     FROM events ORDER BY kiosk COLLATE \"C\", seq",
                    &[],
                )
                .map_err(pg)
        })?;
        for r in rows {
            each(StoredEntry { office: r.get(0), entry: entry_of(&r, 1), link: r.get(12) })?;
        }
        Ok(())
    }

    fn conflicts(&mut self) -> Result<Vec<Conflict>, DbError> {
        self.project()?;
        blocking(|| {
            let rows = self
                .client()?
                .query(
                    "SELECT k.key_kind, k.key, k.office, k.kind, k.id FROM record_keys k
                     JOIN (SELECT key_kind, key FROM record_keys GROUP BY key_kind, key HAVING count(*) > 1) d
                       ON d.key_kind = k.key_kind AND d.key = k.key
                     ORDER BY k.key_kind COLLATE \"C\", k.key COLLATE \"C\", k.office COLLATE \"C\", k.id COLLATE \"C\"",
                    &[],
                )
                .map_err(pg)?;
            Ok(group_conflicts(
                rows.into_iter()
                    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
                    .collect(),
            ))
        })
    }

    fn event_count(&mut self) -> Result<u64, DbError> {
        blocking(|| {
            Ok(self
                .client()?
                .query_one("SELECT count(*) FROM events", &[])
                .map_err(pg)?
                .get::<_, i64>(0) as u64)
        })
    }
}
