//! The new person's form: typing, moving, the document's kind, saving, and what the job answers.

use crossterm::event::{KeyCode, KeyEvent};
use i18n::Language;
use registry::model::{IdDocumentKind, RecordId, RecordKind, StaffRole};
use time::OffsetDateTime;
use time::macros::{date, datetime};

use super::action::Action;
use super::app::{App, Screen, update};
use super::jobs::{Done, Effect, PersonRefused, Registered};
use super::keys::Scope;
use super::msg::Msg;
use super::screens::new_person::{NewPersonState, Row};
use super::tests::render;
use crate::signin::SignedIn;

const NOW: OffsetDateTime = datetime!(2026-11-30 10:15 +8);

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c)));
    }
}

/// Signed in, on the search screen, F9 pressed.
pub(super) fn on_new_person(lang: Language) -> App {
    let mut app = App::new(lang, "O".into(), "K".into(), NOW, false);
    app.session = Some(SignedIn {
        clerk: ulid::Ulid::from(1u128),
        username: "chan.tm".into(),
        display_name: "陳大文".into(),
        role: StaffRole::Clerk,
    });
    app.screen = Screen::Queue;
    update(&mut app, key(KeyCode::F(3)));
    update(&mut app, key(KeyCode::F(9)));
    app
}

fn state(app: &App) -> &NewPersonState {
    match &app.screen {
        Screen::NewPerson(state) => state,
        other => panic!("not on the form: {other:?}"),
    }
}

/// Fills the form for 何家豪, a Macau resident, by keys: Tab between the rows.
fn fill(app: &mut App) {
    for (row, text) in [
        (Row::Number, "1234567(8)"),
        (Row::NameZh, "何家豪"),
        (Row::NameLatin, "ho ka hou"),
        (Row::BirthDate, "1990-03-04"),
        (Row::Nationality, "chn"),
        (Row::Email, "kahou@example.mo"),
    ] {
        while state(app).focus != row {
            update(app, key(KeyCode::Tab));
        }
        type_text(app, text);
    }
}

#[test]
fn f9_on_the_search_opens_the_form_and_enter_saves_what_was_typed() {
    let mut app = on_new_person(Language::En);
    assert_eq!(app.scope(), Scope::NewPerson);
    assert_eq!(state(&app).focus, Row::Number);
    // The document's kind is chosen on its row with ← and →.
    update(&mut app, key(KeyCode::Up));
    assert_eq!(state(&app).focus, Row::Kind);
    update(&mut app, key(KeyCode::Right));
    assert_eq!(state(&app).kind, IdDocumentKind::MainlandResident);
    update(&mut app, key(KeyCode::Left));
    assert_eq!(state(&app).kind, IdDocumentKind::MacauResident);
    // Letters are typed, not commands: `w` and `v` go into the name.
    fill(&mut app);
    update(&mut app, key(KeyCode::Backspace));
    type_text(&mut app, "o");
    let effects = update(&mut app, key(KeyCode::Enter));
    let [Effect::RegisterPerson { person, clerk, joining: None }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*clerk, Some(ulid::Ulid::from(1u128)));
    assert_eq!(person.name_zh.as_deref(), Some("何家豪"));
    assert_eq!(person.name_latin.as_deref(), Some("HO KA HOU"), "Latin names in capitals");
    assert_eq!(person.id_document.kind, IdDocumentKind::MacauResident);
    assert_eq!(person.id_document.number.expose(), "1234567(8)");
    assert_eq!(person.birth_date, Some(date!(1990 - 03 - 04)));
    assert_eq!(person.nationality.as_deref(), Some("CHN"));
    assert_eq!(person.email.as_deref(), Some("kahou@example.mo"));
    assert_eq!(person.phone, None);
    assert!(state(&app).busy);
    // Keys wait while it saves.
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert!(update(&mut app, key(KeyCode::Esc)).is_empty());
    assert_eq!(app.scope(), Scope::NewPerson);

    // Saved: the file opens, and Esc goes back to the search, not to the form.
    let id: RecordId = person.id;
    let saved = Registered { person: id, notice: "new-person-saved" };
    let effects = update(&mut app, Action::Job(Done::PersonRegistered(Ok(saved))));
    assert!(
        matches!(effects.as_slice(), [Effect::OpenFile { kind: RecordKind::Person, id: opened }]
            if *opened == id),
        "{effects:?}"
    );
    assert!(matches!(&app.screen, Screen::Subscriber(s) if s.id == id));
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("new-person-saved"));
    update(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::Search);
}

