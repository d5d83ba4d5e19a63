//! The registry's records: every kind the store keeps, with their validation.

mod certificate;
mod organisation;
mod person;
mod service;
mod staff;

pub use certificate::*;
pub use organisation::*;
pub use person::*;
pub use service::*;
pub use staff::*;

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::Problem;

/// Records are identified by ULIDs: unique without coordination, so offline kiosks never collide.
pub type RecordId = ulid::Ulid;

/// Every kind of record the store keeps. The text form is the `kind` of exports and events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Person,
    Organisation,
    Membership,
    Authorisation,
    Certificate,
    Token,
    Seal,
    Application,
    Appointment,
    WalkInTicket,
    Clerk,
    AuditEvent,
    /// A counter's day closed by a supervisor (`registry::day_end`).
    DayEnd,
}

impl RecordKind {
    pub const ALL: [RecordKind; 13] = [
        RecordKind::Person,
        RecordKind::Organisation,
        RecordKind::Membership,
        RecordKind::Authorisation,
        RecordKind::Certificate,
        RecordKind::Token,
        RecordKind::Seal,
        RecordKind::Application,
        RecordKind::Appointment,
        RecordKind::WalkInTicket,
        RecordKind::Clerk,
        RecordKind::AuditEvent,
        RecordKind::DayEnd,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Person => "person",
            RecordKind::Organisation => "organisation",
            RecordKind::Membership => "membership",
            RecordKind::Authorisation => "authorisation",
            RecordKind::Certificate => "certificate",
            RecordKind::Token => "token",
            RecordKind::Seal => "seal",
            RecordKind::Application => "application",
            RecordKind::Appointment => "appointment",
            RecordKind::WalkInTicket => "walk_in_ticket",
            RecordKind::Clerk => "clerk",
            RecordKind::AuditEvent => "audit_event",
            RecordKind::DayEnd => "day_end",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record the store can keep. Its serde form is a flat JSON object whose top-level fields are
/// the unit of change and of merge: two kiosks editing different fields never conflict.
pub trait Record: Serialize + DeserializeOwned + Clone {
    const KIND: RecordKind;
    fn id(&self) -> RecordId;
    /// Every problem at once; an empty list is `Ok`.
    fn validate(&self) -> Result<(), Vec<Problem>> {
        Ok(())
    }

    /// Whether a write may take the record from `before` (`None`: it is new) to `after`: where a
    /// record has a lifecycle, a plain write cannot skip it.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let _ = (before, after);
        Ok(())
    }
}

/// How final a field's value is, for merging writes made concurrently on two counters. A higher
/// rank wins whatever the clocks say — a revocation on one counter is never undone by a
/// suspension made meanwhile on another, a lost token never turns blank again — and equal ranks
/// fall back to the later write. Ranks only go up along each lifecycle, so this agrees with
/// `Record::check_change`.
pub fn merge_rank(kind: RecordKind, field: &str, value: &serde_json::Value) -> u8 {
    let text = value.as_str();
    match (kind, field) {
        (RecordKind::Certificate, "status") => match text {
            Some("revoked") => 2,
            Some("expired") => 1,
            _ => 0,
        },
        (RecordKind::Certificate, "revocation") => u8::from(!value.is_null()),
        (RecordKind::Token, "status") => match text {
            Some("lost" | "retired") => 2,
            Some("damaged") => 1,
            _ => 0,
        },
        (RecordKind::Seal, "status") => u8::from(text == Some("revoked")),
        (RecordKind::Authorisation, "status") => u8::from(text == Some("cancelled")),
        (RecordKind::Appointment, "status") => {
            u8::from(matches!(text, Some("served" | "cancelled")))
        }
        (RecordKind::WalkInTicket, "status") => u8::from(text == Some("served")),
        (RecordKind::Application, "progress") => {
            let state = value.get("state").and_then(|s| s.as_str());
            u8::from(matches!(state, Some("completed" | "rejected" | "cancelled")))
        }
        _ => 0,
    }
}

/// Personal data (ID numbers, phone numbers) that must never reach a log: `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive(String);

impl Sensitive {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for storage, search and display to the clerk — never for logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

/// An amount of money in minor units (avos, fen, cents), so sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(major: i64, currency: Currency) -> Self {
        Self { minor: major * 100, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        write!(f, "{} {sign}{}.{:02}", self.currency.code(), abs / 100, abs % 100)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Currency {
    #[serde(rename = "MOP")]
    Mop,
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "HKD")]
    Hkd,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Mop => "MOP",
            Currency::Cny => "CNY",
            Currency::Hkd => "HKD",
        }
    }
}

/// A loose e-mail check: something@something.tld with no spaces. The 6-digit code sent to it is
/// the real check; this only catches typing slips at the counter.
pub fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

/// Phone numbers as typed at the counter (`+853 6612 3456`, `(020) 8888-1234`, or full-width
/// `＋８５３ ６６１２ ３４５６` from a CJK keyboard) reduced to ASCII digits and a leading `+`,
/// which is what search matches on.
pub fn normalise_phone(phone: &str) -> String {
    let mut out = String::new();
    for (i, c) in crate::text::fold_width(phone).trim().chars().enumerate() {
        if c.is_ascii_digit() || (c == '+' && i == 0) {
            out.push(c);
        }
    }
    out
}
