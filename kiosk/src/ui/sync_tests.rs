//! The background sync in the app: `update` with ticks and `Done::Synced` answers (one sync at a
//! time, the schedule after good and failed syncs, a write bringing it forward, what a sync
//! brought read again), the status bar's sync field in all four languages, the clock-skew
//! warning from the hub's time, and the supervisors' conflicts tab (snapshots at 80×24 in all
//! four languages).

use crossterm::event::{KeyCode, KeyEvent};
use i18n::Language;
use registry::model::*;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

use super::action::Action;
use super::app::{App, Screen, update};
use super::background_sync::{Schedule, SyncOutcome, SyncReport};
use super::jobs::{Done, Effect};
use super::screens::queue::Tab;
use super::status::{CameraState, Devices, PrinterState, ReaderState, SyncState, TokenState};
use super::tests::render;
use crate::counter::{ConflictRow, ConflictSide, DayQueue};
use crate::signin::SignedIn;
use crate::sync::conflicts::ConflictKind;

const NOW: OffsetDateTime = datetime!(2026-11-30 10:15 +8);

fn ulid(n: u128) -> RecordId {
    ulid::Ulid::from(n)
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn tick(at: OffsetDateTime) -> Action {
    Action::Tick(at)
}

fn staff(role: StaffRole) -> SignedIn {
    SignedIn {
        clerk: ulid(if role == StaffRole::Supervisor { 2 } else { 1 }),
        username: "lei.mf".into(),
        display_name: "李美芳".into(),
        role,
    }
}

/// The counter app as it starts: on sign-in, the background sync on.
fn counter(lang: Language) -> App {
    let mut app = App::new(lang, "澳門 eSignTrust 總辦事處".into(), "K01DEMO".into(), NOW, false);
    app.devices = Devices {
        reader: ReaderState::CardIn,
        token: TokenState::Present(1),
        printer: PrinterState::Queue { waiting: 0, failed: 0 },
        camera: CameraState::None,
    };
    app.sync_schedule = Schedule::starting(NOW);
    app
}

fn conflicts() -> Vec<ConflictRow> {
    vec![
        ConflictRow {
            kind: ConflictKind::IdNumber,
            document: Some(IdDocumentKind::MacauResident),
            shared: "******7(3)".into(),
            sides: [
                ConflictSide {
                    record: ulid(11),
                    name: Some("何家豪 HO KA HOU".into()),
                    opens: Some((RecordKind::Person, ulid(11))),
                },
                ConflictSide {
                    record: ulid(12),
                    name: Some("何嘉豪 HO KA HOU".into()),
                    opens: Some((RecordKind::Person, ulid(12))),
                },
            ],
        },
        ConflictRow {
            kind: ConflictKind::TokenSerial,
            document: None,
            shared: "5A0012345678".into(),
            sides: [
                ConflictSide {
                    record: ulid(21),
                    name: Some("澳門貿易有限公司".into()),
                    opens: Some((RecordKind::Organisation, ulid(31))),
                },
                ConflictSide { record: ulid(22), name: None, opens: None },
            ],
        },
    ]
}

fn day(conflicts: Vec<ConflictRow>) -> DayQueue {
    DayQueue {
        date: date!(2026 - 11 - 30),
        appointments: Vec::new(),
        walk_ins: Vec::new(),
        renewals: Vec::new(),
        awaiting_approval: Vec::new(),
        conflicts,
    }
}

fn on_queue(lang: Language, role: StaffRole, conflicts: Vec<ConflictRow>) -> App {
    let mut app = counter(lang);
    app.session = Some(staff(role));
    app.screen = Screen::Queue;
    app.queue.loaded(Ok(day(conflicts)));
    app
}

fn report(outcome: SyncOutcome, waiting: u64) -> Action {
    Action::Job(Done::Synced(Box::new(SyncReport {
        outcome,
        waiting,
        last_ok_at: Some(datetime!(2026-11-30 09:12 +8)),
        clock_skew: None,
    })))
}

fn synced(brought: usize) -> SyncOutcome {
    SyncOutcome::Synced { brought, conflicts: 0 }
}

fn failed() -> SyncOutcome {
    SyncOutcome::Failed { code: "unreachable".into() }
}

fn syncs(effects: &[Effect]) -> usize {
    effects.iter().filter(|e| matches!(e, Effect::Sync)).count()
}

/// The status bar's lines (the two rows above the footer at 80×24).
fn status_bar(app: &App) -> String {
    let screen = render(app, 120, 24);
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len() - 3..lines.len() - 1].join("\n")
}

