//! The counter's day-end close, for `kiosk day-end close|show` and the supervisors' day-end
//! screen: the office day's records read from one store snapshot and counted by
//! `registry::day_end`, kept as a `DayEnd` record by the supervisor who closed it, and printed
//! through the spool (or as a PDF). Synchronous, one `Store` a call, typed errors with message
//! ids: the UI runs it as a job.

use std::collections::BTreeMap;
use std::path::PathBuf;

use printers::document::{DayEndSheet, Document};
use printers::spool::JobSummary;
use registry::application::Application;
use registry::audit::AuditEvent;
use registry::day_end::{
    self, CloseRefused, DayEnd, DayEndReport, Sources, TokenStatusChange, may_close,
};
use registry::model::{Clerk, RecordId, RecordKind, Token, TokenStatus};
use serde::Serialize;
use store::{Store, StoreError};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

use crate::Context;
use crate::print_cmd::{self, PrintFailure};

/// A counter's day as shown and printed: the report kept at the close once the day is closed,
/// else the figures so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayView {
    pub kiosk: String,
    pub day: Date,
    pub closed: Option<ClosedBy>,
    pub report: DayEndReport,
}

/// Who closed the day, and when (in the office's zone).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedBy {
    /// The `DayEnd` record.
    pub record: RecordId,
    pub supervisor: RecordId,
    /// The supervisor's user name, as the staff know them.
    pub username: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Why a day was not closed. Typed until it is shown, so the screen re-translates it.
