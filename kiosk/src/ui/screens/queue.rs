//! The day's queue, the screen after sign-in: today's appointments, walk-in tickets, the
//! certificates due for renewal, and (for supervisors) what waits for their approval and, when
//! replication found any, the conflicts they must decide (two rows each: Enter on a row opens
//! that record's file, or its token holder's; deciding is theirs, outside the app for now).

use i18n::Language;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use registry::model::{AppointmentStatus, CertificateClass, RecordId, RecordKind, TicketStatus};
use time::UtcOffset;

use crate::counter::DayQueue;
use crate::ui::keys::Command;
use crate::ui::msg::Msg;
use crate::ui::widgets::{fit, safe};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Appointments,
    WalkIns,
    Renewals,
    Approvals,
    Conflicts,
}

impl Tab {
    /// The tabs a clerk of this role sees, in order; the conflicts tab only while there are
    /// conflicts.
    pub fn all(supervisor: bool, conflicts: bool) -> &'static [Tab] {
        match (supervisor, conflicts) {
            (true, true) => {
                &[Tab::Appointments, Tab::WalkIns, Tab::Renewals, Tab::Approvals, Tab::Conflicts]
            }
            (true, false) => &[Tab::Appointments, Tab::WalkIns, Tab::Renewals, Tab::Approvals],
            (false, _) => &[Tab::Appointments, Tab::WalkIns, Tab::Renewals],
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn message_id(self) -> &'static str {
        match self {
            Tab::Appointments => "queue-tab-appointments",
            Tab::WalkIns => "queue-tab-walk-ins",
            Tab::Renewals => "queue-tab-renewals",
            Tab::Approvals => "queue-tab-approvals",
            Tab::Conflicts => "queue-tab-conflicts",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueState {
    pub tab: Tab,
    pub selected: [usize; 5],
    pub day: Option<DayQueue>,
    pub loading: bool,
    pub error: Option<Msg>,
}

impl Default for QueueState {
    fn default() -> Self {
        QueueState {
            tab: Tab::Appointments,
            selected: [0; 5],
            day: None,
            loading: false,
            error: None,
        }
    }
}

impl QueueState {
    fn rows(&self, tab: Tab) -> usize {
        let Some(day) = &self.day else { return 0 };
        match tab {
            Tab::Appointments => day.appointments.len(),
            Tab::WalkIns => day.walk_ins.len(),
            Tab::Renewals => day.renewals.len(),
            Tab::Approvals => day.awaiting_approval.len(),
            // Two rows a conflict: one for each record.
            Tab::Conflicts => day.conflicts.len() * 2,
        }
    }

    /// The tabs shown to a clerk of this role now.
    pub fn tabs(&self, supervisor: bool) -> &'static [Tab] {
        Tab::all(supervisor, self.rows(Tab::Conflicts) > 0)
    }

    pub fn loaded(&mut self, result: Result<DayQueue, Msg>) {
        self.loading = false;
        match result {
            Ok(day) => {
                self.day = Some(day);
                self.error = None;
                for tab in Tab::all(true, true) {
                    let n = self.rows(*tab);
                    let s = &mut self.selected[tab.index()];
                    *s = (*s).min(n.saturating_sub(1));
                }
                // The conflicts were all put right: their tab goes.
                if self.tab == Tab::Conflicts && self.rows(Tab::Conflicts) == 0 {
                    self.tab = Tab::Approvals;
                }
            }
            Err(msg) => self.error = Some(msg),
        }
    }

    /// Moves between tabs and rows; Enter answers the record to open, if the row has one.
    pub fn command(
        &mut self,
        command: Command,
        supervisor: bool,
    ) -> Option<(RecordKind, RecordId)> {
        let tabs = self.tabs(supervisor);
        let at = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
        let rows = self.rows(self.tab);
        let selected = &mut self.selected[self.tab.index()];
        match command {
            Command::NextTab => self.tab = tabs[(at + 1) % tabs.len()],
            Command::PrevTab => self.tab = tabs[(at + tabs.len() - 1) % tabs.len()],
            Command::Up => *selected = selected.saturating_sub(1),
            Command::Down if *selected + 1 < rows => *selected += 1,
            Command::Enter => return self.subject(),
            _ => {}
        }
        None
    }

    /// On the approvals tab, the selected application: Enter opens its visit, where the
    /// supervisor sees what they approve.
    pub fn selected_approval(&self) -> Option<(RecordId, registry::model::Service)> {
        if self.tab != Tab::Approvals {
            return None;
        }
        let a = self.day.as_ref()?.awaiting_approval.get(self.selected[self.tab.index()])?;
        Some((a.application, a.service))
    }

    /// The person or organisation of the selected row.
    fn subject(&self) -> Option<(RecordKind, RecordId)> {
        let day = self.day.as_ref()?;
        let i = self.selected[self.tab.index()];
        let holder = |person: Option<RecordId>, org: Option<RecordId>| {
            org.map(|o| (RecordKind::Organisation, o)).or(person.map(|p| (RecordKind::Person, p)))
        };
        match self.tab {
            Tab::Appointments => {
                let a = day.appointments.get(i)?;
                holder(a.person, a.organisation)
            }
            Tab::WalkIns => None,
            Tab::Renewals => {
                let r = day.renewals.get(i)?;
                holder(r.holder_person, r.holder_organisation)
            }
            Tab::Approvals => {
                let a = day.awaiting_approval.get(i)?;
                holder(Some(a.applicant), a.organisation)
            }
            Tab::Conflicts => day.conflicts.get(i / 2)?.sides.get(i % 2)?.opens,
        }
    }
}

/// The message that says what a conflict's two records share.
pub fn conflict_id(kind: crate::sync::conflicts::ConflictKind) -> &'static str {
    use crate::sync::conflicts::ConflictKind;
    match kind {
        ConflictKind::IdNumber => "queue-conflict-id-number",
        ConflictKind::TokenSerial => "queue-conflict-token-serial",
    }
}

/// The conflicts tab's rows, two for each conflict: what the records share, then the number
/// (masked) or serial, beside each record's name, kind and id.
fn conflict_cells(day: &DayQueue, lang: Language) -> Vec<[String; 4]> {
    use crate::sync::conflicts::ConflictKind;
    let mut rows = Vec::with_capacity(day.conflicts.len() * 2);
    for conflict in &day.conflicts {
        let what =
            [i18n::text(lang, conflict_id(conflict.kind)), safe(&conflict.shared).into_owned()];
        for (what, side) in what.into_iter().zip(&conflict.sides) {
            let kind = match conflict.kind {
                ConflictKind::IdNumber => "queue-conflict-person",
                ConflictKind::TokenSerial => "queue-conflict-token",
            };
            rows.push([
                what,
                side.name.as_deref().map(|name| safe(name).into_owned()).unwrap_or_default(),
                i18n::text(lang, kind),
                side.record.to_string(),
            ]);
        }
    }
    rows
}

pub fn appointment_status_id(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => "appointment-status-booked",
        AppointmentStatus::CheckedIn => "appointment-status-checked-in",
        AppointmentStatus::Served => "appointment-status-served",
        AppointmentStatus::NoShow => "appointment-status-no-show",
        AppointmentStatus::Cancelled => "appointment-status-cancelled",
    }
}

