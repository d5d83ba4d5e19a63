//! The step plan of a counter visit: which steps a service needs, in which order, which may be
//! skipped and by whom, and what each step must have recorded before the next one opens. The
//! counter app only walks the plan; the rules live here, pure and table-tested.
//!
//! A visit records [`Fact`]s as its steps complete (kept on the draft application, so a visit
//! resumes at the same step after a crash, a lock or on another kiosk). A step opens when every
//! fact of the steps before it is recorded or those steps were skipped by someone allowed to.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::model::{
    Certificate, CertificateClass, HolderKind, IdDocumentKind, Person, RecordId, Service, StaffRole,
};

/// One step of a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The certificates the visit is about. For a renewal, the ones due are pre-selected and
    /// cannot be deselected (seed 000).
    Certificates,
    /// The applicant's identity document read (chip with passive authentication, the Mainland
    /// reader, or a typed MRZ) and compared with the record.
    Identity,
    /// Every email address on the certificates verified by a 6-digit code.
    Email,
    /// Consent to the personal-data collection statement.
    Consent,
    /// A recent photo, compared side by side with the chip's.
    Photo,
    /// The subject's details entered or changed (new certificate, change of details).
    Details,
    /// The organisation's papers: business licence, legal representative's and agent's IDs.
    Documents,
    /// The person checks every certificate record and accepts the applicant agreement.
    Confirmation,
    /// Fee from the price table, payment reference, invoice details.
    Payment,
    /// The application form printed for signature and stamp; done when its signed copy's QR
    /// code is scanned back.
    Form,
    /// A supervisor approves (signs in on the same screen; never their own action).
    Approval,
    /// Before activation: still due, and nothing changed since the form was printed.
    Recheck,
    /// The key generated and the certificate issued on the token.
    Issuance,
    /// The token's user PIN reset with the SO PIN.
    PinReset,
    /// The certificate revoked (irreversible), with its seals.
    Revocation,
    /// The new mailing address for a token sent by post.
    Address,
    /// The completion notice (old and new serial and expiry for a renewal).
    Completion,
}

/// What a completed step records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    CertificatesChosen,
    IdentityChecked,
    EmailsVerified,
    ConsentGiven,
    PhotoTaken,
    DetailsEntered,
    DocumentsCollected,
    DataConfirmed,
    Paid,
    FormPrinted,
    Approved,
    Rechecked,
    Issued,
    PinReset,
    Revoked,
    AddressChanged,
    Completed,
}

impl Step {
    /// Every step, in declaration order.
    pub const ALL: [Step; 17] = [
        Step::Certificates,
        Step::Identity,
        Step::Email,
        Step::Consent,
        Step::Photo,
        Step::Details,
        Step::Documents,
        Step::Confirmation,
        Step::Payment,
        Step::Form,
        Step::Approval,
        Step::Recheck,
        Step::Issuance,
        Step::PinReset,
        Step::Revocation,
        Step::Address,
        Step::Completion,
    ];

    /// The fact this step records when it completes.
    pub fn records(self) -> Fact {
        match self {
            Step::Certificates => Fact::CertificatesChosen,
            Step::Identity => Fact::IdentityChecked,
            Step::Email => Fact::EmailsVerified,
            Step::Consent => Fact::ConsentGiven,
            Step::Photo => Fact::PhotoTaken,
            Step::Details => Fact::DetailsEntered,
            Step::Documents => Fact::DocumentsCollected,
            Step::Confirmation => Fact::DataConfirmed,
            Step::Payment => Fact::Paid,
            Step::Form => Fact::FormPrinted,
            Step::Approval => Fact::Approved,
            Step::Recheck => Fact::Rechecked,
            Step::Issuance => Fact::Issued,
            Step::PinReset => Fact::PinReset,
            Step::Revocation => Fact::Revoked,
            Step::Address => Fact::AddressChanged,
            Step::Completion => Fact::Completed,
        }
    }
}

/// Who may skip a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    Never,
    /// A supervisor, with a written reason (an email that cannot be verified offline, say).
    Supervisor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedStep {
    pub step: Step,
    pub skip: Skip,
}

const fn never(step: Step) -> PlannedStep {
    PlannedStep { step, skip: Skip::Never }
}

const fn supervisor_may_skip(step: Step) -> PlannedStep {
    PlannedStep { step, skip: Skip::Supervisor }
}

/// What a visit's plan depends on besides the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Circumstances {
    pub holder: HolderKind,
    pub class: CertificateClass,
    /// Revocation: the applicant gave the revocation phrase set at issuance.
    pub revocation_phrase_given: bool,
    /// A supervisor accepted the person despite a failed identity check: a supervisor approves
    /// the application once it is submitted (the state machine holds it for one).
    pub identity_overridden: bool,
}

/// Every message id this module's errors and fields produce (checked in every language by the
/// i18n crate's tests; a test here checks the list against the enums).
pub const ALL_MESSAGE_IDS: &[&str] = &[
    "visit-cloud-sign-online-only",
    "visit-identity-unsupported-document",
    "visit-identity-invalid-data",
    "visit-identity-chip-not-authentic",
    "visit-field-document-number",
    "visit-field-name",
    "visit-field-birth-date",
    "visit-field-expiry",
    "visit-recheck-no-longer-due",
    "visit-recheck-revetting-required",
    "visit-recheck-revoke-first",
    "visit-recheck-no-form",
    "visit-issuing-elsewhere",
    "visit-password-length",
    "visit-password-letter",
    "visit-password-non-letter",
    "visit-phrase-too-short",
    "visit-phrase-same-as-pin",
];

/// Why a service is not done at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotAtCounter {
    /// Cloud-sign certificates are activated online only (DOMAIN.md).
    #[error("cloud-sign certificates are handled online only, never at the counter")]
    CloudSign,
}

impl NotAtCounter {
    pub fn message_id(self) -> &'static str {
        match self {
            NotAtCounter::CloudSign => "visit-cloud-sign-online-only",
        }
    }
}

