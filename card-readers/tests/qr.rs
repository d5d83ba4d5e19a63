//! QR codes made with the `qrcode` crate, saved as pictures and read back through zbar byte for
//! byte; the signed appointment pass; the camera behind its trait, fed from files; and the
//! clerk-facing messages of QR, camera and photo errors in every language.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use card_readers::camera::{self, Camera, CameraError, FileCamera};
use card_readers::input::InputError;
use card_readers::photo::PhotoError;
use card_readers::qr::{self, AppointmentPass, PassError, QrError};
use image::{DynamicImage, GrayImage, Luma, Rgba, RgbaImage};
use proptest::prelude::*;
use qrcode::QrCode;
use registry::model::RecordId;
use time::macros::{date, datetime, offset};

const KEY: &[u8] = b"office key of the Macau registry, 32+ bytes long";

/// A QR code as a grey picture: quiet zone on, 6 pixels a module.
fn qr_picture(payload: &[u8]) -> GrayImage {
    QrCode::new(payload)
        .expect("payload fits a QR code")
        .render::<Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(6, 6)
        .build()
}

fn save(dir: &Path, name: &str, picture: &DynamicImage) -> PathBuf {
    let path = dir.join(name);
    picture.save(&path).expect("picture saved");
    path
}

/// Encodes `payload`, saves it as PNG, reads it back with `decode_file`.
fn round_trip(payload: &[u8]) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = save(dir.path(), "code.png", &DynamicImage::ImageLuma8(qr_picture(payload)));
    qr::decode_file(&path).expect("file decodes")
}

fn sample_pass() -> AppointmentPass {
    AppointmentPass {
        appointment: "01JQ8ZK4V6N3C5Y7XW2M9T0ABC".parse::<RecordId>().expect("ULID"),
        reference: "A-0001".to_owned(),
        slot: datetime!(2025-03-14 09:30 +08:00),
    }
}

#[test]
fn ascii_payload_comes_back_exactly() {
    let payload = b"https://registry.example.mo/appointments?ref=A-0001&x=1";
    assert_eq!(round_trip(payload), vec![payload.to_vec()]);
}

#[test]
fn chinese_payloads_come_back_byte_exact() {
    for text in ["預約 A-0001 陳大文", "预约 粤B 张三", "澳門特別行政區 Região Administrativa"]
    {
        assert_eq!(round_trip(text.as_bytes()), vec![text.as_bytes().to_vec()], "{text}");
    }
}

/// zbar left to itself turns these into UTF-8 (é as Latin-1, あい as Shift-JIS); with its binary
/// setting they come back as they went in.
#[test]
fn non_utf8_payloads_are_not_transcoded() {
    let payloads: [&[u8]; 3] =
        [b"\xe9t\xe9 caf\xe9", b"\x82\xa0\x82\xa2", &[0, 1, 2, 0xff, 0xfe, 0x80, 0]];
    for payload in payloads {
        assert_eq!(round_trip(payload), vec![payload.to_vec()], "{payload:02x?}");
    }
}

#[test]
fn appointment_pass_round_trips_through_a_picture() {
    let pass = sample_pass();
    let codes = round_trip(pass.encode(KEY).as_bytes());
    assert_eq!(codes.len(), 1);
    assert_eq!(AppointmentPass::parse_payload(&codes[0], KEY), Ok(pass));
}

#[test]
fn two_codes_in_one_picture_give_both_payloads() {
    let left = qr_picture("預約 A-0001 陳大文".as_bytes());
    let right = qr_picture(b"second code");
    let height = left.height().max(right.height());
    let mut both = GrayImage::from_pixel(left.width() + right.width(), height, Luma([255]));
    image::imageops::replace(&mut both, &left, 0, 0);
    image::imageops::replace(&mut both, &right, i64::from(left.width()), 0);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = save(dir.path(), "both.png", &DynamicImage::ImageLuma8(both));
    let found: BTreeSet<Vec<u8>> = qr::decode_file(&path).expect("decodes").into_iter().collect();
    let expected: BTreeSet<Vec<u8>> =
        ["預約 A-0001 陳大文".as_bytes().to_vec(), b"second code".to_vec()].into_iter().collect();
    assert_eq!(found, expected);
}

#[test]
fn blank_picture_has_no_code() {
    let blank = DynamicImage::ImageLuma8(GrayImage::from_pixel(400, 400, Luma([255])));
    assert!(qr::decode_image(&blank).is_empty());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = save(dir.path(), "blank.png", &blank);
    assert_eq!(qr::decode_file(&path).expect("decodes"), Vec::<Vec<u8>>::new());
}

