//! Each language in its certificate authority's own words, and numbers that agree with their nouns.
//!
//! Every Fluent file of every language is read from disk, so messages added later are checked as
//! well. The terms table below is the rule: one word per concept and language, as the CAs
//! themselves write it (eSignTrust in Macau for Traditional Chinese and Portuguese, NETCA in
//! Guangdong for Simplified Chinese). A failure names the file, the message and the term.

use std::path::Path;

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};

const HANT: &str = "zh-Hant";
const HANS: &str = "zh-Hans";
const PT: &str = "pt";
const EN: &str = "en";
const LANGUAGES: [&str; 4] = [HANT, HANS, PT, EN];

/// Where in a word an excluded term counts.
#[derive(Clone, Copy, PartialEq)]
enum At {
    /// Anywhere: Chinese has no spaces, and a Chinese term means the same inside any compound.
    Anywhere,
    /// At the start of a word, so a post-1990 stem such as "ação" does not catch "renovação".
    WordStart,
    /// As a whole word, so "correto" does not catch "corretor" (a broker, in either spelling).
    Word,
}

/// A term a language must not use, what it uses instead, and the longer words that contain the
/// term and are allowed (the USB token 數字證書盤 contains the excluded 數字證書).
struct Excluded {
    lang: &'static str,
    term: &'static str,
    instead: &'static str,
    allowed_in: &'static [&'static str],
    at: At,
}

impl Excluded {
    const fn text(lang: &'static str, term: &'static str, instead: &'static str) -> Excluded {
        Excluded { lang, term, instead, allowed_in: &[], at: At::Anywhere }
    }

    const fn word(lang: &'static str, term: &'static str, instead: &'static str) -> Excluded {
        Excluded { lang, term, instead, allowed_in: &[], at: At::WordStart }
    }

    const fn whole(lang: &'static str, term: &'static str, instead: &'static str) -> Excluded {
        Excluded { lang, term, instead, allowed_in: &[], at: At::Word }
    }

    const fn unless_in(self, allowed_in: &'static [&'static str]) -> Excluded {
        Excluded { allowed_in, ..self }
    }

    /// Whether `text` uses the term outside the allowed words. Portuguese is compared in lower
    /// case, so a term at the start of a sentence is caught too.
    fn is_used_in(&self, text: &str) -> bool {
        let text = text.to_lowercase();
        let term = self.term.to_lowercase();
        text.match_indices(&term).any(|(at, _)| {
            let starts = text[..at].chars().next_back().is_none_or(|c| !c.is_alphabetic());
            let ends = text[at + term.len()..].chars().next().is_none_or(|c| !c.is_alphabetic());
            let placed = match self.at {
                At::Anywhere => true,
                At::WordStart => starts,
                At::Word => starts && ends,
            };
            placed && !self.inside_allowed_word(&text, at)
        })
    }

    fn inside_allowed_word(&self, text: &str, at: usize) -> bool {
        let term = self.term.to_lowercase();
        self.allowed_in.iter().any(|allowed| {
            let allowed = allowed.to_lowercase();
            allowed.match_indices(&term).any(|(offset, _)| {
                at.checked_sub(offset)
                    .and_then(|start| text.get(start..start + allowed.len()))
                    .is_some_and(|around| around == allowed)
            })
        })
    }
}

