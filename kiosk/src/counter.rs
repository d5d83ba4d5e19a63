//! The counter's day: what the queue screen shows (today's appointments, walk-in tickets, the
//! renewal-due list, what waits for a supervisor: approvals and the conflicts replication
//! found), checking an appointment in by its QR pass, and
//! issuing a walk-in ticket.
//!
//! Synchronous, one store per call: the UI runs each call on a worker thread that opens its own
//! [`Store`], and the command line calls the same functions. "Today" is always the office's day
//! (`office_offset`), never the machine's. Errors stay typed, with a Fluent message id and its
//! arguments, so the screen can show them in whatever language is on it.
//!
//! Cost: appointments come from the store's slot index and renewals from its expiry index. Walk-in
//! tickets and applications have no index yet, so the day's tickets and the applications awaiting
//! approval are found by reading every record of their kind: fine for an office's tickets and open
//! applications, and the first thing to index (a migration like `appointment_index`) when a
//! store's history grows into the hundreds of thousands.

use card_readers::qr::{AppointmentPass, PassError};
use printers::document::QueueTicket;
use registry::application::{Application, ApplicationState};
use registry::audit::{AuditAction, AuditEvent};
use registry::model::{
    Appointment, AppointmentStatus, Certificate, CertificateClass, CertificateStatus, Clerk,
    IdDocumentKind, Organisation, Person, RecordId, RecordKind, Service, TicketStatus, Token,
    WalkInTicket,
};
use registry::renewal::RENEWAL_WINDOW_DAYS;
use store::{Store, StoreError, Writer};
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

use crate::Context;
use crate::print_cmd::{self, PrintFailure, Spooled};
use crate::sync::conflicts::{Conflict, ConflictKind};

/// Every message id this module's errors and outcomes use (a test checks each is translated).
pub const MESSAGE_IDS: &[&str] = &[
    "counter-checkin-unknown",
    "counter-checkin-already",
    "counter-checkin-served",
    "counter-checkin-cancelled",
    "counter-checkin-mismatch",
    "error-store",
];

/// What the queue screen shows for the office's day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayQueue {
    /// The office's date.
    pub date: Date,
    /// Today's appointments, earliest slot first, slots in the office's offset.
    pub appointments: Vec<Appointment>,
    /// Today's walk-in tickets in the order they were issued.
    pub walk_ins: Vec<WalkInTicket>,
    /// Certificates due for renewal (the registry's rule), soonest expiry first.
    pub renewals: Vec<RenewalDue>,
    /// Applications waiting for a supervisor, oldest first. The screen shows them to supervisors.
    pub awaiting_approval: Vec<AwaitingApproval>,
    /// Records that cannot both be right, found when a sync's events merged (`conflicts_in`),
    /// oldest found first. The screen shows them to supervisors.
    pub conflicts: Vec<ConflictRow>,
}

/// A conflict as the supervisors' queue shows it: what the two records share, and each of them.
#[derive(Clone, PartialEq)]
pub struct ConflictRow {
    pub kind: ConflictKind,
    /// For two persons, their document's kind.
    pub document: Option<IdDocumentKind>,
    /// The ID number masked but its last 4 characters, or the token's serial.
    pub shared: String,
    pub sides: [ConflictSide; 2],
}

/// One of the two records of a conflict. `Debug` shows the record id (names are personal data).
#[derive(Clone, PartialEq)]
pub struct ConflictSide {
    /// The person, or the token record.
    pub record: RecordId,
    /// The person's names, or the token holder's; `None` when the store has none.
    pub name: Option<String>,
    /// What Enter opens: the person's file, or the file of the token's holder.
    pub opens: Option<(RecordKind, RecordId)>,
}

impl std::fmt::Debug for ConflictSide {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConflictSide")
            .field("record", &self.record)
            .field("opens", &self.opens)
            .finish_non_exhaustive()
    }
}

/// Names and numbers are personal data: `Debug` shows the kind and the record ids.
impl std::fmt::Debug for ConflictRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConflictRow")
            .field("kind", &self.kind)
            .field("records", &[self.sides[0].record, self.sides[1].record])
            .finish_non_exhaustive()
    }
}

/// A certificate in the renewal-due list.
#[derive(Debug, Clone, PartialEq)]
pub struct RenewalDue {
    pub certificate: RecordId,
    pub serial: Option<String>,
    pub class: CertificateClass,
    /// The holder's name as on file (organisation, or person); the subject's CN without either.
    pub holder_name: String,
    pub holder_person: Option<RecordId>,
    pub holder_organisation: Option<RecordId>,
    pub not_after: Option<OffsetDateTime>,
    /// Calendar days from today to the expiry, in the office's zone (0: expires today).
    pub days_left: i64,
}

/// An application that waits for a supervisor's approval.
#[derive(Debug, Clone, PartialEq)]
pub struct AwaitingApproval {
    pub application: RecordId,
    pub reference: String,
    pub service: Service,
    /// The organisation's name for an organisation's application, else the applicant's.
    pub subscriber_name: String,
    pub applicant: RecordId,
    pub organisation: Option<RecordId>,
    /// The clerk who submitted it (a supervisor other than them must approve).
    pub submitted_by: Option<RecordId>,
    /// That clerk's display name, when the clerk is on file.
    pub submitted_by_name: Option<String>,
    pub created_at: OffsetDateTime,
}

/// Start and end (exclusive) of the office's day that holds `now`.
pub fn office_day(
    now: OffsetDateTime,
    office_offset: UtcOffset,
) -> (OffsetDateTime, OffsetDateTime) {
    let start = now.to_offset(office_offset).replace_time(Time::MIDNIGHT);
    (start, start + Duration::DAY)
}

