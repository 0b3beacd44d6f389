// SPDX-License-Identifier: GPL-2.0

//! Kernel threads: the boot CPU, secondary CPUs and tasks.
//!
//! Each runs on an OS thread of its own, with its own `Store` and its own
//! instance of the module over the shared kernel memory, and calls one
//! entry export.  The thread ends when the entry returns (the kernel gave
//! the thread up), when the task calls `task_exit`, or on a trap, which is
//! a host-side fault that ends the whole run.

use crate::abi::HOST_ABI_VERSION;
use crate::clock;
use crate::machine::Machine;
use crate::memory::GuestMemory;
use crate::outcome::Outcome;
use crate::user::{self, UserEnter, UserThread};
use std::fmt;
use std::io;
use std::sync::{Arc, OnceLock};
use wasmtime::{Instance, Result, Store, UpdateDeadline};

/// Native stack of a kernel thread.  WebAssembly frames live on it (the
/// kernel's own stack is in linear memory), so it must exceed the engine's
/// `max_wasm_stack` plus room for host calls.
pub const THREAD_STACK: usize = 8 << 20;
/// Limit on the wasm frames of one thread (`Config::max_wasm_stack`).
pub const MAX_WASM_STACK: usize = 4 << 20;
const _: () = assert!(THREAD_STACK >= 2 * MAX_WASM_STACK);

/// The data of each thread's `Store`.
pub struct ThreadCtx {
    pub machine: Arc<Machine>,
    /// This thread's instance of the kernel.
    pub kernel: Option<Instance>,
    /// The user image this thread runs, if any.
    pub user: Option<UserThread>,
    /// The last user memory this thread accessed, by mm id.
    pub mm_cache: Option<(u32, GuestMemory)>,
}

impl ThreadCtx {
    pub fn new(machine: Arc<Machine>) -> ThreadCtx {
        ThreadCtx {
            machine,
            kernel: None,
            user: None,
            mm_cache: None,
        }
    }
}

/// The error `task_exit` returns to unwind its thread: not a fault.
#[derive(Debug)]
pub struct TaskExit;

impl fmt::Display for TaskExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task exited")
    }
}

impl std::error::Error for TaskExit {}

/// What a new thread runs (arguments are guest addresses and numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// `wasm_boot(cmdline, initrd_start, initrd_size, nr_cpus)` on CPU 0.
    Boot {
        cmdline: u32,
        initrd_start: u32,
        initrd_size: u32,
        nr_cpus: u32,
    },
    /// `wasm_secondary_start(cpu, idle)`.
    Secondary { cpu: u32, idle: u32 },
    /// `wasm_task_start(task)`.
    Task { task: u32 },
}

impl Entry {
    /// The OS thread name (at most 15 bytes on Linux).
    pub fn thread_name(&self) -> String {
        match self {
            Entry::Boot { .. } => "cpu0-boot".to_string(),
            Entry::Secondary { cpu, .. } => format!("cpu{cpu}"),
            Entry::Task { task } => format!("task-{task:x}"),
        }
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Boot { .. } => write!(f, "the boot CPU (wasm_boot)"),
            Entry::Secondary { cpu, idle } => {
                write!(f, "CPU {cpu} (wasm_secondary_start, idle task {idle:#x})")
            }
            Entry::Task { task } => write!(f, "task {task:#x} (wasm_task_start)"),
        }
    }
}

/// The environment variable that turns on thread tracing on stderr.
pub const TRACE_ENV: &str = "WASM_LINUX_TRACE";

/// Whether `WASM_LINUX_TRACE` asks for thread events on stderr.
pub fn tracing() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os(TRACE_ENV).is_some_and(|v| !v.is_empty() && v != "0"))
}

fn trace(what: fmt::Arguments<'_>) {
    if tracing() {
        eprintln!(
            "wasm-linux[trace {:.6}]: {what}",
            clock::monotonic_ns() as f64 / 1e9
        );
    }
}

/// Starts a thread running `entry`.  Fails only if the OS cannot make a
/// thread; everything after that is reported by the thread itself.
pub fn spawn(machine: &Arc<Machine>, entry: Entry) -> io::Result<()> {
    trace(format_args!("start {entry}"));
    machine.thread_starting();
    let child = machine.clone();
    let spawned = std::thread::Builder::new()
        .name(entry.thread_name())
        .stack_size(THREAD_STACK)
        .spawn(move || {
            run(&child, entry);
            child.thread_ended();
        });
    if let Err(err) = spawned {
        machine.thread_ended();
        return Err(err);
    }
    Ok(())
}

/// Why a thread stopped before or while running its entry.
enum Stop {
    /// It could not start: instantiation, a missing export, a refused ABI.
    Setup(wasmtime::Error),
    /// The entry trapped (`task_exit` included).
    Trap(wasmtime::Error),
}

/// The body of every kernel thread.
fn run(machine: &Arc<Machine>, entry: Entry) {
    let mut store = Store::new(machine.engine(), ThreadCtx::new(machine.clone()));
    // Every tick, the code running on this thread is interrupted.
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|mut ctx| {
        user::tick(&mut ctx)?;
        Ok(UpdateDeadline::Continue(1))
    });
    let mut result = enter(machine, &mut store, entry);
    // A task that enters user mode comes back here each time it execs.
    while let Err(Stop::Trap(err)) = &result
        && let Some(req) = err.downcast_ref::<UserEnter>()
    {
        let req = *req;
        trace(format_args!("{entry}: {req}"));
        result = Err(Stop::Trap(user::run(&mut store, req)));
    }
    match result {
        Ok(()) => {
            // The entry returned: the kernel gave this thread up.
            trace(format_args!("{entry} returned"));
        }
        Err(Stop::Trap(err)) if err.is::<TaskExit>() => {
            // The task is dead; its instance and store go with the thread.
            trace(format_args!("{entry} exited"));
        }
        Err(Stop::Trap(err)) => {
            eprintln!("wasm-linux: kernel trap on {entry}: {err:?}");
            machine.finish(Outcome::HostFault(format!("kernel trap on {entry}")));
        }
        Err(Stop::Setup(err)) => {
            eprintln!("wasm-linux: cannot start {entry}: {err:#}");
            machine.finish(Outcome::HostFault(format!("cannot start {entry}")));
        }
    }
}

