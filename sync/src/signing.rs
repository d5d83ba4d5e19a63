//! Each kiosk signs the journal entries it writes with its device key (the P-256 key of its
//! infrastructure certificate, `crate::pki`), as a chain: an entry's `seq` counts the kiosk's
//! journaled events from 1 and its `prev` is the [`link`] of the kiosk's entry before. The hub
//! and every counter can so tell an entry a kiosk did not write ([`verify`]), and one missing,
//! replayed or re-ordered ([`check_next`]), whoever relayed it: automerge moves entries between
//! peers, it does not vouch for them.
//!
//! What is signed is the entry's raw strings ([`signed_bytes`]), never a parse of them, so an
//! entry of a kind or format this build does not know is verified all the same.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_ASN1, ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair,
    UnparsedPublicKey,
};

use crate::journal::Entry;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    #[error("event {event_id} of kiosk {kiosk}: the signature does not match the entry")]
    BadSignature { event_id: String, kiosk: String },
    #[error(
        "event {event_id} of kiosk {kiosk}: expected the kiosk's entry {expected}, found {found}"
    )]
    OutOfChain { event_id: String, kiosk: String, expected: u64, found: u64 },
    #[error(
        "event {event_id} of kiosk {kiosk}: entry {seq} does not follow the kiosk's entry before"
    )]
    BrokenLink { event_id: String, kiosk: String, seq: u64 },
    #[error("event {event_id} of kiosk {kiosk} cannot be signed or checked: {why}")]
    Malformed { event_id: String, kiosk: String, why: String },
    #[error("device key: {0}")]
    Key(String),
}

fn malformed(entry: &Entry, why: impl Into<String>) -> SigningError {
    SigningError::Malformed {
        event_id: entry.event_id.clone(),
        kiosk: entry.kiosk.clone(),
        why: why.into(),
    }
}

/// What the kiosk's key signs: `"registry-event/1\n"` (the 1 is the entry's `v`, so a relay
/// cannot pass an event off as a newer format this build would keep unfolded), then `office`, `event_id`, `hlc`,
/// `kiosk`, `clerk` (or ""), `record_kind`, `record_id`, `seq` (decimal), `prev`, each followed
/// by `"\n"`, then the changes text as stored (no newline after it).
pub fn signed_bytes(office: &str, entry: &Entry) -> Vec<u8> {
    let domain = format!("registry-event/{}\n", entry.v);
    let seq = entry.seq.to_string();
    let fields = [
        office,
        entry.event_id.as_str(),
        entry.hlc.as_str(),
        entry.kiosk.as_str(),
        entry.clerk.as_deref().unwrap_or(""),
        entry.record_kind.as_str(),
        entry.record_id.as_str(),
        seq.as_str(),
        entry.prev.as_str(),
    ];
    let mut bytes = Vec::with_capacity(
        domain.len() + fields.iter().map(|f| f.len() + 1).sum::<usize>() + entry.changes.len(),
    );
    bytes.extend_from_slice(domain.as_bytes());
    for field in fields {
        bytes.extend_from_slice(field.as_bytes());
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(entry.changes.as_bytes());
    bytes
}

/// What the kiosk's next entry names as its `prev`: the lowercase hex SHA-256 of
/// `signed_bytes ++ "\n" ++ sig`, so the link binds the signature too.
pub fn link(office: &str, entry: &Entry) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(&signed_bytes(office, entry));
    ctx.update(b"\n");
    ctx.update(entry.sig.as_bytes());
    hex::encode(ctx.finish().as_ref())
}

