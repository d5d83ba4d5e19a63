//! `kiosk id check` and `kiosk mrz parse` as scripts use them: exit codes, output, messages.

use tests::{kiosk, run_with_stdin, stderr, stdout};

fn id_check(kind: &str, value: &str, lang: &str) -> std::process::Output {
    let dir = tempfile::tempdir().expect("tempdir");
    kiosk(dir.path())
        .args(["--lang", lang, "id", "check", "--kind", kind, value])
        .output()
        .expect("kiosk runs")
}

#[test]
fn valid_numbers_exit_0_and_print_the_normalised_form() {
    let cases = [
        ("cn-resident", "11010519491231002x", "11010519491231002X"),
        ("uscc", "91350100M000100Y43", "91350100M000100Y43"),
        ("hk", "A1234563", "A123456(3)"),
        ("hk", "AB987654(3)", "AB987654(3)"),
        ("mo", "1234567(3)", "1234567(3)"),
        ("mo", "51234568", "5123456(8)"),
    ];
    for (kind, value, normalised) in cases {
        let out = id_check(kind, value, "en");
        assert_eq!(out.status.code(), Some(0), "{kind} {value}: {}", stderr(&out));
        assert_eq!(stdout(&out).trim(), normalised, "{kind} {value}");
    }
}

#[test]
fn invalid_numbers_exit_1_with_the_reason_in_the_clerks_language() {
    let cases = [
        ("cn-resident", "110105194912310021"), // wrong check digit
        ("cn-resident", "110105194902300028"), // 30 February
        ("uscc", "91350100M000100Y44"),
        ("uscc", "91350100M000I00Y43"), // I is not in the alphabet
        ("hk", "A123456(4)"),
        ("mo", "2234567(3)"), // Macau numbers start with 1, 5 or 7
        ("mo", ""),
    ];
    for (kind, value) in cases {
        let out = id_check(kind, value, "en");
        assert_eq!(out.status.code(), Some(1), "{kind} {value:?} should be invalid");
        assert!(stdout(&out).is_empty());
        let reason = stderr(&out);
        assert!(reason.starts_with("Not a valid"), "{kind} {value}: {reason}");
    }
    let zh = stderr(&id_check("hk", "A123456(4)", "zh-Hant"));
    assert!(zh.contains("香港身份證"), "{zh}");
    let pt = stderr(&id_check("hk", "A123456(4)", "pt"));
    assert!(pt.contains("Não é um"), "{pt}");
}

#[test]
fn a_mainland_id_born_in_the_future_is_refused() {
    // A valid check digit, a real date — in 2099.
    let body = "11010520991231001";
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(weights).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let check = "10X98765432".chars().nth((sum % 11) as usize).unwrap_or('0');
    let out = id_check("cn-resident", &format!("{body}{check}"), "en");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("future"), "{}", stderr(&out));
}

