//! The day-end close: which events count for a counter's office day, each figure of the report,
//! and who may close a day, once.

use registry::application::{Application, ApplicationState, Payment};
use registry::audit::{AuditAction, AuditEvent, StepOutcome};
use registry::day_end::{
    ApplicationLine, CloseRefused, DayEnd, PaymentTotal, Sources, TokenLine, TokenStatusChange,
    count_day, day_bounds, may_close,
};
use registry::model::*;
use registry::visit::{FormRecord, PaymentMethod, Step};
use rstest::rstest;
use time::macros::{date, datetime, offset};
use time::{Date, OffsetDateTime, UtcOffset};
use ulid::Ulid;

const MACAU: UtcOffset = offset!(+8);
const DAY: Date = date!(2026 - 11 - 30);
const NOON: OffsetDateTime = datetime!(2026-11-30 12:00 +8);
const HERE: &str = "K1";

fn id(n: u128) -> RecordId {
    Ulid::from(n)
}

fn application(n: u128, service: Service, state: ApplicationState) -> Application {
    let mut app = Application::draft(
        id(n),
        service,
        id(9000 + n),
        HolderKind::Person,
        CertificateClass::Qualified,
        datetime!(2026-11-30 09:00 +8),
    );
    app.reference = format!("A20261130-{n:06}");
    app.progress.state = state;
    app
}

fn paid(
    mut app: Application,
    minor: i64,
    currency: Currency,
    method: Option<PaymentMethod>,
) -> Application {
    let amount = Money { minor, currency };
    app.progress.fee = Some(amount);
    app.progress.payment = Some(Payment { amount, reference: "R-1".into(), at: NOON });
    app.visit.payment_method = method;
    app
}

fn audit(subject: RecordId, action: AuditAction, kiosk: &str, at: OffsetDateTime) -> AuditEvent {
    AuditEvent {
        id: Ulid::new(),
        at,
        kiosk: kiosk.into(),
        clerk: Some(id(1)),
        action,
        subject_kind: Some(RecordKind::Application),
        subject: Some(subject),
    }
}

fn moved(
    subject: RecordId,
    action: &str,
    from: &str,
    to: &str,
    kiosk: &str,
    at: OffsetDateTime,
) -> AuditEvent {
    let action = AuditAction::ApplicationTransition {
        action: action.into(),
        from: from.into(),
        to: to.into(),
    };
    audit(subject, action, kiosk, at)
}

fn completed(subject: RecordId, kiosk: &str, at: OffsetDateTime) -> AuditEvent {
    moved(subject, "complete", "awaiting_fulfilment", "completed", kiosk, at)
}

fn payment(subject: RecordId, kiosk: &str, at: OffsetDateTime) -> AuditEvent {
    moved(subject, "record_payment", "awaiting_payment", "awaiting_fulfilment", kiosk, at)
}

fn form_printed(subject: RecordId, kiosk: &str, at: OffsetDateTime) -> AuditEvent {
    let action = AuditAction::VisitStep {
        step: Step::Form,
        outcome: StepOutcome::Printed { job: "J-1".into() },
    };
    audit(subject, action, kiosk, at)
}

fn token(n: u128, status: TokenStatus, kiosk: &str, at: OffsetDateTime) -> TokenStatusChange {
    TokenStatusChange { token: id(n), serial: format!("T{n:04}"), status, at, kiosk: kiosk.into() }
}

fn report(
    applications: &[Application],
    audit: &[AuditEvent],
    tokens: &[TokenStatusChange],
) -> registry::day_end::DayEndReport {
    count_day(HERE, DAY, MACAU, &Sources { applications, audit, tokens })
}

fn form(printed_at: OffsetDateTime, signed_at: Option<OffsetDateTime>) -> FormRecord {
    FormRecord {
        printed_at,
        job: Some("J-1".into()),
        print: None,
        identity: String::new(),
        subjects: String::new(),
        signed_at,
    }
}

