//! Certificates, the USB tokens that carry them, and the seals tied to them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Record, RecordId, RecordKind};
use crate::problem::codes;
use crate::{Problem, Problems};

/// The assurance class of a certificate (合格證書, 標準證書, 加密證書, 雲簽).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateClass {
    Qualified,
    Standard,
    Encryption,
    /// Cloud signing: keys held by the CA and activated online only, never at the counter.
    CloudSign,
}

impl CertificateClass {
    pub const ALL: [CertificateClass; 4] = [
        CertificateClass::Qualified,
        CertificateClass::Standard,
        CertificateClass::Encryption,
        CertificateClass::CloudSign,
    ];

    pub fn issued_at_counter(self) -> bool {
        self != CertificateClass::CloudSign
    }
}

/// Whom a certificate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderKind {
    Organisation,
    Person,
    PersonInOrganisation,
    LegalRepresentative,
}

impl HolderKind {
    pub const ALL: [HolderKind; 4] = [
        HolderKind::Organisation,
        HolderKind::Person,
        HolderKind::PersonInOrganisation,
        HolderKind::LegalRepresentative,
    ];

    pub fn belongs_to_organisation(self) -> bool {
        self != HolderKind::Person
    }
}

/// The subject distinguished name. The DN is a map: one value per attribute.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SubjectDn {
    pub cn: String,
    pub ou: Option<String>,
    pub o: Option<String>,
    pub l: Option<String>,
    pub st: Option<String>,
    /// ISO 3166-1 alpha-2 (MO, CN).
    pub c: Option<String>,
    pub serial_number: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// Requested, not yet issued: no serial, no validity yet.
    Pending,
    Valid,
    Suspended,
    Revoked,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: RecordId,
    pub class: CertificateClass,
    pub holder_kind: HolderKind,
    pub subject: SubjectDn,
    /// Hex, lower case, as the CA assigned it.
    pub serial: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub not_before: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub not_after: Option<OffsetDateTime>,
    pub validity_years: u8,
    pub status: CertificateStatus,
    pub holder_person: Option<RecordId>,
    pub holder_organisation: Option<RecordId>,
    pub token: Option<RecordId>,
    /// The organisation confirmed this certificate for renewal (renewal-due list, seed 000).
    pub renewal_confirmed: bool,
    /// The holder's revocation phrase, hashed (a PHC string): given back, it lets them revoke
    /// without a supervisor. Set at the counter when the certificate is issued.
    #[serde(default)]
    pub revocation_phrase: Option<String>,
    pub revocation: Option<Revocation>,
    /// How and by whom the certificate was made, once the office CA signed it.
    #[serde(default)]
    pub issuance: Option<Issuance>,
}

/// The facts of an issuance the counter needs later: to find the certificate on its token, to
/// list it in its CA's CRL, to show what it renewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuance {
    /// The certificate profile (`qualified-person`, …).
    pub profile: String,
    /// SHA-256 of the DER certificate, hex.
    pub sha256: String,
    /// The issuing CA's subject key identifier, hex: whose CRL lists this certificate.
    pub issuer_key_id: String,
    /// Where the private key lives.
    pub medium: KeyMedium,
    /// The PKCS#11 CKA_ID shared by the key pair and the certificate on the token, hex.
    pub key_id: Option<String>,
    /// `rsa2048`, `rsa3072` or `p256`.
    pub key_type: String,
    /// The certificate this one renews, changes or replaces.
    pub previous: Option<RecordId>,
    /// The DER certificate, base64: public, and kept so the CA can rewrite a token or publish.
    pub der_base64: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyMedium {
    /// Generated on a USB token; it never leaves it.
    Token,
    /// A password-protected PKCS#12 file, where the profile allows a soft token.
    Pkcs12,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revocation {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub reason: RevocationReason,
}

/// RFC 5280 reason codes the counter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RevocationReason {
    Unspecified,
    KeyCompromise,
    AffiliationChanged,
    Superseded,
    CessationOfOperation,
}

/// The first and last year counts a certificate can be issued for.
pub const VALIDITY_YEARS: std::ops::RangeInclusive<u8> = 1..=5;

