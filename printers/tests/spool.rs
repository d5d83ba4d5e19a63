//! The print spool against a real, private cupsd (one per test, each on its own port): a job
//! comes out once; a printer that is off, refusing, missing or unreachable keeps the job (or
//! fails it) with a clear message; a crash after the printer accepted a job never prints it
//! twice; an enqueued job survives a reopen. A fake printer covers the orderings cupsd cannot be
//! made to produce on demand.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use printers::cups::Cups;
use printers::ipp_client::{
    self, Delivery, JobOutcome, JobState, PrintError, PrintFailure, PrinterStatus,
};
use printers::spool::{
    self, IppPrinter, JobFilter, JobId, JobSummary, OTHER_MESSAGE_IDS, Printer, Spool, SpoolCounts,
    SpoolError, SpoolState,
};
use tempfile::TempDir;
use time::OffsetDateTime;

/// A small valid one-page PDF saying `text` (the renderer's real forms come later).
fn tiny_pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 18 Tf 40 700 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A private cupsd with one PDF queue `front`.
fn cups_with_queue() -> (TempDir, Cups, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let cups = Cups::start(dir.path())
        .unwrap_or_else(|e| panic!("private cupsd (run scripts/deps.sh test): {e}"));
    let uri = cups.add_pdf_queue("front").expect("lpadmin adds the queue");
    (dir, cups, uri)
}

fn spool_in(dir: &Path) -> Spool<Counting<IppPrinter>> {
    Spool::open_with(
        &dir.join("spool.db"),
        Counting::new(IppPrinter { timeout: Duration::from_secs(20) }),
    )
    .expect("spool opens")
}

/// Counts what the spool asks of the real printer.
#[derive(Debug)]
struct Counting<P> {
    inner: P,
    prints: Cell<usize>,
    finds: Cell<usize>,
}

impl<P> Counting<P> {
    fn new(inner: P) -> Self {
        Counting { inner, prints: Cell::new(0), finds: Cell::new(0) }
    }
}

impl<P: Printer> Printer for Counting<P> {
    fn print(&self, printer: &str, job_name: &str, pdf: &[u8]) -> Result<JobOutcome, PrintFailure> {
        self.prints.set(self.prints.get() + 1);
        self.inner.print(printer, job_name, pdf)
    }

    fn find_job(
        &self,
        printer: &str,
        job_name: &str,
    ) -> Result<Option<(i32, JobState)>, PrintError> {
        self.finds.set(self.finds.get() + 1);
        self.inner.find_job(printer, job_name)
    }

    fn max_call(&self) -> Duration {
        self.inner.max_call()
    }
}

/// The jobs cupsd completed under `job`'s name: the proof of "printed exactly once".
fn completed_at_printer(uri: &str, job: JobId) -> usize {
    jobs_at_printer(uri, job).iter().filter(|j| j.state == JobState::Completed).count()
}

/// Every job cupsd has under `job`'s name, in any state.
fn at_printer(uri: &str, job: JobId) -> usize {
    jobs_at_printer(uri, job).len()
}

fn jobs_at_printer(uri: &str, job: JobId) -> Vec<ipp_client::PrinterJob> {
    ipp_client::jobs_named(uri, &job.job_name()).expect("cupsd lists its jobs")
}

/// A Print-Job for the spool's `id` as a process that dies right after would leave it: sent as
/// the kiosk's user under the job's name, never followed up. Returns cupsd's job id.
fn print_job_and_die(cups: &Cups, dir: &Path, id: JobId, pdf: &[u8]) -> i32 {
    let file = dir.join(format!("{id}.pdf"));
    std::fs::write(&file, pdf).expect("pdf file");
    let lp = Command::new("lp")
        .args(["-h", &cups.server(), "-d", "front", "-U", ipp_client::REQUESTING_USER])
        .args(["-t", &id.job_name()])
        .arg(&file)
        .output()
        .expect("lp runs (cups-client: scripts/deps.sh test)");
    assert!(lp.status.success(), "{lp:?}");
    // "request id is front-12 (1 file(s))"
    let stdout = String::from_utf8_lossy(&lp.stdout);
    stdout
        .split_whitespace()
        .find_map(|word| word.strip_prefix("front-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no job id in lp's answer {stdout:?}"))
}

