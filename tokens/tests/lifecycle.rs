//! The issuance lifecycle against real SoftHSM2 tokens, in process: what the counter's wizards
//! will call. `kiosk token …` is tested end to end in the `tests` crate.

use std::path::{Path, PathBuf};
use std::process::Command;

use registry::model::{
    Certificate, CertificateStatus, KeyMedium, RevocationReason, Seal, SealKind, SealStatus,
    SubjectDn, Token, TokenStatus,
};
use store::{Store, StoreOptions};
use tempfile::TempDir;
use tokens::ca::{self, OfficeCa};
use tokens::service::{Counter, IssueRequest, Renewal};
use tokens::softhsm::SoftHsm;
use tokens::{KeyKind, Module, Pin, Profile, TokenError};

const SO_PIN: &str = "87654321";
const PIN: &str = "123456";

struct Office {
    dir: TempDir,
    store: Store,
    module: Module,
    ca: OfficeCa,
}

fn label(prefix: &str) -> String {
    format!("{prefix}-{}", ulid::Ulid::new())
}

fn module() -> Module {
    SoftHsm::from_env().expect("softhsm config");
    Module::load(&SoftHsm::module()).expect("SoftHSM2 module (install softhsm2)")
}

fn office() -> Office {
    let dir = tempfile::tempdir().expect("tempdir");
    let module = module();
    let ca_label = label("ca");
    module.init_token(&ca_label, &Pin::new(SO_PIN), &Pin::new(PIN)).expect("CA token");
    ca::init(
        dir.path(),
        &module,
        &ca_label,
        &Pin::new(PIN),
        "Test Office",
        time::OffsetDateTime::now_utc(),
    )
    .expect("ca init");
    let ca = OfficeCa::open(dir.path(), &Pin::new(PIN)).expect("open ca");
    let store = Store::open(&dir.path().join("kiosk.db"), StoreOptions::default()).expect("store");
    Office { dir, store, module, ca }
}

fn blank_token(module: &Module) -> String {
    let name = label("key");
    module.init_token(&name, &Pin::new(SO_PIN), &Pin::new(PIN)).expect("token");
    name
}

fn person(cn: &str) -> SubjectDn {
    tokens::dn::parse(&format!("CN={cn},C=MO,serialNumber=1234567(8)")).expect("dn")
}

