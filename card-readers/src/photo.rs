//! Checks a person's photo before it is kept: a JPEG, PNG or TIFF picture (told by its content,
//! never by a file name), large enough, neither blank nor badly exposed, then stored as a JPEG of
//! at most 3 MB. Whether the face in it passes the face check is a later step.
//!
//! The checks, in order, and why:
//! - format: the CA's systems take JPEG, PNG and TIFF photos; anything else is refused with its
//!   name, so the clerk can save it again as JPEG;
//! - completeness: a JPEG or PNG must reach its end marker, because the JPEG decoder fills a
//!   picture cut short with grey instead of failing (a photo file with bytes after its end is
//!   refused when it is read: [`crate::input::read_picture`]);
//! - size: at least [`MIN_WIDTH`] × [`MIN_HEIGHT`] pixels after the camera's EXIF orientation is
//!   applied, and at most [`MAX_SIDE`] a side, so that a crafted file cannot take all the memory;
//! - exposure, on the luma (BT.601) of the picture laid on white: a mean below
//!   [`MIN_MEAN_LUMA`] or more than [`MAX_CLIPPED_SHARE`] of the pixels at or below
//!   [`DARK_CLIP_LUMA`] is too dark; a mean above [`MAX_MEAN_LUMA`] or that share at or above
//!   [`BRIGHT_CLIP_LUMA`] is too bright. A white backdrop is normal for ID photos, so clipping
//!   counts only when it covers more than half the picture;
//! - blank: a standard deviation of luma below [`MIN_LUMA_STDDEV`] (a wall, a lens cap, a sheet of
//!   paper; a portrait has tens). Exposure is checked first: an all-black picture is "too dark"
//!   (is the lens covered?) and an all-white one "too bright", which tells the clerk what to fix.
//!
//! The kept JPEG is the picture at full size at quality [`JPEG_QUALITIES`]`[0]`, else at the lower
//! qualities, else scaled down until it fits [`MAX_JPEG_BYTES`].

use std::fmt;
use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use ring::digest;

use crate::input::{PictureEnd, picture_end};

/// Narrowest photo accepted, in pixels.
pub const MIN_WIDTH: u32 = 300;
/// Shortest photo accepted, in pixels.
pub const MIN_HEIGHT: u32 = 400;
/// Longest side decoded, in pixels; a 100-megapixel camera stays under it.
pub const MAX_SIDE: u32 = 12_000;
/// Memory the decoder may take, in bytes.
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
/// Largest JPEG kept: the CA's limit for an attachment, 3 MB.
pub const MAX_JPEG_BYTES: usize = 3 * 1024 * 1024;
/// JPEG qualities tried at each size, best first; below 70 a face check loses detail.
pub const JPEG_QUALITIES: [u8; 2] = [85, 70];
/// Darkest acceptable mean luma (0–255).
pub const MIN_MEAN_LUMA: f64 = 40.0;
/// Brightest acceptable mean luma (0–255).
pub const MAX_MEAN_LUMA: f64 = 230.0;
/// A pixel at or below this luma is black: shadows lost.
pub const DARK_CLIP_LUMA: u8 = 5;
/// A pixel at or above this luma is white: highlights lost.
pub const BRIGHT_CLIP_LUMA: u8 = 250;
/// Largest share of the picture allowed to be lost to black, or to white.
pub const MAX_CLIPPED_SHARE: f64 = 0.5;
/// Smallest standard deviation of luma of a picture that shows something.
pub const MIN_LUMA_STDDEV: f64 = 6.0;
/// Scaling rounds before giving up on fitting the size limit (never reached in practice: a
/// picture at the minimum size is tens of kilobytes).
const MAX_SCALING_ROUNDS: usize = 8;

/// The formats a photo may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Tiff,
}

impl PhotoFormat {
    fn image_format(self) -> ImageFormat {
        match self {
            PhotoFormat::Jpeg => ImageFormat::Jpeg,
            PhotoFormat::Png => ImageFormat::Png,
            PhotoFormat::Tiff => ImageFormat::Tiff,
        }
    }
}

/// Brightness of a picture, from its luma (0–255).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LumaStats {
    pub mean: f64,
    pub stddev: f64,
    /// Share of pixels at or below [`DARK_CLIP_LUMA`].
    pub dark_share: f64,
    /// Share of pixels at or above [`BRIGHT_CLIP_LUMA`].
    pub bright_share: f64,
}

