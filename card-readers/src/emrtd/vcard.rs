//! A virtual eMRTD for tests and benchmarks: BAC, secure messaging and the LDS files, served to
//! pcscd through vsmartcard's vpcd socket (or called directly). Built only with the
//! `test-support` feature: a test double is not part of the kiosk's release build.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;

use super::apdu::{Command, Response};
use super::bac;
use super::crypto::Key;
use super::lds;
use super::sm::SmSession;

/// The ATR: T=1, and historical bytes whose card capabilities announce extended Lc/Le when
/// `extended`.
pub fn atr(extended: bool) -> Vec<u8> {
    let hist = [0x80, 0x73, 0x00, 0x00, if extended { 0x40 } else { 0x00 }];
    let mut atr = vec![0x3b, 0x80 | hist.len() as u8, 0x80, 0x01];
    atr.extend_from_slice(&hist);
    let tck = atr[1..].iter().fold(0u8, |acc, b| acc ^ b);
    atr.push(tck);
    atr
}

/// What a chip answers to a READ BINARY that asks for more bytes than remain in the file.
/// ISO 7816-4 lets a chip give what there is with 6282, but real chips differ, and a reader must
/// never ask past the end of a file: every chip here refuses such a read, each in one of the ways
/// chips at the counter do, so a reader that over-reads fails its tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverRead {
    /// 6282 and the bytes there are, but without secure messaging's MAC (as an open-source
    /// eMRTD does): a reader must not accept such an answer, so the reading stops.
    #[default]
    WarningWithoutMac,
    /// 6700, wrong length, and no data.
    WrongLength,
    /// 6Cxx, xx the number of bytes there are, and no data.
    ExactLengthIs,
}

/// A passport chip.
pub struct VirtualPassport {
    keys: (Key, Key),
    files: HashMap<u16, Vec<u8>>,
    /// Refuse BAC, as a PACE-only chip does.
    pub pace_only: bool,
    pub extended: bool,
    /// How a read past the end of a file is refused.
    pub over_read: OverRead,
    /// READ BINARY commands that asked past the end of a file.
    pub over_reads: u32,
    selected_app: bool,
    challenge: Option<[u8; 8]>,
    session: Option<SmSession>,
    current: Option<u16>,
}

impl std::fmt::Debug for VirtualPassport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualPassport").field("files", &self.files.len()).finish_non_exhaustive()
    }
}

impl VirtualPassport {
    /// A chip opened by `mrz_information`, holding `files` (file id → contents).
    pub fn new(mrz_information: &str, files: HashMap<u16, Vec<u8>>) -> Self {
        VirtualPassport {
            keys: bac::document_keys(mrz_information),
            files,
            pace_only: false,
            extended: true,
            over_read: OverRead::default(),
            over_reads: 0,
            selected_app: false,
            challenge: None,
            session: None,
            current: None,
        }
    }

    pub fn atr(&self) -> Vec<u8> {
        atr(self.extended)
    }

    /// Power-on or reset: back to before BAC.
    pub fn reset(&mut self) {
        self.selected_app = false;
        self.challenge = None;
        self.session = None;
        self.current = None;
    }

