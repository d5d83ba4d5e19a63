//! The members screen's `update` for every action and refusal (opening it from an organisation's
//! file, the forms, the two questions), and snapshots of each state at 80×24 in all four
//! languages.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use i18n::Language;
use registry::model::*;
use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::action::Action;
use super::app::{App, Screen, update};
use super::jobs::{Done, Effect};
use super::keys::Scope;
use super::msg::Msg;
use super::screens::members::{Confirm, Form, MembersState};
use super::screens::subscriber::FileState;
use crate::members::{
    AuthorisationLine, MemberLine, MembersOp, MembersView, ObjectLabel, ObjectLine,
};
use crate::signin::SignedIn;
use crate::subscriber_file::{Party, Subject, SubscriberFile};

const NOW: OffsetDateTime = datetime!(2026-11-30 10:15 +8);

fn ulid(n: u128) -> RecordId {
    ulid::Ulid::from(n)
}

const ORG: u128 = 500;
const ADMIN: u128 = 510;
const REP: u128 = 511;
const E1: u128 = 512;
const E2: u128 = 513;
const FORMER: u128 = 514;
const CERT: u128 = 520;
const SEAL: u128 = 521;
const A_CERT: u128 = 530;
const A_SEAL: u128 = 531;
const A_ENDED: u128 = 532;

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

fn party(n: u128, zh: &str, latin: &str, kind: RecordKind) -> Party {
    Party { id: ulid(n), kind, name_zh: Some(zh.into()), name_latin: Some(latin.into()) }
}

fn person(n: u128, zh: &str, latin: &str) -> Party {
    party(n, zh, latin, RecordKind::Person)
}

fn cert_line() -> ObjectLine {
    ObjectLine {
        object: AuthorisedObject::Certificate(ulid(CERT)),
        label: ObjectLabel::Certificate {
            class: CertificateClass::Qualified,
            serial: Some("4f2a19c3".into()),
        },
    }
}

fn seal_line() -> ObjectLine {
    ObjectLine {
        object: AuthorisedObject::Seal(ulid(SEAL)),
        label: ObjectLabel::Seal {
            kind: SealKind::Organisation,
            name: "澳門貿易行 機構印章".into(),
        },
    }
}

fn line(
    n: u128,
    grantee: u128,
    object: ObjectLine,
    until: time::Date,
    status: AuthorisationStatus,
) -> AuthorisationLine {
    let authorisation = Authorisation {
        id: ulid(n),
        organisation: ulid(ORG),
        grantee: ulid(grantee),
        granted_by: ulid(ADMIN),
        object: object.object,
        valid_from: date!(2026 - 01 - 01),
        valid_until: until,
        status,
    };
    let years = registry::members::years_of(&authorisation);
    let in_force = authorisation.in_force_on(NOW.date());
    AuthorisationLine { authorisation, object, years, in_force }
}

/// 澳門貿易行: its administrator, legal representative, an employee with a certificate in force
/// and a seal suspended, one with nothing yet, and one who left with an ended authorisation.
/// Rows: 0 admin, 1 rep, 2 E1, 3 E1's certificate, 4 E1's seal, 5 E2, 6 former, 7 theirs.
fn members_view() -> MembersView {
    use AuthorisationStatus::*;
    let member = |party, roles: &[MemberRole], authorisations| MemberLine {
        person: party,
        roles: roles.to_vec(),
        authorisations,
    };
    MembersView {
        organisation: party(ORG, "澳門貿易行", "ABC Trading", RecordKind::Organisation),
        members: vec![
            member(
                person(ADMIN, "梁國榮", "LEONG KUOK WENG"),
                &[MemberRole::Administrator],
                vec![],
            ),
            member(
                person(REP, "陳大文", "CHAN TAI MAN"),
                &[MemberRole::LegalRepresentative],
                vec![],
            ),
            member(
                person(E1, "李小明", "LEI SIO MENG"),
                &[MemberRole::Employee],
                vec![
                    line(A_CERT, E1, cert_line(), date!(2027 - 12 - 31), Active),
                    line(A_SEAL, E1, seal_line(), date!(2026 - 12 - 31), Withdrawn),
                ],
            ),
            member(person(E2, "黃美玲", "WONG MEI LENG"), &[MemberRole::Employee], vec![]),
            member(
                person(FORMER, "張志強", "CHEONG CHI KEONG"),
                &[],
                vec![line(A_ENDED, FORMER, cert_line(), date!(2026 - 12 - 31), Cancelled)],
            ),
        ],
        objects: vec![cert_line(), seal_line()],
    }
}

