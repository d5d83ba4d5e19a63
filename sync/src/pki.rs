//! The replication's own infrastructure CA, and TLS between the hub and the kiosks.
//!
//! Kept apart from the office CA that issues subscribers' certificates: the infrastructure CA
//! only says "this device is kiosk K of office O" (the hub reads that from the client
//! certificate, [`peer_identity`]), lives with the hub in its TLS directory, and is enrolled
//! into and replaced without touching the CA's own keys, its policies or its audit trail.
//!
//! The TLS directory holds `ca.pem` and `ca.key` (the infrastructure CA, ECDSA P-256), and
//! `hub.pem` and `hub.key` (the hub's server certificate); keys are owner-only (0600), every
//! file is created new and a second start reuses them. A kiosk's [`Credentials`] (its device
//! key, its certificate and the CA's) travel as one PEM bundle written owner-only.
//!
//! rustls runs on ring (the provider passed explicitly, never a process default), TLS 1.3
//! only, with the client certificate required on the hub's side.

use std::fmt;
use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PKCS_ECDSA_P256_SHA256, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::oid_registry::{OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY};
use zeroize::Zeroizing;

use crate::signing::DeviceKey;

/// The names the hub's certificate is for when none are given.
pub const DEFAULT_HUB_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The pseudo-office of the central registry's journals: no real office may be named so.
pub const CENTRAL: &str = "CENTRAL";

const CA_NAME: &str = "Registry infrastructure CA";
const HUB_NAME: &str = "Registry hub";
/// The identity URI's start; then `OFFICE:kiosk:KIOSK`.
const URN: &str = "urn:registry:office:";

const CA_YEARS: i64 = 30;
const LEAF_YEARS: i64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{} is damaged: {why}", path.display())]
    Damaged { path: PathBuf, why: String },
    #[error(
        "{} is there but {} is not: restore it, or remove {} to make both anew",
        present.display(), missing.display(), present.display()
    )]
    Incomplete { present: PathBuf, missing: PathBuf },
    #[error(
        "{} is not for {missing:?}: remove it and its key to issue one for the names now given",
        path.display()
    )]
    HubNames { path: PathBuf, missing: Vec<String> },
    #[error("{} exists already and is never replaced", path.display())]
    Exists { path: PathBuf },
    #[error("not an office id: {0:?} (1 to 32 of A-Z, a-z, 0-9 and _, and not CENTRAL)")]
    BadOffice(String),
    #[error("not a kiosk id: {0:?} (1 to 64 of A-Z, a-z, 0-9 and _)")]
    BadKiosk(String),
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("credentials: {0}")]
    Credentials(String),
    #[error("issuing a certificate: {0}")]
    Issue(#[from] rcgen::Error),
    #[error("TLS configuration: {0}")]
    Tls(String),
}

/// Whether `office` may be an office's id: 1–32 of `A-Za-z0-9_`, and not the central
/// registry's pseudo-office (in any case, so no office passes for it to a reader).
pub fn valid_office(office: &str) -> bool {
    !office.is_empty()
        && office.len() <= 32
        && office.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !office.eq_ignore_ascii_case(CENTRAL)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PkiError + '_ {
    move |source| PkiError::Io { path: path.to_owned(), source }
}

fn damaged(path: &Path, why: impl Into<String>) -> PkiError {
    PkiError::Damaged { path: path.to_owned(), why: why.into() }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Creates `path` (never replacing one) with `mode` and `bytes`, synced; a partial file is
/// removed.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), PkiError> {
    let mut file =
        fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(path).map_err(
            |source| match source.kind() {
                std::io::ErrorKind::AlreadyExists => PkiError::Exists { path: path.to_owned() },
                _ => PkiError::Io { path: path.to_owned(), source },
            },
        )?;
    if let Err(source) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(PkiError::Io { path: path.to_owned(), source });
    }
    Ok(())
}

/// Writes a new certificate and its key (the key first, owner-only); when the certificate
/// cannot be written the key is removed again, so a next start does not find half a pair.
fn write_pair(
    cert_path: &Path,
    cert_pem: &str,
    key_path: &Path,
    key: &KeyPair,
) -> Result<(), PkiError> {
    write_new(key_path, Zeroizing::new(key.serialize_pem()).as_bytes(), 0o600)?;
    write_new(cert_path, cert_pem.as_bytes(), 0o644).inspect_err(|_| {
        let _ = fs::remove_file(key_path);
    })
}

/// One PEM block: its label and its decoded bytes (zeroized: it may be a key).
struct Block {
    label: String,
    der: Zeroizing<Vec<u8>>,
}

/// The PEM blocks of `text`, in order. Text between blocks is ignored; a block that does not
/// end, or whose body is not base64, is an error.
fn pem_blocks(text: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line.strip_prefix("-----BEGIN ").and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = Zeroizing::new(String::with_capacity(text.len()));
        loop {
            match lines.next() {
                Some(l) if l == end => break,
                Some(l) => body.push_str(l),
                None => return Err(format!("the {label} block does not end")),
            }
        }
        let der = BASE64
            .decode(body.as_bytes())
            .map(Zeroizing::new)
            .map_err(|_| format!("the {label} block is not base64"))?;
        blocks.push(Block { label: label.to_owned(), der });
    }
    Ok(blocks)
}

/// `der` as a PEM block labelled `label`, in a buffer that is zeroized.
fn pem_block(label: &str, der: &[u8]) -> Zeroizing<String> {
    let body = Zeroizing::new(BASE64.encode(der));
    let mut out = Zeroizing::new(String::with_capacity(body.len() + body.len() / 64 + 80));
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in body.as_bytes().chunks(64) {
        // Base64 is ASCII: every chunk is text.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

fn parse_cert<'a>(der: &'a [u8]) -> Result<X509Certificate<'a>, String> {
    match x509_parser::parse_x509_certificate(der) {
        Ok(([], cert)) => Ok(cert),
        Ok(_) => Err("bytes after the certificate".into()),
        Err(e) => Err(format!("not an X.509 certificate: {e}")),
    }
}