/// Everything the queue screen shows for the office's day that holds `now`.
pub fn load_day(
    store: &Store,
    now: OffsetDateTime,
    office_offset: UtcOffset,
) -> Result<DayQueue, StoreError> {
    let local = now.to_offset(office_offset);
    let (start, end) = office_day(now, office_offset);
    let appointments = store
        .appointments_between(start, end)?
        .into_iter()
        .map(|a| Appointment { slot: a.slot.to_offset(office_offset), ..a })
        .collect();
    let walk_ins = tickets_of_day(store.list::<WalkInTicket>()?, start, end, office_offset);
    let mut renewals = Vec::new();
    for cert in store.renewals_due(local, RENEWAL_WINDOW_DAYS)? {
        // Renewed at a counter already: the old certificate stays valid until it expires, so
        // the expiry index still finds it, but there is nothing left to renew.
        if successor_in_force(store, &cert)?.is_none() {
            renewals.push(renewal_row(store, cert, local)?);
        }
    }
    let mut awaiting_approval = Vec::new();
    for application in store.list::<Application>()? {
        if application.progress.state == ApplicationState::AwaitingApproval {
            awaiting_approval.push(approval_row(store, application)?);
        }
    }
    awaiting_approval.sort_by_key(|a| (a.created_at, a.application));
    Ok(DayQueue {
        date: local.date(),
        appointments,
        walk_ins,
        renewals,
        awaiting_approval,
        conflicts: Vec::new(),
    })
}

/// The conflicts kept in the data directory's `sync.sqlite` that still stand, as rows. None
/// when this kiosk never synced (no file; it is not made here). A failure to read them is
/// logged and shows none: the queue is the counter's work and must still load (the next load,
/// and `kiosk sync --status`, try again).
pub fn conflicts_in(store: &Store, data_dir: &std::path::Path) -> Vec<ConflictRow> {
    if !data_dir.join(crate::sync::FILE_NAME).exists() {
        return Vec::new();
    }
    let rows = crate::sync::LocalReplica::open_in(data_dir, UtcOffset::UTC)
        .and_then(|local| local.conflicts(store))
        .and_then(|found| conflict_rows(store, &found).map_err(crate::sync::SyncError::from));
    rows.unwrap_or_else(|e| {
        tracing::error!(category = e.category(), "the conflicts could not be read");
        Vec::new()
    })
}

/// Each conflict with what its records show: the number (masked) or serial, and the names.
pub fn conflict_rows(
    store: &Store,
    conflicts: &[Conflict],
) -> Result<Vec<ConflictRow>, StoreError> {
    let mut rows = Vec::with_capacity(conflicts.len());
    for conflict in conflicts {
        let row = match conflict.kind {
            ConflictKind::IdNumber => {
                let (Some(a), Some(b)) =
                    (store.get::<Person>(conflict.first)?, store.get::<Person>(conflict.second)?)
                else {
                    continue;
                };
                let side = |p: &Person| ConflictSide {
                    record: p.id,
                    name: both_names(p.name_zh.as_deref(), p.name_latin.as_deref(), " "),
                    opens: Some((RecordKind::Person, p.id)),
                };
                let number = a
                    .id_document
                    .normalised_number()
                    .unwrap_or_else(|_| a.id_document.number.expose().to_owned());
                ConflictRow {
                    kind: conflict.kind,
                    document: Some(a.id_document.kind),
                    shared: crate::ui::widgets::mask_tail(&number, 4),
                    sides: [side(&a), side(&b)],
                }
            }
            ConflictKind::TokenSerial => {
                let (Some(a), Some(b)) =
                    (store.get::<Token>(conflict.first)?, store.get::<Token>(conflict.second)?)
                else {
                    continue;
                };
                ConflictRow {
                    kind: conflict.kind,
                    document: None,
                    shared: a.serial.clone(),
                    sides: [token_side(store, &a)?, token_side(store, &b)?],
                }
            }
        };
        rows.push(row);
    }
    Ok(rows)
}

fn token_side(store: &Store, token: &Token) -> Result<ConflictSide, StoreError> {
    let (name, opens) = match (token.holder_organisation, token.holder_person) {
        (Some(org), _) => (organisation_name(store, org)?, Some((RecordKind::Organisation, org))),
        (None, Some(person)) => (person_name(store, person)?, Some((RecordKind::Person, person))),
        (None, None) => (None, None),
    };
    Ok(ConflictSide { record: token.id, name, opens })
}

/// The tickets issued in `[start, end)`, in issue order, times in the office's offset.
fn tickets_of_day(
    tickets: Vec<WalkInTicket>,
    start: OffsetDateTime,
    end: OffsetDateTime,
    office_offset: UtcOffset,
) -> Vec<WalkInTicket> {
    let mut today: Vec<WalkInTicket> = tickets
        .into_iter()
        .filter(|t| t.issued_at >= start && t.issued_at < end)
        .map(|t| WalkInTicket { issued_at: t.issued_at.to_offset(office_offset), ..t })
        .collect();
    today.sort_by(|a, b| {
        (a.issued_at, ticket_sequence(&a.number), a.id).cmp(&(
            b.issued_at,
            ticket_sequence(&b.number),
            b.id,
        ))
    });
    today
}

/// A name as the counter shows it: Chinese and Latin when both are on file.
/// A subscriber's Chinese and Latin names, whichever there are, joined by `gap`; `None` when
/// there is neither.
pub fn both_names(zh: Option<&str>, latin: Option<&str>, gap: &str) -> Option<String> {
    let names: Vec<&str> =
        [zh, latin].into_iter().flatten().map(str::trim).filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| names.join(gap))
}