/// The figure each kind of fact adds to when it counts.
#[derive(Debug, Clone, Copy)]
enum Figure {
    ServiceDone,
    Payment,
    TokenUsed,
    TokenSpoiled,
    FormPrinted,
}

/// One fact of `figure`'s kind, made on `kiosk` at `at`, and how many the report counts.
fn counted(figure: Figure, kiosk: &str, at: OffsetDateTime) -> u32 {
    let app = paid(
        application(1, Service::Renewal, ApplicationState::Completed),
        40_000,
        Currency::Mop,
        Some(PaymentMethod::Cash),
    );
    let apps = [app];
    let (audit, tokens) = match figure {
        Figure::ServiceDone => (vec![completed(id(1), kiosk, at)], vec![]),
        Figure::Payment => (vec![payment(id(1), kiosk, at)], vec![]),
        Figure::FormPrinted => (vec![form_printed(id(1), kiosk, at)], vec![]),
        Figure::TokenUsed => (vec![], vec![token(7, TokenStatus::Issued, kiosk, at)]),
        Figure::TokenSpoiled => (vec![], vec![token(7, TokenStatus::Damaged, kiosk, at)]),
    };
    let r = report(&apps, &audit, &tokens);
    match figure {
        Figure::ServiceDone => r.services_completed(),
        Figure::Payment => r.payments.iter().map(|p| p.count).sum(),
        Figure::FormPrinted => r.forms_printed,
        Figure::TokenUsed => r.tokens_used.len() as u32,
        Figure::TokenSpoiled => r.tokens_spoiled.len() as u32,
    }
}

/// The day is the office's, midnight to midnight in its zone, and the counter's own.
#[rstest]
#[case::the_first_moment_of_the_day(HERE, datetime!(2026-11-30 00:00 +8), 1)]
#[case::the_last_second_of_the_day(HERE, datetime!(2026-11-30 23:59:59 +8), 1)]
#[case::the_day_before(HERE, datetime!(2026-11-29 23:59:59 +8), 0)]
#[case::the_next_day(HERE, datetime!(2026-12-01 00:00 +8), 0)]
#[case::the_day_before_in_utc_but_today_in_macau(HERE, datetime!(2026-11-29 16:30 UTC), 1)]
#[case::today_in_utc_but_tomorrow_in_macau(HERE, datetime!(2026-11-30 16:30 UTC), 0)]
#[case::another_counter_of_the_office(HERE_OTHER, NOON, 0)]
fn a_fact_counts_on_its_counter_and_its_office_day(
    #[values(
        Figure::ServiceDone,
        Figure::Payment,
        Figure::TokenUsed,
        Figure::TokenSpoiled,
        Figure::FormPrinted
    )]
    figure: Figure,
    #[case] kiosk: &str,
    #[case] at: OffsetDateTime,
    #[case] expected: u32,
) {
    assert_eq!(counted(figure, kiosk, at), expected, "{figure:?} on {kiosk} at {at}");
}

const HERE_OTHER: &str = "K2";

#[test]
fn the_bounds_are_midnight_to_midnight_in_the_office_zone() {
    let (start, end) = day_bounds(DAY, MACAU);
    assert_eq!(start, datetime!(2026-11-30 00:00 +8));
    assert_eq!(end, datetime!(2026-12-01 00:00 +8));
}

#[test]
fn services_are_counted_by_type_every_type_listed_and_each_application_once() {
    let apps = [
        application(1, Service::Renewal, ApplicationState::Completed),
        application(2, Service::Renewal, ApplicationState::Completed),
        application(3, Service::PinUnlock, ApplicationState::Completed),
    ];
    let audit = [
        completed(id(1), HERE, NOON),
        completed(id(2), HERE, NOON),
        // The same completion seen twice (a replica's copy) is one service.
        completed(id(2), HERE, NOON),
        completed(id(3), HERE, NOON),
        // Moving on is not completing.
        moved(id(1), "pass_vetting", "under_review", "awaiting_payment", HERE, NOON),
    ];
    let r = report(&apps, &audit, &[]);
    assert_eq!(r.services.len(), Service::ALL.len());
    let done = |s: Service| r.services.iter().find(|c| c.service == s).map(|c| c.completed);
    assert_eq!(done(Service::Renewal), Some(2));
    assert_eq!(done(Service::PinUnlock), Some(1));
    assert_eq!(done(Service::NewIssuance), Some(0));
    assert_eq!(r.services_completed(), 3);
}

