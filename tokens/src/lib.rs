//! USB tokens over PKCS#11, the office issuing CA, certificate profiles, and the issuance
//! lifecycle the counter runs on them: issue, renew, change, replace, revoke, PIN change and
//! unlock, CRLs, and the PKCS#12 fallback where a profile allows a soft token.
//!
//! Private keys are generated on tokens and never leave them (the CA's included); only the
//! PKCS#12 fallback makes a key in memory, and writes it straight into the encrypted file.

pub mod ca;
pub mod delivery;
pub mod dn;
pub mod error;
pub mod key;
pub mod pin;
pub mod pkcs11;
pub mod profile;
pub mod service;
pub mod soft;
#[cfg(feature = "test-support")]
pub mod softhsm;

pub use error::{Result, TokenError};
pub use pin::Pin;
pub use pkcs11::{KeyKind, Module, TokenInfo};
pub use profile::Profile;
