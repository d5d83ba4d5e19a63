//! `kiosk doc read`, `kiosk qr decode` and `kiosk devices` end to end: the real binary against
//! pcscd with vpcd and the virtual passport, against QR images made by `qrencode`.

use std::path::Path;
use std::process::{Command, Output};

use card_readers::emrtd::vcard::{TestPki, VirtualPassport, insert, pcscd, sample_face};
use card_readers::emrtd::{bac, lds};
use serde_json::Value;
use tests::{kiosk, stderr, stdout};

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn mrz_information() -> String {
    let mrz = registry::mrz::parse(MRZ, time::macros::date!(2026 - 11 - 21)).expect("mrz");
    bac::mrz_information(&mrz).expect("dates")
}

fn doc_read(data: &Path, mrz: &str, extra: &[&str]) -> Output {
    kiosk(data)
        .env("KIOSK_LANGUAGE", "en")
        .args(["doc", "read", "--mrz", mrz])
        .args(extra)
        .output()
        .expect("kiosk runs")
}

#[test]
fn doc_read_reads_dg1_and_dg2_through_pcscd_and_checks_them() {
    let _pcscd = pcscd().expect("pcscd with vpcd (scripts/deps.sh test)");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let csca = data.join("csca");
    std::fs::create_dir_all(&csca).expect("csca dir");
    let pki = TestPki::new("UT").expect("pki");
    std::fs::write(csca.join("ut.der"), &pki.csca_der).expect("csca");
    let face = sample_face(20_000);

    let card =
        insert(VirtualPassport::new(&mrz_information(), pki.files(MRZ, &face))).expect("card");
    // The MRZ's lines run together, as a keyboard-wedge scanner may type them.
    let joined: String = MRZ.lines().collect();
    let photo = dir.path().join("face.jpg");
    let out = doc_read(&data, &joined, &["--photo-out", photo.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let json: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["document_number"], "L898902C3");
    assert_eq!(json["surname"], "ERIKSSON");
    assert_eq!(json["given_names"], "ANNA MARIA");
    assert_eq!(json["birth_date"], "1974-08-12");
    assert_eq!(json["passive_authentication"]["passed"], true);
    let checks = json["passive_authentication"]["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 4);
    assert!(checks.iter().all(|c| c["passed"] == true));
    assert_eq!(json["face_image"]["format"], "jpeg");
    assert_eq!(std::fs::read(&photo).expect("photo"), face);
    assert!(stderr(&out).contains("Passive authentication: passed"), "{}", stderr(&out));

    // The wrong MRZ: the chip refuses, and the clerk is told to check the MRZ.
    let wrong = MRZ.replace("1204159", "1204167");
    let out = doc_read(&data, &wrong, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Access denied — check the MRZ"), "{}", stderr(&out));

    // A DG2 changed after signing: read, but passive authentication fails and says where.
    let mut files = pki.files(MRZ, &face);
    let dg2 = files.get_mut(&lds::DG2).expect("dg2");
    let at = dg2.len() - 100;
    dg2[at] ^= 0x01;
    card.swap(VirtualPassport::new(&mrz_information(), files));
    let out = doc_read(&data, MRZ, &[]);
    assert_eq!(out.status.code(), Some(1), "a failed check is never accepted: {}", stderr(&out));
    let json: Value = serde_json::from_str(stdout(&out).trim())
        .unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(json["passive_authentication"]["passed"], false);
    let hashes = json["passive_authentication"]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["check"] == "data_group_hashes")
        .cloned()
        .expect("hash check");
    assert_eq!(hashes["passed"], false);
    assert!(hashes["detail"].as_str().unwrap_or_default().contains("DG2"));

    // kiosk devices sees the reader with its card.
    let out = kiosk(&data).args(["devices", "--json"]).output().expect("kiosk");
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    let readers = json["readers"]["devices"].as_array().expect("readers");
    assert!(
        readers.iter().any(|r| r["name"].as_str().unwrap_or_default().ends_with("00 00")
            && r["card_present"] == true),
        "{json}"
    );
    assert!(json["cameras"]["status"].is_string());
}

#[test]
fn not_an_mrz_and_no_card_get_clear_answers() {
    let _pcscd = pcscd().expect("pcscd");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = doc_read(dir.path(), "HELLO", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not an MRZ"), "{}", stderr(&out));
    let out = doc_read(dir.path(), MRZ, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("No card is on the reader"), "{}", stderr(&out));
}

fn qrencode(path: &Path, payload: &str) {
    let out = Command::new("qrencode")
        .args(["-s", "6", "-m", "4", "-o"])
        .arg(path)
        .arg(payload)
        .output()
        .expect("qrencode (scripts/deps.sh test)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn qr_decode_returns_chinese_payloads_byte_exact() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, payload) in [
        ("hant.png", "預約 A-0001 陳大文 澳門特別行政區"),
        ("hans.png", "预约 粤B-0002 张三 广州市天河区"),
        ("mixed.png", "KQ1|Ticket №7 — Macau 澳門 / Portuguese: ção"),
    ] {
        let path = dir.path().join(name);
        qrencode(&path, payload);
        let out = kiosk(dir.path()).args(["qr", "decode"]).arg(&path).output().expect("kiosk");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(out.stdout, format!("{payload}\n").into_bytes(), "{name}");
    }
    // No code in the picture: exit 1 and a message.
    let blank = dir.path().join("blank.png");
    image::GrayImage::from_pixel(200, 200, image::Luma([255])).save(&blank).expect("png");
    let out = kiosk(dir.path())
        .env("KIOSK_LANGUAGE", "en")
        .args(["qr", "decode"])
        .arg(&blank)
        .output()
        .expect("kiosk");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("No QR code was seen"), "{}", stderr(&out));
}

/// A Mainland ID card reader simulated on the master side of a pseudo-terminal; the kiosk opens
/// the slave side as its serial device.
fn cn_reader(behaviour: card_readers::cn_id::simulator::Behaviour, extra: &[&str]) -> Output {
    use card_readers::cn_id::simulator::SimulatedReader;
    let pty = tests::pty::serial_pty();
    let path = pty.path.clone();
    let simulator = SimulatedReader::new(behaviour).spawn(pty.master);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = kiosk(dir.path())
        .env("KIOSK_LANGUAGE", "en")
        .args(["doc", "read", "--cn-reader"])
        .arg(&path)
        .args(["--timeout-ms", "500"])
        .args(extra)
        .output()
        .expect("kiosk runs");
    drop(pty.slave);
    let _ = simulator.join();
    out
}

#[test]
fn doc_read_reads_a_mainland_id_card_and_survives_garbage() {
    use card_readers::cn_id::simulator::{Behaviour, SimulatedCard};
    let dir = tempfile::tempdir().expect("tempdir");
    let photo = dir.path().join("photo.wlt");
    let out = cn_reader(
        Behaviour::Card(SimulatedCard::example()),
        &["--photo-out", photo.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["name"], "张三");
    assert_eq!(json["id_number"], "11010519491231002X");
    assert_eq!(json["ethnicity"], "汉");
    assert_eq!(json["birth_date"], "1949-12-31");
    assert_eq!(json["address"], "广东省广州市天河区某某路1号");
    assert_eq!(json["authority"], "广州市公安局天河分局");
    assert_eq!(json["valid_to"], Value::Null);
    for field in ["sex", "valid_from"] {
        assert!(json[field].is_string(), "{field}");
    }
    assert_eq!(std::fs::read(&photo).expect("photo").len(), 1024);
    assert!(json.get("photo_wlt").is_none(), "the photo is never printed");

    for behaviour in
        [Behaviour::Garbage, Behaviour::BadChecksum, Behaviour::NoCard, Behaviour::Silent]
    {
        let name = format!("{behaviour:?}");
        let out = cn_reader(behaviour, &[]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{name}");
        assert!(
            !stderr(&out).is_empty() && !stderr(&out).contains("panicked"),
            "{name}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn photo_check_accepts_a_good_photo_and_refuses_a_bad_one_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.png");
    image::RgbImage::from_fn(600, 800, |x, y| {
        let v = ((x * 7 + y * 13) % 200 + 30) as u8;
        image::Rgb([v, v.wrapping_add(10), v.wrapping_sub(10)])
    })
    .save(&good)
    .expect("png");
    let out_file = dir.path().join("good.jpg");
    let out = kiosk(dir.path())
        .args(["photo", "check"])
        .arg(&good)
        .arg("--out")
        .arg(&out_file)
        .output()
        .expect("kiosk");
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    let written = std::fs::read(&out_file).expect("jpeg");
    assert!(written.starts_with(&[0xff, 0xd8]));
    assert!(written.len() <= 3 * 1024 * 1024);
    assert_eq!(json["bytes"].as_u64(), Some(written.len() as u64));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&out_file).expect("out").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a photo is personal data");

    // --out into a FIFO is refused at once (it would hang, or feed whoever reads the pipe).
    let fifo = dir.path().join("photo.fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).expect("fifo");
    let out = kiosk(dir.path())
        .env("KIOSK_LANGUAGE", "en")
        .args(["photo", "check"])
        .arg(&good)
        .arg("--out")
        .arg(&fifo)
        .output()
        .expect("kiosk");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("FIFO"), "{}", stderr(&out));

    let tiny = dir.path().join("tiny.png");
    image::RgbImage::from_pixel(50, 50, image::Rgb([120, 110, 100])).save(&tiny).expect("png");
    let out = kiosk(dir.path())
        .env("KIOSK_LANGUAGE", "en")
        .args(["photo", "check"])
        .arg(&tiny)
        .output()
        .expect("kiosk");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("50"), "the clerk is told the size: {}", stderr(&out));
}

/// A photo that passes the counter's rules, as a JPEG.
fn good_jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(600, 800, |x, y| {
        let v = ((x * 7 + y * 13) % 200 + 30) as u8;
        image::Rgb([v, v.wrapping_add(10), v.wrapping_sub(10)])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Jpeg).expect("jpeg");
    out.into_inner()
}

fn refused(data: &Path, args: &[&std::ffi::OsStr]) -> Output {
    kiosk(data).env("KIOSK_LANGUAGE", "en").args(args).output().expect("kiosk runs")
}

/// `/dev/zero`, a FIFO nobody writes to and a folder are refused at once, naming the file, by
/// both commands that read a picture; before, both read `/dev/zero` until memory ran out and
/// waited on the FIFO for ever.
#[test]
fn qr_decode_and_photo_check_refuse_what_is_not_a_file_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("photo.jpg");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).expect("mkfifo");
    for path in [Path::new("/dev/zero"), &fifo, dir.path()] {
        for command in [["qr", "decode"], ["photo", "check"]] {
            let case = format!("{} {}", command.join(" "), path.display());
            let out =
                refused(dir.path(), &[command[0].as_ref(), command[1].as_ref(), path.as_ref()]);
            assert_eq!(out.status.code(), Some(1), "{case}: {}", stderr(&out));
            assert!(stdout(&out).is_empty(), "{case}");
            let message = stderr(&out);
            assert!(message.contains(&path.display().to_string()), "{case}: {message}");
            assert!(message.contains("is not a file"), "{case}: {message}");
        }
    }
}

/// A good 80 KB photo padded to 64 MB (sparse) is refused by its size, with the limit named;
/// padded by a few bytes it is refused for the bytes after its end. Before, both passed.
#[test]
fn photo_check_refuses_a_padded_photo_and_names_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let jpeg = good_jpeg();
    let photo = dir.path().join("photo.jpg");
    let kept = dir.path().join("kept.jpg");
    let check = |extra: &[&str]| {
        kiosk(dir.path())
            .env("KIOSK_LANGUAGE", "en")
            .args(["photo", "check"])
            .arg(&photo)
            .args(extra)
            .output()
            .expect("kiosk runs")
    };
    std::fs::write(&photo, &jpeg).expect("photo");
    let out = check(&[]);
    assert!(out.status.success(), "the photo itself is good: {}", stderr(&out));

    let file = std::fs::OpenOptions::new().write(true).open(&photo).expect("open");
    file.set_len(64 * 1024 * 1024).expect("sparse padding");
    let out = check(&["--out", kept.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("larger than 20 MB"), "{}", stderr(&out));
    assert!(stderr(&out).contains(&photo.display().to_string()), "{}", stderr(&out));
    assert!(!kept.exists(), "nothing is written for a refused photo");
    let out = kiosk(dir.path())
        .env("KIOSK_LANGUAGE", "en")
        .args(["qr", "decode"])
        .arg(&photo)
        .output()
        .expect("kiosk runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("larger than 32 MB"), "{}", stderr(&out));

    std::fs::write(&photo, [jpeg.as_slice(), &[0u8; 16]].concat()).expect("padded photo");
    let out = check(&["--out", kept.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("after the end of its picture"), "{}", stderr(&out));
    assert!(!kept.exists());
    // In the clerk's language too.
    let out = kiosk(dir.path())
        .env("KIOSK_LANGUAGE", "zh-Hant")
        .args(["photo", "check"])
        .arg(&photo)
        .output()
        .expect("kiosk runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("圖片結尾之後"), "{}", stderr(&out));
}

/// A file the clerk named that is not there is a "no" naming it (exit 1) from both commands;
/// before, `photo check` failed as if the kiosk could not run (exit 70).
#[test]
fn a_missing_file_is_a_no_that_names_it_for_photo_check_and_qr_decode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("陳大文.jpg");
    for command in [["photo", "check"], ["qr", "decode"]] {
        let out =
            refused(dir.path(), &[command[0].as_ref(), command[1].as_ref(), missing.as_ref()]);
        let case = command.join(" ");
        assert_eq!(out.status.code(), Some(1), "{case}: {}", stderr(&out));
        assert!(stderr(&out).contains("does not exist"), "{case}: {}", stderr(&out));
        assert!(stderr(&out).contains(&missing.display().to_string()), "{case}: {}", stderr(&out));
    }
}

#[test]
fn doc_read_warns_of_an_age_no_one_reaches_on_a_mainland_card() {
    use card_readers::cn_id::simulator::{Behaviour, SimulatedCard};
    // GB 11643's own example, born in 1880: a valid card, read as it is, with a warning apart.
    let card = SimulatedCard {
        birth_date: "18800101".into(),
        id_number: "440524188001010014".into(),
        ..SimulatedCard::example()
    };
    let out = cn_reader(Behaviour::Card(card), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["birth_date"], "1880-01-01");
    let age = format!("age of {}", tests::age_today_of_one_born_on_new_years_day(1880));
    assert!(stderr(&out).contains(&age), "{}", stderr(&out));
    let out = cn_reader(Behaviour::Card(SimulatedCard::example()), &[]);
    assert!(stderr(&out).is_empty(), "no warning for a plausible age: {}", stderr(&out));
}
