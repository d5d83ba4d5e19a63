//! What the visit tests share: the applicant on file and the passport they present (its MRZ, for
//! the virtual chip), the person's certificate issued by a test office CA onto a SoftHSM2 token
//! and dated due, the signed form's code read back from the printed PDF as a scanner reads it, and
//! the command-line tools (pkcs11-tool, openssl, poppler) the tests check results with.

use std::path::Path;
use std::process::{Command, Output};

use registry::model::{
    Certificate, Clerk, IdDocument, IdDocumentKind, MemberRole, Membership, Organisation,
    OrganisationRegistration, Person, RecordId, RegistrationKind, Sensitive, StaffRole,
};
use time::{Duration, OffsetDateTime};
use tokens::softhsm::{MODULE, SoftHsm};
use tokens::{Module, Pin};

use crate::stderr;

pub const SO_PIN: &str = "87654321";
/// The holder token's user PIN.
pub const PIN: &str = "123456";
/// The office CA token's PIN: the counter reads it from `KIOSK_CA_PIN`.
pub const CA_PIN: &str = "246824";

/// A TD3 passport MRZ issued by Macau, with its check digits.
pub fn td3(surname: &str, given: &str, number: &str, birth: &str, expiry: &str) -> String {
    let cd = |s: &str| registry::mrz::check_digit(s).expect("check digit");
    let pad = |s: &str, n: usize| format!("{s:<<n$}");
    let name = pad(&format!("{}<<{}", surname.replace(' ', "<"), given.replace(' ', "<")), 39);
    let number = pad(number, 9);
    let optional = pad("", 14);
    let checked = format!(
        "{number}{}{birth}{}{expiry}{}{optional}{}",
        cd(&number),
        cd(birth),
        cd(expiry),
        cd(&optional)
    );
    let line2 = format!(
        "{number}{}CHN{birth}{}M{expiry}{}{optional}{}{}",
        cd(&number),
        cd(birth),
        cd(expiry),
        cd(&optional),
        cd(&checked)
    );
    format!("P<MAC{name}\n{line2}")
}

/// The MRZ of the person on file ([`chan`]): the passport the applicant presents.
pub fn chans_mrz() -> String {
    td3("CHAN", "TAI MAN", "MA1234567", "800517", "310630")
}

/// The MRZ information that opens a chip with BAC (document number, birth and expiry dates).
pub fn mrz_information(mrz: &str) -> String {
    let parsed = registry::mrz::parse(mrz, OffsetDateTime::now_utc().date()).expect("mrz");
    card_readers::emrtd::bac::mrz_information(&parsed).expect("dates")
}

/// 澳門貿易有限公司, a Macau company on file.
pub fn trading_company() -> Organisation {
    Organisation {
        id: ulid::Ulid::new(),
        name_zh: Some("澳門貿易有限公司".into()),
        name_latin: None,
        registration: OrganisationRegistration {
            kind: RegistrationKind::MacauCommercialRegistry,
            number: "SO-12345".into(),
        },
        legal_representative: None,
        licence_valid_until: None,
        address: None,
        phone: None,
        website: None,
    }
}

/// [`trading_company`] and `person` its employee: whose certificate a new organisation
/// certificate is, asked for by its agent.
pub fn trading_company_employing(person: RecordId) -> (Organisation, Membership) {
    let org = trading_company();
    let membership = Membership {
        id: ulid::Ulid::new(),
        organisation: org.id,
        person,
        role: MemberRole::Employee,
        ended: None,
    };
    (org, membership)
}

/// A staff account on file for tests that write the store directly (no password or one-time
/// code set: it signs nothing in, it only acts and approves).
pub fn staff(username: &str, role: StaffRole) -> Clerk {
    Clerk {
        id: ulid::Ulid::new(),
        username: username.into(),
        display_name: username.into(),
        role,
        password_hash: "$argon2id$unused".into(),
        active: true,
        totp_secret: None,
        totp_period: registry::totp::DEFAULT_PERIOD,
    }
}

/// 陳大文, whose record matches [`chans_mrz`].
pub fn chan() -> Person {
    Person {
        id: ulid::Ulid::new(),
        name_zh: Some("陳大文".into()),
        name_latin: Some("CHAN TAI MAN".into()),
        id_document: IdDocument {
            kind: IdDocumentKind::Passport,
            number: Sensitive::new("MA1234567"),
            issuing_state: Some("MAC".into()),
            expiry: Some(time::macros::date!(2031 - 06 - 30)),
        },
        nationality: Some("CHN".into()),
        birth_date: Some(time::macros::date!(1980 - 05 - 17)),
        sex: None,
        phone: None,
        email: Some("chan@example.mo".into()),
        photo: None,
    }
}

