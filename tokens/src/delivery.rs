//! Issuances between the CA's signature and the holder's receipt, so that none is lost.
//!
//! Each issuance in progress holds a lock on a file named after its certificate's serial, in
//! `DATA_DIR/ca/issuing/`, from before the certificate is recorded until it is in force or
//! revoked. A file whose lock nobody holds is an issuance that stopped half-way: its process was
//! killed, or the revocation that had to follow a failure could not be recorded. The next token
//! operation that can write finishes it by revoking the certificate (`Counter::
//! finish_interrupted`). The kernel releases a lock when its process dies, so a kill -9 at any
//! point leaves either no record, a record on hold with its file here, or a finished issuance.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

const LOCK: &str = "lock";
const STARTING: &str = "starting";

/// The directory of issuances in progress.
#[derive(Debug, Clone)]
pub struct Deliveries {
    dir: PathBuf,
}

impl Deliveries {
    /// The issuances of the office CA whose configuration is in `data_dir`.
    pub fn at(data_dir: &Path) -> Deliveries {
        Deliveries { dir: crate::ca::ca_dir(data_dir).join("issuing") }
    }

    /// Starts the delivery of the certificate `serial`: its file is in place, locked by this
    /// process and on disk, before the certificate is recorded. The file is made under another
    /// name and renamed once locked, so no other process ever sees it unlocked while this one
    /// lives.
    pub(crate) fn begin(&self, serial: &str) -> std::io::Result<Delivery> {
        std::fs::create_dir_all(&self.dir)?;
        let starting = self.dir.join(format!("{serial}.{STARTING}"));
        let path = self.dir.join(format!("{serial}.{LOCK}"));
        // Between creating the file and locking it, another process clearing stale `starting`
        // files may take and remove it: then the rename finds nothing, and this starts over.
        let mut tries = 0;
        let file = loop {
            let file = OpenOptions::new().write(true).create_new(true).open(&starting)?;
            file.lock()?;
            match std::fs::rename(&starting, &path) {
                Ok(()) => break file,
                Err(e) if e.kind() == ErrorKind::NotFound && tries < 3 => tries += 1,
                Err(e) => return Err(e),
            }
        };
        // The entry must outlive a power cut as surely as the record the store commits next.
        File::open(&self.dir)?.sync_all()?;
        Ok(Delivery { serial: serial.to_owned(), path, _lock: file })
    }

    /// The deliveries no process is carrying on, each now locked by this one. Files left by a
    /// process that stopped before its file was in place are removed: nothing was recorded.
    pub(crate) fn interrupted(&self) -> std::io::Result<Vec<Delivery>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut found = Vec::new();
        for entry in entries {
            let path = entry?.path();
            let (Some(serial), Some(kind)) = (
                path.file_stem().and_then(|s| s.to_str()).map(str::to_owned),
                path.extension().and_then(|s| s.to_str()),
            ) else {
                continue;
            };
            let starting = match kind {
                LOCK => false,
                STARTING => true,
                _ => continue,
            };
            let file = match File::open(&path) {
                Ok(file) => file,
                // Finished by another process meanwhile.
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => continue,
                Err(TryLockError::Error(e)) => return Err(e),
            }
            let delivery = Delivery { serial, path, _lock: file };
            if starting {
                delivery.finish()?;
            } else {
                found.push(delivery);
            }
        }
        found.sort_by(|a, b| a.serial.cmp(&b.serial));
        Ok(found)
    }

    /// The serials of the interrupted deliveries, for a status line; nothing is changed.
    pub fn pending(&self) -> std::io::Result<Vec<String>> {
        Ok(self.interrupted()?.into_iter().map(|d| d.serial).collect())
    }
}

/// One delivery, its file locked by this process. Dropping it releases the lock and keeps the
/// file: the delivery is then interrupted, for the next run to finish.
#[derive(Debug)]
pub(crate) struct Delivery {
    serial: String,
    path: PathBuf,
    _lock: File,
}

impl Delivery {
    pub(crate) fn serial(&self) -> &str {
        &self.serial
    }

    /// The certificate is in force or revoked, or was never recorded: nothing is left to do.
    /// The file goes while still locked, so no other process can take it up meanwhile.
    pub(crate) fn finish(self) -> std::io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_in_progress_is_not_interrupted_and_a_dropped_one_is() {
        let dir = tempfile::tempdir().expect("tempdir");
        let deliveries = Deliveries::at(dir.path());
        assert!(deliveries.interrupted().expect("empty").is_empty());
        let carried = deliveries.begin("0a1b").expect("begin");
        let dropped = deliveries.begin("0c2d").expect("begin");
        drop(dropped);
        // Locks are per open file, so this process's own delivery in progress is left alone.
        assert_eq!(deliveries.pending().expect("pending"), ["0c2d"]);
        // Looking does not take it: it is still there to finish.
        let claimed = deliveries.interrupted().expect("interrupted");
        assert_eq!(claimed.iter().map(Delivery::serial).collect::<Vec<_>>(), ["0c2d"]);
        // While one process finishes it, no other takes it up.
        assert!(deliveries.interrupted().expect("again").is_empty());
        for delivery in claimed {
            delivery.finish().expect("finish");
        }
        carried.finish().expect("finish");
        assert!(deliveries.interrupted().expect("none left").is_empty());
        assert_eq!(std::fs::read_dir(&deliveries.dir).expect("dir").count(), 0);
    }

    #[test]
    fn a_file_left_before_it_was_in_place_is_cleared() {
        let dir = tempfile::tempdir().expect("tempdir");
        let deliveries = Deliveries::at(dir.path());
        std::fs::create_dir_all(&deliveries.dir).expect("dir");
        std::fs::write(deliveries.dir.join("0e3f.starting"), b"").expect("file");
        std::fs::write(deliveries.dir.join("notes.txt"), b"").expect("file");
        assert!(deliveries.interrupted().expect("interrupted").is_empty());
        assert!(!deliveries.dir.join("0e3f.starting").exists());
        assert!(deliveries.dir.join("notes.txt").exists(), "only its own files are touched");
    }
}