/// A photo that passed the checks, ready to be kept.
#[derive(Clone, PartialEq)]
pub struct AcceptedPhoto {
    /// The JPEG to keep, at most [`MAX_JPEG_BYTES`].
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// SHA-256 of `jpeg`, lower-case hexadecimal.
    pub sha256: String,
    /// The JPEG quality it was written at.
    pub quality: u8,
    /// The format it came in.
    pub source_format: PhotoFormat,
    pub stats: LumaStats,
}

impl fmt::Debug for AcceptedPhoto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A photo is personal data: never its bytes.
        f.debug_struct("AcceptedPhoto")
            .field("jpeg_bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .field("sha256", &self.sha256)
            .field("quality", &self.quality)
            .field("source_format", &self.source_format)
            .field("stats", &self.stats)
            .finish()
    }
}

/// Why a photo was refused.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is empty")]
    Empty,
    #[error("this is not a picture in a format the kiosk knows; save it as JPEG")]
    UnknownFormat,
    #[error("{format} pictures are not accepted for photos; save it as JPEG, PNG or TIFF")]
    UnsupportedFormat { format: String },
    #[error("the picture is cut short: its end is missing")]
    Truncated,
    #[error("the picture is damaged or cut short: {source}")]
    Unreadable {
        #[source]
        source: image::ImageError,
    },
    #[error("the picture is larger than {MAX_SIDE} pixels a side or too large to open")]
    TooLarge,
    #[error("the photo is {width}x{height} pixels; at least {MIN_WIDTH}x{MIN_HEIGHT} are needed")]
    TooSmall { width: u32, height: u32 },
    #[error("the photo is too dark (mean brightness {mean:.0} of 255)")]
    TooDark { mean: f64 },
    #[error("the photo is too bright (mean brightness {mean:.0} of 255)")]
    TooBright { mean: f64 },
    #[error("the photo is blank: it shows nothing")]
    Blank,
    #[error("the photo could not be made smaller than 3 MB")]
    CannotFit,
    #[error("the photo could not be written as JPEG: {source}")]
    Encode {
        #[source]
        source: image::ImageError,
    },
}

impl PhotoError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "photo-error-empty",
        "photo-error-unknown-format",
        "photo-error-unsupported-format",
        "photo-error-truncated",
        "photo-error-unreadable",
        "photo-error-too-large",
        "photo-error-too-small",
        "photo-error-too-dark",
        "photo-error-too-bright",
        "photo-error-blank",
        "photo-error-cannot-fit",
        "photo-error-encode",
    ];

    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            PhotoError::Empty => "photo-error-empty",
            PhotoError::UnknownFormat => "photo-error-unknown-format",
            PhotoError::UnsupportedFormat { .. } => "photo-error-unsupported-format",
            PhotoError::Truncated => "photo-error-truncated",
            PhotoError::Unreadable { .. } => "photo-error-unreadable",
            PhotoError::TooLarge => "photo-error-too-large",
            PhotoError::TooSmall { .. } => "photo-error-too-small",
            PhotoError::TooDark { .. } => "photo-error-too-dark",
            PhotoError::TooBright { .. } => "photo-error-too-bright",
            PhotoError::Blank => "photo-error-blank",
            PhotoError::CannotFit => "photo-error-cannot-fit",
            PhotoError::Encode { .. } => "photo-error-encode",
        }
    }

    /// The Fluent arguments of [`PhotoError::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            PhotoError::UnsupportedFormat { format } => vec![("format", format.clone())],
            PhotoError::Unreadable { source } | PhotoError::Encode { source } => {
                vec![("detail", source.to_string())]
            }
            PhotoError::TooLarge => vec![("max", MAX_SIDE.to_string())],
            PhotoError::TooSmall { width, height } => vec![
                ("width", width.to_string()),
                ("height", height.to_string()),
                ("min_width", MIN_WIDTH.to_string()),
                ("min_height", MIN_HEIGHT.to_string()),
            ],
            _ => Vec::new(),
        }
    }
}

