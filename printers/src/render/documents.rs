//! Where each document puts what: the application form after the CA's paper form (seeds 002,
//! 003), the receipt, the renewal completion notice, the queue ticket and the day-end report.

mod day_end;

use registry::model::{CertificateClass, HolderKind, Money, Service};
use time::OffsetDateTime;

use super::RenderError;
use super::canvas::{MM, Op, Sheet, Style};
use super::layout::{
    Align, Block, Cell, HEADING, LABEL, PAD_X, PAD_Y, Page, Qr, SMALL, VALUE, Writer, bold, plain,
};
use super::text::Shaper;
use crate::document::{
    ApplicationForm, Document, Evidence, Layout, Operation, QueueTicket, Receipt, RenewalNotice,
};

/// The label column of the field tables.
const LABEL_W: f32 = 28.0 * MM;

pub(super) fn title_id(doc: &Document) -> &'static str {
    match doc {
        Document::ApplicationForm(_) => "printed-form-title",
        Document::Receipt(_) => "printed-receipt-title",
        Document::RenewalNotice(_) => "printed-notice-title",
        Document::QueueTicket(_) => "printed-ticket-title",
        Document::DayEnd(_) => "day-end-title",
    }
}

pub(super) fn lay_out(
    doc: &Document,
    layout: Layout,
    (regular, bold): (Shaper<'_>, Shaper<'_>),
    qr: Option<&Qr>,
) -> Result<Vec<Sheet>, RenderError> {
    if let Document::QueueTicket(ticket) = doc {
        let mut w = Writer::new(layout, regular, bold, ticket_page());
        queue_ticket(&mut w, ticket)?;
        return Ok(w.finish_fitted());
    }
    let mut w = Writer::new(layout, regular, bold, Page::a4());
    let footer = match doc {
        Document::ApplicationForm(form) => {
            application_form(&mut w, form, qr)?;
            footer_text(&form.office, &form.reference)
        }
        Document::Receipt(receipt) => {
            self::receipt(&mut w, receipt, qr)?;
            footer_text(&receipt.office, &receipt.reference)
        }
        Document::RenewalNotice(notice) => {
            renewal_notice(&mut w, notice, qr)?;
            footer_text(&notice.office, &notice.reference)
        }
        Document::DayEnd(sheet) => {
            day_end::day_end(&mut w, sheet)?;
            format!("{} · {} · {}", sheet.office, sheet.kiosk, sheet.day)
        }
        Document::QueueTicket(_) => return Err(RenderError::Layout("queue ticket on A4")),
    };
    w.finish(Some(&footer))
}

fn footer_text(office: &str, reference: &str) -> String {
    format!("{office} · {reference}")
}

// ---- shared rows ----

/// Two label/value pairs side by side.
fn pair_row(w: &Writer<'_>, pairs: [(&str, &str); 2]) -> Result<Vec<Cell>, RenderError> {
    let value_w = (w.body_width() - 2.0 * LABEL_W) / 2.0;
    let mut row = Vec::with_capacity(4);
    for (id, value) in pairs {
        row.push(w.label_cell(id, LABEL_W)?);
        row.push(w.value_cell(value, value_w, Align::Left)?);
    }
    Ok(row)
}

/// One label with its value across the rest of the row.
fn wide_row(w: &Writer<'_>, id: &str, value: &str) -> Result<Vec<Cell>, RenderError> {
    Ok(vec![
        w.label_cell(id, LABEL_W)?,
        w.value_cell(value, w.body_width() - LABEL_W, Align::Left)?,
    ])
}

/// A row of translated labels as a table header.
fn header_row(w: &Writer<'_>, cols: &[(&str, f32)]) -> Result<Vec<Cell>, RenderError> {
    cols.iter().map(|(id, width)| w.label_cell(id, *width)).collect()
}

/// A cell holding a text in each of the layout's languages (certificate names, validity).
fn texts_cell(w: &Writer<'_>, texts: &[String], width: f32) -> Result<Cell, RenderError> {
    let block = w.stack(texts, plain(VALUE), width - 2.0 * PAD_X, Align::Left)?;
    Ok(w.block_cell(block, width))
}

