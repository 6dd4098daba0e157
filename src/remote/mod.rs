//! Remote engines: any OpenAI-compatible server (llama-server, vLLM, Ollama, LM Studio, another
//! ggchat) answering the same [`EngineCommand`](crate::engine::EngineCommand)s as the local
//! llama.cpp engine, so the chat, `ask` and `bench` cannot tell the two apart.
//!
//! - [`target`]: what to talk to (URL, model id, key variable, timeouts), resolved from
//!   `--backend` or a `[backends.NAME]` table; a key is read from its variable only when used.
//! - [`protocol`]: the JSON of `/chat/completions` and `/models`, requests and stream chunks.
//! - [`errors`]: HTTP and transport failures turned into messages that say what to do.
//! - [`client`]: the HTTP client (reqwest) and the SSE stream (eventsource-stream).
//! - [`worker`]: the engine thread of a remote backend, with its own small tokio runtime.

pub mod client;
pub mod errors;
pub mod protocol;
pub mod target;
pub mod worker;

#[cfg(test)]
mod errors_localized_tests;

pub use target::{BackendConfig, RemoteTarget};
