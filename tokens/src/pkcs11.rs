//! PKCS#11 modules, the tokens they show, and what the kiosk does on a token: log in, make key
//! pairs, sign, store and read certificates, set PINs.
//!
//! A PKCS#11 module is process-wide state (C_Initialize may run once), and the CA token and a
//! subscriber's token are often served by the same module, so each module is loaded once and
//! shared.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{
    Attribute, AttributeType, CertificateType, KeyType, ObjectClass, ObjectHandle,
};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use serde::Serialize;

use crate::error::{Result, TokenError};
use crate::pin::Pin;

/// The key pairs the counter makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    Rsa2048,
    Rsa3072,
    P256,
}

impl KeyKind {
    pub const ALL: [KeyKind; 3] = [KeyKind::Rsa2048, KeyKind::Rsa3072, KeyKind::P256];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Rsa2048 => "rsa2048",
            KeyKind::Rsa3072 => "rsa3072",
            KeyKind::P256 => "p256",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn is_rsa(self) -> bool {
        self != KeyKind::P256
    }
}

/// DER of the OID prime256v1 (1.2.840.10045.3.1.7): CKA_EC_PARAMS of a P-256 key.
const P256_PARAMS: [u8; 10] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// A loaded PKCS#11 module.
#[derive(Clone)]
pub struct Module {
    ctx: Pkcs11,
    path: PathBuf,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module").field("path", &self.path).finish()
    }
}

fn loaded() -> &'static Mutex<HashMap<PathBuf, Pkcs11>> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    MODULES.get_or_init(Default::default)
}

/// What `kiosk token list` shows of a token.
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub slot: u64,
    pub label: String,
    pub serial: String,
    pub manufacturer: String,
    pub model: String,
    pub initialized: bool,
    pub user_pin_initialized: bool,
    /// The device itself says its user PIN is locked (real tokens count on their own).
    pub device_locked: bool,
    pub min_pin_length: usize,
    pub max_pin_length: usize,
}

