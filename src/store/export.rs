//! Exports: a session as Markdown to read or share, or as JSON to process or archive.
//!
//! An exported conversation should be reproducible, not just readable: both forms carry the
//! model (name, size, fingerprint), the chat template, the sampling and model settings, and each
//! reply's seed and stop reason, so someone with the same model file can replay it. The JSON
//! export is exactly the session file format, so it can also be dropped back into a sessions
//! directory.

use super::format;
use super::session::{Session, make_encodable};
use crate::chat::Role;
use crate::params::{PARAMS, Param, Section, Unset, Value};
use std::fmt::Write as _;

/// The session as pretty JSON, in the session file format (see [`super::format`]).
pub fn to_json(session: &Session) -> String {
    let mut copy = session.clone();
    make_encodable(&mut copy);
    match format::encode(&copy) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        // Unreachable after make_encodable; still no panic.
        Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.2} {}", UNITS[unit])
    }
}

/// A value for a table cell: one line, with `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace(|c: char| c.is_control(), " ")
}

/// The session as Markdown: a header with title, dates, model, template and settings, the system
/// prompt as a quote, then every message under a `### User` / `### Assistant` heading, each reply
/// followed by an italic line of its stats.
pub fn to_markdown(session: &Session) -> String {
    let mut md = String::new();
    // Writing to a String cannot fail; the results are ignored rather than unwrapped.
    let _ = write_header(&mut md, session);
    let _ = write_messages(&mut md, session);
    md
}

/// The session as Markdown with every branch of its conversation tree: the header as in
/// [`to_markdown`], then every message in the order it was written, each heading saying which
/// message it follows and, when it has siblings, which alternative it is (`alternative 2/3`);
/// the messages of the active path are marked `active`.
pub fn to_markdown_all_branches(session: &Session) -> String {
    let mut s = session.clone();
    s.sync_tree();
    let mut md = String::new();
    let _ = write_header(&mut md, &s);
    let active: std::collections::HashSet<_> = s.tree.active_ids().into_iter().collect();
    for node in s.tree.nodes() {
        let role = match node.message.role {
            Role::User => "User",
            Role::Assistant => "Assistant",
            Role::System => "System",
        };
        let mut notes = vec![format!("#{}", node.id)];
        notes.push(match node.parent {
            Some(p) => format!("after #{p}"),
            None => "first".to_owned(),
        });
        if let Some((at, count)) = s.tree.sibling_position(node.id).filter(|&(_, n)| n > 1) {
            notes.push(format!("alternative {at}/{count}"));
        }
        if active.contains(&node.id) {
            notes.push("active".to_owned());
        }
        let _ = writeln!(
            md,
            "\n### {role} ({})\n\n{}",
            notes.join(", "),
            node.message.content.trim_end()
        );
    }
    md
}

fn write_header(md: &mut String, s: &Session) -> std::fmt::Result {
    writeln!(md, "# {}\n", cell(&s.title))?;
    writeln!(md, "- **Session:** `{}` (revision {})", s.id, s.revision)?;
    writeln!(md, "- **Created:** {}", s.created)?;
    writeln!(md, "- **Updated:** {}", s.updated)?;
    let branches = s.tree.branch_count();
    if branches > 1 {
        writeln!(
            md,
            "- **Branches:** {branches} (the messages below are the active one)"
        )?;
    }
    match &s.model {
        Some(m) => writeln!(
            md,
            "- **Model:** {} ({}, {} bytes, fingerprint `{}`)",
            cell(&m.file_name),
            human_bytes(m.size),
            m.size,
            m.fingerprint
        )?,
        None => writeln!(md, "- **Model:** not recorded")?,
    }
    let template = s.template.as_deref().map_or("not recorded".into(), cell);
    writeln!(md, "- **Chat template:** {template}")?;
    if let Some(persona) = &s.persona {
        let name = crate::chat::personas::english_name(persona);
        writeln!(md, "- **Persona:** {}", cell(&name))?;
    }

    write_settings(md, s)?;

    let system = &s.conversation.system_prompt;
    if !system.trim().is_empty() {
        writeln!(md, "\n## System prompt\n")?;
        for line in system.lines() {
            writeln!(md, "> {line}")?;
        }
    }
    Ok(())
}

/// The settings tables: every row of the parameter table, sampling first, then the model's.
fn write_settings(md: &mut String, s: &Session) -> std::fmt::Result {
    let value = crate::tr!("param-export-value");
    writeln!(md, "\n## {}\n", crate::tr!("param-export-heading"))?;
    for (section, title) in [
        (Section::Sampling, crate::tr!("param-export-sampling")),
        (Section::Model, crate::tr!("param-export-model")),
    ] {
        if section == Section::Model {
            writeln!(md)?;
        }
        writeln!(md, "| {title} | {value} |\n| --- | --- |")?;
        for param in PARAMS.iter().filter(|p| p.section() == section) {
            let shown = show(param, param.get(&s.sampling, &s.model_params));
            writeln!(md, "| {} | {shown} |", param.name)?;
        }
    }
    Ok(())
}

