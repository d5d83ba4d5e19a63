//! The counter's services besides renewal, step by step through `kiosk::visits::run` against
//! the real stacks: SoftHSM2 tokens in an office's own SoftHSM2 (so the blank tokens plugged in
//! are the ones the test plugs in) with the office CA made by `kiosk ca init`, the test CUPS for
//! the forms and receipts, a local SMTP server for the email codes. The steps that open a token
//! run in the `visit-op` process, which gets the SoftHSM2 directory and the office's CA, SO and
//! stock PINs in its environment as the counter does. Results are checked with pkcs11-tool, openssl,
//! pdftotext and `kiosk export`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kiosk::config::Config;
use kiosk::visits::{IdentityInput, Notice, Outcome, VisitError, VisitOp, run};
use registry::application::{Actor, ApplicationState, DocumentKind};
use registry::model::{
    Certificate, CertificateClass, CertificateStatus, HolderKind, InvoiceDetails, InvoiceKind,
    Person, RecordId, RevocationReason, Seal, SealKind, SealStatus, Service, StaffRole, Token,
    TokenStatus,
};
use registry::visit::{PaymentMethod, Step};
use serde_json::Value;
use tempfile::TempDir;
use tests::token_files::TokenFileHeld;
use tests::visit::{
    CA_PIN, PIN, SO_PIN, chan, chans_mrz, form_code_of, in_hsm, issued_with_kiosk, office_hsm,
    pkcs11_tool_in, staff, tool, trading_company, trading_company_employing, verified_on_token,
};
use tests::{binary, kiosk, stderr, stdout};
use time::OffsetDateTime;
use tokens::softhsm::{MODULE, SoftHsm};
use zeroize::Zeroizing;

/// The revocation phrase the applicant sets at issuance.
const PHRASE: &str = "開門芝麻";
const NEW_PIN: &str = "654321";
/// The PIN a holder chooses for their token from stock (the stock's own is `PIN`).
const HOLDER_PIN: &str = "482913";
/// The password a holder chooses for their PKCS#12 file.
const FILE_PASSWORD: &str = "Secret-2026";
/// Wrong PINs in a row after which the kiosk stops using a token.
const PIN_TRIES: u32 = 3;

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// An office of its own: the data directory with `kiosk.toml` (the token module, the PIN
/// tries, the printer and relay when given), its SoftHSM2 with the office CA, a clerk, a
/// supervisor, and 陳大文 on file.
struct Office {
    dir: TempDir,
    ctx: kiosk::Context,
    hsm: SoftHsm,
    clerk: RecordId,
    supervisor: RecordId,
    person: Person,
    cups: Option<(printers::cups::Cups, String)>,
    smtp: Option<tests::Smtp>,
}

impl Office {
    fn new(printer: bool, mail: bool) -> Office {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let quiet = kiosk::Context {
            data_dir: data.clone(),
            config: Config::default(),
            lang: i18n::Language::En,
        };
        let (clerk, supervisor) =
            (staff("clerk.a", StaffRole::Clerk), staff("super.b", StaffRole::Supervisor));
        let person = chan();
        quiet
            .open_store_quietly()
            .expect("store")
            .write(None, |w| {
                w.put(&clerk)?;
                w.put(&supervisor)?;
                w.put(&person).map(drop)
            })
            .expect("seed");
        let mut toml = format!("token_module = \"{MODULE}\"\npin_tries = {PIN_TRIES}\n");
        let cups = printer.then(|| {
            let cups = printers::cups::Cups::start(&dir.path().join("cups")).expect("cupsd");
            let queue = cups.add_pdf_queue("counter").expect("queue");
            toml += &format!("printer = \"{queue}\"\n");
            (cups, queue)
        });
        let smtp = mail.then(|| {
            let smtp = tests::Smtp::start(dir.path());
            toml +=
                &format!("mail_relay = \"{}\"\nmail_from = \"counter@example.mo\"\n", smtp.url());
            smtp
        });
        std::fs::write(data.join("kiosk.toml"), toml).expect("kiosk.toml");
        let config = Config::load(&data).expect("the office's configuration");
        let ctx = kiosk::Context { data_dir: data.clone(), config, lang: i18n::Language::En };
        let hsm = office_hsm(dir.path(), &data);
        Office { dir, ctx, hsm, clerk: clerk.id, supervisor: supervisor.id, person, cups, smtp }
    }

    fn data(&self) -> &Path {
        &self.ctx.data_dir
    }

    fn work(&self, name: &str) -> PathBuf {
        let dir = self.dir.path().join(name);
        std::fs::create_dir_all(&dir).expect("work dir");
        dir
    }

