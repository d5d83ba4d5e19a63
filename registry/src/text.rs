//! Text as typed at the counter: the full-width letters, digits and signs a CJK keyboard
//! produces, folded to the characters they stand for, while Chinese characters stay as written.

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
}
