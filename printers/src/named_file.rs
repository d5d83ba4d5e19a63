//! Writing a file to a path someone named (`kiosk print … --to-file`, a photo's `--out`, a CRL's
//! `--out`): whole or not at all, and only where a regular file is or none is. A FIFO, a device,
//! a directory or a file its mode makes read-only is refused and left as it was.
//!
//! The bytes are written to a temporary file beside the target, synced, then renamed over it: a
//! crash leaves the old file or the new one, never half of one. A file that was there keeps its
//! mode (and, when the process may, its owner and group). A new file is readable by its owner
//! only (forms and photos hold personal data), unless it is meant to be handed out (a CRL).

use std::fs::{File, Metadata, OpenOptions, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Why the file was not written. Paths are the ones the person gave.
#[derive(thiserror::Error)]
pub enum FileError {
    #[error("{path} is a FIFO, not a file")]
    Fifo { path: PathBuf },
    #[error("{path} is a device, not a file")]
    Device { path: PathBuf },
    #[error("{path} is a folder")]
    Directory { path: PathBuf },
    /// A socket, or a symbolic link that leads nowhere.
    #[error("{path} is not a regular file")]
    NotRegular { path: PathBuf },
    #[error("{path} is read-only")]
    ReadOnly { path: PathBuf },
    #[error("the folder {folder} of {path} does not exist")]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("{path} could not be written: {detail}")]
    Write { path: PathBuf, detail: String },
}

impl std::fmt::Debug for FileError {
    /// Paths are often named after the applicant: the kind of refusal only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message_id())
    }
}

impl FileError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "print-file-fifo",
        "print-file-device",
        "print-file-directory",
        "print-file-not-regular",
        "print-file-read-only",
        "print-file-no-folder",
        "print-file-failed",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            FileError::Fifo { .. } => "print-file-fifo",
            FileError::Device { .. } => "print-file-device",
            FileError::Directory { .. } => "print-file-directory",
            FileError::NotRegular { .. } => "print-file-not-regular",
            FileError::ReadOnly { .. } => "print-file-read-only",
            FileError::NoFolder { .. } => "print-file-no-folder",
            FileError::Write { .. } => "print-file-failed",
        }
    }

    /// `path` always; `folder` and `detail` where the message has them.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        let shown = |p: &Path| p.display().to_string();
        match self {
            FileError::Fifo { path }
            | FileError::Device { path }
            | FileError::Directory { path }
            | FileError::NotRegular { path }
            | FileError::ReadOnly { path } => vec![("path", shown(path))],
            FileError::NoFolder { path, folder } => {
                vec![("path", shown(path)), ("folder", shown(folder))]
            }
            FileError::Write { path, detail } => {
                vec![("path", shown(path)), ("detail", detail.clone())]
            }
        }
    }

    /// Whether the person asked for something the kiosk will not do (another path fixes it),
    /// as opposed to a write that failed (a full disk, an I/O error).
    pub fn is_refusal(&self) -> bool {
        !matches!(self, FileError::Write { .. })
    }
}

/// Who may read a file this writes where none was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewFile {
    /// Personal data (a form, a photo): 0600.
    OwnerOnly,
    /// Meant to be handed out (a CRL, a CSR, a CA chain): 0644.
    Readable,
}

/// Checks that `path` can take a file without replacing anything but a regular, writable file:
/// for a caller that must know before it does work it cannot undo (an issuance whose PKCS#12
/// file goes there).
pub fn check_target(path: &Path) -> Result<(), FileError> {
    existing_target(path).map(drop)
}

/// The regular file at `path` (its real path and metadata), or `None` where there is none.
fn existing_target(path: &Path) -> Result<Option<(PathBuf, Metadata)>, FileError> {
    let failed =
        |e: std::io::Error| FileError::Write { path: path.to_owned(), detail: e.to_string() };
    let no_folder = || FileError::NoFolder { path: path.to_owned(), folder: folder_of(path) };
    // `metadata` follows links: a link to a device is a device.
    let existing = match std::fs::metadata(path) {
        Ok(meta) => {
            refuse_unless_writable_file(path, &meta)?;
            let real = std::fs::canonicalize(path).map_err(failed)?;
            Some((real, meta))
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                // A link that leads nowhere: the rename would replace the link itself.
                return Err(FileError::NotRegular { path: path.to_owned() });
            }
            None
        }
        Err(e) if e.kind() == ErrorKind::NotADirectory => return Err(no_folder()),
        Err(e) => return Err(failed(e)),
    };
    let target = existing.as_ref().map_or_else(|| path.to_owned(), |(real, _)| real.clone());
    if !std::fs::metadata(folder_of(&target)).is_ok_and(|m| m.is_dir()) {
        return Err(no_folder());
    }
    Ok(existing)
}

