//! An organisation's members and their authorisations, store side: the members screen reads
//! them here ([`load`]) and does each action here ([`apply`]). The rules are
//! `registry::members`'; this module reads the organisation's records through the links index
//! (never a scan), checks the rule against them inside the write transaction that applies it,
//! so two processes sharing a store cannot both hand over the administrator, and writes one
//! audit event per action through `Writer::audit`, refusals included.

use std::collections::BTreeMap;

use registry::audit::AuditAction;
use registry::members::{MembersRefused, Roster, years_of};
use registry::model::{
    Authorisation, AuthorisationStatus, AuthorisedObject, Certificate, CertificateClass,
    MemberRole, Membership, Organisation, Person, Record, RecordId, RecordKind, Seal, SealKind,
};
use store::{Link, Store, StoreError, Writer};
use time::OffsetDateTime;

use crate::subscriber_file::Party;

/// What the members screen shows of an organisation, read in one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct MembersView {
    pub organisation: Party,
    /// Current members first (the administrator, the legal representative, then employees),
    /// then people who left but still have authorisations on record.
    pub members: Vec<MemberLine>,
    /// The certificates and seals an employee may be given today, as the forms offer them.
    pub objects: Vec<ObjectLine>,
}

/// One person of the organisation and what they were given.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberLine {
    pub person: Party,
    /// Their current roles; none for a person who left.
    pub roles: Vec<MemberRole>,
    /// Not ended first, the latest end first.
    pub authorisations: Vec<AuthorisationLine>,
}

impl MemberLine {
    pub fn is(&self, role: MemberRole) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthorisationLine {
    pub authorisation: Authorisation,
    pub object: ObjectLine,
    /// Its length in whole years (`registry::members::years_of`).
    pub years: u8,
    /// Active and within its dates today.
    pub in_force: bool,
}

/// A certificate or seal, with what names it on screen.
#[derive(Clone, PartialEq, Eq)]
pub struct ObjectLine {
    pub object: AuthorisedObject,
    pub label: ObjectLabel,
}

#[derive(Clone, PartialEq, Eq)]
pub enum ObjectLabel {
    Certificate {
        class: CertificateClass,
        serial: Option<String>,
    },
    /// A seal's name can be its legal representative's: kept out of `Debug`.
    Seal {
        kind: SealKind,
        name: String,
    },
    /// Not (yet) in this store.
    Unknown,
}

impl std::fmt::Debug for ObjectLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectLine")
            .field("object", &self.object)
            .field("label", &self.label)
            .finish()
    }
}

impl std::fmt::Debug for ObjectLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ObjectLabel::Certificate { class, serial } => {
                f.debug_struct("Certificate").field("class", class).field("serial", serial).finish()
            }
            ObjectLabel::Seal { kind, .. } => {
                f.debug_struct("Seal").field("kind", kind).finish_non_exhaustive()
            }
            ObjectLabel::Unknown => f.write_str("Unknown"),
        }
    }
}

/// One action of the members screen. Each names the organisation whose screen sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MembersOp {
    Grant {
        organisation: RecordId,
        grantee: RecordId,
        object: AuthorisedObject,
        years: u8,
    },
    Change {
        organisation: RecordId,
        authorisation: RecordId,
        object: AuthorisedObject,
        years: u8,
    },
    Withdraw {
        organisation: RecordId,
        authorisation: RecordId,
    },
    Restore {
        organisation: RecordId,
        authorisation: RecordId,
    },
    End {
        organisation: RecordId,
        authorisation: RecordId,
    },
    /// `letter_collected`: the clerk holds the signed transfer letter.
    TransferAdministrator {
        organisation: RecordId,
        to: RecordId,
        letter_collected: bool,
    },
}

impl MembersOp {
    pub fn organisation(&self) -> RecordId {
        match self {
            MembersOp::Grant { organisation, .. }
            | MembersOp::Change { organisation, .. }
            | MembersOp::Withdraw { organisation, .. }
            | MembersOp::Restore { organisation, .. }
            | MembersOp::End { organisation, .. }
            | MembersOp::TransferAdministrator { organisation, .. } => *organisation,
        }
    }

