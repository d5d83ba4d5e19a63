//! `kiosk token …` and `kiosk ca …`: the token and CA operations for scripts and operators,
//! over the same library calls the visit wizards make.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use registry::model::{RevocationReason, TokenStatus};
use serde::Serialize;
use tokens::ca::{self, OfficeCa};
use tokens::delivery::Deliveries;
use tokens::service::{Counter, IssueRequest, Renewal};
use tokens::{Module, Pin, Profile, TokenError};
use x509_parser::prelude::FromDer;

use crate::cli::{CaCommand, TokenAt, TokenCommand};
use printers::named_file::NewFile;

use crate::output::{self, errln, outln};
use crate::{Context, KioskError};

/// The CA token's PIN: `KIOSK_CA_PIN`, else asked for on the terminal without echo.
fn ca_pin(ctx: &Context) -> Result<Pin, KioskError> {
    if let Some(pin) = std::env::var_os("KIOSK_CA_PIN") {
        return Ok(Pin::new(pin.to_string_lossy().into_owned()));
    }
    if !std::io::stdin().is_terminal() {
        return Err(KioskError::Message(ctx.t("ca-pin-needed")));
    }
    let answer = rpassword::prompt_password(format!("{} ", ctx.t("ca-pin-prompt")))?;
    Ok(Pin::from(answer))
}

fn open_ca(ctx: &Context) -> Result<OfficeCa, KioskError> {
    let pin = ca_pin(ctx)?;
    Ok(OfficeCa::open(&ctx.data_dir, &pin)?)
}

fn session(at: &TokenAt) -> Result<tokens::pkcs11::TokenSession, KioskError> {
    Ok(Module::load(&at.module)?.open(&at.token_label)?)
}

fn reason_text(ctx: &Context, reason: RevocationReason) -> String {
    let id = match reason {
        RevocationReason::Unspecified => "revocation-reason-unspecified",
        RevocationReason::KeyCompromise => "revocation-reason-key-compromise",
        RevocationReason::AffiliationChanged => "revocation-reason-affiliation-changed",
        RevocationReason::Superseded => "revocation-reason-superseded",
        RevocationReason::CessationOfOperation => "revocation-reason-cessation-of-operation",
    };
    ctx.t(id)
}

fn status_text(ctx: &Context, status: TokenStatus) -> String {
    ctx.t(&format!("token-status-{}", tokens::error::status_name(status)))
}

#[derive(Serialize)]
struct ListedToken<'a> {
    #[serde(flatten)]
    info: &'a tokens::TokenInfo,
    /// The inventory status; `null` for a token the kiosk has not seen yet.
    status: Option<&'static str>,
    /// Locked by the kiosk's count of wrong PINs, or by the device.
    locked: bool,
}

