//! `kiosk devices`, `kiosk doc read` and `kiosk qr decode`: the counter's readers for scripts
//! and diagnostics, over the card-readers library the visit wizards use.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use card_readers::emrtd::{self, pcsc, reader::ReadError};
use serde::Serialize;
use time::OffsetDateTime;

use crate::cli::DocCommand;
use crate::output::{self, errln, outln};
use crate::{Context, KioskError};

fn refused(text: String) -> KioskError {
    KioskError::Refused(text)
}

fn doc_error(ctx: &Context, err: &ReadError) -> KioskError {
    let text = ctx.t_pairs(err.message_id(), err.message_args());
    match err {
        ReadError::Reader(_) | ReadError::NoService => KioskError::Failed(text),
        _ => refused(text),
    }
}

/// A CSCA trust store that cannot be read: the file's own refusal (too large, not a file) in the
/// clerk's language where there is one.
fn trust_store_error(ctx: &Context, dir: &Path, err: &std::io::Error) -> KioskError {
    let detail =
        match err.get_ref().and_then(|e| e.downcast_ref::<card_readers::input::InputError>()) {
            Some(input) => ctx.t_pairs(input.message_id(), input.message_args()),
            None => err.to_string(),
        };
    KioskError::Failed(ctx.t_with(
        "doc-error-trust-store",
        &[("dir", dir.to_string_lossy().into_owned().into()), ("detail", detail.into())],
    ))
}

fn today(ctx: &Context) -> time::Date {
    OffsetDateTime::now_utc().to_offset(ctx.office_offset()).date()
}

