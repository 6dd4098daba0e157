//! `ggchat ask`: one prompt in, one streamed reply out, for scripts and pipes.
//!
//! Ctrl+C (SIGINT) during the reply stops it: what was generated is written out, stderr says the
//! reply is cut, and the exit code is 130 (128 + SIGINT, what shells report for a process killed
//! by Ctrl+C), so a script can tell a cut reply from a whole one. A second Ctrl+C ends the
//! process at once.

use crate::chat::{Conversation, Message, ReplyStats};
use crate::cli::AskArgs;
use crate::engine::ModelInfo;
use crate::engine::blocking::{BlockingEngine, Flow};
use crate::setup::Setup;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::{IsTerminal, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// The reply was stopped by Ctrl+C; `main` exits with 130 for it.
#[derive(Debug, thiserror::Error)]
#[error("stopped by Ctrl+C (SIGINT): the reply above is cut short")]
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
        bail!("cannot catch Ctrl+C: {}", std::io::Error::last_os_error());
    }
    Ok(())
}

/// The `--json` output.
#[derive(Debug, Serialize)]
struct AskOutput<'a> {
    model: &'a ModelInfo,
    system_prompt: &'a str,
    prompt: &'a str,
    reply: &'a str,
    stats: &'a ReplyStats,
}

fn read_prompt(args: &AskArgs) -> Result<String> {
    let prompt = match &args.prompt {
        Some(prompt) => prompt.clone(),
        None => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .context("cannot read the prompt from standard input")?;
            input
        }
    };
    if prompt.trim().is_empty() {
        bail!("no prompt: pass it as an argument (ggchat ask \"...\") or on standard input");
    }
    Ok(prompt)
}

pub fn run(setup: &Setup, args: &AskArgs) -> Result<()> {
    let prompt = read_prompt(args)?;
    let model_path = setup.model_path()?;
    let mut engine = BlockingEngine::start()?;
    let info = engine.load(&model_path, &setup.config.model, &setup.template(), |_| {})?;
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
    let reply = engine.generate(
        conversation.prompt_messages(),
        &setup.config.sampling,
        false,
        true,
        |piece| {
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
    if write_failed {
        return Ok(());
    }
    if args.json {
        let output = AskOutput {
            model: &info,
            system_prompt: &conversation.system_prompt,
            prompt: &prompt,
            reply: &reply.text,
            stats: &reply.stats,
        };
        serde_json::to_writer_pretty(&mut out, &output)?;
    }
    let _ = writeln!(out);
    let _ = out.flush();
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Interrupted.into());
    }
    Ok(())
}
