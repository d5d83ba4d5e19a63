//! The QR code on every printed form: the application's id and reference, and which printing
//! the paper is, with a MAC under the office's key, so the signed and stamped form, scanned back
//! at the counter, opens its application, a forged or altered code is refused, and so is a copy
//! of an earlier printing once the form was printed again (its details changed, re-vetting).
//!
//! Payload: `KF2|<application ULID>|<reference>|<print id>|<HMAC-SHA256, 64 hex digits>`, the
//! MAC over everything before the last `|`. `|` and `%` in the reference are written `%7C` and
//! `%25`. The print id is 8 Crockford base-32 characters, new at every printing
//! ([`new_print_id`]); the visit keeps the last one (`registry::visit::FormRecord::print`).
//!
//! `KF1|<application>|<reference>|<HMAC>` is the code printed before print ids: still read (as a
//! code without a print), so a form printed before the upgrade is taken back, and refused as an
//! earlier printing once the form was printed again.
//!
//! The key is the caller's: the kiosk keeps it in `DATA_DIR/keys/form.key` (`office_keys`).

use registry::model::RecordId;
use ring::hmac;

/// The code printed now.
pub const PREFIX: &str = "KF2";
/// The code printed before print ids.
pub const EARLIER_PREFIX: &str = "KF1";
/// How a form code starts, for scanners that type it (with the `|`).
pub const STARTS: [&str; 2] = ["KF2|", "KF1|"];
/// The length of a print id.
pub const PRINT_ID_LEN: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormCode {
    pub application: RecordId,
    pub reference: String,
    /// Which printing: `None` only for a `KF1` code, printed before print ids.
    pub print: Option<String>,
}

/// A new print id: the random tail of a new ULID (40 bits), enough to tell the printings of one
/// application apart, and short enough to keep the QR code small.
pub fn new_print_id() -> String {
    let id = ulid::Ulid::new().to_string();
    id.chars().skip(id.chars().count().saturating_sub(PRINT_ID_LEN)).collect()
}

