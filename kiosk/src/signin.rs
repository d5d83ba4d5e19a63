//! Clerk sign-in: the clerk's id and password, then a one-time code (RFC 6238 TOTP) from the
//! app the clerk was given at `kiosk clerk add`.
//!
//! Synchronous, one `&mut Store` a call: the UI runs each step on a worker thread that opens
//! its own store. The time is an argument, so tests decide it.
//!
//! - **A wrong password does not say whether the id exists.** An unknown id, a disabled account
//!   and a wrong password all get [`Refusal::WrongPassword`], and each costs one Argon2
//!   verification (against a dummy hash when there is no account), so timing does not tell
//!   either.
//! - **Unknown ids** are recorded as a failed password step with no subject (what was typed is
//!   never stored: it may be a person's name, or a password typed into the wrong box), and are
//!   never locked, since there is nothing to lock. The cost of that choice: after five failures
//!   in a row a *known* id answers [`Refusal::Locked`], where an unknown one keeps answering
//!   "wrong password", so someone who has already failed five times learns that the id exists.
//!   Answering "locked" only to the right password would instead tell a guesser during the lock
//!   which password was right, which is worse.
//! - **Failures in a row lock the clerk.** A failed step (password or code) is an audit event
//!   about the clerk; [`Policy::max_failures`] of them since the clerk's last sign-in (or last
//!   lock) lock the clerk for [`Policy::lockout`], itself an audit event. Counted from the
//!   store, newest first through its audit index, so a restart or another process sees the same
//!   count.
//! - **A code is good once.** A sign-in records the TOTP step it used; a later sign-in needs a
//!   later step (RFC 6238 §5.2). The current step and one either side are accepted, for clock
//!   skew.

// The UI (kiosk/src/ui/) calls this; until it lands only the tests do.

use std::ops::ControlFlow;

use registry::audit::{AuditAction, AuditEvent, SignInStep};
use registry::model::{Clerk, RecordId, RecordKind, StaffRole};
use registry::totp;
use store::{Store, StoreError};
use time::{Duration, OffsetDateTime};

use crate::auth;
use crate::config::Config;

/// How many failures lock a clerk, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub max_failures: u32,
    pub lockout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self { max_failures: 5, lockout: Duration::minutes(5) }
    }
}

impl Policy {
    /// The lockout from `signin_lockout_minutes`.
    pub fn from_config(config: &Config) -> Self {
        Self {
            lockout: Duration::minutes(i64::from(config.signin_lockout_minutes)),
            ..Self::default()
        }
    }
}

/// How long a right password waits for its code before the clerk must start again.
pub const CODE_WAIT: Duration = Duration::minutes(5);

/// The password step passed; only [`check_password`] makes one, and [`check_code`] takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordAccepted {
    clerk: RecordId,
    username: String,
    at: OffsetDateTime,
}

impl PasswordAccepted {
    /// Whose password it was: a supervisor closing the day proves who they are with it.
    pub fn clerk(&self) -> RecordId {
        self.clerk
    }
}

#[cfg(test)]
impl PasswordAccepted {
    /// What `check_password` answers for `clerk` at `at`, for the UI's tests.
    pub fn for_tests(clerk: RecordId, username: &str, at: OffsetDateTime) -> Self {
        PasswordAccepted { clerk, username: username.to_owned(), at }
    }
}

/// Both steps passed: who is at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub clerk: RecordId,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
}

