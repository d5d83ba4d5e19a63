//! The counter's visit steps (`kiosk::visits::run`) against the real stacks: the passport chip
//! behind pcscd + vpcd, the test CUPS for the form and the receipt, SoftHSM2 tokens and the
//! office CA for the renewal, checked with pkcs11-tool, openssl and `kiosk export`; and a visit
//! whose process is killed resumes at the same step.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use card_readers::emrtd::lds;
use card_readers::emrtd::vcard::{TestPki, VirtualPassport, insert, pcscd, sample_face};
use kiosk::config::Config;
use kiosk::visits::{IdentityInput, IssueMedium, Notice, Outcome, VisitError, VisitOp, run};
use registry::application::{Actor, ApplicationState};
use registry::audit::{AuditAction, StepOutcome};
use registry::model::{
    Certificate, CertificateClass, CertificateStatus, HolderKind, Person, RecordId, Service,
    StaffRole, SubjectDn,
};
use registry::visit::{DocumentSource, Fact, IdentityField, PaymentMethod, Step};
use serde_json::Value;
use tempfile::TempDir;
use tests::visit::{
    CA_PIN, PIN, chan, chans_mrz, form_code_of, mrz_information, pkcs11_tool, staff, td3, tool,
};
use tests::{binary, kiosk, stderr, stdout};
use time::{Duration, OffsetDateTime};
use tokens::Pin;
use tokens::softhsm::MODULE;

const PHRASE: &str = "開門芝麻";

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

struct Office {
    dir: TempDir,
    ctx: kiosk::Context,
    clerk: RecordId,
    supervisor: RecordId,
    person: Person,
}

impl Office {
    fn new(config: Config) -> Office {
        Office::with_person(config, chan())
    }

    /// An office whose person on file is `person`.
    fn with_person(config: Config, person: Person) -> Office {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx =
            kiosk::Context { data_dir: dir.path().join("data"), config, lang: i18n::Language::En };
        let mut store = ctx.open_store_quietly().expect("store");
        let (clerk, supervisor) =
            (staff("clerk.a", StaffRole::Clerk), staff("super.b", StaffRole::Supervisor));
        store
            .write(None, |w| {
                w.put(&clerk)?;
                w.put(&supervisor)?;
                w.put(&person).map(drop)
            })
            .expect("seed");
        Office { dir, ctx, clerk: clerk.id, supervisor: supervisor.id, person }
    }

    fn data(&self) -> &Path {
        &self.ctx.data_dir
    }

    fn store(&self) -> store::Store {
        self.ctx.open_store_quietly().expect("store")
    }

    /// A certificate of the person's on file, due in 20 days, on no token.
    fn due_certificate(&self) -> RecordId {
        let cert = Certificate {
            id: ulid::Ulid::new(),
            class: CertificateClass::Qualified,
            holder_kind: HolderKind::Person,
            subject: SubjectDn { cn: "陳大文".into(), ..Default::default() },
            serial: Some("4a1b2c3d".into()),
            not_before: Some(now() - Duration::days(700)),
            not_after: Some(now() + Duration::days(20)),
            validity_years: 2,
            status: CertificateStatus::Valid,
            holder_person: Some(self.person.id),
            holder_organisation: None,
            token: None,
            renewal_confirmed: false,
            revocation_phrase: None,
            revocation: None,
            issuance: None,
        };
        self.store().put(None, &cert).expect("certificate");
        cert.id
    }

    fn step(&self, op: VisitOp) -> Result<Outcome, VisitError> {
        run(&self.ctx, op, Actor { clerk: self.clerk, role: StaffRole::Clerk }, now())
    }

    fn ok(&self, op: VisitOp) -> Outcome {
        self.step(op).unwrap_or_else(|e| panic!("refused: {e:?}"))
    }

    fn refused(&self, op: VisitOp) -> VisitError {
        match self.step(op) {
            Ok(outcome) => panic!("went through: {:?}", outcome.notice),
            Err(err) => err,
        }
    }