/// The certificate's P-256 public key as an uncompressed point.
fn p256_point<'a>(cert: &'a X509Certificate<'_>) -> Result<&'a [u8], String> {
    let spki = &cert.tbs_certificate.subject_pki;
    let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
    if spki.algorithm.algorithm != OID_KEY_TYPE_EC_PUBLIC_KEY || curve != Some(OID_EC_P256) {
        return Err("its key is not ECDSA P-256".into());
    }
    let point: &'a [u8] = spki.subject_public_key.data.as_ref();
    if point.len() != 65 || point[0] != 4 {
        return Err("its key is not an uncompressed P-256 point".into());
    }
    Ok(point)
}

/// Whether `cert` is signed by `issuer`'s key.
fn issued_by(cert: &X509Certificate<'_>, issuer: &X509Certificate<'_>) -> bool {
    cert.verify_signature(Some(issuer.public_key())).is_ok()
}

/// Reads a file of one `CERTIFICATE` block.
fn read_cert(path: &Path) -> Result<CertificateDer<'static>, PkiError> {
    let text = fs::read_to_string(path).map_err(io(path))?;
    let blocks = pem_blocks(&text).map_err(|why| damaged(path, why))?;
    match blocks.as_slice() {
        [block] if block.label == "CERTIFICATE" => {
            parse_cert(&block.der).map_err(|why| damaged(path, why))?;
            Ok(CertificateDer::from(block.der.to_vec()))
        }
        _ => Err(damaged(path, "not one CERTIFICATE block")),
    }
}

/// Reads a file of one `PRIVATE KEY` block (PKCS#8), the key of `cert`.
fn read_key(path: &Path, cert: &CertificateDer<'_>) -> Result<KeyPair, PkiError> {
    let text = Zeroizing::new(fs::read_to_string(path).map_err(io(path))?);
    let blocks = pem_blocks(&text).map_err(|why| damaged(path, why))?;
    let [block] = blocks.as_slice() else {
        return Err(damaged(path, "not one PRIVATE KEY block"));
    };
    if block.label != "PRIVATE KEY" {
        return Err(damaged(path, "not one PRIVATE KEY block"));
    }
    let key = KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(block.der.as_slice()),
        &PKCS_ECDSA_P256_SHA256,
    )
    .map_err(|e| damaged(path, format!("not a P-256 PKCS#8 key: {e}")))?;
    let cert = parse_cert(cert).map_err(|why| damaged(path, why))?;
    if p256_point(&cert).ok() != Some(key.public_key_raw()) {
        return Err(damaged(path, "not the key of its certificate"));
    }
    Ok(key)
}

/// Now, and `years` on, with an hour's slack before now for clocks a little behind. (The
/// serial number is rcgen's: a hash of the certificate's key, new for every certificate.)
fn validity(params: &mut CertificateParams, years: i64) {
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::hours(1);
    params.not_after = now + time::Duration::days(365 * years);
}

/// The infrastructure CA and the hub's certificate, from the hub's TLS directory.
pub struct Infra {
    dir: PathBuf,
    ca: CertificateDer<'static>,
    ca_key: KeyPair,
    server: Arc<ServerConfig>,
}

