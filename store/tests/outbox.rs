//! The mail outbox and the email codes: written together, claimed once, secrets erased.

use store::{EmailCode, FirstTry, MailState, NewMail, Store, StoreOptions};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-21 10:00 +8);
/// What a code mail's body holds, to look for in the file's bytes after it is erased.
const SECRET_BODY: &str = "your code is 918273 (a marker the file must lose)";

fn open(path: &std::path::Path) -> Store {
    Store::open(path, StoreOptions { kiosk_id: Some("K1".into()), now: Box::new(|| NOW) })
        .expect("open")
}

fn code() -> EmailCode {
    EmailCode {
        salt: vec![1; 16],
        hash: vec![2; 32],
        created_at: NOW,
        expires_at: NOW + Duration::minutes(10),
        tries_left: 5,
        used_at: None,
        mail: None,
    }
}

fn mail() -> NewMail {
    NewMail {
        recipient: "chan@example.mo".into(),
        subject: "電郵驗證碼 / Código".into(),
        body: SECRET_BODY.into(),
        secret: true,
        expires_at: Some(NOW + Duration::minutes(10)),
    }
}

fn file_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for name in ["kiosk.db", "kiosk.db-wal"] {
        if let Ok(b) = std::fs::read(dir.join(name)) {
            bytes.extend(b);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_code_and_its_mail_are_committed_together_and_a_sent_secret_leaves_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kiosk.db");
    let application = ulid::Ulid::new();
    let mut store = open(&path);
    let until = NOW + Duration::minutes(1);
    let id = store
        .put_email_code(
            application,
            "chan@example.mo",
            &code(),
            &mail(),
            FirstTry::Claimed { until },
            NOW,
        )
        .expect("put");
    drop(store);

    // Another process sees both, and the mail is claimed for its first try.
    let mut store = open(&path);
    let stored = store.outbox_mail(id).expect("read").expect("the mail");
    assert_eq!(stored.state(), MailState::Waiting);
    assert_eq!((stored.attempts, stored.next_try_at), (1, until));
    assert_eq!(stored.body.as_deref(), Some(SECRET_BODY));
    assert!(store.outbox_due(NOW, false).expect("due").is_empty(), "claimed until {until}");
    let found = store.check_email_code(application, "chan@example.mo", |c| c.map(|c| c.mail));
    assert_eq!(found.expect("code"), Some(Some(id)));
    assert!(!format!("{stored:?}").contains("chan@"), "Debug leaves the address out");

    store.outbox_sent(id, NOW).expect("sent");
    let sent = store.outbox_mail(id).expect("read").expect("the mail");
    assert_eq!((sent.state(), sent.body, sent.sent_at), (MailState::Sent, None, Some(NOW)));
    assert_eq!(sent.subject, mail().subject, "the subject and recipient stay");
    assert!(!contains(&file_bytes(dir.path()), SECRET_BODY), "the body's bytes are gone");
}

#[test]
fn a_new_code_replaces_the_old_one_and_gives_up_its_waiting_mail() {
    let mut store = open(&tempfile::tempdir().expect("tempdir").path().join("kiosk.db"));
    let application = ulid::Ulid::new();
    let not_tried = FirstTry::NotTried { reason: "unreachable" };
    let first = store
        .put_email_code(application, "chan@example.mo", &code(), &mail(), not_tried, NOW)
        .expect("first");
    assert_eq!(store.outbox_due(NOW, false).expect("due").len(), 1, "due at once");
    let newer = EmailCode { salt: vec![9; 16], ..code() };
    let later = NOW + Duration::minutes(2);
    let second = store
        .put_email_code(application, "chan@example.mo", &newer, &mail(), not_tried, later)
        .expect("second");
    let old = store.outbox_mail(first).expect("read").expect("the old mail");
    assert_eq!(
        (old.state(), old.body, old.last_error.as_deref()),
        (MailState::GivenUp, None, Some("replaced"))
    );
    let salt =
        store.check_email_code(application, "chan@example.mo", |c| c.map(|c| c.salt.clone()));
    assert_eq!(salt.expect("code"), Some(vec![9; 16]));
    let due: Vec<_> = store.outbox_due(later, false).expect("due").iter().map(|m| m.id).collect();
    assert_eq!(due, [second]);
}

#[test]
fn a_claim_is_won_once_and_backoff_and_expiry_decide_what_is_due() {
    let mut store = open(&tempfile::tempdir().expect("tempdir").path().join("kiosk.db"));
    let not_tried = FirstTry::NotTried { reason: "not_configured" };
    let id = store
        .put_email_code(ulid::Ulid::new(), "a@example.mo", &code(), &mail(), not_tried, NOW)
        .expect("put");
    let seen = store.outbox_due(NOW, false).expect("due");
    assert_eq!(seen.len(), 1);
    let until = NOW + Duration::minutes(1);
    assert!(store.outbox_claim(id, seen[0].attempts, until).expect("claim"));
    assert!(!store.outbox_claim(id, seen[0].attempts, until).expect("claim"), "taken already");
    store.outbox_failed(id, "unreachable").expect("failed");
    assert!(store.outbox_due(NOW, false).expect("due").is_empty(), "backing off");
    assert_eq!(store.outbox_due(NOW, true).expect("due").len(), 1, "unless told to ignore it");
    assert_eq!(store.outbox_due(until, false).expect("due").len(), 1);
    let failed = store.outbox_mail(id).expect("read").expect("mail");
    assert_eq!((failed.attempts, failed.last_error.as_deref()), (1, Some("unreachable")));
    // Past the code's expiry it is due (to be given up), even while backing off.
    let expired = NOW + Duration::minutes(10);
    store.outbox_claim(id, 1, expired + Duration::minutes(5)).expect("claim");
    assert_eq!(store.outbox_due(expired, false).expect("due").len(), 1);
    store.outbox_give_up(id, expired, "expired").expect("give up");
    let given_up = store.outbox_mail(id).expect("read").expect("mail");
    assert_eq!((given_up.state(), given_up.body), (MailState::GivenUp, None));
    assert!(store.outbox_due(expired, true).expect("due").is_empty());
}

#[test]
fn a_checked_code_keeps_what_the_check_changed() {
    let mut store = open(&tempfile::tempdir().expect("tempdir").path().join("kiosk.db"));
    let application = ulid::Ulid::new();
    let claimed = FirstTry::Claimed { until: NOW };
    store.put_email_code(application, "a@example.mo", &code(), &mail(), claimed, NOW).expect("put");
    store
        .check_email_code(application, "a@example.mo", |c| {
            if let Some(c) = c {
                c.tries_left -= 1;
            }
        })
        .expect("check");
    let left = store.check_email_code(application, "a@example.mo", |c| c.map(|c| c.tries_left));
    assert_eq!(left.expect("read"), Some(4));
    let none = store.check_email_code(application, "b@example.mo", |c| c.is_none());
    assert!(none.expect("read"), "no code for another address");
}
