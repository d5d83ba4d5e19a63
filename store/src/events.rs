//! Events — the one form every change takes — and the pure fold that turns a record's events into
//! its state. The fold is a last-writer-wins map keyed by field and ordered by hybrid logical
//! clock, so applying the same events in any order, any number of times, gives the same state:
//! that is what lets replicas merge without coordinating.

use std::collections::BTreeMap;
use std::fmt;

use registry::hlc::Hlc;
use registry::model::{RecordId, RecordKind};
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

/// A record's state as the fold of its events, with the clock that set each field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordState {
    pub state: Map<String, Value>,
    pub clocks: BTreeMap<String, Hlc>,
}

impl RecordState {
    /// Applies one event; a field only takes a value from an event later than the one that set
    /// it. Returns whether anything changed.
    pub fn apply(&mut self, event: &Event) -> bool {
        let mut changed = false;
        for (field, value) in &event.changes {
            let newer = self.clocks.get(field).is_none_or(|set_by| event.hlc > *set_by);
            if newer {
                self.state.insert(field.clone(), value.clone());
                self.clocks.insert(field.clone(), event.hlc.clone());
                changed = true;
            }
        }
        changed
    }

    /// The latest clock of any field.
    pub fn updated(&self) -> Option<&Hlc> {
        self.clocks.values().max()
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
