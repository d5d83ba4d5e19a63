//! The hub: the central registry's end of replication. It keeps every office's journals (as the
//! automerge chunks kiosks sent), checks each entry a kiosk brings (its office, its kiosk, its
//! signature and its place in that kiosk's chain) before it keeps anything of the message, and
//! projects the entries with the kiosks' own fold into records for the registry's queries.

pub mod central;
#[cfg(any(test, feature = "test-support"))]
pub mod contract;
pub mod db;
pub mod pg;
pub mod server;
pub mod sqlite;

use std::collections::HashMap;

use automerge::{AutoCommit, ChangeHash};

use crate::journal::{Entry, Journal};
use crate::manifest::Manifest;
use crate::signing::{self, ChainHead};
use crate::wire::DocName;
use db::{Accepted, Commit, HeadMove};
pub use db::{Database, DbError};

/// The central registry's pseudo-office: its journals go to every office, and only the hub
/// writes them.
pub use crate::wire::CENTRAL;

/// Days a journal stays open after its own day: the hub then closes it at the heads it holds,
/// and kiosks stop offering it. A counter offline longer writes that day's later events to a
/// new part (`DAY.2`); one that wrote to it unaware of the close has its entries taken and the
/// journal closed again at the new heads ([`ingest`]), so every peer fetches them once.
pub const OPEN_DAYS: i64 = 2;

/// How many chunks a document may gather before the hub saves it whole in their place.
const COMPACT_AFTER: usize = 64;

/// Who is at the other end of a connection, from the certificate it presented.
pub use crate::pki::DeviceIdentity as Peer;

/// Why the hub refused what a kiosk sent: `code` is stable (a kiosk shows its own message for
/// it in the clerk's language), `detail` names the event and what was wrong.
pub use crate::wire::Refused;

impl From<DbError> for Refused {
    fn from(e: DbError) -> Refused {
        match e {
            DbError::Raced { .. } => Refused::new("busy", e.to_string()),
            _ => Refused::new("hub-failed", e.to_string()),
        }
    }
}

/// Opens the database a `--database` argument names: `sqlite:PATH` or `postgres://…`.
pub fn open_database(url: &str) -> Result<Box<dyn Database>, DbError> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        return Ok(Box::new(sqlite::SqliteDb::open(std::path::Path::new(path))?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(pg::PgDb::connect(url)?));
    }
    Err(DbError::Url(url.to_owned()))
}

/// Documents as this process last read them from the database, each with the id of the last
/// chunk read: another hub process sharing the database may have written more since, so every
/// use first reads the chunks after it.
#[derive(Debug, Default)]
pub struct Docs {
    cached: HashMap<String, Cached>,
}

#[derive(Debug)]
struct Cached {
    doc: AutoCommit,
    last_chunk: i64,
    chunks: usize,
}

impl Docs {
    /// The document as the database holds it now (an empty one when it holds none yet).
    pub fn get(&mut self, db: &mut dyn Database, name: &str) -> Result<&mut AutoCommit, DbError> {
        let cached = self.cached.entry(name.to_owned()).or_insert_with(|| Cached {
            doc: AutoCommit::new(),
            last_chunk: 0,
            chunks: 0,
        });
        for (id, bytes) in db.chunks(name, cached.last_chunk)? {
            cached
                .doc
                .load_incremental(&bytes)
                .map_err(|e| DbError::Corrupt(format!("document {name}, chunk {id}: {e}")))?;
            cached.last_chunk = id;
            cached.chunks += 1;
        }
        Ok(&mut cached.doc)
    }

    /// Puts a document taken out of the cache ([`std::mem::take`] on [`Docs::get`]'s answer)
    /// back in its place.
    fn put_back(&mut self, name: &str, doc: AutoCommit) {
        if let Some(cached) = self.cached.get_mut(name) {
            cached.doc = doc;
        }
    }

    /// Drops what this process holds of `name` (after a refused message changed it in memory):
    /// the next use reads it again from the database.
    pub fn forget(&mut self, name: &str) {
        self.cached.remove(name);
    }

    /// Notes a chunk this process wrote itself (its changes are already in the document), and
    /// saves the document whole in place of its chunks when they have piled up.
    fn wrote(&mut self, db: &mut dyn Database, name: &str, chunk: i64) -> Result<(), DbError> {
        let Some(cached) = self.cached.get_mut(name) else { return Ok(()) };
        // Chunks other processes wrote in between are read on the next use; this one is in.
        if chunk == cached.last_chunk + 1 || cached.last_chunk == 0 && cached.chunks == 0 {
            cached.last_chunk = chunk;
        }
        cached.chunks += 1;
        if cached.chunks >= COMPACT_AFTER && cached.last_chunk == chunk {
            let whole = cached.doc.save();
            db.compact(name, chunk, &whole)?;
            cached.chunks = 1;
        }
        Ok(())
    }
}

