//! QR codes at the counter: reading every code in a picture or camera frame through zbar, byte
//! for byte, and the signed appointment pass a booked person brings as a QR code.
//!
//! # Reading
//! zbar guesses a text encoding for QR byte segments and transcodes what it guessed (Latin-1 and
//! Shift-JIS become UTF-8), so a payload could come back different from what was encoded. We turn
//! zbar's `binary` setting on for QR codes: payloads come back exactly as encoded, UTF-8 Chinese
//! text included, and only QR codes are looked for.
//!
//! # The appointment pass, version 1
//! ```text
//! KQ1|<appointment ULID>|<reference>|<slot>|<tag>
//! KQ1|01JQ8ZK4V6N3C5Y7XW2M9T0ABC|A-0001|2025-03-14T09:30:00+08:00|<64 hex digits>
//! ```
//! - `KQ1`: "kiosk QR", format version 1. A later format takes `KQ2`, and so on; a kiosk refuses
//!   a version it does not know with [`PassError::UnsupportedVersion`] rather than misreading it.
//! - the appointment's record id, a ULID in its 26-character form;
//! - the booking reference, with `%` written `%25` and `|` written `%7C` so that it can hold any
//!   text; it may not be empty;
//! - the slot, RFC 3339 to the second, with the office's UTC offset (`+08:00` in Macau and
//!   Guangdong);
//! - the tag: HMAC-SHA256 under the office key of everything before the last `|` (the `KQ1|`
//!   prefix included), all 32 bytes, as 64 upper-case hexadecimal digits. The whole tag is kept
//!   so that it is checked with `ring::hmac::verify` in constant time.
//!
//! Any single character changed in a pass makes it malformed or makes the tag fail, and the fields
//! are checked in the order above, so a foreign QR code is told apart from a tampered pass.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, GrayImage, ImageReader, Limits};
use registry::model::{Appointment, RecordId};
use ring::hmac;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};
use zbar_rust::{ZBarConfig, ZBarImageScanner, ZBarSymbolType};

use crate::input::{InputError, MAX_PICTURE_FILE_BYTES, read_picture};

/// The first field of a version 1 pass.
pub const PASS_PREFIX: &str = "KQ1";
/// Fields in a version 1 pass, tag included.
pub const PASS_FIELDS: usize = 5;
/// Bytes of the HMAC-SHA256 tag, written as twice as many hexadecimal digits.
const TAG_BYTES: usize = 32;

/// Largest picture side `decode_file` accepts, in pixels; larger files are refused, not decoded,
/// so that a crafted file cannot take all the memory.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// The message shown when a picture or the camera showed no QR code.
pub const NOTHING_FOUND_MESSAGE_ID: &str = "qr-nothing-found";
/// The message shown when a genuine pass is for another day (argument `slot`).
pub const PASS_NOT_TODAY_MESSAGE_ID: &str = "qr-pass-not-today";
/// Message ids of this module that are not errors.
pub const OTHER_MESSAGE_IDS: &[&str] = &[NOTHING_FOUND_MESSAGE_ID, PASS_NOT_TODAY_MESSAGE_ID];

/// Why a picture could not be read for QR codes. Finding no code is not an error: the decoders
/// answer with an empty list.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("the picture file was refused: {source}")]
    File {
        #[source]
        source: InputError,
    },
    #[error("the file is not a picture this kiosk reads (JPEG, PNG or TIFF): {source}")]
    Image {
        #[source]
        source: image::ImageError,
    },
    #[error("a {width}x{height} grey frame needs {needed} bytes, but {found} came")]
    FrameSize { width: u32, height: u32, needed: u64, found: usize },
}

impl QrError {
    /// A file's own messages are [`InputError::ALL_MESSAGE_IDS`].
    pub const ALL_MESSAGE_IDS: &[&str] = &["qr-error-image", "qr-error-frame-size"];

    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            QrError::File { source } => source.message_id(),
            QrError::Image { .. } => "qr-error-image",
            QrError::FrameSize { .. } => "qr-error-frame-size",
        }
    }

    /// The Fluent arguments of [`QrError::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            QrError::File { source } => source.message_args(),
            QrError::Image { source } => vec![("detail", source.to_string())],
            QrError::FrameSize { width, height, .. } => {
                vec![("width", width.to_string()), ("height", height.to_string())]
            }
        }
    }
}

