//! Subject distinguished names: read from what a clerk or script types (`CN=陳大文,O=…,C=MO`,
//! RFC 4514 style, or OpenSSL's `/CN=…/O=…`), checked against what a CA may sign, written in
//! the layout the profiles use, and read back from certificates.
//!
//! What a CA may sign: each attribute within RFC 5280's upper bounds (Appendix A), counted in
//! characters; no control characters and no invisible or text-direction characters, which make
//! a name print or read as something it is not; C two capital letters and serialNumber a
//! PrintableString, as X.520 defines them; escapes that decode to UTF-8 text.

use std::fmt;

use rcgen::{DistinguishedName, DnType, DnValue};
use registry::model::SubjectDn;

const SERIAL_NUMBER_OID: [u64; 4] = [2, 5, 4, 5];

/// An attribute of the subject names the kiosk issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribute {
    Cn,
    Ou,
    O,
    L,
    St,
    C,
    SerialNumber,
}

impl Attribute {
    pub const ALL: [Attribute; 7] = [
        Attribute::Cn,
        Attribute::Ou,
        Attribute::O,
        Attribute::L,
        Attribute::St,
        Attribute::C,
        Attribute::SerialNumber,
    ];

    /// The short name RFC 4514 and OpenSSL use, which is also what the clerk typed.
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Cn => "CN",
            Attribute::Ou => "OU",
            Attribute::O => "O",
            Attribute::L => "L",
            Attribute::St => "ST",
            Attribute::C => "C",
            Attribute::SerialNumber => "serialNumber",
        }
    }

    /// The upper bound RFC 5280 (Appendix A) sets, in characters: ub-common-name,
    /// ub-organizational-unit-name, ub-organization-name and ub-serial-number are 64,
    /// ub-locality-name and ub-state-name 128; a country is exactly two letters.
    pub fn max_chars(self) -> usize {
        match self {
            Attribute::Cn | Attribute::Ou | Attribute::O | Attribute::SerialNumber => 64,
            Attribute::L | Attribute::St => 128,
            Attribute::C => 2,
        }
    }

    fn parse(key: &str) -> Option<Attribute> {
        Some(match key.to_ascii_uppercase().as_str() {
            "CN" => Attribute::Cn,
            "OU" => Attribute::Ou,
            "O" => Attribute::O,
            "L" => Attribute::L,
            "ST" | "S" => Attribute::St,
            "C" => Attribute::C,
            "SERIALNUMBER" | "2.5.4.5" => Attribute::SerialNumber,
            _ => return None,
        })
    }

    fn of(self, dn: &SubjectDn) -> Option<&str> {
        match self {
            Attribute::Cn => Some(dn.cn.as_str()),
            Attribute::Ou => dn.ou.as_deref(),
            Attribute::O => dn.o.as_deref(),
            Attribute::L => dn.l.as_deref(),
            Attribute::St => dn.st.as_deref(),
            Attribute::C => dn.c.as_deref(),
            Attribute::SerialNumber => dn.serial_number.as_deref(),
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a subject name is refused, with the i18n message the clerk reads. Positions count
/// characters from 1.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectError {
    #[error("{part} is not ATTRIBUTE=value")]
    Syntax { part: String },
    #[error("the attribute {name} is not used in subject names")]
    UnknownAttribute { name: String },
    #[error("{attribute} appears twice")]
    Twice { attribute: Attribute },
    #[error("{attribute} is empty")]
    Empty { attribute: Attribute },
    #[error("CN is required")]
    CnRequired,
    #[error("{attribute} has {length} characters; RFC 5280 allows at most {max}")]
    TooLong { attribute: Attribute, length: usize, max: usize },
    #[error("{attribute} holds the control character {} at position {position}", code_point(*.character))]
    Control { attribute: Attribute, character: char, position: usize },
    #[error(
        "{attribute} holds the invisible character {} at position {position}",
        code_point(*.character)
    )]
    Invisible { attribute: Attribute, character: char, position: usize },
    #[error("{escape} in {attribute} is not an escape RFC 4514 allows")]
    BadEscape { attribute: Attribute, escape: String },
    #[error("the escapes in {attribute} do not spell UTF-8 text")]
    NotUtf8 { attribute: Attribute },
    #[error("C must be two capital letters (MO, CN), not {value}")]
    Country { value: String },
    #[error(
        "{attribute} may not hold {character} (position {position}): it is not a PrintableString"
    )]
    NotPrintable { attribute: Attribute, character: char, position: usize },
    #[error("{profile}: O (the organisation) is required")]
    OrganisationRequired { profile: &'static str },
    #[error("{profile}: C (the country, MO or CN) is required")]
    CountryRequired { profile: &'static str },
    #[error("unreadable attribute: {0}")]
    Unreadable(String),
}

/// Names the problem without the values: a subject is personal data.
impl fmt::Debug for SubjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubjectError")
            .field("id", &self.message_id())
            .field("attribute", &self.attribute())
            .finish_non_exhaustive()
    }
}

