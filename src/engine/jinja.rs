//! A sandboxed Jinja renderer for chat templates llama.cpp's built-in engine does not know.
//!
//! Chat templates come from model files, which come from strangers: a template may loop forever,
//! recurse, or produce gigabytes. minijinja has no I/O and no access to the host; on top of that
//! we cap the work (fuel), the recursion depth and the output size, and turn every failure into
//! an error the caller can fall back from instead of stopping the chat.
//!
//! Both caps hold *while* rendering, so memory stays bounded whatever the template does:
//! - the output goes to a writer that refuses the first byte past the output cap, so a template
//!   that prints gigabytes stops at the cap instead of building the whole string first;
//! - minijinja charges fuel for every instruction and for every byte it creates (strings built
//!   by `~`, `*`, `join`, `replace`, captured blocks and macro output), and checks a known-size
//!   allocation (`"x" * 10**9`) against the fuel left *before* making it. So the fuel is also a
//!   bound on the bytes a render can allocate: [`BASE_FUEL`] is 32 MB worth, plus an allowance
//!   that grows with the conversation (each byte of input may be processed a few dozen times).
//!
//! `tests/template_bombs.rs` measures the peak memory of hostile templates.

use crate::chat::Message;
use crate::store::stamp::civil_from_days;
use minijinja::{Environment, Error, ErrorKind, Value, context};
use thiserror::Error;

/// Fuel every render gets: one fuel is one instruction or 64 bytes created, so this is half a
/// million instructions or 32 MB of strings. Real templates use a few hundred instructions per
/// message, and get more per message below.
pub const BASE_FUEL: u64 = 500_000;
/// Extra fuel per message and per byte of input (message text and special tokens).
const FUEL_PER_MESSAGE: u64 = 2_000;
const FUEL_PER_INPUT_BYTE: u64 = 1;
/// Output every render may produce, plus [`OUTPUT_PER_INPUT_BYTE`] per byte of input (a template
/// wraps each message in a few markers; it never needs to repeat one many times).
pub const BASE_OUTPUT_BYTES: usize = 16 * 1024 * 1024;
const OUTPUT_PER_INPUT_BYTE: usize = 4;
/// Nesting depth of macros, includes and recursive loops.
const MAX_RECURSION: usize = 64;

/// Why a Jinja chat template could not be rendered.
#[derive(Debug, Error)]
pub enum JinjaError {
    #[error("the chat template does not parse: {0}")]
    Syntax(String),
    #[error("the chat template failed while rendering: {0}")]
    Render(String),
    #[error(
        "the chat template produced more than {limit} bytes, far more than the conversation; it was stopped"
    )]
    OutputTooLarge { limit: usize },
}

/// Special tokens the templates refer to by name.
#[derive(Debug, Clone, Default)]
pub struct SpecialTokens {
    pub bos: String,
    pub eos: String,
}

fn raise_exception(message: String) -> Result<Value, Error> {
    Err(Error::new(ErrorKind::InvalidOperation, message))
}

fn strftime_now(format: String) -> String {
    // Templates (Llama 3.1 and others) print today's date into the system prompt.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = MONTHS[(month - 1) as usize];
    format
        .replace("%Y", &year.to_string())
        .replace("%m", &format!("{month:02}"))
        .replace("%d", &format!("{day:02}"))
        .replace("%B", name)
        .replace("%b", &name[..3])
}

/// How much one render may do, scaled to its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    fuel: u64,
    output: usize,
}

impl Limits {
    fn for_input(messages: &[Message], special: &SpecialTokens) -> Limits {
        let bytes = messages.iter().map(|m| m.content.len()).sum::<usize>()
            + special.bos.len()
            + special.eos.len();
        Limits {
            fuel: BASE_FUEL
                .saturating_add(FUEL_PER_MESSAGE.saturating_mul(messages.len() as u64))
                .saturating_add(FUEL_PER_INPUT_BYTE.saturating_mul(bytes as u64)),
            output: BASE_OUTPUT_BYTES.saturating_add(OUTPUT_PER_INPUT_BYTE.saturating_mul(bytes)),
        }
    }
}

/// The render's output: refuses the first write that would go past `limit`, so the render stops
/// there (minijinja turns the write error into a render error).
struct CappedWriter {
    buf: Vec<u8>,
    limit: usize,
    overflowed: bool,
}

impl std::io::Write for CappedWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.buf.len().saturating_add(bytes.len()) > self.limit {
            self.overflowed = true;
            return Err(std::io::Error::other(
                "the chat template's output cap was reached",
            ));
        }
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn environment(source: &str, fuel: u64) -> Result<Environment<'_>, JinjaError> {
    let mut env = Environment::new();
    env.set_fuel(Some(fuel));
    env.set_recursion_limit(MAX_RECURSION);
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.add_function("raise_exception", raise_exception);
    env.add_function("strftime_now", strftime_now);
    // Hugging Face renders chat templates with trim_blocks and lstrip_blocks; so must we.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.add_template("chat", source)
        .map_err(|e| JinjaError::Syntax(format!("{e:#}")))?;
    Ok(env)
}

/// Template variables that switch a model's thinking on or off, in the order they are tried:
/// Qwen3's (also SmolLM3, GLM-4.5, ...), then DeepSeek-V3.1's and Granite's. llama.cpp's server
/// passes `enable_thinking` the same way (`chat_template_kwargs`).
pub const THINKING_SWITCHES: [&str; 2] = ["enable_thinking", "thinking"];

