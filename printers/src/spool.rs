//! The print spool: every document the counter prints is committed to its own SQLite file
//! (`DATA_DIR/spool.db`) before anything is sent, then sent to its printer. A crash, a printer
//! that is off, a cupsd that is down lose nothing; and nothing prints twice.
//!
//! A job is `waiting` (the printer certainly does not have it), `sending` (it may: a send is
//! under way, or was cut short, or the printer holds it as `ipp_job_id`), `printed`, `failed`
//! (a person must look: only [`Spool::retry`] sends it again), `cancelled` by a supervisor
//! ([`Spool::cancel`]), or `expired` (not printed within [`GIVE_UP_AFTER`]). The last three
//! hold no PDF: it is erased (overwritten, `secure_delete`) the moment the job is done with.
//!
//! A try that ends without the printer having the job sets `next_attempt_at` (backoff from
//! [`FIRST_BACKOFF`], doubling to [`MAX_BACKOFF`]); [`Spool::process_all`] leaves the job alone
//! until then. Retention ([`Spool::enforce_retention`], on every open and every queue run):
//! a job not printed [`GIVE_UP_AFTER`] after it was queued is given up and its PDF erased; the
//! record of a finished job is deleted [`KEEP_FINISHED`] after it finished.
//!
//! The spool owns its file and its SQL; how the file is opened and migrated is the store's
//! (`store::sqlite`), shared by every SQLite file of the kiosk.
//!
//! Exactly once, by construction:
//! - the IPP `job-name` is `kiosk-<spool job id>`, the same on every attempt;
//! - the job becomes `sending` (committed) before Print-Job, and stays `sending` whenever an
//!   attempt ends without a clear "no" from the printer (a timeout, a broken connection, a
//!   crash);
//! - a `sending` job is only sent again after the printer, asked for that job-name, says it has
//!   no such job; if it has one, the spool adopts the printer's job and its state;
//! - while one process is inside Print-Job, its lease on the row keeps every other process (and
//!   itself) off the job; a crashed process's lease runs out after [`Printer::max_call`] plus a
//!   margin.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use registry::model::RecordId;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use store::sqlite::MigrationError;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use ulid::Ulid;

use crate::ipp_client::{self, Delivery, JobOutcome, JobState, PrintError, PrintFailure};

/// A job not printed this long after it was queued is given up (`expired`) and its PDF, which
/// holds personal data, erased. A week covers a printer away for repair over a holiday; by then
/// the visit is long over, and a document still needed is printed again.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long the record of a finished job (printed, cancelled, expired: no PDF, only what, where,
/// when and who cancelled) stays in the spool for the queue's listing. Cancellations are also
/// audit events in the store, which keeps them for good.
pub const KEEP_FINISHED: Duration = Duration::from_secs(90 * 24 * 3600);

/// How long a job waits after its first try that did not reach the printer.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(30);

/// The longest wait between tries: a printer back on is used within a quarter of an hour even
/// if nobody prints to it.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// The wait before the next try after `failed_tries` tries in a row that did not reach the
/// printer: 30 s, 1 min, 2 min, … up to [`MAX_BACKOFF`].
pub fn backoff(failed_tries: u32) -> Duration {
    let doublings = failed_tries.saturating_sub(1).min(16);
    FIRST_BACKOFF.saturating_mul(1 << doublings).min(MAX_BACKOFF)
}

/// A print job's id in the spool (a ULID). Its IPP job-name is [`JobId::job_name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub Ulid);

impl JobId {
    /// The name the printer knows the job by: the same on every attempt, so the printer can be
    /// asked whether it already has the job.
    pub fn job_name(self) -> String {
        format!("kiosk-{}", self.0)
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for JobId {
    type Err = ulid::DecodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(JobId)
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpoolState {
    /// Not at the printer; will be sent.
    Waiting,
    /// Perhaps at the printer: being sent, cut short, or held there as `ipp_job_id`.
    Sending,
    Printed,
    /// Needs a person; [`Spool::retry`] sends it again.
    Failed,
    /// A supervisor cancelled it ([`Spool::cancel`]); its PDF is erased.
    Cancelled,
    /// Not printed within [`GIVE_UP_AFTER`]: given up, its PDF erased.
    Expired,
}

impl SpoolState {
    pub const ALL: [SpoolState; 6] = [
        SpoolState::Waiting,
        SpoolState::Sending,
        SpoolState::Printed,
        SpoolState::Failed,
        SpoolState::Cancelled,
        SpoolState::Expired,
    ];

    /// Whether the spool still has work to do on the job (or a person may still retry it):
    /// it holds the PDF.
    pub fn holds_pdf(self) -> bool {
        matches!(self, SpoolState::Waiting | SpoolState::Sending | SpoolState::Failed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SpoolState::Waiting => "waiting",
            SpoolState::Sending => "sending",
            SpoolState::Printed => "printed",
            SpoolState::Failed => "failed",
            SpoolState::Cancelled => "cancelled",
            SpoolState::Expired => "expired",
        }
    }

    /// The clerk's word for the state (`print-state-*`).
    pub fn message_id(self) -> &'static str {
        match self {
            SpoolState::Waiting => "print-state-waiting",
            SpoolState::Sending => "print-state-sending",
            SpoolState::Printed => "print-state-printed",
            SpoolState::Failed => "print-state-failed",
            SpoolState::Cancelled => "print-state-cancelled",
            SpoolState::Expired => "print-state-expired",
        }
    }

    fn parse(s: &str) -> Option<SpoolState> {
        SpoolState::ALL.into_iter().find(|state| state.as_str() == s)
    }
}

impl fmt::Display for SpoolState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the last attempt did not print, as the clerk's message (id and Fluent arguments) and the
/// detail for operators. Never personal data: printers, job numbers, IPP status texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobError {
    pub message_id: String,
    pub args: BTreeMap<String, String>,
    pub detail: String,
    pub retryable: bool,
}

impl JobError {
    /// The printer accepted the job once but no longer lists it (its history was cleared, or it
    /// was replaced). Whether it printed is unknown: a person checks the tray and retries.
    pub const JOB_LOST: &str = "print-error-job-lost";

