//! Logging to a file in the data directory, never to the terminal the UI owns. Log lines name
//! records by id; personal data and secrets never reach them (their types hide them in `Debug`).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to `DATA_DIR/logs/kiosk.log.YYYY-MM-DD`. Best effort: a kiosk that cannot
/// write its log still serves the counter, so failure only returns `None`.
pub fn init(data_dir: &Path, filter: &str) -> Option<WorkerGuard> {
    let dir = data_dir.join("logs");
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("kiosk.log")
        .max_log_files(30)
        .build(&dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
