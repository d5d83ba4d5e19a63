//! `kiosk print …`: render a document to PDF and send it through the spool, or write it to a
//! file; the spool's queue, and cancelling a job. The spool keeps every job until the printer has
//! it, so a printer that is off, missing or refusing never loses a form, and no form prints
//! twice. The clerk is told a job is at the printer only when the printer accepted it.

use std::path::PathBuf;
use std::process::ExitCode;

use printers::document::{Document, Layout};
use printers::fonts::FontError;
use printers::ipp_client;
use printers::render::RenderError;
use printers::spool::{JobFilter, JobId, JobSummary, Spool, SpoolError, SpoolState};
use registry::audit::{AuditAction, AuditEvent};
use registry::model::{Clerk, RecordKind, StaffRole};
use time::OffsetDateTime;

use crate::cli::{PrintCommand, PrintTarget};
use crate::output::{self, errln, outln};
use crate::{Context, KioskError, data_dir, office_keys, print_docs};

/// Exit status of a command called wrongly (no destination, an address that is not one).
const EXIT_USAGE: u8 = 2;

/// Why a document could not be made or handed to the spool. Typed, so that the UI keeps it in
/// its state and shows it in whatever language is on screen.
#[derive(Debug, thiserror::Error)]
pub enum PrintFailure {
    #[error(transparent)]
    Fonts(#[from] FontError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("the office's form key could not be read or made: {0}")]
    Key(std::io::Error),
    #[error("the data directory could not be used: {0}")]
    DataDir(std::io::Error),
    #[error(transparent)]
    Spool(#[from] SpoolError),
}

// The queue screen keeps a print failure typed and shows it in the language on screen.
#[allow(dead_code, reason = "the queue screen's caller is on its way")]
impl PrintFailure {
    pub fn message_id(&self) -> &'static str {
        match self {
            PrintFailure::Fonts(e) => e.message_id(),
            PrintFailure::Render(e) => e.message_id(),
            PrintFailure::Key(_) | PrintFailure::DataDir(_) => "error-failed",
            PrintFailure::Spool(e) => e.message_id(),
        }
    }

    /// The arguments of [`PrintFailure::message_id`]'s message. A spool error's `state` is a
    /// message id of its own, to be translated before it is passed on.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            PrintFailure::Fonts(e) => e.message_args(),
            PrintFailure::Render(e) => e.message_args(),
            PrintFailure::Key(e) | PrintFailure::DataDir(e) => vec![("detail", e.to_string())],
            PrintFailure::Spool(e) => e.message_args(),
        }
    }

    /// The command line's error: what the print commands have always said and exited with.
    pub fn into_kiosk_error(self, ctx: &Context) -> KioskError {
        match self {
            PrintFailure::Fonts(e) => {
                KioskError::Message(ctx.t_pairs(e.message_id(), e.message_args()))
            }
            PrintFailure::Render(e) => {
                KioskError::Refused(ctx.t_pairs(e.message_id(), e.message_args()))
            }
            PrintFailure::Key(e) => KioskError::Io(e),
            PrintFailure::DataDir(source) => {
                KioskError::DataDir { dir: ctx.data_dir.clone(), source }
            }
            PrintFailure::Spool(e) => spool_error(ctx, &e),
        }
    }
}

fn open_spool(ctx: &Context) -> Result<Spool, PrintFailure> {
    data_dir::create(&ctx.data_dir).map_err(PrintFailure::DataDir)?;
    Ok(Spool::open(&ctx.data_dir.join("spool.db"))?)
}

fn spool(ctx: &Context) -> Result<Spool, KioskError> {
    open_spool(ctx).map_err(|e| e.into_kiosk_error(ctx))
}

/// The PDF of a document in the clerk's layout, with its form code.
pub fn render_pdf(ctx: &Context, doc: &Document) -> Result<Vec<u8>, PrintFailure> {
    let fonts = printers::fonts::Fonts::system()?;
    let code = match doc.application() {
        Some((application, reference)) => {
            let key = office_keys::load_or_create(&ctx.data_dir, office_keys::OfficeKey::Form)
                .map_err(PrintFailure::Key)?;
            let print = doc.print_id().map_or_else(printers::formcode::new_print_id, str::to_owned);
            let code = printers::formcode::FormCode {
                application,
                reference: reference.to_owned(),
                print: Some(print),
            };
            Some(code.encode(&key))
        }
        None => None,
    };
    Ok(printers::render::render(doc, Layout::for_language(ctx.lang), fonts, code.as_deref())?)
}

