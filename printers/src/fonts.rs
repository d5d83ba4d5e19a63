//! The font every document is printed in: Debian's Noto Sans CJK (`fonts-noto-cjk`), found at
//! run time, read once and kept by the caller (or once per process with [`Fonts::system`]).
//!
//! Names and addresses can hold any character, so the whole collection is loaded and each PDF
//! embeds only the glyphs it uses. One collection holds every regional face: Traditional Chinese
//! prints the Macau forms, Simplified Chinese the Guangdong ones; both carry Latin letters, but
//! not all of Latin Extended (Ł, ő, Vietnamese): when DejaVu Sans (`fonts-dejavu-core`) is
//! installed, the characters Noto lacks are printed in it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use krilla::text::Font as PdfFont;
use serde::{Deserialize, Serialize};
use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

use crate::document::Layout;

/// The Debian package that holds the font.
pub const PACKAGE: &str = "fonts-noto-cjk";
/// Where Debian installs it.
pub const DEBIAN_DIR: &str = "/usr/share/fonts/opentype/noto";
pub const REGULAR_FILE: &str = "NotoSansCJK-Regular.ttc";
pub const BOLD_FILE: &str = "NotoSansCJK-Bold.ttc";
/// A folder to look in before Debian's: it must hold [`REGULAR_FILE`] (and may hold [`BOLD_FILE`]).
pub const DIR_ENV: &str = "KIOSK_FONT_DIR";
/// The fallback for letters Noto CJK lacks (Latin Extended, Vietnamese, Greek, Cyrillic).
pub const FALLBACK_PACKAGE: &str = "fonts-dejavu-core";
pub const FALLBACK_DIR: &str = "/usr/share/fonts/truetype/dejavu";
pub const FALLBACK_REGULAR_FILE: &str = "DejaVuSans.ttf";
pub const FALLBACK_BOLD_FILE: &str = "DejaVuSans-Bold.ttf";
/// Faces of the Noto CJK collections, used when the faces' names do not tell (face 0 is Japanese).
pub const SIMPLIFIED_FACE: u32 = 2;
pub const TRADITIONAL_FACE: u32 = 3;

/// Where to find the font.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FontSource {
    /// `$KIOSK_FONT_DIR` when set, then Debian's folder.
    #[default]
    System,
    /// A folder holding `NotoSansCJK-Regular.ttc` and, optionally, `NotoSansCJK-Bold.ttc` and
    /// the fallback `DejaVuSans.ttf`, `DejaVuSans-Bold.ttf`.
    Dir { path: PathBuf },
    /// Font files named one by one (a collection or a single font); without a bold one,
    /// headings print in the regular weight; without a fallback, characters the main font lacks
    /// cannot be printed.
    Files { regular: PathBuf, bold: Option<PathBuf>, fallback: Option<PathBuf> },
}

impl FontSource {
    /// The kiosk's setting: a folder when configured, otherwise the system's.
    pub fn from_dir(dir: Option<PathBuf>) -> FontSource {
        match dir {
            Some(path) => FontSource::Dir { path },
            None => FontSource::System,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error(
        "the printing font {REGULAR_FILE} was not found (looked in: {}); install it with \
         `apt install {PACKAGE}`, or set {DIR_ENV} to the folder that holds it",
        list_paths(looked_in)
    )]
    Missing { looked_in: Vec<PathBuf> },
    #[error("the font file {} could not be read: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} is not a usable OpenType font; reinstall it with `apt install --reinstall {PACKAGE}`",
        path.display()
    )]
    NotAFont { path: PathBuf },
}

fn list_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

