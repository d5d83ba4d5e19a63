//! What can go wrong between the counter and the card, in words the clerk can act on.

use std::io;
use std::path::PathBuf;

use super::CardField;

/// Why a card could not be read. None of the variants carries the holder's personal data, so
/// the error may be logged whole.
#[derive(Debug, thiserror::Error)]
pub enum CnReaderError {
    #[error(
        "The ID card reader at {} could not be opened ({source}). Check that the reader is \
         plugged in and that the configured port is the right one.",
        path.display()
    )]
    Open {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "The ID card reader did not answer in time. Check its cable and that it is switched on, \
         and that the configured port is the right one."
    )]
    Timeout,
    #[error(
        "The ID card reader's answer was damaged on the way (bad checksum). Check the reader's \
         cable, then try again."
    )]
    BadChecksum,
    #[error(
        "The answer on the ID card reader's port could not be understood ({detail}). Check that \
         the configured port is the ID card reader, and check its cable."
    )]
    MalformedReply { detail: String },
    #[error(
        "There is no ID card on the reader. Place the ID card flat on the reader and leave it \
         there until it has been read."
    )]
    NoCard,
    #[error(
        "The ID card could not be read (reader code {status:#04x}). Take the card off, place it \
         flat on the reader again and keep it still."
    )]
    CardReadFailed { status: u8 },
    #[error(
        "The ID card reader reported error code {status:#04x}. Unplug the reader and plug it in \
         again; if the error stays, the reader needs service."
    )]
    ReaderStatus { status: u8 },
    #[error(
        "The connection to the ID card reader was lost ({source}). Check the reader's cable, \
         then try again."
    )]
    Disconnected {
        #[source]
        source: io::Error,
    },
    #[error(
        "The card's {field} could not be read. Try again; if it still fails, check the card by \
         eye and enter its details by hand."
    )]
    CardData { field: CardField },
    #[error(
        "The ID number stored on the card is not valid ({reason}). Check the card by eye: it may \
         be damaged or not genuine."
    )]
    InvalidIdNumber {
        /// The `registry::ids` message id of the reason; the number itself is never kept here.
        reason: &'static str,
    },
}

/// Every id [`CnReaderError::message_id`] can return; each needs a message in every locale's
/// `cn_reader.ftl`.
pub const ALL_MESSAGE_IDS: &[&str] = &[
    "cn-reader-error-open",
    "cn-reader-error-timeout",
    "cn-reader-error-bad-checksum",
    "cn-reader-error-malformed",
    "cn-reader-error-no-card",
    "cn-reader-error-read-failed",
    "cn-reader-error-reader-status",
    "cn-reader-error-disconnected",
    "cn-reader-error-card-data",
    "cn-reader-error-invalid-id-number",
];

impl CnReaderError {
    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            CnReaderError::Open { .. } => "cn-reader-error-open",
            CnReaderError::Timeout => "cn-reader-error-timeout",
            CnReaderError::BadChecksum => "cn-reader-error-bad-checksum",
            CnReaderError::MalformedReply { .. } => "cn-reader-error-malformed",
            CnReaderError::NoCard => "cn-reader-error-no-card",
            CnReaderError::CardReadFailed { .. } => "cn-reader-error-read-failed",
            CnReaderError::ReaderStatus { .. } => "cn-reader-error-reader-status",
            CnReaderError::Disconnected { .. } => "cn-reader-error-disconnected",
            CnReaderError::CardData { .. } => "cn-reader-error-card-data",
            CnReaderError::InvalidIdNumber { .. } => "cn-reader-error-invalid-id-number",
        }
    }

    /// The Fluent arguments of [`CnReaderError::message_id`]'s message. `field` is the field's
    /// key in [`super::CnIdCard`]'s serialisation (`birth_date`), for the log and support.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            CnReaderError::Open { path, source } => {
                vec![("path", path.display().to_string()), ("detail", source.to_string())]
            }
            CnReaderError::Timeout
            | CnReaderError::BadChecksum
            | CnReaderError::NoCard
            | CnReaderError::InvalidIdNumber { .. } => Vec::new(),
            CnReaderError::MalformedReply { detail } => vec![("detail", detail.clone())],
            CnReaderError::CardReadFailed { status } | CnReaderError::ReaderStatus { status } => {
                vec![("code", format!("{status:02X}"))]
            }
            CnReaderError::Disconnected { source } => vec![("detail", source.to_string())],
            CnReaderError::CardData { field } => vec![("field", field.as_str().to_owned())],
        }
    }

    /// Whether trying again may help without anyone touching the hardware: a card not yet
    /// placed, or one that moved while being read.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            CnReaderError::NoCard
                | CnReaderError::CardReadFailed { .. }
                | CnReaderError::BadChecksum
        )
    }
}