#[test]
fn jpeg_and_tiff_files_are_read_too() {
    let payload = "预约 粤B 张三".as_bytes();
    let picture = DynamicImage::ImageLuma8(qr_picture(payload));
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["code.jpg", "code.tiff"] {
        let path = save(dir.path(), name, &picture);
        assert_eq!(qr::decode_file(&path).expect("decodes"), vec![payload.to_vec()], "{name}");
    }
}

#[test]
fn light_code_on_dark_ground_is_read() {
    let mut inverted = qr_picture(b"dark mode phone");
    image::imageops::invert(&mut inverted);
    let found = qr::decode_image(&DynamicImage::ImageLuma8(inverted));
    assert_eq!(found, vec![b"dark mode phone".to_vec()]);
}

#[test]
fn dark_code_on_transparent_ground_is_read() {
    let code = qr_picture(b"transparent");
    let rgba = RgbaImage::from_fn(code.width(), code.height(), |x, y| {
        if code.get_pixel(x, y).0[0] < 128 { Rgba([0, 0, 0, 255]) } else { Rgba([0, 0, 0, 0]) }
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = save(dir.path(), "clear.png", &DynamicImage::ImageRgba8(rgba));
    assert_eq!(qr::decode_file(&path).expect("decodes"), vec![b"transparent".to_vec()]);
}

#[test]
fn camera_frames_in_grey_are_read() {
    let code = qr_picture(b"frame");
    let (width, height) = code.dimensions();
    let mut frame = code.into_raw();
    assert_eq!(qr::decode_frame(&frame, width, height).expect("decodes"), vec![b"frame".to_vec()]);
    frame.truncate(frame.len() - 1);
    let error = qr::decode_frame(&frame, width, height).expect_err("a byte short");
    assert!(matches!(error, QrError::FrameSize { .. }));
}

#[test]
fn unreadable_files_say_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = qr::decode_file(dir.path().join("missing.png")).expect_err("no file");
    assert!(
        matches!(missing, QrError::File { source: InputError::NotFound { .. } }),
        "{missing:?}"
    );
    assert!(missing.message_args().iter().any(|(_, v)| v.ends_with("missing.png")));
    // A device never ends: refused before a byte is read.
    let zero = qr::decode_file("/dev/zero").expect_err("a device");
    assert!(matches!(zero, QrError::File { source: InputError::NotAFile { .. } }), "{zero:?}");
    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not a picture").expect("written");
    let not_picture = qr::decode_file(&text).expect_err("not a picture");
    assert!(matches!(not_picture, QrError::Image { .. }), "{not_picture:?}");
}

#[test]
fn pass_text_has_the_documented_shape() {
    let text = sample_pass().encode(KEY);
    let fields: Vec<&str> = text.split('|').collect();
    assert_eq!(fields.len(), qr::PASS_FIELDS);
    assert_eq!(
        &fields[..4],
        ["KQ1", "01JQ8ZK4V6N3C5Y7XW2M9T0ABC", "A-0001", "2025-03-14T09:30:00+08:00"]
    );
    assert_eq!(fields[4].len(), 64);
    assert!(fields[4].bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
    // Signing is deterministic: the same appointment gives the same QR code.
    assert_eq!(sample_pass().encode(KEY), text);
}

#[test]
fn references_with_separators_survive() {
    for reference in ["A|B", "50%", "%7C", "預約|%"] {
        let pass = AppointmentPass { reference: reference.to_owned(), ..sample_pass() };
        let text = pass.encode(KEY);
        assert_eq!(text.split('|').count(), qr::PASS_FIELDS, "{text}");
        assert_eq!(AppointmentPass::parse(&text, KEY), Ok(pass));
    }
}

#[test]
fn a_scanners_line_end_is_ignored() {
    let text = format!("{}\r\n", sample_pass().encode(KEY));
    assert_eq!(AppointmentPass::parse(&text, KEY), Ok(sample_pass()));
}

#[test]
fn altered_pass_is_forged() {
    let text = sample_pass().encode(KEY);
    let altered = text.replacen("A-0001", "A-0002", 1);
    assert_eq!(AppointmentPass::parse(&altered, KEY), Err(PassError::Forged));
    let moved = text.replacen("09:30", "10:30", 1);
    assert_eq!(AppointmentPass::parse(&moved, KEY), Err(PassError::Forged));
    let other_id = text.replacen("01JQ8ZK4V6", "01JQ8ZK4V7", 1);
    assert_eq!(AppointmentPass::parse(&other_id, KEY), Err(PassError::Forged));
}

#[test]
fn pass_signed_with_another_key_is_forged() {
    let text = sample_pass().encode(b"another office");
    assert_eq!(AppointmentPass::parse(&text, KEY), Err(PassError::Forged));
}

#[test]
fn every_single_character_change_is_refused() {
    let text = sample_pass().encode(KEY);
    for (at, original) in text.char_indices() {
        for replacement in ['0', '7', 'A', 'F', 'a', '|', '%', ' ', '預'] {
            if replacement == original {
                continue;
            }
            let mut altered = text.clone();
            altered.replace_range(at..at + original.len_utf8(), &replacement.to_string());
            assert!(
                AppointmentPass::parse(&altered, KEY).is_err(),
                "changing {original:?} at {at} to {replacement:?} was accepted"
            );
        }
    }
}

#[test]
fn malformed_passes_say_what_is_wrong() {
    let text = sample_pass().encode(KEY);
    let (signed, tag) = text.rsplit_once('|').expect("tag");
    let cases: Vec<(String, PassError)> = vec![
        (String::new(), PassError::NotAPass),
        ("https://example.mo/A-0001".to_owned(), PassError::NotAPass),
        (text.replacen("KQ1", "XX1", 1), PassError::NotAPass),
        (text.replacen("KQ1", "KQ", 1), PassError::NotAPass),
        (text.replacen("KQ1", "kq1", 1), PassError::NotAPass),
        (text.replacen("KQ1", "KQ2", 1), PassError::UnsupportedVersion { version: "2".into() }),
        (signed.to_owned(), PassError::WrongFieldCount { found: 4 }),
        (format!("{text}|extra"), PassError::WrongFieldCount { found: 6 }),
        ("KQ1".to_owned(), PassError::WrongFieldCount { found: 1 }),
        (text[..text.len() - 1].to_owned(), PassError::BadMacEncoding),
        (format!("{signed}|{}", tag.to_lowercase()), PassError::BadMacEncoding),
        (format!("{signed}|"), PassError::BadMacEncoding),
        (
            text.replacen("01JQ8ZK4V6N3C5Y7XW2M9T0ABC", "01JQ8ZK4V6N3C5Y7XW2M9T0AB", 1),
            PassError::BadAppointmentId,
        ),
        (
            text.replacen("01JQ8ZK4V6N3C5Y7XW2M9T0ABC", "not-a-ulid-not-a-ulid-xxxx", 1),
            PassError::BadAppointmentId,
        ),
        (text.replacen("A-0001", "", 1), PassError::BadReference),
        (text.replacen("A-0001", "A%2", 1), PassError::BadReference),
        (
            text.replacen("2025-03-14T09:30:00+08:00", "2025-02-30T09:30:00+08:00", 1),
            PassError::BadSlot,
        ),
        (text.replacen("2025-03-14T09:30:00+08:00", "14/03/2025 09:30", 1), PassError::BadSlot),
    ];
    for (payload, expected) in cases {
        assert_eq!(AppointmentPass::parse(&payload, KEY), Err(expected), "{payload:?}");
    }
    assert_eq!(AppointmentPass::parse_payload(b"\xff\xfe", KEY), Err(PassError::NotAPass));
}

#[test]
fn slot_day_is_the_office_day() {
    // Half past midnight in Macau is still the day before in UTC.
    let pass = AppointmentPass { slot: datetime!(2025-03-15 00:30 +08:00), ..sample_pass() };
    assert!(pass.is_for_day(date!(2025 - 03 - 15), offset!(+8)));
    assert!(!pass.is_for_day(date!(2025 - 03 - 14), offset!(+8)));
    assert!(pass.is_for_day(date!(2025 - 03 - 14), offset!(UTC)));
    let round = AppointmentPass::parse(&pass.encode(KEY), KEY).expect("valid");
    assert!(round.is_for_day(date!(2025 - 03 - 15), offset!(+8)));
}

#[test]
fn pass_from_an_appointment() {
    let appointment = registry::model::Appointment {
        id: RecordId::new(),
        reference: "G-0042".to_owned(),
        person: None,
        organisation: None,
        booked_name: "张三".to_owned(),
        service: registry::model::Service::Renewal,
        slot: datetime!(2025-06-02 14:00 +08:00),
        status: registry::model::AppointmentStatus::Booked,
    };
    let pass = AppointmentPass::from(&appointment);
    let text = pass.encode(KEY);
    assert!(!text.contains("张三"), "the booked name stays out of the code");
    let read = AppointmentPass::parse(&text, KEY).expect("valid");
    assert_eq!((read.appointment, read.reference.as_str()), (appointment.id, "G-0042"));
    assert_eq!(read.slot, appointment.slot);
}

#[test]
fn file_camera_finds_a_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blank = save(
        dir.path(),
        "blank.png",
        &DynamicImage::ImageLuma8(GrayImage::from_pixel(300, 300, Luma([200]))),
    );
    let code = save(
        dir.path(),
        "code.png",
        &DynamicImage::ImageLuma8(qr_picture("預約 A-0001".as_bytes())),
    );
    let mut camera = FileCamera::open([&blank, &code]).expect("files read");
    assert_eq!(camera.info().index, None);
    assert_eq!(camera::scan_qr(&mut camera, 1), None, "the first frame is blank");
    // The blank frame came and went; the code is next.
    assert_eq!(camera::scan_qr(&mut camera, 1), Some("預約 A-0001".as_bytes().to_vec()));
    let mut again = FileCamera::open([&blank, &code]).expect("files read");
    let boxed: &mut dyn Camera = &mut again;
    assert_eq!(camera::scan_qr(boxed, 5), Some("預約 A-0001".as_bytes().to_vec()));
    assert_eq!(camera::scan_qr(&mut FileCamera::open([&blank]).expect("read"), 3), None);
}

#[test]
fn file_camera_reports_bad_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = FileCamera::open([dir.path().join("missing.jpg")]).expect_err("no file");
    assert!(matches!(missing, CameraError::FileUnreadable { .. }), "{missing:?}");
    let zero = FileCamera::open(["/dev/zero"]).expect_err("a device");
    assert!(
        matches!(zero, CameraError::FileUnreadable { source: InputError::NotAFile { .. } }),
        "{zero:?}"
    );
    let text = dir.path().join("notes.jpg");
    std::fs::write(&text, "not a picture").expect("written");
    let not_picture = FileCamera::open([&text]).expect_err("not a picture");
    assert!(matches!(not_picture, CameraError::FileNotPicture { .. }), "{not_picture:?}");
    let none = FileCamera::open(Vec::<PathBuf>::new()).expect_err("no files");
    assert!(matches!(none, CameraError::NoFrames));
}

