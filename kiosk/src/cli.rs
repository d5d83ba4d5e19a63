//! The command line. With no subcommand the kiosk opens its terminal UI; the subcommands serve
//! scripts, tests and operators. Help text is English (the staff and operators' language); what
//! a command reports goes through i18n.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use i18n::Language;
use registry::ids::IdKind;

#[derive(Debug, Parser)]
#[command(name = "kiosk", version, about = "The registry counter kiosk")]
pub struct Cli {
    /// Where the store, configuration and logs live [default: the per-user data directory]
    #[arg(long, global = true, env = "KIOSK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Language: zh-Hant, zh-Hans, pt or en [default: configuration, then system locale]
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_language)]
    pub lang: Option<Language>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Identity numbers
    Id {
        #[command(subcommand)]
        command: IdCommand,
    },
    /// Machine readable zones of passports and ID cards
    Mrz {
        #[command(subcommand)]
        command: MrzCommand,
    },
    /// A demo office to try the kiosk with
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Every record of the local store
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
    },
    /// Find a subscriber by ID number, certificate serial, phone, or part of a name
    Search {
        text: String,
        /// One JSON object a line instead of a table
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Maintenance of the local store
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum IdCommand {
    /// Exit 0 when VALUE is a valid number of KIND, 1 (with the reason on stderr) when not
    Check {
        #[arg(long, value_parser = parse_id_kind, value_name = "cn-resident|uscc|hk|mo")]
        kind: IdKind,
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MrzCommand {
    /// Read 2 or 3 MRZ lines on stdin and print them as JSON (exit 1 if a check fails, 2 if
    /// the input is not an MRZ)
    Parse,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Provision a demo office: clerks, subscribers, certificates, appointments, applications
    Init {
        /// Add the demo office even if the store already holds records
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Check that every record equals the fold of its events and the file is sound
    Verify,
    /// Rebuild every record and index from the event log alone
    Rebuild,
    /// Counts of events and records
    Stats,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
}

fn parse_language(text: &str) -> Result<Language, String> {
    text.parse().map_err(|e: i18n::UnknownLanguage| e.to_string())
}

fn parse_id_kind(text: &str) -> Result<IdKind, String> {
    text.parse().map_err(|_| format!("unknown kind {text:?}: use cn-resident, uscc, hk or mo"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
