//! The domain's rules: the application state machine, fees, the renewal-due rule, invoices,
//! token and certificate lifecycles.

use registry::application::{
    Actor, Application, ApplicationAction as A, ApplicationState as S, DocumentKind, Payment,
    TransitionError, reference_for,
};
use registry::fees::{FeeError, FeeItem, FeeSchedule, FeeTable, FeeTableError};
use registry::model::*;
use registry::renewal::{RENEWAL_WINDOW_DAYS, is_renewal_due, renewal_due_within};
use rstest::rstest;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use ulid::Ulid;

const NOW: OffsetDateTime = datetime!(2026-11-21 10:00 +8);

fn clerk() -> Actor {
    Actor { clerk: Ulid::from_parts(1, 1), role: StaffRole::Clerk }
}

fn supervisor() -> Actor {
    Actor { clerk: Ulid::from_parts(1, 2), role: StaffRole::Supervisor }
}

fn application(service: Service) -> Application {
    let mut app = Application::draft(
        Ulid::new(),
        service,
        Ulid::new(),
        HolderKind::Organisation,
        CertificateClass::Qualified,
        NOW,
    );
    app.organisation = Some(Ulid::new());
    app.agent = Some(Ulid::new());
    app.validity_years = 2;
    app.certificates = vec![Ulid::new()];
    app.documents = vec![
        DocumentKind::SignedApplicationForm,
        DocumentKind::BusinessLicence,
        DocumentKind::LegalRepresentativeId,
        DocumentKind::AgentId,
    ];
    app.consent_given = true;
    app.agreement_accepted = true;
    app
}

fn mop(major: i64) -> Money {
    Money::new(major, Currency::Mop)
}

fn pay(amount: Money) -> A {
    A::RecordPayment(Payment { amount, reference: "POS-1".into(), at: NOW })
}

#[test]
fn a_renewal_goes_from_draft_to_completed() {
    let app = application(Service::Renewal);
    let app = app.apply(A::Submit { organisation: None }, clerk()).expect("submit");
    assert_eq!(app.state(), S::UnderReview);
    assert_eq!(app.progress.submitted_by, Some(clerk().clerk));
    let app = app.apply(A::PassVetting { fee: mop(800) }, clerk()).expect("vet");
    assert_eq!(app.state(), S::AwaitingPayment);
    let app = app.apply(pay(mop(800)), clerk()).expect("pay");
    assert_eq!(app.state(), S::AwaitingFulfilment);
    let app = app.apply(A::Complete, clerk()).expect("complete");
    assert_eq!(app.state(), S::Completed);
    let err = app.apply(A::Cancel, supervisor()).expect_err("final");
    assert_eq!(err, TransitionError::Finished(S::Completed));
}

#[test]
fn submission_lists_everything_missing_at_once() {
    let mut app = application(Service::NewIssuance);
    app.consent_given = false;
    app.agreement_accepted = false;
    app.documents = vec![DocumentKind::SignedApplicationForm];
    app.validity_years = 9;
    let Err(TransitionError::Incomplete(problems)) =
        app.apply(A::Submit { organisation: None }, clerk())
    else {
        panic!("must be incomplete")
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "application.validity_years",
            "consent_given",
            "agreement_accepted",
            "documents.business_licence",
            "documents.legal_representative_id",
            "documents.agent_id",
        ]
    );
}

#[rstest]
#[case::pay_before_vetting(S::Draft, pay(mop(1)))]
#[case::complete_a_draft(S::Draft, A::Complete)]
#[case::approve_without_need(S::UnderReview, A::Approve)]
#[case::vet_twice(S::AwaitingPayment, A::PassVetting { fee: mop(1) })]
#[case::reject_after_payment(S::AwaitingFulfilment, A::Reject { reason: "late".into() })]
#[case::resubmit(S::UnderReview, A::Submit { organisation: None })]
#[case::return_a_draft(S::Draft, A::ReturnForCorrection)]
#[case::return_after_payment(S::AwaitingFulfilment, A::ReturnForCorrection)]
#[case::revet_a_draft(S::Draft, A::RequireRevetting)]
fn illegal_steps_are_refused_and_say_which(#[case] state: S, #[case] action: A) {
    let mut app = application(Service::Renewal);
    app.progress.state = state;
    let name = action.name();
    let err = app.apply(action, supervisor()).expect_err("illegal");
    assert_eq!(err, TransitionError::NotAllowed { from: state, action: name });
    assert!(err.to_string().contains(name) && err.to_string().contains(state.as_str()), "{err}");
}

#[test]
fn revocation_without_the_phrase_needs_a_second_person() {
    let app = application(Service::Revocation);
    let app = app.apply(A::Submit { organisation: None }, supervisor()).expect("submit");
    let app = app.apply(A::PassVetting { fee: mop(0) }, clerk()).expect("vet");
    assert_eq!(app.state(), S::AwaitingApproval);
    assert_eq!(app.apply(A::Approve, clerk()), Err(TransitionError::SupervisorRequired));
    // The supervisor who submitted cannot also approve.
    assert_eq!(app.apply(A::Approve, supervisor()), Err(TransitionError::SameApprover));
    let other = Actor { clerk: Ulid::from_parts(9, 9), role: StaffRole::Supervisor };
    let app = app.apply(A::Approve, other).expect("approve");
    // No fee for a revocation: straight on to be carried out.
    assert_eq!(app.state(), S::AwaitingFulfilment);
    assert_eq!(app.progress.approved_by, Some(other.clerk));
}

