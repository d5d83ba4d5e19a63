//! First start: with an empty data directory the app offers to create the demo office, then
//! shows its clerks' credentials once, so a newcomer reaches the queue with nothing else.

use i18n::Language;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::model::StaffRole;
use zeroize::Zeroizing;

use crate::ui::msg::Msg;
use crate::ui::widgets::safe;

/// A demo clerk's sign-in, shown once.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoCredential {
    pub username: String,
    pub role: StaffRole,
    pub password: Zeroizing<String>,
    /// The `otpauth://` URI of the clerk's one-time codes.
    pub otpauth: String,
}

/// Secrets stay out of logs.
impl std::fmt::Debug for DemoCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoCredential").field("username", &self.username).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstStart {
    Offer,
    Creating,
    Failed(Msg),
    Created(Vec<DemoCredential>),
}

pub fn view(state: &FirstStart, lang: Language, frame: &mut Frame<'_>, area: Rect) {
    let t = |id: &str| i18n::text(lang, id);
    let mut lines: Vec<Line<'_>> = Vec::new();
    match state {
        FirstStart::Offer => {
            lines.push(Line::from(t("first-start-empty")));
            lines.push(Line::from(""));
            lines.push(Line::styled(
                t("first-start-offer"),
                Style::new().add_modifier(Modifier::BOLD),
            ));
        }
        FirstStart::Creating => lines.push(Line::from(t("first-start-creating"))),
        FirstStart::Failed(msg) => {
            lines.push(Line::styled(
                safe(&msg.text(lang)).into_owned(),
                Style::new().fg(Color::Red),
            ));
            lines.push(Line::from(""));
            lines.push(Line::from(t("first-start-offer")));
        }
        FirstStart::Created(credentials) => {
            lines.push(Line::styled(
                t("first-start-created"),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            lines.push(Line::from(""));
            for c in credentials {
                let role = match c.role {
                    StaffRole::Clerk => t("role-clerk"),
                    StaffRole::Supervisor => t("role-supervisor"),
                };
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{:<12}", safe(&c.username)),
                        Style::new().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(format!(" {:<14} ", c.password.as_str())),
                    Span::styled(role, Style::new().add_modifier(Modifier::DIM)),
                ]));
                lines.push(Line::from(format!("  {}", safe(&c.otpauth))));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(t("first-start-write-down")));
        }
    }
    let block = Block::new().borders(Borders::ALL).title(format!(" {} ", t("first-start-title")));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}
