//! Reading the files a clerk names: devices, FIFOs and folders are refused before a byte is read,
//! files over the cap are refused by their size, and pictures with bytes after their end are
//! refused, each with the file's name in the message.

use std::io::Cursor;
use std::path::Path;

use card_readers::input::{InputError, MAX_PHOTO_FILE_BYTES, read_file, read_picture};
use image::{DynamicImage, ImageFormat, RgbImage};

fn picture(format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(320, 400, |x, y| image::Rgb([(x / 2) as u8, (y / 2) as u8, 120]));
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img).write_to(&mut out, format).expect("encodes");
    out.into_inner()
}

fn names(error: &InputError, path: &Path) -> bool {
    let file = path.display().to_string();
    error.message_args().iter().any(|(name, value)| *name == "file" && *value == file)
}

#[test]
fn devices_fifos_and_folders_are_refused_without_being_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("photo.jpg");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).expect("mkfifo");
    // No writer ever opens the FIFO: a reader that waited for one would never return.
    for path in [Path::new("/dev/zero"), &fifo, dir.path()] {
        let error = read_file(path, MAX_PHOTO_FILE_BYTES).expect_err("not a file");
        assert!(matches!(error, InputError::NotAFile { .. }), "{}: {error:?}", path.display());
        assert!(names(&error, path), "{}", path.display());
    }
    // Through a symbolic link too.
    let link = dir.path().join("link.png");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    let error = read_picture(&link, MAX_PHOTO_FILE_BYTES).expect_err("a device behind a link");
    assert!(matches!(error, InputError::NotAFile { .. }), "{error:?}");

    let missing = dir.path().join("missing.jpg");
    let error = read_file(&missing, MAX_PHOTO_FILE_BYTES).expect_err("missing");
    assert!(error.is_not_found() && names(&error, &missing), "{error:?}");
}

#[test]
fn a_file_over_the_cap_is_refused_by_its_size_with_the_cap_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("padded.jpg");
    let jpeg = picture(ImageFormat::Jpeg);
    std::fs::write(&path, &jpeg).expect("written");
    // Sparse: the padding takes no disk.
    let file = std::fs::OpenOptions::new().write(true).open(&path).expect("open");
    file.set_len(64 * 1024 * 1024).expect("grow");
    let error = read_file(&path, MAX_PHOTO_FILE_BYTES).expect_err("too large");
    assert!(matches!(error, InputError::TooLarge { max_mb: 20, .. }), "{error:?}");
    assert!(error.message_args().contains(&("max", "20".to_owned())));
    assert!(names(&error, &path));
    // Exactly at the cap is still read.
    file.set_len(1000).expect("shrink");
    assert_eq!(read_file(&path, 1000).expect("at the cap").len(), 1000);
    assert!(matches!(read_file(&path, 999), Err(InputError::TooLarge { .. })));
}

#[test]
fn pictures_with_bytes_after_their_end_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (format, name) in [(ImageFormat::Jpeg, "a.jpg"), (ImageFormat::Png, "a.png")] {
        let bytes = picture(format);
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("written");
        assert_eq!(read_picture(&path, MAX_PHOTO_FILE_BYTES).expect("a clean picture"), bytes);
        std::fs::write(&path, [bytes.as_slice(), b"trailer"].concat()).expect("written");
        let error = read_picture(&path, MAX_PHOTO_FILE_BYTES).expect_err("trailing bytes");
        assert!(matches!(error, InputError::TrailingData { extra: 7, .. }), "{name}: {error:?}");
        assert!(names(&error, &path));
        // Plain reading does not judge the content.
        assert!(read_file(&path, MAX_PHOTO_FILE_BYTES).is_ok());
    }
    // TIFF marks no end: the cap bounds it.
    let tiff = dir.path().join("a.tif");
    std::fs::write(&tiff, [picture(ImageFormat::Tiff).as_slice(), b"trailer"].concat())
        .expect("written");
    assert!(read_picture(&tiff, MAX_PHOTO_FILE_BYTES).is_ok());
}
