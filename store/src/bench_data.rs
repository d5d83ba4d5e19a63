//! A synthetic store of subscribers for the benchmarks, shared by the store's lookups and the
//! counter app's search (`kiosk/benches/counter_search.rs`), so one generated file serves both:
//! Chinese and Latin names, ID numbers of three kinds, phones, and for each subscriber a token, a
//! certificate on it and the certificate's issuance audit event, all through the real write path
//! (events, state, indexes).
//!
//! The store is built once and kept as `subscribers-N-schemaS-genG.db` in [`default_dir`]; a
//! `.ready` file beside it says it was built to the end. Only with the `bench-data` feature,
//! which release builds leave out.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use registry::ids::{self, IdKind};
use registry::model::*;
use time::OffsetDateTime;
use ulid::Ulid;

use crate::{SCHEMA_VERSION, Store, StoreError, StoreOptions};

const SURNAMES: &[&str] = &[
    "陳", "李", "黃", "張", "王", "劉", "何", "梁", "林", "周", "吳", "鄭", "馮", "蔡", "許", "謝",
    "郭", "羅", "曾", "楊", "趙", "孫", "朱", "胡", "高", "徐", "馬", "葉", "潘", "盧", "區",
    "歐陽",
];
const GIVEN: &str = "大文小明美玲志偉芳家豪嘉欣洋傑紅國強建華麗娟秀英俊宇子軒雅婷詠琪浩然嘉怡嘉欣
    思穎凱晴梓軒晉熙卓賢樂怡穎彤永康德華少傑宏達振邦錦榮耀輝淑儀慧敏翠萍麗珍鳳儀佩珊碧霞雪梅春燕";
const SYLLABLES: &[&str] = &[
    "CHAN", "LEI", "WONG", "CHEUNG", "LAU", "HO", "LEONG", "LAM", "CHAO", "NG", "CHENG", "FONG",
    "CHOI", "HUI", "TSE", "KUOK", "LO", "TSANG", "IEONG", "TAI", "MAN", "SIU", "MING", "MEI",
    "LENG", "CHI", "KA", "HOU", "IAN", "KIT", "HONG", "KUOK", "KEONG", "WAI", "SAN", "FAI", "YAN",
    "PUI",
];

/// Bump when the synthetic data changes: it is in the file's name, so old data is never reused.
pub const GENERATOR_VERSION: u32 = 5;

/// The size when `BENCH_SUBSCRIBERS` does not say.
pub const DEFAULT_SUBSCRIBERS: usize = 1_000_000;

/// The size under `cargo test --benches` / `--list`: enough to exercise every query kind.
pub const TEST_SUBSCRIBERS: usize = 5_000;

/// A generated store, and queries drawn from what is in it (about 1,000 of each kind).
#[derive(Debug)]
pub struct Generated {
    pub path: PathBuf,
    pub subscribers: Vec<String>,
    /// Whole ID numbers as the index keys them: letters and digits only, upper case (Macau
    /// `12345678`, Mainland 18 characters, passports `P00000002`).
    pub id_numbers: Vec<String>,
    /// Certificate serials, lower-case hex.
    pub serials: Vec<String>,
    /// The last 8 digits of phone numbers.
    pub phones: Vec<String>,
    /// 2- and 3-character parts of Chinese names.
    pub names_zh: Vec<String>,
    /// 5-character parts of Latin names.
    pub names_latin: Vec<String>,
    /// Whole Latin names (`CHAN TAI MAN`), for prefixes typed from the start.
    pub latin_names: Vec<String>,
}

/// Where the benchmarks keep their stores: `$CARGO_TARGET_DIR/bench-data` when that is an
/// absolute path, else the workspace's `target/bench-data`.
pub fn default_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench-data")
}

/// How many subscribers to generate: `BENCH_SUBSCRIBERS`, else [`TEST_SUBSCRIBERS`] when the
/// bench runs as a test (`--test`, `--list`), else [`DEFAULT_SUBSCRIBERS`].
pub fn size_from_env() -> usize {
    let test_mode = std::env::args().any(|a| a == "--test" || a == "--list");
    std::env::var("BENCH_SUBSCRIBERS").ok().and_then(|v| v.parse().ok()).unwrap_or(if test_mode {
        TEST_SUBSCRIBERS
    } else {
        DEFAULT_SUBSCRIBERS
    })
}

