//! Records for the store's tests.
#![allow(dead_code)]

use registry::model::*;
use store::{Store, StoreOptions};
use time::OffsetDateTime;
use ulid::Ulid;

pub fn store_at(kiosk: &str, now: OffsetDateTime) -> Store {
    Store::open_in_memory(StoreOptions { kiosk_id: Some(kiosk.into()), now: Box::new(move || now) })
        .expect("open store")
}

pub fn person(
    zh: Option<&str>,
    latin: &str,
    kind: IdDocumentKind,
    number: &str,
    phone: &str,
) -> Person {
    Person {
        id: Ulid::new(),
        name_zh: zh.map(Into::into),
        name_latin: Some(latin.into()),
        id_document: IdDocument {
            kind,
            number: Sensitive::new(number),
            issuing_state: (kind == IdDocumentKind::Passport).then(|| "PRT".into()),
            expiry: None,
        },
        nationality: Some("CHN".into()),
        birth_date: None,
        sex: Some(Sex::M),
        phone: Some(Sensitive::new(phone)),
        email: Some("someone@example.mo".into()),
        photo: None,
    }
}

pub fn chan_tai_man() -> Person {
    person(
        Some("陳大文"),
        "CHAN TAI MAN",
        IdDocumentKind::MacauResident,
        "1234567(3)",
        "+853 6612 3456",
    )
}

pub fn certificate_for(holder: &Person, serial: &str) -> Certificate {
    Certificate {
        id: Ulid::new(),
        class: CertificateClass::Qualified,
        holder_kind: HolderKind::Person,
        subject: SubjectDn {
            cn: "CHAN TAI MAN".into(),
            c: Some("MO".into()),
            ..Default::default()
        },
        serial: Some(serial.into()),
        not_before: Some(OffsetDateTime::UNIX_EPOCH),
        not_after: Some(OffsetDateTime::UNIX_EPOCH + time::Duration::days(365)),
        validity_years: 1,
        status: CertificateStatus::Valid,
        holder_person: Some(holder.id),
        holder_organisation: None,
        token: None,
        renewal_confirmed: false,
        revocation_phrase: None,
        revocation: None,
        issuance: None,
    }
}
