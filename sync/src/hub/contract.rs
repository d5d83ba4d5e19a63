//! What every hub [`Database`] must do, as tests any database runs: the sync crate's own tests
//! run them on SQLite, the end-to-end suite on a real PostgreSQL. Each takes `open`, which
//! opens one database (fresh for the test) each time it is called: two calls are two hub
//! processes sharing it.

use automerge::{AutoCommit, ReadDoc};

use super::db::{Database, DbError};
use super::{Docs, Peer, Refused, audit_verify, ingest};
use crate::journal::{Entry, Journal, tests_support};
use crate::signing::{ChainHead, DeviceKey};
use crate::wire::{CENTRAL, DocName};

pub type Open<'a> = &'a dyn Fn() -> Box<dyn Database>;

/// One hub process: its database connection and the documents it holds.
#[allow(missing_debug_implementations)]
pub struct Hub {
    pub db: Box<dyn Database>,
    pub docs: Docs,
}

impl Hub {
    pub fn new(open: Open<'_>) -> Hub {
        Hub { db: open(), docs: Docs::default() }
    }

    pub fn doc(&mut self, name: &DocName) -> AutoCommit {
        self.docs.get(self.db.as_mut(), name.as_str()).expect("the hub's document").clone()
    }

    pub fn export(&mut self, office: &str) -> String {
        let mut out = Vec::new();
        self.db.export(office, &mut out).expect("export");
        String::from_utf8(out).expect("UTF-8")
    }

    pub fn events(&mut self) -> u64 {
        self.db.event_count().expect("count")
    }
}

/// A kiosk as far as the hub sees one: a device key, a chain, and its office's journal of a day.
#[allow(missing_debug_implementations)]
pub struct Kiosk {
    pub office: String,
    pub kiosk: String,
    pub key: DeviceKey,
    pub head: ChainHead,
    pub journal: Journal,
    pub name: DocName,
}

impl Kiosk {
    pub fn new(office: &str, kiosk: &str) -> Kiosk {
        let period = "2026-11-30";
        Kiosk {
            office: office.into(),
            kiosk: kiosk.into(),
            key: crate::signing::tests_support::device_key(),
            head: ChainHead::default(),
            journal: Journal::new(office, period, kiosk.as_bytes()).expect("journal"),
            name: DocName::journal(office, period).expect("name"),
        }
    }

    /// This kiosk as another process holding its key, chain head and a copy of its journal
    /// (written from now on as automerge actor `actor`): what a forger with the device's key has.
    pub fn twin(&self, actor: &[u8]) -> Kiosk {
        Kiosk {
            key: self.key.clone(),
            head: self.head.clone(),
            journal: Journal::load(&self.journal.doc().clone().save(), actor).expect("load"),
            ..Kiosk::new(&self.office, &self.kiosk)
        }
    }

    pub fn peer(&self) -> Peer {
        Peer {
            office: self.office.clone(),
            kiosk: self.kiosk.clone(),
            public_key: self.key.public_key().to_vec(),
        }
    }

    /// A signed entry, the next of this kiosk's chain, not yet in the journal.
    pub fn sign(&mut self, n: u64) -> Entry {
        let mut entry = tests_support::entry(&self.kiosk, n);
        self.head = self.key.sign(&self.office, &mut entry, &self.head).expect("sign");
        entry
    }

