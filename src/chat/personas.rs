//! Persona presets: a named system prompt for a use case.
//!
//! The presets shipped in `assets/personas/` are embedded in the binary; users add their own as
//! TOML files in the config directory's `personas/` folder (same fields), and a user file with the
//! same name replaces a built-in one.

use serde::Deserialize;
use std::path::Path;

/// One persona.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub system_prompt: String,
}

const BUILT_IN: [&str; 6] = [
    include_str!("../../assets/personas/general.toml"),
    include_str!("../../assets/personas/support.toml"),
    include_str!("../../assets/personas/coding.toml"),
    include_str!("../../assets/personas/writing.toml"),
    include_str!("../../assets/personas/tutor.toml"),
    include_str!("../../assets/personas/summarizer.toml"),
];

/// The personas shipped with ggchat.
pub fn built_in() -> Vec<Persona> {
    BUILT_IN
        .iter()
        .filter_map(|text| toml::from_str(text).ok())
        .collect()
}

/// Built-in personas plus the user's, and a message for each user file that could not be read.
pub fn load_all(user_dir: &Path) -> (Vec<Persona>, Vec<String>) {
    let mut personas = built_in();
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
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| toml::from_str::<Persona>(&text).map_err(|e| e.message().to_owned()));
        match parsed {
            Ok(persona) => {
                personas.retain(|p| p.name != persona.name);
                personas.push(persona);
            }
            Err(reason) => problems.push(format!("persona {}: {reason}", path.display())),
        }
    }
    (personas, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_persona_parses() {
        let personas = built_in();
        assert_eq!(personas.len(), BUILT_IN.len());
        for name in [
            "General assistant",
            "Customer support",
            "Coding assistant",
            "Summarizer",
        ] {
            assert!(personas.iter().any(|p| p.name == name), "{name}");
        }
        assert!(personas.iter().all(|p| !p.system_prompt.trim().is_empty()));
    }

    #[test]
    fn user_personas_add_and_replace() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pirate.toml"),
            "name = \"Pirate\"\nsystem_prompt = \"Talk like a pirate.\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("tutor.toml"),
            "name = \"Tutor\"\nsystem_prompt = \"Short lessons.\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("broken.toml"), "name = ").unwrap();
        let (personas, problems) = load_all(dir.path());
        assert!(personas.iter().any(|p| p.name == "Pirate"));
        let tutor = personas.iter().find(|p| p.name == "Tutor").unwrap();
        assert_eq!(tutor.system_prompt, "Short lessons.");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("broken.toml"));
    }
}
