//! The SQLite schema and its versioned migrations, applied in order on open.
//!
//! `PRAGMA user_version` holds how many migrations have run. A migration is never edited once it
//! has shipped: a change is a new migration, so every counter's store reaches the same schema.

use rusqlite::Connection;

use crate::StoreError;

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the event log, current state with per-field clocks, and the search projections.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    -- The log every change goes through. `seq` is only this replica's arrival order; identity is
    -- the event's ULID, and order across replicas is the hybrid logical clock.
    CREATE TABLE events (
        seq         INTEGER PRIMARY KEY,
        event_id    TEXT NOT NULL UNIQUE,
        hlc         TEXT NOT NULL,
        kiosk       TEXT NOT NULL,
        clerk       TEXT,
        record_kind TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        changes     TEXT NOT NULL
    );
    CREATE INDEX events_by_record ON events (record_kind, record_id, hlc);
    CREATE INDEX events_by_hlc ON events (hlc);

    -- Current state, derived from the events: the record's JSON and, per field, the clock of the
    -- event that last set it (what last-writer-wins merges compare). A rowid table: its rows are
    -- too large for WITHOUT ROWID to store well.
    CREATE TABLE records (
        kind        TEXT NOT NULL,
        id          TEXT NOT NULL,
        state       TEXT NOT NULL,
        clocks      TEXT NOT NULL,
        updated_hlc TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    );

    -- Search projection over persons and organisations. `rid` is a local row handle for the
    -- full-text index, never an identity: `id` (the ULID) is.
    CREATE TABLE subscribers (
        rid        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL,
        name_zh    TEXT,
        name_latin TEXT,
        id_number  TEXT,
        phone      TEXT
    );
    CREATE INDEX subscribers_by_id_number ON subscribers (id_number) WHERE id_number IS NOT NULL;
    CREATE INDEX subscribers_by_phone ON subscribers (phone) WHERE phone IS NOT NULL;

    -- Substrings of three characters or more: FTS5 trigrams.
    CREATE VIRTUAL TABLE subscriber_names USING fts5 (
        names, content = '', contentless_delete = 1, tokenize = 'trigram'
    );

    -- Shorter queries, which trigrams cannot answer: every 1- and 2-character run of a CJK name,
    -- and the first 1 and 2 letters of each Latin word.
    CREATE TABLE subscriber_grams (
        gram TEXT NOT NULL,
        rid  INTEGER NOT NULL REFERENCES subscribers (rid) ON DELETE CASCADE,
        PRIMARY KEY (gram, rid)
    ) WITHOUT ROWID;
    CREATE INDEX subscriber_grams_by_rid ON subscriber_grams (rid);

    -- Certificates by serial, and by expiry for the renewal-due list.
    CREATE TABLE certificate_index (
        id        TEXT PRIMARY KEY,
        serial    TEXT,
        holder    TEXT,
        status    TEXT NOT NULL,
        not_after INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX certificate_index_by_serial ON certificate_index (serial) WHERE serial IS NOT NULL;
    CREATE INDEX certificate_index_by_expiry ON certificate_index (status, not_after);

    -- Appointments by slot, for the day's list.
    CREATE TABLE appointment_index (
        id   TEXT PRIMARY KEY,
        slot INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX appointment_index_by_slot ON appointment_index (slot);
    "#,
    // 2: search keys fold full-width forms (`１２３`, `ＣＨＡＮ`). Keys need Rust to compute, so
    // this asks the next open to re-index the rows whose keys changed (`search::REINDEX_KEY`).
    r#"
    INSERT OR REPLACE INTO meta (key, value) VALUES ('reindex_search', 'fold full-width forms');
    "#,
    // 3: audit events by their subject, newest last: sign-in counts a clerk's failures in a row
    // from them, and a record's audit timeline is read the same way, without scanning the
    // whole trail. SQLite keeps the index itself; only audit events are in it. IF NOT EXISTS: a
    // store whose version was set back (the upgrade tests do) runs it again.
    r#"
    CREATE INDEX IF NOT EXISTS records_audit_by_subject
        ON records (json_extract(state, '$.subject'), updated_hlc)
        WHERE kind = 'audit_event';
    "#,
    // 4: which record names which (`links::REFERENCES`), so a subscriber's file is read from an
    // index instead of a scan of every certificate, token, membership and audit event. Links are
    // made from the records' states with Rust, so this asks the next open to make them for the
    // records the store already holds (`links::RELINK_KEY`).
    r#"
    -- One row per record id a record names: `from_kind` record `from_id` names `to_id` in its
    -- `field`. `at` is an audit event's time (Unix ms), for the timeline; NULL for other kinds.
    CREATE TABLE record_links (
        to_id     TEXT NOT NULL,
        from_kind TEXT NOT NULL,
        from_id   TEXT NOT NULL,
        field     TEXT NOT NULL,
        at        INTEGER,
        PRIMARY KEY (to_id, from_kind, from_id, field)
    ) WITHOUT ROWID;
    -- A record's own rows, to replace them when its references change.
    CREATE INDEX record_links_by_from ON record_links (from_kind, from_id);
    -- What happened to a record, newest first.
    CREATE INDEX record_links_timeline ON record_links (to_id, field, at, from_id)
        WHERE from_kind = 'audit_event';
    INSERT OR REPLACE INTO meta (key, value) VALUES ('relink', 'record_links is new');
    "#,
    // 5: the mail outbox and the email verification codes (`outbox`). Local to this kiosk, like
    // `meta`: no events, never replicated. A code is a secret and a mail is this counter's to
    // send; another counter sending it again would mail the person twice. IF NOT EXISTS, as
    // for migration 3: a store set back to an older version runs it again.
    r#"
    -- Times are Unix ms. `body` is NULL once a `secret` mail (one holding a code) was sent or
    -- given up. `attempts` counts tries begun; `next_try_at` is also how a try claims the mail.
    -- `last_error` is a category, never the relay's text (which can quote the address).
    CREATE TABLE IF NOT EXISTS mail_outbox (
        id          TEXT PRIMARY KEY,
        recipient   TEXT NOT NULL,
        subject     TEXT NOT NULL,
        body        TEXT,
        secret      INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        attempts    INTEGER NOT NULL,
        next_try_at INTEGER NOT NULL,
        expires_at  INTEGER,
        sent_at     INTEGER,
        given_up_at INTEGER,
        last_error  TEXT
    );
    -- The mails still waiting: what the counter app's poller reads every few seconds.
    CREATE INDEX IF NOT EXISTS mail_outbox_waiting ON mail_outbox (next_try_at)
        WHERE sent_at IS NULL AND given_up_at IS NULL;
    -- One code per application and address (lower case), kept as a salted SHA-256; `mail` is
    -- the outbox mail that carries it.
    CREATE TABLE IF NOT EXISTS email_codes (
        application TEXT NOT NULL,
        address     TEXT NOT NULL,
        salt        BLOB NOT NULL,
        hash        BLOB NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        tries_left  INTEGER NOT NULL,
        used_at     INTEGER,
        mail        TEXT,
        PRIMARY KEY (application, address)
    ) WITHOUT ROWID;
    "#,
    // 6: tokens by chip serial. Issued tokens stay on file with their holders, so an office
    // with many subscribers holds as many tokens; replication checks each token a sync brought
    // against the others of its serial (two token records with one serial are a conflict for a
    // supervisor), which must not read every token. IF NOT EXISTS, as for migration 3.
    r#"
    CREATE INDEX IF NOT EXISTS records_token_by_serial
        ON records (json_extract(state, '$.serial'))
        WHERE kind = 'token';
    "#,
];

/// How many migrations this build knows; a store from a newer build is refused, not damaged.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the store to [`SCHEMA_VERSION`]; safe when several processes open a new store at once.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    crate::sqlite::migrate(conn, MIGRATIONS).map_err(|e| match e {
        crate::sqlite::MigrationError::Sqlite(e) => StoreError::Sqlite(e),
        crate::sqlite::MigrationError::Newer { found, known } => {
            StoreError::NewerSchema { found, known }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reindex_migration_sets_the_key_search_reads() {
        let sql = super::MIGRATIONS[1];
        assert!(sql.contains(&format!("'{}'", crate::search::REINDEX_KEY)), "{sql}");
    }

    #[test]
    fn a_token_is_found_by_its_serial_through_the_index_not_a_scan_of_the_records() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory");
        super::migrate(&mut conn).expect("migrate");
        let mut stmt = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT id FROM records
                 WHERE kind = 'token' AND json_extract(state, '$.serial') = ?1",
            )
            .expect("plan");
        let plan: Vec<String> = stmt
            .query_map(["5A01"], |r| r.get::<_, String>(3))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("plan rows");
        assert!(plan.iter().any(|p| p.contains("records_token_by_serial")), "{plan:?}");
    }

    #[test]
    fn the_outbox_migration_runs_again_on_a_store_set_back_to_before_it() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory");
        super::migrate(&mut conn).expect("migrate");
        conn.execute_batch("PRAGMA user_version = 4;").expect("set back");
        super::migrate(&mut conn).expect("migration 5 again");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("v");
        assert_eq!(version, super::SCHEMA_VERSION);
    }
}
