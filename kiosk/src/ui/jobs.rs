//! Effects and the jobs that run them. `update` returns [`Effect`]s as plain values; the runner
//! does each on a blocking thread (or the search worker), each job opening its own `Store`, and
//! sends the outcome back as an [`Action::Job`]. Nothing here touches the app's state.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use registry::model::{Organisation, Person, RecordId, RecordKind, Service};
use zeroize::Zeroizing;

use super::screens::first_start::DemoCredential;
use super::screens::photos::{Encoded, Side};
use crate::counter::DayQueue;
use crate::signin::{PasswordAccepted, Refusal, SignedIn};
use crate::subscriber_file::SubscriberFile;
use store::MatchedBy;
use store::{Store, StoreError, StoreOptions};
use tokio::sync::mpsc::UnboundedSender;

use super::action::Action;
use super::msg::Msg;
use super::widgets::mask_tail;

/// How many hits a search shows: more than a 40-row screen holds, few enough to stay fast.
pub const SEARCH_LIMIT: usize = 50;

/// What `update` asks the world to do.
#[derive(Debug)]
pub enum Effect {
    /// Read the chip's and the counter's photos of a visit for the side-by-side screen.
    LoadPhotos {
        chip: Option<PathBuf>,
        captured: Option<PathBuf>,
    },
    /// A step of a visit, done by `kiosk::visits` as `actor`.
    Visit {
        op: crate::visits::VisitOp,
        actor: registry::application::Actor,
        /// The clerk's language: mails and printed forms follow it.
        lang: i18n::Language,
        /// The visit screen that asked (its number): the answer goes to it alone.
        screen: u64,
    },
    /// Leave the loop and restore the terminal.
    Quit,
    Search {
        generation: u64,
        text: String,
    },
    OpenFile {
        kind: RecordKind,
        id: RecordId,
    },
    CreateDemoOffice,
    /// Encode the photos screen's pictures for a window size.
    EncodePhotos {
        chip: Side,
        captured: Side,
        body: ratatui::layout::Rect,
        window: (u16, u16),
    },
    CheckPassword {
        username: String,
        password: Zeroizing<String>,
    },
    CheckCode {
        accepted: PasswordAccepted,
        code: Zeroizing<String>,
    },
    LoadQueue,
    /// Put a person new to the registry on file.
    RegisterPerson {
        person: Box<registry::model::Person>,
        clerk: Option<RecordId>,
        /// An organisation's new employee: they join it (seed 004).
        joining: Option<RecordId>,
    },
    /// Check an appointment in by its pass, scanned or typed.
    CheckIn {
        payload: String,
        clerk: Option<RecordId>,
    },
    /// Look for a pass in front of the camera, then check it in.
    CheckInByCamera {
        clerk: Option<RecordId>,
    },
    /// Look for a signed form's code in front of the camera, for visit screen `screen`.
    FormCodeByCamera {
        screen: u64,
    },
    /// Stop looking at the camera (Esc while it looks).
    CancelCamera,
    IssueWalkIn {
        service: Service,
        clerk: Option<RecordId>,
        /// The language the ticket is printed in: the clerk's.
        lang: i18n::Language,
    },
    /// Count an office day of this counter (or read it as kept at its close).
    LoadDayEnd {
        day: time::Date,
    },
    /// Close `day` (today or an earlier day) as the signed-in supervisor and print the report.
    CloseDayEnd {
        supervisor: RecordId,
        day: time::Date,
        /// The language the report is printed in: the supervisor's.
        lang: i18n::Language,
    },
    /// An organisation's members screen: read it (`op: None`), or do an action as `clerk`.
    Members {
        organisation: RecordId,
        op: Option<crate::members::MembersOp>,
        clerk: Option<RecordId>,
    },
    /// Sync with the hub in the background (`background_sync`).
    Sync,
}

