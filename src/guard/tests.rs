//! The matcher, the rule-file checks and the streaming filter, on real English and Chinese text.

use super::*;
use std::path::Path;
use std::sync::Arc;

fn guard(toml: &str) -> Arc<Guard> {
    let mut set = RuleSet::default();
    set.add_text(toml, Path::new("test.toml")).unwrap();
    Arc::new(Guard::from_rules(set).unwrap())
}

fn rule_error(toml: &str) -> String {
    let mut set = RuleSet::default();
    set.add_text(toml, Path::new("/etc/ggchat/rules.toml"))
        .unwrap_err()
        .to_string()
}

const RULES: &str = r#"
[[category]]
name = "credentials"
action = "redact"
terms = ["hunter2"]
[[category.regex]]
pattern = 'sk-[A-Za-z0-9]{8,12}'
max_len = 15

[[category]]
name = "self-harm"
action = "warn"
terms = ["Kill Myself", "不想活了"]

[[category]]
name = "place"
action = "block"
terms = ["Paris", "巴黎"]

[[category]]
name = "名字"
action = "redact"
ignore_case = false
terms = ["张三", "Bob"]
"#;

fn mark(category: &str, action: Action) -> GuardMark {
    GuardMark {
        category: category.into(),
        action,
    }
}

#[test]
fn terms_match_inside_running_chinese_text_and_ignore_ascii_case() {
    let g = guard(RULES);
    let checked = g.check("我叫张三，今天我真的不想活了。");
    assert_eq!(checked.text, "我叫██，今天我真的不想活了。");
    assert_eq!(
        checked.marks,
        [
            mark("名字", Action::Redact),
            mark("self-harm", Action::Warn)
        ]
    );
    assert_eq!(checked.blocked, None);

    let checked = g.check("Sometimes I want to KILL MYSELF; my password is HUNTER2.");
    assert_eq!(
        checked.text,
        "Sometimes I want to KILL MYSELF; my password is ███████."
    );
    assert_eq!(checked.marks.len(), 2);
    // ignore_case = false: "bob" is not "Bob".
    assert_eq!(g.check("bob and Bob").text, "bob and ███");
}

#[test]
fn regexes_and_unicode_case_folding_share_one_pass() {
    let g = guard(
        r#"
[[category]]
name = "secrets"
action = "redact"
terms = ["Пароль"]
[[category.regex]]
pattern = 'sk-[a-z0-9]{4}\b'
max_len = 7
"#,
    );
    assert_eq!(
        g.check("key sk-ab12 and ПАРОЛЬ, not sk-ab123").text,
        "key ███████ and ██████, not sk-ab123"
    );
    let checked = g.check("我的巴黎之行");
    assert!(checked.marks.is_empty(), "another rule set: {checked:?}");
    let g = guard(RULES);
    let checked = g.check("我的巴黎之行");
    assert_eq!(checked.blocked, Some(mark("place", Action::Block)));
    assert_eq!(checked.text, "我的██之行");
}

#[test]
fn a_malformed_rule_file_names_the_file_the_line_and_the_rule() {
    let missing = rule_error(
        "[[category]]\nname = \"keys\"\naction = \"redact\"\n\n[[category.regex]]\npattern = 'sk-[a-z]+'\n",
    );
    assert!(missing.contains("/etc/ggchat/rules.toml"), "{missing}");
    assert!(missing.contains("line 5"), "{missing}");
    assert!(
        missing.contains("sk-[a-z]+") && missing.contains("max_len"),
        "{missing}"
    );

    let invalid = rule_error(
        "[[category]]\nname = \"keys\"\naction = \"block\"\nterms = [\"a\"]\n[[category.regex]]\npattern = 'sk-[a-z'\nmax_len = 9\n",
    );
    assert!(
        invalid.contains("line 5") && invalid.contains("'sk-[a-z'"),
        "{invalid}"
    );
    assert!(
        invalid.contains("not a valid regular expression"),
        "{invalid}"
    );

    let action = rule_error("[[category]]\nname = \"x\"\naction = \"blok\"\nterms = [\"a\"]\n");
    assert!(
        action.contains("line 3") && action.contains("blok"),
        "{action}"
    );

    let empty =
        rule_error("[[category]]\nname = \"x\"\naction = \"warn\"\nterms = [\"ok\", \" \"]\n");
    assert!(
        empty.contains("line 4") && empty.contains("empty term"),
        "{empty}"
    );

    let none = rule_error("[[category]]\nname = \"无规则\"\naction = \"warn\"\n");
    assert!(none.contains("line 1") && none.contains("无规则"), "{none}");

    let range = rule_error(
        "[[category]]\nname = \"x\"\naction = \"warn\"\n[[category.regex]]\npattern = 'a'\nmax_len = 5000\n",
    );
    assert!(
        range.contains("line 4") && range.contains("5000"),
        "{range}"
    );
}

#[test]
fn the_example_rule_files_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/guard");
    for name in ["en.toml", "zh-CN.toml"] {
        let g = Guard::load(&[dir.join(name)]).unwrap();
        assert!(g.rule_count() >= 5, "{name}");
    }
    let en = Guard::load(&[dir.join("en.toml")]).unwrap();
    let checked = en.check("my key is sk-abcdefghijklmnopqrstuvwx, ok");
    assert_eq!(checked.text, format!("my key is {}, ok", "█".repeat(27)));
    let zh = Guard::load(&[dir.join("zh-CN.toml")]).unwrap();
    let checked = zh.check("我的密码是abc123，别告诉别人");
    assert_eq!(checked.text, "我的█████████，别告诉别人");
    assert_eq!(checked.marks, [mark("凭据", Action::Redact)]);
}

