//! One replication session between a kiosk (the client) and the hub, over a WebSocket: the
//! rounds of automerge sync messages, their timeouts and refusals, and the TLS and WebSocket
//! set-up around them. What is stored, and who may sync what, is the [`Replica`]'s business.
//!
//! The hub speaks first: its `Hello` follows the WebSocket handshake's answer in the same
//! flight, so the kiosk knows the hub (and its clock) before it opens, at no extra round trip.
//! Then rounds: in each, one side sends a `Sync` per document it has something to say about,
//! then `Done`, and the other answers likewise. The client opens with every document it offers
//! (each with the sync state persisted from the last session) and closes the WebSocket once it
//! has received a round and has nothing left to send. When neither side has anything new,
//! automerge answers each opening message with one that needs no reply, so the whole session
//! is one round trip: the client's round, the hub's round, the close.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use automerge::sync::{Message, State, SyncDoc};
use automerge::{AutoCommit, ChangeHash};
use futures_util::{SinkExt, StreamExt};
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::{self, Message as WsMessage, protocol::WebSocketConfig};

use crate::wire::{DocName, Frame, Hello, MAX_FRAME, PROTOCOL, Refused};

/// How long any one read, write or handshake step may wait for the peer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Automerge settles two peers in a handful of rounds; a session still going after this many
/// is a peer that never agrees (or a bug), not a slow one.
pub const DEFAULT_MAX_ROUNDS: u32 = 32;

/// Refusal code: this side failed (its storage), not the peer; try again later.
pub const UNAVAILABLE: &str = "unavailable";

/// (Causes are boxed: tungstenite's error holds a whole HTTP response, automerge's are large.)
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The peer sent `Refused`: `code` says why, for the clerk's message.
    #[error("the peer refused: {0}")]
    PeerRefused(Refused),
    /// This side refused the peer (and told it so).
    #[error("refused the peer: {0}")]
    Refused(Refused),
    #[error("no answer from the peer within {0:?}")]
    Timeout(Duration),
    #[error("the peer closed the connection in the middle of the session")]
    Closed,
    #[error("websocket: {0}")]
    WebSocket(Box<tungstenite::Error>),
    #[error("connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a hub address {url:?}: {why}")]
    BadUrl { url: String, why: String },
    #[error("automerge: {0}")]
    Automerge(Box<automerge::AutomergeError>),
    #[error("journal: {0}")]
    Journal(Box<crate::journal::JournalError>),
    /// The replica's storage failed.
    #[error("storage: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<tungstenite::Error> for SessionError {
    fn from(error: tungstenite::Error) -> Self {
        SessionError::WebSocket(Box::new(error))
    }
}

impl From<automerge::AutomergeError> for SessionError {
    fn from(error: automerge::AutomergeError) -> Self {
        SessionError::Automerge(Box::new(error))
    }
}

impl From<crate::journal::JournalError> for SessionError {
    fn from(error: crate::journal::JournalError) -> Self {
        SessionError::Journal(Box::new(error))
    }
}

impl SessionError {
    pub fn storage(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> SessionError {
        SessionError::Storage(error.into())
    }

    /// When the TLS handshake failed over a certificate, either side's (the hub's is not of the
    /// CA this side trusts, or the hub refused this side's): rustls's words for it. A kiosk
    /// says so apart from an unreachable hub, as waiting does not mend it.
    pub fn certificate_refused(&self) -> Option<String> {
        let io = match self {
            SessionError::Io(io) => io,
            SessionError::WebSocket(ws) => match &**ws {
                tungstenite::Error::Io(io) => io,
                _ => return None,
            },
            _ => return None,
        };
        let tls = io.get_ref()?.downcast_ref::<rustls::Error>()?;
        use rustls::AlertDescription as Alert;
        let about_certificates = match tls {
            rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented => true,
            rustls::Error::AlertReceived(alert) => matches!(
                alert,
                Alert::BadCertificate
                    | Alert::UnsupportedCertificate
                    | Alert::CertificateRevoked
                    | Alert::CertificateExpired
                    | Alert::CertificateUnknown
                    | Alert::UnknownCA
                    | Alert::CertificateRequired
            ),
            _ => false,
        };
        about_certificates.then(|| tls.to_string())
    }

    /// A failure of this side, not of the peer or the connection.
    fn is_local(&self) -> bool {
        matches!(
            self,
            SessionError::Automerge(_) | SessionError::Journal(_) | SessionError::Storage(_)
        )
    }
}

/// One side's documents, as a session sees them. The calls block (storage); the session makes
/// them from its own task, one at a time.
///
/// The hub makes one replica per connection, from the identity in the peer's TLS certificate:
/// the `Hello` is what the peer claims, the certificate what it proved.
pub trait Replica {
    /// This side's `Hello` (its first frame).
    fn hello(&self) -> Hello;

    /// The documents to open with: on the client, those it holds that are not closed on both
    /// sides; on the hub, those the peer should hold (the session sends a `Sync` in its first
    /// answer for each one the client did not open with and [`Replica::allowed`] permits). When
    /// nothing is new both sides name the same documents, and the session is one round trip.
    fn offered(&mut self) -> Result<Vec<DocName>, SessionError>;

    /// May `peer` sync `doc`? Checked before every `Sync` received is applied; an `Err` is sent to
    /// the peer and ends the session.
    fn allowed(&self, peer: &Hello, doc: &DocName) -> Result<(), Refused>;

    /// The document, an empty `AutoCommit` if this side lacks it (created in memory; persisted
    /// by [`Replica::changed`] once a message fills it).
    fn doc(&mut self, doc: &DocName) -> Result<&mut AutoCommit, SessionError>;

    /// The sync state persisted for `peer` and `doc` (`State::new()` if none). automerge's
    /// `State::encode` keeps only the heads both sides were known to share, which is what lets
    /// a reconnect resume without resending.
    fn sync_state(&mut self, peer: &Hello, doc: &DocName) -> Result<State, SessionError>;

    /// Persists the state ([`State::encode`]). Called after a round is received, only for
    /// documents whose state changed, and never after a refusal of a change.
    fn save_sync_state(
        &mut self,
        peer: &Hello,
        doc: &DocName,
        state: &State,
    ) -> Result<(), SessionError>;

