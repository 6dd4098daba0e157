//! Download progress on stderr: bytes, rate and time left.
//!
//! On a terminal one line is redrawn in place (at most ten times a second); otherwise (a log, CI,
//! a pipe) a plain line is printed every second, so the output stays readable as a file.

use std::io::Write;
use std::time::{Duration, Instant};

/// Where a download stands, for a display that is not a stream of lines (the chat's status bar).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Snapshot {
    pub done: u64,
    pub total: u64,
    /// Bytes per second in this run (bytes resumed from an earlier run left out).
    pub rate: u64,
    /// `None` until the rate is known.
    pub left: Option<Duration>,
}

impl Snapshot {
    /// "45.1 MiB / 93.8 MiB (48%)  12.0 MiB/s  4s left", as the command line prints it.
    pub fn line(&self) -> String {
        let pct = if self.total == 0 {
            100.0
        } else {
            self.done as f64 * 100.0 / self.total as f64
        };
        crate::tr!(
            "pull-progress",
            done = bytes(self.done),
            total = bytes(self.total),
            pct = format!("{pct:.0}"),
            rate = bytes(self.rate),
            left = self.left.map_or_else(|| "?".into(), duration),
        )
    }
}

/// Called with each new progress reading (at the rate lines are drawn).
pub type Watch = Box<dyn FnMut(Snapshot) + Send>;

pub struct Progress {
    out: Box<dyn Write + Send>,
    watch: Option<Watch>,
    tty: bool,
    total: u64,
    done: u64,
    /// Bytes already on disk when this run started (a resumed download), left out of the rate.
    resumed: u64,
    start: Instant,
    last: Option<Instant>,
}

/// "45.1 MiB".
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// "1h02m", "3m05s", "7s".
pub fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

impl Progress {
    pub fn new(out: Box<dyn Write + Send>, tty: bool, total: u64) -> Progress {
        Progress {
            out,
            watch: None,
            tty,
            total,
            done: 0,
            resumed: 0,
            start: Instant::now(),
            last: None,
        }
    }

    /// Progress on this process's stderr, redrawn in place when it is a terminal.
    pub fn stderr(total: u64) -> Progress {
        use std::io::IsTerminal;
        let tty = std::io::stderr().is_terminal();
        Progress::new(Box::new(std::io::stderr()), tty, total)
    }

    /// Progress that goes to `watch` only, at most ten readings a second.
    pub fn watched(watch: Watch) -> Progress {
        let mut progress = Progress::new(Box::new(std::io::sink()), true, 0);
        progress.watch = Some(watch);
        progress
    }

    /// The bytes of the whole pull (every part of a split model).
    pub fn set_total(&mut self, total: u64) {
        self.total = total;
        self.report();
    }

    /// Tells the watcher (not the output): the total and a resume are known before any byte.
    fn report(&mut self) {
        let snapshot = self.snapshot();
        if let Some(watch) = &mut self.watch {
            watch(snapshot);
        }
    }

    /// A line of its own (a file starting, a resume), keeping the progress line intact.
    pub fn say(&mut self, text: &str) {
        let clear = if self.tty { "\r\x1b[2K" } else { "" };
        let _ = writeln!(self.out, "{clear}{text}");
        self.last = None;
    }

    /// Counts bytes already on disk before this run.
    pub fn resumed(&mut self, n: u64) {
        self.resumed += n;
        self.done += n;
        self.report();
    }

    /// Forgets `n` bytes that must be fetched again (the server ignored the range).
    pub fn restart(&mut self, n: u64) {
        self.done = self.done.saturating_sub(n);
        self.resumed = self.resumed.saturating_sub(n);
    }

    pub fn add(&mut self, n: u64) {
        self.done += n;
        let every = if self.tty {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(1)
        };
        if self.last.is_none_or(|t| t.elapsed() >= every) {
            self.draw(false);
        }
    }

    /// Where the download stands now.
    pub fn snapshot(&self) -> Snapshot {
        let elapsed = self.start.elapsed().as_secs_f64().max(0.001);
        let rate = (self.done - self.resumed.min(self.done)) as f64 / elapsed;
        Snapshot {
            done: self.done,
            total: self.total,
            rate: rate as u64,
            left: (rate >= 1.0).then(|| {
                Duration::from_secs_f64(self.total.saturating_sub(self.done) as f64 / rate)
            }),
        }
    }

    fn draw(&mut self, last: bool) {
        let snapshot = self.snapshot();
        if let Some(watch) = &mut self.watch {
            watch(snapshot);
        }
        let line = snapshot.line();
        let _ = if self.tty {
            write!(self.out, "\r\x1b[2K{line}{}", if last { "\n" } else { "" })
        } else {
            writeln!(self.out, "{line}")
        };
        let _ = self.out.flush();
        self.last = Some(Instant::now());
    }

    /// The last progress line and the time taken.
    pub fn finish(&mut self) {
        self.draw(true);
        let took = duration(self.start.elapsed());
        let size = bytes(self.done - self.resumed.min(self.done));
        let _ = writeln!(
            self.out,
            "{}",
            crate::tr!("pull-downloaded", size = size, took = took)
        );
    }

    /// Ends the progress line before an error is printed.
    pub fn abort(&mut self) {
        if self.tty && self.last.is_some() {
            let _ = writeln!(self.out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_show_bytes_rate_and_time_left() {
        let sink = Sink::default();
        let mut p = Progress::new(Box::new(sink.clone()), false, 10 << 20);
        p.resumed(2 << 20);
        std::thread::sleep(Duration::from_millis(20));
        p.add(3 << 20);
        p.finish();
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert!(text.starts_with("5.0 MiB / 10.0 MiB (50%)  "), "{text}");
        assert!(text.contains("/s  ") && text.contains(" left\n"), "{text}");
        assert!(text.contains("downloaded 3.0 MiB in "), "{text}");
        assert!(!text.contains('\r'), "plain lines off a terminal: {text:?}");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(duration(Duration::from_secs(3725)), "1h02m");
    }
}
