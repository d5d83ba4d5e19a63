//! Makes one email code through `kiosk::mail::send_code`, as the counter app's job does, with the
//! data directory's configuration: a test kills it with SIGKILL while it talks to the relay, after
//! the outbox was written, to check that nothing is lost.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use kiosk::config::Config;
use store::{Store, StoreOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, application, address] = args.as_slice() else {
        eprintln!("usage: mail-sender DATA_DIR APPLICATION_ID ADDRESS");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let Ok(application) = application.parse::<ulid::Ulid>() else {
        eprintln!("not an application id");
        return ExitCode::from(2);
    };
    let config = match Config::load(&dir) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut store = match Store::open(&dir.join("kiosk.db"), StoreOptions::default()) {
        Ok(store) => store,
        Err(err) => {
            eprintln!("store: {err}");
            return ExitCode::FAILURE;
        }
    };
    let now = time::OffsetDateTime::now_utc();
    match kiosk::mail::send_code(
        &mut store,
        &config,
        i18n::Language::ZhHant,
        application,
        address,
        now,
    ) {
        Ok(sent) => {
            println!("{sent:?}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("send_code: {err}");
            ExitCode::FAILURE
        }
    }
}
