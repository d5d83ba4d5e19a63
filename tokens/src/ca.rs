//! The office issuing CA. Its private key lives on a PKCS#11 token or HSM and never in a file;
//! what the data directory keeps is where to find it (module, token, key id) and the
//! certificate chain: `DATA_DIR/ca/ca.toml` and `DATA_DIR/ca/chain.pem`.

use std::path::{Path, PathBuf};

use ::time::{Duration, OffsetDateTime};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DnType, IsCa, Issuer,
    KeyIdMethod, KeyUsagePurpose, RevokedCertParams, SerialNumber,
};
use registry::model::{RevocationReason, SubjectDn};
use serde::{Deserialize, Serialize};
use x509_parser::prelude::{
    FromDer, ParsedExtension, SubjectPublicKeyInfo, X509Certificate, X509CertificationRequest,
};

use crate::delivery::Deliveries;
use crate::error::{Result, TokenError};
use crate::key::TokenKey;
use crate::pin::Pin;
use crate::pkcs11::{KeyKind, KeyPairHandles, Login, Module, TokenSession};
use crate::profile::{self, Profile};

/// Where the CA's configuration lives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaConfig {
    /// The PKCS#11 module of the CA's token or HSM.
    pub module: PathBuf,
    pub token_label: String,
    /// CKA_ID of the office CA's key pair, hex.
    pub key_id: String,
    /// The chain, office CA first, in PEM (a file name in the CA directory).
    pub chain: String,
    /// Dotted OID under which the profiles' policies are numbered.
    #[serde(default)]
    pub policy_arc: Option<String>,
    /// Days until the next CRL is due.
    #[serde(default = "default_crl_days")]
    pub crl_days: u32,
}

fn default_crl_days() -> u32 {
    7
}

pub fn ca_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("ca")
}

fn config_path(data_dir: &Path) -> PathBuf {
    ca_dir(data_dir).join("ca.toml")
}

impl CaConfig {
    pub fn load(data_dir: &Path) -> Result<CaConfig> {
        let text = match std::fs::read_to_string(config_path(data_dir)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(TokenError::CaNotConfigured);
            }
            Err(e) => return Err(e.into()),
        };
        toml::from_str(&text).map_err(|e| TokenError::Certificate(format!("ca.toml: {e}")))
    }

    pub fn exists(data_dir: &Path) -> bool {
        config_path(data_dir).exists()
    }

    /// Writes the configuration and chain, each through a temporary file and a rename, so a
    /// crash leaves the old files or the new ones, never half of one.
    fn save(&self, data_dir: &Path, chain: &[Vec<u8>]) -> Result<()> {
        let dir = ca_dir(data_dir);
        std::fs::create_dir_all(&dir)?;
        write_atomically(&dir.join(&self.chain), pem_chain(chain).as_bytes())?;
        let text = toml::to_string(self).map_err(|e| TokenError::Certificate(e.to_string()))?;
        write_atomically(&config_path(data_dir), text.as_bytes())
    }

    fn policy_arc(&self) -> Vec<u64> {
        self.policy_arc
            .as_deref()
            .and_then(profile::parse_arc)
            .unwrap_or_else(|| profile::DEFAULT_POLICY_ARC.to_vec())
    }
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_as(path, bytes, None)
}

