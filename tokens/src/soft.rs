//! The soft-token fallback: where the profile allows it and no token is present, the key pair
//! is made in memory and written straight into a password-protected PKCS#12 file (AES-256,
//! HMAC-SHA-256, mode 0600) with the certificate and its chain. The key exists nowhere else.
//! Like a token's, the certificate goes in force only once the file is written, and is revoked
//! if it cannot be.

use std::path::Path;

use base64::Engine;
use p12_keystore::{KeyStore, KeyStoreEntry, PrivateKeyChain};
use rcgen::PublicKeyData;
use registry::model::{Issuance, KeyMedium};

use crate::ca::{OfficeCa, write_new_owner_only};
use crate::error::{Result, TokenError};
use crate::pin::Pin;
use crate::pkcs11::KeyKind;
use crate::service::{AuditKind, Counter, Draft, IssueRequest, Issued};

/// Issues into a PKCS#12 file at `path`, protected by `password`. Only P-256 keys: the key is
/// made by ring, which makes no RSA keys.
pub fn issue_pkcs12(
    counter: &mut Counter<'_>,
    ca: &OfficeCa,
    request: &IssueRequest,
    password: &Pin,
    path: &Path,
) -> Result<Issued> {
    if !request.profile.allows_soft_token() {
        return Err(TokenError::SoftNotAllowed(request.profile.name().to_owned()));
    }
    if request.key != KeyKind::P256 {
        return Err(TokenError::KeyType(format!("{} in a PKCS#12 file", request.key.as_str())));
    }
    let problems = registry::credentials::cloud_sign_password_problems(password.expose());
    if !problems.is_empty() {
        return Err(TokenError::PinRules(problems));
    }
    counter.finish_interrupted(ca.deliveries())?;
    if path.exists() {
        return Err(TokenError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", path.display()),
        )));
    }
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|e| TokenError::Certificate(e.to_string()))?;
    let now = counter.store.now();
    let signed = ca.sign_public_key(
        &key.subject_public_key_info(),
        request.profile,
        &request.subject,
        request.validity_years,
        now,
    )?;
    ca.verify_issued(&signed.der, now)?;

    let local_key_id = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &signed.der);
    let private = p12_keystore::PrivateKey::from_der(&key.serialize_der())
        .map_err(|e| TokenError::Certificate(e.to_string()))?;
    let mut certs = Vec::new();
    for der in std::iter::once(&signed.der).chain(ca.chain()) {
        certs.push(
            p12_keystore::Certificate::from_der(der)
                .map_err(|e| TokenError::Certificate(e.to_string()))?,
        );
    }
    let chain = PrivateKeyChain::new(local_key_id.as_ref().to_vec(), private, certs);
    let mut keystore = KeyStore::new();
    keystore.add_entry(&request.subject.cn, KeyStoreEntry::PrivateKeyChain(chain));
    let bytes = keystore
        .writer(password.expose())
        .write()
        .map_err(|e| TokenError::Certificate(e.to_string()))?;

    let draft = Draft::issue(request);
    let issuance = Issuance {
        profile: request.profile.name().to_owned(),
        sha256: signed.sha256(),
        issuer_key_id: ca.key_id_hex(),
        medium: KeyMedium::Pkcs12,
        key_id: None,
        key_type: KeyKind::P256.as_str().to_owned(),
        previous: None,
        der_base64: base64::engine::general_purpose::STANDARD.encode(&signed.der),
    };
    let record = counter.deliver(ca, &draft, &signed, issuance, None, AuditKind::Issued, |_| {
        write_new_owner_only(path, &bytes)
    })?;
    Ok(Issued::new(&record, &draft, KeyKind::P256, None, signed))
}
