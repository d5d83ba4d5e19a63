//! The hub's network end: TLS with the kiosk's certificate required, then one session a
//! connection, each with its own database connection and a replica made from the identity the
//! certificate proved (not what the kiosk's `Hello` claims).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use automerge::sync::State;
use automerge::{AutoCommit, ChangeHash};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use super::db::{Database, Device};
use super::{CENTRAL, Docs, Peer, Refused, ingest, open_database};
use crate::manifest::Manifest;
use crate::pki;
use crate::session::{self, Replica, Report, SessionError};
use crate::wire::{DocName, Hello, PROTOCOL};

/// The hub's id in its `Hello`.
pub const HUB_ID: &str = "hub";

/// Accepts kiosks on `listener` until the process ends.
pub async fn serve(
    listener: TcpListener,
    config: Arc<rustls::ServerConfig>,
    database: String,
) -> std::io::Result<()> {
    let acceptor = TlsAcceptor::from(config);
    loop {
        let (tcp, addr) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait, do not stop serving.
                tracing::warn!("accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let database = database.clone();
        tokio::spawn(async move {
            match connection(tcp, &acceptor, &database).await {
                Ok(report) => tracing::info!(
                    %addr,
                    kiosk = %report.peer.kiosk,
                    rounds = report.rounds,
                    changed = report.changed.len(),
                    "session done"
                ),
                Err(e) => tracing::info!(%addr, "session ended: {e}"),
            }
        });
    }
}

async fn connection(
    tcp: TcpStream,
    acceptor: &TlsAcceptor,
    database: &str,
) -> Result<Report, SessionError> {
    let (ws, certificate) = session::accept(tcp, acceptor).await?;
    // The TLS config requires a certificate from the infrastructure CA; its absence here would
    // be a misconfigured hub.
    let certificate =
        certificate.ok_or_else(|| SessionError::storage("the kiosk presented no certificate"))?;
    let peer = pki::peer_identity(&certificate).map_err(SessionError::storage)?;
    let mut db = open_database(database).map_err(SessionError::storage)?;
    // One kiosk id is one device of one office: a second enrolment of the id for another office
    // would share its chain and its key on record.
    let clash = db
        .device(&peer.kiosk)
        .map_err(SessionError::storage)?
        .map(|known| known.office)
        .filter(|office| *office != peer.office);
    if clash.is_none() {
        db.note_device(&Device {
            kiosk: peer.kiosk.clone(),
            office: peer.office.clone(),
            public_key: peer.public_key.clone(),
            certificate: certificate.to_vec(),
        })
        .map_err(SessionError::storage)?;
    }
    let mut replica = HubReplica::new(db, peer);
    replica.clash = clash;
    let report = session::serve(ws, &mut replica).await;
    // The session's events are folded into records after it, not while the kiosk waits; what
    // fails here stays pending, and the next session (or query of records) folds it.
    if let Err(e) = replica.project() {
        tracing::warn!("folding the session's events into records failed: {e}");
    }
    report
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The hub's documents as one kiosk may see them.
pub struct HubReplica {
    db: Box<dyn Database>,
    docs: Docs,
    peer: Peer,
    /// The office another device with this kiosk id was seen in: everything is refused.
    pub clash: Option<String>,
}

impl std::fmt::Debug for HubReplica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubReplica").field("peer", &self.peer.kiosk).finish_non_exhaustive()
    }
}

impl HubReplica {
    pub fn new(db: Box<dyn Database>, peer: Peer) -> HubReplica {
        HubReplica { db, docs: Docs::default(), peer, clash: None }
    }

    /// Folds the events kept so far into records ([`Database::project`]).
    pub fn project(&mut self) -> Result<u64, crate::hub::DbError> {
        self.db.project()
    }

