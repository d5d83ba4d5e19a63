//! The kiosk's local store: an append-only event log on SQLite, with each record's current state,
//! the search indexes and the links index (which record names which) kept in step with it in the
//! same transaction.
//!
//! Every write goes through [`Writer::put`]: it diffs the record against its current state,
//! appends the changed fields as one [`Event`] (kiosk, clerk, hybrid logical clock), and folds the
//! event into the state with per-field last-writer-wins; fields this build does not know (a newer
//! kiosk's) are left as they are. Remote events (replication) go through the same fold in
//! [`Writer::apply_event`], so the store never assumes it is the only writer.
#![forbid(unsafe_code)]

#[cfg(feature = "bench-data")]
pub mod bench_data;
mod links;
mod outbox;
mod schema;
mod search;
mod soundness;
pub mod sqlite;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use registry::Problem;
use registry::application::{Actor, Application, ApplicationAction, TransitionError};
use registry::audit::{AuditAction, AuditEvent};
use registry::hlc::{Hlc, HlcClock, valid_node};
use registry::model::{Certificate, Clerk, Organisation, Record, RecordId, RecordKind, Token};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::{Map, Value};
use time::OffsetDateTime;

pub use links::{AUDIT_SUBJECT, Link, REFERENCES};
pub use outbox::{EmailCode, FirstTry, MailId, MailState, NewMail, OutboxMail};
pub use registry::events::{Event, RecordState, Stamp, diff, fold};
pub use schema::SCHEMA_VERSION;
pub use search::{MatchedBy, SubscriberHit, id_number_key, phone_key, serial_key, short_grams};
pub use soundness::{Fault, Finding, REPORT_MESSAGE_IDS, RebuildReport, VerifyReport};
use soundness::{Folded, Verdict};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the local database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a record could not be encoded or decoded: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the {kind} record is not valid: {}", problem_fields(.problems))]
    Invalid { kind: RecordKind, problems: Vec<Problem> },
    #[error("the store was written by a newer kiosk (schema {found}, this build knows {known})")]
    NewerSchema { found: i64, known: i64 },
    #[error("the store holds data it cannot read: {0}")]
    Corrupt(String),
    /// SQLite's own check found the file damaged.
    #[error("the store's file is damaged: {0}")]
    Damaged(String),
    #[error("kiosk id {0:?} must be 1-64 letters, digits or underscores")]
    BadKioskId(String),
    #[error("could not write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("there is no {kind} {id}")]
    NotFound { kind: RecordKind, id: RecordId },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("a replicated event was refused: {0}")]
    BadEvent(String),
    #[error("clerk {0} is not active and cannot act")]
    ClerkInactive(RecordId),
    #[error(
        "a replicated event is dated {ahead_ms} ms ahead of this kiosk's clock; check both clocks"
    )]
    ClockAhead { ahead_ms: u64 },
    /// `adopt_kiosk_id` on a store that has written events under its current id.
    #[error("the store already holds {events} events written as kiosk {current}")]
    KioskIdInUse { current: String, events: u64 },
}

pub use registry::events::MAX_CLOCK_AHEAD_MS;

impl StoreError {
    /// What kind of failure this is, for logs: the full text can quote record values (serde
    /// errors do), and values can be personal data.
    pub fn category(&self) -> &'static str {
        match self {
            StoreError::Sqlite(_) => "sqlite",
            StoreError::Json(_) => "encoding",
            StoreError::Invalid { .. } => "invalid record",
            StoreError::NewerSchema { .. } => "newer schema",
            StoreError::Corrupt(_) => "corrupt",
            StoreError::Damaged(_) => "damaged file",
            StoreError::BadKioskId(_) => "bad kiosk id",
            StoreError::KioskIdInUse { .. } => "kiosk id in use",
            StoreError::Io(_) => "io",
            StoreError::NotFound { .. } => "not found",
            StoreError::Transition(_) => "transition refused",
            StoreError::BadEvent(_) => "bad replicated event",
            StoreError::ClockAhead { .. } => "clock ahead",
            StoreError::ClerkInactive(_) => "clerk inactive",
        }
    }
}

impl StoreError {
    /// Whether the store's file itself is damaged (or is not a database at all), as opposed to
    /// busy, full or refusing a record: trying again will not help; `kiosk store verify` and
    /// support will.
    pub fn is_damaged_file(&self) -> bool {
        match self {
            StoreError::Damaged(_) => true,
            StoreError::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ),
            _ => false,
        }
    }
}

fn problem_fields(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{}: {}", p.field, p.code)).collect::<Vec<_>>().join("; ")
}

/// What time it is. Injected so tests decide, and so nothing in the store reads the clock itself.
pub type WallClock = Box<dyn Fn() -> OffsetDateTime + Send>;

pub struct StoreOptions {
    /// This kiosk's replica id; generated and remembered on first open when not given.
    pub kiosk_id: Option<String>,
    pub now: WallClock,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { kiosk_id: None, now: Box::new(OffsetDateTime::now_utc) }
    }
}

impl std::fmt::Debug for StoreOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreOptions").field("kiosk_id", &self.kiosk_id).finish_non_exhaustive()
    }
}

pub struct Store {
    conn: Connection,
    clock: HlcClock,
    now: WallClock,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("kiosk", &self.clock.node()).finish_non_exhaustive()
    }
}

