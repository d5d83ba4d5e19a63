//! One-time codes for clerk sign-in: TOTP (RFC 6238) over HOTP (RFC 4226) with HMAC-SHA1, six
//! digits, and the `otpauth://totp/…` URI that authenticator apps read from a QR code.
//!
//! The CA's MOTP app (seed 001) shows a code for 60 seconds, so 60 is the period a new secret
//! gets; the URI states it, and verification uses the period stored with the clerk. Pure: the
//! caller passes the secret, the time and the last step it accepted; generating a secret
//! (randomness) is the kiosk's.

use ring::hmac;

/// The step a new secret gets, as the CA's MOTP app uses (seed 001).
pub const DEFAULT_PERIOD: u32 = 60;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret: 160 bits, RFC 4226's recommended length for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;
/// Steps either side of the current one that are still accepted, for clock skew.
pub const SKEW_STEPS: u64 = 1;
/// The longest period a stored secret may state (a period longer than this is a mistake).
pub const MAX_PERIOD: u32 = 300;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32 as apps and people write it: either case, with or without `=` padding, spaces
/// and hyphens ignored. `None` for any other character, or for nothing at all.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    let mut any = false;
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-')) {
        if c == '=' {
            continue;
        }
        let upper = c.to_ascii_uppercase();
        let value = BASE32.iter().position(|&b| char::from(b) == upper)?;
        any = true;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    any.then_some(out)
}

/// RFC 4226's HOTP value of `counter`, `digits` long with leading zeros.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = hmac::sign(&key, &counter.to_be_bytes());
    let mac = tag.as_ref();
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let binary =
        u32::from_be_bytes([mac[offset] & 0x7f, mac[offset + 1], mac[offset + 2], mac[offset + 3]]);
    let modulus = 10u64.pow(digits);
    format!("{:0width$}", u64::from(binary) % modulus, width = digits as usize)
}

/// The step `unix_seconds` falls in (RFC 6238's T with T0 = 0). Times before 1970 are step 0.
pub fn step_at(unix_seconds: i64, period: u32) -> u64 {
    u64::try_from(unix_seconds).unwrap_or(0) / u64::from(period.max(1))
}

/// The code an app shows at `unix_seconds`.
pub fn code_at(secret: &[u8], period: u32, unix_seconds: i64) -> String {
    hotp(secret, step_at(unix_seconds, period), DIGITS)
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Not the code of the current step or of one step either side.
    Wrong,
    /// Right, but of a step already used to sign in: a code is good for one sign-in.
    Reused,
}

/// Checks `code` against the steps around `unix_seconds` (±[`SKEW_STEPS`]) and returns the step
/// it matched. A step at or before `last_used` (the step of the previous sign-in) is refused, so
/// a code seen over a shoulder cannot be typed again. Each candidate is compared in constant
/// time.
pub fn verify(
    secret: &[u8],
    period: u32,
    code: &str,
    unix_seconds: i64,
    last_used: Option<u64>,
) -> Result<u64, CodeError> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeError::Wrong);
    }
    let now = step_at(unix_seconds, period);
    let mut reused = false;
    for step in now.saturating_sub(SKEW_STEPS)..=now.saturating_add(SKEW_STEPS) {
        let expected = hotp(secret, step, DIGITS);
        if constant_time_eq(expected.as_bytes(), code.as_bytes()) {
            if last_used.is_some_and(|last| step <= last) {
                reused = true;
                continue;
            }
            return Ok(step);
        }
    }
    Err(if reused { CodeError::Reused } else { CodeError::Wrong })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&period=…&digits=6&algorithm=SHA1`, the
/// form authenticator apps read (Google Authenticator's "Key Uri Format"), with the issuer and
/// account percent-encoded (UTF-8).
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str, period: u32) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret_base32}&issuer={issuer}&period={period}&digits={DIGITS}&algorithm=SHA1",
        account = percent_encode(account),
    )
}

/// What an `otpauth://totp/` URI says.
#[derive(Clone, PartialEq, Eq)]
pub struct OtpAuth {
    pub issuer: Option<String>,
    pub account: String,
    pub secret: Vec<u8>,
    pub period: u32,
    pub digits: u32,
}

impl std::fmt::Debug for OtpAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpAuth")
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .field("period", &self.period)
            .field("digits", &self.digits)
            .finish_non_exhaustive()
    }
}