impl Module {
    /// Loads (once per process) and initialises the module at `path`.
    pub fn load(path: &Path) -> Result<Module> {
        let key = std::fs::canonicalize(path)
            .map_err(|e| TokenError::Module { path: path.to_owned(), detail: e.to_string() })?;
        let mut modules = loaded().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(ctx) = modules.get(&key) {
            return Ok(Module { ctx: ctx.clone(), path: key });
        }
        let fail = |e: CkError| TokenError::Module { path: path.to_owned(), detail: e.to_string() };
        let ctx = Pkcs11::new(&key).map_err(fail)?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(fail(e)),
        }
        modules.insert(key.clone(), ctx.clone());
        Ok(Module { ctx, path: key })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every token present, in slot order.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let mut tokens = Vec::new();
        for slot in self.ctx.get_slots_with_token()? {
            let info = self.ctx.get_token_info(slot)?;
            tokens.push(TokenInfo {
                slot: slot.id(),
                label: info.label().trim().to_owned(),
                serial: info.serial_number().trim().to_owned(),
                manufacturer: info.manufacturer_id().trim().to_owned(),
                model: info.model().trim().to_owned(),
                initialized: info.token_initialized(),
                user_pin_initialized: info.user_pin_initialized(),
                device_locked: info.user_pin_locked(),
                min_pin_length: info.min_pin_length(),
                max_pin_length: info.max_pin_length(),
            });
        }
        Ok(tokens)
    }

    /// Initialises the first uninitialised token (a new token from stock, or SoftHSM2's free
    /// slot) with a label, an SO PIN and a user PIN that follows the PIN rule.
    pub fn init_token(&self, label: &str, so_pin: &Pin, pin: &Pin) -> Result<TokenInfo> {
        // PKCS#11 labels are 32 bytes, blank-padded: a longer one would be cut and not found.
        if label.is_empty() || label.len() > 32 {
            return Err(TokenError::LabelTooLong(label.to_owned()));
        }
        static INIT: Mutex<()> = Mutex::new(());
        let _one_at_a_time = INIT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut free = None;
        for slot in self.ctx.get_slots_with_token()? {
            if !self.ctx.get_token_info(slot)?.token_initialized() {
                free = Some(slot);
                break;
            }
        }
        let slot = free.ok_or_else(|| TokenError::NoToken(String::new()))?;
        // The user PIN is checked before C_InitToken: a refused PIN leaves the token as it was
        // in stock, not initialised with an SO PIN and no user PIN.
        let info = self.ctx.get_token_info(slot)?;
        crate::pin::check_new_pin(pin, info.min_pin_length(), info.max_pin_length())?;
        self.ctx.init_token(slot, &so_pin.auth(), label)?;
        let session = self.open(label)?;
        match session.login_so(so_pin)? {
            Login::Ok => {}
            _ => return Err(TokenError::WrongSoPin),
        }
        session.init_pin(pin)?;
        session.logout();
        Ok(session.info)
    }

    /// Opens a read-write session on the token labelled `label`. Tokens are found by label:
    /// slot ids change when a token is plugged in again (or initialised, on SoftHSM2).
    pub fn open(&self, label: &str) -> Result<TokenSession> {
        let info = self
            .tokens()?
            .into_iter()
            .find(|t| t.label == label)
            .ok_or_else(|| TokenError::NoToken(label.to_owned()))?;
        self.open_info(info, label)
    }

    /// Opens a read-write session on the token with this chip serial: tokens of one vendor
    /// often share a label, and the counter must write to the very token it chose.
    pub fn open_serial(&self, serial: &str) -> Result<TokenSession> {
        let info = self
            .tokens()?
            .into_iter()
            .find(|t| t.serial == serial)
            .ok_or_else(|| TokenError::NoToken(serial.to_owned()))?;
        self.open_info(info, serial)
    }

    fn open_info(&self, info: TokenInfo, name: &str) -> Result<TokenSession> {
        let label = name;
        let slot = self
            .ctx
            .get_slots_with_token()?
            .into_iter()
            .find(|s| s.id() == info.slot)
            .ok_or_else(|| TokenError::NoToken(label.to_owned()))?;
        let session = self.ctx.open_rw_session(slot)?;
        Ok(TokenSession { session, slot, info })
    }
}

/// How a login attempt ended.
#[derive(Debug)]
pub enum Login {
    Ok,
    WrongPin,
    /// The device refused because it locked itself.
    DeviceLocked,
}

/// An open session on one token.
pub struct TokenSession {
    session: Session,
    #[allow(dead_code)]
    slot: Slot,
    info: TokenInfo,
}

impl std::fmt::Debug for TokenSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSession").field("token", &self.info.label).finish_non_exhaustive()
    }
}

/// A key pair on a token.
#[derive(Debug, Clone)]
pub struct KeyPairHandles {
    pub private: ObjectHandle,
    pub public: Option<ObjectHandle>,
    pub id: Vec<u8>,
    pub kind: KeyKind,
}

/// A certificate object on a token.
#[derive(Debug, Clone)]
pub struct StoredCertificate {
    pub handle: ObjectHandle,
    pub id: Vec<u8>,
    pub label: String,
    pub der: Vec<u8>,
}

impl TokenSession {
    pub fn info(&self) -> &TokenInfo {
        &self.info
    }

    /// Logs the user in. A wrong PIN is an answer, not a failure: the caller counts it.
    pub fn login(&self, pin: &Pin) -> Result<Login> {
        self.login_as(UserType::User, pin)
    }

    pub fn login_so(&self, pin: &Pin) -> Result<Login> {
        self.login_as(UserType::So, pin)
    }

