//! IPP to one printer (a CUPS queue or a network printer): print a PDF and follow the job until
//! the printer is done with it, find a job again by its name, read the printer's state. Only this
//! module speaks IPP; everything it says back is a [`JobOutcome`], a [`PrinterState`] or a
//! [`PrintError`] that tells the clerk what to do.
//!
//! Every request carries the same `requesting-user-name` ([`REQUESTING_USER`]): printers (CUPS
//! by default) show a job's name only to its owner, and the spool finds its jobs by name.

use std::io::Cursor;
use std::time::{Duration, Instant};

use ipp::attribute::IppAttribute;
use ipp::client::blocking::IppClient;
use ipp::error::IppError;
use ipp::model::{DelimiterTag, StatusCode};
use ipp::operation::builder::IppOperationBuilder;
use ipp::operation::{GetJobAttributes, GetJobs, GetPrinterAttributes, IppOperation};
use ipp::payload::IppPayload;
use ipp::prelude::Uri;
use ipp::request::IppRequestResponse;
use ipp::value::IppValue;
use serde::Serialize;

/// The user every job is printed as, and asked about as.
pub const REQUESTING_USER: &str = "kiosk";

/// How long a question to the printer (its state, its jobs) may take.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`find_job`] may take in all (a listing, then perhaps one question per job).
pub const FIND_TIMEOUT: Duration = Duration::from_secs(20);

/// The PDF's MIME type, as the printer is told it.
const PDF: &str = "application/pdf";

/// What became of a job the printer accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    /// The printer says it printed the job.
    Completed { job_id: i32 },
    /// The printer has the job but had not finished it when the time was up (queued behind
    /// others, held, stopped mid-way). It is the printer's now: never send it again.
    Pending { job_id: i32 },
}

impl JobOutcome {
    pub fn job_id(self) -> i32 {
        match self {
            JobOutcome::Completed { job_id } | JobOutcome::Pending { job_id } => job_id,
        }
    }
}

/// A job's state at the printer (IPP `job-state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// 3: waiting for its turn.
    Pending,
    /// 4: held (by an operator, or until a time).
    Held,
    /// 5: printing.
    Processing,
    /// 6: stopped part-way (the printer stopped, or a filter failed).
    Stopped,
    /// 7: canceled by someone.
    Canceled,
    /// 8: aborted by the printer.
    Aborted,
    /// 9: printed.
    Completed,
}

impl JobState {
    pub fn from_ipp(value: i32) -> Option<JobState> {
        Some(match value {
            3 => JobState::Pending,
            4 => JobState::Held,
            5 => JobState::Processing,
            6 => JobState::Stopped,
            7 => JobState::Canceled,
            8 => JobState::Aborted,
            9 => JobState::Completed,
            _ => return None,
        })
    }

    pub fn to_ipp(self) -> i32 {
        match self {
            JobState::Pending => 3,
            JobState::Held => 4,
            JobState::Processing => 5,
            JobState::Stopped => 6,
            JobState::Canceled => 7,
            JobState::Aborted => 8,
            JobState::Completed => 9,
        }
    }

    /// Whether the printer is done with the job, one way or another.
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Canceled | JobState::Aborted | JobState::Completed)
    }
}

/// `printer-state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrinterStatus {
    Idle,
    Processing,
    /// Paused by an operator (`cupsdisable`), or stopped by a fault (out of paper, door open,
    /// switched off behind a print server).
    Stopped,
}

/// What a printer says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterState {
    pub status: PrinterStatus,
    /// `printer-is-accepting-jobs`: false when the queue refuses new jobs (`cupsreject`).
    pub accepting_jobs: bool,
    /// `printer-state-reasons` without `none` (`paused`, `media-empty`, `door-open`, …).
    pub reasons: Vec<String>,
    /// `printer-state-message`, if any.
    pub message: Option<String>,
}

/// One job as the printer lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterJob {
    pub id: i32,
    /// Hidden by the printer for other users' jobs.
    pub name: Option<String>,
    pub state: JobState,
}