/// The file a store of `n` subscribers is kept in. The schema and the generator are in the
/// name, so a changed layout never reuses old data.
pub fn store_path(dir: &Path, n: usize) -> PathBuf {
    dir.join(format!("{}.db", stem(n)))
}

fn stem(n: usize) -> String {
    format!("subscribers-{n}-schema{SCHEMA_VERSION}-gen{GENERATOR_VERSION}")
}

/// Builds the store of `n` subscribers in `dir` unless it is there already (at 1,000,000 that
/// takes about 13 minutes and 7.4 GB), and draws sample queries from it.
pub fn ensure(dir: &Path, n: usize) -> Result<Generated, StoreError> {
    std::fs::create_dir_all(dir)?;
    let path = store_path(dir, n);
    let ready = dir.join(format!("{}.ready", stem(n)));
    if !ready.exists() {
        build(&path, n)?;
        std::fs::write(&ready, b"ok")?;
    }
    sample_queries(&path)
}

fn build(path: &Path, n: usize) -> Result<(), StoreError> {
    for stale in [path.to_path_buf(), path.with_extension("db-wal"), path.with_extension("db-shm")]
    {
        match std::fs::remove_file(&stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    let started = Instant::now();
    let mut store = Store::open(path, StoreOptions::default())?;
    let mut rng = StdRng::seed_from_u64(7);
    const BATCH: usize = 20_000;
    for start in (0..n).step_by(BATCH) {
        store.write(None, |w| {
            for i in start..(start + BATCH).min(n) {
                let person = synthetic_person(&mut rng, i);
                w.put(&person)?;
                let token = synthetic_token(i, &person);
                w.put(&token)?;
                let mut certificate = synthetic_certificate(&mut rng, &person);
                certificate.token = Some(token.id);
                w.put(&certificate)?;
                w.put(&synthetic_issuance(&certificate))?;
            }
            Ok(())
        })?;
        if start % 200_000 == 0 {
            eprintln!("  built {start} of {n} subscribers ({:.0?})", started.elapsed());
        }
    }
    eprintln!(
        "built {n} subscribers (+{n} certificates, tokens, audit events) in {:.1?}",
        started.elapsed()
    );
    Ok(())
}

fn synthetic_person(rng: &mut StdRng, i: usize) -> Person {
    let given: Vec<char> = GIVEN.chars().filter(|c| !c.is_whitespace()).collect();
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let mut zh = surname.to_string();
    for _ in 0..rng.random_range(1..=2) {
        zh.push(given[rng.random_range(0..given.len())]);
    }
    let mut latin = String::new();
    for k in 0..3 {
        if k > 0 {
            latin.push(' ');
        }
        latin.push_str(SYLLABLES[rng.random_range(0..SYLLABLES.len())]);
    }
    // Unique numbers: the index is in every one of them.
    let (kind, number) = match i % 3 {
        0 => (
            IdDocumentKind::MacauResident,
            format!("{}{:06}({})", [1, 5, 7][i % 3], i % 1_000_000, i % 10),
        ),
        1 => {
            // Region, birth date and sequence number together encode i, so numbers never repeat.
            let (seq, day, month, year) =
                (i % 1000, (i / 1000) % 28 + 1, (i / 28_000) % 12 + 1, 1950 + (i / 336_000) % 50);
            let body = format!("440106{year:04}{month:02}{day:02}{seq:03}");
            let number = "0123456789X"
                .chars()
                .find_map(|c| ids::check(IdKind::CnResident, &format!("{body}{c}")).ok())
                .unwrap_or_else(|| format!("{body}0"));
            (IdDocumentKind::MainlandResident, number)
        }
        _ => (IdDocumentKind::Passport, format!("P{i:08}")),
    };
    Person {
        id: Ulid::new(),
        name_zh: Some(zh),
        name_latin: Some(latin),
        id_document: IdDocument {
            kind,
            number: Sensitive::new(number),
            issuing_state: (kind == IdDocumentKind::Passport).then(|| "PRT".into()),
            expiry: None,
        },
        nationality: Some("CHN".into()),
        birth_date: None,
        sex: Some(if i.is_multiple_of(2) { Sex::F } else { Sex::M }),
        phone: Some(Sensitive::new(format!("+853 6{:07}", i % 10_000_000))),
        email: None,
        photo: None,
    }
}

fn synthetic_token(i: usize, holder: &Person) -> Token {
    Token {
        id: Ulid::new(),
        serial: format!("T{i:09}"),
        model: Some("ePass3003".into()),
        status: TokenStatus::Issued,
        holder_person: Some(holder.id),
        holder_organisation: None,
        pin_failures: 0,
    }
}

fn synthetic_issuance(certificate: &Certificate) -> registry::audit::AuditEvent {
    registry::audit::AuditEvent {
        id: Ulid::new(),
        at: certificate.not_before.unwrap_or(OffsetDateTime::UNIX_EPOCH),
        kiosk: "K1".into(),
        clerk: None,
        action: registry::audit::AuditAction::CertificateIssued {
            profile: "standard-person".into(),
            medium: "token".into(),
        },
        subject_kind: Some(RecordKind::Certificate),
        subject: Some(certificate.id),
    }
}

fn synthetic_certificate(rng: &mut StdRng, holder: &Person) -> Certificate {
    let serial: String = (0..16).map(|_| format!("{:02x}", rng.random::<u8>())).collect();
    let start = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    Certificate {
        id: Ulid::new(),
        class: CertificateClass::Standard,
        holder_kind: HolderKind::Person,
        subject: SubjectDn {
            cn: holder.name_latin.clone().unwrap_or_default(),
            ..Default::default()
        },
        serial: Some(format!("7{}", &serial[1..])),
        not_before: Some(start),
        not_after: Some(start + time::Duration::days(365)),
        validity_years: 1,
        status: CertificateStatus::Valid,
        holder_person: Some(holder.id),
        holder_organisation: None,
        token: None,
        renewal_confirmed: false,
        revocation_phrase: None,
        revocation: None,
        issuance: None,
    }
}

/// Queries drawn from what is in the store: real ID numbers, serials, phones, and name parts.
fn sample_queries(path: &Path) -> Result<Generated, StoreError> {
    let conn = rusqlite::Connection::open(path)?;
    let column = |sql: &str| -> Result<Vec<String>, StoreError> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    };
    let mut rng = StdRng::seed_from_u64(11);
    let pick_substring = |s: &str, len: usize, rng: &mut StdRng| -> String {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() <= len {
            return s.to_string();
        }
        let start = rng.random_range(0..=chars.len() - len);
        chars[start..start + len].iter().collect()
    };
    let sample = "FROM subscribers WHERE rid % 997 = 3 LIMIT 1000";
    let zh = column(&format!("SELECT name_zh {sample}"))?;
    let latin = column(&format!("SELECT name_latin {sample}"))?;
    Ok(Generated {
        path: path.to_path_buf(),
        subscribers: column(&format!("SELECT id {sample}"))?,
        id_numbers: column(&format!("SELECT id_number {sample}"))?,
        serials: column(
            "SELECT serial FROM certificate_index WHERE serial IS NOT NULL ORDER BY id LIMIT 1000",
        )?,
        phones: column(&format!("SELECT phone {sample}"))?
            .into_iter()
            .map(|reversed| reversed.chars().rev().collect::<String>())
            .map(|digits| digits[digits.len().saturating_sub(8)..].to_string())
            .collect(),
        names_zh: zh
            .iter()
            .enumerate()
            .map(|(i, n)| pick_substring(n, if i % 2 == 0 { 2 } else { 3 }, &mut rng))
            .collect(),
        names_latin: latin.iter().map(|n| pick_substring(n, 5, &mut rng)).collect(),
        latin_names: latin,
    })
}
