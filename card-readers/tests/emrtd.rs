//! Reading a virtual passport in process (no PC/SC): BAC, secure messaging, the LDS files and
//! passive authentication, and what goes wrong. The same chip behind pcscd and vpcd is tested
//! end to end in the `tests` crate.

use std::collections::HashMap;

use card_readers::emrtd::apdu::{Command, Response};
use card_readers::emrtd::pa::passive_authentication;
use card_readers::emrtd::reader::{ReadError, Transport, read_document};
use card_readers::emrtd::sm::{SmError, SmSession};
use card_readers::emrtd::vcard::{OverRead, TestPki, VirtualPassport, sample_face};
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

const OVER_READS: [OverRead; 3] =
    [OverRead::WarningWithoutMac, OverRead::WrongLength, OverRead::ExactLengthIs];

/// The APDUs a reading takes when no READ BINARY asks past the end of a file: select the
/// application, GET CHALLENGE, EXTERNAL AUTHENTICATE, then for each file a SELECT, a read of its
/// 4-byte header, and the rest in reads of at most `step` bytes.
fn expected_apdus(files: &HashMap<u16, Vec<u8>>, step: usize) -> u32 {
    let per_file = |len: usize| 2 + (len - 4).div_ceil(step) as u32;
    3 + [lds::EF_COM, lds::DG1, lds::DG2, lds::EF_SOD]
        .iter()
        .map(|fid| per_file(files[fid].len()))
        .sum::<u32>()
}

#[test]
fn dg1_and_dg2_are_read_and_pass_passive_authentication_from_chips_that_refuse_over_reads() {
    let pki = TestPki::new("UT").expect("pki");
    let face = sample_face(20_000);
    let files = pki.files(MRZ, &face);
    for over_read in OVER_READS {
        for extended in [true, false] {
            let case = format!("{over_read:?}, extended {extended}");
            let mut card = VirtualPassport::new(&mrz_information(), files.clone());
            card.extended = extended;
            card.over_read = over_read;
            let doc = read_document(&mut Direct(&mut card), &mrz_information())
                .unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(card.over_reads, 0, "{case}: never asks past the end of a file");
            assert_eq!(lds::dg1_mrz(&doc.dg1).expect("dg1"), MRZ);
            let (format, image) = lds::dg2_face(&doc.dg2).expect("dg2");
            assert_eq!(format, lds::ImageFormat::Jpeg);
            assert_eq!(image, face);
            let pa = passive_authentication(
                &[(1, &doc.dg1), (2, &doc.dg2)],
                &doc.sod,
                std::slice::from_ref(&pki.csca_der),
            );
            assert!(pa.passed, "{case}: {pa:?}");
            assert_eq!(pa.checks.len(), 4);
            let step = if extended { 0x7f00 } else { 0xdf };
            assert_eq!(doc.apdus, expected_apdus(&files, step), "{case}");
            if extended {
                // Each file whole in one read once its header is known.
                assert_eq!(doc.apdus, 15, "as few APDUs as the chip allows");
            }
        }
    }
}

fn exchange(card: &mut VirtualPassport, cmd: &Command) -> Response {
    Response::parse(&card.process(&cmd.to_bytes())).expect("a response with a status")
}

/// Opens a secure messaging session with `card` by BAC, as the reader does.
fn bac_session(card: &mut VirtualPassport) -> SmSession {
    let select = Command::new(0x00, 0xa4, 0x04, 0x0c).with_data(lds::AID.to_vec());
    assert!(exchange(card, &select).ok());
    let challenge = exchange(card, &Command::new(0x00, 0x84, 0x00, 0x00).with_le(8));
    let auth = bac::Authentication::new(
        bac::document_keys(&mrz_information()),
        challenge.data.try_into().expect("8 bytes"),
        [1; 8],
        [2; 16],
    );
    let external = Command::new(0x00, 0x82, 0x00, 0x00).with_data(auth.cryptogram()).with_le(40);
    auth.finish(&exchange(card, &external).data).expect("BAC")
}

/// The virtual chip refuses a read past the end of a file as the stricter chips do: that is
/// what makes the test above worth running.
#[test]
fn each_chip_refuses_a_read_past_the_end_of_a_file_its_own_way() {
    let pki = TestPki::new("UT").expect("pki");
    let files = pki.files(MRZ, &sample_face(2_000));
    let com_len = files[&lds::EF_COM].len();
    for over_read in OVER_READS {
        let mut card = VirtualPassport::new(&mrz_information(), files.clone());
        card.over_read = over_read;
        let mut sm = bac_session(&mut card);
        let select =
            Command::new(0x00, 0xa4, 0x02, 0x0c).with_data(lds::EF_COM.to_be_bytes().to_vec());
        let answer = exchange(&mut card, &sm.protect(&select));
        assert!(sm.unprotect(&answer).expect("select").ok());
        let exact = Command::new(0x00, 0xb0, 0x00, 0x00).with_le(com_len);
        let answer = exchange(&mut card, &sm.protect(&exact));
        let whole = sm.unprotect(&answer).expect("exact read");
        assert_eq!((whole.sw, whole.data.len()), (0x9000, com_len));

        let past_end = Command::new(0x00, 0xb0, 0x00, 0x00).with_le(com_len + 1);
        let answer = exchange(&mut card, &sm.protect(&past_end));
        match over_read {
            OverRead::WarningWithoutMac => {
                assert_eq!(answer.sw, 0x6282);
                assert_eq!(sm.unprotect(&answer), Err(SmError::Unprotected(0x6282)));
            }
            OverRead::WrongLength => {
                let opened = sm.unprotect(&answer).expect("protected");
                assert_eq!((opened.sw, opened.data.len()), (0x6700, 0));
            }
            OverRead::ExactLengthIs => {
                let opened = sm.unprotect(&answer).expect("protected");
                assert_eq!((opened.sw, opened.data.len()), (0x6c00 | com_len as u16, 0));
            }
        }
        assert_eq!(card.over_reads, 1, "{over_read:?}");
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
