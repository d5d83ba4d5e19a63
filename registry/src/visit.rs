//! The step plan of a counter visit: which steps a service needs, in which order, which may be
//! skipped and by whom, and what each step must have recorded before the next one opens. The
//! counter app only walks the plan; the rules live here, pure and table-tested.
//!
//! A visit records [`Fact`]s as its steps complete (kept on the draft application, so a visit
//! resumes at the same step after a crash, a lock or on another kiosk). A step opens when every
//! fact of the steps before it is recorded or those steps were skipped by someone allowed to.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::{CertificateClass, HolderKind, Service, StaffRole};

/// One step of a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The certificates the visit is about. For a renewal, the ones due are pre-selected and
    /// cannot be deselected (seed 000).
    Certificates,
    /// The applicant's identity document read (chip with passive authentication, the Mainland
    /// reader, or a typed MRZ) and compared with the record.
    Identity,
    /// Every email address on the certificates verified by a 6-digit code.
    Email,
    /// Consent to the personal-data collection statement.
    Consent,
    /// A recent photo, compared side by side with the chip's.
    Photo,
    /// The subject's details entered or changed (new certificate, change of details).
    Details,
    /// The organisation's papers: business licence, legal representative's and agent's IDs.
    Documents,
    /// The person checks every certificate record and accepts the applicant agreement.
    Confirmation,
    /// Fee from the price table, payment reference, invoice details.
    Payment,
    /// The application form printed for signature and stamp.
    Form,
    /// A supervisor approves (signs in on the same screen; never their own action).
    Approval,
    /// Before activation: still due, and nothing changed since the form was printed.
    Recheck,
    /// The key generated and the certificate issued on the token.
    Issuance,
    /// The token's user PIN reset with the SO PIN.
    PinReset,
    /// The certificate revoked (irreversible), with its seals.
    Revocation,
    /// The new mailing address for a token sent by post.
    Address,
    /// The completion notice (old and new serial and expiry for a renewal).
    Completion,
}

/// What a completed step records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    CertificatesChosen,
    IdentityChecked,
    EmailsVerified,
    ConsentGiven,
    PhotoTaken,
    DetailsEntered,
    DocumentsCollected,
    DataConfirmed,
    Paid,
    FormPrinted,
    Approved,
    Rechecked,
    Issued,
    PinReset,
    Revoked,
    AddressChanged,
    Completed,
}

impl Step {
    /// The fact this step records when it completes.
    pub fn records(self) -> Fact {
        match self {
            Step::Certificates => Fact::CertificatesChosen,
            Step::Identity => Fact::IdentityChecked,
            Step::Email => Fact::EmailsVerified,
            Step::Consent => Fact::ConsentGiven,
            Step::Photo => Fact::PhotoTaken,
            Step::Details => Fact::DetailsEntered,
            Step::Documents => Fact::DocumentsCollected,
            Step::Confirmation => Fact::DataConfirmed,
            Step::Payment => Fact::Paid,
            Step::Form => Fact::FormPrinted,
            Step::Approval => Fact::Approved,
            Step::Recheck => Fact::Rechecked,
            Step::Issuance => Fact::Issued,
            Step::PinReset => Fact::PinReset,
            Step::Revocation => Fact::Revoked,
            Step::Address => Fact::AddressChanged,
            Step::Completion => Fact::Completed,
        }
    }
}

/// Who may skip a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    Never,
    /// A supervisor, with a written reason (an email that cannot be verified offline, say).
    Supervisor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedStep {
    pub step: Step,
    pub skip: Skip,
}

const fn never(step: Step) -> PlannedStep {
    PlannedStep { step, skip: Skip::Never }
}

const fn supervisor_may_skip(step: Step) -> PlannedStep {
    PlannedStep { step, skip: Skip::Supervisor }
}

/// What a visit's plan depends on besides the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Circumstances {
    pub holder: HolderKind,
    pub class: CertificateClass,
    /// Revocation: the applicant gave the revocation phrase set at issuance.
    pub revocation_phrase_given: bool,
}

/// Why a service is not done at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotAtCounter {
    /// Cloud-sign certificates are activated online only (DOMAIN.md).
    #[error("cloud-sign certificates are handled online only, never at the counter")]
    CloudSign,
}

impl NotAtCounter {
    pub fn message_id(self) -> &'static str {
        match self {
            NotAtCounter::CloudSign => "visit-cloud-sign-online-only",
        }
    }
}