    fn login_as(&self, user: UserType, pin: &Pin) -> Result<Login> {
        match self.session.login(user, Some(&pin.auth())) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(Login::Ok),
            Err(CkError::Pkcs11(RvError::PinIncorrect | RvError::PinLenRange, _)) => {
                Ok(Login::WrongPin)
            }
            Err(CkError::Pkcs11(RvError::PinLocked, _)) => Ok(Login::DeviceLocked),
            Err(e) => Err(e.into()),
        }
    }

    pub fn logout(&self) {
        // Closing the session logs out anyway; a failure here changes nothing.
        let _ = self.session.logout();
    }

    /// C_InitPIN: the SO sets a new user PIN (unlock). Needs an SO login.
    pub fn init_pin(&self, new_pin: &Pin) -> Result<()> {
        self.session.init_pin(&new_pin.auth()).map_err(pin_rules)
    }

    /// C_SetPIN: the logged-in user changes their PIN.
    pub fn set_pin(&self, old: &Pin, new: &Pin) -> Result<()> {
        self.session.set_pin(&old.auth(), &new.auth()).map_err(pin_rules)
    }

    pub fn random(&self, len: usize) -> Result<Vec<u8>> {
        let mut bytes = vec![0u8; len];
        self.session.generate_random_slice(&mut bytes)?;
        Ok(bytes)
    }

    /// Generates a key pair on the token. The private key is sensitive and not extractable: it
    /// never leaves the token.
    pub fn generate_key_pair(
        &self,
        kind: KeyKind,
        id: &[u8],
        label: &str,
    ) -> Result<KeyPairHandles> {
        let common = |class: ObjectClass| {
            vec![
                Attribute::Class(class),
                Attribute::Token(true),
                Attribute::Id(id.to_vec()),
                Attribute::Label(label.as_bytes().to_vec()),
            ]
        };
        let mut public = common(ObjectClass::PUBLIC_KEY);
        public.push(Attribute::Verify(true));
        public.push(Attribute::Private(false));
        let mut private = common(ObjectClass::PRIVATE_KEY);
        private.extend([
            Attribute::Sign(true),
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
        ]);
        let mechanism = match kind {
            KeyKind::Rsa2048 | KeyKind::Rsa3072 => {
                let bits: u64 = if kind == KeyKind::Rsa2048 { 2048 } else { 3072 };
                public.push(Attribute::KeyType(KeyType::RSA));
                public.push(Attribute::ModulusBits(bits.into()));
                public.push(Attribute::PublicExponent(vec![0x01, 0x00, 0x01]));
                public.push(Attribute::Encrypt(true));
                private.push(Attribute::KeyType(KeyType::RSA));
                private.push(Attribute::Decrypt(true));
                Mechanism::RsaPkcsKeyPairGen
            }
            KeyKind::P256 => {
                public.push(Attribute::KeyType(KeyType::EC));
                public.push(Attribute::EcParams(P256_PARAMS.to_vec()));
                private.push(Attribute::KeyType(KeyType::EC));
                private.push(Attribute::Derive(true));
                Mechanism::EccKeyPairGen
            }
        };
        let (public, private) = self.session.generate_key_pair(&mechanism, &public, &private)?;
        Ok(KeyPairHandles { private, public: Some(public), id: id.to_vec(), kind })
    }

    /// The key pair whose CKA_ID is `id`.
    pub fn find_key_pair(&self, id: &[u8]) -> Result<Option<KeyPairHandles>> {
        let find = |class| {
            self.session.find_objects(&[Attribute::Class(class), Attribute::Id(id.to_vec())])
        };
        let Some(private) = find(ObjectClass::PRIVATE_KEY)?.into_iter().next() else {
            return Ok(None);
        };
        let public = find(ObjectClass::PUBLIC_KEY)?.into_iter().next();
        let kind = match self.session.get_attributes(private, &[AttributeType::KeyType])?.first() {
            Some(Attribute::KeyType(t)) if *t == KeyType::EC => KeyKind::P256,
            Some(Attribute::KeyType(t)) if *t == KeyType::RSA => {
                let bits = public
                    .map(|p| self.session.get_attributes(p, &[AttributeType::Modulus]))
                    .transpose()?
                    .and_then(|attrs| match attrs.first() {
                        Some(Attribute::Modulus(m)) => Some(m.len() * 8),
                        _ => None,
                    });
                if bits == Some(3072) { KeyKind::Rsa3072 } else { KeyKind::Rsa2048 }
            }
            _ => return Err(TokenError::NoKey),
        };
        Ok(Some(KeyPairHandles { private, public, id: id.to_vec(), kind }))
    }

    /// Every private key on the token with its CKA_ID.
    pub fn private_key_ids(&self) -> Result<Vec<Vec<u8>>> {
        let keys = self.session.find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])?;
        let mut ids = Vec::new();
        for key in keys {
            if let Some(Attribute::Id(id)) =
                self.session.get_attributes(key, &[AttributeType::Id])?.into_iter().next()
            {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// The raw public key as rcgen and X.509 carry it: the uncompressed EC point, or a DER
    /// RSAPublicKey.
    pub fn public_key_raw(&self, pair: &KeyPairHandles) -> Result<Vec<u8>> {
        let public = pair.public.ok_or(TokenError::NoKey)?;
        if pair.kind.is_rsa() {
            let attrs = self
                .session
                .get_attributes(public, &[AttributeType::Modulus, AttributeType::PublicExponent])?;
            let (mut n, mut e) = (None, None);
            for attr in attrs {
                match attr {
                    Attribute::Modulus(m) => n = Some(m),
                    Attribute::PublicExponent(x) => e = Some(x),
                    _ => {}
                }
            }
            let (Some(n), Some(e)) = (n, e) else { return Err(TokenError::NoKey) };
            Ok(yasna::construct_der(|w| {
                w.write_sequence(|w| {
                    w.next().write_bigint_bytes(&n, true);
                    w.next().write_bigint_bytes(&e, true);
                })
            }))
        } else {
            let attrs = self.session.get_attributes(public, &[AttributeType::EcPoint])?;
            let Some(Attribute::EcPoint(point)) = attrs.into_iter().next() else {
                return Err(TokenError::NoKey);
            };
            Ok(unwrap_ec_point(&point).to_vec())
        }
    }

    /// Signs `message` with the private key: SHA-256 with PKCS#1 v1.5 for RSA; for P-256 the
    /// message is hashed here (SoftHSM2 lacks CKM_ECDSA_SHA256) and the token's r‖s is
    /// returned as the DER ECDSA-Sig-Value X.509 uses.
    pub fn sign(&self, pair: &KeyPairHandles, message: &[u8]) -> Result<Vec<u8>> {
        if pair.kind.is_rsa() {
            Ok(self.session.sign(&Mechanism::Sha256RsaPkcs, pair.private, message)?)
        } else {
            let digest = ring::digest::digest(&ring::digest::SHA256, message);
            let rs = self.session.sign(&Mechanism::Ecdsa, pair.private, digest.as_ref())?;
            ecdsa_rs_to_der(&rs).ok_or_else(|| {
                TokenError::Verification("the token's ECDSA signature has the wrong size".into())
            })
        }
    }

    /// Stores `der` as a certificate object beside the key pair with CKA_ID `id`, under the
    /// same label.
    pub fn write_certificate(&self, der: &[u8], id: &[u8], label: &str) -> Result<ObjectHandle> {
        let (_, cert) = x509_parser::parse_x509_certificate(der)
            .map_err(|e| TokenError::Certificate(e.to_string()))?;
        let template = [
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::CertificateType(CertificateType::X_509),
            Attribute::Token(true),
            Attribute::Private(false),
            Attribute::Id(id.to_vec()),
            Attribute::Label(label.as_bytes().to_vec()),
            Attribute::Subject(cert.tbs_certificate.subject.as_raw().to_vec()),
            Attribute::Issuer(cert.tbs_certificate.issuer.as_raw().to_vec()),
            Attribute::SerialNumber(der_integer(cert.tbs_certificate.raw_serial())),
            Attribute::Value(der.to_vec()),
        ];
        Ok(self.session.create_object(&template)?)
    }

    /// Every certificate object on the token.
    pub fn certificates(&self) -> Result<Vec<StoredCertificate>> {
        let handles = self.session.find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])?;
        let mut out = Vec::new();
        for handle in handles {
            let attrs = self.session.get_attributes(
                handle,
                &[AttributeType::Id, AttributeType::Label, AttributeType::Value],
            )?;
            let mut cert =
                StoredCertificate { handle, id: Vec::new(), label: String::new(), der: Vec::new() };
            for attr in attrs {
                match attr {
                    Attribute::Id(id) => cert.id = id,
                    Attribute::Label(label) => {
                        cert.label = String::from_utf8_lossy(&label).into_owned()
                    }
                    Attribute::Value(der) => cert.der = der,
                    _ => {}
                }
            }
            out.push(cert);
        }
        Ok(out)
    }

    pub fn destroy(&self, handle: ObjectHandle) -> Result<()> {
        Ok(self.session.destroy_object(handle)?)
    }
}

