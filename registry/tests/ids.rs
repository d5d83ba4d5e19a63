//! Identity-number validators: valid and invalid tables per kind, error messages, and that no
//! input makes them panic.

// A failed unwrap in a test is a test failure with a backtrace, which is what we want.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use registry::ids::{
    self, ALL_MESSAGE_IDS, IdError, IdKind, IdWarning, MAX_PLAUSIBLE_AGE, age_on, check,
    check_as_of, check_cn_resident, check_cn_resident_as_of, check_hk, check_mo, check_uscc,
    cn_resident_birth_date, implausible_age, warnings_as_of,
};
use rstest::rstest;
use time::macros::date;

// Independent implementations of the check characters, written from the standards rather than
// copied from the crate, to build valid numbers from chosen bodies.

fn cn_check(body: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    "10X98765432".chars().nth((sum % 11) as usize).unwrap()
}

fn uscc_check(body: &str) -> char {
    const A: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: u32 = body.chars().zip(W).map(|(c, w)| A.find(c).unwrap() as u32 * w).sum();
    A.chars().nth(((31 - sum % 31) % 31) as usize).unwrap()
}

fn with_cn_check(body: &str) -> String {
    format!("{body}{}", cn_check(body))
}

fn with_uscc_check(body: &str) -> String {
    format!("{body}{}", uscc_check(body))
}

// ---------------------------------------------------------------------------------------------
// IdKind

#[rstest]
#[case("cn-resident", IdKind::CnResident)]
#[case("uscc", IdKind::Uscc)]
#[case("hk", IdKind::Hk)]
#[case("mo", IdKind::Mo)]
fn kind_round_trips(#[case] text: &str, #[case] kind: IdKind) {
    assert_eq!(text.parse::<IdKind>(), Ok(kind));
    assert_eq!(kind.as_str(), text);
    assert_eq!(kind.to_string(), text);
    assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{text}\""));
}

#[rstest]
#[case("")]
#[case("CN-RESIDENT")]
#[case("cn_resident")]
#[case(" hk")]
#[case("macau")]
fn kind_rejects_other_names(#[case] text: &str) {
    assert!(text.parse::<IdKind>().is_err());
}

// ---------------------------------------------------------------------------------------------
// Mainland resident ID

#[rstest]
// The example number of GB 11643-1999; its check character X verified by hand.
#[case("11010519491231002X", "11010519491231002X")]
#[case("11010519491231002x", "11010519491231002X")]
#[case("  11010519491231002X\t", "11010519491231002X")]
// Literal numbers whose check characters were computed independently of this crate.
#[case("440308199901010012", "440308199901010012")]
#[case("820000200002290013", "820000200002290013")]
// GB 11643-1999 Appendix A's other example: born 1 January 1880 in Chaoyang, Guangdong. The
// standard accepts any real date; an age that high gets a warning, not a refusal.
#[case("440524188001010014", "440524188001010014")]
// As a CJK keyboard types it: full-width digits and letters.
#[case("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X")]
#[case("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X")]
#[case("\u{3000}1101051949123100２X\u{3000}", "11010519491231002X")]
fn cn_resident_valid_literals(#[case] input: &str, #[case] normalised: &str) {
    assert_eq!(check_cn_resident(input).as_deref(), Ok(normalised));
    assert_eq!(check(IdKind::CnResident, input).as_deref(), Ok(normalised));
}

#[rstest]
#[case("11010519900307757")]
#[case("31011519851231123")]
#[case("44030520000229001")]
#[case("65010219000101000")]
#[case("71000019991231999")]
#[case("81000020101010101")]
#[case("82000019700101002")]
#[case("83000019880808008")]
#[case("91000020200202020")]
fn cn_resident_valid_generated(#[case] body: &str) {
    let id = with_cn_check(body);
    assert_eq!(check_cn_resident(&id), Ok(id.clone()));
    assert_eq!(check_cn_resident(&id.to_lowercase()), Ok(id.clone()));
}

