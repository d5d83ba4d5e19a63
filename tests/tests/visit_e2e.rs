//! The counter's visit wizard driven as a clerk drives it: the real `kiosk` binary in a real
//! terminal (tmux), by keys only, against the real stacks. A walk-in renewal from the appointment
//! pass to the completion notice (the passport chip behind pcscd + vpcd, the email code read back
//! from a local SMTP server, the form and the receipt through the test CUPS, the signed form's QR
//! code read back from the printed PDF, the new certificate on a SoftHSM2 token), counting the
//! keys and the software's waits; an identity check that fails and is overridden by a
//! supervisor on the clerk's screen; a visit killed with SIGKILL and resumed at the same step;
//! a new organisation certificate asked for by its employee, issued onto a blank token from stock
//! in the office's own SoftHSM2; a revocation without the phrase, approved by a supervisor who
//! signs in on the clerk's screen.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use card_readers::emrtd::vcard::{TestPki, VirtualPassport, insert, pcscd, sample_face};
use kiosk::config::Config;
use registry::audit::{AuditAction, StepOutcome};
use registry::model::{
    Appointment, AppointmentStatus, Certificate, CertificateClass, CertificateStatus, HolderKind,
    Person, RecordId, Service, SubjectDn,
};
use registry::visit::Step;
use serde_json::Value;
use tempfile::TempDir;
use tests::tmux::{Authenticator, DEADLINE, Tmux, line_with, sign_in, wait_out_office_midnight};
use tests::visit::{
    CA_PIN, PIN, SO_PIN, certificate_on_a_token, chan, chans_mrz, form_code_of, in_hsm,
    issued_with_kiosk, mrz_information, office_hsm, pkcs11_tool, tool, trading_company_employing,
    verified_on_token,
};
use tests::{kiosk, run_with_stdin, stderr, stdout};
use time::OffsetDateTime;
use tokens::softhsm::{MODULE, SoftHsm};

const PASSWORD: &str = "Counter-2026e";
const CLERK: &str = "clerk.visit";
const SUPERVISOR: &str = "super.visit";
/// The applicant's new revocation phrase, typed on the counter's keyboard.
const PHRASE: &str = "Sesame-Open-42";
/// The PIN the applicant chooses for their token from stock (the stock's is `PIN`).
const HOLDER_PIN: &str = "482913";
const PAYMENT_REFERENCE: &str = "R-000042";

/// An office of its own: a store with the applicant on file, a clerk and a supervisor added with
/// `kiosk clerk add` (their authenticator apps set up from the printed URIs), and `kiosk.toml`.
struct Office {
    dir: TempDir,
    data: PathBuf,
    person: Person,
    clerk: Authenticator,
    supervisor: Authenticator,
}

impl Office {
    fn new(person: Person, toml: &str) -> Office {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let ctx = kiosk::Context {
            data_dir: data.clone(),
            config: Config::default(),
            lang: i18n::Language::En,
        };
        ctx.open_store_quietly().expect("store").put(None, &person).expect("the person");
        std::fs::write(data.join("kiosk.toml"), toml).expect("kiosk.toml");
        let clerk = add_clerk(&data, CLERK, "何家豪 HO KA HOU", "clerk");
        let supervisor = add_clerk(&data, SUPERVISOR, "李國強 LEI KUOK KEONG", "supervisor");
        Office { dir, data, person, clerk, supervisor }
    }

    fn store(&self) -> store::Store {
        let ctx = kiosk::Context {
            data_dir: self.data.clone(),
            config: Config::default(),
            lang: i18n::Language::En,
        };
        ctx.open_store_quietly().expect("store")
    }

