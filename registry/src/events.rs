//! Events — the one form every change takes — and the pure fold that turns a record's events into
//! its state. Pure, so the store, replication and the central registry's hub share one fold. Each field keeps the value with the greatest (finality rank, clock, event id): a
//! total order on writes, so applying the same events in any order, any number of times, gives
//! the same state. That is what lets replicas merge without coordinating.

use std::collections::BTreeMap;
use std::fmt;

use crate::hlc::Hlc;
use crate::model::{RecordId, RecordKind, merge_rank};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub event_id: ulid::Ulid,
    pub hlc: Hlc,
    /// The kiosk that wrote it.
    pub kiosk: String,
    /// The clerk signed in when it was written; `None` for operator commands and imports.
    pub clerk: Option<RecordId>,
    pub record_kind: RecordKind,
    pub record_id: RecordId,
    /// The top-level fields this event set, with their new values.
    pub changes: Map<String, Value>,
}

/// Field values can be ID numbers or phone numbers: `Debug` names the fields, never the values.
impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("event_id", &self.event_id)
            .field("hlc", &self.hlc.to_string())
            .field("record_kind", &self.record_kind)
            .field("record_id", &self.record_id)
            .field("fields", &self.changes.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What orders two writes of one field: the clock, then the event id. Clocks from distinct
/// kiosks never tie, but two kiosks misconfigured with one id could; the event id still gives
/// every replica the same winner.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub hlc: Hlc,
    pub event_id: ulid::Ulid,
}

impl Stamp {
    pub fn of(event: &Event) -> Self {
        Stamp { hlc: event.hlc.clone(), event_id: event.event_id }
    }
}

/// `<hlc>@<event id>`: sorts like the stamp, as the clock's text form does.
impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.hlc, self.event_id)
    }
}

impl std::str::FromStr for Stamp {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (hlc, id) = s.rsplit_once('@').ok_or_else(|| format!("not a stamp: {s:?}"))?;
        Ok(Stamp {
            hlc: hlc.parse().map_err(|e: crate::hlc::HlcParseError| e.to_string())?,
            event_id: id.parse().map_err(|_| format!("not a stamp: {s:?}"))?,
        })
    }
}

/// How far ahead of a replica's clock a replicated event may be. Further than this, a kiosk
/// whose clock is wrong would drag every replica's clock (and order) with it.
pub const MAX_CLOCK_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// Why an event written elsewhere could not have come from an honest kiosk, if it could not:
/// the checks every replica makes before it keeps one (the store's `apply_event` and the
/// central registry's hub), so what one keeps the others keep too.
pub fn replicated_event_problem(event: &Event) -> Option<String> {
    if event.kiosk != event.hlc.node {
        return Some(format!(
            "event {} names kiosk {} but its clock {}",
            event.event_id, event.kiosk, event.hlc.node
        ));
    }
    if event.changes.is_empty() {
        return Some(format!("event {} changes nothing", event.event_id));
    }
    if event.changes.contains_key("kind") {
        return Some(format!("event {} sets a field named kind", event.event_id));
    }
    if let Some(id) = event.changes.get("id")
        && id.as_str() != Some(event.record_id.to_string().as_str())
    {
        return Some(format!("event {} changes the id of {}", event.event_id, event.record_id));
    }
    None
}

/// A record's state as the fold of its events, with the stamp of the write that set each field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordState {
    pub state: Map<String, Value>,
    pub clocks: BTreeMap<String, Stamp>,
}

impl RecordState {
    /// Applies one event. A field takes the event's value when that value is at least as final
    /// (`merge_rank`) as the current one and, at equal rank, when the write is later. Returns
    /// whether anything changed.
    pub fn apply(&mut self, event: &Event) -> bool {
        let stamp = Stamp::of(event);
        let rank = |field: &str, value: &Value| merge_rank(event.record_kind, field, value);
        let mut changed = false;
        for (field, value) in &event.changes {
            let newer = match (self.clocks.get(field), self.state.get(field)) {
                (Some(set_by), Some(current)) => {
                    (rank(field, value), &stamp) > (rank(field, current), set_by)
                }
                _ => true,
            };
            if newer {
                self.state.insert(field.clone(), value.clone());
                self.clocks.insert(field.clone(), stamp.clone());
                changed = true;
            }
        }
        changed
    }

    /// The record this state describes, or `None` when no event has created it yet.
    pub fn decode<R: serde::de::DeserializeOwned>(&self) -> Result<Option<R>, serde_json::Error> {
        if self.state.is_empty() {
            return Ok(None);
        }
        serde_json::from_value(Value::Object(self.state.clone())).map(Some)
    }