pub fn run_token(ctx: &Context, command: TokenCommand) -> Result<ExitCode, KioskError> {
    match command {
        TokenCommand::List { module, json } => list(ctx, &module, json),
        TokenCommand::Init { at, so_pin, pin } => {
            let (so_pin, pin) = (Pin::from(so_pin), Pin::from(pin));
            let info = Module::load(&at.module)?.init_token(&at.token_label, &so_pin, &pin)?;
            outln!(
                "{}",
                ctx.t_with(
                    "token-initialised",
                    &[("label", info.label.into()), ("serial", info.serial.into())]
                )
            )?;
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Issue {
            module,
            token_label,
            pin,
            profile,
            subject,
            validity_years,
            key,
            holder,
            organisation,
            pkcs12,
            password,
        } => {
            let request = IssueRequest {
                profile: Profile::parse(&profile)?,
                subject: tokens::dn::parse(&subject).map_err(TokenError::from)?,
                validity_years,
                key: key.into(),
                holder_person: holder,
                holder_organisation: organisation,
            };
            let ca = open_ca(ctx)?;
            let mut store = ctx.open_store()?;
            let mut counter = Counter::new(&mut store, None, ctx.config.pin_tries)?;
            let issued = match (pkcs12, module, token_label, pin) {
                (Some(file), ..) => {
                    // Before the CA signs: an issuance whose file cannot go there is not begun.
                    printers::named_file::check_target(&file)
                        .map_err(|e| output::named_file_error(ctx, &e))?;
                    let password = Pin::from(password.unwrap_or_default());
                    let issued =
                        tokens::soft::issue_pkcs12(&mut counter, &ca, &request, &password, &file)?;
                    errln!(
                        "{}",
                        ctx.t_with(
                            "token-pkcs12-written",
                            &[("file", file.to_string_lossy().into_owned().into())]
                        )
                    );
                    issued
                }
                (None, Some(module), Some(token_label), Some(pin)) => {
                    let session = session(&TokenAt { module, token_label })?;
                    counter.login(&session, &Pin::from(pin))?;
                    counter.issue(&ca, &session, &request)?
                }
                // clap requires module, label and PIN unless --pkcs12 is given.
                _ => return Ok(ExitCode::from(2)),
            };
            output::json_line(&issued)?;
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Renew { at, pin, same_key, new_key: _, validity_years } => {
            let ca = open_ca(ctx)?;
            let session = session(&at)?;
            let mut store = ctx.open_store()?;
            let mut counter = Counter::new(&mut store, None, ctx.config.pin_tries)?;
            counter.login(&session, &Pin::from(pin))?;
            let renewal = if same_key { Renewal::SameKey } else { Renewal::NewKey };
            let issued = counter.renew(&ca, &session, renewal, validity_years)?;
            output::json_line(&issued)?;
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Unlock { at, so_pin, new_pin } => {
            let session = session(&at)?;
            let mut store = ctx.open_store()?;
            let mut counter = Counter::new(&mut store, None, ctx.config.pin_tries)?;
            counter.unlock(&session, &Pin::from(so_pin), &Pin::from(new_pin))?;
            outln!("{}", ctx.t("token-unlocked"))?;
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::ChangePin { at, pin, new_pin } => {
            let session = session(&at)?;
            let mut store = ctx.open_store()?;
            let mut counter = Counter::new(&mut store, None, ctx.config.pin_tries)?;
            counter.change_pin(&session, &Pin::from(pin), &Pin::from(new_pin))?;
            outln!("{}", ctx.t("token-pin-changed"))?;
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Revoke { serial, reason } => {
            let reason: RevocationReason = reason.into();
            let mut store = ctx.open_store()?;
            let mut counter = Counter::new(&mut store, None, ctx.config.pin_tries)?;
            let revoked = counter.revoke(&serial, reason)?;
            let serial = revoked.serial.unwrap_or(serial);
            outln!(
                "{}",
                ctx.t_with(
                    "token-revoked",
                    &[("serial", serial.into()), ("reason", reason_text(ctx, reason).into())]
                )
            )?;
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Report { serial, status } => {
            let status: TokenStatus = status.into();
            let mut store = ctx.open_store()?;
            let mut counter = Counter::new(&mut store, None, ctx.config.pin_tries)?;
            let token = counter.report_serial(&serial, status)?;
            outln!(
                "{}",
                ctx.t_with(
                    "token-reported",
                    &[("serial", token.serial.into()), ("status", status_text(ctx, status).into())]
                )
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(ctx: &Context, module: &Path, json: bool) -> Result<ExitCode, KioskError> {
    let module = Module::load(module)?;
    let found = module.tokens()?;
    let mut store = ctx.open_store()?;
    finish_interrupted(ctx, &mut store)?;
    if found.is_empty() && !json {
        errln!("{}", ctx.t("token-list-none"));
    }
    let mut listed = Vec::new();
    for info in &found {
        let record = match info.initialized {
            true => store.token_by_serial(&info.serial)?,
            false => None,
        };
        let locked = info.device_locked
            || record.as_ref().is_some_and(|t| t.pin_failures >= ctx.config.pin_tries);
        listed.push(ListedToken {
            info,
            status: record.as_ref().map(|t| tokens::error::status_name(t.status)),
            locked,
        });
    }
    if json {
        output::json_line(&listed)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !listed.is_empty() {
        outln!(
            "{:<24}  {:<18}  {:<28}  {}",
            ctx.t("token-list-label"),
            ctx.t("token-list-serial"),
            ctx.t("token-list-model"),
            ctx.t("token-list-status")
        )?;
    }
    for token in &listed {
        let mut status = match token.status {
            Some(name) => ctx.t(&format!("token-status-{name}")),
            None if !token.info.initialized => ctx.t("token-status-uninitialised"),
            None => ctx.t("token-status-new"),
        };
        if token.locked {
            status = format!("{status}, {}", ctx.t("token-status-locked"));
        }
        let model = format!("{} {}", token.info.manufacturer, token.info.model);
        outln!("{:<24}  {:<18}  {:<28}  {status}", token.info.label, token.info.serial, model)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Revokes the certificates of issuances that stopped half-way, saying so on stderr; those it
/// cannot revoke yet are named with the reason, and stay pending for the next run.
fn finish_interrupted(ctx: &Context, store: &mut store::Store) -> Result<(), KioskError> {
    let deliveries = Deliveries::at(&ctx.data_dir);
    let mut counter = Counter::new(store, None, ctx.config.pin_tries)?;
    match counter.finish_interrupted(&deliveries) {
        Ok(revoked) => {
            for serial in revoked {
                errln!("{}", ctx.t_with("token-interrupted-revoked", &[("serial", serial.into())]));
            }
        }
        Err(err) => {
            let detail = localised(ctx, &err);
            for serial in deliveries.pending()? {
                errln!(
                    "{}",
                    ctx.t_with(
                        "token-interrupted-pending",
                        &[("serial", serial.into()), ("detail", detail.clone().into())]
                    )
                );
            }
        }
    }
    Ok(())
}

fn subject_of(der: &[u8]) -> String {
    x509_parser::certificate::X509Certificate::from_der(der)
        .map(|(_, c)| c.subject().to_string())
        .unwrap_or_default()
}

pub fn run_ca(ctx: &Context, command: CaCommand) -> Result<ExitCode, KioskError> {
    match command {
        CaCommand::Init { at, out_cert, name } => {
            let pin = ca_pin(ctx)?;
            let module = Module::load(&at.module)?;
            let office = name.unwrap_or_else(|| ctx.config.office.clone());
            let store = ctx.open_store()?;
            let made =
                ca::init(&ctx.data_dir, &module, &at.token_label, &pin, &office, store.now())?;
            let chain = ca::pem_chain(&made.chain);
            output::to_named_file(ctx, &out_cert, chain.as_bytes(), NewFile::Readable)?;
            audit_ca(ctx, registry::audit::AuditAction::CaInitialised)?;
            outln!(
                "{}",
                ctx.t_with(
                    "ca-init-done",
                    &[
                        ("subject", subject_of(&made.chain[0]).into()),
                        ("file", out_cert.to_string_lossy().into_owned().into())
                    ]
                )
            )?;
            Ok(ExitCode::SUCCESS)
        }
        CaCommand::Request { at, subject, out } => {
            let pin = ca_pin(ctx)?;
            let subject = tokens::dn::parse(&subject).map_err(TokenError::from)?;
            let module = Module::load(&at.module)?;
            let csr = ca::request(&module, &at.token_label, &pin, &subject)?;
            output::to_named_file(ctx, &out, csr.as_bytes(), NewFile::Readable)?;
            outln!(
                "{}",
                ctx.t_with(
                    "ca-request-done",
                    &[("file", out.to_string_lossy().into_owned().into())]
                )
            )?;
            Ok(ExitCode::SUCCESS)
        }
        CaCommand::Import { at, chain } => {
            let pin = ca_pin(ctx)?;
            // The file the operator named: capped, and only if it is a file (not a FIFO).
            let text = card_readers::input::read_file(
                &chain,
                card_readers::input::MAX_CERTIFICATE_FILE_BYTES,
            )
            .map_err(|e| KioskError::Refused(ctx.t_pairs(e.message_id(), e.message_args())))?;
            let module = Module::load(&at.module)?;
            ca::import(&ctx.data_dir, &module, &at.token_label, &pin, &text)?;
            audit_ca(ctx, registry::audit::AuditAction::CaImported)?;
            let first = ca::read_pem_chain(&text)?;
            outln!(
                "{}",
                ctx.t_with(
                    "ca-import-done",
                    &[("subject", subject_of(&first[0]).into()), ("label", at.token_label.into())]
                )
            )?;
            Ok(ExitCode::SUCCESS)
        }
        CaCommand::Crl { out } => {
            let ca = open_ca(ctx)?;
            let mut store = ctx.open_store()?;
            let mut counter = Counter::new(&mut store, None, ctx.config.pin_tries)?;
            let (der, count) = counter.crl(&ca)?;
            output::to_named_file(ctx, &out, &der, NewFile::Readable)?;
            outln!(
                "{}",
                ctx.t_with(
                    "ca-crl-done",
                    &[("file", out.to_string_lossy().into_owned().into()), ("count", count.into())]
                )
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn audit_ca(ctx: &Context, action: registry::audit::AuditAction) -> Result<(), KioskError> {
    let mut store = ctx.open_store()?;
    let event = registry::audit::AuditEvent {
        id: ulid::Ulid::new(),
        at: store.now(),
        kiosk: store.kiosk_id().to_owned(),
        clerk: None,
        action,
        subject_kind: None,
        subject: None,
    };
    store.put(None, &event)?;
    Ok(())
}

/// The clerk's sentence for a token error: its own message, or the domain's for lifecycle
/// refusals; PIN rules name each rule broken, and a refused subject says which attribute and
/// why.
/// The clerk's sentence for a token error, whatever layer it came from (an issuance that failed
/// half-way names its cause, itself a store or disk failure as often as a token's).
pub fn localised(ctx: &Context, err: &TokenError) -> String {
    match err {
        TokenError::PinRules(ids) => {
            let rules: Vec<String> = ids.iter().map(|id| ctx.t(id)).collect();
            ctx.t_with("token-error-pin-rules", &[("detail", rules.join(" ").into())])
        }
        TokenError::Lifecycle(e) => ctx.t(e.message_id()),
        TokenError::Subject(e) => {
            let detail = ctx.t_pairs(e.message_id(), e.message_args());
            ctx.t_with("token-error-subject", &[("detail", detail.into())])
        }
        TokenError::NotDelivered { serial, cause } => ctx.t_with(
            "token-error-not-delivered",
            &[("serial", serial.clone().into()), ("detail", localised(ctx, cause).into())],
        ),
        TokenError::RevocationPending { serial, cause, revocation } => ctx.t_with(
            "token-error-revocation-pending",
            &[
                ("serial", serial.clone().into()),
                ("detail", localised(ctx, cause).into()),
                ("reason", localised(ctx, revocation).into()),
            ],
        ),
        TokenError::Store(e) => crate::store_error_text(ctx, e),
        other => match other.message_id() {
            Some(id) => ctx.t_pairs(id, other.message_args()),
            None => ctx.t_with("error-failed", &[("detail", other.to_string().into())]),
        },
    }
}

/// Whether the error is the kiosk refusing (exit 1) rather than failing (exit 70).
pub fn is_refusal(err: &TokenError) -> bool {
    matches!(
        err,
        TokenError::WrongPin { .. }
            | TokenError::Locked
            | TokenError::WrongSoPin
            | TokenError::WrongCaPin
            | TokenError::WrongStockPin
            | TokenError::Lost
            | TokenError::NotUsable(_)
            | TokenError::PinRules(_)
            | TokenError::Subject(_)
            | TokenError::UnknownProfile(_)
            | TokenError::SoftNotAllowed(_)
            | TokenError::KeyType(_)
            | TokenError::CaExists
            | TokenError::CaNotConfigured
            | TokenError::CertificateNotFound(_)
            | TokenError::NoToken(_)
            | TokenError::LabelTooLong(_)
            | TokenError::NoCertificate
            | TokenError::Lifecycle(_)
    )
}
