//! A person new to the registry, put on file from the search screen (`F9`): their identity
//! document, names, birth date, nationality and contacts, typed field by field. Enter saves
//! (a job: `kiosk::registration`), and their file opens; a document already on file opens the
//! file that holds it. What the registry's rules refuse is said on the field it is about.

use i18n::Language;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::model::{IdDocument, IdDocumentKind, Person, Sensitive};
use time::Date;

use crate::ui::msg::Msg;
use crate::ui::screens::subscriber::id_kind_id;
use crate::ui::widgets::{field, safe};

/// The form's rows, in the order Tab and ↓ walk them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// The kind of identity document: ←/→ choose.
    Kind,
    Number,
    IssuingState,
    Expiry,
    NameZh,
    NameLatin,
    BirthDate,
    Nationality,
    Phone,
    Email,
}

impl Row {
    pub const ALL: [Row; 10] = [
        Row::Kind,
        Row::Number,
        Row::IssuingState,
        Row::Expiry,
        Row::NameZh,
        Row::NameLatin,
        Row::BirthDate,
        Row::Nationality,
        Row::Phone,
        Row::Email,
    ];

    fn label(self) -> &'static str {
        match self {
            Row::Kind => "new-person-kind",
            Row::Number => "new-person-number",
            Row::IssuingState => "new-person-issuing-state",
            Row::Expiry => "new-person-expiry",
            Row::NameZh => "new-person-name-zh",
            Row::NameLatin => "new-person-name-latin",
            Row::BirthDate => "new-person-birth-date",
            Row::Nationality => "new-person-nationality",
            Row::Phone => "new-person-phone",
            Row::Email => "new-person-email",
        }
    }

    /// The row a registry problem's field is about.
    pub fn of_field(field: &str) -> Option<Row> {
        Some(match field {
            "name" | "name_zh" => Row::NameZh,
            "name_latin" => Row::NameLatin,
            "nationality" => Row::Nationality,
            "phone" => Row::Phone,
            "email" => Row::Email,
            "birth_date" => Row::BirthDate,
            "id_document.expiry" => Row::Expiry,
            "id_document.issuing_state" => Row::IssuingState,
            f if f.starts_with("id_document") => Row::Number,
            _ => return None,
        })
    }
}

const KINDS: [IdDocumentKind; 5] = [
    IdDocumentKind::MacauResident,
    IdDocumentKind::MainlandResident,
    IdDocumentKind::HongKongResident,
    IdDocumentKind::Passport,
    IdDocumentKind::ResidencePermit,
];

#[derive(Clone, PartialEq)]
pub struct NewPersonState {
    pub kind: IdDocumentKind,
    /// What was typed, one string per row (the kind's row stays empty).
    values: [String; 10],
    pub focus: Row,
    /// Why the last save was refused, and the row it is about.
    pub error: Option<(Msg, Option<Row>)>,
    /// Saving: keys wait.
    pub busy: bool,
    /// An organisation's new employee: the organisation, and its name for the title.
    pub joining: Option<(registry::model::RecordId, String)>,
}

/// What is typed is personal data: `Debug` shows what a log may hold.
impl std::fmt::Debug for NewPersonState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewPersonState")
            .field("kind", &self.kind)
            .field("focus", &self.focus)
            .field("busy", &self.busy)
            .finish_non_exhaustive()
    }
}

impl Default for NewPersonState {
    fn default() -> Self {
        NewPersonState {
            kind: IdDocumentKind::MacauResident,
            values: Default::default(),
            focus: Row::Number,
            error: None,
            busy: false,
            joining: None,
        }
    }
}

fn index(row: Row) -> usize {
    Row::ALL.iter().position(|r| *r == row).unwrap_or(0)
}

impl NewPersonState {
    /// The form for a new employee of `organisation` (named `name`): one new to the registry,
    /// or one on file, found by their document.
    pub fn joining(organisation: registry::model::RecordId, name: String) -> NewPersonState {
        NewPersonState { joining: Some((organisation, name)), ..NewPersonState::default() }
    }

    pub fn value(&self, row: Row) -> &str {
        &self.values[index(row)]
    }