#[test]
fn a_due_sync_starts_on_a_tick_and_never_a_second_while_one_runs() {
    let mut app = counter(Language::En);
    assert_eq!(syncs(&update(&mut app, tick(NOW))), 1, "the first tick syncs");
    assert!(app.sync_schedule.running);
    for s in 1..=40 {
        let effects = update(&mut app, tick(NOW + Duration::seconds(s)));
        assert_eq!(syncs(&effects), 0, "a second sync at +{s}s while the first runs");
    }
    // Keys go on meanwhile: the sync is a job, nothing waits for it.
    assert!(update(&mut app, key(KeyCode::F(1))).is_empty());
    assert!(app.overlay.is_some(), "the key was handled while the sync ran");
}

#[test]
fn after_a_good_sync_the_next_is_ten_seconds_on_and_a_failure_backs_off() {
    let mut app = counter(Language::En);
    update(&mut app, tick(NOW));
    update(&mut app, report(synced(0), 0));
    assert_eq!(app.sync_schedule.due, Some(NOW + Duration::seconds(10)));
    assert_eq!(syncs(&update(&mut app, tick(NOW + Duration::seconds(9)))), 0);
    let mut at = NOW + Duration::seconds(10);
    assert_eq!(syncs(&update(&mut app, tick(at))), 1);
    // Failures in a row: 5 s, 10 s, 20 s … before the next try.
    for delay in [5, 10, 20, 40] {
        app.now = at;
        update(&mut app, report(failed(), 2));
        let next = at + Duration::seconds(delay);
        assert_eq!(app.sync_schedule.due, Some(next));
        assert_eq!(syncs(&update(&mut app, tick(next - Duration::seconds(1)))), 0);
        assert_eq!(syncs(&update(&mut app, tick(next))), 1, "tried again after {delay}s");
        at = next;
    }
    // A good one resets it.
    app.now = at;
    update(&mut app, report(synced(0), 0));
    assert_eq!(app.sync_schedule.failures, 0);
    assert_eq!(app.sync_schedule.due, Some(at + Duration::seconds(10)));
}

#[test]
fn a_write_of_this_counter_brings_the_next_sync_forward_unless_the_hub_is_failing() {
    let mut app = on_queue(Language::En, StaffRole::Clerk, Vec::new());
    update(&mut app, tick(NOW));
    update(&mut app, report(synced(0), 0));
    let at = NOW + Duration::seconds(2);
    update(&mut app, tick(at));
    update(&mut app, Action::Job(Done::CheckedIn(Ok("陳大文".into()))));
    assert_eq!(syncs(&update(&mut app, tick(at + Duration::seconds(1)))), 1, "synced at once");

    // A write while that sync runs: the next follows it at once.
    update(&mut app, Action::Job(Done::WalkInIssued(Ok(("W002".into(), Service::Renewal, None)))));
    app.now = at + Duration::seconds(2);
    update(&mut app, report(synced(0), 1));
    assert_eq!(app.sync_schedule.due, Some(app.now));

    // Failing: the backoff stands however much the counter writes.
    let now = app.now;
    update(&mut app, tick(now));
    update(&mut app, report(failed(), 1));
    let due = app.sync_schedule.due;
    update(&mut app, Action::Job(Done::CheckedIn(Ok("陳大文".into()))));
    assert_eq!(app.sync_schedule.due, due);
    // A refused write is no write.
    let later = app.now + Duration::seconds(5);
    update(&mut app, tick(later));
    update(&mut app, report(synced(0), 0));
    let due = app.sync_schedule.due;
    update(&mut app, Action::Job(Done::CheckedIn(Err(super::msg::Msg::new("error-failed")))));
    assert_eq!(app.sync_schedule.due, due);
}

#[test]
fn a_kiosk_that_has_not_joined_says_not_configured_and_looks_again_in_a_minute() {
    let mut app = counter(Language::En);
    update(&mut app, tick(NOW));
    assert_eq!(app.sync, SyncState::NotConfigured, "no 'syncing' before it is known to be joined");
    update(&mut app, report(SyncOutcome::NotJoined, 0));
    assert_eq!(app.sync, SyncState::NotConfigured);
    assert_eq!(app.sync_schedule.due, Some(NOW + Duration::minutes(1)));
    assert!(status_bar(&app).contains("Sync: not configured"), "{}", status_bar(&app));
}

