//! Applications — the unit of counter work — and the state machine that moves them along.
//!
//! Draft → under review → (awaiting supervisor approval) → (awaiting payment) → awaiting
//! fulfilment (installation on the token, or dispatch) → completed; rejected and cancelled end
//! early. Identity data that changed after submission sends it back to a draft to be vetted
//! again, its payment kept. `Application::apply` is the only way a state changes, and it says why when it refuses.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::model::{
    CertificateClass, HolderKind, InvoiceDetails, Money, Organisation, Record, RecordId,
    RecordKind, Service, StaffRole, VALIDITY_YEARS,
};
use crate::problem::codes;
use crate::{Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// Data and documents being collected at the counter.
    Draft,
    /// 資料待審核: identity and documents being vetted.
    UnderReview,
    /// Needs a supervisor: revocation without the phrase, PIN unlock, identity-check override.
    AwaitingApproval,
    /// 待付款
    AwaitingPayment,
    /// 待發貨 / 待安裝: the certificate is to be installed on the token, or the token dispatched.
    AwaitingFulfilment,
    /// 完成
    Completed,
    Rejected,
    Cancelled,
}

impl ApplicationState {
    pub const ALL: [ApplicationState; 8] = [
        ApplicationState::Draft,
        ApplicationState::UnderReview,
        ApplicationState::AwaitingApproval,
        ApplicationState::AwaitingPayment,
        ApplicationState::AwaitingFulfilment,
        ApplicationState::Completed,
        ApplicationState::Rejected,
        ApplicationState::Cancelled,
    ];

    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationState::Completed | ApplicationState::Rejected | ApplicationState::Cancelled
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationState::Draft => "draft",
            ApplicationState::UnderReview => "under_review",
            ApplicationState::AwaitingApproval => "awaiting_approval",
            ApplicationState::AwaitingPayment => "awaiting_payment",
            ApplicationState::AwaitingFulfilment => "awaiting_fulfilment",
            ApplicationState::Completed => "completed",
            ApplicationState::Rejected => "rejected",
            ApplicationState::Cancelled => "cancelled",
        }
    }
}

/// Papers collected at the counter (seed 002's attachments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The printed application form, signed and stamped, scanned back.
    SignedApplicationForm,
    SealSampleForm,
    BusinessLicence,
    LegalRepresentativeId,
    AgentId,
    ApplicantId,
}

impl DocumentKind {
    /// Every kind, in declaration order.
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::SignedApplicationForm,
        DocumentKind::SealSampleForm,
        DocumentKind::BusinessLicence,
        DocumentKind::LegalRepresentativeId,
        DocumentKind::AgentId,
        DocumentKind::ApplicantId,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::SignedApplicationForm => "signed_application_form",
            DocumentKind::SealSampleForm => "seal_sample_form",
            DocumentKind::BusinessLicence => "business_licence",
            DocumentKind::LegalRepresentativeId => "legal_representative_id",
            DocumentKind::AgentId => "agent_id",
            DocumentKind::ApplicantId => "applicant_id",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub amount: Money,
    /// Receipt or payment-terminal reference.
    pub reference: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Where an application stands. One field of the application, so that replicas merge it as a
/// whole: a state never ends up beside another replica's payment or approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub state: ApplicationState,
    pub fee: Option<Money>,
    pub payment: Option<Payment>,
    pub submitted_by: Option<RecordId>,
    pub approved_by: Option<RecordId>,
    pub rejection_reason: Option<String>,
}