impl fmt::Debug for Infra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Infra").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl Infra {
    /// Opens the CA and the hub's certificate in `tls_dir`, making what is not there yet
    /// (the directory owner-only). `hub_names` (host names or IP addresses; empty for
    /// [`DEFAULT_HUB_NAMES`]) must all be in the hub's certificate: a new one is issued for
    /// them, an existing one that lacks one is an error (the kiosks would refuse the hub).
    pub fn open_or_create(tls_dir: &Path, hub_names: &[String]) -> Result<Infra, PkiError> {
        let names: Vec<String> = if hub_names.is_empty() {
            DEFAULT_HUB_NAMES.iter().map(|n| (*n).to_owned()).collect()
        } else {
            hub_names.to_vec()
        };
        fs::DirBuilder::new().recursive(true).mode(0o700).create(tls_dir).map_err(io(tls_dir))?;
        let (ca_pem, ca_key_path) = (tls_dir.join("ca.pem"), tls_dir.join("ca.key"));
        let (ca, ca_key) = if pair_state(&ca_pem, &ca_key_path)? {
            let ca = read_cert(&ca_pem)?;
            let parsed = parse_cert(&ca).map_err(|why| damaged(&ca_pem, why))?;
            if !parsed.is_ca() || !issued_by(&parsed, &parsed) {
                return Err(damaged(&ca_pem, "not a self-signed CA certificate"));
            }
            (ca.clone(), read_key(&ca_key_path, &ca)?)
        } else {
            let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
            let mut params = CertificateParams::default();
            params.distinguished_name = rcgen::DistinguishedName::new();
            params.distinguished_name.push(DnType::CommonName, CA_NAME);
            // Each CA's name its own, so that a certificate of another infrastructure CA
            // is refused as one of an unknown issuer, not taken for this one's.
            let id = ulid::Ulid::new().to_string();
            params.distinguished_name.push(DnType::OrganizationalUnitName, id);
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::CrlSign,
                KeyUsagePurpose::DigitalSignature,
            ];
            validity(&mut params, CA_YEARS);
            let cert = params.self_signed(&key)?;
            write_pair(&ca_pem, &cert.pem(), &ca_key_path, &key)?;
            (cert.der().clone(), key)
        };
        let (hub_pem, hub_key_path) = (tls_dir.join("hub.pem"), tls_dir.join("hub.key"));
        let (hub, hub_key) = if pair_state(&hub_pem, &hub_key_path)? {
            let hub = read_cert(&hub_pem)?;
            let parsed = parse_cert(&hub).map_err(|why| damaged(&hub_pem, why))?;
            let ca_parsed = parse_cert(&ca).map_err(|why| damaged(&ca_pem, why))?;
            if !issued_by(&parsed, &ca_parsed) {
                return Err(damaged(&hub_pem, "not issued by ca.pem"));
            }
            let missing = names_missing(&parsed, &names).map_err(|why| damaged(&hub_pem, why))?;
            if !missing.is_empty() {
                return Err(PkiError::HubNames { path: hub_pem, missing });
            }
            let key = read_key(&hub_key_path, &hub)?;
            (hub, key)
        } else {
            let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
            let mut params = CertificateParams::new(names)?;
            params.distinguished_name = rcgen::DistinguishedName::new();
            params.distinguished_name.push(DnType::CommonName, HUB_NAME);
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params.use_authority_key_identifier_extension = true;
            validity(&mut params, LEAF_YEARS);
            let issuer = Issuer::from_ca_cert_der(&ca, &ca_key)?;
            let cert = params.signed_by(&key, &issuer)?;
            write_pair(&hub_pem, &cert.pem(), &hub_key_path, &key)?;
            (cert.der().clone(), key)
        };
        let server = server_config(&ca, hub, &hub_key)?;
        Ok(Infra { dir: tls_dir.to_owned(), ca, ca_key, server })
    }

    /// The TLS directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The infrastructure CA's certificate, as PEM.
    pub fn ca_pem(&self) -> String {
        pem_block("CERTIFICATE", &self.ca).to_string()
    }

    /// A kiosk's credentials: a new P-256 device key and a certificate the infrastructure CA
    /// signs (CN the kiosk id, SAN URI `urn:registry:office:OFFICE:kiosk:KIOSK`, client
    /// authentication only). `kiosk` defaults to `K` and a new ULID.
    pub fn enroll(&self, office: &str, kiosk: Option<&str>) -> Result<Credentials, PkiError> {
        if !valid_office(office) {
            return Err(PkiError::BadOffice(office.to_owned()));
        }
        let kiosk = match kiosk {
            Some(k) if registry::hlc::valid_node(k) => k.to_owned(),
            Some(k) => return Err(PkiError::BadKiosk(k.to_owned())),
            None => format!("K{}", ulid::Ulid::new()),
        };
        self.issue(office, kiosk)
    }

    /// The credentials the hub writes the central registry's journal with (office `CENTRAL`,
    /// kiosk [`CENTRAL_WRITER`]): `central-writer.pem` in the TLS directory, made on first use,
    /// owner-only. Its certificate is what `audit verify` checks the central chain against.
    pub fn central_writer(&self) -> Result<Credentials, PkiError> {
        let path = self.dir.join("central-writer.pem");
        if path.try_exists().map_err(io(&path))? {
            return Credentials::read_file(&path, true);
        }
        let credentials = self.issue(CENTRAL, CENTRAL_WRITER.to_owned())?;
        credentials.write_new_owner_only(&path)?;
        Ok(credentials)
    }

    fn issue(&self, office: &str, kiosk: String) -> Result<Credentials, PkiError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, kiosk.as_str());
        params.distinguished_name.push(DnType::OrganizationalUnitName, office);
        let uri = format!("{URN}{office}:kiosk:{kiosk}");
        params.subject_alt_names = vec![SanType::URI(uri.try_into()?)];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.use_authority_key_identifier_extension = true;
        validity(&mut params, LEAF_YEARS);
        let issuer = Issuer::from_ca_cert_der(&self.ca, &self.ca_key)?;
        let cert = params.signed_by(&key, &issuer)?;
        let key_pkcs8 = Zeroizing::new(key.serialize_der());
        Credentials::new(office.to_owned(), kiosk, self.ca.clone(), cert.der().clone(), key_pkcs8)
    }

    /// TLS 1.3, the hub's certificate, and a client certificate REQUIRED and verified against
    /// the infrastructure CA only.
    pub fn server_config(&self) -> Arc<ServerConfig> {
        Arc::clone(&self.server)
    }
}

/// Whether both files of a certificate and its key are there (`true`), neither (`false`),
/// or only one (an error naming both).
fn pair_state(cert: &Path, key: &Path) -> Result<bool, PkiError> {
    let exists = |p: &Path| p.try_exists().map_err(io(p));
    match (exists(cert)?, exists(key)?) {
        (true, true) => Ok(true),
        (false, false) => Ok(false),
        (true, false) => Err(PkiError::Incomplete { present: cert.into(), missing: key.into() }),
        (false, true) => Err(PkiError::Incomplete { present: key.into(), missing: cert.into() }),
    }
}

/// Which of `names` (host names or IP addresses) the certificate's SAN lacks.
fn names_missing(cert: &X509Certificate<'_>, names: &[String]) -> Result<Vec<String>, String> {
    let san = cert.subject_alternative_name().map_err(|e| format!("its names: {e}"))?;
    let general = san.map(|s| s.value.general_names.as_slice()).unwrap_or_default();
    let has = |name: &str| {
        general.iter().any(|g| match (g, name.parse::<IpAddr>()) {
            (GeneralName::IPAddress(bytes), Ok(IpAddr::V4(ip))) => *bytes == ip.octets(),
            (GeneralName::IPAddress(bytes), Ok(IpAddr::V6(ip))) => *bytes == ip.octets(),
            (GeneralName::DNSName(dns), Err(_)) => dns.eq_ignore_ascii_case(name),
            _ => false,
        })
    };
    Ok(names.iter().filter(|n| !has(n)).cloned().collect())
}

fn server_config(
    ca: &CertificateDer<'static>,
    hub: CertificateDer<'static>,
    hub_key: &KeyPair,
) -> Result<Arc<ServerConfig>, PkiError> {
    let tls = |e: &dyn fmt::Display| PkiError::Tls(e.to_string());
    let mut roots = RootCertStore::empty();
    roots.add(ca.clone()).map_err(|e| tls(&e))?;
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| tls(&e))?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| tls(&e))?
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(certified(hub, hub_key.serialized_der())?);
    Ok(Arc::new(config))
}

