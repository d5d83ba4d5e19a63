//! Identity-number validators: Mainland resident ID, Unified Social Credit Code, Hong Kong and
//! Macau identity cards — format, check character and normalised form — and the warning about a
//! birth date that is valid but an implausible age.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// The kinds of identity number the counter can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdKind {
    /// Mainland resident identity card (居民身份證), GB 11643-1999.
    CnResident,
    /// Unified Social Credit Code (統一社會信用代碼) of a Mainland organisation, GB 32100-2015.
    Uscc,
    /// Hong Kong identity card (香港身份證).
    Hk,
    /// Macau resident identity card (澳門居民身份證, BIR).
    Mo,
}

impl IdKind {
    pub const ALL: [IdKind; 4] = [IdKind::CnResident, IdKind::Uscc, IdKind::Hk, IdKind::Mo];

    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::CnResident => "cn-resident",
            IdKind::Uscc => "uscc",
            IdKind::Hk => "hk",
            IdKind::Mo => "mo",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind name that is not one of `cn-resident`, `uscc`, `hk`, `mo`. This comes from
/// configuration or code, never from a clerk, so it has no translated message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown identity number kind {0:?}: expected one of cn-resident, uscc, hk, mo")]
pub struct UnknownIdKind(pub String);

impl FromStr for IdKind {
    type Err = UnknownIdKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IdKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownIdKind(s.to_owned()))
    }
}

/// Why an identity number was refused. Positions are 1-based and count characters of the
/// trimmed input, as the clerk sees it on screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("The identity number is empty. Enter the number exactly as printed on the document.")]
    Empty,
    #[error(
        "The identity number has {found} characters but must have {expected}. \
         Check for missing or extra characters."
    )]
    WrongLength { expected: usize, found: usize },
    #[error(
        "Character '{character}' at position {position} is not allowed there. \
         Check for mistyped characters (for example the letter O instead of the digit 0)."
    )]
    InvalidCharacter { position: usize, character: char },
    #[error(
        "The first two digits ({code}) are not a Mainland province code. \
         Check the beginning of the number against the card."
    )]
    BadRegion { code: String },
    #[error(
        "Digits 7 to 14 ({digits}) are not a real date of birth (YYYYMMDD). \
         Check the birth-date part of the number against the card."
    )]
    BadBirthDate { digits: String },
    #[error(
        "Digits 7 to 14 ({digits}) give a date of birth in the future. \
         Check the birth-date part of the number against the card."
    )]
    BirthDateInFuture { digits: String },
    #[error(
        "The check character is '{found}' but the rest of the number requires '{expected}'. \
         Some character was probably mistyped: compare the whole number with the document."
    )]
    BadCheckCharacter { expected: char, found: char },
    #[error(
        "A Macau resident identity number starts with 1, 5 or 7, not '{found}'. \
         Check the first digit, and that the document is a Macau resident identity card."
    )]
    BadPrefix { found: char },
    #[error(
        "A Hong Kong identity card number is one or two letters, six digits and a check digit \
         (0-9 or A), for example A123456(3). Check for missing or extra characters."
    )]
    BadHkFormat,
    #[error(
        "A Macau resident identity number is seven digits and a check digit, for example \
         1234567(8). Check for missing or extra digits."
    )]
    BadMoFormat,
}

