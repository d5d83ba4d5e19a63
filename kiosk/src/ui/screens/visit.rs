//! The visit wizard: one screen that walks a service's step plan (`registry::visit::plan`) from
//! the first step not done to the completion notice. Each step is a small form; Enter does the
//! step's work through a job (`kiosk::visits`), which saves the application before it answers,
//! so the wizard only ever shows what the store holds and a visit resumes where it stood.

use crossterm::event::KeyCode;
use i18n::Language;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::application::ApplicationState;
use registry::application::DocumentKind;
use registry::model::{
    CertificateClass, InvoiceDetails, InvoiceKind, RecordId, RevocationReason, Service, StaffRole,
};
use registry::visit::{PaymentMethod, Skip, Step};
use time::{OffsetDateTime, UtcOffset};
use zeroize::Zeroizing;

use crate::signin::SignedIn;
use crate::ui::keys::Command;
use crate::ui::msg::Msg;
use crate::ui::screens::signin::{Purpose, SignInForm};
use crate::ui::widgets::{field, fit, safe};
use crate::visits::{IdentityInput, IssueMedium, Notice, Outcome, VisitOp, VisitView};

const CODE_DIGITS: usize = 6;
/// The classes a counter issues, in the order Space cycles through them.
const CLASSES: [CertificateClass; 3] =
    [CertificateClass::Qualified, CertificateClass::Standard, CertificateClass::Encryption];

/// The papers the documents step asks for: what the application needs, but the signed form
/// (it comes back with its QR code) and the applicant's ID (the identity step reads it).
fn papers(view: &VisitView) -> Vec<DocumentKind> {
    view.application
        .required_documents()
        .into_iter()
        .filter(|d| !matches!(d, DocumentKind::SignedApplicationForm | DocumentKind::ApplicantId))
        .collect()
}

/// The reasons a counter revokes for (RFC 5280), in the order the clerk cycles through them.
const REASONS: [RevocationReason; 5] = [
    RevocationReason::Unspecified,
    RevocationReason::KeyCompromise,
    RevocationReason::AffiliationChanged,
    RevocationReason::Superseded,
    RevocationReason::CessationOfOperation,
];
const MAX_TEXT: usize = 256;
/// A TD3 zone (passports) is 2 × 44 characters, TD2 2 × 36, TD1 (ID cards) 3 × 30.
const MRZ_LENGTHS: [usize; 3] = [88, 72, 90];

/// What the supervisor is asked to allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allow {
    /// Let the visit past a step they may skip (an email that cannot be verified offline).
    Skip(Step),
    /// Accept the person despite a failed identity check.
    OverrideIdentity,
    /// Approve the application waiting for a second person.
    Approve,
    /// Cancel an application already paid for: a refund.
    Refund,
}

/// A supervisor's approval on the clerk's screen: the reason first (where one is needed), then
/// the supervisor signs in with password and one-time code.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub allow: Allow,
    pub reason: String,
    /// `None` while the reason is typed.
    pub signin: Option<SignInForm>,
}

impl Approval {
    pub fn needs_reason(&self) -> bool {
        !matches!(self.allow, Allow::Approve)
    }
}

/// How the identity step reads the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The zone, then the chip over PC/SC with passive authentication.
    Chip,
    /// The typed zone alone (no reader at this counter).
    Typed,
    /// A Mainland resident ID card on the counter's serial reader: nothing to type.
    Mainland,
}

/// Which text field of a step has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Code,
    Mrz,
    PhotoPath,
    Reference,
    Pin,
    Phrase,
    /// The new PIN typed a second time.
    PinAgain,
    /// The new mailing address (redispatch).
    Address,
    /// Where a PKCS#12 file is written (empty: the office's folder).
    Pkcs12Path,
    /// An organisation's invoice: its taxpayer ID and the email the e-invoice goes to.
    TaxpayerId,
    InvoiceEmail,
    /// A VAT special invoice's bank, account number, registered address and phone.
    InvoiceBank,
    InvoiceAccount,
    InvoiceAddress,
    InvoicePhone,
}

impl Input {
    /// Typed, never shown, never scanned into.
    pub fn secret(self) -> bool {
        matches!(self, Input::Pin | Input::Phrase | Input::PinAgain)
    }
}

/// The text fields of each step of `service`, in Tab order. `invoice`: the kind of invoice an
/// organisation's visit asks for (`None` for a person's). `pkcs12`: the issuance goes into a
/// PKCS#12 file rather than onto a token.
pub fn inputs(
    service: Service,
    step: Step,
    invoice: Option<InvoiceKind>,
    pkcs12: bool,
) -> &'static [Input] {
    match step {
        // An organisation's invoice details are confirmed with the rest; a VAT special invoice
        // also needs the bank and the registered address and phone.
        Step::Confirmation if invoice == Some(InvoiceKind::VatSpecial) => &[
            Input::TaxpayerId,
            Input::InvoiceEmail,
            Input::InvoiceBank,
            Input::InvoiceAccount,
            Input::InvoiceAddress,
            Input::InvoicePhone,
        ],
        Step::Confirmation if invoice.is_some() => &[Input::TaxpayerId, Input::InvoiceEmail],
        // The phrase set at issuance lets the person revoke without a supervisor.
        Step::Certificates if service == Service::Revocation => &[Input::Phrase],
        Step::PinReset => &[Input::Pin, Input::PinAgain],
        Step::Address => &[Input::Address],
        Step::Email => &[Input::Code],
        Step::Identity => &[Input::Mrz],
        Step::Photo => &[Input::PhotoPath],
        Step::Payment => &[Input::Reference],
        // The file's path, and its password typed twice.
        Step::Issuance if pkcs12 => {
            &[Input::Pkcs12Path, Input::Pin, Input::PinAgain, Input::Phrase]
        }
        // A token from stock: the holder chooses their PIN, typed twice.
        Step::Issuance if matches!(service, Service::NewIssuance | Service::Replacement) => {
            &[Input::Pin, Input::PinAgain, Input::Phrase]
        }
        Step::Issuance => &[Input::Pin, Input::Phrase],
        _ => &[],
    }
}

#[derive(Clone, PartialEq)]
pub struct VisitState {
    pub service: Service,
    /// `None` until the visit is opened (or resumed) from the store.
    pub view: Option<Box<VisitView>>,
    /// A job is working: what it does, for the screen.
    pub busy: Option<Msg>,
    /// Why the last thing the clerk did was refused: the step stays where it was.
    pub error: Option<Msg>,
    /// What the last job reported (code sent, form printed…), a line each.
    pub info: Vec<Msg>,
    pub focus: usize,
    pub code: String,
    /// Which email address of the visit the code is for.
    pub email: usize,
    pub mrz: String,
    /// How the identity document is read (F5 goes round the ways this counter has).
    pub reading: Reading,
    /// The counter's Mainland ID card reader, when it has one (`cn_reader` in kiosk.toml).
    pub cn_reader: Option<std::path::PathBuf>,
    pub photo_path: String,
    /// The consent or agreement checkbox of the current step.
    pub checked: bool,
    pub new_key: bool,
    pub method: PaymentMethod,
    pub reference: String,
    pub pin: Zeroizing<String>,
    pub phrase: Zeroizing<String>,
    pub pin_again: Zeroizing<String>,
    /// F5 on the issuance of a new certificate whose profile allows it: into a PKCS#12 file at
    /// this path (empty: the office's folder) instead of onto a token.
    pub pkcs12: bool,
    pub pkcs12_path: String,
    /// The certificates picked (services other than renewal), and the highlighted row.
    pub selected: Vec<RecordId>,
    pub cursor: usize,
    /// The revocation reason picked.
    pub reason: RevocationReason,
    /// Enter was pressed once on an irreversible step: the next Enter does it.
    pub armed: bool,
    /// F8 was pressed once: the next F8 cancels the application.
    pub cancel_armed: bool,
    /// A new certificate's holder: 0 the person, n the n-th organisation they act for.
    pub holder: usize,
    pub class: CertificateClass,
    pub years: u8,
    /// The organisation's papers ticked as collected.
    pub documents: Vec<DocumentKind>,
    pub address: String,
    pub taxpayer_id: String,
    pub invoice_email: String,
    /// An ordinary e-invoice or a VAT special invoice (F5 changes it), and the VAT special
    /// invoice's bank, account number, registered address and phone.
    pub invoice_kind: InvoiceKind,
    pub invoice_bank: String,
    pub invoice_account: String,
    pub invoice_address: String,
    pub invoice_phone: String,
    /// The visit is an organisation's (its invoice is asked for).
    pub organisation: bool,
    pub approval: Option<Approval>,
    /// The step the inputs above were typed for: a new step starts from empty fields.
    pub step: Option<Step>,
    /// This screen's number (`App::visit_screens`): jobs answer the screen that asked.
    pub screen: u64,
    /// The visit is being read again after a refusal (a refused step may have saved what it
    /// found, as a failed identity check does): the refusal stays on screen.
    pub refreshing: bool,
    /// The camera looks for the signed form's code (Esc stops it); `busy` says so.
    pub looking: bool,
}

