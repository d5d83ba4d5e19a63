//! The rules of an organisation's members and authorisations (seed 004): every transition and
//! every refusal, table by table.

use registry::members::{
    ALL_MESSAGE_IDS, AUTHORISATION_YEARS, MembersRefused as R, Roster, until_for, years_of,
};
use registry::model::*;
use rstest::rstest;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use ulid::Ulid;

const NOW: OffsetDateTime = datetime!(2026-11-21 10:00 +8);
const TODAY: Date = date!(2026 - 11 - 21);

fn id(n: u128) -> RecordId {
    Ulid::from(n)
}

const ORG: u128 = 1;
const OTHER_ORG: u128 = 2;
// People.
const ADMIN: u128 = 10;
const REP: u128 = 11;
const E1: u128 = 12;
const E2: u128 = 13;
const FORMER: u128 = 14;
const STRANGER: u128 = 15;
// Certificates and seals.
const CERT: u128 = 20;
const CERT_REVOKED: u128 = 21;
const CERT_EXPIRED: u128 = 22;
const CERT_PERSONAL: u128 = 23;
const CERT_OTHER_ORG: u128 = 24;
const SEAL: u128 = 30;
const SEAL_REVOKED: u128 = 31;
const SEAL_OTHER_ORG: u128 = 32;
const SEAL_2: u128 = 33;
// Authorisations.
const A_ACTIVE: u128 = 40;
const A_WITHDRAWN: u128 = 41;
const A_ENDED: u128 = 42;
const A_OTHER_ORG: u128 = 43;
const A_FORMER: u128 = 44;
const A_OLD: u128 = 45;
const NEW: u128 = 99;

fn member(n: u128, person: u128, role: MemberRole, ended: Option<Date>) -> Membership {
    Membership { id: id(n), organisation: id(ORG), person: id(person), role, ended }
}

fn certificate(
    n: u128,
    org: u128,
    kind: HolderKind,
    status: CertificateStatus,
    days: i64,
) -> Certificate {
    Certificate {
        id: id(n),
        class: CertificateClass::Qualified,
        holder_kind: kind,
        subject: SubjectDn { cn: "澳門貿易行".into(), ..Default::default() },
        serial: Some(format!("{n:x}")),
        not_before: Some(NOW - Duration::days(365)),
        not_after: Some(NOW + Duration::days(days)),
        validity_years: 2,
        status,
        holder_person: (kind != HolderKind::Organisation).then(|| id(E1)),
        holder_organisation: Some(id(org)),
        token: None,
        renewal_confirmed: false,
        revocation_phrase: None,
        revocation: None,
        issuance: None,
    }
}

fn seal(n: u128, org: u128, status: SealStatus) -> Seal {
    Seal {
        id: id(n),
        organisation: id(org),
        seal_kind: SealKind::Organisation,
        name: "澳門貿易行 印章".into(),
        certificate: Some(id(CERT)),
        status,
    }
}

fn authorisation(
    n: u128,
    org: u128,
    grantee: u128,
    object: AuthorisedObject,
    status: AuthorisationStatus,
) -> Authorisation {
    Authorisation {
        id: id(n),
        organisation: id(org),
        grantee: id(grantee),
        granted_by: id(ADMIN),
        object,
        valid_from: date!(2026 - 01 - 01),
        valid_until: date!(2027 - 12 - 31),
        status,
    }
}