fn org_file() -> SubscriberFile {
    SubscriberFile {
        subject: Subject::Organisation(Organisation {
            id: ulid(ORG),
            name_zh: Some("澳門貿易行".into()),
            name_latin: Some("ABC Trading".into()),
            registration: OrganisationRegistration {
                kind: RegistrationKind::MacauCommercialRegistry,
                number: "SO12345".into(),
            },
            legal_representative: Some(ulid(REP)),
            licence_valid_until: None,
            address: None,
            phone: None,
            website: None,
        }),
        memberships: Vec::new(),
        legal_representative_of: Vec::new(),
        legal_representative: None,
        authorisations: Vec::new(),
        seals: Vec::new(),
        certificates: Vec::new(),
        tokens: Vec::new(),
        applications: Vec::new(),
        timeline: Vec::new(),
        timeline_more: false,
    }
}

/// A clerk on the organisation's file.
fn on_org_file(lang: Language) -> App {
    let mut app = App::new(lang, "澳門 eSignTrust 總辦事處".into(), "K01DEMO".into(), NOW, false);
    app.session = Some(clerk());
    let mut file = FileState::loading(RecordKind::Organisation, ulid(ORG));
    file.loaded(Ok(Some(Box::new(org_file()))));
    app.screen = Screen::Subscriber(Box::new(file));
    app.back = vec![Screen::Queue];
    app
}

/// A clerk on the members screen of 澳門貿易行, loaded, the cursor on E1's certificate.
pub(super) fn on_members(lang: Language) -> App {
    let mut app = on_org_file(lang);
    update(&mut app, key(KeyCode::Char('m')));
    answer(&mut app, Ok(Some(members_view())), None);
    state_mut(&mut app).selected = 3;
    app
}

fn state(app: &App) -> &MembersState {
    match &app.screen {
        Screen::Members(state) => state,
        other => panic!("not on the members screen: {other:?}"),
    }
}

fn state_mut(app: &mut App) -> &mut MembersState {
    match &mut app.screen {
        Screen::Members(state) => state,
        other => panic!("not on the members screen: {other:?}"),
    }
}

fn answer(
    app: &mut App,
    result: Result<Option<MembersView>, Msg>,
    done: Option<Msg>,
) -> Vec<Effect> {
    let result = result.map(|v| v.map(Box::new));
    update(app, Action::Job(Done::Members { organisation: ulid(ORG), result, done }))
}

/// The actions the effects ask for, each checked to be the signed-in clerk's on this
/// organisation.
fn ops(effects: Vec<Effect>) -> Vec<MembersOp> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Members { organisation, op, clerk } => {
                assert_eq!(organisation, ulid(ORG));
                assert_eq!(clerk, Some(ulid(1)), "the signed-in clerk acts");
                op
            }
            _ => None,
        })
        .collect()
}

fn press(app: &mut App, code: KeyCode) -> Vec<MembersOp> {
    ops(update(app, key(code)))
}

use super::tests::render;

fn error_id(app: &App) -> Option<&'static str> {
    state(app).error.as_ref().map(|m| m.id)
}