/// Waits until cupsd lists the job without its name, as it does once it has unloaded a
/// finished job (within about a second): finding the job must not depend on catching it early.
fn wait_until_unloaded(cups: &Cups, uri: &str, ipp_job: i32) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let jobs = ipp_client::jobs(uri).expect("jobs");
        if jobs.iter().any(|j| j.id == ipp_job && j.name.is_none()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "cupsd still lists job {ipp_job} with its name after 10 s (did CUPS stop unloading \
             finished jobs?): {jobs:?}\n{}",
            cups.diagnostics()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn pdf_text(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils: scripts/deps.sh test)");
    assert!(output.status.success(), "pdftotext {}: {output:?}", path.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn error_id(job: &JobSummary) -> Option<&str> {
    job.last_error.as_ref().map(|e| e.message_id.as_str())
}

/// Tries the job until it has printed (cupsd finishes held jobs in its own time). `process`,
/// not `process_all`: a job that failed to reach the printer would wait out its backoff.
fn process_until_printed<P: Printer>(spool: &Spool<P>, id: JobId) -> JobSummary {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        spool.process(id).expect("process");
        let job = spool.get(id).expect("job");
        if job.state == SpoolState::Printed || Instant::now() > deadline {
            return job;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Makes the row look as a crash in the middle of sending leaves it: `sending`, no printer job
/// id, the PDF still there, and the crashed process's lease still running.
fn crash_while_sending(spool_db: &Path, id: JobId, pdf: &[u8], lease_until: OffsetDateTime) {
    let conn = rusqlite::Connection::open(spool_db).expect("spool db");
    let changed = conn
        .execute(
            "UPDATE print_jobs SET state = 'sending', ipp_job_id = NULL, pdf = ?2,
                 lease_owner = 'crashed-process', lease_until = ?3
             WHERE id = ?1",
            rusqlite::params![id.to_string(), pdf, lease_until.unix_timestamp()],
        )
        .expect("update");
    assert_eq!(changed, 1);
}

#[test]
fn a_job_prints_once_and_comes_out_as_sent() {
    let started = Instant::now();
    let (dir, cups, uri) = cups_with_queue();
    let startup = started.elapsed();
    let spool = spool_in(dir.path());
    let pdf = tiny_pdf("Receipt R-0001 kiosk test");
    let application = "01JD2X0000000000000000ABCD".parse().ok();
    let id = spool.enqueue("receipt", application, &uri, &pdf).expect("enqueue");
    assert_eq!(spool.get(id).expect("job").state, SpoolState::Waiting);
    assert_eq!(at_printer(&uri, id), 0, "enqueue sends nothing");

    let sent = Instant::now();
    let done = spool.process_all().expect("process_all");
    let print_time = sent.elapsed();
    assert_eq!(done.len(), 1);
    let job = spool.get(id).expect("job");
    assert_eq!(job.state, SpoolState::Printed, "{job:?}\n{}", cups.diagnostics());
    assert_eq!(job.attempts, 1);
    assert_eq!(job.last_error, None);
    assert_eq!(job.application, application);
    assert_eq!(job.kind, "receipt");
    let ipp_job = job.ipp_job_id.expect("the printer's job id");

    // Out of the printer: exactly one file, with the document's text, and cupsd's record agrees.
    let outputs = cups.outputs("front").expect("outputs");
    assert_eq!(outputs.len(), 1, "{outputs:?}");
    assert!(outputs[0].ends_with(format!("job-{ipp_job}.pdf")), "{outputs:?}");
    assert!(pdf_text(&outputs[0]).contains("Receipt R-0001 kiosk test"));
    assert_eq!(completed_at_printer(&uri, id), 1);
    // Printed, the PDF (personal data) is erased from the spool.
    assert_eq!(spool.pdf(id).expect("pdf"), None);

    // Nothing left to do: a second round sends nothing.
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.process(id).expect("process").state, SpoolState::Printed);
    assert_eq!(spool.printer().prints.get(), 1);
    assert_eq!(cups.outputs("front").expect("outputs").len(), 1);
    assert_eq!(completed_at_printer(&uri, id), 1);

    // The queue listing serialises without the PDF.
    let listed = serde_json::to_value(spool.list(JobFilter::All).expect("list")).expect("json");
    assert_eq!(listed[0]["state"], "printed");
    assert_eq!(listed[0]["kind"], "receipt");
    assert!(listed[0].get("pdf").is_none());
    eprintln!("cupsd start {startup:?}, one job printed in {print_time:?}");
}

#[test]
fn a_printer_that_is_off_keeps_the_job_waiting_then_prints_it_once() {
    let (dir, cups, uri) = cups_with_queue();
    let spool = spool_in(dir.path());
    cups.stop_queue("front").expect("cupsdisable");
    // Over http:// as well as ipp://.
    let state = ipp_client::printer_state(&uri.replace("ipp://", "http://")).expect("state");
    assert_eq!(state.status, PrinterStatus::Stopped);
    assert!(state.reasons.iter().any(|r| r == "paused"), "{state:?}");

    let pdf = tiny_pdf("Notice N-7 kiosk test");
    let id = spool.enqueue("renewal_notice", None, &uri, &pdf).expect("enqueue");
    for _ in 0..2 {
        spool.process(id).expect("process");
        let job = spool.get(id).expect("job");
        assert_eq!(job.state, SpoolState::Waiting, "{job:?}");
        let error = job.last_error.as_ref().expect("the reason is recorded");
        assert_eq!(error.message_id, "print-error-stopped");
        assert!(error.retryable);
        assert_eq!(error.args.get("printer").map(String::as_str), Some(uri.as_str()));
        assert_eq!(job.ipp_job_id, None);
    }
    // The printer was never handed the job.
    assert_eq!(at_printer(&uri, id), 0);
    assert!(cups.outputs("front").expect("outputs").is_empty());
    assert_eq!(spool.pdf(id).expect("pdf").as_deref(), Some(pdf.as_slice()));

    cups.start_queue("front").expect("cupsenable");
    let job = process_until_printed(&spool, id);
    assert_eq!(job.state, SpoolState::Printed, "{job:?}\n{}", cups.diagnostics());
    assert_eq!(job.last_error, None);
    assert_eq!(job.attempts, 3);
    assert_eq!(job.next_attempt_at, None, "printed: no next try");
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.printer().prints.get(), 3, "two refused attempts and one print");
    assert_eq!(completed_at_printer(&uri, id), 1);
    let outputs = cups.outputs("front").expect("outputs");
    assert_eq!(outputs.len(), 1);
    assert!(pdf_text(&outputs[0]).contains("Notice N-7 kiosk test"));
}

#[test]
fn a_queue_refusing_jobs_keeps_the_job_waiting_with_a_retryable_error() {
    let (dir, cups, uri) = cups_with_queue();
    let spool = spool_in(dir.path());
    cups.reject_jobs("front").expect("cupsreject");
    let id = spool.enqueue("queue_ticket", None, &uri, &tiny_pdf("A 012")).expect("enqueue");
    let job = spool.process(id).expect("process");
    assert_eq!(job.state, SpoolState::Waiting);
    assert_eq!(error_id(&job), Some("print-error-not-accepting"));
    assert!(job.last_error.as_ref().is_some_and(|e| e.retryable));
    assert_eq!(at_printer(&uri, id), 0);

    cups.accept_jobs("front").expect("cupsaccept");
    let job = process_until_printed(&spool, id);
    assert_eq!(job.state, SpoolState::Printed);
    assert_eq!(completed_at_printer(&uri, id), 1);
    assert_eq!(cups.outputs("front").expect("outputs").len(), 1);
}

#[test]
fn a_crash_after_the_printer_accepted_the_job_is_adopted_not_printed_again() {
    let (dir, cups, uri) = cups_with_queue();
    let db = dir.path().join("spool.db");
    let pdf = tiny_pdf("Form F-42 kiosk test");
    let id = spool_in(dir.path()).enqueue("personal_form", None, &uri, &pdf).expect("enqueue");

    // The crashed process: claimed the job, sent it, and died before writing down the answer
    // (or even asking how the job went).
    let now = OffsetDateTime::now_utc();
    crash_while_sending(&db, id, &pdf, now + Duration::from_secs(3600));
    let sent = print_job_and_die(&cups, dir.path(), id, &pdf);

    // cupsd forgets the finished job's name from memory; the spool must still find it.
    wait_until_unloaded(&cups, &uri, sent);

    // While the crashed process's lease runs, nobody touches the job.
    let spool = spool_in(dir.path());
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.get(id).expect("job").state, SpoolState::Sending);
    assert_eq!(spool.printer().finds.get() + spool.printer().prints.get(), 0);

    // After it, the kiosk asks the printer first, finds the job, and adopts it.
    let later = spool_in(dir.path()).with_clock(move || now + Duration::from_secs(7200));
    let done = later.process_all().expect("process_all");
    assert_eq!(done.len(), 1);
    let job = later.get(id).expect("job");
    assert_eq!(job.state, SpoolState::Printed, "{job:?}");
    assert_eq!(job.ipp_job_id, Some(sent));
    assert_eq!(later.printer().finds.get(), 1);
    assert_eq!(later.printer().prints.get(), 0, "sent again");
    assert_eq!(completed_at_printer(&uri, id), 1);
    assert_eq!(cups.outputs("front").expect("outputs").len(), 1);
    assert!(later.process_all().expect("process_all").is_empty());
}

#[test]
fn a_crash_before_the_printer_got_the_job_sends_it_once() {
    let (dir, cups, uri) = cups_with_queue();
    let db = dir.path().join("spool.db");
    let pdf = tiny_pdf("Receipt R-0002 kiosk test");
    let id = spool_in(dir.path()).enqueue("receipt", None, &uri, &pdf).expect("enqueue");
    // Claimed (committed `sending`), then the process died before Print-Job; its lease ran out.
    crash_while_sending(&db, id, &pdf, OffsetDateTime::now_utc() - Duration::from_secs(1));

    let spool = spool_in(dir.path());
    let job = spool.process(id).expect("process");
    assert_eq!(job.state, SpoolState::Printed, "{job:?}");
    assert_eq!(spool.printer().finds.get(), 1, "asked the printer first");
    assert_eq!(spool.printer().prints.get(), 1);
    assert_eq!(completed_at_printer(&uri, id), 1);
    assert_eq!(cups.outputs("front").expect("outputs").len(), 1);
}

#[test]
fn a_job_the_printer_holds_is_followed_until_it_prints() {
    let (dir, cups, uri) = cups_with_queue();
    let db = dir.path().join("spool.db");
    let pdf = tiny_pdf("Form F-43 kiosk test");
    let id = spool_in(dir.path()).enqueue("personal_form", None, &uri, &pdf).expect("enqueue");

    // The printer went off after taking the job; the sending process crashed.
    cups.stop_queue("front").expect("cupsdisable");
    let sent = print_job_and_die(&cups, dir.path(), id, &pdf);
    crash_while_sending(&db, id, &pdf, OffsetDateTime::now_utc() - Duration::from_secs(1));

    let spool = spool_in(dir.path());
    let job = spool.process(id).expect("process");
    assert_eq!(job.state, SpoolState::Sending, "{job:?}");
    assert_eq!(job.ipp_job_id, Some(sent), "the printer's job is adopted");
    assert_eq!(job.last_error, None);
    assert_eq!(spool.printer().prints.get(), 0);

    cups.start_queue("front").expect("cupsenable");
    let job = process_until_printed(&spool, id);
    assert_eq!(job.state, SpoolState::Printed, "{job:?}\n{}", cups.diagnostics());
    assert_eq!(job.ipp_job_id, Some(sent));
    assert_eq!(spool.printer().prints.get(), 0, "never sent by the spool");
    assert_eq!(completed_at_printer(&uri, id), 1);
    assert_eq!(cups.outputs("front").expect("outputs").len(), 1);
}

#[test]
fn a_missing_queue_fails_the_job_until_a_person_retries_it() {
    let (dir, cups, _uri) = cups_with_queue();
    let spool = spool_in(dir.path());
    let missing = cups.queue_uri("no-such-queue");
    assert!(matches!(ipp_client::printer_state(&missing), Err(PrintError::NotFound { .. })));
    assert!(matches!(ipp_client::find_job(&missing, "kiosk-x"), Err(PrintError::NotFound { .. })));

    let id = spool.enqueue("receipt", None, &missing, &tiny_pdf("R-3")).expect("enqueue");
    let job = spool.process(id).expect("process");
    assert_eq!(job.state, SpoolState::Failed);
    assert_eq!(error_id(&job), Some("print-error-not-found"));
    assert!(job.last_error.as_ref().is_some_and(|e| !e.retryable));
    // Failed jobs wait for a person: another round does not send them.
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.printer().prints.get(), 1);

    // Retrying is explicit, and only for failed jobs.
    let job = spool.retry(id).expect("retry");
    assert_eq!((job.state, job.last_error), (SpoolState::Waiting, None));
    assert!(matches!(
        spool.retry(id),
        Err(SpoolError::NotFailed { state: SpoolState::Waiting, .. })
    ));
    assert_eq!(spool.process(id).expect("process").state, SpoolState::Failed);
    assert_eq!(spool.printer().prints.get(), 2);
}