#[test]
fn cn_resident_every_check_character_value_is_reachable() {
    // Sweeping the sequence digits reaches all 11 check values, X included.
    let mut seen = BTreeSet::new();
    for seq in 0..200 {
        let id = with_cn_check(&format!("11010519900101{seq:03}"));
        assert_eq!(check_cn_resident(&id), Ok(id.clone()));
        seen.insert(id.chars().last().unwrap());
    }
    assert_eq!(seen.len(), 11);
}

#[rstest]
#[case("", IdError::Empty)]
#[case("   ", IdError::Empty)]
#[case("11010519491231002", IdError::WrongLength { expected: 18, found: 17 })]
#[case("11010519491231002X1", IdError::WrongLength { expected: 18, found: 19 })]
// An Arabic-Indic two is a digit, but not one an ID number is written with.
#[case("1101051949123100\u{662}X", IdError::InvalidCharacter { position: 17, character: '\u{662}' })]
// Positions count what was typed, full-width or not.
#[case("１１０１０５１９４９１２３１００Ａ２", IdError::InvalidCharacter { position: 17, character: 'A' })]
#[case("1101051949123100AX", IdError::InvalidCharacter { position: 17, character: 'A' })]
#[case("110105 9491231002X", IdError::InvalidCharacter { position: 7, character: ' ' })]
#[case("11010519491231002Y", IdError::InvalidCharacter { position: 18, character: 'Y' })]
#[case("110105194912310021", IdError::BadCheckCharacter { expected: 'X', found: '1' })]
#[case("11010519491231003X", IdError::BadCheckCharacter { expected: '8', found: 'X' })]
fn cn_resident_invalid(#[case] input: &str, #[case] error: IdError) {
    assert_eq!(check_cn_resident(input), Err(error));
}

#[rstest]
#[case("00010519491231002", "00")]
#[case("10010519491231002", "10")]
#[case("16010519491231002", "16")]
#[case("24010519491231002", "24")]
#[case("38010519491231002", "38")]
#[case("47010519491231002", "47")]
#[case("55010519491231002", "55")]
#[case("66010519491231002", "66")]
#[case("72010519491231002", "72")]
#[case("84010519491231002", "84")]
#[case("90010519491231002", "90")]
#[case("99010519491231002", "99")]
fn cn_resident_bad_region(#[case] body: &str, #[case] code: &str) {
    assert_eq!(
        check_cn_resident(&with_cn_check(body)),
        Err(IdError::BadRegion { code: code.into() })
    );
}

#[rstest]
#[case("11010519490231002", "19490231")]
#[case("11010519000229002", "19000229")]
#[case("11010518990229002", "18990229")]
#[case("11010518000229002", "18000229")]
#[case("11010519491301002", "19491301")]
#[case("11010519491200002", "19491200")]
#[case("11010520230431002", "20230431")]
fn cn_resident_bad_birth_date(#[case] body: &str, #[case] digits: &str) {
    assert_eq!(
        check_cn_resident(&with_cn_check(body)),
        Err(IdError::BadBirthDate { digits: digits.into() })
    );
}

#[test]
fn cn_resident_leap_day_2000_is_a_date() {
    let id = with_cn_check("11010520000229002");
    assert!(check_cn_resident(&id).is_ok());
    assert_eq!(cn_resident_birth_date(&id), Some(date!(2000 - 02 - 29)));
}

#[rstest]
#[case("11010519491231002X", Some(date!(1949 - 12 - 31)))]
#[case("110105194912310", None)]
#[case("11010519491331002X", None)]
#[case("11010518991231002X", Some(date!(1899 - 12 - 31)))]
#[case("11010518800101002X", Some(date!(1880 - 01 - 01)))]
#[case("110105ABCDEFGH002X", None)]
#[case("1101051949123１002X", None)]
#[case("", None)]
fn cn_resident_birth_date_extraction(#[case] input: &str, #[case] expected: Option<time::Date>) {
    assert_eq!(cn_resident_birth_date(input), expected);
}

