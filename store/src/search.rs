//! Search projections and queries: finding a subscriber (person or organisation) by ID number,
//! phone, certificate serial, or any part of a Chinese or Latin name, fast at a million records.
//!
//! Names of three characters or more go through FTS5's trigram index (any substring). Trigrams
//! cannot answer one- and two-character queries — and people search by two characters of a
//! three-character Chinese name — so every 1- and 2-character run of CJK text, and the first one
//! and two letters of each Latin word, go into a plain B-tree table as well.
//!
//! Keys and queries alike are folded as typed on a CJK keyboard ([`fold_width`]: `１２３` is
//! `123`, `ＣＨＡＮ` is `CHAN`); Chinese characters are left as written. Hits show names as
//! stored.

use std::collections::BTreeSet;

use registry::model::{
    Appointment, Certificate, Organisation, Person, RecordId, RecordKind, normalise_phone,
};
use registry::text::fold_width;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::StoreError;

/// How a hit was found, so the clerk sees why a record came up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    IdNumber,
    CertificateSerial,
    Phone,
    Name,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SubscriberHit {
    pub id: RecordId,
    pub kind: RecordKind,
    pub name_zh: Option<String>,
    pub name_latin: Option<String>,
    pub matched_by: MatchedBy,
}

/// Names are personal data: `Debug` shows what a log may hold.
impl std::fmt::Debug for SubscriberHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubscriberHit")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("matched_by", &self.matched_by)
            .finish_non_exhaustive()
    }
}

/// ID numbers as search keys: letters and digits only, upper case, so `A123456(3)`, `a1234563`,
/// `A123456 (3)` and `Ａ１２３４５６（３）` all meet.
pub fn id_number_key(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Phone numbers are matched on their last digits (a clerk rarely types the country code), so the
/// index holds the digits reversed and a suffix query becomes a B-tree range.
pub fn phone_key(text: &str) -> String {
    normalise_phone(text).chars().filter(char::is_ascii_digit).rev().collect()
}

/// Serials as lower-case hex without separators or leading zeros (DER may add a `00`).
pub fn serial_key(text: &str) -> String {
    let hex: String = fold_width(text)
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let trimmed = hex.trim_start_matches('0');
    if trimmed.is_empty() && !hex.is_empty() { "0".into() } else { trimmed.into() }
}

pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0x3040..=0x30FF)
}

/// The short keys of a name: every 1- and 2-character run of CJK text, and the lower-cased first
/// one and two characters of every other word, full-width forms folded.
pub fn short_grams<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut grams = BTreeSet::new();
    for name in names {
        let chars: Vec<char> = fold_width(name).chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if is_cjk(chars[i]) {
                let start = i;
                while i < chars.len() && is_cjk(chars[i]) {
                    i += 1;
                }
                let run = &chars[start..i];
                for (j, c) in run.iter().enumerate() {
                    grams.insert(c.to_string());
                    if let Some(next) = run.get(j + 1) {
                        grams.insert([*c, *next].iter().collect());
                    }
                }
            } else if chars[i].is_alphanumeric() {
                let start = i;
                while i < chars.len() && chars[i].is_alphanumeric() && !is_cjk(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
                let mut prefix = String::new();
                for c in word.chars().take(2) {
                    prefix.push(c);
                    grams.insert(prefix.clone());
                }
            } else {
                i += 1;
            }
        }
    }
    grams
}

#[derive(Debug, PartialEq, Eq)]
struct SubscriberRow {
    name_zh: Option<String>,
    name_latin: Option<String>,
    id_number: Option<String>,
    phone: Option<String>,
}

impl SubscriberRow {
    fn names(&self) -> Vec<&str> {
        [self.name_zh.as_deref(), self.name_latin.as_deref()].into_iter().flatten().collect()
    }
}

/// A certificate's index row: serial key, holder, status, expiry (Unix seconds).
type CertificateRow = (Option<String>, Option<String>, String, Option<i64>);

