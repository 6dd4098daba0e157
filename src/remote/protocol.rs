//! The JSON of the OpenAI chat-completions API as ggchat uses it: the request it sends, the stream
//! chunks it reads (with llama-server's `timings` and the reasoning fields of llama.cpp, vLLM and
//! Ollama), `/models`, and error bodies. Server output is untrusted: every field is optional, and
//! a chunk that does not parse is reported, never guessed at.

use crate::chat::{Message, Role};
use crate::params::SamplingParams;
use serde::{Deserialize, Serialize};

/// One message as the API wants it.
#[derive(Debug, Serialize)]
pub struct ApiMessage<'a> {
    pub role: &'static str,
    pub content: &'a str,
}

/// `POST {base}/chat/completions`. The llama.cpp extensions (`top_k`, `min_p`, `repeat_penalty`,
/// `repeat_last_n`) are extra fields that other servers ignore.
#[derive(Debug, Serialize)]
pub struct ChatRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<&'a str>,
    pub messages: Vec<ApiMessage<'a>>,
    pub stream: bool,
    pub stream_options: StreamOptions,
    pub temperature: f32,
    pub top_p: f32,
    pub max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub stop: &'a [String],
    pub presence_penalty: f32,
    pub frequency_penalty: f32,
    pub top_k: i32,
    pub min_p: f32,
    pub repeat_penalty: f32,
    pub repeat_last_n: i32,
    /// llama.cpp's switch for reusing the server's prompt cache; sent (as `false`) only when the
    /// request asks not to reuse a cache, as `ggchat bench --backend` does to compare like with like.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_prompt: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct StreamOptions {
    pub include_usage: bool,
}

impl<'a> ChatRequest<'a> {
    pub fn new(model: Option<&'a str>, messages: &'a [Message], s: &'a SamplingParams) -> Self {
        ChatRequest {
            model,
            messages: messages
                .iter()
                .map(|m| ApiMessage {
                    role: role_name(m.role),
                    content: &m.content,
                })
                .collect(),
            stream: true,
            stream_options: StreamOptions {
                include_usage: true,
            },
            temperature: s.temperature,
            top_p: s.top_p,
            max_tokens: s.max_tokens,
            seed: s.seed,
            stop: &s.stop,
            presence_penalty: s.presence_penalty,
            frequency_penalty: s.frequency_penalty,
            top_k: s.top_k,
            min_p: s.min_p,
            repeat_penalty: s.repeat_penalty,
            repeat_last_n: s.repeat_last_n,
            cache_prompt: None,
        }
    }
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}