/// Feeds `pieces` to a filter; returns what was released, the marks and the block, checking after
/// every piece that nothing in `secrets` has been released.
fn stream(
    g: &Arc<Guard>,
    pieces: &[&str],
    secrets: &[&str],
) -> (String, Vec<GuardMark>, Option<GuardMark>) {
    let mut filter = StreamFilter::new(Arc::clone(g));
    let (mut shown, mut marks, mut blocked) = (String::new(), Vec::new(), None);
    let mut take = |step: Step, shown: &mut String| {
        shown.push_str(&step.text);
        marks.extend(step.marks);
        if step.blocked.is_some() {
            assert!(blocked.is_none(), "blocked twice");
            blocked = step.blocked;
        }
    };
    for piece in pieces {
        take(filter.push(piece), &mut shown);
        for secret in secrets {
            assert!(
                !shown.contains(secret),
                "{secret:?} leaked in {shown:?} from {pieces:?}"
            );
        }
    }
    take(filter.finish(), &mut shown);
    (shown, marks, blocked)
}

/// Every way of cutting `text` into three pieces at character boundaries.
fn splits(text: &str) -> Vec<Vec<&str>> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let mut all = Vec::new();
    for (n, &a) in bounds.iter().enumerate() {
        for &b in &bounds[n..] {
            all.push(vec![&text[..a], &text[a..b], &text[b..]]);
        }
    }
    all.push(text.split_inclusive(|_| true).collect());
    all
}

#[test]
fn text_without_matches_streams_out_unchanged_and_complete() {
    let g = guard(RULES);
    for text in [
        "The capital of France is a city on the Seine.",
        "北京是中国的首都，人口众多。",
    ] {
        for pieces in splits(text) {
            let (shown, marks, blocked) = stream(&g, &pieces, &[]);
            assert_eq!(shown, text);
            assert!(marks.is_empty() && blocked.is_none());
        }
    }
}

#[test]
fn the_stream_holds_back_the_longest_rule_and_flushes_it_at_the_end() {
    let g = guard(RULES);
    assert_eq!(g.hold_back(), 15);
    let mut filter = StreamFilter::new(Arc::clone(&g));
    let text = "一二三四五六七八九十abcdefghijklmnopqrst";
    let step = filter.push(text);
    assert_eq!(
        step.text, "一二三四五六七八九十abcde",
        "all but 15 characters"
    );
    assert_eq!(filter.push("").text, "");
    assert_eq!(filter.finish().text, "fghijklmnopqrst");
}

#[test]
fn a_redacted_match_split_across_tokens_never_leaks() {
    let g = guard(RULES);
    for (text, expected, secrets) in [
        (
            "Use the key sk-Ab3De5Gh9 and hunter2 to log in, Bob.",
            "Use the key ████████████ and ███████ to log in, ███.",
            &["sk-Ab3", "hunter2", "Bob"][..],
        ),
        (
            "我是张三，真的不想活了，就这样。",
            "我是██，真的不想活了，就这样。",
            &["张三"][..],
        ),
    ] {
        for pieces in splits(text) {
            let (shown, marks, blocked) = stream(&g, &pieces, secrets);
            assert_eq!(shown, expected, "{pieces:?}");
            assert!(blocked.is_none());
            assert!(!marks.is_empty());
        }
    }
}

#[test]
fn a_block_stops_the_stream_at_the_match_in_both_languages() {
    let g = guard(RULES);
    for (text, expected) in [
        (
            "The capital of France is Paris. It is known for the Eiffel Tower.",
            "The capital of France is █████",
        ),
        ("法国的首都是巴黎。它以埃菲尔铁塔闻名。", "法国的首都是██"),
    ] {
        for pieces in splits(text) {
            let (shown, marks, blocked) = stream(&g, &pieces, &["Paris", "巴黎", "Eiffel", "铁塔"]);
            assert_eq!(shown, expected, "{pieces:?}");
            assert_eq!(blocked, Some(mark("place", Action::Block)));
            assert!(marks.contains(&mark("place", Action::Block)));
        }
    }
}

#[test]
fn a_warning_passes_the_text_and_reports_its_category_once() {
    let g = guard(RULES);
    let text = "I could kill myself laughing. Kill myself? No.";
    for pieces in splits(text) {
        let (shown, marks, _) = stream(&g, &pieces, &[]);
        assert_eq!(shown, text);
        assert_eq!(marks, [mark("self-harm", Action::Warn)]);
    }
}

#[test]
fn rule_file_errors_are_worded_in_both_languages_with_file_and_line() {
    let mut set = RuleSet::default();
    let error = set
        .add_text(
            "[[category]]\nname = \"x\"\naction = \"nope\"\n",
            Path::new("规则.toml"),
        )
        .unwrap_err();
    let en = crate::i18n::with_language(crate::i18n::Lang::En, || error.localized());
    assert_eq!(en, error.to_string());
    let zh = crate::i18n::with_language(crate::i18n::Lang::ZhCn, || error.localized());
    assert!(
        zh.starts_with("内容安全规则文件 规则.toml 第 3 行："),
        "{zh}"
    );
}