    /// The action's name, for the audit trail and the log.
    pub fn name(&self) -> &'static str {
        match self {
            MembersOp::Grant { .. } => "grant",
            MembersOp::Change { .. } => "change",
            MembersOp::Withdraw { .. } => "withdraw",
            MembersOp::Restore { .. } => "restore",
            MembersOp::End { .. } => "end",
            MembersOp::TransferAdministrator { .. } => "transfer_administrator",
        }
    }

    fn authorisation(&self) -> Option<RecordId> {
        match self {
            MembersOp::Change { authorisation, .. }
            | MembersOp::Withdraw { authorisation, .. }
            | MembersOp::Restore { authorisation, .. }
            | MembersOp::End { authorisation, .. } => Some(*authorisation),
            _ => None,
        }
    }
}

/// Why an action did not go through, typed until it is drawn.
#[derive(Debug, thiserror::Error)]
pub enum MembersError {
    /// The organisation, or the authorisation acted on, is not in this store.
    #[error("not in this store")]
    NotFound,
    #[error(transparent)]
    Refused(MembersRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MembersError {
    /// The message id of a refusal or a missing record; `None` for a store failure, which the
    /// screen words as every other store failure.
    pub fn message_id(&self) -> Option<&'static str> {
        match self {
            MembersError::NotFound => Some("members-not-found"),
            MembersError::Refused(r) => Some(r.message_id()),
            MembersError::Store(_) => None,
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            MembersError::Refused(r) => r.message_args(),
            _ => Vec::new(),
        }
    }
}

/// The message ids this module produces besides the rules' own (checked in every language by
/// the i18n crate's tests).
pub const ALL_MESSAGE_IDS: &[&str] = &["members-not-found"];

/// The organisation `organisation`'s members screen at `now` (the office's time), or `None`
/// when the store has no such organisation.
pub fn load(
    store: &Store,
    organisation: RecordId,
    now: OffsetDateTime,
) -> Result<Option<MembersView>, StoreError> {
    store.snapshot(|store| {
        let Some(org) = fetch::<Organisation, _>(store, organisation)? else { return Ok(None) };
        let roster = roster(store, organisation)?;
        view(store, &org, &roster, now).map(Some)
    })
}

/// Does `op` as `clerk` at `now`: checks its rule against the organisation's records as this
/// write sees them, writes the changed records and one audit event in one transaction, and
/// answers the screen as it now stands. A refused action changes nothing and is audited as
/// refused, with the message the clerk reads.
pub fn apply(
    store: &mut Store,
    clerk: Option<RecordId>,
    op: MembersOp,
    now: OffsetDateTime,
) -> Result<MembersView, MembersError> {
    let organisation = op.organisation();
    let outcome = store.write(clerk, |w| {
        if fetch::<Organisation, _>(&*w, organisation)?.is_none() {
            return Ok(Err(MembersError::NotFound));
        }
        let roster = roster(&*w, organisation)?;
        Ok(match decide(&*w, &roster, &op, now)? {
            Ok(writes) => writes.write(w).map(Ok)?,
            Err(e) => Err(e),
        })
    })?;
    if let Err(error) = outcome {
        if let MembersError::Refused(refused) = &error {
            let subject = match op.authorisation() {
                Some(id) => (RecordKind::Authorisation, id),
                None => (RecordKind::Organisation, organisation),
            };
            let action = AuditAction::MembersActionRefused {
                action: op.name().to_owned(),
                message: refused.message_id().to_owned(),
            };
            if let Err(e) = store.write(clerk, |w| w.audit(action, Some(subject))) {
                tracing::warn!(category = e.category(), "a refused members action was not audited");
            }
        }
        tracing::info!(action = op.name(), message = error.message_id(), "members action refused");
        return Err(error);
    }
    load(store, organisation, now)?.ok_or(MembersError::NotFound)
}

/// What an action writes: the records, and its audit event about one of them.
struct Writes {
    records: Vec<Change>,
    audit: AuditAction,
    subject: (RecordKind, RecordId),
}

enum Change {
    Authorisation(Authorisation),
    Membership(Membership),
}

impl Writes {
    fn write(self, w: &mut Writer<'_>) -> Result<(), StoreError> {
        for record in &self.records {
            match record {
                Change::Authorisation(a) => w.put(a)?,
                Change::Membership(m) => w.put(m)?,
            };
        }
        w.audit(self.audit, Some(self.subject))?;
        Ok(())
    }
}

/// The rule for `op`, applied to the records as they stand.
fn decide(
    records: &Writer<'_>,
    roster: &Roster,
    op: &MembersOp,
    now: OffsetDateTime,
) -> Result<Result<Writes, MembersError>, StoreError> {
    let refused = |r| Ok(Err(MembersError::Refused(r)));
    let authorisation = match op.authorisation() {
        Some(id) => match fetch::<Authorisation, _>(records, id)? {
            Some(a) => Some(a),
            None => return Ok(Err(MembersError::NotFound)),
        },
        None => None,
    };
    let about = |a: &Authorisation| (RecordKind::Authorisation, a.id);
    let one = |a: Authorisation, audit: AuditAction| Writes {
        subject: about(&a),
        records: vec![Change::Authorisation(a)],
        audit,
    };
    let changed = match (op, &authorisation) {
        (MembersOp::Grant { grantee, object, years, .. }, _) => {
            match roster.grant(ulid::Ulid::new(), *grantee, *object, *years, now) {
                Ok(a) => one(a, AuditAction::AuthorisationGranted { years: *years }),
                Err(r) => return refused(r),
            }
        }
        (MembersOp::Change { object, years, .. }, Some(before)) => {
            match roster.change(before, *object, *years, now) {
                Ok(a) => one(a, AuditAction::AuthorisationChanged { years: *years }),
                Err(r) => return refused(r),
            }
        }
        (MembersOp::Withdraw { .. }, Some(before)) => match roster.withdraw(before) {
            Ok(a) => one(a, AuditAction::AuthorisationWithdrawn),
            Err(r) => return refused(r),
        },
        (MembersOp::Restore { .. }, Some(before)) => match roster.restore(before) {
            Ok(a) => one(a, AuditAction::AuthorisationRestored),
            Err(r) => return refused(r),
        },
        (MembersOp::End { .. }, Some(before)) => match roster.end(before) {
            Ok(a) => one(a, AuditAction::AuthorisationEnded),
            Err(r) => return refused(r),
        },
        (MembersOp::TransferAdministrator { to, letter_collected, .. }, _) => {
            let transfer =
                match roster.transfer_administrator(ulid::Ulid::new(), *to, *letter_collected, now)
                {
                    Ok(t) => t,
                    Err(r) => return refused(r),
                };
            let previous = transfer.ended.iter().map(|m| m.id).collect();
            let subject = (RecordKind::Membership, transfer.appointed.id);
            let mut records: Vec<Change> =
                transfer.ended.into_iter().map(Change::Membership).collect();
            records.push(Change::Membership(transfer.appointed));
            Writes {
                records,
                audit: AuditAction::AdministratorTransferred {
                    previous,
                    letter_collected_on: now.date(),
                },
                subject,
            }
        }
        // Every action on an authorisation read it above.
        (_, None) => return Ok(Err(MembersError::NotFound)),
    };
    Ok(Ok(changed))
}

/// Reading records either from a snapshot or inside a write.
trait Records {
    fn linked(&self, id: RecordId, kind: RecordKind) -> Result<Vec<Link>, StoreError>;
    fn get_record<R: Record>(&self, id: RecordId) -> Result<Option<R>, StoreError>;
}

impl Records for Store {
    fn linked(&self, id: RecordId, kind: RecordKind) -> Result<Vec<Link>, StoreError> {
        self.linked_from(id, kind)
    }

