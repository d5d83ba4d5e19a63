//! The kiosk's side of replication, the data part: the office's journals and manifest as this
//! kiosk holds them (`sync.sqlite` beside the store), the pump that copies this kiosk's own
//! store events into them signed and chained, and the way entries a sync brought are applied to
//! the store. The network session (`sync::session`) drives these through [`LocalReplica`].
//!
//! Invariants:
//! - The store is the record; journals carry its events. The pump reads the store's log from a
//!   cursor (`Store::events_since`), and the cursor, this kiosk's chain head and the journal
//!   chunks it wrote change in ONE `sync.sqlite` transaction: after a crash at any point the
//!   pump copies nothing twice and loses nothing (a rolled-back copy left nothing behind).
//! - Only this kiosk's own events are journaled here: an event of another kiosk came from a
//!   journal and is there already.
//! - A document is the automerge saves written of it, in order (`chunks`): loading it is
//!   loading them concatenated; each process appends only what is not saved yet
//!   (`save_after` the heads it last saved or read), and first reads the chunks other
//!   processes (the counter app, its workers, a command) wrote since it last read.
//! - Applying entries goes through `Writer::apply_event` (idempotent); an entry of a kind or
//!   format this build does not know stays in the journal, counted, and is forwarded by sync.
//! - What applying brought is checked for conflicts a person must decide (`conflicts`): only
//!   the records its events touched, each through an index; the pairs found are kept here for
//!   a supervisor, never resolved.

pub mod conflicts;
mod db;
pub mod net;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use ::sync::automerge::{self, ActorId, AutoCommit, ChangeHash};
use ::sync::journal::{Entry, Journal, JournalError};
use ::sync::manifest::Manifest;
use ::sync::signing::{ChainHead, DeviceKey, SigningError};
use ::sync::wire::{DocName, WireError};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use store::{Store, StoreError};
use time::UtcOffset;

pub use db::{FILE_NAME, SCHEMA_VERSION};

/// How many entries a journal takes before the day goes on in `YYYY-MM-DD.N`: automerge
/// documents of a few thousand entries load and sync quickly (the measurements).
pub const JOURNAL_LIMIT: usize = 4000;

/// How many store events the pump reads at a time (all in one transaction).
const PUMP_PAGE: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the sync database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("sync.sqlite was written by a newer kiosk (schema {found}, this build knows {known})")]
    NewerSchema { found: i64, known: i64 },
    #[error("a journal: {0}")]
    Journal(#[from] JournalError),
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("signing: {0}")]
    Signing(#[from] SigningError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("this kiosk has not joined a hub (kiosk join)")]
    NotJoined,
    #[error("the store is kiosk {store} but this kiosk joined as {joined}")]
    KioskMismatch { store: String, joined: String },
    #[error(transparent)]
    DocName(#[from] WireError),
    /// A name that is a manifest where a journal was asked for, or the other way round.
    #[error("{0} is not a document of that kind")]
    WrongDoc(DocName),
    #[error("sync.sqlite holds data it cannot read: {0}")]
    Corrupt(String),
}

impl SyncError {
    /// What kind of failure this is, for logs (the text can name record ids, never values).
    pub fn category(&self) -> &'static str {
        match self {
            SyncError::Sqlite(_) => "sqlite",
            SyncError::NewerSchema { .. } => "newer schema",
            SyncError::Journal(_) => "journal",
            SyncError::Automerge(_) => "automerge",
            SyncError::Signing(_) => "signing",
            SyncError::Store(e) => e.category(),
            SyncError::NotJoined => "not joined",
            SyncError::KioskMismatch { .. } => "kiosk mismatch",
            SyncError::DocName(_) => "bad document name",
            SyncError::WrongDoc(_) => "wrong document kind",
            SyncError::Corrupt(_) => "corrupt",
        }
    }
}

/// Who this kiosk is to the hub, as `kiosk join` keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub office: String,
    pub kiosk: String,
    /// `wss://HOST:PORT`.
    pub hub_url: String,
    /// The credentials file (device key, certificate, CA); the key is read from there.
    pub credentials: PathBuf,
}

