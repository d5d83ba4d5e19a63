//! The links index: which records name which, kept with every write, rebuilt from the log,
//! checked by verify, and made on open for stores that predate it.

mod common;

use std::collections::BTreeSet;

use common::*;
use registry::audit::{AuditAction, AuditEvent};
use registry::model::*;
use store::{Link, Store, StoreOptions};
use time::OffsetDateTime;
use time::macros::datetime;
use ulid::Ulid;

const NOW: OffsetDateTime = datetime!(2026-11-21 10:00 +8);

fn organisation(legal_representative: Option<Ulid>) -> Organisation {
    Organisation {
        id: Ulid::new(),
        name_zh: Some("澳門貿易行".into()),
        name_latin: Some("ABC Trading".into()),
        registration: OrganisationRegistration {
            kind: RegistrationKind::MacauCommercialRegistry,
            number: "SO12345".into(),
        },
        legal_representative,
        licence_valid_until: None,
        address: None,
        phone: None,
        website: None,
    }
}

fn token_for(holder: &Person) -> Token {
    Token {
        id: Ulid::new(),
        serial: format!("T{}", Ulid::new()),
        model: Some("ePass3003".into()),
        status: TokenStatus::Issued,
        holder_person: Some(holder.id),
        holder_organisation: None,
        pin_failures: 0,
    }
}

fn audit(
    subject_kind: RecordKind,
    subject: Ulid,
    at: OffsetDateTime,
    clerk: Option<Ulid>,
) -> AuditEvent {
    AuditEvent {
        id: Ulid::new(),
        at,
        kiosk: "K1".into(),
        clerk,
        action: AuditAction::RecordCreated,
        subject_kind: Some(subject_kind),
        subject: Some(subject),
    }
}

struct Office {
    person: Person,
    organisation: Organisation,
    membership: Membership,
    certificate: Certificate,
    token: Token,
    seal: Seal,
    audits: Vec<AuditEvent>,
}

fn office(store: &mut Store) -> Office {
    let person = chan_tai_man();
    let organisation = organisation(Some(person.id));
    let membership = Membership {
        id: Ulid::new(),
        organisation: organisation.id,
        person: person.id,
        role: MemberRole::Administrator,
        ended: None,
    };
    let token = token_for(&person);
    let mut certificate = certificate_for(&person, "0a1b2c3d");
    certificate.token = Some(token.id);
    certificate.holder_organisation = Some(organisation.id);
    certificate.holder_kind = HolderKind::PersonInOrganisation;
    let seal = Seal {
        id: Ulid::new(),
        organisation: organisation.id,
        seal_kind: SealKind::Organisation,
        name: "公章".into(),
        certificate: Some(certificate.id),
        status: SealStatus::Active,
    };
    let audits = vec![
        audit(RecordKind::Person, person.id, NOW - time::Duration::hours(2), None),
        audit(RecordKind::Certificate, certificate.id, NOW - time::Duration::hours(1), None),
        audit(RecordKind::Person, person.id, NOW, None),
    ];
    store
        .write(None, |w| {
            w.put(&person)?;
            w.put(&organisation)?;
            w.put(&membership)?;
            w.put(&token)?;
            w.put(&certificate)?;
            w.put(&seal)?;
            for a in &audits {
                w.put(a)?;
            }
            Ok(())
        })
        .expect("office");
    Office { person, organisation, membership, certificate, token, seal, audits }
}

fn link(from_kind: RecordKind, from_id: Ulid, field: &'static str) -> Link {
    Link { from_kind, from_id, field }
}

fn set(links: Vec<Link>) -> BTreeSet<Link> {
    links.into_iter().collect()
}

