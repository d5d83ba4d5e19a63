//! What makes two records a conflict only a person can decide: two different persons claiming
//! one identity document, or two token records with one token serial (two offices issuing to
//! one token). Pure: the kiosk and the central registry's hub compute the same keys from a
//! record's state, each over what it holds, and list records sharing a key for a supervisor;
//! nothing is merged or resolved silently.

use std::fmt;

use serde_json::{Map, Value};

use crate::model::IdDocument;
use crate::model::RecordKind;

/// What two records share when they conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictKind {
    /// One identity document (its kind and number, in any notation) on two person records.
    IdNumber,
    /// One token serial on two token records.
    TokenSerial,
}

impl ConflictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::IdNumber => "id_number",
            ConflictKind::TokenSerial => "token_serial",
        }
    }

    pub fn parse(text: &str) -> Option<ConflictKind> {
        match text {
            "id_number" => Some(ConflictKind::IdNumber),
            "token_serial" => Some(ConflictKind::TokenSerial),
            _ => None,
        }
    }
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The key a record of `kind` with this state may conflict on, if any: a person's identity
/// document as `KIND:NUMBER` (the number normalised for its kind, else letters and digits upper
/// case), a token's serial upper case.
pub fn key_of(kind: RecordKind, state: &Map<String, Value>) -> Option<(ConflictKind, String)> {
    match kind {
        RecordKind::Person => {
            let document: IdDocument =
                serde_json::from_value(state.get("id_document")?.clone()).ok()?;
            let number = document.normalised_number().unwrap_or_else(|_| {
                crate::text::fold_width(document.number.expose())
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_uppercase())
                    .collect()
            });
            if number.is_empty() {
                return None;
            }
            let kind = serde_json::to_value(document.kind).ok()?;
            Some((ConflictKind::IdNumber, format!("{}:{number}", kind.as_str()?)))
        }
        RecordKind::Token => {
            let serial = state.get("serial")?.as_str()?.trim().to_ascii_uppercase();
            (!serial.is_empty()).then_some((ConflictKind::TokenSerial, serial))
        }
        _ => None,
    }
}

/// A key as a supervisor may see it: an identity document's number masked to its last four
/// characters (as search shows numbers), a token serial whole.
pub fn shown_key(kind: ConflictKind, key: &str) -> String {
    match kind {
        ConflictKind::TokenSerial => key.to_owned(),
        ConflictKind::IdNumber => {
            let (document, number) = key.split_once(':').unwrap_or(("", key));
            let chars: Vec<char> = number.chars().collect();
            let keep = chars.len().min(4);
            let masked: String = std::iter::repeat_n('*', chars.len() - keep)
                .chain(chars[chars.len() - keep..].iter().copied())
                .collect();
            format!("{document}:{masked}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn one_document_in_any_notation_is_one_key_and_serials_ignore_case() {
        let person = |number: &str| {
            map(
                json!({"id_document": {"kind": "macau_resident", "number": number, "issuing_state": null, "expiry": null}}),
            )
        };
        let a = key_of(RecordKind::Person, &person("1234567(8)"));
        let b = key_of(RecordKind::Person, &person("１２３４５６７（８）"));
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_ne!(a, key_of(RecordKind::Person, &person("7654321(0)")));
        let token = |s: &str| map(json!({"serial": s}));
        assert_eq!(
            key_of(RecordKind::Token, &token("ab12 ")),
            Some((ConflictKind::TokenSerial, "AB12".into()))
        );
        assert_eq!(key_of(RecordKind::Token, &token("")), None);
        assert_eq!(
            key_of(RecordKind::Person, &map(json!({"name_zh": "陳"}))),
            None,
            "not whole yet"
        );
        assert_eq!(key_of(RecordKind::Seal, &token("AB12")), None);
    }

    #[test]
    fn shown_numbers_are_masked_to_their_last_four() {
        assert_eq!(
            shown_key(ConflictKind::IdNumber, "macau_resident:12345678"),
            "macau_resident:****5678"
        );
        assert_eq!(shown_key(ConflictKind::IdNumber, "passport:AB1"), "passport:AB1");
        assert_eq!(shown_key(ConflictKind::TokenSerial, "AB12"), "AB12");
    }
}