/// A finished job.
#[derive(Debug)]
pub enum Done {
    /// The photos of a visit, read for the side-by-side screen.
    PhotosLoaded(Box<super::screens::photos::PhotosState>),
    /// A visit's step answered: the visit as saved, or why the step was refused.
    Visit {
        screen: u64,
        result: Result<Box<crate::visits::Outcome>, Msg>,
    },
    Search {
        generation: u64,
        result: Result<Vec<SearchRow>, Msg>,
    },
    DemoCreated(Result<Vec<DemoCredential>, Msg>),
    PhotosEncoded(Box<Encoded>),
    FileLoaded {
        id: RecordId,
        result: Result<Option<Box<SubscriberFile>>, Msg>,
    },
    /// A person put on file (their id), or why not.
    PersonRegistered(Result<Registered, PersonRefused>),
    PasswordChecked(Result<PasswordAccepted, Refusal>),
    CodeChecked(Result<SignedIn, Refusal>),
    QueueLoaded(Result<DayQueue, Msg>),
    /// The booked name of the appointment checked in, or why not.
    CheckedIn(Result<String, Msg>),
    /// A job panicked; whatever waited for it stops waiting.
    Failed(Msg),
    /// As `CheckedIn`, for a pass the camera looked for (stopped, or none seen, included).
    CameraCheckedIn(Result<String, Msg>),
    /// The signed form's code the camera saw for visit screen `screen`, or why none.
    FormCodeByCamera {
        screen: u64,
        result: Result<String, Msg>,
    },
    /// The ticket's number and service, and what the printer said (None: no printer).
    WalkInIssued(Result<(String, Service, Option<Msg>), Msg>),
    DayEndLoaded(Result<Box<crate::day_end::DayView>, Msg>),
    /// The day as kept and what became of its printed report, or why it was not closed.
    DayEndClosed(Result<(Box<crate::day_end::DayView>, Msg), Msg>),
    /// The members screen as saved (`None`: no such organisation), with what the action did.
    Members {
        organisation: RecordId,
        result: Result<Option<Box<crate::members::MembersView>>, Msg>,
        done: Option<Msg>,
    },
    /// A background sync ended.
    Synced(Box<super::background_sync::SyncReport>),
}

impl Done {
    /// Whether the job wrote to the store (what the next sync sends up): a write's answer
    /// brings the next background sync forward. A visit's step counts, even one that only read.
    pub fn wrote(&self) -> bool {
        match self {
            Done::PersonRegistered(result) => result.is_ok(),
            Done::Visit { result, .. } => result.is_ok(),
            Done::CheckedIn(result) | Done::CameraCheckedIn(result) => result.is_ok(),
            Done::WalkInIssued(result) => result.is_ok(),
            Done::DayEndClosed(result) => result.is_ok(),
            Done::DemoCreated(result) => result.is_ok(),
            Done::Members { done, .. } => done.is_some(),
            _ => false,
        }
    }
}

/// A person put on file, or made an organisation's employee: who, and what to tell the clerk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    pub person: RecordId,
    pub notice: &'static str,
}

/// Why a person was not put on file.
#[derive(Debug, Clone, PartialEq)]
pub enum PersonRefused {
    /// Their document is on this file already.
    OnFile(RecordId),
    /// The first thing the registry's rules refuse: its message id and the field it is about.
    Invalid {
        code: &'static str,
        field: String,
    },
    Failed(Msg),
}

/// One search hit as the results table shows it. ID and phone numbers are masked when read.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchRow {
    pub id: RecordId,
    pub kind: RecordKind,
    pub name_zh: Option<String>,
    pub name_latin: Option<String>,
    pub number: Option<String>,
    pub phone: Option<String>,
    pub matched_by: MatchedBy,
}

