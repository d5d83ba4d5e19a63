//! The page builder the documents share: blocks of wrapped text measured before they are
//! placed, a cursor that moves down the page and starts a new page when a block does not fit,
//! labelled sections drawn as ruled tables, the header with the QR code, and the footer.

use time::Date;

use super::RenderError;
use super::canvas::{MM, Op, Sheet, Style};
use super::text::{Run, Shaper};
use crate::document::Layout;

/// Sizes in points.
pub(super) const TITLE: f32 = 17.0;
pub(super) const HEADING: f32 = 9.0;
pub(super) const LABEL: f32 = 8.5;
pub(super) const VALUE: f32 = 9.5;
pub(super) const SMALL: f32 = 7.5;
/// A second-language label is this much smaller than the first, and grey.
pub(super) const SECONDARY: f32 = 0.78;
pub(super) const SECONDARY_INK: u8 = 70;
pub(super) const BORDER: f32 = 0.6;
pub(super) const PAD_X: f32 = 1.6 * MM;
pub(super) const PAD_Y: f32 = 0.9 * MM;
pub(super) const MIN_ROW: f32 = 6.5 * MM;
/// The column holding the section titles.
pub(super) const SECTION_W: f32 = 24.0 * MM;
pub(super) const LABEL_FILL: u8 = 242;
pub(super) const SECTION_FILL: u8 = 228;

/// Line height as a multiple of the font size, and where the baseline sits in the em box
/// (Noto CJK's ideographic box spans 0.88 em above the baseline and 0.12 below).
const LEADING: f32 = 1.22;
const ASCENT: f32 = 0.88;

pub(super) fn line_height(size: f32) -> f32 {
    size * LEADING
}

pub(super) fn plain(size: f32) -> Style {
    Style { size, bold: false, ink: 0 }
}

pub(super) fn bold(size: f32) -> Style {
    Style { size, bold: true, ink: 0 }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Center,
    Right,
}

/// Something measured, to be placed: its size and its drawing relative to its top left corner.
#[derive(Debug, Clone, Default)]
pub(super) struct Block {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

impl Block {
    pub fn new(width: f32) -> Block {
        Block { width, height: 0.0, ops: Vec::new() }
    }

    pub fn gap(&mut self, height: f32) {
        self.height += height;
    }

    fn x_for(&self, width: f32, align: Align) -> f32 {
        match align {
            Align::Left => 0.0,
            Align::Center => ((self.width - width) / 2.0).max(0.0),
            Align::Right => (self.width - width).max(0.0),
        }
    }

    /// Runs side by side on one line, sharing a baseline.
    pub fn spans(&mut self, spans: Vec<(Run, Style)>, align: Align) {
        let size = spans.iter().map(|(_, s)| s.size).fold(0.0, f32::max);
        if size <= 0.0 {
            return;
        }
        let height = line_height(size);
        let baseline = self.height + (height - size) / 2.0 + ASCENT * size;
        let total: f32 = spans.iter().map(|(run, style)| run.width(style.size)).sum();
        let mut x = self.x_for(total, align);
        for (run, style) in spans {
            let width = run.width(style.size);
            self.ops.push(Op::Text { x, baseline, style, run });
            x += width;
        }
        self.height += height;
    }

    pub fn line(&mut self, run: Run, style: Style, align: Align) {
        self.spans(vec![(run, style)], align);
    }

    /// `other` below what is there, `dx` from the left.
    pub fn append(&mut self, other: Block, dx: f32) {
        let dy = self.height;
        self.ops.extend(other.ops.into_iter().map(|op| op.moved(dx, dy)));
        self.height += other.height;
    }

    /// `other` drawn at (`dx`, `dy`), growing the block if it reaches further down.
    pub fn overlay(&mut self, other: Block, dx: f32, dy: f32) {
        self.ops.extend(other.ops.into_iter().map(|op| op.moved(dx, dy)));
        self.height = self.height.max(dy + other.height);
    }

    /// Leaves out the text below `height` (a value too long for a whole page).
    pub fn clip(&mut self, height: f32) {
        self.ops.retain(|op| match op {
            Op::Text { baseline, .. } => *baseline <= height,
            _ => true,
        });
        self.height = self.height.min(height);
    }
}

/// A table cell: its width, its content, its background.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub width: f32,
    pub block: Block,
    pub fill: Option<u8>,
    /// Fixed height (signature boxes) instead of the content's.
    pub min_height: f32,
}

impl Cell {
    fn height(&self) -> f32 {
        (self.block.height + 2.0 * PAD_Y).max(self.min_height)
    }
}

