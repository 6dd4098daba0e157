//! Built-in personas in both languages, user files with translations, stable ids for sessions,
//! and clear errors for bad files.

use super::*;

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_built_in_persona_parses_with_a_unique_id_in_both_languages() {
    let english = built_in_in(Lang::En);
    let chinese = built_in_in(Lang::ZhCn);
    assert_eq!(english.len(), BUILT_IN.len());
    assert_eq!(chinese.len(), BUILT_IN.len());
    for name in [
        "General assistant",
        "Customer support",
        "Coding assistant",
        "Summarizer",
    ] {
        assert!(english.iter().any(|p| p.name == name), "{name}");
    }
    let mut ids: Vec<_> = english.iter().map(|p| p.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), BUILT_IN.len(), "ids are unique: {ids:?}");
    for (en, zh) in english.iter().zip(&chinese) {
        assert_eq!(en.id, zh.id);
        assert_eq!(en.english_name, zh.english_name);
        assert!(!has_cjk(&en.name) && !has_cjk(&en.system_prompt), "{en:?}");
        for text in [&zh.name, &zh.description, &zh.system_prompt] {
            assert!(has_cjk(text), "{} lacks Chinese: {text}", zh.id);
        }
    }
}

#[test]
fn the_chinese_ui_lists_chinese_names() {
    let dir = tempfile::tempdir().unwrap();
    let (personas, problems) = i18n::with_language(Lang::ZhCn, || load_all(dir.path()));
    assert!(problems.is_empty(), "{problems:?}");
    let coding = personas.iter().find(|p| p.id == "coding").unwrap();
    assert_eq!(coding.name, "编程助手");
    assert!(coding.system_prompt.starts_with("你是"), "{coding:?}");
    let (personas, _) = i18n::with_language(Lang::En, || load_all(dir.path()));
    let coding = personas.iter().find(|p| p.id == "coding").unwrap();
    assert_eq!(coding.name, "Coding assistant");
}

#[test]
fn sessions_naming_a_persona_by_its_old_english_name_find_it() {
    assert_eq!(id_for_stored("Coding assistant"), "coding");
    assert_eq!(id_for_stored("coding"), "coding");
    assert_eq!(id_for_stored("Pirate"), "Pirate", "unknown names are kept");
    let chinese = built_in_in(Lang::ZhCn);
    let found = chinese.iter().find(|p| p.matches("Coding assistant"));
    assert_eq!(found.map(|p| p.id.as_str()), Some("coding"));
    assert_eq!(english_name("coding"), "Coding assistant");
    assert_eq!(english_name("pirate"), "pirate");
}

#[test]
fn user_personas_add_replace_and_carry_translations() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pirate.toml"),
        "name = \"Pirate\"\ndescription = \"Arr.\"\nsystem_prompt = \"Talk like a pirate.\"\n\n\
         [zh-CN]\nname = \"海盗\"\nsystem_prompt = \"像海盗一样说话。\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("my-tutor.toml"),
        "name = \"Tutor\"\nsystem_prompt = \"Short lessons.\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("chef.toml"),
        "id = \"coding\"\nname = \"Chef\"\nsystem_prompt = \"Cook.\"\n",
    )
    .unwrap();
    let (zh, problems) = load_all_in(dir.path(), Lang::ZhCn);
    assert!(problems.is_empty(), "{problems:?}");
    let pirate = zh
        .iter()
        .find(|p| p.id == "pirate")
        .expect("id from the file name");
    assert_eq!(pirate.name, "海盗");
    assert_eq!(pirate.system_prompt, "像海盗一样说话。");
    assert_eq!(
        pirate.description, "Arr.",
        "an untranslated field stays English"
    );
    assert_eq!(pirate.english_name, "Pirate");
    let (en, _) = load_all_in(dir.path(), Lang::En);
    let pirate = en.iter().find(|p| p.id == "pirate").unwrap();
    assert_eq!(pirate.name, "Pirate");
    assert_eq!(pirate.system_prompt, "Talk like a pirate.");
    // Same English name or same id replaces the built-in one.
    let tutors: Vec<_> = en.iter().filter(|p| p.english_name == "Tutor").collect();
    assert_eq!(tutors.len(), 1);
    assert_eq!(tutors[0].system_prompt, "Short lessons.");
    let coding: Vec<_> = en.iter().filter(|p| p.id == "coding").collect();
    assert_eq!(coding.len(), 1);
    assert_eq!(coding[0].name, "Chef");
    assert_eq!(en.len(), BUILT_IN.len() + 1, "pirate added, two replaced");
}

#[test]
fn bad_persona_files_are_named_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("broken.toml", "name = ", ""),
        (
            "typo.toml",
            "name = \"A\"\nsystem_prompt = \"B\"\n[zh-CN]\nnmae = \"甲\"\n",
            "nmae",
        ),
        (
            "badid.toml",
            "id = \"a b\"\nname = \"A\"\nsystem_prompt = \"B\"\n",
            "a b",
        ),
        (
            "empty.toml",
            "name = \"A\"\nsystem_prompt = \"  \"\n",
            "system_prompt",
        ),
    ];
    for (name, text, _) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (personas, problems) = i18n::with_language(Lang::En, || load_all(dir.path()));
    assert_eq!(personas.len(), BUILT_IN.len(), "no bad file is used");
    assert_eq!(problems.len(), files.len(), "{problems:#?}");
    for (name, _, detail) in files {
        let problem = problems.iter().find(|p| p.contains(name)).unwrap();
        assert!(problem.contains(detail), "{problem}");
        assert!(problem.contains("fix it or remove it"), "{problem}");
    }
    let (_, problems) = i18n::with_language(Lang::ZhCn, || load_all(dir.path()));
    assert!(
        problems.iter().all(|p| p.contains("请修正或删除")),
        "{problems:#?}"
    );
}
