//! Live search: results follow every key. Each edit asks the search worker for the new text
//! with a new generation number; answers to older generations are dropped when they arrive.

use crossterm::event::KeyCode;
use i18n::Language;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::ui::jobs::{Effect, SearchRow};
use crate::ui::keys::Command;
use crate::ui::msg::Msg;
use crate::ui::widgets::{field, fit, fit_tail, safe};

/// Longest text the box takes: a name, a number or a serial is far shorter.
const MAX_QUERY_CHARS: usize = 64;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchState {
    pub text: String,
    pub generation: u64,
    /// The generation the results on screen answer.
    pub shown: u64,
    pub rows: Vec<SearchRow>,
    pub selected: usize,
    pub error: Option<Msg>,
}

impl SearchState {
    pub fn searching(&self) -> bool {
        !self.text.trim().is_empty() && self.shown != self.generation
    }

    fn edited(&mut self) -> Vec<Effect> {
        self.generation += 1;
        self.selected = 0;
        self.error = None;
        if self.text.trim().is_empty() {
            self.rows.clear();
            self.shown = self.generation;
            return Vec::new();
        }
        vec![Effect::Search { generation: self.generation, text: self.text.clone() }]
    }

    pub fn type_char(&mut self, c: char) -> Vec<Effect> {
        if c.is_control() || self.text.chars().count() >= MAX_QUERY_CHARS {
            return Vec::new();
        }
        self.text.push(c);
        self.edited()
    }

    pub fn type_str(&mut self, text: &str) -> Vec<Effect> {
        let room = MAX_QUERY_CHARS.saturating_sub(self.text.chars().count());
        self.text.extend(text.chars().filter(|c| !c.is_control()).take(room));
        self.edited()
    }

    /// Empties the box for a new search.
    pub fn clear(&mut self) -> Vec<Effect> {
        self.text.clear();
        self.edited()
    }

    /// Drops `tail` from the end of the box if it is there (a scanner's first keys).
    pub fn untype(&mut self, tail: &str) -> Vec<Effect> {
        match self.text.strip_suffix(tail) {
            Some(rest) => {
                self.text = rest.to_owned();
                self.edited()
            }
            None => Vec::new(),
        }
    }

    pub fn key(&mut self, code: KeyCode) -> Vec<Effect> {
        match code {
            KeyCode::Backspace => {
                if self.text.pop().is_some() {
                    return self.edited();
                }
                Vec::new()
            }
            KeyCode::Char(c) => self.type_char(c),
            _ => Vec::new(),
        }
    }

    /// Up, Down and Enter; what Enter opens is the app's business.
    pub fn command(&mut self, command: Command) -> Option<&SearchRow> {
        match command {
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Down if self.selected + 1 < self.rows.len() => self.selected += 1,
            Command::Enter => return self.rows.get(self.selected),
            _ => {}
        }
        None
    }

    /// The same search again (a sync brought records from other counters): the rows on screen
    /// stay until the new answer replaces them, the selection too.
    pub fn refresh(&mut self) -> Vec<Effect> {
        if self.text.trim().is_empty() {
            return Vec::new();
        }
        self.generation += 1;
        vec![Effect::Search { generation: self.generation, text: self.text.clone() }]
    }

    pub fn done(&mut self, generation: u64, result: Result<Vec<SearchRow>, Msg>) {
        if generation != self.generation {
            return;
        }
        self.shown = generation;
        match result {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(msg) => {
                self.rows.clear();
                self.error = Some(msg);
            }
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }
}

pub fn view(state: &SearchState, lang: Language, frame: &mut Frame<'_>, area: Rect) {
    let t = |id: &str| i18n::text(lang, id);
    let [input, body] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(area);
    let title = format!(" {} ", t("search-title"));
    let block = Block::new().borders(Borders::ALL).title(title);
    frame.render_widget(
        Paragraph::new(field(t("search-label"), &state.text, false, true)).block(block),
        input,
    );

    if let Some(error) = &state.error {
        let text = safe(&error.text(lang)).into_owned();
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), body);
        return;
    }
    if state.text.trim().is_empty() {
        let hint = Paragraph::new(t("search-hint")).style(dim()).wrap(Wrap { trim: true });
        frame.render_widget(hint, body);
        return;
    }
    if state.rows.is_empty() {
        let id = if state.searching() { "search-searching" } else { "search-no-hits" };
        frame.render_widget(Paragraph::new(t(id)).style(dim()).wrap(Wrap { trim: true }), body);
        return;
    }
    // Widths in cells: Chinese names take two per character, and the table pads by cells, so
    // columns stay aligned at 80 columns.
    const NUMBER: u16 = 18;
    const PHONE: u16 = 14;
    let widths = [
        Constraint::Length(12),
        Constraint::Fill(1),
        Constraint::Length(NUMBER),
        Constraint::Length(PHONE),
        Constraint::Length(10),
    ];
    let header = Row::new(
        [
            "search-col-name-zh",
            "search-col-name-latin",
            "search-col-number",
            "search-col-phone",
            "search-col-matched",
        ]
        .map(|id| Cell::from(t(id))),
    )
    .style(Style::new().add_modifier(Modifier::BOLD));
    let rows = state.rows.iter().map(|row| {
        Row::new([
            Cell::from(fit(&safe(row.name_zh.as_deref().unwrap_or("")), 12)),
            Cell::from(fit(&safe(row.name_latin.as_deref().unwrap_or("")), 20)),
            // Numbers are cut from the front: their last 4 characters are all that show.
            Cell::from(fit_tail(&safe(row.number.as_deref().unwrap_or("")), NUMBER.into())),
            Cell::from(fit_tail(&safe(row.phone.as_deref().unwrap_or("")), PHONE.into())),
            Cell::from(t(matched_id(row.matched_by))),
        ])
    });
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut table_state = TableState::default().with_selected(Some(state.selected));
    frame.render_stateful_widget(table, body, &mut table_state);
}

fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn matched_id(by: store::MatchedBy) -> &'static str {
    use store::MatchedBy;
    match by {
        MatchedBy::IdNumber => "search-matched-id-number",
        MatchedBy::CertificateSerial => "search-matched-serial",
        MatchedBy::Phone => "search-matched-phone",
        MatchedBy::Name => "search-matched-name",
    }
}
