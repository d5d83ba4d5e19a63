//! ICAO 9303 MRZ parser: the specimens of ICAO 9303, broken variants of each, long document
//! numbers, input clean-up, shape errors, and that no input makes it panic.

// A failed unwrap in a test is a test failure with a backtrace, which is what we want.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use registry::mrz::{self, ALL_MESSAGE_IDS, ERROR_FIELDS, Mrz, MrzError, MrzFormat, Sex, parse};
use rstest::rstest;
use serde_json::json;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 01 - 01);

// The specimens of ICAO 9303 (parts 4, 5 and 6). Every check digit was recomputed by hand and
// by an independent script: TD3 L898902C3→6, 740812→2, 120415→9, ZE184226B<<<<<→1,
// composite→0; TD1 D23145890→7, composite→6; TD2 composite→6.
const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];
const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const TD2: [&str; 2] =
    ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"];

/// An independent check digit: weights 7 3 1, `<` = 0, A = 10 … Z = 35.
fn cd(s: &str) -> char {
    let sum: u32 = s
        .chars()
        .zip([7, 3, 1].into_iter().cycle())
        .map(|(c, w)| {
            let v = match c {
                '<' => 0,
                '0'..='9' => c as u32 - '0' as u32,
                _ => c as u32 - 'A' as u32 + 10,
            };
            v * w
        })
        .sum();
    char::from_digit(sum % 10, 10).unwrap()
}

fn parse_lines(lines: &[&str]) -> Mrz {
    parse(&lines.join("\n"), TODAY).unwrap()
}

fn with_char(lines: &[&str], line: usize, position: usize, c: char) -> Vec<String> {
    let mut lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    lines[line].replace_range(position..position + 1, &c.to_string());
    lines
}

fn parse_owned(lines: &[String]) -> Mrz {
    parse(&lines.join("\n"), TODAY).unwrap()
}

#[test]
fn check_digit_of_the_specimen_fields() {
    assert_eq!(cd("L898902C3"), '6');
    assert_eq!(mrz::check_digit("L898902C3"), Some('6'));
    assert_eq!(mrz::check_digit("740812"), Some('2'));
    assert_eq!(mrz::check_digit("120415"), Some('9'));
    assert_eq!(mrz::check_digit("ZE184226B<<<<<"), Some('1'));
    assert_eq!(mrz::check_digit("D23145890"), Some('7'));
    assert_eq!(mrz::check_digit("D23145890734"), Some('9'));
    assert_eq!(mrz::check_digit(""), Some('0'));
    assert_eq!(mrz::check_digit("<<<<"), Some('0'));
    assert_eq!(mrz::check_digit("a"), None);
}

// ---------------------------------------------------------------------------------------------
// Specimens

#[test]
fn td3_specimen() {
    let m = parse_lines(&TD3);
    assert_eq!(
        m,
        Mrz {
            format: MrzFormat::Td3,
            document_code: "P".into(),
            issuing_state: "UTO".into(),
            document_number: "L898902C3".into(),
            nationality: "UTO".into(),
            birth_date: Some(date!(1974 - 08 - 12)),
            expiry_date: Some(date!(2012 - 04 - 15)),
            sex: Sex::F,
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            optional_data: "ZE184226B".into(),
            valid: true,
            errors: vec![],
        }
    );
}

#[test]
fn td3_specimen_as_json() {
    let value = serde_json::to_value(parse_lines(&TD3)).unwrap();
    assert_eq!(
        value,
        json!({
            "format": "TD3",
            "document_code": "P",
            "issuing_state": "UTO",
            "document_number": "L898902C3",
            "nationality": "UTO",
            "birth_date": "1974-08-12",
            "expiry_date": "2012-04-15",
            "sex": "F",
            "surname": "ERIKSSON",
            "given_names": "ANNA MARIA",
            "optional_data": "ZE184226B",
            "valid": true,
            "errors": [],
        })
    );
}