    /// A received message changed `doc` (its heads were `before`). Validate and persist the new
    /// changes; return `Err` to refuse them. On `Err` the replica must itself put the document
    /// back to what its storage holds (the in-memory `AutoCommit` has the refused changes
    /// applied); the session sends the refusal to the peer and ends.
    ///
    /// `sent` is the message's changes as the peer sent them, when they are all the document
    /// took in (nothing waited on a missing change before the message, and nothing of it waits
    /// after): a replica may keep those bytes, which `load_incremental` reads back into the same
    /// changes, rather than save the changes again. `None` otherwise.
    fn changed(
        &mut self,
        peer: &Hello,
        doc: &DocName,
        before: &[ChangeHash],
        sent: Option<&[u8]>,
    ) -> Result<(), Refused>;
}

/// Applies a received sync message to `doc`. Answers automerge's result and, when the
/// message's changes are all the document took in (nothing waited on a missing change before
/// it, and nothing of it waits after), those changes as sent: what [`Replica::changed`] may keep.
/// A change waiting on one the document lacks is applied only when that one arrives; the bytes
/// of the message that brought it would then not hold it.
pub fn receive(
    doc: &mut AutoCommit,
    state: &mut State,
    message: Message,
) -> (Result<(), automerge::AutomergeError>, Option<Vec<u8>>) {
    let waited = !doc.get_missing_deps(&[]).is_empty();
    let sent: Vec<u8> =
        if waited { Vec::new() } else { message.changes.iter().flatten().copied().collect() };
    let received = doc.sync().receive_sync_message(state, message);
    let whole = received.is_ok() && !waited && doc.get_missing_deps(&[]).is_empty();
    (received, whole.then_some(sent))
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long each read or write may wait for the peer.
    pub timeout: Duration,
    /// Rounds after which the session gives up (`Refused::ROUNDS`).
    pub max_rounds: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { timeout: DEFAULT_TIMEOUT, max_rounds: DEFAULT_MAX_ROUNDS }
    }
}

/// What a session did (the benchmarks and `kiosk sync --status` read these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The peer's `Hello` (the hub's `time_ms` feeds the clock-skew warning).
    pub peer: Hello,
    /// Rounds this side sent (client) or answered (hub).
    pub rounds: u32,
    pub frames_sent: u64,
    pub frames_received: u64,
    /// Frame bytes (WebSocket payloads, without WebSocket and TLS framing).
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// The documents on this side that received changes, persisted through
    /// [`Replica::changed`].
    pub changed: Vec<DocName>,
}

/// Runs the kiosk's side of a session to its end.
pub async fn client<S, R>(ws: WebSocketStream<S>, replica: &mut R) -> Result<Report, SessionError>
where
    S: AsyncRead + AsyncWrite + Unpin,
    R: Replica + ?Sized,
{
    client_with(ws, replica, Options::default()).await
}

pub async fn client_with<S, R>(
    ws: WebSocketStream<S>,
    replica: &mut R,
    options: Options,
) -> Result<Report, SessionError>
where
    S: AsyncRead + AsyncWrite + Unpin,
    R: Replica + ?Sized,
{
    let mut session = Session::new(ws, replica, options);
    let result = session.run_client().await;
    session.finish(result).await
}

/// Runs the hub's side of a session to its end (the client's close).
pub async fn serve<S, R>(ws: WebSocketStream<S>, replica: &mut R) -> Result<Report, SessionError>
where
    S: AsyncRead + AsyncWrite + Unpin,
    R: Replica + ?Sized,
{
    serve_with(ws, replica, Options::default()).await
}

pub async fn serve_with<S, R>(
    ws: WebSocketStream<S>,
    replica: &mut R,
    options: Options,
) -> Result<Report, SessionError>
where
    S: AsyncRead + AsyncWrite + Unpin,
    R: Replica + ?Sized,
{
    let mut session = Session::new(ws, replica, options);
    let result = session.run_hub().await;
    session.finish(result).await
}

/// Why a session stops early: a refusal to send the peer, or an error.
enum Stop {
    Refuse(Refused),
    Error(SessionError),
}

impl<E: Into<SessionError>> From<E> for Stop {
    fn from(error: E) -> Self {
        Stop::Error(error.into())
    }
}

fn malformed(detail: impl Into<String>) -> Stop {
    Stop::Refuse(Refused::new(Refused::MALFORMED, detail))
}

enum Received {
    Frame(Frame),
    /// The peer's WebSocket Close.
    Closed,
    /// The connection ended without a Close.
    Ended,
}

struct Tracked {
    state: State,
    /// The encoding last loaded or saved, so an unchanged state is not written again.
    saved: Vec<u8>,
}

struct Session<'r, S, R: ?Sized> {
    ws: WebSocketStream<S>,
    replica: &'r mut R,
    options: Options,
    peer: Option<Hello>,
    docs: BTreeMap<DocName, Tracked>,
    changed: BTreeSet<DocName>,
    rounds: u32,
    frames_sent: u64,
    frames_received: u64,
    bytes_sent: u64,
    bytes_received: u64,
}