/// Why printing did not work, in words a clerk can act on ([`PrintError::message_id`]) and with
/// the detail for the log. None of it carries personal data: printers are named by their URI
/// without credentials, jobs by number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("{uri:?} is not a printer address: use ipp://HOST[:PORT]/printers/QUEUE or http://…")]
    BadUri { uri: String },
    #[error("{printer} cannot be reached: {detail}")]
    Unreachable { printer: String, detail: String },
    #[error("the connection to {printer} broke off: {detail}")]
    ConnectionLost { printer: String, detail: String },
    #[error("{printer} did not answer in time")]
    Timeout { printer: String },
    #[error("{printer} has no such printer queue")]
    NotFound { printer: String },
    #[error("{printer} is not accepting jobs")]
    NotAccepting { printer: String },
    #[error("{printer} is stopped ({})", reasons.join(", "))]
    Stopped { printer: String, reasons: Vec<String> },
    #[error("{printer} is busy or not ready ({status})")]
    Busy { printer: String, status: String },
    #[error("{printer} cannot print this PDF: {detail}")]
    DocumentRefused { printer: String, job_id: Option<i32>, detail: String },
    #[error("{printer} refused the request: {status}")]
    Refused { printer: String, status: String },
    #[error("job {job_id} was canceled at {printer}")]
    Canceled { printer: String, job_id: i32 },
    #[error("{printer} aborted job {job_id}: {detail}")]
    Aborted { printer: String, job_id: i32, detail: String },
    #[error("{printer} gave an answer that is not IPP: {detail}")]
    Protocol { printer: String, detail: String },
}

impl PrintError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "print-error-bad-uri",
        "print-error-unreachable",
        "print-error-connection-lost",
        "print-error-timeout",
        "print-error-not-found",
        "print-error-not-accepting",
        "print-error-stopped",
        "print-error-busy",
        "print-error-document-refused",
        "print-error-refused",
        "print-error-canceled",
        "print-error-aborted",
        "print-error-protocol",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            PrintError::BadUri { .. } => "print-error-bad-uri",
            PrintError::Unreachable { .. } => "print-error-unreachable",
            PrintError::ConnectionLost { .. } => "print-error-connection-lost",
            PrintError::Timeout { .. } => "print-error-timeout",
            PrintError::NotFound { .. } => "print-error-not-found",
            PrintError::NotAccepting { .. } => "print-error-not-accepting",
            PrintError::Stopped { .. } => "print-error-stopped",
            PrintError::Busy { .. } => "print-error-busy",
            PrintError::DocumentRefused { .. } => "print-error-document-refused",
            PrintError::Refused { .. } => "print-error-refused",
            PrintError::Canceled { .. } => "print-error-canceled",
            PrintError::Aborted { .. } => "print-error-aborted",
            PrintError::Protocol { .. } => "print-error-protocol",
        }
    }

    /// Fluent arguments: `printer` always (the URI without credentials), and `detail`,
    /// `reasons`, `status` or `job` where the message has them.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        let printer = |p: &String| ("printer", p.clone());
        match self {
            PrintError::BadUri { uri } => vec![("printer", address_as_typed(uri))],
            PrintError::Unreachable { printer: p, detail }
            | PrintError::ConnectionLost { printer: p, detail }
            | PrintError::DocumentRefused { printer: p, detail, .. }
            | PrintError::Protocol { printer: p, detail } => {
                vec![printer(p), ("detail", detail.clone())]
            }
            PrintError::Timeout { printer: p }
            | PrintError::NotFound { printer: p }
            | PrintError::NotAccepting { printer: p } => vec![printer(p)],
            PrintError::Stopped { printer: p, reasons } => {
                let reasons = if reasons.is_empty() { "-".to_owned() } else { reasons.join(", ") };
                vec![printer(p), ("reasons", reasons)]
            }
            PrintError::Busy { printer: p, status }
            | PrintError::Refused { printer: p, status } => {
                vec![printer(p), ("status", status.clone())]
            }
            PrintError::Canceled { printer: p, job_id } => {
                vec![printer(p), ("job", job_id.to_string())]
            }
            PrintError::Aborted { printer: p, job_id, detail } => {
                vec![printer(p), ("job", job_id.to_string()), ("detail", detail.clone())]
            }
        }
    }

    /// Whether trying again later can work without anyone changing the document or the
    /// configuration: the printer is off, unreachable, paused, refusing jobs for now, busy, or
    /// slow. A document the printer cannot print, a missing queue, a job someone canceled are
    /// not: they wait for a person.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            PrintError::Unreachable { .. }
                | PrintError::ConnectionLost { .. }
                | PrintError::Timeout { .. }
                | PrintError::NotAccepting { .. }
                | PrintError::Stopped { .. }
                | PrintError::Busy { .. }
        )
    }

    /// Whether a Print-Job exchange that ended in this error may have created the job although
    /// no answer said so (it broke off or timed out after the request may have arrived). Before
    /// sending such a job again, ask the printer for it by name. Only meaningful for the
    /// Print-Job request itself: [`print_pdf`] says which request failed ([`PrintFailure`]).
    pub fn may_have_reached_printer(&self) -> bool {
        matches!(
            self,
            PrintError::ConnectionLost { .. }
                | PrintError::Timeout { .. }
                | PrintError::Protocol { .. }
        )
    }

    /// The printer's job, when the error is about one it accepted.
    pub fn job_id(&self) -> Option<i32> {
        match self {
            PrintError::Canceled { job_id, .. } | PrintError::Aborted { job_id, .. } => {
                Some(*job_id)
            }
            PrintError::DocumentRefused { job_id, .. } => *job_id,
            _ => None,
        }
    }
}