#[test]
fn td1_specimen() {
    let m = parse_lines(&TD1);
    assert_eq!(
        m,
        Mrz {
            format: MrzFormat::Td1,
            document_code: "I".into(),
            issuing_state: "UTO".into(),
            document_number: "D23145890".into(),
            nationality: "UTO".into(),
            birth_date: Some(date!(1974 - 08 - 12)),
            expiry_date: Some(date!(2012 - 04 - 15)),
            sex: Sex::F,
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            optional_data: String::new(),
            valid: true,
            errors: vec![],
        }
    );
}

#[test]
fn td2_specimen() {
    let m = parse_lines(&TD2);
    assert_eq!(
        m,
        Mrz {
            format: MrzFormat::Td2,
            document_code: "I".into(),
            issuing_state: "UTO".into(),
            document_number: "D23145890".into(),
            nationality: "UTO".into(),
            birth_date: Some(date!(1974 - 08 - 12)),
            expiry_date: Some(date!(2012 - 04 - 15)),
            sex: Sex::F,
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            optional_data: String::new(),
            valid: true,
            errors: vec![],
        }
    );
    assert_eq!(serde_json::to_value(&m).unwrap()["format"], "TD2");
}

// ---------------------------------------------------------------------------------------------
// Broken variants: (line, position, replacement) → the fields that must fail.

#[rstest]
// Each check digit wrong on its own.
#[case(1, 9, '5', &["document_number", "composite"])]
#[case(1, 19, '3', &["birth_date", "composite"])]
#[case(1, 27, '8', &["expiry_date", "composite"])]
#[case(1, 42, '2', &["optional_data", "composite"])]
#[case(1, 43, '1', &["composite"])]
// A changed data character.
#[case(1, 0, 'M', &["document_number", "composite"])]
#[case(1, 8, '4', &["document_number", "composite"])]
#[case(1, 14, '5', &["birth_date", "composite"])]
#[case(1, 24, '5', &["expiry_date", "composite"])]
#[case(1, 29, 'F', &["optional_data", "composite"])]
#[case(1, 37, '7', &["optional_data", "composite"])]
// A month of 28 is no date: the field fails once, for both reasons.
#[case(1, 15, '2', &["birth_date", "composite"])]
// Nationality, sex and names are covered by no check digit.
#[case(1, 10, 'X', &[])]
#[case(1, 20, 'M', &[])]
#[case(0, 6, 'A', &[])]
#[case(0, 2, 'D', &[])]
#[case(1, 20, 'Q', &["sex"])]
// A check digit that is a filler.
#[case(1, 19, '<', &["birth_date", "composite"])]
#[case(1, 43, '<', &["composite"])]
fn td3_broken(
    #[case] line: usize,
    #[case] position: usize,
    #[case] c: char,
    #[case] errors: &[&str],
) {
    let m = parse_owned(&with_char(&TD3, line, position, c));
    assert_eq!(m.errors, errors);
    assert_eq!(m.valid, errors.is_empty());
}

#[rstest]
#[case(0, 14, '8', &["document_number", "composite"])]
#[case(1, 6, '3', &["birth_date", "composite"])]
#[case(1, 14, '0', &["expiry_date", "composite"])]
#[case(1, 29, '7', &["composite"])]
#[case(0, 5, 'E', &["document_number", "composite"])]
#[case(0, 13, '1', &["document_number", "composite"])]
#[case(1, 3, '9', &["birth_date", "composite"])]
#[case(1, 13, '6', &["expiry_date", "composite"])]
// TD1's optional data has no check digit of its own; the composite covers both fields.
#[case(0, 20, 'B', &["composite"])]
#[case(1, 20, '3', &["composite"])]
#[case(1, 15, 'X', &[])]
#[case(1, 7, 'M', &[])]
#[case(1, 7, '<', &[])]
#[case(2, 0, 'F', &[])]
fn td1_broken(
    #[case] line: usize,
    #[case] position: usize,
    #[case] c: char,
    #[case] errors: &[&str],
) {
    let m = parse_owned(&with_char(&TD1, line, position, c));
    assert_eq!(m.errors, errors);
    assert_eq!(m.valid, errors.is_empty());
}