impl<'r, S, R> Session<'r, S, R>
where
    S: AsyncRead + AsyncWrite + Unpin,
    R: Replica + ?Sized,
{
    fn new(ws: WebSocketStream<S>, replica: &'r mut R, options: Options) -> Self {
        Session {
            ws,
            replica,
            options,
            peer: None,
            docs: BTreeMap::new(),
            changed: BTreeSet::new(),
            rounds: 0,
            frames_sent: 0,
            frames_received: 0,
            bytes_sent: 0,
            bytes_received: 0,
        }
    }

    async fn run_client(&mut self) -> Result<(), Stop> {
        let peer = self.receive_hello().await?;
        let hello = self.replica.hello();
        self.feed(&Frame::Hello(hello)).await?;
        for doc in self.replica.offered()? {
            self.track(&peer, &doc)?;
        }
        loop {
            let frames = self.generate()?;
            if self.rounds > 0 && frames.is_empty() {
                return self.close().await;
            }
            if self.rounds >= self.options.max_rounds {
                return Err(self.too_many_rounds());
            }
            self.send_round(frames).await?;
            if !self.receive_round(&peer).await? {
                return Err(Stop::Error(SessionError::Closed));
            }
            self.save_states(&peer)?;
        }
    }

    async fn run_hub(&mut self) -> Result<(), Stop> {
        let hello = self.replica.hello();
        self.feed(&Frame::Hello(hello)).await?;
        self.flush().await?;
        let peer = self.receive_hello().await?;
        loop {
            if !self.receive_round(&peer).await? {
                // The client closed between rounds: the session's normal end.
                let _ = timeout(self.options.timeout, self.ws.close(None)).await;
                return Ok(());
            }
            self.save_states(&peer)?;
            if self.rounds == 0 {
                for doc in self.replica.offered()? {
                    if !self.docs.contains_key(&doc) && self.replica.allowed(&peer, &doc).is_ok() {
                        self.track(&peer, &doc)?;
                    }
                }
            }
            if self.rounds >= self.options.max_rounds {
                return Err(self.too_many_rounds());
            }
            let frames = self.generate()?;
            self.send_round(frames).await?;
        }
    }

    fn too_many_rounds(&self) -> Stop {
        Stop::Refuse(Refused::new(
            Refused::ROUNDS,
            format!("no agreement after {} rounds", self.rounds),
        ))
    }

    /// The peer's `Hello`, checked.
    async fn receive_hello(&mut self) -> Result<Hello, Stop> {
        let hello = match self.receive().await? {
            Received::Frame(Frame::Hello(hello)) => hello,
            Received::Frame(Frame::Refused(refused)) => {
                return Err(Stop::Error(SessionError::PeerRefused(refused)));
            }
            Received::Frame(other) => {
                return Err(malformed(format!("expected Hello, got {}", name(&other))));
            }
            Received::Closed | Received::Ended => return Err(Stop::Error(SessionError::Closed)),
        };
        if hello.protocol != PROTOCOL {
            return Err(Stop::Refuse(Refused::new(
                Refused::PROTOCOL,
                format!("protocol {} offered, {PROTOCOL} spoken", hello.protocol),
            )));
        }
        self.peer = Some(hello.clone());
        Ok(hello)
    }

    /// Reads the peer's round up to its `Done`, applying each `Sync`. `false` when the peer
    /// sent a Close before the round's first frame (a connection that just ends is an error).
    async fn receive_round(&mut self, peer: &Hello) -> Result<bool, Stop> {
        let mut first = true;
        loop {
            match self.receive().await? {
                Received::Frame(Frame::Sync { doc, message }) => {
                    self.apply(peer, doc, &message)?;
                }
                Received::Frame(Frame::Done) => return Ok(true),
                Received::Frame(Frame::Refused(refused)) => {
                    return Err(Stop::Error(SessionError::PeerRefused(refused)));
                }
                Received::Frame(Frame::Hello(_)) => return Err(malformed("a second Hello")),
                Received::Closed if first => return Ok(false),
                Received::Closed | Received::Ended => {
                    return Err(Stop::Error(SessionError::Closed));
                }
            }
            first = false;
        }
    }

    /// Applies one received sync message to `doc`.
    fn apply(&mut self, peer: &Hello, doc: DocName, bytes: &[u8]) -> Result<(), Stop> {
        self.replica.allowed(peer, &doc).map_err(Stop::Refuse)?;
        let message = Message::decode(bytes)
            .map_err(|e| malformed(format!("sync message for {doc}: {e}")))?;
        self.track(peer, &doc)?;
        let Some(tracked) = self.docs.get_mut(&doc) else {
            return Err(Stop::Error(SessionError::storage("document not tracked")));
        };
        let document = self.replica.doc(&doc)?;
        let before = document.get_heads();
        let (received, sent) = receive(document, &mut tracked.state, message);
        let moved = document.get_heads() != before;
        // Even a message that failed halfway may have applied some changes: they are checked
        // and persisted (or undone) like any others.
        if moved {
            self.replica.changed(peer, &doc, &before, sent.as_deref()).map_err(Stop::Refuse)?;
            self.changed.insert(doc.clone());
        }
        received.map_err(|e| malformed(format!("sync message for {doc}: {e}")))?;
        Ok(())
    }

    /// Starts tracking `doc` with its persisted sync state, if not yet tracked.
    fn track(&mut self, peer: &Hello, doc: &DocName) -> Result<(), SessionError> {
        if !self.docs.contains_key(doc) {
            let state = self.replica.sync_state(peer, doc)?;
            let saved = state.encode();
            self.docs.insert(doc.clone(), Tracked { state, saved });
        }
        Ok(())
    }

    /// This side's next message for each tracked document that has something to say.
    fn generate(&mut self) -> Result<Vec<Frame>, SessionError> {
        let mut frames = Vec::new();
        for (doc, tracked) in &mut self.docs {
            let document = self.replica.doc(doc)?;
            if let Some(message) = document.sync().generate_sync_message(&mut tracked.state) {
                frames.push(Frame::Sync { doc: doc.clone(), message: message.encode() });
            }
        }
        Ok(frames)
    }

    fn save_states(&mut self, peer: &Hello) -> Result<(), SessionError> {
        for (doc, tracked) in &mut self.docs {
            let encoded = tracked.state.encode();
            if encoded != tracked.saved {
                self.replica.save_sync_state(peer, doc, &tracked.state)?;
                tracked.saved = encoded;
            }
        }
        Ok(())
    }

    async fn send_round(&mut self, frames: Vec<Frame>) -> Result<(), Stop> {
        for frame in &frames {
            self.feed(frame).await?;
        }
        self.feed(&Frame::Done).await?;
        self.flush().await?;
        self.rounds += 1;
        Ok(())
    }

    /// Queues one frame (written once the WebSocket's buffer fills, or at [`Self::flush`]).
    async fn feed(&mut self, frame: &Frame) -> Result<(), Stop> {
        let bytes = frame.encode();
        if bytes.len() > MAX_FRAME {
            let what = match frame {
                Frame::Sync { doc, .. } => doc.to_string(),
                other => name(other).to_owned(),
            };
            return Err(Stop::Refuse(Refused::new(
                Refused::TOO_LARGE,
                format!("{what}: a frame of {} bytes", bytes.len()),
            )));
        }
        let len = bytes.len() as u64;
        step(self.options.timeout, self.ws.feed(WsMessage::binary(bytes))).await?;
        self.frames_sent += 1;
        self.bytes_sent += len;
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), SessionError> {
        step(self.options.timeout, self.ws.flush()).await
    }

    /// The peer's next frame (pings and pongs are answered by tungstenite and skipped).
    async fn receive(&mut self) -> Result<Received, Stop> {
        loop {
            let next = match timeout(self.options.timeout, self.ws.next()).await {
                Ok(next) => next,
                Err(_) => return Err(Stop::Error(SessionError::Timeout(self.options.timeout))),
            };
            let bytes = match next {
                None => return Ok(Received::Ended),
                Some(Err(
                    tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                )) => return Ok(Received::Ended),
                Some(Err(e)) => return Err(Stop::Error(e.into())),
                Some(Ok(WsMessage::Binary(bytes))) => bytes,
                Some(Ok(WsMessage::Close(_))) => return Ok(Received::Closed),
                Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_) | WsMessage::Frame(_))) => {
                    continue;
                }
                Some(Ok(WsMessage::Text(_))) => return Err(malformed("a text message")),
            };
            self.frames_received += 1;
            self.bytes_received += bytes.len() as u64;
            return Frame::decode(&bytes)
                .map(Received::Frame)
                .map_err(|e| malformed(e.to_string()));
        }
    }

    /// The client's end: Close, then wait (bounded) for the hub's Close in answer.
    async fn close(&mut self) -> Result<(), Stop> {
        step(self.options.timeout, self.ws.close(None)).await?;
        self.drain().await;
        Ok(())
    }

    /// Reads and drops what the peer still sends until it closes, for a bounded time, so a peer
    /// still writing its round is not cut off before it reads our refusal or Close.
    async fn drain(&mut self) {
        let limit = self.options.timeout.min(Duration::from_secs(5));
        let _ = timeout(limit, async { while let Some(Ok(_)) = self.ws.next().await {} }).await;
    }

    async fn finish(mut self, result: Result<(), Stop>) -> Result<Report, SessionError> {
        let error = match result {
            Ok(()) => {
                let Some(peer) = self.peer.take() else {
                    return Err(SessionError::Closed);
                };
                return Ok(Report {
                    peer,
                    rounds: self.rounds,
                    frames_sent: self.frames_sent,
                    frames_received: self.frames_received,
                    bytes_sent: self.bytes_sent,
                    bytes_received: self.bytes_received,
                    changed: self.changed.into_iter().collect(),
                });
            }
            Err(Stop::Refuse(refused)) => {
                tracing::warn!(code = %refused.code, detail = %refused.detail, "refusing the peer");
                self.tell(refused.clone()).await;
                SessionError::Refused(refused)
            }
            Err(Stop::Error(error)) => {
                if error.is_local() {
                    tracing::warn!(%error, "sync session failed on this side");
                    self.tell(Refused::new(UNAVAILABLE, "this side failed; try again later")).await;
                } else if let SessionError::PeerRefused(refused) = &error {
                    tracing::info!(code = %refused.code, detail = %refused.detail, "the peer refused");
                    let _ = timeout(self.options.timeout, self.ws.close(None)).await;
                    self.drain().await;
                }
                error
            }
        };
        Err(error)
    }

    /// Sends `refused` and closes, best effort: the session is ending in error anyway.
    async fn tell(&mut self, refused: Refused) {
        let limit = self.options.timeout;
        let frame = WsMessage::binary(Frame::Refused(refused).encode());
        if timeout(limit, self.ws.send(frame)).await.is_ok() {
            let _ = timeout(limit, self.ws.close(None)).await;
            self.drain().await;
        }
    }
}