    /// Opens the renewal and takes it to the identity step (the email skipped by a supervisor:
    /// mail is another step's work).
    fn up_to_identity(&self) -> RecordId {
        let id = self
            .ok(VisitOp::Open { service: Service::Renewal, applicant: self.person.id })
            .view
            .application
            .id;
        self.ok(VisitOp::ChooseCertificates { application: id, new_key: false });
        self.ok(VisitOp::Skip {
            application: id,
            step: Step::Email,
            supervisor: self.supervisor,
            reason: "the mail relay is down".into(),
        });
        self.ok(VisitOp::Consent { application: id });
        id
    }

    fn trust_csca(&self, pki: &TestPki) {
        let csca = self.data().join("csca");
        std::fs::create_dir_all(&csca).expect("csca dir");
        std::fs::write(csca.join("mo.der"), &pki.csca_der).expect("csca");
    }

    fn photo_file(&self) -> PathBuf {
        let path = self.dir.path().join("counter.png");
        image::RgbImage::from_fn(600, 800, |x, y| {
            let v = ((x * 7 + y * 13) % 200 + 30) as u8;
            image::Rgb([v, v.wrapping_add(10), v.wrapping_sub(10)])
        })
        .save(&path)
        .expect("png");
        path
    }

    /// The visit-step audit events about `id`, oldest first.
    fn audited(&self, id: RecordId) -> Vec<(Step, StepOutcome)> {
        let mut events = Vec::new();
        self.store()
            .audit_about(id, |e| {
                if let AuditAction::VisitStep { step, outcome } = e.action {
                    events.push((step, outcome));
                }
                std::ops::ControlFlow::Continue(())
            })
            .expect("audit");
        events.reverse();
        events
    }
}

fn chip(text: &str) -> IdentityInput {
    // The scanner types the two lines run together.
    IdentityInput::Mrz { text: text.lines().collect(), chip: true }
}

#[test]
fn the_chip_is_read_over_pcsc_and_a_chip_failing_passive_authentication_blocks_the_step() {
    let _pcscd = pcscd().expect("pcscd with vpcd (scripts/deps.sh test)");
    let office = Office::new(Config::default());
    office.due_certificate();
    let pki = TestPki::new("MO").expect("pki");
    office.trust_csca(&pki);
    let face = sample_face(20_000);
    let mrz = chans_mrz();
    let card =
        insert(VirtualPassport::new(&mrz_information(&mrz), pki.files(&mrz, &face))).expect("card");
    let id = office.up_to_identity();

    let passed = office.ok(VisitOp::Identity { application: id, input: chip(&mrz) });
    let check = passed.view.application.visit.identity.clone().expect("check");
    assert_eq!(check.source, DocumentSource::Chip);
    assert_eq!(check.passive_authentication, Some(true));
    assert!(check.mismatches.is_empty());
    assert_eq!(passed.view.current(), Some(Step::Photo));
    let photo = passed.view.chip_photo.clone().expect("the chip's face is kept");
    assert_eq!(std::fs::read(&photo).expect("chip photo"), face);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&photo).expect("mode").permissions().mode() & 0o777, 0o600);

    // The same passport with its DG2 changed after signing: read, but not authentic.
    let mut files = pki.files(&mrz, &face);
    let dg2 = files.get_mut(&lds::DG2).expect("dg2");
    let at = dg2.len() - 100;
    dg2[at] ^= 0x01;
    card.swap(VirtualPassport::new(&mrz_information(&mrz), files));
    let err = office.refused(VisitOp::Identity { application: id, input: chip(&mrz) });
    assert_eq!(err.id, "visit-identity-chip-not-authentic");
    let view = office.ok(VisitOp::Resume { application: id }).view;
    let check = view.application.visit.identity.clone().expect("recorded whatever the result");
    assert_eq!(check.passive_authentication, Some(false));
    assert_eq!(view.current(), Some(Step::Identity), "a failed check blocks the step");
    let refusal = StepOutcome::Refused { message: "visit-identity-chip-not-authentic".into() };
    assert!(office.audited(id).contains(&(Step::Identity, refusal)));

    // A genuine passport whose holder is not the person on file: the fields are named.
    let other = td3("CHAN", "SIU MING", "MA7654321", "810517", "310630");
    card.swap(VirtualPassport::new(&mrz_information(&other), pki.files(&other, &face)));
    let err = office.refused(VisitOp::Identity { application: id, input: chip(&other) });
    assert_eq!(err.id, "visit-identity-invalid-data");
    let view = office.ok(VisitOp::Resume { application: id }).view;
    let check = view.application.visit.identity.expect("check");
    assert_eq!(check.passive_authentication, Some(true));
    assert_eq!(
        check.mismatches,
        vec![IdentityField::DocumentNumber, IdentityField::Name, IdentityField::BirthDate]
    );
    drop(card);
}

