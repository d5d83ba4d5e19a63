//! The print spool against a real, private cupsd (one per test, each on its own port): a job
//! comes out once; a printer that is off, refusing, missing or unreachable keeps the job (or
//! fails it) with a clear message; a crash after the printer accepted a job never prints it
//! twice; an enqueued job survives a reopen. A fake printer covers the orderings cupsd cannot be
//! made to produce on demand.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use printers::cups::Cups;
use printers::ipp_client::{self, JobOutcome, JobState, PrintError, PrinterStatus};
use printers::spool::{
    IppPrinter, JobFilter, JobId, JobSummary, OTHER_MESSAGE_IDS, Printer, Spool, SpoolError,
    SpoolState,
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
    fn print(&self, printer: &str, job_name: &str, pdf: &[u8]) -> Result<JobOutcome, PrintError> {
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

/// Runs `process_all` until the job has printed (cupsd finishes held jobs in its own time).
fn process_until_printed<P: Printer>(spool: &Spool<P>, id: JobId) -> JobSummary {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        spool.process_all().expect("process_all");
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
        spool.process_all().expect("process_all");
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
    let error = ipp_client::print_pdf(&uri, "kiosk-x", &tiny_pdf("x"), Duration::from_secs(5))
        .expect_err("nothing answers");
    assert!(matches!(error, PrintError::Unreachable { .. }), "{error:?}");

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
    prints: RefCell<Vec<Result<JobOutcome, PrintError>>>,
    finds: RefCell<Vec<Found>>,
    sent: RefCell<Vec<String>>,
}

impl Printer for Scripted {
    fn print(&self, _: &str, job_name: &str, _: &[u8]) -> Result<JobOutcome, PrintError> {
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

fn timeout() -> PrintError {
    PrintError::Timeout { printer: FAKE.into() }
}

#[test]
fn a_timeout_after_sending_asks_the_printer_before_sending_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let printer = Scripted::default();
    printer.prints.borrow_mut().extend([Err(timeout()), Err(timeout())]);
    let spool = Spool::open_with(&dir.path().join("spool.db"), printer).expect("spool");
    let adopted = spool.enqueue("receipt", None, FAKE, &tiny_pdf("a")).expect("enqueue");
    let resent = spool.enqueue("receipt", None, FAKE, &tiny_pdf("b")).expect("enqueue");

    // Both time out after sending: perhaps at the printer.
    for id in [adopted, resent] {
        let job = spool.process(id).expect("process");
        assert_eq!((job.state, job.ipp_job_id), (SpoolState::Sending, None));
        assert_eq!(error_id(&job), Some("print-error-timeout"));
    }
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
    printer.prints.borrow_mut().push(Err(PrintError::Aborted {
        printer: FAKE.into(),
        job_id: 5,
        detail: "jam".into(),
    }));
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
