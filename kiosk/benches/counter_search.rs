//! The counter's live search over 1,000,000 subscribers, through the app's own code: a key typed
//! into the search box to the frame drawn.
//!
//! Each query is typed key by key into a signed-in app on the search screen. For every key:
//! `update(Key)` gives the `Effect::Search`, `search_rows` runs it (the search worker's job: the
//! store's search and each hit's row, numbers masked), `update(Job(Done::Search))` takes the
//! answer and `view` draws an 80×24 frame on ratatui's `TestBackend`. That is the key → frame
//! path (target: p99 under 5 ms). Apart from it, `update` plus `view` alone (a key and its frame
//! with the last results on screen, no search; target: p99 under 1 ms).
//!
//! Prints p50/p90/p99/max over every key (after a pass that warms the page cache, as the search
//! worker's long-lived store is warm), a line per query kind, where the time goes (each stage,
//! and the store's search apart from reading the hits' rows), then criterion's means.
//!
//! The store is the one `cargo bench -p store --bench subscriber_lookup` uses
//! (`store::bench_data`, kept in `target/bench-data/`, built on first use: about 13 minutes at
//! 1,000,000). `BENCH_SUBSCRIBERS=N` changes the size, `BENCH_QUERIES=N` the queries per kind.

use std::time::{Duration, Instant};

use criterion::Criterion;
use crossterm::event::{KeyCode, KeyEvent};
use i18n::Language;
use kiosk::signin::SignedIn;
use kiosk::ui::action::Action;
use kiosk::ui::app::{App, Screen, update, view};
use kiosk::ui::jobs::{Done, Effect, SEARCH_LIMIT, search_rows};
use kiosk::ui::screens::search::SearchState;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use registry::model::StaffRole;
use store::bench_data::{self, Generated};
use store::{Store, StoreOptions};

/// The targets of the counter app's issue.
const KEY_TO_FRAME_P99: Duration = Duration::from_millis(5);
const UPDATE_VIEW_P99: Duration = Duration::from_millis(1);

/// Queries of one kind, each typed a key at a time.
struct Kind {
    name: &'static str,
    queries: Vec<String>,
}

impl Kind {
    fn keys(&self) -> usize {
        self.queries.iter().map(|q| q.chars().count()).sum()
    }
}

/// What a clerk types: name parts in Chinese and Latin, ID numbers as indexed and as written on
/// documents (with the punctuation, in lower case, in full width), phone endings, serials.
fn kinds(g: &Generated, per_kind: usize) -> Vec<Kind> {
    let take = |it: &mut dyn Iterator<Item = String>| it.take(per_kind).collect::<Vec<_>>();
    let zh = |len: usize| g.names_zh.iter().filter(move |n| n.chars().count() == len).cloned();
    vec![
        Kind { name: "CJK name part, 2 chars", queries: take(&mut zh(2)) },
        Kind { name: "CJK name part, 3 chars", queries: take(&mut zh(3)) },
        Kind {
            name: "Latin name from its start",
            queries: take(&mut g.latin_names.iter().map(|n| n.chars().take(8).collect())),
        },
        Kind {
            name: "Latin name part, 5 chars",
            queries: take(&mut g.names_latin.iter().cloned()),
        },
        Kind { name: "ID number as indexed", queries: take(&mut g.id_numbers.iter().cloned()) },
        Kind {
            name: "ID number as written",
            queries: take(&mut g.id_numbers.iter().enumerate().map(|(i, n)| written(i, n))),
        },
        Kind {
            name: "phone, last 8 digits",
            queries: take(&mut g.phones.iter().enumerate().map(|(i, p)| {
                // Every other one as "6123 4567".
                if i.is_multiple_of(2) || p.len() != 8 {
                    p.clone()
                } else {
                    format!("{} {}", &p[..4], &p[4..])
                }
            })),
        },
        Kind {
            name: "certificate serial",
            queries: take(&mut g.serials.iter().enumerate().map(|(i, s)| {
                // Every other one as a viewer shows it: "7a:3f:…", upper case.
                if i.is_multiple_of(2) {
                    s.clone()
                } else {
                    let bytes: Vec<String> = s
                        .as_bytes()
                        .chunks(2)
                        .map(|pair| String::from_utf8_lossy(pair).to_uppercase())
                        .collect();
                    bytes.join(":")
                }
            })),
        },
    ]
}