/// The last session with the hub, for `kiosk sync --status` and the clock-skew warning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubStatus {
    /// The hub's clock in its last `Hello` (Unix ms).
    pub hub_time_ms: Option<u64>,
    /// When the last sync ended (Unix ms, this kiosk's clock).
    pub last_at_ms: Option<u64>,
    pub last_ok: Option<bool>,
    /// A stable code for why it failed (a `Refused` code, "unreachable", …); never a sentence.
    pub last_detail: Option<String>,
    /// When a sync last ended well (Unix ms); kept when a later one fails.
    pub last_ok_at_ms: Option<u64>,
    /// This kiosk's chain as far as the hub holds it (the head when the last good sync began);
    /// kept when a later one fails.
    pub acked_seq: Option<u64>,
    /// How far the hub's clock was ahead of this kiosk's when its `Hello` came (hub minus
    /// kiosk, ms); kept when a later sync fails.
    pub hub_offset_ms: Option<i64>,
}

impl HubStatus {
    /// How far this kiosk's clock is from the hub's (kiosk minus hub), as the last session
    /// that reached the hub measured it: what the sign-in screen warns about.
    pub fn clock_skew(&self) -> Option<time::Duration> {
        self.hub_offset_ms.map(|offset| time::Duration::milliseconds(offset.saturating_neg()))
    }
}

/// What [`LocalReplica::apply_incoming`] did with the entries a sync brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Events new to the store.
    pub applied: usize,
    /// Events the store already had.
    pub known: usize,
    /// This kiosk's own entries (the store is where they came from).
    pub own: usize,
    /// Entries of a kind or format this build does not know: kept in the journal, not folded.
    pub unknown: usize,
    /// Entries whose fields are missing or damaged.
    pub unreadable: usize,
    /// Events the store refused (`StoreError::BadEvent`, `ClockAhead`), by event id.
    pub refused: Vec<String>,
    /// Conflicts a supervisor must decide that the applied events made (new to the list).
    pub conflicts: usize,
}

const DAY_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// The office-local day (`YYYY-MM-DD`) of a clock's wall time.
fn office_day(wall_ms: u64, offset: UtcOffset) -> Result<String, SyncError> {
    let nanos = i128::from(wall_ms) * 1_000_000;
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|_| SyncError::Corrupt(format!("an event dated {wall_ms} ms")))?;
    at.to_offset(offset)
        .date()
        .format(DAY_FORMAT)
        .map_err(|e| SyncError::Corrupt(format!("a day that does not print: {e}")))
}

/// The `N` of a period of `day` (1 for the day itself), or `None` for another day's.
fn part_of(period: &str, day: &str) -> Option<u32> {
    match period.strip_prefix(day)? {
        "" => Some(1),
        rest => rest.strip_prefix('.')?.parse().ok().filter(|n| *n >= 2),
    }
}

fn period_of(day: &str, n: u32) -> String {
    if n == 1 { day.to_owned() } else { format!("{day}.{n}") }
}

/// A document as this process holds it.
enum Held {
    Journal(Journal),
    Manifest(Manifest),
}

impl Held {
    fn doc_mut(&mut self) -> &mut AutoCommit {
        match self {
            Held::Journal(journal) => journal.doc_mut(),
            Held::Manifest(manifest) => manifest.doc_mut(),
        }
    }
}

struct Loaded {
    held: Held,
    /// The heads of what `sync.sqlite` holds of it, as far as this process knows: what the
    /// next save starts after.
    persisted: Vec<ChangeHash>,
    /// The last chunk read (or written) by this process.
    last_chunk: i64,
}

impl Loaded {
    fn unsaved(&mut self) -> bool {
        self.held.doc_mut().get_heads() != self.persisted
    }
}

/// This kiosk's replica of its office's documents: `sync.sqlite` and the documents this
/// process has loaded from it.
pub struct LocalReplica {
    conn: Connection,
    docs: HashMap<DocName, Loaded>,
    /// This process's automerge actor: random, as two processes of one kiosk may write one
    /// document at once and automerge needs their changes told apart.
    actor: ActorId,
    /// The office's offset from UTC, for the day an event's journal is.
    offset: UtcOffset,
    journal_limit: usize,
}

/// The documents' contents are records' fields: `Debug` names the documents only.
impl std::fmt::Debug for LocalReplica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.docs.keys().map(DocName::as_str).collect();
        names.sort_unstable();
        f.debug_struct("LocalReplica").field("loaded", &names).finish_non_exhaustive()
    }
}