impl Certificate {
    /// Revocation is final, and takes the certificate's seals with it (seed 003).
    pub fn revoke(
        &mut self,
        at: OffsetDateTime,
        reason: RevocationReason,
        seals: &mut [Seal],
    ) -> Result<(), LifecycleError> {
        match self.status {
            CertificateStatus::Revoked => return Err(LifecycleError::AlreadyRevoked),
            CertificateStatus::Pending => return Err(LifecycleError::NotIssued),
            _ => {}
        }
        self.status = CertificateStatus::Revoked;
        self.revocation = Some(Revocation { at, reason });
        for seal in seals.iter_mut().filter(|s| s.certificate == Some(self.id)) {
            seal.status = SealStatus::Revoked;
        }
        Ok(())
    }

    /// Whole calendar days left until expiry, counted in `now`'s time zone (negative once
    /// expired); `None` before issuance.
    pub fn days_left(&self, now: OffsetDateTime) -> Option<i64> {
        self.not_after.map(|end| (end.to_offset(now.offset()).date() - now.date()).whole_days())
    }
}

impl Record for Certificate {
    const KIND: RecordKind = RecordKind::Certificate;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(self.subject.cn.trim().is_empty(), "subject.cn", codes::REQUIRED);
        p.check(
            !VALIDITY_YEARS.contains(&self.validity_years),
            "validity_years",
            codes::VALIDITY_YEARS,
        );
        if let Some(c) = &self.subject.c {
            let ok = c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase());
            p.check(!ok, "subject.c", codes::INVALID_COUNTRY);
        }
        let issued = self.status != CertificateStatus::Pending;
        if issued {
            p.check(self.serial.is_none(), "serial", codes::REQUIRED);
            p.check(self.not_after.is_none(), "not_after", codes::REQUIRED);
        }
        if let Some(serial) = &self.serial {
            let ok = !serial.is_empty()
                && serial.len() <= 40
                && serial.chars().all(|c| c.is_ascii_hexdigit());
            p.check(!ok, "serial", codes::INVALID_SERIAL);
        }
        if let (Some(start), Some(end)) = (self.not_before, self.not_after) {
            p.check(end <= start, "not_after", codes::DATE_ORDER);
        }
        // Holder links are required on what the counter's wizards make; a certificate issued by
        // a script (`kiosk token issue`) may name its subject in the DN alone, until linked.
        if self.issuance.is_none() {
            if self.holder_kind.belongs_to_organisation() {
                p.check(self.holder_organisation.is_none(), "holder_organisation", codes::REQUIRED);
            }
            if self.holder_kind != HolderKind::Organisation {
                p.check(self.holder_person.is_none(), "holder_person", codes::REQUIRED);
            }
        }
        p.check(
            self.status == CertificateStatus::Revoked && self.revocation.is_none(),
            "revocation",
            codes::REQUIRED,
        );
        p.finish()
    }

    /// A certificate moves only along its lifecycle (pending → valid ⇄ suspended → expired or
    /// revoked), and an issued certificate keeps its serial and its revocation details.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        use CertificateStatus::*;
        let mut p = Problems::new();
        if let Some(before) = before {
            let allowed = before.status == after.status
                || matches!(
                    (before.status, after.status),
                    (Pending, Valid)
                        | (Valid, Suspended | Revoked | Expired)
                        | (Suspended, Valid | Revoked | Expired)
                );
            p.check(!allowed, "status", codes::CHANGE_NOT_ALLOWED);
            p.check(
                before.serial.is_some() && after.serial != before.serial,
                "serial",
                codes::CHANGE_NOT_ALLOWED,
            );
            p.check(
                before.revocation.is_some() && after.revocation != before.revocation,
                "revocation",
                codes::CHANGE_NOT_ALLOWED,
            );
            p.check(
                before.issuance.is_some() && after.issuance != before.issuance,
                "issuance",
                codes::CHANGE_NOT_ALLOWED,
            );
        }
        p.finish()
    }
}

/// A token's place in its life. A lost token is never unlocked or reissued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Blank,
    Issued,
    Lost,
    Damaged,
    Retired,
}

