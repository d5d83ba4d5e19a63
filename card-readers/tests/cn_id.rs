//! The Mainland ID card reader end to end over a pseudo-terminal: the kiosk side opens the
//! slave as a serial port through the real serial code, a simulated reader answers on the
//! master side. Also checks that every error has a message in every language.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use card_readers::cn_id::frame::Command;
use card_readers::cn_id::simulator::{Behaviour, SimulatedCard, SimulatedReader, fake_wlt_photo};
use card_readers::cn_id::{ALL_MESSAGE_IDS, CnIdReader, CnReaderError, DEFAULT_BAUD, Sex};
use time::macros::date;

const TIMEOUT: Duration = Duration::from_millis(300);
/// Scheduling slack on a busy test machine, on top of the reader's own timeout.
const SLACK: Duration = Duration::from_millis(400);

/// A pseudo-terminal whose master side is served by a simulated reader.
struct SimulatedDevice {
    path: PathBuf,
    slave: Option<OwnedFd>,
    simulator: Option<JoinHandle<(SimulatedReader, std::io::Result<()>)>>,
}

impl SimulatedDevice {
    fn start(behaviour: Behaviour) -> SimulatedDevice {
        let pty = nix::pty::openpty(None, None).expect("openpty");
        let path = nix::unistd::ttyname(&pty.slave).expect("ttyname of the slave");
        let simulator = SimulatedReader::new(behaviour).spawn(File::from(pty.master));
        // The slave stays open until the end: with no slave open, the master reads EIO and the
        // simulator would stop before the reader opens the path.
        SimulatedDevice { path, slave: Some(pty.slave), simulator: Some(simulator) }
    }

    fn open(&self, timeout: Duration) -> CnIdReader<card_readers::cn_id::SerialLine> {
        CnIdReader::open(&self.path, DEFAULT_BAUD, timeout).expect("open the pty as a serial port")
    }

    /// Closes the line and returns the commands the simulator saw.
    fn finish(mut self) -> Vec<Command> {
        self.slave.take();
        let simulator = self.simulator.take().expect("running");
        let (reader, _) = simulator.join().expect("simulator thread");
        reader.commands().to_vec()
    }
}

fn read_with(
    behaviour: Behaviour,
) -> (Result<card_readers::cn_id::CnIdCard, CnReaderError>, Duration) {
    let device = SimulatedDevice::start(behaviour);
    let mut reader = device.open(TIMEOUT);
    let started = Instant::now();
    let result = reader.read_card();
    let elapsed = started.elapsed();
    drop(reader);
    device.finish();
    (result, elapsed)
}

#[test]
fn reads_every_field_of_a_card_through_a_pseudo_terminal() {
    let device = SimulatedDevice::start(Behaviour::Card(SimulatedCard::example()));
    let mut reader = device.open(Duration::from_secs(2));
    let card = reader.read_card().expect("card read");

    assert_eq!(card.name, "张三");
    assert_eq!(card.sex, Sex::Female);
    assert_eq!(card.ethnicity, "汉");
    assert_eq!(card.birth_date, date!(1949 - 12 - 31));
    assert_eq!(card.address, "广东省广州市天河区某某路1号");
    assert_eq!(card.id_number, "11010519491231002X");
    assert_eq!(card.authority, "广州市公安局天河分局");
    assert_eq!(card.valid_from, date!(2015 - 03 - 01));
    assert_eq!(card.valid_to, None);
    assert_eq!(card.photo_wlt, fake_wlt_photo());
    assert_eq!(card.photo_wlt.len(), 1024);

    let json = serde_json::to_value(&card).expect("serialises");
    assert_eq!(json["birth_date"], "1949-12-31");
    assert_eq!(json["valid_to"], serde_json::Value::Null);
    assert_eq!(json["sex"], "female");
    assert!(json.get("photo_wlt").is_none(), "the photo is never serialised");

    // A second card on the same open line.
    let again = reader.read_card().expect("read again");
    assert_eq!(again, card);

    drop(reader);
    use Command::*;
    assert_eq!(
        device.finish(),
        [FindCard, SelectCard, ReadBaseMessage, FindCard, SelectCard, ReadBaseMessage]
    );
}

#[test]
fn waits_for_a_card_placed_after_a_few_finds() {
    let card = SimulatedCard::example();
    let device = SimulatedDevice::start(Behaviour::CardAfterFinds { finds: 3, card });
    let mut reader = device.open(Duration::from_secs(2));
    assert_eq!(reader.read_card().expect("card read").id_number, "11010519491231002X");
    drop(reader);
    let finds = device.finish().iter().filter(|c| **c == Command::FindCard).count();
    assert_eq!(finds, 4);
}