/// Instantiates the module (its start function initialises the memory the
/// first time) and calls the entry export.
fn enter(
    machine: &Machine,
    store: &mut Store<ThreadCtx>,
    entry: Entry,
) -> std::result::Result<(), Stop> {
    let Some(pre) = machine.instance_pre() else {
        return Err(Stop::Setup(wasmtime::format_err!(
            "the module was not prepared"
        )));
    };
    let instance = pre.instantiate(&mut *store).map_err(Stop::Setup)?;
    store.data_mut().kernel = Some(instance);
    trace(format_args!("enter {entry}"));
    match entry {
        Entry::Boot {
            cmdline,
            initrd_start,
            initrd_size,
            nr_cpus,
        } => {
            // The ABI version first (it needs no stack), then the boot.
            let version = instance
                .get_typed_func::<(), i32>(&mut *store, "wasm_abi_version")
                .map_err(|e| Stop::Setup(e.context("no usable wasm_abi_version export")))?
                .call(&mut *store, ())
                .map_err(Stop::Trap)?;
            check_abi_version(version).map_err(Stop::Setup)?;
            let pending = i32_global(&instance, &mut *store, "wasm_irq_pending")?;
            machine.irq.set_pending(pending as u32);
            let affinity = i32_global(&instance, &mut *store, "wasm_irq_affinity")?;
            machine.irq.set_affinity(affinity as u32);
            let f = instance
                .get_typed_func::<(i32, i32, i32, i32), ()>(&mut *store, "wasm_boot")
                .map_err(Stop::Setup)?;
            f.call(
                &mut *store,
                (
                    cmdline as i32,
                    initrd_start as i32,
                    initrd_size as i32,
                    nr_cpus as i32,
                ),
            )
            .map_err(Stop::Trap)
        }
        Entry::Secondary { cpu, idle } => {
            let f = instance
                .get_typed_func::<(i32, i32), ()>(&mut *store, "wasm_secondary_start")
                .map_err(Stop::Setup)?;
            f.call(&mut *store, (cpu as i32, idle as i32))
                .map_err(Stop::Trap)
        }
        Entry::Task { task } => {
            let f = instance
                .get_typed_func::<i32, ()>(&mut *store, "wasm_task_start")
                .map_err(Stop::Setup)?;
            f.call(&mut *store, task as i32).map_err(Stop::Trap)
        }
    }
}

/// Refuses a kernel whose `wasm_abi_version()` this host does not implement.
/// The value of the kernel's i32 global export `name`.
fn i32_global(
    instance: &Instance,
    store: &mut Store<ThreadCtx>,
    name: &str,
) -> std::result::Result<i32, Stop> {
    instance
        .get_global(&mut *store, name)
        .and_then(|g| g.get(&mut *store).i32())
        .ok_or_else(|| {
            Stop::Setup(wasmtime::format_err!(
                "the module has no i32 global export {name}"
            ))
        })
}

pub fn check_abi_version(version: i32) -> Result<()> {
    if version != HOST_ABI_VERSION {
        wasmtime::bail!(
            "the kernel implements host ABI version {version}, this host implements \
             version {HOST_ABI_VERSION}"
        );
    }
    Ok(())
}

/// How often the host interrupts the code a thread runs (wasm_user_preempt,
/// wasm_kernel_interrupt).
pub const TICK: std::time::Duration = std::time::Duration::from_millis(10);

/// Starts the thread that advances the engine's epoch every [`TICK`] until
/// the machine ends: each step interrupts the wasm code that is running.
pub fn start_ticker(machine: &Arc<Machine>) -> std::io::Result<()> {
    let machine = Arc::downgrade(machine);
    std::thread::Builder::new()
        .name("wasm-linux tick".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                let Some(m) = machine.upgrade() else { break };
                if m.finished() {
                    break;
                }
                m.engine().increment_epoch();
            }
        })
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_linux_thread_names() {
        let entries = [
            Entry::Boot {
                cmdline: 1,
                initrd_start: 0,
                initrd_size: 0,
                nr_cpus: 2,
            },
            Entry::Secondary {
                cpu: 63,
                idle: u32::MAX,
            },
            Entry::Task { task: u32::MAX },
        ];
        for e in entries {
            assert!(e.thread_name().len() <= 15, "{}", e.thread_name());
        }
        assert_eq!(Entry::Task { task: 0x1234 }.thread_name(), "task-1234");
        assert_eq!(
            Entry::Task { task: 0x1234 }.to_string(),
            "task 0x1234 (wasm_task_start)"
        );
    }

    #[test]
    fn task_exit_is_recognised_through_context() {
        let err = wasmtime::Error::new(TaskExit).context("wasm backtrace");
        assert!(err.is::<TaskExit>());
        assert!(!wasmtime::Error::msg("trap").is::<TaskExit>());
    }

    #[test]
    fn abi_version() {
        assert!(check_abi_version(4).is_ok());
        assert!(check_abi_version(3).is_err());
        assert!(check_abi_version(5).is_err());
    }
}