/// Runs one step against the peer, bounded by `limit`.
async fn step<T, E>(
    limit: Duration,
    future: impl Future<Output = Result<T, E>>,
) -> Result<T, SessionError>
where
    E: Into<SessionError>,
{
    match timeout(limit, future).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err(SessionError::Timeout(limit)),
    }
}

fn name(frame: &Frame) -> &'static str {
    match frame {
        Frame::Hello(_) => "Hello",
        Frame::Sync { .. } => "Sync",
        Frame::Done => "Done",
        Frame::Refused(_) => "Refused",
    }
}

/// The WebSocket limits both sides use: no message or frame larger than the protocol's own cap.
pub fn websocket_config() -> WebSocketConfig {
    WebSocketConfig::default().max_message_size(Some(MAX_FRAME)).max_frame_size(Some(MAX_FRAME))
}

/// The kiosk's connection to the hub.
pub type ClientStream = WebSocketStream<tokio_rustls::client::TlsStream<TcpStream>>;
/// The hub's connection from a kiosk.
pub type ServerStream = WebSocketStream<tokio_rustls::server::TlsStream<TcpStream>>;

/// Connects to the hub at `url` (`wss://host:port/path`): TCP, TLS with `config` (the host is
/// the name the hub's certificate must carry), then the WebSocket handshake.
pub async fn connect(
    url: &str,
    config: Arc<rustls::ClientConfig>,
) -> Result<ClientStream, SessionError> {
    connect_with_timeout(url, config, DEFAULT_TIMEOUT).await
}

/// [`connect`], each step bounded by `limit`.
pub async fn connect_with_timeout(
    url: &str,
    config: Arc<rustls::ClientConfig>,
    limit: Duration,
) -> Result<ClientStream, SessionError> {
    let bad = |why: &str| SessionError::BadUrl { url: url.to_owned(), why: why.to_owned() };
    let parsed = url::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    if parsed.scheme() != "wss" {
        return Err(bad("the hub's address must begin with wss://"));
    }
    let server_name: ServerName<'static> = match parsed.host() {
        Some(url::Host::Domain(domain)) => ServerName::try_from(domain.to_owned())
            .map_err(|_| bad("the host is not a valid name"))?,
        Some(url::Host::Ipv4(ip)) => ServerName::IpAddress(std::net::IpAddr::V4(ip).into()),
        Some(url::Host::Ipv6(ip)) => ServerName::IpAddress(std::net::IpAddr::V6(ip).into()),
        None => return Err(bad("no host")),
    };
    let host = parsed.host_str().ok_or_else(|| bad("no host"))?;
    let port = parsed.port_or_known_default().ok_or_else(|| bad("no port"))?;
    let tcp = step(limit, TcpStream::connect(format!("{host}:{port}"))).await?;
    // Frames are small and answered at once: do not hold them back for Nagle.
    tcp.set_nodelay(true)?;
    let connector = tokio_rustls::TlsConnector::from(config);
    let tls = step(limit, connector.connect(server_name, tcp)).await?;
    let (ws, _response) = step(
        limit,
        tokio_tungstenite::client_async_with_config(url, tls, Some(websocket_config())),
    )
    .await?;
    Ok(ws)
}

/// Accepts a kiosk's connection: TLS with `acceptor`, then the WebSocket handshake. Answers
/// the kiosk's certificate (DER) when it presented one; the hub's `ServerConfig` requires one,
/// and the hub reads the kiosk's identity from it.
pub async fn accept(
    tcp: TcpStream,
    acceptor: &tokio_rustls::TlsAcceptor,
) -> Result<(ServerStream, Option<CertificateDer<'static>>), SessionError> {
    accept_with_timeout(tcp, acceptor, DEFAULT_TIMEOUT).await
}