pub fn ticket_status_id(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::Waiting => "ticket-status-waiting",
        TicketStatus::Called => "ticket-status-called",
        TicketStatus::Served => "ticket-status-served",
        TicketStatus::Left => "ticket-status-left",
    }
}

pub fn class_id(class: CertificateClass) -> &'static str {
    match class {
        CertificateClass::Qualified => "certificate-class-qualified",
        CertificateClass::Standard => "certificate-class-standard",
        CertificateClass::Encryption => "certificate-class-encryption",
        CertificateClass::CloudSign => "certificate-class-cloud-sign",
    }
}

pub fn service_id(service: registry::model::Service) -> String {
    format!("service-{}", service.as_str())
}

fn hhmm(at: time::OffsetDateTime, offset: UtcOffset) -> String {
    let local = at.to_offset(offset);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

pub fn view(
    state: &QueueState,
    lang: Language,
    supervisor: bool,
    offset: UtcOffset,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let t = |id: &str| i18n::text(lang, id);
    let [tabs_row, body] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    // The tabs on their line, and on the line below what does not fit (a supervisor's five
    // tabs at 80 columns), so that no tab is ever cut off; the date after the last.
    let mut lines: Vec<Vec<Span<'_>>> = vec![Vec::new()];
    let mut used = 0usize;
    for tab in state.tabs(supervisor) {
        let count = if *tab == Tab::Conflicts { state.rows(*tab) / 2 } else { state.rows(*tab) };
        let label = format!(" {} ({count}) ", t(tab.message_id()));
        let width = unicode_width::UnicodeWidthStr::width(label.as_str()) + 1;
        if used > 0 && used + width > usize::from(tabs_row.width) && lines.len() < 2 {
            lines.push(Vec::new());
            used = 0;
        }
        used += width;
        let style = if *tab == state.tab {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        if let Some(line) = lines.last_mut() {
            line.push(Span::styled(label, style));
            line.push(Span::raw(" "));
        }
    }
    let date = state.day.as_ref().map(|d| d.date.to_string()).unwrap_or_default();
    if let Some(line) = lines.last_mut() {
        line.push(Span::styled(date, Style::new().add_modifier(Modifier::DIM)));
    }
    let lines: Vec<Line<'_>> = lines.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(lines), tabs_row);

    if let Some(error) = &state.error {
        let text = safe(&error.text(lang)).into_owned();
        frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), body);
        return;
    }
    let Some(day) = &state.day else {
        frame.render_widget(Paragraph::new(t("queue-loading")), body);
        return;
    };
    if state.rows(state.tab) == 0 {
        let empty = match state.tab {
            Tab::Appointments => "queue-no-appointments",
            Tab::WalkIns => "queue-no-walk-ins",
            Tab::Renewals => "queue-no-renewals",
            Tab::Approvals => "queue-no-approvals",
            Tab::Conflicts => "queue-no-conflicts",
        };
        frame.render_widget(
            Paragraph::new(t(empty)).style(Style::new().add_modifier(Modifier::DIM)),
            body,
        );
        return;
    }
    let (header, widths, rows): ([&str; 4], [Constraint; 4], Vec<[String; 4]>) = match state.tab {
        Tab::Appointments => (
            ["queue-col-slot", "queue-col-name", "queue-col-service", "queue-col-status"],
            [
                Constraint::Length(6),
                Constraint::Fill(2),
                Constraint::Fill(1),
                Constraint::Length(14),
            ],
            day.appointments
                .iter()
                .map(|a| {
                    [
                        hhmm(a.slot, offset),
                        safe(&a.booked_name).into_owned(),
                        t(&service_id(a.service)),
                        t(appointment_status_id(a.status)),
                    ]
                })
                .collect(),
        ),
        Tab::WalkIns => (
            ["queue-col-ticket", "queue-col-issued", "queue-col-service", "queue-col-status"],
            [
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Fill(1),
                Constraint::Length(14),
            ],
            day.walk_ins
                .iter()
                .map(|w| {
                    [
                        safe(&w.number).into_owned(),
                        hhmm(w.issued_at, offset),
                        t(&service_id(w.service)),
                        t(ticket_status_id(w.status)),
                    ]
                })
                .collect(),
        ),
        Tab::Renewals => (
            ["queue-col-name", "queue-col-class", "queue-col-serial", "queue-col-days-left"],
            [
                Constraint::Fill(2),
                Constraint::Length(12),
                Constraint::Fill(1),
                Constraint::Length(10),
            ],
            day.renewals
                .iter()
                .map(|r| {
                    [
                        safe(&r.holder_name).into_owned(),
                        t(class_id(r.class)),
                        safe(r.serial.as_deref().unwrap_or("")).into_owned(),
                        i18n::text_with(lang, "queue-days", &[("count", r.days_left.into())]),
                    ]
                })
                .collect(),
        ),
        Tab::Approvals => (
            [
                "queue-col-reference",
                "queue-col-name",
                "queue-col-service",
                "queue-col-submitted-by",
            ],
            [
                Constraint::Length(14),
                Constraint::Fill(2),
                Constraint::Fill(1),
                Constraint::Length(14),
            ],
            day.awaiting_approval
                .iter()
                .map(|a| {
                    [
                        safe(&a.reference).into_owned(),
                        safe(&a.subscriber_name).into_owned(),
                        t(&service_id(a.service)),
                        safe(a.submitted_by_name.as_deref().unwrap_or("")).into_owned(),
                    ]
                })
                .collect(),
        ),
        Tab::Conflicts => (
            ["queue-col-conflict", "queue-col-name", "queue-col-record-kind", "queue-col-record"],
            [
                Constraint::Fill(2),
                Constraint::Fill(2),
                Constraint::Length(12),
                Constraint::Length(26),
            ],
            conflict_cells(day, lang),
        ),
    };
    let widths_cells: Vec<u16> = Layout::horizontal(widths)
        .spacing(1)
        .split(Rect { width: body.width.saturating_sub(2), ..body })
        .iter()
        .map(|r| r.width)
        .collect();
    let header = Row::new(header.map(|id| Cell::from(t(id))))
        .style(Style::new().add_modifier(Modifier::BOLD));
    let rows = rows.into_iter().map(|cells| {
        Row::new(
            cells
                .into_iter()
                .zip(&widths_cells)
                .map(|(text, w)| Cell::from(fit(&text, usize::from(*w)))),
        )
    });
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ");
    let mut table_state =
        TableState::default().with_selected(Some(state.selected[state.tab.index()]));
    frame.render_stateful_widget(table, body, &mut table_state);
}
