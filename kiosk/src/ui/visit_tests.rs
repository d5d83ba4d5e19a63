//! The visit wizard's `update` at every step of a renewal (refusals included), the supervisor's
//! approval on the clerk's screen, and snapshots of every step at 80×24 in all four languages.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use i18n::Language;
use registry::application::{Application, ApplicationState};
use registry::model::*;
use registry::visit::{
    EmailCheck, Fact, FormRecord, IdentityCheck, IdentityField, IssuedLine, PaymentMethod, Step,
};
use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::action::Action;
use super::app::{App, Overlay, Screen, update};
use super::jobs::{Done, Effect};
use super::keys::Scope;
use super::msg::Msg;
use super::screens::visit::{Allow, VisitState};
use crate::signin::{PasswordAccepted, SignedIn};
use crate::visits::{IdentityInput, IssueMedium, Notice, Outcome, VisitOp, VisitView};

const NOW: OffsetDateTime = datetime!(2026-11-30 10:15 +8);

fn ulid(n: u128) -> RecordId {
    ulid::Ulid::from(n)
}

fn clerk() -> SignedIn {
    SignedIn {
        clerk: ulid(1),
        username: "chan.tm".into(),
        display_name: "陳大文".into(),
        role: StaffRole::Clerk,
    }
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(app, key(KeyCode::Char(c))));
    }
    effects
}

fn person() -> Person {
    Person {
        id: ulid(200),
        name_zh: Some("何家豪".into()),
        name_latin: Some("HO KA HOU".into()),
        id_document: IdDocument {
            kind: IdDocumentKind::Passport,
            number: Sensitive::new("MA1234567"),
            issuing_state: Some("MAC".into()),
            expiry: Some(date!(2031 - 01 - 01)),
        },
        nationality: Some("CHN".into()),
        birth_date: Some(date!(1985 - 03 - 02)),
        sex: None,
        phone: None,
        email: Some("ho.kahou@example.mo".into()),
        photo: None,
    }
}

fn organisation() -> Organisation {
    Organisation {
        id: ulid(500),
        name_zh: Some("澳門貿易有限公司".into()),
        name_latin: Some("MACAU TRADING LIMITED".into()),
        registration: OrganisationRegistration {
            kind: RegistrationKind::MacauCommercialRegistry,
            number: "SO-12345".into(),
        },
        legal_representative: None,
        licence_valid_until: None,
        address: None,
        phone: None,
        website: None,
    }
}

fn certificate() -> Certificate {
    Certificate {
        id: ulid(300),
        class: CertificateClass::Qualified,
        holder_kind: HolderKind::Person,
        subject: SubjectDn { cn: "何家豪 HO KA HOU".into(), ..Default::default() },
        serial: Some("4f2a19c3".into()),
        not_before: Some(NOW - time::Duration::days(700)),
        not_after: Some(NOW + time::Duration::days(12)),
        validity_years: 2,
        status: CertificateStatus::Valid,
        holder_person: Some(ulid(200)),
        holder_organisation: None,
        token: None,
        renewal_confirmed: false,
        revocation_phrase: None,
        revocation: None,
        issuance: None,
    }
}

/// A renewal standing at `step`: every step before it done.
pub(super) fn renewal_at(step: Option<Step>) -> VisitView {
    visit_at(Service::Renewal, step)
}

/// The plan of `service` for a qualified certificate of `holder`, the revocation phrase given
/// or not, no identity check overridden.
fn plan_for(
    service: Service,
    holder: HolderKind,
    revocation_phrase_given: bool,
) -> Vec<registry::visit::PlannedStep> {
    let circumstances = registry::visit::Circumstances {
        holder,
        class: CertificateClass::Qualified,
        revocation_phrase_given,
        identity_overridden: false,
    };
    registry::visit::plan(service, circumstances).expect("a counter service")
}

/// A new certificate for the trading company, its details entered: the visit stands at the
/// organisation's papers.
fn organisation_at_its_papers() -> VisitView {
    let mut view = visit_at(Service::NewIssuance, Some(Step::Details));
    view.application.holder_kind = HolderKind::Organisation;
    view.application.organisation = Some(ulid(500));
    view.organisation = Some(organisation());
    view.plan = plan_for(Service::NewIssuance, HolderKind::Organisation, true);
    view.application.visit.facts.insert(Fact::DetailsEntered);
    view
}

/// Snapshots of `service`'s wizard in `lang` at each of `steps` (`None`: every step done).
fn snapshot_steps(lang: Language, service: Service, steps: impl IntoIterator<Item = Option<Step>>) {
    for step in steps {
        let app = on_visit_in(lang, service, step);
        let name = step.map_or("done".to_owned(), |s| format!("{s:?}").to_lowercase());
        let service_name = format!("{service:?}").to_lowercase();
        insta::assert_snapshot!(
            format!("visit_{service_name}_{name}_{}_80x24", lang.tag()),
            render(&app, 80, 24)
        );
    }
}

/// A visit of `service` standing at `step`: every step before it done. A revocation is one
/// without the phrase (a supervisor approves).
pub(super) fn visit_at(service: Service, step: Option<Step>) -> VisitView {
    let plan = plan_for(service, HolderKind::Person, service != Service::Revocation);
    let mut application = Application::draft(
        ulid(400),
        service,
        ulid(200),
        HolderKind::Person,
        CertificateClass::Qualified,
        NOW,
    );
    application.reference = "R-2026-0042".into();
    application.certificates = vec![ulid(300)];
    let fee = Money { minor: 40_000, currency: Currency::Mop };
    application.visit.emails = vec![EmailCheck {
        address: "ho.kahou@example.mo".into(),
        verified_at: None,
        unverified: None,
    }];
    for planned in &plan {
        if Some(planned.step) == step {
            break;
        }
        application.visit.facts.insert(planned.step.records());
        match planned.step {
            Step::Email => {
                application.visit.emails[0].verified_at = Some(NOW - time::Duration::minutes(9))
            }
            Step::Form if service != Service::Renewal => {
                application.progress.state = if plan.iter().any(|p| p.step == Step::Approval) {
                    ApplicationState::AwaitingApproval
                } else {
                    ApplicationState::AwaitingFulfilment
                };
            }
            Step::Approval => application.progress.state = ApplicationState::AwaitingFulfilment,
            Step::Form => {
                application.visit.form = Some(FormRecord {
                    printed_at: NOW - time::Duration::minutes(5),
                    job: Some("J-7".into()),
                    print: Some("01HZXK7Q".into()),
                    identity: String::new(),
                    subjects: String::new(),
                    signed_at: Some(NOW - time::Duration::minutes(4)),
                });
                application.progress.state = ApplicationState::AwaitingPayment;
                application.progress.fee = Some(fee);
            }
            Step::Payment => {
                application.progress.state = ApplicationState::AwaitingFulfilment;
                application.progress.payment = Some(registry::application::Payment {
                    amount: fee,
                    reference: "POS-88231".into(),
                    at: NOW,
                });
                application.visit.payment_method = Some(PaymentMethod::Card);
            }
            Step::Issuance => application.visit.issued.push(IssuedLine {
                certificate: ulid(301),
                serial: "7c01be55".into(),
                not_after: NOW + time::Duration::days(731),
                previous_serial: Some("4f2a19c3".into()),
                previous_not_after: Some(NOW + time::Duration::days(12)),
                token: Some("EK0001".into()),
            }),
            Step::Completion => application.progress.state = ApplicationState::Completed,
            _ => {}
        }
        if planned.step == Step::Consent {
            application.consent_given = true;
        }
        if planned.step == Step::Confirmation {
            application.agreement_accepted = true;
        }
    }
    let mut certificates = vec![certificate()];
    if service != Service::Renewal {
        let mut other = certificate();
        other.id = ulid(302);
        other.serial = Some("9d30aa17".into());
        other.class = CertificateClass::Encryption;
        other.not_after = Some(NOW + time::Duration::days(400));
        certificates.push(other);
    }
    if service == Service::Revocation && application.visit.done(Fact::Revoked) {
        certificates[0].status = CertificateStatus::Revoked;
    }
    VisitView {
        application,
        plan,
        applicant: person(),
        organisation: None,
        organisations: vec![organisation()],
        certificates,
        fee: Some(fee),
        chip_photo: None,
        counter_photo: None,
    }
}

/// A clerk (in English) on the visit screen of `service` standing at `step`.
pub(super) fn on_visit_of(service: Service, step: Option<Step>) -> App {
    let mut app = on_visit(Language::En, step);
    if let Screen::Visit(state) = &mut app.screen {
        let mut fresh = VisitState::opening(service);
        fresh.loaded(Ok(Outcome { view: visit_at(service, step), notice: None }));
        **state = fresh;
    }
    app
}

fn on_visit_in(lang: Language, service: Service, step: Option<Step>) -> App {
    let mut app = on_visit_of(service, step);
    app.lang = lang;
    app
}

/// A clerk on the visit screen of a renewal standing at `step`.
pub(super) fn on_visit(lang: Language, step: Option<Step>) -> App {
    let mut app = App::new(lang, "澳門 eSignTrust 總辦事處".into(), "K01DEMO".into(), NOW, false);
    app.session = Some(clerk());
    app.screen = Screen::Queue;
    let mut state = VisitState::opening(Service::Renewal);
    state.loaded(Ok(Outcome { view: renewal_at(step), notice: None }));
    app.screen = Screen::Visit(Box::new(state));
    app.back = vec![Screen::Queue];
    app.visit_in_progress = true;
    app
}

