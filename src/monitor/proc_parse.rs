//! Parsing Linux's /proc/self/status and /proc/self/stat, on text so it is tested on fixed
//! samples. Only the few fields the monitor shows are read; a missing or malformed field is
//! `None`, never a panic.

/// What /proc/self/status says about memory and threads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    /// Resident memory now (`VmRSS`), in bytes.
    pub rss_bytes: Option<u64>,
    /// Peak resident memory (`VmHWM`, the high-water mark), in bytes.
    pub peak_rss_bytes: Option<u64>,
    pub threads: Option<u32>,
}

/// Reads `VmRSS`, `VmHWM` (in kB) and `Threads` from the text of /proc/PID/status.
pub fn parse_status(text: &str) -> Status {
    let mut status = Status::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key {
            "VmRSS" => status.rss_bytes = kilobytes(value),
            "VmHWM" => status.peak_rss_bytes = kilobytes(value),
            "Threads" => status.threads = value.parse().ok(),
            _ => {}
        }
    }
    status
}

fn kilobytes(value: &str) -> Option<u64> {
    let number = value.strip_suffix("kB").unwrap_or(value).trim();
    number.parse::<u64>().ok()?.checked_mul(1024)
}

/// The CPU time the process used (user + system), in clock ticks, from the text of
/// /proc/PID/stat. The command name (field 2) is in parentheses and may hold spaces or
/// parentheses itself, so fields are counted after the last ')'.
pub fn parse_cpu_ticks(text: &str) -> Option<u64> {
    let after = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After ')' the first field is the state (field 3): utime is field 14, stime field 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    utime.checked_add(stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Name:\tggchat\nUmask:\t0022\nState:\tS (sleeping)\n\
        VmPeak:\t  812344 kB\nVmHWM:\t  301212 kB\nVmRSS:\t  254880 kB\n\
        RssAnon:\t  120000 kB\nThreads:\t7\nSigQ:\t0/62805\n";

    #[test]
    fn status_gives_rss_peak_and_threads() {
        assert_eq!(
            parse_status(STATUS),
            Status {
                rss_bytes: Some(254_880 * 1024),
                peak_rss_bytes: Some(301_212 * 1024),
                threads: Some(7),
            }
        );
    }

    #[test]
    fn a_status_without_the_fields_gives_none() {
        assert_eq!(
            parse_status("Name:\tx\nVmRSS:\tlots kB\n"),
            Status::default()
        );
        assert_eq!(parse_status(""), Status::default());
    }

    #[test]
    fn stat_gives_user_plus_system_ticks_even_with_a_strange_name() {
        let stat = "4242 (gg chat) (x)) S 1 4242 4242 34816 4242 4194304 2345 0 0 0 \
                    1500 250 0 0 20 0 7 0 123456 812344000 63720 18446744073709551615";
        assert_eq!(parse_cpu_ticks(stat), Some(1750));
    }

    #[test]
    fn a_short_or_garbled_stat_gives_none() {
        assert_eq!(parse_cpu_ticks("4242 (ggchat) S 1 2 3"), None);
        assert_eq!(parse_cpu_ticks("no parenthesis at all"), None);
        assert_eq!(parse_cpu_ticks("1 (a) S 1 1 1 1 1 1 1 1 1 1 x 2 0 0"), None);
    }
}
