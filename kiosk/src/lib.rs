//! The registry counter kiosk: every command and the counter app. The binary (`main.rs`) only
//! calls [`main_entry`]; the library exists so that benchmarks drive the app's own code.
#![forbid(unsafe_code)]

pub mod auth;
pub mod clerk_cmd;
pub mod cli;
pub mod commands;
pub mod config;
pub mod counter;
pub mod counter_cmd;
pub mod data_dir;
pub mod day_end;
pub mod day_end_cmd;
pub mod demo;
pub mod device_cmd;
pub mod import_cmd;
pub mod logging;
pub mod mail;
pub mod members;
pub mod office_keys;
pub mod output;
pub mod photos;
pub mod print_cmd;
pub mod print_docs;
pub mod registration;
pub mod signin;
pub mod subscriber_file;
pub mod sync;
pub mod sync_cmd;
#[cfg(test)]
mod test_fixtures;
pub mod token_cmd;
pub mod ui;
pub mod visits;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use i18n::{FluentValue, Language};

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::output::errln;

/// What every command needs: where the data lives, the configuration, and the language to speak.
#[derive(Debug)]
pub struct Context {
    pub data_dir: PathBuf,
    pub config: Config,
    pub lang: Language,
}

impl Context {
    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("kiosk.db")
    }

    /// Opens the store, creating the data directory on first use. A store that did not exist
    /// until now is said on stderr: a mistyped `--data-dir` would otherwise quietly answer from
    /// a new, empty store ("nobody found", "0 records") as if it were the office's.
    pub fn open_store(&self) -> Result<store::Store, KioskError> {
        let new = !self.store_path().exists();
        let store = self.open_store_quietly()?;
        if new {
            errln!("{}", self.t_with("notice-new-store", &[("dir", self.data_dir_shown().into())]));
        }
        Ok(store)
    }

    /// Opens the store where a new one is expected (`demo init` provisions it).
    pub fn open_store_quietly(&self) -> Result<store::Store, KioskError> {
        data_dir::create(&self.data_dir)
            .map_err(|e| KioskError::DataDir { dir: self.data_dir.clone(), source: e })?;
        let options =
            store::StoreOptions { kiosk_id: self.config.kiosk_id.clone(), ..Default::default() };
        Ok(store::Store::open(&self.store_path(), options)?)
    }

    /// The data directory as a person reads it: paths are bytes, not always UTF-8.
    pub fn data_dir_shown(&self) -> String {
        self.data_dir.to_string_lossy().into_owned()
    }

    /// The office's UTC offset (validated when the configuration was loaded).
    pub fn office_offset(&self) -> time::UtcOffset {
        self.config.office_offset().unwrap_or(time::UtcOffset::UTC)
    }

    pub fn t(&self, id: &str) -> String {
        i18n::text(self.lang, id)
    }

    pub fn t_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        i18n::text_with(self.lang, id, args)
    }

    /// A message whose arguments are text, as the libraries' errors give them
    /// (`message_args()`).
    pub fn t_pairs(&self, id: &str, pairs: Vec<(&'static str, String)>) -> String {
        self.t_with(id, &string_args(pairs))
    }
}

/// Failures a command reports to the person at the keyboard.
#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Token(tokens::TokenError),
    #[error("cannot use the data directory {dir}: {source}")]
    DataDir { dir: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Standard output could not be written: closed by its reader (a quiet end) or full.
    #[error("could not write the output: {0}")]
    Output(std::io::Error),
    #[error("{0}")]
    Message(String),
    /// The kiosk (or a device) said no: the sentence is already in the clerk's language.
    #[error("{0}")]
    Refused(String),
    /// The command could not do its work: the sentence is already in the clerk's language.
    #[error("{0}")]
    Failed(String),
}

impl KioskError {
    /// What kind of failure this is, for the log (never the values involved).
    pub fn category(&self) -> &'static str {
        match self {
            KioskError::Store(err) => err.category(),
            KioskError::Config(_) => "config",
            KioskError::Token(err) => err.category(),
            KioskError::DataDir { .. } => "data dir",
            KioskError::Io(_) => "io",
            KioskError::Output(_) => "output",
            KioskError::Message(_) => "other",
            KioskError::Refused(_) => "refused",
            KioskError::Failed(_) => "failed",
        }
    }

    /// The sentence the person at the keyboard reads: what went wrong in their language, with
    /// the technical detail last for support.
    pub fn localised(&self, ctx: &Context) -> String {
        let detail = |d: String| vec![("detail", FluentValue::from(d))];
        match self {
            KioskError::Store(e) => store_error_text(ctx, e),
            KioskError::Refused(text) | KioskError::Failed(text) => text.clone(),
            KioskError::Token(err) => token_cmd::localised(ctx, err),
            KioskError::DataDir { dir, source } => ctx.t_with(
                "error-data-dir",
                &[
                    ("dir", dir.to_string_lossy().into_owned().into()),
                    ("detail", source.to_string().into()),
                ],
            ),
            KioskError::Config(err) => ctx.t_pairs(err.message_id(), err.message_args()),
            KioskError::Output(e) => ctx.t_with("error-output", &detail(e.to_string())),
            KioskError::Io(_) | KioskError::Message(_) => {
                ctx.t_with("error-failed", &detail(self.to_string()))
            }
        }
    }
}

