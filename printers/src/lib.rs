//! What the counter prints: application forms, receipts, renewal notices and queue tickets,
//! rendered to PDF in the process with a subset of a CJK font, each form carrying a QR code that
//! opens its application again, and sent to printers over IPP through a local spool that loses
//! nothing and prints nothing twice.
#![forbid(unsafe_code)]

pub use registry::fees::FeeQuote;

#[cfg(feature = "test-support")]
pub mod cups;
pub mod document;
pub mod fonts;
pub mod formcode;
pub mod ipp_client;
pub mod named_file;
pub mod render;
pub mod spool;