/// This machine has no camera (no V4L2 at all). Listing must say so without panicking, and
/// anywhere else the list must match the devices there are.
#[test]
fn listing_cameras_never_panics_and_tells_the_truth() {
    match camera::list_cameras() {
        Ok(cameras) => {
            #[cfg(target_os = "linux")]
            {
                let nodes = std::fs::read_dir("/dev")
                    .map(|entries| {
                        entries
                            .filter_map(Result::ok)
                            .filter(|e| e.file_name().to_string_lossy().starts_with("video"))
                            .count()
                    })
                    .unwrap_or(0);
                assert_eq!(cameras.len(), nodes, "one camera per /dev/video* node");
            }
            if cameras.is_empty() {
                let error = camera::open_camera(0).err().expect("nothing to open");
                assert!(matches!(error, CameraError::NoCamera), "{error:?}");
                assert_eq!(error.message_id(), "camera-error-no-camera");
                assert!(error.suggests_photo_file());
            }
        }
        Err(error) => {
            assert!(
                matches!(
                    error,
                    CameraError::Unsupported | CameraError::Query { .. } | CameraError::Crashed
                ),
                "{error:?}"
            );
            assert!(error.suggests_photo_file());
        }
    }
}

// ---- messages -------------------------------------------------------------------------------

fn locale_file(lang: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../i18n/locales").join(lang).join("qr_camera.ftl")
}

