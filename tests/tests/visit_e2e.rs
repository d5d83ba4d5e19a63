//! The counter's visit wizard driven as a clerk drives it: the real `kiosk` binary in a real
//! terminal (tmux), by keys only, against the real stacks. A walk-in renewal from the appointment
//! pass to the completion notice (the passport chip behind pcscd + vpcd, the email code read back
//! from a local SMTP server, the form and the receipt through the test CUPS, the signed form's QR
//! code read back from the printed PDF, the new certificate on a SoftHSM2 token), counting the
//! keys and the software's waits; an identity check that fails and is overridden by a
//! supervisor on the clerk's screen; a visit killed with SIGKILL and resumed at the same step.

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
    CA_PIN, PIN, certificate_on_a_token, chan, chans_mrz, form_code_of, mrz_information,
    pkcs11_tool, tool,
};
use tests::{kiosk, run_with_stdin, stderr, stdout};
use time::OffsetDateTime;
use tokens::softhsm::MODULE;

const PASSWORD: &str = "Counter-2026e";
const CLERK: &str = "clerk.visit";
const SUPERVISOR: &str = "super.visit";
/// The applicant's new revocation phrase, typed on the counter's keyboard.
const PHRASE: &str = "Sesame-Open-42";
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
    assert!(form_code.starts_with("KF1|"), "{form_code}");

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
