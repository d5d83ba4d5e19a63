//! Turning text into positioned glyphs: the font's character map (a missing glyph is an error,
//! never an empty box), advance widths from skrifa, and line breaking to a box's width.

use krilla::text::{GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;

use super::{RenderError, is_invisible, needs_shaping};
use crate::fonts::Face;

/// One line of text ready to draw: the glyphs, the face each comes from (its place in the
/// shaper's chain of faces), the text they stand for (so the PDF's text can be extracted and searched),
/// and its width in ems.
#[derive(Debug, Clone, Default)]
pub(super) struct Run {
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    pub faces: Vec<u8>,
    pub width_em: f32,
}

impl Run {
    pub fn width(&self, size: f32) -> f32 {
        self.width_em * size
    }

    pub fn is_empty(&self) -> bool {
        self.glyphs.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
struct Cluster {
    ch: char,
    face: u8,
    glyph: GlyphId,
    advance: f32,
}

/// One face's character map and advance widths.
struct Measure<'f> {
    charmap: Charmap<'f>,
    metrics: GlyphMetrics<'f>,
    units_per_em: f32,
}

impl<'f> Measure<'f> {
    fn new(face: &'f Face) -> Result<Measure<'f>, RenderError> {
        let font = face.font_ref().ok_or(RenderError::Font)?;
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units_per_em =
            f32::from(font.metrics(Size::unscaled(), LocationRef::default()).units_per_em.max(1));
        Ok(Measure { charmap: font.charmap(), metrics, units_per_em })
    }
}

/// Maps characters to glyphs of the first face of a chain that has them (the CJK face, then
/// the fallback, then the other weight's), and measures them.
pub(super) struct Shaper<'f> {
    faces: Vec<Measure<'f>>,
    space: Option<Cluster>,
}

impl<'f> Shaper<'f> {
    pub fn new(chain: &[&'f Face]) -> Result<Shaper<'f>, RenderError> {
        let faces = chain.iter().map(|face| Measure::new(face)).collect::<Result<Vec<_>, _>>()?;
        let mut shaper = Shaper { faces, space: None };
        shaper.space = shaper.cluster(' ');
        Ok(shaper)
    }

    fn cluster(&self, ch: char) -> Option<Cluster> {
        self.faces.iter().zip(0u8..).find_map(|(measure, face)| {
            let glyph = measure.charmap.map(ch)?;
            let advance =
                measure.metrics.advance_width(glyph).unwrap_or(0.0) / measure.units_per_em;
            Some(Cluster { ch, face, glyph: GlyphId::new(glyph.to_u32()), advance })
        })
    }

    /// The glyphs of one paragraph (no line breaks inside). Invisible format characters are
    /// left out; a blank the font lacks prints as a space; any other missing glyph is an error.
    fn clusters(&self, text: &str) -> Result<Vec<Cluster>, RenderError> {
        let mut out = Vec::with_capacity(text.len());
        for ch in text.chars() {
            if is_invisible(ch) {
                continue;
            }
            let ch = if matches!(ch, '\t' | '\n' | '\r') { ' ' } else { ch };
            if needs_shaping(ch) {
                return Err(RenderError::MissingGlyph { ch });
            }
            match self.cluster(ch) {
                Some(cluster) => out.push(cluster),
                None if ch.is_whitespace() => {
                    out.extend(self.space.map(|s| Cluster { ch: ' ', ..s }));
                }
                None => return Err(RenderError::MissingGlyph { ch }),
            }
        }
        Ok(out)
    }

    fn run(clusters: &[Cluster]) -> Run {
        let mut run = Run::default();
        for cluster in clusters {
            let start = run.text.len();
            run.text.push(cluster.ch);
            run.glyphs.push(KrillaGlyph::new(
                cluster.glyph,
                cluster.advance,
                0.0,
                0.0,
                0.0,
                start..run.text.len(),
                None,
            ));
            run.faces.push(cluster.face);
            run.width_em += cluster.advance;
        }
        run
    }

    /// The text on one line, however long (line breaks become spaces).
    pub fn line(&self, text: &str) -> Result<Run, RenderError> {
        Ok(Self::run(&self.clusters(text)?))
    }

    /// The text broken into lines no wider than `max_width` points at `size`: at spaces, between
    /// Chinese characters (not before closing or after opening punctuation), after `/` and `-`,
    /// and inside a word only when the word alone is wider than the box. Line breaks in the
    /// text are kept.
    pub fn wrap(&self, text: &str, size: f32, max_width: f32) -> Result<Vec<Run>, RenderError> {
        let max_em = (max_width / size).max(0.0);
        let mut lines = Vec::new();
        for paragraph in text.split(['\n', '\u{2028}', '\u{2029}']) {
            let clusters = self.clusters(paragraph)?;
            let mut start = 0;
            let mut produced = false;
            loop {
                while clusters.get(start).is_some_and(|c| c.ch == ' ') {
                    start += 1;
                }
                if start >= clusters.len() {
                    break;
                }
                let mut end = start;
                let mut width = 0.0;
                let mut last_break = None;
                while let Some(cluster) = clusters.get(end) {
                    if end > start && can_break_before(&clusters, end) {
                        last_break = Some(end);
                    }
                    let fits = width + cluster.advance <= max_em + 1e-4;
                    if !fits && end > start && cluster.ch != ' ' {
                        break;
                    }
                    width += cluster.advance;
                    end += 1;
                }
                let cut = if end < clusters.len() { last_break.unwrap_or(end) } else { end };
                let mut line_end = cut;
                while line_end > start && clusters[line_end - 1].ch == ' ' {
                    line_end -= 1;
                }
                lines.push(Self::run(&clusters[start..line_end]));
                produced = true;
                start = cut;
            }
            if !produced {
                lines.push(Run::default());
            }
        }
        // A value that is only blank prints no line; blank lines between text are kept.
        while lines.last().is_some_and(Run::is_empty) {
            lines.pop();
        }
        Ok(lines)
    }
}

/// Characters printed as wide (Chinese, Japanese, Korean, full-width forms): a line may break
/// on either side of them.
fn is_wide(ch: char) -> bool {
    matches!(ch,
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// Never at the start of a line.
fn closes(ch: char) -> bool {
    matches!(
        ch,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '］'
            | '｝'
            | '・'
            | '…'
            | '‥'
            | '々'
            | 'ー'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
            | '％'
            | '°'
    )
}

/// Never at the end of a line.
fn opens(ch: char) -> bool {
    matches!(ch, '（' | '「' | '『' | '《' | '〈' | '【' | '〔' | '［' | '｛' | '(' | '[' | '{')
}

fn can_break_before(clusters: &[Cluster], index: usize) -> bool {
    let (Some(prev), Some(cur)) = (clusters.get(index.wrapping_sub(1)), clusters.get(index)) else {
        return false;
    };
    let (prev, cur) = (prev.ch, cur.ch);
    if cur == ' ' {
        return false;
    }
    if prev == ' ' {
        return true;
    }
    if closes(cur) || opens(prev) {
        return false;
    }
    is_wide(prev) || is_wide(cur) || matches!(prev, '/' | '-' | '@')
}
