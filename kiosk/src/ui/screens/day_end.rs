//! The supervisors' day-end screen: the counter's day as a job counted it (or as it was kept at
//! its close), and Enter closes the day and prints the report (a job: `kiosk::day_end`). It
//! opens on today; ← and → go to the day before or after, so a day left open can be closed
//! later, as `kiosk day-end close --date` does. Opened from the queue; a clerk is told it is a
//! supervisor's.

use i18n::Language;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::day_end::{ApplicationLine, CloseRefused, PaymentTotal};
use time::Date;

use crate::day_end::{DayView, ReportPrint};
use crate::print_cmd::PrintFailure;
use crate::ui::keys::Command;
use crate::ui::msg::Msg;
use crate::ui::screens::queue::service_id;
use crate::ui::widgets::{fit, pad, safe};

#[derive(Debug, Clone, PartialEq)]
pub struct DayEndState {
    /// The office day on screen (or being counted).
    pub day: Date,
    pub view: Option<DayView>,
    /// A job is counting or closing the day: what it is doing.
    pub busy: Option<Msg>,
    pub error: Option<Msg>,
    /// What became of the printed report, once closed here.
    pub printed: Option<Msg>,
}

/// What a key asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enter {
    /// Close the day shown and print the report.
    Close(Date),
    /// Count (or read as kept) another day.
    Load(Date),
    /// Nothing to do now; say this.
    Say(Msg),
    Nothing,
}

impl DayEndState {
    /// The screen as it opens: `day` (the office's today) being counted.
    pub fn counting(day: Date) -> DayEndState {
        DayEndState {
            day,
            view: None,
            busy: Some(Msg::new("day-end-counting")),
            error: None,
            printed: None,
        }
    }

    pub fn loaded(&mut self, result: Result<Box<DayView>, Msg>) {
        // A day the supervisor has moved on from since: its count is of no use.
        if let Ok(view) = &result
            && view.day != self.day
        {
            return;
        }
        self.busy = None;
        match result {
            Ok(view) => {
                self.view = Some(*view);
                self.error = None;
            }
            Err(msg) => self.error = Some(msg),
        }
    }

    /// The close answered: the day as kept and what the printer did, or why it was not closed.
    pub fn closed(&mut self, result: Result<(Box<DayView>, Msg), Msg>) {
        self.busy = None;
        match result {
            Ok((view, printed)) => {
                self.view = Some(*view);
                self.printed = Some(printed);
                self.error = None;
            }
            Err(msg) => self.error = Some(msg),
        }
    }

    /// Enter closes a day that is counted and not closed yet, once; ← and → move to the day
    /// before or after, never past `today` (the office's).
    pub fn command(&mut self, command: Command, today: Date) -> Enter {
        // While a day is closed nothing moves; while one is counted, the next key counts another.
        if self.busy.is_some() && (command == Command::Enter || self.view.is_some()) {
            return Enter::Nothing;
        }
        let step = match command {
            Command::Less => self.day.previous_day(),
            Command::More => self.day.next_day(),
            Command::Enter => return self.close(today),
            _ => return Enter::Nothing,
        };
        let Some(day) = step else { return Enter::Nothing };
        if day > today {
            self.error = Some(refusal_msg(&CloseRefused::FutureDay { day }));
            return Enter::Nothing;
        }
        *self = DayEndState::counting(day);
        Enter::Load(day)
    }

    fn close(&mut self, today: Date) -> Enter {
        let Some(view) = &self.view else { return Enter::Nothing };
        if view.day > today {
            return Enter::Say(refusal_msg(&CloseRefused::FutureDay { day: view.day }));
        }
        if let Some(closed) = &view.closed {
            let refusal = CloseRefused::AlreadyClosed { by: closed.supervisor, at: closed.at };
            let args = refusal
                .message_args()
                .into_iter()
                .map(|(k, v)| if k == "by" { (k, closed.username.clone()) } else { (k, v) })
                .collect();
            return Enter::Say(Msg::with(refusal.message_id(), args));
        }
        let day = view.day;
        self.busy = Some(Msg::new("day-end-closing"));
        self.error = None;
        Enter::Close(day)
    }
}

fn refusal_msg(refusal: &CloseRefused) -> Msg {
    Msg::with(refusal.message_id(), refusal.message_args())
}

/// What the screen says about the report it printed.
pub fn printed_msg(printed: Result<ReportPrint, PrintFailure>) -> Msg {
    use printers::spool::SpoolState;
    match printed {
        Ok(ReportPrint::Spooled(job)) => {
            let id = vec![("job", job.id.to_string())];
            match job.state {
                SpoolState::Printed => Msg::with("print-printed", id),
                SpoolState::Sending if job.ipp_job_id.is_some() => {
                    Msg::with("print-at-printer", id)
                }
                SpoolState::Waiting | SpoolState::Sending => Msg::with("day-end-print-waiting", id),
                SpoolState::Failed | SpoolState::Cancelled | SpoolState::Expired => {
                    Msg::with("day-end-print-job-failed", id)
                }
            }
        }
        Ok(ReportPrint::File(path)) => {
            Msg::with("day-end-printed-file", vec![("file", path.to_string_lossy().into_owned())])
        }
        Err(failure) => Msg::with(failure.message_id(), failure.message_args()),
    }
}

fn t(lang: Language, id: &str) -> String {
    i18n::text(lang, id)
}

fn money_lines(lang: Language, lines: &[PaymentTotal], width: usize) -> Vec<String> {
    if lines.is_empty() {
        return vec![format!("  {}", t(lang, "day-end-none"))];
    }
    lines
        .iter()
        .map(|line| {
            let method = match line.method {
                Some(method) => t(lang, &format!("visit-method-{}", method.as_str())),
                None => t(lang, "day-end-method-none"),
            };
            let count = i18n::text_with(
                lang,
                "day-end-payments",
                &[("count", i64::from(line.count).into())],
            );
            fit(&format!("  {method} · {count} · {}", line.total), width)
        })
        .collect()
}

