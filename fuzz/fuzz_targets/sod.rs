//! EF.SOD and its CMS SignedData, through passive authentication (the signer's certificate
//! inside it, the data group hashes, the signature).
#![no_main]
use card_readers::emrtd::pa;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pa::parse_sod(data);
    let groups: [(u8, &[u8]); 2] = [(1, b"DG1"), (2, b"DG2")];
    let _ = pa::passive_authentication(&groups, data, &[]);
});
