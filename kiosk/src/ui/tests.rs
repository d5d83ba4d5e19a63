//! The app's tests: `update` for every key of every screen (refusals included), and insta
//! snapshots of every screen and overlay at 80×24 in all four languages and at 140×40.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use i18n::Language;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use registry::model::*;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

use super::action::Action;
use super::app::{App, Overlay, Screen, update, view};
use super::jobs::{Done, Effect, SearchRow};
use super::keys::Scope;
use super::msg::Msg;
use super::screens::first_start::{DemoCredential, FirstStart};
use super::screens::signin::{Purpose, SignInForm, Step};
use super::status::{CameraState, Devices, PrinterState, ReaderState, TokenState};
use crate::counter::{AwaitingApproval, DayQueue, RenewalDue};
use crate::signin::{PasswordAccepted, Refusal, SignedIn};

const NOW: OffsetDateTime = datetime!(2026-11-30 10:15 +8);

fn ulid(n: u128) -> RecordId {
    ulid::Ulid::from(n)
}

fn app(lang: Language) -> App {
    let mut app = App::new(lang, "澳門 eSignTrust 總辦事處".into(), "K01DEMO".into(), NOW, false);
    app.devices = Devices {
        reader: ReaderState::CardIn,
        token: TokenState::Present(1),
        printer: PrinterState::Queue { waiting: 2, failed: 0 },
        camera: CameraState::None,
    };
    app
}

fn clerk() -> SignedIn {
    SignedIn {
        clerk: ulid(1),
        username: "chan.tm".into(),
        display_name: "陳大文".into(),
        role: StaffRole::Clerk,
    }
}

fn supervisor() -> SignedIn {
    SignedIn {
        clerk: ulid(2),
        username: "lei.mf".into(),
        display_name: "李美芳".into(),
        role: StaffRole::Supervisor,
    }
}

fn day() -> DayQueue {
    let appointment = |n: u128, hour: u8, name: &str, service, status| Appointment {
        id: ulid(100 + n),
        reference: format!("A-{n:04}"),
        person: Some(ulid(200 + n)),
        organisation: None,
        booked_name: name.into(),
        service,
        slot: NOW.replace_time(time::Time::from_hms(hour, 30, 0).expect("time")),
        status,
    };
    DayQueue {
        date: date!(2026 - 11 - 30),
        appointments: vec![
            appointment(1, 9, "陳大文 CHAN TAI MAN", Service::Renewal, AppointmentStatus::Served),
            appointment(
                2,
                10,
                "歐陽志偉 AU IEONG CHI WAI",
                Service::NewIssuance,
                AppointmentStatus::CheckedIn,
            ),
            appointment(
                3,
                11,
                "Maria da Conceição SOUSA",
                Service::PinUnlock,
                AppointmentStatus::Booked,
            ),
        ],
        walk_ins: vec![WalkInTicket {
            id: ulid(300),
            number: "W001".into(),
            service: Service::Change,
            issued_at: NOW - Duration::minutes(20),
            status: TicketStatus::Waiting,
        }],
        renewals: vec![RenewalDue {
            certificate: ulid(400),
            serial: Some("4F2A19C3".into()),
            class: CertificateClass::Qualified,
            holder_name: "黃嘉欣".into(),
            holder_person: Some(ulid(401)),
            holder_organisation: None,
            not_after: Some(NOW + Duration::days(12)),
            days_left: 12,
        }],
        awaiting_approval: vec![AwaitingApproval {
            application: ulid(500),
            reference: "R-2026-0042".into(),
            service: Service::Revocation,
            subscriber_name: "澳門貿易有限公司".into(),
            applicant: ulid(501),
            organisation: Some(ulid(502)),
            submitted_by: Some(ulid(1)),
            submitted_by_name: Some("陳大文".into()),
            created_at: NOW - Duration::hours(1),
        }],
        conflicts: Vec::new(),
    }
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(app, key(KeyCode::Char(c))));
    }
    effects
}

/// An app signed in as `who`, on the queue with `day()` loaded.
fn on_queue(lang: Language, who: SignedIn) -> App {
    let mut app = app(lang);
    app.session = Some(who);
    app.screen = Screen::Queue;
    app.queue.loaded(Ok(day()));
    app
}

/// What the screen shows, cell by cell (a double-width character once), a line a row: shared by
/// the app's test modules.
pub(super) fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view(app, frame)).expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            text.push_str(symbol);
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        text.push('\n');
    }
    text
}

fn accepted() -> PasswordAccepted {
    PasswordAccepted::for_tests(ulid(1), "chan.tm", NOW)
}

// ---- sign-in ----

#[test]
fn sign_in_takes_the_id_then_the_password_without_echo_then_the_code() {
    let mut app = app(Language::En);
    assert_eq!(app.scope(), Scope::SignIn);
    assert!(type_text(&mut app, "chan.tm").is_empty());
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    type_text(&mut app, "Secret-Pass-1");
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("Secret-Pass-1"), "the password is never drawn");
    assert!(screen.contains("•••••••••••••"), "{screen}");
    let effects = update(&mut app, key(KeyCode::Enter));
    match effects.as_slice() {
        [Effect::CheckPassword { username, password }] => {
            assert_eq!(username, "chan.tm");
            assert_eq!(password.as_str(), "Secret-Pass-1");
        }
        other => panic!("{other:?}"),
    }
    // The typed password is gone from the state once it was sent.
    let Screen::SignIn(form) = &app.screen else { panic!("still signing in") };
    assert!(form.password.is_empty() && form.busy);
    update(&mut app, Action::Job(Done::PasswordChecked(Ok(accepted()))));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.step, Step::Code);
    type_text(&mut app, "12345");
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty(), "five digits are not sent");
    type_text(&mut app, "６x");
    match update(&mut app, key(KeyCode::Enter)).as_slice() {
        [Effect::CheckCode { code, .. }] => assert_eq!(code.as_str(), "123456"),
        other => panic!("{other:?}"),
    }
    let effects = update(&mut app, Action::Job(Done::CodeChecked(Ok(clerk()))));
    assert!(matches!(effects.as_slice(), [Effect::LoadQueue]), "{effects:?}");
    assert_eq!(app.screen, Screen::Queue);
    assert_eq!(app.session.as_ref().map(|s| s.clerk), Some(ulid(1)));
}

#[test]
fn a_wrong_password_says_so_and_keeps_the_id() {
    let mut app = app(Language::En);
    type_text(&mut app, "nobody");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "guess");
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::Job(Done::PasswordChecked(Err(Refusal::WrongPassword))));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.step, Step::Password);
    assert_eq!(form.username, "nobody");
    assert_eq!(form.error.as_ref().map(|m| m.id), Some(Refusal::WrongPassword.message_id()));
    assert!(app.session.is_none());
}

