//! The engine thread of a remote backend: a small current-thread tokio runtime that answers
//! `Connect`, `Generate` and `Cancel` with the same events as the local engine. Tokens are timed
//! here as they arrive, the way the local engine times them; what only the server knows (KV
//! reuse, its own speed) comes from `usage` and llama-server's `timings` when it sends them.

use super::client::{Client, Events};
use super::errors::{RemoteError, context_error, excerpt};
use super::protocol::{ApiError, ChatRequest, Chunk, Timings, Usage};
use crate::chat::{Message, RemoteStats, ReplyStats, Role, StopReason};
use crate::engine::messages::{
    EngineCommand, EngineEvent, GenerateRequest, ModelInfo, RemoteModel, RequestId, TemplateSource,
};
use futures::StreamExt;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc::UnboundedReceiver;

/// Where events go (the same sink as the local engine's).
pub type EventSink = Arc<dyn Fn(EngineEvent) + Send + Sync + 'static>;

/// Retries after a context-exceeded answer, each with more old turns left out.
const CONTEXT_RETRIES: usize = 4;

struct Connected {
    client: Client,
    model: String,
    info: ModelInfo,
}

struct Inbox {
    commands: UnboundedReceiver<EngineCommand>,
    deferred: VecDeque<EngineCommand>,
}

/// Runs until `Shutdown` or until every sender is gone.
pub fn run(commands: UnboundedReceiver<EngineCommand>, sink: EventSink) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("cannot start the remote engine's runtime: {e}");
            return;
        }
    };
    let mut inbox = Inbox {
        commands,
        deferred: VecDeque::new(),
    };
    runtime.block_on(serve(&mut inbox, &sink));
}

async fn serve(inbox: &mut Inbox, sink: &EventSink) {
    let mut current: Option<Connected> = None;
    loop {
        let command = match inbox.deferred.pop_front() {
            Some(command) => command,
            None => match inbox.commands.recv().await {
                Some(command) => command,
                None => return,
            },
        };
        match command {
            EngineCommand::Shutdown => return,
            EngineCommand::Cancel { .. } => {}
            EngineCommand::Connect { id, target } => match connect(target).await {
                Ok(connected) => {
                    sink(EngineEvent::ModelLoaded {
                        id,
                        info: connected.info.clone(),
                    });
                    current = Some(connected);
                }
                Err(e) => sink(EngineEvent::LoadFailed {
                    id,
                    error: e.into(),
                }),
            },
            EngineCommand::LoadModel { id, .. } => sink(EngineEvent::LoadFailed {
                id,
                error: "a remote backend does not load model files".into(),
            }),
            EngineCommand::Bench { id, .. } => sink(EngineEvent::Failed {
                id,
                error: "pp/tg figures need the local engine; with --backend, `ggchat bench` measures the chat turns only".into(),
            }),
            EngineCommand::Generate(request) => match &current {
                Some(connected) => generate(connected, request, inbox, sink).await,
                None => sink(EngineEvent::Failed {
                    id: request.id,
                    error: "no remote backend is connected".into(),
                }),
            },
        }
    }
}

/// Lists the server's models and picks the one asked for (or the first).
async fn connect(target: crate::remote::RemoteTarget) -> Result<Connected, RemoteError> {
    let started = Instant::now();
    let client = Client::new(target)?;
    let offered = client.models().await?.unwrap_or_default();
    let model = match &client.target.model {
        Some(wanted) if offered.is_empty() || offered.contains(wanted) => wanted.clone(),
        Some(wanted) => {
            return Err(RemoteError::UnknownModel {
                label: client.target.label(),
                model: wanted.clone(),
                offered: offered.join(", "),
            });
        }
        None => offered
            .first()
            .cloned()
            .ok_or_else(|| RemoteError::UnknownModel {
                label: client.target.label(),
                model: "(none given)".into(),
                offered: "nothing (GET /models is empty or missing); name a model with --model"
                    .into(),
            })?,
    };
    let info = ModelInfo {
        path: client.target.base_url.clone().into(),
        name: model.clone(),
        architecture: String::new(),
        parameter_count: 0,
        quantization: String::new(),
        file_size: 0,
        trained_ctx: 0,
        ctx_size: 0,
        batch_size: 0,
        threads: 0,
        gpu_layers: 0,
        offload: "remote".into(),
        notice: None,
        flash_attention: String::new(),
        template: TemplateSource::Forced {
            name: "the server's".into(),
        },
        generation_prompt: String::new(),
        thinking_prompts: None,
        load_ms: started.elapsed().as_secs_f64() * 1000.0,
        remote: Some(RemoteModel {
            backend: client.target.name.clone(),
            url: client.target.base_url.clone(),
            model: model.clone(),
            offered,
        }),
    };
    Ok(Connected {
        client,
        model,
        info,
    })
}