#[rstest]
#[case(1, 9, '1', &["document_number", "composite"])]
#[case(1, 19, '0', &["birth_date", "composite"])]
#[case(1, 27, '4', &["expiry_date", "composite"])]
#[case(1, 35, '0', &["composite"])]
#[case(1, 2, '4', &["document_number", "composite"])]
#[case(1, 17, '2', &["birth_date", "composite"])]
#[case(1, 21, '3', &["expiry_date", "composite"])]
#[case(1, 30, '5', &["composite"])]
#[case(1, 11, 'S', &[])]
#[case(0, 10, 'X', &[])]
fn td2_broken(
    #[case] line: usize,
    #[case] position: usize,
    #[case] c: char,
    #[case] errors: &[&str],
) {
    let m = parse_owned(&with_char(&TD2, line, position, c));
    assert_eq!(m.errors, errors);
    assert_eq!(m.valid, errors.is_empty());
}

#[test]
fn broken_fields_are_still_read() {
    let m = parse_owned(&with_char(&TD3, 1, 15, '2'));
    assert_eq!(m.birth_date, None);
    assert_eq!(serde_json::to_value(&m).unwrap()["birth_date"], serde_json::Value::Null);
    assert_eq!(m.document_number, "L898902C3");
    assert_eq!(m.surname, "ERIKSSON");
    let m = parse_owned(&with_char(&TD3, 1, 20, '<'));
    assert_eq!(m.sex, Sex::X);
    assert!(m.valid);
}

// ---------------------------------------------------------------------------------------------
// Long document numbers

#[test]
fn td1_long_document_number_from_icao_part_5() {
    // D23145890734: 9 characters in the number field, a filler for its check digit, then
    // "734", the check digit 9 over the whole number, and a filler in the optional data.
    assert_eq!(cd("D23145890734"), '9');
    let lines = ["I<UTOD23145890<7349<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", TD1[2]];
    assert_eq!(
        cd(&format!("{}{}{}{}", &lines[0][5..30], "7408122", "1204159", "<<<<<<<<<<<")),
        '6'
    );
    let m = parse_lines(&lines);
    assert_eq!(m.document_number, "D23145890734");
    assert_eq!(m.optional_data, "");
    assert_eq!(m.errors, Vec::<String>::new());
    assert!(m.valid);
}

#[test]
fn td1_long_document_number_with_more_optional_data() {
    let lines = ["I<UTOD23145890<7349<AB<<<<<<<<", "7408122F1204159UTO<<CD<<<<<<<2", TD1[2]];
    let m = parse_lines(&lines);
    assert_eq!(m.document_number, "D23145890734");
    assert_eq!(m.optional_data, "AB CD");
    assert!(m.valid, "{:?}", m.errors);
}

#[rstest]
// The long number's own check digit wrong.
#[case(0, 18, '8', &["document_number", "composite"])]
// A continuation character changed.
#[case(0, 16, '4', &["document_number", "composite"])]
// A character of the 9 in the number field changed.
#[case(0, 6, '3', &["document_number", "composite"])]
fn td1_long_document_number_broken(
    #[case] line: usize,
    #[case] position: usize,
    #[case] c: char,
    #[case] errors: &[&str],
) {
    let lines = ["I<UTOD23145890<7349<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", TD1[2]];
    let m = parse_owned(&with_char(&lines, line, position, c));
    assert_eq!(m.errors, errors);
}