    fn store(&self) -> store::Store {
        self.ctx.open_store_quietly().expect("store")
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

    /// A step in the `visit-op` process, with the office's SoftHSM2 and `env`.
    fn visit_op(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(binary("tests", "visit-op"));
        cmd.arg(self.data()).arg(self.clerk.to_string()).args(args);
        in_hsm(&mut cmd, &self.hsm).envs(env.iter().copied());
        cmd.output().expect("visit-op runs")
    }

    /// Issuance as the counter runs it, the office CA's PIN and the stock tokens' PIN in its
    /// environment. `pin`: the holder's PIN, or the one they choose for a token from stock.
    fn issue(&self, id: RecordId, pin: &str) -> Output {
        self.issue_with_stock_pin(id, pin, Some(PIN))
    }

    fn issue_with_stock_pin(&self, id: RecordId, pin: &str, stock: Option<&str>) -> Output {
        let mut env = vec![("KIOSK_CA_PIN", CA_PIN)];
        env.extend(stock.map(|stock| ("KIOSK_STOCK_PIN", stock)));
        self.visit_op(&["issue", &id.to_string(), pin, PHRASE], &env)
    }

    /// Issuance into a PKCS#12 file (`file`, or the office's folder).
    fn issue_pkcs12(&self, id: RecordId, password: &str, file: Option<&Path>) -> Output {
        let id = id.to_string();
        let mut args = vec!["issue-pkcs12", &id, password, PHRASE];
        args.extend(file.map(|f| f.to_str().expect("a UTF-8 path")));
        self.visit_op(&args, &[("KIOSK_CA_PIN", CA_PIN)])
    }

    /// Whether `pin` opens token `label` (pkcs11-tool logs in).
    fn opens(&self, label: &str, pin: &str) -> bool {
        let args = ["--token-label", label, "--login", "--pin", pin, "--list-objects"];
        pkcs11_tool_in(&self.hsm, &args, &self.work("login")).status.success()
    }

    /// A command of the kiosk on the office's SoftHSM2.
    fn kiosk(&self, args: &[&str]) -> Output {
        let mut cmd = kiosk(self.data());
        in_hsm(&mut cmd, &self.hsm).args(args);
        cmd.output().expect("kiosk runs")
    }

    /// Every record of `kind` in `kiosk export`.
    fn exported(&self, kind: &str) -> Vec<Value> {
        let out = kiosk(self.data()).arg("export").output().expect("kiosk export");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
            .filter(|r| r["kind"] == kind)
            .collect()
    }

    fn exported_one(&self, kind: &str, id: RecordId) -> Value {
        self.exported(kind)
            .into_iter()
            .find(|r| r["id"] == id.to_string())
            .unwrap_or_else(|| panic!("no {kind} {id} in the export"))
    }

    fn certificate(&self, id: RecordId) -> Certificate {
        self.store().get(id).expect("read").expect("the certificate")
    }

    fn certificate_by_serial(&self, serial: &str) -> Certificate {
        self.store().certificate_by_serial(serial).expect("read").expect("the certificate")
    }

    /// A new token `label` in the office's SoftHSM2, initialised as `kiosk token init` does
    /// for a token from stock.
    fn blank_token(&self, label: &str) {
        let out = self.kiosk(&[
            "token",
            "init",
            "--module",
            MODULE,
            "--token-label",
            label,
            "--so-pin",
            SO_PIN,
            "--pin",
            PIN,
        ]);
        assert!(out.status.success(), "kiosk token init: {}", stderr(&out));
    }

    /// The chip serial of token `label`, as `kiosk token list --json` shows it.
    fn token_serial(&self, label: &str) -> String {
        let out = self.kiosk(&["token", "list", "--module", MODULE, "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let tokens: Value = serde_json::from_str(&stdout(&out)).expect("json");
        tokens
            .as_array()
            .expect("array")
            .iter()
            .find(|t| t["label"] == label)
            .and_then(|t| t["serial"].as_str())
            .unwrap_or_else(|| panic!("{label} is not plugged in: {tokens}"))
            .to_owned()
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

    /// The typed zone of 陳大文's passport (no reader at this counter).
    fn identity(&self, id: RecordId) {
        let text = chans_mrz().lines().collect();
        self.ok(VisitOp::Identity {
            application: id,
            input: IdentityInput::Mrz { text, chip: false },
        });
    }

    /// The form printed through the test CUPS, and its signed copy's code scanned back from the
    /// PDF. Answers the PDF and what the scan answered.
    fn form_printed_and_signed(&self, id: RecordId, name: &str) -> (PathBuf, Outcome) {
        let before = self.printouts().len();
        let printed = self.ok(VisitOp::PrintForm { application: id });
        assert!(matches!(printed.notice, Some(Notice::FormPrinted { .. })), "{:?}", printed.notice);
        let outputs = self.printed(before + 1);
        let pdf = outputs[before].clone();
        let code = form_code_of(&pdf, &self.work(name));
        let signed = self.ok(VisitOp::FormSigned { payload: code });
        (pdf, signed)
    }

    fn printouts(&self) -> Vec<PathBuf> {
        let (cups, _) = self.cups.as_ref().expect("a printer");
        cups.outputs("counter").expect("outputs")
    }

    /// The printer's outputs once there are `n`, each a whole PDF.
    fn printed(&self, n: usize) -> Vec<PathBuf> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let outputs = self.printouts();
            let whole = outputs.iter().all(|p| {
                std::fs::read(p).is_ok_and(|b| b.windows(5).rev().take(64).any(|w| w == b"%%EOF"))
            });
            if outputs.len() >= n && whole {
                return outputs;
            }
            assert!(Instant::now() < deadline, "{n} printouts never came: {outputs:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn pay(&self, id: RecordId, reference: &str) {
        let paid = self.ok(VisitOp::Pay {
            application: id,
            method: PaymentMethod::Cash,
            reference: reference.into(),
            invoice: None,
        });
        assert!(matches!(paid.notice, Some(Notice::ReceiptPrinted { .. })), "{:?}", paid.notice);
    }
}

fn pdf_text(pdf: &Path, dir: &Path) -> String {
    let out = tool("pdftotext", &[pdf.to_str().expect("utf-8"), "-"], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

/// What `visit-op` printed, once it succeeded.
fn succeeded(out: &Output) -> String {
    assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
    stdout(out).trim().to_owned()
}

/// What `visit-op` printed for a refusal: the message id and its arguments.
fn refusal(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(out), stderr(out));
    stdout(out).trim().to_owned()
}

#[test]
fn a_pin_locked_by_wrong_pins_is_reset_after_a_supervisors_approval() {
    let office = Office::new(true, false);
    let serial = issued_with_kiosk(office.data(), &office.hsm, "holder", office.person.id);
    let cert = office.certificate_by_serial(&serial);
    // The holder mistyped the PIN until the kiosk stopped using the token.
    for _ in 0..PIN_TRIES {
        let out = office.kiosk(&[
            "token",
            "change-pin",
            "--module",
            MODULE,
            "--token-label",
            "holder",
            "--pin",
            "000000",
            "--new-pin",
            "111111",
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    }
    let list = office.kiosk(&["token", "list", "--module", MODULE]);
    assert!(stdout(&list).contains("locked"), "{}", stdout(&list));

    let open =
        office.ok(VisitOp::Open { service: Service::PinUnlock, applicant: office.person.id });
    let id = open.view.application.id;
    assert_eq!(open.view.application.certificates, vec![cert.id]);
    office.ok(VisitOp::SelectCertificates {
        application: id,
        certificates: vec![cert.id],
        phrase: None,
    });
    office.ok(VisitOp::Consent { application: id });
    office.identity(id);
    let (pdf, signed) = office.form_printed_and_signed(id, "form");
    assert_eq!(signed.notice, Some(Notice::Submitted));
    assert!(pdf_text(&pdf, office.dir.path()).contains("陳大文"));
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingApproval);
    assert_eq!(signed.view.current(), Some(Step::Approval));

    // Nothing is reset before a supervisor approves, whatever the SO PIN.
    let early =
        office.visit_op(&["reset-pin", &id.to_string(), NEW_PIN], &[("KIOSK_SO_PIN", SO_PIN)]);
    assert!(refusal(&early).starts_with("visit-step-not-open"), "{}", stdout(&early));
    let own = office.refused(VisitOp::Approve { application: id, supervisor: office.clerk });
    assert_eq!(own.id, "visit-supervisor-own-action");
    let approved = office.ok(VisitOp::Approve { application: id, supervisor: office.supervisor });
    assert_eq!(approved.view.application.state(), ApplicationState::AwaitingFulfilment);
    assert_eq!(approved.view.current(), Some(Step::PinReset));

    // A new PIN follows the token's PIN rules: refused before the token is touched.
    let weak = office.visit_op(&["reset-pin", &id.to_string(), "12"], &[("KIOSK_SO_PIN", SO_PIN)]);
    assert!(refusal(&weak).starts_with("token-error-pin-rules"), "{}", stdout(&weak));
    // The counter has no SO PIN in its environment: said, nothing reset.
    let no_so = office.visit_op(&["reset-pin", &id.to_string(), NEW_PIN], &[]);
    assert!(refusal(&no_so).starts_with("visit-so-pin-needed"), "{}", stdout(&no_so));
    let reset =
        office.visit_op(&["reset-pin", &id.to_string(), NEW_PIN], &[("KIOSK_SO_PIN", SO_PIN)]);
    assert_eq!(succeeded(&reset), "Some(PinReset)");
    let done = office.ok(VisitOp::Complete { application: id });
    assert_eq!(done.view.application.state(), ApplicationState::Completed);

    // The new PIN opens the token; the old one no longer does.
    let work = office.work("login");
    let login = |pin: &str| {
        pkcs11_tool_in(
            &office.hsm,
            &["--token-label", "holder", "--login", "--pin", pin, "--list-objects"],
            &work,
        )
    };
    let new = login(NEW_PIN);
    assert!(new.status.success(), "{}", stderr(&new));
    assert!(!login(PIN).status.success(), "the old PIN still opens the token");
    // The kiosk counts again from nought: the token is no longer locked.
    let list = office.kiosk(&["token", "list", "--module", MODULE]);
    assert!(!stdout(&list).contains("locked"), "{}", stdout(&list));
    let app = office.exported_one("application", id);
    assert_eq!(app["progress"]["state"], "completed");
    assert_eq!(app["progress"]["approved_by"], office.supervisor.to_string());
}

/// A person's new certificate of `class` up to the re-check, with a verified email and the
/// form signed and paid.
fn new_certificate_up_to_issuance(office: &Office, class: CertificateClass) -> RecordId {
    let open =
        office.ok(VisitOp::Open { service: Service::NewIssuance, applicant: office.person.id });
    let id = open.view.application.id;
    assert_eq!(open.view.current(), Some(Step::Consent));
    office.ok(VisitOp::Consent { application: id });
    office.identity(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file() });
    let set =
        office.ok(VisitOp::SetDetails { application: id, organisation: None, class, years: 2 });
    assert_eq!(set.view.current(), Some(Step::Email), "a person brings no papers");
    let smtp = office.smtp.as_ref().expect("a relay");
    let address = "chan@example.mo";
    let sent = office.ok(VisitOp::SendCode { application: id, address: address.into() });
    assert_eq!(sent.notice, Some(Notice::CodeSent { address: address.into() }));
    let code = smtp.code_for(address).expect("the code arrived");
    office.ok(VisitOp::CheckCode {
        application: id,
        address: address.into(),
        code: Zeroizing::new(code),
    });
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    let (_, signed) = office.form_printed_and_signed(id, "form");
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingPayment);
    office.pay(id, "R-100001");
    office.ok(VisitOp::Recheck { application: id });
    id
}

#[test]
fn a_new_certificate_on_a_blank_token_from_stock_and_its_revocation_by_the_phrase() {
    let office = Office::new(true, true);
    let id = new_certificate_up_to_issuance(&office, CertificateClass::Qualified);

    // No blank token plugged in: said, nothing issued; a qualified certificate has no PKCS#12
    // alternative to offer.
    let none = office.issue(id, HOLDER_PIN);
    assert_eq!(refusal(&none), "visit-plug-a-blank-token []");
    let soft = office.issue_pkcs12(id, FILE_PASSWORD, None);
    assert_eq!(
        refusal(&soft),
        "token-error-soft-not-allowed [(\"profile\", \"qualified-person\")]"
    );
    // Two: which one is meant cannot be told.
    office.blank_token("stock-1");
    office.blank_token("stock-2");
    let two = office.issue(id, HOLDER_PIN);
    assert!(refusal(&two).starts_with("visit-one-blank-token"), "{}", stdout(&two));
    // One of them already in the inventory as blank still counts as blank.
    let serial2 = office.token_serial("stock-2");
    let stocked = Token {
        id: ulid::Ulid::new(),
        serial: serial2,
        model: None,
        status: TokenStatus::Blank,
        holder_person: None,
        holder_organisation: None,
        pin_failures: 0,
    };
    office.store().put(None, &stocked).expect("the inventory");
    let still_two = office.issue(id, HOLDER_PIN);
    assert!(refusal(&still_two).starts_with("visit-one-blank-token"), "{}", stdout(&still_two));
    office.hsm.delete_token("stock-1").expect("unplugged");

    // The PIN the holder chooses follows the one PIN rule, checked before the token is opened.
    let weak = office.issue(id, "12ab");
    assert!(refusal(&weak).starts_with("token-error-pin-rules"), "{}", stdout(&weak));
    // The counter does not know the stock PIN, or knows a wrong one: said as the office's
    // problem, nothing issued, and never counted against the token, however often tried.
    let unset = office.issue_with_stock_pin(id, HOLDER_PIN, None);
    assert_eq!(refusal(&unset), "visit-stock-pin-needed []");
    for _ in 0..=PIN_TRIES {
        let wrong = office.issue_with_stock_pin(id, HOLDER_PIN, Some("000000"));
        assert_eq!(refusal(&wrong), "token-error-wrong-stock-pin []");
    }
    let view = office.ok(VisitOp::Resume { application: id }).view;
    assert!(view.application.visit.issued.is_empty() && view.application.certificates.is_empty());
    assert!(office.exported("certificate").is_empty(), "nothing issued");
    let stock = office.store().token_by_serial(&stocked.serial).expect("read").expect("token");
    assert_eq!(stock.pin_failures, 0, "wrong stock PINs are not counted");

    let issued = office.issue(id, HOLDER_PIN);
    assert_eq!(succeeded(&issued), "Some(Activated)");
    // The token leaves with the holder's own PIN: the stock PIN no longer opens it.
    assert!(office.opens("stock-2", HOLDER_PIN), "the holder's PIN opens the token");
    assert!(!office.opens("stock-2", PIN), "the stock PIN still opens the holder's token");
    let done = office.ok(VisitOp::Complete { application: id });
    assert_eq!(done.view.application.state(), ApplicationState::Completed);
    let line = done.view.application.visit.issued.first().cloned().expect("what was issued");
    let made = office.certificate(line.certificate);
    assert_eq!(made.holder_person, Some(office.person.id));
    assert_eq!(made.holder_kind, HolderKind::Person);

    // On the token from stock, verified against the office CA, its subject the person's.
    let text = verified_on_token(
        &office.hsm,
        office.data(),
        "stock-2",
        &made.subject.cn,
        "new.der",
        &office.work("new"),
    );
    assert!(text.to_lowercase().contains(&format!("serial={}", line.serial)), "{text}");
    assert!(text.contains("CN=陳大文"), "{text}");
    assert!(text.contains("serialNumber=MA1234567"), "{text}");
    assert!(text.contains("C=MO"), "{text}");
    let token = office
        .exported("token")
        .into_iter()
        .find(|t| t["serial"] == stocked.serial)
        .expect("the token in the inventory");
    assert_eq!(token["status"], "issued", "{token}");
    let exported = office.exported_one("certificate", made.id);
    assert_eq!(exported["status"], "valid");
    let hash = exported["revocation_phrase"].as_str().expect("the phrase's hash");
    assert!(hash.starts_with("$argon2") && !hash.contains(PHRASE));

    // The person later revokes it with the phrase set at issuance: no supervisor is needed.
    let open =
        office.ok(VisitOp::Open { service: Service::Revocation, applicant: office.person.id });
    let rid = open.view.application.id;
    let wrong = office.refused(VisitOp::SelectCertificates {
        application: rid,
        certificates: vec![made.id],
        phrase: Some(Zeroizing::new("芝麻開門".into())),
    });
    assert_eq!(wrong.id, "visit-revocation-phrase-wrong");
    let chosen = office.ok(VisitOp::SelectCertificates {
        application: rid,
        certificates: vec![made.id],
        phrase: Some(Zeroizing::new(PHRASE.into())),
    });
    assert!(!chosen.view.plan.iter().any(|p| p.step == Step::Approval), "no approval step");
    office.ok(VisitOp::Consent { application: rid });
    office.identity(rid);
    office.ok(VisitOp::Confirm { application: rid, invoice: None });
    let (_, signed) = office.form_printed_and_signed(rid, "revocation-form");
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingFulfilment);
    let revoked =
        office.ok(VisitOp::Revoke { application: rid, reason: RevocationReason::KeyCompromise });
    assert_eq!(revoked.notice, Some(Notice::Revoked { certificates: 1, seals: 0 }));
    office.ok(VisitOp::Complete { application: rid });
    let exported = office.exported_one("certificate", made.id);
    assert_eq!(exported["status"], "revoked", "{exported}");
    let app = office.exported_one("application", rid);
    assert_eq!(app["progress"]["state"], "completed");
    assert_eq!(app["revocation_phrase_verified"], true);
    assert!(app["progress"]["approved_by"].is_null(), "{app}");
}

/// Two counters of the office (two processes on one data directory) issue one new certificate
/// at once: the first is stopped at the holder's login (its claim made, the token noted), and
/// the second is told where and since when it is being issued, touching nothing; the first
/// goes on and issues it. Then the power goes between the office CA's act and the visit's save
/// (the visit put back as it stood, with the claim and the token its issuance noted): resumed,
/// the certificate on that token is recorded, not issued a second time.
#[test]
fn a_new_certificate_is_issued_once_by_two_counters_at_once_and_after_a_crash_before_its_record() {
    let office = Office::new(true, true);
    let id = new_certificate_up_to_issuance(&office, CertificateClass::Qualified);
    office.blank_token("stock");
    let serial = office.token_serial("stock");
    let before: registry::application::Application =
        office.store().get(id).expect("read").expect("the application");

    let dir = office.hsm.token_dir(&serial).expect("the token's files");
    let login = TokenFileHeld::on(&dir.join("token.object"));
    let mut cmd = Command::new(binary("tests", "visit-op"));
    cmd.arg(office.data()).arg(office.clerk.to_string());
    cmd.args(["issue", &id.to_string(), HOLDER_PIN, PHRASE]).env("KIOSK_CA_PIN", CA_PIN);
    cmd.env("KIOSK_STOCK_PIN", PIN);
    in_hsm(&mut cmd, &office.hsm).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut first = cmd.spawn().expect("visit-op starts");
    login.wait_for_waiter(&mut first);
    let claimed = office.ok(VisitOp::Resume { application: id }).view.application.visit;
    let claim = claimed.issuing.expect("claimed before the token was touched");
    assert_eq!(claim.kiosk, office.store().kiosk_id());
    assert_eq!(claimed.new_token.as_deref(), Some(serial.as_str()), "the token noted");
    let second = office.issue(id, HOLDER_PIN);
    let told = refusal(&second);
    assert!(told.starts_with("visit-issuing-elsewhere"), "{told}");
    assert!(told.contains(office.store().kiosk_id()), "{told}");
    drop(login);
    let first = first.wait_with_output().expect("visit-op ends");
    assert_eq!(succeeded(&first), "Some(Activated)");
    assert_eq!(office.exported("certificate").len(), 1, "one certificate");
    let done = office.ok(VisitOp::Resume { application: id }).view;
    let line = done.application.visit.issued.first().cloned().expect("recorded");
    assert_eq!(done.application.visit.issuing, None, "the claim ended with the issuance");
    assert_eq!(line.token.as_deref(), Some(serial.as_str()));

    // As if the kiosk had stopped after the certificate was put in force on the token, before
    // the visit was saved: the visit as it stood, claimed by this kiosk, the token noted.
    let mut crashed = before.clone();
    crashed.visit.issuing = Some(claim);
    crashed.visit.new_token = Some(serial);
    office.store().put(None, &crashed).expect("the visit as the crash left it");
    let lost = office.ok(VisitOp::Resume { application: id }).view;
    assert!(lost.application.visit.issued.is_empty());
    assert_eq!(lost.current(), Some(Step::Issuance));
    let resumed = office.issue(id, HOLDER_PIN);
    assert_eq!(succeeded(&resumed), "Some(Activated)");
    let view = office.ok(VisitOp::Resume { application: id }).view;
    assert_eq!(view.application.visit.issued.len(), 1);
    assert_eq!(view.application.visit.issued[0].certificate, line.certificate, "the same one");
    assert_eq!(view.current(), Some(Step::Completion));
    assert_eq!(office.exported("certificate").len(), 1, "not issued a second time");
    let done = office.ok(VisitOp::Complete { application: id });
    assert_eq!(done.view.application.state(), ApplicationState::Completed);
}

#[test]
fn a_new_standard_certificate_into_a_pkcs12_file_the_holder_opens_with_their_password() {
    let office = Office::new(true, true);
    let id = new_certificate_up_to_issuance(&office, CertificateClass::Standard);

    // No blank token plugged in: the refusal offers the file this profile allows.
    let none = office.issue(id, HOLDER_PIN);
    assert_eq!(refusal(&none), "visit-plug-a-blank-token-or-pkcs12 []");
    // The password follows the seed's rule (8 characters, a letter and a non-letter), checked
    // before the office CA signs anything.
    let weak = office.issue_pkcs12(id, "password", None);
    assert!(refusal(&weak).starts_with("token-error-pin-rules"), "{}", stdout(&weak));
    // A file already there is never replaced: it may be another holder's key.
    let taken = office.work("taken").join("holder.p12");
    std::fs::write(&taken, b"someone's").expect("a file in the way");
    let exists = office.issue_pkcs12(id, FILE_PASSWORD, Some(&taken));
    assert!(refusal(&exists).starts_with("visit-pkcs12-file-exists"), "{}", stdout(&exists));
    assert_eq!(std::fs::read(&taken).expect("kept"), b"someone's");
    assert!(office.exported("certificate").is_empty(), "nothing issued");

    // Into the office's folder, named after the application's reference.
    let written = office.issue_pkcs12(id, FILE_PASSWORD, None);
    let reference = office.ok(VisitOp::Resume { application: id }).view.application.reference;
    let file = office.data().join("pkcs12").join(format!("{reference}.p12"));
    assert_eq!(
        succeeded(&written),
        format!("Some(Pkcs12Written {{ file: {:?} }})", file.display().to_string())
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).expect("there").permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600, "the holder's key is the kiosk's alone until handed over");
    assert_eq!(mode(&office.data().join("pkcs12")), 0o700);

    // Recorded as a token issuance is: the completion line, the phrase's hash, the audit.
    let done = office.ok(VisitOp::Complete { application: id });
    assert_eq!(done.view.application.state(), ApplicationState::Completed);
    let line = done.view.application.visit.issued.first().cloned().expect("what was issued");
    assert_eq!(line.token, None, "on no token");
    let made = office.certificate(line.certificate);
    assert_eq!(made.holder_person, Some(office.person.id));
    assert_eq!(made.class, CertificateClass::Standard);
    assert_eq!(made.token, None);
    let exported = office.exported_one("certificate", made.id);
    assert_eq!(exported["status"], "valid");
    assert_eq!(exported["issuance"]["medium"], "pkcs12", "{exported}");
    let hash = exported["revocation_phrase"].as_str().expect("the phrase's hash");
    assert!(hash.starts_with("$argon2") && !hash.contains(PHRASE));
    let mut audited = Vec::new();
    office
        .store()
        .audit_about(id, |e| {
            if let registry::audit::AuditAction::VisitStep { step, outcome } = e.action {
                audited.push((step, outcome));
            }
            std::ops::ControlFlow::Continue(())
        })
        .expect("audit");
    assert!(
        audited.contains(&(Step::Issuance, registry::audit::StepOutcome::Done)),
        "the issuance is audited: {audited:?}"
    );

    // openssl opens the file with the holder's password, and finds the certificate issued.
    let work = office.work("p12");
    let file_arg = file.to_str().expect("utf-8");
    let open = |password: &str| {
        let pass = format!("pass:{password}");
        // The holder's own certificate, the one beside the key.
        let args = ["pkcs12", "-in", file_arg, "-nokeys", "-clcerts", "-passin", &pass];
        tool("openssl", &args, &work)
    };
    let out = open(FILE_PASSWORD);
    assert!(out.status.success(), "{}", stderr(&out));
    let pem = work.join("holder.pem");
    std::fs::write(&pem, stdout(&out)).expect("pem");
    let pem_arg = pem.to_str().expect("utf-8");
    let text = tool(
        "openssl",
        &["x509", "-in", pem_arg, "-noout", "-serial", "-subject", "-nameopt", "utf8"],
        &work,
    );
    let text = stdout(&text);
    assert!(text.to_lowercase().contains(&format!("serial={}", line.serial)), "{text}");
    assert!(text.contains("陳大文") && text.contains("MA1234567"), "{text}");
    assert!(!open("Wrong-2026").status.success(), "a wrong password must not open the file");
}

#[test]
fn a_new_organisation_certificate_asked_for_by_its_employee() {
    let office = Office::new(true, false);
    let (org, membership) = trading_company_employing(office.person.id);
    office
        .store()
        .write(None, |w| {
            w.put(&org)?;
            w.put(&membership).map(drop)
        })
        .expect("the organisation and its employee");
    office.blank_token("stock-org");

    let open =
        office.ok(VisitOp::Open { service: Service::NewIssuance, applicant: office.person.id });
    let id = open.view.application.id;
    assert_eq!(open.view.organisations.iter().map(|o| o.id).collect::<Vec<_>>(), vec![org.id]);
    office.ok(VisitOp::Consent { application: id });
    office.identity(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file() });
    let set = office.ok(VisitOp::SetDetails {
        application: id,
        organisation: Some(org.id),
        class: CertificateClass::Qualified,
        years: 2,
    });
    assert_eq!(set.view.current(), Some(Step::Documents));
    office.ok(VisitOp::Documents {
        application: id,
        documents: vec![
            DocumentKind::BusinessLicence,
            DocumentKind::LegalRepresentativeId,
            DocumentKind::AgentId,
        ],
    });
    office.ok(VisitOp::Skip {
        application: id,
        step: Step::Email,
        supervisor: office.supervisor,
        reason: "the mail relay is down".into(),
    });
    let invoice = InvoiceDetails {
        kind: InvoiceKind::OrdinaryElectronic,
        title: "澳門貿易有限公司".into(),
        taxpayer_id: "123456789012345".into(),
        email: "accounts@trading.mo".into(),
        bank: None,
        bank_account: None,
        address: None,
        phone: None,
    };
    office.ok(VisitOp::Confirm { application: id, invoice: Some(invoice) });
    let (pdf, signed) = office.form_printed_and_signed(id, "form");
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingPayment);
    let form = pdf_text(&pdf, office.dir.path());
    for part in ["澳門貿易有限公司", "SO-12345", "123456789012345", "陳大文"] {
        assert!(form.contains(part), "{part} is not on the form:\n{form}");
    }
    office.pay(id, "R-200002");
    office.ok(VisitOp::Recheck { application: id });
    let issued = office.issue(id, HOLDER_PIN);
    assert_eq!(succeeded(&issued), "Some(Activated)");
    let done = office.ok(VisitOp::Complete { application: id });
    let app = &done.view.application;
    assert_eq!(app.state(), ApplicationState::Completed);
    assert_eq!(app.holder_kind, HolderKind::Organisation);
    assert_eq!((app.organisation, app.agent), (Some(org.id), Some(office.person.id)));
    let line = app.visit.issued.first().cloned().expect("what was issued");
    let made = office.certificate(line.certificate);
    assert_eq!(made.holder_organisation, Some(org.id));
    assert_eq!(made.holder_person, None, "the organisation's own certificate");

