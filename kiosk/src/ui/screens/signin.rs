//! Sign-in, and the lock screen, which is the same three steps: the clerk's id, the password
//! (never echoed), then the one-time code. Each step's answer comes back from a job; a refusal
//! says which step failed, never whether the id exists.

use crossterm::event::KeyCode;
use i18n::Language;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::model::RecordId;
use time::Duration;
use zeroize::Zeroizing;

use crate::signin::{PasswordAccepted, Refusal, SignedIn};
use crate::ui::jobs::Effect;
use crate::ui::msg::Msg;
use crate::ui::widgets::{field, safe};

/// A clock further than this from the registry's gets a warning (seed 001).
pub const CLOCK_WARNING: Duration = Duration::minutes(3);
const MAX_ID_CHARS: usize = 32;
const MAX_PASSWORD_CHARS: usize = 128;
const CODE_DIGITS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Id,
    Password,
    Code,
}

/// Whom the form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    SignIn,
    /// The screen is locked while `name` was signed in: they or a supervisor unlock it.
    Unlock {
        clerk: RecordId,
        name: String,
    },
}

#[derive(Clone, PartialEq, Eq)]
pub struct SignInForm {
    pub purpose: Purpose,
    pub step: Step,
    pub username: String,
    pub password: Zeroizing<String>,
    pub code: Zeroizing<String>,
    pub accepted: Option<PasswordAccepted>,
    /// A job is checking what was typed.
    pub busy: bool,
    pub error: Option<Msg>,
}

