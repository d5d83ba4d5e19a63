//! The one type that talks to the device: sends commands, waits for replies within the
//! timeout, and turns statuses into errors. The line itself is behind [`Transport`].

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use serialport::{ClearBuffer, DataBits, FlowControl, Parity, SerialPort, StopBits};

use super::CnReaderError;
use super::card::{CnIdCard, parse_base_message};
use super::frame::{Command, FrameDecoder, FrameError, STATUS_OK, Status};
use super::frame::{
    STATUS_CARD_AUTH_FAILED, STATUS_CARD_RANDOM_FAILED, STATUS_NO_CARD, STATUS_READ_FAILED,
    STATUS_SELECT_FAILED,
};

/// The baud rate of most readers (8N1).
pub const DEFAULT_BAUD: u32 = 115_200;

/// Pause between two find-card attempts while waiting for a card to be placed.
pub const FIND_RETRY_INTERVAL: Duration = Duration::from_millis(100);

/// Damaged replies to find card tolerated in a row before giving up: one may be line noise,
/// several mean a bad cable or the wrong device.
const CORRUPT_FIND_REPLIES: u32 = 3;

/// Bytes of garbage after which waiting for a real frame is pointless. Larger than any reply.
const MAX_GARBAGE: usize = 8 * 1024;

/// How long to rest after a read that returned nothing without waiting (a fake line, or a port
/// in non-blocking mode), so the loop does not spin.
const IDLE_POLL: Duration = Duration::from_millis(2);

/// A byte line to a reader: a serial port, a pseudo-terminal, or an in-memory fake.
///
/// A read that finds nothing within the timeout returns `ErrorKind::TimedOut` or `WouldBlock`
/// (or `Ok(0)`); the reader keeps waiting until its own deadline.
pub trait Transport: Read + Write {
    /// How long the next read or write may wait.
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()>;

    /// Drops bytes received but not read, so a late reply to an earlier command is not taken
    /// for the answer to the next one. Lines that cannot do this do nothing.
    fn discard_input(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        (**self).set_timeout(timeout)
    }

    fn discard_input(&mut self) -> io::Result<()> {
        (**self).discard_input()
    }
}

/// A serial port (USB-serial reader, or a pseudo-terminal in tests).
pub struct SerialLine {
    port: Box<dyn SerialPort>,
    path: PathBuf,
}

impl fmt::Debug for SerialLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SerialLine").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SerialLine {
    /// Opens `path` at `baud`, 8N1 without flow control, in exclusive mode.
    pub fn open(path: &Path, baud: u32, timeout: Duration) -> Result<SerialLine, CnReaderError> {
        let port = serialport::new(path.to_string_lossy(), baud)
            .data_bits(DataBits::Eight)
            .parity(Parity::None)
            .stop_bits(StopBits::One)
            .flow_control(FlowControl::None)
            .timeout(timeout)
            .open()
            .map_err(|e| CnReaderError::Open { path: path.to_owned(), source: e.into() })?;
        Ok(SerialLine { port, path: path.to_owned() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Read for SerialLine {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.port.read(buf)
    }
}

impl Write for SerialLine {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.port.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.port.flush()
    }
}

impl Transport for SerialLine {
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        Ok(self.port.set_timeout(timeout)?)
    }

    fn discard_input(&mut self) -> io::Result<()> {
        Ok(self.port.clear(ClearBuffer::Input)?)
    }
}

/// A Mainland resident ID card reader on `line`.
///
/// `timeout` bounds each wait for a reply, and also how long [`CnIdReader::read_card`] keeps
/// looking for a card that has not been placed yet.
#[derive(Debug)]
pub struct CnIdReader<T> {
    line: T,
    timeout: Duration,
    decoder: FrameDecoder,
}

impl CnIdReader<SerialLine> {
    /// Opens the reader's serial port (`/dev/ttyUSB0`, or a pseudo-terminal's path).
    pub fn open(
        path: &Path,
        baud: u32,
        timeout: Duration,
    ) -> Result<CnIdReader<SerialLine>, CnReaderError> {
        let line = SerialLine::open(path, baud, timeout)?;
        tracing::debug!(path = %path.display(), baud, "ID card reader opened");
        Ok(CnIdReader::new(line, timeout))
    }
}

