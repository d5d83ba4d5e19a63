//! A sentence the app will show, kept as its Fluent id and arguments until `view` draws it, so
//! that F2 re-translates messages already on screen. Nothing in the app's state is a localised
//! `String`.

use i18n::{FluentValue, Language};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(id: &'static str) -> Self {
        Msg { id, args: Vec::new() }
    }

    pub fn with(id: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Msg { id, args }
    }

    /// The sentence in `lang`. Arguments that came from outside (file names, printer replies)
    /// are escaped when the whole line is drawn, not here.
    pub fn text(&self, lang: Language) -> String {
        let args: Vec<(&str, FluentValue<'_>)> =
            self.args.iter().map(|(k, v)| (*k, FluentValue::from(v.as_str()))).collect();
        i18n::text_with(lang, self.id, &args)
    }

    /// A store failure as the clerk reads it: what to do, with the detail for support last.
    pub fn store(err: &store::StoreError) -> Self {
        use store::StoreError;
        let detail = vec![("detail", err.to_string())];
        match err {
            StoreError::NewerSchema { .. } => Msg::with("error-store-newer", detail),
            e if e.is_damaged_file() => Msg::with("error-store-damaged", detail),
            _ => Msg::with("error-store", detail),
        }
    }
}