    /// Journals of `office` the peer is known to hold as closed: listed closed in the manifest,
    /// and the heads this hub last shared with the peer include every head it closed at.
    fn held_closed(&mut self, office: &str) -> Result<Vec<String>, SessionError> {
        let name = DocName::manifest(office).map_err(SessionError::storage)?;
        let doc = self.docs.get(self.db.as_mut(), name.as_str()).map_err(SessionError::storage)?;
        if doc.get_heads().is_empty() {
            return Ok(Vec::new());
        }
        let Ok(manifest) = Manifest::from_doc(doc.clone()) else { return Ok(Vec::new()) };
        let mut held = Vec::new();
        for listed in manifest.journals().map_err(SessionError::storage)? {
            let Some(closed) = listed.closed else { continue };
            let journal =
                DocName::journal(office, &listed.period).map_err(SessionError::storage)?;
            let shared = self
                .db
                .sync_state(&self.peer.kiosk, journal.as_str())
                .map_err(SessionError::storage)?
                .and_then(|bytes| State::decode(&bytes).ok())
                .map(|state| state.shared_heads)
                .unwrap_or_default();
            if crate::manifest::covers(&shared, &closed) {
                held.push(journal.to_string());
            }
        }
        Ok(held)
    }
}

impl Replica for HubReplica {
    fn hello(&self) -> Hello {
        Hello {
            protocol: PROTOCOL,
            office: CENTRAL.into(),
            kiosk: HUB_ID.into(),
            time_ms: now_ms(),
        }
    }

    /// The peer's office's documents and the central registry's, less the closed journals the
    /// peer already holds whole.
    fn offered(&mut self) -> Result<Vec<DocName>, SessionError> {
        let today = time::OffsetDateTime::now_utc().date();
        super::close_old_journals(
            self.db.as_mut(),
            &mut self.docs,
            &self.peer.office.clone(),
            today,
        )
        .map_err(SessionError::storage)?;
        let mut out = Vec::new();
        for office in [self.peer.office.clone(), CENTRAL.to_owned()] {
            let held = self.held_closed(&office)?;
            for name in self.db.docs(&format!("{office}/")).map_err(SessionError::storage)? {
                if held.contains(&name) {
                    continue;
                }
                // A name the database holds was checked when it came in.
                if let Ok(doc) = DocName::parse(&name) {
                    out.push(doc);
                }
            }
        }
        Ok(out)
    }

    fn allowed(&self, hello: &Hello, doc: &DocName) -> Result<(), Refused> {
        if let Some(office) = &self.clash {
            return Err(Refused::new(
                "wrong-identity",
                format!(
                    "kiosk {} is a device of office {office}, not {}",
                    self.peer.kiosk, self.peer.office
                ),
            ));
        }
        if hello.kiosk != self.peer.kiosk || hello.office != self.peer.office {
            return Err(Refused::new(
                "wrong-identity",
                format!(
                    "the kiosk says it is {} of office {}, its certificate {} of office {}",
                    hello.kiosk, hello.office, self.peer.kiosk, self.peer.office
                ),
            ));
        }
        if doc.office() != self.peer.office && !doc.is_central() {
            return Err(Refused::new(
                "wrong-office",
                format!(
                    "kiosk {} of office {} may not read {doc}",
                    self.peer.kiosk, self.peer.office
                ),
            ));
        }
        Ok(())
    }

    fn doc(&mut self, doc: &DocName) -> Result<&mut AutoCommit, SessionError> {
        self.docs.get(self.db.as_mut(), doc.as_str()).map_err(SessionError::storage)
    }

    fn sync_state(&mut self, _peer: &Hello, doc: &DocName) -> Result<State, SessionError> {
        // Keyed by the certificate's kiosk, not the Hello's claim.
        let bytes =
            self.db.sync_state(&self.peer.kiosk, doc.as_str()).map_err(SessionError::storage)?;
        Ok(bytes.and_then(|b| State::decode(&b).ok()).unwrap_or_else(State::new))
    }

    fn save_sync_state(
        &mut self,
        _peer: &Hello,
        doc: &DocName,
        state: &State,
    ) -> Result<(), SessionError> {
        self.db
            .save_sync_state(&self.peer.kiosk, doc.as_str(), &state.encode())
            .map_err(SessionError::storage)
    }

    fn changed(
        &mut self,
        _peer: &Hello,
        doc: &DocName,
        before: &[ChangeHash],
        sent: Option<&[u8]>,
    ) -> Result<(), Refused> {
        match ingest(self.db.as_mut(), &mut self.docs, &self.peer, doc, before, sent) {
            Ok(ingested) => {
                tracing::debug!(kiosk = %self.peer.kiosk, %doc, entries = ingested.entries, "kept");
                Ok(())
            }
            Err(refused) => {
                tracing::info!(kiosk = %self.peer.kiosk, %doc, code = %refused.code, "refused: {}", refused.detail);
                self.docs.forget(doc.as_str());
                Err(refused)
            }
        }
    }
}
