//! The counter app: one terminal application in The Elm Architecture. `app` holds the state,
//! `action` what can happen, `keys` the one key table, `jobs` the effects run off the loop, and
//! `screens` one module per screen. This module owns the terminal and the loop.

pub mod action;
pub mod app;
pub mod background_sync;
#[cfg(test)]
mod day_end_tests;
pub mod jobs;
pub mod keys;
#[cfg(test)]
mod members_tests;
pub mod msg;
#[cfg(test)]
mod new_person_tests;
pub mod screens;
pub mod status;
#[cfg(test)]
mod sync_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod visit_tests;
pub mod widgets;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration as StdDuration;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use futures_util::StreamExt;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::output::errln;
use crate::{Context, KioskError};
use action::Action;
use app::App;
use jobs::{Effect, JobContext, Runner};
use ratatui_image::picker::Picker;

/// How often the clock ticks (idle lock, the status bar's clock).
const TICK: StdDuration = StdDuration::from_secs(1);
/// How often the devices are looked at.
const DEVICE_POLL: StdDuration = StdDuration::from_secs(5);

/// Restores the terminal however the loop ends: return, error or unwinding panic. (A panic
/// that aborts is covered by the hook `ratatui::init` installs.)
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// `kiosk` with no command: the counter app, on sign-in, or on the first-start offer when the
/// store is empty.
pub fn start_counter(ctx: &Context) -> Result<ExitCode, KioskError> {
    if !std::io::stdout().is_terminal() {
        errln!("{}", ctx.t("error-not-a-terminal"));
        return Ok(ExitCode::from(1));
    }
    let store = ctx.open_store_quietly()?;
    let empty = store.stats()?.records == 0;
    let now = store.now().to_offset(ctx.office_offset());
    let mut app =
        App::new(ctx.lang, ctx.config.office.clone(), store.kiosk_id().to_owned(), now, empty);
    drop(store);
    app.idle_lock = time::Duration::minutes(i64::from(ctx.config.idle_lock_minutes));
    app.cn_reader = ctx.config.cn_reader.as_ref().map(std::path::PathBuf::from);
    // Replication runs in the background from the first tick (a kiosk that has not joined a
    // hub only looks, once a minute, whether it has).
    app.sync_schedule = background_sync::Schedule::starting(now);
    run(ctx, app, Picker::halfblocks())
}

/// `kiosk photo compare CHIP CAPTURED`: the photos screen on its own; Esc closes it.
pub fn start_photos(
    ctx: &Context,
    chip: &std::path::Path,
    captured: &std::path::Path,
) -> Result<ExitCode, KioskError> {
    if !std::io::stdout().is_terminal() {
        return Err(KioskError::Refused(ctx.t("error-not-a-terminal")));
    }
    use screens::photos::{PhotosState, Side};
    // Ask the terminal what it can draw before the screen switches over; no answer means half
    // blocks, and the screen says so.
    let picker = Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks());
    let state = PhotosState {
        chip: Side::load(chip),
        captured: Side::load(captured),
        graphics: picker.protocol_type() != ratatui_image::picker::ProtocolType::Halfblocks,
        encoded: None,
    };
    let now = OffsetDateTime::now_utc().to_offset(ctx.office_offset());
    let mut app = App::new(ctx.lang, ctx.config.office.clone(), String::new(), now, false);
    app.screen = app::Screen::Photos(Box::new(state));
    run(ctx, app, picker)
}

/// Runs the app until it quits: `kiosk` with no command, and `kiosk photo compare`. The callers
/// have checked that stdout is a terminal, and asked it (`picker`) which pictures it draws.
fn run(ctx: &Context, app: App, picker: Picker) -> Result<ExitCode, KioskError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(KioskError::Io)?;
    let job_ctx = JobContext { data_dir: ctx.data_dir.clone(), config: ctx.config.clone() };
    let result = runtime.block_on(event_loop(job_ctx, app, picker));
    // Blocking jobs still running (a slow printer, a camera) are not waited for, whether the
    // loop ended well or not: their results have nowhere to go, and each write they make is
    // one transaction that completes or not at all.
    runtime.shutdown_timeout(StdDuration::from_millis(200));
    result.map(|()| ExitCode::SUCCESS)
}

