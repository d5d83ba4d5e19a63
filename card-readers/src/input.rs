//! Files a clerk or an operator names (photos, pictures of QR codes, pictures played as camera
//! frames, CSCA certificates): read whole, but only when they are regular files and never past a
//! cap, so that `/dev/zero`, a FIFO or a file padded to gigabytes is refused at once instead of
//! filling the memory; and, for pictures, refused when bytes follow the end of the picture.
//!
//! Why each rule:
//! - a device or a FIFO never ends (or waits for a writer), so it is refused before it is read,
//!   and opened without waiting, in case a FIFO took the regular file's place in between;
//! - the cap is checked against the file's size before reading and again while reading, since
//!   a file can grow, and some files (under `/proc`) report no size;
//! - a JPEG ends with its EOI marker and a PNG with its IEND chunk. Anything after them is not
//!   part of the picture: a file padded or joined with other data, or a phone's motion photo
//!   with its video behind the still. The decoders ignore it, so without this check a 35 KB
//!   photo padded to 3 GB would pass. TIFF marks no end (its parts are found by offsets); the
//!   cap bounds it.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Largest photo file: a 50-megapixel camera's JPEG stays under it, and the photo kept is
/// re-encoded under 3 MB anyway.
pub const MAX_PHOTO_FILE_BYTES: u64 = 20 * MB;
/// Largest picture read for QR codes or played as camera frames: an A4 form scanned back at
/// 300 dpi in colour is about 26 MB even as an uncompressed TIFF.
pub const MAX_PICTURE_FILE_BYTES: u64 = 32 * MB;
/// Largest CSCA certificate file: a PEM bundle of every country's CSCAs is about 1 MB.
pub const MAX_CERTIFICATE_FILE_BYTES: u64 = 8 * MB;

/// A megabyte, as the messages count them (the CA's "3 MB" is 3 × 1024 × 1024 bytes).
const MB: u64 = 1024 * 1024;

/// Why a named file was not read. Each names the file, so the clerk knows which one to fix.
#[derive(thiserror::Error)]
pub enum InputError {
    #[error("{file} does not exist")]
    NotFound { file: String },
    #[error("{file} is not a regular file (a device, a pipe or a folder)")]
    NotAFile { file: String },
    #[error("{file} is larger than {max_mb} MB")]
    TooLarge { file: String, max_mb: u64 },
    #[error("{file} could not be read: {source}")]
    Unreadable {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file} holds {extra} bytes after the end of its picture")]
    TrailingData { file: String, extra: usize },
}

impl fmt::Debug for InputError {
    /// Files are often named after the person in the photo: the name is shown to the clerk,
    /// never written where `Debug` goes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotFound { .. } => f.write_str("NotFound"),
            InputError::NotAFile { .. } => f.write_str("NotAFile"),
            InputError::TooLarge { max_mb, .. } => {
                f.debug_struct("TooLarge").field("max_mb", max_mb).finish_non_exhaustive()
            }
            InputError::Unreadable { source, .. } => {
                f.debug_struct("Unreadable").field("kind", &source.kind()).finish_non_exhaustive()
            }
            InputError::TrailingData { extra, .. } => {
                f.debug_struct("TrailingData").field("extra", extra).finish_non_exhaustive()
            }
        }
    }
}

impl InputError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "input-error-not-found",
        "input-error-not-a-file",
        "input-error-too-large",
        "input-error-unreadable",
        "input-error-trailing-data",
    ];

    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            InputError::NotFound { .. } => "input-error-not-found",
            InputError::NotAFile { .. } => "input-error-not-a-file",
            InputError::TooLarge { .. } => "input-error-too-large",
            InputError::Unreadable { .. } => "input-error-unreadable",
            InputError::TrailingData { .. } => "input-error-trailing-data",
        }
    }

    /// The Fluent arguments of [`InputError::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            // How many bytes follow a picture would need plural forms the arguments cannot
            // select (they are text), and the clerk's remedy is the same whatever the count.
            InputError::NotFound { file }
            | InputError::NotAFile { file }
            | InputError::TrailingData { file, .. } => vec![("file", file.clone())],
            InputError::TooLarge { file, max_mb } => {
                vec![("file", file.clone()), ("max", max_mb.to_string())]
            }
            InputError::Unreadable { file, source } => {
                vec![("file", file.clone()), ("detail", source.to_string())]
            }
        }
    }

    /// The file is not there at all (rather than there but refused).
    pub fn is_not_found(&self) -> bool {
        matches!(self, InputError::NotFound { .. })
    }
}