#[test]
fn the_status_bar_says_online_offline_and_syncing_in_every_language() {
    let mut app = counter(Language::En);
    update(&mut app, tick(NOW));
    update(&mut app, report(synced(0), 0));
    assert_eq!(app.sync, SyncState::Online { waiting: 0 });
    update(&mut app, tick(NOW + Duration::seconds(10)));
    assert_eq!(app.sync, SyncState::Syncing, "a sync under way, once joined");
    update(&mut app, report(failed(), 3));
    assert_eq!(
        app.sync,
        SyncState::Offline { since: datetime!(2026-11-30 09:12 +8), waiting: 3 },
        "offline since the last good sync"
    );

    let since = datetime!(2026-11-30 09:12 +8);
    let cases = [
        (SyncState::Syncing, ["Sync: syncing…", "a sincronizar…", "同步中…", "同步中…"]),
        (SyncState::Online { waiting: 0 }, ["Sync: online", "em linha", "已連線", "已连接"]),
        (
            SyncState::Online { waiting: 1 },
            [
                "online, 1 event to send",
                "em linha, 1 evento por enviar",
                "1 項待送出",
                "1 项待发送",
            ],
        ),
        (
            SyncState::Online { waiting: 4 },
            ["online, 4 events to send", "4 eventos por enviar", "4 項待送出", "4 项待发送"],
        ),
        (
            SyncState::Offline { since, waiting: 0 },
            [
                "offline since 09:12",
                "sem ligação desde as 09:12",
                "自 09:12 起離線",
                "自 09:12 起离线",
            ],
        ),
        (
            SyncState::Offline { since, waiting: 1 },
            [
                "offline since 09:12, 1 event waiting",
                "sem ligação desde as 09:12, 1 evento em espera",
                "自 09:12 起離線，1 項待送出",
                "自 09:12 起离线，1 项待发送",
            ],
        ),
        (
            SyncState::Offline { since, waiting: 12 },
            [
                "offline since 09:12, 12 events waiting",
                "sem ligação desde as 09:12, 12 eventos em espera",
                "自 09:12 起離線，12 項待送出",
                "自 09:12 起离线，12 项待发送",
            ],
        ),
    ];
    let langs = [Language::En, Language::Pt, Language::ZhHant, Language::ZhHans];
    for (state, texts) in cases {
        for (lang, text) in langs.into_iter().zip(texts) {
            let mut app = counter(lang);
            app.sync = state;
            let bar = status_bar(&app);
            assert!(bar.contains(text), "{lang:?} {state:?}: {bar}");
        }
    }
    // Never synced: offline since the first failure seen, kept through the next ones.
    let mut never = counter(Language::En);
    update(&mut never, tick(NOW));
    let failure = SyncReport { outcome: failed(), waiting: 2, last_ok_at: None, clock_skew: None };
    update(&mut never, Action::Job(Done::Synced(Box::new(failure.clone()))));
    never.now = NOW + Duration::minutes(3);
    update(&mut never, Action::Job(Done::Synced(Box::new(failure))));
    assert_eq!(never.sync, SyncState::Offline { since: NOW, waiting: 2 });
    assert!(status_bar(&never).contains("offline since 10:15, 2 events waiting"));
}

#[test]
fn the_clock_skew_warning_at_sign_in_comes_from_the_hubs_time() {
    let mut app = counter(Language::En);
    assert!(!render(&app, 80, 24).contains("off the"), "nothing said before a sync");
    update(&mut app, tick(NOW));
    let skewed = SyncReport {
        outcome: synced(0),
        waiting: 0,
        last_ok_at: Some(NOW),
        clock_skew: Some(Duration::minutes(-7)),
    };
    update(&mut app, Action::Job(Done::Synced(Box::new(skewed))));
    assert_eq!(app.clock_skew, Some(Duration::minutes(-7)));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("7 minutes off the"), "{screen}");
    // A sync that did not reach the hub keeps the last measure.
    update(&mut app, report(failed(), 0));
    assert_eq!(app.clock_skew, Some(Duration::minutes(-7)));
    // Within 3 minutes: nothing to say.
    let close = SyncReport {
        outcome: synced(0),
        waiting: 0,
        last_ok_at: Some(NOW),
        clock_skew: Some(Duration::seconds(70)),
    };
    update(&mut app, Action::Job(Done::Synced(Box::new(close))));
    assert!(!render(&app, 80, 24).contains("off the"));
}