// Birth dates measured against today.

#[rstest]
// Born today: a newborn's number is valid.
#[case("11010520240515002", date!(2024 - 05 - 15))]
#[case("11010520240514002", date!(2024 - 05 - 15))]
#[case("11010519491231002", date!(2024 - 05 - 15))]
#[case("11010519000101002", date!(1900 - 01 - 01))]
#[case("11010520000229002", date!(2000 - 02 - 29))]
#[case("11010520231231002", date!(2024 - 01 - 01))]
fn cn_resident_as_of_accepts_births_up_to_today(#[case] body: &str, #[case] today: time::Date) {
    let id = with_cn_check(body);
    assert_eq!(check_cn_resident_as_of(&id, today), Ok(id.clone()));
    assert_eq!(check_as_of(IdKind::CnResident, &id.to_lowercase(), today), Ok(id.clone()));
}

#[rstest]
#[case("11010520240516002", date!(2024 - 05 - 15), "20240516")]
#[case("11010520240601002", date!(2024 - 05 - 15), "20240601")]
#[case("11010520250101002", date!(2024 - 12 - 31), "20250101")]
#[case("11010520991231002", date!(2024 - 05 - 15), "20991231")]
// Today's date far in the past, as from a wrong clock: every later birth date is refused.
#[case("11010519491231002", date!(1949 - 12 - 30), "19491231")]
fn cn_resident_as_of_refuses_births_after_today(
    #[case] body: &str,
    #[case] today: time::Date,
    #[case] digits: &str,
) {
    let id = with_cn_check(body);
    let error = IdError::BirthDateInFuture { digits: digits.into() };
    assert_eq!(check_cn_resident_as_of(&id, today), Err(error.clone()));
    assert_eq!(check_as_of(IdKind::CnResident, &id, today), Err(error));
    // Without a date, the same number passes.
    assert_eq!(check_cn_resident(&id), Ok(id.clone()));
    assert_eq!(check(IdKind::CnResident, &id), Ok(id.clone()));
}

#[rstest]
// Checked in the order of the number: characters, length, province, birth date, check character.
#[case("1101052099123100\u{662}X", IdError::InvalidCharacter { position: 17, character: '\u{662}' })]
#[case("1101052099123100", IdError::WrongLength { expected: 18, found: 16 })]
#[case("990105209912310021", IdError::BadRegion { code: "99".into() })]
#[case("110105209902300021", IdError::BadBirthDate { digits: "20990230".into() })]
// The check character is wrong too, but the future birth date is reported first.
#[case("110105209912310021", IdError::BirthDateInFuture { digits: "20991231".into() })]
#[case("110105194912310021", IdError::BadCheckCharacter { expected: 'X', found: '1' })]
#[case("", IdError::Empty)]
fn cn_resident_as_of_reports_the_first_problem(#[case] input: &str, #[case] error: IdError) {
    assert_eq!(check_cn_resident_as_of(input, date!(2024 - 05 - 15)), Err(error));
}

#[rstest]
#[case(IdKind::Uscc, "91350100M000100Y43")]
#[case(IdKind::Uscc, "91350100M000100Y44")]
#[case(IdKind::Hk, "a123456(3)")]
#[case(IdKind::Hk, "A123456(4)")]
#[case(IdKind::Mo, "12345678")]
#[case(IdKind::Mo, "2234567(8)")]
#[case(IdKind::Mo, "")]
fn check_as_of_leaves_other_kinds_as_check_does(#[case] kind: IdKind, #[case] input: &str) {
    for today in [date!(1900 - 01 - 01), date!(2024 - 05 - 15), date!(9999 - 12 - 31)] {
        assert_eq!(check_as_of(kind, input, today), check(kind, input), "{kind} {input}");
    }
}

// ---------------------------------------------------------------------------------------------
// Unified Social Credit Code