/// A new file at `path`, readable by its owner alone (mode 0600, set as it is created): a
/// PKCS#12 file holds a private key, encrypted or not. Never replaces a file, nor follows a
/// link, that is there or appears meanwhile (`O_EXCL`); no temporary name beside it for
/// another process to meet; no mode to change afterwards (which a FAT USB stick refuses).
/// Synced, its folder too, before it counts as written; a file left half-written is removed.
pub(crate) fn write_new_owner_only(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e.into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Some filesystems cannot sync a folder; the file itself is on the medium already.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

fn write_atomically_as(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    if let Some(mode) = mode {
        // Before a byte is written: a leftover temporary file keeps its old mode otherwise.
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

pub fn pem_chain(chain: &[Vec<u8>]) -> String {
    let pems: Vec<::pem::Pem> =
        chain.iter().map(|der| ::pem::Pem::new("CERTIFICATE", der.clone())).collect();
    ::pem::encode_many(&pems)
}

/// Reads PEM certificates (any other blocks are skipped).
pub fn read_pem_chain(text: &[u8]) -> Result<Vec<Vec<u8>>> {
    let pems = ::pem::parse_many(text).map_err(|e| TokenError::Certificate(e.to_string()))?;
    let chain: Vec<Vec<u8>> =
        pems.into_iter().filter(|p| p.tag() == "CERTIFICATE").map(|p| p.into_contents()).collect();
    if chain.is_empty() {
        return Err(TokenError::Certificate("no certificate in the PEM input".into()));
    }
    Ok(chain)
}

/// A random serial: 16 bytes from the system's generator with the top bit clear (serials are
/// positive), so 126 bits of entropy and offices never collide while offline.
pub fn random_serial() -> Vec<u8> {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    bytes.to_vec()
}

/// `at` plus whole years, on the same day of the year (29 February becomes 28 February).
pub fn add_years(at: OffsetDateTime, years: u8) -> OffsetDateTime {
    let year = at.year() + i32::from(years);
    at.replace_year(year)
        .unwrap_or_else(|_| at.replace_day(28).and_then(|d| d.replace_year(year)).unwrap_or(at))
}

fn now_seconds(now: OffsetDateTime) -> OffsetDateTime {
    now.replace_nanosecond(0).unwrap_or(now)
}

fn bad_cert(e: impl std::fmt::Display) -> TokenError {
    TokenError::Certificate(e.to_string())
}

/// Logs in to the CA token. A wrong CA PIN is refused at once (an HSM counts its own tries).
fn login_ca(session: &TokenSession, pin: &Pin) -> Result<()> {
    match session.login(pin)? {
        Login::Ok => Ok(()),
        Login::WrongPin => Err(TokenError::WrongCaPin),
        Login::DeviceLocked => Err(TokenError::Locked),
    }
}

/// What `ca init` made.
#[derive(Debug)]
pub struct CaInit {
    pub config: CaConfig,
    /// Office CA first, then the root.
    pub chain: Vec<Vec<u8>>,
}

/// Creates a root and an office sub-CA on the token `label` — for a demo or test office. A real
/// office imports its sub-CA certificate, signed by the central CA, with [`import`].
pub fn init(
    data_dir: &Path,
    module: &Module,
    label: &str,
    pin: &Pin,
    office: &str,
    now: OffsetDateTime,
) -> Result<CaInit> {
    if CaConfig::exists(data_dir) {
        return Err(TokenError::CaExists);
    }
    // The CAs' own names (the office's name is configured) meet the rules of the names they sign.
    let root_name = format!("{office} Root CA");
    let office_name = format!("{office} Office CA");
    for cn in [&root_name, &office_name] {
        let dn = SubjectDn {
            cn: cn.clone(),
            o: Some(cn.clone()),
            c: Some("MO".into()),
            ..Default::default()
        };
        crate::dn::check(&dn)?;
    }
    let session = module.open(label)?;
    login_ca(&session, pin)?;
    let now = now_seconds(now);
    let root_id = session.random(16)?;
    let root_pair = session.generate_key_pair(KeyKind::P256, &root_id, "kiosk root CA")?;
    let root_key = TokenKey::new(&session, root_pair)?;
    let mut root = ca_params(&root_name, now, 20, BasicConstraints::Constrained(1));
    root.serial_number = Some(SerialNumber::from_slice(&random_serial()));
    let root_cert = root.self_signed(&root_key).map_err(|e| root_key.explain(e))?;

    let office_id = session.random(16)?;
    let office_pair = session.generate_key_pair(KeyKind::P256, &office_id, "kiosk office CA")?;
    let office_key = TokenKey::new(&session, office_pair)?;
    let mut sub = ca_params(&office_name, now, 10, BasicConstraints::Constrained(0));
    sub.serial_number = Some(SerialNumber::from_slice(&random_serial()));
    sub.use_authority_key_identifier_extension = true;
    let issuer = Issuer::from_params(&root, &root_key);
    let office_cert = sub.signed_by(&office_key, &issuer).map_err(|e| root_key.explain(e))?;

    let config = CaConfig {
        module: module.path().to_owned(),
        token_label: label.to_owned(),
        key_id: hex::encode(&office_id),
        chain: "chain.pem".into(),
        policy_arc: None,
        crl_days: default_crl_days(),
    };
    let chain = vec![office_cert.der().to_vec(), root_cert.der().to_vec()];
    config.save(data_dir, &chain)?;
    Ok(CaInit { config, chain })
}

fn ca_params(
    cn: &str,
    now: OffsetDateTime,
    years: u8,
    constraints: BasicConstraints,
) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(
        DnType::CountryName,
        rcgen::DnValue::PrintableString(
            rcgen::string::PrintableString::try_from("MO").expect("MO is printable"),
        ),
    );
    params.distinguished_name.push(DnType::OrganizationName, cn);
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = now;
    params.not_after = add_years(now, years);
    params.is_ca = IsCa::Ca(constraints);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params
}

/// Generates the office CA's key pair on the CA token and returns a CSR (PEM) for the central
/// CA to sign; the signed certificate comes back through [`import`].
pub fn request(module: &Module, label: &str, pin: &Pin, subject: &SubjectDn) -> Result<String> {
    crate::dn::check(subject)?;
    let session = module.open(label)?;
    login_ca(&session, pin)?;
    let id = session.random(16)?;
    let pair = session.generate_key_pair(KeyKind::P256, &id, "kiosk office CA")?;
    let key = TokenKey::new(&session, pair)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = crate::dn::to_rcgen(subject);
    let csr = params.serialize_request(&key).map_err(|e| key.explain(e))?;
    csr.pem().map_err(bad_cert)
}

/// Takes in the office CA's certificate (first in `chain_pem`, then its issuers) and finds the
/// key pair on the CA token whose public key it certifies.
pub fn import(
    data_dir: &Path,
    module: &Module,
    label: &str,
    pin: &Pin,
    chain_pem: &[u8],
) -> Result<CaConfig> {
    if CaConfig::exists(data_dir) {
        return Err(TokenError::CaExists);
    }
    let chain = read_pem_chain(chain_pem)?;
    check_chain(&chain)?;
    let (_, office) = X509Certificate::from_der(&chain[0]).map_err(bad_cert)?;
    if !office.is_ca() {
        return Err(TokenError::Certificate(
            "the first certificate is not a CA certificate".into(),
        ));
    }
    let wanted = office.public_key().subject_public_key.data.to_vec();
    let session = module.open(label)?;
    login_ca(&session, pin)?;
    let mut found = None;
    for id in session.private_key_ids()? {
        if let Some(pair) = session.find_key_pair(&id)?
            && session.public_key_raw(&pair).ok().as_deref() == Some(wanted.as_slice())
        {
            found = Some(id);
            break;
        }
    }
    let id = found.ok_or(TokenError::CaKeyMismatch)?;
    let config = CaConfig {
        module: module.path().to_owned(),
        token_label: label.to_owned(),
        key_id: hex::encode(id),
        chain: "chain.pem".into(),
        policy_arc: None,
        crl_days: default_crl_days(),
    };
    config.save(data_dir, &chain)?;
    Ok(config)
}

/// Each certificate of a chain is signed by the next; the last may be a root or not.
pub fn check_chain(chain: &[Vec<u8>]) -> Result<()> {
    let certs: Vec<X509Certificate<'_>> = chain
        .iter()
        .map(|der| X509Certificate::from_der(der).map(|(_, c)| c).map_err(bad_cert))
        .collect::<Result<_>>()?;
    for pair in certs.windows(2) {
        pair[0]
            .verify_signature(Some(pair[1].public_key()))
            .map_err(|e| TokenError::Verification(format!("chain: {e}")))?;
    }
    Ok(())
}

/// A certificate the office CA signed.
#[derive(Debug, Clone)]
pub struct Signed {
    pub der: Vec<u8>,
    /// Lower-case hex, without leading zero bytes.
    pub serial: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl Signed {
    pub fn sha256(&self) -> String {
        hex::encode(ring::digest::digest(&ring::digest::SHA256, &self.der))
    }
}

/// The office CA, logged in and ready to sign.
pub struct OfficeCa {
    config: CaConfig,
    deliveries: Deliveries,
    chain: Vec<Vec<u8>>,
    session: TokenSession,
    pair: KeyPairHandles,
    key_id: Vec<u8>,
}

impl std::fmt::Debug for OfficeCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfficeCa").field("token", &self.config.token_label).finish_non_exhaustive()
    }
}

impl OfficeCa {
    pub fn open(data_dir: &Path, pin: &Pin) -> Result<OfficeCa> {
        let config = CaConfig::load(data_dir)?;
        let chain = read_pem_chain(&std::fs::read(ca_dir(data_dir).join(&config.chain))?)?;
        let module = Module::load(&config.module)?;
        let session = module.open(&config.token_label)?;
        login_ca(&session, pin)?;
        let id = hex::decode(&config.key_id).map_err(|_| TokenError::CaKeyMismatch)?;
        let pair = session.find_key_pair(&id)?.ok_or(TokenError::CaKeyMismatch)?;
        let (_, office) = X509Certificate::from_der(&chain[0]).map_err(bad_cert)?;
        if session.public_key_raw(&pair)? != office.public_key().subject_public_key.data.as_ref() {
            return Err(TokenError::CaKeyMismatch);
        }
        let key_id = subject_key_id(&office).unwrap_or_default();
        let deliveries = Deliveries::at(data_dir);
        Ok(OfficeCa { config, deliveries, chain, session, pair, key_id })
    }

    /// The issuances of this CA on their way to their holders.
    pub fn deliveries(&self) -> &Deliveries {
        &self.deliveries
    }

    /// Office CA first, then its issuers.
    pub fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// The office CA's subject key identifier, hex: the `issuer_key_id` of what it signs.
    pub fn key_id_hex(&self) -> String {
        hex::encode(&self.key_id)
    }

    fn key(&self) -> Result<TokenKey<'_>> {
        TokenKey::new(&self.session, self.pair.clone())
    }

    /// Signs a certificate for the public key in a CSR the subscriber's token signed. The CSR's
    /// signature is checked (the key is the token's); the subject comes from the vetted record,
    /// not from the CSR.
    pub fn sign_request(
        &self,
        csr_der: &[u8],
        profile: Profile,
        subject: &SubjectDn,
        validity_years: u8,
        now: OffsetDateTime,
    ) -> Result<Signed> {
        let (_, csr) = X509CertificationRequest::from_der(csr_der).map_err(bad_cert)?;
        csr.verify_signature().map_err(|e| TokenError::Verification(format!("CSR: {e}")))?;
        let spki = csr.certification_request_info.subject_pki.raw;
        self.sign_public_key(spki, profile, subject, validity_years, now)
    }

    /// Signs a certificate for a SubjectPublicKeyInfo (DER).
    pub fn sign_public_key(
        &self,
        spki_der: &[u8],
        profile: Profile,
        subject: &SubjectDn,
        validity_years: u8,
        now: OffsetDateTime,
    ) -> Result<Signed> {
        if !registry::model::VALIDITY_YEARS.contains(&validity_years) {
            return Err(TokenError::Certificate(format!(
                "validity must be 1 to 5 years, not {validity_years}"
            )));
        }
        // Whatever path the name came by (typed, from a record, renewed), the CA signs only a
        // name it may sign.
        crate::dn::check(subject)?;
        profile.check_subject(subject)?;
        let public = rcgen::SubjectPublicKeyInfo::from_der(spki_der).map_err(bad_cert)?;
        let key_kind = kind_of_spki(spki_der)?;
        let now = now_seconds(now);
        let serial = random_serial();
        let mut params = CertificateParams::default();
        params.distinguished_name = crate::dn::to_rcgen(subject);
        params.serial_number = Some(SerialNumber::from_slice(&serial));
        params.not_before = now;
        params.not_after = add_years(now, validity_years);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = profile.key_usages(key_kind);
        params.extended_key_usages = profile.extended_key_usages();
        params.custom_extensions =
            vec![profile::policies_extension(&self.config.policy_arc(), profile)];
        params.use_authority_key_identifier_extension = true;
        let key = self.key()?;
        let issuer =
            Issuer::from_ca_cert_der(&self.chain[0].clone().into(), &key).map_err(bad_cert)?;
        let cert = params.signed_by(&public, &issuer).map_err(|e| key.explain(e))?;
        Ok(Signed {
            der: cert.der().to_vec(),
            serial: hex::encode(&serial),
            not_before: params.not_before,
            not_after: params.not_after,
        })
    }

    /// Checks a certificate was signed by this office CA, names it as issuer and is in force.
    pub fn verify_issued(&self, der: &[u8], now: OffsetDateTime) -> Result<()> {
        let (_, office) = X509Certificate::from_der(&self.chain[0]).map_err(bad_cert)?;
        let (_, cert) = X509Certificate::from_der(der).map_err(bad_cert)?;
        let fail = |why: String| Err(TokenError::Verification(why));
        if cert.issuer().as_raw() != office.subject().as_raw() {
            return fail("the issuer is not the office CA".into());
        }
        if let Err(e) = cert.verify_signature(Some(office.public_key())) {
            return fail(format!("signature: {e}"));
        }
        let t =
            x509_parser::time::ASN1Time::from_timestamp(now.unix_timestamp()).map_err(bad_cert)?;
        if !cert.validity().is_valid_at(t) {
            return fail("not within its validity period".into());
        }
        Ok(())
    }

    /// A CRL over `revoked` (serial hex, when, why), signed on the CA's token.
    pub fn crl(
        &self,
        revoked: &[(String, OffsetDateTime, RevocationReason)],
        now: OffsetDateTime,
    ) -> Result<Vec<u8>> {
        let now = now_seconds(now);
        let mut revoked_certs = Vec::new();
        for (serial, at, reason) in revoked {
            let bytes =
                hex::decode(serial).map_err(|_| TokenError::CertificateNotFound(serial.clone()))?;
            revoked_certs.push(RevokedCertParams {
                serial_number: SerialNumber::from_slice(&bytes),
                revocation_time: now_seconds(*at),
                reason_code: Some(crl_reason(*reason)),
                invalidity_date: None,
            });
        }
        // The CRL number goes up with time: no counter to keep, and two kiosks of one office
        // never step back.
        let number = u64::try_from(now.unix_timestamp()).unwrap_or(0).to_be_bytes();
        let params = CertificateRevocationListParams {
            this_update: now,
            next_update: now + Duration::days(i64::from(self.config.crl_days.max(1))),
            crl_number: SerialNumber::from_slice(&number),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: KeyIdMethod::PreSpecified(self.key_id.clone()),
        };
        let key = self.key()?;
        let issuer =
            Issuer::from_ca_cert_der(&self.chain[0].clone().into(), &key).map_err(bad_cert)?;
        let crl = params.signed_by(&issuer).map_err(|e| key.explain(e))?;
        Ok(crl.der().to_vec())
    }
}

