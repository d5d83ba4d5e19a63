//! Subject distinguished names: read from what a clerk or script types (`CN=陳大文,O=…,C=MO`,
//! RFC 4514 style, or OpenSSL's `/CN=…/O=…`), written in the layout the profiles use, and read
//! back from certificates.

use rcgen::{DistinguishedName, DnType, DnValue};
use registry::model::SubjectDn;

use crate::error::{Result, TokenError};

const SERIAL_NUMBER_OID: [u64; 4] = [2, 5, 4, 5];

/// Parses `CN=…,OU=…,O=…,L=…,ST=…,C=…,serialNumber=…` (any order, `\,` escapes a comma) or the
/// OpenSSL form `/CN=…/O=…`. Each attribute may appear once; CN is required.
pub fn parse(text: &str) -> Result<SubjectDn> {
    let text = text.trim();
    let bad = |why: String| TokenError::Subject(why);
    let (separator, body) = match text.strip_prefix('/') {
        Some(rest) => ('/', rest),
        None => (',', text),
    };
    let mut dn = SubjectDn::default();
    let mut seen_cn = false;
    for part in split_unescaped(body, separator) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (key, value) =
            part.split_once('=').ok_or_else(|| bad(format!("{part:?} is not ATTRIBUTE=value")))?;
        let value = unescape(value.trim());
        if value.is_empty() {
            return Err(bad(format!("{} is empty", key.trim())));
        }
        let slot = match key.trim().to_ascii_uppercase().as_str() {
            "CN" => {
                if seen_cn {
                    return Err(bad("CN appears twice".into()));
                }
                seen_cn = true;
                dn.cn = value;
                continue;
            }
            "OU" => &mut dn.ou,
            "O" => &mut dn.o,
            "L" => &mut dn.l,
            "ST" | "S" => &mut dn.st,
            "C" => &mut dn.c,
            "SERIALNUMBER" | "2.5.4.5" => &mut dn.serial_number,
            other => {
                return Err(bad(format!("the attribute {other} is not used in subject names")));
            }
        };
        if slot.replace(value).is_some() {
            return Err(bad(format!("{} appears twice", key.trim())));
        }
    }
    if dn.cn.trim().is_empty() {
        return Err(bad("CN is required".into()));
    }
    if let Some(c) = &dn.c
        && !(c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        return Err(bad(format!("C must be two capital letters (MO, CN), not {c:?}")));
    }
    Ok(dn)
}

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
    parts
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(ch);
        }
    }
    out
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
pub fn from_x509(name: &x509_parser::x509::X509Name<'_>) -> Result<SubjectDn> {
    use x509_parser::oid_registry as oids;
    let mut dn = SubjectDn::default();
    for attr in name.iter_attributes() {
        let value = attr
            .as_str()
            .map_err(|e| TokenError::Subject(format!("unreadable attribute: {e}")))?
            .to_owned();
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

    #[test]
    fn both_notations_read_the_same_name() {
        let a = parse("CN=陳大文, O=澳門測試有限公司, C=MO, serialNumber=1234567(8)").expect("dn");
        let b = parse("/CN=陳大文/O=澳門測試有限公司/C=MO/serialNumber=1234567(8)").expect("dn");
        assert_eq!(a, b);
        assert_eq!(a.cn, "陳大文");
        assert_eq!(a.o.as_deref(), Some("澳門測試有限公司"));
        assert_eq!(a.serial_number.as_deref(), Some("1234567(8)"));
    }

    #[test]
    fn escaped_commas_stay_in_the_value() {
        let dn = parse(r"CN=Chan\, Tai Man,C=MO").expect("dn");
        assert_eq!(dn.cn, "Chan, Tai Man");
    }

    #[test]
    fn bad_names_say_why() {
        for (text, needle) in [
            ("O=ACME", "CN is required"),
            ("CN=a,CN=b", "twice"),
            ("CN=a,EMAIL=x@y", "EMAIL"),
            ("CN=a,C=Macau", "two capital letters"),
            ("CN=a,O", "ATTRIBUTE=value"),
            ("CN=", "empty"),
        ] {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused(text in "\\PC{0,80}") {
            let _ = parse(&text);
        }
    }
}
