//! A journal: one office's events of one period, as an automerge document that several counters
//! write at once and the hub keeps. automerge carries and stores the events; it never merges
//! record state (the store's fold, `registry::events`, is the only merge).
//!
//! The document, readable by any automerge implementation:
//!
//! ```text
//! { "format": 1,                       (uint: this layout)
//!   "office": "MO01",                  (str)
//!   "period": "2026-11-29",            (str)
//!   "events": {                        (map, keyed by the event's id, a ULID)
//!     "01J…": { "v": 1,                (uint: the event's format, EVENT_FORMAT)
//!               "hlc": "…", "kiosk": "K01", "clerk": "01J…" or null,
//!               "record_kind": "person", "record_id": "01J…",
//!               "changes": "{…}",      (str: the changed fields as the JSON text signed)
//!               "seq": 7,              (uint: the kiosk's count of its journaled events, from 1)
//!               "prev": "<hex>",       (str: signing::link of the kiosk's entry seq - 1, or "")
//!               "sig": "<base64>" } } } (str: the kiosk's device key over signing::signed_bytes)
//! ```
//!
//! Events are a map by id, not a list: appending one twice is one, and what two counters append
//! at once merges without an order to agree on (the fold needs none). Every counter makes the
//! same first change for an office's period (a fixed actor and time), so two journals begun
//! apart merge into one document, not two competing `events` maps. An entry is kept as raw
//! strings ([`Entry`]): one of a kind or format this build does not know stays in the document,
//! is still verified (the signature covers the strings, not a parse of them) and goes on to
//! whoever syncs it. Each kiosk's entries form a signed chain (`seq`, `prev`, `sig`:
//! `crate::signing`), so a hub or a counter can tell a missing, re-ordered or forged entry.

use std::fmt;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    ActorId, AutoCommit, ChangeHash, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue,
    ScalarValueRef, Value, ValueRef,
};
use registry::events::Event;
use registry::model::RecordKind;

/// The layout this build writes and reads.
pub const FORMAT: u64 = 1;

/// The format of one event (an entry's `v`) this build writes and reads.
pub const EVENT_FORMAT: u64 = 1;

/// The actor of every journal's first change, so that it is the same change everywhere.
const GENESIS_ACTOR: &[u8] = b"registry-journal-genesis";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("not a journal: {0}")]
    NotAJournal(String),
    #[error("journal format {found} is newer than this build reads ({known})")]
    NewerFormat { found: u64, known: u64 },
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    /// The entry is damaged: a field missing, of the wrong type, or not what it names.
    #[error("event {id} cannot be read: {why}")]
    BadEvent { id: String, why: String },
    /// A newer build wrote the event (its `v`): kept and passed on, not folded here.
    #[error("event {id} has format {found}, newer than this build reads ({known})")]
    NewerEvent { id: String, found: u64, known: u64 },
    /// A newer build's kind of record: kept and passed on, not folded here.
    #[error("event {id} is of a kind this build does not know: {kind:?}")]
    UnknownKind { id: String, kind: String },
}

impl JournalError {
    /// Whether the event is well formed for a newer build (kept and forwarded), rather than
    /// damaged.
    pub fn unknown_to_this_build(&self) -> bool {
        matches!(self, JournalError::NewerEvent { .. } | JournalError::UnknownKind { .. })
    }
}

/// One event as a journal holds it: raw strings, so an event of a kind or format this build
/// does not know is still kept, verified and forwarded.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    /// The event's format ([`EVENT_FORMAT`] for what this build writes).
    pub v: u64,
    pub event_id: String,
    pub hlc: String,
    pub kiosk: String,
    pub clerk: Option<String>,
    pub record_kind: String,
    pub record_id: String,
    /// The changed fields as the JSON text that was signed (stored as is, never re-serialised).
    pub changes: String,
    /// This kiosk's count of its own journaled events, from 1.
    pub seq: u64,
    /// `signing::link(office, previous entry of this kiosk)`, "" when seq == 1.
    pub prev: String,
    /// Standard base64 of the ECDSA P-256 SHA-256 ASN.1 signature over `signing::signed_bytes`.
    pub sig: String,
}