/// What one checked message brought.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub entries: usize,
}

/// Checks what a message from `peer` just changed in document `name` (its heads were `before`)
/// and keeps it: entries only of the peer's own kiosk and office, each signed by the peer's
/// device key and the next link of its chain; nothing else of the document touched. Refused
/// whole otherwise: the caller forgets the document so the refused changes go with it.
///
/// `sent`: the message's changes as sent, when they are all the document took in
/// ([`crate::session::Replica::changed`]): kept as the chunk instead of saving the changes
/// again (re-encoding them was a sixth of ingest).
pub fn ingest(
    db: &mut dyn Database,
    docs: &mut Docs,
    peer: &Peer,
    name: &DocName,
    before: &[ChangeHash],
    sent: Option<&[u8]>,
) -> Result<Ingested, Refused> {
    let office = name.office().to_owned();
    if name.is_central() {
        return Err(Refused::new(
            "central-read-only",
            format!("{name} is written by the central registry only"),
        ));
    }
    if office != peer.office {
        return Err(Refused::new(
            "wrong-office",
            format!("kiosk {} of office {} may not write {name}", peer.kiosk, peer.office),
        ));
    }
    let doc = docs.get(db, name.as_str())?;
    if doc.get_heads() == before {
        return Ok(Ingested::default());
    }
    let bad = |e: &dyn std::fmt::Display| Refused::new("bad-document", format!("{name}: {e}"));
    check_structure(doc, name, before).map_err(|e| bad(&e))?;
    let chunk = match sent {
        Some(bytes) => bytes.to_vec(),
        None => doc.save_after(before),
    };
    let mut commit = Commit { doc: name.to_string(), chunk, ..Commit::default() };
    match name.journal_period() {
        None => {
            let manifest = Manifest::from_doc(doc.clone()).map_err(|e| bad(&e))?;
            if manifest.office().as_deref() != Some(office.as_str()) {
                return Err(bad(&"it names another office"));
            }
        }
        Some(period) => {
            // The cached document itself, moved out and back, not a clone of it: a journal of
            // thousands of entries costs more to copy than a message to check. A refusal leaves
            // the cache without it, which the caller forgets anyway.
            let mut journal = Journal::from_doc(std::mem::take(doc)).map_err(|e| bad(&e))?;
            if journal.office().as_deref() != Some(office.as_str())
                || journal.period().as_deref() != Some(period)
            {
                return Err(bad(&"it names another office or period"));
            }
            let read = journal.entries_since(before).map_err(|e| bad(&e))?;
            if let Some(id) = read.removed.first() {
                return Err(Refused::new(
                    "removes-event",
                    format!("{name}: a change deletes entry {id}"),
                ));
            }
            if let Some(id) = read.unreadable.first() {
                let why = journal.entry(id).err().map(|e| e.to_string()).unwrap_or_default();
                return Err(Refused::new(
                    "bad-entry",
                    format!("{name}: entry {id} cannot be read: {why}"),
                ));
            }
            check_entries(db, peer, &office, name.as_str(), read.entries, &mut commit)?;
            docs.put_back(name.as_str(), journal.into_doc());
        }
    }
    let entries = commit.accepted.len();
    let chunk = db.commit(&commit)?;
    docs.wrote(db, name.as_str(), chunk)?;
    if let Some(period) = name.journal_period() {
        reclose_if_closed(db, docs, &office, period)?;
    }
    Ok(Ingested { entries })
}

/// Changes the office's manifest with `change` and keeps the change as a chunk of it.
fn change_manifest(
    db: &mut dyn Database,
    docs: &mut Docs,
    office: &str,
    change: impl FnOnce(&mut Manifest, &mut Docs, &mut dyn Database) -> Result<usize, DbError>,
) -> Result<usize, DbError> {
    let name = DocName::manifest(office).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let doc = docs.get(db, name.as_str())?;
    let before = doc.get_heads();
    if before.is_empty() {
        return Ok(0);
    }
    let mut manifest =
        Manifest::from_doc(doc.clone()).map_err(|e| DbError::Corrupt(format!("{name}: {e}")))?;
    let changed = change(&mut manifest, docs, db)?;
    if changed > 0 {
        let chunk = manifest.doc_mut().save_after(&before);
        db.commit(&Commit { doc: name.to_string(), chunk, ..Commit::default() })?;
        docs.forget(name.as_str());
    }
    Ok(changed)
}