/// Runs a tool of the test machine in `dir`.
pub fn tool(program: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (install it with scripts/deps.sh test): {e}"))
}

/// pkcs11-tool on SoftHSM2's module; fails the test if it fails.
pub fn pkcs11_tool(args: &[&str], dir: &Path) -> Output {
    let out = tool("pkcs11-tool", &[&["--module", MODULE][..], args].concat(), dir);
    assert!(out.status.success(), "pkcs11-tool: {}", stderr(&out));
    out
}

/// The form code printed on the first page of `pdf`, read back as a scanner would (the page
/// rendered at 150 dpi by pdftoppm, the code decoded by zbar). `dir` receives the page image.
pub fn form_code_of(pdf: &Path, dir: &Path) -> String {
    let base = dir.join("signed-form");
    let out = tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().expect("utf-8"),
            base.to_str().expect("utf-8"),
        ],
        dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let png = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "png")
                && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("signed-form"))
        })
        .expect("page image");
    let payloads = card_readers::qr::decode_file(&png).expect("decode");
    assert_eq!(payloads.len(), 1, "one code on the form");
    String::from_utf8(payloads[0].clone()).expect("utf-8")
}

/// A token label no other test uses.
pub fn label(prefix: &str) -> String {
    format!("{prefix}-{}", ulid::Ulid::new())
}

/// An office CA on a SoftHSM2 token of its own (its configuration in `data_dir`), and `holder`'s
/// certificate issued by it onto their token, then dated due for renewal (20 days left).
/// Returns the holder token's label and the certificate's id.
pub fn certificate_on_a_token(
    data_dir: &Path,
    store: &mut store::Store,
    holder: RecordId,
) -> (String, RecordId) {
    SoftHsm::from_env().expect("softhsm config");
    let module = Module::load(&SoftHsm::module()).expect("SoftHSM2 module (install softhsm2)");
    let ca_label = label("ca");
    module.init_token(&ca_label, &Pin::new(SO_PIN), &Pin::new(CA_PIN)).expect("CA token");
    let now = OffsetDateTime::now_utc();
    tokens::ca::init(data_dir, &module, &ca_label, &Pin::new(CA_PIN), "Test Office", now)
        .expect("ca init");
    let token_label = label("hd");
    module.init_token(&token_label, &Pin::new(SO_PIN), &Pin::new(PIN)).expect("holder token");
    let ca = tokens::ca::OfficeCa::open(data_dir, &Pin::new(CA_PIN)).expect("open ca");
    let session = module.open(&token_label).expect("session");
    let mut counter =
        tokens::service::Counter::new(store, None, tokens::service::DEFAULT_PIN_TRIES)
            .expect("counter");
    counter.login(&session, &Pin::new(PIN)).expect("login");
    let request = tokens::service::IssueRequest {
        profile: tokens::Profile::parse("qualified-person").expect("profile"),
        subject: tokens::dn::parse("CN=陳大文,C=MO,serialNumber=1234567(8)").expect("dn"),
        validity_years: 2,
        key: tokens::KeyKind::P256,
        holder_person: Some(holder),
        holder_organisation: None,
    };
    let issued = counter.issue(&ca, &session, &request).expect("issued");
    session.logout();
    // Two years have nearly gone by: the certificate is due.
    let mut cert: Certificate = store.get(issued.certificate).expect("read").expect("record");
    cert.not_after = Some(now + Duration::days(20));
    store.put(None, &cert).expect("due");
    (token_label, issued.certificate)
}

/// The label of the office CA's token in an office's own SoftHSM2 (see [`office_hsm`]).
pub const CA_LABEL: &str = "office-ca";

/// A SoftHSM2 of the office's own under `dir` (so the only tokens plugged in are the ones the
/// test puts there), with the office CA on its own token, made by `kiosk ca init` into
/// `data_dir`. Every process that loads the module gets `SOFTHSM2_CONF` from [`in_hsm`].
pub fn office_hsm(dir: &Path, data_dir: &Path) -> SoftHsm {
    let hsm = SoftHsm::create(&dir.join("hsm")).expect("softhsm config");
    hsm.init_token(CA_LABEL, SO_PIN, CA_PIN).expect("the office CA's token");
    let mut init = crate::kiosk(data_dir);
    in_hsm(&mut init, &hsm).env("KIOSK_CA_PIN", CA_PIN);
    init.args(["ca", "init", "--module", MODULE, "--token-label", CA_LABEL, "--out-cert"]);
    init.arg(dir.join("office-chain.pem"));
    let out = init.output().expect("kiosk ca init runs");
    assert!(out.status.success(), "kiosk ca init: {}", stderr(&out));
    hsm
}

