//! The documents the counter prints, filled from the store: what `kiosk print` and the visit
//! wizards hand to the renderer.

use printers::document::{
    ApplicationForm, CertificateLine, Document, Evidence, InvoiceBlock, Layout, Operation,
    OrganisationBlock, PersonBlock, Receipt,
};
use registry::application::Application;
use registry::model::{IdDocumentKind, InvoiceKind, Organisation, Person, RecordId};
use store::Store;
use time::Date;

use crate::{Context, KioskError};

fn refused(ctx: &Context, id: &str) -> KioskError {
    KioskError::Refused(ctx.t(id))
}

fn load_application(ctx: &Context, store: &Store, id: RecordId) -> Result<Application, KioskError> {
    store.get::<Application>(id)?.ok_or_else(|| refused(ctx, "print-no-application"))
}

fn person_name(person: &Person) -> String {
    [person.name_zh.as_deref(), person.name_latin.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn organisation_name(org: &Organisation) -> String {
    org.name_zh.clone().or_else(|| org.name_latin.clone()).unwrap_or_default()
}

fn id_kind_text(lang: i18n::Language, kind: IdDocumentKind) -> String {
    let id = match kind {
        IdDocumentKind::MacauResident => "print-id-macau",
        IdDocumentKind::MainlandResident => "print-id-mainland",
        IdDocumentKind::HongKongResident => "print-id-hong-kong",
        IdDocumentKind::Passport => "print-id-passport",
        IdDocumentKind::ResidencePermit => "print-id-residence-permit",
    };
    i18n::text(lang, id)
}

fn person_block(lang: i18n::Language, person: &Person, postal: Option<String>) -> PersonBlock {
    PersonBlock {
        name: person_name(person),
        id_document: id_kind_text(lang, person.id_document.kind),
        id_number: person.id_document.number.expose().to_owned(),
        mobile: person.phone.as_ref().map(|p| p.expose().to_owned()).unwrap_or_default(),
        email: person.email.clone().unwrap_or_default(),
        postal_address: postal,
    }
}

/// The application form of an application: the organisation's when it has one. `print` is this
/// printing's id, for its form code (the visit's form step makes a new one); `None` reprints the
/// printing the visit keeps (`kiosk print form`), so its signed copy is taken as that one, or
/// makes a new id when the form step has printed none.
pub fn application_form(
    ctx: &Context,
    store: &Store,
    id: RecordId,
    today: Date,
    print: Option<&str>,
) -> Result<Document, KioskError> {
    let app = load_application(ctx, store, id)?;
    let print = match (print, app.visit.form.as_ref().and_then(|f| f.print.as_deref())) {
        (Some(print), _) | (None, Some(print)) => print.to_owned(),
        (None, None) => printers::formcode::new_print_id(),
    };
    let lang = Layout::for_language(ctx.lang).languages()[0];
    let applicant: Person =
        store.get(app.applicant)?.ok_or_else(|| refused(ctx, "print-no-applicant"))?;
    let agent: Option<Person> = match app.agent {
        Some(agent) => store.get(agent)?,
        None => None,
    };
    let org: Option<Organisation> = match app.organisation {
        Some(org) => store.get(org)?,
        None => None,
    };
    let mut evidence = Vec::new();
    let organisation = match &org {
        Some(org) => {
            let legal: Option<Person> = match org.legal_representative {
                Some(p) => store.get(p)?,
                None => None,
            };
            evidence.push((Evidence::BusinessLicence, org.registration.number.clone()));
            if let Some(legal) = &legal {
                evidence.push((
                    Evidence::LegalRepresentativeId,
                    legal.id_document.number.expose().to_owned(),
                ));
            }
            Some(OrganisationBlock {
                name: organisation_name(org),
                registration_number: org.registration.number.clone(),
                legal_representative: legal.as_ref().map(person_name).unwrap_or_default(),
                phone: org.phone.as_ref().map(|p| p.expose().to_owned()).unwrap_or_default(),
                office_phone: String::new(),
                website: org.website.clone().unwrap_or_default(),
                address: org.address.clone().unwrap_or_default(),
            })
        }
        None => None,
    };
    // On an organisation's form the agent fills the person block; on a personal one, the
    // applicant.
    let person = agent.as_ref().filter(|_| org.is_some()).unwrap_or(&applicant);
    if org.is_some() {
        evidence.push((Evidence::AgentId, person.id_document.number.expose().to_owned()));
    }
    if let Some(invoice) = &app.invoice {
        evidence.push((Evidence::TaxpayerId, invoice.taxpayer_id.clone()));
    }
    Ok(Document::ApplicationForm(Box::new(ApplicationForm {
        application: app.id,
        reference: app.reference.clone(),
        print,
        date: today,
        office: ctx.config.office.clone(),
        organisation,
        person: person_block(lang, person, app.mailing_address.clone()),
        evidence,
        project: String::new(),
        operations: vec![Operation::of_service(app.service)],
        certificates: vec![CertificateLine {
            class: app.certificate_class,
            holder_kind: app.holder_kind,
            validity_years: app.validity_years,
            fee: app.progress.fee,
        }],
    })))
}

/// The receipt of an application whose payment is recorded.
pub fn receipt(
    ctx: &Context,
    store: &Store,
    id: RecordId,
    today: Date,
) -> Result<Document, KioskError> {
    let app = load_application(ctx, store, id)?;
    let payment = app.progress.payment.clone().ok_or_else(|| refused(ctx, "print-no-payment"))?;
    let lang = Layout::for_language(ctx.lang).languages()[0];
    let payer = match app.organisation {
        Some(org) => store.get::<Organisation>(org)?.map(|o| organisation_name(&o)),
        None => store.get::<Person>(app.applicant)?.map(|p| person_name(&p)),
    }
    .unwrap_or_default();
    let line = i18n::text_with(
        lang,
        "print-receipt-line",
        &[
            (
                "class",
                i18n::text(lang, &format!("print-class-{}", class_id(app.certificate_class)))
                    .into(),
            ),
            ("years", i18n::FluentValue::from(i64::from(app.validity_years))),
        ],
    );
    Ok(Document::Receipt(Receipt {
        application: app.id,
        reference: app.reference.clone(),
        date: today,
        office: ctx.config.office.clone(),
        payer,
        lines: vec![(line, payment.amount)],
        total: payment.amount,
        payment_reference: payment.reference.clone(),
        invoice: app.invoice.as_ref().map(|i| InvoiceBlock {
            kind: match i.kind {
                InvoiceKind::OrdinaryElectronic => "ordinary".into(),
                InvoiceKind::VatSpecial => "vat_special".into(),
            },
            title: i.title.clone(),
            taxpayer_id: i.taxpayer_id.clone(),
            email: i.email.clone(),
            bank: [i.bank.clone(), i.bank_account.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            // One line, as the VAT special invoice prints them: 地址、電話.
            address: [i.address.clone(), i.phone.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }),
    }))
}

fn class_id(class: registry::model::CertificateClass) -> &'static str {
    use registry::model::CertificateClass::*;
    match class {
        Qualified => "qualified",
        Standard => "standard",
        Encryption => "encryption",
        CloudSign => "cloud-sign",
    }
}