#[test]
fn garbage_is_a_malformed_reply_within_the_timeout() {
    let (result, elapsed) = read_with(Behaviour::Garbage);
    match result {
        Err(CnReaderError::MalformedReply { detail }) => {
            assert!(detail.contains("not a reader reply"), "{detail}");
        }
        other => panic!("expected MalformedReply, got {other:?}"),
    }
    assert!(elapsed < TIMEOUT + SLACK, "took {elapsed:?}");
}

#[test]
fn a_bad_checksum_is_reported_as_such() {
    let (result, elapsed) = read_with(Behaviour::BadChecksum);
    assert!(matches!(result, Err(CnReaderError::BadChecksum)), "{result:?}");
    assert!(elapsed < TIMEOUT + SLACK, "took {elapsed:?}");
}

#[test]
fn an_empty_reader_says_no_card() {
    let (result, elapsed) = read_with(Behaviour::NoCard);
    assert!(matches!(result, Err(CnReaderError::NoCard)), "{result:?}");
    assert!(elapsed < TIMEOUT + SLACK, "took {elapsed:?}");
}

#[test]
fn a_silent_reader_times_out() {
    let (result, elapsed) = read_with(Behaviour::Silent);
    assert!(matches!(result, Err(CnReaderError::Timeout)), "{result:?}");
    assert!(elapsed >= TIMEOUT, "gave up early, after {elapsed:?}");
    assert!(elapsed < TIMEOUT + SLACK, "took {elapsed:?}");
}

#[test]
fn an_invalid_id_number_on_the_card_is_an_error() {
    let mut card = SimulatedCard::example();
    card.id_number = "110105194912310021".into();
    let (result, _) = read_with(Behaviour::Card(card));
    match result {
        Err(e @ CnReaderError::InvalidIdNumber { .. }) => {
            assert!(!format!("{e} {e:?}").contains("110105"), "the number leaks: {e:?}");
        }
        other => panic!("expected InvalidIdNumber, got {other:?}"),
    }
}

#[test]
fn a_missing_device_cannot_be_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ttyUSB9");
    match CnIdReader::open(&path, DEFAULT_BAUD, TIMEOUT) {
        Err(e @ CnReaderError::Open { .. }) => {
            assert_eq!(e.message_id(), "cn-reader-error-open");
            let args: BTreeMap<_, _> = e.message_args().into_iter().collect();
            assert_eq!(args.get("path").map(String::as_str), path.to_str());
        }
        other => panic!("expected Open, got {other:?}"),
    }
}

/// `id = text` lines of a Fluent file, with the placeables each message uses.
fn messages(path: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut messages = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (id, value) =
            line.split_once(" = ").unwrap_or_else(|| panic!("not `id = text`: {line}"));
        let placeables = value
            .split("{ $")
            .skip(1)
            .filter_map(|rest| rest.split_once(" }").map(|(name, _)| name.to_owned()))
            .collect();
        assert!(messages.insert(id.to_owned(), placeables).is_none(), "{id} twice");
    }
    messages
}

#[test]
fn every_error_has_a_message_in_every_language() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("../i18n/locales");
    let english = messages(&locales.join("en/cn_reader.ftl"));
    let ids: BTreeSet<&str> = english.keys().map(String::as_str).collect();
    let listed: BTreeSet<&str> = ALL_MESSAGE_IDS.iter().copied().collect();
    assert_eq!(ids, listed, "cn_reader.ftl and ALL_MESSAGE_IDS differ");
    for lang in ["zh-Hant", "zh-Hans", "pt"] {
        let other = messages(&locales.join(lang).join("cn_reader.ftl"));
        assert_eq!(other, english, "{lang}: ids or placeables differ from English");
    }
}

#[test]
fn placeables_are_the_errors_arguments() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("../i18n/locales");
    let english = messages(&locales.join("en/cn_reader.ftl"));
    let examples = [
        CnReaderError::Open {
            path: "/dev/ttyUSB0".into(),
            source: std::io::ErrorKind::NotFound.into(),
        },
        CnReaderError::Timeout,
        CnReaderError::BadChecksum,
        CnReaderError::MalformedReply { detail: "12 bytes".into() },
        CnReaderError::NoCard,
        CnReaderError::CardReadFailed { status: 0x41 },
        CnReaderError::ReaderStatus { status: 0x60 },
        CnReaderError::Disconnected { source: std::io::ErrorKind::BrokenPipe.into() },
        CnReaderError::CardData { field: card_readers::cn_id::CardField::Address },
        CnReaderError::InvalidIdNumber { reason: "id-error-bad-check-character" },
    ];
    for error in examples {
        let used = english.get(error.message_id()).expect("message exists");
        let given: BTreeSet<String> =
            error.message_args().into_iter().map(|(name, _)| name.to_owned()).collect();
        assert!(used.is_subset(&given), "{}: uses {used:?}, given {given:?}", error.message_id());
    }
}
