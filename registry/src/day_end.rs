//! The counter's day-end close: what one counter did in one office day, counted from the records
//! the store holds, and the record a supervisor keeps of it. Pure: the kiosk reads the day's
//! audit events, applications and token status changes, and passes them in with the day.
//!
//! How each figure is counted (all for one counter, the kiosk id every event carries, and for
//! the office's day, midnight to midnight in the office's zone):
//! - **Services done, by type**: applications whose state became *completed* on the counter
//!   that day (their `ApplicationTransition` audit event), by the application's service.
//! - **Fees, by payment method**: applications whose payment was recorded on the counter that
//!   day (`record_payment`), the amount of `progress.payment` by `visit.payment_method` (no
//!   method: a payment a script recorded), per currency. **Refunds**: paid applications
//!   cancelled on the counter that day (a supervisor's cancellation after payment), by method,
//!   so the till reconciles.
//! - **Tokens used**: tokens whose inventory status became *issued* on the counter that day
//!   (taken from stock and given to a holder; a renewal on the holder's own token uses none).
//!   **Spoiled**: tokens whose status became *damaged* or *retired* there that day (a
//!   replacement of a damaged token, `kiosk token report`); **lost** tokens are listed apart,
//!   as the holder's loss, not the counter's stock. Status changes come from the store's event
//!   log (each write names its kiosk and time), since a token's issuance writes no audit event
//!   of its own; a token counts once however often it changed.
//! - **Forms**: forms printed on the counter that day (the form step's `Printed` audit
//!   event), and of those, the ones whose signed copy has not come back (as the store holds
//!   them at the close).
//! - **Applications left open**: applications not completed, rejected or cancelled that the
//!   counter touched that day (any audit event about them), or whose visit it last saved
//!   (`visit.kiosk`) and that existed by the day's end. States are as of the close.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

use crate::application::{Application, ApplicationState};
use crate::audit::{AuditAction, AuditEvent, StepOutcome};
use crate::model::{Money, Record, RecordId, RecordKind, Service, StaffRole, TokenStatus};
use crate::problem::codes;
use crate::visit::{PaymentMethod, Step};
use crate::{Problem, Problems};

/// Start and end (exclusive) of the office day `date` in the office's zone.
pub fn day_bounds(date: Date, offset: UtcOffset) -> (OffsetDateTime, OffsetDateTime) {
    let start = date.with_time(Time::MIDNIGHT).assume_offset(offset);
    (start, start + Duration::DAY)
}

/// One token's inventory status as set by one write of the store: which counter, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStatusChange {
    pub token: RecordId,
    /// The chip serial printed on the token.
    pub serial: String,
    pub status: TokenStatus,
    pub at: OffsetDateTime,
    pub kiosk: String,
}

/// What the day-end is counted from: the records as the store holds them at the close.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// Every application the day's audit events name, and every open one (others are ignored).
    pub applications: &'a [Application],
    /// The audit events of the day (others are ignored).
    pub audit: &'a [AuditEvent],
    /// The token status changes of the day (others are ignored).
    pub tokens: &'a [TokenStatusChange],
}

/// How many of one service the counter completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCount {
    pub service: Service,
    pub completed: u32,
}

/// Payments (or refunds) of one method in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentTotal {
    /// `None`: recorded without its method (by a script, or before visits recorded it).
    pub method: Option<PaymentMethod>,
    pub count: u32,
    pub total: Money,
}

/// A token the counter reported spoiled or lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenLine {
    pub serial: String,
    pub status: TokenStatus,
}

/// An application the day-end names: by reference, never by the person's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationLine {
    pub application: RecordId,
    pub reference: String,
    pub service: Service,
    pub state: ApplicationState,
}

/// What one counter did in one office day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayEndReport {
    /// Every service, in `Service::ALL` order, zeros included.
    pub services: Vec<ServiceCount>,
    /// By method (cash, card, transfer, then none), then currency.
    pub payments: Vec<PaymentTotal>,
    pub refunds: Vec<PaymentTotal>,
    /// Serials of the tokens given out, sorted.
    pub tokens_used: Vec<String>,
    /// Damaged or retired, by serial.
    pub tokens_spoiled: Vec<TokenLine>,
    /// Serials of the tokens reported lost, sorted.
    pub tokens_lost: Vec<String>,
    pub forms_printed: u32,
    /// Printed that day and not (yet) returned signed, by reference.
    pub forms_unsigned: Vec<ApplicationLine>,
    /// By reference.
    pub open_applications: Vec<ApplicationLine>,
}

impl DayEndReport {
    /// Services completed, all types together.
    pub fn services_completed(&self) -> u32 {
        self.services.iter().map(|s| s.completed).sum()
    }
}

