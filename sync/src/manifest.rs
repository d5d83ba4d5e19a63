//! An office's manifest: the journals it has (one per period) and, for each closed one, the
//! heads it closed at, so that a closed journal is never synced again and a reconnect with
//! nothing new compares one small document. An automerge document too:
//!
//! ```text
//! { "format": 1, "office": "MO-01",
//!   "journals": { "2026-11-29": "<hash>,<hash>",   (closed at these heads, hex, sorted)
//!                 "2026-11-30": "" } }            (open)
//! ```
//!
//! As with journals, every counter makes the same first change for an office, so manifests
//! begun apart merge into one. A period's entry is a plain string, not an object of its own:
//! two counters listing one period at once would make two objects under one key, and the one
//! automerge shows would hide what was written in the other. Concurrent values of one entry are
//! all read: closed when any of them is, at the heads all of them name.

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ChangeHash, ObjId, ROOT, ReadDoc, Value};

use crate::journal::{JournalError, checked_map, genesis};

const GENESIS_ACTOR: &[u8] = b"registry-manifest-genesis";

/// Whether `shared` (the heads last shared with a peer) names every head a journal was closed
/// at: then the peer holds it whole, and neither side need offer it again (the kiosk's and the
/// hub's one rule).
pub fn covers(shared: &[ChangeHash], closed: &[ChangeHash]) -> bool {
    !closed.is_empty() && closed.iter().all(|h| shared.contains(h))
}

/// One journal as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub period: String,
    /// The heads it was closed at; `None` while it is open.
    pub closed: Option<Vec<ChangeHash>>,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    doc: AutoCommit,
    journals: ObjId,
}

impl Manifest {
    pub fn new(office: &str, actor: &[u8]) -> Result<Manifest, JournalError> {
        let doc = genesis(GENESIS_ACTOR, actor, "journals", |doc| doc.put(ROOT, "office", office))?;
        Manifest::from_doc(doc)
    }

    pub fn load(bytes: &[u8], actor: &[u8]) -> Result<Manifest, JournalError> {
        Manifest::from_doc(AutoCommit::load(bytes)?.with_actor(ActorId::from(actor)))
    }

    /// The office it lists journals of.
    pub fn office(&self) -> Option<String> {
        match self.doc.get(ROOT, "office").ok().flatten() {
            Some((Value::Scalar(s), _)) => s.as_str().map(str::to_owned),
            _ => None,
        }
    }

    /// A manifest from a document (one a sync filled), checked to be one.
    pub fn from_doc(doc: AutoCommit) -> Result<Manifest, JournalError> {
        let journals = checked_map(&doc, "journals")?;
        Ok(Manifest { doc, journals })
    }

    /// The document, for automerge's sync protocol and incremental saves.
    pub fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    /// The document, for automerge's sync protocol and incremental saves (which change it).
    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// Lists `period`'s journal, open, unless it is listed already.
    pub fn open(&mut self, period: &str) -> Result<(), JournalError> {
        if self.doc.get(&self.journals, period)?.is_none() {
            self.doc.put(&self.journals, period, "")?;
            self.doc.commit();
        }
        Ok(())
    }

    /// Closes `period`'s journal at `heads` (its final state). Closing a closed one keeps its
    /// heads; two counters closing at once at different heads keep the heads both saw (nothing
    /// either wrote is left out of what is synced).
    pub fn close(&mut self, period: &str, heads: &[ChangeHash]) -> Result<(), JournalError> {
        if self.closed(period)?.is_some() {
            return Ok(());
        }
        let mut hex: Vec<String> = heads.iter().map(ToString::to_string).collect();
        hex.sort();
        self.doc.put(&self.journals, period, hex.join(","))?;
        self.doc.commit();
        Ok(())
    }

    /// Closes `period`'s journal at `heads` even if it was closed before: the hub's answer to
    /// entries that reached a closed journal late (a counter offline when it closed), so that
    /// the heads every peer compares with include them and each peer fetches them once.
    pub fn reclose(&mut self, period: &str, heads: &[ChangeHash]) -> Result<(), JournalError> {
        let mut sorted = heads.to_vec();
        sorted.sort();
        if self.closed(period)?.as_deref() == Some(sorted.as_slice()) {
            return Ok(());
        }
        let hex: Vec<String> = sorted.iter().map(ToString::to_string).collect();
        self.doc.put(&self.journals, period, hex.join(","))?;
        self.doc.commit();
        Ok(())
    }