#[test]
fn fees_are_totalled_by_method_then_currency_with_unrecorded_methods_last() {
    let apps = [
        paid(
            application(1, Service::Renewal, ApplicationState::Completed),
            40_000,
            Currency::Mop,
            Some(PaymentMethod::Card),
        ),
        paid(
            application(2, Service::Renewal, ApplicationState::Completed),
            30_000,
            Currency::Mop,
            Some(PaymentMethod::Cash),
        ),
        paid(
            application(3, Service::NewIssuance, ApplicationState::AwaitingFulfilment),
            45_050,
            Currency::Mop,
            Some(PaymentMethod::Cash),
        ),
        paid(
            application(4, Service::Renewal, ApplicationState::Completed),
            10_000,
            Currency::Cny,
            Some(PaymentMethod::Cash),
        ),
        paid(
            application(5, Service::Replacement, ApplicationState::Completed),
            5_000,
            Currency::Mop,
            None,
        ),
        // Paid on another day: not today's money.
        paid(
            application(6, Service::Renewal, ApplicationState::Completed),
            99_900,
            Currency::Mop,
            Some(PaymentMethod::Cash),
        ),
    ];
    let mut audit: Vec<AuditEvent> = (1..=5).map(|n| payment(id(n), HERE, NOON)).collect();
    audit.push(payment(id(6), HERE, datetime!(2026-11-29 12:00 +8)));
    let r = report(&apps, &audit, &[]);
    let line = |method, count, minor, currency| PaymentTotal {
        method,
        count,
        total: Money { minor, currency },
    };
    assert_eq!(
        r.payments,
        [
            line(Some(PaymentMethod::Cash), 1, 10_000, Currency::Cny),
            line(Some(PaymentMethod::Cash), 2, 75_050, Currency::Mop),
            line(Some(PaymentMethod::Card), 1, 40_000, Currency::Mop),
            line(None, 1, 5_000, Currency::Mop),
        ]
    );
    assert!(r.refunds.is_empty());
}

#[test]
fn a_paid_application_cancelled_is_a_refund_and_an_unpaid_one_is_not() {
    let apps = [
        paid(
            application(1, Service::Renewal, ApplicationState::Cancelled),
            40_000,
            Currency::Mop,
            Some(PaymentMethod::Card),
        ),
        // Fee waived: nothing to give back.
        application(2, Service::Revocation, ApplicationState::Cancelled),
        // Cancelled before paying.
        application(3, Service::Renewal, ApplicationState::Cancelled),
    ];
    let audit = [
        payment(id(1), HERE, datetime!(2026-11-30 10:00 +8)),
        moved(id(1), "cancel", "awaiting_fulfilment", "cancelled", HERE, NOON),
        moved(id(2), "cancel", "awaiting_fulfilment", "cancelled", HERE, NOON),
        moved(id(3), "cancel", "awaiting_payment", "cancelled", HERE, NOON),
    ];
    let r = report(&apps, &audit, &[]);
    let card = PaymentTotal {
        method: Some(PaymentMethod::Card),
        count: 1,
        total: Money { minor: 40_000, currency: Currency::Mop },
    };
    assert_eq!(r.payments, [card]);
    assert_eq!(r.refunds, [card]);
    assert!(r.open_applications.is_empty(), "cancelled is not open: {:?}", r.open_applications);
}