impl LocalReplica {
    /// Opens (creating and migrating) `sync.sqlite` in the data directory.
    pub fn open_in(data_dir: &Path, offset: UtcOffset) -> Result<Self, SyncError> {
        Self::open(&data_dir.join(FILE_NAME), offset)
    }

    pub fn open(path: &Path, offset: UtcOffset) -> Result<Self, SyncError> {
        Ok(LocalReplica {
            conn: db::open(path)?,
            docs: HashMap::new(),
            actor: ActorId::random(),
            offset,
            journal_limit: JOURNAL_LIMIT,
        })
    }

    #[cfg(test)]
    fn with_journal_limit(mut self, limit: usize) -> Self {
        self.journal_limit = limit;
        self
    }

    // --- identity, status, sync states -----------------------------------------------------

    pub fn identity(&self) -> Result<Option<Identity>, SyncError> {
        identity(&self.conn)
    }

    /// Keeps who this kiosk is to the hub (`kiosk join`), replacing what was there.
    pub fn set_identity(&mut self, identity: &Identity) -> Result<(), SyncError> {
        self.conn.execute(
            "INSERT INTO identity (only, office, kiosk, hub_url, credentials)
             VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (only) DO UPDATE SET office = ?1, kiosk = ?2, hub_url = ?3,
                 credentials = ?4",
            params![
                identity.office,
                identity.kiosk,
                identity.hub_url,
                identity.credentials.to_string_lossy()
            ],
        )?;
        Ok(())
    }

    /// The store `seq` journaled up to, and this kiosk's chain head.
    pub fn pump_position(&self) -> Result<(i64, ChainHead), SyncError> {
        let (cursor, seq, link) = db::pump_row(&self.conn)?;
        Ok((cursor, ChainHead { seq, link }))
    }

    /// How many of this kiosk's own events the pump has not journaled yet.
    pub fn unjournaled(&self, store: &Store) -> Result<usize, SyncError> {
        let (mut cursor, _) = self.pump_position()?;
        let mut count = 0;
        loop {
            let page = store.events_since(cursor, PUMP_PAGE)?;
            let Some((last, _)) = page.last() else { return Ok(count) };
            cursor = *last;
            count += page.iter().filter(|(_, e)| e.kiosk == store.kiosk_id()).count();
        }
    }

    /// automerge's sync state with `peer` for `doc` (a new one when none was kept).
    pub fn sync_state(
        &self,
        peer: &str,
        doc: &DocName,
    ) -> Result<automerge::sync::State, SyncError> {
        match db::sync_state(&self.conn, peer, doc.as_str())? {
            Some(bytes) => automerge::sync::State::decode(&bytes)
                .map_err(|e| SyncError::Corrupt(format!("sync state of {doc}: {e}"))),
            None => Ok(automerge::sync::State::new()),
        }
    }

    /// Keeps `state`, noting whether the document as this process holds it (and every chunk it
    /// read) is all shared with `peer` ([`LocalReplica::settled`]).
    pub fn save_sync_state(
        &mut self,
        peer: &str,
        doc: &DocName,
        state: &automerge::sync::State,
    ) -> Result<(), SyncError> {
        let settled = self.docs.get_mut(doc).and_then(|loaded| {
            let heads = loaded.held.doc_mut().get_heads();
            let shared = heads.iter().all(|h| state.shared_heads.contains(h));
            (shared && loaded.persisted == heads).then_some(loaded.last_chunk)
        });
        db::set_sync_state(&self.conn, peer, doc.as_str(), &state.encode(), settled)
    }

    /// Whether `peer` had every chunk of `doc` when their sync state was last saved: nothing
    /// was written to it since (a pump, another process). Read without loading the document.
    pub fn settled(&self, peer: &str, doc: &DocName) -> Result<bool, SyncError> {
        db::settled(&self.conn, peer, doc.as_str())
    }

