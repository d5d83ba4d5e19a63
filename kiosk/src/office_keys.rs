//! The office's secret keys in `DATA_DIR/keys/`: `form.key` signs the code on printed forms,
//! `pass.key` the appointment passes (QR codes) the booking system sends. Each is 32 random
//! bytes, owner-only, made on first use; every counter of an office holds a copy of the same
//! file, so any counter reads what another signed.
//!
//! The kiosk owns this, not the libraries that use the keys: `printers` and `card-readers` share
//! only the pure `registry` crate, which does no IO, so the kiosk loads a key and passes it in
//! (`FormCode::encode`, `AppointmentPass::parse` take the key as bytes).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rand::TryRngCore;

/// How many random bytes a new key holds, and the fewest a key file may hold.
pub const KEY_BYTES: usize = 32;

/// Which of the office's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeKey {
    /// Signs the QR code on printed forms (`printers::formcode`).
    Form,
    /// Signs appointment passes (`card_readers::qr::AppointmentPass`).
    Pass,
}

impl OfficeKey {
    pub fn file_name(self) -> &'static str {
        match self {
            OfficeKey::Form => "form.key",
            OfficeKey::Pass => "pass.key",
        }
    }

    /// Where the key lives in the data directory `data_dir`.
    pub fn path(self, data_dir: &Path) -> PathBuf {
        data_dir.join("keys").join(self.file_name())
    }
}

/// The office's `key`, made on first use: 32 random bytes from the operating system, in a file
/// only its owner may read. Race-safe: a new key is written whole under a name of its own, synced,
/// then linked into place, which fails if another process linked its key first; this process then
/// uses that one. A reader therefore never sees a key half-written, and all processes of a
/// directory end up with the same key.
pub fn load_or_create(data_dir: &Path, key: OfficeKey) -> io::Result<Vec<u8>> {
    let path = key.path(data_dir);
    if let Some(existing) = read_key(&path)? {
        return Ok(existing);
    }
    let dir = data_dir.join("keys");
    create_private_dir(&dir)?;
    let mut bytes = [0u8; KEY_BYTES];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| io::Error::other(format!("no system randomness: {e}")))?;
    let temporary = dir.join(format!(
        ".{}.{}.{:016x}",
        key.file_name(),
        std::process::id(),
        rand::rngs::OsRng.try_next_u64().unwrap_or_default()
    ));
    let linked = write_new(&temporary, &bytes).and_then(|()| std::fs::hard_link(&temporary, &path));
    // The temporary name goes whatever happened; the key, if linked, stays under its own name.
    let _ = std::fs::remove_file(&temporary);
    match linked {
        Ok(()) => {
            sync_dir(&dir)?;
            Ok(bytes.to_vec())
        }
        // Another process made it first: use theirs (whole, since it was linked once written).
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            read_key(&path)?.ok_or_else(|| io::Error::other(format!("{} vanished", path.display())))
        }
        Err(e) => Err(e),
    }
}

/// The key in `path`; `None` when there is no such file.
/// The office's `key` if this kiosk has it; never makes one (checking a pass must not mint a
/// key of its own).
pub fn load(data_dir: &Path, key: OfficeKey) -> io::Result<Option<Vec<u8>>> {
    read_key(&key.path(data_dir))
}

fn read_key(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(key) if key.len() >= KEY_BYTES => Ok(Some(key)),
        Ok(_) => Err(io::Error::other(format!("{} is too short to be a key", path.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Writes `bytes` to a file that must not exist yet, owner-only, and syncs it.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the new name in `dir` survive a power cut.
fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_is_made_once_kept_and_private() {
        let dir = tempfile::tempdir().expect("tempdir");
        let form = load_or_create(dir.path(), OfficeKey::Form).expect("form key");
        let pass = load_or_create(dir.path(), OfficeKey::Pass).expect("pass key");
        assert_eq!(form.len(), KEY_BYTES);
        assert_ne!(form, pass, "two keys, two secrets");
        assert_eq!(load_or_create(dir.path(), OfficeKey::Form).expect("again"), form);
        assert_eq!(std::fs::read(dir.path().join("keys/pass.key")).expect("file"), pass);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&dir.path().join("keys/pass.key")), 0o600);
            assert_eq!(mode(&dir.path().join("keys")), 0o700);
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("keys"))
            .expect("keys")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }

    #[test]
    fn processes_racing_for_a_new_key_all_get_the_same_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let keys: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| load_or_create(dir.path(), OfficeKey::Pass)))
                .collect();
            handles.into_iter().map(|h| h.join().expect("thread").expect("key")).collect()
        });
        assert!(keys.iter().all(|k| k == &keys[0] && k.len() == KEY_BYTES));
    }

    #[test]
    fn a_short_key_file_is_refused_not_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("keys")).expect("keys");
        std::fs::write(dir.path().join("keys/pass.key"), b"short").expect("write");
        assert!(load_or_create(dir.path(), OfficeKey::Pass).is_err());
        assert_eq!(std::fs::read(dir.path().join("keys/pass.key")).expect("file"), b"short");
    }
}
