//! The symmetric cryptography of BAC and 3DES secure messaging (ICAO 9303-11 §9.7): SHA-1 key
//! derivation, two-key 3DES in CBC mode with a zero IV, the ISO 9797-1 retail MAC (algorithm 3),
//! and ISO 7816-4 padding.

use des::cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use des::{Des, TdesEde2};
use sha1::{Digest, Sha1};

/// A 16-byte two-key 3DES key (K1 ‖ K2).
pub type Key = [u8; 16];

/// KDF(K_seed, c): SHA-1 of the seed and the counter, the first 16 bytes with DES parity.
pub fn derive_key(seed: &[u8], counter: u32) -> Key {
    let mut hasher = Sha1::new();
    hasher.update(seed);
    hasher.update(counter.to_be_bytes());
    let digest = hasher.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    for b in key.iter_mut() {
        // Odd parity in the lowest bit of each byte, as DES keys carry it.
        let ones = (*b & 0xfe).count_ones();
        *b = (*b & 0xfe) | u8::from(ones % 2 == 0);
    }
    key
}

pub const ENC: u32 = 1;
pub const MAC: u32 = 2;

pub fn sha1(parts: &[&[u8]]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn tdes(key: &Key) -> TdesEde2 {
    // A 16-byte slice always has TdesEde2's key length.
    TdesEde2::new(&Array::from(*key))
}

/// 3DES-CBC with a zero IV over whole blocks (`data.len()` a multiple of 8).
pub fn encrypt(key: &Key, data: &[u8]) -> Vec<u8> {
    let cipher = tdes(key);
    let mut out = Vec::with_capacity(data.len());
    let mut chain = [0u8; 8];
    for block in data.chunks(8) {
        let mut b = [0u8; 8];
        b[..block.len()].copy_from_slice(block);
        for (x, c) in b.iter_mut().zip(chain) {
            *x ^= c;
        }
        let mut arr = Array::from(b);
        cipher.encrypt_block(&mut arr);
        chain = arr.into();
        out.extend_from_slice(&chain);
    }
    out
}

/// The inverse of [`encrypt`].
pub fn decrypt(key: &Key, data: &[u8]) -> Vec<u8> {
    let cipher = tdes(key);
    let mut out = Vec::with_capacity(data.len());
    let mut chain = [0u8; 8];
    for block in data.chunks(8) {
        let mut b = [0u8; 8];
        b[..block.len()].copy_from_slice(block);
        let mut arr = Array::from(b);
        cipher.decrypt_block(&mut arr);
        let plain: [u8; 8] = arr.into();
        for (i, p) in plain.iter().enumerate() {
            out.push(p ^ chain[i]);
        }
        chain = b;
    }
    out
}

/// ISO/IEC 9797-1 padding method 2: 0x80 then zeros to a whole block.
pub fn pad(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    out.push(0x80);
    while !out.len().is_multiple_of(8) {
        out.push(0);
    }
    out
}

/// Removes method-2 padding; `None` when there is none.
pub fn unpad(data: &[u8]) -> Option<&[u8]> {
    let end = data.iter().rposition(|b| *b != 0)?;
    (data[end] == 0x80).then(|| &data[..end])
}

/// The retail MAC (ISO 9797-1 MAC algorithm 3, DES, method-2 padding applied here): single-DES
/// CBC under K1 over every block, then decrypt with K2 and encrypt with K1 on the last.
pub fn retail_mac(key: &Key, data: &[u8]) -> [u8; 8] {
    let padded = pad(data);
    let (k1, k2) = key.split_at(8);
    let mut k1a = [0u8; 8];
    k1a.copy_from_slice(k1);
    let mut k2a = [0u8; 8];
    k2a.copy_from_slice(k2);
    let d1 = Des::new(&Array::from(k1a));
    let d2 = Des::new(&Array::from(k2a));
    let mut chain = [0u8; 8];
    for block in padded.chunks(8) {
        for (x, b) in chain.iter_mut().zip(block) {
            *x ^= b;
        }
        let mut arr = Array::from(chain);
        d1.encrypt_block(&mut arr);
        chain = arr.into();
    }
    let mut arr = Array::from(chain);
    d2.decrypt_block(&mut arr);
    d1.encrypt_block(&mut arr);
    arr.into()
}

/// Compares MACs in constant time.
pub fn same_mac(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).expect("hex")
    }

    /// ICAO 9303-11, Appendix D.2 worked example.
    #[test]
    fn key_derivation_matches_icao_worked_example() {
        let seed = &sha1(&[b"L898902C<369080619406236"])[..16];
        assert_eq!(seed, &h("239AB9CB282DAF66231DC5A4DF6BFBAE")[..]);
        assert_eq!(derive_key(seed, ENC).to_vec(), h("AB94FDECF2674FDFB9B391F85D7F76F2"));
        assert_eq!(derive_key(seed, MAC).to_vec(), h("7962D9ECE03D1ACD4C76089DCE131543"));
    }

    #[test]
    fn encryption_and_mac_match_icao_worked_example() {
        let k_enc: Key = h("AB94FDECF2674FDFB9B391F85D7F76F2").try_into().expect("16");
        let k_mac: Key = h("7962D9ECE03D1ACD4C76089DCE131543").try_into().expect("16");
        let s = h("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
        let e = encrypt(&k_enc, &s);
        assert_eq!(e, h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"));
        assert_eq!(decrypt(&k_enc, &e), s);
        assert_eq!(retail_mac(&k_mac, &e).to_vec(), h("5F1448EEA8AD90A7"));
    }

    #[test]
    fn padding_round_trips() {
        for n in 0..20 {
            let data = vec![0x11u8; n];
            let padded = pad(&data);
            assert_eq!(padded.len() % 8, 0);
            assert_eq!(unpad(&padded), Some(&data[..]));
        }
        assert_eq!(unpad(&[0, 0, 0]), None);
    }
}