impl Progress {
    /// A new application's progress: a draft, nothing decided.
    pub fn draft() -> Self {
        Self {
            state: ApplicationState::Draft,
            fee: None,
            payment: None,
            submitted_by: None,
            approved_by: None,
            rejection_reason: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: RecordId,
    /// The reference printed on forms and receipts.
    pub reference: String,
    pub service: Service,
    /// Changed only by [`Application::apply`].
    pub progress: Progress,
    /// The person the certificate is for (or who asks for the unlock, revocation…).
    pub applicant: RecordId,
    pub organisation: Option<RecordId>,
    /// 經辦人: the person at the counter acting for the organisation.
    pub agent: Option<RecordId>,
    pub holder_kind: HolderKind,
    pub certificate_class: CertificateClass,
    pub validity_years: u8,
    /// The certificates concerned: renewed, changed, replaced, revoked, or the new one.
    pub certificates: Vec<RecordId>,
    pub documents: Vec<DocumentKind>,
    /// 同意並接受個人資料收集協定及聲明
    pub consent_given: bool,
    /// 同意並接受申請人／登記人協定及聲明
    pub agreement_accepted: bool,
    /// A supervisor must approve because the identity check failed and the clerk overrode it.
    pub identity_override: bool,
    /// The revocation phrase set at issuance was given, so no supervisor is needed.
    pub revocation_phrase_verified: bool,
    pub invoice: Option<InvoiceDetails>,
    /// New mailing address, for redispatch.
    pub mailing_address: Option<String>,
    pub appointment: Option<RecordId>,
    pub walk_in_ticket: Option<RecordId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Where the counter visit stands, step by step (`registry::visit`). Older records have none.
    #[serde(default)]
    pub visit: crate::visit::Visit,
}

/// Who is acting, for the rules that need a second person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub clerk: RecordId,
    pub role: StaffRole,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ApplicationAction {
    /// Vetting starts: everything collected, consent given. The organisation, when there is one,
    /// is what the invoice title is checked against.
    Submit {
        organisation: Option<Organisation>,
    },
    /// Back to the counter for something to be fixed, before any money has changed hands.
    ReturnForCorrection,
    /// The identity data changed after submission (the re-check before activation found it):
    /// back to the counter to vet again from the identity check. The fee stays as quoted and a
    /// payment stays recorded, so vetting again does not charge twice; an approval given on the
    /// old data no longer stands.
    RequireRevetting,
    /// Identity and documents are in order; `fee` is what the fee schedule asks.
    PassVetting {
        fee: Money,
    },
    /// A supervisor (not the clerk who submitted) approves.
    Approve,
    RecordPayment(Payment),
    /// The certificate is installed, the token dispatched, the unlock or revocation done.
    Complete,
    Reject {
        reason: String,
    },
    Cancel,
}

impl ApplicationAction {
    pub fn name(&self) -> &'static str {
        match self {
            ApplicationAction::Submit { .. } => "submit",
            ApplicationAction::ReturnForCorrection => "return_for_correction",
            ApplicationAction::RequireRevetting => "require_revetting",
            ApplicationAction::PassVetting { .. } => "pass_vetting",
            ApplicationAction::Approve => "approve",
            ApplicationAction::RecordPayment(_) => "record_payment",
            ApplicationAction::Complete => "complete",
            ApplicationAction::Reject { .. } => "reject",
            ApplicationAction::Cancel => "cancel",
        }
    }
}

/// Why an application cannot take the step asked of it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransitionError {
    #[error("cannot {action} an application that is {}", from.as_str())]
    NotAllowed { from: ApplicationState, action: &'static str },
    #[error("the application is {} and can no longer change", .0.as_str())]
    Finished(ApplicationState),
    #[error("the application is incomplete: {}", problem_list(.0))]
    Incomplete(Vec<Problem>),
    #[error("only a supervisor can do this")]
    SupervisorRequired,
    #[error("a second person must approve: the supervisor cannot approve their own submission")]
    SameApprover,
    #[error("the payment of {paid} does not match the fee of {expected}")]
    WrongAmount { expected: Money, paid: Money },
    #[error("give the reason for the rejection")]
    ReasonRequired,
    #[error("a fee cannot be negative ({0})")]
    NegativeFee(Money),
}

fn problem_list(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{} ({})", p.field, p.code)).collect::<Vec<_>>().join(", ")
}

impl TransitionError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "transition-not-allowed",
        "transition-finished",
        "transition-incomplete",
        "transition-supervisor-required",
        "transition-same-approver",
        "transition-wrong-amount",
        "transition-reason-required",
        "transition-negative-fee",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "transition-not-allowed",
            TransitionError::Finished(_) => "transition-finished",
            TransitionError::Incomplete(_) => "transition-incomplete",
            TransitionError::SupervisorRequired => "transition-supervisor-required",
            TransitionError::SameApprover => "transition-same-approver",
            TransitionError::WrongAmount { .. } => "transition-wrong-amount",
            TransitionError::ReasonRequired => "transition-reason-required",
            TransitionError::NegativeFee(_) => "transition-negative-fee",
        }
    }

    /// Fluent arguments, untranslated: `state` and `action` are ids the caller translates through
    /// `application-state-*` and `application-action-*`; amounts are formatted.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            TransitionError::NotAllowed { from, action } => {
                vec![("state", from.as_str().to_owned()), ("action", (*action).to_owned())]
            }
            TransitionError::Finished(state) => vec![("state", state.as_str().to_owned())],
            TransitionError::Incomplete(problems) => vec![("problems", problem_list(problems))],
            TransitionError::WrongAmount { expected, paid } => {
                vec![("expected", expected.to_string()), ("paid", paid.to_string())]
            }
            TransitionError::NegativeFee(fee) => vec![("fee", fee.to_string())],
            _ => vec![],
        }
    }
}