fn certificate_row(state: &Map<String, Value>) -> Option<CertificateRow> {
    let cert: Certificate = serde_json::from_value(Value::Object(state.clone())).ok()?;
    let holder = cert.holder_person.or(cert.holder_organisation).map(|h| h.to_string());
    let status = serde_json::to_value(cert.status).ok()?.as_str()?.to_owned();
    Some((
        cert.serial.map(|s| serial_key(&s)),
        holder,
        status,
        cert.not_after.map(|t| t.unix_timestamp()),
    ))
}

fn appointment_slot(state: &Map<String, Value>) -> Option<i64> {
    let appointment: Appointment = serde_json::from_value(Value::Object(state.clone())).ok()?;
    Some(appointment.slot.unix_timestamp())
}

/// How many index rows belong to records that have events, gathered while `verify` walks them;
/// rows beyond these belong to no record.
#[derive(Debug, Default)]
pub(crate) struct IndexCounts {
    subscribers: u64,
    certificates: u64,
    appointments: u64,
}

/// The subscriber row indexed for a record id, with its local row handle.
fn stored_subscriber(
    conn: &Connection,
    id: &str,
) -> Result<Option<(i64, SubscriberRow)>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT rid, name_zh, name_latin, id_number, phone FROM subscribers WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let row = SubscriberRow {
                name_zh: r.get(1)?,
                name_latin: r.get(2)?,
                id_number: r.get(3)?,
                phone: r.get(4)?,
            };
            Ok((r.get(0)?, row))
        })
        .optional()?)
}

/// The certificate index row for a record id.
fn stored_certificate_row(
    conn: &Connection,
    id: &str,
) -> Result<Option<CertificateRow>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT serial, holder, status, not_after FROM certificate_index WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?)
}