#[test]
fn td2_long_document_number() {
    let line2 = "D23145890<UTO7408122F12041597349<<<2";
    assert_eq!(cd(&format!("{}{}{}", &line2[0..10], &line2[13..20], &line2[21..35])), '2');
    let m = parse_lines(&[TD2[0], line2]);
    assert_eq!(m.document_number, "D23145890734");
    assert_eq!(m.optional_data, "");
    assert!(m.valid, "{:?}", m.errors);

    let broken = with_char(&[TD2[0], line2], 1, 31, '1');
    assert_eq!(parse_owned(&broken).errors, ["document_number", "composite"]);
}

#[test]
fn td2_long_document_number_with_more_optional_data() {
    assert_eq!(cd("AB1234567890"), '4');
    let line2 = "AB1234567<UTO8001014M30010198904<XY5";
    let m = parse_lines(&[TD2[0], line2]);
    assert_eq!(m.document_number, "AB1234567890");
    assert_eq!(m.optional_data, "XY");
    assert_eq!(m.sex, Sex::M);
    assert_eq!(m.birth_date, Some(date!(1980 - 01 - 01)));
    assert_eq!(m.expiry_date, Some(date!(2030 - 01 - 01)));
    assert!(m.valid, "{:?}", m.errors);
}

#[test]
fn filler_check_digit_without_continuation_fails_the_document_number() {
    let line2 = "D23145890<UTO7408122F1204159<<<<<<<7";
    let m = parse_lines(&[TD2[0], line2]);
    assert_eq!(m.document_number, "D23145890");
    assert_eq!(m.errors, ["document_number"]);
}

#[test]
fn td3_long_document_number() {
    let line2 = "D23145890<UTO7408122F12041597349<<<<<<<<<<57";
    assert_eq!(cd("7349<<<<<<<<<<"), '5');
    let m = parse_lines(&[TD3[0], line2]);
    assert_eq!(m.document_number, "D23145890734");
    assert_eq!(m.optional_data, "");
    assert!(m.valid, "{:?}", m.errors);

    let line2 = "D23145890<UTO7408122F12041597349<ABC<<<<<<83";
    let m = parse_lines(&[TD3[0], line2]);
    assert_eq!(m.document_number, "D23145890734");
    assert_eq!(m.optional_data, "ABC");
    assert!(m.valid, "{:?}", m.errors);
}

// ---------------------------------------------------------------------------------------------
// Optional data, names and dates

/// A TD3 zone with the given fields and correct check digits.
fn td3(
    name: &str,
    birth: &str,
    expiry: &str,
    personal: &str,
    personal_check: Option<char>,
) -> Vec<String> {
    let line1 = format!("P<UTO{name:<<39}");
    let personal = format!("{personal:<<14}");
    let check = personal_check.unwrap_or_else(|| cd(&personal));
    let body = format!("L898902C36UTO{birth}{}F{expiry}{}{personal}{check}", cd(birth), cd(expiry));
    let composite = cd(&format!("{}{}{}", &body[0..10], &body[13..20], &body[21..43]));
    vec![line1, format!("{body}{composite}")]
}

#[rstest]
#[case(None)]
#[case(Some('<'))]
#[case(Some('0'))]
fn unused_personal_number_may_have_a_filler_or_zero_check(#[case] check: Option<char>) {
    let m = parse_owned(&td3("ERIKSSON<<ANNA", "740812", "120415", "", check));
    assert!(m.valid, "{:?}", m.errors);
    assert_eq!(m.optional_data, "");
}

#[test]
fn used_personal_number_needs_its_check_digit() {
    // The composite is computed over the filler, so only the personal number fails.
    let m = parse_owned(&td3("ERIKSSON<<ANNA", "740812", "120415", "AB12", Some('<')));
    assert_eq!(m.errors, ["optional_data"]);
}

#[test]
fn optional_data_keeps_inner_fillers() {
    let m = parse_owned(&td3("ERIKSSON<<ANNA", "740812", "120415", "<AB<<12", None));
    assert_eq!(m.optional_data, "AB<<12");
    assert!(m.valid);
}

