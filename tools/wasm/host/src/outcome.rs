// SPDX-License-Identifier: GPL-2.0

//! How a run ends, and the process exit status for each ending.

use crate::abi::{HALT_PANIC, HALT_POWEROFF, HALT_REBOOT};
use std::fmt;

/// Exit status for bad command-line arguments or unusable input files.
pub const EXIT_USAGE: i32 = 2;

/// The end of a run.  The first outcome recorded wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The guest powered off (`halt(0, code)`).
    PowerOff,
    /// The guest asked for a reboot (`halt(1, code)`); not supported yet.
    Reboot,
    /// The guest kernel panicked; the reason if the console showed one.
    Panic(Option<String>),
    /// Something went wrong on the host side of the ABI.
    HostFault(String),
}

impl Outcome {
    /// The outcome of `halt(reason, code)`.  An unknown reason is a bad
    /// import call, so a host-side fault.
    pub fn from_halt(reason: i32, code: i32) -> Outcome {
        match reason {
            HALT_POWEROFF => Outcome::PowerOff,
            HALT_REBOOT => Outcome::Reboot,
            HALT_PANIC => Outcome::Panic(None),
            _ => Outcome::HostFault(format!("halt() with unknown reason {reason} (code {code})")),
        }
    }

    /// The process exit status (documented in `--help`).
    pub fn exit_status(&self) -> i32 {
        match self {
            Outcome::PowerOff => 0,
            Outcome::Panic(_) => 1,
            Outcome::HostFault(_) => 3,
            Outcome::Reboot => 4,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::PowerOff => write!(f, "guest powered off"),
            Outcome::Reboot => write!(f, "guest asked for a reboot (not supported, exiting)"),
            Outcome::Panic(Some(reason)) => write!(f, "guest kernel panic: {reason}"),
            Outcome::Panic(None) => write!(f, "guest kernel panic"),
            Outcome::HostFault(what) => write!(f, "host-side fault: {what}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halt_reasons_map_to_exit_statuses() {
        assert_eq!(Outcome::from_halt(0, 0).exit_status(), 0);
        assert_eq!(Outcome::from_halt(0, 5).exit_status(), 0);
        assert_eq!(Outcome::from_halt(2, 0).exit_status(), 1);
        assert_eq!(Outcome::from_halt(1, 0).exit_status(), 4);
        assert_eq!(Outcome::from_halt(7, 0).exit_status(), 3);
        assert_eq!(Outcome::from_halt(-1, 0).exit_status(), 3);
        assert_eq!(Outcome::HostFault("x".into()).exit_status(), 3);
        assert_eq!(EXIT_USAGE, 2);
    }

    #[test]
    fn statuses_are_distinct() {
        let all = [
            Outcome::PowerOff,
            Outcome::Panic(None),
            Outcome::HostFault(String::new()),
            Outcome::Reboot,
        ];
        let mut statuses: Vec<i32> = all.iter().map(Outcome::exit_status).collect();
        statuses.push(EXIT_USAGE);
        statuses.sort();
        statuses.dedup();
        assert_eq!(statuses, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn panic_reason_is_shown() {
        let o = Outcome::Panic(Some("No working init found.".into()));
        assert_eq!(o.to_string(), "guest kernel panic: No working init found.");
    }
}
