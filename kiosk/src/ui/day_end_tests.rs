//! The supervisors' day-end screen: `update` for its keys (a clerk's refusal, counting, the close
//! once, a refused close, leaving while it runs, ← and → to another day), and snapshots of the
//! open day, the closed day, an earlier day, a day not begun and the clerk's refusal at 80×24 in
//! all four languages.

use crossterm::event::{KeyCode, KeyEvent};
use i18n::Language;
use registry::application::ApplicationState;
use registry::day_end::{ApplicationLine, DayEndReport, PaymentTotal, ServiceCount, TokenLine};
use registry::model::*;
use registry::visit::PaymentMethod;
use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::action::Action;
use super::app::{App, Screen, update};
use super::jobs::{Done, Effect};
use super::keys::Scope;
use super::msg::Msg;
use super::status::{CameraState, Devices, PrinterState, ReaderState, TokenState};
use crate::day_end::{ClosedBy, DayView};
use crate::signin::SignedIn;

const NOW: OffsetDateTime = datetime!(2026-11-30 18:05 +8);

fn ulid(n: u128) -> RecordId {
    ulid::Ulid::from(n)
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn staff(role: StaffRole) -> SignedIn {
    match role {
        StaffRole::Clerk => SignedIn {
            clerk: ulid(1),
            username: "chan.tm".into(),
            display_name: "陳大文".into(),
            role,
        },
        StaffRole::Supervisor => SignedIn {
            clerk: ulid(2),
            username: "lei.mf".into(),
            display_name: "李美芳".into(),
            role,
        },
    }
}

fn on_queue(lang: Language, role: StaffRole) -> App {
    let mut app = App::new(lang, "澳門 eSignTrust 總辦事處".into(), "K01DEMO".into(), NOW, false);
    app.devices = Devices {
        reader: ReaderState::CardIn,
        token: TokenState::Present(1),
        printer: PrinterState::Queue { waiting: 0, failed: 0 },
        camera: CameraState::None,
    };
    app.session = Some(staff(role));
    app.screen = Screen::Queue;
    app
}

fn report() -> DayEndReport {
    let done = |service| match service {
        Service::Renewal => 3,
        Service::NewIssuance | Service::PinUnlock => 1,
        _ => 0,
    };
    let mop = |minor| Money { minor, currency: Currency::Mop };
    let open = |n: u128, reference: &str, service, state| ApplicationLine {
        application: ulid(n),
        reference: reference.into(),
        service,
        state,
    };
    DayEndReport {
        services: Service::ALL
            .into_iter()
            .map(|service| ServiceCount { service, completed: done(service) })
            .collect(),
        payments: vec![
            PaymentTotal { method: Some(PaymentMethod::Cash), count: 2, total: mop(75_050) },
            PaymentTotal { method: Some(PaymentMethod::Card), count: 1, total: mop(40_000) },
        ],
        refunds: Vec::new(),
        tokens_used: vec!["SN-0042-7781".into()],
        tokens_spoiled: vec![TokenLine {
            serial: "SN-0042-7790".into(),
            status: TokenStatus::Damaged,
        }],
        tokens_lost: Vec::new(),
        forms_printed: 4,
        forms_unsigned: vec![open(
            501,
            "A20261130-7QK2ZD",
            Service::NewIssuance,
            ApplicationState::Draft,
        )],
        open_applications: vec![
            open(501, "A20261130-7QK2ZD", Service::NewIssuance, ApplicationState::Draft),
            open(502, "A20261130-9MB3XA", Service::Renewal, ApplicationState::AwaitingPayment),
            open(503, "A20261129-2HF7QP", Service::Change, ApplicationState::UnderReview),
        ],
    }
}

fn day(closed: bool) -> DayView {
    day_of(date!(2026 - 11 - 30), closed)
}

fn day_of(date: time::Date, closed: bool) -> DayView {
    DayView {
        kiosk: "K01DEMO".into(),
        day: date,
        closed: closed.then(|| ClosedBy {
            record: ulid(900),
            supervisor: ulid(2),
            username: "lei.mf".into(),
            at: NOW,
        }),
        report: report(),
    }
}

/// A supervisor on the day-end screen, the day counted (and closed, when `closed`).
pub(super) fn on_day_end(lang: Language, closed: bool) -> App {
    let mut app = on_queue(lang, StaffRole::Supervisor);
    update(&mut app, key(KeyCode::Char('d')));
    update(&mut app, Action::Job(Done::DayEndLoaded(Ok(Box::new(day(closed))))));
    app
}

fn state(app: &App) -> &super::screens::day_end::DayEndState {
    match &app.screen {
        Screen::DayEnd(state) => state,
        other => panic!("not the day-end screen: {other:?}"),
    }
}

use super::tests::render;

#[test]
fn a_clerk_pressing_d_is_told_the_day_end_is_a_supervisors() {
    let mut app = on_queue(Language::En, StaffRole::Clerk);
    let effects = update(&mut app, key(KeyCode::Char('d')));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.screen, Screen::Queue);
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("day-end-supervisor-only"));
}

