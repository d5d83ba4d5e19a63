//! ICAO 9303 machine readable zones (TD1 identity cards, TD2 cards, TD3 passports): the shape
//! check, the fields, the check digits and the two-digit-year dates.

use std::fmt;

use serde::{Serialize, Serializer};
use time::{Date, Month};

/// The three MRZ layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MrzFormat {
    /// Three lines of 30 characters (identity cards).
    #[serde(rename = "TD1")]
    Td1,
    /// Two lines of 36 characters.
    #[serde(rename = "TD2")]
    Td2,
    /// Two lines of 44 characters (passports).
    #[serde(rename = "TD3")]
    Td3,
}

impl MrzFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
        }
    }
}

/// The holder's sex as the MRZ states it; `X` stands for unspecified (`<` in the zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Sex {
    F,
    M,
    X,
}

/// Field names that can appear in [`Mrz::errors`].
pub const ERROR_FIELDS: &[&str] =
    &["document_number", "birth_date", "sex", "expiry_date", "optional_data", "composite"];

/// A zone that has the shape of an MRZ, read field by field. A zone whose check digits fail is
/// still returned — with `valid == false` and the failing fields in `errors` — because the
/// clerk needs to see what was read in order to decide whether to rescan or type it.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Mrz {
    pub format: MrzFormat,
    /// The document code with fillers removed: `P`, `I`, `ID`, `AC`, …
    pub document_code: String,
    pub issuing_state: String,
    /// The whole document number, including the part a long number (more than 9 characters)
    /// continues into the optional data.
    pub document_number: String,
    pub nationality: String,
    /// `None` when the six digits are not a real date; serialised as `YYYY-MM-DD` or null.
    #[serde(serialize_with = "serialize_date")]
    pub birth_date: Option<Date>,
    /// `None` when the six digits are not a real date; serialised as `YYYY-MM-DD` or null.
    #[serde(serialize_with = "serialize_date")]
    pub expiry_date: Option<Date>,
    pub sex: Sex,
    pub surname: String,
    /// Given names separated by single spaces.
    pub given_names: String,
    /// Optional data with leading and trailing fillers trimmed and inner fillers kept. For a
    /// long document number, only what follows the number's continuation, its check digit and
    /// the filler after it. TD1 has two optional data fields (line 1 and line 2): they are
    /// joined with one space when both are non-empty — an MRZ never contains a space, so the
    /// two stay distinguishable.
    pub optional_data: String,
    /// `errors.is_empty()`.
    pub valid: bool,
    /// The fields whose check digit failed or that hold an impossible value, in zone order,
    /// each named once; see [`ERROR_FIELDS`]. `birth_date`/`expiry_date` also appear when the
    /// date is not a real date and `sex` when it is not `F`, `M`, `X` or `<`.
    pub errors: Vec<String>,
}

/// Document numbers and names are personal data: `Debug` shows only the outcome of the checks.
impl fmt::Debug for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mrz")
            .field("format", &self.format)
            .field("valid", &self.valid)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

fn serialize_date<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => serializer.serialize_str(&format!(
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )),
        None => serializer.serialize_none(),
    }
}

/// Why a text is not an MRZ at all. Positions and line numbers are 1-based; lines are counted
/// after empty lines are dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    #[error("No machine readable zone was read. Scan the document again or type the zone's lines.")]
    Empty,
    #[error(
        "Character '{character}' at line {line}, position {position} cannot appear in a machine \
         readable zone (only A-Z, 0-9 and <). Check for misread or mistyped characters."
    )]
    InvalidCharacter { line: usize, position: usize, character: char },
    #[error(
        "A machine readable zone has 2 or 3 lines, but {found} were read. \
         Check that the whole zone, and nothing else, was scanned."
    )]
    WrongLineCount { found: usize },
    #[error(
        "A machine readable zone on one line has 90, 72 or 88 characters (3 lines of 30, or 2 of \
         36 or 44, joined), but this one has {found}. Check for missing or extra characters."
    )]
    WrongLength { found: usize },
    #[error(
        "The lines have {lengths} characters, but a machine readable zone has 3 lines of 30, or 2 \
         lines of 36 or of 44. Check for missing or extra characters."
    )]
    WrongLineLengths { lengths: String },
}

