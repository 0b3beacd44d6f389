// SPDX-License-Identifier: GPL-2.0

//! User processes (Documentation/arch/wasm/host-abi.rst, "User mode").
//!
//! Every user address space (a kernel `mm`) is a shared linear memory of
//! its own, named by a positive id the kernel keeps.  exec hands the host
//! the modules of the new image with their `__memory_base` and
//! `__table_base`; each thread of the process then instantiates them in
//! its own store, over that memory, with the `linux.syscall` import bound
//! straight to the `wasm_syscall` export of the thread's kernel instance.

use crate::abi::{
    ENOEXEC, ENOMEM, ENOSYS, MAX_PAGES, MAX_TABLE, NR_EXIT, USER_CLONE, USER_EXEC, USER_FORK,
};
use crate::abi::{SIGBUS, SIGFPE, SIGILL, SIGSEGV};
use crate::memory::GuestMemory;
use crate::threads::ThreadCtx;
use crate::unwind::{self, EntryCall, ForkSlot, Unwinder, UserFault};
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use wasmtime::{
    AsContextMut, Engine, Extern, ExternType, Func, Global, GlobalType, Instance, Module,
    Mutability, Ref, RefType, Result, SharedMemory, Store, StoreContextMut, Table, TableType, Trap,
    Val, ValType, WasmBacktrace,
};

/// Compiled user modules a machine keeps in memory.
const MAX_COMPILED: usize = 128;

/// One module of a process image, with where it was laid out.
pub struct UserModule {
    module: Module,
    memory_base: u32,
    table_base: u32,
}

/// A user address space.
pub struct UserMm {
    pub id: u32,
    pub memory: GuestMemory,
    table_size: u32,
    modules: Mutex<Vec<Arc<UserModule>>>,
    /// For a fork child: the parent's copy, once made.
    pub fork: ForkSlot,
}

/// Every user address space of the machine, and the compiled user modules.
pub struct UserMms {
    engine: Engine,
    cache_dir: Option<PathBuf>,
    next_id: AtomicU32,
    mms: Mutex<HashMap<u32, Arc<UserMm>>>,
    compiled: Mutex<HashMap<u64, Vec<Compiled>>>,
}

/// A compiled user module and the bytes it was compiled from (the map's
/// key is only a hash of them).
type Compiled = (Vec<u8>, Module);