/// Issuance in a process of its own, as the counter runs it: the office CA's PIN comes from
/// its environment.
fn issue_in_process_of_its_own(office: &Office, id: RecordId) -> Output {
    Command::new(binary("tests", "visit-op"))
        .arg(office.data())
        .arg(office.clerk.to_string())
        .args(["issue", &id.to_string(), PIN, PHRASE])
        .env("KIOSK_TOKEN_MODULE", MODULE)
        .env("KIOSK_CA_PIN", CA_PIN)
        .output()
        .expect("visit-op runs")
}

#[test]
fn a_whole_renewal_step_by_step_on_the_chip_the_printer_and_the_token() {
    let _pcscd = pcscd().expect("pcscd with vpcd (scripts/deps.sh test)");
    let dir = tempfile::tempdir().expect("tempdir");
    let cups = printers::cups::Cups::start(&dir.path().join("cups")).expect("cupsd");
    let printer = cups.add_pdf_queue("counter").expect("queue");
    let smtp = tests::Smtp::start(dir.path());
    let config = Config {
        printer: Some(printer),
        token_module: Some(MODULE.into()),
        mail_relay: Some(smtp.url()),
        mail_from: Some("counter@example.mo".into()),
        ..Config::default()
    };
    let office = Office::new(config);
    let (holder, old_id) =
        tests::visit::certificate_on_a_token(office.data(), &mut office.store(), office.person.id);
    let old: Certificate = office.store().get(old_id).expect("read").expect("old");
    let pki = TestPki::new("MO").expect("pki");
    office.trust_csca(&pki);
    let face = sample_face(20_000);
    let mrz = chans_mrz();
    let _card =
        insert(VirtualPassport::new(&mrz_information(&mrz), pki.files(&mrz, &face))).expect("card");

    let opened =
        office.ok(VisitOp::Open { service: Service::Renewal, applicant: office.person.id });
    assert_eq!(opened.view.application.certificates, vec![old_id]);
    let id = opened.view.application.id;
    let chosen = office.ok(VisitOp::ChooseCertificates { application: id, new_key: false });
    assert_eq!(chosen.view.current(), Some(Step::Email));
    // The code goes to the person's address through the office's relay, and is read back.
    let address = "chan@example.mo".to_owned();
    let sent = office.ok(VisitOp::SendCode { application: id, address: address.clone() });
    assert_eq!(sent.notice, Some(Notice::CodeSent { address: address.clone() }));
    let code = smtp.code_for(&address).expect("the code arrived");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let err = office.refused(VisitOp::CheckCode {
        application: id,
        address: address.clone(),
        code: zeroize::Zeroizing::new(wrong.into()),
    });
    assert_eq!((err.id, err.args), ("mail-code-wrong", vec![("tries_left", "4".to_owned())]));
    let verified = office.ok(VisitOp::CheckCode {
        application: id,
        address: address.clone(),
        code: zeroize::Zeroizing::new(code),
    });
    assert!(verified.view.application.visit.emails[0].verified_at.is_some());
    assert_eq!(verified.view.current(), Some(Step::Consent));
    office.ok(VisitOp::Consent { application: id });
    office.ok(VisitOp::Identity { application: id, input: chip(&mrz) });
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file() });
    office.ok(VisitOp::Confirm { application: id, invoice: None });

    let printed = office.ok(VisitOp::PrintForm { application: id });
    assert!(matches!(printed.notice, Some(Notice::FormPrinted { .. })), "{:?}", printed.notice);
    let outputs = cups.outputs("counter").expect("outputs");
    assert_eq!(outputs.len(), 1, "the form came out of the printer");
    let code = form_code_of(&outputs[0], dir.path());
    let signed = office.ok(VisitOp::FormSigned { payload: code });
    assert_eq!(signed.notice, Some(Notice::Submitted));
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingPayment);

    let paid = office.ok(VisitOp::Pay {
        application: id,
        method: PaymentMethod::Cash,
        reference: "R-000042".into(),
        invoice: None,
    });
    assert!(matches!(paid.notice, Some(Notice::ReceiptPrinted { .. })), "{:?}", paid.notice);
    assert_eq!(cups.outputs("counter").expect("outputs").len(), 2, "and the receipt");
    office.ok(VisitOp::Recheck { application: id });

    // The holder's PIN mistyped: refused with the tries left, before the office CA is asked.
    let wrong = office.refused(VisitOp::Issue {
        application: id,
        pin: Pin::new("000000"),
        phrase: zeroize::Zeroizing::new(PHRASE.into()),
        medium: IssueMedium::Token,
    });
    assert_eq!(wrong.id, "token-error-wrong-pin");
    assert_eq!(wrong.args, vec![("tries", "5".to_owned())]);
    let same = office.refused(VisitOp::Issue {
        application: id,
        pin: Pin::new(PIN),
        phrase: zeroize::Zeroizing::new(PIN.into()),
        medium: IssueMedium::Token,
    });
    assert_eq!(same.id, "visit-phrase-same-as-pin");

    let issued = issue_in_process_of_its_own(&office, id);
    assert!(issued.status.success(), "{}{}", stdout(&issued), stderr(&issued));
    assert_eq!(stdout(&issued).trim(), "Some(Activated)");
    let done = office.ok(VisitOp::Complete { application: id });
    assert_eq!(done.view.application.state(), ApplicationState::Completed);
    assert_eq!(done.view.current(), None, "every step done");
    let line = done.view.application.visit.issued.first().cloned().expect("what was issued");
    assert_eq!(line.previous_serial, old.serial);
    assert_eq!(line.previous_not_after, old.not_after);
    assert_ne!(Some(&line.serial), old.serial.as_ref());

    // The token holds the new certificate, which openssl verifies against the office's chain.
    let work = dir.path();
    pkcs11_tool(
        &[
            "--token-label",
            &holder,
            "--read-object",
            "--type",
            "cert",
            "--label",
            "陳大文",
            "-o",
            "new.der",
        ],
        work,
    );
    let shown =
        tool("openssl", &["x509", "-inform", "DER", "-in", "new.der", "-noout", "-serial"], work);
    assert_eq!(stdout(&shown).trim().to_lowercase(), format!("serial={}", line.serial));
    let config = tokens::ca::CaConfig::load(office.data()).expect("ca config");
    let chain = std::fs::read(office.data().join("ca").join(&config.chain)).expect("chain");
    let certs = tokens::ca::read_pem_chain(&chain).expect("pem");
    std::fs::write(work.join("sub.pem"), tokens::ca::pem_chain(&certs[..1])).expect("sub");
    std::fs::write(work.join("root.pem"), tokens::ca::pem_chain(&certs[1..])).expect("root");
    let pem =
        tool("openssl", &["x509", "-inform", "DER", "-in", "new.der", "-out", "new.pem"], work);
    assert!(pem.status.success());
    let verify = tool(
        "openssl",
        &["verify", "-CAfile", "root.pem", "-untrusted", "sub.pem", "new.pem"],
        work,
    );
    assert!(verify.status.success(), "{}{}", stdout(&verify), stderr(&verify));

    // `kiosk export` shows the completed application and the renewed certificate.
    let out = kiosk(office.data()).arg("export").output().expect("kiosk export");
    assert!(out.status.success(), "{}", stderr(&out));
    let records: Vec<Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    let application = records
        .iter()
        .find(|r| r["kind"] == "application" && r["id"] == id.to_string())
        .expect("the application");
    assert_eq!(application["progress"]["state"], "completed");
    assert_eq!(application["visit"]["issued"][0]["serial"], line.serial.as_str());
    let renewed = records
        .iter()
        .find(|r| r["kind"] == "certificate" && r["serial"] == line.serial.as_str())
        .expect("the renewed certificate");
    assert_eq!(renewed["status"], "valid");
    assert_eq!(renewed["issuance"]["previous"], old_id.to_string());
    let phrase = renewed["revocation_phrase"].as_str().expect("the phrase's hash");
    assert!(phrase.starts_with("$argon2") && !phrase.contains(PHRASE), "{phrase}");
    assert!(!stdout(&out).contains(PHRASE), "the phrase itself is kept nowhere");

    let audited = office.audited(id);
    for step in [
        Step::Email,
        Step::Identity,
        Step::Photo,
        Step::Form,
        Step::Payment,
        Step::Recheck,
        Step::Issuance,
        Step::Completion,
    ] {
        assert!(audited.contains(&(step, StepOutcome::Done)), "{step:?}: {audited:?}");
    }
    let wrong_pin = StepOutcome::Refused { message: "token-error-wrong-pin".into() };
    assert!(audited.contains(&(Step::Issuance, wrong_pin)));
    assert!(
        audited.iter().any(|(s, o)| *s == Step::Form && matches!(o, StepOutcome::Printed { .. }))
    );
    assert!(done.view.application.visit.done(Fact::Issued));
}

