//! The links index: which records point at which, so everything about one subscriber (their
//! certificates, tokens, memberships, applications, audit timeline) is read from an index instead
//! of a scan of a whole record kind.
//!
//! Every reference field of every record kind is listed once, in [`REFERENCES`]. Each record's
//! current state projects to one `record_links` row per record id it names there, kept in step in
//! the same transaction as the event that changed it, like the search projections. A record that
//! is not yet whole (a replicated edit before its creation) links to nothing until it is, as it
//! is left out of search. Audit events carry their time (`at`, Unix milliseconds) on their rows,
//! so a subject's timeline is read newest first from an index and stops at the cap.

use std::collections::BTreeSet;

use registry::model::{RecordId, RecordKind};
use rusqlite::{Connection, Transaction, params};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::StoreError;

/// Every field that holds a record id, by the kind of record that holds it: the one list the
/// links index is made from. A path goes into nested objects with `.` (`issuance.previous`); a
/// field holding a list of ids links to each of them.
pub const REFERENCES: &[(RecordKind, &str)] = &[
    (RecordKind::Organisation, "legal_representative"),
    (RecordKind::Membership, "organisation"),
    (RecordKind::Membership, "person"),
    (RecordKind::Authorisation, "organisation"),
    (RecordKind::Authorisation, "grantee"),
    (RecordKind::Authorisation, "granted_by"),
    // The certificate or seal the authorisation lets the grantee use.
    (RecordKind::Authorisation, "object.id"),
    (RecordKind::Certificate, "holder_person"),
    (RecordKind::Certificate, "holder_organisation"),
    (RecordKind::Certificate, "token"),
    // The certificate this one renews, changes or replaces.
    (RecordKind::Certificate, "issuance.previous"),
    (RecordKind::Token, "holder_person"),
    (RecordKind::Token, "holder_organisation"),
    (RecordKind::Seal, "organisation"),
    (RecordKind::Seal, "certificate"),
    (RecordKind::Application, "applicant"),
    (RecordKind::Application, "organisation"),
    (RecordKind::Application, "agent"),
    (RecordKind::Application, "certificates"),
    (RecordKind::Application, "appointment"),
    (RecordKind::Application, "walk_in_ticket"),
    (RecordKind::Application, "progress.submitted_by"),
    (RecordKind::Application, "progress.approved_by"),
    (RecordKind::Appointment, "person"),
    (RecordKind::Appointment, "organisation"),
    (RecordKind::AuditEvent, "subject"),
    (RecordKind::AuditEvent, "clerk"),
    // The supervisor who closed a counter's day.
    (RecordKind::DayEnd, "closed_by"),
];

/// The reference field of an audit event that names what it is about.
pub const AUDIT_SUBJECT: &str = "subject";

/// A reference from one record to another, as the links index holds it: `from_kind` record
/// `from_id` names the record asked about in its `field` (one of [`REFERENCES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Link {
    pub from_kind: RecordKind,
    pub from_id: RecordId,
    pub field: &'static str,
}

/// One row the index holds for a record: what it names, in which field, and for an audit event
/// when it happened.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    to: String,
    field: String,
    at: Option<i64>,
}

fn has_references(kind: RecordKind) -> bool {
    REFERENCES.iter().any(|(k, _)| *k == kind)
}

/// The field as this build names it, for a field read back from the index.
fn known_field(kind: RecordKind, field: &str) -> Option<&'static str> {
    REFERENCES.iter().find(|(k, f)| *k == kind && *f == field).map(|(_, f)| *f)
}

