// SPDX-License-Identifier: GPL-2.0

//! Booting: compile the module, create the kernel memory, put the command
//! line and the initramfs at its top, and start the boot CPU.

use crate::abi::PAGE_SIZE;
use crate::cli::{ConsoleKind, RunOptions};
use crate::clock;
use crate::console::Sink;
use crate::imports;
use crate::machine::Machine;
use crate::memory::{GuestMemory, pages_for};
use crate::module_cache;
use crate::outcome::Outcome;
use crate::perfmap;
use crate::stats::Stats;
use crate::threads::{self, Entry, MAX_WASM_STACK, ThreadCtx};
use crate::virtio::{self, Devices, block::Block};
use std::fmt;
use std::sync::Arc;
use std::time::Instant;
use wasmtime::{
    Config, Engine, ExternType, Linker, MemoryType, Module, SharedMemory, Store,
    WasmBacktraceDetails,
};

/// Alignment of the initramfs (the kernel reserves it by pages).
pub const INITRD_ALIGN: u64 = 4096;
/// Alignment of the command line.
pub const CMDLINE_ALIGN: u64 = 16;

/// Why a boot could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BootError {
    /// The user's fault: an unreadable file, a size that does not fit.
    Usage(String),
    /// The host's or the module's fault: compilation, instantiation.
    Host(String),
}

impl fmt::Display for BootError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BootError::Usage(m) | BootError::Host(m) => f.write_str(m),
        }
    }
}

/// Where the boot data goes in guest memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub cmdline: u64,
    /// 0 when there is no initramfs.
    pub initrd_start: u64,
    pub initrd_size: u64,
}

fn align_down(v: u64, align: u64) -> u64 {
    v - v % align
}

/// Places the initramfs page-aligned at the end of a memory of
/// `mem_size` bytes and the NUL-terminated command line (`cmdline_len`
/// bytes with its NUL) below it, both above `image_end`, the end of what
/// the module's data and stack occupy.
pub fn place(
    mem_size: u64,
    image_end: u64,
    cmdline_len: u64,
    initrd_size: u64,
) -> Result<Placement, String> {
    let too_small = || {
        format!(
            "guest memory of {} KiB is too small for the kernel image ({} KiB), \
             a {}-byte command line and a {}-byte initramfs",
            mem_size >> 10,
            image_end.div_ceil(1024),
            cmdline_len,
            initrd_size
        )
    };
    let mut top = mem_size;
    let mut initrd_start = 0;
    if initrd_size > 0 {
        initrd_start = align_down(
            top.checked_sub(initrd_size).ok_or_else(too_small)?,
            INITRD_ALIGN,
        );
        top = initrd_start;
    }
    let cmdline = align_down(
        top.checked_sub(cmdline_len).ok_or_else(too_small)?,
        CMDLINE_ALIGN,
    );
    if cmdline < image_end {
        return Err(too_small());
    }
    Ok(Placement {
        cmdline,
        initrd_start,
        initrd_size,
    })
}

/// The engine configuration: wasm threads over a host-made shared memory,
/// and wasm backtraces with names for trap reports.
fn engine_config() -> Config {
    let mut config = Config::new();
    config
        .wasm_threads(true)
        .shared_memory(true)
        .wasm_backtrace_details(WasmBacktraceDetails::Enable)
        .max_wasm_stack(MAX_WASM_STACK)
        // User programs use exceptions for setjmp/longjmp.
        .wasm_exceptions(true)
        // A tick interrupts user code that makes no system call.
        .epoch_interruption(true)
        // Unused (nothing runs async) but checked against max_wasm_stack.
        .async_stack_size(MAX_WASM_STACK + (1 << 20));
    config
}

/// The `env.memory` import of the module: (minimum, maximum) in pages.
fn memory_import(module: &Module) -> Result<(u64, u64), String> {
    for import in module.imports() {
        if import.module() != "env" || import.name() != "memory" {
            continue;
        }
        let ExternType::Memory(ty) = import.ty() else {
            return Err("the module's env.memory import is not a memory".into());
        };
        if !ty.is_shared() || ty.is_64() || ty.page_size() != PAGE_SIZE {
            return Err(
                "the module's env.memory is not a shared 32-bit memory of 64 KiB pages".into(),
            );
        }
        let max = ty
            .maximum()
            .ok_or("the module's env.memory has no maximum")?;
        return Ok((ty.minimum(), max));
    }
    Err("the module does not import env.memory".into())
}