#[test]
fn a_supervisor_opens_the_day_end_and_a_job_counts_the_day() {
    let mut app = on_queue(Language::En, StaffRole::Supervisor);
    let effects = update(&mut app, key(KeyCode::Char('D')));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadDayEnd { day }] if *day == date!(2026 - 11 - 30)),
        "today: {effects:?}"
    );
    assert_eq!(app.scope(), Scope::DayEnd);
    assert_eq!(state(&app).busy.as_ref().map(|m| m.id), Some("day-end-counting"));
    // Enter while it counts does nothing.
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    update(&mut app, Action::Job(Done::DayEndLoaded(Ok(Box::new(day(false))))));
    assert_eq!(state(&app).view, Some(day(false)));
    assert!(state(&app).busy.is_none());
}

#[test]
fn enter_closes_the_day_once_as_the_signed_in_supervisor_and_shows_what_was_printed() {
    let mut app = on_day_end(Language::En, false);
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::CloseDayEnd { supervisor, lang: Language::En, day }]
                if *supervisor == ulid(2) && *day == date!(2026 - 11 - 30)
        ),
        "{effects:?}"
    );
    assert_eq!(state(&app).busy.as_ref().map(|m| m.id), Some("day-end-closing"));
    // A second Enter while it closes asks for nothing more.
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());

    let printed = Msg::with("print-printed", vec![("job", "J-7".into())]);
    update(&mut app, Action::Job(Done::DayEndClosed(Ok((Box::new(day(true)), printed.clone())))));
    assert_eq!(state(&app).printed, Some(printed));
    assert!(state(&app).view.as_ref().is_some_and(|v| v.closed.is_some()));

    // The day is closed: Enter says by whom and when, and closes nothing.
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    let notice = app.notice.as_ref().expect("a notice");
    assert_eq!(notice.msg.id, "day-end-already-closed");
    assert!(notice.msg.args.contains(&("by", "lei.mf".into())), "{:?}", notice.msg);
    assert!(notice.msg.args.contains(&("at", "2026-11-30 18:05".into())), "{:?}", notice.msg);
}

#[test]
fn a_refused_close_is_shown_and_the_day_stays_open() {
    let mut app = on_day_end(Language::En, false);
    update(&mut app, key(KeyCode::Enter));
    let refused = Msg::with(
        "day-end-already-closed",
        vec![("by", "wong.kc".into()), ("at", "2026-11-30 17:59".into())],
    );
    update(&mut app, Action::Job(Done::DayEndClosed(Err(refused.clone()))));
    assert_eq!(state(&app).error, Some(refused));
    assert!(state(&app).busy.is_none());
    assert!(state(&app).view.as_ref().is_some_and(|v| v.closed.is_none()));
}

#[test]
fn a_job_that_failed_stops_the_waiting() {
    let mut app = on_day_end(Language::En, false);
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, Action::Job(Done::Failed(Msg::new("ui-job-failed"))));
    assert!(state(&app).busy.is_none());
    assert_eq!(state(&app).error.as_ref().map(|m| m.id), Some("ui-job-failed"));
}

#[test]
fn esc_goes_back_to_the_queue_and_a_close_answered_after_is_said() {
    let mut app = on_day_end(Language::En, false);
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Queue);
    let printed = Msg::with("print-printed", vec![("job", "J-7".into())]);
    update(&mut app, Action::Job(Done::DayEndClosed(Ok((Box::new(day(true)), printed)))));
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("print-printed"));
}

