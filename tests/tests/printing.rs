//! `kiosk print …` end to end: the real binary renders forms and sends them over IPP to a
//! private CUPS whose queue writes each job's PDF to a file, read back with poppler and zbar.

use std::path::Path;
use std::process::{Command, Output};

use printers::cups::Cups;
use printers::formcode::{FormCode, load_or_create_key};
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
        kiosk(&self.data())
            .env("KIOSK_LANGUAGE", "zh-Hant")
            .args(args)
            .output()
            .expect("kiosk runs")
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
    let key = load_or_create_key(&office.data()).expect("office key");
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

    cups.start_queue("counter").expect("printer started again");
    let queue = office.kiosk(&["print", "queue", "--json"]);
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