    /// Signs into the journal an event of `kind` setting `changes` on record `id`.
    pub fn write_record(
        &mut self,
        kind: registry::model::RecordKind,
        id: ulid::Ulid,
        changes: serde_json::Value,
    ) -> Entry {
        let mut event = tests_support::event(&self.kiosk, self.head.seq + 1);
        event.record_kind = kind;
        event.record_id = id;
        event.changes = match changes {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let mut entry = Entry::of_event(&event).expect("entry");
        self.head = self.key.sign(&self.office, &mut entry, &self.head).expect("sign");
        self.journal.append(std::slice::from_ref(&entry)).expect("append");
        entry
    }

    /// Signs `count` entries into the journal.
    pub fn write(&mut self, count: u64) -> Vec<Entry> {
        let entries: Vec<Entry> = (0..count).map(|n| self.sign(n)).collect();
        self.journal.append(&entries).expect("append");
        entries
    }

    /// What one message from this kiosk does at `hub`: its journal's changes the hub lacks,
    /// then the hub's check. A refused message leaves the hub's copy as its database holds it.
    pub fn send(&mut self, hub: &mut Hub) -> Result<usize, Refused> {
        self.send_doc(hub, &self.name.clone(), None)
    }

    /// What the hub's server does when the kiosk connects: its device noted. Answers its identity.
    pub fn enrol(&self, hub: &mut Hub) -> Peer {
        let peer = self.peer();
        hub.db
            .note_device(&super::db::Device {
                kiosk: peer.kiosk.clone(),
                office: peer.office.clone(),
                public_key: peer.public_key.clone(),
                certificate: Vec::new(),
            })
            .expect("note device");
        peer
    }

    pub fn send_doc(
        &mut self,
        hub: &mut Hub,
        name: &DocName,
        doc: Option<&mut AutoCommit>,
    ) -> Result<usize, Refused> {
        let peer = self.enrol(hub);
        let theirs = hub.docs.get(hub.db.as_mut(), name.as_str()).expect("hub doc");
        let before = theirs.get_heads();
        let ours = match doc {
            Some(doc) => doc,
            None => self.journal.doc_mut(),
        };
        theirs.merge(ours).expect("merge");
        match ingest(hub.db.as_mut(), &mut hub.docs, &peer, name, &before, None) {
            Ok(done) => Ok(done.entries),
            Err(refused) => {
                hub.docs.forget(name.as_str());
                Err(refused)
            }
        }
    }
}

/// Entries a kiosk signed are kept, folded into records, exported in the office's export only,
/// and sent again change nothing; a second hub process reads what the first wrote.
pub fn keeps_projects_and_shares(open: Open<'_>) {
    let mut hub = Hub::new(open);
    let mut k1 = Kiosk::new("MO01", "K1");
    let mut k2 = Kiosk::new("GD01", "K2");
    let written = k1.write(3);
    k2.write(2);
    assert_eq!(k1.send(&mut hub), Ok(3));
    assert_eq!(k2.send(&mut hub), Ok(2));
    assert_eq!(k1.send(&mut hub), Ok(0), "nothing new the second time");
    assert_eq!(hub.events(), 5);
    let mo = hub.export("MO01");
    assert_eq!(mo.lines().count(), 3, "{mo}");
    assert!(mo.lines().all(|l| l.starts_with("{\"kind\":\"person\",\"id\":")), "{mo}");
    assert_eq!(hub.export("GD01").lines().count(), 2);
    assert_eq!(hub.export("XX01"), "");
    // Records are folded behind ingest, by whichever process sharing the database projects
    // first, and once; a query of records projects first.
    let mut other = Hub::new(open);
    assert_eq!(other.db.project().expect("project"), 5);
    assert_eq!(hub.db.project().expect("project"), 0);
    let person = &written[0];
    let state = hub.db.record_state("person", &person.record_id).expect("state");
    assert!(state.is_some_and(|s| s.starts_with('{')), "{person:?}");
    // Another process on the same database: the same documents, and it continues the chain.
    assert_eq!(other.doc(&k1.name).get_heads(), k1.journal.doc_mut().get_heads());
    k1.write(1);
    assert_eq!(k1.send(&mut other), Ok(1));
    // The first process catches up on the chunk the second wrote before its own next write.
    assert_eq!(hub.doc(&k1.name).get_heads(), k1.journal.doc_mut().get_heads());
    k1.write(1);
    assert_eq!(k1.send(&mut hub), Ok(1));
    assert_eq!(audit_verify(hub.db.as_mut()).expect("verify"), Ok(6 + 1));
}

fn refused(result: Result<usize, Refused>) -> String {
    match result {
        Err(r) => r.code,
        Ok(n) => panic!("accepted {n} entries that should have been refused"),
    }
}

/// Each way a kiosk's message can be wrong is refused with its code, and nothing of it is kept:
/// not its entries, not its changes to the document.
pub fn refuses_and_keeps_nothing(open: Open<'_>) {
    let mut hub = Hub::new(open);
    let mut k1 = Kiosk::new("MO01", "K1");
    k1.write(2);
    assert_eq!(k1.send(&mut hub), Ok(2));
    let heads = hub.doc(&k1.name).get_heads();
    let unchanged = |hub: &mut Hub, k1: &Kiosk| {
        assert_eq!(hub.events(), 2);
        assert_eq!(hub.doc(&k1.name).get_heads(), heads, "the refused changes are not kept");
    };

    // Another office's journal.
    let mut stranger = Kiosk::new("GD01", "K9");
    stranger.write(1);
    let gd_name = stranger.name.clone();
    let mut doc = stranger.journal.doc().clone();
    assert_eq!(refused(k1.send_doc(&mut hub, &gd_name, Some(&mut doc))), "wrong-office");

    // An entry naming another kiosk of the office, signed by this one.
    let mut fork = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1b").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    fork.key = k1.key.clone();
    fork.head = k1.head.clone();
    let mut forged = tests_support::entry("K7", 9);
    fork.head = fork.key.sign("MO01", &mut forged, &fork.head).expect("sign");
    fork.journal.append(&[forged]).expect("append");
    assert_eq!(refused(fork.send(&mut hub)), "not-your-event");
    unchanged(&mut hub, &k1);

    // A forged signature: the changes altered after signing.
    let mut forger = k1.twin(b"K1c");
    let mut altered = forger.sign(5);
    altered.changes = altered.changes.replace('陳', "李");
    forger.journal.append(&[altered]).expect("append");
    assert_eq!(refused(forger.send(&mut hub)), "bad-signature");
    unchanged(&mut hub, &k1);

    // A forged entry before an honest one in one message: the chain breaks at the honest one,
    // and the forged one is named.
    let mut middle = k1.twin(b"K1l");
    let mut first = middle.sign(6);
    first.changes = first.changes.replace('陳', "李");
    let second = middle.sign(7);
    middle.journal.append(&[first.clone(), second]).expect("append");
    match middle.send(&mut hub) {
        Err(r) => {
            assert_eq!(r.code, "bad-signature");
            assert!(r.detail.contains(&first.event_id), "{}", r.detail);
        }
        Ok(n) => panic!("accepted {n}"),
    }
    unchanged(&mut hub, &k1);

    // Signed by another device key than the certificate's.
    let mut impostor = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1d").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    impostor.head = k1.head.clone();
    let _ = impostor.write(1);
    impostor.key = k1.key.clone(); // the hub checks against K1's real key
    assert_eq!(refused(impostor.send(&mut hub)), "bad-signature");
    unchanged(&mut hub, &k1);

    // Re-ordered: the third and fourth entries sent, the third left out.
    let mut skipper = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1e").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    skipper.key = k1.key.clone();
    skipper.head = k1.head.clone();
    let _third = skipper.sign(3);
    let fourth = skipper.sign(4);
    skipper.journal.append(&[fourth]).expect("append");
    assert_eq!(refused(skipper.send(&mut hub)), "out-of-chain");
    unchanged(&mut hub, &k1);

    // An entry the hub has, rewritten.
    let mut rewriter = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1f").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    let first = rewriter.journal.entries().expect("entries").entries[0].clone();
    {
        use automerge::transaction::Transactable;
        let doc = rewriter.journal.doc_mut();
        let (_, events) = doc.get(automerge::ROOT, "events").expect("get").expect("events");
        let (_, entry) = doc.get(&events, first.event_id.as_str()).expect("get").expect("entry");
        doc.put(&entry, "changes", "{\"name_zh\":\"改\"}").expect("put");
        doc.commit();
    }
    assert_eq!(refused(rewriter.send(&mut hub)), "rewrites-event");
    unchanged(&mut hub, &k1);

    // An entry deleted.
    let mut deleter = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1g").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    {
        use automerge::transaction::Transactable;
        let doc = deleter.journal.doc_mut();
        let (_, events) = doc.get(automerge::ROOT, "events").expect("get").expect("events");
        doc.delete(&events, first.event_id.as_str()).expect("delete");
        doc.commit();
    }
    assert_eq!(refused(deleter.send(&mut hub)), "removes-event");
    unchanged(&mut hub, &k1);

