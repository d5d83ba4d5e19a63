//! Pages as lists of drawing operations, written to PDF with krilla at the end: text as
//! glyphs of the embedded (subset) font, rules and boxes as vector paths, the QR code as filled
//! rectangles.

use krilla::Document as PdfDocument;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font as PdfFont, KrillaGlyph};

use super::RenderError;
use super::text::Run;

/// Millimetres to PDF points.
pub(super) const MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub size: f32,
    pub bold: bool,
    /// 0 black … 255 white.
    pub ink: u8,
}

#[derive(Debug, Clone)]
pub(super) enum Op {
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        run: Run,
    },
    /// A box: outlined with `stroke` points, filled with the grey `fill`.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        stroke: Option<f32>,
        fill: Option<u8>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A tick mark in the box at (`x`, `y`) of side `side`.
    Tick {
        x: f32,
        y: f32,
        side: f32,
    },
    /// Dark QR modules: rows of `(column, row, length)` runs, `module` points each.
    Modules {
        x: f32,
        y: f32,
        module: f32,
        runs: Vec<(u16, u16, u16)>,
    },
}

impl Op {
    pub fn moved(mut self, dx: f32, dy: f32) -> Op {
        match &mut self {
            Op::Text { x, baseline: y, .. }
            | Op::Rect { x, y, .. }
            | Op::Tick { x, y, .. }
            | Op::Modules { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Op::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }
}

/// One page: its size in points and what is drawn on it.
#[derive(Debug, Clone)]
pub(super) struct Sheet {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

/// The fonts of a document, for each weight in the order of its shaper's chain of faces.
pub(super) struct PdfFonts {
    pub regular: Vec<PdfFont>,
    pub bold: Vec<PdfFont>,
}

/// A stretch of a run drawn in one face, its glyphs' text ranges made relative to it.
struct Segment<'r> {
    face: u8,
    text: &'r str,
    glyphs: Vec<KrillaGlyph>,
    width_em: f32,
}

fn segments(run: &Run) -> Vec<Segment<'_>> {
    let mut out: Vec<Segment<'_>> = Vec::new();
    let mut start = 0;
    while start < run.glyphs.len() {
        let face = run.faces.get(start).copied().unwrap_or(0);
        let mut end = start;
        while end < run.glyphs.len() && run.faces.get(end).copied().unwrap_or(0) == face {
            end += 1;
        }
        let glyphs = &run.glyphs[start..end];
        let from = glyphs.first().map_or(0, |g| g.text_range.start);
        let to = glyphs.last().map_or(from, |g| g.text_range.end);
        let text = run.text.get(from..to).unwrap_or_default();
        let glyphs: Vec<KrillaGlyph> = glyphs
            .iter()
            .map(|g| KrillaGlyph {
                text_range: g.text_range.start.saturating_sub(from)
                    ..g.text_range.end.saturating_sub(from),
                ..g.clone()
            })
            .collect();
        let width_em = glyphs.iter().map(|g| g.x_advance).sum();
        out.push(Segment { face, text, glyphs, width_em });
        start = end;
    }
    out
}

fn grey(ink: u8) -> Fill {
    Fill {
        paint: luma::Color::new(ink).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(width: f32) -> Stroke {
    Stroke { width, ..Stroke::default() }
}

pub(super) fn write_pdf(
    sheets: &[Sheet],
    fonts: &PdfFonts,
    metadata: Metadata,
) -> Result<Vec<u8>, RenderError> {
    let mut document = PdfDocument::new();
    document.set_metadata(metadata);
    for sheet in sheets {
        let settings = PageSettings::from_wh(sheet.width, sheet.height)
            .ok_or(RenderError::Layout("a page has no area"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in &sheet.ops {
            match op {
                Op::Text { x, baseline, style, run } => {
                    if run.is_empty() {
                        continue;
                    }
                    let faces = if style.bold { &fonts.bold } else { &fonts.regular };
                    surface.set_stroke(None);
                    surface.set_fill(Some(grey(style.ink)));
                    let mut pen = *x;
                    for segment in segments(run) {
                        if let Some(font) = faces.get(usize::from(segment.face)) {
                            surface.draw_glyphs(
                                Point::from_xy(pen, *baseline),
                                &segment.glyphs,
                                font.clone(),
                                segment.text,
                                style.size,
                                false,
                            );
                        }
                        pen += segment.width_em * style.size;
                    }
                }
                Op::Rect { x, y, w, h, stroke: line, fill } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else { continue };
                    let mut builder = PathBuilder::new();
                    builder.push_rect(rect);
                    let Some(path) = builder.finish() else { continue };
                    surface.set_fill(fill.map(grey));
                    surface.set_stroke(line.map(stroke));
                    surface.draw_path(&path);
                }
                Op::Line { x1, y1, x2, y2, width } => {
                    let mut builder = PathBuilder::new();
                    builder.move_to(*x1, *y1);
                    builder.line_to(*x2, *y2);
                    let Some(path) = builder.finish() else { continue };
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(*width)));
                    surface.draw_path(&path);
                }
                Op::Tick { x, y, side } => {
                    let mut builder = PathBuilder::new();
                    builder.move_to(x + side * 0.18, y + side * 0.52);
                    builder.line_to(x + side * 0.42, y + side * 0.78);
                    builder.line_to(x + side * 0.84, y + side * 0.2);
                    let Some(path) = builder.finish() else { continue };
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(side * 0.14)));
                    surface.draw_path(&path);
                }
                Op::Modules { x, y, module, runs } => {
                    let mut builder = PathBuilder::new();
                    for &(column, row, length) in runs {
                        let rect = Rect::from_xywh(
                            x + f32::from(column) * module,
                            y + f32::from(row) * module,
                            f32::from(length) * module,
                            *module,
                        );
                        if let Some(rect) = rect {
                            builder.push_rect(rect);
                        }
                    }
                    let Some(path) = builder.finish() else { continue };
                    surface.set_stroke(None);
                    surface.set_fill(Some(grey(0)));
                    surface.draw_path(&path);
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|error| RenderError::Pdf { detail: error.to_string() })
}