/// The terms table: for each language, what it never says, row by row.
const EXCLUDED: &[Excluded] = &[
    // zh-Hant is Macau's (eSignTrust) wording; the review found a character-converted Mainland form.
    // certificate: 電子證書 (eSignTrust never says 數字證書), but the USB token is 數字證書盤.
    Excluded::text(HANT, "數字證書", "電子證書").unless_in(&["數字證書盤"]),
    // renewal: 續期, never 更新; software is 升級 and records 更改, so 更新 never reads as renewal.
    Excluded::text(HANT, "更新", "續期"),
    // revocation: 撤銷, never 註銷.
    Excluded::text(HANT, "註銷", "撤銷"),
    // organisation / its name: 機構 / 機構名稱, never 單位.
    Excluded::text(HANT, "單位", "機構"),
    // organisation's stamp: 機構蓋章, never 公章.
    Excluded::text(HANT, "公章", "機構蓋章"),
    // information, data: 資料, never 信息.
    Excluded::text(HANT, "信息", "資料"),
    // email: 電郵 / 電郵地址, never 電子郵箱 (or any 郵箱).
    Excluded::text(HANT, "郵箱", "電郵地址"),
    // print: 列印, never 打印 (a printer is 印表機).
    Excluded::text(HANT, "打印", "列印"),
    // legal representative: 法定代表人.
    Excluded::text(HANT, "法人代表", "法定代表人"),
    // redispatch by post: 更改郵寄地址, not 改派.
    Excluded::text(HANT, "改派", "更改郵寄地址"),
    // photo retaken at the counter: 請重新拍攝; a file is loaded (載入), nothing is uploaded.
    Excluded::text(HANT, "上傳", "重新拍攝 / 載入"),
    //
    // zh-Hans is Guangdong's (NETCA) wording.
    // revocation: 注销 (NETCA's term), never 撤销.
    Excluded::text(HANS, "撤销", "注销"),
    // renewal: 续期; one name per service, so not 更新 beside it (software is 升级).
    Excluded::text(HANS, "更新", "续期"),
    // certificate: 数字证书.
    Excluded::text(HANS, "电子证书", "数字证书"),
    // legal representative: 法定代表人, never 法人代表.
    Excluded::text(HANS, "法人代表", "法定代表人"),
    // information: 信息 (个人信息), not Macau's 资料 for personal data.
    Excluded::text(HANS, "个人资料", "个人信息"),
    // email: 电子邮箱.
    Excluded::text(HANS, "电邮", "电子邮箱"),
    // print: 打印.
    Excluded::text(HANS, "列印", "打印"),
    // USB token: USB Key (数字证书盘 is Macau's word).
    Excluded::text(HANS, "证书盘", "USB Key"),
    // photo retaken at the counter: 请重新拍摄, not 上传; a file is loaded (载入).
    Excluded::text(HANS, "上传", "重新拍摄 / 载入"),
    //
    // pt is Macau's Portuguese, in pre-1990 European spelling.
    // agent: "encarregado do pedido"; "representante" only in "representante legal", which sits
    // beside it on a signed form.
    Excluded::word(PT, "representante", "encarregado do pedido")
        .unless_in(&["representante legal", "representantes legais"]),
    // USB token: "token USB", not "dispositivo".
    Excluded::word(PT, "dispositivo", "token USB"),
    // MRZ: "zona de leitura automática (ZLA)", one name for one thing.
    Excluded::word(PT, "leitura óptica", "zona de leitura automática (ZLA)"),
    Excluded::word(PT, "leitura ótica", "zona de leitura automática (ZLA)"),
    Excluded::word(PT, "mrz", "ZLA"),
    // Mainland ID: "Bilhete de Identidade de Residente do Interior da China".
    Excluded::word(PT, "cartão de identidade", "Bilhete de Identidade de Residente"),
    Excluded::word(PT, "cartões de identidade", "Bilhetes de Identidade de Residente"),
    // certificate: "certificado digital".
    Excluded::word(PT, "certificado electrónico", "certificado digital"),
    // email: "correio electrónico".
    Excluded::word(PT, "e-mail", "correio electrónico"),
    Excluded::word(PT, "email", "correio electrónico"),
    // redispatch by post: "reenvio por correio".
    Excluded::word(PT, "alteração do envio", "reenvio por correio"),
    // photo retaken at the counter: "tire novamente".
    Excluded::word(PT, "tire-a de novo", "tire-a novamente"),
    Excluded::word(PT, "tire de novo", "tire novamente"),
    // Pre-1990 European spelling: the post-1990 (and Brazilian) forms of words the kiosk uses.
    Excluded::word(PT, "ação", "acção"),
    Excluded::word(PT, "ações", "acções"),
    Excluded::word(PT, "atual", "actual, actualizado, actualização"),
    Excluded::word(PT, "ativ", "activo, activado, actividade"),
    Excluded::word(PT, "desativ", "desactivado"),
    Excluded::word(PT, "inativ", "inactivo"),
    Excluded::word(PT, "adot", "adoptar"),
    Excluded::word(PT, "adoção", "adopção"),
    Excluded::whole(PT, "aspeto", "aspecto"),
    Excluded::word(PT, "coleção", "colecção"),
    Excluded::word(PT, "correção", "correcção"),
    Excluded::whole(PT, "correto", "correcto"),
    Excluded::whole(PT, "correta", "correcta"),
    Excluded::word(PT, "corretamente", "correctamente"),
    Excluded::word(PT, "detet", "detectado, detector"),
    Excluded::word(PT, "direção", "direcção"),
    Excluded::word(PT, "diret", "directo, director, directório"),
    Excluded::word(PT, "efetiv", "efectivo"),
    Excluded::word(PT, "efetu", "efectuar"),
    Excluded::word(PT, "eletr", "electrónico"),
    Excluded::word(PT, "exat", "exacto, exactamente, exactidão"),
    Excluded::word(PT, "exceç", "excepção, excepcional"),
    Excluded::word(PT, "fatura", "factura, facturação"),
    Excluded::word(PT, "objetiv", "objectiva, objectivo"),
    Excluded::whole(PT, "objeto", "objecto"),
    Excluded::word(PT, "ótic", "óptico"),
    Excluded::word(PT, "ótim", "óptimo"),
    Excluded::word(PT, "projet", "projecto"),
    Excluded::word(PT, "proteç", "protecção"),
    Excluded::word(PT, "receç", "recepção"),
    Excluded::word(PT, "respetiv", "respectivo"),
    Excluded::word(PT, "seleç", "selecção"),
    Excluded::word(PT, "selecion", "seleccionar"),
    Excluded::whole(PT, "contato", "contacto"),
    Excluded::whole(PT, "caráter", "carácter"),
    Excluded::whole(PT, "registro", "registo"),
    Excluded::word(PT, "usuário", "utilizador"),
    Excluded::whole(PT, "arquivo", "ficheiro"),
];