/// Whether a failed [`print_pdf`] may have left the job at the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The printer certainly does not have the job: the Print-Job request never reached it (the
    /// address did not resolve, the connection was refused, the question about the printer's
    /// state that comes first failed, the printer was stopped or refusing jobs), or the printer
    /// answered it with a refusal.
    NotSent,
    /// The Print-Job request may have reached the printer although no answer said so.
    MaybeSent,
}

/// Why [`print_pdf`] did not end with the printer's job: the error, and whether the job may be
/// at the printer anyway. The spool keeps a job `waiting` only when it certainly is not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct PrintFailure {
    pub error: PrintError,
    pub delivery: Delivery,
}

impl PrintFailure {
    /// A failure before any byte of Print-Job was sent.
    pub fn not_sent(error: PrintError) -> PrintFailure {
        PrintFailure { error, delivery: Delivery::NotSent }
    }

    /// A failure of the Print-Job exchange itself, or of following the job it created.
    pub fn of_print_job(error: PrintError) -> PrintFailure {
        let delivery =
            if error.may_have_reached_printer() { Delivery::MaybeSent } else { Delivery::NotSent };
        PrintFailure { error, delivery }
    }
}

/// The printer's URI as shown to people and written to logs: `ipp://host:port/path`, without
/// credentials or query. Anything unparseable is shown as `?`.
pub fn printer_label(uri: &str) -> String {
    match uri.parse::<Uri>() {
        Ok(parsed) if parsed.host().is_some() => {
            let scheme = parsed.scheme_str().unwrap_or("ipp");
            let host = parsed.host().unwrap_or_default();
            let port = parsed.port_u16().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{scheme}://{host}{port}{}", parsed.path())
        }
        _ => "?".to_owned(),
    }
}

/// A printer address as someone typed it, for the error that says it cannot be used: the text
/// itself, even where it does not parse, with any credentials (`user:secret@`), query and
/// fragment cut out and its length capped. Never `?`, and never a URI the person did not type.
pub fn address_as_typed(uri: &str) -> String {
    let text = uri.trim();
    let text = text.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, text),
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let shown = match scheme {
        Some(scheme) => format!("{scheme}://{host}{path}"),
        None => format!("{host}{path}"),
    };
    const MAX_CHARS: usize = 200;
    if shown.chars().count() > MAX_CHARS {
        shown.chars().take(MAX_CHARS).chain(std::iter::once('…')).collect()
    } else {
        shown
    }
}

/// Checks that `uri` is a printer address this client can use (`ipp://` or `http://`, with a
/// host).
pub fn check_printer_uri(uri: &str) -> Result<(), PrintError> {
    Target::parse(uri).map(|_| ())
}

/// A printer to talk to: the URI the HTTP client connects to, the `printer-uri` attribute the
/// printer expects, and the label errors carry.
struct Target {
    client_uri: Uri,
    printer_uri: Uri,
    label: String,
}

impl Target {
    fn parse(uri: &str) -> Result<Target, PrintError> {
        let bad = || PrintError::BadUri { uri: uri.to_owned() };
        let parsed: Uri = uri.trim().parse().map_err(|_| bad())?;
        // TLS is not built in (the `ipp` crate's `client` feature only): ipps/https would fail
        // on every job, so refuse them at once.
        if !matches!(parsed.scheme_str(), Some("ipp" | "http")) || parsed.host().is_none() {
            return Err(bad());
        }
        Ok(Target {
            printer_uri: ipp::util::canonicalize_uri(&parsed),
            label: printer_label(uri),
            client_uri: parsed,
        })
    }

