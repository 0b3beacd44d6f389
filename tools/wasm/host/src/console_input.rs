// SPDX-License-Identifier: GPL-2.0

//! Console input: the host's standard input, read by a thread of its own.
//! With the virtio console the bytes go to its receive queue
//! (virtio/console.rs), which interrupts the guest as they land.  With
//! `--console host` they wait in a buffer that the kernel drains with
//! `console_read`; each arrival raises interrupt line 2 on CPU 0 (the
//! kernel's hvc0 reads then).
//!
//! When standard input is a terminal it is put in raw mode for the run,
//! so that keys (Ctrl-C included) reach the guest's terminal, which does
//! its own echo and line editing; every way the process ends undoes it
//! (see `raw_mode`).  Its size goes to the virtio console
//! (VIRTIO_CONSOLE_F_SIZE), at boot and on every SIGWINCH, so that the
//! guest's `stty size` and full-screen programs see the host terminal's
//! columns and rows.

use crate::abi::{CONSOLE_CPU, LINE_CONSOLE};
use crate::machine::Machine;
use crate::virtio::console::{self, Console};
use std::collections::VecDeque;
use std::io::Read;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Most bytes buffered before the reader waits for the guest.
const MAX_BUFFERED: usize = 64 << 10;

/// Bytes read from standard input that the guest has not taken yet.
#[derive(Default)]
pub struct Input {
    buf: Mutex<VecDeque<u8>>,
}

impl Input {
    /// Appends `bytes`.
    pub fn push(&self, bytes: &[u8]) {
        let mut buf = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        buf.extend(bytes);
    }

    /// Takes up to `max` bytes.
    pub fn take(&self, max: usize) -> Vec<u8> {
        let mut buf = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        let n = buf.len().min(max);
        buf.drain(..n).collect()
    }