#[test]
fn a_visit_whose_process_is_killed_resumes_at_the_same_step() {
    let office = Office::new(Config::default());
    office.due_certificate();
    let mut child = Command::new(binary("tests", "visit-op"))
        .arg(office.data())
        .arg(office.clerk.to_string())
        .args(["until-identity", &office.person.id.to_string(), &office.supervisor.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("visit-op starts");
    let mut line = String::new();
    let stdout_pipe = child.stdout.take().expect("stdout");
    std::io::BufReader::new(stdout_pipe).read_line(&mut line).expect("the application's id");
    let id: RecordId = line.trim().parse().unwrap_or_else(|_| panic!("an id: {line:?}"));
    // SIGKILL: nothing of the process gets to run after this.
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reaped");
    assert!(!status.success());

    let resumed = office.ok(VisitOp::Resume { application: id });
    assert_eq!(resumed.view.current(), Some(Step::Identity));
    assert!(resumed.view.application.consent_given);
    // Opening the person's renewal again finds the same visit, on this kiosk or another.
    let opened =
        office.ok(VisitOp::Open { service: Service::Renewal, applicant: office.person.id });
    assert_eq!(opened.view.application.id, id);
    assert_eq!(opened.view.current(), Some(Step::Identity));
    let report = office.store().verify_report().expect("verify");
    assert!(report.faults.is_empty(), "{:?}", report.faults);
}

#[test]
fn a_code_the_relay_cannot_take_waits_in_the_outbox_and_a_supervisor_lets_the_visit_go_on() {
    // A relay address nothing listens on: the office's relay is down.
    let config = Config {
        mail_relay: Some(format!("smtp://127.0.0.1:{}", tests::free_port())),
        mail_from: Some("counter@example.mo".into()),
        ..Config::default()
    };
    let office = Office::new(config);
    office.due_certificate();
    let id = office
        .ok(VisitOp::Open { service: Service::Renewal, applicant: office.person.id })
        .view
        .application
        .id;
    office.ok(VisitOp::ChooseCertificates { application: id, new_key: false });
    let stranger =
        office.refused(VisitOp::SendCode { application: id, address: "x@example.mo".into() });
    assert_eq!(stranger.id, "visit-email-not-on-visit");
    let queued =
        office.ok(VisitOp::SendCode { application: id, address: "CHAN@example.mo".into() });
    assert_eq!(
        queued.notice,
        Some(Notice::CodeQueued {
            address: "chan@example.mo".into(),
            reason: "mail-reason-unreachable"
        })
    );
    assert_eq!(queued.view.current(), Some(Step::Email), "the step waits");
    let skipped = office.ok(VisitOp::Skip {
        application: id,
        step: Step::Email,
        supervisor: office.supervisor,
        reason: "the mail relay is down".into(),
    });
    assert_eq!(skipped.view.current(), Some(Step::Consent));
    let email = &skipped.view.application.visit.emails[0];
    assert!(email.verified_at.is_none() && email.unverified.is_some(), "{email:?}");
    let audited = office.audited(id);
    assert!(audited.contains(&(Step::Email, StepOutcome::Started)));
    assert!(audited.contains(&(Step::Email, StepOutcome::Skipped { by: office.supervisor })));
}

/// Reads a Mainland resident ID card for the visit's identity step, from a reader simulated on
/// the master side of a pseudo-terminal (the kiosk opens the slave side as its serial device).
fn on_the_mainland_reader(
    office: &Office,
    id: RecordId,
    behaviour: card_readers::cn_id::simulator::Behaviour,
) -> Result<Outcome, VisitError> {
    use card_readers::cn_id::simulator::SimulatedReader;
    let pty = tests::pty::serial_pty();
    let simulator = SimulatedReader::new(behaviour).spawn(pty.master);
    let result = office.step(VisitOp::Identity {
        application: id,
        input: IdentityInput::MainlandReader { device: pty.path },
    });
    drop(pty.slave);
    let _ = simulator.join();
    result
}

fn refused_on_the_mainland_reader(
    office: &Office,
    id: RecordId,
    behaviour: card_readers::cn_id::simulator::Behaviour,
) -> VisitError {
    let name = format!("{behaviour:?}");
    match on_the_mainland_reader(office, id, behaviour) {
        Ok(outcome) => panic!("{name} went through: {:?}", outcome.notice),
        Err(err) => err,
    }
}

#[test]
fn a_mainland_residents_card_is_read_on_the_serial_reader_and_compared_field_by_field() {
    use card_readers::cn_id::simulator::{Behaviour, SimulatedCard};
    use registry::model::{IdDocument, IdDocumentKind, Sensitive};
    // 张三, as on the simulator's example card.
    let zhang = Person {
        name_zh: Some("张三".into()),
        name_latin: Some("ZHANG SAN".into()),
        id_document: IdDocument {
            kind: IdDocumentKind::MainlandResident,
            number: Sensitive::new("11010519491231002X"),
            issuing_state: Some("CHN".into()),
            expiry: None,
        },
        nationality: Some("CHN".into()),
        birth_date: Some(time::macros::date!(1949 - 12 - 31)),
        ..chan()
    };
    let office = Office::with_person(Config::default(), zhang);
    office.due_certificate();
    let id = office.up_to_identity();

    // Nothing on the reader, and a reader that never answers: refused, the step still open.
    for (behaviour, said) in [
        (Behaviour::NoCard, "cn-reader-error-no-card"),
        (Behaviour::Silent, "cn-reader-error-timeout"),
        (Behaviour::Garbage, "cn-reader-error-"),
    ] {
        let name = format!("{behaviour:?}");
        let err = refused_on_the_mainland_reader(&office, id, behaviour);
        assert!(err.id.starts_with(said), "{name}: {err:?}");
        let view = office.ok(VisitOp::Resume { application: id }).view;
        assert_eq!(view.current(), Some(Step::Identity), "{name}");
    }

    // Someone else's card: the fields that differ are named.
    let other = SimulatedCard {
        name: "李四".into(),
        birth_date: "19500101".into(),
        ..SimulatedCard::example()
    };
    let err = refused_on_the_mainland_reader(&office, id, Behaviour::Card(other));
    assert_eq!(err.id, "visit-identity-invalid-data");
    let view = office.ok(VisitOp::Resume { application: id }).view;
    let check = view.application.visit.identity.clone().expect("recorded");
    assert_eq!(check.source, DocumentSource::MainlandReader);
    assert_eq!(check.mismatches, vec![IdentityField::Name, IdentityField::BirthDate]);
    assert_eq!(view.current(), Some(Step::Identity));

    // The holder's own card: the identity is checked and the photo is next.
    let passed = on_the_mainland_reader(&office, id, Behaviour::Card(SimulatedCard::example()))
        .unwrap_or_else(|e| panic!("refused: {e:?}"));
    let check = passed.view.application.visit.identity.clone().expect("check");
    assert_eq!(check.source, DocumentSource::MainlandReader);
    assert_eq!(check.document, IdDocumentKind::MainlandResident);
    assert!(check.mismatches.is_empty());
    assert_eq!(passed.view.current(), Some(Step::Photo));
    let outcomes = office.audited(id);
    assert!(outcomes.contains(&(Step::Identity, StepOutcome::Done)), "{outcomes:?}");
}
