//! Readers of people and their papers at the counter: passports and ID cards over PC/SC (ICAO
//! 9303 eMRTD with BAC, secure messaging and passive authentication), Mainland resident ID card
//! readers over USB-serial, QR codes through zbar, the camera, and the picture files a clerk
//! names. The MRZ parser itself is pure and lives in `registry::mrz`.
#![forbid(unsafe_code)]

pub use registry::mrz;

pub mod camera;
pub mod cn_id;
pub mod emrtd;
pub mod input;
pub mod photo;
pub mod qr;