/// Whether one record's index rows are exactly what its state says they should be.
pub(crate) fn index_agrees(
    conn: &Connection,
    kind: RecordKind,
    id: RecordId,
    state: &Map<String, Value>,
    counts: &mut IndexCounts,
) -> Result<bool, StoreError> {
    let id_text = id.to_string();
    match kind {
        RecordKind::Person | RecordKind::Organisation => {
            let stored = stored_subscriber(conn, &id_text)?;
            // A row this record owns is accounted for even when it should not be there: it is
            // this record's fault, not an orphan's.
            counts.subscribers += u64::from(stored.is_some());
            let Some(expected) = subscriber_row(kind, state) else {
                return Ok(stored.is_none());
            };
            let Some((rid, stored)) = stored else { return Ok(false) };
            let grams: BTreeSet<String> = conn
                .prepare_cached("SELECT gram FROM subscriber_grams WHERE rid = ?1")?
                .query_map([rid], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let full_text: i64 = conn
                .prepare_cached("SELECT count(*) FROM subscriber_names_docsize WHERE id = ?1")?
                .query_row([rid], |r| r.get(0))?;
            Ok(stored == expected && grams == short_grams(expected.names()) && full_text == 1)
        }
        RecordKind::Certificate => {
            let expected = certificate_row(state);
            let stored = stored_certificate_row(conn, &id_text)?;
            counts.certificates += u64::from(stored.is_some());
            Ok(stored == expected)
        }
        RecordKind::Appointment => {
            let expected = appointment_slot(state);
            let stored: Option<i64> = conn
                .prepare_cached("SELECT slot FROM appointment_index WHERE id = ?1")?
                .query_row([&id_text], |r| r.get(0))
                .optional()?;
            counts.appointments += u64::from(stored.is_some());
            Ok(stored == expected)
        }
        _ => Ok(true),
    }
}

/// Index rows no record accounts for, which the per-record check cannot see.
pub(crate) fn unaccounted(
    conn: &rusqlite::Connection,
    counts: &IndexCounts,
    records: &BTreeSet<(RecordKind, RecordId)>,
) -> Result<Vec<(RecordKind, RecordId)>, StoreError> {
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let subscribers = count("SELECT count(*) FROM subscribers")? as u64;
    let full_text = count("SELECT count(*) FROM subscriber_names_docsize")? as u64;
    let orphan_grams = count(
        "SELECT count(*) FROM subscriber_grams WHERE rid NOT IN (SELECT rid FROM subscribers)",
    )?;
    let certificates = count("SELECT count(*) FROM certificate_index")? as u64;
    let appointments = count("SELECT count(*) FROM appointment_index")? as u64;
    // Missing rows were already caught record by record; only surplus rows need finding here.
    let surplus = subscribers > counts.subscribers
        || full_text > subscribers
        || orphan_grams > 0
        || certificates > counts.certificates
        || appointments > counts.appointments;
    if !surplus {
        return Ok(vec![]);
    }
    let mut extra = Vec::new();
    let tables = [
        ("SELECT id, kind FROM subscribers", None),
        ("SELECT id, NULL FROM certificate_index", Some(RecordKind::Certificate)),
        ("SELECT id, NULL FROM appointment_index", Some(RecordKind::Appointment)),
    ];
    for (sql, fixed_kind) in tables {
        let mut stmt = conn.prepare(sql)?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
        for row in rows {
            let (id, kind) = row?;
            let kind = fixed_kind
                .or_else(|| kind.as_deref().and_then(RecordKind::parse))
                .ok_or_else(|| StoreError::Corrupt(format!("index row {id:?} has no kind")))?;
            let id: RecordId =
                id.parse().map_err(|_| StoreError::Corrupt(format!("bad index id {id:?}")))?;
            if !records.contains(&(kind, id)) {
                extra.push((kind, id));
            }
        }
    }
    if extra.is_empty() {
        // Orphaned full-text or gram rows carry no record id to name.
        return Err(StoreError::Corrupt(
            "the search index holds entries no record accounts for; run kiosk store rebuild".into(),
        ));
    }
    Ok(extra)
}

fn subscriber_row(kind: RecordKind, state: &Map<String, Value>) -> Option<SubscriberRow> {
    let value = Value::Object(state.clone());
    match kind {
        RecordKind::Person => {
            let person: Person = serde_json::from_value(value).ok()?;
            let doc = &person.id_document;
            let number = doc.normalised_number().unwrap_or_else(|_| doc.number.expose().into());
            Some(SubscriberRow {
                name_zh: person.name_zh,
                name_latin: person.name_latin,
                id_number: Some(id_number_key(&number)).filter(|k| !k.is_empty()),
                phone: person.phone.map(|p| phone_key(p.expose())).filter(|k| !k.is_empty()),
            })
        }
        RecordKind::Organisation => {
            let org: Organisation = serde_json::from_value(value).ok()?;
            Some(SubscriberRow {
                name_zh: org.name_zh,
                name_latin: org.name_latin,
                id_number: Some(id_number_key(&org.registration.number)).filter(|k| !k.is_empty()),
                phone: org.phone.map(|p| phone_key(p.expose())).filter(|k| !k.is_empty()),
            })
        }
        _ => None,
    }
}

/// Brings the search projections of one record up to date with its state. Called in the same
/// transaction as the event that changed it.
pub(crate) fn project(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: RecordId,
    state: &Map<String, Value>,
) -> Result<(), StoreError> {
    let id_text = id.to_string();
    match kind {
        RecordKind::Person | RecordKind::Organisation => project_subscriber(tx, kind, id, state),
        RecordKind::Certificate => {
            match certificate_row(state) {
                Some((serial, holder, status, not_after)) => {
                    tx.prepare_cached(
                        "INSERT INTO certificate_index (id, serial, holder, status, not_after)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (id) DO UPDATE
                         SET serial = ?2, holder = ?3, status = ?4, not_after = ?5",
                    )?
                    .execute(params![id_text, serial, holder, status, not_after])?;
                }
                // Not decodable (a replicated record not yet whole): no stale entry stays.
                None => {
                    tx.execute("DELETE FROM certificate_index WHERE id = ?1", [id_text])?;
                }
            }
            Ok(())
        }
        RecordKind::Appointment => {
            match appointment_slot(state) {
                Some(slot) => {
                    tx.prepare_cached(
                        "INSERT INTO appointment_index (id, slot) VALUES (?1, ?2)
                         ON CONFLICT (id) DO UPDATE SET slot = ?2",
                    )?
                    .execute(params![id_text, slot])?;
                }
                None => {
                    tx.execute("DELETE FROM appointment_index WHERE id = ?1", [id_text])?;
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn project_subscriber(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: RecordId,
    state: &Map<String, Value>,
) -> Result<(), StoreError> {
    let id_text = id.to_string();
    let existing: Option<(i64, Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT rid, name_zh, name_latin FROM subscribers WHERE id = ?1")?
        .query_row([&id_text], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some(row) = subscriber_row(kind, state) else {
        // A replicated record can be momentarily incomplete: it leaves the index until whole,
        // rather than being found under what it used to say.
        tracing::warn!(%id, %kind, "subscriber state does not decode; not indexed");
        if let Some((rid, _, _)) = existing {
            tx.execute("DELETE FROM subscriber_names WHERE rowid = ?1", [rid])?;
            tx.execute("DELETE FROM subscribers WHERE rid = ?1", [rid])?;
        }
        return Ok(());
    };
    let rid =
        match existing {
            Some((rid, name_zh, name_latin)) => {
                tx.prepare_cached(
                "UPDATE subscribers SET name_zh = ?2, name_latin = ?3, id_number = ?4, phone = ?5
                 WHERE rid = ?1",
            )?
            .execute(params![rid, row.name_zh, row.name_latin, row.id_number, row.phone])?;
                if name_zh == row.name_zh && name_latin == row.name_latin {
                    return Ok(()); // the names, and so their index entries, are unchanged
                }
                tx.execute("DELETE FROM subscriber_names WHERE rowid = ?1", [rid])?;
                tx.execute("DELETE FROM subscriber_grams WHERE rid = ?1", [rid])?;
                rid
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO subscribers (id, kind, name_zh, name_latin, id_number, phone)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    id_text,
                    kind.as_str(),
                    row.name_zh,
                    row.name_latin,
                    row.id_number,
                    row.phone
                ])?;
                tx.last_insert_rowid()
            }
        };
    let names = row.names();
    let folded: Vec<String> = names.iter().map(|name| fold_width(name)).collect();
    tx.prepare_cached("INSERT INTO subscriber_names (rowid, names) VALUES (?1, ?2)")?
        .execute(params![rid, folded.join("\n")])?;
    let mut insert_gram =
        tx.prepare_cached("INSERT OR IGNORE INTO subscriber_grams (gram, rid) VALUES (?1, ?2)")?;
    for gram in short_grams(names) {
        insert_gram.execute(params![gram, rid])?;
    }
    Ok(())
}

/// Read-only queries over the projections.
pub(crate) struct Searcher<'c> {
    pub conn: &'c rusqlite::Connection,
}

const HIT_COLUMNS: &str = "s.id, s.kind, s.name_zh, s.name_latin";

impl Searcher<'_> {
    fn hits(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        matched_by: MatchedBy,
    ) -> Result<Vec<SubscriberHit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (id, kind, name_zh, name_latin) = row?;
            let id = id.parse().map_err(|_| StoreError::Corrupt(format!("bad id {id:?}")))?;
            let kind = RecordKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("bad kind {kind:?}")))?;
            hits.push(SubscriberHit { id, kind, name_zh, name_latin, matched_by });
        }
        Ok(hits)
    }

    pub fn by_id_number(
        &self,
        number: &str,
        limit: usize,
    ) -> Result<Vec<SubscriberHit>, StoreError> {
        let key = id_number_key(number);
        if key.is_empty() {
            return Ok(vec![]);
        }
        let sql =
            format!("SELECT {HIT_COLUMNS} FROM subscribers s WHERE s.id_number = ?1 LIMIT ?2");
        self.hits(&sql, params![key, limit as i64], MatchedBy::IdNumber)
    }

    /// Phone numbers match on their last digits: at least six, so a query is never too broad.
    pub fn by_phone(&self, phone: &str, limit: usize) -> Result<Vec<SubscriberHit>, StoreError> {
        let key = phone_key(phone);
        if key.len() < 6 {
            return Ok(vec![]);
        }
        let upper = format!("{key}:"); // ':' sorts right after '9'
        let sql = format!(
            "SELECT {HIT_COLUMNS} FROM subscribers s WHERE s.phone >= ?1 AND s.phone < ?2 LIMIT ?3"
        );
        self.hits(&sql, params![key, upper, limit as i64], MatchedBy::Phone)
    }

    pub fn by_serial(&self, serial: &str, limit: usize) -> Result<Vec<SubscriberHit>, StoreError> {
        let key = serial_key(serial);
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT {HIT_COLUMNS} FROM certificate_index c JOIN subscribers s ON s.id = c.holder
             WHERE c.serial = ?1 LIMIT ?2"
        );
        self.hits(&sql, params![key, limit as i64], MatchedBy::CertificateSerial)
    }

    pub fn by_name(&self, text: &str, limit: usize) -> Result<Vec<SubscriberHit>, StoreError> {
        // Control characters (a scanner's NUL, a stray tab) are never part of a name, and FTS5
        // refuses some of them in a phrase.
        let query: String = fold_width(text)
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim()
            .to_lowercase();
        let length = query.chars().count();
        if length == 0 {
            return Ok(vec![]);
        }
        if length >= 3 {
            let phrase = format!("\"{}\"", query.replace('"', "\"\""));
            let sql = format!(
                "SELECT {HIT_COLUMNS} FROM subscriber_names n JOIN subscribers s ON s.rid = n.rowid
                 WHERE subscriber_names MATCH ?1 LIMIT ?2"
            );
            self.hits(&sql, params![phrase, limit as i64], MatchedBy::Name)
        } else {
            let sql = format!(
                "SELECT {HIT_COLUMNS} FROM subscriber_grams g JOIN subscribers s ON s.rid = g.rid
                 WHERE g.gram = ?1 LIMIT ?2"
            );
            self.hits(&sql, params![query, limit as i64], MatchedBy::Name)
        }
    }

    /// What the counter's search box does: every way the text could name someone, best first.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SubscriberHit>, StoreError> {
        let folded = fold_width(text);
        let text = folded.trim();
        let mut hits = Vec::new();
        if id_number_key(text).len() >= 5 {
            hits.extend(self.by_id_number(text, limit)?);
            hits.extend(self.by_serial(text, limit)?);
        }
        if text.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
            hits.extend(self.by_phone(text, limit)?);
        }
        hits.extend(self.by_name(text, limit)?);
        let mut seen = BTreeSet::new();
        hits.retain(|h| seen.insert(h.id));
        hits.truncate(limit);
        Ok(hits)
    }
}