impl UserMms {
    pub fn new(engine: Engine, cache_dir: Option<PathBuf>) -> UserMms {
        UserMms {
            engine,
            cache_dir,
            next_id: AtomicU32::new(1),
            mms: Mutex::new(HashMap::new()),
            compiled: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Arc<UserMm>>> {
        self.mms.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `mm_new(pages, max_pages, table_size)`: a positive id or -errno.
    pub fn create(&self, pages: u32, max_pages: u32, table_size: u32) -> i32 {
        if pages > max_pages || max_pages > MAX_PAGES || table_size > MAX_TABLE {
            return ENOMEM;
        }
        match self.add(
            pages,
            max_pages,
            table_size,
            Vec::new(),
            ForkSlot::default(),
        ) {
            Ok((id, _)) => id as i32,
            Err(e) => e,
        }
    }

    /// A new memory of `pages` (at most `max_pages`) with the image
    /// `modules`, under a new id: the id and the memory, or -ENOMEM.
    fn add(
        &self,
        pages: u32,
        max_pages: u32,
        table_size: u32,
        modules: Vec<Arc<UserModule>>,
        fork: ForkSlot,
    ) -> Result<(u32, Arc<UserMm>), i32> {
        let ty = wasmtime::MemoryType::shared(pages, max_pages);
        let shared = SharedMemory::new(&self.engine, ty).map_err(|_| ENOMEM)?;
        // Ids are never reused, so a stale id can never name a new memory.
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if id == 0 || id > i32::MAX as u32 {
            return Err(ENOMEM);
        }
        let mm = Arc::new(UserMm {
            id,
            memory: GuestMemory::new(shared),
            table_size,
            modules: Mutex::new(modules),
            fork,
        });
        self.map().insert(id, mm.clone());
        Ok((id, mm))
    }

    /// `mm_fork`: a new memory of `parent`'s size and maximum, with its
    /// image, that waits for the parent's copy.  Its id, or -errno.
    pub fn fork(&self, parent: &UserMm) -> Result<(u32, Arc<UserMm>), i32> {
        let ty = parent.memory.shared().ty();
        let pages =
            u32::try_from(parent.memory.size() / crate::abi::PAGE_SIZE).map_err(|_| ENOMEM)?;
        let max = ty
            .maximum()
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(MAX_PAGES);
        let modules = parent
            .modules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        self.add(pages, max, parent.table_size, modules, ForkSlot::waiting())
    }

    pub fn get(&self, id: u32) -> Option<Arc<UserMm>> {
        self.map().get(&id).cloned()
    }

    /// `mm_free(id)`: threads still running in it keep it alive.
    pub fn free(&self, id: u32) {
        self.map().remove(&id);
    }

    /// `mm_grow(id, pages)`: the previous size in pages, or -ENOMEM.
    pub fn grow(&self, id: u32, pages: u32) -> i32 {
        let Some(mm) = self.get(id) else {
            return ENOMEM;
        };
        match mm.memory.shared().grow(u64::from(pages)) {
            Ok(old) => i32::try_from(old).unwrap_or(ENOMEM),
            Err(_) => ENOMEM,
        }
    }

    /// `mm_add_module(id, wasm, memory_base, table_base)`: 0 or -errno.
    pub fn add_module(&self, id: u32, wasm: &[u8], memory_base: u32, table_base: u32) -> i32 {
        let Some(mm) = self.get(id) else {
            return ENOMEM;
        };
        let module = match self.compile(wasm) {
            Ok(m) => m,
            Err(_) => return ENOEXEC,
        };
        if let Err(msg) = check_module(&module) {
            if crate::threads::tracing() {
                eprintln!("wasm-linux: exec refused: {msg}");
            }
            return ENOEXEC;
        }
        let mut modules = mm.modules.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(msg) = check_links(&module, &modules) {
            if crate::threads::tracing() {
                eprintln!("wasm-linux: exec refused: {msg}");
            }
            return ENOEXEC;
        }
        modules.push(Arc::new(UserModule {
            module,
            memory_base,
            table_base,
        }));
        0
    }

    /// Compiles `wasm` once per machine (and once per host with the
    /// compiled-module cache).
    fn compile(&self, wasm: &[u8]) -> Result<Module> {
        let mut h = DefaultHasher::new();
        wasm.hash(&mut h);
        let key = h.finish();
        {
            let compiled = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, m)) = compiled
                .get(&key)
                .and_then(|v| v.iter().find(|(b, _)| b == wasm))
            {
                return Ok(m.clone());
            }
        }
        let dir = self.cache_dir.as_ref().map(|d| d.join("user"));
        let (module, _) = crate::module_cache::load_or_compile(
            &self.engine,
            wasm,
            dir.as_deref(),
            crate::module_cache::USER_KEEP,
        )?;
        let mut compiled = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: a machine that runs many programs compiles some again.
        if compiled.len() >= MAX_COMPILED {
            compiled.clear();
        }
        compiled
            .entry(key)
            .or_default()
            .push((wasm.to_vec(), module.clone()));
        Ok(module)
    }
}

/// Whether the host can link `module` as a user module: every import is
/// one the user ABI defines, with the right type.
pub fn check_module(module: &Module) -> Result<(), String> {
    for import in module.imports() {
        let what = format!("{}.{}", import.module(), import.name());
        let ok = match (import.module(), import.name(), import.ty()) {
            ("env", "memory", ExternType::Memory(m)) => m.is_shared() && !m.is_64(),
            ("env", "__indirect_function_table", ExternType::Table(t)) => {
                t.element().matches(&RefType::FUNCREF)
            }
            ("env", "__stack_pointer", ExternType::Global(g)) => {
                g.content().is_i32() && g.mutability() == Mutability::Var
            }
            ("env", "__memory_base" | "__table_base", ExternType::Global(g)) => {
                g.content().is_i32() && g.mutability() == Mutability::Const
            }
            ("GOT.mem" | "GOT.func", _, ExternType::Global(g)) => {
                g.content().is_i32() && g.mutability() == Mutability::Var
            }
            // A function or tag of a library added before (check_links).
            ("env", _, ExternType::Func(_) | ExternType::Tag(_)) => true,
            ("linux", "syscall", ExternType::Func(f)) => func_is(&f, 7, 1),
            ("linux", "setjmp", ExternType::Func(f)) => func_is(&f, 2, 1),
            ("linux", "longjmp", ExternType::Func(f)) => func_is(&f, 2, 0),
            ("env", "__asyncify_state" | "__asyncify_data", ExternType::Global(g)) => {
                g.content().is_i32() && g.mutability() == Mutability::Var
            }
            _ => false,
        };
        if !ok {
            return Err(format!("unsupported import {what}"));
        }
    }
    // The entry points the host calls, if the module has them, must have
    // the types it calls them with.
    for (name, params) in [
        ("_start", 1),
        ("__wasm_clone_start", 1),
        ("__wasm_signal", 5),
        ("__wasm_apply_data_relocs", 0),
    ] {
        match module.get_export(name) {
            None => {}
            Some(ExternType::Func(f))
                if f.params().len() == params
                    && f.params().all(|p| p.is_i32())
                    && f.results().len() == 0 => {}
            Some(_) => return Err(format!("export {name} has the wrong type")),
        }
    }
    Ok(())
}

/// Whether `f` takes `params` i32s and returns `results` i32s.
fn func_is(f: &wasmtime::FuncType, params: usize, results: usize) -> bool {
    f.params().len() == params
        && f.params().all(|p| p.is_i32())
        && f.results().len() == results
        && f.results().all(|r| r.is_i32())
}

/// Whether `module` is instrumented for unwinding (imports the state).
fn instrumented(module: &Module) -> bool {
    module
        .imports()
        .any(|i| i.module() == "env" && i.name() == "__asyncify_state")
}

/// Whether `module` exports `name` as the import type `want` (a function
/// or a tag) asks for: same kind, same signature.
fn provides(module: &Module, name: &str, want: &ExternType) -> bool {
    match (module.get_export(name), want) {
        (Some(ExternType::Func(have)), ExternType::Func(want)) => {
            wasmtime::FuncType::eq(&have, want)
        }
        (Some(ExternType::Tag(have)), ExternType::Tag(want)) => {
            wasmtime::FuncType::eq(have.ty(), want.ty())
        }
        _ => false,
    }
}

/// Whether every function and tag `module` imports from `env` is exported,
/// with the same type, by one of the modules added before it (its
/// libraries): functions it calls, and the C library's setjmp/longjmp tag.
/// `instantiate` binds each to the last such module.
fn check_links(module: &Module, before: &[Arc<UserModule>]) -> Result<(), String> {
    for import in module.imports() {
        let ty = import.ty();
        if import.module() != "env" || !matches!(ty, ExternType::Func(_) | ExternType::Tag(_)) {
            continue;
        }
        let name = import.name();
        if !before.iter().any(|m| provides(&m.module, name, &ty)) {
            return Err(format!("undefined symbol env.{name}"));
        }
    }
    Ok(())
}

/// What `user_enter` asks for: the error that unwinds the thread to the
/// host, which then starts user code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserEnter {
    pub mm: u32,
    pub kind: u32,
    pub sp: u32,
}

