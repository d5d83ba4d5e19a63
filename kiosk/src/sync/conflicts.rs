//! Conflicts a person must decide: records that merged cleanly field by field but cannot both be
//! right. Two persons (two record ids) with one identity document (its kind and number, in any
//! notation), and two token records with one chip serial. The fold never resolves these: both
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

use registry::model::{Person, RecordId, RecordKind, Token};
use store::{Store, StoreError};

/// How many records of one ID number or serial are looked at: a real conflict is two or three.
const MATCHES: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictKind {
    /// Two persons with one identity document.
    IdNumber,
    /// Two token records with one chip serial.
    TokenSerial,
}

impl ConflictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::IdNumber => "id-number",
            ConflictKind::TokenSerial => "token-serial",
        }
    }

    pub fn parse(text: &str) -> Option<ConflictKind> {
        match text {
            "id-number" => Some(ConflictKind::IdNumber),
            "token-serial" => Some(ConflictKind::TokenSerial),
            _ => None,
        }
    }

    /// The kind of the two records.
    pub fn record_kind(self) -> RecordKind {
        match self {
            ConflictKind::IdNumber => RecordKind::Person,
            ConflictKind::TokenSerial => RecordKind::Token,
        }
    }
}

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
                if let Some(person) = store.get::<Person>(*id)? {
                    found.extend(persons_sharing_document(store, &person)?);
                }
            }
            RecordKind::Token => {
                if let Some(token) = store.get::<Token>(*id)? {
                    found.extend(tokens_sharing_serial(store, &token.serial)?);
                }
            }
            _ => {}
        }
    }
    Ok(found.into_iter().collect())
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

/// Whether `conflict` still stands: both records there, and still one document or one serial.
pub fn holds(store: &Store, conflict: &Conflict) -> Result<bool, StoreError> {
    Ok(match conflict.kind {
        ConflictKind::IdNumber => {
            match (store.get::<Person>(conflict.first)?, store.get::<Person>(conflict.second)?) {
                (Some(a), Some(b)) => same_document(&a, &b),
                _ => false,
            }
        }
        ConflictKind::TokenSerial => {
            match (store.get::<Token>(conflict.first)?, store.get::<Token>(conflict.second)?) {
                (Some(a), Some(b)) => a.serial == b.serial,
                _ => false,
            }
        }
    })
}

/// Two persons hold one document: the same kind, and numbers that are one number however
/// written (`A123456(3)`, `a1234563`: what registration's "already on file" compares).
fn same_document(a: &Person, b: &Person) -> bool {
    a.id != b.id
        && a.id_document.kind == b.id_document.kind
        && matches!(
            (a.id_document.normalised_number(), b.id_document.normalised_number()),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The other persons holding `person`'s document, as conflicts, through the ID number index.
fn persons_sharing_document(store: &Store, person: &Person) -> Result<Vec<Conflict>, StoreError> {
    // A number its kind's rules refuse matches nothing (registration does the same).
    if person.id_document.normalised_number().is_err() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for hit in store.find_by_id_number(person.id_document.number.expose(), MATCHES)? {
        if hit.kind != RecordKind::Person || hit.id == person.id {
            continue;
        }
        if let Some(other) = store.get::<Person>(hit.id)?
            && same_document(person, &other)
        {
            found.push(Conflict::new(ConflictKind::IdNumber, person.id, other.id));
        }
    }
    Ok(found)
}

/// Every pair of token records with `serial`, as conflicts, through the serial index.
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