/// [`render_pdf`] with the command line's errors.
pub fn render(ctx: &Context, doc: &Document) -> Result<Vec<u8>, KioskError> {
    render_pdf(ctx, doc).map_err(|e| e.into_kiosk_error(ctx))
}

/// A document handed to the spool, and what became of it.
#[derive(Debug)]
pub struct Spooled {
    /// Jobs left waiting by earlier commands, sent first (and what became of them).
    pub earlier: Vec<JobSummary>,
    /// This document's job: printed, at the printer, or waiting with the reason.
    pub job: JobSummary,
}

/// Renders `doc`, commits it to the spool for `printer` and sends it: the one way every command
/// (and the counter screen) prints. Jobs left waiting by an earlier command go first, in the
/// order they came; those for this printer whatever their backoff, since it is about to be asked
/// anyway. Talks to the printer: run it off the UI's thread.
pub fn spool_document(
    ctx: &Context,
    doc: &Document,
    printer: &str,
) -> Result<Spooled, PrintFailure> {
    let pdf = render_pdf(ctx, doc)?;
    let spool = open_spool(ctx)?;
    let earlier = spool.process_all_before(printer)?;
    let id = spool.enqueue(doc.kind(), doc.application().map(|(id, _)| id), printer, &pdf)?;
    let job = spool.process(id)?;
    Ok(Spooled { earlier, job })
}

pub fn run(ctx: &Context, command: PrintCommand) -> Result<ExitCode, KioskError> {
    run_with_default_printer(ctx, command, ctx.config.printer.as_deref())
}

/// Runs a print command; `default_printer` is where documents go when the command names
/// neither `--printer` nor `--to-file` (the office's configured printer).
pub fn run_with_default_printer(
    ctx: &Context,
    command: PrintCommand,
    default_printer: Option<&str>,
) -> Result<ExitCode, KioskError> {
    let today = OffsetDateTime::now_utc().to_offset(ctx.office_offset()).date();
    match command {
        PrintCommand::Form { application, target } => {
            let Some(to) = destination(ctx, target, default_printer) else {
                return Ok(ExitCode::from(EXIT_USAGE));
            };
            let store = ctx.open_store()?;
            let doc = print_docs::application_form(ctx, &store, application, today, None)?;
            output(ctx, &doc, to)
        }
        PrintCommand::Receipt { application, target } => {
            let Some(to) = destination(ctx, target, default_printer) else {
                return Ok(ExitCode::from(EXIT_USAGE));
            };
            let store = ctx.open_store()?;
            let doc = print_docs::receipt(ctx, &store, application, today)?;
            output(ctx, &doc, to)
        }
        PrintCommand::Test { printer } => {
            let target = PrintTarget { printer, to_file: None };
            let Some(to) = destination(ctx, target, default_printer) else {
                return Ok(ExitCode::from(EXIT_USAGE));
            };
            let doc = Document::examples()
                .into_iter()
                .next()
                .ok_or_else(|| KioskError::Message("no example".into()))?;
            output(ctx, &doc, to)
        }
        PrintCommand::Queue { json, now } => queue(ctx, json, now),
        PrintCommand::Cancel { job, supervisor } => cancel(ctx, JobId(job), &supervisor),
    }
}

/// Where a document goes.
pub(crate) enum Destination {
    Printer(String),
    File(PathBuf),
}

/// The command's destination, checked before anything is rendered; `None` (after telling the
/// person why) when there is none or the printer address cannot be one.
pub(crate) fn destination(
    ctx: &Context,
    target: PrintTarget,
    default_printer: Option<&str>,
) -> Option<Destination> {
    let printer = match (target.to_file, target.printer) {
        (Some(path), _) => return Some(Destination::File(path)),
        (None, Some(printer)) => printer,
        (None, None) => match default_printer {
            Some(printer) => printer.to_owned(),
            None => {
                errln!("{}", ctx.t("print-no-printer"));
                return None;
            }
        },
    };
    if let Err(e) = ipp_client::check_printer_uri(&printer) {
        errln!("{}", ctx.t_pairs(e.message_id(), e.message_args()));
        return None;
    }
    Some(Destination::Printer(printer))
}

