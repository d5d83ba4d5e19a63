//! The email outbox and the 6-digit email verification codes (seed 000's renewal route), and
//! `kiosk mail queue|send`.
//!
//! A code mail is committed to the store's outbox together with the code's salted hash before
//! anything talks to the relay: an office that is offline, a relay that refuses, a crash, all
//! leave the mail waiting, tried again with a backoff by the counter app's poller
//! ([`send_due`]) or `kiosk mail send`. Once sent (or given up: its code expired or was
//! replaced) its body, which holds the code, is erased. The logs name mails by id and failures
//! by category: never an address, a code, or the relay's text (which can quote the address).
//! Callers are blocking jobs: sending talks to the relay with a few seconds' timeout.

use std::process::ExitCode;
use std::time::Duration as StdDuration;

use i18n::{FluentValue, Language};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{Message, SmtpTransport, Transport};
use printers::document::Layout;
use rand::Rng;
use registry::application::Application;
use registry::model::RecordId;
use sha2::{Digest, Sha256};
use store::{EmailCode, FirstTry, MailId, MailState, NewMail, OutboxMail, Store, StoreError};
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use crate::cli::MailCommand;
use crate::config::Config;
use crate::output::{self, errln, outln};
use crate::{Context, KioskError};

/// How long a code can be used.
pub const CODE_VALIDITY: Duration = Duration::minutes(10);
/// Wrong codes after which a code is spent.
pub const CODE_TRIES: u32 = 5;
/// How long a connection to the relay, and each of its replies, may take: an office that is
/// offline must not hold a counter's job for long.
const RELAY_TIMEOUT: StdDuration = StdDuration::from_secs(5);
/// The wait after a first failed try, doubled after each further one up to [`LONGEST_RETRY`].
const FIRST_RETRY: Duration = Duration::minutes(1);
const LONGEST_RETRY: Duration = Duration::minutes(30);

/// How long after its `attempts`-th try a mail is tried again: 1, 2, 4, 8, 16, then every 30
/// minutes. Also how long a try holds its claim, far longer than a try can take.
pub fn retry_after(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(5);
    (FIRST_RETRY * 2i32.pow(doublings)).min(LONGEST_RETRY)
}

/// Why a mail waits in the outbox instead of having been sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueuedReason {
    /// No connection to the relay (offline, down, a TLS failure, a timeout).
    Unreachable,
    /// The relay answered, and said no (for now, or for good: the mail is tried again until its
    /// code expires).
    Refused,
    /// `mail_relay` is not set.
    NotConfigured,
}

impl QueuedReason {
    /// What the outbox keeps as the mail's `last_error`, and the logs say.
    pub fn category(self) -> &'static str {
        match self {
            QueuedReason::Unreachable => "unreachable",
            QueuedReason::Refused => "refused",
            QueuedReason::NotConfigured => "not_configured",
        }
    }

    pub fn message_id(self) -> &'static str {
        match self {
            QueuedReason::Unreachable => "mail-reason-unreachable",
            QueuedReason::Refused => "mail-reason-refused",
            QueuedReason::NotConfigured => "mail-reason-not-configured",
        }
    }
}

/// The message id of an outbox `last_error` category (the reasons above, and why a mail was
/// given up).
fn category_message_id(category: &str) -> Option<&'static str> {
    Some(match category {
        "unreachable" => "mail-reason-unreachable",
        "refused" => "mail-reason-refused",
        "not_configured" => "mail-reason-not-configured",
        "expired" => "mail-reason-expired",
        "replaced" => "mail-reason-replaced",
        "bad_address" => "mail-reason-bad-address",
        _ => return None,
    })
}

/// What became of a new code's mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSent {
    /// The relay accepted it.
    Sent,
    /// It waits in the outbox, and is sent when the relay takes it (within the code's 10
    /// minutes; after, it is given up).
    Queued { reason: QueuedReason },
}

impl CodeSent {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "mail-code-sent",
        "mail-code-queued-unreachable",
        "mail-code-queued-refused",
        "mail-code-queued-not-configured",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            CodeSent::Sent => "mail-code-sent",
            CodeSent::Queued { reason: QueuedReason::Unreachable } => {
                "mail-code-queued-unreachable"
            }
            CodeSent::Queued { reason: QueuedReason::Refused } => "mail-code-queued-refused",
            CodeSent::Queued { reason: QueuedReason::NotConfigured } => {
                "mail-code-queued-not-configured"
            }
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// Why a code was not accepted. Kept typed so the UI localises it when it draws.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeRefused {
    /// Not the code; `tries_left` more wrong codes are allowed (0: the code is spent).
    #[error("wrong code ({tries_left} tries left)")]
    Wrong { tries_left: u32 },
    #[error("the code has expired")]
    Expired,
    /// No code was made for this application and address.
    #[error("no code was sent to this address for this application")]
    NoneSent,
    /// The code was used already, or too many wrong codes were given.
    #[error("the code can no longer be used")]
    UsedUp,
    #[error("the store failed: {detail}")]
    Store { detail: String },
}

