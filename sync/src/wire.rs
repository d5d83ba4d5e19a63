//! The replication protocol's frames and document names: what one WebSocket binary message
//! carries, encoded by hand (a tag byte, then each field as a u32 big-endian length and its
//! bytes), so reading a peer's bytes is a pure function that checks every length before it
//! allocates and never panics.
//!
//! ```text
//! Hello    1  protocol (4 bytes, BE) · office (UTF-8) · kiosk (UTF-8) · time_ms (8 bytes, BE)
//! Sync     2  doc (a DocName, UTF-8) · message (an automerge sync message)
//! Done     3  (no fields)
//! Refused  4  code (UTF-8) · detail (UTF-8)
//! ```

use std::fmt;
use std::str::FromStr;

/// The protocol this build speaks, sent in [`Hello`].
pub const PROTOCOL: u32 = 1;

/// The largest frame either side sends or reads. A journal is closed at a few thousand events,
/// far below this; the cap only stops a peer from making us hold an unbounded message.
pub const MAX_FRAME: usize = 64 << 20;

/// The pseudo-office of the central registry's journals: every kiosk reads them, only the hub
/// writes them, and no real office may be named so.
pub const CENTRAL: &str = "CENTRAL";

const MAX_CODE: usize = 64;
const MAX_DETAIL: usize = 4096;