/// An indexed ID number as a clerk might type it from the document: Macau's `1234567(8)` or
/// `1/234567/8`, a Mainland number in groups with a lower-case x, a passport number in lower
/// case; every fourth in full-width characters, as some input methods give them.
fn written(i: usize, key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let text = match (chars.len(), chars.first()) {
        (8, Some('1' | '5' | '7')) if i.is_multiple_of(2) => {
            format!("{}({})", &key[..7], &key[7..])
        }
        (8, Some('1' | '5' | '7')) => format!("{}/{}/{}", &key[..1], &key[1..7], &key[7..]),
        (18, _) => format!("{} {} {}", &key[..6], &key[6..14], &key[14..]).to_lowercase(),
        _ => key.to_lowercase(),
    };
    if i % 4 == 3 {
        text.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
                ' ' => '\u{3000}',
                c => c,
            })
            .collect()
    } else {
        text
    }
}

/// A clerk signed in, on the search screen, in an 80×24 window.
fn counter_app() -> App {
    let now = time::OffsetDateTime::now_utc();
    let mut app = App::new(Language::ZhHant, "澳門 總辦事處".into(), "K01BENCH".into(), now, false);
    app.session = Some(SignedIn {
        clerk: ulid::Ulid::from(1u128),
        username: "chan.tm".into(),
        display_name: "陳大文".into(),
        role: StaffRole::Clerk,
    });
    app.screen = Screen::Search;
    update(&mut app, Action::Resize { width: 80, height: 24 });
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(80, 24)).expect("a test terminal")
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::from(KeyCode::Char(c)))
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| view(app, frame)).expect("draw");
}

/// Where one key's time went.
#[derive(Debug, Default, Clone, Copy)]
struct Stages {
    key: Duration,
    search: Duration,
    done: Duration,
    draw: Duration,
    hits: usize,
}

impl Stages {
    fn total(&self) -> Duration {
        self.key + self.search + self.done + self.draw
    }
}

/// The search job the worker would run for `effects`, and its answer handed back to `update`.
fn run_search(app: &mut App, store: &Store, effects: Vec<Effect>, stages: &mut Stages) {
    for effect in effects {
        if let Effect::Search { generation, text } = effect {
            let t = Instant::now();
            let rows = search_rows(store, &text, SEARCH_LIMIT).expect("search");
            stages.search += t.elapsed();
            stages.hits = rows.len();
            let t = Instant::now();
            update(app, Action::Job(Done::Search { generation, result: Ok(rows) }));
            stages.done += t.elapsed();
        }
    }
}

/// One key → its search → the frame with the answer.
fn key_to_frame(
    app: &mut App,
    store: &Store,
    terminal: &mut Terminal<TestBackend>,
    c: char,
) -> Stages {
    let mut stages = Stages::default();
    let t = Instant::now();
    let effects = update(app, key(c));
    stages.key = t.elapsed();
    run_search(app, store, effects, &mut stages);
    let t = Instant::now();
    draw(terminal, app);
    stages.draw = t.elapsed();
    stages
}

/// One key and its frame, the last answer still on screen; then, untimed, the search and the
/// frame with its answer, so the next key finds results there as a clerk would.
fn update_view(
    app: &mut App,
    store: &Store,
    terminal: &mut Terminal<TestBackend>,
    c: char,
) -> Duration {
    let t = Instant::now();
    let effects = update(app, key(c));
    draw(terminal, app);
    let took = t.elapsed();
    run_search(app, store, effects, &mut Stages::default());
    draw(terminal, app);
    took
}