impl Application {
    /// A new draft: nothing collected or agreed yet, no organisation, no certificates chosen,
    /// validity one year. The counter fills in the rest as the visit goes.
    pub fn draft(
        id: RecordId,
        service: Service,
        applicant: RecordId,
        holder_kind: HolderKind,
        certificate_class: CertificateClass,
        now: OffsetDateTime,
    ) -> Application {
        Application {
            id,
            reference: reference_for(id, now.date()),
            service,
            progress: Progress::draft(),
            applicant,
            organisation: None,
            agent: None,
            holder_kind,
            certificate_class,
            validity_years: 1,
            certificates: Vec::new(),
            documents: Vec::new(),
            consent_given: false,
            agreement_accepted: false,
            identity_override: false,
            revocation_phrase_verified: false,
            invoice: None,
            mailing_address: None,
            appointment: None,
            walk_in_ticket: None,
            created_at: now,
            visit: crate::visit::Visit::default(),
        }
    }

    /// The documents a service needs before vetting can start.
    pub fn required_documents(&self) -> Vec<DocumentKind> {
        use DocumentKind::*;
        let mut docs = vec![SignedApplicationForm];
        let for_organisation = self.holder_kind.belongs_to_organisation();
        match (self.service.issues_certificate(), for_organisation) {
            (true, true) => docs.extend([BusinessLicence, LegalRepresentativeId, AgentId]),
            (true, false) => docs.push(ApplicantId),
            (false, true) => docs.push(AgentId),
            (false, false) => docs.push(ApplicantId),
        }
        docs
    }

    /// Whether a supervisor has to approve before the work can go on.
    pub fn needs_supervisor(&self) -> bool {
        self.identity_override
            || self.service == Service::PinUnlock
            || (self.service == Service::Revocation && !self.revocation_phrase_verified)
    }

    pub fn state(&self) -> ApplicationState {
        self.progress.state
    }

