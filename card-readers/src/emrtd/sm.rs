//! Secure messaging with 3DES session keys (ICAO 9303-11 §9.8): both sides, so the kiosk's reader
//! and the tests' virtual passport share one implementation of the byte layout and are checked
//! against ICAO's worked example.

use super::apdu::{Command, Response};
use super::crypto::{self, Key};
use super::tlv;

/// Why a secured exchange failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmError {
    #[error("the response's MAC does not check: the session is broken or someone interfered")]
    BadMac,
    #[error("the response is not secure messaging (status {0:04X})")]
    Unprotected(u16),
    #[error("the secure messaging objects are malformed: {0}")]
    Malformed(&'static str),
}

/// A secure messaging session: the session keys and the send sequence counter.
#[derive(Clone)]
pub struct SmSession {
    ks_enc: Key,
    ks_mac: Key,
    ssc: u64,
}

impl std::fmt::Debug for SmSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmSession(***)")
    }
}

impl SmSession {
    pub fn new(ks_enc: Key, ks_mac: Key, ssc: u64) -> Self {
        SmSession { ks_enc, ks_mac, ssc }
    }

    pub fn ssc(&self) -> u64 {
        self.ssc
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 8] {
        let mut input = self.ssc.to_be_bytes().to_vec();
        for part in parts {
            input.extend_from_slice(part);
        }
        crypto::retail_mac(&self.ks_mac, &input)
    }

    fn do87(&self, data: &[u8]) -> Vec<u8> {
        let mut value = vec![0x01];
        value.extend(crypto::encrypt(&self.ks_enc, &crypto::pad(data)));
        tlv::encode(0x87, &value)
    }

    fn open_do87(&self, value: &[u8]) -> Result<Vec<u8>, SmError> {
        let (indicator, cipher) =
            value.split_first().ok_or(SmError::Malformed("empty encrypted data object"))?;
        if *indicator != 0x01 || cipher.is_empty() || cipher.len() % 8 != 0 {
            return Err(SmError::Malformed("encrypted data is not padded 3DES"));
        }
        let plain = crypto::decrypt(&self.ks_enc, cipher);
        crypto::unpad(&plain)
            .map(<[u8]>::to_vec)
            .ok_or(SmError::Malformed("encrypted data has no padding"))
    }

    /// Reader side: wraps a plain command.
    pub fn protect(&mut self, cmd: &Command) -> Command {
        self.ssc = self.ssc.wrapping_add(1);
        let cla = cmd.cla | 0x0c;
        let header = crypto::pad(&[cla, cmd.ins, cmd.p1, cmd.p2]);
        let do87 = if cmd.data.is_empty() { Vec::new() } else { self.do87(&cmd.data) };
        let do97 = match cmd.le {
            None => Vec::new(),
            Some(le) if le > 256 => tlv::encode(0x97, &((le % 65_536) as u16).to_be_bytes()),
            Some(le) => tlv::encode(0x97, &[(le % 256) as u8]),
        };
        let cc = self.mac(&[&header, &do87, &do97]);
        let mut data = do87;
        data.extend(do97);
        data.extend(tlv::encode(0x8e, &cc));
        let le = if cmd.le.is_some_and(|le| le > 231) { 65_536 } else { 256 };
        Command { cla, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, data, le: Some(le) }
    }

    /// Reader side: checks and opens a response. A card that answers an error without secure
    /// messaging gives `Unprotected` with its status.
    pub fn unprotect(&mut self, resp: &Response) -> Result<Response, SmError> {
        self.ssc = self.ssc.wrapping_add(1);
        let objects = tlv::parse_all(&resp.data).map_err(|e| SmError::Malformed(e.0))?;
        let find = |tag| objects.iter().find(|t| t.tag == tag);
        let Some(mac) = find(0x8e) else {
            return Err(SmError::Unprotected(resp.sw));
        };
        let do87 = find(0x87);
        let do99 = find(0x99).ok_or(SmError::Malformed("no status object (DO99)"))?;
        let expected = self.mac(&[do87.map_or(&[][..], |t| t.raw), do99.raw]);
        if !crypto::same_mac(mac.value, &expected) {
            return Err(SmError::BadMac);
        }
        let sw = match do99.value {
            [a, b] => u16::from_be_bytes([*a, *b]),
            _ => return Err(SmError::Malformed("the status object is not 2 bytes")),
        };
        let data = match do87 {
            Some(t) => self.open_do87(t.value)?,
            None => Vec::new(),
        };
        Ok(Response { data, sw })
    }

