//! What the visit tests share: the applicant on file and the passport they present (its MRZ, for
//! the virtual chip), the person's certificate issued by a test office CA onto a SoftHSM2 token
//! and dated due, the signed form's code read back from the printed PDF as a scanner reads it, and
//! the command-line tools (pkcs11-tool, openssl, poppler) the tests check results with.

use std::path::Path;
use std::process::{Command, Output};

use registry::model::{Certificate, IdDocument, IdDocumentKind, Person, RecordId, Sensitive};
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
