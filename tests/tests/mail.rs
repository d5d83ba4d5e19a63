//! Email verification codes against a real SMTP server (aiosmtpd): a code arrives and is good
//! once; a relay that is down leaves the mail in the outbox until `kiosk mail send` delivers it;
//! a SIGKILL after the outbox write loses nothing; the logs never hold the code or the address.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use i18n::Language;
use kiosk::config::Config;
use kiosk::mail::{CodeRefused, CodeSent, QueuedReason, check_code, send_code};
use registry::application::Application;
use registry::model::{CertificateClass, HolderKind, RecordId, Service};
use store::{Store, StoreOptions};
use tests::{Smtp, binary, free_port, kiosk, stderr, stdout};
use time::OffsetDateTime;

const ADDRESS: &str = "chan.taiman@example.mo";

fn write_config(data: &Path, relay: &str) {
    std::fs::create_dir_all(data).expect("data dir");
    let toml = format!(
        "language = \"en\"\noffice = \"澳門郵政 eSignTrust\"\nmail_relay = \"{relay}\"\n\
         mail_from = \"counter@esigntrust.example.mo\"\n"
    );
    std::fs::write(data.join("kiosk.toml"), toml).expect("kiosk.toml");
}

/// The office's store with one renewal application, as the counter app's job opens it.
fn office(data: &Path) -> (Store, RecordId) {
    let mut store = Store::open(&data.join("kiosk.db"), StoreOptions::default()).expect("store");
    let mut application = Application::draft(
        ulid::Ulid::new(),
        Service::Renewal,
        ulid::Ulid::new(),
        HolderKind::Person,
        CertificateClass::Standard,
        OffsetDateTime::now_utc(),
    );
    application.certificates.push(ulid::Ulid::new());
    store.put(None, &application).expect("application");
    (store, application.id)
}

/// `kiosk mail queue --json`, one object a mail.
fn queue(data: &Path) -> Vec<serde_json::Value> {
    let out = kiosk(data).args(["mail", "queue", "--json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains(ADDRESS), "the queue masks the address: {text}");
    text.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect()
}

/// The store's file and its log, as bytes.
fn store_bytes(data: &Path) -> Vec<u8> {
    ["kiosk.db", "kiosk.db-wal"]
        .iter()
        .filter_map(|name| std::fs::read(data.join(name)).ok())
        .flatten()
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every log file the kiosk wrote, as one text.
fn logs(data: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(data.join("logs")).expect("the kiosk logged") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("log");
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    text
}

#[test]
fn a_code_arrives_in_the_maildir_in_the_offices_languages_and_is_good_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let smtp = Smtp::start(dir.path());
    write_config(&data, &smtp.url());
    let config = Config::load(&data).expect("config");
    let (mut store, application) = office(&data);
    let reference = store.get::<Application>(application).expect("read").expect("app").reference;
    let now = OffsetDateTime::now_utc();

    let sent = send_code(&mut store, &config, Language::ZhHant, application, ADDRESS, now);
    assert_eq!(sent.expect("code made"), CodeSent::Sent);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let subject = messages[0].lines().nth(1).expect("subject");
    for part in ["電郵驗證碼", "correio electrónico", reference.as_str()] {
        assert!(subject.contains(part), "{part} not in {subject}");
    }
    let code = smtp.code_for(ADDRESS).expect("a code in the mail");
    assert!(!subject.contains(&code), "the subject, which the outbox keeps, has no code");

    let wrong = if code == "000000" { "000001" } else { "000000" };
    let answer = check_code(&mut store, application, ADDRESS, wrong, now);
    assert_eq!(answer, Err(CodeRefused::Wrong { tries_left: 4 }));
    assert_eq!(check_code(&mut store, application, ADDRESS, &code, now), Ok(()));
    let again = check_code(&mut store, application, ADDRESS, &code, now);
    assert_eq!(again, Err(CodeRefused::UsedUp), "a code is good once");

    let mails = queue(&data);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["state"], "sent");
    assert_eq!(mails[0]["recipient"], "c***@example.mo");
    assert_eq!(mails[0]["attempts"], 1);
    let mail = store.outbox().expect("outbox").pop().expect("mail");
    assert_eq!(mail.body, None, "the sent code's body is erased");
}

#[test]
fn five_wrong_codes_or_ten_minutes_end_a_code_sent_through_the_relay() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let smtp = Smtp::start(dir.path());
    write_config(&data, &smtp.url());
    let config = Config::load(&data).expect("config");
    let (mut store, application) = office(&data);
    let now = OffsetDateTime::now_utc();

    let sent = send_code(&mut store, &config, Language::ZhHans, application, ADDRESS, now);
    assert_eq!(sent.expect("code made"), CodeSent::Sent);
    let code = smtp.code_for(ADDRESS).expect("a code");
    let expired = now + kiosk::mail::CODE_VALIDITY;
    assert_eq!(
        check_code(&mut store, application, ADDRESS, &code, expired),
        Err(CodeRefused::Expired)
    );

    // A new code replaces it; five wrong ones end the new one too.
    let sent = send_code(&mut store, &config, Language::ZhHans, application, ADDRESS, expired);
    assert_eq!(sent.expect("code made"), CodeSent::Sent);
    let code = smtp.code_for(ADDRESS).expect("the new code");
    assert_eq!(smtp.messages().len(), 2);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for tries_left in (0..5).rev() {
        let answer = check_code(&mut store, application, ADDRESS, wrong, expired);
        assert_eq!(answer, Err(CodeRefused::Wrong { tries_left }));
    }
    let answer = check_code(&mut store, application, ADDRESS, &code, expired);
    assert_eq!(answer, Err(CodeRefused::UsedUp));
}

