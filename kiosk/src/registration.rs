//! A person new to the registry, put on file at the counter: a walk-in who asks for their first
//! certificate, or an organisation's new agent. One person per identity document: a document
//! already on file is refused with the file that holds it.

use registry::audit::AuditAction;
use registry::model::{Person, RecordId, RecordKind};
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
}