/// A zbar scanner that reads QR codes only, and gives their bytes untouched.
fn qr_scanner() -> ZBarImageScanner {
    let mut scanner = ZBarImageScanner::new();
    let settings = [
        // A counter has no use for bar codes, and each extra decoder is a chance of a false read.
        (ZBarSymbolType::ZBarNone, ZBarConfig::ZBarCfgEnable, 0),
        (ZBarSymbolType::ZBarQRCode, ZBarConfig::ZBarCfgEnable, 1),
        // Without this zbar transcodes what it takes for Latin-1 or Shift-JIS into UTF-8.
        (ZBarSymbolType::ZBarQRCode, ZBarConfig::ZBarCfgBinary, 1),
        // Phones in dark mode show light modules on a dark ground.
        (ZBarSymbolType::ZBarNone, ZBarConfig::ZBarCfgTestInverted, 1),
    ];
    for (symbology, config, value) in settings {
        if scanner.set_config(symbology, config, value).is_err() {
            tracing::warn!(?symbology, ?config, value, "zbar refused a QR scanner setting");
        }
    }
    scanner
}

/// Every QR code in an 8-bit grey frame (`width * height` bytes, row by row, as cameras give
/// them in Y800 / GREY), each as its raw bytes. Extra bytes after the frame are ignored.
pub fn decode_frame(gray: &[u8], width: u32, height: u32) -> Result<Vec<Vec<u8>>, QrError> {
    let needed = u64::from(width) * u64::from(height);
    let frame_len = usize::try_from(needed)
        .ok()
        .filter(|&len| gray.len() >= len)
        .ok_or(QrError::FrameSize { width, height, needed, found: gray.len() })?;
    if frame_len == 0 {
        return Ok(Vec::new());
    }
    let frame = &gray[..frame_len];
    let symbols = match qr_scanner().scan_y800(frame, width, height) {
        Ok(symbols) => symbols,
        Err(error) => {
            // Only a malformed frame makes zbar fail, and that was checked above; a picture zbar
            // cannot read has no QR code we could show.
            tracing::warn!(%error, "zbar could not scan a frame");
            return Ok(Vec::new());
        }
    };
    let payloads: Vec<Vec<u8>> = symbols
        .into_iter()
        .filter(|symbol| symbol.symbol_type == ZBarSymbolType::ZBarQRCode)
        .map(|symbol| symbol.data)
        .collect();
    // Counts only: a payload can hold a person's name.
    tracing::debug!(codes = payloads.len(), width, height, "QR scan");
    Ok(payloads)
}

/// Every QR code in `img`, each as its raw bytes; empty when there is none.
pub fn decode_image(img: &DynamicImage) -> Vec<Vec<u8>> {
    let gray = grey_on_white(img);
    let (width, height) = gray.dimensions();
    decode_frame(gray.as_raw(), width, height).unwrap_or_else(|error| {
        // A GrayImage always holds width * height bytes; kept for completeness.
        tracing::warn!(%error, "grey picture of unexpected size");
        Vec::new()
    })
}

/// Every QR code in the picture file at `path` (JPEG, PNG or TIFF, told by its content, at most
/// [`MAX_PICTURE_FILE_BYTES`]).
pub fn decode_file(path: impl AsRef<Path>) -> Result<Vec<Vec<u8>>, QrError> {
    let bytes = read_picture(path.as_ref(), MAX_PICTURE_FILE_BYTES)
        .map_err(|source| QrError::File { source })?;
    let img = load_picture(&bytes).map_err(|source| QrError::Image { source })?;
    Ok(decode_image(&img))
}

/// Decodes a JPEG, PNG or TIFF picture with limits that keep a crafted file from taking all the
/// memory.
pub(crate) fn load_picture(bytes: &[u8]) -> Result<DynamicImage, image::ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    reader.limits(limits);
    reader.decode()
}

/// The picture in grey, with any transparency laid on white, as a QR code on a screen or paper
/// would be seen: a dark code drawn on a transparent ground would otherwise turn all black.
fn grey_on_white(img: &DynamicImage) -> GrayImage {
    if !img.color().has_alpha() {
        return img.to_luma8();
    }
    let with_alpha = img.to_luma_alpha8();
    let (width, height) = with_alpha.dimensions();
    GrayImage::from_fn(width, height, |x, y| {
        let [luma, alpha] = with_alpha.get_pixel(x, y).0;
        let (luma, alpha) = (u16::from(luma), u16::from(alpha));
        let blended = (luma * alpha + 255 * (255 - alpha)) / 255;
        image::Luma([u8::try_from(blended).unwrap_or(u8::MAX)])
    })
}