    // The entries map replaced by an empty one: every entry would vanish for everyone.
    let mut wiper = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1h").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    {
        use automerge::transaction::Transactable;
        let doc = wiper.journal.doc_mut();
        doc.put_object(automerge::ROOT, "events", automerge::ObjType::Map).expect("put");
        doc.commit();
    }
    assert_eq!(refused(wiper.send(&mut hub)), "bad-document");
    unchanged(&mut hub, &k1);

    // The journal's period changed.
    let mut mover = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1i").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    {
        use automerge::transaction::Transactable;
        let doc = mover.journal.doc_mut();
        doc.put(automerge::ROOT, "period", "2026-12-01").expect("put");
        doc.commit();
    }
    assert_eq!(refused(mover.send(&mut hub)), "bad-document");
    unchanged(&mut hub, &k1);

    // A journal that does not begin with the common first change.
    let mut stray = AutoCommit::new();
    {
        use automerge::transaction::Transactable;
        stray.put(automerge::ROOT, "format", 1_u64).expect("put");
        stray.put(automerge::ROOT, "office", "MO01").expect("put");
        stray.put(automerge::ROOT, "period", "2026-12-02").expect("put");
        stray.put_object(automerge::ROOT, "events", automerge::ObjType::Map).expect("put");
        stray.commit();
    }
    let stray_name = DocName::journal("MO01", "2026-12-02").expect("name");
    assert_eq!(refused(k1.send_doc(&mut hub, &stray_name, Some(&mut stray))), "bad-document");

    // A period taken off the office's list of journals.
    let manifest_name = DocName::manifest("MO01").expect("name");
    let mut manifest = crate::manifest::Manifest::new("MO01", b"K1").expect("manifest");
    manifest.open("2026-11-30").expect("open");
    assert_eq!(k1.send_doc(&mut hub, &manifest_name, Some(manifest.doc_mut())), Ok(0));
    {
        use automerge::transaction::Transactable;
        let doc = manifest.doc_mut();
        let (_, journals) = doc.get(automerge::ROOT, "journals").expect("get").expect("journals");
        doc.delete(&journals, "2026-11-30").expect("delete");
        doc.commit();
    }
    assert_eq!(
        refused(k1.send_doc(&mut hub, &manifest_name, Some(manifest.doc_mut()))),
        "bad-document"
    );

    // Entries every kiosk would refuse, signed as they should be: a field named kind, another
    // record's id, a clock days ahead.
    for (changes, code) in [
        (serde_json::json!({"kind": "person", "name_zh": "陳"}), "bad-event"),
        (serde_json::json!({"id": ulid::Ulid::new().to_string()}), "bad-event"),
    ] {
        let mut odd = Kiosk {
            journal: Journal::load(&k1.journal.doc().clone().save(), b"K1j").expect("load"),
            ..Kiosk::new("MO01", "K1")
        };
        odd.key = k1.key.clone();
        odd.head = k1.head.clone();
        odd.write_record(registry::model::RecordKind::Person, ulid::Ulid::new(), changes);
        assert_eq!(refused(odd.send(&mut hub)), code);
        unchanged(&mut hub, &k1);
    }
    let mut ahead = Kiosk {
        journal: Journal::load(&k1.journal.doc().clone().save(), b"K1k").expect("load"),
        ..Kiosk::new("MO01", "K1")
    };
    ahead.key = k1.key.clone();
    ahead.head = k1.head.clone();
    let mut event = tests_support::event("K1", 0);
    event.hlc.wall_ms =
        u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).expect("now") * 1000
            + 3 * 86_400_000;
    let mut entry = Entry::of_event(&event).expect("entry");
    ahead.head = ahead.key.sign("MO01", &mut entry, &ahead.head).expect("sign");
    ahead.journal.append(&[entry]).expect("append");
    assert_eq!(refused(ahead.send(&mut hub)), "clock-ahead");
    unchanged(&mut hub, &k1);

    // The central registry's journal.
    let central = DocName::journal(CENTRAL, "2026-11-30").expect("name");
    let mut doc = Journal::new(CENTRAL, "2026-11-30", b"K1").expect("journal").doc().clone();
    assert_eq!(refused(k1.send_doc(&mut hub, &central, Some(&mut doc))), "central-read-only");

    // And the kiosk's honest next entries are still taken.
    k1.write(1);
    assert_eq!(k1.send(&mut hub), Ok(1));
}

