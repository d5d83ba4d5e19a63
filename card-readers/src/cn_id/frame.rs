//! The reader's wire format, and nothing else: command frames out, reply frames in. Pure; the
//! device code feeds it bytes.
//!
//! A frame is `AA AA AA 96 69` | length (u16, big-endian, counting everything after it
//! including the checksum) | payload | checksum (XOR of the two length bytes and the payload).

use std::fmt;

/// The five bytes every frame starts with.
pub const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];

/// The largest payload a frame can carry: the length field also counts the checksum.
pub const MAX_PAYLOAD_LEN: usize = u16::MAX as usize - 1;

/// The longest length field the decoder believes. The longest reply we ask for (base message)
/// has 1,288; readers that also send fingerprints stay under 2,400. A larger value is garbage
/// that happens to contain a preamble, and waiting for 64 KiB of it would only waste the
/// clerk's time.
pub const MAX_REPLY_LEN: u16 = 4096;

/// The commands the kiosk sends. Each is two bytes of payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// `20 01`: is a card in the field?
    FindCard,
    /// `20 02`: select the card found.
    SelectCard,
    /// `30 01`: text and photo.
    ReadBaseMessage,
}

impl Command {
    pub const ALL: [Command; 3] =
        [Command::FindCard, Command::SelectCard, Command::ReadBaseMessage];

    /// The command's two payload bytes.
    pub fn code(self) -> [u8; 2] {
        match self {
            Command::FindCard => [0x20, 0x01],
            Command::SelectCard => [0x20, 0x02],
            Command::ReadBaseMessage => [0x30, 0x01],
        }
    }

    /// The command whose payload is `payload`, if it is one of ours.
    pub fn from_payload(payload: &[u8]) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.code() == payload)
    }

    /// The whole frame to send.
    pub fn frame(self) -> Vec<u8> {
        frame_unchecked(&self.code())
    }

    /// The status byte that means success for this command: `9F` for find card, `90` otherwise.
    pub fn success_status(self) -> u8 {
        match self {
            Command::FindCard => STATUS_FIND_OK,
            Command::SelectCard | Command::ReadBaseMessage => STATUS_OK,
        }
    }

    /// A short name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Command::FindCard => "find card",
            Command::SelectCard => "select card",
            Command::ReadBaseMessage => "read base message",
        }
    }
}

/// Success.
pub const STATUS_OK: u8 = 0x90;
/// Success of find card.
pub const STATUS_FIND_OK: u8 = 0x9F;
/// Find card failed: no card in the field.
pub const STATUS_NO_CARD: u8 = 0x80;
/// Select card failed (the card moved, or left the field).
pub const STATUS_SELECT_FAILED: u8 = 0x81;
/// Reading the card failed.
pub const STATUS_READ_FAILED: u8 = 0x41;
/// The card's authentication failed (the SAM and the card disagree).
pub const STATUS_CARD_AUTH_FAILED: u8 = 0x31;
/// The card did not produce a random number during authentication.
pub const STATUS_CARD_RANDOM_FAILED: u8 = 0x32;
/// The reader did not understand the command.
pub const STATUS_UNKNOWN_COMMAND: u8 = 0x21;

/// A payload longer than a frame can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a frame payload has at most {MAX_PAYLOAD_LEN} bytes, this one has {0}")]
pub struct PayloadTooLong(pub usize);

/// The checksum of a frame: XOR of the two length bytes and the payload.
pub fn checksum(length: u16, payload: &[u8]) -> u8 {
    let [high, low] = length.to_be_bytes();
    payload.iter().fold(high ^ low, |acc, b| acc ^ b)
}

/// The frame carrying `payload`.
pub fn encode_frame(payload: &[u8]) -> Result<Vec<u8>, PayloadTooLong> {
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(PayloadTooLong(payload.len()));
    }
    Ok(frame_unchecked(payload))
}