/// Names are personal data.
impl std::fmt::Debug for SearchRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchRow")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Runs a search and reads what each hit's row shows, masking numbers but their last four.
pub fn search_rows(store: &Store, text: &str, limit: usize) -> Result<Vec<SearchRow>, StoreError> {
    let hits = store.search(text, limit)?;
    let mut rows = Vec::with_capacity(hits.len());
    for hit in hits {
        let (number, phone) = match hit.kind {
            RecordKind::Person => match store.get::<Person>(hit.id)? {
                Some(p) => (
                    Some(mask_tail(p.id_document.number.expose(), 4)),
                    p.phone.map(|ph| mask_tail(ph.expose(), 4)),
                ),
                None => (None, None),
            },
            RecordKind::Organisation => match store.get::<Organisation>(hit.id)? {
                Some(o) => (
                    Some(mask_tail(&o.registration.number, 4)),
                    o.phone.map(|ph| mask_tail(ph.expose(), 4)),
                ),
                None => (None, None),
            },
            _ => (None, None),
        };
        rows.push(SearchRow {
            id: hit.id,
            kind: hit.kind,
            name_zh: hit.name_zh,
            name_latin: hit.name_latin,
            number,
            phone,
            matched_by: hit.matched_by,
        });
    }
    Ok(rows)
}

/// Where jobs find the kiosk's files.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub data_dir: PathBuf,
    pub config: crate::config::Config,
}

impl JobContext {
    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("kiosk.db")
    }

    /// The command context the kiosk's other modules take.
    pub fn context(&self) -> crate::Context {
        crate::Context {
            data_dir: self.data_dir.clone(),
            config: self.config.clone(),
            lang: i18n::Language::En,
        }
    }

    pub fn offset(&self) -> time::UtcOffset {
        self.config.office_offset().unwrap_or(time::UtcOffset::UTC)
    }

    /// Now, in the office's zone. Jobs read the clock; `update` never does.
    pub fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc().to_offset(self.offset())
    }

    pub fn open_store(&self) -> Result<Store, StoreError> {
        let options = StoreOptions { kiosk_id: self.config.kiosk_id.clone(), ..Default::default() };
        Store::open(&self.store_path(), options)
    }
}

/// Runs effects off the loop.
#[derive(Debug)]
pub struct Runner {
    ctx: JobContext,
    /// Set to stop a camera scan between two frames.
    camera_cancel: Arc<AtomicBool>,
    picker: ratatui_image::picker::Picker,
    tx: UnboundedSender<Action>,
    search: mpsc::Sender<(u64, String)>,
}

impl Runner {
    /// `picker` knows what pictures the terminal draws (asked before the screen switched).
    pub fn new(
        ctx: JobContext,
        tx: UnboundedSender<Action>,
        picker: ratatui_image::picker::Picker,
    ) -> Runner {
        let search = spawn_search_worker(ctx.clone(), tx.clone());
        Runner { ctx, picker, tx, search, camera_cancel: Arc::new(AtomicBool::new(false)) }
    }