impl FontError {
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "printed-error-font-missing",
        "printed-error-font-unreadable",
        "printed-error-not-a-font",
    ];

    pub fn message_id(&self) -> &'static str {
        match self {
            FontError::Missing { .. } => "printed-error-font-missing",
            FontError::Unreadable { .. } => "printed-error-font-unreadable",
            FontError::NotAFont { .. } => "printed-error-not-a-font",
        }
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            FontError::Missing { looked_in } => vec![("paths", list_paths(looked_in))],
            FontError::Unreadable { path, source } => {
                vec![("path", path.display().to_string()), ("detail", source.to_string())]
            }
            FontError::NotAFont { path } => vec![("path", path.display().to_string())],
        }
    }
}

/// Which regional face of the collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    Traditional,
    Simplified,
}

impl Region {
    pub(crate) fn of(layout: Layout) -> Region {
        match layout {
            Layout::MacauBilingual | Layout::English => Region::Traditional,
            Layout::SimplifiedChinese => Region::Simplified,
        }
    }
}

/// One face, ready for measuring (skrifa) and for embedding (krilla).
#[derive(Clone)]
pub(crate) struct Face {
    pub(crate) data: Arc<Vec<u8>>,
    pub(crate) index: u32,
    pub(crate) pdf: PdfFont,
}

impl Face {
    /// A single font (the fallback).
    fn read(path: &Path) -> Result<Face, FontError> {
        let bytes = std::fs::read(path)
            .map_err(|source| FontError::Unreadable { path: path.to_owned(), source })?;
        let data = Arc::new(bytes);
        let not_a_font = || FontError::NotAFont { path: path.to_owned() };
        FontRef::from_index(data.as_slice(), 0).map_err(|_| not_a_font())?;
        let pdf = PdfFont::new(krilla::Data::from(Arc::clone(&data)), 0).ok_or_else(not_a_font)?;
        Ok(Face { data, index: 0, pdf })
    }

    pub(crate) fn font_ref(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(self.data.as_slice(), self.index).ok()
    }
}

struct Collection {
    path: PathBuf,
    traditional: Face,
    simplified: Face,
}

impl Collection {
    fn read(path: &Path) -> Result<Collection, FontError> {
        let bytes = std::fs::read(path)
            .map_err(|source| FontError::Unreadable { path: path.to_owned(), source })?;
        let data = Arc::new(bytes);
        let not_a_font = || FontError::NotAFont { path: path.to_owned() };
        let (traditional, simplified) = pick_faces(&data).ok_or_else(not_a_font)?;
        let face = |index: u32| -> Result<Face, FontError> {
            let pdf = PdfFont::new(krilla::Data::from(Arc::clone(&data)), index)
                .ok_or_else(not_a_font)?;
            Ok(Face { data: Arc::clone(&data), index, pdf })
        };
        let traditional = face(traditional)?;
        let simplified =
            if simplified == traditional.index { traditional.clone() } else { face(simplified)? };
        tracing::debug!(
            path = %path.display(),
            traditional = traditional.index,
            simplified = simplified.index,
            "font collection loaded"
        );
        Ok(Collection { path: path.to_owned(), traditional, simplified })
    }

    fn face(&self, region: Region) -> &Face {
        match region {
            Region::Traditional => &self.traditional,
            Region::Simplified => &self.simplified,
        }
    }
}

/// The faces for Traditional and Simplified Chinese: by their names (`… CJK TC`, `… CJK SC`),
/// else Noto's usual indices, else the only face of a single font.
fn pick_faces(data: &[u8]) -> Option<(u32, u32)> {
    let count = match FileRef::new(data).ok()? {
        FileRef::Font(_) => return Some((0, 0)),
        FileRef::Collection(collection) => collection.len(),
    };
    let mut traditional = None;
    let mut simplified = None;
    for index in 0..count {
        let Ok(font) = FontRef::from_index(data, index) else { continue };
        let family = [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME]
            .into_iter()
            .find_map(|id| font.localized_strings(id).english_or_first())
            .map(|name| name.to_string())
            .unwrap_or_default();
        if family.contains("Mono") {
            continue;
        }
        if traditional.is_none() && family.ends_with(" TC") {
            traditional = Some(index);
        }
        if simplified.is_none() && family.ends_with(" SC") {
            simplified = Some(index);
        }
    }
    let usual = |index: u32| (index < count).then_some(index);
    let traditional = traditional.or_else(|| usual(TRADITIONAL_FACE)).unwrap_or(0);
    let simplified = simplified.or_else(|| usual(SIMPLIFIED_FACE)).unwrap_or(traditional);
    (count > 0).then_some((traditional, simplified))
}