/// Callers guarantee `payload.len() <= MAX_PAYLOAD_LEN`.
fn frame_unchecked(payload: &[u8]) -> Vec<u8> {
    let length = u16::try_from(payload.len() + 1).unwrap_or(u16::MAX);
    let mut frame = Vec::with_capacity(PREAMBLE.len() + 2 + payload.len() + 1);
    frame.extend_from_slice(&PREAMBLE);
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(payload);
    frame.push(checksum(length, payload));
    frame
}

/// Why a frame found in the stream was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The frame arrived whole but its checksum does not match: it was damaged on the way.
    #[error("frame checksum is {found:#04x} but its contents give {expected:#04x}")]
    BadChecksum { expected: u8, found: u8 },
}

/// Finds frames in a stream of bytes that arrive in arbitrary pieces.
///
/// Bytes before a preamble, and preambles followed by an impossible length, are skipped and
/// counted in [`FrameDecoder::discarded`]: the decoder resynchronises on the next preamble
/// instead of giving up, and the caller decides when enough garbage is enough.
#[derive(Default, Clone)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
    discarded: usize,
}

impl fmt::Debug for FrameDecoder {
    // The buffer may hold a card's personal data: show only sizes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameDecoder")
            .field("buffered", &self.buffer.len())
            .field("discarded", &self.discarded)
            .finish()
    }
}

impl FrameDecoder {
    pub fn new() -> FrameDecoder {
        FrameDecoder::default()
    }

    /// Appends bytes received from the line.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole frame's payload, `Some(Err(..))` for a whole frame that is damaged (it is
    /// dropped), or `None` until more bytes arrive.
    pub fn next_frame(&mut self) -> Option<Result<Vec<u8>, FrameError>> {
        loop {
            let Some(start) = find_preamble(&self.buffer) else {
                // Keep a tail that could be the start of a preamble split across reads.
                let keep = partial_preamble_suffix(&self.buffer);
                self.drop_front(self.buffer.len() - keep, true);
                return None;
            };
            self.drop_front(start, true);

            let header = PREAMBLE.len() + 2;
            let (Some(&high), Some(&low)) =
                (self.buffer.get(PREAMBLE.len()), self.buffer.get(PREAMBLE.len() + 1))
            else {
                return None;
            };
            let length = u16::from_be_bytes([high, low]);
            if length == 0 || length > MAX_REPLY_LEN {
                // Not a real frame: skip this preamble's first byte and look again.
                self.drop_front(1, true);
                continue;
            }
            let total = header + usize::from(length);
            if self.buffer.len() < total {
                return None;
            }
            let payload = self.buffer.get(header..total - 1).unwrap_or_default().to_vec();
            let found = self.buffer.get(total - 1).copied().unwrap_or_default();
            self.drop_front(total, false);
            let expected = checksum(length, &payload);
            return Some(if expected == found {
                Ok(payload)
            } else {
                Err(FrameError::BadChecksum { expected, found })
            });
        }
    }

    /// How many bytes were skipped as not belonging to any frame since the last
    /// [`FrameDecoder::clear`].
    pub fn discarded(&self) -> usize {
        self.discarded
    }

    /// How many bytes wait for the rest of their frame.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// Forgets everything received so far, e.g. stale bytes before a new command.
    pub fn clear(&mut self) {
        self.buffer.clear();
        self.discarded = 0;
    }

    fn drop_front(&mut self, count: usize, garbage: bool) {
        let count = count.min(self.buffer.len());
        self.buffer.drain(..count);
        if garbage {
            self.discarded += count;
        }
    }
}

/// The first frame in `bytes`, skipping any garbage before it; `None` when no whole frame is
/// there. For streams, use [`FrameDecoder`].
pub fn decode_frame(bytes: &[u8]) -> Option<Result<Vec<u8>, FrameError>> {
    let mut decoder = FrameDecoder::new();
    decoder.push(bytes);
    decoder.next_frame()
}