/// A parameter's value for the settings table.
fn show(param: &Param, value: Value) -> String {
    match value {
        Value::F32(v) => v.to_string(),
        Value::I32(v) => v.to_string(),
        Value::U32(v) | Value::OptU32(Some(v)) => v.to_string(),
        Value::Strings(list) if list.is_empty() => Unset::Nothing.describe(),
        Value::Strings(list) => {
            let quoted: Vec<String> = list
                .iter()
                .map(|x| format!("`{}`", cell(&format!("{x:?}"))))
                .collect();
            quoted.join(", ")
        }
        Value::Flash(v) => v.name().to_owned(),
        Value::Spec(v) => v.name().to_owned(),
        Value::Thinking(v) => v.name().to_owned(),
        Value::Path(Some(path)) => cell(&path.display().to_string()),
        Value::OptU32(None) | Value::Path(None) => param.unset.describe(),
    }
}

fn write_messages(md: &mut String, s: &Session) -> std::fmt::Result {
    writeln!(md, "\n## Conversation")?;
    for message in &s.conversation.messages {
        let heading = match message.role {
            Role::System => "System",
            Role::User => "User",
            Role::Assistant => "Assistant",
        };
        writeln!(md, "\n### {heading}")?;
        // The reasoning folded above the answer, as the chat shows it.
        if let Some(reasoning) = (message.reasoning.as_deref()).filter(|r| !r.trim().is_empty()) {
            writeln!(
                md,
                "\n<details><summary>Thinking</summary>\n\n{}\n\n</details>",
                reasoning.trim()
            )?;
        }
        writeln!(md, "\n{}", message.content.trim_end())?;
        if let Some(st) = &message.stats {
            let mut parts = vec![
                format!("{} tokens", st.generated_tokens),
                format!("{:.1} tok/s", st.generation_tokens_per_second),
                format!("seed {}", st.seed),
            ];
            if let Some(reason) = st.stop_reason {
                parts.push(reason.describe().to_owned());
            }
            if let Some(model) = &message.model {
                parts.push(cell(model));
            }
            writeln!(md, "\n*{}*", parts.join(" · "))?;
        }
        if !message.guard.is_empty() {
            let marks: Vec<String> = (message.guard.iter())
                .map(|m| format!("{} ({})", cell(&m.category), m.action.as_str()))
                .collect();
            writeln!(md, "\n*Content filter: {}*", marks.join(", "))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::{Message, ReplyStats, StopReason};
    use crate::params::{ModelParams, SamplingParams};
    use crate::store::ModelRef;

    fn session() -> Session {
        let sampling = SamplingParams {
            temperature: 0.25,
            top_k: 17,
            seed: Some(1234),
            stop: vec!["</s>".into(), "a|b".into()],
            ..Default::default()
        };
        let params = ModelParams {
            ctx_size: Some(8192),
            ..Default::default()
        };
        let mut s = Session::new("Answer in French.\nBe brief.", sampling, params);
        s.title = "Cooking | tips".into();
        s.template = Some("chatml".into());
        s.persona = Some("chef".into());
        s.model = Some(ModelRef {
            file_name: "qwen2.5-0.5b-q8_0.gguf".into(),
            size: 531_000_000,
            fingerprint: "0123456789abcdef".into(),
        });
        s.conversation
            .messages
            .push(Message::user("How do I boil an egg?"));
        let mut reply = Message::assistant("Faites bouillir l'eau.\n\n");
        reply.stats = Some(ReplyStats {
            generated_tokens: 9,
            generation_tokens_per_second: 31.25,
            seed: 987_654,
            stop_reason: Some(StopReason::MaxTokens),
            ..Default::default()
        });
        reply.model = Some("qwen2.5-0.5b".into());
        s.conversation.messages.push(reply);
        s
    }

    #[test]
    fn markdown_carries_everything_needed_to_reproduce() {
        let md = to_markdown(&session());
        for expected in [
            "# Cooking \\| tips\n",
            "qwen2.5-0.5b-q8_0.gguf (506.40 MiB, 531000000 bytes, fingerprint `0123456789abcdef`)",
            "- **Chat template:** chatml",
            "- **Persona:** chef",
            "| temperature | 0.25 |",
            "| top_k | 17 |",
            "| seed | 1234 |",
            "| stop | `\"</s>\"`, `\"a\\|b\"` |",
            "| ctx_size | 8192 |",
            "| threads | automatic |",
            "> Answer in French.\n> Be brief.\n",
            "### User\n\nHow do I boil an egg?\n",
            "### Assistant\n\nFaites bouillir l'eau.\n\n*9 tokens · 31.2 tok/s · seed 987654 · max tokens · qwen2.5-0.5b*\n",
        ] {
            assert!(md.contains(expected), "missing {expected:?} in\n{md}");
        }
        let user_at = md.find("### User").unwrap();
        assert!(md.find("### Assistant").unwrap() > user_at);
    }

    #[test]
    fn markdown_names_what_the_guard_did() {
        let mut s = session();
        s.conversation.messages[0]
            .guard
            .push(crate::guard::GuardMark {
                category: "凭据".into(),
                action: crate::guard::Action::Redact,
            });
        let md = to_markdown(&s);
        assert!(
            md.contains("How do I boil an egg?\n\n*Content filter: 凭据 (redact)*\n"),
            "{md}"
        );
    }

    #[test]
    fn markdown_folds_the_reasoning_above_the_answer() {
        let mut s = session();
        let reply = s.conversation.messages.last_mut().unwrap();
        reply.reasoning = Some("\nThe user wants eggs.\n".into());
        let md = to_markdown(&s);
        assert!(
            md.contains(
                "### Assistant\n\n<details><summary>Thinking</summary>\n\nThe user wants eggs.\n\n\
                 </details>\n\nFaites bouillir"
            ),
            "{md}"
        );
    }

    #[test]
    fn markdown_without_optional_parts_says_so() {
        let s = Session::new("", SamplingParams::default(), ModelParams::default());
        let md = to_markdown(&s);
        assert!(md.contains("- **Model:** not recorded"), "{md}");
        assert!(md.contains("random per reply"), "{md}");
        assert!(!md.contains("System prompt"), "{md}");
    }

    #[test]
    fn json_is_the_file_format_and_carries_the_same_facts() {
        let s = session();
        let json = to_json(&s);
        for expected in [
            "\"format_version\": 5",
            "\"file_name\": \"qwen2.5-0.5b-q8_0.gguf\"",
            "\"fingerprint\": \"0123456789abcdef\"",
            "\"template\": \"chatml\"",
            "\"temperature\": 0.25",
            "\"seed\": 1234",
            "\"seed\": 987654",
            "\"ctx_size\": 8192",
        ] {
            assert!(json.contains(expected), "missing {expected:?} in\n{json}");
        }
        assert_eq!(format::decode(json.as_bytes(), &s.id).unwrap(), s);
        let mut odd = s.clone();
        odd.sampling.top_p = f32::NAN;
        let back = format::decode(to_json(&odd).as_bytes(), &s.id).unwrap();
        assert_eq!(back.sampling.top_p, SamplingParams::default().top_p);
        assert!(
            odd.sampling.top_p.is_nan(),
            "the session itself is not changed"
        );
    }

    /// The settings tables list every parameter of the table under its config name, with the
    /// headings and the words for unset values in the UI's language.
    #[test]
    fn the_settings_tables_follow_the_parameter_table_and_the_language() {
        use crate::i18n::{Lang, with_language};
        let s = Session::new("", SamplingParams::default(), ModelParams::default());
        let en = with_language(Lang::En, || to_markdown(&s));
        let zh = with_language(Lang::ZhCn, || to_markdown(&s));
        for param in crate::params::PARAMS {
            let row = format!("\n| {} | ", param.name);
            assert!(
                en.contains(&row) && zh.contains(&row),
                "{} missing",
                param.name
            );
        }
        for expected in [
            "\n## Settings\n\n| Sampling | Value |\n| --- | --- |\n| temperature | 0.7 |\n",
            "| stop | none |\n| thinking | auto |\n| thinking_budget | none |\n| alternatives | 3 |\n| speculation | off |\n",
            "| lookup_ngram | 3 |\n\n| Model setting | Value |\n| --- | --- |\n| ctx_size | automatic |",
            "| lora_path | none |\n| lora_scale | 1 |\n",
        ] {
            assert!(en.contains(expected), "missing {expected:?} in\n{en}");
        }
        for expected in [
            "\n## 设置\n\n| 采样 | 值 |\n",
            "| seed | 每条回复随机（各回复的种子列在其下方） |",
            "| 模型设置 | 值 |",
            "| threads | 自动 |",
            "| flash_attention | auto |",
        ] {
            assert!(zh.contains(expected), "missing {expected:?} in\n{zh}");
        }
    }

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.50 KiB");
        assert_eq!(human_bytes(4_683_073_536), "4.36 GiB");
    }
}
