//! Basic Access Control (ICAO 9303-11 §4.3): keys from the MRZ's document number, birth date and
//! expiry date; mutual authentication; session keys and the send sequence counter.

use registry::mrz::Mrz;

use super::crypto::{self, Key};
use super::sm::SmSession;

/// The MRZ fields BAC keys come from: `document number + check, birth YYMMDD + check, expiry
/// YYMMDD + check`. `None` when the MRZ lacks a real birth or expiry date.
pub fn mrz_information(mrz: &Mrz) -> Option<String> {
    let mut number = mrz.document_number.clone();
    while number.len() < 9 {
        number.push('<');
    }
    let date = |d: time::Date| {
        format!("{:02}{:02}{:02}", d.year().rem_euclid(100), u8::from(d.month()), d.day())
    };
    let birth = date(mrz.birth_date?);
    let expiry = date(mrz.expiry_date?);
    let check = |field: &str| registry::mrz::check_digit(field);
    Some(format!("{number}{}{birth}{}{expiry}{}", check(&number)?, check(&birth)?, check(&expiry)?))
}

/// The document basic access keys (K_enc, K_mac) for an MRZ information string.
pub fn document_keys(mrz_information: &str) -> (Key, Key) {
    let digest = crypto::sha1(&[mrz_information.as_bytes()]);
    let seed = &digest[..16];
    (crypto::derive_key(seed, crypto::ENC), crypto::derive_key(seed, crypto::MAC))
}

/// Session keys and SSC from the two key halves and challenges.
pub fn session(
    k_ifd: &[u8; 16],
    k_ic: &[u8; 16],
    rnd_ic: &[u8; 8],
    rnd_ifd: &[u8; 8],
) -> SmSession {
    let mut seed = [0u8; 16];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = k_ifd[i] ^ k_ic[i];
    }
    let mut ssc = [0u8; 8];
    ssc[..4].copy_from_slice(&rnd_ic[4..]);
    ssc[4..].copy_from_slice(&rnd_ifd[4..]);
    SmSession::new(
        crypto::derive_key(&seed, crypto::ENC),
        crypto::derive_key(&seed, crypto::MAC),
        u64::from_be_bytes(ssc),
    )
}

/// Why mutual authentication failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacFailure {
    /// The chip refused our cryptogram (status 6300 or similar): the MRZ does not match.
    Refused,
    /// The chip's answer does not check: not our keys, or interference.
    BadAnswer,
}

/// The reader's side of mutual authentication: the EXTERNAL AUTHENTICATE data for the chip's
/// challenge, and what to check in its answer.
pub struct Authentication {
    k_enc: Key,
    k_mac: Key,
    rnd_ifd: [u8; 8],
    k_ifd: [u8; 16],
    rnd_ic: [u8; 8],
}

impl std::fmt::Debug for Authentication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authentication(***)")
    }
}

impl Authentication {
    pub fn new(keys: (Key, Key), rnd_ic: [u8; 8], rnd_ifd: [u8; 8], k_ifd: [u8; 16]) -> Self {
        Authentication { k_enc: keys.0, k_mac: keys.1, rnd_ifd, k_ifd, rnd_ic }
    }

    /// E_IFD ‖ M_IFD.
    pub fn cryptogram(&self) -> Vec<u8> {
        let mut s = self.rnd_ifd.to_vec();
        s.extend_from_slice(&self.rnd_ic);
        s.extend_from_slice(&self.k_ifd);
        let e = crypto::encrypt(&self.k_enc, &s);
        let m = crypto::retail_mac(&self.k_mac, &e);
        let mut out = e;
        out.extend_from_slice(&m);
        out
    }

