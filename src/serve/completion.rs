//! One completion (chat or text): waiting for the engine's events, the JSON reply, and the SSE
//! stream. The two endpoints differ only in the shape of their objects ([`Api`]).
//!
//! The handler waits for the engine's `Started` (or its error) before it answers, so a prompt
//! that does not fit is a proper 400 even for a streamed request. After that, dropping the
//! [`Generation`] (the client went away, the stream body was dropped) cancels the engine's work
//! through its ticket.

mod sse;

use super::dispatch::Ticket;
use super::errors::ApiError;
use crate::chat::{ReplyStats, StopReason};
use crate::engine::EngineError;
use crate::engine::{EngineEvent, GuardNote};
use crate::monitor::SharedMonitor;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;

/// What the engine said next.
pub enum Piece {
    Text(String),
    /// The model's reasoning, sent as `reasoning_content` (as llama-server and DeepSeek do).
    Reasoning(String),
    Done(Box<ReplyStats>),
    Failed(ApiError),
}

/// Which endpoint a generation answers, and so the shape of its objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/v1/chat/completions`: `message` / `delta` objects.
    Chat,
    /// `/v1/completions`: `choices[].text`.
    Text,
}

impl Api {
    pub fn path(self) -> &'static str {
        match self {
            Api::Chat => "/v1/chat/completions",
            Api::Text => "/v1/completions",
        }
    }
}

/// A running generation.
pub struct Generation {
    pub api: Api,
    pub ticket: Ticket,
    pub log_id: u64,
    pub model: String,
    pub created: u64,
    pub arrival: Instant,
    pub prompt_tokens: usize,
    pub include_usage: bool,
    /// Choices generated together (OpenAI's `n`); events of choice `k` carry the id `id + k`.
    choices: usize,
    last_token: Option<Instant>,
    ttft: Option<f64>,
    metrics: Arc<SharedMonitor>,
    shutdown: watch::Receiver<bool>,
}

/// Maps an engine failure onto an HTTP error.
pub fn engine_error(error: EngineError) -> ApiError {
    match error {
        EngineError::PromptTooLong { .. } | EngineError::RemoteContextExceeded { .. } => {
            ApiError::context_exceeded(error.to_string())
        }
        EngineError::NothingToAnswer => ApiError::invalid("messages", error.to_string()),
        _ => ApiError::internal(error.to_string()),
    }
}

fn count_guard(metrics: &SharedMonitor, note: &GuardNote) {
    let mut monitor = metrics.lock();
    match note {
        GuardNote::Input { marks, .. } => marks.iter().for_each(|m| monitor.count_guard(m)),
        GuardNote::Output { mark } => monitor.count_guard(mark),
        GuardNote::ModelCheck { stage, result } => {
            if let Some(notice) = result.notice() {
                tracing::warn!("{notice}");
            }
            monitor.count_model_check(*stage, result);
        }
    }
}

fn finish_reason(stats: &ReplyStats) -> &'static str {
    match stats.stop_reason {
        Some(StopReason::MaxTokens | StopReason::ContextFull) => "length",
        Some(StopReason::ContentFilter) => "content_filter",
        _ => "stop",
    }
}

