//! Chat templates: turning a conversation into the exact prompt text a model was trained on.
//!
//! Order of preference: a template forced by name or file; else the model's own template from its
//! GGUF metadata through llama.cpp's built-in engine (fast, and what llama.cpp's tools do); else the
//! same template through the sandboxed Jinja renderer when llama.cpp does not recognise it; else,
//! for models with no template at all, ChatML, said so in the model information.
//!
//! A template with a thinking switch (a variable such as `enable_thinking`, see
//! [`jinja::THINKING_SWITCHES`]) is rendered through the Jinja renderer even when llama.cpp knows
//! it, since llama.cpp's built-in engine takes no variables; `thinking = "on"|"off"` sets it.
//! Asked to switch thinking off, a template without a switch says so once, in a notice.
//!
//! A base model given ChatML does not know its markers: where `<|im_end|>` is not an
//! end-of-generation token of its vocabulary, the model writes it as text and carries on with the
//! next turn. So ChatML's end and turn markers become stop strings for such a model: generation
//! stops there and the marker is never shown.

use super::jinja::{self, JinjaError, SpecialTokens};
use super::messages::{TemplateChoice, TemplateSource};
use crate::chat::Message;
use crate::params::ThinkingSwitch;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use std::path::Path;
use thiserror::Error;

/// The template used when a model has none.
pub const FALLBACK_TEMPLATE: &str = "chatml";

/// ChatML's end-of-turn and start-of-turn markers.
const CHATML_MARKERS: [&str; 2] = ["<|im_end|>", "<|im_start|>"];