#[test]
fn revocation_with_the_phrase_needs_no_supervisor() {
    let mut app = application(Service::Revocation);
    app.revocation_phrase_verified = true;
    let app = app.apply(A::Submit { organisation: None }, clerk()).expect("submit");
    let app = app.apply(A::PassVetting { fee: mop(0) }, clerk()).expect("vet");
    assert_eq!(app.state(), S::AwaitingFulfilment);
}

#[test]
fn an_identity_override_needs_a_supervisor_for_any_service() {
    let mut app = application(Service::Renewal);
    app.identity_override = true;
    let app = app.apply(A::Submit { organisation: None }, clerk()).expect("submit");
    let app = app.apply(A::PassVetting { fee: mop(800) }, clerk()).expect("vet");
    assert_eq!(app.state(), S::AwaitingApproval);
    let app = app.apply(A::Approve, supervisor()).expect("approve");
    assert_eq!(app.state(), S::AwaitingPayment, "the fee is still due after approval");
}

#[test]
fn a_payment_must_match_the_fee() {
    let mut app = application(Service::Renewal);
    app.progress.state = S::AwaitingPayment;
    app.progress.fee = Some(mop(800));
    let err = app.apply(pay(mop(400)), clerk()).expect_err("short");
    assert_eq!(err, TransitionError::WrongAmount { expected: mop(800), paid: mop(400) });
    assert!(err.to_string().contains("MOP 400.00") && err.to_string().contains("MOP 800.00"));
    let other_currency = Money::new(800, Currency::Cny);
    assert!(app.apply(pay(other_currency), clerk()).is_err());
}

#[test]
fn rejection_needs_a_reason_and_a_paid_cancellation_needs_a_supervisor() {
    let mut app = application(Service::Change);
    app.progress.state = S::UnderReview;
    assert_eq!(
        app.apply(A::Reject { reason: "  ".into() }, clerk()),
        Err(TransitionError::ReasonRequired)
    );
    let rejected =
        app.apply(A::Reject { reason: "licence expired".into() }, clerk()).expect("reject");
    assert_eq!(rejected.state(), S::Rejected);
    assert_eq!(rejected.progress.rejection_reason.as_deref(), Some("licence expired"));

    app.progress.state = S::AwaitingFulfilment;
    // Nothing paid (a free service): the clerk may cancel.
    assert_eq!(app.apply(A::Cancel, clerk()).expect("cancel").state(), S::Cancelled);
    app.progress.payment = Some(Payment { amount: mop(800), reference: "POS-1".into(), at: NOW });
    assert_eq!(app.apply(A::Cancel, clerk()), Err(TransitionError::SupervisorRequired));
    assert_eq!(app.apply(A::Cancel, supervisor()).expect("cancel").state(), S::Cancelled);
    // A draft is the clerk's to cancel, unless it was paid for before it went back to vetting.
    app.progress.state = S::Draft;
    assert_eq!(app.apply(A::Cancel, clerk()), Err(TransitionError::SupervisorRequired));
    app.progress.payment = None;
    assert_eq!(app.apply(A::Cancel, clerk()).expect("cancel").state(), S::Cancelled);
}

#[test]
fn cloud_sign_is_never_handled_at_the_counter() {
    let mut app = application(Service::NewIssuance);
    app.certificate_class = CertificateClass::CloudSign;
    let Err(TransitionError::Incomplete(problems)) =
        app.apply(A::Submit { organisation: None }, clerk())
    else {
        panic!("must be refused")
    };
    assert!(problems.iter().any(|p| p.code == "problem-cloud-sign-not-at-counter"));
    let fees = FeeSchedule::example(Currency::Mop);
    assert_eq!(
        fees.quote(Service::NewIssuance, CertificateClass::CloudSign, 1),
        Err(FeeError::NotAtCounter)
    );
}

#[test]
fn references_carry_the_day_and_differ_between_applications() {
    let a = reference_for(Ulid::new(), date!(2026 - 11 - 21));
    let b = reference_for(Ulid::new(), date!(2026 - 11 - 21));
    assert!(a.starts_with("A20261121-") && a.len() == 16, "{a}");
    assert_ne!(a, b);
}

#[rstest]
#[case::new_one_year(Service::NewIssuance, 1, vec![(FeeItem::Certificate, 400), (FeeItem::Token, 100)])]
#[case::new_five_years(Service::NewIssuance, 5, vec![(FeeItem::Certificate, 2000), (FeeItem::Token, 100)])]
#[case::renewal_two_years(Service::Renewal, 2, vec![(FeeItem::Certificate, 800)])]
#[case::change(Service::Change, 3, vec![(FeeItem::Certificate, 1200)])]
#[case::replacement_charges_the_token_only(Service::Replacement, 5, vec![(FeeItem::Token, 100)])]
#[case::redispatch(Service::Redispatch, 1, vec![(FeeItem::Postage, 20)])]
#[case::pin_unlock_is_free(Service::PinUnlock, 1, vec![])]
#[case::revocation_is_free(Service::Revocation, 1, vec![])]
fn fees_follow_the_price_table(
    #[case] service: Service,
    #[case] years: u8,
    #[case] expected: Vec<(FeeItem, i64)>,
) {
    let fees = FeeSchedule::example(Currency::Mop);
    let quote = fees.quote(service, CertificateClass::Qualified, years).expect("quote");
    let lines: Vec<(FeeItem, i64)> =
        quote.lines.iter().map(|l| (l.item, l.amount.minor / 100)).collect();
    assert_eq!(lines, expected);
    let total: i64 = expected.iter().map(|(_, major)| major).sum();
    assert_eq!(quote.total, mop(total));
}

