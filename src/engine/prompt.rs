//! Building the token prompt for a request, within the context budget.
//!
//! The whole conversation is rendered through the chat template and tokenized every turn; the
//! generation loop then keeps whatever prefix of it is already in the KV cache, so rendering the
//! full history is cheap and always matches what the template would produce. When the prompt plus
//! the room kept for the reply does not fit, the oldest turns go first; the system prompt and the
//! newest user message never do.

use super::template::{ChatTemplate, TemplateError};
use crate::chat::{Message, Role};
use crate::params::ThinkingSwitch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PromptError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(
        "the message is too long for the context: the prompt needs {needed} tokens but only \
         {available} fit after keeping {reserved} for the reply; shorten the message or raise the \
         context size (--ctx-size)"
    )]
    TooLong {
        needed: usize,
        available: usize,
        reserved: usize,
    },
    #[error("there is no user message to reply to")]
    NothingToAnswer,
    #[error("the prompt is empty: send some text to complete")]
    Empty,
}

/// A prompt ready for evaluation.
#[derive(Debug)]
pub struct PreparedPrompt {
    pub tokens: Vec<LlamaToken>,
    /// Turns left out because the context is too small for the whole conversation.
    pub dropped_turns: usize,
}

/// Tokens kept free for the reply: enough for a useful answer, never most of the context.
pub fn reply_reserve(max_tokens: u32, n_ctx: usize) -> usize {
    (max_tokens as usize).min(n_ctx / 4).max(1)
}

/// How the messages are rendered: continuing the last assistant message, and the template's
/// thinking switch.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub continue_last: bool,
    pub thinking: ThinkingSwitch,
}

fn render_text(
    model: &LlamaModel,
    template: &ChatTemplate,
    messages: &[Message],
    options: RenderOptions,
) -> Result<String, TemplateError> {
    let thinking = options.thinking;
    match messages.split_last() {
        Some((last, earlier)) if options.continue_last && last.role == Role::Assistant => {
            let mut text = template.render(model, earlier, true, thinking)?;
            text.push_str(&last.content);
            Ok(text)
        }
        _ => template.render(model, messages, true, thinking),
    }
}

/// Tokenizes a rendered prompt. Templates that write the BOS text themselves would otherwise get
/// a second BOS from the tokenizer, which degrades some models.
pub fn tokenize(model: &LlamaModel, text: &str) -> Vec<LlamaToken> {
    let vocab = model.vocab();
    let mut tokens = vocab.tokenize(text.as_bytes(), true, true);
    let bos = vocab.bos();
    if tokens.len() >= 2 && tokens[0] == bos && tokens[1] == bos {
        tokens.remove(0);
    }
    tokens
}

/// Renders and tokenizes `messages` (system prompt first, if any), dropping the oldest turns until
/// the prompt leaves `reserve` tokens free in a context of `n_ctx`.
///
/// Dropping changes the start of the prompt, which costs a full re-evaluation, so it is done
/// with hysteresis: when turns must go, enough go to fill only half the room, and later turns keep
/// the same start (`previous_start`, the `dropped_turns` of the last request) while it still fits,
/// reusing the KV cache until the context fills again.
pub fn prepare(
    model: &LlamaModel,
    template: &ChatTemplate,
    messages: &[Message],
    options: RenderOptions,
    n_ctx: usize,
    reserve: usize,
    previous_start: usize,
) -> Result<PreparedPrompt, PromptError> {
    let (system, turns) = match messages.split_first() {
        Some((first, rest)) if first.role == Role::System => (Some(first), rest),
        _ => (None, messages),
    };
    let last_user = turns
        .iter()
        .rposition(|m| m.role == Role::User)
        .ok_or(PromptError::NothingToAnswer)?;
    let available = n_ctx.saturating_sub(reserve);
    let render = |start: usize| -> Result<Vec<LlamaToken>, PromptError> {
        let mut selected: Vec<Message> = system.into_iter().cloned().collect();
        selected.extend_from_slice(&turns[start..]);
        let text = render_text(model, template, &selected, options)?;
        Ok(tokenize(model, &text))
    };
    let whole = render(0)?;
    if whole.len() <= available {
        return Ok(PreparedPrompt {
            tokens: whole,
            dropped_turns: 0,
        });
    }
    // Where the prompt may start: at a user message, never after the newest one. Fewer turns
    // never make a longer prompt, so a binary search finds the most history that fits with
    // O(log n) renders instead of one per dropped turn.
    let starts: Vec<usize> = (1..=last_user)
        .filter(|&i| turns[i].role == Role::User)
        .collect();
    if starts.contains(&previous_start) {
        let tokens = render(previous_start)?;
        if tokens.len() <= available {
            return Ok(PreparedPrompt {
                tokens,
                dropped_turns: previous_start,
            });
        }
    }
    let smallest_start_within =
        |budget: usize| -> Result<Option<(usize, Vec<LlamaToken>)>, PromptError> {
            let (mut low, mut high) = (0, starts.len());
            let mut best = None;
            while low < high {
                let mid = (low + high) / 2;
                let tokens = render(starts[mid])?;
                if tokens.len() <= budget {
                    best = Some((starts[mid], tokens));
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            Ok(best)
        };
    let best = match smallest_start_within(available / 2)? {
        Some(found) => Some(found),
        None => smallest_start_within(available)?,
    };
    match best {
        Some((start, tokens)) => Ok(PreparedPrompt {
            tokens,
            dropped_turns: start,
        }),
        None => Err(PromptError::TooLong {
            needed: match starts.last() {
                Some(&last) => render(last)?.len(),
                None => whole.len(),
            },
            available,
            reserved: reserve,
        }),
    }
}

/// Tokenizes a raw prompt (`/v1/completions`): no template, the model's BOS, special tokens
/// parsed, as llama-server does. Empty is an error; too long for the context with `reserve` kept
/// for the reply is the same error as a conversation that does not fit.
pub fn prepare_raw(
    model: &LlamaModel,
    text: &str,
    n_ctx: usize,
    reserve: usize,
) -> Result<Vec<LlamaToken>, PromptError> {
    let tokens = tokenize(model, text);
    if tokens.is_empty() {
        return Err(PromptError::Empty);
    }
    let available = n_ctx.saturating_sub(reserve);
    if tokens.len() > available {
        return Err(PromptError::TooLong {
            needed: tokens.len(),
            available,
            reserved: reserve,
        });
    }
    Ok(tokens)
}

/// Length of the common prefix of two token sequences.
pub fn common_prefix(a: &[LlamaToken], b: &[LlamaToken]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_is_bounded_by_a_quarter_of_the_context() {
        assert_eq!(reply_reserve(1024, 256), 64);
        assert_eq!(reply_reserve(16, 4096), 16);
        assert_eq!(reply_reserve(1024, 2), 1);
    }

    #[test]
    fn common_prefix_counts_equal_leading_tokens() {
        let t = |v: &[i32]| v.iter().map(|&i| LlamaToken::new(i)).collect::<Vec<_>>();
        assert_eq!(common_prefix(&t(&[1, 2, 3]), &t(&[1, 2, 4, 5])), 2);
        assert_eq!(common_prefix(&t(&[]), &t(&[1])), 0);
        assert_eq!(common_prefix(&t(&[1, 2]), &t(&[1, 2])), 2);
    }
}
