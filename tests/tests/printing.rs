//! `kiosk print …` end to end: the real binary renders forms and sends them over IPP to a
//! private CUPS whose queue writes each job's PDF to a file, read back with poppler and zbar.

use std::path::Path;
use std::process::{Command, Output};

use printers::cups::Cups;
use printers::formcode::FormCode;
use serde_json::Value;
use tests::{kiosk, stderr, stdout};

struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new() -> Office {
        let office = Office { dir: tempfile::tempdir().expect("tempdir") };
        let out = office.kiosk(&["demo", "init"]);
        assert!(out.status.success(), "{}", stderr(&out));
        office
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    fn kiosk(&self, args: &[&str]) -> Output {
        self.kiosk_in("zh-Hant", args)
    }

    fn kiosk_in(&self, language: &str, args: &[&str]) -> Output {
        kiosk(&self.data()).env("KIOSK_LANGUAGE", language).args(args).output().expect("kiosk runs")
    }

    /// The demo office's clerks: (id, username, role).
    fn clerks(&self) -> Vec<(String, String, String)> {
        let out = self.kiosk(&["export", "--format", "jsonl"]);
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("json"))
            .filter(|r| r["kind"] == "clerk")
            .map(|r| {
                let text = |k: &str| r[k].as_str().expect("text").to_owned();
                (text("id"), text("username"), text("role"))
            })
            .collect()
    }

    fn queue(&self) -> Vec<Value> {
        let out = self.kiosk(&["print", "queue", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("json")).collect()
    }

    /// An organisation's application, and its organisation's and its agent's Chinese names.
    fn organisation_application(&self) -> (String, String, String) {
        let out = self.kiosk(&["export", "--format", "jsonl"]);
        let records: Vec<Value> =
            stdout(&out).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
        let by_id = |id: &Value| records.iter().find(|r| r["id"] == *id).cloned().expect("record");
        // One whose agent has a Chinese name: the form must carry it as text.
        let (app, agent) = records
            .iter()
            .filter(|r| r["kind"] == "application" && !r["organisation"].is_null())
            .filter_map(|app| {
                let agent = records.iter().find(|r| r["id"] == app["agent"])?;
                agent["name_zh"].as_str().map(|name| (app, name.to_owned()))
            })
            .next()
            .expect("an organisation's application with an agent named in Chinese");
        let org = by_id(&app["organisation"]);
        (
            app["id"].as_str().expect("id").to_owned(),
            org["name_zh"].as_str().expect("name").to_owned(),
            agent,
        )
    }
}

fn tool(program: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (install it with scripts/deps.sh test): {e}"))
}

#[test]
fn a_form_printed_through_cups_holds_the_names_embedded_subsets_and_its_code() {
    let office = Office::new();
    let cups = Cups::start(&office.dir.path().join("cups")).expect("cupsd");
    let uri = cups.add_pdf_queue("counter").expect("queue");
    let (application, organisation, agent) = office.organisation_application();

    let out = office.kiosk(&["print", "form", "--application", &application, "--printer", &uri]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let printed = cups.outputs("counter").expect("outputs");
    assert_eq!(printed.len(), 1, "one job came out");
    let pdf = &printed[0];
    let dir = office.dir.path();

    let text = tool("pdftotext", &["-layout", pdf.to_str().expect("utf-8"), "-"], dir);
    let text = stdout(&text);
    assert!(text.contains(&organisation), "the organisation's Chinese name: {text}");
    assert!(text.contains(&agent), "the applicant's (agent's) Chinese name: {text}");
    assert!(text.contains("電子證書申請表"), "the heading: {text}");
    assert!(text.contains("Formulário de pedido de certificado digital"), "Portuguese beneath");

    let fonts = stdout(&tool("pdffonts", &[pdf.to_str().expect("utf-8")], dir));
    let rows: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "embedded subset: {row}");
        assert!(cols[0].contains('+'), "subset tag: {row}");
    }

    let png_base = dir.join("page");
    let render = tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().expect("utf-8"),
            png_base.to_str().expect("utf-8"),
        ],
        dir,
    );
    assert!(render.status.success(), "{}", stderr(&render));
    let png = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("page image");
    let payloads = card_readers::qr::decode_file(&png).expect("decode");
    assert_eq!(payloads.len(), 1, "one code on the form");
    // The kiosk made the office key where the README says, when it printed the form.
    let key = std::fs::read(office.data().join("keys").join("form.key")).expect("office key");
    let text = String::from_utf8(payloads[0].clone()).expect("utf-8");
    let code = FormCode::parse(&text, &key).expect("the code is the office's");
    assert_eq!(code.application.to_string(), application);
    // A code altered by one character is refused.
    let altered = text.replacen(&application[..3], "01Z", 1);
    assert!(FormCode::parse(&altered, &key).is_err());
}