const TAG_HELLO: u8 = 1;
const TAG_SYNC: u8 = 2;
const TAG_DONE: u8 = 3;
const TAG_REFUSED: u8 = 4;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("empty frame")]
    Empty,
    #[error("frame of {0} bytes is over the {MAX_FRAME}-byte limit")]
    TooLarge(usize),
    #[error("unknown frame tag {0}")]
    UnknownTag(u8),
    #[error("frame cut short: field {field} needs {needed} bytes, {left} left")]
    Truncated { field: &'static str, needed: u64, left: usize },
    #[error("{0} bytes after the frame's last field")]
    Trailing(usize),
    #[error("field {field} has {found} bytes, it must have {expected}")]
    BadLength { field: &'static str, expected: usize, found: usize },
    #[error("field {0} is not UTF-8")]
    NotUtf8(&'static str),
    #[error("not a document name: {0:?}")]
    BadDocName(String),
    #[error("not an office id: {0:?}")]
    BadOffice(String),
    #[error("not a kiosk id: {0:?}")]
    BadKiosk(String),
    #[error("not a refusal code: {0:?}")]
    BadCode(String),
    #[error("refusal detail of {0} bytes is over the {MAX_DETAIL}-byte limit")]
    DetailTooLong(usize),
}

/// An office id: 1–32 of `A-Z a-z 0-9 _` (`CENTRAL` included: it is the central registry's).
pub fn valid_office(office: &str) -> bool {
    !office.is_empty()
        && office.len() <= 32
        && office.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A document's name on the wire and in storage: `OFFICE/manifest` or `OFFICE/journal/PERIOD`,
/// PERIOD a calendar date `YYYY-MM-DD` or `YYYY-MM-DD.N` (N ≥ 2: the day's next journal, when
/// one passed the size limit).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocName(String);

/// Office, then the manifest before the journals, then journals by day and part number as a
/// number: a session sends documents in this order, and a kiosk's chain runs from part `.9` to
/// `.10` of a day, which string order would send the wrong way round (the hub would refuse the
/// later part as out of the chain).
impl Ord for DocName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        fn key(name: &DocName) -> (&str, u8, &str, u64) {
            match name.journal_period() {
                None => (name.office(), 0, "", 0),
                Some(period) => {
                    let (day, part) = period.split_once('.').unwrap_or((period, "1"));
                    (name.office(), 1, day, part.parse().unwrap_or(u64::MAX))
                }
            }
        }
        key(self).cmp(&key(other)).then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for DocName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl DocName {
    /// `office`'s manifest.
    pub fn manifest(office: &str) -> Result<DocName, WireError> {
        DocName::parse(&format!("{office}/manifest"))
    }

    /// `office`'s journal of `period`.
    pub fn journal(office: &str, period: &str) -> Result<DocName, WireError> {
        DocName::parse(&format!("{office}/journal/{period}"))
    }

    pub fn parse(name: &str) -> Result<DocName, WireError> {
        let bad = || WireError::BadDocName(name.chars().take(80).collect());
        let (office, rest) = name.split_once('/').ok_or_else(bad)?;
        if !valid_office(office) {
            return Err(bad());
        }
        match rest.split_once('/') {
            None if rest == "manifest" => {}
            Some(("journal", period)) if valid_period(period) => {}
            _ => return Err(bad()),
        }
        Ok(DocName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn office(&self) -> &str {
        self.0.split('/').next().unwrap_or_default()
    }

    /// The period, for a journal; `None` for a manifest.
    pub fn journal_period(&self) -> Option<&str> {
        self.0.splitn(3, '/').nth(2)
    }

    pub fn is_manifest(&self) -> bool {
        self.journal_period().is_none()
    }

    /// One of the central registry's documents, which every office reads.
    pub fn is_central(&self) -> bool {
        self.office() == CENTRAL
    }
}

impl fmt::Display for DocName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DocName {
    type Err = WireError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocName::parse(s)
    }
}

/// `YYYY-MM-DD` (a real calendar date) or `YYYY-MM-DD.N` with N ≥ 2 written without leading
/// zeros, so that one period has one spelling.
pub fn valid_period(period: &str) -> bool {
    let (date, part) = match period.split_once('.') {
        Some((date, part)) => (date, Some(part)),
        None => (period, None),
    };
    if let Some(part) = part {
        let ok = !part.is_empty()
            && part.len() <= 9
            && part.bytes().all(|b| b.is_ascii_digit())
            && !part.starts_with('0')
            && part != "1";
        if !ok {
            return false;
        }
    }
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = date.get(r)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let Ok(month) = time::Month::try_from(month as u8) else {
        return false;
    };
    time::Date::from_calendar_date(year as i32, month, day as u8).is_ok()
}

/// Each side's first frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    pub protocol: u32,
    /// The sender's office (`CENTRAL` for the hub).
    pub office: String,
    /// The sender's kiosk id (the hub's own id for the hub).
    pub kiosk: String,
    /// The sender's clock, milliseconds since the Unix epoch: the hub's is what the kiosk's
    /// clock-skew warning compares with.
    pub time_ms: u64,
}

/// A peer's refusal: `code` is a stable id a kiosk maps to a message in the clerk's language;
/// `detail` is for logs (never personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub code: String,
    pub detail: String,
}

impl Refused {
    /// A frame that does not decode, or comes out of order.
    pub const MALFORMED: &'static str = "malformed";
    /// The peer speaks another protocol version.
    pub const PROTOCOL: &'static str = "protocol";
    /// The session did not settle within the round limit.
    pub const ROUNDS: &'static str = "rounds";
    /// A frame the session would send is over [`MAX_FRAME`].
    pub const TOO_LARGE: &'static str = "too-large";

    /// A refusal to send. `code` is a stable id (1–64 of `a-z 0-9 - _ .`: use a constant, a peer
    /// refuses any other as malformed); `detail` is cut to the length a peer reads.
    pub fn new(code: &str, detail: impl Into<String>) -> Refused {
        let mut detail: String = detail.into();
        if detail.len() > MAX_DETAIL {
            let mut end = MAX_DETAIL;
            while !detail.is_char_boundary(end) {
                end -= 1;
            }
            detail.truncate(end);
        }
        Refused { code: code.to_owned(), detail }
    }

    fn checked(code: String, detail: String) -> Result<Refused, WireError> {
        if !valid_code(&code) {
            return Err(WireError::BadCode(code.chars().take(80).collect()));
        }
        if detail.len() > MAX_DETAIL {
            return Err(WireError::DetailTooLong(detail.len()));
        }
        Ok(Refused { code, detail })
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

impl std::error::Error for Refused {}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CODE
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// One WebSocket binary message of the protocol.
#[derive(Clone, PartialEq, Eq)]
pub enum Frame {
    Hello(Hello),
    /// An automerge sync message for one document.
    Sync {
        doc: DocName,
        message: Vec<u8>,
    },
    /// This side sent everything of this round.
    Done,
    Refused(Refused),
}

impl fmt::Debug for Frame {
    // A sync message may be megabytes: name its size, not its bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frame::Hello(hello) => f.debug_tuple("Hello").field(hello).finish(),
            Frame::Sync { doc, message } => f
                .debug_struct("Sync")
                .field("doc", doc)
                .field("message_bytes", &message.len())
                .finish(),
            Frame::Done => f.write_str("Done"),
            Frame::Refused(refused) => f.debug_tuple("Refused").field(refused).finish(),
        }
    }
}

impl Frame {
    pub fn encode(&self) -> Vec<u8> {
        fn field(out: &mut Vec<u8>, bytes: &[u8]) {
            // No field reaches u32::MAX below MAX_FRAME, and the session checks the encoded
            // size against MAX_FRAME before it sends.
            let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(bytes);
        }
        let mut out = Vec::new();
        match self {
            Frame::Hello(hello) => {
                out.push(TAG_HELLO);
                field(&mut out, &hello.protocol.to_be_bytes());
                field(&mut out, hello.office.as_bytes());
                field(&mut out, hello.kiosk.as_bytes());
                field(&mut out, &hello.time_ms.to_be_bytes());
            }
            Frame::Sync { doc, message } => {
                out.reserve(1 + 8 + doc.as_str().len() + message.len());
                out.push(TAG_SYNC);
                field(&mut out, doc.as_str().as_bytes());
                field(&mut out, message);
            }
            Frame::Done => out.push(TAG_DONE),
            Frame::Refused(refused) => {
                out.push(TAG_REFUSED);
                field(&mut out, refused.code.as_bytes());
                field(&mut out, refused.detail.as_bytes());
            }
        }
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Frame, WireError> {
        if bytes.len() > MAX_FRAME {
            return Err(WireError::TooLarge(bytes.len()));
        }
        let (&tag, rest) = bytes.split_first().ok_or(WireError::Empty)?;
        let mut r = Reader(rest);
        let frame = match tag {
            TAG_HELLO => {
                let protocol = u32::from_be_bytes(r.fixed("protocol")?);
                let office = r.text("office")?;
                let kiosk = r.text("kiosk")?;
                let time_ms = u64::from_be_bytes(r.fixed("time_ms")?);
                if !valid_office(&office) {
                    return Err(WireError::BadOffice(office.chars().take(80).collect()));
                }
                if !registry::hlc::valid_node(&kiosk) {
                    return Err(WireError::BadKiosk(kiosk.chars().take(80).collect()));
                }
                Frame::Hello(Hello { protocol, office, kiosk, time_ms })
            }
            TAG_SYNC => {
                let doc = DocName::parse(&r.text("doc")?)?;
                let message = r.field("message")?.to_vec();
                Frame::Sync { doc, message }
            }
            TAG_DONE => Frame::Done,
            TAG_REFUSED => {
                let code = r.text("code")?;
                let detail = r.text("detail")?;
                Frame::Refused(Refused::checked(code, detail)?)
            }
            other => return Err(WireError::UnknownTag(other)),
        };
        if !r.0.is_empty() {
            return Err(WireError::Trailing(r.0.len()));
        }
        Ok(frame)
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, field: &'static str, n: u64) -> Result<&'a [u8], WireError> {
        let left = self.0.len();
        let err = WireError::Truncated { field, needed: n, left };
        let n = usize::try_from(n).map_err(|_| err.clone())?;
        if n > left {
            return Err(err);
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn field(&mut self, field: &'static str) -> Result<&'a [u8], WireError> {
        let len = self.take(field, 4)?;
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]);
        self.take(field, u64::from(len))
    }

    fn fixed<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], WireError> {
        let bytes = self.field(field)?;
        bytes.try_into().map_err(|_| WireError::BadLength {
            field,
            expected: N,
            found: bytes.len(),
        })
    }

    fn text(&mut self, field: &'static str) -> Result<String, WireError> {
        let bytes = self.field(field)?;
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| WireError::NotUtf8(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_sort_by_office_then_manifest_then_day_and_part_as_numbers() {
        let names = [
            "MO01/journal/2026-11-30.10",
            "MO01/journal/2026-11-30.9",
            "MO01/manifest",
            "MO01/journal/2026-11-30",
            "MO01/journal/2026-11-29.2",
            "GD01/journal/2026-12-01",
        ];
        let mut docs: Vec<DocName> =
            names.iter().map(|n| DocName::parse(n).expect("name")).collect();
        docs.sort();
        let sorted: Vec<&str> = docs.iter().map(DocName::as_str).collect();
        assert_eq!(
            sorted,
            [
                "GD01/journal/2026-12-01",
                "MO01/manifest",
                "MO01/journal/2026-11-29.2",
                "MO01/journal/2026-11-30",
                "MO01/journal/2026-11-30.9",
                "MO01/journal/2026-11-30.10"
            ]
        );
    }
    use proptest::prelude::*;

    fn hello() -> Hello {
        Hello {
            protocol: PROTOCOL,
            office: "MO01".into(),
            kiosk: "K01".into(),
            time_ms: 1_764_460_800_000,
        }
    }

    #[test]
    fn doc_names_parse_and_name_their_parts() {
        let manifest = DocName::parse("MO01/manifest").unwrap();
        assert_eq!(manifest.office(), "MO01");
        assert_eq!(manifest.journal_period(), None);
        assert!(manifest.is_manifest());
        let journal = DocName::parse("MO01/journal/2026-11-29.2").unwrap();
        assert_eq!(journal.office(), "MO01");
        assert_eq!(journal.journal_period(), Some("2026-11-29.2"));
        assert!(!journal.is_manifest() && !journal.is_central());
        assert!(DocName::journal(CENTRAL, "2024-02-29").unwrap().is_central());
        assert_eq!(DocName::manifest("MO01").unwrap(), manifest);
        assert_eq!(journal.to_string(), "MO01/journal/2026-11-29.2");
    }

    #[test]
    fn bad_doc_names_are_refused() {
        for name in [
            "",
            "MO01",
            "/manifest",
            "MO-01/manifest",
            "MO01/manifest/",
            "MO01/Manifest",
            "MO01/journal",
            "MO01/journal/",
            "MO01/journal/2026-13-01",
            "MO01/journal/2025-02-29",
            "MO01/journal/2026-1-01",
            "MO01/journal/2026-11-29.1",
            "MO01/journal/2026-11-29.0",
            "MO01/journal/2026-11-29.02",
            "MO01/journal/2026-11-29.",
            "MO01/journal/2026-11-29.x",
            "MO01/journal/+026-11-29",
            "MO01/journal/2026-11-29/x",
            "MO01/ledger/2026-11-29",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456/manifest",
            "MO01/journal/２026-11-29",
        ] {
            assert!(
                matches!(DocName::parse(name), Err(WireError::BadDocName(_))),
                "{name:?} accepted"
            );
        }
    }

    #[test]
    fn each_frame_round_trips() {
        let frames = [
            Frame::Hello(hello()),
            Frame::Sync {
                doc: DocName::journal("MO01", "2026-11-29").unwrap(),
                message: vec![0x42, 0, 1, 2],
            },
            Frame::Sync { doc: DocName::manifest("MO01").unwrap(), message: vec![] },
            Frame::Done,
            Frame::Refused(Refused::new("forbidden", "office MO02 is not yours")),
        ];
        for frame in frames {
            assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
        }
        assert_eq!(Frame::Done.encode(), vec![TAG_DONE]);
    }

    #[test]
    fn bad_frames_say_why() {
        let mut hello_bytes = Frame::Hello(hello()).encode();
        assert_eq!(Frame::decode(&[]), Err(WireError::Empty));
        assert_eq!(Frame::decode(&[9]), Err(WireError::UnknownTag(9)));
        assert_eq!(Frame::decode(&[TAG_DONE, 0]), Err(WireError::Trailing(1)));
        // A length far past the end is an error, not an allocation of 4 GiB.
        assert_eq!(
            Frame::decode(&[TAG_SYNC, 0xff, 0xff, 0xff, 0xff, b'x']),
            Err(WireError::Truncated { field: "doc", needed: u64::from(u32::MAX), left: 1 })
        );
        assert!(matches!(
            Frame::decode(&[TAG_REFUSED, 0, 0]),
            Err(WireError::Truncated { field: "code", .. })
        ));
        hello_bytes.push(0);
        assert_eq!(Frame::decode(&hello_bytes), Err(WireError::Trailing(1)));
        let short_protocol = [TAG_HELLO, 0, 0, 0, 2, 0, 1];
        assert_eq!(
            Frame::decode(&short_protocol),
            Err(WireError::BadLength { field: "protocol", expected: 4, found: 2 })
        );
        let bad_doc = Frame::Sync { doc: DocName::manifest("MO01").unwrap(), message: vec![] }
            .encode()
            .iter()
            .map(|&b| if b == b'/' { b'\\' } else { b })
            .collect::<Vec<_>>();
        assert!(matches!(Frame::decode(&bad_doc), Err(WireError::BadDocName(_))));
        let mut bad_office = hello();
        bad_office.office = "MO 01".into();
        assert!(matches!(
            Frame::decode(&Frame::Hello(bad_office).encode()),
            Err(WireError::BadOffice(_))
        ));
        let mut bad_kiosk = hello();
        bad_kiosk.kiosk = String::new();
        assert!(matches!(
            Frame::decode(&Frame::Hello(bad_kiosk).encode()),
            Err(WireError::BadKiosk(_))
        ));
        let bad_code =
            Frame::Refused(Refused { code: "Not Allowed".into(), detail: String::new() });
        assert!(matches!(Frame::decode(&bad_code.encode()), Err(WireError::BadCode(_))));
        let not_utf8 = [TAG_REFUSED, 0, 0, 0, 1, 0xff, 0, 0, 0, 0];
        assert_eq!(Frame::decode(&not_utf8), Err(WireError::NotUtf8("code")));
        let huge = vec![TAG_DONE; MAX_FRAME + 1];
        assert_eq!(Frame::decode(&huge), Err(WireError::TooLarge(MAX_FRAME + 1)));
    }

    #[test]
    fn a_long_detail_is_cut_on_a_character_boundary() {
        let refused = Refused::new("x", "é".repeat(MAX_DETAIL));
        assert!(refused.detail.len() <= MAX_DETAIL);
        assert!(refused.detail.len() >= MAX_DETAIL - 1);
        assert_eq!(
            Frame::decode(&Frame::Refused(refused.clone()).encode()),
            Ok(Frame::Refused(refused))
        );
    }

    #[test]
    fn debug_of_a_sync_frame_names_its_size_not_its_bytes() {
        let frame = Frame::Sync { doc: DocName::manifest("MO01").unwrap(), message: vec![7; 1000] };
        let debug = format!("{frame:?}");
        assert!(debug.contains("1000") && !debug.contains("7, 7"), "{debug}");
    }

    fn doc_name() -> impl Strategy<Value = DocName> {
        (
            "[A-Za-z0-9_]{1,32}",
            prop::option::of((2000i32..2100, 1u8..=12, 1u8..=28, prop::option::of(2u32..1000))),
        )
            .prop_map(|(office, period)| match period {
                None => DocName::manifest(&office).unwrap(),
                Some((y, m, d, n)) => {
                    let mut p = format!("{y:04}-{m:02}-{d:02}");
                    if let Some(n) = n {
                        p.push_str(&format!(".{n}"));
                    }
                    DocName::journal(&office, &p).unwrap()
                }
            })
    }

    fn frame() -> impl Strategy<Value = Frame> {
        prop_oneof![
            (any::<u32>(), "[A-Za-z0-9_]{1,32}", "[A-Za-z0-9_]{1,64}", any::<u64>()).prop_map(
                |(protocol, office, kiosk, time_ms)| Frame::Hello(Hello {
                    protocol,
                    office,
                    kiosk,
                    time_ms
                })
            ),
            (doc_name(), prop::collection::vec(any::<u8>(), 0..300))
                .prop_map(|(doc, message)| Frame::Sync { doc, message }),
            Just(Frame::Done),
            ("[a-z0-9._-]{1,64}", "\\PC{0,200}")
                .prop_map(|(code, detail)| Frame::Refused(Refused { code, detail })),
        ]
    }

    proptest! {
        #[test]
        fn frames_round_trip(frame in frame()) {
            prop_assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
        }

        #[test]
        fn decode_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = Frame::decode(&bytes);
        }

        #[test]
        fn decode_never_panics_on_damaged_frames(
            frame in frame(),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = frame.encode();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let _ = Frame::decode(&bytes);
            bytes.truncate(cut.index(bytes.len()));
            // A cut frame never decodes as the whole one.
            prop_assert_ne!(Frame::decode(&bytes), Ok(frame));
        }
    }
}