fn pin_rules(e: CkError) -> TokenError {
    match e {
        CkError::Pkcs11(RvError::PinLenRange | RvError::PinInvalid, _) => {
            TokenError::PinRules(vec!["pin-wrong-length"])
        }
        other => other.into(),
    }
}

/// CKA_EC_POINT is an OCTET STRING holding the point; some modules give the bare point.
pub fn unwrap_ec_point(value: &[u8]) -> &[u8] {
    match value {
        [0x04, len, rest @ ..]
            if usize::from(*len) == rest.len() && rest.first() == Some(&0x04) =>
        {
            rest
        }
        [0x04, 0x81, len, rest @ ..] if usize::from(*len) == rest.len() => rest,
        _ => value,
    }
}

/// The DER ECDSA-Sig-Value of a raw r‖s signature.
pub fn ecdsa_rs_to_der(rs: &[u8]) -> Option<Vec<u8>> {
    if rs.is_empty() || !rs.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = rs.split_at(rs.len() / 2);
    Some(yasna::construct_der(|w| {
        w.write_sequence(|w| {
            w.next().write_bigint_bytes(r, true);
            w.next().write_bigint_bytes(s, true);
        })
    }))
}

/// A certificate serial as the DER INTEGER CKA_SERIAL_NUMBER holds.
fn der_integer(raw: &[u8]) -> Vec<u8> {
    yasna::construct_der(|w| w.write_bigint_bytes(raw, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ec_points_are_unwrapped_from_their_octet_string() {
        let mut point = vec![0x04];
        point.extend([7u8; 64]);
        let mut wrapped = vec![0x04, 65];
        wrapped.extend(&point);
        assert_eq!(unwrap_ec_point(&wrapped), &point[..]);
        assert_eq!(unwrap_ec_point(&point), &point[..]);
    }

    #[test]
    fn ecdsa_signatures_become_der_with_positive_integers() {
        let mut rs = vec![0x80u8; 32];
        rs.extend([0x01u8; 32]);
        let der = ecdsa_rs_to_der(&rs).expect("der");
        // SEQUENCE { INTEGER 00 80.. (33 bytes), INTEGER 01.. (32 bytes) }
        assert_eq!(der[0], 0x30);
        assert_eq!(&der[2..5], &[0x02, 33, 0x00]);
        assert_eq!(ecdsa_rs_to_der(&[1, 2, 3]), None);
    }

    proptest! {
        #[test]
        fn odd_or_any_token_output_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = ecdsa_rs_to_der(&bytes);
            let _ = unwrap_ec_point(&bytes);
        }
    }
}
