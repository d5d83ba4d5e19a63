//! `kiosk clerk add|list|disable|reset-totp`: the counter's staff accounts, for supervisors and
//! operators at the machine.
//!
//! A new account's password comes from standard input (asked twice without echo on a terminal,
//! one line from a pipe) and must meet the account-password rule; its one-time code secret is
//! shown once, as an `otpauth://` URI and as a QR code, before the account is committed: if
//! nobody can read it, nothing is created. Secrets never go to the log, and `list` never shows
//! them.

use std::io::{BufRead, IsTerminal, Read};
use std::process::ExitCode;

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;
use registry::audit::{AuditAction, AuditEvent};
use registry::model::{Clerk, Record, RecordId, RecordKind, StaffRole};
use registry::totp;
use serde::Serialize;
use store::StoreError;
use zeroize::Zeroizing;

use crate::cli::{ClerkCommand, RoleArg};
use crate::output::{self, errln, json_line, outln};
use crate::{Context, KioskError, auth};

/// More than any password the rule allows (16 characters of up to 4 bytes), and a bound on what
/// a pipe can make the kiosk hold.
const PASSWORD_INPUT_LIMIT: u64 = 1024;

pub fn run(ctx: &Context, command: ClerkCommand) -> Result<ExitCode, KioskError> {
    match command {
        ClerkCommand::Add { id, name, role } => add(ctx, &id, &name, role.into()),
        ClerkCommand::List { json } => list(ctx, json),
        ClerkCommand::Disable { id } => disable(ctx, &id),
        ClerkCommand::ResetTotp { id } => reset_totp(ctx, &id),
    }
}

impl From<RoleArg> for StaffRole {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Clerk => StaffRole::Clerk,
            RoleArg::Supervisor => StaffRole::Supervisor,
        }
    }
}

