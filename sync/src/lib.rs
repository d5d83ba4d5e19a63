//! Replication of the store's event log between counters and the central registry.
//!
//! The store already records every change as an event stamped with a hybrid logical clock and
//! merges fields by that clock (`registry::events`), so replication only has to move events:
//! `journal` and `manifest` carry them as automerge documents, `signing` and `pki` say who wrote
//! them, `wire` and `session` move the documents between a kiosk and the hub, and `hub` is the
//! central registry's end (the `registry-hub` binary). The hub does not link the store.
#![forbid(unsafe_code)]

pub mod hub;
pub mod journal;
pub mod manifest;
// Part A of the sync issue: signed entries, the infrastructure CA and TLS.
pub mod pki;
pub mod signing;
// The protocol between kiosks and the hub: frames, rounds, TLS and WebSocket.
pub mod session;
pub mod wire;

/// The automerge this crate's documents are made with, for the kiosk and the hub to hold them
/// without a second copy of the dependency to keep in step.
pub use automerge;

/// What a replica must offer to take part in replication: the events it has that a peer lacks.
pub use registry::hlc::Hlc;
