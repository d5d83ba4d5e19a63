//! A certificate subject as a supervisor types it, and certificate chains in PEM as an
//! operator hands them in (`tokens::dn::parse`, `tokens::ca::read_pem_chain`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tokens::ca::read_pem_chain(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tokens::dn::parse(text);
    }
});