    /// Starts the job for `effect`. `Quit` is the loop's to handle.
    pub fn run(&self, effect: Effect) {
        match effect {
            Effect::Quit => {}
            Effect::Search { generation, text } => {
                // The worker ends only with the app; a send that fails means we are leaving.
                let _ = self.search.send((generation, text));
            }
            Effect::OpenFile { kind, id } => self.blocking(move |ctx| {
                let result = ctx
                    .open_store()
                    .and_then(|store| crate::subscriber_file::load(&store, kind, id, ctx.now()))
                    .map(|file| file.map(Box::new))
                    .map_err(|e| Msg::store(&e));
                Done::FileLoaded { id, result }
            }),
            Effect::RegisterPerson { person, clerk, joining } => self.blocking(move |ctx| {
                use crate::registration::{RegisterError, join_organisation, register_person};
                let refused = |e: RegisterError| match e {
                    RegisterError::AlreadyOnFile(id) => PersonRefused::OnFile(id),
                    RegisterError::Invalid(problems) => match problems.first() {
                        Some(p) => PersonRefused::Invalid { code: p.code, field: p.field.clone() },
                        None => PersonRefused::Failed(Msg::new("error-failed")),
                    },
                    RegisterError::Store(e) => PersonRefused::Failed(Msg::store(&e)),
                };
                let result = ctx
                    .open_store()
                    .map_err(|e| PersonRefused::Failed(Msg::store(&e)))
                    .and_then(|mut store| match joining {
                        None => register_person(&mut store, clerk, &person)
                            .map(|person| Registered { person, notice: "new-person-saved" })
                            .map_err(refused),
                        Some(org) => join_organisation(&mut store, clerk, &person, org)
                            .map(|joined| Registered {
                                person: joined.person,
                                notice: match (joined.already_member, joined.was_on_file) {
                                    (true, _) => "new-person-already-member",
                                    (false, true) => "new-person-joined-from-file",
                                    (false, false) => "new-person-joined",
                                },
                            })
                            .map_err(refused),
                    });
                Done::PersonRegistered(result)
            }),
            Effect::EncodePhotos { chip, captured, body, window } => {
                let picker = self.picker.clone();
                self.blocking(move |_| {
                    Done::PhotosEncoded(Box::new(super::screens::photos::encode(
                        &picker, &chip, &captured, body, window,
                    )))
                });
            }
            Effect::CreateDemoOffice => self
                .blocking(|ctx| Done::DemoCreated(crate::demo::provision_for_app(&ctx.context()))),
            Effect::CheckPassword { username, password } => self.blocking(move |ctx| {
                let policy = crate::signin::Policy::from_config(&ctx.config);
                let result = ctx.open_store().map_err(store_refusal).and_then(|mut store| {
                    crate::signin::check_password(
                        &mut store,
                        &username,
                        &password,
                        ctx.now(),
                        &policy,
                    )
                });
                Done::PasswordChecked(result)
            }),
            Effect::CheckCode { accepted, code } => self.blocking(move |ctx| {
                let policy = crate::signin::Policy::from_config(&ctx.config);
                let result = ctx.open_store().map_err(store_refusal).and_then(|mut store| {
                    crate::signin::check_code(&mut store, &accepted, &code, ctx.now(), &policy)
                });
                Done::CodeChecked(result)
            }),
            Effect::LoadQueue => self.blocking(|ctx| {
                let result = ctx
                    .open_store()
                    .and_then(|store| {
                        let mut day = crate::counter::load_day(&store, ctx.now(), ctx.offset())?;
                        day.conflicts = crate::counter::conflicts_in(&store, &ctx.data_dir);
                        Ok(day)
                    })
                    .map_err(|e| Msg::store(&e));
                Done::QueueLoaded(result)
            }),
            Effect::CheckIn { payload, clerk } => {
                self.blocking(move |ctx| Done::CheckedIn(check_in(ctx, &payload, clerk)))
            }
            Effect::CheckInByCamera { clerk } => {
                self.camera_cancel.store(false, Ordering::SeqCst);
                let cancel = self.camera_cancel.clone();
                self.blocking(move |ctx| {
                    let scanned = scan_pass(&cancel);
                    Done::CameraCheckedIn(
                        scanned.and_then(|payload| check_in(ctx, &payload, clerk)),
                    )
                })
            }
            Effect::FormCodeByCamera { screen } => {
                self.camera_cancel.store(false, Ordering::SeqCst);
                let cancel = self.camera_cancel.clone();
                self.blocking(move |_| Done::FormCodeByCamera {
                    screen,
                    result: camera_form_code(&cancel),
                })
            }
            Effect::CancelCamera => self.camera_cancel.store(true, Ordering::SeqCst),
            Effect::LoadPhotos { chip, captured } => {
                let graphics =
                    self.picker.protocol_type() != ratatui_image::picker::ProtocolType::Halfblocks;
                self.blocking(move |_| {
                    use super::screens::photos::{PhotosState, Side};
                    let side = |path: Option<PathBuf>| match path {
                        Some(path) => Side::load(&path),
                        None => Side::Problem(Msg::new("photo-missing")),
                    };
                    Done::PhotosLoaded(Box::new(PhotosState {
                        chip: side(chip),
                        captured: side(captured),
                        graphics,
                        encoded: None,
                    }))
                })
            }
            Effect::Visit { op, actor, lang, screen } => self.blocking(move |ctx| {
                let mut context = ctx.context();
                context.lang = lang;
                let result = crate::visits::run(&context, op, actor, ctx.now())
                    .map(Box::new)
                    .map_err(|e| Msg::with(e.message_id(), e.message_args()));
                Done::Visit { screen, result }
            }),
            Effect::IssueWalkIn { service, clerk, lang } => self
                .blocking(move |ctx| Done::WalkInIssued(issue_walk_in(ctx, service, clerk, lang))),
            Effect::LoadDayEnd { day } => self.blocking(move |ctx| {
                let result = ctx
                    .open_store()
                    .and_then(|store| crate::day_end::load(&store, day, ctx.offset()))
                    .map(Box::new)
                    .map_err(|e| Msg::store(&e));
                Done::DayEndLoaded(result)
            }),
            Effect::CloseDayEnd { supervisor, lang, day } => {
                self.blocking(move |ctx| Done::DayEndClosed(close_day(ctx, supervisor, day, lang)))
            }
            Effect::Members { organisation, op, clerk } => {
                self.blocking(move |ctx| super::screens::members::run(ctx, organisation, op, clerk))
            }
            Effect::Sync => {
                self.blocking(|ctx| Done::Synced(Box::new(super::background_sync::run(ctx))))
            }
        }
    }

