//! `kiosk import --format jsonl FILE`: records in `kiosk export`'s form (one JSON object a line,
//! `kind` and `id` first, then the record's fields), new ones or new versions of records the
//! store holds. This is how a CA moves its existing registry onto the kiosks.
//!
//! All or nothing: every line is read, decoded and checked first — its kind, its id, the
//! record's own rules, its lifecycle against what the store holds or an earlier line of the file
//! made — and one bad line refuses the whole file, each bad line named by its number and why.
//! Then every line is written in one store transaction, through the store's one write path
//! ([`store::Writer::put`]): a new record or a changed one becomes an event (by no clerk: an
//! operator's import), an unchanged one writes nothing.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;

use registry::model::{RecordId, RecordKind};
use serde_json::{Map, Value};
use store::{Store, StoreError};

pub use registry::import::BadLine;
use registry::import::{Checked, CheckedRecord, LineError, check_as, check_lines};
use registry::with_record_type;

use crate::output::{errln, outln};
use crate::{Context, KioskError};

/// How many bad lines a refusal lists; the rest are counted.
const SHOWN_BAD_LINES: usize = 20;

/// A line's reason in the clerk's language (kinds and problem codes translated).
pub trait LocalisedLineError {
    fn localised(&self, ctx: &Context) -> String;
}

impl LocalisedLineError for LineError {
    fn localised(&self, ctx: &Context) -> String {
        ctx.t_pairs(self.message_id(), self.message_args(|id| ctx.t(id)))
    }
}

/// Why a file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// These lines are bad (in file order); nothing was written.
    #[error("{} bad lines, the first line {}", .0.len(), .0.first().map_or(0, |b| b.line))]
    BadLines(Vec<BadLine>),
    #[error("could not read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
}

