//! The virtual passport behind the real PC/SC stack: pcsc crate → pcscd → vpcd → our chip.

use card_readers::emrtd::pa::passive_authentication;
use card_readers::emrtd::pcsc::{PcscCard, readers};
use card_readers::emrtd::reader::{Document, ReadError, read_document};
use card_readers::emrtd::vcard::{OverRead, TestPki, VirtualPassport, insert, pcscd, sample_face};
use card_readers::emrtd::{bac, lds};

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn mrz_information() -> String {
    let mrz = registry::mrz::parse(MRZ, time::macros::date!(2026 - 11 - 21)).expect("mrz");
    bac::mrz_information(&mrz).expect("dates")
}

/// The chip's MRZ and face came out whole, and passive authentication passes on them.
fn assert_read_whole(doc: &Document, pki: &TestPki, face: &[u8]) {
    assert_eq!(lds::dg1_mrz(&doc.dg1).expect("dg1"), MRZ);
    assert_eq!(lds::dg2_face(&doc.dg2).expect("dg2").1, face);
    let pa = passive_authentication(
        &[(1, &doc.dg1), (2, &doc.dg2)],
        &doc.sod,
        std::slice::from_ref(&pki.csca_der),
    );
    assert!(pa.passed, "{pa:?}");
}

#[test]
fn a_passport_is_read_through_pcscd_with_bac_and_secure_messaging() {
    let _pcscd = pcscd().expect("pcscd with vpcd");
    let pki = TestPki::new("UT").expect("pki");
    let face = sample_face(20_000);
    let card = VirtualPassport::new(&mrz_information(), pki.files(MRZ, &face));
    let inserted = insert(card).expect("card in");
    let listed = readers().expect("readers");
    assert!(listed.iter().any(|r| r.name.ends_with("00 00") && r.card_present), "{listed:?}");
    assert!(listed.iter().any(|r| r.name.ends_with("00 01") && !r.card_present), "{listed:?}");

    let mut chip = PcscCard::connect(None).expect("connect");
    assert!(chip.reader().ends_with("00 00"));
    assert_eq!(chip.atr(), VirtualPassport::new("", Default::default()).atr(), "the chip's ATR");
    let doc = read_document(&mut chip, &mrz_information()).expect("read");
    assert_read_whole(&doc, &pki, &face);
    // Select, challenge, authenticate; then each file's select, header and the rest.
    assert_eq!(doc.apdus, 15);

    // A wrong MRZ is refused by the chip.
    let mut chip = PcscCard::connect(None).expect("connect");
    let err = read_document(&mut chip, "L898902C3674081221204150").expect_err("refused");
    assert!(matches!(err, ReadError::AccessDenied), "{err:?}");

    drop(inserted);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match PcscCard::connect(None) {
            Err(ReadError::NoCard) => break,
            _ if std::time::Instant::now() > deadline => panic!("the card never left the reader"),
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

#[test]
fn a_card_can_be_taken_out_and_another_put_in() {
    let _pcscd = pcscd().expect("pcscd with vpcd");
    let pki = TestPki::new("UT").expect("pki");
    for round in 0..3 {
        let card = VirtualPassport::new(&mrz_information(), pki.files(MRZ, &sample_face(1_000)));
        let inserted = insert(card).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let mut chip = PcscCard::connect(None).expect("connect");
        read_document(&mut chip, &mrz_information()).expect("read");
        let mut chip = PcscCard::connect(None).expect("connect");
        assert!(read_document(&mut chip, "L898902C3674081221204150").is_err());
        drop(chip);
        drop(inserted);
    }
}

/// Chips that refuse reads past the end of a file, each its own way, read whole through the
/// real stack with short and with extended APDUs.
#[test]
fn chips_that_refuse_over_reads_are_read_with_short_and_extended_apdus() {
    let _pcscd = pcscd().expect("pcscd with vpcd");
    let pki = TestPki::new("UT").expect("pki");
    let face = sample_face(1_000);
    let chip = |over_read, extended| {
        let mut card = VirtualPassport::new(&mrz_information(), pki.files(MRZ, &face));
        card.over_read = over_read;
        card.extended = extended;
        card
    };
    let inserted = insert(chip(OverRead::WarningWithoutMac, true)).expect("card in");
    for over_read in [OverRead::WarningWithoutMac, OverRead::WrongLength, OverRead::ExactLengthIs] {
        for extended in [true, false] {
            inserted.swap(chip(over_read, extended));
            let mut card = PcscCard::connect(None).expect("connect");
            let doc = read_document(&mut card, &mrz_information())
                .unwrap_or_else(|e| panic!("{over_read:?}, extended {extended}: {e}"));
            assert_read_whole(&doc, &pki, &face);
        }
    }
}