    /// Runs `job` on a blocking thread with its own store, and sends its outcome back.
    fn blocking(&self, job: impl FnOnce(&JobContext) -> Done + Send + 'static) {
        let ctx = self.ctx.clone();
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            // A job that panics (a device library, a decoder) must not leave the screen waiting
            // for an answer that never comes: it answers with a failure instead.
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&ctx)));
            let done = done.unwrap_or_else(|_| Done::Failed(Msg::new("ui-job-failed")));
            let _ = tx.send(Action::Job(done));
        });
    }
}

/// The search worker keeps one store open for the whole session (a million subscribers' indexes
/// stay warm in its page cache) and answers only the newest query: keys typed while a search
/// ran replace each other, so a fast typist never waits for stale answers.
fn spawn_search_worker(
    ctx: JobContext,
    tx: UnboundedSender<Action>,
) -> mpsc::Sender<(u64, String)> {
    let (requests, inbox) = mpsc::channel::<(u64, String)>();
    let spawned = std::thread::Builder::new().name("search".into()).spawn(move || {
        let mut store: Option<Store> = None;
        while let Ok(mut request) = inbox.recv() {
            while let Ok(newer) = inbox.try_recv() {
                request = newer;
            }
            let (generation, text) = request;
            let result = match &store {
                Some(s) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    search_rows(s, &text, SEARCH_LIMIT).map_err(|e| Msg::store(&e))
                }))
                .unwrap_or_else(|_| Err(Msg::new("ui-job-failed"))),
                None => match ctx.open_store() {
                    Ok(opened) => {
                        let rows = search_rows(&opened, &text, SEARCH_LIMIT);
                        store = Some(opened);
                        rows.map_err(|e| Msg::store(&e))
                    }
                    Err(e) => Err(Msg::store(&e)),
                },
            };
            if tx.send(Action::Job(Done::Search { generation, result })).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "the search worker could not start");
    }
    requests
}

