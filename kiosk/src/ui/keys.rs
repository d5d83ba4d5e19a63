//! The one key table. The same rows dispatch a key to a command, draw the footer and fill the
//! F1 help, so what the clerk is told and what a key does cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where the focus is: which rows of the table apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    FirstStart,
    Credentials,
    SignIn,
    Locked,
    Queue,
    Search,
    Subscriber,
    Photos,
    Help,
    ConfirmQuit,
    ServicePicker,
    Ticket,
    /// A visit step with nothing to type: keys are commands.
    Visit,
    /// A visit step (or a supervisor's approval) with a text field: keys type.
    VisitForm,
    /// Which service a visit from a subscriber's file is for.
    VisitPicker,
    /// The supervisors' day-end screen.
    DayEnd,
    /// An organisation's members and authorisations.
    Members,
    /// Adding or changing an authorisation: its certificate or seal, its years.
    MembersForm,
    /// Handing the administrator over: the signed letter.
    MembersTransfer,
    /// Ending an authorisation or handing the administrator over: yes or no.
    MembersConfirm,
    /// A person new to the registry, typed field by field.
    NewPerson,
}

impl Scope {
    /// Every scope, for tests that walk the whole key table.
    pub const ALL: [Scope; 21] = [
        Scope::FirstStart,
        Scope::Credentials,
        Scope::SignIn,
        Scope::Locked,
        Scope::Queue,
        Scope::Search,
        Scope::Subscriber,
        Scope::Photos,
        Scope::Help,
        Scope::ConfirmQuit,
        Scope::ServicePicker,
        Scope::Ticket,
        Scope::Visit,
        Scope::VisitForm,
        Scope::VisitPicker,
        Scope::DayEnd,
        Scope::Members,
        Scope::MembersForm,
        Scope::MembersTransfer,
        Scope::MembersConfirm,
        Scope::NewPerson,
    ];
}

/// What a key asks for. Screens decide what each means for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Help,
    Language,
    Search,
    Lock,
    SignOut,
    Quit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    NextTab,
    PrevTab,
    /// Enter: open what is selected, or send what was typed.
    Enter,
    Refresh,
    WalkIn,
    CheckInCamera,
    /// Starts (or resumes) a visit wizard for the subscriber.
    StartVisit,
    /// Ticks or unticks the step's checkbox (consent, agreement, new key pair).
    Toggle,
    /// The step's other way: resend the code, read without the chip, the camera, reprint.
    Alternative,
    /// A supervisor signs in on this screen to allow what the clerk may not.
    Supervisor,
    /// Tab: the step's next field.
    NextField,
    /// Cancels the application (twice; after payment a supervisor's refund).
    CancelVisit,
    /// The chip's photo and the counter's side by side.
    ComparePhotos,
    /// ← and → on a step: fewer or more (a certificate's years).
    Less,
    More,
    Yes,
    No,
    /// Opens the day-end screen (supervisors).
    DayEnd,
    /// Opens an organisation's members screen.
    Members,
    /// Gives the selected member an authorisation.
    Grant,
    ChangeGrant,
    /// Withdraws the selected authorisation for a while.
    Suspend,
    Resume,
    /// Ends the selected authorisation for good (asks first).
    EndGrant,
    /// Hands the administrator role to the selected member.
    Transfer,
    /// Puts a person new to the registry on file.
    NewPerson,
}

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

impl Key {
    /// How the footer and the help write the key.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) => c.to_uppercase().collect::<String>(),
            _ => "?".into(),
        };
        if self.ctrl { format!("Ctrl-{name}") } else { name }
    }

    fn matches(&self, event: &KeyEvent) -> bool {
        let has_ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match (self.code, event.code) {
            // Letters: either case, so Caps Lock does not turn a command off.
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                has_ctrl == self.ctrl && a.eq_ignore_ascii_case(&b)
            }
            (a, b) => a == b && has_ctrl == self.ctrl,
        }
    }
}

