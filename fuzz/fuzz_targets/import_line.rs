//! A line of `kiosk import`'s file: parsed, then checked as the record it claims to be.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((kind, _, object)) = registry::import::parse_line(text) {
        let _ = registry::import::check(kind, object, None);
    }
});