/// Fields of [`signed_bytes`] end at a newline, so one holding a newline could be read as
/// another split of the same bytes; a clerk of "" signs as no clerk. Neither is ever signed or
/// accepted, which keeps one entry per signed text.
fn check_fields(office: &str, entry: &Entry) -> Result<(), SigningError> {
    let fields = [
        ("office", office),
        ("event_id", entry.event_id.as_str()),
        ("hlc", entry.hlc.as_str()),
        ("kiosk", entry.kiosk.as_str()),
        ("clerk", entry.clerk.as_deref().unwrap_or("")),
        ("record_kind", entry.record_kind.as_str()),
        ("record_id", entry.record_id.as_str()),
        ("prev", entry.prev.as_str()),
    ];
    for (name, value) in fields {
        if value.contains('\n') {
            return Err(malformed(entry, format!("{name} holds a newline")));
        }
    }
    if entry.clerk.as_deref() == Some("") {
        return Err(malformed(entry, "clerk is empty, not absent"));
    }
    Ok(())
}

/// The chain of one kiosk's entries so far: the last entry's `seq` and [`link`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainHead {
    /// 0 before the kiosk's first entry.
    pub seq: u64,
    /// "" before the kiosk's first entry.
    pub link: String,
}

/// A kiosk's device key: ECDSA P-256, from the PKCS#8 of its credentials. `Debug` shows the
/// public key only; a clone shares the one key.
#[derive(Clone)]
pub struct DeviceKey {
    pair: std::sync::Arc<EcdsaKeyPair>,
    rng: SystemRandom,
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let public = hex::encode(self.public_key());
        f.debug_struct("DeviceKey")
            .field("public_key", &public)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

impl DeviceKey {
    /// The key from its PKCS#8 DER (what `pki::Credentials` holds).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<DeviceKey, SigningError> {
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, der, &rng)
            .map_err(|e| SigningError::Key(format!("not a P-256 PKCS#8 key: {e}")))?;
        Ok(DeviceKey { pair: std::sync::Arc::new(pair), rng })
    }

    /// The public key as an uncompressed point (what [`verify`] takes).
    pub fn public_key(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    /// Fills `seq`, `prev` and `sig` of `entry` as the next link after `head` and returns the
    /// new head (which the caller keeps with the entry, in one transaction).
    pub fn sign(
        &self,
        office: &str,
        entry: &mut Entry,
        head: &ChainHead,
    ) -> Result<ChainHead, SigningError> {
        if (head.seq == 0) != head.link.is_empty() {
            return Err(malformed(entry, "chain head: a link without an entry, or none after one"));
        }
        entry.seq = head.seq.checked_add(1).ok_or_else(|| malformed(entry, "seq overflows"))?;
        entry.prev = head.link.clone();
        check_fields(office, entry)?;
        let signature = self
            .pair
            .sign(&self.rng, &signed_bytes(office, entry))
            .map_err(|_| SigningError::Key("signing failed".into()))?;
        entry.sig = BASE64.encode(signature.as_ref());
        Ok(ChainHead { seq: entry.seq, link: link(office, entry) })
    }
}

/// Checks one entry's signature against the device's public key (uncompressed point). Says
/// nothing of its place in the chain: [`check_next`] does.
pub fn verify(office: &str, entry: &Entry, public_key: &[u8]) -> Result<(), SigningError> {
    check_fields(office, entry)?;
    let sig = BASE64.decode(&entry.sig).map_err(|_| malformed(entry, "sig is not base64"))?;
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, public_key)
        .verify(&signed_bytes(office, entry), &sig)
        .map_err(|_| SigningError::BadSignature {
            event_id: entry.event_id.clone(),
            kiosk: entry.kiosk.clone(),
        })
}

/// Checks that `entry` is the next link after `head` (seq + 1 and prev == head.link) and
/// returns the head it makes. Verify its signature first ([`verify`]): the link binds it.
pub fn check_next(
    head: &ChainHead,
    office: &str,
    entry: &Entry,
) -> Result<ChainHead, SigningError> {
    check_next_linked(head, entry, link(office, entry))
}