/// The clerk's sentence for a store failure, with the technical detail last for support.
pub fn store_error_text(ctx: &Context, err: &store::StoreError) -> String {
    use store::StoreError;
    let detail = |d: String| vec![("detail", FluentValue::from(d))];
    match err {
        StoreError::NewerSchema { .. } => ctx.t_with("error-store-newer", &detail(err.to_string())),
        StoreError::Invalid { problems, .. } => {
            let list: Vec<String> =
                problems.iter().map(|p| format!("{} — {}", p.field, ctx.t(p.code))).collect();
            ctx.t_with("error-invalid-record", &detail(list.join("; ")))
        }
        // A file SQLite cannot read is damaged, not busy: "try again" would not help.
        e if e.is_damaged_file() => ctx.t_with("error-store-damaged", &detail(err.to_string())),
        _ => ctx.t_with("error-store", &detail(err.to_string())),
    }
}

impl From<tokens::TokenError> for KioskError {
    /// Store and disk failures inside a token operation report as themselves.
    fn from(err: tokens::TokenError) -> Self {
        match err {
            tokens::TokenError::Store(e) => KioskError::Store(e),
            tokens::TokenError::Io(e) => KioskError::Io(e),
            other => KioskError::Token(other),
        }
    }
}

impl KioskError {
    /// 1 when the kiosk refused (a wrong PIN, a lost token, a bad subject), 70 when it failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            KioskError::Token(err) if token_cmd::is_refusal(err) => 1,
            KioskError::Refused(_) => 1,
            KioskError::Config(_) => EXIT_CONFIG,
            // The reader of a pipe has seen what it wanted: the command's work is done.
            KioskError::Output(e) if output::is_closed_pipe(e) => 0,
            _ => EXIT_FAILED,
        }
    }
}

/// Exit status of a command that failed to run (the store, the disk), as opposed to one that
/// ran and answered "invalid" (1) or was called wrongly (2). From sysexits: EX_SOFTWARE.
const EXIT_FAILED: u8 = 70;
/// Exit status when the configuration cannot be used (sysexits' EX_CONFIG).
const EXIT_CONFIG: u8 = 78;

/// The `kiosk` binary: parses the command line and runs the command.
pub fn main_entry() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage(&err),
    };
    let data_dir = cli.data_dir.clone().unwrap_or_else(config::default_data_dir);
    // Checking a number or an MRZ needs nothing from the configuration but its language, so a
    // broken kiosk.toml must not turn their answers into failures.
    let standalone = matches!(cli.command, Some(Command::Id { .. } | Command::Mrz { .. }));
    let config = match Config::load(&data_dir) {
        Ok(config) => config,
        Err(_) if standalone => Config::default(),
        Err(err) => {
            let lang = cli
                .lang
                .or_else(|| std::env::var("KIOSK_LANGUAGE").ok()?.parse().ok())
                .or_else(config::language_from_locale)
                .unwrap_or_default();
            errln!("{}", i18n::text_with(lang, err.message_id(), &string_args(err.message_args())));
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let lang = config.language(cli.lang);
    let mut log_guard = None;
    if !standalone {
        // Everything the kiosk creates from here on is its owner's alone: the store holds
        // personal data and the clerks' password hashes.
        data_dir::restrict_new_files();
        if let Err(err) = data_dir::secure_existing(&data_dir) {
            errln!(
                "{}",
                i18n::text_with(
                    lang,
                    "warning-data-dir-permissions",
                    &[
                        ("dir", data_dir.to_string_lossy().into_owned().into()),
                        ("detail", err.to_string().into()),
                    ]
                )
            );
        }
        match logging::init(&data_dir, &config.log) {
            Ok(guard) => log_guard = Some(guard),
            // Said once, at start: the counter keeps working, and records still go to the store.
            Err(err) => errln!(
                "{}",
                i18n::text_with(
                    lang,
                    "warning-logs-unwritable",
                    &[
                        ("dir", data_dir.join("logs").to_string_lossy().into_owned().into()),
                        ("detail", err.to_string().into()),
                    ]
                )
            ),
        }
    }
    let _log_guard = log_guard;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), command = ?cli.command.as_ref().map(command_name), "kiosk started");
    let ctx = Context { data_dir, config, lang };
    match run(&ctx, cli.command) {
        Ok(code) => code,
        Err(KioskError::Output(e)) if output::is_closed_pipe(&e) => {
            tracing::info!("the output's reader closed the pipe");
            ExitCode::SUCCESS
        }
        Err(err) => {
            // The category only: the full text can quote record values.
            tracing::error!(category = err.category(), "command failed");
            errln!("{}", err.localised(&ctx));
            ExitCode::from(err.exit_code())
        }
    }
}

