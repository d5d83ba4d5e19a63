//! The script-facing subcommands: identity checks, MRZ parsing, export, search, store upkeep.

use std::io::Read;
use std::process::ExitCode;

use registry::ids::IdKind;
use time::OffsetDateTime;

use crate::output::{self, errln, outln};
use crate::{Context, KioskError};

/// Longer than any MRZ with generous whitespace: more is not an MRZ, and is not read whole.
const MRZ_INPUT_LIMIT: u64 = 4096;

pub fn id_check(ctx: &Context, kind: IdKind, value: &str) -> Result<ExitCode, KioskError> {
    let today = OffsetDateTime::now_utc().to_offset(ctx.office_offset()).date();
    match registry::ids::check_as_of(kind, value, today) {
        Ok(normalised) => {
            outln!("{normalised}")?;
            // Valid, yet worth a second look (a holder older than any living person).
            for warning in registry::ids::warnings_as_of(kind, value, today) {
                errln!("{}", ctx.t_pairs(warning.message_id(), warning.message_args()));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            let reason = ctx.t_pairs(err.message_id(), err.message_args());
            let kind_name = ctx.t(&format!("id-kind-{}", kind.as_str()));
            errln!(
                "{}",
                ctx.t_with(
                    "id-check-invalid",
                    &[("kind", kind_name.into()), ("reason", reason.into())]
                )
            );
            Ok(ExitCode::from(1))
        }
    }
}

pub fn mrz_parse(ctx: &Context) -> Result<ExitCode, KioskError> {
    let mut bytes = Vec::new();
    std::io::stdin().take(MRZ_INPUT_LIMIT + 1).read_to_end(&mut bytes)?;
    let not_mrz = |detail: String| {
        errln!("{}", ctx.t_with("mrz-not-an-mrz", &[("detail", detail.into())]));
        Ok(ExitCode::from(2))
    };
    if bytes.len() as u64 > MRZ_INPUT_LIMIT {
        return not_mrz(ctx.t("mrz-input-too-long"));
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return not_mrz(ctx.t("mrz-input-not-text"));
    };
    let today = OffsetDateTime::now_utc().to_offset(ctx.office_offset()).date();
    match registry::mrz::parse(&text, today) {
        Ok(mrz) => {
            output::json_line(&mrz)?;
            if mrz.valid {
                Ok(ExitCode::SUCCESS)
            } else {
                let separator = match ctx.lang {
                    i18n::Language::ZhHant | i18n::Language::ZhHans => "、",
                    _ => ", ",
                };
                let fields: Vec<String> =
                    mrz.errors.iter().map(|f| ctx.t(&format!("mrz-field-{f}"))).collect();
                errln!(
                    "{}",
                    ctx.t_with("mrz-check-failed", &[("fields", fields.join(separator).into())])
                );
                Ok(ExitCode::from(1))
            }
        }
        Err(err) => not_mrz(ctx.t_pairs(err.message_id(), err.message_args())),
    }
}

pub fn export(ctx: &Context) -> Result<ExitCode, KioskError> {
    let store = ctx.open_store()?;
    let mut out = output::JsonStdout::new();
    let count = store.export_jsonl(&mut out).map_err(|e| out.explain(e.into()))?;
    out.finish()?;
    tracing::info!(records = count, "store exported");
    Ok(ExitCode::SUCCESS)
}

pub fn search(ctx: &Context, text: &str, json: bool, limit: usize) -> Result<ExitCode, KioskError> {
    let store = ctx.open_store()?;
    let hits = store.search(text, limit)?;
    for hit in &hits {
        if json {
            output::json_line(hit)?;
        } else {
            outln!(
                "{}  {:<12}  {}  {}",
                hit.id,
                ctx.t(&format!("record-kind-{}", hit.kind.as_str())),
                hit.name_zh.as_deref().unwrap_or("-"),
                hit.name_latin.as_deref().unwrap_or("-"),
            )?;
        }
    }
    if hits.is_empty() {
        errln!("{}", ctx.t("search-no-hits"));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn store_verify(ctx: &Context) -> Result<ExitCode, KioskError> {
    let store = ctx.open_store()?;
    let report = store.verify_report()?;
    let stats = store.stats()?;
    if !report.is_sound() {
        report_findings(ctx, &report.faults);
        errln!("{}", ctx.t_with("store-inconsistent", &[("count", report.faults.len().into())]));
        return Ok(ExitCode::from(1));
    }
    outln!(
        "{}",
        ctx.t_with(
            "store-verified",
            &[("records", stats.records.into()), ("events", stats.events.into())]
        )
    )?;
    report_awaiting_creation(ctx, report.awaiting_creation.len());
    Ok(ExitCode::SUCCESS)
}

/// `kiosk store rebuild`: the state replayed from the log. A record the log cannot make is kept
/// as it was and listed with why, and the command exits 1: the store is still not sound.
pub fn store_rebuild(ctx: &Context) -> Result<ExitCode, KioskError> {
    let mut store = ctx.open_store()?;
    let report = store.rebuild()?;
    let stats = store.stats()?;
    outln!(
        "{}",
        ctx.t_with(
            "store-rebuilt",
            &[("records", stats.records.into()), ("events", stats.events.into())]
        )
    )?;
    report_awaiting_creation(ctx, report.awaiting_creation.len());
    if report.is_complete() {
        return Ok(ExitCode::SUCCESS);
    }
    report_findings(ctx, &report.kept);
    errln!("{}", ctx.t_with("store-rebuild-kept", &[("count", report.kept.len().into())]));
    Ok(ExitCode::from(1))
}

/// One line a record: kind, id and why it is not sound (ids only: no record values).
fn report_findings(ctx: &Context, findings: &[store::Finding]) {
    for finding in findings {
        let kind = ctx.t(&format!("record-kind-{}", finding.kind.as_str()));
        errln!("{kind} {}  {}", finding.id, ctx.t(finding.fault.message_id()));
    }
}

/// Records replicated before their creation arrived: not damage, but worth saying.
fn report_awaiting_creation(ctx: &Context, count: usize) {
    if count > 0 {
        errln!("{}", ctx.t_with("store-awaiting-creation", &[("count", count.into())]));
    }
}

pub fn store_stats(ctx: &Context) -> Result<ExitCode, KioskError> {
    let store = ctx.open_store()?;
    let stats = store.stats()?;
    // A path is bytes, not always UTF-8: shown lossily rather than refused.
    output::json_line(&serde_json::json!({
        "kiosk_id": store.kiosk_id(),
        "events": stats.events,
        "records": stats.records,
        "path": ctx.store_path().to_string_lossy(),
    }))?;
    Ok(ExitCode::SUCCESS)
}
