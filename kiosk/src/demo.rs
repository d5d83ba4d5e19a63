//! `kiosk demo init`: a demo office with clerks, subscribers, certificates of every type (some due
//! for renewal), tokens, seals, today's appointments and walk-ins, and applications in several
//! states — so every feature has data to show. Everything goes through the store's one write
//! path and the domain's state machine, like real counter work.

use std::process::ExitCode;

use rand::Rng;
use registry::application::{
    Application, ApplicationAction, ApplicationState, DocumentKind, Payment,
};
use registry::audit::{AuditAction, AuditEvent};
use registry::fees::FeeSchedule;
use registry::ids::{self, IdKind};
use registry::model::*;
use store::{StoreError, Writer};
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};
use ulid::Ulid;

use crate::output::{self, errln, outln};
use crate::{Context, KioskError, auth};

/// A printed sign-in credential for the demo's staff.
struct Credential {
    username: &'static str,
    password: zeroize::Zeroizing<String>,
    role: StaffRole,
    /// The one-time code secret as an `otpauth://` URI, for the clerk's authenticator app.
    totp_uri: zeroize::Zeroizing<String>,
}

pub fn init(ctx: &Context, force: bool) -> Result<ExitCode, KioskError> {
    // The passwords are shown once, so they are shown before the office is committed: if
    // nobody can read them (a closed pipe, a full disk), nothing is created.
    let shown = |records: u64, credentials: &[Credential]| {
        show_credentials(ctx, records, credentials).and_then(|()| {
            if output::stdout_closed() {
                Err(KioskError::Output(std::io::ErrorKind::BrokenPipe.into()))
            } else {
                Ok(())
            }
        })
    };
    match provision(ctx, force, shown) {
        Err(KioskError::Output(e)) => Err(KioskError::Failed(
            ctx.t_with("demo-credentials-not-shown", &[("detail", e.to_string().into())]),
        )),
        Err(other) => Err(other),
        Ok(None) => {
            errln!("{}", ctx.t("demo-store-not-empty"));
            Ok(ExitCode::from(1))
        }
        Ok(Some((summary, _))) => {
            tracing::info!(records = summary, "demo office provisioned");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The counter app's first start: the demo office in an empty store, and its staff's
/// credentials for the screen to show once. `None` if the store is not empty after all.
pub fn provision_for_app(
    ctx: &Context,
) -> Result<Vec<crate::ui::screens::first_start::DemoCredential>, crate::ui::msg::Msg> {
    use crate::ui::msg::Msg;
    match provision(ctx, false, |_, _| Ok(())) {
        Ok(Some((records, credentials))) => {
            tracing::info!(records, "demo office provisioned from the first-start screen");
            Ok(credentials
                .into_iter()
                .map(|c| crate::ui::screens::first_start::DemoCredential {
                    username: c.username.to_owned(),
                    role: c.role,
                    password: c.password,
                    otpauth: c.totp_uri.to_string(),
                })
                .collect())
        }
        Ok(None) => Err(Msg::new("demo-store-not-empty")),
        Err(KioskError::Store(e)) => Err(Msg::store(&e)),
        Err(e) => Err(Msg::with("error-store", vec![("detail", e.category().to_owned())])),
    }
}

/// Writes the demo office in one transaction, calling `show` with the credentials before it
/// commits (an error from `show` creates nothing). `None` when the store already holds records
/// and `force` is not set.
fn provision(
    ctx: &Context,
    force: bool,
    show: impl FnOnce(u64, &[Credential]) -> Result<(), KioskError>,
) -> Result<Option<(u64, Vec<Credential>)>, KioskError> {
    let mut store = ctx.open_store_quietly()?;
    // "Today" and the appointment slots are the office's, whatever the machine's clock zone.
    let now = store.now().to_offset(ctx.office_offset());
    let fees = ctx.config.fee_schedule();
    let kiosk = store.kiosk_id().to_owned();
    // With --force, staff already on file keep their accounts (usernames stay unique) and get
    // new passwords.
    let existing: Vec<Clerk> = store.list()?;
    // Why the transaction was rolled back, when it was not the store's doing.
    let mut stopped: Option<KioskError> = None;
    let mut show = Some(show);
    let mut shown_credentials = Vec::new();
    let written = store.write(None, |w| {
        // Checked inside the write lock: two `demo init` on one new directory must not both
        // find it empty and provision two offices.
        let records_before = w.record_count()?;
        if records_before > 0 && !force {
            return Ok(None);
        }
        let office = Office::build(now)?;
        let mut credentials = Vec::new();
        let staff = office.clerks(ctx, &existing, &mut credentials)?;
        for clerk in &staff {
            w.put(clerk)?;
        }
        office.write(w, now, &kiosk, &staff, &fees)?;
        let summary = w.record_count()? - records_before;
        if let Some(show) = show.take()
            && let Err(err) = show(summary, &credentials)
        {
            stopped = Some(err);
            return Err(StoreError::Corrupt("the demo credentials could not be shown".into()));
        }
        shown_credentials = credentials;
        Ok(Some(summary))
    });
    match (written, stopped) {
        (_, Some(err)) => Err(err),
        (Err(e), None) => Err(e.into()),
        (Ok(None), None) => Ok(None),
        (Ok(Some(summary)), None) => {
            // The demo office checks its appointments' passes in from the start: it has the
            // office's pass key (a real office installs the key its booking system uses).
            crate::office_keys::load_or_create(&ctx.data_dir, crate::office_keys::OfficeKey::Pass)
                .map_err(|e| KioskError::DataDir { dir: ctx.data_dir.join("keys"), source: e })?;
            Ok(Some((summary, shown_credentials)))
        }
    }
}

fn show_credentials(
    ctx: &Context,
    records: u64,
    credentials: &[Credential],
) -> Result<(), KioskError> {
    outln!(
        "{}",
        ctx.t_with(
            "demo-provisioned",
            &[("records", records.into()), ("dir", ctx.data_dir_shown().into())]
        )
    )?;
    outln!()?;
    outln!("{}", ctx.t("demo-credentials-header"))?;
    for c in credentials {
        let role = crate::clerk_cmd::role_name(ctx, c.role);
        outln!("  {:<16} {:<14} {role}  {}", c.username, c.password.as_str(), c.totp_uri.as_str())?;
    }
    Ok(())
}

/// Takes a draft application to `target` through the state machine, one audited step at a time.
fn take_to(
    w: &mut Writer<'_>,
    draft: &Application,
    target: ApplicationState,
    clerk: RecordId,
    supervisor: RecordId,
    fees: &FeeSchedule,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    use ApplicationState as S;
    let mut app = draft.clone();
    while app.state() != target {
        let (action, actor) = match (app.state(), target) {
            // The store checks the invoice against the application's own organisation.
            (S::Draft, _) => (ApplicationAction::Submit { organisation: None }, clerk),
            (S::UnderReview, S::Rejected) => (
                ApplicationAction::Reject {
                    reason: "營業執照已過期 / business licence expired".into(),
                },
                clerk,
            ),
            (S::UnderReview, _) => {
                let quote = fees
                    .quote(app.service, app.certificate_class, app.validity_years)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                (ApplicationAction::PassVetting { fee: quote.total }, clerk)
            }
            (S::AwaitingApproval, S::Cancelled) => (ApplicationAction::Cancel, clerk),
            (S::AwaitingApproval, _) => (ApplicationAction::Approve, supervisor),
            (S::AwaitingPayment, _) => {
                let amount = app.progress.fee.unwrap_or(Money::zero(fees.currency));
                let reference = format!("POS-{}", &app.reference[app.reference.len() - 6..]);
                (ApplicationAction::RecordPayment(Payment { amount, reference, at: now }), clerk)
            }
            (S::AwaitingFulfilment, _) => (ApplicationAction::Complete, clerk),
            (state, _) => return Err(StoreError::Corrupt(format!("demo plan stuck at {state:?}"))),
        };
        app = w.transition(app.id, action, actor)?;
    }
    Ok(())
}

/// Completes an identity number whose last character is its check character, by asking the
/// validator which candidate it accepts — the validator stays the one source of truth.
fn complete_id(kind: IdKind, body: &str) -> Result<String, StoreError> {
    let candidates = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    candidates
        .chars()
        .find_map(|c| ids::check(kind, &format!("{body}{c}")).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("no check character completes {kind} {body}")))
}

fn random_serial() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    // Positive and without a leading zero byte, as an X.509 serial is written.
    let mut hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    hex.replace_range(0..1, "4");
    hex
}

fn at_local(day: Date, hour: u8, minute: u8, offset: UtcOffset) -> OffsetDateTime {
    let time = Time::from_hms(hour, minute, 0).unwrap_or(Time::MIDNIGHT);
    day.with_time(time).assume_offset(offset)
}

struct PersonSeed {
    zh: Option<&'static str>,
    latin: &'static str,
    kind: IdDocumentKind,
    id_body: &'static str,
    nationality: &'static str,
    birth: (i32, u8, u8),
    sex: Sex,
    phone: &'static str,
}

const PEOPLE: &[PersonSeed] = &[
    PersonSeed {
        zh: Some("陳大文"),
        latin: "CHAN TAI MAN",
        kind: IdDocumentKind::MacauResident,
        id_body: "1234567(3)",
        nationality: "CHN",
        birth: (1980, 3, 12),
        sex: Sex::M,
        phone: "+853 6612 3456",
    },
    PersonSeed {
        zh: Some("李美玲"),
        latin: "LEI MEI LENG",
        kind: IdDocumentKind::MacauResident,
        id_body: "5215890(1)",
        nationality: "CHN",
        birth: (1975, 11, 2),
        sex: Sex::F,
        phone: "+853 6688 1020",
    },
    PersonSeed {
        zh: Some("黃志明"),
        latin: "WONG CHI MING",
        kind: IdDocumentKind::HongKongResident,
        id_body: "A123456",
        nationality: "CHN",
        birth: (1969, 7, 30),
        sex: Sex::M,
        phone: "+852 9123 4567",
    },
    PersonSeed {
        zh: Some("張偉"),
        latin: "ZHANG WEI",
        kind: IdDocumentKind::MainlandResident,
        id_body: "44010619900307123",
        nationality: "CHN",
        birth: (1990, 3, 7),
        sex: Sex::M,
        phone: "+86 138 0013 8000",
    },
    PersonSeed {
        zh: Some("王芳"),
        latin: "WANG FANG",
        kind: IdDocumentKind::MainlandResident,
        id_body: "44030519850521242",
        nationality: "CHN",
        birth: (1985, 5, 21),
        sex: Sex::F,
        phone: "+86 139 2233 4455",
    },
    PersonSeed {
        zh: None,
        latin: "MARIA FERNANDA SOUSA",
        kind: IdDocumentKind::Passport,
        id_body: "CB1234567",
        nationality: "PRT",
        birth: (1988, 1, 15),
        sex: Sex::F,
        phone: "+853 6290 7788",
    },
    PersonSeed {
        zh: Some("何家豪"),
        latin: "HO KA HOU",
        kind: IdDocumentKind::MacauResident,
        id_body: "7012345(6)",
        nationality: "CHN",
        birth: (1995, 9, 9),
        sex: Sex::M,
        phone: "+853 6543 2100",
    },
    PersonSeed {
        zh: Some("梁嘉欣"),
        latin: "LEONG KA IAN",
        kind: IdDocumentKind::MacauResident,
        id_body: "1456789(0)",
        nationality: "CHN",
        birth: (1992, 12, 24),
        sex: Sex::F,
        phone: "+853 6611 2233",
    },
    PersonSeed {
        zh: Some("劉洋"),
        latin: "LIU YANG",
        kind: IdDocumentKind::MainlandResident,
        id_body: "11010519781123003",
        nationality: "CHN",
        birth: (1978, 11, 23),
        sex: Sex::M,
        phone: "+86 135 1234 5678",
    },
    PersonSeed {
        zh: None,
        latin: "JOAO PEDRO ALMEIDA",
        kind: IdDocumentKind::MacauResident,
        id_body: "5123987(2)",
        nationality: "PRT",
        birth: (1970, 6, 1),
        sex: Sex::M,
        phone: "+853 6677 8899",
    },
    PersonSeed {
        zh: Some("周傑"),
        latin: "CHAO KIT",
        kind: IdDocumentKind::HongKongResident,
        id_body: "YZ765432",
        nationality: "CHN",
        birth: (1983, 4, 18),
        sex: Sex::M,
        phone: "+852 6345 1122",
    },
    PersonSeed {
        zh: Some("林小紅"),
        latin: "LAM SIO HONG",
        kind: IdDocumentKind::MacauResident,
        id_body: "1357913(5)",
        nationality: "CHN",
        birth: (1999, 2, 28),
        sex: Sex::F,
        phone: "+853 6200 3344",
    },
];

struct OrgSeed {
    zh: &'static str,
    latin: &'static str,
    kind: RegistrationKind,
    number_body: &'static str,
    address: &'static str,
}

const ORGANISATIONS: &[OrgSeed] = &[
    OrgSeed {
        zh: "澳門科技創新有限公司",
        latin: "INOVACAO TECNOLOGICA DE MACAU, LIMITADA",
        kind: RegistrationKind::MacauCommercialRegistry,
        number_body: "SO 45123",
        address: "澳門新馬路 123 號 5 樓",
    },
    OrgSeed {
        zh: "广州网证科技有限公司",
        latin: "GUANGZHOU WANGZHENG TECHNOLOGY CO., LTD.",
        kind: RegistrationKind::Uscc,
        number_body: "91440101MA5CXY7LX",
        address: "广州市天河区体育西路 88 号",
    },
    OrgSeed {
        zh: "深圳前海数据服务有限公司",
        latin: "SHENZHEN QIANHAI DATA SERVICES CO., LTD.",
        kind: RegistrationKind::Uscc,
        number_body: "91440300MA5DC2KR8",
        address: "深圳市前海深港合作区前湾一路 1 号",
    },
    OrgSeed {
        zh: "大豐貿易行",
        latin: "TAI FUNG TRADING",
        kind: RegistrationKind::MacauCommercialRegistry,
        number_body: "SO 30876",
        address: "澳門罅些喇提督大馬路 42 號",
    },
];

/// The demo office, built in memory first so a failure writes nothing.
struct Office {
    people: Vec<Person>,
    organisations: Vec<Organisation>,
    memberships: Vec<Membership>,
    certificates: Vec<Certificate>,
    tokens: Vec<Token>,
    seals: Vec<Seal>,
    authorisations: Vec<Authorisation>,
    appointments: Vec<Appointment>,
    tickets: Vec<WalkInTicket>,
    /// Drafts, and the state each is to be taken to through the state machine.
    applications: Vec<(Application, ApplicationState)>,
}

impl Office {
    fn build(now: OffsetDateTime) -> Result<Office, StoreError> {
        let today = now.date();
        let offset = now.offset();
        let mut people = Vec::new();
        for seed in PEOPLE {
            let number = match seed.kind {
                IdDocumentKind::MainlandResident => complete_id(IdKind::CnResident, seed.id_body)?,
                IdDocumentKind::HongKongResident => complete_id(IdKind::Hk, seed.id_body)?,
                _ => seed.id_body.to_owned(),
            };
            let birth = Date::from_calendar_date(
                seed.birth.0,
                time::Month::try_from(seed.birth.1)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                seed.birth.2,
            )
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let email = format!("{}@example.mo", seed.latin.to_lowercase().replace(' ', "."));
            people.push(Person {
                id: Ulid::new(),
                name_zh: seed.zh.map(Into::into),
                name_latin: Some(seed.latin.into()),
                id_document: IdDocument {
                    kind: seed.kind,
                    number: Sensitive::new(number),
                    issuing_state: (seed.kind == IdDocumentKind::Passport)
                        .then(|| seed.nationality.into()),
                    expiry: Some(today + Duration::days(365 * 4)),
                },
                nationality: Some(seed.nationality.into()),
                birth_date: Some(birth),
                sex: Some(seed.sex),
                phone: Some(Sensitive::new(seed.phone)),
                email: Some(email),
                photo: None,
            });
        }
        let mut organisations = Vec::new();
        for (i, seed) in ORGANISATIONS.iter().enumerate() {
            let number = match seed.kind {
                RegistrationKind::Uscc => complete_id(IdKind::Uscc, seed.number_body)?,
                _ => seed.number_body.to_owned(),
            };
            organisations.push(Organisation {
                id: Ulid::new(),
                name_zh: Some(seed.zh.into()),
                name_latin: Some(seed.latin.into()),
                registration: OrganisationRegistration { kind: seed.kind, number },
                legal_representative: Some(people[i].id),
                licence_valid_until: Some(today + Duration::days(700)),
                address: Some(seed.address.into()),
                phone: Some(Sensitive::new(format!("+853 2833 00{i:02}"))),
                website: Some(format!("https://www.example{i}.mo")),
            });
        }
        // Each organisation: its legal representative, an administrator and an employee.
        let mut memberships = Vec::new();
        for (i, org) in organisations.iter().enumerate() {
            let roles = [
                (i, MemberRole::LegalRepresentative),
                (i + 4, MemberRole::Administrator),
                (i + 8, MemberRole::Employee),
            ];
            for (person, role) in roles {
                memberships.push(Membership {
                    id: Ulid::new(),
                    organisation: org.id,
                    person: people[person].id,
                    role,
                    ended: None,
                });
            }
        }

        // One certificate of every class for every holder kind; expiry spread so some are due.
        let mut certificates = Vec::new();
        let mut tokens = Vec::new();
        let days_left = [12, 25, 29, 200, 420, 45, 90, 700, 3, 365, 31, 610, 18, 150, 800, 60];
        let mut n = 0;
        for class in CertificateClass::ALL {
            for holder_kind in HolderKind::ALL {
                let org = &organisations[n % organisations.len()];
                let person = &people[(n * 5) % people.len()];
                let (holder_person, holder_organisation) = match holder_kind {
                    HolderKind::Organisation => (None, Some(org.id)),
                    HolderKind::Person => (Some(person.id), None),
                    _ => (Some(person.id), Some(org.id)),
                };
                let cn = match holder_kind {
                    HolderKind::Organisation => org.name_zh.clone().unwrap_or_default(),
                    _ => person
                        .name_zh
                        .clone()
                        .or_else(|| person.name_latin.clone())
                        .unwrap_or_default(),
                };
                let years = (n % 3 + 1) as u8;
                let not_after = now + Duration::days(days_left[n]);
                let token = if class.issued_at_counter() {
                    let token = Token {
                        id: Ulid::new(),
                        serial: format!("ES{:08}", 20_260_000 + n),
                        model: Some("ePass3003".into()),
                        status: TokenStatus::Issued,
                        holder_person,
                        holder_organisation,
                        pin_failures: 0,
                    };
                    let id = token.id;
                    tokens.push(token);
                    Some(id)
                } else {
                    None
                };
                certificates.push(Certificate {
                    id: Ulid::new(),
                    class,
                    holder_kind,
                    subject: SubjectDn {
                        cn,
                        ou: holder_kind.belongs_to_organisation().then(|| "Registry".into()),
                        o: holder_kind
                            .belongs_to_organisation()
                            .then(|| org.name_zh.clone().unwrap_or_default()),
                        l: Some("Macau".into()),
                        st: None,
                        c: Some("MO".into()),
                        serial_number: Some(format!("DEMO{n:04}")),
                    },
                    serial: Some(random_serial()),
                    not_before: Some(not_after - Duration::days(365 * i64::from(years))),
                    not_after: Some(not_after),
                    validity_years: years,
                    status: CertificateStatus::Valid,
                    holder_person,
                    holder_organisation,
                    token,
                    // Every other organisation certificate is confirmed for renewal.
                    renewal_confirmed: n % 2 == 0,
                    revocation_phrase: None,
                    revocation: None,
                    issuance: None,
                });
                n += 1;
            }
        }
        // Blank stock, and one token reported lost.
        for i in 0..3 {
            tokens.push(Token {
                id: Ulid::new(),
                serial: format!("ES{:08}", 20_269_000 + i),
                model: Some("ePass3003".into()),
                status: TokenStatus::Blank,
                holder_person: None,
                holder_organisation: None,
                pin_failures: 0,
            });
        }
        if let Some(lost) = tokens.iter_mut().find(|t| t.status == TokenStatus::Issued) {
            lost.status = lost
                .status
                .transition(TokenStatus::Lost)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }

        // Seals follow their certificates: revoking the second one revokes its seal.
        let mut seals = Vec::new();
        for cert in certificates.iter().filter(|c| {
            matches!(c.holder_kind, HolderKind::Organisation | HolderKind::LegalRepresentative)
                && c.class != CertificateClass::CloudSign
        }) {
            let Some(org) = cert.holder_organisation else { continue };
            let kind = if cert.holder_kind == HolderKind::Organisation {
                SealKind::Organisation
            } else {
                SealKind::LegalRepresentative
            };
            seals.push(Seal {
                id: Ulid::new(),
                organisation: org,
                seal_kind: kind,
                name: format!("{} 印章", cert.subject.cn),
                certificate: Some(cert.id),
                status: SealStatus::Active,
            });
        }
        if let Some(cert) = certificates
            .iter_mut()
            .filter(|c| seals.iter().any(|s| s.certificate == Some(c.id)))
            .nth(1)
        {
            cert.revoke(
                now - Duration::days(2),
                RevocationReason::CessationOfOperation,
                &mut seals,
            )
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
        if let Some(expired) = certificates
            .iter_mut()
            .find(|c| c.status == CertificateStatus::Valid && c.class == CertificateClass::Standard)
        {
            expired.not_after = Some(now - Duration::days(5));
            expired.not_before = expired.not_after.map(|t| t - Duration::days(365));
            expired.status = CertificateStatus::Expired;
        }

        let mut authorisations = Vec::new();
        if let Some(cert) = certificates.iter().find(|c| {
            c.holder_kind == HolderKind::Organisation && c.status == CertificateStatus::Valid
        }) {
            let org = cert.holder_organisation.unwrap_or(organisations[0].id);
            let of_org = |role| {
                memberships
                    .iter()
                    .find(|m| m.organisation == org && m.role == role)
                    .map(|m| m.person)
            };
            if let (Some(grantee), Some(granted_by)) =
                (of_org(MemberRole::Employee), of_org(MemberRole::Administrator))
            {
                authorisations.push(Authorisation {
                    id: Ulid::new(),
                    organisation: org,
                    grantee,
                    granted_by,
                    object: AuthorisedObject::Certificate(cert.id),
                    valid_from: today,
                    valid_until: today + Duration::days(365 * 2),
                    status: AuthorisationStatus::Active,
                });
            }
        }

        let services = [
            Service::Renewal,
            Service::NewIssuance,
            Service::PinUnlock,
            Service::Renewal,
            Service::Replacement,
        ];
        let appointments = services
            .iter()
            .enumerate()
            .map(|(i, service)| {
                let person = &people[i + 1];
                Appointment {
                    id: Ulid::new(),
                    reference: format!("B{}{:03}", today.ordinal(), i + 1),
                    person: Some(person.id),
                    organisation: None,
                    booked_name: person
                        .name_zh
                        .clone()
                        .or_else(|| person.name_latin.clone())
                        .unwrap_or_default(),
                    service: *service,
                    slot: at_local(today, 9 + (i as u8), if i % 2 == 0 { 30 } else { 0 }, offset),
                    status: if i == 0 {
                        AppointmentStatus::CheckedIn
                    } else {
                        AppointmentStatus::Booked
                    },
                }
            })
            .collect();
        let tickets = [Service::NewIssuance, Service::Revocation, Service::Redispatch]
            .iter()
            .enumerate()
            .map(|(i, service)| WalkInTicket {
                id: Ulid::new(),
                number: format!("W{:03}", i + 1),
                service: *service,
                issued_at: now - Duration::minutes(30 - 10 * i as i64),
                status: TicketStatus::Waiting,
            })
            .collect();

        let mut office = Office {
            people,
            organisations,
            memberships,
            certificates,
            tokens,
            seals,
            authorisations,
            appointments,
            tickets,
            applications: Vec::new(),
        };
        office.applications = office.draft_applications(now);
        Ok(office)
    }

    /// Draft applications, each with the state the demo takes it to.
    fn draft_applications(&self, now: OffsetDateTime) -> Vec<(Application, ApplicationState)> {
        let org_certs: Vec<&Certificate> = self
            .certificates
            .iter()
            .filter(|c| c.holder_kind == HolderKind::Organisation && c.class.issued_at_counter())
            .collect();
        let person_cert = self
            .certificates
            .iter()
            .find(|c| c.holder_kind == HolderKind::Person && c.class.issued_at_counter());
        let plan: [(Service, ApplicationState); 8] = [
            (Service::NewIssuance, ApplicationState::Draft),
            (Service::Renewal, ApplicationState::UnderReview),
            (Service::Revocation, ApplicationState::AwaitingApproval),
            (Service::Renewal, ApplicationState::AwaitingPayment),
            (Service::Replacement, ApplicationState::AwaitingFulfilment),
            (Service::NewIssuance, ApplicationState::Completed),
            (Service::Change, ApplicationState::Rejected),
            (Service::PinUnlock, ApplicationState::Cancelled),
        ];
        let mut out = Vec::new();
        for (i, (service, target)) in plan.into_iter().enumerate() {
            let for_person = i % 4 == 3;
            let cert = if for_person {
                person_cert
            } else {
                org_certs.get(i % org_certs.len().max(1)).copied()
            };
            let Some(cert) = cert else { continue };
            let id = Ulid::new();
            let documents = if for_person {
                vec![DocumentKind::SignedApplicationForm, DocumentKind::ApplicantId]
            } else {
                vec![
                    DocumentKind::SignedApplicationForm,
                    DocumentKind::BusinessLicence,
                    DocumentKind::LegalRepresentativeId,
                    DocumentKind::AgentId,
                ]
            };
            let organisation = cert
                .holder_organisation
                .and_then(|org| self.organisations.iter().find(|o| o.id == org));
            let invoice = organisation.map(|org| InvoiceDetails {
                kind: InvoiceKind::OrdinaryElectronic,
                title: org.official_name().unwrap_or_default().to_owned(),
                taxpayer_id: "91350100M000100Y43".into(),
                email: "finance@example.mo".into(),
                bank: None,
                bank_account: None,
                address: None,
                phone: None,
            });
            let mut app = Application::draft(
                id,
                service,
                cert.holder_person.unwrap_or(self.people[i].id),
                cert.holder_kind,
                cert.class,
                now - Duration::hours(i as i64),
            );
            app.organisation = cert.holder_organisation;
            app.agent = cert.holder_organisation.map(|_| self.people[i + 4].id);
            app.validity_years = 2;
            if service != Service::NewIssuance {
                app.certificates = vec![cert.id];
            }
            app.documents = documents;
            app.consent_given = true;
            app.agreement_accepted = true;
            app.invoice = invoice;
            out.push((app, target));
        }
        out
    }

    /// The demo's staff, each with a new password (printed once): those already on file by
    /// username keep their record and get a new password, so `--force` is also the way back
    /// when the passwords of an earlier run were lost.
    fn clerks(
        &self,
        ctx: &Context,
        existing: &[Clerk],
        credentials: &mut Vec<Credential>,
    ) -> Result<Vec<Clerk>, StoreError> {
        let staff = [
            ("clerk.chan", "陳文詠 CHAN MAN WING", StaffRole::Clerk),
            ("clerk.wong", "黃嘉怡 WONG KA I", StaffRole::Clerk),
            ("supervisor.lei", "李國強 LEI KUOK KEONG", StaffRole::Supervisor),
        ];
        let mut out = Vec::new();
        for (username, display_name, role) in staff {
            let password = auth::generate_password();
            let hash = auth::hash_password(&password).map_err(StoreError::Corrupt)?;
            let totp_secret = Some(auth::new_totp_secret());
            let totp_period = registry::totp::DEFAULT_PERIOD;
            let clerk = match existing.iter().find(|c| c.username == username) {
                Some(clerk) => {
                    Clerk { password_hash: hash, totp_secret, totp_period, ..clerk.clone() }
                }
                None => Clerk {
                    id: Ulid::new(),
                    username: username.into(),
                    display_name: display_name.into(),
                    role,
                    password_hash: hash,
                    active: true,
                    totp_secret,
                    totp_period,
                },
            };
            let totp_uri = crate::clerk_cmd::otpauth_uri(ctx, &clerk).unwrap_or_default();
            credentials.push(Credential { username, password, role: clerk.role, totp_uri });
            out.push(clerk);
        }
        Ok(out)
    }

    /// Writes everything through the one write path, applications through the state machine.
    fn write(
        &self,
        w: &mut Writer<'_>,
        now: OffsetDateTime,
        kiosk: &str,
        staff: &[Clerk],
        fees: &FeeSchedule,
    ) -> Result<(), StoreError> {
        fn all<R: Record>(w: &mut Writer<'_>, records: &[R]) -> Result<(), StoreError> {
            records.iter().try_for_each(|record| w.put(record).map(drop))
        }
        all(w, &self.people)?;
        all(w, &self.organisations)?;
        all(w, &self.memberships)?;
        all(w, &self.tokens)?;
        all(w, &self.certificates)?;
        all(w, &self.seals)?;
        all(w, &self.authorisations)?;
        all(w, &self.appointments)?;
        all(w, &self.tickets)?;
        let staff_in = |role| {
            staff
                .iter()
                .find(|c| c.role == role)
                .map(|c| c.id)
                .ok_or_else(|| StoreError::Corrupt(format!("the demo has no {role:?}")))
        };
        let (clerk, supervisor) = (staff_in(StaffRole::Clerk)?, staff_in(StaffRole::Supervisor)?);
        for (draft, target) in &self.applications {
            w.put(draft)?;
            take_to(w, draft, *target, clerk, supervisor, fees, now)?;
        }
        w.put(&AuditEvent {
            id: Ulid::new(),
            at: now,
            kiosk: kiosk.to_owned(),
            clerk: None,
            action: AuditAction::DemoProvisioned,
            subject_kind: None,
            subject: None,
        })?;
        Ok(())
    }
}
