//! What the counter prints, as plain data: the kiosk fills these from the store, the renderer
//! lays them out. Values are the person's own (names, numbers, addresses: any script); labels
//! come from the i18n layer in the document's layout language.

use registry::model::{Money, RecordId, Service};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The layouts the offices use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Macau: Traditional Chinese labels with Portuguese beneath.
    MacauBilingual,
    /// Guangdong: Simplified Chinese.
    SimplifiedChinese,
    English,
}

impl Layout {
    /// The layout for a clerk's language: Traditional Chinese and Portuguese print the Macau form.
    pub fn for_language(lang: i18n::Language) -> Layout {
        match lang {
            i18n::Language::ZhHant | i18n::Language::Pt => Layout::MacauBilingual,
            i18n::Language::ZhHans => Layout::SimplifiedChinese,
            i18n::Language::En => Layout::English,
        }
    }

    /// The languages of the labels, first the main one.
    pub fn languages(self) -> &'static [i18n::Language] {
        match self {
            Layout::MacauBilingual => &[i18n::Language::ZhHant, i18n::Language::Pt],
            Layout::SimplifiedChinese => &[i18n::Language::ZhHans],
            Layout::English => &[i18n::Language::En],
        }
    }
}

/// The operation-type checkboxes of the application form (seeds 002, 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Operation {
    Apply,
    Renew,
    Replace,
    PinUnlock,
    /// 變更, with what changes.
    Change {
        details: String,
    },
    Other {
        details: String,
    },
}

impl Operation {
    pub fn of_service(service: Service) -> Operation {
        match service {
            Service::NewIssuance => Operation::Apply,
            Service::Renewal => Operation::Renew,
            Service::Change => Operation::Change { details: String::new() },
            Service::Replacement => Operation::Replace,
            Service::PinUnlock => Operation::PinUnlock,
            Service::Revocation => Operation::Other { details: "revocation".into() },
            Service::Redispatch => Operation::Other { details: "redispatch".into() },
        }
    }
}

/// The evidence table's document types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    BusinessLicence,
    LegalRepresentativeId,
    AgentId,
    SocialSecurityNumber,
    TaxpayerId,
}

/// A certificate the form asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateLine {
    /// The certificate type's i18n id (`certificate-class-qualified`, …) is the renderer's
    /// business: this is the class and holder kind as the registry names them.
    pub class: registry::model::CertificateClass,
    pub holder_kind: registry::model::HolderKind,
    pub validity_years: u8,
    pub fee: Option<Money>,
}

/// The organisation block.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OrganisationBlock {
    pub name: String,
    pub registration_number: String,
    pub legal_representative: String,
    pub phone: String,
    pub office_phone: String,
    pub website: String,
    pub address: String,
}

/// The agent (經辦人) or the applicant themself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PersonBlock {
    pub name: String,
    pub id_document: String,
    pub id_number: String,
    pub mobile: String,
    pub email: String,
    /// `None`: collects the token in person (自取).
    pub postal_address: Option<String>,
}

/// The application form: the organisation's (seeds 002 and 003) when `organisation` is set,
/// otherwise the personal one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub application: RecordId,
    pub reference: String,
    /// Which printing this is, in its form code (`formcode::new_print_id`): a signed copy of an
    /// earlier printing is refused once the form was printed again.
    #[serde(default)]
    pub print: String,
    pub date: Date,
    pub office: String,
    pub organisation: Option<OrganisationBlock>,
    /// The agent for an organisation; the applicant on a personal form.
    pub person: PersonBlock,
    pub evidence: Vec<(Evidence, String)>,
    pub project: String,
    pub operations: Vec<Operation>,
    pub certificates: Vec<CertificateLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceBlock {
    /// `ordinary` e-invoice or `vat_special`.
    pub kind: String,
    pub title: String,
    pub taxpayer_id: String,
    pub email: String,
    pub bank: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub application: RecordId,
    pub reference: String,
    pub date: Date,
    pub office: String,
    pub payer: String,
    /// What was charged: a label (already in the layout's language, e.g. the certificate type
    /// and years) and the amount.
    pub lines: Vec<(String, Money)>,
    pub total: Money,
    pub payment_reference: String,
    pub invoice: Option<InvoiceBlock>,
}