#[test]
fn a_wrong_code_says_the_code_failed_and_a_locked_clerk_starts_again() {
    let mut app = app(Language::En);
    type_text(&mut app, "chan.tm");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "pw");
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::Job(Done::PasswordChecked(Ok(accepted()))));
    type_text(&mut app, "000000");
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::Job(Done::CodeChecked(Err(Refusal::WrongCode))));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.step, Step::Code, "a wrong code lets the clerk type it again");
    assert_eq!(form.error.as_ref().map(|m| m.id), Some(Refusal::WrongCode.message_id()));
    type_text(&mut app, "111111");
    update(&mut app, key(KeyCode::Enter));
    let until = NOW + Duration::minutes(5);
    update(&mut app, Action::Job(Done::CodeChecked(Err(Refusal::Locked { until }))));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.step, Step::Id);
    assert_eq!(form.error.as_ref().map(|m| m.id), Some(Refusal::Locked { until }.message_id()));
    assert!(app.session.is_none());
    // Locked at the password step too.
    type_text(&mut app, "chan.tm");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "pw");
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::Job(Done::PasswordChecked(Err(Refusal::Locked { until }))));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.step, Step::Id);
}

#[test]
fn esc_steps_back_and_enter_on_an_empty_id_does_nothing() {
    let mut app = app(Language::En);
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.step, Step::Id);
    type_text(&mut app, "chan");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "pw");
    update(&mut app, key(KeyCode::Esc));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!((form.step, form.password.as_str()), (Step::Id, ""));
    update(&mut app, key(KeyCode::Backspace));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.username, "cha");
    update(&mut app, key(KeyCode::Esc));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.username, "");
}

#[test]
fn before_sign_in_search_and_lock_keys_do_nothing() {
    let mut app = app(Language::En);
    update(&mut app, key(KeyCode::F(3)));
    update(&mut app, ctrl('l'));
    assert!(matches!(app.screen, Screen::SignIn(_)));
    assert!(app.lock.is_none());
}

// ---- lock ----

#[test]
fn the_screen_locks_after_the_idle_time_and_the_visit_survives() {
    let mut app = on_queue(Language::En, clerk());
    app.queue.tab = super::screens::queue::Tab::Renewals;
    update(&mut app, Action::Tick(NOW + Duration::minutes(4)));
    assert!(app.lock.is_none());
    update(&mut app, Action::Tick(NOW + Duration::minutes(5)));
    assert!(app.lock.is_some());
    assert_eq!(app.scope(), Scope::Locked);
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("黃嘉欣"), "nothing of the visit shows on a locked screen");
    // Keys for the queue do nothing while locked.
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.queue.tab, super::screens::queue::Tab::Renewals);
    // Another clerk cannot unlock.
    unlock_as(&mut app, SignedIn { clerk: ulid(9), role: StaffRole::Clerk, ..clerk() });
    assert!(app.lock.is_some());
    let form = app.lock.as_ref().expect("locked");
    assert_eq!(form.error.as_ref().map(|m| m.id), Some("lock-not-yours"));
    // The same clerk can.
    unlock_as(&mut app, clerk());
    assert!(app.lock.is_none());
    assert_eq!(app.screen, Screen::Queue);
    assert_eq!(app.queue.tab, super::screens::queue::Tab::Renewals);
}

#[test]
fn a_supervisor_unlocks_a_clerks_screen_and_ctrl_l_locks_at_once() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, ctrl('l'));
    assert!(app.lock.is_some());
    unlock_as(&mut app, supervisor());
    assert!(app.lock.is_none());
    assert!(!app.supervisor(), "the counter stays the clerk's");
    assert_eq!(app.session.as_ref().map(|s| s.clerk), Some(ulid(1)));
}

#[test]
fn signing_out_leaves_nothing_of_the_last_clerk() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::F(3)));
    type_text(&mut app, "陳");
    update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL)));
    assert!(app.session.is_none());
    assert!(matches!(app.screen, Screen::SignIn(_)));
    assert!(app.back.is_empty() && app.search.text.is_empty() && app.queue.day.is_none());
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("signin-signed-out"));
}

#[test]
fn a_locked_screen_keeps_the_counters_work_to_itself() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::Char('c')));
    // Locking stops the camera: nothing is checked in behind a locked screen.
    assert!(matches!(update(&mut app, ctrl('l')).as_slice(), [Effect::CancelCamera]));
    // Ctrl-C does not leave a locked kiosk to whoever is at the counter.
    assert!(update(&mut app, ctrl('c')).is_empty());
    // A ticket or a check-in finishing meanwhile does not show over the lock.
    update(&mut app, Action::Job(Done::WalkInIssued(Ok(("W009".into(), Service::Change, None)))));
    update(&mut app, Action::Job(Done::CheckedIn(Ok("陳大文".into()))));
    assert_eq!(app.overlay, None);
    assert_eq!(app.notice, None);
    assert_eq!(app.scope(), Scope::Locked);
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("W009") && !screen.contains("陳大文 is"), "{screen}");
}

#[test]
fn control_letters_are_not_typed_and_a_password_may_hold_a_pass_prefix() {
    let mut app = app(Language::En);
    type_text(&mut app, "chan");
    update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.username, "chan");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "KQ1|abcD9");
    match update(&mut app, key(KeyCode::Enter)).as_slice() {
        [Effect::CheckPassword { password, .. }] => assert_eq!(password.as_str(), "KQ1|abcD9"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_job_that_failed_releases_what_waited_for_it() {
    let mut app = app(Language::En);
    type_text(&mut app, "chan");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "pw");
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::Job(Done::Failed(Msg::new("ui-job-failed"))));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert!(!form.busy);
    assert_eq!(form.error.as_ref().map(|m| m.id), Some("ui-job-failed"));
}

#[test]
fn searching_all_day_does_not_pile_up_screens_and_a_late_file_still_arrives() {
    let mut app = on_queue(Language::En, clerk());
    for _ in 0..5 {
        update(&mut app, key(KeyCode::F(3)));
        app.search.rows = vec![row(7, "陳大文", "CHAN")];
        update(&mut app, key(KeyCode::Enter));
    }
    assert!(app.back.len() <= 2, "{:?}", app.back);
    // The clerk leaves a file before it arrives: F3 goes back to the search (the file is
    // closed, not left loading behind it), and the late answer lands nowhere.
    assert!(matches!(app.screen, Screen::Subscriber(_)));
    update(&mut app, key(KeyCode::F(3)));
    assert_eq!((&app.screen, app.back.as_slice()), (&Screen::Search, [Screen::Queue].as_slice()));
    update(
        &mut app,
        Action::Job(Done::FileLoaded { id: ulid(7), result: Ok(Some(Box::new(person_file()))) }),
    );
    assert_eq!(app.screen, Screen::Search);
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Queue);
}