    /// Card side: checks and opens a protected command.
    pub fn open_command(&mut self, cmd: &Command) -> Result<Command, SmError> {
        self.ssc = self.ssc.wrapping_add(1);
        let objects = tlv::parse_all(&cmd.data).map_err(|e| SmError::Malformed(e.0))?;
        let find = |tag| objects.iter().find(|t| t.tag == tag);
        let mac = find(0x8e).ok_or(SmError::Malformed("no MAC object (DO8E)"))?;
        let do87 = find(0x87);
        let do97 = find(0x97);
        let header = crypto::pad(&[cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
        let expected =
            self.mac(&[&header, do87.map_or(&[][..], |t| t.raw), do97.map_or(&[][..], |t| t.raw)]);
        if !crypto::same_mac(mac.value, &expected) {
            return Err(SmError::BadMac);
        }
        let data = match do87 {
            Some(t) => self.open_do87(t.value)?,
            None => Vec::new(),
        };
        let le = do97.map(|t| match t.value {
            [0] => 256,
            [n] => usize::from(*n),
            [0, 0] => 65_536,
            [a, b] => usize::from(u16::from_be_bytes([*a, *b])),
            _ => 256,
        });
        Ok(Command { cla: cmd.cla & !0x0c, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, data, le })
    }

    /// Card side: protects a response.
    pub fn protect_response(&mut self, resp: &Response) -> Response {
        self.ssc = self.ssc.wrapping_add(1);
        let do87 = if resp.data.is_empty() { Vec::new() } else { self.do87(&resp.data) };
        let do99 = tlv::encode(0x99, &resp.sw.to_be_bytes());
        let cc = self.mac(&[&do87, &do99]);
        let mut data = do87;
        data.extend(do99);
        data.extend(tlv::encode(0x8e, &cc));
        Response { data, sw: 0x9000 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).expect("hex")
    }

    fn icao_session() -> SmSession {
        SmSession::new(
            h("979EC13B1CBFE9DCD01AB0FED307EAE5").try_into().expect("16"),
            h("F1CB1F1FB5ADF208806B89DC579DC1F8").try_into().expect("16"),
            0x887022120C06C226,
        )
    }

    /// ICAO 9303-11 Appendix D.4: select EF.COM, then read its first four bytes.
    #[test]
    fn protected_apdus_match_icao_worked_example() {
        let mut reader = icao_session();
        let select = Command::new(0x00, 0xa4, 0x02, 0x0c).with_data(vec![0x01, 0x1e]);
        let protected = reader.protect(&select);
        assert_eq!(
            protected.to_bytes(),
            h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
        );
        let answer = Response::parse(&h("990290008E08FA855A5D4C50A8ED9000")).expect("resp");
        assert_eq!(reader.unprotect(&answer).expect("open").sw, 0x9000);

        let read = Command::new(0x00, 0xb0, 0x00, 0x00).with_le(4);
        assert_eq!(reader.protect(&read).to_bytes(), h("0CB000000D9701048E08ED6705417E96BA5500"));
        let answer = Response::parse(&h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
            .expect("resp");
        let opened = reader.unprotect(&answer).expect("open");
        assert_eq!(opened.data, h("60145F01"));
    }

    #[test]
    fn card_and_reader_sides_agree_and_a_flipped_bit_is_caught() {
        let mut reader = icao_session();
        let mut card = icao_session();
        let cmd = Command::new(0x00, 0xb0, 0x00, 0x10).with_le(0xdf);
        let opened = card.open_command(&reader.protect(&cmd)).expect("card opens");
        assert_eq!(opened, cmd);
        let answer = Response { data: vec![0x42; 0xdf], sw: 0x9000 };
        let mut wrapped = card.protect_response(&answer);
        assert_eq!(reader.clone().unprotect(&wrapped).expect("reader opens"), answer);
        wrapped.data[5] ^= 1;
        assert_eq!(reader.unprotect(&wrapped), Err(SmError::BadMac));
    }

    proptest! {
        #[test]
        fn any_response_is_opened_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..200), sw in any::<u16>()) {
            let mut reader = icao_session();
            let _ = reader.unprotect(&Response { data: bytes.clone(), sw });
            let mut card = icao_session();
            let _ = card.open_command(&Command::new(0x0c, 0xb0, 0, 0).with_data(bytes));
        }
    }
}