#[rstest]
// The example code commonly given with GB 32100-2015.
#[case("91350100M000100Y43")]
// Codes published by Mainland companies; their check characters computed independently.
#[case("91440300708461136T")]
#[case("914403001922038216")]
#[case("91110108551385082Q")]
#[case("91110000802100433B")]
fn uscc_valid_literals(#[case] code: &str) {
    assert_eq!(check_uscc(code).as_deref(), Ok(code));
    let full_width: String =
        code.chars().map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap()).collect();
    assert_eq!(check_uscc(&full_width).as_deref(), Ok(code), "typed full-width");
    assert_eq!(check_uscc(&format!(" {} ", code.to_lowercase())).as_deref(), Ok(code));
    assert_eq!(check(IdKind::Uscc, code).as_deref(), Ok(code));
}

#[rstest]
#[case("91350100M000100Y4")]
#[case("12100000400000398")]
#[case("52440300MJL000000")]
#[case("93110000ABCDEFGHJ")]
#[case("Y1110000KLMNPQRTU")]
#[case("31440000WXY012345")]
fn uscc_valid_generated(#[case] body: &str) {
    let code = with_uscc_check(body);
    assert_eq!(check_uscc(&code), Ok(code.clone()));
}

#[test]
fn uscc_every_check_character_value_is_reachable() {
    let mut seen = BTreeSet::new();
    for seq in 0..2000 {
        let code = with_uscc_check(&format!("91350100M{seq:08}"));
        assert_eq!(check_uscc(&code), Ok(code.clone()));
        seen.insert(code.chars().last().unwrap());
    }
    assert_eq!(seen.len(), 31);
}

#[rstest]
#[case("", IdError::Empty)]
#[case("91350100M000100Y4", IdError::WrongLength { expected: 18, found: 17 })]
#[case("91350100M000100Y433", IdError::WrongLength { expected: 18, found: 19 })]
// Often cited as an example, but its check character does not compute.
#[case("911100001000015812", IdError::BadCheckCharacter { expected: 'Q', found: '2' })]
#[case("91350100M000100Y44", IdError::BadCheckCharacter { expected: '3', found: '4' })]
#[case("91350100M0001O0Y43", IdError::InvalidCharacter { position: 14, character: 'O' })]
#[case("9I350100M000100Y43", IdError::InvalidCharacter { position: 2, character: 'I' })]
#[case("91350100S000100Y43", IdError::InvalidCharacter { position: 9, character: 'S' })]
#[case("91350100M000100Y4Z", IdError::InvalidCharacter { position: 18, character: 'Z' })]
#[case("91350100M000100V43", IdError::InvalidCharacter { position: 16, character: 'V' })]
#[case("91A50100M000100Y43", IdError::InvalidCharacter { position: 3, character: 'A' })]
#[case("9135010AM000100Y43", IdError::InvalidCharacter { position: 8, character: 'A' })]
#[case("91350100M000-00Y43", IdError::InvalidCharacter { position: 13, character: '-' })]
fn uscc_invalid(#[case] input: &str, #[case] error: IdError) {
    assert_eq!(check_uscc(input), Err(error));
}

// ---------------------------------------------------------------------------------------------
// Hong Kong identity card
//
// Worked by hand, e.g. A123456: 36×9 + 10×8 + 1×7 + 2×6 + 3×5 + 4×4 + 5×3 + 6×2 = 481;
// 481 mod 11 = 8; 11 − 8 = 3. G123456: 529 mod 11 = 1 → 10 → A. AB987654: 371 mod 11 = 8 → 3.
// C668668: 596 mod 11 = 2 → 9.

