//! Validation problems: what is wrong with a record, field by field, as message ids the UI translates.

use serde::Serialize;

/// One thing wrong with one field. Validation collects every problem at once, so the clerk can fix
/// the whole form in one pass instead of discovering errors one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field's name as the record spells it (`id_document.number`, `invoice.title`, …).
    pub field: String,
    /// What is wrong, as a Fluent message id (see `i18n/locales/*/problems.ftl`).
    pub code: &'static str,
}

impl Problem {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self { field: field.into(), code }
    }
}

/// Collects problems while a validator walks a record.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, code: &'static str) {
        self.0.push(Problem::new(field, code));
    }

    /// Records `code` against `field` when `failed` holds.
    pub fn check(&mut self, failed: bool, field: impl Into<String>, code: &'static str) {
        if failed {
            self.push(field, code);
        }
    }

    /// Prefixes every problem of a nested record's validation with `prefix.`.
    pub fn extend_nested(&mut self, prefix: &str, nested: Result<(), Vec<Problem>>) {
        if let Err(problems) = nested {
            self.0.extend(
                problems
                    .into_iter()
                    .map(|p| Problem { field: format!("{prefix}.{}", p.field), code: p.code }),
            );
        }
    }

    pub fn finish(self) -> Result<(), Vec<Problem>> {
        if self.0.is_empty() { Ok(()) } else { Err(self.0) }
    }
}

/// Every problem code a validator can return. The i18n test checks each has a message in every
/// language, so adding one here without translating it fails the build's tests.
pub mod codes {
    pub const REQUIRED: &str = "problem-required";
    pub const INVALID_ID_NUMBER: &str = "problem-invalid-id-number";
    pub const INVALID_COUNTRY: &str = "problem-invalid-country";
    pub const INVALID_PHONE: &str = "problem-invalid-phone";
    pub const INVALID_EMAIL: &str = "problem-invalid-email";
    pub const DATE_ORDER: &str = "problem-date-order";
    pub const INVALID_USCC: &str = "problem-invalid-uscc";
    pub const TITLE_NOT_ORGANISATION: &str = "problem-title-not-organisation";
    pub const INVALID_TAXPAYER_ID: &str = "problem-invalid-taxpayer-id";
    pub const VALIDITY_YEARS: &str = "problem-validity-years";
    pub const INVALID_SERIAL: &str = "problem-invalid-serial";
    pub const INVALID_USERNAME: &str = "problem-invalid-username";
    pub const INVALID_TOTP_SECRET: &str = "problem-invalid-totp-secret";
    pub const INVALID_TOTP_PERIOD: &str = "problem-invalid-totp-period";
    pub const CLOUD_SIGN_NOT_AT_COUNTER: &str = "problem-cloud-sign-not-at-counter";
    pub const NO_CERTIFICATES: &str = "problem-no-certificates";
    pub const ORGANISATION_REQUIRED: &str = "problem-organisation-required";
    pub const CHANGE_NOT_ALLOWED: &str = "problem-change-not-allowed";

    pub const ALL: &[&str] = &[
        REQUIRED,
        INVALID_ID_NUMBER,
        INVALID_COUNTRY,
        INVALID_PHONE,
        INVALID_EMAIL,
        DATE_ORDER,
        INVALID_USCC,
        TITLE_NOT_ORGANISATION,
        INVALID_TAXPAYER_ID,
        VALIDITY_YEARS,
        INVALID_SERIAL,
        INVALID_USERNAME,
        INVALID_TOTP_SECRET,
        INVALID_TOTP_PERIOD,
        CLOUD_SIGN_NOT_AT_COUNTER,
        NO_CERTIFICATES,
        ORGANISATION_REQUIRED,
        CHANGE_NOT_ALLOWED,
    ];
}
