//! Search projections and queries: finding a subscriber (person or organisation) by ID number,
//! phone, certificate serial, or any part of a Chinese or Latin name, fast at a million records.
//!
//! Names of three characters or more go through FTS5's trigram index (any substring). Trigrams
//! cannot answer one- and two-character queries — and people search by two characters of a
//! three-character Chinese name — so every 1- and 2-character run of CJK text, and the first one
//! and two letters of each Latin word, go into a plain B-tree table as well.

use std::collections::BTreeSet;

use registry::model::{Certificate, Organisation, Person, RecordId, RecordKind, normalise_phone};
use rusqlite::{OptionalExtension, Transaction, params};
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

/// ID numbers as search keys: letters and digits only, upper case, so `A123456(3)`, `a1234563`
/// and `A123456 (3)` all meet.
pub fn id_number_key(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// Phone numbers are matched on their last digits (a clerk rarely types the country code), so the
/// index holds the digits reversed and a suffix query becomes a B-tree range.
pub fn phone_key(text: &str) -> String {
    normalise_phone(text).chars().filter(char::is_ascii_digit).rev().collect()
}

/// Serials as lower-case hex without separators or leading zeros (DER may add a `00`).
pub fn serial_key(text: &str) -> String {
    let hex: String = text
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
/// one and two characters of every other word.
pub fn short_grams<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut grams = BTreeSet::new();
    for name in names {
        let chars: Vec<char> = name.chars().collect();
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

fn certificate_row(state: &Map<String, Value>) -> Option<(String, Option<String>)> {
    let cert: Certificate = serde_json::from_value(Value::Object(state.clone())).ok()?;
    let holder = cert.holder_person.or(cert.holder_organisation).map(|h| h.to_string());
    cert.serial.map(|serial| (serial_key(&serial), holder))
}

/// Compares the search projections with what the records' states say they should hold, and
/// returns the records whose index entries disagree (missing, stale or extra).
pub(crate) fn verify(
    conn: &rusqlite::Connection,
    states: &std::collections::BTreeMap<(RecordKind, RecordId), Map<String, Value>>,
) -> Result<BTreeSet<(RecordKind, RecordId)>, StoreError> {
    use std::collections::BTreeMap;
    let mut expected_subscribers = BTreeMap::new();
    let mut expected_serials = BTreeMap::new();
    for ((kind, id), state) in states {
        match kind {
            RecordKind::Person | RecordKind::Organisation => {
                if let Some(row) = subscriber_row(*kind, state) {
                    let grams = short_grams(row.names());
                    expected_subscribers.insert(id.to_string(), (*kind, *id, row, grams));
                }
            }
            RecordKind::Certificate => {
                if let Some(row) = certificate_row(state) {
                    expected_serials.insert(id.to_string(), (*id, row));
                }
            }
            _ => {}
        }
    }
    let parse_id = |text: &str| -> Result<RecordId, StoreError> {
        text.parse().map_err(|_| StoreError::Corrupt(format!("bad id {text:?}")))
    };
    let mut bad = BTreeSet::new();

    let mut stmt = conn
        .prepare("SELECT rid, id, kind, name_zh, name_latin, id_number, phone FROM subscribers")?;
    let mut rows = stmt.query([])?;
    let mut seen = BTreeSet::new();
    let mut rids = BTreeSet::new();
    let mut grams_stmt = conn.prepare("SELECT gram FROM subscriber_grams WHERE rid = ?1")?;
    while let Some(row) = rows.next()? {
        let rid: i64 = row.get(0)?;
        let id: String = row.get(1)?;
        let kind = RecordKind::parse(&row.get::<_, String>(2)?)
            .ok_or_else(|| StoreError::Corrupt(format!("bad subscriber kind for {id}")))?;
        let actual = SubscriberRow {
            name_zh: row.get(3)?,
            name_latin: row.get(4)?,
            id_number: row.get(5)?,
            phone: row.get(6)?,
        };
        let grams: BTreeSet<String> =
            grams_stmt.query_map([rid], |r| r.get(0))?.collect::<Result<_, _>>()?;
        rids.insert(rid);
        seen.insert(id.clone());
        match expected_subscribers.get(&id) {
            Some((_, _, row, expected_grams)) if *row == actual && *expected_grams == grams => {}
            _ => {
                bad.insert((kind, parse_id(&id)?));
            }
        }
    }
    for (id, (kind, record_id, _, _)) in &expected_subscribers {
        if !seen.contains(id) {
            bad.insert((*kind, *record_id));
        }
    }
    // Every subscriber row has exactly one full-text entry, and nothing else does.
    let indexed: BTreeSet<i64> = conn
        .prepare("SELECT id FROM subscriber_names_docsize")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if indexed != rids {
        let mut stmt = conn.prepare("SELECT id, kind FROM subscribers WHERE rid = ?1")?;
        for rid in rids.symmetric_difference(&indexed) {
            let found: Option<(String, String)> =
                stmt.query_row([rid], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            match found {
                Some((id, kind)) => {
                    let kind = RecordKind::parse(&kind).unwrap_or(RecordKind::Person);
                    bad.insert((kind, parse_id(&id)?));
                }
                None => {
                    return Err(StoreError::Corrupt(format!(
                        "full-text entry {rid} has no subscriber"
                    )));
                }
            }
        }
    }

    let mut stmt = conn.prepare("SELECT id, serial, holder FROM certificate_serials")?;
    let mut rows = stmt.query([])?;
    let mut seen = BTreeSet::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let actual: (String, Option<String>) = (row.get(1)?, row.get(2)?);
        if expected_serials.get(&id).map(|(_, row)| row) != Some(&actual) {
            bad.insert((RecordKind::Certificate, parse_id(&id)?));
        }
        seen.insert(id);
    }
    for (id, (record_id, _)) in &expected_serials {
        if !seen.contains(id) {
            bad.insert((RecordKind::Certificate, *record_id));
        }
    }
    Ok(bad)
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
    match kind {
        RecordKind::Person | RecordKind::Organisation => project_subscriber(tx, kind, id, state),
        RecordKind::Certificate => {
            match certificate_row(state) {
                Some((serial, holder)) => {
                    tx.execute(
                        "INSERT INTO certificate_serials (id, serial, holder) VALUES (?1, ?2, ?3)
                         ON CONFLICT (id) DO UPDATE SET serial = ?2, holder = ?3",
                        params![id.to_string(), serial, holder],
                    )?;
                }
                None => {
                    tx.execute("DELETE FROM certificate_serials WHERE id = ?1", [id.to_string()])?;
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
    let Some(row) = subscriber_row(kind, state) else {
        // A state merged from replicas can be momentarily incomplete; it is indexed once whole.
        tracing::warn!(%id, %kind, "subscriber state does not parse; not indexed");
        return Ok(());
    };
    let id_text = id.to_string();
    let existing: Option<i64> = tx
        .query_row("SELECT rid FROM subscribers WHERE id = ?1", [&id_text], |r| r.get(0))
        .optional()?;
    let rid = match existing {
        Some(rid) => {
            tx.execute(
                "UPDATE subscribers SET name_zh = ?2, name_latin = ?3, id_number = ?4, phone = ?5
                 WHERE rid = ?1",
                params![rid, row.name_zh, row.name_latin, row.id_number, row.phone],
            )?;
            tx.execute("DELETE FROM subscriber_names WHERE rowid = ?1", [rid])?;
            tx.execute("DELETE FROM subscriber_grams WHERE rid = ?1", [rid])?;
            rid
        }
        None => {
            tx.execute(
                "INSERT INTO subscribers (id, kind, name_zh, name_latin, id_number, phone)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id_text,
                    kind.as_str(),
                    row.name_zh,
                    row.name_latin,
                    row.id_number,
                    row.phone
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    let names = row.names();
    tx.execute(
        "INSERT INTO subscriber_names (rowid, names) VALUES (?1, ?2)",
        params![rid, names.join("\n")],
    )?;
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
            "SELECT {HIT_COLUMNS} FROM certificate_serials c JOIN subscribers s ON s.id = c.holder
             WHERE c.serial = ?1 LIMIT ?2"
        );
        self.hits(&sql, params![key, limit as i64], MatchedBy::CertificateSerial)
    }

    pub fn by_name(&self, text: &str, limit: usize) -> Result<Vec<SubscriberHit>, StoreError> {
        // Control characters (a scanner's NUL, a stray tab) are never part of a name, and FTS5
        // refuses some of them in a phrase.
        let query: String =
            text.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_lowercase();
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
        let text = text.trim();
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