impl IdError {
    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            IdError::Empty => "id-error-empty",
            IdError::WrongLength { .. } => "id-error-wrong-length",
            IdError::InvalidCharacter { .. } => "id-error-invalid-character",
            IdError::BadRegion { .. } => "id-error-bad-region",
            IdError::BadBirthDate { .. } => "id-error-bad-birth-date",
            IdError::BirthDateInFuture { .. } => "id-error-birth-date-in-future",
            IdError::BadCheckCharacter { .. } => "id-error-bad-check-character",
            IdError::BadPrefix { .. } => "id-error-bad-prefix",
            IdError::BadHkFormat => "id-error-bad-hk-format",
            IdError::BadMoFormat => "id-error-bad-mo-format",
        }
    }

    /// The Fluent arguments of [`IdError::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            IdError::Empty | IdError::BadHkFormat | IdError::BadMoFormat => Vec::new(),
            IdError::WrongLength { expected, found } => {
                vec![("expected", expected.to_string()), ("found", found.to_string())]
            }
            IdError::InvalidCharacter { position, character } => {
                vec![("position", position.to_string()), ("character", character.to_string())]
            }
            IdError::BadRegion { code } => vec![("code", code.clone())],
            IdError::BadBirthDate { digits } | IdError::BirthDateInFuture { digits } => {
                vec![("digits", digits.clone())]
            }
            IdError::BadCheckCharacter { expected, found } => {
                vec![("expected", expected.to_string()), ("found", found.to_string())]
            }
            IdError::BadPrefix { found } => vec![("found", found.to_string())],
        }
    }
}

/// Every id that [`IdError::message_id`] can return; each needs a message in every locale's
/// `validation.ftl`.
pub const ALL_MESSAGE_IDS: &[&str] = &[
    "id-error-empty",
    "id-error-wrong-length",
    "id-error-invalid-character",
    "id-error-bad-region",
    "id-error-bad-birth-date",
    "id-error-birth-date-in-future",
    "id-error-bad-check-character",
    "id-error-bad-prefix",
    "id-error-bad-hk-format",
    "id-error-bad-mo-format",
];

/// Ages above this happen on paper but are nearly always a misread birth date (the oldest
/// person on record lived to 122), so the clerk is asked to look again. Not a rule of validity.
pub const MAX_PLAUSIBLE_AGE: i32 = 120;

/// Something about a valid number the clerk should check again. The number is accepted: a
/// warning is shown beside it, never instead of it.
#[derive(Clone, PartialEq, Eq)]
pub enum IdWarning {
    /// The birth date in a Mainland resident ID (digits 7 to 14) makes the holder older than
    /// [`MAX_PLAUSIBLE_AGE`].
    ImplausibleAge { digits: String, age: i32 },
}

impl std::fmt::Debug for IdWarning {
    /// The digits are the holder's birth date: personal data, left out.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdWarning::ImplausibleAge { age, .. } => {
                f.debug_struct("ImplausibleAge").field("age", age).finish_non_exhaustive()
            }
        }
    }
}

impl IdWarning {
    /// Every id [`IdWarning::message_id`] can return; each needs a message in every locale's
    /// `validation.ftl`.
    pub const ALL_MESSAGE_IDS: &[&str] = &["id-warning-implausible-age"];

    /// The Fluent message id the UI shows for this warning.
    pub fn message_id(&self) -> &'static str {
        match self {
            IdWarning::ImplausibleAge { .. } => "id-warning-implausible-age",
        }
    }

    /// The Fluent arguments of [`IdWarning::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            IdWarning::ImplausibleAge { digits, age } => {
                vec![("digits", digits.clone()), ("age", age.to_string())]
            }
        }
    }
}

impl fmt::Display for IdWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdWarning::ImplausibleAge { digits, age } => write!(
                f,
                "Digits 7 to 14 ({digits}) give an age of {age}. The number is valid, but check \
                 the birth-date part against the card."
            ),
        }
    }
}

/// Full years from `birth` to `today`, or `None` when `birth` is after `today`.
pub fn age_on(birth: Date, today: Date) -> Option<i32> {
    if birth > today {
        return None;
    }
    let birthday_passed = (today.month(), today.day()) >= (birth.month(), birth.day());
    Some(today.year() - birth.year() - i32::from(!birthday_passed))
}

/// The age on `today` of someone born on `birth`, when it is over [`MAX_PLAUSIBLE_AGE`]: worth a
/// warning wherever a screen shows a birth date or an age, never a reason to refuse.
pub fn implausible_age(birth: Date, today: Date) -> Option<i32> {
    age_on(birth, today).filter(|&age| age > MAX_PLAUSIBLE_AGE)
}