fn find_preamble(buffer: &[u8]) -> Option<usize> {
    buffer.windows(PREAMBLE.len()).position(|w| w == PREAMBLE)
}

/// The length of the longest end of `buffer` that is a proper start of the preamble.
fn partial_preamble_suffix(buffer: &[u8]) -> usize {
    (1..PREAMBLE.len())
        .rev()
        .find(|&n| buffer.len() >= n && buffer.ends_with(&PREAMBLE[..n]))
        .unwrap_or(0)
}

/// A reply's status: the first three payload bytes, `00 00 SW3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub sw1: u8,
    pub sw2: u8,
    pub sw3: u8,
}

impl Status {
    /// The status at the start of `payload` and the rest of the payload, or `None` when the
    /// payload is shorter than a status.
    pub fn split(payload: &[u8]) -> Option<(Status, &[u8])> {
        match payload {
            [sw1, sw2, sw3, rest @ ..] => Some((Status { sw1: *sw1, sw2: *sw2, sw3: *sw3 }, rest)),
            _ => None,
        }
    }

    /// The status bytes for a reply payload.
    pub fn of(sw3: u8) -> [u8; 3] {
        [0x00, 0x00, sw3]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test hex")
    }

    #[test]
    fn command_frames_are_those_in_the_reader_documentation() {
        assert_eq!(Command::FindCard.frame(), unhex("AAAAAA96690003200122"));
        assert_eq!(Command::SelectCard.frame(), unhex("AAAAAA96690003200221"));
        assert_eq!(Command::ReadBaseMessage.frame(), unhex("AAAAAA96690003300132"));
    }

    #[test]
    fn find_card_success_encodes_and_decodes() {
        let frame = unhex("AAAAAA9669000800009F0000000097");
        let payload = unhex("00009F00000000");
        assert_eq!(encode_frame(&payload).expect("short payload"), frame);
        assert_eq!(decode_frame(&frame), Some(Ok(payload.clone())));
        let (status, rest) = Status::split(&payload).expect("status");
        assert_eq!(status, Status { sw1: 0, sw2: 0, sw3: STATUS_FIND_OK });
        assert_eq!(rest, [0, 0, 0, 0]);
    }

    #[test]
    fn commands_round_trip_through_the_decoder() {
        for command in Command::ALL {
            let payload = decode_frame(&command.frame()).expect("whole").expect("checksum");
            assert_eq!(Command::from_payload(&payload), Some(command));
        }
        assert_eq!(Command::from_payload(&[0x20]), None);
    }

    #[test]
    fn payload_too_long_is_refused() {
        assert!(encode_frame(&vec![0; MAX_PAYLOAD_LEN]).is_ok());
        assert_eq!(encode_frame(&vec![0; MAX_PAYLOAD_LEN + 1]), Err(PayloadTooLong(65535)));
    }