#[derive(Debug, Error)]
pub enum TemplateError {
    #[error(
        "unknown chat template '{0}': use a llama.cpp template name (chatml, llama3, llama2, \
         gemma, mistral-v7, phi3, phi4, zephyr, deepseek3, command-r, granite, ...) or the path of \
         a .jinja file"
    )]
    UnknownName(String),
    #[error("cannot read the chat template file {path}: {source}")]
    ReadFile {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Jinja(#[from] JinjaError),
    #[error("llama.cpp could not apply the chat template (code {0})")]
    Apply(i32),
    #[error("a message contains a NUL byte, which no chat template can carry")]
    NulByte,
}

enum Engine {
    /// Rendered by `llama_chat_apply_template` (a model template string or a built-in name).
    LlamaCpp(LlamaChatTemplate),
    /// Rendered by the sandboxed Jinja renderer.
    Jinja {
        source: String,
        special: SpecialTokens,
        /// The template's thinking switch, if it has one.
        switch: Option<&'static str>,
    },
}

/// A chat template ready to render prompts.
pub struct ChatTemplate {
    engine: Engine,
    pub source: TemplateSource,
    /// Set when a render fell back to ChatML; the engine reports it with the reply.
    notice: std::cell::RefCell<Option<String>>,
    /// Template markers the model does not end generation on: the reply stops before them.
    stops: Vec<String>,
    /// "This template cannot switch thinking off" was said (it is said once).
    told_no_switch: std::cell::Cell<bool>,
}

/// The ChatML markers that are not a single end-of-generation token of `model`'s vocabulary.
fn chatml_stops(model: &LlamaModel) -> Vec<String> {
    let vocab = model.vocab();
    CHATML_MARKERS
        .iter()
        .filter(|marker| {
            let tokens = vocab.tokenize(marker.as_bytes(), false, true);
            !matches!(tokens.as_slice(), [token] if vocab.is_eog(*token))
        })
        .map(|marker| (*marker).to_owned())
        .collect()
}

fn special_tokens(model: &LlamaModel) -> SpecialTokens {
    let vocab = model.vocab();
    let text =
        |token| String::from_utf8_lossy(&vocab.token_to_piece(token, true, None)).into_owned();
    SpecialTokens {
        bos: text(vocab.bos()),
        eos: text(vocab.eos()),
    }
}

fn llama_cpp_render(
    model: &LlamaModel,
    template: &LlamaChatTemplate,
    messages: &[Message],
    add_assistant: bool,
) -> Result<String, TemplateError> {
    let chat = messages
        .iter()
        .map(|m| LlamaChatMessage::new(m.role.as_str().to_owned(), m.content.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| TemplateError::NulByte)?;
    model
        .apply_chat_template(template, &chat, add_assistant)
        .map_err(|e| match e {
            llama_cpp_2::ApplyChatTemplateError::FfiError(code) => TemplateError::Apply(code),
            _ => TemplateError::NulByte,
        })
}

fn probe_messages() -> [Message; 2] {
    [Message::system("s"), Message::user("u")]
}

impl ChatTemplate {
    /// Picks the template for `model` following the order in the module docs.
    pub fn resolve(model: &LlamaModel, choice: &TemplateChoice) -> Result<Self, TemplateError> {
        match choice {
            TemplateChoice::Named(name) => Self::forced(model, name),
            TemplateChoice::FromModel => Ok(Self::from_model(model)),
        }
    }

    fn forced(model: &LlamaModel, name: &str) -> Result<Self, TemplateError> {
        let source = TemplateSource::Forced {
            name: name.to_owned(),
        };
        let path = Path::new(name);
        if path.extension().is_some_and(|e| e == "jinja") || path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|e| TemplateError::ReadFile {
                path: name.to_owned(),
                source: e,
            })?;
            let special = special_tokens(model);
            jinja::probe(&text, &special)?;
            return Ok(ChatTemplate {
                engine: Engine::Jinja {
                    switch: jinja::thinking_switch(&text, &special),
                    source: text,
                    special,
                },
                source,
                notice: Default::default(),
                stops: Vec::new(),
                told_no_switch: Default::default(),
            });
        }
        let template = LlamaChatTemplate::new(name).map_err(|_| TemplateError::NulByte)?;
        llama_cpp_render(model, &template, &probe_messages(), true)
            .map_err(|_| TemplateError::UnknownName(name.to_owned()))?;
        let stops = if name.eq_ignore_ascii_case(FALLBACK_TEMPLATE) {
            chatml_stops(model)
        } else {
            Vec::new()
        };
        Ok(ChatTemplate {
            engine: Engine::LlamaCpp(template),
            source,
            notice: Default::default(),
            stops,
            told_no_switch: Default::default(),
        })
    }

    fn from_model(model: &LlamaModel) -> Self {
        let fallback = |reason: Option<String>| {
            let name = match reason {
                None => FALLBACK_TEMPLATE.to_owned(),
                Some(why) => format!("{FALLBACK_TEMPLATE} [the model's template failed: {why}]"),
            };
            let stops = chatml_stops(model);
            tracing::warn!("using the {name} chat template, stopping at {stops:?}");
            ChatTemplate {
                // "chatml" is a llama.cpp built-in name and contains no NUL byte.
                engine: Engine::LlamaCpp(
                    LlamaChatTemplate::new(FALLBACK_TEMPLATE).expect("constant has no NUL"),
                ),
                source: TemplateSource::Fallback { name },
                notice: Default::default(),
                stops,
                told_no_switch: Default::default(),
            }
        };
        let Ok(template) = model.chat_template(None) else {
            return fallback(None);
        };
        let special = special_tokens(model);
        // A template with a thinking switch goes to the Jinja renderer, which can set it.
        let switched = template.to_string().ok().and_then(|text| {
            let switch = jinja::thinking_switch(&text, &special)?;
            Some((text, switch))
        });
        if let Some((text, switch)) = switched {
            return ChatTemplate {
                engine: Engine::Jinja {
                    source: text,
                    special,
                    switch: Some(switch),
                },
                source: TemplateSource::ModelJinja,
                notice: Default::default(),
                stops: Vec::new(),
                told_no_switch: Default::default(),
            };
        }
        if llama_cpp_render(model, &template, &probe_messages(), true).is_ok() {
            return ChatTemplate {
                engine: Engine::LlamaCpp(template),
                source: TemplateSource::ModelBuiltin,
                notice: Default::default(),
                stops: Vec::new(),
                told_no_switch: Default::default(),
            };
        }
        let Ok(text) = template.to_string() else {
            return fallback(Some("not valid UTF-8".into()));
        };
        match jinja::probe(&text, &special) {
            Ok(()) => ChatTemplate {
                engine: Engine::Jinja {
                    source: text,
                    special,
                    switch: None,
                },
                source: TemplateSource::ModelJinja,
                notice: Default::default(),
                stops: Vec::new(),
                told_no_switch: Default::default(),
            },
            Err(e) => fallback(Some(e.to_string())),
        }
    }

    /// The template's thinking switch variable, if it has one.
    pub fn thinking_switch(&self) -> Option<&'static str> {
        match &self.engine {
            Engine::Jinja { switch, .. } => *switch,
            Engine::LlamaCpp(_) => None,
        }
    }

    /// Renders the prompt; `add_assistant` opens the assistant turn at the end, `thinking` sets
    /// the template's thinking switch (a template without one is told once that it has none).
    pub fn render(
        &self,
        model: &LlamaModel,
        messages: &[Message],
        add_assistant: bool,
        thinking: ThinkingSwitch,
    ) -> Result<String, TemplateError> {
        let switch = self.thinking_switch();
        if switch.is_none() && thinking == ThinkingSwitch::Off && !self.told_no_switch.replace(true)
        {
            self.notice
                .replace(Some(crate::tr!("engine-thinking-no-switch")));
        }
        let vars: Vec<(&str, bool)> = switch.zip(thinking.as_bool()).into_iter().collect();
        match &self.engine {
            Engine::LlamaCpp(template) => {
                llama_cpp_render(model, template, messages, add_assistant)
            }
            Engine::Jinja {
                source, special, ..
            } => {
                match jinja::render_with(source, messages, add_assistant, special, &vars) {
                    Ok(text) => Ok(text),
                    // A template that breaks on this conversation must not stop the chat.
                    Err(e) => {
                        let notice = format!("the chat template failed ({e}); using ChatML");
                        tracing::warn!("{notice}");
                        self.notice.replace(Some(notice));
                        let chatml = LlamaChatTemplate::new(FALLBACK_TEMPLATE)
                            .map_err(|_| TemplateError::NulByte)?;
                        llama_cpp_render(model, &chatml, messages, add_assistant)
                    }
                }
            }
        }
    }

    /// The stop strings of a reply: the user's, plus the template markers this model does not end
    /// generation on.
    pub fn stop_strings(&self, user: &[String]) -> Vec<String> {
        user.iter().chain(&self.stops).cloned().collect()
    }

    /// A message about the last render falling back, once.
    pub fn take_notice(&self) -> Option<String> {
        self.notice.take()
    }
}
