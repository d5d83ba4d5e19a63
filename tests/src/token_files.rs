//! Holding a SoftHSM2 token's own files, to stop a token operation of another process at a
//! known point (its login, its write-back) and let it go on later.

use std::path::Path;

/// A read lock on one of a SoftHSM2 token's files, as one more reader would hold it. SoftHSM2
/// takes a write lock on `token.object` to log a user in, and on `generation` to add an object
/// (after writing the object's file): holding one makes that step wait, and nothing else.
#[derive(Debug)]
pub struct TokenFileHeld {
    file: std::fs::File,
}

impl TokenFileHeld {
    pub fn on(path: &Path) -> TokenFileHeld {
        use nix::fcntl::{FcntlArg, fcntl};
        let file = std::fs::File::open(path).expect("token file");
        let lock = nix::libc::flock {
            l_type: nix::libc::F_RDLCK as i16,
            l_whence: nix::libc::SEEK_SET as i16,
            l_start: 0,
            l_len: 0,
            l_pid: 0,
        };
        fcntl(&file, FcntlArg::F_SETLK(&lock)).expect("read lock on the token file");
        TokenFileHeld { file }
    }

    /// Waits until `child` is blocked asking for a lock on this file (the kernel lists the
    /// waiters in /proc/locks), failing if it ends first.
    pub fn wait_for_waiter(&self, child: &mut std::process::Child) {
        use std::os::unix::fs::MetadataExt;
        let inode = format!(":{} ", self.file.metadata().expect("metadata").ino());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let locks = std::fs::read_to_string("/proc/locks").expect("/proc/locks");
            if locks.lines().any(|l| l.contains("->") && l.contains(&inode)) {
                return;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the kiosk ended ({status}) before it reached the held token file");
            }
            assert!(std::time::Instant::now() < deadline, "the kiosk never reached the lock");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}
