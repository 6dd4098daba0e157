//! The request body of `POST /v1/chat/completions`, read field by field from JSON, and the
//! fields it shares with `POST /v1/completions` (`text.rs` reads that one's prompt).
//!
//! Reading by hand instead of deriving lets every wrong type or value name the parameter it is
//! about (`param` in the error), which is what OpenAI clients show. Sampling values land in
//! [`SamplingParams`] and go through its own validation, the table the settings pane and the
//! command line use, so an out-of-range value gets the same wording everywhere.

use super::errors::ApiError;
use crate::chat::{Message, Role};
use crate::params::SamplingParams;
use serde_json::{Map, Value};

/// At most this many messages in one request.
pub const MAX_MESSAGES: usize = 1024;
/// At most this many stop strings.
pub const MAX_STOP: usize = 16;

/// A checked chat request.
#[derive(Debug, Clone)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
    pub sampling: SamplingParams,
    pub stream: bool,
    pub include_usage: bool,
    /// llama.cpp's `ignore_eos` extra: end-of-generation tokens do not stop the reply.
    pub ignore_eos: bool,
    /// Choices to generate from the one prompt (OpenAI's `n`), 1 to `MAX_ALTERNATIVES`.
    pub n: u8,
}

/// What chat and text completions share: the model, sampling and streaming fields.
#[derive(Debug, Clone)]
pub struct Options {
    pub model: String,
    pub sampling: SamplingParams,
    pub stream: bool,
    pub include_usage: bool,
    pub ignore_eos: bool,
    /// Choices to generate from the one prompt (OpenAI's `n`), 1 to `MAX_ALTERNATIVES`.
    pub n: u8,
}

pub(super) type Fields = Map<String, Value>;

pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn wrong_type(param: &str, expected: &str, value: &Value) -> ApiError {
    ApiError::invalid(
        param,
        format!("`{param}` must be {expected}, not {}", kind(value)),
    )
    .with_code("invalid_type")
}

/// A field that is absent or null reads as `None`.
pub(super) fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a Value> {
    fields.get(name).filter(|v| !v.is_null())
}

fn number(fields: &Fields, name: &str) -> Result<Option<f32>, ApiError> {
    match field(fields, name) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64().map(|v| v as f32)),
        Some(other) => Err(wrong_type(name, "a number", other)),
    }
}

pub(super) fn integer(fields: &Fields, name: &str) -> Result<Option<i64>, ApiError> {
    match field(fields, name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) => Ok(Some(v)),
            None if n.is_u64() => Ok(Some(i64::MAX)),
            None => Err(ApiError::invalid(
                name,
                format!("`{name}` must be a whole number, not {n}"),
            )),
        },
        Some(other) => Err(wrong_type(name, "an integer", other)),
    }
}

fn boolean(fields: &Fields, name: &str) -> Result<Option<bool>, ApiError> {
    match field(fields, name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(wrong_type(name, "true or false", other)),
    }
}

fn role(value: &str, index: usize) -> Result<Role, ApiError> {
    match value {
        "system" | "developer" => Ok(Role::System),
        "user" => Ok(Role::User),
        "assistant" => Ok(Role::Assistant),
        other => Err(ApiError::invalid(
            &format!("messages[{index}].role"),
            format!(
                "unknown role `{}` in message {index}: use system, user or assistant",
                other.chars().take(40).collect::<String>()
            ),
        )),
    }
}

/// Text content: a string, or an array of `{"type": "text", "text": ...}` parts.
fn content(value: Option<&Value>, index: usize) -> Result<String, ApiError> {
    let param = format!("messages[{index}].content");
    match value {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Array(parts)) => {
            let mut text = String::new();
            for part in parts {
                match (part.get("type"), part.get("text")) {
                    (Some(Value::String(t)), Some(Value::String(s))) if t == "text" => {
                        text.push_str(s)
                    }
                    _ => {
                        return Err(ApiError::invalid(
                            &param,
                            format!(
                                "message {index} has a content part that is not text: only text is supported"
                            ),
                        ));
                    }
                }
            }
            Ok(text)
        }
        Some(other) => Err(wrong_type(
            &param,
            "a string or an array of text parts",
            other,
        )),
    }
}