/// Looks at every device once. Blocking: the poller runs it on its own thread.
pub fn poll_devices(ctx: &JobContext) -> super::status::Devices {
    use super::status::{CameraState, Devices, PrinterState, ReaderState, TokenState};
    let reader = match card_readers::emrtd::pcsc::readers() {
        Ok(list) if list.is_empty() => ReaderState::NoReader,
        Ok(list) if list.iter().any(|r| r.card_present) => ReaderState::CardIn,
        Ok(_) => ReaderState::Empty,
        Err(_) => ReaderState::NoService,
    };
    let token = match &ctx.config.token_module {
        None => TokenState::NotConfigured,
        Some(path) => {
            match tokens::Module::load(std::path::Path::new(path)).and_then(|m| m.tokens()) {
                Ok(list) => TokenState::Present(u32::try_from(list.len()).unwrap_or(u32::MAX)),
                Err(_) => TokenState::Unavailable,
            }
        }
    };
    let printer = match &ctx.config.printer {
        None => PrinterState::NotConfigured,
        Some(_) => {
            let path = ctx.data_dir.join("spool.db");
            let counts = match path.exists() {
                false => Ok(printers::spool::SpoolCounts::default()),
                true => printers::spool::Spool::open(&path).and_then(|spool| spool.counts()),
            };
            match counts {
                Ok(c) => PrinterState::Queue { waiting: c.waiting + c.sending, failed: c.failed },
                Err(_) => PrinterState::Unavailable,
            }
        }
    };
    let camera = match card_readers::camera::list_cameras() {
        Ok(list) if !list.is_empty() => CameraState::Present,
        _ => CameraState::None,
    };
    Devices { reader, token, printer, camera }
}

fn store_refusal(e: StoreError) -> Refusal {
    Refusal::Store { detail: e.to_string() }
}

/// Checks an appointment in by its pass; the booked name on success.
fn check_in(ctx: &JobContext, payload: &str, clerk: Option<RecordId>) -> Result<String, Msg> {
    let key =
        crate::office_keys::load_or_create(&ctx.data_dir, crate::office_keys::OfficeKey::Pass)
            .map_err(|e| Msg::with("error-store", vec![("detail", e.to_string())]))?;
    let mut store = ctx.open_store().map_err(|e| Msg::store(&e))?;
    crate::counter::check_in_by_pass(&mut store, &key, payload, ctx.now(), ctx.offset(), clerk)
        .map(|appointment| appointment.booked_name)
        .map_err(|refusal| Msg::with(refusal.message_id(), refusal.message_args()))
}

/// How many frames the camera is given to show a pass (about ten seconds at 30 frames a second).
const CAMERA_FRAMES: usize = 300;

/// Reads a pass from the first camera, a frame at a time so that Esc (`cancel`) stops it.
fn scan_pass(cancel: &AtomicBool) -> Result<String, Msg> {
    let mut camera = card_readers::camera::open_camera(0)
        .map_err(|e| Msg::with(e.message_id(), e.message_args()))?;
    for _ in 0..CAMERA_FRAMES {
        if cancel.load(Ordering::SeqCst) {
            return Err(Msg::new("queue-camera-cancelled"));
        }
        if let Some(payload) = card_readers::camera::scan_qr(camera.as_mut(), 1) {
            return String::from_utf8(payload).map_err(|_| Msg::new("qr-pass-not-a-pass"));
        }
    }
    Err(Msg::new(card_readers::qr::NOTHING_FOUND_MESSAGE_ID))
}

/// Reads a signed form's code from the first camera, a frame at a time so that Esc (`cancel`)
/// stops it. No camera: said so, for the clerk to take the hand scanner.
fn camera_form_code(cancel: &AtomicBool) -> Result<String, Msg> {
    use card_readers::camera::CameraError;
    let mut camera = card_readers::camera::open_camera(0).map_err(|e| match e {
        CameraError::NoCamera | CameraError::NoSuchCamera { .. } | CameraError::Unsupported => {
            Msg::new("visit-form-camera-none")
        }
        other => Msg::with(other.message_id(), other.message_args()),
    })?;
    scan_form_code(camera.as_mut(), CAMERA_FRAMES, cancel)
}

