//! The kiosk's configuration: `kiosk.toml` in the data directory, overridden by `KIOSK_*`
//! environment variables, overridden by command-line options.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use i18n::Language;
use registry::model::Currency;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// zh-Hant, zh-Hans, pt or en. Unset: the system locale, else English.
    pub language: Option<String>,
    /// This counter's replica id; unset, the store makes one and remembers it.
    pub kiosk_id: Option<String>,
    /// The office's name, shown in the title bar.
    pub office: String,
    pub currency: Currency,
    /// What goes to the log file (a tracing filter: `info`, `store=debug`, …).
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            language: None,
            kiosk_id: None,
            office: "Registry counter".into(),
            currency: Currency::Mop,
            log: "info".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the configuration in {path} is not valid: {source}")]
pub struct ConfigError {
    path: PathBuf,
    #[source]
    source: Box<figment::Error>,
}

impl Config {
    pub const FILE_NAME: &str = "kiosk.toml";

    /// Defaults, then `DATA_DIR/kiosk.toml`, then `KIOSK_LANGUAGE`, `KIOSK_KIOSK_ID`,
    /// `KIOSK_OFFICE`, `KIOSK_CURRENCY`, `KIOSK_LOG`.
    pub fn load(data_dir: &Path) -> Result<Config, ConfigError> {
        let path = data_dir.join(Self::FILE_NAME);
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(&path))
            .merge(
                Env::prefixed("KIOSK_")
                    .only(&["language", "kiosk_id", "office", "currency", "log"]),
            )
            .extract()
            .map_err(|e| ConfigError { path, source: Box::new(e) })
    }

    /// The language to speak: the command line, else the configuration, else the system locale.
    pub fn language(&self, from_command_line: Option<Language>) -> Language {
        from_command_line
            .or_else(|| self.language.as_deref().and_then(|l| l.parse().ok()))
            .or_else(|| {
                ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .filter_map(|var| std::env::var(var).ok())
                    .find_map(|locale| Language::from_posix_locale(&locale))
            })
            .unwrap_or_default()
    }
}

/// Where the store, configuration and logs live: `--data-dir`, else `KIOSK_DATA_DIR` (both via
/// clap), else the per-user data directory (`~/.local/share/kiosk` on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "kiosk")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".kiosk"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_override_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(Config::FILE_NAME),
            "office = \"澳門郵政總局\"\ncurrency = \"CNY\"\n",
        )
        .expect("write");
        let config = Config::load(dir.path()).expect("load");
        assert_eq!(config.office, "澳門郵政總局");
        assert_eq!(config.currency, Currency::Cny);
        assert_eq!(config.log, "info");
    }

    #[test]
    fn unknown_keys_are_refused_with_the_file_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(Config::FILE_NAME), "ofice = \"typo\"\n").expect("write");
        let err = Config::load(dir.path()).expect_err("typo must be refused");
        assert!(err.to_string().contains("kiosk.toml"), "{err}");
    }

    #[test]
    fn command_line_language_wins() {
        let config = Config { language: Some("pt".into()), ..Config::default() };
        assert_eq!(config.language(Some(Language::ZhHans)), Language::ZhHans);
        assert_eq!(config.language(None), Language::Pt);
    }
}
