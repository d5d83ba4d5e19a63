//! Finding a subscriber at the counter among 1,000,000: by ID number, by certificate serial, by
//! phone, and by part of a Chinese or Latin name; then what their file reads: every record that
//! names them (the links index) and their audit timeline. Prints p50/p99/max per lookup kind from
//! timed individual queries, then runs criterion for the mean.
//!
//! Each subscriber has a certificate on a token, and the certificate's issuance audit event.
//!
//! The store is built through the real write path (events, state, indexes) once and kept in
//! `target/bench-data/`; `BENCH_SUBSCRIBERS=N` changes the size.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::Criterion;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use registry::ids::{self, IdKind};
use registry::model::*;
use store::{Store, StoreOptions};
use time::OffsetDateTime;
use ulid::Ulid;

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

/// Bump when the synthetic data changes.
const GENERATOR_VERSION: u32 = 5;

struct Generated {
    subscribers: Vec<String>,
    id_numbers: Vec<String>,
    serials: Vec<String>,
    phones: Vec<String>,
    names_zh: Vec<String>,
    names_latin: Vec<String>,
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
        revocation: None,
        issuance: None,
    }
}

fn open_or_build(n: usize) -> (Store, Generated) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    // The schema and the generator are in the name, so a changed layout never reuses old data.
    let stem = format!("subscribers-{n}-schema{}-gen{GENERATOR_VERSION}", store::SCHEMA_VERSION);
    let path = dir.join(format!("{stem}.db"));
    let ready = dir.join(format!("{stem}.ready"));
    if !ready.exists() {
        let _ = std::fs::remove_file(&path);
        let started = Instant::now();
        let mut store = Store::open(&path, StoreOptions::default()).expect("open");
        let mut rng = StdRng::seed_from_u64(7);
        const BATCH: usize = 20_000;
        for start in (0..n).step_by(BATCH) {
            store
                .write(None, |w| {
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
                })
                .expect("write batch");
            if start % 200_000 == 0 {
                eprintln!("  built {start} of {n} subscribers ({:.0?})", started.elapsed());
            }
        }
        eprintln!(
            "built {n} subscribers (+{n} certificates, tokens, audit events) in {:.1?}",
            started.elapsed()
        );
        std::fs::write(&ready, b"ok").expect("marker");
    }
    let store = Store::open(&path, StoreOptions::default()).expect("open");
    let generated = sample_queries(&path);
    (store, generated)
}

/// Queries drawn from what is in the store: real ID numbers, serials, phones, and name parts.
fn sample_queries(path: &PathBuf) -> Generated {
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    let column = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).expect("prepare");
        stmt.query_map([], |r| r.get::<_, String>(0))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
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
    let zh = column(&format!("SELECT name_zh {sample}"));
    let latin = column(&format!("SELECT name_latin {sample}"));
    Generated {
        subscribers: column(&format!("SELECT id {sample}")),
        id_numbers: column(&format!("SELECT id_number {sample}")),
        serials: column(
            "SELECT serial FROM certificate_index WHERE serial IS NOT NULL ORDER BY id LIMIT 1000",
        ),
        phones: column(&format!("SELECT phone {sample}"))
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
    }
}

fn percentiles(label: &str, queries: &[String], mut lookup: impl FnMut(&str) -> usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut found = 0;
    for q in queries {
        let t = Instant::now();
        found += usize::from(lookup(q) > 0);
        times.push(t.elapsed());
    }
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{label:<28} n={:<5} found={:<5} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        times.len(),
        found,
        at(0.50),
        at(0.99),
        times[times.len() - 1]
    );
    assert_eq!(found, queries.len(), "{label}: every sampled query names someone in the store");
}

fn main() {
    let test_mode = std::env::args().any(|a| a == "--test" || a == "--list");
    let n = std::env::var("BENCH_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if test_mode { 5_000 } else { 1_000_000 });
    let (store, q) = open_or_build(n);
    println!("subscriber lookup over {n} subscribers (each query timed alone, LIMIT 20):");
    percentiles("by ID number", &q.id_numbers, |s| {
        store.find_by_id_number(s, 20).expect("q").len()
    });
    percentiles("by certificate serial", &q.serials, |s| {
        store.find_by_serial(s, 20).expect("q").len()
    });
    percentiles("by phone (last 8 digits)", &q.phones, |s| {
        store.find_by_phone(s, 20).expect("q").len()
    });
    percentiles("by CJK name part (2-3 chars)", &q.names_zh, |s| {
        store.find_by_name(s, 20).expect("q").len()
    });
    percentiles("by Latin name part (5 chars)", &q.names_latin, |s| {
        store.find_by_name(s, 20).expect("q").len()
    });
    percentiles("search box (CJK name part)", &q.names_zh, |s| {
        store.search(s, 20).expect("q").len()
    });

    // What opening a subscriber's file reads from the store: what names them, each of those
    // records, and the timeline of them and their certificates and tokens.
    let subscribers: Vec<Ulid> =
        q.subscribers.iter().map(|id| id.parse().expect("a subscriber id")).collect();
    let ids: Vec<String> = q.subscribers.clone();
    let parse = |s: &str| -> Ulid { s.parse().expect("id") };
    percentiles("linked_to (links index)", &ids, |s| {
        store.linked_to(parse(s)).expect("links").len()
    });
    let file_reads = |id: Ulid| -> usize {
        let links = store.linked_to(id).expect("links");
        let mut subjects = vec![id];
        for link in &links {
            match link.from_kind {
                RecordKind::Certificate => {
                    let c: Certificate = store.get(link.from_id).expect("get").expect("there");
                    subjects.push(c.id);
                }
                RecordKind::Token => {
                    let t: Token = store.get(link.from_id).expect("get").expect("there");
                    subjects.push(t.id);
                }
                _ => {}
            }
        }
        store.audit_trail(&subjects, 200).expect("trail").len()
    };
    percentiles("file reads (links, audit)", &ids, |s| file_reads(parse(s)));

    let mut c = Criterion::default().configure_from_args().sample_size(50);
    let mut group = c.benchmark_group("subscriber_lookup");
    let mut rotating = |name: &str, queries: &[String], f: &dyn Fn(&str) -> usize| {
        let mut i = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % queries.len();
                f(&queries[i])
            })
        });
    };
    rotating("by_id_number", &q.id_numbers, &|s| {
        store.find_by_id_number(s, 20).map(|h| h.len()).unwrap_or(0)
    });
    rotating("by_serial", &q.serials, &|s| {
        store.find_by_serial(s, 20).map(|h| h.len()).unwrap_or(0)
    });
    rotating("by_cjk_name_part", &q.names_zh, &|s| {
        store.find_by_name(s, 20).map(|h| h.len()).unwrap_or(0)
    });
    rotating("by_latin_name_part", &q.names_latin, &|s| {
        store.find_by_name(s, 20).map(|h| h.len()).unwrap_or(0)
    });
    let mut i = 0;
    group.bench_function("linked_to", |b| {
        b.iter(|| {
            i = (i + 1) % subscribers.len();
            store.linked_to(subscribers[i]).map(|l| l.len()).unwrap_or(0)
        })
    });
    group.bench_function("file_reads", |b| {
        b.iter(|| {
            i = (i + 1) % subscribers.len();
            file_reads(subscribers[i])
        })
    });
    group.finish();
    c.final_summary();
}
