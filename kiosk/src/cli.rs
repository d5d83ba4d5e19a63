//! The command line. With no subcommand the kiosk opens its terminal UI; the subcommands serve
//! scripts, tests and operators. Help text is English (the staff and operators' language); what
//! a command reports goes through i18n.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// Records in export's form (one JSON object a line), new ones or new versions of stored
    /// ones: every line is checked first, and one bad line (named by its number) imports nothing
    Import {
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// The file to import ("-": standard input)
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Join the central registry's hub: office and device identity from the credentials
    /// `registry-hub enroll` made (every record made afterwards belongs to that office)
    Join {
        /// The hub's address, wss://HOST:PORT
        #[arg(long, value_name = "URL")]
        hub: String,
        /// The credentials file (device key, its certificate, the CA to trust)
        #[arg(long, value_name = "FILE")]
        credentials: PathBuf,
    },
    /// Replication with the hub: sync now, or say where it stands
    #[command(group(
        clap::ArgGroup::new("what").required(true).args(["once", "status", "check_conflicts"])
    ))]
    Sync {
        /// Sync once now; exits non-zero, saying why, when the hub cannot be reached or refuses
        #[arg(long)]
        once: bool,
        /// Online or offline, events waiting to go up, the last good sync, conflicts waiting
        #[arg(long)]
        status: bool,
        /// Look through the whole store for conflicts a supervisor must decide (two persons
        /// with one ID document, two token records with one serial), list and keep them for
        /// the supervisors' queue; exits 3 when there are any
        #[arg(long)]
        check_conflicts: bool,
        /// With --status: one JSON object
        #[arg(long, requires = "status")]
        json: bool,
    },
    /// The signed chains of events in this kiosk's journals
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
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
    /// USB tokens: list, issue, renew, unlock, change PIN, revoke, report lost
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The office issuing CA: set up, import, revocation lists
    Ca {
        #[command(subcommand)]
        command: CaCommand,
    },
    /// Card readers, cameras, tokens and printers, each with its status
    Devices {
        #[arg(long)]
        json: bool,
        /// The PKCS#11 module whose tokens to list [default: token_module in kiosk.toml]
        #[arg(long, value_name = "PATH")]
        module: Option<PathBuf>,
    },
    /// Identity documents: passports and ID cards
    Doc {
        #[command(subcommand)]
        command: DocCommand,
    },
    /// QR codes
    Qr {
        #[command(subcommand)]
        command: QrCommand,
    },
    /// Photos of the person at the counter
    Photo {
        #[command(subcommand)]
        command: PhotoCommand,
    },
    /// Print forms, receipts and tests; the print spool
    Print {
        #[command(subcommand)]
        command: PrintCommand,
    },
    /// Appointments: the QR pass a booked person brings
    Appointment {
        #[command(subcommand)]
        command: AppointmentCommand,
    },
    /// Walk-in queue tickets
    #[command(name = "walk-in")]
    WalkIn {
        #[command(subcommand)]
        command: WalkInCommand,
    },
    /// Staff accounts: add, list, disable, new one-time code secret
    Clerk {
        #[command(subcommand)]
        command: ClerkCommand,
    },
    /// The mail outbox: email verification codes waiting for the office's mail relay
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// The counter's day-end close: a supervisor closes the day, kept as a record and printed
    #[command(name = "day-end")]
    DayEnd {
        #[command(subcommand)]
        command: DayEndCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every chain in the journals and name the first broken link
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum DayEndCommand {
    /// Close this counter's day (a supervisor; the password from standard input, asked without
    /// echo on a terminal): count it, keep the report as a record, print it
    Close {
        /// The supervisor who closes the day: their user name
        #[arg(long, value_name = "USER")]
        supervisor: String,
        /// The office day to close [default: today in the office's zone]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<time::Date>,
        #[command(flatten)]
        target: PrintTarget,
        /// The day as one JSON object
        #[arg(long)]
        json: bool,
    },
    /// This counter's day: as kept at its close, or the figures so far
    Show {
        /// The office day [default: today in the office's zone]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<time::Date>,
        /// The day as one JSON object
        #[arg(long)]
        json: bool,
        /// Also print the report (to the printer at URI, or to a PDF file)
        #[command(flatten)]
        target: PrintTarget,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// The outbox: each mail's recipient (masked), subject, state and tries
    Queue {
        #[arg(long)]
        json: bool,
    },
    /// Send the mails whose next try is due
    Send {
        /// Send every waiting mail now, without waiting for its next try (the relay is back)
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AppointmentCommand {
    /// Print the appointment's pass: the payload the booking system puts in the QR code it
    /// sends, signed with the office key (DATA_DIR/keys/pass.key)
    Pass {
        /// The appointment's record id
        #[arg(value_name = "APPOINTMENT_ID")]
        appointment: ulid::Ulid,
        /// Also draw it as a QR code in the terminal (light modules as blocks, for dark terminals)
        #[arg(long)]
        qr: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum WalkInCommand {
    /// Issue the next ticket of the office's day; print its number, and the ticket on the
    /// office's printer when one is configured
    Issue {
        #[arg(long, value_enum)]
        service: ServiceArg,
    },
}

/// The services of the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceArg {
    NewIssuance,
    Renewal,
    Change,
    Replacement,
    PinUnlock,
    Revocation,
    Redispatch,
}

impl From<ServiceArg> for registry::model::Service {
    fn from(arg: ServiceArg) -> Self {
        use registry::model::Service;
        match arg {
            ServiceArg::NewIssuance => Service::NewIssuance,
            ServiceArg::Renewal => Service::Renewal,
            ServiceArg::Change => Service::Change,
            ServiceArg::Replacement => Service::Replacement,
            ServiceArg::PinUnlock => Service::PinUnlock,
            ServiceArg::Revocation => Service::Revocation,
            ServiceArg::Redispatch => Service::Redispatch,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ClerkCommand {
    /// Add a clerk: the password from standard input (asked twice on a terminal, one line from a
    /// pipe); prints the one-time code secret as an otpauth:// URI and a QR code, once
    Add {
        /// The user name the clerk signs in with (letters, digits, dots, underscores)
        #[arg(long, value_name = "ID")]
        id: String,
        /// The name shown on screen and in records
        #[arg(long, value_name = "NAME")]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Every clerk: id, role, active or not, whether a one-time code is set up (never secrets)
    List {
        /// One JSON object a line
        #[arg(long)]
        json: bool,
    },
    /// Stop a clerk from signing in
    Disable {
        /// The clerk's user name or record id
        id: String,
    },
    /// Give a clerk a new one-time code secret (a lost phone); prints it like add
    ResetTotp {
        /// The clerk's user name or record id
        id: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Clerk,
    Supervisor,
}

/// Where a document goes: a printer, or a PDF file. Neither: the office's default printer,
/// when the caller has one (`print_cmd::run_with_default_printer`).
#[derive(Debug, Clone, Args)]
#[group(multiple = false)]
pub struct PrintTarget {
    /// The printer's IPP URI (ipp://host:631/printers/QUEUE)
    #[arg(long, value_name = "URI")]
    pub printer: Option<String>,
    /// Write the PDF to FILE instead of printing
    #[arg(long, value_name = "FILE", alias = "out")]
    pub to_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// The application form, with the QR code that opens the application when scanned back
    Form {
        #[arg(long, value_name = "ID")]
        application: ulid::Ulid,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// The receipt of a paid application
    Receipt {
        #[arg(long, value_name = "ID")]
        application: ulid::Ulid,
        #[command(flatten)]
        target: PrintTarget,
    },
    /// A test page in the clerk's language
    Test {
        /// The printer's IPP URI [default: the office's default printer]
        #[arg(long, value_name = "URI")]
        printer: Option<String>,
    },
    /// The spool: jobs waiting, printed and failed (sends the waiting ones that are due first)
    Queue {
        #[arg(long)]
        json: bool,
        /// Send every waiting job now, without waiting for its next try (the printer is back)
        #[arg(long)]
        now: bool,
    },
    /// Cancel a job that has not printed, erasing its PDF (a supervisor)
    Cancel {
        /// The job, as "kiosk print queue" shows it
        job: ulid::Ulid,
        /// The supervisor who cancels it: their staff record id or user name
        #[arg(long, value_name = "CLERK")]
        supervisor: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DocCommand {
    /// Read an ePassport or eID over PC/SC (--mrz), or a Mainland ID card (--cn-reader); prints
    /// JSON
    Read {
        /// The printed MRZ: its lines run together, or separated by newlines
        #[arg(long, value_name = "LINES", required_unless_present = "cn_reader")]
        mrz: Option<String>,
        /// The serial device of a Mainland ID card reader (e.g. /dev/ttyUSB0)
        #[arg(long, value_name = "DEVICE", conflicts_with_all = ["mrz", "reader", "csca"])]
        cn_reader: Option<PathBuf>,
        /// Write the chip's face image (or the Mainland card's WLT photo) to FILE
        #[arg(long, value_name = "FILE")]
        photo_out: Option<PathBuf>,
        /// The PC/SC reader to use [default: the first reader holding a card]
        #[arg(long, value_name = "NAME")]
        reader: Option<String>,
        /// Directory of trusted CSCA certificates [default: DATA_DIR/csca]
        #[arg(long, value_name = "DIR")]
        csca: Option<PathBuf>,
        /// How long to wait for the Mainland reader, in milliseconds
        #[arg(long, value_name = "MS", default_value_t = 5000)]
        timeout_ms: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Check a photo against the counter's rules (JPEG, PNG or TIFF; size; exposure) and write it
    /// re-encoded as JPEG under 3 MB; prints JSON
    Check {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Show the chip's photo and the counter's photo side by side
    Compare { chip: PathBuf, captured: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum QrCommand {
    /// Print each QR code's payload in an image file on its own line (exit 1 when none)
    Decode { file: PathBuf },
}

/// Which token: its PKCS#11 module and its label.
#[derive(Debug, Clone, Args)]
pub struct TokenAt {
    /// The PKCS#11 module of the token (e.g. /usr/lib/softhsm/libsofthsm2.so)
    #[arg(long, value_name = "PATH")]
    pub module: PathBuf,
    /// The token's label, as "kiosk token list" shows it
    #[arg(long, value_name = "LABEL")]
    pub token_label: String,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// The tokens plugged in, with their status in the inventory
    List {
        #[arg(long, value_name = "PATH")]
        module: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Initialise a token from stock: label, SO PIN and user PIN
    Init {
        #[command(flatten)]
        at: TokenAt,
        #[arg(long, env = "KIOSK_SO_PIN", hide_env_values = true)]
        so_pin: String,
        #[arg(long, env = "KIOSK_TOKEN_PIN", hide_env_values = true)]
        pin: String,
    },
    /// Issue a certificate: key pair generated on the token, signed by the office CA (prints
    /// JSON with serial and sha256). With --pkcs12, into a password-protected file instead.
    Issue {
        #[arg(long, value_name = "PATH", required_unless_present = "pkcs12")]
        module: Option<PathBuf>,
        #[arg(long, value_name = "LABEL", required_unless_present = "pkcs12")]
        token_label: Option<String>,
        /// The holder's PIN [env: KIOSK_TOKEN_PIN]
        #[arg(
            long,
            env = "KIOSK_TOKEN_PIN",
            hide_env_values = true,
            required_unless_present = "pkcs12"
        )]
        pin: Option<String>,
        /// qualified-person, standard-person, encryption-person, qualified-organisation,
        /// standard-organisation, encryption-organisation, person-in-organisation,
        /// legal-representative
        #[arg(long, value_name = "NAME")]
        profile: String,
        /// The subject, e.g. "CN=陳大文,C=MO,serialNumber=1234567(8)"
        #[arg(long, value_name = "DN")]
        subject: String,
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=5))]
        validity_years: u8,
        #[arg(long, value_enum, default_value_t = KeyArg::Rsa2048)]
        key: KeyArg,
        /// The holder's person record
        #[arg(long, value_name = "ID")]
        holder: Option<ulid::Ulid>,
        /// The holder's organisation record
        #[arg(long, value_name = "ID")]
        organisation: Option<ulid::Ulid>,
        /// No token: write the key and certificate into this PKCS#12 file (profiles that allow it)
        #[arg(long, value_name = "FILE", conflicts_with_all = ["module", "token_label"], requires = "password")]
        pkcs12: Option<PathBuf>,
        /// The PKCS#12 file's password [env: KIOSK_PKCS12_PASSWORD]
        #[arg(long, env = "KIOSK_PKCS12_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Renew the token's certificate with the same key pair or a new one (prints JSON)
    Renew {
        #[command(flatten)]
        at: TokenAt,
        #[arg(long, env = "KIOSK_TOKEN_PIN", hide_env_values = true)]
        pin: String,
        #[arg(long, conflicts_with = "new_key", required_unless_present = "new_key")]
        same_key: bool,
        #[arg(long)]
        new_key: bool,
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=5))]
        validity_years: u8,
    },
    /// Set a new user PIN with the SO PIN, after checking the holder's identity
    Unlock {
        #[command(flatten)]
        at: TokenAt,
        #[arg(long, env = "KIOSK_SO_PIN", hide_env_values = true)]
        so_pin: String,
        #[arg(long, hide_env_values = true)]
        new_pin: String,
    },
    /// Change the user PIN (needs the current one)
    ChangePin {
        #[command(flatten)]
        at: TokenAt,
        #[arg(long, env = "KIOSK_TOKEN_PIN", hide_env_values = true)]
        pin: String,
        #[arg(long)]
        new_pin: String,
    },
    /// Revoke a certificate (final; its seals are revoked with it)
    Revoke {
        #[arg(long, value_name = "HEX")]
        serial: String,
        #[arg(long, value_enum)]
        reason: ReasonArg,
    },
    /// Record a token as lost, damaged or retired in the inventory
    Report {
        /// The token's serial (chip number)
        #[arg(long, value_name = "SERIAL")]
        serial: String,
        #[arg(long, value_enum)]
        status: ReportArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Create a root and an office CA on a token, for a demo or test office (PIN from
    /// KIOSK_CA_PIN, else asked)
    Init {
        #[command(flatten)]
        at: TokenAt,
        /// Where to write the PEM chain (office CA, then root)
        #[arg(long, value_name = "FILE")]
        out_cert: PathBuf,
        /// The office's name in the CA names [default: the configured office]
        #[arg(long)]
        name: Option<String>,
    },
    /// Make the office CA's key pair on its token and write a CSR for the central CA
    Request {
        #[command(flatten)]
        at: TokenAt,
        #[arg(long, value_name = "DN")]
        subject: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Take in the office CA certificate the central CA signed (PEM chain, office CA first)
    Import {
        #[command(flatten)]
        at: TokenAt,
        #[arg(long, value_name = "FILE")]
        chain: PathBuf,
    },
    /// Write a CRL (DER) of every revoked certificate this office CA issued
    Crl {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeyArg {
    Rsa2048,
    Rsa3072,
    P256,
}

impl From<KeyArg> for tokens::KeyKind {
    fn from(key: KeyArg) -> Self {
        match key {
            KeyArg::Rsa2048 => tokens::KeyKind::Rsa2048,
            KeyArg::Rsa3072 => tokens::KeyKind::Rsa3072,
            KeyArg::P256 => tokens::KeyKind::P256,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReasonArg {
    #[value(name = "keyCompromise")]
    KeyCompromise,
    #[value(name = "cessationOfOperation")]
    CessationOfOperation,
    #[value(name = "superseded")]
    Superseded,
    #[value(name = "affiliationChanged")]
    AffiliationChanged,
    #[value(name = "unspecified")]
    Unspecified,
}

impl From<ReasonArg> for registry::model::RevocationReason {
    fn from(reason: ReasonArg) -> Self {
        use registry::model::RevocationReason as R;
        match reason {
            ReasonArg::KeyCompromise => R::KeyCompromise,
            ReasonArg::CessationOfOperation => R::CessationOfOperation,
            ReasonArg::Superseded => R::Superseded,
            ReasonArg::AffiliationChanged => R::AffiliationChanged,
            ReasonArg::Unspecified => R::Unspecified,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportArg {
    Lost,
    Damaged,
    Retired,
}

impl From<ReportArg> for registry::model::TokenStatus {
    fn from(status: ReportArg) -> Self {
        use registry::model::TokenStatus as T;
        match status {
            ReportArg::Lost => T::Lost,
            ReportArg::Damaged => T::Damaged,
            ReportArg::Retired => T::Retired,
        }
    }
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
        /// Add the demo office even if the store already holds records; the demo staff get new
        /// passwords (the way back when an earlier run's were lost)
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

fn parse_date(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), format)
        .map_err(|_| format!("{text:?} is not a date: YYYY-MM-DD"))
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
