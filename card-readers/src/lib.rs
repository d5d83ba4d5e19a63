//! Readers of people and their papers at the counter. The MRZ parser itself is pure and lives in
//! `registry::mrz`; the devices (PC/SC eMRTD, Mainland ID readers, zbar QR, camera) come with the
//! card-readers issue.
#![forbid(unsafe_code)]

pub use registry::mrz;