/// The whole links table, to compare two ways of filling it.
fn links_table(path: &std::path::Path) -> Vec<(String, String, String, String, Option<i64>)> {
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    let mut stmt = conn
        .prepare(
            "SELECT to_id, from_kind, from_id, field, at FROM record_links ORDER BY 1, 2, 3, 4",
        )
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn every_reference_a_record_holds_is_found_from_the_record_it_names() {
    let mut store = store_at("K1", NOW);
    let o = office(&mut store);
    assert_eq!(
        set(store.linked_to(o.person.id).expect("links")),
        BTreeSet::from([
            link(RecordKind::Organisation, o.organisation.id, "legal_representative"),
            link(RecordKind::Membership, o.membership.id, "person"),
            link(RecordKind::Certificate, o.certificate.id, "holder_person"),
            link(RecordKind::Token, o.token.id, "holder_person"),
            link(RecordKind::AuditEvent, o.audits[0].id, "subject"),
            link(RecordKind::AuditEvent, o.audits[2].id, "subject"),
        ])
    );
    assert_eq!(
        set(store.linked_to(o.organisation.id).expect("links")),
        BTreeSet::from([
            link(RecordKind::Membership, o.membership.id, "organisation"),
            link(RecordKind::Certificate, o.certificate.id, "holder_organisation"),
            link(RecordKind::Seal, o.seal.id, "organisation"),
        ])
    );
    assert_eq!(
        store.linked_from(o.certificate.id, RecordKind::Seal).expect("links"),
        [link(RecordKind::Seal, o.seal.id, "certificate")]
    );
    assert_eq!(
        store.linked_from(o.token.id, RecordKind::Certificate).expect("links"),
        [link(RecordKind::Certificate, o.certificate.id, "token")]
    );
    assert!(store.linked_to(Ulid::new()).expect("links").is_empty());
    assert!(store.verify().expect("verify").is_empty());
}

#[test]
fn an_application_links_every_certificate_it_concerns_and_its_clerks() {
    use registry::application::{Application, ApplicationAction, DocumentKind};
    let mut store = store_at("K1", NOW);
    let o = office(&mut store);
    let clerk = Clerk {
        id: Ulid::new(),
        username: "clerk1".into(),
        display_name: "職員".into(),
        role: StaffRole::Clerk,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        active: true,
        totp_secret: None,
        totp_period: registry::totp::DEFAULT_PERIOD,
    };
    store.put(None, &clerk).expect("clerk");
    let mut app = Application::draft(
        Ulid::new(),
        Service::Renewal,
        o.person.id,
        HolderKind::PersonInOrganisation,
        CertificateClass::Standard,
        NOW,
    );
    let second = certificate_for(&o.person, "0e0f");
    store.put(None, &second).expect("second");
    app.organisation = Some(o.organisation.id);
    app.certificates = vec![o.certificate.id, second.id];
    app.documents = vec![
        DocumentKind::SignedApplicationForm,
        DocumentKind::ApplicantId,
        DocumentKind::BusinessLicence,
        DocumentKind::LegalRepresentativeId,
        DocumentKind::AgentId,
    ];
    app.consent_given = true;
    app.agreement_accepted = true;
    store.put(Some(clerk.id), &app).expect("draft");
    store
        .write(None, |w| {
            w.transition(app.id, ApplicationAction::Submit { organisation: None }, clerk.id)
        })
        .expect("submit");

    let to_app = store.linked_from(app.id, RecordKind::AuditEvent).expect("links");
    assert_eq!(to_app.len(), 1, "the transition's audit event names the application");
    for certificate in [o.certificate.id, second.id] {
        assert!(
            store
                .linked_from(certificate, RecordKind::Application)
                .expect("links")
                .contains(&link(RecordKind::Application, app.id, "certificates")),
        );
    }
    let by_clerk = set(store.linked_to(clerk.id).expect("links"));
    assert!(by_clerk.contains(&link(RecordKind::Application, app.id, "progress.submitted_by")));
    assert!(by_clerk.contains(&link(RecordKind::AuditEvent, to_app[0].from_id, "clerk")));
    assert!(store.verify().expect("verify").is_empty());
}

#[test]
fn a_timeline_is_newest_first_across_subjects_and_capped() {
    let mut store = store_at("K1", NOW);
    let o = office(&mut store);
    let trail = store.audit_trail(&[o.person.id, o.certificate.id], 10).expect("trail");
    let ids: Vec<Ulid> = trail.iter().map(|a| a.id).collect();
    assert_eq!(ids, [o.audits[2].id, o.audits[1].id, o.audits[0].id]);
    let capped =
        store.audit_trail(&[o.person.id, o.certificate.id, o.person.id], 2).expect("trail");
    assert_eq!(capped.iter().map(|a| a.id).collect::<Vec<_>>(), [o.audits[2].id, o.audits[1].id]);
    assert!(store.audit_trail(&[o.token.id], 10).expect("trail").is_empty());
}

#[test]
fn a_changed_holder_moves_the_link_and_a_dropped_one_removes_it() {
    let mut store = store_at("K1", NOW);
    let o = office(&mut store);
    let other = person(None, "LEI SIO MAN", IdDocumentKind::Passport, "P1234567", "+853 6600 0000");
    store.put(None, &other).expect("other");
    let mut moved = o.certificate.clone();
    moved.holder_person = Some(other.id);
    moved.token = None;
    store.write(None, |w| w.edit(&o.certificate, &moved)).expect("edit");

    let held = |id| store.linked_from(id, RecordKind::Certificate).expect("links");
    assert!(held(o.person.id).is_empty(), "the old holder no longer holds it");
    assert_eq!(held(other.id), [link(RecordKind::Certificate, o.certificate.id, "holder_person")]);
    assert!(held(o.token.id).is_empty(), "a reference set to nothing links to nothing");
    assert!(store.verify().expect("verify").is_empty());
}

#[test]
fn rebuild_makes_the_same_links_as_the_writes_did() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let options = || StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) };
    let o = {
        let mut store = Store::open(&path, options()).expect("open");
        let o = office(&mut store);
        let mut moved = o.certificate.clone();
        moved.holder_organisation = None;
        moved.holder_kind = HolderKind::Person;
        store.write(None, |w| w.edit(&o.certificate, &moved)).expect("edit");
        o
    };
    let incremental = links_table(&path);
    assert!(incremental.len() > 10, "{}", incremental.len());
    let mut store = Store::open(&path, options()).expect("open");
    assert!(store.rebuild().expect("rebuild").is_complete());
    assert_eq!(links_table(&path), incremental);
    assert!(!store.linked_to(o.person.id).expect("links").is_empty());
}