fn crl_reason(reason: RevocationReason) -> rcgen::RevocationReason {
    match reason {
        RevocationReason::Unspecified => rcgen::RevocationReason::Unspecified,
        RevocationReason::KeyCompromise => rcgen::RevocationReason::KeyCompromise,
        RevocationReason::AffiliationChanged => rcgen::RevocationReason::AffiliationChanged,
        RevocationReason::Superseded => rcgen::RevocationReason::Superseded,
        RevocationReason::CessationOfOperation => rcgen::RevocationReason::CessationOfOperation,
    }
}

pub fn subject_key_id(cert: &X509Certificate<'_>) -> Option<Vec<u8>> {
    cert.extensions().iter().find_map(|ext| match ext.parsed_extension() {
        ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0.to_vec()),
        _ => None,
    })
}

/// The key type a SubjectPublicKeyInfo carries.
pub fn kind_of_spki(spki_der: &[u8]) -> Result<KeyKind> {
    let (_, spki) = SubjectPublicKeyInfo::from_der(spki_der).map_err(bad_cert)?;
    match spki.parsed().map_err(bad_cert)? {
        x509_parser::public_key::PublicKey::RSA(rsa) => match rsa.key_size() {
            2048 => Ok(KeyKind::Rsa2048),
            3072 => Ok(KeyKind::Rsa3072),
            other => Err(TokenError::KeyType(format!("RSA-{other}"))),
        },
        x509_parser::public_key::PublicKey::EC(point) if point.key_size() == 256 => {
            Ok(KeyKind::P256)
        }
        _ => Err(TokenError::KeyType("unsupported public key".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_added_on_the_same_day() {
        let leap = ::time::macros::datetime!(2028-02-29 10:00 UTC);
        assert_eq!(add_years(leap, 1), ::time::macros::datetime!(2029-02-28 10:00 UTC));
        let plain = ::time::macros::datetime!(2026-11-21 10:00 UTC);
        assert_eq!(add_years(plain, 5), ::time::macros::datetime!(2031-11-21 10:00 UTC));
    }

    #[test]
    fn serials_are_positive_sixteen_bytes_and_differ() {
        let a = random_serial();
        let b = random_serial();
        assert_eq!(a.len(), 16);
        assert!(a[0] & 0x80 == 0 && a[0] != 0);
        assert_ne!(a, b);
    }

    #[test]
    fn pem_chains_round_trip_and_junk_is_refused() {
        let chain = vec![vec![0x30, 0x03, 0x02, 0x01, 0x01], vec![0x30, 0x00]];
        let text = pem_chain(&chain);
        assert_eq!(read_pem_chain(text.as_bytes()).expect("chain"), chain);
        assert!(read_pem_chain(b"not pem").is_err());
    }
}
