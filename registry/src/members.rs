//! The rules of an organisation's members and what its administrator lets them use (seed 004,
//! 授权管理): grant an employee an organisation certificate or seal for whole years, change it,
//! withdraw it for a while and restore it, end it for good, and hand the administrator role to
//! another member against a signed letter. Pure: each rule takes the organisation's records as
//! they stand and answers the records to write, or why not.

use std::ops::RangeInclusive;

use time::{Date, Month, OffsetDateTime};

use crate::model::{
    Authorisation, AuthorisationStatus, AuthorisedObject, Certificate, CertificateStatus,
    HolderKind, MemberRole, Membership, RecordId, Seal, SealStatus, VALIDITY_YEARS,
};

/// The whole years an authorisation may run. Seed 004's form asks for 有效年数 from a list
/// without saying its bounds; an authorisation is a use of a certificate, so it takes the
/// certificate's own range (DOMAIN.md: 1–5 years).
pub const AUTHORISATION_YEARS: RangeInclusive<u8> = VALIDITY_YEARS;

/// Every message id of [`MembersRefused`] (checked in every language by the i18n crate's tests;
/// a test here checks the list against the enum).
pub const ALL_MESSAGE_IDS: &[&str] = &[
    "members-years-out-of-range",
    "members-not-an-employee",
    "members-no-administrator",
    "members-object-not-the-organisations",
    "members-object-not-usable",
    "members-already-authorised",
    "members-not-this-organisation",
    "members-authorisation-ended",
    "members-already-withdrawn",
    "members-not-withdrawn",
    "members-nothing-changed",
    "members-ends-in-the-past",
    "members-letter-required",
    "members-not-a-member",
    "members-already-administrator",
];

/// Why a change to the members or their authorisations is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MembersRefused {
    #[error("an authorisation runs for whole years within the allowed range")]
    YearsOutOfRange { years: u8 },
    /// Only a current employee of the organisation is given (or keeps) the use of its
    /// certificates and seals (seed 004: 员工授权).
    #[error("the person is not a current employee of the organisation")]
    NotAnEmployee,
    /// An authorisation is given by the administrator; an organisation without one cannot.
    #[error("the organisation has no administrator to grant it")]
    NoAdministrator,
    #[error("the certificate or seal is not this organisation's")]
    ObjectNotTheOrganisations,
    /// A certificate not valid (revoked, expired, pending) or a revoked seal.
    #[error("the certificate or seal cannot be used")]
    ObjectNotUsable,
    /// The person already has this certificate or seal (perhaps withdrawn): change that one.
    #[error("the person is already authorised to use it")]
    AlreadyAuthorised,
    #[error("the authorisation is not this organisation's")]
    NotThisOrganisation,
    /// Ended for good (seed 004: 被注销的额度不会恢复).
    #[error("the authorisation was ended and cannot change")]
    Ended,
    #[error("the authorisation is already withdrawn")]
    AlreadyWithdrawn,
    #[error("the authorisation is not withdrawn")]
    NotWithdrawn,
    #[error("nothing was changed")]
    NothingChanged,
    /// Counted from its first day, the years asked for end before today: end it instead.
    #[error("with these years the authorisation would have ended already")]
    EndsInThePast { until: Date },
    /// The administrator is handed over only against the signed letter (seed 003:
    /// 单位管理员转让授权委托书).
    #[error("the signed administrator transfer letter has not been collected")]
    LetterRequired,
    #[error("the person is not a current member of the organisation")]
    NotAMember,
    #[error("the person is the administrator already")]
    AlreadyAdministrator,
}

impl MembersRefused {
    pub fn message_id(&self) -> &'static str {
        match self {
            MembersRefused::YearsOutOfRange { .. } => "members-years-out-of-range",
            MembersRefused::NotAnEmployee => "members-not-an-employee",
            MembersRefused::NoAdministrator => "members-no-administrator",
            MembersRefused::ObjectNotTheOrganisations => "members-object-not-the-organisations",
            MembersRefused::ObjectNotUsable => "members-object-not-usable",
            MembersRefused::AlreadyAuthorised => "members-already-authorised",
            MembersRefused::NotThisOrganisation => "members-not-this-organisation",
            MembersRefused::Ended => "members-authorisation-ended",
            MembersRefused::AlreadyWithdrawn => "members-already-withdrawn",
            MembersRefused::NotWithdrawn => "members-not-withdrawn",
            MembersRefused::NothingChanged => "members-nothing-changed",
            MembersRefused::EndsInThePast { .. } => "members-ends-in-the-past",
            MembersRefused::LetterRequired => "members-letter-required",
            MembersRefused::NotAMember => "members-not-a-member",
            MembersRefused::AlreadyAdministrator => "members-already-administrator",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            MembersRefused::YearsOutOfRange { years } => vec![
                ("years", years.to_string()),
                ("min", AUTHORISATION_YEARS.start().to_string()),
                ("max", AUTHORISATION_YEARS.end().to_string()),
            ],
            MembersRefused::EndsInThePast { until } => vec![("until", until.to_string())],
            _ => Vec::new(),
        }
    }
}

