//! Everything a command writes to the terminal goes through here, so that writing never panics
//! and never lets a record's text command the terminal.
//!
//! - A closed pipe (`kiosk export | head -1`) is the reader saying it has seen enough: nothing
//!   more goes to stdout, and the command ends as it would have (its answer, 0 or 1, stands;
//!   what it says on stderr is still said). A long output (`export`) stops at once instead,
//!   and ends with 0.
//! - Any other failure to write (`>/dev/full`) is an error the person is told about, on stderr.
//! - Control, bidirectional and invisible characters in what is shown are escaped
//!   (`registry::text`): a name holding ESC or U+202E shows as `\u{1B}` or `\u{202E}`.
//!   JSON keeps its value (the escapes are JSON's own `\uXXXX`); raw payloads (`qr decode`) stay
//!   byte-exact when they go to a pipe or file, and are escaped only on a terminal.

use std::fmt::Display;
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use registry::text::{escape_for_display, escape_json_for_display};
use serde::Serialize;

use crate::KioskError;

/// Set once stdout's reader has gone: later lines are not written.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether stdout's reader has gone (a write met a closed pipe). `demo init` asks before it
/// commits: passwords nobody can read must not be the only copy.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Writes one line to stdout: a closed pipe is remembered and is not an error; any other
/// failure is.
fn to_stdout(bytes: &[u8]) -> Result<(), KioskError> {
    if stdout_closed() {
        return Ok(());
    }
    match write_line(&mut io::stdout().lock(), bytes) {
        Err(e) if is_closed_pipe(&e) => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            tracing::info!("the output's reader closed the pipe");
            Ok(())
        }
        other => other.map_err(KioskError::Output),
    }
}

/// One line of text on stdout, escaped for display.
pub fn line(text: impl Display) -> Result<(), KioskError> {
    to_stdout(escape_for_display(&text.to_string()).as_bytes())
}

/// One JSON object on its own line on stdout.
pub fn json_line(value: &impl Serialize) -> Result<(), KioskError> {
    let text = serde_json::to_string(value).map_err(|e| KioskError::Message(e.to_string()))?;
    to_stdout(escape_json_for_display(&text).as_bytes())
}

/// A payload exactly as read (a QR code's bytes) on its own line: byte-exact into a pipe or a
/// file, escaped (and invalid UTF-8 shown as U+FFFD) when a person reads it on a terminal.
pub fn payload_line(payload: &[u8]) -> Result<(), KioskError> {
    if io::stdout().is_terminal() {
        let text = String::from_utf8_lossy(payload);
        to_stdout(escape_for_display(&text).as_bytes())
    } else {
        to_stdout(payload)
    }
}

fn write_line(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(bytes)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// One line of text on stderr, escaped. A stderr that cannot be written to has nobody to tell,
/// so failures are dropped here rather than panicking as `eprintln!` would.
pub fn error_line(text: impl Display) {
    let text = text.to_string();
    let _ = write_line(&mut io::stderr().lock(), escape_for_display(&text).as_bytes());
}

/// `println!` for commands: escaped, and a failure is returned, never a panic.
macro_rules! outln {
    () => {
        $crate::output::line("")
    };
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}

/// `eprintln!` for commands: escaped, and it never panics.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::error_line(format_args!($($arg)*))
    };
}

pub(crate) use {errln, outln};

/// Buffered stdout for long JSON outputs (`export`), handed to library code as a plain `Write`.
/// A closed pipe stops the output (there is no point reading a million records for nobody):
/// `main` ends such a command with 0.
/// Hidden characters inside the JSON are escaped as they stream through (a character split
/// across two writes waits for its other bytes). Remembers its own failure, so the caller can
/// tell "stdout went away" from any other error the library reports.
pub struct JsonStdout<W: Write = BufWriter<StdoutLock<'static>>> {
    inner: W,
    /// The first bytes of a character whose last bytes have not been written yet.
    pending: Vec<u8>,
    failure: Option<io::ErrorKind>,
}

impl<W: Write> std::fmt::Debug for JsonStdout<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonStdout").field("failure", &self.failure).finish_non_exhaustive()
    }
}

impl Default for JsonStdout {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonStdout {
    pub fn new() -> Self {
        JsonStdout::over(BufWriter::new(io::stdout().lock()))
    }
}

impl<W: Write> JsonStdout<W> {
    fn over(inner: W) -> Self {
        JsonStdout { inner, pending: Vec::new(), failure: None }
    }

    /// The error to report instead of `err` when it was stdout that failed.
    pub fn explain(&self, err: KioskError) -> KioskError {
        match self.failure {
            Some(kind) => KioskError::Output(io::Error::from(kind)),
            None => err,
        }
    }

    pub fn finish(mut self) -> Result<(), KioskError> {
        self.flush().map_err(KioskError::Output)
    }

    fn pass(&mut self) -> io::Result<()> {
        let cut = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // An incomplete character at the end waits for the next write.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all (serde_json never writes that): pass it on untouched.
            Err(_) => self.pending.len(),
        };
        let rest = self.pending.split_off(cut);
        let ready = std::mem::replace(&mut self.pending, rest);
        match std::str::from_utf8(&ready) {
            Ok(text) => self.inner.write_all(escape_json_for_display(text).as_bytes()),
            Err(_) => self.inner.write_all(&ready),
        }
    }
}

impl<W: Write> Write for JsonStdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.pass().inspect_err(|e| self.failure = Some(e.kind()))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let result = self.inner.write_all(&pending).and_then(|()| self.inner.flush());
        result.inspect_err(|e| self.failure = Some(e.kind()))
    }
}

/// Writes a file the person named (`--to-file`, `--out`, `--photo-out`): whole or not at all,
/// and only where a regular file is or none is (never into a FIFO or over a device).
pub fn to_named_file(
    ctx: &crate::Context,
    path: &std::path::Path,
    bytes: &[u8],
    new: printers::named_file::NewFile,
) -> Result<(), KioskError> {
    printers::named_file::write_file(path, bytes, new).map_err(|e| named_file_error(ctx, &e))
}

/// A refusal (exit 1: not a file, read-only, no such folder) or a failure (70: the disk).
pub fn named_file_error(ctx: &crate::Context, e: &printers::named_file::FileError) -> KioskError {
    let text = ctx.t_pairs(e.message_id(), e.message_args());
    if e.is_refusal() { KioskError::Refused(text) } else { KioskError::Failed(text) }
}

/// Whether a failed write means the reader closed the pipe: the quiet end of a command.
pub fn is_closed_pipe(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_stdout_remembers_that_it_failed() {
        let mut stdout = JsonStdout::over(Vec::new());
        let other = stdout.explain(KioskError::Message("library".into()));
        assert!(matches!(other, KioskError::Message(_)));
        stdout.failure = Some(io::ErrorKind::BrokenPipe);
        let err = stdout.explain(KioskError::Message("library".into()));
        assert!(matches!(err, KioskError::Output(e) if is_closed_pipe(&e)));
    }

    #[test]
    fn hidden_characters_split_across_writes_are_escaped_whole() {
        let mut out = JsonStdout::over(Vec::new());
        let json =
            serde_json::to_string(&serde_json::json!({"n": "\u{202E}陳\u{1b}"})).expect("json");
        for chunk in json.as_bytes().chunks(1) {
            out.write_all(chunk).expect("write");
        }
        out.flush().expect("flush");
        let text = String::from_utf8(out.inner).expect("utf-8");
        assert_eq!(text, r#"{"n":"\u202e陳\u001b"}"#);
    }
}