fn unlock_as(app: &mut App, who: SignedIn) {
    type_text(app, &who.username);
    update(app, key(KeyCode::Enter));
    type_text(app, "pw");
    let effects = update(app, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::CheckPassword { .. }]), "{effects:?}");
    update(app, Action::Job(Done::PasswordChecked(Ok(accepted()))));
    type_text(app, "123456");
    let effects = update(app, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::CheckCode { .. }]), "{effects:?}");
    update(app, Action::Job(Done::CodeChecked(Ok(who))));
}

// ---- queue ----

#[test]
fn queue_keys_move_between_lists_and_rows_and_open_the_subscriber() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    assert_eq!(app.queue.selected[0], 2, "stops at the last row");
    update(&mut app, key(KeyCode::Up));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::OpenFile { kind: RecordKind::Person, id }] if *id == ulid(202)),
        "{effects:?}"
    );
    assert!(matches!(app.screen, Screen::Subscriber(_)));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Queue, "Esc goes back to the queue");
    use super::screens::queue::Tab;
    for expected in [Tab::WalkIns, Tab::Renewals, Tab::Appointments] {
        update(&mut app, key(KeyCode::Tab));
        assert_eq!(app.queue.tab, expected, "a clerk has no approvals list");
    }
    update(&mut app, key(KeyCode::BackTab));
    assert_eq!(app.queue.tab, Tab::Renewals);
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::OpenFile { id, .. }] if *id == ulid(401)));
    update(&mut app, key(KeyCode::Esc));
    assert!(matches!(update(&mut app, key(KeyCode::Char('r'))).as_slice(), [Effect::LoadQueue]));
    let effects = update(&mut app, key(KeyCode::Char('v')));
    assert!(effects.is_empty());
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("notice-not-yet"));
}

#[test]
fn supervisors_see_what_waits_for_approval() {
    let mut app = on_queue(Language::En, supervisor());
    update(&mut app, key(KeyCode::Left));
    assert_eq!(app.queue.tab, super::screens::queue::Tab::Approvals);
    // Enter opens the visit itself: the supervisor sees what they approve, and approves there.
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Visit { op: crate::visits::VisitOp::Resume { application }, .. }]
            if *application == ulid(500)),
        "{effects:?}"
    );
    assert!(matches!(app.screen, Screen::Visit(_)));
}

#[test]
fn a_walk_in_ticket_is_issued_for_the_service_picked() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::Char('w')));
    assert_eq!(app.overlay, Some(Overlay::ServicePicker { selected: 0 }));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Up));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::IssueWalkIn { service: Service::Renewal, clerk: Some(c), lang: Language::En }] if *c == ulid(1)),
        "{effects:?}"
    );
    let effects = update(
        &mut app,
        Action::Job(Done::WalkInIssued(Ok(("W002".into(), Service::Renewal, None)))),
    );
    assert!(matches!(effects.as_slice(), [Effect::LoadQueue]));
    assert!(matches!(app.overlay, Some(Overlay::Ticket { ref number, .. }) if number == "W002"));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.overlay, None);
    // Esc leaves the picker without a ticket.
    update(&mut app, key(KeyCode::Char('w')));
    assert!(update(&mut app, key(KeyCode::Esc)).is_empty());
    assert_eq!(app.overlay, None);
}

#[test]
fn a_scanned_pass_checks_in_from_any_screen_and_leaves_the_focused_field_alone() {
    let pass = "KQ1|01JQ8ZK4V6N3C5Y7XW2M9T0ABC|A-0001|2026-11-30T10:30:00+08:00|ABCDEF";
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::F(3)));
    type_text(&mut app, "陳");
    let mut effects = type_text(&mut app, pass);
    effects.extend(update(&mut app, key(KeyCode::Enter)));
    let checks: Vec<&Effect> =
        effects.iter().filter(|e| matches!(e, Effect::CheckIn { .. })).collect();
    match checks.as_slice() {
        [Effect::CheckIn { payload, clerk: Some(c) }] => {
            assert_eq!(payload, pass);
            assert_eq!(*c, ulid(1));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.search.text, "陳", "the pass did not go into the search box");
    // A refusal is said with its reason.
    let refusal = Msg::new("qr-pass-forged");
    update(&mut app, Action::Job(Done::CheckedIn(Err(refusal.clone()))));
    assert_eq!(app.notice.as_ref().map(|n| n.msg.clone()), Some(refusal));
    let effects = update(&mut app, Action::Job(Done::CheckedIn(Ok("陳大文".into()))));
    assert!(matches!(effects.as_slice(), [Effect::LoadQueue]));
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("queue-checked-in"));
}

#[test]
fn a_pass_scanned_before_sign_in_is_refused() {
    let mut app = app(Language::En);
    let mut effects = type_text(&mut app, "KQ1|X|Y|Z|T");
    effects.extend(update(&mut app, key(KeyCode::Enter)));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("queue-sign-in-first"));
    let Screen::SignIn(form) = &app.screen else { panic!() };
    assert_eq!(form.username, "", "the pass did not go into the id field");
}

#[test]
fn the_camera_looks_once_and_esc_stops_it() {
    let mut app = on_queue(Language::En, clerk());
    let effects = update(&mut app, key(KeyCode::Char('c')));
    assert!(matches!(effects.as_slice(), [Effect::CheckInByCamera { clerk: Some(_) }]));
    assert!(update(&mut app, key(KeyCode::Char('c'))).is_empty(), "one camera scan at a time");
    assert!(matches!(update(&mut app, key(KeyCode::Esc)).as_slice(), [Effect::CancelCamera]));
    update(&mut app, Action::Job(Done::CameraCheckedIn(Err(Msg::new("queue-camera-cancelled")))));
    assert!(!app.camera_looking);
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("queue-camera-cancelled"));
    assert!(update(&mut app, key(KeyCode::Esc)).is_empty(), "nothing to stop now");
    // No camera: said in the clerk's language.
    update(&mut app, key(KeyCode::Char('c')));
    update(&mut app, Action::Job(Done::CameraCheckedIn(Err(Msg::new("camera-error-no-camera")))));
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("camera-error-no-camera"));
}

/// Types `text` then Enter as a keyboard-wedge scanner does: a key every 4 ms from `start`.
fn scan(app: &mut App, text: &str, start_ms: u64) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut at = std::time::Duration::from_millis(start_ms);
    for code in text.chars().map(KeyCode::Char).chain([KeyCode::Enter]) {
        effects.extend(update(app, Action::KeyAt { key: KeyEvent::from(code), at }));
        at += std::time::Duration::from_millis(4);
    }
    effects
}

