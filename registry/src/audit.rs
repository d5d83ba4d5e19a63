//! Audit events: who did what at which counter, kept as records that replicate like any other.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::{Record, RecordId, RecordKind};
use crate::problem::codes;
use crate::{Problem, Problems};

/// What happened. Never carries personal data or secrets: subjects are named by record id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuditAction {
    RecordCreated,
    RecordUpdated {
        fields: Vec<String>,
    },
    ApplicationTransition {
        action: String,
        from: String,
        to: String,
    },
    ClerkSignedIn,
    ClerkSignInFailed,
    DemoProvisioned,
    StoreExported,
    CaInitialised,
    CaImported,
    CrlIssued {
        crl_number: String,
        revoked: u32,
    },
    CertificateIssued {
        profile: String,
        medium: String,
    },
    CertificateRenewed {
        same_key: bool,
    },
    CertificateChanged,
    CertificateReplaced,
    CertificateRevoked {
        reason: String,
    },
    TokenPinChanged,
    TokenPinFailed {
        failures: u32,
    },
    TokenLocked,
    TokenUnlocked,
    TokenReported {
        status: String,
    },
    /// A supervisor cancelled a print job (`job`: its id in the print spool); its PDF was erased.
    PrintJobCancelled {
        job: String,
    },
    /// An appointment was checked in at the counter by its QR pass (the subject names it).
    AppointmentCheckedIn,
    /// A walk-in queue ticket was issued (the subject names it; its number is on the record).
    WalkInTicketIssued,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: RecordId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub kiosk: String,
    pub clerk: Option<RecordId>,
    pub action: AuditAction,
    pub subject_kind: Option<RecordKind>,
    pub subject: Option<RecordId>,
}

impl Record for AuditEvent {
    const KIND: RecordKind = RecordKind::AuditEvent;

    fn id(&self) -> RecordId {
        self.id
    }

    /// What happened stays as it was written.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(before.is_some_and(|b| b != after), "audit_event", codes::CHANGE_NOT_ALLOWED);
        p.finish()
    }
}