impl SubjectError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "subject-error-syntax",
        "subject-error-unknown-attribute",
        "subject-error-twice",
        "subject-error-empty",
        "subject-error-cn-required",
        "subject-error-too-long",
        "subject-error-control",
        "subject-error-invisible",
        "subject-error-bad-escape",
        "subject-error-not-utf8",
        "subject-error-country",
        "subject-error-not-printable",
        "subject-error-organisation-required",
        "subject-error-country-required",
        "subject-error-unreadable",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            SubjectError::Syntax { .. } => "subject-error-syntax",
            SubjectError::UnknownAttribute { .. } => "subject-error-unknown-attribute",
            SubjectError::Twice { .. } => "subject-error-twice",
            SubjectError::Empty { .. } => "subject-error-empty",
            SubjectError::CnRequired => "subject-error-cn-required",
            SubjectError::TooLong { .. } => "subject-error-too-long",
            SubjectError::Control { .. } => "subject-error-control",
            SubjectError::Invisible { .. } => "subject-error-invisible",
            SubjectError::BadEscape { .. } => "subject-error-bad-escape",
            SubjectError::NotUtf8 { .. } => "subject-error-not-utf8",
            SubjectError::Country { .. } => "subject-error-country",
            SubjectError::NotPrintable { .. } => "subject-error-not-printable",
            SubjectError::OrganisationRequired { .. } => "subject-error-organisation-required",
            SubjectError::CountryRequired { .. } => "subject-error-country-required",
            SubjectError::Unreadable(_) => "subject-error-unreadable",
        }
    }

    /// The attribute the problem is in, where it is in one.
    pub fn attribute(&self) -> Option<Attribute> {
        match self {
            SubjectError::Twice { attribute }
            | SubjectError::Empty { attribute }
            | SubjectError::TooLong { attribute, .. }
            | SubjectError::Control { attribute, .. }
            | SubjectError::Invisible { attribute, .. }
            | SubjectError::BadEscape { attribute, .. }
            | SubjectError::NotUtf8 { attribute }
            | SubjectError::NotPrintable { attribute, .. } => Some(*attribute),
            SubjectError::CnRequired => Some(Attribute::Cn),
            SubjectError::Country { .. } | SubjectError::CountryRequired { .. } => {
                Some(Attribute::C)
            }
            SubjectError::OrganisationRequired { .. } => Some(Attribute::O),
            SubjectError::Syntax { .. }
            | SubjectError::UnknownAttribute { .. }
            | SubjectError::Unreadable(_) => None,
        }
    }

    /// The values the message names. Text the clerk typed is quoted with its invisible and
    /// control characters spelled out, so the message shows what is wrong and cannot itself
    /// reorder or break the line it is printed on.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        let mut args = Vec::new();
        if let Some(attribute) = self.attribute() {
            args.push(("attribute", attribute.name().to_owned()));
        }
        match self {
            SubjectError::Syntax { part } => args.push(("part", part.clone())),
            SubjectError::UnknownAttribute { name } => args.push(("name", name.clone())),
            SubjectError::TooLong { length, max, .. } => {
                args.push(("length", length.to_string()));
                args.push(("max", max.to_string()));
            }
            SubjectError::Control { character, position, .. }
            | SubjectError::Invisible { character, position, .. }
            | SubjectError::NotPrintable { character, position, .. } => {
                args.push(("character", shown_character(*character)));
                args.push(("position", position.to_string()));
            }
            SubjectError::BadEscape { escape, .. } => args.push(("escape", escape.clone())),
            SubjectError::Country { value } => args.push(("value", value.clone())),
            SubjectError::OrganisationRequired { profile }
            | SubjectError::CountryRequired { profile } => {
                args.push(("profile", (*profile).to_owned()))
            }
            SubjectError::Unreadable(detail) => args.push(("detail", detail.clone())),
            _ => {}
        }
        args
    }
}

