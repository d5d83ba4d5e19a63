//! Passive authentication (ICAO 9303-11 §5.1): the data groups' hashes against the SOD, the
//! SOD's signature against its document signer certificate, and that certificate against the
//! CSCA trust store. Real passports sign with RSA, RSA-PSS, ECDSA on NIST curves and on
//! brainpool curves, some with the curve spelled out as explicit parameters: each is checked.

use serde::Serialize;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::tlv::{self, Tlv, TlvError};

// Object identifiers, as the DER content bytes.
const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const OID_MESSAGE_DIGEST: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
#[cfg(feature = "test-support")]
const OID_CONTENT_TYPE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03];
const OID_LDS_SECURITY_OBJECT: &[u8] = &[0x67, 0x81, 0x08, 0x01, 0x01, 0x01];
const OID_SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
const OID_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const OID_SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const OID_SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_BP256: &[u8] = &[0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07];
const OID_BP384: &[u8] = &[0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0b];

/// The hash algorithms SODs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_oid(oid: &[u8]) -> Option<Hash> {
        match oid {
            OID_SHA1 => Some(Hash::Sha1),
            OID_SHA256 => Some(Hash::Sha256),
            OID_SHA384 => Some(Hash::Sha384),
            OID_SHA512 => Some(Hash::Sha512),
            _ => None,
        }
    }

    pub fn oid(self) -> &'static [u8] {
        match self {
            Hash::Sha1 => OID_SHA1,
            Hash::Sha256 => OID_SHA256,
            Hash::Sha384 => OID_SHA384,
            Hash::Sha512 => OID_SHA512,
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let algorithm = match self {
            Hash::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            Hash::Sha256 => &ring::digest::SHA256,
            Hash::Sha384 => &ring::digest::SHA384,
            Hash::Sha512 => &ring::digest::SHA512,
        };
        ring::digest::digest(algorithm, data).as_ref().to_vec()
    }

    /// The hash named in a signature algorithm (`ecdsa-with-SHA256`, `sha256WithRSAEncryption`).
    fn of_signature(oid: &[u8]) -> Option<Hash> {
        let ecdsa = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04];
        let rsa = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
        if oid == [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01] {
            return Some(Hash::Sha1);
        }
        if oid.len() == 8 && oid.starts_with(&ecdsa) && oid[6] == 0x03 {
            return match oid[7] {
                2 => Some(Hash::Sha256),
                3 => Some(Hash::Sha384),
                4 => Some(Hash::Sha512),
                _ => None,
            };
        }
        if oid.len() == 9 && oid.starts_with(&rsa) {
            return match oid[8] {
                5 => Some(Hash::Sha1),
                11 => Some(Hash::Sha256),
                12 => Some(Hash::Sha384),
                13 => Some(Hash::Sha512),
                _ => None,
            };
        }
        None
    }
}

/// The parts of EF.SOD passive authentication needs.
#[derive(Debug, Clone)]
pub struct Sod {
    pub hash: Hash,
    /// (data group number, hash).
    pub dg_hashes: Vec<(u8, Vec<u8>)>,
    pub econtent: Vec<u8>,
    /// The signed attributes re-tagged as a SET: what the signature covers.
    pub signed_attributes: Option<Vec<u8>>,
    pub message_digest: Option<Vec<u8>>,
    pub signer_digest: Hash,
    pub signature_algorithm: Vec<u8>,
    pub signature: Vec<u8>,
    /// The document signer certificate(s) the SOD carries.
    pub certificates: Vec<Vec<u8>>,
}

fn seq<'a>(t: &Tlv<'a>, tag: u32, what: &'static str) -> Result<Vec<Tlv<'a>>, TlvError> {
    if t.tag != tag {
        return Err(TlvError(what));
    }
    t.children()
}

fn first_oid<'a>(t: &Tlv<'a>) -> Result<&'a [u8], TlvError> {
    let children = t.children()?;
    let oid = children.first().ok_or(TlvError("empty algorithm identifier"))?;
    if oid.tag != 0x06 {
        return Err(TlvError("an algorithm identifier without its OID"));
    }
    Ok(oid.value)
}