#[test]
fn m_on_an_organisations_file_opens_its_members_and_on_a_persons_says_organisations_only() {
    let mut app = on_org_file(Language::En);
    let effects = update(&mut app, key(KeyCode::Char('m')));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Members { organisation, op: None, clerk: Some(_) }] if *organisation == ulid(ORG)
    ));
    assert_eq!(app.scope(), Scope::Members);
    assert!(render(&app, 80, 24).contains(&i18n::text(app.lang, "members-loading")));
    answer(&mut app, Ok(Some(members_view())), None);
    let screen = render(&app, 80, 24);
    for text in
        ["李小明 LEI SIO MENG", "qualified certificate 4f2a19c3", "until 2027-12-31", "in force"]
    {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    // An answer for another organisation's screen is not this one's.
    let other = Done::Members { organisation: ulid(999), result: Ok(None), done: None };
    update(&mut app, Action::Job(other));
    assert_eq!(state(&app).error, None);
    // Esc goes back to the file.
    update(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Subscriber(_)));

    let mut person = on_org_file(Language::En);
    if let Screen::Subscriber(file) = &mut person.screen {
        **file = FileState::loading(RecordKind::Person, ulid(202));
        file.loaded(Ok(Some(Box::new(super::tests::person_file()))));
    }
    let effects = update(&mut person, key(KeyCode::Char('m')));
    assert!(effects.is_empty());
    assert!(matches!(person.screen, Screen::Subscriber(_)));
    assert_eq!(person.notice.as_ref().map(|n| n.msg.id), Some("members-organisations-only"));
}

#[test]
fn suspend_and_resume_go_at_once_and_the_cursor_stays_on_the_authorisation() {
    let mut app = on_members(Language::En);
    let auth = ulid(A_CERT);
    let organisation = ulid(ORG);
    assert_eq!(
        press(&mut app, KeyCode::Char('s')),
        [MembersOp::Withdraw { organisation, authorisation: auth }]
    );
    assert!(state(&app).busy.is_some());
    // Nothing else goes while it saves, and the screen is not left under it.
    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
    assert_eq!(error_id(&app), Some("members-wait"));
    update(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.screen, Screen::Members(_)));
    // The answer lists the members in another order: the cursor follows the authorisation.
    let mut view = members_view();
    view.members.swap(0, 1);
    view.members[2].authorisations.swap(0, 1);
    answer(&mut app, Ok(Some(view)), Some(Msg::new("members-withdrawn")));
    assert_eq!(state(&app).selected, 4);
    assert_eq!(state(&app).info.as_ref().map(|m| m.id), Some("members-withdrawn"));
    assert_eq!(
        press(&mut app, KeyCode::Char('r')),
        [MembersOp::Restore { organisation, authorisation: auth }]
    );
}

#[test]
fn change_opens_on_what_it_has_and_saves_the_choice_and_years() {
    let mut app = on_members(Language::En);
    assert!(press(&mut app, KeyCode::Char('c')).is_empty());
    assert_eq!(app.scope(), Scope::MembersForm);
    assert_eq!(
        state(&app).form,
        Some(Form::Change { authorisation: ulid(A_CERT), object: 0, years: 2 })
    );
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    assert_eq!(
        state(&app).form,
        Some(Form::Change { authorisation: ulid(A_CERT), object: 1, years: 5 })
    );
    // Five years is the most; the form says so and stays as it was.
    press(&mut app, KeyCode::Right);
    assert_eq!(error_id(&app), Some("members-years-bounds"));
    assert!(render(&app, 80, 24).contains("1 to 5 years"));
    press(&mut app, KeyCode::Left);
    assert_eq!(
        press(&mut app, KeyCode::Enter),
        [MembersOp::Change {
            organisation: ulid(ORG),
            authorisation: ulid(A_CERT),
            object: AuthorisedObject::Seal(ulid(SEAL)),
            years: 4,
        }]
    );
    // Refused by the rules: the form stays open with the reason, to be corrected.
    answer(&mut app, Err(Msg::new("members-already-authorised")), None);
    assert_eq!(error_id(&app), Some("members-already-authorised"));
    assert!(state(&app).form.is_some());
    press(&mut app, KeyCode::Esc);
    assert_eq!((app.scope(), state(&app).form.clone()), (Scope::Members, None));
}

