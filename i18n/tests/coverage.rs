//! Every message exists in all four languages, and every message id the domain can produce has
//! a translation. Read from the Fluent files themselves, so English fallback cannot hide a gap.

use std::collections::BTreeSet;
use std::path::Path;

use i18n::Language;

fn message_ids(lang: Language) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang.tag());
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("locale folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ftl") {
            let text = std::fs::read_to_string(&path).expect("ftl readable");
            for line in text.lines() {
                let Some((id, _)) = line.split_once('=') else { continue };
                let id = id.trim_end();
                let starts_ok = id.chars().next().is_some_and(|c| c.is_ascii_lowercase());
                if starts_ok && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    ids.insert(id.to_owned());
                }
            }
        }
    }
    ids
}

#[test]
fn every_language_has_every_message() {
    let english = message_ids(Language::En);
    assert!(english.len() > 20, "English has only {} messages", english.len());
    for lang in Language::ALL {
        let ids = message_ids(lang);
        let missing: Vec<_> = english.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&english).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has messages English lacks: {extra:?}");
    }
}

#[test]
fn every_domain_message_id_is_translated() {
    let english = message_ids(Language::En);
    let domain: Vec<&str> = [
        registry::problem::codes::ALL,
        registry::ids::ALL_MESSAGE_IDS,
        registry::ids::IdWarning::ALL_MESSAGE_IDS,
        registry::mrz::ALL_MESSAGE_IDS,
        registry::credentials::ALL_MESSAGE_IDS,
        registry::application::TransitionError::ALL_MESSAGE_IDS,
        registry::model::LifecycleError::ALL_MESSAGE_IDS,
        registry::fees::FeeError::ALL_MESSAGE_IDS,
        registry::visit::ALL_MESSAGE_IDS,
        registry::day_end::CloseRefused::ALL_MESSAGE_IDS,
        registry::members::ALL_MESSAGE_IDS,
        tokens::TokenError::ALL_MESSAGE_IDS,
        tokens::dn::SubjectError::ALL_MESSAGE_IDS,
        card_readers::emrtd::reader::ReadError::ALL_MESSAGE_IDS,
        card_readers::cn_id::ALL_MESSAGE_IDS,
        card_readers::qr::QrError::ALL_MESSAGE_IDS,
        card_readers::qr::PassError::ALL_MESSAGE_IDS,
        card_readers::qr::OTHER_MESSAGE_IDS,
        card_readers::camera::CameraError::ALL_MESSAGE_IDS,
        card_readers::input::InputError::ALL_MESSAGE_IDS,
        card_readers::photo::PhotoError::ALL_MESSAGE_IDS,
        printers::formcode::FormCodeError::ALL_MESSAGE_IDS,
        printers::ipp_client::PrintError::ALL_MESSAGE_IDS,
        printers::spool::SpoolError::ALL_MESSAGE_IDS,
        printers::spool::OTHER_MESSAGE_IDS,
        printers::named_file::FileError::ALL_MESSAGE_IDS,
        printers::fonts::FontError::ALL_MESSAGE_IDS,
        printers::render::RenderError::ALL_MESSAGE_IDS,
        store::Fault::ALL_MESSAGE_IDS,
        store::REPORT_MESSAGE_IDS,
    ]
    .concat();
    let checks: Vec<String> = card_readers::emrtd::pa::CHECKS
        .iter()
        .map(|c| format!("pa-check-{}", c.replace('_', "-")))
        .collect();
    let domain: Vec<&str> = domain.into_iter().chain(checks.iter().map(String::as_str)).collect();
    let missing: Vec<_> = domain.iter().filter(|id| !english.contains(**id)).collect();
    assert!(missing.is_empty(), "no message for {missing:?}");
}

#[test]
fn lookups_resolve_in_each_language_and_differ_from_english() {
    let en = i18n::text(Language::En, "app-title");
    for lang in [Language::ZhHant, Language::ZhHans, Language::Pt] {
        let t = i18n::text(lang, "app-title");
        assert_ne!(t, "app-title", "{lang} did not resolve");
        assert_ne!(t, en, "{lang} fell back to English");
    }
}

#[test]
fn arguments_are_substituted_without_isolation_marks() {
    let text = i18n::text_with(
        Language::En,
        "id-check-invalid",
        &[("kind", i18n::FluentValue::from("Hong Kong ID")), ("reason", "A123456(3)".into())],
    );
    assert!(text.contains("A123456(3)") && text.contains("Hong Kong ID"), "{text}");
    assert!(!text.contains('\u{2068}'), "bidi isolation marks leaked: {text:?}");
}

#[test]
fn regional_tags_map_to_our_languages() {
    assert_eq!("zh-TW".parse(), Ok(Language::ZhHant));
    assert_eq!("zh_MO".parse(), Ok(Language::ZhHant));
    assert_eq!("zh-CN".parse(), Ok(Language::ZhHans));
    assert_eq!("pt-PT".parse(), Ok(Language::Pt));
    assert_eq!("en-GB".parse(), Ok(Language::En));
    assert!("fr".parse::<Language>().is_err());
    assert_eq!(Language::from_posix_locale("zh_HK.UTF-8"), Some(Language::ZhHant));
    assert_eq!(Language::from_posix_locale("C.UTF-8"), None);
}