impl Generation {
    /// Waits for the engine to start the request.
    #[allow(clippy::too_many_arguments)]
    pub async fn start(
        api: Api,
        mut ticket: Ticket,
        log_id: u64,
        model: String,
        arrival: Instant,
        include_usage: bool,
        metrics: Arc<SharedMonitor>,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Generation, ApiError> {
        let mut next = ticket.next().await;
        // The guard's verdict on the user's message comes first; a block ends the request.
        while let Some(EngineEvent::Guarded { note, .. }) = &next {
            count_guard(&metrics, note);
            next = ticket.next().await;
        }
        let prompt_tokens = match next {
            Some(EngineEvent::Finished { stats, .. })
                if stats.stop_reason == Some(StopReason::ContentFilter) =>
            {
                return Err(ApiError::content_filter());
            }
            Some(EngineEvent::Started {
                prompt_tokens,
                dropped_turns,
                ..
            }) => {
                if dropped_turns > 0 {
                    return Err(ApiError::context_exceeded(format!(
                        "the conversation does not fit in the context: {dropped_turns} of its \
                         oldest messages would have to be left out (the rest is {prompt_tokens} \
                         tokens); send fewer messages or lower max_tokens"
                    )));
                }
                prompt_tokens
            }
            Some(EngineEvent::Failed { error, .. }) => {
                let error = engine_error(error);
                return Err(match api {
                    Api::Text if error.param.as_deref() == Some("messages") => {
                        error.with_param("prompt")
                    }
                    _ => error,
                });
            }
            Some(other) => {
                return Err(ApiError::internal(format!(
                    "unexpected engine event {other:?}"
                )));
            }
            None => return Err(ApiError::internal("the engine stopped")),
        };
        Ok(Generation {
            api,
            choices: ticket.choices(),
            ticket,
            log_id,
            model,
            created: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            arrival,
            prompt_tokens,
            include_usage,
            last_token: None,
            ttft: None,
            metrics,
            shutdown,
        })
    }

    pub fn completion_id(&self) -> String {
        match self.api {
            Api::Chat => format!("chatcmpl-{}", self.ticket.id),
            Api::Text => format!("cmpl-{}", self.ticket.id),
        }
    }

    /// Times a streamed piece: the first one is the time to first token.
    fn tick(&mut self) {
        let now = Instant::now();
        match self.last_token {
            None => {
                let ttft = now.duration_since(self.arrival).as_secs_f64();
                self.ttft = Some(ttft);
                self.metrics.counters().time_to_first_token.observe(ttft);
            }
            Some(last) => self
                .metrics
                .counters()
                .time_per_token
                .observe(now.duration_since(last).as_secs_f64()),
        }
        self.last_token = Some(now);
    }

    /// The next piece and the choice it belongs to; each choice ends with `Done`, or the request
    /// with `Failed` (also when the server shuts down).
    pub async fn next(&mut self) -> (usize, Piece) {
        let event = loop {
            let event = tokio::select! {
                event = self.ticket.next() => event,
                _ = self.shutdown.wait_for(|stop| *stop) => return (0, Piece::Failed(ApiError::shutting_down())),
            };
            match event {
                Some(EngineEvent::Guarded { note, .. }) => count_guard(&self.metrics, &note),
                // The other choices' starts: the first one's was awaited by `start`.
                Some(EngineEvent::Started { .. }) => {}
                event => break event,
            }
        };
        let index = event.as_ref().map_or(0, |e| {
            (e.request_id().saturating_sub(self.ticket.id) as usize).min(self.choices - 1)
        });
        (index, self.piece(index, event))
    }

    fn piece(&mut self, index: usize, event: Option<EngineEvent>) -> Piece {
        match event {
            Some(EngineEvent::Reasoning { text, .. }) => {
                self.tick();
                Piece::Reasoning(text)
            }
            Some(EngineEvent::Token { text, .. }) => {
                self.tick();
                Piece::Text(text)
            }
            Some(EngineEvent::Finished { stats, .. }) => {
                // The alternatives of one request share its prompt: count it once.
                let mut counted = stats.clone();
                if index > 0 {
                    counted.prompt_tokens_evaluated = 0;
                    counted.prompt_tokens_reused = 0;
                }
                self.metrics.lock().record_reply(&counted);
                self.log(200, Some(&stats));
                Piece::Done(Box::new(stats))
            }
            Some(EngineEvent::Failed { error, .. }) => Piece::Failed(engine_error(error)),
            Some(_) => Piece::Failed(ApiError::internal("unexpected engine event")),
            None => Piece::Failed(ApiError::internal("the engine stopped")),
        }
    }

    /// The request's log line.
    pub fn log(&self, status: u16, stats: Option<&ReplyStats>) {
        let (generated, speed) = stats.map_or((0, 0.0), |s| {
            (s.generated_tokens, s.generation_tokens_per_second)
        });
        eprintln!(
            "ggchat serve: request {} POST {} {status} prompt {} tokens, \
             generated {generated}, TTFT {:.0} ms, {speed:.1} tok/s",
            self.log_id,
            self.api.path(),
            self.prompt_tokens,
            self.ttft.map_or(0.0, |t| t * 1000.0),
        );
    }

    /// Usage of the whole request: the prompt once, the tokens of every choice.
    fn usage(&self, generated: usize) -> Value {
        json!({
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": generated,
            "total_tokens": self.prompt_tokens + generated,
        })
    }

    /// llama-server's `timings` object.
    fn timings(stats: &ReplyStats) -> Value {
        let ms = |n: usize, per_second: f64| {
            if per_second > 0.0 {
                n as f64 * 1000.0 / per_second
            } else {
                0.0
            }
        };
        json!({
            "cache_n": stats.prompt_tokens_reused,
            "prompt_n": stats.prompt_tokens_evaluated,
            "prompt_ms": ms(stats.prompt_tokens_evaluated, stats.prompt_tokens_per_second),
            "prompt_per_second": stats.prompt_tokens_per_second,
            "predicted_n": stats.generated_tokens,
            "predicted_ms": ms(stats.generated_tokens, stats.generation_tokens_per_second),
            "predicted_per_second": stats.generation_tokens_per_second,
        })
    }

    /// Runs to the end and answers with one JSON object.
    pub async fn into_json(mut self) -> Response {
        let n = self.choices;
        let mut texts = vec![String::new(); n];
        let mut reasonings = vec![String::new(); n];
        let mut ended: Vec<Option<Box<ReplyStats>>> = vec![None; n];
        while ended.iter().any(Option::is_none) {
            match self.next().await {
                (k, Piece::Text(t)) => texts[k].push_str(&t),
                (k, Piece::Reasoning(t)) => reasonings[k].push_str(&t),
                (k, Piece::Done(stats)) => ended[k] = Some(stats),
                // The middleware logs the error status.
                (_, Piece::Failed(e)) => return e.into_response(),
            }
        }
        let ended: Vec<Box<ReplyStats>> = ended.into_iter().flatten().collect();
        let choices: Vec<Value> = (0..n)
            .map(|k| {
                let (text, stats) = (&texts[k], &ended[k]);
                let mut message = json!({"role": "assistant", "content": text});
                if !reasonings[k].is_empty() {
                    message["reasoning_content"] = json!(reasonings[k]);
                }
                match self.api {
                    Api::Chat => json!({
                        "index": k,
                        "message": message,
                        "logprobs": null,
                        "finish_reason": finish_reason(stats),
                    }),
                    Api::Text => json!({
                        "index": k,
                        "text": text,
                        "logprobs": null,
                        "finish_reason": finish_reason(stats),
                    }),
                }
            })
            .collect();
        let generated = ended.iter().map(|s| s.generated_tokens).sum();
        let stats = &ended[0];
        axum::Json(json!({
            "id": self.completion_id(),
            "object": match self.api {
                Api::Chat => "chat.completion",
                Api::Text => "text_completion",
            },
            "created": self.created,
            "model": self.model,
            "choices": choices,
            "usage": self.usage(generated),
            "timings": Self::timings(stats),
        }))
        .into_response()
    }

    /// One streamed chunk: `delta` is the chat delta; a text completion sends its `content` as
    /// `text`.
    fn chunk(&self, index: usize, delta: Value, finish: Option<&str>) -> Value {
        let (object, choice) = match self.api {
            Api::Chat => (
                "chat.completion.chunk",
                json!({"index": index, "delta": delta, "logprobs": null, "finish_reason": finish}),
            ),
            Api::Text => (
                "text_completion",
                json!({
                    "index": index,
                    "text": delta.get("content").cloned().unwrap_or_else(|| json!("")),
                    "logprobs": null,
                    "finish_reason": finish,
                }),
            ),
        };
        json!({
            "id": self.completion_id(),
            "object": object,
            "created": self.created,
            "model": self.model,
            "choices": [choice],
        })
    }
}