fn code_point(ch: char) -> String {
    format!("U+{:04X}", u32::from(ch))
}

/// A character as a message names it: itself when it prints, else its code point.
fn shown_character(ch: char) -> String {
    if forbidden(ch).is_some() || ch == ' ' { code_point(ch) } else { format!("“{ch}”") }
}

/// Text the clerk typed, for a message: at most 32 characters, with what would not print
/// spelled as code points.
fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(32)
        .map(|ch| if forbidden(ch).is_some() { code_point(ch) } else { ch.to_string() })
        .collect();
    if text.chars().nth(32).is_some() {
        out.push('…');
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forbidden {
    Control,
    Invisible,
}

/// Characters a certificate's name may not hold. Controls (C0, DEL, C1) and the line and
/// paragraph separators break the line a name is printed or logged on. The invisible ones —
/// zero-width characters, bidirectional marks, embeddings, overrides and isolates, the byte
/// order mark, the other format characters that draw nothing — let two names that differ
/// look the same, or one name display as another (U+202E shows "Chan" as "nahC").
fn forbidden(ch: char) -> Option<Forbidden> {
    if ch.is_control() || matches!(ch, '\u{2028}' | '\u{2029}') {
        Some(Forbidden::Control)
    } else if registry::text::is_hidden_or_control(ch) {
        // The same characters the kiosk escapes when it shows text.
        Some(Forbidden::Invisible)
    } else {
        None
    }
}

/// X.520's PrintableString: what C and serialNumber are encoded as.
fn printable(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || " '()+,-./:=?".contains(ch)
}

/// The characters RFC 4514 lets a backslash escape (and `/`, which separates OpenSSL's
/// notation).
const ESCAPABLE: &[char] = &['"', '+', ',', ';', '<', '>', '\\', '=', ' ', '#', '/'];

/// Parses `CN=…,OU=…,O=…,L=…,ST=…,C=…,serialNumber=…` (any order) or the OpenSSL form
/// `/CN=…/O=…`, with RFC 4514 escapes (`\,` or `\2C`, and UTF-8 as hex pairs: `\E9\99\B3`).
/// Each attribute may appear once; CN is required; the name must pass [`check`].
pub fn parse(text: &str) -> Result<SubjectDn, SubjectError> {
    let text = text.trim_start_matches(' ');
    let (separator, body) = match text.strip_prefix('/') {
        Some(rest) => ('/', rest),
        None => (',', text),
    };
    let mut dn = SubjectDn::default();
    let mut seen = Vec::new();
    for part in split_unescaped(body, separator) {
        // Only the start: a trailing space may be escaped, and unescape() knows which.
        let part = part.trim_start_matches(' ');
        if part.trim_end_matches(' ').is_empty() {
            continue;
        }
        let (key, raw) = part
            .split_once('=')
            .ok_or_else(|| SubjectError::Syntax { part: shown(part.trim_end()) })?;
        let key = key.trim_matches(' ');
        let attribute = Attribute::parse(key)
            .ok_or_else(|| SubjectError::UnknownAttribute { name: shown(key) })?;
        if seen.contains(&attribute) {
            return Err(SubjectError::Twice { attribute });
        }
        seen.push(attribute);
        let value = unescape(attribute, raw)?;
        if value.is_empty() {
            return Err(SubjectError::Empty { attribute });
        }
        match attribute {
            Attribute::Cn => dn.cn = value,
            Attribute::Ou => dn.ou = Some(value),
            Attribute::O => dn.o = Some(value),
            Attribute::L => dn.l = Some(value),
            Attribute::St => dn.st = Some(value),
            Attribute::C => dn.c = Some(value),
            Attribute::SerialNumber => dn.serial_number = Some(value),
        }
    }
    check(&dn)?;
    Ok(dn)
}

/// Whether a CA may sign this name: CN present; every attribute within its RFC 5280 bound,
/// free of control and invisible characters; C two capital letters; serialNumber printable.
/// The CA checks every name it signs with this, wherever the name came from.
pub fn check(dn: &SubjectDn) -> Result<(), SubjectError> {
    if dn.cn.trim().is_empty() {
        return Err(SubjectError::CnRequired);
    }
    for attribute in Attribute::ALL {
        if let Some(value) = attribute.of(dn) {
            check_value(attribute, value)?;
        }
    }
    Ok(())
}

fn check_value(attribute: Attribute, value: &str) -> Result<(), SubjectError> {
    for (i, character) in value.chars().enumerate() {
        let position = i + 1;
        match forbidden(character) {
            Some(Forbidden::Control) => {
                return Err(SubjectError::Control { attribute, character, position });
            }
            Some(Forbidden::Invisible) => {
                return Err(SubjectError::Invisible { attribute, character, position });
            }
            None => {}
        }
    }
    match attribute {
        Attribute::C if !(value.len() == 2 && value.chars().all(|c| c.is_ascii_uppercase())) => {
            return Err(SubjectError::Country { value: shown(value) });
        }
        Attribute::SerialNumber => {
            if let Some((i, character)) = value.chars().enumerate().find(|(_, c)| !printable(*c)) {
                return Err(SubjectError::NotPrintable { attribute, character, position: i + 1 });
            }
        }
        _ => {}
    }
    let length = value.chars().count();
    let max = attribute.max_chars();
    if length > max {
        return Err(SubjectError::TooLong { attribute, length, max });
    }
    Ok(())
}

/// Splits at unescaped separators, keeping each escape (backslash and the character after it)
/// for [`unescape`]; a backslash that ends the text is kept alone, so it is refused there.
fn split_unescaped(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for ch in text.chars() {
        let current = parts.last_mut().expect("parts is never empty");
        if escaped {
            current.push('\\');
            current.push(ch);
            escaped = false;
        } else if ch == '\\' {
            escaped = true;
        } else if ch == separator {
            parts.push(String::new());
        } else {
            current.push(ch);
        }
    }
    if escaped {
        parts.last_mut().expect("parts is never empty").push('\\');
    }
    parts
}

/// Decodes RFC 4514 escapes: `\` before a special character keeps it, `\` and two hex digits
/// is one byte, and the bytes must be UTF-8. Spaces around the value are padding unless
/// escaped.
fn unescape(attribute: Attribute, raw: &str) -> Result<String, SubjectError> {
    enum Piece {
        Plain(char),
        Escaped(char),
        Byte(u8),
    }
    let bad = |escape: String| SubjectError::BadEscape { attribute, escape: shown(&escape) };
    let mut pieces = Vec::new();
    let mut chars = raw.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            pieces.push(Piece::Plain(ch));
            continue;
        }
        match chars.next() {
            Some(special) if ESCAPABLE.contains(&special) => pieces.push(Piece::Escaped(special)),
            Some(high) if high.is_ascii_hexdigit() => match chars.next() {
                Some(low) if low.is_ascii_hexdigit() => {
                    let pair = format!("{high}{low}");
                    let byte =
                        u8::from_str_radix(&pair, 16).map_err(|_| bad(format!("\\{pair}")))?;
                    pieces.push(Piece::Byte(byte));
                }
                Some(other) => return Err(bad(format!("\\{high}{other}"))),
                None => return Err(bad(format!("\\{high}"))),
            },
            Some(other) => return Err(bad(format!("\\{other}"))),
            None => return Err(bad("\\".into())),
        }
    }
    let padding = |p: &Piece| matches!(p, Piece::Plain(' '));
    let start = pieces.iter().position(|p| !padding(p)).unwrap_or(pieces.len());
    let end = pieces.iter().rposition(|p| !padding(p)).map_or(start, |i| i + 1);
    let mut bytes = Vec::with_capacity(raw.len());
    for piece in &pieces[start..end] {
        match piece {
            Piece::Plain(ch) | Piece::Escaped(ch) => {
                bytes.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes())
            }
            Piece::Byte(byte) => bytes.push(*byte),
        }
    }
    String::from_utf8(bytes).map_err(|_| SubjectError::NotUtf8 { attribute })
}