/// Reads EF.SOD (tag 77 around a CMS SignedData).
pub fn parse_sod(sod: &[u8]) -> Result<Sod, TlvError> {
    let (outer, _) = tlv::parse(sod)?;
    let content_info = if outer.tag == 0x77 { tlv::parse(outer.value)?.0 } else { outer };
    let ci = seq(&content_info, 0x30, "the SOD is not a ContentInfo")?;
    if ci.first().map(|t| t.value) != Some(OID_SIGNED_DATA) {
        return Err(TlvError("the SOD is not CMS SignedData"));
    }
    let explicit = ci.get(1).ok_or(TlvError("SignedData missing"))?;
    let (signed_data, _) = tlv::parse(explicit.value)?;
    let sd = seq(&signed_data, 0x30, "SignedData is not a SEQUENCE")?;
    let encap = sd.get(2).ok_or(TlvError("no encapsulated content"))?;
    let encap = seq(encap, 0x30, "no encapsulated content")?;
    if encap.first().map(|t| t.value) != Some(OID_LDS_SECURITY_OBJECT) {
        return Err(TlvError("the SOD does not hold an LDS security object"));
    }
    let wrapped = encap.get(1).ok_or(TlvError("no eContent"))?;
    let (octets, _) = tlv::parse(wrapped.value)?;
    if octets.tag != 0x04 {
        return Err(TlvError("eContent is not an OCTET STRING"));
    }
    let econtent = octets.value.to_vec();
    let (lds, _) = tlv::parse(&econtent)?;
    let lds = seq(&lds, 0x30, "the LDS security object is not a SEQUENCE")?;
    let hash_alg = lds.get(1).ok_or(TlvError("no hash algorithm"))?;
    let hash = Hash::from_oid(first_oid(hash_alg)?).ok_or(TlvError("unknown hash algorithm"))?;
    let mut dg_hashes = Vec::new();
    for entry in lds.get(2).ok_or(TlvError("no data group hashes"))?.children()? {
        let parts = seq(&entry, 0x30, "a data group hash is not a SEQUENCE")?;
        let (Some(n), Some(h)) = (parts.first(), parts.get(1)) else {
            return Err(TlvError("a data group hash lacks its number or value"));
        };
        let number = *n.value.last().ok_or(TlvError("empty data group number"))?;
        dg_hashes.push((number, h.value.to_vec()));
    }
    let mut certificates = Vec::new();
    let mut signer_infos = None;
    for item in &sd[3..] {
        match item.tag {
            0xa0 => {
                for cert in item.children()? {
                    certificates.push(cert.raw.to_vec());
                }
            }
            0x31 => signer_infos = Some(item),
            _ => {}
        }
    }
    let signer_infos = signer_infos.ok_or(TlvError("no signer"))?.children()?;
    let signer = signer_infos.first().ok_or(TlvError("no signer"))?;
    let si = seq(signer, 0x30, "the signer info is not a SEQUENCE")?;
    let digest_alg = si.get(2).ok_or(TlvError("no signer digest algorithm"))?;
    let signer_digest =
        Hash::from_oid(first_oid(digest_alg)?).ok_or(TlvError("unknown signer digest"))?;
    let mut rest = &si[3..];
    let (mut signed_attributes, mut message_digest) = (None, None);
    if let Some(attrs) = rest.first().filter(|t| t.tag == 0xa0) {
        let mut set = attrs.raw.to_vec();
        set[0] = 0x31;
        signed_attributes = Some(set);
        for attr in attrs.children()? {
            let parts = seq(&attr, 0x30, "an attribute is not a SEQUENCE")?;
            if parts.first().map(|t| t.value) == Some(OID_MESSAGE_DIGEST) {
                let values = parts.get(1).ok_or(TlvError("messageDigest without value"))?;
                let value = values.children()?.into_iter().next();
                message_digest = value.map(|v| v.value.to_vec());
            }
        }
        rest = &rest[1..];
    }
    let sig_alg = rest.first().ok_or(TlvError("no signature algorithm"))?;
    let signature_algorithm = sig_alg.raw.to_vec();
    let signature = rest.get(1).ok_or(TlvError("no signature"))?;
    if signature.tag != 0x04 {
        return Err(TlvError("the signature is not an OCTET STRING"));
    }
    Ok(Sod {
        hash,
        dg_hashes,
        econtent,
        signed_attributes,
        message_digest,
        signer_digest,
        signature_algorithm,
        signature: signature.value.to_vec(),
        certificates,
    })
}