#[rstest]
#[case("ERIKSSON<<ANNA<MARIA", "ERIKSSON", "ANNA MARIA")]
#[case("VAN<DER<BERG<<JAN", "VAN DER BERG", "JAN")]
#[case("ERIKSSON<<ANNA<<<MARIA", "ERIKSSON", "ANNA MARIA")]
#[case("ERIKSSON", "ERIKSSON", "")]
#[case("CHAN<TAI<MAN", "CHAN TAI MAN", "")]
#[case("<<ANNA", "", "ANNA")]
#[case("", "", "")]
fn names(#[case] field: &str, #[case] surname: &str, #[case] given: &str) {
    let m = parse_owned(&td3(field, "740812", "120415", "", None));
    assert_eq!(m.surname, surname);
    assert_eq!(m.given_names, given);
    assert!(m.valid);
}

#[rstest]
#[case("740812", Some(date!(1974 - 08 - 12)))]
#[case("250101", Some(date!(2025 - 01 - 01)))]
#[case("260101", Some(date!(2026 - 01 - 01)))]
#[case("270101", Some(date!(1927 - 01 - 01)))]
#[case("000229", Some(date!(2000 - 02 - 29)))]
#[case("990101", Some(date!(1999 - 01 - 01)))]
#[case("740231", None)]
#[case("741301", None)]
#[case("740800", None)]
#[case("74<<<<", None)]
#[case("<<<<<<", None)]
#[case("7408AB", None)]
fn birth_dates(#[case] yymmdd: &str, #[case] expected: Option<Date>) {
    let m = parse_owned(&td3("ERIKSSON<<ANNA", yymmdd, "120415", "", None));
    assert_eq!(m.birth_date, expected);
    let errors: &[&str] = if expected.is_some() { &[] } else { &["birth_date"] };
    assert_eq!(m.errors, errors);
}

#[rstest]
#[case("120415", Some(date!(2012 - 04 - 15)))]
#[case("000101", Some(date!(2000 - 01 - 01)))]
#[case("351231", Some(date!(2035 - 12 - 31)))]
#[case("761231", Some(date!(2076 - 12 - 31)))]
#[case("770101", Some(date!(1977 - 01 - 01)))]
#[case("990101", Some(date!(1999 - 01 - 01)))]
#[case("280229", Some(date!(2028 - 02 - 29)))]
#[case("270229", None)]
#[case("120431", None)]
fn expiry_dates(#[case] yymmdd: &str, #[case] expected: Option<Date>) {
    let m = parse_owned(&td3("ERIKSSON<<ANNA", "740812", yymmdd, "", None));
    assert_eq!(m.expiry_date, expected);
    let errors: &[&str] = if expected.is_some() { &[] } else { &["expiry_date"] };
    assert_eq!(m.errors, errors);
}

#[test]
fn dates_follow_today() {
    let zone = td3("ERIKSSON<<ANNA", "300101", "800101", "", None).join("\n");
    let m = parse(&zone, date!(2040 - 06 - 01)).unwrap();
    assert_eq!(m.birth_date, Some(date!(2030 - 01 - 01)));
    assert_eq!(m.expiry_date, Some(date!(2080 - 01 - 01)));
    let m = parse(&zone, date!(2020 - 06 - 01)).unwrap();
    assert_eq!(m.birth_date, Some(date!(1930 - 01 - 01)));
    assert_eq!(m.expiry_date, Some(date!(1980 - 01 - 01)));
}

#[rstest]
#[case("AC", "AC")]
#[case("ID", "ID")]
#[case("I<", "I")]
#[case("<<", "")]
fn document_codes(#[case] code: &str, #[case] expected: &str) {
    let line1 = format!("{code}{}", &TD1[0][2..]);
    let m = parse_lines(&[&line1, TD1[1], TD1[2]]);
    assert_eq!(m.document_code, expected);
}