/// The changed fields can be ID numbers or phone numbers: `Debug` leaves them out.
impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("v", &self.v)
            .field("event_id", &self.event_id)
            .field("hlc", &self.hlc)
            .field("kiosk", &self.kiosk)
            .field("clerk", &self.clerk)
            .field("record_kind", &self.record_kind)
            .field("record_id", &self.record_id)
            .field("seq", &self.seq)
            .field("prev", &self.prev)
            .field("sig", &self.sig)
            .finish_non_exhaustive()
    }
}

impl Entry {
    /// The unsigned form of a store event (seq 0, prev "", sig ""): `signing` fills those.
    pub fn of_event(event: &Event) -> Result<Entry, JournalError> {
        Ok(Entry {
            v: EVENT_FORMAT,
            event_id: event.event_id.to_string(),
            hlc: event.hlc.to_string(),
            kiosk: event.kiosk.clone(),
            clerk: event.clerk.map(|clerk| clerk.to_string()),
            record_kind: event.record_kind.as_str().to_owned(),
            record_id: event.record_id.to_string(),
            changes: serde_json::Value::Object(event.changes.clone()).to_string(),
            seq: 0,
            prev: String::new(),
            sig: String::new(),
        })
    }

    /// The typed event, or Err when its kind or format is unknown to this build
    /// ([`JournalError::unknown_to_this_build`]) or it is damaged.
    pub fn event(&self) -> Result<Event, JournalError> {
        let id = || self.event_id.clone();
        let bad = |why: String| JournalError::BadEvent { id: id(), why };
        if self.v > EVENT_FORMAT {
            return Err(JournalError::NewerEvent { id: id(), found: self.v, known: EVENT_FORMAT });
        }
        if self.v == 0 {
            return Err(bad("format 0".into()));
        }
        let record_kind = RecordKind::parse(&self.record_kind).ok_or_else(|| {
            JournalError::UnknownKind { id: id(), kind: self.record_kind.clone() }
        })?;
        let changes = match serde_json::from_str(&self.changes) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) => return Err(bad("changes: not a JSON object".into())),
            // serde_json's message names a line and column, never the text.
            Err(e) => return Err(bad(format!("changes: {e}"))),
        };
        Ok(Event {
            event_id: self.event_id.parse().map_err(|_| bad("event id: not a ULID".into()))?,
            hlc: self.hlc.parse().map_err(|e| bad(format!("hlc: {e}")))?,
            kiosk: self.kiosk.clone(),
            clerk: match &self.clerk {
                Some(clerk) => Some(clerk.parse().map_err(|_| bad("clerk: not a ULID".into()))?),
                None => None,
            },
            record_kind,
            record_id: self.record_id.parse().map_err(|_| bad("record id: not a ULID".into()))?,
            changes,
        })
    }
}

/// What [`Journal::entries`] and [`Journal::entries_since`] found.
#[derive(Debug, Default)]
pub struct Read {
    /// Oldest stamp first (the `hlc` text, then the event id).
    pub entries: Vec<Entry>,
    /// The ids of entries whose fields are missing or of the wrong type
    /// ([`Journal::entry`] says why). A kind or format this build does not know is not
    /// unreadable: such an entry is in `entries` ([`Entry::event`] tells).
    pub unreadable: Vec<String>,
    /// Only from [`Journal::entries_since`]: the event ids the new changes deleted. No build
    /// deletes an entry, so a peer whose changes do is refused.
    pub removed: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Journal {
    doc: AutoCommit,
    events: ObjId,
}

/// A document's first change, made the same on every counter (`genesis_actor`, time 0): the
/// format, what `fields` puts, and the empty map `map`; then written by `actor`.
pub(crate) fn genesis(
    genesis_actor: &[u8],
    actor: &[u8],
    map: &str,
    fields: impl FnOnce(&mut AutoCommit) -> Result<(), automerge::AutomergeError>,
) -> Result<AutoCommit, JournalError> {
    let mut doc = AutoCommit::new().with_actor(ActorId::from(genesis_actor));
    doc.put(ROOT, "format", FORMAT)?;
    fields(&mut doc)?;
    doc.put_object(ROOT, map, ObjType::Map)?;
    doc.commit_with(CommitOptions::default().with_time(0));
    doc.set_actor(ActorId::from(actor));
    Ok(doc)
}

/// The root map `map` of a document of a format this build reads.
pub(crate) fn checked_map(doc: &AutoCommit, map: &str) -> Result<ObjId, JournalError> {
    let format = match doc.get(ROOT, "format")? {
        Some((Value::Scalar(s), _)) => s.as_u64(),
        _ => None,
    }
    .ok_or_else(|| JournalError::NotAJournal("no format".into()))?;
    if format > FORMAT {
        return Err(JournalError::NewerFormat { found: format, known: FORMAT });
    }
    match doc.get(ROOT, map)? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(JournalError::NotAJournal(format!("no {map} map"))),
    }
}

