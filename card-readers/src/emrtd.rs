//! ICAO 9303 electronic passports and ID cards: Basic Access Control from the MRZ, 3DES secure
//! messaging, the LDS files (EF.COM, DG1, DG2, EF.SOD), and passive authentication against a
//! CSCA trust store.

pub mod apdu;
pub mod bac;
pub mod crypto;
pub mod lds;
pub mod pa;
pub mod pcsc;
pub mod reader;
pub mod sm;
pub mod tlv;
#[cfg(feature = "test-support")]
pub mod vcard;

use std::path::Path;

use serde::Serialize;

use self::pa::PassiveAuthentication;
use self::reader::ReadError;

/// What `kiosk doc read` reports: the DG1 fields named as `kiosk mrz parse` names them, each
/// passive authentication check, and the face image's format and size.
#[derive(Serialize)]
pub struct DocumentReading {
    #[serde(flatten)]
    pub mrz: registry::mrz::Mrz,
    pub passive_authentication: PassiveAuthentication,
    pub face_image: FaceImage,
    pub reader: String,
    pub apdus: u32,
    /// The face image itself: personal data, never serialised.
    #[serde(skip)]
    pub face: Vec<u8>,
}

impl std::fmt::Debug for DocumentReading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentReading")
            .field("passive_authentication", &self.passive_authentication.passed)
            .field("apdus", &self.apdus)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FaceImage {
    pub format: lds::ImageFormat,
    pub bytes: usize,
}

/// The MRZ a clerk or scanner gives: its lines separated by newlines, or run together.
pub fn mrz_lines(text: &str) -> String {
    let joined: String = text.split_whitespace().collect();
    let width = match joined.len() {
        90 => 30,
        72 => 36,
        88 => 44,
        _ => return text.trim().to_owned(),
    };
    let lines: Vec<&str> =
        (0..joined.len() / width).map(|i| &joined[i * width..(i + 1) * width]).collect();
    lines.join("\n")
}

/// Reads the document on `reader` (or the first reader holding a card) with BAC keys from the
/// printed MRZ, and runs passive authentication against the `csca` certificates.
pub fn read_document(
    printed: &registry::mrz::Mrz,
    reader: Option<&str>,
    csca: &[Vec<u8>],
    today: time::Date,
) -> Result<DocumentReading, ReadError> {
    let information = bac::mrz_information(printed).ok_or(ReadError::MrzIncomplete)?;
    let mut card = pcsc::PcscCard::connect(reader)?;
    let doc = reader::read_document(&mut card, &information)?;
    reading_of(&doc, card.reader(), csca, today)
}

/// Passive authentication and the chip's own MRZ and face, from the files read.
pub fn reading_of(
    doc: &reader::Document,
    reader: &str,
    csca: &[Vec<u8>],
    today: time::Date,
) -> Result<DocumentReading, ReadError> {
    let malformed = |e: tlv::TlvError| ReadError::Malformed(e.to_string());
    let text = lds::dg1_mrz(&doc.dg1).map_err(malformed)?;
    let mrz = registry::mrz::parse(&text, today)
        .map_err(|e| ReadError::Malformed(format!("DG1 holds no MRZ: {e}")))?;
    let (format, face) = lds::dg2_face(&doc.dg2).map_err(malformed)?;
    let pa = pa::passive_authentication(&[(1, &doc.dg1), (2, &doc.dg2)], &doc.sod, csca);
    Ok(DocumentReading {
        mrz,
        passive_authentication: pa,
        face_image: FaceImage { format, bytes: face.len() },
        reader: reader.to_owned(),
        apdus: doc.apdus,
        face,
    })
}

/// The CSCA certificates in `dir`: every `.pem`, `.crt`, `.cer` or `.der` file, PEM or DER, each
/// at most [`crate::input::MAX_CERTIFICATE_FILE_BYTES`]. A missing directory is an empty trust
/// store (passive authentication then says so).
pub fn load_trust_store(dir: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut certs = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let ext =
            path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        if !matches!(ext.as_str(), "pem" | "crt" | "cer" | "der") {
            continue;
        }
        let bytes = crate::input::read_file(&path, crate::input::MAX_CERTIFICATE_FILE_BYTES)
            .map_err(std::io::Error::other)?;
        if bytes.starts_with(b"-----") {
            for pem in x509_parser::pem::Pem::iter_from_buffer(&bytes).flatten() {
                if pem.label == "CERTIFICATE" {
                    certs.push(pem.contents);
                }
            }
        } else {
            certs.push(bytes);
        }
    }
    Ok(certs)
}
