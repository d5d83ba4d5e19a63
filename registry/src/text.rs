//! Text from outside the kiosk, made safe to compare and to show.
//!
//! - Typed at the counter: the full-width letters, digits and signs a CJK keyboard produces are
//!   folded to the characters they stand for, while Chinese characters stay as written.
//! - Shown on a terminal or signed into a certificate: control characters, bidirectional
//!   overrides and invisible formatting change how text looks without being seen. A name, a
//!   payload or a file name can carry them; shown raw they move the cursor, recolour or clear a
//!   terminal, or make `Chan` read as `nahC`. One definition serves both sides: what the kiosk
//!   escapes when it shows text, and what a certificate subject may not contain.

use std::borrow::Cow;
use std::fmt::Write;

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a CJK ideograph, unified or compatibility. Compatibility ideographs look like
/// their unified twins but are kept apart on purpose (names, place names), and NFKC would
/// replace them: a name must stay as it was written.
pub fn is_ideograph(c: char) -> bool {
    // Extension A, the unified block, the compatibility block, and planes 2 and 3 (extensions B
    // to H and the compatibility supplement).
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// `text` with the compatibility forms a CJK input method types folded as NFKC folds them:
/// `Ａ１２３４５６（３）` becomes `A123456(3)`, `＋８５３` becomes `+853`, the ideographic space a
/// plain space, half-width katakana full-width. Ideographs are left exactly as they are.
pub fn fold_width(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if is_ideograph(c) {
            out.extend(run.nfkc());
            run.clear();
            out.push(c);
        } else {
            run.push(c);
        }
    }
    out.extend(run.nfkc());
    out
}

/// One character folded as [`fold_width`] folds it, when it folds to exactly one character
/// (`Ａ` to `A`, `１` to `1`); otherwise the character itself. For checks that report positions
/// in what the clerk typed, one character in must stay one character out.
pub fn fold_width_char(c: char) -> char {
    if is_ideograph(c) {
        return c;
    }
    let mut folded = std::iter::once(c).nfkc();
    match (folded.next(), folded.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

/// Whether `c` is a control character (C0 but tab and line feed, DEL, C1), a bidirectional
/// control (marks, embeddings, overrides, isolates), or an invisible format character
/// (zero-width space and joiners, word joiner, BOM, line and paragraph separators).
pub fn is_hidden_or_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{AD}'                       // soft hyphen
        | '\u{61C}'                      // Arabic letter mark
        | '\u{180E}'                     // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'        // zero-width space, ZWNJ, ZWJ, LRM, RLM
        | '\u{2028}' | '\u{2029}'        // line and paragraph separators
        | '\u{202A}'..='\u{202E}'        // embeddings and overrides
        | '\u{2060}'..='\u{2064}'        // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'        // isolates, deprecated format controls
        | '\u{FEFF}'                     // zero-width no-break space (BOM)
        | '\u{FFF9}'..='\u{FFFB}') // interlinear annotations
}

/// `text` with every hidden or control character, line feed and tab included, written as a
/// visible `\u{…}` escape, so a terminal shows what is there instead of obeying it, and a value
/// holding a line feed cannot pass for a line of its own (a forged search result). Text shown
/// on several lines is escaped a line at a time. Borrowed when there is nothing to escape (the
/// usual case).
pub fn escape_for_display(text: &str) -> Cow<'_, str> {
    let shown_raw = |c: char| c != '\n' && c != '\t' && !is_hidden_or_control(c);
    escape_where(text, shown_raw, |out, c| write!(out, "\\u{{{:X}}}", u32::from(c)))
}

/// JSON text (as serde_json writes it) with hidden characters inside strings written as `\uXXXX`
/// escapes: the same JSON value, but safe on a terminal. serde_json already escapes C0 controls;
/// this covers the rest. Every hidden character is in the Basic Multilingual Plane, so one
/// `\uXXXX` each.
pub fn escape_json_for_display(json: &str) -> Cow<'_, str> {
    escape_where(
        json,
        |c| !is_hidden_or_control(c),
        |out, c| write!(out, "\\u{:04x}", u32::from(c)),
    )
}

fn escape_where(
    text: &str,
    shown_raw: impl Fn(char) -> bool,
    escape: impl Fn(&mut String, char) -> std::fmt::Result,
) -> Cow<'_, str> {
    if text.chars().all(&shown_raw) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !shown_raw(c) {
            // Writing to a String cannot fail.
            let _ = escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_fold_and_ideographs_stay() {
        assert_eq!(fold_width("Ａ１２３４５６（３）"), "A123456(3)");
        assert_eq!(fold_width("＋８５３\u{3000}６６１２"), "+853 6612");
        assert_eq!(fold_width("ＣＨＡＮ 陳大文"), "CHAN 陳大文");
        // U+F9B4 is a compatibility ideograph NFKC would turn into U+9818; so is U+2F800.
        assert_eq!("\u{F9B4}".nfkc().collect::<String>(), "\u{9818}");
        assert_eq!(fold_width("\u{F9B4}\u{2F800}"), "\u{F9B4}\u{2F800}");
        assert_eq!(fold_width_char('\u{F9B4}'), '\u{F9B4}');
        assert_eq!(fold_width_char('Ｘ'), 'X');
        // Folds to two characters: kept, so positions still count what was typed.
        assert_eq!(fold_width_char('⑩'), '⑩');
        // Combining accents compose, so Portuguese names typed either way meet.
        assert_eq!(fold_width("Jose\u{301}"), "José");
    }

    #[test]
    fn plain_text_is_borrowed_and_cjk_is_untouched() {
        for text in ["陳大文 Chan Tai Man", "São Lourenço", "A123456(3) [x]"] {
            assert!(matches!(escape_for_display(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn controls_and_bidi_overrides_become_visible_escapes() {
        assert_eq!(escape_for_display("a\u{1b}[2Jb"), "a\\u{1B}[2Jb");
        assert_eq!(escape_for_display("\u{202E}nahC"), "\\u{202E}nahC");
        assert_eq!(escape_for_display("x\0y\u{7}\u{200B}"), "x\\u{0}y\\u{7}\\u{200B}");
        assert_eq!(escape_for_display("\u{9b}31m"), "\\u{9B}31m");
        // A value cannot start a line of its own.
        assert_eq!(escape_for_display("CHAN\n0  person  X"), "CHAN\\u{A}0  person  X");
        assert_eq!(escape_for_display("a\tb"), "a\\u{9}b");
    }

    #[test]
    fn json_keeps_its_value() {
        let value = serde_json::json!({ "name": "\u{202E}nahC\u{1b}" });
        let text = serde_json::to_string(&value).expect("json");
        let shown = escape_json_for_display(&text);
        assert!(!shown.chars().any(is_hidden_or_control), "{shown}");
        let back: serde_json::Value = serde_json::from_str(&shown).expect("still JSON");
        assert_eq!(back, value);
    }
}