    /// Answers one command APDU.
    pub fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        let status = |sw: u16| Response { data: Vec::new(), sw }.to_bytes();
        let Some(cmd) = Command::parse(apdu) else { return status(0x6700) };
        // A plain command ends the secure session (ICAO 9303-11) and is taken as plain.
        if let Some(mut session) = self.session.take().filter(|_| cmd.cla & 0x0c == 0x0c) {
            let Ok(plain) = session.open_command(&cmd) else { return status(0x6988) };
            let answer = self.secured(&plain);
            let mut wrapped = session.protect_response(&answer);
            if answer.sw == 0x6282 && self.over_read == OverRead::WarningWithoutMac {
                wrapped = without_mac(&wrapped, answer.sw);
            }
            self.session = Some(session);
            return wrapped.to_bytes();
        }
        match (cmd.ins, cmd.p1, cmd.p2) {
            (0xa4, 0x04, _) if cmd.data == lds::AID => {
                self.selected_app = true;
                status(0x9000)
            }
            (0xa4, 0x04, _) => status(0x6a82),
            (0xa4, 0x02, _) if cmd.data == lds::EF_CARD_ACCESS.to_be_bytes() => {
                status(if self.pace_only { 0x9000 } else { 0x6a82 })
            }
            (0x84, _, _) if self.selected_app && !self.pace_only => {
                let challenge: [u8; 8] = rand::random();
                self.challenge = Some(challenge);
                Response { data: challenge.to_vec(), sw: 0x9000 }.to_bytes()
            }
            (0x84, _, _) => status(0x6d00),
            (0x82, _, _) => {
                let Some(rnd_ic) = self.challenge.take() else { return status(0x6985) };
                match bac::chip_answer(self.keys, rnd_ic, rand::random(), &cmd.data) {
                    Some((answer, session)) => {
                        self.session = Some(session);
                        Response { data: answer, sw: 0x9000 }.to_bytes()
                    }
                    None => status(0x6300),
                }
            }
            _ => status(0x6982),
        }
    }

    fn secured(&mut self, cmd: &Command) -> Response {
        let status = |sw: u16| Response { data: Vec::new(), sw };
        match cmd.ins {
            0xa4 => {
                let fid = match cmd.data.as_slice() {
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    _ => return status(0x6a80),
                };
                if self.files.contains_key(&fid) {
                    self.current = Some(fid);
                    status(0x9000)
                } else {
                    status(0x6a82)
                }
            }
            0xb0 => {
                let Some(file) = self.current.and_then(|fid| self.files.get(&fid)) else {
                    return status(0x6986);
                };
                let offset = (usize::from(cmd.p1 & 0x7f) << 8) | usize::from(cmd.p2);
                if offset >= file.len() {
                    return status(0x6b00);
                }
                let max = if self.extended { 0x7f00 } else { 0xdf };
                let want = cmd.le.unwrap_or(256).min(max);
                let rest = file[offset..].to_vec();
                if want <= rest.len() {
                    return Response { data: rest[..want].to_vec(), sw: 0x9000 };
                }
                self.over_reads += 1;
                match self.over_read {
                    OverRead::WarningWithoutMac => Response { data: rest, sw: 0x6282 },
                    OverRead::WrongLength => status(0x6700),
                    // SW2 carries up to 255; 00 stands for 256 or more.
                    OverRead::ExactLengthIs => {
                        status(0x6c00 | u16::from(u8::try_from(rest.len()).unwrap_or(0)))
                    }
                }
            }
            _ => status(0x6d00),
        }
    }
}

/// A protected response with its MAC object taken out and `sw` as its status, as a chip that
/// does not protect warnings sends it.
fn without_mac(protected: &Response, sw: u16) -> Response {
    let objects = super::tlv::parse_all(&protected.data).unwrap_or_default();
    let data =
        objects.iter().filter(|o| o.tag != 0x8e).flat_map(|o| o.raw.iter().copied()).collect();
    Response { data, sw }
}

/// Serves `card` to the vpcd reader listening on `port` (localhost) until the reader hangs up.
/// vpcd frames every message with a 2-byte big-endian length; 1-byte messages are power off
/// (0), power on (1), reset (2) and "send the ATR" (4).
pub fn serve_vpcd(card: &mut VirtualPassport, port: u16) -> std::io::Result<()> {
    serve(card, TcpStream::connect(("127.0.0.1", port))?)
}

fn serve(card: &mut VirtualPassport, stream: TcpStream) -> std::io::Result<()> {
    let shared =
        std::sync::Mutex::new(std::mem::replace(card, VirtualPassport::new("", HashMap::new())));
    let result = serve_shared(&shared, stream);
    *card = shared.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    result
}