/// Why sign-in said no. Kept typed so the UI localises it when it draws (`message_id`,
/// `message_args`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The id or the password is wrong (never which), or the account is disabled.
    #[error("wrong id or password")]
    WrongPassword,
    /// The password was right and the code is not the current one.
    #[error("wrong one-time code")]
    WrongCode,
    /// The code was right but already used to sign in: wait for the next one.
    #[error("the one-time code was already used")]
    CodeReused,
    /// Too many failures in a row: no sign-in for this clerk until `until`.
    #[error("locked until {until}")]
    Locked { until: OffsetDateTime },
    /// The clerk has no one-time code secret yet (a record from before codes): a supervisor
    /// gives them one with `kiosk clerk reset-totp`. Only said after the right password.
    #[error("no one-time code is set up for this clerk")]
    NoCodeSetUp,
    /// The code came too long after the password, or the account changed between the steps.
    #[error("sign-in took too long; start again")]
    StartAgain,
    /// The store could not be read or written.
    #[error("the store failed: {detail}")]
    Store { detail: String },
}

impl Refusal {
    #[cfg(test)]
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "signin-wrong-password",
        "signin-wrong-code",
        "signin-code-reused",
        "signin-locked",
        "signin-no-code-set-up",
        "signin-start-again",
        "signin-store-failed",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            Refusal::WrongPassword => "signin-wrong-password",
            Refusal::WrongCode => "signin-wrong-code",
            Refusal::CodeReused => "signin-code-reused",
            Refusal::Locked { .. } => "signin-locked",
            Refusal::NoCodeSetUp => "signin-no-code-set-up",
            Refusal::StartAgain => "signin-start-again",
            Refusal::Store { .. } => "signin-store-failed",
        }
    }

    /// `until` is the time of day (HH:MM) in the offset of the `now` the caller passed (the
    /// office's, in the UI).
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            Refusal::Locked { until } => {
                vec![("until", format!("{:02}:{:02}", until.hour(), until.minute()))]
            }
            Refusal::Store { detail } => vec![("detail", detail.clone())],
            _ => Vec::new(),
        }
    }
}

impl From<StoreError> for Refusal {
    fn from(err: StoreError) -> Self {
        Refusal::Store { detail: err.to_string() }
    }
}

/// An Argon2id hash with the parameters `auth::hash_password` uses (checked by a test), of no
/// password anyone types: verified against when there is no account, so an unknown id costs
/// what a known one does.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2lnbi1pbi1kdW1teS1zYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Step 1: the clerk's id (user name, any case) and password.
pub fn check_password(
    store: &mut Store,
    username: &str,
    password: &str,
    now: OffsetDateTime,
    policy: &Policy,
) -> Result<PasswordAccepted, Refusal> {
    let clerk = find_clerk(store, username)?;
    let found = clerk.as_ref().filter(|c| c.active);
    // One Argon2 verification whoever it is.
    let hash = found.map_or(DUMMY_HASH, |c| c.password_hash.as_str());
    let matches = auth::verify_password(password, hash) && found.is_some();
    let Some(clerk) = clerk else {
        record_failure(store, None, SignInStep::Password, now, policy, None)?;
        return Err(Refusal::WrongPassword);
    };
    if !clerk.active {
        // Recorded about the account, but a disabled account is never "locked": that would
        // answer differently from an unknown id.
        record_failure(store, Some(clerk.id), SignInStep::Password, now, policy, None)?;
        return Err(Refusal::WrongPassword);
    }
    let history = History::of(store, clerk.id)?;
    if let Some(until) = history.locked_until(now, policy) {
        return Err(Refusal::Locked { until });
    }
    if !matches {
        return Err(record_failure(
            store,
            Some(clerk.id),
            SignInStep::Password,
            now,
            policy,
            Some(history.failures),
        )?
        .unwrap_or(Refusal::WrongPassword));
    }
    Ok(PasswordAccepted { clerk: clerk.id, username: clerk.username, at: now })
}

