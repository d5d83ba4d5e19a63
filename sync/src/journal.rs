//! A journal: one office's events of one period, as an automerge document that several counters
//! write at once and the hub keeps. automerge carries and stores the events; it never merges
//! record state (the store's fold, `registry::events`, is the only merge).
//!
//! The document, readable by any automerge implementation:
//!
//! ```text
//! { "format": 1,                       (uint: this layout)
//!   "office": "MO-01",                 (str)
//!   "period": "2026-11-29",            (str)
//!   "events": {                        (map, keyed by the event's id, a ULID)
//!     "01J…": { "hlc": "…", "kiosk": "K01", "clerk": "01J…" or null,
//!               "record_kind": "person", "record_id": "01J…",
//!               "changes": "{…}" } } } (str: the changed fields as JSON text)
//! ```
//!
//! Events are a map by id, not a list: appending one twice is one, and what two counters append
//! at once merges without an order to agree on (the fold needs none). Every counter makes the
//! same first change for an office's period (a fixed actor and time), so two journals begun
//! apart merge into one document, not two competing `events` maps. An event whose kind this
//! build does not know stays in the document, and goes on to whoever syncs it.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use registry::events::Event;

/// The layout this build writes and reads.
pub const FORMAT: u64 = 1;

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
    #[error("event {id} cannot be read: {why}")]
    BadEvent { id: String, why: String },
}

/// What [`Journal::events`] found.
#[derive(Debug, Default)]
pub struct Read {
    pub events: Vec<Event>,
    /// Events of a kind or form this build does not know: kept in the document, not folded.
    pub unknown: Vec<String>,
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

    fn from_doc(doc: AutoCommit) -> Result<Journal, JournalError> {
        let events = checked_map(&doc, "events")?;
        Ok(Journal { doc, events })
    }

    pub fn office(&self) -> Option<String> {
        text(&self.doc, &ROOT, "office")
    }

    pub fn period(&self) -> Option<String> {
        text(&self.doc, &ROOT, "period")
    }

    /// How many events the journal holds, known or not.
    pub fn len(&self) -> usize {
        self.doc.length(&self.events)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the events it does not hold yet, in one change; answers how many were new.
    pub fn append(&mut self, events: &[Event]) -> Result<usize, JournalError> {
        let mut added = 0;
        for event in events {
            let id = event.event_id.to_string();
            if self.doc.get(&self.events, id.as_str())?.is_some() {
                continue;
            }
            let kind = serde_json::to_value(event.record_kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let changes = serde_json::Value::Object(event.changes.clone()).to_string();
            let obj = self.doc.put_object(&self.events, id.as_str(), ObjType::Map)?;
            self.doc.put(&obj, "hlc", event.hlc.to_string())?;
            self.doc.put(&obj, "kiosk", event.kiosk.as_str())?;
            match event.clerk {
                Some(clerk) => self.doc.put(&obj, "clerk", clerk.to_string())?,
                None => self.doc.put(&obj, "clerk", ScalarValue::Null)?,
            }
            self.doc.put(&obj, "record_kind", kind)?;
            self.doc.put(&obj, "record_id", event.record_id.to_string())?;
            self.doc.put(&obj, "changes", changes)?;
            added += 1;
        }
        if added > 0 {
            self.doc.commit();
        }
        Ok(added)
    }

    /// The events it holds, oldest stamp first; those this build cannot read are named apart.
    pub fn events(&self) -> Result<Read, JournalError> {
        let mut read = Read::default();
        for item in self.doc.map_range(&self.events, ..) {
            let id = item.key.to_string();
            let obj = item.id();
            match self.event(&id, &obj) {
                Some(event) => read.events.push(event),
                None => read.unknown.push(id),
            }
        }
        read.events.sort_by(|a, b| (&a.hlc, a.event_id).cmp(&(&b.hlc, b.event_id)));
        Ok(read)
    }

    fn event(&self, id: &str, obj: &ObjId) -> Option<Event> {
        let get = |key: &str| text(&self.doc, obj, key);
        let changes: serde_json::Value = serde_json::from_str(&get("changes")?).ok()?;
        Some(Event {
            event_id: id.parse().ok()?,
            hlc: get("hlc")?.parse().ok()?,
            kiosk: get("kiosk")?,
            clerk: match get("clerk") {
                Some(clerk) => Some(clerk.parse().ok()?),
                None => None,
            },
            record_kind: serde_json::from_value(serde_json::Value::String(get("record_kind")?))
                .ok()?,
            record_id: get("record_id")?.parse().ok()?,
            changes: match changes {
                serde_json::Value::Object(map) => map,
                _ => return None,
            },
        })
    }

    /// Takes in what `other` has that this one lacks.
    pub fn merge(&mut self, other: &mut Journal) -> Result<(), JournalError> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    /// The changes the document stands on now: what a closed journal's manifest entry keeps.
    pub fn heads(&mut self) -> Vec<automerge::ChangeHash> {
        self.doc.get_heads()
    }

    /// The document's bytes, as any automerge implementation loads them.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }
}

/// Events for the crate's tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use registry::events::Event;
    use registry::hlc::Hlc;
    use registry::model::RecordKind;
    use serde_json::json;

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
}

#[cfg(test)]
mod tests {
    use super::tests_support::event;
    use super::*;