fn state(app: &App) -> &VisitState {
    match &app.screen {
        Screen::Visit(state) => state,
        other => panic!("not on the visit screen: {other:?}"),
    }
}

fn ops(effects: Vec<Effect>) -> Vec<VisitOp> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Visit { op, actor, .. } => {
                assert_eq!(actor.clerk, ulid(1), "the signed-in clerk acts");
                Some(op)
            }
            _ => None,
        })
        .collect()
}

fn answer(app: &mut App, view: VisitView, notice: Option<Notice>) -> Vec<Effect> {
    let screen = state(app).screen;
    update(app, Action::Job(Done::Visit { screen, result: Ok(Box::new(Outcome { view, notice })) }))
}

fn refuse(app: &mut App, id: &'static str) -> Vec<Effect> {
    let screen = state(app).screen;
    update(app, Action::Job(Done::Visit { screen, result: Err(Msg::new(id)) }))
}

use super::tests::render;

#[test]
fn v_in_a_persons_file_offers_the_services_and_enter_opens_the_renewal() {
    let mut app = App::new(Language::En, "O".into(), "K".into(), NOW, false);
    app.session = Some(clerk());
    app.screen = Screen::Subscriber(Box::new(super::screens::subscriber::FileState::loading(
        RecordKind::Person,
        ulid(200),
    )));
    // Nothing to start from before the file has loaded.
    assert!(update(&mut app, key(KeyCode::Char('v'))).is_empty());
    assert_eq!(app.overlay, None);
    if let Screen::Subscriber(state) = &mut app.screen {
        state.file = Some(Box::new(super::tests::person_file()));
    }
    update(&mut app, key(KeyCode::Char('v')));
    assert_eq!(
        app.overlay,
        Some(Overlay::VisitPicker { applicant: ulid(200), organisation: None, selected: 0 })
    );
    assert_eq!(app.scope(), Scope::VisitPicker);
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::Open { service: Service::Renewal, applicant }] if *applicant == ulid(200)),
        "{ops:?}"
    );
    assert!(app.visit_in_progress);
    assert_eq!(state(&app).busy, Some(Msg::new("visit-opening")));
}

/// An organisation's file: an administrator (210), an employee (211), an administrator who
/// left (212) and its legal representative (213), who is also an administrator.
fn organisation_file() -> crate::subscriber_file::SubscriberFile {
    use crate::subscriber_file::{MembershipLine, Party};
    let person = |n: u128, zh: &str, latin: &str| Party {
        id: ulid(n),
        kind: RecordKind::Person,
        name_zh: Some(zh.into()),
        name_latin: Some(latin.into()),
    };
    let member = |n: u128, party: Party, role: MemberRole, ended: Option<time::Date>| {
        MembershipLine { id: ulid(n), party, role, ended }
    };
    let mut file = super::tests::person_file();
    file.memberships = vec![
        member(610, person(210, "何家豪", "HO KA HOU"), MemberRole::Administrator, None),
        member(611, person(211, "黃職員", "WONG CHIK UN"), MemberRole::Employee, None),
        member(
            612,
            person(212, "李舊管", "LEI KAO KUN"),
            MemberRole::Administrator,
            Some(date!(2026 - 01 - 31)),
        ),
        member(613, person(213, "陳法代", "CHAN FAT TOI"), MemberRole::Administrator, None),
    ];
    file.legal_representative = Some(person(213, "陳法代", "CHAN FAT TOI"));
    file
}

fn on_organisation_file(file: crate::subscriber_file::SubscriberFile) -> App {
    let mut app = App::new(Language::En, "O".into(), "K".into(), NOW, false);
    app.session = Some(clerk());
    let mut state =
        super::screens::subscriber::FileState::loading(RecordKind::Organisation, ulid(500));
    state.file = Some(Box::new(file));
    app.screen = Screen::Subscriber(Box::new(state));
    app
}

#[test]
fn v_on_an_organisations_file_asks_who_acts_for_it_then_the_service() {
    let mut app = on_organisation_file(organisation_file());
    update(&mut app, key(KeyCode::Char('v')));
    // Those who may act for it, each once: not one who left.
    let Some(Overlay::AgentPicker { organisation, agents, selected: 0 }) = app.overlay.clone()
    else {
        panic!("{:?}", app.overlay)
    };
    assert_eq!(organisation, ulid(500));
    assert_eq!(
        agents.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![ulid(210), ulid(211), ulid(213)]
    );
    assert_eq!(app.scope(), Scope::VisitPicker);
    for _ in 0..3 {
        update(&mut app, key(KeyCode::Down));
    }
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(
        app.overlay,
        Some(Overlay::VisitPicker {
            applicant: ulid(213),
            organisation: Some(ulid(500)),
            selected: 0
        })
    );
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::OpenFor { service: Service::Renewal, agent, organisation }]
            if *agent == ulid(213) && *organisation == ulid(500)),
        "{ops:?}"
    );
    assert!(app.visit_in_progress);
}

#[test]
fn an_organisation_no_one_acts_for_says_so() {
    let mut file = organisation_file();
    file.memberships.retain(|m| m.ended.is_some());
    file.legal_representative = None;
    let mut app = on_organisation_file(file);
    update(&mut app, key(KeyCode::Char('v')));
    assert_eq!(app.overlay, None);
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("visit-organisation-no-agent"));
}

#[test]
fn certificates_due_are_fixed_and_enter_chooses_them_with_the_key_choice() {
    let mut app = on_visit(Language::En, Some(Step::Certificates));
    assert_eq!(app.scope(), Scope::Visit);
    update(&mut app, key(KeyCode::Char(' ')));
    assert!(state(&app).new_key, "Space asks for a new key pair");
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::ChooseCertificates { new_key: true, .. }]),
        "{ops:?}"
    );
    // While the job works, keys do nothing and Esc does not leave.
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    update(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Visit(_)));
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("visit-wait-for-step"));
    // The answer moves the wizard on to the email step, with fresh fields.
    answer(&mut app, renewal_at(Some(Step::Email)), None);
    assert_eq!(state(&app).current(), Some(Step::Email));
    assert_eq!(state(&app).busy, None);
    assert_eq!(app.scope(), Scope::VisitForm);
}

#[test]
fn the_email_step_sends_a_code_checks_six_digits_and_says_when_it_waits_offline() {
    let mut app = on_visit(Language::En, Some(Step::Email));
    let sent = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(sent.as_slice(), [VisitOp::SendCode { address, .. }] if address == "ho.kahou@example.mo"),
        "{sent:?}"
    );
    answer(
        &mut app,
        renewal_at(Some(Step::Email)),
        Some(Notice::CodeQueued {
            address: "ho.kahou@example.mo".into(),
            reason: "mail-relay-down",
        }),
    );
    assert_eq!(state(&app).info.len(), 2, "the queued code and why");
    // Letters do not go into a code; five digits are not a code.
    type_text(&mut app, "12a345");
    assert_eq!(state(&app).code, "12345");
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-code-six-digits")));
    type_text(&mut app, "６");
    assert_eq!(state(&app).code, "123456", "a full-width digit is a digit");
    let checked = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(checked.as_slice(), [VisitOp::CheckCode { code, .. }] if code.as_str() == "123456"),
        "{checked:?}"
    );
    // A wrong code: said, and the field empties for the next try.
    refuse(&mut app, "mail-code-wrong");
    assert_eq!(state(&app).error, Some(Msg::new("mail-code-wrong")));
    assert!(state(&app).code.is_empty());
    // F5 sends a new code whatever is typed.
    type_text(&mut app, "99");
    assert!(matches!(
        ops(update(&mut app, key(KeyCode::F(5)))).as_slice(),
        [VisitOp::SendCode { .. }]
    ));
}

fn accepted_supervisor() -> PasswordAccepted {
    PasswordAccepted::for_tests(ulid(2), "lei.mf", NOW)
}

fn supervisor() -> SignedIn {
    SignedIn {
        clerk: ulid(2),
        username: "lei.mf".into(),
        display_name: "李美芳".into(),
        role: StaffRole::Supervisor,
    }
}

/// Walks the supervisor's sign-in on the visit screen: id, password, code.
fn supervisor_signs_in(app: &mut App, who: SignedIn) -> Vec<Effect> {
    type_text(app, "lei.mf");
    update(app, key(KeyCode::Enter));
    type_text(app, "Pass-word1");
    let checking = update(app, key(KeyCode::Enter));
    assert!(
        matches!(checking.as_slice(), [Effect::CheckPassword { username, .. }] if username == "lei.mf"),
        "{checking:?}"
    );
    update(app, Action::Job(Done::PasswordChecked(Ok(accepted_supervisor()))));
    type_text(app, "123456");
    let code = update(app, key(KeyCode::Enter));
    assert!(matches!(code.as_slice(), [Effect::CheckCode { .. }]), "{code:?}");
    update(app, Action::Job(Done::CodeChecked(Ok(who))))
}