/// Variables that count something, so a noun after them agrees with the number. Sizes and limits
/// (`len`, `max`, `width`) are never 1 where they are shown, and `page` is an ordinal.
const COUNTS: &[&str] = &[
    "count",
    "records",
    "events",
    "years",
    "days",
    "tries",
    "found",
    "expected",
    "apdus",
    "pages",
    "attempts",
    "jobs",
    "certificates",
    "seconds",
    "minutes",
    "hours",
];

/// One message of one Fluent file, parsed.
struct Message {
    file: String,
    id: String,
    patterns: Vec<Pattern<String>>,
}

fn messages(lang: &str) -> Vec<Message> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("locale folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no Fluent files in {}", dir.display());
    let mut messages = Vec::new();
    for path in files {
        let file = format!("{lang}/{}", path.file_name().expect("name").to_string_lossy());
        let source = std::fs::read_to_string(&path).expect("ftl readable");
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{file} does not parse: {errors:?}"),
        };
        for entry in resource.body {
            if let Entry::Message(message) = entry {
                let patterns = message
                    .value
                    .into_iter()
                    .chain(message.attributes.into_iter().map(|a| a.value))
                    .collect();
                messages.push(Message { file: file.clone(), id: message.id.name, patterns });
            }
        }
    }
    messages
}

/// The words of a pattern: each run of text, every selector variant on its own. A placeable
/// breaks a run, so a term cannot be made of text on both sides of `{ $name }`.
fn texts(pattern: &Pattern<String>, out: &mut Vec<String>) {
    let mut run = String::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => run.push_str(value),
            PatternElement::Placeable { expression } => {
                out.push(std::mem::take(&mut run));
                expression_texts(expression, out);
            }
        }
    }
    out.push(run);
}