/// Reads an `otpauth://totp/` URI (SHA1 only). `None` when it is not one this module can check.
pub fn parse_otpauth_uri(uri: &str) -> Option<OtpAuth> {
    let rest = uri.trim().strip_prefix("otpauth://totp/")?;
    let (label, query) = rest.split_once('?')?;
    let label = percent_decode(label)?;
    let (label_issuer, account) = match label.split_once(':') {
        Some((issuer, account)) => (Some(issuer.to_owned()), account.trim_start().to_owned()),
        None => (None, label),
    };
    let (mut secret, mut issuer, mut period, mut digits) = (None, None, DEFAULT_PERIOD, DIGITS);
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=')?;
        let value = percent_decode(value)?;
        match key {
            "secret" => secret = Some(base32_decode(&value)?),
            "issuer" => issuer = Some(value),
            "period" => period = value.parse().ok().filter(|p| (1..=MAX_PERIOD).contains(p))?,
            "digits" => digits = value.parse().ok().filter(|d| (6..=8).contains(d))?,
            "algorithm" if !value.eq_ignore_ascii_case("SHA1") => return None,
            _ => {}
        }
    }
    Some(OtpAuth { issuer: issuer.or(label_issuer), account, secret: secret?, period, digits })
}

/// RFC 3986: everything but the unreserved characters as `%XX` of its UTF-8 bytes.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors() {
        // T = time / 30, 8 digits, HMAC-SHA1 with the ASCII secret "1234567890" twice.
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (time, expected) in vectors {
            assert_eq!(hotp(RFC_SECRET, step_at(time, 30), 8), expected, "T = {time}");
        }
    }

    #[test]
    fn rfc_4226_appendix_d_hotp_vectors() {
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676"];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *code);
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_encode(b"fooba"), "MZXW6YTB");
        assert_eq!(base32_encode(b"f"), "MY");
        assert_eq!(base32_decode("mzxw6ytboi======").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_decode("MZXW 6YTB OI").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_decode("MZ1W"), None);
        assert_eq!(base32_decode(""), None);
        let secret: Vec<u8> = (0..20).map(|i| (i * 37 + 11) as u8).collect();
        let text = base32_encode(&secret);
        assert_eq!(text.len(), 32);
        assert_eq!(base32_decode(&text), Some(secret));
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_not_two() {
        let t = 1_800_000_000;
        let code = code_at(RFC_SECRET, 60, t);
        let step = step_at(t, 60);
        assert_eq!(verify(RFC_SECRET, 60, &code, t, None), Ok(step));
        assert_eq!(verify(RFC_SECRET, 60, &code, t + 60, None), Ok(step));
        assert_eq!(verify(RFC_SECRET, 60, &code, t - 60, None), Ok(step));
        assert_eq!(verify(RFC_SECRET, 60, &code, t + 120, None), Err(CodeError::Wrong));
        assert_eq!(verify(RFC_SECRET, 60, &code, t - 120, None), Err(CodeError::Wrong));
        assert_eq!(verify(RFC_SECRET, 60, "12345", t, None), Err(CodeError::Wrong));
        assert_eq!(verify(RFC_SECRET, 60, "abcdef", t, None), Err(CodeError::Wrong));
    }

    #[test]
    fn a_used_step_is_refused_as_reused() {
        let t = 1_800_000_000;
        let code = code_at(RFC_SECRET, 60, t);
        let step = step_at(t, 60);
        assert_eq!(verify(RFC_SECRET, 60, &code, t, Some(step)), Err(CodeError::Reused));
        assert_eq!(verify(RFC_SECRET, 60, &code, t, Some(step - 1)), Ok(step));
        let next = code_at(RFC_SECRET, 60, t + 60);
        assert_eq!(verify(RFC_SECRET, 60, &next, t + 60, Some(step)), Ok(step + 1));
    }

    #[test]
    fn the_uri_states_the_period_and_reads_back() {
        let secret = base32_encode(RFC_SECRET);
        let uri = otpauth_uri("澳門 eSignTrust", "clerk.chan", &secret, 60);
        assert!(uri.starts_with("otpauth://totp/%E6%BE%B3%E9%96%80%20eSignTrust:clerk.chan?"));
        assert!(uri.contains("&period=60&digits=6&algorithm=SHA1"), "{uri}");
        let parsed = parse_otpauth_uri(&uri).expect("parses");
        assert_eq!(parsed.issuer.as_deref(), Some("澳門 eSignTrust"));
        assert_eq!(parsed.account, "clerk.chan");
        assert_eq!(parsed.secret, RFC_SECRET);
        assert_eq!((parsed.period, parsed.digits), (60, 6));
        assert!(!format!("{parsed:?}").contains(&secret));
        assert_eq!(parse_otpauth_uri("otpauth://hotp/x?secret=MY"), None);
        assert_eq!(parse_otpauth_uri("otpauth://totp/x?secret=MY&algorithm=SHA256"), None);
    }
}