fn money(amount: Money) -> String {
    amount.to_string()
}

/// Totals per currency (a list in one currency has one).
fn totals(amounts: impl IntoIterator<Item = Money>) -> Vec<Money> {
    let mut sums: Vec<Money> = Vec::new();
    for amount in amounts {
        match sums.iter_mut().find(|m| m.currency == amount.currency) {
            Some(sum) => sum.minor = sum.minor.saturating_add(amount.minor),
            None => sums.push(amount),
        }
    }
    sums
}

fn class_id(class: CertificateClass) -> &'static str {
    match class {
        CertificateClass::Qualified => "printed-class-qualified",
        CertificateClass::Standard => "printed-class-standard",
        CertificateClass::Encryption => "printed-class-encryption",
        CertificateClass::CloudSign => "printed-class-cloud-sign",
    }
}

fn holder_id(holder: HolderKind) -> &'static str {
    match holder {
        HolderKind::Organisation => "printed-holder-organisation",
        HolderKind::Person => "printed-holder-person",
        HolderKind::PersonInOrganisation => "printed-holder-person-in-organisation",
        HolderKind::LegalRepresentative => "printed-holder-legal-representative",
    }
}

fn evidence_id(evidence: Evidence) -> &'static str {
    match evidence {
        Evidence::BusinessLicence => "printed-evidence-business-licence",
        Evidence::LegalRepresentativeId => "printed-evidence-legal-representative-id",
        Evidence::AgentId => "printed-evidence-agent-id",
        Evidence::SocialSecurityNumber => "printed-evidence-social-security-number",
        Evidence::TaxpayerId => "printed-evidence-taxpayer-id",
    }
}

pub(super) fn service_id(service: Service) -> &'static str {
    match service {
        Service::NewIssuance => "printed-service-new-issuance",
        Service::Renewal => "printed-service-renewal",
        Service::Change => "printed-service-change",
        Service::Replacement => "printed-service-replacement",
        Service::PinUnlock => "printed-service-pin-unlock",
        Service::Revocation => "printed-service-revocation",
        Service::Redispatch => "printed-service-redispatch",
    }
}

// ---- application form ----

/// The operation-type boxes in the paper form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OperationBox {
    Apply,
    Renew,
    Replace,
    PinUnlock,
    Change,
    Other,
}

impl OperationBox {
    pub const ALL: [OperationBox; 6] = [
        OperationBox::Apply,
        OperationBox::Renew,
        OperationBox::Replace,
        OperationBox::PinUnlock,
        OperationBox::Change,
        OperationBox::Other,
    ];

    fn id(self) -> &'static str {
        match self {
            OperationBox::Apply => "printed-op-apply",
            OperationBox::Renew => "printed-op-renew",
            OperationBox::Replace => "printed-op-replace",
            OperationBox::PinUnlock => "printed-op-pin-unlock",
            OperationBox::Change => "printed-op-change",
            OperationBox::Other => "printed-op-other",
        }
    }

    /// Whether the form asks for it, and the details written beside it.
    pub fn state(self, operations: &[Operation]) -> (bool, String) {
        let mut ticked = false;
        let mut details: Vec<&str> = Vec::new();
        for op in operations {
            let (matches, detail) = match (self, op) {
                (OperationBox::Apply, Operation::Apply)
                | (OperationBox::Renew, Operation::Renew)
                | (OperationBox::Replace, Operation::Replace)
                | (OperationBox::PinUnlock, Operation::PinUnlock) => (true, None),
                (OperationBox::Change, Operation::Change { details })
                | (OperationBox::Other, Operation::Other { details }) => (true, Some(details)),
                _ => (false, None),
            };
            ticked |= matches;
            if let Some(detail) = detail.map(|d| d.trim()).filter(|d| !d.is_empty()) {
                details.push(detail);
            }
        }
        (ticked, details.join("; "))
    }
}