/// The warnings about `value` as an identity number of `kind` on `today`: for a valid Mainland
/// resident ID, an implausible age. Nothing for an invalid number (its error says enough) or a
/// kind that encodes no birth date.
pub fn warnings_as_of(kind: IdKind, value: &str, today: Date) -> Vec<IdWarning> {
    let Ok(normalised) = check_as_of(kind, value, today) else {
        return Vec::new();
    };
    let birth = match kind {
        IdKind::CnResident => cn_resident_birth_date(&normalised),
        IdKind::Uscc | IdKind::Hk | IdKind::Mo => None,
    };
    let Some(birth) = birth else { return Vec::new() };
    match implausible_age(birth, today) {
        Some(age) => {
            let digits = normalised.get(6..14).unwrap_or_default().to_owned();
            vec![IdWarning::ImplausibleAge { digits, age }]
        }
        None => Vec::new(),
    }
}

/// Checks `value` as an identity number of `kind` and returns its normalised form.
///
/// Knows no date, so it accepts a Mainland resident ID whose birth date is in the future; where
/// today's date is known, use [`check_as_of`].
pub fn check(kind: IdKind, value: &str) -> Result<String, IdError> {
    match kind {
        IdKind::CnResident => check_cn_resident(value),
        IdKind::Uscc => check_uscc(value),
        IdKind::Hk => check_hk(value),
        IdKind::Mo => check_mo(value),
    }
}

/// Like [`check`], and also refuses a Mainland resident ID whose birth date is after `today`
/// with [`IdError::BirthDateInFuture`]. A birth date of `today` itself is accepted. The other
/// kinds encode no date and are checked exactly as [`check`] does.
pub fn check_as_of(kind: IdKind, value: &str, today: Date) -> Result<String, IdError> {
    match kind {
        IdKind::CnResident => check_cn_resident_as_of(value, today),
        IdKind::Uscc | IdKind::Hk | IdKind::Mo => check(kind, value),
    }
}

/// Trims, folds full-width forms (a CJK keyboard types `Ａ１２３`) and uppercases. Each character
/// folds to one character and only ASCII is uppercased, so that reported positions match what
/// the clerk typed.
fn normalise(value: &str) -> Result<Vec<char>, IdError> {
    let chars: Vec<char> = value
        .trim()
        .chars()
        .map(|c| crate::text::fold_width_char(c).to_ascii_uppercase())
        .collect();
    if chars.is_empty() { Err(IdError::Empty) } else { Ok(chars) }
}

fn fixed_length<const N: usize>(chars: &[char]) -> Result<[char; N], IdError> {
    chars.try_into().map_err(|_| IdError::WrongLength { expected: N, found: chars.len() })
}

fn digit_at(chars: &[char], index: usize) -> Result<u32, IdError> {
    let character = chars.get(index).copied().unwrap_or(' ');
    character.to_digit(10).ok_or(IdError::InvalidCharacter { position: index + 1, character })
}

// ---------------------------------------------------------------------------------------------
// Mainland resident identity card, GB 11643-1999.

const CN_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Province-level codes: the Mainland's provinces, plus 71 Taiwan, 81 Hong Kong, 82 Macau and 83
/// for the residence permits of Taiwan residents, and 91 which some references list for
/// permanent residence of foreigners.
fn is_province_code(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82 | 83 | 91)
}