/// The steps of `service` for these circumstances, in order.
pub fn plan(service: Service, c: Circumstances) -> Result<Vec<PlannedStep>, NotAtCounter> {
    use Step::*;
    if !c.class.issued_at_counter() {
        return Err(NotAtCounter::CloudSign);
    }
    // The same rule as the documents an application needs (`Application::required_documents`).
    let organisation = c.holder.belongs_to_organisation();
    let mut steps = match service {
        // Seed 000's counter route: certificates (due ones fixed), emails, consent, identity,
        // photo, confirmation, the re-check before activation, activation, completion.
        Service::Renewal => vec![
            never(Certificates),
            supervisor_may_skip(Email),
            never(Consent),
            never(Identity),
            never(Photo),
            // An organisation's certificate: its papers, as for a new one (left out below
            // for a person's).
            never(Documents),
            never(Confirmation),
            never(Form),
            never(Payment),
            never(Recheck),
            never(Issuance),
            never(Completion),
        ],
        // A change of details starts from the certificate whose subject changes.
        Service::NewIssuance | Service::Change => vec![
            never(Certificates),
            never(Consent),
            never(Identity),
            never(Photo),
            never(Details),
            never(Documents),
            supervisor_may_skip(Email),
            never(Confirmation),
            never(Form),
            never(Payment),
            never(Recheck),
            never(Issuance),
            never(Completion),
        ],
        // A lost or broken token: new token, new key, the old certificate revoked; media fee.
        Service::Replacement => vec![
            never(Certificates),
            never(Consent),
            never(Identity),
            never(Confirmation),
            never(Form),
            never(Payment),
            never(Revocation),
            never(Issuance),
            never(Completion),
        ],
        // The PIN is reset with the SO PIN after the identity check; the form (its "PIN unlock"
        // box ticked) is signed, and a supervisor approves.
        Service::PinUnlock => vec![
            never(Certificates),
            never(Consent),
            never(Identity),
            never(Form),
            never(Approval),
            never(PinReset),
            never(Completion),
        ],
        Service::Revocation => vec![
            never(Certificates),
            never(Consent),
            never(Identity),
            never(Confirmation),
            never(Form),
            never(Revocation),
            never(Completion),
        ],
        Service::Redispatch => {
            // Postage is paid, and the form (with the new address) signed.
            vec![
                never(Certificates),
                never(Consent),
                never(Identity),
                never(Address),
                never(Form),
                never(Payment),
                never(Completion),
            ]
        }
    };
    // Only an organisation brings its papers; a person's identity document is the evidence.
    if !organisation {
        steps.retain(|s| s.step != Documents);
    }
    // A new certificate is about no certificate yet.
    if service == Service::NewIssuance {
        steps.retain(|s| s.step != Certificates);
    }
    // Revocation without the phrase set at issuance needs a supervisor (DOMAIN.md).
    if service == Service::Revocation && !c.revocation_phrase_given {
        let at = steps.iter().position(|s| s.step == Revocation).unwrap_or(steps.len());
        steps.insert(at, never(Approval));
    }
    // An overridden identity check is approved once the signed form submits the application,
    // before anything is paid or done.
    if c.identity_overridden && !steps.iter().any(|s| s.step == Approval) {
        let at = steps.iter().position(|s| s.step == Form).map_or(steps.len() - 1, |i| i + 1);
        steps.insert(at, never(Approval));
    }
    Ok(steps)
}

/// Where a visit stands: the first step whose fact is not recorded and that was not skipped.
/// `None` when every step is done.
pub fn current(
    plan: &[PlannedStep],
    done: &BTreeSet<Fact>,
    skipped: &BTreeSet<Step>,
) -> Option<Step> {
    plan.iter()
        .map(|s| s.step)
        .find(|step| !done.contains(&step.records()) && !skipped.contains(step))
}

/// Why a step cannot be skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SkipRefused {
    #[error("this step is never skipped")]
    Never,
    #[error("only a supervisor may skip this step")]
    SupervisorOnly,
    #[error("the step is not part of this visit")]
    NotInPlan,
}

/// Whether someone of `role` may skip `step` of `plan`.
pub fn may_skip(plan: &[PlannedStep], step: Step, role: StaffRole) -> Result<(), SkipRefused> {
    let planned = plan.iter().find(|s| s.step == step).ok_or(SkipRefused::NotInPlan)?;
    match (planned.skip, role) {
        (Skip::Never, _) => Err(SkipRefused::Never),
        (Skip::Supervisor, StaffRole::Supervisor) => Ok(()),
        (Skip::Supervisor, StaffRole::Clerk) => Err(SkipRefused::SupervisorOnly),
    }
}

/// Someone allowed to let a visit past a rule did so: who, when, and why in their words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub by: RecordId,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// One email address of the visit's certificates and how it stands.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailCheck {
    pub address: String,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub verified_at: Option<OffsetDateTime>,
    /// A supervisor let the visit go on with this address unverified (the relay unreachable).
    #[serde(default)]
    pub unverified: Option<Override>,
}

/// An email address is personal data: `Debug` shows how it stands, not what it is.
impl std::fmt::Debug for EmailCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailCheck")
            .field("verified_at", &self.verified_at)
            .field("unverified", &self.unverified.is_some())
            .finish_non_exhaustive()
    }
}

impl EmailCheck {
    pub fn settled(&self) -> bool {
        self.verified_at.is_some() || self.unverified.is_some()
    }
}

/// An address verified for the same renewal within this many days is not asked again (seed 000).
pub const EMAIL_VERIFIED_DAYS: i64 = 30;

/// Whether an address verified at `verified_at` still counts at `now`.
pub fn still_verified(verified_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    let age = now - verified_at;
    !age.is_negative() && age.whole_days() < EMAIL_VERIFIED_DAYS
}

/// Where the identity document's data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentSource {
    /// The chip of an ePassport or eID, read over PC/SC after the printed MRZ opened it.
    Chip,
    /// A Mainland resident ID card on its serial reader.
    MainlandReader,
    /// The MRZ as a keyboard-wedge document scanner (or the clerk) typed it: no chip read.
    TypedMrz,
}