#[derive(Debug, thiserror::Error)]
pub enum DayEndError {
    /// The domain's refusal; `by` is the user name of whoever closed the day already.
    #[error("{refusal}")]
    Refused { refusal: CloseRefused, by: Option<String> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DayEndError {
    pub fn message_id(&self) -> &'static str {
        match self {
            DayEndError::Refused { refusal, .. } => refusal.message_id(),
            DayEndError::Store(_) => "error-store",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            DayEndError::Refused { refusal, by } => refusal
                .message_args()
                .into_iter()
                .map(|(k, v)| match (k, by) {
                    ("by", Some(name)) => (k, name.clone()),
                    _ => (k, v),
                })
                .collect(),
            DayEndError::Store(e) => vec![("detail", e.to_string())],
        }
    }

    /// A refusal is the answer "no" (exit 1); the store failing is a failure.
    pub fn into_kiosk_error(self, ctx: &Context) -> crate::KioskError {
        match self {
            DayEndError::Store(e) => crate::KioskError::Store(e),
            refused => crate::KioskError::Refused(
                ctx.t_pairs(refused.message_id(), refused.message_args()),
            ),
        }
    }
}

/// Clocks of other counters run ahead or behind; their events are read a day either side of
/// the office day and placed by the time they carry (`registry::day_end` decides).
const CLOCK_MARGIN: Duration = Duration::DAY;

/// Counts this counter's office day `day` from the store, as it stands now.
pub fn count(store: &Store, day: Date, offset: UtcOffset) -> Result<DayEndReport, StoreError> {
    store.snapshot(|store| {
        let (start, end) = day_end::day_bounds(day, offset);
        let (from, to) = (start - CLOCK_MARGIN, end + CLOCK_MARGIN);
        let mut audit: Vec<AuditEvent> = Vec::new();
        for event in store.events_between(RecordKind::AuditEvent, from, to)? {
            audit.extend(store.get::<AuditEvent>(event.record_id)?);
        }
        let tokens = token_changes(store, from, to)?;
        // Applications have no index by day yet (as for the queue's approvals): every one is
        // read, and the domain keeps those of the day and those still open.
        let applications = store.list::<Application>()?;
        let sources = Sources { applications: &applications, audit: &audit, tokens: &tokens };
        Ok(day_end::count_day(store.kiosk_id(), day, offset, &sources))
    })
}

/// Every change of a token's inventory status written in `[from, to)`, with its counter and
/// time: tokens have no audit event for their issuance, so the event log is their history.
fn token_changes(
    store: &Store,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<TokenStatusChange>, StoreError> {
    let mut serials: BTreeMap<RecordId, String> = BTreeMap::new();
    let mut changes = Vec::new();
    for event in store.events_between(RecordKind::Token, from, to)? {
        let Some(status) = event.changes.get("status") else { continue };
        let Ok(status) = serde_json::from_value::<TokenStatus>(status.clone()) else { continue };
        let serial = match serials.get(&event.record_id) {
            Some(serial) => serial.clone(),
            None => {
                let serial = store
                    .get::<Token>(event.record_id)?
                    .map(|t| t.serial)
                    .unwrap_or_else(|| event.record_id.to_string());
                serials.insert(event.record_id, serial.clone());
                serial
            }
        };
        let at_ns = i128::from(event.hlc.wall_ms) * 1_000_000;
        let Ok(at) = OffsetDateTime::from_unix_timestamp_nanos(at_ns) else { continue };
        changes.push(TokenStatusChange {
            token: event.record_id,
            serial,
            status,
            at,
            kiosk: event.kiosk.clone(),
        });
    }
    Ok(changes)
}

/// The day as kept at its close, or, not closed yet, as it stands.
pub fn load(store: &Store, day: Date, offset: UtcOffset) -> Result<DayView, StoreError> {
    let kiosk = store.kiosk_id().to_owned();
    let kept = store.list::<DayEnd>()?.into_iter().find(|d| d.kiosk == kiosk && d.day == day);
    match kept {
        Some(record) => view_of(store, &record, offset),
        None => Ok(DayView { kiosk, day, closed: None, report: count(store, day, offset)? }),
    }
}

/// What a kept record shows, its supervisor named.
pub fn view_of(store: &Store, record: &DayEnd, offset: UtcOffset) -> Result<DayView, StoreError> {
    Ok(DayView {
        kiosk: record.kiosk.clone(),
        day: record.day,
        closed: Some(ClosedBy {
            record: record.id,
            supervisor: record.closed_by,
            username: username(store, record.closed_by)?,
            at: record.closed_at.to_offset(offset),
        }),
        report: record.report.clone(),
    })
}

fn username(store: &Store, id: RecordId) -> Result<String, StoreError> {
    Ok(store.get::<Clerk>(id)?.map_or_else(|| id.to_string(), |c| c.username))
}

/// Closes this counter's day `day` as `supervisor` (whose identity the caller has checked: the
/// password on the command line, the signed-in session on screen) at `now`, in the office's
/// zone. The figures are counted first; whether the day may still be closed is decided again
/// inside the write, so two closes at once (two processes, or the screen and the command) make
/// one record and the other is refused.
pub fn close(
    store: &mut Store,
    supervisor: RecordId,
    day: Date,
    now: OffsetDateTime,
) -> Result<DayEnd, DayEndError> {
    let offset = now.offset();
    let kiosk = store.kiosk_id().to_owned();
    let role = store.get::<Clerk>(supervisor)?.filter(|c| c.active).map(|c| c.role);
    // A clerk disabled since they signed in may not close either.
    let Some(role) = role else {
        return Err(DayEndError::Refused { refusal: CloseRefused::SupervisorOnly, by: None });
    };
    if let Err(refusal) = may_close(&store.list::<DayEnd>()?, &kiosk, day, role, now) {
        return Err(refused(store, refusal));
    }
    let report = count(store, day, offset)?;
    let record = DayEnd {
        id: ulid::Ulid::new(),
        kiosk: kiosk.clone(),
        day,
        closed_by: supervisor,
        closed_at: now,
        report,
    };
    let written = store.write(Some(supervisor), |w| {
        if let Err(refusal) = may_close(&w.list::<DayEnd>()?, &kiosk, day, role, now) {
            return Ok(Err(refusal));
        }
        w.put(&record)?;
        Ok(Ok(()))
    })?;
    match written {
        Ok(()) => {
            tracing::info!(record = %record.id, %day, "counter day closed");
            Ok(record)
        }
        Err(refusal) => Err(refused(store, refusal)),
    }
}

/// The refusal, with whoever closed the day already named as the staff know them.
fn refused(store: &Store, refusal: CloseRefused) -> DayEndError {
    let by = match &refusal {
        CloseRefused::AlreadyClosed { by, .. } => username(store, *by).ok(),
        _ => None,
    };
    DayEndError::Refused { refusal, by }
}

/// The printed report of `view`.
pub fn document(ctx: &Context, view: &DayView) -> Document {
    Document::DayEnd(DayEndSheet {
        office: ctx.config.office.clone(),
        kiosk: view.kiosk.clone(),
        day: view.day,
        closed: view.closed.as_ref().map(|c| (c.username.clone(), c.at)),
        report: view.report.clone(),
    })
}

/// Where the counter's report went.
#[derive(Debug)]
pub enum ReportPrint {
    /// To the office's printer through the spool: printed, at the printer, or waiting.
    Spooled(Box<JobSummary>),
    /// No printer configured: its PDF, in the data directory's `day-end/` folder.
    File(PathBuf),
}

/// Prints the report on the counter's screen's behalf: to the office's printer through the
/// spool, or, with none configured, as a PDF kept in `DATA_DIR/day-end/` (owner-only, as the
/// forms a visit writes without a printer).
pub fn print_report(ctx: &Context, view: &DayView) -> Result<ReportPrint, PrintFailure> {
    let doc = document(ctx, view);
    match &ctx.config.printer {
        Some(printer) => {
            Ok(ReportPrint::Spooled(Box::new(print_cmd::spool_document(ctx, &doc, printer)?.job)))
        }
        None => {
            let pdf = print_cmd::render_pdf(ctx, &doc)?;
            let dir = ctx.data_dir.join("day-end");
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(PrintFailure::DataDir)?;
            let path = dir.join(format!("day-end-{}-{}.pdf", view.kiosk, view.day));
            printers::named_file::write_file(&path, &pdf, printers::named_file::NewFile::OwnerOnly)
                .map_err(|e| PrintFailure::DataDir(std::io::Error::other(e.to_string())))?;
            Ok(ReportPrint::File(path))
        }
    }
}

/// The counter screen's close: the supervisor signed in on it closes `day` (today, or an
/// earlier day left open), and the report is printed. The close stands whatever the printer
/// does; what became of the report comes back beside it.
pub fn close_and_print(
    ctx: &Context,
    store: &mut Store,
    supervisor: RecordId,
    day: Date,
    now: OffsetDateTime,
) -> Result<(DayView, Result<ReportPrint, PrintFailure>), DayEndError> {
    let record = close(store, supervisor, day, now)?;
    let view = view_of(store, &record, now.offset())?;
    let printed = print_report(ctx, &view);
    Ok((view, printed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry::application::{ApplicationAction, Payment};
    use registry::model::*;
    use time::macros::{datetime, offset};

    const NOW: OffsetDateTime = datetime!(2026-11-30 17:30 +8);

    fn store() -> Store {
        let options = store::StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) };
        Store::open_in_memory(options).expect("store")
    }

    fn staff(store: &mut Store, username: &str, role: StaffRole) -> RecordId {
        let clerk = Clerk {
            id: ulid::Ulid::new(),
            username: username.into(),
            display_name: username.into(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            active: true,
            totp_secret: None,
            totp_period: 60,
        };
        store.put(None, &clerk).expect("clerk");
        clerk.id
    }

    /// A renewal taken through its states by `clerk` (the transitions write the audit events
    /// the day-end counts), paid by card.
    fn completed_renewal(store: &mut Store, clerk: RecordId, supervisor: RecordId) -> RecordId {
        let mut app = Application::draft(
            ulid::Ulid::new(),
            Service::Renewal,
            ulid::Ulid::new(),
            HolderKind::Person,
            CertificateClass::Qualified,
            NOW,
        );
        app.certificates = vec![ulid::Ulid::new()];
        app.consent_given = true;
        app.agreement_accepted = true;
        app.documents = app.required_documents();
        app.visit.payment_method = Some(registry::visit::PaymentMethod::Card);
        let fee = Money::new(400, Currency::Mop);
        store.put(Some(clerk), &app).expect("draft");
        store
            .write(Some(clerk), |w| {
                w.transition(app.id, ApplicationAction::Submit { organisation: None }, clerk)?;
                w.transition(app.id, ApplicationAction::PassVetting { fee }, clerk)?;
                let payment = Payment { amount: fee, reference: "C-1".into(), at: NOW };
                w.transition(app.id, ApplicationAction::RecordPayment(payment), clerk)?;
                w.transition(app.id, ApplicationAction::Complete, supervisor)?;
                Ok(())
            })
            .expect("through its states");
        app.id
    }

    #[test]
    fn a_supervisor_closes_the_day_once_with_what_the_counter_did() {
        let mut store = store();
        let clerk = staff(&mut store, "chan.tm", StaffRole::Clerk);
        let supervisor = staff(&mut store, "lei.mf", StaffRole::Supervisor);
        completed_renewal(&mut store, clerk, supervisor);

        let refused = close(&mut store, clerk, NOW.date(), NOW).expect_err("a clerk");
        assert_eq!(refused.message_id(), "day-end-supervisor-only");

        let record = close(&mut store, supervisor, NOW.date(), NOW).expect("closed");
        let renewals = record.report.services.iter().find(|s| s.service == Service::Renewal);
        assert_eq!(renewals.map(|s| s.completed), Some(1));
        assert_eq!(record.report.payments.len(), 1);
        assert_eq!(record.report.payments[0].total, Money::new(400, Currency::Mop));
        assert_eq!(record.kiosk, "K1");

        let again = close(&mut store, supervisor, NOW.date(), NOW).expect_err("closed once");
        assert_eq!(again.message_id(), "day-end-already-closed");
        assert!(again.message_args().contains(&("by", "lei.mf".into())), "{again:?}");
        assert_eq!(store.list::<DayEnd>().expect("list").len(), 1);

        let view = load(&store, NOW.date(), offset!(+8)).expect("view");
        assert_eq!(view.report, record.report);
        assert_eq!(view.closed.map(|c| c.username), Some("lei.mf".into()));
    }

    #[test]
    fn an_open_day_shows_the_figures_so_far_and_keeps_nothing() {
        let mut store = store();
        let clerk = staff(&mut store, "chan.tm", StaffRole::Clerk);
        let supervisor = staff(&mut store, "lei.mf", StaffRole::Supervisor);
        completed_renewal(&mut store, clerk, supervisor);
        let view = load(&store, NOW.date(), offset!(+8)).expect("view");
        assert!(view.closed.is_none());
        assert_eq!(view.report.services_completed(), 1);
        // Another day of this counter: nothing done.
        let other =
            load(&store, NOW.date().previous_day().expect("day"), offset!(+8)).expect("view");
        assert_eq!(other.report.services_completed(), 0);
        assert!(store.list::<DayEnd>().expect("list").is_empty());
    }
}
