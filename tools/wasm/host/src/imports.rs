// SPDX-License-Identifier: GPL-2.0

//! The `host.*` imports of vmlinux.wasm (Documentation/arch/wasm/
//! host-abi.rst), defined in a `Linker` shared by every thread.
//!
//! Guest addresses and sizes are 32-bit unsigned values passed as `i32`.
//! A host function that cannot do what it is asked (a buffer outside the
//! memory, an unknown halt reason) returns an error, which traps the
//! calling thread and ends the run as a host-side fault.

use crate::abi::{EAGAIN, HALT_PANIC};
use crate::clock;
use crate::memory::GuestMemory;
use crate::memory::check_range;
use crate::outcome::Outcome;
use crate::random;
use crate::threads::{self, Entry, TaskExit, ThreadCtx};
use crate::uaccess;
use crate::user::{self, UserEnter};
use crate::virtio;
use wasmtime::{Caller, Error, Linker, Result};

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
            machine.console_output(&bytes);
            Ok(())
        },
    )?;

    linker.func_wrap(
        "host",
        "console_read",
        |caller: Caller<'_, ThreadCtx>, buf: i32, len: i32| -> Result<i32> {
            let machine = &caller.data().machine;
            check_range(machine.memory.size(), u(buf).into(), u(len).into())
                .map_err(|e| Error::new(e).context("console_read"))?;
            let bytes = machine.console.input.take(u(len) as usize);
            machine
                .memory
                .write(u(buf).into(), &bytes)
                .map_err(|e| Error::new(e).context("console_read"))?;
            Ok(bytes.len() as i32)
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
            let result = start_thread(&caller, entry);
            if result == 0 {
                caller.data().machine.irq.cpu_started(u(cpu));
            }
            result
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

    define_mmio(linker)?;
    define_user(linker)?;
    Ok(())
}