#[test]
fn what_a_sync_brought_from_other_counters_is_read_again_on_screen() {
    let mut app = on_queue(Language::En, StaffRole::Clerk, Vec::new());
    update(&mut app, tick(NOW));
    let effects = update(&mut app, report(synced(0), 0));
    assert!(effects.is_empty(), "nothing new, nothing read again: {effects:?}");
    update(&mut app, tick(NOW + Duration::seconds(10)));
    let effects = update(&mut app, report(synced(3), 0));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadQueue)), "{effects:?}");

    // A search on screen runs again, its rows kept until the answer.
    update(&mut app, Action::Job(Done::QueueLoaded(Ok(day(Vec::new())))));
    update(&mut app, key(KeyCode::F(3)));
    for c in "陳大".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let generation = app.search.generation;
    update(&mut app, tick(NOW + Duration::seconds(20)));
    let effects = update(&mut app, report(synced(1), 0));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Search { generation: g, text }
            if *g == generation + 1 && text == "陳大")),
        "{effects:?}"
    );
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadQueue)), "the queue under it too");

    // Signed out: nothing is read for nobody.
    let mut signed_out = counter(Language::En);
    update(&mut signed_out, tick(NOW));
    assert!(update(&mut signed_out, report(synced(5), 0)).is_empty());
}

#[test]
fn conflicts_are_a_supervisors_tab_and_enter_opens_each_records_file() {
    let mut clerk = on_queue(Language::En, StaffRole::Clerk, conflicts());
    for _ in 0..6 {
        update(&mut clerk, key(KeyCode::Tab));
        assert_ne!(clerk.queue.tab, Tab::Conflicts, "a clerk never sees them");
    }
    let mut none = on_queue(Language::En, StaffRole::Supervisor, Vec::new());
    for _ in 0..6 {
        update(&mut none, key(KeyCode::Tab));
        assert_ne!(none.queue.tab, Tab::Conflicts, "no tab without conflicts");
    }

    let mut app = on_queue(Language::En, StaffRole::Supervisor, conflicts());
    for _ in 0..4 {
        update(&mut app, key(KeyCode::Tab));
    }
    assert_eq!(app.queue.tab, Tab::Conflicts);
    let screen = render(&app, 120, 30);
    assert!(screen.contains("Conflicts (2)"), "{screen}");
    for shown in ["Same ID document", "******7(3)", "Same token serial", "5A0012345678"] {
        assert!(screen.contains(shown), "{shown}: {screen}");
    }
    assert!(screen.contains("何嘉豪 HO KA HOU") && screen.contains("澳門貿易有限公司"), "{screen}");
    assert!(screen.contains(&ulid(12).to_string()), "each record's id: {screen}");
    // Row by row: the first person, the second person, the first token's holder.
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::OpenFile { kind: RecordKind::Person, id }
            if *id == ulid(11))),
        "{effects:?}"
    );
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::Down));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(effects.iter().any(|e| matches!(e, Effect::OpenFile { id, .. } if *id == ulid(12))));
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::Down));
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(effects.iter().any(|e| matches!(e, Effect::OpenFile {
        kind: RecordKind::Organisation, id } if *id == ulid(31))));
    // A token with no holder has no file to open.
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::Down));
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());

    // Put right meanwhile: the next load has none, and the tab goes.
    update(&mut app, Action::Job(Done::QueueLoaded(Ok(day(Vec::new())))));
    assert_eq!(app.queue.tab, Tab::Approvals);
    assert!(!render(&app, 120, 30).contains("Conflicts"));
}

#[test]
fn the_conflicts_tab_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let mut app = on_queue(lang, StaffRole::Supervisor, conflicts());
        app.queue.tab = Tab::Conflicts;
        app.sync = SyncState::Online { waiting: 0 };
        let screen = render(&app, 80, 24);
        insta::assert_snapshot!(format!("queue_conflicts_{}_80x24", lang.tag()), screen);
    }
}
