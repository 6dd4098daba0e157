//! `ggchat ask`: one prompt in, one streamed reply out, for scripts and pipes.

use crate::chat::{Conversation, Message, ReplyStats};
use crate::cli::AskArgs;
use crate::engine::ModelInfo;
use crate::engine::blocking::{BlockingEngine, Flow};
use crate::setup::Setup;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::{IsTerminal, Read, Write};

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
    let reply = engine.generate(
        conversation.prompt_messages(),
        &setup.config.sampling,
        false,
        true,
        |piece| {
            if !stream {
                return Flow::Continue;
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
            Flow::Continue
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
    Ok(())
}
