//! The renewal-due rule (seed 000): a certificate appears in the renewal list once its
//! organisation has confirmed it and it expires within 30 days.

use time::OffsetDateTime;

use crate::model::{Certificate, CertificateStatus};

/// Renewal notices go out, and the counter offers renewal, this many days before expiry.
pub const RENEWAL_WINDOW_DAYS: i64 = 30;

/// Whether `certificate` is due for renewal at the counter at `now` (days are counted in `now`'s
/// time zone: the office's).
///
/// Personal certificates have no organisation to confirm them, so only the expiry counts for
/// them. Expired certificates are not renewed (they are issued anew), nor are cloud-sign ones,
/// which are never handled at the counter.
pub fn is_renewal_due(certificate: &Certificate, now: OffsetDateTime, window_days: i64) -> bool {
    if certificate.status != CertificateStatus::Valid || !certificate.class.issued_at_counter() {
        return false;
    }
    let confirmed =
        certificate.renewal_confirmed || !certificate.holder_kind.belongs_to_organisation();
    match certificate.days_left(now) {
        Some(days) => confirmed && (0..=window_days).contains(&days),
        None => false,
    }
}

/// The certificates due for renewal within `days` of `now`, soonest expiry first.
pub fn renewal_due_within<'a>(
    certificates: impl IntoIterator<Item = &'a Certificate>,
    now: OffsetDateTime,
    days: i64,
) -> Vec<&'a Certificate> {
    let mut due: Vec<_> =
        certificates.into_iter().filter(|c| is_renewal_due(c, now, days)).collect();
    due.sort_by_key(|c| c.not_after);
    due
}