/// What a record's state links to. Nothing for a state that is not a whole record of its kind.
fn targets(kind: RecordKind, state: &Map<String, Value>) -> BTreeSet<Target> {
    let mut out = BTreeSet::new();
    if !has_references(kind) || !registry::events::is_whole_record(kind, state) {
        return out;
    }
    let at = match kind {
        RecordKind::AuditEvent => state
            .get("at")
            .and_then(Value::as_str)
            .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
            .map(unix_ms),
        _ => None,
    };
    for (_, path) in REFERENCES.iter().filter(|(k, _)| *k == kind) {
        let mut parts = path.split('.');
        let first = parts.next().and_then(|name| state.get(name));
        let value = parts.fold(first, |value, name| value.and_then(|v| v.get(name)));
        let ids: Vec<&str> = match value {
            Some(Value::String(id)) => vec![id],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        for id in ids {
            // Only ids are linked: a whole record's reference fields hold nothing else.
            if id.parse::<RecordId>().is_ok() {
                out.insert(Target { to: id.to_owned(), field: (*path).to_owned(), at });
            }
        }
    }
    out
}

fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn stored_targets(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
) -> Result<BTreeSet<Target>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT to_id, field, at FROM record_links WHERE from_kind = ?1 AND from_id = ?2",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), id], |r| {
        Ok(Target { to: r.get(0)?, field: r.get(1)?, at: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Brings one record's links up to date with its state, in the transaction of the event that
/// changed it. Rows are rewritten only when they change: most edits touch no reference.
pub(crate) fn project(
    tx: &Transaction<'_>,
    kind: RecordKind,
    id: RecordId,
    state: &Map<String, Value>,
) -> Result<(), StoreError> {
    if !has_references(kind) {
        return Ok(());
    }
    let id_text = id.to_string();
    let expected = targets(kind, state);
    let stored = stored_targets(tx, kind, &id_text)?;
    if stored == expected {
        return Ok(());
    }
    tx.prepare_cached("DELETE FROM record_links WHERE from_kind = ?1 AND from_id = ?2")?
        .execute(params![kind.as_str(), id_text])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO record_links (to_id, from_kind, from_id, field, at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for target in expected {
        insert.execute(params![target.to, kind.as_str(), id_text, target.field, target.at])?;
    }
    Ok(())
}

/// Whether one record's links are exactly what its state says. Adds the rows it owns to `count`.
pub(crate) fn agree(
    conn: &Connection,
    kind: RecordKind,
    id: RecordId,
    state: &Map<String, Value>,
    count: &mut u64,
) -> Result<bool, StoreError> {
    if !has_references(kind) {
        // Rows from a kind that names nothing are surplus; `unaccounted` finds them.
        return Ok(true);
    }
    let stored = stored_targets(conn, kind, &id.to_string())?;
    *count += stored.len() as u64;
    Ok(stored == targets(kind, state))
}

/// Records that own link rows though `records` (those with events) does not hold them, or whose
/// kind names nothing; `expected` is how many rows the records that were checked own.
pub(crate) fn unaccounted(
    conn: &Connection,
    expected: u64,
    records: &BTreeSet<(RecordKind, RecordId)>,
) -> Result<Vec<(RecordKind, RecordId)>, StoreError> {
    let total: i64 = conn.query_row("SELECT count(*) FROM record_links", [], |r| r.get(0))?;
    if u64::try_from(total).unwrap_or(0) <= expected {
        return Ok(vec![]);
    }
    let mut stmt = conn.prepare("SELECT DISTINCT from_kind, from_id FROM record_links")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut extra = Vec::new();
    for row in rows {
        let (kind, id) = row?;
        let (kind, id) = crate::parse_key(&kind, &id)?;
        if !records.contains(&(kind, id)) || !has_references(kind) {
            extra.push((kind, id));
        }
    }
    Ok(extra)
}

/// The `meta` key a migration sets when the links must be made anew from every record's state:
/// the migration that made the index, for the records stores already held. The next open fills
/// them, as [`crate::search::REINDEX_KEY`] has search re-indexed.
pub(crate) const RELINK_KEY: &str = "relink";

/// Makes every record's links from its state, when a migration asked for it (see
/// [`crate::search::redo_if_asked`] for how several opening processes share the work).
pub(crate) fn relink_if_asked(conn: &mut Connection) -> Result<u64, StoreError> {
    crate::search::redo_if_asked(conn, RELINK_KEY, |tx| {
        let kinds: Vec<String> = RecordKind::ALL
            .into_iter()
            .filter(|k| has_references(*k))
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        let mut stmt = tx.prepare(&format!(
            "SELECT kind, id, state FROM records WHERE kind IN ({})",
            kinds.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        let mut linked = 0;
        while let Some(row) = rows.next()? {
            let (kind, id) =
                crate::parse_key(&row.get::<_, String>(0)?, &row.get::<_, String>(1)?)?;
            let state: Map<String, Value> = serde_json::from_str(&row.get::<_, String>(2)?)?;
            project(tx, kind, id, &state)?;
            linked += 1;
        }
        tracing::info!(records = linked, "record links made after an upgrade");
        Ok(linked)
    })
}

/// Read-only queries over the links.
pub(crate) struct Links<'c> {
    pub conn: &'c Connection,
}

impl Links<'_> {
    /// Every record that names `to`, by kind and id; `from_kind` narrows to one kind.
    pub fn to(&self, to: RecordId, from_kind: Option<RecordKind>) -> Result<Vec<Link>, StoreError> {
        // Two statements, so a kind asked for is a range of the primary key: a clerk named by a
        // million audit events still has their few other links read at once.
        let row = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(String, String, String)> {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        };
        let to = to.to_string();
        let rows: Vec<(String, String, String)> = match from_kind {
            Some(kind) => self
                .conn
                .prepare_cached(
                    "SELECT from_kind, from_id, field FROM record_links
                     WHERE to_id = ?1 AND from_kind = ?2 ORDER BY from_kind, from_id, field",
                )?
                .query_map(params![to, kind.as_str()], row)?
                .collect::<Result<_, _>>()?,
            None => self
                .conn
                .prepare_cached(
                    "SELECT from_kind, from_id, field FROM record_links
                     WHERE to_id = ?1 ORDER BY from_kind, from_id, field",
                )?
                .query_map(params![to], row)?
                .collect::<Result<_, _>>()?,
        };
        let mut links = Vec::new();
        for (kind, id, field) in rows {
            let (from_kind, from_id) = crate::parse_key(&kind, &id)?;
            let field = known_field(from_kind, &field).ok_or_else(|| {
                StoreError::Corrupt(format!("a link from {kind} names unknown field {field:?}"))
            })?;
            links.push(Link { from_kind, from_id, field });
        }
        Ok(links)
    }

    /// The ids of the audit events about any of `subjects`, newest first (ties: the later id
    /// first), at most `limit`. Each subject's events are read newest first from the timeline
    /// index and stop at `limit`, so a long history costs no more than a short one.
    pub fn audit_ids(
        &self,
        subjects: &[RecordId],
        limit: usize,
    ) -> Result<Vec<RecordId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, from_id FROM record_links
             WHERE to_id = ?1 AND field = ?2 AND from_kind = 'audit_event'
             ORDER BY at DESC, from_id DESC LIMIT ?3",
        )?;
        let mut found: BTreeSet<(Option<i64>, String)> = BTreeSet::new();
        let unique: BTreeSet<&RecordId> = subjects.iter().collect();
        for subject in unique {
            let rows = stmt.query_map(
                params![
                    subject.to_string(),
                    AUDIT_SUBJECT,
                    i64::try_from(limit).unwrap_or(i64::MAX)
                ],
                |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, String>(1)?)),
            )?;
            for row in rows {
                found.insert(row?);
            }
        }
        found
            .into_iter()
            .rev()
            .take(limit)
            .map(|(_, id)| {
                id.parse().map_err(|_| StoreError::Corrupt(format!("bad link id {id:?}")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migration_that_makes_the_index_asks_for_it_to_be_filled() {
        let sql = crate::schema::MIGRATIONS.iter().find(|m| m.contains("record_links"));
        let sql = sql.expect("a migration makes record_links");
        assert!(sql.contains(&format!("'{RELINK_KEY}'")), "{sql}");
    }

    #[test]
    fn every_kind_and_field_is_listed_once() {
        let unique: BTreeSet<_> = REFERENCES.iter().collect();
        assert_eq!(unique.len(), REFERENCES.len());
    }
}
