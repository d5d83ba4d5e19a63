//! The app's state and its two functions: `update` (an action in, state changed, effects out;
//! no IO) and `view` (draws the state; changes nothing, reads nothing but the state).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use i18n::Language;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use registry::model::{Service, StaffRole};
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::signin::SignedIn;

use super::action::Action;
use super::jobs::{Done, Effect};
use super::keys::{self, Binding, Command, Scope};
use super::msg::Msg;
use super::screens::day_end::{self, DayEndState};
use super::screens::first_start::{self, FirstStart};
use super::screens::members::{self, MembersState};
use super::screens::new_person::{self, NewPersonState};
use super::screens::photos::{self, PhotosState};
use super::screens::queue::{self, QueueState};
use super::screens::search::{self, SearchState};
use super::screens::signin::{self, Purpose, SignInForm};
use super::screens::subscriber::{self, FileState};
use super::screens::visit::{self, VisitState};
use super::status::{Devices, SyncState};
use super::widgets::{self, fit, safe};

/// Smallest window the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The main screens. Esc walks back through the ones opened before.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    FirstStart(FirstStart),
    SignIn(SignInForm),
    Queue,
    Search,
    Subscriber(Box<FileState>),
    Photos(Box<PhotosState>),
    Visit(Box<VisitState>),
    DayEnd(Box<DayEndState>),
    Members(Box<MembersState>),
    NewPerson(Box<NewPersonState>),
}

/// What sits over the screen and takes the keys until it closes.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    ConfirmQuit,
    /// Which service a walk-in ticket is for.
    ServicePicker {
        selected: usize,
    },
    /// A walk-in ticket just issued: its number, and whether it went to the printer.
    Ticket {
        number: String,
        service: Service,
        printed: Option<Msg>,
    },
    /// Which service to start for the subscriber whose file is open; with `organisation`, for
    /// that organisation's own certificates, `applicant` acting for it.
    VisitPicker {
        applicant: registry::model::RecordId,
        organisation: Option<registry::model::RecordId>,
        selected: usize,
    },
    /// On an organisation's file: who of those who act for it is at the counter.
    AgentPicker {
        organisation: registry::model::RecordId,
        agents: Vec<crate::subscriber_file::Party>,
        selected: usize,
    },
}

/// The services a visit can be started for from a file, in the order the picker lists them.
pub const VISIT_SERVICES: [Service; 7] = [
    Service::Renewal,
    Service::NewIssuance,
    Service::Change,
    Service::Replacement,
    Service::PinUnlock,
    Service::Revocation,
    Service::Redispatch,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

/// A one-line message under the screen: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub msg: Msg,
    pub tone: Tone,
}

/// A keyboard-wedge scanner types a pass's `KQ1|…` payload and Enter as fast keys, wherever the
/// focus is. The wedge watches every key: once `KQ1|` has been typed it takes the keys itself
/// until Enter, and the field that received `KQ1` gets them back out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wedge {
    recent: String,
    capture: Option<String>,
}

/// The longest payload the wedge collects before it gives up (a pass is about 130 characters).
const MAX_WEDGE: usize = 512;
const PASS_START: &str = "KQ1|";
/// A signed form's QR code, scanned back (`printers::formcode`): `KF2|`, or `KF1|` printed
/// before print ids.
const FORM_STARTS: [&str; 2] = printers::formcode::STARTS;
/// What a scanner types that the wedge takes, wherever the focus is (each 4 characters).
const CODE_STARTS: [&str; 3] = [PASS_START, FORM_STARTS[0], FORM_STARTS[1]];

#[derive(Debug, PartialEq)]
enum WedgeStep {
    /// Not the wedge's: the key goes to the app.
    Pass,
    /// The wedge took the key.
    Taken,
    /// `KQ1|`, `KF2|` or `KF1|` was just completed: the focused field should drop the three
    /// characters it received (`KQ1`, `KF2` or `KF1`).
    Started(&'static str),
    /// Enter ended a payload.
    Payload(String),
}

impl Wedge {
    fn feed(&mut self, key: &KeyEvent) -> WedgeStep {
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if let Some(buffer) = &mut self.capture {
            return match key.code {
                KeyCode::Char(c) if plain && buffer.len() < MAX_WEDGE => {
                    buffer.push(c);
                    WedgeStep::Taken
                }
                KeyCode::Enter => {
                    let payload = std::mem::take(buffer);
                    self.capture = None;
                    WedgeStep::Payload(payload)
                }
                // Too long, or a key no scanner sends: not a pass after all.
                _ => {
                    self.capture = None;
                    WedgeStep::Pass
                }
            };
        }
        match key.code {
            KeyCode::Char(c) if plain => {
                self.recent.push(c);
                if let Some(start) = CODE_STARTS.iter().find(|s| self.recent.ends_with(*s)) {
                    self.recent.clear();
                    self.capture = Some((*start).to_owned());
                    return WedgeStep::Started(start.trim_end_matches('|'));
                }
                // Only the last few characters matter.
                if self.recent.len() > PASS_START.len() {
                    let cut = self.recent.char_indices().rev().nth(PASS_START.len() - 1);
                    if let Some((i, _)) = cut {
                        self.recent.drain(..i);
                    }
                }
                WedgeStep::Pass
            }
            _ => {
                self.recent.clear();
                WedgeStep::Pass
            }
        }
    }
}

/// Keys closer together than this come from a scanner, not a person.
pub const SCANNER_GAP: std::time::Duration = std::time::Duration::from_millis(30);

/// A scanner's burst of keys. A code that is not a pass (a payment or Wi-Fi QR code) typed
/// where letters are commands would otherwise press them: `weixin://…` would open the walk-in
/// picker and its Enter print a ticket. The first key of a possible burst is applied, with the
/// state before it kept; a second key within [`SCANNER_GAP`] undoes it and collects the rest.
#[derive(Debug, Clone, Default)]
pub struct Burst {
    last_at: Option<std::time::Duration>,
    /// The state before a plain key in a screen where letters are commands, and that key.
    before: Option<(Box<App>, char)>,
    /// The characters of a burst being collected, up to its Enter.
    text: Option<String>,
}

/// The app.
#[derive(Debug, Clone)]
pub struct App {
    pub lang: Language,
    pub office: String,
    pub kiosk_id: String,
    /// The last tick, in the office's time zone.
    pub now: OffsetDateTime,
    pub width: u16,
    pub height: u16,
    pub screen: Screen,
    pub back: Vec<Screen>,
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    pub devices: Devices,
    pub sync: SyncState,
    /// When the background sync runs next (off unless the counter app turns it on).
    pub sync_schedule: super::background_sync::Schedule,
    pub search: SearchState,
    pub queue: QueueState,
    /// Who is signed in.
    pub session: Option<SignedIn>,
    /// The lock screen, over everything, while the screen is locked.
    pub lock: Option<SignInForm>,
    /// How far this kiosk's clock is from the registry's, once replication has said.
    pub clock_skew: Option<Duration>,
    pub office_offset: UtcOffset,
    /// A visit wizard is open: quitting asks first.
    pub visit_in_progress: bool,
    /// The camera is looking for a pass; Esc stops it.
    pub camera_looking: bool,
    pub last_activity: OffsetDateTime,
    pub idle_lock: Duration,
    pub wedge: Wedge,
    pub burst: Burst,
    /// The counter's Mainland ID card reader (`cn_reader`), offered by the identity step.
    pub cn_reader: Option<std::path::PathBuf>,
    /// The last visit screen opened: each has its number, so a job's answer goes to the screen
    /// that asked, never to another visit opened meanwhile.
    pub visit_screens: u64,
}

impl App {
    /// The app at start: the first-start offer for an empty store, else sign-in.
    pub fn new(
        lang: Language,
        office: String,
        kiosk_id: String,
        now: OffsetDateTime,
        empty_store: bool,
    ) -> App {
        let screen = if empty_store {
            Screen::FirstStart(FirstStart::Offer)
        } else {
            Screen::SignIn(SignInForm::new(Purpose::SignIn))
        };
        App {
            lang,
            office,
            kiosk_id,
            now,
            width: MIN_WIDTH,
            height: MIN_HEIGHT,
            screen,
            back: Vec::new(),
            overlay: None,
            notice: None,
            devices: Devices::default(),
            sync: SyncState::NotConfigured,
            sync_schedule: super::background_sync::Schedule::default(),
            search: SearchState::default(),
            queue: QueueState::default(),
            session: None,
            lock: None,
            clock_skew: None,
            office_offset: now.offset(),
            visit_in_progress: false,
            camera_looking: false,
            last_activity: now,
            idle_lock: Duration::minutes(5),
            wedge: Wedge::default(),
            burst: Burst::default(),
            cn_reader: None,
            visit_screens: 0,
        }
    }

