//! The printed documents, checked with the tools a person would use: poppler's pdftotext (the
//! values and headings are real text), pdffonts (every font embedded as a subset), pdftoppm at
//! 150 dpi with zbar (the QR code scans back to the form code, byte for byte).

use std::path::{Path, PathBuf};
use std::process::Command;

use printers::document::{Document, Layout, PersonBlock};
use printers::fonts::Fonts;
use printers::formcode::{FormCode, new_print_id};
use printers::render::{RenderError, render};
use proptest::prelude::*;

const KEY: &[u8] = b"test office key, not a real one";
const LAYOUTS: [Layout; 3] = [Layout::MacauBilingual, Layout::SimplifiedChinese, Layout::English];

fn fonts() -> &'static Fonts {
    Fonts::system().unwrap_or_else(|error| {
        panic!("{error}\nThe printing tests need fonts-noto-cjk: run scripts/deps.sh test")
    })
}

/// Runs a poppler tool; a missing tool fails the test with what to install.
fn tool(name: &str, args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new(name).args(args).output().unwrap_or_else(|error| {
        panic!("cannot run {name} ({error}): install poppler-utils with scripts/deps.sh test")
    });
    assert!(output.status.success(), "{name} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn form_code(doc: &Document) -> Option<String> {
    doc.application().map(|(application, reference)| {
        let print = doc.print_id().map(str::to_owned).or_else(|| Some(new_print_id()));
        FormCode { application, reference: reference.to_owned(), print }.encode(KEY)
    })
}

/// Writes the PDF into `dir`, and into `$PRINTERS_KEEP_DIR` too when set (to look at them).
fn write(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdf).expect("write pdf");
    if let Some(keep) = std::env::var_os("PRINTERS_KEEP_DIR") {
        std::fs::write(Path::new(&keep).join(name), pdf).expect("keep pdf");
    }
    path
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn title_id(doc: &Document) -> &'static str {
    match doc {
        Document::ApplicationForm(_) => "printed-form-title",
        Document::Receipt(_) => "printed-receipt-title",
        Document::RenewalNotice(_) => "printed-notice-title",
        Document::QueueTicket(_) => "printed-ticket-title",
        Document::DayEnd(_) => "day-end-title",
    }
}

/// Values of each example that must come out of the PDF as text.
fn expected_values(doc: &Document) -> Vec<&'static str> {
    match doc.kind() {
        "organisation_form" => vec![
            "澳門測試貿易有限公司",
            "陳大文 CHAN TAI MAN",
            "黎明 LAI MENG",
            "91440101MA5CXXXX0X",
            "chan.taiman@example.mo",
            "電子招標 e-Tendering",
            "機構名稱",
            "MOP 800.00",
            "APP-2026-000123",
            "澳門郵政 eSignTrust 註冊署",
        ],
        "personal_form" => {
            vec!["陳大文 CHAN TAI MAN", "1234567(8)", "MOP 800.00", "APP-2026-000123"]
        }
        "receipt" => vec![
            "澳門測試貿易有限公司",
            "MOP 800.00",
            "PAY-778899",
            "大西洋銀行 BNU",
            "finance@example.mo",
        ],
        "renewal_notice" => vec![
            "陳大文 CHAN TAI MAN",
            "4f1a2b3c4d5e6f708192a3b4c5d6e7f8",
            "6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3",
        ],
        "queue_ticket" => vec!["A027", "澳門郵政 eSignTrust 註冊署"],
        "day_end" => vec![
            "K01JD2X00DEMO",
            "lei.mf",
            "MOP 750.50",
            "MOP 400.00",
            "SN-0042-7781",
            "SN-0042-7790",
            "A20261121-7QK2ZD",
            "A20261121-9MB3XA",
        ],
        other => panic!("no expectations for {other}"),
    }
}

#[test]
fn every_example_in_every_layout_prints_its_values_and_headings_in_subset_fonts() {
    let fonts = fonts();
    let dir = tempfile::tempdir().expect("tempdir");
    for layout in LAYOUTS {
        for doc in Document::examples() {
            let code = form_code(&doc);
            let pdf = render(&doc, layout, fonts, code.as_deref())
                .unwrap_or_else(|e| panic!("{} in {layout:?}: {e}", doc.kind()));
            assert!(pdf.starts_with(b"%PDF-"), "{} in {layout:?} is not a PDF", doc.kind());
            let path = write(dir.path(), &format!("{}-{layout:?}.pdf", doc.kind()), &pdf);

            let text =
                squeeze(&tool("pdftotext", &["-layout".as_ref(), path.as_ref(), "-".as_ref()]));
            for value in expected_values(&doc) {
                assert!(
                    text.contains(value),
                    "{} in {layout:?} lacks {value:?}:\n{text}",
                    doc.kind()
                );
            }
            for lang in layout.languages() {
                let heading = i18n::text(*lang, title_id(&doc));
                // An unresolved message comes back as its id (rebuild i18n after adding a file).
                assert_ne!(heading, title_id(&doc), "{lang} has no {}", title_id(&doc));
                assert!(
                    text.contains(&heading),
                    "{} in {layout:?} lacks its {lang} heading {heading:?}:\n{text}",
                    doc.kind()
                );
            }

            let fonts_table = tool("pdffonts", &[path.as_ref()]);
            let rows: Vec<&str> =
                fonts_table.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
            assert!(!rows.is_empty(), "{} in {layout:?} has no fonts", doc.kind());
            for row in rows {
                // name type [type…] encoding emb sub uni object-id generation
                let cols: Vec<&str> = row.split_whitespace().collect();
                let n = cols.len();
                assert!(n >= 7, "unexpected pdffonts row {row:?}");
                let (emb, sub) = (cols[n - 5], cols[n - 4]);
                assert_eq!(
                    (emb, sub),
                    ("yes", "yes"),
                    "{} in {layout:?}: font not an embedded subset: {row}",
                    doc.kind()
                );
                assert!(cols[0].contains('+'), "subset fonts are named with a tag: {row}");
            }
        }
    }
}