#[test]
fn with_the_printer_stopped_the_job_waits_and_prints_exactly_once_when_it_starts() {
    let office = Office::new();
    let cups = Cups::start(&office.dir.path().join("cups")).expect("cupsd");
    let uri = cups.add_pdf_queue("counter").expect("queue");
    let (application, _, _) = office.organisation_application();
    cups.stop_queue("counter").expect("printer stopped");

    let out = office.kiosk(&["print", "form", "--application", &application, "--printer", &uri]);
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("列印佇列"), "the clerk is told the job waits: {}", stderr(&out));
    let queue = office.kiosk(&["print", "queue", "--json"]);
    let jobs: Vec<Value> =
        stdout(&queue).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0]["state"], "waiting");
    assert!(cups.outputs("counter").expect("outputs").is_empty());

    // The job tries again after its backoff; the clerk who has just put the printer right
    // sends it now.
    assert!(jobs[0]["next_attempt_at"].is_string(), "{jobs:?}");
    cups.start_queue("counter").expect("printer started again");
    let queue = office.kiosk(&["print", "queue", "--now", "--json"]);
    assert!(queue.status.success(), "{}", stderr(&queue));
    let jobs: Vec<Value> =
        stdout(&queue).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(jobs[0]["state"], "printed", "{jobs:?}");
    assert_eq!(cups.outputs("counter").expect("outputs").len(), 1);
    // Asking again, or printing something else, never sends it a second time.
    office.kiosk(&["print", "queue"]);
    let out = office.kiosk(&["print", "test", "--printer", &uri]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        cups.outputs("counter").expect("outputs").len(),
        2,
        "the form once, the test page once"
    );
}

#[test]
fn a_missing_printer_or_application_gets_a_clear_answer() {
    let office = Office::new();
    let cups = Cups::start(&office.dir.path().join("cups")).expect("cupsd");
    let (application, _, _) = office.organisation_application();
    let missing = cups.queue_uri("nowhere");
    let out =
        office.kiosk(&["print", "form", "--application", &application, "--printer", &missing]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).trim().is_empty());
    let out = office.kiosk(&[
        "print",
        "form",
        "--application",
        "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "--to-file",
        "x.pdf",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("沒有此編號的申請"), "{}", stderr(&out));
}

