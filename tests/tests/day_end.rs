//! `kiosk day-end close|show` end to end: a counter's day of completed, paid and open
//! applications and of tokens given out and spoiled, closed by a supervisor through the real
//! binary, printed through a private CUPS (the PDF read back with poppler), kept as a record
//! `kiosk export` shows; a clerk naming themselves, or a wrong password, closes nothing, and a
//! second close is refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use printers::cups::Cups;
use registry::application::{Application, ApplicationAction as A, Payment};
use registry::audit::{AuditAction, StepOutcome};
use registry::model::*;
use registry::visit::{FormRecord, PaymentMethod, Step};
use serde_json::Value;
use store::{Store, StoreOptions};
use tests::{kiosk, run_with_stdin, stderr, stdout};

const SUPERVISOR_PASSWORD: &str = "Counter-2026s";
const CLERK_PASSWORD: &str = "Counter-2026c";

struct Counter {
    dir: tempfile::TempDir,
}

impl Counter {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn kiosk(&self, args: &[&str]) -> Output {
        kiosk(&self.data()).args(["--lang", "en"]).args(args).output().expect("kiosk runs")
    }

    /// `args` with `password` on standard input, as a script pipes it.
    fn kiosk_with_password(&self, password: &str, args: &[&str]) -> Output {
        let mut cmd = kiosk(&self.data());
        cmd.args(["--lang", "en"]).args(args);
        run_with_stdin(cmd, format!("{password}\n").as_bytes())
    }

    fn add_staff(&self, id: &str, role: &str, password: &str) {
        let out = self.kiosk_with_password(
            password,
            &["clerk", "add", "--id", id, "--name", "李美芳 LEI MEI FONG", "--role", role],
        );
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    }

    /// The kiosk's own store, as another process of the counter opens it (same kiosk id).
    fn store(&self) -> Store {
        Store::open(&self.data().join("kiosk.db"), StoreOptions::default()).expect("store opens")
    }