/// A certificate and its key as rustls signs with them. The key is parsed from our own
/// zeroized bytes by reference: rustls is handed no copy of the PKCS#8 that it would drop
/// unzeroized.
fn certified(
    cert: CertificateDer<'static>,
    pkcs8: &[u8],
) -> Result<Arc<SingleCertAndKey>, PkiError> {
    let tls = |e: rustls::Error| PkiError::Tls(e.to_string());
    let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pkcs8));
    let key = rustls::crypto::ring::sign::any_ecdsa_type(&der).map_err(tls)?;
    let certified = CertifiedKey::new(vec![cert], key);
    certified.keys_match().map_err(tls)?;
    Ok(Arc::new(SingleCertAndKey::from(certified)))
}

/// A kiosk's device key and certificates. `Debug` shows the office and kiosk only.
#[derive(Clone)]
pub struct Credentials {
    /// Read from the certificate.
    pub office: String,
    /// Read from the certificate.
    pub kiosk: String,
    /// The infrastructure CA's certificate (the one root a kiosk trusts), PEM.
    pub ca_pem: String,
    /// The device's certificate, PEM.
    pub cert_pem: String,
    ca: CertificateDer<'static>,
    cert: CertificateDer<'static>,
    key_pkcs8: Zeroizing<Vec<u8>>,
    device_key: DeviceKey,
    client: Arc<ClientConfig>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("office", &self.office)
            .field("kiosk", &self.kiosk)
            .field("key_pkcs8", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Credentials {
    fn new(
        office: String,
        kiosk: String,
        ca: CertificateDer<'static>,
        cert: CertificateDer<'static>,
        key_pkcs8: Zeroizing<Vec<u8>>,
    ) -> Result<Credentials, PkiError> {
        let device_key = DeviceKey::from_pkcs8_der(&key_pkcs8)
            .map_err(|e| PkiError::Credentials(e.to_string()))?;
        let tls = |e: &dyn fmt::Display| PkiError::Tls(e.to_string());
        let mut roots = RootCertStore::empty();
        roots.add(ca.clone()).map_err(|e| tls(&e))?;
        let client = ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| tls(&e))?
            .with_root_certificates(roots)
            .with_client_cert_resolver(certified(cert.clone(), &key_pkcs8)?);
        Ok(Credentials {
            office,
            kiosk,
            ca_pem: pem_block("CERTIFICATE", &ca).to_string(),
            cert_pem: pem_block("CERTIFICATE", &cert).to_string(),
            ca,
            cert,
            key_pkcs8,
            device_key,
            client: Arc::new(client),
        })
    }

    /// The bundle: `CERTIFICATE` (the device's), `CERTIFICATE` (the CA's), `PRIVATE KEY`
    /// (PKCS#8), in that order.
    pub fn to_pem_bundle(&self) -> Zeroizing<String> {
        let key = pem_block("PRIVATE KEY", &self.key_pkcs8);
        let mut out = Zeroizing::new(String::with_capacity(
            self.cert_pem.len() + self.ca_pem.len() + key.len(),
        ));
        out.push_str(&self.cert_pem);
        out.push_str(&self.ca_pem);
        out.push_str(&key);
        out
    }

    /// Reads a bundle [`to_pem_bundle`](Self::to_pem_bundle) wrote: the office and kiosk from
    /// the device certificate, which must be the CA's and hold the key's public half.
    pub fn from_pem_bundle(bundle: &str) -> Result<Credentials, PkiError> {
        Credentials::from_bundle(bundle, false)
    }

    /// [`Credentials::from_pem_bundle`]; `central` reads the central writer's, whose office is
    /// `CENTRAL` (never a kiosk's: `peer_identity` refuses it).
    fn from_bundle(bundle: &str, central: bool) -> Result<Credentials, PkiError> {
        let bad = |why: &str| PkiError::Credentials(why.to_owned());
        let mut blocks = pem_blocks(bundle).map_err(|why| bad(&why))?;
        let labels: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
        if labels != ["CERTIFICATE", "CERTIFICATE", "PRIVATE KEY"] {
            return Err(bad(
                "not the device's CERTIFICATE, the CA's CERTIFICATE and a PRIVATE KEY, in that order",
            ));
        }
        let key_pkcs8 = std::mem::take(&mut blocks[2].der);
        let cert = CertificateDer::from(blocks[0].der.to_vec());
        let ca = CertificateDer::from(blocks[1].der.to_vec());
        let identity = identity_of(&cert, central)?;
        if central && (identity.office != CENTRAL || identity.kiosk != CENTRAL_WRITER) {
            return Err(bad("not the central writer's credentials"));
        }
        let parsed = parse_cert(&cert).map_err(|why| bad(&format!("device certificate: {why}")))?;
        let ca_parsed = parse_cert(&ca).map_err(|why| bad(&format!("CA certificate: {why}")))?;
        if !ca_parsed.is_ca() || !issued_by(&parsed, &ca_parsed) {
            return Err(bad("the device certificate is not the CA's"));
        }
        let credentials = Credentials::new(identity.office, identity.kiosk, ca, cert, key_pkcs8)?;
        if credentials.device_key.public_key() != identity.public_key.as_slice() {
            return Err(bad("the key is not the device certificate's"));
        }
        Ok(credentials)
    }

    /// Writes the bundle to a new file `path`, owner-only (0600); an existing file is never
    /// replaced.
    pub fn write_new_owner_only(&self, path: &Path) -> Result<(), PkiError> {
        write_new(path, self.to_pem_bundle().as_bytes(), 0o600)
    }

    /// Reads a bundle file `write_new_owner_only` wrote.
    pub fn read(path: &Path) -> Result<Credentials, PkiError> {
        Credentials::read_file(path, false)
    }

    fn read_file(path: &Path, central: bool) -> Result<Credentials, PkiError> {
        let text = Zeroizing::new(fs::read_to_string(path).map_err(io(path))?);
        Credentials::from_bundle(&text, central).map_err(|e| match e {
            PkiError::Credentials(why) | PkiError::Certificate(why) => damaged(path, why),
            other => other,
        })
    }

    /// The key that signs this kiosk's journal entries.
    pub fn device_key(&self) -> DeviceKey {
        self.device_key.clone()
    }

    /// The device's certificate, DER.
    pub fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert
    }