fn person_name(store: &Store, id: RecordId) -> Result<Option<String>, StoreError> {
    Ok(store
        .get::<Person>(id)?
        .and_then(|p| both_names(p.name_zh.as_deref(), p.name_latin.as_deref(), " ")))
}

fn organisation_name(store: &Store, id: RecordId) -> Result<Option<String>, StoreError> {
    Ok(store
        .get::<Organisation>(id)?
        .and_then(|o| both_names(o.name_zh.as_deref(), o.name_latin.as_deref(), " ")))
}

/// The certificate in force that renewed, changed or replaced `old` (its issuance names `old`
/// as the previous one), found among its holder's certificates through the links index. One on
/// hold (an issuance not finished) or revoked is no successor: `old` is still the one to renew.
pub fn successor_in_force(
    store: &Store,
    old: &Certificate,
) -> Result<Option<Certificate>, StoreError> {
    let (holder, field) = match (old.holder_person, old.holder_organisation) {
        (Some(person), _) => (person, "holder_person"),
        (None, Some(org)) => (org, "holder_organisation"),
        (None, None) => return Ok(None),
    };
    for link in store.linked_from(holder, RecordKind::Certificate)? {
        if link.field != field || link.from_id == old.id {
            continue;
        }
        if let Some(cert) = store.get::<Certificate>(link.from_id)?
            && cert.status == CertificateStatus::Valid
            && cert.issuance.as_ref().is_some_and(|i| i.previous == Some(old.id))
        {
            return Ok(Some(cert));
        }
    }
    Ok(None)
}

fn renewal_row(
    store: &Store,
    cert: Certificate,
    local: OffsetDateTime,
) -> Result<RenewalDue, StoreError> {
    let holder_name = match (cert.holder_organisation, cert.holder_person) {
        (Some(org), _) => organisation_name(store, org)?,
        (None, Some(person)) => person_name(store, person)?,
        (None, None) => None,
    };
    Ok(RenewalDue {
        certificate: cert.id,
        serial: cert.serial.clone(),
        class: cert.class,
        holder_name: holder_name.unwrap_or_else(|| cert.subject.cn.clone()),
        holder_person: cert.holder_person,
        holder_organisation: cert.holder_organisation,
        not_after: cert.not_after,
        // Due certificates always have an expiry; the rule counted it this way.
        days_left: cert.days_left(local).unwrap_or_default(),
    })
}

fn approval_row(store: &Store, app: Application) -> Result<AwaitingApproval, StoreError> {
    let subscriber = match app.organisation {
        Some(org) => organisation_name(store, org)?,
        None => None,
    };
    let subscriber = match subscriber {
        Some(name) => Some(name),
        None => person_name(store, app.applicant)?,
    };
    let submitted_by_name = match app.progress.submitted_by {
        Some(clerk) => store.get::<Clerk>(clerk)?.map(|c| c.display_name),
        None => None,
    };
    Ok(AwaitingApproval {
        application: app.id,
        reference: app.reference,
        service: app.service,
        subscriber_name: subscriber.unwrap_or_default(),
        applicant: app.applicant,
        organisation: app.organisation,
        submitted_by: app.progress.submitted_by,
        submitted_by_name,
        created_at: app.created_at,
    })
}

/// Why an appointment pass did not check anyone in.
#[derive(Debug, thiserror::Error)]
pub enum CheckInRefusal {
    /// Not a pass, damaged, or its security code does not match (forged or altered).
    #[error(transparent)]
    Pass(#[from] PassError),
    /// A genuine pass for another day; `slot` is in the office's offset.
    #[error("the pass is for {slot}, not today")]
    NotToday { slot: OffsetDateTime },
    /// A genuine pass for an appointment this store does not hold (not yet synchronised, or
    /// from another office that shares the key).
    #[error("the appointment of this pass is not in the store")]
    UnknownAppointment { appointment: RecordId },
    #[error("the appointment is already checked in")]
    AlreadyCheckedIn { appointment: Box<Appointment> },
    #[error("the appointment was already served")]
    Served { appointment: Box<Appointment> },
    #[error("the appointment was cancelled")]
    Cancelled { appointment: Box<Appointment> },
    /// The pass's reference or slot is not the appointment's: it was moved, or rebooked, after
    /// the pass was sent.
    #[error("the pass does not match the appointment on file (moved or rebooked)")]
    Mismatch { appointment: Box<Appointment> },
    #[error("the store failed: {0}")]
    Store(#[from] StoreError),
}

/// `YYYY-MM-DD HH:MM` in the office's zone: how the counter shows a slot.
pub fn format_slot(slot: OffsetDateTime, office_offset: UtcOffset) -> String {
    let slot = slot.checked_to_offset(office_offset).unwrap_or(slot);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        slot.year(),
        u8::from(slot.month()),
        slot.day(),
        slot.hour(),
        slot.minute()
    )
}

impl CheckInRefusal {
    pub fn message_id(&self) -> &'static str {
        match self {
            CheckInRefusal::Pass(e) => e.message_id(),
            CheckInRefusal::NotToday { .. } => card_readers::qr::PASS_NOT_TODAY_MESSAGE_ID,
            CheckInRefusal::UnknownAppointment { .. } => "counter-checkin-unknown",
            CheckInRefusal::AlreadyCheckedIn { .. } => "counter-checkin-already",
            CheckInRefusal::Served { .. } => "counter-checkin-served",
            CheckInRefusal::Cancelled { .. } => "counter-checkin-cancelled",
            CheckInRefusal::Mismatch { .. } => "counter-checkin-mismatch",
            CheckInRefusal::Store(_) => "error-store",
        }
    }