/// Counts what counter `kiosk` did on office day `date` (in `offset`), from `sources`.
pub fn count_day(
    kiosk: &str,
    date: Date,
    offset: UtcOffset,
    sources: &Sources<'_>,
) -> DayEndReport {
    let (start, end) = day_bounds(date, offset);
    let here = |kiosk_of: &str, at: OffsetDateTime| kiosk_of == kiosk && start <= at && at < end;
    let applications: BTreeMap<RecordId, &Application> =
        sources.applications.iter().map(|a| (a.id, a)).collect();

    let mut completed = BTreeSet::new();
    let mut paid = BTreeSet::new();
    let mut refunded = BTreeSet::new();
    let mut printed = BTreeSet::new();
    let mut touched = BTreeSet::new();
    for event in sources.audit.iter().filter(|e| here(&e.kiosk, e.at)) {
        let (Some(RecordKind::Application), Some(id)) = (event.subject_kind, event.subject) else {
            continue;
        };
        touched.insert(id);
        match &event.action {
            AuditAction::ApplicationTransition { action, from, to } => {
                if to == ApplicationState::Completed.as_str() {
                    completed.insert(id);
                }
                if action == "record_payment" {
                    paid.insert(id);
                }
                if to == ApplicationState::Cancelled.as_str()
                    && from == ApplicationState::AwaitingFulfilment.as_str()
                {
                    refunded.insert(id);
                }
            }
            AuditAction::VisitStep { step: Step::Form, outcome: StepOutcome::Printed { .. } } => {
                printed.insert(id);
            }
            _ => {}
        }
    }
    let known = |ids: &BTreeSet<RecordId>| -> Vec<&Application> {
        ids.iter().filter_map(|id| applications.get(id).copied()).collect()
    };

    let services = Service::ALL
        .into_iter()
        .map(|service| ServiceCount {
            service,
            completed: count(known(&completed).iter().filter(|a| a.service == service)),
        })
        .collect();

    let mut tokens_used = BTreeMap::new();
    let mut tokens_spoiled: BTreeMap<RecordId, (OffsetDateTime, TokenLine)> = BTreeMap::new();
    let mut tokens_lost = BTreeMap::new();
    for change in sources.tokens.iter().filter(|c| here(&c.kiosk, c.at)) {
        match change.status {
            TokenStatus::Issued => {
                tokens_used.insert(change.token, change.serial.clone());
            }
            TokenStatus::Damaged | TokenStatus::Retired => {
                let line = TokenLine { serial: change.serial.clone(), status: change.status };
                // A damaged token retired the same day is one token, as it stands last.
                let later =
                    tokens_spoiled.get(&change.token).is_none_or(|(at, _)| *at <= change.at);
                if later {
                    tokens_spoiled.insert(change.token, (change.at, line));
                }
            }
            TokenStatus::Lost => {
                tokens_lost.insert(change.token, change.serial.clone());
            }
            TokenStatus::Blank => {}
        }
    }
    let mut tokens_spoiled: Vec<TokenLine> =
        tokens_spoiled.into_values().map(|(_, line)| line).collect();
    tokens_spoiled.sort_by(|a, b| a.serial.cmp(&b.serial));

    let forms_unsigned = lines(
        known(&printed)
            .into_iter()
            .filter(|a| a.visit.form.as_ref().is_none_or(|form| form.signed_at.is_none())),
    );
    let open_applications = lines(sources.applications.iter().filter(|a| {
        let last_here = a.visit.kiosk.as_deref() == Some(kiosk) && a.created_at < end;
        !a.state().is_final() && (touched.contains(&a.id) || last_here)
    }));

    DayEndReport {
        services,
        payments: totals(&known(&paid)),
        refunds: totals(
            &known(&refunded)
                .into_iter()
                .filter(|a| a.progress.payment.is_some())
                .collect::<Vec<_>>(),
        ),
        tokens_used: sorted(tokens_used.into_values()),
        tokens_spoiled,
        tokens_lost: sorted(tokens_lost.into_values()),
        forms_printed: count(printed.iter()),
        forms_unsigned,
        open_applications,
    }
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut items: Vec<String> = items.collect();
    items.sort();
    items
}

fn lines<'a>(applications: impl Iterator<Item = &'a Application>) -> Vec<ApplicationLine> {
    let mut lines: Vec<ApplicationLine> = applications
        .map(|a| ApplicationLine {
            application: a.id,
            reference: a.reference.clone(),
            service: a.service,
            state: a.state(),
        })
        .collect();
    lines.sort_by(|a, b| (&a.reference, a.application).cmp(&(&b.reference, b.application)));
    lines
}