fn is_print_id(text: &str) -> bool {
    text.len() == PRINT_ID_LEN && text.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormCodeError {
    #[error("this QR code is not a kiosk form code")]
    NotAFormCode,
    #[error("the form code is malformed: {0}")]
    Malformed(&'static str),
    #[error("the form code does not match its signature: it was altered or forged")]
    Forged,
}

impl FormCodeError {
    pub const ALL_MESSAGE_IDS: &[&str] =
        &["formcode-not-a-form-code", "formcode-malformed", "formcode-forged"];

    pub fn message_id(&self) -> &'static str {
        match self {
            FormCodeError::NotAFormCode => "formcode-not-a-form-code",
            FormCodeError::Malformed(_) => "formcode-malformed",
            FormCodeError::Forged => "formcode-forged",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            FormCodeError::Malformed(why) => vec![("detail", (*why).to_owned())],
            _ => Vec::new(),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('%', "%25").replace('|', "%7C")
}

fn unescape(text: &str) -> String {
    text.replace("%7C", "|").replace("%25", "%")
}

impl FormCode {
    /// The code as printed: `KF2` with a print id, `KF1` without (only tests print those now).
    pub fn encode(&self, key: &[u8]) -> String {
        let body = match &self.print {
            Some(print) => {
                format!("{PREFIX}|{}|{}|{}", self.application, escape(&self.reference), print)
            }
            None => format!("{EARLIER_PREFIX}|{}|{}", self.application, escape(&self.reference)),
        };
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), body.as_bytes());
        format!("{body}|{}", hex::encode_upper(tag.as_ref()))
    }

    pub fn parse(text: &str, key: &[u8]) -> Result<FormCode, FormCodeError> {
        let text = text.trim();
        if !STARTS.iter().any(|start| text.starts_with(start)) {
            return Err(FormCodeError::NotAFormCode);
        }
        let (body, tag) = text.rsplit_once('|').ok_or(FormCodeError::Malformed("no signature"))?;
        let parts: Vec<&str> = body.split('|').collect();
        let (id, reference, print) = match parts.as_slice() {
            [PREFIX, id, reference, print] => (*id, *reference, Some(*print)),
            [EARLIER_PREFIX, id, reference] => (*id, *reference, None),
            _ => return Err(FormCodeError::Malformed("wrong number of fields")),
        };
        let application: RecordId =
            id.parse().map_err(|_| FormCodeError::Malformed("the application id is not a ULID"))?;
        if reference.is_empty() {
            return Err(FormCodeError::Malformed("the reference is empty"));
        }
        if print.is_some_and(|p| !is_print_id(p)) {
            return Err(FormCodeError::Malformed("the print id is not 8 letters and digits"));
        }
        if tag.len() != 64 || !tag.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        {
            return Err(FormCodeError::Malformed("the signature is not 64 hex digits"));
        }
        let tag =
            hex::decode(tag).map_err(|_| FormCodeError::Malformed("the signature is not hex"))?;
        hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, key), body.as_bytes(), &tag)
            .map_err(|_| FormCodeError::Forged)?;
        Ok(FormCode {
            application,
            reference: unescape(reference),
            print: print.map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code() -> FormCode {
        FormCode {
            application: ulid::Ulid::new(),
            reference: "APP-2026|%01".into(),
            print: Some(new_print_id()),
        }
    }

    #[test]
    fn a_code_round_trips_and_any_change_is_refused() {
        let key = [7u8; 32];
        let c = code();
        let text = c.encode(&key);
        assert!(text.starts_with("KF2|"));
        assert_eq!(FormCode::parse(&text, &key), Ok(c.clone()));
        assert_eq!(FormCode::parse(&text, &[8u8; 32]), Err(FormCodeError::Forged));
        let other = FormCode { reference: "APP-2026-999".into(), ..c.clone() }.encode(&[9u8; 32]);
        assert_eq!(FormCode::parse(&other, &key), Err(FormCodeError::Forged));
        for i in 4..text.len() {
            let mut bytes = text.clone().into_bytes();
            bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
            let altered = String::from_utf8_lossy(&bytes).into_owned();
            assert!(FormCode::parse(&altered, &key).is_err(), "changed at {i}");
        }
        assert_eq!(FormCode::parse("KQ1|x", &key), Err(FormCodeError::NotAFormCode));
        assert!(matches!(
            FormCode::parse("KF1|abc|ref|00", &key),
            Err(FormCodeError::Malformed(_))
        ));
    }

    #[test]
    fn the_print_id_is_signed_and_new_at_every_printing() {
        let key = [7u8; 32];
        let first = code();
        let print = first.print.clone().expect("a print id");
        assert_eq!(print.len(), PRINT_ID_LEN);
        assert!(is_print_id(&print), "{print}");
        let again = FormCode { print: Some(new_print_id()), ..first.clone() };
        assert_ne!(again.print, first.print, "a reprint has a print id of its own");
        // Another print id in the same code, the MAC left as it was: forged.
        let text = first.encode(&key);
        let other = again.print.clone().expect("a print id");
        let altered = text.replacen(&format!("|{print}|"), &format!("|{other}|"), 1);
        assert_ne!(altered, text);
        assert_eq!(FormCode::parse(&altered, &key), Err(FormCodeError::Forged));
        // A print id that is not one is refused before the MAC is looked at.
        let bad = FormCode { print: Some("ab|cd".into()), ..first.clone() }.encode(&key);
        assert!(matches!(FormCode::parse(&bad, &key), Err(FormCodeError::Malformed(_))));
        let short = FormCode { print: Some("ABC".into()), ..first.clone() }.encode(&key);
        assert!(matches!(FormCode::parse(&short, &key), Err(FormCodeError::Malformed(_))));
        // The payload stays small: a QR code a 150 dpi scan of a stamped form still reads.
        assert!(text.len() < 130, "{} characters", text.len());
    }

    #[test]
    fn a_code_printed_before_print_ids_is_read_without_one() {
        let key = [7u8; 32];
        let earlier = FormCode { print: None, ..code() };
        let text = earlier.encode(&key);
        assert!(text.starts_with("KF1|"), "{text}");
        assert_eq!(FormCode::parse(&text, &key), Ok(earlier.clone()));
        // A KF1 code made into a KF2 one (a print id added) no longer matches its MAC.
        let (body, tag) = text.rsplit_once('|').expect("a tag");
        let upgraded = format!("KF2{}|{}|{tag}", &body[3..], new_print_id());
        assert!(FormCode::parse(&upgraded, &key).is_err());
        // A KF2 code cut down to KF1's fields (its print id dropped) is refused too.
        let current = code().encode(&key);
        let (body, tag) = current.rsplit_once('|').expect("a tag");
        let (without_print, _) = body.rsplit_once('|').expect("a print id");
        let cut = format!("KF1{}|{tag}", &without_print[3..]);
        assert_eq!(FormCode::parse(&cut, &key), Err(FormCodeError::Forged));
    }

    proptest! {
        #[test]
        fn any_text_is_parsed_or_refused(text in "\\PC{0,120}") {
            let _ = FormCode::parse(&text, &[1u8; 32]);
        }

        #[test]
        fn any_reference_and_print_round_trip(reference in "\\PC{1,40}", seed in any::<u64>()) {
            let key = seed.to_le_bytes();
            let c = FormCode { application: ulid::Ulid::new(), reference, print: Some(new_print_id()) };
            prop_assert_eq!(FormCode::parse(&c.encode(&key), &key), Ok(c));
        }
    }
}