/// The last day of an authorisation that starts on `from` and runs `years` whole years: the
/// day before the same date `years` later (from 29 February, the day before 1 March).
pub fn until_for(from: Date, years: u8) -> Date {
    let year = from.year() + i32::from(years);
    let same_day = Date::from_calendar_date(year, from.month(), from.day())
        .or_else(|_| Date::from_calendar_date(year, Month::March, 1))
        .unwrap_or(from);
    same_day.previous_day().unwrap_or(same_day)
}

/// The whole years an authorisation runs, as the clerk reads them: its length rounded to the
/// nearest year, at least one (records written before this rule may not run whole years).
pub fn years_of(authorisation: &Authorisation) -> u8 {
    let days = (authorisation.valid_until - authorisation.valid_from).whole_days() + 1;
    u8::try_from(((days + 182) / 365).max(1)).unwrap_or(u8::MAX)
}

fn check_years(years: u8) -> Result<(), MembersRefused> {
    if AUTHORISATION_YEARS.contains(&years) {
        Ok(())
    } else {
        Err(MembersRefused::YearsOutOfRange { years })
    }
}

/// One organisation's members, authorisations, certificates and seals, as the store holds them
/// now: what every rule here is checked against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Roster {
    pub organisation: RecordId,
    /// Every membership, ended ones included.
    pub memberships: Vec<Membership>,
    /// Every authorisation given within the organisation, ended ones included.
    pub authorisations: Vec<Authorisation>,
    /// The certificates the organisation holds.
    pub certificates: Vec<Certificate>,
    pub seals: Vec<Seal>,
}

/// The administrator role handed over: the memberships it ends, and the one it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    /// The outgoing administrator's membership as administrator, ended today (every current
    /// one: two counters that each appointed one before they synchronised leave two, and a
    /// transfer makes it one again).
    pub ended: Vec<Membership>,
    pub appointed: Membership,
}

impl Roster {
    fn current(&self) -> impl Iterator<Item = &Membership> {
        self.memberships.iter().filter(|m| m.organisation == self.organisation && m.ended.is_none())
    }

    /// The current administrators: one, or none before the first is appointed.
    pub fn administrators(&self) -> Vec<&Membership> {
        self.current().filter(|m| m.role == MemberRole::Administrator).collect()
    }

    /// Whether `person` is a current employee, who may hold authorisations.
    pub fn is_employee(&self, person: RecordId) -> bool {
        self.current().any(|m| m.person == person && m.role == MemberRole::Employee)
    }

    /// The certificates and seals an employee may be given today, certificates first.
    pub fn usable_objects(&self, now: OffsetDateTime) -> Vec<AuthorisedObject> {
        let certificates = self
            .certificates
            .iter()
            .filter(|c| self.object_check(AuthorisedObject::Certificate(c.id), now).is_ok())
            .map(|c| AuthorisedObject::Certificate(c.id));
        let seals = self
            .seals
            .iter()
            .filter(|s| self.object_check(AuthorisedObject::Seal(s.id), now).is_ok())
            .map(|s| AuthorisedObject::Seal(s.id));
        certificates.chain(seals).collect()
    }

    /// An organisation certificate (seed 004: 机构证书) still valid, or a seal not revoked, of
    /// this organisation.
    fn object_check(
        &self,
        object: AuthorisedObject,
        now: OffsetDateTime,
    ) -> Result<(), MembersRefused> {
        match object {
            AuthorisedObject::Certificate(id) => {
                let cert = self
                    .certificates
                    .iter()
                    .find(|c| {
                        c.id == id
                            && c.holder_organisation == Some(self.organisation)
                            && c.holder_kind == HolderKind::Organisation
                    })
                    .ok_or(MembersRefused::ObjectNotTheOrganisations)?;
                let expired = cert.not_after.is_some_and(|end| end < now);
                if cert.status != CertificateStatus::Valid || expired {
                    return Err(MembersRefused::ObjectNotUsable);
                }
            }
            AuthorisedObject::Seal(id) => {
                let seal = self
                    .seals
                    .iter()
                    .find(|s| s.id == id && s.organisation == self.organisation)
                    .ok_or(MembersRefused::ObjectNotTheOrganisations)?;
                if seal.status == SealStatus::Revoked {
                    return Err(MembersRefused::ObjectNotUsable);
                }
            }
        }
        Ok(())
    }

    /// Whether another authorisation not ended gives `grantee` the same object.
    fn duplicate(&self, grantee: RecordId, object: AuthorisedObject, except: RecordId) -> bool {
        self.authorisations.iter().any(|a| {
            a.id != except
                && a.organisation == self.organisation
                && a.grantee == grantee
                && a.object == object
                && a.status != AuthorisationStatus::Cancelled
        })
    }

