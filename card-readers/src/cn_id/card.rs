//! What a Mainland resident ID card holds, and how the reader's base message becomes a
//! [`CnIdCard`]. Pure.

use std::fmt;
use std::ops::Range;

use serde::Serialize;
use time::Date;

use super::CnReaderError;

/// Bytes of text in a base message: UTF-16LE, padded with spaces.
pub const TEXT_LEN: usize = 256;
/// Bytes of photo in a base message (WLT, the card's own compression).
pub const PHOTO_LEN: usize = 1024;
/// How the card writes "no expiry" in the valid-to field.
pub const NO_EXPIRY: &str = "长期";

/// A Mainland resident identity card as read from the chip.
///
/// Serialises without the photo, and its `Debug` shows none of the holder's personal data, so
/// neither can reach a log by accident.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CnIdCard {
    pub name: String,
    pub sex: Sex,
    /// The ethnicity's name as printed on cards (汉, 蒙古, …), or the raw code when the code
    /// is not one of GB 3304's.
    pub ethnicity: String,
    /// Serialises as `YYYY-MM-DD`.
    pub birth_date: Date,
    pub address: String,
    /// Checked with [`registry::ids::check_cn_resident`], uppercased.
    pub id_number: String,
    /// The issuing public security bureau.
    pub authority: String,
    pub valid_from: Date,
    /// `None` for cards valid without limit (长期).
    pub valid_to: Option<Date>,
    /// The photo in WLT, as the card stores it; decoding needs the vendor's licensed library.
    #[serde(skip)]
    pub photo_wlt: Vec<u8>,
}

impl fmt::Debug for CnIdCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HIDDEN: &str = "<hidden>";
        f.debug_struct("CnIdCard")
            .field("name", &HIDDEN)
            .field("sex", &HIDDEN)
            .field("ethnicity", &HIDDEN)
            .field("birth_date", &HIDDEN)
            .field("address", &HIDDEN)
            .field("id_number", &HIDDEN)
            .field("authority", &self.authority)
            .field("valid_from", &self.valid_from)
            .field("valid_to", &self.valid_to)
            .field("photo_wlt", &format_args!("<{} bytes>", self.photo_wlt.len()))
            .finish()
    }
}

/// Sex as the card records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The card's code: `1` male, `2` female.
    pub fn code(self) -> char {
        match self {
            Sex::Male => '1',
            Sex::Female => '2',
        }
    }
}

/// The parts of the card's data, for saying which one could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardField {
    Name,
    Sex,
    Ethnicity,
    BirthDate,
    Address,
    IdNumber,
    Authority,
    ValidFrom,
    ValidTo,
    Photo,
}

impl CardField {
    pub const ALL: [CardField; 10] = [
        CardField::Name,
        CardField::Sex,
        CardField::Ethnicity,
        CardField::BirthDate,
        CardField::Address,
        CardField::IdNumber,
        CardField::Authority,
        CardField::ValidFrom,
        CardField::ValidTo,
        CardField::Photo,
    ];

    /// The field's name in [`CnIdCard`]'s serialisation.
    pub fn as_str(self) -> &'static str {
        match self {
            CardField::Name => "name",
            CardField::Sex => "sex",
            CardField::Ethnicity => "ethnicity",
            CardField::BirthDate => "birth_date",
            CardField::Address => "address",
            CardField::IdNumber => "id_number",
            CardField::Authority => "authority",
            CardField::ValidFrom => "valid_from",
            CardField::ValidTo => "valid_to",
            CardField::Photo => "photo",
        }
    }

    /// Where the field sits in the 256 bytes of text; `None` for the photo, which is apart.
    pub fn text_range(self) -> Option<Range<usize>> {
        let (offset, len) = match self {
            CardField::Name => (0, 30),
            CardField::Sex => (30, 2),
            CardField::Ethnicity => (32, 4),
            CardField::BirthDate => (36, 16),
            CardField::Address => (52, 70),
            CardField::IdNumber => (122, 36),
            CardField::Authority => (158, 30),
            CardField::ValidFrom => (188, 16),
            CardField::ValidTo => (204, 16),
            CardField::Photo => return None,
        };
        Some(offset..offset + len)
    }
}

