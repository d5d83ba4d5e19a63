//! The code printed on an application form, scanned back at submission
//! (`printers::formcode::FormCode::parse`).
#![no_main]
use libfuzzer_sys::fuzz_target;

const KEY: &[u8] = b"fuzz office form key";

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = printers::formcode::FormCode::parse(text, KEY);
    }
});