/// After late entries reached a journal the manifest lists closed: closed again at its heads.
fn reclose_if_closed(
    db: &mut dyn Database,
    docs: &mut Docs,
    office: &str,
    period: &str,
) -> Result<(), DbError> {
    let journal = DocName::journal(office, period).map_err(|e| DbError::Corrupt(e.to_string()))?;
    change_manifest(db, docs, office, |manifest, docs, db| {
        let corrupt = |e: crate::journal::JournalError| DbError::Corrupt(e.to_string());
        let Some(closed) = manifest.closed(period).map_err(corrupt)? else { return Ok(0) };
        let mut heads = docs.get(db, journal.as_str())?.get_heads();
        heads.sort();
        if heads == closed {
            return Ok(0);
        }
        manifest.reclose(period, &heads).map_err(corrupt)?;
        Ok(1)
    })?;
    Ok(())
}

/// Closes the office's open journals of days more than [`OPEN_DAYS`] before `today`, at the
/// heads the hub holds. Answers how many it closed.
pub fn close_old_journals(
    db: &mut dyn Database,
    docs: &mut Docs,
    office: &str,
    today: time::Date,
) -> Result<usize, DbError> {
    change_manifest(db, docs, office, |manifest, docs, db| {
        let corrupt = |e: crate::journal::JournalError| DbError::Corrupt(e.to_string());
        let mut closed = 0;
        for listed in manifest.journals().map_err(corrupt)? {
            if listed.closed.is_some() {
                continue;
            }
            let day = listed.period.split('.').next().unwrap_or_default();
            let Ok(day) = time::Date::parse(day, DAY) else { continue };
            if day + time::Duration::days(OPEN_DAYS) >= today {
                continue;
            }
            let journal = DocName::journal(office, &listed.period)
                .map_err(|e| DbError::Corrupt(e.to_string()))?;
            let heads = docs.get(db, journal.as_str())?.get_heads();
            if heads.is_empty() {
                // Listed, but no entry reached the hub yet: nothing to close at.
                continue;
            }
            manifest.close(&listed.period, &heads).map_err(corrupt)?;
            closed += 1;
        }
        Ok(closed)
    })
}

const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// An entry every kiosk would refuse (`registry::events::replicated_event_problem`, and ids and
/// clocks in their one written form, so that every replica groups and orders them alike), or one
/// dated further ahead of the hub's clock than any replica takes: refused here too, so the
/// hub never keeps what its kiosks do not.
fn entry_problem(entry: &Entry, now_ms: u64) -> Result<(), Refused> {
    let bad = |why: String| Err(Refused::new("bad-event", why));
    let id = &entry.event_id;
    match id.parse::<ulid::Ulid>() {
        Ok(parsed) if parsed.to_string() == *id => {}
        _ => return bad(format!("event {id}: its id is not a ULID as written")),
    }
    let hlc = match entry.hlc.parse::<registry::hlc::Hlc>() {
        Ok(hlc) if hlc.to_string() == entry.hlc => hlc,
        _ => return bad(format!("event {id}: its clock is not one as written")),
    };
    if hlc.node != entry.kiosk {
        return bad(format!("event {id} names kiosk {} but its clock {}", entry.kiosk, hlc.node));
    }
    if hlc.wall_ms > now_ms.saturating_add(registry::events::MAX_CLOCK_AHEAD_MS) {
        return Err(Refused::new(
            "clock-ahead",
            format!("event {id} is dated {} ms ahead of the hub's clock", hlc.wall_ms - now_ms),
        ));
    }
    match entry.event() {
        Ok(event) => {
            if event.record_id.to_string() != entry.record_id {
                return bad(format!("event {id}: its record id is not a ULID as written"));
            }
            if let Some(why) = registry::events::replicated_event_problem(&event) {
                return bad(why);
            }
            Ok(())
        }
        // A kind or format this build does not know: kept and passed on, not read.
        Err(e) if e.unknown_to_this_build() => Ok(()),
        Err(e) => bad(format!("event {id}: {e}")),
    }
}