#[rstest]
#[case("A123456(3)", "A123456(3)")]
#[case("A1234563", "A123456(3)")]
#[case("a123456(3)", "A123456(3)")]
#[case(" A123456(3) ", "A123456(3)")]
#[case("G123456(A)", "G123456(A)")]
#[case("g123456a", "G123456(A)")]
#[case("AB987654(3)", "AB987654(3)")]
#[case("ab9876543", "AB987654(3)")]
#[case("C668668(9)", "C668668(9)")]
#[case("Z683702(7)", "Z683702(7)")]
#[case("K123456(0)", "K123456(0)")]
// Typed on a CJK keyboard.
#[case("Ａ１２３４５６（３）", "A123456(3)")]
#[case("ａ１２３４５６３", "A123456(3)")]
#[case("Ｇ１２３４５６（Ａ）", "G123456(A)")]
fn hk_valid(#[case] input: &str, #[case] normalised: &str) {
    assert_eq!(check_hk(input).as_deref(), Ok(normalised));
    assert_eq!(check(IdKind::Hk, input).as_deref(), Ok(normalised));
}

#[rstest]
#[case("", IdError::Empty)]
#[case("A12345(3)", IdError::BadHkFormat)]
#[case("A1234567(3)", IdError::BadHkFormat)]
#[case("ABC123456(3)", IdError::BadHkFormat)]
#[case("A123456(3", IdError::BadHkFormat)]
#[case("A123456)3(", IdError::BadHkFormat)]
#[case("A123456[3]", IdError::BadHkFormat)]
#[case("()", IdError::BadHkFormat)]
#[case("A", IdError::BadHkFormat)]
#[case("A123456(4)", IdError::BadCheckCharacter { expected: '3', found: '4' })]
#[case("A1234564", IdError::BadCheckCharacter { expected: '3', found: '4' })]
#[case("G123456(0)", IdError::BadCheckCharacter { expected: 'A', found: '0' })]
#[case("C668668(E)", IdError::InvalidCharacter { position: 9, character: 'E' })]
#[case("1234567(8)", IdError::InvalidCharacter { position: 1, character: '1' })]
#[case("A12B456(3)", IdError::InvalidCharacter { position: 4, character: 'B' })]
#[case("A1(3456(3)", IdError::InvalidCharacter { position: 3, character: '(' })]
#[case("Ä123456(3)", IdError::InvalidCharacter { position: 1, character: 'Ä' })]
fn hk_invalid(#[case] input: &str, #[case] error: IdError) {
    assert_eq!(check_hk(input), Err(error));
}

// ---------------------------------------------------------------------------------------------
// Macau resident identity card (format only)

#[rstest]
#[case("1234567(8)", "1234567(8)")]
#[case("12345678", "1234567(8)")]
#[case(" 5123456(7) ", "5123456(7)")]
#[case("70000000", "7000000(0)")]
#[case("１２３４５６７（８）", "1234567(8)")]
#[case("１２３４５６７８", "1234567(8)")]
fn mo_valid(#[case] input: &str, #[case] normalised: &str) {
    assert_eq!(check_mo(input).as_deref(), Ok(normalised));
    assert_eq!(check(IdKind::Mo, input).as_deref(), Ok(normalised));
}

#[rstest]
#[case("", IdError::Empty)]
#[case("2234567(8)", IdError::BadPrefix { found: '2' })]
#[case("02345678", IdError::BadPrefix { found: '0' })]
#[case("123456(7)", IdError::BadMoFormat)]
#[case("1234567", IdError::BadMoFormat)]
#[case("123456789", IdError::BadMoFormat)]
#[case("1234567(8", IdError::BadMoFormat)]
#[case("12345678)", IdError::BadMoFormat)]
#[case("123456(78)", IdError::BadMoFormat)]
#[case("1234567(X)", IdError::InvalidCharacter { position: 9, character: 'X' })]
#[case("1234A67(8)", IdError::InvalidCharacter { position: 5, character: 'A' })]
#[case("1234567X", IdError::InvalidCharacter { position: 8, character: 'X' })]
fn mo_invalid(#[case] input: &str, #[case] error: IdError) {
    assert_eq!(check_mo(input), Err(error));
}

// ---------------------------------------------------------------------------------------------
// Implausible ages: a warning beside a valid number, never a refusal