#[test]
fn a_scanned_code_that_is_not_a_pass_presses_no_commands() {
    let mut app = on_queue(Language::En, clerk());
    // `w` opens the walk-in picker and Enter would issue a ticket, if a person typed them.
    let effects = scan(&mut app, "weixin://wxpay/bizpayurl?pr=abc", 10_000);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.overlay, None);
    assert_eq!(app.screen, Screen::Queue);
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("queue-scan-not-a-pass"));
    // `c` starts the camera: a burst that starts with it stops it again.
    let effects = scan(&mut app, "cWIFI:S:office;;", 20_000);
    assert!(matches!(effects.first(), Some(Effect::CheckInByCamera { .. })), "{effects:?}");
    assert!(effects.iter().any(|e| matches!(e, Effect::CancelCamera)), "{effects:?}");
    assert!(!app.camera_looking);
    // A pass scanned the same way checks in.
    let pass = "KQ1|01JQ8ZK4V6N3C5Y7XW2M9T0ABC|A-0001|2026-11-30T10:30:00+08:00|ABCDEF";
    let effects = scan(&mut app, pass, 30_000);
    assert!(
        matches!(effects.as_slice(), [Effect::CheckIn { payload, .. }] if payload == pass),
        "{effects:?}"
    );
    // A person's keys, far apart, still work: `w`, then Enter a second later.
    let w = Action::KeyAt {
        key: KeyEvent::from(KeyCode::Char('w')),
        at: std::time::Duration::from_secs(40),
    };
    update(&mut app, w);
    assert_eq!(app.overlay, Some(Overlay::ServicePicker { selected: 0 }));
    let enter = Action::KeyAt {
        key: KeyEvent::from(KeyCode::Enter),
        at: std::time::Duration::from_secs(41),
    };
    let effects = update(&mut app, enter);
    assert!(matches!(effects.as_slice(), [Effect::IssueWalkIn { .. }]), "{effects:?}");
}

#[test]
fn a_pasted_pass_is_a_pass() {
    let mut app = on_queue(Language::En, clerk());
    let effects = update(&mut app, Action::Paste("KQ1|A|B|C|D\n".into()));
    assert!(
        matches!(effects.as_slice(), [Effect::CheckIn { payload, .. }] if payload == "KQ1|A|B|C|D")
    );
}

// ---- search ----

fn row(n: u128, zh: &str, latin: &str) -> SearchRow {
    SearchRow {
        id: ulid(n),
        kind: RecordKind::Person,
        name_zh: Some(zh.into()),
        name_latin: Some(latin.into()),
        number: Some("******6(3)".into()),
        phone: Some("**** 3456".into()),
        matched_by: store::MatchedBy::Name,
    }
}

#[test]
fn search_follows_each_key_and_drops_stale_answers() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::Char('/')));
    assert_eq!(app.screen, Screen::Search);
    let first = type_text(&mut app, "陳");
    let second = type_text(&mut app, "大");
    let (
        Some(Effect::Search { generation: g1, .. }),
        Some(Effect::Search { generation: g2, text }),
    ) = (first.first(), second.first())
    else {
        panic!("{first:?} {second:?}")
    };
    assert_eq!(text, "陳大");
    // The answer to the first query arrives late: it is not shown.
    update(
        &mut app,
        Action::Job(Done::Search { generation: *g1, result: Ok(vec![row(1, "陳", "X")]) }),
    );
    assert!(app.search.rows.is_empty());
    update(
        &mut app,
        Action::Job(Done::Search {
            generation: *g2,
            result: Ok(vec![row(7, "陳大文", "CHAN"), row(8, "陳大明", "CHAN")]),
        }),
    );
    assert_eq!(app.search.rows.len(), 2);
    update(&mut app, key(KeyCode::Down));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::OpenFile { id, .. }] if *id == ulid(8)));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Search, "Esc goes back to the results");
    // Letters are typed, not commands, in the search box.
    let effects = update(&mut app, key(KeyCode::Char('w')));
    assert!(matches!(effects.as_slice(), [Effect::Search { .. }]));
    assert_eq!(app.overlay, None);
    // Backspace to empty clears the results without a search.
    update(&mut app, key(KeyCode::Backspace));
    update(&mut app, key(KeyCode::Backspace));
    assert!(update(&mut app, key(KeyCode::Backspace)).is_empty());
    assert_eq!(app.search.text, "");
    assert!(app.search.rows.is_empty());
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Queue);
}

#[test]
fn a_failed_search_says_why() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::F(3)));
    let effects = type_text(&mut app, "x");
    let Some(Effect::Search { generation, .. }) = effects.first() else { panic!() };
    let msg = Msg::with("error-store", vec![("detail", "disk I/O error".into())]);
    update(&mut app, Action::Job(Done::Search { generation: *generation, result: Err(msg) }));
    assert!(render(&app, 80, 24).contains("disk I/O error"));
}

// ---- everywhere ----

#[test]
fn f2_switches_language_everywhere_messages_included() {
    let mut app = on_queue(Language::ZhHant, clerk());
    app.notice = Some(super::app::Notice {
        msg: Msg::new("queue-sign-in-first"),
        tone: super::app::Tone::Error,
    });
    let before = render(&app, 80, 24);
    update(&mut app, key(KeyCode::F(2)));
    assert_eq!(app.lang, Language::Pt);
    let after = render(&app, 80, 24);
    assert!(before.contains(&i18n::text(Language::ZhHant, "queue-tab-appointments")));
    assert!(after.contains(&i18n::text(Language::Pt, "queue-tab-appointments")));
    let notice_pt: String =
        i18n::text(Language::Pt, "queue-sign-in-first").chars().take(20).collect();
    assert!(after.contains(&notice_pt), "{after}");
}

#[test]
fn f1_shows_the_keys_of_the_screen_and_any_key_in_it_closes_it() {
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::F(1)));
    assert_eq!(app.overlay, Some(Overlay::Help));
    let screen = render(&app, 80, 24);
    for binding in super::keys::table(Scope::Queue) {
        assert!(
            screen.contains(&i18n::text(Language::En, binding.label)),
            "{}: {screen}",
            binding.label
        );
    }
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.overlay, None);
    assert_eq!(app.screen, Screen::Queue, "Esc closed the help, not the screen");
}