/// Step 2: the one-time code, for the clerk whose password was accepted.
pub fn check_code(
    store: &mut Store,
    accepted: &PasswordAccepted,
    code: &str,
    now: OffsetDateTime,
    policy: &Policy,
) -> Result<SignedIn, Refusal> {
    if now - accepted.at > CODE_WAIT || now < accepted.at {
        return Err(Refusal::StartAgain);
    }
    let clerk = match store.get::<Clerk>(accepted.clerk)? {
        Some(clerk) if clerk.active => clerk,
        _ => return Err(Refusal::StartAgain),
    };
    let history = History::of(store, clerk.id)?;
    if let Some(until) = history.locked_until(now, policy) {
        return Err(Refusal::Locked { until });
    }
    let Some(secret) = clerk.totp_secret.as_ref().and_then(|s| totp::base32_decode(s.expose()))
    else {
        return Err(Refusal::NoCodeSetUp);
    };
    match totp::verify(&secret, clerk.totp_period, code, now.unix_timestamp(), history.last_step) {
        Ok(step) => {
            let event = audit(
                store,
                now,
                Some(clerk.id),
                AuditAction::ClerkSignedIn { totp_step: Some(step) },
            );
            store.write(Some(clerk.id), |w| w.put(&event).map(drop))?;
            tracing::info!(clerk = %clerk.id, "clerk signed in");
            Ok(SignedIn {
                clerk: clerk.id,
                username: clerk.username,
                display_name: clerk.display_name,
                role: clerk.role,
            })
        }
        Err(why) => {
            let refusal = match why {
                totp::CodeError::Wrong => Refusal::WrongCode,
                totp::CodeError::Reused => Refusal::CodeReused,
            };
            let locked = record_failure(
                store,
                Some(clerk.id),
                SignInStep::Code,
                now,
                policy,
                Some(history.failures),
            )?;
            Err(locked.unwrap_or(refusal))
        }
    }
}

/// Whether `who`, just signed in, may unlock a screen locked while `locked_for` was signed in:
/// the same clerk, or any supervisor.
pub fn may_unlock(locked_for: RecordId, who: &SignedIn) -> bool {
    who.clerk == locked_for || who.role == StaffRole::Supervisor
}

/// The clerk with this user name (ASCII letters in any case), active or not.
fn find_clerk(store: &Store, username: &str) -> Result<Option<Clerk>, StoreError> {
    let typed = username.trim();
    Ok(store.list::<Clerk>()?.into_iter().find(|c| c.username.eq_ignore_ascii_case(typed)))
}

/// What the audit trail says about a clerk's sign-ins since their last one.
#[derive(Debug, Default)]
struct History {
    /// Failed steps since the last sign-in or lock, whichever came later.
    failures: u32,
    /// When the latest lock since the last sign-in began.
    locked_at: Option<OffsetDateTime>,
    /// The TOTP step of the last sign-in.
    last_step: Option<u64>,
}

impl History {
    fn of(store: &Store, clerk: RecordId) -> Result<Self, StoreError> {
        let mut history = History::default();
        let mut counting = true;
        store.audit_about(clerk, |event| {
            match event.action {
                AuditAction::ClerkSignedIn { totp_step } => {
                    history.last_step = totp_step;
                    return ControlFlow::Break(());
                }
                AuditAction::ClerkLocked { .. } => {
                    if history.locked_at.is_none() {
                        history.locked_at = Some(event.at);
                    }
                    counting = false;
                }
                AuditAction::ClerkSignInFailed { .. } if counting => history.failures += 1,
                _ => {}
            }
            ControlFlow::Continue(())
        })?;
        Ok(history)
    }

    fn locked_until(&self, now: OffsetDateTime, policy: &Policy) -> Option<OffsetDateTime> {
        let until = (self.locked_at? + policy.lockout).to_offset(now.offset());
        (until > now).then_some(until)
    }
}

