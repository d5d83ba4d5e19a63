//! The kiosk's configuration: `kiosk.toml` in the data directory, overridden by `KIOSK_*`
//! environment variables, overridden by command-line options.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use i18n::Language;
use registry::fees::{FeeSchedule, FeeTable, FeeTableError};
use registry::model::Currency;
use serde::{Deserialize, Serialize};
use time::UtcOffset;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// zh-Hant, zh-Hans, pt or en. Unset: the system locale, else English.
    #[serde(deserialize_with = "text::optional")]
    pub language: Option<String>,
    /// This counter's replica id; unset, the store makes one and remembers it.
    #[serde(deserialize_with = "text::optional")]
    pub kiosk_id: Option<String>,
    /// The office's name, shown in the title bar.
    #[serde(deserialize_with = "text::required")]
    pub office: String,
    pub currency: Currency,
    /// The office's offset from UTC (`+08:00` in Macau and Guangdong): what "today" means for
    /// appointments and renewal notices.
    #[serde(deserialize_with = "text::required")]
    pub utc_offset: String,
    /// What goes to the log file (a tracing filter: `info`, `store=debug`, …).
    #[serde(deserialize_with = "text::required")]
    pub log: String,
    /// Wrong user PINs in a row after which the kiosk stops using a token until it is unlocked
    /// (tokens like SoftHSM2 never lock themselves).
    pub pin_tries: u32,
    /// The PKCS#11 module of the counter's tokens, for `kiosk devices`. A path, so only text:
    /// `token_module = 5` is a mistake to report, not the file "5".
    pub token_module: Option<String>,
    /// The office's printer (`ipp://host:631/printers/QUEUE`): where `kiosk print` sends
    /// documents when the command names no `--printer`, and what `kiosk devices` shows.
    pub printer: Option<String>,
    /// The serial device of the counter's Mainland resident ID card reader (`/dev/ttyUSB0`),
    /// which the visit's identity step reads a Mainland card on.
    pub cn_reader: Option<String>,
    /// Minutes a clerk cannot sign in after 5 failed sign-in steps in a row.
    pub signin_lockout_minutes: u32,
    /// Minutes without a key after which the screen locks (the same clerk or a supervisor
    /// unlocks it).
    pub idle_lock_minutes: u32,
    /// The office's mail relay, for email verification codes: `smtp://host:25` (plain),
    /// `smtps://host:465`, `smtp://host:587?tls=required`, with `user:password@` when it asks
    /// for them. Unset, codes wait in the outbox.
    pub mail_relay: Option<String>,
    /// The sender of the kiosk's mails (`counter@example.mo`, or `Name <counter@example.mo>`);
    /// needed when `mail_relay` is set.
    pub mail_from: Option<String>,
    /// The office's price table (`[fees]`): certificate prices by class for 1 to 5 years, the
    /// token and the postage, in the currency's main unit. Unset, the seeds' example
    /// ([`FeeSchedule::example`]). Only in `kiosk.toml`: a table is no environment variable.
    pub fees: Option<FeeTable>,
}

/// The range of the minute settings: at least a minute, at most a day.
pub const MINUTES_RANGE: std::ops::RangeInclusive<u32> = 1..=1440;

/// Environment variables arrive untyped, and figment reads `KIOSK_KIOSK_ID=12345` as a number:
/// text settings take numbers and booleans as their text.
mod text {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        Text(String),
        Int(i64),
        Float(f64),
        Bool(bool),
    }

    impl Loose {
        fn into_text(self) -> String {
            match self {
                Loose::Text(s) => s,
                Loose::Int(n) => n.to_string(),
                Loose::Float(n) => n.to_string(),
                Loose::Bool(b) => b.to_string(),
            }
        }
    }

    pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Loose::deserialize(d).map(Loose::into_text)
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Option::<Loose>::deserialize(d).map(|v| v.map(Loose::into_text))
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            language: None,
            kiosk_id: None,
            office: "Registry counter".into(),
            currency: Currency::Mop,
            utc_offset: "+08:00".into(),
            log: "info".into(),
            pin_tries: tokens::service::DEFAULT_PIN_TRIES,
            token_module: None,
            printer: None,
            cn_reader: None,
            signin_lockout_minutes: 5,
            idle_lock_minutes: 5,
            mail_relay: None,
            mail_from: None,
            fees: None,
        }
    }
}