#[test]
fn left_goes_to_an_earlier_day_left_open_and_enter_closes_that_day() {
    let mut app = on_day_end(Language::En, false);
    let effects = update(&mut app, key(KeyCode::Left));
    let yesterday = date!(2026 - 11 - 29);
    assert!(
        matches!(effects.as_slice(), [Effect::LoadDayEnd { day }] if *day == yesterday),
        "{effects:?}"
    );
    assert_eq!(state(&app).day, yesterday);
    assert_eq!(state(&app).view, None, "today's figures are not shown as yesterday's");
    assert_eq!(state(&app).busy.as_ref().map(|m| m.id), Some("day-end-counting"));
    // Enter before the day is counted closes nothing.
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    // Today's count answering late is dropped; yesterday's is shown.
    update(&mut app, Action::Job(Done::DayEndLoaded(Ok(Box::new(day(false))))));
    assert_eq!(state(&app).view, None);
    update(&mut app, Action::Job(Done::DayEndLoaded(Ok(Box::new(day_of(yesterday, false))))));
    assert_eq!(state(&app).view.as_ref().map(|v| v.day), Some(yesterday));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::CloseDayEnd { supervisor, day, .. }] if *supervisor == ulid(2) && *day == yesterday
        ),
        "{effects:?}"
    );
}

#[test]
fn a_day_already_closed_shows_what_was_kept_and_enter_refuses_it() {
    let mut app = on_day_end(Language::En, false);
    update(&mut app, key(KeyCode::Left));
    let earlier = date!(2026 - 11 - 29);
    update(&mut app, Action::Job(Done::DayEndLoaded(Ok(Box::new(day_of(earlier, true))))));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("day-end-already-closed"));
    // → comes back to today, counted again.
    let effects = update(&mut app, key(KeyCode::Right));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadDayEnd { day }] if *day == date!(2026 - 11 - 30)),
        "{effects:?}"
    );
}

#[test]
fn right_from_today_is_refused_as_a_day_not_begun() {
    let mut app = on_day_end(Language::En, false);
    let effects = update(&mut app, key(KeyCode::Right));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(state(&app).day, date!(2026 - 11 - 30), "still today");
    assert_eq!(state(&app).view, Some(day(false)), "today's figures stay");
    let error = state(&app).error.clone().expect("refused");
    assert_eq!(error.id, "day-end-future-day");
    assert!(error.args.contains(&("day", "2026-12-01".into())), "{error:?}");
}

#[test]
fn the_day_can_be_moved_while_it_is_counted_but_not_while_it_is_closed() {
    let mut app = on_day_end(Language::En, false);
    update(&mut app, key(KeyCode::Left));
    let effects = update(&mut app, key(KeyCode::Left));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadDayEnd { day }] if *day == date!(2026 - 11 - 28)),
        "{effects:?}"
    );
    let mut app = on_day_end(Language::En, false);
    update(&mut app, key(KeyCode::Enter));
    assert!(update(&mut app, key(KeyCode::Left)).is_empty(), "the close runs on today");
    assert_eq!(state(&app).day, date!(2026 - 11 - 30));
}

#[test]
fn an_earlier_day_and_a_day_not_begun_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let mut earlier = on_day_end(lang, false);
        update(&mut earlier, key(KeyCode::Left));
        let yesterday = day_of(date!(2026 - 11 - 29), false);
        update(&mut earlier, Action::Job(Done::DayEndLoaded(Ok(Box::new(yesterday)))));
        insta::assert_snapshot!(
            format!("day_end_earlier_day_{}_80x24", lang.tag()),
            render(&earlier, 80, 24)
        );

        let mut future = on_day_end(lang, false);
        update(&mut future, key(KeyCode::Right));
        insta::assert_snapshot!(
            format!("day_end_future_refused_{}_80x24", lang.tag()),
            render(&future, 80, 24)
        );
    }
}

#[test]
fn the_day_end_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let open = on_day_end(lang, false);
        insta::assert_snapshot!(
            format!("day_end_open_{}_80x24", lang.tag()),
            render(&open, 80, 24)
        );

        let mut closed = on_day_end(lang, false);
        update(&mut closed, key(KeyCode::Enter));
        let printed =
            Msg::with("print-printed", vec![("job", "01JD2X7Q0000000000000000PR".into())]);
        update(&mut closed, Action::Job(Done::DayEndClosed(Ok((Box::new(day(true)), printed)))));
        insta::assert_snapshot!(
            format!("day_end_closed_{}_80x24", lang.tag()),
            render(&closed, 80, 24)
        );

        let mut refused = on_queue(lang, StaffRole::Clerk);
        update(&mut refused, key(KeyCode::Char('d')));
        insta::assert_snapshot!(
            format!("day_end_clerk_refused_{}_80x24", lang.tag()),
            render(&refused, 80, 24)
        );
    }
}
