//! An organisation's members screen (seed 004, 授权管理): its members with their roles, and
//! under each the certificates and seals they may use (years, until when, whether in force).
//! The clerk adds, changes, suspends, resumes and ends authorisations and hands the
//! administrator role over; each action is a job (`kiosk::members`) that checks the rule
//! against the store and answers the screen as saved. Ending an authorisation and handing the
//! administrator over ask first.

use i18n::Language;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::members::AUTHORISATION_YEARS;
use registry::model::{AuthorisationStatus, MemberRole, RecordId};
use time::OffsetDateTime;

use crate::counter::both_names;
use crate::members::{
    AuthorisationLine, MemberLine, MembersError, MembersOp, MembersView, ObjectLabel, ObjectLine,
};
use crate::subscriber_file::Party;
use crate::ui::jobs::{Done, JobContext};
use crate::ui::keys::{Command, Scope};
use crate::ui::msg::Msg;
use crate::ui::screens::queue::class_id;
use crate::ui::screens::subscriber::member_role_id;
use crate::ui::widgets::{fit, pad, safe};

/// A form over the list: what an action needs before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// 添加授权: which certificate or seal (an index into [`MembersState::choices`]), how many
    /// years.
    Grant { grantee: RecordId, object: usize, years: u8 },
    /// 修改授权: the same, for an authorisation the person has.
    Change { authorisation: RecordId, object: usize, years: u8 },
    /// 转让管理员: the new administrator, and whether the signed letter is in hand.
    Transfer { to: RecordId, letter: bool },
}

/// What is asked before it is done: both cannot be undone from this screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    End { authorisation: RecordId },
    Transfer { to: RecordId },
}