#[test]
fn tokens_given_out_spoiled_and_lost_are_each_listed_once_as_they_stand_last() {
    let tokens = [
        token(1, TokenStatus::Issued, HERE, datetime!(2026-11-30 09:00 +8)),
        token(2, TokenStatus::Damaged, HERE, datetime!(2026-11-30 09:00 +8)),
        token(2, TokenStatus::Retired, HERE, datetime!(2026-11-30 11:00 +8)),
        token(3, TokenStatus::Retired, HERE, NOON),
        token(4, TokenStatus::Lost, HERE, NOON),
        // Wiped and back to stock: neither used nor spoiled.
        token(5, TokenStatus::Blank, HERE, NOON),
        // Issued at another counter.
        token(6, TokenStatus::Issued, HERE_OTHER, NOON),
    ];
    let r = report(&[], &[], &tokens);
    assert_eq!(r.tokens_used, ["T0001"]);
    assert_eq!(
        r.tokens_spoiled,
        [
            TokenLine { serial: "T0002".into(), status: TokenStatus::Retired },
            TokenLine { serial: "T0003".into(), status: TokenStatus::Retired },
        ]
    );
    assert_eq!(r.tokens_lost, ["T0004"]);
}

#[test]
fn forms_printed_today_are_counted_and_those_not_back_signed_are_listed() {
    let mut signed = application(1, Service::Renewal, ApplicationState::UnderReview);
    signed.visit.form = Some(form(NOON, Some(NOON + time::Duration::minutes(5))));
    let mut waiting = application(2, Service::NewIssuance, ApplicationState::Draft);
    waiting.visit.form = Some(form(NOON, None));
    // Printed yesterday and still unsigned: not today's print (it is an open application).
    let mut yesterday = application(3, Service::Renewal, ApplicationState::Draft);
    yesterday.visit.form = Some(form(datetime!(2026-11-29 12:00 +8), None));
    let audit = [
        form_printed(id(1), HERE, NOON),
        form_printed(id(2), HERE, NOON),
        // Printed twice (a reprint): one form in the drawer.
        form_printed(id(2), HERE, NOON + time::Duration::minutes(1)),
        form_printed(id(3), HERE, datetime!(2026-11-29 12:00 +8)),
    ];
    let r = report(&[signed, waiting, yesterday], &audit, &[]);
    assert_eq!(r.forms_printed, 2);
    assert_eq!(
        r.forms_unsigned,
        [ApplicationLine {
            application: id(2),
            reference: "A20261130-000002".into(),
            service: Service::NewIssuance,
            state: ApplicationState::Draft,
        }]
    );
}

#[rstest]
#[case::touched_here_today(Some(HERE), ApplicationState::Draft, Some(HERE), true)]
#[case::left_here_on_an_earlier_day(None, ApplicationState::AwaitingPayment, Some(HERE), true)]
#[case::touched_here_today_but_last_saved_elsewhere(
    Some(HERE),
    ApplicationState::UnderReview,
    Some(HERE_OTHER),
    true
)]
#[case::another_counters(Some(HERE_OTHER), ApplicationState::Draft, Some(HERE_OTHER), false)]
#[case::never_touched_here(None, ApplicationState::Draft, None, false)]
#[case::completed(Some(HERE), ApplicationState::Completed, Some(HERE), false)]
#[case::rejected(Some(HERE), ApplicationState::Rejected, Some(HERE), false)]
#[case::cancelled(Some(HERE), ApplicationState::Cancelled, Some(HERE), false)]
fn an_application_is_left_open_here_when_unfinished_and_this_counters(
    #[case] touched_on: Option<&str>,
    #[case] state: ApplicationState,
    #[case] last_saved_on: Option<&str>,
    #[case] listed: bool,
) {
    let mut app = application(1, Service::Renewal, state);
    app.created_at = datetime!(2026-11-20 09:00 +8);
    app.visit.kiosk = last_saved_on.map(str::to_owned);
    let audit: Vec<AuditEvent> = touched_on
        .map(|kiosk| {
            let step = AuditAction::VisitStep { step: Step::Consent, outcome: StepOutcome::Done };
            audit(id(1), step, kiosk, NOON)
        })
        .into_iter()
        .collect();
    let r = report(&[app], &audit, &[]);
    assert_eq!(!r.open_applications.is_empty(), listed, "{:?}", r.open_applications);
}