    /// Whether the state is a whole record of `kind`: every field its kind requires is there,
    /// in the form the kind has. A replicated edit that arrived before its record's creation
    /// folds into a state that is not, and so does a record whose creation was lost.
    pub fn is_whole(&self, kind: RecordKind) -> bool {
        is_whole_record(kind, &self.state)
    }

    /// Whether the event that created the record has been folded in. Only a record's creation
    /// sets its `id` (an event that would change it is refused), so a state without one has
    /// seen edits only.
    pub fn has_creation(&self) -> bool {
        self.state.contains_key("id")
    }

    /// The latest clock of any field.
    pub fn updated(&self) -> Option<&Hlc> {
        self.clocks.values().max().map(|s| &s.hlc)
    }
}

/// Whether `state` is a whole record of `kind` (see [`RecordState::is_whole`]).
pub fn is_whole_record(kind: RecordKind, state: &Map<String, Value>) -> bool {
    use crate::model::*;
    fn decodes<R: DeserializeOwned>(state: &Map<String, Value>) -> bool {
        serde_json::from_value::<R>(Value::Object(state.clone())).is_ok()
    }
    match kind {
        RecordKind::Person => decodes::<Person>(state),
        RecordKind::Organisation => decodes::<Organisation>(state),
        RecordKind::Membership => decodes::<Membership>(state),
        RecordKind::Authorisation => decodes::<Authorisation>(state),
        RecordKind::Certificate => decodes::<Certificate>(state),
        RecordKind::Token => decodes::<Token>(state),
        RecordKind::Seal => decodes::<Seal>(state),
        RecordKind::Application => decodes::<crate::application::Application>(state),
        RecordKind::Appointment => decodes::<Appointment>(state),
        RecordKind::WalkInTicket => decodes::<WalkInTicket>(state),
        RecordKind::Clerk => decodes::<Clerk>(state),
        RecordKind::AuditEvent => decodes::<crate::audit::AuditEvent>(state),
        RecordKind::DayEnd => decodes::<crate::day_end::DayEnd>(state),
    }
}

/// A record's state from its events alone, whatever order they come in.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> RecordState {
    let mut state = RecordState::default();
    for event in events {
        state.apply(event);
    }
    state
}

/// One record as a line of `kiosk export` and `registry-hub export` (without the newline):
/// `kind` and `id` first, then the state's other fields. One writer for both, so the kiosks'
/// and the hub's exports of an office compare byte for byte.
pub fn export_line(
    kind: &str,
    id: &str,
    state: &Map<String, Value>,
) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Line<'a> {
        kind: &'a str,
        id: &'a str,
        #[serde(flatten)]
        state: BTreeMap<&'a str, &'a Value>,
    }
    let state =
        state.iter().filter(|(k, _)| *k != "id" && *k != "kind").map(|(k, v)| (k.as_str(), v));
    serde_json::to_string(&Line { kind, id, state: state.collect() })
}

/// The fields of `record` (an `R` as JSON) that differ from `current`, as [`diff`] makes them,
/// but comparing only with the fields of `current` that `R` knows: those that survive decoding
/// the state into `R` and encoding it back. A field only a newer build knows is left alone
/// instead of set to null, so an older build's write never erases it. (A known field holding
/// null needs no care: `R` writes it as null too.) One rule for every writer: the store's
/// `put` and the hub's central journal.
pub fn changes_to<R: Serialize + DeserializeOwned>(
    current: &RecordState,
    record: &Map<String, Value>,
) -> Result<Map<String, Value>, serde_json::Error> {
    // A state that is not a whole record yet (an edit arrived before its creation) has no
    // fields to tell apart: every field is compared.
    let Ok(Some(before)) = current.decode::<R>() else {
        return Ok(diff(&current.state, record));
    };
    let known = match serde_json::to_value(&before)? {
        Value::Object(known) => known,
        _ => Map::new(),
    };
    let comparable: Map<String, Value> = current
        .state
        .iter()
        .filter(|(field, _)| known.contains_key(field.as_str()))
        .map(|(field, value)| (field.clone(), value.clone()))
        .collect();
    Ok(diff(&comparable, record))
}

/// The fields of `new` that differ from `old`, with their new values. A field `new` no longer has
/// is set to null, so the fold never keeps a value the writer dropped.
pub fn diff(old: &Map<String, Value>, new: &Map<String, Value>) -> Map<String, Value> {
    let mut changes = Map::new();
    for (field, value) in new {
        if old.get(field) != Some(value) {
            changes.insert(field.clone(), value.clone());
        }
    }
    for field in old.keys() {
        if !new.contains_key(field) {
            changes.insert(field.clone(), Value::Null);
        }
    }
    changes
}
