//! The data directory holds the store (personal data, the clerks' password hashes), the print
//! spool (PDFs of forms), the office's keys and the logs: only the account the kiosk runs as
//! may read it. New files are made private by the process's umask; what an older kiosk left
//! readable is closed on start.
//!
//! Only what the kiosk itself keeps there is touched: `--data-dir` can be mistyped (`~`, `.`),
//! and a command must never change the permissions of a home or project folder.

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use nix::sys::stat::{Mode, umask};

/// The files the kiosk keeps at the top of its data directory (with SQLite's journals).
const FILES: &[&str] = &[
    "kiosk.db",
    "kiosk.db-wal",
    "kiosk.db-shm",
    "spool.db",
    "spool.db-wal",
    "spool.db-shm",
    "sync.sqlite",
    "sync.sqlite-wal",
    "sync.sqlite-shm",
    "kiosk.toml",
];

/// The folders the kiosk keeps there; everything in them is the kiosk's.
const FOLDERS: &[&str] = &["logs", "keys", "ca", "csca"];

/// From now on, everything this process creates (SQLite files and their journals, logs, keys)
/// is readable and writable by its owner only. Files meant to be handed out (a CRL, a CSR) are
/// given their public mode where they are written.
pub fn restrict_new_files() {
    umask(Mode::from_bits_truncate(0o077));
}

/// Creates the data directory (and missing parents) if needed: private, by the umask.
pub fn create(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Takes group and other access away from a kiosk data directory an older kiosk (or a copy)
/// left open, and from what the kiosk keeps in it. A folder that holds no store is not a kiosk
/// data directory (yet): it is left alone. The directory may be a link to the real one (a
/// data disk); links inside it are not followed.
pub fn secure_existing(dir: &Path) -> io::Result<()> {
    let holds_a_store = ["kiosk.db", "spool.db"]
        .iter()
        .any(|name| std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file()));
    if !holds_a_store {
        return Ok(());
    }
    let meta = std::fs::metadata(dir)?;
    // A shared folder such as /tmp (sticky, open to all) is never made private: it is not ours.
    if meta.permissions().mode() & 0o1000 == 0 {
        tighten(dir, &meta)?;
    }
    for name in FILES {
        let path = dir.join(name);
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && meta.is_file()
        {
            tighten(&path, &meta)?;
        }
    }
    for name in FOLDERS {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            secure_tree(&path)?;
        }
    }
    Ok(())
}

fn secure_tree(dir: &Path) -> io::Result<()> {
    tighten(dir, &std::fs::symlink_metadata(dir)?)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            secure_tree(&entry.path())?;
        } else if meta.is_file() {
            tighten(&entry.path(), &meta)?;
        }
    }
    Ok(())
}

/// Clears the group and other bits, keeping the owner's (0644 becomes 0600, 0755 0700). A mode
/// already private is left untouched: no write where none is needed.
fn tighten(path: &Path, meta: &std::fs::Metadata) -> io::Result<()> {
    let mode = meta.permissions().mode();
    if mode & 0o077 == 0 {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & !0o077))
}