/// `cmd` loading SoftHSM2 sees `hsm`'s tokens.
pub fn in_hsm<'a>(cmd: &'a mut Command, hsm: &SoftHsm) -> &'a mut Command {
    cmd.env("SOFTHSM2_CONF", &hsm.conf)
}

/// pkcs11-tool on `hsm`'s tokens, in `dir`.
pub fn pkcs11_tool_in(hsm: &SoftHsm, args: &[&str], dir: &Path) -> Output {
    let mut cmd = Command::new("pkcs11-tool");
    in_hsm(&mut cmd, hsm).arg("--module").arg(MODULE).args(args).current_dir(dir);
    cmd.output().unwrap_or_else(|e| panic!("pkcs11-tool runs (scripts/deps.sh test): {e}"))
}

/// A holder's certificate issued onto a new token `label` of `hsm` by `kiosk token issue`, as
/// the person's (`holder`): the token enters the inventory as issued. Answers the serial.
pub fn issued_with_kiosk(data_dir: &Path, hsm: &SoftHsm, label: &str, holder: RecordId) -> String {
    hsm.init_token(label, SO_PIN, PIN).expect("the holder's token");
    let mut issue = crate::kiosk(data_dir);
    in_hsm(&mut issue, hsm).env("KIOSK_CA_PIN", CA_PIN);
    issue.args(["token", "issue", "--module", MODULE, "--token-label", label, "--pin", PIN]);
    issue.args([
        "--profile",
        "qualified-person",
        "--subject",
        "CN=陳大文,C=MO,serialNumber=MA1234567",
    ]);
    issue.args(["--validity-years", "2", "--key", "p256", "--holder", &holder.to_string()]);
    let out = issue.output().expect("kiosk token issue runs");
    assert!(out.status.success(), "kiosk token issue: {}", stderr(&out));
    let issued: serde_json::Value =
        serde_json::from_str(crate::stdout(&out).trim()).expect("one JSON object");
    issued["serial"].as_str().expect("a serial").to_owned()
}

/// The certificate object labelled `cert_label` on token `label`, read back by pkcs11-tool into
/// `dir/file`, converted to PEM (`dir/file.pem`) and verified by openssl against the office
/// CA's chain in `data_dir`. Answers the certificate as `openssl x509 -text` prints it (UTF-8
/// names).
pub fn verified_on_token(
    hsm: &SoftHsm,
    data_dir: &Path,
    label: &str,
    cert_label: &str,
    file: &str,
    dir: &Path,
) -> String {
    let read = [
        "--token-label",
        label,
        "--read-object",
        "--type",
        "cert",
        "--label",
        cert_label,
        "-o",
        file,
    ];
    let out = pkcs11_tool_in(hsm, &read, dir);
    assert!(out.status.success(), "pkcs11-tool read: {}", stderr(&out));
    let config = tokens::ca::CaConfig::load(data_dir).expect("ca config");
    let chain = std::fs::read(data_dir.join("ca").join(&config.chain)).expect("chain");
    let certs = tokens::ca::read_pem_chain(&chain).expect("pem");
    std::fs::write(dir.join("sub.pem"), tokens::ca::pem_chain(&certs[..1])).expect("sub");
    std::fs::write(dir.join("root.pem"), tokens::ca::pem_chain(&certs[1..])).expect("root");
    let pem = format!("{file}.pem");
    let out = tool("openssl", &["x509", "-inform", "DER", "-in", file, "-out", &pem], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let verify =
        tool("openssl", &["verify", "-CAfile", "root.pem", "-untrusted", "sub.pem", &pem], dir);
    assert!(verify.status.success(), "{}{}", crate::stdout(&verify), stderr(&verify));
    let text = tool(
        "openssl",
        &["x509", "-in", &pem, "-noout", "-serial", "-subject", "-nameopt", "utf8,sep_comma_plus"],
        dir,
    );
    assert!(text.status.success(), "{}", stderr(&text));
    crate::stdout(&text)
}