/// Boots with standard input as the guest's console input.
pub fn run_interactive(opts: &RunOptions) -> Result<Outcome, BootError> {
    run_machine(opts, Sink::Stdout, true)
}

/// Boots the kernel with its console going to `console` and waits until
/// the run ends.
#[cfg(test)]
pub fn run_with_console(opts: &RunOptions, console: Sink) -> Result<Outcome, BootError> {
    run_machine(opts, console, false)
}

fn run_machine(
    opts: &RunOptions,
    console: Sink,
    console_input: bool,
) -> Result<Outcome, BootError> {
    let usage = BootError::Usage;
    let host = BootError::Host;
    let stats = Stats::new(Instant::now(), opts.stats);

    let wasm = std::fs::read(&opts.vmlinux)
        .map_err(|e| usage(format!("cannot read {}: {e}", opts.vmlinux.display())))?;
    let initrd = match &opts.initramfs {
        Some(path) => std::fs::read(path)
            .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?,
        None => Vec::new(),
    };
    let disks = opts
        .disks
        .iter()
        .enumerate()
        .map(|(i, d)| Block::open(&d.path, d.read_only, &virtio::disk_name(i)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(usage)?;
    let mut cmdline = opts.cmdline().into_bytes();
    if cmdline.contains(&0) {
        return Err(usage("the command line contains a NUL byte".into()));
    }
    cmdline.push(0);

    let engine = Engine::new(&engine_config())
        .map_err(|e| host(format!("cannot configure wasmtime: {e:#}")))?;
    // Compiled once; every thread instantiates this one module.
    let cache = opts.module_cache.as_deref();
    let (module, source) = module_cache::load_or_compile(&engine, &wasm, cache, module_cache::KEEP)
        .map_err(|e| host(format!("cannot compile {}: {e:#}", opts.vmlinux.display())))?;
    drop(wasm);
    stats.compiled(source == module_cache::Source::Cached);
    match perfmap::write_if_requested(&module) {
        Ok(Some(path)) => eprintln!("wasm-linux: perf map written to {path}"),
        Ok(None) => {}
        Err(e) => eprintln!("wasm-linux: cannot write the perf map: {e}"),
    }

    let (min_pages, max_pages) = memory_import(&module).map_err(host)?;
    let pages = pages_for(opts.memory);
    if pages < min_pages || pages > max_pages {
        return Err(usage(format!(
            "--memory must be between {} KiB and {} MiB for this kernel",
            (min_pages * PAGE_SIZE) >> 10,
            (max_pages * PAGE_SIZE) >> 20
        )));
    }
    let (Ok(pages32), Ok(max32)) = (u32::try_from(pages), u32::try_from(max_pages)) else {
        return Err(host("the module's memory limits do not fit 32 bits".into()));
    };
    let shared = SharedMemory::new(&engine, MemoryType::shared(pages32, max32))
        .map_err(|e| host(format!("cannot create the guest memory: {e:#}")))?;
    let memory = GuestMemory::new(shared.clone());

    let placement = place(
        memory.size(),
        min_pages * PAGE_SIZE,
        cmdline.len() as u64,
        initrd.len() as u64,
    )
    .map_err(usage)?;
    let write = |addr, bytes: &[u8]| {
        memory
            .write(addr, bytes)
            .map_err(|e| host(format!("cannot write boot data: {e}")))
    };
    write(placement.cmdline, &cmdline)?;
    write(placement.initrd_start, &initrd)?;

    let mut machine = Machine::new(engine.clone(), memory, console, stats);
    machine.set_module_cache(opts.module_cache.clone());
    let machine = Arc::new(machine);
    let console_out = (opts.console == ConsoleKind::Virtio).then(|| {
        let weak = Arc::downgrade(&machine);
        let out: virtio::console::Output = Box::new(move |bytes: &[u8]| {
            if let Some(m) = weak.upgrade() {
                m.console_output(bytes);
            }
        });
        out
    });
    let console_dev = console_out.map(|out| (out, crate::console_input::terminal_size()));
    let devices = Devices::new(&machine.memory, &machine.irq, console_dev, disks)
        .map_err(|e| host(format!("cannot start a disk thread: {e}")))?;
    machine.set_devices(devices);
    let mut linker = Linker::new(&engine);
    imports::define_host(&mut linker).map_err(|e| host(format!("{e:#}")))?;
    {
        // Defining an extern needs a store; the shared memory belongs to
        // none, so the resulting linker serves every thread's store.
        let store = Store::new(&engine, ThreadCtx::new(machine.clone()));
        linker
            .define(&store, "env", "memory", shared)
            .map_err(|e| host(format!("{e:#}")))?;
    }
    let pre = linker
        .instantiate_pre(&module)
        .map_err(|e| host(format!("cannot link {}: {e:#}", opts.vmlinux.display())))?;
    machine.set_instance_pre(pre);

    let entry = Entry::Boot {
        cmdline: placement.cmdline as u32,
        initrd_start: placement.initrd_start as u32,
        initrd_size: placement.initrd_size as u32,
        nr_cpus: opts.cpus,
    };
    // The guest's monotonic clock starts now (compilation took a while).
    clock::init();
    threads::spawn(&machine, entry)
        .map_err(|e| host(format!("cannot start the boot thread: {e}")))?;
    threads::start_ticker(&machine)
        .map_err(|e| host(format!("cannot start the tick thread: {e}")))?;
    if console_input {
        crate::console_input::start(&machine);
    }
    let outcome = machine.wait();
    if machine.stats.enabled {
        eprintln!("wasm-linux: {}", machine.stats.exit_line());
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn cmdline_alone_goes_to_the_top() {
        let p = place(256 * MIB, 640 << 10, 16, 0).unwrap();
        assert_eq!(p.cmdline, 256 * MIB - 16);
        assert_eq!((p.initrd_start, p.initrd_size), (0, 0));
        let p = place(256 * MIB, 640 << 10, 17, 0).unwrap();
        assert_eq!(p.cmdline, 256 * MIB - 32);
        assert_eq!(p.cmdline % CMDLINE_ALIGN, 0);
    }

    #[test]
    fn initrd_is_page_aligned_below_the_end_and_cmdline_below_it() {
        let size = 3 * MIB + 123;
        let p = place(256 * MIB, 640 << 10, 40, size).unwrap();
        assert_eq!(p.initrd_start % INITRD_ALIGN, 0);
        assert!(p.initrd_start + size <= 256 * MIB);
        assert!(256 * MIB - (p.initrd_start + size) < INITRD_ALIGN);
        assert_eq!(p.initrd_size, size);
        assert!(p.cmdline + 40 <= p.initrd_start);
        assert!(p.initrd_start - (p.cmdline + 40) < CMDLINE_ALIGN);
        // An exactly page-sized image ends at the end of memory.
        let p = place(256 * MIB, 640 << 10, 40, 8192).unwrap();
        assert_eq!(p.initrd_start, 256 * MIB - 8192);
    }

    #[test]
    fn must_stay_above_the_image() {
        let image = 640 << 10;
        assert!(place(MIB, image, 16, MIB).is_err());
        assert!(place(MIB, image, 16, 2 * MIB).is_err());
        assert!(place(image, image, 16, 0).is_err());
        assert!(place(image + 16, image, 16, 0).is_ok());
        assert!(place(8, 0, 16, 0).is_err());
        let err = place(MIB, image, 16, MIB).unwrap_err();
        assert!(!err.contains('\n'));
    }

    #[test]
    fn memory_import_of_a_module() {
        // (module (import "env" "memory" (memory 2 100 shared)))
        let wasm = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
            0x02, 0x10, 0x01, // import section, 16 bytes, 1 import
            0x03, b'e', b'n', b'v', 0x06, b'm', b'e', b'm', b'o', b'r', b'y', //
            0x02, 0x03, 0x02, 0x64, // memory, shared with max, min 2, max 100
        ];
        let engine = Engine::new(&engine_config()).unwrap();
        let module = Module::from_binary(&engine, &wasm).unwrap();
        assert_eq!(memory_import(&module), Ok((2, 100)));

        // (module) has no memory import.
        let empty = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
        let module = Module::from_binary(&engine, &empty).unwrap();
        assert!(memory_import(&module).is_err());
    }
}
