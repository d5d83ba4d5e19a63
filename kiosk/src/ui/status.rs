//! The status bar's facts: the devices, polled in the background, and replication. The bar
//! itself is drawn by `app::view`.

/// The card reader: whether PC/SC answers, whether there is a reader, whether a card is in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReaderState {
    #[default]
    Unknown,
    /// pcscd is not running or refused the kiosk.
    NoService,
    NoReader,
    Empty,
    CardIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenState {
    #[default]
    Unknown,
    /// No PKCS#11 module in the configuration.
    NotConfigured,
    /// The module could not be loaded or listed.
    Unavailable,
    Present(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrinterState {
    #[default]
    Unknown,
    NotConfigured,
    /// Jobs waiting or being sent, and jobs that failed.
    Queue {
        waiting: u64,
        failed: u64,
    },
    Unavailable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CameraState {
    #[default]
    Unknown,
    None,
    Present,
}

/// Replication to the central registry, as the background sync last found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncState {
    /// This data directory has not joined a hub (`kiosk join`).
    #[default]
    NotConfigured,
    /// A sync is under way.
    Syncing,
    /// The last sync went through; `waiting`: this kiosk's events the hub does not hold yet
    /// (written since).
    Online { waiting: u64 },
    /// The last sync did not go through. `since`: the last good sync (or the first failed one
    /// when none ever went through), in the office's zone.
    Offline { since: time::OffsetDateTime, waiting: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Devices {
    pub reader: ReaderState,
    pub token: TokenState,
    pub printer: PrinterState,
    pub camera: CameraState,
}

impl ReaderState {
    pub fn message_id(self) -> &'static str {
        match self {
            ReaderState::Unknown => "status-unknown",
            ReaderState::NoService => "status-reader-no-service",
            ReaderState::NoReader => "status-reader-none",
            ReaderState::Empty => "status-reader-empty",
            ReaderState::CardIn => "status-reader-card",
        }
    }
}

impl TokenState {
    pub fn message_id(self) -> &'static str {
        match self {
            TokenState::Unknown => "status-unknown",
            TokenState::NotConfigured => "status-not-configured",
            TokenState::Unavailable => "status-unavailable",
            TokenState::Present(_) => "status-tokens",
        }
    }
}

impl PrinterState {
    pub fn message_id(self) -> &'static str {
        match self {
            PrinterState::Unknown => "status-unknown",
            PrinterState::NotConfigured => "status-not-configured",
            PrinterState::Queue { failed: 0, .. } => "status-printer-queue",
            PrinterState::Queue { .. } => "status-printer-failed",
            PrinterState::Unavailable => "status-unavailable",
        }
    }
}

impl CameraState {
    pub fn message_id(self) -> &'static str {
        match self {
            CameraState::Unknown => "status-unknown",
            CameraState::None => "status-camera-none",
            CameraState::Present => "status-camera-present",
        }
    }
}

impl SyncState {
    pub fn message_id(self) -> &'static str {
        match self {
            SyncState::NotConfigured => "status-not-configured",
            SyncState::Syncing => "status-sync-syncing",
            SyncState::Online { waiting: 0 } => "status-sync-online",
            SyncState::Online { .. } => "status-sync-online-waiting",
            SyncState::Offline { .. } => "status-sync-offline",
        }
    }

    /// The status bar's sync field in `lang`.
    pub fn text(self, lang: i18n::Language) -> String {
        match self {
            SyncState::Online { waiting } => {
                i18n::text_with(lang, self.message_id(), &[("count", waiting.into())])
            }
            SyncState::Offline { since, waiting } => i18n::text_with(
                lang,
                self.message_id(),
                &[
                    ("since", format!("{:02}:{:02}", since.hour(), since.minute()).into()),
                    ("count", waiting.into()),
                ],
            ),
            _ => i18n::text(lang, self.message_id()),
        }
    }
}