impl fmt::Display for UserEnter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enter user mode (mm {}, kind {})", self.mm, self.kind)
    }
}

impl std::error::Error for UserEnter {}

/// The user image a thread runs.
pub struct UserThread {
    pub mm: u32,
    pub memory: GuestMemory,
    instances: Vec<Instance>,
    stack_pointer: Global,
    /// The export level 0 was entered through (rewinds call it again).
    pub entry: EntryCall,
    pub unwinder: Unwinder,
}

impl UserThread {
    /// The user's stack pointer (`user_sp`).
    pub fn stack_pointer(&self) -> Global {
        self.stack_pointer
    }
}

/// The function `name` exported by the first of `instances` that has one.
fn export_func(
    mut store: impl AsContextMut<Data = ThreadCtx>,
    instances: &[Instance],
    name: &str,
) -> Option<Func> {
    instances.iter().find_map(|i| i.get_func(&mut store, name))
}

/// A GOT entry to fill once every module of the image is instantiated.
struct GotEntry {
    func: bool,
    name: String,
    global: Global,
}

/// Instantiates the modules of `mm` in `store` in the order the kernel
/// added them (libraries before the modules that need them, the program
/// last).  Function imports bind to the exports of modules instantiated
/// before; GOT entries are filled afterwards from every module, the
/// program searched first, so the program's definitions win.
fn instantiate(
    store: &mut Store<ThreadCtx>,
    mm: &UserMm,
    sp: u32,
    syscall: Func,
) -> Result<UserThread> {
    let modules = mm.modules.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if modules.is_empty() {
        wasmtime::bail!("the process image has no module");
    }
    let table = Table::new(
        &mut *store,
        TableType::new(RefType::FUNCREF, mm.table_size.max(1), None),
        Ref::Func(None),
    )?;
    let stack_pointer = Global::new(
        &mut *store,
        GlobalType::new(ValType::I32, Mutability::Var),
        Val::I32(sp as i32),
    )?;
    let unwinder = Unwinder::new(
        var_i32(store, 0)?,
        var_i32(store, 0)?,
        modules.iter().all(|m| instrumented(&m.module)),
    );
    let setjmp = Func::wrap(&mut *store, unwind::setjmp);
    let longjmp = Func::wrap(&mut *store, unwind::longjmp);
    let mut instances: Vec<Instance> = Vec::new();
    let mut got: Vec<GotEntry> = Vec::new();
    for m in modules.iter() {
        let mut imports: Vec<Extern> = Vec::new();
        for import in m.module.imports() {
            let ext: Extern = match (import.module(), import.name()) {
                ("env", "memory") => mm.memory.shared().clone().into(),
                ("env", "__indirect_function_table") => table.into(),
                ("env", "__stack_pointer") => stack_pointer.into(),
                ("env", "__memory_base") => const_i32(store, m.memory_base)?.into(),
                ("env", "__table_base") => const_i32(store, m.table_base)?.into(),
                ("linux", "syscall") => syscall.into(),
                ("linux", "setjmp") => setjmp.into(),
                ("linux", "longjmp") => longjmp.into(),
                ("env", "__asyncify_state") => unwinder.state_global().into(),
                ("env", "__asyncify_data") => unwinder.data_global().into(),
                (got_kind @ ("GOT.mem" | "GOT.func"), name) => {
                    let global = var_i32(store, 0)?;
                    got.push(GotEntry {
                        func: got_kind == "GOT.func",
                        name: name.to_string(),
                        global,
                    });
                    global.into()
                }
                // A library's function or tag, as check_links found it.
                ("env", name) => {
                    let ty = import.ty();
                    match (0..instances.len())
                        .rev()
                        .find(|&i| provides(&modules[i].module, name, &ty))
                        .and_then(|i| instances[i].get_export(&mut *store, name))
                    {
                        Some(e) => e,
                        None => wasmtime::bail!("unresolved import env.{name}"),
                    }
                }
                (module, name) => wasmtime::bail!("unresolved import {module}.{name}"),
            };
            imports.push(ext);
        }
        instances.push(Instance::new(&mut *store, &m.module, &imports)?);
    }
    // The program first in every search from now on.
    instances.reverse();
    let bases: Vec<u32> = modules.iter().rev().map(|m| m.memory_base).collect();
    // One table slot per function, so that its address is one value.
    let mut slots: HashMap<String, u64> = HashMap::new();
    for entry in got {
        let v = if entry.func {
            match slots.get(&entry.name) {
                Some(&slot) => slot,
                None => match export_func(&mut *store, &instances, &entry.name) {
                    Some(f) => {
                        let slot = table.grow(&mut *store, 1, Ref::Func(Some(f)))?;
                        slots.insert(entry.name.clone(), slot);
                        slot
                    }
                    None => 0,
                },
            }
        } else {
            u64::from(resolve_mem(store, &instances, &bases, &entry.name).unwrap_or(0))
        };
        entry.global.set(&mut *store, Val::I32(v as i32))?;
    }
    Ok(UserThread {
        mm: mm.id,
        memory: mm.memory.clone(),
        instances,
        stack_pointer,
        entry: EntryCall {
            name: "_start",
            args: vec![sp as i32],
        },
        unwinder,
    })
}

