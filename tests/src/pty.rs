//! A pseudo-terminal standing in for a serial device (the Mainland ID card reader): a simulator
//! serves its master side, the kiosk opens its slave side by path.
//!
//! Both sides are opened close-on-exec in the same call that opens them. A test binary runs its
//! tests on threads, and another test may start a process at any moment (pcscd, a `visit-op`):
//! one that inherited the slave side would keep it open for its whole life, so the master
//! never sees the device closed and the simulator waits for ever (`openpty` leaves both sides
//! inheritable).

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use nix::fcntl::OFlag;
use nix::pty::{grantpt, posix_openpt, ptsname_r, unlockpt};

#[derive(Debug)]
pub struct SerialPty {
    /// The simulator's side.
    pub master: File,
    /// The device the kiosk opens.
    pub path: PathBuf,
    /// Held open until the kiosk has opened it, so the master does not see a closed device
    /// before then.
    pub slave: File,
}

pub fn serial_pty() -> SerialPty {
    let master =
        posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC).expect("posix_openpt");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let path = PathBuf::from(ptsname_r(&master).expect("ptsname"));
    // std opens close-on-exec.
    let slave = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(nix::libc::O_NOCTTY)
        .open(&path)
        .expect("the slave side");
    SerialPty { master: File::from(std::os::fd::OwnedFd::from(master)), path, slave }
}