    fn get_record<R: Record>(&self, id: RecordId) -> Result<Option<R>, StoreError> {
        self.get(id)
    }
}

impl Records for Writer<'_> {
    fn linked(&self, id: RecordId, kind: RecordKind) -> Result<Vec<Link>, StoreError> {
        self.linked_from(id, kind)
    }

    fn get_record<R: Record>(&self, id: RecordId) -> Result<Option<R>, StoreError> {
        self.get(id)
    }
}

/// A record, or `None` when it is missing or not yet whole (a replicated edit waiting for its
/// creation is left out, as the subscriber file leaves it out).
fn fetch<R: Record, S: Records + ?Sized>(s: &S, id: RecordId) -> Result<Option<R>, StoreError> {
    match s.get_record::<R>(id) {
        Err(StoreError::Json(_)) => {
            tracing::warn!(%id, kind = %R::KIND, "record not yet whole; left off the members screen");
            Ok(None)
        }
        other => other,
    }
}

/// The records of kind `R` that name `id` in `field`, from the links index.
fn linked<R: Record, S: Records + ?Sized>(
    s: &S,
    id: RecordId,
    field: &str,
) -> Result<Vec<R>, StoreError> {
    let mut ids: Vec<RecordId> = s
        .linked(id, R::KIND)?
        .into_iter()
        .filter(|link| link.field == field)
        .map(|link| link.from_id)
        .collect();
    ids.dedup();
    let mut records = Vec::with_capacity(ids.len());
    for id in ids {
        records.extend(fetch::<R, S>(s, id)?);
    }
    Ok(records)
}