    fn export(&self) -> Vec<Value> {
        let out = self.kiosk(&["export", "--format", "jsonl"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("json")).collect()
    }

    fn day_ends(&self) -> Vec<Value> {
        self.export().into_iter().filter(|r| r["kind"] == "day_end").collect()
    }
}

fn staff_id(store: &Store, username: &str) -> RecordId {
    store
        .list::<Clerk>()
        .expect("clerks")
        .into_iter()
        .find(|c| c.username == username)
        .map(|c| c.id)
        .expect("on file")
}

/// A complete draft for `service`, ready to submit.
fn draft(service: Service, reference: &str) -> Application {
    let mut app = Application::draft(
        ulid::Ulid::new(),
        service,
        ulid::Ulid::new(),
        HolderKind::Person,
        CertificateClass::Qualified,
        time::OffsetDateTime::now_utc(),
    );
    app.reference = reference.into();
    app.certificates = vec![ulid::Ulid::new()];
    app.consent_given = true;
    app.agreement_accepted = true;
    app.documents = app.required_documents();
    app
}

/// The counter's day so far, written by the counter's own store as its wizards would: each
/// state change through `transition` (which writes the audit event the day-end counts).
struct Day {
    open_paid: String,
    form_waiting: String,
}

fn a_day_at_the_counter(counter: &Counter) -> Day {
    let mut store = counter.store();
    let clerk = staff_id(&store, "chan.tm");
    let supervisor = staff_id(&store, "lei.mf");
    let mop = |major| Money::new(major, Currency::Mop);
    let pay = |amount| Payment { amount, reference: "POS-1".into(), at: store.now() };
    let (cash, card) = (pay(mop(400)), pay(mop(800)));

    // A renewal done and paid in cash.
    let mut renewal = draft(Service::Renewal, "A-RENEWAL-1");
    renewal.visit.payment_method = Some(PaymentMethod::Cash);
    // A new certificate paid by card, waiting for its token: left open.
    let mut issuance = draft(Service::NewIssuance, "A-ISSUE-2");
    issuance.certificates.clear();
    issuance.visit.payment_method = Some(PaymentMethod::Card);
    // A PIN unlock, approved by the supervisor and done; no fee.
    let unlock = draft(Service::PinUnlock, "A-UNLOCK-3");
    // A renewal whose form went to the printer and has not come back signed.
    let mut waiting = draft(Service::Renewal, "A-FORM-4");
    waiting.visit.form = Some(FormRecord {
        printed_at: store.now(),
        job: Some("J-4".into()),
        print: None,
        identity: String::new(),
        subjects: String::new(),
        signed_at: None,
    });
    waiting.visit.kiosk = Some(store.kiosk_id().to_owned());
    let submit = || A::Submit { organisation: None };
    store
        .write(Some(clerk), |w| {
            for app in [&renewal, &issuance, &unlock, &waiting] {
                w.put(app)?;
            }
            w.transition(renewal.id, submit(), clerk)?;
            w.transition(renewal.id, A::PassVetting { fee: mop(400) }, clerk)?;
            w.transition(renewal.id, A::RecordPayment(cash.clone()), clerk)?;
            w.transition(renewal.id, A::Complete, clerk)?;
            w.transition(issuance.id, submit(), clerk)?;
            w.transition(issuance.id, A::PassVetting { fee: mop(800) }, clerk)?;
            w.transition(issuance.id, A::RecordPayment(card.clone()), clerk)?;
            w.transition(unlock.id, submit(), clerk)?;
            w.transition(unlock.id, A::PassVetting { fee: mop(0) }, clerk)?;
            w.transition(unlock.id, A::Approve, supervisor)?;
            w.transition(unlock.id, A::Complete, clerk)?;
            let printed = AuditAction::VisitStep {
                step: Step::Form,
                outcome: StepOutcome::Printed { job: "J-4".into() },
            };
            w.audit(printed, Some((RecordKind::Application, waiting.id)))?;
            Ok(())
        })
        .expect("the day's applications");

    // Tokens from stock: one given to a holder, one found damaged.
    let token = |serial: &str| Token {
        id: ulid::Ulid::new(),
        serial: serial.into(),
        model: Some("SoftHSM".into()),
        status: TokenStatus::Blank,
        holder_person: None,
        holder_organisation: None,
        pin_failures: 0,
    };
    let (given, broken) = (token("TK-0001"), token("TK-0002"));
    store.put(Some(clerk), &given).expect("stock");
    store.put(Some(clerk), &broken).expect("stock");
    let issued = Token { status: TokenStatus::Issued, ..given.clone() };
    store.write(Some(clerk), |w| w.edit(&given, &issued).map(drop)).expect("given out");
    let damaged = Token { status: TokenStatus::Damaged, ..broken.clone() };
    store.write(Some(clerk), |w| w.edit(&broken, &damaged).map(drop)).expect("damaged");
    Day { open_paid: issuance.reference, form_waiting: waiting.reference }
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().expect("utf-8"), "-"])
        .output()
        .expect("pdftotext runs (install poppler-utils with scripts/deps.sh test)");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