#[rstest]
#[case(0)]
#[case(6)]
fn validity_outside_one_to_five_years_has_no_price(#[case] years: u8) {
    let fees = FeeSchedule::example(Currency::Mop);
    assert_eq!(
        fees.quote(Service::Renewal, CertificateClass::Standard, years),
        Err(FeeError::ValidityYears(years))
    );
}

/// An office's own table: 500 a year for qualified, 350 for the others, the token 120.
fn office_table() -> FeeTable {
    let per_year = |major: f64| (1..=5).map(|y| major * f64::from(y)).collect::<Vec<_>>();
    FeeTable {
        currency: Some(Currency::Hkd),
        certificate: [
            (CertificateClass::Qualified, per_year(500.0)),
            (CertificateClass::Standard, per_year(350.0)),
            (CertificateClass::Encryption, per_year(350.0)),
        ]
        .into(),
        token: 120.0,
        postage: 25.5,
    }
}

#[test]
fn an_office_table_sets_the_prices_in_hundredths() {
    let fees = office_table().schedule(Currency::Hkd).expect("a good table");
    let quote = fees.quote(Service::NewIssuance, CertificateClass::Qualified, 3).expect("quote");
    let lines: Vec<(FeeItem, i64)> = quote.lines.iter().map(|l| (l.item, l.amount.minor)).collect();
    assert_eq!(lines, [(FeeItem::Certificate, 150_000), (FeeItem::Token, 12_000)]);
    assert_eq!(quote.total.currency, Currency::Hkd);
    let postage = fees.quote(Service::Redispatch, CertificateClass::Standard, 1).expect("quote");
    assert_eq!(postage.total.minor, 2_550);
    // No currency written: the office's.
    let table = FeeTable { currency: None, ..office_table() };
    assert_eq!(table.schedule(Currency::Mop).expect("good").currency, Currency::Mop);
}

#[rstest]
#[case::another_currency(
    |t: &mut FeeTable| t.currency = Some(Currency::Cny),
    "currency",
    FeeTableError::Currency { table: Currency::Cny, office: Currency::Hkd }
)]
#[case::a_class_unpriced(
    |t: &mut FeeTable| drop(t.certificate.remove(&CertificateClass::Encryption)),
    "certificate.encryption",
    FeeTableError::Unpriced { class: CertificateClass::Encryption }
)]
#[case::cloud_sign_priced(
    |t: &mut FeeTable| drop(t.certificate.insert(CertificateClass::CloudSign, vec![1.0; 5])),
    "certificate.cloud_sign",
    FeeTableError::NotAtCounter
)]
#[case::four_years_only(
    |t: &mut FeeTable| drop(t.certificate.insert(CertificateClass::Standard, vec![1.0; 4])),
    "certificate.standard",
    FeeTableError::Years { class: CertificateClass::Standard, count: 4 }
)]
#[case::a_negative_year(
    |t: &mut FeeTable| t.certificate.entry(CertificateClass::Qualified).or_default()[2] = -1.0,
    "certificate.qualified (year 3)",
    FeeTableError::Amount { entry: "certificate.qualified (year 3)".into(), amount: -1.0 }
)]
#[case::a_thousandth(
    |t: &mut FeeTable| t.token = 100.005,
    "token",
    FeeTableError::Amount { entry: "token".into(), amount: 100.005 }
)]
#[case::beyond_any_price(
    |t: &mut FeeTable| t.token = 1e18,
    "token",
    FeeTableError::Amount { entry: "token".into(), amount: 1e18 }
)]
#[case::not_a_number(
    |t: &mut FeeTable| t.postage = f64::INFINITY,
    "postage",
    FeeTableError::Amount { entry: "postage".into(), amount: f64::INFINITY }
)]
fn a_bad_office_table_names_its_entry(
    #[case] spoil: fn(&mut FeeTable),
    #[case] entry: &str,
    #[case] expected: FeeTableError,
) {
    let mut table = office_table();
    spoil(&mut table);
    let err = table.schedule(Currency::Hkd).expect_err("refused");
    assert_eq!(err.entry(), entry);
    assert_eq!(err, expected);
}

fn certificate(holder_kind: HolderKind, days_left: i64, confirmed: bool) -> Certificate {
    Certificate {
        id: Ulid::new(),
        class: CertificateClass::Qualified,
        holder_kind,
        subject: SubjectDn { cn: "測試".into(), ..Default::default() },
        serial: Some("0a".into()),
        not_before: Some(NOW - Duration::days(365)),
        not_after: Some(NOW + Duration::days(days_left)),
        validity_years: 1,
        status: CertificateStatus::Valid,
        holder_person: (holder_kind != HolderKind::Organisation).then(Ulid::new),
        holder_organisation: holder_kind.belongs_to_organisation().then(Ulid::new),
        token: None,
        renewal_confirmed: confirmed,
        revocation_phrase: None,
        revocation: None,
        issuance: None,
    }
}