#[test]
fn a_paid_application_prints_its_receipt_and_an_unpaid_one_is_refused() {
    let office = Office::new();
    let out = office.kiosk(&["export", "--format", "jsonl"]);
    let records: Vec<Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let apps: Vec<&Value> = records.iter().filter(|r| r["kind"] == "application").collect();
    let paid =
        apps.iter().find(|a| !a["progress"]["payment"].is_null()).expect("a paid application");
    let unpaid = apps.iter().find(|a| a["progress"]["payment"].is_null()).expect("an unpaid one");
    let file = office.dir.path().join("receipt.pdf");
    let out = office.kiosk(&[
        "print",
        "receipt",
        "--application",
        paid["id"].as_str().expect("id"),
        "--to-file",
        file.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&tool(
        "pdftotext",
        &["-layout", file.to_str().expect("utf-8"), "-"],
        office.dir.path(),
    ));
    let reference = paid["progress"]["payment"]["reference"].as_str().expect("payment reference");
    assert!(text.contains(reference), "{text}");
    let out = office.kiosk(&[
        "print",
        "receipt",
        "--application",
        unpaid["id"].as_str().expect("id"),
        "--to-file",
        "x.pdf",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("尚未記錄付款"), "{}", stderr(&out));
}

/// A job's state, PDF and canceller as `spool.db` holds them.
fn spool_row(data: &Path, job: &str) -> (String, Option<Vec<u8>>, Option<String>) {
    let conn = rusqlite::Connection::open(data.join("spool.db")).expect("spool.db");
    conn.query_row("SELECT state, pdf, cancelled_by FROM print_jobs WHERE id = ?1", [job], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .expect("the job's row")
}

/// Every byte of the spool's files (the database and its write-ahead log).
fn spool_bytes(data: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for name in ["spool.db", "spool.db-wal"] {
        if let Ok(b) = std::fs::read(data.join(name)) {
            bytes.extend(b);
        }
    }
    bytes
}

#[test]
fn a_printer_that_cannot_be_found_keeps_the_job_waiting_and_a_supervisor_cancels_it() {
    let office = Office::new();
    let (application, _, _) = office.organisation_application();
    let unknown_host = "http://example.invalid/";

    let out = office.kiosk_in(
        "en",
        &["print", "form", "--application", &application, "--printer", unknown_host],
    );
    // Not "printed", not "the printer has it": the printer was never reached.
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).trim().is_empty(), "nothing claims the job printed: {}", stdout(&out));
    assert!(stderr(&out).contains("Next try at"), "the clerk is told when: {}", stderr(&out));
    let jobs = office.queue();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    let job = jobs[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(jobs[0]["state"], "waiting", "{jobs:?}");
    assert_eq!(jobs[0]["last_error"]["message_id"], "print-error-unreachable", "{jobs:?}");
    assert!(jobs[0]["next_attempt_at"].is_string(), "the backoff is on the job: {jobs:?}");
    // The queue does not hammer the printer before the next try is due.
    assert_eq!(jobs[0]["attempts"], 1, "{jobs:?}");
    let listing = stdout(&office.kiosk_in("en", &["print", "queue"]));
    assert!(listing.contains("cannot be reached"), "the queue says why: {listing}");

    let (state, pdf, _) = spool_row(&office.data(), &job);
    assert_eq!(state, "waiting");
    let pdf = pdf.expect("the PDF waits with the job");
    let sample = pdf[pdf.len() / 2..pdf.len() / 2 + 64].to_vec();
    let holds_pdf = |bytes: &[u8]| bytes.windows(sample.len()).any(|w| w == sample);
    assert!(holds_pdf(&spool_bytes(&office.data())));

    let clerks = office.clerks();
    let supervisor = clerks.iter().find(|c| c.2 == "supervisor").expect("a supervisor");
    let clerk = clerks.iter().find(|c| c.2 == "clerk").expect("a clerk");
    for who in [clerk.0.as_str(), clerk.1.as_str(), "01ARZ3NDEKTSV4RRFFQ69G5FAV"] {
        let out = office.kiosk_in("en", &["print", "cancel", &job, "--supervisor", who]);
        assert_eq!(out.status.code(), Some(1), "{who}: {}{}", stdout(&out), stderr(&out));
        assert_eq!(spool_row(&office.data(), &job).0, "waiting", "{who} cancelled it");
    }

    let out = office.kiosk_in("en", &["print", "cancel", &job, "--supervisor", &supervisor.1]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let (state, pdf, by) = spool_row(&office.data(), &job);
    assert_eq!((state.as_str(), pdf, by.as_deref()), ("cancelled", None, Some(&*supervisor.0)));
    assert!(!holds_pdf(&spool_bytes(&office.data())), "the PDF's bytes are gone from the files");
    let records = stdout(&office.kiosk(&["export", "--format", "jsonl"]));
    let audit = records
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json"))
        .find(|r| r["kind"] == "audit_event" && r["action"]["type"] == "print_job_cancelled")
        .expect("the cancellation is audited");
    assert_eq!(audit["clerk"], supervisor.0.as_str());
    assert_eq!(audit["action"]["job"], job.as_str());

    let again = office.kiosk_in("en", &["print", "cancel", &job, "--supervisor", &supervisor.0]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert_eq!(office.queue()[0]["state"], "cancelled");
}

#[test]
fn a_printer_address_that_is_not_one_is_named_in_the_error() {
    let office = Office::new();
    let (application, _, _) = office.organisation_application();
    let out = office.kiosk_in(
        "en",
        &["print", "form", "--application", &application, "--printer", "not a uri"],
    );
    assert_eq!(out.status.code(), Some(2), "a usage error: {}", stderr(&out));
    assert!(stderr(&out).contains("not a uri"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(" ? "), "{}", stderr(&out));
}

/// `print form --to-file PATH` in English.
fn to_file(office: &Office, application: &str, path: &Path) -> Output {
    office.kiosk_in(
        "en",
        &[
            "print",
            "form",
            "--application",
            application,
            "--to-file",
            path.to_str().expect("utf-8"),
        ],
    )
}

#[test]
fn to_file_into_a_missing_folder_names_the_path() {
    let office = Office::new();
    let (application, _, _) = office.organisation_application();
    let path = office.dir.path().join("no-such-folder").join("form.pdf");
    let out = to_file(&office, &application, &path);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&*office.dir.path().join("no-such-folder").to_string_lossy()),
        "{}",
        stderr(&out)
    );
}

#[test]
fn to_file_refuses_what_is_not_a_regular_file_and_keeps_read_only_files() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let office = Office::new();
    let (application, _, _) = office.organisation_application();
    let dir = office.dir.path();

    let fifo = dir.join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).expect("mkfifo");
    let device = dir.join("null-device");
    nix::sys::stat::mknod(
        &device,
        nix::sys::stat::SFlag::S_IFCHR,
        nix::sys::stat::Mode::from_bits_truncate(0o666),
        nix::sys::stat::makedev(1, 3),
    )
    .expect("mknod (the tests run as root)");
    let link = dir.join("link-to-device");
    std::os::unix::fs::symlink(&device, &link).expect("symlink");
    let read_only = dir.join("read-only.pdf");
    std::fs::write(&read_only, b"the signed copy").expect("write");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).expect("chmod");

    for path in [&fifo, &device, &link] {
        let out = to_file(&office, &application, path);
        assert_eq!(out.status.code(), Some(1), "{}: {}", path.display(), stderr(&out));
        assert!(stderr(&out).contains(&*path.to_string_lossy()), "{}", stderr(&out));
    }
    assert!(std::fs::symlink_metadata(&fifo).expect("fifo").file_type().is_fifo());
    assert!(std::fs::symlink_metadata(&device).expect("device").file_type().is_char_device());
    assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());

    // Root may write anything: the kiosk reads the mode bits itself.
    let out = to_file(&office, &application, &read_only);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(&*read_only.to_string_lossy()), "{}", stderr(&out));
    assert_eq!(std::fs::read(&read_only).expect("read"), b"the signed copy");
    let mode = std::fs::metadata(&read_only).expect("meta").permissions().mode() & 0o7777;
    assert_eq!(mode, 0o444);
}

