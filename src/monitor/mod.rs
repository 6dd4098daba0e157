//! The live figures of the monitor pane (F5), kept in one place that any front end can read:
//! the last replies (speed, time to first token, prompt reuse, context), totals since the start,
//! the model as loaded, and the process (memory, threads, CPU).
//!
//! Front ends feed it ([`Monitor::record_reply`] when a reply finishes, [`Monitor::set_model`]
//! when a model is ready) and read it; nothing here draws. The process is read from /proc only
//! when asked ([`Monitor::sample_process`], at most every [`process::MIN_INTERVAL`]), so a closed
//! pane costs nothing. A test injects fixed process figures with [`Monitor::with_process`].

pub mod proc_parse;
pub mod process;
pub mod replies;

pub use process::{ProcessFigures, ProcessProbe};
pub use replies::{ReplyFigures, ReplyRing, Totals};

use crate::chat::ReplyStats;
use crate::engine::ModelInfo;
use std::time::Instant;

/// The model as loaded: how long it took and where its layers run.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFigures {
    pub name: String,
    /// Load time (for a remote backend: the time to connect).
    pub load_ms: f64,
    /// "CPU", or e.g. "Vulkan0 31/31 layers"; `None` for a remote backend.
    pub offload: Option<String>,
    /// The context size created; `None` when a server does not say.
    pub ctx_size: Option<u32>,
    /// llama.cpp's threads; `None` for a remote backend.
    pub threads: Option<u32>,
    /// The model runs on a server.
    pub remote: bool,
}

impl ModelFigures {
    pub fn from_info(info: &ModelInfo) -> ModelFigures {
        let remote = info.remote.is_some();
        let local = |v: u32| (!remote && v > 0).then_some(v);
        ModelFigures {
            name: info.name.clone(),
            load_ms: info.load_ms,
            offload: (!remote && !info.offload.is_empty()).then(|| info.offload.clone()),
            ctx_size: local(info.ctx_size),
            threads: local(info.threads),
            remote,
        }
    }
}

/// Everything the monitor shows.
#[derive(Debug, Default)]
pub struct Monitor {
    replies: ReplyRing,
    totals: Totals,
    model: Option<ModelFigures>,
    probe: ProcessProbe,
    process: Option<ProcessFigures>,
}

impl Monitor {
    /// A monitor that reads this process from /proc.
    pub fn new() -> Monitor {
        Monitor::default()
    }

    /// A monitor whose process figures are fixed (tests, snapshots): /proc is never read.
    pub fn with_process(figures: ProcessFigures) -> Monitor {
        Monitor {
            probe: ProcessProbe::fixed(figures.clone()),
            process: Some(figures),
            ..Monitor::default()
        }
    }

    /// A reply finished: into the ring and the totals.
    pub fn record_reply(&mut self, stats: &ReplyStats) {
        let figures = ReplyFigures::from_stats(stats);
        self.totals.add(&figures);
        self.replies.push(figures);
    }

    /// A model is ready (loaded or connected).
    pub fn set_model(&mut self, info: &ModelInfo) {
        self.model = Some(ModelFigures::from_info(info));
    }

    /// Reads the process again if the last reading is older than the minimum interval; `true`
    /// when the figures changed (a redraw is worth it).
    pub fn sample_process(&mut self, now: Instant) -> bool {
        match self.probe.sample(now) {
            Some(figures) => {
                let changed = self.process.as_ref() != Some(&figures);
                self.process = Some(figures);
                changed
            }
            None => false,
        }
    }

    pub fn replies(&self) -> &ReplyRing {
        &self.replies
    }

    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    pub fn model(&self) -> Option<&ModelFigures> {
        self.model.as_ref()
    }

    /// The last process reading; `None` before the first.
    pub fn process(&self) -> Option<&ProcessFigures> {
        self.process.as_ref()
    }
}