fn const_i32(store: &mut Store<ThreadCtx>, v: u32) -> Result<Global> {
    Global::new(
        &mut *store,
        GlobalType::new(ValType::I32, Mutability::Const),
        Val::I32(v as i32),
    )
}

fn var_i32(store: &mut Store<ThreadCtx>, v: u32) -> Result<Global> {
    Global::new(
        &mut *store,
        GlobalType::new(ValType::I32, Mutability::Var),
        Val::I32(v as i32),
    )
}

/// The address of data symbol `name` exported by one of `instances`,
/// whose data start at `bases`.
fn resolve_mem(
    store: &mut Store<ThreadCtx>,
    instances: &[Instance],
    bases: &[u32],
    name: &str,
) -> Option<u32> {
    for (inst, base) in instances.iter().zip(bases) {
        if let Some(g) = inst.get_global(&mut *store, name)
            && let Some(v) = g.get(&mut *store).i32()
        {
            return Some(base.wrapping_add(v as u32));
        }
    }
    None
}

/// The signal a trap of user code stands for.
pub fn trap_signal(err: &wasmtime::Error) -> i32 {
    if let Some(UserFault(sig)) = err.downcast_ref::<UserFault>() {
        return *sig;
    }
    match err.downcast_ref::<Trap>() {
        Some(Trap::UnreachableCodeReached) => SIGILL,
        Some(Trap::IntegerDivisionByZero | Trap::IntegerOverflow) => SIGFPE,
        Some(Trap::HeapMisaligned) => SIGBUS,
        _ => SIGSEGV,
    }
}

