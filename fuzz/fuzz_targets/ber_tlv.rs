//! BER-TLV from a chip (`emrtd::tlv`), every constructed value's children too.
#![no_main]
use card_readers::emrtd::tlv;
use libfuzzer_sys::fuzz_target;

fn walk(items: &[tlv::Tlv<'_>], depth: usize) {
    for item in items {
        if depth < 16 {
            if let Ok(children) = item.children() {
                walk(&children, depth + 1);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = tlv::total_length(data);
    if let Ok(items) = tlv::parse_all(data) {
        walk(&items, 0);
    }
});