    let text = verified_on_token(
        &office.hsm,
        office.data(),
        "stock-org",
        &made.subject.cn,
        "org.der",
        &office.work("org"),
    );
    assert!(text.contains("O=澳門貿易有限公司"), "{text}");
    assert!(text.contains("serialNumber=SO-12345"), "{text}");
    let exported = office.exported_one("application", id);
    assert_eq!(exported["organisation"], org.id.to_string(), "{exported}");
    assert_eq!(exported["agent"], office.person.id.to_string(), "{exported}");
    assert_eq!(exported["holder_kind"], "organisation", "{exported}");
    assert_eq!(exported["invoice"]["taxpayer_id"], "123456789012345");
}

#[test]
fn a_lost_token_is_replaced_on_a_blank_one_after_its_certificate_is_revoked() {
    let office = Office::new(true, false);
    let old_serial = issued_with_kiosk(office.data(), &office.hsm, "holder", office.person.id);
    let old = office.certificate_by_serial(&old_serial);
    let old_token = old.token.expect("on the holder's token");
    office.blank_token("stock-new");

    let open =
        office.ok(VisitOp::Open { service: Service::Replacement, applicant: office.person.id });
    let id = open.view.application.id;
    office.ok(VisitOp::SelectCertificates {
        application: id,
        certificates: vec![old.id],
        phrase: None,
    });
    office.ok(VisitOp::Consent { application: id });
    office.identity(id);
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    let (_, signed) = office.form_printed_and_signed(id, "form");
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingPayment);
    // Nothing is issued before the old certificate is revoked.
    let early = office.issue(id, HOLDER_PIN);
    assert!(refusal(&early).starts_with("visit-step-not-open"), "{}", stdout(&early));
    office.pay(id, "R-300003");
    // Lost: revoked for a compromised key.
    let revoked =
        office.ok(VisitOp::Revoke { application: id, reason: RevocationReason::KeyCompromise });
    assert_eq!(revoked.notice, Some(Notice::Revoked { certificates: 1, seals: 0 }));
    assert_eq!(office.certificate(old.id).status, CertificateStatus::Revoked);
    let issued = office.issue(id, HOLDER_PIN);
    assert_eq!(succeeded(&issued), "Some(Activated)");
    assert!(office.opens("stock-new", HOLDER_PIN) && !office.opens("stock-new", PIN));
    let done = office.ok(VisitOp::Complete { application: id });
    assert_eq!(done.view.application.state(), ApplicationState::Completed);
    let line = done.view.application.visit.issued.first().cloned().expect("what was issued");
    assert_eq!(line.previous_serial.as_deref(), Some(old_serial.as_str()));
    let made = office.certificate(line.certificate);

    let text = verified_on_token(
        &office.hsm,
        office.data(),
        "stock-new",
        &made.subject.cn,
        "new.der",
        &office.work("new"),
    );
    assert!(text.to_lowercase().contains(&format!("serial={}", line.serial)), "{text}");
    let old_exported = office.exported_one("certificate", old.id);
    assert_eq!(old_exported["status"], "revoked");
    assert_eq!(old_exported["revocation"]["reason"], "keyCompromise", "{old_exported}");
    assert_eq!(office.exported_one("token", old_token)["status"], "lost");
    let new_token = made.token.expect("on the new token");
    assert_ne!(new_token, old_token);
    assert_eq!(office.exported_one("token", new_token)["status"], "issued");
    assert_eq!(office.exported_one("certificate", made.id)["status"], "valid");
}