/// A document a peer changed must still be the one every replica began: the common first change
/// (the same actor and time everywhere), the root's keys as it made them with one value each (the
/// entries map the very one it made), and changes since `before` only inside the entries map: a
/// peer that replaced or emptied the map, or changed the office or period, would otherwise hide
/// entries from everyone, which `entries_since` (looking inside the map) cannot see.
fn check_structure(
    doc: &mut AutoCommit,
    name: &DocName,
    before: &[ChangeHash],
) -> Result<(), String> {
    use automerge::{ROOT, ReadDoc};
    let (mut canonical, map) = match name.journal_period() {
        Some(period) => (
            Journal::new(name.office(), period, b"hub").map_err(|e| e.to_string())?.doc().clone(),
            "events",
        ),
        None => (
            Manifest::new(name.office(), b"hub").map_err(|e| e.to_string())?.doc().clone(),
            "journals",
        ),
    };
    for head in canonical.get_heads() {
        if doc.get_change_by_hash(&head).is_none() {
            return Err("it does not begin with the common first change".into());
        }
    }
    let keys: Vec<String> = doc.keys(ROOT).collect();
    let expected: Vec<String> = canonical.keys(ROOT).collect();
    if keys != expected {
        return Err(format!("its root holds {keys:?}, not {expected:?}"));
    }
    for key in &expected {
        let values = doc.get_all(ROOT, key.as_str()).map_err(|e| e.to_string())?;
        let want = canonical.get_all(ROOT, key.as_str()).map_err(|e| e.to_string())?;
        let shown = |v: &[(automerge::Value<'_>, automerge::ObjId)]| {
            v.iter().map(|(value, id)| format!("{value:?}@{id}")).collect::<Vec<_>>()
        };
        if shown(&values) != shown(&want) {
            return Err(format!("its {key} was changed"));
        }
    }
    let Some((_, entries)) = doc.get(ROOT, map).map_err(|e| e.to_string())? else {
        return Err(format!("it has no {map}"));
    };
    if before.is_empty() || map == "events" {
        // The first message: the root's changes are the common first change, checked above. A
        // journal's root is checked above key by key, and inside its entries map every entry a
        // change touched is read (`entries_since`); only a manifest's changes are read here,
        // a diff a journal's message need not pay twice.
        return Ok(());
    }
    let after = doc.get_heads();
    for patch in doc.diff(before, &after) {
        let inside = patch.obj == entries || patch.path.iter().any(|(obj, _)| *obj == entries);
        if !inside {
            return Err(format!("a change outside its {map}"));
        }
        if map == "journals" {
            // Listing or closing a period puts a string; two counters listing one at once
            // make a conflict on its key, which is read as a whole (`Manifest::closed`).
            let listed = match &patch.action {
                automerge::PatchAction::PutMap {
                    value: (automerge::Value::Scalar(v), _), ..
                } => v.as_str().is_some(),
                automerge::PatchAction::Conflict { .. } => true,
                _ => false,
            };
            if !listed || patch.obj != entries {
                return Err(format!(
                    "a change to its list of journals other than listing or closing one: {:?}",
                    patch.action
                ));
            }
        }
    }
    Ok(())
}

fn check_entries(
    db: &mut dyn Database,
    peer: &Peer,
    office: &str,
    name: &str,
    fresh: Vec<Entry>,
    commit: &mut Commit,
) -> Result<(), Refused> {
    let mut own = Vec::new();
    for entry in fresh {
        let link = signing::link(office, &entry);
        match db.event_link(&entry.event_id)? {
            Some(known) if known == link => continue,
            Some(_) => {
                return Err(Refused::new(
                    "rewrites-event",
                    format!(
                        "event {} of kiosk {} differs from the one the hub has",
                        entry.event_id, entry.kiosk
                    ),
                ));
            }
            None => {}
        }
        if entry.kiosk != peer.kiosk {
            return Err(Refused::new(
                "not-your-event",
                format!(
                    "event {} names kiosk {}, but kiosk {} sent it",
                    entry.event_id, entry.kiosk, peer.kiosk
                ),
            ));
        }
        own.push((entry, link));
    }
    if own.is_empty() {
        return Ok(());
    }
    own.sort_by_key(|(e, _)| e.seq);
    let from = db.chain_head(&peer.kiosk)?;
    let mut head = from.clone();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    // Each entry names the link of the one before it, and a link is the hash of an entry's
    // signed bytes and its signature: once every link holds from the head the hub has, the last
    // entry's signature vouches for all of them (forging an earlier one changes its link, which
    // the next one names). So one signature is checked a message, not one an entry; when
    // anything fails, every entry is checked in order to name the first bad one and why.
    let chained = own.iter().try_fold(head.clone(), |head, (entry, link)| {
        entry_problem(entry, now_ms)?;
        signing::check_next_linked(&head, entry, link.clone())
            .map_err(|e| Refused::new("out-of-chain", e.to_string()))
    });
    let last_signed = own
        .last()
        .is_some_and(|(entry, _)| signing::verify(office, entry, &peer.public_key).is_ok());
    match chained {
        Ok(next) if last_signed => head = next,
        _ => {
            for (entry, link) in &own {
                signing::verify(office, entry, &peer.public_key)
                    .map_err(|e| Refused::new("bad-signature", e.to_string()))?;
                entry_problem(entry, now_ms)?;
                head = signing::check_next_linked(&head, entry, link.clone())
                    .map_err(|e| Refused::new("out-of-chain", e.to_string()))?;
            }
        }
    }
    for (entry, link) in own {
        commit.accepted.push(Accepted {
            office: office.to_owned(),
            doc: name.to_owned(),
            entry,
            link,
        });
    }
    commit.heads.push(HeadMove { kiosk: peer.kiosk.clone(), from, to: head });
    Ok(())
}

/// The first broken link of any chain, if one is: what `registry-hub audit verify` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub kiosk: String,
    pub seq: u64,
    pub event_id: String,
    pub why: String,
}

