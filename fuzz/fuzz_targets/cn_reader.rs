//! The Mainland ID reader's serial bytes as they arrive (`cn_id::frame::FrameDecoder`, any
//! split of frames and noise), and each reply's base message after its three status bytes.
#![no_main]
use card_readers::cn_id;
use card_readers::cn_id::frame::FrameDecoder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut decoder = FrameDecoder::new();
    // Two pushes, as a serial read may split a frame anywhere.
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    decoder.push(&data[..split]);
    let _ = decoder.next_frame();
    decoder.push(&data[split..]);
    for _ in 0..64 {
        match decoder.next_frame() {
            Some(Ok(payload)) => {
                if let Some(body) = payload.get(3..) {
                    let _ = cn_id::parse_base_message(body);
                }
            }
            Some(Err(_)) => {}
            None => break,
        }
    }
    let _ = cn_id::frame::decode_frame(data);
});
