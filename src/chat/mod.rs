//! The conversation as plain data.
//!
//! The same structs travel in engine requests, live in the UI state and are written to session
//! files, so they are serde types with no behaviour tied to llama.cpp. The engine turns them into
//! a prompt with the model's own chat template (see `engine::template`).

pub mod personas;

use serde::{Deserialize, Serialize};

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    /// The role name chat templates expect.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// Why a reply stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The model produced an end-of-generation token.
    EndOfGeneration,
    /// A configured stop string appeared.
    StopString,
    /// The reply reached the max-new-tokens limit.
    MaxTokens,
    /// The context window is full.
    ContextFull,
    /// The user cancelled.
    Cancelled,
    /// A remote server went away or failed mid-reply; the partial reply is kept.
    Interrupted,
    /// The content-safety guard blocked the user's message or stopped the reply at a match.
    ContentFilter,
}

impl StopReason {
    /// Short wording in English, for exported Markdown and logs.
    pub fn describe(self) -> &'static str {
        match self {
            StopReason::EndOfGeneration => "end of reply",
            StopReason::StopString => "stop string",
            StopReason::MaxTokens => "max tokens",
            StopReason::ContextFull => "context full",
            StopReason::Cancelled => "cancelled",
            StopReason::Interrupted => "cut off (server error)",
            StopReason::ContentFilter => "stopped by the content filter",
        }
    }

    /// Short wording in the interface language, for the chat's stats line.
    pub fn localized(self) -> String {
        use crate::tr;
        match self {
            StopReason::EndOfGeneration => tr!("stop-end-of-generation"),
            StopReason::StopString => tr!("stop-stop-string"),
            StopReason::MaxTokens => tr!("stop-max-tokens"),
            StopReason::ContextFull => tr!("stop-context-full"),
            StopReason::Cancelled => tr!("stop-cancelled"),
            StopReason::Interrupted => tr!("stop-interrupted"),
            StopReason::ContentFilter => tr!("stop-content-filter"),
        }
    }

    /// Whether "continue" makes sense after this stop.
    pub fn was_cut_off(self) -> bool {
        matches!(
            self,
            StopReason::MaxTokens
                | StopReason::Cancelled
                | StopReason::ContextFull
                | StopReason::Interrupted
        )
    }
}

/// Figures measured for one reply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplyStats {
    /// Prompt tokens that had to be evaluated for this reply.
    pub prompt_tokens_evaluated: usize,
    /// Prompt tokens found already in the KV cache and reused.
    pub prompt_tokens_reused: usize,
    /// Tokens generated for the reply.
    pub generated_tokens: usize,
    /// Prompt evaluation speed (tokens/s); 0 when nothing was evaluated.
    pub prompt_tokens_per_second: f64,
    /// Generation speed (tokens/s).
    pub generation_tokens_per_second: f64,
    /// Time from the request to the first generated token, in milliseconds.
    pub time_to_first_token_ms: f64,
    /// Old turns left out of the prompt to fit the context.
    pub dropped_turns: usize,
    /// Tokens in the context after the reply.
    pub context_used: usize,
    /// Seed the sampler used (so a reply can be reproduced).
    pub seed: u32,
    /// Why the reply ended; `None` while it streams.
    pub stop_reason: Option<StopReason>,
    /// Set for a reply from a remote backend: what the server reported, and what it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteStats>,
    /// Why the reply was cut off (`stop_reason` `interrupted`), in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Guessed tokens, for a reply generated with speculative decoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speculation: Option<SpeculationStats>,
}

/// What speculative decoding did for one reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SpeculationStats {
    /// Guessed tokens verified by the model.
    pub drafted: usize,
    /// Guessed tokens that were the model's own choice (each saved one step).
    pub accepted: usize,
}

impl SpeculationStats {
    /// Accepted over drafted, 0 when nothing was drafted.
    pub fn rate(&self) -> f64 {
        if self.drafted == 0 {
            0.0
        } else {
            self.accepted as f64 / self.drafted as f64
        }
    }
}

