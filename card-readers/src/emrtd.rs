//! ICAO 9303 electronic passports and ID cards: Basic Access Control from the MRZ, 3DES secure
//! messaging, the LDS files (EF.COM, DG1, DG2, EF.SOD), and passive authentication against a
//! CSCA trust store.

pub mod apdu;
pub mod bac;
pub mod crypto;
pub mod lds;
pub mod pa;
pub mod pcsc;
pub mod reader;
pub mod sm;
pub mod tlv;
pub mod vcard;
