//! Conflicts a person must decide: records that merged cleanly field by field but cannot both be
//! right. Two persons (two record ids) with one identity document (its kind and number, in any
//! notation), and two token records with one chip serial: what `registry::conflicts::key_of`
//! says, the definition the hub lists across offices with (`registry-hub conflicts`); here,
//! over this office's store. The fold never resolves these: both
//! records stay as they are and a supervisor is shown the pair (the queue's conflicts tab,
//! `kiosk sync --status`, `kiosk sync --check-conflicts`).
//!
//! Finding them must not read every record at each sync of a registry of a million subscribers:
//! after a sync, only the persons and tokens its events touched are looked up, each through an
//! index (the search projection's ID number key, the store's token serial index); the full check
//! groups those indexes and runs on demand. Found pairs are kept in `sync.sqlite`
//! (`LocalReplica::keep_conflicts`) and checked again whenever they are listed, so one that
//! was put right (a number corrected, a record's serial fixed) leaves the list by itself.

use std::collections::BTreeSet;

use registry::model::{Person, Record, RecordId, RecordKind, Token};
use serde_json::Value;
use store::{Store, StoreError};

/// How many records of one ID number or serial are looked at: a real conflict is two or three.
const MATCHES: usize = 50;

pub use registry::conflicts::ConflictKind;

/// Two records that cannot both be right. `first < second`, so a pair is found once whichever
/// side a check starts from. Record ids only: the number or serial is read from the records
/// when shown (an ID number is personal data and is not copied out of the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub first: RecordId,
    pub second: RecordId,
}

impl Conflict {
    pub fn new(kind: ConflictKind, a: RecordId, b: RecordId) -> Conflict {
        Conflict { kind, first: a.min(b), second: a.max(b) }
    }
}

/// The conflicts the records `touched` (what a sync just applied) are part of, each looked up
/// through an index. Records of other kinds are passed over.
pub fn among(
    store: &Store,
    touched: &[(RecordKind, RecordId)],
) -> Result<Vec<Conflict>, StoreError> {
    let mut found = BTreeSet::new();
    for (kind, id) in touched {
        match kind {
            RecordKind::Person => {
                if let Some(person) = whole::<Person>(store, *id)? {
                    found.extend(persons_sharing_document(store, &person)?);
                }
            }
            RecordKind::Token => {
                if let Some(token) = whole::<Token>(store, *id)? {
                    found.extend(tokens_sharing_serial(store, &token.serial)?);
                }
            }
            _ => {}
        }
    }
    Ok(found.into_iter().collect())
}

/// A touched record as a whole, or `None` while only later changes of it have come (a sync
/// brought an edit before the record's creation, in another journal or a later round: the
/// store keeps it awaiting its creation, and it does not read as a record yet). Its creation
/// touches it again when it comes, and it is checked then. Found by the schedules' property
/// test: the whole apply failed (`encoding`) and the kiosk refused every sync from then on.
fn whole<R: Record>(store: &Store, id: RecordId) -> Result<Option<R>, StoreError> {
    match store.get::<R>(id) {
        Err(StoreError::Json(_)) => Ok(None),
        other => other,
    }
}

/// Every conflict in the store: the ID number keys and serials held more than once, from their
/// indexes, then the records of each. On demand (`kiosk sync --check-conflicts`), not at each
/// sync.
pub fn all(store: &Store) -> Result<Vec<Conflict>, StoreError> {
    let mut found = BTreeSet::new();
    for key in store.shared_person_id_number_keys()? {
        for hit in store.find_by_id_number(&key, MATCHES)? {
            if hit.kind != RecordKind::Person {
                continue;
            }
            if let Some(person) = store.get::<Person>(hit.id)? {
                found.extend(persons_sharing_document(store, &person)?);
            }
        }
    }
    for serial in store.shared_token_serials()? {
        found.extend(tokens_sharing_serial(store, &serial)?);
    }
    Ok(found.into_iter().collect())
}

/// Whether `conflict` still stands: both records there, and still one key.
pub fn holds(store: &Store, conflict: &Conflict) -> Result<bool, StoreError> {
    Ok(match conflict.kind {
        ConflictKind::IdNumber => {
            match (store.get::<Person>(conflict.first)?, store.get::<Person>(conflict.second)?) {
                (Some(a), Some(b)) => same_key(RecordKind::Person, &a, &b),
                _ => false,
            }
        }
        ConflictKind::TokenSerial => {
            match (store.get::<Token>(conflict.first)?, store.get::<Token>(conflict.second)?) {
                (Some(a), Some(b)) => same_key(RecordKind::Token, &a, &b),
                _ => false,
            }
        }
    })
}

/// The key a record may conflict on (`registry::conflicts::key_of`, from its state).
fn key_of(kind: RecordKind, record: &impl serde::Serialize) -> Option<(ConflictKind, String)> {
    match serde_json::to_value(record) {
        Ok(Value::Object(state)) => registry::conflicts::key_of(kind, &state),
        _ => None,
    }
}

/// Two records with one key: for persons, one document (the same kind, numbers that are one
/// number however written); for tokens, one serial.
fn same_key(kind: RecordKind, a: &impl serde::Serialize, b: &impl serde::Serialize) -> bool {
    matches!((key_of(kind, a), key_of(kind, b)), (Some(x), Some(y)) if x == y)
}

/// The other persons holding `person`'s document, as conflicts, through the ID number index
/// (its key is the number's letters and digits; the document's kind is compared here).
fn persons_sharing_document(store: &Store, person: &Person) -> Result<Vec<Conflict>, StoreError> {
    if key_of(RecordKind::Person, person).is_none() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for hit in store.find_by_id_number(person.id_document.number.expose(), MATCHES)? {
        if hit.kind != RecordKind::Person || hit.id == person.id {
            continue;
        }
        if let Some(other) = store.get::<Person>(hit.id)?
            && same_key(RecordKind::Person, person, &other)
        {
            found.push(Conflict::new(ConflictKind::IdNumber, person.id, other.id));
        }
    }
    Ok(found)
}

/// Every pair of token records with `serial`, as conflicts, through the serial index. (The
/// index holds serials as written; the tokens module writes them as the token reports them.)
fn tokens_sharing_serial(store: &Store, serial: &str) -> Result<Vec<Conflict>, StoreError> {
    let tokens = store.tokens_by_serial(serial)?;
    let mut found = Vec::new();
    for (i, a) in tokens.iter().enumerate() {
        for b in tokens.iter().skip(i + 1) {
            found.push(Conflict::new(ConflictKind::TokenSerial, a.id, b.id));
        }
    }
    Ok(found)
}