#[rstest]
#[case(date!(2000 - 05 - 15), date!(2024 - 05 - 15), Some(24))]
#[case(date!(2000 - 05 - 16), date!(2024 - 05 - 15), Some(23))]
#[case(date!(2000 - 02 - 29), date!(2023 - 02 - 28), Some(22))]
#[case(date!(2000 - 02 - 29), date!(2023 - 03 - 01), Some(23))]
#[case(date!(2024 - 05 - 15), date!(2024 - 05 - 15), Some(0))]
#[case(date!(2024 - 05 - 16), date!(2024 - 05 - 15), None)]
#[case(date!(1880 - 01 - 01), date!(1999 - 07 - 01), Some(119))]
fn ages_count_full_years(
    #[case] birth: time::Date,
    #[case] today: time::Date,
    #[case] age: Option<i32>,
) {
    assert_eq!(age_on(birth, today), age);
}

#[rstest]
#[case(date!(1904 - 05 - 15), date!(2024 - 05 - 15), None)]
#[case(date!(1904 - 05 - 16), date!(2024 - 05 - 15), None)]
#[case(date!(1903 - 05 - 15), date!(2024 - 05 - 15), Some(121))]
#[case(date!(1880 - 01 - 01), date!(2024 - 05 - 15), Some(144))]
#[case(date!(1000 - 01 - 01), date!(2024 - 05 - 15), Some(1024))]
#[case(date!(2024 - 05 - 16), date!(2024 - 05 - 15), None)]
fn ages_over_the_limit_are_implausible(
    #[case] birth: time::Date,
    #[case] today: time::Date,
    #[case] age: Option<i32>,
) {
    assert_eq!(MAX_PLAUSIBLE_AGE, 120);
    assert_eq!(implausible_age(birth, today), age);
}

#[rstest]
// The standard's own example: valid, and 144 years old in 2024.
#[case(IdKind::CnResident, "440524188001010014", vec![IdWarning::ImplausibleAge { digits: "18800101".into(), age: 144 }])]
#[case(IdKind::CnResident, "４４０５２４１８８００１０１００１４", vec![IdWarning::ImplausibleAge { digits: "18800101".into(), age: 144 }])]
#[case(IdKind::CnResident, "11010519491231002X", vec![])]
// Invalid numbers get their error, not a warning.
#[case(IdKind::CnResident, "440524188001010015", vec![])]
#[case(IdKind::CnResident, "", vec![])]
#[case(IdKind::Hk, "A123456(3)", vec![])]
#[case(IdKind::Mo, "1234567(8)", vec![])]
#[case(IdKind::Uscc, "91350100M000100Y43", vec![])]
fn warnings_name_an_implausible_age(
    #[case] kind: IdKind,
    #[case] input: &str,
    #[case] warnings: Vec<IdWarning>,
) {
    let today = date!(2024 - 05 - 15);
    assert_eq!(warnings_as_of(kind, input, today), warnings);
    if !warnings.is_empty() {
        assert!(check_as_of(kind, input, today).is_ok(), "a warned number is still valid");
    }
}

#[test]
fn the_age_warning_has_a_message_in_every_language() {
    let warning = IdWarning::ImplausibleAge { digits: "18800101".into(), age: 144 };
    assert_eq!(IdWarning::ALL_MESSAGE_IDS, [warning.message_id()]);
    assert_eq!(
        warning.message_args(),
        vec![("digits", "18800101".to_owned()), ("age", "144".to_owned())]
    );
    let text = warning.to_string();
    assert!(text.contains("18800101") && text.contains("144"), "{text}");
    for locale in ["en", "zh-Hant", "zh-Hans", "pt"] {
        let messages = ftl_messages(locale);
        let id = warning.message_id();
        let message = messages.get(id).unwrap_or_else(|| panic!("{locale}: no message {id}"));
        let given: BTreeSet<String> =
            warning.message_args().into_iter().map(|(name, _)| name.to_owned()).collect();
        assert_eq!(ftl_variables(message), given, "{locale}: {id}");
    }
}

