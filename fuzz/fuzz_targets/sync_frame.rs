//! A frame of the sync protocol as it arrives from the network (`sync::wire::Frame::decode`),
//! and a document's name as a peer writes it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sync::wire::Frame::decode(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sync::wire::DocName::parse(text);
    }
});
