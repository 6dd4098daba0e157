//! `ggchat ask`: one prompt in, one streamed reply out, for scripts and pipes.
//!
//! Ctrl+C (SIGINT) during the reply stops it: what was generated is written out, stderr says the
//! reply is cut, and the exit code is 130 (128 + SIGINT, what shells report for a process killed
//! by Ctrl+C), so a script can tell a cut reply from a whole one. A second Ctrl+C ends the
//! process at once.

use crate::chat::{Conversation, Message, ReplyStats};
use crate::cli::AskArgs;
use crate::engine::blocking::{BlockingEngine, Flow};
use crate::engine::{GuardNote, ModelInfo};
use crate::guard::{Action, GuardMark, add_mark};
use crate::setup::Setup;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::{IsTerminal, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// The reply was stopped by Ctrl+C; `main` exits with 130 for it.
#[derive(Debug, thiserror::Error)]
#[error("{}", crate::tr!("ask-interrupted"))]
pub struct Interrupted;

/// The exit code for [`Interrupted`]: 128 + SIGINT.
pub const INTERRUPTED_EXIT_CODE: u8 = 130;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Turns the next SIGINT into a request to stop; the one after that has its default effect.
fn catch_sigint() -> Result<()> {
    // SAFETY: an all-zero sigaction is valid; the handler only stores to an atomic.
    let installed = unsafe {
        let mut action = std::mem::zeroed::<libc::sigaction>();
        action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as usize;
        action.sa_flags = libc::SA_RESETHAND | libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut()) == 0
    };
    if !installed {
        let error = std::io::Error::last_os_error().to_string();
        bail!("{}", crate::tr!("ask-cannot-catch-sigint", error = error));
    }
    Ok(())
}

/// The content-safety guard blocked the prompt or stopped the reply; `main` exits with 3 for it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ContentFiltered(String);

/// The exit code for [`ContentFiltered`].
pub const CONTENT_FILTER_EXIT_CODE: u8 = 3;

/// What the guard did, for `--json`: the marks of the prompt and of the reply, and the prompt as
/// it was sent when the guard changed it.
#[derive(Debug, Default, Serialize)]
struct GuardOutput {
    input: Vec<GuardMark>,
    output: Vec<GuardMark>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompt_sent: Option<String>,
    /// The model checks (`[guard] model_check`): what each read and how it went.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    model_check: Vec<CheckOutput>,
}

#[derive(Debug, Serialize)]
struct CheckOutput {
    stage: crate::guard::check::Stage,
    #[serde(flatten)]
    result: crate::guard::CheckResult,
}

impl GuardOutput {
    fn from_notes(notes: &[GuardNote], prompt: &str) -> GuardOutput {
        let mut out = GuardOutput::default();
        for note in notes {
            match note {
                GuardNote::Input { marks, text } => {
                    marks
                        .iter()
                        .for_each(|m| add_mark(&mut out.input, m.clone()));
                    out.prompt_sent = Some(text.clone()).filter(|t| t != prompt);
                }
                GuardNote::Output { mark } => add_mark(&mut out.output, mark.clone()),
                GuardNote::ModelCheck { stage, result } => out.model_check.push(CheckOutput {
                    stage: *stage,
                    result: result.clone(),
                }),
            }
        }
        out
    }

    fn is_empty(&self) -> bool {
        self.input.is_empty() && self.output.is_empty() && self.model_check.is_empty()
    }

    /// A line on stderr for each mark; the error for a block.
    fn report(&self) -> Result<()> {
        for notice in self.model_check.iter().filter_map(|c| c.result.notice()) {
            eprintln!("ggchat: {notice}");
        }
        for mark in self.input.iter().chain(&self.output) {
            let action = mark.action_label();
            eprintln!(
                "ggchat: {}",
                crate::tr!(
                    "ask-guard-marked",
                    category = mark.category.as_str(),
                    action = action
                )
            );
        }
        let blocked = |marks: &[GuardMark]| {
            marks
                .iter()
                .find(|m| m.action == Action::Block)
                .map(|m| m.category.clone())
        };
        if let Some(category) = blocked(&self.input) {
            return Err(ContentFiltered(crate::tr!(
                "ask-guard-input-blocked",
                category = category
            ))
            .into());
        }
        if let Some(category) = blocked(&self.output) {
            return Err(ContentFiltered(crate::tr!(
                "ask-guard-output-blocked",
                category = category
            ))
            .into());
        }
        Ok(())
    }
}

/// The model's reasoning on stderr while it streams: dimmed on a terminal, else as it comes,
/// ended by a blank line once the answer starts.
struct ThinkingOut {
    show: bool,
    to_terminal: bool,
    open: bool,
}

impl ThinkingOut {
    fn new(show: bool) -> ThinkingOut {
        ThinkingOut {
            show,
            to_terminal: std::io::stderr().is_terminal(),
            open: false,
        }
    }

    fn write(&mut self, piece: &str) {
        if !self.show {
            return;
        }
        let mut err = std::io::stderr().lock();
        let text = match self.to_terminal {
            true => crate::text::sanitize::sanitize(piece).into_owned(),
            false => piece.to_owned(),
        };
        let dim = match (self.to_terminal, self.open) {
            (true, false) => "\x1b[2m",
            _ => "",
        };
        let _ = write!(err, "{dim}{text}");
        let _ = err.flush();
        self.open = true;
    }