#[test]
fn change_of_an_object_no_longer_offered_keeps_it_as_the_first_choice() {
    let mut app = on_members(Language::En);
    state_mut(&mut app).view.as_mut().expect("view").objects = vec![seal_line()];
    press(&mut app, KeyCode::Char('c'));
    let choices: Vec<AuthorisedObject> = state(&app).choices().iter().map(|o| o.object).collect();
    assert_eq!(
        choices,
        [AuthorisedObject::Certificate(ulid(CERT)), AuthorisedObject::Seal(ulid(SEAL))]
    );
    press(&mut app, KeyCode::Left);
    let op = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(
            op.as_slice(),
            [MembersOp::Change { object: AuthorisedObject::Certificate(_), years: 1, .. }]
        ),
        "{op:?}"
    );
}

#[test]
fn add_gives_the_member_of_the_line_a_certificate_or_seal_from_one_year() {
    let mut app = on_members(Language::En);
    state_mut(&mut app).selected = 5;
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(state(&app).form, Some(Form::Grant { grantee: ulid(E2), object: 0, years: 1 }));
    press(&mut app, KeyCode::Left);
    assert_eq!(error_id(&app), Some("members-years-bounds"));
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Right);
    assert_eq!(
        press(&mut app, KeyCode::Enter),
        [MembersOp::Grant {
            organisation: ulid(ORG),
            grantee: ulid(E2),
            object: AuthorisedObject::Seal(ulid(SEAL)),
            years: 2,
        }]
    );
    answer(&mut app, Ok(Some(members_view())), Some(Msg::new("members-granted")));
    assert_eq!((app.scope(), state(&app).selected), (Scope::Members, 5));

    // From an authorisation's line, for its grantee; nothing to give, nothing to open.
    state_mut(&mut app).selected = 4;
    press(&mut app, KeyCode::Char('a'));
    assert!(matches!(state(&app).form, Some(Form::Grant { grantee, .. }) if grantee == ulid(E1)));
    press(&mut app, KeyCode::Esc);
    state_mut(&mut app).view.as_mut().expect("view").objects.clear();
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(
        (state(&app).form.clone(), error_id(&app)),
        (None, Some("members-nothing-to-grant"))
    );
}

#[test]
fn ending_asks_first_and_no_leaves_it_as_it_was() {
    let mut app = on_members(Language::En);
    assert!(press(&mut app, KeyCode::Char('e')).is_empty());
    assert_eq!(state(&app).confirm, Some(Confirm::End { authorisation: ulid(A_CERT) }));
    assert_eq!(app.scope(), Scope::MembersConfirm);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("End 李小明 LEI SIO MENG's use of qualified certificate 4f2a19c3"),
        "{screen}"
    );
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(state(&app).confirm, None);
    press(&mut app, KeyCode::Char('e'));
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(matches!(app.screen, Screen::Members(_)), "Esc answers the question, not the screen");
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(
        press(&mut app, KeyCode::Char('y')),
        [MembersOp::End { organisation: ulid(ORG), authorisation: ulid(A_CERT) }]
    );
}

#[test]
fn the_administrator_is_handed_over_only_with_the_letter_and_after_asking() {
    let mut app = on_members(Language::En);
    state_mut(&mut app).selected = 2;
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.scope(), Scope::MembersTransfer);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(error_id(&app), Some("members-letter-required"));
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(state(&app).form, Some(Form::Transfer { to: ulid(E1), letter: true }));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(state(&app).confirm, Some(Confirm::Transfer { to: ulid(E1) }));
    assert!(render(&app, 80, 24).contains("Make 李小明 LEI SIO MENG the administrator?"));
    assert_eq!(
        press(&mut app, KeyCode::Char('y')),
        [MembersOp::TransferAdministrator {
            organisation: ulid(ORG),
            to: ulid(E1),
            letter_collected: true
        }]
    );
}