    /// The rows of the key table that apply now.
    pub fn scope(&self) -> Scope {
        match self.overlay {
            Some(Overlay::Help) => return Scope::Help,
            Some(Overlay::ConfirmQuit) => return Scope::ConfirmQuit,
            // Nothing of the counter's work takes keys over the lock.
            _ if self.lock.is_some() => return Scope::Locked,
            Some(Overlay::ServicePicker { .. }) => return Scope::ServicePicker,
            Some(Overlay::Ticket { .. }) => return Scope::Ticket,
            Some(Overlay::VisitPicker { .. } | Overlay::AgentPicker { .. }) => {
                return Scope::VisitPicker;
            }
            None => {}
        }
        self.screen_scope()
    }

    /// The rows of the screen under any overlay.
    pub fn screen_scope(&self) -> Scope {
        if self.lock.is_some() {
            return Scope::Locked;
        }
        match &self.screen {
            Screen::FirstStart(FirstStart::Created(_)) => Scope::Credentials,
            Screen::FirstStart(_) => Scope::FirstStart,
            Screen::SignIn(_) => Scope::SignIn,
            Screen::Queue => Scope::Queue,
            Screen::Search => Scope::Search,
            Screen::Subscriber(_) => Scope::Subscriber,
            Screen::Photos(_) => Scope::Photos,
            Screen::Visit(state) if state.types_text() => Scope::VisitForm,
            Screen::Visit(_) => Scope::Visit,
            Screen::DayEnd(_) => Scope::DayEnd,
            Screen::Members(state) => state.scope(),
            Screen::NewPerson(_) => Scope::NewPerson,
        }
    }

    pub fn supervisor(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.role == StaffRole::Supervisor)
    }

    fn signed_in(&self) -> bool {
        self.session.is_some() && self.lock.is_none()
    }

    /// Locks the screen over whatever is open; the visit in progress stays as it is.
    /// Locks the screen; a camera still looking for a pass stops (nothing is checked in
    /// behind a locked screen).
    fn lock_screen(&mut self) -> Vec<Effect> {
        let Some(session) = &self.session else { return Vec::new() };
        if self.lock.is_some() {
            return Vec::new();
        }
        let purpose = Purpose::Unlock { clerk: session.clerk, name: session.display_name.clone() };
        self.lock = Some(SignInForm::new(purpose));
        self.overlay = None;
        self.notice = None;
        if self.camera_looking { vec![Effect::CancelCamera] } else { Vec::new() }
    }

    fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    fn open(&mut self, screen: Screen) {
        if !self.signed_in() {
            return;
        }
        if self.screen == screen {
            return;
        }
        // Going to a screen already in the stack goes back to it: F3 → Enter → F3 … all day
        // must not pile up files (each holds a person's details) behind the search.
        if let Some(at) = self.back.iter().position(|s| *s == screen) {
            self.back.truncate(at);
            self.screen = screen;
            return;
        }
        let previous = std::mem::replace(&mut self.screen, screen);
        self.back.push(previous);
    }

    fn go_back(&mut self) {
        if let Some(previous) = self.back.pop() {
            self.screen = previous;
        }
    }

    /// A one-line message; a locked screen shows none (it may name the person served).
    fn say(&mut self, msg: Msg, tone: Tone) {
        if self.lock.is_none() {
            self.notice = Some(Notice { msg, tone });
        }
    }

    /// Whether the day's queue has been opened this session (it is the screen under the others).
    fn screen_has_queue(&self) -> bool {
        self.screen == Screen::Queue || self.back.contains(&Screen::Queue)
    }
}

/// The one place state changes. Pure: everything it needs comes in the action.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Tick(now) => {
            app.now = now;
            let mut effects = Vec::new();
            if app.signed_in() && now - app.last_activity >= app.idle_lock {
                effects.extend(app.lock_screen());
            }
            // A kiosk left running across midnight shows the new day's queue.
            if app.signed_in()
                && app.screen_has_queue()
                && app.queue.day.as_ref().is_some_and(|d| d.date != now.date())
                && !app.queue.loading
            {
                effects.extend(load_queue(app));
            }
            if app.sync_schedule.start(now) {
                // "Not configured" stays until a sync finds the kiosk joined.
                if app.sync != SyncState::NotConfigured {
                    app.sync = SyncState::Syncing;
                }
                effects.push(Effect::Sync);
            }
            effects
        }
        Action::Resize { width, height } => {
            app.width = width;
            app.height = height;
            encode_photos(app)
        }
        Action::Devices(devices) => {
            app.devices = devices;
            Vec::new()
        }
        Action::Terminate => vec![Effect::Quit],
        Action::Job(done) => {
            if done.wrote() {
                app.sync_schedule.wrote(app.now);
            }
            job_done(app, done)
        }
        Action::Paste(text) => {
            app.last_activity = app.now;
            paste(app, &text)
        }
        Action::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            app.last_activity = app.now;
            key_pressed(app, key)
        }
        Action::KeyAt { key, at } => {
            if key.kind == KeyEventKind::Release {
                return Vec::new();
            }
            app.last_activity = app.now;
            timed_key(app, key, at)
        }
    }
}

/// A key from the terminal: a scanner's burst is told from a person's keys by its pace.
fn timed_key(app: &mut App, key: KeyEvent, at: std::time::Duration) -> Vec<Effect> {
    let fast = app.burst.last_at.is_some_and(|last| at.saturating_sub(last) < SCANNER_GAP);
    app.burst.last_at = Some(at);
    let plain = match key.code {
        KeyCode::Char(c)
            if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    };
    if let Some(text) = &mut app.burst.text {
        match (fast, plain, key.code) {
            (true, Some(c), _) => {
                if text.len() < MAX_WEDGE {
                    text.push(c);
                }
                return Vec::new();
            }
            // Enter ends the code, however soon (some scanners send none, and a person presses
            // it after the scan).
            (_, None, KeyCode::Enter) => {
                let text = std::mem::take(text);
                app.burst.text = None;
                return scanned(app, text);
            }
            // The burst ended without its Enter: it was not a code after all.
            _ => app.burst.text = None,
        }
    }
    if let (true, Some(c), Some((before, first))) = (fast, plain, app.burst.before.take()) {
        // The key before this one started a scanner's burst: undo what it did.
        let camera_started = app.camera_looking && !before.camera_looking;
        let last_at = app.burst.last_at;
        *app = *before;
        app.burst = Burst { last_at, before: None, text: Some(format!("{first}{c}")) };
        return if camera_started { vec![Effect::CancelCamera] } else { Vec::new() };
    }
    app.burst.before = None;
    if let Some(c) = plain
        && app.signed_in()
        && !keys::types_text(app.scope())
    {
        let mut before = app.clone();
        before.burst = Burst::default();
        app.burst.before = Some((Box::new(before), c));
    }
    key_pressed(app, key)
}

/// A whole code from a scanner: a pass checks its appointment in; anything else is said to be
/// no pass and does nothing.
fn scanned(app: &mut App, text: String) -> Vec<Effect> {
    if text.starts_with(PASS_START) {
        return pass_scanned(app, text);
    }
    if is_form_code(&text) {
        return form_scanned(app, text);
    }
    app.say(Msg::new("queue-scan-not-a-pass"), Tone::Error);
    Vec::new()
}

fn is_form_code(text: &str) -> bool {
    FORM_STARTS.iter().any(|start| text.starts_with(start))
}

/// The photos screen's pictures are encoded for the window's size, off the loop.
fn encode_photos(app: &mut App) -> Vec<Effect> {
    let window = (app.width, app.height);
    match &app.screen {
        Screen::Photos(state) if state.needs_encoding(window) && !app.too_small() => {
            let area = Rect::new(0, 0, app.width, app.height);
            let body = layout(app, area).body;
            vec![Effect::EncodePhotos {
                chip: state.chip.clone(),
                captured: state.captured.clone(),
                body,
                window,
            }]
        }
        _ => Vec::new(),
    }
}

fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    // A pasted pass is a pass, whatever the focus.
    if let Some(payload) = text.trim().strip_prefix(PASS_START) {
        return pass_scanned(app, format!("{PASS_START}{payload}"));
    }
    if is_form_code(text.trim()) {
        return form_scanned(app, text.trim().to_owned());
    }
    focused_field(app).map_or_else(Vec::new, |field| field.type_str(text))
}

/// The text field that has the focus: the lock form over everything, else the screen's own.
enum Field<'a> {
    Search(&'a mut SearchState),
    Form(&'a mut SignInForm),
    Visit(&'a mut VisitState),
    NewPerson(&'a mut NewPersonState),
}

fn focused_field(app: &mut App) -> Option<Field<'_>> {
    if app.overlay.is_some() {
        return None;
    }
    if let Some(form) = app.lock.as_mut() {
        return Some(Field::Form(form));
    }
    match &mut app.screen {
        Screen::Search => Some(Field::Search(&mut app.search)),
        Screen::SignIn(form) => Some(Field::Form(form)),
        Screen::Visit(state) if state.types_text() => Some(Field::Visit(state)),
        Screen::NewPerson(state) => Some(Field::NewPerson(state)),
        _ => None,
    }
}

impl Field<'_> {
    fn key(self, code: KeyCode) -> Vec<Effect> {
        match self {
            Field::Search(search) => search.key(code),
            Field::Form(form) => {
                form.key(code);
                Vec::new()
            }
            Field::Visit(state) => {
                state.key(code);
                Vec::new()
            }
            Field::NewPerson(state) => {
                state.key(code);
                Vec::new()
            }
        }
    }

    fn type_str(self, text: &str) -> Vec<Effect> {
        match self {
            Field::Search(search) => search.type_str(text),
            Field::Form(form) => {
                text.chars().for_each(|c| form.key(KeyCode::Char(c)));
                Vec::new()
            }
            Field::Visit(state) => {
                // A pasted document zone keeps its line breaks.
                text.chars().for_each(|c| {
                    state.key(if c == '\n' { KeyCode::Char('\n') } else { KeyCode::Char(c) })
                });
                Vec::new()
            }
            Field::NewPerson(state) => {
                text.chars().filter(|c| !c.is_control()).for_each(|c| state.key(KeyCode::Char(c)));
                Vec::new()
            }
        }
    }

    fn untype(self, tail: &str) -> Vec<Effect> {
        match self {
            Field::Search(search) => search.untype(tail),
            Field::Form(form) => {
                form.untype(tail);
                Vec::new()
            }
            Field::Visit(state) => {
                state.untype(tail);
                Vec::new()
            }
            Field::NewPerson(state) => {
                state.untype(tail);
                Vec::new()
            }
        }
    }
}

fn key_pressed(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    // A password may hold `KQ1|` and no pass is used in a secret field: the wedge stays out.
    let secret_field = app.lock.as_ref().or(match &app.screen {
        Screen::SignIn(form) => Some(form),
        Screen::Visit(state) => state.approval.as_ref().and_then(|a| a.signin.as_ref()),
        _ => None,
    });
    let visit_secret = matches!(&app.screen, Screen::Visit(state)
        if state.approval.is_none()
            && state.input().is_some_and(visit::Input::secret));
    if visit_secret || secret_field.is_some_and(|f| f.step != signin::Step::Id) {
        return match keys::lookup(app.scope(), &key) {
            Some(binding) => command(app, binding),
            None => typed(app, key),
        };
    }
    match app.wedge.feed(&key) {
        WedgeStep::Taken => return Vec::new(),
        WedgeStep::Payload(payload) => return scanned(app, payload),
        WedgeStep::Started(typed) => return untype(app, typed),
        WedgeStep::Pass => {}
    }
    let scope = app.scope();
    match keys::lookup(scope, &key) {
        Some(binding) => command(app, binding),
        None => typed(app, key),
    }
}

/// A key no row of the table claims: typing into the focused field.
fn typed(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    // Ctrl-U, Ctrl-V, Alt-x… that are not commands are not letters either: an invisible `u`
    // in a password would be a failed sign-in, counted toward the lockout.
    let chord = key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if chord && matches!(key.code, KeyCode::Char(_)) {
        return Vec::new();
    }
    focused_field(app).map_or_else(Vec::new, |field| field.key(key.code))
}

/// Takes back the start of a pass that a field received before the wedge knew it for one.
fn untype(app: &mut App, tail: &str) -> Vec<Effect> {
    focused_field(app).map_or_else(Vec::new, |field| field.untype(tail))
}

/// A pass came from the scanner (or a paste): check the appointment in, from any screen.
fn pass_scanned(app: &mut App, payload: String) -> Vec<Effect> {
    if !app.signed_in() {
        app.say(Msg::new("queue-sign-in-first"), Tone::Error);
        return Vec::new();
    }
    app.say(Msg::new("queue-checking-in"), Tone::Info);
    vec![Effect::CheckIn { payload, clerk: app.session.as_ref().map(|s| s.clerk) }]
}

/// A signed form's code came from the scanner: open its application's visit and mark the form
/// signed, from any screen.
fn form_scanned(app: &mut App, payload: String) -> Vec<Effect> {
    if !app.signed_in() {
        app.say(Msg::new("queue-sign-in-first"), Tone::Error);
        return Vec::new();
    }
    let op = crate::visits::VisitOp::FormSigned { payload };
    let mut effects = Vec::new();
    match &mut app.screen {
        // The hand scanner was quicker than the camera: the camera stops.
        Screen::Visit(state) if state.looking => {
            state.looking = false;
            state.busy = Some(Msg::new("visit-form-signed-checking"));
            state.error = None;
            effects.push(Effect::CancelCamera);
        }
        Screen::Visit(state) if state.busy.is_none() => {
            state.busy = Some(Msg::new("visit-form-signed-checking"));
            state.error = None;
        }
        _ => {
            let mut state = new_visit(app, Service::Renewal);
            state.busy = Some(Msg::new("visit-form-signed-checking"));
            app.open(Screen::Visit(Box::new(state)));
        }
    }
    effects.extend(visit_effects(app, vec![op]));
    effects
}

/// A visit screen being opened, knowing this counter's readers, with a number of its own.
fn new_visit(app: &mut App, service: Service) -> VisitState {
    let mut state = VisitState::opening(service);
    state.cn_reader = app.cn_reader.clone();
    app.visit_screens += 1;
    state.screen = app.visit_screens;
    state
}

/// The effects that run a visit's operations as the signed-in clerk.
fn visit_effects(app: &mut App, ops: Vec<crate::visits::VisitOp>) -> Vec<Effect> {
    let Some(session) = &app.session else { return Vec::new() };
    let actor = registry::application::Actor { clerk: session.clerk, role: session.role };
    if !ops.is_empty() {
        app.visit_in_progress = true;
    }
    let screen = match &app.screen {
        Screen::Visit(state) => state.screen,
        _ => 0,
    };
    ops.into_iter().map(|op| Effect::Visit { op, actor, lang: app.lang, screen }).collect()
}

fn command(app: &mut App, binding: &Binding) -> Vec<Effect> {
    if !binding.available {
        app.say(Msg::new("notice-not-yet"), Tone::Info);
        return Vec::new();
    }
    // What is on screen stays through help and a language switch (it is re-translated).
    if app.scope() != Scope::Locked && !matches!(binding.command, Command::Help | Command::Language)
    {
        app.notice = None;
    }
    match binding.command {
        Command::Help => {
            app.overlay =
                if app.overlay == Some(Overlay::Help) { None } else { Some(Overlay::Help) };
            Vec::new()
        }
        Command::Language => {
            app.lang = app.lang.next();
            Vec::new()
        }
        Command::Quit => {
            if app.visit_in_progress {
                app.overlay = Some(Overlay::ConfirmQuit);
                Vec::new()
            } else {
                vec![Effect::Quit]
            }
        }
        other => match app.overlay.clone() {
            Some(overlay) => overlay_command(app, overlay, other),
            None if app.lock.is_some() => lock_command(app, other),
            None => screen_command(app, other),
        },
    }
}

fn overlay_command(app: &mut App, overlay: Overlay, command: Command) -> Vec<Effect> {
    match (overlay, command) {
        (Overlay::ConfirmQuit, Command::Yes) => vec![Effect::Quit],
        (Overlay::ServicePicker { selected }, Command::Up) => {
            app.overlay = Some(Overlay::ServicePicker { selected: selected.saturating_sub(1) });
            Vec::new()
        }
        (Overlay::ServicePicker { selected }, Command::Down) => {
            let selected = (selected + 1).min(Service::ALL.len() - 1);
            app.overlay = Some(Overlay::ServicePicker { selected });
            Vec::new()
        }
        (Overlay::ServicePicker { selected }, Command::Enter) => {
            app.overlay = None;
            match Service::ALL.get(selected) {
                Some(service) => {
                    app.say(Msg::new("queue-issuing-ticket"), Tone::Info);
                    vec![Effect::IssueWalkIn {
                        service: *service,
                        clerk: app.session.as_ref().map(|s| s.clerk),
                        lang: app.lang,
                    }]
                }
                None => Vec::new(),
            }
        }
        (Overlay::VisitPicker { applicant, organisation, selected }, Command::Up) => {
            let selected = selected.saturating_sub(1);
            app.overlay = Some(Overlay::VisitPicker { applicant, organisation, selected });
            Vec::new()
        }
        (Overlay::VisitPicker { applicant, organisation, selected }, Command::Down) => {
            let selected = (selected + 1).min(VISIT_SERVICES.len() - 1);
            app.overlay = Some(Overlay::VisitPicker { applicant, organisation, selected });
            Vec::new()
        }
        (Overlay::VisitPicker { applicant, organisation, selected }, Command::Enter) => {
            app.overlay = None;
            let Some(service) = VISIT_SERVICES.get(selected).copied() else { return Vec::new() };
            let state = new_visit(app, service);
            app.open(Screen::Visit(Box::new(state)));
            let op = match organisation {
                Some(organisation) => {
                    crate::visits::VisitOp::OpenFor { service, agent: applicant, organisation }
                }
                None => crate::visits::VisitOp::Open { service, applicant },
            };
            visit_effects(app, vec![op])
        }
        (Overlay::AgentPicker { organisation, agents, selected }, Command::Up) => {
            let selected = selected.saturating_sub(1);
            app.overlay = Some(Overlay::AgentPicker { organisation, agents, selected });
            Vec::new()
        }
        (Overlay::AgentPicker { organisation, agents, selected }, Command::Down) => {
            let selected = (selected + 1).min(agents.len().saturating_sub(1));
            app.overlay = Some(Overlay::AgentPicker { organisation, agents, selected });
            Vec::new()
        }
        (Overlay::AgentPicker { organisation, agents, selected }, Command::Enter) => {
            app.overlay = agents.get(selected).map(|agent| Overlay::VisitPicker {
                applicant: agent.id,
                organisation: Some(organisation),
                selected: 0,
            });
            Vec::new()
        }
        // Esc, Enter or No closes the rest.
        (_, Command::Back | Command::Enter | Command::No) => {
            app.overlay = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn lock_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(form) = &mut app.lock else { return Vec::new() };
    match command {
        Command::Enter => form.enter(),
        Command::Back => {
            form.back();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn screen_command(app: &mut App, command: Command) -> Vec<Effect> {
    if matches!(app.screen, Screen::Visit(_))
        && !matches!(command, Command::Search | Command::Lock | Command::SignOut)
    {
        return visit_command(app, command);
    }
    if matches!(app.screen, Screen::Members(_))
        && !matches!(command, Command::Search | Command::Lock | Command::SignOut)
    {
        return members_command(app, command);
    }
    let supervisor = app.supervisor();
    let signed_in = app.signed_in();
    let clerk = app.session.as_ref().map(|s| s.clerk);
    match (&mut app.screen, command) {
        (Screen::FirstStart(FirstStart::Offer | FirstStart::Failed(_)), Command::Yes) => {
            app.screen = Screen::FirstStart(FirstStart::Creating);
            vec![Effect::CreateDemoOffice]
        }
        (Screen::FirstStart(FirstStart::Created(_)), Command::Enter) => {
            // The credentials are shown once: leaving the screen drops them.
            app.screen = Screen::SignIn(SignInForm::new(Purpose::SignIn));
            Vec::new()
        }
        (Screen::SignIn(form), Command::Enter) => form.enter(),
        (Screen::SignIn(form), Command::Back) => {
            form.back();
            Vec::new()
        }
        // F3 in the search box starts a new search.
        (Screen::Search, Command::Search) => app.search.clear(),
        (_, Command::Search) => {
            app.open(Screen::Search);
            Vec::new()
        }
        (_, Command::Lock) => app.lock_screen(),
        (_, Command::SignOut) if signed_in => {
            // The next clerk starts from nothing the last one had open.
            app.session = None;
            app.back.clear();
            app.search = SearchState::default();
            app.queue = QueueState::default();
            app.overlay = None;
            app.screen = Screen::SignIn(SignInForm::new(Purpose::SignIn));
            app.say(Msg::new("signin-signed-out"), Tone::Info);
            Vec::new()
        }
        (Screen::Queue, Command::Refresh) => load_queue(app),
        (Screen::Queue, Command::WalkIn) => {
            app.overlay = Some(Overlay::ServicePicker { selected: 0 });
            Vec::new()
        }
        (Screen::Queue, Command::CheckInCamera) if !app.camera_looking => {
            app.camera_looking = true;
            app.say(Msg::new("queue-camera-looking"), Tone::Info);
            vec![Effect::CheckInByCamera { clerk }]
        }
        (Screen::Queue, Command::Back) if app.camera_looking => vec![Effect::CancelCamera],
        (Screen::Queue, Command::Enter) if app.queue.selected_approval().is_some() => {
            let Some((application, service)) = app.queue.selected_approval() else {
                return Vec::new();
            };
            let state = new_visit(app, service);
            app.open(Screen::Visit(Box::new(state)));
            visit_effects(app, vec![crate::visits::VisitOp::Resume { application }])
        }
        (Screen::Queue, Command::DayEnd) => open_day_end(app, supervisor),
        (Screen::DayEnd(state), Command::Enter | Command::Less | Command::More) => {
            match state.command(command, app.now.date()) {
                day_end::Enter::Close(day) if supervisor => match clerk {
                    Some(supervisor) => {
                        vec![Effect::CloseDayEnd { supervisor, lang: app.lang, day }]
                    }
                    None => Vec::new(),
                },
                day_end::Enter::Load(day) => vec![Effect::LoadDayEnd { day }],
                day_end::Enter::Close(_) => {
                    state.busy = None;
                    app.say(Msg::new("day-end-supervisor-only"), Tone::Error);
                    Vec::new()
                }
                day_end::Enter::Say(msg) => {
                    app.say(msg, Tone::Info);
                    Vec::new()
                }
                day_end::Enter::Nothing => Vec::new(),
            }
        }
        (Screen::Queue, other) => match app.queue.command(other, supervisor) {
            Some((kind, id)) => open_file(app, kind, id),
            None => {
                if other == Command::Enter && app.queue.tab == queue::Tab::WalkIns {
                    app.say(Msg::new("notice-not-yet"), Tone::Info);
                }
                Vec::new()
            }
        },
        (Screen::Search, Command::Back) => {
            app.go_back();
            Vec::new()
        }
        // The photos screen opened on its own (`kiosk photo compare`) closes the app.
        (Screen::Photos(_), Command::Back) if app.back.is_empty() => vec![Effect::Quit],
        (Screen::Search, Command::NewPerson) => {
            app.open(Screen::NewPerson(Box::default()));
            Vec::new()
        }
        (Screen::NewPerson(state), Command::Back) if state.busy => Vec::new(),
        (Screen::NewPerson(state), other) if other != Command::Back => {
            new_person_command(state, other, clerk)
        }
        (Screen::Search, other) => match app.search.command(other) {
            Some(row) => {
                let (kind, id) = (row.kind, row.id);
                open_file(app, kind, id)
            }
            None => Vec::new(),
        },
        (Screen::Subscriber(state), Command::StartVisit) => {
            match state.file.as_ref().map(|f| (state.kind, state.id, f)) {
                Some((registry::model::RecordKind::Person, applicant, _)) => {
                    app.overlay =
                        Some(Overlay::VisitPicker { applicant, organisation: None, selected: 0 });
                }
                // An organisation's own certificates: asked for by a person who acts for it.
                Some((registry::model::RecordKind::Organisation, organisation, file)) => {
                    let agents = agents_of(file);
                    if agents.is_empty() {
                        app.say(Msg::new("visit-organisation-no-agent"), Tone::Info);
                    } else {
                        app.overlay =
                            Some(Overlay::AgentPicker { organisation, agents, selected: 0 });
                    }
                }
                Some(_) | None => {}
            }
            Vec::new()
        }
        (Screen::Subscriber(state), Command::Members) => {
            match state.file.as_ref().map(|_| (state.kind, state.id)) {
                Some((registry::model::RecordKind::Organisation, organisation)) => {
                    app.open(Screen::Members(Box::new(MembersState::loading(organisation))));
                    vec![Effect::Members { organisation, op: None, clerk }]
                }
                Some(_) => {
                    app.say(Msg::new("members-organisations-only"), Tone::Info);
                    Vec::new()
                }
                None => Vec::new(),
            }
        }
        (
            Screen::Subscriber(state),
            Command::Up | Command::Down | Command::PageUp | Command::PageDown,
        ) => {
            state.command(command);
            Vec::new()
        }
        (_, Command::Back) => {
            app.go_back();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A key on the new person's form: move, choose the document's kind, or save.
fn new_person_command(
    state: &mut NewPersonState,
    command: Command,
    clerk: Option<registry::model::RecordId>,
) -> Vec<Effect> {
    if state.busy {
        return Vec::new();
    }
    match command {
        Command::NextField | Command::Down => state.move_focus(true),
        Command::Up => state.move_focus(false),
        Command::Less => state.change_kind(false),
        Command::More => state.change_kind(true),
        Command::Enter => match state.person() {
            Ok(person) => {
                state.busy = true;
                state.error = None;
                let joining = state.joining.as_ref().map(|(org, _)| *org);
                return vec![Effect::RegisterPerson { person: Box::new(person), clerk, joining }];
            }
            Err((msg, row)) => {
                state.focus = row;
                state.error = Some((msg, Some(row)));
            }
        },
        _ => {}
    }
    Vec::new()
}

/// The new person's form answered: their file opens (or the file that has their document);
/// for an organisation's new employee, its members screen again, read anew. A refusal is said
/// on its row.
fn person_registered(
    app: &mut App,
    result: Result<super::jobs::Registered, super::jobs::PersonRefused>,
) -> Vec<Effect> {
    use super::jobs::PersonRefused;
    let clerk = app.session.as_ref().map(|s| s.clerk);
    // The clerk may have gone on meanwhile (a form scanned opens its visit): the form waits in
    // the stack, and is answered there.
    let current = matches!(app.screen, Screen::NewPerson(_));
    let waiting =
        std::iter::once(&mut app.screen).chain(app.back.iter_mut()).find_map(
            |screen| match screen {
                Screen::NewPerson(state) => Some(state.as_mut()),
                _ => None,
            },
        );
    let Some(state) = waiting else { return Vec::new() };
    state.busy = false;
    let (id, notice) = match result {
        Ok(registered) => (registered.person, registered.notice),
        Err(PersonRefused::OnFile(id)) => (id, "new-person-on-file"),
        Err(PersonRefused::Invalid { code, field }) => {
            let row = new_person::Row::of_field(&field);
            if let Some(row) = row {
                state.focus = row;
            }
            state.error = Some((Msg::new(code), row));
            return Vec::new();
        }
        Err(PersonRefused::Failed(msg)) => {
            state.error = Some((msg, None));
            return Vec::new();
        }
    };
    let joining = state.joining.as_ref().map(|(org, _)| *org);
    if !current {
        // Saved while the clerk is elsewhere: said, and the form leaves the stack.
        app.back.retain(|screen| !matches!(screen, Screen::NewPerson(_)));
        app.say(Msg::new(notice), Tone::Info);
        return Vec::new();
    }
    // The form is done with: Esc from what opens next goes back past it.
    app.go_back();
    if let Some(organisation) = joining {
        app.say(Msg::new(notice), Tone::Info);
        if let Screen::Members(members) = &mut app.screen {
            members.busy = Some(Msg::new("members-loading"));
        }
        return vec![Effect::Members { organisation, op: None, clerk }];
    }
    let effects = open_file(app, registry::model::RecordKind::Person, id);
    app.say(Msg::new(notice), Tone::Info);
    effects
}

fn visit_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(session) = app.session.clone() else { return Vec::new() };
    let Screen::Visit(state) = &mut app.screen else { return Vec::new() };
    // The supervisor's sign-in takes Enter, and Esc a step back.
    if let Some(form) = state.approval.as_mut().and_then(|a| a.signin.as_mut()) {
        match command {
            Command::Enter => return form.enter(),
            Command::Back if form.step != signin::Step::Id => {
                form.back();
                return Vec::new();
            }
            _ => {}
        }
    }
    if command == Command::ComparePhotos && state.approval.is_none() {
        let view = state.view.as_ref();
        let chip = view.and_then(|v| v.chip_photo.clone());
        let captured = view.and_then(|v| v.counter_photo.clone());
        if chip.is_none() && captured.is_none() {
            state.error = Some(Msg::new("visit-no-photos-yet"));
            return Vec::new();
        }
        return vec![Effect::LoadPhotos { chip, captured }];
    }
    if command == Command::Back && state.approval.is_none() {
        // Esc stops the camera looking for the signed form; its job answers "stopped".
        if state.looking {
            return if app.camera_looking { vec![Effect::CancelCamera] } else { Vec::new() };
        }
        if state.busy.is_some() {
            app.say(Msg::new("visit-wait-for-step"), Tone::Info);
            return Vec::new();
        }
        // Every step is saved as it is done: leaving loses nothing, and the visit resumes here.
        let saved = state.view.is_some() && !state.finished();
        app.visit_in_progress = false;
        app.go_back();
        if saved {
            app.say(Msg::new("visit-left-saved"), Tone::Info);
        }
        return Vec::new();
    }
    let was_looking = state.looking;
    let ops = visit::command(state, command, &session);
    if state.looking && !was_looking {
        // One camera: the queue's check-in may be using it.
        if app.camera_looking {
            state.looking = false;
            state.busy = None;
            state.error = Some(Msg::new("visit-form-camera-in-use"));
            return Vec::new();
        }
        app.camera_looking = true;
        return vec![Effect::FormCodeByCamera { screen: state.screen }];
    }
    visit_effects(app, ops)
}

/// The camera looked for a signed form's code for visit screen `screen`: the code goes where a
/// scanned one goes; no camera, no code seen, or stopped, the screen says so and offers the
/// hand scanner.
fn form_code_seen(app: &mut App, screen: u64, result: Result<String, Msg>) -> Vec<Effect> {
    app.camera_looking = false;
    let locked = app.lock.is_some();
    let Some(state) = visit_screen(app, screen) else { return Vec::new() };
    if !state.looking {
        return Vec::new();
    }
    state.looking = false;
    state.busy = None;
    match result {
        // Nothing is signed behind a locked screen.
        Ok(_) if locked => Vec::new(),
        Ok(payload) => form_scanned(app, payload),
        Err(msg) if msg.id == "visit-form-camera-stopped" => {
            state.info = vec![msg];
            Vec::new()
        }
        Err(msg) => {
            state.error = Some(msg);
            state.info = vec![Msg::new("visit-form-camera-use-scanner")];
            Vec::new()
        }
    }
}

/// The day-end screen, for supervisors; a clerk is told it is theirs.
fn open_day_end(app: &mut App, supervisor: bool) -> Vec<Effect> {
    if !supervisor {
        app.say(Msg::new("day-end-supervisor-only"), Tone::Error);
        return Vec::new();
    }
    // The office's today (the clock comes in with the ticks, in the office's offset).
    let today = app.now.date();
    app.open(Screen::DayEnd(Box::new(DayEndState::counting(today))));
    vec![Effect::LoadDayEnd { day: today }]
}

/// The day-end screen waiting for a job, wherever it is in the stack.
fn day_end_screen(app: &mut App) -> Option<&mut DayEndState> {
    std::iter::once(&mut app.screen).chain(app.back.iter_mut()).find_map(|screen| match screen {
        Screen::DayEnd(state) => Some(state.as_mut()),
        _ => None,
    })
}

/// A key on the members screen: Esc with nothing open leaves it; the rest is the screen's.
fn members_command(app: &mut App, command: Command) -> Vec<Effect> {
    let clerk = app.session.as_ref().map(|s| s.clerk);
    let Screen::Members(state) = &mut app.screen else { return Vec::new() };
    if command == Command::Back && state.form.is_none() && state.confirm.is_none() {
        // An action on its way is answered to this screen: leaving would hide its outcome.
        if state.busy.is_some() && state.view.is_some() {
            app.say(Msg::new("members-wait"), Tone::Info);
        } else {
            app.go_back();
        }
        return Vec::new();
    }
    let organisation = state.organisation;
    // A new employee, new to the registry or on file: the new person's form, for this
    // organisation.
    if command == Command::NewPerson && state.form.is_none() && state.confirm.is_none() {
        if state.busy.is_some() {
            state.error = Some(Msg::new("members-wait"));
            return Vec::new();
        }
        let name = state.view.as_ref().map(|v| subscriber::party_name(&v.organisation));
        let form = NewPersonState::joining(organisation, name.unwrap_or_default());
        app.open(Screen::NewPerson(Box::new(form)));
        return Vec::new();
    }
    members::command(state, command)
        .into_iter()
        .map(|op| Effect::Members { organisation, op: Some(op), clerk })
        .collect()
}

fn load_queue(app: &mut App) -> Vec<Effect> {
    app.queue.loading = true;
    vec![Effect::LoadQueue]
}

fn open_file(
    app: &mut App,
    kind: registry::model::RecordKind,
    id: registry::model::RecordId,
) -> Vec<Effect> {
    app.notice = None;
    app.open(Screen::Subscriber(Box::new(FileState::loading(kind, id))));
    vec![Effect::OpenFile { kind, id }]
}

/// The visit screen numbered `number`, wherever it is in the stack.
fn visit_screen(app: &mut App, number: u64) -> Option<&mut VisitState> {
    std::iter::once(&mut app.screen).chain(app.back.iter_mut()).find_map(|screen| match screen {
        Screen::Visit(state) if state.screen == number => Some(state.as_mut()),
        _ => None,
    })
}

fn visit_done(
    app: &mut App,
    screen: u64,
    result: Result<Box<crate::visits::Outcome>, Msg>,
) -> Vec<Effect> {
    let Some(state) = visit_screen(app, screen) else { return Vec::new() };
    let refused = result.is_err();
    let was_refreshing = state.refreshing;
    state.loaded(result.map(|o| *o));
    // A refused step may have saved what it found (a failed identity check and its fields, a
    // visit sent back to vetting): read the visit again, the refusal staying on screen.
    if refused
        && !was_refreshing
        && let Some(application) = state.application()
    {
        state.refreshing = true;
        return visit_effects(app, vec![crate::visits::VisitOp::Resume { application }]);
    }
    if let Some(view) = &state.view {
        state.service = view.application.service;
    }
    let finished = state.finished();
    // The re-check before activation runs by itself as soon as the visit reaches it; a refusal
    // stays on screen (Enter runs it again).
    let recheck = state.error.is_none()
        && state.current() == Some(registry::visit::Step::Recheck)
        && state.busy.is_none();
    let application = state.application();
    if recheck {
        state.busy = Some(Msg::new("visit-rechecking"));
    }
    app.visit_in_progress = !finished;
    match (recheck, application) {
        (true, Some(application)) => {
            visit_effects(app, vec![crate::visits::VisitOp::Recheck { application }])
        }
        _ => Vec::new(),
    }
}

/// The sign-in form a password or code answer is for: the lock's, the sign-in screen's, or a
/// supervisor's approval on the visit screen.
fn waiting_form(app: &mut App) -> Option<&mut SignInForm> {
    if let Some(form) = app.lock.as_mut() {
        return Some(form);
    }
    match &mut app.screen {
        Screen::SignIn(form) => Some(form),
        Screen::Visit(state) => state.approval.as_mut().and_then(|a| a.signin.as_mut()),
        _ => None,
    }
}

/// A background sync ended: the status bar says how, the clock-skew warning takes the hub's
/// time, the next sync is scheduled, and what other counters' records it brought shows (the
/// queue and a search on screen are read again).
fn synced(app: &mut App, report: super::background_sync::SyncReport) -> Vec<Effect> {
    use super::background_sync::SyncOutcome;
    app.sync_schedule.ended(app.now, &report.outcome);
    if report.clock_skew.is_some() {
        app.clock_skew = report.clock_skew;
    }
    let waiting = report.waiting;
    app.sync = match &report.outcome {
        SyncOutcome::NotJoined => SyncState::NotConfigured,
        SyncOutcome::Synced { .. } => SyncState::Online { waiting },
        SyncOutcome::Failed { .. } => {
            let since = match (report.last_ok_at, app.sync) {
                (Some(at), _) => at,
                // Never through: offline since the first failure seen.
                (None, SyncState::Offline { since, .. }) => since,
                (None, _) => app.now,
            };
            SyncState::Offline { since, waiting }
        }
    };
    let SyncOutcome::Synced { brought, .. } = report.outcome else { return Vec::new() };
    if brought == 0 || !app.signed_in() {
        return Vec::new();
    }
    let mut effects = Vec::new();
    if app.screen_has_queue() && !app.queue.loading {
        effects.extend(load_queue(app));
    }
    if app.screen == Screen::Search || app.back.contains(&Screen::Search) {
        effects.extend(app.search.refresh());
    }
    effects
}

fn job_done(app: &mut App, done: Done) -> Vec<Effect> {
    match done {
        Done::Synced(report) => synced(app, *report),
        Done::Visit { screen, result } => visit_done(app, screen, result),
        Done::PhotosLoaded(state) => {
            // Only over the visit that asked: the clerk may have left it meanwhile.
            if matches!(app.screen, Screen::Visit(_)) && app.lock.is_none() {
                app.open(Screen::Photos(state));
                return encode_photos(app);
            }
            Vec::new()
        }
        Done::DayEndLoaded(result) => {
            if let Some(state) = day_end_screen(app) {
                state.loaded(result);
            }
            Vec::new()
        }
        Done::DayEndClosed(result) => {
            match day_end_screen(app) {
                Some(state) => state.closed(result),
                // The supervisor left the screen meanwhile: the close stands, and is said.
                None => match result {
                    Ok((_, printed)) => app.say(printed, Tone::Info),
                    Err(msg) => app.say(msg, Tone::Error),
                },
            }
            Vec::new()
        }
        Done::Search { generation, result } => {
            app.search.done(generation, result);
            Vec::new()
        }
        Done::PersonRegistered(result) => person_registered(app, result),
        Done::FileLoaded { id, result } => {
            // The clerk may have gone on to a search meanwhile: the file waits in the stack.
            let waiting =
                std::iter::once(&mut app.screen).chain(app.back.iter_mut()).find_map(|screen| {
                    match screen {
                        Screen::Subscriber(state) if state.id == id && state.file.is_none() => {
                            Some(state)
                        }
                        _ => None,
                    }
                });
            if let Some(state) = waiting {
                state.loaded(result);
            }
            Vec::new()
        }
        Done::Members { organisation, result, done } => {
            // The clerk may have gone on meanwhile: the screen waits in the stack, or is gone.
            let waiting =
                std::iter::once(&mut app.screen).chain(app.back.iter_mut()).find_map(|screen| {
                    match screen {
                        Screen::Members(state) if state.organisation == organisation => Some(state),
                        _ => None,
                    }
                });
            if let Some(state) = waiting {
                state.loaded(result, done);
            }
            Vec::new()
        }
        Done::PhotosEncoded(encoded) => {
            if let Screen::Photos(state) = &mut app.screen {
                state.encoded = Some(*encoded);
            }
            // The window may have changed again while the job ran.
            encode_photos(app)
        }
        Done::DemoCreated(result) => {
            app.screen = Screen::FirstStart(match result {
                Ok(credentials) => FirstStart::Created(credentials),
                Err(msg) => FirstStart::Failed(msg),
            });
            Vec::new()
        }
        Done::PasswordChecked(result) => {
            if let Some(form) = waiting_form(app) {
                form.password_checked(result);
            }
            Vec::new()
        }
        Done::CodeChecked(result) => code_checked(app, result),
        Done::QueueLoaded(result) => {
            app.queue.loaded(result);
            Vec::new()
        }
        Done::Failed(msg) => {
            // Whatever was waiting stops waiting, and says so.
            if let Some(form) = app.lock.as_mut() {
                form.busy = false;
            }
            if let Screen::SignIn(form) = &mut app.screen
                && form.busy
            {
                form.busy = false;
                form.error = Some(msg.clone());
            }
            if app.screen == Screen::FirstStart(FirstStart::Creating) {
                app.screen = Screen::FirstStart(FirstStart::Failed(msg.clone()));
            }
            // A job that panicked says no more than that: every visit screen waiting stops.
            let visits = std::iter::once(&mut app.screen).chain(app.back.iter_mut());
            for state in visits.filter_map(|screen| match screen {
                Screen::Visit(state) => Some(state.as_mut()),
                _ => None,
            }) {
                if let Some(form) = state.approval.as_mut().and_then(|a| a.signin.as_mut()) {
                    form.busy = false;
                }
                if state.busy.is_some() {
                    state.loaded(Err(msg.clone()));
                }
            }
            if let Some(state) = day_end_screen(app)
                && state.busy.is_some()
            {
                state.loaded(Err(msg.clone()));
            }
            if let Screen::Members(state) = &mut app.screen
                && state.busy.is_some()
            {
                state.loaded(Err(msg.clone()), None);
            }
            app.camera_looking = false;
            app.queue.loading = false;
            app.say(msg, Tone::Error);
            Vec::new()
        }
        Done::FormCodeByCamera { screen, result } => form_code_seen(app, screen, result),
        Done::CameraCheckedIn(result) => {
            app.camera_looking = false;
            job_done(app, Done::CheckedIn(result))
        }
        Done::CheckedIn(result) => match result {
            Ok(name) => {
                app.say(Msg::with("queue-checked-in", vec![("name", name)]), Tone::Info);
                load_queue(app)
            }
            Err(msg) => {
                app.say(msg, Tone::Error);
                Vec::new()
            }
        },
        Done::WalkInIssued(result) => match result {
            Ok((number, service, printed)) => {
                if app.lock.is_none() {
                    app.notice = None;
                    app.overlay = Some(Overlay::Ticket { number, service, printed });
                }
                load_queue(app)
            }
            Err(msg) => {
                app.say(msg, Tone::Error);
                Vec::new()
            }
        },
    }
}

fn code_checked(app: &mut App, result: Result<SignedIn, crate::signin::Refusal>) -> Vec<Effect> {
    if let Some(form) = app.lock.as_mut() {
        let Some(who) = form.code_checked(result) else { return Vec::new() };
        let allowed = match &form.purpose {
            Purpose::Unlock { clerk, .. } => crate::signin::may_unlock(*clerk, &who),
            Purpose::SignIn => false,
        };
        if allowed {
            // The counter stays the clerk's (their visit, their audit trail): a supervisor
            // unlocks it for them, and signs in themselves to work under their own name.
            if app.session.is_none() {
                app.session = Some(who);
            }
            app.lock = None;
            app.last_activity = app.now;
        } else if let Some(form) = app.lock.as_mut() {
            *form = SignInForm::new(form.purpose.clone());
            form.error = Some(Msg::new("lock-not-yours"));
        }
        return Vec::new();
    }
    if let Screen::Visit(state) = &mut app.screen {
        let Some(form) = state.approval.as_mut().and_then(|a| a.signin.as_mut()) else {
            return Vec::new();
        };
        let Some(who) = form.code_checked(result) else { return Vec::new() };
        let Some(clerk) = app.session.as_ref().map(|s| s.clerk) else { return Vec::new() };
        let ops = visit::supervisor_signed_in(state, who, clerk);
        return visit_effects(app, ops);
    }
    let Screen::SignIn(form) = &mut app.screen else { return Vec::new() };
    let Some(who) = form.code_checked(result) else { return Vec::new() };
    app.session = Some(who);
    app.last_activity = app.now;
    app.back.clear();
    app.screen = Screen::Queue;
    app.queue = QueueState::default();
    load_queue(app)
}

// ---- view ----

/// Draws the app. Reads nothing but `app`.
pub fn view(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let Areas { top, body, notice, devices, footer } = layout(app, area);
    status_top(app, frame, top);
    match (&app.lock, &app.screen) {
        // Nothing of the visit shows on a locked screen.
        (Some(form), _) => signin::view(form, app.lang, app.clock_skew, frame, body),
        (None, Screen::FirstStart(state)) => first_start::view(state, app.lang, frame, body),
        (None, Screen::SignIn(form)) => signin::view(form, app.lang, app.clock_skew, frame, body),
        (None, Screen::Queue) => {
            queue::view(&app.queue, app.lang, app.supervisor(), app.office_offset, frame, body)
        }
        (None, Screen::Search) => search::view(&app.search, app.lang, frame, body),
        (None, Screen::Subscriber(state)) => {
            subscriber::view(state, app.lang, app.office_offset, frame, body)
        }
        (None, Screen::Photos(state)) => photos::view(state, app.lang, frame, body),
        (None, Screen::Visit(state)) => {
            visit::view(state, app.lang, app.office_offset, app.now, frame, body)
        }
        (None, Screen::DayEnd(state)) => day_end::view(state, app.lang, frame, body),
        (None, Screen::NewPerson(state)) => new_person::view(state, app.lang, frame, body),
        (None, Screen::Members(state)) => members::view(state, app.lang, app.now, frame, body),
    }
    if let Some(n) = &app.notice {
        let style = match n.tone {
            Tone::Info => Style::new().fg(Color::Cyan),
            Tone::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        };
        let text = fit(&safe(&n.msg.text(app.lang)), usize::from(notice.width));
        frame.render_widget(Paragraph::new(text).style(style), notice);
    }
    status_devices(app, frame, devices);
    footer_keys(app, frame, footer);
    match app.overlay {
        _ if app.lock.is_some()
            && !matches!(app.overlay, Some(Overlay::Help | Overlay::ConfirmQuit)) => {}
        Some(Overlay::Help) => help(app, frame, body),
        Some(Overlay::ConfirmQuit) => confirm_quit(app, frame, body),
        Some(Overlay::ServicePicker { selected }) => service_picker(app, selected, frame, body),
        Some(Overlay::Ticket { ref number, service, ref printed }) => {
            ticket(app, number, service, printed.as_ref(), frame, body)
        }
        Some(Overlay::VisitPicker { selected, .. }) => visit_picker(app, selected, frame, body),
        Some(Overlay::AgentPicker { ref agents, selected, .. }) => {
            agent_picker(app, agents, selected, frame, body)
        }
        None => {}
    }
}

/// The rows of the screen: who and where, the screen's body, a notice, the devices, the keys.
struct Areas {
    top: Rect,
    body: Rect,
    notice: Rect,
    devices: Rect,
    footer: Rect,
}

fn layout(app: &App, area: Rect) -> Areas {
    let device_rows = u16::try_from(device_lines(app, area.width).len()).unwrap_or(1);
    let [top, body, notice, devices, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(app.notice.is_some())),
        Constraint::Length(device_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas { top, body, notice, devices, footer }
}

fn t(app: &App, id: &str) -> String {
    i18n::text(app.lang, id)
}

fn too_small(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let text = i18n::text_with(
        app.lang,
        "ui-too-small",
        &[
            ("width", area.width.into()),
            ("height", area.height.into()),
            ("min_width", MIN_WIDTH.into()),
            ("min_height", MIN_HEIGHT.into()),
        ],
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// Office, kiosk, who is signed in, and the language.
fn status_top(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let title = format!(" {} ", t(app, "app-title"));
    let right = format!(" {} ", app.lang.native_name());
    let who = match &app.session {
        Some(s) => {
            let role = match s.role {
                StaffRole::Clerk => t(app, "role-clerk"),
                StaffRole::Supervisor => t(app, "role-supervisor"),
            };
            format!(" · {} ({role})", safe(&s.display_name))
        }
        None => String::new(),
    };
    let room = usize::from(area.width).saturating_sub(
        unicode_width::UnicodeWidthStr::width(title.as_str())
            + unicode_width::UnicodeWidthStr::width(right.as_str()),
    );
    // The office's name gives way first: who is signed in matters more at a glance.
    // A generated kiosk id is a 26-character ULID; its end tells kiosks apart.
    let tail = format!(" · {}{who}", widgets::fit_tail(&app.kiosk_id, 12));
    let office_room = room.saturating_sub(unicode_width::UnicodeWidthStr::width(tail.as_str()) + 1);
    let middle = fit(&format!(" {}{tail}", fit(&safe(&app.office), office_room)), room);
    let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(middle.as_str()));
    let line = Line::from(vec![
        Span::styled(title, Style::new().add_modifier(Modifier::BOLD).reversed()),
        Span::raw(format!("{middle}{}", " ".repeat(pad))),
        Span::styled(right, Style::new().reversed()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The devices and replication as status bar lines: as many segments on a line as fit, on
/// up to two lines, so that the sync field is never cut off at 80 columns.
fn device_lines(app: &App, width: u16) -> Vec<String> {
    use super::status::{PrinterState, TokenState};
    let d = &app.devices;
    let printer = match d.printer {
        PrinterState::Queue { waiting, failed } => i18n::text_with(
            app.lang,
            d.printer.message_id(),
            &[("waiting", waiting.into()), ("failed", failed.into())],
        ),
        other => t(app, other.message_id()),
    };
    let token = match d.token {
        TokenState::Present(n) => {
            i18n::text_with(app.lang, "status-tokens", &[("count", n.into())])
        }
        other => t(app, other.message_id()),
    };
    let parts = [
        (t(app, "status-reader"), t(app, d.reader.message_id())),
        (t(app, "status-token"), token),
        (t(app, "status-printer"), printer),
        (t(app, "status-camera"), t(app, d.camera.message_id())),
        (t(app, "status-sync"), app.sync.text(app.lang)),
    ];
    let width = usize::from(width);
    let mut lines: Vec<String> = vec![String::new()];
    for (k, v) in parts {
        let segment = format!("{k}: {v}");
        let count = lines.len();
        let Some(line) = lines.last_mut() else { break };
        let joined =
            if line.is_empty() { format!(" {segment}") } else { format!("{line} │ {segment}") };
        let fits = unicode_width::UnicodeWidthStr::width(joined.as_str()) <= width;
        if fits || line.is_empty() || count >= 2 {
            *line = joined;
        } else {
            lines.push(format!(" {segment}"));
        }
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

fn status_devices(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let lines: Vec<Line<'_>> = device_lines(app, area.width).into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(lines).style(Style::new().reversed()), area);
}

/// The footer: the keys of the current scope marked for it, from the one key table.
fn footer_keys(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    // F1 first: whatever else does not fit, the help lists it.
    let table = keys::table(app.scope());
    let help = table.iter().filter(|b| b.command == Command::Help);
    let rest = table.iter().filter(|b| b.footer && b.command != Command::Help);
    for binding in help.chain(rest) {
        let Some(key) = binding.keys.first() else { continue };
        let label = format!(" {} {} ", key.label(), t(app, binding.label));
        let w = unicode_width::UnicodeWidthStr::width(label.as_str());
        if used + w > usize::from(area.width) {
            break;
        }
        used += w;
        let style = if binding.available {
            Style::new()
        } else {
            Style::new().add_modifier(Modifier::DIM | Modifier::CROSSED_OUT)
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).alignment(Alignment::Left), area);
}

/// Clears where an overlay goes, and one cell either side: a Chinese character under the
/// overlay's edge would otherwise keep its other half and push the border out of line.
fn clear(frame: &mut Frame<'_>, rect: Rect) {
    let screen = frame.area();
    let x = rect.x.saturating_sub(1).max(screen.x);
    let right = (rect.x + rect.width + 1).min(screen.x + screen.width);
    frame.render_widget(Clear, Rect { x, width: right - x, ..rect });
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// F1: every key of the screen under the overlay, from the key table.
fn help(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let rows = keys::table(app.screen_scope());
    let mut lines: Vec<Line<'_>> = Vec::new();
    for binding in rows {
        let keys: Vec<String> = binding.keys.iter().map(|k| k.label()).collect();
        let mut label = t(app, binding.label);
        if !binding.available {
            label = format!("{label} ({})", t(app, "help-coming"));
        }
        let style = if binding.available { Style::new() } else { Style::new().dim() };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", keys.join(" / ")), Style::new().bold()),
            Span::styled(label, style),
        ]));
    }
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_add(2);
    let rect = centered(area, 76, height);
    clear(frame, rect);
    let block = Block::new().borders(Borders::ALL).title(format!(" {} ", t(app, "help-title")));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

fn confirm_quit(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let rect = centered(area, 50, 5);
    clear(frame, rect);
    let block = Block::new().borders(Borders::ALL).title(format!(" {} ", t(app, "quit-title")));
    frame.render_widget(
        Paragraph::new(t(app, "quit-visit-in-progress")).wrap(Wrap { trim: true }).block(block),
        rect,
    );
}

fn visit_picker(app: &App, selected: usize, frame: &mut Frame<'_>, area: Rect) {
    picker(app, &VISIT_SERVICES, selected, "visit-pick-service", frame, area);
}

/// Those who may act for the organisation whose file is open: its current members and its
/// legal representative, each once (the form it signs and stamps is what authorises its agent).
fn agents_of(file: &crate::subscriber_file::SubscriberFile) -> Vec<crate::subscriber_file::Party> {
    let mut agents: Vec<crate::subscriber_file::Party> = Vec::new();
    let members = file
        .memberships
        .iter()
        .filter(|m| m.ended.is_none() && m.party.kind == registry::model::RecordKind::Person);
    for party in members.map(|m| &m.party).chain(file.legal_representative.iter()) {
        if !agents.iter().any(|a| a.id == party.id) {
            agents.push(party.clone());
        }
    }
    agents
}

fn agent_picker(
    app: &App,
    agents: &[crate::subscriber_file::Party],
    selected: usize,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let rows: Vec<String> = agents.iter().map(super::screens::subscriber::party_name).collect();
    list_picker(app, &rows, selected, "visit-pick-agent", frame, area);
}

fn service_picker(app: &App, selected: usize, frame: &mut Frame<'_>, area: Rect) {
    picker(app, &Service::ALL, selected, "walk-in-pick-service", frame, area);
}

fn picker(
    app: &App,
    services: &[Service],
    selected: usize,
    title: &str,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let rows: Vec<String> =
        services.iter().map(|service| t(app, &queue::service_id(*service))).collect();
    list_picker(app, &rows, selected, title, frame, area);
}

/// A box of rows, one of them selected, in the middle of `area`.
fn list_picker(
    app: &App,
    rows: &[String],
    selected: usize,
    title: &str,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let lines: Vec<Line<'_>> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let text = format!(" {row} ");
            if i == selected {
                Line::styled(format!("▶{text}"), Style::new().add_modifier(Modifier::REVERSED))
            } else {
                Line::from(format!(" {text}"))
            }
        })
        .collect();
    let rect = centered(area, 40, u16::try_from(lines.len()).unwrap_or(7) + 2);
    clear(frame, rect);
    let block = Block::new().borders(Borders::ALL).title(format!(" {} ", t(app, title)));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

fn ticket(
    app: &App,
    number: &str,
    service: Service,
    printed: Option<&Msg>,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let mut lines = vec![
        Line::styled(format!("  {}", safe(number)), Style::new().add_modifier(Modifier::BOLD)),
        Line::from(format!("  {}", t(app, &queue::service_id(service)))),
        Line::from(""),
    ];
    match printed {
        Some(msg) => lines.push(Line::from(safe(&msg.text(app.lang)).into_owned())),
        None => lines.push(Line::from(t(app, "walk-in-no-printer"))),
    }
    let rect = centered(area, 50, 8);
    clear(frame, rect);
    let block =
        Block::new().borders(Borders::ALL).title(format!(" {} ", t(app, "walk-in-ticket-title")));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), rect);
}
