//! The central registry's own journal (`CENTRAL/journal/PERIOD`): appointments booked online,
//! organisations' renewal confirmations, revocations done elsewhere, which every office's kiosks
//! receive. Only the hub writes it, as the kiosk [`CENTRAL_WRITER`] with the central writer's
//! credentials from its TLS directory, each entry signed and chained as a kiosk's are, so
//! `audit verify` checks it the same way.
//!
//! `registry-hub central import` takes records in `kiosk export`'s form, checked line by line
//! as `kiosk import` checks them (`registry::import`, against the registry-wide projection): all
//! of the file or nothing.

use std::collections::HashMap;
use std::io::BufRead;

use registry::events::{Event, RecordState, changes_to};
use registry::hlc::HlcClock;
use registry::import::{Checked, check, check_lines};
use registry::model::{RecordId, RecordKind};
use registry::with_record_type;
use serde_json::{Map, Value};

use super::db::{Accepted, Commit, Database, DbError, Device, HeadMove};
use super::{CENTRAL, Docs};
use crate::journal::{Entry, Journal};
use crate::manifest::Manifest;
use crate::pki::{CENTRAL_WRITER, Credentials};
use crate::wire::DocName;

/// Entries a central journal takes before the day goes on in `DAY.N`, as kiosks' journals do.
pub const JOURNAL_LIMIT: usize = 4000;

pub use registry::import::BadLine;

#[derive(Debug, thiserror::Error)]
pub enum CentralError {
    #[error("{} bad lines", .0.len())]
    BadLines(Vec<BadLine>),
    #[error("could not read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the central journal: {0}")]
    Journal(String),
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
}

fn journal_err(e: impl std::fmt::Display) -> CentralError {
    CentralError::Journal(e.to_string())
}

/// Imports `input` into the central registry's journal: every line checked first, then one
/// signed entry per new or changed record, in the journal of `day` (its next part once one is
/// full), each journal's entries kept in one transaction as a kiosk's message is.
pub fn import(
    db: &mut dyn Database,
    writer: &Credentials,
    input: impl BufRead,
    day: &str,
    now_ms: u64,
) -> Result<Imported, CentralError> {
    let lines = check_all(db, input)?;
    let mut clock =
        HlcClock::new(CENTRAL_WRITER, db.latest_hlc(CENTRAL_WRITER)?.and_then(|h| h.parse().ok()));
    let mut states: HashMap<(RecordKind, RecordId), RecordState> = HashMap::new();
    let mut done = Imported::default();
    let mut events = Vec::new();
    for Checked { kind, id, record, .. } in lines {
        let current = match states.remove(&(kind, id)) {
            Some(state) => state,
            None => match db.record_state(kind.as_str(), &id.to_string())? {
                Some(json) => RecordState {
                    state: serde_json::from_str(&json).map_err(DbError::from)?,
                    ..Default::default()
                },
                None => RecordState::default(),
            },
        };
        let changes = with_record_type!(kind, R => changes_to::<R>(&current, &record))
            .map_err(DbError::from)?;
        let mut state = current;
        if changes.is_empty() {
            done.unchanged += 1;
        } else {
            if state.state.is_empty() {
                done.new += 1
            } else {
                done.changed += 1
            }
            let event = Event {
                event_id: ulid::Ulid::new(),
                hlc: clock.tick(now_ms),
                kiosk: CENTRAL_WRITER.to_owned(),
                clerk: None,
                record_kind: kind,
                record_id: id,
                changes,
            };
            state.apply(&event);
            events.push(event);
        }
        states.insert((kind, id), state);
    }
    write(db, writer, &events, day)?;
    Ok(done)
}

fn check_all(db: &mut dyn Database, input: impl BufRead) -> Result<Vec<Checked>, CentralError> {
    check_lines(input, |kind, id, object, earlier| {
        let stored: Option<Map<String, Value>> = match earlier {
            Some(earlier) => Some(earlier.clone()),
            None => db
                .record_state(kind.as_str(), &id.to_string())?
                .and_then(|json| serde_json::from_str(&json).ok()),
        };
        Ok::<_, CentralError>(check(kind, object, stored.as_ref()))
    })?
    .map_err(CentralError::BadLines)
}

/// Signs `events` as the next links of the central writer's chain and keeps them in the
/// central journals of `day`, listed in the central manifest.
fn write(
    db: &mut dyn Database,
    writer: &Credentials,
    events: &[Event],
    day: &str,
) -> Result<(), CentralError> {
    if events.is_empty() {
        return Ok(());
    }
    let key = writer.device_key();
    db.note_device(&Device {
        kiosk: CENTRAL_WRITER.to_owned(),
        office: CENTRAL.to_owned(),
        public_key: key.public_key().to_vec(),
        certificate: writer.cert_der().to_vec(),
    })?;
    let mut docs = Docs::default();
    let mut head = db.chain_head(CENTRAL_WRITER)?;
    let mut remaining = events;
    let mut part = 1u32;
    while !remaining.is_empty() {
        let period = if part == 1 { day.to_owned() } else { format!("{day}.{part}") };
        part += 1;
        let name = DocName::journal(CENTRAL, &period).map_err(journal_err)?;
        let doc = docs.get(db, name.as_str())?;
        let before = doc.get_heads();
        let mut journal = if before.is_empty() {
            Journal::new(CENTRAL, &period, CENTRAL_WRITER.as_bytes()).map_err(journal_err)?
        } else {
            Journal::from_doc(doc.clone()).map_err(journal_err)?
        };
        let room = JOURNAL_LIMIT.saturating_sub(journal.len());
        if room == 0 {
            continue;
        }
        let (now, later) = remaining.split_at(room.min(remaining.len()));
        remaining = later;
        let from = head.clone();
        let mut accepted = Vec::with_capacity(now.len());
        for event in now {
            let mut entry = Entry::of_event(event).map_err(journal_err)?;
            head = key.sign(CENTRAL, &mut entry, &head).map_err(journal_err)?;
            accepted.push(Accepted {
                office: CENTRAL.to_owned(),
                doc: name.to_string(),
                link: head.link.clone(),
                entry,
            });
        }
        let entries: Vec<Entry> = accepted.iter().map(|a| a.entry.clone()).collect();
        journal.append(&entries).map_err(journal_err)?;
        let chunk = journal.doc_mut().save_after(&before);
        db.commit(&Commit {
            doc: name.to_string(),
            chunk,
            accepted,
            heads: vec![HeadMove { kiosk: CENTRAL_WRITER.to_owned(), from, to: head.clone() }],
        })?;
        docs.forget(name.as_str());
        list(db, &mut docs, &period)?;
    }
    Ok(())
}

/// Lists `period` in the central manifest (begun if there is none yet).
fn list(db: &mut dyn Database, docs: &mut Docs, period: &str) -> Result<(), CentralError> {
    let name = DocName::manifest(CENTRAL).map_err(journal_err)?;
    let doc = docs.get(db, name.as_str())?;
    let before = doc.get_heads();
    let mut manifest = if before.is_empty() {
        Manifest::new(CENTRAL, CENTRAL_WRITER.as_bytes()).map_err(journal_err)?
    } else {
        Manifest::from_doc(doc.clone()).map_err(journal_err)?
    };
    manifest.open(period).map_err(journal_err)?;
    let chunk = manifest.doc_mut().save_after(&before);
    if manifest.doc_mut().get_heads() != before {
        db.commit(&Commit { doc: name.to_string(), chunk, ..Commit::default() })?;
    }
    docs.forget(name.as_str());
    Ok(())
}
