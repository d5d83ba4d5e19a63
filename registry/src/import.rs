//! One record in `kiosk export`'s form (a JSON object, `kind` and `id` first, then the
//! record's fields) read and checked as a write would check it: its kind, its id, no field the
//! record type lacks, the record's own rules and its lifecycle from what was there before. Pure,
//! so `kiosk import` (against the store) and the central registry's hub (against its
//! projection) check a line the same way.

use std::collections::HashMap;
use std::io::BufRead;

use serde_json::{Map, Value};

use crate::Problem;
use crate::model::{Record, RecordId, RecordKind};

/// Runs `$body` with `$R` the record type of `$kind`.
#[macro_export]
macro_rules! with_record_type {
    ($kind:expr, $R:ident => $body:expr) => {
        match $kind {
            $crate::model::RecordKind::Person => {
                type $R = $crate::model::Person;
                $body
            }
            $crate::model::RecordKind::Organisation => {
                type $R = $crate::model::Organisation;
                $body
            }
            $crate::model::RecordKind::Membership => {
                type $R = $crate::model::Membership;
                $body
            }
            $crate::model::RecordKind::Authorisation => {
                type $R = $crate::model::Authorisation;
                $body
            }
            $crate::model::RecordKind::Certificate => {
                type $R = $crate::model::Certificate;
                $body
            }
            $crate::model::RecordKind::Token => {
                type $R = $crate::model::Token;
                $body
            }
            $crate::model::RecordKind::Seal => {
                type $R = $crate::model::Seal;
                $body
            }
            $crate::model::RecordKind::Application => {
                type $R = $crate::application::Application;
                $body
            }
            $crate::model::RecordKind::Appointment => {
                type $R = $crate::model::Appointment;
                $body
            }
            $crate::model::RecordKind::WalkInTicket => {
                type $R = $crate::model::WalkInTicket;
                $body
            }
            $crate::model::RecordKind::Clerk => {
                type $R = $crate::model::Clerk;
                $body
            }
            $crate::model::RecordKind::AuditEvent => {
                type $R = $crate::audit::AuditEvent;
                $body
            }
            $crate::model::RecordKind::DayEnd => {
                type $R = $crate::day_end::DayEnd;
                $body
            }
        }
    };
}

/// Why one line of the file cannot be imported. Typed until drawn: the clerk's language is
/// chosen when it is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum LineError {
    /// The line is not UTF-8 text.
    NotText,
    /// Not JSON (serde's own words, which name the column).
    NotJson(String),
    NotAnObject,
    NoKind,
    UnknownKind(String),
    NoId,
    BadId(String),
    /// The fields do not make a record of the kind (serde's words: a missing field, a wrong
    /// type; they may quote the line's own values, which are the operator's).
    NotARecord {
        kind: RecordKind,
        detail: String,
    },
    /// A field no record of the kind has: a misspelt name would otherwise be dropped silently.
    UnknownField {
        kind: RecordKind,
        field: String,
    },
    /// The record breaks its own rules, or a change its lifecycle does not allow.
    Invalid {
        kind: RecordKind,
        problems: Vec<Problem>,
    },
}

impl LineError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "import-not-text",
        "import-not-json",
        "import-not-an-object",
        "import-no-kind",
        "import-unknown-kind",
        "import-no-id",
        "import-bad-id",
        "import-not-a-record",
        "import-unknown-field",
        "import-invalid",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            LineError::NotText => "import-not-text",
            LineError::NotJson(_) => "import-not-json",
            LineError::NotAnObject => "import-not-an-object",
            LineError::NoKind => "import-no-kind",
            LineError::UnknownKind(_) => "import-unknown-kind",
            LineError::NoId => "import-no-id",
            LineError::BadId(_) => "import-bad-id",
            LineError::NotARecord { .. } => "import-not-a-record",
            LineError::UnknownField { .. } => "import-unknown-field",
            LineError::Invalid { .. } => "import-invalid",
        }
    }

    /// The message's arguments; `t` translates a message id (the record kind's name,
    /// `record-kind-KIND`, and each problem's code) into the reader's language.
    pub fn message_args(&self, t: impl Fn(&str) -> String) -> Vec<(&'static str, String)> {
        let kind = |kind: &RecordKind| t(&format!("record-kind-{}", kind.as_str()));
        match self {
            LineError::NotText | LineError::NotAnObject | LineError::NoKind | LineError::NoId => {
                Vec::new()
            }
            LineError::NotJson(detail) => vec![("detail", detail.clone())],
            LineError::UnknownKind(found) => vec![("kind", found.clone())],
            LineError::BadId(found) => vec![("id", found.clone())],
            LineError::NotARecord { kind: k, detail } => {
                vec![("kind", kind(k)), ("detail", detail.clone())]
            }
            LineError::UnknownField { kind: k, field } => {
                vec![("kind", kind(k)), ("field", field.clone())]
            }
            LineError::Invalid { kind: k, problems } => {
                let list: Vec<String> =
                    problems.iter().map(|p| format!("{} — {}", p.field, t(p.code))).collect();
                vec![("kind", kind(k)), ("problems", list.join("; "))]
            }
        }
    }
}