/// An organisation with an administrator, a legal representative, two employees and one who
/// left; certificates and seals usable and not; authorisations in every state.
fn roster() -> Roster {
    use AuthorisationStatus::*;
    use AuthorisedObject::{Certificate as C, Seal as S};
    let mut old = authorisation(A_OLD, ORG, E2, S(id(SEAL_2)), Withdrawn);
    old.valid_from = date!(2024 - 01 - 01);
    old.valid_until = date!(2025 - 12 - 31);
    Roster {
        organisation: id(ORG),
        memberships: vec![
            member(100, ADMIN, MemberRole::Administrator, None),
            member(101, REP, MemberRole::LegalRepresentative, None),
            member(102, E1, MemberRole::Employee, None),
            member(103, E2, MemberRole::Employee, None),
            member(104, FORMER, MemberRole::Employee, Some(date!(2026 - 06 - 30))),
            // The former administrator, handed over last year: not an administrator now.
            member(105, REP, MemberRole::Administrator, Some(date!(2025 - 03 - 01))),
        ],
        authorisations: vec![
            authorisation(A_ACTIVE, ORG, E1, C(id(CERT)), Active),
            authorisation(A_WITHDRAWN, ORG, E1, S(id(SEAL)), Withdrawn),
            authorisation(A_ENDED, ORG, E2, C(id(CERT)), Cancelled),
            authorisation(A_OTHER_ORG, OTHER_ORG, E1, C(id(CERT_OTHER_ORG)), Active),
            authorisation(A_FORMER, ORG, FORMER, S(id(SEAL)), Withdrawn),
            old,
        ],
        certificates: vec![
            certificate(CERT, ORG, HolderKind::Organisation, CertificateStatus::Valid, 400),
            certificate(
                CERT_REVOKED,
                ORG,
                HolderKind::Organisation,
                CertificateStatus::Revoked,
                400,
            ),
            certificate(CERT_EXPIRED, ORG, HolderKind::Organisation, CertificateStatus::Valid, -1),
            certificate(
                CERT_PERSONAL,
                ORG,
                HolderKind::PersonInOrganisation,
                CertificateStatus::Valid,
                400,
            ),
            certificate(
                CERT_OTHER_ORG,
                OTHER_ORG,
                HolderKind::Organisation,
                CertificateStatus::Valid,
                400,
            ),
        ],
        seals: vec![
            seal(SEAL, ORG, SealStatus::Active),
            seal(SEAL_REVOKED, ORG, SealStatus::Revoked),
            seal(SEAL_OTHER_ORG, OTHER_ORG, SealStatus::Active),
            seal(SEAL_2, ORG, SealStatus::Active),
        ],
    }
}

fn cert(n: u128) -> AuthorisedObject {
    AuthorisedObject::Certificate(id(n))
}

fn seal_of(n: u128) -> AuthorisedObject {
    AuthorisedObject::Seal(id(n))
}

fn find(roster: &Roster, n: u128) -> Authorisation {
    roster.authorisations.iter().find(|a| a.id == id(n)).cloned().expect("in the roster")
}

/// A rule's answer must also be a change the store lets through: valid, and allowed by the
/// record's own lifecycle check.
fn storable(before: Option<&Authorisation>, after: &Authorisation) {
    assert_eq!(after.validate(), Ok(()));
    assert_eq!(Authorisation::check_change(before, after), Ok(()));
}

#[rstest]
#[case::an_organisation_certificate(E2, cert(CERT), 2, Ok(date!(2028 - 11 - 20)))]
#[case::a_seal_for_the_longest(E2, seal_of(SEAL), 5, Ok(date!(2031 - 11 - 20)))]
#[case::one_year(E2, seal_of(SEAL), 1, Ok(date!(2027 - 11 - 20)))]
#[case::what_an_ended_one_gave(E2, cert(CERT), 1, Ok(date!(2027 - 11 - 20)))]
#[case::no_years(E2, cert(CERT), 0, Err(R::YearsOutOfRange { years: 0 }))]
#[case::too_many_years(E2, cert(CERT), 6, Err(R::YearsOutOfRange { years: 6 }))]
#[case::the_administrator(ADMIN, cert(CERT), 1, Err(R::NotAnEmployee))]
#[case::the_legal_representative(REP, cert(CERT), 1, Err(R::NotAnEmployee))]
#[case::an_employee_who_left(FORMER, cert(CERT), 1, Err(R::NotAnEmployee))]
#[case::a_stranger(STRANGER, cert(CERT), 1, Err(R::NotAnEmployee))]
#[case::a_revoked_certificate(E2, cert(CERT_REVOKED), 1, Err(R::ObjectNotUsable))]
#[case::an_expired_certificate(E2, cert(CERT_EXPIRED), 1, Err(R::ObjectNotUsable))]
#[case::a_personal_certificate(E2, cert(CERT_PERSONAL), 1, Err(R::ObjectNotTheOrganisations))]
#[case::another_organisations_certificate(
    E2,
    cert(CERT_OTHER_ORG),
    1,
    Err(R::ObjectNotTheOrganisations)
)]
#[case::a_revoked_seal(E2, seal_of(SEAL_REVOKED), 1, Err(R::ObjectNotUsable))]
#[case::another_organisations_seal(
    E2,
    seal_of(SEAL_OTHER_ORG),
    1,
    Err(R::ObjectNotTheOrganisations)
)]
#[case::an_unknown_certificate(E2, cert(77), 1, Err(R::ObjectNotTheOrganisations))]
#[case::what_they_have_already(E1, cert(CERT), 1, Err(R::AlreadyAuthorised))]
#[case::what_they_have_withdrawn(E1, seal_of(SEAL), 1, Err(R::AlreadyAuthorised))]
fn granting(
    #[case] grantee: u128,
    #[case] object: AuthorisedObject,
    #[case] years: u8,
    #[case] expected: Result<Date, R>,
) {
    let got = roster().grant(id(NEW), id(grantee), object, years, NOW);
    match (got, expected) {
        (Ok(a), Ok(until)) => {
            let want = Authorisation {
                id: id(NEW),
                organisation: id(ORG),
                grantee: id(grantee),
                granted_by: id(ADMIN),
                object,
                valid_from: TODAY,
                valid_until: until,
                status: AuthorisationStatus::Active,
            };
            assert_eq!(a, want);
            assert!(a.in_force_on(TODAY));
            assert_eq!(years_of(&a), years);
            storable(None, &a);
        }
        (got, expected) => assert_eq!(got.map(|a| a.valid_until), expected),
    }
}