/// What is typed (codes, document zones, PINs, the phrase) never reaches a log.
impl std::fmt::Debug for VisitState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VisitState")
            .field("service", &self.service)
            .field("application", &self.application())
            .field("step", &self.current())
            .field("busy", &self.busy)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl VisitState {
    /// A visit being opened: the job answers with its view.
    pub fn opening(service: Service) -> VisitState {
        VisitState {
            service,
            view: None,
            busy: Some(Msg::new("visit-opening")),
            error: None,
            info: Vec::new(),
            focus: 0,
            code: String::new(),
            email: 0,
            mrz: String::new(),
            reading: Reading::Chip,
            cn_reader: None,
            photo_path: String::new(),
            checked: false,
            new_key: false,
            method: PaymentMethod::Cash,
            reference: String::new(),
            pin: Zeroizing::new(String::new()),
            phrase: Zeroizing::new(String::new()),
            pin_again: Zeroizing::new(String::new()),
            pkcs12: false,
            pkcs12_path: String::new(),
            selected: Vec::new(),
            cursor: 0,
            reason: RevocationReason::Unspecified,
            armed: false,
            cancel_armed: false,
            holder: 0,
            class: CertificateClass::Qualified,
            years: 1,
            documents: Vec::new(),
            address: String::new(),
            taxpayer_id: String::new(),
            invoice_email: String::new(),
            invoice_kind: InvoiceKind::OrdinaryElectronic,
            invoice_bank: String::new(),
            invoice_account: String::new(),
            invoice_address: String::new(),
            invoice_phone: String::new(),
            organisation: false,
            approval: None,
            step: None,
            refreshing: false,
            screen: 0,
            looking: false,
        }
    }

    pub fn application(&self) -> Option<RecordId> {
        self.view.as_ref().map(|v| v.application.id)
    }

    /// The step the visit stands at, or `None` when done (or not loaded).
    pub fn current(&self) -> Option<Step> {
        self.view.as_ref().and_then(|v| v.current())
    }

    /// Whether the application is finished (completed, cancelled, rejected).
    pub fn finished(&self) -> bool {
        self.view.as_ref().is_some_and(|v| v.application.progress.state.is_final())
    }

    /// Whether the current step has a text field: the keys type into it.
    pub fn types_text(&self) -> bool {
        if let Some(approval) = &self.approval {
            return approval.signin.is_some() || approval.needs_reason();
        }
        self.current()
            .is_some_and(|s| !inputs(self.service, s, self.invoice(), self.pkcs12).is_empty())
    }

    /// The kind of invoice asked for: an organisation's visit only.
    pub fn invoice(&self) -> Option<InvoiceKind> {
        self.organisation.then_some(self.invoice_kind)
    }

    /// The field with the focus, if the step has any.
    pub fn input(&self) -> Option<Input> {
        let step = self.current()?;
        let list = inputs(self.service, step, self.invoice(), self.pkcs12);
        list.get(self.focus.min(list.len().saturating_sub(1))).copied()
    }

    fn field_mut(&mut self, input: Input) -> &mut String {
        match input {
            Input::Code => &mut self.code,
            Input::Mrz => &mut self.mrz,
            Input::PhotoPath => &mut self.photo_path,
            Input::Reference => &mut self.reference,
            Input::Pin => &mut self.pin,
            Input::Phrase => &mut self.phrase,
            Input::PinAgain => &mut self.pin_again,
            Input::Address => &mut self.address,
            Input::Pkcs12Path => &mut self.pkcs12_path,
            Input::TaxpayerId => &mut self.taxpayer_id,
            Input::InvoiceEmail => &mut self.invoice_email,
            Input::InvoiceBank => &mut self.invoice_bank,
            Input::InvoiceAccount => &mut self.invoice_account,
            Input::InvoiceAddress => &mut self.invoice_address,
            Input::InvoicePhone => &mut self.invoice_phone,
        }
    }

    /// The job answered: the new state of the visit, and what to tell the clerk.
    /// The camera, when it looks for the signed form's code, goes on looking: only its own
    /// answer (or Esc) stops it.
    pub fn loaded(&mut self, result: Result<Outcome, Msg>) {
        self.busy = None;
        match result {
            Ok(outcome) => {
                // What a refusal said stays over the visit read again after it.
                if !std::mem::take(&mut self.refreshing) {
                    self.error = None;
                }
                let service = outcome.view.application.service;
                self.info =
                    outcome.notice.as_ref().map(|n| notice_msgs(n, service)).unwrap_or_default();
                let view = outcome.view;
                // Another application than the one on screen (a signed form scanned over
                // it): nothing typed or half-approved for the first carries over.
                let other = self.application().is_some_and(|id| id != view.application.id);
                self.service = view.application.service;
                self.organisation = view.application.organisation.is_some();
                let step = view.current();
                if step != self.step || other {
                    self.reset_inputs(&view, step);
                }
                self.view = Some(Box::new(view));
            }
            Err(msg) => {
                self.refreshing = false;
                self.error = Some(msg);
                self.info.clear();
                // A refused secret is typed again from nothing.
                self.pin = Zeroizing::new(String::new());
                self.pin_again = Zeroizing::new(String::new());
                self.armed = false;
                self.code.clear();
            }
        }
    }

    fn reset_inputs(&mut self, view: &VisitView, step: Option<Step>) {
        self.step = step;
        self.focus = 0;
        self.code.clear();
        self.mrz.clear();
        self.photo_path.clear();
        self.reference.clear();
        self.pin = Zeroizing::new(String::new());
        self.phrase = Zeroizing::new(String::new());
        self.pin_again = Zeroizing::new(String::new());
        self.pkcs12 = false;
        self.pkcs12_path.clear();
        self.selected.clear();
        self.cursor = 0;
        self.armed = false;
        self.address = view.application.mailing_address.clone().unwrap_or_default();
        self.class = view.application.certificate_class;
        self.years = view.application.validity_years;
        self.holder = view
            .application
            .organisation
            .and_then(|org| view.organisations.iter().position(|o| o.id == org))
            .map_or(0, |i| i + 1);
        self.documents = view.application.documents.clone();
        let invoice = view.application.invoice.as_ref();
        self.taxpayer_id = invoice.map(|i| i.taxpayer_id.clone()).unwrap_or_default();
        self.invoice_email = invoice.map(|i| i.email.clone()).unwrap_or_default();
        self.invoice_kind = invoice.map_or(InvoiceKind::OrdinaryElectronic, |i| i.kind);
        let text = |value: Option<&Option<String>>| value.cloned().flatten().unwrap_or_default();
        self.invoice_bank = text(invoice.map(|i| &i.bank));
        self.invoice_account = text(invoice.map(|i| &i.bank_account));
        self.invoice_address = text(invoice.map(|i| &i.address));
        self.invoice_phone = text(invoice.map(|i| &i.phone));
        self.checked = match step {
            Some(Step::Consent) => view.application.consent_given,
            Some(Step::Confirmation) => view.application.agreement_accepted,
            _ => false,
        };
        self.new_key = view.application.visit.new_key;
        self.email = view.application.visit.emails.iter().position(|e| !e.settled()).unwrap_or(0);
        self.approval = None;
    }

    /// A character or Backspace for the focused field (or the approval's).
    pub fn key(&mut self, code: KeyCode) {
        if self.busy.is_some() {
            return;
        }
        if let Some(approval) = &mut self.approval {
            match &mut approval.signin {
                Some(form) => form.key(code),
                None => edit(&mut approval.reason, code, MAX_TEXT, |_| true),
            }
            return;
        }
        let Some(input) = self.input() else { return };
        if input == Input::Mrz && self.reading == Reading::Mainland {
            return;
        }
        let (max, ok): (usize, fn(char) -> bool) = match input {
            Input::Code => (CODE_DIGITS, |c| c.is_ascii_digit()),
            Input::Mrz => (MAX_TEXT, |c| c.is_ascii_alphanumeric() || c == '<' || c == '\n'),
            Input::Pin | Input::PinAgain => (64, |_| true),
            _ => (MAX_TEXT, |_| true),
        };
        let field = self.field_mut(input);
        match code {
            // Full-width digits and letters from a CJK keyboard are what they look like; an MRZ
            // scanner may send lower case.
            KeyCode::Char(c) => {
                let c = registry::text::fold_width(&c.to_string()).chars().next().unwrap_or(c);
                let c = if input == Input::Mrz { c.to_ascii_uppercase() } else { c };
                edit(field, KeyCode::Char(c), max, ok)
            }
            other => edit(field, other, max, ok),
        }
    }

    /// Takes back what a scanner typed into the focused field before the wedge knew it.
    pub fn untype(&mut self, tail: &str) {
        if let Some(approval) = &mut self.approval {
            if let Some(form) = &mut approval.signin {
                form.untype(tail);
            } else if approval.reason.ends_with(tail) {
                approval.reason.truncate(approval.reason.len() - tail.len());
            }
            return;
        }
        if let Some(input) = self.input() {
            let field = self.field_mut(input);
            if field.ends_with(tail) {
                let keep = field.len() - tail.len();
                field.truncate(keep);
            }
        }
    }

    /// Tab: the next field of the step.
    fn next_field(&mut self) {
        if let Some(step) = self.current() {
            let n = inputs(self.service, step, self.invoice(), self.pkcs12).len();
            if n > 0 {
                self.focus = (self.focus + 1) % n;
            }
        }
    }
}