/// What arrived while waiting on the server.
enum Wake<T> {
    Server(T),
    Cancelled,
}

/// Waits for `future` unless the request is cancelled (or the engine shut down) first. Other
/// commands are kept for later.
async fn or_cancel<T>(
    inbox: &mut Inbox,
    id: RequestId,
    future: impl std::future::Future<Output = T>,
) -> Wake<T> {
    let mut future = std::pin::pin!(future);
    loop {
        tokio::select! {
            value = &mut future => return Wake::Server(value),
            command = inbox.commands.recv() => match command {
                Some(EngineCommand::Cancel { id: got }) if got == id => return Wake::Cancelled,
                Some(EngineCommand::Cancel { .. }) => {}
                Some(EngineCommand::Shutdown) | None => {
                    inbox.deferred.push_back(EngineCommand::Shutdown);
                    return Wake::Cancelled;
                }
                Some(other) => inbox.deferred.push_back(other),
            },
        }
    }
}

/// Leaves out the oldest turns so that about `fraction` of the conversation's text remains; the
/// system prompt and the last user message (and what follows it) always stay. Returns how many
/// messages were left out, 0 when nothing can go.
fn drop_oldest(messages: &mut Vec<Message>, fraction: f64) -> usize {
    let keep_from = messages
        .iter()
        .rposition(|m| m.role == Role::User)
        .unwrap_or(messages.len());
    let total: usize = messages.iter().map(|m| m.content.len()).sum();
    let target = (total as f64 * fraction) as usize;
    let mut size = total;
    let mut dropped = 0;
    let mut i = 0;
    while size > target && i < keep_from - dropped {
        if messages[i].role == Role::System {
            i += 1;
            continue;
        }
        size -= messages[i].content.len();
        messages.remove(i);
        dropped += 1;
    }
    dropped
}

async fn generate(
    connected: &Connected,
    request: GenerateRequest,
    inbox: &mut Inbox,
    sink: &EventSink,
) {
    let id = request.id;
    let client = &connected.client;
    let started = Instant::now();
    let mut messages = request.messages.clone();
    let mut dropped_turns = 0;
    let mut attempt = 0;
    let events = loop {
        let mut body = ChatRequest::new(Some(&connected.model), &messages, &request.sampling);
        if !request.reuse_cache {
            body.cache_prompt = Some(false);
        }
        let answer = match or_cancel(inbox, id, client.chat(&body)).await {
            Wake::Server(answer) => answer,
            Wake::Cancelled => return finish_cancelled(sink, id, &request),
        };
        match answer {
            Ok(events) => break events,
            Err(RemoteError::ContextExceeded {
                prompt_tokens: Some(p),
                n_ctx: Some(c),
                ..
            }) if attempt < CONTEXT_RETRIES && p > 0 => {
                // The same policy as the local engine: the oldest turns go first. The server's
                // counts say how much must go; leave room for the reply.
                let room =
                    (c as f64 - (request.sampling.max_tokens as f64).min(c as f64 / 2.0)).max(1.0);
                let dropped = drop_oldest(&mut messages, (room / p as f64).min(0.9));
                if dropped == 0 {
                    let e = context_error(&client.target, Some(p), Some(c));
                    return sink(EngineEvent::Failed {
                        id,
                        error: e.into(),
                    });
                }
                dropped_turns += dropped;
                attempt += 1;
            }
            Err(e) => {
                return sink(EngineEvent::Failed {
                    id,
                    error: e.into(),
                });
            }
        }
    };
    sink(EngineEvent::Started {
        id,
        prompt_tokens: 0,
        dropped_turns,
        notice: None,
    });
    let mut reply = Reply::new(id, started);
    reply.stats.dropped_turns = dropped_turns;
    let outcome = read_stream(client, events, inbox, &mut reply, sink).await;
    let mut stats = reply.finish(connected, &request);
    match outcome {
        Ok(stop) => stats.stop_reason = Some(stop),
        Err(e) if reply.pieces == 0 => {
            return sink(EngineEvent::Failed {
                id,
                error: e.into(),
            });
        }
        Err(e) => {
            // Nothing is lost: the partial reply stays, marked as cut off.
            stats.stop_reason = Some(StopReason::Interrupted);
            stats.error = Some(e.to_string());
        }
    }
    sink(EngineEvent::Finished { id, stats });
}