fn request(profile: Profile, subject: SubjectDn, key: KeyKind) -> IssueRequest {
    IssueRequest {
        profile,
        subject,
        validity_years: 2,
        key,
        holder_person: None,
        holder_organisation: None,
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// `openssl verify` with the root as the only trust anchor and the office CA as intermediate.
fn openssl_verify(office: &Office, der: &[u8]) -> (bool, String) {
    let dir = office.dir.path();
    let chain = office.ca.chain();
    let root = write(dir, "root.pem", ca::pem_chain(&chain[1..]).as_bytes());
    let sub = write(dir, "sub.pem", ca::pem_chain(&chain[..1]).as_bytes());
    let leaf = write(dir, "leaf.pem", ca::pem_chain(&[der.to_vec()]).as_bytes());
    let out = Command::new("openssl")
        .args(["verify", "-CAfile"])
        .arg(&root)
        .arg("-untrusted")
        .arg(&sub)
        .arg(&leaf)
        .output()
        .expect("openssl (install openssl)");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn public_key_of(der: &[u8]) -> Vec<u8> {
    use x509_parser::prelude::FromDer;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der).expect("cert");
    cert.public_key().raw.to_vec()
}

#[test]
fn issued_certificates_verify_against_the_office_ca_for_every_key_type() {
    let mut office = office();
    for key in [KeyKind::P256, KeyKind::Rsa2048, KeyKind::Rsa3072] {
        let label = blank_token(&office.module);
        let session = office.module.open(&label).expect("open");
        let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
        counter.login(&session, &Pin::new(PIN)).expect("login");
        let issued = counter
            .issue(&office.ca, &session, &request(Profile::QualifiedPerson, person("陳大文"), key))
            .expect("issue");
        // Read back over PKCS#11: the certificate sits beside its key, under the same id.
        let on_token = session.certificates().expect("certs");
        assert_eq!(on_token.len(), 1);
        assert_eq!(on_token[0].der, issued.der);
        assert_eq!(on_token[0].label, "陳大文");
        let pair = session.find_key_pair(&on_token[0].id).expect("find").expect("key pair");
        assert_eq!(pair.kind, key);
        // The key pair carries the certificate's label too.
        assert_eq!(issued.key, key.as_str());
        let (ok, output) = openssl_verify(&office, &on_token[0].der);
        assert!(ok, "{key:?}: {output}");
        // Recorded: the certificate, its token (now issued) and the audit trail.
        let record: Certificate =
            office.store.certificate_by_serial(&issued.serial).expect("get").expect("record");
        assert_eq!(record.status, CertificateStatus::Valid);
        let issuance = record.issuance.expect("issuance");
        assert_eq!(issuance.sha256, issued.sha256);
        assert_eq!(issuance.medium, KeyMedium::Token);
        assert_eq!(issuance.key_type, key.as_str());
        let token =
            office.store.token_by_serial(&session.info().serial).expect("get").expect("token");
        assert_eq!(token.status, TokenStatus::Issued);
        assert_eq!(record.token, Some(token.id));
    }
}

#[test]
fn renewal_keeps_or_changes_the_key_and_the_serial_always_changes() {
    let mut office = office();
    let label = blank_token(&office.module);
    let session = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    counter.login(&session, &Pin::new(PIN)).expect("login");
    let first = counter
        .issue(
            &office.ca,
            &session,
            &request(Profile::StandardPerson, person("Chan Tai Man"), KeyKind::P256),
        )
        .expect("issue");
    let same = counter.renew(&office.ca, &session, Renewal::SameKey, 3).expect("renew same key");
    assert_eq!(public_key_of(&same.der), public_key_of(&first.der));
    assert_ne!(same.serial, first.serial);
    assert_eq!(same.previous_serial.as_deref(), Some(first.serial.as_str()));
    // The old object gave way; the token shows one certificate, the new one.
    let ders: Vec<Vec<u8>> =
        session.certificates().expect("certs").into_iter().map(|c| c.der).collect();
    assert_eq!(ders, vec![same.der.clone()]);

    let new = counter.renew(&office.ca, &session, Renewal::NewKey, 1).expect("renew new key");
    assert_ne!(public_key_of(&new.der), public_key_of(&same.der));
    assert!(openssl_verify(&office, &new.der).0);
    // Renewal does not revoke: the old certificate stays in force until it expires.
    let old = office.store.certificate_by_serial(&same.serial).expect("get").expect("old");
    assert_eq!(old.status, CertificateStatus::Valid);
}

#[test]
fn wrong_pins_lock_the_token_until_the_so_unlocks_it() {
    let mut office = office();
    let label = blank_token(&office.module);
    let session = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    for tries_left in [2, 1] {
        match counter.login(&session, &Pin::new("000000")) {
            Err(TokenError::WrongPin { tries_left: left }) => assert_eq!(left, tries_left),
            other => panic!("expected a wrong PIN, got {other:?}"),
        }
    }
    assert!(matches!(counter.login(&session, &Pin::new("000000")), Err(TokenError::Locked)));
    // Locked means locked: even the right PIN is not tried, because SoftHSM2 would accept it.
    assert!(matches!(counter.login(&session, &Pin::new(PIN)), Err(TokenError::Locked)));
    // A wrong SO PIN does not unlock.
    assert!(matches!(
        counter.unlock(&session, &Pin::new("11111111"), &Pin::new("654321")),
        Err(TokenError::WrongSoPin)
    ));
    counter.unlock(&session, &Pin::new(SO_PIN), &Pin::new("654321")).expect("unlock");
    let reopened = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    assert!(matches!(
        counter.login(&reopened, &Pin::new(PIN)),
        Err(TokenError::WrongPin { tries_left: 2 })
    ));
    counter.login(&reopened, &Pin::new("654321")).expect("the new PIN works");
    let token = office.store.token_by_serial(&reopened.info().serial).expect("get").expect("token");
    assert_eq!(token.pin_failures, 0, "a good PIN clears the count");
}

#[test]
fn a_lost_token_is_never_unlocked_or_reissued() {
    let mut office = office();
    let label = blank_token(&office.module);
    let session = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    counter.login(&session, &Pin::new(PIN)).expect("login");
    counter
        .issue(
            &office.ca,
            &session,
            &request(Profile::StandardPerson, person("Lost Key"), KeyKind::P256),
        )
        .expect("issue");
    counter.report_serial(&session.info().serial, TokenStatus::Lost).expect("report lost");
    assert!(matches!(counter.login(&session, &Pin::new(PIN)), Err(TokenError::Lost)));
    assert!(matches!(
        counter.issue(
            &office.ca,
            &session,
            &request(Profile::StandardPerson, person("Again"), KeyKind::P256)
        ),
        Err(TokenError::Lost)
    ));
    assert!(matches!(
        counter.unlock(&session, &Pin::new(SO_PIN), &Pin::new("654321")),
        Err(TokenError::Lost)
    ));
    assert!(counter.report_serial(&session.info().serial, TokenStatus::Blank).is_err());
}

#[test]
fn revoked_serials_appear_in_a_crl_openssl_accepts() {
    let mut office = office();
    let label = blank_token(&office.module);
    let session = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    counter.login(&session, &Pin::new(PIN)).expect("login");
    let kept = counter
        .issue(
            &office.ca,
            &session,
            &request(Profile::EncryptionPerson, person("Kept"), KeyKind::Rsa2048),
        )
        .expect("issue");
    let gone = counter
        .issue(
            &office.ca,
            &session,
            &request(Profile::StandardPerson, person("Gone"), KeyKind::P256),
        )
        .expect("issue");
    counter.revoke(&gone.serial, RevocationReason::KeyCompromise).expect("revoke");
    assert!(matches!(
        counter.revoke(&gone.serial, RevocationReason::Superseded),
        Err(TokenError::Lifecycle(_))
    ));
    let (crl, count) = counter.crl(&office.ca).expect("crl");
    assert_eq!(count, 1);
    let dir = office.dir.path();
    let crl_path = write(dir, "office.crl", &crl);
    let sub = write(dir, "sub.pem", ca::pem_chain(&office.ca.chain()[..1]).as_bytes());
    let out = Command::new("openssl")
        .args(["crl", "-inform", "DER", "-noout", "-text", "-in"])
        .arg(&crl_path)
        .arg("-CAfile")
        .arg(&sub)
        .output()
        .expect("openssl");
    let text = String::from_utf8_lossy(&out.stdout).to_uppercase();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("verify OK"), "openssl crl did not verify the signature: {err}");
    assert!(text.contains(&gone.serial.to_uppercase()), "{text}");
    assert!(!text.contains(&kept.serial.to_uppercase()));
    assert!(text.contains("KEY COMPROMISE"), "{text}");
}

#[test]
fn a_change_of_details_moves_the_seals_and_revokes_the_old_certificate() {
    let mut office = office();
    let label = blank_token(&office.module);
    let session = office.module.open(&label).expect("open");
    let org_dn = tokens::dn::parse("CN=澳門測試有限公司,O=澳門測試有限公司,C=MO").expect("dn");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    counter.login(&session, &Pin::new(PIN)).expect("login");
    let mut req = request(Profile::StandardOrganisation, org_dn, KeyKind::P256);
    req.holder_organisation = Some(ulid::Ulid::new());
    let old = counter.issue(&office.ca, &session, &req).expect("issue");
    let seal = Seal {
        id: ulid::Ulid::new(),
        organisation: req.holder_organisation.expect("org"),
        seal_kind: SealKind::Organisation,
        name: "公章".into(),
        certificate: Some(old.certificate),
        status: SealStatus::Active,
    };
    counter.store.put(None, &seal).expect("seal");
    let renamed = tokens::dn::parse("CN=澳門新名有限公司,O=澳門新名有限公司,C=MO").expect("dn");
    let new = counter.change(&office.ca, &session, renamed, 2).expect("change");
    let old_record = office.store.certificate_by_serial(&old.serial).expect("get").expect("old");
    assert_eq!(old_record.status, CertificateStatus::Revoked);
    let seal: Seal = office.store.get(seal.id).expect("get").expect("seal");
    assert_eq!(seal.certificate, Some(new.certificate), "the seal follows the new certificate");
    assert_eq!(seal.status, SealStatus::Active);
    let on_token: Vec<Vec<u8>> =
        session.certificates().expect("certs").into_iter().map(|c| c.der).collect();
    assert_eq!(on_token, vec![new.der]);
}

#[test]
fn replacement_revokes_the_old_certificate_and_issues_onto_the_new_token() {
    let mut office = office();
    let old_label = blank_token(&office.module);
    let new_label = blank_token(&office.module);
    let old_session = office.module.open(&old_label).expect("open");
    let new_session = office.module.open(&new_label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    counter.login(&old_session, &Pin::new(PIN)).expect("login");
    let old = counter
        .issue(
            &office.ca,
            &old_session,
            &request(Profile::QualifiedPerson, person("Replace Me"), KeyKind::P256),
        )
        .expect("issue");
    counter.login(&new_session, &Pin::new(PIN)).expect("login");
    let new = counter
        .replace(&office.ca, &old.serial, TokenStatus::Lost, &new_session, 2)
        .expect("replace");
    assert_ne!(public_key_of(&new.der), public_key_of(&old.der));
    let old_record = office.store.certificate_by_serial(&old.serial).expect("get").expect("old");
    assert_eq!(old_record.status, CertificateStatus::Revoked);
    assert_eq!(old_record.revocation.expect("revocation").reason, RevocationReason::KeyCompromise);
    let old_token: Token =
        office.store.token_by_serial(&old_session.info().serial).expect("get").expect("t");
    assert_eq!(old_token.status, TokenStatus::Lost);
    assert!(openssl_verify(&office, &new.der).0);
}

#[test]
fn pin_change_needs_the_old_pin_and_follows_the_rules() {
    let mut office = office();
    let label = blank_token(&office.module);
    let session = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    assert!(matches!(
        counter.change_pin(&session, &Pin::new(PIN), &Pin::new("12ab")),
        Err(TokenError::PinRules(_))
    ));
    assert!(matches!(
        counter.change_pin(&session, &Pin::new("999999"), &Pin::new("222222")),
        Err(TokenError::WrongPin { .. })
    ));
    counter.change_pin(&session, &Pin::new(PIN), &Pin::new("222222")).expect("change");
    let again = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    counter.login(&again, &Pin::new("222222")).expect("new PIN works");
}

#[test]
fn a_token_from_stock_is_opened_with_the_stock_pin_and_leaves_with_the_holders_own() {
    let mut office = office();
    let label = blank_token(&office.module);
    let session = office.module.open(&label).expect("open");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    // A wrong stock PIN is the office's mistake: said as such, and never counted, however
    // often it is tried.
    for _ in 0..4 {
        assert!(matches!(
            counter.login_stock(&session, &Pin::new("000000")),
            Err(TokenError::WrongStockPin)
        ));
    }
    let token = counter.token_record(session.info()).expect("record");
    assert_eq!(token.pin_failures, 0, "wrong stock PINs are not the holder's");
    counter.login_stock(&session, &Pin::new(PIN)).expect("the stock PIN opens it");
    let issued = counter
        .issue(
            &office.ca,
            &session,
            &request(Profile::QualifiedPerson, person("Stock"), KeyKind::P256),
        )
        .expect("issue");
    counter.change_pin(&session, &Pin::new(PIN), &Pin::new("482913")).expect("holder's PIN");
    session.logout();
    // Issued now: the stock PIN is for blank tokens only.
    assert!(matches!(
        counter.login_stock(&session, &Pin::new(PIN)),
        Err(TokenError::NotUsable(TokenStatus::Issued))
    ));
    let again = office.module.open(&label).expect("open");
    assert!(matches!(counter.login(&again, &Pin::new(PIN)), Err(TokenError::WrongPin { .. })));
    counter.login(&again, &Pin::new("482913")).expect("the holder's PIN opens it");
    assert_eq!(counter.current_certificate(&again).expect("on the token").serial, issued.serial);
}

#[test]
fn a_soft_token_is_a_pkcs12_file_openssl_opens_with_its_password() {
    let mut office = office();
    let path = office.dir.path().join("holder.p12");
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    let qualified = request(Profile::QualifiedPerson, person("Soft"), KeyKind::P256);
    assert!(matches!(
        tokens::soft::issue_pkcs12(
            &mut counter,
            &office.ca,
            &qualified,
            &Pin::new("Secret123"),
            &path
        ),
        Err(TokenError::SoftNotAllowed(_))
    ));
    let standard = request(Profile::StandardPerson, person("Soft"), KeyKind::P256);
    assert!(matches!(
        tokens::soft::issue_pkcs12(&mut counter, &office.ca, &standard, &Pin::new("short"), &path),
        Err(TokenError::PinRules(_))
    ));
    let issued = tokens::soft::issue_pkcs12(
        &mut counter,
        &office.ca,
        &standard,
        &Pin::new("Secret123"),
        &path,
    )
    .expect("pkcs12");
    let open = |password: &str| {
        Command::new("openssl")
            .args(["pkcs12", "-in"])
            .arg(&path)
            .args(["-nokeys", "-passin", &format!("pass:{password}")])
            .output()
            .expect("openssl")
    };
    let out = open("Secret123");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).expect("the file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "a file holding a private key is its owner's alone");
    let certs = ca::read_pem_chain(&out.stdout).expect("certs in the file");
    assert!(certs.contains(&issued.der));
    assert!(!open("Wrong123").status.success(), "a wrong password must not open the file");
    let record = office.store.certificate_by_serial(&issued.serial).expect("get").expect("record");
    assert_eq!(record.issuance.expect("issuance").medium, KeyMedium::Pkcs12);
    assert_eq!(record.token, None);
}

#[test]
fn a_token_is_initialised_only_with_a_pin_the_rule_accepts() {
    let module = module();
    let name = label("stock");
    let stock = |module: &Module| module.tokens().expect("tokens").iter().any(|t| t.label == name);
    for bad in ["abcd", "12345", "1234567", "12345a"] {
        assert!(
            matches!(
                module.init_token(&name, &Pin::new(SO_PIN), &Pin::new(bad)),
                Err(TokenError::PinRules(_))
            ),
            "{bad}"
        );
        assert!(!stock(&module), "{bad}: the refused PIN left the token in stock");
    }
    module.init_token(&name, &Pin::new(SO_PIN), &Pin::new(PIN)).expect("a 6-digit PIN");
    assert!(stock(&module));
}

/// Makes the store in `dir` refuse to record revocations, as a full disk or a locked file would.
fn refuse_revocations(dir: &Path, refuse: bool) {
    let conn = rusqlite::Connection::open(dir.join("kiosk.db")).expect("store");
    conn.busy_timeout(std::time::Duration::from_secs(5)).expect("busy timeout");
    conn.execute_batch(if refuse {
        "CREATE TRIGGER refuse_revocations BEFORE UPDATE OF status ON certificate_index
         WHEN NEW.status = 'revoked' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END;"
    } else {
        "DROP TRIGGER refuse_revocations;"
    })
    .expect("trigger");
}

/// Issues a soft-token certificate into a PKCS#12 file in a folder of `dir` that does not
/// exist: the CA signs and the counter records, then the file cannot be written.
fn issue_into_a_missing_folder(counter: &mut Counter<'_>, ca: &OfficeCa, dir: &Path) -> TokenError {
    let path = dir.join("no-such-folder").join("holder.p12");
    let request = request(Profile::StandardPerson, person("Never Delivered"), KeyKind::P256);
    tokens::soft::issue_pkcs12(counter, ca, &request, &Pin::new("Secret123"), &path)
        .expect_err("the file cannot be written")
}

#[test]
fn a_certificate_that_cannot_be_delivered_is_revoked_and_never_in_force() {
    let mut office = office();
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    let err = issue_into_a_missing_folder(&mut counter, &office.ca, office.dir.path());
    let TokenError::NotDelivered { serial, cause } = err else { panic!("{err:?}") };
    assert!(matches!(*cause, TokenError::Io(_)), "{cause:?}");
    let record = counter.store.certificate_by_serial(&serial).expect("get").expect("recorded");
    assert_eq!(record.status, CertificateStatus::Revoked);
    assert_eq!(
        record.revocation.expect("revocation").reason,
        RevocationReason::CessationOfOperation
    );
    let (_, listed) = counter.crl(&office.ca).expect("crl");
    assert_eq!(listed, 1);
    assert!(office.ca.deliveries().pending().expect("pending").is_empty(), "nothing left to do");
}

#[test]
fn a_revocation_the_store_refuses_stays_pending_and_the_next_run_completes_it() {
    let mut office = office();
    refuse_revocations(office.dir.path(), true);
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    let err = issue_into_a_missing_folder(&mut counter, &office.ca, office.dir.path());
    // The error says both: why the issuance failed, and that its certificate is not revoked.
    let TokenError::RevocationPending { serial, cause, revocation } = err else {
        panic!("{err:?}")
    };
    assert!(matches!(*cause, TokenError::Io(_)), "{cause:?}");
    assert!(revocation.to_string().contains("the disk is full"), "{revocation}");
    // Not in force meanwhile: on hold, and shown as pending.
    let record = counter.store.certificate_by_serial(&serial).expect("get").expect("recorded");
    assert_eq!(record.status, CertificateStatus::Suspended);
    assert_eq!(office.ca.deliveries().pending().expect("pending"), std::slice::from_ref(&serial));
    // No CRL is made that leaves it out.
    assert!(counter.crl(&office.ca).is_err());
    assert_eq!(
        office.ca.deliveries().pending().expect("still pending"),
        std::slice::from_ref(&serial)
    );

    refuse_revocations(office.dir.path(), false);
    let revoked = counter.finish_interrupted(office.ca.deliveries()).expect("finish");
    assert_eq!(revoked, std::slice::from_ref(&serial));
    let record = counter.store.certificate_by_serial(&serial).expect("get").expect("recorded");
    assert_eq!(record.status, CertificateStatus::Revoked);
    assert!(office.ca.deliveries().pending().expect("pending").is_empty());
    assert!(counter.finish_interrupted(office.ca.deliveries()).expect("again").is_empty());
    let (_, listed) = counter.crl(&office.ca).expect("crl");
    assert_eq!(listed, 1);
}

#[test]
fn pin_tries_below_the_minimum_are_refused() {
    let mut store = Store::open_in_memory(StoreOptions::default()).expect("store");
    for tries in 0..tokens::service::MIN_PIN_TRIES {
        match Counter::new(&mut store, None, tries) {
            Err(TokenError::PinTries { min: 3, found }) => assert_eq!(found, tries),
            other => panic!("{tries}: {other:?}"),
        }
    }
    let counter = Counter::new(&mut store, None, tokens::service::MIN_PIN_TRIES).expect("3");
    assert_eq!(counter.pin_tries(), 3);
}

#[test]
fn a_delivered_certificate_suspended_later_is_not_revoked_for_a_leftover_file() {
    let mut office = office();
    let mut counter = Counter::new(&mut office.store, None, 3).expect("counter");
    let standard = request(Profile::StandardPerson, person("Delivered"), KeyKind::P256);
    let path = office.dir.path().join("holder.p12");
    let issued = tokens::soft::issue_pkcs12(
        &mut counter,
        &office.ca,
        &standard,
        &Pin::new("Secret123"),
        &path,
    )
    .expect("pkcs12");
    // The issuance's file was left behind (it could not be removed), and since then someone
    // suspended the certificate, which had been in force.
    let issuing = office.dir.path().join("ca").join("issuing");
    std::fs::create_dir_all(&issuing).expect("mkdir");
    std::fs::write(issuing.join(format!("{}.lock", issued.serial)), b"").expect("leftover");
    let mut record: Certificate =
        counter.store.get(issued.certificate).expect("get").expect("recorded");
    assert_eq!(record.status, CertificateStatus::Valid);
    record.status = CertificateStatus::Suspended;
    counter.store.put(None, &record).expect("suspend");

    let revoked = counter.finish_interrupted(office.ca.deliveries()).expect("finish");
    assert!(revoked.is_empty(), "{revoked:?}");
    let record: Certificate = counter.store.get(issued.certificate).expect("get").expect("kept");
    assert_eq!(record.status, CertificateStatus::Suspended, "the suspension stands");
    assert!(office.ca.deliveries().pending().expect("pending").is_empty(), "the file is gone");
}

#[test]
fn tokens_that_share_a_label_are_opened_by_their_serial() {
    // Tokens of one vendor often come with one label: the counter opens the one it chose.
    let module = module();
    let shared = label("v");
    module.init_token(&shared, &Pin::new(SO_PIN), &Pin::new(PIN)).expect("first token");
    module.init_token(&shared, &Pin::new(SO_PIN), &Pin::new("654321")).expect("second token");
    let twins: Vec<_> =
        module.tokens().expect("tokens").into_iter().filter(|t| t.label == shared).collect();
    assert_eq!(twins.len(), 2, "two tokens, one label");
    for twin in &twins {
        let session = module.open_serial(&twin.serial).expect("opened by serial");
        assert_eq!(session.info().serial, twin.serial);
    }
    let unknown = module.open_serial("no-such-serial").map(|_| ()).unwrap_err();
    assert!(matches!(unknown, TokenError::NoToken(_)), "{unknown:?}");
}
