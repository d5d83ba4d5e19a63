//! Reading a virtual passport in process (no PC/SC): BAC, secure messaging, the LDS files and
//! passive authentication, and what goes wrong. The same chip behind pcscd and vpcd is tested
//! end to end in the `tests` crate.

use card_readers::emrtd::pa::passive_authentication;
use card_readers::emrtd::reader::{ReadError, Transport, read_document};
use card_readers::emrtd::vcard::{TestPki, VirtualPassport, sample_face};
use card_readers::emrtd::{bac, lds};

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

struct Direct<'a>(&'a mut VirtualPassport);

impl Transport for Direct<'_> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, ReadError> {
        Ok(self.0.process(apdu))
    }
    fn extended_length(&self) -> bool {
        self.0.extended
    }
}

fn mrz_information() -> String {
    let mrz = registry::mrz::parse(MRZ, time::macros::date!(2026 - 11 - 21)).expect("mrz");
    bac::mrz_information(&mrz).expect("dates")
}

#[test]
fn dg1_and_dg2_are_read_and_pass_passive_authentication() {
    let pki = TestPki::new("UT").expect("pki");
    let face = sample_face(20_000);
    for extended in [true, false] {
        let mut card = VirtualPassport::new(&mrz_information(), pki.files(MRZ, &face));
        card.extended = extended;
        let doc = read_document(&mut Direct(&mut card), &mrz_information()).expect("read");
        assert_eq!(lds::dg1_mrz(&doc.dg1).expect("dg1"), MRZ);
        let (format, image) = lds::dg2_face(&doc.dg2).expect("dg2");
        assert_eq!(format, lds::ImageFormat::Jpeg);
        assert_eq!(image, face);
        let pa = passive_authentication(
            &[(1, &doc.dg1), (2, &doc.dg2)],
            &doc.sod,
            std::slice::from_ref(&pki.csca_der),
        );
        assert!(pa.passed, "{pa:?}");
        assert_eq!(pa.checks.len(), 4);
        if extended {
            // Select and one read per file, after select, challenge and authenticate.
            assert_eq!(doc.apdus, 11, "as few APDUs as the chip allows");
        } else {
            assert!(doc.apdus > 11);
        }
    }
}

#[test]
fn a_wrong_mrz_is_refused_as_access_denied() {
    let pki = TestPki::new("UT").expect("pki");
    let mut card = VirtualPassport::new(&mrz_information(), pki.files(MRZ, &sample_face(2_000)));
    let wrong = "L898902C3674081221204150"; // the expiry date's last digit changed
    let err = read_document(&mut Direct(&mut card), wrong).expect_err("refused");
    assert!(matches!(err, ReadError::AccessDenied), "{err:?}");
}

#[test]
fn a_tampered_dg2_fails_passive_authentication() {
    let pki = TestPki::new("UT").expect("pki");
    let mut files = pki.files(MRZ, &sample_face(5_000));
    let dg2 = files.get_mut(&lds::DG2).expect("dg2");
    let last = dg2.len() - 10;
    dg2[last] ^= 0x55;
    let mut card = VirtualPassport::new(&mrz_information(), files);
    let doc = read_document(&mut Direct(&mut card), &mrz_information()).expect("read");
    let pa = passive_authentication(
        &[(1, &doc.dg1), (2, &doc.dg2)],
        &doc.sod,
        std::slice::from_ref(&pki.csca_der),
    );
    assert!(!pa.passed);
    let hashes = pa.checks.iter().find(|c| c.check == "data_group_hashes").expect("check");
    assert!(!hashes.passed);
    assert!(hashes.detail.as_deref().unwrap_or_default().contains("DG2"));
    // The signature and the chain are still sound: only the data was changed.
    assert!(pa.checks.iter().filter(|c| c.check != "data_group_hashes").all(|c| c.passed));
}

#[test]
fn an_untrusted_csca_and_a_pace_only_chip_are_reported() {
    let pki = TestPki::new("UT").expect("pki");
    let other = TestPki::new("UT").expect("pki");
    let mut card = VirtualPassport::new(&mrz_information(), pki.files(MRZ, &sample_face(2_000)));
    let doc = read_document(&mut Direct(&mut card), &mrz_information()).expect("read");
    let pa = passive_authentication(
        &[(1, &doc.dg1), (2, &doc.dg2)],
        &doc.sod,
        std::slice::from_ref(&other.csca_der),
    );
    assert!(!pa.passed);
    let ds = pa.checks.iter().find(|c| c.check == "document_signer").expect("check");
    assert!(!ds.passed, "a CSCA of the same name but another key must not vouch: {pa:?}");

    let mut pace = VirtualPassport::new(&mrz_information(), pki.files(MRZ, &sample_face(2_000)));
    pace.pace_only = true;
    let err = read_document(&mut Direct(&mut pace), &mrz_information()).expect_err("pace only");
    assert!(matches!(err, ReadError::PaceOnly), "{err:?}");
}