impl DocumentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentSource::Chip => "chip",
            DocumentSource::MainlandReader => "mainland_reader",
            DocumentSource::TypedMrz => "typed_mrz",
        }
    }
}

/// A field of the identity document that differs from the registry's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityField {
    DocumentNumber,
    Name,
    BirthDate,
    /// The document has expired (a different expiry that is still valid is no mismatch).
    Expiry,
}

impl IdentityField {
    pub const ALL: [IdentityField; 4] = [
        IdentityField::DocumentNumber,
        IdentityField::Name,
        IdentityField::BirthDate,
        IdentityField::Expiry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentityField::DocumentNumber => "document_number",
            IdentityField::Name => "name",
            IdentityField::BirthDate => "birth_date",
            IdentityField::Expiry => "expiry",
        }
    }

    pub fn message_id(self) -> &'static str {
        match self {
            IdentityField::DocumentNumber => "visit-field-document-number",
            IdentityField::Name => "visit-field-name",
            IdentityField::BirthDate => "visit-field-birth-date",
            IdentityField::Expiry => "visit-field-expiry",
        }
    }
}

/// What the document presented at the counter says, whichever way it was read.
#[derive(Clone, PartialEq, Eq)]
pub struct PresentedDocument {
    pub kind: IdDocumentKind,
    pub number: String,
    /// The Latin name as the document prints it (surname, then given names).
    pub name_latin: Option<String>,
    /// The Chinese name (Mainland ID cards).
    pub name_zh: Option<String>,
    pub birth_date: Option<Date>,
    pub expiry: Option<Date>,
}

/// Document numbers and names are personal data.
impl std::fmt::Debug for PresentedDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresentedDocument").field("kind", &self.kind).finish_non_exhaustive()
    }
}

impl PresentedDocument {
    /// What a machine readable zone says. `None` when its document code is not one the
    /// registry accepts (seed 000: "unsupported identity document type").
    pub fn from_mrz(mrz: &crate::mrz::Mrz) -> Option<PresentedDocument> {
        let kind = match mrz.document_code.chars().next() {
            Some('P') => IdDocumentKind::Passport,
            // TD1/TD2 cards: residence permits carry an R after the I in many states; Macau's
            // resident card (BIR) is an I card issued by MAC.
            Some('I' | 'A' | 'C') if mrz.document_code.contains('R') => {
                IdDocumentKind::ResidencePermit
            }
            Some('I') if mrz.issuing_state == "MAC" => IdDocumentKind::MacauResident,
            _ => return None,
        };
        let name = [mrz.surname.trim(), mrz.given_names.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Some(PresentedDocument {
            kind,
            number: mrz.document_number.clone(),
            name_latin: (!name.is_empty()).then_some(name),
            name_zh: None,
            birth_date: mrz.birth_date,
            expiry: mrz.expiry_date,
        })
    }
}

/// Why an identity check did not pass, in the CA's words (seed 000).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityRefused {
    /// 「不支援之身份證明文件類別」: not a kind the registry accepts, or not the kind it holds.
    #[error("unsupported identity document type")]
    UnsupportedDocument,
    /// 「無效之身份證明文件個人資料」, with the fields that differ.
    #[error("invalid identity document personal data")]
    PersonalDataDiffers(Vec<IdentityField>),
    /// The chip's signatures do not check out: the document may be forged.
    #[error("the chip failed passive authentication")]
    ChipNotAuthentic,
}

impl IdentityRefused {
    pub fn message_id(&self) -> &'static str {
        match self {
            IdentityRefused::UnsupportedDocument => "visit-identity-unsupported-document",
            IdentityRefused::PersonalDataDiffers(_) => "visit-identity-invalid-data",
            IdentityRefused::ChipNotAuthentic => "visit-identity-chip-not-authentic",
        }
    }
}

fn letters_only(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

/// Compares the document with the registry's record of the person, field by field. A different
/// expiry is no mismatch while the document is still valid on `today` (seed 000).
pub fn compare_identity(
    person: &Person,
    document: &PresentedDocument,
    today: Date,
) -> Result<(), IdentityRefused> {
    if document.kind != person.id_document.kind {
        return Err(IdentityRefused::UnsupportedDocument);
    }
    let mut differs = Vec::new();
    if letters_only(&document.number) != letters_only(person.id_document.number.expose()) {
        differs.push(IdentityField::DocumentNumber);
    }
    let latin = match (&document.name_latin, &person.name_latin) {
        (Some(doc), Some(record)) => Some(letters_only(doc) == letters_only(record)),
        _ => None,
    };
    let zh = match (&document.name_zh, &person.name_zh) {
        (Some(doc), Some(record)) => Some(letters_only(doc) == letters_only(record)),
        _ => None,
    };
    // The name matches when every name both sides have agrees, and there is at least one.
    let name_ok = match (latin, zh) {
        (None, None) => false,
        (a, b) => a.unwrap_or(true) && b.unwrap_or(true),
    };
    if !name_ok {
        differs.push(IdentityField::Name);
    }
    if person.birth_date.is_some() && document.birth_date != person.birth_date {
        differs.push(IdentityField::BirthDate);
    }
    if document.expiry.is_some_and(|expiry| expiry < today) {
        differs.push(IdentityField::Expiry);
    }
    if differs.is_empty() { Ok(()) } else { Err(IdentityRefused::PersonalDataDiffers(differs)) }
}

/// The identity step's outcome, kept on the visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheck {
    pub source: DocumentSource,
    pub document: IdDocumentKind,
    /// `Some(false)` blocks the step: a chip whose signatures fail.
    pub passive_authentication: Option<bool>,
    /// Empty when the document agrees with the record.
    pub mismatches: Vec<IdentityField>,
    pub unsupported: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// A supervisor accepted the person despite a failed check, with a written reason.
    #[serde(default)]
    pub overridden: Option<Override>,
}

