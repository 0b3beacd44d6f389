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
//! its own echo and line editing; [`restore_terminal`] undoes it.  Its
//! size goes to the virtio console (VIRTIO_CONSOLE_F_SIZE), at boot and
//! on every SIGWINCH, so that the guest's `stty size` and full-screen
//! programs see the host terminal's columns and rows.

use crate::abi::{CONSOLE_CPU, LINE_CONSOLE};
use crate::machine::Machine;
use crate::virtio::console::{self, Console};
use std::collections::VecDeque;
use std::io::Read;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};

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

/// The terminal settings to restore at exit, when stdin is a terminal.
static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);

/// Puts standard input in raw mode if it is a terminal.
fn raw_mode() {
    // SAFETY: isatty/tcgetattr/tcsetattr only read and write the termios
    // structure given, which lives on this stack frame.
    unsafe {
        if libc::isatty(0) != 1 {
            return;
        }
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut t) != 0 {
            return;
        }
        let saved = t;
        libc::cfmakeraw(&mut t);
        if libc::tcsetattr(0, libc::TCSANOW, &t) == 0 {
            *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(saved);
        }
    }
}

/// Restores the terminal settings changed by the input thread.
pub fn restore_terminal() {
    if let Some(t) = SAVED.lock().unwrap_or_else(|e| e.into_inner()).take() {
        // SAFETY: `t` is a termios obtained from tcgetattr on fd 0.
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) };
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