    /// What must hold before vetting can start, every missing thing at once. The invoice title
    /// is checked against `organisation`'s registered name.
    pub fn submission_problems(&self, organisation: Option<&Organisation>) -> Vec<Problem> {
        let mut p = Problems::new();
        p.extend_nested("application", self.validate());
        p.check(!self.consent_given, "consent_given", codes::REQUIRED);
        // A redispatch's draft is saved before the address is taken (a visit is saved at every
        // step); it is needed to submit.
        p.check(
            self.service == Service::Redispatch
                && self.mailing_address.as_deref().is_none_or(|a| a.trim().is_empty()),
            "mailing_address",
            codes::REQUIRED,
        );
        p.check(
            self.service.issues_certificate() && !self.agreement_accepted,
            "agreement_accepted",
            codes::REQUIRED,
        );
        for doc in self.required_documents() {
            if !self.documents.contains(&doc) {
                p.push(format!("documents.{}", doc.as_str()), codes::REQUIRED);
            }
        }
        if let Some(invoice) = &self.invoice {
            match organisation {
                Some(org) => p.extend_nested("invoice", invoice.validate(org)),
                None => p.push("organisation", codes::ORGANISATION_REQUIRED),
            }
        }
        p.finish().err().unwrap_or_default()
    }

    /// Takes one step of the state machine, returning the changed application.
    pub fn apply(
        &self,
        action: ApplicationAction,
        actor: Actor,
    ) -> Result<Application, TransitionError> {
        use ApplicationAction as A;
        use ApplicationState as S;
        let state = self.progress.state;
        if state.is_final() {
            return Err(TransitionError::Finished(state));
        }
        let not_allowed = TransitionError::NotAllowed { from: state, action: action.name() };
        let supervisor = actor.role == StaffRole::Supervisor;
        let mut next = self.clone();
        let progress = &mut next.progress;
        match (state, action) {
            (S::Draft, A::Submit { organisation }) => {
                let problems = self.submission_problems(organisation.as_ref());
                if !problems.is_empty() {
                    return Err(TransitionError::Incomplete(problems));
                }
                progress.state = S::UnderReview;
                progress.submitted_by = Some(actor.clerk);
            }
            // Back to the counter to fix something — documents, or the fee itself — before any
            // money has changed hands. What was decided on the old data no longer stands.
            (S::UnderReview | S::AwaitingApproval | S::AwaitingPayment, A::ReturnForCorrection) => {
                progress.state = S::Draft;
                progress.fee = None;
                progress.approved_by = None;
            }
            // Vetting again after submission: the money already taken stays, and so does the fee
            // it paid; the approval was given on the old data.
            (
                S::UnderReview | S::AwaitingApproval | S::AwaitingPayment | S::AwaitingFulfilment,
                A::RequireRevetting,
            ) => {
                progress.state = S::Draft;
                progress.approved_by = None;
            }
            (S::UnderReview, A::PassVetting { fee }) => {
                if fee.minor < 0 {
                    return Err(TransitionError::NegativeFee(fee));
                }
                // Vetted again after payment: the fee is what was paid, never a second charge.
                if let Some(paid) = &self.progress.payment
                    && paid.amount != fee
                {
                    return Err(TransitionError::WrongAmount { expected: fee, paid: paid.amount });
                }
                progress.fee = Some(fee);
                progress.state = if self.needs_supervisor() {
                    S::AwaitingApproval
                } else {
                    after_approval(fee, self.progress.payment.is_some())
                };
            }
            (S::AwaitingApproval, A::Approve) => {
                if !supervisor {
                    return Err(TransitionError::SupervisorRequired);
                }
                if self.progress.submitted_by == Some(actor.clerk) {
                    return Err(TransitionError::SameApprover);
                }
                progress.approved_by = Some(actor.clerk);
                let fee = self.progress.fee.unwrap_or(Money::zero(default_currency()));
                progress.state = after_approval(fee, self.progress.payment.is_some());
            }
            (S::AwaitingPayment, A::RecordPayment(payment)) => {
                let expected = self.progress.fee.unwrap_or(Money::zero(payment.amount.currency));
                if payment.amount != expected {
                    return Err(TransitionError::WrongAmount { expected, paid: payment.amount });
                }
                progress.payment = Some(payment);
                progress.state = S::AwaitingFulfilment;
            }
            (S::AwaitingFulfilment, A::Complete) => progress.state = S::Completed,
            (S::UnderReview | S::AwaitingApproval, A::Reject { reason }) => {
                // What waits for a supervisor is for a supervisor to turn down, and so is what
                // was paid for (vetted again after payment): a refund.
                if (state == S::AwaitingApproval || self.progress.payment.is_some()) && !supervisor
                {
                    return Err(TransitionError::SupervisorRequired);
                }
                if reason.trim().is_empty() {
                    return Err(TransitionError::ReasonRequired);
                }
                progress.rejection_reason = Some(reason);
                progress.state = S::Rejected;
            }
            (_, A::Cancel) => {
                // Money has changed hands: a refund needs a supervisor (in whatever state, a
                // paid application sent back to vetting included).
                if self.progress.payment.is_some() && !supervisor {
                    return Err(TransitionError::SupervisorRequired);
                }
                progress.state = S::Cancelled;
            }
            _ => return Err(not_allowed),
        }
        Ok(next)
    }
}