pub fn doc(ctx: &Context, command: DocCommand) -> Result<ExitCode, KioskError> {
    let DocCommand::Read { mrz, cn_reader, photo_out, reader, csca, timeout_ms } = command;
    if let Some(device) = cn_reader {
        return cn_read(ctx, &device, photo_out.as_deref(), Duration::from_millis(timeout_ms));
    }
    let text = mrz.unwrap_or_default();
    let printed = match registry::mrz::parse(&emrtd::mrz_lines(&text), today(ctx)) {
        Ok(mrz) => mrz,
        Err(e) => {
            let detail = ctx.t_pairs(e.message_id(), e.message_args());
            errln!("{}", ctx.t_with("doc-error-not-an-mrz", &[("detail", detail.into())]));
            return Ok(ExitCode::from(2));
        }
    };
    let dir = csca.unwrap_or_else(|| ctx.data_dir.join("csca"));
    let trust = emrtd::load_trust_store(&dir).map_err(|e| trust_store_error(ctx, &dir, &e))?;
    let reading = emrtd::read_document(&printed, reader.as_deref(), &trust, today(ctx))
        .map_err(|e| doc_error(ctx, &e))?;
    if let Some(path) = &photo_out {
        output::to_named_file(ctx, path, &reading.face, printers::named_file::NewFile::OwnerOnly)?;
        errln!(
            "{}",
            ctx.t_with(
                "doc-photo-written",
                &[("file", path.to_string_lossy().into_owned().into())]
            )
        );
    }
    output::json_line(&reading)?;
    let result = if reading.passive_authentication.passed { "pa-passed" } else { "pa-failed" };
    errln!(
        "{}",
        ctx.t_with(
            "doc-read-summary",
            &[
                ("reader", reading.reader.clone().into()),
                ("apdus", reading.apdus.into()),
                ("result", ctx.t(result).into())
            ]
        )
    );
    for check in &reading.passive_authentication.checks {
        let mark = if check.passed { ctx.t("pa-passed") } else { ctx.t("pa-failed") };
        errln!("  {} — {mark}", ctx.t(&format!("pa-check-{}", check.check.replace('_', "-"))));
    }
    // A document whose chip fails passive authentication is not accepted: the answer is "no".
    Ok(if reading.passive_authentication.passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn cn_read(
    ctx: &Context,
    device: &Path,
    photo_out: Option<&Path>,
    timeout: Duration,
) -> Result<ExitCode, KioskError> {
    use card_readers::cn_id::{CnIdReader, DEFAULT_BAUD};
    let fail = |e: card_readers::cn_id::CnReaderError| {
        refused(ctx.t_pairs(e.message_id(), e.message_args()))
    };
    let mut reader = CnIdReader::open(device, DEFAULT_BAUD, timeout).map_err(fail)?;
    let card = reader.read_card().map_err(fail)?;
    if let Some(path) = photo_out {
        output::to_named_file(
            ctx,
            path,
            &card.photo_wlt,
            printers::named_file::NewFile::OwnerOnly,
        )?;
        errln!(
            "{}",
            ctx.t_with(
                "doc-photo-written",
                &[("file", path.to_string_lossy().into_owned().into())]
            )
        );
    }
    output::json_line(&card)?;
    // A card is what the state issued; an age no one reaches is still worth a second look.
    let kind = registry::ids::IdKind::CnResident;
    for warning in registry::ids::warnings_as_of(kind, &card.id_number, today(ctx)) {
        errln!("{}", ctx.t_pairs(warning.message_id(), warning.message_args()));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn qr_decode(ctx: &Context, file: &Path) -> Result<ExitCode, KioskError> {
    let payloads = card_readers::qr::decode_file(file)
        .map_err(|e| refused(ctx.t_pairs(e.message_id(), e.message_args())))?;
    for payload in &payloads {
        output::payload_line(payload)?;
    }
    if payloads.is_empty() {
        errln!("{}", ctx.t(card_readers::qr::NOTHING_FOUND_MESSAGE_ID));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Devices {
    readers: Listing<pcsc::ReaderInfo>,
    cameras: Listing<CameraEntry>,
    tokens: Listing<tokens::TokenInfo>,
    printers: Listing<PrinterEntry>,
    /// The print spool's jobs by state, whether or not a printer is configured: jobs wait
    /// there for whichever printer they were sent to.
    spool: SpoolEntry,
}

/// The spool's state, or why it cannot be read: a damaged spool must not hide the readers.
#[derive(Serialize)]
struct SpoolEntry {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(flatten)]
    counts: printers::spool::SpoolCounts,
}

/// The office's printer as it answers now.
#[derive(Serialize)]
struct PrinterEntry {
    /// The address without credentials.
    printer: String,
    status: printers::ipp_client::PrinterStatus,
    accepting_jobs: bool,
    reasons: Vec<String>,
}

/// How long `kiosk devices` waits for the printer: a status line, not a print job.
const PRINTER_QUERY_TIMEOUT: Duration = Duration::from_secs(2);

fn printer_listing(ctx: &Context) -> Listing<PrinterEntry> {
    let Some(printer) = &ctx.config.printer else {
        return Listing::not_configured(ctx.t("devices-printers-not-configured"));
    };
    let state = printers::ipp_client::printer_state_within(printer, PRINTER_QUERY_TIMEOUT);
    Listing::of(
        state.map(|state| {
            vec![PrinterEntry {
                printer: printers::ipp_client::printer_label(printer),
                status: state.status,
                accepting_jobs: state.accepting_jobs,
                reasons: state.reasons,
            }]
        }),
        |e: &printers::ipp_client::PrintError| ctx.t_pairs(e.message_id(), e.message_args()),
    )
}

/// The IPP `printer-state-reasons` a clerk can act on, in their language; others (rare, and for
/// support) as the printer's own keyword.
const KNOWN_PRINTER_REASONS: &[&str] = &[
    "media-empty",
    "media-needed",
    "media-jam",
    "door-open",
    "cover-open",
    "toner-low",
    "toner-empty",
    "marker-supply-low",
    "marker-supply-empty",
    "paused",
    "offline",
    "shutdown",
];

fn printer_reason(ctx: &Context, keyword: &str) -> String {
    // RFC 8011: a reason may carry a severity suffix.
    let base = ["-error", "-warning", "-report"]
        .iter()
        .find_map(|suffix| keyword.strip_suffix(suffix))
        .unwrap_or(keyword);
    match KNOWN_PRINTER_REASONS.contains(&base) {
        true => ctx.t(&format!("printer-reason-{base}")),
        false => keyword.to_owned(),
    }
}

/// The spool's counts; a spool that was never used has no jobs (and is not created here).
fn spool_entry(ctx: &Context) -> SpoolEntry {
    let path = ctx.data_dir.join("spool.db");
    let counts = match path.exists() {
        false => Ok(printers::spool::SpoolCounts::default()),
        true => printers::spool::Spool::open(&path).and_then(|spool| spool.counts()),
    };
    match counts {
        Ok(counts) => SpoolEntry { status: "ok", detail: None, counts },
        Err(e) => SpoolEntry {
            status: "unavailable",
            detail: Some(ctx.t_pairs(e.message_id(), e.message_args())),
            counts: Default::default(),
        },
    }
}

/// A kind of device: what was found, or why nothing could be listed.
#[derive(Serialize)]
struct Listing<T> {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    devices: Vec<T>,
}

impl<T> Listing<T> {
    fn of<E>(result: Result<Vec<T>, E>, detail: impl Fn(&E) -> String) -> Self {
        match result {
            Ok(devices) => Listing { status: "ok", detail: None, devices },
            Err(e) => {
                Listing { status: "unavailable", detail: Some(detail(&e)), devices: Vec::new() }
            }
        }
    }

    fn not_configured(detail: String) -> Self {
        Listing { status: "not_configured", detail: Some(detail), devices: Vec::new() }
    }
}

#[derive(Serialize)]
struct CameraEntry {
    index: Option<u32>,
    name: String,
}

pub fn devices(
    ctx: &Context,
    json_out: bool,
    module: Option<PathBuf>,
) -> Result<ExitCode, KioskError> {
    let readers =
        Listing::of(pcsc::readers(), |e: &ReadError| ctx.t_pairs(e.message_id(), e.message_args()));
    let cameras = Listing::of(
        card_readers::camera::list_cameras().map(|list| {
            list.into_iter().map(|c| CameraEntry { index: c.index, name: c.name }).collect()
        }),
        |e: &card_readers::camera::CameraError| ctx.t_pairs(e.message_id(), e.message_args()),
    );
    let module = module.or_else(|| ctx.config.token_module.clone().map(PathBuf::from));
    let tokens = match module {
        Some(path) => Listing::of(
            tokens::Module::load(&path).and_then(|m| m.tokens()),
            |e: &tokens::TokenError| crate::token_cmd::localised(ctx, e),
        ),
        None => Listing::not_configured(ctx.t("devices-tokens-no-module")),
    };
    let printers = printer_listing(ctx);
    let spool = spool_entry(ctx);
    let all = Devices { readers, cameras, tokens, printers, spool };
    if json_out {
        output::json_line(&all)?;
        return Ok(ExitCode::SUCCESS);
    }
    let section = |title: &str,
                   listing_status: &str,
                   detail: &Option<String>,
                   lines: Vec<String>|
     -> Result<(), KioskError> {
        outln!("{title}")?;
        match (listing_status, detail) {
            ("ok", _) if lines.is_empty() => outln!("  {}", ctx.t("devices-none"))?,
            ("ok", _) => {
                for line in lines {
                    outln!("  {line}")?;
                }
            }
            ("unavailable", Some(d)) => {
                outln!("  {}", ctx.t_with("devices-unavailable", &[("detail", d.clone().into())]))?
            }
            (_, Some(d)) => outln!("  {d}")?,
            _ => {}
        }
        Ok(())
    };
    let reader_lines = all
        .readers
        .devices
        .iter()
        .map(|r| {
            let state = if r.card_present {
                ctx.t("devices-card-present")
            } else {
                ctx.t("devices-no-card")
            };
            format!("{} — {state}", r.name)
        })
        .collect();
    section(&ctx.t("devices-readers"), all.readers.status, &all.readers.detail, reader_lines)?;
    let camera_lines = all.cameras.devices.iter().map(|c| c.name.clone()).collect();
    section(&ctx.t("devices-cameras"), all.cameras.status, &all.cameras.detail, camera_lines)?;
    let token_lines =
        all.tokens.devices.iter().map(|t| format!("{} ({})", t.label, t.serial)).collect();
    section(&ctx.t("devices-tokens"), all.tokens.status, &all.tokens.detail, token_lines)?;
    let printer_lines = all
        .printers
        .devices
        .iter()
        .map(|p| {
            let mut state = vec![ctx.t(match p.status {
                printers::ipp_client::PrinterStatus::Idle => "devices-printer-idle",
                printers::ipp_client::PrinterStatus::Processing => "devices-printer-processing",
                printers::ipp_client::PrinterStatus::Stopped => "devices-printer-stopped",
            })];
            if !p.accepting_jobs {
                state.push(ctx.t("devices-printer-not-accepting"));
            }
            state.extend(p.reasons.iter().map(|reason| printer_reason(ctx, reason)));
            format!("{} — {}", p.printer, state.join(", "))
        })
        .collect();
    section(&ctx.t("devices-printers"), all.printers.status, &all.printers.detail, printer_lines)?;
    if let Some(detail) = &all.spool.detail {
        outln!(
            "  {}",
            ctx.t_with("devices-spool-unavailable", &[("detail", detail.clone().into())])
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let spool = &all.spool.counts;
    outln!(
        "  {}",
        ctx.t_with(
            "devices-spool",
            &[
                ("waiting", spool.waiting.into()),
                ("sending", spool.sending.into()),
                ("failed", spool.failed.into()),
                ("printed", spool.printed.into()),
            ]
        )
    )?;
    if let Some(oldest) = spool.oldest_open {
        let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
        let at = oldest.to_offset(ctx.office_offset());
        let at = at.format(format).unwrap_or_else(|_| at.to_string());
        outln!("  {}", ctx.t_with("devices-spool-oldest", &[("at", at.into())]))?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(lang: i18n::Language) -> Context {
        Context { data_dir: "/nonexistent".into(), config: Default::default(), lang }
    }

    #[test]
    fn printer_reasons_are_said_in_the_clerks_words_whatever_their_severity() {
        for lang in i18n::Language::ALL {
            for reason in KNOWN_PRINTER_REASONS {
                let keyword = format!("{reason}-error");
                let said = printer_reason(&ctx(lang), &keyword);
                assert!(!said.contains("printer-reason") && said != keyword, "{lang}: {said}");
            }
        }
        assert_eq!(printer_reason(&ctx(i18n::Language::En), "media-jam-warning"), "paper jam");
        // A keyword the kiosk does not know is shown as the printer sent it, for support.
        assert_eq!(printer_reason(&ctx(i18n::Language::En), "spool-area-full"), "spool-area-full");
    }
}
