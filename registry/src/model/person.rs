//! Natural persons and the identity documents they present at the counter.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Record, RecordId, RecordKind, Sensitive, normalise_phone, plausible_email};
use crate::problem::codes;
use crate::{Problem, Problems, ids};

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: RecordId,
    /// Name in Chinese characters (陳大文), when the person has one.
    pub name_zh: Option<String>,
    /// Name in Latin letters as on the travel document (CHAN TAI MAN).
    pub name_latin: Option<String>,
    pub id_document: IdDocument,
    /// ISO 3166-1 alpha-3, as in the MRZ (CHN, MAC, PRT…).
    pub nationality: Option<String>,
    pub birth_date: Option<Date>,
    pub sex: Option<Sex>,
    pub phone: Option<Sensitive>,
    pub email: Option<String>,
    /// Content hash of the photo taken at the counter; the image itself lives in the blob store.
    pub photo: Option<String>,
}

/// Names, dates of birth and contact details are personal data: `Debug` shows only what a log
/// may hold.
impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.id)
            .field("id_document", &self.id_document)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdDocument {
    pub kind: IdDocumentKind,
    pub number: Sensitive,
    /// ISO 3166-1 alpha-3 of the issuer, for passports and permits.
    pub issuing_state: Option<String>,
    pub expiry: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDocumentKind {
    /// Macau resident identity card (BIR).
    MacauResident,
    /// Mainland resident identity card (18 digits, GB 11643).
    MainlandResident,
    HongKongResident,
    Passport,
    ResidencePermit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    F,
    M,
    X,
}

impl IdDocument {
    /// The number in the one form search and comparison use, when it is valid for its kind.
    pub fn normalised_number(&self) -> Result<String, Problem> {
        let raw = self.number.expose();
        let checked = match self.kind {
            IdDocumentKind::MainlandResident => ids::check_cn_resident(raw).ok(),
            IdDocumentKind::HongKongResident => ids::check_hk(raw).ok(),
            IdDocumentKind::MacauResident => ids::check_mo(raw).ok(),
            IdDocumentKind::Passport | IdDocumentKind::ResidencePermit => {
                // Full-width letters and digits (a CJK keyboard) are the same number.
                let n: String = crate::text::fold_width(raw).trim().to_ascii_uppercase();
                let ok =
                    (5..=20).contains(&n.len()) && n.chars().all(|c| c.is_ascii_alphanumeric());
                ok.then_some(n)
            }
        };
        checked.ok_or_else(|| Problem::new("number", codes::INVALID_ID_NUMBER))
    }

    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        if self.number.expose().trim().is_empty() {
            p.push("number", codes::REQUIRED);
        } else if let Err(problem) = self.normalised_number() {
            p.push(problem.field, problem.code);
        }
        let needs_issuer =
            matches!(self.kind, IdDocumentKind::Passport | IdDocumentKind::ResidencePermit);
        p.check(needs_issuer && self.issuing_state.is_none(), "issuing_state", codes::REQUIRED);
        p.finish()
    }
}

impl Record for Person {
    const KIND: RecordKind = RecordKind::Person;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&self.name_zh) && blank(&self.name_latin) {
            p.push("name", codes::REQUIRED);
        }
        p.extend_nested("id_document", self.id_document.validate());
        if let Some(nat) = &self.nationality {
            p.check(!is_country_code(nat), "nationality", codes::INVALID_COUNTRY);
        }
        if let Some(phone) = &self.phone {
            let digits = normalise_phone(phone.expose());
            let n = digits.trim_start_matches('+').len();
            p.check(!(6..=15).contains(&n), "phone", codes::INVALID_PHONE);
        }
        if let Some(email) = &self.email {
            p.check(!plausible_email(email), "email", codes::INVALID_EMAIL);
        }
        if let (Some(birth), Some(expiry)) = (self.birth_date, self.id_document.expiry) {
            p.check(expiry <= birth, "id_document.expiry", codes::DATE_ORDER);
        }
        p.finish()
    }
}

/// Three capital letters, as ICAO writes states (with `D` for Germany as the one exception).
pub fn is_country_code(code: &str) -> bool {
    code == "D" || (code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()))
}