#[rstest]
#[case::confirmed_and_inside_the_window(HolderKind::Organisation, 10, true, true)]
#[case::on_the_last_day_of_the_window(HolderKind::Organisation, 30, true, true)]
#[case::expiring_today(HolderKind::Organisation, 0, true, true)]
#[case::one_day_too_early(HolderKind::Organisation, 31, true, false)]
#[case::not_confirmed_by_the_organisation(HolderKind::Organisation, 10, false, false)]
#[case::already_expired(HolderKind::Organisation, -1, true, false)]
#[case::personal_needs_no_confirmation(HolderKind::Person, 10, false, true)]
#[case::person_in_organisation_needs_it(HolderKind::PersonInOrganisation, 10, false, false)]
fn the_renewal_due_rule(
    #[case] holder: HolderKind,
    #[case] days_left: i64,
    #[case] confirmed: bool,
    #[case] due: bool,
) {
    let cert = certificate(holder, days_left, confirmed);
    assert_eq!(is_renewal_due(&cert, NOW, RENEWAL_WINDOW_DAYS), due);
}

#[test]
fn revoked_suspended_and_cloud_sign_certificates_are_never_due() {
    let mut revoked = certificate(HolderKind::Person, 5, true);
    revoked.status = CertificateStatus::Revoked;
    let mut suspended = certificate(HolderKind::Person, 5, true);
    suspended.status = CertificateStatus::Suspended;
    let mut cloud = certificate(HolderKind::Person, 5, true);
    cloud.class = CertificateClass::CloudSign;
    let later = certificate(HolderKind::Person, 20, true);
    let sooner = certificate(HolderKind::Person, 2, true);
    let all = [revoked, suspended, cloud, later.clone(), sooner.clone()];
    let due = renewal_due_within(&all, NOW, RENEWAL_WINDOW_DAYS);
    assert_eq!(
        due.iter().map(|c| c.id).collect::<Vec<_>>(),
        [sooner.id, later.id],
        "soonest first"
    );
}

#[test]
fn revoking_a_certificate_revokes_its_seals_and_cannot_be_repeated() {
    let mut cert = certificate(HolderKind::Organisation, 100, false);
    let org = cert.holder_organisation.expect("org");
    let seal = |certificate| Seal {
        id: Ulid::new(),
        organisation: org,
        seal_kind: SealKind::Organisation,
        name: "公司印章".into(),
        certificate,
        status: SealStatus::Active,
    };
    let mut seals = vec![seal(Some(cert.id)), seal(Some(Ulid::new())), seal(None)];
    cert.revoke(NOW, RevocationReason::KeyCompromise, &mut seals).expect("revoke");
    assert_eq!(cert.status, CertificateStatus::Revoked);
    let statuses: Vec<_> = seals.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [SealStatus::Revoked, SealStatus::Active, SealStatus::Active]);
    assert_eq!(
        cert.revoke(NOW, RevocationReason::Unspecified, &mut seals),
        Err(LifecycleError::AlreadyRevoked)
    );
    assert!(cert.validate().is_ok());
}

#[rstest]
#[case(TokenStatus::Blank, TokenStatus::Issued, true)]
#[case(TokenStatus::Issued, TokenStatus::Lost, true)]
#[case(TokenStatus::Issued, TokenStatus::Damaged, true)]
#[case(TokenStatus::Damaged, TokenStatus::Retired, true)]
#[case(TokenStatus::Issued, TokenStatus::Blank, true)]
#[case(TokenStatus::Lost, TokenStatus::Issued, false)]
#[case(TokenStatus::Lost, TokenStatus::Blank, false)]
#[case(TokenStatus::Retired, TokenStatus::Issued, false)]
#[case(TokenStatus::Damaged, TokenStatus::Issued, false)]
fn token_lifecycle(#[case] from: TokenStatus, #[case] to: TokenStatus, #[case] allowed: bool) {
    assert_eq!(from.transition(to).is_ok(), allowed, "{from:?} -> {to:?}");
}

#[test]
fn a_lost_token_is_never_unlocked() {
    assert_eq!(TokenStatus::Lost.can_be_unlocked(), Err(LifecycleError::TokenLost));
    assert_eq!(TokenStatus::Lost.transition(TokenStatus::Issued), Err(LifecycleError::TokenLost));
    assert!(TokenStatus::Issued.can_be_unlocked().is_ok());
    assert_eq!(
        TokenStatus::Blank.can_be_unlocked(),
        Err(LifecycleError::TokenNotInUse(TokenStatus::Blank))
    );
}

fn organisation() -> Organisation {
    Organisation {
        id: Ulid::new(),
        name_zh: Some("广州网证科技有限公司".into()),
        name_latin: Some("GUANGZHOU WANGZHENG TECHNOLOGY CO., LTD.".into()),
        registration: OrganisationRegistration {
            kind: RegistrationKind::Uscc,
            number: "91350100M000100Y43".into(),
        },
        legal_representative: None,
        licence_valid_until: None,
        address: None,
        phone: None,
        website: None,
    }
}

