//! Mainland China resident identity cards, read through an MPS-certified reader (with its SAM)
//! on a USB-serial line: the frame codec, the card's data, the device, and a simulator.
//!
//! Code map: [`frame`] is the wire format (pure); `card` turns the base message into a
//! [`CnIdCard`] (pure); `reader` is the only part that touches a line, behind [`Transport`];
//! `simulator` (with the `test-support` feature only) plays the reader's side for tests.
//!
//! Invariants: nothing here logs or formats a holder's personal data (name, ID number,
//! address, photo; [`CnIdCard`]'s `Debug` hides them and its serialisation leaves out the
//! photo); no input from the line can panic or wait past the reader's timeout; an ID number
//! that fails GB 11643 is an error, never a card.

mod card;
mod error;
pub mod frame;
mod reader;
#[cfg(feature = "test-support")]
pub mod simulator;

pub use card::{
    CardField, CnIdCard, ETHNICITIES, NO_EXPIRY, PHOTO_LEN, Sex, TEXT_LEN, ethnicity_name,
    parse_base_message, parse_text,
};
pub use error::{ALL_MESSAGE_IDS, CnReaderError};
pub use reader::{CnIdReader, DEFAULT_BAUD, FIND_RETRY_INTERVAL, SerialLine, Transport};

#[cfg(test)]
mod tests {
    //! The device logic over an in-memory line; the pseudo-terminal path is in
    //! `tests/cn_id.rs`.

    use std::time::{Duration, Instant};

    use super::simulator::{Behaviour, SimulatedCard, SimulatedLine, SimulatedReader};
    use super::*;
    use frame::Command;

    const TIMEOUT: Duration = Duration::from_millis(300);

    fn reader(behaviour: Behaviour) -> CnIdReader<SimulatedLine> {
        CnIdReader::new(SimulatedLine::new(SimulatedReader::new(behaviour)), TIMEOUT)
    }

    #[test]
    fn reads_the_card_with_find_select_read() {
        let mut reader = reader(Behaviour::Card(SimulatedCard::example()));
        let card = reader.read_card().expect("card");
        assert_eq!(card.name, "张三");
        assert_eq!(card.id_number, "11010519491231002X");
        assert_eq!(card.photo_wlt, simulator::fake_wlt_photo());
        assert_eq!(
            reader.line().reader().commands(),
            [Command::FindCard, Command::SelectCard, Command::ReadBaseMessage]
        );
    }

    #[test]
    fn waits_for_a_card_placed_a_moment_later() {
        let card = SimulatedCard::example();
        let mut reader = reader(Behaviour::CardAfterFinds { finds: 2, card });
        reader.set_timeout(Duration::from_secs(2));
        assert_eq!(reader.read_card().expect("card").name, "张三");
        let finds =
            reader.line().reader().commands().iter().filter(|c| **c == Command::FindCard).count();
        assert_eq!(finds, 3);
    }

    #[test]
    fn errors_within_the_timeout() {
        let cases: [(Behaviour, &str); 4] = [
            (Behaviour::NoCard, "cn-reader-error-no-card"),
            (Behaviour::Garbage, "cn-reader-error-malformed"),
            (Behaviour::BadChecksum, "cn-reader-error-bad-checksum"),
            (Behaviour::Silent, "cn-reader-error-timeout"),
        ];
        for (behaviour, id) in cases {
            let started = Instant::now();
            let error = reader(behaviour).read_card().expect_err("no card read");
            assert_eq!(error.message_id(), id, "{error}");
            assert!(started.elapsed() < TIMEOUT + Duration::from_millis(400), "{id} too slow");
        }
    }

    #[test]
    fn a_card_removed_before_select_is_a_read_failure() {
        let mut reader = reader(Behaviour::NoCard);
        assert!(matches!(
            reader.select_card(),
            Err(CnReaderError::CardReadFailed { status: 0x81 })
        ));
        assert!(matches!(
            reader.read_base_message(),
            Err(CnReaderError::CardReadFailed { status: 0x41 })
        ));
    }

    #[test]
    fn an_invalid_id_number_on_the_card_is_reported() {
        let mut card = SimulatedCard::example();
        card.id_number = "110105194912310020".into();
        let error = reader(Behaviour::Card(card)).read_card().expect_err("refused");
        assert!(matches!(error, CnReaderError::InvalidIdNumber { .. }), "{error:?}");
    }