#[test]
fn an_organisation_without_an_administrator_grants_nothing() {
    let mut roster = roster();
    roster.memberships.retain(|m| m.role != MemberRole::Administrator);
    assert_eq!(roster.grant(id(NEW), id(E2), cert(CERT), 1, NOW), Err(R::NoAdministrator));
}

#[rstest]
#[case::longer(A_ACTIVE, cert(CERT), 3, Ok((cert(CERT), date!(2028 - 12 - 31))))]
#[case::shorter_but_not_over(A_ACTIVE, cert(CERT), 1, Ok((cert(CERT), date!(2026 - 12 - 31))))]
#[case::the_same(A_ACTIVE, cert(CERT), 2, Err(R::NothingChanged))]
#[case::another_organisations(A_OTHER_ORG, seal_of(SEAL), 2, Err(R::NotThisOrganisation))]
#[case::to_what_they_have_withdrawn(A_ACTIVE, seal_of(SEAL), 2, Err(R::AlreadyAuthorised))]
#[case::to_a_revoked_certificate(A_ACTIVE, cert(CERT_REVOKED), 2, Err(R::ObjectNotUsable))]
#[case::to_another_organisations_seal(
    A_ACTIVE,
    seal_of(SEAL_OTHER_ORG),
    2,
    Err(R::ObjectNotTheOrganisations)
)]
#[case::withdrawn_keeps_withdrawn(A_WITHDRAWN, seal_of(SEAL), 4, Ok((seal_of(SEAL), date!(2029 - 12 - 31))))]
#[case::withdrawn_to_a_certificate_they_have(A_WITHDRAWN, cert(CERT), 2, Err(R::AlreadyAuthorised))]
#[case::ended(A_ENDED, cert(CERT), 3, Err(R::Ended))]
#[case::of_a_person_who_left(A_FORMER, seal_of(SEAL), 3, Err(R::NotAnEmployee))]
#[case::no_years(A_ACTIVE, cert(CERT), 0, Err(R::YearsOutOfRange { years: 0 }))]
#[case::too_many_years(A_ACTIVE, cert(CERT), 9, Err(R::YearsOutOfRange { years: 9 }))]
#[case::years_already_over(A_OLD, seal_of(SEAL_2), 1, Err(R::EndsInThePast { until: date!(2024 - 12 - 31) }))]
#[case::run_out_renewed(A_OLD, seal_of(SEAL_2), 3, Ok((seal_of(SEAL_2), date!(2026 - 12 - 31))))]
fn changing(
    #[case] which: u128,
    #[case] object: AuthorisedObject,
    #[case] years: u8,
    #[case] expected: Result<(AuthorisedObject, Date), R>,
) {
    let roster = roster();
    let before = find(&roster, which);
    let got = roster.change(&before, object, years, NOW);
    if let Ok(after) = &got {
        assert_eq!(
            (after.id, after.grantee, after.valid_from, after.status),
            (before.id, before.grantee, before.valid_from, before.status),
            "only the object and the end change"
        );
        assert_eq!(years_of(after), years);
        storable(Some(&before), after);
    }
    assert_eq!(got.map(|a| (a.object, a.valid_until)), expected);
}

#[test]
fn changing_to_another_usable_object_moves_it() {
    let roster = roster();
    let before = find(&roster, A_ACTIVE);
    let after = roster.change(&before, seal_of(SEAL_2), 2, NOW).expect("changed");
    assert_eq!((after.object, after.valid_until), (seal_of(SEAL_2), before.valid_until));
}

#[derive(Debug, Clone, Copy)]
enum Act {
    Withdraw,
    Restore,
    End,
}

