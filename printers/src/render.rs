//! Lays the counter's documents out and writes them as PDF: A4 forms, receipts and notices,
//! an 80 mm queue ticket. Text is set in the layout's face of Noto Sans CJK, embedded as a
//! subset of the glyphs used; labels come from i18n in the layout's languages (Macau: Traditional
//! Chinese with Portuguese beneath, smaller); each document that belongs to an application
//! carries its form code as a vector QR code in the top right corner.
//!
//! A character Noto CJK lacks is printed in the fallback font (DejaVu Sans: Latin Extended,
//! Vietnamese, Greek, Cyrillic) when installed; one that neither has is an error
//! ([`RenderError::MissingGlyph`]), never an empty box on a signed form: the clerk replaces it
//! (or writes it by hand) and prints again. So is a character of a right-to-left or complex
//! script (Arabic, Hebrew, Indic…): glyphs are laid out one by one, left to right, with no
//! shaping. Invisible format characters (zero-width joiners, variation selectors, bidi marks)
//! are left out silently, and blanks the font lacks print as spaces.

mod canvas;
mod documents;
mod layout;
mod text;

use krilla::metadata::Metadata;

use crate::document::{Document, Layout};
use crate::fonts::{Fonts, Region};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error(
        "the printer font cannot print the character {ch:?} (U+{code:04X}): type a common form \
         of it, or leave it out and write it by hand on the printed form",
        code = u32::from(*ch)
    )]
    MissingGlyph { ch: char },
    #[error("the form code is too long for a QR code ({len} bytes)")]
    FormCodeTooLong { len: usize },
    #[error("the loaded font cannot be read any more; restart the kiosk")]
    Font,
    #[error("the document could not be laid out: {0}")]
    Layout(&'static str),
    #[error("the PDF could not be written: {detail}")]
    Pdf { detail: String },
}

impl RenderError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "printed-error-missing-glyph",
        "printed-error-form-code-too-long",
        "printed-error-font",
        "printed-error-layout",
        "printed-error-pdf",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            RenderError::MissingGlyph { .. } => "printed-error-missing-glyph",
            RenderError::FormCodeTooLong { .. } => "printed-error-form-code-too-long",
            RenderError::Font => "printed-error-font",
            RenderError::Layout(_) => "printed-error-layout",
            RenderError::Pdf { .. } => "printed-error-pdf",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            RenderError::MissingGlyph { ch } => {
                vec![("ch", ch.to_string()), ("code", format!("U+{:04X}", u32::from(*ch)))]
            }
            RenderError::FormCodeTooLong { len } => vec![("len", len.to_string())],
            RenderError::Layout(detail) => vec![("detail", (*detail).to_owned())],
            RenderError::Pdf { detail } => vec![("detail", detail.clone())],
            RenderError::Font => Vec::new(),
        }
    }
}

/// Renders `doc` in `layout` to a PDF.
///
/// `form_code` (from [`crate::formcode::FormCode::encode`]) is drawn as a QR code on documents
/// that belong to an application (form, receipt, renewal notice); without it they print with no
/// code, and the queue ticket never has one.
pub fn render(
    doc: &Document,
    layout: Layout,
    fonts: &Fonts,
    form_code: Option<&str>,
) -> Result<Vec<u8>, RenderError> {
    let started = std::time::Instant::now();
    let qr = match (doc.application(), form_code) {
        (Some(_), Some(code)) => Some(layout::Qr::new(code)?),
        _ => None,
    };
    let region = Region::of(layout);
    let (regular, bold) = (fonts.chain(region, false), fonts.chain(region, true));
    let shapers = (text::Shaper::new(&regular)?, text::Shaper::new(&bold)?);
    let sheets = documents::lay_out(doc, layout, shapers, qr.as_ref())?;
    let pages = sheets.len();
    let pdf_fonts = canvas::PdfFonts {
        regular: regular.iter().map(|face| face.pdf.clone()).collect(),
        bold: bold.iter().map(|face| face.pdf.clone()).collect(),
    };
    let pdf = canvas::write_pdf(&sheets, &pdf_fonts, metadata(doc, layout))?;
    tracing::debug!(
        kind = doc.kind(),
        ?layout,
        pages,
        bytes = pdf.len(),
        ms = started.elapsed().as_secs_f64() * 1e3,
        "document rendered"
    );
    Ok(pdf)
}

/// Title and language only: no names or numbers in the PDF's metadata.
fn metadata(doc: &Document, layout: Layout) -> Metadata {
    let lang = layout.languages().first().copied().unwrap_or_default();
    let title = i18n::text(lang, documents::title_id(doc));
    let tag = match layout {
        Layout::MacauBilingual => "zh-Hant-MO",
        Layout::SimplifiedChinese => "zh-Hans-CN",
        Layout::English => "en",
    };
    Metadata::new()
        .title(title)
        .language(tag.to_owned())
        .creator("registry counter kiosk".to_owned())
}

/// Characters of scripts written right to left or needing complex shaping (Hebrew, Arabic,
/// Indic, Southeast Asian, Mongolian, Tibetan): the renderer lays glyphs out one by one, left
/// to right, so these would print scrambled even where a font has their glyphs. They are
/// refused like a missing glyph.
pub(crate) fn needs_shaping(ch: char) -> bool {
    matches!(ch,
        '\u{0590}'..='\u{08FF}'
        | '\u{0900}'..='\u{0DFF}'
        | '\u{0F00}'..='\u{0FFF}'
        | '\u{1000}'..='\u{109F}'
        | '\u{1780}'..='\u{18AF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}')
        && !is_invisible(ch)
}

/// Characters that print as nothing (controls, joiners, variation selectors, bidi and other
/// format marks): left out of the page rather than looked up in the font.
pub(crate) fn is_invisible(ch: char) -> bool {
    (ch.is_control() && !matches!(ch, '\t' | '\n' | '\r'))
        || matches!(ch,
            '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E0FFF}')
}