// ---------------------------------------------------------------------------------------------
// Messages

fn every_error() -> Vec<IdError> {
    vec![
        IdError::Empty,
        IdError::WrongLength { expected: 18, found: 17 },
        IdError::InvalidCharacter { position: 3, character: 'O' },
        IdError::BadRegion { code: "99".into() },
        IdError::BadBirthDate { digits: "19490231".into() },
        IdError::BirthDateInFuture { digits: "20991231".into() },
        IdError::BadCheckCharacter { expected: 'X', found: '1' },
        IdError::BadPrefix { found: '2' },
        IdError::BadHkFormat,
        IdError::BadMoFormat,
    ]
}

#[test]
fn message_ids_are_listed_once_each() {
    let returned: BTreeSet<&str> = every_error().iter().map(IdError::message_id).collect();
    let listed: BTreeSet<&str> = ALL_MESSAGE_IDS.iter().copied().collect();
    assert_eq!(listed.len(), ALL_MESSAGE_IDS.len(), "duplicate ids");
    assert_eq!(returned, listed);
}

#[test]
fn display_tells_the_clerk_the_details() {
    for error in every_error() {
        let text = error.to_string();
        assert!(text.ends_with('.'), "{text}");
        for (_, value) in error.message_args() {
            assert!(text.contains(&value), "{text} lacks {value}");
        }
    }
}

#[test]
fn message_args_name_the_values() {
    assert_eq!(
        IdError::WrongLength { expected: 18, found: 17 }.message_args(),
        vec![("expected", "18".to_owned()), ("found", "17".to_owned())]
    );
    assert_eq!(
        IdError::BadCheckCharacter { expected: 'X', found: '1' }.message_args(),
        vec![("expected", "X".to_owned()), ("found", "1".to_owned())]
    );
    assert_eq!(
        IdError::BirthDateInFuture { digits: "20991231".into() }.message_args(),
        vec![("digits", "20991231".to_owned())]
    );
    assert_eq!(
        IdError::BirthDateInFuture { digits: "20991231".into() }.message_id(),
        "id-error-birth-date-in-future"
    );
    assert!(IdError::Empty.message_args().is_empty());
}

#[test]
fn every_locale_translates_every_message_with_its_arguments() {
    for locale in ["en", "zh-Hant", "zh-Hans", "pt"] {
        let messages = ftl_messages(locale);
        for error in every_error() {
            let id = error.message_id();
            let text = messages.get(id).unwrap_or_else(|| panic!("{locale}: no message {id}"));
            let used = ftl_variables(text);
            let given: BTreeSet<String> =
                error.message_args().into_iter().map(|(name, _)| name.to_owned()).collect();
            assert!(used.is_subset(&given), "{locale}: {id} uses {used:?}, args are {given:?}");
        }
    }
}

/// Single-line `id = text` messages of a locale's `validation.ftl`.
fn ftl_messages(locale: &str) -> std::collections::BTreeMap<String, String> {
    let path = format!("{}/../i18n/locales/{locale}/validation.ftl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = "))
        .map(|(id, msg)| (id.trim().to_owned(), msg.to_owned()))
        .collect()
}