#[test]
fn a_date_not_read_and_what_the_registry_refuses_are_said_on_their_row() {
    let mut app = on_new_person(Language::En);
    fill(&mut app);
    while state(&app).focus != Row::Expiry {
        update(&mut app, key(KeyCode::Tab));
    }
    type_text(&mut app, "30/06/2031");
    // Back on another row, Enter finds the date and goes to it.
    update(&mut app, key(KeyCode::Tab));
    assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    assert_eq!(state(&app).focus, Row::Expiry);
    assert_eq!(state(&app).error, Some((Msg::new("new-person-bad-date"), Some(Row::Expiry))));

    for _ in 0.."30/06/2031".len() {
        update(&mut app, key(KeyCode::Backspace));
    }
    assert_eq!(state(&app).value(Row::Expiry), "");
    assert_eq!(update(&mut app, key(KeyCode::Enter)).len(), 1);
    let refused = PersonRefused::Invalid { code: "problem-invalid-email", field: "email".into() };
    update(&mut app, Action::Job(Done::PersonRegistered(Err(refused))));
    let now = state(&app);
    assert!(!now.busy);
    assert_eq!(now.focus, Row::Email);
    assert_eq!(now.error, Some((Msg::new("problem-invalid-email"), Some(Row::Email))));
    assert_eq!(now.value(Row::Email), "kahou@example.mo", "what was typed stays");

    // Their document is on file already: that file opens, and says so.
    update(&mut app, key(KeyCode::Enter));
    let other = ulid::Ulid::from(77u128);
    update(&mut app, Action::Job(Done::PersonRegistered(Err(PersonRefused::OnFile(other)))));
    assert!(matches!(&app.screen, Screen::Subscriber(s) if s.id == other));
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("new-person-on-file"));
}

#[test]
fn the_form_in_every_language_at_80x24() {
    for lang in Language::ALL {
        let mut app = on_new_person(lang);
        fill(&mut app);
        update(&mut app, key(KeyCode::Up));
        assert_eq!(state(&app).focus, Row::Phone);
        type_text(&mut app, "+853 6612 x");
        update(&mut app, key(KeyCode::Enter));
        let refused =
            PersonRefused::Invalid { code: "problem-invalid-phone", field: "phone".into() };
        update(&mut app, Action::Job(Done::PersonRegistered(Err(refused))));
        insta::assert_snapshot!(format!("new_person_{}_80x24", lang.tag()), render(&app, 80, 24));
    }
}

#[test]
fn n_on_the_members_screen_takes_a_new_employee_and_goes_back_to_the_members() {
    let mut app = super::members_tests::on_members(Language::En);
    let Screen::Members(members) = &app.screen else { panic!("{:?}", app.screen) };
    let organisation = members.organisation;
    update(&mut app, key(KeyCode::Char('n')));
    assert_eq!(app.scope(), Scope::NewPerson);
    assert_eq!(state(&app).joining.as_ref().map(|(o, _)| *o), Some(organisation));
    fill(&mut app);
    let effects = update(&mut app, key(KeyCode::Enter));
    let [Effect::RegisterPerson { person, joining: Some(joining), .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*joining, organisation);
    let joined = Registered { person: person.id, notice: "new-person-joined" };
    let effects = update(&mut app, Action::Job(Done::PersonRegistered(Ok(joined))));
    assert!(
        matches!(effects.as_slice(), [Effect::Members { organisation: o, op: None, .. }]
            if *o == organisation),
        "the members read anew: {effects:?}"
    );
    assert!(matches!(app.screen, Screen::Members(_)), "back on the members screen");
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("new-person-joined"));
    insta::assert_snapshot!("new_employee_en_80x24", {
        let mut again = super::members_tests::on_members(Language::En);
        update(&mut again, key(KeyCode::Char('n')));
        render(&again, 80, 24)
    });
}

#[test]
fn saved_while_a_scanned_form_opened_its_visit_the_form_leaves_the_stack_and_says_so() {
    let mut app = on_new_person(Language::En);
    fill(&mut app);
    let effects = update(&mut app, key(KeyCode::Enter));
    let [Effect::RegisterPerson { person, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let id = person.id;
    // A signed form's code pasted meanwhile opens its visit over the form.
    update(&mut app, Action::Paste(format!("KF2|{}|APP-1|ABCDEFGH|00", ulid::Ulid::new())));
    assert!(matches!(app.screen, Screen::Visit(_)), "{:?}", app.screen);
    let saved = Registered { person: id, notice: "new-person-saved" };
    assert!(update(&mut app, Action::Job(Done::PersonRegistered(Ok(saved)))).is_empty());
    assert!(matches!(app.screen, Screen::Visit(_)), "the visit stays");
    assert!(!app.back.iter().any(|s| matches!(s, Screen::NewPerson(_))), "no form left busy");
    assert_eq!(app.notice.as_ref().map(|n| n.msg.id), Some("new-person-saved"));
}