    /// Closes the reasoning (the answer starts, or the reply ended).
    fn end(&mut self) {
        if !std::mem::take(&mut self.open) {
            return;
        }
        let reset = if self.to_terminal { "\x1b[0m" } else { "" };
        let _ = writeln!(std::io::stderr().lock(), "{reset}\n");
    }
}

/// The `--json` output.
#[derive(Debug, Serialize)]
struct AskOutput<'a> {
    model: serde_json::Value,
    system_prompt: &'a str,
    prompt: &'a str,
    reply: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    reasoning: &'a str,
    stats: serde_json::Value,
    #[serde(skip_serializing_if = "GuardOutput::is_empty")]
    guard: &'a GuardOutput,
}

/// The model as JSON; for a remote model, what a server cannot report (its GGUF header) is
/// `null`, not zero.
pub fn model_json(info: &ModelInfo) -> Result<serde_json::Value> {
    let Some(remote) = &info.remote else {
        return Ok(serde_json::to_value(info)?);
    };
    Ok(serde_json::json!({
        "name": info.name,
        "backend": remote.backend,
        "url": remote.url,
        "model": remote.model,
        "offered": remote.offered,
        "architecture": null,
        "parameter_count": null,
        "quantization": null,
        "file_size": null,
        "ctx_size": null,
        "connect_ms": info.load_ms,
    }))
}

/// Reply stats as JSON; a remote server that does not say how much of the prompt it reused
/// gets `null` there, not zero.
pub fn stats_json(stats: &ReplyStats) -> Result<serde_json::Value> {
    let mut value = serde_json::to_value(stats)?;
    if let Some(remote) = &stats.remote {
        if remote.cached_tokens.is_none() {
            value["prompt_tokens_reused"] = serde_json::Value::Null;
        }
        if remote.server_prompt_tokens_per_second.is_none() {
            value["prompt_tokens_per_second"] = serde_json::Value::Null;
        }
    }
    Ok(value)
}

/// Adds this process's resident memory and its peak (as the monitor pane shows them) to the
/// reply's stats; `null` where the system does not tell (no /proc).
fn with_memory(mut stats: serde_json::Value) -> serde_json::Value {
    let process = crate::monitor::ProcessProbe::default()
        .sample(std::time::Instant::now())
        .unwrap_or_default();
    stats["rss_bytes"] = process.rss_bytes.into();
    stats["peak_rss_bytes"] = process.peak_rss_bytes.into();
    stats
}

fn read_prompt(args: &AskArgs) -> Result<String> {
    let prompt = match &args.prompt {
        Some(prompt) => prompt.clone(),
        None => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .with_context(|| crate::tr!("ask-cannot-read-prompt"))?;
            input
        }
    };
    if prompt.trim().is_empty() {
        bail!("{}", crate::tr!("ask-no-prompt"));
    }
    Ok(prompt)
}

pub fn run(setup: &Setup, args: &AskArgs) -> Result<()> {
    let prompt = read_prompt(args)?;
    let mut engine = BlockingEngine::start_guarded(setup.guard()?, setup.thinking()?)?;
    let info = engine.open(setup)?;
    tracing::info!(model = %info.name, template = %info.template, offload = %info.offload, "model loaded");
    if let Some(notice) = &info.notice {
        eprintln!("ggchat: {notice}");
    }

    let mut conversation = Conversation::new(setup.config.system_prompt.clone());
    conversation.messages.push(Message::user(prompt.clone()));
    let stdout = std::io::stdout();
    let to_terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    let stream = !args.json;
    let mut write_failed = false;
    catch_sigint()?;
    let thinking = std::cell::RefCell::new(ThinkingOut::new(stream && !args.hide_thinking));
    let reply = engine.generate_thinking(
        conversation.prompt_messages(),
        &setup.config.sampling,
        |piece| thinking.borrow_mut().write(piece),
        |piece| {
            thinking.borrow_mut().end();
            // The piece in hand is still written: it was generated before the stop.
            let flow = if INTERRUPTED.load(Ordering::SeqCst) {
                Flow::Cancel
            } else {
                Flow::Continue
            };
            if !stream {
                return flow;
            }
            let text = if to_terminal {
                crate::text::sanitize::sanitize(piece)
            } else {
                piece.into()
            };
            // A closed pipe (`| head`) ends the generation instead of wasting work.
            if out
                .write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                write_failed = true;
                return Flow::Cancel;
            }
            flow
        },
    )?;
    thinking.borrow_mut().end();
    if let Some(notice) = &reply.notice {
        eprintln!("ggchat: {notice}");
    }
    if write_failed {
        return Ok(());
    }
    let guard = GuardOutput::from_notes(&reply.guard, &prompt);
    if args.json {
        let output = AskOutput {
            model: model_json(&info)?,
            system_prompt: &conversation.system_prompt,
            prompt: &prompt,
            reply: &reply.text,
            reasoning: match args.hide_thinking {
                true => "",
                false => &reply.reasoning,
            },
            stats: with_memory(stats_json(&reply.stats)?),
            guard: &guard,
        };
        serde_json::to_writer_pretty(&mut out, &output)?;
    }
    let _ = writeln!(out);
    let _ = out.flush();
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Interrupted.into());
    }
    guard.report()?;
    // A reply cut off by a server error was printed as far as it came; the exit status says so.
    if reply.stats.stop_reason == Some(crate::chat::StopReason::Interrupted) {
        let reason = match reply.stats.error.as_deref() {
            Some(error) => error.to_owned(),
            None => crate::tr!("ask-server-failed"),
        };
        bail!("{}", crate::tr!("ask-incomplete", reason = reason));
    }
    Ok(())
}