pub(crate) fn output(
    ctx: &Context,
    doc: &Document,
    to: Destination,
) -> Result<ExitCode, KioskError> {
    let printer = match to {
        Destination::File(path) => {
            let pdf = render(ctx, doc)?;
            output::to_named_file(ctx, &path, &pdf, printers::named_file::NewFile::OwnerOnly)?;
            outln!(
                "{}",
                ctx.t_with(
                    "print-written",
                    &[("file", path.to_string_lossy().into_owned().into())]
                )
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        Destination::Printer(printer) => printer,
    };
    let spooled = spool_document(ctx, doc, &printer).map_err(|e| e.into_kiosk_error(ctx))?;
    report_earlier(ctx, &spooled.earlier);
    report(ctx, &spooled.job)
}

/// The clerk's sentence for a spool error. A job's state travels as its message id, and is
/// translated here. A job that is not there or not in a state for the request is a refusal
/// (exit 1); a spool that cannot be used is a failure.
fn spool_error(ctx: &Context, e: &SpoolError) -> KioskError {
    let args = e
        .message_args()
        .into_iter()
        .map(|(k, v)| if k == "state" { (k, ctx.t(&v)) } else { (k, v) })
        .collect();
    let text = ctx.t_pairs(e.message_id(), args);
    match e {
        SpoolError::NoSuchJob(_)
        | SpoolError::NotFailed { .. }
        | SpoolError::NotOpen { .. }
        | SpoolError::Busy { .. }
        | SpoolError::NotPdf
        | SpoolError::Printer(_) => KioskError::Refused(text),
        SpoolError::Storage { .. } | SpoolError::Newer { .. } | SpoolError::Corrupt { .. } => {
            KioskError::Failed(text)
        }
    }
}

fn job_error_text(ctx: &Context, job: &JobSummary) -> String {
    match &job.last_error {
        Some(err) => {
            let args: Vec<(&str, i18n::FluentValue<'_>)> =
                err.args.iter().map(|(k, v)| (k.as_str(), v.clone().into())).collect();
            ctx.t_with(&err.message_id, &args)
        }
        None => String::new(),
    }
}

/// A time as the office reads it.
pub(crate) fn office_time(ctx: &Context, at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    at.to_offset(ctx.office_offset()).format(format).unwrap_or_else(|_| at.to_string())
}

pub fn report_earlier(ctx: &Context, jobs: &[JobSummary]) {
    for job in jobs.iter().filter(|j| j.state == SpoolState::Printed) {
        errln!("{}", ctx.t_with("print-earlier-printed", &[("job", job.id.to_string().into())]));
    }
}

/// What the clerk is told about a job, and the exit status: 0 when the printer has it (printed,
/// or accepted and holding it), 1 otherwise: waiting, perhaps never arrived, failed.
pub fn report(ctx: &Context, job: &JobSummary) -> Result<ExitCode, KioskError> {
    let id = job.id.to_string();
    let next_try = || {
        if let Some(at) = job.next_attempt_at {
            errln!("{}", ctx.t_with("print-next-try", &[("at", office_time(ctx, at).into())]));
        }
    };
    let with_reason = |message: &str| {
        let reason = job_error_text(ctx, job);
        errln!("{}", ctx.t_with(message, &[("job", id.clone().into()), ("reason", reason.into())]));
    };
    match job.state {
        SpoolState::Printed => {
            outln!("{}", ctx.t_with("print-printed", &[("job", id.into())]))?;
            Ok(ExitCode::SUCCESS)
        }
        SpoolState::Sending if job.ipp_job_id.is_some() => {
            outln!("{}", ctx.t_with("print-at-printer", &[("job", id.into())]))?;
            Ok(ExitCode::SUCCESS)
        }
        // The request may or may not have reached the printer: not "accepted".
        SpoolState::Sending => {
            with_reason("print-unknown");
            next_try();
            Ok(ExitCode::from(1))
        }
        SpoolState::Waiting => {
            with_reason("print-waiting");
            next_try();
            Ok(ExitCode::from(1))
        }
        SpoolState::Failed | SpoolState::Cancelled | SpoolState::Expired => {
            with_reason("print-failed");
            Ok(ExitCode::from(1))
        }
    }
}

fn queue(ctx: &Context, json: bool, now: bool) -> Result<ExitCode, KioskError> {
    let spool = spool(ctx)?;
    let processed = if now { spool.process_all_now() } else { spool.process_all() };
    processed.map_err(|e| spool_error(ctx, &e))?;
    let jobs = spool.list(JobFilter::All).map_err(|e| spool_error(ctx, &e))?;
    if json {
        for job in &jobs {
            output::json_line(job)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if jobs.is_empty() {
        outln!("{}", ctx.t("print-queue-empty"))?;
        return Ok(ExitCode::SUCCESS);
    }
    // Supervisors are named as the staff know them; the store is read only if one cancelled.
    let store = jobs.iter().any(|j| j.cancelled_by.is_some()).then(|| ctx.open_store().ok());
    let clerk_name = |id: registry::model::RecordId| {
        store
            .as_ref()
            .and_then(Option::as_ref)
            .and_then(|s| s.get::<Clerk>(id).ok().flatten())
            .map_or_else(|| id.to_string(), |c| c.username)
    };
    outln!("{}", ctx.t("print-queue-title"))?;
    for job in &jobs {
        let mut notes = Vec::new();
        if let Some(at) = job.next_attempt_at {
            notes.push(ctx.t_with("print-queue-next-try", &[("at", office_time(ctx, at).into())]));
        }
        if let Some(clerk) = job.cancelled_by {
            notes.push(
                ctx.t_with("print-queue-cancelled-by", &[("clerk", clerk_name(clerk).into())]),
            );
        }
        let reason = job_error_text(ctx, job);
        if !reason.is_empty() {
            notes.push(reason);
        }
        outln!(
            "{}  {:<16}  {:<10}  {}  {}",
            job.id,
            job.kind,
            ctx.t(job.state.message_id()),
            job.printer,
            notes.join("  ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `kiosk print cancel JOB --supervisor CLERK`: the supervisor must be an active supervisor of
/// this office's store. The spool records who cancelled, and the store an audit event.
fn cancel(ctx: &Context, id: JobId, supervisor: &str) -> Result<ExitCode, KioskError> {
    let mut store = ctx.open_store()?;
    let refuse = |message: &str| {
        KioskError::Refused(ctx.t_with(message, &[("clerk", supervisor.to_owned().into())]))
    };
    let clerk = find_clerk(&store, supervisor)?.ok_or_else(|| refuse("print-cancel-no-clerk"))?;
    if !clerk.active {
        return Err(refuse("print-cancel-inactive"));
    }
    if clerk.role != StaffRole::Supervisor {
        return Err(refuse("print-cancel-not-supervisor"));
    }
    let spool = spool(ctx)?;
    // The spool first: the erasure is what was asked, and it records who asked. The audit event
    // follows; should the store fail now, the supervisor is told (the job stays cancelled).
    let cancelled = spool.cancel(id, clerk.id).map_err(|e| spool_error(ctx, &e))?;
    let event = AuditEvent {
        id: ulid::Ulid::new(),
        at: store.now(),
        kiosk: store.kiosk_id().to_owned(),
        clerk: Some(clerk.id),
        action: AuditAction::PrintJobCancelled { job: id.to_string() },
        subject_kind: cancelled.job.application.map(|_| RecordKind::Application),
        subject: cancelled.job.application,
    };
    store.put(Some(clerk.id), &event)?;
    outln!("{}", ctx.t_with("print-cancelled", &[("job", id.to_string().into())]))?;
    if cancelled.maybe_at_printer {
        outln!(
            "{}",
            ctx.t_with(
                "print-cancel-maybe-at-printer",
                &[("printer", cancelled.job.printer.clone().into())]
            )
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A staff member by record id or user name.
fn find_clerk(store: &store::Store, who: &str) -> Result<Option<Clerk>, KioskError> {
    if let Ok(id) = who.trim().parse::<ulid::Ulid>() {
        return Ok(store.get::<Clerk>(id)?);
    }
    Ok(store.list::<Clerk>()?.into_iter().find(|c| c.username == who.trim()))
}