    pub fn hub_status(&self) -> Result<HubStatus, SyncError> {
        let row = self.conn.query_row(
            "SELECT hub_time_ms, last_at_ms, last_ok, last_detail, last_ok_at_ms, acked_seq,
                 hub_offset_ms
             FROM hub WHERE only = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<bool>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                ))
            },
        )?;
        let ms = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
        Ok(HubStatus {
            hub_time_ms: ms(row.0),
            last_at_ms: ms(row.1),
            last_ok: row.2,
            last_detail: row.3,
            last_ok_at_ms: ms(row.4),
            acked_seq: ms(row.5),
            hub_offset_ms: row.6,
        })
    }

    /// Keeps how the last sync ended. `hub_time_ms`, `last_ok_at_ms`, `acked_seq` and
    /// `hub_offset_ms` stay as they were when `None` (the hub was not reached, or the sync
    /// failed).
    pub fn record_sync(&mut self, status: &HubStatus) -> Result<(), SyncError> {
        let ms = |v: Option<u64>| v.and_then(|v| i64::try_from(v).ok());
        self.conn.execute(
            "UPDATE hub SET hub_time_ms = coalesce(?1, hub_time_ms), last_at_ms = ?2,
                 last_ok = ?3, last_detail = ?4, last_ok_at_ms = coalesce(?5, last_ok_at_ms),
                 acked_seq = coalesce(?6, acked_seq),
                 hub_offset_ms = coalesce(?7, hub_offset_ms) WHERE only = 1",
            params![
                ms(status.hub_time_ms),
                ms(status.last_at_ms),
                status.last_ok,
                status.last_detail,
                ms(status.last_ok_at_ms),
                ms(status.acked_seq),
                status.hub_offset_ms
            ],
        )?;
        Ok(())
    }

    // --- conflicts a supervisor decides ----------------------------------------------------

    /// Keeps conflicts found (at `at_ms`, Unix ms) for a supervisor; one kept already stays as
    /// it was. Answers how many were new.
    pub fn keep_conflicts(
        &self,
        found: &[conflicts::Conflict],
        at_ms: u64,
    ) -> Result<usize, SyncError> {
        let at = i64::try_from(at_ms).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO conflicts (kind, first, second, found_at_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (kind, first, second) DO NOTHING",
        )?;
        let mut new = 0;
        for c in found {
            new += stmt.execute(params![
                c.kind.as_str(),
                c.first.to_string(),
                c.second.to_string(),
                at
            ])?;
        }
        Ok(new)
    }

    /// The conflicts kept that still stand, oldest found first, each checked against the store
    /// again: one put right since (a number corrected) is dropped from the list here.
    pub fn conflicts(&self, store: &Store) -> Result<Vec<conflicts::Conflict>, SyncError> {
        let mut standing = Vec::new();
        for (kind, first, second) in db::conflicts(&self.conn)? {
            let parse = |text: &str| {
                text.parse()
                    .map_err(|_| SyncError::Corrupt(format!("a conflict's record {text:?}")))
            };
            let kind = conflicts::ConflictKind::parse(&kind)
                .ok_or_else(|| SyncError::Corrupt(format!("a conflict of kind {kind:?}")))?;
            let conflict = conflicts::Conflict::new(kind, parse(&first)?, parse(&second)?);
            if conflicts::holds(store, &conflict)? {
                standing.push(conflict);
            } else {
                self.conn.execute(
                    "DELETE FROM conflicts WHERE kind = ?1 AND first = ?2 AND second = ?3",
                    params![kind.as_str(), first, second],
                )?;
            }
        }
        Ok(standing)
    }

    /// The full check (`conflicts::all`, from the store's indexes): every conflict in the store
    /// kept, and the list as [`LocalReplica::conflicts`] gives it.
    pub fn check_all_conflicts(
        &self,
        store: &Store,
    ) -> Result<Vec<conflicts::Conflict>, SyncError> {
        self.keep_conflicts(&conflicts::all(store)?, net::now_ms())?;
        self.conflicts(store)
    }

    // --- documents ------------------------------------------------------------------------

    /// The documents `sync.sqlite` holds, by name.
    pub fn stored_docs(&self) -> Result<Vec<DocName>, SyncError> {
        let names = db::doc_names(&self.conn)?;
        names
            .iter()
            .map(|n| DocName::parse(n).map_err(|_| SyncError::Corrupt(format!("a document {n:?}"))))
            .collect()
    }

    /// Forgets what this process holds of `name`, so that it is read from storage again: after
    /// a change a sync brought was refused (the in-memory document still has it).
    pub fn reload(&mut self, name: &DocName) {
        self.docs.remove(name);
    }

    /// A document, as stored and with what other processes saved since this one last read
    /// it; a document not stored yet is begun (a journal or manifest's common first change).
    /// Changes made to it are kept by [`LocalReplica::persist`].
    pub fn doc_mut(&mut self, name: &DocName) -> Result<&mut AutoCommit, SyncError> {
        let loaded = loaded(&self.conn, &mut self.docs, name, &self.actor)?;
        // Unsaved changes (a sync message just applied) wait for `persist`, which reads
        // what others saved too.
        if !loaded.unsaved() {
            read_new_chunks(&self.conn, name, loaded)?;
        }
        Ok(loaded.held.doc_mut())
    }

    /// A journal, as [`LocalReplica::doc_mut`] gives it.
    pub fn journal(&mut self, name: &DocName) -> Result<&mut Journal, SyncError> {
        self.doc_mut(name)?;
        journal_in(&mut self.docs, name)
    }

    /// A manifest, as [`LocalReplica::doc_mut`] gives it.
    pub fn manifest(&mut self, name: &DocName) -> Result<&mut Manifest, SyncError> {
        self.doc_mut(name)?;
        match self.docs.get_mut(name).map(|l| &mut l.held) {
            Some(Held::Manifest(manifest)) => Ok(manifest),
            _ => Err(SyncError::WrongDoc(name.clone())),
        }
    }

    /// Saves what changed in `name` since it was last saved (a sync message changed it) as a
    /// new chunk, and reads what other processes saved meanwhile. Answers whether there was
    /// anything to save.
    pub fn persist(&mut self, name: &DocName) -> Result<bool, SyncError> {
        let result = self.in_transaction(|tx, docs, actor| {
            let loaded = loaded(tx, docs, name, actor)?;
            sync_with_storage(tx, name, loaded)
        });
        self.forget_on_error(result)
    }

    /// Replaces the chunks of `name` by one save of the whole document: loading it is then
    /// one read. What other processes saved first is kept (read and saved with it).
    /// Compacts every document saved in more than `max` chunks (the pump saves one chunk a
    /// pump, so a busy day's journal gathers thousands, and opening it means loading each):
    /// answers how many were compacted.
    pub fn compact_fragmented(&mut self, max: usize) -> Result<usize, SyncError> {
        let names: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT doc FROM chunks GROUP BY doc HAVING count(*) > ?1 ORDER BY doc")?;
            let rows = stmt.query_map([i64::try_from(max).unwrap_or(i64::MAX)], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut compacted = 0;
        for name in names {
            // A name sync.sqlite holds was checked when it was first saved.
            if let Ok(name) = DocName::parse(&name) {
                self.compact(&name)?;
                compacted += 1;
            }
        }
        Ok(compacted)
    }

    pub fn compact(&mut self, name: &DocName) -> Result<(), SyncError> {
        let result = self.in_transaction(|tx, docs, actor| {
            let loaded = loaded(tx, docs, name, actor)?;
            sync_with_storage(tx, name, loaded)?;
            let whole = loaded.held.doc_mut().save();
            tx.execute("DELETE FROM chunks WHERE doc = ?1", [name.as_str()])?;
            loaded.last_chunk = db::add_chunk(tx, name.as_str(), &whole)?;
            loaded.persisted = loaded.held.doc_mut().get_heads();
            Ok(())
        });
        self.forget_on_error(result)
    }

    // --- the pump ---------------------------------------------------------------------------

    /// Journals this kiosk's store events written since the last pump: each signed as the next
    /// link of the kiosk's chain, appended to its office-local day's journal (listed in the
    /// office's manifest), saved as new chunks, with the cursor and chain head, in one
    /// transaction. Answers how many events were journaled.
    pub fn pump(&mut self, store: &Store, key: &DeviceKey) -> Result<usize, SyncError> {
        let result = self.pump_steps(store, key, true);
        self.forget_on_error(result)
    }

    /// The pump's steps; `commit` false stops short of committing (a crash, for the tests).
    fn pump_steps(
        &mut self,
        store: &Store,
        key: &DeviceKey,
        commit: bool,
    ) -> Result<usize, SyncError> {
        let offset = self.offset;
        let limit = self.journal_limit;
        let LocalReplica { conn, docs, actor, .. } = self;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let identity = identity(&tx)?.ok_or(SyncError::NotJoined)?;
        if identity.kiosk != store.kiosk_id() {
            return Err(SyncError::KioskMismatch {
                store: store.kiosk_id().to_owned(),
                joined: identity.kiosk,
            });
        }
        let office = identity.office.as_str();
        let (start, seq, link) = db::pump_row(&tx)?;
        let mut head = ChainHead { seq, link };
        let mut cursor = start;
        // What this process holds of the manifest is brought up to what is stored first: the
        // journals other processes listed decide where entries go.
        let manifest_name = DocName::manifest(office)?;
        sync_with_storage(&tx, &manifest_name, loaded(&tx, docs, &manifest_name, actor)?)?;
        let mut plan = Plan { office, limit, current: HashMap::new(), batches: BTreeMap::new() };
        let mut journaled = 0;
        loop {
            let page = store.events_since(cursor, PUMP_PAGE)?;
            let Some((last, _)) = page.last() else { break };
            cursor = *last;
            for (_, event) in page.iter().filter(|(_, e)| e.kiosk == identity.kiosk) {
                let day = office_day(event.hlc.wall_ms, offset)?;
                let name = plan.journal_for(&tx, docs, actor, &manifest_name, &day)?;
                let mut entry = Entry::of_event(event)?;
                head = key.sign(office, &mut entry, &head)?;
                plan.batches.entry(name).or_default().push(entry);
                journaled += 1;
            }
        }
        for (name, entries) in &plan.batches {
            journal_in(docs, name)?.append(entries)?;
        }
        for name in plan.batches.keys().chain([&manifest_name]) {
            let loaded = docs.get_mut(name).ok_or_else(|| SyncError::WrongDoc(name.clone()))?;
            sync_with_storage(&tx, name, loaded)?;
        }
        if cursor != start {
            db::set_pump_row(&tx, cursor, head.seq, &head.link)?;
        }
        if commit {
            tx.commit()?;
        }
        Ok(journaled)
    }

    /// Test hook: the pump up to its commit, then its transaction dropped (a crash).
    #[cfg(test)]
    fn pump_and_crash_before_commit(
        &mut self,
        store: &Store,
        key: &DeviceKey,
    ) -> Result<usize, SyncError> {
        let result = self.pump_steps(store, key, false);
        // What this process holds includes the lost transaction's chunks: a crashed process
        // holds nothing at all.
        self.docs.clear();
        result
    }

    // --- applying what a sync brought -------------------------------------------------------

    /// Applies to the store the entries of journal `name` new since `before` (its heads before
    /// a sync changed it), in one store transaction. Entries this build cannot fold (a newer
    /// kind or format) stay in the journal, counted; so do damaged ones and events the store
    /// refuses, each counted (and the refused named by id), so one cannot hold back the rest.
    pub fn apply_incoming(
        &mut self,
        store: &mut Store,
        name: &DocName,
        before: &[ChangeHash],
    ) -> Result<Applied, SyncError> {
        let read = self.journal(name)?.entries_since(before)?;
        let mut applied = Applied { unreadable: read.unreadable.len(), ..Applied::default() };
        let mut events = Vec::with_capacity(read.entries.len());
        for entry in &read.entries {
            if entry.kiosk == store.kiosk_id() {
                applied.own += 1;
                continue;
            }
            match entry.event() {
                Ok(event) => events.push(event),
                Err(e) if e.unknown_to_this_build() => applied.unknown += 1,
                Err(_) => applied.unreadable += 1,
            }
        }
        let mut touched = Vec::new();
        let outcome = store.write(None, |w| {
            let mut counted = Applied::default();
            for event in &events {
                match w.apply_event(event) {
                    Ok(true) => {
                        counted.applied += 1;
                        touched.push((event.record_kind, event.record_id));
                    }
                    Ok(false) => counted.known += 1,
                    // Refused before anything of it was written: the rest go on.
                    Err(StoreError::BadEvent(_) | StoreError::ClockAhead { .. }) => {
                        counted.refused.push(event.event_id.to_string());
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(counted)
        })?;
        applied.applied = outcome.applied;
        applied.known = outcome.known;
        applied.refused = outcome.refused;
        // Only what these events touched is looked at, each through an index.
        touched.sort_unstable();
        touched.dedup();
        let found = conflicts::among(store, &touched)?;
        applied.conflicts = self.keep_conflicts(&found, net::now_ms())?;
        if applied.conflicts > 0 {
            tracing::warn!(
                doc = name.as_str(),
                conflicts = applied.conflicts,
                "records that conflict, for a supervisor"
            );
        }
        if !applied.refused.is_empty() || applied.unreadable > 0 {
            tracing::warn!(
                doc = name.as_str(),
                refused = ?applied.refused,
                unreadable = applied.unreadable,
                "journal entries not applied"
            );
        }
        Ok(applied)
    }

    // --- plumbing ---------------------------------------------------------------------------

    /// Runs `work` in one IMMEDIATE transaction of `sync.sqlite`, committed when it succeeds.
    fn in_transaction<T>(
        &mut self,
        work: impl FnOnce(
            &Transaction<'_>,
            &mut HashMap<DocName, Loaded>,
            &ActorId,
        ) -> Result<T, SyncError>,
    ) -> Result<T, SyncError> {
        let LocalReplica { conn, docs, actor, .. } = self;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = work(&tx, docs, actor)?;
        tx.commit()?;
        Ok(out)
    }

    /// After a failed transaction, what this process holds may be ahead of what is stored (it
    /// counted chunks saved that were rolled back): it is read again from storage.
    fn forget_on_error<T>(&mut self, result: Result<T, SyncError>) -> Result<T, SyncError> {
        if result.is_err() {
            self.docs.clear();
        }
        result
    }
}

/// Where the pump's entries go: the journal of each day, rolled to the next part when full.
struct Plan<'a> {
    office: &'a str,
    limit: usize,
    /// Per day, the part and the journal taking its entries now.
    current: HashMap<String, (u32, DocName)>,
    /// The entries for each journal, in chain order.
    batches: BTreeMap<DocName, Vec<Entry>>,
}

impl Plan<'_> {
    /// The journal the next entry of `day` goes to: the day's latest part the manifest lists,
    /// unless it is closed or full, else the next part (listed now). A journal is brought up
    /// to what is stored the first time this pump looks at it, not at every entry.
    fn journal_for(
        &mut self,
        tx: &Transaction<'_>,
        docs: &mut HashMap<DocName, Loaded>,
        actor: &ActorId,
        manifest_name: &DocName,
        day: &str,
    ) -> Result<DocName, SyncError> {
        if let Some((_, name)) = self.current.get(day) {
            let pending = self.batches.get(name).map_or(0, Vec::len);
            if journal_in(docs, name)?.len() + pending < self.limit {
                return Ok(name.clone());
            }
        }
        let mut n = match self.current.get(day) {
            Some((n, _)) => n + 1,
            None => {
                let listed = manifest_in(docs, manifest_name)?.journals()?;
                let latest = listed
                    .iter()
                    .filter_map(|l| part_of(&l.period, day).map(|n| (n, l.closed.is_some())))
                    .max();
                match latest {
                    Some((n, true)) => n + 1,
                    Some((n, false)) => n,
                    None => 1,
                }
            }
        };
        loop {
            let period = period_of(day, n);
            let name = DocName::journal(self.office, &period)?;
            let loaded = loaded(tx, docs, &name, actor)?;
            sync_with_storage(tx, &name, loaded)?;
            let pending = self.batches.get(&name).map_or(0, Vec::len);
            let Held::Journal(journal) = &loaded.held else {
                return Err(SyncError::WrongDoc(name));
            };
            if journal.len() + pending < self.limit {
                manifest_in(docs, manifest_name)?.open(&period)?;
                self.current.insert(day.to_owned(), (n, name.clone()));
                return Ok(name);
            }
            n += 1;
        }
    }
}

fn identity(conn: &Connection) -> Result<Option<Identity>, SyncError> {
    Ok(conn
        .query_row(
            "SELECT office, kiosk, hub_url, credentials FROM identity WHERE only = 1",
            [],
            |r| {
                Ok(Identity {
                    office: r.get(0)?,
                    kiosk: r.get(1)?,
                    hub_url: r.get(2)?,
                    credentials: PathBuf::from(r.get::<_, String>(3)?),
                })
            },
        )
        .optional()?)
}

/// `name` as this process holds it, loaded from its chunks (or begun) the first time.
fn loaded<'d>(
    conn: &Connection,
    docs: &'d mut HashMap<DocName, Loaded>,
    name: &DocName,
    actor: &ActorId,
) -> Result<&'d mut Loaded, SyncError> {
    if !docs.contains_key(name) {
        let doc = load(conn, name, actor)?;
        docs.insert(name.clone(), doc);
    }
    docs.get_mut(name).ok_or_else(|| SyncError::WrongDoc(name.clone()))
}

