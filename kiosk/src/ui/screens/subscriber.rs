//! The subscriber file: a person or an organisation with everything the counter knows of them —
//! identity and documents, organisations and roles, certificates with days to expiry, tokens,
//! seals, applications, and the audit timeline (who did what, when, on which kiosk).

use i18n::Language;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::audit::AuditAction;
use registry::model::*;
use time::UtcOffset;

use crate::counter::both_names;
use crate::subscriber_file::{Party, Subject, SubscriberFile};
use crate::ui::keys::Command;
use crate::ui::msg::Msg;
use crate::ui::screens::queue::{class_id, service_id};
use crate::ui::widgets::{mask_tail, pad, safe};

/// Lines a PgUp or PgDn moves.
const PAGE: u16 = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct FileState {
    pub kind: RecordKind,
    pub id: RecordId,
    pub file: Option<Box<SubscriberFile>>,
    pub error: Option<Msg>,
    pub scroll: u16,
}

impl FileState {
    pub fn loading(kind: RecordKind, id: RecordId) -> FileState {
        FileState { kind, id, file: None, error: None, scroll: 0 }
    }

    pub fn loaded(&mut self, result: Result<Option<Box<SubscriberFile>>, Msg>) {
        match result {
            Ok(Some(file)) => self.file = Some(file),
            Ok(None) => self.error = Some(Msg::new("file-not-found")),
            Err(msg) => self.error = Some(msg),
        }
    }

    pub fn command(&mut self, command: Command) {
        self.scroll = match command {
            Command::Up => self.scroll.saturating_sub(1),
            Command::Down => self.scroll.saturating_add(1),
            Command::PageUp => self.scroll.saturating_sub(PAGE),
            Command::PageDown => self.scroll.saturating_add(PAGE),
            _ => self.scroll,
        };
    }
}

/// A party by name, or by id when this store has no names for it.
pub(crate) fn party_name(party: &Party) -> String {
    both_names(party.name_zh.as_deref(), party.name_latin.as_deref(), " ")
        .map_or_else(|| party.id.to_string(), |names| safe(&names).into_owned())
}

pub fn id_kind_id(kind: IdDocumentKind) -> &'static str {
    match kind {
        IdDocumentKind::MacauResident => "file-doc-macau-resident",
        IdDocumentKind::MainlandResident => "file-doc-mainland-resident",
        IdDocumentKind::HongKongResident => "file-doc-hong-kong-resident",
        IdDocumentKind::Passport => "file-doc-passport",
        IdDocumentKind::ResidencePermit => "file-doc-residence-permit",
    }
}

pub fn member_role_id(role: MemberRole) -> &'static str {
    match role {
        MemberRole::Administrator => "file-role-administrator",
        MemberRole::LegalRepresentative => "file-role-legal-representative",
        MemberRole::Employee => "file-role-employee",
    }
}

pub fn certificate_status_id(status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Pending => "file-cert-pending",
        CertificateStatus::Valid => "file-cert-valid",
        CertificateStatus::Suspended => "file-cert-suspended",
        CertificateStatus::Revoked => "file-cert-revoked",
        CertificateStatus::Expired => "file-cert-expired",
    }
}

pub fn token_status_id(status: TokenStatus) -> &'static str {
    match status {
        TokenStatus::Blank => "token-status-blank",
        TokenStatus::Issued => "token-status-issued",
        TokenStatus::Lost => "token-status-lost",
        TokenStatus::Damaged => "token-status-damaged",
        TokenStatus::Retired => "token-status-retired",
    }
}

/// What an audit event says happened, as the timeline names it.
pub fn audit_action_id(action: &AuditAction) -> &'static str {
    match action {
        AuditAction::RecordCreated => "audit-record-created",
        AuditAction::RecordUpdated { .. } => "audit-record-updated",
        AuditAction::ApplicationTransition { .. } => "audit-application-transition",
        AuditAction::ClerkSignedIn { .. } => "audit-clerk-signed-in",
        AuditAction::ClerkSignInFailed { .. } => "audit-clerk-sign-in-failed",
        AuditAction::ClerkLocked { .. } => "audit-clerk-locked",
        AuditAction::ClerkAdded => "audit-clerk-added",
        AuditAction::ClerkDisabled => "audit-clerk-disabled",
        AuditAction::ClerkTotpReset => "audit-clerk-totp-reset",
        AuditAction::DemoProvisioned => "audit-demo-provisioned",
        AuditAction::StoreExported => "audit-store-exported",
        AuditAction::CaInitialised => "audit-ca-initialised",
        AuditAction::CaImported => "audit-ca-imported",
        AuditAction::CrlIssued { .. } => "audit-crl-issued",
        AuditAction::CertificateIssued { .. } => "audit-certificate-issued",
        AuditAction::CertificateRenewed { .. } => "audit-certificate-renewed",
        AuditAction::CertificateChanged => "audit-certificate-changed",
        AuditAction::CertificateReplaced => "audit-certificate-replaced",
        AuditAction::CertificateRevoked { .. } => "audit-certificate-revoked",
        AuditAction::TokenPinChanged => "audit-token-pin-changed",
        AuditAction::TokenPinFailed { .. } => "audit-token-pin-failed",
        AuditAction::TokenLocked => "audit-token-locked",
        AuditAction::TokenUnlocked => "audit-token-unlocked",
        AuditAction::TokenReported { .. } => "audit-token-reported",
        AuditAction::PrintJobCancelled { .. } => "audit-print-job-cancelled",
        AuditAction::AppointmentCheckedIn => "audit-appointment-checked-in",
        AuditAction::WalkInTicketIssued => "audit-walk-in-ticket-issued",
        AuditAction::VisitStep { .. } => "audit-visit-step",
        AuditAction::AuthorisationGranted { .. } => "audit-authorisation-granted",
        AuditAction::AuthorisationChanged { .. } => "audit-authorisation-changed",
        AuditAction::AuthorisationWithdrawn => "audit-authorisation-withdrawn",
        AuditAction::AuthorisationRestored => "audit-authorisation-restored",
        AuditAction::AuthorisationEnded => "audit-authorisation-ended",
        AuditAction::AdministratorTransferred { .. } => "audit-administrator-transferred",
        AuditAction::MembersActionRefused { .. } => "audit-members-action-refused",
    }
}