fn application_form(
    w: &mut Writer<'_>,
    form: &ApplicationForm,
    qr: Option<&Qr>,
) -> Result<(), RenderError> {
    let organisation = form.organisation.as_ref();
    let kind = match organisation {
        Some(_) => "printed-form-kind-organisation",
        None => "printed-form-kind-personal",
    };
    let meta = [
        ("printed-reference", form.reference.clone()),
        ("printed-date", w.date(form.date)),
        ("printed-office", form.office.clone()),
    ];
    w.header("printed-form-title", Some(kind), &meta, qr, &form.reference)?;
    let instruction = w.inline_or_stacked(
        "printed-form-instruction",
        Style { ink: 40, ..plain(LABEL) },
        w.content_width(),
    )?;
    w.place(instruction, 0.0);
    w.skip(1.2 * MM);

    if let Some(org) = organisation {
        let rows = vec![
            wide_row(w, "printed-org-name", &org.name)?,
            pair_row(
                w,
                [
                    ("printed-org-registration", &org.registration_number),
                    ("printed-org-legal-rep", &org.legal_representative),
                ],
            )?,
            pair_row(
                w,
                [
                    ("printed-org-phone", &org.phone),
                    ("printed-org-office-phone", &org.office_phone),
                ],
            )?,
            pair_row(
                w,
                [("printed-org-website", &org.website), ("printed-org-address", &org.address)],
            )?,
        ];
        w.section("printed-section-organisation", rows)?;
    }

    let person = &form.person;
    let (section, name_id) = match organisation {
        Some(_) => ("printed-section-agent", "printed-person-name-agent"),
        None => ("printed-section-applicant", "printed-person-name-applicant"),
    };
    let self_collect = w.texts("printed-self-collect").join(" / ");
    let postal = person.postal_address.as_deref().unwrap_or(&self_collect);
    let rows = vec![
        pair_row(
            w,
            [(name_id, &person.name), ("printed-person-id-document", &person.id_document)],
        )?,
        pair_row(
            w,
            [
                ("printed-person-id-number", &person.id_number),
                ("printed-person-mobile", &person.mobile),
            ],
        )?,
        pair_row(w, [("printed-person-email", &person.email), ("printed-person-postal", postal)])?,
    ];
    w.section(section, rows)?;

    if !form.evidence.is_empty() {
        let type_w = 96.0 * MM;
        let number_w = w.body_width() - type_w;
        let mut rows = vec![vec![
            w.wide_label_cell("printed-evidence-type", type_w)?,
            w.wide_label_cell("printed-evidence-number", number_w)?,
        ]];
        for (evidence, number) in &form.evidence {
            let mut label = w.wide_label_cell(evidence_id(*evidence), type_w)?;
            label.fill = None;
            rows.push(vec![label, w.value_cell(number, number_w, Align::Left)?]);
        }
        w.section("printed-section-evidence", rows)?;
    }

    let project = w.value_cell(&form.project, w.body_width(), Align::Left)?;
    w.section("printed-section-project", vec![vec![project]])?;

    let boxes = operation_boxes(w, &form.operations)?;
    let width = w.body_width();
    w.section("printed-section-operation", vec![vec![w.block_cell(boxes, width)]])?;

    if !form.certificates.is_empty() {
        certificates(w, form)?;
    }

    let (section, text_id) = match organisation {
        Some(_) => ("printed-section-declaration-organisation", "printed-declaration-organisation"),
        None => ("printed-section-declaration-personal", "printed-declaration-personal"),
    };
    let inner = w.body_width() - 2.0 * PAD_X;
    let declaration = w.stack(&w.texts(text_id), plain(8.2), inner, Align::Left)?;
    let width = w.body_width();
    w.section(section, vec![vec![w.block_cell(declaration, width)]])?;

    signatures(w, organisation.is_some())?;
    Ok(())
}