/// The order payment lines print in: cash, card, transfer, then a payment without its method.
fn method_rank(method: Option<PaymentMethod>) -> usize {
    method
        .and_then(|m| PaymentMethod::ALL.iter().position(|x| *x == m))
        .unwrap_or(PaymentMethod::ALL.len())
}

/// The paid amounts of `applications` by method and currency.
fn totals(applications: &[&Application]) -> Vec<PaymentTotal> {
    let mut sums: Vec<PaymentTotal> = Vec::new();
    for app in applications {
        let Some(payment) = &app.progress.payment else { continue };
        let method = app.visit.payment_method;
        let amount = payment.amount;
        match sums.iter_mut().find(|s| s.method == method && s.total.currency == amount.currency) {
            Some(sum) => {
                sum.count += 1;
                sum.total.minor = sum.total.minor.saturating_add(amount.minor);
            }
            None => sums.push(PaymentTotal { method, count: 1, total: amount }),
        }
    }
    sums.sort_by_key(|s| (method_rank(s.method), s.total.currency.code()));
    sums
}

/// A counter's day, closed by a supervisor: the report as it stood, who closed it and when. Kept
/// as a record (it replicates and exports like any other) and never changed once written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayEnd {
    pub id: RecordId,
    /// The counter (the store's kiosk id) whose day this is.
    pub kiosk: String,
    /// The office day, in the office's zone.
    pub day: Date,
    /// The supervisor who closed it.
    pub closed_by: RecordId,
    #[serde(with = "time::serde::rfc3339")]
    pub closed_at: OffsetDateTime,
    pub report: DayEndReport,
}

impl Record for DayEnd {
    const KIND: RecordKind = RecordKind::DayEnd;

    fn id(&self) -> RecordId {
        self.id
    }

    fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(!crate::hlc::valid_node(&self.kiosk), "kiosk", codes::REQUIRED);
        p.check(
            self.report.services.len() != Service::ALL.len(),
            "report.services",
            codes::REQUIRED,
        );
        p.finish()
    }

    /// What was signed off stays as it was signed off.
    fn check_change(before: Option<&Self>, after: &Self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        p.check(before.is_some_and(|b| b != after), "day_end", codes::CHANGE_NOT_ALLOWED);
        p.finish()
    }
}

/// Why a day cannot be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloseRefused {
    /// Closing the day is a supervisor's act.
    #[error("only a supervisor closes the counter's day")]
    SupervisorOnly,
    /// The day was closed on this counter already. A second close is refused rather than
    /// superseding the first: the first is what the till and the drawer were counted against
    /// and signed off, and a later one that differed would leave two answers for one day.
    #[error("the day was already closed at {at}")]
    AlreadyClosed { by: RecordId, at: OffsetDateTime },
    /// A day that has not begun cannot be closed.
    #[error("{day} has not begun")]
    FutureDay { day: Date },
}

impl CloseRefused {
    pub const ALL_MESSAGE_IDS: &[&str] =
        &["day-end-supervisor-only", "day-end-already-closed", "day-end-future-day"];

    pub fn message_id(&self) -> &'static str {
        match self {
            CloseRefused::SupervisorOnly => "day-end-supervisor-only",
            CloseRefused::AlreadyClosed { .. } => "day-end-already-closed",
            CloseRefused::FutureDay { .. } => "day-end-future-day",
        }
    }

    /// `at` as the office reads it (the stored close is in the office's zone); `by` is the
    /// supervisor's record id, which the kiosk replaces with their user name.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            CloseRefused::SupervisorOnly => Vec::new(),
            CloseRefused::AlreadyClosed { by, at } => vec![
                ("by", by.to_string()),
                ("at", format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())),
            ],
            CloseRefused::FutureDay { day } => vec![("day", day.to_string())],
        }
    }
}

/// Whether someone of `role` may close counter `kiosk`'s day `day` at `now` (in the office's
/// zone), given the days already closed (`closed`, any counters').
pub fn may_close(
    closed: &[DayEnd],
    kiosk: &str,
    day: Date,
    role: StaffRole,
    now: OffsetDateTime,
) -> Result<(), CloseRefused> {
    if role != StaffRole::Supervisor {
        return Err(CloseRefused::SupervisorOnly);
    }
    if day > now.date() {
        return Err(CloseRefused::FutureDay { day });
    }
    match closed.iter().find(|d| d.kiosk == kiosk && d.day == day) {
        Some(done) => Err(CloseRefused::AlreadyClosed { by: done.closed_by, at: done.closed_at }),
        None => Ok(()),
    }
}
