//! LDS data groups from a chip: DG1's MRZ, EF.COM's tags, a face image's format.
#![no_main]
use card_readers::emrtd::lds;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = lds::dg1_mrz(data);
    let _ = lds::com_tags(data);
    let _ = lds::ImageFormat::sniff(data);
});