#[test]
fn states_lose_their_fillers() {
    let line1 = TD3[0].replacen("UTO", "D<<", 1);
    let line2 = TD3[1].replacen("UTO", "D<<", 1);
    let m = parse_lines(&[&line1, &line2]);
    assert_eq!((m.issuing_state.as_str(), m.nationality.as_str()), ("D", "D"));
    assert!(m.valid);
}

// ---------------------------------------------------------------------------------------------
// Input clean-up

#[rstest]
#[case::lowercase(TD3.join("\n").to_lowercase())]
#[case::crlf(format!("{}\r\n{}\r\n", TD3[0], TD3[1]))]
#[case::cr_only(format!("{}\r{}", TD3[0], TD3[1]))]
#[case::whitespace_and_blank_lines(format!("\n  {} \t\n\n\n\t{}  \n\n", TD3[0], TD3[1]))]
#[case::concatenated(TD3.concat())]
#[case::concatenated_padded(format!("  {}\r\n", TD3.concat().to_lowercase()))]
fn td3_input_forms(#[case] text: String) {
    assert_eq!(parse(&text, TODAY), Ok(parse_lines(&TD3)));
}

#[rstest]
#[case::lines(TD1.join("\n"))]
#[case::concatenated(TD1.concat())]
#[case::lowercase_crlf(TD1.join("\r\n").to_lowercase())]
fn td1_input_forms(#[case] text: String) {
    let m = parse(&text, TODAY).unwrap();
    assert_eq!(m, parse_lines(&TD1));
    assert_eq!(m.format, MrzFormat::Td1);
}

#[rstest]
#[case::concatenated(TD2.concat())]
#[case::lowercase(TD2.join("\n").to_lowercase())]
fn td2_input_forms(#[case] text: String) {
    let m = parse(&text, TODAY).unwrap();
    assert_eq!(m, parse_lines(&TD2));
    assert_eq!(m.format, MrzFormat::Td2);
}

// ---------------------------------------------------------------------------------------------
// Not an MRZ at all

#[rstest]
#[case::empty(String::new(), MrzError::Empty)]
#[case::blank("\n \r\n\t\n".into(), MrzError::Empty)]
#[case::one_td3_line(TD3[0].into(), MrzError::WrongLength { found: 44 })]
#[case::short_single("P<UTO".into(), MrzError::WrongLength { found: 5 })]
#[case::four_lines(format!("{}\n{}\n{}\n{}", TD1[0], TD1[1], TD1[2], TD1[0]), MrzError::WrongLineCount { found: 4 })]
#[case::truncated(format!("{}\n{}", TD3[0], &TD3[1][..43]), MrzError::WrongLineLengths { lengths: "44, 43".into() })]
#[case::mixed(format!("{}\n{}", TD3[0], TD2[1]), MrzError::WrongLineLengths { lengths: "44, 36".into() })]
#[case::td1_short(format!("{}\n{}\n{}", TD1[0], TD1[1], &TD1[2][..29]), MrzError::WrongLineLengths { lengths: "30, 30, 29".into() })]
#[case::td1_two_lines(format!("{}\n{}", TD1[0], TD1[1]), MrzError::WrongLineLengths { lengths: "30, 30".into() })]
#[case::space(format!("P<UTO ERIKSSON\n{}", TD3[1]), MrzError::InvalidCharacter { line: 1, position: 6, character: ' ' })]
#[case::accent(format!("{}\n{}", TD3[0], TD3[1].replace('L', "É")), MrzError::InvalidCharacter { line: 2, position: 1, character: 'É' })]
#[case::after_blank(format!("\n\n{}\n\n{}-", TD3[0], TD3[1]), MrzError::InvalidCharacter { line: 2, position: 45, character: '-' })]
#[case::prose("Hello, world".into(), MrzError::InvalidCharacter { line: 1, position: 6, character: ',' })]
fn not_an_mrz(#[case] text: String, #[case] error: MrzError) {
    assert_eq!(parse(&text, TODAY), Err(error));
}

// ---------------------------------------------------------------------------------------------
// Messages

