//! What `verify` and `rebuild` judge of each record: whether its stored state is the fold of its
//! events, and when it is not, whether the log can mend it or has lost what the state holds.
//!
//! Rebuild may replace a state with the fold of its events only when nothing the state holds is
//! missing from the log. A state's field clocks name the event that set each field, so a clock
//! naming an event the log lacks, or a field no event sets, means the log lost something: the
//! record is kept as it is and reported, never cut down to what is left.
//!
//! A state that is not a whole record is not always damage. Replication can deliver an edit
//! before the record's creation; such a record is "awaiting creation" until it arrives, and is
//! not unsound. It is lost instead when this kiosk wrote to it (this kiosk writes only to whole
//! records, so the creation was here once) or when its stored state holds more than the log.

use std::collections::BTreeSet;

use registry::model::{RecordId, RecordKind};
use serde::Serialize;

use registry::events::RecordState;

/// What is wrong with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Its stored state, field clocks or search entries differ from the fold of its events.
    /// Rebuilding mends it.
    Differs,
    /// The event that created it is missing from the log, though this store held it whole.
    CreationLost,
    /// Events it was built from are missing from the log: its state holds values no event in
    /// the log sets.
    EventsLost,
    /// It has a stored state but not one event in the log.
    NoEvents,
    /// Its events include its creation but do not fold into a record of its kind (a field
    /// missing or of the wrong form).
    Undecodable,
}

impl Fault {
    pub const ALL: [Fault; 5] = [
        Fault::Differs,
        Fault::CreationLost,
        Fault::EventsLost,
        Fault::NoEvents,
        Fault::Undecodable,
    ];

    /// Every id [`Fault::message_id`] returns; each has a message in every locale.
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "store-fault-differs",
        "store-fault-creation-lost",
        "store-fault-events-lost",
        "store-fault-no-events",
        "store-fault-undecodable",
    ];

    /// Whether replacing the stored state with the fold of the log mends the record. For every
    /// other fault, that would throw away what the state holds.
    pub fn rebuild_mends(self) -> bool {
        self == Fault::Differs
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Differs => "differs",
            Fault::CreationLost => "creation_lost",
            Fault::EventsLost => "events_lost",
            Fault::NoEvents => "no_events",
            Fault::Undecodable => "undecodable",
        }
    }

    /// The Fluent message that tells the person at the keyboard what is wrong.
    pub fn message_id(self) -> &'static str {
        match self {
            Fault::Differs => "store-fault-differs",
            Fault::CreationLost => "store-fault-creation-lost",
            Fault::EventsLost => "store-fault-events-lost",
            Fault::NoEvents => "store-fault-no-events",
            Fault::Undecodable => "store-fault-undecodable",
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One record that is not sound, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Finding {
    pub kind: RecordKind,
    pub id: RecordId,
    pub fault: Fault,
}

/// The messages that sum up a report, beside each finding's [`Fault::message_id`]:
/// `store-rebuild-kept` (`$count` records kept) and `store-awaiting-creation` (`$count` records
/// awaiting their creation).
pub const REPORT_MESSAGE_IDS: &[&str] = &["store-rebuild-kept", "store-awaiting-creation"];

/// What [`crate::Store::verify_report`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// The records that are not sound, one finding each, by kind and id.
    pub faults: Vec<Finding>,
    /// Replicated records whose creation has not arrived yet. Not whole, and left out of lists
    /// and search, but not unsound: replication completes them.
    pub awaiting_creation: Vec<(RecordKind, RecordId)>,
}

impl VerifyReport {
    pub fn is_sound(&self) -> bool {
        self.faults.is_empty()
    }
}

/// What [`crate::Store::rebuild`] did not rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildReport {
    /// Records the log cannot make, kept exactly as they were (and still indexed), with why.
    /// Not empty means the store is still not sound: the missing events must come back from
    /// another counter or a backup.
    pub kept: Vec<Finding>,
    /// Replicated records still waiting for their creation, rebuilt as the log has them.
    pub awaiting_creation: Vec<(RecordKind, RecordId)>,
}

impl RebuildReport {
    pub fn is_complete(&self) -> bool {
        self.kept.is_empty()
    }
}

/// One record's events, folded, with what the judgement needs to know about them.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub state: RecordState,
    /// The ids of every event the log holds for the record.
    pub events: BTreeSet<ulid::Ulid>,
    /// Whether any of them was written by this kiosk.
    pub written_here: bool,
}

/// The judgement of one record that has events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Sound,
    AwaitingCreation,
    Unsound(Fault),
}

/// Judges a record from its folded events and its stored state (`None`: no row). `index_ok`
/// says whether its search entries agree with the fold; rebuild, which rewrites them, passes
/// `true`.
pub(crate) fn judge(
    kind: RecordKind,
    folded: &Folded,
    stored: Option<&RecordState>,
    index_ok: bool,
) -> Verdict {
    let fold = &folded.state;
    let holds_more_than_the_log = stored.is_some_and(|stored| {
        stored.clocks.values().any(|stamp| !folded.events.contains(&stamp.event_id))
            || stored.state.keys().any(|field| !fold.state.contains_key(field))
    });
    if holds_more_than_the_log {
        let fault = if fold.has_creation() { Fault::EventsLost } else { Fault::CreationLost };
        return Verdict::Unsound(fault);
    }
    let agrees = stored == Some(fold) && index_ok;
    if fold.is_whole(kind) {
        return if agrees { Verdict::Sound } else { Verdict::Unsound(Fault::Differs) };
    }
    if fold.has_creation() {
        Verdict::Unsound(Fault::Undecodable)
    } else if folded.written_here {
        Verdict::Unsound(Fault::CreationLost)
    } else if agrees {
        Verdict::AwaitingCreation
    } else {
        Verdict::Unsound(Fault::Differs)
    }
}