impl CodeRefused {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "mail-code-wrong",
        "mail-code-expired",
        "mail-code-none-sent",
        "mail-code-used-up",
        "mail-code-store-failed",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            CodeRefused::Wrong { .. } => "mail-code-wrong",
            CodeRefused::Expired => "mail-code-expired",
            CodeRefused::NoneSent => "mail-code-none-sent",
            CodeRefused::UsedUp => "mail-code-used-up",
            CodeRefused::Store { .. } => "mail-code-store-failed",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            CodeRefused::Wrong { tries_left } => vec![("tries_left", tries_left.to_string())],
            CodeRefused::Store { detail } => vec![("detail", detail.clone())],
            _ => Vec::new(),
        }
    }
}

impl From<StoreError> for CodeRefused {
    fn from(err: StoreError) -> Self {
        CodeRefused::Store { detail: err.to_string() }
    }
}

/// Why no code could be made.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("there is no application {0}")]
    NoApplication(RecordId),
    /// Not an address a mail can go to. The address itself is not in the error: it would
    /// reach the logs.
    #[error("not an email address a code can be sent to")]
    BadAddress,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MailError {
    pub const ALL_MESSAGE_IDS: &[&str] =
        &["mail-error-no-application", "mail-error-bad-address", "mail-error-store"];

    pub fn message_id(&self) -> &'static str {
        match self {
            MailError::NoApplication(_) => "mail-error-no-application",
            MailError::BadAddress => "mail-error-bad-address",
            MailError::Store(_) => "mail-error-store",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            MailError::Store(e) => vec![("detail", e.to_string())],
            _ => Vec::new(),
        }
    }

    /// For logs: never the values involved.
    pub fn category(&self) -> &'static str {
        match self {
            MailError::NoApplication(_) => "no application",
            MailError::BadAddress => "bad address",
            MailError::Store(e) => e.category(),
        }
    }
}

/// What one round of sending did.
#[derive(Debug, Default)]
pub struct SendReport {
    /// Mails the relay accepted.
    pub sent: Vec<MailId>,
    /// Mails that will never be sent: their code expired, or a newer one replaced it.
    pub given_up: Vec<MailId>,
    /// Mails that were due and still wait, and why the last of them did.
    pub waiting: usize,
    pub reason: Option<QueuedReason>,
    /// The store failed: the round stopped there.
    pub failure: Option<StoreError>,
}

impl SendReport {
    /// Whether the round had nothing to do (the poller's usual answer).
    pub fn is_empty(&self) -> bool {
        self.sent.is_empty()
            && self.given_up.is_empty()
            && self.waiting == 0
            && self.failure.is_none()
    }
}

/// The key a code is kept under: the address without surrounding spaces, in lower case (what
/// the person typed and what the certificate says may differ in case). `None` when no mail
/// could go to it.
fn address_key(address: &str) -> Option<String> {
    let address = address.trim();
    let usable = registry::model::plausible_email(address)
        && address.parse::<lettre::Address>().is_ok()
        && !address.chars().any(char::is_control);
    usable.then(|| address.to_lowercase())
}

/// The stored form of a code: SHA-256 over a random salt, the application, the address and the
/// code. A code lives 10 minutes and the store is its owner's alone, so a fast hash is enough;
/// the salt keeps two equal codes from looking equal.
fn code_hash(salt: &[u8], application: RecordId, address_key: &str, code: &str) -> Vec<u8> {
    let mut hash = Sha256::new();
    hash.update(b"kiosk email code 1\0");
    hash.update(salt);
    hash.update(application.to_string().as_bytes());
    hash.update(b"\0");
    hash.update(address_key.as_bytes());
    hash.update(b"\0");
    hash.update(code.as_bytes());
    hash.finalize().to_vec()
}

/// Six random digits, from the operating system's generator (as the clerks' secrets are).
fn new_code() -> Zeroizing<String> {
    let n: u32 = rand::rng().random_range(0..1_000_000);
    Zeroizing::new(format!("{n:06}"))
}