#[test]
fn ctrl_c_quits_at_once_unless_a_visit_is_in_progress() {
    let mut app = on_queue(Language::En, clerk());
    assert!(matches!(update(&mut app, ctrl('c')).as_slice(), [Effect::Quit]));
    app.visit_in_progress = true;
    assert!(update(&mut app, ctrl('c')).is_empty());
    assert_eq!(app.overlay, Some(Overlay::ConfirmQuit));
    update(&mut app, key(KeyCode::Char('n')));
    assert_eq!(app.overlay, None);
    update(&mut app, ctrl('c'));
    assert!(matches!(update(&mut app, key(KeyCode::Char('y'))).as_slice(), [Effect::Quit]));
    assert!(matches!(update(&mut app, Action::Terminate).as_slice(), [Effect::Quit]));
}

#[test]
fn first_start_offers_the_demo_office_and_shows_the_credentials_once() {
    let mut app = App::new(Language::En, "Demo".into(), "K1".into(), NOW, true);
    assert_eq!(app.scope(), Scope::FirstStart);
    assert!(matches!(update(&mut app, key(KeyCode::Enter)).as_slice(), [Effect::CreateDemoOffice]));
    assert_eq!(app.screen, Screen::FirstStart(FirstStart::Creating));
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty(), "no second office while one is made");
    update(&mut app, Action::Job(Done::DemoCreated(Err(Msg::new("error-store")))));
    assert!(matches!(app.screen, Screen::FirstStart(FirstStart::Failed(_))));
    update(&mut app, key(KeyCode::Char('y')));
    update(&mut app, Action::Job(Done::DemoCreated(Ok(credentials()))));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Demo-Pass-42") && screen.contains("otpauth://"), "{screen}");
    update(&mut app, key(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::SignIn(_)));
    assert!(!render(&app, 80, 24).contains("Demo-Pass-42"));
    // Esc on the offer quits.
    let mut app = App::new(Language::En, "Demo".into(), "K1".into(), NOW, true);
    assert!(matches!(update(&mut app, key(KeyCode::Esc)).as_slice(), [Effect::Quit]));
}

fn credentials() -> Vec<DemoCredential> {
    vec![DemoCredential {
        username: "clerk1".into(),
        role: StaffRole::Clerk,
        password: zeroize::Zeroizing::new("Demo-Pass-42".into()),
        otpauth: "otpauth://totp/eSignTrust:clerk1?secret=JBSWY3DPEHPK3PXP&issuer=eSignTrust&period=60&digits=6".into(),
    }]
}

#[test]
fn a_small_window_says_so_instead_of_drawing_a_broken_screen() {
    for (w, h) in [(79, 24), (80, 23), (20, 5), (1, 1)] {
        let app = on_queue(Language::En, clerk());
        let screen = render(&app, w, h);
        if w >= 20 {
            assert!(screen.contains("This"), "{w}x{h}: {screen}");
        }
        assert!(!screen.contains("Appointments"), "{w}x{h}");
    }
}

#[test]
fn text_from_records_cannot_command_the_terminal() {
    let mut app = on_queue(Language::En, clerk());
    if let Some(day) = &mut app.queue.day {
        day.appointments[0].booked_name = "\u{1b}[2J\u{202E}Evil\u{7}".into();
    }
    let screen = render(&app, 80, 24);
    assert!(!screen.contains(['\u{1b}', '\u{202E}', '\u{7}']), "{screen}");
}

#[test]
fn chinese_names_stay_aligned_in_the_search_table_at_80_columns() {
    let mut app = on_queue(Language::ZhHant, clerk());
    app.screen = Screen::Search;
    app.search.text = "陳".into();
    app.search.rows = vec![
        row(1, "陳大文", "CHAN TAI MAN"),
        row(2, "歐陽志偉偉偉偉", "AU IEONG CHI WAI LONG NAME"),
        row(3, "陳", "C"),
    ];
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|frame| view(&app, frame)).expect("draw");
    let buffer = terminal.backend().buffer();
    // The masked number column starts at the same cell on every result row.
    let starts: Vec<u16> =
        (0..24).filter_map(|y| (0..80).find(|x| buffer[(*x, y)].symbol() == "*")).collect();
    assert_eq!(starts.len(), 3, "{starts:?}");
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{starts:?}");
}

// ---- the subscriber file ----

fn party(n: u128, zh: &str, latin: &str, kind: RecordKind) -> crate::subscriber_file::Party {
    crate::subscriber_file::Party {
        id: ulid(n),
        kind,
        name_zh: Some(zh.into()),
        name_latin: Some(latin.into()),
    }
}

pub(super) fn person_file() -> crate::subscriber_file::SubscriberFile {
    use crate::subscriber_file::*;
    let person = Person {
        id: ulid(202),
        name_zh: Some("歐陽志偉".into()),
        name_latin: Some("AU IEONG CHI WAI".into()),
        id_document: IdDocument {
            kind: IdDocumentKind::MacauResident,
            number: Sensitive::new("1234567(8)"),
            issuing_state: None,
            expiry: Some(date!(2030 - 05 - 01)),
        },
        nationality: Some("CHN".into()),
        birth_date: Some(date!(1980 - 01 - 01)),
        sex: None,
        phone: Some(Sensitive::new("+853 6612 3456")),
        email: Some("chiwai@example.mo".into()),
        photo: None,
    };
    SubscriberFile {
        subject: Subject::Person(person),
        memberships: vec![MembershipLine {
            id: ulid(600),
            party: party(
                502,
                "澳門貿易有限公司",
                "MACAU TRADING LIMITED",
                RecordKind::Organisation,
            ),
            role: MemberRole::Administrator,
            ended: None,
        }],
        legal_representative_of: vec![party(
            503,
            "志偉工程",
            "CHI WAI ENGINEERING",
            RecordKind::Organisation,
        )],
        legal_representative: None,
        authorisations: Vec::new(),
        seals: Vec::new(),
        certificates: vec![CertificateLine {
            id: ulid(400),
            class: CertificateClass::Qualified,
            holder_kind: HolderKind::Person,
            serial: Some("4f2a19c3".into()),
            status: CertificateStatus::Valid,
            not_after: Some(NOW + Duration::days(12)),
            days_to_expiry: Some(12),
            renewal_due: true,
            holder_person: None,
            holder_organisation: None,
            token: Some(ulid(700)),
        }],
        tokens: vec![TokenLine {
            id: ulid(700),
            serial: "EK0001".into(),
            model: Some("ePass3003".into()),
            status: TokenStatus::Issued,
        }],
        applications: vec![ApplicationLine {
            id: ulid(800),
            reference: "R-2026-0042".into(),
            service: Service::Renewal,
            state: registry::application::ApplicationState::AwaitingPayment,
            updated: NOW - Duration::hours(2),
            role: "applicant",
            documents: Vec::new(),
        }],
        timeline: vec![TimelineEntry {
            id: ulid(900),
            at: NOW - Duration::hours(2),
            kiosk: "K01DEMO".into(),
            clerk: Some(ClerkName {
                id: ulid(1),
                username: "chan.tm".into(),
                display_name: "陳大文".into(),
            }),
            action: registry::audit::AuditAction::CertificateIssued {
                profile: "qualified".into(),
                medium: "token".into(),
            },
            subject_kind: Some(RecordKind::Certificate),
            subject: Some(ulid(400)),
        }],
        timeline_more: false,
    }
}

