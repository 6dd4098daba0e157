//! Several replies to one request, waited for together (tests and `ggchat bench`'s ×N row).

use super::{BlockingEngine, Flow, Reply};
use crate::engine::messages::{EngineEvent, GenerateRequest};
use anyhow::{Result, bail};

impl BlockingEngine {
    /// Runs `request` (with `alternatives` set) and returns its replies in order;
    /// `on_token(k, piece)` sees alternative `k`'s text as it arrives, and a `Cancel` from it
    /// stops all of them. A failure of any alternative fails the call.
    pub fn run_alternatives(
        &mut self,
        request: GenerateRequest,
        mut on_token: impl FnMut(usize, &str) -> Flow,
    ) -> Result<Vec<Reply>> {
        let n = usize::from(request.alternatives.max(1));
        let id = self.engine.generate(request)?;
        let mut replies: Vec<Option<Reply>> = vec![None; n];
        let mut texts = vec![String::new(); n];
        let mut prompt_tokens = vec![0; n];
        let mut cancelled = false;
        while replies.iter().any(Option::is_none) {
            let event = self.next_event()?;
            let Some(k) = event
                .request_id()
                .checked_sub(id)
                .map(|k| k as usize)
                .filter(|&k| k < n)
            else {
                continue;
            };
            match event {
                EngineEvent::Started {
                    prompt_tokens: p, ..
                } => prompt_tokens[k] = p,
                EngineEvent::Token { text, .. } => {
                    texts[k].push_str(&text);
                    if !cancelled && on_token(k, &text) == Flow::Cancel {
                        cancelled = true;
                        self.engine.cancel(id);
                    }
                }
                EngineEvent::Finished { stats, .. } => {
                    replies[k] = Some(Reply {
                        text: std::mem::take(&mut texts[k]),
                        stats,
                        prompt_tokens: prompt_tokens[k],
                        notice: None,
                        reasoning: String::new(),
                        guard: Vec::new(),
                    });
                }
                EngineEvent::Failed { error, .. } => {
                    // Let the others end before the next request.
                    if !cancelled {
                        self.engine.cancel(id);
                    }
                    bail!("alternative {} of {n}: {error}", k + 1)
                }
                _ => {}
            }
        }
        Ok(replies.into_iter().flatten().collect())
    }
}
