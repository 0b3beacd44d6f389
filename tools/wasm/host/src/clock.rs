// SPDX-License-Identifier: GPL-2.0

//! The host clocks behind `clock_monotonic` and `clock_realtime`.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Zero of the monotonic clock: the moment the machine started (just
/// before the boot CPU runs), so kernel timestamps start near zero.
static START: OnceLock<Instant> = OnceLock::new();

/// Captures the zero of the monotonic clock (the first call wins).
pub fn init() {
    START.get_or_init(Instant::now);
}

/// Nanoseconds since the machine started, the same for every thread and
/// never going back (`Instant` is monotonic).
pub fn monotonic_ns() -> i64 {
    let start = *START.get_or_init(Instant::now);
    i64::try_from(start.elapsed().as_nanos()).unwrap_or(i64::MAX)
}

/// Nanoseconds since the Unix epoch (0 if the wall clock is before it).
pub fn realtime_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_never_goes_back() {
        init();
        let mut last = monotonic_ns();
        for _ in 0..1000 {
            let now = monotonic_ns();
            assert!(now >= last);
            last = now;
        }
    }

    #[test]
    fn realtime_is_after_2024() {
        // 2024-01-01T00:00:00Z
        assert!(realtime_ns() > 1_704_067_200 * 1_000_000_000);
    }
}
