//! The registry domain of a certificate authority's counter: subjects, certificates, tokens, seals,
//! applications and their rules. Pure: no IO, no clock, no randomness — callers pass them in.

pub mod application;
pub mod audit;
pub mod conflicts;
pub mod credentials;
pub mod day_end;
pub mod events;
pub mod fees;
pub mod hlc;
pub mod ids;
pub mod import;
pub mod members;
pub mod model;
pub mod mrz;
pub mod problem;
pub mod renewal;
pub mod text;
pub mod totp;
pub mod visit;

pub use problem::{Problem, Problems};