/// One row of the table.
#[derive(Debug)]
pub struct Binding {
    pub keys: &'static [Key],
    pub command: Command,
    /// The Fluent id of what the key does.
    pub label: &'static str,
    /// Shown in the footer (every row is in the help).
    pub footer: bool,
    /// False for what is listed but not built yet: drawn greyed, and the key says so.
    pub available: bool,
}

const fn row(keys: &'static [Key], command: Command, label: &'static str, footer: bool) -> Binding {
    Binding { keys, command, label, footer, available: true }
}

const fn later(keys: &'static [Key], command: Command, label: &'static str) -> Binding {
    Binding { keys, command, label, footer: true, available: false }
}

const HELP: Binding = row(&[key(KeyCode::F(1))], Command::Help, "key-help", true);
const LANGUAGE: Binding = row(&[key(KeyCode::F(2))], Command::Language, "key-language", true);
const QUIT: Binding = row(&[ctrl('c')], Command::Quit, "key-quit", false);
const BACK: Binding = row(&[key(KeyCode::Esc)], Command::Back, "key-back", true);
const SEARCH: Binding = row(&[key(KeyCode::F(3))], Command::Search, "key-search", true);
const SEARCH_SLASH: Binding =
    row(&[key(KeyCode::F(3)), key(KeyCode::Char('/'))], Command::Search, "key-search", true);
const LOCK: Binding = row(&[ctrl('l')], Command::Lock, "key-lock", false);
const SIGN_OUT: Binding = row(&[ctrl('o')], Command::SignOut, "key-sign-out", false);
const UP: Binding = row(&[key(KeyCode::Up)], Command::Up, "key-up", false);
const DOWN: Binding = row(&[key(KeyCode::Down)], Command::Down, "key-down", false);
const PAGE_UP: Binding = row(&[key(KeyCode::PageUp)], Command::PageUp, "key-page-up", false);
const PAGE_DOWN: Binding =
    row(&[key(KeyCode::PageDown)], Command::PageDown, "key-page-down", false);
const SUBMIT: Binding = row(&[key(KeyCode::Enter)], Command::Enter, "key-submit", true);
const OPEN: Binding = row(&[key(KeyCode::Enter)], Command::Enter, "key-open", true);
const NEXT_TAB: Binding =
    row(&[key(KeyCode::Tab), key(KeyCode::Right)], Command::NextTab, "key-next-tab", true);
const PREV_TAB: Binding =
    row(&[key(KeyCode::BackTab), key(KeyCode::Left)], Command::PrevTab, "key-prev-tab", false);

static FIRST_START: &[Binding] = &[
    row(&[key(KeyCode::Enter), key(KeyCode::Char('y'))], Command::Yes, "key-create-demo", true),
    row(&[key(KeyCode::Esc), key(KeyCode::Char('n'))], Command::Quit, "key-quit", true),
    HELP,
    LANGUAGE,
    QUIT,
];

static CREDENTIALS: &[Binding] =
    &[row(&[key(KeyCode::Enter)], Command::Enter, "key-continue", true), HELP, LANGUAGE, QUIT];

static SIGN_IN: &[Binding] = &[SUBMIT, BACK, HELP, LANGUAGE, QUIT];

// No Ctrl-C on a locked screen: quitting would hand whoever is at the counter the shell the
// kiosk was started from. SIGTERM from the operator still ends it.
static LOCKED: &[Binding] = &[SUBMIT, BACK, HELP, LANGUAGE];

static QUEUE: &[Binding] = &[
    NEXT_TAB,
    PREV_TAB,
    UP,
    DOWN,
    OPEN,
    SEARCH_SLASH,
    row(&[key(KeyCode::Char('w'))], Command::WalkIn, "key-walk-in", true),
    row(&[key(KeyCode::Char('c'))], Command::CheckInCamera, "key-check-in-camera", true),
    row(&[key(KeyCode::Esc)], Command::Back, "key-stop-camera", false),
    row(&[key(KeyCode::Char('r'))], Command::Refresh, "key-refresh", false),
    later(&[key(KeyCode::Char('v'))], Command::StartVisit, "key-start-visit"),
    // Supervisors only: a clerk pressing it is told so.
    row(&[key(KeyCode::Char('d'))], Command::DayEnd, "key-day-end", false),
    HELP,
    LANGUAGE,
    LOCK,
    SIGN_OUT,
    QUIT,
];