/// The subject and body of a code's mail in the office's languages (Macau: Chinese and
/// Portuguese, as its printed documents).
fn code_mail(
    config: &Config,
    lang: Language,
    reference: &str,
    code: &str,
    expires_at: OffsetDateTime,
) -> (String, Zeroizing<String>) {
    let offset = config.office_offset().unwrap_or(time::UtcOffset::UTC);
    let format = time::macros::format_description!("[hour]:[minute]");
    let until = expires_at.to_offset(offset).format(format).unwrap_or_default();
    let languages = Layout::for_language(lang).languages();
    let subject: Vec<String> = languages
        .iter()
        .map(|&l| i18n::text_with(l, "mail-code-subject", &[("reference", reference.into())]))
        .collect();
    let body: Vec<String> = languages
        .iter()
        .map(|&l| {
            let args: [(&str, FluentValue<'_>); 5] = [
                ("code", code.into()),
                ("minutes", CODE_VALIDITY.whole_minutes().into()),
                ("until", until.as_str().into()),
                ("reference", reference.into()),
                ("office", config.office.as_str().into()),
            ];
            ["mail-code-body-code", "mail-code-body-validity", "mail-code-body-ignore"]
                .map(|id| i18n::text_with(l, id, &args))
                .join("\n\n")
        })
        .collect();
    (subject.join(" / "), Zeroizing::new(body.join("\n\n――――――――\n\n")))
}

/// The office's relay, ready to send.
struct Relay {
    transport: SmtpTransport,
    from: Mailbox,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the relay's credentials.
        f.debug_struct("Relay").finish_non_exhaustive()
    }
}

impl Relay {
    fn from_config(config: &Config) -> Result<Relay, QueuedReason> {
        let (Some(url), Some(from)) = (&config.mail_relay, &config.mail_from) else {
            return Err(QueuedReason::NotConfigured);
        };
        // `Config::load` checked both; a configuration built in code may not have been.
        let from: Mailbox = from.parse().map_err(|_| QueuedReason::NotConfigured)?;
        let builder = SmtpTransport::from_url(url).map_err(|e| {
            // Setting up TLS (the system's trusted roots) is what can fail here.
            tracing::warn!(tls = e.is_tls(), "the mail relay could not be set up");
            QueuedReason::Unreachable
        })?;
        Ok(Relay { transport: builder.timeout(Some(RELAY_TIMEOUT)).build(), from })
    }

    fn send(
        &self,
        id: MailId,
        recipient: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), QueuedReason> {
        let to: Mailbox = recipient.parse().map_err(|_| QueuedReason::Refused)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            // A Message-ID from this host, so a relay or reader can tell a resent mail.
            .message_id(None)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|_| QueuedReason::Refused)?;
        match self.transport.send(&message) {
            Ok(_) => {
                tracing::info!(mail = %id, "mail sent");
                Ok(())
            }
            Err(e) => {
                // The relay's answer counts as a refusal; anything before one, unreachable.
                let reason = if e.is_permanent() || e.is_transient() {
                    QueuedReason::Refused
                } else {
                    QueuedReason::Unreachable
                };
                // The status code only: the relay's text can quote the address.
                let status = e.status().map(|code| code.to_string());
                tracing::warn!(mail = %id, category = reason.category(), status = ?status, timeout = e.is_timeout(), "mail not sent");
                Err(reason)
            }
        }
    }
}