/// Counts of what the store holds, for status lines and tests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoreStats {
    pub events: u64,
    pub records: u64,
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `path`.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        Self::setup(conn, options)
    }

    /// A store that lives in memory, for tests and benchmarks of the logic around it.
    pub fn open_in_memory(options: StoreOptions) -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?, options)
    }

    fn setup(mut conn: Connection, options: StoreOptions) -> Result<Self, StoreError> {
        // WAL lets the UI read while a write commits; FULL sync makes a committed counter
        // operation survive a power cut, not only a crash.
        sqlite::configure(&conn)?;
        schema::migrate(&mut conn)?;
        search::reindex_if_asked(&mut conn)?;
        links::relink_if_asked(&mut conn)?;
        let kiosk = match options.kiosk_id {
            Some(id) => id,
            None => Self::remembered_kiosk_id(&mut conn)?,
        };
        if !valid_node(&kiosk) {
            return Err(StoreError::BadKioskId(kiosk));
        }
        let last = latest_hlc(&conn)?;
        // A clock that once ran ahead leaves the HLC ahead for good (it never goes back), and
        // other replicas would refuse this kiosk's events: say so where support will look.
        let now_ms = unix_ms((options.now)());
        if let Some(last) = &last
            && last.wall_ms > now_ms.saturating_add(MAX_CLOCK_AHEAD_MS)
        {
            tracing::warn!(
                ahead_ms = last.wall_ms - now_ms,
                "the store's latest event is dated far ahead of this machine's clock"
            );
        }
        Ok(Self { conn, clock: HlcClock::new(&kiosk, last), now: options.now })
    }

    fn remembered_kiosk_id(conn: &mut Connection) -> Result<String, StoreError> {
        let remembered: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'kiosk_id'", [], |r| r.get(0))
            .optional()?;
        if let Some(id) = remembered {
            return Ok(id);
        }
        // Processes opening a new store at once each propose an id; the first to commit wins
        // and every one of them reads back that same id.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let proposed = format!("K{}", ulid::Ulid::new());
        tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('kiosk_id', ?1)", [&proposed])?;
        let id: String =
            tx.query_row("SELECT value FROM meta WHERE key = 'kiosk_id'", [], |r| r.get(0))?;
        tx.commit()?;
        Ok(id)
    }

    /// Makes `id` this store's kiosk id from now on (`kiosk join`: the device's identity in the
    /// central registry). Only while no event was written under the current id, since every
    /// event names the kiosk that wrote it and other replicas know it by that name.
    pub fn adopt_kiosk_id(&mut self, id: &str) -> Result<(), StoreError> {
        if !valid_node(id) {
            return Err(StoreError::BadKioskId(id.to_owned()));
        }
        if self.clock.node() == id {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = self.clock.node().to_owned();
        let events: i64 =
            tx.query_row("SELECT count(*) FROM events WHERE kiosk = ?1", [&current], |r| r.get(0))?;
        if events > 0 {
            return Err(StoreError::KioskIdInUse { current, events: events as u64 });
        }
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('kiosk_id', ?1)", [id])?;
        tx.commit()?;
        self.clock = HlcClock::new(id, latest_hlc(&self.conn)?);
        Ok(())
    }

    pub fn kiosk_id(&self) -> &str {
        self.clock.node()
    }

    pub fn now(&self) -> OffsetDateTime {
        (self.now)()
    }

    /// Runs `work` in one transaction: all its writes land together or not at all.
    pub fn write<T>(
        &mut self,
        clerk: Option<RecordId>,
        work: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let now = (self.now)();
        // IMMEDIATE takes the write lock at BEGIN: a second process (the UI beside a command,
        // later the sync daemon) then waits its turn under the busy timeout instead of failing
        // when its read turns into a write.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut clock = self.clock.clone();
        // Another process may have written since this one last did: stamp after its events.
        if let Some(latest) = latest_hlc(&tx)? {
            clock.observe(&latest, unix_ms(now));
        }
        let result = {
            let mut writer = Writer { tx, clock: &mut clock, clerk, now };
            let result = work(&mut writer)?;
            writer.tx.commit()?;
            result
        };
        // Only a committed transaction advances the clock, so a rolled-back write leaves no gap.
        self.clock = clock;
        Ok(result)
    }

    /// Runs `read` on one snapshot of the store: what it reads stays consistent even while
    /// another process writes (a screen built from several reads never mixes two states).
    pub fn snapshot<T>(
        &self,
        read: impl FnOnce(&Self) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // A read transaction; dropping it ends it, as there is nothing to commit.
        let tx = self.conn.unchecked_transaction()?;
        let out = read(self);
        drop(tx);
        out
    }

    /// Writes one record (see [`Writer::put`]).
    pub fn put<R: Record>(
        &mut self,
        clerk: Option<RecordId>,
        record: &R,
    ) -> Result<Option<Event>, StoreError> {
        self.write(clerk, |w| w.put(record))
    }

    pub fn get<R: Record>(&self, id: RecordId) -> Result<Option<R>, StoreError> {
        let state: Option<String> = self
            .conn
            .prepare_cached("SELECT state FROM records WHERE kind = ?1 AND id = ?2")?
            .query_row(params![R::KIND.as_str(), id.to_string()], |r| r.get(0))
            .optional()?;
        match state {
            Some(json) => Ok(Some(serde_json::from_str(&json)?)),
            None => Ok(None),
        }
    }

    /// A record with when it last changed: the wall time of the latest write to any of its
    /// fields, on whichever kiosk made it.
    pub fn get_with_updated<R: Record>(
        &self,
        id: RecordId,
    ) -> Result<Option<(R, OffsetDateTime)>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT state, updated_hlc FROM records WHERE kind = ?1 AND id = ?2")?
            .query_row(params![R::KIND.as_str(), id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((state, updated)) = row else { return Ok(None) };
        let hlc: Hlc = updated.parse().map_err(|e: registry::hlc::HlcParseError| {
            StoreError::Corrupt(format!("record {id} updated at {updated:?}: {e}"))
        })?;
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(hlc.wall_ms) * 1_000_000)
            .map_err(|e| StoreError::Corrupt(format!("record {id} updated at {updated:?}: {e}")))?;
        Ok(Some((serde_json::from_str(&state)?, at)))
    }

    /// Every record of one kind, oldest id first. A record whose state does not decode (a
    /// replicated record whose creation has not arrived yet) is left out and logged by id, so
    /// one such record never hides all the others.
    pub fn list<R: Record>(&self) -> Result<Vec<R>, StoreError> {
        list_records(&self.conn)
    }

    /// The certificate with this serial, in any notation (`0A:1B`, `0a1b`).
    pub fn certificate_by_serial(&self, serial: &str) -> Result<Option<Certificate>, StoreError> {
        let ids = self.ids_from(
            "SELECT id FROM certificate_index WHERE serial = ?1",
            params![serial_key(serial)],
        )?;
        match ids.first() {
            Some(id) => self.get(*id),
            None => Ok(None),
        }
    }

    /// Every revoked certificate, for CRLs.
    pub fn revoked_certificates(&self) -> Result<Vec<Certificate>, StoreError> {
        let ids =
            self.ids_from("SELECT id FROM certificate_index WHERE status = 'revoked'", params![])?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.get::<Certificate>(id)?);
        }
        Ok(out)
    }

    /// The token with this chip serial (the oldest record, should two hold it), through the
    /// serial index.
    pub fn token_by_serial(&self, serial: &str) -> Result<Option<Token>, StoreError> {
        Ok(self.tokens_by_serial(serial)?.into_iter().next())
    }

    /// Every token record with this chip serial, oldest id first: one, unless two counters
    /// recorded one token twice (a conflict a supervisor decides), through the serial index.
    pub fn tokens_by_serial(&self, serial: &str) -> Result<Vec<Token>, StoreError> {
        // Sorted here: an ORDER BY would lead SQLite to the primary key (kind, id) and a scan
        // of every token instead of the serial index.
        let mut ids = self.ids_from(
            "SELECT id FROM records WHERE kind = 'token' AND json_extract(state, '$.serial') = ?1",
            params![serial],
        )?;
        ids.sort_unstable();
        let mut tokens = Vec::with_capacity(ids.len());
        for id in ids {
            tokens.extend(self.get::<Token>(id)?);
        }
        Ok(tokens)
    }

    /// The chip serials more than one token record holds, from the serial index: what a full
    /// check for conflicts starts from.
    pub fn shared_token_serials(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT json_extract(state, '$.serial') FROM records
             WHERE kind = 'token' AND json_extract(state, '$.serial') IS NOT NULL
             GROUP BY json_extract(state, '$.serial') HAVING count(*) > 1",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ID number search keys (`search::id_number_key`) more than one person holds, from the
    /// search projection's index: what a full check for two persons with one document starts
    /// from (the keys leave out the document's kind; the check compares it).
    pub fn shared_person_id_number_keys(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id_number FROM subscribers WHERE kind = 'person' AND id_number IS NOT NULL
             GROUP BY id_number HAVING count(*) > 1 ORDER BY id_number",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn ids_from(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<RecordId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| r.get::<_, String>(0))?;
        let mut ids = Vec::new();
        for row in rows {
            let text = row?;
            let id = text.parse().map_err(|_| {
                StoreError::Corrupt(format!("a record id that is not a ULID: {text}"))
            })?;
            ids.push(id);
        }
        Ok(ids)
    }

    /// Certificates due for renewal at `now` within `days`, soonest first: the expiry index
    /// narrows to the window, and the registry's rule decides.
    pub fn renewals_due(
        &self,
        now: OffsetDateTime,
        days: i64,
    ) -> Result<Vec<registry::model::Certificate>, StoreError> {
        // A day of margin each side: the rule counts calendar days in the office's zone.
        let from = now.unix_timestamp() - 86_400;
        let to = now.unix_timestamp() + (days + 1) * 86_400;
        let ids = self.ids_where(
            "SELECT id FROM certificate_index WHERE status = 'valid' AND not_after BETWEEN ?1 AND ?2",
            from,
            to,
        )?;
        let mut certificates = Vec::new();
        for id in ids {
            if let Some(cert) = self.get::<registry::model::Certificate>(id)? {
                certificates.push(cert);
            }
        }
        Ok(registry::renewal::renewal_due_within(&certificates, now, days)
            .into_iter()
            .cloned()
            .collect())
    }

    /// Appointments whose slot is in `[from, to)`, earliest first.
    pub fn appointments_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<registry::model::Appointment>, StoreError> {
        let ids = self.ids_where(
            "SELECT id FROM appointment_index WHERE slot >= ?1 AND slot < ?2 ORDER BY slot",
            from.unix_timestamp(),
            to.unix_timestamp(),
        )?;
        let mut appointments = Vec::new();
        for id in ids {
            if let Some(appointment) = self.get(id)? {
                appointments.push(appointment);
            }
        }
        Ok(appointments)
    }

    fn ids_where(&self, sql: &str, from: i64, to: i64) -> Result<Vec<RecordId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([from, to], |r| r.get::<_, String>(0))?;
        rows.map(|id| {
            let id = id?;
            id.parse().map_err(|_| StoreError::Corrupt(format!("bad index id {id:?}")))
        })
        .collect()
    }

    /// The events of one record, in clock order.
    pub fn events_of(&self, kind: RecordKind, id: RecordId) -> Result<Vec<Event>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, hlc, kiosk, clerk, record_kind, record_id, changes FROM events
             WHERE record_kind = ?1 AND record_id = ?2 ORDER BY hlc",
        )?;
        let rows = stmt.query_map(params![kind.as_str(), id.to_string()], row_to_raw_event)?;
        rows.map(|r| r?.decode()).collect()
    }

    /// The events of one record kind written in `[from, to)` by their clock's wall time, on any
    /// kiosk, in clock order: a day's changes (a counter's day-end) read from the clock index,
    /// never a scan of the whole log.
    pub fn events_between(
        &self,
        kind: RecordKind,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<Event>, StoreError> {
        // The clock's text form starts with its wall time, fixed-width, so a range of times is
        // a range of text: every stamp of `from`'s millisecond sorts after the bare number.
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, hlc, kiosk, clerk, record_kind, record_id, changes FROM events
             WHERE hlc >= ?1 AND hlc < ?2 AND record_kind = ?3 ORDER BY hlc",
        )?;
        let (from, to) = (format!("{:015}", unix_ms(from)), format!("{:015}", unix_ms(to)));
        let rows = stmt.query_map(params![from, to, kind.as_str()], row_to_raw_event)?;
        rows.map(|r| r?.decode()).collect()
    }

    /// The audit events whose subject is `id`, newest first (by the clock of the event that
    /// wrote them), each handed to `visit` until it breaks. Read through an index on the
    /// subject, so a reader that stops early (sign-in stops at the clerk's last sign-in) reads
    /// only what it needs.
    pub fn audit_about(
        &self,
        id: RecordId,
        mut visit: impl FnMut(AuditEvent) -> std::ops::ControlFlow<()>,
    ) -> Result<(), StoreError> {
        // The kind is written out, not bound: SQLite uses a partial index only when the query
        // itself implies the index's WHERE.
        let mut stmt = self.conn.prepare_cached(
            "SELECT state FROM records
             WHERE kind = 'audit_event' AND json_extract(state, '$.subject') = ?1
             ORDER BY updated_hlc DESC",
        )?;
        let mut rows = stmt.query([id.to_string()])?;
        while let Some(row) = rows.next()? {
            let json: String = row.get(0)?;
            if visit(serde_json::from_str(&json)?).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Every reference to `id` the store holds: which records name it, and in which field
    /// ([`REFERENCES`]), by kind and id. Read from the links index, never a scan.
    pub fn linked_to(&self, id: RecordId) -> Result<Vec<Link>, StoreError> {
        self.links().to(id, None)
    }

    /// The records of one kind that name `id` (the certificates a person holds, the members of
    /// an organisation), by id.
    pub fn linked_from(&self, id: RecordId, kind: RecordKind) -> Result<Vec<Link>, StoreError> {
        self.links().to(id, Some(kind))
    }

    /// The audit events whose subject is any of `subjects`, newest first, at most `limit`: a
    /// record's timeline, read newest first from the links index however long it is.
    pub fn audit_trail(
        &self,
        subjects: &[RecordId],
        limit: usize,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let mut events = Vec::new();
        for id in self.links().audit_ids(subjects, limit)? {
            events.extend(self.get::<AuditEvent>(id)?);
        }
        Ok(events)
    }

    fn links(&self) -> links::Links<'_> {
        links::Links { conn: &self.conn }
    }

    /// Every event, in clock order (what replication sends and rebuild replays).
    pub fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, hlc, kiosk, clerk, record_kind, record_id, changes FROM events
             ORDER BY hlc",
        )?;
        let rows = stmt.query_map([], row_to_raw_event)?;
        rows.map(|r| r?.decode()).collect()
    }

    /// The events that arrived after `seq` (this store's own arrival order, `events.seq`:
    /// written here or replicated in), oldest arrival first, at most `limit`, each with its
    /// `seq`. What a cursor reads: a write commits its events with higher `seq`s than every
    /// event committed before it, so nothing is skipped.
    pub fn events_since(&self, seq: i64, limit: usize) -> Result<Vec<(i64, Event)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, hlc, kiosk, clerk, record_kind, record_id, changes, seq FROM events
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![seq, limit], |r| Ok((r.get::<_, i64>(7)?, row_to_raw_event(r)?)))?;
        rows.map(|row| {
            let (seq, raw) = row?;
            Ok((seq, raw.decode()?))
        })
        .collect()
    }

    /// The `seq` of the latest event to arrive, 0 when there is none.
    pub fn last_seq(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))?)
    }

    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        let count = |sql: &str| self.conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        Ok(StoreStats {
            events: count("SELECT count(*) FROM events")? as u64,
            records: count("SELECT count(*) FROM records")? as u64,
        })
    }

    /// Replays the event log into every record's state and rebuilds the search indexes and the
    /// links from them: the state is a function of the events alone. One transaction, streaming one record
    /// at a time.
    ///
    /// A record the log cannot make — its creation or other events are missing, it has no events
    /// at all, or its events do not make a record of its kind — is kept exactly as it was (and
    /// indexed as such) and listed in the report: replaying would lose what its state holds.
    /// Records whose creation has not replicated yet are rebuilt as the log has them.
    pub fn rebuild(&mut self) -> Result<RebuildReport, StoreError> {
        let kiosk = self.clock.node().to_owned();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "DELETE FROM subscriber_grams; DELETE FROM subscriber_names;
             DELETE FROM subscribers; DELETE FROM certificate_index;
             DELETE FROM appointment_index; DELETE FROM record_links;",
        )?;
        let mut report = RebuildReport::default();
        // Rows are overwritten in place, never deleted first: a record the log cannot make
        // must still be there to keep.
        for_each_folded(&tx, &kiosk, |kind, id, folded| {
            let stored = load_stored(&tx, kind, id)?;
            let verdict = soundness::judge(kind, &folded, stored.as_ref(), true);
            let state = match (verdict, stored) {
                (Verdict::Unsound(fault), stored) if !fault.rebuild_mends() => {
                    report.kept.push(Finding { kind, id, fault });
                    stored.unwrap_or(folded.state)
                }
                (Verdict::AwaitingCreation, _) => {
                    report.awaiting_creation.push((kind, id));
                    folded.state
                }
                _ => folded.state,
            };
            save_state(&tx, kind, id, &state)
        })?;
        for (kind, id, stored) in records_without_events(&tx)? {
            report.kept.push(Finding { kind, id, fault: Fault::NoEvents });
            save_state(&tx, kind, id, &stored)?;
        }
        tx.commit()?;
        report.kept.sort();
        if !report.kept.is_empty() {
            tracing::warn!(kept = report.kept.len(), "rebuild kept records the log cannot make");
        }
        Ok(report)
    }

    /// The records [`Store::verify_report`] finds unsound, by kind and id.
    pub fn verify(&self) -> Result<Vec<(RecordKind, RecordId)>, StoreError> {
        Ok(self.verify_report()?.faults.into_iter().map(|f| (f.kind, f.id)).collect())
    }

    /// Checks that every record's stored state and field clocks are exactly the fold of its
    /// events, that the fold is a whole record of its kind, that the search indexes and the
    /// links agree with the states, and that SQLite finds the file sound. Says why each unsound record is so
    /// ([`Fault::rebuild_mends`] tells which `kiosk store rebuild` mends), and lists apart the
    /// replicated records still waiting for their creation, which are not unsound.
    /// Reads one snapshot, so a write by another process meanwhile cannot confuse it.
    pub fn verify_report(&self) -> Result<VerifyReport, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let integrity: String = tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            return Err(StoreError::Damaged(integrity));
        }
        let mut faults = std::collections::BTreeMap::new();
        let mut awaiting_creation = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut expected_index = search::IndexCounts::default();
        let mut expected_links = 0;
        for_each_folded(&tx, self.clock.node(), |kind, id, folded| {
            seen.insert((kind, id));
            let stored = load_stored(&tx, kind, id)?;
            // The index checks always run: they also count the rows this record owns.
            let search_ok =
                search::index_agrees(&tx, kind, id, &folded.state.state, &mut expected_index)?;
            let links_ok = links::agree(&tx, kind, id, &folded.state.state, &mut expected_links)?;
            let index_ok = search_ok && links_ok;
            match soundness::judge(kind, &folded, stored.as_ref(), index_ok) {
                Verdict::Sound => {}
                Verdict::AwaitingCreation => awaiting_creation.push((kind, id)),
                Verdict::Unsound(fault) => {
                    faults.insert((kind, id), fault);
                }
            }
            Ok(())
        })?;
        for (kind, id, _) in records_without_events(&tx)? {
            faults.insert((kind, id), Fault::NoEvents);
        }
        // Index rows that no record accounts for.
        let unaccounted = search::unaccounted(&tx, &expected_index, &seen)?;
        for key in unaccounted.into_iter().chain(links::unaccounted(&tx, expected_links, &seen)?) {
            faults.entry(key).or_insert(Fault::Differs);
        }
        let faults = faults.into_iter().map(|((kind, id), fault)| Finding { kind, id, fault });
        Ok(VerifyReport { faults: faults.collect(), awaiting_creation })
    }

    /// Writes every record as one JSON object a line, `kind` and `id` first.
    pub fn export_jsonl(&self, out: &mut impl Write) -> Result<u64, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT kind, id, state FROM records ORDER BY kind, id")?;
        let mut rows = stmt.query([])?;
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(0)?;
            let id: String = row.get(1)?;
            let state: Map<String, Value> = serde_json::from_str(&row.get::<_, String>(2)?)?;
            let line = registry::events::export_line(&kind, &id, &state)?;
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
            count += 1;
        }
        Ok(count)
    }

    // --- search -------------------------------------------------------------------------

    fn searcher(&self) -> search::Searcher<'_> {
        search::Searcher { conn: &self.conn }
    }

    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SubscriberHit>, StoreError> {
        self.searcher().search(text, limit)
    }

    pub fn find_by_id_number(
        &self,
        number: &str,
        limit: usize,
    ) -> Result<Vec<SubscriberHit>, StoreError> {
        self.searcher().by_id_number(number, limit)
    }

    pub fn find_by_serial(
        &self,
        serial: &str,
        limit: usize,
    ) -> Result<Vec<SubscriberHit>, StoreError> {
        self.searcher().by_serial(serial, limit)
    }

    pub fn find_by_phone(
        &self,
        phone: &str,
        limit: usize,
    ) -> Result<Vec<SubscriberHit>, StoreError> {
        self.searcher().by_phone(phone, limit)
    }

    pub fn find_by_name(&self, name: &str, limit: usize) -> Result<Vec<SubscriberHit>, StoreError> {
        self.searcher().by_name(name, limit)
    }
}