/// The QR code's dark modules, with a quiet zone of four modules around.
#[derive(Debug, Clone)]
pub(super) struct Qr {
    width: u16,
    runs: Vec<(u16, u16, u16)>,
}

const QUIET: u16 = 4;
/// The symbol is at least this wide (scanned back from a 150 dpi rendering, stamped forms).
pub(super) const QR_SYMBOL: f32 = 31.0 * MM;
const QR_MIN_MODULE: f32 = 0.5 * MM;

impl Qr {
    pub fn new(payload: &str) -> Result<Qr, RenderError> {
        let code =
            qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
                .map_err(|_| RenderError::FormCodeTooLong { len: payload.len() })?;
        let width = code.width();
        let width16 = u16::try_from(width)
            .map_err(|_| RenderError::FormCodeTooLong { len: payload.len() })?;
        let colors = code.to_colors();
        let mut runs = Vec::new();
        for (row, line) in colors.chunks(width.max(1)).enumerate() {
            let mut column = 0;
            while column < line.len() {
                if line[column] == qrcode::Color::Dark {
                    let start = column;
                    while column < line.len() && line[column] == qrcode::Color::Dark {
                        column += 1;
                    }
                    // Both fit in u16: the width did.
                    let as16 = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
                    runs.push((as16(start) + QUIET, as16(row) + QUIET, as16(column - start)));
                } else {
                    column += 1;
                }
            }
        }
        Ok(Qr { width: width16, runs })
    }

    fn module(&self) -> f32 {
        (QR_SYMBOL / f32::from(self.width.max(1))).max(QR_MIN_MODULE)
    }

    /// The side of the square, quiet zone included.
    pub fn side(&self) -> f32 {
        f32::from(self.width + 2 * QUIET) * self.module()
    }

    pub fn block(&self) -> Block {
        let side = self.side();
        Block {
            width: side,
            height: side,
            ops: vec![Op::Modules {
                x: 0.0,
                y: 0.0,
                module: self.module(),
                runs: self.runs.clone(),
            }],
        }
    }
}

pub(super) struct Page {
    pub width: f32,
    pub height: f32,
    pub margin_x: f32,
    pub margin_top: f32,
    /// Kept free at the bottom: the margin and the footer.
    pub margin_bottom: f32,
}

impl Page {
    pub fn a4() -> Page {
        Page {
            width: 210.0 * MM,
            height: 297.0 * MM,
            margin_x: 15.0 * MM,
            margin_top: 12.0 * MM,
            margin_bottom: 17.0 * MM,
        }
    }
}

/// Lays a document out, page by page.
pub(super) struct Writer<'f> {
    pub layout: Layout,
    regular: Shaper<'f>,
    bold: Shaper<'f>,
    pub page: Page,
    sheets: Vec<Sheet>,
    pub y: f32,
    /// Drawn at the top of every page after the first.
    continuation: Option<Block>,
}