#[test]
fn the_invoice_title_must_be_the_organisations_name() {
    let org = organisation();
    let mut invoice = InvoiceDetails {
        kind: InvoiceKind::OrdinaryElectronic,
        title: "广州网证科技有限公司".into(),
        taxpayer_id: "91350100M000100Y43".into(),
        email: "finance@example.cn".into(),
        bank: None,
        bank_account: None,
        address: None,
        phone: None,
    };
    assert!(invoice.validate(&org).is_ok());
    invoice.title = "广州网证科技".into();
    let problems = invoice.validate(&org).expect_err("title");
    assert_eq!(problems[0].code, "problem-title-not-organisation");
}

#[test]
fn a_vat_special_invoice_lists_every_missing_detail() {
    let org = organisation();
    let invoice = InvoiceDetails {
        kind: InvoiceKind::VatSpecial,
        title: "".into(),
        taxpayer_id: "91350100M000100Y44".into(),
        email: "finance".into(),
        bank: None,
        bank_account: Some(" ".into()),
        address: None,
        phone: None,
    };
    let fields: Vec<String> =
        invoice.validate(&org).expect_err("problems").into_iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        ["title", "taxpayer_id", "email", "bank", "bank_account", "address", "phone"]
    );
}

/// A VAT special invoice whole: every detail the organisation gives for one.
fn vat_special_invoice() -> InvoiceDetails {
    InvoiceDetails {
        kind: InvoiceKind::VatSpecial,
        title: "广州网证科技有限公司".into(),
        taxpayer_id: "91350100M000100Y43".into(),
        email: "finance@example.cn".into(),
        bank: Some("中国工商银行广州天河支行".into()),
        bank_account: Some("3602 0000 0900 1234 567".into()),
        address: Some("广州市天河区体育西路 1 号".into()),
        phone: Some("020-8888 1234".into()),
    }
}

#[rstest]
#[case::whole(InvoiceKind::VatSpecial, |_: &mut InvoiceDetails| {}, &[])]
#[case::no_bank(InvoiceKind::VatSpecial, |i: &mut InvoiceDetails| i.bank = None, &["bank"])]
#[case::blank_account(
    InvoiceKind::VatSpecial,
    |i: &mut InvoiceDetails| i.bank_account = Some("  ".into()),
    &["bank_account"]
)]
#[case::no_address(InvoiceKind::VatSpecial, |i: &mut InvoiceDetails| i.address = None, &["address"])]
#[case::no_phone(InvoiceKind::VatSpecial, |i: &mut InvoiceDetails| i.phone = None, &["phone"])]
#[case::ordinary_needs_none_of_them(
    InvoiceKind::OrdinaryElectronic,
    |i: &mut InvoiceDetails| {
        (i.bank, i.bank_account, i.address, i.phone) = (None, None, None, None);
    },
    &[]
)]
#[case::ordinary_keeps_its_own_rules(
    InvoiceKind::OrdinaryElectronic,
    |i: &mut InvoiceDetails| i.email = "finance".into(),
    &["email"]
)]
fn a_vat_special_invoice_needs_its_bank_account_address_and_phone(
    #[case] kind: InvoiceKind,
    #[case] change: fn(&mut InvoiceDetails),
    #[case] missing: &[&str],
) {
    let mut invoice = InvoiceDetails { kind, ..vat_special_invoice() };
    change(&mut invoice);
    let fields: Vec<String> = match invoice.validate(&organisation()) {
        Ok(()) => Vec::new(),
        Err(problems) => problems.into_iter().map(|p| p.field).collect(),
    };
    assert_eq!(fields, missing);
}

#[test]
fn an_invoice_kept_before_the_phone_was_asked_for_still_reads() {
    let old = r#"{"kind":"vat_special","title":"广州网证科技有限公司",
        "taxpayer_id":"91350100M000100Y43","email":"finance@example.cn",
        "bank":"中国工商银行","bank_account":"3602","address":"广州市"}"#;
    let invoice: InvoiceDetails = serde_json::from_str(old).expect("an old record reads");
    assert_eq!((invoice.bank.as_deref(), invoice.phone), (Some("中国工商银行"), None));
    let older = r#"{"kind":"ordinary_electronic","title":"t","taxpayer_id":"x","email":"e"}"#;
    let invoice: InvoiceDetails = serde_json::from_str(older).expect("reads");
    assert_eq!(invoice.bank_account, None);
}

#[test]
fn organisations_with_a_bad_uscc_are_refused() {
    let mut org = organisation();
    assert!(org.validate().is_ok());
    org.registration.number = "91350100M000100Y44".into();
    org.name_zh = None;
    org.name_latin = Some(" ".into());
    let fields: Vec<String> =
        org.validate().expect_err("bad").into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["name", "registration.number"]);
}