impl IdentityCheck {
    pub fn refusal(&self) -> Option<IdentityRefused> {
        if self.passive_authentication == Some(false) {
            Some(IdentityRefused::ChipNotAuthentic)
        } else if self.unsupported {
            Some(IdentityRefused::UnsupportedDocument)
        } else if !self.mismatches.is_empty() {
            Some(IdentityRefused::PersonalDataDiffers(self.mismatches.clone()))
        } else {
            None
        }
    }

    pub fn passed(&self) -> bool {
        self.refusal().is_none() || self.overridden.is_some()
    }
}

/// The form as printed: when, and a fingerprint of the data it showed, so the re-check before
/// activation can tell whether anything changed since (seed 000, step 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRecord {
    #[serde(with = "time::serde::rfc3339")]
    pub printed_at: OffsetDateTime,
    /// The print spool's job.
    pub job: Option<String>,
    /// This printing's id, in the form's QR code (`printers::formcode`): only the copy of the
    /// last printing is taken back signed. `None` for a form printed before print ids.
    #[serde(default)]
    pub print: Option<String>,
    /// [`identity_fingerprint`] when the form was printed.
    pub identity: String,
    /// [`subjects_fingerprint`] when the form was printed.
    pub subjects: String,
    /// The signed copy's QR code was scanned back.
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub signed_at: Option<OffsetDateTime>,
}

/// How the fee was paid, for the day-end's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Card,
    Transfer,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] =
        [PaymentMethod::Cash, PaymentMethod::Card, PaymentMethod::Transfer];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Transfer => "transfer",
        }
    }
}

/// One certificate the visit issued: what the completion notice shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLine {
    pub certificate: RecordId,
    pub serial: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    pub previous_serial: Option<String>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub previous_not_after: Option<OffsetDateTime>,
    /// The token's chip serial; `None` for a PKCS#12 file.
    pub token: Option<String>,
}

/// Where a visit stands, kept on its application and saved at every step, so a crash, a lock or
/// another kiosk of the office resumes it at the same step. One field of the application: it
/// merges as a whole, like `progress`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub facts: BTreeSet<Fact>,
    pub skipped: BTreeMap<Step, Override>,
    pub emails: Vec<EmailCheck>,
    pub identity: Option<IdentityCheck>,
    /// Content hash of the photo taken at the counter.
    pub photo: Option<String>,
    pub form: Option<FormRecord>,
    pub payment_method: Option<PaymentMethod>,
    /// Renewal keeps the token's key pair (續期, seed 003) unless the person asks for a new one.
    #[serde(default)]
    pub new_key: bool,
    pub issued: Vec<IssuedLine>,
    /// The kiosk that last saved a step.
    pub kiosk: Option<String>,
    /// Who cancelled after payment (a refund) and why.
    #[serde(default)]
    pub cancelled: Option<Override>,
    /// Someone is issuing this visit's certificate now ([`may_claim_issuance`]): claimed in the
    /// store before any token is touched, released when the issuance is recorded or fails.
    #[serde(default)]
    pub issuing: Option<IssuingClaim>,
    /// The blank token a new certificate is being issued on (its chip serial), noted before the
    /// key is made on it: an issuance the kiosk did not live to record is found by it.
    #[serde(default)]
    pub new_token: Option<String>,
}

impl Visit {
    pub fn done(&self, fact: Fact) -> bool {
        self.facts.contains(&fact)
    }

    pub fn skipped_steps(&self) -> BTreeSet<Step> {
        self.skipped.keys().copied().collect()
    }

    /// The step the visit stands at in `plan`.
    pub fn current(&self, plan: &[PlannedStep]) -> Option<Step> {
        current(plan, &self.facts, &self.skipped_steps())
    }

    /// Seed 000, step 6: identity data changed since vetting, so vetting starts again from the
    /// identity check; what the person agreed to, and a supervisor approved, was on the old
    /// data. What was paid stays paid (the application keeps its payment).
    pub fn revet(&mut self) {
        for fact in [
            Fact::IdentityChecked,
            Fact::PhotoTaken,
            Fact::DataConfirmed,
            Fact::FormPrinted,
            Fact::Approved,
            Fact::Rechecked,
        ] {
            self.facts.remove(&fact);
        }
        self.identity = None;
        self.form = None;
    }
}

/// Who claimed a visit's issuance, from which kiosk, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuingClaim {
    pub kiosk: String,
    pub clerk: RecordId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A claim this old was left by a kiosk that stopped (an issuance takes seconds, a slow token's
/// key generation a minute): another kiosk may take it over.
pub const ISSUING_CLAIM_STALE_MINUTES: i64 = 15;

/// Why a kiosk may not issue a visit's certificate now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimRefused {
    #[error("the certificate is being issued at kiosk {kiosk} since {since}")]
    Held { kiosk: String, since: OffsetDateTime },
}

impl ClaimRefused {
    pub fn message_id(&self) -> &'static str {
        match self {
            ClaimRefused::Held { .. } => "visit-issuing-elsewhere",
        }
    }
}

/// Whether `kiosk` may claim the issuance of a visit whose claim is `held`, at `now`. Asked once
/// no other process of this kiosk's data directory is issuing the visit (its lock says so), so
/// a claim of this kiosk's own was left by a process that stopped (a restart) and is taken
/// over; another kiosk's claim is taken over only once stale, since that kiosk may still be
/// writing to the token.
pub fn may_claim_issuance(
    held: Option<&IssuingClaim>,
    kiosk: &str,
    now: OffsetDateTime,
) -> Result<(), ClaimRefused> {
    match held {
        None => Ok(()),
        Some(claim) if claim.kiosk == kiosk => Ok(()),
        Some(claim) if now - claim.at >= time::Duration::minutes(ISSUING_CLAIM_STALE_MINUTES) => {
            Ok(())
        }
        Some(claim) => Err(ClaimRefused::Held { kiosk: claim.kiosk.clone(), since: claim.at }),
    }
}