/// `id = text` messages of a Fluent file; indented lines (a selector's variants) continue the
/// message above them.
fn messages(lang: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(locale_file(lang)).expect("qr_camera.ftl readable");
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        if line.starts_with(' ') {
            let (_, value) = out.last_mut().unwrap_or_else(|| panic!("{lang}: {line}"));
            value.push('\n');
            value.push_str(line);
            continue;
        }
        let (id, value) = line.split_once(" = ").unwrap_or_else(|| panic!("{lang}: {line}"));
        out.push((id.to_owned(), value.to_owned()));
    }
    out
}

fn all_ids() -> Vec<&'static str> {
    [
        QrError::ALL_MESSAGE_IDS,
        PassError::ALL_MESSAGE_IDS,
        CameraError::ALL_MESSAGE_IDS,
        PhotoError::ALL_MESSAGE_IDS,
        InputError::ALL_MESSAGE_IDS,
        qr::OTHER_MESSAGE_IDS,
    ]
    .concat()
}

#[test]
fn message_ids_are_unique() {
    let ids = all_ids();
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
}

#[test]
fn every_message_is_in_every_language_with_its_arguments() {
    let english: std::collections::BTreeMap<String, String> = messages("en").into_iter().collect();
    for lang in ["en", "zh-Hant", "zh-Hans", "pt"] {
        let list = messages(lang);
        let ids: BTreeSet<&str> = list.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids.len(), list.len(), "{lang} repeats an id");
        let expected: BTreeSet<&str> = all_ids().into_iter().collect();
        assert_eq!(ids, expected, "{lang} has other ids than the code");
        for (id, text) in &list {
            assert!(!text.trim().is_empty(), "{lang} {id} is empty");
            if lang != "en" {
                assert_ne!(Some(text), english.get(id), "{lang} {id} is not translated");
            }
            // Every argument a message uses is one English uses too.
            for part in text.split("{ $").skip(1) {
                let arg = part.split(' ').next().unwrap_or_default();
                let en = english.get(id).expect("English has it");
                assert!(en.contains(&format!("{{ ${arg} }}")), "{lang} {id} uses ${arg}");
            }
        }
    }
}