#[test]
fn a_revocation_without_the_phrase_is_approved_by_a_supervisor_and_takes_its_seals() {
    let office = Office::new(true, false);
    let serial = issued_with_kiosk(office.data(), &office.hsm, "holder", office.person.id);
    let cert = office.certificate_by_serial(&serial);
    // The person signs as an organisation's employee with this certificate: the seal goes too.
    let org = trading_company();
    let seal = Seal {
        id: ulid::Ulid::new(),
        organisation: org.id,
        seal_kind: SealKind::Organisation,
        name: "陳大文".into(),
        certificate: Some(cert.id),
        status: SealStatus::Active,
    };
    office
        .store()
        .write(None, |w| {
            w.put(&org)?;
            w.put(&seal).map(drop)
        })
        .expect("the seal");

    let open =
        office.ok(VisitOp::Open { service: Service::Revocation, applicant: office.person.id });
    let id = open.view.application.id;
    let chosen = office.ok(VisitOp::SelectCertificates {
        application: id,
        certificates: vec![cert.id],
        phrase: None,
    });
    assert!(chosen.view.plan.iter().any(|p| p.step == Step::Approval), "no phrase: approval");
    office.ok(VisitOp::Consent { application: id });
    office.identity(id);
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    let (_, signed) = office.form_printed_and_signed(id, "form");
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingApproval);
    let early =
        office.refused(VisitOp::Revoke { application: id, reason: RevocationReason::Unspecified });
    assert_eq!(early.id, "visit-step-not-open");
    let own = office.refused(VisitOp::Approve { application: id, supervisor: office.clerk });
    assert_eq!(own.id, "visit-supervisor-own-action");
    office.ok(VisitOp::Approve { application: id, supervisor: office.supervisor });
    let revoked = office
        .ok(VisitOp::Revoke { application: id, reason: RevocationReason::CessationOfOperation });
    assert_eq!(revoked.notice, Some(Notice::Revoked { certificates: 1, seals: 1 }));
    office.ok(VisitOp::Complete { application: id });

    let exported = office.exported_one("certificate", cert.id);
    assert_eq!(exported["status"], "revoked", "{exported}");
    assert_eq!(office.exported_one("seal", seal.id)["status"], "revoked");
    let app = office.exported_one("application", id);
    assert_eq!(app["progress"]["state"], "completed");
    assert_eq!(app["progress"]["approved_by"], office.supervisor.to_string());
    // The office's CRL lists it.
    let crl_file = office.dir.path().join("office.crl");
    let mut crl = kiosk(office.data());
    in_hsm(&mut crl, &office.hsm).env("KIOSK_CA_PIN", CA_PIN);
    let out = crl.args(["ca", "crl", "--out"]).arg(&crl_file).output().expect("kiosk ca crl");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = tool(
        "openssl",
        &["crl", "-inform", "DER", "-in", crl_file.to_str().expect("utf-8"), "-noout", "-text"],
        office.dir.path(),
    );
    assert!(stdout(&text).to_lowercase().contains(&serial.to_lowercase()), "{}", stdout(&text));
}