#[test]
fn a_supervisor_lets_the_visit_go_on_without_the_email_with_a_written_reason() {
    let mut app = on_visit(Language::En, Some(Step::Email));
    update(&mut app, key(KeyCode::F(6)));
    let approval = state(&app).approval.clone().expect("an approval opens");
    assert_eq!(approval.allow, Allow::Skip(Step::Email));
    // No reason, no sign-in.
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-reason-required")));
    type_text(&mut app, "mail relay down");
    update(&mut app, key(KeyCode::Enter));
    // The password is never shown, and a pass-like string in it is no pass.
    let effects = supervisor_signs_in(&mut app, supervisor());
    let ops = ops(effects);
    assert!(
        matches!(ops.as_slice(), [VisitOp::Skip { step: Step::Email, supervisor, reason, .. }]
            if *supervisor == ulid(2) && reason == "mail relay down"),
        "{ops:?}"
    );
}

#[test]
fn the_clerk_cannot_approve_for_themselves_nor_can_a_clerk_approve() {
    let mut app = on_visit(Language::En, Some(Step::Email));
    update(&mut app, key(KeyCode::F(6)));
    type_text(&mut app, "offline");
    update(&mut app, key(KeyCode::Enter));
    let effects = supervisor_signs_in(&mut app, clerk());
    assert!(ops(effects).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-not-a-supervisor")));

    let mut own = on_visit(Language::En, Some(Step::Email));
    if let Some(session) = own.session.as_mut() {
        *session = supervisor();
    }
    update(&mut own, key(KeyCode::F(6)));
    type_text(&mut own, "offline");
    update(&mut own, key(KeyCode::Enter));
    let effects = supervisor_signs_in(&mut own, supervisor());
    assert!(effects.is_empty());
    assert_eq!(state(&own).error, Some(Msg::new("visit-own-approval")));
}

#[test]
fn esc_steps_back_out_of_an_approval_before_it_leaves_the_visit() {
    let mut app = on_visit(Language::En, Some(Step::Email));
    update(&mut app, key(KeyCode::F(6)));
    type_text(&mut app, "why");
    update(&mut app, key(KeyCode::Enter));
    update(&mut app, key(KeyCode::Esc));
    assert!(
        state(&app).approval.as_ref().is_some_and(|a| a.signin.is_none()),
        "back to the reason"
    );
    update(&mut app, key(KeyCode::Esc));
    assert!(state(&app).approval.is_none());
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Queue, "the visit is left");
    assert!(!app.visit_in_progress);
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("visit-left-saved"));
}

#[test]
fn consent_and_the_agreement_must_be_ticked() {
    for (step, refusal) in [
        (Step::Consent, "visit-consent-required"),
        (Step::Confirmation, "visit-agreement-required"),
    ] {
        let mut app = on_visit(Language::En, Some(step));
        assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
        assert_eq!(state(&app).error, Some(Msg::new(refusal)));
        update(&mut app, key(KeyCode::Char(' ')));
        let ops = ops(update(&mut app, key(KeyCode::Enter)));
        let expected = match step {
            Step::Consent => matches!(ops.as_slice(), [VisitOp::Consent { .. }]),
            _ => matches!(ops.as_slice(), [VisitOp::Confirm { .. }]),
        };
        assert!(expected, "{step:?}: {ops:?}");
    }
}

const MRZ: [&str; 2] = [
    "P<MACHO<<KA<HOU<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "MA12345670MAC8503021M3101015<<<<<<<<<<<<<<02",
];

#[test]
fn a_scanner_types_the_zone_line_by_line_and_the_whole_zone_is_read_with_the_chip() {
    let mut app = on_visit(Language::En, Some(Step::Identity));
    assert_eq!(app.scope(), Scope::VisitForm);
    type_text(&mut app, MRZ[0]);
    // The Enter after the first line starts the second; nothing is read yet.
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    type_text(&mut app, &MRZ[1].to_lowercase());
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    match ops.as_slice() {
        [VisitOp::Identity { input: IdentityInput::Mrz { text, chip: true }, .. }] => {
            assert_eq!(text, &format!("{}\n{}", MRZ[0], MRZ[1]), "upper case, two lines");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(state(&app).busy, Some(Msg::new("visit-reading-chip")));
}

#[test]
fn f5_checks_the_typed_zone_alone_where_no_reader_works() {
    let mut app = on_visit(Language::En, Some(Step::Identity));
    update(&mut app, key(KeyCode::F(5)));
    update(&mut app, Action::Paste(format!("{}\n{}", MRZ[0], MRZ[1])));
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(
            ops.as_slice(),
            [VisitOp::Identity { input: IdentityInput::Mrz { chip: false, .. }, .. }]
        ),
        "{ops:?}"
    );
}

fn failed_identity() -> VisitView {
    let mut view = renewal_at(Some(Step::Identity));
    view.application.visit.identity = Some(IdentityCheck {
        source: registry::visit::DocumentSource::Chip,
        document: IdDocumentKind::Passport,
        passive_authentication: Some(true),
        mismatches: vec![IdentityField::Name, IdentityField::BirthDate],
        unsupported: false,
        at: NOW,
        overridden: None,
    });
    view
}

#[test]
fn a_failed_identity_check_names_the_fields_and_a_supervisor_may_override_it() {
    let mut app = on_visit(Language::En, Some(Step::Identity));
    // F6 before any failure: nothing to approve.
    update(&mut app, key(KeyCode::F(6)));
    assert_eq!(state(&app).error, Some(Msg::new("visit-nothing-to-approve")));
    answer(&mut app, failed_identity(), None);
    let screen = render(&app, 80, 24);
    for text in ["Invalid identity document personal data", "name", "date of birth"] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    update(&mut app, key(KeyCode::F(6)));
    assert_eq!(state(&app).approval.as_ref().map(|a| a.allow), Some(Allow::OverrideIdentity));
    type_text(&mut app, "name romanised differently");
    update(&mut app, key(KeyCode::Enter));
    let ops = ops(supervisor_signs_in(&mut app, supervisor()));
    assert!(
        matches!(ops.as_slice(), [VisitOp::OverrideIdentity { supervisor, .. }] if *supervisor == ulid(2)),
        "{ops:?}"
    );
}

#[test]
fn the_photo_comes_from_a_file_or_the_camera() {
    let mut app = on_visit(Language::En, Some(Step::Photo));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-photo-path-required")));
    type_text(&mut app, "/home/counter/photos/ho.jpg");
    let ops1 = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops1.as_slice(), [VisitOp::PhotoFromFile { path, .. }] if path.ends_with("ho.jpg")),
        "{ops1:?}"
    );
    refuse(&mut app, "photo-too-dark");
    assert_eq!(state(&app).error, Some(Msg::new("photo-too-dark")));
    assert!(matches!(
        ops(update(&mut app, key(KeyCode::F(5)))).as_slice(),
        [VisitOp::PhotoFromCamera { .. }]
    ));
}

#[test]
fn the_form_prints_then_waits_for_its_signed_copy_scanned_from_any_screen() {
    let mut app = on_visit(Language::En, Some(Step::Form));
    let printed = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(matches!(printed.as_slice(), [VisitOp::PrintForm { .. }]), "{printed:?}");
    let mut view = renewal_at(Some(Step::Form));
    view.application.visit.form = Some(FormRecord {
        printed_at: NOW,
        job: Some("J-7".into()),
        print: Some("01HZXK7Q".into()),
        identity: String::new(),
        subjects: String::new(),
        signed_at: None,
    });
    answer(&mut app, view, Some(Notice::FormPrinted { job: "J-7".into() }));
    assert_eq!(
        state(&app).info,
        vec![Msg::with("visit-form-printed", vec![("job", "J-7".into())])]
    );
    // F5 prints it again (Enter does not print twice: it looks with the camera).
    assert!(matches!(
        ops(update(&mut app, key(KeyCode::F(5)))).as_slice(),
        [VisitOp::PrintForm { .. }]
    ));
    answer(&mut app, renewal_at(Some(Step::Form)), None);

    // The scanner types the signed form's code: the wedge takes it, whatever the screen.
    let mut queue = on_visit(Language::En, Some(Step::Form));
    queue.screen = Screen::Queue;
    queue.back.clear();
    let effects = type_text(&mut queue, "KF1|01ARZ3NDEKTSV4RRFFQ69G5FAV|R-2026-0042|abc");
    assert!(ops(effects).is_empty());
    let ops = ops(update(&mut queue, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::FormSigned { payload }] if payload == "KF1|01ARZ3NDEKTSV4RRFFQ69G5FAV|R-2026-0042|abc"),
        "{ops:?}"
    );
    assert!(matches!(queue.screen, Screen::Visit(_)), "the visit opens for it");
}

/// A renewal whose form was printed and waits for its signed copy.
fn form_printed() -> VisitView {
    let mut view = renewal_at(Some(Step::Form));
    view.application.visit.form = Some(FormRecord {
        printed_at: NOW - time::Duration::minutes(5),
        job: Some("J-7".into()),
        print: Some("01HZXK7Q".into()),
        identity: String::new(),
        subjects: String::new(),
        signed_at: None,
    });
    view
}

fn camera_answers(app: &mut App, result: Result<String, Msg>) -> Vec<Effect> {
    let screen = state(app).screen;
    update(app, Action::Job(Done::FormCodeByCamera { screen, result }))
}

