//! Everything that can happen to the app, as one enum: keys and pastes from the terminal, the
//! clock, the window's size, finished jobs and device changes. `update` is the only reader.

use crossterm::event::KeyEvent;
use time::OffsetDateTime;

use super::jobs::Done;
use super::status::Devices;

#[derive(Debug)]
pub enum Action {
    /// A key, with no time: tests, and anything that is not the terminal.
    Key(KeyEvent),
    /// A key from the terminal with when it came (monotonic, since the app started): a
    /// keyboard-wedge scanner types a whole code within milliseconds, a person does not.
    KeyAt {
        key: KeyEvent,
        at: std::time::Duration,
    },
    /// Text pasted at once (a bracketed paste, or a scanner some terminals deliver that way).
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock, in the office's time zone: idle locks and "today" come from here, never from
    /// a clock read inside `update`.
    Tick(OffsetDateTime),
    /// A job finished.
    Job(Done),
    /// The background poll saw the devices.
    Devices(Devices),
    /// SIGTERM, SIGHUP or SIGINT from outside: leave now, restoring the terminal.
    Terminate,
}
