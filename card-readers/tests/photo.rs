//! Photo checks on synthetic pictures: what is accepted comes out as a JPEG within the size
//! limit, and each kind of bad photo is refused with its own reason.

use std::io::Cursor;

use card_readers::photo::{self, PhotoError, PhotoFormat, check_photo};
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::{DynamicImage, ImageEncoder, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use proptest::prelude::*;

/// A small deterministic generator, so that every run sees the same pictures.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u8 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
    }
}

/// Something like a portrait: a gradient with a darker oval in the middle and some grain.
fn portrait(width: u32, height: u32, grain: u8) -> RgbImage {
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    RgbImage::from_fn(width, height, |x, y| {
        let base = 60 + (140 * y / height) as i32;
        let (dx, dy) = (x as f64 / width as f64 - 0.5, y as f64 / height as f64 - 0.45);
        let face = if dx * dx / 0.06 + dy * dy / 0.1 < 1.0 { -30 } else { 20 };
        let jitter = i32::from(noise.next() % grain.max(1)) - i32::from(grain / 2);
        let v = |shift: i32| (base + face + jitter + shift).clamp(0, 255) as u8;
        Rgb([v(10), v(0), v(-10)])
    })
}

fn encoded(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    picture.write_to(&mut bytes, format).expect("encodes");
    bytes.into_inner()
}

fn assert_kept_jpeg(accepted: &photo::AcceptedPhoto) {
    assert!(accepted.jpeg.len() <= photo::MAX_JPEG_BYTES, "{} bytes", accepted.jpeg.len());
    assert_eq!(image::guess_format(&accepted.jpeg).expect("known"), ImageFormat::Jpeg);
    let back = image::load_from_memory(&accepted.jpeg).expect("JPEG decodes");
    assert_eq!((back.width(), back.height()), (accepted.width, accepted.height));
    let digest = ring::digest::digest(&ring::digest::SHA256, &accepted.jpeg);
    assert_eq!(accepted.sha256, hex::encode(digest));
    assert_eq!(accepted.sha256.len(), 64);
}

#[test]
fn a_good_photo_is_kept_from_each_format() {
    let picture = DynamicImage::ImageRgb8(portrait(600, 800, 24));
    for (format, expected) in [
        (ImageFormat::Png, PhotoFormat::Png),
        (ImageFormat::Jpeg, PhotoFormat::Jpeg),
        (ImageFormat::Tiff, PhotoFormat::Tiff),
    ] {
        let accepted = check_photo(&encoded(&picture, format)).expect("accepted");
        assert_eq!(accepted.source_format, expected);
        assert_eq!((accepted.width, accepted.height), (600, 800), "kept at full size");
        assert_eq!(accepted.quality, photo::JPEG_QUALITIES[0]);
        assert_kept_jpeg(&accepted);
        let debug = format!("{accepted:?}");
        assert!(debug.contains("jpeg_bytes") && debug.len() < 600, "{debug}");
    }
}

#[test]
fn a_large_noisy_photo_is_made_to_fit() {
    // Pure noise: the worst case for JPEG, far over 3 MB at full size. Written with the fast PNG
    // compression, which changes nothing for the check and saves time in debug builds.
    let mut noise = Noise(5);
    let pixels: Vec<u8> = std::iter::repeat_with(|| noise.next()).take(4000 * 5000 * 3).collect();
    let picture = RgbImage::from_raw(4000, 5000, pixels).expect("sized");
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, PngFilter::NoFilter)
        .write_image(picture.as_raw(), 4000, 5000, image::ExtendedColorType::Rgb8)
        .expect("encodes");
    assert!(png.len() > photo::MAX_JPEG_BYTES);
    let accepted = check_photo(&png).expect("accepted");
    assert_kept_jpeg(&accepted);
    assert!(accepted.width < 4000 && accepted.height < 5000, "{accepted:?}");
    assert!(accepted.width >= photo::MIN_WIDTH && accepted.height >= photo::MIN_HEIGHT);
    // The shape is kept.
    let ratio = f64::from(accepted.width) / f64::from(accepted.height);
    assert!((ratio - 0.8).abs() < 0.01, "{ratio}");
}