fn expression_texts(expression: &Expression<String>, out: &mut Vec<String>) {
    match expression {
        Expression::Select { variants, .. } => {
            for variant in variants {
                texts(&variant.value, out);
            }
        }
        Expression::Inline(InlineExpression::StringLiteral { value }) => out.push(value.clone()),
        Expression::Inline(InlineExpression::Placeable { expression }) => {
            expression_texts(expression, out)
        }
        Expression::Inline(_) => {}
    }
}

fn term_violations(lang: &str) -> Vec<String> {
    let rows: Vec<&Excluded> = EXCLUDED.iter().filter(|row| row.lang == lang).collect();
    let mut found = Vec::new();
    for message in messages(lang) {
        let mut runs = Vec::new();
        for pattern in &message.patterns {
            texts(pattern, &mut runs);
        }
        for row in &rows {
            if runs.iter().any(|run| row.is_used_in(run)) {
                found.push(format!(
                    "{} {}: uses «{}»; {lang} says «{}»",
                    message.file, message.id, row.term, row.instead
                ));
            }
        }
    }
    found
}

#[test]
fn no_message_uses_a_term_its_language_excludes() {
    let mut all = Vec::new();
    for lang in LANGUAGES {
        all.extend(term_violations(lang));
    }
    assert!(all.is_empty(), "{} messages use excluded terms:\n{}", all.len(), all.join("\n"));
}

#[test]
fn the_terms_table_catches_what_it_should_and_only_that() {
    let row = |lang: &str, term: &str| {
        EXCLUDED.iter().find(|r| r.lang == lang && r.term == term).expect("row in the table")
    };
    // The USB token keeps 數字證書 inside 數字證書盤; a bare certificate does not.
    assert!(!row(HANT, "數字證書").is_used_in("請插入數字證書盤"));
    assert!(row(HANT, "數字證書").is_used_in("數字證書盤內的數字證書"));
    assert!(row(HANT, "數字證書").is_used_in("數字證書申請表"));
    // "representante legal" is the legal representative; a bare "representante" is the agent.
    let agent = row(PT, "representante");
    assert!(!agent.is_used_in("Representante legal"));
    assert!(!agent.is_used_in("dos representantes legais"));
    assert!(agent.is_used_in("Nome do representante"));
    assert!(agent.is_used_in("Representante e representante legal"));
    // Post-1990 stems count at the start of a word only, in any case.
    assert!(!row(PT, "ação").is_used_in("Renovação"));
    assert!(row(PT, "ação").is_used_in("Esta ação"));
    assert!(row(PT, "atual").is_used_in("Atualizado"));
    assert!(!row(PT, "atual").is_used_in("Actualizado, contratual"));
    assert!(row(PT, "mrz").is_used_in("a ZLA (MRZ)"));
    // Whole-word rows leave longer words alone.
    assert!(!row(PT, "correto").is_used_in("o corretor"));
    assert!(row(PT, "correto").is_used_in("Correto."));
    // Every row is for a language the kiosk has, and says what to use instead.
    for row in EXCLUDED {
        assert!(LANGUAGES.contains(&row.lang), "{} is not one of ours", row.lang);
        assert!(!row.instead.is_empty() && !row.term.is_empty());
        assert!(row.allowed_in.iter().all(|a| a.to_lowercase().contains(&row.term.to_lowercase())));
    }
}