fn on_file(lang: Language) -> App {
    let mut app = on_queue(lang, clerk());
    update(&mut app, key(KeyCode::Enter));
    if let Screen::Subscriber(state) = &mut app.screen {
        state.loaded(Ok(Some(Box::new(person_file()))));
    }
    app
}

#[test]
fn the_file_shows_identity_masked_certificates_tokens_applications_and_history() {
    let app = on_file(Language::En);
    let screen = render(&app, 80, 24);
    for text in [
        "歐陽志偉",
        "******7(8)",
        "4f2a19c3",
        "expires in 12 days",
        "EK0001",
        "R-2026-0042",
        "澳門貿易有限公司",
    ] {
        assert!(screen.contains(text) || render(&app, 140, 40).contains(text), "{text}: {screen}");
    }
    assert!(!screen.contains("1234567(8)"), "the ID number is masked");
    assert!(!screen.contains("6612 3456"), "the phone is masked");
    let tall = render(&app, 140, 60);
    assert!(
        tall.contains("chan.tm") && tall.contains("K01DEMO"),
        "the history says who and where: {tall}"
    );
}

#[test]
fn file_keys_scroll_and_esc_goes_back() {
    let mut app = on_file(Language::En);
    update(&mut app, key(KeyCode::PageDown));
    update(&mut app, key(KeyCode::Down));
    let Screen::Subscriber(state) = &app.screen else { panic!() };
    assert_eq!(state.scroll, 11);
    update(&mut app, key(KeyCode::PageUp));
    update(&mut app, key(KeyCode::PageUp));
    update(&mut app, key(KeyCode::Up));
    let Screen::Subscriber(state) = &app.screen else { panic!() };
    assert_eq!(state.scroll, 0);
    update(&mut app, key(KeyCode::Char('v')));
    assert!(matches!(app.overlay, Some(Overlay::VisitPicker { .. })), "V offers the services");
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.overlay, None);
    update(&mut app, key(KeyCode::Char('/')));
    assert_eq!(app.screen, Screen::Search);
    update(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Subscriber(_)));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Queue);
}

#[test]
fn a_file_that_is_gone_or_unreadable_says_so() {
    let mut app = on_file(Language::En);
    if let Screen::Subscriber(state) = &mut app.screen {
        state.file = None;
        state.loaded(Ok(None));
    }
    assert!(render(&app, 80, 24).contains("not in this kiosk's store"));
    // An answer for another record (the clerk moved on) is not shown.
    let mut app = on_queue(Language::En, clerk());
    update(&mut app, key(KeyCode::Enter));
    update(
        &mut app,
        Action::Job(Done::FileLoaded { id: ulid(9999), result: Ok(Some(Box::new(person_file()))) }),
    );
    let Screen::Subscriber(state) = &app.screen else { panic!() };
    assert!(state.file.is_none());
}

// ---- photos ----

fn photos_app(lang: Language) -> App {
    use super::screens::photos::{PhotosState, Side};
    let mut app = App::new(lang, "Office".into(), String::new(), NOW, false);
    app.screen = Screen::Photos(Box::new(PhotosState {
        chip: Side::Problem(Msg::new("photo-missing")),
        captured: Side::Problem(Msg::with(
            "photo-unreadable",
            vec![("detail", "JPEG 2000".into())],
        )),
        graphics: false,
        encoded: None,
    }));
    app
}

#[test]
fn the_photos_screen_encodes_for_each_window_size_and_esc_closes_it() {
    let mut app = photos_app(Language::En);
    let effects = update(&mut app, Action::Resize { width: 100, height: 30 });
    assert!(
        matches!(effects.as_slice(), [Effect::EncodePhotos { window: (100, 30), .. }]),
        "{effects:?}"
    );
    let picker = ratatui_image::picker::Picker::halfblocks();
    let Some(Effect::EncodePhotos { chip, captured, body, window }) = effects.into_iter().next()
    else {
        panic!()
    };
    let encoded = super::screens::photos::encode(&picker, &chip, &captured, body, window);
    assert!(update(&mut app, Action::Job(Done::PhotosEncoded(Box::new(encoded)))).is_empty());
    assert!(
        update(&mut app, Action::Resize { width: 100, height: 30 }).is_empty(),
        "same size: no work"
    );
    let screen = render(&app, 100, 30);
    assert!(screen.contains("JPEG 2000") && screen.contains("No photo yet"), "{screen}");
    assert!(matches!(update(&mut app, key(KeyCode::Esc)).as_slice(), [Effect::Quit]));
}

#[test]
fn photos_are_drawn_from_what_the_job_encoded() {
    use super::screens::photos::{PhotosState, Side, encode};
    let face = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(120, 160, |x, y| {
        image::Rgb([(x * 2) as u8, (y * 2) as u8, 128])
    }));
    let side = Side::Photo(std::sync::Arc::new(face));
    let mut app = App::new(Language::En, "Office".into(), String::new(), NOW, false);
    app.screen = Screen::Photos(Box::new(PhotosState {
        chip: side.clone(),
        captured: side,
        graphics: false,
        encoded: None,
    }));
    let before = render(&app, 80, 24);
    assert!(before.contains("Preparing"), "{before}");
    let effects = update(&mut app, Action::Resize { width: 80, height: 24 });
    let Some(Effect::EncodePhotos { chip, captured, body, window }) = effects.into_iter().next()
    else {
        panic!()
    };
    let encoded =
        encode(&ratatui_image::picker::Picker::halfblocks(), &chip, &captured, body, window);
    update(&mut app, Action::Job(Done::PhotosEncoded(Box::new(encoded))));
    let screen = render(&app, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    let middle = lines[8];
    let (left, right) = middle.split_at(middle.char_indices().nth(40).map_or(0, |(i, _)| i));
    assert!(left.contains('▀') || left.contains('▄'), "{middle}");
    assert!(right.contains('▀') || right.contains('▄'), "{middle}");
    assert!(screen.contains("cannot draw photos"), "{screen}");
}

// ---- snapshots ----