/// The whole of the regular file at `path`, if it holds at most `max` bytes.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let file = || path.display().to_string();
    let failed = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound { file: file() },
        _ => InputError::Unreadable { file: file(), source },
    };
    let too_large = || InputError::TooLarge { file: file(), max_mb: max.div_ceil(MB) };
    // Look before opening: opening a device can act on it (a serial line, a tape).
    if !std::fs::metadata(path).map_err(failed)?.is_file() {
        return Err(InputError::NotAFile { file: file() });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // A FIFO swapped in after the look above would hold `open` until a writer came.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::libc::O_NONBLOCK);
    }
    let opened = options.open(path).map_err(failed)?;
    let metadata = opened.metadata().map_err(failed)?;
    if !metadata.is_file() {
        return Err(InputError::NotAFile { file: file() });
    }
    if metadata.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    opened.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(failed)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The picture file at `path` (at most `max` bytes), refused when bytes follow the end of a
/// JPEG or PNG picture. A picture whose end is missing is left to the decoder and the photo
/// rules, which say it is cut short.
pub fn read_picture(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let bytes = read_file(path, max)?;
    if let PictureEnd::At(end) = picture_end(&bytes)
        && end < bytes.len()
    {
        return Err(InputError::TrailingData {
            file: path.display().to_string(),
            extra: bytes.len() - end,
        });
    }
    Ok(bytes)
}

/// Where a picture ends in its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureEnd {
    /// The picture's last byte is just before this offset.
    At(usize),
    /// A JPEG or PNG whose end marker never comes: cut short.
    Missing,
    /// Not a JPEG or PNG, so its end is not marked.
    Unmarked,
}

/// Where the JPEG or PNG picture in `bytes` ends.
pub fn picture_end(bytes: &[u8]) -> PictureEnd {
    const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let end = if bytes.starts_with(&[0xff, 0xd8]) {
        jpeg_end(bytes)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        png_end(bytes, PNG_SIGNATURE.len())
    } else {
        return PictureEnd::Unmarked;
    };
    end.map_or(PictureEnd::Missing, PictureEnd::At)
}

/// The offset after a JPEG's EOI marker, found by walking its segments (an EXIF thumbnail's
/// own EOI sits inside a segment and is skipped with it) and each scan's entropy-coded data
/// (where 0xFF is followed by 0x00, a restart marker or more fill bytes).
fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    const EOI: u8 = 0xd9;
    const SOS: u8 = 0xda;
    let mut at = 2;
    loop {
        // Decoders skip stray bytes before a marker, so a picture with them still has an end.
        at += bytes.get(at..)?.iter().position(|&b| b == 0xff)?;
        while *bytes.get(at + 1)? == 0xff {
            at += 1;
        }
        let marker = *bytes.get(at + 1)?;
        at += 2;
        match marker {
            EOI => return Some(at),
            // Markers without a length: TEM and restarts.
            0x01 | 0xd0..=0xd7 => continue,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        at += length;
        if marker == SOS {
            loop {
                at += bytes.get(at..)?.iter().position(|&b| b == 0xff)?;
                match *bytes.get(at + 1)? {
                    0x00 | 0xd0..=0xd7 => at += 2,
                    // A marker (after any fill bytes) ends the scan.
                    _ => break,
                }
            }
        }
    }
}

/// The offset after a PNG's IEND chunk: each chunk is a 4-byte length, a 4-byte type, the data
/// and a 4-byte CRC.
fn png_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let header = bytes.get(at..at + 8)?;
        let length = usize::try_from(u32::from_be_bytes(header[..4].try_into().ok()?)).ok()?;
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        if &header[4..] == b"IEND" {
            return Some(end);
        }
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&img)
            .expect("jpeg");
        out
    }

    fn png() -> Vec<u8> {
        let img = image::GrayImage::from_fn(40, 30, |x, y| image::Luma([(x * y) as u8]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).expect("png");
        out.into_inner()
    }

    #[test]
    fn a_picture_ends_at_its_end_marker_whatever_follows() {
        for picture in [jpeg(), png()] {
            assert_eq!(picture_end(&picture), PictureEnd::At(picture.len()));
            let padded = [picture.as_slice(), &[0; 100]].concat();
            assert_eq!(picture_end(&padded), PictureEnd::At(picture.len()));
            // Another picture joined on, as a motion photo joins its video.
            let joined = [picture.as_slice(), &picture].concat();
            assert_eq!(picture_end(&joined), PictureEnd::At(picture.len()));
            for cut in [picture.len() - 1, picture.len() / 2, 9] {
                assert_eq!(picture_end(&picture[..cut]), PictureEnd::Missing, "cut at {cut}");
            }
        }
        assert_eq!(picture_end(b"II*\0 a TIFF"), PictureEnd::Unmarked);
    }

    #[test]
    fn an_eoi_inside_a_segment_is_not_the_end() {
        // An APP1 segment holding a thumbnail's FFD9, before the real scan.
        let picture = jpeg();
        let app1 = [&[0xff, 0xe1, 0x00, 0x06][..], &[0xff, 0xd9, 0xff, 0xd9]].concat();
        let with_thumbnail = [&picture[..2], &app1, &picture[2..]].concat();
        assert_eq!(picture_end(&with_thumbnail), PictureEnd::At(with_thumbnail.len()));
    }
}
