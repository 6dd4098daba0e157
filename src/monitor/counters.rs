//! The process-wide counters, gauges and histograms: what `ggchat serve` exports at `/metrics`
//! (OpenMetrics text) and what the monitor pane's process-wide figures read. They live here, in
//! the monitor, so there is one source: [`super::Monitor`] feeds them when a reply finishes, a
//! guard acts or a model loads, whichever front end runs.
//!
//! Request counts by endpoint and status, prompt and generated tokens (those generated for a
//! client that went away counted apart), time to first token and the time between tokens, the
//! queue, guessed tokens verified and kept (speculative decoding), the busy slots and the KV
//! cells in use (read at scrape time, so they cannot drift),
//! the resident memory, and how long the model took to load.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;

/// The content type of the OpenMetrics text format.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub endpoint: String,
    pub status: String,
}

/// Labels of the content-safety guard counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct GuardLabels {
    pub category: String,
    pub action: String,
}

/// Labels of the guard's model check counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CheckLabels {
    /// `input` or `output`.
    pub stage: String,
    /// `safe`, `unsafe`, `timeout` or `error`.
    pub result: String,
}

/// Every process-wide metric.
#[derive(Debug)]
pub struct Counters {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub prompt_tokens: Counter,
    pub generated_tokens: Counter,
    pub cancelled_tokens: Counter,
    /// Guessed tokens verified, and those kept (speculative decoding).
    pub drafted_tokens: Counter,
    pub accepted_tokens: Counter,
    pub time_to_first_token: Histogram,
    pub time_per_token: Histogram,
    pub queue_depth: Gauge,
    pub busy_slots: Gauge,
    pub slots: Gauge,
    pub kv_cells_used: Gauge,
    pub model_load_seconds: Gauge<f64, AtomicU64>,
    pub resident_memory: Gauge,
    pub peak_resident_memory: Gauge,
    /// What the content-safety guard did, by category and action (input and output together).
    pub guard_actions: Family<GuardLabels, Counter>,
    /// The sum of `guard_actions` (a family cannot be summed without encoding it).
    guard_total: AtomicU64,
    /// The guard's model checks, by what they read and how they went.
    pub guard_model_checks: Family<CheckLabels, Counter>,
}

impl Default for Counters {
    fn default() -> Self {
        Self::new()
    }
}

impl Counters {
    pub fn new() -> Counters {
        let mut registry = Registry::with_prefix("ggchat");
        let requests = Family::<RequestLabels, Counter>::default();
        let prompt_tokens = Counter::default();
        let generated_tokens = Counter::default();
        let cancelled_tokens = Counter::default();
        let drafted_tokens = Counter::default();
        let accepted_tokens = Counter::default();
        // 5 ms to ~80 s.
        let time_to_first_token = Histogram::new(exponential_buckets(0.005, 2.0, 15));
        // 1 ms to ~2 s.
        let time_per_token = Histogram::new(exponential_buckets(0.001, 2.0, 12));
        let queue_depth = Gauge::default();
        let busy_slots = Gauge::default();
        let slots = Gauge::default();
        let kv_cells_used = Gauge::default();
        let model_load_seconds = Gauge::<f64, AtomicU64>::default();
        let guard_actions = Family::<GuardLabels, Counter>::default();
        let guard_model_checks = Family::<CheckLabels, Counter>::default();
        registry.register(
            "guard_model_checks",
            "Content-safety model checks by stage (input, output) and result (safe, unsafe, \
             timeout, error)",
            guard_model_checks.clone(),
        );
        let resident_memory = Gauge::default();
        let peak_resident_memory = Gauge::default();
        registry.register(
            "resident_memory_bytes",
            "Resident memory of the process (0 where /proc is not readable)",
            resident_memory.clone(),
        );
        registry.register(
            "peak_resident_memory_bytes",
            "Peak resident memory of the process (0 where /proc is not readable)",
            peak_resident_memory.clone(),
        );
        registry.register(
            "guard_actions",
            "Content-safety guard matches by category and action",
            guard_actions.clone(),
        );
        registry.register(
            "http_requests",
            "HTTP requests by endpoint and status",
            requests.clone(),
        );
        registry.register(
            "prompt_tokens",
            "Prompt tokens of finished requests",
            prompt_tokens.clone(),
        );
        registry.register(
            "generated_tokens",
            "Tokens generated",
            generated_tokens.clone(),
        );
        registry.register(
            "cancelled_generated_tokens",
            "Tokens generated for requests whose client went away before the end",
            cancelled_tokens.clone(),
        );
        registry.register(
            "speculation_drafted_tokens",
            "Guessed tokens verified by speculative decoding",
            drafted_tokens.clone(),
        );
        registry.register(
            "speculation_accepted_tokens",
            "Guessed tokens that were the model's own choice",
            accepted_tokens.clone(),
        );
        registry.register(
            "time_to_first_token_seconds",
            "From the request's arrival to its first generated token, queueing included",
            time_to_first_token.clone(),
        );
        registry.register(
            "time_per_output_token_seconds",
            "Time between two generated tokens of a reply",
            time_per_token.clone(),
        );
        registry.register(
            "queue_depth",
            "Requests waiting for a slot",
            queue_depth.clone(),
        );
        registry.register("busy_slots", "Slots generating now", busy_slots.clone());
        registry.register("slots", "Slots (sequences served at once)", slots.clone());
        registry.register(
            "kv_cells_used",
            "KV-cache cells holding tokens (every slot's cached tokens)",
            kv_cells_used.clone(),
        );
        registry.register(
            "model_load_seconds",
            "How long loading the model took",
            model_load_seconds.clone(),
        );
        Counters {
            registry,
            requests,
            prompt_tokens,
            generated_tokens,
            cancelled_tokens,
            drafted_tokens,
            accepted_tokens,
            time_to_first_token,
            time_per_token,
            queue_depth,
            busy_slots,
            slots,
            kv_cells_used,
            model_load_seconds,
            resident_memory,
            peak_resident_memory,
            guard_actions,
            guard_total: AtomicU64::new(0),
            guard_model_checks,
        }
    }

