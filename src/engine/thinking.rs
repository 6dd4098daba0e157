//! Reasoning ("thinking") at the router, the one place every front end's requests and every
//! engine's events pass (like the guard, `super::guarding`): each reply's `Token` text goes
//! through a [`Splitter`] and comes out as `Reasoning` and `Token` events, so the chat, `ask` and
//! `serve` see the same split for local and remote models. A remote server that splits the
//! reasoning itself (`reasoning_content`) sends `Reasoning` events, which pass untouched.
//!
//! It sits before the guard, so the guard filters the reasoning and the answer apart.
//!
//! History: by default an earlier reply's reasoning is not sent back to the model (what the
//! reasoning models' templates expect: they drop it too). With `[thinking] keep_in_history`
//! (`--keep-thinking`) it is sent back inside the model's tags, before the answer.

use super::messages::{EngineEvent, GenerateRequest, RequestId};
use super::reasoning::{Piece, Splitter, TagPair};
use super::worker::EventSink;
use crate::chat::{Message, Role};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The `[thinking]` settings the router needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThinkingConfig {
    /// Start and end tags beyond the built-in ones (`[thinking] tags`).
    pub tags: Vec<(String, String)>,
    /// Send earlier replies' reasoning back to the model (`[thinking] keep_in_history`).
    pub keep_in_history: bool,
}

/// The splitter of every reply in flight, and what the loaded model's template opens.
pub(super) struct Thinking {
    pairs: Vec<TagPair>,
    keep_in_history: bool,
    /// The newest successful load (the highest request id) and the pair its template's
    /// generation prompt opens, if any.
    opened: Mutex<(RequestId, Opened)>,
    replies: Mutex<HashMap<RequestId, Splitter>>,
}

/// The pair a template's generation prompt opens: by default, and with thinking switched on and
/// off (where the template has a switch).
#[derive(Debug, Clone, Copy, Default)]
struct Opened {
    default: Option<usize>,
    switched: Option<(Option<usize>, Option<usize>)>,
}

impl Opened {
    fn of(pairs: &[TagPair], info: &super::ModelInfo) -> Opened {
        Opened {
            default: Splitter::opened_by(pairs, &info.generation_prompt),
            switched: info.thinking_prompts.as_ref().map(|(on, off)| {
                (
                    Splitter::opened_by(pairs, on),
                    Splitter::opened_by(pairs, off),
                )
            }),
        }
    }

