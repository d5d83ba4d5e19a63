//! The store-side steps of a visit against a real store in a temporary data directory: what
//! each step records, what it refuses and that the refusal is in the audit trail.

use std::path::Path;

use registry::application::{Actor, Application, ApplicationAction, ApplicationState};
use registry::audit::{AuditAction, AuditEvent, StepOutcome};
use registry::model::{
    Certificate, CertificateClass, CertificateStatus, Clerk, HolderKind, IdDocument,
    IdDocumentKind, Person, RecordId, Sensitive, Service, StaffRole, SubjectDn,
};
use registry::visit::{EmailCheck, Fact, IdentityField, PaymentMethod, Step};
use tempfile::TempDir;
use time::{Duration, OffsetDateTime};

use super::run;
use crate::visits::{IdentityInput, IssueMedium, Notice, Outcome, VisitError, VisitOp};
use crate::{Context, config::Config};

struct Office {
    dir: TempDir,
    ctx: Context,
    clerk: RecordId,
    supervisor: RecordId,
    person: RecordId,
    due: RecordId,
    not_due: RecordId,
}

/// A TD3 passport MRZ with its check digits.
pub(crate) fn td3(surname: &str, given: &str, number: &str, birth: &str, expiry: &str) -> String {
    let cd = |s: &str| registry::mrz::check_digit(s).expect("check digit");
    let pad = |s: &str, n: usize| format!("{s:<<n$}");
    let name = pad(&format!("{}<<{}", surname.replace(' ', "<"), given.replace(' ', "<")), 39);
    let line1 = format!("P<MAC{name}");
    let number = pad(number, 9);
    let optional = pad("", 14);
    let body = format!(
        "{number}{}CHN{birth}{}M{expiry}{}{optional}{}",
        cd(&number),
        cd(birth),
        cd(expiry),
        cd(&optional)
    );
    let composite = format!(
        "{number}{}{birth}{}{expiry}{}{optional}{}",
        cd(&number),
        cd(birth),
        cd(expiry),
        cd(&optional)
    );
    format!("{line1}\n{body}{}", cd(&composite))
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn clerk(username: &str, role: StaffRole) -> Clerk {
    Clerk {
        id: ulid::Ulid::new(),
        username: username.into(),
        display_name: username.into(),
        role,
        password_hash: "$argon2id$unused".into(),
        active: true,
        totp_secret: None,
        totp_period: registry::totp::DEFAULT_PERIOD,
    }
}

pub(crate) fn chan(id: RecordId) -> Person {
    Person {
        id,
        name_zh: Some("陳大文".into()),
        name_latin: Some("CHAN TAI MAN".into()),
        id_document: IdDocument {
            kind: IdDocumentKind::Passport,
            number: Sensitive::new("MA1234567"),
            issuing_state: Some("MAC".into()),
            expiry: Some(time::macros::date!(2031 - 06 - 30)),
        },
        nationality: Some("CHN".into()),
        birth_date: Some(time::macros::date!(1980 - 05 - 17)),
        sex: None,
        phone: None,
        email: Some("chan@example.mo".into()),
        photo: None,
    }
}

fn certificate(holder: RecordId, days_left: i64) -> Certificate {
    Certificate {
        id: ulid::Ulid::new(),
        class: CertificateClass::Qualified,
        holder_kind: HolderKind::Person,
        subject: SubjectDn { cn: "陳大文".into(), ..Default::default() },
        serial: Some(format!("{:032x}", rand::random::<u128>())),
        not_before: Some(now() - Duration::days(700)),
        not_after: Some(now() + Duration::days(days_left)),
        validity_years: 2,
        status: CertificateStatus::Valid,
        holder_person: Some(holder),
        holder_organisation: None,
        token: None,
        renewal_confirmed: false,
        revocation_phrase: None,
        revocation: None,
        issuance: None,
    }
}

fn office() -> Office {
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = Context {
        data_dir: dir.path().join("data"),
        config: Config::default(),
        lang: i18n::Language::En,
    };
    let mut store = ctx.open_store_quietly().expect("store");
    let (clerk, supervisor) =
        (clerk("clerk.a", StaffRole::Clerk), clerk("super.b", StaffRole::Supervisor));
    let person = chan(ulid::Ulid::new());
    let due = certificate(person.id, 20);
    let not_due = certificate(person.id, 200);
    store
        .write(None, |w| {
            w.put(&clerk)?;
            w.put(&supervisor)?;
            w.put(&person)?;
            w.put(&due)?;
            w.put(&not_due).map(drop)
        })
        .expect("seed");
    Office {
        dir,
        ctx,
        clerk: clerk.id,
        supervisor: supervisor.id,
        person: person.id,
        due: due.id,
        not_due: not_due.id,
    }
}

impl Office {
    fn as_clerk(&self, op: VisitOp) -> Result<Outcome, VisitError> {
        run(&self.ctx, op, Actor { clerk: self.clerk, role: StaffRole::Clerk }, now())
    }

    fn ok(&self, op: VisitOp) -> Outcome {
        self.as_clerk(op).unwrap_or_else(|e| panic!("refused: {e:?}"))
    }

    fn open(&self) -> RecordId {
        self.ok(VisitOp::Open { service: Service::Renewal, applicant: self.person })
            .view
            .application
            .id
    }

    fn store(&self) -> store::Store {
        self.ctx.open_store_quietly().expect("store")
    }

    /// The audit events about `id`, oldest first.
    fn audited(&self, id: RecordId) -> Vec<AuditEvent> {
        let mut events: Vec<AuditEvent> = Vec::new();
        self.store()
            .audit_about(id, |e| {
                events.push(e);
                std::ops::ControlFlow::Continue(())
            })
            .expect("audit");
        events.reverse();
        events
    }

    /// The visit-step audit events about `id`, oldest first.
    fn steps(&self, id: RecordId) -> Vec<(Step, StepOutcome)> {
        self.audited(id)
            .into_iter()
            .filter_map(|e| match e.action {
                AuditAction::VisitStep { step, outcome } => Some((step, outcome)),
                _ => None,
            })
            .collect()
    }

    /// The application transitions recorded about `id`, oldest first, by action name.
    fn transitions(&self, id: RecordId) -> Vec<String> {
        self.audited(id)
            .into_iter()
            .filter_map(|e| match e.action {
                AuditAction::ApplicationTransition { action, .. } => Some(action),
                _ => None,
            })
            .collect()
    }

    fn refused(&self, id: RecordId, step: Step, message: &str) -> bool {
        self.steps(id).contains(&(step, StepOutcome::Refused { message: message.into() }))
    }

    /// Certificates chosen, the email step skipped by the supervisor, consent given.
    fn up_to_identity(&self) -> RecordId {
        let id = self.open();
        self.ok(VisitOp::ChooseCertificates { application: id, new_key: false });
        self.ok(VisitOp::Skip {
            application: id,
            step: Step::Email,
            supervisor: self.supervisor,
            reason: "relay down".into(),
        });
        self.ok(VisitOp::Consent { application: id });
        id
    }

    /// From the identity step (typed zone) through the photo and the confirmation to the form
    /// printed and signed back: the application is submitted.
    fn signed_form(&self, id: RecordId) {
        self.identified(id);
        self.ok(VisitOp::PhotoFromFile { application: id, path: self.photo_file("ok.png", true) });
        self.ok(VisitOp::Confirm { application: id, invoice: None });
        self.ok(VisitOp::PrintForm { application: id });
        self.ok(VisitOp::FormSigned { payload: form_code(self, id) });
    }

    /// Another supervisor of the office, for a second person's approval.
    fn second_supervisor(&self) -> RecordId {
        let second = clerk("super.c", StaffRole::Supervisor);
        self.store().put(None, &second).expect("a second supervisor");
        second.id
    }

    /// The identity step passed with the person's own document, typed.
    fn identified(&self, id: RecordId) {
        self.ok(VisitOp::Identity {
            application: id,
            input: IdentityInput::Mrz { text: self.matching_mrz(), chip: false },
        });
    }

    fn matching_mrz(&self) -> String {
        td3("CHAN", "TAI MAN", "MA1234567", "800517", "310630")
    }

    fn photo_file(&self, name: &str, light: bool) -> std::path::PathBuf {
        let path = self.dir.path().join(name);
        image::RgbImage::from_fn(600, 800, |x, y| {
            let v = if light { ((x * 7 + y * 13) % 200 + 30) as u8 } else { 2 };
            image::Rgb([v, v.saturating_add(10), v.saturating_sub(1)])
        })
        .save(&path)
        .expect("png");
        path
    }
}

#[test]
fn a_renewal_opens_on_the_certificates_due_and_resumes_the_same_application() {
    let office = office();
    let first = office.ok(VisitOp::Open { service: Service::Renewal, applicant: office.person });
    let app = &first.view.application;
    assert_eq!(app.certificates, vec![office.due], "only the due one, not {}", office.not_due);
    assert_eq!(app.state(), ApplicationState::Draft);
    assert_eq!(first.view.current(), Some(Step::Certificates));
    assert_eq!(first.view.fee.map(|f| f.minor), Some(80_000), "2 years of a qualified certificate");
    let again = office.ok(VisitOp::Open { service: Service::Renewal, applicant: office.person });
    assert_eq!(again.view.application.id, app.id, "the open application is resumed");

    // Someone with nothing due is told so, and the refusal is audited about them.
    let other = chan(ulid::Ulid::new());
    let mut other = Person {
        id_document: IdDocument {
            number: Sensitive::new("MB7654321"),
            ..other.id_document.clone()
        },
        ..other
    };
    other.email = None;
    office.store().put(None, &other).expect("other");
    let err = office.as_clerk(VisitOp::Open { service: Service::Renewal, applicant: other.id });
    assert_eq!(err.map(|_| ()).unwrap_err().id, "visit-renewal-none-due");
    assert!(office.refused(other.id, Step::Certificates, "visit-renewal-none-due"));
}

#[test]
fn an_address_verified_for_the_same_renewal_within_30_days_is_not_asked_again() {
    for (days_ago, settled) in [(10, true), (40, false)] {
        let office = office();
        // An earlier renewal of the same certificate, cancelled after its email was verified.
        let mut earlier = Application::draft(
            ulid::Ulid::new(),
            Service::Renewal,
            office.person,
            HolderKind::Person,
            CertificateClass::Qualified,
            now() - Duration::days(days_ago),
        );
        earlier.certificates = vec![office.due];
        earlier.validity_years = 2;
        let verified = now() - Duration::days(days_ago);
        earlier.visit.emails = vec![EmailCheck {
            address: "Chan@Example.mo".into(),
            verified_at: Some(verified),
            unverified: None,
        }];
        let clerk = office.clerk;
        office
            .store()
            .write(Some(clerk), |w| {
                w.put(&earlier)?;
                w.transition(earlier.id, ApplicationAction::Cancel, clerk).map(drop)
            })
            .expect("earlier");
        let id = office.open();
        assert_ne!(id, earlier.id);
        let chosen = office.ok(VisitOp::ChooseCertificates { application: id, new_key: true });
        let visit = &chosen.view.application.visit;
        assert!(visit.new_key);
        assert_eq!(visit.emails.len(), 1);
        assert_eq!(visit.emails[0].address, "chan@example.mo");
        if settled {
            let at = visit.emails[0].verified_at.expect("shown as verified, with its time");
            assert_eq!(at.unix_timestamp(), verified.unix_timestamp());
            assert!(visit.done(Fact::EmailsVerified));
            assert_eq!(chosen.view.current(), Some(Step::Consent));
        } else {
            assert_eq!(visit.emails[0].verified_at, None, "{days_ago} days is too long ago");
            assert_eq!(chosen.view.current(), Some(Step::Email));
        }
        assert!(office.steps(id).contains(&(Step::Certificates, StepOutcome::Done)));
    }
}

#[test]
fn a_step_is_skipped_only_by_another_active_supervisor_with_a_reason() {
    let office = office();
    let id = office.open();
    // A step before its turn.
    let early = office.as_clerk(VisitOp::Consent { application: id }).map(|_| ()).unwrap_err();
    assert_eq!(early.id, "visit-step-not-open");
    assert!(office.refused(id, Step::Consent, "visit-step-not-open"));
    office.ok(VisitOp::ChooseCertificates { application: id, new_key: false });
    let skip = |supervisor, step, reason: &str| {
        office
            .as_clerk(VisitOp::Skip { application: id, step, supervisor, reason: reason.into() })
            .map(|_| ())
    };
    assert_eq!(skip(office.clerk, Step::Email, "x").unwrap_err().id, "visit-supervisor-own-action");
    let supervisor_as_actor = run(
        &office.ctx,
        VisitOp::Skip {
            application: id,
            step: Step::Email,
            supervisor: office.supervisor,
            reason: "x".into(),
        },
        Actor { clerk: office.supervisor, role: StaffRole::Supervisor },
        now(),
    );
    assert_eq!(supervisor_as_actor.map(|_| ()).unwrap_err().id, "visit-supervisor-own-action");
    let another_clerk = clerk("clerk.c", StaffRole::Clerk);
    office.store().put(None, &another_clerk).expect("clerk");
    assert_eq!(
        skip(another_clerk.id, Step::Email, "x").unwrap_err().id,
        "visit-supervisor-required"
    );
    assert_eq!(skip(office.supervisor, Step::Email, "  ").unwrap_err().id, "visit-reason-required");
    assert_eq!(
        skip(office.supervisor, Step::Certificates, "x").unwrap_err().id,
        "visit-skip-never"
    );
    skip(office.supervisor, Step::Email, "relay down").expect("skipped");
    let view = office.ok(VisitOp::Resume { application: id }).view;
    assert_eq!(view.current(), Some(Step::Consent));
    let unverified = view.application.visit.emails[0].unverified.as_ref().expect("marked");
    assert_eq!((unverified.by, unverified.reason.as_str()), (office.supervisor, "relay down"));
    assert!(
        office.steps(id).contains(&(Step::Email, StepOutcome::Skipped { by: office.supervisor }))
    );
}

#[test]
fn a_typed_mrz_that_agrees_passes_and_one_that_differs_names_the_fields() {
    let office = office();
    let id = office.up_to_identity();
    let bad = office
        .as_clerk(VisitOp::Identity {
            application: id,
            input: IdentityInput::Mrz { text: "P<MAC".into(), chip: false },
        })
        .map(|_| ())
        .unwrap_err();
    assert!(bad.id.starts_with("mrz-"), "the MRZ's own message: {bad:?}");

    let other = td3("CHAN", "SIU MING", "MA7654321", "810517", "310630");
    let err = office
        .as_clerk(VisitOp::Identity {
            application: id,
            input: IdentityInput::Mrz { text: other, chip: false },
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.id, "visit-identity-invalid-data");
    assert_eq!(
        err.args,
        vec![(
            "fields",
            "visit-field-document-number,visit-field-name,visit-field-birth-date".to_owned()
        )]
    );
    let view = office.ok(VisitOp::Resume { application: id }).view;
    let check = view.application.visit.identity.as_ref().expect("recorded whatever the result");
    assert_eq!(
        check.mismatches,
        vec![IdentityField::DocumentNumber, IdentityField::Name, IdentityField::BirthDate]
    );
    assert_eq!(view.current(), Some(Step::Identity), "blocked");
    assert!(office.refused(id, Step::Identity, "visit-identity-invalid-data"));
    // Exactly one event for that refusal: saved with the check, not audited twice.
    let refusals = office.steps(id).into_iter().filter(|(s, o)| *s == Step::Identity && matches!(o, StepOutcome::Refused { message } if message == "visit-identity-invalid-data")).count();
    assert_eq!(refusals, 1);

    let passed = office.ok(VisitOp::Identity {
        application: id,
        input: IdentityInput::Mrz { text: office.matching_mrz(), chip: false },
    });
    let app = &passed.view.application;
    assert!(app.visit.done(Fact::IdentityChecked));
    assert!(app.documents.contains(&registry::application::DocumentKind::ApplicantId));
    assert_eq!(passed.view.current(), Some(Step::Photo));
}

#[test]
fn a_failed_identity_check_overridden_by_a_supervisor_waits_for_approval() {
    let office = office();
    let id = office.up_to_identity();
    let nothing = office
        .as_clerk(VisitOp::OverrideIdentity {
            application: id,
            supervisor: office.supervisor,
            reason: "x".into(),
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(nothing.id, "visit-identity-nothing-to-override");
    let romanised = td3("CHAN", "TAI MAN DAVID", "MA1234567", "800517", "310630");
    office
        .as_clerk(VisitOp::Identity {
            application: id,
            input: IdentityInput::Mrz { text: romanised, chip: false },
        })
        .map(|_| ())
        .unwrap_err();
    let overridden = office.ok(VisitOp::OverrideIdentity {
        application: id,
        supervisor: office.supervisor,
        reason: "name romanised differently on the new passport".into(),
    });
    assert!(overridden.view.application.identity_override);
    assert_eq!(overridden.view.current(), Some(Step::Photo));
    assert!(
        office
            .steps(id)
            .contains(&(Step::Identity, StepOutcome::Overridden { by: office.supervisor }))
    );

    let photo = office.photo_file("face.png", true);
    office.ok(VisitOp::PhotoFromFile { application: id, path: photo });
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    office.ok(VisitOp::PrintForm { application: id });
    let signed = office.ok(VisitOp::FormSigned { payload: form_code(&office, id) });
    assert_eq!(signed.notice, Some(Notice::Submitted));
    assert_eq!(signed.view.application.state(), ApplicationState::AwaitingApproval);
    let by_clerk = office
        .as_clerk(VisitOp::Approve { application: id, supervisor: office.clerk })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(by_clerk.id, "visit-supervisor-own-action");
    // Nor the supervisor who overrode the check: the approval is about their override.
    let by_overrider = office
        .as_clerk(VisitOp::Approve { application: id, supervisor: office.supervisor })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(by_overrider.id, "visit-supervisor-own-action");
    let second = office.second_supervisor();
    let approved = office.ok(VisitOp::Approve { application: id, supervisor: second });
    assert_eq!(approved.view.application.state(), ApplicationState::AwaitingPayment);
    assert_eq!(approved.view.application.progress.approved_by, Some(second));
}

/// The code on the form printed last, as the form step kept its print id.
fn form_code(office: &Office, id: RecordId) -> String {
    let app: Application = office.store().get(id).expect("read").expect("app");
    let print = app.visit.form.and_then(|f| f.print).expect("a printing with an id");
    form_code_of_print(office, id, Some(&print))
}

/// The code of a printing of the form: `None`, a code from before print ids (`KF1`).
fn form_code_of_print(office: &Office, id: RecordId, print: Option<&str>) -> String {
    let key = crate::office_keys::load(&office.ctx.data_dir, crate::office_keys::OfficeKey::Form)
        .expect("key")
        .expect("made when the form was printed");
    let app: Application = office.store().get(id).expect("read").expect("app");
    let print = print.map(str::to_owned);
    printers::formcode::FormCode { application: id, reference: app.reference, print }.encode(&key)
}

/// A renewal up to its form: identity typed, photo from a file, data confirmed.
fn up_to_the_form(office: &Office) -> RecordId {
    let id = office.up_to_identity();
    office.identified(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    id
}

#[test]
fn only_the_form_printed_last_is_taken_back_signed() {
    let office = office();
    let id = up_to_the_form(&office);
    let first = office.ok(VisitOp::PrintForm { application: id });
    let first = first.view.application.visit.form.and_then(|f| f.print).expect("a print id");
    let again = office.ok(VisitOp::PrintForm { application: id });
    let second = again.view.application.visit.form.and_then(|f| f.print).expect("a print id");
    assert_ne!(first, second, "every printing has an id of its own");

    // The copy of the first printing, and a code from before print ids: refused, audited,
    // the form still waiting for its signed copy.
    for earlier in [Some(first.as_str()), None] {
        let payload = form_code_of_print(&office, id, earlier);
        let err = office.as_clerk(VisitOp::FormSigned { payload }).map(|_| ()).unwrap_err();
        assert_eq!(err.id, "visit-form-earlier-printing", "{earlier:?}");
        assert!(err.args.iter().any(|(k, v)| *k == "printed" && v.starts_with("20")), "{err:?}");
    }
    assert!(office.refused(id, Step::Form, "visit-form-earlier-printing"));
    let view = office.ok(VisitOp::Resume { application: id }).view;
    assert_eq!(view.current(), Some(Step::Form));
    assert!(view.application.visit.form.is_some_and(|f| f.signed_at.is_none()));

    let signed =
        office.ok(VisitOp::FormSigned { payload: form_code_of_print(&office, id, Some(&second)) });
    assert_eq!(signed.notice, Some(Notice::Submitted));
    assert_eq!(signed.view.current(), Some(Step::Payment));
}

#[test]
fn a_form_printed_before_print_ids_is_still_taken_back() {
    let office = office();
    let id = up_to_the_form(&office);
    office.ok(VisitOp::PrintForm { application: id });
    // The record as a kiosk before print ids saved it: no `print` field at all.
    let mut store = office.store();
    let mut app: Application = store.get(id).expect("read").expect("app");
    let mut json = serde_json::to_value(&app.visit.form).expect("json");
    json.as_object_mut().expect("an object").remove("print");
    app.visit.form = serde_json::from_value(json).expect("an old record reads");
    assert_eq!(app.visit.form.as_ref().and_then(|f| f.print.clone()), None);
    store.put(None, &app).expect("saved");
    // Its KF1 code is taken; a KF2 code (a reprint nobody kept) is not.
    let stray = printers::formcode::new_print_id();
    let payload = form_code_of_print(&office, id, Some(&stray));
    let err = office.as_clerk(VisitOp::FormSigned { payload }).map(|_| ()).unwrap_err();
    assert_eq!(err.id, "visit-form-earlier-printing");
    let signed = office.ok(VisitOp::FormSigned { payload: form_code_of_print(&office, id, None) });
    assert_eq!(signed.notice, Some(Notice::Submitted));
}

#[test]
fn photos_are_checked_kept_owner_only_and_a_bad_one_says_why() {
    let office = office();
    let id = office.up_to_identity();
    office.identified(id);
    let dark = office.photo_file("dark.png", false);
    let err = office
        .as_clerk(VisitOp::PhotoFromFile { application: id, path: dark })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.id, "photo-error-too-dark");
    assert!(office.refused(id, Step::Photo, "photo-error-too-dark"));
    let missing = office
        .as_clerk(VisitOp::PhotoFromFile {
            application: id,
            path: office.dir.path().join("none.jpg"),
        })
        .map(|_| ())
        .unwrap_err();
    assert!(missing.id.starts_with("input-") || missing.id.starts_with("file-"), "{missing:?}");

    let good = office
        .ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    let hash = good.view.application.visit.photo.clone().expect("hash");
    assert_eq!(good.view.applicant.photo.as_deref(), Some(hash.as_str()));
    let path = good.view.counter_photo.clone().expect("the counter photo");
    assert_eq!(path, office.ctx.data_dir.join("photos").join(format!("{hash}.jpg")));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&path).expect("photo").permissions().mode() & 0o777, 0o600);
    assert_eq!(good.view.current(), Some(Step::Confirmation));
}

#[test]
fn form_payment_and_recheck_without_devices_and_revetting_goes_back_to_the_identity_step() {
    let office = office();
    let id = office.up_to_identity();
    office.identified(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    let printed = office.ok(VisitOp::PrintForm { application: id });
    let Some(Notice::FormPrinted { job }) = printed.notice else { panic!("{:?}", printed.notice) };
    assert!(
        Path::new(&job).starts_with(office.ctx.data_dir.join("forms")),
        "no printer: a PDF {job}"
    );
    assert!(std::fs::read(&job).expect("pdf").starts_with(b"%PDF"));
    assert_eq!(printed.view.current(), Some(Step::Form), "done when signed back");

    // A forged code is refused and audited; the real one submits with the price table's fee.
    let code = form_code(&office, id);
    // One digit of the signature changed.
    let last = if code.ends_with('0') { "1" } else { "0" };
    let forged = format!("{}{last}", &code[..code.len() - 1]);
    let err = office.as_clerk(VisitOp::FormSigned { payload: forged }).map(|_| ()).unwrap_err();
    assert_eq!(err.id, "formcode-forged");
    let signed = office.ok(VisitOp::FormSigned { payload: code });
    assert_eq!(signed.notice, Some(Notice::Submitted));
    let app = &signed.view.application;
    assert_eq!(app.state(), ApplicationState::AwaitingPayment);
    assert_eq!(app.progress.fee.map(|f| f.minor), Some(80_000));
    assert!(app.visit.form.as_ref().is_some_and(|f| f.signed_at.is_some()));
    assert_eq!(signed.view.current(), Some(Step::Payment));

    let no_ref = office
        .as_clerk(VisitOp::Pay {
            application: id,
            method: PaymentMethod::Card,
            reference: " ".into(),
            invoice: None,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(no_ref.id, "visit-payment-reference-required");
    let paid = office.ok(VisitOp::Pay {
        application: id,
        method: PaymentMethod::Card,
        reference: "POS-000123".into(),
        invoice: None,
    });
    let Some(Notice::ReceiptPrinted { job }) = paid.notice else { panic!("{:?}", paid.notice) };
    assert!(std::fs::read(&job).expect("receipt").starts_with(b"%PDF"));
    assert_eq!(paid.view.application.state(), ApplicationState::AwaitingFulfilment);
    assert_eq!(paid.view.application.visit.payment_method, Some(PaymentMethod::Card));
    // Money has changed hands: a clerk alone cannot cancel.
    let cancel = office
        .as_clerk(VisitOp::Cancel { application: id, supervisor: None, reason: String::new() })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(cancel.id, "transition-supervisor-required");

    let rechecked = office.ok(VisitOp::Recheck { application: id });
    assert!(rechecked.view.application.visit.done(Fact::Rechecked));
    assert_eq!(rechecked.view.current(), Some(Step::Issuance));

    // The person's name is corrected meanwhile: the re-check sends the visit back to vetting.
    let mut store = office.store();
    let mut person: Person = store.get(office.person).expect("read").expect("person");
    person.name_latin = Some("CHAN TAI MAN DAVID".into());
    store.put(None, &person).expect("renamed");
    let err = office.as_clerk(VisitOp::Recheck { application: id }).map(|_| ()).unwrap_err();
    assert_eq!(err.id, "visit-recheck-revetting-required");
    let view = office.ok(VisitOp::Resume { application: id }).view;
    assert_eq!(view.current(), Some(Step::Identity), "saved at the identity step");
    assert!(
        view.application.visit.done(Fact::ConsentGiven) && view.application.visit.form.is_none()
    );
    assert!(office.refused(id, Step::Recheck, "visit-recheck-revetting-required"));
}

#[test]
fn a_visit_charges_the_offices_own_price_table() {
    let mut office = office();
    let per_year = |major: f64| (1..=5).map(|y| major * f64::from(y)).collect::<Vec<_>>();
    office.ctx.config.fees = Some(registry::fees::FeeTable {
        currency: None,
        certificate: [
            (CertificateClass::Qualified, per_year(450.5)),
            (CertificateClass::Standard, per_year(300.0)),
            (CertificateClass::Encryption, per_year(300.0)),
        ]
        .into(),
        token: 90.0,
        postage: 15.0,
    });
    let id = office.up_to_identity();
    // The wizard shows what the visit will charge before anything is signed.
    let shown = office.ok(VisitOp::Resume { application: id }).view.fee;
    assert_eq!(shown.map(|f| f.minor), Some(90_100), "2 years at 450.50");
    office.signed_form(id);
    let app = office.ok(VisitOp::Resume { application: id }).view.application;
    assert_eq!(app.state(), ApplicationState::AwaitingPayment);
    let fee = app.progress.fee.expect("the fee is fixed at submission");
    assert_eq!((fee.minor, fee.currency), (90_100, registry::model::Currency::Mop));
}

/// Walks a revocation up to its form signed back; `phrase` is what the person gives.
fn revocation_signed(office: &Office, phrase: Option<&str>) -> Result<RecordId, VisitError> {
    let open = office.ok(VisitOp::Open { service: Service::Revocation, applicant: office.person });
    let id = open.view.application.id;
    assert_eq!(open.view.certificates.len(), 2, "every certificate in force is offered");
    office.as_clerk(VisitOp::SelectCertificates {
        application: id,
        certificates: vec![office.not_due],
        phrase: phrase.map(|p| zeroize::Zeroizing::new(p.to_owned())),
    })?;
    office.ok(VisitOp::Consent { application: id });
    office.identified(id);
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    office.ok(VisitOp::PrintForm { application: id });
    office.ok(VisitOp::FormSigned { payload: form_code(office, id) });
    Ok(id)
}

#[test]
fn a_revocation_without_the_phrase_waits_for_a_supervisor_and_revokes_only_what_was_chosen() {
    let office = office();
    // A revocation picks its certificates; none is refused, as is someone else's.
    let id = office
        .ok(VisitOp::Open { service: Service::Revocation, applicant: office.person })
        .view
        .application
        .id;
    let none = office
        .as_clerk(VisitOp::SelectCertificates {
            application: id,
            certificates: vec![],
            phrase: None,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(none.id, "visit-choose-a-certificate");
    let stranger = certificate(ulid::Ulid::new(), 100);
    office.store().put(None, &stranger).expect("stranger");
    let theirs = office
        .as_clerk(VisitOp::SelectCertificates {
            application: id,
            certificates: vec![stranger.id],
            phrase: None,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(theirs.id, "visit-certificate-not-theirs");

    let id = revocation_signed(&office, None).expect("chosen");
    let view = office.ok(VisitOp::Resume { application: id }).view;
    assert_eq!(view.application.certificates, vec![office.not_due]);
    assert_eq!(view.application.state(), ApplicationState::AwaitingApproval);
    assert_eq!(view.current(), Some(Step::Approval), "no phrase: a supervisor approves");
    // Nothing is revoked before the approval.
    let early = office
        .as_clerk(VisitOp::Revoke {
            application: id,
            reason: registry::model::RevocationReason::KeyCompromise,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(early.id, "visit-step-not-open");
    let by_clerk = office
        .as_clerk(VisitOp::Approve { application: id, supervisor: office.clerk })
        .unwrap_err();
    assert_eq!(by_clerk.id, "visit-supervisor-own-action");
    office.ok(VisitOp::Approve { application: id, supervisor: office.supervisor });
    let revoked = office.ok(VisitOp::Revoke {
        application: id,
        reason: registry::model::RevocationReason::KeyCompromise,
    });
    assert_eq!(revoked.notice, Some(Notice::Revoked { certificates: 1, seals: 0 }));
    let store = office.store();
    let gone: Certificate = store.get(office.not_due).expect("read").expect("cert");
    assert_eq!(gone.status, CertificateStatus::Revoked);
    let kept: Certificate = store.get(office.due).expect("read").expect("cert");
    assert_eq!(kept.status, CertificateStatus::Valid, "only the one chosen");
    // Revoked is done: the application cannot be cancelled as if it never happened.
    let late = office
        .as_clerk(VisitOp::Cancel { application: id, supervisor: None, reason: String::new() })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(late.id, "visit-cancel-too-late");
    let done = office.ok(VisitOp::Complete { application: id });
    assert_eq!(done.view.application.state(), ApplicationState::Completed);
    let revocation: Vec<StepOutcome> = office
        .steps(id)
        .into_iter()
        .filter(|(s, _)| *s == Step::Revocation)
        .map(|(_, o)| o)
        .collect();
    assert_eq!(
        revocation,
        vec![StepOutcome::Refused { message: "visit-step-not-open".into() }, StepOutcome::Done],
        "the early try and the revocation, each audited once"
    );
}

#[test]
fn the_revocation_phrase_set_at_issuance_spares_the_supervisor_and_a_wrong_one_is_said() {
    let office = office();
    let mut store = office.store();
    let mut cert: Certificate = store.get(office.not_due).expect("read").expect("cert");
    cert.revocation_phrase = Some(crate::auth::hash_password("開門芝麻").expect("hash"));
    store.put(None, &cert).expect("phrase set");
    let wrong = revocation_signed(&office, Some("芝麻開門")).map(|_| ()).unwrap_err();
    assert_eq!(wrong.id, "visit-revocation-phrase-wrong");
    let office2 = office;
    let id = revocation_signed(&office2, Some("開門芝麻")).expect("the right phrase");
    let view = office2.ok(VisitOp::Resume { application: id }).view;
    assert!(view.application.revocation_phrase_verified);
    assert!(!view.plan.iter().any(|p| p.step == Step::Approval), "no approval step");
    assert_eq!(view.application.state(), ApplicationState::AwaitingFulfilment);
    assert_eq!(view.current(), Some(Step::Revocation));
}

#[test]
fn a_new_certificate_for_an_organisation_needs_its_agent_and_its_papers() {
    let office = office();
    let org = crate::test_fixtures::trading_company();
    let other_org = registry::model::Organisation {
        id: ulid::Ulid::new(),
        name_zh: Some("別家公司".into()),
        ..org.clone()
    };
    let membership =
        crate::test_fixtures::member(org.id, office.person, registry::model::MemberRole::Employee);
    office
        .store()
        .write(None, |w| {
            w.put(&org)?;
            w.put(&other_org)?;
            w.put(&membership).map(drop)
        })
        .expect("organisations");
    let open = office.ok(VisitOp::Open { service: Service::NewIssuance, applicant: office.person });
    let id = open.view.application.id;
    assert_eq!(open.view.organisations.iter().map(|o| o.id).collect::<Vec<_>>(), vec![org.id]);
    assert_eq!(open.view.current(), Some(Step::Consent), "a new certificate is about none yet");
    office.ok(VisitOp::Consent { application: id });
    office.identified(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    let not_theirs = office
        .as_clerk(VisitOp::SetDetails {
            application: id,
            organisation: Some(other_org.id),
            class: CertificateClass::Qualified,
            years: 2,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(not_theirs.id, "visit-not-their-organisation");
    let years = office
        .as_clerk(VisitOp::SetDetails {
            application: id,
            organisation: Some(org.id),
            class: CertificateClass::Qualified,
            years: 6,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(years.id, "fee-validity-years");
    let set = office.ok(VisitOp::SetDetails {
        application: id,
        organisation: Some(org.id),
        class: CertificateClass::Standard,
        years: 3,
    });
    let app = &set.view.application;
    assert_eq!(app.holder_kind, HolderKind::Organisation);
    assert_eq!((app.organisation, app.agent), (Some(org.id), Some(office.person)));
    assert_eq!(set.view.current(), Some(Step::Documents), "an organisation brings its papers");
    assert_eq!(set.view.fee.map(|f| f.minor), Some(90_000 + 10_000), "3 years standard + token");
    use registry::application::DocumentKind::*;
    let missing = office
        .as_clerk(VisitOp::Documents { application: id, documents: vec![BusinessLicence] })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(missing.id, "visit-document-missing");
    let papers = office.ok(VisitOp::Documents {
        application: id,
        documents: vec![BusinessLicence, LegalRepresentativeId, AgentId],
    });
    assert_eq!(papers.view.current(), Some(Step::Email));
    office.ok(VisitOp::Skip {
        application: id,
        step: Step::Email,
        supervisor: office.supervisor,
        reason: "relay down".into(),
    });
    // The invoice's title is the organisation's name, and its taxpayer ID must be one.
    let invoice = |title: &str, taxpayer: &str| registry::model::InvoiceDetails {
        kind: registry::model::InvoiceKind::OrdinaryElectronic,
        title: title.into(),
        taxpayer_id: taxpayer.into(),
        email: "accounts@trading.mo".into(),
        bank: None,
        bank_account: None,
        address: None,
        phone: None,
    };
    let wrong = office
        .as_clerk(VisitOp::Confirm {
            application: id,
            invoice: Some(invoice("別家公司", "123456789012345")),
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(wrong.id, "transition-incomplete");
    let confirmed = office.ok(VisitOp::Confirm {
        application: id,
        invoice: Some(invoice("澳門貿易有限公司", "123456789012345")),
    });
    assert_eq!(
        confirmed.view.application.invoice.as_ref().map(|i| i.taxpayer_id.as_str()),
        Some("123456789012345")
    );
    assert_eq!(confirmed.view.current(), Some(Step::Form));
}

#[test]
fn a_redispatch_keeps_the_new_address_and_refuses_an_empty_one() {
    let office = office();
    let id = office
        .ok(VisitOp::Open { service: Service::Redispatch, applicant: office.person })
        .view
        .application
        .id;
    office.ok(VisitOp::SelectCertificates {
        application: id,
        certificates: vec![office.due],
        phrase: None,
    });
    office.ok(VisitOp::Consent { application: id });
    office.identified(id);
    let empty = office
        .as_clerk(VisitOp::SetAddress { application: id, address: "  ".into() })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(empty.id, "visit-address-required");
    let set =
        office.ok(VisitOp::SetAddress { application: id, address: "澳門新馬路 1 號".into() });
    assert_eq!(set.view.application.mailing_address.as_deref(), Some("澳門新馬路 1 號"));
    assert_eq!(set.view.current(), Some(Step::Form));
    assert_eq!(set.view.fee.map(|f| f.minor), Some(2_000), "postage");
}

#[test]
fn a_refund_is_a_supervisors_with_a_reason_and_a_draft_is_the_clerks_to_cancel() {
    let office = office();
    let id = office.up_to_identity();
    office.signed_form(id);
    office.ok(VisitOp::Pay {
        application: id,
        method: PaymentMethod::Cash,
        reference: "R-1".into(),
        invoice: None,
    });
    let no_reason = office
        .as_clerk(VisitOp::Cancel {
            application: id,
            supervisor: Some(office.supervisor),
            reason: " ".into(),
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(no_reason.id, "visit-reason-required");
    let own = office
        .as_clerk(VisitOp::Cancel {
            application: id,
            supervisor: Some(office.clerk),
            reason: "changed their mind".into(),
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(own.id, "visit-supervisor-own-action");
    let refunded = office.ok(VisitOp::Cancel {
        application: id,
        supervisor: Some(office.supervisor),
        reason: "changed their mind".into(),
    });
    assert_eq!(refunded.view.application.state(), ApplicationState::Cancelled);
    let cancelled = refunded.view.application.visit.cancelled.clone().expect("who and why");
    assert_eq!(
        (cancelled.by, cancelled.reason.as_str()),
        (office.supervisor, "changed their mind")
    );
    assert!(
        office
            .steps(id)
            .contains(&(Step::Recheck, StepOutcome::Cancelled { by: office.supervisor })),
        "{:?}",
        office.steps(id)
    );

    // A draft with no money taken is the clerk's to cancel.
    let other = office.open();
    let gone =
        office.ok(VisitOp::Cancel { application: other, supervisor: None, reason: String::new() });
    assert_eq!(gone.view.application.state(), ApplicationState::Cancelled);
}

#[test]
fn a_pin_unlock_or_a_change_is_about_one_certificate_and_a_change_keeps_its_holder_and_class() {
    let office = office();
    for service in [Service::PinUnlock, Service::Change, Service::Replacement] {
        let id = office.ok(VisitOp::Open { service, applicant: office.person }).view.application.id;
        let two = office
            .as_clerk(VisitOp::SelectCertificates {
                application: id,
                certificates: vec![office.due, office.not_due],
                phrase: None,
            })
            .map(|_| ())
            .unwrap_err();
        assert_eq!(two.id, "visit-choose-one-certificate", "{service:?}");
    }
    let id = office
        .ok(VisitOp::Open { service: Service::Change, applicant: office.person })
        .view
        .application
        .id;
    office.ok(VisitOp::SelectCertificates {
        application: id,
        certificates: vec![office.due],
        phrase: None,
    });
    office.ok(VisitOp::Consent { application: id });
    office.identified(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    let other_class = office
        .as_clerk(VisitOp::SetDetails {
            application: id,
            organisation: None,
            class: CertificateClass::Encryption,
            years: 2,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(other_class.id, "visit-change-keeps-holder-and-class");
    office.ok(VisitOp::SetDetails {
        application: id,
        organisation: None,
        class: CertificateClass::Qualified,
        years: 2,
    });
}

#[test]
fn a_certificate_renewed_at_a_counter_is_not_offered_for_renewal_again() {
    let office = office();
    let store = office.store();
    let due: Certificate = store.get(office.due).expect("read").expect("due");
    // Another visit of this person renewed it (the old certificate stays valid until it ends).
    let mut earlier = Application::draft(
        ulid::Ulid::new(),
        Service::Change,
        office.person,
        HolderKind::Person,
        CertificateClass::Qualified,
        now(),
    );
    earlier.certificates = vec![office.due];
    earlier.visit.issued.push(registry::visit::IssuedLine {
        certificate: ulid::Ulid::new(),
        serial: "00aa".into(),
        not_after: now() + Duration::days(700),
        previous_serial: due.serial.clone(),
        previous_not_after: due.not_after,
        token: None,
    });
    office.store().put(None, &earlier).expect("earlier");
    let err = office
        .as_clerk(VisitOp::Open { service: Service::Renewal, applicant: office.person })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.id, "visit-renewal-none-due", "renewed already: not due again");
}

#[test]
fn a_renewal_the_kiosk_did_not_live_to_record_is_recorded_not_issued_again() {
    let office = office();
    let id = renewal_at_issuance(&office);
    // The office CA signed and stored the renewed certificate; then the power went, before the
    // visit was saved. No token module is set here: issuing again could not even start.
    let mut renewed = certificate(office.person, 730);
    renewed.issuance = Some(signed_by_the_office_ca(Some(office.due)));
    office.store().put(None, &renewed).expect("renewed");
    let done = office.ok(issue_op(id));
    assert_eq!(done.notice, Some(Notice::Activated));
    let line = done.view.application.visit.issued.first().cloned().expect("recorded");
    assert_eq!(
        (line.certificate, line.serial),
        (renewed.id, renewed.serial.clone().expect("serial"))
    );
    let kept: Certificate = office.store().get(renewed.id).expect("read").expect("cert");
    assert!(kept.revocation_phrase.is_some(), "the phrase is set on the one made");
    assert_eq!(done.view.current(), Some(Step::Completion));
}

#[test]
fn every_message_a_step_says_exists_in_every_language() {
    let args: Vec<(&str, i18n::FluentValue<'_>)> = [
        "current",
        "step",
        "job",
        "reason",
        "serial",
        "document",
        "count",
        "file",
        "printed",
        "reference",
    ]
    .into_iter()
    .map(|name| (name, i18n::FluentValue::from("x")))
    .collect();
    for id in crate::visits::ALL_MESSAGE_IDS {
        let english = i18n::text_with(i18n::Language::En, id, &args);
        assert_ne!(english, *id, "English lacks {id}");
        for lang in i18n::Language::ALL.into_iter().filter(|l| *l != i18n::Language::En) {
            let text = i18n::text_with(lang, id, &args);
            assert!(text != *id && text != english, "{lang} lacks {id}: {text}");
        }
    }
}

/// The person's name is corrected after payment: the re-check sends the application back to
/// vetting, its payment kept; the identity step (passing with the new passport, or overridden
/// by a supervisor), the photo, the confirmation and the form are done again, the signed form
/// submits it again without a second charge, and the re-check passes.
#[test]
fn revetting_after_payment_vets_again_without_charging_twice() {
    for overridden in [false, true] {
        let office = office();
        let id = office.up_to_identity();
        office.signed_form(id);
        let paid = office.ok(VisitOp::Pay {
            application: id,
            method: PaymentMethod::Cash,
            reference: "RCPT-7".into(),
            invoice: None,
        });
        let payment = paid.view.application.progress.payment.clone().expect("paid");
        let mut store = office.store();
        let mut person: Person = store.get(office.person).expect("read").expect("person");
        person.name_latin = Some("CHAN TAI MAN DAVID".into());
        store.put(None, &person).expect("renamed");

        let err = office.as_clerk(VisitOp::Recheck { application: id }).map(|_| ()).unwrap_err();
        assert_eq!(err.id, "visit-recheck-revetting-required");
        assert!(office.refused(id, Step::Recheck, "visit-recheck-revetting-required"));
        let back = office.ok(VisitOp::Resume { application: id }).view;
        assert_eq!(back.application.state(), ApplicationState::Draft, "back to vetting");
        assert_eq!(back.application.progress.payment.as_ref(), Some(&payment), "still paid");
        assert_eq!(back.application.progress.fee, Some(payment.amount));
        assert_eq!(back.current(), Some(Step::Identity));

        if overridden {
            // The document still has the old name: a supervisor accepts it, with a reason.
            let err = office
                .as_clerk(VisitOp::Identity {
                    application: id,
                    input: IdentityInput::Mrz { text: office.matching_mrz(), chip: false },
                })
                .map(|_| ())
                .unwrap_err();
            assert_eq!(err.id, "visit-identity-invalid-data");
            let over = office.ok(VisitOp::OverrideIdentity {
                application: id,
                supervisor: office.supervisor,
                reason: "name corrected in the registry, passport not yet".into(),
            });
            assert!(over.view.application.identity_override);
            assert_eq!(over.view.current(), Some(Step::Photo));
        } else {
            let renamed = td3("CHAN", "TAI MAN DAVID", "MA1234567", "800517", "310630");
            let passed = office.ok(VisitOp::Identity {
                application: id,
                input: IdentityInput::Mrz { text: renamed, chip: false },
            });
            assert_eq!(passed.view.current(), Some(Step::Photo));
        }
        office.ok(VisitOp::PhotoFromFile {
            application: id,
            path: office.photo_file("again.png", true),
        });
        office.ok(VisitOp::Confirm { application: id, invoice: None });
        let printed = office.ok(VisitOp::PrintForm { application: id });
        assert_eq!(printed.view.current(), Some(Step::Form), "reprinted, to be signed again");
        let signed = office.ok(VisitOp::FormSigned { payload: form_code(&office, id) });
        assert_eq!(signed.notice, Some(Notice::Submitted));
        if overridden {
            assert_eq!(signed.view.application.state(), ApplicationState::AwaitingApproval);
            assert_eq!(signed.view.current(), Some(Step::Approval));
            let second = office.second_supervisor();
            office.ok(VisitOp::Approve { application: id, supervisor: second });
        }
        let vetted = office.ok(VisitOp::Resume { application: id }).view;
        assert_eq!(vetted.application.state(), ApplicationState::AwaitingFulfilment);
        assert_eq!(vetted.application.progress.payment.as_ref(), Some(&payment));
        assert_eq!(vetted.current(), Some(Step::Recheck), "paid already: no payment step");

        let rechecked = office.ok(VisitOp::Recheck { application: id });
        assert!(rechecked.view.application.visit.done(Fact::Rechecked));
        assert_eq!(rechecked.view.current(), Some(Step::Issuance));
        let moves = office.transitions(id);
        assert_eq!(moves.iter().filter(|a| *a == "record_payment").count(), 1, "{moves:?}");
        assert_eq!(moves.iter().filter(|a| *a == "require_revetting").count(), 1, "{moves:?}");
        assert_eq!(moves.iter().filter(|a| *a == "pass_vetting").count(), 2, "{moves:?}");
    }
}

/// A renewal walked to its issuance step: form signed, paid, re-checked.
fn renewal_at_issuance(office: &Office) -> RecordId {
    let id = office.up_to_identity();
    office.signed_form(id);
    office.ok(VisitOp::Pay {
        application: id,
        method: PaymentMethod::Card,
        reference: "POS-1".into(),
        invoice: None,
    });
    office.ok(VisitOp::Recheck { application: id });
    id
}

/// What the office CA records of a qualified certificate it signed onto a token, after
/// `previous` (renewed, changed, replaced) or new.
fn signed_by_the_office_ca(previous: Option<RecordId>) -> registry::model::Issuance {
    registry::model::Issuance {
        profile: "qualified-person".into(),
        sha256: "00".into(),
        issuer_key_id: "00".into(),
        medium: registry::model::KeyMedium::Token,
        key_id: None,
        key_type: "p256".into(),
        previous,
        der_base64: String::new(),
    }
}

fn issue_op(id: RecordId) -> VisitOp {
    VisitOp::Issue {
        application: id,
        pin: tokens::Pin::new("123456".to_owned()),
        phrase: zeroize::Zeroizing::new("開門芝麻".into()),
        medium: IssueMedium::Token,
    }
}

/// Puts an issuing claim on the visit, as a kiosk that started issuing it would have.
fn claimed(office: &Office, id: RecordId, kiosk: &str, minutes_ago: i64) {
    let mut app: Application = office.store().get(id).expect("read").expect("app");
    app.visit.issuing = Some(registry::visit::IssuingClaim {
        kiosk: kiosk.into(),
        clerk: office.clerk,
        at: now() - Duration::minutes(minutes_ago),
    });
    office.store().put(None, &app).expect("claimed");
}

fn claim_of(office: &Office, id: RecordId) -> Option<registry::visit::IssuingClaim> {
    let app: Application = office.store().get(id).expect("read").expect("app");
    app.visit.issuing
}

#[test]
fn one_kiosk_at_a_time_issues_a_visit_and_a_claim_left_behind_is_taken_over() {
    let office = office();
    let id = renewal_at_issuance(&office);
    let own = office.store().kiosk_id().to_owned();
    // No token module here: an issuance that gets past its claim stops there.
    let past_the_claim = "visit-no-token-module";

    // Another counter sharing the store claimed it a minute ago.
    claimed(&office, id, "K-OTHER", 1);
    let err = office.as_clerk(issue_op(id)).map(|_| ()).unwrap_err();
    assert_eq!(err.id, "visit-issuing-elsewhere");
    assert_eq!(err.args.first(), Some(&("kiosk", "K-OTHER".to_owned())));
    assert!(err.args.iter().any(|(name, since)| *name == "since" && since.len() == 16), "{err:?}");
    assert!(office.refused(id, Step::Issuance, "visit-issuing-elsewhere"));
    assert_eq!(claim_of(&office, id).map(|c| c.kiosk), Some("K-OTHER".into()), "left alone");

    // Its claim is stale after a quarter of an hour: taken over, and given up when this
    // issuance fails, so the visit can be issued again at once.
    claimed(&office, id, "K-OTHER", registry::visit::ISSUING_CLAIM_STALE_MINUTES + 1);
    let err = office.as_clerk(issue_op(id)).map(|_| ()).unwrap_err();
    assert_eq!(err.id, past_the_claim);
    assert!(office.steps(id).contains(&(Step::Issuance, StepOutcome::Started)));
    assert_eq!(claim_of(&office, id), None, "released after the failure");

    // Another process of this data directory issuing it now holds the visit's lock.
    let lock = office.ctx.data_dir.join("visits").join("issuing").join(format!("{id}.lock"));
    let held = std::fs::File::open(&lock).expect("the lock file");
    held.lock().expect("held by 'another process'");
    claimed(&office, id, &own, 0);
    let err = office.as_clerk(issue_op(id)).map(|_| ()).unwrap_err();
    assert_eq!(err.id, "visit-issuing-elsewhere");
    assert_eq!(err.args.first(), Some(&("kiosk", own.clone())));
    // That process stops (a crash, a restart): its lock goes, and this kiosk's own claim is
    // taken over at once.
    drop(held);
    let err = office.as_clerk(issue_op(id)).map(|_| ()).unwrap_err();
    assert_eq!(err.id, past_the_claim);
    assert_eq!(claim_of(&office, id), None);
}

/// A new certificate's issuance stopped after the certificate was put on the blank token and
/// put in force, before the visit was saved: the claim and the token noted for it are found on
/// resume, and the certificate is recorded, not issued a second time.
#[test]
fn a_new_certificate_the_kiosk_did_not_live_to_record_is_recorded_not_issued_again() {
    let office = office();
    let id = office
        .ok(VisitOp::Open { service: Service::NewIssuance, applicant: office.person })
        .view
        .application
        .id;
    office.ok(VisitOp::Consent { application: id });
    office.identified(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    office.ok(VisitOp::SetDetails {
        application: id,
        organisation: None,
        class: CertificateClass::Qualified,
        years: 2,
    });
    office.ok(VisitOp::Skip {
        application: id,
        step: Step::Email,
        supervisor: office.supervisor,
        reason: "relay down".into(),
    });
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    office.ok(VisitOp::PrintForm { application: id });
    office.ok(VisitOp::FormSigned { payload: form_code(&office, id) });
    office.ok(VisitOp::Pay {
        application: id,
        method: PaymentMethod::Cash,
        reference: "RCPT-9".into(),
        invoice: None,
    });
    let at = office.ok(VisitOp::Recheck { application: id });
    assert_eq!(at.view.current(), Some(Step::Issuance));

    // What the interrupted run left: its claim, the blank token it noted, and on that token a
    // certificate signed, delivered and put in force (the token issued).
    let own = office.store().kiosk_id().to_owned();
    claimed(&office, id, &own, 2);
    let mut app: Application = office.store().get(id).expect("read").expect("app");
    app.visit.new_token = Some("ES-NEW-1".into());
    let token = registry::model::Token {
        id: ulid::Ulid::new(),
        serial: "ES-NEW-1".into(),
        model: None,
        status: registry::model::TokenStatus::Issued,
        holder_person: Some(office.person),
        holder_organisation: None,
        pin_failures: 0,
    };
    let mut made = certificate(office.person, 730);
    made.token = Some(token.id);
    made.issuance = Some(signed_by_the_office_ca(None));
    office
        .store()
        .write(None, |w| {
            w.put(&app)?;
            w.put(&token)?;
            w.put(&made).map(drop)
        })
        .expect("left by the interrupted run");

    // No token module is set here: issuing again could not even start.
    let done = office.ok(issue_op(id));
    assert_eq!(done.notice, Some(Notice::Activated));
    let visit = &done.view.application.visit;
    assert_eq!(visit.issued.len(), 1, "exactly one certificate");
    let line = &visit.issued[0];
    assert_eq!((line.certificate, line.token.as_deref()), (made.id, Some("ES-NEW-1")));
    assert_eq!(visit.issuing, None, "the claim ends with the issuance recorded");
    assert_eq!(done.view.current(), Some(Step::Completion));
    let kept: Certificate = office.store().get(made.id).expect("read").expect("cert");
    assert!(kept.revocation_phrase.is_some(), "the phrase is set on the one made");
    let mut new_ones = 0;
    for link in office
        .store()
        .linked_from(office.person, registry::model::RecordKind::Certificate)
        .expect("links")
    {
        let cert: Option<Certificate> = office.store().get(link.from_id).expect("read");
        if link.field == "holder_person"
            && cert.is_some_and(|c| c.issuance.is_some_and(|i| i.previous.is_none()))
        {
            new_ones += 1;
        }
    }
    assert_eq!(new_ones, 1, "none issued a second time");
    let again = office.as_clerk(issue_op(id)).map(|_| ()).unwrap_err();
    assert_eq!(again.id, "visit-nothing-to-issue");
}

#[test]
fn an_organisations_own_certificate_is_renewed_by_one_who_acts_for_it() {
    let office = office();
    let org = crate::test_fixtures::trading_company();
    let administrator = crate::test_fixtures::member(
        org.id,
        office.person,
        registry::model::MemberRole::Administrator,
    );
    // The organisation's own certificate, confirmed for renewal by it; one it has not confirmed.
    let own = Certificate {
        holder_kind: HolderKind::Organisation,
        holder_person: None,
        holder_organisation: Some(org.id),
        renewal_confirmed: true,
        ..certificate(office.person, 15)
    };
    let unconfirmed =
        Certificate { id: ulid::Ulid::new(), renewal_confirmed: false, ..own.clone() };
    let stranger = chan(ulid::Ulid::new());
    office
        .store()
        .write(None, |w| {
            w.put(&org)?;
            w.put(&administrator)?;
            w.put(&own)?;
            w.put(&unconfirmed)?;
            w.put(&stranger).map(drop)
        })
        .expect("organisation");
    let open =
        VisitOp::OpenFor { service: Service::Renewal, agent: office.person, organisation: org.id };
    let view = office.ok(open).view;
    let id = view.application.id;
    assert_eq!(view.application.organisation, Some(org.id));
    assert_eq!(view.application.agent, Some(office.person));
    assert_eq!(view.application.holder_kind, HolderKind::Organisation);
    assert_eq!(view.application.certificates, vec![own.id], "only what it confirmed is due");
    assert!(view.plan.iter().any(|p| p.step == Step::Documents), "its papers are asked for");

    // The person's own renewal is another visit, about their own certificate.
    let theirs = office.ok(VisitOp::Open { service: Service::Renewal, applicant: office.person });
    assert_ne!(theirs.view.application.id, id);
    assert_eq!(theirs.view.application.certificates, vec![office.due]);
    assert_eq!(theirs.view.application.organisation, None);
    // Asked again for the organisation, the same visit resumes.
    let again =
        VisitOp::OpenFor { service: Service::Renewal, agent: office.person, organisation: org.id };
    assert_eq!(office.ok(again).view.application.id, id);

    // Its agent's identity, its papers, the form: submitted, nothing missing.
    office.ok(VisitOp::ChooseCertificates { application: id, new_key: false });
    office.ok(VisitOp::Skip {
        application: id,
        step: Step::Email,
        supervisor: office.supervisor,
        reason: "relay down".into(),
    });
    office.ok(VisitOp::Consent { application: id });
    office.identified(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    let papers = [
        registry::application::DocumentKind::BusinessLicence,
        registry::application::DocumentKind::LegalRepresentativeId,
        registry::application::DocumentKind::AgentId,
    ];
    let short = office
        .as_clerk(VisitOp::Documents { application: id, documents: papers[..1].to_vec() })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(short.id, "visit-document-missing");
    office.ok(VisitOp::Documents { application: id, documents: papers.to_vec() });
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    office.ok(VisitOp::PrintForm { application: id });
    let submitted = office.ok(VisitOp::FormSigned { payload: form_code(&office, id) });
    assert_eq!(submitted.notice, Some(Notice::Submitted));
    assert_eq!(submitted.view.application.state(), ApplicationState::AwaitingPayment);
    assert_eq!(submitted.view.current(), Some(Step::Payment));

    // Someone who does not act for it (no member, nor its legal representative) is refused
    // before anything is written.
    let err = office
        .as_clerk(VisitOp::OpenFor {
            service: Service::Revocation,
            agent: stranger.id,
            organisation: org.id,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.id, "visit-not-their-organisation");
}

/// A person's new certificate of `class` walked without devices to its issuance step: the
/// email skipped by a supervisor, the form printed to a PDF and its code scanned back, paid.
fn new_certificate_at_issuance(office: &Office, class: CertificateClass) -> RecordId {
    let open = office.ok(VisitOp::Open { service: Service::NewIssuance, applicant: office.person });
    let id = open.view.application.id;
    office.ok(VisitOp::Consent { application: id });
    office.identified(id);
    office.ok(VisitOp::PhotoFromFile { application: id, path: office.photo_file("ok.png", true) });
    office.ok(VisitOp::SetDetails { application: id, organisation: None, class, years: 1 });
    office.ok(VisitOp::Skip {
        application: id,
        step: Step::Email,
        supervisor: office.supervisor,
        reason: "relay down".into(),
    });
    office.ok(VisitOp::Confirm { application: id, invoice: None });
    office.ok(VisitOp::PrintForm { application: id });
    office.ok(VisitOp::FormSigned { payload: form_code(office, id) });
    office.ok(VisitOp::Pay {
        application: id,
        method: PaymentMethod::Cash,
        reference: "R-000777".into(),
        invoice: None,
    });
    let rechecked = office.ok(VisitOp::Recheck { application: id });
    assert_eq!(rechecked.view.current(), Some(Step::Issuance));
    id
}

fn issue_refused(office: &Office, id: RecordId, pin: &str, medium: IssueMedium) -> VisitError {
    office
        .as_clerk(VisitOp::Issue {
            application: id,
            pin: tokens::Pin::new(pin.to_owned()),
            phrase: zeroize::Zeroizing::new("開門芝麻".into()),
            medium,
        })
        .map(|_| ())
        .unwrap_err()
}

#[test]
fn a_missing_token_module_offers_the_pkcs12_file_only_where_the_profile_allows_it() {
    let first = office();
    let office = &first;
    // No token module configured (the default configuration).
    let standard = new_certificate_at_issuance(office, CertificateClass::Standard);
    let err = issue_refused(office, standard, "482913", IssueMedium::Token);
    assert_eq!(err.id, "visit-no-token-module-or-pkcs12");
    assert!(office.refused(standard, Step::Issuance, "visit-no-token-module-or-pkcs12"));
    // The file's password follows the seed's rule, and the file's folder must be there: both
    // refused before the office CA is asked for anything.
    let weak = issue_refused(office, standard, "password", IssueMedium::Pkcs12File { path: None });
    assert_eq!(weak.id, "token-error-pin-rules");
    let nowhere = office.dir.path().join("no-such-folder").join("ho.p12");
    let err = issue_refused(
        office,
        standard,
        "Secret-2026",
        IssueMedium::Pkcs12File { path: Some(nowhere) },
    );
    assert_eq!(err.id, "print-file-no-folder");
    let view = office.ok(VisitOp::Resume { application: standard }).view;
    assert!(view.application.visit.issued.is_empty(), "nothing issued");

    // Another office: the person's open new-certificate application would be resumed.
    let second = self::office();
    let office = &second;
    let qualified = new_certificate_at_issuance(office, CertificateClass::Qualified);
    let err = issue_refused(office, qualified, "482913", IssueMedium::Token);
    assert_eq!(err.id, "visit-no-token-module", "no file to offer");
    let soft =
        issue_refused(office, qualified, "Secret-2026", IssueMedium::Pkcs12File { path: None });
    assert_eq!(
        (soft.id, soft.args),
        ("token-error-soft-not-allowed", vec![("profile", "qualified-person".to_owned())])
    );
    assert!(!office.ctx.data_dir.join("pkcs12").exists(), "no file, no folder");
}

#[test]
fn a_renewal_is_never_issued_into_a_pkcs12_file() {
    let office = office();
    let id = renewal_at_issuance(&office);
    let err = issue_refused(&office, id, "Secret-2026", IssueMedium::Pkcs12File { path: None });
    assert_eq!(err.id, "visit-pkcs12-new-only");
    assert!(office.refused(id, Step::Issuance, "visit-pkcs12-new-only"));
    assert!(!office.ctx.data_dir.join("pkcs12").exists());
}

#[test]
fn a_withdrawn_successor_is_no_renewal_and_being_issued_elsewhere_is_not_cancelled() {
    let office = office();
    // An issuance whose delivery failed left its certificate withdrawn: it names the due one
    // as its predecessor, but was never the holder's.
    let mut withdrawn = certificate(office.person, 730);
    withdrawn.issuance = Some(signed_by_the_office_ca(Some(office.due)));
    withdrawn.status = CertificateStatus::Revoked;
    withdrawn.revocation = Some(registry::model::Revocation {
        at: now(),
        reason: registry::model::RevocationReason::CessationOfOperation,
    });
    office.store().put(None, &withdrawn).expect("withdrawn");
    let id = renewal_at_issuance(&office);
    let view = office.ok(VisitOp::Resume { application: id }).view;
    assert_eq!(view.application.certificates, vec![office.due], "still due");

    // The printed form cannot be printed again, nor scanned again, once submitted.
    let again = office.as_clerk(VisitOp::PrintForm { application: id }).map(|_| ()).unwrap_err();
    assert_eq!(again.id, "visit-form-already-submitted");

    // Another counter is issuing it now: a refund here would leave its certificate under a
    // cancelled application.
    claimed(&office, id, "K-OTHER", 2);
    let refund = office
        .as_clerk(VisitOp::Cancel {
            application: id,
            supervisor: Some(office.supervisor),
            reason: "changed their mind".into(),
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(refund.id, "visit-issuing-elsewhere");
    let app: Application = office.store().get(id).expect("read").expect("app");
    assert!(app.visit.cancelled.is_none() && !app.state().is_final());
}

#[test]
fn an_organisations_certificate_is_chosen_by_its_agent_and_one_visit_of_a_service_is_open() {
    let office = office();
    let org = crate::test_fixtures::trading_company();
    let other_agent = chan(ulid::Ulid::new());
    let member = |person| {
        crate::test_fixtures::member(org.id, person, registry::model::MemberRole::Employee)
    };
    let own = Certificate {
        holder_kind: HolderKind::Organisation,
        holder_person: None,
        holder_organisation: Some(org.id),
        ..certificate(office.person, 300)
    };
    office
        .store()
        .write(None, |w| {
            w.put(&org)?;
            w.put(&other_agent)?;
            w.put(&member(office.person))?;
            w.put(&member(other_agent.id))?;
            w.put(&own).map(drop)
        })
        .expect("organisation");
    let open =
        |agent| VisitOp::OpenFor { service: Service::Revocation, agent, organisation: org.id };
    let view = office.ok(open(office.person)).view;
    let id = view.application.id;
    assert_eq!(view.application.certificates, vec![own.id]);
    // The organisation's own certificate, chosen by its agent; the person's own is not its.
    let not_its = office
        .as_clerk(VisitOp::SelectCertificates {
            application: id,
            certificates: vec![office.due],
            phrase: None,
        })
        .map(|_| ())
        .unwrap_err();
    assert_eq!(not_its.id, "visit-certificate-not-theirs");
    let chosen = office.ok(VisitOp::SelectCertificates {
        application: id,
        certificates: vec![own.id],
        phrase: None,
    });
    assert!(chosen.view.application.visit.done(Fact::CertificatesChosen));

    // Another of its agents cannot open a second revocation of its certificates meanwhile.
    let second = office.as_clerk(open(other_agent.id)).map(|_| ()).unwrap_err();
    assert_eq!(second.id, "visit-organisation-visit-open");
    assert_eq!(
        second.args,
        vec![("reference", chosen.view.application.reference.clone())],
        "the open one is named"
    );
}