#[test]
fn authorisations_are_in_force_only_while_active_and_in_their_dates() {
    let auth = Authorisation {
        id: Ulid::new(),
        organisation: Ulid::new(),
        grantee: Ulid::new(),
        granted_by: Ulid::new(),
        object: AuthorisedObject::Seal(Ulid::new()),
        valid_from: date!(2026 - 01 - 01),
        valid_until: date!(2027 - 12 - 31),
        status: AuthorisationStatus::Active,
    };
    assert!(auth.in_force_on(date!(2026 - 11 - 21)));
    assert!(!auth.in_force_on(date!(2028 - 01 - 01)));
    let withdrawn = Authorisation { status: AuthorisationStatus::Withdrawn, ..auth.clone() };
    assert!(!withdrawn.in_force_on(date!(2026 - 11 - 21)));
    let backwards = Authorisation { valid_until: date!(2025 - 01 - 01), ..auth };
    assert!(backwards.validate().is_err());
}

#[test]
fn money_prints_with_its_currency() {
    assert_eq!(Money { minor: 40_050, currency: Currency::Mop }.to_string(), "MOP 400.50");
    assert_eq!(Money { minor: -5, currency: Currency::Cny }.to_string(), "CNY -0.05");
}

#[test]
fn returned_for_correction_the_draft_can_be_submitted_again() {
    let app = application(Service::Renewal).apply(A::Submit { organisation: None }, clerk());
    let app = app.expect("submit").apply(A::ReturnForCorrection, clerk()).expect("return");
    assert_eq!(app.state(), S::Draft);
    let again = app.apply(A::Submit { organisation: None }, clerk()).expect("resubmit");
    assert_eq!(again.state(), S::UnderReview);
}

#[test]
fn what_waits_for_a_supervisor_only_a_supervisor_rejects() {
    let mut app = application(Service::PinUnlock);
    app.progress.state = S::AwaitingApproval;
    let reject = || A::Reject { reason: "no ID".into() };
    assert_eq!(app.apply(reject(), clerk()), Err(TransitionError::SupervisorRequired));
    assert_eq!(app.apply(reject(), supervisor()).expect("reject").state(), S::Rejected);
}

#[test]
fn a_negative_fee_is_refused() {
    let mut app = application(Service::Renewal);
    app.progress.state = S::UnderReview;
    let fee = Money { minor: -1, currency: Currency::Mop };
    assert_eq!(app.apply(A::PassVetting { fee }, clerk()), Err(TransitionError::NegativeFee(fee)));
}

#[test]
fn the_invoice_is_checked_against_the_organisation_at_submission() {
    let org = organisation();
    let mut app = application(Service::Renewal);
    app.organisation = Some(org.id);
    app.invoice = Some(InvoiceDetails {
        kind: InvoiceKind::OrdinaryElectronic,
        title: "另一家公司".into(),
        taxpayer_id: "91350100M000100Y43".into(),
        email: "finance@example.cn".into(),
        bank: None,
        bank_account: None,
        address: None,
        phone: None,
    });
    let Err(TransitionError::Incomplete(problems)) =
        app.apply(A::Submit { organisation: Some(org.clone()) }, clerk())
    else {
        panic!("a wrong title must be refused")
    };
    assert_eq!(problems[0].field, "invoice.title");
    // Without the organisation there is nothing to check the title against.
    let Err(TransitionError::Incomplete(problems)) =
        app.apply(A::Submit { organisation: None }, clerk())
    else {
        panic!("must ask for the organisation")
    };
    assert_eq!(problems[0].field, "organisation");
    if let Some(invoice) = app.invoice.as_mut() {
        invoice.title = "广州网证科技有限公司".into();
    }
    assert!(app.apply(A::Submit { organisation: Some(org) }, clerk()).is_ok());
}

/// Every state against every action, for a renewal whose fee is set and nothing paid, acted on
/// by a supervisor who did not submit it: what each step gives.
#[test]
fn every_state_and_action() {
    use S::*;
    let actions = || {
        vec![
            A::Submit { organisation: None },
            A::ReturnForCorrection,
            A::RequireRevetting,
            A::PassVetting { fee: mop(800) },
            A::Approve,
            pay(mop(800)),
            A::Complete,
            A::Reject { reason: "r".into() },
            A::Cancel,
        ]
    };
    // Rows: states; columns: the actions above. None = refused.
    let table: [(S, [Option<S>; 9]); 8] = [
        (Draft, [Some(UnderReview), None, None, None, None, None, None, None, Some(Cancelled)]),
        (
            UnderReview,
            [
                None,
                Some(Draft),
                Some(Draft),
                Some(AwaitingPayment),
                None,
                None,
                None,
                Some(Rejected),
                Some(Cancelled),
            ],
        ),
        (
            AwaitingApproval,
            [
                None,
                Some(Draft),
                Some(Draft),
                None,
                Some(AwaitingPayment),
                None,
                None,
                Some(Rejected),
                Some(Cancelled),
            ],
        ),
        (
            AwaitingPayment,
            [
                None,
                Some(Draft),
                Some(Draft),
                None,
                None,
                Some(AwaitingFulfilment),
                None,
                None,
                Some(Cancelled),
            ],
        ),
        (
            AwaitingFulfilment,
            [None, None, Some(Draft), None, None, None, Some(Completed), None, Some(Cancelled)],
        ),
        (Completed, [None; 9]),
        (Rejected, [None; 9]),
        (Cancelled, [None; 9]),
    ];
    for (state, outcomes) in table {
        for (action, expected) in actions().into_iter().zip(outcomes) {
            let mut app = application(Service::Renewal);
            app.progress.state = state;
            app.progress.fee = Some(mop(800));
            let name = action.name();
            let got = app.apply(action, supervisor()).ok().map(|a| a.state());
            assert_eq!(got, expected, "{state:?} + {name}");
        }
    }
}