/// Why a QR code was refused as an appointment pass.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassError {
    #[error("this QR code is not an appointment pass of this registry")]
    NotAPass,
    #[error("appointment pass format version {version} is not one this kiosk reads (version 1)")]
    UnsupportedVersion { version: String },
    #[error("an appointment pass has 5 fields separated by '|', but this one has {found}")]
    WrongFieldCount { found: usize },
    #[error("the appointment number in the pass is not valid")]
    BadAppointmentId,
    #[error("the booking reference in the pass is empty or badly written")]
    BadReference,
    #[error("the appointment time in the pass is not a valid date and time")]
    BadSlot,
    #[error("the security code of the pass is not 64 hexadecimal digits")]
    BadMacEncoding,
    #[error(
        "the security code of the pass does not match: it was altered, forged, or issued with \
         another office's key"
    )]
    Forged,
}

impl PassError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "qr-pass-not-a-pass",
        "qr-pass-unsupported-version",
        "qr-pass-wrong-field-count",
        "qr-pass-bad-appointment-id",
        "qr-pass-bad-reference",
        "qr-pass-bad-slot",
        "qr-pass-bad-mac-encoding",
        "qr-pass-forged",
    ];

    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            PassError::NotAPass => "qr-pass-not-a-pass",
            PassError::UnsupportedVersion { .. } => "qr-pass-unsupported-version",
            PassError::WrongFieldCount { .. } => "qr-pass-wrong-field-count",
            PassError::BadAppointmentId => "qr-pass-bad-appointment-id",
            PassError::BadReference => "qr-pass-bad-reference",
            PassError::BadSlot => "qr-pass-bad-slot",
            PassError::BadMacEncoding => "qr-pass-bad-mac-encoding",
            PassError::Forged => "qr-pass-forged",
        }
    }

    /// The Fluent arguments of [`PassError::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            PassError::UnsupportedVersion { version } => vec![("version", version.clone())],
            PassError::WrongFieldCount { found } => {
                vec![("found", found.to_string()), ("expected", PASS_FIELDS.to_string())]
            }
            _ => Vec::new(),
        }
    }
}

/// What an appointment's QR code says: which appointment, its reference and its time, signed
/// with the office key so that a pass cannot be made up or moved to another day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentPass {
    pub appointment: RecordId,
    pub reference: String,
    pub slot: OffsetDateTime,
}

impl From<&Appointment> for AppointmentPass {
    fn from(appointment: &Appointment) -> Self {
        AppointmentPass {
            appointment: appointment.id,
            reference: appointment.reference.clone(),
            slot: appointment.slot,
        }
    }
}

impl AppointmentPass {
    /// The pass as QR code text, signed with the office `key`. Sub-second parts of the slot are
    /// left out; a slot outside the years 0000–9999 makes a pass that [`AppointmentPass::parse`]
    /// refuses.
    pub fn encode(&self, key: &[u8]) -> String {
        let signed = format!(
            "{PASS_PREFIX}|{}|{}|{}",
            self.appointment,
            escape_reference(&self.reference),
            format_slot(self.slot)
        );
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), signed.as_bytes());
        format!("{signed}|{}", hex::encode_upper(tag.as_ref()))
    }

    /// Reads and checks a pass from QR code text. Surrounding white space (a keyboard-wedge
    /// scanner's line end) is ignored. Whether the slot is today is the caller's question; see
    /// [`AppointmentPass::is_for_day`].
    pub fn parse(text: &str, key: &[u8]) -> Result<AppointmentPass, PassError> {
        let text = text.trim();
        let fields: Vec<&str> = text.split('|').collect();
        let first = fields.first().copied().unwrap_or_default();
        if first != PASS_PREFIX {
            return Err(match first.strip_prefix("KQ") {
                Some(version)
                    if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    PassError::UnsupportedVersion { version: version.chars().take(6).collect() }
                }
                _ => PassError::NotAPass,
            });
        }
        let [_, id, reference, slot, tag] = fields[..] else {
            return Err(PassError::WrongFieldCount { found: fields.len() });
        };
        let appointment: RecordId = id.parse().map_err(|_| PassError::BadAppointmentId)?;
        let reference = unescape_reference(reference).ok_or(PassError::BadReference)?;
        let slot = OffsetDateTime::parse(slot, &Rfc3339).map_err(|_| PassError::BadSlot)?;
        let tag = decode_tag(tag).ok_or(PassError::BadMacEncoding)?;
        let (signed, _) = text.rsplit_once('|').ok_or(PassError::NotAPass)?;
        hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, key), signed.as_bytes(), &tag)
            .map_err(|_| PassError::Forged)?;
        Ok(AppointmentPass { appointment, reference, slot })
    }

    /// [`AppointmentPass::parse`] for a payload as it comes from [`decode_image`]: a payload that
    /// is not UTF-8 text is not a pass.
    pub fn parse_payload(payload: &[u8], key: &[u8]) -> Result<AppointmentPass, PassError> {
        let text = std::str::from_utf8(payload).map_err(|_| PassError::NotAPass)?;
        AppointmentPass::parse(text, key)
    }

    /// Whether the slot falls on `date` in the office's time zone `offset`.
    pub fn is_for_day(&self, date: Date, offset: UtcOffset) -> bool {
        self.slot.checked_to_offset(offset).is_some_and(|slot| slot.date() == date)
    }
}