#[test]
fn cupsd_down_is_unreachable_and_the_job_waits() {
    let (dir, mut cups, uri) = cups_with_queue();
    cups.stop().expect("cupsd stops");
    let started = Instant::now();
    let error = ipp_client::printer_state(&uri).expect_err("nothing answers");
    assert!(matches!(error, PrintError::Unreachable { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert!(!error.may_have_reached_printer());
    let failure = ipp_client::print_pdf(&uri, "kiosk-x", &tiny_pdf("x"), Duration::from_secs(5))
        .expect_err("nothing answers");
    assert!(matches!(failure.error, PrintError::Unreachable { .. }), "{failure:?}");
    assert_eq!(failure.delivery, Delivery::NotSent);

    let spool = spool_in(dir.path());
    let first = spool.enqueue("receipt", None, &uri, &tiny_pdf("R-4")).expect("enqueue");
    let second = spool.enqueue("receipt", None, &uri, &tiny_pdf("R-5")).expect("enqueue");
    let done = spool.process_all().expect("process_all");
    // The first job found the printer unreachable; the second was not tried behind it.
    assert_eq!(done.len(), 1);
    let job = spool.get(first).expect("job");
    assert_eq!(job.state, SpoolState::Waiting);
    assert_eq!(error_id(&job), Some("print-error-unreachable"));
    assert_eq!(spool.get(second).expect("job").attempts, 0);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn a_pdf_the_printer_cannot_print_fails_and_is_not_retried() {
    let (dir, cups, uri) = cups_with_queue();
    let spool = spool_in(dir.path());
    let id = spool
        .enqueue("receipt", None, &uri, b"%PDF-1.4\nthis is not really a PDF\n")
        .expect("enqueue");
    let job = spool.process(id).expect("process");
    assert_eq!(job.state, SpoolState::Failed, "{job:?}\n{}", cups.diagnostics());
    assert_eq!(error_id(&job), Some("print-error-document-refused"));
    assert!(job.last_error.as_ref().is_some_and(|e| !e.retryable));
    let ipp_job = job.ipp_job_id.expect("the printer had taken it");
    // The stopped job was canceled at the printer, so nobody restarts it by mistake.
    let at_printer = ipp_client::jobs(&uri).expect("jobs");
    assert!(
        at_printer.iter().any(|j| j.id == ipp_job && j.state == JobState::Canceled),
        "{at_printer:?}"
    );
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.printer().prints.get(), 1);
    assert_eq!(completed_at_printer(&uri, id), 0);
}

#[test]
fn an_enqueued_job_survives_reopening_the_spool() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spool.db");
    let pdf = tiny_pdf("R-6");
    let id = {
        let spool = Spool::open(&path).expect("spool");
        spool.enqueue("receipt", None, "ipp://127.0.0.1:9/printers/front", &pdf).expect("enqueue")
    };
    let spool = Spool::open(&path).expect("spool reopens");
    let jobs = spool.list(JobFilter::Open).expect("list");
    assert_eq!(jobs.iter().map(|j| j.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(jobs[0].state, SpoolState::Waiting);
    assert_eq!(spool.pdf(id).expect("pdf").as_deref(), Some(pdf.as_slice()));
    let conn = rusqlite::Connection::open(&path).expect("db");
    let mode: String =
        conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("journal mode");
    assert_eq!(mode, "wal");

    assert!(matches!(
        spool.enqueue("receipt", None, "ipp://127.0.0.1:9/printers/front", b"hello"),
        Err(SpoolError::NotPdf)
    ));
    assert!(matches!(
        spool.enqueue("receipt", None, "lpt1", &pdf),
        Err(SpoolError::Printer(PrintError::BadUri { .. }))
    ));
    let unknown = JobId(ulid::Ulid::nil());
    assert!(matches!(spool.get(unknown), Err(SpoolError::NoSuchJob(_))));
}

/// What `find_job` answers.
type Found = Result<Option<(i32, JobState)>, PrintError>;

/// A printer whose answers the test scripts, to reach the orderings a real cupsd does not
/// produce on demand.
#[derive(Debug, Default)]
struct Scripted {
    prints: RefCell<Vec<Result<JobOutcome, PrintFailure>>>,
    finds: RefCell<Vec<Found>>,
    sent: RefCell<Vec<String>>,
}

impl Printer for Scripted {
    fn print(&self, _: &str, job_name: &str, _: &[u8]) -> Result<JobOutcome, PrintFailure> {
        self.sent.borrow_mut().push(job_name.to_owned());
        self.prints.borrow_mut().remove(0)
    }

    fn find_job(&self, _: &str, _: &str) -> Found {
        self.finds.borrow_mut().remove(0)
    }

    fn max_call(&self) -> Duration {
        Duration::from_secs(1)
    }
}

const FAKE: &str = "ipp://printer.invalid/printers/front";

/// A Print-Job that timed out after the request went out: perhaps at the printer.
fn timeout() -> PrintFailure {
    PrintFailure::of_print_job(PrintError::Timeout { printer: FAKE.into() })
}

/// The printer could not be reached: it certainly has nothing.
fn unreachable() -> PrintFailure {
    PrintFailure::not_sent(PrintError::Unreachable {
        printer: FAKE.into(),
        detail: "connection refused".into(),
    })
}

/// A clock the test moves by hand, shared with the spool.
#[derive(Debug, Clone)]
struct TestClock(Arc<AtomicI64>);

impl TestClock {
    fn new() -> TestClock {
        // A whole second: the spool keeps times to the second.
        TestClock(Arc::new(AtomicI64::new(OffsetDateTime::now_utc().unix_timestamp())))
    }

    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.0.load(Ordering::SeqCst)).expect("a time")
    }

    fn advance(&self, by: Duration) {
        self.0.fetch_add(i64::try_from(by.as_secs()).expect("seconds"), Ordering::SeqCst);
    }

    fn for_spool(&self) -> impl Fn() -> OffsetDateTime + Send + 'static {
        let clock = self.clone();
        move || clock.now()
    }
}

fn scripted_spool(dir: &Path, clock: &TestClock) -> Spool<Scripted> {
    Spool::open_with(&dir.join("spool.db"), Scripted::default())
        .expect("spool")
        .with_clock(clock.for_spool())
}

#[test]
fn a_timeout_after_sending_asks_the_printer_before_sending_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = scripted_spool(dir.path(), &clock);
    spool.printer().prints.borrow_mut().extend([Err(timeout()), Err(timeout())]);
    let adopted = spool.enqueue("receipt", None, FAKE, &tiny_pdf("a")).expect("enqueue");
    let resent = spool.enqueue("receipt", None, FAKE, &tiny_pdf("b")).expect("enqueue");

    // Both time out after sending: perhaps at the printer.
    for id in [adopted, resent] {
        let job = spool.process(id).expect("process");
        assert_eq!((job.state, job.ipp_job_id), (SpoolState::Sending, None));
        assert_eq!(error_id(&job), Some("print-error-timeout"));
    }
    // Not asked again before the backoff is over.
    assert!(spool.process_all().expect("process_all").is_empty());
    clock.advance(spool::FIRST_BACKOFF);
    // The printer has the first (adopted, not sent again), not the second (sent once more).
    spool.printer().finds.borrow_mut().extend([Ok(Some((17, JobState::Completed))), Ok(None)]);
    spool.printer().prints.borrow_mut().push(Ok(JobOutcome::Completed { job_id: 18 }));
    let done = spool.process_all().expect("process_all");
    assert_eq!(
        done.iter().map(|j| (j.state, j.ipp_job_id)).collect::<Vec<_>>(),
        vec![(SpoolState::Printed, Some(17)), (SpoolState::Printed, Some(18)),]
    );
    assert_eq!(
        *spool.printer().sent.borrow(),
        vec![adopted.job_name(), resent.job_name(), resent.job_name()]
    );
}