/// Two hub processes given the same message keep it once; and a commit whose chain head
/// another process moved since it was read is refused whole ([`DbError::Raced`]: the kiosk is
/// told `busy` and comes back).
pub fn two_hub_processes_keep_a_message_once(open: Open<'_>) {
    let mut a = Hub::new(open);
    let mut b = Hub::new(open);
    let mut k1 = Kiosk::new("MO01", "K1");
    k1.write(1);
    let name = k1.name.clone();
    let before_b = b.docs.get(b.db.as_mut(), name.as_str()).expect("doc").get_heads();
    b.docs
        .get(b.db.as_mut(), name.as_str())
        .expect("doc")
        .merge(k1.journal.doc_mut())
        .expect("merge");
    assert_eq!(k1.send(&mut a), Ok(1));
    let peer = k1.peer();
    // b's check reads the head a moved: the entry is known and unchanged, nothing more to keep.
    assert_eq!(
        ingest(b.db.as_mut(), &mut b.docs, &peer, &name, &before_b, None).map(|i| i.entries),
        Ok(0)
    );
    assert_eq!(a.events(), 1);
    assert_eq!(audit_verify(a.db.as_mut()).expect("verify"), Ok(1));

    // A commit made against the head as it was before a's: refused, nothing of it written.
    let mut next = k1.sign(1);
    let stale = super::db::HeadMove {
        kiosk: "K1".into(),
        from: ChainHead::default(),
        to: ChainHead { seq: 1, link: crate::signing::link("MO01", &next) },
    };
    next.seq = 1;
    let commit = super::db::Commit {
        doc: name.to_string(),
        chunk: Vec::new(),
        accepted: vec![super::db::Accepted {
            office: "MO01".into(),
            doc: name.to_string(),
            entry: next,
            link: String::new(),
        }],
        heads: vec![stale],
    };
    let chunks = b.db.chunks(name.as_str(), 0).expect("chunks").len();
    assert!(matches!(b.db.commit(&commit), Err(DbError::Raced { .. })));
    assert_eq!(b.events(), 1);
    assert_eq!(b.db.chunks(name.as_str(), 0).expect("chunks").len(), chunks);
}

