//! Logging to a file in the data directory, never to the terminal the UI owns. Log lines name
//! records by id; personal data and secrets never reach them (their types hide them in `Debug`).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Why the log cannot be written. The kiosk serves the counter without it, and says so once.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("{0}")]
    Dir(#[from] std::io::Error),
    #[error("{0}")]
    Appender(#[from] tracing_appender::rolling::InitError),
    #[error("{0}")]
    Filter(#[from] tracing_subscriber::filter::ParseError),
    #[error("a logger is already installed")]
    AlreadySet,
}

/// Starts logging to `DATA_DIR/logs/kiosk.log.YYYY-MM-DD` with `filter` (checked when the
/// configuration was loaded).
pub fn init(data_dir: &Path, filter: &str) -> Result<WorkerGuard, LogError> {
    let dir = data_dir.join("logs");
    std::fs::create_dir_all(&dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("kiosk.log")
        .max_log_files(30)
        .build(&dir)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_new(filter)?;
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|_| LogError::AlreadySet)?;
    Ok(guard)
}
