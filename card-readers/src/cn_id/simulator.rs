//! A simulated ID card reader for tests (built with the `test-support` feature only): it plays the device's side of the
//! line, answering find card, select card and read base message, and can misbehave in the ways
//! real readers and cables do.
//!
//! [`SimulatedReader::respond`] is pure (bytes from the host in, bytes to send back out);
//! [`SimulatedReader::serve`] runs it over a byte stream such as a pseudo-terminal's master
//! side, and [`SimulatedLine`] is an in-memory [`Transport`] for tests without a terminal.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read, Write};
use std::thread;
use std::time::Duration;

use super::card::{CardField, PHOTO_LEN, TEXT_LEN};
use super::frame::{self, Command, FrameDecoder, Status};
use super::frame::{STATUS_FIND_OK, STATUS_NO_CARD, STATUS_OK, STATUS_READ_FAILED};
use super::frame::{STATUS_SELECT_FAILED, STATUS_UNKNOWN_COMMAND};
use super::reader::Transport;

/// The data a simulated card holds, as the card writes it: raw text fields, so tests can also
/// put in what a real card never would.
#[derive(Clone, PartialEq, Eq)]
pub struct SimulatedCard {
    pub name: String,
    /// `1` male, `2` female.
    pub sex: String,
    /// Two digits, GB/T 3304 (`01` 汉).
    pub ethnicity_code: String,
    /// YYYYMMDD.
    pub birth_date: String,
    pub address: String,
    pub id_number: String,
    pub authority: String,
    /// YYYYMMDD.
    pub valid_from: String,
    /// YYYYMMDD or 长期.
    pub valid_to: String,
    pub photo_wlt: Vec<u8>,
}

impl fmt::Debug for SimulatedCard {
    // Simulated data may be copied from a real card for a demonstration: show none of it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimulatedCard").finish_non_exhaustive()
    }
}

impl SimulatedCard {
    /// 张三, born 1949-12-31, ID 11010519491231002X (valid per GB 11643), card valid without
    /// limit (长期).
    pub fn example() -> SimulatedCard {
        SimulatedCard {
            name: "张三".into(),
            sex: "2".into(),
            ethnicity_code: "01".into(),
            birth_date: "19491231".into(),
            address: "广东省广州市天河区某某路1号".into(),
            id_number: "11010519491231002X".into(),
            authority: "广州市公安局天河分局".into(),
            valid_from: "20150301".into(),
            valid_to: "长期".into(),
            photo_wlt: fake_wlt_photo(),
        }
    }

    /// The card's 256 bytes of text: each field UTF-16LE at its offset, cut to its width and
    /// padded with spaces.
    pub fn text(&self) -> Vec<u8> {
        let mut text: Vec<u8> = [0x20, 0x00].repeat(TEXT_LEN / 2);
        let fields = [
            (CardField::Name, &self.name),
            (CardField::Sex, &self.sex),
            (CardField::Ethnicity, &self.ethnicity_code),
            (CardField::BirthDate, &self.birth_date),
            (CardField::Address, &self.address),
            (CardField::IdNumber, &self.id_number),
            (CardField::Authority, &self.authority),
            (CardField::ValidFrom, &self.valid_from),
            (CardField::ValidTo, &self.valid_to),
        ];
        for (field, value) in fields {
            let Some(slot) = field.text_range().and_then(|r| text.get_mut(r)) else { continue };
            let encoded: Vec<u8> = value.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let n = encoded.len().min(slot.len()) & !1;
            slot[..n].copy_from_slice(&encoded[..n]);
        }
        text
    }

    /// The payload of a successful read-base-message reply: status, lengths, text, photo.
    pub fn base_message_payload(&self) -> Vec<u8> {
        let photo = self.photo_wlt.get(..usize::from(u16::MAX)).unwrap_or(&self.photo_wlt);
        let mut payload = Status::of(STATUS_OK).to_vec();
        payload.extend(u16::try_from(TEXT_LEN).unwrap_or(u16::MAX).to_be_bytes());
        payload.extend(u16::try_from(photo.len()).unwrap_or(u16::MAX).to_be_bytes());
        payload.extend(self.text());
        payload.extend(photo);
        payload
    }
}

/// 1,024 bytes standing in for a WLT photo: deterministic, and not a real image.
pub fn fake_wlt_photo() -> Vec<u8> {
    let mut photo: Vec<u8> =
        (0..PHOTO_LEN).map(|i| u8::try_from((i * 31 + 7) % 251).unwrap_or(0)).collect();
    photo[..3].copy_from_slice(b"WLf");
    photo
}

/// How the simulated reader behaves.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// A card lies on the reader.
    Card(SimulatedCard),
    /// Nothing on the reader: find card fails (`80`), so do select (`81`) and read (`41`).
    NoCard,
    /// Answers every command with bytes that are not a frame.
    Garbage,
    /// Answers as if the example card were there, but every reply's checksum is wrong.
    BadChecksum,
    /// Never answers.
    Silent,
    /// The first `finds` find-card commands find nothing; then the card is there.
    CardAfterFinds { finds: u32, card: SimulatedCard },
}

/// Bytes a broken cable or the wrong device might send: partial preambles, but never a whole
/// one.
const GARBAGE: &[u8] = b"\xAA\xAA\x96\x69\x00\x08\x00\x00\x9F\xAA\xAA\xAA\x96\x00OK\r\nAT\r\n\
\x55\x13\x00\xFF\xAA\x96\x69\x00\x03\x20\x01\x22\xFE\xED\xFA\xCE\x00\x00\x90\x11";