#[test]
fn a_photo_with_transparency_is_laid_on_white() {
    let opaque = portrait(600, 800, 24);
    let mut rgba = RgbaImage::from_fn(600, 800, |x, y| {
        let Rgb([r, g, b]) = *opaque.get_pixel(x, y);
        Rgba([r, g, b, 255])
    });
    for pixel in rgba.pixels_mut().take(600 * 100) {
        *pixel = Rgba([0, 0, 0, 0]);
    }
    let accepted =
        check_photo(&encoded(&DynamicImage::ImageRgba8(rgba), ImageFormat::Png)).expect("accepted");
    assert!(accepted.stats.dark_share < 0.01, "transparent turned black: {:?}", accepted.stats);
}

#[test]
fn the_cameras_turn_is_applied() {
    // A landscape JPEG whose EXIF says "turn 90° clockwise to view": a portrait once turned.
    let landscape = DynamicImage::ImageRgb8(portrait(800, 600, 24));
    let exif = [
        b"II*\0".as_slice(),
        &8u32.to_le_bytes(),
        &1u16.to_le_bytes(),
        &0x0112u16.to_le_bytes(), // Orientation
        &3u16.to_le_bytes(),      // SHORT
        &1u32.to_le_bytes(),
        &6u16.to_le_bytes(),
        &[0, 0],
        &0u32.to_le_bytes(),
    ]
    .concat();
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90);
    encoder.set_exif_metadata(exif).expect("EXIF accepted");
    encoder.encode_image(&landscape).expect("encodes");
    let accepted = check_photo(&jpeg).expect("accepted");
    assert_eq!((accepted.width, accepted.height), (600, 800));
}

#[test]
fn a_small_photo_is_refused() {
    let small = DynamicImage::ImageRgb8(portrait(200, 300, 24));
    let error = check_photo(&encoded(&small, ImageFormat::Png)).expect_err("too small");
    assert!(matches!(error, PhotoError::TooSmall { width: 200, height: 300 }), "{error:?}");
    let lying = DynamicImage::ImageRgb8(portrait(800, 399, 24));
    let error = check_photo(&encoded(&lying, ImageFormat::Jpeg)).expect_err("too short");
    assert!(matches!(error, PhotoError::TooSmall { width: 800, height: 399 }), "{error:?}");
}

#[test]
fn white_black_and_grey_pictures_are_refused_each_for_its_reason() {
    let plain = |v: u8| {
        encoded(
            &DynamicImage::ImageRgb8(RgbImage::from_pixel(600, 800, Rgb([v, v, v]))),
            ImageFormat::Png,
        )
    };
    let white = check_photo(&plain(255)).expect_err("white");
    assert!(matches!(white, PhotoError::TooBright { .. }), "{white:?}");
    let black = check_photo(&plain(0)).expect_err("black");
    assert!(matches!(black, PhotoError::TooDark { .. }), "{black:?}");
    let grey = check_photo(&plain(128)).expect_err("grey");
    assert!(matches!(grey, PhotoError::Blank), "{grey:?}");
    // A grey wall with sensor grain is still blank.
    let mut noise = Noise(7);
    let wall = RgbImage::from_fn(600, 800, |_, _| {
        let v = 120 + noise.next() % 6;
        Rgb([v, v, v])
    });
    let wall = check_photo(&encoded(&DynamicImage::ImageRgb8(wall), ImageFormat::Png));
    assert!(matches!(wall, Err(PhotoError::Blank)), "{wall:?}");
}

#[test]
fn an_underexposed_portrait_is_too_dark() {
    let dim = RgbImage::from_fn(600, 800, |x, y| {
        let v = ((x + y) % 40) as u8;
        Rgb([v, v, v])
    });
    let error = check_photo(&encoded(&DynamicImage::ImageRgb8(dim), ImageFormat::Png));
    assert!(matches!(error, Err(PhotoError::TooDark { .. })), "{error:?}");
}

/// A 600x800 24-bit BMP, written by hand: this build of `image` cannot write BMP.
fn bmp() -> Vec<u8> {
    let (width, height) = (600u32, 800u32);
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"BM");
    bytes.extend_from_slice(&(54 + pixels).to_le_bytes());
    bytes.extend_from_slice(&[0; 4]);
    bytes.extend_from_slice(&54u32.to_le_bytes());
    bytes.extend_from_slice(&40u32.to_le_bytes());
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&24u16.to_le_bytes());
    bytes.extend_from_slice(&[0; 24]);
    bytes.resize(bytes.len() + pixels as usize, 0x80);
    bytes
}