fn roster<S: Records + ?Sized>(s: &S, organisation: RecordId) -> Result<Roster, StoreError> {
    Ok(Roster {
        organisation,
        memberships: linked(s, organisation, "organisation")?,
        authorisations: linked(s, organisation, "organisation")?,
        certificates: linked(s, organisation, "holder_organisation")?,
        seals: linked(s, organisation, "organisation")?,
    })
}

fn role_rank(role: MemberRole) -> u8 {
    match role {
        MemberRole::Administrator => 0,
        MemberRole::LegalRepresentative => 1,
        MemberRole::Employee => 2,
    }
}

fn status_rank(status: AuthorisationStatus) -> u8 {
    match status {
        AuthorisationStatus::Active => 0,
        AuthorisationStatus::Withdrawn => 1,
        AuthorisationStatus::Cancelled => 2,
    }
}

fn view(
    store: &Store,
    org: &Organisation,
    roster: &Roster,
    now: OffsetDateTime,
) -> Result<MembersView, StoreError> {
    let today = now.date();
    // Everyone with a membership or an authorisation, once.
    let mut people: BTreeMap<RecordId, Vec<MemberRole>> = BTreeMap::new();
    for m in &roster.memberships {
        let roles = people.entry(m.person).or_default();
        if m.ended.is_none() && !roles.contains(&m.role) {
            roles.push(m.role);
        }
    }
    for a in &roster.authorisations {
        people.entry(a.grantee).or_default();
    }
    let objects: Vec<ObjectLine> = roster
        .certificates
        .iter()
        .map(certificate_line)
        .chain(roster.seals.iter().map(seal_line))
        .collect();
    let object_line = |object: AuthorisedObject| {
        objects
            .iter()
            .find(|o| o.object == object)
            .cloned()
            .unwrap_or(ObjectLine { object, label: ObjectLabel::Unknown })
    };
    let mut members = Vec::with_capacity(people.len());
    for (person, mut roles) in people {
        roles.sort_by_key(|r| role_rank(*r));
        let mut authorisations: Vec<AuthorisationLine> = roster
            .authorisations
            .iter()
            .filter(|a| a.grantee == person)
            .map(|a| AuthorisationLine {
                authorisation: a.clone(),
                object: object_line(a.object),
                years: years_of(a),
                in_force: a.in_force_on(today),
            })
            .collect();
        authorisations.sort_by_key(|l| {
            let a = &l.authorisation;
            (status_rank(a.status), std::cmp::Reverse(a.valid_until), a.id)
        });
        let names = fetch::<Person, _>(store, person)?;
        members.push(MemberLine {
            person: Party {
                id: person,
                kind: RecordKind::Person,
                name_zh: names.as_ref().and_then(|p| p.name_zh.clone()),
                name_latin: names.and_then(|p| p.name_latin),
            },
            roles,
            authorisations,
        });
    }
    members.sort_by_key(|m| {
        let rank = m.roles.iter().map(|r| role_rank(*r)).min().unwrap_or(u8::MAX);
        (rank, m.person.name_latin.clone(), m.person.id)
    });
    Ok(MembersView {
        organisation: Party {
            id: org.id,
            kind: RecordKind::Organisation,
            name_zh: org.name_zh.clone(),
            name_latin: org.name_latin.clone(),
        },
        members,
        objects: roster.usable_objects(now).into_iter().map(object_line).collect(),
    })
}