fn finish_cancelled(sink: &EventSink, id: RequestId, request: &GenerateRequest) {
    sink(EngineEvent::Finished {
        id,
        stats: ReplyStats {
            stop_reason: Some(StopReason::Cancelled),
            seed: request.sampling.seed.unwrap_or(0),
            ..ReplyStats::default()
        },
    });
}

/// A reply being read.
struct Reply {
    id: RequestId,
    started: Instant,
    first: Option<Instant>,
    last: Option<Instant>,
    pieces: usize,
    usage: Option<Usage>,
    timings: Option<Timings>,
    stats: ReplyStats,
}

impl Reply {
    fn new(id: RequestId, started: Instant) -> Reply {
        Reply {
            id,
            started,
            first: None,
            last: None,
            pieces: 0,
            usage: None,
            timings: None,
            stats: ReplyStats::default(),
        }
    }

    fn arrived(&mut self) {
        let now = Instant::now();
        if self.first.is_none() {
            self.first = Some(now);
            self.stats.time_to_first_token_ms =
                now.duration_since(self.started).as_secs_f64() * 1000.0;
        }
        self.last = Some(now);
    }

    fn finish(&self, connected: &Connected, request: &GenerateRequest) -> ReplyStats {
        let usage = self.usage.unwrap_or_default();
        let timings = self.timings.unwrap_or_default();
        let generated = usage
            .completion_tokens
            .or(timings.predicted_n)
            .unwrap_or(self.pieces as u64) as usize;
        let cached = timings
            .cache_n
            .or(usage.prompt_tokens_details.and_then(|d| d.cached_tokens));
        let prompt_total = usage
            .prompt_tokens
            .or_else(|| Some(timings.prompt_n? + timings.cache_n.unwrap_or(0)));
        let mut stats = self.stats.clone();
        stats.generated_tokens = generated;
        stats.prompt_tokens_reused = cached.unwrap_or(0) as usize;
        stats.prompt_tokens_evaluated = timings
            .prompt_n
            .or_else(|| Some(prompt_total? - cached.unwrap_or(0)))
            .unwrap_or(0) as usize;
        if let (Some(first), Some(last)) = (self.first, self.last) {
            let secs = last.duration_since(first).as_secs_f64();
            if secs > 0.0 && generated > 0 {
                stats.generation_tokens_per_second = generated as f64 / secs;
            }
        }
        stats.prompt_tokens_per_second = timings.prompt_per_second.unwrap_or(0.0);
        stats.context_used = prompt_total.unwrap_or(0) as usize + generated;
        stats.seed = request.sampling.seed.unwrap_or(0);
        let target = &connected.client.target;
        stats.remote = Some(RemoteStats {
            backend: target.name.clone(),
            url: target.base_url.clone(),
            model: connected.model.clone(),
            prompt_tokens: prompt_total,
            cached_tokens: cached,
            server_generation_tokens_per_second: timings.predicted_per_second,
            server_prompt_tokens_per_second: timings.prompt_per_second,
        });
        stats
    }
}