/// Checks every kiosk's chain in the database: each entry's signature against the device that
/// sent it, and each link to the one before. Returns how many entries were checked, or the first
/// broken link.
pub fn audit_verify(db: &mut dyn Database) -> Result<Result<u64, BrokenLink>, DbError> {
    let keys: HashMap<String, Vec<u8>> =
        db.devices()?.into_iter().map(|d| (d.kiosk, d.public_key)).collect();
    let mut head: (String, ChainHead) = (String::new(), ChainHead::default());
    let mut checked = 0u64;
    let mut broken: Option<BrokenLink> = None;
    db.chains(&mut |stored| {
        if broken.is_some() {
            return Ok(());
        }
        let e = &stored.entry;
        let fail = |why: String| BrokenLink {
            kiosk: e.kiosk.clone(),
            seq: e.seq,
            event_id: e.event_id.clone(),
            why,
        };
        if head.0 != e.kiosk {
            head = (e.kiosk.clone(), ChainHead::default());
        }
        let Some(key) = keys.get(&e.kiosk) else {
            broken = Some(fail("no certificate of this kiosk is on record".into()));
            return Ok(());
        };
        if let Err(err) = signing::verify(&stored.office, e, key) {
            broken = Some(fail(err.to_string()));
            return Ok(());
        }
        if signing::link(&stored.office, e) != stored.link {
            broken = Some(fail("its recorded link does not match its content".into()));
            return Ok(());
        }
        match signing::check_next(&head.1, &stored.office, e) {
            Ok(next) => head.1 = next,
            Err(err) => {
                broken = Some(fail(err.to_string()));
                return Ok(());
            }
        }
        checked += 1;
        Ok(())
    })?;
    Ok(broken.map_or(Ok(checked), Err))
}

#[cfg(test)]
mod tests {
    use super::contract;
    use super::db::Database;