/// [`accept`], each step bounded by `limit` (a client that connects and says nothing holds a
/// task no longer than that).
pub async fn accept_with_timeout(
    tcp: TcpStream,
    acceptor: &tokio_rustls::TlsAcceptor,
    limit: Duration,
) -> Result<(ServerStream, Option<CertificateDer<'static>>), SessionError> {
    tcp.set_nodelay(true)?;
    let tls = step(limit, acceptor.accept(tcp)).await?;
    let certificate = tls
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|der| der.clone().into_owned());
    let ws =
        step(limit, tokio_tungstenite::accept_async_with_config(tls, Some(websocket_config())))
            .await?;
    Ok((ws, certificate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::CENTRAL;
    use automerge::transaction::Transactable;
    use automerge::{ROOT, ReadDoc};
    use std::collections::HashMap;
    use std::time::Instant;
    use tokio::io::DuplexStream;

    /// A replica in memory: `saved` is its storage, `docs` what it holds in memory.
    struct Memory {
        hello: Hello,
        docs: HashMap<DocName, AutoCommit>,
        saved: HashMap<DocName, Vec<u8>>,
        states: HashMap<(String, DocName), Vec<u8>>,
    }

    fn kiosk(office: &str, kiosk: &str) -> Memory {
        Memory {
            hello: Hello {
                protocol: PROTOCOL,
                office: office.into(),
                kiosk: kiosk.into(),
                time_ms: 1_764_460_800_000,
            },
            docs: HashMap::new(),
            saved: HashMap::new(),
            states: HashMap::new(),
        }
    }

    fn hub() -> Memory {
        kiosk(CENTRAL, "hub")
    }

    fn name(doc: &str) -> DocName {
        DocName::parse(doc).unwrap()
    }

    impl Memory {
        /// A change made here, and saved.
        fn edit(&mut self, doc: &str, key: &str, value: &str) {
            let doc = name(doc);
            let document = self.docs.entry(doc.clone()).or_default();
            document.put(ROOT, key, value).unwrap();
            document.commit();
            let bytes = document.save();
            self.saved.insert(doc, bytes);
        }

        fn value(&self, doc: &str, key: &str) -> Option<String> {
            let document = self.docs.get(&name(doc))?;
            match document.get(ROOT, key).unwrap() {
                Some((value, _)) => value.as_str().map(str::to_owned),
                None => None,
            }
        }

        fn heads(&mut self, doc: &str) -> Vec<ChangeHash> {
            self.docs.get_mut(&name(doc)).unwrap().get_heads()
        }

        /// The heads of what storage holds.
        fn saved_heads(&self, doc: &str) -> Vec<ChangeHash> {
            AutoCommit::load(&self.saved[&name(doc)]).unwrap().get_heads()
        }
    }

    impl Replica for Memory {
        fn hello(&self) -> Hello {
            self.hello.clone()
        }

        fn offered(&mut self) -> Result<Vec<DocName>, SessionError> {
            let mut docs: Vec<_> = self.docs.keys().cloned().collect();
            docs.sort();
            Ok(docs)
        }

        /// A kiosk syncs its own office's documents and the central registry's.
        fn allowed(&self, peer: &Hello, doc: &DocName) -> Result<(), Refused> {
            let office = match self.hello.office.as_str() {
                CENTRAL => &peer.office,
                own => own,
            };
            if doc.office() == office || doc.is_central() {
                Ok(())
            } else {
                Err(Refused::new("forbidden", format!("{doc} is not {office}'s")))
            }
        }

        fn doc(&mut self, doc: &DocName) -> Result<&mut AutoCommit, SessionError> {
            Ok(self.docs.entry(doc.clone()).or_default())
        }

        fn sync_state(&mut self, peer: &Hello, doc: &DocName) -> Result<State, SessionError> {
            match self.states.get(&(peer.kiosk.clone(), doc.clone())) {
                Some(bytes) => State::decode(bytes).map_err(SessionError::storage),
                None => Ok(State::new()),
            }
        }

        fn save_sync_state(
            &mut self,
            peer: &Hello,
            doc: &DocName,
            state: &State,
        ) -> Result<(), SessionError> {
            self.states.insert((peer.kiosk.clone(), doc.clone()), state.encode());
            Ok(())
        }

        /// Refuses a change that puts `forged`, restoring the document from `saved`.
        fn changed(
            &mut self,
            _peer: &Hello,
            doc: &DocName,
            _before: &[ChangeHash],
            _sent: Option<&[u8]>,
        ) -> Result<(), Refused> {
            let document = self.docs.get_mut(doc).unwrap();
            if document.get(ROOT, "forged").unwrap().is_some() {
                let restored = match self.saved.get(doc) {
                    Some(bytes) => AutoCommit::load(bytes).unwrap(),
                    None => AutoCommit::new(),
                };
                self.docs.insert(doc.clone(), restored);
                return Err(Refused::new("forged", format!("{doc}: a forged change")));
            }
            let bytes = document.save();
            self.saved.insert(doc.clone(), bytes);
            Ok(())
        }
    }

    type Ws = WebSocketStream<DuplexStream>;

    /// Both ends of a WebSocket in memory: (kiosk's, hub's).
    async fn pair() -> (Ws, Ws) {
        pair_buffered(64 * 1024).await
    }

    /// [`pair`] with `buffer` bytes in flight at most each way.
    async fn pair_buffered(buffer: usize) -> (Ws, Ws) {
        let (a, b) = tokio::io::duplex(buffer);
        let (client, server) = tokio::join!(
            tokio_tungstenite::client_async("ws://hub/sync", a),
            tokio_tungstenite::accept_async(b)
        );
        (client.unwrap().0, server.unwrap())
    }

    async fn session(
        kiosk: &mut Memory,
        hub: &mut Memory,
    ) -> (Result<Report, SessionError>, Result<Report, SessionError>) {
        let (c, s) = pair().await;
        tokio::join!(client(c, kiosk), serve(s, hub))
    }

    const JOURNAL: &str = "MO01/journal/2026-11-29";
    const MANIFEST: &str = "MO01/manifest";
    const CENTRAL_JOURNAL: &str = "CENTRAL/journal/2026-11-28";
    const OTHER_OFFICE: &str = "MO02/manifest";

    /// A kiosk and a hub that each hold something the other lacks.
    fn apart() -> (Memory, Memory) {
        let mut k = kiosk("MO01", "K01");
        k.edit(MANIFEST, "2026-11-29", "open");
        k.edit(JOURNAL, "01K01", "made at the counter");
        let mut h = hub();
        h.edit(JOURNAL, "01K02", "made at the other counter");
        h.edit(CENTRAL_JOURNAL, "01C01", "booked online");
        h.edit(OTHER_OFFICE, "2026-11-29", "open");
        (k, h)
    }

    #[tokio::test]
    async fn kiosk_and_hub_converge_and_a_reconnect_with_nothing_new_is_one_round_trip() {
        let (mut k, mut h) = apart();
        let (client_report, hub_report) = session(&mut k, &mut h).await;
        let (client_report, hub_report) = (client_report.unwrap(), hub_report.unwrap());

        for doc in [JOURNAL, MANIFEST, CENTRAL_JOURNAL] {
            assert_eq!(k.heads(doc), h.heads(doc), "{doc}");
            // What each side holds in memory is what it persisted.
            assert_eq!(k.saved_heads(doc), k.heads(doc), "{doc}");
            assert_eq!(h.saved_heads(doc), h.heads(doc), "{doc}");
        }
        assert_eq!(k.value(JOURNAL, "01K02").as_deref(), Some("made at the other counter"));
        assert_eq!(h.value(JOURNAL, "01K01").as_deref(), Some("made at the counter"));
        // A document only the hub had is now the kiosk's too; another office's is not.
        assert_eq!(k.value(CENTRAL_JOURNAL, "01C01").as_deref(), Some("booked online"));
        assert!(!k.docs.contains_key(&name(OTHER_OFFICE)));
        assert_eq!(client_report.changed, vec![name(CENTRAL_JOURNAL), name(JOURNAL)]);
        assert_eq!(hub_report.changed, vec![name(MANIFEST), name(JOURNAL)]);
        assert_eq!(client_report.peer.kiosk, "hub");
        assert_eq!(hub_report.peer.kiosk, "K01");
        assert_eq!(client_report.bytes_sent, hub_report.bytes_received);
        assert_eq!(hub_report.bytes_sent, client_report.bytes_received);

        // Again, nothing new on either side: one round trip, a few hundred bytes.
        let (client_report, hub_report) = session(&mut k, &mut h).await;
        let (client_report, hub_report) = (client_report.unwrap(), hub_report.unwrap());
        let bytes = client_report.bytes_sent + client_report.bytes_received;
        println!("reconnect with nothing new, 3 documents: {bytes} bytes, {client_report:?}");
        assert_eq!(client_report.rounds, 1);
        assert_eq!(hub_report.rounds, 1);
        // Hello, a Sync per document, Done; each way.
        assert_eq!(client_report.frames_sent, 5);
        assert_eq!(client_report.frames_received, 5);
        // The bound is 8 KB; a few hundred bytes is what it costs today.
        assert!(bytes < 2048, "{bytes} bytes");
        assert!(client_report.changed.is_empty() && hub_report.changed.is_empty());

        // Something new on the hub reaches the kiosk in the next session.
        h.edit(JOURNAL, "01K03", "made at a third counter");
        let (client_report, hub_report) = session(&mut k, &mut h).await;
        let (client_report, _) = (client_report.unwrap(), hub_report.unwrap());
        assert_eq!(k.value(JOURNAL, "01K03").as_deref(), Some("made at a third counter"));
        assert_eq!(k.heads(JOURNAL), h.heads(JOURNAL));
        assert_eq!(client_report.changed, vec![name(JOURNAL)]);
        assert!(client_report.rounds <= 2, "{client_report:?}");
    }

    #[tokio::test]
    async fn a_document_the_hub_does_not_allow_is_refused_with_its_code() {
        let (mut k, mut h) = apart();
        k.edit("MO02/journal/2026-11-29", "01K09", "not this office's");
        let (client_result, hub_result) = session(&mut k, &mut h).await;
        match client_result {
            Err(SessionError::PeerRefused(refused)) => assert_eq!(refused.code, "forbidden"),
            other => panic!("{other:?}"),
        }
        match hub_result {
            Err(SessionError::Refused(refused)) => assert_eq!(refused.code, "forbidden"),
            other => panic!("{other:?}"),
        }
        assert!(!h.docs.contains_key(&name("MO02/journal/2026-11-29")));
    }

    #[tokio::test]
    async fn a_refusal_at_the_first_frame_reaches_a_kiosk_still_sending_its_round() {
        let (mut k, mut h) = apart();
        // Sorted first, so the hub refuses while the kiosk's other frames are still coming.
        k.edit("AA01/manifest", "2026-11-29", "open");
        for day in 1..=20 {
            k.edit(&format!("MO01/journal/2026-11-{day:02}"), "01K01", "made here");
        }
        // A narrow pipe: the kiosk is still writing when the hub refuses, and gets the refusal
        // only because the hub reads on until the kiosk closes.
        let (c, s) = pair_buffered(256).await;
        let (client_result, hub_result) = tokio::join!(client(c, &mut k), serve(s, &mut h));
        assert!(
            matches!(&client_result, Err(SessionError::PeerRefused(r)) if r.code == "forbidden"),
            "{client_result:?}"
        );
        assert!(matches!(hub_result, Err(SessionError::Refused(r)) if r.code == "forbidden"));
    }

    #[tokio::test]
    async fn a_session_past_its_round_limit_is_refused() {
        let (mut k, mut h) = apart();
        let (c, s) = pair().await;
        let one_round = Options { max_rounds: 1, ..Options::default() };
        // Changes on both sides take more than one round to cross.
        let (client_result, hub_result) =
            tokio::join!(client_with(c, &mut k, one_round), serve(s, &mut h));
        assert!(
            matches!(&client_result, Err(SessionError::Refused(r)) if r.code == Refused::ROUNDS),
            "{client_result:?}"
        );
        assert!(
            matches!(&hub_result, Err(SessionError::PeerRefused(r)) if r.code == Refused::ROUNDS),
            "{hub_result:?}"
        );
    }

    #[tokio::test]
    async fn a_refused_change_leaves_the_hub_with_what_its_storage_holds() {
        let (mut k, mut h) = apart();
        let (a, b) = session(&mut k, &mut h).await;
        a.unwrap();
        b.unwrap();
        let heads = h.heads(JOURNAL);
        let states = h.states.clone();

        k.edit(JOURNAL, "forged", "an event no kiosk signed");
        let (client_result, hub_result) = session(&mut k, &mut h).await;
        match client_result {
            Err(SessionError::PeerRefused(refused)) => {
                assert_eq!(refused.code, "forged");
                assert!(refused.detail.contains(JOURNAL), "{refused}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(hub_result, Err(SessionError::Refused(r)) if r.code == "forged"));
        assert_eq!(h.heads(JOURNAL), heads);
        assert_eq!(h.saved_heads(JOURNAL), heads);
        assert_eq!(h.value(JOURNAL, "forged"), None);
        // No sync state claims the refused change as shared.
        assert_eq!(h.states, states);
    }

    /// The hub's end of a session driven by hand: (kiosk's raw socket, the hub's result).
    async fn against_hub(
        script: impl AsyncFnOnce(&mut Ws) -> Vec<Frame>,
    ) -> (Vec<Frame>, Result<Report, SessionError>) {
        let (mut c, s) = pair().await;
        let mut h = hub();
        let options = Options { timeout: Duration::from_secs(5), ..Options::default() };
        tokio::join!(script(&mut c), serve_with(s, &mut h, options))
    }

    /// Every frame the other end sends until it closes.
    async fn frames_until_close(ws: &mut Ws) -> Vec<Frame> {
        let mut frames = Vec::new();
        while let Some(Ok(message)) = ws.next().await {
            if let WsMessage::Binary(bytes) = message {
                frames.push(Frame::decode(&bytes).unwrap());
            }
        }
        frames
    }

    fn k01_hello(protocol: u32) -> WsMessage {
        let mut hello = kiosk("MO01", "K01").hello;
        hello.protocol = protocol;
        WsMessage::binary(Frame::Hello(hello).encode())
    }

    #[tokio::test]
    async fn garbage_from_a_kiosk_is_refused_as_malformed() {
        let fresh = fresh_sync_message();
        let garbage: Vec<(bool, WsMessage)> = vec![
            (true, WsMessage::binary(vec![0xff, 0, 1])),
            (true, WsMessage::text("hello")),
            // Before its Hello: Done, or even a valid sync message, is out of order.
            (false, WsMessage::binary(Frame::Done.encode())),
            (
                true,
                WsMessage::binary(
                    Frame::Sync { doc: name(JOURNAL), message: vec![1, 2, 3] }.encode(),
                ),
            ),
            (true, k01_hello(PROTOCOL)),
            (false, WsMessage::binary(Frame::Sync { doc: name(JOURNAL), message: fresh }.encode())),
        ];
        for (after_hello, message) in garbage {
            let shown = format!("{message:?}");
            let (frames, result) = against_hub(async |ws: &mut Ws| {
                if after_hello {
                    ws.send(k01_hello(PROTOCOL)).await.unwrap();
                }
                ws.send(message).await.unwrap();
                frames_until_close(ws).await
            })
            .await;
            assert!(matches!(&frames[0], Frame::Hello(h) if h.kiosk == "hub"), "{shown}");
            assert!(
                matches!(frames.last(), Some(Frame::Refused(r)) if r.code == Refused::MALFORMED),
                "{shown}: {frames:?}"
            );
            assert!(
                matches!(&result, Err(SessionError::Refused(r)) if r.code == Refused::MALFORMED),
                "{shown}: {result:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_kiosk_of_another_protocol_is_refused() {
        let (frames, result) = against_hub(async |ws: &mut Ws| {
            ws.send(k01_hello(PROTOCOL + 1)).await.unwrap();
            frames_until_close(ws).await
        })
        .await;
        assert!(matches!(frames.last(), Some(Frame::Refused(r)) if r.code == Refused::PROTOCOL));
        assert!(matches!(result, Err(SessionError::Refused(r)) if r.code == Refused::PROTOCOL));
    }

    fn short() -> Options {
        Options { timeout: Duration::from_millis(300), ..Options::default() }
    }

    #[tokio::test]
    async fn a_hub_that_says_nothing_times_out() {
        let (c, _hub_holds_its_end) = pair().await;
        let (mut k, _) = apart();
        let started = Instant::now();
        let result = client_with(c, &mut k, short()).await;
        assert!(matches!(result, Err(SessionError::Timeout(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[tokio::test]
    async fn a_hub_that_stops_answering_mid_session_times_out() {
        let (c, mut s) = pair().await;
        let (mut k, _) = apart();
        let hub_hello = WsMessage::binary(Frame::Hello(hub().hello).encode());
        s.send(hub_hello).await.unwrap();
        let started = Instant::now();
        let result = client_with(c, &mut k, short()).await;
        assert!(matches!(result, Err(SessionError::Timeout(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    /// The kiosk's end of a session driven by hand: (the hub's raw socket, the kiosk's result).
    async fn against_kiosk(
        script: impl AsyncFnOnce(&mut Ws) -> Vec<Frame>,
    ) -> (Vec<Frame>, Result<Report, SessionError>) {
        let (c, mut s) = pair().await;
        let (mut k, _) = apart();
        tokio::join!(script(&mut s), client_with(c, &mut k, short()))
    }

    /// The hub's Hello, then the kiosk's first round read up to its Done.
    async fn hub_opening(ws: &mut Ws) {
        let hello = WsMessage::binary(Frame::Hello(hub().hello).encode());
        ws.send(hello).await.unwrap();
        while let Some(Ok(message)) = ws.next().await {
            if message == WsMessage::binary(Frame::Done.encode()) {
                break;
            }
        }
    }

    fn fresh_sync_message() -> Vec<u8> {
        AutoCommit::new().sync().generate_sync_message(&mut State::new()).unwrap().encode()
    }

    #[tokio::test]
    async fn a_hub_that_closes_mid_round_is_an_error() {
        for frames_before_close in [0, 1] {
            let (_, result) = against_kiosk(async |ws: &mut Ws| {
                hub_opening(ws).await;
                if frames_before_close == 1 {
                    let sync = Frame::Sync { doc: name(MANIFEST), message: fresh_sync_message() };
                    ws.send(WsMessage::binary(sync.encode())).await.unwrap();
                }
                ws.close(None).await.unwrap();
                Vec::new()
            })
            .await;
            assert!(matches!(result, Err(SessionError::Closed)), "{result:?}");
        }
    }

    #[tokio::test]
    async fn a_hub_that_drops_the_connection_mid_round_is_an_error() {
        let (c, mut s) = pair().await;
        let (mut k, _) = apart();
        let hub_side = async move {
            hub_opening(&mut s).await;
            drop(s);
        };
        let (result, ()) = tokio::join!(client_with(c, &mut k, short()), hub_side);
        assert!(
            matches!(result, Err(SessionError::Closed | SessionError::WebSocket(_))),
            "{result:?}"
        );
    }

    #[tokio::test]
    async fn garbage_from_the_hub_is_refused() {
        let sync = |doc: &str, message: Vec<u8>| {
            WsMessage::binary(Frame::Sync { doc: name(doc), message }.encode())
        };
        let garbage = [
            (WsMessage::binary(vec![0xff, 0, 1]), Refused::MALFORMED),
            (WsMessage::text("hello"), Refused::MALFORMED),
            (sync(MANIFEST, vec![1, 2, 3]), Refused::MALFORMED),
            (WsMessage::binary(Frame::Hello(hub().hello).encode()), Refused::MALFORMED),
            // The kiosk's own replica decides what it takes: not another office's documents.
            (sync(OTHER_OFFICE, fresh_sync_message()), "forbidden"),
        ];
        for (message, code) in garbage {
            let shown = format!("{message:?}");
            let (frames, result) = against_kiosk(async |ws: &mut Ws| {
                hub_opening(ws).await;
                ws.send(message).await.unwrap();
                frames_until_close(ws).await
            })
            .await;
            assert!(
                matches!(frames.last(), Some(Frame::Refused(r)) if r.code == code),
                "{shown}: {frames:?}"
            );
            assert!(
                matches!(&result, Err(SessionError::Refused(r)) if r.code == code),
                "{shown}: {result:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_kiosk_that_says_nothing_times_out_on_the_hub() {
        let (c, s) = pair().await;
        let mut h = hub();
        let started = Instant::now();
        let result = serve_with(s, &mut h, short()).await;
        assert!(matches!(result, Err(SessionError::Timeout(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
        drop(c);
    }

    #[tokio::test]
    async fn a_hub_address_must_be_wss_with_a_host() {
        let config = tls_fixture().client;
        for url in ["https://hub.example:8443", "wss://", "hub.example:8443", "wss://[::1"] {
            let result = connect(url, config.clone()).await;
            assert!(matches!(result, Err(SessionError::BadUrl { .. })), "{url}: {result:?}");
        }
    }

    struct TlsFixture {
        server: Arc<rustls::ServerConfig>,
        client: Arc<rustls::ClientConfig>,
        client_cert: CertificateDer<'static>,
    }

    /// A CA, a hub certificate for localhost and a kiosk certificate, all made here.
    fn tls_fixture() -> TlsFixture {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        use rustls::pki_types::PrivateKeyDer;

        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "test infrastructure CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::from_params(&ca, &ca_key);

        let hub_key = KeyPair::generate().unwrap();
        let mut hub = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        hub.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let hub_cert = hub.signed_by(&hub_key, &issuer).unwrap();

        let kiosk_key = KeyPair::generate().unwrap();
        let mut kiosk = CertificateParams::new(Vec::<String>::new()).unwrap();
        kiosk.distinguished_name.push(DnType::CommonName, "K01");
        kiosk.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let kiosk_cert = kiosk.signed_by(&kiosk_key, &issuer).unwrap();

        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca_cert.der().clone()).unwrap();
        let roots = Arc::new(roots);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = |k: &KeyPair| PrivateKeyDer::Pkcs8(k.serialize_der().into());

        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            roots.clone(),
            provider.clone(),
        )
        .build()
        .unwrap();
        let server = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![hub_cert.der().clone()], key(&hub_key))
            .unwrap();
        let client = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_root_certificates(roots)
            .with_client_auth_cert(vec![kiosk_cert.der().clone()], key(&kiosk_key))
            .unwrap();
        TlsFixture {
            server: Arc::new(server),
            client: Arc::new(client),
            client_cert: kiosk_cert.der().clone(),
        }
    }

    #[tokio::test]
    async fn a_session_over_tls_on_loopback_converges_and_the_hub_sees_the_kiosk_certificate() {
        let fixture = tls_fixture();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let acceptor = tokio_rustls::TlsAcceptor::from(fixture.server.clone());
        let (mut k, mut h) = apart();

        let hub_side = async {
            let (tcp, _) = listener.accept().await.unwrap();
            let (ws, certificate) = accept(tcp, &acceptor).await.unwrap();
            (serve(ws, &mut h).await, certificate)
        };
        let kiosk_side = async {
            let ws = connect(&format!("wss://localhost:{port}/sync"), fixture.client.clone())
                .await
                .unwrap();
            client(ws, &mut k).await
        };
        let (client_result, (hub_result, certificate)) = tokio::join!(kiosk_side, hub_side);
        client_result.unwrap();
        hub_result.unwrap();
        assert_eq!(certificate, Some(fixture.client_cert.clone()));
        for doc in [JOURNAL, MANIFEST, CENTRAL_JOURNAL] {
            assert_eq!(k.heads(doc), h.heads(doc), "{doc}");
        }

        // A closed port is a connection error, not a hang.
        drop(listener);
        let result = connect_with_timeout(
            &format!("wss://127.0.0.1:{port}/sync"),
            fixture.client,
            Duration::from_secs(2),
        )
        .await;
        assert!(
            matches!(result, Err(SessionError::Io(_) | SessionError::Timeout(_))),
            "{result:?}"
        );
    }

    /// A valid message carrying changes, as one peer sends it to another.
    fn message_with_changes() -> Vec<u8> {
        let mut a = AutoCommit::new();
        for i in 0..5 {
            a.put(ROOT, format!("01K0{i}"), "an event").unwrap();
            a.commit();
        }
        let (mut b, mut to_b, mut to_a) = (AutoCommit::new(), State::new(), State::new());
        let opening = a.sync().generate_sync_message(&mut to_b).unwrap();
        b.sync().receive_sync_message(&mut to_a, opening).unwrap();
        let answer = b.sync().generate_sync_message(&mut to_a).unwrap();
        a.sync().receive_sync_message(&mut to_b, answer).unwrap();
        a.sync().generate_sync_message(&mut to_b).unwrap().encode()
    }

    proptest::proptest! {
        /// The session hands a peer's message to automerge as it came: a damaged one must be an
        /// error there, not a panic (20,000 cases passed when this was written; 256 each run).
        #[test]
        fn automerge_refuses_damaged_sync_messages_without_panicking(
            at in proptest::prelude::any::<proptest::sample::Index>(),
            byte in proptest::prelude::any::<u8>(),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let mut bytes = message_with_changes();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            bytes.truncate(bytes.len() - cut.index(bytes.len()) / 8);
            if let Ok(message) = Message::decode(&bytes) {
                let mut doc = AutoCommit::new();
                let _ = doc.sync().receive_sync_message(&mut State::new(), message);
            }
        }
    }
}
