//! `kiosk print …`: render a document to PDF and send it through the spool, or write it to a
//! file. The spool keeps every job until the printer has it, so a printer that is off, missing
//! or refusing never loses a form, and no form prints twice.

use std::io::Write;
use std::process::ExitCode;

use printers::document::{Document, Layout};
use printers::spool::{JobFilter, JobSummary, Spool, SpoolState};
use time::OffsetDateTime;

use crate::cli::{PrintCommand, PrintTarget};
use crate::{Context, KioskError, print_docs};

fn spool(ctx: &Context) -> Result<Spool, KioskError> {
    std::fs::create_dir_all(&ctx.data_dir)?;
    Spool::open(&ctx.data_dir.join("spool.db"))
        .map_err(|e| KioskError::Message(ctx.t_pairs(e.message_id(), e.message_args())))
}

/// The PDF of a document in the clerk's layout, with its form code.
pub fn render(ctx: &Context, doc: &Document) -> Result<Vec<u8>, KioskError> {
    let fonts = printers::fonts::Fonts::system()
        .map_err(|e| KioskError::Message(ctx.t_pairs(e.message_id(), e.message_args())))?;
    let key = printers::formcode::load_or_create_key(&ctx.data_dir)?;
    let code = doc.application().map(|(application, reference)| {
        printers::formcode::FormCode { application, reference: reference.to_owned() }.encode(&key)
    });
    printers::render::render(doc, Layout::for_language(ctx.lang), fonts, code.as_deref())
        .map_err(|e| KioskError::Refused(ctx.t_pairs(e.message_id(), e.message_args())))
}

pub fn run(ctx: &Context, command: PrintCommand) -> Result<ExitCode, KioskError> {
    let today = OffsetDateTime::now_utc().to_offset(ctx.office_offset()).date();
    match command {
        PrintCommand::Form { application, target } => {
            let store = ctx.open_store()?;
            let doc = print_docs::application_form(ctx, &store, application, today)?;
            output(ctx, &doc, target)
        }
        PrintCommand::Receipt { application, target } => {
            let store = ctx.open_store()?;
            let doc = print_docs::receipt(ctx, &store, application, today)?;
            output(ctx, &doc, target)
        }
        PrintCommand::Test { printer } => {
            let doc = Document::examples()
                .into_iter()
                .next()
                .ok_or_else(|| KioskError::Message("no example".into()))?;
            output(ctx, &doc, PrintTarget { printer: Some(printer), to_file: None })
        }
        PrintCommand::Queue { json } => queue(ctx, json),
    }
}

fn output(ctx: &Context, doc: &Document, target: PrintTarget) -> Result<ExitCode, KioskError> {
    let pdf = render(ctx, doc)?;
    if let Some(path) = target.to_file {
        // Whole or not at all, like every file the kiosk writes for an operator.
        tokens::ca::write_file(&path, &pdf)?;
        println!("{}", ctx.t_with("print-written", &[("file", path.display().to_string().into())]));
        return Ok(ExitCode::SUCCESS);
    }
    let Some(printer) = target.printer else { return Ok(ExitCode::from(2)) };
    let spool = spool(ctx)?;
    // Jobs left waiting by an earlier command go first, in the order they came.
    let earlier = spool.process_all().map_err(|e| spool_error(ctx, &e))?;
    report_earlier(ctx, &earlier);
    let id = spool
        .enqueue(doc.kind(), doc.application().map(|(id, _)| id), &printer, &pdf)
        .map_err(|e| spool_error(ctx, &e))?;
    let job = spool.process(id).map_err(|e| spool_error(ctx, &e))?;
    Ok(report(ctx, &job))
}

fn spool_error(ctx: &Context, e: &printers::spool::SpoolError) -> KioskError {
    KioskError::Message(ctx.t_pairs(e.message_id(), e.message_args()))
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

fn report_earlier(ctx: &Context, jobs: &[JobSummary]) {
    for job in jobs.iter().filter(|j| j.state == SpoolState::Printed) {
        eprintln!("{}", ctx.t_with("print-earlier-printed", &[("job", job.id.to_string().into())]));
    }
}

/// What the clerk is told about a job, and the exit status: 0 when the printer has it, 1 when it
/// waits in the spool or failed.
fn report(ctx: &Context, job: &JobSummary) -> ExitCode {
    let id = job.id.to_string();
    match job.state {
        SpoolState::Printed => {
            println!("{}", ctx.t_with("print-printed", &[("job", id.into())]));
            ExitCode::SUCCESS
        }
        SpoolState::Sending => {
            println!("{}", ctx.t_with("print-at-printer", &[("job", id.into())]));
            ExitCode::SUCCESS
        }
        SpoolState::Waiting => {
            eprintln!(
                "{}",
                ctx.t_with(
                    "print-waiting",
                    &[("job", id.into()), ("reason", job_error_text(ctx, job).into())]
                )
            );
            ExitCode::from(1)
        }
        SpoolState::Failed => {
            eprintln!(
                "{}",
                ctx.t_with(
                    "print-failed",
                    &[("job", id.into()), ("reason", job_error_text(ctx, job).into())]
                )
            );
            ExitCode::from(1)
        }
    }
}

fn queue(ctx: &Context, json: bool) -> Result<ExitCode, KioskError> {
    let spool = spool(ctx)?;
    spool.process_all().map_err(|e| spool_error(ctx, &e))?;
    let jobs = spool.list(JobFilter::All).map_err(|e| spool_error(ctx, &e))?;
    let mut out = std::io::stdout().lock();
    if json {
        for job in &jobs {
            let line =
                serde_json::to_string(job).map_err(|e| KioskError::Message(e.to_string()))?;
            writeln!(out, "{line}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if jobs.is_empty() {
        writeln!(out, "{}", ctx.t("print-queue-empty"))?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", ctx.t("print-queue-title"))?;
    for job in &jobs {
        let reason = job_error_text(ctx, job);
        writeln!(
            out,
            "{}  {:<16}  {:<10}  {}  {}",
            job.id,
            job.kind,
            ctx.t(job.state.message_id()),
            job.printer,
            reason
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
