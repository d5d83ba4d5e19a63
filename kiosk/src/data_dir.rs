//! The data directory holds the store (personal data, the clerks' password hashes), the print
//! spool (PDFs of forms), the office's keys and the logs: only the account the kiosk runs as
//! may read it. New files are made private by the process's umask; directories and files left
//! readable by an older kiosk are closed on start.

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use nix::sys::stat::{Mode, umask};

/// From now on, everything this process creates (SQLite files and their journals, logs, keys,
/// PDFs) is readable and writable by its owner only.
pub fn restrict_new_files() {
    umask(Mode::from_bits_truncate(0o077));
}

/// Creates the data directory (and missing parents) if needed, private.
pub fn create(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    tighten(dir)
}

/// Takes group and other access away from the data directory and everything in it, where an
/// older kiosk (or a copy) left it open. Links are not followed: they may point outside.
pub fn secure_existing(dir: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => secure_tree(dir),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn secure_tree(dir: &Path) -> io::Result<()> {
    tighten(dir)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            secure_tree(&entry.path())?;
        } else if kind.is_file() {
            tighten(&entry.path())?;
        }
    }
    Ok(())
}

/// Clears the group and other bits, keeping the owner's (0644 becomes 0600, 0755 0700). A mode
/// already private is left untouched: no write where none is needed.
fn tighten(path: &Path) -> io::Result<()> {
    let mode = std::fs::symlink_metadata(path)?.permissions().mode();
    if mode & 0o077 == 0 {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & !0o077))
}