fn edit(field: &mut String, code: KeyCode, max: usize, ok: fn(char) -> bool) {
    match code {
        KeyCode::Backspace => {
            field.pop();
        }
        KeyCode::Char(c) if !c.is_control() && ok(c) && field.chars().count() < max => {
            field.push(c)
        }
        _ => {}
    }
}

fn notice_msgs(notice: &Notice, service: Service) -> Vec<Msg> {
    let one = |id, args| vec![Msg::with(id, args)];
    match notice {
        Notice::CodeSent { address } => one("visit-code-sent", vec![("address", address.clone())]),
        // The reason is a message of its own, so that F2 translates it too.
        Notice::CodeQueued { address, reason } => vec![
            Msg::with("visit-code-queued", vec![("address", address.clone())]),
            Msg::new(reason),
        ],
        Notice::FormPrinted { job } => one("visit-form-printed", vec![("job", job.clone())]),
        Notice::ReceiptPrinted { job } => one("visit-receipt-printed", vec![("job", job.clone())]),
        // The CA's own words for a renewal; the same fact in plain words for the rest.
        Notice::Submitted if service == Service::Renewal => vec![Msg::new("visit-submitted")],
        Notice::Submitted => vec![Msg::new("visit-submitted-other")],
        Notice::Revoked { certificates, seals } => one(
            "visit-revoked",
            vec![("certificates", certificates.to_string()), ("seals", seals.to_string())],
        ),
        Notice::PinReset => vec![Msg::new("visit-pin-reset")],
        // The completion step says it, with the serials: once is enough.
        Notice::Activated => Vec::new(),
        // Where the file is, which the completion step does not say.
        Notice::Pkcs12Written { file } => one("visit-pkcs12-written", vec![("file", file.clone())]),
    }
}

/// Whether a typed MRZ is whole: Enter then reads it; before, Enter starts its next line (a
/// document scanner types each line and an Enter).
fn mrz_complete(text: &str) -> bool {
    let len = text.chars().filter(|c| !c.is_whitespace()).count();
    MRZ_LENGTHS.contains(&len)
}