/// Every id that [`MrzError::message_id`] can return; each needs a message in every locale's
/// `validation.ftl`.
pub const ALL_MESSAGE_IDS: &[&str] = &[
    "mrz-error-empty",
    "mrz-error-invalid-character",
    "mrz-error-wrong-line-count",
    "mrz-error-wrong-length",
    "mrz-error-wrong-line-lengths",
];

impl MrzError {
    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            MrzError::Empty => "mrz-error-empty",
            MrzError::InvalidCharacter { .. } => "mrz-error-invalid-character",
            MrzError::WrongLineCount { .. } => "mrz-error-wrong-line-count",
            MrzError::WrongLength { .. } => "mrz-error-wrong-length",
            MrzError::WrongLineLengths { .. } => "mrz-error-wrong-line-lengths",
        }
    }

    /// The Fluent arguments of [`MrzError::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            MrzError::Empty => Vec::new(),
            MrzError::InvalidCharacter { line, position, character } => vec![
                ("line", line.to_string()),
                ("position", position.to_string()),
                ("character", character.to_string()),
            ],
            MrzError::WrongLineCount { found } | MrzError::WrongLength { found } => {
                vec![("found", found.to_string())]
            }
            MrzError::WrongLineLengths { lengths } => vec![("lengths", lengths.clone())],
        }
    }
}

/// The ICAO 9303 check digit of `field` (weights 7 3 1, `<` = 0, A = 10 … Z = 35), or `None`
/// when `field` holds a character outside the MRZ alphabet.
pub fn check_digit(field: &str) -> Option<char> {
    let mut sum = 0u32;
    for (c, weight) in field.chars().zip([7u32, 3, 1].into_iter().cycle()) {
        let value = match c {
            '<' => 0,
            '0'..='9' => u32::from(c) - u32::from('0'),
            'A'..='Z' => u32::from(c) - u32::from('A') + 10,
            _ => return None,
        };
        sum += value * weight;
    }
    char::from_digit(sum % 10, 10)
}

fn digit_ok(field: &str, check: char) -> bool {
    check_digit(field) == Some(check)
}

/// Parses a machine readable zone: 2 or 3 lines, or one line that is the lines joined. Each
/// line's surrounding whitespace and empty lines are ignored, letters may be lowercase. `today`
/// places the two-digit years in a century.
pub fn parse(text: &str, today: Date) -> Result<Mrz, MrzError> {
    let lines = clean_lines(text)?;
    let (format, lines) = layout(lines)?;
    let lines: Vec<Line<'_>> = lines.iter().map(|l| Line(l)).collect();
    let raw = match format {
        MrzFormat::Td1 => td1(&lines),
        MrzFormat::Td2 => td2_td3(&lines, 36),
        MrzFormat::Td3 => td2_td3(&lines, 44),
    };
    Ok(interpret(format, &raw, today))
}

fn clean_lines(text: &str) -> Result<Vec<String>, MrzError> {
    let mut lines = Vec::new();
    for raw in text.split(['\n', '\r']) {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let line: String = trimmed.chars().map(|c| c.to_ascii_uppercase()).collect();
        let bad =
            line.chars().enumerate().find(|&(_, c)| !matches!(c, 'A'..='Z' | '0'..='9' | '<'));
        if let Some((i, character)) = bad {
            return Err(MrzError::InvalidCharacter {
                line: lines.len() + 1,
                position: i + 1,
                character,
            });
        }
        lines.push(line);
    }
    if lines.is_empty() { Err(MrzError::Empty) } else { Ok(lines) }
}