#[test]
fn a_retried_job_never_adopts_the_printer_job_it_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let printer = Scripted::default();
    printer.prints.borrow_mut().push(Err(PrintFailure::of_print_job(PrintError::Aborted {
        printer: FAKE.into(),
        job_id: 5,
        detail: "jam".into(),
    })));
    let spool = Spool::open_with(&dir.path().join("spool.db"), printer).expect("spool");
    let id = spool.enqueue("receipt", None, FAKE, &tiny_pdf("c")).expect("enqueue");
    let job = spool.process(id).expect("process");
    assert_eq!((job.state, job.ipp_job_id), (SpoolState::Failed, Some(5)));
    assert_eq!(error_id(&job), Some("print-error-aborted"));

    spool.retry(id).expect("retry");
    spool.printer().prints.borrow_mut().push(Err(timeout()));
    assert_eq!(spool.process(id).expect("process").state, SpoolState::Sending);
    // The printer lists only the old, aborted job under this name: the new one never arrived.
    spool.printer().finds.borrow_mut().push(Ok(Some((5, JobState::Aborted))));
    spool.printer().prints.borrow_mut().push(Ok(JobOutcome::Completed { job_id: 9 }));
    let job = spool.process(id).expect("process");
    assert_eq!((job.state, job.ipp_job_id, job.attempts), (SpoolState::Printed, Some(9), 3));
}