pub fn run(ctx: &Context, file: &Path) -> Result<ExitCode, KioskError> {
    let shown = file.to_string_lossy().into_owned();
    let input: Box<dyn Read> = if file == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(file) {
            Ok(f) => Box::new(f),
            Err(e) => {
                let args = vec![("file", shown), ("detail", e.to_string())];
                return Err(KioskError::Refused(ctx.t_pairs("import-cannot-read", args)));
            }
        }
    };
    let mut store = ctx.open_store()?;
    match import_jsonl(&mut store, BufReader::new(input)) {
        Ok(done) => {
            let counts =
                [("new", done.new), ("changed", done.changed), ("unchanged", done.unchanged)];
            let args: Vec<_> = counts.iter().map(|(k, v)| (*k, (*v).into())).collect();
            outln!("{}", ctx.t_with("import-done", &args))?;
            tracing::info!(
                new = done.new,
                changed = done.changed,
                unchanged = done.unchanged,
                "records imported"
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::BadLines(bad)) => {
            errln!("{}", ctx.t_with("import-refused", &[("count", bad.len().into())]));
            for b in bad.iter().take(SHOWN_BAD_LINES) {
                let reason = b.reason.localised(ctx);
                errln!(
                    "{}",
                    ctx.t_with(
                        "import-bad-line",
                        &[("line", b.line.into()), ("reason", reason.into())]
                    )
                );
            }
            if bad.len() > SHOWN_BAD_LINES {
                let more = bad.len() - SHOWN_BAD_LINES;
                errln!("{}", ctx.t_with("import-more-bad-lines", &[("count", more.into())]));
            }
            // Line numbers only: a reason can quote the file's values.
            tracing::warn!(bad_lines = bad.len(), first = bad[0].line, "import refused");
            Ok(ExitCode::from(1))
        }
        Err(ImportError::Read(e)) => {
            let args = vec![("file", shown), ("detail", e.to_string())];
            Err(KioskError::Refused(ctx.t_pairs("import-cannot-read", args)))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

/// Imports `input` (JSON lines in `kiosk export`'s form) into `store`: all of it, or nothing.
pub fn import_jsonl(store: &mut Store, input: impl BufRead) -> Result<Imported, ImportError> {
    // One snapshot, so the lifecycle checks see one state of the store.
    let parsed = store.snapshot(|s| Ok(check_all(s, input)))??;
    // The line being written, for a lifecycle refusal that only shows now: another process
    // changed a record between the check and this transaction.
    let mut at_line = 0;
    let written = store.write(None, |w| {
        let mut done = Imported::default();
        for p in &parsed {
            at_line = p.line;
            let existed = with_record_type!(p.kind, R => w.get::<R>(p.id)?.is_some());
            let event = with_record_type!(p.kind, R => {
                let record: R = serde_json::from_value(Value::Object(p.record.clone()))?;
                w.put(&record)?
            });
            match (event, existed) {
                (None, _) => done.unchanged += 1,
                (Some(_), true) => done.changed += 1,
                (Some(_), false) => done.new += 1,
            }
        }
        Ok(done)
    });
    match written {
        Ok(done) => Ok(done),
        Err(StoreError::Invalid { kind, problems }) => Err(ImportError::BadLines(vec![BadLine {
            line: at_line,
            reason: LineError::Invalid { kind, problems },
        }])),
        Err(e) => Err(e.into()),
    }
}

/// Reads and checks every line, writing nothing: the lines to write, or every bad one.
fn check_all(store: &Store, input: impl BufRead) -> Result<Vec<Checked>, ImportError> {
    check_lines(input, |kind, id, object, earlier| check_record(store, kind, id, object, earlier))?
        .map_err(ImportError::BadLines)
}

/// Decodes the fields as a record of `kind` and checks it as a write would: no field the record
/// does not have, its own rules, and its lifecycle from `earlier` (an earlier line of the file)
/// or else from what the store holds. Answers the record as the object its type makes, or why
/// the line is bad; the outer error is the store failing to answer.
fn check_record(
    store: &Store,
    kind: RecordKind,
    id: RecordId,
    object: Map<String, Value>,
    earlier: Option<&Map<String, Value>>,
) -> CheckedRecord<ImportError> {
    with_record_type!(kind, R => {
        let stored = match earlier {
            Some(_) => None,
            // A stored state that does not decode (its creation has not replicated yet) is
            // refused by the write itself; here it is nothing to compare with.
            None => match store.get::<R>(id) {
                Ok(stored) => stored,
                Err(StoreError::Json(_)) => None,
                Err(e) => return Err(e.into()),
            },
        };
        Ok(check_as::<R>(object, earlier, stored))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Language;
    use registry::Problem;
    use registry::model::{IdDocument, IdDocumentKind, Person, Sensitive};
    use store::StoreOptions;

    fn store(kiosk: &str) -> Store {
        Store::open_in_memory(StoreOptions { kiosk_id: Some(kiosk.into()), ..Default::default() })
            .expect("store")
    }

    fn export(store: &Store) -> String {
        let mut out = Vec::new();
        store.export_jsonl(&mut out).expect("export");
        String::from_utf8(out).expect("utf-8")
    }

    fn person(number: &str, phone: &str) -> Person {
        Person {
            id: ulid::Ulid::new(),
            name_zh: Some("何家豪".into()),
            name_latin: Some("HO KA HOU".into()),
            id_document: IdDocument {
                kind: IdDocumentKind::MacauResident,
                number: Sensitive::new(number),
                issuing_state: None,
                expiry: None,
            },
            nationality: Some("CHN".into()),
            birth_date: Some(time::macros::date!(1990 - 03 - 04)),
            sex: None,
            phone: Some(Sensitive::new(phone)),
            email: Some("kahou@example.mo".into()),
            photo: None,
        }
    }

    /// A store with a few records of several kinds, and its export.
    fn office() -> (Store, String) {
        let mut source = store("KSRC");
        let ho = person("1234567(3)", "+853 6612 3456");
        let company = crate::test_fixtures::trading_company();
        let member = crate::test_fixtures::member(
            company.id,
            ho.id,
            registry::model::MemberRole::LegalRepresentative,
        );
        source
            .write(None, |w| {
                w.put(&ho)?;
                w.put(&person("5123456(8)", "+853 6612 0000"))?;
                w.put(&company)?;
                w.put(&member)?;
                Ok(())
            })
            .expect("records");
        let text = export(&source);
        (source, text)
    }

    fn bad_lines(result: Result<Imported, ImportError>) -> Vec<BadLine> {
        match result {
            Err(ImportError::BadLines(bad)) => bad,
            other => panic!("expected bad lines, got {other:?}"),
        }
    }

    #[test]
    fn an_export_imported_into_a_new_store_exports_the_same() {
        let (_, text) = office();
        let mut fresh = store("KNEW");
        let done = import_jsonl(&mut fresh, text.as_bytes()).expect("import");
        assert_eq!(done, Imported { new: 4, changed: 0, unchanged: 0 });
        assert_eq!(export(&fresh), text);
        assert!(fresh.verify().expect("verify").is_empty());
        // The same file again changes nothing and writes no event.
        let events = fresh.stats().expect("stats").events;
        let again = import_jsonl(&mut fresh, text.as_bytes()).expect("again");
        assert_eq!(again, Imported { new: 0, changed: 0, unchanged: 4 });
        assert_eq!(fresh.stats().expect("stats").events, events);
    }

    #[test]
    fn a_changed_line_becomes_one_change_event_of_the_changed_field() {
        let (source, text) = office();
        let mut target = store("KNEW");
        import_jsonl(&mut target, text.as_bytes()).expect("import");
        let mut people: Vec<Person> = source.list().expect("people");
        people[0].phone = Some(Sensitive::new("+853 6999 9999"));
        let line = serde_json::to_value(&people[0]).expect("json");
        let Value::Object(mut fields) = line else { panic!("an object") };
        fields.insert("kind".into(), Value::String("person".into()));
        let file = format!("{}\n", Value::Object(fields));
        let before = target.stats().expect("stats").events;
        let done = import_jsonl(&mut target, file.as_bytes()).expect("import");
        assert_eq!(done, Imported { new: 0, changed: 1, unchanged: 0 });
        assert_eq!(target.stats().expect("stats").events, before + 1);
        let events = target.events_of(RecordKind::Person, people[0].id).expect("events");
        let last = events.last().expect("an event");
        assert_eq!(last.changes.keys().collect::<Vec<_>>(), ["phone"]);
        assert_eq!(last.clerk, None, "an import is an operator's, by no clerk");
        assert_eq!(target.get::<Person>(people[0].id).expect("get"), Some(people[0].clone()));
    }

    #[test]
    fn a_malformed_line_is_named_and_nothing_of_the_file_is_imported() {
        let (_, text) = office();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.insert(2, r#"{"kind":"person","id":"#);
        assert_eq!(lines.len(), 5);
        let file = lines.join("\n");
        let mut target = store("KNEW");
        let bad = bad_lines(import_jsonl(&mut target, file.as_bytes()));
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 3);
        assert!(matches!(bad[0].reason, LineError::NotJson(_)), "{:?}", bad[0]);
        assert_eq!(target.stats().expect("stats").events, 0, "nothing imported");
        assert_eq!(export(&target), "");
    }

    #[test]
    fn unknown_kinds_bad_ids_unknown_fields_and_invalid_records_are_each_named() {
        let (_, text) = office();
        let first =
            text.lines().find(|l| l.contains(r#""kind":"organisation""#)).expect("a company");
        let with = |from: &str, to: &str| {
            assert!(first.contains(from), "{first}");
            first.replacen(from, to, 1)
        };
        let id = ulid::Ulid::new();
        let file = [
            format!(r#"{{"kind":"vehicle","id":"{id}"}}"#),
            r#"["kind","person"]"#.to_owned(),
            with(r#""kind":"organisation","id":""#, r#""kind":"organisation","id":"x"#),
            with(r#""name_zh""#, r#""name_zhh""#),
            with(r#""SO-12345""#, r#""""#),
            with(r#""kind":"organisation","#, ""),
            first.to_owned(),
        ]
        .join("\n");
        let mut target = store("KNEW");
        let bad = bad_lines(import_jsonl(&mut target, file.as_bytes()));
        let got: Vec<(usize, &str)> = bad.iter().map(|b| (b.line, b.reason.message_id())).collect();
        assert_eq!(
            got,
            [
                (1, "import-unknown-kind"),
                (2, "import-not-an-object"),
                (3, "import-bad-id"),
                (4, "import-unknown-field"),
                (5, "import-invalid"),
                (6, "import-no-kind"),
            ]
        );
        assert_eq!(target.stats().expect("stats").records, 0, "not even the good line 7");
    }

    #[test]
    fn a_lifecycle_step_the_record_cannot_take_is_refused_against_the_file_and_the_store() {
        use registry::application::{Application, ApplicationState};
        let draft = Application::draft(
            ulid::Ulid::new(),
            registry::model::Service::NewIssuance,
            ulid::Ulid::new(),
            registry::model::HolderKind::Person,
            registry::model::CertificateClass::Standard,
            time::OffsetDateTime::now_utc(),
        );
        let line = |app: &Application| {
            let Value::Object(mut fields) = serde_json::to_value(app).expect("json") else {
                panic!("an object")
            };
            fields.insert("kind".into(), Value::String("application".into()));
            Value::Object(fields).to_string()
        };
        let mut done = draft.clone();
        done.progress.state = ApplicationState::Completed;
        // Created past its draft: refused whole, though line 1 alone was fine.
        let mut target = store("KNEW");
        let file = format!("{}\n{}\n", line(&draft), line(&done));
        let bad = bad_lines(import_jsonl(&mut target, file.as_bytes()));
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [2]);
        assert_eq!(target.stats().expect("stats").records, 0);
        // Against the store: the draft is there, a completed version of it is refused.
        import_jsonl(&mut target, line(&draft).as_bytes()).expect("the draft alone");
        let bad = bad_lines(import_jsonl(&mut target, line(&done).as_bytes()));
        let LineError::Invalid { problems, .. } = &bad[0].reason else { panic!("{bad:?}") };
        assert_eq!(problems[0].code, registry::problem::codes::CHANGE_NOT_ALLOWED);
    }

    #[test]
    fn a_line_that_is_not_text_is_named_and_blank_lines_are_skipped() {
        let (_, text) = office();
        let mut file = text.replacen('\n', "\n\n", 1).into_bytes();
        file.extend_from_slice(b"\xff\xfe\n");
        let mut target = store("KNEW");
        let bad = bad_lines(import_jsonl(&mut target, file.as_slice()));
        assert_eq!(bad, [BadLine { line: 6, reason: LineError::NotText }]);
    }

    #[test]
    fn every_reason_and_message_is_in_every_language() {
        let kind = RecordKind::Person;
        let problems = vec![Problem {
            field: "email".into(),
            code: registry::problem::codes::CHANGE_NOT_ALLOWED,
        }];
        let reasons = [
            LineError::NotText,
            LineError::NotJson("EOF while parsing".into()),
            LineError::NotAnObject,
            LineError::NoKind,
            LineError::UnknownKind("vehicle".into()),
            LineError::NoId,
            LineError::BadId("x".into()),
            LineError::NotARecord { kind, detail: "missing field `id_document`".into() },
            LineError::UnknownField { kind, field: "name_zhh".into() },
            LineError::Invalid { kind, problems },
        ];
        let ids: Vec<_> = reasons.iter().map(LineError::message_id).collect();
        assert_eq!(ids, LineError::ALL_MESSAGE_IDS, "ALL_MESSAGE_IDS lists each once");
        for lang in Language::ALL {
            let ctx = Context {
                data_dir: std::path::PathBuf::from("/nonexistent"),
                config: crate::config::Config::default(),
                lang,
            };
            let mut texts: Vec<String> = reasons.iter().map(|r| r.localised(&ctx)).collect();
            for count in [1usize, 3] {
                for id in ["import-refused", "import-more-bad-lines"] {
                    texts.push(ctx.t_with(id, &[("count", count.into())]));
                }
                let args =
                    [("new", count.into()), ("changed", count.into()), ("unchanged", 0.into())];
                texts.push(ctx.t_with("import-done", &args));
            }
            texts
                .push(ctx.t_with("import-bad-line", &[("line", 3.into()), ("reason", "x".into())]));
            texts.push(
                ctx.t_pairs(
                    "import-cannot-read",
                    vec![("file", "f".into()), ("detail", "d".into())],
                ),
            );
            for text in texts {
                assert!(!text.starts_with("import-"), "{lang} lacks {text}");
                assert!(!text.contains("{ $") && !text.contains("{$"), "{lang}: {text}");
            }
        }
        let ctx = Context {
            data_dir: std::path::PathBuf::from("/nonexistent"),
            config: crate::config::Config::default(),
            lang: Language::En,
        };
        let invalid = reasons[9].localised(&ctx);
        assert!(invalid.contains("person") && invalid.contains("email"), "{invalid}");
    }
}