    fn sqlite() -> Box<dyn Fn() -> Box<dyn Database>> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("hub.sqlite");
        // The folder lives as long as the opener.
        Box::new(move || {
            let _keep = &dir;
            Box::new(super::sqlite::SqliteDb::open(&path).expect("open")) as Box<dyn Database>
        })
    }

    /// A database file in a new folder (kept while the first is), its path, and an opener.
    fn on_disk() -> (tempfile::TempDir, std::path::PathBuf, impl Fn() -> Box<dyn Database>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("hub.sqlite");
        let at = path.clone();
        let open = move || {
            Box::new(super::sqlite::SqliteDb::open(&at).expect("open")) as Box<dyn Database>
        };
        (dir, path, open)
    }

    #[test]
    fn keeps_projects_and_shares() {
        contract::keeps_projects_and_shares(&*sqlite());
    }

    #[test]
    fn refuses_and_keeps_nothing() {
        contract::refuses_and_keeps_nothing(&*sqlite());
    }

    #[test]
    fn two_hub_processes_keep_a_message_once() {
        contract::two_hub_processes_keep_a_message_once(&*sqlite());
    }

    #[test]
    fn lists_conflicts_across_offices() {
        contract::lists_conflicts_across_offices(&*sqlite());
    }

    #[test]
    fn closes_old_journals_and_recloses_late_ones() {
        contract::closes_old_journals_and_recloses_late_ones(&*sqlite());
    }

    /// An event altered in the database, or one taken out of a chain, is named by the audit.
    #[test]
    fn audit_verify_names_the_first_broken_link() {
        let (_dir, path, open) = on_disk();
        let mut hub = contract::Hub::new(&open);
        let mut k1 = contract::Kiosk::new("MO01", "K1");
        let entries = k1.write(4);
        assert_eq!(k1.send(&mut hub), Ok(4));
        assert_eq!(super::audit_verify(hub.db.as_mut()).expect("verify"), Ok(4));
        let raw = rusqlite::Connection::open(&path).expect("raw");
        raw.execute(
            "UPDATE events SET changes = '{\"name_zh\":\"李\"}' WHERE event_id = ?1",
            [&entries[2].event_id],
        )
        .expect("tamper");
        let broken = super::audit_verify(hub.db.as_mut()).expect("verify").expect_err("broken");
        assert_eq!((broken.kiosk.as_str(), broken.seq), ("K1", 3));
        assert!(broken.why.contains("signature"), "{}", broken.why);
        raw.execute(
            "UPDATE events SET changes = ?1 WHERE event_id = ?2",
            [&entries[2].changes, &entries[2].event_id],
        )
        .expect("restore");
        raw.execute("DELETE FROM events WHERE event_id = ?1", [&entries[1].event_id])
            .expect("remove");
        let broken = super::audit_verify(hub.db.as_mut()).expect("verify").expect_err("broken");
        assert_eq!(broken.seq, 3, "the link after the missing one: {}", broken.why);
    }

    /// A change that waited on one the hub lacked is applied when that one arrives, by the
    /// second message; the hub then keeps what it took in, not that message's bytes (which lack
    /// the waiting change), and a hub reopening the database has every entry.
    #[test]
    fn a_change_that_waited_on_a_missing_one_is_kept_when_it_arrives() {
        use automerge::sync::{ChunkList, Message, MessageVersion, State};
        let (_dir, _, open) = on_disk();
        let mut hub = contract::Hub::new(&open);
        let mut k1 = contract::Kiosk::new("MO01", "K1");
        k1.write(1);
        let early: Vec<u8> = k1
            .journal
            .doc_mut()
            .get_changes(&[])
            .iter()
            .flat_map(|c| c.raw_bytes().to_vec())
            .collect();
        let heads = k1.journal.doc_mut().get_heads();
        k1.write(1);
        let late = k1.journal.doc_mut().get_changes(&heads);
        assert_eq!(late.len(), 1);
        let message = |bytes: Vec<u8>, heads: Vec<automerge::ChangeHash>| Message {
            heads,
            need: Vec::new(),
            have: Vec::new(),
            changes: ChunkList::from(bytes),
            flags: None,
            version: MessageVersion::V1,
        };
        let all_heads = k1.journal.doc_mut().get_heads();
        let peer = k1.enrol(&mut hub);
        let mut state = State::new();
        let mut send = |hub: &mut contract::Hub, bytes: Vec<u8>| {
            let doc = hub.docs.get(hub.db.as_mut(), k1.name.as_str()).expect("doc");
            let before = doc.get_heads();
            let (received, sent) =
                crate::session::receive(doc, &mut state, message(bytes, all_heads.clone()));
            received.expect("received");
            let moved = doc.get_heads() != before;
            let kept = if moved {
                super::ingest(
                    hub.db.as_mut(),
                    &mut hub.docs,
                    &peer,
                    &k1.name,
                    &before,
                    sent.as_deref(),
                )
                .expect("ingest")
                .entries
            } else {
                0
            };
            (moved, sent.is_some(), kept)
        };
        // The later change first: it waits, nothing moves.
        assert_eq!(send(&mut hub, late[0].raw_bytes().to_vec()), (false, false, 0));
        // The earlier ones: both are applied, and the message's bytes are not all of it.
        assert_eq!(send(&mut hub, early), (true, false, 2));
        let mut reopened = contract::Hub::new(&open);
        assert_eq!(reopened.doc(&k1.name).get_heads(), all_heads);
        assert_eq!(reopened.events(), 2);
    }

    #[test]
    fn keeps_states_devices_and_compacts() {
        contract::keeps_states_devices_and_compacts(&*sqlite());
    }
}
