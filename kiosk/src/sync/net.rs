//! The kiosk's end of a session with the hub: [`KioskReplica`] gives the session this kiosk's
//! documents (`LocalReplica`) and applies what the hub brings to the store; [`sync_once`] is one
//! whole sync: the pump, TLS to the hub with the device's credentials, the session, and how it
//! ended, kept for `kiosk sync --status` and the counter app's status bar.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::sync::automerge::sync::State;
use ::sync::automerge::{AutoCommit, ChangeHash};
use ::sync::pki::Credentials;
use ::sync::session::{self, Replica, Report, SessionError};
use ::sync::wire::{DocName, Hello, PROTOCOL, Refused};
use store::Store;

use super::{Applied, HubStatus, Identity, LocalReplica, SyncError};

/// Chunks a document may gather in `sync.sqlite` before a sync saves it whole in their place.
pub const COMPACT_AFTER: usize = 64;

/// The hub's id in its `Hello`: the peer this kiosk keeps its sync states for.
pub const HUB: &str = "hub";

/// Why a sync did not happen or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum SyncFailure {
    #[error("this kiosk has not joined a hub")]
    NotJoined,
    /// The hub could not be reached, or the connection failed (`why` for the log).
    #[error("the hub cannot be reached: {why}")]
    Unreachable { why: String },
    /// The TLS handshake failed over a certificate: the hub's is not of the CA in this kiosk's
    /// credentials, or the hub did not accept this kiosk's. Waiting does not mend it.
    #[error("the hub and this kiosk do not trust each other's certificates: {why}")]
    Untrusted { why: String },
    /// The hub refused: `code` names the reason (a stable id the kiosk has a message for).
    #[error("the hub refused: {code}: {detail}")]
    Refused { code: String, detail: String },
    /// This kiosk refused what the hub sent.
    #[error("this kiosk refused what the hub sent: {code}: {detail}")]
    RefusedHub { code: String, detail: String },
    #[error("the credentials in {path}: {why}")]
    Credentials { path: String, why: String },
    #[error(transparent)]
    Local(#[from] SyncError),
}

impl SyncFailure {
    /// A stable code for the status line and the log: a hub's refusal code, or one of ours.
    pub fn code(&self) -> String {
        match self {
            SyncFailure::NotJoined => "not-joined".into(),
            SyncFailure::Unreachable { .. } => "unreachable".into(),
            SyncFailure::Untrusted { .. } => "certificate".into(),
            SyncFailure::Refused { code, .. } => code.clone(),
            SyncFailure::RefusedHub { .. } => "refused-hub".into(),
            SyncFailure::Credentials { .. } => "credentials".into(),
            SyncFailure::Local(_) => "local".into(),
        }
    }

    fn of_session(error: SessionError) -> SyncFailure {
        match error {
            SessionError::PeerRefused(r) => SyncFailure::Refused { code: r.code, detail: r.detail },
            SessionError::Refused(r) => SyncFailure::RefusedHub { code: r.code, detail: r.detail },
            SessionError::Storage(e) => match e.downcast::<SyncError>() {
                Ok(e) => SyncFailure::Local(*e),
                Err(e) => SyncFailure::Unreachable { why: e.to_string() },
            },
            other => match other.certificate_refused() {
                Some(why) => SyncFailure::Untrusted { why },
                None => SyncFailure::Unreachable { why: other.to_string() },
            },
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// This kiosk's events journaled before the session.
    pub pumped: usize,
    pub report: Report,
    /// What the hub's entries did to the store, summed over the documents.
    pub applied: Applied,
    /// This kiosk's chain head when the session began: the hub holds it all now.
    pub chain_seq: u64,
    /// How far the hub's clock was ahead of this kiosk's (ms): its `Hello` time less this
    /// kiosk's clock when the connection was made (the hub sends its `Hello` with the
    /// handshake's answer, so the error is about one round trip).
    pub hub_offset_ms: i64,
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// `hub_ms - local_ms`, signed (the hub's clock behind this kiosk's gives a negative offset).
pub fn clock_offset(hub_ms: u64, local_ms: u64) -> i64 {
    let signed = |ms: u64| i64::try_from(ms).unwrap_or(i64::MAX);
    signed(hub_ms).saturating_sub(signed(local_ms))
}

/// This kiosk's documents as the session sees them, and the store the hub's entries go to.
pub struct KioskReplica<'a> {
    pub local: &'a mut LocalReplica,
    pub store: &'a mut Store,
    pub identity: Identity,
    pub applied: Applied,
}

impl std::fmt::Debug for KioskReplica<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskReplica").field("kiosk", &self.identity.kiosk).finish_non_exhaustive()
    }
}