    fn lost(printer: &str, job_id: i32) -> JobError {
        let printer = ipp_client::printer_label(printer);
        JobError {
            message_id: Self::JOB_LOST.to_owned(),
            args: BTreeMap::from([
                ("printer".into(), printer.clone()),
                ("job".into(), job_id.to_string()),
            ]),
            detail: format!("{printer} accepted job {job_id} but no longer lists it"),
            retryable: false,
        }
    }
}

impl From<&PrintError> for JobError {
    fn from(e: &PrintError) -> Self {
        JobError {
            message_id: e.message_id().to_owned(),
            args: e.message_args().into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            detail: e.to_string(),
            retryable: e.is_retryable(),
        }
    }
}

/// A job as `kiosk print queue` shows it: everything but the PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSummary {
    pub id: JobId,
    /// What the document is (`Document::kind`: `receipt`, `personal_form`, …).
    pub kind: String,
    pub application: Option<RecordId>,
    /// The printer's URI without credentials.
    pub printer: String,
    pub state: SpoolState,
    /// How many times the spool tried to send the job (each try first asks the printer's state:
    /// a stopped printer is not handed the job), not how often it asked after the job.
    pub attempts: u32,
    pub last_error: Option<JobError>,
    /// The printer's number for the job, once it has accepted it.
    pub ipp_job_id: Option<i32>,
    /// When the spool tries the job again (backoff after a try that did not reach the printer);
    /// `None` for a job due now, or done with.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_attempt_at: Option<OffsetDateTime>,
    /// The supervisor (clerk record) who cancelled the job.
    pub cancelled_by: Option<RecordId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated: OffsetDateTime,
}

/// Which jobs [`Spool::list`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JobFilter {
    #[default]
    All,
    /// Waiting or sending: not yet known to be printed, and not waiting for a person.
    Open,
    In(SpoolState),
}

/// How many jobs are in each state, and since when the oldest open one waits (for a status
/// screen: `kiosk devices`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpoolCounts {
    pub waiting: u64,
    pub sending: u64,
    pub printed: u64,
    pub failed: u64,
    pub cancelled: u64,
    pub expired: u64,
    /// When the oldest job that is waiting or sending was queued; its age is how long the
    /// counter has been without that document.
    #[serde(with = "time::serde::rfc3339::option")]
    pub oldest_open: Option<OffsetDateTime>,
}

/// What [`Spool::cancel`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancelled {
    pub job: JobSummary,
    /// The job was `sending`: the printer may already hold it (as `job.ipp_job_id`, when
    /// known) and print it unless someone cancels it there too.
    pub maybe_at_printer: bool,
}

/// What one [`Spool::enforce_retention`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// Open jobs given up (PDF erased).
    pub expired: usize,
    /// Records of finished jobs deleted.
    pub forgotten: usize,
}

/// What went wrong with the spool itself (printing problems are recorded on the job instead).
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    #[error("the print spool {path} cannot be used: {source}")]
    Storage { path: PathBuf, source: rusqlite::Error },
    #[error(
        "the print spool {path} was written by a newer kiosk (schema {found}, this build knows {known})"
    )]
    Newer { path: PathBuf, found: i64, known: i64 },
    #[error("there is no print job {0}")]
    NoSuchJob(JobId),
    #[error("print job {id} is {state}: only a failed job can be retried")]
    NotFailed { id: JobId, state: SpoolState },
    #[error("print job {id} is {state}: there is nothing left to cancel")]
    NotOpen { id: JobId, state: SpoolState },
    #[error("print job {id} is being sent right now")]
    Busy { id: JobId },
    #[error("the document is not a PDF")]
    NotPdf,
    #[error(transparent)]
    Printer(#[from] PrintError),
    #[error("print job row {id} is damaged: {detail}")]
    Corrupt { id: String, detail: String },
}

impl SpoolError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "spool-error-storage",
        "spool-error-newer",
        "spool-error-no-such-job",
        "spool-error-not-failed",
        "spool-error-not-open",
        "spool-error-busy",
        "spool-error-not-pdf",
        "spool-error-corrupt",
    ];

    /// `Printer` (an unusable printer address at enqueue) uses the [`PrintError`]'s id.
    pub fn message_id(&self) -> &'static str {
        match self {
            SpoolError::Storage { .. } => "spool-error-storage",
            SpoolError::Newer { .. } => "spool-error-newer",
            SpoolError::NoSuchJob(_) => "spool-error-no-such-job",
            SpoolError::NotFailed { .. } => "spool-error-not-failed",
            SpoolError::NotOpen { .. } => "spool-error-not-open",
            SpoolError::Busy { .. } => "spool-error-busy",
            SpoolError::NotPdf => "spool-error-not-pdf",
            SpoolError::Printer(e) => e.message_id(),
            SpoolError::Corrupt { .. } => "spool-error-corrupt",
        }
    }

    /// Fluent arguments; `state` is an id the caller translates through `print-state-*`.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            SpoolError::Storage { path, source } => {
                vec![("path", path.display().to_string()), ("detail", source.to_string())]
            }
            SpoolError::Newer { path, found, known } => vec![
                ("path", path.display().to_string()),
                ("found", found.to_string()),
                ("known", known.to_string()),
            ],
            SpoolError::NoSuchJob(id) | SpoolError::Busy { id } => vec![("job", id.to_string())],
            SpoolError::NotFailed { id, state } | SpoolError::NotOpen { id, state } => {
                vec![("job", id.to_string()), ("state", state.message_id().to_owned())]
            }
            SpoolError::NotPdf => vec![],
            SpoolError::Printer(e) => e.message_args(),
            SpoolError::Corrupt { id, detail } => {
                vec![("job", id.clone()), ("detail", detail.clone())]
            }
        }
    }
}