/// A line's kind, id and fields (the id among them, as the record has it).
pub fn parse_line(text: &str) -> Result<(RecordKind, RecordId, Map<String, Value>), LineError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LineError::NotJson(e.to_string()))?;
    let Value::Object(mut object) = value else { return Err(LineError::NotAnObject) };
    let kind = match object.remove("kind") {
        Some(Value::String(kind)) => {
            RecordKind::parse(&kind).ok_or(LineError::UnknownKind(kind))?
        }
        Some(other) => return Err(LineError::UnknownKind(other.to_string())),
        None => return Err(LineError::NoKind),
    };
    let id = match object.get("id") {
        Some(Value::String(id)) => id.parse().map_err(|_| LineError::BadId(id.clone()))?,
        Some(other) => return Err(LineError::BadId(other.to_string())),
        None => return Err(LineError::NoId),
    };
    Ok((kind, id, object))
}

/// Checks `object` as a record of `kind` whose state was `before` (none: new), as
/// [`check_as`] does.
pub fn check(
    kind: RecordKind,
    object: Map<String, Value>,
    before: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, LineError> {
    crate::with_record_type!(kind, R => check_as::<R>(object, before, None))
}

/// Decodes the fields as a record of `R` and checks it as a write would: no field the record
/// does not have, its own rules, and its lifecycle from `earlier` (a state, such as an earlier
/// line of the file) or else from `stored`. Answers the record as the object its type makes, or
/// why the line is bad.
pub fn check_as<R: Record>(
    object: Map<String, Value>,
    earlier: Option<&Map<String, Value>>,
    stored: Option<R>,
) -> Result<Map<String, Value>, LineError> {
    let not_a_record =
        |e: serde_json::Error| LineError::NotARecord { kind: R::KIND, detail: e.to_string() };
    let record: R = serde_json::from_value(Value::Object(object.clone())).map_err(not_a_record)?;
    let made = match serde_json::to_value(&record).map_err(not_a_record)? {
        Value::Object(made) => made,
        _ => return Err(LineError::NotAnObject),
    };
    if let Some(field) = object.keys().find(|field| !made.contains_key(field.as_str())) {
        return Err(LineError::UnknownField { kind: R::KIND, field: field.clone() });
    }
    let invalid = |problems| LineError::Invalid { kind: R::KIND, problems };
    record.validate().map_err(invalid)?;
    let before: Option<R> = match earlier {
        Some(map) => {
            Some(serde_json::from_value(Value::Object(map.clone())).map_err(not_a_record)?)
        }
        None => stored,
    };
    R::check_change(before.as_ref(), &record).map_err(invalid)?;
    Ok(made)
}

/// A line that failed, by its number in the file (from 1).
#[derive(Debug, Clone, PartialEq)]
pub struct BadLine {
    pub line: usize,
    pub reason: LineError,
}

/// One line read and checked: its record as the object the record type makes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub line: usize,
    pub kind: RecordKind,
    pub id: RecordId,
    pub record: Map<String, Value>,
}

/// The record a checker makes of one line, or why the line is bad; `E` is the checker's own
/// storage failing to answer.
pub type CheckedRecord<E> = Result<Result<Map<String, Value>, LineError>, E>;

/// Reads and checks every line of `input` (blank lines skipped), writing nothing: the lines, or
/// every bad one. `check_record(kind, id, fields, earlier)` checks one record against what the
/// caller holds (`earlier`: the record as an earlier line of the file made it, which it is
/// checked against instead).
pub fn check_lines<E: From<std::io::Error>>(
    input: impl BufRead,
    mut check_record: impl FnMut(
        RecordKind,
        RecordId,
        Map<String, Value>,
        Option<&Map<String, Value>>,
    ) -> CheckedRecord<E>,
) -> Result<Result<Vec<Checked>, Vec<BadLine>>, E> {
    let mut parsed: Vec<Checked> = Vec::new();
    let mut bad = Vec::new();
    // The latest line of each record so far, for the lifecycle check of a later one.
    let mut latest: HashMap<(RecordKind, RecordId), usize> = HashMap::new();
    for (index, line) in input.split(b'\n').enumerate() {
        let number = index + 1;
        let bytes = line?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            bad.push(BadLine { line: number, reason: LineError::NotText });
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let (kind, id, object) = match parse_line(text) {
            Ok(line) => line,
            Err(reason) => {
                bad.push(BadLine { line: number, reason });
                continue;
            }
        };
        let earlier = latest.get(&(kind, id)).map(|&i| &parsed[i].record);
        match check_record(kind, id, object, earlier)? {
            Ok(record) => {
                latest.insert((kind, id), parsed.len());
                parsed.push(Checked { line: number, kind, id, record });
            }
            Err(reason) => bad.push(BadLine { line: number, reason }),
        }
    }
    Ok(if bad.is_empty() { Ok(parsed) } else { Err(bad) })
}