/// Types every query of `kind` from an empty box; `per_key` does one key.
fn type_all<T>(app: &mut App, kind: &Kind, mut per_key: impl FnMut(&mut App, char) -> T) -> Vec<T> {
    let mut out = Vec::with_capacity(kind.keys());
    for query in &kind.queries {
        app.search = SearchState::default();
        for c in query.chars() {
            out.push(per_key(app, c));
        }
    }
    out
}

struct Percentiles {
    n: usize,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
}

fn percentiles(times: &[Duration]) -> Percentiles {
    let mut sorted = times.to_vec();
    sorted.sort();
    let at = |p: f64| {
        let rank = (sorted.len() as f64 * p).ceil() as usize;
        sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied().unwrap_or_default()
    };
    Percentiles {
        n: sorted.len(),
        p50: at(0.50),
        p90: at(0.90),
        p99: at(0.99),
        max: sorted.last().copied().unwrap_or_default(),
    }
}

fn line(label: &str, times: &[Duration]) -> Percentiles {
    let p = percentiles(times);
    println!(
        "  {label:<28} keys={:<5} p50={:>9.3?} p90={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        p.n, p.p50, p.p90, p.p99, p.max
    );
    p
}

fn verdict(what: &str, p99: Duration, target: Duration) {
    let word = if p99 < target { "met" } else { "MISSED" };
    println!("{what}: p99 {p99:.3?} against under {target:?}: {word}");
}