/// Known curves by their prime and order, to recognise explicit parameters.
const CURVES: &[(&[u8], &str, &str)] = &[
    (
        OID_P256,
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    ),
    (
        OID_P384,
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
    ),
    (
        OID_BP256,
        "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
        "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7",
    ),
    (
        OID_BP384,
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123acd3a729901d1a71874700133107ec53",
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565",
    ),
];

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The named curve of EC parameters: a named-curve OID, or explicit parameters whose prime and
/// order are those of a known curve.
fn curve_of(params: &Tlv<'_>) -> Result<&'static [u8], String> {
    if params.tag == 0x06 {
        return CURVES
            .iter()
            .map(|c| c.0)
            .find(|oid| *oid == params.value)
            .ok_or_else(|| "the curve is not supported".to_owned());
    }
    let parts = params.children().map_err(|e| e.to_string())?;
    let field = parts.get(1).ok_or("explicit parameters without a field")?;
    let prime = field.children().map_err(|e| e.to_string())?;
    let prime = prime.get(1).ok_or("explicit parameters without a prime")?;
    let order = parts.get(4).ok_or("explicit parameters without an order")?;
    CURVES
        .iter()
        .find(|(_, p, n)| {
            hex::encode(strip_zeros(prime.value)) == *p
                && hex::encode(strip_zeros(order.value)) == *n
        })
        .map(|c| c.0)
        .ok_or_else(|| "explicit curve parameters of an unknown curve".to_owned())
}

/// Verifies `signature` over `message` with a SubjectPublicKeyInfo (DER), for the signature
/// algorithm `sig_alg` (an AlgorithmIdentifier, DER) and the digest `hash` when the algorithm
/// does not name one.
pub fn verify(
    spki: &[u8],
    sig_alg: &[u8],
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let bad = |e: TlvError| e.to_string();
    let (spki, _) = tlv::parse(spki).map_err(bad)?;
    let parts = spki.children().map_err(bad)?;
    let (Some(alg), Some(key)) = (parts.first(), parts.get(1)) else {
        return Err("malformed public key".into());
    };
    let alg_parts = alg.children().map_err(bad)?;
    let key_oid = alg_parts.first().map(|t| t.value).ok_or("malformed public key")?;
    let key_bits = key.value.get(1..).ok_or("malformed public key")?;
    let (sig_alg, _) = tlv::parse(sig_alg).map_err(bad)?;
    let sig_oid = first_oid(&sig_alg).map_err(bad)?;
    let hash = Hash::of_signature(sig_oid).unwrap_or(hash);
    let fail = || Err("the signature does not verify".to_owned());
    if key_oid == OID_EC_PUBLIC_KEY {
        let params = alg_parts.get(1).ok_or("EC key without curve")?;
        let digest = hash.digest(message);
        let ok = match curve_of(params)? {
            OID_P256 => {
                use p256::ecdsa::signature::hazmat::PrehashVerifier;
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                    .map_err(|e| e.to_string())?;
                let sig = p256::ecdsa::Signature::from_der(signature).map_err(|e| e.to_string())?;
                key.verify_prehash(&digest, &sig).is_ok()
            }
            OID_BP256 => {
                use ecdsa::signature::hazmat::PrehashVerifier;
                let key = ecdsa::VerifyingKey::<bp256::BrainpoolP256r1>::from_sec1_bytes(key_bits)
                    .map_err(|e| e.to_string())?;
                let sig = ecdsa::Signature::<bp256::BrainpoolP256r1>::from_der(signature)
                    .map_err(|e| e.to_string())?;
                key.verify_prehash(&digest, &sig).is_ok()
            }
            OID_BP384 => {
                use ecdsa::signature::hazmat::PrehashVerifier;
                let key = ecdsa::VerifyingKey::<bp384::BrainpoolP384r1>::from_sec1_bytes(key_bits)
                    .map_err(|e| e.to_string())?;
                let sig = ecdsa::Signature::<bp384::BrainpoolP384r1>::from_der(signature)
                    .map_err(|e| e.to_string())?;
                key.verify_prehash(&digest, &sig).is_ok()
            }
            _ => {
                // P-384 through ring, which takes the message and hashes it itself.
                let algorithm = match hash {
                    Hash::Sha256 => &ring::signature::ECDSA_P384_SHA256_ASN1,
                    Hash::Sha384 => &ring::signature::ECDSA_P384_SHA384_ASN1,
                    _ => return Err("this hash is not supported with P-384".into()),
                };
                ring::signature::UnparsedPublicKey::new(algorithm, key_bits)
                    .verify(message, signature)
                    .is_ok()
            }
        };
        return if ok { Ok(()) } else { fail() };
    }
    if key_oid == OID_RSA || key_oid == OID_RSA_PSS {
        use ring::signature as s;
        let algorithm: &dyn s::VerificationAlgorithm = match (sig_oid == OID_RSA_PSS, hash) {
            (true, Hash::Sha256) => &s::RSA_PSS_2048_8192_SHA256,
            (true, Hash::Sha384) => &s::RSA_PSS_2048_8192_SHA384,
            (true, Hash::Sha512) => &s::RSA_PSS_2048_8192_SHA512,
            (false, Hash::Sha1) => &s::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            (false, Hash::Sha256) => &s::RSA_PKCS1_2048_8192_SHA256,
            (false, Hash::Sha384) => &s::RSA_PKCS1_2048_8192_SHA384,
            (false, Hash::Sha512) => &s::RSA_PKCS1_2048_8192_SHA512,
            _ => return Err("this RSA signature scheme is not supported".into()),
        };
        return if s::UnparsedPublicKey::new(algorithm, key_bits).verify(message, signature).is_ok()
        {
            Ok(())
        } else {
            fail()
        };
    }
    Err("the public key type is not supported".into())
}

/// One check of passive authentication.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub passed: bool,
    /// Why it failed (technical, for support).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PassiveAuthentication {
    /// Every check passed.
    pub passed: bool,
    pub checks: Vec<Check>,
}

