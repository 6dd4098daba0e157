//! The full-screen chat: `ggchat` with no subcommand.
//!
//! A single-threaded tokio loop selects over terminal input, engine events, signals and a tick.
//! While a reply streams, the loop draws at most ~30 frames per second and does not wake for
//! engine events between frames: tokens queue up and are drained together at the frame boundary.
//! A fast model then costs the UI one wake-up and one redraw per frame, not one per token; on a
//! machine where llama.cpp's threads hold every core, each wake-up preempts one of them and stalls
//! the rest at the next barrier (docs/performance.md). A key wakes the loop and is drawn at once:
//! keys come at human speed, and typing must feel immediate.

pub mod app;
pub mod debug_hooks;
pub mod keymap;
pub mod panes;
pub mod settings;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod type_ahead;
pub mod view;
pub mod width;

use crate::chat::Conversation;
use crate::engine::{Engine, EngineEvent};
use crate::setup::Setup;
use crate::store::Store;
use anyhow::{Context, Result};
use app::{App, Startup};
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::time::{Duration, Instant};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::UnboundedReceiver;

/// The gap between frames that only the engine (or an animation) asked for.
const STREAM_FRAME: Duration = Duration::from_millis(33);
const TICK: Duration = Duration::from_millis(120);

/// Opens the chat on the configured model.
pub fn run(setup: &Setup, session: Option<&str>) -> Result<()> {
    let store = Store::open(&setup.paths.sessions_dir())?;
    let opened = session
        .map(|wanted| store.load(wanted))
        .transpose()
        .context("cannot open the session")?;
    // Fail before the screen switches when there is no model at all.
    let remote = setup.remote()?;
    let default_model = setup.model_path();
    if opened.is_none() && remote.is_none() {
        default_model
            .as_ref()
            .map_err(|e| anyhow::anyhow!(crate::report::message(e)))?;
    }
    let (engine, events) = Engine::spawn_guarded(setup.guard()?, setup.thinking()?)?;
    // Syntax highlighting's tables load while the model does, and a code block in a language not
    // seen yet is highlighted off the frame path (drawn plain until then), so no frame waits for
    // syntect.
    crate::markdown::highlight::start_background();
    let (personas, problems) = crate::chat::personas::load_all(&setup.paths.personas_dir());
    let keymap = keymap::Keymap::from_config(&setup.config.keys)
        .map_err(|e| anyhow::anyhow!("invalid [keys] in the config file: {e}"))?;
    let mut app = App::start(
        engine.link(),
        Startup {
            conversation: Conversation::new(setup.config.system_prompt.clone()),
            sampling: setup.config.sampling.clone(),
            model_params: setup.config.model.clone(),
            template: setup.template(),
            personas,
            paths: setup.paths.clone(),
            config: setup.config.clone(),
            // Flags win over the reopened session's settings: `restore` applies them before the
            // model loads.
            overrides: setup.overrides.clone(),
            named_models: setup.named_models(),
            // With --backend, a reopened session's model file is not loaded either.
            model_forced: setup.overrides.model.is_some() || remote.is_some(),
            keymap,
        },
    );
    if let Some(problem) = problems.first() {
        app.notify(problem.clone(), true);
    }
    app.attach_store(store, opened);
    if let Some(target) = remote {
        // A reopened session may have asked for a local model; --backend wins.
        app.cancel_switch();
        app.connect_remote(target);
    } else if app.model_path().is_none() && app.switching().is_none() {
        app.load_model(default_model?);
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the UI runtime")?;
    terminal::install_panic_hook();
    debug_hooks::wait_for_gate("GGCHAT_DEBUG_START_GATE");
    let (mut tui, guard) = terminal::enter().context("cannot set up the terminal")?;
    for key in type_ahead::keys(&type_ahead::take_pending()) {
        app.handle_key(key);
    }
    let result = runtime.block_on(event_loop(&mut tui, &mut app, events));
    drop(guard);
    app.save_session();
    drop(engine);
    result
}

fn handle_terminal_event(app: &mut App, event: Event) {
    match event {
        Event::Key(key) => {
            debug_hooks::crash_on_key(&key);
            app.handle_key(key)
        }
        Event::Paste(text) => app.handle_paste(&text),
        Event::Mouse(mouse) => app.handle_mouse(mouse),
        _ => {}
    }
}

/// Copies pending clipboard text via the terminal (OSC 52) and the system clipboard.
fn flush_clipboard(app: &mut App) {
    for text in app.take_clipboard() {
        let outcome = crate::clipboard::copy(&text, &mut std::io::stdout());
        app.notify(outcome, false);
    }
}

async fn event_loop(
    tui: &mut terminal::Tui,
    app: &mut App,
    mut events: UnboundedReceiver<EngineEvent>,
) -> Result<()> {
    let mut input = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut ticker = tokio::time::interval(TICK);
    let mut dirty = true;
    let mut seen_highlight = crate::markdown::highlight::generation();
    // Input is waiting to be drawn: it is drawn at once, without waiting for the frame gap.
    let mut input_pending = false;
    // The terminal was resized: the next frame starts from a cleared screen. Terminals reflow or
    // crop what they show on a resize, so a frame drawn as a difference from the previous one
    // could leave stale cells behind.
    let mut resized = false;
    let mut last_draw = Instant::now() - STREAM_FRAME;
    while !app.should_quit() {
        if dirty && (input_pending || last_draw.elapsed() >= STREAM_FRAME) {
            if std::mem::take(&mut resized) {
                // `resize` clears the screen and the previous frame (`clear` would also ask the
                // terminal where its cursor is, a round trip the event reader could steal).
                let size = tui.size()?;
                tui.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            }
            // Before the frame: the copy's outcome is a notice, and this frame must show it
            // (after it, nothing would redraw until the next key).
            flush_clipboard(app);
            tui.draw(|frame| app.draw(frame))?;
            dirty = false;
            input_pending = false;
            last_draw = Instant::now();
        }
        let since_draw = last_draw.elapsed();
        // Engine events wait for the next frame boundary.
        let engine_wait = STREAM_FRAME.saturating_sub(since_draw);
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(event)) => {
                    // A burst of resizes (a window being dragged) is drawn at the frame rate;
                    // keys, pastes and clicks at once.
                    if matches!(event, Event::Resize(..)) {
                        resized = true;
                    } else {
                        input_pending = true;
                    }
                    handle_terminal_event(app, event);
                    dirty = true;
                }
                Some(Err(e)) => return Err(e).context("cannot read the terminal"),
                None => break,
            },
            event = events.recv(),
                if engine_wait.is_zero() && debug_hooks::gate_open("GGCHAT_DEBUG_ENGINE_GATE") => {
                match event {
                    Some(event) => {
                        app.handle_engine(event);
                        while let Ok(event) = events.try_recv() {
                            app.handle_engine(event);
                        }
                    }
                    None => {
                        app.engine_stopped();
                        // Keep the UI up so the conversation is not lost; stop polling.
                        events = tokio::sync::mpsc::unbounded_channel().1;
                    }
                }
                dirty = true;
            }
            _ = ticker.tick() => {
                let highlighted = crate::markdown::highlight::generation();
                dirty |= app.is_animating() || highlighted != seen_highlight;
                seen_highlight = highlighted;
            }
            _ = sigterm.recv() => app.request_quit(),
            _ = sighup.recv() => app.request_quit(),
            _ = tokio::time::sleep(engine_wait), if !engine_wait.is_zero() => {}
        }
    }
    Ok(())
}