/// The name as X.509 encodes it, most general first: C, ST, L, O, OU, CN, serialNumber. C and
/// serialNumber are PrintableString where they can be; names are UTF8String, so Chinese and
/// Portuguese names survive.
pub fn to_rcgen(dn: &SubjectDn) -> DistinguishedName {
    let mut out = DistinguishedName::new();
    let printable = |value: &str| match rcgen::string::PrintableString::try_from(value) {
        Ok(p) => DnValue::PrintableString(p),
        Err(_) => DnValue::Utf8String(value.to_owned()),
    };
    if let Some(c) = &dn.c {
        out.push(DnType::CountryName, printable(c));
    }
    let utf8 = |value: &str| DnValue::Utf8String(value.to_owned());
    if let Some(st) = &dn.st {
        out.push(DnType::StateOrProvinceName, utf8(st));
    }
    if let Some(l) = &dn.l {
        out.push(DnType::LocalityName, utf8(l));
    }
    if let Some(o) = &dn.o {
        out.push(DnType::OrganizationName, utf8(o));
    }
    if let Some(ou) = &dn.ou {
        out.push(DnType::OrganizationalUnitName, utf8(ou));
    }
    out.push(DnType::CommonName, utf8(&dn.cn));
    if let Some(serial) = &dn.serial_number {
        out.push(DnType::CustomDnType(SERIAL_NUMBER_OID.to_vec()), printable(serial));
    }
    out
}