/// A document from its chunks concatenated, or its first change when none is stored.
fn load(conn: &Connection, name: &DocName, actor: &ActorId) -> Result<Loaded, SyncError> {
    let chunks = db::chunks_after(conn, name.as_str(), 0)?;
    let last_chunk = chunks.last().map_or(0, |(id, _)| *id);
    let stored = if chunks.is_empty() {
        None
    } else {
        let bytes: Vec<u8> = chunks.into_iter().flat_map(|(_, bytes)| bytes).collect();
        Some(AutoCommit::load(&bytes)?.with_actor(actor.clone()))
    };
    let mut held = match (name.journal_period(), stored) {
        (Some(period), None) => {
            Held::Journal(Journal::new(name.office(), period, actor.to_bytes())?)
        }
        (Some(_), Some(doc)) => Held::Journal(Journal::from_doc(doc)?),
        (None, None) => Held::Manifest(Manifest::new(name.office(), actor.to_bytes())?),
        (None, Some(doc)) => Held::Manifest(Manifest::from_doc(doc)?),
    };
    // A document begun here has nothing stored yet: its first save holds everything.
    let persisted = if last_chunk == 0 { Vec::new() } else { held.doc_mut().get_heads() };
    Ok(Loaded { held, persisted, last_chunk })
}

