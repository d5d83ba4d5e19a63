//! Organisations, the people in them, and what an administrator lets them use.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Record, RecordId, RecordKind, Sensitive, plausible_email};
use crate::problem::codes;
use crate::{Problem, Problems, ids};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: RecordId,
    /// Registered name in Chinese (澳門郵電局); the invoice title must equal it.
    pub name_zh: Option<String>,
    pub name_latin: Option<String>,
    pub registration: OrganisationRegistration,
    /// The legal representative's person record.
    pub legal_representative: Option<RecordId>,
    /// Validity of the business licence, when it has one.
    pub licence_valid_until: Option<Date>,
    pub address: Option<String>,
    pub phone: Option<Sensitive>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRegistration {
    pub kind: RegistrationKind,
    pub number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationKind {
    /// Unified Social Credit Code (統一社會信用代碼), 18 characters, GB 32100.
    Uscc,
    /// Macau commercial and movable property registry number.
    MacauCommercialRegistry,
    Other,
}

impl Organisation {
    /// The name an invoice title must equal: the Chinese name where there is one.
    pub fn official_name(&self) -> Option<&str> {
        self.name_zh.as_deref().or(self.name_latin.as_deref())
    }
}

impl Record for Organisation {
    const KIND: RecordKind = RecordKind::Organisation;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&self.name_zh) && blank(&self.name_latin) {
            p.push("name", codes::REQUIRED);
        }
        let number = self.registration.number.trim();
        if number.is_empty() {
            p.push("registration.number", codes::REQUIRED);
        } else if self.registration.kind == RegistrationKind::Uscc {
            p.check(ids::check_uscc(number).is_err(), "registration.number", codes::INVALID_USCC);
        }
        p.finish()
    }
}

/// A person's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Administrator,
    LegalRepresentative,
    Employee,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub id: RecordId,
    pub organisation: RecordId,
    pub person: RecordId,
    pub role: MemberRole,
    /// Set when the membership ends (an administrator hands over, an employee leaves).
    pub ended: Option<Date>,
}

impl Record for Membership {
    const KIND: RecordKind = RecordKind::Membership;

    fn id(&self) -> RecordId {
        self.id
    }
}

/// What an administrator lets an employee use: an organisation certificate or seal, for a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authorisation {
    pub id: RecordId,
    pub organisation: RecordId,
    pub grantee: RecordId,
    pub granted_by: RecordId,
    pub object: AuthorisedObject,
    pub valid_from: Date,
    pub valid_until: Date,
    pub status: AuthorisationStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum AuthorisedObject {
    Certificate(RecordId),
    Seal(RecordId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorisationStatus {
    Active,
    /// Temporarily withdrawn; the administrator can restore it.
    Withdrawn,
    /// Ended for good.
    Cancelled,
}

impl Authorisation {
    pub fn in_force_on(&self, day: Date) -> bool {
        self.status == AuthorisationStatus::Active
            && self.valid_from <= day
            && day <= self.valid_until
    }
}

impl Record for Authorisation {
    const KIND: RecordKind = RecordKind::Authorisation;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(self.valid_until < self.valid_from, "valid_until", codes::DATE_ORDER);
        p.finish()
    }

    /// A cancelled authorisation is over; a withdrawn one can be restored.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        if let Some(before) = before {
            p.check(
                before.status == AuthorisationStatus::Cancelled
                    && after.status != AuthorisationStatus::Cancelled,
                "status",
                codes::CHANGE_NOT_ALLOWED,
            );
        }
        p.finish()
    }
}

/// Invoice details an organisation gives with its order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDetails {
    pub kind: InvoiceKind,
    /// Must equal the organisation's registered name.
    pub title: String,
    pub taxpayer_id: String,
    pub email: String,
    /// A VAT special invoice's bank (開戶銀行), account number and registered address and
    /// phone (地址、電話): required for it, unused on an ordinary e-invoice. Records from before
    /// the phone was asked for have none.
    #[serde(default)]
    pub bank: Option<String>,
    #[serde(default)]
    pub bank_account: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    /// 普通电子发票
    OrdinaryElectronic,
    /// 增值税专用发票: needs the bank, account, registered address and phone too.
    VatSpecial,
}

impl InvoiceDetails {
    pub fn validate(&self, organisation: &Organisation) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        let title = self.title.trim();
        if title.is_empty() {
            p.push("title", codes::REQUIRED);
        } else {
            let matches = [organisation.name_zh.as_deref(), organisation.name_latin.as_deref()]
                .into_iter()
                .flatten()
                .any(|name| name.trim() == title);
            p.check(!matches, "title", codes::TITLE_NOT_ORGANISATION);
        }
        let taxpayer = self.taxpayer_id.trim();
        if taxpayer.is_empty() {
            p.push("taxpayer_id", codes::REQUIRED);
        } else if taxpayer.len() == 18 {
            p.check(ids::check_uscc(taxpayer).is_err(), "taxpayer_id", codes::INVALID_USCC);
        } else {
            // Older taxpayer IDs are 15 or 20 characters; accept alphanumerics of those lengths.
            let ok = matches!(taxpayer.len(), 15 | 20)
                && taxpayer.chars().all(|c| c.is_ascii_alphanumeric());
            p.check(!ok, "taxpayer_id", codes::INVALID_TAXPAYER_ID);
        }
        p.check(!plausible_email(self.email.trim()), "email", codes::INVALID_EMAIL);
        if self.kind == InvoiceKind::VatSpecial {
            let missing = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
            p.check(missing(&self.bank), "bank", codes::REQUIRED);
            p.check(missing(&self.bank_account), "bank_account", codes::REQUIRED);
            p.check(missing(&self.address), "address", codes::REQUIRED);
            p.check(missing(&self.phone), "phone", codes::REQUIRED);
        }
        p.finish()
    }
}
