// SPDX-License-Identifier: GPL-2.0

//! The `host.*` imports of vmlinux.wasm (Documentation/arch/wasm/
//! host-abi.rst), defined in a `Linker` shared by every thread.
//!
//! Guest addresses and sizes are 32-bit unsigned values passed as `i32`.
//! A host function that cannot do what it is asked (a buffer outside the
//! memory, an unknown halt reason) returns an error, which traps the
//! calling thread and ends the run as a host-side fault.

use crate::clock;
use crate::console::ConsoleEvent;
use crate::memory::check_range;
use crate::outcome::{HALT_PANIC, Outcome};
use crate::random;
use crate::threads::{self, Entry, TaskExit, ThreadCtx};
use crate::uaccess;
use wasmtime::{Caller, Error, Linker, Result};

/// `-EAGAIN`, for a thread the OS would not create.
const EAGAIN: i32 = -11;

/// A guest `i32` argument as the unsigned 32-bit value the kernel meant.
fn u(v: i32) -> u32 {
    v as u32
}

/// Defines every `host.*` function in `linker`.
pub fn define_host(linker: &mut Linker<ThreadCtx>) -> Result<()> {
    linker.func_wrap(
        "host",
        "console_write",
        |caller: Caller<'_, ThreadCtx>, buf: i32, len: i32| -> Result<()> {
            let machine = &caller.data().machine;
            let bytes = machine
                .memory
                .read(u(buf).into(), u(len).into())
                .map_err(|e| Error::new(e).context("console_write"))?;
            match machine.console.write(&bytes) {
                Some(ConsoleEvent::PanicEnded(reason)) => {
                    // The kernel printed the last line of a panic and will
                    // now spin forever: end the run as if it had called
                    // halt(2).
                    machine.finish(Outcome::Panic(Some(reason)));
                }
                Some(ConsoleEvent::InitStarted) => {
                    if let Some(at) = machine.stats.init_started()
                        && machine.stats.enabled
                    {
                        eprintln!("wasm-linux: {}", machine.stats.boot_line(at));
                    }
                }
                None => {}
            }
            Ok(())
        },
    )?;

    linker.func_wrap("host", "clock_monotonic", clock::monotonic_ns)?;
    linker.func_wrap("host", "clock_realtime", clock::realtime_ns)?;

    linker.func_wrap(
        "host",
        "cpu_start",
        |caller: Caller<'_, ThreadCtx>, cpu: i32, idle: i32| -> i32 {
            let entry = Entry::Secondary {
                cpu: u(cpu),
                idle: u(idle),
            };
            start_thread(&caller, entry)
        },
    )?;

    linker.func_wrap(
        "host",
        "task_spawn",
        |caller: Caller<'_, ThreadCtx>, task: i32| -> i32 {
            start_thread(&caller, Entry::Task { task: u(task) })
        },
    )?;

    linker.func_wrap("host", "task_exit", || -> Result<()> {
        // Unwinds the instance; the thread's runner recognises the error.
        Err(Error::new(TaskExit))
    })?;

    linker.func_wrap(
        "host",
        "halt",
        |caller: Caller<'_, ThreadCtx>, reason: i32, code: i32| -> Result<()> {
            let machine = caller.data().machine.clone();
            let mut outcome = Outcome::from_halt(reason, code);
            if reason == HALT_PANIC {
                outcome = Outcome::Panic(machine.console.panic_reason());
            }
            machine.finish(outcome);
            // The main thread exits the process; this CPU never resumes.
            loop {
                std::thread::park();
            }
        },
    )?;

    linker.func_wrap(
        "host",
        "random_fill",
        |caller: Caller<'_, ThreadCtx>, buf: i32, len: i32| -> Result<()> {
            let memory = &caller.data().machine.memory;
            let (addr, len) = (u64::from(u(buf)), u64::from(u(len)));
            check_range(memory.size(), addr, len)
                .map_err(|e| Error::new(e).context("random_fill"))?;
            let mut bytes = vec![0u8; len as usize];
            random::fill(&mut bytes).map_err(|e| Error::new(e).context("random_fill"))?;
            memory
                .write(addr, &bytes)
                .map_err(|e| Error::new(e).context("random_fill"))?;
            Ok(())
        },
    )?;

    linker.func_wrap("host", "user_copy_from", |to: i32, from: i32, n: i32| {
        uaccess::copy_from(u(to), u(from), u(n)) as i32
    })?;
    linker.func_wrap("host", "user_copy_to", |to: i32, from: i32, n: i32| {
        uaccess::copy_to(u(to), u(from), u(n)) as i32
    })?;
    linker.func_wrap("host", "user_clear", |to: i32, n: i32| {
        uaccess::clear(u(to), u(n)) as i32
    })?;
    linker.func_wrap(
        "host",
        "user_cmpxchg32",
        |uaddr: i32, old: i32, new: i32, cur: i32| {
            uaccess::cmpxchg32(u(uaddr), u(old), u(new), u(cur))
        },
    )?;

    Ok(())
}

/// `cpu_start` and `task_spawn`: 0, or `-EAGAIN` if the OS refused a
/// thread (the ABI lets the kernel decide what to do about it).
fn start_thread(caller: &Caller<'_, ThreadCtx>, entry: Entry) -> i32 {
    match threads::spawn(&caller.data().machine, entry) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("wasm-linux: cannot start a thread for {entry}: {err}");
            EAGAIN
        }
    }
}
