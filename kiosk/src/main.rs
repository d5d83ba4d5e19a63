//! The registry counter kiosk (the library holds everything; see `lib.rs`).
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    kiosk::main_entry()
}
