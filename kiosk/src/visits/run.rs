//! What each [`VisitOp`] does: opens the store, checks the step is open in the visit's plan,
//! does the step's work on its device or in the store, saves the application with the step's
//! fact in one transaction with the step's audit event, and answers the visit as re-read in one
//! snapshot. A refused step is audited as refused, with the message the clerk reads.

use std::path::{Path, PathBuf};
use std::time::Duration;

use registry::application::{Actor, Application, ApplicationAction, DocumentKind, Payment};
use registry::audit::{AuditAction, StepOutcome};
use registry::model::{
    Certificate, CertificateStatus, Clerk, Money, Organisation, Person, RecordId, RecordKind,
    Service, StaffRole, Token,
};
use registry::renewal::{RENEWAL_WINDOW_DAYS, is_renewal_due};
use registry::visit::{
    self, Circumstances, DocumentSource, EmailCheck, Fact, FormRecord, IdentityCheck, IssuedLine,
    Override, PlannedStep, PresentedDocument, Step,
};
use store::Store;
use time::OffsetDateTime;

use super::{IdentityInput, IssueMedium, Notice, Outcome, VisitError, VisitOp, VisitView, errors};
use crate::print_cmd;
use crate::{Context, office_keys, print_docs};

/// How long the Mainland reader may take to answer before the step says it did not.
const CN_READER_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs one operation of a visit for `actor` at `now` (the office's time; renewal windows and
/// document expiries are counted in its zone).
pub fn run(
    ctx: &Context,
    op: VisitOp,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Outcome, VisitError> {
    let store = ctx.open_store()?;
    let mut visits =
        Visits { ctx, store, actor, now, subject: None, step: step_of(&op), recorded: false };
    visits.subject = op.application().map(|id| (RecordKind::Application, id));
    let done = visits.dispatch(op);
    match done {
        Ok((id, notice)) => Ok(Outcome { view: visits.view(id)?, notice }),
        Err(err) => {
            if !visits.recorded
                && let Some(step) = visits.step
            {
                visits.audit_refusal(step, &err);
            }
            tracing::info!(step = ?visits.step, message = err.id, category = err.category, "visit step refused");
            Err(err)
        }
    }
}

/// The step an operation belongs to, for its audit event. `None` for reading a visit.
fn step_of(op: &VisitOp) -> Option<Step> {
    Some(match op {
        VisitOp::Resume { .. } => return None,
        VisitOp::Open { .. }
        | VisitOp::OpenFor { .. }
        | VisitOp::ChooseCertificates { .. }
        | VisitOp::SelectCertificates { .. } => Step::Certificates,
        VisitOp::Revoke { .. } => Step::Revocation,
        VisitOp::SetDetails { .. } => Step::Details,
        VisitOp::Documents { .. } => Step::Documents,
        VisitOp::SetAddress { .. } => Step::Address,
        VisitOp::ResetPin { .. } => Step::PinReset,
        VisitOp::SendCode { .. } | VisitOp::CheckCode { .. } => Step::Email,
        VisitOp::Skip { step, .. } => *step,
        VisitOp::Consent { .. } => Step::Consent,
        VisitOp::Identity { .. } | VisitOp::OverrideIdentity { .. } => Step::Identity,
        VisitOp::PhotoFromFile { .. } | VisitOp::PhotoFromCamera { .. } => Step::Photo,
        VisitOp::Confirm { .. } => Step::Confirmation,
        VisitOp::PrintForm { .. } | VisitOp::FormSigned { .. } => Step::Form,
        VisitOp::Pay { .. } => Step::Payment,
        VisitOp::Approve { .. } => Step::Approval,
        VisitOp::Recheck { .. } => Step::Recheck,
        VisitOp::Issue { .. } => Step::Issuance,
        VisitOp::Complete { .. } | VisitOp::Cancel { .. } => Step::Completion,
    })
}

/// One operation's working state.
struct Visits<'a> {
    ctx: &'a Context,
    store: Store,
    actor: Actor,
    now: OffsetDateTime,
    /// What the audit event of a refusal is about, once known.
    subject: Option<(RecordKind, RecordId)>,
    step: Option<Step>,
    /// The refusal was saved with the step's record (an identity check that failed): it is
    /// audited already.
    recorded: bool,
}

type Done = (RecordId, Option<Notice>);

fn plan_of(app: &Application) -> Result<Vec<PlannedStep>, VisitError> {
    let c = Circumstances {
        holder: app.holder_kind,
        class: app.certificate_class,
        revocation_phrase_given: app.revocation_phrase_verified,
        identity_overridden: app.identity_override,
    };
    Ok(visit::plan(app.service, c)?)
}

fn refuse(id: &'static str) -> VisitError {
    VisitError::new(id, "refused")
}

impl Visits<'_> {
    fn dispatch(&mut self, op: VisitOp) -> Result<Done, VisitError> {
        match op {
            VisitOp::Open { service, applicant } => self.open(service, applicant, None),
            VisitOp::OpenFor { service, agent, organisation } => {
                self.open(service, agent, Some(organisation))
            }
            VisitOp::Resume { application } => {
                self.load(application)?;
                Ok((application, None))
            }
            VisitOp::ChooseCertificates { application, new_key } => {
                self.choose_certificates(application, new_key)
            }
            VisitOp::SelectCertificates { application, certificates, phrase } => self
                .select_certificates(
                    application,
                    &certificates,
                    phrase.as_deref().map(String::as_str),
                ),
            VisitOp::Revoke { application, reason } => self.revoke(application, reason),
            VisitOp::SetDetails { application, organisation, class, years } => {
                self.set_details(application, organisation, class, years)
            }
            VisitOp::Documents { application, documents } => {
                self.documents(application, &documents)
            }
            VisitOp::SetAddress { application, address } => {
                let (mut app, _) = self.open_step(application, Step::Address)?;
                let address = address.trim();
                if address.is_empty() {
                    return Err(refuse("visit-address-required"));
                }
                app.mailing_address = Some(address.to_owned());
                app.visit.facts.insert(Fact::AddressChanged);
                self.save(&app, Step::Address, StepOutcome::Done, Vec::new())?;
                Ok((application, None))
            }
            VisitOp::ResetPin { application, new_pin } => self.reset_pin(application, &new_pin),
            VisitOp::SendCode { application, address } => self.send_code(application, &address),
            VisitOp::CheckCode { application, address, code } => {
                self.check_code(application, &address, &code)
            }
            VisitOp::Skip { application, step, supervisor, reason } => {
                self.skip(application, step, supervisor, &reason)
            }
            VisitOp::Consent { application } => {
                let (mut app, _) = self.open_step(application, Step::Consent)?;
                app.consent_given = true;
                app.visit.facts.insert(Fact::ConsentGiven);
                self.save(&app, Step::Consent, StepOutcome::Done, Vec::new())?;
                Ok((application, None))
            }
            VisitOp::Identity { application, input } => self.identity(application, input),
            VisitOp::OverrideIdentity { application, supervisor, reason } => {
                self.override_identity(application, supervisor, &reason)
            }
            VisitOp::PhotoFromFile { application, path } => {
                self.open_step(application, Step::Photo)?;
                let bytes = card_readers::input::read_picture(
                    &path,
                    card_readers::input::MAX_PHOTO_FILE_BYTES,
                )?;
                self.photo(application, &bytes)
            }
            VisitOp::PhotoFromCamera { application } => {
                self.open_step(application, Step::Photo)?;
                let bytes = camera_picture()?;
                self.photo(application, &bytes)
            }
            VisitOp::Confirm { application, invoice } => {
                let (mut app, _) = self.open_step(application, Step::Confirmation)?;
                if let Some(invoice) = invoice {
                    let org = match app.organisation {
                        Some(org) => self.store.get::<Organisation>(org)?,
                        None => None,
                    }
                    .ok_or_else(|| refuse("visit-invoice-organisation-only"))?;
                    if let Err(problems) = invoice.validate(&org) {
                        return Err(
                            registry::application::TransitionError::Incomplete(problems).into()
                        );
                    }
                    app.invoice = Some(invoice);
                }
                app.agreement_accepted = true;
                app.visit.facts.insert(Fact::DataConfirmed);
                self.save(&app, Step::Confirmation, StepOutcome::Done, Vec::new())?;
                Ok((application, None))
            }
            VisitOp::PrintForm { application } => self.print_form(application),
            VisitOp::FormSigned { payload } => self.form_signed(&payload),
            VisitOp::Pay { application, method, reference, invoice } => {
                self.pay(application, method, &reference, invoice)
            }
            VisitOp::Approve { application, supervisor } => self.approve(application, supervisor),
            VisitOp::Recheck { application } => self.recheck(application),
            VisitOp::Issue { application, pin, phrase, medium } => {
                self.issue(application, &pin, &phrase, &medium)
            }
            VisitOp::Complete { application } => {
                let (mut app, _) = self.open_step(application, Step::Completion)?;
                app.visit.facts.insert(Fact::Completed);
                let complete = vec![(ApplicationAction::Complete, self.actor.clerk)];
                self.save(&app, Step::Completion, StepOutcome::Done, complete)?;
                Ok((application, None))
            }
            VisitOp::Cancel { application, supervisor, reason } => {
                let mut app = self.load(application)?;
                // What was issued, revoked or reset is done: cancelling would leave it done
                // under an application that says it never happened.
                if [Fact::Issued, Fact::Revoked, Fact::PinReset].iter().any(|f| app.visit.done(*f))
                {
                    self.step = Some(Step::Completion);
                    return Err(refuse("visit-cancel-too-late"));
                }
                // Being issued at another counter, or by another process of this one: the
                // certificate it is making would stand under a cancelled application.
                if let Some(claim) = app.visit.issuing.clone() {
                    let kiosk = self.store.kiosk_id().to_owned();
                    let elsewhere = visit::may_claim_issuance(Some(&claim), &kiosk, self.now).err();
                    let held_here =
                        elsewhere.is_none() && self.issuing_lock(application)?.is_none();
                    if let Some(held) = elsewhere.or_else(|| {
                        held_here.then(|| visit::ClaimRefused::Held {
                            kiosk: claim.kiosk.clone(),
                            since: claim.at,
                        })
                    }) {
                        self.step = Some(Step::Issuance);
                        return Err(claim_refused(&held, self.ctx.office_offset()));
                    }
                }
                // The refusal (money taken, no supervisor) is audited at the step it stands at.
                let step = app.visit.current(&plan_of(&app)?).unwrap_or(Step::Completion);
                self.step = Some(step);
                let (by, outcome) = match supervisor {
                    Some(supervisor) => {
                        let by = self.supervisor(supervisor)?;
                        if reason.trim().is_empty() {
                            return Err(refuse("visit-reason-required"));
                        }
                        app.visit.cancelled = Some(Override {
                            by: by.id,
                            reason: reason.trim().to_owned(),
                            at: self.now,
                        });
                        (by.id, StepOutcome::Cancelled { by: by.id })
                    }
                    None => (self.actor.clerk, StepOutcome::Cancelled { by: self.actor.clerk }),
                };
                let cancel = vec![(ApplicationAction::Cancel, by)];
                self.save(&app, step, outcome, cancel)?;
                Ok((application, None))
            }
        }
    }

    // --- the store --------------------------------------------------------------------------

    fn load(&mut self, id: RecordId) -> Result<Application, VisitError> {
        let app =
            self.store.get::<Application>(id)?.ok_or_else(|| refuse("visit-no-application"))?;
        self.subject = Some((RecordKind::Application, id));
        Ok(app)
    }

    fn person(&self, id: RecordId) -> Result<Person, VisitError> {
        self.store.get::<Person>(id)?.ok_or_else(|| refuse("visit-no-applicant"))
    }

    fn certificates(&self, app: &Application) -> Result<Vec<Certificate>, VisitError> {
        let mut out = Vec::with_capacity(app.certificates.len());
        for id in &app.certificates {
            out.extend(self.store.get::<Certificate>(*id)?);
        }
        Ok(out)
    }

    /// The application, with its plan, when `step` is open: in the plan, with every step before
    /// it done or skipped, and the application not finished. A step already done may be done
    /// again (a second photo) until a later one is.
    fn open_step(
        &mut self,
        id: RecordId,
        step: Step,
    ) -> Result<(Application, Vec<PlannedStep>), VisitError> {
        let app = self.load(id)?;
        if app.state().is_final() {
            return Err(registry::application::TransitionError::Finished(app.state()).into());
        }
        let plan = plan_of(&app)?;
        let at = |s: Option<Step>| match s {
            Some(s) => plan.iter().position(|p| p.step == s),
            None => Some(plan.len()),
        };
        let open = match (at(Some(step)), at(app.visit.current(&plan))) {
            (Some(wanted), Some(current)) => wanted <= current,
            _ => false,
        };
        if !open {
            return Err(errors::step_not_open(step, app.visit.current(&plan)));
        }
        Ok((app, plan))
    }

    /// Saves the application as the step left it, takes it through `then` (each action by its
    /// clerk), and writes the step's audit event: one transaction, so a crash keeps all or none.
    fn save(
        &mut self,
        app: &Application,
        step: Step,
        outcome: StepOutcome,
        then: Vec<(ApplicationAction, RecordId)>,
    ) -> Result<Application, VisitError> {
        let mut app = app.clone();
        app.visit.kiosk = Some(self.store.kiosk_id().to_owned());
        let id = app.id;
        let saved = self.store.write(Some(self.actor.clerk), |w| {
            w.put(&app)?;
            let mut after = app.clone();
            for (action, clerk) in then {
                after = w.transition(id, action, clerk)?;
            }
            w.audit(AuditAction::VisitStep { step, outcome }, Some((RecordKind::Application, id)))?;
            Ok(after)
        })?;
        Ok(saved)
    }

    /// Saves what a refused step found (an identity check that failed, a visit sent back to
    /// vetting) with its refusal in the audit trail, takes the application through `then`, and
    /// answers the refusal.
    fn save_refused(
        &mut self,
        app: &Application,
        step: Step,
        err: VisitError,
        then: Vec<(ApplicationAction, RecordId)>,
    ) -> VisitError {
        let outcome = StepOutcome::Refused { message: err.id.to_owned() };
        match self.save(app, step, outcome, then) {
            Ok(_) => {
                self.recorded = true;
                err
            }
            Err(store) => store,
        }
    }

    fn audit_refusal(&mut self, step: Step, err: &VisitError) {
        let outcome = StepOutcome::Refused { message: err.id.to_owned() };
        let subject = self.subject;
        let written = self.store.write(Some(self.actor.clerk), |w| {
            w.audit(AuditAction::VisitStep { step, outcome }, subject).map(drop)
        });
        if let Err(e) = written {
            tracing::error!(category = e.category(), "a refused visit step could not be audited");
        }
    }

    /// An active supervisor other than the clerk at the keyboard: a supervisor never approves
    /// their own action.
    fn supervisor(&self, id: RecordId) -> Result<Clerk, VisitError> {
        if id == self.actor.clerk {
            return Err(refuse("visit-supervisor-own-action"));
        }
        match self.store.get::<Clerk>(id)? {
            Some(clerk) if clerk.active && clerk.role == StaffRole::Supervisor => Ok(clerk),
            _ => Err(refuse("visit-supervisor-required")),
        }
    }

    fn fee(&self, app: &Application) -> Result<Money, VisitError> {
        // The office's price table (`[fees]` in kiosk.toml), else the seeds' example.
        let quote = self.ctx.config.fee_schedule().quote(
            app.service,
            app.certificate_class,
            app.validity_years,
        )?;
        // A renewal renews every certificate due: each is a certificate of the price table.
        let count = match app.service {
            Service::Renewal | Service::Change => app.certificates.len().max(1) as i64,
            _ => 1,
        };
        // Prices are bounded (`registry::fees::MAX_PRICE`): this cannot overflow, but says so
        // rather than wrap if it ever could.
        let minor = quote.total.minor.checked_mul(count).ok_or_else(|| refuse("error-failed"))?;
        Ok(Money { minor, currency: quote.total.currency })
    }

    fn today(&self) -> time::Date {
        self.now.to_offset(self.ctx.office_offset()).date()
    }

    fn photos_dir(&self) -> Result<PathBuf, VisitError> {
        private_dir(&self.ctx.data_dir.join("photos"))
    }

    fn chip_photo(&self, id: RecordId) -> Option<PathBuf> {
        let dir = self.ctx.data_dir.join("photos");
        ["jpg", "jp2"].iter().map(|ext| dir.join(format!("chip-{id}.{ext}"))).find(|p| p.exists())
    }

    /// The visit as the store now has it, read in one snapshot.
    fn view(&self, id: RecordId) -> Result<VisitView, VisitError> {
        let read = self.store.snapshot(|s| {
            let Some(app) = s.get::<Application>(id)? else { return Ok(None) };
            let Some(applicant) = s.get::<Person>(app.applicant)? else { return Ok(None) };
            let organisation = match app.organisation {
                Some(org) => s.get::<Organisation>(org)?,
                None => None,
            };
            let mut certificates = Vec::new();
            for cert in &app.certificates {
                certificates.extend(s.get::<Certificate>(*cert)?);
            }
            Ok(Some((app, applicant, organisation, certificates)))
        })?;
        let (application, applicant, organisation, certificates) =
            read.ok_or_else(|| refuse("visit-no-application"))?;
        let plan = plan_of(&application).unwrap_or_default();
        let fee = application.progress.fee.or_else(|| self.fee(&application).ok());
        let organisations = self.organisations_of(application.applicant)?;
        let counter_photo = application
            .visit
            .photo
            .as_ref()
            .map(|hash| self.ctx.data_dir.join("photos").join(format!("{hash}.jpg")))
            .filter(|p| p.exists());
        Ok(VisitView {
            organisations,
            chip_photo: self.chip_photo(id),
            application,
            plan,
            applicant,
            organisation,
            certificates,
            fee,
            counter_photo,
        })
    }

    /// The organisations `person` acts for: a membership in force, or its legal representative.
    fn organisations_of(&self, person: RecordId) -> Result<Vec<Organisation>, VisitError> {
        let mut ids: Vec<RecordId> = Vec::new();
        for link in self.store.linked_from(person, RecordKind::Membership)? {
            if let Some(m) = self.store.get::<registry::model::Membership>(link.from_id)?
                && m.person == person
                && m.ended.is_none()
                && !ids.contains(&m.organisation)
            {
                ids.push(m.organisation);
            }
        }
        for link in self.store.linked_from(person, RecordKind::Organisation)? {
            if link.field == "legal_representative" && !ids.contains(&link.from_id) {
                ids.push(link.from_id);
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.store.get::<Organisation>(id)?);
        }
        Ok(out)
    }

    /// Whether `person` may ask for `organisation`'s certificates as its agent: a current
    /// member (an employee too: what authorises an agent is the form the organisation signs
    /// and stamps, and its papers, both collected at the counter), or its legal representative.
    fn acts_for(&self, person: RecordId, organisation: RecordId) -> Result<bool, VisitError> {
        Ok(self.organisations_of(person)?.iter().any(|o| o.id == organisation))
    }

    // --- the steps --------------------------------------------------------------------------

    /// Whose the new certificate is, its class and its years. An organisation's is asked for by
    /// the person at the counter as its agent (經辦人), who must act for it.
    fn set_details(
        &mut self,
        id: RecordId,
        organisation: Option<RecordId>,
        class: registry::model::CertificateClass,
        years: u8,
    ) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Details)?;
        if !registry::model::VALIDITY_YEARS.contains(&years) {
            return Err(registry::fees::FeeError::ValidityYears(years).into());
        }
        if !class.issued_at_counter() {
            return Err(visit::NotAtCounter::CloudSign.into());
        }
        if let Some(org) = organisation
            && !self.acts_for(app.applicant, org)?
        {
            return Err(refuse("visit-not-their-organisation"));
        }
        // A change of details changes the subject, not whose certificate it is nor its class.
        if app.service == Service::Change {
            let old = self.certificates(&app)?.into_iter().next();
            if let Some(old) = old
                && (organisation != old.holder_organisation || class != old.class)
            {
                return Err(refuse("visit-change-keeps-holder-and-class"));
            }
        }
        app.organisation = organisation;
        app.agent = organisation.map(|_| app.applicant);
        if app.service == Service::NewIssuance {
            app.holder_kind = match organisation {
                Some(_) => registry::model::HolderKind::Organisation,
                None => registry::model::HolderKind::Person,
            };
        }
        app.certificate_class = class;
        app.validity_years = years;
        // The email step verifies the applicant's address, as for a renewal.
        if app.visit.emails.is_empty() {
            let person = self.person(app.applicant)?;
            app.visit.emails = person
                .email
                .iter()
                .map(|a| a.trim())
                .filter(|a| !a.is_empty())
                .map(|address| EmailCheck {
                    address: address.to_owned(),
                    verified_at: None,
                    unverified: None,
                })
                .collect();
            if app.visit.emails.is_empty() {
                app.visit.facts.insert(Fact::EmailsVerified);
            }
        }
        app.visit.facts.insert(Fact::DetailsEntered);
        self.save(&app, Step::Details, StepOutcome::Done, Vec::new())?;
        Ok((id, None))
    }

    /// The organisation's papers (seed 002): every one the application needs, besides the
    /// signed form, which comes back with its QR code.
    fn documents(&mut self, id: RecordId, collected: &[DocumentKind]) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Documents)?;
        let missing: Vec<DocumentKind> = app
            .required_documents()
            .into_iter()
            .filter(|d| *d != DocumentKind::SignedApplicationForm && !collected.contains(d))
            .collect();
        if let Some(first) = missing.first() {
            return Err(errors::document_missing(*first));
        }
        for doc in collected {
            if !app.documents.contains(doc) {
                app.documents.push(*doc);
            }
        }
        app.visit.facts.insert(Fact::DocumentsCollected);
        self.save(&app, Step::Documents, StepOutcome::Done, Vec::new())?;
        Ok((id, None))
    }

    /// The certificates a service other than renewal is about: a non-empty choice among the
    /// applicant's certificates in force. A revocation phrase, when given, must be the one set
    /// for every certificate chosen; with none, the plan takes a supervisor's approval.
    fn select_certificates(
        &mut self,
        id: RecordId,
        chosen: &[RecordId],
        phrase: Option<&str>,
    ) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Certificates)?;
        if app.service == Service::Renewal {
            // A renewal is about every certificate due, fixed (seed 000).
            return Err(refuse("visit-renewal-certificates-fixed"));
        }
        if chosen.is_empty() {
            return Err(refuse("visit-choose-a-certificate"));
        }
        let mut certificates = Vec::with_capacity(chosen.len());
        for cert in chosen {
            // The person's own, or, in a visit for an organisation, its own ones.
            let theirs = |c: &Certificate| match app.holder_kind {
                registry::model::HolderKind::Organisation => {
                    c.holder_person.is_none()
                        && c.holder_organisation.is_some()
                        && c.holder_organisation == app.organisation
                }
                _ => c.holder_person == Some(app.applicant),
            };
            match self.store.get::<Certificate>(*cert)? {
                Some(c) if theirs(&c) && c.status == CertificateStatus::Valid => {
                    certificates.push(c)
                }
                _ => return Err(refuse("visit-certificate-not-theirs")),
            }
        }
        // One token is changed, replaced or unlocked at a time.
        if matches!(app.service, Service::Change | Service::Replacement | Service::PinUnlock)
            && certificates.len() > 1
        {
            return Err(refuse("visit-choose-one-certificate"));
        }
        // The certificates of one visit are one holder's: the person's, or one organisation's.
        if let Some(first) = certificates.first()
            && certificates.iter().any(|c| {
                c.holder_kind != first.holder_kind
                    || c.holder_organisation != first.holder_organisation
            })
        {
            return Err(refuse("visit-certificates-of-one-holder"));
        }
        let phrase = phrase.map(str::trim).filter(|p| !p.is_empty());
        app.revocation_phrase_verified = match (app.service, phrase) {
            (Service::Revocation, Some(phrase)) => {
                let matches = certificates.iter().all(|c| {
                    c.revocation_phrase
                        .as_deref()
                        .is_some_and(|hash| crate::auth::verify_password(phrase, hash))
                });
                if !matches {
                    return Err(refuse("visit-revocation-phrase-wrong"));
                }
                true
            }
            _ => false,
        };
        if let Some(first) = certificates.first() {
            app.holder_kind = first.holder_kind;
            app.certificate_class = first.class;
            app.organisation = first.holder_organisation;
            app.agent = first.holder_organisation.map(|_| app.applicant);
        }
        app.certificates = certificates.iter().map(|c| c.id).collect();
        app.visit.facts.insert(Fact::CertificatesChosen);
        self.save(&app, Step::Certificates, StepOutcome::Done, Vec::new())?;
        Ok((id, None))
    }

    /// Revokes every certificate of the visit (seeds 002/003: final, the seals with them), once
    /// the application is vetted and, where needed, approved.
    fn revoke(
        &mut self,
        id: RecordId,
        reason: registry::model::RevocationReason,
    ) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Revocation)?;
        if app.state() != registry::application::ApplicationState::AwaitingFulfilment {
            return Err(refuse("visit-not-approved-yet"));
        }
        let certificates = self.certificates(&app)?;
        let seals_before = self.store.list::<registry::model::Seal>()?;
        let clerk = Some(self.actor.clerk);
        let pin_tries = self.ctx.config.pin_tries;
        // Every serial known before any certificate is revoked: never half a revocation.
        if certificates.iter().any(|c| c.status != CertificateStatus::Revoked && c.serial.is_none())
        {
            return Err(refuse("visit-no-serial"));
        }
        let mut revoked = 0;
        {
            let mut counter = tokens::service::Counter::new(&mut self.store, clerk, pin_tries)?;
            for cert in &certificates {
                // A certificate revoked meanwhile (on another counter) is revoked: go on.
                if cert.status == CertificateStatus::Revoked {
                    continue;
                }
                let serial = cert.serial.clone().ok_or_else(|| refuse("visit-no-serial"))?;
                counter.revoke(&serial, reason)?;
                revoked += 1;
            }
        }
        let ids: Vec<RecordId> = certificates.iter().map(|c| c.id).collect();
        let seals = seals_before
            .iter()
            .filter(|s| {
                s.certificate.is_some_and(|c| ids.contains(&c))
                    && s.status != registry::model::SealStatus::Revoked
            })
            .count();
        app.visit.facts.insert(Fact::Revoked);
        self.save(&app, Step::Revocation, StepOutcome::Done, Vec::new())?;
        Ok((id, Some(Notice::Revoked { certificates: revoked, seals })))
    }

    /// Resets the user PIN of the token holding the visit's certificate, with the office's SO
    /// PIN (`KIOSK_SO_PIN`, as `kiosk token unlock` takes it), once a supervisor approved.
    fn reset_pin(&mut self, id: RecordId, new_pin: &tokens::Pin) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::PinReset)?;
        // The new PIN follows the token's own PIN rules (`tokens::pin`), checked by the unlock.
        if app.state() != registry::application::ApplicationState::AwaitingFulfilment {
            return Err(refuse("visit-not-approved-yet"));
        }
        let certificates = self.certificates(&app)?;
        let on_token = certificates
            .iter()
            .find(|c| c.token.is_some())
            .ok_or_else(|| refuse("visit-token-unknown"))?;
        let module_path =
            self.ctx.config.token_module.clone().ok_or_else(|| refuse("visit-no-token-module"))?;
        let module = tokens::Module::load(Path::new(&module_path))?;
        let info = self.token_of(&module, on_token)?;
        let so_pin = std::env::var("KIOSK_SO_PIN")
            .ok()
            .map(tokens::Pin::new)
            .ok_or_else(|| refuse("visit-so-pin-needed"))?;
        let session = module.open_serial(&info.serial)?;
        {
            let clerk = Some(self.actor.clerk);
            let mut counter =
                tokens::service::Counter::new(&mut self.store, clerk, self.ctx.config.pin_tries)?;
            counter.unlock(&session, &so_pin, new_pin)?;
        }
        app.visit.facts.insert(Fact::PinReset);
        self.save(&app, Step::PinReset, StepOutcome::Done, Vec::new())?;
        Ok((id, Some(Notice::PinReset)))
    }

    /// The applicant's open application of `service`, or a new draft. A renewal is about every
    /// certificate of theirs that is due, fixed (seed 000). With `organisation`, the applicant
    /// is its agent (經辦人, who must act for it) and the certificates are the organisation's own.
    fn open(
        &mut self,
        service: Service,
        applicant: RecordId,
        organisation: Option<RecordId>,
    ) -> Result<Done, VisitError> {
        self.subject = Some((RecordKind::Person, applicant));
        let person = self.person(applicant)?;
        if let Some(org) = organisation
            && !self.acts_for(applicant, org)?
        {
            return Err(refuse("visit-not-their-organisation"));
        }
        let mut open = Vec::new();
        // Certificates already renewed at a counter: renewed, they are no longer due (the old
        // certificate stays valid until it expires, so its status does not say so).
        let mut renewed: Vec<String> = Vec::new();
        for link in self.store.linked_from(applicant, RecordKind::Application)? {
            if link.field != "applicant" {
                continue;
            }
            let Some(app) = self.store.get::<Application>(link.from_id)? else { continue };
            renewed.extend(app.visit.issued.iter().filter_map(|l| l.previous_serial.clone()));
            // The person's own visit, or this organisation's: a new certificate's visit is
            // the person's whoever it turns out to be for.
            let same_party = match organisation {
                Some(org) => {
                    app.organisation == Some(org)
                        && (app.holder_kind == registry::model::HolderKind::Organisation
                            || app.service == Service::NewIssuance)
                }
                None => {
                    app.service == Service::NewIssuance
                        || app.organisation.is_none()
                        || app.holder_kind != registry::model::HolderKind::Organisation
                }
            };
            if app.service == service && !app.state().is_final() && same_party {
                open.push(app);
            }
        }
        if let Some(app) = open.into_iter().max_by_key(|a| a.created_at) {
            return Ok((app.id, None));
        }
        // One visit of a service at a time for an organisation's certificates, whichever agent
        // opened it: two would take two fees for one renewal.
        if let Some(org) = organisation {
            for link in self.store.linked_from(org, RecordKind::Application)? {
                if link.field != "organisation" {
                    continue;
                }
                if let Some(other) = self.store.get::<Application>(link.from_id)?
                    && other.service == service
                    && service != Service::NewIssuance
                    && other.holder_kind == registry::model::HolderKind::Organisation
                    && !other.state().is_final()
                {
                    return Err(refuse("visit-organisation-visit-open")
                        .with_args(vec![("reference", other.reference.clone())]));
                }
            }
        }
        let (holder_id, field) = match organisation {
            Some(org) => (org, "holder_organisation"),
            None => (person.id, "holder_person"),
        };
        let mut held = Vec::new();
        for link in self.store.linked_from(holder_id, RecordKind::Certificate)? {
            if link.field == field
                && let Some(cert) = self.store.get::<Certificate>(link.from_id)?
                // An organisation's own certificates: one held by a person in it is theirs.
                && (organisation.is_none() || cert.holder_person.is_none())
            {
                held.push(cert);
            }
        }
        let chosen: Vec<Certificate> = match service {
            Service::Renewal => {
                let mut due = Vec::new();
                for cert in held {
                    if is_renewal_due(&cert, self.now, RENEWAL_WINDOW_DAYS)
                        && cert.serial.as_ref().is_none_or(|s| !renewed.contains(s))
                        // Renewed in a visit of someone else's (another agent of the
                        // organisation): its successor is on file.
                        && self.made_after(&cert)?.is_none()
                    {
                        due.push(cert);
                    }
                }
                due.sort_by_key(|c| c.not_after);
                if due.is_empty() {
                    return Err(refuse("visit-renewal-none-due"));
                }
                due
            }
            Service::NewIssuance => Vec::new(),
            // The contract has no choice of certificates yet: the ones in force.
            _ => {
                // Cloud-sign certificates are never handled at the counter: not offered.
                let valid: Vec<Certificate> = held
                    .into_iter()
                    .filter(|c| c.status == CertificateStatus::Valid && c.class.issued_at_counter())
                    .collect();
                if valid.is_empty() {
                    return Err(refuse("visit-no-certificates"));
                }
                valid
            }
        };
        let (holder, class) = match (chosen.first(), organisation) {
            (Some(cert), _) => (cert.holder_kind, cert.class),
            (None, Some(_)) => (
                registry::model::HolderKind::Organisation,
                registry::model::CertificateClass::Qualified,
            ),
            (None, None) => {
                (registry::model::HolderKind::Person, registry::model::CertificateClass::Qualified)
            }
        };
        let mut app =
            Application::draft(ulid::Ulid::new(), service, applicant, holder, class, self.now);
        if let Some(cert) = chosen.first()
            && registry::model::VALIDITY_YEARS.contains(&cert.validity_years)
        {
            app.validity_years = cert.validity_years;
        }
        // Whose the certificates are: an organisation's (its own, or a person's in it) is
        // asked for by the person at the counter as its agent.
        app.organisation = organisation.or(chosen.first().and_then(|c| c.holder_organisation));
        app.agent = app.organisation.map(|_| applicant);
        app.certificates = chosen.iter().map(|c| c.id).collect();
        app.visit.kiosk = Some(self.store.kiosk_id().to_owned());
        // A cloud-sign certificate is refused before anything is written.
        plan_of(&app)?;
        let id = app.id;
        self.store.write(Some(self.actor.clerk), |w| {
            w.put(&app)?;
            w.audit(AuditAction::RecordCreated, Some((RecordKind::Application, id))).map(drop)
        })?;
        Ok((id, None))
    }

    fn choose_certificates(&mut self, id: RecordId, new_key: bool) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Certificates)?;
        let person = self.person(app.applicant)?;
        app.visit.new_key = new_key;
        let mut addresses: Vec<String> = Vec::new();
        for address in person.email.iter() {
            let address = address.trim();
            if !address.is_empty() && !addresses.iter().any(|a| a.eq_ignore_ascii_case(address)) {
                addresses.push(address.to_owned());
            }
        }
        let earlier = self.verified_for_same_renewal(&app)?;
        let mut emails = Vec::new();
        for address in addresses {
            let kept = app.visit.emails.iter().find(|e| e.address.eq_ignore_ascii_case(&address));
            let mut check = kept.cloned().unwrap_or(EmailCheck {
                address: address.clone(),
                verified_at: None,
                unverified: None,
            });
            if check.verified_at.is_none() {
                check.verified_at = earlier
                    .iter()
                    .filter(|(a, _)| a.eq_ignore_ascii_case(&address))
                    .map(|(_, at)| *at)
                    .max();
            }
            emails.push(check);
        }
        app.visit.emails = emails;
        app.visit.facts.insert(Fact::CertificatesChosen);
        if app.visit.emails.iter().all(EmailCheck::settled) {
            app.visit.facts.insert(Fact::EmailsVerified);
        }
        self.save(&app, Step::Certificates, StepOutcome::Done, Vec::new())?;
        Ok((id, None))
    }

    /// Addresses verified, within [`visit::EMAIL_VERIFIED_DAYS`], for another renewal
    /// application of one of this application's certificates (seed 000: not asked again).
    fn verified_for_same_renewal(
        &self,
        app: &Application,
    ) -> Result<Vec<(String, OffsetDateTime)>, VisitError> {
        let mut found = Vec::new();
        if app.service != Service::Renewal {
            return Ok(found);
        }
        for cert in &app.certificates {
            for link in self.store.linked_from(*cert, RecordKind::Application)? {
                if link.field != "certificates" || link.from_id == app.id {
                    continue;
                }
                let Some(other) = self.store.get::<Application>(link.from_id)? else { continue };
                if other.service != Service::Renewal {
                    continue;
                }
                for email in &other.visit.emails {
                    if let Some(at) = email.verified_at
                        && visit::still_verified(at, self.now)
                    {
                        found.push((email.address.clone(), at));
                    }
                }
            }
        }
        Ok(found)
    }

    /// The visit's own entry for `address` (the addresses are the certificates', chosen with
    /// them).
    fn email_of(app: &Application, address: &str) -> Result<String, VisitError> {
        app.visit
            .emails
            .iter()
            .find(|e| e.address.eq_ignore_ascii_case(address.trim()))
            .map(|e| e.address.clone())
            .ok_or_else(|| refuse("visit-email-not-on-visit"))
    }

    /// A new 6-digit code for `address`, through the outbox: sent, or waiting there while the
    /// relay cannot take it (the step says so; a supervisor may let the visit go on).
    fn send_code(&mut self, id: RecordId, address: &str) -> Result<Done, VisitError> {
        let (app, _) = self.open_step(id, Step::Email)?;
        let address = Self::email_of(&app, address)?;
        let sent = crate::mail::send_code(
            &mut self.store,
            &self.ctx.config,
            self.ctx.lang,
            id,
            &address,
            self.now,
        )?;
        self.store.write(Some(self.actor.clerk), |w| {
            w.audit(
                AuditAction::VisitStep { step: Step::Email, outcome: StepOutcome::Started },
                Some((RecordKind::Application, id)),
            )
            .map(drop)
        })?;
        let notice = match sent {
            crate::mail::CodeSent::Sent => Notice::CodeSent { address },
            crate::mail::CodeSent::Queued { reason } => {
                Notice::CodeQueued { address, reason: reason.message_id() }
            }
        };
        Ok((id, Some(notice)))
    }

    fn check_code(&mut self, id: RecordId, address: &str, code: &str) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Email)?;
        let address = Self::email_of(&app, address)?;
        crate::mail::check_code(&mut self.store, id, &address, code, self.now)?;
        for email in app.visit.emails.iter_mut().filter(|e| e.address == address) {
            email.verified_at = Some(self.now);
        }
        if app.visit.emails.iter().all(EmailCheck::settled) {
            app.visit.facts.insert(Fact::EmailsVerified);
        }
        self.save(&app, Step::Email, StepOutcome::Done, Vec::new())?;
        Ok((id, None))
    }

    fn skip(
        &mut self,
        id: RecordId,
        step: Step,
        supervisor: RecordId,
        reason: &str,
    ) -> Result<Done, VisitError> {
        let (mut app, plan) = self.open_step(id, step)?;
        let by = self.supervisor(supervisor)?;
        if reason.trim().is_empty() {
            return Err(refuse("visit-reason-required"));
        }
        visit::may_skip(&plan, step, by.role)?;
        let granted = Override { by: by.id, reason: reason.trim().to_owned(), at: self.now };
        if step == Step::Email {
            for email in app.visit.emails.iter_mut().filter(|e| !e.settled()) {
                email.unverified = Some(granted.clone());
            }
        }
        app.visit.skipped.insert(step, granted);
        self.save(&app, step, StepOutcome::Skipped { by: by.id }, Vec::new())?;
        Ok((id, None))
    }

    fn identity(&mut self, id: RecordId, input: IdentityInput) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Identity)?;
        let before = self.person(app.applicant)?;
        let mut person = before.clone();
        let today = self.today();
        // A chip that failed its signatures may be a forged document: typing its zone, or
        // another reader, must not let it through. Only a chip that passes, or a supervisor's
        // override, clears it.
        let chip_failed = app
            .visit
            .identity
            .as_ref()
            .is_some_and(|c| c.passive_authentication == Some(false) && c.overridden.is_none());
        if chip_failed && !matches!(input, IdentityInput::Mrz { chip: true, .. }) {
            return Err(refuse("visit-chip-failed-read-chip"));
        }
        let (source, presented, authentic) = match input {
            IdentityInput::Mrz { text, chip } => {
                let printed = registry::mrz::parse(&card_readers::emrtd::mrz_lines(&text), today)?;
                if chip {
                    let dir = self.ctx.data_dir.join("csca");
                    let trust = card_readers::emrtd::load_trust_store(&dir).map_err(|e| {
                        refuse("doc-error-trust-store").with_args(vec![
                            ("dir", dir.to_string_lossy().into_owned()),
                            ("detail", e.to_string()),
                        ])
                    })?;
                    let reading =
                        card_readers::emrtd::read_document(&printed, None, &trust, today)?;
                    self.keep_chip_photo(id, &reading.face)?;
                    let presented = PresentedDocument::from_mrz(&reading.mrz);
                    (DocumentSource::Chip, presented, Some(reading.passive_authentication.passed))
                } else {
                    (DocumentSource::TypedMrz, PresentedDocument::from_mrz(&printed), None)
                }
            }
            IdentityInput::MainlandReader { device } => {
                use card_readers::cn_id::{CnIdReader, DEFAULT_BAUD};
                let mut reader = CnIdReader::open(&device, DEFAULT_BAUD, CN_READER_TIMEOUT)?;
                let card = reader.read_card()?;
                let presented = PresentedDocument {
                    kind: registry::model::IdDocumentKind::MainlandResident,
                    number: card.id_number.clone(),
                    name_latin: None,
                    name_zh: Some(card.name.clone()),
                    birth_date: Some(card.birth_date),
                    expiry: card.valid_to,
                };
                (DocumentSource::MainlandReader, Some(presented), None)
            }
        };
        let compared = match &presented {
            Some(doc) => visit::compare_identity(&person, doc, today),
            None => Err(visit::IdentityRefused::UnsupportedDocument),
        };
        let check = IdentityCheck {
            source,
            document: presented.as_ref().map_or(person.id_document.kind, |d| d.kind),
            passive_authentication: authentic,
            mismatches: match &compared {
                Err(visit::IdentityRefused::PersonalDataDiffers(fields)) => fields.clone(),
                _ => Vec::new(),
            },
            unsupported: matches!(compared, Err(visit::IdentityRefused::UnsupportedDocument)),
            at: self.now,
            overridden: None,
        };
        app.visit.identity = Some(check.clone());
        if let Some(refused) = check.refusal() {
            app.visit.facts.remove(&Fact::IdentityChecked);
            return Err(self.save_refused(&app, Step::Identity, refused.into(), Vec::new()));
        }
        app.visit.facts.insert(Fact::IdentityChecked);
        // The document checked is the applicant's own, or, for an organisation's certificate,
        // its agent's.
        let checked = if app.holder_kind.belongs_to_organisation() {
            DocumentKind::AgentId
        } else {
            DocumentKind::ApplicantId
        };
        if !app.documents.contains(&checked) {
            app.documents.push(checked);
        }
        // A check that passes needs no supervisor: an override of an earlier one (before the
        // visit was sent back to vetting, say) no longer holds up the application. Vetted data
        // changes only in a draft.
        if app.state() == registry::application::ApplicationState::Draft {
            app.identity_override = false;
        }
        // A renewed document (another expiry, still valid) is the person's document now.
        let renewed_expiry = presented.as_ref().and_then(|d| d.expiry);
        let person_changed = renewed_expiry.is_some()
            && renewed_expiry != person.id_document.expiry
            && renewed_expiry.is_some_and(|e| e >= today);
        if person_changed {
            person.id_document.expiry = renewed_expiry;
        }
        let mut saved = app.clone();
        saved.visit.kiosk = Some(self.store.kiosk_id().to_owned());
        self.store.write(Some(self.actor.clerk), |w| {
            // Only the field this step changed: an edit made meanwhile elsewhere stands.
            if person_changed {
                w.edit(&before, &person)?;
            }
            w.put(&saved)?;
            w.audit(
                AuditAction::VisitStep { step: Step::Identity, outcome: StepOutcome::Done },
                Some((RecordKind::Application, id)),
            )
            .map(drop)
        })?;
        Ok((id, None))
    }

    /// The chip's face image, kept beside the counter's photo for the side-by-side view.
    fn keep_chip_photo(&self, id: RecordId, face: &[u8]) -> Result<(), VisitError> {
        let format = card_readers::emrtd::lds::ImageFormat::sniff(face);
        let ext = match format {
            Some(card_readers::emrtd::lds::ImageFormat::Jpeg2000) => "jp2",
            _ => "jpg",
        };
        let dir = self.photos_dir()?;
        // One chip photo per application: a second read replaces the first whatever its format.
        for old in ["jpg", "jp2"] {
            let _ = std::fs::remove_file(dir.join(format!("chip-{id}.{old}")));
        }
        printers::named_file::write_file(
            &dir.join(format!("chip-{id}.{ext}")),
            face,
            printers::named_file::NewFile::OwnerOnly,
        )?;
        Ok(())
    }

    fn override_identity(
        &mut self,
        id: RecordId,
        supervisor: RecordId,
        reason: &str,
    ) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Identity)?;
        let by = self.supervisor(supervisor)?;
        if reason.trim().is_empty() {
            return Err(refuse("visit-reason-required"));
        }
        let Some(check) = app.visit.identity.as_mut().filter(|c| c.refusal().is_some()) else {
            return Err(refuse("visit-identity-nothing-to-override"));
        };
        check.overridden =
            Some(Override { by: by.id, reason: reason.trim().to_owned(), at: self.now });
        app.visit.facts.insert(Fact::IdentityChecked);
        app.identity_override = true;
        if !app.documents.contains(&DocumentKind::ApplicantId) {
            app.documents.push(DocumentKind::ApplicantId);
        }
        self.save(&app, Step::Identity, StepOutcome::Overridden { by: by.id }, Vec::new())?;
        Ok((id, None))
    }

    fn photo(&mut self, id: RecordId, bytes: &[u8]) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Photo)?;
        let before = self.person(app.applicant)?;
        let mut person = before.clone();
        let accepted = card_readers::photo::check_photo(bytes)?;
        let path = self.photos_dir()?.join(format!("{}.jpg", accepted.sha256));
        printers::named_file::write_file(
            &path,
            &accepted.jpeg,
            printers::named_file::NewFile::OwnerOnly,
        )?;
        app.visit.photo = Some(accepted.sha256.clone());
        app.visit.facts.insert(Fact::PhotoTaken);
        person.photo = Some(accepted.sha256);
        let mut saved = app.clone();
        saved.visit.kiosk = Some(self.store.kiosk_id().to_owned());
        self.store.write(Some(self.actor.clerk), |w| {
            w.edit(&before, &person)?;
            w.put(&saved)?;
            w.audit(
                AuditAction::VisitStep { step: Step::Photo, outcome: StepOutcome::Done },
                Some((RecordKind::Application, id)),
            )
            .map(drop)
        })?;
        Ok((id, None))
    }

    /// Prints `doc` through the spool to the office's printer, or, with none configured, writes
    /// its PDF under DATA_DIR/forms/. Answers the spool's job id, or the PDF's path.
    fn print(
        &self,
        doc: &printers::document::Document,
        file_name: &str,
        failed: &'static str,
    ) -> Result<String, VisitError> {
        match &self.ctx.config.printer {
            Some(printer) => {
                let spooled = print_cmd::spool_document(self.ctx, doc, printer)?;
                use printers::spool::SpoolState;
                match spooled.job.state {
                    // At the printer, or kept by the spool until the printer takes it.
                    SpoolState::Printed | SpoolState::Sending | SpoolState::Waiting => {
                        Ok(spooled.job.id.to_string())
                    }
                    SpoolState::Failed | SpoolState::Cancelled | SpoolState::Expired => {
                        Err(errors::print_failed(failed, &spooled.job))
                    }
                }
            }
            None => {
                let pdf = print_cmd::render_pdf(self.ctx, doc)?;
                let dir = private_dir(&self.ctx.data_dir.join("forms"))?;
                let path = dir.join(file_name);
                printers::named_file::write_file(
                    &path,
                    &pdf,
                    printers::named_file::NewFile::OwnerOnly,
                )?;
                Ok(path.to_string_lossy().into_owned())
            }
        }
    }

    fn print_form(&mut self, id: RecordId) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Form)?;
        // What was submitted was vetted on the form as signed: a new printing now would be
        // what a later re-check compares with, though no one vetted it.
        if app.state() != registry::application::ApplicationState::Draft {
            return Err(refuse("visit-form-already-submitted"));
        }
        let person = self.person(app.applicant)?;
        let certificates = self.certificates(&app)?;
        // Every printing has an id of its own in its code: once this one is kept, a signed
        // copy of an earlier printing is refused.
        let print = printers::formcode::new_print_id();
        let doc =
            print_docs::application_form(self.ctx, &self.store, id, self.today(), Some(&print))?;
        let job =
            self.print(&doc, &format!("form-{}.pdf", app.reference), "visit-form-print-failed")?;
        app.visit.form = Some(FormRecord {
            printed_at: self.now,
            job: Some(job.clone()),
            print: Some(print),
            identity: visit::identity_fingerprint(&person),
            subjects: visit::subjects_fingerprint(&certificates),
            signed_at: None,
        });
        // The step is done when the signed copy comes back.
        app.visit.facts.remove(&Fact::FormPrinted);
        self.save(&app, Step::Form, StepOutcome::Printed { job: job.clone() }, Vec::new())?;
        Ok((id, Some(Notice::FormPrinted { job })))
    }

    /// The signed form's code scanned back: the form is signed, and the application goes to
    /// vetting with the fee of the price table (straight to fulfilment when there is none).
    fn form_signed(&mut self, payload: &str) -> Result<Done, VisitError> {
        let key = office_keys::load(&self.ctx.data_dir, office_keys::OfficeKey::Form)
            .map_err(|e| refuse("error-failed").with_args(vec![("detail", e.to_string())]))?
            .ok_or_else(|| refuse("visit-form-key-missing"))?;
        let code = printers::formcode::FormCode::parse(payload, &key)?;
        let id = code.application;
        let (mut app, _) = self.open_step(id, Step::Form)?;
        if code.reference != app.reference {
            return Err(printers::formcode::FormCodeError::Forged.into());
        }
        if app.state() != registry::application::ApplicationState::Draft {
            return Err(refuse("visit-form-already-submitted"));
        }
        let Some(form) = app.visit.form.as_mut() else {
            return Err(visit::RecheckRefused::NoForm.into());
        };
        // Only the last printing: a copy of an earlier one shows what the form said then. A
        // code from before print ids is taken only for a form printed before them.
        if code.print != form.print {
            let printed = print_cmd::office_time(self.ctx, form.printed_at);
            return Err(refuse("visit-form-earlier-printing").with_args(vec![("printed", printed)]));
        }
        form.signed_at = Some(self.now);
        if !app.documents.contains(&DocumentKind::SignedApplicationForm) {
            app.documents.push(DocumentKind::SignedApplicationForm);
        }
        app.visit.facts.insert(Fact::FormPrinted);
        let clerk = self.actor.clerk;
        let mut then = Vec::new();
        let submitting = app.state() == registry::application::ApplicationState::Draft;
        if submitting {
            // Sent back to vetting after submission, it keeps the fee it was quoted (and paid):
            // vetting again charges nothing twice.
            let fee = match app.progress.fee {
                Some(fee) => fee,
                None => self.fee(&app)?,
            };
            if fee.minor == 0 {
                app.visit.facts.insert(Fact::Paid);
            }
            then.push((ApplicationAction::Submit { organisation: None }, clerk));
            then.push((ApplicationAction::PassVetting { fee }, clerk));
        }
        self.save(&app, Step::Form, StepOutcome::Done, then)?;
        Ok((id, submitting.then_some(Notice::Submitted)))
    }

    fn pay(
        &mut self,
        id: RecordId,
        method: visit::PaymentMethod,
        reference: &str,
        invoice: Option<registry::model::InvoiceDetails>,
    ) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Payment)?;
        if reference.trim().is_empty() {
            return Err(refuse("visit-payment-reference-required"));
        }
        // The invoice details go on the form and are vetted with it: after submission they
        // stay as they were.
        if invoice.is_some() && invoice != app.invoice {
            return Err(refuse("visit-invoice-too-late"));
        }
        let amount = match app.progress.fee {
            Some(fee) => fee,
            None => self.fee(&app)?,
        };
        app.visit.payment_method = Some(method);
        app.visit.facts.insert(Fact::Paid);
        let payment = Payment { amount, reference: reference.trim().to_owned(), at: self.now };
        let record = vec![(ApplicationAction::RecordPayment(payment), self.actor.clerk)];
        self.save(&app, Step::Payment, StepOutcome::Done, record)?;
        // The payment stands whatever the printer does; a receipt that did not print is said.
        let doc = print_docs::receipt(self.ctx, &self.store, id, self.today())?;
        match self.print(
            &doc,
            &format!("receipt-{}.pdf", app.reference),
            "visit-receipt-print-failed",
        ) {
            Ok(job) => Ok((id, Some(Notice::ReceiptPrinted { job }))),
            Err(err) => {
                // The payment step is done and audited as done: the printer's trouble is said,
                // not written down as a refused payment.
                self.recorded = true;
                Err(err)
            }
        }
    }

    fn approve(&mut self, id: RecordId, supervisor: RecordId) -> Result<Done, VisitError> {
        let mut app = self.load(id)?;
        // A supervisor signed in at this counter approves from their queue what another clerk
        // did; never what they submitted themselves.
        if Some(supervisor) == app.progress.submitted_by {
            return Err(refuse("visit-supervisor-own-action"));
        }
        // The second person is a second person: not the supervisor whose override of the
        // identity check is what the approval is about.
        let overrode = app.visit.identity.as_ref().and_then(|c| c.overridden.as_ref());
        if app.identity_override && overrode.is_some_and(|o| o.by == supervisor) {
            return Err(refuse("visit-supervisor-own-action"));
        }
        let by = match self.store.get::<Clerk>(supervisor)? {
            Some(clerk) if clerk.active && clerk.role == StaffRole::Supervisor => clerk,
            _ => return Err(refuse("visit-supervisor-required")),
        };
        app.visit.facts.insert(Fact::Approved);
        self.save(
            &app,
            Step::Approval,
            StepOutcome::Approved { by: by.id },
            vec![(ApplicationAction::Approve, by.id)],
        )?;
        Ok((id, None))
    }

    fn recheck(&mut self, id: RecordId) -> Result<Done, VisitError> {
        let (mut app, _) = self.open_step(id, Step::Recheck)?;
        let person = self.person(app.applicant)?;
        let certificates = self.certificates(&app)?;
        let checked = match app.service {
            Service::Renewal => {
                visit::recheck_renewal(&app.visit, &person, &certificates, self.now)
            }
            _ => match &app.visit.form {
                None => Err(visit::RecheckRefused::NoForm),
                Some(form) if form.identity != visit::identity_fingerprint(&person) => {
                    Err(visit::RecheckRefused::RevettingRequired)
                }
                Some(_) => Ok(()),
            },
        };
        match checked {
            Ok(()) => {
                app.visit.facts.insert(Fact::Rechecked);
                self.save(&app, Step::Recheck, StepOutcome::Done, Vec::new())?;
                Ok((id, None))
            }
            Err(visit::RecheckRefused::RevettingRequired) => {
                // Back to the identity check: what was agreed was agreed on the old data. The
                // application goes back to a draft, its fee and payment kept, so the identity
                // check (or a supervisor's override), the photo, the confirmation and the form
                // can be done again and the signed form submits it again.
                app.visit.revet();
                let mut back = Vec::new();
                if app.state() != registry::application::ApplicationState::Draft {
                    back.push((ApplicationAction::RequireRevetting, self.actor.clerk));
                }
                let err = visit::RecheckRefused::RevettingRequired.into();
                Err(self.save_refused(&app, Step::Recheck, err, back))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Issues what the visit's service issues: a renewal renews on the holder's token; a new
    /// certificate, a change of details and a replacement go through [`Visits::issue_new`].
    fn issue(
        &mut self,
        id: RecordId,
        pin: &tokens::Pin,
        phrase: &str,
        medium: &IssueMedium,
    ) -> Result<Done, VisitError> {
        let (app, _) = self.open_step(id, Step::Issuance)?;
        visit::check_revocation_phrase(phrase, pin.expose())?;
        // Claimed before any token is touched: one kiosk at a time issues a visit.
        let (app, _hold) = self.claim_issuance(app)?;
        let done = match app.service {
            Service::Renewal if *medium == IssueMedium::Token => self.renew(app, pin, phrase),
            Service::Renewal => Err(refuse("visit-pkcs12-new-only")),
            _ => self.issue_new(app, pin, phrase, medium),
        };
        if done.is_err() {
            self.release_issuance(id);
        }
        done
    }

    /// Claims the issuance of the visit for this kiosk: in the store, in one transaction that
    /// re-reads the application (so of two kiosks, or two processes of one data directory, one
    /// claims and the other is told who issues it and since when), while this process holds
    /// the visit's lock file in the data directory (so a claim of this kiosk's own that no
    /// process holds was left by one that stopped, and is taken over). Answers the application
    /// as claimed, and the lock, held until the issuance ends.
    fn claim_issuance(
        &mut self,
        app: Application,
    ) -> Result<(Application, std::fs::File), VisitError> {
        let id = app.id;
        let Some(hold) = self.issuing_lock(id)? else {
            // Another process of this data directory is issuing the visit now.
            let held = self.load(id)?.visit.issuing;
            let (kiosk, since) = match held {
                Some(claim) => (claim.kiosk, claim.at),
                None => (self.store.kiosk_id().to_owned(), self.now),
            };
            let held = visit::ClaimRefused::Held { kiosk, since };
            return Err(claim_refused(&held, self.ctx.office_offset()));
        };
        let kiosk = self.store.kiosk_id().to_owned();
        let claim =
            visit::IssuingClaim { kiosk: kiosk.clone(), clerk: self.actor.clerk, at: self.now };
        let (now, offset) = (self.now, self.ctx.office_offset());
        let claimed = self.store.write(Some(self.actor.clerk), |w| {
            let Some(mut current) = w.get::<Application>(id)? else {
                return Ok(Err(refuse("visit-no-application")));
            };
            // Finished or cancelled meanwhile, at another counter.
            if current.state().is_final() || current.visit.done(Fact::Issued) {
                return Ok(Err(refuse("visit-nothing-to-issue")));
            }
            if let Err(held) =
                visit::may_claim_issuance(current.visit.issuing.as_ref(), &kiosk, now)
            {
                return Ok(Err(claim_refused(&held, offset)));
            }
            current.visit.issuing = Some(claim);
            current.visit.kiosk = Some(kiosk);
            w.put(&current)?;
            w.audit(
                AuditAction::VisitStep { step: Step::Issuance, outcome: StepOutcome::Started },
                Some((RecordKind::Application, id)),
            )?;
            Ok(Ok(current))
        })?;
        Ok((claimed?, hold))
    }

    /// This process's lock on issuing the visit `id` (`DATA_DIR/visits/issuing/ID.lock`), or
    /// `None` while another process holds it. The kernel releases it when its process dies.
    /// The files stay: removing one while another process opens it would let two processes
    /// each hold a lock of their own.
    fn issuing_lock(&self, id: RecordId) -> Result<Option<std::fs::File>, VisitError> {
        let dir = private_dir(&self.ctx.data_dir.join("visits").join("issuing"))?;
        let path = dir.join(format!("{id}.lock"));
        let failed = |e: std::io::Error| {
            refuse("error-data-dir").with_args(vec![
                ("dir", dir.to_string_lossy().into_owned()),
                ("detail", e.to_string()),
            ])
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(failed)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(failed(e)),
        }
    }

    /// Gives up this run's claim after a failed issuance, so the visit can be issued again at
    /// once, here or at another counter. A claim taken over meanwhile is not this run's.
    fn release_issuance(&mut self, id: RecordId) {
        let (kiosk, clerk, at) = (self.store.kiosk_id().to_owned(), self.actor.clerk, self.now);
        let released = self.store.write(Some(clerk), |w| {
            let Some(mut current) = w.get::<Application>(id)? else { return Ok(()) };
            let ours = current.visit.issuing.as_ref().is_some_and(|c| {
                c.kiosk == kiosk && c.clerk == clerk && c.at.unix_timestamp() == at.unix_timestamp()
            });
            if ours {
                current.visit.issuing = None;
                w.put(&current)?;
            }
            Ok(())
        });
        if let Err(e) = released {
            tracing::error!(
                category = e.category(),
                "a visit's issuing claim could not be released"
            );
        }
    }

    /// The token of the inventory plugged in now that is blank (a token from stock, initialised
    /// by the office with its first PIN): exactly one, so the certificate cannot land on the
    /// wrong one.
    fn blank_token(&mut self, module: &tokens::Module) -> Result<tokens::TokenInfo, VisitError> {
        // The office CA's own token (often in the same module) and a slot with no token made
        // ready (SoftHSM2's free slot, a token fresh from the factory) are not stock.
        let ca_token = tokens::ca::CaConfig::load(&self.ctx.data_dir).ok().map(|c| c.token_label);
        let mut blank = Vec::new();
        for info in module.tokens()? {
            if !info.initialized
                || !info.user_pin_initialized
                || ca_token.as_deref() == Some(info.label.as_str())
            {
                continue;
            }
            let known = self.store.token_by_serial(&info.serial)?;
            if known.is_none_or(|t| t.status == registry::model::TokenStatus::Blank) {
                blank.push(info);
            }
        }
        match blank.len() {
            1 => Ok(blank.remove(0)),
            0 => Err(refuse("visit-plug-a-blank-token")),
            n => Err(refuse("visit-one-blank-token").with_args(vec![("count", n.to_string())])),
        }
    }

    /// A new certificate on a blank token (or in a PKCS#12 file, where its profile allows
    /// one), a change of details on the holder's token, or a replacement on a blank token (the
    /// old token reported, its certificate revoked). A token from stock is opened with the
    /// office's stock PIN (`KIOSK_STOCK_PIN`) and leaves with the PIN the holder chose.
    fn issue_new(
        &mut self,
        mut app: Application,
        pin: &tokens::Pin,
        phrase: &str,
        medium: &IssueMedium,
    ) -> Result<Done, VisitError> {
        let id = app.id;
        if !app.visit.issued.is_empty() {
            return Err(refuse("visit-nothing-to-issue"));
        }
        // A new certificate put on the token noted for it by an issuance the kiosk did not live
        // to record: recorded, not issued a second time (that token is no longer blank).
        if app.service == Service::NewIssuance
            && let Some(made) = self.made_on_noted_token(&app)?
        {
            let token = self.token_serial(made.token)?;
            self.record_made(&mut app, made, token.clone(), None, phrase, true)?;
            self.holder_pin_after_crash(token.as_deref(), pin)?;
            return Ok((id, Some(Notice::Activated)));
        }
        if let IssueMedium::Pkcs12File { path } = medium {
            return self.issue_pkcs12(app, pin, phrase, path.as_deref());
        }
        // Where a file would do, a missing device says so.
        let or_pkcs12 = super::pkcs12_allowed(&app);
        let module_path = self.ctx.config.token_module.clone().ok_or_else(|| {
            refuse(if or_pkcs12 {
                "visit-no-token-module-or-pkcs12"
            } else {
                "visit-no-token-module"
            })
        })?;
        let module = tokens::Module::load(Path::new(&module_path))?;
        let person = self.person(app.applicant)?;
        let organisation = match app.organisation {
            Some(org) => self.store.get::<Organisation>(org)?,
            None => None,
        };
        let old = self.certificates(&app)?.into_iter().next();
        // Changed or replaced already by an issuance the kiosk did not live to record.
        if let Some(old) = old.as_ref().filter(|_| app.service != Service::NewIssuance)
            && let Some(made) = self.made_after(old)?
        {
            let token = self.token_serial(made.token)?;
            self.record_made(&mut app, made, token.clone(), Some(old), phrase, true)?;
            // A replacement's token came from stock: the holder's PIN may not be on it yet.
            if app.service == Service::Replacement {
                self.holder_pin_after_crash(token.as_deref(), pin)?;
            }
            return Ok((id, Some(Notice::Activated)));
        }
        let info = match (app.service, &old) {
            (Service::Change, Some(old)) => self.token_of(&module, old)?,
            (Service::Change | Service::Replacement, None) => {
                return Err(refuse("visit-nothing-to-issue"));
            }
            _ => self.blank_token(&module).map_err(|e| match e.id {
                "visit-plug-a-blank-token" if or_pkcs12 => {
                    refuse("visit-plug-a-blank-token-or-pkcs12")
                }
                _ => e,
            })?,
        };
        // A token from stock: the holder's new PIN follows the one PIN rule before anything is
        // written, and the office's stock PIN opens the token.
        let stock_pin = if app.service == Service::Change {
            None
        } else {
            tokens::pin::check_new_pin(pin, info.min_pin_length, info.max_pin_length)?;
            let stock = std::env::var("KIOSK_STOCK_PIN").ok().map(tokens::Pin::new);
            Some(stock.ok_or_else(|| refuse("visit-stock-pin-needed"))?)
        };
        if app.service == Service::NewIssuance {
            self.note_new_token(&mut app, &info.serial)?;
        }
        let session = module.open_serial(&info.serial)?;
        let clerk = Some(self.actor.clerk);
        let ca_pin = std::env::var("KIOSK_CA_PIN").ok().map(tokens::Pin::new);
        let data_dir = self.ctx.data_dir.clone();
        let subject = subject_for(&person, organisation.as_ref(), office_country(&self.ctx.config));
        let profile = super::profile_of(&app).ok_or_else(|| refuse("visit-no-profile"))?;
        let issued = {
            let mut counter =
                tokens::service::Counter::new(&mut self.store, clerk, self.ctx.config.pin_tries)?;
            match &stock_pin {
                Some(stock_pin) => counter.login_stock(&session, stock_pin)?,
                None => counter.login(&session, pin)?,
            };
            let ca_pin = ca_pin.ok_or_else(|| refuse("visit-ca-pin-needed"))?;
            let ca = tokens::ca::OfficeCa::open(&data_dir, &ca_pin)?;
            match (app.service, &old) {
                (Service::Change, Some(_)) => {
                    counter.change(&ca, &session, subject, app.validity_years)?
                }
                (Service::Replacement, Some(old)) => {
                    let serial = old.serial.clone().ok_or_else(|| refuse("visit-no-serial"))?;
                    // Revoked for a compromised key: the token was lost; else it was damaged.
                    let report = match old.revocation.as_ref().map(|r| r.reason) {
                        Some(registry::model::RevocationReason::KeyCompromise) => {
                            registry::model::TokenStatus::Lost
                        }
                        _ => registry::model::TokenStatus::Damaged,
                    };
                    counter.replace(&ca, &serial, report, &session, app.validity_years)?
                }
                _ => {
                    let request =
                        issue_request(&app, profile, subject, &person, organisation.as_ref());
                    counter.issue(&ca, &session, &request)?
                }
            }
        };
        let pin_set = match &stock_pin {
            Some(stock_pin) => self.set_holder_pin(&session, stock_pin, pin),
            None => Ok(()),
        };
        session.logout();
        // A new certificate is named by its completion line: the vetted application (its
        // certificates included) does not change after submission. Recorded even when the
        // holder's PIN could not be set: the certificate is on the token and in force.
        self.record_issued(&mut app, &issued, old.as_ref(), phrase, true)?;
        pin_set?;
        Ok((id, Some(Notice::Activated)))
    }

    /// After an issuance the kiosk did not live to record, on a token from stock: the holder's
    /// PIN is set unless it is there already (the stock PIN no longer opens the token). One
    /// try of the stock PIN at most; a token that cannot be asked is said, as when setting
    /// the PIN fails.
    fn holder_pin_after_crash(
        &mut self,
        serial: Option<&str>,
        pin: &tokens::Pin,
    ) -> Result<(), VisitError> {
        let (Some(serial), Some(module_path)) = (serial, self.ctx.config.token_module.clone())
        else {
            return Ok(());
        };
        let not_set = |cause: VisitError| {
            tracing::warn!(message = cause.id, category = cause.category, "holder's PIN not set");
            VisitError::new("visit-holder-pin-not-set", cause.category)
        };
        let stock = std::env::var("KIOSK_STOCK_PIN").ok().map(tokens::Pin::new);
        let stock = stock.ok_or_else(|| refuse("visit-stock-pin-needed"))?;
        let module =
            tokens::Module::load(Path::new(&module_path)).map_err(|e| not_set(e.into()))?;
        let session = module.open_serial(serial).map_err(|e| not_set(e.into()))?;
        session.logout();
        let stock_opens = session.login(&stock).map_err(|e| not_set(e.into()))?;
        session.logout();
        let done = match stock_opens {
            tokens::pkcs11::Login::Ok => self.set_holder_pin(&session, &stock, pin),
            // The holder's PIN was set before the kiosk stopped.
            tokens::pkcs11::Login::WrongPin => Ok(()),
            tokens::pkcs11::Login::DeviceLocked => Err(not_set(tokens::TokenError::Locked.into())),
        };
        session.logout();
        done
    }

    /// Replaces the stock PIN of a token just issued with the PIN the holder chose. The stock
    /// PIN was proved a moment ago, so a failure here is the device's: the step says the token
    /// still has the stock PIN and must have its PIN changed before it leaves the counter.
    fn set_holder_pin(
        &mut self,
        session: &tokens::pkcs11::TokenSession,
        stock_pin: &tokens::Pin,
        pin: &tokens::Pin,
    ) -> Result<(), VisitError> {
        let clerk = Some(self.actor.clerk);
        let mut counter =
            tokens::service::Counter::new(&mut self.store, clerk, self.ctx.config.pin_tries)?;
        counter.change_pin(session, stock_pin, pin).map_err(|e| {
            let cause = VisitError::from(e);
            tracing::warn!(message = cause.id, category = cause.category, "holder's PIN not set");
            VisitError::new("visit-holder-pin-not-set", cause.category)
        })
    }

    /// A new certificate into a password-protected PKCS#12 file, where its profile allows one
    /// (the soft-token fallback): at the path the clerk gave, or `DATA_DIR/pkcs12/REFERENCE.p12`
    /// in a folder of the kiosk's alone; the file is its owner's alone too. Recorded as a
    /// token issuance is: the completion line, the phrase's hash, the audit event.
    fn issue_pkcs12(
        &mut self,
        mut app: Application,
        password: &tokens::Pin,
        phrase: &str,
        path: Option<&Path>,
    ) -> Result<Done, VisitError> {
        let id = app.id;
        if app.service != Service::NewIssuance {
            return Err(refuse("visit-pkcs12-new-only"));
        }
        let profile = super::profile_of(&app).ok_or_else(|| refuse("visit-no-profile"))?;
        // Refused before anything is asked of the office CA.
        if !profile.allows_soft_token() {
            return Err(tokens::TokenError::SoftNotAllowed(profile.name().to_owned()).into());
        }
        let problems = registry::credentials::cloud_sign_password_problems(password.expose());
        if !problems.is_empty() {
            return Err(tokens::TokenError::PinRules(problems).into());
        }
        let file = match path {
            Some(path) => path.to_owned(),
            None => private_dir(&self.ctx.data_dir.join("pkcs12"))?
                .join(format!("{}.p12", file_stem(&app.reference))),
        };
        // An issuance whose file cannot go there is not begun, and a file is never replaced:
        // it may be another holder's key.
        printers::named_file::check_target(&file)?;
        if std::fs::symlink_metadata(&file).is_ok() {
            return Err(refuse("visit-pkcs12-file-exists")
                .with_args(vec![("file", file.display().to_string())]));
        }
        let person = self.person(app.applicant)?;
        let organisation = match app.organisation {
            Some(org) => self.store.get::<Organisation>(org)?,
            None => None,
        };
        let subject = subject_for(&person, organisation.as_ref(), office_country(&self.ctx.config));
        let request = issue_request(&app, profile, subject, &person, organisation.as_ref());
        let ca_pin = std::env::var("KIOSK_CA_PIN").ok().map(tokens::Pin::new);
        let ca_pin = ca_pin.ok_or_else(|| refuse("visit-ca-pin-needed"))?;
        let ca = tokens::ca::OfficeCa::open(&self.ctx.data_dir, &ca_pin)?;
        let issued = {
            let clerk = Some(self.actor.clerk);
            let mut counter =
                tokens::service::Counter::new(&mut self.store, clerk, self.ctx.config.pin_tries)?;
            tokens::soft::issue_pkcs12(&mut counter, &ca, &request, password, &file)?
        };
        self.record_issued(&mut app, &issued, None, phrase, true)?;
        Ok((id, Some(Notice::Pkcs12Written { file: file.display().to_string() })))
    }

    /// Keeps what an issuance made: the revocation phrase (hashed) on the new certificate, the
    /// completion notice's line, and `Issued` once `all` are; one transaction with the audit.
    fn record_issued(
        &mut self,
        app: &mut Application,
        issued: &tokens::service::Issued,
        old: Option<&Certificate>,
        phrase: &str,
        all: bool,
    ) -> Result<(), VisitError> {
        let made = self
            .store
            .get::<Certificate>(issued.certificate)?
            .ok_or_else(|| refuse("visit-nothing-to-issue"))?;
        self.record_made(app, made, issued.token.clone(), old, phrase, all)
    }

    /// A certificate that an interrupted issuance of this visit made (the kiosk stopped after
    /// the office CA signed and stored it, before the visit was saved): the one whose issuance
    /// names `old` as its predecessor. Recorded, it is not issued a second time.
    /// The chip serial of an inventory token.
    fn token_serial(&self, token: Option<RecordId>) -> Result<Option<String>, VisitError> {
        Ok(match token {
            Some(token) => self.store.get::<Token>(token)?.map(|t| t.serial),
            None => None,
        })
    }

    /// The certificate in force that an issuance made after `old` (its renewal, change or
    /// replacement). One withdrawn because its delivery failed names `old` too, but was never
    /// the holder's: it does not count.
    fn made_after(&self, old: &Certificate) -> Result<Option<Certificate>, VisitError> {
        Ok(crate::counter::successor_in_force(&self.store, old)?)
    }

    /// Notes the blank token a new certificate goes on, before its key is made there.
    fn note_new_token(&mut self, app: &mut Application, serial: &str) -> Result<(), VisitError> {
        app.visit.new_token = Some(serial.to_owned());
        self.store.put(Some(self.actor.clerk), &*app)?;
        Ok(())
    }

    /// The certificate an interrupted new issuance of this visit put on the token noted for it:
    /// in force (delivered and verified; one left on hold is revoked by the next issuance), with
    /// no predecessor, and this visit's holder's.
    fn made_on_noted_token(&self, app: &Application) -> Result<Option<Certificate>, VisitError> {
        let Some(serial) = app.visit.new_token.as_deref() else { return Ok(None) };
        let Some(token) = self.store.token_by_serial(serial)? else { return Ok(None) };
        // Whose a new certificate is, as `issue_new` asks for it.
        let person =
            (app.holder_kind != registry::model::HolderKind::Organisation).then_some(app.applicant);
        for link in self.store.linked_from(token.id, RecordKind::Certificate)? {
            if link.field != "token" {
                continue;
            }
            if let Some(cert) = self.store.get::<Certificate>(link.from_id)?
                && cert.status == CertificateStatus::Valid
                && cert.issuance.as_ref().is_some_and(|i| i.previous.is_none())
                && cert.holder_person == person
                && cert.holder_organisation == app.organisation
            {
                return Ok(Some(cert));
            }
        }
        Ok(None)
    }

    fn record_made(
        &mut self,
        app: &mut Application,
        mut made: Certificate,
        token: Option<String>,
        old: Option<&Certificate>,
        phrase: &str,
        all: bool,
    ) -> Result<(), VisitError> {
        let hash = crate::auth::hash_password(phrase)
            .map_err(|detail| refuse("error-failed").with_args(vec![("detail", detail)]))?;
        made.revocation_phrase = Some(hash);
        let serial = made.serial.clone().unwrap_or_default();
        let not_after = made.not_after.unwrap_or(self.now);
        app.visit.issued.push(IssuedLine {
            certificate: made.id,
            serial,
            not_after,
            previous_serial: old.and_then(|c| c.serial.clone()),
            previous_not_after: old.and_then(|c| c.not_after),
            token,
        });
        if all {
            app.visit.facts.insert(Fact::Issued);
        }
        // This issuance is over: the visit's next certificate, if any, is claimed anew.
        app.visit.issuing = None;
        app.visit.kiosk = Some(self.store.kiosk_id().to_owned());
        let id = app.id;
        self.store.write(Some(self.actor.clerk), |w| {
            w.put(&made)?;
            w.put(&*app)?;
            w.audit(
                AuditAction::VisitStep { step: Step::Issuance, outcome: StepOutcome::Done },
                Some((RecordKind::Application, id)),
            )
            .map(drop)
        })?;
        Ok(())
    }

    /// The token that holds `certificate`, plugged in now.
    fn token_of(
        &self,
        module: &tokens::Module,
        certificate: &Certificate,
    ) -> Result<tokens::TokenInfo, VisitError> {
        let token: Token = match certificate.token {
            Some(token) => self.store.get::<Token>(token)?,
            None => None,
        }
        .ok_or_else(|| refuse("visit-token-unknown"))?;
        module.tokens()?.into_iter().find(|t| t.serial == token.serial).ok_or_else(|| {
            refuse("visit-token-not-present").with_args(vec![("serial", token.serial.clone())])
        })
    }

    /// Renews the next certificate of the visit on its token: found by the token's serial among
    /// those plugged in, the holder's PIN checked (wrong PINs counted), the office CA signs.
    fn renew(
        &mut self,
        mut app: Application,
        pin: &tokens::Pin,
        phrase: &str,
    ) -> Result<Done, VisitError> {
        let id = app.id;
        let issued_already: Vec<Option<String>> =
            app.visit.issued.iter().map(|l| l.previous_serial.clone()).collect();
        let certificates = self.certificates(&app)?;
        let Some(old) = certificates.iter().find(|c| !issued_already.contains(&c.serial)).cloned()
        else {
            return Err(refuse("visit-nothing-to-issue"));
        };
        // Renewed already by an issuance the kiosk did not live to record: record that one.
        if let Some(made) = self.made_after(&old)? {
            let token = self.token_serial(made.token)?;
            let all = certificates.iter().all(|c| {
                c.id == old.id || app.visit.issued.iter().any(|l| l.previous_serial == c.serial)
            });
            self.record_made(&mut app, made, token, Some(&old), phrase, all)?;
            return Ok((id, all.then_some(Notice::Activated)));
        }
        let module_path =
            self.ctx.config.token_module.clone().ok_or_else(|| refuse("visit-no-token-module"))?;
        let module = tokens::Module::load(Path::new(&module_path))?;
        let info = self.token_of(&module, &old)?;
        let session = module.open_serial(&info.serial)?;
        let renewal = if app.visit.new_key {
            tokens::service::Renewal::NewKey
        } else {
            tokens::service::Renewal::SameKey
        };
        let clerk = Some(self.actor.clerk);
        let pin_tries = self.ctx.config.pin_tries;
        let ca_pin = std::env::var("KIOSK_CA_PIN").ok().map(tokens::Pin::new);
        let data_dir = self.ctx.data_dir.clone();
        let validity = app.validity_years;
        let issued = {
            let mut counter = tokens::service::Counter::new(&mut self.store, clerk, pin_tries)?;
            // The holder's PIN first: a wrong one is refused, and counted, before the CA opens.
            counter.login(&session, pin)?;
            let current = counter.current_certificate(&session)?;
            if current.record.id != old.id {
                return Err(refuse("visit-token-other-certificate")
                    .with_args(vec![("serial", current.serial.clone())]));
            }
            let ca_pin = ca_pin.ok_or_else(|| refuse("visit-ca-pin-needed"))?;
            let ca = tokens::ca::OfficeCa::open(&data_dir, &ca_pin)?;
            counter.renew(&ca, &session, renewal, validity)?
        };
        session.logout();
        // Every certificate of the renewal, this one included, renewed?
        let all = certificates.iter().all(|c| {
            c.id == old.id || app.visit.issued.iter().any(|l| l.previous_serial == c.serial)
        });
        self.record_issued(&mut app, &issued, Some(&old), phrase, all)?;
        Ok((id, all.then_some(Notice::Activated)))
    }
}

/// The office's country, as its currency tells it (the configuration has no country of its
/// own): Macau's pataca, the Mainland's yuan, Hong Kong's dollar.
fn office_country(config: &crate::config::Config) -> &'static str {
    match config.currency {
        registry::model::Currency::Mop => "MO",
        registry::model::Currency::Cny => "CN",
        registry::model::Currency::Hkd => "HK",
    }
}

/// The subject of a new certificate: the person's names and document number, or the
/// organisation's name and registration number, and the country that issued the document or
/// registered the organisation (the office's country when it cannot tell).
fn subject_for(
    person: &Person,
    organisation: Option<&Organisation>,
    office_country: &str,
) -> registry::model::SubjectDn {
    let country = |alpha3: Option<&str>| {
        match alpha3 {
            Some("MAC") => "MO",
            Some("CHN") => "CN",
            Some("HKG") => "HK",
            Some("PRT") => "PT",
            _ => office_country,
        }
        .to_owned()
    };
    match organisation {
        Some(org) => {
            let name = org.name_zh.clone().or_else(|| org.name_latin.clone()).unwrap_or_default();
            registry::model::SubjectDn {
                cn: name.clone(),
                o: Some(name),
                c: Some(office_country.to_owned()),
                serial_number: Some(org.registration.number.clone()),
                ..Default::default()
            }
        }
        None => registry::model::SubjectDn {
            cn: crate::counter::both_names(
                person.name_zh.as_deref(),
                person.name_latin.as_deref(),
                " ",
            )
            .unwrap_or_default(),
            c: Some(country(person.id_document.issuing_state.as_deref())),
            serial_number: Some(person.id_document.number.expose().to_owned()),
            ..Default::default()
        },
    }
}

/// A claim refused: who issues the visit, and since when in the office's time.
fn claim_refused(refused: &visit::ClaimRefused, office: time::UtcOffset) -> VisitError {
    let visit::ClaimRefused::Held { kiosk, since } = refused;
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let since = since.to_offset(office).format(&format).unwrap_or_default();
    refuse(refused.message_id()).with_args(vec![("kiosk", kiosk.clone()), ("since", since)])
}

/// What a new certificate of `app` asks the office CA for.
fn issue_request(
    app: &Application,
    profile: tokens::Profile,
    subject: registry::model::SubjectDn,
    person: &Person,
    organisation: Option<&Organisation>,
) -> tokens::service::IssueRequest {
    tokens::service::IssueRequest {
        profile,
        subject,
        validity_years: app.validity_years,
        key: tokens::KeyKind::P256,
        // An organisation's own certificate has no person as its holder.
        holder_person: (app.holder_kind != registry::model::HolderKind::Organisation)
            .then_some(person.id),
        holder_organisation: organisation.map(|o| o.id),
    }
}

/// An application reference as a file name: letters, digits, `-` and `_` kept, the rest `_`.
fn file_stem(reference: &str) -> String {
    let stem: String = reference
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    if stem.is_empty() { "application".to_owned() } else { stem }
}

/// A folder of the data directory that holds personal data: its owner's alone.
fn private_dir(dir: &Path) -> Result<PathBuf, VisitError> {
    use std::os::unix::fs::DirBuilderExt;
    let made = std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir);
    made.map_err(|e| {
        refuse("error-data-dir")
            .with_args(vec![("dir", dir.to_string_lossy().into_owned()), ("detail", e.to_string())])
    })?;
    Ok(dir.to_owned())
}

/// A frame of the counter's camera, as a PNG for the photo rules. No camera: the camera's own
/// refusal, which tells the clerk to pick a file.
fn camera_picture() -> Result<Vec<u8>, VisitError> {
    let mut camera = card_readers::camera::open_camera(0)?;
    let frame = camera.frame()?;
    let mut png = std::io::Cursor::new(Vec::new());
    frame
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| refuse("error-failed").with_args(vec![("detail", e.to_string())]))?;
    Ok(png.into_inner())
}

#[cfg(test)]
mod tests;
