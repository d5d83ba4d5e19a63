//! A person new to the registry, put on file at the counter: a walk-in who asks for their first
//! certificate, or an organisation's new agent. One person per identity document: a document
//! already on file is refused with the file that holds it.

use registry::audit::AuditAction;
use registry::model::{MemberRole, Membership, Person, RecordId, RecordKind};
use registry::problem::Problem;
use store::{Store, StoreError};

/// Why a person was not put on file.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The same document (kind and number, in any notation) is on another person's file.
    #[error("a person with this identity document is on file already")]
    AlreadyOnFile(RecordId),
    /// What the registry's rules refuse, every problem at once (`problem.field` names the field
    /// as the record spells it: `id_document.number`, `email`…).
    #[error("the person's details are not valid")]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for RegisterError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Invalid { problems, .. } => RegisterError::Invalid(problems),
            other => RegisterError::Store(other),
        }
    }
}

/// Puts `person` on file (with its audit event) unless their document is on file already.
pub fn register_person(
    store: &mut Store,
    clerk: Option<RecordId>,
    person: &Person,
) -> Result<RecordId, RegisterError> {
    if let Some(existing) = on_file(store, person)? {
        return Err(RegisterError::AlreadyOnFile(existing));
    }
    let id = person.id;
    store.write(clerk, |w| {
        w.put(person)?;
        w.audit(AuditAction::RecordCreated, Some((RecordKind::Person, id))).map(drop)
    })?;
    Ok(id)
}

/// What [`join_organisation`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Joined {
    pub person: RecordId,
    /// The person was on file already (found by their document); only the membership is new.
    pub was_on_file: bool,
    /// They were a current member already: nothing was written.
    pub already_member: bool,
}

/// Makes the person an employee of `organisation` (seed 004: the administrator then grants
/// them its certificates and seals): put on file first when their document is not, else the
/// person on file joins. One transaction with its audit events.
pub fn join_organisation(
    store: &mut Store,
    clerk: Option<RecordId>,
    person: &Person,
    organisation: RecordId,
) -> Result<Joined, RegisterError> {
    if store.get::<registry::model::Organisation>(organisation)?.is_none() {
        return Err(RegisterError::Store(StoreError::NotFound {
            kind: RecordKind::Organisation,
            id: organisation,
        }));
    }
    let existing = on_file(store, person)?;
    let id = existing.unwrap_or(person.id);
    let mut already_member = false;
    for link in store.linked_from(id, RecordKind::Membership)? {
        if let Some(m) = store.get::<Membership>(link.from_id)?
            && m.person == id
            && m.organisation == organisation
            && m.ended.is_none()
        {
            already_member = true;
        }
    }
    if !already_member {
        let membership = Membership {
            id: ulid::Ulid::new(),
            organisation,
            person: id,
            role: MemberRole::Employee,
            ended: None,
        };
        store.write(clerk, |w| {
            if existing.is_none() {
                w.put(person)?;
                w.audit(AuditAction::RecordCreated, Some((RecordKind::Person, id)))?;
            }
            w.put(&membership)?;
            w.audit(AuditAction::RecordCreated, Some((RecordKind::Membership, membership.id)))
                .map(drop)
        })?;
    }
    Ok(Joined { person: id, was_on_file: existing.is_some(), already_member })
}

