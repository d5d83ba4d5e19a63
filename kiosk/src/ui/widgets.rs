//! Small drawing helpers shared by the screens: masked numbers, text cut to a width in terminal
//! cells (Chinese characters take two), and one-line text fields.

use std::borrow::Cow;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Shows only the last `visible` characters of an ID or phone number: `A123456(3)` → `******6(3)`.
/// The masking is done where the number is read, so the full number never enters the app's state.
pub fn mask_tail(text: &str, visible: usize) -> String {
    let count = text.chars().count();
    text.chars()
        .enumerate()
        .map(|(i, c)| if i + visible < count && !c.is_whitespace() { '*' } else { c })
        .collect()
}

/// Text from outside (records, devices, files), made safe to draw: control characters, bidi
/// overrides and invisible characters are shown escaped instead of acting on the terminal.
pub fn safe(text: &str) -> Cow<'_, str> {
    registry::text::escape_for_display(text)
}

/// `text` cut to at most `width` terminal cells, with `…` where it was cut.
pub fn fit(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` cut to at most `width` cells from the front, keeping its end: a masked number's last
/// digits are the ones that matter.
pub fn fit_tail(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1; // the `…`
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// `text` padded with spaces to `width` terminal cells (cut with `…` if longer), so columns of
/// Chinese and Latin text line up.
pub fn pad(text: &str, width: usize) -> String {
    let cut = fit(text, width);
    let used: usize = cut.chars().map(|c| c.width().unwrap_or(0)).sum();
    format!("{cut}{}", " ".repeat(width.saturating_sub(used)))
}

/// A one-line field: its label, what was typed (or dots for a secret), and a cursor when focused.
pub fn field<'a>(label: String, value: &str, secret: bool, focused: bool) -> Line<'a> {
    let shown = if secret { "•".repeat(value.chars().count()) } else { safe(value).into_owned() };
    let mut spans = vec![Span::raw(format!("{label}: ")), Span::raw(shown)];
    if focused {
        spans.push(Span::styled("▏", Style::new().add_modifier(Modifier::SLOW_BLINK)));
    } else {
        spans[0] = spans[0].clone().style(Style::new().add_modifier(Modifier::DIM));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_only_their_last_four_characters() {
        assert_eq!(mask_tail("A123456(3)", 4), "******6(3)");
        assert_eq!(mask_tail("+853 6612 3456", 4), "**** **** 3456");
        assert_eq!(mask_tail("123", 4), "123");
        assert_eq!(mask_tail("", 4), "");
    }

    #[test]
    fn fitting_counts_chinese_characters_as_two_cells() {
        assert_eq!(fit("陳大文", 6), "陳大文");
        assert_eq!(fit("陳大文", 5), "陳大…");
        assert_eq!(fit("CHAN TAI MAN", 8), "CHAN TA…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit_tail("*** *** **** 4455", 8), "…** 4455");
        assert_eq!(fit_tail("**** 3456", 12), "**** 3456");
        assert_eq!(fit_tail("abc", 0), "");
        assert_eq!(pad("有效", 6), "有效  ");
        assert_eq!(pad("qualificado", 6), "quali…");
    }
}