#[test]
fn enter_on_a_printed_form_reads_its_signed_copy_with_the_camera() {
    let mut app = on_visit(Language::En, Some(Step::Form));
    answer(&mut app, form_printed(), None);
    let screen = state(&app).screen;
    let effects = update(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::FormCodeByCamera { screen: s }] if *s == screen),
        "{effects:?}"
    );
    assert!(app.camera_looking && state(&app).looking);
    assert_eq!(state(&app).busy, Some(Msg::new("visit-form-camera-looking")));
    // One camera at a time: Enter again starts nothing.
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());

    // Esc stops it; the job answers "stopped", and the visit stays where it was.
    let effects = update(&mut app, key(KeyCode::Esc));
    assert!(matches!(effects.as_slice(), [Effect::CancelCamera]), "{effects:?}");
    assert!(matches!(app.screen, Screen::Visit(_)), "Esc stops the camera, not the visit");
    camera_answers(&mut app, Err(Msg::new("visit-form-camera-stopped")));
    assert!(!app.camera_looking && !state(&app).looking && state(&app).busy.is_none());
    assert_eq!(state(&app).info, vec![Msg::new("visit-form-camera-stopped")]);
    assert_eq!(state(&app).error, None);

    // No code seen (or no camera): said, with the hand scanner offered.
    update(&mut app, key(KeyCode::Enter));
    camera_answers(&mut app, Err(Msg::new("visit-form-camera-no-code")));
    assert_eq!(state(&app).error, Some(Msg::new("visit-form-camera-no-code")));
    assert_eq!(state(&app).info, vec![Msg::new("visit-form-camera-use-scanner")]);
    update(&mut app, key(KeyCode::Enter));
    camera_answers(&mut app, Err(Msg::new("visit-form-camera-none")));
    assert_eq!(state(&app).error, Some(Msg::new("visit-form-camera-none")));

    // A code seen: the same operation as a scanned one, on this screen.
    update(&mut app, key(KeyCode::Enter));
    let code = "KF2|01ARZ3NDEKTSV4RRFFQ69G5FAV|R-2026-0042|01HZXK7Q|abc";
    let seen = ops(camera_answers(&mut app, Ok(code.into())));
    assert!(
        matches!(seen.as_slice(), [VisitOp::FormSigned { payload }] if payload == code),
        "{seen:?}"
    );
    assert_eq!(state(&app).screen, screen, "the same visit screen");
    assert_eq!(state(&app).busy, Some(Msg::new("visit-form-signed-checking")));
    assert!(!app.camera_looking);
}

#[test]
fn the_hand_scanner_quicker_than_the_camera_stops_it_and_a_late_answer_is_dropped() {
    let mut app = on_visit(Language::En, Some(Step::Form));
    answer(&mut app, form_printed(), None);
    let screen = state(&app).screen;
    update(&mut app, key(KeyCode::Enter));
    let code = "KF2|01ARZ3NDEKTSV4RRFFQ69G5FAV|R-2026-0042|01HZXK7Q|abc";
    let effects = update(&mut app, Action::Paste(code.into()));
    assert!(effects.iter().any(|e| matches!(e, Effect::CancelCamera)), "{effects:?}");
    let scanned = ops(effects);
    assert!(matches!(scanned.as_slice(), [VisitOp::FormSigned { .. }]), "{scanned:?}");
    assert_eq!(state(&app).screen, screen, "no second visit screen");
    // The camera's late answer changes nothing: the scanned code is being checked.
    assert!(camera_answers(&mut app, Err(Msg::new("visit-form-camera-stopped"))).is_empty());
    assert_eq!(state(&app).busy, Some(Msg::new("visit-form-signed-checking")));
    assert!(state(&app).info.is_empty() && !app.camera_looking);

    // The queue's camera is looking for a pass: the form's camera waits its turn.
    let mut app = on_visit(Language::En, Some(Step::Form));
    answer(&mut app, form_printed(), None);
    app.camera_looking = true;
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-form-camera-in-use")));
    assert!(state(&app).busy.is_none() && !state(&app).looking);

    // Locking stops the camera, and a code it saw meanwhile signs nothing.
    let mut app = on_visit(Language::En, Some(Step::Form));
    answer(&mut app, form_printed(), None);
    update(&mut app, key(KeyCode::Enter));
    let effects =
        update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)));
    assert!(effects.iter().any(|e| matches!(e, Effect::CancelCamera)), "{effects:?}");
    assert!(camera_answers(&mut app, Ok(code.into())).is_empty());
    assert!(state(&app).busy.is_none());
}

/// A QR code as a camera would see it: a picture file, read back as the camera's frame.
fn qr_frame(dir: &std::path::Path, name: &str, payload: &str) -> std::path::PathBuf {
    let picture = qrcode::QrCode::new(payload.as_bytes())
        .expect("the payload fits a QR code")
        .render::<image::Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(4, 4)
        .build();
    let path = dir.join(name);
    picture.save(&path).expect("picture saved");
    path
}

#[test]
fn the_camera_takes_the_first_form_code_it_sees_and_passes_other_codes_over() {
    use super::jobs::scan_form_code;
    use card_readers::camera::FileCamera;
    use printers::formcode::{FormCode, new_print_id};
    use std::sync::atomic::AtomicBool;

    let dir = tempfile::tempdir().expect("temp dir");
    let key = [7u8; 32];
    let printed = FormCode {
        application: ulid(400),
        reference: "R-2026-0042".into(),
        print: Some(new_print_id()),
    };
    let form = qr_frame(dir.path(), "form.png", &printed.encode(&key));
    let pass = qr_frame(dir.path(), "pass.png", "KQ1|01JQ8ZK4V6N3C5Y7XW2M9T0ABC|A-0001|x|y");
    let blank = dir.path().join("blank.png");
    image::GrayImage::from_pixel(160, 160, image::Luma([255u8])).save(&blank).expect("saved");
    let going = AtomicBool::new(false);

    // A blank frame and an appointment pass first: the form's code is the one taken.
    let mut camera = FileCamera::open([&blank, &pass, &form]).expect("frames read");
    let seen = scan_form_code(&mut camera, 3, &going).expect("the form code seen");
    assert_eq!(FormCode::parse(&seen, &key), Ok(printed), "the code as printed, print id and all");
    // Frames with no form code in them: said so after the frames it was given.
    let mut camera = FileCamera::open([&blank, &pass]).expect("frames read");
    assert_eq!(scan_form_code(&mut camera, 6, &going), Err(Msg::new("visit-form-camera-no-code")));
    // Esc between two frames.
    let stopped = AtomicBool::new(true);
    let mut camera = FileCamera::open([&form]).expect("frames read");
    assert_eq!(
        scan_form_code(&mut camera, 6, &stopped),
        Err(Msg::new("visit-form-camera-stopped"))
    );
    // A code printed before print ids is read too (form_signed decides whether it is taken).
    let earlier = FormCode { print: None, ..FormCode::parse(&seen, &key).expect("parsed") };
    let old = qr_frame(dir.path(), "old.png", &earlier.encode(&key));
    let mut camera = FileCamera::open([&old]).expect("frames read");
    assert!(scan_form_code(&mut camera, 1, &going).is_ok_and(|code| code.starts_with("KF1|")));
}

#[test]
fn the_form_step_waiting_and_looking_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let mut app = on_visit(lang, Some(Step::Form));
        answer(&mut app, form_printed(), None);
        insta::assert_snapshot!(
            format!("visit_form_printed_{}_80x24", lang.tag()),
            render(&app, 80, 24)
        );
        update(&mut app, key(KeyCode::Enter));
        insta::assert_snapshot!(
            format!("visit_form_camera_{}_80x24", lang.tag()),
            render(&app, 80, 24)
        );
        camera_answers(&mut app, Err(Msg::new("visit-form-camera-no-code")));
        insta::assert_snapshot!(
            format!("visit_form_camera_no_code_{}_80x24", lang.tag()),
            render(&app, 80, 24)
        );
    }
}

#[test]
fn payment_takes_a_method_and_a_reference() {
    let mut app = on_visit(Language::En, Some(Step::Payment));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-reference-required")));
    update(&mut app, key(KeyCode::Down));
    type_text(&mut app, "POS-88231");
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::Pay { method: PaymentMethod::Card, reference, invoice: None, .. }]
            if reference == "POS-88231"),
        "{ops:?}"
    );
}

#[test]
fn the_recheck_runs_by_itself_when_the_visit_reaches_it() {
    let mut app = on_visit(Language::En, Some(Step::Payment));
    let effects = answer(&mut app, renewal_at(Some(Step::Recheck)), None);
    assert!(matches!(ops(effects).as_slice(), [VisitOp::Recheck { .. }]));
    assert_eq!(state(&app).busy, Some(Msg::new("visit-rechecking")));
    // A refusal stays on screen and does not loop: the visit is read again once, and the
    // refusal stays over it.
    let effects = refuse(&mut app, "visit-recheck-revoke-first");
    assert!(matches!(ops(effects).as_slice(), [VisitOp::Resume { .. }]));
    let effects = answer(&mut app, renewal_at(Some(Step::Recheck)), None);
    assert!(effects.is_empty(), "no re-check by itself after a refusal");
    assert_eq!(state(&app).error.as_ref().map(|m| m.id), Some("visit-recheck-revoke-first"));
    assert!(matches!(
        ops(update(&mut app, key(KeyCode::Enter))).as_slice(),
        [VisitOp::Recheck { .. }]
    ));
}