/// Looks at up to `frames` frames for a signed form's code (`printers::formcode`); other codes
/// in view (a pass, a payment code) are passed over. A camera that gave no frame at all says
/// why.
pub(crate) fn scan_form_code(
    camera: &mut dyn card_readers::camera::Camera,
    frames: usize,
    cancel: &AtomicBool,
) -> Result<String, Msg> {
    let mut seen = false;
    let mut failed = None;
    for _ in 0..frames {
        if cancel.load(Ordering::SeqCst) {
            return Err(Msg::new("visit-form-camera-stopped"));
        }
        let frame = match camera.frame() {
            Ok(frame) => frame,
            Err(error) => {
                tracing::warn!(message_id = error.message_id(), %error, "camera frame skipped");
                failed = Some(Msg::with(error.message_id(), error.message_args()));
                continue;
            }
        };
        seen = true;
        let form = card_readers::qr::decode_image(&frame)
            .into_iter()
            .filter_map(|payload| String::from_utf8(payload).ok())
            .find(|text| printers::formcode::STARTS.iter().any(|start| text.starts_with(start)));
        if let Some(code) = form {
            return Ok(code);
        }
    }
    match failed {
        Some(msg) if !seen => Err(msg),
        _ => Err(Msg::new("visit-form-camera-no-code")),
    }
}

/// Issues a walk-in ticket and prints it when the office has a printer.
fn issue_walk_in(
    ctx: &JobContext,
    service: Service,
    clerk: Option<RecordId>,
    lang: i18n::Language,
) -> Result<(String, Service, Option<Msg>), Msg> {
    let mut store = ctx.open_store().map_err(|e| Msg::store(&e))?;
    let ticket = crate::counter::issue_walk_in(&mut store, service, ctx.now(), ctx.offset(), clerk)
        .map_err(|e| Msg::store(&e))?;
    let document = crate::counter::queue_ticket(&store, &ticket, &ctx.config.office, ctx.offset())
        .map_err(|e| Msg::store(&e))?;
    let context = crate::Context { lang, ..ctx.context() };
    let printed = match crate::counter::print_ticket(&context, &document) {
        Ok(crate::counter::TicketPrint::NoPrinter) => None,
        Ok(crate::counter::TicketPrint::Spooled(spooled)) => Some(print_outcome(&spooled.job)),
        Err(failure) => Some(Msg::with(failure.message_id(), failure.message_args())),
    };
    Ok((ticket.number, ticket.service, printed))
}

/// What the ticket overlay says about the printer.
fn print_outcome(job: &printers::spool::JobSummary) -> Msg {
    use printers::spool::SpoolState;
    let id = vec![("job", job.id.to_string())];
    match job.state {
        SpoolState::Printed => Msg::with("print-printed", id),
        SpoolState::Sending if job.ipp_job_id.is_some() => Msg::with("print-at-printer", id),
        _ => Msg::with("walk-in-print-waiting", id),
    }
}

/// Closes `day` as `supervisor` and prints the report in `lang`.
fn close_day(
    ctx: &JobContext,
    supervisor: RecordId,
    day: time::Date,
    lang: i18n::Language,
) -> Result<(Box<crate::day_end::DayView>, Msg), Msg> {
    let mut store = ctx.open_store().map_err(|e| Msg::store(&e))?;
    let context = crate::Context { lang, ..ctx.context() };
    let (view, printed) =
        crate::day_end::close_and_print(&context, &mut store, supervisor, day, ctx.now()).map_err(
            |e| match e {
                crate::day_end::DayEndError::Store(e) => Msg::store(&e),
                refused => Msg::with(refused.message_id(), refused.message_args()),
            },
        )?;
    Ok((Box::new(view), super::screens::day_end::printed_msg(printed)))
}
