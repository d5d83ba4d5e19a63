//! Reading an eMRTD over any transport that carries APDUs (PC/SC in the kiosk, a virtual card in
//! unit tests): select the application, Basic Access Control, then EF.COM, DG1, DG2 and EF.SOD
//! under secure messaging, each by its header first and then in as few READ BINARY commands as
//! the chip allows, never past the file's end.

use super::apdu::{Command, Response};
use super::bac;
use super::lds;
use super::sm::{SmError, SmSession};
use super::tlv;

/// What went wrong reading a document; each has a sentence for the clerk (`message_id`).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no card reader is connected")]
    NoReader,
    #[error("no card is on the reader")]
    NoCard,
    #[error("the reader failed: {0}")]
    Reader(String),
    /// pcscd is not running: no reader can be reached, whatever is plugged in.
    #[error("the smart card service (pcscd) is not running")]
    NoService,
    #[error("the card is not an electronic passport or ID card")]
    NotEmrtd,
    #[error("access denied: the MRZ does not open this chip")]
    AccessDenied,
    #[error("the chip only offers PACE, which is not supported yet")]
    PaceOnly,
    #[error("the MRZ lacks a valid birth or expiry date")]
    MrzIncomplete,
    #[error("secure messaging failed: {0}")]
    SecureMessaging(#[from] SmError),
    #[error("the chip answered {sw:04X} to {step}")]
    Card { step: &'static str, sw: u16 },
    #[error("the chip's data is malformed: {0}")]
    Malformed(String),
}

impl ReadError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "doc-error-no-reader",
        "doc-error-no-card",
        "doc-error-reader",
        "doc-error-no-service",
        "doc-error-not-emrtd",
        "doc-error-access-denied",
        "doc-error-pace-only",
        "doc-error-mrz-incomplete",
        "doc-error-secure-messaging",
        "doc-error-card",
        "doc-error-malformed",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            ReadError::NoReader => "doc-error-no-reader",
            ReadError::NoCard => "doc-error-no-card",
            ReadError::Reader(_) => "doc-error-reader",
            ReadError::NoService => "doc-error-no-service",
            ReadError::NotEmrtd => "doc-error-not-emrtd",
            ReadError::AccessDenied => "doc-error-access-denied",
            ReadError::PaceOnly => "doc-error-pace-only",
            ReadError::MrzIncomplete => "doc-error-mrz-incomplete",
            ReadError::SecureMessaging(_) => "doc-error-secure-messaging",
            ReadError::Card { .. } => "doc-error-card",
            ReadError::Malformed(_) => "doc-error-malformed",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            ReadError::Reader(d) | ReadError::Malformed(d) => vec![("detail", d.clone())],
            ReadError::SecureMessaging(e) => vec![("detail", e.to_string())],
            ReadError::Card { step, sw } => {
                vec![("step", (*step).to_owned()), ("status", format!("{sw:04X}"))]
            }
            _ => Vec::new(),
        }
    }
}

/// Something that carries APDUs to a chip and back.
pub trait Transport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, ReadError>;
    /// The chip takes extended-length APDUs (from its ATR).
    fn extended_length(&self) -> bool;
}

/// The files read, and how many APDUs it took.
#[derive(Clone)]
pub struct Document {
    pub com: Vec<u8>,
    pub dg1: Vec<u8>,
    pub dg2: Vec<u8>,
    pub sod: Vec<u8>,
    pub apdus: u32,
}

impl std::fmt::Debug for Document {
    /// The files hold the holder's name, numbers and face: only their sizes are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("dg1_bytes", &self.dg1.len())
            .field("dg2_bytes", &self.dg2.len())
            .field("sod_bytes", &self.sod.len())
            .field("apdus", &self.apdus)
            .finish()
    }
}

struct Counted<'a> {
    inner: &'a mut dyn Transport,
    apdus: u32,
}

impl Counted<'_> {
    fn send(&mut self, cmd: &Command) -> Result<Response, ReadError> {
        self.apdus += 1;
        let bytes = self.inner.transmit(&cmd.to_bytes())?;
        Response::parse(&bytes)
            .ok_or_else(|| ReadError::Malformed("a response shorter than its status".into()))
    }

    fn secure(&mut self, sm: &mut SmSession, cmd: &Command) -> Result<Response, ReadError> {
        let protected = sm.protect(cmd);
        let answer = self.send(&protected)?;
        match sm.unprotect(&answer) {
            Ok(resp) => Ok(resp),
            // A chip that refuses a command may answer without secure messaging.
            Err(SmError::Unprotected(sw)) => Err(ReadError::Card { step: "a secured command", sw }),
            Err(e) => Err(e.into()),
        }
    }
}

/// Largest plain bytes per READ BINARY: short APDUs carry 256 bytes, and secure messaging's
/// padding and objects take their share; extended APDUs carry far more.
fn chunk(extended: bool) -> usize {
    if extended { 0x7f00 } else { 0xdf }
}

/// Bytes read first from each file, to learn its length: the LDS files' one-byte tag and a
/// length of up to three bytes (0x82 and two bytes), which covers every file short offsets
/// reach. Every LDS file is longer than this.
const HEADER_BYTES: usize = 4;