#[test]
fn message_arguments_are_those_the_messages_use() {
    let english: std::collections::BTreeMap<String, String> = messages("en").into_iter().collect();
    let io = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
    let refused = || InputError::Unreadable { file: "photo.jpg".into(), source: io() };
    let samples: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            QrError::File { source: refused() }.message_id(),
            QrError::File { source: refused() }.message_args(),
        ),
        {
            let e = QrError::FrameSize { width: 2, height: 2, needed: 4, found: 1 };
            (e.message_id(), e.message_args())
        },
        {
            let e = PassError::UnsupportedVersion { version: "2".into() };
            (e.message_id(), e.message_args())
        },
        {
            let e = PassError::WrongFieldCount { found: 4 };
            (e.message_id(), e.message_args())
        },
        {
            let e = CameraError::NoSuchCamera { index: 3, count: 1 };
            (e.message_id(), e.message_args())
        },
        {
            let e = CameraError::FileUnreadable { source: refused() };
            (e.message_id(), e.message_args())
        },
        {
            let e = PhotoError::TooSmall { width: 10, height: 20 };
            (e.message_id(), e.message_args())
        },
        {
            let e = PhotoError::UnsupportedFormat { format: "BMP".into() };
            (e.message_id(), e.message_args())
        },
        (PhotoError::TooLarge.message_id(), PhotoError::TooLarge.message_args()),
        {
            let e = InputError::TooLarge { file: "scan.tif".into(), max_mb: 32 };
            (e.message_id(), e.message_args())
        },
        {
            let e = InputError::TrailingData { file: "photo.jpg".into(), extra: 3 };
            (e.message_id(), e.message_args())
        },
        {
            let e = InputError::NotAFile { file: "/dev/zero".into() };
            (e.message_id(), e.message_args())
        },
    ];
    for (id, args) in samples {
        let text = english.get(id).unwrap_or_else(|| panic!("no message {id}"));
        for (name, _) in args {
            assert!(text.contains(&format!("{{ ${name} }}")), "{id} does not show ${name}");
        }
    }
}

// ---- never panics ---------------------------------------------------------------------------

proptest! {
    #[test]
    fn parsing_any_text_never_panics(text in ".{0,200}") {
        let _ = AppointmentPass::parse(&text, KEY);
    }

    #[test]
    fn parsing_pass_like_text_never_panics(
        fields in proptest::collection::vec("[0-9A-Za-z%|:+\\-T 預]{0,40}", 0..7)
    ) {
        let text = format!("KQ1|{}", fields.join("|"));
        prop_assert!(AppointmentPass::parse(&text, KEY).is_err());
    }

    #[test]
    fn parsing_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = AppointmentPass::parse_payload(&bytes, KEY);
    }

    #[test]
    fn any_pass_round_trips(
        reference in "\\PC{1,30}",
        minutes in 0i64..(200 * 366 * 24 * 60),
        offset_quarters in -48i8..=56,
    ) {
        let offset = time::UtcOffset::from_whole_seconds(i32::from(offset_quarters) * 15 * 60)
            .expect("offset in range");
        let slot = (datetime!(1990-01-01 00:00 UTC) + time::Duration::minutes(minutes))
            .to_offset(offset);
        let pass = AppointmentPass { reference, slot, ..sample_pass() };
        let text = pass.encode(KEY);
        prop_assert_eq!(AppointmentPass::parse(&text, KEY), Ok(pass));
    }
}