/// Records a failed step. For an account that can be locked (`failures_before` is its count in
/// a row so far), the `max_failures`-th in a row also records the lock and returns the
/// [`Refusal::Locked`] to answer instead.
fn record_failure(
    store: &mut Store,
    clerk: Option<RecordId>,
    step: SignInStep,
    now: OffsetDateTime,
    policy: &Policy,
    failures_before: Option<u32>,
) -> Result<Option<Refusal>, StoreError> {
    let failed = audit(store, now, clerk, AuditAction::ClerkSignInFailed { step });
    let failures = failures_before.map(|n| n.saturating_add(1));
    let lock = failures
        .filter(|&n| n >= policy.max_failures)
        .map(|failures| audit(store, now, clerk, AuditAction::ClerkLocked { failures }));
    store.write(None, |w| {
        w.put(&failed)?;
        if let Some(lock) = &lock {
            w.put(lock)?;
        }
        Ok(())
    })?;
    // The record id and the step only: never what was typed.
    tracing::info!(clerk = ?clerk, ?step, ?failures, "sign-in step failed");
    Ok(lock.map(|_| {
        tracing::warn!(clerk = ?clerk, ?failures, "clerk locked after failed sign-ins");
        Refusal::Locked { until: now + policy.lockout }
    }))
}