/// What was typed (the password, the code) never reaches a log: `Debug` says how long it is.
impl std::fmt::Debug for SignInForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInForm")
            .field("purpose", &self.purpose)
            .field("step", &self.step)
            .field("password_chars", &self.password.chars().count())
            .field("code_digits", &self.code.len())
            .field("busy", &self.busy)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl SignInForm {
    pub fn new(purpose: Purpose) -> SignInForm {
        SignInForm {
            purpose,
            step: Step::Id,
            username: String::new(),
            password: Zeroizing::new(String::new()),
            code: Zeroizing::new(String::new()),
            accepted: None,
            busy: false,
            error: None,
        }
    }

    /// A character or Backspace for the field of the current step.
    pub fn key(&mut self, code: KeyCode) {
        if self.busy {
            return;
        }
        match code {
            KeyCode::Backspace => {
                match self.step {
                    Step::Id => self.username.pop(),
                    Step::Password => self.password.pop(),
                    Step::Code => self.code.pop(),
                };
            }
            KeyCode::Char(c) if !c.is_control() => self.type_char(c),
            _ => {}
        }
    }

    fn type_char(&mut self, c: char) {
        match self.step {
            Step::Id if self.username.chars().count() < MAX_ID_CHARS && !c.is_whitespace() => {
                self.username.push(c)
            }
            Step::Password if self.password.chars().count() < MAX_PASSWORD_CHARS => {
                self.password.push(c)
            }
            // Full-width digits from a CJK keyboard are digits too.
            Step::Code if self.code.len() < CODE_DIGITS => {
                if let Some(d) = registry::text::fold_width(&c.to_string()).chars().next()
                    && d.is_ascii_digit()
                {
                    self.code.push(d);
                }
            }
            _ => {}
        }
    }

    /// Drops `tail` from the field of the current step if it ends with it (a scanner's keys).
    pub fn untype(&mut self, tail: &str) {
        let field: &mut String = match self.step {
            Step::Id => &mut self.username,
            Step::Password => &mut self.password,
            Step::Code => &mut self.code,
        };
        if field.ends_with(tail) {
            let keep = field.len() - tail.len();
            field.truncate(keep);
        }
    }

    /// Enter: on to the next step, or send what was typed to be checked.
    pub fn enter(&mut self) -> Vec<Effect> {
        if self.busy {
            return Vec::new();
        }
        match self.step {
            Step::Id if !self.username.trim().is_empty() => {
                self.error = None;
                self.step = Step::Password;
                Vec::new()
            }
            Step::Password if !self.password.is_empty() => {
                self.busy = true;
                self.error = None;
                let password = std::mem::replace(&mut self.password, Zeroizing::new(String::new()));
                vec![Effect::CheckPassword { username: self.username.trim().to_owned(), password }]
            }
            Step::Code if self.code.len() == CODE_DIGITS => match &self.accepted {
                Some(accepted) => {
                    self.busy = true;
                    self.error = None;
                    let code = std::mem::replace(&mut self.code, Zeroizing::new(String::new()));
                    vec![Effect::CheckCode { accepted: accepted.clone(), code }]
                }
                None => {
                    self.restart(Some(Msg::new("signin-start-again")));
                    Vec::new()
                }
            },
            Step::Code => {
                self.error = Some(Msg::new("signin-code-six-digits"));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Esc: one step back; from the id, the field is cleared.
    pub fn back(&mut self) {
        if self.busy {
            return;
        }
        self.error = None;
        match self.step {
            Step::Id => self.username.clear(),
            Step::Password | Step::Code => self.restart(None),
        }
    }

    fn restart(&mut self, error: Option<Msg>) {
        self.step = Step::Id;
        self.password = Zeroizing::new(String::new());
        self.code = Zeroizing::new(String::new());
        self.accepted = None;
        self.error = error;
    }

    pub fn password_checked(&mut self, result: Result<PasswordAccepted, Refusal>) {
        self.busy = false;
        match result {
            Ok(accepted) => {
                self.accepted = Some(accepted);
                self.step = Step::Code;
                self.error = None;
            }
            Err(refusal) => {
                let locked = matches!(refusal, Refusal::Locked { .. });
                self.error = Some(Msg::with(refusal.message_id(), refusal.message_args()));
                if locked {
                    self.step = Step::Id;
                    self.username.clear();
                }
            }
        }
    }

    /// The code's answer; a clerk when both steps passed.
    pub fn code_checked(&mut self, result: Result<SignedIn, Refusal>) -> Option<SignedIn> {
        self.busy = false;
        match result {
            Ok(signed_in) => Some(signed_in),
            Err(refusal) => {
                let msg = Msg::with(refusal.message_id(), refusal.message_args());
                match refusal {
                    Refusal::WrongCode | Refusal::CodeReused => self.error = Some(msg),
                    _ => self.restart(Some(msg)),
                }
                None
            }
        }
    }
}

/// Draws the form. `clock_skew` is how far this kiosk's clock is from the registry's, once
/// replication has told it.
pub fn view(
    form: &SignInForm,
    lang: Language,
    clock_skew: Option<Duration>,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let t = |id: &str| i18n::text(lang, id);
    let width = area.width.min(64);
    let rect = Rect { x: area.x + (area.width - width) / 2, width, ..area };
    let [_, body, _] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(14), Constraint::Fill(1)])
            .areas(rect);
    let title = match &form.purpose {
        Purpose::SignIn => t("signin-title"),
        Purpose::Unlock { .. } => t("lock-title"),
    };
    let mut lines: Vec<Line<'_>> = Vec::new();
    if let Purpose::Unlock { name, .. } = &form.purpose {
        lines.push(Line::from(i18n::text_with(
            lang,
            "lock-who",
            &[("name", safe(name).into_owned().into())],
        )));
        lines.push(Line::from(""));
    }
    lines.push(field(t("signin-id"), &form.username, false, form.step == Step::Id));
    if form.step != Step::Id {
        lines.push(field(t("signin-password"), &form.password, true, form.step == Step::Password));
    }
    if form.step == Step::Code {
        lines.push(field(t("signin-code"), &form.code, false, true));
    }
    lines.push(Line::from(""));
    if form.busy {
        lines.push(Line::styled(t("signin-checking"), Style::new().add_modifier(Modifier::DIM)));
    } else {
        let hint = match form.step {
            Step::Id => "signin-hint-id",
            Step::Password => "signin-hint-password",
            Step::Code => "signin-hint-code",
        };
        lines.push(Line::styled(t(hint), Style::new().add_modifier(Modifier::DIM)));
    }
    if let Some(error) = &form.error {
        lines.push(Line::styled(
            safe(&error.text(lang)).into_owned(),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(skew) = clock_skew
        && skew.abs() > CLOCK_WARNING
    {
        let minutes = skew.whole_minutes().abs();
        lines.push(Line::styled(
            i18n::text_with(lang, "signin-clock-off", &[("minutes", minutes.into())]),
            Style::new().fg(Color::Yellow),
        ));
    }
    let block = Block::new().borders(Borders::ALL).title(format!(" {title} "));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), body);
}