/// The six operation boxes, three to a line, the asked-for ones ticked.
fn operation_boxes(w: &Writer<'_>, operations: &[Operation]) -> Result<Block, RenderError> {
    let inner = w.body_width() - 2.0 * PAD_X;
    let column = inner / 3.0;
    let side = 3.4 * MM;
    let label_x = side + 1.6 * MM;
    let mut block = Block::new(inner);
    for line in OperationBox::ALL.chunks(3) {
        let mut line_block = Block::new(inner);
        for (i, op) in line.iter().enumerate() {
            let (ticked, details) = op.state(operations);
            let mut item = Block::new(column);
            item.ops.push(Op::Rect {
                x: 0.0,
                y: 0.6 * MM,
                w: side,
                h: side,
                stroke: Some(0.8),
                fill: None,
            });
            if ticked {
                item.ops.push(Op::Tick { x: 0.0, y: 0.6 * MM, side });
            }
            let text_w = column - label_x - 1.0 * MM;
            let mut text = w.label(op.id(), plain(LABEL), text_w, Align::Left)?;
            if !details.is_empty() {
                text.append(w.para(&details, plain(VALUE), text_w, Align::Left)?, 0.0);
            }
            item.overlay(text, label_x, 0.0);
            line_block.overlay(item, column * i as f32, 0.0);
        }
        if block.height > 0.0 {
            block.gap(1.2 * MM);
        }
        block.append(line_block, 0.0);
    }
    Ok(block)
}

fn certificates(w: &mut Writer<'_>, form: &ApplicationForm) -> Result<(), RenderError> {
    let body = w.body_width();
    let (type_w, validity_w) = (78.0 * MM, 32.0 * MM);
    let fee_w = body - type_w - validity_w;
    let mut rows = vec![header_row(
        w,
        &[
            ("printed-cert-type", type_w),
            ("printed-cert-validity", validity_w),
            ("printed-cert-fee", fee_w),
        ],
    )?];
    for line in &form.certificates {
        let names: Vec<String> = w
            .layout
            .languages()
            .iter()
            .map(|lang| {
                let class = i18n::text(*lang, class_id(line.class));
                let holder = i18n::text(*lang, holder_id(line.holder_kind));
                i18n::text_with(
                    *lang,
                    "printed-cert-line",
                    &[("class", class.into()), ("holder", holder.into())],
                )
            })
            .collect();
        let years = line.validity_years.to_string();
        let validity = match line.validity_years {
            1 => w.texts("printed-validity-one-year"),
            _ => w.texts_with("printed-validity-years", &[("years", years.into())]),
        };
        let fee = line.fee.map(money).unwrap_or_else(|| "—".to_owned());
        rows.push(vec![
            texts_cell(w, &names, type_w)?,
            texts_cell(w, &validity, validity_w)?,
            w.value_cell(&fee, fee_w, Align::Right)?,
        ]);
    }
    if form.certificates.len() > 1 {
        let sums = totals(form.certificates.iter().filter_map(|c| c.fee));
        let text: Vec<String> = sums.into_iter().map(money).collect();
        rows.push(vec![
            w.label_cell("printed-total", type_w + validity_w)?,
            w.value_cell(&text.join("\n"), fee_w, Align::Right)?,
        ]);
    }
    w.section("printed-section-certificates", rows)
}

/// The signature box with its date line and, for an organisation, the company stamp box.
fn signatures(w: &mut Writer<'_>, organisation: bool) -> Result<(), RenderError> {
    let body = w.body_width();
    // Room for a round company seal (40 mm in the Mainland) when the page has it.
    let height = if w.room() >= 30.0 * MM { w.room().min(46.0 * MM) } else { 30.0 * MM };
    let inner_h = height - 2.0 * PAD_Y;
    let (sign_id, sign_w) = match organisation {
        true => ("printed-sign-agent", body / 2.0),
        false => ("printed-sign-applicant", body),
    };
    let inner = sign_w - 2.0 * PAD_X;
    let mut sign = Block::new(inner);
    sign.append(w.label(sign_id, plain(LABEL), inner, Align::Left)?, 0.0);
    let date_line = w.stack(&w.texts("printed-date-line"), plain(LABEL), inner, Align::Left)?;
    let date_top = inner_h - date_line.height;
    sign.overlay(date_line, 0.0, date_top);
    let mut row = vec![Cell { width: sign_w, block: sign, fill: None, min_height: height }];
    if organisation {
        let stamp_w = body - sign_w;
        let inner = stamp_w - 2.0 * PAD_X;
        let stamp = w.label("printed-stamp", plain(LABEL), inner, Align::Left)?;
        row.push(Cell { width: stamp_w, block: stamp, fill: None, min_height: height });
    }
    w.section("printed-section-signature", vec![row])
}

