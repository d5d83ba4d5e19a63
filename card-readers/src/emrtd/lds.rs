//! The Logical Data Structure files the counter reads (ICAO 9303-10): EF.COM, DG1 (the MRZ),
//! DG2 (the face), and their builders for the tests' virtual passport.

use super::tlv::{self, TlvError};

pub const AID: [u8; 7] = [0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];
pub const EF_COM: u16 = 0x011e;
pub const EF_SOD: u16 = 0x011d;
pub const EF_CARD_ACCESS: u16 = 0x011c;
pub const DG1: u16 = 0x0101;
pub const DG2: u16 = 0x0102;

/// The MRZ text DG1 holds (tag 61 → 5F1F).
pub fn dg1_mrz(dg1: &[u8]) -> Result<String, TlvError> {
    let (outer, _) = tlv::parse(dg1)?;
    if outer.tag != 0x61 {
        return Err(TlvError("DG1 does not start with tag 61"));
    }
    let mrz = outer.child(0x5f1f)?;
    let text = std::str::from_utf8(mrz.value).map_err(|_| TlvError("the MRZ is not text"))?;
    // The MRZ's alphabet is A–Z, 0–9 and `<`: anything beyond ASCII is a damaged or forged chip
    // (and would split inside a character below).
    if !text.is_ascii() {
        return Err(TlvError("the MRZ holds characters outside its alphabet"));
    }
    // TD1 is 3×30, TD2 2×36, TD3 2×44 characters with no separators: put the lines back.
    let width = match text.len() {
        90 => 30,
        72 => 36,
        88 => 44,
        _ => return Ok(text.to_owned()),
    };
    let lines: Vec<&str> =
        (0..text.len() / width).map(|i| &text[i * width..(i + 1) * width]).collect();
    Ok(lines.join("\n"))
}

/// The data groups EF.COM lists (their tags: 61 for DG1, 75 for DG2, …).
pub fn com_tags(com: &[u8]) -> Result<Vec<u8>, TlvError> {
    let (outer, _) = tlv::parse(com)?;
    if outer.tag != 0x60 {
        return Err(TlvError("EF.COM does not start with tag 60"));
    }
    Ok(outer.child(0x5c)?.value.to_vec())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Jpeg,
    Jpeg2000,
}

impl ImageFormat {
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageFormat::Jpeg)
        } else if bytes.starts_with(&[0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])
            || bytes.starts_with(&[0xff, 0x4f, 0xff, 0x51])
        {
            Some(ImageFormat::Jpeg2000)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Jpeg2000 => "jp2",
        }
    }
}

/// The first face image in DG2: 75 → 7F61 → 7F60 → 5F2E (or 7F2E) holds an ISO/IEC 19794-5
/// facial record whose image data follows its headers.
pub fn dg2_face(dg2: &[u8]) -> Result<(ImageFormat, Vec<u8>), TlvError> {
    let (outer, _) = tlv::parse(dg2)?;
    if outer.tag != 0x75 {
        return Err(TlvError("DG2 does not start with tag 75"));
    }
    let group = outer.child(0x7f61)?;
    let template = group.child(0x7f60)?;
    let block = template
        .children()?
        .into_iter()
        .find(|t| t.tag == 0x5f2e || t.tag == 0x7f2e)
        .ok_or(TlvError("DG2 holds no biometric data block"))?;
    let record = block.value;
    if !record.starts_with(b"FAC\0") {
        return Err(TlvError("the biometric data block is not an ISO 19794-5 face record"));
    }
    // General header (14 bytes), facial record header (20), feature points (8 each), image
    // information (12), then the image.
    let points = record.get(18..20).ok_or(TlvError("truncated face record"))?;
    let points = usize::from(u16::from_be_bytes([points[0], points[1]]));
    let image_start = 14 + 20 + 8 * points + 12;
    let image = record.get(image_start..).ok_or(TlvError("truncated face record"))?;
    let format = ImageFormat::sniff(image)
        .ok_or(TlvError("the face image is neither JPEG nor JPEG 2000"))?;
    Ok((format, image.to_vec()))
}

#[cfg(feature = "test-support")]
/// EF.COM for an LDS 1.7 document holding DG1 and DG2 (for the test chip).
pub fn build_com() -> Vec<u8> {
    let mut body = tlv::encode(0x5f01, b"0107");
    body.extend(tlv::encode(0x5f36, b"040000"));
    body.extend(tlv::encode(0x5c, &[0x61, 0x75]));
    tlv::encode(0x60, &body)
}

#[cfg(feature = "test-support")]
/// DG1 for an MRZ, its lines joined without separators (for the test chip).
pub fn build_dg1(mrz: &str) -> Vec<u8> {
    let joined: String = mrz.lines().map(str::trim).collect();
    tlv::encode(0x61, &tlv::encode(0x5f1f, joined.as_bytes()))
}

#[cfg(feature = "test-support")]
/// DG2 holding one face image in an ISO 19794-5 record (for the test chip).
pub fn build_dg2(image: &[u8], format: ImageFormat, width: u16, height: u16) -> Vec<u8> {
    let record_len = (14 + 20 + 12 + image.len()) as u32;
    let mut record = b"FAC\x00010\x00".to_vec();
    record.extend(record_len.to_be_bytes());
    record.extend(1u16.to_be_bytes());
    record.extend((record_len - 14).to_be_bytes());
    record.extend([0, 0]); // feature points
    record.extend([0, 0, 0]); // gender, eye colour, hair colour
    record.extend([0, 0, 0]); // feature mask
    record.extend([0, 0]); // expression
    record.extend([0, 0, 0, 0, 0, 0]); // pose angles and their uncertainty
    record.push(1); // full frontal
    record.push(match format {
        ImageFormat::Jpeg => 0,
        ImageFormat::Jpeg2000 => 1,
    });
    record.extend(width.to_be_bytes());
    record.extend(height.to_be_bytes());
    record.extend([1, 2, 0, 0, 0, 0]); // colour space, source, device, quality
    record.extend_from_slice(image);
    let mut header = tlv::encode(0x80, &[1, 1]);
    header.extend(tlv::encode(0x87, &[1, 1]));
    let mut template = tlv::encode(0xa1, &header);
    template.extend(tlv::encode(0x5f2e, &record));
    let mut group = tlv::encode(0x02, &[1]);
    group.extend(tlv::encode(0x7f60, &template));
    tlv::encode(0x75, &tlv::encode(0x7f61, &group))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Found by fuzzing (`scripts/fuzz.sh lds`): a DG1 of TD3 length with a two-byte UTF-8
    /// character split the text inside it, a panic at the counter; it is refused instead.
    #[test]
    fn a_dg1_with_characters_outside_the_mrz_alphabet_is_refused() {
        let mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\u{133}898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(mrz.len(), 88);
        let err = dg1_mrz(&build_dg1(mrz)).expect_err("refused");
        assert!(err.0.contains("alphabet"), "{err:?}");
    }

    #[test]
    fn built_files_read_back() {
        let mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(dg1_mrz(&build_dg1(mrz)).expect("dg1"), mrz);
        assert_eq!(com_tags(&build_com()).expect("com"), vec![0x61, 0x75]);
        let jpeg = [0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9];
        let (format, image) =
            dg2_face(&build_dg2(&jpeg, ImageFormat::Jpeg, 480, 640)).expect("dg2");
        assert_eq!(format, ImageFormat::Jpeg);
        assert_eq!(image, jpeg);
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = dg1_mrz(&bytes);
            let _ = dg2_face(&bytes);
            let _ = com_tags(&bytes);
        }
    }
}