fn digest(fields: &[&str]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for text in fields {
        ctx.update(&(text.len() as u64).to_be_bytes());
        ctx.update(text.as_bytes());
    }
    ctx.finish().as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A fingerprint of the person's identity data as vetting saw it: names, document, birth date.
/// SHA-256, hex, so the visit keeps no personal data of its own.
pub fn identity_fingerprint(person: &Person) -> String {
    let kind = serde_json::to_string(&person.id_document.kind).unwrap_or_default();
    let birth = person.birth_date.map(|d| d.to_string()).unwrap_or_default();
    digest(&[
        person.name_zh.as_deref().unwrap_or(""),
        person.name_latin.as_deref().unwrap_or(""),
        &kind,
        person.id_document.number.expose(),
        &birth,
    ])
}

/// A fingerprint of the certificates' subjects as the form showed them.
pub fn subjects_fingerprint(certificates: &[Certificate]) -> String {
    let mut subjects: Vec<String> = certificates
        .iter()
        .map(|c| format!("{} {}", c.id, serde_json::to_string(&c.subject).unwrap_or_default()))
        .collect();
    subjects.sort();
    let fields: Vec<&str> = subjects.iter().map(String::as_str).collect();
    digest(&fields)
}

/// Why the re-check before activation stops a renewal (seed 000, step 6).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecheckRefused {
    /// A certificate of the renewal is no longer due: revoked, expired or renewed meanwhile.
    #[error("a certificate of this renewal is no longer due for renewal")]
    NoLongerDue { serial: String },
    /// The identity data changed since vetting: vetting again.
    #[error("the identity data changed since vetting: vet again")]
    RevettingRequired,
    /// The subject changed while the old certificate is valid: 「需先撤銷原有證書」.
    #[error("the subject data changed while the old certificate is valid: revoke it first")]
    RevokeFirst { serial: String },
    /// The form was never printed, so there is nothing to compare with.
    #[error("the form has not been printed")]
    NoForm,
}

impl RecheckRefused {
    pub fn message_id(&self) -> &'static str {
        match self {
            RecheckRefused::NoLongerDue { .. } => "visit-recheck-no-longer-due",
            RecheckRefused::RevettingRequired => "visit-recheck-revetting-required",
            RecheckRefused::RevokeFirst { .. } => "visit-recheck-revoke-first",
            RecheckRefused::NoForm => "visit-recheck-no-form",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            RecheckRefused::NoLongerDue { serial } | RecheckRefused::RevokeFirst { serial } => {
                vec![("serial", serial.clone())]
            }
            _ => vec![],
        }
    }
}

/// The re-check before activation of a renewal: every certificate still due (or, when it is
/// renewed on the same token, still valid), and nothing the form showed changed since it was
/// printed.
pub fn recheck_renewal(
    visit: &Visit,
    person: &Person,
    certificates_now: &[Certificate],
    now: OffsetDateTime,
) -> Result<(), RecheckRefused> {
    let form = visit.form.as_ref().ok_or(RecheckRefused::NoForm)?;
    for cert in certificates_now {
        if !crate::renewal::is_renewal_due(cert, now, crate::renewal::RENEWAL_WINDOW_DAYS) {
            return Err(RecheckRefused::NoLongerDue {
                serial: cert.serial.clone().unwrap_or_default(),
            });
        }
    }
    if subjects_fingerprint(certificates_now) != form.subjects {
        // Every certificate is still due, so still valid: it must be revoked before a
        // certificate with other data can be issued.
        let serial = certificates_now.first().and_then(|c| c.serial.clone()).unwrap_or_default();
        return Err(RecheckRefused::RevokeFirst { serial });
    }
    if identity_fingerprint(person) != form.identity {
        return Err(RecheckRefused::RevettingRequired);
    }
    Ok(())
}

/// A rule a new password breaks (seed 000, activation: 8 or more characters, a letter, a
/// character that is not a letter). The counter applies it to the PIN a holder sets on a new
/// token and to a PKCS#12 file's password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRule {
    #[error("at least 8 characters")]
    Length,
    #[error("at least one letter (a-z, either case)")]
    Letter,
    #[error("at least one character that is not a letter (a digit or a symbol)")]
    NonLetter,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 3] =
        [PasswordRule::Length, PasswordRule::Letter, PasswordRule::NonLetter];

    pub fn message_id(self) -> &'static str {
        match self {
            PasswordRule::Length => "visit-password-length",
            PasswordRule::Letter => "visit-password-letter",
            PasswordRule::NonLetter => "visit-password-non-letter",
        }
    }
}

pub const PASSWORD_MIN_CHARS: usize = 8;

/// Every rule `password` breaks, in the order the seed lists them.
pub fn password_problems(password: &str) -> Vec<PasswordRule> {
    let mut broken = Vec::new();
    if password.chars().count() < PASSWORD_MIN_CHARS {
        broken.push(PasswordRule::Length);
    }
    if !password.chars().any(|c| c.is_ascii_alphabetic()) {
        broken.push(PasswordRule::Letter);
    }
    if !password.chars().any(|c| !c.is_ascii_alphabetic()) {
        broken.push(PasswordRule::NonLetter);
    }
    broken
}

/// The revocation phrase the holder sets for a new certificate, which lets them revoke it later
/// without a supervisor (DOMAIN.md). Not the PIN (anyone holding the token would know both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhraseRule {
    #[error("the revocation phrase needs at least 4 characters")]
    TooShort,
    #[error("the revocation phrase must not be the PIN")]
    SameAsPin,
}

impl PhraseRule {
    pub fn message_id(self) -> &'static str {
        match self {
            PhraseRule::TooShort => "visit-phrase-too-short",
            PhraseRule::SameAsPin => "visit-phrase-same-as-pin",
        }
    }
}

pub const PHRASE_MIN_CHARS: usize = 4;