fn application_line(lang: Language, line: &ApplicationLine, width: usize) -> String {
    let service = t(lang, &service_id(line.service));
    let state = t(lang, &format!("application-state-{}", line.state.as_str()));
    fit(&format!("  {}  {}  {state}", pad(&safe(&line.reference), 17), pad(&service, 20)), width)
}

pub fn view(state: &DayEndState, lang: Language, frame: &mut Frame<'_>, area: Rect) {
    let block = Block::new().borders(Borders::ALL).title(format!(" {} ", t(lang, "day-end-title")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let Some(view) = &state.view else {
        let msg = state.error.as_ref().or(state.busy.as_ref());
        let text = msg.map(|m| m.text(lang)).unwrap_or_default();
        frame.render_widget(
            Paragraph::new(safe(&text).into_owned()).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };
    let report = &view.report;
    let heading = match &view.closed {
        Some(c) => format!(
            "{} {} · {} {} · {} {} {:02}:{:02}",
            t(lang, "day-end-counter"),
            safe(&view.kiosk),
            t(lang, "day-end-closed-by"),
            safe(&c.username),
            t(lang, "day-end-closed-at"),
            c.at.date(),
            c.at.hour(),
            c.at.minute()
        ),
        None => format!(
            "{} {} · {}",
            t(lang, "day-end-counter"),
            safe(&view.kiosk),
            t(lang, "day-end-not-closed")
        ),
    };
    let [head, columns, rest] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(10), Constraint::Min(1)])
            .areas(inner);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(fit(&format!("{} {}", t(lang, "day-end-day"), view.day), width), bold),
            Line::from(fit(&heading, width)),
        ]),
        head,
    );

    let [left, right] =
        Layout::horizontal([Constraint::Length(30), Constraint::Min(20)]).areas(columns);
    let (lw, rw) = (usize::from(left.width), usize::from(right.width));
    let mut services = vec![Line::styled(fit(&t(lang, "day-end-services"), lw), bold)];
    for s in &report.services {
        let name = pad(&t(lang, &service_id(s.service)), lw.saturating_sub(6));
        services.push(Line::from(fit(&format!("  {name}{:>3}", s.completed), lw)));
    }
    let total = pad(&t(lang, "day-end-services-total"), lw.saturating_sub(6));
    services
        .push(Line::styled(fit(&format!("  {total}{:>3}", report.services_completed()), lw), bold));
    frame.render_widget(Paragraph::new(services), left);

    let mut figures = vec![Line::styled(fit(&t(lang, "day-end-fees"), rw), bold)];
    figures.extend(money_lines(lang, &report.payments, rw).into_iter().map(Line::from));
    if !report.refunds.is_empty() {
        figures.push(Line::styled(fit(&t(lang, "day-end-refunds"), rw), bold));
        figures.extend(money_lines(lang, &report.refunds, rw).into_iter().map(Line::from));
    }
    figures.push(Line::styled(fit(&t(lang, "day-end-tokens"), rw), bold));
    figures.push(Line::from(fit(
        &format!(
            "  {} {} · {} {} · {} {}",
            t(lang, "day-end-tokens-used"),
            report.tokens_used.len(),
            t(lang, "day-end-tokens-spoiled"),
            report.tokens_spoiled.len(),
            t(lang, "day-end-tokens-lost"),
            report.tokens_lost.len()
        ),
        rw,
    )));
    figures.push(Line::styled(fit(&t(lang, "day-end-forms"), rw), bold));
    figures.push(Line::from(fit(
        &format!(
            "  {} {} · {} {}",
            t(lang, "day-end-forms-printed"),
            report.forms_printed,
            t(lang, "day-end-forms-unsigned"),
            report.forms_unsigned.len()
        ),
        rw,
    )));
    frame.render_widget(Paragraph::new(figures), right);

    // The open applications take what room is left above the state lines.
    let mut footer: Vec<Line<'_>> = Vec::new();
    if let Some(busy) = &state.busy {
        footer.push(Line::styled(fit(&busy.text(lang), width), Style::new().fg(Color::Yellow)));
    }
    if let Some(printed) = &state.printed {
        footer.push(Line::styled(
            fit(&safe(&printed.text(lang)), width),
            Style::new().fg(Color::Cyan),
        ));
    }
    if let Some(error) = &state.error {
        footer.push(Line::styled(
            safe(&error.text(lang)).into_owned(),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    if view.closed.is_none() && state.busy.is_none() {
        footer.push(Line::from(t(lang, "day-end-close-hint")));
    }
    let footer_rows =
        footer.iter().map(|l| (l.width().max(1)).div_ceil(width.max(1))).sum::<usize>();
    let room = usize::from(rest.height).saturating_sub(footer_rows + 1);
    let open = &report.open_applications;
    let mut lines = vec![Line::styled(
        fit(&format!("{} ({})", t(lang, "day-end-open"), open.len()), width),
        bold,
    )];
    let shown = if open.len() > room { room.saturating_sub(1) } else { open.len() };
    lines.extend(
        open.iter().take(shown).map(|line| Line::from(application_line(lang, line, width))),
    );
    if shown < open.len() {
        let more = i18n::text_with(
            lang,
            "day-end-more",
            &[("count", i64::try_from(open.len() - shown).unwrap_or(i64::MAX).into())],
        );
        lines.push(Line::styled(
            fit(&format!("  {more}"), width),
            Style::new().add_modifier(Modifier::DIM),
        ));
    }
    lines.extend(footer);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
}