/// Why the configuration cannot be used. Each names the setting to fix the way the operator set
/// it: `KIOSK_UTC_OFFSET` for the environment, `/…/kiosk.toml: utc_offset` for the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path} is not a readable configuration file (a folder, or a link to nothing)")]
    NotAFile { path: PathBuf },
    #[error("{setting}: {detail}")]
    Invalid { setting: String, detail: String },
    #[error("{setting} = {value:?}: {}", .rule.rule())]
    Value { setting: String, value: String, rule: Rule },
}

/// The rule a setting's value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Language,
    Offset,
    KioskId,
    LogFilter,
    PinTries,
    Printer,
    Minutes,
    MailRelay,
    MailFrom,
    FeeCurrency,
    FeeUnpriced,
    FeeNotAtCounter,
    FeeYears,
    FeeAmount,
}

impl Rule {
    fn rule(self) -> &'static str {
        match self {
            Rule::Language => "not a language the kiosk speaks (zh-Hant, zh-Hans, pt, en)",
            Rule::Offset => "not an offset from UTC like +08:00",
            Rule::KioskId => "a kiosk id is 1-64 letters, digits or underscores",
            Rule::LogFilter => "not a log filter (info, store=debug, …)",
            Rule::PinTries => "too few wrong PINs allowed before a token is locked",
            Rule::Printer => "not a printer address like ipp://host:631/printers/QUEUE",
            Rule::Minutes => "minutes must be from 1 to 1440",
            Rule::MailRelay => "not a mail relay address like smtp://host:25 or smtps://host:465",
            Rule::MailFrom => "not a sender address like counter@example.mo",
            Rule::FeeCurrency => "the price table must be in the office's currency",
            Rule::FeeUnpriced => "a certificate class the counter issues has no prices",
            Rule::FeeNotAtCounter => "cloud-sign certificates are not sold at the counter",
            Rule::FeeYears => "one price is needed for each year 1 to 5",
            Rule::FeeAmount => "a price is zero or more, to the hundredth",
        }
    }

    fn message_id(self) -> &'static str {
        match self {
            Rule::Language => "config-error-language",
            Rule::Offset => "config-error-offset",
            Rule::KioskId => "config-error-kiosk-id",
            Rule::LogFilter => "config-error-log",
            Rule::PinTries => "config-error-pin-tries",
            Rule::Printer => "config-error-printer",
            Rule::Minutes => "config-error-minutes",
            Rule::MailRelay => "config-error-mail-relay",
            Rule::MailFrom => "config-error-mail-from",
            Rule::FeeCurrency => "config-error-fee-currency",
            Rule::FeeUnpriced => "config-error-fee-unpriced",
            Rule::FeeNotAtCounter => "config-error-fee-not-at-counter",
            Rule::FeeYears => "config-error-fee-years",
            Rule::FeeAmount => "config-error-fee-amount",
        }
    }
}

impl ConfigError {
    pub const MESSAGE_IDS: &[&str] = &[
        "config-error-not-a-file",
        "config-error-invalid",
        "config-error-language",
        "config-error-offset",
        "config-error-kiosk-id",
        "config-error-log",
        "config-error-pin-tries",
        "config-error-printer",
        "config-error-minutes",
        "config-error-mail-relay",
        "config-error-mail-from",
        "config-error-fee-currency",
        "config-error-fee-unpriced",
        "config-error-fee-not-at-counter",
        "config-error-fee-years",
        "config-error-fee-amount",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            ConfigError::NotAFile { .. } => "config-error-not-a-file",
            ConfigError::Invalid { .. } => "config-error-invalid",
            ConfigError::Value { rule, .. } => rule.message_id(),
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            ConfigError::NotAFile { path } => vec![("path", path.display().to_string())],
            ConfigError::Invalid { setting, detail } => {
                vec![("setting", setting.clone()), ("detail", detail.clone())]
            }
            ConfigError::Value { setting, value, rule } => {
                let mut args = vec![("setting", setting.clone()), ("value", value.clone())];
                if *rule == Rule::PinTries {
                    args.push(("min", tokens::service::MIN_PIN_TRIES.to_string()));
                }
                if *rule == Rule::Minutes {
                    args.push(("min", MINUTES_RANGE.start().to_string()));
                    args.push(("max", MINUTES_RANGE.end().to_string()));
                }
                args
            }
        }
    }
}