    #[test]
    fn every_error_has_a_listed_message_id() {
        let errors = [
            CnReaderError::Open {
                path: "/dev/ttyUSB0".into(),
                source: std::io::ErrorKind::NotFound.into(),
            },
            CnReaderError::Timeout,
            CnReaderError::BadChecksum,
            CnReaderError::MalformedReply { detail: "x".into() },
            CnReaderError::NoCard,
            CnReaderError::CardReadFailed { status: 0x41 },
            CnReaderError::ReaderStatus { status: 0x60 },
            CnReaderError::Disconnected { source: std::io::ErrorKind::BrokenPipe.into() },
            CnReaderError::CardData { field: CardField::BirthDate },
            CnReaderError::InvalidIdNumber { reason: "id-error-bad-check-character" },
        ];
        let ids: Vec<&str> = errors.iter().map(CnReaderError::message_id).collect();
        assert_eq!(ids, ALL_MESSAGE_IDS);
        assert_eq!(errors[5].message_args(), [("code", "41".to_owned())]);
        assert_eq!(errors[8].message_args(), [("field", "birth_date".to_owned())]);
    }

    /// A line that answers every command with the same frame and then reads as end of file.
    struct CannedLine {
        reply: Vec<u8>,
        pending: Vec<u8>,
        broken: bool,
    }

    impl CannedLine {
        fn replying(payload: &[u8]) -> CannedLine {
            let reply = frame::encode_frame(payload).expect("short");
            CannedLine { reply, pending: Vec::new(), broken: false }
        }
    }

    impl std::io::Read for CannedLine {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.broken {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            let n = buf.len().min(self.pending.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            Ok(n)
        }
    }

    impl std::io::Write for CannedLine {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.pending.extend(&self.reply);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Transport for CannedLine {
        fn set_timeout(&mut self, _: Duration) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn request(payload: &[u8], command: Command) -> Result<Vec<u8>, CnReaderError> {
        let mut reader = CnIdReader::new(CannedLine::replying(payload), TIMEOUT);
        reader.request(command, Instant::now() + TIMEOUT)
    }

    #[test]
    fn statuses_map_to_errors() {
        assert_eq!(request(&[0, 0, 0x9F, 1, 2], Command::FindCard).expect("found"), [1, 2]);
        assert!(request(&[0, 0, 0x90], Command::FindCard).is_ok());
        assert!(request(&[0, 0, 0x90], Command::SelectCard).is_ok());
        assert!(matches!(request(&[0, 0, 0x80], Command::FindCard), Err(CnReaderError::NoCard)));
        assert!(matches!(
            request(&[0, 0, 0x81], Command::SelectCard),
            Err(CnReaderError::CardReadFailed { status: 0x81 })
        ));
        assert!(matches!(
            request(&[0, 0, 0x41], Command::ReadBaseMessage),
            Err(CnReaderError::CardReadFailed { status: 0x41 })
        ));
        for unknown in [0x9F, 0x60, 0x00, 0xFF] {
            match request(&[0, 0, unknown], Command::SelectCard) {
                Err(CnReaderError::ReaderStatus { status }) => assert_eq!(status, unknown),
                other => panic!("{unknown:02X}: {other:?}"),
            }
        }
        for malformed in [&[][..], &[0, 0], &[1, 0, 0x90], &[0, 2, 0x90]] {
            assert!(matches!(
                request(malformed, Command::FindCard),
                Err(CnReaderError::MalformedReply { .. })
            ));
        }
    }

    #[test]
    fn a_line_at_end_of_file_times_out_without_spinning_forever() {
        let mut line = CannedLine::replying(&[]);
        line.reply.clear();
        let started = Instant::now();
        let mut reader = CnIdReader::new(line, TIMEOUT);
        assert!(matches!(reader.find_card(), Err(CnReaderError::Timeout)));
        assert!(started.elapsed() >= TIMEOUT);
    }

    #[test]
    fn a_truncated_reply_is_malformed_not_a_timeout() {
        let mut line = CannedLine::replying(&[0, 0, 0x9F, 0, 0, 0, 0]);
        line.reply.truncate(9);
        let mut reader = CnIdReader::new(line, TIMEOUT);
        assert!(matches!(reader.find_card(), Err(CnReaderError::MalformedReply { .. })));
    }

    #[test]
    fn a_broken_line_is_a_lost_connection() {
        let mut line = CannedLine::replying(&[0, 0, 0x9F]);
        line.broken = true;
        let mut reader = CnIdReader::new(line, TIMEOUT);
        assert!(matches!(reader.read_card(), Err(CnReaderError::Disconnected { .. })));
    }

    #[test]
    fn gives_up_after_three_damaged_replies_in_a_row() {
        let mut line = SimulatedLine::new(SimulatedReader::new(Behaviour::BadChecksum));
        let mut reader = CnIdReader::new(&mut line, TIMEOUT);
        assert!(matches!(reader.wait_for_card(), Err(CnReaderError::BadChecksum)));
        let finds = line.reader().commands().len();
        assert_eq!(finds, 3, "gave up after three damaged replies");
    }
}