/// The loaded fonts: the regular collection and, when found, the bold one. Cheap to clone.
#[derive(Clone)]
pub struct Fonts {
    inner: Arc<Loaded>,
}

struct Loaded {
    regular: Collection,
    bold: Option<Collection>,
    fallback: Option<Fallback>,
}

struct Fallback {
    path: PathBuf,
    regular: Face,
    bold: Option<Face>,
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fonts")
            .field("regular", &self.inner.regular.path)
            .field("bold", &self.inner.bold.as_ref().map(|c| &c.path))
            .field("fallback", &self.inner.fallback.as_ref().map(|f| &f.path))
            .finish()
    }
}

static SYSTEM: OnceLock<Fonts> = OnceLock::new();

impl Fonts {
    /// Finds and reads the fonts (about 40 MB: do it once and keep the value).
    pub fn load(source: &FontSource) -> Result<Fonts, FontError> {
        let found = locate(source)?;
        let regular = Collection::read(&found.regular)?;
        let bold = match found.bold {
            Some(path) => Some(Collection::read(&path)?),
            None => {
                tracing::info!("no bold CJK font found: headings print in the regular weight");
                None
            }
        };
        let fallback = match found.fallback {
            Some((path, bold)) => {
                let regular = Face::read(&path)?;
                let bold = bold.map(|b| Face::read(&b)).transpose()?;
                Some(Fallback { path, regular, bold })
            }
            None => {
                tracing::info!(
                    "no fallback font ({FALLBACK_PACKAGE}): only what Noto CJK covers can print"
                );
                None
            }
        };
        Ok(Fonts { inner: Arc::new(Loaded { regular, bold, fallback }) })
    }

    /// The system's fonts (`$KIOSK_FONT_DIR`, then Debian's folder), read once per process.
    /// A failure is not remembered: installing the package and retrying works.
    pub fn system() -> Result<&'static Fonts, FontError> {
        if let Some(fonts) = SYSTEM.get() {
            return Ok(fonts);
        }
        let fonts = Fonts::load(&FontSource::System)?;
        Ok(SYSTEM.get_or_init(|| fonts))
    }

    pub fn regular_path(&self) -> &Path {
        &self.inner.regular.path
    }

    pub fn bold_path(&self) -> Option<&Path> {
        self.inner.bold.as_ref().map(|c| c.path.as_path())
    }

    pub fn fallback_path(&self) -> Option<&Path> {
        self.inner.fallback.as_ref().map(|f| f.path.as_path())
    }

    /// The first character of `text` the layout's fonts cannot print, if any (no glyph, or a
    /// right-to-left or complex script): for checking a name or an address when it is typed
    /// rather than when the form is printed. Invisible format characters (joiners, variation
    /// selectors) do not count: printing leaves them out.
    pub fn missing_char(&self, layout: Layout, text: &str) -> Option<char> {
        let charmaps: Vec<_> = self
            .chain(Region::of(layout), false)
            .into_iter()
            .filter_map(|face| face.font_ref().map(|f| f.charmap()))
            .collect();
        text.chars().filter(|&ch| !crate::render::is_invisible(ch) && !ch.is_whitespace()).find(
            |&ch| {
                crate::render::needs_shaping(ch) || charmaps.iter().all(|map| map.map(ch).is_none())
            },
        )
    }

    /// The faces a character is looked up in, in order, for text in the weight: the CJK face
    /// and the fallback in that weight, then in the other weight (a letter only the other
    /// weight has prints in it rather than not at all). Both weights search the same faces.
    pub(crate) fn chain(&self, region: Region, bold: bool) -> Vec<&Face> {
        let loaded = &*self.inner;
        let regular =
            [Some(loaded.regular.face(region)), loaded.fallback.as_ref().map(|f| &f.regular)];
        let heavy = [
            loaded.bold.as_ref().map(|c| c.face(region)),
            loaded.fallback.as_ref().and_then(|f| f.bold.as_ref()),
        ];
        let (first, second) = if bold { (heavy, regular) } else { (regular, heavy) };
        let mut chain: Vec<&Face> = Vec::with_capacity(4);
        for face in first.into_iter().chain(second).flatten() {
            if !chain.iter().any(|f| std::ptr::eq(*f, face)) {
                chain.push(face);
            }
        }
        chain
    }
}

