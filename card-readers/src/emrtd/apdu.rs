//! Command and response APDUs (ISO 7816-4), short and extended length.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// Expected response length; `Some(0)` means "as much as there is" (256, or 65,536 extended).
    pub le: Option<usize>,
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Command { cla, ins, p1, p2, data: Vec::new(), le: None }
    }

    pub fn with_data(mut self, data: Vec<u8>) -> Self {
        self.data = data;
        self
    }

    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Whether the APDU needs extended length fields.
    pub fn extended(&self) -> bool {
        self.data.len() > 255 || self.le.is_some_and(|le| le > 256)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        let extended = self.extended();
        if !self.data.is_empty() {
            if extended {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if extended {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&((le % 65_536) as u16).to_be_bytes());
            } else {
                out.push((le % 256) as u8);
            }
        }
        out
    }

    /// Parses a command APDU (for the virtual card).
    pub fn parse(bytes: &[u8]) -> Option<Command> {
        let (header, body) = (bytes.get(..4)?, &bytes[4..]);
        let mut cmd = Command::new(header[0], header[1], header[2], header[3]);
        match body.len() {
            0 => {}
            1 => cmd.le = Some(if body[0] == 0 { 256 } else { usize::from(body[0]) }),
            _ if body[0] != 0 => {
                let lc = usize::from(body[0]);
                cmd.data = body.get(1..1 + lc)?.to_vec();
                match body.len() - 1 - lc {
                    0 => {}
                    1 => {
                        cmd.le =
                            Some(if body[1 + lc] == 0 { 256 } else { usize::from(body[1 + lc]) })
                    }
                    _ => return None,
                }
            }
            3 => {
                let le = usize::from(u16::from_be_bytes([body[1], body[2]]));
                cmd.le = Some(if le == 0 { 65_536 } else { le });
            }
            _ => {
                let lc = usize::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?]));
                cmd.data = body.get(3..3 + lc)?.to_vec();
                match body.len() - 3 - lc {
                    0 => {}
                    2 => {
                        let le = usize::from(u16::from_be_bytes([body[3 + lc], body[4 + lc]]));
                        cmd.le = Some(if le == 0 { 65_536 } else { le });
                    }
                    _ => return None,
                }
            }
        }
        Some(cmd)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    pub fn parse(bytes: &[u8]) -> Option<Response> {
        let n = bytes.len().checked_sub(2)?;
        Some(Response {
            data: bytes[..n].to_vec(),
            sw: u16::from_be_bytes([bytes[n], bytes[n + 1]]),
        })
    }

    pub fn ok(&self) -> bool {
        self.sw == 0x9000
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_and_extended_encodings_round_trip() {
        let select =
            Command::new(0x00, 0xa4, 0x04, 0x0c).with_data(vec![0xa0, 0, 0, 2, 0x47, 0x10, 1]);
        assert_eq!(select.to_bytes(), hex::decode("00A4040C07A0000002471001").expect("hex"));
        assert_eq!(Command::parse(&select.to_bytes()), Some(select));
        let read = Command::new(0x00, 0xb0, 0x00, 0x00).with_le(4);
        assert_eq!(read.to_bytes(), hex::decode("00B0000004").expect("hex"));
        let big = Command::new(0x0c, 0xb0, 0x00, 0x00).with_data(vec![1, 2]).with_le(1000);
        assert!(big.extended());
        assert_eq!(Command::parse(&big.to_bytes()), Some(big));
    }

    proptest! {
        #[test]
        fn any_bytes_parse_or_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Some(cmd) = Command::parse(&bytes) {
                let _ = cmd.to_bytes();
            }
            let _ = Response::parse(&bytes);
        }
    }
}
