//! Clerk credentials: Argon2id hashes, and passwords that meet the account-password rule.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use registry::model::Sensitive;
use registry::totp;
use zeroize::Zeroizing;

/// Hashes a clerk's password for storage.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A new one-time code secret: 20 random bytes (160 bits, RFC 4226's recommended length),
/// base32 without padding, as authenticator apps take it.
pub fn new_totp_secret() -> Sensitive {
    let mut bytes = Zeroizing::new([0u8; totp::SECRET_BYTES]);
    rand::rng().fill(&mut bytes[..]);
    Sensitive::new(totp::base32_encode(&bytes[..]))
}

/// A 12-character password from an alphabet without look-alikes (no 0/O, 1/l/I), always with
/// upper case, lower case and digits, so it meets the account-password rule by construction.
pub fn generate_password() -> Zeroizing<String> {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGIT: &[u8] = b"23456789";
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| char::from(set[rng.random_range(0..set.len())]);
    let mut password = Zeroizing::new(String::with_capacity(12));
    for i in 0..12 {
        let set = match i % 4 {
            0 => UPPER,
            1 | 2 => LOWER,
            _ => DIGIT,
        };
        password.push(pick(set));
    }
    password
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_meet_the_account_rule_and_verify() {
        for _ in 0..20 {
            let password = generate_password();
            assert!(
                registry::credentials::account_password_problems(&password).is_empty(),
                "{}",
                password.as_str()
            );
            let hash = hash_password(&password).expect("hash");
            assert!(verify_password(&password, &hash));
            assert!(!verify_password("wrong-password-1A", &hash));
        }
    }

    #[test]
    fn totp_secrets_are_160_bits_of_base32_and_differ() {
        let a = new_totp_secret();
        let b = new_totp_secret();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 32);
        assert_eq!(totp::base32_decode(a.expose()).map(|s| s.len()), Some(totp::SECRET_BYTES));
    }

    #[test]
    fn a_malformed_hash_never_matches() {
        assert!(!verify_password("anything", "not a hash"));
    }
}