/// One transaction's worth of writes. Every change to the store goes through here.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    clock: &'a mut HlcClock,
    clerk: Option<RecordId>,
    now: OffsetDateTime,
}

impl std::fmt::Debug for Writer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("kiosk", &self.clock.node()).finish_non_exhaustive()
    }
}

impl Writer<'_> {
    /// Writes `record` whole: validates it, checks its lifecycle allows the change, appends the
    /// fields that differ from the current state as one event, and folds it into the state and
    /// indexes. Returns the event, or `None` when nothing changed.
    ///
    /// For a record a clerk edited on screen, use [`Writer::edit`]: this compares with the
    /// current state, so fields another kiosk changed meanwhile would be written back.
    ///
    /// Fields `R` does not know (a newer kiosk's, arrived by replication) are left as they are:
    /// this build cannot have meant to change them.
    pub fn put<R: Record>(&mut self, record: &R) -> Result<Option<Event>, StoreError> {
        let current = load_state(&self.tx, R::KIND, record.id())?;
        let changes = changes_to::<R>(&current, &object_of(record)?)?;
        self.write_checked(record, current, changes)
    }

    /// Writes what a clerk changed between `base` (the copy they started from) and `edited`,
    /// leaving every other field as it now is — including changes other kiosks made meanwhile.
    pub fn edit<R: Record>(&mut self, base: &R, edited: &R) -> Result<Option<Event>, StoreError> {
        if base.id() != edited.id() {
            return Err(StoreError::Corrupt(format!("an edit changed the id of {}", base.id())));
        }
        let changes = diff(&object_of(base)?, &object_of(edited)?);
        let current = load_state(&self.tx, R::KIND, edited.id())?;
        if current.state.is_empty() {
            return Err(StoreError::NotFound { kind: R::KIND, id: edited.id() });
        }
        let mut merged = current.state.clone();
        merged.extend(changes.clone());
        let merged: R = serde_json::from_value(Value::Object(merged))?;
        self.write_checked(&merged, current, changes)
    }

    /// Takes an application one step through its state machine and records the step as an
    /// audit event. The only way an application's progress changes. Who acts, and in which role,
    /// comes from the stored clerk record, never from the caller; an inactive clerk cannot act.
    /// For a submission, the invoice is checked against the application's own organisation.
    pub fn transition(
        &mut self,
        id: RecordId,
        action: ApplicationAction,
        clerk: RecordId,
    ) -> Result<Application, StoreError> {
        let staff: Clerk =
            self.get(clerk)?.ok_or(StoreError::NotFound { kind: RecordKind::Clerk, id: clerk })?;
        if !staff.active {
            return Err(StoreError::ClerkInactive(clerk));
        }
        let actor = Actor { clerk, role: staff.role };
        let current = load_state(&self.tx, RecordKind::Application, id)?;
        let before: Application =
            current.decode()?.ok_or(StoreError::NotFound { kind: RecordKind::Application, id })?;
        let action = match action {
            ApplicationAction::Submit { .. } => {
                let organisation = match before.organisation {
                    Some(org) => self.get::<Organisation>(org)?,
                    None => None,
                };
                ApplicationAction::Submit { organisation }
            }
            other => other,
        };
        let action_name = action.name();
        let after = before.apply(action, actor)?;
        after
            .validate()
            .map_err(|problems| StoreError::Invalid { kind: RecordKind::Application, problems })?;
        let changes = changes_to::<Application>(&current, &object_of(&after)?)?;
        self.append(RecordKind::Application, id, current, changes, Some(clerk))?;
        let audit = AuditEvent {
            id: ulid::Ulid::new(),
            at: self.now,
            kiosk: self.clock.node().to_owned(),
            clerk: Some(clerk),
            action: AuditAction::ApplicationTransition {
                action: action_name.to_owned(),
                from: before.state().as_str().to_owned(),
                to: after.state().as_str().to_owned(),
            },
            subject_kind: Some(RecordKind::Application),
            subject: Some(id),
        };
        // A fresh id: the audit event has no state yet, so all its fields are the change.
        let changes = object_of(&audit)?;
        self.append(
            RecordKind::AuditEvent,
            audit.id,
            RecordState::default(),
            changes,
            Some(clerk),
        )?;
        Ok(after)
    }

    /// Records `action` as an audit event about `subject`, by the clerk of this write, at its
    /// time, from this kiosk: the one way a step writes its audit event, so none is hand-built.
    pub fn audit(
        &mut self,
        action: AuditAction,
        subject: Option<(RecordKind, RecordId)>,
    ) -> Result<AuditEvent, StoreError> {
        let event = AuditEvent {
            id: ulid::Ulid::new(),
            at: self.now,
            kiosk: self.clock.node().to_owned(),
            clerk: self.clerk,
            action,
            subject_kind: subject.map(|(kind, _)| kind),
            subject: subject.map(|(_, id)| id),
        };
        self.put(&event)?;
        Ok(event)
    }

    /// How many records the store holds, as this transaction sees it: a check that must not
    /// race with another process's write ("is the store still empty?").
    pub fn record_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self.tx.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// A record as this transaction sees it: a check that must not race with another
    /// process's write ("is the appointment still booked?").
    pub fn get<R: Record>(&self, id: RecordId) -> Result<Option<R>, StoreError> {
        Ok(load_state(&self.tx, R::KIND, id)?.decode()?)
    }

    /// Every record of one kind as this transaction sees it, oldest id first (see
    /// [`Store::list`]): for a choice that must not race, such as the next ticket number.
    pub fn list<R: Record>(&self) -> Result<Vec<R>, StoreError> {
        list_records(&self.tx)
    }

    /// [`Store::linked_from`] as this transaction sees it: for a rule over a record's
    /// neighbours that must not race ("one administrator at a time").
    pub fn linked_from(&self, id: RecordId, kind: RecordKind) -> Result<Vec<Link>, StoreError> {
        links::Links { conn: &self.tx }.to(id, Some(kind))
    }

    fn write_checked<R: Record>(
        &mut self,
        record: &R,
        current: RecordState,
        changes: Map<String, Value>,
    ) -> Result<Option<Event>, StoreError> {
        let invalid = |problems| StoreError::Invalid { kind: R::KIND, problems };
        record.validate().map_err(invalid)?;
        let before: Option<R> = current.decode()?;
        R::check_change(before.as_ref(), record).map_err(invalid)?;
        if changes.is_empty() {
            return Ok(None);
        }
        let clerk = self.clerk;
        self.append(R::KIND, record.id(), current, changes, clerk).map(Some)
    }

    fn append(
        &mut self,
        kind: RecordKind,
        id: RecordId,
        current: RecordState,
        changes: Map<String, Value>,
        clerk: Option<RecordId>,
    ) -> Result<Event, StoreError> {
        let event = Event {
            event_id: ulid::Ulid::new(),
            hlc: self.clock.tick(unix_ms(self.now)),
            kiosk: self.clock.node().to_owned(),
            clerk,
            record_kind: kind,
            record_id: id,
            changes,
        };
        self.record_event(&event, current)?;
        Ok(event)
    }

    /// Takes in an event written elsewhere (replication). Applying one twice changes nothing;
    /// an event that could not have come from an honest kiosk is refused whole.
    pub fn apply_event(&mut self, event: &Event) -> Result<bool, StoreError> {
        let known: bool = self.tx.query_row(
            "SELECT count(*) FROM events WHERE event_id = ?1",
            [event.event_id.to_string()],
            |r| r.get::<_, i64>(0),
        )? > 0;
        if known {
            return Ok(false);
        }
        let bad = |why: String| Err(StoreError::BadEvent(why));
        if event.kiosk == self.clock.node() {
            return bad(format!(
                "event {} claims to come from this kiosk ({}): two kiosks share one id",
                event.event_id, event.kiosk
            ));
        }
        if let Some(why) = registry::events::replicated_event_problem(event) {
            return bad(why);
        }
        let now_ms = unix_ms(self.now);
        if event.hlc.wall_ms > now_ms.saturating_add(MAX_CLOCK_AHEAD_MS) {
            return Err(StoreError::ClockAhead { ahead_ms: event.hlc.wall_ms - now_ms });
        }
        self.clock.observe(&event.hlc, now_ms);
        let current = load_state(&self.tx, event.record_kind, event.record_id)?;
        self.record_event(event, current)?;
        Ok(true)
    }

    fn record_event(&mut self, event: &Event, mut state: RecordState) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO events (event_id, hlc, kiosk, clerk, record_kind, record_id, changes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                event.event_id.to_string(),
                event.hlc.to_string(),
                event.kiosk,
                event.clerk.map(|c| c.to_string()),
                event.record_kind.as_str(),
                event.record_id.to_string(),
                serde_json::to_string(&event.changes)?,
            ])?;
        if state.apply(event) {
            save_state(&self.tx, event.record_kind, event.record_id, &state)?;
        }
        Ok(())
    }
}

