//! The counter's visits, device and store side: what each step of a visit wizard does when the
//! clerk presses its key. The counter app sends a [`VisitOp`] from a blocking job and draws the
//! [`Outcome`]; the rules (which step comes next, who may skip it) are `registry::visit`'s.
//!
//! Every operation opens the store itself, saves the application before it answers (a visit
//! resumes at the same step after a crash, a lock or on another kiosk of the office), and writes
//! one audit event for the step and its outcome.

use std::path::PathBuf;

mod errors;
mod run;

pub use errors::ALL_MESSAGE_IDS;
pub use run::run;

use registry::application::{Actor, Application, DocumentKind};
use registry::model::{
    Certificate, CertificateClass, InvoiceDetails, Money, Organisation, Person, RecordId,
    RevocationReason, Service, StaffRole,
};
use registry::visit::{PaymentMethod, PlannedStep, Step};
use tokens::pin::Pin;
use zeroize::Zeroizing;

/// What the wizard shows of a visit: its application, its plan, and the records it is about,
/// read in one snapshot after the operation saved.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitView {
    pub application: Application,
    pub plan: Vec<PlannedStep>,
    pub applicant: Person,
    pub organisation: Option<Organisation>,
    /// The organisations the applicant acts for (member, agent or legal representative): whose
    /// a new certificate may be.
    pub organisations: Vec<Organisation>,
    /// The visit's certificates: for a renewal, the ones due (pre-selected, fixed).
    pub certificates: Vec<Certificate>,
    /// The fee the price table asks for this application.
    pub fee: Option<Money>,
    /// The chip's face image and the counter's photo, as files the photo view encodes.
    pub chip_photo: Option<PathBuf>,
    pub counter_photo: Option<PathBuf>,
}

impl VisitView {
    /// The step the visit stands at; `None` when every step is done.
    pub fn current(&self) -> Option<Step> {
        self.application.visit.current(&self.plan)
    }
}

/// How the identity document is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityInput {
    /// The MRZ as the document scanner typed it. With `chip`, the chip is read over PC/SC
    /// (the MRZ opens it) and passive authentication must pass; without, the typed zone is the
    /// only evidence (no reader at this counter).
    Mrz { text: String, chip: bool },
    /// A Mainland resident ID card on its serial reader.
    MainlandReader { device: PathBuf },
}