#[test]
fn the_form_code_scans_back_from_a_150_dpi_rendering() {
    let fonts = fonts();
    let dir = tempfile::tempdir().expect("tempdir");
    let examples = Document::examples();
    let scanned: Vec<&Document> = examples.iter().filter(|d| d.application().is_some()).collect();
    for layout in LAYOUTS {
        for doc in &scanned {
            let code = form_code(doc).expect("has an application");
            let pdf = render(doc, layout, fonts, Some(&code)).expect("render");
            let name = format!("{}-{layout:?}", doc.kind());
            let path = write(dir.path(), &format!("{name}.pdf"), &pdf);
            let prefix = dir.path().join(&name);
            tool(
                "pdftoppm",
                &[
                    "-r".as_ref(),
                    "150".as_ref(),
                    "-png".as_ref(),
                    "-singlefile".as_ref(),
                    path.as_ref(),
                    prefix.as_ref(),
                ],
            );
            let png = prefix.with_extension("png");
            let found = card_readers::qr::decode_file(&png).expect("decode the page picture");
            assert_eq!(found, vec![code.as_bytes().to_vec()], "{name}: the code did not scan back");
            let parsed =
                FormCode::parse(&String::from_utf8_lossy(&found[0]), KEY).expect("verifies");
            assert_eq!(Some((parsed.application, parsed.reference.as_str())), doc.application());
            // The form's own printing, scanned back; other documents carry one of their own.
            if let Some(print) = doc.print_id() {
                assert_eq!(parsed.print.as_deref(), Some(print), "{name}");
            }
            assert!(parsed.print.is_some(), "{name}: every printing has an id");
        }
    }
}

#[test]
fn the_organisation_form_is_under_300_kb() {
    let fonts = fonts();
    let form = Document::examples().into_iter().next().expect("the organisation form");
    assert_eq!(form.kind(), "organisation_form");
    let code = form_code(&form);
    for layout in LAYOUTS {
        let pdf = render(&form, layout, fonts, code.as_deref()).expect("render");
        assert!(pdf.len() < 300 * 1024, "{layout:?}: {} bytes", pdf.len());
    }
}

#[test]
fn a_document_without_a_form_code_prints_without_a_qr_code() {
    let fonts = fonts();
    let dir = tempfile::tempdir().expect("tempdir");
    let form = Document::examples().into_iter().next().expect("form");
    let pdf = render(&form, Layout::MacauBilingual, fonts, None).expect("render");
    let path = write(dir.path(), "no-code.pdf", &pdf);
    let prefix = dir.path().join("no-code");
    tool(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "150".as_ref(),
            "-png".as_ref(),
            "-singlefile".as_ref(),
            path.as_ref(),
            prefix.as_ref(),
        ],
    );
    let found = card_readers::qr::decode_file(prefix.with_extension("png")).expect("decode");
    assert!(found.is_empty());
}

#[test]
fn letters_noto_lacks_print_in_the_fallback_font_as_real_text() {
    let fonts = fonts();
    assert!(
        fonts.fallback_path().is_some(),
        "the fallback font is missing: install fonts-dejavu-core (scripts/deps.sh test)"
    );
    let name = "Łukasz Nguyễn Đức";
    assert_eq!(fonts.missing_char(Layout::MacauBilingual, name), None);
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = render(&personal_form_named(name), Layout::MacauBilingual, fonts, None)
        .expect("prints with the fallback");
    let path = write(dir.path(), "fallback.pdf", &pdf);
    let text = squeeze(&tool("pdftotext", &["-layout".as_ref(), path.as_ref(), "-".as_ref()]));
    assert!(text.contains(name), "{text}");
    let table = tool("pdffonts", &[path.as_ref()]);
    assert!(table.contains("DejaVu"), "{table}");
    for row in table.lines().skip(2).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!((cols[n - 5], cols[n - 4]), ("yes", "yes"), "not an embedded subset: {row}");
    }
}