#[test]
fn issuance_takes_the_pin_and_a_phrase_never_shown_nor_scanned() {
    let mut app = on_visit(Language::En, Some(Step::Issuance));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-pin-required")));
    // A PIN holding what looks like a pass start stays a PIN.
    type_text(&mut app, "KQ1|9876");
    assert_eq!(state(&app).pin.as_str(), "KQ1|9876");
    // Enter with no phrase moves to the phrase.
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).focus, 1);
    type_text(&mut app, "開門芝麻");
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("9876") && !screen.contains("芝麻"), "{screen}");
    assert!(!format!("{:?}", state(&app)).contains("9876"), "Debug hides secrets");
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    match ops.as_slice() {
        [VisitOp::Issue { pin, phrase, .. }] => {
            assert_eq!(pin.expose(), "KQ1|9876");
            assert_eq!(phrase.as_str(), "開門芝麻");
        }
        other => panic!("{other:?}"),
    }
    assert!(state(&app).pin.is_empty() && state(&app).phrase.is_empty(), "secrets handed off");
    refuse(&mut app, "token-wrong-pin");
    assert_eq!(state(&app).error, Some(Msg::new("token-wrong-pin")));
}

/// A clerk on a new certificate of `class` for the person, standing at the issuance step.
fn new_certificate_at_issuance(lang: Language, class: CertificateClass) -> App {
    let mut app = on_visit_in(lang, Service::NewIssuance, Some(Step::Issuance));
    let mut view = visit_at(Service::NewIssuance, Some(Step::Issuance));
    view.application.certificate_class = class;
    if let Screen::Visit(state) = &mut app.screen {
        let mut fresh = VisitState::opening(Service::NewIssuance);
        fresh.loaded(Ok(Outcome { view, notice: None }));
        **state = fresh;
    }
    app
}

#[test]
fn a_token_from_stock_takes_the_pin_the_person_chooses_twice_within_the_pin_rule() {
    let mut app = new_certificate_at_issuance(Language::En, CertificateClass::Qualified);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("New PIN again"), "{screen}");
    assert!(!screen.contains("F5: a PKCS#12 file instead"), "a qualified certificate: {screen}");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-new-pin-required")));
    // The rule is said before the PIN is typed a second time.
    type_text(&mut app, "12ab");
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("pin-wrong-length")));
    assert!(state(&app).pin.is_empty(), "a refused PIN is typed again");
    type_text(&mut app, "482913");
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).focus, 1, "then typed again");
    type_text(&mut app, "482914");
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-pins-differ")));
    assert!(state(&app).pin.is_empty() && state(&app).pin_again.is_empty());
    assert_eq!(state(&app).focus, 0);
    for text in ["482913", "482913"] {
        type_text(&mut app, text);
        assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    }
    assert_eq!(state(&app).focus, 2, "the phrase last");
    type_text(&mut app, "開門芝麻");
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("482913") && !screen.contains("芝麻"), "{screen}");
    match ops(update(&mut app, key(KeyCode::Enter))).as_slice() {
        [VisitOp::Issue { pin, phrase, medium, .. }] => {
            assert_eq!(pin.expose(), "482913");
            assert_eq!(phrase.as_str(), "開門芝麻");
            assert_eq!(*medium, IssueMedium::Token);
        }
        other => panic!("{other:?}"),
    }
    assert!(state(&app).pin_again.is_empty(), "secrets handed off");
    // A qualified certificate's key stays on a token: F5 says so, in the clerk's language.
    let mut app = new_certificate_at_issuance(Language::En, CertificateClass::Qualified);
    update(&mut app, key(KeyCode::F(5)));
    assert_eq!(state(&app).error, Some(Msg::new("visit-pkcs12-not-allowed")));
    assert!(!state(&app).pkcs12);
    // A renewal's issuance has no other way at all.
    let mut renewal = on_visit(Language::En, Some(Step::Issuance));
    update(&mut renewal, key(KeyCode::F(5)));
    assert_eq!(state(&renewal).error, Some(Msg::new("visit-no-alternative")));
}

#[test]
fn f5_issues_a_standard_certificate_into_a_pkcs12_file_with_a_password_typed_twice() {
    let mut app = new_certificate_at_issuance(Language::En, CertificateClass::Standard);
    assert!(render(&app, 80, 24).contains("F5: a PKCS#12 file instead"));
    // Typed for the token, then F5: the PIN is not carried over as the file's password.
    type_text(&mut app, "482913");
    update(&mut app, key(KeyCode::F(5)));
    assert!(state(&app).pkcs12 && state(&app).pin.is_empty());
    assert_eq!(state(&app).focus, 0, "the file's path first");
    type_text(&mut app, "/srv/p12/ho.p12");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-pkcs12-password-required")));
    assert_eq!(state(&app).focus, 1);
    // The seed's password rule, said before the second typing.
    type_text(&mut app, "password");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("password-needs-non-letter")));
    type_text(&mut app, "Secret-2026");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).focus, 2);
    type_text(&mut app, "Secret-2027");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-passwords-differ")));
    for text in ["Secret-2026", "Secret-2026", "開門芝麻"] {
        type_text(&mut app, text);
        if text != "開門芝麻" {
            assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
        }
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains("/srv/p12/ho.p12"), "the path is shown: {screen}");
    assert!(!screen.contains("Secret") && !screen.contains("芝麻"), "{screen}");
    assert!(!format!("{:?}", state(&app)).contains("Secret"), "Debug hides secrets");
    match ops(update(&mut app, key(KeyCode::Enter))).as_slice() {
        [VisitOp::Issue { pin, medium, .. }] => {
            assert_eq!(pin.expose(), "Secret-2026");
            let path = Some(std::path::PathBuf::from("/srv/p12/ho.p12"));
            assert_eq!(*medium, IssueMedium::Pkcs12File { path });
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(state(&app).busy, Some(Msg::new("visit-issuing-pkcs12")));
    // Where the file went is said once it is written.
    let mut done = visit_at(Service::NewIssuance, Some(Step::Completion));
    done.application.certificate_class = CertificateClass::Standard;
    let file = "/srv/p12/ho.p12".to_owned();
    answer(&mut app, done, Some(Notice::Pkcs12Written { file: file.clone() }));
    assert_eq!(state(&app).info, vec![Msg::with("visit-pkcs12-written", vec![("file", file)])]);

    // An empty path is the office's folder; F5 again goes back to the token.
    let mut app = new_certificate_at_issuance(Language::En, CertificateClass::Standard);
    update(&mut app, key(KeyCode::F(5)));
    update(&mut app, key(KeyCode::Tab));
    for text in ["Secret-2026", "Secret-2026", "開門芝麻"] {
        type_text(&mut app, text);
        update(&mut app, key(KeyCode::Tab));
    }
    match ops(update(&mut app, key(KeyCode::Enter))).as_slice() {
        [VisitOp::Issue { medium, .. }] => {
            assert_eq!(*medium, IssueMedium::Pkcs12File { path: None })
        }
        other => panic!("{other:?}"),
    }
    let mut app = new_certificate_at_issuance(Language::En, CertificateClass::Standard);
    update(&mut app, key(KeyCode::F(5)));
    update(&mut app, key(KeyCode::F(5)));
    assert!(!state(&app).pkcs12);
    assert!(render(&app, 80, 24).contains("New PIN again"));
}

#[test]
fn the_issuance_of_a_new_certificate_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let app = new_certificate_at_issuance(lang, CertificateClass::Standard);
        insta::assert_snapshot!(
            format!("visit_newissuance_issuance_standard_{}_80x24", lang.tag()),
            render(&app, 80, 24)
        );
        let mut file = new_certificate_at_issuance(lang, CertificateClass::Standard);
        update(&mut file, key(KeyCode::F(5)));
        type_text(&mut file, "/srv/p12/R-2026-0042.p12");
        insta::assert_snapshot!(
            format!("visit_newissuance_issuance_pkcs12_{}_80x24", lang.tag()),
            render(&file, 80, 24)
        );
        let mut refused = new_certificate_at_issuance(lang, CertificateClass::Qualified);
        update(&mut refused, key(KeyCode::F(5)));
        insta::assert_snapshot!(
            format!("visit_newissuance_issuance_no_pkcs12_{}_80x24", lang.tag()),
            render(&refused, 80, 24)
        );
    }
}

#[test]
fn completion_shows_old_and_new_serials_and_enter_completes() {
    let mut app = on_visit(Language::En, Some(Step::Completion));
    let screen = render(&app, 80, 24);
    for text in ["4f2a19c3", "7c01be55", "Activated successfully"] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    let ops1 = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(matches!(ops1.as_slice(), [VisitOp::Complete { .. }]), "{ops1:?}");
    answer(&mut app, renewal_at(None), None);
    assert!(state(&app).finished());
    assert!(!app.visit_in_progress, "quitting no longer asks");
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Queue);
    assert_eq!(app.notice, None, "nothing left to resume");
}

#[test]
fn a_locked_screen_shows_nothing_of_the_visit_and_f2_retranslates_it() {
    let mut app = on_visit(Language::En, Some(Step::Identity));
    answer(&mut app, failed_identity(), None);
    update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)));
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("何家豪") && !screen.contains("R-2026-0042"), "{screen}");
    let mut app = on_visit(Language::En, Some(Step::Identity));
    answer(&mut app, failed_identity(), None);
    update(&mut app, key(KeyCode::F(2)));
    let screen = render(&app, 80, 24);
    assert!(screen.contains(&i18n::text(app.lang, "visit-identity-invalid-data")), "{screen}");
}