#[test]
fn verify_finds_missing_wrong_and_stray_links_and_rebuild_mends_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let o = {
        let mut store = Store::open(&path, StoreOptions::default()).expect("open");
        office(&mut store)
    };
    let stray = Ulid::new();
    let damage = [
        "DELETE FROM record_links WHERE from_kind = 'token'".to_owned(),
        "UPDATE record_links SET to_id = '01J00000000000000000000000' WHERE from_kind = 'seal'"
            .to_owned(),
        "UPDATE record_links SET at = 0 WHERE from_kind = 'audit_event'".to_owned(),
        format!(
            "INSERT INTO record_links (to_id, from_kind, from_id, field) VALUES ('{}', 'seal', '{stray}', 'organisation')",
            o.organisation.id
        ),
        format!(
            "INSERT INTO record_links (to_id, from_kind, from_id, field) VALUES ('{}', 'person', '{}', 'name')",
            o.organisation.id, o.person.id
        ),
    ];
    for sql in &damage {
        let conn = rusqlite::Connection::open(&path).expect("sqlite");
        conn.execute_batch(sql).expect("damage");
        drop(conn);
        let mut store = Store::open(&path, StoreOptions::default()).expect("open");
        assert!(!store.verify().expect("verify").is_empty(), "verify missed: {sql}");
        store.rebuild().expect("rebuild");
        assert!(store.verify().expect("verify").is_empty(), "rebuild did not mend: {sql}");
        assert_eq!(store.linked_from(o.person.id, RecordKind::Token).expect("links").len(), 1);
    }
}

#[test]
fn a_store_from_before_the_links_index_gets_it_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let options = || StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) };
    let o = {
        let mut store = Store::open(&path, options()).expect("open");
        office(&mut store)
    };
    let expected = links_table(&path);
    // What a store of schema 2 holds: no links table, nothing asked.
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch(
        "DROP TABLE record_links; DELETE FROM meta WHERE key = 'relink'; PRAGMA user_version = 2;",
    )
    .expect("schema 2");
    drop(conn);

    let store = Store::open(&path, options()).expect("open migrates");
    assert_eq!(links_table(&path), expected);
    assert_eq!(store.linked_from(o.person.id, RecordKind::Certificate).expect("links").len(), 1);
    assert!(store.verify().expect("verify").is_empty());
}

#[test]
fn a_record_awaiting_its_creation_links_nothing_until_it_arrives() {
    let mut a = store_at("KA", NOW);
    let mut b = store_at("KB", NOW);
    let holder = chan_tai_man();
    let certificate = certificate_for(&holder, "0a1b");
    a.put(None, &holder).expect("holder");
    a.put(None, &certificate).expect("certificate");
    let mut moved = certificate.clone();
    let other = chan_tai_man();
    moved.holder_person = Some(other.id);
    a.write(None, |w| w.edit(&certificate, &moved)).expect("edit");
    let events = a.events_of(RecordKind::Certificate, certificate.id).expect("events");
    assert_eq!(events.len(), 2);

    b.write(None, |w| w.apply_event(&events[1])).expect("edit first");
    assert!(b.linked_to(other.id).expect("links").is_empty(), "not whole yet");
    b.write(None, |w| w.apply_event(&events[0])).expect("creation");
    assert_eq!(
        b.linked_to(other.id).expect("links"),
        [link(RecordKind::Certificate, certificate.id, "holder_person")]
    );
}

fn clerk_record(role: StaffRole) -> Clerk {
    Clerk {
        id: Ulid::new(),
        username: format!("u{}", Ulid::new().to_string().to_lowercase()),
        display_name: "職員".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        active: true,
        totp_secret: None,
        totp_period: registry::totp::DEFAULT_PERIOD,
    }
}