const VISIT_ENTER: Binding = row(&[key(KeyCode::Enter)], Command::Enter, "key-visit-enter", true);
const ALTERNATIVE: Binding =
    row(&[key(KeyCode::F(5))], Command::Alternative, "key-visit-alternative", true);
const SUPERVISOR: Binding =
    row(&[key(KeyCode::F(6))], Command::Supervisor, "key-visit-supervisor", true);
const LEAVE_VISIT: Binding = row(&[key(KeyCode::Esc)], Command::Back, "key-visit-leave", true);
const COMPARE_PHOTOS: Binding =
    row(&[key(KeyCode::F(7))], Command::ComparePhotos, "key-visit-photos", false);
const CANCEL_VISIT: Binding =
    row(&[key(KeyCode::F(8))], Command::CancelVisit, "key-visit-cancel", false);

static VISIT: &[Binding] = &[
    VISIT_ENTER,
    row(&[key(KeyCode::Char(' ')), key(KeyCode::F(4))], Command::Toggle, "key-visit-toggle", true),
    UP,
    DOWN,
    row(&[key(KeyCode::Left)], Command::Less, "key-visit-less", false),
    row(&[key(KeyCode::Right)], Command::More, "key-visit-more", false),
    ALTERNATIVE,
    SUPERVISOR,
    LEAVE_VISIT,
    COMPARE_PHOTOS,
    CANCEL_VISIT,
    HELP,
    LANGUAGE,
    LOCK,
    QUIT,
];

static VISIT_FORM: &[Binding] = &[
    VISIT_ENTER,
    row(&[key(KeyCode::Tab)], Command::NextField, "key-visit-next-field", true),
    // Space is typed into the field: F4 ticks here.
    row(&[key(KeyCode::F(4))], Command::Toggle, "key-visit-toggle", false),
    UP,
    DOWN,
    ALTERNATIVE,
    SUPERVISOR,
    LEAVE_VISIT,
    COMPARE_PHOTOS,
    CANCEL_VISIT,
    HELP,
    LANGUAGE,
    LOCK,
    QUIT,
];

static VISIT_PICKER: &[Binding] = &[UP, DOWN, OPEN, BACK, HELP, LANGUAGE, QUIT];

static SEARCH_SCREEN: &[Binding] = &[
    UP,
    DOWN,
    OPEN,
    BACK,
    row(&[key(KeyCode::F(9))], Command::NewPerson, "key-new-person", true),
    HELP,
    LANGUAGE,
    SEARCH,
    LOCK,
    SIGN_OUT,
    QUIT,
];

static NEW_PERSON: &[Binding] = &[
    row(&[key(KeyCode::Enter)], Command::Enter, "key-new-person-save", true),
    row(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "key-visit-next-field", true),
    UP,
    row(&[key(KeyCode::Left)], Command::Less, "key-new-person-kind", false),
    row(&[key(KeyCode::Right)], Command::More, "key-new-person-kind", false),
    BACK,
    HELP,
    LANGUAGE,
    LOCK,
    QUIT,
];

static SUBSCRIBER: &[Binding] = &[
    UP,
    DOWN,
    PAGE_UP,
    PAGE_DOWN,
    BACK,
    row(&[key(KeyCode::Char('v'))], Command::StartVisit, "key-start-visit", true),
    row(&[key(KeyCode::Char('m'))], Command::Members, "members-key-open", true),
    SEARCH_SLASH,
    HELP,
    LANGUAGE,
    LOCK,
    SIGN_OUT,
    QUIT,
];

