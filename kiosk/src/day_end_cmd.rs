//! `kiosk day-end close|show`: a supervisor closes the counter's day from the command line, with
//! their user name and their password on standard input (so a clerk cannot close it by naming
//! a supervisor); `show` prints the day as kept, or the figures so far.

use std::io::{BufRead, IsTerminal, Read};
use std::process::ExitCode;

use registry::day_end::{ApplicationLine, PaymentTotal};
use time::{Date, OffsetDateTime};
use zeroize::Zeroizing;

use crate::cli::{DayEndCommand, PrintTarget};
use crate::day_end::{self, DayView};
use crate::output::{self, errln, outln};
use crate::print_cmd::{self, Destination};
use crate::signin::{self, Refusal};
use crate::{Context, KioskError};

/// Exit status of a command called wrongly (no printer to print to).
const EXIT_USAGE: u8 = 2;
/// More than any password the rule allows, and a bound on what a pipe can make the kiosk hold.
const PASSWORD_INPUT_LIMIT: u64 = 1024;

pub fn run(ctx: &Context, command: DayEndCommand) -> Result<ExitCode, KioskError> {
    match command {
        DayEndCommand::Close { supervisor, date, target, json } => {
            close(ctx, &supervisor, date, target, json)
        }
        DayEndCommand::Show { date, json, target } => show(ctx, date, json, target),
    }
}

fn now(ctx: &Context) -> OffsetDateTime {
    OffsetDateTime::now_utc().to_offset(ctx.office_offset())
}