fn certificate_line(c: &Certificate) -> ObjectLine {
    ObjectLine {
        object: AuthorisedObject::Certificate(c.id),
        label: ObjectLabel::Certificate { class: c.class, serial: c.serial.clone() },
    }
}

fn seal_line(s: &Seal) -> ObjectLine {
    ObjectLine {
        object: AuthorisedObject::Seal(s.id),
        label: ObjectLabel::Seal { kind: s.seal_kind, name: s.name.clone() },
    }
}

#[cfg(test)]
mod tests {
    use registry::model::{
        CertificateStatus, HolderKind, IdDocument, IdDocumentKind, OrganisationRegistration,
        RegistrationKind, SealStatus, Sensitive, SubjectDn,
    };
    use store::StoreOptions;
    use time::macros::{date, datetime};
    use ulid::Ulid;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-11-21 10:00 +8);

    fn open(dir: &std::path::Path) -> Store {
        let options = StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) };
        Store::open(&dir.join("kiosk.db"), options).expect("store")
    }

    fn person(zh: &str, latin: &str) -> Person {
        Person {
            id: Ulid::new(),
            name_zh: Some(zh.into()),
            name_latin: Some(latin.into()),
            id_document: IdDocument {
                kind: IdDocumentKind::Passport,
                number: Sensitive::new("P1234567"),
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

    struct Office {
        org: Organisation,
        admin: Person,
        e1: Person,
        e2: Person,
        admin_membership: RecordId,
        cert: Certificate,
        seal: Seal,
        granted: Authorisation,
        clerk: RecordId,
    }

    /// 澳門貿易行: an administrator, its legal representative, two employees, an organisation
    /// certificate and its seal, and the first employee already let use the certificate.
    fn office(store: &mut Store) -> Office {
        let admin = person("梁管理", "LEONG KUN LEI");
        let rep = person("陳大文", "CHAN TAI MAN");
        let e1 = person("李小明", "LEI SIO MENG");
        let e2 = person("黃美玲", "WONG MEI LENG");
        let org = Organisation {
            id: Ulid::new(),
            name_zh: Some("澳門貿易行".into()),
            name_latin: Some("ABC Trading".into()),
            registration: OrganisationRegistration {
                kind: RegistrationKind::MacauCommercialRegistry,
                number: "SO12345".into(),
            },
            legal_representative: Some(rep.id),
            licence_valid_until: None,
            address: None,
            phone: None,
            website: None,
        };
        let membership = |person: &Person, role| Membership {
            id: Ulid::new(),
            organisation: org.id,
            person: person.id,
            role,
            ended: None,
        };
        let memberships = [
            membership(&admin, MemberRole::Administrator),
            membership(&rep, MemberRole::LegalRepresentative),
            membership(&e1, MemberRole::Employee),
            membership(&e2, MemberRole::Employee),
        ];
        let cert = Certificate {
            id: Ulid::new(),
            class: CertificateClass::Qualified,
            holder_kind: HolderKind::Organisation,
            subject: SubjectDn { cn: "澳門貿易行".into(), ..Default::default() },
            serial: Some("4f2a19c3".into()),
            not_before: Some(NOW - time::Duration::days(30)),
            not_after: Some(NOW + time::Duration::days(700)),
            validity_years: 2,
            status: CertificateStatus::Valid,
            holder_person: None,
            holder_organisation: Some(org.id),
            token: None,
            renewal_confirmed: false,
            revocation_phrase: None,
            revocation: None,
            issuance: None,
        };
        let seal = Seal {
            id: Ulid::new(),
            organisation: org.id,
            seal_kind: SealKind::Organisation,
            name: "陳大文 法人章".into(),
            certificate: Some(cert.id),
            status: SealStatus::Active,
        };
        let granted = Authorisation {
            id: Ulid::new(),
            organisation: org.id,
            grantee: e1.id,
            granted_by: admin.id,
            object: AuthorisedObject::Certificate(cert.id),
            valid_from: date!(2026 - 01 - 01),
            valid_until: date!(2027 - 12 - 31),
            status: AuthorisationStatus::Active,
        };
        store
            .write(None, |w| {
                for p in [&admin, &rep, &e1, &e2] {
                    w.put(p)?;
                }
                w.put(&org)?;
                for m in &memberships {
                    w.put(m)?;
                }
                w.put(&cert)?;
                w.put(&seal)?;
                w.put(&granted)?;
                Ok(())
            })
            .expect("office");
        Office {
            org,
            admin,
            e1,
            e2,
            admin_membership: memberships[0].id,
            cert,
            seal,
            granted,
            clerk: Ulid::new(),
        }
    }

    fn roles(view: &MembersView) -> Vec<(Option<&str>, Vec<MemberRole>)> {
        view.members.iter().map(|m| (m.person.name_zh.as_deref(), m.roles.clone())).collect()
    }

    /// The audit actions about `subject`, oldest first, with the clerk who did them.
    fn audits(store: &Store, subject: RecordId) -> Vec<(AuditAction, Option<RecordId>)> {
        let mut events = store.audit_trail(&[subject], 100).expect("trail");
        events.reverse();
        events.into_iter().map(|e| (e.action, e.clerk)).collect()
    }

    fn only<T>(
        view: &MembersView,
        person: RecordId,
        f: impl Fn(&AuthorisationLine) -> T,
    ) -> Vec<T> {
        view.members
            .iter()
            .filter(|m| m.person.id == person)
            .flat_map(|m| m.authorisations.iter().map(&f))
            .collect()
    }

    #[test]
    fn the_screen_lists_members_their_roles_authorisations_and_what_may_be_given() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = open(dir.path());
        let o = office(&mut store);
        let view = load(&store, o.org.id, NOW).expect("load").expect("found");
        assert_eq!(view.organisation.name_zh.as_deref(), Some("澳門貿易行"));
        assert_eq!(
            roles(&view),
            [
                (Some("梁管理"), vec![MemberRole::Administrator]),
                (Some("陳大文"), vec![MemberRole::LegalRepresentative]),
                (Some("李小明"), vec![MemberRole::Employee]),
                (Some("黃美玲"), vec![MemberRole::Employee]),
            ]
        );
        let line = &view.members[2].authorisations[0];
        assert_eq!(line.authorisation, o.granted);
        assert_eq!((line.years, line.in_force), (2, true));
        assert_eq!(
            line.object.label,
            ObjectLabel::Certificate {
                class: CertificateClass::Qualified,
                serial: Some("4f2a19c3".into())
            }
        );
        let offered: Vec<AuthorisedObject> = view.objects.iter().map(|o| o.object).collect();
        assert_eq!(
            offered,
            [AuthorisedObject::Certificate(o.cert.id), AuthorisedObject::Seal(o.seal.id)]
        );
        // A person is not an organisation, and an id this store lacks has no screen.
        assert_eq!(load(&store, o.e1.id, NOW).expect("load"), None);
        assert_eq!(load(&store, Ulid::new(), NOW).expect("load"), None);
    }

    #[test]
    fn each_action_writes_its_record_and_one_audit_event_by_the_clerk() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = open(dir.path());
        let o = office(&mut store);
        let org = o.org.id;
        let seal = AuthorisedObject::Seal(o.seal.id);
        let view = apply(
            &mut store,
            Some(o.clerk),
            MembersOp::Grant { organisation: org, grantee: o.e2.id, object: seal, years: 3 },
            NOW,
        )
        .expect("granted");
        let granted = only(&view, o.e2.id, |l| l.authorisation.clone());
        assert_eq!(granted.len(), 1);
        let a = granted[0].clone();
        assert_eq!(
            (a.object, a.granted_by, a.valid_from, a.valid_until, a.status),
            (seal, o.admin.id, NOW.date(), date!(2029 - 11 - 20), AuthorisationStatus::Active)
        );
        assert_eq!(store.get::<Authorisation>(a.id).expect("get"), Some(a.clone()));

        let id = a.id;
        let steps = [
            MembersOp::Change { organisation: org, authorisation: id, object: seal, years: 1 },
            MembersOp::Withdraw { organisation: org, authorisation: id },
            MembersOp::Restore { organisation: org, authorisation: id },
            MembersOp::End { organisation: org, authorisation: id },
        ];
        let mut seen = Vec::new();
        for op in steps {
            let view = apply(&mut store, Some(o.clerk), op, NOW).expect("applied");
            seen.push(only(&view, o.e2.id, |l| (l.years, l.authorisation.status))[0]);
        }
        use AuthorisationStatus::*;
        assert_eq!(seen, [(1, Active), (1, Withdrawn), (1, Active), (1, Cancelled)]);
        let clerk = Some(o.clerk);
        assert_eq!(
            audits(&store, id),
            [
                (AuditAction::AuthorisationGranted { years: 3 }, clerk),
                (AuditAction::AuthorisationChanged { years: 1 }, clerk),
                (AuditAction::AuthorisationWithdrawn, clerk),
                (AuditAction::AuthorisationRestored, clerk),
                (AuditAction::AuthorisationEnded, clerk),
            ]
        );
    }

    #[test]
    fn a_refused_action_changes_nothing_and_is_audited_as_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = open(dir.path());
        let o = office(&mut store);
        let org = o.org.id;
        let end = MembersOp::End { organisation: org, authorisation: o.granted.id };
        apply(&mut store, Some(o.clerk), end.clone(), NOW).expect("ended");
        let records = store.stats().expect("stats").records;

        let err = apply(&mut store, Some(o.clerk), end, NOW).expect_err("ended already");
        assert_eq!(err.message_id(), Some("members-authorisation-ended"));
        let object = AuthorisedObject::Certificate(o.cert.id);
        let grant = MembersOp::Grant { organisation: org, grantee: o.admin.id, object, years: 9 };
        let err = apply(&mut store, Some(o.clerk), grant, NOW).expect_err("refused");
        assert_eq!(err.message_id(), Some("members-years-out-of-range"));
        assert_eq!(err.message_args()[0], ("years", "9".to_owned()));

        assert_eq!(store.stats().expect("stats").records, records + 2, "two audit events only");
        let cancelled = store.get::<Authorisation>(o.granted.id).expect("get").expect("kept");
        assert_eq!(cancelled.status, AuthorisationStatus::Cancelled);
        let refused = |action: &str, message: &str| {
            (
                AuditAction::MembersActionRefused {
                    action: action.into(),
                    message: message.into(),
                },
                Some(o.clerk),
            )
        };
        assert_eq!(
            audits(&store, o.granted.id).last(),
            Some(&refused("end", "members-authorisation-ended"))
        );
        assert_eq!(audits(&store, org), [refused("grant", "members-years-out-of-range")]);
    }

    #[test]
    fn the_administrator_is_handed_over_in_one_write_against_the_letter() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = open(dir.path());
        let o = office(&mut store);
        let org = o.org.id;
        let transfer = |letter_collected| MembersOp::TransferAdministrator {
            organisation: org,
            to: o.e1.id,
            letter_collected,
        };
        let err = apply(&mut store, Some(o.clerk), transfer(false), NOW).expect_err("no letter");
        assert_eq!(err.message_id(), Some("members-letter-required"));
        let before = load(&store, org, NOW).expect("load").expect("found");
        assert_eq!(before.members[0].roles, [MemberRole::Administrator], "nothing changed");

        let view = apply(&mut store, Some(o.clerk), transfer(true), NOW).expect("handed over");
        let administrators: Vec<RecordId> = view
            .members
            .iter()
            .filter(|m| m.is(MemberRole::Administrator))
            .map(|m| m.person.id)
            .collect();
        assert_eq!(administrators, [o.e1.id], "exactly one administrator");
        let new = view.members.iter().find(|m| m.person.id == o.e1.id).expect("listed");
        assert_eq!(new.roles, [MemberRole::Administrator, MemberRole::Employee]);
        let old = view.members.iter().find(|m| m.person.id == o.admin.id).expect("listed");
        assert!(old.roles.is_empty(), "{:?}", old.roles);
        let ended = store.get::<Membership>(o.admin_membership).expect("get").expect("kept");
        assert_eq!(ended.ended, Some(NOW.date()));

        let appointed: Vec<Membership> = linked(&store, org, "organisation")
            .expect("links")
            .into_iter()
            .filter(|m: &Membership| m.role == MemberRole::Administrator && m.ended.is_none())
            .collect();
        assert_eq!(appointed.len(), 1);
        assert_eq!(
            audits(&store, appointed[0].id),
            [(
                AuditAction::AdministratorTransferred {
                    previous: vec![o.admin_membership],
                    letter_collected_on: NOW.date(),
                },
                Some(o.clerk)
            )]
        );
        // The new administrator grants from now on.
        let object = AuthorisedObject::Seal(o.seal.id);
        let grant = MembersOp::Grant { organisation: org, grantee: o.e2.id, object, years: 1 };
        let view = apply(&mut store, Some(o.clerk), grant, NOW).expect("granted");
        assert_eq!(only(&view, o.e2.id, |l| l.authorisation.granted_by), [o.e1.id]);
    }

    #[test]
    fn a_screen_left_open_cannot_undo_what_another_counter_did_meanwhile() {
        let dir = tempfile::tempdir().expect("dir");
        let mut here = open(dir.path());
        let o = office(&mut here);
        let mut there = open(dir.path());
        let org = o.org.id;
        // Both screens show the authorisation active; the other counter ends it.
        let shown = load(&here, org, NOW).expect("load").expect("found");
        assert_eq!(
            shown.members[2].authorisations[0].authorisation.status,
            AuthorisationStatus::Active
        );
        apply(
            &mut there,
            None,
            MembersOp::End { organisation: org, authorisation: o.granted.id },
            NOW,
        )
        .expect("ended there");
        let withdraw = MembersOp::Withdraw { organisation: org, authorisation: o.granted.id };
        let err = apply(&mut here, None, withdraw, NOW).expect_err("ended is final");
        assert_eq!(err.message_id(), Some("members-authorisation-ended"));
        // Two transfers from two screens that both saw the old administrator: the second is
        // judged on what the first wrote.
        let to = |person: &Person| MembersOp::TransferAdministrator {
            organisation: org,
            to: person.id,
            letter_collected: true,
        };
        apply(&mut there, None, to(&o.e2), NOW).expect("first transfer");
        let view = apply(&mut here, None, to(&o.e1), NOW).expect("second transfer");
        let administrators: Vec<RecordId> = view
            .members
            .iter()
            .filter(|m| m.is(MemberRole::Administrator))
            .map(|m| m.person.id)
            .collect();
        assert_eq!(administrators, [o.e1.id]);
    }

    #[test]
    fn an_unknown_organisation_or_authorisation_is_not_found() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = open(dir.path());
        let o = office(&mut store);
        let ops = [
            MembersOp::Withdraw { organisation: Ulid::new(), authorisation: o.granted.id },
            MembersOp::Withdraw { organisation: o.org.id, authorisation: Ulid::new() },
        ];
        for op in ops {
            let err = apply(&mut store, None, op, NOW).expect_err("not found");
            assert!(matches!(err, MembersError::NotFound), "{err:?}");
        }
    }

    #[test]
    fn debug_output_holds_no_names() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = open(dir.path());
        let o = office(&mut store);
        let view = load(&store, o.org.id, NOW).expect("load").expect("found");
        let debug = format!("{view:?}");
        for name in ["梁管理", "陳大文", "李小明", "LEI SIO MENG", "法人章", "澳門貿易行"]
        {
            assert!(!debug.contains(name), "{name} in {debug}");
        }
    }
}