/// The identity data changed after payment: back to a draft with the payment and the fee kept;
/// vetted again, it goes past payment, and a fee other than the one paid is refused.
#[test]
fn sent_back_to_vetting_after_payment_the_payment_stands_and_is_not_asked_again() {
    let app = application(Service::Renewal).apply(A::Submit { organisation: None }, clerk());
    let app = app.expect("submit").apply(A::PassVetting { fee: mop(800) }, clerk()).expect("vet");
    let paid = app.apply(pay(mop(800)), clerk()).expect("pay");
    assert_eq!(paid.state(), S::AwaitingFulfilment);
    let back = paid.apply(A::RequireRevetting, clerk()).expect("revet");
    assert_eq!(back.state(), S::Draft);
    assert_eq!(back.progress.fee, Some(mop(800)));
    assert_eq!(back.progress.payment, paid.progress.payment, "the payment stays recorded");
    // A draft that was paid for is a refund to cancel or reject: a supervisor's.
    assert_eq!(back.apply(A::Cancel, clerk()), Err(TransitionError::SupervisorRequired));
    let again = back.apply(A::Submit { organisation: None }, clerk()).expect("resubmit");
    assert_eq!(
        again.apply(A::Reject { reason: "r".into() }, clerk()),
        Err(TransitionError::SupervisorRequired)
    );
    assert_eq!(
        again.apply(A::PassVetting { fee: mop(900) }, clerk()),
        Err(TransitionError::WrongAmount { expected: mop(900), paid: mop(800) }),
        "never a second charge"
    );
    let vetted = again.apply(A::PassVetting { fee: mop(800) }, clerk()).expect("vet again");
    assert_eq!(vetted.state(), S::AwaitingFulfilment, "paid already: no payment step");
    assert_eq!(
        vetted.apply(pay(mop(800)), clerk()).map(|_| ()),
        Err(TransitionError::NotAllowed { from: S::AwaitingFulfilment, action: "record_payment" })
    );

    // Overridden this time: a supervisor approves again, then on to fulfilment, still paid.
    let mut overridden = paid.apply(A::RequireRevetting, clerk()).expect("revet");
    overridden.identity_override = true;
    let vetted = overridden
        .apply(A::Submit { organisation: None }, clerk())
        .and_then(|a| a.apply(A::PassVetting { fee: mop(800) }, clerk()))
        .expect("vetted");
    assert_eq!(vetted.state(), S::AwaitingApproval);
    assert_eq!(vetted.progress.approved_by, None);
    let approved = vetted.apply(A::Approve, supervisor()).expect("approve");
    assert_eq!(approved.state(), S::AwaitingFulfilment);
}

#[test]
fn a_plain_write_cannot_move_an_application_or_revive_a_token_or_certificate() {
    let draft = application(Service::Renewal);
    assert!(Application::check_change(None, &draft).is_ok());
    let mut moved = draft.clone();
    moved.progress.state = S::Completed;
    assert!(Application::check_change(None, &moved).is_err(), "created past the draft");
    assert!(Application::check_change(Some(&draft), &moved).is_err(), "moved without apply");
    let mut edited = draft.clone();
    edited.validity_years = 3;
    assert!(Application::check_change(Some(&draft), &edited).is_ok(), "other fields may change");
    // Once submitted, the vetted data stays; the visit's record of its steps goes on (payment,
    // the re-check and issuance come after submission).
    let mut submitted = draft.clone();
    submitted.progress.state = S::AwaitingPayment;
    let mut stepped = submitted.clone();
    stepped.visit.facts.insert(registry::visit::Fact::Paid);
    assert!(Application::check_change(Some(&submitted), &stepped).is_ok(), "the visit goes on");
    let mut revetted = submitted.clone();
    revetted.validity_years = 3;
    assert!(Application::check_change(Some(&submitted), &revetted).is_err(), "vetted stays");

    let token = Token {
        id: Ulid::new(),
        serial: "ES1".into(),
        model: None,
        status: TokenStatus::Lost,
        holder_person: None,
        holder_organisation: None,
        pin_failures: 0,
    };
    let found = Token { status: TokenStatus::Issued, ..token.clone() };
    assert!(Token::check_change(Some(&token), &found).is_err());

    let mut cert = certificate(HolderKind::Person, 100, false);
    cert.status = CertificateStatus::Revoked;
    let revived = Certificate { status: CertificateStatus::Valid, ..cert.clone() };
    assert!(Certificate::check_change(Some(&cert), &revived).is_err());
    let reserialled = Certificate { serial: Some("0b".into()), ..cert.clone() };
    assert!(Certificate::check_change(Some(&cert), &reserialled).is_err());
}

#[test]
fn a_wrong_fee_goes_back_for_correction_and_is_forgotten() {
    let mut app = application(Service::Renewal);
    app.progress.state = S::AwaitingPayment;
    app.progress.fee = Some(mop(9999));
    let back = app.apply(A::ReturnForCorrection, clerk()).expect("return");
    assert_eq!(back.state(), S::Draft);
    assert_eq!(back.progress.fee, None);
}