#[test]
fn a_job_the_printer_forgot_fails_for_a_person_to_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let printer = Scripted::default();
    printer.prints.borrow_mut().push(Ok(JobOutcome::Pending { job_id: 3 }));
    let spool = Spool::open_with(&dir.path().join("spool.db"), printer).expect("spool");
    let id = spool.enqueue("receipt", None, FAKE, &tiny_pdf("d")).expect("enqueue");
    let job = spool.process(id).expect("process");
    assert_eq!((job.state, job.ipp_job_id), (SpoolState::Sending, Some(3)));

    spool.printer().finds.borrow_mut().push(Ok(None));
    let job = spool.process(id).expect("process");
    assert_eq!(job.state, SpoolState::Failed);
    assert_eq!(error_id(&job), Some("print-error-job-lost"));
    assert_eq!(spool.printer().sent.borrow().len(), 1, "not sent again on a guess");
}

/// `id = text` lines of a Fluent file, with the `$placeables` each uses.
fn fluent_messages(path: &Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut messages = std::collections::BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (id, value) =
            line.split_once(" = ").unwrap_or_else(|| panic!("not `id = text`: {line}"));
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "id {id:?}"
        );
        let mut placeables: Vec<String> = value
            .split("{ $")
            .skip(1)
            .filter_map(|rest| rest.split_once(" }").map(|(name, _)| name.to_owned()))
            .collect();
        placeables.sort();
        placeables.dedup();
        assert!(messages.insert(id.to_owned(), placeables).is_none(), "{id} twice");
    }
    messages
}