impl fmt::Display for CardField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The 56 ethnicities and two further categories of GB/T 3304, as written on ID cards.
pub const ETHNICITIES: [(&str, &str); 58] = [
    ("01", "汉"),
    ("02", "蒙古"),
    ("03", "回"),
    ("04", "藏"),
    ("05", "维吾尔"),
    ("06", "苗"),
    ("07", "彝"),
    ("08", "壮"),
    ("09", "布依"),
    ("10", "朝鲜"),
    ("11", "满"),
    ("12", "侗"),
    ("13", "瑶"),
    ("14", "白"),
    ("15", "土家"),
    ("16", "哈尼"),
    ("17", "哈萨克"),
    ("18", "傣"),
    ("19", "黎"),
    ("20", "傈僳"),
    ("21", "佤"),
    ("22", "畲"),
    ("23", "高山"),
    ("24", "拉祜"),
    ("25", "水"),
    ("26", "东乡"),
    ("27", "纳西"),
    ("28", "景颇"),
    ("29", "柯尔克孜"),
    ("30", "土"),
    ("31", "达斡尔"),
    ("32", "仫佬"),
    ("33", "羌"),
    ("34", "布朗"),
    ("35", "撒拉"),
    ("36", "毛南"),
    ("37", "仡佬"),
    ("38", "锡伯"),
    ("39", "阿昌"),
    ("40", "普米"),
    ("41", "塔吉克"),
    ("42", "怒"),
    ("43", "乌孜别克"),
    ("44", "俄罗斯"),
    ("45", "鄂温克"),
    ("46", "德昂"),
    ("47", "保安"),
    ("48", "裕固"),
    ("49", "京"),
    ("50", "塔塔尔"),
    ("51", "独龙"),
    ("52", "鄂伦春"),
    ("53", "赫哲"),
    ("54", "门巴"),
    ("55", "珞巴"),
    ("56", "基诺"),
    ("97", "其他"),
    ("98", "外国血统中国籍人士"),
];

/// The ethnicity's name for its two-digit code.
pub fn ethnicity_name(code: &str) -> Option<&'static str> {
    ETHNICITIES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

/// Parses the body of a read-base-message reply, after its status: text length (u16 BE),
/// photo length (u16 BE), the text, the photo.
pub fn parse_base_message(body: &[u8]) -> Result<CnIdCard, CnReaderError> {
    let malformed = |detail: String| CnReaderError::MalformedReply { detail };
    let [t0, t1, p0, p1, rest @ ..] = body else {
        return Err(malformed(format!("base message of {} bytes has no lengths", body.len())));
    };
    let text_len = usize::from(u16::from_be_bytes([*t0, *t1]));
    let photo_len = usize::from(u16::from_be_bytes([*p0, *p1]));
    if text_len != TEXT_LEN {
        return Err(malformed(format!("base message text of {text_len} bytes, not {TEXT_LEN}")));
    }
    if rest.len() != text_len + photo_len {
        return Err(malformed(format!(
            "base message announces {text_len} + {photo_len} bytes but carries {}",
            rest.len()
        )));
    }
    let (text, photo) = rest.split_at(text_len);
    parse_text(text, photo.to_vec())
}

/// Parses the 256 bytes of a card's text; `photo_wlt` is kept as it is.
pub fn parse_text(text: &[u8], photo_wlt: Vec<u8>) -> Result<CnIdCard, CnReaderError> {
    if text.len() != TEXT_LEN {
        return Err(CnReaderError::MalformedReply {
            detail: format!("card text of {} bytes, not {TEXT_LEN}", text.len()),
        });
    }
    let name = non_empty(text, CardField::Name)?;
    let sex = match field(text, CardField::Sex)?.as_str() {
        "1" => Sex::Male,
        "2" => Sex::Female,
        _ => return Err(CnReaderError::CardData { field: CardField::Sex }),
    };
    let ethnicity_code = non_empty(text, CardField::Ethnicity)?;
    let ethnicity = ethnicity_name(&ethnicity_code).map_or(ethnicity_code, str::to_owned);
    let birth_date = date(text, CardField::BirthDate)?;
    let address = non_empty(text, CardField::Address)?;
    let id_number = registry::ids::check_cn_resident(&field(text, CardField::IdNumber)?)
        .map_err(|e| CnReaderError::InvalidIdNumber { reason: e.message_id() })?;
    let authority = non_empty(text, CardField::Authority)?;
    let valid_from = date(text, CardField::ValidFrom)?;
    let valid_to = if field(text, CardField::ValidTo)? == NO_EXPIRY {
        None
    } else {
        Some(date(text, CardField::ValidTo)?)
    };
    Ok(CnIdCard {
        name,
        sex,
        ethnicity,
        birth_date,
        address,
        id_number,
        authority,
        valid_from,
        valid_to,
        photo_wlt,
    })
}

