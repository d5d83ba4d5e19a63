//! The day-end report on A4: who closed which counter's day, the services done by type, fees and
//! refunds by payment method, tokens used, spoiled and lost, forms not back signed, the
//! applications left open, and the supervisor's signature.

use registry::day_end::{ApplicationLine, PaymentTotal};
use registry::model::TokenStatus;
use registry::visit::PaymentMethod;

use super::super::RenderError;
use super::super::canvas::MM;
use super::super::layout::{Align, Cell, LABEL, Writer, plain};
use super::{LABEL_W, header_row, money, service_id, texts_cell};
use crate::document::DayEndSheet;

fn method_id(method: Option<PaymentMethod>) -> &'static str {
    match method {
        Some(PaymentMethod::Cash) => "visit-method-cash",
        Some(PaymentMethod::Card) => "visit-method-card",
        Some(PaymentMethod::Transfer) => "visit-method-transfer",
        None => "day-end-method-none",
    }
}

fn token_status_id(status: TokenStatus) -> &'static str {
    match status {
        TokenStatus::Blank => "token-status-blank",
        TokenStatus::Issued => "token-status-issued",
        TokenStatus::Lost => "token-status-lost",
        TokenStatus::Damaged => "token-status-damaged",
        TokenStatus::Retired => "token-status-retired",
    }
}

/// A time as the office reads it.
fn clock(at: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// "None" across the section's body, in the layout's languages.
fn none_row(w: &Writer<'_>) -> Result<Vec<Cell>, RenderError> {
    Ok(vec![texts_cell(w, &w.texts("day-end-none"), w.body_width())?])
}

pub(in crate::render) fn day_end(
    w: &mut Writer<'_>,
    sheet: &DayEndSheet,
) -> Result<(), RenderError> {
    let mut meta = vec![
        ("day-end-counter", sheet.kiosk.clone()),
        ("day-end-day", w.date(sheet.day)),
        ("printed-office", sheet.office.clone()),
    ];
    match &sheet.closed {
        Some((by, at)) => {
            meta.push(("day-end-closed-by", by.clone()));
            meta.push(("day-end-closed-at", clock(*at)));
        }
        None => meta.push(("day-end-state", w.texts("day-end-not-closed").join(" / "))),
    }
    w.header("day-end-title", None, &meta, None, "")?;
    let report = &sheet.report;
    let body = w.body_width();
    let count_w = 22.0 * MM;

    // Services done, by type.
    let name_w = body - count_w;
    let mut rows =
        vec![header_row(w, &[("day-end-col-service", name_w), ("day-end-col-count", count_w)])?];
    for line in &report.services {
        rows.push(vec![
            texts_cell(w, &w.texts(service_id(line.service)), name_w)?,
            w.value_cell(&line.completed.to_string(), count_w, Align::Right)?,
        ]);
    }
    rows.push(vec![
        w.label_cell("day-end-services-total", name_w)?,
        w.value_cell(&report.services_completed().to_string(), count_w, Align::Right)?,
    ]);
    w.section("day-end-services", rows)?;

    // Fees and refunds, by payment method.
    let amount_w = 45.0 * MM;
    let method_w = body - count_w - amount_w;
    let money_rows =
        |w: &Writer<'_>, lines: &[PaymentTotal]| -> Result<Vec<Vec<Cell>>, RenderError> {
            if lines.is_empty() {
                return Ok(vec![none_row(w)?]);
            }
            let mut rows = vec![header_row(
                w,
                &[
                    ("day-end-col-method", method_w),
                    ("day-end-col-count", count_w),
                    ("day-end-col-amount", amount_w),
                ],
            )?];
            for line in lines {
                rows.push(vec![
                    texts_cell(w, &w.texts(method_id(line.method)), method_w)?,
                    w.value_cell(&line.count.to_string(), count_w, Align::Right)?,
                    w.value_cell(&money(line.total), amount_w, Align::Right)?,
                ]);
            }
            Ok(rows)
        };
    let fees = money_rows(w, &report.payments)?;
    w.section("day-end-fees", fees)?;
    let refunds = money_rows(w, &report.refunds)?;
    w.section("day-end-refunds", refunds)?;

    // Tokens from the inventory.
    let serials_w = body - LABEL_W - count_w;
    let spoiled: Vec<String> = report
        .tokens_spoiled
        .iter()
        .map(|t| format!("{} ({})", t.serial, w.texts(token_status_id(t.status)).join(" / ")))
        .collect();
    let listed_row = |w: &Writer<'_>, id: &str, count: usize, serials: &[String]| {
        Ok::<_, RenderError>(vec![
            w.label_cell(id, LABEL_W)?,
            w.value_cell(&count.to_string(), count_w, Align::Right)?,
            w.value_cell(&serials.join(", "), serials_w, Align::Left)?,
        ])
    };
    let rows = vec![
        listed_row(w, "day-end-tokens-used", report.tokens_used.len(), &report.tokens_used)?,
        listed_row(w, "day-end-tokens-spoiled", spoiled.len(), &spoiled)?,
        listed_row(w, "day-end-tokens-lost", report.tokens_lost.len(), &report.tokens_lost)?,
    ];
    w.section("day-end-tokens", rows)?;

    // Forms printed, and those not back signed.
    let unsigned: Vec<String> =
        report.forms_unsigned.iter().map(|line| line.reference.clone()).collect();
    let rows = vec![
        vec![
            w.label_cell("day-end-forms-printed", LABEL_W)?,
            w.value_cell(&report.forms_printed.to_string(), count_w, Align::Right)?,
            w.value_cell("", serials_w, Align::Left)?,
        ],
        listed_row(w, "day-end-forms-unsigned", unsigned.len(), &unsigned)?,
    ];
    w.section("day-end-forms", rows)?;

    // Applications left open.
    w.section("day-end-open", application_rows(w, &report.open_applications)?)?;

    // The supervisor signs the printed report.
    let inner = body - 2.0 * super::super::layout::PAD_X;
    let label = w.label("day-end-signature", plain(LABEL), inner, Align::Left)?;
    let sign = Cell { width: body, block: label, fill: None, min_height: 24.0 * MM };
    w.section("day-end-signature-section", vec![vec![sign]])
}

fn application_rows(
    w: &Writer<'_>,
    lines: &[ApplicationLine],
) -> Result<Vec<Vec<Cell>>, RenderError> {
    if lines.is_empty() {
        return Ok(vec![none_row(w)?]);
    }
    let body = w.body_width();
    let (reference_w, service_w) = (42.0 * MM, 50.0 * MM);
    let state_w = body - reference_w - service_w;
    let mut rows = vec![header_row(
        w,
        &[
            ("day-end-col-reference", reference_w),
            ("day-end-col-service", service_w),
            ("day-end-col-state", state_w),
        ],
    )?];
    for line in lines {
        let state = format!("application-state-{}", line.state.as_str());
        rows.push(vec![
            w.value_cell(&line.reference, reference_w, Align::Left)?,
            texts_cell(w, &w.texts(service_id(line.service)), service_w)?,
            texts_cell(w, &w.texts(&state), state_w)?,
        ]);
    }
    Ok(rows)
}
