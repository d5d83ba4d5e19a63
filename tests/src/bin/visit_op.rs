//! Runs visit steps in a process of its own, for the end-to-end tests of `kiosk::visits`:
//!
//! - `visit-op DATA_DIR CLERK until-identity APPLICANT SUPERVISOR`: opens the applicant's renewal
//!   and takes it up to the identity step (certificates, the email skipped by the supervisor,
//!   consent), prints the application's id, then waits (the crash test kills it there);
//! - `visit-op DATA_DIR CLERK issue APPLICATION PIN PHRASE`: issuance, reading the office CA's PIN
//!   from `KIOSK_CA_PIN` (and a token from stock's from `KIOSK_STOCK_PIN`) as the counter does;
//!   prints the notice, or the refusal's message id.
//! - `visit-op DATA_DIR CLERK issue-pkcs12 APPLICATION PASSWORD PHRASE [FILE]`: issuance into a
//!   PKCS#12 file (at `FILE`, or the office's folder); prints as `issue` does.
//! - `visit-op DATA_DIR CLERK reset-pin APPLICATION NEW_PIN`: the PIN unlock's reset, reading
//!   the office's SO PIN from `KIOSK_SO_PIN` as the counter does; prints as `issue` does.
//!
//! The configuration is the data directory's, with `KIOSK_*` variables over it.
#![forbid(unsafe_code)]

use std::io::{BufRead, Write};
use std::process::ExitCode;

use kiosk::visits::{IssueMedium, Outcome, VisitError, VisitOp, run};
use registry::application::Actor;
use registry::model::{RecordId, Service, StaffRole};
use registry::visit::Step;

fn id(text: &str) -> RecordId {
    text.parse().unwrap_or_else(|_| panic!("not a record id: {text}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data_dir, clerk, command, rest @ ..] = args.as_slice() else {
        eprintln!("usage: visit-op DATA_DIR CLERK COMMAND ARGS…");
        return ExitCode::from(2);
    };
    let data_dir = std::path::PathBuf::from(data_dir);
    let config = kiosk::config::Config::load(&data_dir).expect("configuration");
    let ctx = kiosk::Context { data_dir, config, lang: i18n::Language::En };
    let actor = Actor { clerk: id(clerk), role: StaffRole::Clerk };
    let now = time::OffsetDateTime::now_utc;
    let step = |op: VisitOp| -> Result<Outcome, VisitError> { run(&ctx, op, actor, now()) };
    match (command.as_str(), rest) {
        ("until-identity", [applicant, supervisor]) => {
            let opened =
                step(VisitOp::Open { service: Service::Renewal, applicant: id(applicant) })
                    .expect("open");
            let application = opened.view.application.id;
            step(VisitOp::ChooseCertificates { application, new_key: false }).expect("choose");
            step(VisitOp::Skip {
                application,
                step: Step::Email,
                supervisor: id(supervisor),
                reason: "relay down".into(),
            })
            .expect("skip");
            step(VisitOp::Consent { application }).expect("consent");
            println!("{application}");
            std::io::stdout().flush().expect("stdout");
            // Held here until the test kills the process.
            let mut line = String::new();
            let _ = std::io::stdin().lock().read_line(&mut line);
            ExitCode::SUCCESS
        }
        ("issue", [application, pin, phrase]) => answer(step(VisitOp::Issue {
            application: id(application),
            pin: tokens::Pin::new(pin.clone()),
            phrase: zeroize::Zeroizing::new(phrase.clone()),
            medium: IssueMedium::Token,
        })),
        ("issue-pkcs12", [application, password, phrase, file @ ..]) if file.len() <= 1 => {
            answer(step(VisitOp::Issue {
                application: id(application),
                pin: tokens::Pin::new(password.clone()),
                phrase: zeroize::Zeroizing::new(phrase.clone()),
                medium: IssueMedium::Pkcs12File { path: file.first().map(Into::into) },
            }))
        }
        ("reset-pin", [application, new_pin]) => answer(step(VisitOp::ResetPin {
            application: id(application),
            new_pin: tokens::Pin::new(new_pin.clone()),
        })),
        _ => {
            eprintln!("unknown command {command}");
            ExitCode::from(2)
        }
    }
}

/// Prints the notice, or the refusal's message id and arguments (exit status 1).
fn answer(done: Result<Outcome, VisitError>) -> ExitCode {
    match done {
        Ok(outcome) => {
            println!("{:?}", outcome.notice);
            ExitCode::SUCCESS
        }
        Err(err) => {
            println!("{} {:?}", err.id, err.args);
            ExitCode::from(1)
        }
    }
}