    /// The arguments of [`CheckInRefusal::message_id`]'s message. Slots are already in the
    /// office's zone; the reference is the booking's, which the person holds anyway.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        let offset = |slot: OffsetDateTime| slot.offset();
        match self {
            CheckInRefusal::Pass(e) => e.message_args(),
            CheckInRefusal::NotToday { slot } => vec![("slot", format_slot(*slot, offset(*slot)))],
            CheckInRefusal::UnknownAppointment { .. } => Vec::new(),
            CheckInRefusal::AlreadyCheckedIn { appointment }
            | CheckInRefusal::Served { appointment }
            | CheckInRefusal::Cancelled { appointment }
            | CheckInRefusal::Mismatch { appointment } => vec![
                ("reference", appointment.reference.clone()),
                ("slot", format_slot(appointment.slot, offset(appointment.slot))),
            ],
            CheckInRefusal::Store(e) => vec![("detail", e.to_string())],
        }
    }
}

/// The pass payload of `appointment` (what the booking system puts in the QR code it sends),
/// signed with the office's pass `key`, its slot written in the office's offset.
pub fn pass_payload(appointment: &Appointment, key: &[u8], office_offset: UtcOffset) -> String {
    let pass = AppointmentPass::from(appointment);
    let slot = pass.slot.checked_to_offset(office_offset).unwrap_or(pass.slot);
    AppointmentPass { slot, ..pass }.encode(key)
}

/// Checks an appointment in by the QR pass `payload` (as a scanner typed it or the camera read
/// it), signed with the office's pass `key`. Refuses a pass that is not genuine, one for another
/// day, one whose appointment is not on file, was moved or rebooked since (reference or slot
/// differ), or is already checked in, served or cancelled; a no-show who arrives late is checked
/// in. The check and the change are made in one write transaction, with an audit event, so two
/// counters scanning one pass at once check it in once.
pub fn check_in_by_pass(
    store: &mut Store,
    key: &[u8],
    payload: &str,
    now: OffsetDateTime,
    office_offset: UtcOffset,
    clerk: Option<RecordId>,
) -> Result<Appointment, CheckInRefusal> {
    let pass = AppointmentPass::parse(payload, key)?;
    let today = now.to_offset(office_offset).date();
    if !pass.is_for_day(today, office_offset) {
        let slot = pass.slot.checked_to_offset(office_offset).unwrap_or(pass.slot);
        return Err(CheckInRefusal::NotToday { slot });
    }
    let kiosk = store.kiosk_id().to_owned();
    let checked_in = store.write(clerk, |w| {
        let Some(stored) = w.get::<Appointment>(pass.appointment)? else {
            return Ok(Err(CheckInRefusal::UnknownAppointment { appointment: pass.appointment }));
        };
        let shown = Appointment { slot: stored.slot.to_offset(office_offset), ..stored.clone() };
        // The pass carries the slot to the second.
        let same_slot = stored.slot.unix_timestamp() == pass.slot.unix_timestamp();
        if stored.reference != pass.reference || !same_slot {
            return Ok(Err(CheckInRefusal::Mismatch { appointment: Box::new(shown) }));
        }
        match stored.status {
            AppointmentStatus::Booked | AppointmentStatus::NoShow => {}
            AppointmentStatus::CheckedIn => {
                return Ok(Err(CheckInRefusal::AlreadyCheckedIn { appointment: Box::new(shown) }));
            }
            AppointmentStatus::Served => {
                return Ok(Err(CheckInRefusal::Served { appointment: Box::new(shown) }));
            }
            AppointmentStatus::Cancelled => {
                return Ok(Err(CheckInRefusal::Cancelled { appointment: Box::new(shown) }));
            }
        }
        let after = Appointment { status: AppointmentStatus::CheckedIn, ..stored.clone() };
        w.edit(&stored, &after)?;
        audit(
            w,
            now,
            &kiosk,
            clerk,
            AuditAction::AppointmentCheckedIn,
            RecordKind::Appointment,
            after.id,
        )?;
        Ok(Ok(Appointment { slot: after.slot.to_offset(office_offset), ..after }))
    })?;
    if checked_in.is_ok() {
        tracing::info!(appointment = %pass.appointment, "appointment checked in");
    }
    checked_in
}

fn audit(
    w: &mut Writer<'_>,
    now: OffsetDateTime,
    kiosk: &str,
    clerk: Option<RecordId>,
    action: AuditAction,
    kind: RecordKind,
    subject: RecordId,
) -> Result<(), StoreError> {
    w.put(&AuditEvent {
        id: ulid::Ulid::new(),
        at: now,
        kiosk: kiosk.to_owned(),
        clerk,
        action,
        subject_kind: Some(kind),
        subject: Some(subject),
    })
    .map(drop)
}

