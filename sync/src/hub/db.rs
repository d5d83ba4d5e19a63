//! What the hub keeps, behind one trait so that SQLite (one command, no setup) and PostgreSQL
//! (several hub processes sharing one database) pass the same contract tests.

use std::collections::BTreeMap;
use std::io::Write;

use registry::events::{Event, RecordState, Stamp};
use serde_json::{Map, Value};

use crate::journal::Entry;
use crate::signing::ChainHead;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the hub's database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the hub's database failed: {0}")]
    Postgres(String),
    #[error("the hub's database holds something it cannot read: {0}")]
    Corrupt(String),
    #[error(
        "the hub's database was written by a newer hub (schema {found}, this build knows {known})"
    )]
    Newer { found: i64, known: i64 },
    /// Another hub process moved a kiosk's chain meanwhile: the caller retries or refuses.
    #[error("another hub process wrote kiosk {kiosk}'s events meanwhile")]
    Raced { kiosk: String },
    #[error("not a database this hub knows: {0:?} (sqlite:PATH or postgres://USER@HOST:PORT/DB)")]
    Url(String),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("the hub's database holds something it cannot read: {0}")]
    Json(#[from] serde_json::Error),
}

/// A kiosk the hub has seen, with the certificate it presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub kiosk: String,
    pub office: String,
    /// The device key's public point (uncompressed P-256), what its events are verified with.
    pub public_key: Vec<u8>,
    /// The certificate's DER.
    pub certificate: Vec<u8>,
}

/// An entry the hub checked, to record: the office whose journal it came in, the document,
/// and its link (the chain hash the next entry names).
#[derive(Debug, Clone)]
pub struct Accepted {
    pub office: String,
    pub doc: String,
    pub entry: Entry,
    pub link: String,
}

/// Everything one checked message changes, written in one transaction: the document's new
/// changes, the entries they brought (kept to be projected into records), and the chain heads they moved
/// (`from` is what the head was when the entries were checked; a different value means another
/// hub process got there first: [`DbError::Raced`], nothing written).
#[derive(Debug, Clone, Default)]
pub struct Commit {
    pub doc: String,
    pub chunk: Vec<u8>,
    pub accepted: Vec<Accepted>,
    pub heads: Vec<HeadMove>,
}

#[derive(Debug, Clone)]
pub struct HeadMove {
    pub kiosk: String,
    pub from: ChainHead,
    pub to: ChainHead,
}

/// One stored entry with where it came in, for `audit verify`.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub office: String,
    pub entry: Entry,
    pub link: String,
}

pub trait Database: Send {
    /// The chunks saved for `doc` after chunk `after` (0: all), in order, with their ids.
    fn chunks(&mut self, doc: &str, after: i64) -> Result<Vec<(i64, Vec<u8>)>, DbError>;
    /// Names of the documents whose name starts with `prefix` (`MO01/`), sorted.
    fn docs(&mut self, prefix: &str) -> Result<Vec<String>, DbError>;
    /// Replaces `doc`'s chunks up to `upto` with `whole` (a full save of the same changes).
    fn compact(&mut self, doc: &str, upto: i64, whole: &[u8]) -> Result<(), DbError>;

    fn sync_state(&mut self, peer: &str, doc: &str) -> Result<Option<Vec<u8>>, DbError>;
    fn save_sync_state(&mut self, peer: &str, doc: &str, state: &[u8]) -> Result<(), DbError>;

    fn device(&mut self, kiosk: &str) -> Result<Option<Device>, DbError>;
    /// Every kiosk the hub has seen.
    fn devices(&mut self) -> Result<Vec<Device>, DbError>;
    /// Remembers a kiosk's certificate (the latest it presented).
    fn note_device(&mut self, device: &Device) -> Result<(), DbError>;

    fn chain_head(&mut self, kiosk: &str) -> Result<ChainHead, DbError>;
    /// A record's state (JSON) as the hub folded it from every office's events, if it has one.
    fn record_state(&mut self, kind: &str, id: &str) -> Result<Option<String>, DbError>;
    /// The clock of the last entry of `kiosk`'s chain, if any.
    fn latest_hlc(&mut self, kiosk: &str) -> Result<Option<String>, DbError>;
    /// The link recorded for an event, if the hub has it.
    fn event_link(&mut self, event_id: &str) -> Result<Option<String>, DbError>;
    /// Writes `commit` in one transaction (see [`Commit`]); returns the chunk's id. Its entries
    /// are kept, not yet folded into records: [`Database::project`] does that.
    fn commit(&mut self, commit: &Commit) -> Result<i64, DbError>;
    /// Folds every event kept since the last projection into the records and their conflict
    /// keys, in batches of [`PROJECT_BATCH`], each one transaction; answers how many events.
    /// The hub runs it after each session, so a kiosk's sync never waits on the fold; every
    /// query of records ([`Database::record_state`], [`Database::conflicts`]) runs it first.
    fn project(&mut self) -> Result<u64, DbError>;