/// What is wrong with how `pattern` shows counts: a count placeable followed by a word (so the
/// word is its noun) outside a selector on that count, or a selector on a count without the
/// language's singular and plural variants.
fn plural_problems(
    lang: &str,
    pattern: &Pattern<String>,
    selected: &mut Vec<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, element) in pattern.elements.iter().enumerate() {
        let PatternElement::Placeable { expression } = element else { continue };
        match expression {
            Expression::Inline(InlineExpression::VariableReference { id }) => {
                let name = id.name.as_str();
                let noun_follows = match pattern.elements.get(i + 1) {
                    Some(PatternElement::TextElement { value }) => {
                        value.trim_start().chars().next().is_some_and(char::is_alphabetic)
                    }
                    _ => false,
                };
                if COUNTS.contains(&name) && noun_follows && !selected.iter().any(|s| s == name) {
                    problems
                        .push(format!("{{ ${name} }} is followed by its noun with no selector"));
                }
            }
            Expression::Select { selector, variants } => {
                let counted = match selector {
                    InlineExpression::VariableReference { id }
                        if COUNTS.contains(&id.name.as_str()) =>
                    {
                        Some(id.name.clone())
                    }
                    _ => None,
                };
                if let Some(name) = &counted {
                    let key = |v: &&fluent_syntax::ast::Variant<String>| match &v.key {
                        VariantKey::Identifier { name } => name.clone(),
                        VariantKey::NumberLiteral { value } => format!("={value}"),
                    };
                    let keys: Vec<String> = variants.iter().map(|v| key(&v)).collect();
                    let default = variants.iter().find(|v| v.default).map(|v| key(&v));
                    // Fluent reads "pt" with Brazil's rule, where 0 is "one" too; in Portugal and
                    // Macau 0 takes the plural, so Portuguese keys the singular on the number 1.
                    let singular = if lang == PT { "=1" } else { "one" };
                    if !keys.iter().any(|k| k == singular) || default.as_deref() != Some("other") {
                        problems.push(format!(
                            "the selector on ${name} needs [{}] and *[other], has {keys:?}",
                            singular.trim_start_matches('=')
                        ));
                    }
                    if lang == PT && keys.iter().any(|k| k == "one") {
                        problems
                            .push(format!("the selector on ${name} uses [one], which is also 0"));
                    }
                    selected.push(name.clone());
                }
                for variant in variants {
                    problems.extend(plural_problems(lang, &variant.value, selected));
                }
                if counted.is_some() {
                    selected.pop();
                }
            }
            Expression::Inline(_) => {}
        }
    }
    problems
}

#[test]
fn english_and_portuguese_counts_agree_with_their_nouns() {
    let mut all = Vec::new();
    for lang in [EN, PT] {
        for message in messages(lang) {
            for pattern in &message.patterns {
                for problem in plural_problems(lang, pattern, &mut Vec::new()) {
                    all.push(format!("{} {}: {problem}", message.file, message.id));
                }
            }
        }
    }
    assert!(all.is_empty(), "{} count problems:\n{}", all.len(), all.join("\n"));
}

#[test]
fn a_count_of_one_reads_as_one_whether_it_came_as_a_number_or_as_text() {
    use i18n::{FluentValue, Language};
    // Library errors carry their arguments as text (`message_args()`); the kiosk passes numbers.
    let as_text = i18n::text_with(Language::En, "token-error-wrong-pin", &[("tries", "1".into())]);
    assert!(as_text.contains("1 try left"), "{as_text}");
    let as_number =
        i18n::text_with(Language::En, "token-error-wrong-pin", &[("tries", FluentValue::from(1))]);
    assert_eq!(as_text, as_number);
    let many = i18n::text_with(Language::En, "token-error-wrong-pin", &[("tries", "5".into())]);
    assert!(many.contains("5 tries left"), "{many}");
    // Portugal's rule: 0 takes the plural, 1 the singular.
    let rebuilt = |n: i64| {
        i18n::text_with(
            Language::Pt,
            "store-rebuilt",
            &[("records", FluentValue::from(n)), ("events", FluentValue::from(n))],
        )
    };
    assert!(rebuilt(0).contains("0 registos"), "{}", rebuilt(0));
    assert!(rebuilt(1).contains("1 registo "), "{}", rebuilt(1));
    assert!(rebuilt(2).contains("2 registos"), "{}", rebuilt(2));
    // Text that only looks like a number keeps its form: leading zeros, long identity numbers.
    let id = i18n::text_with(
        Language::En,
        "id-check-invalid",
        &[("kind", "ID".into()), ("reason", "0012345".into())],
    );
    assert!(id.ends_with("0012345"), "{id}");
    let long = "440524188001010014";
    let id = i18n::text_with(
        Language::En,
        "id-check-invalid",
        &[("kind", "ID".into()), ("reason", long.into())],
    );
    assert!(id.ends_with(long), "{id}");
}