#[test]
fn every_renewal_step_in_every_language_at_80x24() {
    let steps = [
        Some(Step::Certificates),
        Some(Step::Email),
        Some(Step::Consent),
        Some(Step::Identity),
        Some(Step::Photo),
        Some(Step::Confirmation),
        Some(Step::Form),
        Some(Step::Payment),
        Some(Step::Recheck),
        Some(Step::Issuance),
        Some(Step::Completion),
        None,
    ];
    for lang in Language::ALL {
        for step in steps {
            let app = on_visit(lang, step);
            let name = step.map_or("done".to_owned(), |s| format!("{s:?}").to_lowercase());
            insta::assert_snapshot!(
                format!("visit_{name}_{}_80x24", lang.tag()),
                render(&app, 80, 24)
            );
        }
        let mut failed = on_visit(lang, Some(Step::Identity));
        answer(&mut failed, failed_identity(), None);
        insta::assert_snapshot!(
            format!("visit_identity_failed_{}_80x24", lang.tag()),
            render(&failed, 80, 24)
        );
        let mut approval = on_visit(lang, Some(Step::Email));
        update(&mut approval, key(KeyCode::F(6)));
        type_text(&mut approval, "relay down");
        update(&mut approval, key(KeyCode::Enter));
        insta::assert_snapshot!(
            format!("visit_approval_{}_80x24", lang.tag()),
            render(&approval, 80, 24)
        );
        let mut picker = on_visit(lang, Some(Step::Certificates));
        picker.screen = Screen::Queue;
        picker.overlay =
            Some(Overlay::VisitPicker { applicant: ulid(200), organisation: None, selected: 0 });
        insta::assert_snapshot!(
            format!("visit_picker_{}_80x24", lang.tag()),
            render(&picker, 80, 24)
        );
        let mut agents = on_organisation_file(organisation_file());
        agents.lang = lang;
        update(&mut agents, key(KeyCode::Char('v')));
        insta::assert_snapshot!(
            format!("visit_agent_picker_{}_80x24", lang.tag()),
            render(&agents, 80, 24)
        );
    }
}

#[test]
fn an_operation_in_a_log_names_itself_never_what_was_typed() {
    let op = VisitOp::CheckCode {
        application: ulid(400),
        address: "ho.kahou@example.mo".into(),
        code: zeroize::Zeroizing::new("482913".into()),
    };
    let identity = VisitOp::Identity {
        application: ulid(400),
        input: IdentityInput::Mrz { text: MRZ.join("\n"), chip: true },
    };
    let issue = VisitOp::Issue {
        application: ulid(400),
        pin: tokens::pin::Pin::new("9876".to_owned()),
        phrase: zeroize::Zeroizing::new("開門芝麻".into()),
        medium: IssueMedium::Pkcs12File { path: Some("/srv/ho-ka-hou.p12".into()) },
    };
    for (op, secrets) in [
        (op, vec!["482913", "ho.kahou"]),
        (identity, vec!["MA1234567", "HO<<KA"]),
        (issue, vec!["9876", "芝麻", "ho-ka-hou"]),
    ] {
        let debug = format!("{op:?}");
        assert!(debug.contains(op.name()), "{debug}");
        for secret in secrets {
            assert!(!debug.contains(secret), "{debug}");
        }
    }
}

#[test]
fn a_revocation_picks_its_certificates_and_takes_the_phrase_unseen() {
    let mut app = on_visit_of(Service::Revocation, Some(Step::Certificates));
    assert_eq!(app.scope(), Scope::VisitForm, "the phrase is typed here");
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-choose-a-certificate")));
    // Space goes into the phrase; F4 ticks the highlighted certificate.
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::F(4)));
    assert_eq!(state(&app).selected, vec![ulid(302)]);
    type_text(&mut app, "開門 芝麻");
    assert!(!render(&app, 80, 24).contains("芝麻"), "the phrase is not shown");
    let ops1 = ops(update(&mut app, key(KeyCode::Enter)));
    match ops1.as_slice() {
        [VisitOp::SelectCertificates { certificates, phrase: Some(phrase), .. }] => {
            assert_eq!(certificates, &vec![ulid(302)]);
            assert_eq!(phrase.as_str(), "開門 芝麻");
        }
        other => panic!("{other:?}"),
    }
    // No phrase: none is sent, and a supervisor will approve.
    let mut app = on_visit_of(Service::Revocation, Some(Step::Certificates));
    update(&mut app, key(KeyCode::F(4)));
    let ops2 = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops2.as_slice(), [VisitOp::SelectCertificates { phrase: None, .. }]),
        "{ops2:?}"
    );
}

#[test]
fn a_pin_unlock_ticks_with_space_where_nothing_is_typed() {
    let mut app = on_visit_of(Service::PinUnlock, Some(Step::Certificates));
    assert_eq!(app.scope(), Scope::Visit);
    update(&mut app, key(KeyCode::Char(' ')));
    assert_eq!(state(&app).selected, vec![ulid(300)]);
    update(&mut app, key(KeyCode::Char(' ')));
    assert!(state(&app).selected.is_empty(), "Space again unticks");
}

#[test]
fn a_supervisor_approves_the_revocation_on_the_clerks_screen() {
    let mut app = on_visit_of(Service::Revocation, Some(Step::Approval));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-approval-hint")));
    update(&mut app, key(KeyCode::F(6)));
    let approval = state(&app).approval.clone().expect("approval");
    assert_eq!(approval.allow, Allow::Approve);
    assert!(approval.signin.is_some(), "an approval needs no reason: straight to sign-in");
    let ops = ops(supervisor_signs_in(&mut app, supervisor()));
    assert!(
        matches!(ops.as_slice(), [VisitOp::Approve { supervisor, .. }] if *supervisor == ulid(2)),
        "{ops:?}"
    );
}

#[test]
fn revoking_takes_a_reason_and_two_enters() {
    let mut app = on_visit_of(Service::Revocation, Some(Step::Revocation));
    update(&mut app, key(KeyCode::Down));
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty(), "the first Enter warns");
    assert_eq!(state(&app).info, vec![Msg::new("visit-revoke-armed")]);
    // Changing the reason disarms.
    update(&mut app, key(KeyCode::Up));
    update(&mut app, key(KeyCode::Down));
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::Revoke { reason: RevocationReason::KeyCompromise, .. }]),
        "{ops:?}"
    );
    answer(
        &mut app,
        visit_at(Service::Revocation, Some(Step::Completion)),
        Some(Notice::Revoked { certificates: 1, seals: 2 }),
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("1 certificate revoked, with 2 seals"), "{screen}");
    assert!(screen.contains("4f2a19c3 · revoked"), "{screen}");
}

#[test]
fn a_pin_reset_takes_the_new_pin_twice_and_says_when_they_differ() {
    let mut app = on_visit_of(Service::PinUnlock, Some(Step::PinReset));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-new-pin-required")));
    type_text(&mut app, "Abc-1234");
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).focus, 1);
    type_text(&mut app, "Abc-1235");
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-pins-differ")));
    assert!(state(&app).pin.is_empty() && state(&app).pin_again.is_empty());
    type_text(&mut app, "Abc-1234");
    update(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "Abc-1234");
    assert!(!render(&app, 80, 24).contains("1234"));
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::ResetPin { new_pin, .. }] if new_pin.expose() == "Abc-1234"),
        "{ops:?}"
    );
}

#[test]
fn every_revocation_and_pin_unlock_step_in_every_language_at_80x24() {
    for lang in Language::ALL {
        for service in [Service::Revocation, Service::PinUnlock] {
            let plan = plan_for(service, HolderKind::Person, false);
            snapshot_steps(lang, service, plan.iter().map(|p| Some(p.step)).chain([None]));
        }
    }
}

#[test]
fn a_new_certificate_takes_its_holder_class_and_years() {
    let mut app = on_visit_of(Service::NewIssuance, Some(Step::Details));
    assert_eq!(app.scope(), Scope::Visit);
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Char(' ')));
    for _ in 0..6 {
        update(&mut app, key(KeyCode::Right));
    }
    update(&mut app, key(KeyCode::Left));
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(
            ops.as_slice(),
            [VisitOp::SetDetails { organisation: Some(org), class: CertificateClass::Standard, years: 4, .. }]
                if *org == ulid(500)
        ),
        "{ops:?}"
    );
}

#[test]
fn an_organisations_papers_are_ticked_one_by_one() {
    let mut app = on_visit_of(Service::NewIssuance, Some(Step::Details));
    answer(&mut app, organisation_at_its_papers(), None);
    assert_eq!(state(&app).current(), Some(Step::Documents));
    update(&mut app, key(KeyCode::Char(' ')));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Down));
    update(&mut app, key(KeyCode::Char(' ')));
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    match ops.as_slice() {
        [VisitOp::Documents { documents, .. }] => assert_eq!(
            documents,
            &vec![
                registry::application::DocumentKind::BusinessLicence,
                registry::application::DocumentKind::AgentId
            ]
        ),
        other => panic!("{other:?}"),
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains("business licence"), "{screen}");
}

#[test]
fn a_redispatch_takes_the_new_address() {
    let mut app = on_visit_of(Service::Redispatch, Some(Step::Address));
    assert_eq!(app.scope(), Scope::VisitForm);
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(state(&app).error, Some(Msg::new("visit-address-required")));
    type_text(&mut app, "澳門新馬路 1 號");
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::SetAddress { address, .. }] if address == "澳門新馬路 1 號"),
        "{ops:?}"
    );
}

