//! What the counter prints. Forms, receipts and notices rendered to PDF and sent over IPP come with
//! the printers issue; this crate already holds the boundary so the kiosk depends on it by name.
#![forbid(unsafe_code)]

pub use registry::fees::FeeQuote;