fn messages(fields: &Fields) -> Result<Vec<Message>, ApiError> {
    let list = match field(fields, "messages") {
        None => {
            return Err(ApiError::invalid(
                "messages",
                "`messages` is required: an array of {\"role\", \"content\"} objects",
            ));
        }
        Some(Value::Array(list)) => list,
        Some(other) => return Err(wrong_type("messages", "an array", other)),
    };
    if list.is_empty() {
        return Err(ApiError::invalid(
            "messages",
            "`messages` is empty: send at least one user message",
        ));
    }
    if list.len() > MAX_MESSAGES {
        return Err(ApiError::invalid(
            "messages",
            format!(
                "{} messages is more than the limit of {MAX_MESSAGES}",
                list.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (index, item) in list.iter().enumerate() {
        let Value::Object(message) = item else {
            return Err(wrong_type(&format!("messages[{index}]"), "an object", item));
        };
        let role = match message.get("role") {
            Some(Value::String(r)) => role(r, index)?,
            Some(other) => {
                return Err(wrong_type(
                    &format!("messages[{index}].role"),
                    "a string",
                    other,
                ));
            }
            None => {
                return Err(ApiError::invalid(
                    &format!("messages[{index}].role"),
                    format!("message {index} has no `role`"),
                ));
            }
        };
        out.push(Message::new(role, content(message.get("content"), index)?));
    }
    if !out.iter().any(|m| m.role == Role::User) {
        return Err(ApiError::invalid(
            "messages",
            "there is no user message to reply to",
        ));
    }
    Ok(out)
}

fn stop(fields: &Fields) -> Result<Vec<String>, ApiError> {
    let list = match field(fields, "stop") {
        None => return Ok(Vec::new()),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(wrong_type("stop", "a string or an array of strings", other)),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(wrong_type("stop", "a string or an array of strings", other)),
    };
    if list.len() > MAX_STOP {
        return Err(ApiError::invalid(
            "stop",
            format!(
                "{} stop strings is more than the limit of {MAX_STOP}",
                list.len()
            ),
        ));
    }
    Ok(list)
}

/// The reply length asked for: `max_completion_tokens` or `max_tokens`, capped at `n_ctx` (the
/// reply then ends with `length` when the context fills).
fn max_tokens(fields: &Fields, n_ctx: u32) -> Result<Option<u32>, ApiError> {
    for name in ["max_completion_tokens", "max_tokens"] {
        if let Some(n) = integer(fields, name)? {
            if n < 1 {
                return Err(ApiError::invalid(
                    name,
                    format!("`{name}` must be at least 1, not {n}"),
                ));
            }
            return Ok(Some(n.min(i64::from(n_ctx.max(1))) as u32));
        }
    }
    Ok(None)
}

/// Reads a chat request; `defaults` are the server's sampling settings (config and flags).
pub fn parse_chat(
    body: &Value,
    defaults: &SamplingParams,
    n_ctx: u32,
) -> Result<ChatRequest, ApiError> {
    let fields = object(body)?;
    let model = model(fields)?;
    let messages = messages(fields)?;
    let options = parse_options(fields, model, defaults, n_ctx)?;
    Ok(ChatRequest {
        model: options.model,
        messages,
        sampling: options.sampling,
        stream: options.stream,
        include_usage: options.include_usage,
        ignore_eos: options.ignore_eos,
        n: options.n,
    })
}

/// The body as a JSON object.
pub(super) fn object(body: &Value) -> Result<&Fields, ApiError> {
    match body {
        Value::Object(fields) => Ok(fields),
        other => Err(ApiError::invalid_json(format!(
            "expected an object, found {}",
            kind(other)
        ))),
    }
}

/// The required `model` field.
pub(super) fn model(fields: &Fields) -> Result<String, ApiError> {
    match field(fields, "model") {
        Some(Value::String(m)) => Ok(m.clone()),
        Some(other) => Err(wrong_type("model", "a string", other)),
        None => Err(ApiError::invalid(
            "model",
            "`model` is required (GET /v1/models lists it)",
        )),
    }
}

/// The sampling and streaming fields, over the server's `defaults`.
pub(super) fn parse_options(
    fields: &Fields,
    model: String,
    defaults: &SamplingParams,
    n_ctx: u32,
) -> Result<Options, ApiError> {
    let max_n = crate::engine::MAX_ALTERNATIVES;
    let n = match integer(fields, "n")? {
        None => 1,
        Some(n) if (1..=i64::from(max_n)).contains(&n) => n as u8,
        Some(n) => {
            return Err(ApiError::invalid(
                "n",
                format!("`n` must be 1 to {max_n} (choices generated together), not {n}"),
            ));
        }
    };
    let mut s = defaults.clone();
    let set = |target: &mut f32, name: &str| -> Result<(), ApiError> {
        if let Some(v) = number(fields, name)? {
            *target = v;
        }
        Ok(())
    };
    set(&mut s.temperature, "temperature")?;
    set(&mut s.top_p, "top_p")?;
    set(&mut s.min_p, "min_p")?;
    set(&mut s.repeat_penalty, "repeat_penalty")?;
    set(&mut s.presence_penalty, "presence_penalty")?;
    set(&mut s.frequency_penalty, "frequency_penalty")?;
    if let Some(k) = integer(fields, "top_k")? {
        s.top_k = i32::try_from(k).unwrap_or(i32::MAX);
    }
    if let Some(n) = max_tokens(fields, n_ctx)? {
        s.max_tokens = n;
    }
    s.max_tokens = s.max_tokens.min(n_ctx.max(1));
    match integer(fields, "seed")? {
        None | Some(-1) => {}
        Some(seed) => {
            s.seed = Some(u32::try_from(seed).map_err(|_| {
                ApiError::invalid(
                    "seed",
                    format!(
                        "`seed` must be -1 (random) or 0 to {}, not {seed}",
                        u32::MAX
                    ),
                )
            })?)
        }
    }
    s.stop = stop(fields)?;
    s.validate()
        .map_err(|e| ApiError::invalid(e.name, e.to_string()))?;
    let stream = boolean(fields, "stream")?.unwrap_or(false);
    let include_usage = match field(fields, "stream_options") {
        None => false,
        Some(Value::Object(options)) => boolean(options, "include_usage")
            .map_err(|e| e.with_param("stream_options.include_usage"))?
            .unwrap_or(false),
        Some(other) => return Err(wrong_type("stream_options", "an object", other)),
    };
    Ok(Options {
        model,
        sampling: s,
        stream,
        include_usage,
        ignore_eos: boolean(fields, "ignore_eos")?.unwrap_or(false),
        n,
    })
}

#[cfg(test)]
#[path = "types_tests.rs"]
mod tests;