/// A record as the JSON object the store keeps. `kind` is the export's name for the record's
/// kind, so no record may have a top-level field of that name.
fn object_of<R: Record>(record: &R) -> Result<Map<String, Value>, StoreError> {
    match serde_json::to_value(record)? {
        Value::Object(map) if !map.contains_key("kind") => Ok(map),
        _ => Err(StoreError::Corrupt(format!("{} does not encode as a kind-free object", R::KIND))),
    }
}

/// The fields of `record` that differ from `current`, a newer build's fields left alone
/// (`registry::events::changes_to`).
fn changes_to<R: Record>(
    current: &RecordState,
    record: &Map<String, Value>,
) -> Result<Map<String, Value>, StoreError> {
    Ok(registry::events::changes_to::<R>(current, record)?)
}

/// Every record of one kind as `conn` sees it ([`Store::list`], [`Writer::list`]).
fn list_records<R: Record>(conn: &Connection) -> Result<Vec<R>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, state FROM records WHERE kind = ?1 ORDER BY id")?;
    let rows = stmt
        .query_map([R::KIND.as_str()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, json) = row?;
        match serde_json::from_str(&json) {
            Ok(record) => out.push(record),
            Err(_) => tracing::warn!(%id, kind = %R::KIND, "record not yet whole; left out"),
        }
    }
    Ok(out)
}

