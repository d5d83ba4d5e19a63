//! BER-TLV as ICAO 9303 and CMS use it: tags of one or more bytes, definite lengths of up to
//! four bytes. Parsing never panics and never reads past its input.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlvError(pub &'static str);

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for TlvError {}

/// One TLV: its tag (the tag bytes as a number), its value, and the whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u32,
    pub value: &'a [u8],
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Whether the tag is constructed (holds TLVs).
    pub fn constructed(&self) -> bool {
        self.raw.first().is_some_and(|b| b & 0x20 != 0)
    }

    /// The TLVs inside this one.
    pub fn children(&self) -> Result<Vec<Tlv<'a>>, TlvError> {
        parse_all(self.value)
    }

    /// The first child with `tag`.
    pub fn child(&self, tag: u32) -> Result<Tlv<'a>, TlvError> {
        self.children()?
            .into_iter()
            .find(|t| t.tag == tag)
            .ok_or(TlvError("a required tag is missing"))
    }
}

/// The tag, the header's length and the value's length of the TLV at the start of `input`;
/// only the header needs to be there.
fn header(input: &[u8]) -> Result<(u32, usize, usize), TlvError> {
    let mut i = 0usize;
    let first = *input.first().ok_or(TlvError("empty input where a tag was expected"))?;
    let mut tag = u32::from(first);
    i += 1;
    if first & 0x1f == 0x1f {
        // Multi-byte tag: continuation bytes have the top bit set; at most 3 of them.
        loop {
            let b = *input.get(i).ok_or(TlvError("truncated tag"))?;
            i += 1;
            if i > 4 {
                return Err(TlvError("tag too long"));
            }
            tag = (tag << 8) | u32::from(b);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let len_byte = *input.get(i).ok_or(TlvError("truncated length"))?;
    i += 1;
    let len = if len_byte < 0x80 {
        usize::from(len_byte)
    } else {
        let count = usize::from(len_byte & 0x7f);
        if count == 0 || count > 4 {
            return Err(TlvError("unsupported length encoding"));
        }
        let bytes = input.get(i..i + count).ok_or(TlvError("truncated length"))?;
        i += count;
        bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    Ok((tag, i, len))
}

/// Reads one TLV from the start of `input`; returns it and the rest.
pub fn parse(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), TlvError> {
    let (tag, start, len) = header(input)?;
    let end = start.checked_add(len).ok_or(TlvError("length overflows"))?;
    let value = input.get(start..end).ok_or(TlvError("value shorter than its length"))?;
    Ok((Tlv { tag, value, raw: &input[..end] }, &input[end..]))
}

/// Every TLV in `input`, which must hold nothing else. Padding bytes 00 and FF between
/// objects (allowed by ISO 7816-4) are skipped.
pub fn parse_all(mut input: &[u8]) -> Result<Vec<Tlv<'_>>, TlvError> {
    let mut out = Vec::new();
    while let Some(&b) = input.first() {
        if b == 0x00 || b == 0xff {
            input = &input[1..];
            continue;
        }
        let (tlv, rest) = parse(input)?;
        out.push(tlv);
        input = rest;
    }
    Ok(out)
}

/// How many bytes the TLV at the start of `header` takes in all, from its first bytes (tag and
/// length): how much of a file to read. `None` until enough of the header is there.
pub fn total_length(header_bytes: &[u8]) -> Option<usize> {
    let (_, start, len) = header(header_bytes).ok()?;
    start.checked_add(len)
}

/// Encodes a TLV (tags up to 3 bytes, any length).
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 6);
    let tag_bytes = tag.to_be_bytes();
    let skip = tag_bytes.iter().position(|b| *b != 0).unwrap_or(3);
    out.extend_from_slice(&tag_bytes[skip..]);
    out.extend(encode_length(value.len()));
    out.extend_from_slice(value);
    out
}

pub fn encode_length(len: usize) -> Vec<u8> {
    if len < 0x80 {
        vec![len as u8]
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len() - 1);
        let mut out = vec![0x80 | (bytes.len() - skip) as u8];
        out.extend_from_slice(&bytes[skip..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nested_and_multi_byte_tags_parse() {
        let inner = encode(0x5f1f, b"P<UTO");
        let outer = encode(0x61, &inner);
        let (tlv, rest) = parse(&outer).expect("tlv");
        assert!(rest.is_empty());
        assert_eq!(tlv.tag, 0x61);
        assert!(tlv.constructed());
        assert_eq!(tlv.child(0x5f1f).expect("child").value, b"P<UTO");
        assert_eq!(total_length(&outer[..4]), Some(outer.len()));
    }

    #[test]
    fn long_lengths_round_trip() {
        let value = vec![7u8; 20_000];
        let encoded = encode(0x75, &value);
        assert_eq!(&encoded[..4], &[0x75, 0x82, 0x4e, 0x20]);
        let (tlv, _) = parse(&encoded).expect("tlv");
        assert_eq!(tlv.value.len(), 20_000);
        assert_eq!(total_length(&encoded[..4]), Some(encoded.len()));
    }

    #[test]
    fn truncated_input_is_an_error() {
        let encoded = encode(0x77, &[1, 2, 3, 4]);
        for cut in 0..encoded.len() {
            assert!(parse(&encoded[..cut]).is_err(), "cut at {cut}");
        }
    }

    proptest! {
        #[test]
        fn any_bytes_parse_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(all) = parse_all(&bytes) {
                for tlv in all {
                    let _ = tlv.children();
                }
            }
            let _ = total_length(&bytes);
        }
    }
}
