//! Password and PIN rules of the seeds: the cloud-signing password, the online account password
//! and the token PIN, each reporting every broken rule at once as Fluent message ids.

/// Every id the functions of this module can return; each needs a message in every locale's
/// `validation.ftl`.
pub const ALL_MESSAGE_IDS: &[&str] = &[
    "password-too-short",
    "password-too-long",
    "password-needs-letter",
    "password-needs-non-letter",
    "password-needs-three-classes",
    "pin-wrong-length",
    "pin-not-digits",
];

/// Both password rules start at 8 characters, so they share `password-too-short`.
const MIN_PASSWORD_CHARS: usize = 8;
const MAX_ACCOUNT_PASSWORD_CHARS: usize = 16;
const PIN_DIGITS: usize = 6;

/// The cloud-signing password: at least 8 characters, with at least one letter and at least one
/// character that is not a letter.
///
/// As the seed's rule says ("英文字母 (a - z，大小寫均可)"), a letter is an ASCII letter, `a`–`z`
/// or `A`–`Z`. Everything else is a non-letter: digits, symbols, spaces, accented and other
/// non-ASCII letters, full-width letters and CJK characters. So `密碼密碼密碼12` has no letter, and
/// `Pässwörd` has both.
pub fn cloud_sign_password_problems(pw: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        problems.push("password-too-short");
    }
    if !pw.chars().any(|c| c.is_ascii_alphabetic()) {
        problems.push("password-needs-letter");
    }
    if pw.chars().all(|c| c.is_ascii_alphabetic()) {
        problems.push("password-needs-non-letter");
    }
    problems
}

/// The online account password: 8 to 16 characters, using at least three of the four classes
/// uppercase letters, lowercase letters, digits and symbols. A character that is none of the
/// first three (punctuation, a space, a CJK character) counts as a symbol.
pub fn account_password_problems(pw: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    let length = pw.chars().count();
    if length < MIN_PASSWORD_CHARS {
        problems.push("password-too-short");
    }
    if length > MAX_ACCOUNT_PASSWORD_CHARS {
        problems.push("password-too-long");
    }
    let (mut upper, mut lower, mut digit, mut symbol) = (false, false, false, false);
    for c in pw.chars() {
        if c.is_uppercase() {
            upper = true;
        } else if c.is_lowercase() {
            lower = true;
        } else if c.is_ascii_digit() {
            digit = true;
        } else {
            symbol = true;
        }
    }
    if [upper, lower, digit, symbol].into_iter().filter(|&c| c).count() < 3 {
        problems.push("password-needs-three-classes");
    }
    problems
}

/// The token PIN: exactly 6 ASCII digits. The one rule for every new user PIN, wherever it is
/// set: a token initialised from stock, a PIN change, an unlock (`tokens::pin::check_new_pin`).
pub fn token_pin_problems(pin: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if pin.chars().count() != PIN_DIGITS {
        problems.push("pin-wrong-length");
    }
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        problems.push("pin-not-digits");
    }
    problems
}