/// The check names, for the clerk's screen and the i18n layer (`pa-check-<name>`).
pub const CHECKS: [&str; 4] =
    ["data_group_hashes", "sod_signature", "document_signer", "csca_trusted"];

/// Runs passive authentication over the data groups read (`(number, bytes)`), the SOD, and the
/// CSCA certificates trusted (DER).
pub fn passive_authentication(
    groups: &[(u8, &[u8])],
    sod: &[u8],
    csca: &[Vec<u8>],
) -> PassiveAuthentication {
    let mut checks = Vec::new();
    let mut check = |name: &'static str, result: Result<(), String>| {
        checks.push(Check { check: name, passed: result.is_ok(), detail: result.err() });
    };
    let sod = match parse_sod(sod) {
        Ok(sod) => sod,
        Err(e) => {
            for name in CHECKS {
                check(name, Err(format!("the SOD cannot be read: {e}")));
            }
            return finish(checks);
        }
    };
    // 1. Every data group read has the hash the SOD lists for it.
    let mut hashes = Ok(());
    for (number, bytes) in groups {
        match sod.dg_hashes.iter().find(|(n, _)| n == number) {
            Some((_, expected)) if *expected == sod.hash.digest(bytes) => {}
            Some(_) => {
                hashes = Err(format!("DG{number} does not match its hash in the SOD"));
                break;
            }
            None => {
                hashes = Err(format!("the SOD lists no hash for DG{number}"));
                break;
            }
        }
    }
    check("data_group_hashes", hashes);
    // 2. The SOD's signature, by the document signer certificate it carries.
    let ds = sod.certificates.first();
    let signature = match ds {
        None => Err("the SOD carries no document signer certificate".to_owned()),
        Some(der) => sod_signature(&sod, der),
    };
    check("sod_signature", signature);
    // 3. The document signer certificate is signed by a trusted CSCA.
    let (ds_result, trusted) = match ds {
        None => {
            (Err("no document signer certificate".to_owned()), Err("nothing to check".to_owned()))
        }
        Some(der) => signer_against(der, csca),
    };
    check("document_signer", ds_result);
    check("csca_trusted", trusted);
    finish(checks)
}

fn finish(checks: Vec<Check>) -> PassiveAuthentication {
    PassiveAuthentication { passed: checks.iter().all(|c| c.passed), checks }
}

fn sod_signature(sod: &Sod, ds_der: &[u8]) -> Result<(), String> {
    let (_, ds) = X509Certificate::from_der(ds_der).map_err(|e| e.to_string())?;
    let signed = match (&sod.signed_attributes, &sod.message_digest) {
        (Some(attrs), Some(digest)) => {
            if *digest != sod.signer_digest.digest(&sod.econtent) {
                return Err("the signed message digest is not the digest of the content".into());
            }
            attrs.clone()
        }
        (Some(_), None) => return Err("the signed attributes have no message digest".into()),
        (None, _) => sod.econtent.clone(),
    };
    verify(
        ds.public_key().raw,
        &sod.signature_algorithm,
        sod.signer_digest,
        &signed,
        &sod.signature,
    )
}