/// `mmio_read` and `mmio_write`: the registers of the virtio-mmio devices
/// (`virtio/`).  A size other than 1, 2, 4 or 8 is a kernel bug (a trap);
/// an address where no register is reads as all ones, and writes to it
/// are dropped.
fn define_mmio(linker: &mut Linker<ThreadCtx>) -> Result<()> {
    linker.func_wrap(
        "host",
        "mmio_read",
        |caller: Caller<'_, ThreadCtx>, addr: i32, size: i32| -> Result<i64> {
            let size = virtio::access_size(size).map_err(|e| e.context("mmio_read"))?;
            let machine = &caller.data().machine;
            Ok(match machine.devices() {
                Some(devices) => devices.read(u(addr), size),
                None => virtio::all_ones(size),
            } as i64)
        },
    )?;
    linker.func_wrap(
        "host",
        "mmio_write",
        |caller: Caller<'_, ThreadCtx>, addr: i32, size: i32, value: i64, cpu: i32| -> Result<()> {
            let size = virtio::access_size(size).map_err(|e| e.context("mmio_write"))?;
            if let Some(devices) = caller.data().machine.devices() {
                devices.write(u(addr), size, value as u64, u(cpu));
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// The user-mode imports: process memories, user access, entering user
/// code and running signal handlers (see `user.rs`).
fn define_user(linker: &mut Linker<ThreadCtx>) -> Result<()> {
    linker.func_wrap(
        "host",
        "mm_new",
        |caller: Caller<'_, ThreadCtx>, pages: i32, max: i32, table: i32| -> i32 {
            caller
                .data()
                .machine
                .users
                .create(u(pages), u(max), u(table))
        },
    )?;
    linker.func_wrap(
        "host",
        "mm_grow",
        |caller: Caller<'_, ThreadCtx>, mm: i32, pages: i32| -> i32 {
            caller.data().machine.users.grow(u(mm), u(pages))
        },
    )?;
    linker.func_wrap(
        "host",
        "mm_free",
        |caller: Caller<'_, ThreadCtx>, mm: i32| {
            caller.data().machine.users.free(u(mm));
        },
    )?;
    linker.func_wrap(
        "host",
        "mm_add_module",
        |caller: Caller<'_, ThreadCtx>,
         mm: i32,
         buf: i32,
         len: i32,
         memory_base: i32,
         table_base: i32|
         -> Result<i32> {
            let machine = &caller.data().machine;
            let wasm = machine
                .memory
                .read(u(buf).into(), u(len).into())
                .map_err(|e| Error::new(e).context("mm_add_module"))?;
            Ok(machine
                .users
                .add_module(u(mm), &wasm, u(memory_base), u(table_base)))
        },
    )?;

    linker.func_wrap(
        "host",
        "user_copy_from",
        |mut caller: Caller<'_, ThreadCtx>, mm: i32, to: i32, from: i32, n: i32| -> Result<i32> {
            let user = user_memory(&mut caller, mm);
            let kernel = &caller.data().machine.memory;
            uaccess::copy_from(kernel, user.as_ref(), u(to), u(from), u(n))
                .map(|left| left as i32)
                .map_err(|e| Error::new(e).context("user_copy_from"))
        },
    )?;
    linker.func_wrap(
        "host",
        "user_copy_to",
        |mut caller: Caller<'_, ThreadCtx>, mm: i32, to: i32, from: i32, n: i32| -> Result<i32> {
            let user = user_memory(&mut caller, mm);
            let kernel = &caller.data().machine.memory;
            uaccess::copy_to(kernel, user.as_ref(), u(to), u(from), u(n))
                .map(|left| left as i32)
                .map_err(|e| Error::new(e).context("user_copy_to"))
        },
    )?;
    linker.func_wrap(
        "host",
        "user_clear",
        |mut caller: Caller<'_, ThreadCtx>, mm: i32, to: i32, n: i32| -> Result<i32> {
            let user = user_memory(&mut caller, mm);
            uaccess::clear(user.as_ref(), u(to), u(n))
                .map(|left| left as i32)
                .map_err(|e| Error::new(e).context("user_clear"))
        },
    )?;
    linker.func_wrap(
        "host",
        "user_cmpxchg32",
        |mut caller: Caller<'_, ThreadCtx>,
         mm: i32,
         uaddr: i32,
         old: i32,
         new: i32,
         cur: i32|
         -> Result<i32> {
            let user = user_memory(&mut caller, mm);
            let kernel = &caller.data().machine.memory;
            uaccess::cmpxchg32(kernel, user.as_ref(), u(uaddr), u(old), u(new), u(cur))
                .map_err(|e| Error::new(e).context("user_cmpxchg32"))
        },
    )?;

    linker.func_wrap(
        "host",
        "user_enter",
        |mm: i32, kind: i32, sp: i32| -> Result<()> {
            // Unwinds the kernel (and any user frames) to the thread's
            // runner, which starts the user code.
            Err(Error::new(UserEnter {
                mm: u(mm),
                kind: u(kind),
                sp: u(sp),
            }))
        },
    )?;
    linker.func_wrap(
        "host",
        "user_sp",
        |mut caller: Caller<'_, ThreadCtx>| -> i32 {
            match caller.data().user.as_ref().map(|t| t.stack_pointer()) {
                Some(g) => g.get(&mut caller).i32().unwrap_or(0),
                None => 0,
            }
        },
    )?;
    linker.func_wrap(
        "host",
        "mm_fork",
        |mut caller: Caller<'_, ThreadCtx>, mm: i32| -> i32 {
            crate::unwind::mm_fork(&mut caller, u(mm))
        },
    )?;
    linker.func_wrap("host", "user_fork", crate::unwind::user_fork)?;
    linker.func_wrap("host", "user_rewound", crate::unwind::user_rewound)?;
    linker.func_wrap(
        "host",
        "user_signal",
        |caller: Caller<'_, ThreadCtx>,
         handler: i32,
         sig: i32,
         info: i32,
         uctx: i32,
         has_siginfo: i32,
         sp: i32|
         -> Result<i32> {
            user::signal(caller, [handler, sig, info, uctx, has_siginfo], sp)
        },
    )?;
    Ok(())
}

/// The memory of user address space `mm`, remembered per thread.
fn user_memory(caller: &mut Caller<'_, ThreadCtx>, mm: i32) -> Option<GuestMemory> {
    let id = u(mm);
    if let Some((cached, memory)) = &caller.data().mm_cache
        && *cached == id
    {
        return Some(memory.clone());
    }
    let memory = caller.data().machine.users.get(id)?.memory.clone();
    caller.data_mut().mm_cache = Some((id, memory.clone()));
    Some(memory)
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
