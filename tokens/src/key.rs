//! A key pair on a token as rcgen sees it: rcgen builds the bytes to sign, the token signs.

use std::cell::RefCell;

use rcgen::{PublicKeyData, SignatureAlgorithm, SigningKey};

use crate::error::{Result, TokenError};
use crate::pkcs11::{KeyKind, KeyPairHandles, TokenSession};

pub struct TokenKey<'a> {
    session: &'a TokenSession,
    pair: KeyPairHandles,
    public: Vec<u8>,
    /// rcgen can only report a data-less `RemoteKeyError`: the token's own error waits here.
    failure: RefCell<Option<TokenError>>,
}

impl std::fmt::Debug for TokenKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKey").field("kind", &self.pair.kind).finish_non_exhaustive()
    }
}

impl<'a> TokenKey<'a> {
    pub fn new(session: &'a TokenSession, pair: KeyPairHandles) -> Result<Self> {
        let public = session.public_key_raw(&pair)?;
        Ok(TokenKey { session, pair, public, failure: RefCell::new(None) })
    }

    pub fn pair(&self) -> &KeyPairHandles {
        &self.pair
    }

    pub fn kind(&self) -> KeyKind {
        self.pair.kind
    }

    /// The raw public key (EC point or DER RSAPublicKey).
    pub fn public_raw(&self) -> &[u8] {
        &self.public
    }

    /// Turns an rcgen failure into the token's own error when the token caused it.
    pub fn explain(&self, err: rcgen::Error) -> TokenError {
        self.failure.borrow_mut().take().unwrap_or_else(|| TokenError::Certificate(err.to_string()))
    }
}

pub fn algorithm_of(kind: KeyKind) -> &'static SignatureAlgorithm {
    match kind {
        KeyKind::Rsa2048 | KeyKind::Rsa3072 => &rcgen::PKCS_RSA_SHA256,
        KeyKind::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
    }
}

impl PublicKeyData for TokenKey<'_> {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        algorithm_of(self.pair.kind)
    }
}

impl SigningKey for TokenKey<'_> {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        self.session.sign(&self.pair, msg).map_err(|e| {
            *self.failure.borrow_mut() = Some(e);
            rcgen::Error::RemoteKeyError
        })
    }
}

/// Checks `signature` over `message` against a raw public key of `kind` (as in a certificate).
pub fn verify_signature(
    kind: KeyKind,
    public_raw: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    let algorithm: &dyn ring::signature::VerificationAlgorithm = match kind {
        KeyKind::Rsa2048 | KeyKind::Rsa3072 => &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        KeyKind::P256 => &ring::signature::ECDSA_P256_SHA256_ASN1,
    };
    ring::signature::UnparsedPublicKey::new(algorithm, public_raw)
        .verify(message, signature)
        .is_ok()
}