/// Makes a new 6-digit code for `address` on `application`, keeps its hash (replacing any
/// earlier code for the pair), commits the mail that carries it to the outbox, then tries once
/// to send it. Talks to the relay: call it from a blocking job.
pub fn send_code(
    store: &mut Store,
    config: &Config,
    lang: Language,
    application: RecordId,
    address: &str,
    now: OffsetDateTime,
) -> Result<CodeSent, MailError> {
    let key = address_key(address).ok_or(MailError::BadAddress)?;
    let record: Application =
        store.get(application)?.ok_or(MailError::NoApplication(application))?;
    let code = new_code();
    let mut salt = vec![0u8; 16];
    rand::rng().fill(&mut salt[..]);
    let expires_at = now + CODE_VALIDITY;
    let hash = code_hash(&salt, application, &key, &code);
    let stored = EmailCode {
        salt,
        hash,
        created_at: now,
        expires_at,
        tries_left: CODE_TRIES,
        used_at: None,
        mail: None,
    };
    let (subject, body) = code_mail(config, lang, &record.reference, &code, expires_at);
    let mail = NewMail {
        recipient: address.trim().to_owned(),
        subject,
        body: body.to_string(),
        secret: true,
        expires_at: Some(expires_at),
    };
    let relay = Relay::from_config(config);
    let first_try = match &relay {
        Ok(_) => FirstTry::Claimed { until: now + retry_after(1) },
        Err(reason) => FirstTry::NotTried { reason: reason.category() },
    };
    let id = store.put_email_code(application, &key, &stored, &mail, first_try, now)?;
    tracing::info!(mail = %id, application = %application, "email code made");
    let relay = match relay {
        Ok(relay) => relay,
        Err(reason) => return Ok(CodeSent::Queued { reason }),
    };
    match relay.send(id, &mail.recipient, &mail.subject, &body) {
        Ok(()) => {
            // The person has the code now. Should the store fail to say so, the mail is sent
            // again later: a second mail with the same code, never a lost one.
            if let Err(e) = store.outbox_sent(id, now) {
                tracing::warn!(mail = %id, category = e.category(), "a sent mail is not marked");
            }
            Ok(CodeSent::Sent)
        }
        Err(reason) => {
            if let Err(e) = store.outbox_failed(id, reason.category()) {
                tracing::warn!(mail = %id, category = e.category(), "a failed try is not noted");
            }
            Ok(CodeSent::Queued { reason })
        }
    }
}

/// Checks the code the person gives for `address` on `application`. A right code is good once;
/// each wrong one spends a try, and the 5th ends the code. Full-width digits and spaces are
/// taken as typed on a CJK keyboard.
pub fn check_code(
    store: &mut Store,
    application: RecordId,
    address: &str,
    code: &str,
    now: OffsetDateTime,
) -> Result<(), CodeRefused> {
    let Some(key) = address_key(address) else {
        return Err(CodeRefused::NoneSent);
    };
    let typed: Zeroizing<String> = Zeroizing::new(
        registry::text::fold_width(code).chars().filter(|c| !c.is_whitespace()).collect(),
    );
    let answer = store.check_email_code(application, &key, |stored| {
        let Some(stored) = stored else {
            return Err(CodeRefused::NoneSent);
        };
        if stored.used_at.is_some() || stored.tries_left == 0 {
            return Err(CodeRefused::UsedUp);
        }
        if now >= stored.expires_at {
            return Err(CodeRefused::Expired);
        }
        // Both sides are salted hashes: comparing them leaks nothing about the code.
        if code_hash(&stored.salt, application, &key, &typed) == stored.hash {
            stored.used_at = Some(now);
            Ok(())
        } else {
            stored.tries_left -= 1;
            Err(CodeRefused::Wrong { tries_left: stored.tries_left })
        }
    })?;
    let outcome = match &answer {
        Ok(()) => "good",
        Err(refused) => refused.message_id(),
    };
    tracing::info!(application = %application, outcome, "email code checked");
    answer
}

/// Sends every mail whose next try is due, oldest first, and gives up those whose code expired.
/// Cheap when nothing is due (one read of the waiting mails): the counter app calls it every
/// few seconds. Once the relay cannot be reached, the rest wait for the next round instead of
/// each waiting out the timeout.
pub fn send_due(store: &mut Store, config: &Config, now: OffsetDateTime) -> SendReport {
    send_round(store, config, now, false)
}

/// [`send_due`] for every waiting mail, whatever its backoff (the relay is back).
pub fn send_all_now(store: &mut Store, config: &Config, now: OffsetDateTime) -> SendReport {
    send_round(store, config, now, true)
}

fn send_round(
    store: &mut Store,
    config: &Config,
    now: OffsetDateTime,
    ignore_backoff: bool,
) -> SendReport {
    let mut report = SendReport::default();
    let due = match store.outbox_due(now, ignore_backoff) {
        Ok(due) => due,
        Err(e) => {
            report.failure = Some(e);
            return report;
        }
    };
    if due.is_empty() {
        return report;
    }
    let mut relay = None;
    for mail in due {
        if let Err(e) = send_one(store, config, now, &mail, &mut relay, &mut report) {
            tracing::warn!(mail = %mail.id, category = e.category(), "the outbox could not be updated");
            report.failure = Some(e);
            break;
        }
    }
    report
}