    /// ↓ / Tab and ↑: the next or the previous row, round.
    pub fn move_focus(&mut self, forward: bool) {
        let n = Row::ALL.len();
        let at = index(self.focus);
        let next = if forward { (at + 1) % n } else { (at + n - 1) % n };
        self.focus = Row::ALL[next];
    }

    /// ← / →: the document's kind, on its row.
    pub fn change_kind(&mut self, forward: bool) {
        if self.focus != Row::Kind {
            return;
        }
        let n = KINDS.len();
        let at = KINDS.iter().position(|k| *k == self.kind).unwrap_or(0);
        self.kind = KINDS[if forward { (at + 1) % n } else { (at + n - 1) % n }];
    }

    /// A typed key on the focused row: characters, Backspace.
    pub fn key(&mut self, code: crossterm::event::KeyCode) {
        use crossterm::event::KeyCode;
        if self.busy || self.focus == Row::Kind {
            return;
        }
        let value = &mut self.values[index(self.focus)];
        match code {
            KeyCode::Char(c) if !c.is_control() => value.push(c),
            KeyCode::Backspace => {
                value.pop();
            }
            _ => {}
        }
    }

    /// Takes back the end of what the focused row received (the start of a scanned code).
    pub fn untype(&mut self, tail: &str) {
        let value = &mut self.values[index(self.focus)];
        if value.ends_with(tail) {
            value.truncate(value.len() - tail.len());
        }
    }

    /// The person as typed, or the first thing that cannot be read and its row. The registry's
    /// own rules (check digits, country codes, an address) are checked when it is saved.
    pub fn person(&self) -> Result<Person, (Msg, Row)> {
        let text = |row: Row| {
            let v = self.value(row).trim();
            (!v.is_empty()).then(|| v.to_owned())
        };
        let date = |row: Row| -> Result<Option<Date>, (Msg, Row)> {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            match text(row) {
                None => Ok(None),
                Some(v) => Date::parse(&v, &format)
                    .map(Some)
                    .map_err(|_| (Msg::new("new-person-bad-date"), row)),
            }
        };
        let upper = |row: Row| text(row).map(|v| v.to_uppercase());
        Ok(Person {
            id: ulid::Ulid::new(),
            name_zh: text(Row::NameZh),
            name_latin: upper(Row::NameLatin),
            id_document: IdDocument {
                kind: self.kind,
                number: Sensitive::new(self.value(Row::Number).trim()),
                issuing_state: upper(Row::IssuingState),
                expiry: date(Row::Expiry)?,
            },
            nationality: upper(Row::Nationality),
            birth_date: date(Row::BirthDate)?,
            sex: None,
            phone: text(Row::Phone).map(Sensitive::new),
            email: text(Row::Email),
            photo: None,
        })
    }
}

fn t(lang: Language, id: &str) -> String {
    i18n::text(lang, id)
}

pub fn view(state: &NewPersonState, lang: Language, frame: &mut Frame<'_>, area: Rect) {
    let title = match &state.joining {
        Some((_, name)) => i18n::text_with(
            lang,
            "new-person-employee-title",
            &[("organisation", i18n::FluentValue::from(safe(name).into_owned()))],
        ),
        None => t(lang, "new-person-title"),
    };
    let block = Block::new().borders(Borders::ALL).title(format!(" {title} "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let intro =
        if state.joining.is_some() { "new-person-employee-intro" } else { "new-person-intro" };
    let mut lines = vec![Line::from(t(lang, intro)), Line::from("")];
    for row in Row::ALL {
        let focused = row == state.focus && !state.busy;
        let label = t(lang, row.label());
        let mut line = if row == Row::Kind {
            let kind = format!("◀ {} ▶", t(lang, id_kind_id(state.kind)));
            field(label, &kind, false, focused)
        } else {
            field(label, state.value(row), false, focused)
        };
        if state.error.as_ref().is_some_and(|(_, at)| *at == Some(row)) {
            line = line.style(Style::new().fg(Color::Red));
        }
        lines.push(line);
    }
    lines.push(Line::from(""));
    if state.busy {
        lines.push(Line::from(t(lang, "new-person-saving")));
    } else if let Some((msg, _)) = &state.error {
        lines.push(Line::styled(
            safe(&msg.text(lang)).into_owned(),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