impl KioskReplica<'_> {
    /// Journals the manifests list as closed at heads this kiosk last shared with the hub, and
    /// to which nothing was written since (entries pumped before the close was heard, whose
    /// session was cut, still go up).
    fn held_closed(&mut self, office: &str) -> Result<Vec<DocName>, SyncError> {
        let manifest = DocName::manifest(office)?;
        if !self.local.stored_docs()?.contains(&manifest) {
            return Ok(Vec::new());
        }
        let mut held = Vec::new();
        for listed in self.local.manifest(&manifest)?.journals()? {
            let Some(closed) = listed.closed else { continue };
            let journal = DocName::journal(office, &listed.period)?;
            if ::sync::manifest::covers(
                &self.local.sync_state(HUB, &journal)?.shared_heads,
                &closed,
            ) && self.local.settled(HUB, &journal)?
            {
                held.push(journal);
            }
        }
        Ok(held)
    }
}

impl Replica for KioskReplica<'_> {
    fn hello(&self) -> Hello {
        Hello {
            protocol: PROTOCOL,
            office: self.identity.office.clone(),
            kiosk: self.identity.kiosk.clone(),
            time_ms: now_ms(),
        }
    }

    fn offered(&mut self) -> Result<Vec<DocName>, SessionError> {
        let mut held =
            self.held_closed(&self.identity.office.clone()).map_err(SessionError::storage)?;
        held.extend(self.held_closed(::sync::wire::CENTRAL).map_err(SessionError::storage)?);
        let stored = self.local.stored_docs().map_err(SessionError::storage)?;
        Ok(stored.into_iter().filter(|d| !held.contains(d)).collect())
    }

    fn allowed(&self, _peer: &Hello, doc: &DocName) -> Result<(), Refused> {
        if doc.office() == self.identity.office || doc.is_central() {
            Ok(())
        } else {
            Err(Refused::new("wrong-office", format!("the hub sent {doc}, another office's")))
        }
    }

    fn doc(&mut self, doc: &DocName) -> Result<&mut AutoCommit, SessionError> {
        self.local.doc_mut(doc).map_err(SessionError::storage)
    }

    fn sync_state(&mut self, _peer: &Hello, doc: &DocName) -> Result<State, SessionError> {
        self.local.sync_state(HUB, doc).map_err(SessionError::storage)
    }

    fn save_sync_state(
        &mut self,
        _peer: &Hello,
        doc: &DocName,
        state: &State,
    ) -> Result<(), SessionError> {
        self.local.save_sync_state(HUB, doc, state).map_err(SessionError::storage)
    }

    fn changed(
        &mut self,
        _peer: &Hello,
        doc: &DocName,
        before: &[ChangeHash],
        _sent: Option<&[u8]>,
    ) -> Result<(), Refused> {
        // The store first, then sync.sqlite: a kiosk killed between the two has the events in
        // its store and not the changes in its journal, so the hub sends them again and they are
        // known. The other way round, the journal held entries the store never took, and no
        // later sync brought them again (the documents were equal): records lost at this counter.
        let result = (|| {
            if doc.journal_period().is_some() {
                let applied = self.local.apply_incoming(self.store, doc, before)?;
                self.applied.add(&applied);
            }
            self.local.persist(doc)?;
            Ok::<_, SyncError>(())
        })();
        result.map_err(|e| {
            tracing::warn!(
                doc = doc.as_str(),
                category = e.category(),
                "keeping what the hub sent failed"
            );
            self.local.reload(doc);
            Refused::new(session::UNAVAILABLE, e.category())
        })
    }
}

/// One sync: this kiosk's new events into its journals, then a session with the hub; how it
/// ended is kept in `sync.sqlite` either way.
pub async fn sync_once(
    local: &mut LocalReplica,
    store: &mut Store,
    timeout: Duration,
) -> Result<Outcome, SyncFailure> {
    let result = attempt(local, store, timeout).await;
    // After the session, off its path: a journal the pump saved in many chunks is saved whole,
    // so opening it stays one load. A failure here loses nothing (the chunks stay).
    if let Err(e) = local.compact_fragmented(COMPACT_AFTER) {
        tracing::warn!(category = e.category(), "compacting the journals failed");
    }
    let status = match &result {
        Ok(outcome) => HubStatus {
            hub_time_ms: Some(outcome.report.peer.time_ms),
            last_at_ms: Some(now_ms()),
            last_ok: Some(true),
            last_detail: None,
            last_ok_at_ms: Some(now_ms()),
            acked_seq: Some(outcome.chain_seq),
            hub_offset_ms: Some(outcome.hub_offset_ms),
        },
        Err(SyncFailure::NotJoined) => return result,
        Err(failure) => HubStatus {
            hub_time_ms: None,
            last_at_ms: Some(now_ms()),
            last_ok: Some(false),
            last_detail: Some(failure.code()),
            last_ok_at_ms: None,
            acked_seq: None,
            hub_offset_ms: None,
        },
    };
    local.record_sync(&status)?;
    result
}