/// What a key does in the wizard. `clerk` is who works the counter.
pub fn command(state: &mut VisitState, command: Command, clerk: &SignedIn) -> Vec<VisitOp> {
    if state.busy.is_some() {
        return Vec::new();
    }
    if state.approval.is_some() {
        return approval_command(state, command, clerk);
    }
    let Some(view) = &state.view else { return Vec::new() };
    let application = view.application.id;
    let Some(step) = view.current() else {
        return Vec::new();
    };
    state.error = None;
    if command != Command::CancelVisit {
        state.cancel_armed = false;
    }
    match (step, command) {
        (_, Command::CancelVisit) if !state.cancel_armed => {
            state.cancel_armed = true;
            let paid = view.application.progress.payment.is_some();
            state.info =
                vec![Msg::new(if paid { "visit-refund-armed" } else { "visit-cancel-armed" })];
            Vec::new()
        }
        (_, Command::CancelVisit) => {
            state.cancel_armed = false;
            state.info.clear();
            if view.application.progress.payment.is_some() {
                state.approval =
                    Some(Approval { allow: Allow::Refund, reason: String::new(), signin: None });
                return Vec::new();
            }
            busy(state, "visit-saving");
            vec![VisitOp::Cancel { application, supervisor: None, reason: String::new() }]
        }
        (_, Command::NextField) => {
            state.next_field();
            Vec::new()
        }
        // Every service but renewal: the clerk picks the certificates the visit is about.
        (Step::Certificates, Command::Up | Command::Down) if state.service != Service::Renewal => {
            let n = view.certificates.len().max(1);
            state.cursor = if command == Command::Up {
                (state.cursor + n - 1) % n
            } else {
                (state.cursor + 1) % n
            };
            Vec::new()
        }
        (Step::Certificates, Command::Toggle) if state.service != Service::Renewal => {
            if let Some(cert) = view.certificates.get(state.cursor) {
                match state.selected.iter().position(|c| *c == cert.id) {
                    Some(at) => {
                        state.selected.remove(at);
                    }
                    None => state.selected.push(cert.id),
                }
            }
            Vec::new()
        }
        (Step::Certificates, Command::Enter) if state.service != Service::Renewal => {
            if state.selected.is_empty() {
                state.error = Some(Msg::new("visit-choose-a-certificate"));
                return Vec::new();
            }
            let phrase = (state.service == Service::Revocation && !state.phrase.is_empty())
                .then(|| std::mem::replace(&mut state.phrase, Zeroizing::new(String::new())));
            let certificates = state.selected.clone();
            busy(state, "visit-saving");
            vec![VisitOp::SelectCertificates { application, certificates, phrase }]
        }
        (Step::Certificates, Command::Toggle) => {
            state.new_key = !state.new_key;
            Vec::new()
        }
        (Step::Certificates, Command::Enter) => {
            busy(state, "visit-saving");
            vec![VisitOp::ChooseCertificates { application, new_key: state.new_key }]
        }
        (Step::Email, Command::Enter | Command::Alternative) => {
            let Some(check) = view.application.visit.emails.get(state.email) else {
                return Vec::new();
            };
            let address = check.address.clone();
            if command == Command::Enter && state.code.len() == CODE_DIGITS {
                let code = Zeroizing::new(std::mem::take(&mut state.code));
                busy(state, "visit-checking-code");
                vec![VisitOp::CheckCode { application, address, code }]
            } else if command == Command::Alternative || state.code.is_empty() {
                busy(state, "visit-sending-code");
                vec![VisitOp::SendCode { application, address }]
            } else {
                state.error = Some(Msg::new("visit-code-six-digits"));
                Vec::new()
            }
        }
        (Step::Email, Command::Up | Command::Down) => {
            let n = view.application.visit.emails.len().max(1);
            state.email = if command == Command::Up {
                (state.email + n - 1) % n
            } else {
                (state.email + 1) % n
            };
            state.code.clear();
            Vec::new()
        }
        (Step::Consent | Step::Confirmation, Command::Toggle) => {
            state.checked = !state.checked;
            Vec::new()
        }
        (Step::Consent | Step::Confirmation, Command::Enter) if !state.checked => {
            state.error = Some(Msg::new(if step == Step::Consent {
                "visit-consent-required"
            } else {
                "visit-agreement-required"
            }));
            Vec::new()
        }
        (Step::Consent, Command::Enter) => {
            busy(state, "visit-saving");
            vec![VisitOp::Consent { application }]
        }
        // An organisation's invoice: an ordinary e-invoice, or a VAT special invoice.
        (Step::Confirmation, Command::Alternative) if state.organisation => {
            state.invoice_kind = match state.invoice_kind {
                InvoiceKind::OrdinaryElectronic => InvoiceKind::VatSpecial,
                InvoiceKind::VatSpecial => InvoiceKind::OrdinaryElectronic,
            };
            // The fields the other kind lacks are gone from the Tab order.
            state.focus = 0;
            Vec::new()
        }
        (Step::Confirmation, Command::Enter) => {
            let vat = state.invoice_kind == InvoiceKind::VatSpecial;
            let typed = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            let (taxpayer, email) = (state.taxpayer_id.trim(), state.invoice_email.trim());
            let details = [
                &state.taxpayer_id,
                &state.invoice_email,
                &state.invoice_bank,
                &state.invoice_account,
                &state.invoice_address,
                &state.invoice_phone,
            ];
            // A VAT special invoice is asked for whole: the form is vetted with it.
            if vat && state.organisation && details.iter().any(|d| d.trim().is_empty()) {
                state.error = Some(Msg::new("visit-invoice-vat-incomplete"));
                return Vec::new();
            }
            // An ordinary e-invoice when the organisation asks for one (a field typed).
            let invoice = match &view.organisation {
                Some(org) if vat || !taxpayer.is_empty() || !email.is_empty() => {
                    Some(InvoiceDetails {
                        kind: state.invoice_kind,
                        title: org
                            .name_zh
                            .clone()
                            .or_else(|| org.name_latin.clone())
                            .unwrap_or_default(),
                        taxpayer_id: taxpayer.to_owned(),
                        email: email.to_owned(),
                        bank: typed(&state.invoice_bank).filter(|_| vat),
                        bank_account: typed(&state.invoice_account).filter(|_| vat),
                        address: typed(&state.invoice_address).filter(|_| vat),
                        phone: typed(&state.invoice_phone).filter(|_| vat),
                    })
                }
                _ => None,
            };
            busy(state, "visit-saving");
            vec![VisitOp::Confirm { application, invoice }]
        }
        (Step::Identity, Command::Alternative) => {
            state.reading = match (state.reading, &state.cn_reader) {
                (Reading::Chip, _) => Reading::Typed,
                (Reading::Typed, Some(_)) => Reading::Mainland,
                _ => Reading::Chip,
            };
            Vec::new()
        }
        (Step::Identity, Command::Enter) if state.reading == Reading::Mainland => {
            let Some(device) = state.cn_reader.clone() else { return Vec::new() };
            busy(state, "visit-reading-card");
            vec![VisitOp::Identity { application, input: IdentityInput::MainlandReader { device } }]
        }
        (Step::Identity, Command::Enter) if !mrz_complete(&state.mrz) => {
            // The scanner's Enter between lines, or a clerk typing the zone line by line.
            if !state.mrz.is_empty() && !state.mrz.ends_with('\n') {
                state.mrz.push('\n');
            }
            Vec::new()
        }
        (Step::Identity, Command::Enter) => {
            let text = std::mem::take(&mut state.mrz);
            let chip = state.reading == Reading::Chip;
            busy(state, if chip { "visit-reading-chip" } else { "visit-checking-identity" });
            vec![VisitOp::Identity { application, input: IdentityInput::Mrz { text, chip } }]
        }
        (Step::Photo, Command::Alternative) => {
            busy(state, "visit-camera-photo");
            vec![VisitOp::PhotoFromCamera { application }]
        }
        (Step::Photo, Command::Enter) if state.photo_path.trim().is_empty() => {
            state.error = Some(Msg::new("visit-photo-path-required"));
            Vec::new()
        }
        (Step::Photo, Command::Enter) => {
            let path = std::path::PathBuf::from(state.photo_path.trim());
            busy(state, "visit-checking-photo");
            vec![VisitOp::PhotoFromFile { application, path }]
        }
        (Step::Form, Command::Enter | Command::Alternative)
            if view.application.visit.form.is_none() || command == Command::Alternative =>
        {
            busy(state, "visit-printing-form");
            vec![VisitOp::PrintForm { application }]
        }
        // Printed: the signed copy's code is what is missing. The hand scanner needs no key;
        // Enter looks for the code with the camera (the app starts it: `looking`).
        (Step::Form, Command::Enter) => {
            busy(state, "visit-form-camera-looking");
            state.looking = true;
            Vec::new()
        }
        (Step::Payment, Command::Up | Command::Down) => {
            let all = PaymentMethod::ALL;
            let at = all.iter().position(|m| *m == state.method).unwrap_or(0);
            let n = all.len();
            let next = if command == Command::Up { (at + n - 1) % n } else { (at + 1) % n };
            state.method = all[next];
            Vec::new()
        }
        (Step::Payment, Command::Enter) if state.reference.trim().is_empty() => {
            state.error = Some(Msg::new("visit-reference-required"));
            Vec::new()
        }
        (Step::Payment, Command::Enter) => {
            let reference = state.reference.trim().to_owned();
            busy(state, "visit-recording-payment");
            vec![VisitOp::Pay { application, method: state.method, reference, invoice: None }]
        }
        (Step::Approval, Command::Supervisor) => {
            state.approval = Some(Approval {
                allow: Allow::Approve,
                reason: String::new(),
                signin: Some(SignInForm::new(Purpose::SignIn)),
            });
            Vec::new()
        }
        (Step::Details, Command::Up | Command::Down) => {
            let n = view.organisations.len() + 1;
            state.holder = if command == Command::Up {
                (state.holder + n - 1) % n
            } else {
                (state.holder + 1) % n
            };
            Vec::new()
        }
        (Step::Details, Command::Toggle) => {
            let at = CLASSES.iter().position(|c| *c == state.class).unwrap_or(0);
            state.class = CLASSES[(at + 1) % CLASSES.len()];
            Vec::new()
        }
        (Step::Details, Command::Less) => {
            state.years = state.years.saturating_sub(1).max(1);
            Vec::new()
        }
        (Step::Details, Command::More) => {
            state.years = (state.years + 1).min(5);
            Vec::new()
        }
        (Step::Details, Command::Enter) => {
            let organisation =
                state.holder.checked_sub(1).and_then(|i| view.organisations.get(i)).map(|o| o.id);
            let (class, years) = (state.class, state.years);
            busy(state, "visit-saving");
            vec![VisitOp::SetDetails { application, organisation, class, years }]
        }
        (Step::Documents, Command::Up | Command::Down) => {
            let n = papers(view).len().max(1);
            state.cursor = if command == Command::Up {
                (state.cursor + n - 1) % n
            } else {
                (state.cursor + 1) % n
            };
            Vec::new()
        }
        (Step::Documents, Command::Toggle) => {
            if let Some(doc) = papers(view).get(state.cursor).copied() {
                match state.documents.iter().position(|d| *d == doc) {
                    Some(at) => {
                        state.documents.remove(at);
                    }
                    None => state.documents.push(doc),
                }
            }
            Vec::new()
        }
        (Step::Documents, Command::Enter) => {
            let documents = state.documents.clone();
            busy(state, "visit-saving");
            vec![VisitOp::Documents { application, documents }]
        }
        (Step::Address, Command::Enter) if state.address.trim().is_empty() => {
            state.error = Some(Msg::new("visit-address-required"));
            Vec::new()
        }
        (Step::Address, Command::Enter) => {
            let address = state.address.trim().to_owned();
            busy(state, "visit-saving");
            vec![VisitOp::SetAddress { application, address }]
        }
        (Step::Revocation, Command::Up | Command::Down) => {
            let all = REASONS;
            let at = all.iter().position(|r| *r == state.reason).unwrap_or(0);
            let n = all.len();
            let next = if command == Command::Up { (at + n - 1) % n } else { (at + 1) % n };
            state.reason = all[next];
            state.armed = false;
            Vec::new()
        }
        // Revocation is final: the first Enter says so, the second revokes.
        (Step::Revocation, Command::Enter) if !state.armed => {
            state.armed = true;
            state.info = vec![Msg::new("visit-revoke-armed")];
            Vec::new()
        }
        (Step::Revocation, Command::Enter) => {
            state.armed = false;
            let reason = state.reason;
            busy(state, "visit-revoking");
            vec![VisitOp::Revoke { application, reason }]
        }
        (Step::PinReset, Command::Enter) if state.pin.is_empty() => {
            state.focus = 0;
            state.error = Some(Msg::new("visit-new-pin-required"));
            Vec::new()
        }
        (Step::PinReset, Command::Enter) if state.pin_again.is_empty() => {
            state.focus = 1;
            Vec::new()
        }
        (Step::PinReset, Command::Enter) if *state.pin != *state.pin_again => {
            state.pin = Zeroizing::new(String::new());
            state.pin_again = Zeroizing::new(String::new());
            state.focus = 0;
            state.error = Some(Msg::new("visit-pins-differ"));
            Vec::new()
        }
        (Step::PinReset, Command::Enter) => {
            let new_pin = tokens::pin::Pin::new(std::mem::take(&mut *state.pin));
            state.pin_again = Zeroizing::new(String::new());
            busy(state, "visit-resetting-pin");
            vec![VisitOp::ResetPin { application, new_pin }]
        }
        (Step::Approval, Command::Enter) => {
            state.error = Some(Msg::new("visit-approval-hint"));
            Vec::new()
        }
        (Step::Recheck, Command::Enter) => {
            busy(state, "visit-rechecking");
            vec![VisitOp::Recheck { application }]
        }
        // The other way: a PKCS#12 file, where the certificate's profile allows one.
        (Step::Issuance, Command::Alternative)
            if crate::visits::pkcs12_allowed(&view.application) =>
        {
            state.pkcs12 = !state.pkcs12;
            state.focus = 0;
            // A PIN is not a password: what was typed for one way is typed again for the other.
            state.pin = Zeroizing::new(String::new());
            state.pin_again = Zeroizing::new(String::new());
            Vec::new()
        }
        (Step::Issuance, Command::Alternative) if state.service == Service::NewIssuance => {
            state.error = Some(Msg::new("visit-pkcs12-not-allowed"));
            Vec::new()
        }
        (Step::Issuance, Command::Enter) => issue(state, application),
        (Step::Completion, Command::Enter) => {
            busy(state, "visit-saving");
            vec![VisitOp::Complete { application }]
        }
        (Step::Identity, Command::Supervisor)
            if view.application.visit.identity.as_ref().is_some_and(|c| !c.passed()) =>
        {
            state.approval = Some(Approval {
                allow: Allow::OverrideIdentity,
                reason: String::new(),
                signin: None,
            });
            Vec::new()
        }
        (step, Command::Supervisor) if skippable(view, step) => {
            state.approval =
                Some(Approval { allow: Allow::Skip(step), reason: String::new(), signin: None });
            Vec::new()
        }
        (_, Command::Supervisor) => {
            state.error = Some(Msg::new("visit-nothing-to-approve"));
            Vec::new()
        }
        (_, Command::Alternative) => {
            state.error = Some(Msg::new("visit-no-alternative"));
            Vec::new()
        }
        // Between the fields of a form, ↑ and ↓ move as Tab does.
        (step, Command::Up | Command::Down)
            if inputs(state.service, step, state.invoice(), state.pkcs12).len() > 1 =>
        {
            let n = inputs(state.service, step, state.invoice(), state.pkcs12).len();
            state.focus = if command == Command::Up {
                (state.focus + n - 1) % n
            } else {
                (state.focus + 1) % n
            };
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Enter on the issuance step: each field typed (a new PIN or a file's password twice, the
/// same, and within its rule), then the issuance.
fn issue(state: &mut VisitState, application: RecordId) -> Vec<VisitOp> {
    let list = inputs(state.service, Step::Issuance, state.invoice(), state.pkcs12);
    let at = |input: Input| list.iter().position(|i| *i == input).unwrap_or(0);
    let twice = list.contains(&Input::PinAgain);
    if state.pin.is_empty() {
        state.focus = at(Input::Pin);
        state.error = Some(Msg::new(match (state.pkcs12, twice) {
            (true, _) => "visit-pkcs12-password-required",
            (false, true) => "visit-new-pin-required",
            (false, false) => "visit-pin-required",
        }));
        return Vec::new();
    }
    if twice {
        // The rule before the second typing: the job checks it again, against the token too.
        let problems = if state.pkcs12 {
            registry::credentials::cloud_sign_password_problems(&state.pin)
        } else {
            registry::credentials::token_pin_problems(&state.pin)
        };
        let differ = !state.pin_again.is_empty() && *state.pin != *state.pin_again;
        let refusal = match problems.first() {
            Some(problem) => Some(*problem),
            None if differ && state.pkcs12 => Some("visit-passwords-differ"),
            None if differ => Some("visit-pins-differ"),
            None => None,
        };
        if let Some(id) = refusal {
            state.pin = Zeroizing::new(String::new());
            state.pin_again = Zeroizing::new(String::new());
            state.focus = at(Input::Pin);
            state.error = Some(Msg::new(id));
            return Vec::new();
        }
        if state.pin_again.is_empty() {
            state.focus = at(Input::PinAgain);
            return Vec::new();
        }
    }
    if state.phrase.is_empty() {
        state.focus = at(Input::Phrase);
        return Vec::new();
    }
    let pin = tokens::pin::Pin::new(std::mem::take(&mut *state.pin));
    state.pin_again = Zeroizing::new(String::new());
    let phrase = std::mem::replace(&mut state.phrase, Zeroizing::new(String::new()));
    let (medium, doing) = if state.pkcs12 {
        let path = state.pkcs12_path.trim();
        let path = (!path.is_empty()).then(|| std::path::PathBuf::from(path));
        (IssueMedium::Pkcs12File { path }, "visit-issuing-pkcs12")
    } else {
        (IssueMedium::Token, "visit-issuing")
    };
    busy(state, doing);
    vec![VisitOp::Issue { application, pin, phrase, medium }]
}

fn skippable(view: &VisitView, step: Step) -> bool {
    view.plan.iter().any(|p| p.step == step && p.skip == Skip::Supervisor)
}

fn busy(state: &mut VisitState, id: &'static str) {
    state.busy = Some(Msg::new(id));
    state.error = None;
    state.info.clear();
}

fn approval_command(state: &mut VisitState, command: Command, clerk: &SignedIn) -> Vec<VisitOp> {
    let Some(approval) = &mut state.approval else { return Vec::new() };
    let _ = clerk;
    match (command, &mut approval.signin) {
        (Command::Back, None) => {
            state.approval = None;
            Vec::new()
        }
        (Command::Back, Some(form)) => {
            if form.step == crate::ui::screens::signin::Step::Id {
                approval.signin = None;
                if !approval.needs_reason() {
                    state.approval = None;
                }
            } else {
                form.back();
            }
            Vec::new()
        }
        (Command::Enter, None) => {
            if approval.reason.trim().is_empty() {
                state.error = Some(Msg::new("visit-reason-required"));
            } else {
                state.error = None;
                approval.signin = Some(SignInForm::new(Purpose::SignIn));
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The supervisor's sign-in answered: the operation they allow, or why not.
pub fn supervisor_signed_in(
    state: &mut VisitState,
    who: SignedIn,
    clerk: RecordId,
) -> Vec<VisitOp> {
    let Some(approval) = state.approval.take() else { return Vec::new() };
    let Some(application) = state.application() else { return Vec::new() };
    if who.role != StaffRole::Supervisor {
        state.error = Some(Msg::new("visit-not-a-supervisor"));
        return Vec::new();
    }
    // Skips, overrides and refunds allow what the clerk at the keyboard does: never their own.
    // An approval is of an application someone submitted: never by them (a supervisor at this
    // counter approves from their queue what another clerk submitted).
    let own = match approval.allow {
        Allow::Approve => {
            state.view.as_ref().and_then(|v| v.application.progress.submitted_by) == Some(who.clerk)
        }
        _ => who.clerk == clerk,
    };
    if own {
        state.error = Some(Msg::new("visit-own-approval"));
        return Vec::new();
    }
    let supervisor = who.clerk;
    let reason = approval.reason.trim().to_owned();
    busy(state, "visit-saving");
    vec![match approval.allow {
        Allow::Skip(step) => VisitOp::Skip { application, step, supervisor, reason },
        Allow::OverrideIdentity => VisitOp::OverrideIdentity { application, supervisor, reason },
        Allow::Approve => VisitOp::Approve { application, supervisor },
        Allow::Refund => VisitOp::Cancel { application, supervisor: Some(supervisor), reason },
    }]
}

// ---- view ----

fn t(lang: Language, id: &str) -> String {
    i18n::text(lang, id)
}

pub fn step_id(step: Step) -> &'static str {
    match step {
        Step::Certificates => "visit-step-certificates",
        Step::Identity => "visit-step-identity",
        Step::Email => "visit-step-email",
        Step::Consent => "visit-step-consent",
        Step::Photo => "visit-step-photo",
        Step::Details => "visit-step-details",
        Step::Documents => "visit-step-documents",
        Step::Confirmation => "visit-step-confirmation",
        Step::Payment => "visit-step-payment",
        Step::Form => "visit-step-form",
        Step::Approval => "visit-step-approval",
        Step::Recheck => "visit-step-recheck",
        Step::Issuance => "visit-step-issuance",
        Step::PinReset => "visit-step-pin-reset",
        Step::Revocation => "visit-step-revocation",
        Step::Address => "visit-step-address",
        Step::Completion => "visit-step-completion",
    }
}

fn method_id(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => "visit-method-cash",
        PaymentMethod::Card => "visit-method-card",
        PaymentMethod::Transfer => "visit-method-transfer",
    }
}

fn day(at: OffsetDateTime, offset: UtcOffset) -> String {
    let d = at.to_offset(offset).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn minute(at: OffsetDateTime, offset: UtcOffset) -> String {
    let l = at.to_offset(offset);
    format!("{} {:02}:{:02}", day(at, offset), l.hour(), l.minute())
}

fn checkbox(checked: bool, label: String) -> Line<'static> {
    Line::from(format!("{} {label}", if checked { "[x]" } else { "[ ]" }))
}

pub fn view(
    state: &VisitState,
    lang: Language,
    offset: UtcOffset,
    now: OffsetDateTime,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let title = format!(" {} ", t(lang, &crate::ui::screens::queue::service_id(state.service)));
    let block = Block::new().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(view) = &state.view else {
        let msg = state.error.as_ref().or(state.busy.as_ref());
        let text = msg.map(|m| m.text(lang)).unwrap_or_default();
        frame.render_widget(
            Paragraph::new(safe(&text).into_owned()).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };
    let [steps_area, body] =
        Layout::horizontal([Constraint::Length(22), Constraint::Min(20)]).areas(inner);
    steps_column(view, lang, frame, steps_area);
    let width = usize::from(body.width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let name = crate::counter::both_names(
        view.applicant.name_zh.as_deref(),
        view.applicant.name_latin.as_deref(),
        " ",
    )
    .unwrap_or_default();
    lines.push(Line::styled(
        fit(&format!("{} · {}", safe(&name), view.application.reference), width),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    match view.current() {
        Some(step) => {
            lines.push(Line::styled(
                fit(&t(lang, step_id(step)), width),
                Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            ));
            step_body(state, view, step, lang, offset, now, width, &mut lines);
        }
        None => finished_body(view, lang, offset, &mut lines),
    }
    lines.push(Line::from(""));
    if let Some(busy) = &state.busy {
        lines.push(Line::styled(
            fit(&safe(&busy.text(lang)), width),
            Style::new().fg(Color::Yellow),
        ));
    }
    if let Some(error) = &state.error {
        lines.push(Line::styled(
            safe(&error.text(lang)).into_owned(),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    for info in &state.info {
        lines
            .push(Line::styled(safe(&info.text(lang)).into_owned(), Style::new().fg(Color::Green)));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    // The supervisor's approval sits over the lower part of the step, whatever its length:
    // what is approved, the reason, and the sign-in are never pushed off the screen.
    if let Some(approval) = &state.approval {
        let mut lines = Vec::new();
        approval_lines(approval, lang, &mut lines);
        let inner_width = body.width.saturating_sub(2).max(1);
        let rows: u16 = lines
            .iter()
            .map(|l| {
                u16::try_from(l.width().div_ceil(usize::from(inner_width)).max(1)).unwrap_or(1)
            })
            .sum();
        let height = (rows + 2).min(body.height);
        let area = Rect { y: body.y + body.height - height, height, ..body };
        frame.render_widget(ratatui::widgets::Clear, area);
        let block =
            Block::new().borders(Borders::ALL).border_style(Style::new().fg(Color::Magenta));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
    }
}

fn steps_column(view: &VisitView, lang: Language, frame: &mut Frame<'_>, area: Rect) {
    let current = view.current();
    let visit = &view.application.visit;
    let width = usize::from(area.width.saturating_sub(1));
    let lines: Vec<Line<'static>> = view
        .plan
        .iter()
        .map(|p| {
            let (mark, style) = if Some(p.step) == current {
                ("▶", Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED))
            } else if visit.skipped.contains_key(&p.step) {
                ("–", Style::new().add_modifier(Modifier::DIM))
            } else if visit.done(p.step.records()) {
                ("✓", Style::new().fg(Color::Green))
            } else {
                ("·", Style::new().add_modifier(Modifier::DIM))
            };
            Line::styled(fit(&format!("{mark} {}", t(lang, step_id(p.step))), width), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

#[allow(clippy::too_many_arguments)]
fn step_body(
    state: &VisitState,
    view: &VisitView,
    step: Step,
    lang: Language,
    offset: UtcOffset,
    now: OffsetDateTime,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let visit = &view.application.visit;
    let focused = |input: Input| state.approval.is_none() && state.input() == Some(input);
    match step {
        Step::Certificates if state.service != Service::Renewal => {
            // Where the phrase is typed, Space is a character: F4 ticks.
            let hint = if state.service == Service::Revocation {
                "visit-pick-certificates-f4"
            } else {
                "visit-pick-certificates"
            };
            lines.push(Line::from(t(lang, hint)));
            for (i, cert) in view.certificates.iter().enumerate() {
                let serial = cert.serial.clone().unwrap_or_default();
                let expiry = cert.not_after.map(|d| day(d, offset)).unwrap_or_default();
                let days = cert.days_left(now).unwrap_or(0);
                let text = i18n::text_with(
                    lang,
                    "visit-certificate-line",
                    &[("serial", serial.into()), ("expiry", expiry.into()), ("days", days.into())],
                );
                let picked = if state.selected.contains(&cert.id) { "[x]" } else { "[ ]" };
                let here = i == state.cursor && state.approval.is_none();
                let mark = if here { "▶" } else { " " };
                // Whole, wrapped: a serial is 32 hex digits, and its expiry must show.
                let line = format!("{mark}{picked} {}", safe(&text));
                lines.push(if here {
                    Line::styled(line, Style::new().add_modifier(Modifier::REVERSED))
                } else {
                    Line::from(line)
                });
                lines.push(Line::from(fit(&format!("    {}", safe(&cert.subject.cn)), width)));
            }
            if state.service == Service::Revocation {
                lines.push(field(
                    t(lang, "visit-phrase"),
                    &state.phrase,
                    true,
                    focused(Input::Phrase),
                ));
                lines.push(Line::from(t(lang, "visit-phrase-hint")));
            }
        }
        Step::Certificates | Step::Confirmation => {
            for cert in &view.certificates {
                let serial = cert.serial.clone().unwrap_or_default();
                let expiry = cert.not_after.map(|d| day(d, offset)).unwrap_or_default();
                let days = cert.days_left(now).unwrap_or(0);
                let text = i18n::text_with(
                    lang,
                    "visit-certificate-line",
                    &[("serial", serial.into()), ("expiry", expiry.into()), ("days", days.into())],
                );
                let fixed = if step == Step::Certificates { "[x] " } else { "" };
                lines.push(Line::from(format!("{fixed}{}", safe(&text))));
                lines.push(Line::from(fit(&format!("    {}", safe(&cert.subject.cn)), width)));
            }
            if step == Step::Certificates {
                lines.push(Line::from(t(lang, "visit-due-fixed")));
                lines.push(checkbox(state.new_key, t(lang, "visit-new-key")));
            } else {
                if let Some(fee) = view.fee {
                    lines.push(Line::from(i18n::text_with(
                        lang,
                        "visit-fee",
                        &[("fee", fee.to_string().into())],
                    )));
                }
                lines.push(checkbox(state.checked, t(lang, "visit-agreement")));
                if let Some(kind) = state.invoice() {
                    let (name, hint) = match kind {
                        InvoiceKind::OrdinaryElectronic => {
                            ("visit-invoice-ordinary", "visit-invoice-hint")
                        }
                        InvoiceKind::VatSpecial => {
                            ("visit-invoice-vat-special", "visit-invoice-vat-hint")
                        }
                    };
                    lines.push(Line::from(fit(
                        &i18n::text_with(
                            lang,
                            "visit-invoice-kind",
                            &[("kind", t(lang, name).into())],
                        ),
                        width,
                    )));
                    lines.push(Line::from(t(lang, hint)));
                    for input in inputs(state.service, step, Some(kind), state.pkcs12) {
                        let (label, value) = match input {
                            Input::TaxpayerId => ("visit-taxpayer-id", &state.taxpayer_id),
                            Input::InvoiceEmail => ("visit-invoice-email", &state.invoice_email),
                            Input::InvoiceBank => ("visit-invoice-bank", &state.invoice_bank),
                            Input::InvoiceAccount => {
                                ("visit-invoice-account", &state.invoice_account)
                            }
                            Input::InvoiceAddress => {
                                ("visit-invoice-address", &state.invoice_address)
                            }
                            Input::InvoicePhone => ("visit-invoice-phone", &state.invoice_phone),
                            _ => continue,
                        };
                        lines.push(field(t(lang, label), value, false, focused(*input)));
                    }
                }
            }
        }
        Step::Email => {
            for (i, check) in visit.emails.iter().enumerate() {
                let status = match (&check.verified_at, &check.unverified) {
                    (Some(at), _) => i18n::text_with(
                        lang,
                        "visit-email-verified-at",
                        &[("at", minute(*at, offset).into())],
                    ),
                    (None, Some(_)) => t(lang, "visit-email-unverified"),
                    (None, None) => t(lang, "visit-email-waiting"),
                };
                let mark = if i == state.email { "▶" } else { " " };
                lines.push(Line::from(fit(
                    &format!("{mark} {} — {status}", safe(&check.address)),
                    width,
                )));
            }
            if visit.emails.is_empty() {
                lines.push(Line::from(t(lang, "visit-no-email")));
            }
            lines.push(field(t(lang, "visit-code"), &state.code, false, focused(Input::Code)));
            lines.push(Line::from(t(lang, "visit-email-hint")));
        }
        Step::Consent => {
            lines.push(Line::from(t(lang, "visit-consent-statement")));
            lines.push(checkbox(state.checked, t(lang, "visit-consent")));
        }
        Step::Identity => {
            if state.reading == Reading::Mainland {
                lines.push(Line::from(t(lang, "visit-mainland-hint")));
            } else {
                lines.push(Line::from(t(lang, "visit-identity-hint")));
                let mrz_lines: Vec<&str> = state.mrz.split('\n').collect();
                for (i, l) in mrz_lines.iter().enumerate() {
                    let label = if i == 0 { t(lang, "visit-mrz") } else { String::new() };
                    let here = focused(Input::Mrz) && i + 1 == mrz_lines.len();
                    lines.push(field(label, l, false, here));
                }
            }
            let how = match state.reading {
                Reading::Chip => "visit-chip-on",
                Reading::Typed => "visit-chip-off",
                Reading::Mainland => "visit-mainland-on",
            };
            lines.push(Line::from(t(lang, how)));
            if let Some(check) = &visit.identity
                && let Some(refusal) = check.refusal()
            {
                lines.push(Line::styled(
                    t(lang, refusal.message_id()),
                    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                ));
                for field in &check.mismatches {
                    lines.push(Line::from(format!("  ✗ {}", t(lang, field.message_id()))));
                }
                lines.push(Line::from(t(lang, "visit-identity-override-hint")));
            }
        }
        Step::Photo => {
            lines.push(Line::from(t(lang, "visit-photo-hint")));
            lines.push(field(
                t(lang, "visit-photo-file"),
                &state.photo_path,
                false,
                focused(Input::PhotoPath),
            ));
            if view.chip_photo.is_some() {
                lines.push(Line::from(t(lang, "visit-chip-photo-kept")));
            }
        }
        Step::Form => match &visit.form {
            None => lines.push(Line::from(t(lang, "visit-form-hint"))),
            Some(form) => {
                lines.push(Line::from(i18n::text_with(
                    lang,
                    "visit-form-printed-at",
                    &[("at", minute(form.printed_at, offset).into())],
                )));
                lines.push(Line::from(t(lang, "visit-scan-signed-form")));
            }
        },
        Step::Payment => {
            if let Some(fee) = view.application.progress.fee.or(view.fee) {
                lines.push(Line::from(i18n::text_with(
                    lang,
                    "visit-fee",
                    &[("fee", fee.to_string().into())],
                )));
            }
            let methods: Vec<String> = PaymentMethod::ALL
                .iter()
                .map(|m| {
                    let name = t(lang, method_id(*m));
                    if *m == state.method { format!("[{name}]") } else { format!(" {name} ") }
                })
                .collect();
            lines.push(Line::from(fit(
                &format!("{}: {}", t(lang, "visit-method"), methods.join(" ")),
                width,
            )));
            lines.push(field(
                t(lang, "visit-reference"),
                &state.reference,
                false,
                focused(Input::Reference),
            ));
        }
        Step::Approval => {
            let waiting = view.application.progress.state == ApplicationState::AwaitingApproval;
            let id = if waiting { "visit-approval-waiting" } else { "visit-approval-hint" };
            lines.push(Line::from(t(lang, id)));
            // What the supervisor approves: the service, its certificates, and why a second
            // person is needed.
            for cert in &view.certificates {
                let serial = cert.serial.clone().unwrap_or_default();
                lines.push(Line::from(format!("  {serial} {}", safe(&cert.subject.cn))));
            }
            let application = &view.application;
            if application.identity_override {
                lines.push(Line::from(t(lang, "visit-approval-why-identity")));
            }
            if application.service == Service::Revocation && !application.revocation_phrase_verified
            {
                lines.push(Line::from(t(lang, "visit-approval-why-no-phrase")));
            }
            if application.service == Service::PinUnlock {
                lines.push(Line::from(t(lang, "visit-approval-why-pin-unlock")));
            }
        }
        Step::Recheck => lines.push(Line::from(t(lang, "visit-recheck-hint"))),
        Step::Issuance if state.pkcs12 => {
            lines.push(Line::from(t(lang, "visit-issuance-hint-pkcs12")));
            let path = &state.pkcs12_path;
            lines.push(field(
                t(lang, "visit-pkcs12-path"),
                path,
                false,
                focused(Input::Pkcs12Path),
            ));
            lines.push(field(
                t(lang, "visit-pkcs12-password"),
                &state.pin,
                true,
                focused(Input::Pin),
            ));
            lines.push(field(
                t(lang, "visit-pkcs12-password-again"),
                &state.pin_again,
                true,
                focused(Input::PinAgain),
            ));
            lines.push(field(t(lang, "visit-phrase"), &state.phrase, true, focused(Input::Phrase)));
        }
        Step::Issuance => {
            let hint = match state.service {
                Service::Renewal | Service::Change => "visit-issuance-hint",
                _ => "visit-issuance-hint-blank",
            };
            lines.push(Line::from(t(lang, hint)));
            if crate::visits::pkcs12_allowed(&view.application) {
                lines.push(Line::from(t(lang, "visit-issuance-f5-pkcs12")));
            }
            let list = inputs(state.service, step, state.invoice(), false);
            if list.contains(&Input::PinAgain) {
                lines.push(field(t(lang, "visit-new-pin"), &state.pin, true, focused(Input::Pin)));
                lines.push(field(
                    t(lang, "visit-new-pin-again"),
                    &state.pin_again,
                    true,
                    focused(Input::PinAgain),
                ));
            } else {
                lines.push(field(t(lang, "visit-pin"), &state.pin, true, focused(Input::Pin)));
            }
            lines.push(field(t(lang, "visit-phrase"), &state.phrase, true, focused(Input::Phrase)));
        }
        Step::Completion => {
            done_lines(view, lang, offset, width, lines);
            lines.push(Line::from(t(lang, "visit-completion-hint")));
        }
        Step::Revocation => {
            lines.push(Line::styled(
                t(lang, "visit-revocation-final"),
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ));
            for cert in &view.certificates {
                let serial = cert.serial.clone().unwrap_or_default();
                lines.push(Line::from(fit(
                    &format!("  {serial} {}", safe(&cert.subject.cn)),
                    width,
                )));
            }
            let reasons: Vec<String> = REASONS
                .iter()
                .map(|r| {
                    let name = t(lang, reason_id(*r));
                    if *r == state.reason { format!("[{name}]") } else { name }
                })
                .collect();
            lines.push(Line::from(format!(
                "{}: {}",
                t(lang, "visit-reason-for-revocation"),
                reasons.join(" · ")
            )));
        }
        Step::PinReset => {
            lines.push(Line::from(t(lang, "visit-pin-reset-hint")));
            lines.push(field(t(lang, "visit-new-pin"), &state.pin, true, focused(Input::Pin)));
            lines.push(field(
                t(lang, "visit-new-pin-again"),
                &state.pin_again,
                true,
                focused(Input::PinAgain),
            ));
        }
        Step::Details => {
            lines.push(Line::from(t(lang, "visit-details-hint")));
            let personal = crate::counter::both_names(
                view.applicant.name_zh.as_deref(),
                view.applicant.name_latin.as_deref(),
                " ",
            )
            .unwrap_or_default();
            let holders = std::iter::once(i18n::text_with(
                lang,
                "visit-holder-personal",
                &[("name", personal.into())],
            ))
            .chain(view.organisations.iter().map(|o| {
                let name = o.name_zh.clone().or_else(|| o.name_latin.clone()).unwrap_or_default();
                i18n::text_with(lang, "visit-holder-organisation", &[("name", name.into())])
            }));
            for (i, holder) in holders.enumerate() {
                let mark = if i == state.holder { "(•)" } else { "( )" };
                lines.push(Line::from(fit(&format!("{mark} {}", safe(&holder)), width)));
            }
            let classes: Vec<String> = CLASSES
                .iter()
                .map(|c| {
                    let name = t(lang, class_id(*c));
                    if *c == state.class { format!("[{name}]") } else { name }
                })
                .collect();
            lines.push(Line::from(format!("{}: {}", t(lang, "visit-class"), classes.join(" · "))));
            lines.push(Line::from(i18n::text_with(
                lang,
                "visit-years",
                &[("years", i64::from(state.years).into())],
            )));
        }
        Step::Documents => {
            lines.push(Line::from(t(lang, "visit-documents-hint")));
            for (i, doc) in papers(view).iter().enumerate() {
                let mark = if i == state.cursor { "▶" } else { " " };
                let ticked = if state.documents.contains(doc) { "[x]" } else { "[ ]" };
                lines.push(Line::from(fit(
                    &format!("{mark}{ticked} {}", t(lang, document_id(*doc))),
                    width,
                )));
            }
        }
        Step::Address => {
            lines.push(Line::from(t(lang, "visit-address-hint")));
            lines.push(field(
                t(lang, "visit-address"),
                &state.address,
                false,
                focused(Input::Address),
            ));
        }
    }
}

fn class_id(class: CertificateClass) -> &'static str {
    match class {
        CertificateClass::Qualified => "visit-class-qualified",
        CertificateClass::Standard => "visit-class-standard",
        CertificateClass::Encryption => "visit-class-encryption",
        CertificateClass::CloudSign => "visit-class-cloud-sign",
    }
}

pub fn document_id(doc: DocumentKind) -> &'static str {
    match doc {
        DocumentKind::SignedApplicationForm => "visit-doc-signed-form",
        DocumentKind::SealSampleForm => "visit-doc-seal-sample",
        DocumentKind::BusinessLicence => "visit-doc-business-licence",
        DocumentKind::LegalRepresentativeId => "visit-doc-legal-representative-id",
        DocumentKind::AgentId => "visit-doc-agent-id",
        DocumentKind::ApplicantId => "visit-doc-applicant-id",
    }
}

fn reason_id(reason: RevocationReason) -> &'static str {
    match reason {
        RevocationReason::Unspecified => "visit-reason-unspecified",
        RevocationReason::KeyCompromise => "visit-reason-key-compromise",
        RevocationReason::AffiliationChanged => "visit-reason-affiliation-changed",
        RevocationReason::Superseded => "visit-reason-superseded",
        RevocationReason::CessationOfOperation => "visit-reason-cessation",
    }
}

/// What the visit did, as its completion shows it: each service its own.
fn done_lines(
    view: &VisitView,
    lang: Language,
    offset: UtcOffset,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let green = Style::new().fg(Color::Green);
    match view.application.service {
        Service::Revocation => {
            lines.push(Line::styled(t(lang, "visit-revoked-done"), green));
            for cert in &view.certificates {
                let serial = cert.serial.clone().unwrap_or_default();
                let status = match cert.status {
                    registry::model::CertificateStatus::Revoked => t(lang, "visit-status-revoked"),
                    _ => t(lang, "visit-status-not-revoked"),
                };
                lines.push(Line::from(fit(&format!("  {serial} · {status}"), width)));
            }
        }
        Service::PinUnlock => lines.push(Line::styled(t(lang, "visit-pin-reset"), green)),
        _ => {
            if !view.application.visit.issued.is_empty() {
                lines.push(Line::styled(t(lang, "visit-activated"), green));
            }
            issued_lines(view, lang, offset, lines);
        }
    }
}

fn issued_lines(
    view: &VisitView,
    lang: Language,
    offset: UtcOffset,
    lines: &mut Vec<Line<'static>>,
) {
    for issued in &view.application.visit.issued {
        let old = i18n::text_with(
            lang,
            "visit-old-certificate",
            &[
                ("serial", issued.previous_serial.clone().unwrap_or_default().into()),
                (
                    "expiry",
                    issued.previous_not_after.map(|d| day(d, offset)).unwrap_or_default().into(),
                ),
            ],
        );
        let new = i18n::text_with(
            lang,
            "visit-new-certificate",
            &[
                ("serial", issued.serial.clone().into()),
                ("expiry", day(issued.not_after, offset).into()),
            ],
        );
        // Whole, wrapped: a serial is 32 hex digits, and the expiry after it must show.
        // A new certificate renews nothing: no old line.
        if issued.previous_serial.is_some() {
            lines.push(Line::from(safe(&old).into_owned()));
        }
        lines.push(Line::from(safe(&new).into_owned()));
    }
}

fn finished_body(
    view: &VisitView,
    lang: Language,
    offset: UtcOffset,
    lines: &mut Vec<Line<'static>>,
) {
    let state = view.application.progress.state;
    let id = match state {
        ApplicationState::Completed => "visit-completed",
        ApplicationState::Cancelled => "visit-cancelled",
        ApplicationState::Rejected => "visit-rejected",
        _ => "visit-all-steps-done",
    };
    lines.push(Line::styled(
        t(lang, id),
        Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
    ));
    done_lines(view, lang, offset, 200, lines);
}

fn approval_lines(approval: &Approval, lang: Language, lines: &mut Vec<Line<'static>>) {
    let what = match approval.allow {
        Allow::Skip(step) => {
            i18n::text_with(lang, "visit-allow-skip", &[("step", t(lang, step_id(step)).into())])
        }
        Allow::OverrideIdentity => t(lang, "visit-allow-override"),
        Allow::Approve => t(lang, "visit-allow-approve"),
        Allow::Refund => t(lang, "visit-allow-refund"),
    };
    lines.push(Line::styled(what, Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)));
    if approval.needs_reason() {
        lines.push(field(
            t(lang, "visit-reason"),
            &approval.reason,
            false,
            approval.signin.is_none(),
        ));
    }
    if let Some(form) = &approval.signin {
        use crate::ui::screens::signin::Step as S;
        lines.push(field(t(lang, "signin-id"), &form.username, false, form.step == S::Id));
        if form.step != S::Id {
            lines.push(field(
                t(lang, "signin-password"),
                &form.password,
                true,
                form.step == S::Password,
            ));
        }
        if form.step == S::Code {
            lines.push(field(t(lang, "signin-code"), &form.code, false, true));
        }
        if form.busy {
            lines.push(Line::styled(t(lang, "signin-checking"), Style::new().fg(Color::Yellow)));
        }
        if let Some(error) = &form.error {
            lines.push(Line::styled(
                safe(&error.text(lang)).into_owned(),
                Style::new().fg(Color::Red),
            ));
        }
    }
}