/// Finds the CSCA that issued the document signer certificate and checks its signature.
fn signer_against(ds_der: &[u8], csca: &[Vec<u8>]) -> (Result<(), String>, Result<(), String>) {
    let ds = match X509Certificate::from_der(ds_der) {
        Ok((_, ds)) => ds,
        Err(e) => return (Err(e.to_string()), Err("unreadable document signer".into())),
    };
    let issuers: Vec<X509Certificate<'_>> = csca
        .iter()
        .filter_map(|der| X509Certificate::from_der(der).ok().map(|(_, c)| c))
        .filter(|c| c.subject().as_raw() == ds.issuer().as_raw())
        .collect();
    if issuers.is_empty() {
        let why = format!("no trusted CSCA named {}", ds.issuer());
        return (Err(why.clone()), Err(why));
    }
    let mut last = Err("no CSCA key verifies the document signer".to_owned());
    for issuer in issuers {
        last = verify(
            issuer.public_key().raw,
            &tlv::encode(0x30, &tlv::encode(0x06, ds.signature_algorithm.algorithm.as_bytes())),
            Hash::Sha256,
            ds.tbs_certificate.as_ref(),
            &ds.signature_value.data,
        );
        if last.is_ok() {
            return (Ok(()), Ok(()));
        }
    }
    (last, Ok(()))
}

#[cfg(feature = "test-support")]
/// Builds an EF.SOD over `groups` (number, bytes) with SHA-256, signed with ECDSA-SHA256 by
/// `sign` (which returns a DER signature over what it is given) for the certificate `ds_der`.
/// For the tests' virtual passport.
pub fn build_sod(
    groups: &[(u8, &[u8])],
    ds_der: &[u8],
    sign: &dyn Fn(&[u8]) -> Vec<u8>,
) -> Vec<u8> {
    let alg = |oid: &[u8]| {
        let mut v = tlv::encode(0x06, oid);
        v.extend(tlv::encode(0x05, &[]));
        tlv::encode(0x30, &v)
    };
    let int = |n: u8| tlv::encode(0x02, &[n]);
    let mut hashes = Vec::new();
    for (number, bytes) in groups {
        let mut entry = int(*number);
        entry.extend(tlv::encode(0x04, &Hash::Sha256.digest(bytes)));
        hashes.extend(tlv::encode(0x30, &entry));
    }
    let mut lds = int(0);
    lds.extend(alg(OID_SHA256));
    lds.extend(tlv::encode(0x30, &hashes));
    let econtent = tlv::encode(0x30, &lds);

    let attribute = |oid: &[u8], value: Vec<u8>| {
        let mut a = tlv::encode(0x06, oid);
        a.extend(tlv::encode(0x31, &value));
        tlv::encode(0x30, &a)
    };
    let mut attrs = attribute(OID_CONTENT_TYPE, tlv::encode(0x06, OID_LDS_SECURITY_OBJECT));
    attrs.extend(attribute(OID_MESSAGE_DIGEST, tlv::encode(0x04, &Hash::Sha256.digest(&econtent))));
    let signature = sign(&tlv::encode(0x31, &attrs));

    let (_, ds) = X509Certificate::from_der(ds_der).ok().unzip();
    let mut sid = ds.map(|c| c.issuer().as_raw().to_vec()).unwrap_or_default();
    let serial = ds_serial(ds_der);
    sid.extend(tlv::encode(0x02, &serial));
    let mut signer = int(1);
    signer.extend(tlv::encode(0x30, &sid));
    signer.extend(alg(OID_SHA256));
    signer.extend(tlv::encode(0xa0, &attrs));
    let mut ecdsa = tlv::encode(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]);
    ecdsa = tlv::encode(0x30, &ecdsa);
    signer.extend(ecdsa);
    signer.extend(tlv::encode(0x04, &signature));

    let mut encap = tlv::encode(0x06, OID_LDS_SECURITY_OBJECT);
    encap.extend(tlv::encode(0xa0, &tlv::encode(0x04, &econtent)));
    let mut sd = int(3);
    sd.extend(tlv::encode(0x31, &alg(OID_SHA256)));
    sd.extend(tlv::encode(0x30, &encap));
    sd.extend(tlv::encode(0xa0, ds_der));
    sd.extend(tlv::encode(0x31, &tlv::encode(0x30, &signer)));
    let mut ci = tlv::encode(0x06, OID_SIGNED_DATA);
    ci.extend(tlv::encode(0xa0, &tlv::encode(0x30, &sd)));
    tlv::encode(0x77, &tlv::encode(0x30, &ci))
}