/// One line of the list: a member, or one of their authorisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Member(usize),
    Authorisation(usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MembersState {
    pub organisation: RecordId,
    /// `None` until the first answer.
    pub view: Option<Box<MembersView>>,
    /// A job is working: what it does.
    pub busy: Option<Msg>,
    /// Why the last action was refused, or the screen could not open.
    pub error: Option<Msg>,
    /// What the last action did.
    pub info: Option<Msg>,
    /// Index into [`MembersState::rows`].
    pub selected: usize,
    pub form: Option<Form>,
    pub confirm: Option<Confirm>,
}

impl MembersState {
    pub fn loading(organisation: RecordId) -> MembersState {
        MembersState {
            organisation,
            view: None,
            busy: Some(Msg::new("members-loading")),
            error: None,
            info: None,
            selected: 0,
            form: None,
            confirm: None,
        }
    }

    /// Which rows of the key table apply.
    pub fn scope(&self) -> Scope {
        match (&self.confirm, &self.form) {
            (Some(_), _) => Scope::MembersConfirm,
            (None, Some(Form::Transfer { .. })) => Scope::MembersTransfer,
            (None, Some(_)) => Scope::MembersForm,
            (None, None) => Scope::Members,
        }
    }

    /// Every line of the list, top to bottom.
    pub fn rows(&self) -> Vec<Row> {
        let Some(view) = &self.view else { return Vec::new() };
        let mut rows = Vec::new();
        for (m, member) in view.members.iter().enumerate() {
            rows.push(Row::Member(m));
            rows.extend((0..member.authorisations.len()).map(|a| Row::Authorisation(m, a)));
        }
        rows
    }

    fn selected_row(&self) -> Option<Row> {
        self.rows().get(self.selected).copied()
    }

    /// The member of the selected line (an authorisation's is its grantee's).
    fn selected_member(&self) -> Option<&MemberLine> {
        let view = self.view.as_ref()?;
        match self.selected_row()? {
            Row::Member(m) | Row::Authorisation(m, _) => view.members.get(m),
        }
    }

    fn selected_authorisation(&self) -> Option<(&MemberLine, &AuthorisationLine)> {
        let view = self.view.as_ref()?;
        match self.selected_row()? {
            Row::Authorisation(m, a) => {
                let member = view.members.get(m)?;
                Some((member, member.authorisations.get(a)?))
            }
            Row::Member(_) => None,
        }
    }

    /// What the open form offers: the certificates and seals an employee may be given; for a
    /// change, the one it has first even if it may no longer be given.
    pub fn choices(&self) -> Vec<ObjectLine> {
        let Some(view) = &self.view else { return Vec::new() };
        let mut choices = view.objects.clone();
        if let Some(Form::Change { authorisation, .. }) = &self.form
            && let Some(line) = self.line(*authorisation)
            && !choices.iter().any(|o| o.object == line.authorisation.object)
        {
            choices.insert(0, line.object.clone());
        }
        choices
    }

    fn line(&self, authorisation: RecordId) -> Option<&AuthorisationLine> {
        self.view
            .as_ref()?
            .members
            .iter()
            .flat_map(|m| &m.authorisations)
            .find(|l| l.authorisation.id == authorisation)
    }

    fn name_of(&self, person: RecordId) -> String {
        self.view
            .as_ref()
            .and_then(|v| v.members.iter().find(|m| m.person.id == person))
            .map_or_else(|| person.to_string(), |m| party_name(&m.person))
    }

    /// The job answered: the screen as saved (and what was done), or why not.
    pub fn loaded(&mut self, result: Result<Option<Box<MembersView>>, Msg>, done: Option<Msg>) {
        self.busy = None;
        match result {
            Ok(Some(view)) => {
                // The selection stays on the same person or authorisation.
                let key = self.selected_key();
                self.view = Some(view);
                self.selected = key.and_then(|k| self.find_key(k)).unwrap_or(0);
                self.error = None;
                self.info = done;
                self.form = None;
                self.confirm = None;
            }
            Ok(None) => self.error = Some(Msg::new("members-not-found")),
            Err(msg) => {
                self.error = Some(msg);
                self.info = None;
                self.confirm = None;
            }
        }
    }

    fn selected_key(&self) -> Option<RecordId> {
        match self.selected_row()? {
            Row::Authorisation(..) => {
                self.selected_authorisation().map(|(_, l)| l.authorisation.id)
            }
            Row::Member(_) => self.selected_member().map(|m| m.person.id),
        }
    }

    fn find_key(&self, key: RecordId) -> Option<usize> {
        let view = self.view.as_ref()?;
        self.rows().iter().position(|row| match *row {
            Row::Member(m) => view.members[m].person.id == key,
            Row::Authorisation(m, a) => view.members[m].authorisations[a].authorisation.id == key,
        })
    }
}

/// What a key does on the screen (Esc with nothing open is the app's: it leaves the screen).
pub fn command(state: &mut MembersState, command: Command) -> Vec<MembersOp> {
    if state.busy.is_some() {
        state.error = Some(Msg::new("members-wait"));
        return Vec::new();
    }
    if state.view.is_none() {
        return Vec::new();
    }
    state.error = None;
    let organisation = state.organisation;
    if let Some(confirm) = state.confirm.clone() {
        return match command {
            Command::Yes => {
                state.confirm = None;
                let op = match confirm {
                    Confirm::End { authorisation } => {
                        MembersOp::End { organisation, authorisation }
                    }
                    Confirm::Transfer { to } => MembersOp::TransferAdministrator {
                        organisation,
                        to,
                        letter_collected: true,
                    },
                };
                send(state, op)
            }
            Command::No | Command::Back => {
                state.confirm = None;
                Vec::new()
            }
            _ => Vec::new(),
        };
    }
    if let Some(form) = state.form.clone() {
        return form_command(state, form, command);
    }
    let rows = state.rows().len();
    match command {
        Command::Up => {
            state.selected = state.selected.saturating_sub(1);
            Vec::new()
        }
        Command::Down => {
            state.selected = (state.selected + 1).min(rows.saturating_sub(1));
            Vec::new()
        }
        Command::Grant => {
            let Some(member) = state.selected_member() else {
                state.error = Some(Msg::new("members-select-member"));
                return Vec::new();
            };
            let grantee = member.person.id;
            if state.choices().is_empty() {
                state.error = Some(Msg::new("members-nothing-to-grant"));
            } else {
                state.info = None;
                state.form =
                    Some(Form::Grant { grantee, object: 0, years: *AUTHORISATION_YEARS.start() });
            }
            Vec::new()
        }
        Command::Transfer => {
            let Some(to) = state.selected_member().map(|m| m.person.id) else {
                state.error = Some(Msg::new("members-select-member"));
                return Vec::new();
            };
            state.info = None;
            state.form = Some(Form::Transfer { to, letter: false });
            Vec::new()
        }
        Command::ChangeGrant | Command::Suspend | Command::Resume | Command::EndGrant => {
            let Some((_, line)) = state.selected_authorisation() else {
                state.error = Some(Msg::new("members-select-authorisation"));
                return Vec::new();
            };
            let authorisation = line.authorisation.id;
            let years = line.years.clamp(*AUTHORISATION_YEARS.start(), *AUTHORISATION_YEARS.end());
            match command {
                Command::ChangeGrant => {
                    let object = line.authorisation.object;
                    state.info = None;
                    // The form opens on what the authorisation has now (which the choices
                    // include once the form is open, even if it may no longer be given).
                    state.form = Some(Form::Change { authorisation, object: 0, years });
                    let at = state.choices().iter().position(|o| o.object == object).unwrap_or(0);
                    state.form = Some(Form::Change { authorisation, object: at, years });
                    Vec::new()
                }
                Command::Suspend => {
                    send(state, MembersOp::Withdraw { organisation, authorisation })
                }
                Command::Resume => send(state, MembersOp::Restore { organisation, authorisation }),
                _ => {
                    state.info = None;
                    state.confirm = Some(Confirm::End { authorisation });
                    Vec::new()
                }
            }
        }
        _ => Vec::new(),
    }
}

fn form_command(state: &mut MembersState, form: Form, command: Command) -> Vec<MembersOp> {
    let organisation = state.organisation;
    let choices = state.choices();
    let (min, max) = (*AUTHORISATION_YEARS.start(), *AUTHORISATION_YEARS.end());
    match (&form, command) {
        (_, Command::Back) => {
            state.form = None;
            Vec::new()
        }
        (Form::Transfer { to, letter }, Command::Toggle) => {
            state.form = Some(Form::Transfer { to: *to, letter: !letter });
            Vec::new()
        }
        (Form::Transfer { letter: false, .. }, Command::Enter) => {
            state.error = Some(Msg::new("members-letter-required"));
            Vec::new()
        }
        (Form::Transfer { to, letter: true }, Command::Enter) => {
            state.form = None;
            state.confirm = Some(Confirm::Transfer { to: *to });
            Vec::new()
        }
        (Form::Transfer { .. }, _) => Vec::new(),
        (Form::Grant { object, years, .. } | Form::Change { object, years, .. }, _) => {
            let (object, years) = (*object, *years);
            let n = choices.len().max(1);
            let next = match command {
                Command::Up => Some(((object + n - 1) % n, years)),
                Command::Down => Some(((object + 1) % n, years)),
                Command::Less if years > min => Some((object, years - 1)),
                Command::More if years < max => Some((object, years + 1)),
                Command::Less | Command::More => {
                    let bounds = vec![("min", min.to_string()), ("max", max.to_string())];
                    state.error = Some(Msg::with("members-years-bounds", bounds));
                    None
                }
                Command::Enter => {
                    let Some(chosen) = choices.get(object).map(|o| o.object) else {
                        return Vec::new();
                    };
                    let op = match form {
                        Form::Grant { grantee, .. } => {
                            MembersOp::Grant { organisation, grantee, object: chosen, years }
                        }
                        Form::Change { authorisation, .. } => {
                            MembersOp::Change { organisation, authorisation, object: chosen, years }
                        }
                        Form::Transfer { .. } => return Vec::new(),
                    };
                    return send(state, op);
                }
                _ => None,
            };
            if let Some((object, years)) = next {
                state.form = Some(form.with(object, years));
            }
            Vec::new()
        }
    }
}

impl Form {
    /// The same form with another choice and other years.
    fn with(self, object: usize, years: u8) -> Form {
        match self {
            Form::Grant { grantee, .. } => Form::Grant { grantee, object, years },
            Form::Change { authorisation, .. } => Form::Change { authorisation, object, years },
            other => other,
        }
    }
}

fn send(state: &mut MembersState, op: MembersOp) -> Vec<MembersOp> {
    state.busy = Some(Msg::new("members-saving"));
    state.error = None;
    state.info = None;
    vec![op]
}

/// What the screen says once an action is saved.
fn done_msg(op: &MembersOp) -> Msg {
    Msg::new(match op {
        MembersOp::Grant { .. } => "members-granted",
        MembersOp::Change { .. } => "members-changed",
        MembersOp::Withdraw { .. } => "members-withdrawn",
        MembersOp::Restore { .. } => "members-restored",
        MembersOp::End { .. } => "members-ended",
        MembersOp::TransferAdministrator { .. } => "members-transferred",
    })
}

/// The job: reads the screen (`op: None`) or does an action, each with its own store.
pub fn run(
    ctx: &JobContext,
    organisation: RecordId,
    op: Option<MembersOp>,
    clerk: Option<RecordId>,
) -> Done {
    let now = ctx.now();
    let (result, done) = match (ctx.open_store(), op) {
        (Err(e), _) => (Err(Msg::store(&e)), None),
        (Ok(store), None) => (
            crate::members::load(&store, organisation, now)
                .map(|v| v.map(Box::new))
                .map_err(|e| Msg::store(&e)),
            None,
        ),
        (Ok(mut store), Some(op)) => {
            let done = done_msg(&op);
            let result = crate::members::apply(&mut store, clerk, op, now)
                .map(|v| Some(Box::new(v)))
                .map_err(|e| error_msg(&e));
            (result, Some(done))
        }
    };
    Done::Members { organisation, result, done }
}

fn error_msg(e: &MembersError) -> Msg {
    match (e, e.message_id()) {
        (MembersError::Store(e), _) => Msg::store(e),
        (_, Some(id)) => Msg::with(id, e.message_args()),
        (_, None) => Msg::new("members-not-found"),
    }
}

// ---- view ----

fn party_name(party: &Party) -> String {
    both_names(party.name_zh.as_deref(), party.name_latin.as_deref(), " ")
        .map_or_else(|| party.id.to_string(), |names| safe(&names).into_owned())
}

fn object_text(object: &ObjectLine, lang: Language) -> String {
    match &object.label {
        ObjectLabel::Certificate { class, serial } => i18n::text_with(
            lang,
            "members-object-certificate",
            &[
                ("class", i18n::text(lang, class_id(*class)).into()),
                ("serial", serial.clone().unwrap_or_default().into()),
            ],
        ),
        ObjectLabel::Seal { name, .. } => {
            i18n::text_with(lang, "members-object-seal", &[("name", name.clone().into())])
        }
        ObjectLabel::Unknown => i18n::text(lang, "members-object-unknown"),
    }
}

fn status_text(line: &AuthorisationLine, lang: Language, now: OffsetDateTime) -> (String, Style) {
    let a = &line.authorisation;
    let (id, style) = match a.status {
        AuthorisationStatus::Active if line.in_force => {
            ("members-status-in-force", Style::new().fg(Color::Green))
        }
        AuthorisationStatus::Active if a.valid_until < now.date() => {
            ("members-status-expired", Style::new().fg(Color::Yellow))
        }
        AuthorisationStatus::Active => ("members-status-not-yet", Style::new().fg(Color::Yellow)),
        AuthorisationStatus::Withdrawn => {
            ("members-status-suspended", Style::new().fg(Color::Yellow))
        }
        AuthorisationStatus::Cancelled => {
            ("members-status-ended", Style::new().add_modifier(Modifier::DIM))
        }
    };
    (i18n::text(lang, id), style)
}

fn years_text(years: u8, lang: Language) -> String {
    i18n::text_with(lang, "members-years", &[("count", years.into())])
}

/// The list's lines, one per row, each cut to `width` cells.
fn row_lines(
    state: &MembersState,
    view: &MembersView,
    lang: Language,
    now: OffsetDateTime,
    width: usize,
) -> Vec<Line<'static>> {
    let t = |id: &str| i18n::text(lang, id);
    let mut lines = Vec::new();
    for (i, row) in state.rows().into_iter().enumerate() {
        let selected = i == state.selected;
        let mark = if selected { "▶" } else { " " };
        let line = match row {
            Row::Member(m) => {
                let member = &view.members[m];
                let roles = if member.roles.is_empty() {
                    t("members-former")
                } else {
                    member
                        .roles
                        .iter()
                        .map(|r| t(member_role_id(*r)))
                        .collect::<Vec<_>>()
                        .join("、")
                };
                let mut text = format!("{mark}{} — {roles}", party_name(&member.person));
                if member.is(MemberRole::Employee) && member.authorisations.is_empty() {
                    text.push_str(&format!(" ({})", t("members-no-authorisations")));
                }
                Line::styled(fit(&text, width), Style::new().add_modifier(Modifier::BOLD))
            }
            Row::Authorisation(m, a) => {
                let line = &view.members[m].authorisations[a];
                let (status, style) = status_text(line, lang, now);
                let until = i18n::text_with(
                    lang,
                    "members-until",
                    &[("date", line.authorisation.valid_until.to_string().into())],
                );
                let object = safe(&object_text(&line.object, lang)).into_owned();
                // Object, years, until, status in columns; the object gives way on a narrow
                // screen.
                let fixed = 3 + 9 + 18 + 12;
                let object_width = width.saturating_sub(fixed).clamp(10, 36);
                let text = format!(
                    "{mark}  {} {} {} ",
                    pad(&object, object_width),
                    pad(&years_text(line.years, lang), 8),
                    pad(&until, 17),
                );
                Line::from(vec![Span::raw(fit(&text, width)), Span::styled(status, style)])
            }
        };
        lines.push(if selected {
            line.patch_style(Style::new().add_modifier(Modifier::REVERSED))
        } else {
            line
        });
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            format!(" {}", t("members-none")),
            Style::new().add_modifier(Modifier::DIM),
        ));
    }
    lines
}