#[test]
fn to_file_refuses_dev_null() {
    use std::os::unix::fs::FileTypeExt;
    let office = Office::new();
    let (application, _, _) = office.organisation_application();
    let out = to_file(&office, &application, Path::new("/dev/null"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("/dev/null"), "{}", stderr(&out));
    assert!(std::fs::metadata("/dev/null").expect("/dev/null").file_type().is_char_device());
}

#[test]
fn to_file_replaces_a_regular_file_whole_and_keeps_its_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let office = Office::new();
    let (application, _, _) = office.organisation_application();
    let path = office.dir.path().join("form.pdf");
    std::fs::write(&path, b"an older form").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let before = std::fs::metadata(&path).expect("meta").ino();

    let out = to_file(&office, &application, &path);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.starts_with(b"%PDF-") && bytes.len() > 1000, "a whole PDF");
    let meta = std::fs::metadata(&path).expect("meta");
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640, "its mode is kept");
    assert_ne!(meta.ino(), before, "replaced by a rename, never rewritten in place");
    let leftovers: Vec<_> = std::fs::read_dir(office.dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".part"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left: {leftovers:?}");
}

#[test]
fn a_supervisor_no_longer_active_cannot_cancel_a_job() {
    let office = Office::new();
    let (application, _, _) = office.organisation_application();
    let out = office.kiosk_in(
        "en",
        &["print", "form", "--application", &application, "--printer", "http://example.invalid/"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let job = office.queue()[0]["id"].as_str().expect("id").to_owned();
    let (supervisor, username, _) =
        office.clerks().into_iter().find(|c| c.2 == "supervisor").expect("a supervisor");
    {
        let mut store =
            store::Store::open(&office.data().join("kiosk.db"), store::StoreOptions::default())
                .expect("store");
        let id = supervisor.parse().expect("ulid");
        let mut clerk: registry::model::Clerk = store.get(id).expect("get").expect("the clerk");
        clerk.active = false;
        store.put(None, &clerk).expect("deactivated");
    }
    let out = office.kiosk_in("en", &["print", "cancel", &job, "--supervisor", &username]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no longer active"), "{}", stderr(&out));
    let (state, pdf, by) = spool_row(&office.data(), &job);
    assert_eq!((state.as_str(), pdf.is_some(), by), ("waiting", true, None));
}

#[test]
fn devices_shows_the_office_printer_and_the_spool() {
    let office = Office::new();
    let cups = Cups::start(&office.dir.path().join("cups")).expect("cupsd");
    let uri = cups.add_pdf_queue("counter").expect("queue");
    // No printer configured: said, with where to set one; the spool is shown all the same.
    let out = office.kiosk_in("en", &["devices"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("printer = \"ipp://…\""), "{text}");
    assert!(!text.contains("not configured yet"), "{text}");
    assert!(text.contains("Print queue — waiting: 0,"), "{text}");

    // The office's printer from kiosk.toml: its state, and a job waiting for it when stopped.
    std::fs::write(office.data().join("kiosk.toml"), format!("printer = \"{uri}\"\n"))
        .expect("kiosk.toml");
    let out = office.kiosk_in("en", &["devices", "--json"]);
    let json: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["printers"]["status"], "ok", "{json}");
    assert_eq!(json["printers"]["devices"][0]["status"], "idle", "{json}");
    assert_eq!(json["printers"]["devices"][0]["accepting_jobs"], true, "{json}");
    cups.stop_queue("counter").expect("printer stopped");
    // No --printer: the configured one is used.
    let out = office.kiosk(&["print", "test"]);
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let out = office.kiosk_in("en", &["devices"]);
    let text = stdout(&out);
    assert!(text.contains("stopped, paused"), "the state and why: {text}");
    assert!(text.contains("Print queue — waiting: 1,"), "{text}");
    assert!(text.contains("the oldest job not yet printed was queued at"), "{text}");

    // A printer that does not answer is said to be unavailable, with the reason.
    std::fs::write(
        office.data().join("kiosk.toml"),
        "printer = \"ipp://127.0.0.1:1/printers/x\"\n",
    )
    .expect("kiosk.toml");
    let out = office.kiosk_in("en", &["devices", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["printers"]["status"], "unavailable", "{json}");
    assert_eq!(json["spool"]["waiting"], 1, "{json}");
}

#[test]
fn a_printer_setting_that_is_not_an_address_is_refused() {
    let office = Office::new();
    std::fs::write(office.data().join("kiosk.toml"), "printer = \"ipp://user:secret@\"\n")
        .expect("kiosk.toml");
    let out = office.kiosk_in("en", &["devices"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    assert!(stderr(&out).contains("kiosk.toml: printer"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("secret"), "credentials are never shown: {}", stderr(&out));
}