    /// Sends one request, waiting until `deadline` at most, and checks the IPP status.
    fn send(
        &self,
        request: IppRequestResponse,
        deadline: Instant,
    ) -> Result<IppRequestResponse, PrintError> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(PrintError::Timeout { printer: self.label.clone() });
        }
        let client = IppClient::builder(self.client_uri.clone()).request_timeout(remaining).build();
        let response = client.send(request).map_err(|e| self.transport_error(e))?;
        let status = response.header().status_code();
        if status.is_success() { Ok(response) } else { Err(self.status_error(status, &response)) }
    }

    /// Sorts a failed exchange into what it means for the job: never connected (the printer
    /// certainly has nothing), broke off or timed out (it may have the job), or an answer that
    /// is not IPP.
    fn transport_error(&self, error: IppError) -> PrintError {
        let printer = self.label.clone();
        match error {
            IppError::ClientError(e) => {
                // `ureq::Error` is not nameable here (not a dependency of ours): read it through
                // its io::Error form, and its Display for the variants that have none.
                let text = e.to_string();
                let io = e.into_io();
                match io_error(&printer, &io) {
                    Some(error) => error,
                    None if text.starts_with("timeout: connect")
                        || text.starts_with("timeout: resolve") =>
                    {
                        PrintError::Unreachable { printer, detail: text }
                    }
                    None if text.starts_with("timeout") => PrintError::Timeout { printer },
                    // The system resolver's failure comes through as a plain io error
                    // ("failed to lookup address information: Name or service not known"):
                    // nothing was sent, so it is not a connection that broke off.
                    None if text.starts_with("host not found")
                        || text.starts_with("connection failed")
                        || text.contains("failed to lookup address") =>
                    {
                        PrintError::Unreachable { printer, detail: text }
                    }
                    None => match text.strip_prefix("http status: ").map(str::parse::<u16>) {
                        Some(Ok(code)) if code >= 500 => {
                            PrintError::Busy { printer, status: format!("HTTP {code}") }
                        }
                        Some(Ok(code)) => {
                            PrintError::Refused { printer, status: format!("HTTP {code}") }
                        }
                        _ if text.starts_with("io: ") => {
                            PrintError::ConnectionLost { printer, detail: text }
                        }
                        _ => PrintError::Protocol { printer, detail: text },
                    },
                }
            }
            IppError::IoError(io) => io_error(&printer, &io)
                .unwrap_or_else(|| PrintError::ConnectionLost { printer, detail: io.to_string() }),
            IppError::RequestError(code) if code >= 500 => {
                PrintError::Busy { printer, status: format!("HTTP {code}") }
            }
            IppError::RequestError(code) => {
                PrintError::Refused { printer, status: format!("HTTP {code}") }
            }
            IppError::StatusError(status) => {
                PrintError::Refused { printer, status: status_text(status) }
            }
            IppError::PrinterNotReady => PrintError::Stopped { printer, reasons: vec![] },
            other => PrintError::Protocol { printer, detail: other.to_string() },
        }
    }

    fn status_error(&self, status: StatusCode, response: &IppRequestResponse) -> PrintError {
        let printer = self.label.clone();
        let message = operation_text(response, "status-message");
        let status_text = || match &message {
            Some(m) => format!("{} ({m})", status_text(status)),
            None => status_text(status),
        };
        match status {
            StatusCode::ClientErrorNotFound | StatusCode::ClientErrorGone => {
                PrintError::NotFound { printer }
            }
            StatusCode::ServerErrorNotAcceptingJobs => PrintError::NotAccepting { printer },
            StatusCode::ServerErrorBusy
            | StatusCode::ServerErrorServiceUnavailable
            | StatusCode::ServerErrorTemporaryError
            | StatusCode::ServerErrorDeviceError => {
                PrintError::Busy { printer, status: status_text() }
            }
            StatusCode::ClientErrorTimeout => PrintError::Timeout { printer },
            StatusCode::ClientErrorDocumentFormatNotSupported
            | StatusCode::ClientErrorDocumentFormatError
            | StatusCode::ClientErrorDocumentAccessError
            | StatusCode::ClientErrorCompressionError
            | StatusCode::ClientErrorRequestEntityTooLong => {
                PrintError::DocumentRefused { printer, job_id: None, detail: status_text() }
            }
            _ => PrintError::Refused { printer, status: status_text() },
        }
    }
}

/// The io errors that say clearly what happened; `None` for the rest.
fn io_error(printer: &str, io: &std::io::Error) -> Option<PrintError> {
    use std::io::ErrorKind as K;
    let printer = printer.to_owned();
    let detail = io.to_string();
    Some(match io.kind() {
        K::ConnectionRefused
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::NetworkDown
        | K::AddrNotAvailable
        | K::NotFound => PrintError::Unreachable { printer, detail },
        K::TimedOut | K::WouldBlock => PrintError::Timeout { printer },
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            PrintError::ConnectionLost { printer, detail }
        }
        _ => return None,
    })
}

fn status_text(status: StatusCode) -> String {
    format!("{status} (0x{:04x})", status as i32)
}