    #[test]
    fn frames_split_into_single_bytes_are_reassembled() {
        let frame = unhex("AAAAAA9669000800009F0000000097");
        let mut decoder = FrameDecoder::new();
        for (i, byte) in frame.iter().enumerate() {
            decoder.push(&[*byte]);
            let got = decoder.next_frame();
            if i + 1 < frame.len() {
                assert_eq!(got, None, "frame complete too early at byte {i}");
            } else {
                assert_eq!(got, Some(Ok(unhex("00009F00000000"))));
            }
        }
        assert_eq!(decoder.discarded(), 0);
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn garbage_before_a_frame_is_skipped_and_counted() {
        let mut bytes = unhex("0102AAAA03AA9669FF");
        bytes.extend(Command::FindCard.frame());
        let mut decoder = FrameDecoder::new();
        decoder.push(&bytes);
        assert_eq!(decoder.next_frame(), Some(Ok(vec![0x20, 0x01])));
        assert_eq!(decoder.discarded(), 9);
    }

    #[test]
    fn a_preamble_split_across_reads_is_kept() {
        let frame = Command::SelectCard.frame();
        let mut decoder = FrameDecoder::new();
        decoder.push(&[0x55, 0x55]);
        decoder.push(&frame[..3]);
        assert_eq!(decoder.next_frame(), None);
        assert_eq!(decoder.buffered(), 3);
        decoder.push(&frame[3..]);
        assert_eq!(decoder.next_frame(), Some(Ok(vec![0x20, 0x02])));
        assert_eq!(decoder.discarded(), 2);
    }

    #[test]
    fn bad_checksum_is_reported_and_the_next_frame_still_decodes() {
        let mut damaged = Command::FindCard.frame();
        if let Some(last) = damaged.last_mut() {
            *last ^= 0xFF;
        }
        let mut decoder = FrameDecoder::new();
        decoder.push(&damaged);
        decoder.push(&Command::ReadBaseMessage.frame());
        assert_eq!(
            decoder.next_frame(),
            Some(Err(FrameError::BadChecksum { expected: 0x22, found: 0xDD }))
        );
        assert_eq!(decoder.next_frame(), Some(Ok(vec![0x30, 0x01])));
    }

    #[test]
    fn an_impossible_length_means_a_false_preamble() {
        let mut bytes = PREAMBLE.to_vec();
        bytes.extend([0xFF, 0xFF]);
        bytes.extend(Command::FindCard.frame());
        let mut decoder = FrameDecoder::new();
        decoder.push(&bytes);
        assert_eq!(decoder.next_frame(), Some(Ok(vec![0x20, 0x01])));
        assert_eq!(decoder.discarded(), 7);

        let mut zero = PREAMBLE.to_vec();
        zero.extend([0x00, 0x00]);
        assert_eq!(decode_frame(&zero), None);
    }

    #[test]
    fn an_empty_payload_is_a_valid_frame() {
        let frame = encode_frame(&[]).expect("empty");
        assert_eq!(frame, unhex("AAAAAA9669000101"));
        assert_eq!(decode_frame(&frame), Some(Ok(Vec::new())));
    }

    #[test]
    fn status_needs_three_bytes() {
        assert_eq!(Status::split(&[0, 0]), None);
        assert_eq!(Status::split(&[0, 0, 0x90]).map(|(s, r)| (s.sw3, r.len())), Some((0x90, 0)));
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
                let _ = decode_frame(&bytes);
            }

            #[test]
            fn on_arbitrary_pieces(
                pieces in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..64)
            ) {
                let mut decoder = FrameDecoder::new();
                let mut total = 0;
                for piece in &pieces {
                    total += piece.len();
                    decoder.push(piece);
                    while decoder.next_frame().is_some() {}
                    prop_assert!(decoder.buffered() <= total);
                }
            }

            #[test]
            fn on_bytes_with_preambles_mixed_in(
                chunks in proptest::collection::vec(
                    prop_oneof![
                        proptest::collection::vec(any::<u8>(), 0..16),
                        Just(PREAMBLE.to_vec()),
                        any::<u16>().prop_map(|n| n.to_be_bytes().to_vec()),
                    ],
                    0..64,
                )
            ) {
                let bytes: Vec<u8> = chunks.concat();
                let mut decoder = FrameDecoder::new();
                decoder.push(&bytes);
                while decoder.next_frame().is_some() {}
            }

            #[test]
            fn any_payload_round_trips(
                garbage in proptest::collection::vec(any::<u8>(), 0..32),
                payload in proptest::collection::vec(any::<u8>(), 0..2048),
            ) {
                let mut bytes = garbage;
                bytes.extend(encode_frame(&payload).expect("short"));
                let mut decoder = FrameDecoder::new();
                decoder.push(&bytes);
                let mut got = None;
                while let Some(frame) = decoder.next_frame() {
                    got = Some(frame);
                }
                prop_assert_eq!(got, Some(Ok(payload)));
            }
        }
    }
}
