//! How the typed errors of the crates a visit step calls become a [`VisitError`]: each keeps its
//! own message id and arguments (the clerk reads them in whatever language is on screen), and a
//! category for the log that never holds personal data. One place, so every step says the same
//! thing for the same failure.

use card_readers::camera::CameraError;
use card_readers::cn_id::CnReaderError;
use card_readers::emrtd::reader::ReadError;
use card_readers::input::InputError;
use card_readers::photo::PhotoError;
use printers::formcode::FormCodeError;
use printers::named_file::FileError;
use registry::application::{DocumentKind, TransitionError};
use registry::fees::FeeError;
use registry::model::LifecycleError;
use registry::mrz::MrzError;
use registry::visit::{
    IdentityRefused, NotAtCounter, PhraseRule, RecheckRefused, SkipRefused, Step,
};
use store::StoreError;
use tokens::TokenError;

use super::VisitError;
use crate::KioskError;
use crate::print_cmd::PrintFailure;

/// The message ids this module and the steps produce besides the libraries' own (checked in
/// every language by the i18n crate's tests).
pub const ALL_MESSAGE_IDS: &[&str] = &[
    "visit-cancel-too-late",
    "visit-choose-one-certificate",
    "visit-certificates-of-one-holder",
    "visit-change-keeps-holder-and-class",
    "visit-chip-failed-read-chip",
    "visit-invoice-organisation-only",
    "visit-address-required",
    "visit-not-their-organisation",
    "visit-organisation-visit-open",
    "visit-form-already-submitted",
    "visit-document-missing",
    "visit-plug-a-blank-token",
    "visit-one-blank-token",
    "visit-no-profile",
    "visit-certificate-not-theirs",
    "visit-choose-a-certificate",
    "visit-no-serial",
    "visit-not-approved-yet",
    "visit-renewal-certificates-fixed",
    "visit-revocation-phrase-wrong",
    "visit-so-pin-needed",
    "visit-no-application",
    "visit-no-applicant",
    "visit-renewal-none-due",
    "visit-no-certificates",
    "visit-step-not-open",
    "visit-supervisor-own-action",
    "visit-supervisor-required",
    "visit-reason-required",
    "visit-skip-never",
    "visit-skip-supervisor-only",
    "visit-skip-not-in-plan",
    "visit-identity-nothing-to-override",
    "visit-form-key-missing",
    "visit-form-earlier-printing",
    "visit-form-print-failed",
    "visit-payment-reference-required",
    "visit-invoice-too-late",
    "visit-no-token-module",
    "visit-token-unknown",
    "visit-token-not-present",
    "visit-token-other-certificate",
    "visit-ca-pin-needed",
    "visit-stock-pin-needed",
    "visit-holder-pin-not-set",
    "visit-no-token-module-or-pkcs12",
    "visit-plug-a-blank-token-or-pkcs12",
    "visit-pkcs12-new-only",
    "visit-pkcs12-file-exists",
    "visit-nothing-to-issue",
    "visit-receipt-print-failed",
    "visit-email-not-on-visit",
];