fn serve_shared(
    card: &std::sync::Mutex<VirtualPassport>,
    mut stream: TcpStream,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    loop {
        let mut len = [0u8; 2];
        if let Err(e) = stream.read_exact(&mut len) {
            // The reader hung up, or the card was taken out (the stream shut down).
            return match e.kind() {
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset => Ok(()),
                _ => Err(e),
            };
        }
        let mut message = vec![0u8; usize::from(u16::from_be_bytes(len))];
        stream.read_exact(&mut message)?;
        let mut card = card.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let reply = match message.as_slice() {
            [0x00] => None,
            [0x01] | [0x02] => {
                card.reset();
                None
            }
            [0x04] => Some(card.atr()),
            [_] => None,
            apdu => Some(card.process(apdu)),
        };
        drop(card);
        if let Some(reply) = reply {
            // One write: length and payload in one segment, so no Nagle wait between them.
            let len = u16::try_from(reply.len()).map_err(std::io::Error::other)?;
            let mut frame = len.to_be_bytes().to_vec();
            frame.extend_from_slice(&reply);
            stream.write_all(&frame)?;
        }
    }
}

/// A country's passport PKI for tests and demos: a CSCA and a document signer, both P-256.
pub struct TestPki {
    pub csca_der: Vec<u8>,
    pub ds_der: Vec<u8>,
    ds_key: rcgen::KeyPair,
}

impl std::fmt::Debug for TestPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestPki")
    }
}

impl TestPki {
    /// A CSCA and a document signer it certifies, for the country `c` (e.g. "UT").
    pub fn new(c: &str) -> Result<TestPki, rcgen::Error> {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
        };
        let name = |cn: &str| {
            let mut dn = rcgen::DistinguishedName::new();
            dn.push(DnType::CountryName, c);
            dn.push(DnType::CommonName, cn);
            dn
        };
        let csca_key = KeyPair::generate()?;
        let mut csca = CertificateParams::default();
        csca.distinguished_name = name("Test CSCA");
        csca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        csca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let csca_cert = csca.self_signed(&csca_key)?;
        let ds_key = KeyPair::generate()?;
        let mut ds = CertificateParams::default();
        ds.distinguished_name = name("Test Document Signer");
        ds.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        ds.use_authority_key_identifier_extension = true;
        let issuer = Issuer::from_params(&csca, &csca_key);
        let ds_cert = ds.signed_by(&ds_key, &issuer)?;
        Ok(TestPki { csca_der: csca_cert.der().to_vec(), ds_der: ds_cert.der().to_vec(), ds_key })
    }

    /// The LDS files of a passport with this MRZ and face, the SOD signed by the document signer.
    pub fn files(&self, mrz: &str, face_jpeg: &[u8]) -> HashMap<u16, Vec<u8>> {
        use rcgen::SigningKey;
        let dg1 = lds::build_dg1(mrz);
        let dg2 = lds::build_dg2(face_jpeg, lds::ImageFormat::Jpeg, 240, 320);
        let sign = |message: &[u8]| self.ds_key.sign(message).unwrap_or_default();
        let sod = super::pa::build_sod(&[(1, &dg1), (2, &dg2)], &self.ds_der, &sign);
        HashMap::from([
            (lds::EF_COM, lds::build_com()),
            (lds::DG1, dg1),
            (lds::DG2, dg2),
            (lds::EF_SOD, sod),
        ])
    }
}

/// A synthetic face-sized JPEG of about `bytes` bytes (noise compresses badly, so its size is
/// predictable), for tests and benchmarks.
pub fn sample_face(bytes: usize) -> Vec<u8> {
    let (w, h) = (240u32, 320u32);
    let mut quality = 90u8;
    loop {
        let mut seed = 0x2545_f491_u32;
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed & 0x3f) as u8;
            image::Rgb([
                noise.wrapping_add((x / 2) as u8),
                noise.wrapping_add((y / 2) as u8),
                noise,
            ])
        });
        let mut out = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
        if img.write_with_encoder(encoder).is_err() {
            return out;
        }
        if out.len() <= bytes || quality <= 10 {
            return out;
        }
        quality -= 5;
    }
}