/// Reads the SSE stream until `[DONE]` (or its end after a `finish_reason`), a cancel, a timeout
/// or an error.
async fn read_stream(
    client: &Client,
    mut events: Events,
    inbox: &mut Inbox,
    reply: &mut Reply,
    sink: &EventSink,
) -> Result<StopReason, RemoteError> {
    let target = &client.target;
    let label = target.label();
    let mut finish: Option<String> = None;
    loop {
        let (limit, what, key) = match reply.first {
            None => (
                target
                    .first_token_timeout
                    .saturating_sub(reply.started.elapsed()),
                "sent no token",
                "first_token_timeout",
            ),
            Some(_) => (target.idle_timeout, "went silent mid-reply", "idle_timeout"),
        };
        let next =
            match or_cancel(inbox, reply.id, tokio::time::timeout(limit, events.next())).await {
                Wake::Cancelled => return Ok(StopReason::Cancelled),
                Wake::Server(Err(_)) => {
                    let full = match reply.first {
                        None => target.first_token_timeout,
                        Some(_) => target.idle_timeout,
                    };
                    return Err(RemoteError::Timeout {
                        label,
                        what,
                        key,
                        secs: super::errors::secs(full),
                    });
                }
                Wake::Server(Ok(next)) => next,
            };
        let event = match next {
            None if finish.is_some() => return Ok(stop_reason(finish.as_deref())),
            None => {
                return Err(RemoteError::Gone {
                    label,
                    detail: "the stream ended before the reply was finished".into(),
                });
            }
            Some(Err(e)) => {
                return Err(match e {
                    eventsource_stream::EventStreamError::Transport(e) => RemoteError::Gone {
                        label,
                        detail: super::errors::excerpt(&transport_detail(&e)),
                    },
                    other => RemoteError::Malformed {
                        label,
                        reason: "not server-sent events".into(),
                        sample: excerpt(&other.to_string()),
                    },
                });
            }
            Some(Ok(event)) => event,
        };
        let data = event.data.trim();
        if data == "[DONE]" {
            return Ok(stop_reason(finish.as_deref()));
        }
        if data.is_empty() {
            continue;
        }
        let chunk: Chunk = serde_json::from_str(data).map_err(|e| RemoteError::Malformed {
            label: label.clone(),
            reason: format!("not the expected JSON: {e}"),
            sample: excerpt(data),
        })?;
        if let Some(error) = &chunk.error {
            let detail = ApiError::from_value(error)
                .and_then(|a| a.message)
                .unwrap_or_else(|| error.to_string());
            return Err(RemoteError::InStream {
                label,
                detail: excerpt(&detail),
            });
        }
        if chunk.usage.is_some() {
            reply.usage = chunk.usage;
        }
        if chunk.timings.is_some() {
            reply.timings = chunk.timings;
        }
        for choice in chunk.choices {
            let delta = choice.delta;
            if let Some(text) = delta.reasoning_content.or(delta.reasoning)
                && !text.is_empty()
            {
                reply.arrived();
                sink(EngineEvent::Reasoning { id: reply.id, text });
            }
            if let Some(text) = delta.content
                && !text.is_empty()
            {
                reply.arrived();
                reply.pieces += 1;
                sink(EngineEvent::Token { id: reply.id, text });
            }
            if choice.finish_reason.is_some() {
                finish = choice.finish_reason;
            }
        }
    }
}

fn transport_detail(error: &reqwest::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    parts.join(": ")
}

fn stop_reason(finish: Option<&str>) -> StopReason {
    match finish {
        Some("length") => StopReason::MaxTokens,
        _ => StopReason::EndOfGeneration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_keeps_the_system_prompt_and_the_last_question() {
        let mut messages = vec![
            Message::system("sys"),
            Message::user("a".repeat(100)),
            Message::assistant("b".repeat(100)),
            Message::user("last"),
        ];
        let dropped = drop_oldest(&mut messages, 0.1);
        assert_eq!(dropped, 2);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].role, Role::System);
        assert_eq!(messages[1].content, "last");
        assert_eq!(drop_oldest(&mut messages, 0.1), 0, "nothing left to drop");
    }
}