fn with(id: &'static str, category: &'static str, args: Vec<(&'static str, String)>) -> VisitError {
    VisitError::new(id, category).with_args(args)
}

// Refusals that name a kind of thing (a paper, a step, why the printer did not print): the
// argument is the kind's id, and the message's own Fluent selector (`visit-document-name`,
// `visit-step-name`, `visit-print-reason`) puts it in the clerk's words, so F2 translates it
// with the rest.

/// A paper the documents step needs that the clerk did not tick.
pub(super) fn document_missing(kind: DocumentKind) -> VisitError {
    with("visit-document-missing", "refused", vec![("document", kind.as_str().to_owned())])
}

/// `step` cannot be taken: the visit stands at `current`, an earlier step.
pub(super) fn step_not_open(step: Step, current: Option<Step>) -> VisitError {
    let name = |step: Step| {
        serde_json::to_value(step)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let current = current.map(name).unwrap_or_default();
    with("visit-step-not-open", "refused", vec![("step", name(step)), ("current", current)])
}

/// The spool gave up on a document (`id`: the form's or the receipt's message): the job, and
/// why, as the spool's message id (or the job's state when it kept no error).
pub(super) fn print_failed(id: &'static str, job: &printers::spool::JobSummary) -> VisitError {
    let reason = match &job.last_error {
        Some(error) => error.message_id.clone(),
        None => job.state.message_id().to_owned(),
    };
    with(id, "refused", vec![("job", job.id.to_string()), ("reason", reason)])
}

impl From<StoreError> for VisitError {
    fn from(err: StoreError) -> Self {
        let detail = |text: String| vec![("detail", text)];
        let category = err.category();
        match &err {
            StoreError::Transition(e) => e.clone().into(),
            StoreError::Invalid { problems, .. } => {
                let list: Vec<String> =
                    problems.iter().map(|p| format!("{} ({})", p.field, p.code)).collect();
                with("error-invalid-record", category, detail(list.join("; ")))
            }
            StoreError::NewerSchema { .. } => {
                with("error-store-newer", category, detail(err.to_string()))
            }
            e if e.is_damaged_file() => {
                with("error-store-damaged", category, detail(err.to_string()))
            }
            // The category only: a decoding error's text can quote a record's values.
            _ => with("error-store", category, detail(category.to_owned())),
        }
    }
}

impl From<crate::mail::MailError> for VisitError {
    fn from(err: crate::mail::MailError) -> Self {
        with(err.message_id(), err.category(), err.message_args())
    }
}

impl From<crate::mail::CodeRefused> for VisitError {
    fn from(err: crate::mail::CodeRefused) -> Self {
        with(err.message_id(), "email code", err.message_args())
    }
}

impl From<TransitionError> for VisitError {
    fn from(err: TransitionError) -> Self {
        with(err.message_id(), "transition refused", err.message_args())
    }
}

impl From<TokenError> for VisitError {
    fn from(err: TokenError) -> Self {
        match err {
            TokenError::Store(e) => e.into(),
            TokenError::Lifecycle(e) => e.into(),
            TokenError::Io(e) => with("error-failed", "io", vec![("detail", e.to_string())]),
            other => match other.message_id() {
                Some(id) => with(id, other.category(), other.message_args()),
                None => with("error-failed", other.category(), vec![("detail", other.to_string())]),
            },
        }
    }
}

impl From<LifecycleError> for VisitError {
    fn from(err: LifecycleError) -> Self {
        VisitError::new(err.message_id(), "lifecycle")
    }
}

impl From<ReadError> for VisitError {
    fn from(err: ReadError) -> Self {
        with(err.message_id(), "document reader", err.message_args())
    }
}

impl From<CnReaderError> for VisitError {
    fn from(err: CnReaderError) -> Self {
        with(err.message_id(), "mainland reader", err.message_args())
    }
}

impl From<MrzError> for VisitError {
    fn from(err: MrzError) -> Self {
        with(err.message_id(), "mrz", err.message_args())
    }
}

impl From<InputError> for VisitError {
    fn from(err: InputError) -> Self {
        with(err.message_id(), "input file", err.message_args())
    }
}

impl From<PhotoError> for VisitError {
    fn from(err: PhotoError) -> Self {
        with(err.message_id(), "photo", err.message_args())
    }
}

impl From<CameraError> for VisitError {
    fn from(err: CameraError) -> Self {
        with(err.message_id(), "camera", err.message_args())
    }
}

impl From<FormCodeError> for VisitError {
    fn from(err: FormCodeError) -> Self {
        with(err.message_id(), "form code", err.message_args())
    }
}

impl From<FileError> for VisitError {
    fn from(err: FileError) -> Self {
        with(err.message_id(), "file", err.message_args())
    }
}

impl From<PrintFailure> for VisitError {
    fn from(err: PrintFailure) -> Self {
        with(err.message_id(), "print", err.message_args())
    }
}

impl From<FeeError> for VisitError {
    fn from(err: FeeError) -> Self {
        let args = match &err {
            FeeError::ValidityYears(years) => vec![("years", years.to_string())],
            FeeError::NoPrice(class) => vec![("class", format!("{class:?}"))],
            FeeError::NotAtCounter => Vec::new(),
        };
        with(err.message_id(), "fee", args)
    }
}

impl From<NotAtCounter> for VisitError {
    fn from(err: NotAtCounter) -> Self {
        VisitError::new(err.message_id(), "not at counter")
    }
}

impl From<IdentityRefused> for VisitError {
    fn from(err: IdentityRefused) -> Self {
        // The fields that differ, as their message ids, for the screen to name one by one.
        let args = match &err {
            IdentityRefused::PersonalDataDiffers(fields) => vec![(
                "fields",
                fields.iter().map(|f| f.message_id()).collect::<Vec<_>>().join(","),
            )],
            _ => Vec::new(),
        };
        with(err.message_id(), "identity", args)
    }
}

impl From<RecheckRefused> for VisitError {
    fn from(err: RecheckRefused) -> Self {
        with(err.message_id(), "recheck", err.message_args())
    }
}

impl From<PhraseRule> for VisitError {
    fn from(err: PhraseRule) -> Self {
        VisitError::new(err.message_id(), "revocation phrase")
    }
}

impl From<SkipRefused> for VisitError {
    fn from(err: SkipRefused) -> Self {
        let id = match err {
            SkipRefused::Never => "visit-skip-never",
            SkipRefused::SupervisorOnly => "visit-skip-supervisor-only",
            SkipRefused::NotInPlan => "visit-skip-not-in-plan",
        };
        VisitError::new(id, "skip")
    }
}

impl From<KioskError> for VisitError {
    fn from(err: KioskError) -> Self {
        let category = err.category();
        match err {
            KioskError::Store(e) => e.into(),
            KioskError::Token(e) => e.into(),
            KioskError::DataDir { dir, source } => with(
                "error-data-dir",
                category,
                vec![("dir", dir.to_string_lossy().into_owned()), ("detail", source.to_string())],
            ),
            // Already in the clerk's language (the print documents' own refusals).
            other => with("error-failed", category, vec![("detail", other.to_string())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use i18n::{FluentValue, Language};
    use printers::ipp_client::PrintError;
    use printers::spool::{JobError, JobId, JobSummary, SpoolState};

    use super::*;
    use crate::ui::screens::visit::{document_id, step_id};

    fn render(err: &VisitError, lang: Language) -> String {
        let args: Vec<(&str, FluentValue<'_>)> =
            err.args.iter().map(|(k, v)| (*k, FluentValue::from(v.as_str()))).collect();
        i18n::text_with(lang, err.id, &args)
    }

    fn job(state: SpoolState, error: Option<&str>) -> JobSummary {
        let at = time::OffsetDateTime::UNIX_EPOCH;
        JobSummary {
            id: JobId(ulid::Ulid::nil()),
            kind: "personal_form".into(),
            application: None,
            printer: "ipp://printer.example/ipp/print".into(),
            state,
            attempts: 1,
            last_error: error.map(|id| JobError {
                message_id: id.to_owned(),
                args: Default::default(),
                detail: String::new(),
                retryable: false,
            }),
            ipp_job_id: None,
            next_attempt_at: None,
            cancelled_by: None,
            created: at,
            updated: at,
        }
    }

    /// Not a snake_case id, not a message id: the clerk's words.
    fn in_words(text: &str, raw: &str, lang: Language) {
        assert!(!text.contains('_'), "{lang}: {text}");
        assert!(!text.contains(raw), "{lang}: {raw} in {text}");
        assert!(!text.contains("print-error-") && !text.contains("print-state-"), "{lang}: {text}");
    }

    #[test]
    fn refusals_name_papers_steps_and_print_reasons_in_the_clerks_words() {
        let reasons: Vec<(SpoolState, Option<&str>)> = PrintError::ALL_MESSAGE_IDS
            .iter()
            .chain([&JobError::JOB_LOST])
            .map(|id| (SpoolState::Failed, Some(*id)))
            .chain(
                [SpoolState::Failed, SpoolState::Cancelled, SpoolState::Expired]
                    .map(|state| (state, None)),
            )
            .collect();
        for lang in Language::ALL {
            for kind in DocumentKind::ALL {
                let text = render(&document_missing(kind), lang);
                in_words(&text, kind.as_str(), lang);
                let name = i18n::text(lang, document_id(kind));
                assert!(text.contains(&name), "{lang}: {name} not in {text}");
            }
            for current in Step::ALL {
                let err = step_not_open(Step::Issuance, Some(current));
                let raw = &err.args.iter().find(|(k, _)| *k == "current").expect("current").1;
                let text = render(&err, lang);
                assert!(!text.contains('_'), "{lang}: {text}");
                let name = i18n::text(lang, step_id(current));
                assert!(text.contains(&name), "{lang}: {name} ({raw}) not in {text}");
            }
            let mut said = std::collections::BTreeSet::new();
            for (state, error) in &reasons {
                for id in ["visit-form-print-failed", "visit-receipt-print-failed"] {
                    let err = print_failed(id, &job(*state, *error));
                    let text = render(&err, lang);
                    let raw = error.unwrap_or(state.message_id());
                    in_words(&text, raw, lang);
                    said.insert(text);
                }
            }
            // Each reason in words of its own (the selector's fallback serves none of them).
            assert_eq!(said.len(), reasons.len() * 2, "{lang}: {said:#?}");
        }
    }
}