/// The person on file with the same identity document as `person`, if any.
fn on_file(store: &Store, person: &Person) -> Result<Option<RecordId>, RegisterError> {
    // A number the rules refuse is said by the write, with every other problem.
    let Ok(number) = person.id_document.normalised_number() else { return Ok(None) };
    for hit in store.find_by_id_number(person.id_document.number.expose(), 20)? {
        if hit.kind != RecordKind::Person || hit.id == person.id {
            continue;
        }
        if let Some(other) = store.get::<Person>(hit.id)?
            && other.id_document.kind == person.id_document.kind
            && other.id_document.normalised_number().is_ok_and(|n| n == number)
        {
            return Ok(Some(other.id));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry::model::{IdDocument, IdDocumentKind, Sensitive};

    fn store(dir: &std::path::Path) -> Store {
        let ctx = crate::Context {
            data_dir: dir.join("data"),
            config: crate::config::Config::default(),
            lang: i18n::Language::En,
        };
        ctx.open_store_quietly().expect("store")
    }

    fn person(number: &str) -> Person {
        Person {
            id: ulid::Ulid::new(),
            name_zh: Some("何家豪".into()),
            name_latin: Some("HO KA HOU".into()),
            id_document: IdDocument {
                kind: IdDocumentKind::MacauResident,
                number: Sensitive::new(number),
                issuing_state: None,
                expiry: None,
            },
            nationality: Some("CHN".into()),
            birth_date: Some(time::macros::date!(1990 - 03 - 04)),
            sex: None,
            phone: Some(Sensitive::new("+853 6612 3456")),
            email: Some("kahou@example.mo".into()),
            photo: None,
        }
    }

    #[test]
    fn a_person_goes_on_file_once_with_an_audit_event_and_bad_details_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = store(dir.path());
        let ho = person("1234567(8)");
        let id = register_person(&mut store, None, &ho).expect("registered");
        assert_eq!(store.get::<Person>(id).expect("read"), Some(ho.clone()));
        let mut created = 0;
        store
            .audit_about(id, |e| {
                created += usize::from(e.action == AuditAction::RecordCreated);
                std::ops::ControlFlow::Continue(())
            })
            .expect("audit");
        assert_eq!(created, 1);

        // The same card typed another way is the same person.
        let again = person("12345678");
        match register_person(&mut store, None, &again) {
            Err(RegisterError::AlreadyOnFile(on_file)) => assert_eq!(on_file, id),
            other => panic!("{other:?}"),
        }
        assert_eq!(store.get::<Person>(again.id).expect("read"), None, "nothing written");

        // A passport of the same number is another document.
        let mut passport = person("12345678");
        passport.id_document.kind = IdDocumentKind::Passport;
        passport.id_document.issuing_state = Some("PRT".into());
        register_person(&mut store, None, &passport).expect("another document");

        let bad = Person {
            name_zh: None,
            name_latin: None,
            email: Some("not an address".into()),
            ..person("7654321(0)")
        };
        match register_person(&mut store, None, &bad) {
            Err(RegisterError::Invalid(problems)) => {
                let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
                assert!(fields.contains(&"name") && fields.contains(&"email"), "{fields:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(store.get::<Person>(bad.id).expect("read"), None);
    }

    #[test]
    fn an_employee_joins_new_to_the_registry_or_from_the_file_and_only_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = store(dir.path());
        let org = crate::test_fixtures::trading_company();
        store.put(None, &org).expect("organisation");
        let members = |store: &Store, person: RecordId| -> Vec<Membership> {
            store
                .linked_from(person, RecordKind::Membership)
                .expect("links")
                .into_iter()
                .filter_map(|l| store.get::<Membership>(l.from_id).expect("get"))
                .collect()
        };

        let ho = person("1234567(8)");
        let joined = join_organisation(&mut store, None, &ho, org.id).expect("joined");
        assert_eq!(joined, Joined { person: ho.id, was_on_file: false, already_member: false });
        assert!(store.get::<Person>(ho.id).expect("read").is_some());
        let m = members(&store, ho.id);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].organisation, m[0].role), (org.id, MemberRole::Employee));

        // Typed again (another notation): the person on file, already a member: nothing new.
        let again = person("12345678");
        let joined = join_organisation(&mut store, None, &again, org.id).expect("again");
        assert_eq!(joined, Joined { person: ho.id, was_on_file: true, already_member: true });
        assert_eq!(members(&store, ho.id).len(), 1);
        assert_eq!(store.get::<Person>(again.id).expect("read"), None);

        // Someone on file who is not a member joins as they are on file.
        let lei = person("7654321(0)");
        register_person(&mut store, None, &lei).expect("on file");
        let typed = Person { name_zh: Some("別的名字".into()), ..person("7654321(0)") };
        let joined = join_organisation(&mut store, None, &typed, org.id).expect("joined");
        assert_eq!(joined, Joined { person: lei.id, was_on_file: true, already_member: false });
        assert_eq!(members(&store, lei.id).len(), 1);
        assert_eq!(store.get::<Person>(lei.id).expect("read"), Some(lei));

        // No such organisation: refused, nothing written.
        let nobody = person("1111111(1)");
        assert!(join_organisation(&mut store, None, &nobody, ulid::Ulid::new()).is_err());
        assert_eq!(store.get::<Person>(nobody.id).expect("read"), None);
    }
}