/// vpcd's first reader ("Virtual PCD 00 00") takes its virtual card on this port.
pub const VPCD_PORT: u16 = 35963;

/// A running pcscd with vsmartcard's vpcd readers, held exclusively: vpcd's ports are fixed, so
/// only one test at a time (in any process) may put a virtual card in.
#[derive(Debug)]
pub struct PcscdGuard {
    _lock: std::fs::File,
}

/// Starts pcscd (in the foreground, detached from this process's lifetime) unless one is
/// already serving the vpcd readers, and takes the vpcd lock. `scripts/test.sh` stops the
/// pcscd it did not find running.
pub fn pcscd() -> std::io::Result<PcscdGuard> {
    let lock = std::fs::File::create(std::env::temp_dir().join("kiosk-vpcd.lock"))?;
    lock.lock()?;
    let has_vpcd = || {
        super::pcsc::readers()
            .map(|r| r.iter().any(|r| r.name.starts_with("Virtual PCD")))
            .unwrap_or(false)
    };
    if !has_vpcd() {
        std::process::Command::new("pcscd")
            .args(["--foreground", "--info"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| {
                std::io::Error::other(format!(
                    "cannot start pcscd ({e}): install pcscd and vsmartcard-vpcd (scripts/deps.sh test)"
                ))
            })?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !has_vpcd() {
            if std::time::Instant::now() > deadline {
                return Err(std::io::Error::other("pcscd started but shows no vpcd reader"));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
    Ok(PcscdGuard { _lock: lock })
}

/// Puts `card` into vpcd's first reader from a thread, and waits until pcscd sees it. The card
/// stays in until the returned handle's `remove` (or the process ends).
pub fn insert(card: VirtualPassport) -> std::io::Result<Inserted> {
    let present = || {
        super::pcsc::readers()
            .map(|r| r.iter().any(|r| r.name.ends_with("00 00") && r.card_present))
            .unwrap_or(false)
    };
    // A card taken out a moment ago may still show: wait until pcscd has seen it leave, or the
    // new card's arrival could not be told from the old card's presence.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while present() {
        if std::time::Instant::now() > deadline {
            return Err(std::io::Error::other("another card stays in the virtual reader"));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // vpcd may drop a connection made while it is still closing the last one: then connect
    // again, with the same card.
    let card = std::sync::Arc::new(std::sync::Mutex::new(card));
    loop {
        let stream = TcpStream::connect(("127.0.0.1", VPCD_PORT))?;
        let handle = stream.try_clone()?;
        let shared = std::sync::Arc::clone(&card);
        let thread = std::thread::spawn(move || serve_shared(&shared, stream));
        while !thread.is_finished() && !present() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if present() && !thread.is_finished() {
            return Ok(Inserted { thread: Some(thread), stream: handle, card });
        }
        let _ = handle.shutdown(std::net::Shutdown::Both);
        let result =
            thread.join().map_err(|_| std::io::Error::other("the virtual card's thread failed"))?;
        if std::time::Instant::now() >= deadline {
            let detail = match result {
                Err(e) => e.to_string(),
                Ok(()) => "pcscd did not see the virtual card".into(),
            };
            return Err(std::io::Error::other(detail));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// A virtual card in the reader; dropping it takes the card out.
#[derive(Debug)]
pub struct Inserted {
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
    stream: TcpStream,
    card: std::sync::Arc<std::sync::Mutex<VirtualPassport>>,
}

impl Inserted {
    /// Another document on the reader, without lifting the first off: the next connection
    /// (which warm-resets the chip) meets the new one.
    pub fn swap(&self, card: VirtualPassport) {
        *self.card.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = card;
    }
}

impl Drop for Inserted {
    /// Takes the card out and waits (a few seconds at most) until pcscd has seen it go, so the
    /// next reader of the slot meets an empty reader, not a card that is leaving.
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline
            && super::pcsc::readers()
                .map(|r| r.iter().any(|r| r.name.ends_with("00 00") && r.card_present))
                .unwrap_or(false)
        {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}
