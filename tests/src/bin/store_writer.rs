//! Writes to a store without end, one person and their certificate per transaction, so a test can
//! kill it with SIGKILL mid-write and check that nothing half-written survives.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use registry::model::*;
use store::{Store, StoreOptions};
use time::OffsetDateTime;
use ulid::Ulid;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: store-writer STORE_PATH");
        return ExitCode::from(2);
    };
    let mut store = match Store::open(&path, StoreOptions::default()) {
        Ok(store) => store,
        Err(err) => {
            eprintln!("cannot open {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    };
    for i in 0u64.. {
        let person = Person {
            id: Ulid::new(),
            name_zh: Some(format!("測試{i}")),
            name_latin: Some(format!("TEST {i}")),
            id_document: IdDocument {
                kind: IdDocumentKind::Passport,
                number: Sensitive::new(format!("K{i:08}")),
                issuing_state: Some("PRT".into()),
                expiry: None,
            },
            nationality: None,
            birth_date: None,
            sex: None,
            phone: None,
            email: None,
            photo: None,
        };
        let start = OffsetDateTime::now_utc();
        let certificate = Certificate {
            id: Ulid::new(),
            class: CertificateClass::Standard,
            holder_kind: HolderKind::Person,
            subject: SubjectDn { cn: format!("TEST {i}"), ..Default::default() },
            serial: Some(format!("{:x}", 0x1000_0000 + i)),
            not_before: Some(start),
            not_after: Some(start + time::Duration::days(365)),
            validity_years: 1,
            status: CertificateStatus::Valid,
            holder_person: Some(person.id),
            holder_organisation: None,
            token: None,
            renewal_confirmed: false,
            revocation_phrase: None,
            revocation: None,
            issuance: None,
        };
        let written = store.write(None, |w| {
            w.put(&person)?;
            w.put(&certificate)?;
            Ok(())
        });
        if let Err(err) = written {
            eprintln!("write {i} failed: {err}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