pub fn check_revocation_phrase(phrase: &str, pin: &str) -> Result<(), PhraseRule> {
    if phrase.trim().chars().count() < PHRASE_MIN_CHARS {
        Err(PhraseRule::TooShort)
    } else if phrase == pin {
        Err(PhraseRule::SameAsPin)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    use crate::model::{CertificateStatus, IdDocument, Sensitive, SubjectDn};
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-11-29 10:00 +8);

    fn chan() -> Person {
        Person {
            id: RecordId::nil(),
            name_zh: Some("陳大文".into()),
            name_latin: Some("CHAN TAI MAN".into()),
            id_document: IdDocument {
                kind: IdDocumentKind::Passport,
                number: Sensitive::new("MA1234567"),
                issuing_state: Some("MAC".into()),
                expiry: Some(date!(2030 - 01 - 01)),
            },
            nationality: Some("CHN".into()),
            birth_date: Some(date!(1980 - 05 - 17)),
            sex: None,
            phone: None,
            email: Some("chan@example.mo".into()),
            photo: None,
        }
    }

    fn passport() -> PresentedDocument {
        PresentedDocument {
            kind: IdDocumentKind::Passport,
            number: "MA1234567".into(),
            name_latin: Some("CHAN TAI MAN".into()),
            name_zh: None,
            birth_date: Some(date!(1980 - 05 - 17)),
            expiry: Some(date!(2031 - 06 - 30)),
        }
    }

    #[test]
    fn identity_agrees_despite_a_different_but_valid_expiry_and_spacing() {
        let doc = PresentedDocument { name_latin: Some("chan  tai-man".into()), ..passport() };
        assert_eq!(compare_identity(&chan(), &doc, NOW.date()), Ok(()));
    }

    #[test]
    fn identity_mismatches_are_named_field_by_field() {
        let doc = PresentedDocument {
            number: "MA7654321".into(),
            name_latin: Some("CHAN SIU MING".into()),
            birth_date: Some(date!(1981 - 05 - 17)),
            expiry: Some(date!(2026 - 11 - 28)),
            ..passport()
        };
        assert_eq!(
            compare_identity(&chan(), &doc, NOW.date()),
            Err(IdentityRefused::PersonalDataDiffers(IdentityField::ALL.to_vec()))
        );
        let other_kind = PresentedDocument { kind: IdDocumentKind::ResidencePermit, ..passport() };
        assert_eq!(
            compare_identity(&chan(), &other_kind, NOW.date()),
            Err(IdentityRefused::UnsupportedDocument)
        );
        // A document with no name at all cannot agree with a record that has one.
        let nameless = PresentedDocument { name_latin: None, ..passport() };
        assert_eq!(
            compare_identity(&chan(), &nameless, NOW.date()),
            Err(IdentityRefused::PersonalDataDiffers(vec![IdentityField::Name]))
        );
    }

    #[test]
    fn a_failed_chip_or_mismatch_blocks_the_step_until_a_supervisor_overrides() {
        let mut check = IdentityCheck {
            source: DocumentSource::Chip,
            document: IdDocumentKind::Passport,
            passive_authentication: Some(false),
            mismatches: vec![],
            unsupported: false,
            at: NOW,
            overridden: None,
        };
        assert_eq!(check.refusal(), Some(IdentityRefused::ChipNotAuthentic));
        assert!(!check.passed());
        check.passive_authentication = Some(true);
        check.mismatches = vec![IdentityField::Name];
        assert!(!check.passed());
        check.overridden =
            Some(Override { by: RecordId::nil(), reason: "name romanised".into(), at: NOW });
        assert!(check.passed());
        check.overridden = None;
        check.mismatches.clear();
        assert!(check.passed());
    }

    fn due_certificate() -> Certificate {
        Certificate {
            id: RecordId::nil(),
            class: CertificateClass::Qualified,
            holder_kind: HolderKind::Person,
            subject: SubjectDn { cn: "陳大文".into(), ..Default::default() },
            serial: Some("0a1b".into()),
            not_before: Some(NOW - time::Duration::days(700)),
            not_after: Some(NOW + time::Duration::days(20)),
            validity_years: 2,
            status: CertificateStatus::Valid,
            holder_person: Some(RecordId::nil()),
            holder_organisation: None,
            token: None,
            renewal_confirmed: false,
            revocation_phrase: None,
            revocation: None,
            issuance: None,
        }
    }

    fn printed(person: &Person, certs: &[Certificate]) -> Visit {
        Visit {
            form: Some(FormRecord {
                printed_at: NOW,
                job: None,
                print: None,
                identity: identity_fingerprint(person),
                subjects: subjects_fingerprint(certs),
                signed_at: None,
            }),
            ..Visit::default()
        }
    }

    #[test]
    fn the_recheck_before_activation_names_what_changed() {
        let person = chan();
        let cert = due_certificate();
        let visit = printed(&person, std::slice::from_ref(&cert));
        assert_eq!(recheck_renewal(&visit, &person, std::slice::from_ref(&cert), NOW), Ok(()));
        assert_eq!(
            recheck_renewal(&Visit::default(), &person, std::slice::from_ref(&cert), NOW),
            Err(RecheckRefused::NoForm)
        );
        let renamed = Person { name_latin: Some("CHAN TAI-MAN DAVID".into()), ..chan() };
        assert_eq!(
            recheck_renewal(&visit, &renamed, std::slice::from_ref(&cert), NOW),
            Err(RecheckRefused::RevettingRequired)
        );
        let mut moved = cert.clone();
        moved.subject.o = Some("新公司".into());
        assert_eq!(
            recheck_renewal(&visit, &person, &[moved], NOW),
            Err(RecheckRefused::RevokeFirst { serial: "0a1b".into() })
        );
        let revoked = Certificate { status: CertificateStatus::Revoked, ..cert.clone() };
        assert_eq!(
            recheck_renewal(&visit, &person, &[revoked], NOW),
            Err(RecheckRefused::NoLongerDue { serial: "0a1b".into() })
        );
        // The fingerprints hold no personal data.
        let form = visit.form.as_ref().expect("printed");
        assert!(!form.identity.contains("MA1234567") && form.identity.len() == 64);
    }

    #[test]
    fn revetting_forgets_what_was_agreed_on_the_old_data() {
        let mut visit = printed(&chan(), &[]);
        for fact in [Fact::CertificatesChosen, Fact::EmailsVerified, Fact::IdentityChecked] {
            visit.facts.insert(fact);
        }
        visit.facts.insert(Fact::FormPrinted);
        visit.facts.insert(Fact::Paid);
        visit.facts.insert(Fact::Approved);
        visit.revet();
        assert!(visit.done(Fact::CertificatesChosen) && visit.done(Fact::EmailsVerified));
        assert!(!visit.done(Fact::IdentityChecked) && !visit.done(Fact::FormPrinted));
        assert!(visit.done(Fact::Paid), "what was paid stays paid");
        assert!(!visit.done(Fact::Approved), "approved on the old data");
        assert!(visit.form.is_none());
        let route = plan(Service::Renewal, person(CertificateClass::Qualified)).expect("plan");
        assert_eq!(visit.current(&route), Some(Consent));
    }

    #[rstest::rstest]
    #[case::unclaimed(None, Ok(()))]
    #[case::own_kiosk_restarted(Some(("K1", 1)), Ok(()))]
    #[case::other_kiosk_now(Some(("K2", 1)), Err("K2"))]
    #[case::other_kiosk_just_fresh(Some(("K2", ISSUING_CLAIM_STALE_MINUTES - 1)), Err("K2"))]
    #[case::other_kiosk_stale(Some(("K2", ISSUING_CLAIM_STALE_MINUTES)), Ok(()))]
    #[case::from_the_future(Some(("K2", -5)), Err("K2"))]
    fn an_issuance_claimed_elsewhere_is_refused_until_it_is_stale(
        #[case] held: Option<(&str, i64)>,
        #[case] expected: Result<(), &str>,
    ) {
        let claim = held.map(|(kiosk, minutes_ago)| IssuingClaim {
            kiosk: kiosk.into(),
            clerk: RecordId::nil(),
            at: NOW - time::Duration::minutes(minutes_ago),
        });
        let got = may_claim_issuance(claim.as_ref(), "K1", NOW);
        match (got, expected) {
            (Ok(()), Ok(())) => {}
            (Err(ClaimRefused::Held { kiosk, since }), Err(by)) => {
                assert_eq!(kiosk, by);
                assert_eq!(Some(since), claim.map(|c| c.at));
            }
            (got, expected) => panic!("{held:?}: {got:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn emails_verified_within_thirty_days_are_not_asked_again() {
        assert!(still_verified(NOW - time::Duration::days(29), NOW));
        assert!(!still_verified(NOW - time::Duration::days(30), NOW));
        assert!(!still_verified(NOW + time::Duration::minutes(5), NOW), "from the future");
    }

    #[test]
    fn every_message_id_is_listed() {
        let mut ids = vec![NotAtCounter::CloudSign.message_id()];
        ids.extend(IdentityField::ALL.map(IdentityField::message_id));
        ids.extend(PasswordRule::ALL.map(PasswordRule::message_id));
        ids.extend([PhraseRule::TooShort, PhraseRule::SameAsPin].map(PhraseRule::message_id));
        for refused in [
            IdentityRefused::UnsupportedDocument,
            IdentityRefused::PersonalDataDiffers(vec![]),
            IdentityRefused::ChipNotAuthentic,
        ] {
            ids.push(refused.message_id());
        }
        for refused in [
            RecheckRefused::NoLongerDue { serial: String::new() },
            RecheckRefused::RevettingRequired,
            RecheckRefused::RevokeFirst { serial: String::new() },
            RecheckRefused::NoForm,
        ] {
            ids.push(refused.message_id());
        }
        ids.push(ClaimRefused::Held { kiosk: String::new(), since: NOW }.message_id());
        ids.sort_unstable();
        let mut listed = ALL_MESSAGE_IDS.to_vec();
        listed.sort_unstable();
        assert_eq!(ids, listed);
    }

    #[test]
    fn passwords_follow_seed_000s_three_rules() {
        use PasswordRule::*;
        assert_eq!(password_problems("abcdefg1"), vec![]);
        assert_eq!(password_problems("abc1"), vec![Length]);
        assert_eq!(password_problems("12345678"), vec![Letter]);
        assert_eq!(password_problems("abcdefgh"), vec![NonLetter]);
        assert_eq!(password_problems(""), vec![Length, Letter, NonLetter]);
        assert_eq!(password_problems("密碼密碼密碼密碼"), vec![Letter]);
        assert_eq!(check_revocation_phrase("開門芝麻", "12345678"), Ok(()));
        assert_eq!(check_revocation_phrase("abc", "12345678"), Err(PhraseRule::TooShort));
        assert_eq!(check_revocation_phrase("Secret-99", "Secret-99"), Err(PhraseRule::SameAsPin));
    }

    #[test]
    fn a_visit_round_trips_through_json_and_old_applications_have_an_empty_one() {
        let mut visit = printed(&chan(), &[]);
        visit.facts.insert(Fact::ConsentGiven);
        visit
            .skipped
            .insert(Email, Override { by: RecordId::nil(), reason: "relay down".into(), at: NOW });
        let json = serde_json::to_string(&visit).expect("json");
        assert_eq!(serde_json::from_str::<Visit>(&json).expect("back"), visit);
        let mut old = serde_json::to_value(crate::application::Application::draft(
            RecordId::nil(),
            Service::Renewal,
            RecordId::nil(),
            HolderKind::Person,
            CertificateClass::Qualified,
            NOW,
        ))
        .expect("json");
        old.as_object_mut().expect("object").remove("visit");
        let app: crate::application::Application = serde_json::from_value(old).expect("old");
        assert_eq!(app.visit, Visit::default());
    }

    fn person(class: CertificateClass) -> Circumstances {
        Circumstances {
            holder: HolderKind::Person,
            class,
            revocation_phrase_given: true,
            identity_overridden: false,
        }
    }

    fn steps(service: Service, c: Circumstances) -> Vec<Step> {
        plan(service, c).expect("a counter service").into_iter().map(|s| s.step).collect()
    }

    #[test]
    fn renewal_follows_seed_000s_counter_route() {
        let route = steps(Service::Renewal, person(CertificateClass::Qualified));
        let order = |a: Step, b: Step| {
            let at = |s| route.iter().position(|x| *x == s).expect("in the route");
            assert!(at(a) < at(b), "{a:?} before {b:?}: {route:?}");
        };
        assert_eq!(route.first(), Some(&Certificates), "the due certificates come first");
        order(Email, Consent);
        order(Consent, Identity);
        order(Identity, Photo);
        order(Photo, Confirmation);
        order(Confirmation, Form);
        order(Form, Payment);
        order(Payment, Recheck);
        order(Recheck, Issuance);
        assert_eq!(route.last(), Some(&Completion));
    }

    #[test]
    fn every_service_plan_is_ordered_without_repeats_and_ends_with_completion() {
        for service in Service::ALL {
            for holder in [HolderKind::Person, HolderKind::Organisation] {
                for phrase in [true, false] {
                    let c = Circumstances {
                        holder,
                        class: CertificateClass::Standard,
                        revocation_phrase_given: phrase,
                        identity_overridden: false,
                    };
                    let route = steps(service, c);
                    let unique: BTreeSet<Step> = route.iter().copied().collect();
                    assert_eq!(unique.len(), route.len(), "{service:?}: {route:?}");
                    assert_eq!(route.last(), Some(&Completion), "{service:?}");
                    // Nothing is issued or revoked before the person is identified.
                    let at = |s| route.iter().position(|x| *x == s);
                    for late in [Issuance, Revocation, PinReset] {
                        if let (Some(l), Some(id)) = (at(late), at(Identity)) {
                            assert!(id < l, "{service:?}: identity before {late:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_service_asks_consent_to_the_personal_data_statement_before_the_identity_check() {
        // Submitting any application needs the consent (the state machine's rule).
        for service in Service::ALL {
            let route = steps(service, person(CertificateClass::Standard));
            let at = |s| route.iter().position(|x| *x == s);
            assert!(at(Consent).is_some() && at(Consent) < at(Identity), "{service:?}: {route:?}");
        }
    }

    #[test]
    fn an_overridden_identity_check_puts_a_supervisors_approval_after_the_form() {
        for service in Service::ALL {
            let c =
                Circumstances { identity_overridden: true, ..person(CertificateClass::Standard) };
            let route = steps(service, c);
            let at = |s| route.iter().position(|x| *x == s);
            assert!(at(Approval).is_some(), "{service:?}: {route:?}");
            if let Some(form) = at(Form) {
                assert!(at(Approval) > Some(form), "{service:?}: {route:?}");
            }
            for later in [Payment, Issuance, Revocation, PinReset] {
                if let Some(l) = at(later) {
                    assert!(at(Approval) < Some(l), "{service:?}: {route:?}");
                }
            }
        }
    }

    #[test]
    fn cloud_sign_is_refused_at_the_counter_for_every_service() {
        for service in Service::ALL {
            assert_eq!(
                plan(service, person(CertificateClass::CloudSign)),
                Err(NotAtCounter::CloudSign)
            );
        }
    }

    #[test]
    fn only_organisations_bring_papers_and_revocation_without_the_phrase_needs_a_supervisor() {
        let org = Circumstances {
            holder: HolderKind::Organisation,
            ..person(CertificateClass::Standard)
        };
        assert!(steps(Service::NewIssuance, org).contains(&Documents));
        assert!(
            !steps(Service::NewIssuance, person(CertificateClass::Standard)).contains(&Documents)
        );
        // An organisation's renewal brings them too, after the photo; a person's does not.
        let renewal = steps(Service::Renewal, org);
        let at = |s| renewal.iter().position(|x| *x == s);
        assert_eq!(at(Documents).map(|i| i - 1), at(Photo), "{renewal:?}");
        assert!(!steps(Service::Renewal, person(CertificateClass::Standard)).contains(&Documents));
        let with_phrase = steps(Service::Revocation, person(CertificateClass::Standard));
        assert!(!with_phrase.contains(&Approval));
        let without =
            Circumstances { revocation_phrase_given: false, ..person(CertificateClass::Standard) };
        let route = steps(Service::Revocation, without);
        let at = |s| route.iter().position(|x| *x == s);
        assert!(at(Approval) < at(Revocation) && at(Approval).is_some(), "{route:?}");
        assert!(steps(Service::PinUnlock, person(CertificateClass::Standard)).contains(&Approval));
    }

    #[test]
    fn a_visit_stands_at_its_first_step_not_done_and_resumes_there() {
        let route = plan(Service::Renewal, person(CertificateClass::Qualified)).expect("plan");
        let mut done = BTreeSet::new();
        let mut skipped = BTreeSet::new();
        assert_eq!(current(&route, &done, &skipped), Some(Certificates));
        done.insert(Fact::CertificatesChosen);
        assert_eq!(current(&route, &done, &skipped), Some(Email));
        // A supervisor lets the visit go on with the email unverified (offline).
        assert_eq!(may_skip(&route, Email, StaffRole::Clerk), Err(SkipRefused::SupervisorOnly));
        assert_eq!(may_skip(&route, Email, StaffRole::Supervisor), Ok(()));
        skipped.insert(Email);
        assert_eq!(current(&route, &done, &skipped), Some(Consent));
        assert_eq!(may_skip(&route, Consent, StaffRole::Supervisor), Err(SkipRefused::Never));
        assert_eq!(may_skip(&route, PinReset, StaffRole::Supervisor), Err(SkipRefused::NotInPlan));
        for s in &route {
            done.insert(s.step.records());
        }
        assert_eq!(current(&route, &done, &skipped), None);
    }

    #[test]
    fn each_step_records_its_own_fact() {
        let all = Step::ALL;
        let facts: BTreeSet<Fact> = all.iter().map(|s| s.records()).collect();
        assert_eq!(facts.len(), all.len());
    }
}