/// Checks a photo as it came (from the camera or a file) and gives the JPEG to keep.
pub fn check_photo(bytes: &[u8]) -> Result<AcceptedPhoto, PhotoError> {
    let source_format = sniff_format(bytes)?;
    // The JPEG decoder fills a picture cut short with grey and says nothing, which would keep
    // half a face.
    if picture_end(bytes) == PictureEnd::Missing {
        return Err(PhotoError::Truncated);
    }
    let picture = decode(bytes, source_format)?;
    let (width, height) = (picture.width(), picture.height());
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Err(PhotoError::TooSmall { width, height });
    }
    let rgb = rgb_on_white(picture);
    let stats = luma_stats(&rgb);
    check_exposure(&stats)?;
    let (jpeg, quality, width, height) = encode_within_limit(rgb)?;
    let sha256 = hex::encode(digest::digest(&digest::SHA256, &jpeg));
    tracing::debug!(
        bytes_in = bytes.len(),
        bytes_out = jpeg.len(),
        width,
        height,
        quality,
        "photo accepted"
    );
    Ok(AcceptedPhoto { jpeg, width, height, sha256, quality, source_format, stats })
}

/// The format from the first bytes.
fn sniff_format(bytes: &[u8]) -> Result<PhotoFormat, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    // Phones save HEIC by default, and `image` does not know it; naming it helps the clerk.
    const HEIF_BRANDS: [&[u8]; 6] = [b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1"];
    if bytes.get(4..8) == Some(b"ftyp")
        && bytes.get(8..12).is_some_and(|brand| HEIF_BRANDS.contains(&brand))
    {
        return Err(PhotoError::UnsupportedFormat { format: "HEIC".to_owned() });
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(PhotoFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(PhotoFormat::Png),
        Ok(ImageFormat::Tiff) => Ok(PhotoFormat::Tiff),
        Ok(other) => {
            let name = other.extensions_str().first().copied().unwrap_or("this");
            Err(PhotoError::UnsupportedFormat { format: name.to_ascii_uppercase() })
        }
        Err(_) => Err(PhotoError::UnknownFormat),
    }
}

/// Decodes within limits and turns the picture the way the camera held it.
fn decode(bytes: &[u8], format: PhotoFormat) -> Result<DynamicImage, PhotoError> {
    let classify = |source: image::ImageError| match source {
        image::ImageError::Limits(_) => PhotoError::TooLarge,
        source => PhotoError::Unreadable { source },
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    // A damaged EXIF block only loses the turn, not the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(classify)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// Eight-bit RGB, with any transparency laid on white as it would be printed.
fn rgb_on_white(picture: DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.into_rgb8();
    }
    let rgba = picture.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let a = u16::from(a);
        let over_white = |c: u8| {
            let blended = (u16::from(c) * a + 255 * (255 - a)) / 255;
            u8::try_from(blended).unwrap_or(u8::MAX)
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// Luma statistics over every pixel, from a histogram.
fn luma_stats(rgb: &RgbImage) -> LumaStats {
    let mut histogram = [0u64; 256];
    for pixel in rgb.pixels() {
        let [r, g, b] = pixel.0;
        let luma = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b) + 500) / 1000;
        histogram[usize::try_from(luma).unwrap_or(255).min(255)] += 1;
    }
    let count = histogram.iter().sum::<u64>().max(1) as f64;
    let mean = histogram.iter().enumerate().map(|(l, n)| l as f64 * *n as f64).sum::<f64>() / count;
    let variance = histogram
        .iter()
        .enumerate()
        .map(|(l, n)| (l as f64 - mean).powi(2) * *n as f64)
        .sum::<f64>()
        / count;
    let share = |range: std::ops::RangeInclusive<usize>| {
        histogram[range].iter().sum::<u64>() as f64 / count
    };
    LumaStats {
        mean,
        stddev: variance.sqrt(),
        dark_share: share(0..=usize::from(DARK_CLIP_LUMA)),
        bright_share: share(usize::from(BRIGHT_CLIP_LUMA)..=255),
    }
}

fn check_exposure(stats: &LumaStats) -> Result<(), PhotoError> {
    if stats.mean < MIN_MEAN_LUMA || stats.dark_share > MAX_CLIPPED_SHARE {
        return Err(PhotoError::TooDark { mean: stats.mean });
    }
    if stats.mean > MAX_MEAN_LUMA || stats.bright_share > MAX_CLIPPED_SHARE {
        return Err(PhotoError::TooBright { mean: stats.mean });
    }
    if stats.stddev < MIN_LUMA_STDDEV {
        return Err(PhotoError::Blank);
    }
    Ok(())
}

/// The JPEG at the best quality that fits, at full size if it can; then scaled down by the
/// square root of how much too large it was (JPEG size goes with the pixel count), with a
/// margin, and tried again. Lower qualities are tried only when they might be enough, and a
/// large picture that a sample shows to be hopeless is scaled before it is encoded whole.
fn encode_within_limit(mut rgb: RgbImage) -> Result<(Vec<u8>, u8, u32, u32), PhotoError> {
    for _ in 0..MAX_SCALING_ROUNDS {
        let too_large = match predicted_jpeg_bytes(&rgb)? {
            Some(predicted) if predicted > 2 * MAX_JPEG_BYTES => predicted,
            _ => {
                let mut smallest = usize::MAX;
                for quality in JPEG_QUALITIES {
                    let jpeg = encode_jpeg(&rgb, quality)?;
                    if jpeg.len() <= MAX_JPEG_BYTES {
                        return Ok((jpeg, quality, rgb.width(), rgb.height()));
                    }
                    smallest = smallest.min(jpeg.len());
                    if jpeg.len() > MAX_JPEG_BYTES / 2 * 3 {
                        // A lower quality saves a third at best: this size cannot fit.
                        break;
                    }
                }
                smallest
            }
        };
        let factor = (MAX_JPEG_BYTES as f64 / too_large as f64).sqrt() * 0.9;
        let scaled = |side: u32| (f64::from(side) * factor).floor() as u32;
        let (width, height) = (scaled(rgb.width()), scaled(rgb.height()));
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            break;
        }
        tracing::debug!(width, height, "photo scaled down to fit");
        // Area averaging: quick, and as good as a filter when only shrinking.
        rgb = image::imageops::thumbnail(&rgb, width, height);
    }
    Err(PhotoError::CannotFit)
}

/// Side of the square sample that predicts a large picture's JPEG size.
const SAMPLE_SIDE: u32 = 1024;

/// The JPEG size at the best quality, predicted from a square from the middle of the picture
/// (the face: its busiest part, so the guess errs large); `None` for a picture small enough to
/// simply encode.
fn predicted_jpeg_bytes(rgb: &RgbImage) -> Result<Option<usize>, PhotoError> {
    let (width, height) = rgb.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    let sample_pixels = u64::from(SAMPLE_SIDE) * u64::from(SAMPLE_SIDE);
    if pixels < 4 * sample_pixels {
        return Ok(None);
    }
    let (x, y) = ((width - SAMPLE_SIDE) / 2, (height - SAMPLE_SIDE) / 2);
    let sample = image::imageops::crop_imm(rgb, x, y, SAMPLE_SIDE, SAMPLE_SIDE).to_image();
    let sample_bytes = encode_jpeg(&sample, JPEG_QUALITIES[0])?.len() as u64;
    Ok(Some(
        usize::try_from(sample_bytes.saturating_mul(pixels) / sample_pixels).unwrap_or(usize::MAX),
    ))
}

fn encode_jpeg(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(rgb)
        .map_err(|source| PhotoError::Encode { source })?;
    Ok(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heic_and_others_are_named() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        let Err(PhotoError::UnsupportedFormat { format }) = sniff_format(heic) else {
            panic!("HEIC not named");
        };
        assert_eq!(format, "HEIC");
        let Err(PhotoError::UnsupportedFormat { format }) = sniff_format(b"GIF89a....") else {
            panic!("GIF not named");
        };
        assert_eq!(format, "GIF");
        assert!(matches!(sniff_format(b"hello"), Err(PhotoError::UnknownFormat)));
        assert!(matches!(sniff_format(b""), Err(PhotoError::Empty)));
    }

    #[test]
    fn exposure_is_checked_before_blankness() {
        let stats = |mean, stddev, dark_share, bright_share| LumaStats {
            mean,
            stddev,
            dark_share,
            bright_share,
        };
        assert!(matches!(
            check_exposure(&stats(0.0, 0.0, 1.0, 0.0)),
            Err(PhotoError::TooDark { .. })
        ));
        assert!(matches!(
            check_exposure(&stats(255.0, 0.0, 0.0, 1.0)),
            Err(PhotoError::TooBright { .. })
        ));
        assert!(matches!(check_exposure(&stats(128.0, 2.0, 0.0, 0.0)), Err(PhotoError::Blank)));
        // A portrait on a white backdrop: much white, but less than half.
        assert!(check_exposure(&stats(180.0, 60.0, 0.0, 0.45)).is_ok());
        assert!(matches!(
            check_exposure(&stats(180.0, 60.0, 0.0, 0.55)),
            Err(PhotoError::TooBright { .. })
        ));
    }

    #[test]
    fn transparency_is_laid_on_white() {
        let clear =
            DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 0])));
        assert_eq!(rgb_on_white(clear).get_pixel(0, 0).0, [255, 255, 255]);
    }
}