/// The steps of `service` for these circumstances, in order.
pub fn plan(service: Service, c: Circumstances) -> Result<Vec<PlannedStep>, NotAtCounter> {
    use Step::*;
    if !c.class.issued_at_counter() {
        return Err(NotAtCounter::CloudSign);
    }
    let organisation = matches!(c.holder, HolderKind::Organisation);
    let mut steps = match service {
        // Seed 000's counter route: certificates (due ones fixed), emails, consent, identity,
        // photo, confirmation, the re-check before activation, activation, completion.
        Service::Renewal => vec![
            never(Certificates),
            supervisor_may_skip(Email),
            never(Consent),
            never(Identity),
            never(Photo),
            never(Confirmation),
            never(Payment),
            never(Form),
            never(Recheck),
            never(Issuance),
            never(Completion),
        ],
        Service::NewIssuance | Service::Change => vec![
            never(Consent),
            never(Identity),
            never(Photo),
            never(Details),
            never(Documents),
            supervisor_may_skip(Email),
            never(Confirmation),
            never(Payment),
            never(Form),
            never(Recheck),
            never(Issuance),
            never(Completion),
        ],
        // A lost or broken token: new token, new key, the old certificate revoked; media fee.
        Service::Replacement => vec![
            never(Certificates),
            never(Consent),
            never(Identity),
            never(Confirmation),
            never(Payment),
            never(Form),
            never(Revocation),
            never(Issuance),
            never(Completion),
        ],
        // The PIN is reset with the SO PIN after the identity check; a supervisor approves.
        Service::PinUnlock => vec![
            never(Certificates),
            never(Identity),
            never(Approval),
            never(PinReset),
            never(Completion),
        ],
        Service::Revocation => vec![
            never(Certificates),
            never(Identity),
            never(Confirmation),
            never(Form),
            never(Revocation),
            never(Completion),
        ],
        Service::Redispatch => {
            vec![never(Certificates), never(Identity), never(Address), never(Completion)]
        }
    };
    // Only an organisation brings its papers; a person's identity document is the evidence.
    if !organisation {
        steps.retain(|s| s.step != Documents);
    }
    // Revocation without the phrase set at issuance needs a supervisor (DOMAIN.md).
    if service == Service::Revocation && !c.revocation_phrase_given {
        let at = steps.iter().position(|s| s.step == Revocation).unwrap_or(steps.len());
        steps.insert(at, never(Approval));
    }
    Ok(steps)
}

/// Where a visit stands: the first step whose fact is not recorded and that was not skipped.
/// `None` when every step is done.
pub fn current(
    plan: &[PlannedStep],
    done: &BTreeSet<Fact>,
    skipped: &BTreeSet<Step>,
) -> Option<Step> {
    plan.iter()
        .map(|s| s.step)
        .find(|step| !done.contains(&step.records()) && !skipped.contains(step))
}

/// Why a step cannot be skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SkipRefused {
    #[error("this step is never skipped")]
    Never,
    #[error("only a supervisor may skip this step")]
    SupervisorOnly,
    #[error("the step is not part of this visit")]
    NotInPlan,
}