/// Sync states and devices are kept per kiosk; many chunks are compacted into one save that
/// loads to the same document.
pub fn keeps_states_devices_and_compacts(open: Open<'_>) {
    let mut hub = Hub::new(open);
    hub.db.save_sync_state("K1", "MO01/manifest", b"state-1").expect("save");
    hub.db.save_sync_state("K1", "MO01/manifest", b"state-2").expect("save");
    assert_eq!(hub.db.sync_state("K1", "MO01/manifest").expect("read"), Some(b"state-2".to_vec()));
    assert_eq!(hub.db.sync_state("K2", "MO01/manifest").expect("read"), None);
    let device = super::db::Device {
        kiosk: "K5".into(),
        office: "MO01".into(),
        public_key: vec![4, 1, 2],
        certificate: vec![48, 1],
    };
    hub.db.note_device(&device).expect("note");
    assert_eq!(hub.db.device("K5").expect("read"), Some(device));
    let mut k1 = Kiosk::new("MO01", "K1");
    for _ in 0..70 {
        k1.write(1);
        k1.send(&mut hub).expect("kept");
    }
    let chunks = hub.db.chunks(k1.name.as_str(), 0).expect("chunks").len();
    assert!(chunks < 70, "compacted: {chunks} chunks");
    let mut fresh = Hub::new(open);
    assert_eq!(fresh.doc(&k1.name).get_heads(), k1.journal.doc_mut().get_heads());
    assert_eq!(fresh.events(), 70);
    assert_eq!(audit_verify(fresh.db.as_mut()).expect("verify"), Ok(70));
}