/// The `meta` key a migration sets when search keys are now computed differently from how the
/// store's rows were indexed (as when full-width folding came in). The next open re-indexes the
/// rows whose keys changed, then clears it.
pub(crate) const REINDEX_KEY: &str = "reindex_search";

/// Re-indexes every record whose search entries differ from what this build computes, when a
/// migration asked for it ([`redo_if_asked`]). Returns how many were redone.
pub(crate) fn reindex_if_asked(conn: &mut Connection) -> Result<u64, StoreError> {
    redo_if_asked(conn, REINDEX_KEY, |tx| {
        let mut redone = 0;
        let mut stmt = tx.prepare(
            "SELECT kind, id, state FROM records
             WHERE kind IN ('person', 'organisation', 'certificate')",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (kind, id) =
                crate::parse_key(&row.get::<_, String>(0)?, &row.get::<_, String>(1)?)?;
            let state: Map<String, Value> = serde_json::from_str(&row.get::<_, String>(2)?)?;
            if reindex_one(tx, kind, id, &state)? {
                redone += 1;
            }
        }
        tracing::info!(records = redone, "search entries re-indexed after an upgrade");
        Ok(redone)
    })
}

/// Runs `work` in one IMMEDIATE transaction, then clears `key`, when a migration left `key` in
/// `meta` to ask for a projection to be redone with Rust (SQL alone cannot compute it). Of
/// several processes opening the store, the first does the work; the others do not wait for it
/// (on a large store it takes longer than the busy timeout) and open with the projection as it
/// is until it commits. Returns what `work` returns, or 0 when nothing was asked.
pub(crate) fn redo_if_asked(
    conn: &mut Connection,
    key: &str,
    work: impl FnOnce(&Transaction<'_>) -> Result<u64, StoreError>,
) -> Result<u64, StoreError> {
    // The usual open: nothing asked, no lock taken.
    if !redo_asked(conn, key)? {
        return Ok(0);
    }
    // Whoever holds the write lock now is doing the work, or will find the request still there.
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let outcome = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => redo_in(tx, key, work),
        Err(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            Ok(0)
        }
        Err(e) => Err(e.into()),
    };
    conn.busy_timeout(crate::sqlite::BUSY_TIMEOUT)?;
    outcome
}