impl<'f> Writer<'f> {
    pub fn new(layout: Layout, regular: Shaper<'f>, bold: Shaper<'f>, page: Page) -> Writer<'f> {
        let sheet = Sheet { width: page.width, height: page.height, ops: Vec::new() };
        let y = page.margin_top;
        Writer { layout, regular, bold, page, sheets: vec![sheet], y, continuation: None }
    }

    pub fn left(&self) -> f32 {
        self.page.margin_x
    }

    pub fn content_width(&self) -> f32 {
        self.page.width - 2.0 * self.page.margin_x
    }

    fn bottom(&self) -> f32 {
        self.page.height - self.page.margin_bottom
    }

    fn usable_height(&self) -> f32 {
        let continuation = self.continuation.as_ref().map_or(0.0, |b| b.height);
        self.bottom() - self.page.margin_top - continuation
    }

    // ---- words ----

    pub fn primary(&self) -> i18n::Language {
        self.layout.languages().first().copied().unwrap_or_default()
    }

    /// The message in each of the layout's languages, the main one first.
    pub fn texts(&self, id: &str) -> Vec<String> {
        self.layout.languages().iter().map(|lang| i18n::text(*lang, id)).collect()
    }

    pub fn texts_with(&self, id: &str, args: &[(&str, i18n::FluentValue<'_>)]) -> Vec<String> {
        self.layout.languages().iter().map(|lang| i18n::text_with(*lang, id, args)).collect()
    }

    /// A date as the main language writes it.
    pub fn date(&self, date: Date) -> String {
        let args = [
            ("year", format!("{:04}", date.year()).into()),
            ("month", format!("{:02}", u8::from(date.month())).into()),
            ("day", format!("{:02}", date.day()).into()),
        ];
        i18n::text_with(self.primary(), "printed-date-value", &args)
    }

    fn shaper(&self, bold: bool) -> &Shaper<'f> {
        if bold { &self.bold } else { &self.regular }
    }

    pub fn run(&self, text: &str, style: Style) -> Result<Run, RenderError> {
        self.shaper(style.bold).line(text)
    }

    /// `text` wrapped to `width`.
    pub fn para(
        &self,
        text: &str,
        style: Style,
        width: f32,
        align: Align,
    ) -> Result<Block, RenderError> {
        let mut block = Block::new(width);
        for run in self.shaper(style.bold).wrap(text, style.size, width)? {
            block.line(run, style, align);
        }
        Ok(block)
    }

    /// Texts in the layout's languages stacked: the first at `style`, the others smaller and
    /// grey beneath it.
    pub fn stack(
        &self,
        texts: &[String],
        style: Style,
        width: f32,
        align: Align,
    ) -> Result<Block, RenderError> {
        let mut block = Block::new(width);
        for (i, text) in texts.iter().enumerate() {
            let style = if i == 0 {
                style
            } else {
                Style { size: style.size * SECONDARY, ink: style.ink.max(SECONDARY_INK), ..style }
            };
            block.append(self.para(text, style, width, align)?, 0.0);
        }
        Ok(block)
    }

    /// A label in the layout's languages, stacked.
    pub fn label(
        &self,
        id: &str,
        style: Style,
        width: f32,
        align: Align,
    ) -> Result<Block, RenderError> {
        self.stack(&self.texts(id), style, width, align)
    }

    /// A label on one line: the main language, then the others smaller, as spans.
    pub fn inline_label(&self, id: &str, style: Style) -> Result<Vec<(Run, Style)>, RenderError> {
        let mut spans = Vec::new();
        for (i, text) in self.texts(id).iter().enumerate() {
            if i == 0 {
                spans.push((self.run(text, style)?, style));
            } else {
                let small = Style { size: style.size * SECONDARY, ink: SECONDARY_INK, ..style };
                spans.push((self.run(&format!(" {text}"), small)?, small));
            }
        }
        Ok(spans)
    }

    /// A label on one line (the other languages beside the first, smaller) when it fits
    /// `width`, else stacked.
    pub fn inline_or_stacked(
        &self,
        id: &str,
        style: Style,
        width: f32,
    ) -> Result<Block, RenderError> {
        let spans = self.inline_label(id, style)?;
        let total: f32 = spans.iter().map(|(run, style)| run.width(style.size)).sum();
        if total <= width {
            let mut block = Block::new(width);
            block.spans(spans, Align::Left);
            Ok(block)
        } else {
            self.label(id, style, width, Align::Left)
        }
    }

    /// `label: value` on one line when it fits, else the label above the wrapped value.
    pub fn labelled_line(&self, id: &str, value: &str, width: f32) -> Result<Block, RenderError> {
        let mut spans = self.inline_label(id, plain(LABEL))?;
        let colon = if self.layout == Layout::English { ": " } else { "：" };
        spans.push((self.run(colon, plain(LABEL))?, plain(LABEL)));
        spans.push((self.run(value, plain(VALUE))?, plain(VALUE)));
        let total: f32 = spans.iter().map(|(run, style)| run.width(style.size)).sum();
        let mut block = Block::new(width);
        if total <= width && !value.contains('\n') {
            block.spans(spans, Align::Left);
        } else {
            block.append(self.label(id, plain(LABEL), width, Align::Left)?, 0.0);
            block.append(self.para(value, plain(VALUE), width, Align::Left)?, 0.0);
        }
        Ok(block)
    }

    // ---- placing ----

    fn push(&mut self, op: Op) {
        if let Some(sheet) = self.sheets.last_mut() {
            sheet.ops.push(op);
        }
    }

    /// Draws `block` at `x` and the cursor, without moving the cursor.
    pub fn draw(&mut self, block: Block, x: f32, y: f32) {
        for op in block.ops {
            self.push(op.moved(x, y));
        }
    }

    /// Starts a new page unless `height` fits below the cursor (or could not fit on any page).
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && height <= self.usable_height() {
            self.new_page();
        }
    }

    pub fn new_page(&mut self) {
        let page = &self.page;
        self.sheets.push(Sheet { width: page.width, height: page.height, ops: Vec::new() });
        self.y = self.page.margin_top;
        if let Some(header) = self.continuation.clone() {
            let height = header.height;
            self.draw(header, self.left(), self.y);
            self.y += height;
        }
    }

    /// Places `block` at the left margin (plus `dx`) and moves the cursor below it.
    pub fn place(&mut self, block: Block, dx: f32) {
        self.ensure(block.height);
        let height = block.height;
        let (x, y) = (self.left() + dx, self.y);
        self.draw(block, x, y);
        self.y += height;
    }

    /// The height left on this page.
    pub fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    pub fn skip(&mut self, height: f32) {
        self.y += height;
    }

    /// The document's top: the title in the layout's languages, a line of kind, the reference
    /// lines, and the QR code in the top right corner with `caption` under it. Pages after the
    /// first repeat the title and the code.
    pub fn header(
        &mut self,
        title_id: &str,
        kind_id: Option<&str>,
        meta: &[(&str, String)],
        qr: Option<&Qr>,
        caption: &str,
    ) -> Result<(), RenderError> {
        let width = self.content_width();
        let qr_block = match qr {
            Some(qr) => {
                let mut block = qr.block();
                block.width = qr.side();
                block.append(self.para(caption, plain(SMALL), qr.side(), Align::Center)?, 0.0);
                Some(block)
            }
            None => None,
        };
        let text_width = match &qr_block {
            Some(b) => width - b.width - 4.0 * MM,
            None => width,
        };

        let titles = self.texts(title_id);
        let mut left = Block::new(text_width);
        for (i, title) in titles.iter().enumerate() {
            let style = if i == 0 { bold(TITLE) } else { Style { ink: 40, ..bold(TITLE * 0.62) } };
            left.append(self.para(title, style, text_width, Align::Left)?, 0.0);
        }
        if let Some(kind) = kind_id {
            left.gap(0.8 * MM);
            left.append(self.inline_or_stacked(kind, bold(HEADING + 1.0), text_width)?, 0.0);
        }
        left.gap(2.5 * MM);
        for (id, value) in meta {
            left.append(self.labelled_line(id, value, text_width)?, 0.0);
            left.gap(0.6 * MM);
        }

        let mut continuation = Block::new(width);
        let mut cont_title = Block::new(text_width);
        let more = i18n::text(self.primary(), "printed-continued");
        let first = titles.first().cloned().unwrap_or_default();
        cont_title.line(
            self.run(&format!("{first} {more}"), bold(HEADING + 2.0))?,
            bold(HEADING + 2.0),
            Align::Left,
        );

        let top = self.y;
        let height = match qr_block {
            Some(qr_block) => {
                let qr_x = width - qr_block.width;
                let height = left.height.max(qr_block.height);
                continuation.overlay(cont_title, 0.0, 0.0);
                continuation.overlay(qr_block.clone(), qr_x, 0.0);
                self.draw(qr_block, self.left() + qr_x, top);
                height
            }
            None => {
                continuation.overlay(cont_title, 0.0, 0.0);
                left.height
            }
        };
        continuation.gap(3.0 * MM);
        self.draw(left, self.left(), top);
        self.y = top + height + 3.0 * MM;
        self.continuation = Some(continuation);
        Ok(())
    }

    /// A section: its title in a shaded column on the left, its rows of cells on the right.
    /// The section moves to the next page when it would not fit but fits a page; a longer one
    /// breaks between rows, with its title repeated.
    pub fn section(&mut self, title_id: &str, rows: Vec<Vec<Cell>>) -> Result<(), RenderError> {
        let inner = SECTION_W - 2.0 * PAD_X;
        let title = self.label(title_id, bold(HEADING), inner, Align::Center)?;
        let title_height = title.height + 2.0 * PAD_Y;
        let heights: Vec<f32> =
            rows.iter().map(|row| row.iter().map(Cell::height).fold(MIN_ROW, f32::max)).collect();
        let total: f32 = heights.iter().sum::<f32>().max(title_height);
        self.ensure(total);

        let mut top = self.y;
        let mut on_this_page = 0;
        let count = rows.len();
        for (i, (row, mut height)) in rows.into_iter().zip(heights).enumerate() {
            if i + 1 == count {
                height = height.max(title_height - (self.y - top));
            }
            if self.y + height > self.bottom() && on_this_page > 0 {
                self.section_title(&title, top);
                self.new_page();
                top = self.y;
                on_this_page = 0;
            }
            let room = self.bottom() - self.y;
            if height > room {
                height = room.max(MIN_ROW);
            }
            self.row(row, height);
            on_this_page += 1;
        }
        self.section_title(&title, top);
        Ok(())
    }

    fn section_title(&mut self, title: &Block, top: f32) {
        let height = self.y - top;
        let x = self.left();
        self.push(Op::Rect {
            x,
            y: top,
            w: SECTION_W,
            h: height,
            stroke: Some(BORDER),
            fill: Some(SECTION_FILL),
        });
        let dy = ((height - title.height) / 2.0).max(PAD_Y);
        self.draw(title.clone(), x + PAD_X, top + dy);
    }

    fn row(&mut self, cells: Vec<Cell>, height: f32) {
        let mut x = self.left() + SECTION_W;
        let y = self.y;
        for mut cell in cells {
            self.push(Op::Rect {
                x,
                y,
                w: cell.width,
                h: height,
                stroke: Some(BORDER),
                fill: cell.fill,
            });
            let inner = height - 2.0 * PAD_Y;
            if cell.block.height > inner {
                cell.block.clip(inner);
            }
            let dy = if cell.min_height > 0.0 {
                PAD_Y
            } else {
                PAD_Y + ((inner - cell.block.height) / 2.0).max(0.0)
            };
            let width = cell.width;
            self.draw(cell.block, x + PAD_X, y + dy);
            x += width;
        }
        self.y += height;
    }

    /// The width of the section's body, right of its title column.
    pub fn body_width(&self) -> f32 {
        self.content_width() - SECTION_W
    }

    /// A label cell of `width`.
    pub fn label_cell(&self, id: &str, width: f32) -> Result<Cell, RenderError> {
        let block = self.label(id, plain(LABEL), width - 2.0 * PAD_X, Align::Left)?;
        Ok(Cell { width, block, fill: Some(LABEL_FILL), min_height: 0.0 })
    }

    /// A label cell of `width` with its languages on one line when they fit.
    pub fn wide_label_cell(&self, id: &str, width: f32) -> Result<Cell, RenderError> {
        let block = self.inline_or_stacked(id, plain(LABEL), width - 2.0 * PAD_X)?;
        Ok(Cell { width, block, fill: Some(LABEL_FILL), min_height: 0.0 })
    }

    /// A value cell of `width`: the person's own text, wrapped; "/" when blank, as on the
    /// paper forms.
    pub fn value_cell(&self, value: &str, width: f32, align: Align) -> Result<Cell, RenderError> {
        let value = if value.trim().is_empty() { "/" } else { value };
        let block = self.para(value, plain(VALUE), width - 2.0 * PAD_X, align)?;
        Ok(Cell { width, block, fill: None, min_height: 0.0 })
    }

    pub fn block_cell(&self, block: Block, width: f32) -> Cell {
        Cell { width, block, fill: None, min_height: 0.0 }
    }

    /// Ends the document: the footer on each page (`left` text, and page n of m on the right),
    /// and the pages.
    pub fn finish(mut self, footer: Option<&str>) -> Result<Vec<Sheet>, RenderError> {
        if let Some(left_text) = footer {
            let pages = self.sheets.len();
            let width = self.content_width();
            let y = self.page.height - self.page.margin_bottom + 4.0 * MM;
            let style = Style { ink: 90, ..plain(SMALL) };
            let mut footers = Vec::with_capacity(pages);
            for page in 1..=pages {
                let numbers = self
                    .texts_with(
                        "printed-page",
                        &[("page", page.to_string().into()), ("pages", pages.to_string().into())],
                    )
                    .join(" · ");
                let mut block = Block::new(width);
                let right = self.run(&numbers, style)?;
                let room = width - right.width(style.size) - 4.0 * MM;
                let left_block = self.para(left_text, style, room.max(10.0 * MM), Align::Left)?;
                block.line(right, style, Align::Right);
                block.overlay(left_block, 0.0, 0.0);
                footers.push(block);
            }
            let x = self.left();
            for (sheet, block) in self.sheets.iter_mut().zip(footers) {
                sheet.ops.push(Op::Line {
                    x1: x,
                    y1: y - 1.5 * MM,
                    x2: x + width,
                    y2: y - 1.5 * MM,
                    width: 0.4,
                });
                sheet.ops.extend(block.ops.into_iter().map(|op| op.moved(x, y)));
            }
        }
        Ok(self.sheets)
    }

    /// Ends a one-page document whose page is as tall as its content (the queue ticket).
    pub fn finish_fitted(mut self) -> Vec<Sheet> {
        let height = self.y + self.page.margin_top;
        for sheet in &mut self.sheets {
            sheet.height = height;
        }
        self.sheets
    }
}