impl Config {
    pub const FILE_NAME: &str = "kiosk.toml";

    /// Defaults, then `DATA_DIR/kiosk.toml`, then `KIOSK_LANGUAGE`, `KIOSK_KIOSK_ID`,
    /// `KIOSK_OFFICE`, `KIOSK_CURRENCY`, `KIOSK_LOG`, `KIOSK_PIN_TRIES`, `KIOSK_TOKEN_MODULE`,
    /// `KIOSK_PRINTER`, `KIOSK_SIGNIN_LOCKOUT_MINUTES`, `KIOSK_IDLE_LOCK_MINUTES`,
    /// `KIOSK_MAIL_RELAY`, `KIOSK_MAIL_FROM`.
    pub fn load(data_dir: &Path) -> Result<Config, ConfigError> {
        let path = data_dir.join(Self::FILE_NAME);
        check_is_file(&path)?;
        let keys = [
            "language",
            "kiosk_id",
            "office",
            "currency",
            "utc_offset",
            "log",
            "pin_tries",
            "token_module",
            "printer",
            "cn_reader",
            "signin_lockout_minutes",
            "idle_lock_minutes",
            "mail_relay",
            "mail_from",
        ];
        let figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(&path))
            .merge(Env::prefixed("KIOSK_").only(&keys));
        let config: Config = figment.extract().map_err(|e| {
            let key = e.path.join(".");
            let setting = match &e.metadata {
                Some(metadata) => setting_name(metadata, &key),
                None => format!("{}: {key}", path.display()),
            };
            ConfigError::Invalid { setting, detail: e.kind.to_string() }
        })?;
        let refuse = |key: &str, value: &str, rule: Rule| ConfigError::Value {
            setting: figment
                .find_metadata(key)
                .map(|metadata| setting_name(metadata, key))
                .unwrap_or_else(|| key.to_owned()),
            value: value.to_owned(),
            rule,
        };
        if let Some(language) = &config.language
            && language.parse::<Language>().is_err()
        {
            return Err(refuse("language", language, Rule::Language));
        }
        if config.office_offset().is_none() {
            return Err(refuse("utc_offset", &config.utc_offset, Rule::Offset));
        }
        if let Some(id) = &config.kiosk_id
            && !registry::hlc::valid_node(id)
        {
            return Err(refuse("kiosk_id", id, Rule::KioskId));
        }
        if tracing_subscriber::EnvFilter::try_new(&config.log).is_err() {
            return Err(refuse("log", &config.log, Rule::LogFilter));
        }
        if config.pin_tries < tokens::service::MIN_PIN_TRIES {
            return Err(refuse("pin_tries", &config.pin_tries.to_string(), Rule::PinTries));
        }
        for (key, minutes) in [
            ("signin_lockout_minutes", config.signin_lockout_minutes),
            ("idle_lock_minutes", config.idle_lock_minutes),
        ] {
            if !MINUTES_RANGE.contains(&minutes) {
                return Err(refuse(key, &minutes.to_string(), Rule::Minutes));
            }
        }
        if let Some(printer) = &config.printer
            && printers::ipp_client::check_printer_uri(printer).is_err()
        {
            // The address as typed, without any credentials in it.
            let shown = printers::ipp_client::address_as_typed(printer);
            return Err(refuse("printer", &shown, Rule::Printer));
        }
        if let Some(relay) = &config.mail_relay
            && !crate::mail::relay_usable(relay)
        {
            // As for the printer: never the relay's password.
            return Err(refuse("mail_relay", &crate::mail::relay_as_typed(relay), Rule::MailRelay));
        }
        match (&config.mail_relay, &config.mail_from) {
            (_, Some(from)) if !crate::mail::sender_usable(from) => {
                return Err(refuse("mail_from", from, Rule::MailFrom));
            }
            (Some(_), None) => return Err(refuse("mail_from", "", Rule::MailFrom)),
            _ => {}
        }
        if let Some(table) = &config.fees
            && let Err(err) = table.schedule(config.currency)
        {
            // Named as the file writes it: `…/kiosk.toml: fees.certificate.qualified (year 3)`.
            let setting = figment
                .find_metadata("fees")
                .map(|metadata| setting_name(metadata, &format!("fees.{}", err.entry())))
                .unwrap_or_else(|| format!("fees.{}", err.entry()));
            let rule = match err {
                FeeTableError::Currency { .. } => Rule::FeeCurrency,
                FeeTableError::Unpriced { .. } => Rule::FeeUnpriced,
                FeeTableError::NotAtCounter => Rule::FeeNotAtCounter,
                FeeTableError::Years { .. } => Rule::FeeYears,
                FeeTableError::Amount { .. } => Rule::FeeAmount,
            };
            return Err(ConfigError::Value { setting, value: err.value(), rule });
        }
        Ok(config)
    }

    /// What the counter charges: the office's `[fees]`, else the seeds' example in the office's
    /// currency.
    pub fn fee_schedule(&self) -> FeeSchedule {
        // `load` refused a table that does not check, so only a configuration built in code
        // can fall back here with one.
        self.fees
            .as_ref()
            .and_then(|table| table.schedule(self.currency).ok())
            .unwrap_or_else(|| FeeSchedule::example(self.currency))
    }

    /// The office's UTC offset, from `utc_offset` (`+08:00`, `-03:30`, `+8`).
    pub fn office_offset(&self) -> Option<UtcOffset> {
        let text = self.utc_offset.trim();
        let (sign, rest) = if let Some(rest) = text.strip_prefix('+') {
            (1, rest)
        } else if let Some(rest) = text.strip_prefix('-') {
            (-1, rest)
        } else {
            return None;
        };
        let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "0"));
        let hours: i8 = hours.parse().ok()?;
        let minutes: i8 = minutes.parse().ok()?;
        // Civil time zones run from UTC-12 to UTC+14.
        let in_range = (0..=59).contains(&minutes)
            && if sign > 0 { (0..=14).contains(&hours) } else { (0..=12).contains(&hours) };
        if !in_range {
            return None;
        }
        UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
    }

    /// The language to speak: the command line, else the configuration, else the system locale.
    pub fn language(&self, from_command_line: Option<Language>) -> Language {
        from_command_line
            // `load` refused a language it does not know, so this parse only fails for a
            // configuration built in code.
            .or_else(|| self.language.as_deref().and_then(|l| l.parse().ok()))
            .or_else(language_from_locale)
            .unwrap_or_default()
    }
}