/// Message ids of the spool the clerk sees besides errors: states, the queue's headings, and
/// the lost-job reason.
pub const OTHER_MESSAGE_IDS: &[&str] = &[
    "print-state-waiting",
    "print-state-sending",
    "print-state-printed",
    "print-state-failed",
    "print-state-cancelled",
    "print-state-expired",
    "print-error-job-lost",
    "print-queue-title",
    "print-queue-empty",
    "print-queue-id",
    "print-queue-kind",
    "print-queue-application",
    "print-queue-printer",
    "print-queue-state",
    "print-queue-attempts",
    "print-queue-last-error",
    "print-queue-created",
    "print-queue-updated",
    "print-queue-at-printer",
    "print-queue-retry-hint",
    "print-queue-next-try",
    "print-queue-cancelled-by",
];

/// Where the spool sends jobs. [`IppPrinter`] is the real one; tests may count or fake.
pub trait Printer {
    /// Sends the PDF as `job_name` and follows it (see [`ipp_client::print_pdf`]). A failure
    /// says whether the printer may have the job anyway.
    fn print(&self, printer: &str, job_name: &str, pdf: &[u8]) -> Result<JobOutcome, PrintFailure>;

    /// The printer's job of that name, if it has one (see [`ipp_client::find_job`]).
    fn find_job(
        &self,
        printer: &str,
        job_name: &str,
    ) -> Result<Option<(i32, JobState)>, PrintError>;

    /// The longest a `find_job` followed by a `print` can take. The spool holds a job this long
    /// (plus a margin) for the process working on it; a crashed process's hold runs out then.
    fn max_call(&self) -> Duration;
}

/// Printing over IPP.
#[derive(Debug, Clone)]
pub struct IppPrinter {
    /// How long `print` follows a job before leaving it to the printer as pending.
    pub timeout: Duration,
}

impl Default for IppPrinter {
    fn default() -> Self {
        IppPrinter { timeout: Duration::from_secs(30) }
    }
}

impl Printer for IppPrinter {
    fn print(&self, printer: &str, job_name: &str, pdf: &[u8]) -> Result<JobOutcome, PrintFailure> {
        ipp_client::print_pdf(printer, job_name, pdf, self.timeout)
    }

    fn find_job(
        &self,
        printer: &str,
        job_name: &str,
    ) -> Result<Option<(i32, JobState)>, PrintError> {
        ipp_client::find_job(printer, job_name)
    }

    fn max_call(&self) -> Duration {
        // print_pdf keeps to its timeout, then may cancel a refused job (one more query).
        ipp_client::FIND_TIMEOUT + self.timeout + ipp_client::QUERY_TIMEOUT
    }
}

/// Added to [`Printer::max_call`] for a lease, so a slow but live process keeps its job.
const LEASE_MARGIN: Duration = Duration::from_secs(30);

/// The schema as first shipped. Never edited: a migration is a fact about files in the field.
const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS print_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    application TEXT,
    printer TEXT NOT NULL,
    -- Erased (NULL) once printed: the paper exists, and the PDF holds personal data.
    pdf BLOB,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'printed', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error_id TEXT,
    last_error_args TEXT,
    last_error_detail TEXT,
    last_error_retryable INTEGER,
    ipp_job_id INTEGER,
    -- The printer's job of an attempt given up (failed, then retried): not to be adopted.
    superseded_ipp_job_id INTEGER,
    lease_owner TEXT,
    lease_until INTEGER,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS print_jobs_open ON print_jobs (state)
    WHERE state IN ('waiting', 'sending');
PRAGMA user_version = 1;
";