    /// A finished reply: its whole prompt (evaluated and reused) and what it generated.
    pub fn record_reply(&self, stats: &crate::chat::ReplyStats) {
        self.prompt_tokens
            .inc_by((stats.prompt_tokens_evaluated + stats.prompt_tokens_reused) as u64);
        self.generated_tokens.inc_by(stats.generated_tokens as u64);
        if let Some(guesses) = stats.speculation {
            self.drafted_tokens.inc_by(guesses.drafted as u64);
            self.accepted_tokens.inc_by(guesses.accepted as u64);
        }
    }

    /// Reads the gauges that have another owner: the KV cells of the engine's scheduler.
    pub fn refresh(&self) {
        self.kv_cells_used.set(super::kv_cells_used() as i64);
    }

    /// The guard actions counted so far, over every category and action.
    pub fn guard_total(&self) -> u64 {
        self.guard_total.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn count_guard(&self, mark: &crate::guard::GuardMark) {
        self.guard_actions
            .get_or_create(&GuardLabels {
                category: mark.category.clone(),
                action: mark.action.as_str().to_owned(),
            })
            .inc();
        self.guard_total
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn count_model_check(&self, stage: &str, result: &str) {
        self.guard_model_checks
            .get_or_create(&CheckLabels {
                stage: stage.to_owned(),
                result: result.to_owned(),
            })
            .inc();
    }

    pub fn count_request(&self, endpoint: &str, status: u16) {
        self.requests
            .get_or_create(&RequestLabels {
                endpoint: endpoint.to_owned(),
                status: status.to_string(),
            })
            .inc();
    }

    /// The text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_names_every_metric() {
        let m = Counters::new();
        m.count_request("/v1/chat/completions", 200);
        m.busy_slots.set(1);
        m.count_guard(&crate::guard::GuardMark {
            category: "secrets".into(),
            action: crate::guard::Action::Redact,
        });
        let text = m.encode();
        for name in [
            "ggchat_http_requests_total{endpoint=\"/v1/chat/completions\",status=\"200\"} 1",
            "ggchat_busy_slots 1",
            "ggchat_prompt_tokens_total 0",
            "ggchat_generated_tokens_total 0",
            "ggchat_cancelled_generated_tokens_total 0",
            "ggchat_time_to_first_token_seconds_bucket",
            "ggchat_time_per_output_token_seconds_bucket",
            "ggchat_queue_depth 0",
            "ggchat_slots 0",
            "ggchat_kv_cells_used 0",
            "ggchat_model_load_seconds",
            "ggchat_guard_actions_total{category=\"secrets\",action=\"redact\"} 1",
            "# EOF",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
    }
}