fn completed(report: &Value, service: &str) -> u64 {
    report["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["service"] == service)
        .and_then(|s| s["completed"].as_u64())
        .expect("every service is listed")
}

#[test]
fn a_supervisor_closes_the_counters_day_once_printed_and_kept_and_a_clerk_cannot() {
    let counter = Counter { dir: tempfile::tempdir().expect("tempdir") };
    counter.add_staff("lei.mf", "supervisor", SUPERVISOR_PASSWORD);
    counter.add_staff("chan.tm", "clerk", CLERK_PASSWORD);
    let day = a_day_at_the_counter(&counter);
    let cups = Cups::start(&counter.dir.path().join("cups")).expect("cupsd");
    let uri = cups.add_pdf_queue("office").expect("queue");

    // The figures so far: nothing is kept by looking.
    let out = counter.kiosk(&["day-end", "show", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert!(shown["closed"].is_null());
    let report = &shown["report"];
    assert_eq!(completed(report, "renewal"), 1);
    assert_eq!(completed(report, "pin_unlock"), 1);
    assert_eq!(completed(report, "new_issuance"), 0);
    let payments = report["payments"].as_array().expect("payments");
    assert_eq!(payments.len(), 2, "{payments:?}");
    assert_eq!(
        (&payments[0]["method"], &payments[0]["total"]["minor"]),
        (&"cash".into(), &40000.into())
    );
    assert_eq!(
        (&payments[1]["method"], &payments[1]["total"]["minor"]),
        (&"card".into(), &80000.into())
    );
    assert_eq!(report["tokens_used"], serde_json::json!(["TK-0001"]));
    assert_eq!(
        report["tokens_spoiled"],
        serde_json::json!([{"serial": "TK-0002", "status": "damaged"}])
    );
    assert_eq!(report["forms_printed"], 1);
    assert_eq!(report["forms_unsigned"][0]["reference"], day.form_waiting.as_str());
    let open: Vec<&str> = report["open_applications"]
        .as_array()
        .expect("open")
        .iter()
        .filter_map(|a| a["reference"].as_str())
        .collect();
    assert_eq!(open, [day.form_waiting.as_str(), day.open_paid.as_str()]);
    assert!(counter.day_ends().is_empty());

    // A clerk naming themselves, even with their own right password, closes nothing.
    let close = ["day-end", "close", "--printer", uri.as_str()];
    let out = counter
        .kiosk_with_password(CLERK_PASSWORD, &[&close[..], &["--supervisor", "chan.tm"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("Only a supervisor closes the counter's day"),
        "{}",
        stderr(&out)
    );
    // Naming a supervisor without their password closes nothing either.
    let out = counter
        .kiosk_with_password(CLERK_PASSWORD, &[&close[..], &["--supervisor", "lei.mf"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("password is wrong"), "{}", stderr(&out));
    assert!(counter.day_ends().is_empty(), "a refused close keeps nothing");
    assert!(cups.outputs("office").expect("outputs").is_empty(), "and prints nothing");

    // The supervisor closes it: kept, and at the printer.
    let out = counter.kiosk_with_password(
        SUPERVISOR_PASSWORD,
        &[&close[..], &["--supervisor", "lei.mf", "--json"]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let closed: Value =
        serde_json::from_str(stdout(&out).lines().next().expect("a line")).expect("json");
    assert_eq!(closed["closed"]["username"], "lei.mf");
    assert_eq!(closed["report"], *report, "the close keeps the figures shown");

    let kept = counter.day_ends();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let store = counter.store();
    assert_eq!(kept[0]["closed_by"], staff_id(&store, "lei.mf").to_string());
    assert_eq!(kept[0]["kiosk"], store.kiosk_id());
    assert_eq!(kept[0]["day"], closed["day"]);
    assert_eq!(kept[0]["report"], *report);

    let printed = cups.outputs("office").expect("outputs");
    assert_eq!(printed.len(), 1, "one report printed");
    let text = pdf_text(&printed[0]);
    for expected in [
        "Day-end close",
        "lei.mf",
        store.kiosk_id(),
        "MOP 400.00",
        "MOP 800.00",
        "TK-0001",
        "TK-0002",
        day.form_waiting.as_str(),
        day.open_paid.as_str(),
        "Supervisor (signature and date)",
    ] {
        assert!(text.contains(expected), "the printed report lacks {expected:?}:\n{text}");
    }

    // A second close is refused, names who closed the day, and neither keeps nor prints more.
    let out = counter.kiosk_with_password(
        SUPERVISOR_PASSWORD,
        &[&close[..], &["--supervisor", "lei.mf"]].concat(),
    );
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("already closed by lei.mf"), "{}", stderr(&out));
    assert_eq!(counter.day_ends().len(), 1);
    assert_eq!(cups.outputs("office").expect("outputs").len(), 1);

    // What was signed off is what `show` gives back, and it prints again on demand.
    let out = counter.kiosk(&["day-end", "show", "--printer", &uri]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Closed by lei.mf"), "{}", stdout(&out));
    assert_eq!(cups.outputs("office").expect("outputs").len(), 2);
    let verify = counter.kiosk(&["store", "verify"]);
    assert!(verify.status.success(), "{}{}", stdout(&verify), stderr(&verify));
}

#[test]
fn a_close_with_nowhere_to_print_asks_for_a_printer_before_the_password() {
    let counter = Counter { dir: tempfile::tempdir().expect("tempdir") };
    counter.add_staff("lei.mf", "supervisor", SUPERVISOR_PASSWORD);
    let out = counter
        .kiosk_with_password(SUPERVISOR_PASSWORD, &["day-end", "close", "--supervisor", "lei.mf"]);
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    assert!(counter.day_ends().is_empty());
    // A PDF file is a place to print to.
    let pdf = counter.dir.path().join("day-end.pdf");
    let out = counter.kiosk_with_password(
        SUPERVISOR_PASSWORD,
        &["day-end", "close", "--supervisor", "lei.mf", "--to-file", pdf.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(pdf_text(&pdf).contains("Day-end close"));
    assert_eq!(counter.day_ends().len(), 1);
}
