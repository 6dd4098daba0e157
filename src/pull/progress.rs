//! Download progress on stderr: bytes, rate and time left.
//!
//! On a terminal one line is redrawn in place (at most ten times a second); otherwise (a log, CI,
//! a pipe) a plain line is printed every second, so the output stays readable as a file.

use std::io::Write;
use std::time::{Duration, Instant};

pub struct Progress {
    out: Box<dyn Write + Send>,
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

    /// The bytes of the whole pull (every part of a split model).
    pub fn set_total(&mut self, total: u64) {
        self.total = total;
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

    fn line(&self) -> String {
        let elapsed = self.start.elapsed().as_secs_f64().max(0.001);
        let rate = (self.done - self.resumed.min(self.done)) as f64 / elapsed;
        let pct = if self.total == 0 {
            100.0
        } else {
            self.done as f64 * 100.0 / self.total as f64
        };
        let left = if rate >= 1.0 {
            duration(Duration::from_secs_f64(
                self.total.saturating_sub(self.done) as f64 / rate,
            ))
        } else {
            "?".into()
        };
        crate::tr!(
            "pull-progress",
            done = bytes(self.done),
            total = bytes(self.total),
            pct = format!("{pct:.0}"),
            rate = bytes(rate as u64),
            left = left,
        )
    }

    fn draw(&mut self, last: bool) {
        let line = self.line();
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