#[cfg(feature = "test-support")]
fn ds_serial(der: &[u8]) -> Vec<u8> {
    X509Certificate::from_der(der)
        .map(|(_, c)| c.tbs_certificate.raw_serial().to_vec())
        .unwrap_or_else(|_| vec![1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn explicit_parameters_are_recognised_by_prime_and_order() {
        let p = hex::decode(CURVES[2].1).expect("hex");
        let n = hex::decode(CURVES[2].2).expect("hex");
        let mut field = tlv::encode(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x01]);
        let mut prime = vec![0];
        prime.extend(&p);
        field.extend(tlv::encode(0x02, &prime));
        let mut params = tlv::encode(0x02, &[1]);
        params.extend(tlv::encode(0x30, &field));
        params.extend(tlv::encode(0x30, &[]));
        params.extend(tlv::encode(0x04, &[4]));
        let mut order = vec![0];
        order.extend(&n);
        params.extend(tlv::encode(0x02, &order));
        let encoded = tlv::encode(0x30, &params);
        let (t, _) = tlv::parse(&encoded).expect("tlv");
        assert_eq!(curve_of(&t), Ok(OID_BP256));
    }

    /// A SubjectPublicKeyInfo for an EC point with the given parameters (DER).
    fn ec_spki(params: Vec<u8>, point: &[u8]) -> Vec<u8> {
        let mut alg = tlv::encode(0x06, OID_EC_PUBLIC_KEY);
        alg.extend(params);
        let mut bits = vec![0];
        bits.extend_from_slice(point);
        let mut spki = tlv::encode(0x30, &alg);
        spki.extend(tlv::encode(0x03, &bits));
        tlv::encode(0x30, &spki)
    }

    fn explicit_params(curve: usize) -> Vec<u8> {
        let int = |hex_text: &str| {
            let mut v = vec![0];
            v.extend(hex::decode(hex_text).expect("hex"));
            tlv::encode(0x02, &v)
        };
        let mut field = tlv::encode(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x01]);
        field.extend(int(CURVES[curve].1));
        let mut params = tlv::encode(0x02, &[1]);
        params.extend(tlv::encode(0x30, &field));
        params.extend(tlv::encode(0x30, &[]));
        params.extend(tlv::encode(0x04, &[4]));
        params.extend(int(CURVES[curve].2));
        tlv::encode(0x30, &params)
    }

    /// Real passports sign with brainpool curves, some spelling the curve out as explicit
    /// parameters: both verify, and a changed message does not.
    #[test]
    fn brainpool_signatures_verify_with_named_and_explicit_curves() {
        use ecdsa::signature::hazmat::PrehashSigner;
        let key =
            ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_slice(&[0x42; 32]).expect("key");
        let point = key.verifying_key().to_sec1_point(false);
        let message = b"signed attributes";
        let digest = Hash::Sha256.digest(message);
        let signature: ecdsa::der::Signature<bp256::BrainpoolP256r1> =
            key.sign_prehash(&digest).expect("sign");
        let ecdsa_sha256 = tlv::encode(
            0x30,
            &tlv::encode(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]),
        );
        for params in [tlv::encode(0x06, OID_BP256), explicit_params(2)] {
            let spki = ec_spki(params, point.as_bytes());
            assert_eq!(
                verify(&spki, &ecdsa_sha256, Hash::Sha256, message, signature.as_bytes()),
                Ok(())
            );
            assert!(
                verify(&spki, &ecdsa_sha256, Hash::Sha256, b"changed", signature.as_bytes())
                    .is_err()
            );
        }
        // A key on a curve the kiosk does not know is refused, not waved through.
        let unknown = ec_spki(tlv::encode(0x06, &[0x2b, 0x81, 0x04, 0x00, 0x23]), point.as_bytes());
        assert!(
            verify(&unknown, &ecdsa_sha256, Hash::Sha256, message, signature.as_bytes()).is_err()
        );
    }

    proptest! {
        #[test]
        fn any_sod_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_sod(&bytes);
            let pa = passive_authentication(&[(1, &bytes[..])], &bytes, &[]);
            prop_assert!(!pa.passed);
        }
    }
}