#[test]
fn every_printing_message_exists_in_every_language_with_the_same_placeables() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("../i18n/locales");
    let english = fluent_messages(&locales.join("en/printing.ftl"));
    let states = SpoolState::ALL.map(SpoolState::message_id);
    let needed = PrintError::ALL_MESSAGE_IDS
        .iter()
        .chain(SpoolError::ALL_MESSAGE_IDS)
        .chain(printers::named_file::FileError::ALL_MESSAGE_IDS)
        .chain(OTHER_MESSAGE_IDS)
        .chain(&states);
    for id in needed {
        assert!(english.contains_key(*id), "English lacks {id}");
    }
    for lang in ["zh-Hant", "zh-Hans", "pt"] {
        let messages = fluent_messages(&locales.join(lang).join("printing.ftl"));
        assert_eq!(
            messages.keys().collect::<Vec<_>>(),
            english.keys().collect::<Vec<_>>(),
            "{lang} has other ids"
        );
        for (id, placeables) in &messages {
            assert_eq!(Some(placeables), english.get(id), "{lang} {id} placeables");
        }
    }
    // The i18n crate parses every one of them (a Fluent syntax error would drop the message to
    // the English fallback, or to its id) ...
    for (id, placeables) in &english {
        let args: Vec<(&str, i18n::FluentValue<'_>)> =
            placeables.iter().map(|p| (p.as_str(), "x".into())).collect();
        let en = i18n::text_with(i18n::Language::En, id, &args);
        assert_ne!(&en, id, "en {id} does not resolve");
        for lang in [i18n::Language::ZhHant, i18n::Language::ZhHans, i18n::Language::Pt] {
            assert_ne!(i18n::text_with(lang, id, &args), en, "{lang} {id} falls back to English");
        }
    }
    // ... and fills in the arguments.
    for lang in i18n::Language::ALL {
        let error = PrintError::Stopped {
            printer: "ipp://p/printers/front".into(),
            reasons: vec!["paused".into()],
        };
        let args: Vec<(&str, i18n::FluentValue<'_>)> =
            error.message_args().into_iter().map(|(k, v)| (k, v.into())).collect();
        let text = i18n::text_with(lang, error.message_id(), &args);
        assert!(
            text.contains("ipp://p/printers/front") && text.contains("paused"),
            "{lang}: {text}"
        );
    }
}

#[test]
fn the_backoff_doubles_from_thirty_seconds_to_a_quarter_hour() {
    let waits: Vec<u64> = (1..=8).map(|n| spool::backoff(n).as_secs()).collect();
    assert_eq!(waits, vec![30, 60, 120, 240, 480, 900, 900, 900]);
    assert_eq!(spool::backoff(u32::MAX), spool::MAX_BACKOFF);
}

#[test]
fn a_printer_whose_name_does_not_resolve_keeps_the_job_waiting_and_retries_with_backoff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = spool_in(dir.path()).with_clock(clock.for_spool());
    // RFC 6761: .invalid never resolves.
    let printer = "http://example.invalid/";
    let id = spool.enqueue("personal_form", None, printer, &tiny_pdf("F-1")).expect("enqueue");

    let job = spool.process(id).expect("process");
    // The printer certainly does not have it: waiting, never "sending".
    assert_eq!(job.state, SpoolState::Waiting, "{job:?}");
    assert_eq!(error_id(&job), Some("print-error-unreachable"));
    assert_eq!(job.next_attempt_at, Some(clock.now() + spool::FIRST_BACKOFF));

    // Before the next try is due, rounds leave it alone; then it is tried, and waits longer.
    clock.advance(spool::FIRST_BACKOFF - Duration::from_secs(1));
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.printer().prints.get(), 1);
    clock.advance(Duration::from_secs(1));
    let done = spool.process_all().expect("process_all");
    assert_eq!(done.len(), 1);
    assert_eq!(spool.printer().prints.get(), 2);
    assert_eq!(done[0].state, SpoolState::Waiting);
    assert_eq!(done[0].next_attempt_at, Some(clock.now() + spool::backoff(2)));
}

#[test]
fn a_printer_that_drops_the_connection_before_print_job_does_not_have_the_job() {
    // Accepts every connection and closes it at once: the question about the printer's state,
    // which comes before Print-Job, breaks off. Print-Job was never sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for connection in listener.incoming() {
            drop(connection);
        }
    });
    let printer = format!("ipp://127.0.0.1:{port}/printers/front");
    let failure =
        ipp_client::print_pdf(&printer, "kiosk-x", &tiny_pdf("x"), Duration::from_secs(5))
            .expect_err("no printer there");
    assert_eq!(failure.delivery, Delivery::NotSent, "{failure:?}");

    let dir = tempfile::tempdir().expect("temp dir");
    let spool = spool_in(dir.path());
    let id = spool.enqueue("receipt", None, &printer, &tiny_pdf("R-9")).expect("enqueue");
    let job = spool.process(id).expect("process");
    assert_eq!(job.state, SpoolState::Waiting, "{job:?}");
    assert!(job.next_attempt_at.is_some());
}

#[test]
fn a_print_command_sends_the_earlier_jobs_of_its_printer_first_whatever_their_backoff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = scripted_spool(dir.path(), &clock);
    let other = "ipp://other.invalid/printers/back";
    spool.printer().prints.borrow_mut().extend([Err(unreachable()), Err(unreachable())]);
    let here = spool.enqueue("receipt", None, FAKE, &tiny_pdf("a")).expect("enqueue");
    let there = spool.enqueue("receipt", None, other, &tiny_pdf("b")).expect("enqueue");
    spool.process(here).expect("process");
    spool.process(there).expect("process");

    spool.printer().prints.borrow_mut().push(Ok(JobOutcome::Completed { job_id: 1 }));
    let done = spool.process_all_before(FAKE).expect("process_all_before");
    assert_eq!(
        done.iter().map(|j| (j.id, j.state)).collect::<Vec<_>>(),
        vec![(here, SpoolState::Printed)]
    );
    assert_eq!(spool.get(there).expect("job").state, SpoolState::Waiting, "still backing off");
}