#[test]
fn every_step_of_the_other_services_in_every_language_at_80x24() {
    for lang in Language::ALL {
        for service in
            [Service::NewIssuance, Service::Change, Service::Replacement, Service::Redispatch]
        {
            let plan = plan_for(service, HolderKind::Person, true);
            snapshot_steps(lang, service, plan.iter().map(|p| Some(p.step)));
        }
    }
}

#[test]
fn f8_twice_cancels_a_visit_not_paid_and_a_paid_one_needs_a_supervisors_refund() {
    let mut app = on_visit(Language::En, Some(Step::Consent));
    assert!(ops(update(&mut app, key(KeyCode::F(8)))).is_empty(), "the first F8 warns");
    assert_eq!(state(&app).info, vec![Msg::new("visit-cancel-armed")]);
    // Any other key disarms it.
    update(&mut app, key(KeyCode::Char(' ')));
    assert!(ops(update(&mut app, key(KeyCode::F(8)))).is_empty());
    let ops1 = ops(update(&mut app, key(KeyCode::F(8))));
    assert!(matches!(ops1.as_slice(), [VisitOp::Cancel { supervisor: None, .. }]), "{ops1:?}");

    let mut paid = on_visit(Language::En, Some(Step::Recheck));
    update(&mut paid, key(KeyCode::F(8)));
    assert_eq!(state(&paid).info, vec![Msg::new("visit-refund-armed")]);
    assert!(ops(update(&mut paid, key(KeyCode::F(8)))).is_empty(), "a supervisor is called");
    assert_eq!(state(&paid).approval.as_ref().map(|a| a.allow), Some(Allow::Refund));
    type_text(&mut paid, "changed their mind");
    update(&mut paid, key(KeyCode::Enter));
    let ops2 = ops(supervisor_signs_in(&mut paid, supervisor()));
    assert!(
        matches!(ops2.as_slice(), [VisitOp::Cancel { supervisor: Some(s), reason, .. }]
            if *s == ulid(2) && reason == "changed their mind"),
        "{ops2:?}"
    );
}

#[test]
fn f7_shows_the_chip_photo_beside_the_counter_photo_and_esc_comes_back_to_the_visit() {
    let mut app = on_visit(Language::En, Some(Step::Photo));
    assert!(update(&mut app, key(KeyCode::F(7))).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-no-photos-yet")));
    let mut view = renewal_at(Some(Step::Confirmation));
    view.chip_photo = Some("/data/photos/chip-1.jpg".into());
    view.counter_photo = Some("/data/photos/abc.jpg".into());
    answer(&mut app, view, None);
    let effects = update(&mut app, key(KeyCode::F(7)));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadPhotos { chip: Some(c), captured: Some(p) }]
            if c.ends_with("chip-1.jpg") && p.ends_with("abc.jpg")),
        "{effects:?}"
    );
    let loaded = super::screens::photos::PhotosState {
        chip: super::screens::photos::Side::Problem(Msg::new("photo-missing")),
        captured: super::screens::photos::Side::Problem(Msg::new("photo-missing")),
        graphics: false,
        encoded: None,
    };
    let effects = update(&mut app, Action::Job(Done::PhotosLoaded(Box::new(loaded))));
    assert!(matches!(app.screen, Screen::Photos(_)));
    assert!(matches!(effects.as_slice(), [Effect::EncodePhotos { .. }]), "{effects:?}");
    update(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Visit(_)), "back to the visit");
}

#[test]
fn an_organisation_confirms_its_invoice_details_with_the_agreement() {
    let mut app = on_visit_of(Service::NewIssuance, Some(Step::Confirmation));
    let mut view = visit_at(Service::NewIssuance, Some(Step::Confirmation));
    view.application.organisation = Some(ulid(500));
    view.organisation = Some(organisation());
    view.application.visit.facts.remove(&Fact::DataConfirmed);
    answer(&mut app, view, None);
    assert_eq!(app.scope(), Scope::VisitForm, "the invoice fields are typed");
    update(&mut app, key(KeyCode::F(4)));
    type_text(&mut app, "123456789012345");
    update(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "accounts@trading.mo");
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    match ops.as_slice() {
        [VisitOp::Confirm { invoice: Some(invoice), .. }] => {
            assert_eq!(invoice.title, "澳門貿易有限公司", "titled with the organisation's name");
            assert_eq!(invoice.taxpayer_id, "123456789012345");
            assert_eq!(invoice.email, "accounts@trading.mo");
        }
        other => panic!("{other:?}"),
    }
}

/// The trading company's new certificate at the confirmation step, the agreement not yet
/// ticked.
fn organisation_at_confirmation(lang: Language) -> App {
    let mut app = on_visit_in(lang, Service::NewIssuance, Some(Step::Confirmation));
    let mut view = visit_at(Service::NewIssuance, Some(Step::Confirmation));
    view.application.organisation = Some(ulid(500));
    view.organisation = Some(organisation());
    view.application.visit.facts.remove(&Fact::DataConfirmed);
    answer(&mut app, view, None);
    app
}

/// The six fields of a VAT special invoice, typed in their Tab order.
const VAT_FIELDS: [&str; 6] = [
    "123456789012345",
    "accounts@trading.mo",
    "大西洋銀行 BNU",
    "9012-3456-7890",
    "澳門南灣大馬路 500 號",
    "+853 2833 1234",
];

fn type_vat_fields(app: &mut App) {
    for (i, text) in VAT_FIELDS.iter().enumerate() {
        if i > 0 {
            update(app, key(KeyCode::Tab));
        }
        type_text(app, text);
    }
}

#[test]
fn f5_asks_for_a_vat_special_invoice_with_its_bank_address_and_phone() {
    let mut app = organisation_at_confirmation(Language::En);
    update(&mut app, key(KeyCode::F(4)));
    assert_eq!(state(&app).invoice(), Some(InvoiceKind::OrdinaryElectronic));
    update(&mut app, key(KeyCode::F(5)));
    assert_eq!(state(&app).invoice(), Some(InvoiceKind::VatSpecial));
    // Nothing typed: refused on the spot, every field named in the message.
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty());
    assert_eq!(state(&app).error, Some(Msg::new("visit-invoice-vat-incomplete")));
    type_text(&mut app, VAT_FIELDS[0]);
    update(&mut app, key(KeyCode::Tab));
    type_text(&mut app, VAT_FIELDS[1]);
    assert!(ops(update(&mut app, key(KeyCode::Enter))).is_empty(), "the bank is missing");
    assert_eq!(state(&app).error, Some(Msg::new("visit-invoice-vat-incomplete")));

    let mut app = organisation_at_confirmation(Language::En);
    update(&mut app, key(KeyCode::F(4)));
    update(&mut app, key(KeyCode::F(5)));
    type_vat_fields(&mut app);
    // Tab comes round to the first field again: six fields.
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(state(&app).input(), Some(super::screens::visit::Input::TaxpayerId));
    match ops(update(&mut app, key(KeyCode::Enter))).as_slice() {
        [VisitOp::Confirm { invoice: Some(invoice), .. }] => {
            assert_eq!(invoice.kind, InvoiceKind::VatSpecial);
            assert_eq!(invoice.title, "澳門貿易有限公司");
            assert_eq!(invoice.bank.as_deref(), Some("大西洋銀行 BNU"));
            assert_eq!(invoice.bank_account.as_deref(), Some("9012-3456-7890"));
            assert_eq!(invoice.address.as_deref(), Some("澳門南灣大馬路 500 號"));
            assert_eq!(invoice.phone.as_deref(), Some("+853 2833 1234"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn f5_again_goes_back_to_an_ordinary_e_invoice_without_the_vat_details() {
    let mut app = organisation_at_confirmation(Language::En);
    update(&mut app, key(KeyCode::F(4)));
    update(&mut app, key(KeyCode::F(5)));
    type_vat_fields(&mut app);
    update(&mut app, key(KeyCode::F(5)));
    assert_eq!(state(&app).invoice(), Some(InvoiceKind::OrdinaryElectronic));
    assert_eq!(state(&app).input(), Some(super::screens::visit::Input::TaxpayerId), "from the top");
    match ops(update(&mut app, key(KeyCode::Enter))).as_slice() {
        [VisitOp::Confirm { invoice: Some(invoice), .. }] => {
            assert_eq!(invoice.kind, InvoiceKind::OrdinaryElectronic);
            assert_eq!(invoice.taxpayer_id, "123456789012345");
            assert_eq!((&invoice.bank, &invoice.bank_account), (&None, &None));
            assert_eq!((&invoice.address, &invoice.phone), (&None, &None));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_person_has_no_invoice_to_change() {
    let mut app = on_visit_of(Service::NewIssuance, Some(Step::Confirmation));
    update(&mut app, key(KeyCode::F(5)));
    assert_eq!(state(&app).invoice(), None);
    assert_eq!(state(&app).error, Some(Msg::new("visit-no-alternative")));
}

#[test]
fn a_vat_special_invoice_at_the_confirmation_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let mut app = organisation_at_confirmation(lang);
        update(&mut app, key(KeyCode::F(4)));
        update(&mut app, key(KeyCode::F(5)));
        type_vat_fields(&mut app);
        insta::assert_snapshot!(
            format!("visit_confirmation_vat_special_{}_80x24", lang.tag()),
            render(&app, 80, 24)
        );
    }
}

#[test]
fn an_organisations_papers_step_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let mut app = on_visit_in(lang, Service::NewIssuance, Some(Step::Details));
        answer(&mut app, organisation_at_its_papers(), None);
        update(&mut app, key(KeyCode::Char(' ')));
        insta::assert_snapshot!(
            format!("visit_organisation_documents_{}_80x24", lang.tag()),
            render(&app, 80, 24)
        );
    }
}

#[test]
fn a_refused_identity_check_is_read_back_so_its_fields_show_and_a_supervisor_can_override() {
    // The step saved the failed check and answered a refusal: the wizard reads the visit again.
    let mut app = on_visit(Language::En, Some(Step::Identity));
    type_text(&mut app, MRZ[0]);
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, MRZ[1]);
    update(&mut app, key(KeyCode::Enter));
    let effects = refuse(&mut app, "visit-identity-invalid-data");
    assert!(matches!(ops(effects).as_slice(), [VisitOp::Resume { .. }]));
    answer(&mut app, failed_identity(), None);
    assert_eq!(state(&app).error, Some(Msg::new("visit-identity-invalid-data")));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("✗ date of birth"), "{screen}");
    update(&mut app, key(KeyCode::F(6)));
    assert_eq!(state(&app).approval.as_ref().map(|a| a.allow), Some(Allow::OverrideIdentity));
    // A refusal of the reading itself does not read again and again.
    let mut again = on_visit(Language::En, Some(Step::Identity));
    refuse(&mut again, "visit-identity-invalid-data");
    assert!(refuse(&mut again, "error-store").is_empty());
}

#[test]
fn completion_shows_long_serials_and_their_expiry_whole_at_80_columns() {
    let mut view = renewal_at(Some(Step::Completion));
    view.application.visit.issued[0].serial = "63c41e0b9a7f22d5c3e8814f0d2b1763".into();
    view.application.visit.issued[0].previous_serial =
        Some("4f2a19c3aa01bc02de03ff04aa05bb06".into());
    let mut app = on_visit(Language::En, Some(Step::Completion));
    answer(&mut app, view, Some(Notice::Activated));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("2028-11-30"), "the new expiry shows: {screen}");
    assert!(screen.contains("2026-12-12"), "the old expiry shows: {screen}");
    assert_eq!(screen.matches("Activated successfully").count(), 1, "{screen}");
}