/// The system locale's language, if it is one of ours.
pub fn language_from_locale() -> Option<Language> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find_map(|locale| Language::from_posix_locale(&locale))
}

/// `kiosk.toml` may be absent (every key has a default), but something else at its path (a
/// folder, a link to nothing) is a mistake figment would silently skip.
fn check_is_file(path: &Path) -> Result<(), ConfigError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        _ => Err(ConfigError::NotAFile { path: path.to_owned() }),
    }
}

/// The name an operator knows a setting by, from where its value came: the environment
/// variable, or the file and key.
fn setting_name(metadata: &figment::Metadata, key: &str) -> String {
    match &metadata.source {
        Some(figment::Source::File(file)) => format!("{}: {key}", file.display()),
        _ if metadata.name.contains("environment") => {
            format!("KIOSK_{}", key.to_ascii_uppercase())
        }
        _ => key.to_owned(),
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
// figment's Jail closures return figment's own (large) error type; that is its API, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    // Every test that loads runs in a figment Jail: jails take turns, so one test's KIOSK_*
    // variables never leak into another's load.

    #[test]
    fn file_values_override_defaults_and_the_environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let dir = tempfile::tempdir().expect("tempdir");
            let toml = "office = \"澳門郵政總局\"\ncurrency = \"CNY\"\n";
            std::fs::write(dir.path().join(Config::FILE_NAME), toml).expect("write");
            let config = Config::load(dir.path()).expect("load");
            assert_eq!(config.office, "澳門郵政總局");
            assert_eq!(config.currency, Currency::Cny);
            assert_eq!(config.log, "info");
            jail.set_env("KIOSK_CURRENCY", "HKD");
            assert_eq!(Config::load(dir.path()).expect("load").currency, Currency::Hkd);
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_refused_with_the_file_named() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::write(dir.path().join(Config::FILE_NAME), "ofice = \"typo\"\n")
                .expect("write");
            let err = Config::load(dir.path()).expect_err("typo must be refused");
            assert!(err.to_string().contains("kiosk.toml"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn environment_numbers_are_text_and_unknown_languages_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let dir = tempfile::tempdir().expect("tempdir");
            jail.set_env("KIOSK_KIOSK_ID", "12345");
            jail.set_env("KIOSK_OFFICE", "123");
            let config = Config::load(dir.path()).expect("load");
            assert_eq!(config.kiosk_id.as_deref(), Some("12345"));
            assert_eq!(config.office, "123");
            jail.set_env("KIOSK_LANGUAGE", "klingon");
            let err = Config::load(dir.path()).expect_err("unknown language");
            assert!(err.to_string().contains("klingon"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn office_offsets_parse_and_bad_ones_are_refused() {
        let with =
            |text: &str| Config { utc_offset: text.into(), ..Config::default() }.office_offset();
        assert_eq!(with("+08:00"), UtcOffset::from_hms(8, 0, 0).ok());
        assert_eq!(with("+8"), UtcOffset::from_hms(8, 0, 0).ok());
        assert_eq!(with("-03:30"), UtcOffset::from_hms(-3, -30, 0).ok());
        for bad in ["08:00", "+25:00", "", "+8:xx"] {
            assert_eq!(with(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_configuration_error_has_its_message() {
        let rules = [
            Rule::Language,
            Rule::Offset,
            Rule::KioskId,
            Rule::LogFilter,
            Rule::PinTries,
            Rule::Printer,
            Rule::Minutes,
            Rule::MailRelay,
            Rule::MailFrom,
            Rule::FeeCurrency,
            Rule::FeeUnpriced,
            Rule::FeeNotAtCounter,
            Rule::FeeYears,
            Rule::FeeAmount,
        ];
        let mut errors = vec![
            ConfigError::NotAFile { path: "/data/kiosk.toml".into() },
            ConfigError::Invalid { setting: "KIOSK_PIN_TRIES".into(), detail: "x".into() },
        ];
        errors.extend(rules.map(|rule| ConfigError::Value {
            setting: "KIOSK_X".into(),
            value: "v".into(),
            rule,
        }));
        let ids: Vec<_> = errors.iter().map(ConfigError::message_id).collect();
        assert_eq!(ids, ConfigError::MESSAGE_IDS, "MESSAGE_IDS lists every error once");
        for err in &errors {
            let args: Vec<_> = err.message_args().into_iter().map(|(k, v)| (k, v.into())).collect();
            for lang in Language::ALL {
                let text = i18n::text_with(lang, err.message_id(), &args);
                assert_ne!(text, err.message_id(), "{lang} lacks it");
                assert!(!text.contains("{ $"), "{lang}: {text}");
            }
        }
    }

    #[test]
    fn errors_name_the_variable_or_the_file_the_value_came_from() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let dir = tempfile::tempdir().expect("tempdir");
            jail.set_env("KIOSK_UTC_OFFSET", "+99:00");
            let err = Config::load(dir.path()).expect_err("bad offset");
            assert!(err.to_string().starts_with("KIOSK_UTC_OFFSET = "), "{err}");
            jail.set_env("KIOSK_UTC_OFFSET", "+08:00");
            std::fs::write(dir.path().join(Config::FILE_NAME), "kiosk_id = \"a/b\"\n")
                .expect("write");
            let err = Config::load(dir.path()).expect_err("bad kiosk id");
            assert!(err.to_string().contains("kiosk.toml: kiosk_id"), "{err}");
            jail.set_env("KIOSK_KIOSK_ID", "MACAU_01");
            std::fs::write(dir.path().join(Config::FILE_NAME), "log = \"a=[\"\n").expect("write");
            let err = Config::load(dir.path()).expect_err("bad log filter");
            assert!(err.to_string().contains("kiosk.toml: log"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn sign_in_minutes_default_to_five_and_come_from_file_or_environment() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let dir = tempfile::tempdir().expect("tempdir");
            let config = Config::load(dir.path()).expect("load");
            assert_eq!((config.signin_lockout_minutes, config.idle_lock_minutes), (5, 5));
            std::fs::write(dir.path().join(Config::FILE_NAME), "idle_lock_minutes = 10\n")
                .expect("write");
            jail.set_env("KIOSK_SIGNIN_LOCKOUT_MINUTES", "15");
            let config = Config::load(dir.path()).expect("load");
            assert_eq!((config.signin_lockout_minutes, config.idle_lock_minutes), (15, 10));
            jail.set_env("KIOSK_SIGNIN_LOCKOUT_MINUTES", "0");
            let err = Config::load(dir.path()).expect_err("no lockout is refused");
            assert!(err.to_string().starts_with("KIOSK_SIGNIN_LOCKOUT_MINUTES = "), "{err}");
            jail.set_env("KIOSK_SIGNIN_LOCKOUT_MINUTES", "five");
            let err = Config::load(dir.path()).expect_err("not a number");
            assert!(err.to_string().contains("KIOSK_SIGNIN_LOCKOUT_MINUTES"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn the_mail_relay_and_sender_are_checked_and_a_relay_password_is_never_shown() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let dir = tempfile::tempdir().expect("tempdir");
            assert_eq!(Config::load(dir.path()).expect("load").mail_relay, None);
            let toml =
                "mail_relay = \"smtps://relay.example.mo\"\nmail_from = \"counter@example.mo\"\n";
            std::fs::write(dir.path().join(Config::FILE_NAME), toml).expect("write");
            let config = Config::load(dir.path()).expect("load");
            assert_eq!(config.mail_relay.as_deref(), Some("smtps://relay.example.mo"));
            assert_eq!(config.mail_from.as_deref(), Some("counter@example.mo"));
            for good in ["smtp://127.0.0.1:2525", "smtp://relay:587?tls=required"] {
                jail.set_env("KIOSK_MAIL_RELAY", good);
                Config::load(dir.path()).unwrap_or_else(|e| panic!("{good}: {e}"));
            }
            for bad in ["relay.example.mo", "http://relay", "smtp://", "smtp://relay?tls=maybe"] {
                jail.set_env("KIOSK_MAIL_RELAY", bad);
                let err = Config::load(dir.path()).expect_err(bad);
                assert_eq!(err.message_id(), "config-error-mail-relay", "{bad}");
            }
            jail.set_env("KIOSK_MAIL_RELAY", "ftp://clerk:s3cret@relay.example.mo");
            let err = Config::load(dir.path()).expect_err("not smtp");
            assert!(err.to_string().starts_with("KIOSK_MAIL_RELAY = "), "{err}");
            assert!(!err.to_string().contains("s3cret"), "{err}");
            jail.set_env("KIOSK_MAIL_RELAY", "smtp://127.0.0.1:2525");
            jail.set_env("KIOSK_MAIL_FROM", "not an address");
            let err = Config::load(dir.path()).expect_err("bad sender");
            assert_eq!(err.message_id(), "config-error-mail-from");
            std::fs::write(dir.path().join(Config::FILE_NAME), "").expect("write");
            jail.clear_env();
            jail.set_env("KIOSK_MAIL_RELAY", "smtp://127.0.0.1:2525");
            let err = Config::load(dir.path()).expect_err("a relay needs a sender");
            assert_eq!(err.message_id(), "config-error-mail-from");
            Ok(())
        });
    }

    #[test]
    fn the_office_price_table_is_read_checked_and_named_where_it_is_wrong() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let dir = tempfile::tempdir().expect("tempdir");
            let example = Config::load(dir.path()).expect("load").fee_schedule();
            assert_eq!(example, FeeSchedule::example(Currency::Mop), "unset: the example");
            let table = |qualified: &str, extra: &str| {
                format!(
                    "currency = \"HKD\"\n[fees]\ntoken = 120\npostage = 25.5\n{extra}\
                     [fees.certificate]\nqualified = {qualified}\n\
                     standard = [350, 700, 1050, 1400, 1750]\n\
                     encryption = [350, 700, 1050, 1400, 1750]\n"
                )
            };
            let write = |text: String| {
                std::fs::write(dir.path().join(Config::FILE_NAME), text).expect("write")
            };
            write(table("[500, 1000, 1500, 2000, 2500]", "currency = \"HKD\"\n"));
            let fees = Config::load(dir.path()).expect("load").fee_schedule();
            assert_eq!(fees.currency, Currency::Hkd);
            assert_eq!(fees.certificate[&registry::model::CertificateClass::Qualified][2], 150_000);
            assert_eq!((fees.token, fees.postage), (12_000, 2_550));

            let refused = |text: String| {
                write(text);
                let err = Config::load(dir.path()).expect_err("refused");
                (err.message_id(), err.to_string())
            };
            let (id, text) = refused(table("[500, 1000, -1500, 2000, 2500]", ""));
            assert_eq!(id, "config-error-fee-amount");
            assert!(text.contains("kiosk.toml: fees.certificate.qualified (year 3)"), "{text}");
            let (id, text) = refused(table("[500, 1000]", ""));
            assert_eq!(id, "config-error-fee-years");
            assert!(text.contains("fees.certificate.qualified = \"2\""), "{text}");
            let (id, text) =
                refused(table("[500, 1000, 1500, 2000, 2500]", "currency = \"CNY\"\n"));
            assert_eq!(id, "config-error-fee-currency");
            assert!(text.contains("kiosk.toml: fees.currency = \"CNY\""), "{text}");
            let (id, _) = refused(table("[500, 1000, 1500, 2000, 2500]", "").replace(
                "encryption = [350, 700, 1050, 1400, 1750]\n",
                "cloud_sign = [1, 2, 3, 4, 5]\n",
            ));
            assert_eq!(id, "config-error-fee-not-at-counter");
            let (id, _) = refused(
                table("[500, 1000, 1500, 2000, 2500]", "")
                    .replace("encryption = [350, 700, 1050, 1400, 1750]\n", ""),
            );
            assert_eq!(id, "config-error-fee-unpriced");
            // A class the kiosk does not know, and a missing entry: figment names them.
            let (id, text) =
                refused(table("[500, 1000, 1500, 2000, 2500]", "").replace("standard", "gold"));
            assert_eq!(id, "config-error-invalid");
            assert!(text.contains("gold"), "{text}");
            let (id, text) =
                refused(table("[500, 1000, 1500, 2000, 2500]", "").replace("token = 120\n", ""));
            assert_eq!(id, "config-error-invalid");
            assert!(text.contains("token"), "{text}");
            Ok(())
        });
    }

    #[test]
    fn command_line_language_wins() {
        let config = Config { language: Some("pt".into()), ..Config::default() };
        assert_eq!(config.language(Some(Language::ZhHans)), Language::ZhHans);
        assert_eq!(config.language(None), Language::Pt);
    }
}