// ---- receipt ----

fn receipt(w: &mut Writer<'_>, receipt: &Receipt, qr: Option<&Qr>) -> Result<(), RenderError> {
    let meta = [
        ("printed-reference", receipt.reference.clone()),
        ("printed-date", w.date(receipt.date)),
        ("printed-office", receipt.office.clone()),
    ];
    w.header("printed-receipt-title", None, &meta, qr, &receipt.reference)?;

    let rows = vec![
        wide_row(w, "printed-receipt-payer", &receipt.payer)?,
        wide_row(w, "printed-receipt-payment-reference", &receipt.payment_reference)?,
    ];
    w.section("printed-section-payment", rows)?;

    let body = w.body_width();
    let amount_w = 45.0 * MM;
    let item_w = body - amount_w;
    let mut rows = vec![header_row(
        w,
        &[("printed-receipt-item", item_w), ("printed-receipt-amount", amount_w)],
    )?];
    for (label, amount) in &receipt.lines {
        rows.push(vec![
            w.value_cell(label, item_w, Align::Left)?,
            w.value_cell(&money(*amount), amount_w, Align::Right)?,
        ]);
    }
    let total = w.para(&money(receipt.total), bold(VALUE), amount_w - 2.0 * PAD_X, Align::Right)?;
    rows.push(vec![w.label_cell("printed-total", item_w)?, w.block_cell(total, amount_w)]);
    w.section("printed-section-fees", rows)?;

    if let Some(invoice) = &receipt.invoice {
        let kind = match invoice.kind.as_str() {
            "ordinary" => w.texts("printed-invoice-ordinary").join(" / "),
            "vat_special" => w.texts("printed-invoice-vat-special").join(" / "),
            other => other.to_owned(),
        };
        let rows = vec![
            pair_row(
                w,
                [
                    ("printed-invoice-kind", &kind),
                    ("printed-invoice-taxpayer-id", &invoice.taxpayer_id),
                ],
            )?,
            wide_row(w, "printed-invoice-title", &invoice.title)?,
            pair_row(
                w,
                [("printed-person-email", &invoice.email), ("printed-invoice-bank", &invoice.bank)],
            )?,
            wide_row(w, "printed-invoice-address", &invoice.address)?,
        ];
        w.section("printed-section-invoice", rows)?;
    }

    w.skip(3.0 * MM);
    let note = w.label(
        "printed-receipt-note",
        Style { ink: 60, ..plain(SMALL + 0.5) },
        w.content_width(),
        Align::Left,
    )?;
    w.place(note, 0.0);
    Ok(())
}

// ---- renewal notice ----

fn renewal_notice(
    w: &mut Writer<'_>,
    notice: &RenewalNotice,
    qr: Option<&Qr>,
) -> Result<(), RenderError> {
    let meta = [
        ("printed-reference", notice.reference.clone()),
        ("printed-date", w.date(notice.date)),
        ("printed-office", notice.office.clone()),
    ];
    w.header("printed-notice-title", None, &meta, qr, &notice.reference)?;

    let body =
        w.stack(&w.texts("printed-notice-body"), plain(VALUE), w.content_width(), Align::Left)?;
    w.place(body, 0.0);
    w.skip(3.0 * MM);

    w.section(
        "printed-notice-holder",
        vec![vec![w.value_cell(&notice.holder, w.body_width(), Align::Left)?]],
    )?;

    let value_w = (w.body_width() - LABEL_W) / 2.0;
    let mut head = vec![w.label_cell("printed-notice-item", LABEL_W)?];
    head.extend(header_row(
        w,
        &[("printed-notice-old", value_w), ("printed-notice-new", value_w)],
    )?);
    let rows = vec![
        head,
        vec![
            w.label_cell("printed-notice-serial", LABEL_W)?,
            w.value_cell(&notice.old_serial, value_w, Align::Left)?,
            w.value_cell(&notice.new_serial, value_w, Align::Left)?,
        ],
        vec![
            w.label_cell("printed-notice-expiry", LABEL_W)?,
            w.value_cell(&w.date(notice.old_expiry), value_w, Align::Left)?,
            w.value_cell(&w.date(notice.new_expiry), value_w, Align::Left)?,
        ],
    ];
    w.section("printed-section-certificates-renewed", rows)
}