/// RFC 3339 to the second, written by hand so that it cannot fail: the `time` crate's RFC 3339
/// formatter refuses offsets with seconds and years past 9999.
fn format_slot(slot: OffsetDateTime) -> String {
    let offset = slot.offset();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        slot.year(),
        u8::from(slot.month()),
        slot.day(),
        slot.hour(),
        slot.minute(),
        slot.second(),
        offset.whole_hours().unsigned_abs(),
        offset.minutes_past_hour().unsigned_abs(),
    )
}

fn escape_reference(reference: &str) -> String {
    reference.replace('%', "%25").replace('|', "%7C")
}

/// The reference back from its escaped form; `None` when it is empty or holds a `%` that is not
/// one of our two escapes (exactly as [`escape_reference`] writes them).
fn unescape_reference(field: &str) -> Option<String> {
    if field.is_empty() {
        return None;
    }
    let mut reference = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(at) = rest.find('%') {
        reference.push_str(&rest[..at]);
        let escape = rest.get(at..at + 3)?;
        reference.push(match escape {
            "%25" => '%',
            "%7C" => '|',
            _ => return None,
        });
        rest = &rest[at + 3..];
    }
    reference.push_str(rest);
    Some(reference)
}

/// The tag's bytes, from exactly 64 upper-case hexadecimal digits: one spelling only, so that
/// changing the case of a digit is caught like any other change.
fn decode_tag(field: &str) -> Option<Vec<u8>> {
    let canonical = field.len() == TAG_BYTES * 2
        && field.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
    if canonical { hex::decode(field).ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_escape_and_come_back() {
        for reference in ["A-0001", "50%|off", "%7C", "|", "%", "預約 A|1"] {
            let escaped = escape_reference(reference);
            assert!(!escaped.contains('|'));
            assert_eq!(unescape_reference(&escaped).as_deref(), Some(reference));
        }
        for bad in ["", "%", "%2", "%7c", "%41", "A%"] {
            assert_eq!(unescape_reference(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn slots_are_written_as_rfc3339_to_the_second() {
        let slot = time::macros::datetime!(2025-03-14 09:30:15.5 +08:00);
        assert_eq!(format_slot(slot), "2025-03-14T09:30:15+08:00");
        let west = time::macros::datetime!(2025-03-14 09:30 -03:30);
        assert_eq!(format_slot(west), "2025-03-14T09:30:00-03:30");
        let parsed = OffsetDateTime::parse(&format_slot(west), &Rfc3339).expect("parses");
        assert_eq!(parsed, west);
        assert_eq!(parsed.offset(), west.offset());
    }

    #[test]
    fn tags_have_one_spelling() {
        let upper = "AB".repeat(32);
        assert_eq!(decode_tag(&upper), Some(vec![0xAB; 32]));
        assert_eq!(decode_tag(&upper.to_lowercase()), None);
        assert_eq!(decode_tag(&upper[..62]), None);
        assert_eq!(decode_tag(&format!("{upper}00")), None);
    }

    #[test]
    fn frames_too_short_are_refused() {
        let error = decode_frame(&[0; 10], 4, 4).expect_err("16 bytes needed");
        assert_eq!(error.message_id(), "qr-error-frame-size");
        assert_eq!(decode_frame(&[], 0, 0).expect("empty frame").len(), 0);
    }
}