#[test]
fn a_later_job_never_overtakes_an_earlier_one_backing_off_for_the_same_printer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = scripted_spool(dir.path(), &clock);
    spool.printer().prints.borrow_mut().push(Err(unreachable()));
    let first = spool.enqueue("personal_form", None, FAKE, &tiny_pdf("1")).expect("enqueue");
    spool.process(first).expect("process");
    let second = spool.enqueue("receipt", None, FAKE, &tiny_pdf("2")).expect("enqueue");

    // The first is backing off: a round sends neither, though the second was never tried.
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.get(second).expect("job").attempts, 0);

    // Once the first is due, both go, in the order they came.
    clock.advance(spool::FIRST_BACKOFF);
    spool
        .printer()
        .prints
        .borrow_mut()
        .extend([Ok(JobOutcome::Completed { job_id: 1 }), Ok(JobOutcome::Completed { job_id: 2 })]);
    let done = spool.process_all().expect("process_all");
    assert_eq!(
        done.iter().map(|j| (j.id, j.state)).collect::<Vec<_>>(),
        vec![(first, SpoolState::Printed), (second, SpoolState::Printed)]
    );
}

#[test]
fn a_supervisor_cancels_an_open_job_and_its_pdf_is_erased_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = scripted_spool(dir.path(), &clock);
    let supervisor = ulid::Ulid::new();
    let secret = "Holder A123456(7) phone 28123456";
    let waiting = spool.enqueue("personal_form", None, FAKE, &tiny_pdf(secret)).expect("enqueue");
    let unsure = spool.enqueue("personal_form", None, FAKE, &tiny_pdf("u")).expect("enqueue");
    let printed = spool.enqueue("receipt", None, FAKE, &tiny_pdf("p")).expect("enqueue");
    spool.printer().prints.borrow_mut().extend([
        Err(unreachable()),
        Err(timeout()),
        Ok(JobOutcome::Completed { job_id: 4 }),
    ]);
    for id in [waiting, unsure, printed] {
        spool.process(id).expect("process");
    }
    let in_files = |text: &str| {
        ["spool.db", "spool.db-wal"].iter().any(|name| {
            std::fs::read(dir.path().join(name))
                .is_ok_and(|bytes| bytes.windows(text.len()).any(|w| w == text.as_bytes()))
        })
    };
    assert!(in_files(secret));

    let cancelled = spool.cancel(waiting, supervisor).expect("cancel");
    assert_eq!(cancelled.job.state, SpoolState::Cancelled);
    assert_eq!(cancelled.job.cancelled_by, Some(supervisor));
    assert_eq!(cancelled.job.next_attempt_at, None);
    assert!(!cancelled.maybe_at_printer);
    assert_eq!(spool.pdf(waiting).expect("pdf"), None);
    // Erased from the file and its log while the spool is still open.
    assert!(!in_files(secret), "the PDF's bytes are still in the spool's files");

    // A job perhaps at the printer is cancelled here, and the supervisor is told.
    assert!(spool.cancel(unsure, supervisor).expect("cancel").maybe_at_printer);
    assert!(matches!(
        spool.cancel(printed, supervisor),
        Err(SpoolError::NotOpen { state: SpoolState::Printed, .. })
    ));
    assert!(matches!(
        spool.cancel(waiting, supervisor),
        Err(SpoolError::NotOpen { state: SpoolState::Cancelled, .. })
    ));
    assert!(matches!(spool.retry(waiting), Err(SpoolError::NotFailed { .. })));
    clock.advance(spool::MAX_BACKOFF);
    assert!(spool.process_all().expect("process_all").is_empty(), "cancelled jobs stay put");
    assert_eq!(spool.printer().sent.borrow().len(), 3);
}

#[test]
fn a_job_being_sent_by_another_process_cannot_be_cancelled_until_that_try_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spool = Spool::open_with(&dir.path().join("spool.db"), Scripted::default()).expect("spool");
    let pdf = tiny_pdf("l");
    let id = spool.enqueue("receipt", None, FAKE, &pdf).expect("enqueue");
    let lease = OffsetDateTime::now_utc() + Duration::from_secs(600);
    crash_while_sending(&dir.path().join("spool.db"), id, &pdf, lease);
    let supervisor = ulid::Ulid::new();
    assert!(matches!(spool.cancel(id, supervisor), Err(SpoolError::Busy { .. })));
    assert_eq!(spool.pdf(id).expect("pdf").as_deref(), Some(pdf.as_slice()));
}

#[test]
fn jobs_never_printed_are_given_up_after_a_week_and_finished_ones_forgotten_after_ninety_days() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = scripted_spool(dir.path(), &clock);
    let secret = "Holder M1234567(8) phone 66123456";
    let stuck = spool.enqueue("personal_form", None, FAKE, &tiny_pdf(secret)).expect("enqueue");
    let printed = spool.enqueue("receipt", None, FAKE, &tiny_pdf("r")).expect("enqueue");
    spool
        .printer()
        .prints
        .borrow_mut()
        .extend([Err(unreachable()), Ok(JobOutcome::Completed { job_id: 2 })]);
    spool.process(stuck).expect("process");
    spool.process(printed).expect("process");

    clock.advance(spool::GIVE_UP_AFTER - Duration::from_secs(1));
    assert_eq!(spool.enforce_retention().expect("retention"), spool::Retention::default());
    assert_eq!(spool.get(stuck).expect("job").state, SpoolState::Waiting);

    clock.advance(Duration::from_secs(2));
    let retention = spool.enforce_retention().expect("retention");
    assert_eq!((retention.expired, retention.forgotten), (1, 0));
    let job = spool.get(stuck).expect("job");
    assert_eq!(job.state, SpoolState::Expired);
    assert_eq!(job.next_attempt_at, None);
    assert_eq!(error_id(&job), Some("print-error-unreachable"), "why it never printed");
    assert_eq!(spool.pdf(stuck).expect("pdf"), None);
    let found = ["spool.db", "spool.db-wal"].iter().any(|name| {
        std::fs::read(dir.path().join(name))
            .is_ok_and(|bytes| bytes.windows(secret.len()).any(|w| w == secret.as_bytes()))
    });
    assert!(!found, "an expired job's PDF is still in the spool's files");
    // Every queue run applies the rules too, and never sends an expired job.
    assert!(spool.process_all().expect("process_all").is_empty());
    assert_eq!(spool.printer().sent.borrow().len(), 2);

    // The printed job finished at the start, the expired one a week later: each record is
    // kept ninety days from its own end.
    clock.advance(spool::KEEP_FINISHED - spool::GIVE_UP_AFTER);
    let retention = spool.enforce_retention().expect("retention");
    assert_eq!((retention.expired, retention.forgotten), (0, 1));
    assert!(matches!(spool.get(printed), Err(SpoolError::NoSuchJob(_))));
    assert_eq!(spool.get(stuck).expect("kept").state, SpoolState::Expired);
    clock.advance(spool::GIVE_UP_AFTER);
    assert_eq!(spool.enforce_retention().expect("retention").forgotten, 0, "not yet");
    clock.advance(Duration::from_secs(1));
    assert_eq!(spool.enforce_retention().expect("retention").forgotten, 1);
    assert!(spool.list(JobFilter::All).expect("list").is_empty());
}