/// One thing the clerk does in a visit. `Debug` names the operation and its application only:
/// codes, zones, PINs and phrases never reach a log.
pub enum VisitOp {
    /// Start `service` for a person, or resume the open application of that service they have.
    Open {
        service: Service,
        applicant: RecordId,
    },
    /// Start `service` for an organisation's own certificates, asked for by `agent` (經辦人), a
    /// person who acts for it; or resume the open application of that service they have for it.
    OpenFor {
        service: Service,
        agent: RecordId,
        organisation: RecordId,
    },
    /// Resume an application (from the queue, the subscriber file, or a scanned form code).
    Resume {
        application: RecordId,
    },
    ChooseCertificates {
        application: RecordId,
        new_key: bool,
    },
    /// Every service but renewal: the certificates the visit is about, picked by the clerk from
    /// the person's certificates in force. For a revocation, the revocation phrase the person
    /// gives (none: a supervisor approves instead).
    SelectCertificates {
        application: RecordId,
        certificates: Vec<RecordId>,
        phrase: Option<Zeroizing<String>>,
    },
    /// A new certificate (or a change of details): whose it is (the person, or one of the
    /// organisations they act for), its class and its years.
    SetDetails {
        application: RecordId,
        organisation: Option<RecordId>,
        class: CertificateClass,
        years: u8,
    },
    /// The organisation's papers collected at the counter.
    Documents {
        application: RecordId,
        documents: Vec<DocumentKind>,
    },
    /// The new mailing address of a token sent by post.
    SetAddress {
        application: RecordId,
        address: String,
    },
    /// Revokes the visit's certificates (final; their seals with them).
    Revoke {
        application: RecordId,
        reason: RevocationReason,
    },
    /// Resets the token's user PIN with the office's SO PIN; the holder types the new one.
    ResetPin {
        application: RecordId,
        new_pin: Pin,
    },
    SendCode {
        application: RecordId,
        address: String,
    },
    CheckCode {
        application: RecordId,
        address: String,
        code: Zeroizing<String>,
    },
    /// A supervisor (signed in on the same screen) lets the visit past a step it may skip.
    Skip {
        application: RecordId,
        step: Step,
        supervisor: RecordId,
        reason: String,
    },
    Consent {
        application: RecordId,
    },
    Identity {
        application: RecordId,
        input: IdentityInput,
    },
    /// A supervisor accepts a person whose identity check failed, with a written reason.
    OverrideIdentity {
        application: RecordId,
        supervisor: RecordId,
        reason: String,
    },
    PhotoFromFile {
        application: RecordId,
        path: PathBuf,
    },
    PhotoFromCamera {
        application: RecordId,
    },
    /// The person checked every certificate record and accepts the applicant agreement.
    /// With an organisation's invoice details (the title is checked against its name), taken
    /// here because the form shows them and vetting checks them.
    Confirm {
        application: RecordId,
        invoice: Option<InvoiceDetails>,
    },
    PrintForm {
        application: RecordId,
    },
    /// The signed form's QR code, scanned back: opens its application and marks it signed.
    FormSigned {
        payload: String,
    },
    Pay {
        application: RecordId,
        method: PaymentMethod,
        reference: String,
        invoice: Option<InvoiceDetails>,
    },
    /// A supervisor approves the application (never their own).
    Approve {
        application: RecordId,
        supervisor: RecordId,
    },
    Recheck {
        application: RecordId,
    },
    /// The key and certificate on the token (or in a PKCS#12 file), with a new revocation
    /// phrase. `pin` is the holder's PIN on their token (renewal, change), the PIN they choose
    /// for a token from stock (new certificate, replacement: the kiosk opens it with the
    /// office's stock PIN and sets theirs once the certificate is on it), or the PKCS#12
    /// file's password.
    Issue {
        application: RecordId,
        pin: Pin,
        phrase: Zeroizing<String>,
        medium: IssueMedium,
    },
    Complete {
        application: RecordId,
    },
    /// Cancels the application. Once money has changed hands it is a refund: a supervisor
    /// (signed in on the clerk's screen) cancels, with a written reason.
    Cancel {
        application: RecordId,
        supervisor: Option<RecordId>,
        reason: String,
    },
}

impl std::fmt::Debug for VisitOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VisitOp")
            .field("op", &self.name())
            .field("application", &self.application())
            .finish_non_exhaustive()
    }
}

impl VisitOp {
    /// The operation's name, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            VisitOp::Open { .. } => "open",
            VisitOp::OpenFor { .. } => "open_for",
            VisitOp::Resume { .. } => "resume",
            VisitOp::ChooseCertificates { .. } => "choose_certificates",
            VisitOp::SelectCertificates { .. } => "select_certificates",
            VisitOp::Revoke { .. } => "revoke",
            VisitOp::SetDetails { .. } => "set_details",
            VisitOp::Documents { .. } => "documents",
            VisitOp::SetAddress { .. } => "set_address",
            VisitOp::ResetPin { .. } => "reset_pin",
            VisitOp::SendCode { .. } => "send_code",
            VisitOp::CheckCode { .. } => "check_code",
            VisitOp::Skip { .. } => "skip",
            VisitOp::Consent { .. } => "consent",
            VisitOp::Identity { .. } => "identity",
            VisitOp::OverrideIdentity { .. } => "override_identity",
            VisitOp::PhotoFromFile { .. } => "photo_from_file",
            VisitOp::PhotoFromCamera { .. } => "photo_from_camera",
            VisitOp::Confirm { .. } => "confirm",
            VisitOp::PrintForm { .. } => "print_form",
            VisitOp::FormSigned { .. } => "form_signed",
            VisitOp::Pay { .. } => "pay",
            VisitOp::Approve { .. } => "approve",
            VisitOp::Recheck { .. } => "recheck",
            VisitOp::Issue { .. } => "issue",
            VisitOp::Complete { .. } => "complete",
            VisitOp::Cancel { .. } => "cancel",
        }
    }

    /// The application the operation is about, when it names one.
    pub fn application(&self) -> Option<RecordId> {
        match self {
            VisitOp::Open { .. } | VisitOp::OpenFor { .. } | VisitOp::FormSigned { .. } => None,
            VisitOp::Resume { application }
            | VisitOp::ChooseCertificates { application, .. }
            | VisitOp::SelectCertificates { application, .. }
            | VisitOp::Revoke { application, .. }
            | VisitOp::SetDetails { application, .. }
            | VisitOp::Documents { application, .. }
            | VisitOp::SetAddress { application, .. }
            | VisitOp::ResetPin { application, .. }
            | VisitOp::SendCode { application, .. }
            | VisitOp::CheckCode { application, .. }
            | VisitOp::Skip { application, .. }
            | VisitOp::Consent { application }
            | VisitOp::Identity { application, .. }
            | VisitOp::OverrideIdentity { application, .. }
            | VisitOp::PhotoFromFile { application, .. }
            | VisitOp::PhotoFromCamera { application }
            | VisitOp::Confirm { application, .. }
            | VisitOp::PrintForm { application }
            | VisitOp::Pay { application, .. }
            | VisitOp::Approve { application, .. }
            | VisitOp::Recheck { application }
            | VisitOp::Issue { application, .. }
            | VisitOp::Complete { application }
            | VisitOp::Cancel { application, .. } => Some(*application),
        }
    }
}