/// The actions the visit wizards will start from a file: listed, greyed until they exist.
const WIZARD_ACTIONS: [Service; 6] = [
    Service::Renewal,
    Service::NewIssuance,
    Service::Change,
    Service::Replacement,
    Service::PinUnlock,
    Service::Revocation,
];

pub fn view(
    state: &FileState,
    lang: Language,
    offset: UtcOffset,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let t = |id: &str| i18n::text(lang, id);
    let block = Block::new().borders(Borders::ALL).title(format!(" {} ", t("file-title")));
    if let Some(error) = &state.error {
        frame
            .render_widget(Paragraph::new(safe(&error.text(lang)).into_owned()).block(block), area);
        return;
    }
    let Some(file) = &state.file else {
        frame.render_widget(Paragraph::new(t("file-loading")).block(block), area);
        return;
    };
    let lines = lines(file, lang, offset);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((state.scroll, 0)),
        area,
    );
}

fn heading(text: String) -> Line<'static> {
    Line::styled(text, Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED))
}

fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

fn date_time(at: time::OffsetDateTime, offset: UtcOffset) -> String {
    crate::counter::format_slot(at, offset)
}

/// Every line of the file, top to bottom.
pub fn lines(file: &SubscriberFile, lang: Language, offset: UtcOffset) -> Vec<Line<'static>> {
    let t = |id: &str| i18n::text(lang, id);
    let tw = |id: &str, args: Vec<(&'static str, String)>| {
        let args: Vec<(&str, i18n::FluentValue<'_>)> =
            args.iter().map(|(k, v)| (*k, i18n::FluentValue::from(v.as_str()))).collect();
        i18n::text_with(lang, id, &args)
    };
    let mut out: Vec<Line<'static>> = Vec::new();
    let kv = |k: String, v: String| {
        Line::from(vec![Span::styled(format!("  {k}: "), dim()), Span::raw(v)])
    };
    match &file.subject {
        Subject::Person(p) => {
            let name =
                both_names(p.name_zh.as_deref(), p.name_latin.as_deref(), "  ").unwrap_or_default();
            out.push(Line::styled(
                safe(&name).into_owned(),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            out.push(heading(t("file-identity")));
            out.push(kv(
                t(id_kind_id(p.id_document.kind)),
                safe(&mask_tail(p.id_document.number.expose(), 4)).into_owned(),
            ));
            if let Some(expiry) = p.id_document.expiry {
                out.push(kv(t("file-doc-expiry"), expiry.to_string()));
            }
            if let Some(n) = &p.nationality {
                out.push(kv(t("file-nationality"), safe(n).into_owned()));
            }
            if let Some(b) = p.birth_date {
                out.push(kv(t("file-birth-date"), b.to_string()));
            }
            if let Some(phone) = &p.phone {
                out.push(kv(t("file-phone"), safe(&mask_tail(phone.expose(), 4)).into_owned()));
            }
            if let Some(email) = &p.email {
                out.push(kv(t("file-email"), safe(email).into_owned()));
            }
        }
        Subject::Organisation(o) => {
            let name =
                both_names(o.name_zh.as_deref(), o.name_latin.as_deref(), "  ").unwrap_or_default();
            out.push(Line::styled(
                safe(&name).into_owned(),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            out.push(heading(t("file-identity")));
            out.push(kv(
                t("file-registration"),
                safe(&mask_tail(&o.registration.number, 4)).into_owned(),
            ));
            if let Some(until) = o.licence_valid_until {
                out.push(kv(t("file-licence-until"), until.to_string()));
            }
            if let Some(a) = &o.address {
                out.push(kv(t("file-address"), safe(a).into_owned()));
            }
            if let Some(phone) = &o.phone {
                out.push(kv(t("file-phone"), safe(&mask_tail(phone.expose(), 4)).into_owned()));
            }
            if let Some(rep) = &file.legal_representative {
                out.push(kv(t("file-role-legal-representative"), party_name(rep)));
            }
        }
    }

    out.push(heading(t("file-organisations")));
    let before = out.len();
    for m in &file.memberships {
        let mut text = format!("  {} — {}", party_name(&m.party), t(member_role_id(m.role)));
        if let Some(ended) = m.ended {
            text.push_str(&format!(" ({})", tw("file-ended", vec![("date", ended.to_string())])));
        }
        out.push(Line::from(text));
    }
    // A legal representative is often a member in that role too: said once.
    let listed: Vec<RecordId> = file
        .memberships
        .iter()
        .filter(|m| m.role == MemberRole::LegalRepresentative && m.ended.is_none())
        .map(|m| m.party.id)
        .collect();
    for org in file.legal_representative_of.iter().filter(|o| !listed.contains(&o.id)) {
        out.push(Line::from(format!(
            "  {} — {}",
            party_name(org),
            t("file-role-legal-representative")
        )));
    }
    for a in &file.authorisations {
        let state = if a.in_force { t("file-in-force") } else { t("file-not-in-force") };
        out.push(Line::from(format!(
            "  {} → {} ({} – {}, {state})",
            party_name(&a.organisation),
            party_name(&a.grantee),
            a.valid_from,
            a.valid_until
        )));
    }
    if out.len() == before {
        out.push(Line::styled(format!("  {}", t("file-none")), dim()));
    }

    out.push(heading(t("file-certificates")));
    if file.certificates.is_empty() {
        out.push(Line::styled(format!("  {}", t("file-none")), dim()));
    }
    for c in &file.certificates {
        let days = match c.days_to_expiry {
            Some(d) if d >= 0 => i18n::text_with(lang, "file-days-left", &[("count", d.into())]),
            Some(d) => i18n::text_with(lang, "file-days-ago", &[("count", (-d).into())]),
            None => String::new(),
        };
        let style = if c.renewal_due { Style::new().fg(Color::Yellow) } else { Style::new() };
        out.push(Line::styled(
            format!(
                "  {} {} {} {days}",
                pad(&t(class_id(c.class)), 12),
                pad(&safe(c.serial.as_deref().unwrap_or("—")), 20),
                pad(&t(certificate_status_id(c.status)), 10),
            ),
            style,
        ));
    }

    out.push(heading(t("file-tokens")));
    if file.tokens.is_empty() {
        out.push(Line::styled(format!("  {}", t("file-none")), dim()));
    }
    for tok in &file.tokens {
        out.push(Line::from(format!(
            "  {} {} — {}",
            safe(&tok.serial),
            safe(tok.model.as_deref().unwrap_or("")),
            t(token_status_id(tok.status))
        )));
    }

    if matches!(file.subject, Subject::Organisation(_)) {
        out.push(heading(t("file-seals")));
        if file.seals.is_empty() {
            out.push(Line::styled(format!("  {}", t("file-none")), dim()));
        }
        for seal in &file.seals {
            out.push(Line::from(format!("  {}", safe(&seal.name))));
        }
    }

    out.push(heading(t("file-applications")));
    if file.applications.is_empty() {
        out.push(Line::styled(format!("  {}", t("file-none")), dim()));
    }
    for a in &file.applications {
        out.push(Line::from(format!(
            "  {} {} — {} ({})",
            pad(&safe(&a.reference), 14),
            t(&service_id(a.service)),
            t(&format!("application-state-{}", a.state.as_str())),
            date_time(a.updated, offset)
        )));
    }

    out.push(heading(t("file-actions")));
    let actions: Vec<String> = WIZARD_ACTIONS.iter().map(|s| t(&service_id(*s))).collect();
    out.push(Line::styled(
        format!("  {} ({})", actions.join(" · "), t("help-coming")),
        dim().add_modifier(Modifier::CROSSED_OUT),
    ));

    out.push(heading(t("file-timeline")));
    if file.timeline.is_empty() {
        out.push(Line::styled(format!("  {}", t("file-none")), dim()));
    }
    for e in &file.timeline {
        let who =
            e.clerk.as_ref().map(|c| c.username.clone()).unwrap_or_else(|| t("file-operator"));
        let what = match e.subject_kind {
            Some(kind) => format!(
                "{} ({})",
                t(audit_action_id(&e.action)),
                t(&format!("record-kind-{}", kind.as_str()))
            ),
            None => t(audit_action_id(&e.action)),
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {} ", date_time(e.at, offset)), dim()),
            Span::raw(format!("{} {} {what}", pad(&safe(&e.kiosk), 8), pad(&safe(&who), 12))),
        ]));
    }
    if file.timeline_more {
        out.push(Line::styled(format!("  {}", t("file-timeline-more")), dim()));
    }
    out
}
