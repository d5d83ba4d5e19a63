//! Reading DG1 and DG2 (a 20 KB face) from the virtual passport: through the real PC/SC stack
//! (pcsc crate → pcscd → vpcd) and, for comparison, in process. Prints the APDU count and the
//! time of each reading, with BAC and secure messaging included.
//!
//! `cargo bench -p card-readers --bench emrtd` (starts pcscd with vpcd when it is not running).

use std::time::{Duration, Instant};

use card_readers::emrtd::pcsc::PcscCard;
use card_readers::emrtd::reader::{ReadError, Transport, read_document};
use card_readers::emrtd::vcard::{TestPki, VirtualPassport, insert, pcscd, sample_face};
use card_readers::emrtd::{bac, lds};

const MRZ: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

struct Direct(VirtualPassport);

impl Transport for Direct {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, ReadError> {
        Ok(self.0.process(apdu))
    }
    fn extended_length(&self) -> bool {
        self.0.extended
    }
}

fn summary(label: &str, apdus: u32, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    println!(
        "{label:<34} {apdus:>5} {:>9.1} ms {:>9.1} ms {:>9.1} ms",
        ms(times[times.len() / 2]),
        ms(mean),
        ms(times[times.len() - 1])
    );
}

fn main() {
    let mrz = registry::mrz::parse(MRZ, time::macros::date!(2026 - 11 - 21)).expect("mrz");
    let information = bac::mrz_information(&mrz).expect("dates");
    let pki = TestPki::new("UT").expect("pki");
    // A face of about 20 KB: the synthetic JPEG's size moves in steps with its quality.
    let mut target = 20_000;
    let mut face = sample_face(target);
    while face.len() < 19_500 && target < 40_000 {
        target += 500;
        face = sample_face(target);
    }
    let files = pki.files(MRZ, &face);
    println!(
        "DG2 {} bytes (face {} bytes); 20 readings each, BAC and secure messaging included",
        files[&lds::DG2].len(),
        face.len()
    );
    println!("{:<34} {:>5} {:>12} {:>12} {:>12}", "path", "APDUs", "p50", "mean", "max");

    for extended in [true, false] {
        let mut card = VirtualPassport::new(&information, files.clone());
        card.extended = extended;
        let mut direct = Direct(card);
        let mut times = Vec::new();
        let mut apdus = 0;
        for _ in 0..20 {
            let start = Instant::now();
            let doc = read_document(&mut direct, &information).expect("read");
            times.push(start.elapsed());
            apdus = doc.apdus;
        }
        let label = if extended { "in process, extended APDUs" } else { "in process, short APDUs" };
        summary(label, apdus, times);
    }

    let _pcscd = pcscd().expect("pcscd with vpcd (scripts/deps.sh test)");
    for extended in [true, false] {
        let mut card = VirtualPassport::new(&information, files.clone());
        card.extended = extended;
        let inserted = insert(card).expect("card in the virtual reader");
        let mut times = Vec::new();
        let mut apdus = 0;
        for _ in 0..20 {
            let start = Instant::now();
            let mut chip = PcscCard::connect(None).expect("connect");
            let doc = read_document(&mut chip, &information).expect("read");
            times.push(start.elapsed());
            apdus = doc.apdus;
            assert_eq!(lds::dg2_face(&doc.dg2).expect("dg2").1, face);
        }
        let label =
            if extended { "pcscd + vpcd, extended APDUs" } else { "pcscd + vpcd, short APDUs" };
        summary(label, apdus, times);
        drop(inserted);
    }
}