#[rstest]
#[case::withdraw_an_active_one(A_ACTIVE, Act::Withdraw, Ok(AuthorisationStatus::Withdrawn))]
#[case::withdraw_twice(A_WITHDRAWN, Act::Withdraw, Err(R::AlreadyWithdrawn))]
#[case::withdraw_an_ended_one(A_ENDED, Act::Withdraw, Err(R::Ended))]
#[case::withdraw_another_organisations(A_OTHER_ORG, Act::Withdraw, Err(R::NotThisOrganisation))]
#[case::withdraw_one_of_a_person_who_left_again(A_FORMER, Act::Withdraw, Err(R::AlreadyWithdrawn))]
#[case::restore_a_withdrawn_one(A_WITHDRAWN, Act::Restore, Ok(AuthorisationStatus::Active))]
#[case::restore_an_active_one(A_ACTIVE, Act::Restore, Err(R::NotWithdrawn))]
#[case::restore_an_ended_one(A_ENDED, Act::Restore, Err(R::Ended))]
#[case::restore_to_a_person_who_left(A_FORMER, Act::Restore, Err(R::NotAnEmployee))]
#[case::restore_another_organisations(A_OTHER_ORG, Act::Restore, Err(R::NotThisOrganisation))]
#[case::end_an_active_one(A_ACTIVE, Act::End, Ok(AuthorisationStatus::Cancelled))]
#[case::end_a_withdrawn_one(A_WITHDRAWN, Act::End, Ok(AuthorisationStatus::Cancelled))]
#[case::end_one_of_a_person_who_left(A_FORMER, Act::End, Ok(AuthorisationStatus::Cancelled))]
#[case::end_twice(A_ENDED, Act::End, Err(R::Ended))]
#[case::end_another_organisations(A_OTHER_ORG, Act::End, Err(R::NotThisOrganisation))]
fn withdrawing_restoring_and_ending(
    #[case] which: u128,
    #[case] act: Act,
    #[case] expected: Result<AuthorisationStatus, R>,
) {
    let roster = roster();
    let before = find(&roster, which);
    let got = match act {
        Act::Withdraw => roster.withdraw(&before),
        Act::Restore => roster.restore(&before),
        Act::End => roster.end(&before),
    };
    if let Ok(after) = &got {
        assert_eq!(Authorisation { status: before.status, ..after.clone() }, before, "{act:?}");
        storable(Some(&before), after);
    }
    assert_eq!(got.map(|a| a.status), expected);
}

#[test]
fn an_ended_authorisation_wins_any_merge_and_no_rule_brings_it_back() {
    let roster = roster();
    let ended = roster.end(&find(&roster, A_ACTIVE)).expect("ended");
    let rank = |status: AuthorisationStatus| {
        merge_rank(
            RecordKind::Authorisation,
            "status",
            &serde_json::to_value(status).expect("json"),
        )
    };
    assert!(rank(AuthorisationStatus::Cancelled) > rank(AuthorisationStatus::Active));
    assert!(rank(AuthorisationStatus::Cancelled) > rank(AuthorisationStatus::Withdrawn));
    assert_eq!(roster.restore(&ended), Err(R::Ended));
    assert_eq!(roster.change(&ended, cert(CERT), 5, NOW), Err(R::Ended));
    let revived = Authorisation { status: AuthorisationStatus::Active, ..ended.clone() };
    assert!(Authorisation::check_change(Some(&ended), &revived).is_err());
}

#[rstest]
#[case::to_an_employee(E1, true, Ok(()))]
#[case::to_the_legal_representative(REP, true, Ok(()))]
#[case::without_the_letter(E1, false, Err(R::LetterRequired))]
#[case::to_the_administrator(ADMIN, true, Err(R::AlreadyAdministrator))]
#[case::to_a_person_who_left(FORMER, true, Err(R::NotAMember))]
#[case::to_a_stranger(STRANGER, true, Err(R::NotAMember))]
fn transferring_the_administrator(
    #[case] to: u128,
    #[case] letter: bool,
    #[case] expected: Result<(), R>,
) {
    let mut roster = roster();
    let got = roster.transfer_administrator(id(NEW), id(to), letter, NOW);
    let transfer = match (got, expected) {
        (Ok(transfer), Ok(())) => transfer,
        (got, expected) => return assert_eq!(got.map(|_| ()), expected),
    };
    assert_eq!(
        transfer.ended,
        [member(100, ADMIN, MemberRole::Administrator, Some(TODAY))],
        "the outgoing administrator's role ends today"
    );
    assert_eq!(transfer.appointed, member(NEW, to, MemberRole::Administrator, None));
    // Applied, the organisation has exactly one administrator: the new one; the old one keeps
    // nothing of the role, and every other membership is as it was.
    for m in transfer.ended.iter().chain([&transfer.appointed]) {
        match roster.memberships.iter_mut().find(|old| old.id == m.id) {
            Some(old) => *old = m.clone(),
            None => roster.memberships.push(m.clone()),
        }
    }
    let admins: Vec<RecordId> = roster.administrators().iter().map(|m| m.person).collect();
    assert_eq!(admins, [id(to)]);
    assert_eq!(roster.memberships.len(), 7);
    assert_eq!(
        roster.grant(id(98), id(E2), seal_of(SEAL), 1, NOW).map(|a| a.granted_by),
        Ok(id(to))
    );
}

