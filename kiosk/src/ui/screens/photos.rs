//! The chip's photo and the photo taken at the counter, side by side, for the clerk to compare.
//! Terminals that speak a graphics protocol (sixel, kitty, iTerm2) draw the photos; elsewhere
//! ratatui-image's half blocks give a rough preview and the screen says so. The pictures are
//! encoded for the terminal by a job whenever the window's size changes; `view` only places
//! what was encoded.

use std::sync::Arc;

use i18n::Language;
use image::DynamicImage;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect, Size};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui_image::Image;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;

use crate::ui::msg::Msg;
use crate::ui::widgets::safe;

/// One side: the picture, or why there is none.
#[derive(Debug, Clone)]
pub enum Side {
    Photo(Arc<DynamicImage>),
    /// No file, an unreadable one, or one refused before it was read.
    Problem(Msg),
}

impl Side {
    /// Reads and decodes a photo file. Blocking: done before the loop starts, or in a job.
    pub fn load(path: &std::path::Path) -> Side {
        match card_readers::input::read_file(path, card_readers::input::MAX_PHOTO_FILE_BYTES) {
            Ok(bytes) => match image::load_from_memory(&bytes) {
                Ok(img) => Side::Photo(Arc::new(img)),
                Err(e) => {
                    Side::Problem(Msg::with("photo-unreadable", vec![("detail", e.to_string())]))
                }
            },
            Err(e) if e.is_not_found() => Side::Problem(Msg::new("photo-missing")),
            Err(e) => Side::Problem(Msg::with(e.message_id(), e.message_args())),
        }
    }
}

/// Both pictures, encoded for one window size.
#[derive(Clone)]
pub struct Encoded {
    pub window: (u16, u16),
    pub chip: Result<Protocol, Msg>,
    pub captured: Result<Protocol, Msg>,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoded").field("window", &self.window).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct PhotosState {
    pub chip: Side,
    pub captured: Side,
    /// Whether the terminal draws real pictures (not half blocks).
    pub graphics: bool,
    pub encoded: Option<Encoded>,
}

/// Screens compare by what they show, not by the pixels.
impl PartialEq for PhotosState {
    fn eq(&self, other: &Self) -> bool {
        self.graphics == other.graphics
            && self.encoded.as_ref().map(|e| e.window) == other.encoded.as_ref().map(|e| e.window)
    }
}

impl PhotosState {
    /// Whether the pictures must be encoded again for a window of this size.
    pub fn needs_encoding(&self, window: (u16, u16)) -> bool {
        self.encoded.as_ref().is_none_or(|e| e.window != window)
    }
}

/// Where each picture goes in the body: shared by `view` and the encoding job.
pub fn areas(body: Rect) -> (Rect, Rect, Rect) {
    let [pictures, note] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(2)]).areas(body);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(pictures);
    let inner = |r: Rect| Block::new().borders(Borders::ALL).inner(r);
    (inner(left), inner(right), note)
}

/// Encodes both sides for the terminal. CPU work: run in a job.
pub fn encode(
    picker: &Picker,
    chip: &Side,
    captured: &Side,
    body: Rect,
    window: (u16, u16),
) -> Encoded {
    let (left, right, _) = areas(body);
    let one = |side: &Side, area: Rect| match side {
        Side::Photo(img) => picker
            .new_protocol(
                (**img).clone(),
                Size::new(area.width, area.height),
                ratatui_image::Resize::Fit(None),
            )
            .map_err(|e| Msg::with("photo-unreadable", vec![("detail", e.to_string())])),
        Side::Problem(msg) => Err(msg.clone()),
    };
    Encoded { window, chip: one(chip, left), captured: one(captured, right) }
}

pub fn view(state: &PhotosState, lang: Language, frame: &mut Frame<'_>, body: Rect) {
    let t = |id: &str| i18n::text(lang, id);
    let [pictures, _] = Layout::vertical([Constraint::Min(6), Constraint::Length(2)]).areas(body);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(pictures);
    let (left_inner, right_inner, note) = areas(body);
    let encoded = state.encoded.as_ref();
    for (outer, inner, title, side, picture) in [
        (left, left_inner, t("photo-chip"), &state.chip, encoded.map(|e| &e.chip)),
        (right, right_inner, t("photo-captured"), &state.captured, encoded.map(|e| &e.captured)),
    ] {
        frame.render_widget(Block::new().borders(Borders::ALL).title(title), outer);
        let problem = match (picture, side) {
            (Some(Ok(protocol)), _) => {
                frame.render_widget(Image::new(protocol), inner);
                continue;
            }
            (Some(Err(msg)), _) | (None, Side::Problem(msg)) => msg.text(lang),
            (None, Side::Photo(_)) => t("photo-preparing"),
        };
        // The message can quote a file name, which can hold anything: escaped as it is drawn.
        frame.render_widget(
            Paragraph::new(safe(&problem).into_owned()).wrap(Wrap { trim: true }),
            inner,
        );
    }
    if !state.graphics {
        frame.render_widget(Paragraph::new(t("photo-no-graphics")).wrap(Wrap { trim: true }), note);
    }
}