async fn attempt(
    local: &mut LocalReplica,
    store: &mut Store,
    timeout: Duration,
) -> Result<Outcome, SyncFailure> {
    let identity = local.identity()?.ok_or(SyncFailure::NotJoined)?;
    let credentials =
        Credentials::read(&identity.credentials).map_err(|e| SyncFailure::Credentials {
            path: identity.credentials.display().to_string(),
            why: e.to_string(),
        })?;
    let pumped = local.pump(store, &credentials.device_key())?;
    let chain_seq = local.pump_position()?.1.seq;
    let ws = session::connect_with_timeout(&identity.hub_url, credentials.client_config(), timeout)
        .await
        .map_err(SyncFailure::of_session)?;
    let connected_at = now_ms();
    let mut replica = KioskReplica { local, store, identity, applied: Applied::default() };
    let options = session::Options { timeout, ..session::Options::default() };
    let report =
        session::client_with(ws, &mut replica, options).await.map_err(SyncFailure::of_session)?;
    let hub_offset_ms = clock_offset(report.peer.time_ms, connected_at);
    Ok(Outcome { pumped, report, applied: replica.applied, chain_seq, hub_offset_ms })
}

/// The credentials file a kiosk keeps after `kiosk join`, in its data directory.
pub const CREDENTIALS_FILE: &str = "device-credentials.pem";

/// `kiosk join`: takes the office and device identity from `credentials`, keeps a copy of them
/// (owner-only) in the data directory, and remembers the hub. The store must be this device's
/// kiosk from now on: a store that already holds events of another kiosk id cannot be.
pub fn join(
    data_dir: &Path,
    local: &mut LocalReplica,
    store: &mut Store,
    hub_url: &str,
    credentials: &Credentials,
) -> Result<Identity, JoinError> {
    let url = url::Url::parse(hub_url).map_err(|_| JoinError::BadUrl(hub_url.to_owned()))?;
    if url.scheme() != "wss" || url.host_str().is_none() {
        return Err(JoinError::BadUrl(hub_url.to_owned()));
    }
    if let Some(joined) = local.identity()? {
        if joined.kiosk == credentials.kiosk && joined.office == credentials.office {
            // Joining again with the same identity changes only the hub's address.
            let identity = Identity { hub_url: hub_url.to_owned(), ..joined };
            local.set_identity(&identity)?;
            return Ok(identity);
        }
        return Err(JoinError::AlreadyJoined { office: joined.office, kiosk: joined.kiosk });
    }
    store.adopt_kiosk_id(&credentials.kiosk).map_err(|e| match e {
        store::StoreError::KioskIdInUse { current, events } => {
            JoinError::StoreInUse { current, events }
        }
        other => JoinError::from(SyncError::Store(other)),
    })?;
    let path = data_dir.join(CREDENTIALS_FILE);
    if path.exists() {
        std::fs::remove_file(&path).map_err(|e| JoinError::Credentials(e.to_string()))?;
    }
    credentials.write_new_owner_only(&path).map_err(|e| JoinError::Credentials(e.to_string()))?;
    let identity = Identity {
        office: credentials.office.clone(),
        kiosk: credentials.kiosk.clone(),
        hub_url: hub_url.to_owned(),
        credentials: path,
    };
    local.set_identity(&identity)?;
    Ok(identity)
}

#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("not a hub address: {0} (wss://HOST:PORT)")]
    BadUrl(String),
    #[error("this kiosk already joined office {office} as kiosk {kiosk}")]
    AlreadyJoined { office: String, kiosk: String },
    #[error("the store already holds {events} events written as kiosk {current}")]
    StoreInUse { current: String, events: u64 },
    #[error("the credentials: {0}")]
    Credentials(String),
    #[error(transparent)]
    Local(Box<SyncError>),
}

impl From<SyncError> for JoinError {
    fn from(e: SyncError) -> JoinError {
        JoinError::Local(Box::new(e))
    }
}

impl Applied {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Applied) {
        self.applied += other.applied;
        self.known += other.known;
        self.own += other.own;
        self.unknown += other.unknown;
        self.unreadable += other.unreadable;
        self.refused.extend(other.refused.iter().cloned());
        self.conflicts += other.conflicts;
    }
}
