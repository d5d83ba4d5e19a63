//! `registry-hub`: the central registry's end of replication (see `sync::hub`).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use i18n::{Language, text_with};
use sync::hub::{self, Database};

#[derive(Debug, Parser)]
#[command(name = "registry-hub", version, about = "The central registry's replication hub")]
struct Cli {
    /// Language of what the hub prints (en, pt, zh-Hant, zh-Hans); else from LANG.
    #[arg(long, global = true)]
    lang: Option<Language>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Accepts kiosks over WebSocket with mutual TLS and keeps their offices' journals.
    Serve {
        #[arg(long)]
        listen: String,
        /// `sqlite:PATH` or `postgres://USER@HOST:PORT/DB`.
        #[arg(long)]
        database: String,
        /// Where the infrastructure CA and the hub's certificate are (made on first start).
        #[arg(long)]
        tls_dir: PathBuf,
        /// Names the hub's certificate is for (default: localhost, 127.0.0.1, ::1).
        #[arg(long = "name")]
        names: Vec<String>,
    },
    /// Makes a kiosk's device key and certificate, and the CA it trusts, in one file.
    Enroll {
        #[arg(long)]
        tls_dir: PathBuf,
        #[arg(long)]
        office: String,
        #[arg(long)]
        out: PathBuf,
        /// The kiosk's id (default: a new one).
        #[arg(long)]
        kiosk: Option<String>,
    },
    /// The office's records as the hub projected them, in `kiosk export`'s form.
    Export {
        #[arg(long)]
        database: String,
        #[arg(long)]
        office: String,
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
    },
    Journal {
        #[command(subcommand)]
        command: JournalCommand,
    },
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The central registry's own journal, which every office's kiosks receive
    Central {
        #[command(subcommand)]
        command: CentralCommand,
    },
    /// Records of any offices that share what only one may have (one identity document on two
    /// persons, one token serial on two tokens), for a supervisor of the registry to decide
    Conflicts {
        #[arg(long)]
        database: String,
        /// One JSON object a line
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Jsonl,
}

#[derive(Debug, Subcommand)]
enum JournalCommand {
    /// Writes each of the office's documents as its automerge save file.
    Save {
        #[arg(long)]
        database: String,
        #[arg(long)]
        office: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum CentralCommand {
    /// Records in `kiosk export`'s form into the central journal: every line checked first
    /// (one bad line imports nothing), then new or changed records signed by the hub
    Import {
        #[arg(long)]
        database: String,
        #[arg(long)]
        tls_dir: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
        /// The file ("-": standard input)
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Checks every kiosk's chain of signed events and names the first broken link.
    Verify {
        #[arg(long)]
        database: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REGISTRY_HUB_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let lang = cli
        .lang
        .or_else(|| {
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|v| std::env::var(v).ok())
                .find_map(|l| Language::from_posix_locale(&l))
        })
        .unwrap_or_default();
    match run(cli.command, lang) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", say(lang, "hub-failed", &[("why", e.to_string())]));
            ExitCode::FAILURE
        }
    }
}

fn say(lang: Language, id: &str, args: &[(&str, String)]) -> String {
    let args: Vec<_> = args.iter().map(|(k, v)| (*k, v.as_str().into())).collect();
    text_with(lang, id, &args)
}

fn run(command: Command, lang: Language) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match command {
        Command::Serve { listen, database, tls_dir, names } => {
            let infra = sync::pki::Infra::open_or_create(&tls_dir, &names)?;
            // Opening it once here says at once when the database cannot be used.
            drop(hub::open_database(&database)?);
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen).await?;
                let addr = listener.local_addr()?;
                println!("{}", say(lang, "hub-listening", &[("address", addr.to_string())]));
                hub::server::serve(listener, infra.server_config(), database).await?;
                Ok::<_, Box<dyn std::error::Error>>(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Enroll { tls_dir, office, out, kiosk } => {
            let infra = sync::pki::Infra::open_or_create(&tls_dir, &[])?;
            let creds = infra.enroll(&office, kiosk.as_deref())?;
            creds.write_new_owner_only(&out)?;
            println!(
                "{}",
                say(
                    lang,
                    "hub-enrolled",
                    &[
                        ("kiosk", creds.kiosk.clone()),
                        ("office", creds.office.clone()),
                        ("path", out.display().to_string())
                    ]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { database, office, format: Format::Jsonl } => {
            let mut db = hub::open_database(&database)?;
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            db.export(&office, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Journal { command: JournalCommand::Save { database, office, out } } => {
            let mut db = hub::open_database(&database)?;
            let saved = save_journals(db.as_mut(), &office, &out)?;
            println!(
                "{}",
                say(
                    lang,
                    "hub-journals-saved",
                    &[("count", saved.to_string()), ("path", out.display().to_string())]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Conflicts { database, json } => conflicts(&database, json, lang),
        Command::Central {
            command: CentralCommand::Import { database, tls_dir, format: Format::Jsonl, file },
        } => central_import(&database, &tls_dir, &file, lang),
        Command::Audit { command: AuditCommand::Verify { database } } => {
            let mut db = hub::open_database(&database)?;
            match hub::audit_verify(db.as_mut())? {
                Ok(checked) => {
                    println!("{}", say(lang, "hub-audit-good", &[("count", checked.to_string())]));
                    Ok(ExitCode::SUCCESS)
                }
                Err(broken) => {
                    println!(
                        "{}",
                        say(
                            lang,
                            "hub-audit-broken",
                            &[
                                ("kiosk", broken.kiosk),
                                ("seq", broken.seq.to_string()),
                                ("event", broken.event_id),
                                ("why", broken.why)
                            ]
                        )
                    );
                    Ok(ExitCode::from(3))
                }
            }
        }
    }
}

/// How many bad lines a refusal lists; the rest are counted.
const SHOWN_BAD_LINES: usize = 20;

fn central_import(
    database: &str,
    tls_dir: &Path,
    file: &Path,
    lang: Language,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let input: Box<dyn io::Read> = if file == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        match fs::File::open(file) {
            Ok(f) => Box::new(f),
            Err(e) => {
                let args = [("file", file.display().to_string()), ("detail", e.to_string())];
                eprintln!("{}", say(lang, "import-cannot-read", &args));
                return Ok(ExitCode::from(1));
            }
        }
    };
    let infra = sync::pki::Infra::open_or_create(tls_dir, &[])?;
    let writer = infra.central_writer()?;
    let mut db = hub::open_database(database)?;
    let now = time::OffsetDateTime::now_utc();
    let now_ms = u64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    match hub::central::import(
        db.as_mut(),
        &writer,
        io::BufReader::new(input),
        &now.date().to_string(),
        now_ms,
    ) {
        Ok(done) => {
            let args = [
                ("new", done.new.to_string()),
                ("changed", done.changed.to_string()),
                ("unchanged", done.unchanged.to_string()),
            ];
            println!("{}", say(lang, "import-done", &args));
            Ok(ExitCode::SUCCESS)
        }
        Err(hub::central::CentralError::BadLines(bad)) => {
            eprintln!("{}", say(lang, "import-refused", &[("count", bad.len().to_string())]));
            for b in bad.iter().take(SHOWN_BAD_LINES) {
                let args: Vec<(&str, String)> = b.reason.message_args(|id| i18n::text(lang, id));
                let reason = say(lang, b.reason.message_id(), &args);
                eprintln!(
                    "{}",
                    say(
                        lang,
                        "import-bad-line",
                        &[("line", b.line.to_string()), ("reason", reason)]
                    )
                );
            }
            if bad.len() > SHOWN_BAD_LINES {
                let more = (bad.len() - SHOWN_BAD_LINES).to_string();
                eprintln!("{}", say(lang, "import-more-bad-lines", &[("count", more)]));
            }
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

fn conflicts(
    database: &str,
    json: bool,
    lang: Language,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut db = hub::open_database(database)?;
    let conflicts = db.conflicts()?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if conflicts.is_empty() && !json {
        writeln!(out, "{}", say(lang, "hub-conflicts-none", &[]))?;
    }
    for conflict in &conflicts {
        if json {
            serde_json::to_writer(&mut out, conflict)?;
            writeln!(out)?;
            continue;
        }
        let what = say(lang, &format!("hub-conflict-{}", conflict.kind), &[]);
        let records: Vec<String> = conflict
            .records
            .iter()
            .map(|(office, kind, id)| format!("{office} {kind} {id}"))
            .collect();
        writeln!(
            out,
            "{}",
            say(
                lang,
                "hub-conflict",
                &[("what", what), ("key", conflict.key.clone()), ("records", records.join("; "))]
            )
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Each document of `office` as `OUT/manifest.automerge` and `OUT/journal-PERIOD.automerge`.
fn save_journals(
    db: &mut dyn Database,
    office: &str,
    out: &Path,
) -> Result<usize, Box<dyn std::error::Error>> {
    fs::create_dir_all(out)?;
    let mut docs = hub::Docs::default();
    let names = db.docs(&format!("{office}/"))?;
    for name in &names {
        let bytes = docs.get(db, name)?.save();
        let file = name.strip_prefix(&format!("{office}/")).unwrap_or(name).replace('/', "-");
        // The journals hold records' fields: owner-only, as the hub's database.
        use std::os::unix::fs::OpenOptionsExt;
        let mut saved = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(out.join(format!("{file}.automerge")))?;
        saved.write_all(&bytes)?;
        saved.sync_all()?;
    }
    Ok(names.len())
}
