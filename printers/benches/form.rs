//! How long the counter waits for a printed form: the organisation application form in the
//! Macau bilingual layout rendered to PDF with the fonts already loaded (mean, median and worst
//! of 50 runs, and the PDF's size), and the one-off cost of loading the fonts.
//!
//! `cargo bench -p printers --bench form` (a plain `main`: `harness = false`). Targets: under
//! 50 ms and under 300 KB.
// Until the `[[bench]]` entry sets `harness = false`, Cargo builds this file as a test harness
// that never calls `main`.

use std::time::{Duration, Instant};

use printers::document::{Document, Layout};
use printers::fonts::{FontSource, Fonts};
use printers::formcode::{FormCode, new_print_id};
use printers::render::render;

const RUNS: usize = 50;
const TARGET_TIME: Duration = Duration::from_millis(50);
const TARGET_BYTES: usize = 300 * 1024;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let started = Instant::now();
    let fonts = match Fonts::load(&FontSource::System) {
        Ok(fonts) => fonts,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let loading = started.elapsed();
    println!("font loading (once per process): {:.1} ms — {fonts:?}", ms(loading));

    let examples = Document::examples();
    let Some(form) = examples.iter().find(|d| d.kind() == "organisation_form") else {
        eprintln!("no organisation form among the examples");
        std::process::exit(1);
    };
    let code = form.application().map(|(application, reference)| {
        let print = form.print_id().map(str::to_owned).or_else(|| Some(new_print_id()));
        FormCode { application, reference: reference.to_owned(), print }.encode(b"bench key")
    });

    for layout in [Layout::MacauBilingual, Layout::SimplifiedChinese, Layout::English] {
        let mut times = Vec::with_capacity(RUNS);
        let mut size = 0;
        for run in 0..RUNS + 3 {
            let started = Instant::now();
            let pdf = match render(form, layout, &fonts, code.as_deref()) {
                Ok(pdf) => pdf,
                Err(error) => {
                    eprintln!("render failed: {error}");
                    std::process::exit(1);
                }
            };
            let took = started.elapsed();
            size = pdf.len();
            // The first runs warm the caches.
            if run >= 3 {
                times.push(took);
            }
        }
        times.sort();
        let mean = times.iter().sum::<Duration>() / u32::try_from(times.len()).unwrap_or(1);
        let p50 = times[times.len() / 2];
        let max = times[times.len() - 1];
        let met = if max < TARGET_TIME && size < TARGET_BYTES { "within" } else { "OVER" };
        println!(
            "organisation form, {layout:?}, {RUNS} runs: mean {:.1} ms, p50 {:.1} ms, max {:.1} ms; \
             PDF {:.1} KB ({met} the 50 ms / 300 KB target)",
            ms(mean),
            ms(p50),
            ms(max),
            size as f64 / 1024.0
        );
    }
}
