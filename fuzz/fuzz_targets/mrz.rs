//! A machine-readable zone as OCR or a clerk typed it (`registry::mrz::parse`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = registry::mrz::parse(text, time::macros::date!(2026 - 11 - 30));
    }
});
