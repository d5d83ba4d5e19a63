//! An automerge sync message a kiosk sends the hub for one of its journals: decoded, applied to
//! the hub's copy, then checked and kept or refused by `sync::hub::ingest` (on SQLite), as the
//! hub's session does. Every input starts from the same journal holding one signed entry.
#![no_main]
use std::sync::{Mutex, OnceLock};

use automerge::sync::{Message, State};
use libfuzzer_sys::fuzz_target;
use sync::hub::contract::{Hub, Kiosk};
use sync::hub::sqlite::SqliteDb;

struct Fixture {
    _dir: tempfile::TempDir,
    hub: Hub,
    kiosk: Kiosk,
}

fn fixture() -> &'static Mutex<Fixture> {
    static FIXTURE: OnceLock<Mutex<Fixture>> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("hub.sqlite");
        let open =
            move || Box::new(SqliteDb::open(&path).expect("open")) as Box<dyn sync::hub::Database>;
        let mut hub = Hub::new(&open);
        let mut kiosk = Kiosk::new("MO01", "K1");
        kiosk.write(1);
        kiosk.send(&mut hub).expect("the first entry is kept");
        Mutex::new(Fixture { _dir: dir, hub, kiosk })
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(message) = Message::decode(data) else { return };
    let Ok(mut guard) = fixture().lock() else { return };
    let Fixture { hub, kiosk, .. } = &mut *guard;
    let peer = kiosk.enrol(hub);
    let name = kiosk.name.clone();
    let Ok(doc) = hub.docs.get(hub.db.as_mut(), name.as_str()) else { return };
    let before = doc.get_heads();
    let (_, sent) = sync::session::receive(doc, &mut State::new(), message);
    if doc.get_heads() != before {
        let _ = sync::hub::ingest(
            hub.db.as_mut(),
            &mut hub.docs,
            &peer,
            &name,
            &before,
            sent.as_deref(),
        );
    }
    // The next input starts from the journal as the database holds it.
    hub.docs.forget(name.as_str());
});