fn default_currency() -> crate::model::Currency {
    crate::model::Currency::Mop
}

/// Where a vetted (and, where needed, approved) application goes: to payment, unless there is
/// nothing to pay or it was paid before it was vetted again.
fn after_approval(fee: Money, paid: bool) -> ApplicationState {
    if fee.minor > 0 && !paid {
        ApplicationState::AwaitingPayment
    } else {
        ApplicationState::AwaitingFulfilment
    }
}

/// A reference a person can read out over the phone, unique without coordinating offices: the
/// day and the random tail of the application's ULID (30 bits).
pub fn reference_for(id: RecordId, day: Date) -> String {
    let ulid = id.to_string();
    let tail = &ulid[ulid.len() - 6..];
    format!("A{:04}{:02}{:02}-{tail}", day.year(), u8::from(day.month()), day.day())
}

impl Record for Application {
    const KIND: RecordKind = RecordKind::Application;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(self.reference.trim().is_empty(), "reference", codes::REQUIRED);
        p.check(
            !self.certificate_class.issued_at_counter(),
            "certificate_class",
            codes::CLOUD_SIGN_NOT_AT_COUNTER,
        );
        p.check(
            self.service.issues_certificate() && !VALIDITY_YEARS.contains(&self.validity_years),
            "validity_years",
            codes::VALIDITY_YEARS,
        );
        p.check(
            self.holder_kind.belongs_to_organisation() && self.organisation.is_none(),
            "organisation",
            codes::ORGANISATION_REQUIRED,
        );
        p.check(
            self.service != Service::NewIssuance && self.certificates.is_empty(),
            "certificates",
            codes::NO_CERTIFICATES,
        );
        p.finish()
    }

    /// Progress moves only through [`Application::apply`] (the store's `transition`); a plain
    /// write can neither create an application past the draft nor move one along. Once
    /// submitted, what was vetted stays as vetted: only the mailing address, the links to the
    /// visit and the visit's own record of its steps may change (return it for correction, or
    /// send it back to vetting, to change more). The visit goes on after submission (payment, the re-check, issuance) and
    /// records each step where it stands, so a crash resumes it there.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        match before {
            None => {
                p.check(after.progress != Progress::draft(), "progress", codes::CHANGE_NOT_ALLOWED)
            }
            Some(before) => {
                p.check(before.progress != after.progress, "progress", codes::CHANGE_NOT_ALLOWED);
                if before.progress.state != ApplicationState::Draft {
                    let mut vetted = after.clone();
                    vetted.progress = before.progress.clone();
                    vetted.mailing_address = before.mailing_address.clone();
                    vetted.appointment = before.appointment;
                    vetted.walk_in_ticket = before.walk_in_ticket;
                    vetted.visit = before.visit.clone();
                    p.check(vetted != *before, "application", codes::CHANGE_NOT_ALLOWED);
                }
            }
        }
        p.finish()
    }
}
