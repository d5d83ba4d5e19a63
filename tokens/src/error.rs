//! What can go wrong with a token, the CA or an issuance, each with the i18n message the clerk
//! reads.

use std::path::PathBuf;

use registry::model::{LifecycleError, TokenStatus};

use crate::dn::SubjectError;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot load the PKCS#11 module {path}: {detail}")]
    Module { path: PathBuf, detail: String },
    #[error("no token labelled {0:?} is present")]
    NoToken(String),
    #[error("a token label has 1 to 32 bytes: {0:?}")]
    LabelTooLong(String),
    #[error("wrong PIN: {tries_left} tries left")]
    WrongPin { tries_left: u32 },
    #[error("the token is locked after too many wrong PINs; unlock it with the SO PIN")]
    Locked,
    #[error("wrong SO PIN")]
    WrongSoPin,
    #[error("wrong PIN for the CA's token")]
    WrongCaPin,
    /// The office's stock PIN (`KIOSK_STOCK_PIN`) does not open a blank token from stock: the
    /// office's configuration, never a holder's typo, so it is not counted.
    #[error("the office's stock PIN does not open this blank token")]
    WrongStockPin,
    #[error("the token was reported lost: it is never unlocked or reissued")]
    Lost,
    #[error("the token is {0:?} and cannot be used")]
    NotUsable(TokenStatus),
    #[error("the new PIN is not acceptable: {0:?}")]
    PinRules(Vec<&'static str>),
    #[error("no certificate issued by the kiosk is on the token")]
    NoCertificate,
    #[error("the certificate's private key is not on the token")]
    NoKey,
    #[error("the issued certificate failed verification: {0}")]
    Verification(String),
    #[error("the token refused: {0}")]
    Pkcs11(#[from] cryptoki::error::Error),
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("subject DN: {0}")]
    Subject(#[from] SubjectError),
    #[error("unknown certificate profile {0:?}")]
    UnknownProfile(String),
    #[error("the profile {0} needs a USB token: its key may not live in a file")]
    SoftNotAllowed(String),
    #[error("the key type {0} is not available here")]
    KeyType(String),
    #[error(
        "no office CA is set up in this data directory (run `kiosk ca init` or `kiosk ca import`)"
    )]
    CaNotConfigured,
    #[error("an office CA is already set up in this data directory")]
    CaExists,
    #[error("no key on the CA token matches the imported certificate")]
    CaKeyMismatch,
    #[error("no certificate with serial {0}")]
    CertificateNotFound(String),
    #[error("pin_tries is {found}; a token must allow at least {min} wrong PINs before it locks")]
    PinTries { min: u32, found: u32 },
    /// A later step of an issuance failed after the CA signed: the certificate was revoked.
    #[error("certificate {serial} did not reach its holder ({cause}); it was revoked")]
    NotDelivered { serial: String, cause: Box<TokenError> },
    /// A later step of an issuance failed and so did the revocation that must follow: the
    /// certificate stays on hold, and the next token operation that can write revokes it.
    #[error(
        "certificate {serial} did not reach its holder ({cause}) and is not yet revoked ({revocation})"
    )]
    RevocationPending { serial: String, cause: Box<TokenError>, revocation: Box<TokenError> },
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl TokenError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "token-error-module",
        "token-error-no-token",
        "token-error-label-too-long",
        "token-error-wrong-pin",
        "token-error-locked",
        "token-error-wrong-so-pin",
        "token-error-wrong-ca-pin",
        "token-error-wrong-stock-pin",
        "token-error-lost",
        "token-error-not-usable",
        "token-error-pin-rules",
        "token-error-no-certificate",
        "token-error-no-key",
        "token-error-verification",
        "token-error-pkcs11",
        "token-error-certificate",
        "token-error-subject",
        "token-error-unknown-profile",
        "token-error-soft-not-allowed",
        "token-error-key-type",
        "token-error-ca-not-configured",
        "token-error-ca-exists",
        "token-error-ca-key-mismatch",
        "token-error-certificate-not-found",
        "token-error-pin-tries",
        "token-error-not-delivered",
        "token-error-revocation-pending",
    ];

    /// The Fluent id of the sentence the clerk reads; `None` for errors that belong to another
    /// layer (the store, the disk, the domain's lifecycle), which have their own messages.
    pub fn message_id(&self) -> Option<&'static str> {
        Some(match self {
            TokenError::Module { .. } => "token-error-module",
            TokenError::NoToken(_) => "token-error-no-token",
            TokenError::LabelTooLong(_) => "token-error-label-too-long",
            TokenError::WrongPin { .. } => "token-error-wrong-pin",
            TokenError::Locked => "token-error-locked",
            TokenError::WrongSoPin => "token-error-wrong-so-pin",
            TokenError::WrongCaPin => "token-error-wrong-ca-pin",
            TokenError::WrongStockPin => "token-error-wrong-stock-pin",
            TokenError::Lost => "token-error-lost",
            TokenError::NotUsable(_) => "token-error-not-usable",
            TokenError::PinRules(_) => "token-error-pin-rules",
            TokenError::NoCertificate => "token-error-no-certificate",
            TokenError::NoKey => "token-error-no-key",
            TokenError::Verification(_) => "token-error-verification",
            TokenError::Pkcs11(_) => "token-error-pkcs11",
            TokenError::Certificate(_) => "token-error-certificate",
            TokenError::Subject(_) => "token-error-subject",
            TokenError::UnknownProfile(_) => "token-error-unknown-profile",
            TokenError::SoftNotAllowed(_) => "token-error-soft-not-allowed",
            TokenError::KeyType(_) => "token-error-key-type",
            TokenError::CaNotConfigured => "token-error-ca-not-configured",
            TokenError::CaExists => "token-error-ca-exists",
            TokenError::CaKeyMismatch => "token-error-ca-key-mismatch",
            TokenError::CertificateNotFound(_) => "token-error-certificate-not-found",
            TokenError::PinTries { .. } => "token-error-pin-tries",
            TokenError::NotDelivered { .. } => "token-error-not-delivered",
            TokenError::RevocationPending { .. } => "token-error-revocation-pending",
            TokenError::Lifecycle(_) | TokenError::Store(_) | TokenError::Io(_) => return None,
        })
    }

    /// The values the message names. Never a PIN: none of these variants carries one.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            TokenError::Module { path, detail } => {
                vec![("path", path.display().to_string()), ("detail", detail.clone())]
            }
            TokenError::NoToken(label) | TokenError::LabelTooLong(label) => {
                vec![("label", label.clone())]
            }
            TokenError::WrongPin { tries_left } => vec![("tries", tries_left.to_string())],
            TokenError::NotUsable(status) => vec![("status", status_name(*status).to_owned())],
            TokenError::PinRules(ids) => vec![("detail", ids.join(", "))],
            TokenError::Verification(detail) | TokenError::Certificate(detail) => {
                vec![("detail", detail.clone())]
            }
            TokenError::Subject(err) => vec![("detail", err.to_string())],
            TokenError::Pkcs11(err) => vec![("detail", err.to_string())],
            TokenError::UnknownProfile(name) | TokenError::SoftNotAllowed(name) => {
                vec![("profile", name.clone())]
            }
            TokenError::KeyType(name) => vec![("key", name.clone())],
            TokenError::CertificateNotFound(serial) => vec![("serial", serial.clone())],
            TokenError::PinTries { min, found } => {
                vec![("min", min.to_string()), ("found", found.to_string())]
            }
            TokenError::NotDelivered { serial, cause } => {
                vec![("serial", serial.clone()), ("detail", cause.to_string())]
            }
            TokenError::RevocationPending { serial, cause, revocation } => vec![
                ("serial", serial.clone()),
                ("detail", cause.to_string()),
                ("reason", revocation.to_string()),
            ],
            _ => Vec::new(),
        }
    }

    /// What kind of failure this is, for the log.
    pub fn category(&self) -> &'static str {
        match self {
            TokenError::WrongPin { .. }
            | TokenError::Locked
            | TokenError::WrongSoPin
            | TokenError::WrongCaPin
            | TokenError::WrongStockPin => "pin",
            TokenError::Store(err) => err.category(),
            TokenError::Io(_) => "io",
            TokenError::RevocationPending { .. } => "revocation pending",
            _ => "token",
        }
    }
}

pub fn status_name(status: TokenStatus) -> &'static str {
    match status {
        TokenStatus::Blank => "blank",
        TokenStatus::Issued => "issued",
        TokenStatus::Lost => "lost",
        TokenStatus::Damaged => "damaged",
        TokenStatus::Retired => "retired",
    }
}

pub type Result<T, E = TokenError> = std::result::Result<T, E>;