    /// The office's records (and the central registry's) in `kiosk export`'s form, sorted by
    /// kind and id; returns how many lines.
    fn export(&mut self, office: &str, out: &mut dyn Write) -> Result<u64, DbError>;
    /// Every kiosk's entries in chain order, kiosk by kiosk.
    fn chains(
        &mut self,
        each: &mut dyn FnMut(StoredEntry) -> Result<(), DbError>,
    ) -> Result<(), DbError>;
    /// How many events the hub holds.
    fn event_count(&mut self) -> Result<u64, DbError>;
    /// Records of any office sharing a conflict key (`registry::conflicts`), key by key.
    fn conflicts(&mut self) -> Result<Vec<Conflict>, DbError>;
}

/// Records that share what only one record may have, for a supervisor of the registry to
/// decide (the hub lists them; it never merges or chooses).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    pub kind: String,
    /// The key as a person may see it (`registry::conflicts::shown_key`).
    pub key: String,
    /// `(office, record kind, record id)` of each record holding it.
    pub records: Vec<(String, String, String)>,
}

/// Writes records in `kiosk export`'s form, folded from `entries` sorted by record kind then id
/// (each record's entries together); entries of kinds this build does not know are left out,
/// as kiosks leave them unfolded. Answers how many lines.
pub(crate) fn export_entries(
    entries: impl Iterator<Item = Result<Entry, DbError>>,
    out: &mut dyn Write,
) -> Result<u64, DbError> {
    let mut count = 0;
    let mut current: Option<(String, String, RecordState)> = None;
    let mut flush =
        |done: Option<(String, String, RecordState)>, out: &mut dyn Write| -> Result<(), DbError> {
            if let Some((kind, id, state)) = done {
                out.write_all(registry::events::export_line(&kind, &id, &state.state)?.as_bytes())?;
                out.write_all(b"\n")?;
                count += 1;
            }
            Ok(())
        };
    for entry in entries {
        let entry = entry?;
        let Ok(event) = entry.event() else { continue };
        let same = current
            .as_ref()
            .is_some_and(|(k, i, _)| *k == entry.record_kind && *i == entry.record_id);
        if !same {
            flush(current.take(), out)?;
            current =
                Some((entry.record_kind.clone(), entry.record_id.clone(), RecordState::default()));
        }
        if let Some((_, _, state)) = current.as_mut() {
            state.apply(&event);
        }
    }
    flush(current.take(), out)?;
    Ok(count)
}

/// Conflicts from rows of `(key kind, key, office, record kind, record id)` sorted by key.
pub(crate) fn group_conflicts(
    rows: Vec<(String, String, String, String, String)>,
) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = Vec::new();
    let mut last: Option<(String, String)> = None;
    for (kind, key, office, record_kind, id) in rows {
        if last.as_ref() != Some(&(kind.clone(), key.clone())) {
            let shown = registry::conflicts::ConflictKind::parse(&kind)
                .map_or_else(|| key.clone(), |k| registry::conflicts::shown_key(k, &key));
            out.push(Conflict { kind: kind.clone(), key: shown, records: Vec::new() });
            last = Some((kind, key));
        }
        if let Some(conflict) = out.last_mut() {
            conflict.records.push((office, record_kind, id));
        }
    }
    out
}

/// A record folded anew: its state and clocks as the texts to store, and the key it may
/// conflict on (`registry::conflicts`; `(kind, key)`), read from the state already in hand.
pub(crate) struct Folded {
    pub state: String,
    pub clocks: String,
    pub key: Option<(String, String)>,
}

/// The events of one record among those a projection folds, with the office whose journal
/// brought the first of them (what a new record row names).
pub(crate) struct RecordEvents<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub office: &'a str,
    pub events: Vec<Event>,
}

/// Events kept but not yet folded (`(office, entry)`), record by record: each record is read,
/// folded and written once a batch, not once an event (a week offline brings many events of a
/// record). Entries of a kind or format this build does not know stay as signed, unfolded.
pub(crate) fn by_record(pending: &[(String, Entry)]) -> Vec<RecordEvents<'_>> {
    let mut out: Vec<RecordEvents<'_>> = Vec::new();
    let mut index: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for (office, entry) in pending {
        let Ok(event) = entry.event() else { continue };
        let key = (entry.record_kind.as_str(), entry.record_id.as_str());
        match index.get(&key) {
            Some(&i) => out[i].events.push(event),
            None => {
                index.insert(key, out.len());
                out.push(RecordEvents { kind: key.0, id: key.1, office, events: vec![event] });
            }
        }
    }
    out
}

