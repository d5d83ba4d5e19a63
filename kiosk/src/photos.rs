//! The chip's photo and the photo taken at the counter, side by side, for the clerk to compare.
//! Terminals that speak a graphics protocol (sixel, kitty, iTerm2) draw the photos; elsewhere
//! ratatui-image's half blocks give a rough preview and the screen says the terminal cannot
//! draw photos. Same Elm shape as the home screen: `update` changes state, `view` only draws.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use i18n::Language;
use image::DynamicImage;
use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::{Constraint, Layout, Rect, Size};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::{Image, Resize};

use crate::output;
use crate::{Context, KioskError};

/// One side: the picture, or why there is none.
#[derive(Debug, Clone)]
pub enum Side {
    Photo(DynamicImage),
    Missing,
    Unreadable(String),
    /// The file was refused before it was read (not a file, too large): the message to show.
    Refused {
        message_id: &'static str,
        args: Vec<(&'static str, String)>,
    },
}

impl Side {
    pub fn load(path: &Path) -> Side {
        match card_readers::input::read_file(path, card_readers::input::MAX_PHOTO_FILE_BYTES) {
            Ok(bytes) => match image::load_from_memory(&bytes) {
                Ok(img) => Side::Photo(img),
                Err(e) => Side::Unreadable(e.to_string()),
            },
            Err(e) if e.is_not_found() => Side::Missing,
            Err(e) => Side::Refused { message_id: e.message_id(), args: e.message_args() },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Compare {
    pub lang: Language,
    pub chip: Side,
    pub captured: Side,
}

pub fn update(state: &mut Compare, code: KeyCode) -> bool {
    match code {
        KeyCode::Char('q') | KeyCode::Esc => return false,
        KeyCode::F(2) | KeyCode::Char('l') => state.lang = state.lang.next(),
        _ => {}
    }
    true
}

/// Whether the terminal behind `picker` draws real pictures.
pub fn draws_photos(picker: &Picker) -> bool {
    picker.protocol_type() != ProtocolType::Halfblocks
}

pub fn view(state: &Compare, picker: &Picker, frame: &mut Frame<'_>) {
    let t = |id: &str| i18n::text(state.lang, id);
    let [body, note, footer] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(2), Constraint::Length(1)])
            .areas(frame.area());
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    side(frame, left, &t("photo-chip"), &state.chip, picker, state.lang);
    side(frame, right, &t("photo-captured"), &state.captured, picker, state.lang);
    if !draws_photos(picker) {
        frame.render_widget(Paragraph::new(t("photo-no-graphics")).wrap(Wrap { trim: true }), note);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            t("photo-compare-keys"),
            Style::new().add_modifier(Modifier::DIM),
        )),
        footer,
    );
}

fn side(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    side: &Side,
    picker: &Picker,
    lang: Language,
) {
    let block = Block::new().borders(Borders::ALL).title(title.to_owned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let message = match side {
        Side::Photo(img) => {
            match picker.new_protocol(
                img.clone(),
                Size::new(inner.width, inner.height),
                Resize::Fit(None),
            ) {
                Ok(protocol) => {
                    frame.render_widget(Image::new(&protocol), inner);
                    return;
                }
                Err(e) => {
                    i18n::text_with(lang, "photo-unreadable", &[("detail", e.to_string().into())])
                }
            }
        }
        Side::Missing => i18n::text(lang, "photo-missing"),
        Side::Unreadable(detail) => {
            i18n::text_with(lang, "photo-unreadable", &[("detail", detail.clone().into())])
        }
        Side::Refused { message_id, args } => {
            let args: Vec<(&str, i18n::FluentValue<'_>)> =
                args.iter().map(|(name, value)| (*name, value.as_str().into())).collect();
            i18n::text_with(lang, message_id, &args)
        }
    };
    // The message can quote a file name, which can hold anything: escaped as it is drawn.
    let message = registry::text::escape_for_display(&message).into_owned();
    frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), inner);
}