/// The sequence in a ticket number (`W007` → 7; `W-007` too); `None` for any other number.
fn ticket_sequence(number: &str) -> Option<u32> {
    let digits = number.strip_prefix('W')?;
    let digits = digits.strip_prefix('-').unwrap_or(digits);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Issues the next walk-in ticket of the office's day (`W001`, `W002`, …; the numbering starts
/// again each day), with an audit event. The number is chosen inside the write transaction, from
/// the tickets the store holds for the day, so processes sharing this kiosk's store (the screen
/// and a command) never issue one number twice.
pub fn issue_walk_in(
    store: &mut Store,
    service: Service,
    now: OffsetDateTime,
    office_offset: UtcOffset,
    clerk: Option<RecordId>,
) -> Result<WalkInTicket, StoreError> {
    let (start, end) = office_day(now, office_offset);
    let kiosk = store.kiosk_id().to_owned();
    let ticket = store.write(clerk, |w| {
        let today = tickets_of_day(w.list::<WalkInTicket>()?, start, end, office_offset);
        let last = today.iter().filter_map(|t| ticket_sequence(&t.number)).max().unwrap_or(0);
        let ticket = WalkInTicket {
            id: ulid::Ulid::new(),
            number: format!("W{:03}", last.saturating_add(1)),
            service,
            issued_at: now.to_offset(office_offset),
            status: TicketStatus::Waiting,
        };
        w.put(&ticket)?;
        audit(
            w,
            now,
            &kiosk,
            clerk,
            AuditAction::WalkInTicketIssued,
            RecordKind::WalkInTicket,
            ticket.id,
        )?;
        Ok(ticket)
    })?;
    tracing::info!(ticket = %ticket.id, "walk-in ticket issued");
    Ok(ticket)
}

/// The printed queue ticket for `ticket`: the people ahead of it are the tickets of its day
/// still waiting that were issued before it.
pub fn queue_ticket(
    store: &Store,
    ticket: &WalkInTicket,
    office: &str,
    office_offset: UtcOffset,
) -> Result<QueueTicket, StoreError> {
    let (start, end) = office_day(ticket.issued_at, office_offset);
    let today = tickets_of_day(store.list::<WalkInTicket>()?, start, end, office_offset);
    let ahead = today
        .iter()
        .take_while(|t| t.id != ticket.id)
        .filter(|t| t.status == TicketStatus::Waiting)
        .count();
    Ok(QueueTicket {
        number: ticket.number.clone(),
        service: ticket.service,
        office: office.to_owned(),
        issued_at: ticket.issued_at.to_offset(office_offset),
        waiting: u32::try_from(ahead).unwrap_or(u32::MAX),
    })
}

/// What became of a printed ticket.
#[derive(Debug)]
pub enum TicketPrint {
    /// Handed to the print spool for the office's printer (printed, at the printer, or waiting
    /// there with the reason: see the job).
    Spooled(Box<Spooled>),
    /// The office has no printer configured: show the ticket on screen.
    NoPrinter,
}

/// Prints `ticket` on the office's printer (`printer` in `kiosk.toml`) through the print spool,
/// as the `kiosk print` commands do. Talks to the printer: run it off the UI's thread.
pub fn print_ticket(ctx: &Context, ticket: &QueueTicket) -> Result<TicketPrint, PrintFailure> {
    let Some(printer) = ctx.config.printer.as_deref() else {
        return Ok(TicketPrint::NoPrinter);
    };
    let doc = printers::document::Document::QueueTicket(ticket.clone());
    Ok(TicketPrint::Spooled(Box::new(print_cmd::spool_document(ctx, &doc, printer)?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry::model::{CertificateStatus, HolderKind, IdDocument, IdDocumentKind, SubjectDn};
    use time::macros::{datetime, offset};

    const KEY: [u8; 32] = [7; 32];
    const MACAU: UtcOffset = offset!(+8);

    fn store() -> Store {
        store::Store::open_in_memory(store::StoreOptions {
            kiosk_id: Some("TEST_01".into()),
            ..Default::default()
        })
        .expect("store")
    }

    fn appointment(slot: OffsetDateTime, status: AppointmentStatus) -> Appointment {
        Appointment {
            id: ulid::Ulid::new(),
            reference: "B333|001%".into(),
            person: None,
            organisation: None,
            booked_name: "陳大文".into(),
            service: Service::Renewal,
            slot,
            status,
        }
    }

    fn booked(store: &mut Store, slot: OffsetDateTime) -> Appointment {
        let a = appointment(slot, AppointmentStatus::Booked);
        store.put(None, &a).expect("put");
        a
    }

    fn audit_actions(store: &Store) -> Vec<(AuditAction, Option<RecordId>)> {
        store
            .list::<AuditEvent>()
            .expect("audit")
            .into_iter()
            .map(|e| (e.action, e.subject))
            .collect()
    }

    /// 10:00 in Macau on 2026-11-29.
    const NOW: OffsetDateTime = datetime!(2026-11-29 02:00 UTC);

    #[test]
    fn a_genuine_pass_for_today_checks_the_appointment_in_once() {
        let mut store = store();
        let a = booked(&mut store, datetime!(2026-11-29 09:30 +8));
        let pass = AppointmentPass::from(&a).encode(&KEY);
        let clerk = Some(ulid::Ulid::new());
        let done = check_in_by_pass(&mut store, &KEY, &format!("{pass}\r\n"), NOW, MACAU, clerk)
            .expect("checked in");
        assert_eq!(done.status, AppointmentStatus::CheckedIn);
        assert_eq!(done.slot.offset(), MACAU);
        let stored: Appointment = store.get(a.id).expect("get").expect("there");
        assert_eq!(stored.status, AppointmentStatus::CheckedIn);
        assert_eq!(audit_actions(&store), vec![(AuditAction::AppointmentCheckedIn, Some(a.id))]);
        let events = store.events_of(RecordKind::Appointment, a.id).expect("events");
        assert_eq!(events.last().and_then(|e| e.clerk), clerk);
        // The same pass again is refused, and nothing more is written.
        let again = check_in_by_pass(&mut store, &KEY, &pass, NOW, MACAU, clerk);
        assert!(matches!(again, Err(CheckInRefusal::AlreadyCheckedIn { .. })), "{again:?}");
        assert_eq!(
            again.as_ref().map_err(|e| e.message_id()).err(),
            Some("counter-checkin-already")
        );
        assert_eq!(audit_actions(&store).len(), 1);
    }

    #[test]
    fn a_no_show_arriving_late_is_checked_in() {
        let mut store = store();
        let a = appointment(datetime!(2026-11-29 09:00 +8), AppointmentStatus::NoShow);
        store.put(None, &a).expect("put");
        let pass = AppointmentPass::from(&a).encode(&KEY);
        assert!(check_in_by_pass(&mut store, &KEY, &pass, NOW, MACAU, None).is_ok());
    }

    #[test]
    fn forged_and_altered_passes_are_refused_with_the_reason() {
        let mut store = store();
        let a = booked(&mut store, datetime!(2026-11-29 09:30 +8));
        // Signed with another office's key.
        let forged = AppointmentPass::from(&a).encode(&[9; 32]);
        let refused = check_in_by_pass(&mut store, &KEY, &forged, NOW, MACAU, None);
        assert!(matches!(refused, Err(CheckInRefusal::Pass(PassError::Forged))), "{refused:?}");
        assert_eq!(refused.err().map(|e| e.message_id()), Some("qr-pass-forged"));
        // The reference changed in a genuine pass.
        let genuine = AppointmentPass::from(&a).encode(&KEY);
        let altered = genuine.replacen("B333", "B334", 1);
        assert_ne!(altered, genuine);
        let refused = check_in_by_pass(&mut store, &KEY, &altered, NOW, MACAU, None);
        assert!(matches!(refused, Err(CheckInRefusal::Pass(PassError::Forged))), "{refused:?}");
        // Not a pass at all.
        let refused = check_in_by_pass(&mut store, &KEY, "hello", NOW, MACAU, None);
        assert!(matches!(refused, Err(CheckInRefusal::Pass(PassError::NotAPass))));
        let stored: Appointment = store.get(a.id).expect("get").expect("there");
        assert_eq!(stored.status, AppointmentStatus::Booked);
        assert!(audit_actions(&store).is_empty());
    }

    #[test]
    fn a_pass_for_another_day_is_refused_with_its_slot_in_the_office_zone() {
        let mut store = store();
        let a = booked(&mut store, datetime!(2026-11-30 09:30 +8));
        let pass = AppointmentPass::from(&a).encode(&KEY);
        let refused = check_in_by_pass(&mut store, &KEY, &pass, NOW, MACAU, None);
        let Err(refusal) = refused else { panic!("checked in a pass for tomorrow") };
        assert!(matches!(refusal, CheckInRefusal::NotToday { .. }));
        assert_eq!(refusal.message_id(), "qr-pass-not-today");
        assert_eq!(refusal.message_args(), vec![("slot", "2026-11-30 09:30".to_owned())]);
    }

    #[test]
    fn an_appointment_not_in_the_store_is_refused() {
        let mut store = store();
        let a = appointment(datetime!(2026-11-29 09:30 +8), AppointmentStatus::Booked);
        let pass = AppointmentPass::from(&a).encode(&KEY);
        let refused = check_in_by_pass(&mut store, &KEY, &pass, NOW, MACAU, None);
        assert!(
            matches!(refused, Err(CheckInRefusal::UnknownAppointment { appointment }) if appointment == a.id)
        );
        assert_eq!(store.stats().expect("stats").records, 0);
    }

    #[test]
    fn a_pass_for_a_moved_or_rebooked_appointment_is_refused() {
        let mut store = store();
        let a = booked(&mut store, datetime!(2026-11-29 09:30 +8));
        // Moved an hour later after the pass was sent.
        let old = AppointmentPass::from(&a).encode(&KEY);
        let moved = Appointment { slot: datetime!(2026-11-29 10:30 +8), ..a.clone() };
        store.put(None, &moved).expect("move");
        let refused = check_in_by_pass(&mut store, &KEY, &old, NOW, MACAU, None);
        assert!(matches!(refused, Err(CheckInRefusal::Mismatch { .. })), "{refused:?}");
        // A genuine pass naming this appointment with another reference.
        let other =
            AppointmentPass { reference: "B333-002".into(), ..AppointmentPass::from(&moved) };
        let refused = check_in_by_pass(&mut store, &KEY, &other.encode(&KEY), NOW, MACAU, None);
        assert!(matches!(refused, Err(CheckInRefusal::Mismatch { .. })), "{refused:?}");
        // The pass that matches still works.
        let current = AppointmentPass::from(&moved).encode(&KEY);
        assert!(check_in_by_pass(&mut store, &KEY, &current, NOW, MACAU, None).is_ok());
    }

    #[test]
    fn served_and_cancelled_appointments_are_refused() {
        let mut store = store();
        for (status, id) in [
            (AppointmentStatus::Served, "counter-checkin-served"),
            (AppointmentStatus::Cancelled, "counter-checkin-cancelled"),
        ] {
            let a = appointment(datetime!(2026-11-29 11:00 +8), status);
            store.put(None, &a).expect("put");
            let pass = AppointmentPass::from(&a).encode(&KEY);
            let refused = check_in_by_pass(&mut store, &KEY, &pass, NOW, MACAU, None);
            assert_eq!(refused.err().map(|e| e.message_id()), Some(id));
        }
    }

    #[test]
    fn today_is_the_office_day_not_the_utc_one() {
        let mut store = store();
        // 23:30 in Macau on the 29th is 15:30 UTC the same day; 00:30 on the 30th is the 29th in
        // UTC but tomorrow at the office.
        let late = booked(&mut store, datetime!(2026-11-29 23:30 +8));
        let tomorrow = booked(&mut store, datetime!(2026-11-30 00:30 +8));
        // The day before, a minute before midnight: not today.
        booked(&mut store, datetime!(2026-11-28 23:59 +8));
        let first = booked(&mut store, datetime!(2026-11-29 00:00 +8));
        // 23:50 Macau on the 29th: 15:50 UTC.
        let now = datetime!(2026-11-29 15:50 UTC);
        let day = load_day(&store, now, MACAU).expect("day");
        assert_eq!(day.date, time::macros::date!(2026 - 11 - 29));
        let ids: Vec<RecordId> = day.appointments.iter().map(|a| a.id).collect();
        assert_eq!(ids, vec![first.id, late.id]);
        assert!(day.appointments.iter().all(|a| a.slot.offset() == MACAU));
        // The 00:30 pass is refused now (tomorrow at the office) and accepted ten minutes later.
        let pass = AppointmentPass::from(&tomorrow).encode(&KEY);
        let refused = check_in_by_pass(&mut store, &KEY, &pass, now, MACAU, None);
        assert!(matches!(refused, Err(CheckInRefusal::NotToday { .. })));
        let after_midnight = now + Duration::minutes(10);
        assert!(check_in_by_pass(&mut store, &KEY, &pass, after_midnight, MACAU, None).is_ok());
        // A pass whose slot is written in UTC is still the office's 23:30.
        let utc_pass = AppointmentPass {
            slot: late.slot.to_offset(UtcOffset::UTC),
            ..AppointmentPass::from(&late)
        };
        assert!(
            check_in_by_pass(&mut store, &KEY, &utc_pass.encode(&KEY), now, MACAU, None).is_ok()
        );
    }

    #[test]
    fn walk_in_numbers_count_up_and_start_again_each_office_day() {
        let mut store = store();
        let clerk = Some(ulid::Ulid::new());
        let issue = |store: &mut Store, now| {
            issue_walk_in(store, Service::NewIssuance, now, MACAU, clerk).expect("ticket").number
        };
        let morning = datetime!(2026-11-29 01:00 UTC); // 09:00 Macau
        assert_eq!(issue(&mut store, morning), "W001");
        assert_eq!(issue(&mut store, morning + Duration::minutes(1)), "W002");
        // 23:59 Macau, still the 29th.
        assert_eq!(issue(&mut store, datetime!(2026-11-29 15:59 UTC)), "W003");
        // 00:01 Macau on the 30th is still the 29th in UTC: a new office day.
        assert_eq!(issue(&mut store, datetime!(2026-11-29 16:01 UTC)), "W001");
        assert_eq!(issue(&mut store, datetime!(2026-11-30 02:00 UTC)), "W002");
        let day = load_day(&store, datetime!(2026-11-30 03:00 UTC), MACAU).expect("day");
        let numbers: Vec<&str> = day.walk_ins.iter().map(|t| t.number.as_str()).collect();
        assert_eq!(numbers, ["W001", "W002"]);
        let audits = audit_actions(&store);
        assert_eq!(audits.len(), 5);
        assert!(audits.iter().all(|(a, _)| *a == AuditAction::WalkInTicketIssued));
    }

    #[test]
    fn numbering_continues_after_tickets_already_on_file() {
        let mut store = store();
        // As `demo init` writes them, and one replicated from elsewhere with another spelling.
        for (number, minutes) in [("W001", 0), ("W-007", 5), ("VIP", 6)] {
            let t = WalkInTicket {
                id: ulid::Ulid::new(),
                number: number.into(),
                service: Service::Renewal,
                issued_at: NOW + Duration::minutes(minutes),
                status: TicketStatus::Waiting,
            };
            store.put(None, &t).expect("put");
        }
        let t = issue_walk_in(&mut store, Service::Change, NOW + Duration::hours(1), MACAU, None)
            .expect("ticket");
        assert_eq!(t.number, "W008");
        // Three waiting before it.
        let doc = queue_ticket(&store, &t, "Office", MACAU).expect("doc");
        assert_eq!(doc.waiting, 3);
        assert_eq!(doc.number, "W008");
        assert_eq!(doc.issued_at.offset(), MACAU);
    }

    #[test]
    fn people_ahead_are_the_waiting_tickets_before_it() {
        let mut store = store();
        let mut tickets = Vec::new();
        for i in 0..4 {
            tickets.push(
                issue_walk_in(
                    &mut store,
                    Service::PinUnlock,
                    NOW + Duration::minutes(i),
                    MACAU,
                    None,
                )
                .expect("ticket"),
            );
        }
        let served = WalkInTicket { status: TicketStatus::Served, ..tickets[0].clone() };
        store.put(None, &served).expect("serve");
        let third = queue_ticket(&store, &tickets[2], "Office", MACAU).expect("doc");
        assert_eq!(third.waiting, 1, "the first was served, the second waits");
        let first = queue_ticket(&store, &tickets[0], "Office", MACAU).expect("doc");
        assert_eq!(first.waiting, 0);
    }

    fn person(store: &mut Store, zh: &str, latin: &str) -> RecordId {
        let p = Person {
            id: ulid::Ulid::new(),
            name_zh: Some(zh.into()),
            name_latin: Some(latin.into()),
            id_document: IdDocument {
                kind: IdDocumentKind::MacauResident,
                number: registry::model::Sensitive::new("1234567(8)"),
                issuing_state: None,
                expiry: None,
            },
            nationality: None,
            birth_date: None,
            sex: None,
            phone: None,
            email: None,
            photo: None,
        };
        store.put(None, &p).expect("person");
        p.id
    }

    #[test]
    fn the_day_lists_renewals_due_with_holder_and_days_left_and_what_awaits_approval() {
        let mut store = store();
        let holder = person(&mut store, "陳大文", "CHAN Tai Man");
        let cert = Certificate {
            id: ulid::Ulid::new(),
            class: CertificateClass::Standard,
            holder_kind: HolderKind::Person,
            subject: SubjectDn {
                cn: "CHAN Tai Man".into(),
                ou: None,
                o: None,
                l: None,
                st: None,
                c: Some("MO".into()),
                serial_number: None,
            },
            serial: Some("0a1b".into()),
            not_before: Some(NOW - Duration::days(365)),
            // 00:30 Macau, 12 office days ahead.
            not_after: Some(datetime!(2026-12-10 16:30 UTC)),
            validity_years: 1,
            status: CertificateStatus::Valid,
            holder_person: Some(holder),
            holder_organisation: None,
            token: None,
            renewal_confirmed: false,
            revocation_phrase: None,
            revocation: None,
            issuance: None,
        };
        store.put(None, &cert).expect("cert");
        let clerk = Clerk {
            id: ulid::Ulid::new(),
            username: "clerk1".into(),
            display_name: "Clerk One".into(),
            role: registry::model::StaffRole::Clerk,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            active: true,
            totp_secret: None,
            totp_period: registry::totp::DEFAULT_PERIOD,
        };
        store.put(None, &clerk).expect("clerk");
        let mut app = Application::draft(
            ulid::Ulid::new(),
            Service::PinUnlock,
            holder,
            HolderKind::Person,
            CertificateClass::Standard,
            NOW,
        );
        app.certificates = vec![cert.id];
        app.documents = app.required_documents();
        app.consent_given = true;
        app.agreement_accepted = true;
        store.put(None, &app).expect("application");
        // A PIN unlock waits for a supervisor once vetted.
        store
            .write(Some(clerk.id), |w| {
                use registry::application::ApplicationAction as A;
                w.transition(app.id, A::Submit { organisation: None }, clerk.id)?;
                let fee =
                    registry::model::Money { minor: 0, currency: registry::model::Currency::Mop };
                w.transition(app.id, A::PassVetting { fee }, clerk.id)
            })
            .expect("to the supervisor");
        // A draft waits for nobody.
        let draft = Application::draft(
            ulid::Ulid::new(),
            Service::NewIssuance,
            holder,
            HolderKind::Person,
            CertificateClass::Standard,
            NOW,
        );
        store.put(None, &draft).expect("draft");

        let day = load_day(&store, NOW, MACAU).expect("day");
        assert_eq!(day.renewals.len(), 1);
        let due = &day.renewals[0];
        assert_eq!((due.certificate, due.days_left), (cert.id, 12));
        assert_eq!(due.holder_name, "陳大文 CHAN Tai Man");
        assert_eq!(day.awaiting_approval.len(), 1);
        let waiting = &day.awaiting_approval[0];
        assert_eq!(waiting.application, app.id);
        assert_eq!(waiting.subscriber_name, "陳大文 CHAN Tai Man");
        assert_eq!(waiting.submitted_by_name.as_deref(), Some("Clerk One"));
    }

    #[test]
    fn a_certificate_renewed_at_a_counter_leaves_the_renewals_due() {
        let mut store = store();
        let holder = person(&mut store, "陳大文", "CHAN Tai Man");
        let old = Certificate {
            id: ulid::Ulid::new(),
            class: CertificateClass::Qualified,
            holder_kind: HolderKind::Person,
            subject: SubjectDn { cn: "CHAN Tai Man".into(), ..Default::default() },
            serial: Some("0a1b".into()),
            not_before: Some(NOW - Duration::days(700)),
            not_after: Some(NOW + Duration::days(10)),
            validity_years: 2,
            status: CertificateStatus::Valid,
            holder_person: Some(holder),
            holder_organisation: None,
            token: None,
            renewal_confirmed: false,
            revocation_phrase: None,
            revocation: None,
            issuance: None,
        };
        let other = Certificate { id: ulid::Ulid::new(), serial: Some("0c".into()), ..old.clone() };
        store.put(None, &old).expect("old");
        store.put(None, &other).expect("another one due");
        let due = |store: &Store| -> Vec<RecordId> {
            load_day(store, NOW, MACAU)
                .expect("day")
                .renewals
                .iter()
                .map(|r| r.certificate)
                .collect()
        };
        assert_eq!(due(&store).len(), 2);

        // Its successor, on hold while the token is written: the old one is still to renew.
        let mut new = Certificate {
            id: ulid::Ulid::new(),
            serial: Some("0d".into()),
            not_before: Some(NOW),
            not_after: Some(NOW + Duration::days(730)),
            status: CertificateStatus::Suspended,
            issuance: Some(registry::model::Issuance {
                profile: "qualified-person".into(),
                sha256: "00".repeat(32),
                issuer_key_id: "01".into(),
                medium: registry::model::KeyMedium::Token,
                key_id: Some("02".into()),
                key_type: "p256".into(),
                previous: Some(old.id),
                der_base64: "MA==".into(),
            }),
            ..old.clone()
        };
        store.put(None, &new).expect("on hold");
        assert_eq!(due(&store).len(), 2, "a successor on hold is not in force");
        assert_eq!(successor_in_force(&store, &old).expect("read"), None);

        new.status = CertificateStatus::Valid;
        store.put(None, &new).expect("in force");
        assert_eq!(due(&store), vec![other.id], "renewed: no longer due; the other still is");
        let successor = successor_in_force(&store, &old).expect("read").map(|c| c.id);
        assert_eq!(successor, Some(new.id));
    }

    #[test]
    fn every_message_is_translated_in_every_language() {
        // Every argument any of them takes: a lookup with one missing finds nothing.
        let args: Vec<(&str, i18n::FluentValue<'_>)> = ["reference", "slot", "number", "detail"]
            .into_iter()
            .map(|name| (name, "x".into()))
            .chain([("count", 2.into())])
            .collect();
        for lang in i18n::Language::ALL {
            for id in MESSAGE_IDS.iter().chain(crate::counter_cmd::MESSAGE_IDS) {
                assert_ne!(i18n::text_with(lang, id, &args), *id, "{lang} lacks {id}");
            }
        }
    }
}