async fn event_loop(job_ctx: JobContext, mut app: App, picker: Picker) -> Result<(), KioskError> {
    let offset = job_ctx.offset();
    // Signals first: a SIGTERM that comes while the terminal is being set up still ends the
    // loop through the guard below.
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    spawn_signals(tx.clone());
    let mut terminal = ratatui::try_init().map_err(|e| {
        // Set up half-way (raw mode on, no alternate screen): put back what was changed.
        ratatui::restore();
        KioskError::Io(e)
    })?;
    // ratatui's hook restores the terminal on a panic. Only the loop's own panic ends the app;
    // a job's is caught and answered (`jobs::Runner`), and must not take the terminal from
    // under a screen that goes on.
    let loop_thread = std::thread::current().id();
    let restoring = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == loop_thread {
            restoring(info);
        } else {
            tracing::error!(panic = %info, "a job panicked");
        }
    }));
    let _guard = TerminalGuard;
    let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste);
    let runner = Runner::new(job_ctx.clone(), tx.clone(), picker);
    spawn_ticks(tx.clone(), offset);
    spawn_device_poll(job_ctx, tx.clone());
    let mut first =
        app::update(&mut app, Action::Tick(OffsetDateTime::now_utc().to_offset(offset)));
    if let Ok(size) = terminal.size() {
        first.extend(app::update(
            &mut app,
            Action::Resize { width: size.width, height: size.height },
        ));
    }
    for effect in first {
        runner.run(effect);
    }
    let mut events = EventStream::new();
    let started = std::time::Instant::now();
    loop {
        terminal.draw(|frame| app::view(&app, frame)).map_err(KioskError::Io)?;
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match terminal_action(event, started) {
                    Some(action) => action,
                    None => continue,
                },
                Some(Err(e)) => return Err(KioskError::Io(e)),
                // The terminal went away: nothing more will come.
                None => return Ok(()),
            },
            Some(action) = rx.recv() => action,
        };
        let mut pending = vec![action];
        // Keys already waiting are taken before the next frame, each timed as it is read: a
        // frame that took longer than a scanner's key gap (a loaded machine) must not split
        // its burst in two, which would turn a scanned code into letters. Polled with this
        // task's own waker: crossterm's stream hands the first waker that finds it empty to
        // the thread that waits for input, so a throwaway one (`now_or_never`) would leave the
        // loop asleep until the next tick, each key shown up to a second late.
        while let Some(ready) = ready_now(&mut events).await {
            match ready {
                Some(Ok(event)) => pending.extend(terminal_action(event, started)),
                Some(Err(e)) => return Err(KioskError::Io(e)),
                None => return Ok(()),
            }
        }
        // Everything already waiting is applied before the next frame.
        while let Ok(more) = rx.try_recv() {
            pending.push(more);
        }
        for action in pending {
            for effect in app::update(&mut app, action) {
                if matches!(effect, Effect::Quit) {
                    return Ok(());
                }
                runner.run(effect);
            }
        }
    }
}

/// The terminal event waiting now, if any, without waiting for one.
async fn ready_now(events: &mut EventStream) -> Option<Option<std::io::Result<Event>>> {
    std::future::poll_fn(|cx| match events.poll_next_unpin(cx) {
        std::task::Poll::Ready(event) => std::task::Poll::Ready(Some(event)),
        std::task::Poll::Pending => std::task::Poll::Ready(None),
    })
    .await
}

/// What a terminal event means to the app; `None` for events it does not use (focus, mouse).
fn terminal_action(event: Event, started: std::time::Instant) -> Option<Action> {
    match event {
        Event::Key(key) => Some(Action::KeyAt { key, at: started.elapsed() }),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        _ => None,
    }
}

fn spawn_signals(tx: mpsc::UnboundedSender<Action>) {
    use tokio::signal::unix::{SignalKind, signal};
    for kind in [SignalKind::terminate(), SignalKind::hangup(), SignalKind::interrupt()] {
        let tx = tx.clone();
        match signal(kind) {
            Ok(mut stream) => {
                tokio::spawn(async move {
                    if stream.recv().await.is_some() {
                        let _ = tx.send(Action::Terminate);
                    }
                });
            }
            Err(e) => tracing::warn!(error = %e, "a signal handler could not be installed"),
        }
    }
}

fn spawn_ticks(tx: mpsc::UnboundedSender<Action>, offset: time::UtcOffset) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        loop {
            interval.tick().await;
            if tx.send(Action::Tick(OffsetDateTime::now_utc().to_offset(offset))).is_err() {
                return;
            }
        }
    });
}

/// Devices are looked at on their own thread: PC/SC, PKCS#11 and V4L2 calls block.
fn spawn_device_poll(ctx: JobContext, tx: mpsc::UnboundedSender<Action>) {
    let spawned = std::thread::Builder::new().name("devices".into()).spawn(move || {
        loop {
            let devices = jobs::poll_devices(&ctx);
            if tx.send(Action::Devices(devices)).is_err() {
                return;
            }
            // Codes that waited in the outbox while the relay was down go when it is back; with
            // nothing due this is one indexed read.
            if ctx.config.mail_relay.is_some()
                && let Ok(mut store) = ctx.open_store()
            {
                crate::mail::send_due(&mut store, &ctx.config, ctx.now());
            }
            std::thread::sleep(DEVICE_POLL);
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "the device poller could not start");
    }
}
