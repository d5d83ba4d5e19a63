//! The subscriber file: everything the counter knows about one person or organisation, read in
//! one snapshot of the store from its indexes (the links index, never a scan of a record kind),
//! into plain data the UI draws without reading the store again.
//!
//! Names are kept as stored; whoever draws them escapes them (`registry::text`). Names are
//! personal data, so `Debug` here shows ids, kinds and states, never a name, as
//! `store::SubscriberHit` does.

use std::collections::{BTreeMap, BTreeSet};

use registry::application::{Application, ApplicationState, DocumentKind};
use registry::audit::{AuditAction, AuditEvent};
use registry::model::{Authorisation, Certificate, Membership, Token};
use registry::model::{
    AuthorisationStatus, AuthorisedObject, CertificateClass, CertificateStatus, Clerk, HolderKind,
    MemberRole, Organisation, Person, Record, RecordId, RecordKind, Seal, Service, TokenStatus,
};
use registry::renewal::{RENEWAL_WINDOW_DAYS, is_renewal_due};
use store::{Store, StoreError};
use time::{Date, OffsetDateTime};

/// How many audit events a file shows, newest first.
pub const TIMELINE_LIMIT: usize = 200;

/// A person or organisation named on the file, with the names to show for them. Both names are
/// `None` when the record is not (yet) in this store: the UI shows the id.
#[derive(Clone, PartialEq, Eq)]
pub struct Party {
    pub id: RecordId,
    pub kind: RecordKind,
    pub name_zh: Option<String>,
    pub name_latin: Option<String>,
}

/// Names are personal data: `Debug` shows what a log may hold.
impl std::fmt::Debug for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Party")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Whose file it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Person(Person),
    Organisation(Organisation),
}

