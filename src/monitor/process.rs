//! This process's memory, threads and CPU load, read from /proc on Linux (elsewhere every
//! figure is `None`: "not available"). A reading costs two small file reads; the probe reads at
//! most once per [`MIN_INTERVAL`], and only when a front end asks (the open monitor pane).

use super::proc_parse;
use std::time::{Duration, Instant};

/// The shortest gap between two readings of /proc.
pub const MIN_INTERVAL: Duration = Duration::from_millis(500);

/// One reading of the process.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcessFigures {
    pub rss_bytes: Option<u64>,
    pub peak_rss_bytes: Option<u64>,
    pub threads: Option<u32>,
    /// CPU load since the previous reading, in percent of all cores; `None` on the first.
    pub cpu_percent: Option<f64>,
    /// Cores the load is divided by.
    pub cores: usize,
}

/// Reads the process, remembering the previous CPU time for the load.
#[derive(Debug, Default)]
pub struct ProcessProbe {
    fixed: Option<ProcessFigures>,
    last_read: Option<Instant>,
    last_cpu: Option<(Instant, u64)>,
}

impl ProcessProbe {
    /// A probe that always gives `figures` and never reads /proc.
    pub fn fixed(figures: ProcessFigures) -> ProcessProbe {
        ProcessProbe {
            fixed: Some(figures),
            ..ProcessProbe::default()
        }
    }

    /// A new reading, or `None` when the last one is younger than [`MIN_INTERVAL`].
    pub fn sample(&mut self, now: Instant) -> Option<ProcessFigures> {
        if let Some(fixed) = &self.fixed {
            return Some(fixed.clone());
        }
        if self
            .last_read
            .is_some_and(|last| now.saturating_duration_since(last) < MIN_INTERVAL)
        {
            return None;
        }
        self.last_read = Some(now);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (status, ticks) = read_proc();
        let cpu_percent = match (ticks, self.last_cpu) {
            (Some(ticks), Some((then, before))) => {
                let wall = now.saturating_duration_since(then).as_secs_f64();
                cpu_load(
                    ticks.saturating_sub(before),
                    clock_ticks_per_second(),
                    wall,
                    cores,
                )
            }
            _ => None,
        };
        if let Some(ticks) = ticks {
            self.last_cpu = Some((now, ticks));
        }
        Some(ProcessFigures {
            rss_bytes: status.rss_bytes,
            peak_rss_bytes: status.peak_rss_bytes,
            threads: status.threads,
            cpu_percent,
            cores,
        })
    }
}

/// CPU time over wall time, divided by the cores, in percent.
pub fn cpu_load(ticks: u64, ticks_per_second: u64, wall_seconds: f64, cores: usize) -> Option<f64> {
    if wall_seconds <= 0.0 || ticks_per_second == 0 || cores == 0 {
        return None;
    }
    let cpu_seconds = ticks as f64 / ticks_per_second as f64;
    Some(cpu_seconds / wall_seconds / cores as f64 * 100.0)
}

#[cfg(target_os = "linux")]
fn read_proc() -> (proc_parse::Status, Option<u64>) {
    let status = std::fs::read_to_string("/proc/self/status")
        .map(|text| proc_parse::parse_status(&text))
        .unwrap_or_default();
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|text| proc_parse::parse_cpu_ticks(&text));
    (status, ticks)
}

#[cfg(not(target_os = "linux"))]
fn read_proc() -> (proc_parse::Status, Option<u64>) {
    (proc_parse::Status::default(), None)
}

#[cfg(unix)]
fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a system constant.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).unwrap_or(100)
}

#[cfg(not(unix))]
fn clock_ticks_per_second() -> u64 {
    100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_is_cpu_time_over_wall_time_per_core() {
        // 150 ticks of 100/s = 1.5 s of CPU in 1 s on 2 cores: 75 %.
        assert_eq!(cpu_load(150, 100, 1.0, 2), Some(75.0));
        assert_eq!(cpu_load(0, 100, 0.5, 4), Some(0.0));
        assert_eq!(cpu_load(10, 100, 0.0, 2), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_live_probe_reads_this_process_at_most_twice_a_second() {
        let mut probe = ProcessProbe::default();
        let start = Instant::now();
        let first = probe.sample(start).expect("a first reading");
        assert!(first.rss_bytes.is_some_and(|b| b > 1_000_000), "{first:?}");
        assert!(first.peak_rss_bytes >= first.rss_bytes, "{first:?}");
        assert!(first.threads.is_some_and(|t| t >= 1), "{first:?}");
        assert_eq!(
            first.cpu_percent, None,
            "no load without a previous reading"
        );
        assert_eq!(probe.sample(start + Duration::from_millis(100)), None);
        let second = probe
            .sample(start + Duration::from_secs(1))
            .expect("read again");
        assert!(second.cpu_percent.is_some(), "{second:?}");
    }
}