fn redo_asked(conn: &Connection, key: &str) -> Result<bool, StoreError> {
    let count: i64 =
        conn.query_row("SELECT count(*) FROM meta WHERE key = ?1", [key], |r| r.get(0))?;
    Ok(count > 0)
}

fn redo_in(
    tx: Transaction<'_>,
    key: &str,
    work: impl FnOnce(&Transaction<'_>) -> Result<u64, StoreError>,
) -> Result<u64, StoreError> {
    if !redo_asked(&tx, key)? {
        return Ok(0);
    }
    let done = work(&tx)?;
    tx.execute("DELETE FROM meta WHERE key = ?1", [key])?;
    tx.commit()?;
    Ok(done)
}

/// Redoes one record's search entries when they are not what this build computes from its state.
fn reindex_one(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: RecordId,
    state: &Map<String, Value>,
) -> Result<bool, StoreError> {
    let id_text = id.to_string();
    match kind {
        RecordKind::Person | RecordKind::Organisation => {
            let stored = stored_subscriber(tx, &id_text)?;
            let expected = subscriber_row(kind, state);
            // Names are stored as written, so a name that folds differently had its full-text
            // and short entries written from the unfolded text.
            let names_fold = expected
                .as_ref()
                .is_some_and(|row| row.names().iter().any(|name| fold_width(name) != *name));
            let keys_differ = stored.as_ref().map(|(_, row)| row) != expected.as_ref();
            if !(names_fold || keys_differ) {
                return Ok(false);
            }
            if let Some((rid, _)) = stored {
                tx.execute("DELETE FROM subscriber_names WHERE rowid = ?1", [rid])?;
                tx.execute("DELETE FROM subscriber_grams WHERE rid = ?1", [rid])?;
                tx.execute("DELETE FROM subscribers WHERE rid = ?1", [rid])?;
            }
            project_subscriber(tx, kind, id, state)?;
            Ok(true)
        }
        RecordKind::Certificate => {
            let stored = stored_certificate_row(tx, &id_text)?;
            if stored == certificate_row(state) {
                return Ok(false);
            }
            project(tx, kind, id, state)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}