fn ftl_variables(text: &str) -> BTreeSet<String> {
    text.split("{ $")
        .skip(1)
        .filter_map(|rest| rest.split_once(' ').map(|(name, _)| name.to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// No panics

proptest! {
    #[test]
    fn no_validator_panics_on_any_string(s in any::<String>()) {
        for kind in IdKind::ALL {
            let _ = check(kind, &s);
        }
        let _ = cn_resident_birth_date(&s);
    }

    #[test]
    fn no_validator_panics_on_id_like_strings(s in "[0-9A-Za-z()xX \u{00e9}\u{4e00}]{0,24}") {
        for kind in IdKind::ALL {
            if let Err(e) = check(kind, &s) {
                prop_assert!(ids::ALL_MESSAGE_IDS.contains(&e.message_id()));
            }
        }
        let _ = cn_resident_birth_date(&s);
    }

    #[test]
    fn no_validator_panics_on_long_strings(s in ".{200,2000}") {
        for kind in IdKind::ALL {
            prop_assert!(check(kind, &s).is_err());
        }
    }

    #[test]
    fn valid_cn_resident_numbers_round_trip(
        region in prop::sample::select(vec!["11", "44", "65", "82", "91"]),
        days in 0i64..40_000,
        seq in 0u32..1000,
    ) {
        let birth = date!(1900 - 01 - 01) + time::Duration::days(days);
        let body = format!(
            "{region}0000{:04}{:02}{:02}{seq:03}",
            birth.year(), u8::from(birth.month()), birth.day()
        );
        let id = with_cn_check(&body);
        prop_assert_eq!(check_cn_resident(&id), Ok(id.clone()));
        prop_assert_eq!(cn_resident_birth_date(&id), Some(birth));
    }

    #[test]
    fn check_as_of_refuses_exactly_the_births_after_today(
        birth_days in 0i64..60_000,
        today_days in 0i64..60_000,
        seq in 0u32..1000,
    ) {
        let birth = date!(1900 - 01 - 01) + time::Duration::days(birth_days);
        let today = date!(1900 - 01 - 01) + time::Duration::days(today_days);
        let digits = format!("{:04}{:02}{:02}", birth.year(), u8::from(birth.month()), birth.day());
        let id = with_cn_check(&format!("440305{digits}{seq:03}"));
        let expected =
            if birth > today { Err(IdError::BirthDateInFuture { digits }) } else { Ok(id.clone()) };
        prop_assert_eq!(check_cn_resident_as_of(&id, today), expected.clone());
        prop_assert_eq!(check_as_of(IdKind::CnResident, &id, today), expected);
        prop_assert_eq!(check_cn_resident(&id), Ok(id.clone()));
    }

    #[test]
    fn check_as_of_never_panics_and_only_adds_the_future_birth_date(
        s in "[0-9A-Za-z()xX \u{00e9}]{0,24}",
        today_days in 0i64..60_000,
    ) {
        let today = date!(1900 - 01 - 01) + time::Duration::days(today_days);
        for kind in IdKind::ALL {
            let dated = check_as_of(kind, &s, today);
            if !matches!(dated, Err(IdError::BirthDateInFuture { .. })) {
                prop_assert_eq!(dated, check(kind, &s));
            }
        }
    }

    #[test]
    fn valid_usccs_round_trip(
        head in "[0-9ABCDEFGHJKLMNPQRTUWXY]{2}",
        division in "[0-9]{6}",
        tail in "[0-9ABCDEFGHJKLMNPQRTUWXY]{9}",
    ) {
        let code = with_uscc_check(&format!("{head}{division}{tail}"));
        prop_assert_eq!(check_uscc(&code), Ok(code.clone()));
    }
}

// ---------------------------------------------------------------------------------------------
// Typed on a CJK keyboard: documents and phones outside the validators above

#[test]
fn full_width_passport_numbers_and_phones_are_the_same_numbers() {
    use registry::model::{IdDocument, IdDocumentKind, Sensitive, normalise_phone};
    let passport = IdDocument {
        kind: IdDocumentKind::Passport,
        number: Sensitive::new("ｐ１２３４５６７"),
        issuing_state: Some("PRT".into()),
        expiry: None,
    };
    assert_eq!(passport.normalised_number(), Ok("P1234567".into()));
    assert_eq!(normalise_phone("＋８５３\u{3000}６６１２\u{3000}３４５６"), "+85366123456");
    assert_eq!(normalise_phone("（０２０）８８８８－１２３４"), "02088881234");
    assert_eq!(normalise_phone("+853 6612 3456"), "+85366123456");
}