/// Where a new certificate's key is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueMedium {
    /// On a USB token: the holder's, or a blank one from stock.
    Token,
    /// A new certificate whose profile allows it, into a password-protected PKCS#12 file at
    /// `path`, or (`None`) at `DATA_DIR/pkcs12/REFERENCE.p12`.
    Pkcs12File { path: Option<PathBuf> },
}

/// The certificate profile of a new certificate of `app` (its class and holder kind).
pub fn profile_of(app: &Application) -> Option<tokens::Profile> {
    tokens::Profile::ALL
        .into_iter()
        .find(|p| p.class() == app.certificate_class && p.holder_kind() == app.holder_kind)
}

/// Whether `app` may issue into a PKCS#12 file instead of a token: a new certificate whose
/// profile allows a soft token (a renewal, change or replacement stays on a token).
pub fn pkcs12_allowed(app: &Application) -> bool {
    app.service == Service::NewIssuance && profile_of(app).is_some_and(|p| p.allows_soft_token())
}

/// Something to tell the clerk besides the new state of the visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The code went to the mail relay.
    CodeSent {
        address: String,
    },
    /// The relay could not take it: the code waits in the outbox (message id of the reason).
    CodeQueued {
        address: String,
        reason: &'static str,
    },
    /// The form went to the print spool (or its PDF was written when no printer is set).
    FormPrinted {
        job: String,
    },
    ReceiptPrinted {
        job: String,
    },
    /// Vetting passed: 「已確認並成功提交證書續期申請」.
    Submitted,
    /// The certificates were revoked, with this many seals.
    Revoked {
        certificates: usize,
        seals: usize,
    },
    /// The token's PIN was reset.
    PinReset,
    /// The certificate is on the token: 「成功激活」.
    Activated,
    /// The certificate and its key are in the PKCS#12 file at `file`, for the holder to take.
    Pkcs12Written {
        file: String,
    },
}

/// What an operation answers.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub view: VisitView,
    pub notice: Option<Notice>,
}

/// Why an operation did not go through, kept typed until it is drawn (F2 re-translates it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{id}")]
pub struct VisitError {
    pub id: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// For the log: a category, never personal data.
    pub category: &'static str,
}

impl VisitError {
    pub fn new(id: &'static str, category: &'static str) -> Self {
        VisitError { id, args: Vec::new(), category }
    }

    pub fn with_args(mut self, args: Vec<(&'static str, String)>) -> Self {
        self.args = args;
        self
    }

    pub fn message_id(&self) -> &'static str {
        self.id
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        self.args.clone()
    }
}

/// Who acts, as the state machine needs it.
pub fn actor(clerk: RecordId, role: StaffRole) -> Actor {
    Actor { clerk, role }
}