/// Cancelled and expired jobs, backoff, and who cancelled. SQLite cannot widen a CHECK
/// constraint in place, so the table is rebuilt; rows keep their rowid (the queue's order).
const SCHEMA_V2: &str = "
CREATE TABLE print_jobs_v2 (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    application TEXT,
    printer TEXT NOT NULL,
    -- Erased (NULL) once printed, cancelled or expired: the PDF holds personal data.
    pdf BLOB,
    state TEXT NOT NULL CHECK (state IN
        ('waiting', 'sending', 'printed', 'failed', 'cancelled', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error_id TEXT,
    last_error_args TEXT,
    last_error_detail TEXT,
    last_error_retryable INTEGER,
    ipp_job_id INTEGER,
    -- The printer's job of an attempt given up (failed, then retried): not to be adopted.
    superseded_ipp_job_id INTEGER,
    lease_owner TEXT,
    lease_until INTEGER,
    -- Tries in a row that ended without the printer having the job: the backoff grows with it.
    failed_tries INTEGER NOT NULL DEFAULT 0,
    -- Unix seconds before which process_all leaves the job alone; NULL: due now.
    next_attempt_at INTEGER,
    -- The clerk record of the supervisor who cancelled the job.
    cancelled_by TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
INSERT INTO print_jobs_v2 (rowid, id, kind, application, printer, pdf, state, attempts,
        last_error_id, last_error_args, last_error_detail, last_error_retryable, ipp_job_id,
        superseded_ipp_job_id, lease_owner, lease_until, created, updated)
    SELECT rowid, id, kind, application, printer, pdf, state, attempts,
        last_error_id, last_error_args, last_error_detail, last_error_retryable, ipp_job_id,
        superseded_ipp_job_id, lease_owner, lease_until, created, updated
    FROM print_jobs ORDER BY rowid;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_v2 RENAME TO print_jobs;
CREATE INDEX print_jobs_open ON print_jobs (state) WHERE state IN ('waiting', 'sending');
";

/// Every migration, in order (`store::sqlite::migrate`).
const MIGRATIONS: &[&str] = &[SCHEMA_V1, SCHEMA_V2];

const SUMMARY_COLUMNS: &str = "id, kind, application, printer, state, attempts, last_error_id, \
     last_error_args, last_error_detail, last_error_retryable, ipp_job_id, next_attempt_at, \
     cancelled_by, created, updated";

/// The spool, over one SQLite file, sending through `P`.
pub struct Spool<P = IppPrinter> {
    conn: Connection,
    path: PathBuf,
    printer: P,
    now: Box<dyn Fn() -> OffsetDateTime + Send>,
}

impl<P: fmt::Debug> fmt::Debug for Spool<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spool").field("path", &self.path).field("printer", &self.printer).finish()
    }
}

impl Spool<IppPrinter> {
    /// Opens (or creates) the spool at `path`, printing over IPP with the default timeout.
    pub fn open(path: &Path) -> Result<Spool<IppPrinter>, SpoolError> {
        Spool::open_with(path, IppPrinter::default())
    }
}

/// What an attempt left the job as.
enum Outcome {
    Printed {
        job_id: i32,
    },
    AtPrinter {
        job_id: i32,
    },
    /// Perhaps at the printer; ask before sending again.
    Unknown(JobError),
    Waiting(JobError),
    Failed {
        error: JobError,
        job_id: Option<i32>,
    },
}

/// The row of a job being processed, and this process's hold on it.
struct Claimed {
    id: JobId,
    owner: String,
    printer: String,
    ipp_job_id: Option<i32>,
    superseded: Option<i32>,
    failed_tries: u32,
}

impl<P: Printer> Spool<P> {
    /// Opens (or creates, or migrates) the spool at `path`, sending through `printer`, and
    /// applies the retention rules.
    pub fn open_with(path: &Path, printer: P) -> Result<Spool<P>, SpoolError> {
        let storage = |source| SpoolError::Storage { path: path.to_owned(), source };
        let mut conn = Connection::open(path).map_err(storage)?;
        // Busy timeout, WAL, and FULL sync (committed means on disk: an enqueued job survives
        // a power cut), as for every SQLite file of the kiosk.
        store::sqlite::configure(&conn).map_err(storage)?;
        // Erased PDFs are overwritten, not left in free pages.
        conn.pragma_update(None, "secure_delete", true).map_err(storage)?;
        store::sqlite::migrate(&mut conn, MIGRATIONS).map_err(|e| match e {
            MigrationError::Sqlite(source) => storage(source),
            MigrationError::Newer { found, known } => {
                SpoolError::Newer { path: path.to_owned(), found, known }
            }
        })?;
        let spool =
            Spool { conn, path: path.to_owned(), printer, now: Box::new(OffsetDateTime::now_utc) };
        spool.enforce_retention()?;
        Ok(spool)
    }

    /// Replaces the clock (tests: a lease running out, a backoff, retention).
    pub fn with_clock(mut self, now: impl Fn() -> OffsetDateTime + Send + 'static) -> Self {
        self.now = Box::new(now);
        self
    }

    pub fn printer(&self) -> &P {
        &self.printer
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn storage(&self, source: rusqlite::Error) -> SpoolError {
        SpoolError::Storage { path: self.path.clone(), source }
    }

    fn now(&self) -> OffsetDateTime {
        (self.now)()
    }

    fn stamp(&self) -> String {
        stamp(self.now())
    }

    /// Adds a job, committed to disk before this returns; nothing is sent yet (see
    /// [`Spool::process`]). `kind` is what the document is; `printer` an `ipp://` or `http://`
    /// URI.
    pub fn enqueue(
        &self,
        kind: &str,
        application: Option<RecordId>,
        printer: &str,
        pdf: &[u8],
    ) -> Result<JobId, SpoolError> {
        ipp_client::check_printer_uri(printer)?;
        if !pdf.starts_with(b"%PDF-") {
            return Err(SpoolError::NotPdf);
        }
        let now = self.now();
        let id = JobId(Ulid::from_datetime(now.into()));
        self.conn
            .execute(
                "INSERT INTO print_jobs (id, kind, application, printer, pdf, state, created, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'waiting', ?6, ?6)",
                params![
                    id.to_string(),
                    kind,
                    application.map(|a| a.to_string()),
                    printer,
                    pdf,
                    stamp(now)
                ],
            )
            .map_err(|e| self.storage(e))?;
        tracing::info!(job = %id, kind, printer = %ipp_client::printer_label(printer), bytes = pdf.len(), "print job queued");
        Ok(id)
    }

    /// One job.
    pub fn get(&self, id: JobId) -> Result<JobSummary, SpoolError> {
        self.conn
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS} FROM print_jobs WHERE id = ?1"),
                [id.to_string()],
                summary_columns,
            )
            .optional()
            .map_err(|e| self.storage(e))?
            .ok_or(SpoolError::NoSuchJob(id))?
            .into_summary()
    }

    /// The jobs, oldest first.
    pub fn list(&self, filter: JobFilter) -> Result<Vec<JobSummary>, SpoolError> {
        let (condition, state) = match filter {
            JobFilter::All => ("1", None),
            JobFilter::Open => ("state IN ('waiting', 'sending')", None),
            JobFilter::In(state) => ("state = ?1", Some(state.as_str())),
        };
        let sql =
            format!("SELECT {SUMMARY_COLUMNS} FROM print_jobs WHERE {condition} ORDER BY rowid");
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.storage(e))?;
        let rows = match state {
            Some(state) => statement.query_map([state], summary_columns),
            None => statement.query_map([], summary_columns),
        }
        .map_err(|e| self.storage(e))?;
        let mut jobs = Vec::new();
        for row in rows {
            jobs.push(row.map_err(|e| self.storage(e))?.into_summary()?);
        }
        Ok(jobs)
    }

    /// The job's PDF, until it has printed (then it is erased).
    pub fn pdf(&self, id: JobId) -> Result<Option<Vec<u8>>, SpoolError> {
        self.conn
            .query_row("SELECT pdf FROM print_jobs WHERE id = ?1", [id.to_string()], |r| r.get(0))
            .optional()
            .map_err(|e| self.storage(e))?
            .ok_or(SpoolError::NoSuchJob(id))
    }

    /// Puts a failed job back to waiting, for the next [`Spool::process`]. The printer's job of
    /// the failed attempt (if any) is remembered so it is never taken for the new one.
    pub fn retry(&self, id: JobId) -> Result<JobSummary, SpoolError> {
        let changed = self
            .conn
            .execute(
                "UPDATE print_jobs SET state = 'waiting',
                     superseded_ipp_job_id = COALESCE(ipp_job_id, superseded_ipp_job_id),
                     ipp_job_id = NULL, last_error_id = NULL, last_error_args = NULL,
                     last_error_detail = NULL, last_error_retryable = NULL, failed_tries = 0,
                     next_attempt_at = NULL, updated = ?2
                 WHERE id = ?1 AND state = 'failed'",
                params![id.to_string(), self.stamp()],
            )
            .map_err(|e| self.storage(e))?;
        let job = self.get(id)?;
        if changed == 0 {
            return Err(SpoolError::NotFailed { id, state: job.state });
        }
        tracing::info!(job = %id, "failed print job put back to waiting");
        Ok(job)
    }

    /// Cancels an open job for `supervisor` (a clerk record the caller has checked is an active
    /// supervisor): it is never sent again, and its PDF is erased at once. A job another process
    /// is sending this moment cannot be cancelled until that try ends ([`SpoolError::Busy`]);
    /// a printed, cancelled or expired one has nothing left to cancel.
    pub fn cancel(&self, id: JobId, supervisor: RecordId) -> Result<Cancelled, SpoolError> {
        let now = self.now();
        let before = self.get(id)?;
        if !before.state.holds_pdf() {
            return Err(SpoolError::NotOpen { id, state: before.state });
        }
        // Only if nobody holds the job and it is still as read: a process that claimed it
        // meanwhile is inside Print-Job.
        let changed = self
            .conn
            .execute(
                "UPDATE print_jobs SET state = 'cancelled', pdf = NULL, cancelled_by = ?2,
                     next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL,
                     updated = ?3
                 WHERE id = ?1 AND state = ?4 AND COALESCE(lease_until, 0) <= ?5",
                params![
                    id.to_string(),
                    supervisor.to_string(),
                    stamp(now),
                    before.state.as_str(),
                    now.unix_timestamp()
                ],
            )
            .map_err(|e| self.storage(e))?;
        if changed == 0 {
            let state = self.get(id)?.state;
            return Err(if state.holds_pdf() {
                SpoolError::Busy { id }
            } else {
                SpoolError::NotOpen { id, state }
            });
        }
        self.purge_erased();
        tracing::info!(job = %id, %supervisor, was = %before.state, "print job cancelled, its PDF erased");
        Ok(Cancelled { job: self.get(id)?, maybe_at_printer: before.state == SpoolState::Sending })
    }

    /// The retention rules, by this spool's clock: a job not printed [`GIVE_UP_AFTER`] after
    /// it was queued becomes `expired` and its PDF is erased (unless a process is sending it
    /// this moment: it is given up after that try); the record of a job printed, cancelled or
    /// expired more than [`KEEP_FINISHED`] ago is deleted. Runs on every open and every
    /// [`Spool::process_all`].
    pub fn enforce_retention(&self) -> Result<Retention, SpoolError> {
        let now = self.now();
        let seconds = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        let give_up_before = now.unix_timestamp().saturating_sub(seconds(GIVE_UP_AFTER));
        let forget_before = now.unix_timestamp().saturating_sub(seconds(KEEP_FINISHED));
        let expired = self
            .conn
            .execute(
                "UPDATE print_jobs SET state = 'expired', pdf = NULL, next_attempt_at = NULL,
                     updated = ?1
                 WHERE state IN ('waiting', 'sending', 'failed')
                   AND COALESCE(lease_until, 0) <= ?2 AND unixepoch(created) < ?3",
                params![stamp(now), now.unix_timestamp(), give_up_before],
            )
            .map_err(|e| self.storage(e))?;
        let forgotten = self
            .conn
            .execute(
                "DELETE FROM print_jobs
                 WHERE state IN ('printed', 'cancelled', 'expired') AND unixepoch(updated) < ?1",
                [forget_before],
            )
            .map_err(|e| self.storage(e))?;
        if expired > 0 || forgotten > 0 {
            self.purge_erased();
            tracing::info!(expired, forgotten, "print spool retention applied");
        }
        Ok(Retention { expired, forgotten })
    }

    /// How many jobs are in each state, and when the oldest open one was queued.
    pub fn counts(&self) -> Result<SpoolCounts, SpoolError> {
        let mut counts = SpoolCounts::default();
        let mut statement = self
            .conn
            .prepare("SELECT state, count(*) FROM print_jobs GROUP BY state")
            .map_err(|e| self.storage(e))?;
        let rows = statement
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| self.storage(e))?;
        for row in rows {
            let (state, n) = row.map_err(|e| self.storage(e))?;
            let n = u64::try_from(n).unwrap_or(0);
            match SpoolState::parse(&state) {
                Some(SpoolState::Waiting) => counts.waiting = n,
                Some(SpoolState::Sending) => counts.sending = n,
                Some(SpoolState::Printed) => counts.printed = n,
                Some(SpoolState::Failed) => counts.failed = n,
                Some(SpoolState::Cancelled) => counts.cancelled = n,
                Some(SpoolState::Expired) => counts.expired = n,
                None => {
                    return Err(SpoolError::Corrupt {
                        id: "-".into(),
                        detail: format!("state {state:?}"),
                    });
                }
            }
        }
        let oldest: Option<String> = self
            .conn
            .query_row(
                "SELECT created FROM print_jobs WHERE state IN ('waiting', 'sending')
                 ORDER BY rowid LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.storage(e))?;
        counts.oldest_open = match oldest {
            Some(text) => Some(OffsetDateTime::parse(&text, &Rfc3339).map_err(|e| {
                SpoolError::Corrupt { id: "-".into(), detail: format!("time {text:?}: {e}") }
            })?),
            None => None,
        };
        Ok(counts)
    }

    /// After PDFs were erased: moves the log's pages into the file and empties the log, so the
    /// erased bytes (zeroed in the file by `secure_delete`) do not linger in `spool.db-wal`
    /// while this process keeps the spool open. Best effort: a reader in another process can
    /// hold the log until it finishes, and the last connection to close truncates it anyway.
    fn purge_erased(&self) {
        let result =
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
        match result {
            Ok(0) => {}
            Ok(_) => tracing::debug!("print spool log still in use; truncated when released"),
            Err(e) => tracing::warn!(error = %e, "print spool log could not be checkpointed"),
        }
    }

    /// Applies the retention rules first ([`Spool::enforce_retention`]), then sends every
    /// waiting job and settles every `sending` one nobody holds whose next try is due, oldest
    /// first, and returns them as they are now. After a printer fails in a way that may pass
    /// (off, unreachable, paused, refusing), its later jobs are left for the next round: they
    /// would fail the same way, and must not overtake the first.
    pub fn process_all(&self) -> Result<Vec<JobSummary>, SpoolError> {
        self.process_open(None, false)
    }

    /// Like [`Spool::process_all`], and every open job of `printer` is tried now whatever its
    /// backoff: a print command is about to send a new job there, and the jobs queued for that
    /// printer before it go first.
    pub fn process_all_before(&self, printer: &str) -> Result<Vec<JobSummary>, SpoolError> {
        self.process_open(Some(printer), false)
    }

    /// Like [`Spool::process_all`], every backoff notwithstanding: someone has just put the
    /// printer right and asks for the queue to go now.
    pub fn process_all_now(&self) -> Result<Vec<JobSummary>, SpoolError> {
        self.process_open(None, true)
    }

    fn process_open(
        &self,
        printer_now: Option<&str>,
        all_now: bool,
    ) -> Result<Vec<JobSummary>, SpoolError> {
        self.enforce_retention()?;
        let now = self.now().unix_timestamp();
        // Every open job in queue order, due or not: a job still backing off holds back the
        // later jobs of its printer, so none overtakes it.
        let open: Vec<(String, String, Option<i64>)> = {
            let mut statement = self
                .conn
                .prepare(
                    "SELECT id, printer, next_attempt_at FROM print_jobs
                     WHERE state IN ('waiting', 'sending') AND COALESCE(lease_until, 0) <= ?1
                     ORDER BY rowid",
                )
                .map_err(|e| self.storage(e))?;
            statement
                .query_map(params![now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(|e| self.storage(e))?
                .collect::<Result<_, _>>()
                .map_err(|e| self.storage(e))?
        };
        // Printers not to send to in this round: one that failed, or one whose earlier job waits.
        let mut troubled: Vec<String> = Vec::new();
        let mut done = Vec::new();
        for (id, printer, next_attempt_at) in open {
            if troubled.contains(&printer) {
                continue;
            }
            let due = all_now
                || printer_now == Some(printer.as_str())
                || next_attempt_at.is_none_or(|at| at <= now);
            if !due {
                troubled.push(printer);
                continue;
            }
            let id = parse_id(&id)?;
            if let Some(error) = self.process_job(id)?
                && error.is_retryable()
            {
                troubled.push(printer);
            }
            done.push(self.get(id)?);
        }
        Ok(done)
    }

    /// Sends the job if it is waiting, or settles it if it is `sending` and nobody holds it:
    /// adopts the printer's job of its name, or sends it if the printer has none, its backoff
    /// notwithstanding (someone asked for this job). Does nothing to a job that is done with
    /// or failed, or one another process is sending. Printing problems are recorded on the job
    /// (`last_error`, and `next_attempt_at` when it will be tried again), not returned.
    pub fn process(&self, id: JobId) -> Result<JobSummary, SpoolError> {
        self.process_job(id)?;
        self.get(id)
    }

    /// Like [`Spool::process`]; returns the printer's error of this attempt, if any.
    fn process_job(&self, id: JobId) -> Result<Option<PrintError>, SpoolError> {
        let Some((claimed, state)) = self.claim(id)? else {
            return Ok(None);
        };
        let job_name = id.job_name();
        if state == SpoolState::Sending {
            match self.printer.find_job(&claimed.printer, &job_name) {
                Ok(Some((job_id, printer_state)))
                    if claimed.superseded.is_none_or(|old| job_id > old) =>
                {
                    tracing::info!(job = %id, ipp_job = job_id, ?printer_state, "the printer already has the job: adopting it");
                    self.settle(&claimed, adopt(&claimed, job_id, printer_state))?;
                    return Ok(None);
                }
                Ok(_) => {
                    if let Some(job_id) = claimed.ipp_job_id {
                        let error = JobError::lost(&claimed.printer, job_id);
                        self.settle(&claimed, Outcome::Failed { error, job_id: Some(job_id) })?;
                        return Ok(None);
                    }
                    // The printer never got it: send it below.
                }
                Err(e) => {
                    let outcome = if e.is_retryable() {
                        Outcome::Unknown((&e).into())
                    } else {
                        Outcome::Failed { error: (&e).into(), job_id: claimed.ipp_job_id }
                    };
                    self.settle(&claimed, outcome)?;
                    return Ok(Some(e));
                }
            }
        }
        self.send(&claimed, &job_name)
    }

    /// Takes the job for this process if it is open and nobody holds it, marking it `sending`
    /// (committed) under a lease. Returns the state it had.
    fn claim(&self, id: JobId) -> Result<Option<(Claimed, SpoolState)>, SpoolError> {
        let row = self
            .conn
            .query_row(
                "SELECT state, printer, ipp_job_id, superseded_ipp_job_id, lease_until,
                        failed_tries
                 FROM print_jobs WHERE id = ?1",
                [id.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<i32>>(2)?,
                        r.get::<_, Option<i32>>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.storage(e))?
            .ok_or(SpoolError::NoSuchJob(id))?;
        let (state, printer, ipp_job_id, superseded, lease_until, failed_tries) = row;
        let failed_tries = u32::try_from(failed_tries).unwrap_or(0);
        let state = SpoolState::parse(&state).ok_or_else(|| SpoolError::Corrupt {
            id: id.to_string(),
            detail: format!("state {state:?}"),
        })?;
        let now = self.now();
        if !matches!(state, SpoolState::Waiting | SpoolState::Sending)
            || lease_until.is_some_and(|until| until > now.unix_timestamp())
        {
            return Ok(None);
        }
        let lease = self.printer.max_call() + LEASE_MARGIN;
        let until =
            now.unix_timestamp().saturating_add(lease.as_secs().try_into().unwrap_or(i64::MAX));
        let owner = Ulid::new().to_string();
        // Compare-and-set on what was read: of two processes, one wins.
        let claimed = self
            .conn
            .execute(
                "UPDATE print_jobs SET state = 'sending', lease_owner = ?2, lease_until = ?3, updated = ?4
                 WHERE id = ?1 AND state = ?5 AND ipp_job_id IS ?6 AND lease_until IS ?7",
                params![id.to_string(), owner, until, self.stamp(), state.as_str(), ipp_job_id, lease_until],
            )
            .map_err(|e| self.storage(e))?;
        if claimed == 0 {
            return Ok(None);
        }
        Ok(Some((Claimed { id, owner, printer, ipp_job_id, superseded, failed_tries }, state)))
    }

    /// Print-Job, and what came of it.
    fn send(&self, claimed: &Claimed, job_name: &str) -> Result<Option<PrintError>, SpoolError> {
        let id = claimed.id.to_string();
        let pdf: Option<Vec<u8>> = self
            .conn
            .query_row(
                "UPDATE print_jobs SET attempts = attempts + 1, updated = ?3
                 WHERE id = ?1 AND lease_owner = ?2 RETURNING pdf",
                params![id, claimed.owner, self.stamp()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.storage(e))?
            .flatten();
        let Some(pdf) = pdf else {
            return Err(SpoolError::Corrupt { id, detail: "no PDF to send".into() });
        };
        let printer = ipp_client::printer_label(&claimed.printer);
        tracing::info!(job = %claimed.id, %printer, "sending print job");
        let (outcome, error) = match self.printer.print(&claimed.printer, job_name, &pdf) {
            Ok(JobOutcome::Completed { job_id }) => (Outcome::Printed { job_id }, None),
            Ok(JobOutcome::Pending { job_id }) => (Outcome::AtPrinter { job_id }, None),
            Err(PrintFailure { error: e, delivery }) => {
                let recorded = JobError::from(&e);
                let outcome = if let Some(job_id) = e.job_id() {
                    Outcome::Failed { error: recorded, job_id: Some(job_id) }
                } else if delivery == Delivery::MaybeSent {
                    Outcome::Unknown(recorded)
                } else if e.is_retryable() {
                    Outcome::Waiting(recorded)
                } else {
                    Outcome::Failed { error: recorded, job_id: None }
                };
                (outcome, Some(e))
            }
        };
        self.settle(claimed, outcome)?;
        Ok(error)
    }

    /// Records the outcome and lets go of the job, if this process still holds it. A try that
    /// leaves the job open with an error (waiting, or perhaps at the printer) sets its backoff.
    fn settle(&self, claimed: &Claimed, outcome: Outcome) -> Result<(), SpoolError> {
        let (state, job_id, error, erase_pdf) = match outcome {
            Outcome::Printed { job_id } => (SpoolState::Printed, Some(job_id), None, true),
            Outcome::AtPrinter { job_id } => (SpoolState::Sending, Some(job_id), None, false),
            Outcome::Unknown(error) => {
                (SpoolState::Sending, claimed.ipp_job_id, Some(error), false)
            }
            Outcome::Waiting(error) => (SpoolState::Waiting, None, Some(error), false),
            Outcome::Failed { error, job_id } => (SpoolState::Failed, job_id, Some(error), false),
        };
        let args = error.as_ref().map(|e| serde_json::to_string(&e.args).unwrap_or_default());
        let now = self.now();
        let stays_open = matches!(state, SpoolState::Waiting | SpoolState::Sending);
        let (failed_tries, next_attempt_at) = if error.is_some() && stays_open {
            let tries = claimed.failed_tries.saturating_add(1);
            let wait = i64::try_from(backoff(tries).as_secs()).unwrap_or(i64::MAX);
            (tries, Some(now.unix_timestamp().saturating_add(wait)))
        } else {
            (0, None)
        };
        let changed = self
            .conn
            .execute(
                "UPDATE print_jobs SET state = ?3, ipp_job_id = ?4,
                     last_error_id = ?5, last_error_args = ?6, last_error_detail = ?7,
                     last_error_retryable = ?8,
                     pdf = CASE WHEN ?9 THEN NULL ELSE pdf END,
                     lease_owner = NULL, lease_until = NULL, updated = ?10,
                     failed_tries = ?11, next_attempt_at = ?12
                 WHERE id = ?1 AND lease_owner = ?2",
                params![
                    claimed.id.to_string(),
                    claimed.owner,
                    state.as_str(),
                    job_id,
                    error.as_ref().map(|e| e.message_id.as_str()),
                    args,
                    error.as_ref().map(|e| e.detail.as_str()),
                    error.as_ref().map(|e| e.retryable),
                    erase_pdf,
                    stamp(now),
                    failed_tries,
                    next_attempt_at,
                ],
            )
            .map_err(|e| self.storage(e))?;
        if erase_pdf && changed > 0 {
            self.purge_erased();
        }
        let printer = ipp_client::printer_label(&claimed.printer);
        let error_id = error.as_ref().map(|e| e.message_id.as_str());
        if changed == 0 {
            // The lease ran out and another process took the job over: its record stands.
            tracing::warn!(job = %claimed.id, %printer, ?state, "print job taken over by another process; outcome dropped");
        } else {
            tracing::info!(job = %claimed.id, %printer, %state, ipp_job = ?job_id, error = ?error_id, "print job settled");
        }
        Ok(())
    }
}

/// The spool's state for a job the printer already has.
fn adopt(claimed: &Claimed, job_id: i32, state: JobState) -> Outcome {
    let printer = ipp_client::printer_label(&claimed.printer);
    match state {
        JobState::Completed => Outcome::Printed { job_id },
        JobState::Canceled => Outcome::Failed {
            error: (&PrintError::Canceled { printer, job_id }).into(),
            job_id: Some(job_id),
        },
        JobState::Aborted => Outcome::Failed {
            error: (&PrintError::Aborted { printer, job_id, detail: "aborted".into() }).into(),
            job_id: Some(job_id),
        },
        JobState::Pending | JobState::Held | JobState::Processing | JobState::Stopped => {
            Outcome::AtPrinter { job_id }
        }
    }
}

fn stamp(time: OffsetDateTime) -> String {
    // RFC 3339 formats every UTC time of this era; the fallback is never reached.
    time.format(&Rfc3339).unwrap_or_default()
}

fn parse_id(id: &str) -> Result<JobId, SpoolError> {
    id.parse().map_err(|e| SpoolError::Corrupt { id: id.to_owned(), detail: format!("id: {e}") })
}

/// A summary row as stored, before its values are checked.
struct SummaryRow {
    id: String,
    kind: String,
    application: Option<String>,
    printer: String,
    state: String,
    attempts: i64,
    error_id: Option<String>,
    error_args: Option<String>,
    error_detail: Option<String>,
    error_retryable: Option<bool>,
    ipp_job_id: Option<i32>,
    next_attempt_at: Option<i64>,
    cancelled_by: Option<String>,
    created: String,
    updated: String,
}

fn summary_columns(r: &rusqlite::Row<'_>) -> rusqlite::Result<SummaryRow> {
    Ok(SummaryRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        application: r.get(2)?,
        printer: r.get(3)?,
        state: r.get(4)?,
        attempts: r.get(5)?,
        error_id: r.get(6)?,
        error_args: r.get(7)?,
        error_detail: r.get(8)?,
        error_retryable: r.get(9)?,
        ipp_job_id: r.get(10)?,
        next_attempt_at: r.get(11)?,
        cancelled_by: r.get(12)?,
        created: r.get(13)?,
        updated: r.get(14)?,
    })
}

impl SummaryRow {
    fn into_summary(self) -> Result<JobSummary, SpoolError> {
        let corrupt = |detail: String| SpoolError::Corrupt { id: self.id.clone(), detail };
        let time = |s: &str| {
            OffsetDateTime::parse(s, &Rfc3339).map_err(|e| corrupt(format!("time {s:?}: {e}")))
        };
        let last_error = match self.error_id {
            Some(message_id) => Some(JobError {
                message_id,
                args: match &self.error_args {
                    Some(json) => serde_json::from_str(json)
                        .map_err(|e| corrupt(format!("error arguments: {e}")))?,
                    None => BTreeMap::new(),
                },
                detail: self.error_detail.clone().unwrap_or_default(),
                retryable: self.error_retryable.unwrap_or(false),
            }),
            None => None,
        };
        Ok(JobSummary {
            id: parse_id(&self.id)?,
            application: match &self.application {
                Some(a) => Some(a.parse().map_err(|e| corrupt(format!("application: {e}")))?),
                None => None,
            },
            printer: ipp_client::printer_label(&self.printer),
            state: SpoolState::parse(&self.state)
                .ok_or_else(|| corrupt(format!("state {:?}", self.state)))?,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            last_error,
            ipp_job_id: self.ipp_job_id,
            next_attempt_at: match self.next_attempt_at {
                Some(at) => Some(
                    OffsetDateTime::from_unix_timestamp(at)
                        .map_err(|e| corrupt(format!("next attempt {at}: {e}")))?,
                ),
                None => None,
            },
            cancelled_by: match &self.cancelled_by {
                Some(c) => Some(c.parse().map_err(|e| corrupt(format!("cancelled by: {e}")))?),
                None => None,
            },
            created: time(&self.created)?,
            updated: time(&self.updated)?,
            kind: self.kind,
        })
    }
}
