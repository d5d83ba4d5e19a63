//! SoftHSM2 as a stand-in for USB tokens and the CA's HSM, for tests and benchmarks (the
//! `test-support` feature: release builds leave it out). Each `SoftHsm` keeps its tokens in its
//! own directory; SoftHSM2 reads the directory from the file named by `SOFTHSM2_CONF`, which
//! must be set in the process that loads the module (before it loads it).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's SoftHSM2 module.
pub const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

#[derive(Debug, Clone)]
pub struct SoftHsm {
    pub conf: PathBuf,
    pub tokens: PathBuf,
}

impl SoftHsm {
    /// Writes a configuration for a token directory under `dir` (created if needed).
    pub fn create(dir: &Path) -> std::io::Result<SoftHsm> {
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens)?;
        let conf = dir.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )?;
        Ok(SoftHsm { conf, tokens })
    }

    /// The configuration named by `SOFTHSM2_CONF`, created (with its token directory beside
    /// it) when it does not exist yet.
    pub fn from_env() -> std::io::Result<SoftHsm> {
        let conf = std::env::var_os("SOFTHSM2_CONF").map(PathBuf::from).ok_or_else(|| {
            std::io::Error::other("SOFTHSM2_CONF is not set (see .cargo/config.toml)")
        })?;
        let dir = conf.parent().map(Path::to_owned).unwrap_or_default();
        if conf.exists() {
            Ok(SoftHsm { tokens: dir.join("tokens"), conf })
        } else {
            let made = SoftHsm::create(&dir)?;
            if made.conf != conf {
                std::fs::rename(&made.conf, &conf)?;
            }
            Ok(SoftHsm { conf, tokens: made.tokens })
        }
    }

    pub fn module() -> PathBuf {
        PathBuf::from(MODULE)
    }

    /// Initialises a new token in a free slot.
    pub fn init_token(&self, label: &str, so_pin: &str, pin: &str) -> std::io::Result<()> {
        let out = Command::new("softhsm2-util")
            .env("SOFTHSM2_CONF", &self.conf)
            .args(["--init-token", "--free", "--label", label, "--so-pin", so_pin, "--pin", pin])
            .output()
            .map_err(|e| {
                std::io::Error::other(format!(
                    "cannot run softhsm2-util ({e}): install softhsm2 (scripts/deps.sh test)"
                ))
            })?;
        if !out.status.success() {
            return Err(std::io::Error::other(format!(
                "softhsm2-util --init-token failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        Ok(())
    }

    /// The directory SoftHSM2 keeps the token with this serial in (the directory's name, a
    /// UUID, ends with the serial once its dashes are removed): for tests that reach into a
    /// token's files, e.g. to hold its locks or remove it mid-operation.
    pub fn token_dir(&self, serial: &str) -> std::io::Result<PathBuf> {
        for entry in std::fs::read_dir(&self.tokens)? {
            let dir = entry?.path();
            if dir
                .file_name()
                .is_some_and(|n| n.to_string_lossy().replace('-', "").ends_with(serial))
            {
                return Ok(dir);
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("no token with serial {serial}"),
        ))
    }

    /// Removes a token (its files), as if it were unplugged for good.
    pub fn delete_token(&self, label: &str) -> std::io::Result<()> {
        let out = Command::new("softhsm2-util")
            .env("SOFTHSM2_CONF", &self.conf)
            .args(["--delete-token", "--token", label])
            .output()?;
        if !out.status.success() {
            return Err(std::io::Error::other(String::from_utf8_lossy(&out.stderr).into_owned()));
        }
        Ok(())
    }
}
