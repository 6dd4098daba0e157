//! Persona presets: a named system prompt for a use case.
//!
//! The presets shipped in `assets/personas/` are embedded in the binary; users add their own as
//! TOML files in the config directory's `personas/` folder (same fields), and a user file with the
//! same id (or the same English name) replaces a built-in one.
//!
//! Each persona has a stable `id` (`coding`, `tutor`, ...; a user file without one takes its
//! file name) that sessions store, so a session keeps its persona whatever language the UI is
//! shown in. Sessions written before ids existed name the persona by its English name;
//! [`id_for_stored`] maps those names to ids. A file may carry translated fields in a
//! `[zh-CN]` table; the personas are handed out already worded in the UI language, so the
//! system prompt a user picks is in the language the picker showed it in.

use crate::i18n::{self, Lang};
use serde::Deserialize;
use std::path::Path;

/// One persona, worded in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persona {
    /// Stable id, stored in sessions.
    pub id: String,
    /// The name shown in the picker (translated when the file has it).
    pub name: String,
    pub description: String,
    pub system_prompt: String,
    /// The English name, which sessions from before persona ids stored.
    pub english_name: String,
}

impl Persona {
    /// Whether a session's stored persona (an id, or an English name from before ids) is this
    /// one.
    pub fn matches(&self, stored: &str) -> bool {
        self.id == stored || self.english_name == stored
    }
}

/// A persona file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonaFile {
    id: Option<String>,
    name: String,
    #[serde(default)]
    description: String,
    system_prompt: String,
    #[serde(rename = "zh-CN")]
    zh_cn: Option<Translation>,
}

/// The translated fields of a persona; a field left out stays English.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Translation {
    name: Option<String>,
    description: Option<String>,
    system_prompt: Option<String>,
}

impl PersonaFile {
    /// Checks the fields and words the persona in `lang`; `fallback_id` is used when the file
    /// names no id.
    fn resolve(self, fallback_id: &str, lang: Lang) -> Result<Persona, String> {
        let id = self.id.unwrap_or_else(|| fallback_id.to_owned());
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(crate::tr!("persona-bad-id", id = id.as_str()));
        }
        for (field, value) in [("name", &self.name), ("system_prompt", &self.system_prompt)] {
            if value.trim().is_empty() {
                return Err(crate::tr!("persona-empty-field", field = field));
            }
        }
        let t = match lang {
            Lang::ZhCn => self.zh_cn.unwrap_or_default(),
            Lang::En => Translation::default(),
        };
        let pick = |translated: Option<String>, english: &String| {
            translated
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| english.clone())
        };
        Ok(Persona {
            name: pick(t.name, &self.name),
            description: pick(t.description, &self.description),
            system_prompt: pick(t.system_prompt, &self.system_prompt),
            english_name: self.name,
            id,
        })
    }
}

/// Parses one persona file's text; `fallback_id` is the id when the file has none.
fn parse(text: &str, fallback_id: &str, lang: Lang) -> Result<Persona, String> {
    let file: PersonaFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    file.resolve(fallback_id, lang)
}

const BUILT_IN: [&str; 6] = [
    include_str!("../../assets/personas/general.toml"),
    include_str!("../../assets/personas/support.toml"),
    include_str!("../../assets/personas/coding.toml"),
    include_str!("../../assets/personas/writing.toml"),
    include_str!("../../assets/personas/tutor.toml"),
    include_str!("../../assets/personas/summarizer.toml"),
];

/// The personas shipped with ggchat, in the UI language.
pub fn built_in() -> Vec<Persona> {
    built_in_in(i18n::language())
}

/// The personas shipped with ggchat, in `lang`.
pub fn built_in_in(lang: Lang) -> Vec<Persona> {
    BUILT_IN
        .iter()
        .filter_map(|text| parse(text, "", lang).ok())
        .collect()
}

/// The id a session's stored persona stands for: a built-in persona's English name (what
/// sessions stored before ids) becomes its id; anything else is kept as it is.
pub fn id_for_stored(stored: &str) -> String {
    built_in_in(Lang::En)
        .into_iter()
        .find(|p| p.matches(stored))
        .map_or_else(|| stored.to_owned(), |p| p.id)
}

/// The English name of the built-in persona `id`, or `id` itself for any other (exports name
/// the persona, not its id).
pub fn english_name(id: &str) -> String {
    built_in_in(Lang::En)
        .into_iter()
        .find(|p| p.matches(id))
        .map_or_else(|| id.to_owned(), |p| p.english_name)
}

/// Built-in personas plus the user's, in the UI language, and a message for each user file
/// that could not be read.
pub fn load_all(user_dir: &Path) -> (Vec<Persona>, Vec<String>) {
    load_all_in(user_dir, i18n::language())
}

/// [`load_all`] in `lang`.
pub fn load_all_in(user_dir: &Path, lang: Lang) -> (Vec<Persona>, Vec<String>) {
    let mut personas = built_in_in(lang);
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(user_dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let stem = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| parse(&text, &stem, lang));
        match parsed {
            Ok(persona) => {
                personas.retain(|p| p.id != persona.id && p.english_name != persona.english_name);
                personas.push(persona);
            }
            Err(reason) => problems.push(crate::tr!(
                "persona-bad-file",
                path = path.display().to_string(),
                reason = reason,
            )),
        }
    }
    (personas, problems)
}

#[cfg(test)]
mod tests;