/// The renewal completion notice (seed 000: old serial and expiry, new serial and expiry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenewalNotice {
    pub application: RecordId,
    pub reference: String,
    pub date: Date,
    pub office: String,
    pub holder: String,
    pub old_serial: String,
    pub old_expiry: Date,
    pub new_serial: String,
    pub new_expiry: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueTicket {
    pub number: String,
    pub service: Service,
    pub office: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    /// People ahead in the queue when the ticket was printed.
    pub waiting: u32,
}

/// A counter's day-end report (`registry::day_end`), closed by a supervisor or, before the
/// close, as it stands. References and token serials only: no person's name or number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayEndSheet {
    pub office: String,
    /// The counter (kiosk id) whose day it is.
    pub kiosk: String,
    pub day: Date,
    /// Who closed the day (their user name) and when, in the office's zone; `None` before the
    /// close.
    pub closed: Option<(String, OffsetDateTime)>,
    pub report: registry::day_end::DayEndReport,
}

/// Everything the counter prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "document", rename_all = "snake_case")]
pub enum Document {
    /// Boxed: the form is by far the largest document.
    ApplicationForm(Box<ApplicationForm>),
    Receipt(Receipt),
    RenewalNotice(RenewalNotice),
    QueueTicket(QueueTicket),
    DayEnd(DayEndSheet),
}

impl Document {
    /// The application it belongs to (the QR code on it opens this application).
    pub fn application(&self) -> Option<(RecordId, &str)> {
        match self {
            Document::ApplicationForm(f) => Some((f.application, &f.reference)),
            Document::Receipt(r) => Some((r.application, &r.reference)),
            Document::RenewalNotice(n) => Some((n.application, &n.reference)),
            Document::QueueTicket(_) | Document::DayEnd(_) => None,
        }
    }

    /// The print id its form code carries: the form's own; `None` for the documents that are not
    /// the form to sign (their code gets a print id no visit keeps, so it is never taken as the
    /// signed form).
    pub fn print_id(&self) -> Option<&str> {
        match self {
            Document::ApplicationForm(f) if !f.print.is_empty() => Some(&f.print),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Document::ApplicationForm(f) if f.organisation.is_some() => "organisation_form",
            Document::ApplicationForm(_) => "personal_form",
            Document::Receipt(_) => "receipt",
            Document::RenewalNotice(_) => "renewal_notice",
            Document::QueueTicket(_) => "queue_ticket",
            Document::DayEnd(_) => "day_end",
        }
    }