static MEMBERS: &[Binding] = &[
    UP,
    DOWN,
    BACK,
    row(&[key(KeyCode::Char('a'))], Command::Grant, "members-key-add", true),
    row(&[key(KeyCode::Char('c'))], Command::ChangeGrant, "members-key-change", true),
    row(&[key(KeyCode::Char('s'))], Command::Suspend, "members-key-suspend", true),
    row(&[key(KeyCode::Char('r'))], Command::Resume, "members-key-resume", true),
    row(&[key(KeyCode::Char('e'))], Command::EndGrant, "members-key-end", true),
    row(&[key(KeyCode::Char('t'))], Command::Transfer, "members-key-transfer", true),
    row(&[key(KeyCode::Char('n'))], Command::NewPerson, "members-key-new-employee", true),
    SEARCH_SLASH,
    HELP,
    LANGUAGE,
    LOCK,
    SIGN_OUT,
    QUIT,
];

const MEMBERS_CANCEL: Binding =
    row(&[key(KeyCode::Esc)], Command::Back, "members-key-cancel", true);

static MEMBERS_FORM: &[Binding] = &[
    row(&[key(KeyCode::Up)], Command::Up, "members-key-previous-object", false),
    row(&[key(KeyCode::Down)], Command::Down, "members-key-next-object", true),
    row(&[key(KeyCode::Left)], Command::Less, "members-key-fewer-years", true),
    row(&[key(KeyCode::Right)], Command::More, "members-key-more-years", true),
    row(&[key(KeyCode::Enter)], Command::Enter, "members-key-save", true),
    MEMBERS_CANCEL,
    HELP,
    LANGUAGE,
    LOCK,
    QUIT,
];

static MEMBERS_TRANSFER: &[Binding] = &[
    row(&[key(KeyCode::Char(' '))], Command::Toggle, "members-key-letter", true),
    row(&[key(KeyCode::Enter)], Command::Enter, "key-continue", true),
    MEMBERS_CANCEL,
    HELP,
    LANGUAGE,
    LOCK,
    QUIT,
];

static MEMBERS_CONFIRM: &[Binding] = &[
    row(&[key(KeyCode::Char('y'))], Command::Yes, "members-key-yes", true),
    row(&[key(KeyCode::Char('n')), key(KeyCode::Esc)], Command::No, "members-key-no", true),
    HELP,
    LANGUAGE,
    LOCK,
    QUIT,
];

static PHOTOS: &[Binding] = &[
    row(&[key(KeyCode::Esc), key(KeyCode::Char('q'))], Command::Back, "key-close", true),
    HELP,
    LANGUAGE,
    QUIT,
];

static HELP_OVERLAY: &[Binding] = &[
    row(
        &[key(KeyCode::Esc), key(KeyCode::F(1)), key(KeyCode::Enter)],
        Command::Back,
        "key-close",
        true,
    ),
    LANGUAGE,
    QUIT,
];

static CONFIRM_QUIT: &[Binding] = &[
    row(&[key(KeyCode::Char('y'))], Command::Yes, "key-yes-quit", true),
    row(&[key(KeyCode::Char('n')), key(KeyCode::Esc)], Command::No, "key-no-stay", true),
    LANGUAGE,
];

static TICKET: &[Binding] = &[
    row(&[key(KeyCode::Enter), key(KeyCode::Esc)], Command::Back, "key-close", true),
    HELP,
    LANGUAGE,
    QUIT,
];

static DAY_END: &[Binding] = &[
    row(&[key(KeyCode::Enter)], Command::Enter, "key-day-end-close", true),
    row(&[key(KeyCode::Left)], Command::Less, "key-day-end-earlier", true),
    row(&[key(KeyCode::Right)], Command::More, "key-day-end-later", true),
    BACK,
    HELP,
    LANGUAGE,
    LOCK,
    SIGN_OUT,
    QUIT,
];

static SERVICE_PICKER: &[Binding] = &[UP, DOWN, SUBMIT, BACK, HELP, LANGUAGE, QUIT];