/// How many pending events one projection transaction folds: a hub sharing its database
/// with others holds the projection's lock no longer than that.
pub(crate) const PROJECT_BATCH: i64 = 2_000;

/// A record's stored state and clocks (`None`: no row yet) with `events` folded in; `None` when
/// they changed nothing. One fold for every database.
pub(crate) fn folded(
    row: Option<(String, String)>,
    events: &[Event],
) -> Result<Option<Folded>, DbError> {
    let Some(first) = events.first() else { return Ok(None) };
    let mut state = match row {
        Some((state, clocks)) => RecordState {
            state: serde_json::from_str::<Map<String, Value>>(&state)?,
            clocks: decode_clocks(&clocks)?,
        },
        None => RecordState::default(),
    };
    let mut changed = false;
    for event in events {
        changed |= state.apply(event);
    }
    if !changed {
        return Ok(None);
    }
    let key = registry::conflicts::key_of(first.record_kind, &state.state)
        .map(|(kind, key)| (kind.as_str().to_owned(), key));
    Ok(Some(Folded {
        state: serde_json::to_string(&state.state)?,
        clocks: encode_clocks(&state.clocks)?,
        key,
    }))
}

/// Field clocks grouped by stamp, `{"<hlc>@<event id>": ["field", …]}`: one event usually
/// sets most of a record's fields, so a stamp is written (and read) once a record rather than
/// once a field, which was the better part of folding an event in. Since schema 3 (SQLite) and
/// 2 (PostgreSQL); the earlier form, `{"field": "<stamp>"}`, is still read.
fn encode_clocks(clocks: &BTreeMap<String, Stamp>) -> Result<String, DbError> {
    let mut by_stamp: BTreeMap<&Stamp, Vec<&str>> = BTreeMap::new();
    for (field, stamp) in clocks {
        by_stamp.entry(stamp).or_default().push(field);
    }
    let map: BTreeMap<String, Vec<&str>> =
        by_stamp.into_iter().map(|(stamp, fields)| (stamp.to_string(), fields)).collect();
    Ok(serde_json::to_string(&map)?)
}

fn decode_clocks(text: &str) -> Result<BTreeMap<String, Stamp>, DbError> {
    let map: BTreeMap<String, Value> = serde_json::from_str(text)?;
    let stamp = |s: &str| s.parse::<Stamp>().map_err(DbError::Corrupt);
    let mut clocks = BTreeMap::new();
    for (key, value) in map {
        match value {
            Value::Array(fields) => {
                let stamp = stamp(&key)?;
                for field in fields {
                    let Value::String(field) = field else {
                        return Err(DbError::Corrupt(format!("clocks of {key}: not a field name")));
                    };
                    clocks.insert(field, stamp.clone());
                }
            }
            Value::String(s) => {
                clocks.insert(key, stamp(&s)?);
            }
            _ => return Err(DbError::Corrupt(format!("clocks: {key} is neither form"))),
        }
    }
    Ok(clocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(ms: u64, n: u128) -> Stamp {
        Stamp {
            hlc: registry::hlc::Hlc { wall_ms: ms, counter: 0, node: "K1".into() },
            event_id: ulid::Ulid(n),
        }
    }

    /// Clocks come back as they went in, and the form of earlier schemas still reads.
    #[test]
    fn clocks_round_trip_and_the_earlier_form_reads() {
        let clocks: BTreeMap<String, Stamp> = [
            ("name".to_owned(), stamp(5, 1)),
            ("phone".to_owned(), stamp(9, 2)),
            ("email".to_owned(), stamp(5, 1)),
        ]
        .into();
        let text = encode_clocks(&clocks).expect("encode");
        assert_eq!(text.matches('@').count(), 2, "one stamp per group: {text}");
        assert_eq!(decode_clocks(&text).expect("decode"), clocks);
        let earlier: BTreeMap<&str, String> =
            clocks.iter().map(|(f, s)| (f.as_str(), s.to_string())).collect();
        let earlier = serde_json::to_string(&earlier).expect("json");
        assert_eq!(decode_clocks(&earlier).expect("decode earlier"), clocks);
        assert!(decode_clocks(r#"{"name": 3}"#).is_err());
        assert!(decode_clocks(r#"{"not a stamp": ["name"]}"#).is_err());
    }
}