    pub fn len(&self) -> usize {
        self.buf.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The terminal settings from before raw mode, set once when stdin is a
/// terminal.  A `OnceLock`, not a `Mutex`: the signal handler below reads
/// it, and `get` takes no lock.
static SAVED: OnceLock<libc::termios> = OnceLock::new();

/// Puts standard input in raw mode if it is a terminal.
///
/// Raw mode must not outlive the process, or the user's shell is left
/// without echo, line editing and Ctrl-C.  The process ends in these
/// ways, and each restores the terminal:
///
/// - `main` returning or calling `std::process::exit` (which skips
///   destructors): `main` holds a [`TerminalGuard`] for the run and ends
///   it before `exit`.  The other returns of `main` (`--help`, a usage
///   error) come before raw mode.  Nothing else in the host calls
///   `exit`.
/// - A panic, on any thread: the hook set here restores the terminal
///   before the panic message is printed, whether the panic then unwinds
///   (the profiles keep the default `panic = "unwind"`) or aborts (a
///   panic during a panic, or a `panic = "abort"` build).  The guard
///   alone would not do: a panic on a guest CPU's thread ends that thread
///   only, and the run would wait on with the terminal raw.
/// - A signal whose default action ends the process: SIGHUP, SIGINT,
///   SIGQUIT and SIGTERM (from `kill`, `timeout`: raw mode stops the
///   terminal from sending them) and SIGABRT (`abort`, Rust's stack
///   overflow report): [`on_fatal_signal`] restores and dies of the same
///   signal.  SIGKILL cannot be caught; SIGSEGV, SIGBUS, SIGILL and
///   SIGFPE belong to wasmtime, which turns the guest's faults into traps.
fn raw_mode() {
    // SAFETY: isatty/tcgetattr/tcsetattr only read and write the termios
    // structure given, which lives on this stack frame.
    unsafe {
        if libc::isatty(0) != 1 {
            return;
        }
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut t) != 0 || SAVED.set(t).is_err() {
            return;
        }
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        for sig in [
            libc::SIGHUP,
            libc::SIGINT,
            libc::SIGQUIT,
            libc::SIGTERM,
            libc::SIGABRT,
        ] {
            let mut action: libc::sigaction = std::mem::zeroed();
            let handler = on_fatal_signal as extern "C" fn(libc::c_int);
            action.sa_sigaction = handler as libc::sighandler_t;
            // Back to the default action as the handler starts, which
            // then raises the signal again.
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
        libc::cfmakeraw(&mut t);
        libc::tcsetattr(0, libc::TCSANOW, &t);
    }
}

/// Restores the terminal, then ends the process by `sig`'s default
/// action (the handler is reset as it is entered: `SA_RESETHAND`).
extern "C" fn on_fatal_signal(sig: libc::c_int) {
    // tcsetattr(3) and raise(3) are async-signal-safe, and
    // `OnceLock::get` is an atomic load.
    restore_terminal();
    // SAFETY: raise(3) only sends a signal; it stays blocked until this
    // handler returns, and then takes its default action.
    unsafe { libc::raise(sig) };
}

/// Restores the terminal settings changed by the input thread.  Safe to
/// call more than once, and from a signal handler.
fn restore_terminal() {
    if let Some(t) = SAVED.get() {
        // SAFETY: `t` is a termios obtained from tcgetattr on fd 0.
        unsafe { libc::tcsetattr(0, libc::TCSANOW, t) };
    }
}

/// Restores the terminal when dropped; `main` holds one for the run.
pub struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// The size of the terminal on standard input, (columns, rows), if it is
/// one.
pub fn terminal_size() -> Option<(u16, u16)> {
    // SAFETY: TIOCGWINSZ fills the winsize structure on this stack frame.
    let ws = unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        if libc::isatty(0) != 1 || libc::ioctl(0, libc::TIOCGWINSZ, &mut ws) != 0 {
            return None;
        }
        ws
    };
    (ws.ws_col > 0 && ws.ws_row > 0).then_some((ws.ws_col, ws.ws_row))
}

/// The write end of the pipe the SIGWINCH handler writes to (-1: none).
static WINCH_PIPE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_winch(_sig: libc::c_int) {
    let fd = WINCH_PIPE.load(Ordering::Relaxed);
    if fd >= 0 {
        // SAFETY: write(2) is async-signal-safe; the byte is on the stack.
        // A full pipe already holds a wake-up, so a failure is harmless.
        unsafe { libc::write(fd, [0u8].as_ptr().cast(), 1) };
    }
}

/// Passes the terminal's size to the virtio console whenever it changes:
/// SIGWINCH writes to a pipe, and a thread reads it and resizes.
fn watch_size(machine: &Arc<Machine>) {
    let Some(dev) = machine.devices().and_then(|d| d.console()).cloned() else {
        return;
    };
    if !dev.backend().sized() {
        return;
    }
    let mut fds = [0i32; 2];
    // SAFETY: pipe(2) fills the two descriptors; the handler only writes
    // to the write end, which stays open for the life of the process.
    unsafe {
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            return;
        }
        WINCH_PIPE.store(fds[1], Ordering::Relaxed);
        let handler = on_winch as extern "C" fn(libc::c_int);
        libc::signal(libc::SIGWINCH, handler as libc::sighandler_t);
    }
    let read_end = fds[0];
    let spawned = std::thread::Builder::new()
        .name("console-winch".into())
        .spawn(move || {
            let mut byte = [0u8; 16];
            // SAFETY: reads into the buffer on this stack frame.
            while unsafe { libc::read(read_end, byte.as_mut_ptr().cast(), byte.len()) } > 0 {
                if let Some((cols, rows)) = terminal_size() {
                    Console::resize(&dev, cols, rows);
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("wasm-linux: terminal size changes not passed on: {e}");
    }
}

/// Starts the thread that feeds standard input to the guest.
pub fn start(machine: &Arc<Machine>) {
    raw_mode();
    watch_size(machine);
    let machine = machine.clone();
    let spawned = std::thread::Builder::new()
        .name("console-input".into())
        .spawn(move || feed(&machine));
    if let Err(e) = spawned {
        eprintln!("wasm-linux: no console input: {e}");
    }
}

fn feed(machine: &Machine) {
    let virtio = machine.devices().and_then(|d| d.console());
    let buffered = || match virtio {
        Some(dev) => dev.backend().pending_len() >= console::MAX_PENDING,
        None => machine.console.input.len() >= MAX_BUFFERED,
    };
    let mut stdin = std::io::stdin().lock();
    let mut chunk = [0u8; 4096];
    loop {
        while buffered() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let n = match stdin.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if let Some(dev) = virtio {
            Console::receive(dev, &chunk[..n]);
            continue;
        }
        machine.console.input.push(&chunk[..n]);
        machine.irq.raise_on(CONSOLE_CPU, LINE_CONSOLE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_taken_in_order() {
        let input = Input::default();
        input.push(b"uname -a\n");
        input.push(b"poweroff\n");
        assert_eq!(input.take(6), b"uname ");
        assert_eq!(input.len(), 12);
        assert_eq!(input.take(100), b"-a\npoweroff\n");
        assert!(input.take(10).is_empty());
    }
}