/// The form or question under the list.
fn panel_lines(state: &MembersState, lang: Language, width: usize) -> Vec<Line<'static>> {
    let t = |id: &str| i18n::text(lang, id);
    let tn = |id: &str, person: RecordId| {
        i18n::text_with(lang, id, &[("name", state.name_of(person).into())])
    };
    let heading = |text: String| {
        Line::styled(
            fit(&text, width),
            Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
        )
    };
    let mut lines = Vec::new();
    if let Some(confirm) = &state.confirm {
        let text = match confirm {
            Confirm::End { authorisation } => {
                let line = state.line(*authorisation);
                let grantee = line.map_or(*authorisation, |l| l.authorisation.grantee);
                let object = line.map(|l| object_text(&l.object, lang)).unwrap_or_default();
                i18n::text_with(
                    lang,
                    "members-confirm-end",
                    &[("name", state.name_of(grantee).into()), ("object", safe(&object).into())],
                )
            }
            Confirm::Transfer { to } => tn("members-confirm-transfer", *to),
        };
        lines.push(Line::from(""));
        lines
            .push(Line::styled(text, Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)));
        return lines;
    }
    let Some(form) = &state.form else { return lines };
    lines.push(Line::from(""));
    match form {
        Form::Grant { grantee, object, years } => {
            lines.push(heading(tn("members-form-grant", *grantee)));
            object_lines(state, *object, *years, lang, width, &mut lines);
        }
        Form::Change { authorisation, object, years } => {
            let grantee = state.line(*authorisation).map(|l| l.authorisation.grantee);
            lines.push(heading(tn("members-form-change", grantee.unwrap_or(*authorisation))));
            object_lines(state, *object, *years, lang, width, &mut lines);
        }
        Form::Transfer { to, letter } => {
            lines.push(heading(tn("members-form-transfer", *to)));
            let mark = if *letter { "[x]" } else { "[ ]" };
            lines.push(Line::from(format!("{mark} {}", t("members-letter"))));
        }
    }
    lines
}

