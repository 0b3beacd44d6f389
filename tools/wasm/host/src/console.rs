// SPDX-License-Identifier: GPL-2.0

//! The kernel console (`console_write`): bytes go straight to stdout.
//!
//! The console also watches the lines it passes for the kernel's panic
//! messages, so that the host can name the panic reason when it exits, and
//! recognise the end of a panic: `panic()` prints
//! `---[ end Kernel panic - not syncing: REASON ]---` as its very last
//! words before it spins forever.  A kernel that reports its panic through
//! `halt(2, ...)` makes the host exit before that; the marker is the
//! fallback for a kernel that does not.

use std::io::{self, Write};
use std::sync::Mutex;

const INIT_PREFIX: &str = "Run ";
const INIT_SUFFIX: &str = " as init process";
const PANIC_PREFIX: &str = "Kernel panic - not syncing: ";
const PANIC_END_PREFIX: &str = "---[ end Kernel panic - not syncing: ";
const PANIC_END_SUFFIX: &str = " ]---";
/// Longest line kept for matching; the rest of a longer line is dropped
/// (it is still printed).
const MAX_LINE: usize = 1024;

/// What a console write told the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleEvent {
    /// The kernel finished printing a panic.
    PanicEnded(String),
    /// The kernel is about to execute an init program.
    InitStarted,
}

#[derive(Default)]
struct Scanner {
    line: Vec<u8>,
    panic_reason: Option<String>,
}

impl Scanner {
    /// Feeds console bytes; returns an event if a finished line has one
    /// (the end of a panic before any other).
    fn feed(&mut self, bytes: &[u8]) -> Option<ConsoleEvent> {
        let mut event = None;
        for &b in bytes {
            if b == b'\n' {
                match self.finish_line() {
                    Some(e @ ConsoleEvent::PanicEnded(_)) => event = Some(e),
                    Some(e) if event.is_none() => event = Some(e),
                    _ => {}
                }
                self.line.clear();
            } else if self.line.len() < MAX_LINE {
                self.line.push(b);
            }
        }
        event
    }

    fn finish_line(&mut self) -> Option<ConsoleEvent> {
        let text = String::from_utf8_lossy(&self.line);
        let text = text.trim_end_matches('\r');
        if let Some(at) = text.find(PANIC_END_PREFIX) {
            let rest = &text[at + PANIC_END_PREFIX.len()..];
            let reason = rest.strip_suffix(PANIC_END_SUFFIX).unwrap_or(rest);
            let reason = self
                .panic_reason
                .clone()
                .unwrap_or_else(|| reason.trim().to_string());
            return Some(ConsoleEvent::PanicEnded(reason));
        }
        if let Some(at) = text.find(INIT_PREFIX)
            && text[at..].ends_with(INIT_SUFFIX)
        {
            return Some(ConsoleEvent::InitStarted);
        }
        if let Some(at) = text.find(PANIC_PREFIX) {
            // The first panic is the interesting one.
            if self.panic_reason.is_none() {
                self.panic_reason = Some(text[at + PANIC_PREFIX.len()..].trim().to_string());
            }
        }
        None
    }
}

/// Where console bytes go.
pub enum Sink {
    /// The process's standard output (flushed after every write).
    Stdout,
    /// A buffer, for tests.
    #[cfg(test)]
    Buffer(std::sync::Arc<Mutex<Vec<u8>>>),
}

/// The console of one machine (all CPUs write to it).
pub struct Console {
    sink: Sink,
    scanner: Mutex<Scanner>,
    /// Input for the guest (console_input.rs).
    pub input: crate::console_input::Input,
}

impl Console {
    pub fn new(sink: Sink) -> Console {
        Console {
            sink,
            scanner: Mutex::new(Scanner::default()),
            input: Default::default(),
        }
    }

    /// Writes console output and returns what it showed.  Output errors (a
    /// closed pipe) are ignored: the console never fails the guest.
    pub fn write(&self, bytes: &[u8]) -> Option<ConsoleEvent> {
        // One lock for both keeps lines of different CPUs in order.
        let mut scanner = self.scanner.lock().unwrap_or_else(|e| e.into_inner());
        match &self.sink {
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                let _ = out.write_all(bytes);
                let _ = out.flush();
            }
            #[cfg(test)]
            Sink::Buffer(buf) => buf
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(bytes),
        }
        scanner.feed(bytes)
    }

    /// The reason of the first panic the console showed, if any.
    pub fn panic_reason(&self) -> Option<String> {
        let scanner = self.scanner.lock().unwrap_or_else(|e| e.into_inner());
        scanner.panic_reason.clone()
    }
}

/// Flushes stdout, before the process exits.
pub fn flush() {
    let _ = io::stdout().lock().flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_panic_reason_across_writes() {
        let mut s = Scanner::default();
        assert_eq!(s.feed(b"[    1.000000] Kernel panic - not sync"), None);
        assert_eq!(
            s.feed(b"ing: No working init found.  Try passing init= option to kernel.\n"),
            None
        );
        assert_eq!(
            s.panic_reason.as_deref(),
            Some("No working init found.  Try passing init= option to kernel.")
        );
        assert_eq!(
            s.feed(b"[    1.000001] CPU: 0 PID: 1 Comm: swapper\n"),
            None
        );
        let end = b"[    1.1] ---[ end Kernel panic - not syncing: No working init found.  \
Try passing init= option to kernel. ]---\n";
        assert_eq!(
            s.feed(end),
            Some(ConsoleEvent::PanicEnded(
                "No working init found.  Try passing init= option to kernel.".into()
            ))
        );
    }

    #[test]
    fn end_marker_alone_gives_its_reason() {
        let mut s = Scanner::default();
        assert_eq!(
            s.feed(b"---[ end Kernel panic - not syncing: VFS: oops ]---\r\nmore"),
            Some(ConsoleEvent::PanicEnded("VFS: oops".into()))
        );
    }

    #[test]
    fn init_hand_over() {
        let mut s = Scanner::default();
        assert_eq!(
            s.feed(b"[    0.5] Run /init as init process\n"),
            Some(ConsoleEvent::InitStarted)
        );
        assert_eq!(s.feed(b"Run /init as init\n"), None);
        assert_eq!(s.feed(b"Running tests as init process?\n"), None);
        let both = b"Run /sbin/init as init process\n---[ end Kernel panic - not syncing: x ]---\n";
        assert_eq!(s.feed(both), Some(ConsoleEvent::PanicEnded("x".into())));
    }

    #[test]
    fn ordinary_lines_and_long_lines() {
        let mut s = Scanner::default();
        assert_eq!(s.feed(b"Linux version 6.12\nMemory: 250000K\n"), None);
        let long = vec![b'x'; 5 * MAX_LINE];
        assert_eq!(s.feed(&long), None);
        assert_eq!(s.line.len(), MAX_LINE);
        assert_eq!(s.feed(b"\n"), None);
        assert!(s.line.is_empty());
        assert_eq!(s.panic_reason, None);
    }
}