#[test]
fn counts_say_how_many_jobs_are_in_each_state_and_since_when_the_oldest_waits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = scripted_spool(dir.path(), &clock);
    assert_eq!(spool.counts().expect("counts"), SpoolCounts::default());
    let queued_at = clock.now();
    let a = spool.enqueue("receipt", None, FAKE, &tiny_pdf("a")).expect("enqueue");
    clock.advance(Duration::from_secs(60));
    let b = spool.enqueue("receipt", None, FAKE, &tiny_pdf("b")).expect("enqueue");
    let c = spool.enqueue("receipt", None, FAKE, &tiny_pdf("c")).expect("enqueue");
    spool.printer().prints.borrow_mut().extend([
        Err(unreachable()),
        Err(timeout()),
        Ok(JobOutcome::Completed { job_id: 3 }),
    ]);
    for id in [a, b, c] {
        spool.process(id).expect("process");
    }
    let counts = spool.counts().expect("counts");
    assert_eq!(
        (counts.waiting, counts.sending, counts.printed, counts.failed, counts.cancelled),
        (1, 1, 1, 0, 0)
    );
    assert_eq!(counts.oldest_open, Some(queued_at));
}

/// The spool's schema as first shipped (user_version 1), copied here as the files in the field
/// were made by it: an upgrade must take them as they are.
const SCHEMA_AS_SHIPPED: &str = "
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

#[test]
fn a_spool_made_by_the_first_schema_is_upgraded_with_its_jobs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spool.db");
    let now = OffsetDateTime::now_utc();
    let stamp = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339).expect("rfc 3339")
    };
    let pdf = tiny_pdf("old");
    // Two jobs as the first version left them, the newer one inserted first by id order.
    let (older, newer) = (ulid::Ulid::new(), ulid::Ulid::new());
    {
        let conn = rusqlite::Connection::open(&path).expect("db");
        conn.execute_batch(SCHEMA_AS_SHIPPED).expect("old schema");
        conn.execute(
            "INSERT INTO print_jobs (id, kind, printer, pdf, state, attempts, last_error_id,
                 last_error_args, last_error_detail, last_error_retryable, created, updated)
             VALUES (?1, 'personal_form', ?2, ?3, 'waiting', 1, 'print-error-stopped',
                 '{\"printer\":\"p\",\"reasons\":\"paused\"}', 'stopped', 1, ?4, ?4)",
            rusqlite::params![newer.to_string(), FAKE, pdf, stamp(now)],
        )
        .expect("a waiting job");
        conn.execute(
            "INSERT INTO print_jobs (id, kind, printer, pdf, state, attempts, ipp_job_id, created,
                 updated)
             VALUES (?1, 'receipt', ?2, NULL, 'printed', 1, 12, ?3, ?3)",
            rusqlite::params![older.to_string(), FAKE, stamp(now)],
        )
        .expect("a printed job");
    }

    let spool = Spool::open_with(&path, Scripted::default()).expect("the old spool opens");
    let jobs = spool.list(JobFilter::All).expect("list");
    assert_eq!(
        jobs.iter().map(|j| (j.id.0, j.state)).collect::<Vec<_>>(),
        vec![(newer, SpoolState::Waiting), (older, SpoolState::Printed)],
        "the same jobs in the same order"
    );
    assert_eq!(error_id(&jobs[0]), Some("print-error-stopped"));
    assert_eq!(jobs[1].ipp_job_id, Some(12));
    assert_eq!(spool.pdf(JobId(newer)).expect("pdf").as_deref(), Some(pdf.as_slice()));
    // The new states fit the rebuilt table.
    let cancelled = spool.cancel(JobId(newer), ulid::Ulid::new()).expect("cancel");
    assert_eq!(cancelled.job.state, SpoolState::Cancelled);
    drop(spool);

    let conn = rusqlite::Connection::open(&path).expect("db");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, 2);
    // A file from a newer kiosk is refused, not guessed at.
    conn.pragma_update(None, "user_version", 3).expect("newer");
    drop(conn);
    assert!(matches!(
        Spool::open_with(&path, Scripted::default()),
        Err(SpoolError::Newer { found: 3, known: 2, .. })
    ));
}

#[test]
fn asked_to_go_now_the_queue_sends_every_open_job_whatever_its_backoff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = TestClock::new();
    let spool = scripted_spool(dir.path(), &clock);
    spool.printer().prints.borrow_mut().push(Err(unreachable()));
    let id = spool.enqueue("receipt", None, FAKE, &tiny_pdf("n")).expect("enqueue");
    spool.process(id).expect("process");
    assert!(spool.process_all().expect("process_all").is_empty(), "backing off");
    spool.printer().prints.borrow_mut().push(Ok(JobOutcome::Completed { job_id: 8 }));
    let done = spool.process_all_now().expect("process_all_now");
    assert_eq!(done.iter().map(|j| j.state).collect::<Vec<_>>(), vec![SpoolState::Printed]);
}