#[test]
fn a_data_directory_that_cannot_be_used_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("not-a-directory");
    std::fs::write(&file, b"x").expect("write");
    let out = kiosk(&file).args(["--lang", "zh-Hant", "export"]).output().expect("kiosk runs");
    assert_eq!(out.status.code(), Some(70), "a failure, not an answer");
    assert!(stderr(&out).contains("無法使用資料目錄"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["id", "check", "--kind", "passport", "X"],
        vec!["id", "check", "--kind", "hk"],
        vec!["id", "check", "A123456(3)"],
        vec!["id", "frobnicate"],
    ] {
        let out = kiosk(dir.path()).args(&args).output().expect("kiosk runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

const TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n";
const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n";
const TD2: &str = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6\n";

fn mrz_parse(input: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = kiosk(dir.path());
    cmd.args(["--lang", "en", "mrz", "parse"]);
    let out = run_with_stdin(cmd, input);
    (out.status.code(), stdout(&out), stderr(&out))
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn the_icao_specimens_parse_to_the_documented_fields() {
    let (code, out, err) = mrz_parse(TD3.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        json(&out),
        serde_json::json!({
            "format": "TD3", "document_code": "P", "issuing_state": "UTO",
            "document_number": "L898902C3", "nationality": "UTO",
            "birth_date": "1974-08-12", "expiry_date": "2012-04-15", "sex": "F",
            "surname": "ERIKSSON", "given_names": "ANNA MARIA", "optional_data": "ZE184226B",
            "valid": true, "errors": []
        })
    );
    for (input, format) in [(TD1, "TD1"), (TD2, "TD2")] {
        let (code, out, err) = mrz_parse(input.as_bytes());
        assert_eq!(code, Some(0), "{format}: {err}");
        let v = json(&out);
        assert_eq!(v["format"], format);
        assert_eq!(v["document_number"], "D23145890");
        assert_eq!(v["document_code"], "I");
        assert_eq!(v["given_names"], "ANNA MARIA");
    }
}

#[test]
fn document_numbers_longer_than_nine_characters_are_read_whole() {
    let td1 = "I<UTOD23145890<7349<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n";
    let td2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD23145890<UTO7408122F12041597349<<<2\n";
    for input in [td1, td2] {
        let (code, out, err) = mrz_parse(input.as_bytes());
        assert_eq!(code, Some(0), "{input}: {err}");
        let v = json(&out);
        assert_eq!(v["document_number"], "D23145890734", "{input}");
        assert_eq!(v["valid"], true);
    }
}

#[test]
fn a_failed_check_digit_exits_1_and_names_the_fields() {
    let broken = TD3.replace("7408122F", "7408123F");
    let (code, out, err) = mrz_parse(broken.as_bytes());
    assert_eq!(code, Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"], serde_json::json!(["birth_date", "composite"]));
    assert!(err.contains("date of birth") && err.contains("composite"), "{err}");
}

#[test]
fn input_that_is_not_an_mrz_exits_2_with_a_reason() {
    let too_long = "P<".repeat(5000);
    let cases: Vec<&[u8]> = vec![
        b"",
        b"hello world",
        &TD3.as_bytes()[..60], // truncated
        "P<UTOÉRIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
            .as_bytes(),
        b"\xff\xfe\x00garbage", // not UTF-8
        too_long.as_bytes(),
        b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n", // one line
    ];
    for input in cases {
        let (code, out, err) = mrz_parse(input);
        assert_eq!(code, Some(2), "{:?}", String::from_utf8_lossy(input));
        assert!(out.is_empty());
        assert!(err.starts_with("This is not a machine readable zone"), "{err}");
    }
}

#[test]
fn scanner_quirks_are_tolerated() {
    // Lower case, CRLF line ends, surrounding blank lines and spaces, or one concatenated line.
    let messy = format!("\r\n  {}  \r\n", TD3.to_lowercase().replace('\n', "\r\n"));
    let concatenated = TD3.replace('\n', "");
    for input in [messy, concatenated] {
        let (code, out, err) = mrz_parse(input.as_bytes());
        assert_eq!(code, Some(0), "{input:?}: {err}");
        assert_eq!(json(&out)["document_number"], "L898902C3");
    }
}

/// A data directory whose store holds four organisations, and its `kiosk export`.
fn exported_office(dir: &std::path::Path) -> String {
    use registry::model::{Organisation, OrganisationRegistration, RegistrationKind};
    let mut store =
        store::Store::open(&dir.join("kiosk.db"), store::StoreOptions::default()).expect("store");
    for n in 1..=4 {
        let company = Organisation {
            id: ulid::Ulid::new(),
            name_zh: Some(format!("澳門貿易有限公司{n}")),
            name_latin: None,
            registration: OrganisationRegistration {
                kind: RegistrationKind::MacauCommercialRegistry,
                number: format!("SO-1234{n}"),
            },
            legal_representative: None,
            licence_valid_until: None,
            address: None,
            phone: None,
            website: None,
        };
        store.put(None, &company).expect("put");
    }
    drop(store);
    let out = kiosk(dir).args(["export"]).output().expect("kiosk runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn import_takes_the_whole_file_or_nothing_and_names_a_bad_line() {
    let (source, target, refused) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
        tempfile::tempdir().expect("c"),
    );
    let text = exported_office(source.path());
    assert_eq!(text.lines().count(), 4);
    let file = source.path().join("office.jsonl");
    std::fs::write(&file, &text).expect("write");
    let import = |dir: &std::path::Path, file: &std::path::Path| {
        kiosk(dir)
            .args(["--lang", "en", "import", "--format", "jsonl"])
            .arg(file)
            .output()
            .expect("kiosk runs")
    };
    let out = import(target.path(), &file);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Imported: 4 new, 0 changed, 0 unchanged.");
    let exported = kiosk(target.path()).arg("export").output().expect("kiosk runs");
    assert_eq!(stdout(&exported), text, "the same records, field for field");

    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "{\"kind\":\"organisation\",");
    let bad = source.path().join("bad.jsonl");
    std::fs::write(&bad, lines.join("\n")).expect("write");
    let out = import(refused.path(), &bad);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("Nothing was imported") && said.contains("Line 3:"), "{said}");
    assert!(stdout(&out).is_empty());
    let exported = kiosk(refused.path()).arg("export").output().expect("kiosk runs");
    assert_eq!(stdout(&exported), "", "nothing of the file is in the store");

    let out = import(refused.path(), &source.path().join("missing.jsonl"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Cannot read"), "{}", stderr(&out));
}