fn main() {
    let n = bench_data::size_from_env();
    let test_mode = std::env::args().any(|a| a == "--test" || a == "--list");
    let per_kind = std::env::var("BENCH_QUERIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if test_mode { 10 } else { 100 });
    let generated = bench_data::ensure(&bench_data::default_dir(), n).expect("bench data");
    let store = Store::open(&generated.path, StoreOptions::default()).expect("open the store");
    let kinds = kinds(&generated, per_kind);
    let mut app = counter_app();
    let mut terminal = terminal();

    // The search worker keeps its store open all session: warm the page cache first.
    for kind in &kinds {
        type_all(&mut app, kind, |app, c| key_to_frame(app, &store, &mut terminal, c));
    }

    let total_keys: usize = kinds.iter().map(Kind::keys).sum();
    println!(
        "\ncounter search over {n} subscribers, {total_keys} keys typed in {} queries \
         (SEARCH_LIMIT {SEARCH_LIMIT}, 80x24):",
        kinds.iter().map(|k| k.queries.len()).sum::<usize>()
    );

    println!("\nkey -> frame (update, search_rows, update with the answer, view):");
    let mut all: Vec<Stages> = Vec::new();
    let mut by_kind: Vec<(&Kind, Vec<Stages>)> = Vec::new();
    for kind in &kinds {
        let stages = type_all(&mut app, kind, |app, c| key_to_frame(app, &store, &mut terminal, c));
        let totals: Vec<Duration> = stages.iter().map(Stages::total).collect();
        line(kind.name, &totals);
        all.extend(&stages);
        by_kind.push((kind, stages));
    }
    let whole = line("all keys", &all.iter().map(Stages::total).collect::<Vec<_>>());
    let worst_kind = by_kind
        .iter()
        .map(|(kind, stages)| {
            let p = percentiles(&stages.iter().map(Stages::total).collect::<Vec<_>>());
            (p.p99, kind.name)
        })
        .max()
        .unwrap_or_default();

    println!("\nupdate + view alone (a key and its frame, the last results on screen, no search):");
    let mut alone: Vec<Duration> = Vec::new();
    for kind in &kinds {
        let times = type_all(&mut app, kind, |app, c| update_view(app, &store, &mut terminal, c));
        line(kind.name, &times);
        alone.extend(times);
    }
    let tea = line("all keys", &alone);

    println!("\nwhere key -> frame goes, all keys:");
    line("update(Key)", &all.iter().map(|s| s.key).collect::<Vec<_>>());
    line("search_rows", &all.iter().map(|s| s.search).collect::<Vec<_>>());
    line("update(Done::Search)", &all.iter().map(|s| s.done).collect::<Vec<_>>());
    line("view (draw 80x24)", &all.iter().map(|s| s.draw).collect::<Vec<_>>());

    // search_rows is the store's search, then a `store.get` of each hit for its masked numbers.
    println!("\nsearch_rows by kind: the store's search alone, and the hits it reads:");
    for (kind, stages) in &by_kind {
        let mut alone = Vec::new();
        for query in &kind.queries {
            let mut text = String::new();
            for c in query.chars() {
                text.push(c);
                if text.trim().is_empty() {
                    continue;
                }
                let t = Instant::now();
                let hits = store.search(&text, SEARCH_LIMIT).expect("search").len();
                alone.push(t.elapsed());
                std::hint::black_box(hits);
            }
        }
        let rows = percentiles(&stages.iter().map(|s| s.search).collect::<Vec<_>>());
        let search = percentiles(&alone);
        let mean_hits = stages.iter().map(|s| s.hits).sum::<usize>() as f64 / stages.len() as f64;
        println!(
            "  {:<28} store.search p50={:>9.3?} p99={:>9.3?} | search_rows p50={:>9.3?} p99={:>9.3?} | hits/key {mean_hits:>4.1}",
            kind.name, search.p50, search.p99, rows.p50, rows.p99
        );
    }

    // The slowest keys, with what the box held: which text, and which stage, made the tail.
    println!("\nslowest keys, key -> frame (the box's text after the key):");
    let mut slowest: Vec<(Stages, &str, String)> = Vec::new();
    for (kind, stages) in &by_kind {
        let texts = kind.queries.iter().flat_map(|q| {
            let chars: Vec<char> = q.chars().collect();
            (1..=chars.len()).map(move |k| chars[..k].iter().collect::<String>())
        });
        slowest.extend(stages.iter().zip(texts).map(|(s, t)| (*s, kind.name, t)));
    }
    slowest.sort_by_key(|(s, _, _)| std::cmp::Reverse(s.total()));
    for (s, kind, text) in slowest.iter().take(8) {
        println!(
            "  {:>9.3?} {kind:<28} {:<24} search_rows={:>9.3?} view={:>9.3?} hits={}",
            s.total(),
            format!("{text:?}"),
            s.search,
            s.draw,
            s.hits
        );
    }

    println!();
    verdict("key -> frame, with the search", whole.p99, KEY_TO_FRAME_P99);
    verdict(
        &format!("key -> frame, slowest kind ({})", worst_kind.1),
        worst_kind.0,
        KEY_TO_FRAME_P99,
    );
    verdict("update + view alone", tea.p99, UPDATE_VIEW_P99);
    println!();

    // Criterion's means: one key per iteration, going through every query of every kind in turn.
    let sessions: Vec<Vec<char>> =
        kinds.iter().flat_map(|k| k.queries.iter().map(|q| q.chars().collect())).collect();
    let mut c = Criterion::default().configure_from_args().sample_size(50);
    let mut group = c.benchmark_group("counter_search");
    let (mut query, mut at) = (0, 0);
    group.bench_function("key_to_frame", |b| {
        b.iter(|| {
            if at == 0 {
                app.search = SearchState::default();
            }
            let stages = key_to_frame(&mut app, &store, &mut terminal, sessions[query][at]);
            at += 1;
            if at == sessions[query].len() {
                (query, at) = ((query + 1) % sessions.len(), 0);
            }
            stages.hits
        })
    });
    // A key and its frame over a full page of results: a letter, then Backspace, and again.
    app.search = SearchState::default();
    for c in "陳大".chars() {
        key_to_frame(&mut app, &store, &mut terminal, c);
    }
    let mut typed = false;
    group.bench_function("update_view", |b| {
        b.iter(|| {
            let action =
                if typed { Action::Key(KeyEvent::from(KeyCode::Backspace)) } else { key('文') };
            typed = !typed;
            let effects = update(&mut app, action);
            draw(&mut terminal, &app);
            effects.len()
        })
    });
    group.finish();
    c.final_summary();
}
