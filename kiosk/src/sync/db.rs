//! `sync.sqlite`: what replication keeps beside the store, owned by the kiosk (not the store
//! crate, which knows nothing of journals). Opened and migrated like every SQLite file of the
//! kiosk (`store::sqlite`: WAL, FULL sync, a busy timeout), because the counter app, its
//! workers and a command share it.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::SyncError;

/// The file's name in the data directory.
pub const FILE_NAME: &str = "sync.sqlite";

const MIGRATIONS: &[&str] = &[
    // 1: identity, document chunks, the pump's cursor and chain head, sync states, hub status.
    r#"
    -- Who this kiosk is to the hub, from `kiosk join`: one row, absent before joining.
    -- `credentials` is the path of the credentials file (the device key stays in that file).
    CREATE TABLE identity (
        only        INTEGER PRIMARY KEY CHECK (only = 1),
        office      TEXT NOT NULL,
        kiosk       TEXT NOT NULL,
        hub_url     TEXT NOT NULL,
        credentials TEXT NOT NULL
    );

    -- Each document (`OFFICE/manifest`, `OFFICE/journal/PERIOD`, the same for CENTRAL) as the
    -- automerge saves written of it, in order: loading one is loading its chunks concatenated.
    -- AUTOINCREMENT: ids never go back, even after a compaction deletes the last ones, so a
    -- process that read up to an id never misses a chunk written after it.
    CREATE TABLE chunks (
        id    INTEGER PRIMARY KEY AUTOINCREMENT,
        doc   TEXT NOT NULL,
        bytes BLOB NOT NULL
    );
    CREATE INDEX chunks_by_doc ON chunks (doc, id);

    -- The pump: the last store `seq` journaled (or skipped as another kiosk's), and this
    -- kiosk's signed chain head (the seq and link of its last journaled entry). One row,
    -- changed in the same transaction as the chunks it journaled.
    CREATE TABLE pump (
        only       INTEGER PRIMARY KEY CHECK (only = 1),
        cursor     INTEGER NOT NULL,
        chain_seq  INTEGER NOT NULL,
        chain_link TEXT NOT NULL
    );
    INSERT INTO pump (only, cursor, chain_seq, chain_link) VALUES (1, 0, 0, '');

    -- automerge's sync state per peer and document, so a reconnect resumes.
    CREATE TABLE sync_states (
        peer  TEXT NOT NULL,
        doc   TEXT NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (peer, doc)
    ) WITHOUT ROWID;

    -- The hub's clock at the last session (Unix ms, for the clock-skew warning) and the last
    -- sync's outcome: when, whether it succeeded, and a stable code for why not.
    CREATE TABLE hub (
        only        INTEGER PRIMARY KEY CHECK (only = 1),
        hub_time_ms INTEGER,
        last_at_ms  INTEGER,
        last_ok     INTEGER,
        last_detail TEXT
    );
    INSERT INTO hub (only) VALUES (1);
    "#,
    // 2: what the hub holds of this kiosk's chain (the chain head at the start of the last
    // session that ended well: everything journaled until then went up in it) and when a sync
    // last ended well, for `kiosk sync --status` and the status bar.
    r#"
    ALTER TABLE hub ADD COLUMN acked_seq INTEGER;
    ALTER TABLE hub ADD COLUMN last_ok_at_ms INTEGER;
    "#,
    // 3: how far the hub's clock was ahead of this kiosk's when its `Hello` came (hub minus
    // kiosk, ms; negative when behind), for the clock-skew warning at sign-in: a hub time alone
    // says nothing once the moment it was read is past. And the conflicts a supervisor must
    // decide, found when a sync's events were applied (`sync::conflicts`): the two records'
    // ids only, the number or serial they share is read from the store when shown.
    r#"
    ALTER TABLE hub ADD COLUMN hub_offset_ms INTEGER;
    CREATE TABLE conflicts (
        kind        TEXT NOT NULL,
        first       TEXT NOT NULL,
        second      TEXT NOT NULL,
        found_at_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, first, second)
    ) WITHOUT ROWID;
    "#,
    // 4: the document's last chunk when its sync state was saved with every head of the document
    // shared with the peer (NULL: something of it was not). A closed journal is left out of a
    // session only while no chunk came after it: entries the pump put in a journal before it
    // heard the journal was closed still go up, even when the session that brought the close
    // was cut before they did.
    r#"
    ALTER TABLE sync_states ADD COLUMN settled INTEGER;
    "#,
];