/// Reads a certificate's subject back into the registry's form.
pub fn from_x509(name: &x509_parser::x509::X509Name<'_>) -> Result<SubjectDn, SubjectError> {
    use x509_parser::oid_registry as oids;
    let mut dn = SubjectDn::default();
    for attr in name.iter_attributes() {
        let value = attr.as_str().map_err(|e| SubjectError::Unreadable(e.to_string()))?.to_owned();
        let oid = attr.attr_type();
        if *oid == oids::OID_X509_COMMON_NAME {
            dn.cn = value;
        } else if *oid == oids::OID_X509_ORGANIZATIONAL_UNIT {
            dn.ou = Some(value);
        } else if *oid == oids::OID_X509_ORGANIZATION_NAME {
            dn.o = Some(value);
        } else if *oid == oids::OID_X509_LOCALITY_NAME {
            dn.l = Some(value);
        } else if *oid == oids::OID_X509_STATE_OR_PROVINCE_NAME {
            dn.st = Some(value);
        } else if *oid == oids::OID_X509_COUNTRY_NAME {
            dn.c = Some(value);
        } else if *oid == oids::OID_X509_SERIALNUMBER {
            dn.serial_number = Some(value);
        }
    }
    Ok(dn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[test]
    fn both_notations_read_the_same_name() {
        let a = parse("CN=陳大文, O=澳門測試有限公司, C=MO, serialNumber=1234567(8)").expect("dn");
        let b = parse("/CN=陳大文/O=澳門測試有限公司/C=MO/serialNumber=1234567(8)").expect("dn");
        assert_eq!(a, b);
        assert_eq!(a.cn, "陳大文");
        assert_eq!(a.o.as_deref(), Some("澳門測試有限公司"));
        assert_eq!(a.serial_number.as_deref(), Some("1234567(8)"));
    }

    #[rstest]
    #[case::escaped_comma(r"CN=Chan\, Tai Man,C=MO", "Chan, Tai Man")]
    #[case::comma_as_hex(r"CN=Chan\2C Tai Man,C=MO", "Chan, Tai Man")]
    #[case::utf8_as_hex(r"CN=\E9\99\B3大文,C=MO", "陳大文")]
    #[case::lower_case_hex(r"CN=\e9\99\b3大文,C=MO", "陳大文")]
    #[case::escaped_backslash(r"CN=A\\B,C=MO", r"A\B")]
    #[case::escaped_specials(r#"CN=\"A\+B\;\<C\>\=\#,C=MO"#, "\"A+B;<C>=#")]
    #[case::escaped_slash_in_openssl_form(r"/CN=A\/B/C=MO", "A/B")]
    #[case::escaped_spaces_are_kept(r"CN=\ Chan\ ,C=MO", " Chan ")]
    #[case::escaped_space_at_the_very_end(r"C=MO,CN=Chan\ ", "Chan ")]
    #[case::padding_is_not(r"CN=  Chan  ,C=MO", "Chan")]
    #[case::sixty_four_characters(&format!("CN={},C=MO", "陳".repeat(64)), &"陳".repeat(64))]
    fn escapes_that_decode_are_kept(#[case] text: &str, #[case] cn: &str) {
        assert_eq!(parse(text).expect(text).cn, cn);
    }

    fn long(key: &str, n: usize) -> String {
        format!("CN=Chan,C=MO,{key}={}", "澳".repeat(n))
    }

    #[rstest]
    #[case::cn_required("O=ACME,C=MO", SubjectError::CnRequired)]
    #[case::cn_blank(r"CN=\ ,C=MO", SubjectError::CnRequired)]
    #[case::twice("CN=a,CN=b", SubjectError::Twice { attribute: Attribute::Cn })]
    #[case::twice_any_case("CN=a,o=x,O=y", SubjectError::Twice { attribute: Attribute::O })]
    #[case::unknown("CN=a,EMAIL=x@y", SubjectError::UnknownAttribute { name: "EMAIL".into() })]
    #[case::syntax("CN=a,O", SubjectError::Syntax { part: "O".into() })]
    #[case::empty("CN=", SubjectError::Empty { attribute: Attribute::Cn })]
    #[case::country_word("CN=a,C=Macau", SubjectError::Country { value: "Macau".into() })]
    #[case::country_lower("CN=a,C=mo", SubjectError::Country { value: "mo".into() })]
    #[case::cn_65(&format!("CN={}", "陳".repeat(65)),
        SubjectError::TooLong { attribute: Attribute::Cn, length: 65, max: 64 })]
    #[case::cn_10000(&format!("CN={}", "A".repeat(10_000)),
        SubjectError::TooLong { attribute: Attribute::Cn, length: 10_000, max: 64 })]
    #[case::ou_65(&long("OU", 65), SubjectError::TooLong { attribute: Attribute::Ou, length: 65, max: 64 })]
    #[case::o_65(&long("O", 65), SubjectError::TooLong { attribute: Attribute::O, length: 65, max: 64 })]
    #[case::l_129(&long("L", 129), SubjectError::TooLong { attribute: Attribute::L, length: 129, max: 128 })]
    #[case::st_129(&long("ST", 129), SubjectError::TooLong { attribute: Attribute::St, length: 129, max: 128 })]
    #[case::serial_65(&format!("CN=a,serialNumber={}", "1".repeat(65)),
        SubjectError::TooLong { attribute: Attribute::SerialNumber, length: 65, max: 64 })]
    #[case::bel("CN=Chan\u{7}Tai", control(Attribute::Cn, '\u{7}', 5))]
    #[case::esc("CN=\u{1b}[31mChan", control(Attribute::Cn, '\u{1b}', 1))]
    #[case::newline("CN=Chan\nTai", control(Attribute::Cn, '\n', 5))]
    #[case::trailing_newline("CN=Chan\n", control(Attribute::Cn, '\n', 5))]
    #[case::tab("CN=Chan\tTai", control(Attribute::Cn, '\t', 5))]
    #[case::delete("CN=Chan\u{7f}", control(Attribute::Cn, '\u{7f}', 5))]
    #[case::c1_next_line("CN=Chan\u{85}Tai", control(Attribute::Cn, '\u{85}', 5))]
    #[case::line_separator("CN=Chan\u{2028}Tai", control(Attribute::Cn, '\u{2028}', 5))]
    #[case::nul_escaped(r"CN=Chan\00Tai", control(Attribute::Cn, '\0', 5))]
    #[case::newline_escaped(r"CN=Chan\0ATai", control(Attribute::Cn, '\n', 5))]
    #[case::right_to_left_override("CN=\u{202e}nahC", invisible(Attribute::Cn, '\u{202e}', 1))]
    #[case::override_escaped(r"CN=\E2\80\AEnahC", invisible(Attribute::Cn, '\u{202e}', 1))]
    #[case::zero_width_space("CN=Chan\u{200b}Tai", invisible(Attribute::Cn, '\u{200b}', 5))]
    #[case::left_to_right_mark("CN=Chan\u{200e}", invisible(Attribute::Cn, '\u{200e}', 5))]
    #[case::first_strong_isolate("CN=a,O=ACME\u{2068}", invisible(Attribute::O, '\u{2068}', 5))]
    #[case::pop_isolate("CN=a,L=\u{2069}Macau", invisible(Attribute::L, '\u{2069}', 1))]
    #[case::byte_order_mark(
        "CN=a,serialNumber=\u{feff}1",
        invisible(Attribute::SerialNumber, '\u{feff}', 1)
    )]
    #[case::arabic_letter_mark("CN=a\u{61c}", invisible(Attribute::Cn, '\u{61c}', 2))]
    #[case::word_joiner("CN=a\u{2060}b", invisible(Attribute::Cn, '\u{2060}', 2))]
    #[case::soft_hyphen("CN=a\u{ad}b", invisible(Attribute::Cn, '\u{ad}', 2))]
    #[case::bad_escape_letter(r"CN=Chan\ZZ", bad_escape(Attribute::Cn, r"\Z"))]
    #[case::bad_escape_half_hex(r"CN=Chan\4,C=MO", bad_escape(Attribute::Cn, r"\4"))]
    #[case::bad_escape_hex_then_letter(r"CN=Chan\Ch", bad_escape(Attribute::Cn, r"\Ch"))]
    #[case::bad_escape_at_the_end(r"CN=Chan\", bad_escape(Attribute::Cn, r"\"))]
    #[case::bad_escape_newline("CN=Chan\\\n", bad_escape(Attribute::Cn, r"\U+000A"))]
    #[case::not_utf8(r"CN=Chan\C3Tai", SubjectError::NotUtf8 { attribute: Attribute::Cn })]
    #[case::lone_continuation(r"CN=\80", SubjectError::NotUtf8 { attribute: Attribute::Cn })]
    #[case::overlong_slash(r"CN=\C0\AF", SubjectError::NotUtf8 { attribute: Attribute::Cn })]
    #[case::surrogate(r"CN=\ED\A0\80", SubjectError::NotUtf8 { attribute: Attribute::Cn })]
    #[case::full_width_serial("CN=a,serialNumber=1234567（8）",
        SubjectError::NotPrintable { attribute: Attribute::SerialNumber, character: '（', position: 8 })]
    #[case::serial_underscore("CN=a,serialNumber=A_1",
        SubjectError::NotPrintable { attribute: Attribute::SerialNumber, character: '_', position: 2 })]
    fn subjects_no_ca_should_sign_are_refused(#[case] text: &str, #[case] expected: SubjectError) {
        assert_eq!(parse(text).expect_err(text), expected, "{text:?}");
    }

    fn control(attribute: Attribute, character: char, position: usize) -> SubjectError {
        SubjectError::Control { attribute, character, position }
    }

    fn invisible(attribute: Attribute, character: char, position: usize) -> SubjectError {
        SubjectError::Invisible { attribute, character, position }
    }

    fn bad_escape(attribute: Attribute, escape: &str) -> SubjectError {
        SubjectError::BadEscape { attribute, escape: escape.to_owned() }
    }

    #[test]
    fn the_bounds_are_rfc_5280s_in_characters_not_bytes() {
        // 64 Chinese characters are 192 bytes of UTF-8 and still within ub-common-name.
        let dn =
            SubjectDn { cn: "陳".repeat(64), l: Some("澳".repeat(128)), ..Default::default() };
        assert!(check(&dn).is_ok());
        let bounds: Vec<(&str, usize)> =
            Attribute::ALL.iter().map(|a| (a.name(), a.max_chars())).collect();
        assert_eq!(
            bounds,
            [
                ("CN", 64),
                ("OU", 64),
                ("O", 64),
                ("L", 128),
                ("ST", 128),
                ("C", 2),
                ("serialNumber", 64)
            ]
        );
    }

    #[test]
    fn a_name_made_elsewhere_is_checked_too() {
        let dn =
            SubjectDn { cn: "Chan\u{202e}".into(), c: Some("MO".into()), ..Default::default() };
        assert_eq!(check(&dn), Err(invisible(Attribute::Cn, '\u{202e}', 5)));
    }

    #[test]
    fn messages_name_the_attribute_and_show_what_would_not_print() {
        let err = parse("CN=Chan\u{202e}Tai").expect_err("refused");
        assert_eq!(
            err.message_args(),
            [("attribute", "CN".into()), ("character", "U+202E".into()), ("position", "5".into())]
        );
        let err = parse("CN=a,serialNumber=1（").expect_err("refused");
        assert!(err.message_args().contains(&("character", "“（”".into())));
        let err = parse("CN=a,\u{1b}[2J\u{1b}[H=x").expect_err("refused");
        assert_eq!(err, SubjectError::UnknownAttribute { name: "U+001B[2JU+001B[H".into() });
        let long = format!("CN=a,{}", "x".repeat(100));
        let SubjectError::Syntax { part } = parse(&long).expect_err("refused") else {
            panic!("not a syntax error")
        };
        assert_eq!(part.chars().count(), 33, "cut at 32 characters and an ellipsis: {part}");
    }

    #[test]
    fn debug_shows_the_problem_not_the_name() {
        let err = parse("CN=陳大文,C=Macau").expect_err("refused");
        let debug = format!("{err:?}");
        assert!(debug.contains("subject-error-country"), "{debug}");
        assert!(!debug.contains("Macau") && !debug.contains("陳"), "{debug}");
    }

    #[test]
    fn every_message_id_is_listed_once() {
        let errors = [
            SubjectError::Syntax { part: String::new() },
            SubjectError::UnknownAttribute { name: String::new() },
            SubjectError::Twice { attribute: Attribute::Cn },
            SubjectError::Empty { attribute: Attribute::Cn },
            SubjectError::CnRequired,
            SubjectError::TooLong { attribute: Attribute::Cn, length: 65, max: 64 },
            control(Attribute::Cn, '\0', 1),
            invisible(Attribute::Cn, '\u{200b}', 1),
            bad_escape(Attribute::Cn, r"\x"),
            SubjectError::NotUtf8 { attribute: Attribute::Cn },
            SubjectError::Country { value: String::new() },
            SubjectError::NotPrintable {
                attribute: Attribute::SerialNumber,
                character: '_',
                position: 1,
            },
            SubjectError::OrganisationRequired { profile: "p" },
            SubjectError::CountryRequired { profile: "p" },
            SubjectError::Unreadable(String::new()),
        ];
        let ids: Vec<&str> = errors.iter().map(SubjectError::message_id).collect();
        assert_eq!(ids, SubjectError::ALL_MESSAGE_IDS);
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused(text in "\\PC{0,80}") {
            let _ = parse(&text);
        }

        #[test]
        fn what_parses_is_what_a_ca_may_sign(text in "(CN|O|L|C|serialNumber)=[ -~\\u{80}-\\u{3000}]{0,70}(,(O|OU|ST)=.{0,70})?") {
            if let Ok(dn) = parse(&text) {
                prop_assert!(check(&dn).is_ok());
                for attribute in Attribute::ALL {
                    if let Some(value) = attribute.of(&dn) {
                        prop_assert!(value.chars().count() <= attribute.max_chars());
                        prop_assert!(value.chars().all(|c| forbidden(c).is_none()));
                    }
                }
            }
        }
    }
}