#[test]
fn actions_on_an_authorisation_need_one_selected() {
    let mut app = on_members(Language::En);
    state_mut(&mut app).selected = 2;
    for c in ['c', 's', 'r', 'e'] {
        assert!(press(&mut app, KeyCode::Char(c)).is_empty(), "{c}");
        assert_eq!(error_id(&app), Some("members-select-authorisation"), "{c}");
        assert_eq!((state(&app).form.clone(), state(&app).confirm.clone()), (None, None));
    }
}

#[test]
fn a_refusal_or_a_failed_job_is_shown_and_the_list_stays() {
    let mut app = on_members(Language::En);
    press(&mut app, KeyCode::Char('r'));
    answer(&mut app, Err(Msg::new("members-not-withdrawn")), None);
    assert_eq!(error_id(&app), Some("members-not-withdrawn"));
    assert!(state(&app).view.is_some() && state(&app).busy.is_none());
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Only a suspended authorisation can be resumed."), "{screen}");
    press(&mut app, KeyCode::Char('s'));
    update(&mut app, Action::Job(Done::Failed(Msg::new("ui-job-failed"))));
    assert!(state(&app).busy.is_none(), "a job that panicked stops the wait");
    // F2 says the refusal again in the next language.
    answer(&mut app, Err(Msg::new("members-authorisation-ended")), None);
    update(&mut app, key(KeyCode::F(2)));
    assert!(render(&app, 80, 24).contains(&i18n::text(app.lang, "members-authorisation-ended")));
}

#[test]
fn a_locked_screen_shows_none_of_the_members() {
    let mut app = on_members(Language::En);
    update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)));
    let screen = render(&app, 80, 24);
    for name in ["李小明", "LEI SIO MENG", "澳門貿易行", "4f2a19c3"] {
        assert!(!screen.contains(name), "{name}: {screen}");
    }
}