/// Whether the innermost wasm frame of `bt` is the kernel's; `None` if it
/// has no frame.
fn innermost_in_kernel(bt: &WasmBacktrace, kernel: &Module) -> Option<bool> {
    bt.frames()
        .first()
        .map(|f| Module::same(f.module(), kernel))
}

/// Whether `err` happened in user code rather than in the kernel: the
/// innermost wasm frame is not the kernel's.
pub fn in_user_code(err: &wasmtime::Error, kernel: &Module) -> bool {
    err.downcast_ref::<WasmBacktrace>()
        .and_then(|bt| innermost_in_kernel(bt, kernel))
        != Some(true)
}

/// The host's tick (an epoch deadline) interrupted the wasm code of this
/// thread: the kernel acts as on an interrupt.  In user code it is an
/// interrupt return to user mode (`wasm_user_preempt`: reschedule,
/// signals); in kernel code the kernel takes pending interrupts if they
/// are enabled (`wasm_kernel_interrupt`) and goes on where it was.
pub fn tick(ctx: &mut StoreContextMut<'_, ThreadCtx>) -> Result<()> {
    let Some(kernel) = ctx.data().kernel else {
        return Ok(());
    };
    // Code that is unwinding or rewinding runs on uninterrupted: a signal
    // handler cannot run in the middle of it.
    if unwind::state(ctx) != unwind::NORMAL {
        ctx.set_epoch_deadline(1);
        return Ok(());
    }
    let in_user = ctx.data().user.is_some()
        && ctx.data().machine.kernel_module().is_some_and(|k| {
            innermost_in_kernel(&WasmBacktrace::capture(&*ctx), &k) == Some(false)
        });
    let entry = if in_user {
        "wasm_user_preempt"
    } else {
        "wasm_kernel_interrupt"
    };
    // The callback that runs this cannot run again inside it: no deadline
    // while the kernel runs (the caller sets the next one).
    ctx.set_epoch_deadline(1 << 62);
    match kernel.get_typed_func::<(), ()>(&mut *ctx, entry) {
        Ok(f) => f.call(&mut *ctx, ()),
        // An older kernel: the code runs on uninterrupted.
        Err(_) => Ok(()),
    }
}