/// The hub closes an office's journals some days after their own at the heads it holds (so
/// kiosks stop offering them), and closes one again when late entries reach it.
pub fn closes_old_journals_and_recloses_late_ones(open: Open<'_>) {
    let mut hub = Hub::new(open);
    let mut k1 = Kiosk::new("MO01", "K1");
    let manifest_name = DocName::manifest("MO01").expect("name");
    let mut manifest = crate::manifest::Manifest::new("MO01", b"K1").expect("manifest");
    manifest.open("2026-11-30").expect("open");
    assert_eq!(k1.send_doc(&mut hub, &manifest_name, Some(manifest.doc_mut())), Ok(0));
    k1.write(2);
    assert_eq!(k1.send(&mut hub), Ok(2));
    let closed_at = |hub: &mut Hub| {
        let doc = hub.doc(&manifest_name);
        crate::manifest::Manifest::from_doc(doc)
            .expect("manifest")
            .closed("2026-11-30")
            .expect("read")
    };
    let day = |d: u8| time::Date::from_calendar_date(2026, time::Month::December, d).expect("date");
    assert_eq!(
        super::close_old_journals(hub.db.as_mut(), &mut hub.docs, "MO01", day(2)).expect("close"),
        0,
        "still open"
    );
    assert_eq!(closed_at(&mut hub), None);
    assert_eq!(
        super::close_old_journals(hub.db.as_mut(), &mut hub.docs, "MO01", day(3)).expect("close"),
        1
    );
    let mut heads = k1.journal.doc_mut().get_heads();
    heads.sort();
    assert_eq!(closed_at(&mut hub), Some(heads));
    assert_eq!(
        super::close_old_journals(hub.db.as_mut(), &mut hub.docs, "MO01", day(4)).expect("close"),
        0,
        "once"
    );
    // Another process sees the close; a late entry closes it again at the new heads.
    let mut other = Hub::new(open);
    k1.write(1);
    assert_eq!(k1.send(&mut other), Ok(1));
    let mut heads = k1.journal.doc_mut().get_heads();
    heads.sort();
    assert_eq!(closed_at(&mut other), Some(heads.clone()));
    assert_eq!(closed_at(&mut hub), Some(heads), "the first process reads it too");
}

/// Two offices' records with one token serial, or one identity document, are listed as
/// conflicts (the number masked), and no longer once one of them changes.
pub fn lists_conflicts_across_offices(open: Open<'_>) {
    use registry::model::RecordKind;
    use serde_json::json;
    let mut hub = Hub::new(open);
    let mut mo = Kiosk::new("MO01", "K1");
    let mut gd = Kiosk::new("GD01", "K2");
    let (t1, t2) = (ulid::Ulid::new(), ulid::Ulid::new());
    mo.write_record(RecordKind::Token, t1, json!({"id": t1.to_string(), "serial": "AB12"}));
    gd.write_record(RecordKind::Token, t2, json!({"id": t2.to_string(), "serial": "ab12"}));
    let document =
        |n: &str| json!({"kind": "passport", "number": n, "issuing_state": "CHN", "expiry": null});
    let (p1, p2) = (ulid::Ulid::new(), ulid::Ulid::new());
    mo.write_record(
        RecordKind::Person,
        p1,
        json!({"id": p1.to_string(), "id_document": document("E12345678")}),
    );
    gd.write_record(
        RecordKind::Person,
        p2,
        json!({"id": p2.to_string(), "id_document": document("e1234 5678")}),
    );
    mo.send(&mut hub).expect("kept");
    gd.send(&mut hub).expect("kept");
    let conflicts = hub.db.conflicts().expect("conflicts");
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, "id_number");
    assert_eq!(conflicts[0].key, "passport:*****5678");
    assert_eq!(conflicts[1].kind, "token_serial");
    assert_eq!(conflicts[1].key, "AB12");
    let offices: Vec<&str> = conflicts[1].records.iter().map(|(o, _, _)| o.as_str()).collect();
    assert_eq!(offices, ["GD01", "MO01"]);
    mo.write_record(RecordKind::Token, t1, json!({"serial": "ZZ99"}));
    mo.send(&mut hub).expect("kept");
    let conflicts = hub.db.conflicts().expect("conflicts");
    assert_eq!(conflicts.iter().map(|c| c.kind.as_str()).collect::<Vec<_>>(), ["id_number"]);
}

/// Every contract test, each on a database `fresh` opens (a new one per test).
pub fn all(fresh: &mut dyn FnMut() -> Box<dyn Fn() -> Box<dyn Database>>) {
    keeps_projects_and_shares(&*fresh());
    refuses_and_keeps_nothing(&*fresh());
    two_hub_processes_keep_a_message_once(&*fresh());
    keeps_states_devices_and_compacts(&*fresh());
    closes_old_journals_and_recloses_late_ones(&*fresh());
    lists_conflicts_across_offices(&*fresh());
}