/// Reads the document with BAC keys from `mrz_information` (see [`bac::mrz_information`]).
pub fn read_document(
    transport: &mut dyn Transport,
    mrz_information: &str,
) -> Result<Document, ReadError> {
    let extended = transport.extended_length();
    let mut t = Counted { inner: transport, apdus: 0 };
    let select = Command::new(0x00, 0xa4, 0x04, 0x0c).with_data(lds::AID.to_vec());
    let answer = t.send(&select)?;
    if !answer.ok() {
        return Err(ReadError::NotEmrtd);
    }
    let challenge = t.send(&Command::new(0x00, 0x84, 0x00, 0x00).with_le(8))?;
    if !challenge.ok() || challenge.data.len() != 8 {
        return Err(pace_or(&mut t, "GET CHALLENGE", challenge.sw)?);
    }
    let mut rnd_ic = [0u8; 8];
    rnd_ic.copy_from_slice(&challenge.data);
    let auth = bac::Authentication::new(
        bac::document_keys(mrz_information),
        rnd_ic,
        rand::random(),
        rand::random(),
    );
    let external = Command::new(0x00, 0x82, 0x00, 0x00).with_data(auth.cryptogram()).with_le(40);
    let answer = t.send(&external)?;
    match answer.sw {
        0x9000 => {}
        0x6300 | 0x6982 | 0x6a80 => return Err(ReadError::AccessDenied),
        sw => return Err(pace_or(&mut t, "EXTERNAL AUTHENTICATE", sw)?),
    }
    let mut sm = auth.finish(&answer.data).map_err(|_| ReadError::AccessDenied)?;
    let step = chunk(extended);
    let com = read_file(&mut t, &mut sm, lds::EF_COM, step)?;
    let dg1 = read_file(&mut t, &mut sm, lds::DG1, step)?;
    let dg2 = read_file(&mut t, &mut sm, lds::DG2, step)?;
    let sod = read_file(&mut t, &mut sm, lds::EF_SOD, step)?;
    Ok(Document { com, dg1, dg2, sod, apdus: t.apdus })
}

/// A chip that will not do BAC: PACE-only if it has EF.CardAccess, else the chip's own error.
fn pace_or(t: &mut Counted<'_>, step: &'static str, sw: u16) -> Result<ReadError, ReadError> {
    let access =
        Command::new(0x00, 0xa4, 0x02, 0x0c).with_data(lds::EF_CARD_ACCESS.to_be_bytes().to_vec());
    let answer = t.send(&access)?;
    Ok(if answer.ok() { ReadError::PaceOnly } else { ReadError::Card { step, sw } })
}

/// Reads a whole file: its header first, then exactly the bytes its length says, in as few
/// reads as `step` allows. No read asks past the end of the file: chips answer that with 6282,
/// 6700 or 6Cxx, and some with 6282 without a MAC, which a reader must not accept.
fn read_file(
    t: &mut Counted<'_>,
    sm: &mut SmSession,
    fid: u16,
    step: usize,
) -> Result<Vec<u8>, ReadError> {
    let select = Command::new(0x00, 0xa4, 0x02, 0x0c).with_data(fid.to_be_bytes().to_vec());
    let answer = t.secure(sm, &select)?;
    if !answer.ok() {
        return Err(ReadError::Card { step: "SELECT", sw: answer.sw });
    }
    let mut data = read_binary(t, sm, 0, HEADER_BYTES)?;
    let total = tlv::total_length(&data)
        .ok_or_else(|| ReadError::Malformed("a file without a TLV header".into()))?;
    while data.len() < total {
        let offset = data.len();
        data.extend(read_binary(t, sm, offset, (total - offset).min(step))?);
    }
    data.truncate(total);
    Ok(data)
}

/// One READ BINARY of `want` bytes at `offset` of the selected file.
fn read_binary(
    t: &mut Counted<'_>,
    sm: &mut SmSession,
    offset: usize,
    want: usize,
) -> Result<Vec<u8>, ReadError> {
    if offset > 0x7fff {
        return Err(ReadError::Malformed("the file is longer than short offsets reach".into()));
    }
    let read = Command::new(0x00, 0xb0, (offset >> 8) as u8, offset as u8).with_le(want);
    let answer = t.secure(sm, &read)?;
    // A chip that gives fewer bytes than asked says the file ends sooner than its header says.
    if !answer.ok() || answer.data.is_empty() {
        return Err(ReadError::Card { step: "READ BINARY", sw: answer.sw });
    }
    Ok(answer.data)
}

/// Whether an ATR announces extended Lc/Le (card capabilities, third byte, bit 7).
pub fn atr_extended_length(atr: &[u8]) -> bool {
    let Some(&t0) = atr.get(1) else { return false };
    let hist_len = usize::from(t0 & 0x0f);
    let mut i = 2usize;
    let mut y = t0 >> 4;
    loop {
        let count = (y & 0x7).count_ones() as usize;
        let td_present = y & 0x8 != 0;
        i += count;
        if td_present {
            let Some(&td) = atr.get(i) else { return false };
            i += 1;
            y = td >> 4;
        } else {
            break;
        }
    }
    let Some(hist) = atr.get(i..i + hist_len) else { return false };
    if hist.first() != Some(&0x80) {
        return false;
    }
    let mut j = 1;
    while j < hist.len() {
        let (tag, len) = (hist[j] >> 4, usize::from(hist[j] & 0x0f));
        if tag == 0x7 && len >= 3 {
            return hist.get(j + 3).is_some_and(|b| b & 0x40 != 0);
        }
        j += 1 + len;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_virtual_passports_atr_announces_extended_length() {
        assert!(atr_extended_length(&super::super::vcard::atr(true)));
        assert!(!atr_extended_length(&super::super::vcard::atr(false)));
        assert!(!atr_extended_length(&[0x3b]));
    }
}