fn build_error(target: &Target, error: impl std::fmt::Display) -> PrintError {
    PrintError::Protocol { printer: target.label.clone(), detail: format!("request: {error}") }
}

/// An operation attribute added to a request the crate's builders do not cover.
fn add_operation_attribute(
    target: &Target,
    request: &mut IppRequestResponse,
    name: &str,
    value: IppValue,
) -> Result<(), PrintError> {
    let attribute = IppAttribute::with_name(name, value).map_err(|e| build_error(target, e))?;
    request.attributes_mut().add(DelimiterTag::OperationAttributes, attribute);
    Ok(())
}

fn keywords(target: &Target, words: &[&str]) -> Result<IppValue, PrintError> {
    let values = words
        .iter()
        .map(|w| IppValue::new_keyword(*w).map_err(|e| build_error(target, e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(IppValue::Array(values))
}

/// The text of a name, text or keyword value.
fn text_value(value: &IppValue) -> Option<String> {
    match value {
        IppValue::NameWithoutLanguage(s) | IppValue::Keyword(s) => Some(s.as_str().to_owned()),
        IppValue::NameWithLanguage { name, .. } => Some(name.as_str().to_owned()),
        IppValue::TextWithoutLanguage(t) | IppValue::TextWithLanguage { text: t, .. } => {
            Some(t.to_string())
        }
        _ => None,
    }
}

/// All keywords of a (possibly single-valued) keyword attribute.
fn keyword_values(value: &IppValue) -> Vec<String> {
    value.into_iter().filter_map(text_value).filter(|k| k != "none").collect()
}

fn operation_text(response: &IppRequestResponse, name: &str) -> Option<String> {
    response
        .attributes()
        .groups_of(DelimiterTag::OperationAttributes)
        .find_map(|g| g.get(name))
        .and_then(|a| text_value(a.value()))
}

fn integer_value(value: &IppValue) -> Option<i32> {
    match value {
        IppValue::Integer(i) | IppValue::Enum(i) => Some(*i),
        _ => None,
    }
}

/// Prints `pdf` on `printer` as `job_name`, and follows the job until the printer has printed
/// it or `timeout` has passed.
///
/// Asks the printer's state first: a stopped printer or one refusing jobs gets nothing (the
/// job stays with the caller, to send later) rather than a job it would sit on. Every failure up
/// to the Print-Job request is [`Delivery::NotSent`]: the printer certainly has nothing. Once
/// the printer has accepted the job it is the printer's: every later failure to hear from it
/// gives [`JobOutcome::Pending`], never an error that could make the caller send it again.
pub fn print_pdf(
    printer: &str,
    job_name: &str,
    pdf: &[u8],
    timeout: Duration,
) -> Result<JobOutcome, PrintFailure> {
    let deadline = Instant::now() + timeout;
    let target = Target::parse(printer).map_err(PrintFailure::not_sent)?;

    let state = state_of(&target, deadline).map_err(PrintFailure::not_sent)?;
    if !state.accepting_jobs {
        return Err(PrintFailure::not_sent(PrintError::NotAccepting { printer: target.label }));
    }
    if state.status == PrinterStatus::Stopped {
        let error = PrintError::Stopped { printer: target.label, reasons: state.reasons };
        return Err(PrintFailure::not_sent(error));
    }

    let payload = IppPayload::new(Cursor::new(pdf.to_vec()));
    let operation = IppOperationBuilder::print_job(target.printer_uri.clone(), payload)
        .user_name(REQUESTING_USER)
        .job_title(job_name)
        .document_format(PDF)
        .build()
        .map_err(|e| PrintFailure::not_sent(build_error(&target, e)))?;
    let response =
        target.send(operation.into_ipp_request(), deadline).map_err(PrintFailure::of_print_job)?;
    let job_id = response
        .attributes()
        .groups_of(DelimiterTag::JobAttributes)
        .find_map(|g| g.get("job-id"))
        .and_then(|a| integer_value(a.value()))
        .ok_or_else(|| {
            PrintFailure::of_print_job(PrintError::Protocol {
                printer: target.label.clone(),
                detail: "Print-Job answered without a job-id".into(),
            })
        })?;
    tracing::debug!(printer = %target.label, job_id, "printer accepted the job");
    follow_job(&target, job_id, deadline).map_err(PrintFailure::of_print_job)
}

/// Follows a job the printer accepted until it is done or `deadline` passes.
fn follow_job(target: &Target, job_id: i32, deadline: Instant) -> Result<JobOutcome, PrintError> {
    let mut pause = Duration::from_millis(20);
    loop {
        // The printer has the job: a failure to hear from it now leaves it pending, not failed.
        let Ok(status) = job_status(target, job_id, deadline) else {
            return Ok(JobOutcome::Pending { job_id });
        };
        match status.state {
            JobState::Completed => return Ok(JobOutcome::Completed { job_id }),
            JobState::Canceled => {
                return Err(PrintError::Canceled { printer: target.label.clone(), job_id });
            }
            JobState::Aborted if status.document_error() => {
                return Err(status.document_refused(target, job_id));
            }
            JobState::Aborted => {
                return Err(PrintError::Aborted {
                    printer: target.label.clone(),
                    job_id,
                    detail: status.detail(),
                });
            }
            // CUPS stops (rather than aborts) a job whose filters failed on the document. Left
            // there it would print if someone restarted it; cancel it so the spool's record
            // ("failed: not printable") stays true.
            JobState::Stopped if status.document_error() => {
                cancel_job(target, job_id);
                return Err(status.document_refused(target, job_id));
            }
            JobState::Pending | JobState::Held | JobState::Processing | JobState::Stopped => {}
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Ok(JobOutcome::Pending { job_id });
        }
        std::thread::sleep(pause.min(remaining));
        pause = (pause * 2).min(Duration::from_millis(250));
    }
}

/// What Get-Job-Attributes told about a job.
struct JobStatus {
    state: JobState,
    reasons: Vec<String>,
    message: Option<String>,
}

impl JobStatus {
    /// The job ended on its document (RFC 8011 reasons; CUPS says "completed with errors" for a
    /// job its filters could not convert).
    fn document_error(&self) -> bool {
        self.reasons.iter().any(|r| {
            matches!(
                r.as_str(),
                "document-format-error"
                    | "document-unprintable-error"
                    | "document-access-error"
                    | "unsupported-document-format"
                    | "unsupported-compression"
                    | "job-completed-with-errors"
            )
        })
    }

    fn detail(&self) -> String {
        let mut detail = self.reasons.join(", ");
        if let Some(message) = &self.message {
            if !detail.is_empty() {
                detail.push_str(": ");
            }
            detail.push_str(message);
        }
        detail
    }

    fn document_refused(&self, target: &Target, job_id: i32) -> PrintError {
        PrintError::DocumentRefused {
            printer: target.label.clone(),
            job_id: Some(job_id),
            detail: self.detail(),
        }
    }
}

fn job_status(target: &Target, job_id: i32, deadline: Instant) -> Result<JobStatus, PrintError> {
    let operation =
        GetJobAttributes::new(target.printer_uri.clone(), job_id, Some(REQUESTING_USER))
            .map_err(|e| build_error(target, e))?;
    let mut request = operation.into_ipp_request();
    let wanted = keywords(
        target,
        &["job-state", "job-state-reasons", "job-state-message", "job-printer-state-message"],
    )?;
    add_operation_attribute(target, &mut request, "requested-attributes", wanted)?;
    let response = target.send(request, deadline)?;
    let group = response.attributes().groups_of(DelimiterTag::JobAttributes).next();
    let get = |name: &str| group.and_then(|g| g.get(name)).map(|a| a.value());
    let state = job_state(target, get("job-state"), job_id)?;
    let message = get("job-printer-state-message")
        .or_else(|| get("job-state-message"))
        .and_then(text_value)
        .filter(|m| !m.is_empty());
    Ok(JobStatus {
        state,
        reasons: get("job-state-reasons").map(keyword_values).unwrap_or_default(),
        message,
    })
}

/// Best effort: the job is refused either way.
fn cancel_job(target: &Target, job_id: i32) {
    let Ok(operation) = IppOperationBuilder::cancel_job(target.printer_uri.clone(), job_id)
        .user_name(REQUESTING_USER)
        .build()
    else {
        return;
    };
    if let Err(e) = target.send(operation.into_ipp_request(), Instant::now() + QUERY_TIMEOUT) {
        tracing::warn!(printer = %target.label, job_id, error = %e, "could not cancel a refused job");
    }
}

/// The jobs `printer` lists (Get-Jobs, `which-jobs=all`: pending, printing and the history it
/// keeps), as [`REQUESTING_USER`] sees them. A job's name is missing where the printer keeps it
/// private (other users' jobs) and, with CUPS, for finished jobs whose attributes it has unloaded
/// (within about a second of completion: CUPS answers `job-name` from memory only); see
/// [`jobs_named`] and [`find_job`], which look those up one by one.
pub fn jobs(printer: &str) -> Result<Vec<PrinterJob>, PrintError> {
    jobs_of(&Target::parse(printer)?, Instant::now() + QUERY_TIMEOUT)
}

fn jobs_of(target: &Target, deadline: Instant) -> Result<Vec<PrinterJob>, PrintError> {
    let operation = GetJobs::new(target.printer_uri.clone(), Some(REQUESTING_USER))
        .map_err(|e| build_error(target, e))?;
    let mut request = operation.into_ipp_request();
    let which = IppValue::new_keyword("all").map_err(|e| build_error(target, e))?;
    add_operation_attribute(target, &mut request, "which-jobs", which)?;
    // Only attributes CUPS answers without loading each job: asking for more makes it load
    // every job of its history and cut the answer to the 500 oldest.
    let wanted = keywords(target, &["job-id", "job-name", "job-state"])?;
    add_operation_attribute(target, &mut request, "requested-attributes", wanted)?;
    let response = target.send(request, deadline)?;
    let mut jobs = Vec::new();
    for group in response.attributes().groups_of(DelimiterTag::JobAttributes) {
        let id = group.get("job-id").and_then(|a| integer_value(a.value()));
        let state = group
            .get("job-state")
            .and_then(|a| integer_value(a.value()))
            .and_then(JobState::from_ipp);
        let (Some(id), Some(state)) = (id, state) else {
            return Err(PrintError::Protocol {
                printer: target.label.clone(),
                detail: "Get-Jobs listed a job without job-id or job-state".into(),
            });
        };
        let name = group.get("job-name").and_then(|a| text_value(a.value()));
        jobs.push(PrinterJob { id, name, state });
    }
    Ok(jobs)
}

/// One job's name and state (Get-Job-Attributes, which makes CUPS load the job); `None` if the
/// printer no longer has the job.
fn job_by_id(
    target: &Target,
    job_id: i32,
    deadline: Instant,
) -> Result<Option<PrinterJob>, PrintError> {
    let operation =
        GetJobAttributes::new(target.printer_uri.clone(), job_id, Some(REQUESTING_USER))
            .map_err(|e| build_error(target, e))?;
    let mut request = operation.into_ipp_request();
    let wanted = keywords(target, &["job-id", "job-name", "job-state"])?;
    add_operation_attribute(target, &mut request, "requested-attributes", wanted)?;
    let response = match target.send(request, deadline) {
        Ok(response) => response,
        Err(PrintError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let group = response.attributes().groups_of(DelimiterTag::JobAttributes).next();
    let get = |name: &str| group.and_then(|g| g.get(name)).map(|a| a.value());
    let state = job_state(target, get("job-state"), job_id)?;
    Ok(Some(PrinterJob { id: job_id, name: get("job-name").and_then(text_value), state }))
}

/// Every job of `printer` named `job_name`, oldest first, the nameless ones of [`jobs`] looked
/// up one by one (one request each: for tests and audits, not for every print).
pub fn jobs_named(printer: &str, job_name: &str) -> Result<Vec<PrinterJob>, PrintError> {
    let target = Target::parse(printer)?;
    let mut named = Vec::new();
    for job in jobs_of(&target, Instant::now() + QUERY_TIMEOUT)? {
        let job = match job.name {
            Some(_) => Some(job),
            None => job_by_id(&target, job.id, Instant::now() + QUERY_TIMEOUT)?,
        };
        named.extend(job.filter(|j| j.name.as_deref() == Some(job_name)));
    }
    named.sort_by_key(|j| j.id);
    Ok(named)
}

/// The printer's job named `job_name` (the newest, should there be several), with its state.
///
/// Jobs listed without a name that are newer than the newest match are looked up one by one,
/// newest first: CUPS lists a finished job without its name once it has unloaded it, and a job
/// that printed must never look absent (the spool would send it again). All of it within
/// [`FIND_TIMEOUT`]: a search cut short is a [`PrintError::Timeout`], never "no such job".
pub fn find_job(printer: &str, job_name: &str) -> Result<Option<(i32, JobState)>, PrintError> {
    let deadline = Instant::now() + FIND_TIMEOUT;
    let target = Target::parse(printer)?;
    let listed = jobs_of(&target, deadline)?;
    let best = listed
        .iter()
        .filter(|j| j.name.as_deref() == Some(job_name))
        .max_by_key(|j| j.id)
        .map(|j| (j.id, j.state));
    let floor = best.map_or(i32::MIN, |(id, _)| id);
    let mut nameless: Vec<i32> =
        listed.iter().filter(|j| j.name.is_none() && j.id > floor).map(|j| j.id).collect();
    nameless.sort_unstable_by(|a, b| b.cmp(a));
    for id in nameless {
        if let Some(job) = job_by_id(&target, id, deadline)?
            && job.name.as_deref() == Some(job_name)
        {
            return Ok(Some((job.id, job.state)));
        }
    }
    Ok(best)
}

/// The printer's state: idle, processing or stopped; whether it accepts jobs; why.
pub fn printer_state(printer: &str) -> Result<PrinterState, PrintError> {
    printer_state_within(printer, QUERY_TIMEOUT)
}

/// [`printer_state`] within `timeout` (a status screen asks with a short one: a printer that
/// does not answer in a second or two is shown as not answering). One Get-Printer-Attributes.
pub fn printer_state_within(printer: &str, timeout: Duration) -> Result<PrinterState, PrintError> {
    let target = Target::parse(printer)?;
    state_of(&target, Instant::now() + timeout)
}

fn state_of(target: &Target, deadline: Instant) -> Result<PrinterState, PrintError> {
    let operation = GetPrinterAttributes::with_attributes(
        target.printer_uri.clone(),
        [
            "printer-state",
            "printer-state-reasons",
            "printer-is-accepting-jobs",
            "printer-state-message",
        ],
    )
    .map_err(|e| build_error(target, e))?;
    let response = target.send(operation.into_ipp_request(), deadline)?;
    let group = response.attributes().groups_of(DelimiterTag::PrinterAttributes).next();
    let get = |name: &str| group.and_then(|g| g.get(name)).map(|a| a.value());
    let status = match get("printer-state").and_then(integer_value) {
        Some(3) => PrinterStatus::Idle,
        Some(4) => PrinterStatus::Processing,
        Some(5) => PrinterStatus::Stopped,
        other => {
            return Err(PrintError::Protocol {
                printer: target.label.clone(),
                detail: format!("printer-state {other:?}"),
            });
        }
    };
    // A printer that does not say is taken to accept jobs: Print-Job will tell otherwise.
    let accepting_jobs =
        !matches!(get("printer-is-accepting-jobs"), Some(IppValue::Boolean(false)));
    Ok(PrinterState {
        status,
        accepting_jobs,
        reasons: get("printer-state-reasons").map(keyword_values).unwrap_or_default(),
        message: get("printer-state-message").and_then(text_value).filter(|m| !m.is_empty()),
    })
}

/// The job-state a printer reported for `job_id`; a printer that reports none is broken.
fn job_state(
    target: &Target,
    value: Option<&IppValue>,
    job_id: i32,
) -> Result<JobState, PrintError> {
    value.and_then(integer_value).and_then(JobState::from_ipp).ok_or_else(|| PrintError::Protocol {
        printer: target.label.clone(),
        detail: format!("job {job_id} has no valid job-state"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_drop_credentials_and_queries() {
        assert_eq!(
            printer_label("ipp://clerk:secret@10.0.0.5:631/printers/front?x=1"),
            "ipp://10.0.0.5:631/printers/front"
        );
        assert_eq!(printer_label("not a uri"), "?");
    }

    #[test]
    fn an_address_that_does_not_parse_is_shown_as_typed_without_credentials() {
        assert_eq!(address_as_typed("not a uri"), "not a uri");
        assert_eq!(address_as_typed("lpt1"), "lpt1");
        assert_eq!(
            address_as_typed("ipp://clerk:se cret@host name/printers/q?token=1"),
            "ipp://host name/printers/q"
        );
        assert_eq!(
            address_as_typed("ipp://clerk:secret@10.0.0.5:631/printers/front?x=1"),
            "ipp://10.0.0.5:631/printers/front"
        );
        assert_eq!(address_as_typed("ipps://10.0.0.5/printers/q"), "ipps://10.0.0.5/printers/q");
        assert_eq!(address_as_typed(&"x".repeat(500)).chars().count(), 201);
        let error = PrintError::BadUri { uri: "not a uri".into() };
        assert_eq!(error.message_args(), vec![("printer", "not a uri".to_owned())]);
    }

    #[test]
    fn only_ipp_and_http_printers_are_accepted() {
        assert!(check_printer_uri("ipp://127.0.0.1:631/printers/q").is_ok());
        assert!(check_printer_uri("http://printer.local/ipp/print").is_ok());
        for bad in ["ipps://p/printers/q", "file:///tmp/x.pdf", "", "/printers/q"] {
            assert!(
                matches!(check_printer_uri(bad), Err(PrintError::BadUri { .. })),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn job_states_round_trip() {
        for v in 3..=9 {
            let state = JobState::from_ipp(v).expect("a job state");
            assert_eq!(state.to_ipp(), v);
        }
        assert_eq!(JobState::from_ipp(2), None);
    }
}
