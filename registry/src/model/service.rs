//! The services the counter offers, and how people arrive for them: appointments and walk-ins.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Record, RecordId, RecordKind};
use crate::problem::codes;
use crate::{Problem, Problems};

/// What a person comes to the counter for (seeds 000, 002, 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// 新辦
    NewIssuance,
    /// 續期 / 更新
    Renewal,
    /// 變更
    Change,
    /// 補辦 / 補發: lost or broken token.
    Replacement,
    /// 解鎖
    PinUnlock,
    /// 註銷 / 撤銷
    Revocation,
    /// 改派: change of mailing address for a token sent by post.
    Redispatch,
}

impl Service {
    pub const ALL: [Service; 7] = [
        Service::NewIssuance,
        Service::Renewal,
        Service::Change,
        Service::Replacement,
        Service::PinUnlock,
        Service::Revocation,
        Service::Redispatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::NewIssuance => "new_issuance",
            Service::Renewal => "renewal",
            Service::Change => "change",
            Service::Replacement => "replacement",
            Service::PinUnlock => "pin_unlock",
            Service::Revocation => "revocation",
            Service::Redispatch => "redispatch",
        }
    }

    /// Whether the service ends with a certificate issued onto a token.
    pub fn issues_certificate(self) -> bool {
        matches!(
            self,
            Service::NewIssuance | Service::Renewal | Service::Change | Service::Replacement
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Booked,
    CheckedIn,
    Served,
    NoShow,
    Cancelled,
}

/// A booked visit. The person brings its reference as a QR code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: RecordId,
    /// The reference printed on the booking (and in its QR code).
    pub reference: String,
    pub person: Option<RecordId>,
    pub organisation: Option<RecordId>,
    /// The name given when booking, shown on the day's list before the person is identified.
    pub booked_name: String,
    pub service: Service,
    #[serde(with = "time::serde::rfc3339")]
    pub slot: OffsetDateTime,
    pub status: AppointmentStatus,
}

impl Record for Appointment {
    const KIND: RecordKind = RecordKind::Appointment;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(self.reference.trim().is_empty(), "reference", codes::REQUIRED);
        p.check(self.booked_name.trim().is_empty(), "booked_name", codes::REQUIRED);
        p.finish()
    }

    /// A served or cancelled appointment is history.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        if let Some(before) = before {
            // A no-show who turns up late can still be checked in.
            let done =
                matches!(before.status, AppointmentStatus::Served | AppointmentStatus::Cancelled);
            p.check(done && after.status != before.status, "status", codes::CHANGE_NOT_ALLOWED);
        }
        p.finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    Called,
    Served,
    /// Called and not there.
    Left,
}

/// A walk-in queue ticket (`W017`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalkInTicket {
    pub id: RecordId,
    pub number: String,
    pub service: Service,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    pub status: TicketStatus,
}

impl Record for WalkInTicket {
    const KIND: RecordKind = RecordKind::WalkInTicket;

    fn id(&self) -> RecordId {
        self.id
    }

    /// A served ticket is history (one whose holder seemed gone can be called again).
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        if let Some(before) = before {
            let done = before.status == TicketStatus::Served;
            p.check(done && after.status != before.status, "status", codes::CHANGE_NOT_ALLOWED);
        }
        p.finish()
    }
}