/// Every path in `REFERENCES` makes a link from a record that sets it: a misspelt path, or a
/// field renamed in the registry, fails here instead of leaving files quietly incomplete.
#[test]
fn every_listed_reference_field_makes_a_link() {
    use registry::application::{Application, ApplicationAction, DocumentKind};
    let mut store = store_at("K1", NOW);
    let o = office(&mut store);
    let clerk = clerk_record(StaffRole::Clerk);
    let supervisor = clerk_record(StaffRole::Supervisor);
    let agent = person(None, "LEI SIO MAN", IdDocumentKind::Passport, "P7654321", "+853 6600 0000");
    let mut renewed = certificate_for(&o.person, "0c0d");
    renewed.issuance = Some(Issuance {
        profile: "qualified-person".into(),
        sha256: "00".into(),
        issuer_key_id: "00".into(),
        medium: KeyMedium::Token,
        key_id: None,
        key_type: "p256".into(),
        previous: Some(o.certificate.id),
        der_base64: String::new(),
    });
    let authorisation = Authorisation {
        id: Ulid::new(),
        organisation: o.organisation.id,
        grantee: agent.id,
        granted_by: o.person.id,
        object: AuthorisedObject::Certificate(o.certificate.id),
        valid_from: time::macros::date!(2026 - 01 - 01),
        valid_until: time::macros::date!(2027 - 01 - 01),
        status: AuthorisationStatus::Active,
    };
    let appointment = Appointment {
        id: Ulid::new(),
        reference: "B1".into(),
        person: Some(o.person.id),
        organisation: Some(o.organisation.id),
        booked_name: "陳大文".into(),
        service: Service::Renewal,
        slot: NOW,
        status: AppointmentStatus::Booked,
    };
    let mut organisation_token = token_for(&o.person);
    organisation_token.holder_person = None;
    organisation_token.holder_organisation = Some(o.organisation.id);
    let ticket = WalkInTicket {
        id: Ulid::new(),
        number: "W001".into(),
        service: Service::Renewal,
        issued_at: NOW,
        status: TicketStatus::Waiting,
    };
    let mut app = Application::draft(
        Ulid::new(),
        Service::Renewal,
        o.person.id,
        HolderKind::PersonInOrganisation,
        CertificateClass::Standard,
        NOW,
    );
    app.organisation = Some(o.organisation.id);
    app.agent = Some(agent.id);
    app.appointment = Some(appointment.id);
    app.walk_in_ticket = Some(ticket.id);
    app.certificates = vec![o.certificate.id];
    app.identity_override = true;
    app.documents = vec![
        DocumentKind::SignedApplicationForm,
        DocumentKind::ApplicantId,
        DocumentKind::BusinessLicence,
        DocumentKind::LegalRepresentativeId,
        DocumentKind::AgentId,
    ];
    app.consent_given = true;
    app.agreement_accepted = true;
    let nothing = registry::day_end::Sources { applications: &[], audit: &[], tokens: &[] };
    let day_end = registry::day_end::DayEnd {
        id: Ulid::new(),
        kiosk: "K1".into(),
        day: NOW.date(),
        closed_by: supervisor.id,
        closed_at: NOW,
        report: registry::day_end::count_day("K1", NOW.date(), NOW.offset(), &nothing),
    };
    store
        .write(None, |w| {
            w.put(&clerk)?;
            w.put(&supervisor)?;
            w.put(&agent)?;
            w.put(&renewed)?;
            w.put(&organisation_token)?;
            w.put(&authorisation)?;
            w.put(&appointment)?;
            w.put(&ticket)?;
            w.put(&app)?;
            w.put(&audit(RecordKind::Person, o.person.id, NOW, Some(clerk.id)))?;
            let submit = ApplicationAction::Submit { organisation: None };
            w.transition(app.id, submit, clerk.id)?;
            let fee = Money::new(400, Currency::Mop);
            w.transition(app.id, ApplicationAction::PassVetting { fee }, clerk.id)?;
            w.transition(app.id, ApplicationAction::Approve, supervisor.id)?;
            w.put(&day_end)?;
            Ok(())
        })
        .expect("every kind of reference");

    let linked: BTreeSet<(String, String)> = {
        let mut seen = BTreeSet::new();
        let everyone = [
            o.person.id,
            o.organisation.id,
            o.certificate.id,
            o.token.id,
            agent.id,
            clerk.id,
            supervisor.id,
            appointment.id,
            ticket.id,
            app.id,
        ];
        for id in everyone {
            for l in store.linked_to(id).expect("links") {
                seen.insert((l.from_kind.as_str().to_owned(), l.field.to_owned()));
            }
        }
        seen
    };
    let listed: BTreeSet<(String, String)> = store::REFERENCES
        .iter()
        .map(|(kind, field)| (kind.as_str().to_owned(), (*field).to_owned()))
        .collect();
    let missing: Vec<_> = listed.difference(&linked).collect();
    assert!(missing.is_empty(), "listed but never linked: {missing:?}");
    assert!(store.verify().expect("verify").is_empty());
}