fn load_state(tx: &Connection, kind: RecordKind, id: RecordId) -> Result<RecordState, StoreError> {
    Ok(load_stored(tx, kind, id)?.unwrap_or_default())
}

/// The stored state of a record, or `None` when it has no row ([`load_state`] treats both
/// alike, which writes want and verify does not).
fn load_stored(
    conn: &Connection,
    kind: RecordKind,
    id: RecordId,
) -> Result<Option<RecordState>, StoreError> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT state, clocks FROM records WHERE kind = ?1 AND id = ?2")?
        .query_row(params![kind.as_str(), id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((state, clocks)) = row else {
        return Ok(None);
    };
    Ok(Some(RecordState { state: serde_json::from_str(&state)?, clocks: decode_clocks(&clocks)? }))
}

/// Field clocks are stored grouped by clock (`{"<hlc>": ["field", …]}`): most records have all
/// their fields set by one or two events, so this is a fraction of one clock per field.
fn encode_clocks(clocks: &BTreeMap<String, Stamp>) -> Result<String, StoreError> {
    let mut grouped: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (field, stamp) in clocks {
        grouped.entry(stamp.to_string()).or_default().push(field);
    }
    Ok(serde_json::to_string(&grouped)?)
}

fn decode_clocks(text: &str) -> Result<BTreeMap<String, Stamp>, StoreError> {
    let grouped: BTreeMap<String, Vec<String>> = serde_json::from_str(text)?;
    let mut clocks = BTreeMap::new();
    for (stamp, fields) in grouped {
        let stamp: Stamp = stamp.parse().map_err(StoreError::Corrupt)?;
        for field in fields {
            clocks.insert(field, stamp.clone());
        }
    }
    Ok(clocks)
}

fn save_state(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: RecordId,
    state: &RecordState,
) -> Result<(), StoreError> {
    let updated = state.updated().map(|h| h.to_string()).unwrap_or_default();
    tx.prepare_cached(
        "INSERT INTO records (kind, id, state, clocks, updated_hlc) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kind, id) DO UPDATE SET state = ?3, clocks = ?4, updated_hlc = ?5",
    )?
    .execute(params![
        kind.as_str(),
        id.to_string(),
        serde_json::to_string(&state.state)?,
        encode_clocks(&state.clocks)?,
        updated,
    ])?;
    search::project(tx, kind, id, &state.state)?;
    links::project(tx, kind, id, &state.state)
}

struct RawEvent {
    event_id: String,
    hlc: String,
    kiosk: String,
    clerk: Option<String>,
    kind: String,
    record_id: String,
    changes: String,
}

fn row_to_raw_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawEvent> {
    Ok(RawEvent {
        event_id: r.get(0)?,
        hlc: r.get(1)?,
        kiosk: r.get(2)?,
        clerk: r.get(3)?,
        kind: r.get(4)?,
        record_id: r.get(5)?,
        changes: r.get(6)?,
    })
}

impl RawEvent {
    fn decode(self) -> Result<Event, StoreError> {
        let corrupt =
            |what: &str, value: &str| StoreError::Corrupt(format!("event {what} {value:?}"));
        Ok(Event {
            event_id: self.event_id.parse().map_err(|_| corrupt("id", &self.event_id))?,
            hlc: self.hlc.parse().map_err(|_| corrupt("clock", &self.hlc))?,
            kiosk: self.kiosk,
            clerk: match self.clerk {
                Some(c) => Some(c.parse().map_err(|_| corrupt("clerk", &c))?),
                None => None,
            },
            record_kind: RecordKind::parse(&self.kind)
                .ok_or_else(|| corrupt("kind", &self.kind))?,
            record_id: self.record_id.parse().map_err(|_| corrupt("record", &self.record_id))?,
            changes: serde_json::from_str(&self.changes)?,
        })
    }
}

/// Folds the event log one record at a time (events come grouped by record through the
/// `events_by_record` index), so memory stays one record's worth whatever the store's size.
/// `kiosk` is this store's own id, to tell which records it wrote to.
fn for_each_folded(
    conn: &Connection,
    kiosk: &str,
    mut each: impl FnMut(RecordKind, RecordId, Folded) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(
        "SELECT event_id, hlc, kiosk, clerk, record_kind, record_id, changes FROM events
         ORDER BY record_kind, record_id, hlc",
    )?;
    let rows = stmt.query_map([], row_to_raw_event)?;
    let mut current: Option<(RecordKind, RecordId, Folded)> = None;
    for row in rows {
        let event = row?.decode()?;
        let same_record = matches!(&current, Some((kind, id, _))
            if *kind == event.record_kind && *id == event.record_id);
        if !same_record {
            if let Some((kind, id, folded)) = current.take() {
                each(kind, id, folded)?;
            }
            current = Some((event.record_kind, event.record_id, Folded::default()));
        }
        if let Some((_, _, folded)) = &mut current {
            folded.state.apply(&event);
            folded.events.insert(event.event_id);
            folded.written_here |= event.kiosk == kiosk;
        }
    }
    if let Some((kind, id, folded)) = current {
        each(kind, id, folded)?;
    }
    Ok(())
}

/// Stored states that not one event in the log accounts for.
fn records_without_events(
    conn: &Connection,
) -> Result<Vec<(RecordKind, RecordId, RecordState)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT kind, id, state, clocks FROM records r WHERE NOT EXISTS
         (SELECT 1 FROM events e WHERE e.record_kind = r.kind AND e.record_id = r.id)",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let (kind, id) = parse_key(&row.get::<_, String>(0)?, &row.get::<_, String>(1)?)?;
        let state = RecordState {
            state: serde_json::from_str(&row.get::<_, String>(2)?)?,
            clocks: decode_clocks(&row.get::<_, String>(3)?)?,
        };
        out.push((kind, id, state));
    }
    Ok(out)
}

pub(crate) fn parse_key(kind: &str, id: &str) -> Result<(RecordKind, RecordId), StoreError> {
    let kind = RecordKind::parse(kind)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown kind {kind:?}")))?;
    let id = id.parse().map_err(|_| StoreError::Corrupt(format!("bad record id {id:?}")))?;
    Ok((kind, id))
}

/// The latest clock in the log, whoever wrote it.
fn latest_hlc(conn: &Connection) -> Result<Option<Hlc>, StoreError> {
    let text: Option<String> = conn.query_row("SELECT max(hlc) FROM events", [], |r| r.get(0))?;
    text.map(|t| {
        t.parse().map_err(|e: registry::hlc::HlcParseError| StoreError::Corrupt(e.to_string()))
    })
    .transpose()
}

fn unix_ms(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}