/// The variable among [`THINKING_SWITCHES`] that changes what the template renders, found as
/// llama.cpp finds it: a short conversation rendered with it true and false differs.
pub fn thinking_switch(source: &str, special: &SpecialTokens) -> Option<&'static str> {
    let probe = [Message::system("s"), Message::user("u")];
    THINKING_SWITCHES.into_iter().find(|name| {
        let on = render_with(source, &probe, true, special, &[(name, true)]);
        let off = render_with(source, &probe, true, special, &[(name, false)]);
        matches!((on, off), (Ok(on), Ok(off)) if on != off)
    })
}

/// Renders `messages` through a Jinja chat template.
pub fn render(
    source: &str,
    messages: &[Message],
    add_generation_prompt: bool,
    special: &SpecialTokens,
) -> Result<String, JinjaError> {
    render_with(source, messages, add_generation_prompt, special, &[])
}

/// [`render`] with extra boolean variables (a thinking switch).
pub fn render_with(
    source: &str,
    messages: &[Message],
    add_generation_prompt: bool,
    special: &SpecialTokens,
    vars: &[(&str, bool)],
) -> Result<String, JinjaError> {
    let limits = Limits::for_input(messages, special);
    let env = environment(source, limits.fuel)?;
    let template = env
        .get_template("chat")
        .map_err(|e| JinjaError::Syntax(format!("{e:#}")))?;
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| context! { role => m.role.as_str(), content => m.content.as_str() })
        .collect();
    let mut out = CappedWriter {
        buf: Vec::new(),
        limit: limits.output,
        overflowed: false,
    };
    let mut ctx: std::collections::BTreeMap<&str, Value> = [
        ("messages", Value::from(messages)),
        ("add_generation_prompt", Value::from(add_generation_prompt)),
        ("bos_token", Value::from(special.bos.as_str())),
        ("eos_token", Value::from(special.eos.as_str())),
    ]
    .into();
    ctx.extend(
        vars.iter()
            .map(|(name, value)| (*name, Value::from(*value))),
    );
    let rendered = template.render_captured_to(ctx, &mut out);
    if out.overflowed {
        return Err(JinjaError::OutputTooLarge {
            limit: limits.output,
        });
    }
    rendered.map_err(|e| JinjaError::Render(format!("{e:#}")))?;
    // Only `&str`s are ever written, so the bytes are UTF-8.
    String::from_utf8(out.buf).map_err(|e| JinjaError::Render(e.to_string()))
}

/// Checks that a template parses and renders a minimal conversation.
pub fn probe(source: &str, special: &SpecialTokens) -> Result<(), JinjaError> {
    render(
        source,
        &[Message::system("s"), Message::user("u")],
        true,
        special,
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template in the style of recent models, which llama.cpp's heuristics do not recognise.
    const CUSTOM: &str = "{{ bos_token }}{% for m in messages %}\
{% if m.role == 'system' %}<<SYS>>{{ m.content | trim }}<</SYS>>\n\
{% else %}[{{ m.role | upper }}] {{ m.content.strip() }}\n{% endif %}{% endfor %}\
{% if add_generation_prompt %}[ASSISTANT] {% endif %}";

    #[test]
    fn renders_a_template_llama_cpp_does_not_know() {
        let special = SpecialTokens {
            bos: "<s>".into(),
            eos: "</s>".into(),
        };
        let out = render(
            CUSTOM,
            &[
                Message::system(" Be kind. "),
                Message::user("Hi there "),
                Message::assistant("Hello!"),
                Message::user("你好 👋"),
            ],
            true,
            &special,
        )
        .unwrap();
        assert_eq!(
            out,
            "<s><<SYS>>Be kind.<</SYS>>\n[USER] Hi there\n[ASSISTANT] Hello!\n[USER] 你好 👋\n[ASSISTANT] "
        );
    }

    #[test]
    fn raise_exception_is_an_error_not_a_panic() {
        let err = render(
            "{{ raise_exception('roles must alternate') }}",
            &[Message::user("x")],
            true,
            &SpecialTokens::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("roles must alternate"), "{err}");
    }

    #[test]
    fn endless_work_runs_out_of_fuel() {
        let source =
            "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}";
        let err = render(source, &[], false, &SpecialTokens::default()).unwrap_err();
        assert!(matches!(err, JinjaError::Render(_)), "{err}");
    }

    #[test]
    fn dates_are_computed() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_420), (2025, 11, 28));
    }

    #[test]
    fn a_thinking_switch_is_found_only_where_it_changes_the_prompt() {
        let special = SpecialTokens::default();
        let qwen = "{% for m in messages %}{{ m.content }}{% endfor %}\
{% if add_generation_prompt %}A:{% if enable_thinking is defined and enable_thinking is false %}\
<think></think>{% endif %}{% endif %}";
        assert_eq!(thinking_switch(qwen, &special), Some("enable_thinking"));
        let off = render_with(
            qwen,
            &[Message::user("u")],
            true,
            &special,
            &[("enable_thinking", false)],
        );
        assert_eq!(off.unwrap(), "uA:<think></think>");
        let deepseek = "{% if thinking %}<think>{% else %}</think>{% endif %}";
        assert_eq!(thinking_switch(deepseek, &special), Some("thinking"));
        assert_eq!(thinking_switch(CUSTOM, &special), None);
    }

    #[test]
    fn syntax_errors_are_reported() {
        let err = probe("{% for %}", &SpecialTokens::default()).unwrap_err();
        assert!(matches!(err, JinjaError::Syntax(_)), "{err}");
    }
}