/// Recognises the layout from the line count and lengths. Lines hold only ASCII by now, so
/// `len()` counts characters.
fn layout(lines: Vec<String>) -> Result<(MrzFormat, Vec<String>), MrzError> {
    let lengths: Vec<usize> = lines.iter().map(String::len).collect();
    match lengths.as_slice() {
        [single] => {
            let (format, width) = match *single {
                90 => (MrzFormat::Td1, 30),
                72 => (MrzFormat::Td2, 36),
                88 => (MrzFormat::Td3, 44),
                found => return Err(MrzError::WrongLength { found }),
            };
            let chars: Vec<char> = lines.concat().chars().collect();
            Ok((format, chars.chunks(width).map(|c| c.iter().collect()).collect()))
        }
        [30, 30, 30] => Ok((MrzFormat::Td1, lines)),
        [36, 36] => Ok((MrzFormat::Td2, lines)),
        [44, 44] => Ok((MrzFormat::Td3, lines)),
        [_, _] | [_, _, _] => Err(MrzError::WrongLineLengths {
            lengths: lengths.iter().map(usize::to_string).collect::<Vec<_>>().join(", "),
        }),
        _ => Err(MrzError::WrongLineCount { found: lines.len() }),
    }
}

/// One line of a zone whose shape is already checked. The accessors fall back to fillers
/// rather than panic, so a layout mistake here degrades into failed check digits.
#[derive(Debug, Clone, Copy)]
struct Line<'a>(&'a str);

impl<'a> Line<'a> {
    fn field(self, range: std::ops::Range<usize>) -> &'a str {
        self.0.get(range).unwrap_or("")
    }

    fn at(self, index: usize) -> char {
        self.0.as_bytes().get(index).map_or('<', |&b| char::from(b))
    }
}

/// The zone cut into its fields, before interpretation.
#[derive(Debug)]
struct RawFields<'a> {
    document_code: &'a str,
    issuing_state: &'a str,
    document_number: &'a str,
    document_number_check: char,
    nationality: &'a str,
    birth_date: &'a str,
    birth_date_check: char,
    sex: char,
    expiry_date: &'a str,
    expiry_date_check: char,
    /// The optional data field that a long document number continues into.
    optional_data: &'a str,
    /// TD1's second optional data field.
    optional_data_2: Option<&'a str>,
    /// TD3's personal number check digit.
    optional_data_check: Option<char>,
    composite: String,
    composite_check: char,
    name: &'a str,
}

fn td1<'a>(lines: &[Line<'a>]) -> RawFields<'a> {
    let l1 = lines.first().copied().unwrap_or(Line(""));
    let l2 = lines.get(1).copied().unwrap_or(Line(""));
    let l3 = lines.get(2).copied().unwrap_or(Line(""));
    RawFields {
        document_code: l1.field(0..2),
        issuing_state: l1.field(2..5),
        document_number: l1.field(5..14),
        document_number_check: l1.at(14),
        optional_data: l1.field(15..30),
        birth_date: l2.field(0..6),
        birth_date_check: l2.at(6),
        sex: l2.at(7),
        expiry_date: l2.field(8..14),
        expiry_date_check: l2.at(14),
        nationality: l2.field(15..18),
        optional_data_2: Some(l2.field(18..29)),
        optional_data_check: None,
        composite: [l1.field(5..30), l2.field(0..7), l2.field(8..15), l2.field(18..29)].concat(),
        composite_check: l2.at(29),
        name: l3.field(0..30),
    }
}

/// TD2 and TD3 share their layout up to the optional data, which runs to the composite check
/// digit at the end of line 2; TD3 alone gives its optional data (the personal number) a check
/// digit of its own just before the composite one.
fn td2_td3<'a>(lines: &[Line<'a>], width: usize) -> RawFields<'a> {
    let l1 = lines.first().copied().unwrap_or(Line(""));
    let l2 = lines.get(1).copied().unwrap_or(Line(""));
    let composite_at = width - 1;
    let (optional_end, optional_data_check) =
        if width == 44 { (42, Some(l2.at(42))) } else { (composite_at, None) };
    RawFields {
        document_code: l1.field(0..2),
        issuing_state: l1.field(2..5),
        name: l1.field(5..width),
        document_number: l2.field(0..9),
        document_number_check: l2.at(9),
        nationality: l2.field(10..13),
        birth_date: l2.field(13..19),
        birth_date_check: l2.at(19),
        sex: l2.at(20),
        expiry_date: l2.field(21..27),
        expiry_date_check: l2.at(27),
        optional_data: l2.field(28..optional_end),
        optional_data_2: None,
        optional_data_check,
        composite: [l2.field(0..10), l2.field(13..20), l2.field(21..composite_at)].concat(),
        composite_check: l2.at(composite_at),
    }
}