#[test]
fn a_late_no_show_checks_in_and_a_ticket_is_called_again() {
    let appointment = Appointment {
        id: Ulid::new(),
        reference: "B1".into(),
        person: None,
        organisation: None,
        booked_name: "陳大文".into(),
        service: Service::Renewal,
        slot: NOW,
        status: AppointmentStatus::NoShow,
    };
    let arrived = Appointment { status: AppointmentStatus::CheckedIn, ..appointment.clone() };
    assert!(Appointment::check_change(Some(&appointment), &arrived).is_ok());
    let served = Appointment { status: AppointmentStatus::Served, ..appointment.clone() };
    let reopened = Appointment { status: AppointmentStatus::Booked, ..appointment };
    assert!(Appointment::check_change(Some(&served), &reopened).is_err());

    let ticket = WalkInTicket {
        id: Ulid::new(),
        number: "W001".into(),
        service: Service::NewIssuance,
        issued_at: NOW,
        status: TicketStatus::Left,
    };
    let called = WalkInTicket { status: TicketStatus::Called, ..ticket.clone() };
    assert!(WalkInTicket::check_change(Some(&ticket), &called).is_ok());
    let served = WalkInTicket { status: TicketStatus::Served, ..ticket };
    assert!(WalkInTicket::check_change(Some(&served), &called).is_err());
}

#[rstest]
#[case(CertificateStatus::Pending, CertificateStatus::Valid, true)]
#[case(CertificateStatus::Valid, CertificateStatus::Suspended, true)]
#[case(CertificateStatus::Suspended, CertificateStatus::Valid, true)]
#[case(CertificateStatus::Valid, CertificateStatus::Expired, true)]
#[case(CertificateStatus::Expired, CertificateStatus::Valid, false)]
#[case(CertificateStatus::Valid, CertificateStatus::Pending, false)]
#[case(CertificateStatus::Pending, CertificateStatus::Revoked, false)]
#[case(CertificateStatus::Revoked, CertificateStatus::Valid, false)]
fn certificate_lifecycle(
    #[case] from: CertificateStatus,
    #[case] to: CertificateStatus,
    #[case] allowed: bool,
) {
    let before = Certificate { status: from, ..certificate(HolderKind::Person, 100, false) };
    let after = Certificate { status: to, ..before.clone() };
    assert_eq!(
        Certificate::check_change(Some(&before), &after).is_ok(),
        allowed,
        "{from:?} -> {to:?}"
    );
}

#[test]
fn revoked_seals_cancelled_authorisations_and_audit_events_stay_as_they_are() {
    let seal = Seal {
        id: Ulid::new(),
        organisation: Ulid::new(),
        seal_kind: SealKind::Organisation,
        name: "公司印章".into(),
        certificate: None,
        status: SealStatus::Revoked,
    };
    let restored = Seal { status: SealStatus::Active, ..seal.clone() };
    assert!(Seal::check_change(Some(&seal), &restored).is_err());

    let auth = Authorisation {
        id: Ulid::new(),
        organisation: Ulid::new(),
        grantee: Ulid::new(),
        granted_by: Ulid::new(),
        object: AuthorisedObject::Seal(seal.id),
        valid_from: date!(2026 - 01 - 01),
        valid_until: date!(2027 - 01 - 01),
        status: AuthorisationStatus::Withdrawn,
    };
    let active = Authorisation { status: AuthorisationStatus::Active, ..auth.clone() };
    assert!(Authorisation::check_change(Some(&auth), &active).is_ok(), "withdrawn can return");
    let cancelled = Authorisation { status: AuthorisationStatus::Cancelled, ..auth };
    assert!(Authorisation::check_change(Some(&cancelled), &active).is_err());

    let audit = registry::audit::AuditEvent {
        id: Ulid::new(),
        at: NOW,
        kiosk: "K1".into(),
        clerk: None,
        action: registry::audit::AuditAction::DemoProvisioned,
        subject_kind: None,
        subject: None,
    };
    assert!(registry::audit::AuditEvent::check_change(None, &audit).is_ok());
    let rewritten = registry::audit::AuditEvent { kiosk: "K2".into(), ..audit.clone() };
    assert!(registry::audit::AuditEvent::check_change(Some(&audit), &rewritten).is_err());
}

#[test]
fn finality_ranks_only_rise_along_each_lifecycle() {
    use serde_json::json;
    let rank = |kind, field, value| merge_rank(kind, field, &value);
    assert!(
        rank(RecordKind::Certificate, "status", json!("revoked"))
            > rank(RecordKind::Certificate, "status", json!("suspended"))
    );
    assert!(
        rank(RecordKind::Certificate, "status", json!("revoked"))
            > rank(RecordKind::Certificate, "status", json!("expired"))
    );
    assert!(
        rank(RecordKind::Token, "status", json!("lost"))
            > rank(RecordKind::Token, "status", json!("blank"))
    );
    assert!(
        rank(RecordKind::Token, "status", json!("retired"))
            > rank(RecordKind::Token, "status", json!("damaged"))
    );
    assert!(
        rank(RecordKind::Application, "progress", json!({"state": "completed"}))
            > rank(RecordKind::Application, "progress", json!({"state": "awaiting_fulfilment"}))
    );
    assert_eq!(rank(RecordKind::Person, "email", json!("a@b.c")), 0);
}