fn close(
    ctx: &Context,
    supervisor: &str,
    date: Option<Date>,
    target: PrintTarget,
    json: bool,
) -> Result<ExitCode, KioskError> {
    // Where the report goes is checked before anything is asked or written.
    let Some(to) = print_cmd::destination(ctx, target, ctx.config.printer.as_deref()) else {
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let password = read_password(ctx, supervisor)?;
    let mut store = ctx.open_store()?;
    let now = now(ctx);
    let policy = signin::Policy::from_config(&ctx.config);
    // The same check as signing in, wrong passwords counted toward the lock alike.
    let accepted = signin::check_password(&mut store, supervisor, &password, now, &policy)
        .map_err(|refusal| signin_error(ctx, &refusal))?;
    drop(password);
    let day = date.unwrap_or(now.date());
    let record = day_end::close(&mut store, accepted.clerk(), day, now)
        .map_err(|e| e.into_kiosk_error(ctx))?;
    let view = day_end::view_of(&store, &record, ctx.office_offset())?;
    write_view(ctx, &view, json)?;
    let by = view.closed.as_ref().map(|c| c.username.clone()).unwrap_or_default();
    errln!(
        "{}",
        ctx.t_with(
            "day-end-closed",
            &[
                ("day", view.day.to_string().into()),
                ("kiosk", view.kiosk.clone().into()),
                ("by", by.into()),
                ("id", record.id.to_string().into()),
            ],
        )
    );
    print(ctx, &view, to)
}

fn show(
    ctx: &Context,
    date: Option<Date>,
    json: bool,
    target: PrintTarget,
) -> Result<ExitCode, KioskError> {
    let asked = target.printer.is_some() || target.to_file.is_some();
    let to = match asked {
        true => match print_cmd::destination(ctx, target, None) {
            Some(to) => Some(to),
            None => return Ok(ExitCode::from(EXIT_USAGE)),
        },
        false => None,
    };
    let store = ctx.open_store()?;
    let day = date.unwrap_or(now(ctx).date());
    let view = day_end::load(&store, day, ctx.office_offset())?;
    write_view(ctx, &view, json)?;
    match to {
        Some(to) => print(ctx, &view, to),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Prints the report; the day stays closed whatever the printer does, and the person is told
/// how to print it again.
fn print(ctx: &Context, view: &DayView, to: Destination) -> Result<ExitCode, KioskError> {
    let doc = day_end::document(ctx, view);
    match print_cmd::output(ctx, &doc, to) {
        Err(err) if !matches!(err, KioskError::Output(_)) => {
            tracing::error!(category = err.category(), "the day-end report did not print");
            let reason = err.localised(ctx);
            errln!("{}", ctx.t_with("day-end-print-failed", &[("reason", reason.into())]));
            Ok(ExitCode::from(err.exit_code().max(1)))
        }
        other => other,
    }
}

/// A failed password: a refusal (exit 1), but a store that cannot be used is a failure.
fn signin_error(ctx: &Context, refusal: &Refusal) -> KioskError {
    let text = ctx.t_pairs(refusal.message_id(), refusal.message_args());
    match refusal {
        Refusal::Store { .. } => KioskError::Failed(text),
        _ => KioskError::Refused(text),
    }
}

/// The supervisor's password: asked without echo on a terminal, else the first line of
/// standard input (its line ending removed).
fn read_password(ctx: &Context, supervisor: &str) -> Result<Zeroizing<String>, KioskError> {
    if std::io::stdin().is_terminal() {
        let prompt = ctx.t_with("day-end-password-prompt", &[("supervisor", supervisor.into())]);
        return Ok(Zeroizing::new(rpassword::prompt_password(format!("{prompt} "))?));
    }
    let mut bytes = Zeroizing::new(Vec::new());
    std::io::stdin().lock().take(PASSWORD_INPUT_LIMIT).read_until(b'\n', &mut bytes)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| KioskError::Refused(ctx.t("day-end-password-not-text")))?;
    Ok(Zeroizing::new(text.trim_end_matches(['\n', '\r']).to_owned()))
}

fn write_view(ctx: &Context, view: &DayView, json: bool) -> Result<(), KioskError> {
    if json {
        return output::json_line(view);
    }
    for line in text_lines(ctx, view) {
        outln!("{line}")?;
    }
    Ok(())
}

fn method(ctx: &Context, line: &PaymentTotal) -> String {
    let id = match line.method {
        Some(method) => format!("visit-method-{}", method.as_str()),
        None => "day-end-method-none".to_owned(),
    };
    let count = ctx.t_with("day-end-payments", &[("count", i64::from(line.count).into())]);
    format!("  {}  {count}  {}", ctx.t(&id), line.total)
}

fn application(ctx: &Context, line: &ApplicationLine) -> String {
    format!(
        "  {}  {}  {}",
        line.reference,
        ctx.t(&format!("service-{}", line.service.as_str())),
        ctx.t(&format!("application-state-{}", line.state.as_str()))
    )
}

/// The report as lines of text in the clerk's language.
pub fn text_lines(ctx: &Context, view: &DayView) -> Vec<String> {
    let r = &view.report;
    let mut lines = vec![format!(
        "{} · {} {} · {} {}",
        ctx.t("day-end-title"),
        ctx.t("day-end-counter"),
        view.kiosk,
        ctx.t("day-end-day"),
        view.day
    )];
    lines.push(match &view.closed {
        Some(c) => format!(
            "{} {} · {} {}",
            ctx.t("day-end-closed-by"),
            c.username,
            ctx.t("day-end-closed-at"),
            clock(c.at)
        ),
        None => format!("{} {}", ctx.t("day-end-state"), ctx.t("day-end-not-closed")),
    });
    lines.push(ctx.t("day-end-services"));
    for s in &r.services {
        lines.push(format!(
            "  {}  {}",
            ctx.t(&format!("service-{}", s.service.as_str())),
            s.completed
        ));
    }
    lines.push(format!("  {}  {}", ctx.t("day-end-services-total"), r.services_completed()));
    for (title, money) in [("day-end-fees", &r.payments), ("day-end-refunds", &r.refunds)] {
        lines.push(ctx.t(title));
        if money.is_empty() {
            lines.push(format!("  {}", ctx.t("day-end-none")));
        }
        lines.extend(money.iter().map(|line| method(ctx, line)));
    }
    lines.push(ctx.t("day-end-tokens"));
    let spoiled: Vec<String> = r
        .tokens_spoiled
        .iter()
        .map(|t| {
            format!("{} ({})", t.serial, ctx.t(&format!("token-status-{}", token_status(t.status))))
        })
        .collect();
    for (label, list) in [
        ("day-end-tokens-used", &r.tokens_used),
        ("day-end-tokens-spoiled", &spoiled),
        ("day-end-tokens-lost", &r.tokens_lost),
    ] {
        lines.push(
            format!("  {}  {}  {}", ctx.t(label), list.len(), list.join(", "))
                .trim_end()
                .to_owned(),
        );
    }
    lines.push(ctx.t("day-end-forms"));
    lines.push(format!("  {}  {}", ctx.t("day-end-forms-printed"), r.forms_printed));
    lines.push(format!("  {}  {}", ctx.t("day-end-forms-unsigned"), r.forms_unsigned.len()));
    lines.extend(r.forms_unsigned.iter().map(|line| format!("  {}", application(ctx, line))));
    lines.push(format!("{}  {}", ctx.t("day-end-open"), r.open_applications.len()));
    lines.extend(r.open_applications.iter().map(|line| application(ctx, line)));
    lines
}

fn token_status(status: registry::model::TokenStatus) -> &'static str {
    use registry::model::TokenStatus;
    match status {
        TokenStatus::Blank => "blank",
        TokenStatus::Issued => "issued",
        TokenStatus::Lost => "lost",
        TokenStatus::Damaged => "damaged",
        TokenStatus::Retired => "retired",
    }
}

/// A time as the office reads it.
fn clock(at: OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
}
