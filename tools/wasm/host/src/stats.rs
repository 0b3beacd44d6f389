// SPDX-License-Identifier: GPL-2.0

//! Run statistics, printed with `--stats`: how long the boot took (host
//! start to the kernel handing over to init), the host CPU time the run
//! used, and how many kernel threads it had.
//!
//! The hand-over to init is seen on the console: `run_init_process()`
//! prints "Run /init as init process" (at KERN_INFO, so not with `quiet`)
//! just before it executes the program.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub struct Stats {
    /// Whether to print the statistics (`--stats`).
    pub enabled: bool,
    start: Instant,
    /// When the module was ready, and whether it came from the cache.
    compiled: OnceLock<(Duration, bool)>,
    init: OnceLock<Duration>,
    threads_started: AtomicUsize,
    threads_peak: AtomicUsize,
}

impl Stats {
    /// Statistics of a run that started at `start` (the host's start),
    /// printed if `enabled`.
    pub fn new(start: Instant, enabled: bool) -> Stats {
        Stats {
            enabled,
            start,
            compiled: OnceLock::new(),
            init: OnceLock::new(),
            threads_started: AtomicUsize::new(0),
            threads_peak: AtomicUsize::new(0),
        }
    }

    /// Notes that the module is compiled (or was loaded compiled from the
    /// cache), that is, the kernel starts now.
    pub fn compiled(&self, cached: bool) {
        let _ = self.compiled.set((self.start.elapsed(), cached));
    }

    /// Notes the hand-over to init; returns the time since the start the
    /// first time only.
    pub fn init_started(&self) -> Option<Duration> {
        let now = self.start.elapsed();
        self.init.set(now).ok().map(|()| now)
    }

    /// Counts a kernel thread that starts, `live` being the number alive
    /// with it (the machine keeps that count).
    pub fn thread_started(&self, live: usize) {
        self.threads_started.fetch_add(1, Ordering::Relaxed);
        self.threads_peak.fetch_max(live, Ordering::Relaxed);
    }

    /// The line printed when the kernel hands over to init at `at`.
    pub fn boot_line(&self, at: Duration) -> String {
        match self.compiled.get() {
            Some(&(c, cached)) => format!(
                "boot: {} to init ({} the module {}, kernel {})",
                ms(at),
                if cached { "loading" } else { "compiling" },
                ms(c),
                ms(at.saturating_sub(c))
            ),
            None => format!("boot: {} to init", ms(at)),
        }
    }

    /// The line printed when the run ends.
    pub fn exit_line(&self) -> String {
        let cpu = match cpu_time() {
            Some((user, system)) => format!(
                "host CPU {} (user {}, system {})",
                ms(user + system),
                ms(user),
                ms(system)
            ),
            None => "host CPU time unknown".to_string(),
        };
        format!(
            "ran {}; {cpu}; kernel threads: {} started, at most {} at once",
            ms(self.start.elapsed()),
            self.threads_started.load(Ordering::Relaxed),
            self.threads_peak.load(Ordering::Relaxed)
        )
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// User and system CPU time of this process so far, from /proc/self/stat.
fn cpu_time() -> Option<(Duration, Duration)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The clock-tick unit is 1/100 s on every Linux architecture's
    // USER_HZ that matters here.
    parse_cpu_ticks(&stat).map(|(u, s)| (ticks(u), ticks(s)))
}

fn ticks(n: u64) -> Duration {
    Duration::from_millis(n * 10)
}

/// Fields 14 and 15 (utime, stime) of a /proc/PID/stat line.  The command
/// name (field 2) is in parentheses and may hold spaces and ')', so the
/// fields are counted from its last ')'.
fn parse_cpu_ticks(stat: &str) -> Option<(u64, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user = fields.next()?.parse().ok()?;
    let system = fields.next()?.parse().ok()?;
    Some((user, system))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_ticks_of_a_stat_line() {
        let line = "1234 (wasm linux) S 1 1234 1234 0 -1 4194304 500 0 0 0 \
                    42 7 0 0 20 0 9 0 100 0 0";
        assert_eq!(parse_cpu_ticks(line), Some((42, 7)));
        let odd = "1 (a) b) R 1 1 1 0 -1 0 0 0 0 0 3 4 0";
        assert_eq!(parse_cpu_ticks(odd), Some((3, 4)));
        assert_eq!(parse_cpu_ticks("1 (x) R 1"), None);
        assert_eq!(parse_cpu_ticks("garbage"), None);
        assert!(cpu_time().is_some());
    }

    #[test]
    fn init_is_recorded_once_and_threads_peak() {
        let stats = Stats::new(Instant::now(), false);
        stats.compiled(true);
        let first = stats.init_started();
        assert!(first.is_some());
        assert_eq!(stats.init_started(), None);
        let line = stats.boot_line(first.unwrap());
        assert!(
            line.starts_with("boot: ") && line.contains("(loading"),
            "{line}"
        );

        stats.thread_started(1);
        stats.thread_started(2);
        stats.thread_started(2);
        let line = stats.exit_line();
        assert!(line.contains("3 started, at most 2 at once"), "{line}");
    }
}
