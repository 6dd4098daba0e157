//! The live figures of the monitor pane (F5), kept in one place that any front end can read:
//! the last replies (speed, time to first token, prompt reuse, context), totals since the start,
//! the model as loaded, and the process (memory, threads, CPU).
//!
//! Front ends feed it ([`Monitor::record_reply`] when a reply finishes, [`Monitor::count_guard`]
//! when the guard acts, [`Monitor::set_model`] when a model is ready) and read it; nothing here
//! draws. Counters have one home: the process-wide ones ([`Counters`]) that `ggchat serve`
//! exports at `/metrics` are fed by the same calls that feed the pane, and the pane reads them
//! too. The per-session totals start again with each session ([`Monitor::reset_session`]). The process is read from /proc only
//! when asked ([`Monitor::sample_process`], at most every [`process::MIN_INTERVAL`]), so a closed
//! pane costs nothing. A test injects fixed process figures with [`Monitor::with_process`].

pub mod counters;
pub mod proc_parse;
pub mod process;
pub mod replies;

pub use counters::{CONTENT_TYPE, Counters};
pub use process::{ProcessFigures, ProcessProbe};
pub use replies::{ReplyFigures, ReplyRing, Totals};

use crate::chat::ReplyStats;
use crate::engine::ModelInfo;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// KV cells in use by the local engines of this process (the scheduler keeps the figure).
pub fn kv_cells_used() -> usize {
    crate::engine::scheduler::kv_cells_used()
}

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
    counters: Arc<Counters>,
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

    /// A reply finished: into the ring, the session's totals and the process's counters.
    pub fn record_reply(&mut self, stats: &ReplyStats) {
        let figures = ReplyFigures::from_stats(stats);
        self.totals.add(&figures);
        self.replies.push(figures);
        self.counters.record_reply(stats);
    }

    /// The guard acted (a rule or the model check): the session's tally and the counters.
    pub fn count_guard(&mut self, mark: &crate::guard::GuardMark) {
        self.totals.guard_actions += 1;
        self.counters.count_guard(mark);
    }

    /// The guard's model check ran (see `crate::guard::check`).
    pub fn count_model_check(
        &mut self,
        stage: crate::guard::check::Stage,
        result: &crate::guard::CheckResult,
    ) {
        self.counters
            .count_model_check(stage.as_str(), result.label());
    }

    /// A model is ready (loaded or connected).
    pub fn set_model(&mut self, info: &ModelInfo) {
        self.model = Some(ModelFigures::from_info(info));
        if info.remote.is_none() {
            self.counters.model_load_seconds.set(info.load_ms / 1000.0);
        }
    }

    /// Another session was opened or a new chat started: the per-session totals start again.
    /// The last replies (speed history) and the process-wide counters stay.
    pub fn reset_session(&mut self) {
        self.totals = Totals::default();
    }

    /// The process-wide counters (shared with whoever exports them).
    pub fn counters(&self) -> &Arc<Counters> {
        &self.counters
    }

    /// The OpenMetrics text of the counters, with the gauges read now: KV cells, memory.
    pub fn exposition(&mut self) -> String {
        self.sample_process(Instant::now());
        let process = self.process.as_ref();
        let gauge = |v: Option<u64>| v.map_or(0, |b| i64::try_from(b).unwrap_or(i64::MAX));
        self.counters
            .resident_memory
            .set(gauge(process.and_then(|p| p.rss_bytes)));
        self.counters
            .peak_resident_memory
            .set(gauge(process.and_then(|p| p.peak_rss_bytes)));
        self.counters.refresh();
        self.counters.encode()
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

/// A monitor several tasks feed (`ggchat serve`'s requests). The counters are reachable without
/// the lock, for the figures taken at every token.
#[derive(Debug)]
pub struct SharedMonitor {
    counters: Arc<Counters>,
    monitor: Mutex<Monitor>,
}

impl Default for SharedMonitor {
    fn default() -> Self {
        SharedMonitor::new(Monitor::new())
    }
}

impl SharedMonitor {
    pub fn new(monitor: Monitor) -> SharedMonitor {
        SharedMonitor {
            counters: monitor.counters.clone(),
            monitor: Mutex::new(monitor),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Monitor> {
        // The monitor holds figures only: one left half-updated by a panic is still readable.
        self.monitor.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn counters(&self) -> &Counters {
        &self.counters
    }
}

#[cfg(test)]
mod tests;