/// An audit event about `subject` (a clerk), or about nobody for an unknown id. The actor is
/// left empty: until both steps pass, nobody is known to be at the keyboard.
fn audit(
    store: &Store,
    now: OffsetDateTime,
    subject: Option<RecordId>,
    action: AuditAction,
) -> AuditEvent {
    let signed_in = matches!(action, AuditAction::ClerkSignedIn { .. });
    AuditEvent {
        id: ulid::Ulid::new(),
        at: now,
        kiosk: store.kiosk_id().to_owned(),
        clerk: if signed_in { subject } else { None },
        action,
        subject_kind: subject.map(|_| RecordKind::Clerk),
        subject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry::model::Sensitive;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-30 09:00:10 +8);
    const PASSWORD: &str = "Counter-2026a";
    const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn store() -> Store {
        let options =
            store::StoreOptions { kiosk_id: Some("TEST_01".into()), now: Box::new(|| T0) };
        Store::open_in_memory(options).expect("store")
    }

    fn add_clerk(store: &mut Store, username: &str, active: bool) -> Clerk {
        let clerk = Clerk {
            id: ulid::Ulid::new(),
            username: username.into(),
            display_name: "陳文詠 CHAN MAN WING".into(),
            role: StaffRole::Supervisor,
            password_hash: auth::hash_password(PASSWORD).expect("hash"),
            active,
            totp_secret: Some(Sensitive::new(SECRET)),
            totp_period: 60,
        };
        store.put(None, &clerk).expect("clerk");
        clerk
    }

    fn code(at: OffsetDateTime) -> String {
        let secret = totp::base32_decode(SECRET).expect("secret");
        totp::code_at(&secret, 60, at.unix_timestamp())
    }

    fn wrong_code(at: OffsetDateTime) -> String {
        let right = code(at);
        // Not the code of this step nor of either neighbour.
        (0..1000)
            .map(|n| format!("{:06}", (n * 7919) % 1_000_000))
            .find(|c| {
                *c != right
                    && *c != code(at - Duration::minutes(1))
                    && *c != code(at + Duration::minutes(1))
            })
            .expect("a wrong code")
    }

    fn audit_actions(store: &Store) -> Vec<AuditAction> {
        store.list::<AuditEvent>().expect("audit").into_iter().map(|e| e.action).collect()
    }

    #[test]
    fn the_right_password_and_code_sign_in_and_are_audited() {
        let mut store = store();
        let clerk = add_clerk(&mut store, "clerk.chan", true);
        let policy = Policy::default();
        let accepted =
            check_password(&mut store, "Clerk.Chan", PASSWORD, T0, &policy).expect("password");
        assert_eq!(accepted.clerk(), clerk.id);
        let signed_in =
            check_code(&mut store, &accepted, &code(T0), T0 + Duration::seconds(5), &policy)
                .expect("code");
        assert_eq!(
            signed_in,
            SignedIn {
                clerk: clerk.id,
                username: "clerk.chan".into(),
                display_name: clerk.display_name.clone(),
                role: StaffRole::Supervisor,
            }
        );
        let step = totp::step_at(T0.unix_timestamp(), 60);
        assert_eq!(audit_actions(&store), [AuditAction::ClerkSignedIn { totp_step: Some(step) }]);
    }

    #[test]
    fn a_wrong_password_and_an_unknown_or_disabled_id_answer_the_same() {
        let mut store = store();
        add_clerk(&mut store, "clerk.chan", true);
        add_clerk(&mut store, "clerk.gone", false);
        let policy = Policy::default();
        let wrong = check_password(&mut store, "clerk.chan", "Wrong-2026a", T0, &policy);
        let unknown = check_password(&mut store, "clerk.nobody", PASSWORD, T0, &policy);
        let disabled = check_password(&mut store, "clerk.gone", PASSWORD, T0, &policy);
        for answer in [&wrong, &unknown, &disabled] {
            assert_eq!(answer, &Err(Refusal::WrongPassword));
        }
        // Each is a failed password step; the unknown id has no subject.
        let events = store.list::<AuditEvent>().expect("audit");
        assert_eq!(events.len(), 3);
        assert!(
            events
                .iter()
                .all(|e| e.action == AuditAction::ClerkSignInFailed { step: SignInStep::Password }
                    && e.clerk.is_none())
        );
        assert_eq!(events.iter().filter(|e| e.subject.is_none()).count(), 1);
    }

    #[test]
    fn an_unknown_id_is_never_locked() {
        let mut store = store();
        let policy = Policy::default();
        for _ in 0..7 {
            let answer = check_password(&mut store, "clerk.nobody", PASSWORD, T0, &policy);
            assert_eq!(answer, Err(Refusal::WrongPassword));
        }
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let real = auth::hash_password("anything-1A").expect("hash");
        let params = |phc: &str| phc.split('$').take(4).collect::<Vec<_>>().join("$");
        assert_eq!(params(DUMMY_HASH), params(&real));
        let parsed = argon2::PasswordHash::new(DUMMY_HASH).expect("a well-formed hash");
        assert_eq!(parsed.hash.map(|h| h.len()), Some(32));
        assert!(!auth::verify_password(PASSWORD, DUMMY_HASH));
    }

    #[test]
    fn a_wrong_code_says_the_code_step_failed() {
        let mut store = store();
        add_clerk(&mut store, "clerk.chan", true);
        let policy = Policy::default();
        let accepted = check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy).expect("pw");
        let answer = check_code(&mut store, &accepted, &wrong_code(T0), T0, &policy);
        assert_eq!(answer, Err(Refusal::WrongCode));
        assert_eq!(
            audit_actions(&store),
            [AuditAction::ClerkSignInFailed { step: SignInStep::Code }]
        );
        // Not six digits is a wrong code too.
        let answer = check_code(&mut store, &accepted, "12a", T0, &policy);
        assert_eq!(answer, Err(Refusal::WrongCode));
    }

    #[test]
    fn a_clock_one_step_off_is_accepted_and_two_steps_are_not() {
        let policy = Policy::default();
        for (offset, ok) in [(-60, true), (60, true), (-120, false), (120, false)] {
            let mut store = store();
            add_clerk(&mut store, "clerk.chan", true);
            let accepted =
                check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy).expect("pw");
            // The app's clock is `offset` seconds off the kiosk's.
            let typed = code(T0 + Duration::seconds(offset));
            let answer = check_code(&mut store, &accepted, &typed, T0, &policy);
            assert_eq!(answer.is_ok(), ok, "{offset}: {answer:?}");
        }
    }

    #[test]
    fn a_code_signs_in_once() {
        let mut store = store();
        add_clerk(&mut store, "clerk.chan", true);
        let policy = Policy::default();
        let accepted = check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy).expect("pw");
        check_code(&mut store, &accepted, &code(T0), T0, &policy).expect("first");
        let again = check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy).expect("pw");
        let answer = check_code(&mut store, &again, &code(T0), T0 + Duration::seconds(20), &policy);
        assert_eq!(answer, Err(Refusal::CodeReused));
        let later = T0 + Duration::minutes(1);
        check_code(&mut store, &again, &code(later), later, &policy).expect("the next code");
    }

    #[test]
    fn five_failures_in_a_row_lock_the_clerk_for_the_lockout_then_it_lifts() {
        let mut store = store();
        add_clerk(&mut store, "clerk.chan", true);
        let policy = Policy { max_failures: 5, lockout: Duration::minutes(7) };
        // Password and code failures count together.
        for n in 0..3 {
            let answer = check_password(&mut store, "clerk.chan", "Wrong-2026a", T0, &policy);
            assert_eq!(answer, Err(Refusal::WrongPassword), "failure {n}");
        }
        let accepted = check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy).expect("pw");
        assert_eq!(
            check_code(&mut store, &accepted, &wrong_code(T0), T0, &policy),
            Err(Refusal::WrongCode)
        );
        let fifth = check_code(&mut store, &accepted, &wrong_code(T0), T0, &policy);
        let until = T0 + Duration::minutes(7);
        assert_eq!(fifth, Err(Refusal::Locked { until }));
        assert!(audit_actions(&store).contains(&AuditAction::ClerkLocked { failures: 5 }));
        // Locked: the right password and the right code are refused, and nothing more counts.
        let during = T0 + Duration::minutes(6);
        let answer = check_password(&mut store, "clerk.chan", PASSWORD, during, &policy);
        assert_eq!(answer, Err(Refusal::Locked { until }));
        assert_eq!(
            check_code(&mut store, &accepted, &code(T0), T0 + Duration::seconds(30), &policy),
            Err(Refusal::Locked { until })
        );
        // A new store on the same data would say the same: the count is in the audit trail.
        assert_eq!(Refusal::Locked { until }.message_args(), [("until", "09:07".to_owned())]);
        // After the lockout, the clerk signs in.
        let after = until + Duration::seconds(1);
        let accepted =
            check_password(&mut store, "clerk.chan", PASSWORD, after, &policy).expect("unlocked");
        check_code(&mut store, &accepted, &code(after), after, &policy).expect("signed in");
    }

    #[test]
    fn the_lock_survives_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kiosk.db");
        let open = || {
            let options =
                store::StoreOptions { kiosk_id: Some("TEST_01".into()), now: Box::new(|| T0) };
            Store::open(&path, options).expect("store")
        };
        let policy = Policy::default();
        {
            let mut store = open();
            add_clerk(&mut store, "clerk.chan", true);
            for _ in 0..5 {
                let _ = check_password(&mut store, "clerk.chan", "Wrong-2026a", T0, &policy);
            }
        }
        let mut store = open();
        let answer = check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy);
        assert_eq!(answer, Err(Refusal::Locked { until: T0 + policy.lockout }));
    }

    #[test]
    fn after_the_lockout_the_count_starts_again() {
        let mut store = store();
        add_clerk(&mut store, "clerk.chan", true);
        let policy = Policy::default();
        for _ in 0..5 {
            let _ = check_password(&mut store, "clerk.chan", "Wrong-2026a", T0, &policy);
        }
        let after = T0 + Duration::minutes(5) + Duration::seconds(1);
        // One failure after the lock is one, not six.
        let answer = check_password(&mut store, "clerk.chan", "Wrong-2026a", after, &policy);
        assert_eq!(answer, Err(Refusal::WrongPassword));
    }

    #[test]
    fn a_sign_in_resets_the_count() {
        let mut store = store();
        add_clerk(&mut store, "clerk.chan", true);
        let policy = Policy::default();
        for _ in 0..4 {
            let _ = check_password(&mut store, "clerk.chan", "Wrong-2026a", T0, &policy);
        }
        let accepted = check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy).expect("pw");
        check_code(&mut store, &accepted, &code(T0), T0, &policy).expect("signed in");
        let later = T0 + Duration::minutes(1);
        for _ in 0..4 {
            let answer = check_password(&mut store, "clerk.chan", "Wrong-2026a", later, &policy);
            assert_eq!(answer, Err(Refusal::WrongPassword));
        }
        let fifth = check_password(&mut store, "clerk.chan", "Wrong-2026a", later, &policy);
        assert!(matches!(fifth, Err(Refusal::Locked { .. })), "{fifth:?}");
    }

    #[test]
    fn a_late_code_or_a_clerk_without_a_secret_starts_again_or_is_told() {
        let mut store = store();
        let clerk = add_clerk(&mut store, "clerk.chan", true);
        let policy = Policy::default();
        let accepted = check_password(&mut store, "clerk.chan", PASSWORD, T0, &policy).expect("pw");
        let late = T0 + CODE_WAIT + Duration::seconds(1);
        let answer = check_code(&mut store, &accepted, &code(late), late, &policy);
        assert_eq!(answer, Err(Refusal::StartAgain));
        store.put(None, &Clerk { totp_secret: None, ..clerk }).expect("older record");
        let answer = check_code(&mut store, &accepted, &code(T0), T0, &policy);
        assert_eq!(answer, Err(Refusal::NoCodeSetUp));
    }

    #[test]
    fn every_refusal_has_its_message_in_every_language() {
        let refusals = [
            Refusal::WrongPassword,
            Refusal::WrongCode,
            Refusal::CodeReused,
            Refusal::Locked { until: T0 },
            Refusal::NoCodeSetUp,
            Refusal::StartAgain,
            Refusal::Store { detail: "disk I/O error".into() },
        ];
        let ids: Vec<_> = refusals.iter().map(Refusal::message_id).collect();
        assert_eq!(ids, Refusal::ALL_MESSAGE_IDS, "ALL_MESSAGE_IDS lists every refusal once");
        for refusal in &refusals {
            let args: Vec<_> =
                refusal.message_args().into_iter().map(|(k, v)| (k, v.into())).collect();
            for lang in i18n::Language::ALL {
                let text = i18n::text_with(lang, refusal.message_id(), &args);
                assert_ne!(text, refusal.message_id(), "{lang} lacks it");
                assert!(!text.contains("{ $") && !text.contains("{$"), "{lang}: {text}");
            }
        }
    }

    #[test]
    fn a_locked_screen_opens_for_the_same_clerk_or_a_supervisor() {
        let who =
            |clerk, role| SignedIn { clerk, username: "x".into(), display_name: "X".into(), role };
        let (chan, wong) = (ulid::Ulid::new(), ulid::Ulid::new());
        assert!(may_unlock(chan, &who(chan, StaffRole::Clerk)));
        assert!(!may_unlock(chan, &who(wong, StaffRole::Clerk)));
        assert!(may_unlock(chan, &who(wong, StaffRole::Supervisor)));
    }

    #[test]
    fn a_disabled_account_is_never_locked_even_by_a_policy_of_one() {
        let mut store = store();
        add_clerk(&mut store, "clerk.gone", false);
        let policy = Policy { max_failures: 1, ..Policy::default() };
        for _ in 0..3 {
            let answer = check_password(&mut store, "clerk.gone", PASSWORD, T0, &policy);
            assert_eq!(answer, Err(Refusal::WrongPassword));
        }
    }

    #[test]
    fn the_lockout_comes_from_the_configuration() {
        let config = Config { signin_lockout_minutes: 12, ..Config::default() };
        assert_eq!(Policy::from_config(&config).lockout, Duration::minutes(12));
        assert_eq!(Policy::from_config(&Config::default()), Policy::default());
    }
}