    /// A complete example of each document, for tests, benchmarks and `kiosk print test`.
    pub fn examples() -> Vec<Document> {
        use registry::model::{CertificateClass, Currency, HolderKind};
        let application: RecordId = "01JD2X0000000000000000ABCD".parse().unwrap_or_default();
        let date = time::macros::date!(2026 - 11 - 21);
        let office = "澳門郵政 eSignTrust 註冊署".to_owned();
        let mop = |n: i64| Money::new(n, Currency::Mop);
        let agent = PersonBlock {
            name: "陳大文 CHAN TAI MAN".into(),
            id_document: "澳門居民身份證 BIR".into(),
            id_number: "1234567(8)".into(),
            mobile: "+853 6612 3456".into(),
            email: "chan.taiman@example.mo".into(),
            postal_address: Some("澳門新馬路 123 號 4 樓 A 座".into()),
        };
        let form = ApplicationForm {
            application,
            reference: "APP-2026-000123".into(),
            print: "01HZXK7Q".into(),
            date,
            office: office.clone(),
            organisation: Some(OrganisationBlock {
                name: "澳門測試貿易有限公司".into(),
                registration_number: "91440101MA5CXXXX0X".into(),
                legal_representative: "黎明 LAI MENG".into(),
                phone: "+853 2888 0000".into(),
                office_phone: "+853 2888 0001".into(),
                website: "https://example.mo".into(),
                address: "澳門南灣大馬路 500 號".into(),
            }),
            person: agent.clone(),
            evidence: vec![
                (Evidence::BusinessLicence, "SO-12345".into()),
                (Evidence::LegalRepresentativeId, "7654321(0)".into()),
                (Evidence::AgentId, "1234567(8)".into()),
                (Evidence::TaxpayerId, "91440101MA5CXXXX0X".into()),
            ],
            project: "電子招標 e-Tendering".into(),
            operations: vec![Operation::Apply, Operation::Change { details: "機構名稱".into() }],
            certificates: vec![CertificateLine {
                class: CertificateClass::Qualified,
                holder_kind: HolderKind::Organisation,
                validity_years: 2,
                fee: Some(mop(800)),
            }],
        };
        let personal = ApplicationForm { organisation: None, evidence: Vec::new(), ..form.clone() };
        vec![
            Document::ApplicationForm(Box::new(form)),
            Document::ApplicationForm(Box::new(personal)),
            Document::Receipt(Receipt {
                application,
                reference: "APP-2026-000123".into(),
                date,
                office: office.clone(),
                payer: "澳門測試貿易有限公司".into(),
                lines: vec![("合格證書 2 年 Qualified certificate, 2 years".into(), mop(800))],
                total: mop(800),
                payment_reference: "PAY-778899".into(),
                invoice: Some(InvoiceBlock {
                    kind: "ordinary".into(),
                    title: "澳門測試貿易有限公司".into(),
                    taxpayer_id: "91440101MA5CXXXX0X".into(),
                    email: "finance@example.mo".into(),
                    bank: "大西洋銀行 BNU".into(),
                    address: "澳門南灣大馬路 500 號".into(),
                }),
            }),
            Document::RenewalNotice(RenewalNotice {
                application,
                reference: "APP-2026-000123".into(),
                date,
                office: office.clone(),
                holder: "陳大文 CHAN TAI MAN".into(),
                old_serial: "4f1a2b3c4d5e6f708192a3b4c5d6e7f8".into(),
                old_expiry: time::macros::date!(2026 - 12 - 15),
                new_serial: "6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3".into(),
                new_expiry: time::macros::date!(2028 - 12 - 15),
            }),
            Document::QueueTicket(QueueTicket {
                number: "A027".into(),
                service: Service::Renewal,
                office: office.clone(),
                issued_at: time::macros::datetime!(2026-11-21 09:41 +08:00),
                waiting: 3,
            }),
            Document::DayEnd(DayEndSheet {
                office,
                kiosk: "K01JD2X00DEMO".into(),
                day: date,
                closed: Some(("lei.mf".into(), time::macros::datetime!(2026-11-21 18:05 +08:00))),
                report: day_end_example(application),
            }),
        ]
    }
}

/// The example day-end: a few services, cash and card in patacas, a spoiled token, a form
/// waiting for its signed copy and an application left open.
fn day_end_example(application: RecordId) -> registry::day_end::DayEndReport {
    use registry::application::ApplicationState;
    use registry::day_end::{ApplicationLine, DayEndReport, PaymentTotal, ServiceCount, TokenLine};
    use registry::model::{Currency, TokenStatus};
    use registry::visit::PaymentMethod;
    let done = |service: Service| match service {
        Service::Renewal => 3,
        Service::NewIssuance => 1,
        Service::PinUnlock => 1,
        _ => 0,
    };
    let mop = |minor: i64| Money { minor, currency: Currency::Mop };
    let line = |reference: &str, service, state| ApplicationLine {
        application,
        reference: reference.into(),
        service,
        state,
    };
    DayEndReport {
        services: Service::ALL
            .into_iter()
            .map(|service| ServiceCount { service, completed: done(service) })
            .collect(),
        payments: vec![
            PaymentTotal { method: Some(PaymentMethod::Cash), count: 2, total: mop(75_050) },
            PaymentTotal { method: Some(PaymentMethod::Card), count: 1, total: mop(40_000) },
        ],
        refunds: Vec::new(),
        tokens_used: vec!["SN-0042-7781".into()],
        tokens_spoiled: vec![TokenLine {
            serial: "SN-0042-7790".into(),
            status: TokenStatus::Damaged,
        }],
        tokens_lost: Vec::new(),
        forms_printed: 4,
        forms_unsigned: vec![line(
            "A20261121-7QK2ZD",
            Service::NewIssuance,
            ApplicationState::Draft,
        )],
        open_applications: vec![
            line("A20261121-7QK2ZD", Service::NewIssuance, ApplicationState::Draft),
            line("A20261121-9MB3XA", Service::Renewal, ApplicationState::AwaitingPayment),
        ],
    }
}