/// Runs user code as `req` asks, on the thread of `store`.  Returns the
/// error that ended it: `UserEnter` for an exec, `TaskExit`, or a fault.
pub fn run(store: &mut Store<ThreadCtx>, req: UserEnter) -> wasmtime::Error {
    let Some(kernel) = store.data().kernel else {
        return wasmtime::format_err!("no kernel instance on this thread");
    };
    let Some(mm) = store.data().machine.users.get(req.mm) else {
        return wasmtime::format_err!("the kernel entered user mode in unknown mm {}", req.mm);
    };
    let Some(syscall) = kernel.get_func(&mut *store, "wasm_syscall") else {
        return wasmtime::format_err!("the kernel has no wasm_syscall export");
    };
    let result = start(store, &mm, req, syscall);
    let err = match result {
        // A user entry that returns exits the thread.
        Ok(()) => match syscall.call(
            &mut *store,
            &[
                Val::I32(NR_EXIT),
                Val::I32(0),
                Val::I32(0),
                Val::I32(0),
                Val::I32(0),
                Val::I32(0),
                Val::I32(0),
            ],
            &mut [Val::I32(0)],
        ) {
            Ok(()) => return wasmtime::format_err!("exit returned to user mode"),
            Err(e) => e,
        },
        Err(e) => e,
    };
    if err.is::<UserEnter>() || err.is::<crate::threads::TaskExit>() {
        return err;
    }
    let Some(kernel_module) = store.data().machine.kernel_module() else {
        return err;
    };
    if !in_user_code(&err, &kernel_module) {
        return err;
    }
    let sig = trap_signal(&err);
    if crate::threads::tracing() {
        eprintln!("wasm-linux: user trap, signal {sig}: {err:?}");
    }
    let Ok(trap) = kernel.get_typed_func::<i32, ()>(&mut *store, "wasm_user_trap") else {
        return wasmtime::format_err!("the kernel has no wasm_user_trap export");
    };
    match trap.call(&mut *store, sig) {
        Ok(()) => wasmtime::format_err!("wasm_user_trap returned"),
        Err(e) => e,
    }
}

fn start(store: &mut Store<ThreadCtx>, mm: &UserMm, req: UserEnter, syscall: Func) -> Result<()> {
    let mut user = instantiate(store, mm, req.sp, syscall)?;
    let entry = match req.kind {
        USER_EXEC => {
            // Libraries before the program, as they were instantiated.
            for inst in user.instances.iter().rev() {
                if let Some(f) = inst.get_func(&mut *store, "__wasm_apply_data_relocs") {
                    f.call(&mut *store, &[], &mut [])?;
                }
            }
            "_start"
        }
        USER_CLONE => "__wasm_clone_start",
        USER_FORK => "",
        k => wasmtime::bail!("unknown user entry kind {k}"),
    };
    user.entry = EntryCall {
        name: entry,
        args: vec![req.sp as i32],
    };
    let mut call = user.entry.clone();
    let instances = user.instances.clone();
    store.data_mut().user = Some(user);
    if req.kind == USER_FORK {
        // The parent's entry, from the image its copy came with.
        call = unwind::fork_child(&mut *store, mm)?;
    }
    let Some(f) = export_func(&mut *store, &instances, call.name) else {
        wasmtime::bail!("the user image has no {} export", call.name);
    };
    unwind::drive(&mut *store, f, &call.args)
}

/// `user_signal(handler, sig, info, uctx, has_siginfo, sp)`: runs a signal
/// handler through the image's `__wasm_signal` export on stack `sp`.
/// Returns 0, or -ENOSYS if the image cannot take signals.
pub fn signal(mut caller: wasmtime::Caller<'_, ThreadCtx>, args: [i32; 5], sp: i32) -> Result<i32> {
    let Some(user) = caller.data().user.as_ref() else {
        return Ok(ENOSYS);
    };
    let stack_pointer = user.stack_pointer;
    let instances = user.instances.clone();
    let Some(func) = export_func(&mut caller, &instances, "__wasm_signal") else {
        return Ok(ENOSYS);
    };
    if func
        .typed::<(i32, i32, i32, i32, i32), ()>(&caller)
        .is_err()
    {
        return Ok(ENOSYS);
    }
    let old = stack_pointer.get(&mut caller);
    stack_pointer.set(&mut caller, Val::I32(sp))?;
    let nest = |caller: &mut wasmtime::Caller<'_, ThreadCtx>, by: i32| {
        if let Some(u) = caller.data_mut().user.as_mut() {
            u.unwinder.level = u.unwinder.level.saturating_add_signed(by);
        }
    };
    // A handler is a level of its own: its setjmps and longjmps stay in it.
    nest(&mut caller, 1);
    let result = unwind::drive(&mut caller, func, &args);
    nest(&mut caller, -1);
    result?;
    stack_pointer.set(&mut caller, old)?;
    Ok(0)
}
