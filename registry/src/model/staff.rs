//! The people who work the counter.

use serde::{Deserialize, Serialize};

use super::{Record, RecordId, RecordKind};
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
}

/// The password hash stays out of logs even though it is not the password.
impl std::fmt::Debug for Clerk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clerk")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("active", &self.active)
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
        p.finish()
    }
}