fn every_error() -> Vec<MrzError> {
    vec![
        MrzError::Empty,
        MrzError::InvalidCharacter { line: 2, position: 7, character: 'É' },
        MrzError::WrongLineCount { found: 4 },
        MrzError::WrongLength { found: 43 },
        MrzError::WrongLineLengths { lengths: "44, 43".into() },
    ]
}

#[test]
fn message_ids_are_listed_once_each() {
    let returned: BTreeSet<&str> = every_error().iter().map(MrzError::message_id).collect();
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
fn every_locale_translates_every_message_with_its_arguments() {
    for locale in ["en", "zh-Hant", "zh-Hans", "pt"] {
        let path =
            format!("{}/../i18n/locales/{locale}/validation.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        for error in every_error() {
            let id = error.message_id();
            let line = text
                .lines()
                .find(|l| l.split_once(" = ").is_some_and(|(k, _)| k.trim() == id))
                .unwrap_or_else(|| panic!("{locale}: no message {id}"));
            let given: Vec<&str> = error.message_args().iter().map(|(name, _)| *name).collect();
            for var in line.split("{ $").skip(1).filter_map(|r| r.split_once(' ').map(|(v, _)| v)) {
                assert!(given.contains(&var), "{locale}: {id} uses ${var}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No panics

fn check_invariants(m: &Mrz) -> Result<(), TestCaseError> {
    prop_assert_eq!(m.valid, m.errors.is_empty());
    for e in &m.errors {
        prop_assert!(ERROR_FIELDS.contains(&e.as_str()), "unknown error field {}", e);
    }
    let unique: BTreeSet<&String> = m.errors.iter().collect();
    prop_assert_eq!(unique.len(), m.errors.len());
    Ok(())
}

proptest! {
    #[test]
    fn never_panics_on_any_string(s in any::<String>()) {
        if let Err(e) = parse(&s, TODAY) {
            prop_assert!(ALL_MESSAGE_IDS.contains(&e.message_id()));
        }
    }

    #[test]
    fn never_panics_on_long_strings(s in "(.|\n){0,400}") {
        let _ = parse(&s, TODAY);
    }

    #[test]
    fn never_panics_on_near_mrz_text(s in "[A-Za-z0-9< \n\r\té]{0,140}") {
        if let Ok(m) = parse(&s, TODAY) {
            check_invariants(&m)?;
        }
    }

    #[test]
    fn any_two_lines_of_44_parse(a in "[A-Z0-9<]{44}", b in "[A-Z0-9<]{44}") {
        let m = parse(&format!("{a}\n{b}"), TODAY);
        prop_assert!(m.is_ok(), "{:?}", m);
        let m = m.unwrap();
        prop_assert_eq!(m.format, MrzFormat::Td3);
        check_invariants(&m)?;
        prop_assert_eq!(parse(&format!("{a}{b}"), TODAY), Ok(m));
    }

    #[test]
    fn any_two_lines_of_36_parse(a in "[A-Z0-9<]{36}", b in "[A-Z0-9<]{36}") {
        let m = parse(&format!("{a}\n{b}"), TODAY);
        prop_assert!(m.is_ok(), "{:?}", m);
        check_invariants(&m.unwrap())?;
    }

    #[test]
    fn any_three_lines_of_30_parse(
        a in "[A-Z0-9<]{30}",
        b in "[A-Z0-9<]{30}",
        c in "[A-Z0-9<]{30}",
    ) {
        let m = parse(&format!("{a}\n{b}\n{c}"), TODAY);
        prop_assert!(m.is_ok(), "{:?}", m);
        check_invariants(&m.unwrap())?;
    }

    #[test]
    fn any_today_is_fine(days in -1_000_000i64..1_000_000, zone in "[A-Z0-9<]{88}") {
        let today = date!(2000 - 01 - 01) + time::Duration::days(days);
        let m = parse(&zone, today);
        prop_assert!(m.is_ok());
    }
}