/// Writes `bytes` to `path`: a new file (readable as `new` says), or in place of the regular
/// file there (through a symbolic link, the file it leads to is replaced and the link kept).
pub fn write_file(path: &Path, bytes: &[u8], new: NewFile) -> Result<(), FileError> {
    let failed =
        |e: std::io::Error| FileError::Write { path: path.to_owned(), detail: e.to_string() };
    let existing = existing_target(path)?;
    let (target, mode) = match &existing {
        Some((real, meta)) => (real.clone(), meta.mode() & 0o7777),
        None => (path.to_owned(), if new == NewFile::Readable { 0o644 } else { 0o600 }),
    };
    let folder = folder_of(&target);

    let mut part = tempfile::Builder::new()
        .prefix(".kiosk-")
        .suffix(".part")
        .tempfile_in(&folder)
        .map_err(failed)?;
    part.write_all(bytes).map_err(failed)?;
    if let Some((_, meta)) = &existing {
        // Root replacing someone's file gives it back to them; anyone else cannot, and the new
        // file is theirs, as after any editor's save. Owner first: chown clears set-id bits.
        let _ = std::os::unix::fs::fchown(part.as_file(), Some(meta.uid()), Some(meta.gid()));
    }
    part.as_file().set_permissions(Permissions::from_mode(mode)).map_err(failed)?;
    part.as_file().sync_all().map_err(failed)?;
    part.persist(&target).map_err(|e| failed(e.error))?;
    // The rename itself survives a power cut once the folder is synced.
    File::open(&folder).and_then(|dir| dir.sync_all()).map_err(failed)?;
    Ok(())
}

/// Refuses anything but a regular file the process may write.
fn refuse_unless_writable_file(path: &Path, meta: &Metadata) -> Result<(), FileError> {
    let path = path.to_owned();
    let kind = meta.file_type();
    if kind.is_fifo() {
        return Err(FileError::Fifo { path });
    }
    if kind.is_char_device() || kind.is_block_device() {
        return Err(FileError::Device { path });
    }
    if kind.is_dir() {
        return Err(FileError::Directory { path });
    }
    if !kind.is_file() {
        return Err(FileError::NotRegular { path });
    }
    // Root passes every permission check, so the mode is read here: a file nobody may write is
    // read-only to the kiosk too, whoever runs it.
    if meta.permissions().mode() & 0o222 == 0 {
        return Err(FileError::ReadOnly { path });
    }
    // For anyone else the system decides (owner, group, ACLs, a read-only mount): ask it.
    // Opening a regular file for writing, without truncating, changes nothing.
    match OpenOptions::new().write(true).open(&path) {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) =>
        {
            Err(FileError::ReadOnly { path })
        }
        Err(e) => Err(FileError::Write { path, detail: e.to_string() }),
    }
}

/// The folder a path is in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4 a form";

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("metadata").permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_file_is_whole_and_its_owners_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("form.pdf");
        write_file(&path, PDF, NewFile::OwnerOnly).expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), PDF);
        assert_eq!(mode(&path), 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn through_a_link_the_file_is_replaced_and_the_link_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.pdf");
        std::fs::write(&real, b"old").expect("write");
        std::fs::set_permissions(&real, Permissions::from_mode(0o664)).expect("chmod");
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_file(&link, PDF, NewFile::OwnerOnly).expect("written");
        assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        assert_eq!(std::fs::read(&real).expect("read"), PDF);
        assert_eq!(mode(&real), 0o664);
    }

    #[test]
    fn a_dangling_link_a_folder_and_a_file_inside_a_file_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dangling = dir.path().join("dangling.pdf");
        std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).expect("symlink");
        assert!(matches!(
            write_file(&dangling, PDF, NewFile::OwnerOnly),
            Err(FileError::NotRegular { .. })
        ));
        assert!(std::fs::symlink_metadata(&dangling).expect("link").file_type().is_symlink());
        assert!(matches!(
            write_file(dir.path(), PDF, NewFile::OwnerOnly),
            Err(FileError::Directory { .. })
        ));
        let file = dir.path().join("plain");
        std::fs::write(&file, b"x").expect("write");
        let err =
            write_file(&file.join("form.pdf"), PDF, NewFile::OwnerOnly).expect_err("not a folder");
        assert!(matches!(err, FileError::NoFolder { .. }), "{err}");
        let args = err.message_args();
        assert!(args.iter().any(|(k, v)| *k == "folder" && v.ends_with("plain")), "{args:?}");
    }
}