    fn for_switch(self, thinking: crate::params::ThinkingSwitch) -> Option<usize> {
        use crate::params::ThinkingSwitch::*;
        match (thinking, self.switched) {
            (On, Some((on, _))) => on,
            (Off, Some((_, off))) => off,
            _ => self.default,
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Thinking {
    pub fn new(config: &ThinkingConfig) -> Arc<Thinking> {
        let mut pairs = TagPair::builtin();
        pairs.extend(config.tags.iter().map(|(s, e)| TagPair::new(s, e)));
        Arc::new(Thinking {
            pairs,
            keep_in_history: config.keep_in_history,
            opened: Mutex::new((0, Opened::default())),
            replies: Mutex::new(HashMap::new()),
        })
    }

    /// Starts the splitter of `request`'s reply and, with `keep_in_history`, puts earlier
    /// reasoning back into the messages.
    pub fn admit(&self, request: &mut GenerateRequest) {
        let mut opened = lock(&self.opened).1.for_switch(request.sampling.thinking);
        // Continuing a reply: it starts as reasoning only if it stopped inside its reasoning.
        if request.continue_last {
            opened = opened.filter(|_| {
                (request.messages.last())
                    .is_some_and(|m| m.role == Role::Assistant && m.content.is_empty())
            });
        }
        if self.keep_in_history {
            let pair = &self.pairs[opened.unwrap_or(0)];
            let last = request.messages.len().saturating_sub(1);
            for (i, message) in request.messages.iter_mut().enumerate() {
                if !(request.continue_last && i == last) {
                    *message = with_reasoning(message, pair);
                }
            }
        }
        request.thinking_budget =
            (request.sampling.thinking_budget).map(|tokens| super::budget::BudgetSpec {
                tokens: tokens as usize,
                pairs: (self.pairs.iter())
                    .map(|p| (p.start.clone(), p.end.clone()))
                    .collect(),
                opened,
            });
        let mut replies = lock(&self.replies);
        for id in request.alternative_ids() {
            replies.insert(id, Splitter::new(self.pairs.clone(), opened));
        }
    }

    /// Passes `event` to `sink`, splitting its reply text.
    pub fn pass(&self, event: EngineEvent, sink: &EventSink) {
        match event {
            EngineEvent::Token { id, text } => {
                let pieces = lock(&self.replies).get_mut(&id).map(|s| s.push(&text));
                match pieces {
                    Some(pieces) => send(id, pieces, sink),
                    None => sink(EngineEvent::Token { id, text }),
                }
            }
            EngineEvent::Finished { id, .. } | EngineEvent::Failed { id, .. } => {
                let splitter = lock(&self.replies).remove(&id);
                if let Some(mut splitter) = splitter {
                    send(id, splitter.finish(), sink);
                }
                sink(event)
            }
            EngineEvent::ModelLoaded { id, ref info } => {
                let mut opened = lock(&self.opened);
                if id >= opened.0 {
                    *opened = (id, Opened::of(&self.pairs, info));
                }
                drop(opened);
                sink(event)
            }
            other => sink(other),
        }
    }
}

/// `message` as sent with `keep_in_history`: an assistant reply's reasoning inside `pair`'s tags,
/// before its answer. Written as Qwen3's and DeepSeek-R1's templates write it (`<think>\n…\n</think>\n\n`),
/// which is also how a generation prompt ending in `<think>\n` and a budget's closing text put it
/// in the KV cache, so the cached reply is reused instead of re-evaluated (docs/performance.md).
pub fn with_reasoning(message: &Message, pair: &TagPair) -> Message {
    let mut message = message.clone();
    if message.role == Role::Assistant
        && let Some(reasoning) = message
            .reasoning
            .as_deref()
            .filter(|r| !r.trim().is_empty())
    {
        message.content = match pair.then {
            // gpt-oss's channels have no newlines around the analysis.
            Some(_) => format!(
                "{}{reasoning}{}\n\n{}",
                pair.start, pair.end, message.content
            ),
            None => format!(
                "{}\n{}\n{}\n\n{}",
                pair.start,
                reasoning.trim_matches('\n'),
                pair.end,
                message.content
            ),
        };
    }
    message
}

fn send(id: RequestId, pieces: Vec<Piece>, sink: &EventSink) {
    for piece in pieces {
        sink(match piece {
            Piece::Reasoning(text) => EngineEvent::Reasoning { id, text },
            Piece::Answer(text) => EngineEvent::Token { id, text },
        });
    }
}

/// `sink` with every event passed through `thinking` first.
pub(super) fn thinking_sink(sink: EventSink, thinking: &Arc<Thinking>) -> EventSink {
    let thinking = Arc::clone(thinking);
    Arc::new(move |event| thinking.pass(event, &sink))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::SamplingParams;

    fn request(messages: Vec<Message>) -> GenerateRequest {
        GenerateRequest {
            id: 7,
            ..GenerateRequest::new(messages, SamplingParams::default())
        }
    }

    fn history() -> Vec<Message> {
        let mut reply = Message::new(Role::Assistant, "It is 4.");
        reply.reasoning = Some("2+2 is 4".into());
        vec![Message::user("2+2?"), reply, Message::user("and 3+3?")]
    }

    #[test]
    fn reasoning_is_not_sent_back_by_default() {
        let thinking = Thinking::new(&ThinkingConfig::default());
        let mut sent = request(history());
        thinking.admit(&mut sent);
        assert_eq!(sent.messages[1].content, "It is 4.");
        assert!(
            sent.messages
                .iter()
                .all(|m| !m.content.contains("2+2 is 4"))
        );
    }

    #[test]
    fn keep_in_history_sends_it_back_inside_the_tags() {
        let config = ThinkingConfig {
            keep_in_history: true,
            ..ThinkingConfig::default()
        };
        let thinking = Thinking::new(&config);
        let mut sent = request(history());
        thinking.admit(&mut sent);
        assert_eq!(
            sent.messages[1].content,
            "<think>\n2+2 is 4\n</think>\n\nIt is 4."
        );
        assert_eq!(sent.messages[2].content, "and 3+3?");
    }

    #[test]
    fn tokens_come_out_as_reasoning_and_answer() {
        let thinking = Thinking::new(&ThinkingConfig::default());
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&events);
        let sink: EventSink = Arc::new(move |e| lock(&seen).push(e));
        thinking.admit(&mut request(history()));
        for text in ["<thi", "nk>hm", "m</th", "ink>Yes"] {
            thinking.pass(
                EngineEvent::Token {
                    id: 7,
                    text: text.into(),
                },
                &sink,
            );
        }
        let kinds: Vec<String> = lock(&events)
            .iter()
            .map(|e| match e {
                EngineEvent::Reasoning { text, .. } => format!("R:{text}"),
                EngineEvent::Token { text, .. } => format!("T:{text}"),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(kinds, ["R:hm", "R:m", "T:Yes"]);
    }
}