/// A real calendar date from 8 ASCII digits YYYYMMDD (as Mainland ID numbers and cards write
/// dates, after GB/T 7408). Any year: GB 11643's own example holder was born in 1880, and
/// whether an age is plausible is a separate question ([`implausible_age`]).
pub fn yyyymmdd(digits: &str) -> Option<Date> {
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits.get(0..4)?.parse().ok()?;
    let month: u8 = digits.get(4..6)?.parse().ok()?;
    let day: u8 = digits.get(6..8)?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// The date of birth encoded in a Mainland resident ID (digits 7 to 14), or `None` when the
/// input is not 18 characters or those digits are not a real date. Does not check the
/// rest of the number: call [`check_cn_resident`] first. Does not compare the date with today:
/// [`check_cn_resident_as_of`] does.
pub fn cn_resident_birth_date(normalised: &str) -> Option<Date> {
    if normalised.chars().count() != 18 {
        return None;
    }
    yyyymmdd(normalised.get(6..14)?)
}

/// Checks a Mainland resident identity number: 17 digits and a check character (0-9 or X,
/// ISO 7064 MOD 11-2), a province code and a real birth date. Returns it uppercased.
///
/// Knows no date, so a birth date in the future passes; see [`check_cn_resident_as_of`].
pub fn check_cn_resident(value: &str) -> Result<String, IdError> {
    cn_resident(value, None)
}

/// Like [`check_cn_resident`], and also refuses a birth date after `today` with
/// [`IdError::BirthDateInFuture`]. That error comes where [`IdError::BadBirthDate`] would: after
/// the characters, length and province code, before the check character.
pub fn check_cn_resident_as_of(value: &str, today: Date) -> Result<String, IdError> {
    cn_resident(value, Some(today))
}

fn cn_resident(value: &str, today: Option<Date>) -> Result<String, IdError> {
    let chars = normalise(value)?;
    let chars: [char; 18] = fixed_length(&chars)?;
    let mut digits = [0u32; 17];
    for (i, digit) in digits.iter_mut().enumerate() {
        *digit = digit_at(&chars, i)?;
    }
    let found = chars[17];
    if !(found.is_ascii_digit() || found == 'X') {
        return Err(IdError::InvalidCharacter { position: 18, character: found });
    }
    let region = digits[0] * 10 + digits[1];
    if !is_province_code(region) {
        return Err(IdError::BadRegion { code: format!("{region:02}") });
    }
    let birth: String = chars[6..14].iter().collect();
    match yyyymmdd(&birth) {
        None => return Err(IdError::BadBirthDate { digits: birth }),
        Some(date) if today.is_some_and(|today| date > today) => {
            return Err(IdError::BirthDateInFuture { digits: birth });
        }
        Some(_) => {}
    }
    let sum: u32 = digits.iter().zip(CN_WEIGHTS).map(|(d, w)| d * w).sum();
    let expected = CN_CHECK[(sum % 11) as usize];
    if found != expected {
        return Err(IdError::BadCheckCharacter { expected, found });
    }
    Ok(chars.iter().collect())
}

// ---------------------------------------------------------------------------------------------
// Unified Social Credit Code, GB 32100-2015.

/// Digits and capitals without I, O, Z, S, V, which are too easily confused with 1, 0, 2, 5, U.
const USCC_ALPHABET: [char; 31] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J',
    'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'W', 'X', 'Y',
];
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn uscc_value(c: char) -> Option<u32> {
    USCC_ALPHABET.iter().position(|&a| a == c).and_then(|p| u32::try_from(p).ok())
}

/// Checks a Unified Social Credit Code: 18 characters of the code's 31-character alphabet,
/// digits in positions 3 to 8 (the administrative division) and the MOD 31 check character.
/// Returns it uppercased.
pub fn check_uscc(value: &str) -> Result<String, IdError> {
    let chars = normalise(value)?;
    let chars: [char; 18] = fixed_length(&chars)?;
    let mut values = [0u32; 18];
    for (i, (value, &character)) in values.iter_mut().zip(&chars).enumerate() {
        // Positions 3 to 8 are the administrative division code, which is numeric.
        let allowed = !(2..8).contains(&i) || character.is_ascii_digit();
        *value = uscc_value(character)
            .filter(|_| allowed)
            .ok_or(IdError::InvalidCharacter { position: i + 1, character })?;
    }
    let sum: u32 = values.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    let expected = USCC_ALPHABET[((31 - sum % 31) % 31) as usize];
    let found = chars[17];
    if found != expected {
        return Err(IdError::BadCheckCharacter { expected, found });
    }
    Ok(chars.iter().collect())
}