/// Reads the chunks other processes saved of `name` since this one last read. Only for a
/// document with nothing unsaved (what is read is then all that is stored).
fn read_new_chunks(
    conn: &Connection,
    name: &DocName,
    loaded: &mut Loaded,
) -> Result<(), SyncError> {
    let chunks = db::chunks_after(conn, name.as_str(), loaded.last_chunk)?;
    let Some((last, _)) = chunks.last() else { return Ok(()) };
    loaded.last_chunk = *last;
    let doc = loaded.held.doc_mut();
    for (_, bytes) in &chunks {
        doc.load_incremental(bytes)?;
    }
    loaded.persisted = doc.get_heads();
    Ok(())
}

/// Inside a transaction: saves what `name` holds that is not stored (a chunk after the heads
/// last stored), then reads what other processes stored. Answers whether it saved anything.
fn sync_with_storage(
    tx: &Transaction<'_>,
    name: &DocName,
    loaded: &mut Loaded,
) -> Result<bool, SyncError> {
    let persisted = loaded.persisted.clone();
    let bytes = loaded.held.doc_mut().save_after(&persisted);
    let saved = !bytes.is_empty();
    if saved {
        db::add_chunk(tx, name.as_str(), &bytes)?;
    }
    // Reads its own chunk back too (loading a change twice is once): cheap, and the chunk ids
    // it skips are then surely all read.
    let chunks = db::chunks_after(tx, name.as_str(), loaded.last_chunk)?;
    let doc = loaded.held.doc_mut();
    for (id, bytes) in &chunks {
        doc.load_incremental(bytes)?;
        loaded.last_chunk = *id;
    }
    loaded.persisted = loaded.held.doc_mut().get_heads();
    Ok(saved)
}

fn journal_in<'d>(
    docs: &'d mut HashMap<DocName, Loaded>,
    name: &DocName,
) -> Result<&'d mut Journal, SyncError> {
    match docs.get_mut(name).map(|l| &mut l.held) {
        Some(Held::Journal(journal)) => Ok(journal),
        _ => Err(SyncError::WrongDoc(name.clone())),
    }
}

fn manifest_in<'d>(
    docs: &'d mut HashMap<DocName, Loaded>,
    name: &DocName,
) -> Result<&'d mut Manifest, SyncError> {
    match docs.get_mut(name).map(|l| &mut l.held) {
        Some(Held::Manifest(manifest)) => Ok(manifest),
        _ => Err(SyncError::WrongDoc(name.clone())),
    }
}
