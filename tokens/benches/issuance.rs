//! A whole issuance onto a SoftHSM2 token — key generation on the token, CSR signed by the
//! token, certificate signed by the office CA's token, recorded on hold in the store, written
//! back, read back and verified, put in force — for RSA-2048 and P-256, and the share of it
//! spent outside the token's key generation.
//!
//! `cargo bench -p tokens --bench issuance` prints its figures. Key generation is timed on its
//! own (same token, same key type, as many runs) and its mean is set against the mean of the
//! whole issuance.

use std::time::{Duration, Instant};

use store::{Store, StoreOptions};
use tokens::ca::{self, OfficeCa};
use tokens::service::{Counter, IssueRequest};
use tokens::softhsm::SoftHsm;
use tokens::{KeyKind, Module, Pin, Profile};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn mean(samples: &[Duration]) -> Duration {
    samples.iter().sum::<Duration>() / samples.len().max(1) as u32
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes --bench; a filter from the command line is not used here.
    SoftHsm::from_env().expect("SoftHSM2 configuration (SOFTHSM2_CONF, see .cargo/config.toml)");
    let module = Module::load(&SoftHsm::module()).expect("SoftHSM2 (install softhsm2)");
    let dir = tempfile::tempdir().expect("tempdir");
    let so = Pin::new("87654321");
    let pin = Pin::new("123456");
    let ca_label = format!("bca-{}", ulid::Ulid::new());
    module.init_token(&ca_label, &so, &pin).expect("CA token");
    ca::init(dir.path(), &module, &ca_label, &pin, "Bench", time::OffsetDateTime::now_utc())
        .expect("ca init");
    let ca = OfficeCa::open(dir.path(), &pin).expect("ca");
    let mut store =
        Store::open(&dir.path().join("kiosk.db"), StoreOptions::default()).expect("store");
    let holder = format!("bkey-{}", ulid::Ulid::new());
    module.init_token(&holder, &so, &pin).expect("holder token");
    let session = module.open(&holder).expect("open");
    let mut counter = Counter::new(&mut store, None, 6).expect("counter");
    counter.login(&session, &pin).expect("login");

    println!("whole issuance onto a SoftHSM2 token (qualified-person, 2 years)");
    println!(
        "{:<9} {:>5} {:>11} {:>11} {:>11} {:>13} {:>9}",
        "key", "runs", "p50", "mean", "max", "keygen mean", "outside"
    );
    for (kind, runs) in [(KeyKind::P256, 40), (KeyKind::Rsa2048, 20)] {
        let subject = tokens::dn::parse("CN=陳大文,C=MO,serialNumber=1234567(8)").expect("dn");
        let request = IssueRequest {
            profile: Profile::QualifiedPerson,
            subject,
            validity_years: 2,
            key: kind,
            holder_person: None,
            holder_organisation: None,
        };
        let mut whole = Vec::with_capacity(runs);
        let mut keygen = Vec::with_capacity(runs);
        for i in 0..runs {
            let start = Instant::now();
            counter.issue(&ca, &session, &request).expect("issue");
            whole.push(start.elapsed());
            let id = format!("keygen-{i}").into_bytes();
            let start = Instant::now();
            session.generate_key_pair(kind, &id, "keygen only").expect("keygen");
            keygen.push(start.elapsed());
        }
        whole.sort();
        let total = mean(&whole);
        let gen_mean = mean(&keygen);
        let outside = 1.0 - gen_mean.as_secs_f64() / total.as_secs_f64();
        println!(
            "{:<9} {:>5} {:>11} {:>11} {:>11} {:>13} {:>8.0}%",
            kind.as_str(),
            runs,
            ms(percentile(&whole, 0.5)),
            ms(total),
            ms(percentile(&whole, 1.0)),
            ms(gen_mean),
            outside * 100.0
        );
    }
    let hsm = SoftHsm::from_env().expect("conf");
    let _ = hsm.delete_token(&holder);
    let _ = hsm.delete_token(&ca_label);
}