/// How many migrations this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn open(path: &std::path::Path) -> Result<Connection, SyncError> {
    let mut conn = Connection::open(path)?;
    store::sqlite::configure(&conn)?;
    store::sqlite::migrate(&mut conn, MIGRATIONS).map_err(|e| match e {
        store::sqlite::MigrationError::Sqlite(e) => SyncError::Sqlite(e),
        store::sqlite::MigrationError::Newer { found, known } => {
            SyncError::NewerSchema { found, known }
        }
    })?;
    Ok(conn)
}

/// The chunks of `doc` after chunk `after`, oldest first, with their ids.
pub(super) fn chunks_after(
    conn: &Connection,
    doc: &str,
    after: i64,
) -> Result<Vec<(i64, Vec<u8>)>, SyncError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, bytes FROM chunks WHERE doc = ?1 AND id > ?2 ORDER BY id")?;
    let rows = stmt.query_map(params![doc, after], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn add_chunk(tx: &Transaction<'_>, doc: &str, bytes: &[u8]) -> Result<i64, SyncError> {
    tx.prepare_cached("INSERT INTO chunks (doc, bytes) VALUES (?1, ?2)")?
        .execute(params![doc, bytes])?;
    Ok(tx.last_insert_rowid())
}

/// The documents stored, by name.
pub(super) fn doc_names(conn: &Connection) -> Result<Vec<String>, SyncError> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT doc FROM chunks ORDER BY doc")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The pump's row: cursor, chain seq, chain link.
pub(super) fn pump_row(conn: &Connection) -> Result<(i64, u64, String), SyncError> {
    let (cursor, seq, link): (i64, i64, String) =
        conn.query_row("SELECT cursor, chain_seq, chain_link FROM pump WHERE only = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let seq = u64::try_from(seq).map_err(|_| SyncError::Corrupt(format!("chain seq {seq}")))?;
    Ok((cursor, seq, link))
}

pub(super) fn set_pump_row(
    tx: &Transaction<'_>,
    cursor: i64,
    seq: u64,
    link: &str,
) -> Result<(), SyncError> {
    let seq = i64::try_from(seq).map_err(|_| SyncError::Corrupt(format!("chain seq {seq}")))?;
    tx.execute(
        "UPDATE pump SET cursor = ?1, chain_seq = ?2, chain_link = ?3 WHERE only = 1",
        params![cursor, seq, link],
    )?;
    Ok(())
}

pub(super) fn sync_state(
    conn: &Connection,
    peer: &str,
    doc: &str,
) -> Result<Option<Vec<u8>>, SyncError> {
    Ok(conn
        .prepare_cached("SELECT state FROM sync_states WHERE peer = ?1 AND doc = ?2")?
        .query_row(params![peer, doc], |r| r.get(0))
        .optional()?)
}

pub(super) fn set_sync_state(
    conn: &Connection,
    peer: &str,
    doc: &str,
    state: &[u8],
    settled: Option<i64>,
) -> Result<(), SyncError> {
    conn.prepare_cached(
        "INSERT INTO sync_states (peer, doc, state, settled) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (peer, doc) DO UPDATE SET state = ?3, settled = ?4",
    )?
    .execute(params![peer, doc, state, settled])?;
    Ok(())
}

/// Whether every chunk of `doc` was shared with `peer` when its sync state was last saved.
pub(super) fn settled(conn: &Connection, peer: &str, doc: &str) -> Result<bool, SyncError> {
    Ok(conn
        .prepare_cached(
            "SELECT settled >= (SELECT coalesce(max(id), 0) FROM chunks WHERE doc = ?2)
             FROM sync_states WHERE peer = ?1 AND doc = ?2",
        )?
        .query_row(params![peer, doc], |r| r.get::<_, Option<bool>>(0))
        .optional()?
        .flatten()
        .unwrap_or(false))
}

/// The conflicts kept, oldest found first: kind, first and second record ids as stored.
pub(super) fn conflicts(conn: &Connection) -> Result<Vec<(String, String, String)>, SyncError> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, first, second FROM conflicts ORDER BY found_at_ms, kind, first, second",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