fn object_lines(
    state: &MembersState,
    object: usize,
    years: u8,
    lang: Language,
    width: usize,
    lines: &mut Vec<Line<'static>>,
) {
    let choice = state.choices().get(object).map(|o| safe(&object_text(o, lang)).into_owned());
    let count = state.choices().len();
    lines.push(Line::from(fit(
        &format!(
            "{}: ◀ {} ▶ ({}/{count})",
            i18n::text(lang, "members-form-object"),
            choice.unwrap_or_default(),
            object + 1
        ),
        width,
    )));
    lines.push(Line::from(fit(
        &format!("{}: ◀ {} ▶", i18n::text(lang, "members-form-years"), years_text(years, lang)),
        width,
    )));
}

pub fn view(
    state: &MembersState,
    lang: Language,
    now: OffsetDateTime,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let t = |id: &str| i18n::text(lang, id);
    let name = state.view.as_ref().map(|v| party_name(&v.organisation)).unwrap_or_default();
    let title = fit(
        &format!(" {} · {name} ", t("members-title")),
        usize::from(area.width).saturating_sub(4),
    );
    let block = Block::new().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut tail = panel_lines(state, lang, width.saturating_sub(1));
    if let Some(busy) = &state.busy {
        tail.push(Line::styled(
            fit(&safe(&busy.text(lang)), width.saturating_sub(1)),
            Style::new().fg(Color::Yellow),
        ));
    }
    if let Some(error) = &state.error {
        tail.push(Line::styled(
            safe(&error.text(lang)).into_owned(),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(info) = &state.info {
        tail.push(Line::styled(safe(&info.text(lang)).into_owned(), Style::new().fg(Color::Green)));
    }
    // The form and the messages sit a column in, under the names.
    let tail_width = width.saturating_sub(1);
    let tail_height = tail_rows(&tail, tail_width).min(inner.height.saturating_sub(1));
    let list = Rect { height: inner.height - tail_height, ..inner };
    let below = Rect {
        x: inner.x + 1,
        y: inner.y + list.height,
        width: inner.width.saturating_sub(1),
        height: tail_height,
    };
    if let Some(view) = &state.view {
        let rows = row_lines(state, view, lang, now, width);
        // The selected line stays on screen.
        let height = usize::from(list.height).max(1);
        let top = state.selected.saturating_sub(height - 1).min(rows.len().saturating_sub(height));
        let shown: Vec<Line<'static>> = rows.into_iter().skip(top).take(height).collect();
        frame.render_widget(Paragraph::new(shown), list);
    }
    frame.render_widget(Paragraph::new(tail).wrap(Wrap { trim: false }), below);
}

/// How many screen rows `lines` take when wrapped at `width`.
fn tail_rows(lines: &[Line<'_>], width: usize) -> u16 {
    let width = width.max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}