    fn own(&self, authorisation: &Authorisation) -> Result<(), MembersRefused> {
        if authorisation.organisation != self.organisation {
            return Err(MembersRefused::NotThisOrganisation);
        }
        if authorisation.status == AuthorisationStatus::Cancelled {
            return Err(MembersRefused::Ended);
        }
        Ok(())
    }

    /// 添加授权: the administrator lets `grantee` use `object` for `years` from today. The new
    /// record takes the id `id` and names the current administrator as who granted it.
    pub fn grant(
        &self,
        id: RecordId,
        grantee: RecordId,
        object: AuthorisedObject,
        years: u8,
        now: OffsetDateTime,
    ) -> Result<Authorisation, MembersRefused> {
        check_years(years)?;
        if !self.is_employee(grantee) {
            return Err(MembersRefused::NotAnEmployee);
        }
        let granted_by = self
            .administrators()
            .first()
            .map(|m| m.person)
            .ok_or(MembersRefused::NoAdministrator)?;
        self.object_check(object, now)?;
        if self.duplicate(grantee, object, id) {
            return Err(MembersRefused::AlreadyAuthorised);
        }
        let today = now.date();
        Ok(Authorisation {
            id,
            organisation: self.organisation,
            grantee,
            granted_by,
            object,
            valid_from: today,
            valid_until: until_for(today, years),
            status: AuthorisationStatus::Active,
        })
    }

    /// 修改授权: another certificate or seal, or other years counted from its first day (which
    /// also renews one that ran out). A withdrawn authorisation stays withdrawn.
    pub fn change(
        &self,
        authorisation: &Authorisation,
        object: AuthorisedObject,
        years: u8,
        now: OffsetDateTime,
    ) -> Result<Authorisation, MembersRefused> {
        self.own(authorisation)?;
        check_years(years)?;
        if !self.is_employee(authorisation.grantee) {
            return Err(MembersRefused::NotAnEmployee);
        }
        let until = until_for(authorisation.valid_from, years);
        if object == authorisation.object && until == authorisation.valid_until {
            return Err(MembersRefused::NothingChanged);
        }
        if object != authorisation.object {
            self.object_check(object, now)?;
            if self.duplicate(authorisation.grantee, object, authorisation.id) {
                return Err(MembersRefused::AlreadyAuthorised);
            }
        }
        if until < now.date() {
            return Err(MembersRefused::EndsInThePast { until });
        }
        Ok(Authorisation { object, valid_until: until, ..authorisation.clone() })
    }

    /// 临时取消授权: withdrawn for a while; restored as it was.
    pub fn withdraw(&self, authorisation: &Authorisation) -> Result<Authorisation, MembersRefused> {
        self.own(authorisation)?;
        if authorisation.status == AuthorisationStatus::Withdrawn {
            return Err(MembersRefused::AlreadyWithdrawn);
        }
        Ok(Authorisation { status: AuthorisationStatus::Withdrawn, ..authorisation.clone() })
    }

    /// A withdrawn authorisation given back, to a person still employed.
    pub fn restore(&self, authorisation: &Authorisation) -> Result<Authorisation, MembersRefused> {
        self.own(authorisation)?;
        if authorisation.status != AuthorisationStatus::Withdrawn {
            return Err(MembersRefused::NotWithdrawn);
        }
        if !self.is_employee(authorisation.grantee) {
            return Err(MembersRefused::NotAnEmployee);
        }
        Ok(Authorisation { status: AuthorisationStatus::Active, ..authorisation.clone() })
    }

    /// 注销授权: ended for good (an employee who left), whether active or withdrawn.
    pub fn end(&self, authorisation: &Authorisation) -> Result<Authorisation, MembersRefused> {
        self.own(authorisation)?;
        Ok(Authorisation { status: AuthorisationStatus::Cancelled, ..authorisation.clone() })
    }

    /// 转让管理员: `to`, a current member, becomes the administrator under a new membership
    /// `id`; whoever was administrator stops being it today (their other roles stay). Refused
    /// unless the signed transfer letter was collected.
    pub fn transfer_administrator(
        &self,
        id: RecordId,
        to: RecordId,
        letter_collected: bool,
        now: OffsetDateTime,
    ) -> Result<Transfer, MembersRefused> {
        if !letter_collected {
            return Err(MembersRefused::LetterRequired);
        }
        let roles: Vec<MemberRole> =
            self.current().filter(|m| m.person == to).map(|m| m.role).collect();
        if roles.is_empty() {
            return Err(MembersRefused::NotAMember);
        }
        if roles.contains(&MemberRole::Administrator) {
            return Err(MembersRefused::AlreadyAdministrator);
        }
        let today = now.date();
        let ended = self
            .administrators()
            .into_iter()
            .map(|m| Membership { ended: Some(today), ..m.clone() })
            .collect();
        let appointed = Membership {
            id,
            organisation: self.organisation,
            person: to,
            role: MemberRole::Administrator,
            ended: None,
        };
        Ok(Transfer { ended, appointed })
    }
}
