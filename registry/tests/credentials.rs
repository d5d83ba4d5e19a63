//! Password and PIN rules: every problem reported at once, characters counted rather than bytes,
//! and no panic on any input.

// A failed unwrap in a test is a test failure with a backtrace, which is what we want.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use registry::credentials::{
    ALL_MESSAGE_IDS, account_password_problems, cloud_sign_password_problems, token_pin_problems,
};
use rstest::rstest;

// A letter is an ASCII letter (a-z, A-Z) only, as the seed says: "1 個或以上的英文字母 (a - z，
// 大小寫均可)" and "1 個或以上非字母 (數字或特殊字符)". Every other character is a non-letter.
#[rstest]
#[case("abcdefg1", &[])]
#[case("12345678a", &[])]
#[case("12345678Z", &[])]
#[case("password!", &[])]
#[case("pass word", &[])]
// CJK characters, accented and full-width letters are non-letters.
#[case("密碼密碼密碼ab", &[])]
#[case("Pässwörd", &[])]
#[case("ｐａｓｓｗｏｒｄ1a", &[])]
#[case("密碼密碼密碼12", &["password-needs-letter"])]
#[case("密碼密碼密碼密碼", &["password-needs-letter"])]
#[case("ÄÖÜäöüßé", &["password-needs-letter"])]
#[case("αβγδεζηθ", &["password-needs-letter"])]
#[case("ｐａｓｓｗｏｒｄ", &["password-needs-letter"])]
#[case("abcdefgh", &["password-needs-non-letter"])]
#[case("ABCDefgh", &["password-needs-non-letter"])]
#[case("12345678", &["password-needs-letter"])]
#[case("!@#$%^&*()", &["password-needs-letter"])]
#[case("abc1", &["password-too-short"])]
#[case("abc", &["password-too-short", "password-needs-non-letter"])]
#[case("1234567", &["password-too-short", "password-needs-letter"])]
#[case("", &["password-too-short", "password-needs-letter", "password-needs-non-letter"])]
// Seven characters but more than eight bytes.
#[case("密碼密碼密碼a", &["password-too-short"])]
#[case("密碼密碼密碼1", &["password-too-short", "password-needs-letter"])]
#[case("        ", &["password-needs-letter"])]
fn cloud_sign_password(#[case] pw: &str, #[case] problems: &[&str]) {
    assert_eq!(cloud_sign_password_problems(pw), problems);
}

#[rstest]
#[case("Abcdefg1", &[])]
#[case("abcdefg1!", &[])]
#[case("ABCDEFG1!", &[])]
#[case("Abcdefgh!", &[])]
#[case("Abcdefgh1234567!", &[])]
#[case("Ab1!Ab1!", &[])]
#[case("Ab1 Ab1 ", &[])]
#[case("Ábcdéfg1", &[])]
#[case("abcdefgh", &["password-needs-three-classes"])]
#[case("abcdefg1", &["password-needs-three-classes"])]
#[case("ABCDEFGH", &["password-needs-three-classes"])]
#[case("12345678", &["password-needs-three-classes"])]
#[case("!@#$%^&*", &["password-needs-three-classes"])]
#[case("Abcdefgh", &["password-needs-three-classes"])]
#[case("Ab1!", &["password-too-short"])]
#[case("Ab1", &["password-too-short"])]
#[case("ab1", &["password-too-short", "password-needs-three-classes"])]
#[case("", &["password-too-short", "password-needs-three-classes"])]
#[case("Abcdefgh12345678!", &["password-too-long"])]
#[case("abcdefghijklmnopq", &["password-too-long", "password-needs-three-classes"])]
// Sixteen characters, more than sixteen bytes.
#[case("Ab1密碼密碼密碼密碼密碼密碼密", &[])]
#[case("Ab1密碼密碼密碼密碼密碼密碼密碼", &["password-too-long"])]
fn account_password(#[case] pw: &str, #[case] problems: &[&str]) {
    assert_eq!(account_password_problems(pw), problems);
}

#[rstest]
#[case("123456", &[])]
#[case("000000", &[])]
#[case("12345", &["pin-wrong-length"])]
#[case("1234567", &["pin-wrong-length"])]
#[case("", &["pin-wrong-length"])]
#[case("12345a", &["pin-not-digits"])]
#[case("12 456", &["pin-not-digits"])]
#[case("１２３４５６", &["pin-not-digits"])]
#[case("١٢٣٤٥٦", &["pin-not-digits"])]
#[case("abc", &["pin-wrong-length", "pin-not-digits"])]
#[case(" 123456", &["pin-wrong-length", "pin-not-digits"])]
fn token_pin(#[case] pin: &str, #[case] problems: &[&str]) {
    assert_eq!(token_pin_problems(pin), problems);
}

#[test]
fn message_ids_are_listed_once_each() {
    let listed: BTreeSet<&str> = ALL_MESSAGE_IDS.iter().copied().collect();
    assert_eq!(listed.len(), ALL_MESSAGE_IDS.len(), "duplicate ids");
    let returned: BTreeSet<&str> = [
        cloud_sign_password_problems(""),
        account_password_problems(""),
        account_password_problems("abcdefghijklmnopq"),
        token_pin_problems("abc"),
    ]
    .concat()
    .into_iter()
    .collect();
    assert_eq!(returned, listed);
}

#[test]
fn every_locale_translates_every_message() {
    for locale in ["en", "zh-Hant", "zh-Hans", "pt"] {
        let path =
            format!("{}/../i18n/locales/{locale}/validation.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        for id in ALL_MESSAGE_IDS {
            let line = text
                .lines()
                .find(|l| l.split_once(" = ").is_some_and(|(k, _)| k.trim() == *id))
                .unwrap_or_else(|| panic!("{locale}: no message {id}"));
            // These messages get no arguments.
            assert!(!line.contains("{ $"), "{locale}: {id} uses a variable");
        }
    }
}

proptest! {
    #[test]
    fn never_panics_and_only_returns_listed_ids(s in any::<String>()) {
        for id in cloud_sign_password_problems(&s)
            .into_iter()
            .chain(account_password_problems(&s))
            .chain(token_pin_problems(&s))
        {
            prop_assert!(ALL_MESSAGE_IDS.contains(&id));
        }
    }

    #[test]
    fn cloud_sign_letters_are_ascii_letters_only(s in any::<String>()) {
        let problems = cloud_sign_password_problems(&s);
        prop_assert_eq!(
            problems.contains(&"password-needs-letter"),
            !s.chars().any(|c| c.is_ascii_alphabetic())
        );
        prop_assert_eq!(
            problems.contains(&"password-needs-non-letter"),
            s.chars().all(|c| c.is_ascii_alphabetic())
        );
    }

    #[test]
    fn an_ascii_letter_and_anything_else_satisfy_the_cloud_sign_classes(
        letter in "[a-zA-Z]",
        other in "[^a-zA-Z]",
        filler in ".{6,20}",
    ) {
        let problems = cloud_sign_password_problems(&format!("{letter}{filler}{other}"));
        prop_assert!(problems.is_empty(), "{:?}", problems);
    }

    #[test]
    fn six_ascii_digits_are_a_pin(pin in "[0-9]{6}") {
        prop_assert!(token_pin_problems(&pin).is_empty());
    }

    #[test]
    fn long_strings_are_too_long(s in "[a-zA-Z0-9!]{17,300}") {
        prop_assert!(account_password_problems(&s).contains(&"password-too-long"));
    }
}