#[test]
fn a_transfer_leaves_one_administrator_where_two_counters_each_appointed_one() {
    let mut roster = roster();
    roster.memberships.push(member(106, E2, MemberRole::Administrator, None));
    assert_eq!(roster.administrators().len(), 2);
    let transfer = roster.transfer_administrator(id(NEW), id(E1), true, NOW).expect("transfer");
    let ended: Vec<RecordId> = transfer.ended.iter().map(|m| m.id).collect();
    assert_eq!(ended, [id(100), id(106)]);
    assert!(transfer.ended.iter().all(|m| m.ended == Some(TODAY)));
}

#[test]
fn an_organisation_without_an_administrator_gets_its_first_by_letter() {
    let mut roster = roster();
    roster.memberships.retain(|m| m.role != MemberRole::Administrator);
    let transfer = roster.transfer_administrator(id(NEW), id(E1), true, NOW).expect("appointed");
    assert!(transfer.ended.is_empty());
    assert_eq!(transfer.appointed.role, MemberRole::Administrator);
}

#[test]
fn only_usable_organisation_certificates_and_seals_are_offered() {
    assert_eq!(roster().usable_objects(NOW), [cert(CERT), seal_of(SEAL), seal_of(SEAL_2)]);
}

#[rstest]
#[case(date!(2026 - 11 - 21), 1, date!(2027 - 11 - 20))]
#[case(date!(2026 - 01 - 01), 5, date!(2030 - 12 - 31))]
#[case::from_a_leap_day(date!(2024 - 02 - 29), 1, date!(2025 - 02 - 28))]
#[case::to_a_leap_year(date!(2024 - 02 - 29), 4, date!(2028 - 02 - 28))]
#[case::across_a_leap_day(date!(2027 - 03 - 01), 1, date!(2028 - 02 - 29))]
fn whole_years_end_the_day_before_the_same_date(
    #[case] from: Date,
    #[case] years: u8,
    #[case] until: Date,
) {
    assert_eq!(until_for(from, years), until);
}

#[test]
fn years_read_back_from_dates_whether_whole_years_or_days() {
    for from in [date!(2026 - 11 - 21), date!(2024 - 02 - 29), date!(2027 - 03 - 01)] {
        for years in AUTHORISATION_YEARS {
            let mut a = authorisation(1, ORG, E1, cert(CERT), AuthorisationStatus::Active);
            a.valid_from = from;
            a.valid_until = until_for(from, years);
            assert_eq!(years_of(&a), years, "{from} + {years}");
            // The demo office and older records count 365 days a year.
            a.valid_until = from + Duration::days(365 * i64::from(years));
            assert_eq!(years_of(&a), years, "{from} + {years} × 365 days");
        }
    }
}

#[test]
fn every_message_id_is_listed_and_says_its_bounds() {
    let all = [
        R::YearsOutOfRange { years: 0 },
        R::NotAnEmployee,
        R::NoAdministrator,
        R::ObjectNotTheOrganisations,
        R::ObjectNotUsable,
        R::AlreadyAuthorised,
        R::NotThisOrganisation,
        R::Ended,
        R::AlreadyWithdrawn,
        R::NotWithdrawn,
        R::NothingChanged,
        R::EndsInThePast { until: TODAY },
        R::LetterRequired,
        R::NotAMember,
        R::AlreadyAdministrator,
    ];
    let ids: Vec<&str> = all.iter().map(R::message_id).collect();
    assert_eq!(ids, ALL_MESSAGE_IDS);
    assert_eq!(
        R::YearsOutOfRange { years: 7 }.message_args(),
        [("years", "7".to_owned()), ("min", "1".to_owned()), ("max", "5".to_owned())]
    );
    assert_eq!(
        R::EndsInThePast { until: TODAY }.message_args(),
        [("until", "2026-11-21".to_owned())]
    );
}