/// One `data:` event of the stream.
#[derive(Debug, Default, Deserialize)]
pub struct Chunk {
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub usage: Option<Usage>,
    /// llama-server's own figures.
    #[serde(default)]
    pub timings: Option<Timings>,
    /// Some servers report an error inside the stream.
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Choice {
    #[serde(default)]
    pub delta: Delta,
    #[serde(default)]
    pub finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Delta {
    #[serde(default)]
    pub content: Option<String>,
    /// llama.cpp and vLLM.
    #[serde(default)]
    pub reasoning_content: Option<String>,
    /// Ollama.
    #[serde(default)]
    pub reasoning: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
pub struct Usage {
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    #[serde(default)]
    pub completion_tokens: Option<u64>,
    #[serde(default)]
    pub prompt_tokens_details: Option<PromptDetails>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
pub struct PromptDetails {
    #[serde(default)]
    pub cached_tokens: Option<u64>,
}

/// llama-server's `timings` object.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
pub struct Timings {
    /// Prompt tokens taken from the server's KV cache.
    #[serde(default)]
    pub cache_n: Option<u64>,
    #[serde(default)]
    pub prompt_n: Option<u64>,
    #[serde(default)]
    pub prompt_per_second: Option<f64>,
    #[serde(default)]
    pub predicted_n: Option<u64>,
    #[serde(default)]
    pub predicted_per_second: Option<f64>,
}

/// `GET {base}/models`.
#[derive(Debug, Deserialize)]
pub struct ModelList {
    #[serde(default)]
    pub data: Vec<ModelEntry>,
}

#[derive(Debug, Deserialize)]
pub struct ModelEntry {
    pub id: String,
}

/// The `error` object of an error body (OpenAI's shape, which llama-server, vLLM and Ollama
/// follow). `code` is a number on some servers and a string on others.
#[derive(Debug, Default, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    /// llama-server's `exceed_context_size_error` carries both counts.
    #[serde(default)]
    pub n_prompt_tokens: Option<u64>,
    #[serde(default)]
    pub n_ctx: Option<u64>,
}

impl ApiError {
    /// Reads `{"error": {...}}`, `{"error": "text"}` or `{"message": ...}` bodies.
    pub fn parse(body: &str) -> Option<ApiError> {
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        Self::from_value(value.get("error").unwrap_or(&value))
    }

    pub fn from_value(value: &serde_json::Value) -> Option<ApiError> {
        match value {
            serde_json::Value::String(text) => Some(ApiError {
                message: Some(text.clone()),
                ..ApiError::default()
            }),
            serde_json::Value::Object(_) => serde_json::from_value(value.clone()).ok(),
            _ => None,
        }
    }

    fn code_str(&self) -> String {
        match &self.code {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => String::new(),
        }
    }

    /// llama-server's `exceed_context_size_error` or OpenAI's `context_length_exceeded`.
    pub fn is_context_exceeded(&self) -> bool {
        self.kind.as_deref() == Some("exceed_context_size_error")
            || self.code_str() == "context_length_exceeded"
            || self
                .message
                .as_deref()
                .is_some_and(|m| m.contains("maximum context length"))
    }

    /// OpenAI's `model_not_found`, or a message that says so.
    pub fn is_unknown_model(&self) -> bool {
        self.code_str() == "model_not_found"
            || self.message.as_deref().is_some_and(|m| {
                let m = m.to_lowercase();
                m.contains("model") && (m.contains("not found") || m.contains("does not exist"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_maps_sampling_and_asks_for_usage() {
        let messages = vec![Message::system("s"), Message::user("hi")];
        let sampling = SamplingParams {
            seed: Some(7),
            stop: vec!["END".into()],
            ..SamplingParams::default()
        };
        let json = serde_json::to_value(ChatRequest::new(Some("m"), &messages, &sampling)).unwrap();
        assert_eq!(json["messages"][0]["role"], "system");
        assert_eq!(json["stream_options"]["include_usage"], true);
        assert_eq!(json["seed"], 7);
        assert_eq!(json["stop"][0], "END");
        assert_eq!(json["top_k"], 40);
        assert!(json.get("min_p").is_some() && json.get("repeat_penalty").is_some());
    }

    #[test]
    fn chunks_keep_reasoning_apart_and_read_timings() {
        let chunk: Chunk = serde_json::from_str(
            r#"{"choices":[{"delta":{"reasoning_content":"hmm"},"finish_reason":null}],
                "timings":{"cache_n":3,"predicted_per_second":50.5}}"#,
        )
        .unwrap();
        assert_eq!(
            chunk.choices[0].delta.reasoning_content.as_deref(),
            Some("hmm")
        );
        assert!(chunk.choices[0].delta.content.is_none());
        assert_eq!(chunk.timings.unwrap().cache_n, Some(3));
    }

    #[test]
    fn context_errors_of_both_servers_are_recognised() {
        let llama = ApiError::parse(
            r#"{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error","n_prompt_tokens":900,"n_ctx":256}}"#,
        )
        .unwrap();
        assert!(llama.is_context_exceeded());
        assert_eq!((llama.n_prompt_tokens, llama.n_ctx), (Some(900), Some(256)));
        let openai = ApiError::parse(
            r#"{"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}}"#,
        )
        .unwrap();
        assert!(openai.is_context_exceeded());
    }
}
