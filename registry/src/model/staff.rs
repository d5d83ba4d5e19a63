//! The people who work the counter.

use serde::{Deserialize, Serialize};

use super::{Record, RecordId, RecordKind, Sensitive};
use crate::problem::codes;
use crate::{Problem, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Clerk,
    /// Approves what needs a second person: revocation, PIN unlock, identity-check overrides.
    Supervisor,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Clerk {
    pub id: RecordId,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    /// Argon2 PHC string; the password itself is never stored.
    pub password_hash: String,
    pub active: bool,
    /// The TOTP secret (RFC 6238), base32 without padding, for the sign-in code. `None` for a
    /// record written before sign-in had codes: that clerk needs `kiosk clerk reset-totp`.
    #[serde(default)]
    pub totp_secret: Option<Sensitive>,
    /// The seconds each code lasts, as the clerk's app was told in the `otpauth://` URI.
    #[serde(default = "default_totp_period")]
    pub totp_period: u32,
}

fn default_totp_period() -> u32 {
    crate::totp::DEFAULT_PERIOD
}

/// The shortest period a stored secret may state: apps show 30 or 60 seconds.
pub const MIN_TOTP_PERIOD: u32 = 15;
/// A secret shorter than this (128 bits) is refused: RFC 4226 asks for at least 128, and 160
/// is what the kiosk makes.
pub const MIN_TOTP_SECRET_BYTES: usize = 16;

/// The password hash and the TOTP secret stay out of logs; the hash is not the password, but
/// the secret makes every code.
impl std::fmt::Debug for Clerk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clerk")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("active", &self.active)
            .field("totp", &self.totp_secret.is_some())
            .field("totp_period", &self.totp_period)
            .finish_non_exhaustive()
    }
}

impl Record for Clerk {
    const KIND: RecordKind = RecordKind::Clerk;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        let ok = !self.username.is_empty()
            && self.username.len() <= 32
            && self.username.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        p.check(!ok, "username", codes::INVALID_USERNAME);
        p.check(self.display_name.trim().is_empty(), "display_name", codes::REQUIRED);
        p.check(!self.password_hash.starts_with("$argon2"), "password_hash", codes::REQUIRED);
        let secret_ok = self.totp_secret.as_ref().is_none_or(|secret| {
            crate::totp::base32_decode(secret.expose())
                .is_some_and(|bytes| bytes.len() >= MIN_TOTP_SECRET_BYTES)
        });
        p.check(!secret_ok, "totp_secret", codes::INVALID_TOTP_SECRET);
        let period_ok = (MIN_TOTP_PERIOD..=crate::totp::MAX_PERIOD).contains(&self.totp_period);
        p.check(!period_ok, "totp_period", codes::INVALID_TOTP_PERIOD);
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clerk() -> Clerk {
        Clerk {
            id: RecordId::nil(),
            username: "clerk.chan".into(),
            display_name: "CHAN MAN WING".into(),
            role: StaffRole::Clerk,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            active: true,
            totp_secret: Some(Sensitive::new("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")),
            totp_period: 60,
        }
    }

    #[test]
    fn a_record_from_before_one_time_codes_still_reads() {
        let mut json = serde_json::to_value(clerk()).expect("json");
        let object = json.as_object_mut().expect("object");
        object.remove("totp_secret");
        object.remove("totp_period");
        let old: Clerk = serde_json::from_value(json).expect("reads");
        assert_eq!(old.totp_secret, None);
        assert_eq!(old.totp_period, crate::totp::DEFAULT_PERIOD);
        assert!(old.validate().is_ok());
    }

    #[test]
    fn the_secret_is_checked_and_never_shown_by_debug() {
        assert!(clerk().validate().is_ok());
        let shown = format!("{:?}", clerk());
        assert!(!shown.contains("GEZDGNBV") && !shown.contains("argon2"), "{shown}");
        let short = Clerk { totp_secret: Some(Sensitive::new("GEZDGNBV")), ..clerk() };
        let bad = Clerk { totp_secret: Some(Sensitive::new("not base32!")), ..clerk() };
        let period = Clerk { totp_period: 0, ..clerk() };
        for (record, field) in
            [(short, "totp_secret"), (bad, "totp_secret"), (period, "totp_period")]
        {
            let problems = record.validate().expect_err("refused");
            assert!(problems.iter().any(|p| p.field == field), "{problems:?}");
        }
    }
}