/// What a remote server reported about one reply. Figures it did not report are `None` and shown
/// as not available, never as zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RemoteStats {
    /// The `[backends.NAME]` name, when the backend has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    pub url: String,
    /// The server's model id.
    pub model: String,
    /// Prompt tokens the server counted (`usage.prompt_tokens`).
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    /// Prompt tokens the server took from its KV cache (llama-server's `timings.cache_n`, or
    /// `usage.prompt_tokens_details.cached_tokens`); `None` when it does not say.
    #[serde(default)]
    pub cached_tokens: Option<u64>,
    /// The server's own generation speed (llama-server's `timings.predicted_per_second`).
    #[serde(default)]
    pub server_generation_tokens_per_second: Option<f64>,
    /// The server's own prompt speed (llama-server's `timings.prompt_per_second`).
    #[serde(default)]
    pub server_prompt_tokens_per_second: Option<f64>,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The message's id in its session's tree (see `store::tree`); `None` until the session
    /// records it. The engine ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    pub role: Role,
    pub content: String,
    /// Stats of the reply, for assistant messages produced here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<ReplyStats>,
    /// Name of the model that wrote an assistant message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The model's reasoning ("thinking") text, kept apart from the answer (remote servers send
    /// it as `reasoning_content` or `reasoning`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// What the content-safety guard did to this message: the categories that matched and their
    /// actions (a user message with a `block` mark was never sent to the model).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guard: Vec<crate::guard::GuardMark>,
    /// How long the reasoning took, for the folded "Thinking" line of the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<ThinkingFigures>,
}

/// The size and duration of a reply's reasoning. `tokens` counts the pieces the engine streamed
/// (one per token for a local model; a remote server's chunks may hold more).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ThinkingFigures {
    pub tokens: usize,
    pub seconds: f64,
}

impl Message {
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Message {
            id: None,
            role,
            content: content.into(),
            stats: None,
            model: None,
            reasoning: None,
            thinking: None,
            guard: Vec::new(),
        }
    }

    /// Whether the guard blocked this message (a user message not sent, or a reply stopped).
    pub fn blocked(&self) -> bool {
        self.role == Role::User
            && (self.guard.iter()).any(|m| m.action == crate::guard::Action::Block)
    }

    pub fn user(content: impl Into<String>) -> Self {
        Message::new(Role::User, content)
    }

    pub fn assistant(content: impl Into<String>) -> Self {
        Message::new(Role::Assistant, content)
    }

    pub fn system(content: impl Into<String>) -> Self {
        Message::new(Role::System, content)
    }
}

/// A system prompt plus the turns that follow it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Empty means "no system prompt".
    #[serde(default)]
    pub system_prompt: String,
    #[serde(default)]
    pub messages: Vec<Message>,
}

impl Conversation {
    pub fn new(system_prompt: impl Into<String>) -> Self {
        Conversation {
            system_prompt: system_prompt.into(),
            messages: Vec::new(),
        }
    }

    /// The messages as the template sees them: the system prompt first when there is one. User
    /// messages the content-safety guard blocked were never sent and are left out.
    pub fn prompt_messages(&self) -> Vec<Message> {
        let mut all = Vec::with_capacity(self.messages.len() + 1);
        if !self.system_prompt.trim().is_empty() {
            all.push(Message::system(self.system_prompt.clone()));
        }
        all.extend(self.messages.iter().filter(|m| !m.blocked()).cloned());
        all
    }

    /// Index of the last message with this role.
    pub fn last_index_of(&self, role: Role) -> Option<usize> {
        self.messages.iter().rposition(|m| m.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_prompt_comes_first_only_when_set() {
        let mut conversation = Conversation::new("  ");
        conversation.messages.push(Message::user("hi"));
        assert_eq!(conversation.prompt_messages().len(), 1);
        conversation.system_prompt = "Be brief.".into();
        let messages = conversation.prompt_messages();
        assert_eq!(messages[0].role, Role::System);
        assert_eq!(messages[1].content, "hi");
    }

    #[test]
    fn roles_serialize_lowercase() {
        let json = serde_json::to_string(&Message::assistant("x")).unwrap();
        assert!(json.contains("\"role\":\"assistant\""), "{json}");
    }
}

#[cfg(test)]
mod stop_reason_tests {
    use super::StopReason;
    use crate::i18n::check::assert_translated;

    #[test]
    fn stop_reasons_are_worded_in_both_languages() {
        for reason in [
            StopReason::EndOfGeneration,
            StopReason::StopString,
            StopReason::MaxTokens,
            StopReason::ContextFull,
            StopReason::Cancelled,
            StopReason::Interrupted,
            StopReason::ContentFilter,
        ] {
            assert_translated(|| reason.localized(), &[]);
            let en = crate::i18n::with_language(crate::i18n::Lang::En, || reason.localized());
            assert_eq!(
                en,
                reason.describe(),
                "English matches the exported wording"
            );
        }
    }
}