/// A membership: on a person's file `party` is the organisation, on an organisation's the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipLine {
    pub id: RecordId,
    pub party: Party,
    pub role: MemberRole,
    pub ended: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorisationLine {
    pub id: RecordId,
    pub organisation: Party,
    pub grantee: Party,
    pub granted_by: Party,
    pub object: AuthorisedObject,
    pub valid_from: Date,
    pub valid_until: Date,
    pub status: AuthorisationStatus,
    /// Active and within its dates today.
    pub in_force: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateLine {
    pub id: RecordId,
    pub class: CertificateClass,
    pub holder_kind: HolderKind,
    pub serial: Option<String>,
    pub status: CertificateStatus,
    pub not_after: Option<OffsetDateTime>,
    /// Whole calendar days until expiry in the office's time zone (negative once past); `None`
    /// before issuance.
    pub days_to_expiry: Option<i64>,
    /// In the renewal-due list today (DOMAIN.md's rule).
    pub renewal_due: bool,
    pub holder_person: Option<Party>,
    pub holder_organisation: Option<Party>,
    pub token: Option<RecordId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLine {
    pub id: RecordId,
    pub serial: String,
    pub model: Option<String>,
    pub status: TokenStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationLine {
    pub id: RecordId,
    pub reference: String,
    pub service: Service,
    pub state: ApplicationState,
    /// When it last changed, on whichever kiosk.
    pub updated: OffsetDateTime,
    /// How the file's subject is named on it: `applicant`, `agent` or `organisation` (the first
    /// of these when several).
    pub role: &'static str,
    /// The papers collected for it.
    pub documents: Vec<DocumentKind>,
}

/// The clerk who did something, resolved once per file.
#[derive(Clone, PartialEq, Eq)]
pub struct ClerkName {
    pub id: RecordId,
    pub username: String,
    pub display_name: String,
}

/// As `Clerk`'s own `Debug`: the username, not the person's name.
impl std::fmt::Debug for ClerkName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkName")
            .field("id", &self.id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// One audit event of the timeline: who did what, when, on which kiosk, to which record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub id: RecordId,
    pub at: OffsetDateTime,
    pub kiosk: String,
    /// `None` for operator commands; a clerk id this store does not hold keeps its id with
    /// empty names.
    pub clerk: Option<ClerkName>,
    pub action: AuditAction,
    pub subject_kind: Option<RecordKind>,
    pub subject: Option<RecordId>,
}

/// Everything on one subscriber's file.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriberFile {
    pub subject: Subject,
    /// A person's organisations, or an organisation's members; current ones first.
    pub memberships: Vec<MembershipLine>,
    /// The organisations whose legal representative the person is (a person's file).
    pub legal_representative_of: Vec<Party>,
    /// The organisation's legal representative (an organisation's file).
    pub legal_representative: Option<Party>,
    /// Granted to the person, or given within the organisation; latest end first.
    pub authorisations: Vec<AuthorisationLine>,
    /// The organisation's seals.
    pub seals: Vec<Seal>,
    /// Pending ones first, then the latest expiry first.
    pub certificates: Vec<CertificateLine>,
    pub tokens: Vec<TokenLine>,
    /// The latest change first.
    pub applications: Vec<ApplicationLine>,
    /// Audit events about the subscriber or anything on their file, newest first, at most
    /// [`TIMELINE_LIMIT`].
    pub timeline: Vec<TimelineEntry>,
    /// There are older audit events than the timeline shows.
    pub timeline_more: bool,
}

#[cfg(test)]
impl SubscriberFile {
    pub fn id(&self) -> RecordId {
        match &self.subject {
            Subject::Person(p) => p.id,
            Subject::Organisation(o) => o.id,
        }
    }

    pub fn kind(&self) -> RecordKind {
        match &self.subject {
            Subject::Person(_) => RecordKind::Person,
            Subject::Organisation(_) => RecordKind::Organisation,
        }
    }
}

/// Reads the file of person or organisation `id`, with days counted at `now` in the office's
/// time zone (pass the time in the office's offset, as `Certificate::days_left` counts).
/// `None` when the store has no such record of that kind (or `kind` is not a subscriber kind).
#[allow(dead_code)] // opened from the UI's search results, which arrive with the UI issue
pub fn load(
    store: &Store,
    kind: RecordKind,
    id: RecordId,
    now: OffsetDateTime,
) -> Result<Option<SubscriberFile>, StoreError> {
    store.snapshot(|store| Loader { store, now, parties: BTreeMap::new() }.load(kind, id))
}

struct Loader<'s> {
    store: &'s Store,
    now: OffsetDateTime,
    /// Names already read, so a party named many times is read once.
    parties: BTreeMap<RecordId, Party>,
}

impl Loader<'_> {
    fn load(
        mut self,
        kind: RecordKind,
        id: RecordId,
    ) -> Result<Option<SubscriberFile>, StoreError> {
        let subject = match kind {
            RecordKind::Person => match self.fetch::<Person>(id)? {
                Some(person) => Subject::Person(person),
                None => return Ok(None),
            },
            RecordKind::Organisation => match self.fetch::<Organisation>(id)? {
                Some(organisation) => Subject::Organisation(organisation),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        // The fields that name the subject, by the kind of record that names it.
        let (holder, side) = match &subject {
            Subject::Person(_) => ("holder_person", "person"),
            Subject::Organisation(_) => ("holder_organisation", "organisation"),
        };

        let mut memberships = Vec::new();
        for m in self.linked::<Membership>(id, &[side])? {
            let party = match &subject {
                Subject::Person(_) => self.party(RecordKind::Organisation, m.organisation)?,
                Subject::Organisation(_) => self.party(RecordKind::Person, m.person)?,
            };
            memberships.push(MembershipLine { id: m.id, party, role: m.role, ended: m.ended });
        }
        memberships.sort_by_key(|m| (m.ended.is_some(), m.id));

        let (legal_representative_of, legal_representative) = match &subject {
            Subject::Person(_) => {
                let mut of = Vec::new();
                for o in self.linked::<Organisation>(id, &["legal_representative"])? {
                    of.push(self.remember(party_of_organisation(&o)));
                }
                (of, None)
            }
            Subject::Organisation(o) => {
                let rep = match o.legal_representative {
                    Some(person) => Some(self.party(RecordKind::Person, person)?),
                    None => None,
                };
                (vec![], rep)
            }
        };
        if let Subject::Organisation(o) = &subject {
            self.remember(party_of_organisation(o));
        }

        let today = self.now.date();
        let granted_field = match &subject {
            Subject::Person(_) => "grantee",
            Subject::Organisation(_) => "organisation",
        };
        let mut authorisations = Vec::new();
        for a in self.linked::<Authorisation>(id, &[granted_field])? {
            authorisations.push(AuthorisationLine {
                id: a.id,
                organisation: self.party(RecordKind::Organisation, a.organisation)?,
                grantee: self.party(RecordKind::Person, a.grantee)?,
                granted_by: self.party(RecordKind::Person, a.granted_by)?,
                object: a.object,
                valid_from: a.valid_from,
                valid_until: a.valid_until,
                status: a.status,
                in_force: a.in_force_on(today),
            });
        }
        authorisations.sort_by_key(|a| (std::cmp::Reverse(a.valid_until), a.id));

        let mut seals = match &subject {
            Subject::Organisation(_) => self.linked::<Seal>(id, &["organisation"])?,
            Subject::Person(_) => vec![],
        };
        seals.sort_by_key(|s| s.id);

        let mut certificates = Vec::new();
        for c in self.linked::<Certificate>(id, &[holder])? {
            certificates.push(CertificateLine {
                id: c.id,
                class: c.class,
                holder_kind: c.holder_kind,
                serial: c.serial.clone(),
                status: c.status,
                not_after: c.not_after,
                days_to_expiry: c.days_left(self.now),
                renewal_due: is_renewal_due(&c, self.now, RENEWAL_WINDOW_DAYS),
                holder_person: match c.holder_person {
                    Some(p) => Some(self.party(RecordKind::Person, p)?),
                    None => None,
                },
                holder_organisation: match c.holder_organisation {
                    Some(o) => Some(self.party(RecordKind::Organisation, o)?),
                    None => None,
                },
                token: c.token,
            });
        }
        certificates.sort_by_key(|c| (c.not_after.is_some(), std::cmp::Reverse(c.not_after), c.id));

        let mut tokens: Vec<TokenLine> = self
            .linked::<Token>(id, &[holder])?
            .into_iter()
            .map(|t| TokenLine { id: t.id, serial: t.serial, model: t.model, status: t.status })
            .collect();
        tokens.sort_by(|a, b| (&a.serial, a.id).cmp(&(&b.serial, b.id)));

        let mut applications = Vec::new();
        let roles: &[&'static str] = match &subject {
            Subject::Person(_) => &["applicant", "agent"],
            Subject::Organisation(_) => &["organisation"],
        };
        let mut roles_by_id: BTreeMap<RecordId, &'static str> = BTreeMap::new();
        for link in self.store.linked_from(id, RecordKind::Application)? {
            if let Some(role) = roles.iter().find(|r| **r == link.field) {
                let kept = roles_by_id.entry(link.from_id).or_insert(role);
                // The first role in `roles` order names the relation.
                if roles.iter().position(|r| r == role) < roles.iter().position(|r| r == kept) {
                    *kept = role;
                }
            }
        }
        for (app_id, role) in roles_by_id {
            match self.store.get_with_updated::<Application>(app_id) {
                Ok(Some((app, updated))) => applications.push(ApplicationLine {
                    id: app.id,
                    reference: app.reference,
                    service: app.service,
                    state: app.progress.state,
                    updated,
                    role,
                    documents: app.documents,
                }),
                Ok(None) => {}
                Err(StoreError::Json(_)) => not_whole(RecordKind::Application, app_id),
                Err(e) => return Err(e),
            }
        }
        applications.sort_by_key(|a| (std::cmp::Reverse(a.updated), a.id));

        let subjects: Vec<RecordId> = std::iter::once(id)
            .chain(memberships.iter().map(|m| m.id))
            .chain(authorisations.iter().map(|a| a.id))
            .chain(seals.iter().map(|s| s.id))
            .chain(certificates.iter().map(|c| c.id))
            .chain(tokens.iter().map(|t| t.id))
            .chain(applications.iter().map(|a| a.id))
            .collect();
        let mut events = self.store.audit_trail(&subjects, TIMELINE_LIMIT + 1)?;
        let timeline_more = events.len() > TIMELINE_LIMIT;
        events.truncate(TIMELINE_LIMIT);
        let timeline = self.timeline(events)?;

        Ok(Some(SubscriberFile {
            subject,
            memberships,
            legal_representative_of,
            legal_representative,
            authorisations,
            seals,
            certificates,
            tokens,
            applications,
            timeline,
            timeline_more,
        }))
    }

    /// The records of kind `R` that name `id` in one of `fields`, each once.
    fn linked<R: Record>(&self, id: RecordId, fields: &[&str]) -> Result<Vec<R>, StoreError> {
        let ids: BTreeSet<RecordId> = self
            .store
            .linked_from(id, R::KIND)?
            .into_iter()
            .filter(|link| fields.contains(&link.field))
            .map(|link| link.from_id)
            .collect();
        let mut records = Vec::with_capacity(ids.len());
        for id in ids {
            records.extend(self.fetch::<R>(id)?);
        }
        Ok(records)
    }

    /// A record, or `None` when it is missing or not yet whole (a replicated record waiting for
    /// its creation is left off, as lists and search leave it out).
    fn fetch<R: Record>(&self, id: RecordId) -> Result<Option<R>, StoreError> {
        match self.store.get::<R>(id) {
            Err(StoreError::Json(_)) => {
                not_whole(R::KIND, id);
                Ok(None)
            }
            other => other,
        }
    }

    fn remember(&mut self, party: Party) -> Party {
        self.parties.insert(party.id, party.clone());
        party
    }

    fn party(&mut self, kind: RecordKind, id: RecordId) -> Result<Party, StoreError> {
        if let Some(party) = self.parties.get(&id) {
            return Ok(party.clone());
        }
        let party = match kind {
            RecordKind::Person => self.fetch::<Person>(id)?.map(|p| Party {
                id,
                kind,
                name_zh: p.name_zh,
                name_latin: p.name_latin,
            }),
            RecordKind::Organisation => {
                self.fetch::<Organisation>(id)?.map(|o| party_of_organisation(&o))
            }
            _ => None,
        };
        Ok(self.remember(party.unwrap_or(Party { id, kind, name_zh: None, name_latin: None })))
    }

    fn timeline(&self, events: Vec<AuditEvent>) -> Result<Vec<TimelineEntry>, StoreError> {
        let mut clerks: BTreeMap<RecordId, ClerkName> = BTreeMap::new();
        for clerk in events.iter().filter_map(|e| e.clerk).collect::<BTreeSet<_>>() {
            let name = match self.fetch::<Clerk>(clerk)? {
                Some(c) => {
                    ClerkName { id: clerk, username: c.username, display_name: c.display_name }
                }
                None => {
                    ClerkName { id: clerk, username: String::new(), display_name: String::new() }
                }
            };
            clerks.insert(clerk, name);
        }
        Ok(events
            .into_iter()
            .map(|e| TimelineEntry {
                id: e.id,
                at: e.at,
                kiosk: e.kiosk,
                clerk: e.clerk.and_then(|c| clerks.get(&c).cloned()),
                action: e.action,
                subject_kind: e.subject_kind,
                subject: e.subject,
            })
            .collect())
    }
}

fn party_of_organisation(o: &Organisation) -> Party {
    Party {
        id: o.id,
        kind: RecordKind::Organisation,
        name_zh: o.name_zh.clone(),
        name_latin: o.name_latin.clone(),
    }
}

fn not_whole(kind: RecordKind, id: RecordId) {
    tracing::warn!(%id, %kind, "record not yet whole; left off the subscriber file");
}

#[cfg(test)]
mod tests {
    use registry::application::ApplicationAction;
    use registry::model::{
        CertificateStatus, IdDocument, IdDocumentKind, OrganisationRegistration, RegistrationKind,
        SealKind, SealStatus, Sensitive, StaffRole, SubjectDn,
    };
    use store::StoreOptions;
    use time::macros::{date, datetime};
    use ulid::Ulid;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-11-21 10:00 +8);

    fn store() -> Store {
        Store::open_in_memory(StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) })
            .expect("store")
    }

    fn person(zh: &str, latin: &str, number: &str) -> Person {
        Person {
            id: Ulid::new(),
            name_zh: Some(zh.into()),
            name_latin: Some(latin.into()),
            id_document: IdDocument {
                kind: IdDocumentKind::Passport,
                number: Sensitive::new(number),
                issuing_state: Some("PRT".into()),
                expiry: None,
            },
            nationality: Some("MAC".into()),
            birth_date: None,
            sex: None,
            phone: None,
            email: None,
            photo: None,
        }
    }

    fn certificate(holder: &Person, org: Option<&Organisation>, days: i64) -> Certificate {
        Certificate {
            id: Ulid::new(),
            class: CertificateClass::Qualified,
            holder_kind: if org.is_some() {
                HolderKind::PersonInOrganisation
            } else {
                HolderKind::Person
            },
            subject: SubjectDn {
                cn: "CHAN TAI MAN".into(),
                o: org.and_then(|o| o.name_latin.clone()),
                c: Some("MO".into()),
                ..Default::default()
            },
            serial: Some(format!("{:x}", Ulid::new().0)),
            not_before: Some(NOW - time::Duration::days(365)),
            not_after: Some(NOW + time::Duration::days(days)),
            validity_years: 1,
            status: CertificateStatus::Valid,
            holder_person: Some(holder.id),
            holder_organisation: org.map(|o| o.id),
            token: None,
            renewal_confirmed: true,
            revocation_phrase: None,
            revocation: None,
            issuance: None,
        }
    }

    struct Office {
        chan: Person,
        lei: Person,
        org: Organisation,
        clerk: Clerk,
        personal: Certificate,
        work: Certificate,
        token: Token,
        seal: Seal,
        app: Application,
    }

    fn office(store: &mut Store) -> Office {
        let chan = person("陳大文", "CHAN TAI MAN", "P1234567");
        let lei = person("李小明", "LEI SIO MENG", "P7654321");
        let org = Organisation {
            id: Ulid::new(),
            name_zh: Some("澳門貿易行".into()),
            name_latin: Some("ABC Trading".into()),
            registration: OrganisationRegistration {
                kind: RegistrationKind::MacauCommercialRegistry,
                number: "SO12345".into(),
            },
            legal_representative: Some(chan.id),
            licence_valid_until: None,
            address: None,
            phone: None,
            website: None,
        };
        let clerk = Clerk {
            id: Ulid::new(),
            username: "wong".into(),
            display_name: "黃職員".into(),
            role: StaffRole::Clerk,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
            active: true,
            totp_secret: None,
            totp_period: registry::totp::DEFAULT_PERIOD,
        };
        let token = Token {
            id: Ulid::new(),
            serial: "EK0001".into(),
            model: Some("ePass3003".into()),
            status: TokenStatus::Issued,
            holder_person: Some(chan.id),
            holder_organisation: None,
            pin_failures: 0,
        };
        let mut personal = certificate(&chan, None, 20);
        personal.token = Some(token.id);
        let work = certificate(&chan, Some(&org), 200);
        let seal = Seal {
            id: Ulid::new(),
            organisation: org.id,
            seal_kind: SealKind::Organisation,
            name: "機構印章".into(),
            certificate: Some(work.id),
            status: SealStatus::Active,
        };
        let memberships = [
            Membership {
                id: Ulid::new(),
                organisation: org.id,
                person: chan.id,
                role: MemberRole::LegalRepresentative,
                ended: None,
            },
            Membership {
                id: Ulid::new(),
                organisation: org.id,
                person: lei.id,
                role: MemberRole::Employee,
                ended: None,
            },
        ];
        let authorisation = Authorisation {
            id: Ulid::new(),
            organisation: org.id,
            grantee: lei.id,
            granted_by: chan.id,
            object: AuthorisedObject::Seal(seal.id),
            valid_from: date!(2026 - 01 - 01),
            valid_until: date!(2027 - 12 - 31),
            status: AuthorisationStatus::Active,
        };
        let mut app = Application::draft(
            Ulid::new(),
            Service::Renewal,
            chan.id,
            HolderKind::Person,
            CertificateClass::Qualified,
            NOW,
        );
        app.certificates = vec![personal.id];
        app.documents = vec![DocumentKind::SignedApplicationForm, DocumentKind::ApplicantId];
        app.consent_given = true;
        app.agreement_accepted = true;
        let issued = AuditEvent {
            id: Ulid::new(),
            at: NOW - time::Duration::days(365),
            kiosk: "K0".into(),
            clerk: Some(clerk.id),
            action: AuditAction::CertificateIssued {
                profile: "qualified-person".into(),
                medium: "token".into(),
            },
            subject_kind: Some(RecordKind::Certificate),
            subject: Some(personal.id),
        };
        let unrelated = AuditEvent {
            id: Ulid::new(),
            at: NOW,
            kiosk: "K1".into(),
            clerk: None,
            action: AuditAction::RecordCreated,
            subject_kind: Some(RecordKind::Person),
            subject: Some(lei.id),
        };
        store
            .write(None, |w| {
                w.put(&chan)?;
                w.put(&lei)?;
                w.put(&org)?;
                w.put(&clerk)?;
                w.put(&token)?;
                w.put(&personal)?;
                w.put(&work)?;
                w.put(&seal)?;
                for m in &memberships {
                    w.put(m)?;
                }
                w.put(&authorisation)?;
                w.put(&app)?;
                w.put(&issued)?;
                w.put(&unrelated)?;
                Ok(())
            })
            .expect("office");
        let app = store
            .write(Some(clerk.id), |w| {
                w.transition(app.id, ApplicationAction::Submit { organisation: None }, clerk.id)
            })
            .expect("submit");
        Office { chan, lei, org, clerk, personal, work, token, seal, app }
    }

    fn names(party: &Party) -> (Option<&str>, Option<&str>) {
        (party.name_zh.as_deref(), party.name_latin.as_deref())
    }

    #[test]
    fn a_persons_file_holds_their_organisations_certificates_tokens_applications_and_history() {
        let mut store = store();
        let o = office(&mut store);
        let file = load(&store, RecordKind::Person, o.chan.id, NOW).expect("load").expect("found");
        assert_eq!(file.id(), o.chan.id);
        assert!(matches!(&file.subject, Subject::Person(p) if p == &o.chan));

        assert_eq!(file.memberships.len(), 1);
        assert_eq!(file.memberships[0].role, MemberRole::LegalRepresentative);
        assert_eq!(names(&file.memberships[0].party), (Some("澳門貿易行"), Some("ABC Trading")));
        assert_eq!(
            file.legal_representative_of.iter().map(|p| p.id).collect::<Vec<_>>(),
            [o.org.id]
        );
        assert!(file.authorisations.is_empty(), "granted by them, not to them");
        assert!(file.seals.is_empty());

        let serials: Vec<_> = file.certificates.iter().map(|c| c.id).collect();
        assert_eq!(serials, [o.work.id, o.personal.id], "the latest expiry first");
        let personal = &file.certificates[1];
        assert_eq!(personal.days_to_expiry, Some(20));
        assert!(personal.renewal_due);
        assert_eq!(personal.token, Some(o.token.id));
        assert_eq!(file.certificates[0].days_to_expiry, Some(200));
        assert!(!file.certificates[0].renewal_due);
        let holder = file.certificates[0].holder_organisation.as_ref().expect("organisation");
        assert_eq!(names(holder), (Some("澳門貿易行"), Some("ABC Trading")));

        assert_eq!(file.tokens.len(), 1);
        assert_eq!(
            (file.tokens[0].serial.as_str(), file.tokens[0].status),
            ("EK0001", TokenStatus::Issued)
        );

        assert_eq!(file.applications.len(), 1);
        let app = &file.applications[0];
        assert_eq!(
            (app.id, app.state, app.role),
            (o.app.id, ApplicationState::UnderReview, "applicant")
        );
        assert_eq!(app.reference, o.app.reference);
        assert_eq!(app.updated, NOW);
        assert_eq!(app.documents, [DocumentKind::SignedApplicationForm, DocumentKind::ApplicantId]);

        // The submission (about the application) and the issuance (about the certificate),
        // newest first; another person's history is not theirs.
        let actions: Vec<_> = file.timeline.iter().map(|t| &t.action).collect();
        assert!(matches!(actions[0], AuditAction::ApplicationTransition { .. }), "{actions:?}");
        assert!(matches!(actions[1], AuditAction::CertificateIssued { .. }), "{actions:?}");
        assert_eq!(file.timeline.len(), 2);
        assert!(!file.timeline_more);
        let clerk = file.timeline[1].clerk.as_ref().expect("clerk");
        assert_eq!((clerk.username.as_str(), clerk.display_name.as_str()), ("wong", "黃職員"));
        assert_eq!(file.timeline[1].kiosk, "K0");
        assert_eq!(file.timeline[1].subject, Some(o.personal.id));
    }

    #[test]
    fn an_organisations_file_holds_its_members_representative_authorisations_and_seals() {
        let mut store = store();
        let o = office(&mut store);
        let file =
            load(&store, RecordKind::Organisation, o.org.id, NOW).expect("load").expect("found");
        assert_eq!(file.kind(), RecordKind::Organisation);
        let mut members: Vec<_> =
            file.memberships.iter().map(|m| (names(&m.party).0, m.role)).collect();
        members.sort_by_key(|(name, _)| *name);
        assert_eq!(
            members,
            [
                (Some("李小明"), MemberRole::Employee),
                (Some("陳大文"), MemberRole::LegalRepresentative)
            ]
        );
        assert_eq!(file.legal_representative.as_ref().map(|p| p.id), Some(o.chan.id));
        assert_eq!(file.authorisations.len(), 1);
        let a = &file.authorisations[0];
        assert_eq!((a.grantee.id, a.granted_by.id), (o.lei.id, o.chan.id));
        assert_eq!(names(&a.grantee), (Some("李小明"), Some("LEI SIO MENG")));
        assert!(a.in_force);
        assert_eq!(a.object, AuthorisedObject::Seal(o.seal.id));
        assert_eq!(file.seals, std::slice::from_ref(&o.seal));
        assert_eq!(file.certificates.iter().map(|c| c.id).collect::<Vec<_>>(), [o.work.id]);
        let holder = file.certificates[0].holder_person.as_ref().expect("holder");
        assert_eq!(names(holder), (Some("陳大文"), Some("CHAN TAI MAN")));
        assert!(file.tokens.is_empty());
        assert!(file.applications.is_empty());
        assert!(file.timeline.is_empty());
    }

    #[test]
    fn an_unknown_id_or_a_kind_that_is_not_a_subscriber_has_no_file() {
        let mut store = store();
        let o = office(&mut store);
        assert_eq!(load(&store, RecordKind::Person, Ulid::new(), NOW).expect("load"), None);
        assert_eq!(load(&store, RecordKind::Organisation, o.chan.id, NOW).expect("load"), None);
        assert_eq!(load(&store, RecordKind::Clerk, o.clerk.id, NOW).expect("load"), None);
    }

    #[test]
    fn a_certificate_given_another_holder_moves_to_their_file() {
        let mut store = store();
        let o = office(&mut store);
        let mut moved = o.personal.clone();
        moved.holder_person = Some(o.lei.id);
        store.write(None, |w| w.edit(&o.personal, &moved)).expect("edit");
        let certificates = |id| {
            let file = load(&store, RecordKind::Person, id, NOW).expect("load").expect("found");
            file.certificates.iter().map(|c| c.id).collect::<Vec<_>>()
        };
        assert_eq!(certificates(o.chan.id), [o.work.id]);
        assert_eq!(certificates(o.lei.id), [o.personal.id]);
        // Its history goes with it.
        let lei = load(&store, RecordKind::Person, o.lei.id, NOW).expect("load").expect("found");
        assert!(lei.timeline.iter().any(|t| t.subject == Some(o.personal.id)));
    }

    #[test]
    fn the_timeline_shows_the_newest_and_says_there_is_more() {
        let mut store = store();
        let o = office(&mut store);
        store
            .write(None, |w| {
                for minute in 0..TIMELINE_LIMIT as i64 + 5 {
                    w.put(&AuditEvent {
                        id: Ulid::new(),
                        at: NOW - time::Duration::minutes(minute),
                        kiosk: "K1".into(),
                        clerk: Some(o.clerk.id),
                        action: AuditAction::TokenPinChanged,
                        subject_kind: Some(RecordKind::Token),
                        subject: Some(o.token.id),
                    })?;
                }
                Ok(())
            })
            .expect("history");
        let file = load(&store, RecordKind::Person, o.chan.id, NOW).expect("load").expect("found");
        assert_eq!(file.timeline.len(), TIMELINE_LIMIT);
        assert!(file.timeline_more);
        assert!(file.timeline.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
        assert_eq!(file.timeline[0].at, NOW);
    }

    #[test]
    fn debug_output_holds_no_names() {
        let mut store = store();
        let o = office(&mut store);
        let file = load(&store, RecordKind::Person, o.chan.id, NOW).expect("load").expect("found");
        let debug = format!("{file:?}");
        for name in ["陳大文", "CHAN TAI MAN", "李小明", "黃職員", "P1234567"] {
            assert!(!debug.contains(name), "{name} in {debug}");
        }
    }
}