    #[test]
    fn journals_begun_apart_merge_into_one_with_every_event_once() {
        let mut a = Journal::new("MO-01", "2026-11-29", b"kiosk-a").expect("a");
        let mut b = Journal::new("MO-01", "2026-11-29", b"kiosk-b").expect("b");
        let from_a: Vec<Event> = (0..5).map(|n| event("K01", n)).collect();
        let from_b: Vec<Event> = (0..3).map(|n| event("K02", n)).collect();
        assert_eq!(a.append(&from_a).expect("append"), 5);
        assert_eq!(a.append(&from_a[..2]).expect("again"), 0, "appending twice is once");
        assert_eq!(b.append(&from_b).expect("append"), 3);
        a.merge(&mut b).expect("merge");
        b.merge(&mut a).expect("merge back");
        let (ra, rb) = (a.events().expect("read a"), b.events().expect("read b"));
        assert_eq!(ra.events.len(), 8);
        assert_eq!(ra.events, rb.events, "both hold the same, in the same order");
        for e in from_a.iter().chain(&from_b) {
            assert!(ra.events.contains(e), "{e:?} kept whole");
        }
        assert_eq!(a.office().as_deref(), Some("MO-01"));
        assert_eq!(a.period().as_deref(), Some("2026-11-29"));
    }

    #[test]
    fn a_saved_journal_loads_and_an_unknown_kind_is_kept_not_folded() {
        let mut a = Journal::new("MO-01", "2026-11-29", b"kiosk-a").expect("a");
        a.append(&[event("K01", 1)]).expect("append");
        // An event of a kind a newer build writes.
        let later = a.doc.put_object(&a.events, "01KNEWKIND00000000000000AA", ObjType::Map);
        let later = later.expect("object");
        a.doc.put(&later, "record_kind", "vehicle").expect("put");
        a.doc.commit();
        let bytes = a.save();
        let b = Journal::load(&bytes, b"kiosk-b").expect("load");
        assert_eq!(b.len(), 2);
        let read = b.events().expect("read");
        assert_eq!(read.events.len(), 1);
        assert_eq!(read.unknown, vec!["01KNEWKIND00000000000000AA".to_owned()]);
        // Not a journal; a journal of a newer layout.
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
        /// the others', all three hold every event appended, each once, the same way.
        #[test]
        fn any_schedule_of_appends_and_syncs_converges(steps in proptest::collection::vec(step(), 1..30)) {
            let mut journals: Vec<Journal> = (0..3)
                .map(|i| Journal::new("MO-01", "2026-11-29", format!("k{i}").as_bytes()))
                .collect::<Result<_, _>>()
                .expect("journals");
            let mut written: Vec<Event> = Vec::new();
            let mut n = 0;
            for step in steps {
                match step {
                    Step::Append { counter, count } => {
                        let events: Vec<Event> = (0..count)
                            .map(|_| {
                                n += 1;
                                event(&format!("K{counter}"), n)
                            })
                            .collect();
                        journals[counter].append(&events).expect("append");
                        written.extend(events);
                    }
                    Step::Sync { from, to } if from != to => {
                        let mut other = journals[from].clone();
                        journals[to].merge(&mut other).expect("merge");
                    }
                    Step::Sync { .. } => {}
                }
            }
            // Heal: everyone takes in everyone.
            for to in 0..3 {
                for from in 0..3 {
                    if from != to {
                        let mut other = journals[from].clone();
                        journals[to].merge(&mut other).expect("heal");
                    }
                }
            }
            written.sort_by(|a, b| (&a.hlc, a.event_id).cmp(&(&b.hlc, b.event_id)));
            for journal in &journals {
                let read = journal.events().expect("read");
                proptest::prop_assert!(read.unknown.is_empty());
                proptest::prop_assert_eq!(&read.events, &written);
            }
        }
    }
}