#[test]
fn a_code_queued_while_the_relay_is_down_is_sent_by_kiosk_mail_send_and_never_logged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let port = free_port();
    write_config(&data, &format!("smtp://127.0.0.1:{port}"));
    let config = Config::load(&data).expect("config");
    let (mut store, application) = office(&data);
    let now = OffsetDateTime::now_utc();

    let sent = send_code(&mut store, &config, Language::ZhHant, application, ADDRESS, now);
    let reason = QueuedReason::Unreachable;
    assert_eq!(sent.expect("code made"), CodeSent::Queued { reason });
    drop(store);
    let mails = queue(&data);
    assert_eq!(mails.len(), 1);
    assert_eq!(
        (&mails[0]["state"], &mails[0]["last_error"]),
        (&"waiting".into(), &"unreachable".into())
    );
    assert_eq!(mails[0]["attempts"], 1);

    // Its next try is a minute away; --all tries now, and the relay is still down.
    let out = kiosk(&data).args(["mail", "send"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("No mail is due"), "{}", stdout(&out));
    let out = kiosk(&data).args(["mail", "send", "--all"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("1 mail still waits in the outbox: the mail relay cannot be reached"),
        "{}",
        stderr(&out)
    );

    // The relay comes back where it was.
    let smtp = Smtp::start_on(dir.path(), port);
    let out = kiosk(&data)
        .args(["mail", "send", "--all"])
        .env("KIOSK_LOG", "trace")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 mail sent."), "{}", stdout(&out));
    let code = smtp.code_for(ADDRESS).expect("the code arrived");
    let mails = queue(&data);
    assert_eq!((&mails[0]["state"], mails[0]["attempts"].as_u64()), (&"sent".into(), Some(3)));

    // The code's text is gone from the store's file, and the logs never had it.
    let line = format!("é: {code}");
    assert!(!contains(&store_bytes(&data), &line), "the sent body left the store");
    let logs = logs(&data);
    assert!(logs.contains("mail sent"), "the send was logged: {logs}");
    for secret in [ADDRESS, "chan.taiman", &code] {
        assert!(!logs.contains(secret), "{secret} in the logs: {logs}");
    }

    let mut store = Store::open(&data.join("kiosk.db"), StoreOptions::default()).expect("store");
    assert_eq!(
        check_code(&mut store, application, ADDRESS, &code, OffsetDateTime::now_utc()),
        Ok(())
    );
}

#[test]
fn sigkill_after_the_outbox_write_and_before_the_send_loses_no_code() {
    let sender = binary("tests", "mail-sender");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    // A "relay" that takes the connection and never answers: the sender is then past the
    // outbox write and waiting on the relay when it is killed.
    let silent = TcpListener::bind("127.0.0.1:0").expect("listener");
    silent.set_nonblocking(true).expect("nonblocking");
    let port = silent.local_addr().expect("addr").port();
    write_config(&data, &format!("smtp://127.0.0.1:{port}"));
    let (store, application) = office(&data);
    drop(store);

    let mut child = Command::new(&sender)
        .arg(&data)
        .arg(application.to_string())
        .arg(ADDRESS)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sender starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    let _connection = loop {
        match silent.accept() {
            Ok((stream, _)) => break stream,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                if let Ok(Some(status)) = child.try_wait() {
                    let mut err = String::new();
                    if let Some(mut pipe) = child.stderr.take() {
                        let _ = std::io::Read::read_to_string(&mut pipe, &mut err);
                    }
                    panic!("the sender ended before it reached the relay: {status} {err}");
                }
                assert!(Instant::now() < deadline, "the sender never reached the relay");
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("accept: {e}"),
        }
    };
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let mails = queue(&data);
    assert_eq!(mails.len(), 1, "the mail was committed before the send");
    assert_eq!(mails[0]["state"], "waiting");

    let smtp = Smtp::start(dir.path());
    write_config(&data, &smtp.url());
    let out = kiosk(&data).args(["mail", "send", "--all"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let code = smtp.code_for(ADDRESS).expect("the code arrived after the crash");
    let mut store = Store::open(&data.join("kiosk.db"), StoreOptions::default()).expect("store");
    assert_eq!(
        check_code(&mut store, application, ADDRESS, &code, OffsetDateTime::now_utc()),
        Ok(())
    );
}
