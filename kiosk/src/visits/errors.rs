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
use registry::application::TransitionError;
use registry::fees::FeeError;
use registry::model::LifecycleError;
use registry::mrz::MrzError;
use registry::visit::{IdentityRefused, NotAtCounter, PhraseRule, RecheckRefused, SkipRefused};
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