// ---------------------------------------------------------------------------------------------
// Hong Kong identity card.

/// Checks a Hong Kong identity card number: one or two letters, six digits and a check digit
/// (0-9 or A), with or without parentheses around the check digit. Returns it as `A123456(3)`.
pub fn check_hk(value: &str) -> Result<String, IdError> {
    let chars = normalise(value)?;
    let n = chars.len();
    let has_parens = chars.iter().any(|&c| c == '(' || c == ')');
    let (body, check_index) = if has_parens {
        if n < 4 || chars[n - 1] != ')' || chars[n - 3] != '(' {
            return Err(IdError::BadHkFormat);
        }
        (&chars[..n - 3], n - 2)
    } else {
        (&chars[..n - 1], n - 1)
    };
    // The prefix length is read from the letters typed, so that a missing or extra digit is
    // reported as such rather than as a digit where a letter should be.
    let letters = body.iter().take_while(|c| c.is_ascii_uppercase()).count();
    match (letters, body.first()) {
        (_, None) => return Err(IdError::BadHkFormat),
        (0, Some(&character)) => {
            return Err(IdError::InvalidCharacter { position: 1, character });
        }
        (1 | 2, _) if body.len() == letters + 6 => {}
        _ => return Err(IdError::BadHkFormat),
    }
    // A one-letter number is weighed as if preceded by a space, which counts 36.
    let mut sum = if letters == 1 { 36 * 9 } else { 0 };
    let mut weight = if letters == 1 { 8 } else { 9 };
    for (i, &character) in body.iter().enumerate() {
        let value = if i < letters {
            character.is_ascii_uppercase().then(|| u32::from(character) - u32::from('A') + 10)
        } else {
            character.to_digit(10)
        };
        let value = value.ok_or(IdError::InvalidCharacter { position: i + 1, character })?;
        sum += value * weight;
        weight -= 1;
    }
    let found = chars[check_index];
    if !(found.is_ascii_digit() || found == 'A') {
        return Err(IdError::InvalidCharacter { position: check_index + 1, character: found });
    }
    let expected = match (11 - sum % 11) % 11 {
        10 => 'A',
        d => char::from_digit(d, 10).unwrap_or('?'),
    };
    if found != expected {
        return Err(IdError::BadCheckCharacter { expected, found });
    }
    let body: String = body.iter().collect();
    Ok(format!("{body}({found})"))
}

// ---------------------------------------------------------------------------------------------
// Macau resident identity card.

/// Checks the format of a Macau resident identity number: seven digits starting with 1, 5 or 7
/// and a check digit, with or without parentheses around it. Returns it as `1234567(8)`.
///
/// Only the format is checked: the Identification Services Bureau (DSI) has not published how
/// the check digit is computed, so a mistyped digit cannot be detected here.
pub fn check_mo(value: &str) -> Result<String, IdError> {
    let chars = normalise(value)?;
    let has_parens = chars.iter().any(|&c| c == '(' || c == ')');
    let (digits, check_index) = if has_parens {
        if chars.len() != 10 || chars[7] != '(' || chars[9] != ')' {
            return Err(IdError::BadMoFormat);
        }
        (&chars[..7], 8)
    } else {
        if chars.len() != 8 {
            return Err(IdError::BadMoFormat);
        }
        (&chars[..7], 7)
    };
    for i in (0..digits.len()).chain([check_index]) {
        digit_at(&chars, i)?;
    }
    let first = chars[0];
    if !matches!(first, '1' | '5' | '7') {
        return Err(IdError::BadPrefix { found: first });
    }
    let digits: String = digits.iter().collect();
    Ok(format!("{digits}({})", chars[check_index]))
}