fn screens(lang: Language) -> Vec<(&'static str, App)> {
    let mut list = Vec::new();
    list.push((
        "first_start",
        App::new(lang, "澳門 eSignTrust".into(), "K01DEMO".into(), NOW, true),
    ));
    let mut created = App::new(lang, "澳門 eSignTrust".into(), "K01DEMO".into(), NOW, true);
    created.screen = Screen::FirstStart(FirstStart::Created(credentials()));
    list.push(("first_start_credentials", created));
    list.push(("sign_in", app(lang)));
    let mut code = app(lang);
    let mut form = SignInForm::new(Purpose::SignIn);
    form.username = "chan.tm".into();
    form.step = Step::Code;
    form.code = zeroize::Zeroizing::new("123".into());
    form.error =
        Some(Msg::with(Refusal::WrongCode.message_id(), Refusal::WrongCode.message_args()));
    code.screen = Screen::SignIn(form);
    code.clock_skew = Some(Duration::minutes(7));
    list.push(("sign_in_wrong_code", code));
    list.push(("queue_appointments", on_queue(lang, clerk())));
    let mut walk_ins = on_queue(lang, clerk());
    walk_ins.queue.tab = super::screens::queue::Tab::WalkIns;
    list.push(("queue_walk_ins", walk_ins));
    let mut renewals = on_queue(lang, clerk());
    renewals.queue.tab = super::screens::queue::Tab::Renewals;
    list.push(("queue_renewals", renewals));
    let mut approvals = on_queue(lang, supervisor());
    approvals.queue.tab = super::screens::queue::Tab::Approvals;
    list.push(("queue_approvals", approvals));
    let mut search = on_queue(lang, clerk());
    search.screen = Screen::Search;
    search.search.text = "陳大".into();
    search.search.rows = vec![row(1, "陳大文", "CHAN TAI MAN"), row(2, "陳大明", "CHAN TAI MENG")];
    list.push(("search", search));
    let mut help = on_queue(lang, clerk());
    help.overlay = Some(Overlay::Help);
    list.push(("help_queue", help));
    let mut picker = on_queue(lang, clerk());
    picker.overlay = Some(Overlay::ServicePicker { selected: 1 });
    list.push(("walk_in_service", picker));
    let mut ticket = on_queue(lang, clerk());
    ticket.overlay =
        Some(Overlay::Ticket { number: "W002".into(), service: Service::Renewal, printed: None });
    list.push(("walk_in_ticket", ticket));
    let mut quit = on_queue(lang, clerk());
    quit.visit_in_progress = true;
    quit.overlay = Some(Overlay::ConfirmQuit);
    list.push(("confirm_quit", quit));
    let mut locked = on_queue(lang, clerk());
    update(&mut locked, Action::Tick(NOW + Duration::minutes(6)));
    list.push(("locked", locked));
    list.push(("subscriber_file", on_file(lang)));
    let mut loading = on_queue(lang, clerk());
    update(&mut loading, key(KeyCode::Enter));
    list.push(("subscriber_file_loading", loading));
    list.push(("photos", photos_app(lang)));
    let mut notice = on_queue(lang, clerk());
    notice.notice = Some(super::app::Notice {
        msg: Msg::with(
            "counter-checkin-already",
            vec![("reference", "A-0002".into()), ("slot", "2026-11-30 10:30".into())],
        ),
        tone: super::app::Tone::Error,
    });
    list.push(("queue_refused_pass", notice));
    let mut creating = App::new(lang, "澳門 eSignTrust".into(), "K01DEMO".into(), NOW, true);
    creating.screen = Screen::FirstStart(FirstStart::Creating);
    list.push(("first_start_creating", creating));
    let mut failed = App::new(lang, "澳門 eSignTrust".into(), "K01DEMO".into(), NOW, true);
    failed.screen = Screen::FirstStart(FirstStart::Failed(Msg::with(
        "error-store",
        vec![("detail", "disk I/O error".into())],
    )));
    list.push(("first_start_failed", failed));
    let mut empty = on_queue(lang, clerk());
    update(&mut empty, key(KeyCode::F(3)));
    list.push(("search_empty", empty));
    let mut none = on_queue(lang, clerk());
    update(&mut none, key(KeyCode::F(3)));
    let effects = type_text(&mut none, "zzz");
    if let Some(Effect::Search { generation, .. }) = effects.last() {
        update(
            &mut none,
            Action::Job(Done::Search { generation: *generation, result: Ok(Vec::new()) }),
        );
    }
    list.push(("search_no_hits", none));
    let mut help_search = on_queue(lang, clerk());
    update(&mut help_search, key(KeyCode::F(3)));
    update(&mut help_search, key(KeyCode::F(1)));
    list.push(("help_search", help_search));
    let mut help_file = on_file(lang);
    update(&mut help_file, key(KeyCode::F(1)));
    list.push(("help_file", help_file));
    let mut help_sign_in = app(lang);
    update(&mut help_sign_in, key(KeyCode::F(1)));
    list.push(("help_sign_in", help_sign_in));
    let mut not_yours = on_queue(lang, clerk());
    update(&mut not_yours, ctrl('l'));
    if let Some(form) = not_yours.lock.as_mut() {
        form.error = Some(Msg::new("lock-not-yours"));
    }
    list.push(("locked_not_yours", not_yours));
    list
}

#[test]
fn every_screen_and_overlay_in_every_language_at_80x24() {
    for lang in Language::ALL {
        for (name, app) in screens(lang) {
            insta::assert_snapshot!(format!("{name}_{}_80x24", lang.tag()), render(&app, 80, 24));
        }
        let small = on_queue(lang, clerk());
        insta::assert_snapshot!(format!("too_small_{}_60x20", lang.tag()), render(&small, 60, 20));
    }
}

#[test]
fn every_screen_and_overlay_at_140x40() {
    for (name, app) in screens(Language::ZhHant) {
        insta::assert_snapshot!(format!("{name}_zh-Hant_140x40"), render(&app, 140, 40));
    }
}

/// Every message id the app's code names exists (a missing one would show its id to the
/// clerk); i18n's coverage test makes sure each is in all four languages.
#[test]
fn every_message_the_app_names_exists_in_every_language() {
    let sources = [
        include_str!("app.rs"),
        include_str!("keys.rs"),
        include_str!("jobs.rs"),
        include_str!("msg.rs"),
        include_str!("status.rs"),
        include_str!("screens/first_start.rs"),
        include_str!("screens/photos.rs"),
        include_str!("screens/queue.rs"),
        include_str!("screens/search.rs"),
        include_str!("screens/signin.rs"),
        include_str!("screens/subscriber.rs"),
    ];
    let mut ids = std::collections::BTreeSet::new();
    for source in sources {
        for piece in source.split('"').skip(1).step_by(2) {
            let looks_like_id = piece.contains('-')
                && piece.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && piece.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            if looks_like_id {
                ids.insert(piece);
            }
        }
    }
    assert!(ids.len() > 100, "the scan found the ids: {}", ids.len());
    // Every language has every English message (i18n's coverage test), so English decides.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../i18n/locales/en");
    let mut known = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("the English messages") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("ftl");
        known.extend(text.lines().filter_map(|l| l.split_once(" =").map(|(id, _)| id.to_owned())));
    }
    let missing: Vec<&&str> = ids.iter().filter(|id| !known.contains(**id)).collect();
    assert!(missing.is_empty(), "{missing:#?}");
}