    /// The heads `period`'s journal was closed at, from every concurrent value of its entry;
    /// `None` while open or not listed.
    pub fn closed(&self, period: &str) -> Result<Option<Vec<ChangeHash>>, JournalError> {
        let mut closed: Option<Vec<ChangeHash>> = None;
        for (value, _) in self.doc.get_all(&self.journals, period)? {
            let Value::Scalar(scalar) = value else { continue };
            let Some(text) = scalar.as_str() else { continue };
            if text.is_empty() {
                continue;
            }
            let heads = closed.get_or_insert_with(Vec::new);
            for hash in text.split(',').filter_map(|h| h.parse::<ChangeHash>().ok()) {
                if !heads.contains(&hash) {
                    heads.push(hash);
                }
            }
        }
        if let Some(heads) = closed.as_mut() {
            heads.sort();
        }
        Ok(closed)
    }

    /// Every journal listed, by period.
    pub fn journals(&self) -> Result<Vec<Listed>, JournalError> {
        let periods: Vec<String> =
            self.doc.map_range(&self.journals, ..).map(|item| item.key.to_string()).collect();
        periods
            .into_iter()
            .map(|period| Ok(Listed { closed: self.closed(&period)?, period }))
            .collect()
    }

    pub fn merge(&mut self, other: &mut Manifest) -> Result<(), JournalError> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Journal;

    #[test]
    fn journals_listed_apart_merge_and_a_closed_one_keeps_its_heads() {
        let mut a = Manifest::new("MO-01", b"kiosk-a").expect("a");
        let mut b = Manifest::new("MO-01", b"kiosk-b").expect("b");
        a.open("2026-11-29").expect("open");
        b.open("2026-11-29").expect("open");
        b.open("2026-11-30").expect("open");
        let mut journal = Journal::new("MO-01", "2026-11-29", b"kiosk-a").expect("journal");
        let heads = journal.heads();
        a.close("2026-11-29", &heads).expect("close");
        a.close("2026-11-29", &[]).expect("closing again keeps the first heads");
        a.merge(&mut b).expect("merge");
        b.merge(&mut a).expect("merge back");
        let listed = a.journals().expect("list");
        assert_eq!(listed, b.journals().expect("list b"));
        assert_eq!(
            listed,
            vec![
                Listed { period: "2026-11-29".into(), closed: Some(heads) },
                Listed { period: "2026-11-30".into(), closed: None },
            ]
        );
        let bytes = a.save();
        let loaded = Manifest::load(&bytes, b"kiosk-c").expect("load");
        assert_eq!(loaded.journals().expect("list"), listed);
        let _ = journal.save();
    }

    #[test]
    fn two_counters_closing_at_once_keep_the_heads_both_saw() {
        let mut a = Manifest::new("MO-01", b"kiosk-a").expect("a");
        a.open("2026-11-29").expect("open");
        let mut b = a.clone();
        b.doc.set_actor(ActorId::from(b"kiosk-b".as_slice()));
        let mut ja = Journal::new("MO-01", "2026-11-29", b"kiosk-a").expect("journal a");
        let mut jb = Journal::new("MO-01", "2026-11-29", b"kiosk-b").expect("journal b");
        let entry = |kiosk: &str| crate::journal::tests_support::entry(kiosk, 1);
        ja.append(&[entry("K01")]).expect("append a");
        jb.append(&[entry("K02")]).expect("append b");
        a.close("2026-11-29", &ja.heads()).expect("close a");
        b.close("2026-11-29", &jb.heads()).expect("close b");
        a.merge(&mut b).expect("merge");
        let listed = a.journals().expect("list");
        let closed = listed[0].closed.clone().expect("closed");
        let mut both: Vec<ChangeHash> = ja.heads().into_iter().chain(jb.heads()).collect();
        both.sort();
        assert_eq!(closed, both);
    }
}
