//! Several processes opening one new data directory at once (two counters' first start, the UI
//! and a command): every one of them opens the store, and they agree on one kiosk id.

use std::sync::{Arc, Barrier};

use store::{Store, StoreOptions};

#[test]
fn ten_handles_opening_one_new_store_at_once_all_open_with_one_kiosk_id() {
    // Each round is a new file; a race lost once in a while must still show up.
    for round in 0..5 {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kiosk.db");
        let start = Arc::new(Barrier::new(10));
        let handles: Vec<_> = (0..10)
            .map(|_| {
                let (path, start) = (path.clone(), Arc::clone(&start));
                std::thread::spawn(move || -> Result<String, String> {
                    start.wait();
                    let store =
                        Store::open(&path, StoreOptions::default()).map_err(|e| e.to_string())?;
                    Ok(store.kiosk_id().to_owned())
                })
            })
            .collect();
        let ids: Vec<String> = handles
            .into_iter()
            .map(|h| h.join().expect("thread").unwrap_or_else(|e| panic!("round {round}: {e}")))
            .collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "round {round}: {ids:?}");
        let store = Store::open(&path, StoreOptions::default()).expect("reopen");
        assert_eq!(store.kiosk_id(), ids[0], "the id every handle saw is the one remembered");
        assert!(store.verify().expect("verify").is_empty());
    }
}