/// One due mail: given up, left waiting, or claimed and sent. `relay` is set up on first need.
fn send_one(
    store: &mut Store,
    config: &Config,
    now: OffsetDateTime,
    mail: &OutboxMail,
    relay: &mut Option<Result<Relay, QueuedReason>>,
    report: &mut SendReport,
) -> Result<(), StoreError> {
    if mail.expires_at.is_some_and(|at| at <= now) {
        store.outbox_give_up(mail.id, now, "expired")?;
        tracing::info!(mail = %mail.id, "an expired mail was given up");
        report.given_up.push(mail.id);
        return Ok(());
    }
    if report.reason == Some(QueuedReason::Unreachable) {
        report.waiting += 1;
        return Ok(());
    }
    let relay = match relay.get_or_insert_with(|| Relay::from_config(config)) {
        Ok(relay) => relay,
        Err(reason) => {
            // Written only when it changes: the poller passes every few seconds.
            if mail.last_error.as_deref() != Some(reason.category()) {
                store.outbox_failed(mail.id, reason.category())?;
            }
            report.waiting += 1;
            report.reason = Some(*reason);
            return Ok(());
        }
    };
    let until = now + retry_after(mail.attempts + 1);
    if !store.outbox_claim(mail.id, mail.attempts, until)? {
        // Another process took it since it was read.
        return Ok(());
    }
    let body = Zeroizing::new(mail.body.clone().unwrap_or_default());
    match relay.send(mail.id, &mail.recipient, &mail.subject, &body) {
        Ok(()) => {
            store.outbox_sent(mail.id, now)?;
            report.sent.push(mail.id);
        }
        Err(reason) => {
            store.outbox_failed(mail.id, reason.category())?;
            report.waiting += 1;
            report.reason = Some(reason);
        }
    }
    Ok(())
}

/// Whether `mail_relay` is an address the relay can be reached at: `smtp://` or `smtps://`
/// with a host, and `tls=required` or `tls=opportunistic` if any.
pub fn relay_usable(relay: &str) -> bool {
    let Ok(url) = url::Url::parse(relay.trim()) else {
        return false;
    };
    let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
    let scheme_ok = matches!(
        (url.scheme(), tls.as_deref()),
        ("smtp", None | Some("required" | "opportunistic")) | ("smtps", None)
    );
    let host_ok = url.host_str().is_some_and(|h| !h.is_empty());
    scheme_ok && host_ok
}

/// `mail_relay` as an operator may see it: without a user name or password.
pub fn relay_as_typed(relay: &str) -> String {
    let Some((scheme, rest)) = relay.split_once("://") else {
        return relay.to_owned();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}{tail}")
}

/// Whether `mail_from` is a sender address (`counter@example.mo`, `Name <counter@…>`).
pub fn sender_usable(from: &str) -> bool {
    from.parse::<Mailbox>().is_ok()
}

/// An address as the clerk's lists show it: the first character and the domain
/// (`c***@example.mo`); the rest is personal data.
pub fn mask_address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// `kiosk mail queue|send`.
pub fn run(ctx: &Context, command: MailCommand) -> Result<ExitCode, KioskError> {
    match command {
        MailCommand::Queue { json } => queue(ctx, json),
        MailCommand::Send { all } => send(ctx, all),
    }
}

/// A mail of the outbox as `kiosk mail queue --json` shows it: the address masked, no body.
#[derive(Debug, serde::Serialize)]
struct QueueRow {
    id: String,
    recipient: String,
    subject: String,
    state: MailState,
    attempts: u32,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    next_try_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    sent_at: Option<OffsetDateTime>,
    last_error: Option<String>,
}

fn state_message_id(state: MailState) -> &'static str {
    match state {
        MailState::Waiting => "mail-state-waiting",
        MailState::Sent => "mail-state-sent",
        MailState::GivenUp => "mail-state-given-up",
    }
}

/// A time as the office reads it.
fn office_time(ctx: &Context, at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    at.to_offset(ctx.office_offset()).format(format).unwrap_or_else(|_| at.to_string())
}