#[test]
fn an_application_made_after_the_day_is_not_left_open_on_it() {
    let mut app = application(1, Service::Renewal, ApplicationState::Draft);
    app.created_at = datetime!(2026-12-01 09:00 +8);
    app.visit.kiosk = Some(HERE.into());
    assert!(report(&[app], &[], &[]).open_applications.is_empty());
}

fn closed(kiosk: &str, day: Date) -> DayEnd {
    DayEnd {
        id: Ulid::new(),
        kiosk: kiosk.into(),
        day,
        closed_by: id(2),
        closed_at: datetime!(2026-11-30 18:05 +8),
        report: report(&[], &[], &[]),
    }
}

#[rstest]
#[case::a_supervisor_on_an_open_day(StaffRole::Supervisor, DAY, vec![], Ok(()))]
#[case::a_clerk(StaffRole::Clerk, DAY, vec![], Err("day-end-supervisor-only"))]
#[case::a_day_not_begun(StaffRole::Supervisor, date!(2026 - 12 - 01), vec![], Err("day-end-future-day"))]
#[case::an_earlier_day(StaffRole::Supervisor, date!(2026 - 11 - 29), vec![], Ok(()))]
#[case::closed_already_here(StaffRole::Supervisor, DAY, vec![closed(HERE, DAY)], Err("day-end-already-closed"))]
#[case::closed_on_another_counter(StaffRole::Supervisor, DAY, vec![closed(HERE_OTHER, DAY)], Ok(()))]
#[case::yesterday_closed_here(StaffRole::Supervisor, DAY, vec![closed(HERE, date!(2026 - 11 - 29))], Ok(()))]
#[case::a_clerk_on_a_closed_day(StaffRole::Clerk, DAY, vec![closed(HERE, DAY)], Err("day-end-supervisor-only"))]
fn who_may_close_which_day(
    #[case] role: StaffRole,
    #[case] day: Date,
    #[case] already: Vec<DayEnd>,
    #[case] expected: Result<(), &str>,
) {
    let answer = may_close(&already, HERE, day, role, NOON).map_err(|e| e.message_id());
    assert_eq!(answer, expected);
}

#[test]
fn a_second_close_names_who_closed_the_day_and_when() {
    let first = closed(HERE, DAY);
    let refused = may_close(std::slice::from_ref(&first), HERE, DAY, StaffRole::Supervisor, NOON)
        .expect_err("closed once");
    assert_eq!(refused, CloseRefused::AlreadyClosed { by: id(2), at: first.closed_at });
    let args = refused.message_args();
    assert!(args.contains(&("at", "2026-11-30 18:05".into())), "{args:?}");
    assert!(args.contains(&("by", id(2).to_string())), "{args:?}");
}

#[test]
fn a_closed_day_never_changes_and_reads_back_as_written() {
    let record = closed(HERE, DAY);
    assert!(record.validate().is_ok());
    assert!(DayEnd::check_change(None, &record).is_ok());
    assert!(DayEnd::check_change(Some(&record), &record).is_ok());
    let mut edited = record.clone();
    edited.report.forms_printed = 9;
    assert!(DayEnd::check_change(Some(&record), &edited).is_err());
    let json = serde_json::to_value(&record).expect("json");
    assert_eq!(json["day"], "2026-11-30");
    let back: DayEnd = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, record);
    assert_eq!(RecordKind::parse("day_end"), Some(RecordKind::DayEnd));
}

#[test]
fn a_record_for_no_counter_or_without_every_service_is_refused() {
    let mut record = closed("", DAY);
    let problems = record.validate().expect_err("no kiosk");
    assert!(problems.iter().any(|p| p.field == "kiosk"), "{problems:?}");
    record.kiosk = HERE.into();
    record.report.services.pop();
    let problems = record.validate().expect_err("a service missing");
    assert!(problems.iter().any(|p| p.field == "report.services"), "{problems:?}");
}