    /// Checks the chip's E_IC ‖ M_IC and derives the session.
    pub fn finish(&self, answer: &[u8]) -> Result<SmSession, BacFailure> {
        if answer.len() != 40 {
            return Err(BacFailure::BadAnswer);
        }
        let (e_ic, m_ic) = answer.split_at(32);
        if !crypto::same_mac(m_ic, &crypto::retail_mac(&self.k_mac, e_ic)) {
            return Err(BacFailure::BadAnswer);
        }
        let r = crypto::decrypt(&self.k_enc, e_ic);
        if r[..8] != self.rnd_ic || r[8..16] != self.rnd_ifd {
            return Err(BacFailure::BadAnswer);
        }
        let mut k_ic = [0u8; 16];
        k_ic.copy_from_slice(&r[16..32]);
        Ok(session(&self.k_ifd, &k_ic, &self.rnd_ic, &self.rnd_ifd))
    }
}

/// The chip's side (for the virtual passport): checks the reader's cryptogram and answers it.
/// `None` when the cryptogram was not made with this document's keys.
pub fn chip_answer(
    keys: (Key, Key),
    rnd_ic: [u8; 8],
    k_ic: [u8; 16],
    cryptogram: &[u8],
) -> Option<(Vec<u8>, SmSession)> {
    let (k_enc, k_mac) = keys;
    if cryptogram.len() != 40 {
        return None;
    }
    let (e_ifd, m_ifd) = cryptogram.split_at(32);
    if !crypto::same_mac(m_ifd, &crypto::retail_mac(&k_mac, e_ifd)) {
        return None;
    }
    let s = crypto::decrypt(&k_enc, e_ifd);
    if s[8..16] != rnd_ic {
        return None;
    }
    let mut rnd_ifd = [0u8; 8];
    rnd_ifd.copy_from_slice(&s[..8]);
    let mut k_ifd = [0u8; 16];
    k_ifd.copy_from_slice(&s[16..32]);
    let mut r = rnd_ic.to_vec();
    r.extend_from_slice(&rnd_ifd);
    r.extend_from_slice(&k_ic);
    let e_ic = crypto::encrypt(&k_enc, &r);
    let m_ic = crypto::retail_mac(&k_mac, &e_ic);
    let mut answer = e_ic;
    answer.extend_from_slice(&m_ic);
    Some((answer, session(&k_ifd, &k_ic, &rnd_ic, &rnd_ifd)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).expect("hex")
    }

    #[test]
    fn mutual_authentication_matches_icao_worked_example() {
        let keys = document_keys("L898902C<369080619406236");
        let auth = Authentication::new(
            keys,
            h("4608F91988702212").try_into().expect("8"),
            h("781723860C06C226").try_into().expect("8"),
            h("0B795240CB7049B01C19B33E32804F0B").try_into().expect("16"),
        );
        assert_eq!(
            auth.cryptogram(),
            h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7")
        );
        let answer =
            h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
        let session = auth.finish(&answer).expect("session");
        assert_eq!(session.ssc(), 0x887022120C06C226);
        let mut wrong = answer.clone();
        wrong[0] ^= 1;
        assert_eq!(auth.finish(&wrong).err(), Some(BacFailure::BadAnswer));
    }

    #[test]
    fn the_chip_side_answers_only_its_own_keys() {
        let keys = document_keys("L898902C<369080619406236");
        let rnd_ic = [1u8; 8];
        let k_ic = [2u8; 16];
        let auth = Authentication::new(keys, rnd_ic, [3u8; 8], [4u8; 16]);
        let (answer, chip) = chip_answer(keys, rnd_ic, k_ic, &auth.cryptogram()).expect("answer");
        let reader = auth.finish(&answer).expect("reader session");
        assert_eq!(reader.ssc(), chip.ssc());
        let other = document_keys("X12345678<369080619406236");
        assert!(chip_answer(other, rnd_ic, k_ic, &auth.cryptogram()).is_none());
    }

    #[test]
    fn mrz_information_comes_from_the_parsed_mrz() {
        let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
        let today = time::macros::date!(2026 - 11 - 21);
        let mrz = registry::mrz::parse(text, today).expect("mrz");
        assert_eq!(mrz_information(&mrz).as_deref(), Some("L898902C3674081221204159"));
    }
}