/// Every sentence the screen can say, in every language.
#[test]
fn every_message_of_the_screen_exists_in_every_language() {
    let ids = [
        "members-title",
        "members-loading",
        "members-saving",
        "members-wait",
        "members-none",
        "members-former",
        "members-no-authorisations",
        "members-organisations-only",
        "members-select-member",
        "members-select-authorisation",
        "members-nothing-to-grant",
        "members-years-bounds",
        "members-object-certificate",
        "members-object-seal",
        "members-object-unknown",
        "members-years",
        "members-until",
        "members-status-in-force",
        "members-status-expired",
        "members-status-not-yet",
        "members-status-suspended",
        "members-status-ended",
        "members-form-grant",
        "members-form-change",
        "members-form-transfer",
        "members-form-object",
        "members-form-years",
        "members-letter",
        "members-confirm-end",
        "members-confirm-transfer",
        "members-granted",
        "members-changed",
        "members-withdrawn",
        "members-restored",
        "members-ended",
        "members-transferred",
    ];
    let all =
        ids.iter().chain(crate::members::ALL_MESSAGE_IDS).chain(registry::members::ALL_MESSAGE_IDS);
    // Messages with arguments only resolve with them.
    let args: Vec<(&str, i18n::FluentValue<'_>)> =
        ["min", "max", "years", "until", "name", "object", "class", "serial", "count", "date"]
            .into_iter()
            .map(|name| (name, i18n::FluentValue::from("2")))
            .collect();
    for id in all {
        for lang in Language::ALL {
            assert_ne!(i18n::text_with(lang, id, &args), *id, "{lang} lacks {id}");
        }
    }
    for action in [
        registry::audit::AuditAction::AuthorisationGranted { years: 1 },
        registry::audit::AuditAction::AuthorisationChanged { years: 1 },
        registry::audit::AuditAction::AuthorisationWithdrawn,
        registry::audit::AuditAction::AuthorisationRestored,
        registry::audit::AuditAction::AuthorisationEnded,
        registry::audit::AuditAction::AdministratorTransferred {
            previous: vec![],
            letter_collected_on: date!(2026 - 11 - 30),
        },
        registry::audit::AuditAction::MembersActionRefused {
            action: "end".into(),
            message: "members-authorisation-ended".into(),
        },
    ] {
        let id = super::screens::subscriber::audit_action_id(&action);
        for lang in Language::ALL {
            assert!(i18n::has_message(lang, id), "{lang} lacks {id}");
        }
    }
}

#[test]
fn every_state_of_the_screen_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let tag = lang.tag();
        let list = on_members(lang);
        insta::assert_snapshot!(format!("members_list_{tag}_80x24"), render(&list, 80, 24));

        let mut grant = on_members(lang);
        state_mut(&mut grant).selected = 5;
        update(&mut grant, key(KeyCode::Char('a')));
        update(&mut grant, key(KeyCode::Right));
        insta::assert_snapshot!(format!("members_grant_{tag}_80x24"), render(&grant, 80, 24));

        let mut change = on_members(lang);
        update(&mut change, key(KeyCode::Char('c')));
        update(&mut change, key(KeyCode::Down));
        insta::assert_snapshot!(format!("members_change_{tag}_80x24"), render(&change, 80, 24));

        let mut transfer = on_members(lang);
        state_mut(&mut transfer).selected = 5;
        update(&mut transfer, key(KeyCode::Char('t')));
        update(&mut transfer, key(KeyCode::Enter));
        insta::assert_snapshot!(format!("members_transfer_{tag}_80x24"), render(&transfer, 80, 24));

        let mut end = on_members(lang);
        update(&mut end, key(KeyCode::Char('e')));
        insta::assert_snapshot!(format!("members_confirm_end_{tag}_80x24"), render(&end, 80, 24));

        let mut handover = on_members(lang);
        state_mut(&mut handover).selected = 5;
        update(&mut handover, key(KeyCode::Char('t')));
        update(&mut handover, key(KeyCode::Char(' ')));
        update(&mut handover, key(KeyCode::Enter));
        insta::assert_snapshot!(
            format!("members_confirm_transfer_{tag}_80x24"),
            render(&handover, 80, 24)
        );

        let mut refused = on_members(lang);
        update(&mut refused, key(KeyCode::Char('r')));
        answer(&mut refused, Err(Msg::new("members-not-withdrawn")), None);
        insta::assert_snapshot!(format!("members_refused_{tag}_80x24"), render(&refused, 80, 24));

        let mut done = on_members(lang);
        state_mut(&mut done).selected = 4;
        update(&mut done, key(KeyCode::Char('r')));
        answer(&mut done, Ok(Some(members_view())), Some(Msg::new("members-restored")));
        insta::assert_snapshot!(format!("members_done_{tag}_80x24"), render(&done, 80, 24));
    }
}

#[test]
fn a_long_list_scrolls_to_keep_the_cursor_on_screen() {
    let mut app = on_members(Language::En);
    let view = state_mut(&mut app).view.as_mut().expect("view");
    for n in 0..30u128 {
        view.members.push(MemberLine {
            person: person(700 + n, "員工", &format!("STAFF {n:02}")),
            roles: vec![MemberRole::Employee],
            authorisations: vec![],
        });
    }
    let last = state(&app).rows().len() - 1;
    for _ in 0..last {
        update(&mut app, key(KeyCode::Down));
    }
    assert_eq!(state(&app).selected, last);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("▶員工 STAFF 29"), "{screen}");
    assert!(!screen.contains("梁國榮"), "the top scrolled away: {screen}");
    update(&mut app, key(KeyCode::Char('a')));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("STAFF 29") && screen.contains("Years"), "{screen}");
}