    /// The infrastructure CA's certificate, DER.
    pub fn ca_der(&self) -> &CertificateDer<'static> {
        &self.ca
    }

    /// TLS 1.3, trusting only the infrastructure CA, presenting the device certificate.
    pub fn client_config(&self) -> Arc<ClientConfig> {
        Arc::clone(&self.client)
    }
}

/// The kiosk id the central registry's entries are written under: the hub itself.
pub const CENTRAL_WRITER: &str = "hub";

/// Who a peer certificate says the device is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceIdentity {
    pub office: String,
    pub kiosk: String,
    /// The uncompressed P-256 point, for `signing::verify`.
    pub public_key: Vec<u8>,
}

/// The office and kiosk a device certificate names (its one SAN URI
/// `urn:registry:office:OFFICE:kiosk:KIOSK`) and its public key. Reads only: that the
/// certificate is the infrastructure CA's is TLS's check (or `from_pem_bundle`'s).
pub fn peer_identity(cert: &CertificateDer<'_>) -> Result<DeviceIdentity, PkiError> {
    identity_of(cert, false)
}

/// [`peer_identity`]; `central` also takes the central writer's office, `CENTRAL`.
fn identity_of(cert: &CertificateDer<'_>, central: bool) -> Result<DeviceIdentity, PkiError> {
    let bad = |why: String| PkiError::Certificate(why);
    let parsed = parse_cert(cert).map_err(bad)?;
    let san = parsed.subject_alternative_name().map_err(|e| bad(format!("its names: {e}")))?;
    let uris: Vec<&str> = san
        .map(|s| s.value.general_names.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|g| match g {
            GeneralName::URI(uri) if uri.starts_with(URN) => Some(*uri),
            _ => None,
        })
        .collect();
    let [uri] = uris.as_slice() else {
        return Err(bad(format!(
            "{} registry identity URIs, not one ({URN}OFFICE:kiosk:KIOSK)",
            uris.len()
        )));
    };
    let (office, kiosk) = uri
        .strip_prefix(URN)
        .and_then(|rest| rest.split_once(":kiosk:"))
        .ok_or_else(|| bad(format!("{uri:?} is not {URN}OFFICE:kiosk:KIOSK")))?;
    if !(valid_office(office) || central && office == CENTRAL) {
        return Err(PkiError::BadOffice(office.to_owned()));
    }
    if !registry::hlc::valid_node(kiosk) {
        return Err(PkiError::BadKiosk(kiosk.to_owned()));
    }
    let public_key = p256_point(&parsed).map_err(bad)?.to_vec();
    Ok(DeviceIdentity { office: office.to_owned(), kiosk: kiosk.to_owned(), public_key })
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::time::Duration;

    use rustls::pki_types::ServerName;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::{TlsAcceptor, TlsConnector};

    use super::*;
    use crate::journal::tests_support::entry;
    use crate::signing::{self, ChainHead};

    fn infra(dir: &Path) -> Infra {
        Infra::open_or_create(dir, &[]).expect("infra")
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    fn read(path: &Path) -> Vec<u8> {
        fs::read(path).expect("read")
    }

    const FILES: [&str; 4] = ["ca.pem", "ca.key", "hub.pem", "hub.key"];

    #[test]
    fn a_new_tls_dir_gets_a_ca_and_a_hub_certificate_and_a_second_start_reuses_them() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("tls");
        let first = infra(&dir);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!((mode(&dir.join("ca.key")), mode(&dir.join("hub.key"))), (0o600, 0o600));
        let before: Vec<Vec<u8>> = FILES.iter().map(|f| read(&dir.join(f))).collect();
        let ca_der = first.ca.clone();
        let ca = parse_cert(&ca_der).expect("ca");
        assert!(ca.is_ca());
        let cn = ca.subject().iter_common_name().next().and_then(|cn| cn.as_str().ok());
        assert_eq!(cn, Some(CA_NAME));
        let hub_der = read_cert(&dir.join("hub.pem")).expect("hub");
        let hub = parse_cert(&hub_der).expect("hub");
        assert!(issued_by(&hub, &ca));
        let defaults: Vec<String> = DEFAULT_HUB_NAMES.iter().map(|n| (*n).to_owned()).collect();
        assert!(names_missing(&hub, &defaults).expect("names").is_empty());

        let second = infra(&dir);
        let after: Vec<Vec<u8>> = FILES.iter().map(|f| read(&dir.join(f))).collect();
        assert_eq!(before, after, "nothing made anew");
        assert_eq!(second.ca_pem(), first.ca_pem());
        assert_eq!(read(&dir.join("ca.pem")), first.ca_pem().into_bytes());
        // What the second start enrolls, the first's CA vouches for.
        let credentials = second.enroll("MO01", Some("K01")).expect("enroll");
        let cert = parse_cert(credentials.cert_der()).expect("cert");
        assert!(issued_by(&cert, &ca));
    }

    /// A TLS directory made anew, then damaged by `damage`; what opening it says.
    fn damaged_dir(damage: impl FnOnce(&Path)) -> PkiError {
        let tmp = tempfile::tempdir().expect("tmp");
        infra(tmp.path());
        damage(tmp.path());
        Infra::open_or_create(tmp.path(), &[]).expect_err("damaged")
    }

    #[test]
    fn a_damaged_or_half_present_tls_dir_is_an_error_naming_the_file() {
        let named = |err: &PkiError, file: &str| {
            let text = err.to_string();
            assert!(text.contains(file), "{text} names {file}");
        };
        let err = damaged_dir(|d| fs::write(d.join("hub.pem"), "garbage").expect("write"));
        assert!(
            matches!(&err, PkiError::Damaged { path, .. } if path.ends_with("hub.pem")),
            "{err}"
        );
        named(&err, "hub.pem");
        let err = damaged_dir(|d| {
            let pem = fs::read_to_string(d.join("ca.pem")).expect("read");
            fs::write(d.join("ca.pem"), pem.replace('M', "N")).expect("write");
        });
        assert!(
            matches!(&err, PkiError::Damaged { path, .. } if path.ends_with("ca.pem")),
            "{err}"
        );
        // The hub's key where the CA's belongs.
        let err =
            damaged_dir(|d| fs::copy(d.join("hub.key"), d.join("ca.key")).map(drop).expect("cp"));
        assert!(
            matches!(&err, PkiError::Damaged { path, why } if path.ends_with("ca.key") && why == "not the key of its certificate"),
            "{err}"
        );
        let err = damaged_dir(|d| fs::write(d.join("hub.key"), "").expect("write"));
        named(&err, "hub.key");
        // Another directory's hub certificate and key: not this CA's.
        let other = tempfile::tempdir().expect("tmp");
        infra(other.path());
        let err = damaged_dir(|d| {
            for f in ["hub.pem", "hub.key"] {
                fs::copy(other.path().join(f), d.join(f)).expect("copy");
            }
        });
        assert!(
            matches!(&err, PkiError::Damaged { path, why } if path.ends_with("hub.pem") && why == "not issued by ca.pem"),
            "{err}"
        );
        // Half there: a key without its certificate, and the other way round.
        let err = damaged_dir(|d| fs::remove_file(d.join("ca.pem")).expect("rm"));
        assert!(
            matches!(&err, PkiError::Incomplete { present, missing } if present.ends_with("ca.key") && missing.ends_with("ca.pem")),
            "{err}"
        );
        let err = damaged_dir(|d| fs::remove_file(d.join("hub.key")).expect("rm"));
        named(&err, "hub.key");
        // Not one certificate block.
        let err = damaged_dir(|d| {
            let pem = fs::read_to_string(d.join("ca.pem")).expect("read");
            fs::write(d.join("ca.pem"), format!("{pem}{pem}")).expect("write");
        });
        assert!(
            matches!(&err, PkiError::Damaged { why, .. } if why == "not one CERTIFICATE block"),
            "{err}"
        );
    }

    #[test]
    fn the_hub_certificate_is_for_the_names_given_and_a_name_it_lacks_later_is_an_error() {
        let tmp = tempfile::tempdir().expect("tmp");
        let names = vec!["hub.example".to_owned(), "10.0.0.5".to_owned()];
        Infra::open_or_create(tmp.path(), &names).expect("infra");
        let hub = read_cert(&tmp.path().join("hub.pem")).expect("hub");
        let hub = parse_cert(&hub).expect("hub");
        assert!(names_missing(&hub, &names).expect("names").is_empty());
        assert_eq!(
            names_missing(&hub, &["localhost".to_owned()]).expect("names"),
            vec!["localhost".to_owned()]
        );
        Infra::open_or_create(tmp.path(), &names[..1]).expect("fewer names: the same certificate");
        let err = Infra::open_or_create(tmp.path(), &["hub2.example".to_owned()]).expect_err("new");
        assert!(
            matches!(&err, PkiError::HubNames { missing, .. } if missing == &["hub2.example".to_owned()]),
            "{err}"
        );
        assert!(err.to_string().contains("hub.pem"));
    }

    #[test]
    fn enroll_checks_the_office_and_kiosk_and_the_certificate_names_them() {
        let tmp = tempfile::tempdir().expect("tmp");
        let infra = infra(tmp.path());
        for office in ["", "MO-01", "MO 01", &"M".repeat(33), "CENTRAL", "central", "MO01\n"] {
            assert!(
                matches!(infra.enroll(office, None), Err(PkiError::BadOffice(o)) if o == office),
                "{office:?}"
            );
        }
        assert!(infra.enroll(&"M".repeat(32), Some("K1")).is_ok());
        for kiosk in ["", "K-1", "K:1", &"K".repeat(65)] {
            assert!(
                matches!(infra.enroll("MO01", Some(kiosk)), Err(PkiError::BadKiosk(k)) if k == kiosk),
                "{kiosk:?}"
            );
        }
        let named = infra.enroll("MO01", Some("K01")).expect("enroll");
        assert_eq!((named.office.as_str(), named.kiosk.as_str()), ("MO01", "K01"));
        let fresh = infra.enroll("MO_02", None).expect("enroll");
        assert!(fresh.kiosk.starts_with('K') && fresh.kiosk.len() == 27, "{}", fresh.kiosk);
        assert!(fresh.kiosk[1..].parse::<ulid::Ulid>().is_ok());
        let identity = peer_identity(fresh.cert_der()).expect("identity");
        assert_eq!(
            (identity.office.as_str(), identity.kiosk.as_str()),
            ("MO_02", fresh.kiosk.as_str())
        );
        assert_eq!(identity.public_key, fresh.device_key().public_key());
        let cert = parse_cert(fresh.cert_der()).expect("cert");
        assert_eq!(cert.subject().to_string(), format!("CN={}, OU=MO_02", fresh.kiosk));
        let eku = cert.extended_key_usage().expect("eku").expect("present").value;
        assert!(eku.client_auth && !eku.server_auth);
        assert!(!cert.is_ca());
    }

    #[test]
    fn credentials_round_trip_through_a_pem_bundle_written_owner_only() {
        let tmp = tempfile::tempdir().expect("tmp");
        let infra = infra(&tmp.path().join("tls"));
        let credentials = infra.enroll("MO01", Some("K01")).expect("enroll");
        let bundle = credentials.to_pem_bundle();
        let labels: Vec<String> =
            pem_blocks(&bundle).expect("blocks").into_iter().map(|b| b.label).collect();
        assert_eq!(labels, ["CERTIFICATE", "CERTIFICATE", "PRIVATE KEY"]);
        assert!(bundle.starts_with(&credentials.cert_pem));
        assert_eq!(credentials.ca_pem, infra.ca_pem());
        let back = Credentials::from_pem_bundle(&bundle).expect("read back");
        assert_eq!((back.office.as_str(), back.kiosk.as_str()), ("MO01", "K01"));
        assert_eq!((&back.ca_pem, &back.cert_pem), (&credentials.ca_pem, &credentials.cert_pem));
        assert_eq!(*back.key_pkcs8, *credentials.key_pkcs8);
        assert_eq!(back.device_key().public_key(), credentials.device_key().public_key());

        let path = tmp.path().join("kiosk.pem");
        credentials.write_new_owner_only(&path).expect("write");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(read(&path), bundle.as_bytes());
        let again = infra.enroll("MO01", Some("K02")).expect("enroll");
        let err = again.write_new_owner_only(&path).expect_err("never replaced");
        assert!(matches!(&err, PkiError::Exists { path: p } if *p == path), "{err}");
        assert_eq!(read(&path), bundle.as_bytes(), "the first bundle stays");
        assert_eq!(Credentials::read(&path).expect("read").kiosk, "K01");

        // Debug shows neither the key nor its PEM.
        let shown = format!("{credentials:?}");
        let key_pem = pem_block("PRIVATE KEY", &credentials.key_pkcs8);
        let key_line = key_pem.lines().nth(1).expect("a line of the key");
        assert!(!shown.contains(key_line) && shown.contains("<redacted>"), "{shown}");
        assert!(!format!("{infra:?}").contains("PRIVATE"));
    }

    #[test]
    fn a_bundle_that_does_not_hold_together_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let infra = infra(tmp.path());
        let other_tmp = tempfile::tempdir().expect("tmp");
        let other = super::tests::infra(other_tmp.path());
        let a = infra.enroll("MO01", Some("K01")).expect("a");
        let b = infra.enroll("MO01", Some("K02")).expect("b");
        let stranger = other.enroll("MO01", Some("K01")).expect("stranger");
        let key = |c: &Credentials| pem_block("PRIVATE KEY", &c.key_pkcs8).to_string();
        let cases = [
            ("another device's key", format!("{}{}{}", a.cert_pem, a.ca_pem, key(&b))),
            ("blocks out of order", format!("{}{}{}", a.ca_pem, a.cert_pem, key(&a))),
            ("no key", format!("{}{}", a.cert_pem, a.ca_pem)),
            (
                "another infrastructure CA",
                format!("{}{}{}", stranger.cert_pem, a.ca_pem, key(&stranger)),
            ),
            ("the CA as the device", format!("{}{}{}", a.ca_pem, a.ca_pem, key(&a))),
            (
                "a block that does not end",
                format!("{}{}-----BEGIN PRIVATE KEY-----\nAAAA\n", a.cert_pem, a.ca_pem),
            ),
            (
                "not base64",
                format!(
                    "{}{}-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
                    a.cert_pem, a.ca_pem
                ),
            ),
            ("empty", String::new()),
        ];
        for (what, bundle) in cases {
            assert!(Credentials::from_pem_bundle(&bundle).is_err(), "{what}");
        }
        let path = tmp.path().join("kiosk.pem");
        fs::write(&path, format!("{}{}", a.cert_pem, a.ca_pem)).expect("write");
        let err = Credentials::read(&path).expect_err("no key");
        assert!(matches!(&err, PkiError::Damaged { path: p, .. } if *p == path), "{err}");
    }

    /// A certificate the infrastructure CA of `infra` signs for `uris`.
    #[test]
    fn the_central_writer_is_made_once_and_never_passes_for_a_kiosk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let infra = infra(dir.path());
        let writer = infra.central_writer().expect("made");
        assert_eq!((writer.office.as_str(), writer.kiosk.as_str()), (CENTRAL, CENTRAL_WRITER));
        assert_eq!(mode(&dir.path().join("central-writer.pem")) & 0o777, 0o600);
        let again = infra.central_writer().expect("reused");
        assert_eq!(again.cert_der(), writer.cert_der());
        assert!(matches!(peer_identity(writer.cert_der()), Err(PkiError::BadOffice(_))));
        assert!(
            Credentials::read(&dir.path().join("central-writer.pem")).is_err(),
            "not a kiosk's"
        );
    }

    fn cert_with_uris(infra: &Infra, uris: &[&str]) -> CertificateDer<'static> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("key");
        let mut params = CertificateParams::default();
        params.subject_alt_names =
            uris.iter().map(|u| SanType::URI((*u).try_into().expect("ia5"))).collect();
        let issuer = Issuer::from_ca_cert_der(&infra.ca, &infra.ca_key).expect("issuer");
        params.signed_by(&key, &issuer).expect("sign").der().clone()
    }

    #[test]
    fn peer_identity_reads_the_one_registry_uri_and_refuses_a_certificate_without_it() {
        let tmp = tempfile::tempdir().expect("tmp");
        let infra = infra(tmp.path());
        let ok =
            cert_with_uris(&infra, &["https://example.org", "urn:registry:office:MO01:kiosk:K7"]);
        let identity = peer_identity(&ok).expect("identity");
        assert_eq!((identity.office.as_str(), identity.kiosk.as_str()), ("MO01", "K7"));
        assert_eq!(identity.public_key.len(), 65);
        let hub = read_cert(&tmp.path().join("hub.pem")).expect("hub");
        assert!(matches!(peer_identity(&hub), Err(PkiError::Certificate(_))), "no URI");
        assert!(matches!(peer_identity(&infra.ca), Err(PkiError::Certificate(_))), "the CA");
        type Expected = fn(&PkiError) -> bool;
        let cases: [(&[&str], Expected); 5] = [
            (&["urn:registry:office:MO01"], |e| matches!(e, PkiError::Certificate(_))),
            (&["urn:registry:office:CENTRAL:kiosk:K1"], |e| matches!(e, PkiError::BadOffice(_))),
            (&["urn:registry:office:MO01:kiosk:K-1"], |e| matches!(e, PkiError::BadKiosk(_))),
            (&["urn:registry:office:MO01:kiosk:K1:kiosk:K2"], |e| {
                matches!(e, PkiError::BadKiosk(_))
            }),
            (
                &["urn:registry:office:MO01:kiosk:K1", "urn:registry:office:MO02:kiosk:K1"],
                |e| matches!(e, PkiError::Certificate(why) if why.starts_with("2 registry identity URIs")),
            ),
        ];
        for (uris, expected) in cases {
            let err = peer_identity(&cert_with_uris(&infra, uris)).expect_err("refused");
            assert!(expected(&err), "{uris:?}: {err}");
        }
        let garbage = CertificateDer::from(b"not a certificate".to_vec());
        assert!(matches!(peer_identity(&garbage), Err(PkiError::Certificate(_))));
    }

    /// What each side of one TLS connection over loopback saw: the server the identity in the
    /// client's certificate, the client the server's greeting.
    async fn handshake(
        server: Arc<ServerConfig>,
        client: Arc<ClientConfig>,
    ) -> (Result<DeviceIdentity, String>, Result<Vec<u8>, String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let served = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.map_err(|e| e.to_string())?;
            let mut tls = TlsAcceptor::from(server).accept(tcp).await.map_err(|e| e.to_string())?;
            let (_, connection) = tls.get_ref();
            assert_eq!(connection.protocol_version(), Some(rustls::ProtocolVersion::TLSv1_3));
            let cert = connection
                .peer_certificates()
                .and_then(|certs| certs.first())
                .cloned()
                .ok_or("no client certificate")?;
            let identity = peer_identity(&cert).map_err(|e| e.to_string())?;
            tls.write_all(b"hello").await.map_err(|e| e.to_string())?;
            tls.shutdown().await.map_err(|e| e.to_string())?;
            Ok::<_, String>(identity)
        });
        let client = async {
            let tcp = tokio::net::TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
            let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
            let mut tls =
                TlsConnector::from(client).connect(name, tcp).await.map_err(|e| e.to_string())?;
            let mut greeting = Vec::new();
            tls.read_to_end(&mut greeting).await.map_err(|e| e.to_string())?;
            Ok::<_, String>(greeting)
        };
        let client = tokio::time::timeout(Duration::from_secs(20), client)
            .await
            .unwrap_or_else(|_| Err("client timed out".into()));
        let served = tokio::time::timeout(Duration::from_secs(20), served)
            .await
            .map_err(|_| "server timed out".to_owned())
            .and_then(|joined| joined.map_err(|e| e.to_string()))
            .and_then(|r| r);
        (served, client)
    }

    /// A client trusting `ca` that presents `cert` and `key` (or no certificate).
    fn client_with(ca: &CertificateDer<'static>, cert: Option<&Credentials>) -> Arc<ClientConfig> {
        let mut roots = RootCertStore::empty();
        roots.add(ca.clone()).expect("root");
        let builder = ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("tls 1.3")
            .with_root_certificates(roots);
        Arc::new(match cert {
            Some(c) => builder
                .with_client_auth_cert(
                    vec![c.cert.clone()],
                    PrivateKeyDer::Pkcs8(c.key_pkcs8.to_vec().into()),
                )
                .expect("client cert"),
            None => builder.with_no_client_auth(),
        })
    }

    #[tokio::test]
    async fn an_enrolled_kiosk_connects_and_the_hub_reads_its_office_kiosk_and_key() {
        let tmp = tempfile::tempdir().expect("tmp");
        let infra = infra(tmp.path());
        let credentials = infra.enroll("MO01", Some("K01")).expect("enroll");
        // As the kiosk would: from the bundle file.
        let path = tmp.path().join("kiosk.pem");
        credentials.write_new_owner_only(&path).expect("write");
        let credentials = Credentials::read(&path).expect("read");
        let (served, greeted) = handshake(infra.server_config(), credentials.client_config()).await;
        let identity = served.expect("the hub accepts the kiosk");
        assert_eq!(greeted.expect("the kiosk accepts the hub"), b"hello");
        assert_eq!((identity.office.as_str(), identity.kiosk.as_str()), ("MO01", "K01"));
        // What the kiosk signs with its credentials' key, the hub verifies with the key the
        // TLS peer certificate carries.
        let key = credentials.device_key();
        let mut head = ChainHead::default();
        for n in 0..3 {
            let mut e = entry("K01", n);
            let next = key.sign("MO01", &mut e, &head).expect("sign");
            signing::verify("MO01", &e, &identity.public_key).expect("verifies");
            head = signing::check_next(&head, "MO01", &e).expect("in chain");
            assert_eq!(head, next);
        }
        let other = infra.enroll("MO01", Some("K02")).expect("another kiosk");
        let mut e = entry("K02", 0);
        other.device_key().sign("MO01", &mut e, &ChainHead::default()).expect("sign");
        assert!(signing::verify("MO01", &e, &identity.public_key).is_err(), "not K01's key");
    }

    #[tokio::test]
    async fn a_client_without_a_certificate_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let infra = infra(tmp.path());
        let (served, greeted) =
            handshake(infra.server_config(), client_with(&infra.ca, None)).await;
        let refused = served.expect_err("refused");
        assert!(refused.contains("certificate"), "{refused}");
        assert!(greeted.is_err(), "the kiosk gets no greeting");
    }

    #[tokio::test]
    async fn a_client_certificate_of_another_infrastructure_ca_is_refused() {
        let (tmp, other_tmp) =
            (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
        let (infra, other) = (infra(tmp.path()), super::tests::infra(other_tmp.path()));
        let stranger = other.enroll("MO01", Some("K01")).expect("enroll");
        // It trusts this hub, but its certificate is the other CA's.
        let client = client_with(&infra.ca, Some(&stranger));
        let (served, greeted) = handshake(infra.server_config(), client).await;
        let refused = served.expect_err("refused");
        assert!(refused.contains("UnknownIssuer"), "{refused}");
        assert!(greeted.is_err());
    }

    #[tokio::test]
    async fn a_kiosk_refuses_a_hub_its_ca_did_not_certify() {
        let (tmp, other_tmp) =
            (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
        let (infra, other) = (infra(tmp.path()), super::tests::infra(other_tmp.path()));
        let kiosk = other.enroll("MO01", Some("K01")).expect("enroll");
        let (served, greeted) = handshake(infra.server_config(), kiosk.client_config()).await;
        let refused = greeted.expect_err("the kiosk refuses the hub");
        assert!(refused.contains("UnknownIssuer"), "{refused}");
        assert!(served.is_err(), "the hub learns no identity");
    }
}
