//! Finding a subscriber at the counter among 1,000,000: by ID number, by certificate serial, by
//! phone, and by part of a Chinese or Latin name; then what their file reads: every record that
//! names them (the links index) and their audit timeline. Prints p50/p99/max per lookup kind from
//! timed individual queries, then runs criterion for the mean.
//!
//! Each subscriber has a certificate on a token, and the certificate's issuance audit event.
//!
//! The store is built through the real write path (events, state, indexes) once and kept in
//! `target/bench-data/` by `store::bench_data`, which the kiosk's counter search benchmark shares;
//! `BENCH_SUBSCRIBERS=N` changes the size.

use std::time::{Duration, Instant};

use criterion::Criterion;
use registry::model::*;
use store::bench_data;
use store::{Store, StoreOptions};
use ulid::Ulid;

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
    let n = bench_data::size_from_env();
    let q = bench_data::ensure(&bench_data::default_dir(), n).expect("bench data");
    let store = Store::open(&q.path, StoreOptions::default()).expect("open");
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