#[test]
fn other_formats_are_refused_by_name() {
    let error = check_photo(&bmp()).expect_err("BMP");
    assert!(
        matches!(&error, PhotoError::UnsupportedFormat { format } if format == "BMP"),
        "{error:?}"
    );
    let gif = b"GIF89a\x58\x02\x20\x03\x00\x00\x00;";
    let error = check_photo(gif).expect_err("GIF");
    assert!(
        matches!(&error, PhotoError::UnsupportedFormat { format } if format == "GIF"),
        "{error:?}"
    );
    // A file name says nothing: a PNG is a PNG whatever it is called, since only bytes come in.
}

#[test]
fn random_bytes_empty_and_damaged_files_are_refused() {
    let mut noise = Noise(42);
    let random: Vec<u8> = std::iter::repeat_with(|| noise.next()).take(10_000).collect();
    let error = check_photo(&random).expect_err("random");
    assert!(matches!(error, PhotoError::UnknownFormat), "{error:?}");
    assert!(matches!(check_photo(&[]), Err(PhotoError::Empty)));
    let jpeg = encoded(&DynamicImage::ImageRgb8(portrait(600, 800, 24)), ImageFormat::Jpeg);
    // The JPEG decoder would fill the missing half with grey; the missing end marker gives it away.
    let error = check_photo(&jpeg[..jpeg.len() / 2]).expect_err("cut short");
    assert!(matches!(error, PhotoError::Truncated), "{error:?}");
    let error = check_photo(&jpeg[..jpeg.len() - 2]).expect_err("end marker missing");
    assert!(matches!(error, PhotoError::Truncated), "{error:?}");
    let png = encoded(&DynamicImage::ImageRgb8(portrait(600, 800, 24)), ImageFormat::Png);
    let error = check_photo(&png[..png.len() / 2]).expect_err("cut short");
    assert!(matches!(error, PhotoError::Truncated), "{error:?}");
}

#[test]
fn pictures_too_large_to_open_are_refused_before_decoding() {
    let wide = DynamicImage::ImageLuma8(image::GrayImage::new(photo::MAX_SIDE + 1, 1));
    let error = check_photo(&encoded(&wide, ImageFormat::Png)).expect_err("too wide");
    assert!(matches!(error, PhotoError::TooLarge), "{error:?}");
}

#[test]
fn message_ids_cover_every_refusal() {
    let refusals = [
        check_photo(&[]).expect_err("empty"),
        check_photo(b"hello").expect_err("unknown"),
        check_photo(&bmp()).expect_err("bmp"),
        check_photo(b"\x89PNG\r\n\x1a\n").expect_err("damaged"),
    ];
    for error in refusals {
        assert!(PhotoError::ALL_MESSAGE_IDS.contains(&error.message_id()), "{error:?}");
    }
    let unique: std::collections::BTreeSet<_> = PhotoError::ALL_MESSAGE_IDS.iter().collect();
    assert_eq!(unique.len(), PhotoError::ALL_MESSAGE_IDS.len());
}

proptest! {
    #[test]
    fn any_bytes_are_answered_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = check_photo(&bytes);
    }

    #[test]
    fn any_bytes_after_a_known_signature_are_answered_without_panic(
        signature in prop::sample::select(vec![
            b"\x89PNG\r\n\x1a\n".to_vec(),
            vec![0xff, 0xd8, 0xff],
            b"II*\0".to_vec(),
            b"MM\0*".to_vec(),
        ]),
        rest in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let bytes = [signature, rest].concat();
        if let Err(error) = check_photo(&bytes) {
            prop_assert!(PhotoError::ALL_MESSAGE_IDS.contains(&error.message_id()));
        }
    }

    #[test]
    fn damaged_copies_of_a_real_photo_are_answered_without_panic(
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        static PNG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let mut png = PNG
            .get_or_init(|| encoded(&DynamicImage::ImageRgb8(portrait(320, 400, 24)), ImageFormat::Png))
            .clone();
        for (at, byte) in cuts {
            let at = at.index(png.len());
            png[at] = byte;
        }
        let _ = check_photo(&png);
    }
}