impl TokenStatus {
    /// Whether a token may go from `self` to `next`, and why not.
    pub fn transition(self, next: TokenStatus) -> Result<TokenStatus, LifecycleError> {
        use TokenStatus::*;
        let allowed = matches!(
            (self, next),
            (Blank, Issued)
                | (Blank, Damaged)
                | (Blank, Retired)
                | (Blank, Lost)
                | (Issued, Lost)
                | (Issued, Damaged)
                | (Issued, Retired)
                // A token is wiped and goes back to stock after its certificate is revoked.
                | (Issued, Blank)
                | (Damaged, Retired)
        );
        if allowed {
            Ok(next)
        } else if self == Lost {
            Err(LifecycleError::TokenLost)
        } else {
            Err(LifecycleError::TokenTransition { from: self, to: next })
        }
    }

    pub fn can_be_unlocked(self) -> Result<(), LifecycleError> {
        match self {
            TokenStatus::Issued => Ok(()),
            TokenStatus::Lost => Err(LifecycleError::TokenLost),
            other => Err(LifecycleError::TokenNotInUse(other)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub id: RecordId,
    /// The serial (chip number) printed on the key; the unlock route depends on its prefix.
    pub serial: String,
    pub model: Option<String>,
    pub status: TokenStatus,
    pub holder_person: Option<RecordId>,
    pub holder_organisation: Option<RecordId>,
    /// Wrong user PINs in a row. Tokens such as SoftHSM2 never lock themselves, so the kiosk
    /// counts and stops using the token at the configured limit until it is unlocked.
    #[serde(default)]
    pub pin_failures: u32,
}

impl Record for Token {
    const KIND: RecordKind = RecordKind::Token;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(self.serial.trim().is_empty(), "serial", codes::REQUIRED);
        p.finish()
    }

    /// A token moves only along its lifecycle: a lost token never comes back.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        if let Some(before) = before {
            let moved = before.status != after.status;
            p.check(
                moved && before.status.transition(after.status).is_err(),
                "status",
                codes::CHANGE_NOT_ALLOWED,
            );
        }
        p.finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealKind {
    /// 機構印章
    Organisation,
    /// 法定代表人印章
    LegalRepresentative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealStatus {
    Active,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seal {
    pub id: RecordId,
    pub organisation: RecordId,
    /// Not `kind`: exports put the record's kind under that name.
    pub seal_kind: SealKind,
    pub name: String,
    /// The certificate the seal signs with; revoking it revokes the seal.
    pub certificate: Option<RecordId>,
    pub status: SealStatus,
}

impl Record for Seal {
    const KIND: RecordKind = RecordKind::Seal;

    fn id(&self) -> RecordId {
        self.id
    }

    /// A revoked seal stays revoked.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        if let Some(before) = before {
            p.check(
                before.status == SealStatus::Revoked && after.status != SealStatus::Revoked,
                "status",
                codes::CHANGE_NOT_ALLOWED,
            );
        }
        p.finish()
    }
}

/// Why a certificate or token cannot make the change asked of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("the certificate is already revoked; revocation cannot be undone")]
    AlreadyRevoked,
    #[error("the certificate has not been issued yet")]
    NotIssued,
    #[error("the token was reported lost: it is never unlocked or reissued")]
    TokenLost,
    #[error("a token that is {0:?} is not in use")]
    TokenNotInUse(TokenStatus),
    #[error("a token cannot go from {from:?} to {to:?}")]
    TokenTransition { from: TokenStatus, to: TokenStatus },
}

impl LifecycleError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "lifecycle-already-revoked",
        "lifecycle-not-issued",
        "lifecycle-token-lost",
        "lifecycle-token-not-in-use",
        "lifecycle-token-transition",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            LifecycleError::AlreadyRevoked => "lifecycle-already-revoked",
            LifecycleError::NotIssued => "lifecycle-not-issued",
            LifecycleError::TokenLost => "lifecycle-token-lost",
            LifecycleError::TokenNotInUse(_) => "lifecycle-token-not-in-use",
            LifecycleError::TokenTransition { .. } => "lifecycle-token-transition",
        }
    }
}