#[test]
fn every_error_has_a_message_in_every_language() {
    use printers::fonts::FontError;
    let render_errors = [
        RenderError::MissingGlyph { ch: '\u{E000}' },
        RenderError::FormCodeTooLong { len: 5000 },
        RenderError::Font,
        RenderError::Layout("no room"),
        RenderError::Pdf { detail: "disk full".into() },
    ];
    let font_errors = [
        FontError::Missing { looked_in: vec!["/nowhere".into()] },
        FontError::Unreadable { path: "/f.ttc".into(), source: std::io::ErrorKind::Other.into() },
        FontError::NotAFont { path: "/f.ttc".into() },
    ];
    let mut errors: Vec<(&str, Vec<(&str, String)>)> =
        render_errors.iter().map(|e| (e.message_id(), e.message_args())).collect();
    errors.extend(font_errors.iter().map(|e| (e.message_id(), e.message_args())));
    let ids: Vec<&str> = errors.iter().map(|(id, _)| *id).collect();
    let all = [RenderError::ALL_MESSAGE_IDS, FontError::ALL_MESSAGE_IDS].concat();
    assert_eq!(ids, all, "every variant is listed, in order");
    for lang in i18n::Language::ALL {
        for (id, args) in &errors {
            let values: Vec<(&str, i18n::FluentValue<'_>)> =
                args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
            let text = i18n::text_with(lang, id, &values);
            // An unresolved message (or one missing an argument) comes back as its id.
            assert_ne!(&text, id, "{lang} lacks {id}");
            for (_, value) in args {
                assert!(text.contains(value.as_str()), "{lang} {id}: {text}");
            }
        }
    }
}

fn personal_form_named(name: &str) -> Document {
    let mut doc = Document::examples().into_iter().nth(1).expect("personal form");
    if let Document::ApplicationForm(form) = &mut doc {
        form.person = PersonBlock { name: name.to_owned(), ..form.person.clone() };
    }
    doc
}

/// Renders a personal form with `name`: a PDF, or the MissingGlyph error naming the first
/// character the font lacks — the same one `Fonts::missing_char` finds.
fn check_name(name: &str) {
    let fonts = fonts();
    for layout in [Layout::MacauBilingual, Layout::SimplifiedChinese] {
        let doc = personal_form_named(name);
        match render(&doc, layout, fonts, None) {
            Ok(pdf) => {
                assert!(pdf.starts_with(b"%PDF-"));
                assert_eq!(fonts.missing_char(layout, name), None, "{name:?} printed");
            }
            Err(RenderError::MissingGlyph { ch }) => {
                assert!(name.contains(ch), "{ch:?} is not in {name:?}");
                assert_eq!(fonts.missing_char(layout, name), Some(ch), "{name:?}");
            }
            Err(other) => panic!("{name:?}: unexpected error {other}"),
        }
    }
}

#[test]
fn unusual_names_print_or_name_the_missing_character() {
    let long = "陳大文".repeat(700);
    let cases = [
        "😀 Smiley",
        "👨‍👩‍👧 family",
        "𠀀𠀁 rare",
        "𪚥",
        "葛\u{E0100}城",
        "zero\u{200B}width\u{200D}joiner",
        "Zürich São João Ærø Łódź",
        "tab\there\nnew line\r\nwindows",
        "\u{0}\u{7}control",
        "Ꭰ Cherokee",
        "مرحبا",
        "\u{E000} private use",
        "   ",
        "",
        long.as_str(),
    ];
    for name in cases {
        check_name(name);
    }
    let fonts = fonts();
    // Right to left: refused rather than printed scrambled.
    let arabic = render(&personal_form_named("Ali علي"), Layout::MacauBilingual, fonts, None);
    assert_eq!(arabic.map(|pdf| pdf.len()), Err(RenderError::MissingGlyph { ch: 'ع' }));
    // Private use: in no font. A long name breaks across lines and pages rather than fail.
    let private = render(&personal_form_named("陳\u{E000}"), Layout::MacauBilingual, fonts, None);
    assert_eq!(private.map(|pdf| pdf.len()), Err(RenderError::MissingGlyph { ch: '\u{E000}' }));
    let ok = render(
        &personal_form_named("葛\u{E0100}城 a\u{200D}b"),
        Layout::MacauBilingual,
        fonts,
        None,
    );
    assert!(ok.is_ok(), "{:?}", ok.map(|pdf| pdf.len()));
    let long =
        render(&personal_form_named(&"陳大文".repeat(700)), Layout::MacauBilingual, fonts, None)
            .expect("a very long name still prints");
    assert!(long.len() < 400 * 1024);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_names_print_or_name_the_missing_character(
        name in prop_oneof![
            any::<String>(),
            "[\\u{4E00}-\\u{9FFF}\\u{20000}-\\u{2A6DF}\\u{1F300}-\\u{1FAFF} a-zA-Z]{0,24}",
        ]
    ) {
        check_name(&name);
    }
}
