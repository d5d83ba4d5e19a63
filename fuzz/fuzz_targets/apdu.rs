//! Command and response APDUs (`emrtd::apdu`), and a response through secure messaging's
//! unwrap (`emrtd::sm::SmSession::unprotect`): what a chip, or something posing as one, answers.
#![no_main]
use card_readers::emrtd::apdu::{Command, Response};
use card_readers::emrtd::sm::SmSession;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Command::parse(data);
    if let Some(response) = Response::parse(data) {
        let mut session = SmSession::new([0x11; 16], [0x22; 16], 0x0102_0304_0506_0708);
        let _ = session.unprotect(&response);
    }
});