/// [`check_next`] for an entry whose link the caller has already made (`link(office, entry)`).
pub fn check_next_linked(
    head: &ChainHead,
    entry: &Entry,
    link: String,
) -> Result<ChainHead, SigningError> {
    let expected = head.seq.checked_add(1).ok_or_else(|| malformed(entry, "seq overflows"))?;
    if entry.seq != expected {
        return Err(SigningError::OutOfChain {
            event_id: entry.event_id.clone(),
            kiosk: entry.kiosk.clone(),
            expected,
            found: entry.seq,
        });
    }
    if entry.prev != head.link {
        return Err(SigningError::BrokenLink {
            event_id: entry.event_id.clone(),
            kiosk: entry.kiosk.clone(),
            seq: entry.seq,
        });
    }
    Ok(ChainHead { seq: entry.seq, link })
}

#[cfg(any(test, feature = "test-support"))]
pub mod tests_support {
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair};

    use super::DeviceKey;

    /// A new device key, as `pki::Infra::enroll` would make.
    pub fn device_key() -> DeviceKey {
        let rng = SystemRandom::new();
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).expect("generate");
        DeviceKey::from_pkcs8_der(pkcs8.as_ref()).expect("key")
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::device_key;
    use super::*;
    use crate::journal::tests_support::entry;

    const OFFICE: &str = "MO01";

    /// `n` entries of kiosk K01, signed as one chain.
    fn chain(key: &DeviceKey, n: u64) -> Vec<Entry> {
        let mut head = ChainHead::default();
        (0..n)
            .map(|i| {
                let mut e = entry("K01", i);
                head = key.sign(OFFICE, &mut e, &head).expect("sign");
                e
            })
            .collect()
    }

    /// Checks a whole chain from its start, signatures and links.
    fn check_chain(entries: &[Entry], public_key: &[u8]) -> Result<ChainHead, SigningError> {
        let mut head = ChainHead::default();
        for e in entries {
            verify(OFFICE, e, public_key)?;
            head = check_next(&head, OFFICE, e)?;
        }
        Ok(head)
    }

    #[test]
    fn a_signed_chain_verifies_and_its_head_is_the_last_link() {
        let key = device_key();
        let entries = chain(&key, 4);
        assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
        assert_eq!(entries[0].prev, "");
        assert_eq!(entries[1].prev, link(OFFICE, &entries[0]));
        assert_eq!(entries[1].prev.len(), 64);
        assert!(entries[1].prev.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        let head = check_chain(&entries, key.public_key()).expect("verifies");
        assert_eq!(head, ChainHead { seq: 4, link: link(OFFICE, &entries[3]) });
        assert_eq!(key.public_key().len(), 65, "uncompressed point");
        assert_eq!(key.public_key()[0], 4);
    }

    #[test]
    fn signed_bytes_are_the_documented_layout() {
        let mut e = entry("K01", 1);
        e.seq = 12;
        e.prev = "ab".into();
        let clerk = e.clerk.clone().expect("clerk");
        let expected = format!(
            "registry-event/1\nMO01\n{}\n{}\nK01\n{clerk}\nperson\n{}\n12\nab\n{}",
            e.event_id, e.hlc, e.record_id, e.changes
        );
        assert_eq!(signed_bytes(OFFICE, &e), expected.as_bytes());
        e.clerk = None;
        let text = String::from_utf8(signed_bytes(OFFICE, &e)).expect("utf-8");
        assert!(text.contains("\nK01\n\nperson\n"), "no clerk signs as an empty line");
    }

    #[test]
    fn a_changed_byte_in_any_field_fails_with_bad_signature() {
        let key = device_key();
        let signed = chain(&key, 2).remove(1);
        let change = |f: fn(&mut Entry)| {
            let mut e = signed.clone();
            f(&mut e);
            assert_ne!(e, signed);
            e
        };
        /// One byte of the text changed, the rest kept.
        fn bump(s: &mut String) {
            let mut bytes = std::mem::take(s).into_bytes();
            bytes[0] ^= 1;
            *s = String::from_utf8(bytes).expect("ascii stays utf-8");
        }
        let forged = [
            change(|e| e.changes = e.changes.replacen('陳', "陣", 1)),
            change(|e| e.changes.push(' ')),
            change(|e| e.seq += 1),
            change(|e| bump(&mut e.prev)),
            change(|e| bump(&mut e.event_id)),
            change(|e| bump(&mut e.hlc)),
            change(|e| e.kiosk = "K02".into()),
            change(|e| e.clerk = None),
            change(|e| e.clerk.as_mut().map(bump).unwrap_or_default()),
            change(|e| e.record_kind = "organisation".into()),
            change(|e| bump(&mut e.record_id)),
            change(|e| e.v = 2),
        ];
        for e in &forged {
            let err = verify(OFFICE, e, key.public_key()).expect_err("forged");
            assert_eq!(
                err,
                SigningError::BadSignature { event_id: e.event_id.clone(), kiosk: e.kiosk.clone() }
            );
        }
        // Another office; a changed signature byte.
        assert!(matches!(
            verify("MO02", &signed, key.public_key()),
            Err(SigningError::BadSignature { .. })
        ));
        let mut sig = BASE64.decode(&signed.sig).expect("base64");
        let last = sig.len() - 1;
        sig[last] ^= 0x40;
        let bad_sig = Entry { sig: BASE64.encode(&sig), ..signed.clone() };
        assert!(matches!(
            verify(OFFICE, &bad_sig, key.public_key()),
            Err(SigningError::BadSignature { .. })
        ));
        verify(OFFICE, &signed, key.public_key()).expect("the original still verifies");
    }

    #[test]
    fn an_entry_signed_by_another_key_fails() {
        let (key, other) = (device_key(), device_key());
        let entries = chain(&other, 2);
        let err = check_chain(&entries, key.public_key()).expect_err("another key");
        assert!(matches!(err, SigningError::BadSignature { ref kiosk, .. } if kiosk == "K01"));
        assert!(err.to_string().contains(&entries[0].event_id), "{err}");
        assert!(matches!(
            verify(OFFICE, &entries[0], b"not a key"),
            Err(SigningError::BadSignature { .. })
        ));
    }

    #[test]
    fn re_ordered_skipped_and_forged_links_are_refused_naming_what_was_expected() {
        let key = device_key();
        let entries = chain(&key, 4);
        // Re-ordered: the second before the first.
        let swapped = [entries[1].clone(), entries[0].clone()];
        let err = check_chain(&swapped, key.public_key()).expect_err("re-ordered");
        assert_eq!(
            err,
            SigningError::OutOfChain {
                event_id: entries[1].event_id.clone(),
                kiosk: "K01".into(),
                expected: 1,
                found: 2
            }
        );
        assert!(err.to_string().contains("expected the kiosk's entry 1, found 2"), "{err}");
        // Skipped: the third right after the first.
        let skipped = [entries[0].clone(), entries[2].clone()];
        assert!(matches!(
            check_chain(&skipped, key.public_key()),
            Err(SigningError::OutOfChain { expected: 2, found: 3, .. })
        ));
        // Replayed: the first twice.
        let replayed = [entries[0].clone(), entries[0].clone()];
        assert!(matches!(
            check_chain(&replayed, key.public_key()),
            Err(SigningError::OutOfChain { expected: 2, found: 1, .. })
        ));
        // A forged prev, re-signed by the kiosk's own key (a validly signed entry that does
        // not follow the one before): the link catches it.
        let mut forged = entry("K01", 9);
        let fake_head = ChainHead { seq: 1, link: "00".repeat(32) };
        key.sign(OFFICE, &mut forged, &fake_head).expect("sign");
        verify(OFFICE, &forged, key.public_key()).expect("its signature is good");
        let head = check_next(&ChainHead::default(), OFFICE, &entries[0]).expect("first");
        assert_eq!(
            check_next(&head, OFFICE, &forged),
            Err(SigningError::BrokenLink {
                event_id: forged.event_id.clone(),
                kiosk: "K01".into(),
                seq: 2
            })
        );
        // A prev changed after signing fails the signature before the link.
        let mut relinked = entries[1].clone();
        relinked.prev = "00".repeat(32);
        assert!(matches!(
            verify(OFFICE, &relinked, key.public_key()),
            Err(SigningError::BadSignature { .. })
        ));
    }

    #[test]
    fn malformed_entries_keys_and_heads_are_named_not_signed() {
        let key = device_key();
        let mut newline = entry("K01", 1);
        newline.kiosk = "K01\nperson".into();
        let err = key.sign(OFFICE, &mut newline, &ChainHead::default()).expect_err("newline");
        assert!(
            matches!(&err, SigningError::Malformed { why, .. } if why == "kiosk holds a newline")
        );
        let mut empty_clerk = chain(&key, 1).remove(0);
        empty_clerk.clerk = Some(String::new());
        assert!(matches!(
            verify(OFFICE, &empty_clerk, key.public_key()),
            Err(SigningError::Malformed { .. })
        ));
        let not_base64 = Entry { sig: "***".into(), ..chain(&key, 1).remove(0) };
        assert!(matches!(
            verify(OFFICE, &not_base64, key.public_key()),
            Err(SigningError::Malformed { why, .. }) if why == "sig is not base64"
        ));
        let mut e = entry("K01", 1);
        let bad_head = ChainHead { seq: 3, link: String::new() };
        assert!(matches!(key.sign(OFFICE, &mut e, &bad_head), Err(SigningError::Malformed { .. })));
        let last = ChainHead { seq: u64::MAX, link: "00".into() };
        assert!(matches!(key.sign(OFFICE, &mut e, &last), Err(SigningError::Malformed { .. })));
        assert!(matches!(DeviceKey::from_pkcs8_der(b"not a key"), Err(SigningError::Key(_))));
    }

    #[test]
    fn debug_of_a_device_key_shows_only_its_public_key() {
        let rng = SystemRandom::new();
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).expect("generate");
        let key = DeviceKey::from_pkcs8_der(pkcs8.as_ref()).expect("key");
        let shown = format!("{key:?}");
        assert!(shown.contains("<redacted>"), "{shown}");
        // The private scalar's bytes (in the PKCS#8, after the curve's OIDs) appear nowhere.
        let der = pkcs8.as_ref();
        let private: String = der[36..68].iter().map(|b| format!("{b:02x}")).collect();
        assert!(!shown.contains(&private), "{shown}");
        assert!(shown.len() < 300);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Any mutation of a signed entry's bytes (a field, its seq or its signature) never
        /// verifies.
        #[test]
        fn random_mutations_of_a_signed_entry_never_verify(
            field in 0usize..11,
            at in proptest::prelude::any::<proptest::sample::Index>(),
            xor in 1u8..=255,
        ) {
            let key = KEY.with(|k| k.public_key().to_vec());
            let signed = SIGNED.with(Clone::clone);
            let mut e = signed.clone();
            let flip = |s: &mut String| {
                let mut bytes = std::mem::take(s).into_bytes();
                if bytes.is_empty() {
                    bytes.push(xor);
                } else {
                    let i = at.index(bytes.len());
                    bytes[i] ^= xor;
                }
                *s = String::from_utf8_lossy(&bytes).into_owned();
            };
            match field {
                0 => flip(&mut e.event_id),
                1 => flip(&mut e.hlc),
                2 => flip(&mut e.kiosk),
                3 => flip(e.clerk.get_or_insert_with(String::new)),
                4 => flip(&mut e.record_kind),
                5 => flip(&mut e.record_id),
                6 => flip(&mut e.changes),
                7 => e.seq ^= u64::from(xor),
                8 => flip(&mut e.prev),
                9 => e.v ^= u64::from(xor),
                _ => {
                    let mut sig = BASE64.decode(&signed.sig).expect("base64");
                    let i = at.index(sig.len());
                    sig[i] ^= xor;
                    e.sig = BASE64.encode(&sig);
                }
            }
            proptest::prop_assume!(e != signed);
            proptest::prop_assert!(verify(OFFICE, &e, &key).is_err());
        }
    }

    thread_local! {
        static KEY: DeviceKey = device_key();
        static SIGNED: Entry = KEY.with(|k| chain(k, 2).remove(1));
    }
}
