//! The QR code on every printed form: the application's id and reference with a MAC under the
//! office's key, so the signed and stamped form, scanned back at the counter, opens its
//! application, and a forged or altered code is refused.
//!
//! Payload: `KF1|<application ULID>|<reference>|<HMAC-SHA256, 64 hex digits>`, the MAC over
//! everything before the last `|`. `|` and `%` in the reference are written `%7C` and `%25`.
//!
//! The key is the caller's: the kiosk keeps it in `DATA_DIR/keys/form.key` (`office_keys`).

use registry::model::RecordId;
use ring::hmac;

pub const PREFIX: &str = "KF1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormCode {
    pub application: RecordId,
    pub reference: String,
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
    pub fn encode(&self, key: &[u8]) -> String {
        let body = format!("{PREFIX}|{}|{}", self.application, escape(&self.reference));
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), body.as_bytes());
        format!("{body}|{}", hex::encode_upper(tag.as_ref()))
    }

    pub fn parse(text: &str, key: &[u8]) -> Result<FormCode, FormCodeError> {
        let text = text.trim();
        if !text.starts_with("KF1|") {
            return Err(FormCodeError::NotAFormCode);
        }
        let (body, tag) = text.rsplit_once('|').ok_or(FormCodeError::Malformed("no signature"))?;
        let parts: Vec<&str> = body.split('|').collect();
        let [_, id, reference] = parts.as_slice() else {
            return Err(FormCodeError::Malformed("wrong number of fields"));
        };
        let application: RecordId =
            id.parse().map_err(|_| FormCodeError::Malformed("the application id is not a ULID"))?;
        if reference.is_empty() {
            return Err(FormCodeError::Malformed("the reference is empty"));
        }
        if tag.len() != 64 || !tag.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        {
            return Err(FormCodeError::Malformed("the signature is not 64 hex digits"));
        }
        let tag =
            hex::decode(tag).map_err(|_| FormCodeError::Malformed("the signature is not hex"))?;
        hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, key), body.as_bytes(), &tag)
            .map_err(|_| FormCodeError::Forged)?;
        Ok(FormCode { application, reference: unescape(reference) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code() -> FormCode {
        FormCode { application: ulid::Ulid::new(), reference: "APP-2026|%01".into() }
    }

    #[test]
    fn a_code_round_trips_and_any_change_is_refused() {
        let key = [7u8; 32];
        let c = code();
        let text = c.encode(&key);
        assert!(text.starts_with("KF1|"));
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

    proptest! {
        #[test]
        fn any_text_is_parsed_or_refused(text in "\\PC{0,120}") {
            let _ = FormCode::parse(&text, &[1u8; 32]);
        }
    }
}