    /// A certificate of the person's on file, due in 20 days, on no token (the visit does not
    /// get to issuance).
    fn due_certificate(&self) -> RecordId {
        let now = OffsetDateTime::now_utc();
        let cert = Certificate {
            id: ulid::Ulid::new(),
            class: CertificateClass::Qualified,
            holder_kind: HolderKind::Person,
            subject: SubjectDn { cn: "陳大文".into(), ..Default::default() },
            serial: Some("4a1b2c3d".into()),
            not_before: Some(now - time::Duration::days(700)),
            not_after: Some(now + time::Duration::days(20)),
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

    /// The passport's country signing CA, trusted by the office.
    fn trust_csca(&self, pki: &TestPki) {
        let csca = self.data.join("csca");
        std::fs::create_dir_all(&csca).expect("csca dir");
        std::fs::write(csca.join("mo.der"), &pki.csca_der).expect("csca");
    }

    /// The counter app in a terminal of its own, at the 80×24 the screens are laid out for
    /// (`name` keeps two runs of one test apart).
    fn counter(&self, name: &str, env: &[(&str, &str)]) -> Tmux {
        let dir = self.dir.path().join(name);
        std::fs::create_dir_all(&dir).expect("the terminal's folder");
        let data = self.data.to_str().expect("a UTF-8 path");
        Tmux::start_with_env(&dir, 80, 24, &["--data-dir", data, "--lang", "en"], env)
    }

    /// Every record of `kind` in `kiosk export`.
    fn exported(&self, kind: &str) -> Vec<Value> {
        let out = kiosk(&self.data).arg("export").output().expect("kiosk export");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
            .filter(|r| r["kind"] == kind)
            .collect()
    }

    /// The person's one application.
    fn application(&self) -> Value {
        let mut apps = self.exported("application");
        assert_eq!(apps.len(), 1, "{apps:?}");
        apps.remove(0)
    }

    /// The visit-step audit events about `application`, oldest first.
    fn audited(&self, application: &str) -> Vec<(Step, StepOutcome)> {
        let id: RecordId = application.parse().expect("an id");
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

/// `kiosk clerk add` with the password from a pipe: the new account's authenticator app.
fn add_clerk(data: &Path, id: &str, name: &str, role: &str) -> Authenticator {
    let mut add = kiosk(data);
    add.args(["--lang", "en", "clerk", "add", "--id", id, "--name", name, "--role", role]);
    let added = run_with_stdin(add, format!("{PASSWORD}\n").as_bytes());
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let printed = stdout(&added);
    let uri = printed
        .split_whitespace()
        .find(|w| w.starts_with("otpauth://totp/"))
        .unwrap_or_else(|| panic!("clerk add prints no URI:\n{printed}"));
    Authenticator::from_uri(uri)
}

/// A counter photo that passes the photo rules: a 600×800 JPEG with detail in it.
fn photo_file(dir: &Path) -> PathBuf {
    let path = dir.join("counter-photo.jpg");
    image::RgbImage::from_fn(600, 800, |x, y| {
        let v = ((x * 7 + y * 13) % 200 + 30) as u8;
        image::Rgb([v, v.wrapping_add(10), v.wrapping_sub(10)])
    })
    .save_with_format(&path, image::ImageFormat::Jpeg)
    .expect("jpeg");
    path
}

/// The two lines of a typed MRZ.
fn mrz_lines(mrz: &str) -> Vec<&str> {
    mrz.lines().collect()
}

/// What one step of the renewal cost: the keys the clerk pressed to move on (navigation), the
/// keys of what the applicant supplies (typed or scanned data, a scanner's own Enter included),
/// and the time the screen took to answer them.
#[derive(Debug)]
struct Tally {
    step: &'static str,
    /// The devices the step's wait includes, if any.
    devices: &'static str,
    nav: Vec<String>,
    data: usize,
    /// Each answer waited for: the key it answered, and how long it took.
    waits: Vec<(String, Duration)>,
}

impl Tally {
    fn wait(&self) -> Duration {
        self.waits.iter().map(|(_, d)| *d).sum()
    }
}

/// The renewal walked by keys, with the keys counted and the answers timed.
struct Walk<'a> {
    tmux: &'a Tmux,
    steps: Vec<Tally>,
    last_key: Instant,
    /// What the last key was, for the report: a key's name, "typed" or "scan".
    last: String,
}

impl<'a> Walk<'a> {
    fn new(tmux: &'a Tmux) -> Walk<'a> {
        Walk { tmux, steps: Vec::new(), last_key: Instant::now(), last: String::new() }
    }

    fn step(&mut self, step: &'static str, devices: &'static str) {
        self.steps.push(Tally { step, devices, nav: Vec::new(), data: 0, waits: Vec::new() });
    }

    fn tally(&mut self) -> &mut Tally {
        self.steps.last_mut().expect("a step begun")
    }

    /// A key the clerk presses to move on: Enter, Tab, Space, an arrow, an F-key, a command
    /// letter.
    fn nav(&mut self, key: &str) {
        self.last_key = Instant::now();
        self.tmux.keys(&[key]);
        self.last = key.to_owned();
        self.tally().nav.push(key.to_owned());
    }

    /// What the applicant supplies, typed on the keyboard: one key a character.
    fn data(&mut self, text: &str) {
        self.last_key = Instant::now();
        self.tmux.type_text(text);
        self.last = "typed".into();
        self.tally().data += text.chars().count();
    }

    /// A code or a document zone typed by a keyboard-wedge scanner, which ends it with its own
    /// Enter: every key the scanner's.
    fn scan(&mut self, text: &str) {
        self.tmux.type_text(text);
        self.last_key = Instant::now();
        self.tmux.keys(&["Enter"]);
        self.last = "scan".into();
        self.tally().data += text.chars().count() + 1;
    }

    /// Waits for the screen to show the answer to the last key, and adds the time it took to
    /// the step's wait: from just before the key was sent to the first capture that shows the
    /// answer (so a little over, by the time tmux takes to start and one poll at most). Answers
    /// the screen once it has settled.
    fn answer(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = self.last_key + DEADLINE;
        loop {
            let screen = self.tmux.screen();
            if done(&screen) {
                let took = self.last_key.elapsed();
                let key = self.last.clone();
                self.tally().waits.push((key, took));
                return self.tmux.wait_until(what, done);
            }
            assert!(Instant::now() < deadline, "{what} never came; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn answer_text(&mut self, text: &str) -> String {
        self.answer(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Prints the `renewal keys:` and `renewal waits:` lines, each step's and the totals.
    fn report(&self) -> usize {
        let nav: usize = self.steps.iter().map(|t| t.nav.len()).sum();
        let data: usize = self.steps.iter().map(|t| t.data).sum();
        let wait: Duration = self.steps.iter().map(Tally::wait).sum();
        let software: Duration =
            self.steps.iter().filter(|t| t.devices.is_empty()).map(Tally::wait).sum();
        eprintln!("renewal keys: {nav} navigation, {data} applicant data");
        for t in &self.steps {
            eprintln!(
                "renewal keys:   {:<28} navigation {:>2} ({}), data {:>3}",
                t.step,
                t.nav.len(),
                t.nav.join(" "),
                t.data
            );
        }
        eprintln!(
            "renewal waits: {} ms in all; {} ms in steps with no device",
            wait.as_millis(),
            software.as_millis()
        );
        for t in &self.steps {
            let devices = if t.devices.is_empty() {
                String::new()
            } else {
                format!(" (includes {})", t.devices)
            };
            let each: Vec<String> =
                t.waits.iter().map(|(key, d)| format!("{key} {} ms", d.as_millis())).collect();
            eprintln!(
                "renewal waits:   {:<28} {:>6} ms [{}]{devices}",
                t.step,
                t.wait().as_millis(),
                each.join(", ")
            );
        }
        nav
    }
}

/// The serial after `prefix` on the screen (`New certificate 1a2b…, expires …`).
fn serial_after(screen: &str, prefix: &str) -> String {
    let line = screen.lines().find(|l| l.contains(prefix)).unwrap_or_else(|| {
        panic!("no {prefix:?} on the screen:\n{screen}");
    });
    let rest = &line[line.find(prefix).expect("found") + prefix.len()..];
    rest.split([',', ' ']).next().unwrap_or_default().to_owned()
}

/// The applicant's appointment for today, booked for a renewal.
fn book_renewal(office: &Office) -> Appointment {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("offset");
    let appointment = Appointment {
        id: ulid::Ulid::new(),
        reference: "B100001".into(),
        person: Some(office.person.id),
        organisation: None,
        booked_name: "陳大文".into(),
        service: Service::Renewal,
        slot: OffsetDateTime::now_utc().to_offset(offset),
        status: AppointmentStatus::Booked,
    };
    office.store().put(None, &appointment).expect("appointment");
    appointment
}

/// The pass the booking system sent: `kiosk appointment pass ID`.
fn pass_of(office: &Office, appointment: &Appointment) -> String {
    let out = kiosk(&office.data)
        .args(["appointment", "pass", &appointment.id.to_string()])
        .output()
        .expect("kiosk appointment pass");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pass = stdout(&out).trim().to_owned();
    assert!(pass.starts_with("KQ1|"), "{pass}");
    pass
}

/// The printer's output files once there are `n`, each a whole PDF.
fn printed(cups: &printers::cups::Cups, n: usize) -> Vec<PathBuf> {
    let deadline = Instant::now() + DEADLINE;
    loop {
        let outputs = cups.outputs("counter").expect("outputs");
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

/// The code in the latest mail to `address`, once it has arrived.
fn mailed_code(smtp: &tests::Smtp, address: &str) -> String {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(code) = smtp.code_for(address) {
            return code;
        }
        assert!(Instant::now() < deadline, "no code reached {address}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_walk_in_renewal_from_the_pass_to_the_new_certificate_by_keys_only() {
    wait_out_office_midnight();
    let _pcscd = pcscd().expect("pcscd with vpcd (scripts/deps.sh test)");
    let work = tempfile::tempdir().expect("tempdir");
    let cups = printers::cups::Cups::start(&work.path().join("cups")).expect("cupsd");
    let printer = cups.add_pdf_queue("counter").expect("queue");
    let smtp = tests::Smtp::start(work.path());
    let toml = format!(
        "printer = \"{printer}\"\ntoken_module = \"{MODULE}\"\nmail_relay = \"{}\"\n\
         mail_from = \"counter@example.mo\"\n",
        smtp.url()
    );
    let office = Office::new(chan(), &toml);
    let (holder_token, old_id) =
        certificate_on_a_token(&office.data, &mut office.store(), office.person.id);
    let old: Certificate = office.store().get(old_id).expect("read").expect("the old one");
    let old_serial = old.serial.clone().expect("a serial");
    let pki = TestPki::new("MO").expect("pki");
    office.trust_csca(&pki);
    let face = sample_face(20_000);
    let mrz = chans_mrz();
    let _card =
        insert(VirtualPassport::new(&mrz_information(&mrz), pki.files(&mrz, &face))).expect("card");
    let appointment = book_renewal(&office);
    let pass = pass_of(&office, &appointment);
    let photo = photo_file(work.path());
    let photo_path = photo.to_str().expect("a UTF-8 path");

    let tmux = office.counter("counter", &[("KIOSK_CA_PIN", CA_PIN)]);
    sign_in(&tmux, CLERK, PASSWORD, &office.clerk, None);
    tmux.wait_for("Appointments (1)");

    let mut walk = Walk::new(&tmux);
    walk.step("check-in (pass scanned)", "");
    walk.scan(&pass);
    walk.answer("the check-in", |s| {
        s.contains("陳大文 is checked in.")
            && line_with(s, &["陳大文", "Renewal"]).is_some_and(|r| r.contains("checked in"))
    });

    walk.step("file and service picker", "");
    walk.nav("Enter");
    walk.answer("the file", |s| s.contains("Subscriber file") && s.contains("Certificates"));
    walk.nav("v");
    walk.answer_text("Start a service");
    walk.nav("Enter");
    let certificates = walk.answer_text("Every certificate due is renewed together");
    assert!(certificates.contains(&old_serial), "the due certificate is listed:\n{certificates}");
    assert!(certificates.contains("[x] "), "pre-selected:\n{certificates}");

    walk.step("certificates", "");
    walk.nav("Enter");
    walk.answer_text("Enter sends a code to the address");

    walk.step("email: send the code", "the SMTP relay");
    walk.nav("Enter");
    walk.answer_text("A code was sent to chan@example.mo.");
    let code = mailed_code(&smtp, "chan@example.mo");
    walk.step("email: check the code", "");
    walk.data(&code);
    walk.nav("Enter");
    walk.answer_text("The person reads the Personal Data Collection");

    walk.step("consent", "");
    walk.nav("Space");
    walk.answer_text("[x] I agree to and accept the Personal Data");
    walk.nav("Enter");
    let identity = walk.answer_text("Scan the document's machine readable zone");
    assert!(identity.contains("The chip is read after the zone"), "{identity}");

    walk.step("identity (chip)", "the chip read over PC/SC");
    let lines = mrz_lines(&mrz);
    walk.scan(lines[0]);
    walk.scan(lines[1]);
    let photo_step = walk.answer_text("Photo file");
    assert!(photo_step.contains("The chip's photo is kept for comparison."), "{photo_step}");

    walk.step("photo (file)", "");
    walk.data(photo_path);
    walk.nav("Enter");
    walk.answer_text("[ ] I agree to and accept the Applicant");

    walk.step("data confirmation", "");
    walk.nav("Space");
    walk.answer_text("[x] I agree to and accept the Applicant");
    walk.nav("Enter");
    walk.answer_text("Enter prints the application form");

    walk.step("form: print", "CUPS");
    walk.nav("Enter");
    walk.answer("the form printed", |s| {
        s.contains("Scan the QR code of the signed form") && s.contains("Printed ")
    });
    let outputs = printed(&cups, 1);
    assert_eq!(outputs.len(), 1, "the form, and nothing else yet: {outputs:?}");
    let form_code = form_code_of(&outputs[0], work.path());
    assert!(form_code.starts_with("KF2|"), "{form_code}");

    walk.step("form: signed copy scanned", "");
    walk.scan(&form_code);
    let payment = walk.answer("the payment step", |s| {
        s.contains("Receipt or terminal reference")
            && s.contains("Confirmed: the certificate renewal application")
    });
    assert!(payment.contains("[cash]"), "cash is the method offered:\n{payment}");

    walk.step("payment, receipt, re-check", "CUPS (the receipt)");
    walk.data(PAYMENT_REFERENCE);
    walk.nav("Enter");
    walk.answer_text("Token PIN");

    walk.step("activation", "SoftHSM2 and the office CA");
    walk.data(PIN);
    walk.nav("Tab");
    walk.data(PHRASE);
    walk.nav("Enter");
    let completion = walk.answer("the completion notice", |s| {
        s.contains("Activated successfully.") && s.contains("Enter closes the application")
    });
    assert!(!completion.contains(PIN) && !completion.contains(PHRASE), "{completion}");

    walk.step("completion", "");
    walk.nav("Enter");
    let done = walk.answer_text("The application is completed.");
    let new_serial = serial_after(&done, "New certificate ");
    assert_eq!(serial_after(&done, "Old certificate "), old_serial, "{done}");
    assert_ne!(new_serial, old_serial, "{done}");

    let navigation = walk.report();
    // The chip read alone, in this process, for the device share of the identity step's wait.
    let trust = card_readers::emrtd::load_trust_store(&office.data.join("csca")).expect("csca");
    let today = OffsetDateTime::now_utc().date();
    let printed_mrz = registry::mrz::parse(&mrz, today).expect("mrz");
    let started = Instant::now();
    card_readers::emrtd::read_document(&printed_mrz, None, &trust, today).expect("chip read");
    let chip = started.elapsed();
    let identity = walk.steps.iter().find(|t| t.step == "identity (chip)").expect("identity");
    eprintln!(
        "renewal waits: the chip read alone (this process, the same card) took {} ms: the \
         identity step without it about {} ms",
        chip.as_millis(),
        identity.wait().saturating_sub(chip).as_millis()
    );
    assert!(navigation <= 25, "{navigation} navigation keys: the aim is at most 25");

    // Ctrl-C: nothing is in progress, the kiosk quits at once.
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_for_exit(), "0", "{}", tmux.screen());

    // The form and the receipt came out of the printer; the receipt names the payment.
    let outputs = printed(&cups, 2);
    assert_eq!(outputs.len(), 2, "{outputs:?}");
    let receipt = tool("pdftotext", &[outputs[1].to_str().expect("utf-8"), "-"], work.path());
    assert!(receipt.status.success(), "{}", stderr(&receipt));
    assert!(stdout(&receipt).contains(PAYMENT_REFERENCE), "{}", stdout(&receipt));

    // The token holds the new certificate, which openssl verifies against the office's chain.
    let dir = work.path();
    let read = [
        "--token-label",
        &holder_token,
        "--read-object",
        "--type",
        "cert",
        "--label",
        "陳大文",
        "-o",
        "new.der",
    ];
    pkcs11_tool(&read, dir);
    let shown =
        tool("openssl", &["x509", "-inform", "DER", "-in", "new.der", "-noout", "-serial"], dir);
    assert_eq!(stdout(&shown).trim().to_lowercase(), format!("serial={new_serial}"));
    let config = tokens::ca::CaConfig::load(&office.data).expect("ca config");
    let chain = std::fs::read(office.data.join("ca").join(&config.chain)).expect("chain");
    let certs = tokens::ca::read_pem_chain(&chain).expect("pem");
    std::fs::write(dir.join("sub.pem"), tokens::ca::pem_chain(&certs[..1])).expect("sub");
    std::fs::write(dir.join("root.pem"), tokens::ca::pem_chain(&certs[1..])).expect("root");
    let pem =
        tool("openssl", &["x509", "-inform", "DER", "-in", "new.der", "-out", "new.pem"], dir);
    assert!(pem.status.success(), "{}", stderr(&pem));
    let verify = tool(
        "openssl",
        &["verify", "-CAfile", "root.pem", "-untrusted", "sub.pem", "new.pem"],
        dir,
    );
    assert!(verify.status.success(), "{}{}", stdout(&verify), stderr(&verify));

    // `kiosk export`: the completed application and the renewed certificate.
    let application = office.application();
    assert_eq!(application["progress"]["state"], "completed", "{application}");
    assert_eq!(application["visit"]["issued"][0]["serial"], new_serial.as_str());
    assert_eq!(application["progress"]["payment"]["reference"], PAYMENT_REFERENCE);
    let renewed = office
        .exported("certificate")
        .into_iter()
        .find(|c| c["serial"] == new_serial.as_str())
        .expect("the renewed certificate");
    assert_eq!(renewed["status"], "valid");
    assert_eq!(renewed["issuance"]["previous"], old_id.to_string());
    let appointments = office.exported("appointment");
    assert_eq!(appointments[0]["status"], "checked_in", "{appointments:?}");
    let audited = office.audited(application["id"].as_str().expect("id"));
    for step in [Step::Email, Step::Identity, Step::Photo, Step::Form, Step::Issuance] {
        assert!(audited.contains(&(step, StepOutcome::Done)), "{step:?}: {audited:?}");
    }
}

/// Through the renewals-due tab to the person's file, then V and Enter: the renewal opens (or
/// resumes) at the step it stands.
fn open_renewal(tmux: &Tmux) {
    tmux.wait_for("Appointments (0)");
    tmux.keys(&["Tab", "Tab"]);
    tmux.wait_until("the renewals due", |s| line_with(s, &["陳大文", " days"]).is_some());
    tmux.keys(&["Enter"]);
    tmux.wait_until("the file", |s| s.contains("Subscriber file") && s.contains("Certificates"));
    tmux.keys(&["v"]);
    tmux.wait_for("Start a service");
    tmux.keys(&["Enter"]);
}

/// From the certificates step through consent: the visit then stands at the identity check
/// (the person has no email address on file, so there is no code to verify).
fn up_to_identity(tmux: &Tmux) {
    tmux.wait_for("Every certificate due is renewed together");
    tmux.keys(&["Enter"]);
    tmux.wait_for("The person reads the Personal Data Collection");
    tmux.keys(&["Space"]);
    tmux.wait_for("[x] I agree to and accept the Personal Data");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Scan the document's machine readable zone");
}

#[test]
fn an_identity_check_that_fails_is_overridden_by_a_supervisor_on_the_clerks_screen() {
    wait_out_office_midnight();
    // On file a year older than the passport says.
    let person =
        Person { birth_date: Some(time::macros::date!(1979 - 05 - 17)), email: None, ..chan() };
    let office = Office::new(person, "");
    office.due_certificate();
    let tmux = office.counter("counter", &[]);
    let (_, signed_in_at) = sign_in(&tmux, CLERK, PASSWORD, &office.clerk, None);
    open_renewal(&tmux);
    up_to_identity(&tmux);

    // No reader at this counter: F5, the typed zone alone.
    tmux.keys(&["F5"]);
    tmux.wait_for("The typed zone alone is checked");
    for line in mrz_lines(&chans_mrz()) {
        tmux.type_text(line);
        tmux.keys(&["Enter"]);
    }
    // The refusal and the fields it names, at once: the wizard reads back the check the step
    // saved with its refusal.
    let refused = tmux.wait_for("✗ ");
    assert!(refused.contains("Invalid identity document personal data."), "{refused}");
    assert!(refused.contains("✗ date of birth"), "{refused}");
    assert!(!refused.contains("✗ name") && !refused.contains("✗ document number"), "{refused}");
    assert!(refused.contains("F6: a supervisor may accept the person"), "{refused}");
    assert!(!refused.contains("Photo file"), "the visit went on:\n{refused}");

    // F6 and the reason; the clerk's own account is no supervisor.
    let reason = "Birth date mistyped at registration; passport checked by hand";
    tmux.keys(&["F6"]);
    tmux.wait_for("Supervisor: accept the person despite");
    tmux.type_text(reason);
    tmux.keys(&["Enter"]);
    sign_in(&tmux, CLERK, PASSWORD, &office.clerk, Some(signed_in_at));
    let own = tmux.wait_for("Only a supervisor can allow this.");
    assert!(own.contains("Invalid identity document personal data."), "{own}");

    // The supervisor signs in on the same screen: the visit goes on to the photo.
    tmux.keys(&["F6"]);
    tmux.wait_for("Supervisor: accept the person despite");
    tmux.type_text(reason);
    tmux.keys(&["Enter"]);
    sign_in(&tmux, SUPERVISOR, PASSWORD, &office.supervisor, None);
    let photo = tmux.wait_for("Photo file");
    assert!(!photo.contains("Supervisor: accept"), "{photo}");

    let application = office.application();
    assert_eq!(application["identity_override"], true, "{application}");
    let identity = &application["visit"]["identity"];
    assert_eq!(identity["mismatches"], serde_json::json!(["birth_date"]), "{identity}");
    assert_eq!(identity["overridden"]["reason"], reason, "{identity}");
    let supervisor = office
        .exported("clerk")
        .into_iter()
        .find(|c| c["username"] == SUPERVISOR)
        .expect("the supervisor's record");
    assert_eq!(identity["overridden"]["by"], supervisor["id"], "{identity}");
    let audited = office.audited(application["id"].as_str().expect("id"));
    let by: RecordId = supervisor["id"].as_str().expect("id").parse().expect("an id");
    assert!(audited.contains(&(Step::Identity, StepOutcome::Overridden { by })), "{audited:?}");
}

#[test]
fn a_visit_killed_with_sigkill_resumes_at_the_same_step() {
    wait_out_office_midnight();
    let office = Office::new(Person { email: None, ..chan() }, "");
    office.due_certificate();
    let tmux = office.counter("first", &[]);
    let (_, signed_in_at) = sign_in(&tmux, CLERK, PASSWORD, &office.clerk, None);
    open_renewal(&tmux);
    up_to_identity(&tmux);
    // Half the zone typed, then the power goes.
    tmux.type_text(mrz_lines(&chans_mrz())[0]);
    tmux.wait_for("P<MACCHAN<<TAI<MAN");
    let pid = tmux.kiosk_pid().expect("the kiosk runs under the pane's shell");
    let kill = std::process::Command::new("kill").args(["-KILL", &pid]).status();
    assert!(kill.expect("kill runs").success(), "SIGKILL to {pid}");
    assert_eq!(tmux.wait_for_exit(), "137", "{}", tmux.screen());
    drop(tmux);

    let tmux = office.counter("second", &[]);
    sign_in(&tmux, CLERK, PASSWORD, &office.clerk, Some(signed_in_at));
    open_renewal(&tmux);
    let resumed = tmux.wait_for("Scan the document's machine readable zone");
    assert!(line_with(&resumed, &["▶ Identity document"]).is_some(), "{resumed}");
    assert!(line_with(&resumed, &["✓ Certificates"]).is_some(), "{resumed}");
    assert!(line_with(&resumed, &["✓ Personal data"]).is_some(), "{resumed}");
    assert!(!resumed.contains("P<MACCHAN"), "what was typed was never saved:\n{resumed}");
    let apps = office.exported("application");
    assert_eq!(apps.len(), 1, "the same application, not a second one: {apps:?}");
    assert_eq!(apps[0]["consent_given"], true);
    let verify = kiosk(&office.data).args(["store", "verify"]).output().expect("verify");
    assert_eq!(verify.status.code(), Some(0), "{}{}", stdout(&verify), stderr(&verify));
}

/// An office for the services that write to or revoke on tokens: its own SoftHSM2 (so that the
/// only tokens plugged in are the ones the test plugs in) with the office CA made by `kiosk ca
/// init`, and the test CUPS for the forms and receipts. The counter's pane gets the SoftHSM2
/// directory, the office CA's PIN and the stock tokens' PIN in its environment.
struct TokenOffice {
    office: Office,
    hsm: SoftHsm,
    cups: printers::cups::Cups,
    /// cupsd's folder, removed once cupsd (above) has stopped.
    _cups_dir: TempDir,
}

impl TokenOffice {
    fn new() -> TokenOffice {
        let cups_dir = tempfile::tempdir().expect("tempdir");
        let cups = printers::cups::Cups::start(&cups_dir.path().join("cups")).expect("cupsd");
        let printer = cups.add_pdf_queue("counter").expect("queue");
        let toml = format!("printer = \"{printer}\"\ntoken_module = \"{MODULE}\"\n");
        let office = Office::new(chan(), &toml);
        let hsm = office_hsm(office.dir.path(), &office.data);
        TokenOffice { office, hsm, cups, _cups_dir: cups_dir }
    }

    fn counter(&self) -> Tmux {
        let conf = self.hsm.conf.to_str().expect("a UTF-8 path");
        let env = [("SOFTHSM2_CONF", conf), ("KIOSK_CA_PIN", CA_PIN), ("KIOSK_STOCK_PIN", PIN)];
        self.office.counter("counter", &env)
    }

    /// A folder of the test's, for files read back (forms, certificates).
    fn work(&self, name: &str) -> PathBuf {
        let dir = self.office.dir.path().join(name);
        std::fs::create_dir_all(&dir).expect("work dir");
        dir
    }

    /// A new token `label` in the office's SoftHSM2, initialised as `kiosk token init` does
    /// for a token from stock.
    fn blank_token(&self, label: &str) {
        let mut init = kiosk(&self.office.data);
        in_hsm(&mut init, &self.hsm).args(["token", "init", "--module", MODULE]);
        init.args(["--token-label", label, "--so-pin", SO_PIN, "--pin", PIN]);
        let out = init.output().expect("kiosk token init runs");
        assert!(out.status.success(), "kiosk token init: {}", stderr(&out));
    }

    /// Enter prints the form through the test CUPS (the `n`-th printout); its signed copy's
    /// code, read back from the PDF, is typed by the scanner with its Enter. Answers the PDF.
    fn form_printed_and_scanned(&self, tmux: &Tmux, n: usize, name: &str) -> PathBuf {
        tmux.wait_for("Enter prints the application form");
        tmux.keys(&["Enter"]);
        tmux.wait_until("the form printed", |s| {
            s.contains("Scan the QR code of the signed form") && s.contains("Printed ")
        });
        let outputs = printed(&self.cups, n);
        let pdf = outputs[n - 1].clone();
        let code = form_code_of(&pdf, &self.work(name));
        assert!(code.starts_with("KF2|"), "{code}");
        tmux.type_text(&code);
        tmux.keys(&["Enter"]);
        pdf
    }

    /// The supervisor's clerk record id.
    fn supervisor_id(&self) -> String {
        let supervisor = self
            .office
            .exported("clerk")
            .into_iter()
            .find(|c| c["username"] == SUPERVISOR)
            .expect("the supervisor's record");
        supervisor["id"].as_str().expect("an id").to_owned()
    }
}

/// F3, the person's name, their file, `v`, and the service `downs` rows below Renewal in the
/// picker, named `service`, opened with Enter.
fn open_service(tmux: &Tmux, downs: usize, service: &str) {
    tmux.wait_for("Appointments (0)");
    tmux.keys(&["F3"]);
    tmux.wait_for("Name, ID number, phone or certificate serial");
    tmux.type_text("陳大文");
    tmux.wait_until("the search result", |s| line_with(s, &["陳大文", "CHAN TAI MAN"]).is_some());
    tmux.keys(&["Enter"]);
    tmux.wait_until("the file", |s| s.contains("Subscriber file") && s.contains("Certificates"));
    tmux.keys(&["v"]);
    tmux.wait_for("Start a service");
    for _ in 0..downs {
        tmux.keys(&["Down"]);
    }
    tmux.wait_for(&format!("▶ {service} "));
    tmux.keys(&["Enter"]);
}

/// Consent ticked and given.
fn consent(tmux: &Tmux) {
    tmux.wait_for("The person reads the Personal Data Collection");
    tmux.keys(&["Space"]);
    tmux.wait_for("[x] I agree to and accept the Personal Data");
    tmux.keys(&["Enter"]);
}

/// No reader at this counter: F5, and 陳大文's passport zone typed line by line.
fn typed_identity(tmux: &Tmux) {
    tmux.wait_for("Scan the document's machine readable zone");
    tmux.keys(&["F5"]);
    tmux.wait_for("The typed zone alone is checked");
    for line in mrz_lines(&chans_mrz()) {
        tmux.type_text(line);
        tmux.keys(&["Enter"]);
    }
}

#[test]
fn a_new_organisation_certificate_for_its_employee_by_keys_only() {
    wait_out_office_midnight();
    let office = TokenOffice::new();
    let (org, membership) = trading_company_employing(office.office.person.id);
    office
        .office
        .store()
        .write(None, |w| {
            w.put(&org)?;
            w.put(&membership).map(drop)
        })
        .expect("the organisation and its employee");
    office.blank_token("stock-org");
    let photo = photo_file(office.office.dir.path());

    let tmux = office.counter();
    sign_in(&tmux, CLERK, PASSWORD, &office.office.clerk, None);
    open_service(&tmux, 1, "New certificate");
    consent(&tmux);
    typed_identity(&tmux);

    tmux.wait_for("Photo file");
    tmux.type_text(photo.to_str().expect("a UTF-8 path"));
    tmux.keys(&["Enter"]);

    // Details: the organisation as holder (↓), the class as it is, a year more (→).
    let details = tmux.wait_for("Whose certificate");
    assert!(details.contains("(•) personal: 陳大文"), "the person first:\n{details}");
    tmux.keys(&["Down"]);
    tmux.wait_for("(•) for the organisation 澳門貿易有限公司");
    let years = |s: &str| {
        s.lines()
            .find(|l| l.contains("Validity: "))
            .map(|l| l.trim().to_owned())
            .unwrap_or_default()
    };
    let before = years(&tmux.screen());
    tmux.keys(&["Right"]);
    let after =
        years(&tmux.wait_until("a year more", |s| !years(s).is_empty() && years(s) != before));
    tmux.keys(&["Enter"]);

    // The organisation's papers: each ticked.
    let papers = tmux.wait_for("Tick each paper collected");
    let rows = papers.lines().filter(|l| l.contains("[ ] ")).count();
    assert!(rows >= 1, "papers to collect:\n{papers}");
    for i in 0..rows {
        tmux.keys(&["Space"]);
        tmux.wait_until("a paper ticked", |s| s.matches("[x] ").count() == i + 1);
        tmux.keys(&["Down"]);
    }
    tmux.keys(&["Enter"]);

    // Email: the relay is down today; the supervisor lets the visit go on, with a reason.
    tmux.wait_for("Enter sends a code to the address");
    tmux.keys(&["F6"]);
    tmux.wait_for("Supervisor: let the visit go on without");
    tmux.type_text("The mail relay is down");
    tmux.keys(&["Enter"]);
    sign_in(&tmux, SUPERVISOR, PASSWORD, &office.office.supervisor, None);

    // Confirmation: F4 ticks the agreement (the keys type into the invoice's fields).
    tmux.wait_for("[ ] I agree to and accept the Applicant");
    tmux.keys(&["F4"]);
    tmux.wait_for("[x] I agree to and accept the Applicant");
    tmux.type_text("123456789012345");
    tmux.keys(&["Tab"]);
    tmux.type_text("accounts@trading.mo");
    tmux.wait_for("accounts@trading.mo");
    tmux.keys(&["Enter"]);

    let pdf = office.form_printed_and_scanned(&tmux, 1, "form");
    let form = tool("pdftotext", &[pdf.to_str().expect("utf-8"), "-"], office.office.dir.path());
    for part in ["澳門貿易有限公司", "SO-12345", "123456789012345"] {
        assert!(stdout(&form).contains(part), "{part} is not on the form:\n{}", stdout(&form));
    }

    tmux.wait_for("Receipt or terminal reference");
    tmux.type_text(PAYMENT_REFERENCE);
    tmux.keys(&["Enter"]);
    // The re-check runs by itself: the activation on a blank token from stock, which the
    // kiosk opens with the stock PIN; the person chooses their own, typed twice.
    let activation = tmux.wait_for("New PIN again");
    assert!(activation.contains("Plug in a blank token from stock"), "{activation}");
    for field in [HOLDER_PIN, HOLDER_PIN, PHRASE] {
        tmux.type_text(field);
        tmux.keys(&["Enter"]);
    }
    let completion = tmux.wait_until("the completion notice", |s| {
        s.contains("Activated successfully.") && s.contains("Enter closes the application")
    });
    assert!(!completion.contains(HOLDER_PIN) && !completion.contains(PHRASE), "{completion}");
    tmux.keys(&["Enter"]);
    let done = tmux.wait_for("The application is completed.");
    // The frame's title says "New certificate" too: the serial is the hex word after it.
    let serial = done
        .lines()
        .filter_map(|l| l.split_once("New certificate ").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split([',', ' ']).next())
        .find(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("no new serial on the screen:\n{done}"))
        .to_owned();
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_for_exit(), "0", "{}", tmux.screen());

    // On the token from stock, verified against the office CA: the organisation's.
    let made = office
        .office
        .exported("certificate")
        .into_iter()
        .find(|c| c["serial"] == serial.as_str())
        .unwrap_or_else(|| panic!("no certificate {serial:?} in the export:\n{done}"));
    assert_eq!(made["holder_organisation"], org.id.to_string(), "{made}");
    assert!(made["holder_person"].is_null(), "the organisation's own certificate: {made}");
    let expected_years: u64 =
        after.split_whitespace().find_map(|w| w.parse().ok()).expect("years on the screen");
    assert_eq!(made["validity_years"], expected_years, "{after}: {made}");
    let label = made["subject"]["cn"].as_str().expect("a CN");
    let text = verified_on_token(
        &office.hsm,
        &office.office.data,
        "stock-org",
        label,
        "org.der",
        &office.work("org"),
    );
    assert!(text.to_lowercase().contains(&format!("serial={serial}")), "{text}");
    assert!(text.contains("O=澳門貿易有限公司"), "{text}");

    // `kiosk export`: completed, the organisation's, its agent the person, the invoice kept.
    let application = office.office.application();
    assert_eq!(application["progress"]["state"], "completed", "{application}");
    assert_eq!(application["holder_kind"], "organisation", "{application}");
    assert_eq!(application["organisation"], org.id.to_string(), "{application}");
    assert_eq!(application["agent"], office.office.person.id.to_string(), "{application}");
    assert_eq!(application["invoice"]["taxpayer_id"], "123456789012345", "{application}");
    assert_eq!(application["invoice"]["email"], "accounts@trading.mo", "{application}");
    assert_eq!(application["progress"]["payment"]["reference"], PAYMENT_REFERENCE);
    let supervisor: RecordId = office.supervisor_id().parse().expect("an id");
    let audited = office.office.audited(application["id"].as_str().expect("id"));
    assert!(
        audited.contains(&(Step::Email, StepOutcome::Skipped { by: supervisor })),
        "{audited:?}"
    );
    for step in [Step::Identity, Step::Photo, Step::Details, Step::Documents, Step::Issuance] {
        assert!(audited.contains(&(step, StepOutcome::Done)), "{step:?}: {audited:?}");
    }
}

#[test]
fn a_revocation_without_the_phrase_approved_by_a_supervisor_by_keys_only() {
    wait_out_office_midnight();
    let office = TokenOffice::new();
    let serial =
        issued_with_kiosk(&office.office.data, &office.hsm, "holder", office.office.person.id);

    let tmux = office.counter();
    let (_, signed_in_at) = sign_in(&tmux, CLERK, PASSWORD, &office.office.clerk, None);
    open_service(&tmux, 5, "Revocation");

    // The certificate ticked (F4: the keys type into the phrase field), the phrase left empty.
    let pick = tmux.wait_for("Tick the certificates to revoke (F4");
    assert!(pick.contains(&format!("▶[ ] {serial}")), "{pick}");
    tmux.keys(&["F4"]);
    tmux.wait_for(&format!("▶[x] {serial}"));
    tmux.keys(&["Enter"]);
    consent(&tmux);
    typed_identity(&tmux);

    tmux.wait_for("[ ] I agree to and accept the Applicant");
    tmux.keys(&["Space"]);
    tmux.wait_for("[x] I agree to and accept the Applicant");
    tmux.keys(&["Enter"]);
    office.form_printed_and_scanned(&tmux, 1, "form");

    // No phrase: a supervisor approves. The clerk's own account is refused.
    let waiting = tmux.wait_for("This application waits for a supervisor's approval");
    assert!(waiting.contains("▶ Supervisor approval"), "{waiting}");
    tmux.keys(&["F6"]);
    tmux.wait_for("Supervisor: approve this application");
    sign_in(&tmux, CLERK, PASSWORD, &office.office.clerk, Some(signed_in_at));
    tmux.wait_for("Only a supervisor can allow this.");
    tmux.keys(&["F6"]);
    tmux.wait_for("Supervisor: approve this application");
    sign_in(&tmux, SUPERVISOR, PASSWORD, &office.office.supervisor, None);

    // The reason (↓ to key compromised), and Enter twice: revocation is final.
    let revocation = tmux.wait_for("Revocation is final");
    assert!(revocation.contains(&serial), "{revocation}");
    tmux.keys(&["Down"]);
    tmux.wait_for("[key compromised]");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Press Enter again to revoke.");
    tmux.keys(&["Enter"]);
    let completion = tmux.wait_until("the completion step", |s| {
        s.contains("Revoked.") && s.contains("Enter closes the application")
    });
    assert!(line_with(&completion, &[&serial, "revoked"]).is_some(), "{completion}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("The application is completed.");
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_for_exit(), "0", "{}", tmux.screen());

    let cert = office
        .office
        .exported("certificate")
        .into_iter()
        .find(|c| c["serial"] == serial.as_str())
        .expect("the certificate");
    assert_eq!(cert["status"], "revoked", "{cert}");
    assert_eq!(cert["revocation"]["reason"], "keyCompromise", "{cert}");
    let supervisor = office.supervisor_id();
    let application = office.office.application();
    assert_eq!(application["service"], "revocation", "{application}");
    assert_eq!(application["progress"]["state"], "completed", "{application}");
    assert_eq!(application["progress"]["approved_by"], supervisor.as_str(), "{application}");
    let by: RecordId = supervisor.parse().expect("an id");
    let audited = office.office.audited(application["id"].as_str().expect("id"));
    assert!(audited.contains(&(Step::Approval, StepOutcome::Approved { by })), "{audited:?}");
    assert!(audited.contains(&(Step::Revocation, StepOutcome::Done)), "{audited:?}");
}