/// A usage error, `--help` or `--version`, printed by clap's rules but through the output layer:
/// clap would print a mistyped value's control characters raw, and panic on a closed pipe.
fn usage(err: &clap::Error) -> ExitCode {
    let text = err.render().to_string();
    // A line at a time: the output layer escapes line feeds inside a line.
    for line in text.trim_end().lines() {
        if err.use_stderr() {
            errln!("{line}");
        } else if let Err(e) = output::line(line) {
            let lang = config::language_from_locale().unwrap_or_default();
            errln!(
                "{}",
                i18n::text_with(lang, "error-output", &[("detail", e.to_string().into())])
            );
            return ExitCode::from(EXIT_FAILED);
        }
    }
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
}

/// Fluent arguments from a library error's text arguments.
fn string_args(pairs: Vec<(&'static str, String)>) -> Vec<(&'static str, FluentValue<'static>)> {
    pairs.into_iter().map(|(k, v)| (k, FluentValue::from(v))).collect()
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Id { .. } => "id",
        Command::Mrz { .. } => "mrz",
        Command::Demo { .. } => "demo",
        Command::Export { .. } => "export",
        Command::Import { .. } => "import",
        Command::Join { .. } => "join",
        Command::Sync { .. } => "sync",
        Command::Audit { .. } => "audit",
        Command::Search { .. } => "search",
        Command::Store { .. } => "store",
        Command::Token { .. } => "token",
        Command::Ca { .. } => "ca",
        Command::Devices { .. } => "devices",
        Command::Doc { .. } => "doc",
        Command::Qr { .. } => "qr",
        Command::Photo { .. } => "photo",
        Command::Print { .. } => "print",
        Command::Appointment { .. } => "appointment",
        Command::WalkIn { .. } => "walk-in",
        Command::Clerk { .. } => "clerk",
        Command::Mail { .. } => "mail",
        Command::DayEnd { .. } => "day-end",
    }
}

fn run(ctx: &Context, command: Option<Command>) -> Result<ExitCode, KioskError> {
    use cli::{DemoCommand, IdCommand, MrzCommand, StoreCommand};
    match command {
        None => ui::start_counter(ctx),
        Some(Command::Id { command: IdCommand::Check { kind, value } }) => {
            commands::id_check(ctx, kind, &value)
        }
        Some(Command::Mrz { command: MrzCommand::Parse }) => commands::mrz_parse(ctx),
        Some(Command::Demo { command: DemoCommand::Init { force } }) => demo::init(ctx, force),
        Some(Command::Export { format: cli::ExportFormat::Jsonl }) => commands::export(ctx),
        Some(Command::Import { format: cli::ExportFormat::Jsonl, file }) => {
            import_cmd::run(ctx, &file)
        }
        Some(Command::Join { hub, credentials }) => sync_cmd::join(ctx, &hub, &credentials),
        Some(Command::Sync { once, status: _, check_conflicts, json }) => {
            if once {
                sync_cmd::once(ctx)
            } else if check_conflicts {
                sync_cmd::check_conflicts(ctx)
            } else {
                sync_cmd::status(ctx, json)
            }
        }
        Some(Command::Audit { command: cli::AuditCommand::Verify }) => sync_cmd::audit_verify(ctx),
        Some(Command::Search { text, json, limit }) => commands::search(ctx, &text, json, limit),
        Some(Command::Store { command }) => match command {
            StoreCommand::Verify => commands::store_verify(ctx),
            StoreCommand::Rebuild => commands::store_rebuild(ctx),
            StoreCommand::Stats => commands::store_stats(ctx),
        },
        Some(Command::Token { command }) => token_cmd::run_token(ctx, command),
        Some(Command::Ca { command }) => token_cmd::run_ca(ctx, command),
        Some(Command::Devices { json, module }) => device_cmd::devices(ctx, json, module),
        Some(Command::Doc { command }) => device_cmd::doc(ctx, command),
        Some(Command::Qr { command: cli::QrCommand::Decode { file } }) => {
            device_cmd::qr_decode(ctx, &file)
        }
        Some(Command::Print { command }) => print_cmd::run(ctx, command),
        Some(Command::Appointment { command }) => counter_cmd::appointment(ctx, command),
        Some(Command::WalkIn { command }) => counter_cmd::walk_in(ctx, command),
        Some(Command::Clerk { command }) => clerk_cmd::run(ctx, command),
        Some(Command::Mail { command }) => mail::run(ctx, command),
        Some(Command::DayEnd { command }) => day_end_cmd::run(ctx, command),
        Some(Command::Photo { command }) => match command {
            cli::PhotoCommand::Check { file, out } => photos::check(ctx, &file, out.as_deref()),
            cli::PhotoCommand::Compare { chip, captured } => {
                ui::start_photos(ctx, &chip, &captured)
            }
        },
    }
}