struct Found {
    regular: PathBuf,
    bold: Option<PathBuf>,
    /// Regular and bold.
    fallback: Option<(PathBuf, Option<PathBuf>)>,
}

fn existing(path: PathBuf) -> Option<PathBuf> {
    path.is_file().then_some(path)
}

/// The files the source points at, or where it looked.
fn locate(source: &FontSource) -> Result<Found, FontError> {
    let (dirs, fallback_dirs): (Vec<PathBuf>, Vec<PathBuf>) = match source {
        FontSource::Files { regular, bold, fallback } => {
            if !regular.is_file() {
                return Err(FontError::Missing { looked_in: vec![regular.clone()] });
            }
            return Ok(Found {
                regular: regular.clone(),
                bold: bold.clone().and_then(existing),
                fallback: fallback.clone().and_then(existing).map(|f| (f, None)),
            });
        }
        FontSource::Dir { path } => (vec![path.clone()], vec![path.clone()]),
        FontSource::System => {
            let from_env = std::env::var_os(DIR_ENV).filter(|d| !d.is_empty()).map(PathBuf::from);
            (
                from_env.iter().cloned().chain([PathBuf::from(DEBIAN_DIR)]).collect(),
                from_env.into_iter().chain([PathBuf::from(FALLBACK_DIR)]).collect(),
            )
        }
    };
    let fallback = fallback_dirs.iter().find_map(|dir| {
        let regular = existing(dir.join(FALLBACK_REGULAR_FILE))?;
        Some((regular, existing(dir.join(FALLBACK_BOLD_FILE))))
    });
    for dir in &dirs {
        if let Some(regular) = existing(dir.join(REGULAR_FILE)) {
            let bold = existing(dir.join(BOLD_FILE));
            return Ok(Found { regular, bold, fallback });
        }
    }
    Err(FontError::Missing { looked_in: dirs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_names_the_package_to_install() {
        let source = FontSource::Dir { path: PathBuf::from("/nonexistent/fonts") };
        let error = Fonts::load(&source).expect_err("no font there");
        let message = error.to_string();
        assert!(message.contains("apt install fonts-noto-cjk"), "{message}");
        assert!(message.contains("/nonexistent/fonts"), "{message}");
        assert!(matches!(error, FontError::Missing { .. }));
    }

    #[test]
    fn the_faces_are_found_by_their_names_in_the_noto_collection() {
        let path = Path::new(DEBIAN_DIR).join(REGULAR_FILE);
        let data = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{e}: install {PACKAGE} with scripts/deps.sh test"));
        assert_eq!(pick_faces(&data), Some((TRADITIONAL_FACE, SIMPLIFIED_FACE)));
    }

    #[test]
    fn a_file_that_is_not_a_font_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(REGULAR_FILE);
        std::fs::write(&path, b"not a font").expect("write");
        let error =
            Fonts::load(&FontSource::Dir { path: dir.path().to_owned() }).expect_err("not a font");
        assert!(matches!(error, FontError::NotAFont { .. }), "{error}");
    }
}