/// The reader's side of the line.
#[derive(Debug)]
pub struct SimulatedReader {
    behaviour: Behaviour,
    decoder: FrameDecoder,
    finds: u32,
    commands: Vec<Command>,
}

impl SimulatedReader {
    pub fn new(behaviour: Behaviour) -> SimulatedReader {
        SimulatedReader { behaviour, decoder: FrameDecoder::new(), finds: 0, commands: Vec::new() }
    }

    /// A reader with `card` on it.
    pub fn with_card(card: SimulatedCard) -> SimulatedReader {
        SimulatedReader::new(Behaviour::Card(card))
    }

    /// The commands received so far, in order.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// Takes bytes from the host and returns what the reader sends back: one reply per whole
    /// command frame among them (none when silent, and none for a damaged frame, as a real
    /// reader stays quiet when it cannot read a command).
    pub fn respond(&mut self, from_host: &[u8]) -> Vec<u8> {
        self.decoder.push(from_host);
        let mut out = Vec::new();
        while let Some(frame) = self.decoder.next_frame() {
            let Ok(payload) = frame else { continue };
            out.extend(self.answer(&payload));
        }
        out
    }

    fn answer(&mut self, payload: &[u8]) -> Vec<u8> {
        let command = Command::from_payload(payload);
        if let Some(command) = command {
            self.commands.push(command);
        }
        let is_find = command == Some(Command::FindCard);
        if is_find {
            self.finds += 1;
        }
        let card = match &self.behaviour {
            Behaviour::Silent => return Vec::new(),
            Behaviour::Garbage => return GARBAGE.to_vec(),
            Behaviour::Card(card) => Some(card.clone()),
            Behaviour::BadChecksum => Some(SimulatedCard::example()),
            Behaviour::NoCard => None,
            Behaviour::CardAfterFinds { finds, card } => {
                // The card is there once `finds` attempts have come up empty; an attempt that
                // found it leaves it there for select and read.
                (self.finds > *finds).then(|| card.clone())
            }
        };
        let reply = match (command, card) {
            (None, _) => Status::of(STATUS_UNKNOWN_COMMAND).to_vec(),
            (Some(Command::FindCard), Some(_)) => {
                let mut reply = Status::of(STATUS_FIND_OK).to_vec();
                reply.extend([0x00; 4]);
                reply
            }
            (Some(Command::SelectCard), Some(_)) => {
                let mut reply = Status::of(STATUS_OK).to_vec();
                reply.extend([0x00; 8]);
                reply
            }
            (Some(Command::ReadBaseMessage), Some(card)) => card.base_message_payload(),
            (Some(Command::FindCard), None) => Status::of(STATUS_NO_CARD).to_vec(),
            (Some(Command::SelectCard), None) => Status::of(STATUS_SELECT_FAILED).to_vec(),
            (Some(Command::ReadBaseMessage), None) => Status::of(STATUS_READ_FAILED).to_vec(),
        };
        let mut frame = frame::encode_frame(&reply).unwrap_or_default();
        if matches!(self.behaviour, Behaviour::BadChecksum)
            && let Some(checksum) = frame.last_mut()
        {
            *checksum ^= 0x5A;
        }
        frame
    }

    /// Answers over `line` until the other end goes away: returns `Ok` at end of file and the
    /// error otherwise (a pseudo-terminal's master side reads `EIO` once the slave is closed).
    pub fn serve<S: Read + Write>(&mut self, mut line: S) -> io::Result<()> {
        let mut buffer = [0u8; 512];
        loop {
            let n = match line.read(&mut buffer) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let reply = self.respond(buffer.get(..n).unwrap_or_default());
            if !reply.is_empty() {
                line.write_all(&reply)?;
                line.flush()?;
            }
        }
    }

    /// Serves `line` on a new thread; the thread ends when the line closes.
    pub fn spawn<S: Read + Write + Send + 'static>(
        mut self,
        line: S,
    ) -> thread::JoinHandle<(SimulatedReader, io::Result<()>)> {
        thread::spawn(move || {
            let result = self.serve(line);
            (self, result)
        })
    }
}

/// An in-memory line with a [`SimulatedReader`] at the other end. Replies come back in small
/// pieces, as from a serial port; a read with nothing to give waits for the timeout, as a
/// serial port does.
#[derive(Debug)]
pub struct SimulatedLine {
    reader: SimulatedReader,
    pending: VecDeque<u8>,
    timeout: Duration,
}

/// The largest piece one read of a [`SimulatedLine`] returns.
const PIECE: usize = 64;

impl SimulatedLine {
    pub fn new(reader: SimulatedReader) -> SimulatedLine {
        SimulatedLine { reader, pending: VecDeque::new(), timeout: Duration::ZERO }
    }

    pub fn reader(&self) -> &SimulatedReader {
        &self.reader
    }
}

impl Read for SimulatedLine {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            thread::sleep(self.timeout);
            return Err(io::ErrorKind::TimedOut.into());
        }
        let n = buf.len().min(PIECE).min(self.pending.len());
        for (slot, byte) in buf.iter_mut().zip(self.pending.drain(..n)) {
            *slot = byte;
        }
        Ok(n)
    }
}

impl Write for SimulatedLine {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let reply = self.reader.respond(buf);
        self.pending.extend(reply);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Transport for SimulatedLine {
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.timeout = timeout;
        Ok(())
    }

    fn discard_input(&mut self) -> io::Result<()> {
        self.pending.clear();
        Ok(())
    }
}