impl<T: Transport> CnIdReader<T> {
    pub fn new(line: T, timeout: Duration) -> CnIdReader<T> {
        CnIdReader { line, timeout, decoder: FrameDecoder::new() }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The line, e.g. to inspect a fake after a test.
    pub fn line(&self) -> &T {
        &self.line
    }

    pub fn into_line(self) -> T {
        self.line
    }

    /// Waits for a card, selects it and reads its text and photo.
    pub fn read_card(&mut self) -> Result<CnIdCard, CnReaderError> {
        self.wait_for_card()?;
        self.select_card()?;
        let card = self.read_base_message()?;
        tracing::info!("ID card read");
        Ok(card)
    }

    /// Asks for a card until one is found or the timeout passes: the holder may place it a
    /// moment after the clerk starts reading. Gives up at once on a silent or broken line.
    pub fn wait_for_card(&mut self) -> Result<(), CnReaderError> {
        let deadline = Instant::now() + self.timeout;
        let mut corrupt = 0;
        loop {
            let error = match self.find_card_until(deadline) {
                Ok(()) => return Ok(()),
                Err(error) => error,
            };
            match error {
                CnReaderError::NoCard => {}
                CnReaderError::BadChecksum | CnReaderError::MalformedReply { .. }
                    if corrupt + 1 < CORRUPT_FIND_REPLIES =>
                {
                    corrupt += 1;
                }
                _ => return Err(error),
            }
            // Another attempt only if its reply still has time to arrive.
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining <= FIND_RETRY_INTERVAL {
                return Err(error);
            }
            tracing::trace!(reason = error.message_id(), "no card yet, asking again");
            thread::sleep(FIND_RETRY_INTERVAL);
        }
    }

    /// One find-card attempt.
    pub fn find_card(&mut self) -> Result<(), CnReaderError> {
        self.find_card_until(Instant::now() + self.timeout)
    }

    fn find_card_until(&mut self, deadline: Instant) -> Result<(), CnReaderError> {
        self.request(Command::FindCard, deadline).map(drop)
    }

    /// Selects the card found.
    pub fn select_card(&mut self) -> Result<(), CnReaderError> {
        self.request(Command::SelectCard, Instant::now() + self.timeout).map(drop)
    }

    /// Reads the selected card's text and photo.
    pub fn read_base_message(&mut self) -> Result<CnIdCard, CnReaderError> {
        let body = self.request(Command::ReadBaseMessage, Instant::now() + self.timeout)?;
        parse_base_message(&body)
    }

    /// Sends `command` and returns the reply's payload after its status, or the error the
    /// status stands for.
    pub fn request(
        &mut self,
        command: Command,
        deadline: Instant,
    ) -> Result<Vec<u8>, CnReaderError> {
        if let Err(e) = self.line.discard_input() {
            tracing::debug!(error = %e, "could not drop stale input");
        }
        self.decoder.clear();
        self.send(command, deadline)?;
        let payload = self.receive(deadline)?;
        let Some((status, body)) = Status::split(&payload) else {
            return Err(CnReaderError::MalformedReply {
                detail: format!("reply of {} bytes has no status", payload.len()),
            });
        };
        tracing::debug!(
            command = command.name(),
            status = format_args!("{:02X}", status.sw3),
            body_len = body.len(),
            "reply"
        );
        if status.sw1 != 0 || status.sw2 != 0 {
            return Err(CnReaderError::MalformedReply {
                detail: format!(
                    "status {:02X} {:02X} {:02X} does not start with 00 00",
                    status.sw1, status.sw2, status.sw3
                ),
            });
        }
        let success = status.sw3 == command.success_status()
            || (command == Command::FindCard && status.sw3 == STATUS_OK);
        if success { Ok(body.to_vec()) } else { Err(status_error(status.sw3)) }
    }

    fn send(&mut self, command: Command, deadline: Instant) -> Result<(), CnReaderError> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        self.line.set_timeout(remaining).map_err(line_error)?;
        self.line.write_all(&command.frame()).and_then(|()| self.line.flush()).map_err(line_error)
    }

    /// Reads until a whole frame arrives or `deadline` passes, skipping garbage.
    fn receive(&mut self, deadline: Instant) -> Result<Vec<u8>, CnReaderError> {
        let mut chunk = [0u8; 1024];
        loop {
            match self.decoder.next_frame() {
                Some(Ok(payload)) => return Ok(payload),
                Some(Err(FrameError::BadChecksum { expected, found })) => {
                    tracing::warn!(
                        expected = format_args!("{expected:02X}"),
                        found = format_args!("{found:02X}"),
                        "reply with a bad checksum"
                    );
                    return Err(CnReaderError::BadChecksum);
                }
                None => {}
            }
            if self.decoder.discarded() > MAX_GARBAGE {
                return Err(self.garbage_error());
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(if self.decoder.discarded() + self.decoder.buffered() > 0 {
                    self.garbage_error()
                } else {
                    CnReaderError::Timeout
                });
            }
            self.line.set_timeout(remaining).map_err(line_error)?;
            match self.line.read(&mut chunk) {
                Ok(0) => thread::sleep(IDLE_POLL.min(remaining)),
                Ok(n) => self.decoder.push(chunk.get(..n).unwrap_or_default()),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    thread::sleep(IDLE_POLL.min(remaining));
                }
                Err(e)
                    if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::Interrupted) => {
                }
                Err(e) => return Err(CnReaderError::Disconnected { source: e }),
            }
        }
    }

    fn garbage_error(&self) -> CnReaderError {
        let (discarded, buffered) = (self.decoder.discarded(), self.decoder.buffered());
        tracing::warn!(discarded, buffered, "no valid reply frame");
        let detail = if discarded > 0 {
            format!("{discarded} bytes that are not a reader reply")
        } else {
            format!("an incomplete reply of {buffered} bytes")
        };
        CnReaderError::MalformedReply { detail }
    }
}

fn line_error(e: io::Error) -> CnReaderError {
    if e.kind() == io::ErrorKind::TimedOut {
        CnReaderError::Timeout
    } else {
        CnReaderError::Disconnected { source: e }
    }
}

/// The error a reply's status byte stands for, when it is not success.
fn status_error(sw3: u8) -> CnReaderError {
    match sw3 {
        STATUS_NO_CARD => CnReaderError::NoCard,
        STATUS_SELECT_FAILED
        | STATUS_READ_FAILED
        | STATUS_CARD_AUTH_FAILED
        | STATUS_CARD_RANDOM_FAILED => CnReaderError::CardReadFailed { status: sw3 },
        // Includes 9F, which is success only for find card.
        _ => CnReaderError::ReaderStatus { status: sw3 },
    }
}