#[test]
fn f5_goes_round_the_chip_the_typed_zone_and_the_mainland_reader_where_there_is_one() {
    // No Mainland reader at this counter: F5 goes between the chip and the typed zone.
    let mut app = on_visit(Language::En, Some(Step::Identity));
    update(&mut app, key(KeyCode::F(5)));
    update(&mut app, key(KeyCode::F(5)));
    assert_eq!(state(&app).reading, super::screens::visit::Reading::Chip);
    // With one, the card is read with nothing typed.
    let mut app = on_visit(Language::En, Some(Step::Identity));
    if let Screen::Visit(state) = &mut app.screen {
        state.cn_reader = Some("/dev/ttyUSB0".into());
    }
    update(&mut app, key(KeyCode::F(5)));
    update(&mut app, key(KeyCode::F(5)));
    assert_eq!(state(&app).reading, super::screens::visit::Reading::Mainland);
    type_text(&mut app, "ABC");
    assert!(state(&app).mrz.is_empty(), "nothing to type for a card");
    assert!(render(&app, 80, 24).contains("Place the Mainland resident ID card"));
    let ops = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(
        matches!(ops.as_slice(), [VisitOp::Identity { input: IdentityInput::MainlandReader { device }, .. }]
            if device.ends_with("ttyUSB0")),
        "{ops:?}"
    );
}

#[test]
fn a_supervisor_at_their_own_counter_approves_what_a_clerk_submitted_but_not_their_own() {
    let mut view = visit_at(Service::Revocation, Some(Step::Approval));
    view.application.progress.submitted_by = Some(ulid(1));
    let mut app = on_visit_of(Service::Revocation, Some(Step::Approval));
    if let Some(session) = app.session.as_mut() {
        *session = supervisor();
    }
    answer(&mut app, view.clone(), None);
    update(&mut app, key(KeyCode::F(6)));
    let ops1 = ops_as(supervisor_signs_in(&mut app, supervisor()), ulid(2));
    assert!(matches!(ops1.as_slice(), [VisitOp::Approve { .. }]), "{ops1:?}");

    view.application.progress.submitted_by = Some(ulid(2));
    let mut own = on_visit_of(Service::Revocation, Some(Step::Approval));
    if let Some(session) = own.session.as_mut() {
        *session = supervisor();
    }
    answer(&mut own, view, None);
    update(&mut own, key(KeyCode::F(6)));
    assert!(supervisor_signs_in(&mut own, supervisor()).is_empty());
    assert_eq!(state(&own).error, Some(Msg::new("visit-own-approval")));
}

fn ops_as(effects: Vec<Effect>, clerk: RecordId) -> Vec<VisitOp> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Visit { op, actor, .. } if actor.clerk == clerk => Some(op),
            _ => None,
        })
        .collect()
}

#[test]
fn an_answer_goes_to_the_visit_screen_that_asked_and_another_application_starts_afresh() {
    // A visit is waiting on a job; the scanner brings a signed form of another application,
    // which opens a second visit screen over it.
    let mut app = on_visit(Language::En, Some(Step::Payment));
    type_text(&mut app, "POS-1");
    let first = state(&app).screen;
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, Action::Paste("KF1|01ARZ3NDEKTSV4RRFFQ69G5FAV|R-2|ab".into()));
    let second = state(&app).screen;
    assert_ne!(first, second, "each visit screen has its number");
    // The first screen's late answer does not land on the second.
    let late = Done::Visit {
        screen: first,
        result: Ok(Box::new(Outcome { view: renewal_at(Some(Step::Completion)), notice: None })),
    };
    update(&mut app, Action::Job(late));
    assert!(state(&app).view.is_none(), "the second screen still waits for its own answer");
    // A visit screen answered with another application than it showed keeps nothing typed.
    let mut app = on_visit(Language::En, Some(Step::Payment));
    type_text(&mut app, "POS-1");
    let mut other = renewal_at(Some(Step::Payment));
    other.application.id = ulid(401);
    answer(&mut app, other, None);
    assert!(state(&app).reference.is_empty(), "the first application's reference is gone");
}

#[test]
fn a_supervisors_password_and_code_and_an_email_address_stay_out_of_debug_output() {
    let mut app = on_visit(Language::En, Some(Step::Email));
    update(&mut app, key(KeyCode::F(6)));
    type_text(&mut app, "relay down");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "lei.mf");
    update(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "Secret-Pass-9");
    let approval = format!("{:?}", state(&app).approval);
    assert!(!approval.contains("Secret-Pass-9"), "{approval}");
    let view = format!("{:?}", state(&app).view);
    assert!(!view.contains("ho.kahou@example.mo"), "{view}");
}

/// The re-check found the person's identity data changed after payment: the store sent the
/// visit back to vetting, a draft still paid. The wizard stands at the identity step with the
/// reason on screen (what was paid stays paid), takes the zone again, and cancelling it is
/// still a refund a supervisor signs for.
#[test]
fn a_paid_visit_sent_back_to_vetting_by_the_recheck_takes_the_identity_again_and_stays_paid() {
    let mut app = on_visit(Language::En, Some(Step::Payment));
    answer(&mut app, renewal_at(Some(Step::Recheck)), None);
    let effects = refuse(&mut app, "visit-recheck-revetting-required");
    assert!(matches!(ops(effects).as_slice(), [VisitOp::Resume { .. }]));
    // A draft again, at the identity step, its payment kept.
    let paid =
        |step| {
            let mut view = renewal_at(Some(step));
            assert_eq!(view.application.state(), ApplicationState::Draft);
            view.application.visit.facts.insert(Fact::Paid);
            view.application.progress.fee = view.fee;
            view.application.progress.payment = view.fee.map(|amount| {
                registry::application::Payment { amount, reference: "R-000042".into(), at: NOW }
            });
            view
        };
    let back = paid(Step::Identity);
    let effects = answer(&mut app, back, None);
    assert!(effects.is_empty(), "nothing runs by itself after a refusal");
    assert_eq!(state(&app).error, Some(Msg::new("visit-recheck-revetting-required")));
    let screen = render(&app, 140, 40);
    assert!(screen.contains("stays paid"), "{screen}");

    update(&mut app, key(KeyCode::F(5)));
    update(&mut app, Action::Paste(format!("{}\n{}", MRZ[0], MRZ[1])));
    let again = ops(update(&mut app, key(KeyCode::Enter)));
    assert!(matches!(again.as_slice(), [VisitOp::Identity { .. }]), "{again:?}");
    answer(&mut app, paid(Step::Photo), None);

    update(&mut app, key(KeyCode::F(8)));
    assert_eq!(state(&app).info, vec![Msg::new("visit-refund-armed")]);
    assert!(ops(update(&mut app, key(KeyCode::F(8)))).is_empty(), "a supervisor is called");
    assert_eq!(state(&app).approval.as_ref().map(|a| a.allow), Some(Allow::Refund));
}