fn trim_fillers(s: &str) -> &str {
    s.trim_matches('<')
}

/// Words separated by one or more fillers, joined with single spaces.
fn words(s: &str) -> String {
    s.split('<').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The document number, whether its check digit holds, and the optional data that remains.
///
/// A number longer than 9 characters (ICAO 9303 parts 5 and 6) puts its first 9 characters in
/// the number field and a filler in the check digit position; the optional data then starts
/// with the remaining characters, the check digit over the whole number, and a filler.
fn document_number<'a>(field: &str, check: char, optional: &'a str) -> (String, bool, &'a str) {
    if check != '<' {
        return (trim_fillers(field).to_owned(), digit_ok(field, check), optional);
    }
    let (head, rest) = optional.split_once('<').unwrap_or((optional, ""));
    let mut head_chars = head.chars();
    let long_check = head_chars.next_back();
    let continuation = head_chars.as_str();
    match long_check {
        Some(long_check) if !continuation.is_empty() => {
            let whole = format!("{field}{continuation}");
            let ok = digit_ok(&whole, long_check);
            (trim_fillers(&whole).to_owned(), ok, rest)
        }
        // A filler in the check digit position without a continuation is just a missing check
        // digit.
        _ => (trim_fillers(field).to_owned(), false, optional),
    }
}

/// Two-digit years: a birth year after this year's two digits is last century; an expiry year
/// is this century unless that puts it more than 50 calendar years after this year.
fn date(yymmdd: &str, today: Date, expiry: bool) -> Option<Date> {
    if yymmdd.len() != 6 || !yymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: i32 = yymmdd.get(0..2)?.parse().ok()?;
    let month: u8 = yymmdd.get(2..4)?.parse().ok()?;
    let day: u8 = yymmdd.get(4..6)?.parse().ok()?;
    let year = if expiry {
        if 2000 + yy - today.year() > 50 { 1900 + yy } else { 2000 + yy }
    } else if yy > today.year().rem_euclid(100) {
        1900 + yy
    } else {
        2000 + yy
    };
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

fn interpret(format: MrzFormat, raw: &RawFields<'_>, today: Date) -> Mrz {
    let mut errors: Vec<String> = Vec::new();
    let mut fail = |field: &str, failed: bool| {
        if failed && !errors.iter().any(|e| e == field) {
            errors.push(field.to_owned());
        }
    };

    let (document_number, number_ok, optional_rest) =
        document_number(raw.document_number, raw.document_number_check, raw.optional_data);
    fail("document_number", !number_ok);

    let birth_date = date(raw.birth_date, today, false);
    fail("birth_date", !digit_ok(raw.birth_date, raw.birth_date_check) || birth_date.is_none());

    let (sex, sex_ok) = match raw.sex {
        'F' => (Sex::F, true),
        'M' => (Sex::M, true),
        'X' | '<' => (Sex::X, true),
        _ => (Sex::X, false),
    };
    fail("sex", !sex_ok);

    let expiry_date = date(raw.expiry_date, today, true);
    fail("expiry_date", !digit_ok(raw.expiry_date, raw.expiry_date_check) || expiry_date.is_none());

    if let Some(check) = raw.optional_data_check {
        // An unused personal number may carry a filler instead of a check digit.
        let unused = raw.optional_data.bytes().all(|b| b == b'<') && matches!(check, '<' | '0');
        fail("optional_data", !unused && !digit_ok(raw.optional_data, check));
    }

    fail("composite", !digit_ok(&raw.composite, raw.composite_check));

    let optional_data = [Some(optional_rest), raw.optional_data_2]
        .into_iter()
        .flatten()
        .map(trim_fillers)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");

    let (surname, given_names) = match raw.name.split_once("<<") {
        Some((surname, given)) => (words(surname), words(given)),
        None => (words(raw.name), String::new()),
    };

    Mrz {
        format,
        document_code: raw.document_code.replace('<', ""),
        issuing_state: trim_fillers(raw.issuing_state).to_owned(),
        document_number,
        nationality: trim_fillers(raw.nationality).to_owned(),
        birth_date,
        expiry_date,
        sex,
        surname,
        given_names,
        optional_data,
        valid: errors.is_empty(),
        errors,
    }
}