// ---- queue ticket ----

fn ticket_page() -> Page {
    Page {
        width: 80.0 * MM,
        height: 200.0 * MM,
        margin_x: 5.0 * MM,
        margin_top: 5.0 * MM,
        margin_bottom: 5.0 * MM,
    }
}

fn clock(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

fn queue_ticket(w: &mut Writer<'_>, ticket: &QueueTicket) -> Result<(), RenderError> {
    let width = w.content_width();
    let center = Align::Center;
    let office = w.para(&ticket.office, plain(HEADING), width, center)?;
    w.place(office, 0.0);
    w.skip(1.0 * MM);
    let title = w.label("printed-ticket-title", bold(HEADING + 3.0), width, center)?;
    w.place(title, 0.0);
    w.skip(2.0 * MM);
    let rule = |w: &mut Writer<'_>| {
        let (x, y) = (w.left(), w.y);
        let mut block = Block::new(width);
        block.ops.push(Op::Line { x1: 0.0, y1: 0.0, x2: width, y2: 0.0, width: 0.5 });
        w.draw(block, x, y);
        w.skip(2.0 * MM);
    };
    rule(w);

    let label = w.label("printed-ticket-number", plain(LABEL), width, center)?;
    w.place(label, 0.0);
    let number = w.para(&ticket.number, bold(44.0), width, center)?;
    w.place(number, 0.0);
    w.skip(1.0 * MM);
    let service = w.label(service_id(ticket.service), bold(VALUE + 2.0), width, center)?;
    w.place(service, 0.0);
    w.skip(2.0 * MM);
    let waiting = ticket.waiting.to_string();
    let waiting = w.stack(
        &w.texts_with("printed-ticket-waiting", &[("count", waiting.into())]),
        plain(VALUE),
        width,
        center,
    )?;
    w.place(waiting, 0.0);
    w.skip(2.0 * MM);
    rule(w);

    let issued = w.labelled_line("printed-ticket-issued", &clock(ticket.issued_at), width)?;
    let mut centred = Block::new(width);
    let shift = ((width - used_width(&issued)) / 2.0).max(0.0);
    centred.overlay(issued, shift, 0.0);
    w.place(centred, 0.0);
    w.skip(1.5 * MM);
    let note =
        w.label("printed-ticket-note", Style { ink: 60, ..plain(SMALL + 0.5) }, width, center)?;
    w.place(note, 0.0);
    Ok(())
}

/// How far right a block's text reaches (to centre a line built from spans).
fn used_width(block: &Block) -> f32 {
    block
        .ops
        .iter()
        .map(|op| match op {
            Op::Text { x, style, run, .. } => x + run.width(style.size),
            _ => 0.0,
        })
        .fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry::model::Currency;

    #[test]
    fn the_asked_for_operations_are_ticked_with_their_details() {
        let ops = vec![
            Operation::Apply,
            Operation::Change { details: "機構名稱".into() },
            Operation::Other { details: " ".into() },
        ];
        let ticked: Vec<_> =
            OperationBox::ALL.iter().filter(|b| b.state(&ops).0).copied().collect();
        assert_eq!(ticked, [OperationBox::Apply, OperationBox::Change, OperationBox::Other]);
        assert_eq!(OperationBox::Change.state(&ops).1, "機構名稱");
        assert_eq!(OperationBox::Other.state(&ops).1, "");
        assert!(!OperationBox::Renew.state(&ops).0);
    }

    #[test]
    fn totals_are_kept_per_currency() {
        let sums = totals([
            Money::new(400, Currency::Mop),
            Money::new(800, Currency::Mop),
            Money::new(100, Currency::Cny),
        ]);
        assert_eq!(sums, [Money::new(1200, Currency::Mop), Money::new(100, Currency::Cny)]);
    }
}