/// The rows of a scope, in the order the footer and help show them.
pub fn table(scope: Scope) -> &'static [Binding] {
    match scope {
        Scope::FirstStart => FIRST_START,
        Scope::Credentials => CREDENTIALS,
        Scope::SignIn => SIGN_IN,
        Scope::Locked => LOCKED,
        Scope::Queue => QUEUE,
        Scope::Search => SEARCH_SCREEN,
        Scope::Subscriber => SUBSCRIBER,
        Scope::Photos => PHOTOS,
        Scope::Help => HELP_OVERLAY,
        Scope::ConfirmQuit => CONFIRM_QUIT,
        Scope::ServicePicker => SERVICE_PICKER,
        Scope::Ticket => TICKET,
        Scope::Visit => VISIT,
        Scope::VisitForm => VISIT_FORM,
        Scope::VisitPicker => VISIT_PICKER,
        Scope::DayEnd => DAY_END,
        Scope::Members => MEMBERS,
        Scope::MembersForm => MEMBERS_FORM,
        Scope::MembersTransfer => MEMBERS_TRANSFER,
        Scope::MembersConfirm => MEMBERS_CONFIRM,
        Scope::NewPerson => NEW_PERSON,
    }
}

/// Whether plain characters in this scope are typed into a field rather than being commands.
pub fn types_text(scope: Scope) -> bool {
    matches!(
        scope,
        Scope::SignIn | Scope::Locked | Scope::Search | Scope::VisitForm | Scope::NewPerson
    )
}

/// The row a key press selects in `scope`, if any. In a scope that types text, a plain
/// character is never a command (a clerk typing "w" into a name means the letter).
pub fn lookup(scope: Scope, event: &KeyEvent) -> Option<&'static Binding> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let plain_char = matches!(event.code, KeyCode::Char(_))
        && !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if plain_char && types_text(scope) {
        return None;
    }
    table(scope).iter().find(|b| b.keys.iter().any(|k| k.matches(event)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for scope in Scope::ALL {
            let mut seen: Vec<Key> = Vec::new();
            for binding in table(scope) {
                for k in binding.keys {
                    assert!(!seen.contains(k), "{scope:?}: {} twice", k.label());
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn every_row_is_found_by_its_own_keys_and_every_label_is_translated() {
        for scope in Scope::ALL {
            for binding in table(scope) {
                for k in binding.keys {
                    let mods = if k.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
                    let event = KeyEvent::new(k.code, mods);
                    let plain = matches!(k.code, KeyCode::Char(_)) && !k.ctrl;
                    if plain && types_text(scope) {
                        continue;
                    }
                    let found = lookup(scope, &event).map(|b| b.command);
                    assert_eq!(found, Some(binding.command), "{scope:?} {}", k.label());
                }
                for lang in i18n::Language::ALL {
                    assert!(i18n::has_message(lang, binding.label), "{lang}: {}", binding.label);
                }
            }
        }
    }

    #[test]
    fn every_scope_but_the_quit_question_has_help_and_every_scope_switches_language() {
        for scope in Scope::ALL {
            let commands: Vec<Command> = table(scope).iter().map(|b| b.command).collect();
            assert!(commands.contains(&Command::Language), "{scope:?}");
            if scope != Scope::ConfirmQuit {
                assert!(
                    commands.contains(&Command::Quit) || commands.contains(&Command::Back),
                    "{scope:?}"
                );
            }
        }
    }

    #[test]
    fn typing_scopes_keep_letters_for_the_field() {
        let w = KeyEvent::from(KeyCode::Char('w'));
        assert_eq!(lookup(Scope::Queue, &w).map(|b| b.command), Some(Command::WalkIn));
        assert!(lookup(Scope::Search, &w).is_none());
        let slash = KeyEvent::from(KeyCode::Char('/'));
        assert!(lookup(Scope::Search, &slash).is_none());
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Scope::Search, &ctrl_c).map(|b| b.command), Some(Command::Quit));
    }
}