/// `kiosk photo compare CHIP CAPTURED`.
pub fn compare(ctx: &Context, chip: &Path, captured: &Path) -> Result<ExitCode, KioskError> {
    if !std::io::stdout().is_terminal() {
        return Err(KioskError::Refused(ctx.t("error-not-a-terminal")));
    }
    let mut state =
        Compare { lang: ctx.lang, chip: Side::load(chip), captured: Side::load(captured) };
    // Ask the terminal what it can draw before the screen switches over; no answer means half
    // blocks, and the screen says so.
    let picker = Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks());
    let mut terminal = ratatui::init();
    let result = (|| -> std::io::Result<()> {
        loop {
            terminal.draw(|frame| view(&state, &picker, frame))?;
            if let Event::Key(key) = event::read()?
                && key.kind == KeyEventKind::Press
                && !update(&mut state, key.code)
            {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}

/// `kiosk photo check FILE [--out FILE]`: the counter's photo rules, and the re-encoded JPEG.
/// A file that cannot be read, or is not a photo file at all, is a "no" (exit 1) that names it,
/// as `kiosk qr decode` says; only writing `--out` can fail the command (exit 70).
pub fn check(ctx: &Context, file: &Path, out: Option<&Path>) -> Result<ExitCode, KioskError> {
    let bytes = card_readers::input::read_picture(file, card_readers::input::MAX_PHOTO_FILE_BYTES)
        .map_err(|e| KioskError::Refused(ctx.t_pairs(e.message_id(), e.message_args())))?;
    let accepted = card_readers::photo::check_photo(&bytes)
        .map_err(|e| KioskError::Refused(ctx.t_pairs(e.message_id(), e.message_args())))?;
    if let Some(path) = out {
        output::to_named_file(ctx, path, &accepted.jpeg, printers::named_file::NewFile::OwnerOnly)?;
    }
    output::json_line(&serde_json::json!({
        "width": accepted.width,
        "height": accepted.height,
        "bytes": accepted.jpeg.len(),
        "sha256": accepted.sha256,
    }))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(state: &Compare, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal.draw(|frame| view(state, &Picker::halfblocks(), frame)).expect("draw");
        let buffer = terminal.backend().buffer().clone();
        let mut text = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }

    fn face() -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(120, 160, |x, y| {
            image::Rgb([(x * 2) as u8, (y * 2) as u8, 128])
        }))
    }

    #[test]
    fn both_photos_are_drawn_side_by_side_with_a_note_where_the_terminal_cannot_draw() {
        for lang in Language::ALL {
            let state = Compare { lang, chip: Side::Photo(face()), captured: Side::Photo(face()) };
            let text = screen(&state, 80, 24);
            // Wide characters leave a blank cell after them: compare without spaces.
            let squeezed = text.replace(' ', "");
            let has = |id: &str| squeezed.contains(&i18n::text(lang, id).replace(' ', ""));
            assert!(has("photo-chip"), "{lang}");
            assert!(has("photo-captured"), "{lang}");
            // Half blocks drew both pictures.
            let lines: Vec<&str> = text.lines().collect();
            let middle = lines[8];
            let (left, right) =
                middle.split_at(middle.char_indices().nth(40).map_or(0, |(i, _)| i));
            assert!(left.contains('▀') || left.contains('▄'), "{lang}: {middle}");
            assert!(right.contains('▀') || right.contains('▄'), "{lang}: {middle}");
            let note: String =
                i18n::text(lang, "photo-no-graphics").replace(' ', "").chars().take(8).collect();
            assert!(squeezed.contains(&note), "{lang}: the screen says it cannot draw photos");
        }
    }

    #[test]
    fn a_refused_file_is_drawn_in_the_clerks_language_naming_the_file() {
        let side = Side::load(Path::new("/dev/zero"));
        assert!(matches!(side, Side::Refused { .. }), "{side:?}");
        for lang in Language::ALL {
            let state = Compare { lang, chip: side.clone(), captured: Side::Missing };
            let text = screen(&state, 120, 24);
            assert!(text.contains("/dev/zero"), "{lang}: {text}");
            assert!(!text.contains("input-error"), "{lang}: the message id resolved");
        }
    }

    #[test]
    fn a_missing_or_unreadable_photo_says_so() {
        let state = Compare {
            lang: Language::En,
            chip: Side::Unreadable("JPEG 2000".into()),
            captured: Side::Missing,
        };
        let text = screen(&state, 100, 24);
        assert!(text.contains("JPEG 2000"), "{text}");
        let missing: String = i18n::text(Language::En, "photo-missing").chars().take(12).collect();
        assert!(text.contains(&missing), "{text}");
    }
}