/// Whether someone of `role` may skip `step` of `plan`.
pub fn may_skip(plan: &[PlannedStep], step: Step, role: StaffRole) -> Result<(), SkipRefused> {
    let planned = plan.iter().find(|s| s.step == step).ok_or(SkipRefused::NotInPlan)?;
    match (planned.skip, role) {
        (Skip::Never, _) => Err(SkipRefused::Never),
        (Skip::Supervisor, StaffRole::Supervisor) => Ok(()),
        (Skip::Supervisor, StaffRole::Clerk) => Err(SkipRefused::SupervisorOnly),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    fn person(class: CertificateClass) -> Circumstances {
        Circumstances { holder: HolderKind::Person, class, revocation_phrase_given: true }
    }

    fn steps(service: Service, c: Circumstances) -> Vec<Step> {
        plan(service, c).expect("a counter service").into_iter().map(|s| s.step).collect()
    }

    #[test]
    fn renewal_follows_seed_000s_counter_route() {
        let route = steps(Service::Renewal, person(CertificateClass::Qualified));
        let order = |a: Step, b: Step| {
            let at = |s| route.iter().position(|x| *x == s).expect("in the route");
            assert!(at(a) < at(b), "{a:?} before {b:?}: {route:?}");
        };
        assert_eq!(route.first(), Some(&Certificates), "the due certificates come first");
        order(Email, Consent);
        order(Consent, Identity);
        order(Identity, Photo);
        order(Photo, Confirmation);
        order(Confirmation, Recheck);
        order(Recheck, Issuance);
        assert_eq!(route.last(), Some(&Completion));
    }

    #[test]
    fn every_service_plan_is_ordered_without_repeats_and_ends_with_completion() {
        for service in Service::ALL {
            for holder in [HolderKind::Person, HolderKind::Organisation] {
                for phrase in [true, false] {
                    let c = Circumstances {
                        holder,
                        class: CertificateClass::Standard,
                        revocation_phrase_given: phrase,
                    };
                    let route = steps(service, c);
                    let unique: BTreeSet<Step> = route.iter().copied().collect();
                    assert_eq!(unique.len(), route.len(), "{service:?}: {route:?}");
                    assert_eq!(route.last(), Some(&Completion), "{service:?}");
                    // Nothing is issued or revoked before the person is identified.
                    let at = |s| route.iter().position(|x| *x == s);
                    for late in [Issuance, Revocation, PinReset] {
                        if let (Some(l), Some(id)) = (at(late), at(Identity)) {
                            assert!(id < l, "{service:?}: identity before {late:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn cloud_sign_is_refused_at_the_counter_for_every_service() {
        for service in Service::ALL {
            assert_eq!(
                plan(service, person(CertificateClass::CloudSign)),
                Err(NotAtCounter::CloudSign)
            );
        }
    }

    #[test]
    fn only_organisations_bring_papers_and_revocation_without_the_phrase_needs_a_supervisor() {
        let org = Circumstances {
            holder: HolderKind::Organisation,
            ..person(CertificateClass::Standard)
        };
        assert!(steps(Service::NewIssuance, org).contains(&Documents));
        assert!(
            !steps(Service::NewIssuance, person(CertificateClass::Standard)).contains(&Documents)
        );
        let with_phrase = steps(Service::Revocation, person(CertificateClass::Standard));
        assert!(!with_phrase.contains(&Approval));
        let without =
            Circumstances { revocation_phrase_given: false, ..person(CertificateClass::Standard) };
        let route = steps(Service::Revocation, without);
        let at = |s| route.iter().position(|x| *x == s);
        assert!(at(Approval) < at(Revocation) && at(Approval).is_some(), "{route:?}");
        assert!(steps(Service::PinUnlock, person(CertificateClass::Standard)).contains(&Approval));
    }

    #[test]
    fn a_visit_stands_at_its_first_step_not_done_and_resumes_there() {
        let route = plan(Service::Renewal, person(CertificateClass::Qualified)).expect("plan");
        let mut done = BTreeSet::new();
        let mut skipped = BTreeSet::new();
        assert_eq!(current(&route, &done, &skipped), Some(Certificates));
        done.insert(Fact::CertificatesChosen);
        assert_eq!(current(&route, &done, &skipped), Some(Email));
        // A supervisor lets the visit go on with the email unverified (offline).
        assert_eq!(may_skip(&route, Email, StaffRole::Clerk), Err(SkipRefused::SupervisorOnly));
        assert_eq!(may_skip(&route, Email, StaffRole::Supervisor), Ok(()));
        skipped.insert(Email);
        assert_eq!(current(&route, &done, &skipped), Some(Consent));
        assert_eq!(may_skip(&route, Consent, StaffRole::Supervisor), Err(SkipRefused::Never));
        assert_eq!(may_skip(&route, PinReset, StaffRole::Supervisor), Err(SkipRefused::NotInPlan));
        for s in &route {
            done.insert(s.step.records());
        }
        assert_eq!(current(&route, &done, &skipped), None);
    }

    #[test]
    fn each_step_records_its_own_fact() {
        let all = [
            Certificates,
            Identity,
            Email,
            Consent,
            Photo,
            Details,
            Documents,
            Confirmation,
            Payment,
            Form,
            Approval,
            Recheck,
            Issuance,
            PinReset,
            Revocation,
            Address,
            Completion,
        ];
        let facts: BTreeSet<Fact> = all.iter().map(|s| s.records()).collect();
        assert_eq!(facts.len(), all.len());
    }
}