fn add(ctx: &Context, username: &str, name: &str, role: StaffRole) -> Result<ExitCode, KioskError> {
    let username = username.trim();
    let mut store = ctx.open_store()?;
    let draft = Clerk {
        id: ulid::Ulid::new(),
        username: username.to_owned(),
        display_name: name.trim().to_owned(),
        role,
        // Replaced below; here so the id and the name are checked before a password is asked.
        password_hash: "$argon2id$".into(),
        active: true,
        totp_secret: None,
        totp_period: totp::DEFAULT_PERIOD,
    };
    if let Err(problems) = draft.validate() {
        let list: Vec<String> =
            problems.iter().map(|p| format!("{} — {}", p.field, ctx.t(p.code))).collect();
        return Err(refused(ctx, "clerk-invalid", &[("problems", list.join("; "))]));
    }
    if find(&store, username)?.is_some() {
        return Err(refused(ctx, "clerk-exists", &[("id", username.to_owned())]));
    }
    let password = read_new_password(ctx)?;
    let problems = registry::credentials::account_password_problems(&password);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|id| ctx.t(id)).collect();
        return Err(refused(ctx, "clerk-password-refused", &[("problems", list.join(" "))]));
    }
    let hash = auth::hash_password(&password).map_err(KioskError::Message)?;
    let secret = auth::new_totp_secret();
    let clerk = Clerk { password_hash: hash, totp_secret: Some(secret), ..draft };
    let event = audit(&store, &clerk, AuditAction::ClerkAdded);
    let header = ctx.t_with(
        "clerk-added",
        &[("id", clerk.username.clone().into()), ("name", clerk.display_name.clone().into())],
    );
    // The id was checked free above; two operators adding one id in the same second could
    // still both pass, which `clerk list` would show and `clerk disable` mends.
    commit_showing_secret(ctx, &mut store, &clerk, &event, &header)?;
    tracing::info!(clerk = %clerk.id, "clerk added");
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, json: bool) -> Result<ExitCode, KioskError> {
    #[derive(Serialize)]
    struct Row<'a> {
        record: RecordId,
        id: &'a str,
        name: &'a str,
        role: StaffRole,
        active: bool,
        totp: bool,
    }
    let store = ctx.open_store()?;
    let mut clerks: Vec<Clerk> = store.list()?;
    clerks.sort_by(|a, b| a.username.cmp(&b.username));
    if json {
        for c in &clerks {
            json_line(&Row {
                record: c.id,
                id: &c.username,
                name: &c.display_name,
                role: c.role,
                active: c.active,
                totp: c.totp_secret.is_some(),
            })?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if clerks.is_empty() {
        errln!("{}", ctx.t("clerk-none"));
        return Ok(ExitCode::SUCCESS);
    }
    for c in &clerks {
        let active = ctx.t(if c.active { "clerk-active" } else { "clerk-disabled-state" });
        let code =
            ctx.t(if c.totp_secret.is_some() { "clerk-totp-set" } else { "clerk-totp-missing" });
        outln!(
            "{:<20}  {:<12}  {:<10}  {:<12}  {}",
            c.username,
            role_name(ctx, c.role),
            active,
            code,
            c.display_name
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn disable(ctx: &Context, who: &str) -> Result<ExitCode, KioskError> {
    let mut store = ctx.open_store()?;
    let clerk = find(&store, who)?
        .ok_or_else(|| refused(ctx, "clerk-not-found", &[("id", who.trim().to_owned())]))?;
    if !clerk.active {
        outln!("{}", ctx.t_with("clerk-already-disabled", &[("id", clerk.username.into())]))?;
        return Ok(ExitCode::SUCCESS);
    }
    let disabled = Clerk { active: false, ..clerk.clone() };
    let event = audit(&store, &disabled, AuditAction::ClerkDisabled);
    store.write(None, |w| {
        w.edit(&clerk, &disabled)?;
        w.put(&event).map(drop)
    })?;
    tracing::info!(clerk = %clerk.id, "clerk disabled");
    outln!("{}", ctx.t_with("clerk-disabled", &[("id", clerk.username.into())]))?;
    Ok(ExitCode::SUCCESS)
}

fn reset_totp(ctx: &Context, who: &str) -> Result<ExitCode, KioskError> {
    let mut store = ctx.open_store()?;
    let clerk = find(&store, who)?
        .ok_or_else(|| refused(ctx, "clerk-not-found", &[("id", who.trim().to_owned())]))?;
    let reset = Clerk {
        totp_secret: Some(auth::new_totp_secret()),
        totp_period: totp::DEFAULT_PERIOD,
        ..clerk.clone()
    };
    let event = audit(&store, &reset, AuditAction::ClerkTotpReset);
    let header = ctx.t_with("clerk-totp-reset", &[("id", clerk.username.clone().into())]);
    commit_showing_secret(ctx, &mut store, &reset, &event, &header)?;
    tracing::info!(clerk = %clerk.id, "clerk's one-time code secret replaced");
    Ok(ExitCode::SUCCESS)
}

/// Writes `clerk` and its audit event, and inside the same transaction shows the clerk's
/// one-time code secret: if it cannot be shown (a closed pipe, a full disk), nothing is written,
/// since the secret is shown only this once.
fn commit_showing_secret(
    ctx: &Context,
    store: &mut store::Store,
    clerk: &Clerk,
    event: &AuditEvent,
    header: &str,
) -> Result<(), KioskError> {
    let mut stopped: Option<KioskError> = None;
    let written = store.write(None, |w| {
        w.put(clerk)?;
        w.put(event)?;
        let shown = outln!("{header}").and_then(|()| show_secret(ctx, clerk)).and_then(|()| {
            if output::stdout_closed() {
                Err(KioskError::Output(std::io::ErrorKind::BrokenPipe.into()))
            } else {
                Ok(())
            }
        });
        if let Err(err) = shown {
            stopped = Some(err);
            return Err(StoreError::Corrupt("the one-time code secret could not be shown".into()));
        }
        Ok(())
    });
    match (written, stopped) {
        (_, Some(KioskError::Output(e))) => Err(KioskError::Failed(
            ctx.t_with("clerk-secret-not-shown", &[("detail", e.to_string().into())]),
        )),
        (_, Some(other)) => Err(other),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(()),
    }
}

/// The `otpauth://` URI of a clerk's secret, with the office as issuer.
pub fn otpauth_uri(ctx: &Context, clerk: &Clerk) -> Option<Zeroizing<String>> {
    let secret = clerk.totp_secret.as_ref()?;
    Some(Zeroizing::new(totp::otpauth_uri(
        &ctx.config.office,
        &clerk.username,
        secret.expose(),
        clerk.totp_period,
    )))
}

/// The clerk's one-time code secret: how to use it, the URI, and the URI as a QR code.
fn show_secret(ctx: &Context, clerk: &Clerk) -> Result<(), KioskError> {
    let Some(uri) = otpauth_uri(ctx, clerk) else { return Ok(()) };
    outln!()?;
    outln!("{}", ctx.t_with("clerk-totp-how", &[("period", clerk.totp_period.into())]))?;
    outln!("{}", uri.as_str())?;
    outln!()?;
    for line in qr_lines(&uri) {
        outln!("{line}")?;
    }
    Ok(())
}

/// The URI as a QR code in text: two modules a character (upper and lower half blocks), with
/// the four-module quiet zone scanners need. Light modules and the quiet zone are the printed
/// blocks and dark modules are left blank, so on the usual light-on-dark terminal the code
/// shows dark on light, as scanners expect.
pub fn qr_lines(uri: &str) -> Vec<String> {
    match QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build()
            .lines()
            .map(str::to_owned)
            .collect(),
        // A URI of this length always fits a QR code; without one the URI above still serves.
        Err(_) => Vec::new(),
    }
}

/// A clerk by user name (any case) or record id.
fn find(store: &store::Store, who: &str) -> Result<Option<Clerk>, KioskError> {
    let who = who.trim();
    if let Ok(id) = who.parse::<RecordId>()
        && let Some(clerk) = store.get::<Clerk>(id)?
    {
        return Ok(Some(clerk));
    }
    Ok(store.list::<Clerk>()?.into_iter().find(|c| c.username.eq_ignore_ascii_case(who)))
}

fn audit(store: &store::Store, clerk: &Clerk, action: AuditAction) -> AuditEvent {
    AuditEvent {
        id: ulid::Ulid::new(),
        at: store.now(),
        kiosk: store.kiosk_id().to_owned(),
        clerk: None,
        action,
        subject_kind: Some(RecordKind::Clerk),
        subject: Some(clerk.id),
    }
}

pub fn role_name(ctx: &Context, role: StaffRole) -> String {
    ctx.t(match role {
        StaffRole::Clerk => "role-clerk",
        StaffRole::Supervisor => "role-supervisor",
    })
}

fn refused(ctx: &Context, id: &str, args: &[(&'static str, String)]) -> KioskError {
    KioskError::Refused(ctx.t_pairs(id, args.to_vec()))
}

/// The new password: asked twice without echo on a terminal, else the first line of standard
/// input (its line ending removed).
fn read_new_password(ctx: &Context) -> Result<Zeroizing<String>, KioskError> {
    if std::io::stdin().is_terminal() {
        let first = Zeroizing::new(rpassword::prompt_password(format!(
            "{} ",
            ctx.t("clerk-password-prompt")
        ))?);
        let again = Zeroizing::new(rpassword::prompt_password(format!(
            "{} ",
            ctx.t("clerk-password-again")
        ))?);
        if *first != *again {
            return Err(refused(ctx, "clerk-passwords-differ", &[]));
        }
        return Ok(first);
    }
    let mut bytes = Zeroizing::new(Vec::new());
    std::io::stdin().lock().take(PASSWORD_INPUT_LIMIT).read_until(b'\n', &mut bytes)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| refused(ctx, "clerk-password-not-text", &[]))?;
    Ok(Zeroizing::new(text.trim_end_matches(['\n', '\r']).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_the_commands_say_exists_in_every_language() {
        let source = include_str!("clerk_cmd.rs");
        let ids: Vec<&str> = source
            .split('"')
            .filter(|s| s.starts_with("clerk-") && s.len() > 6 && !s.contains(' '))
            .collect();
        assert!(ids.len() >= 15, "{ids:?}");
        let args: Vec<_> = ["id", "name", "problems", "period", "detail"]
            .into_iter()
            .map(|k| (k, i18n::FluentValue::from("x")))
            .collect();
        for id in ids {
            for lang in i18n::Language::ALL {
                let text = i18n::text_with(lang, id, &args);
                assert_ne!(text, id, "{lang} lacks {id}");
                assert!(!text.contains("{ $"), "{lang}: {text}");
            }
        }
    }

    #[test]
    fn the_qr_code_has_its_quiet_zone_and_light_modules_drawn() {
        let lines = qr_lines("otpauth://totp/Office:clerk.chan?secret=GEZDGNBVGY3TQOJQ&period=60");
        // Version 4 or so: at most 41 modules and 8 of quiet zone across; fits 80 columns.
        let width = lines[0].chars().count();
        assert!(width <= 60 && lines.iter().all(|l| l.chars().count() == width), "{width}");
        // The first two module rows are quiet zone: all light, so all full blocks.
        assert!(lines[0].chars().all(|c| c == '\u{2588}'), "{}", lines[0]);
        // Dark modules are blank: there are some.
        assert!(lines.iter().any(|l| l.contains(' ')));
    }
}