fn queue(ctx: &Context, json: bool) -> Result<ExitCode, KioskError> {
    let store = ctx.open_store()?;
    let mails = store.outbox()?;
    if json {
        for mail in &mails {
            let waiting = mail.state() == MailState::Waiting;
            output::json_line(&QueueRow {
                id: mail.id.to_string(),
                recipient: mask_address(&mail.recipient),
                subject: mail.subject.clone(),
                state: mail.state(),
                attempts: mail.attempts,
                created_at: mail.created_at,
                next_try_at: waiting.then_some(mail.next_try_at),
                sent_at: mail.sent_at,
                last_error: mail.last_error.clone(),
            })?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if mails.is_empty() {
        outln!("{}", ctx.t("mail-queue-empty"))?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}", ctx.t("mail-queue-title"))?;
    for mail in &mails {
        let mut notes = Vec::new();
        if mail.state() == MailState::Waiting {
            let at = office_time(ctx, mail.next_try_at);
            notes.push(ctx.t_with("mail-queue-next-try", &[("at", at.into())]));
        }
        if let Some(id) = mail.last_error.as_deref().and_then(category_message_id) {
            notes.push(ctx.t(id));
        }
        outln!(
            "{}  {}  {}  {}  {}  {}",
            mail.id,
            mask_address(&mail.recipient),
            mail.subject,
            ctx.t(state_message_id(mail.state())),
            mail.attempts,
            notes.join("  ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `kiosk mail send [--all]`: exit 0 when nothing due is left waiting, 1 when some mail still
/// waits (with the reason), 70 when the store failed.
fn send(ctx: &Context, all: bool) -> Result<ExitCode, KioskError> {
    let mut store = ctx.open_store()?;
    let now = OffsetDateTime::now_utc();
    let report = if all {
        send_all_now(&mut store, &ctx.config, now)
    } else {
        send_due(&mut store, &ctx.config, now)
    };
    if report.sent.is_empty() && report.given_up.is_empty() && report.waiting == 0 {
        if let Some(e) = report.failure {
            return Err(e.into());
        }
        outln!("{}", ctx.t("mail-send-none-due"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let count = |n: usize| FluentValue::from(n);
    if !report.sent.is_empty() {
        outln!("{}", ctx.t_with("mail-send-sent", &[("count", count(report.sent.len()))]))?;
    }
    if !report.given_up.is_empty() {
        let args = [("count", count(report.given_up.len()))];
        outln!("{}", ctx.t_with("mail-send-given-up", &args))?;
    }
    if let Some(e) = report.failure {
        return Err(e.into());
    }
    if report.waiting > 0 {
        let reason = report.reason.map(|r| ctx.t(r.message_id())).unwrap_or_default();
        errln!(
            "{}",
            ctx.t_with(
                "mail-send-waiting",
                &[("count", count(report.waiting)), ("reason", reason.into())]
            )
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: OffsetDateTime = time::macros::datetime!(2026-11-21 10:00 +8);
    const ADDRESS: &str = "Chan.TaiMan@example.mo";

    fn store_with_application() -> (Store, RecordId) {
        let options = store::StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| T0) };
        let mut store = Store::open_in_memory(options).expect("store");
        let mut application = Application::draft(
            ulid::Ulid::new(),
            registry::model::Service::Renewal,
            ulid::Ulid::new(),
            registry::model::HolderKind::Person,
            registry::model::CertificateClass::Standard,
            T0,
        );
        // A renewal names the certificates it renews.
        application.certificates.push(ulid::Ulid::new());
        store.put(None, &application).expect("application");
        (store, application.id)
    }

    /// A code made while no relay is set up, read back from the body waiting in the outbox.
    fn queued_code(store: &mut Store, application: RecordId, now: OffsetDateTime) -> String {
        let sent = send_code(store, &Config::default(), Language::En, application, ADDRESS, now);
        let reason = QueuedReason::NotConfigured;
        assert_eq!(sent.expect("code made"), CodeSent::Queued { reason });
        let mail = store.outbox().expect("outbox").pop().expect("a mail");
        let body = mail.body.expect("waiting with its body");
        let line = body.lines().next().expect("first line");
        line.rsplit(' ').next().expect("the code").to_owned()
    }

    #[test]
    fn a_code_is_good_once_whatever_the_case_of_the_address_or_width_of_its_digits() {
        let (mut store, application) = store_with_application();
        let code = queued_code(&mut store, application, T0);
        assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()), "{code}");
        let mail = store.outbox().expect("outbox").pop().expect("a mail");
        assert_eq!(mail.recipient, ADDRESS, "sent to the address as given");
        assert_eq!(mail.last_error.as_deref(), Some("not_configured"));
        let wide: String =
            code.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).expect("wide")).collect();
        let later = T0 + Duration::minutes(9);
        assert_eq!(
            check_code(&mut store, application, " chan.taiman@EXAMPLE.mo", &wide, later),
            Ok(())
        );
        assert_eq!(
            check_code(&mut store, application, ADDRESS, &code, later),
            Err(CodeRefused::UsedUp)
        );
    }

    #[test]
    fn five_wrong_codes_end_the_code() {
        let (mut store, application) = store_with_application();
        let code = queued_code(&mut store, application, T0);
        let wrong = if code == "000000" { "000001" } else { "000000" };
        for tries_left in (0..CODE_TRIES).rev() {
            let answer = check_code(&mut store, application, ADDRESS, wrong, T0);
            assert_eq!(answer, Err(CodeRefused::Wrong { tries_left }));
        }
        let answer = check_code(&mut store, application, ADDRESS, &code, T0);
        assert_eq!(answer, Err(CodeRefused::UsedUp), "not even the right one after 5 wrong");
    }

    #[test]
    fn a_code_expires_after_ten_minutes_and_a_new_one_replaces_it() {
        let (mut store, application) = store_with_application();
        let first = queued_code(&mut store, application, T0);
        let expired = T0 + CODE_VALIDITY;
        let answer = check_code(&mut store, application, ADDRESS, &first, expired);
        assert_eq!(answer, Err(CodeRefused::Expired));
        let second = queued_code(&mut store, application, expired);
        if first != second {
            let answer = check_code(&mut store, application, ADDRESS, &first, expired);
            assert_eq!(answer, Err(CodeRefused::Wrong { tries_left: CODE_TRIES - 1 }));
        }
        assert_eq!(check_code(&mut store, application, ADDRESS, &second, expired), Ok(()));
        // The first code's mail is given up, its body erased; the second waits.
        let states: Vec<_> =
            store.outbox().expect("outbox").iter().map(|m| (m.state(), m.body.is_some())).collect();
        assert_eq!(states, [(MailState::GivenUp, false), (MailState::Waiting, true)]);
    }

    #[test]
    fn no_code_no_address_no_application() {
        let (mut store, application) = store_with_application();
        let answer = check_code(&mut store, application, ADDRESS, "123456", T0);
        assert_eq!(answer, Err(CodeRefused::NoneSent));
        let config = Config::default();
        let err = send_code(&mut store, &config, Language::En, application, "chan@", T0);
        assert!(matches!(err, Err(MailError::BadAddress)), "{err:?}");
        let other = ulid::Ulid::new();
        let err = send_code(&mut store, &config, Language::En, other, ADDRESS, T0);
        assert!(matches!(err, Err(MailError::NoApplication(id)) if id == other), "{err:?}");
        assert!(store.outbox().expect("outbox").is_empty(), "nothing was queued");
    }

    #[test]
    fn a_round_with_nothing_due_does_nothing_and_an_expired_mail_is_given_up() {
        let (mut store, application) = store_with_application();
        let config = Config::default();
        assert!(send_due(&mut store, &config, T0).is_empty());
        queued_code(&mut store, application, T0);
        let report = send_due(&mut store, &config, T0 + Duration::minutes(1));
        assert_eq!((report.waiting, report.reason), (1, Some(QueuedReason::NotConfigured)));
        let report = send_due(&mut store, &config, T0 + CODE_VALIDITY);
        assert_eq!((report.given_up.len(), report.waiting), (1, 0));
        let mail = store.outbox().expect("outbox").pop().expect("mail");
        assert_eq!((mail.state(), mail.body), (MailState::GivenUp, None));
        assert!(send_due(&mut store, &config, T0 + CODE_VALIDITY).is_empty());
    }

    #[test]
    fn the_backoff_doubles_from_a_minute_to_half_an_hour() {
        let minutes: Vec<_> = (1..=8).map(|n| retry_after(n).whole_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(retry_after(0), Duration::minutes(1));
        assert_eq!(retry_after(u32::MAX), Duration::minutes(30));
    }

    #[test]
    fn relay_addresses_are_checked_and_shown_without_credentials() {
        for good in ["smtp://relay:25", "smtps://relay", "smtp://127.0.0.1:2525?tls=required"] {
            assert!(relay_usable(good), "{good}");
        }
        for bad in ["relay:25", "imap://relay", "smtps://relay?tls=required", "smtp:///x", ""] {
            assert!(!relay_usable(bad), "{bad}");
        }
        assert_eq!(
            relay_as_typed("smtps://clerk:s3cret@relay.mo:465/x?tls=1"),
            "smtps://relay.mo:465/x?tls=1"
        );
        assert_eq!(relay_as_typed("smtp://relay.mo"), "smtp://relay.mo");
    }

    #[test]
    fn addresses_are_masked_and_keyed_in_lower_case() {
        assert_eq!(mask_address("chan.taiman@example.mo"), "c***@example.mo");
        assert_eq!(address_key(" Chan@Example.MO "), Some("chan@example.mo".into()));
        for bad in ["chan", "chan@mo", "a b@example.mo", "a@b.mo\u{7}", ""] {
            assert_eq!(address_key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_message_is_in_every_language() {
        let mut messages: Vec<(&str, Vec<(&str, String)>)> = Vec::new();
        let sent = [
            CodeSent::Sent,
            CodeSent::Queued { reason: QueuedReason::Unreachable },
            CodeSent::Queued { reason: QueuedReason::Refused },
            CodeSent::Queued { reason: QueuedReason::NotConfigured },
        ];
        let ids: Vec<_> = sent.iter().map(CodeSent::message_id).collect();
        assert_eq!(ids, CodeSent::ALL_MESSAGE_IDS, "ALL_MESSAGE_IDS lists each once");
        messages.extend(sent.iter().map(|s| (s.message_id(), s.message_args())));
        let refused = [
            CodeRefused::Wrong { tries_left: 1 },
            CodeRefused::Expired,
            CodeRefused::NoneSent,
            CodeRefused::UsedUp,
            CodeRefused::Store { detail: "disk I/O error".into() },
        ];
        let ids: Vec<_> = refused.iter().map(CodeRefused::message_id).collect();
        assert_eq!(ids, CodeRefused::ALL_MESSAGE_IDS, "ALL_MESSAGE_IDS lists each once");
        messages.extend(refused.iter().map(|r| (r.message_id(), r.message_args())));
        for tries_left in [0, 2] {
            let wrong = CodeRefused::Wrong { tries_left };
            messages.push((wrong.message_id(), wrong.message_args()));
        }
        let errors = [
            MailError::NoApplication(ulid::Ulid::new()),
            MailError::BadAddress,
            MailError::Store(StoreError::Corrupt("x".into())),
        ];
        let ids: Vec<_> = errors.iter().map(MailError::message_id).collect();
        assert_eq!(ids, MailError::ALL_MESSAGE_IDS, "ALL_MESSAGE_IDS lists each once");
        messages.extend(errors.iter().map(|e| (e.message_id(), e.message_args())));
        for category in
            ["unreachable", "refused", "not_configured", "expired", "replaced", "bad_address"]
        {
            let id = category_message_id(category).expect(category);
            messages.push((id, Vec::new()));
        }
        for reason in
            [QueuedReason::Unreachable, QueuedReason::Refused, QueuedReason::NotConfigured]
        {
            assert_eq!(category_message_id(reason.category()), Some(reason.message_id()));
        }
        for state in [MailState::Waiting, MailState::Sent, MailState::GivenUp] {
            messages.push((state_message_id(state), Vec::new()));
        }
        for (id, args) in messages {
            let args: Vec<_> = args.into_iter().map(|(k, v)| (k, v.into())).collect();
            for lang in Language::ALL {
                let text = i18n::text_with(lang, id, &args);
                assert_ne!(text, id, "{lang} lacks {id}");
                assert!(!text.contains("{ $") && !text.contains("{$"), "{lang}: {text}");
            }
        }
    }

    #[test]
    fn a_macau_mail_is_in_chinese_and_portuguese_with_the_code_reference_and_validity() {
        let config = Config { office: "澳門郵政 eSignTrust".into(), ..Config::default() };
        let at = time::macros::datetime!(2026-11-21 02:10 UTC);
        for lang in [Language::ZhHant, Language::Pt] {
            let (subject, body) = code_mail(&config, lang, "R-2026-0042", "048213", at);
            assert!(
                subject.contains("電郵驗證碼") && subject.contains("correio electrónico"),
                "{subject}"
            );
            assert!(!subject.contains("048213"), "the subject stays in the outbox: no code in it");
            for part in ["048213", "R-2026-0042", "10:10", "10 分鐘", "10 minutos", "澳門郵政"]
            {
                assert!(body.contains(part), "{part} missing from {}", body.as_str());
            }
        }
        let (subject, body) = code_mail(&config, Language::ZhHans, "R-1", "000001", at);
        assert!(subject.contains("电子邮箱") && !subject.contains("correio"), "{subject}");
        assert!(body.contains("000001"));
        let (subject, _) = code_mail(&config, Language::En, "R-1", "000001", at);
        assert_eq!(subject, "Email verification code for application R-1");
    }
}
