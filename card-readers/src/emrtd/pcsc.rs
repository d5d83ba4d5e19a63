//! The PC/SC side: readers as pcscd sees them, and a card as a [`Transport`].

use std::ffi::CString;

use serde::Serialize;

use super::reader::{ReadError, Transport, atr_extended_length};

/// A reader, and whether a card is on it.
#[derive(Debug, Clone, Serialize)]
pub struct ReaderInfo {
    pub name: String,
    pub card_present: bool,
}

fn context() -> Result<pcsc::Context, ReadError> {
    pcsc::Context::establish(pcsc::Scope::User).map_err(|e| match e {
        pcsc::Error::NoService | pcsc::Error::ServiceStopped => ReadError::NoService,
        other => ReadError::Reader(other.to_string()),
    })
}

fn connect_to(ctx: &pcsc::Context, name: &CString) -> Result<pcsc::Card, pcsc::Error> {
    ctx.connect(name, pcsc::ShareMode::Shared, pcsc::Protocols::ANY)
}

/// Every reader pcscd knows, with card presence.
pub fn readers() -> Result<Vec<ReaderInfo>, ReadError> {
    let ctx = context()?;
    let names = match ctx.list_readers_owned() {
        Ok(names) => names,
        Err(pcsc::Error::NoReadersAvailable) => return Ok(Vec::new()),
        Err(e) => return Err(ReadError::Reader(e.to_string())),
    };
    // Ask pcscd for each reader's state rather than connecting: no reset, no power-up, and the
    // answer is pcscd's own view of insertion and removal.
    let mut states: Vec<pcsc::ReaderState> = names
        .iter()
        .map(|name| pcsc::ReaderState::new(name.clone(), pcsc::State::UNAWARE))
        .collect();
    ctx.get_status_change(std::time::Duration::from_millis(0), &mut states)
        .map_err(|e| ReadError::Reader(e.to_string()))?;
    Ok(names
        .iter()
        .zip(&states)
        .map(|(name, state)| ReaderInfo {
            name: name.to_string_lossy().into_owned(),
            card_present: state.event_state().contains(pcsc::State::PRESENT),
        })
        .collect())
}

/// A card on a PC/SC reader.
pub struct PcscCard {
    card: pcsc::Card,
    atr: Vec<u8>,
    reader: String,
}

impl std::fmt::Debug for PcscCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscCard").field("reader", &self.reader).finish_non_exhaustive()
    }
}

impl PcscCard {
    /// Connects to the card on `reader`, or on the first reader holding one.
    pub fn connect(reader: Option<&str>) -> Result<PcscCard, ReadError> {
        let ctx = context()?;
        let names = match ctx.list_readers_owned() {
            Ok(names) if !names.is_empty() => names,
            Ok(_) | Err(pcsc::Error::NoReadersAvailable) => return Err(ReadError::NoReader),
            Err(e) => return Err(ReadError::Reader(e.to_string())),
        };
        let wanted: Vec<&CString> = match reader {
            Some(wanted) => {
                let found: Vec<&CString> =
                    names.iter().filter(|n| n.to_string_lossy() == wanted).collect();
                if found.is_empty() {
                    return Err(ReadError::NoReader);
                }
                found
            }
            None => names.iter().collect(),
        };
        for name in wanted {
            // A warm reset: a chip left mid-session by an earlier reading starts clean.
            let connected = connect_to(&ctx, name).and_then(|mut card| {
                card.reconnect(
                    pcsc::ShareMode::Shared,
                    pcsc::Protocols::ANY,
                    pcsc::Disposition::ResetCard,
                )?;
                Ok(card)
            });
            match connected {
                Ok(card) => {
                    let atr = card
                        .status2_owned()
                        .map(|status| status.atr().to_vec())
                        .or_else(|_| card.get_attribute_owned(pcsc::Attribute::AtrString))
                        .unwrap_or_default();
                    let reader = name.to_string_lossy().into_owned();
                    return Ok(PcscCard { card, atr, reader });
                }
                // No card, or one being taken off or put on as we look: not a reader failure.
                Err(
                    pcsc::Error::NoSmartcard
                    | pcsc::Error::RemovedCard
                    | pcsc::Error::UnresponsiveCard
                    | pcsc::Error::UnpoweredCard
                    | pcsc::Error::ResetCard,
                ) => {}
                Err(e) => return Err(ReadError::Reader(e.to_string())),
            }
        }
        Err(ReadError::NoCard)
    }

    pub fn reader(&self) -> &str {
        &self.reader
    }

    pub fn atr(&self) -> &[u8] {
        &self.atr
    }
}

impl Transport for PcscCard {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, ReadError> {
        let mut buffer = vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        match self.card.transmit(apdu, &mut buffer) {
            Ok(answer) => Ok(answer.to_vec()),
            Err(pcsc::Error::RemovedCard | pcsc::Error::NoSmartcard) => Err(ReadError::NoCard),
            Err(e) => Err(ReadError::Reader(e.to_string())),
        }
    }

    fn extended_length(&self) -> bool {
        atr_extended_length(&self.atr)
    }
}