/// The field's text without its padding.
fn field(text: &[u8], which: CardField) -> Result<String, CnReaderError> {
    let bad = || CnReaderError::CardData { field: which };
    let bytes = which.text_range().and_then(|r| text.get(r)).ok_or_else(bad)?;
    let units: Vec<u16> =
        bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
    let decoded = String::from_utf16(&units).map_err(|_| bad())?;
    let trimmed = decoded.trim_matches([' ', '\0']);
    if trimmed.chars().any(char::is_control) {
        return Err(bad());
    }
    Ok(trimmed.to_owned())
}

fn non_empty(text: &[u8], which: CardField) -> Result<String, CnReaderError> {
    let value = field(text, which)?;
    if value.is_empty() { Err(CnReaderError::CardData { field: which }) } else { Ok(value) }
}

fn date(text: &[u8], which: CardField) -> Result<Date, CnReaderError> {
    registry::ids::yyyymmdd(&field(text, which)?).ok_or(CnReaderError::CardData { field: which })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cn_id::simulator::SimulatedCard;
    use time::macros::date;

    fn zhang_san() -> CnIdCard {
        let card = SimulatedCard::example();
        parse_text(&card.text(), card.photo_wlt.clone()).expect("example card parses")
    }

    #[test]
    fn the_example_card_parses_field_by_field() {
        let card = zhang_san();
        assert_eq!(card.name, "张三");
        assert_eq!(card.sex, Sex::Female);
        assert_eq!(card.ethnicity, "汉");
        assert_eq!(card.birth_date, date!(1949 - 12 - 31));
        assert_eq!(card.address, "广东省广州市天河区某某路1号");
        assert_eq!(card.id_number, "11010519491231002X");
        assert_eq!(card.authority, "广州市公安局天河分局");
        assert_eq!(card.valid_from, date!(2015 - 03 - 01));
        assert_eq!(card.valid_to, None);
        assert_eq!(card.photo_wlt.len(), PHOTO_LEN);
    }

    #[test]
    fn a_whole_base_message_parses() {
        let card = SimulatedCard::example();
        let payload = card.base_message_payload();
        let parsed = parse_base_message(&payload[3..]).expect("parses");
        assert_eq!(parsed, zhang_san());
        assert_eq!(parsed.photo_wlt, card.photo_wlt);
    }

    #[test]
    fn serialises_with_the_agreed_names_and_without_the_photo() {
        let json = serde_json::to_value(zhang_san()).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "name": "张三",
                "sex": "female",
                "ethnicity": "汉",
                "birth_date": "1949-12-31",
                "address": "广东省广州市天河区某某路1号",
                "id_number": "11010519491231002X",
                "authority": "广州市公安局天河分局",
                "valid_from": "2015-03-01",
                "valid_to": null,
            })
        );
    }

    #[test]
    fn a_dated_expiry_and_a_male_holder() {
        let mut sim = SimulatedCard::example();
        sim.sex = "1".into();
        sim.ethnicity_code = "04".into();
        sim.valid_from = "20200101".into();
        sim.valid_to = "20400101".into();
        let card = parse_text(&sim.text(), Vec::new()).expect("parses");
        assert_eq!(card.sex, Sex::Male);
        assert_eq!(card.ethnicity, "藏");
        assert_eq!(card.valid_to, Some(date!(2040 - 01 - 01)));
        let json = serde_json::to_value(&card).expect("serialises");
        assert_eq!(json["sex"], "male");
        assert_eq!(json["valid_to"], "2040-01-01");
    }

    #[test]
    fn an_unknown_ethnicity_code_is_kept() {
        let mut sim = SimulatedCard::example();
        sim.ethnicity_code = "77".into();
        assert_eq!(parse_text(&sim.text(), Vec::new()).expect("parses").ethnicity, "77");
    }

    #[test]
    fn all_56_ethnicities_and_two_categories_have_distinct_codes() {
        let mut codes: Vec<&str> = ETHNICITIES.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 58);
        assert_eq!(ethnicity_name("11"), Some("满"));
        assert_eq!(ethnicity_name("56"), Some("基诺"));
        assert_eq!(ethnicity_name("1"), None);
    }

    #[test]
    fn an_invalid_id_number_is_an_error_not_a_card() {
        let mut sim = SimulatedCard::example();
        sim.id_number = "110105194912310021".into();
        assert!(matches!(
            parse_text(&sim.text(), Vec::new()),
            Err(CnReaderError::InvalidIdNumber { reason: "id-error-bad-check-character" })
        ));
        sim.id_number = String::new();
        assert!(matches!(
            parse_text(&sim.text(), Vec::new()),
            Err(CnReaderError::InvalidIdNumber { reason: "id-error-empty" })
        ));
    }

    #[test]
    fn unreadable_fields_are_named() {
        type Edit = fn(&mut SimulatedCard);
        let cases: [(Edit, CardField); 8] = [
            (|c| c.name = String::new(), CardField::Name),
            (|c| c.sex = "9".into(), CardField::Sex),
            (|c| c.ethnicity_code = String::new(), CardField::Ethnicity),
            (|c| c.birth_date = "19491331".into(), CardField::BirthDate),
            (|c| c.address = String::new(), CardField::Address),
            (|c| c.authority = String::new(), CardField::Authority),
            (|c| c.valid_from = "2015030".into(), CardField::ValidFrom),
            (|c| c.valid_to = "长久".into(), CardField::ValidTo),
        ];
        for (edit, expected) in cases {
            let mut sim = SimulatedCard::example();
            edit(&mut sim);
            match parse_text(&sim.text(), Vec::new()) {
                Err(CnReaderError::CardData { field }) => assert_eq!(field, expected),
                other => panic!("{expected}: expected CardData, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_lone_surrogate_is_unreadable_text() {
        let mut text = SimulatedCard::example().text();
        text[0..2].copy_from_slice(&0xD800u16.to_le_bytes());
        assert!(matches!(
            parse_text(&text, Vec::new()),
            Err(CnReaderError::CardData { field: CardField::Name })
        ));
    }

    #[test]
    fn inconsistent_lengths_are_malformed() {
        let payload = SimulatedCard::example().base_message_payload();
        let body = &payload[3..];
        for broken in [&body[..3], &body[..body.len() - 1]] {
            assert!(matches!(
                parse_base_message(broken),
                Err(CnReaderError::MalformedReply { .. })
            ));
        }
        let mut wrong_text_len = body.to_vec();
        wrong_text_len[0..2].copy_from_slice(&255u16.to_be_bytes());
        assert!(matches!(
            parse_base_message(&wrong_text_len),
            Err(CnReaderError::MalformedReply { .. })
        ));
        assert!(matches!(
            parse_text(&[0x20; 255], Vec::new()),
            Err(CnReaderError::MalformedReply { .. })
        ));
    }

    #[test]
    fn debug_hides_personal_data() {
        let shown = format!("{:?}", zhang_san());
        for secret in ["张三", "11010519491231002X", "广东省", "1949", "Female", "汉"] {
            assert!(!shown.contains(secret), "Debug shows {secret}: {shown}");
        }
        assert!(shown.contains("<1024 bytes>"), "{shown}");
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn on_arbitrary_base_messages(body in proptest::collection::vec(any::<u8>(), 0..1400)) {
                let _ = parse_base_message(&body);
            }

            #[test]
            fn on_arbitrary_text(text in proptest::collection::vec(any::<u8>(), TEXT_LEN)) {
                let _ = parse_text(&text, Vec::new());
            }

            #[test]
            fn on_arbitrary_text_with_a_plausible_header(
                text in proptest::collection::vec(any::<u8>(), TEXT_LEN),
                photo in proptest::collection::vec(any::<u8>(), 0..1100),
            ) {
                let mut body = (TEXT_LEN as u16).to_be_bytes().to_vec();
                body.extend((photo.len() as u16).to_be_bytes());
                body.extend(&text);
                body.extend(&photo);
                let _ = parse_base_message(&body);
            }

            #[test]
            fn on_field_values_made_of_any_characters(
                name in "\\PC{0,20}",
                dates in "[0-9长期 ]{0,9}",
            ) {
                let mut sim = SimulatedCard::example();
                sim.name = name;
                sim.birth_date = dates.clone();
                sim.valid_to = dates;
                let _ = parse_text(&sim.text(), Vec::new());
            }
        }
    }
}
