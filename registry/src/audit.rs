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
    /// A clerk signed in with password and code. `totp_step` is the step of the code they
    /// typed (time / period, not the code): a later sign-in must use a later step, so a code is
    /// good once. Absent in events written before sign-in had codes.
    ClerkSignedIn {
        #[serde(default)]
        totp_step: Option<u64>,
    },
    /// A sign-in step failed: which one, never what was typed. `subject` names the clerk when the
    /// user name is one; an unknown name is recorded with no subject (what was typed may be a
    /// person's name, or a password typed into the wrong box).
    ClerkSignInFailed {
        #[serde(default)]
        step: SignInStep,
    },
    /// `failures` failed steps in a row locked the clerk (the lock's length is the kiosk's
    /// configuration, `signin_lockout_minutes`).
    ClerkLocked {
        failures: u32,
    },
    /// `kiosk clerk add`: a clerk account was made (subject: the clerk).
    ClerkAdded,
    /// `kiosk clerk disable`.
    ClerkDisabled,
    /// `kiosk clerk reset-totp`: the clerk's one-time code secret was replaced.
    ClerkTotpReset,
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
    /// A step of a counter visit and how it ended (the subject is the application). What was
    /// typed or read (numbers, names, codes) is never here: it is on the records, or nowhere.
    VisitStep {
        step: crate::visit::Step,
        outcome: StepOutcome,
    },
    /// An employee was let use an organisation certificate or seal for `years` (the subject is
    /// the authorisation; who and what are on it).
    AuthorisationGranted {
        years: u8,
    },
    /// An authorisation's certificate or seal, or its years, changed.
    AuthorisationChanged {
        years: u8,
    },
    /// An authorisation withdrawn for a while (临时取消授权).
    AuthorisationWithdrawn,
    /// A withdrawn authorisation given back.
    AuthorisationRestored,
    /// An authorisation ended for good (注销授权).
    AuthorisationEnded,
    /// The administrator role was handed over (the subject is the new administrator's
    /// membership; `previous`, the outgoing administrators' memberships, ended). Never done
    /// without the signed transfer letter: `letter_collected_on` is the office day the counter
    /// took it.
    AdministratorTransferred {
        previous: Vec<RecordId>,
        letter_collected_on: time::Date,
    },
    /// A change to an organisation's members or authorisations was refused: which (`action`)
    /// and the message the clerk read (the subject is the organisation or the authorisation).
    MembersActionRefused {
        action: String,
        message: String,
    },
}

/// How a visit's step ended, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum StepOutcome {
    /// The step recorded its fact.
    Done,
    /// Something the step did or checked was refused: the message id says what.
    Refused { message: String },
    /// A supervisor let the visit past the step; the reason is on the application.
    Skipped { by: RecordId },
    /// A supervisor accepted what the step refused (a failed identity check).
    Overridden { by: RecordId },
    /// A supervisor approved the application.
    Approved { by: RecordId },
    /// A document of the step went to the print spool (or its PDF was written): the step is
    /// done when its signed copy comes back.
    Printed { job: String },
    /// The step began something that is finished elsewhere (a code mailed, or queued).
    Started,
    /// The application was cancelled at this step: by the clerk before any payment, else by
    /// the supervisor named (a refund; the reason is on the application).
    Cancelled { by: RecordId },
}

/// Which step of sign-in failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInStep {
    /// Events from before sign-in had two steps say nothing, and only had the password.
    #[default]
    Password,
    Code,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_events_from_before_codes_still_read() {
        let failed: AuditAction =
            serde_json::from_str(r#"{"type":"clerk_sign_in_failed"}"#).expect("reads");
        assert_eq!(failed, AuditAction::ClerkSignInFailed { step: SignInStep::Password });
        let signed_in: AuditAction =
            serde_json::from_str(r#"{"type":"clerk_signed_in"}"#).expect("reads");
        assert_eq!(signed_in, AuditAction::ClerkSignedIn { totp_step: None });
        let code = AuditAction::ClerkSignInFailed { step: SignInStep::Code };
        let json = serde_json::to_string(&code).expect("json");
        assert_eq!(json, r#"{"type":"clerk_sign_in_failed","step":"code"}"#);
    }
}