/// An app in each scope of the key table, for the table-wide key test.
fn app_in(scope: Scope) -> App {
    let mut app = match scope {
        Scope::FirstStart => App::new(Language::En, "O".into(), "K".into(), NOW, true),
        Scope::Credentials => {
            let mut app = App::new(Language::En, "O".into(), "K".into(), NOW, true);
            app.screen = Screen::FirstStart(FirstStart::Created(credentials()));
            app
        }
        Scope::SignIn => app(Language::En),
        Scope::Locked => {
            let mut app = on_queue(Language::En, clerk());
            update(&mut app, ctrl('l'));
            app
        }
        Scope::Queue => on_queue(Language::En, clerk()),
        Scope::Search => {
            let mut app = on_queue(Language::En, clerk());
            update(&mut app, key(KeyCode::F(3)));
            app.search.text = "陳".into();
            app.search.rows =
                vec![row(1, "陳大文", "CHAN"), row(2, "陳大明", "CHAN"), row(3, "陳", "C")];
            app.search.selected = 1;
            app
        }
        Scope::Subscriber => on_file(Language::En),
        Scope::Photos => photos_app(Language::En),
        Scope::Help => {
            let mut app = on_queue(Language::En, clerk());
            app.overlay = Some(Overlay::Help);
            app
        }
        Scope::ConfirmQuit => {
            let mut app = on_queue(Language::En, clerk());
            app.visit_in_progress = true;
            app.overlay = Some(Overlay::ConfirmQuit);
            app
        }
        Scope::ServicePicker => {
            let mut app = on_queue(Language::En, clerk());
            app.overlay = Some(Overlay::ServicePicker { selected: 1 });
            app
        }
        Scope::Ticket => {
            let mut app = on_queue(Language::En, clerk());
            app.overlay = Some(Overlay::Ticket {
                number: "W001".into(),
                service: Service::Renewal,
                printed: None,
            });
            app
        }
        Scope::Visit => {
            super::visit_tests::on_visit(Language::En, Some(registry::visit::Step::Certificates))
        }
        // Two fields, so that Tab and the arrows have somewhere to go.
        Scope::VisitForm => {
            super::visit_tests::on_visit(Language::En, Some(registry::visit::Step::Issuance))
        }
        Scope::VisitPicker => {
            let mut app = on_file(Language::En);
            update(&mut app, key(KeyCode::Char('v')));
            update(&mut app, key(KeyCode::Down));
            app
        }
        Scope::DayEnd => super::day_end_tests::on_day_end(Language::En, false),
        // On an employee's authorisation, with lines above and below.
        Scope::Members => super::members_tests::on_members(Language::En),
        // Changing it: two certificates or seals to choose from, years in the middle.
        Scope::MembersForm => {
            let mut app = super::members_tests::on_members(Language::En);
            update(&mut app, key(KeyCode::Char('c')));
            app
        }
        Scope::MembersTransfer => {
            let mut app = super::members_tests::on_members(Language::En);
            update(&mut app, key(KeyCode::Char('t')));
            app
        }
        Scope::MembersConfirm => {
            let mut app = super::members_tests::on_members(Language::En);
            update(&mut app, key(KeyCode::Char('e')));
            app
        }
        // On the document's kind, so that ← and → have something to change.
        Scope::NewPerson => {
            let mut app = super::new_person_tests::on_new_person(Language::En);
            if let Screen::NewPerson(state) = &mut app.screen {
                state.focus = super::screens::new_person::Row::Kind;
            }
            app
        }
    };
    if scope == Scope::Queue {
        // Up needs a row above to move to.
        app.queue.selected[0] = 1;
    }
    if scope == Scope::Subscriber
        && let Screen::Subscriber(state) = &mut app.screen
    {
        state.scroll = 3;
    }

    assert_eq!(app.scope(), scope);
    app
}

/// The states of a scope a key is tried in: one for most; the visit's scopes span steps
/// (a row's key may act on some steps only, as ↑↓ on the payment method or F4 on a list).
fn apps_in(scope: Scope) -> Vec<App> {
    use super::visit_tests::{on_visit, on_visit_of};
    use registry::visit::Step;
    let mut apps = vec![app_in(scope)];
    match scope {
        Scope::Visit => {
            apps.push(on_visit_of(Service::PinUnlock, Some(Step::Certificates)));
            // Two years, so that ← has a year to take away.
            let mut details = on_visit_of(Service::NewIssuance, Some(Step::Details));
            update(&mut details, key(KeyCode::Right));
            apps.push(details);
        }
        Scope::VisitForm => {
            apps.push(on_visit(Language::En, Some(Step::Payment)));
            apps.push(on_visit_of(Service::Revocation, Some(Step::Certificates)));
        }
        _ => {}
    }
    for app in &apps {
        assert_eq!(app.scope(), scope);
    }
    apps
}

/// What a clerk can see change: the screen drawn, the scope, the notice, the effects.
fn observable(app: &App) -> (String, Scope) {
    (render(app, 100, 30), app.scope())
}

/// Every key of every row of the key table does something in its scope: it changes what is on
/// screen, or starts an effect. A row whose key did nothing would be a lie in the footer and
/// the help.
#[test]
fn every_key_in_the_table_does_what_its_row_says_somewhere_visible() {
    use super::keys::table;
    let mut dead = Vec::new();
    for scope in Scope::ALL {
        for binding in table(scope) {
            for k in binding.keys {
                // Esc in the queue stops the camera: it is tested with the camera looking.
                if scope == Scope::Queue && binding.command == super::keys::Command::Back {
                    continue;
                }
                let live = apps_in(scope).into_iter().any(|mut app| {
                    if scope == Scope::SignIn || scope == Scope::Locked {
                        // Enter and Esc act on what was typed.
                        type_text(&mut app, "chan.tm");
                    }
                    let before = observable(&app);
                    let mods = if k.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
                    let effects = update(&mut app, Action::Key(KeyEvent::new(k.code, mods)));
                    !effects.is_empty() || observable(&app) != before
                });
                if !live {
                    dead.push(format!("{scope:?}: {} ({})", k.label(), binding.label));
                }
            }
        }
    }
    assert!(dead.is_empty(), "keys that did nothing: {dead:#?}");
}