fn text(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok().flatten() {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(t) => Some(t.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// An entry's fields, read in one pass over its map (a lookup per field costs a seek into the
/// document each: reading ten thousand entries was most of what a hub spent taking them in);
/// read strictly: what is missing or of another type is named.
struct Fields<'a> {
    values: [Option<ScalarValueRef<'a>>; FIELDS.len()],
    objects: [bool; FIELDS.len()],
}

/// The fields an entry has, in the order [`Fields`] keeps them.
const FIELDS: [&str; 10] =
    ["v", "hlc", "kiosk", "clerk", "record_kind", "record_id", "changes", "seq", "prev", "sig"];

impl<'a> Fields<'a> {
    fn read(doc: &'a AutoCommit, obj: &ObjId) -> Fields<'a> {
        let mut fields = Fields { values: Default::default(), objects: [false; FIELDS.len()] };
        for item in doc.map_range(obj, ..) {
            let Some(i) = FIELDS.iter().position(|f| *f == item.key) else { continue };
            match item.value {
                ValueRef::Scalar(value) => fields.values[i] = Some(value),
                ValueRef::Object(_) => fields.objects[i] = true,
            }
        }
        fields
    }

    fn scalar(&self, key: &str) -> Result<&ScalarValueRef<'a>, String> {
        let Some(i) = FIELDS.iter().position(|f| *f == key) else {
            return Err(format!("{key}: missing"));
        };
        match &self.values[i] {
            Some(value) => Ok(value),
            None if self.objects[i] => Err(format!("{key}: an object, not a value")),
            None => Err(format!("{key}: missing")),
        }
    }

    fn text(&self, key: &str) -> Result<String, String> {
        match self.scalar(key)? {
            ScalarValueRef::Str(t) => Ok(t.to_string()),
            _ => Err(format!("{key}: not a string")),
        }
    }

    fn uint(&self, key: &str) -> Result<u64, String> {
        match self.scalar(key)? {
            ScalarValueRef::Uint(n) => Ok(*n),
            // What other automerge implementations write for a number.
            ScalarValueRef::Int(n) => u64::try_from(*n).map_err(|_| format!("{key}: negative")),
            _ => Err(format!("{key}: not a whole number")),
        }
    }

    fn text_or_null(&self, key: &str) -> Result<Option<String>, String> {
        match self.scalar(key)? {
            ScalarValueRef::Str(t) => Ok(Some(t.to_string())),
            ScalarValueRef::Null => Ok(None),
            _ => Err(format!("{key}: neither a string nor null")),
        }
    }
}

impl Journal {
    /// A new journal of `office`'s `period`, written from now on by `actor` (this counter's
    /// own automerge actor: random per process is fine).
    pub fn new(office: &str, period: &str, actor: &[u8]) -> Result<Journal, JournalError> {
        let doc = genesis(GENESIS_ACTOR, actor, "events", |doc| {
            doc.put(ROOT, "office", office)?;
            doc.put(ROOT, "period", period)
        })?;
        Journal::from_doc(doc)
    }

    /// A journal from its saved bytes (`save`), written from now on by `actor`.
    pub fn load(bytes: &[u8], actor: &[u8]) -> Result<Journal, JournalError> {
        let doc = AutoCommit::load(bytes)?.with_actor(ActorId::from(actor));
        Journal::from_doc(doc)
    }

    /// A journal of a document a sync built (checked to be one of a format this build reads).
    pub fn from_doc(doc: AutoCommit) -> Result<Journal, JournalError> {
        let events = checked_map(&doc, "events")?;
        Ok(Journal { doc, events })
    }

    /// The document, for automerge's sync protocol.
    pub fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    /// The document, for automerge's sync protocol (which changes it).
    /// The document, given back (the hub reads a message's entries from its cached copy
    /// without cloning it, then puts it back).
    pub fn into_doc(self) -> AutoCommit {
        self.doc
    }

    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    pub fn office(&self) -> Option<String> {
        text(&self.doc, &ROOT, "office")
    }

    pub fn period(&self) -> Option<String> {
        text(&self.doc, &ROOT, "period")
    }

    /// How many entries the journal holds, readable or not.
    pub fn len(&self) -> usize {
        self.doc.length(&self.events)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the entries whose event ids it does not hold yet, in one change; answers how many
    /// were new. An entry is stored as given (its signature is the caller's business).
    pub fn append(&mut self, entries: &[Entry]) -> Result<usize, JournalError> {
        let mut added = 0;
        for entry in entries {
            let id = entry.event_id.as_str();
            if self.doc.get(&self.events, id)?.is_some() {
                continue;
            }
            let obj = self.doc.put_object(&self.events, id, ObjType::Map)?;
            self.doc.put(&obj, "v", entry.v)?;
            self.doc.put(&obj, "hlc", entry.hlc.as_str())?;
            self.doc.put(&obj, "kiosk", entry.kiosk.as_str())?;
            match &entry.clerk {
                Some(clerk) => self.doc.put(&obj, "clerk", clerk.as_str())?,
                None => self.doc.put(&obj, "clerk", ScalarValue::Null)?,
            }
            self.doc.put(&obj, "record_kind", entry.record_kind.as_str())?;
            self.doc.put(&obj, "record_id", entry.record_id.as_str())?;
            self.doc.put(&obj, "changes", entry.changes.as_str())?;
            self.doc.put(&obj, "seq", entry.seq)?;
            self.doc.put(&obj, "prev", entry.prev.as_str())?;
            self.doc.put(&obj, "sig", entry.sig.as_str())?;
            added += 1;
        }
        if added > 0 {
            self.doc.commit();
        }
        Ok(added)
    }

    /// One entry by its event id: `Ok(None)` when the journal has none, `BadEvent` saying
    /// which field is missing or of the wrong type.
    pub fn entry(&self, event_id: &str) -> Result<Option<Entry>, JournalError> {
        let obj = match self.doc.get(&self.events, event_id)? {
            None => return Ok(None),
            Some((Value::Object(ObjType::Map), obj)) => obj,
            Some(_) => {
                return Err(JournalError::BadEvent {
                    id: event_id.to_owned(),
                    why: "not a map".into(),
                });
            }
        };
        let fields = Fields::read(&self.doc, &obj);
        let read = || -> Result<Entry, String> {
            Ok(Entry {
                v: fields.uint("v")?,
                event_id: event_id.to_owned(),
                hlc: fields.text("hlc")?,
                kiosk: fields.text("kiosk")?,
                clerk: fields.text_or_null("clerk")?,
                record_kind: fields.text("record_kind")?,
                record_id: fields.text("record_id")?,
                changes: fields.text("changes")?,
                seq: fields.uint("seq")?,
                prev: fields.text("prev")?,
                sig: fields.text("sig")?,
            })
        };
        read().map(Some).map_err(|why| JournalError::BadEvent { id: event_id.to_owned(), why })
    }

    /// The entries it holds, oldest stamp first; those that cannot be read are named apart.
    pub fn entries(&self) -> Result<Read, JournalError> {
        let ids: Vec<String> =
            self.doc.map_range(&self.events, ..).map(|item| item.key.to_string()).collect();
        self.read(ids, Vec::new())
    }

    /// The entries put or changed since `before` (heads, as `heads` gave them): what a sync
    /// just brought, for the receiver to verify. An entry changed after it was put is listed
    /// too (as it reads now), so a forged field does not pass unseen.
    pub fn entries_since(&mut self, before: &[ChangeHash]) -> Result<Read, JournalError> {
        if before.is_empty() {
            // Everything is new: every entry it holds, without a diff of the whole document.
            return self.entries();
        }
        let after = self.doc.get_heads();
        let mut touched = std::collections::BTreeSet::new();
        let mut removed = std::collections::BTreeSet::new();
        for patch in self.doc.diff(before, &after) {
            if patch.obj == self.events {
                match patch.action {
                    automerge::PatchAction::PutMap { key, .. } => {
                        touched.insert(key);
                    }
                    automerge::PatchAction::DeleteMap { key } => {
                        removed.insert(key);
                    }
                    _ => {}
                }
            } else if let Some((_, Prop::Map(key))) =
                patch.path.iter().find(|(obj, _)| *obj == self.events)
            {
                touched.insert(key.clone());
            }
        }
        // A key put again after a delete is present: it is read, not removed.
        let removed: Vec<String> = removed
            .into_iter()
            .filter(|key| {
                !touched.contains(key)
                    && self.doc.get(&self.events, key.as_str()).ok().flatten().is_none()
            })
            .collect();
        let touched = touched
            .into_iter()
            .filter(|key| matches!(self.doc.get(&self.events, key.as_str()), Ok(Some(_))))
            .collect();
        self.read(touched, removed)
    }

    fn read(&self, ids: Vec<String>, removed: Vec<String>) -> Result<Read, JournalError> {
        let mut read = Read { removed, ..Read::default() };
        for id in ids {
            match self.entry(&id) {
                Ok(Some(entry)) => read.entries.push(entry),
                Ok(None) => {}
                Err(JournalError::BadEvent { .. }) => read.unreadable.push(id),
                Err(e) => return Err(e),
            }
        }
        read.entries.sort_by(|a, b| (&a.hlc, &a.event_id).cmp(&(&b.hlc, &b.event_id)));
        Ok(read)
    }

    /// Takes in what `other` has that this one lacks.
    pub fn merge(&mut self, other: &mut Journal) -> Result<(), JournalError> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    /// The changes the document stands on now: what a closed journal's manifest entry keeps.
    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The document's bytes, as any automerge implementation loads them.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }
}

/// Events and entries for the crate's tests.
#[cfg(any(test, feature = "test-support"))]
pub mod tests_support {
    use registry::events::Event;
    use registry::hlc::Hlc;
    use registry::model::RecordKind;
    use serde_json::json;

    use super::Entry;

    /// A person's name changed at counter `kiosk`, at a clock `n` milliseconds on.
    pub fn event(kiosk: &str, n: u64) -> Event {
        let mut changes = serde_json::Map::new();
        changes.insert("name_zh".into(), json!(format!("陳{n}")));
        Event {
            event_id: ulid::Ulid::new(),
            hlc: Hlc { wall_ms: 1_790_000_000_000 + n, counter: 0, node: kiosk.into() },
            kiosk: kiosk.into(),
            clerk: Some(ulid::Ulid::new()),
            record_kind: RecordKind::Person,
            record_id: ulid::Ulid::new(),
            changes,
        }
    }

    /// [`event`]'s unsigned entry.
    pub fn entry(kiosk: &str, n: u64) -> Entry {
        Entry::of_event(&event(kiosk, n)).expect("entry of a store event")
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::{entry, event};
    use super::*;

    /// An entry as a signing kiosk would leave it (the journal does not check signatures).
    fn signed_like(kiosk: &str, n: u64) -> Entry {
        let mut e = entry(kiosk, n);
        e.seq = n + 1;
        e.prev = if n == 0 { String::new() } else { format!("{n:064x}") };
        e.sig = "c2lnbmF0dXJl".into();
        e
    }

    #[test]
    fn journals_begun_apart_merge_into_one_with_every_entry_once() {
        let mut a = Journal::new("MO01", "2026-11-29", b"kiosk-a").expect("a");
        let mut b = Journal::new("MO01", "2026-11-29", b"kiosk-b").expect("b");
        let from_a: Vec<Entry> = (0..5).map(|n| signed_like("K01", n)).collect();
        let from_b: Vec<Entry> = (0..3).map(|n| signed_like("K02", n)).collect();
        assert_eq!(a.append(&from_a).expect("append"), 5);
        assert_eq!(a.append(&from_a[..2]).expect("again"), 0, "appending twice is once");
        assert_eq!(b.append(&from_b).expect("append"), 3);
        a.merge(&mut b).expect("merge");
        b.merge(&mut a).expect("merge back");
        let (ra, rb) = (a.entries().expect("read a"), b.entries().expect("read b"));
        assert_eq!(ra.entries.len(), 8);
        assert!(ra.unreadable.is_empty() && ra.removed.is_empty());
        assert_eq!(ra.entries, rb.entries, "both hold the same, in the same order");
        for e in from_a.iter().chain(&from_b) {
            assert!(ra.entries.contains(e), "{e:?} kept whole, seq, prev and sig included");
        }
        assert_eq!(a.office().as_deref(), Some("MO01"));
        assert_eq!(a.period().as_deref(), Some("2026-11-29"));
    }

    #[test]
    fn one_append_is_one_change_and_duplicates_in_it_count_once() {
        let mut a = Journal::new("MO01", "2026-11-29", b"kiosk-a").expect("a");
        let before = a.doc_mut().get_changes(&[]).len();
        let e = signed_like("K01", 0);
        assert_eq!(a.append(&[e.clone(), signed_like("K01", 1), e]).expect("append"), 2);
        assert_eq!(a.doc_mut().get_changes(&[]).len(), before + 1);
        assert_eq!(a.append(&[]).expect("nothing"), 0);
        assert_eq!(a.doc_mut().get_changes(&[]).len(), before + 1, "nothing new, no change");
    }

    #[test]
    fn an_entry_reads_back_as_the_store_event_it_was_made_of() {
        let original = event("K01", 3);
        let mut without_clerk = event("K01", 4);
        without_clerk.clerk = None;
        let mut a = Journal::new("MO01", "2026-11-29", b"kiosk-a").expect("a");
        let entries: Vec<Entry> = [&original, &without_clerk]
            .iter()
            .map(|e| Entry::of_event(e).expect("entry"))
            .collect();
        assert_eq!(entries[0].v, EVENT_FORMAT);
        assert_eq!(
            (entries[0].seq, entries[0].prev.as_str(), entries[0].sig.as_str()),
            (0, "", "")
        );
        a.append(&entries).expect("append");
        let read = a.entries().expect("read");
        let events: Vec<Event> = read.entries.iter().map(|e| e.event().expect("event")).collect();
        assert_eq!(events, vec![original, without_clerk]);
        assert_eq!(read.entries[1].clerk, None);
    }

    #[test]
    fn debug_of_an_entry_leaves_out_the_changed_fields() {
        let e = entry("K01", 7);
        let shown = format!("{e:?}");
        assert!(e.changes.contains("陳7"));
        assert!(!shown.contains("陳7") && !shown.contains("name_zh"), "{shown}");
        assert!(shown.contains(&e.event_id));
    }

    #[test]
    fn an_unknown_kind_or_newer_format_is_an_error_that_says_so_and_the_entry_is_kept() {
        let mut newer = signed_like("K01", 0);
        newer.v = EVENT_FORMAT + 1;
        newer.changes = "not even JSON: a newer format may say anything".into();
        let mut vehicle = signed_like("K01", 1);
        vehicle.record_kind = "vehicle".into();
        let mut a = Journal::new("MO01", "2026-11-29", b"kiosk-a").expect("a");
        a.append(&[newer.clone(), vehicle.clone()]).expect("append");
        let b = Journal::load(&a.save(), b"kiosk-b").expect("load");
        let read = b.entries().expect("read");
        assert_eq!(read.entries, vec![newer.clone(), vehicle.clone()], "kept as they were");
        let err = newer.event().expect_err("newer");
        assert!(matches!(err, JournalError::NewerEvent { found: 2, known: 1, .. }), "{err}");
        assert!(err.unknown_to_this_build());
        let err = vehicle.event().expect_err("unknown kind");
        assert!(
            matches!(&err, JournalError::UnknownKind { kind, .. } if kind == "vehicle"),
            "{err}"
        );
        assert!(err.unknown_to_this_build());
        // Damaged, not newer: a format 0, changes not an object, ids that are not ULIDs.
        let damaged = [
            Entry { v: 0, ..signed_like("K01", 2) },
            Entry { changes: "[1]".into(), ..signed_like("K01", 2) },
            Entry { changes: "{".into(), ..signed_like("K01", 2) },
            Entry { record_id: "x".into(), ..signed_like("K01", 2) },
            Entry { clerk: Some(String::new()), ..signed_like("K01", 2) },
            Entry { hlc: "yesterday".into(), ..signed_like("K01", 2) },
            Entry { event_id: "x".into(), ..signed_like("K01", 2) },
        ];
        for e in damaged {
            let err = e.event().expect_err("damaged");
            assert!(matches!(err, JournalError::BadEvent { .. }), "{err}");
            assert!(!err.unknown_to_this_build());
        }
    }

    #[test]
    fn an_entry_with_a_missing_or_mistyped_field_is_named_and_the_others_still_read() {
        let mut a = Journal::new("MO01", "2026-11-29", b"kiosk-a").expect("a");
        let good = signed_like("K01", 0);
        a.append(&[good.clone(), signed_like("K01", 1), signed_like("K01", 2)]).expect("append");
        let read = a.entries().expect("read");
        let (missing, mistyped) = (&read.entries[1].event_id, &read.entries[2].event_id);
        // A peer's build that leaves out `sig`, one that writes `seq` as text, one that puts a
        // plain value where an entry belongs, and one whose `seq` is negative.
        let obj = |a: &Journal, id: &str| match a.doc.get(&a.events, id) {
            Ok(Some((_, obj))) => obj,
            other => panic!("no entry {id}: {other:?}"),
        };
        let m = obj(&a, missing);
        a.doc.delete(&m, "sig").expect("delete");
        let t = obj(&a, mistyped);
        a.doc.put(&t, "seq", "three").expect("put");
        let events = a.events.clone();
        a.doc.put(&events, "01KPLAINVALUE0000000000000", "an entry?").expect("put");
        let n = a.doc.put_object(&events, "01KNEGATIVE000000000000000", ObjType::Map).expect("obj");
        a.doc.put(&n, "v", -1i64).expect("put");
        a.doc.commit();
        let read = a.entries().expect("read");
        assert_eq!(read.entries, vec![good], "the readable one is still read");
        let mut unreadable = read.unreadable.clone();
        unreadable.sort();
        let mut expected = vec![
            missing.clone(),
            mistyped.clone(),
            "01KPLAINVALUE0000000000000".to_owned(),
            "01KNEGATIVE000000000000000".to_owned(),
        ];
        expected.sort();
        assert_eq!(unreadable, expected);
        let why = |id: &str| match a.entry(id) {
            Err(JournalError::BadEvent { why, .. }) => why,
            other => panic!("{id}: {other:?}"),
        };
        assert_eq!(why(missing), "sig: missing");
        assert_eq!(why(mistyped), "seq: not a whole number");
        assert_eq!(why("01KPLAINVALUE0000000000000"), "not a map");
        assert_eq!(why("01KNEGATIVE000000000000000"), "v: negative");
        assert!(matches!(a.entry("01KNOTHERE0000000000000000"), Ok(None)));
    }

    #[test]
    fn entries_since_lists_what_a_sync_brought_including_a_changed_or_deleted_entry() {
        let mut a = Journal::new("MO01", "2026-11-29", b"kiosk-a").expect("a");
        let mut b = Journal::new("MO01", "2026-11-29", b"kiosk-b").expect("b");
        let old: Vec<Entry> = (0..3).map(|n| signed_like("K01", n)).collect();
        a.append(&old).expect("append");
        b.merge(&mut a).expect("b has them");
        let before = a.heads();
        assert!(a.entries_since(&before).expect("nothing").entries.is_empty());
        let new: Vec<Entry> = (0..2).map(|n| signed_like("K02", n)).collect();
        b.append(&new).expect("append");
        a.merge(&mut b).expect("sync");
        let since = a.entries_since(&before).expect("since");
        assert_eq!(since.entries, new, "only what the sync brought");
        assert!(since.unreadable.is_empty() && since.removed.is_empty());
        // Everything, from the empty heads.
        assert_eq!(a.entries_since(&[]).expect("all").entries.len(), 5);
        // A peer that changes an old entry's signature and deletes another.
        let before = a.heads();
        let forged = b.doc.get(&b.events, old[0].event_id.as_str()).expect("get");
        let Some((_, forged)) = forged else { panic!("entry missing") };
        b.doc.put(&forged, "sig", "Zm9yZ2Vk").expect("put");
        let events = b.events.clone();
        b.doc.delete(&events, old[1].event_id.as_str()).expect("delete");
        b.doc.commit();
        a.merge(&mut b).expect("sync");
        let since = a.entries_since(&before).expect("since");
        assert_eq!(since.entries.len(), 1);
        assert_eq!(since.entries[0].event_id, old[0].event_id);
        assert_eq!(since.entries[0].sig, "Zm9yZ2Vk", "as it reads now");
        assert_eq!(since.removed, vec![old[1].event_id.clone()]);
        // A peer's entry without its signature is brought as unreadable, not left out.
        let before = a.heads();
        let events = b.events.clone();
        let bare = b.doc.put_object(&events, "01KBARE0000000000000000000", ObjType::Map);
        let bare = bare.expect("object");
        b.doc.put(&bare, "v", 1u64).expect("put");
        b.doc.commit();
        a.merge(&mut b).expect("sync");
        let since = a.entries_since(&before).expect("since");
        assert!(since.entries.is_empty());
        assert_eq!(since.unreadable, vec!["01KBARE0000000000000000000".to_owned()]);
    }

    #[test]
    fn a_document_from_a_sync_is_a_journal_only_if_it_is_one() {
        let mut a = Journal::new("MO01", "2026-11-29", b"kiosk-a").expect("a");
        a.append(&[signed_like("K01", 0)]).expect("append");
        let doc = a.doc_mut().fork();
        let b = Journal::from_doc(doc).expect("a journal");
        assert_eq!(b.entries().expect("read").entries, a.entries().expect("read").entries);
        // Not a journal; a journal of a newer layout.
        assert!(matches!(Journal::from_doc(AutoCommit::new()), Err(JournalError::NotAJournal(_))));
        assert!(matches!(
            Journal::load(&AutoCommit::new().save(), b"k"),
            Err(JournalError::NotAJournal(_))
        ));
        let mut newer = AutoCommit::new();
        newer.put(ROOT, "format", FORMAT + 1).expect("put");
        newer.put_object(ROOT, "events", ObjType::Map).expect("put");
        assert!(matches!(
            Journal::load(&newer.save(), b"k"),
            Err(JournalError::NewerFormat { found: 2, known: 1 })
        ));
    }

    /// What a schedule does: a counter appends its next events, or one counter takes in
    /// another's journal (a sync in one direction).
    #[derive(Debug, Clone)]
    enum Step {
        Append { counter: usize, count: usize },
        Sync { from: usize, to: usize },
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            (0..3usize, 1..4usize).prop_map(|(counter, count)| Step::Append { counter, count }),
            (0..3usize, 0..3usize).prop_map(|(from, to)| Step::Sync { from, to }),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Three counters of one office append and sync in any order; once each has taken in
        /// the others', all three hold every entry appended, each once, the same way, and
        /// each sync's `entries_since` named exactly the entries it brought.
        #[test]
        fn any_schedule_of_appends_and_syncs_converges(steps in proptest::collection::vec(step(), 1..30)) {
            let mut journals: Vec<Journal> = (0..3)
                .map(|i| Journal::new("MO01", "2026-11-29", format!("k{i}").as_bytes()))
                .collect::<Result<_, _>>()
                .expect("journals");
            let mut written: Vec<Entry> = Vec::new();
            let mut n = 0;
            let sync = |journals: &mut Vec<Journal>, from: usize, to: usize| {
                let ids = |j: &Journal| -> std::collections::BTreeSet<String> {
                    j.doc.map_range(&j.events, ..).map(|item| item.key.to_string()).collect()
                };
                let mut other = journals[from].clone();
                let had = ids(&journals[to]);
                let before = journals[to].heads();
                journals[to].merge(&mut other).expect("merge");
                let brought: Vec<String> = ids(&journals[to]).difference(&had).cloned().collect();
                let since = journals[to].entries_since(&before).expect("since");
                let mut since: Vec<String> = since.entries.into_iter().map(|e| e.event_id).collect();
                since.sort();
                (since, brought)
            };
            for step in steps {
                match step {
                    Step::Append { counter, count } => {
                        let entries: Vec<Entry> = (0..count)
                            .map(|_| {
                                n += 1;
                                signed_like(&format!("K{counter}"), n)
                            })
                            .collect();
                        journals[counter].append(&entries).expect("append");
                        written.extend(entries);
                    }
                    Step::Sync { from, to } if from != to => {
                        let (since, brought) = sync(&mut journals, from, to);
                        proptest::prop_assert_eq!(since, brought);
                    }
                    Step::Sync { .. } => {}
                }
            }
            // Heal: everyone takes in everyone.
            for to in 0..3 {
                for from in 0..3 {
                    if from != to {
                        let (since, brought) = sync(&mut journals, from, to);
                        proptest::prop_assert_eq!(since, brought);
                    }
                }
            }
            written.sort_by(|a, b| (&a.hlc, &a.event_id).cmp(&(&b.hlc, &b.event_id)));
            for journal in &journals {
                let read = journal.entries().expect("read");
                proptest::prop_assert!(read.unreadable.is_empty());
                proptest::prop_assert_eq!(&read.entries, &written);
            }
        }
    }
}
