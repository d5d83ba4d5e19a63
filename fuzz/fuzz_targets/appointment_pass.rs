//! An appointment pass's QR payload (`card_readers::qr::AppointmentPass`), as text and bytes.
#![no_main]
use card_readers::qr::AppointmentPass;
use libfuzzer_sys::fuzz_target;

const KEY: &[u8] = b"fuzz office pass key";

fuzz_target!(|data: &[u8]| {
    let _ = AppointmentPass::parse_payload(data, KEY);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = AppointmentPass::parse(text, KEY);
    }
});
