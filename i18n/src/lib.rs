//! Every word a clerk sees, in Traditional Chinese, Simplified Chinese, Portuguese and English.
//!
//! Messages are Fluent files under `locales/<language>/`, embedded at compile time. Lookups never
//! panic: a message missing from a language falls back to English, and a message missing
//! everywhere shows its id (the test suite makes sure neither happens).
#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

pub use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps arguments in bidi isolation marks by default; terminals print them.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the counter works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    En,
    /// 繁體中文 (Macau, Hong Kong, Taiwan)
    ZhHant,
    /// 简体中文 (Mainland)
    ZhHans,
    /// Português (Macau)
    Pt,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::ZhHant, Language::Pt, Language::ZhHans, Language::En];

    /// The BCP 47 tag, which is also the locale folder's name.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::ZhHant => "zh-Hant",
            Language::ZhHans => "zh-Hans",
            Language::Pt => "pt",
        }
    }

    /// The language's name in itself, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::ZhHant => "繁體中文",
            Language::ZhHans => "简体中文",
            Language::Pt => "Português",
        }
    }

    /// The next language in the switcher's cycle.
    pub fn next(self) -> Language {
        let i = Self::ALL.iter().position(|l| *l == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// Reads a POSIX locale (`zh_TW.UTF-8`, `pt_PT`, `C.UTF-8`) as one of ours, if it is one.
    pub fn from_posix_locale(locale: &str) -> Option<Language> {
        let base = locale.split(['.', '@']).next().unwrap_or("");
        base.replace('_', "-").parse().ok()
    }

    fn identifier(self) -> LanguageIdentifier {
        // The four tags are constants that parse; English is the fallback if one ever did not.
        self.tag().parse().unwrap_or_default()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage(pub String);

impl fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown language {:?}: use zh-Hant, zh-Hans, pt or en", self.0)
    }
}

impl std::error::Error for UnknownLanguage {}

impl FromStr for Language {
    type Err = UnknownLanguage;

    /// Accepts our tags and the regional ones people type: zh-TW, zh-HK, zh-MO → Traditional;
    /// zh-CN, zh-SG → Simplified; pt-PT, pt-BR → Portuguese; en-* → English.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase().replace('_', "-");
        let lang = match lower.as_str() {
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant-mo" | "zh-hant-hk"
            | "zh-hant-tw" => Language::ZhHant,
            "zh" | "zh-hans" | "zh-cn" | "zh-sg" | "zh-hans-cn" => Language::ZhHans,
            l if l == "pt" || l.starts_with("pt-") => Language::Pt,
            l if l == "en" || l.starts_with("en-") => Language::En,
            _ => return Err(UnknownLanguage(s.to_owned())),
        };
        Ok(lang)
    }
}

/// The message `id` in `lang`.
pub fn text(lang: Language, id: &str) -> String {
    LOCALES.try_lookup(&lang.identifier(), id).unwrap_or_else(|| id.to_owned())
}

/// The message `id` in `lang`, with Fluent arguments.
pub fn text_with(lang: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
        args.iter().map(|(k, v)| (Cow::Owned((*k).to_owned()), counts_as_numbers(v))).collect();
    LOCALES.try_lookup_with_args(&lang.identifier(), id, &args).unwrap_or_else(|| id.to_owned())
}

/// Library errors carry their arguments as text (`message_args()`), so a count of tries arrives
/// as "1"; Fluent chooses a plural variant (`[one]`, `[1]`) only for a number. Text that is a
/// plain count is passed as one: digits only, no leading zero, at most 15 digits, so the number
/// prints back exactly as the text was. Identity numbers with a leading zero or 18 digits, signs
/// and decimals stay text.
fn counts_as_numbers<'a>(value: &FluentValue<'a>) -> FluentValue<'a> {
    match value {
        FluentValue::String(text) if is_plain_count(text) => {
            text.parse::<u64>().map_or_else(|_| value.clone(), FluentValue::from)
        }
        _ => value.clone(),
    }
}

fn is_plain_count(text: &str) -> bool {
    let digits = text.len() <= 15 && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits && (text == "0" || !text.starts_with('0'))
}

/// Whether `lang` has the message `id` (with English fallback). For tests and diagnostics.
pub fn has_message(lang: Language, id: &str) -> bool {
    LOCALES.try_lookup(&lang.identifier(), id).is_some()
}
