// SPDX-License-Identifier: GPL-2.0

//! Unwinding and rewinding user code: fork, setjmp and longjmp
//! (Documentation/arch/wasm/host-abi.rst, "Unwinding user code").
//!
//! User modules are instrumented with binaryen's Asyncify: they import
//! two globals, the unwind state and the address of the unwind area, one
//! pair per thread.  An import that wants the user stack sets the state
//! to [`UNWINDING`] and returns; the code saves itself frame by frame into
//! the area and the entry export returns to [`drive`], which does what
//! the unwind was for and calls the entry again with the state
//! [`REWINDING`], so that the code comes back down to the import.
//!
//! Nothing here is wasmtime-specific beyond calling exports and setting
//! globals; there is no library for this because Asyncify's runtime side
//! is the host's to write (binaryen ships only the instrumentation).

use crate::abi::{SIGILL, SIGKILL, SIGSEGV};
use crate::memory::GuestMemory;
use crate::threads::ThreadCtx;
use crate::user::UserMm;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use wasmtime::{AsContextMut, Caller, Func, Global, Result, Val};

/// `__asyncify_state`: normal execution.
pub const NORMAL: i32 = 0;
/// `__asyncify_state`: the code is saving itself and returning.
pub const UNWINDING: i32 = 1;
/// `__asyncify_state`: the code is coming back to where it was.
pub const REWINDING: i32 = 2;

/// The most an unwind area may hold (user-abi.rst, "fork").
pub const AREA_MAX: u32 = 1 << 20;

/// Snapshots a thread keeps at most; the oldest are dropped beyond (a
/// program that calls setjmp on ever new buffers or depths).
const MAX_JMPBUFS: usize = 4096;

/// A user fault raised by the host itself: the thread gets `sig` as if
/// its code had trapped.
#[derive(Debug, Clone, Copy)]
pub struct UserFault(pub i32);

impl fmt::Display for UserFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user fault (signal {})", self.0)
    }
}

impl std::error::Error for UserFault {}

/// `linux.longjmp` unwinds the thread's user frames with this error.
#[derive(Debug, Clone, Copy)]
struct LongJmp {
    id: u32,
    val: i32,
}

impl fmt::Display for LongJmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "longjmp to setjmp {}", self.id)
    }
}

impl std::error::Error for LongJmp {}

/// The user stack as `setjmp` saw it.
#[derive(Clone)]
pub struct Snapshot {
    /// The `jmp_buf` it was taken for.
    env: u32,
    /// Where the unwind area was, and what was saved in it (both words
    /// of the header included).
    area: u32,
    saved: Vec<u8>,
    sp: i32,
    /// Signal-handler nesting level of the setjmp.
    level: u32,
}

impl Snapshot {
    /// Where it was taken: the buffer, the stack pointer and the level.
    fn site(&self) -> (u32, i32, u32) {
        (self.env, self.sp, self.level)
    }
}

/// The snapshots of a thread, by the id `setjmp` wrote into the
/// `jmp_buf` (host-abi.rst, "Unwinding user code").  The id, not the
/// buffer's address, names the snapshot, so that a `jmp_buf` copied away
/// and back, or used from a copy, still goes to its own `setjmp`.
#[derive(Clone)]
pub struct JmpBufs {
    next: u32,
    by_id: BTreeMap<u32, Snapshot>,
    /// The id of each (buffer, stack pointer, level) in `by_id`.
    by_site: HashMap<(u32, i32, u32), u32>,
}

impl Default for JmpBufs {
    fn default() -> JmpBufs {
        JmpBufs {
            next: 1,
            by_id: BTreeMap::new(),
            by_site: HashMap::new(),
        }
    }
}

impl JmpBufs {
    /// Keeps `snap` under a new id, which it returns.  A snapshot of the
    /// same buffer at the same stack depth and level is replaced: its
    /// frame is the same one or has returned, so only a copy of the
    /// buffer taken in between could still name it, which C does not
    /// promise to work.  This bounds a setjmp in a loop.
    pub fn insert(&mut self, snap: Snapshot) -> u32 {
        let site = snap.site();
        if let Some(old) = self.by_site.remove(&site) {
            self.by_id.remove(&old);
        }
        while self.by_id.len() >= MAX_JMPBUFS {
            let Some((_, s)) = self.by_id.pop_first() else {
                break;
            };
            self.by_site.remove(&s.site());
        }
        let id = self.next;
        self.next = match self.next.wrapping_add(1) {
            0 => 1,
            n => n,
        };
        self.by_id.insert(id, snap);
        self.by_site.insert(site, id);
        id
    }

    pub fn get(&self, id: u32) -> Option<&Snapshot> {
        self.by_id.get(&id)
    }
}

/// The two words `setjmp` writes at the start of a `jmp_buf`: the
/// snapshot's id and its complement, which tells a `jmp_buf` that was
/// never set from one that was.
fn jmpbuf_words(id: u32) -> [u8; 8] {
    let mut w = [0; 8];
    w[..4].copy_from_slice(&id.to_le_bytes());
    w[4..].copy_from_slice(&(!id).to_le_bytes());
    w
}

/// The snapshot id a `jmp_buf` holds, if it holds one.
fn jmpbuf_id(mem: &GuestMemory, env: u32) -> Option<u32> {
    let w = mem.read(u64::from(env), 8).ok()?;
    let id = u32::from_le_bytes(w[..4].try_into().ok()?);
    let check = u32::from_le_bytes(w[4..].try_into().ok()?);
    (id != 0 && check == !id).then_some(id)
}

/// The export a level of user code was entered through, and its
/// arguments: a rewind calls it again the same way.
#[derive(Clone)]
pub struct EntryCall {
    pub name: &'static str,
    pub args: Vec<i32>,
}

/// What the current unwind is for.
enum Pending {
    Fork {
        child: ForkPromise,
        area: u32,
        skip: Vec<(u32, u32)>,
    },
    SetJmp {
        env: u32,
        area: u32,
    },
}

/// The per-thread unwind state of a user image.
pub struct Unwinder {
    state: Global,
    data: Global,
    /// Every module of the image is instrumented.
    pub capable: bool,
    /// Signal-handler nesting depth of the code running now.
    pub level: u32,
    pending: Option<Pending>,
    /// Made by `mm_fork`, kept until `user_fork` (or dropped, which
    /// fails the child).
    promise: Option<ForkPromise>,
    /// What `linux.setjmp` returns when the rewind reaches it.
    setjmp_ret: i32,
    pub jmpbufs: JmpBufs,
}

impl Unwinder {
    pub fn new(state: Global, data: Global, capable: bool) -> Unwinder {
        Unwinder {
            state,
            data,
            capable,
            level: 0,
            pending: None,
            promise: None,
            setjmp_ret: 0,
            jmpbufs: JmpBufs::default(),
        }
    }

    pub fn state_global(&self) -> Global {
        self.state
    }

    pub fn data_global(&self) -> Global {
        self.data
    }
}

fn set(mut store: impl AsContextMut, g: Global, v: i32) -> Result<()> {
    g.set(&mut store, Val::I32(v))
}

fn get(mut store: impl AsContextMut, g: Global) -> i32 {
    g.get(&mut store).i32().unwrap_or(0)
}

/// The unwind state of the thread's user code (0 when there is none).
pub fn state(store: &mut impl AsContextMut<Data = ThreadCtx>) -> i32 {
    let Some(g) = store
        .as_context_mut()
        .data()
        .user
        .as_ref()
        .map(|u| u.unwinder.state)
    else {
        return NORMAL;
    };
    get(store, g)
}

/// Reads the unwind area's header at `area`: its current position and
/// end.  Checks what the kernel checked for a fork: alignment, the first
/// word right after the header, a size up to [`AREA_MAX`], all in memory.
fn area_header(mem: &GuestMemory, area: u32) -> Option<(u32, u32)> {
    if area == 0 || !area.is_multiple_of(16) {
        return None;
    }
    let words = mem.read(u64::from(area), 8).ok()?;
    let pos = u32::from_le_bytes(words[0..4].try_into().ok()?);
    let end = u32::from_le_bytes(words[4..8].try_into().ok()?);
    if end <= area.checked_add(8)? || end - area > AREA_MAX {
        return None;
    }
    mem.check(u64::from(area), u64::from(end - area)).ok()?;
    Some((pos, end))
}

/// Starts unwinding the calling thread into `area`, for `why`.
fn start_unwind(caller: &mut Caller<'_, ThreadCtx>, area: u32, why: Pending) -> Result<()> {
    let Some(user) = caller.data_mut().user.as_mut() else {
        wasmtime::bail!("an unwind without user code");
    };
    user.unwinder.pending = Some(why);
    let (state, data) = (user.unwinder.state, user.unwinder.data);
    set(&mut *caller, data, area as i32)?;
    set(&mut *caller, state, UNWINDING)
}

/// `linux.setjmp(env, area) -> i32`.
pub fn setjmp(mut caller: Caller<'_, ThreadCtx>, env: i32, area: i32) -> Result<i32> {
    let Some(user) = caller.data().user.as_ref() else {
        return Ok(0);
    };
    let (state, capable) = (user.unwinder.state, user.unwinder.capable);
    if get(&mut caller, state) == REWINDING {
        set(&mut caller, state, NORMAL)?;
        return Ok(caller
            .data()
            .user
            .as_ref()
            .map_or(0, |u| u.unwinder.setjmp_ret));
    }
    // Without instrumentation setjmp cannot save: it returns 0 once.
    if !capable {
        return Ok(0);
    }
    let mem = caller.data().user.as_ref().map(|u| u.memory.clone());
    let Some(mem) = mem else { return Ok(0) };
    let (env, area) = (env as u32, area as u32);
    if area_header(&mem, area).is_none_or(|(pos, _)| pos != area + 8)
        || mem.check(u64::from(env), 8).is_err()
    {
        return Err(UserFault(SIGSEGV).into());
    }
    start_unwind(&mut caller, area, Pending::SetJmp { env, area })?;
    Ok(0)
}

/// `linux.longjmp(env, val)`: never returns to its caller.
pub fn longjmp(caller: Caller<'_, ThreadCtx>, env: i32, val: i32) -> Result<()> {
    let id = caller.data().user.as_ref().and_then(|u| {
        let id = jmpbuf_id(&u.memory, env as u32)?;
        let snap = u.unwinder.jmpbufs.get(id)?;
        (snap.level == u.unwinder.level).then_some(id)
    });
    let Some(id) = id else {
        // Never saved, saved without instrumentation, dropped, or outside
        // the signal handler running now: nowhere to go back to.
        return Err(UserFault(SIGSEGV).into());
    };
    let val = if val == 0 { 1 } else { val };
    Err(LongJmp { id, val }.into())
}

/// `mm_fork(mm) -> i32`: see [`crate::user::UserMms::fork`].
pub fn mm_fork(caller: &mut Caller<'_, ThreadCtx>, mm: u32) -> i32 {
    let Some(user) = caller.data().user.as_ref() else {
        return crate::abi::ENOSYS;
    };
    if user.mm != mm || !user.unwinder.capable || user.unwinder.level > 0 {
        return crate::abi::ENOSYS;
    }
    let users = &caller.data().machine.users;
    let Some(parent) = users.get(mm) else {
        return crate::abi::ENOMEM;
    };
    let (id, child) = match users.fork(&parent) {
        Ok(v) => v,
        Err(e) => return e,
    };
    if let Some(user) = caller.data_mut().user.as_mut() {
        // A promise left from a fork that did not complete fails here.
        user.unwinder.promise = Some(ForkPromise(child));
    }
    id as i32
}

/// Ranges of a `user_fork` skip list the host reads at most.
const MAX_SKIPS: u32 = 64;

/// `user_fork(child, area, skip, nskip)`: unwind when the system call
/// returns; the `nskip` pairs at kernel address `skip` need no copy.
pub fn user_fork(
    mut caller: Caller<'_, ThreadCtx>,
    child: i32,
    area: i32,
    skip: i32,
    nskip: i32,
) -> Result<()> {
    let n = (nskip as u32).min(MAX_SKIPS);
    let words = caller
        .data()
        .machine
        .memory
        .read(u64::from(skip as u32), u64::from(n) * 8)
        .map_err(|e| wasmtime::Error::new(e).context("user_fork"))?;
    let word = |i: usize| u32::from_le_bytes([words[i], words[i + 1], words[i + 2], words[i + 3]]);
    let skip: Vec<(u32, u32)> = (0..n as usize)
        .map(|i| (word(8 * i), word(8 * i + 4)))
        .collect();
    let promise = caller
        .data_mut()
        .user
        .as_mut()
        .and_then(|u| u.unwinder.promise.take());
    let Some(promise) = promise else {
        return Ok(());
    };
    if promise.0.id != child as u32 {
        return Ok(());
    }
    start_unwind(
        &mut caller,
        area as u32,
        Pending::Fork {
            child: promise,
            area: area as u32,
            skip,
        },
    )
}

/// `user_rewound()`: the rewind reached the system call.
pub fn user_rewound(mut caller: Caller<'_, ThreadCtx>) -> Result<()> {
    if let Some(state) = caller.data().user.as_ref().map(|u| u.unwinder.state) {
        set(&mut caller, state, NORMAL)?;
    }
    Ok(())
}

/// What a fork child rewinds from.
#[derive(Clone)]
pub struct ForkImage {
    area: u32,
    sp: i32,
    entry: EntryCall,
    jmpbufs: JmpBufs,
}

/// The state of a fork child's memory.
#[derive(Clone, Default)]
pub enum ForkCopy {
    /// Not a fork child.
    #[default]
    None,
    /// The parent has not unwound yet.
    Waiting,
    Ready(Box<ForkImage>),
    /// The parent died or failed before the copy.
    Failed,
}

/// The fork state of a child memory, and the condition its task waits on.
#[derive(Default)]
pub struct ForkSlot {
    copy: Mutex<ForkCopy>,
    cv: Condvar,
}

impl ForkSlot {
    pub fn waiting() -> ForkSlot {
        ForkSlot {
            copy: Mutex::new(ForkCopy::Waiting),
            cv: Condvar::new(),
        }
    }

    fn put(&self, v: ForkCopy) {
        let mut c = self.copy.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(*c, ForkCopy::Waiting) {
            *c = v;
            self.cv.notify_all();
        }
    }

    /// Waits for the parent's copy; `None` if the machine ends first.
    fn wait(&self, done: impl Fn() -> bool) -> ForkCopy {
        let mut c = self.copy.lock().unwrap_or_else(|e| e.into_inner());
        while matches!(*c, ForkCopy::Waiting) {
            if done() {
                return ForkCopy::Failed;
            }
            c = self
                .cv
                .wait_timeout(c, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        c.clone()
    }
}

/// The parent's promise of a copy to a fork child: dropping it unfilled
/// fails the child.
pub struct ForkPromise(pub Arc<UserMm>);

impl Drop for ForkPromise {
    fn drop(&mut self) {
        self.0.fork.put(ForkCopy::Failed);
    }
}

/// After the unwind: the child's memory becomes a copy of the parent's.
fn complete_fork(
    store: &mut impl AsContextMut<Data = ThreadCtx>,
    child: ForkPromise,
    area: u32,
    skip: &[(u32, u32)],
) -> Result<()> {
    let ctx = store.as_context_mut();
    let Some(user) = ctx.data().user.as_ref() else {
        wasmtime::bail!("fork without user code");
    };
    // A stack too deep for the area wrote past it: nothing to rewind.
    if area_header(&user.memory, area).is_none_or(|(pos, end)| pos > end) {
        return Err(UserFault(SIGILL).into());
    }
    let parent = user.memory.clone();
    let entry = user.entry.clone();
    let jmpbufs = user.unwinder.jmpbufs.clone();
    let spg = user.stack_pointer();
    let sp = get(&mut *store, spg);
    let len = parent.size().min(child.0.memory.size());
    for (start, end) in copy_ranges(len, skip) {
        if child
            .0
            .memory
            .copy_from(start, &parent, start, end - start)
            .is_err()
        {
            return Ok(());
        }
    }
    child.0.fork.put(ForkCopy::Ready(Box::new(ForkImage {
        area,
        sp,
        entry,
        jmpbufs,
    })));
    Ok(())
}

/// The ranges of `[0, len)` to copy: all but the `skip` ranges.
pub fn copy_ranges(len: u64, skip: &[(u32, u32)]) -> Vec<(u64, u64)> {
    let mut holes: Vec<(u64, u64)> = skip
        .iter()
        .map(|&(s, e)| (u64::from(s), u64::from(e).min(len)))
        .filter(|&(s, e)| s < e)
        .collect();
    holes.sort_unstable();
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e) in holes {
        if s > pos {
            out.push((pos, s));
        }
        pos = pos.max(e);
    }
    if pos < len {
        out.push((pos, len));
    }
    out
}

/// Calls `func` (the entry export of a level of user code) with `args`
/// and serves every unwind it makes until it really returns.  A rewind
/// calls it again the same way.
pub fn drive(
    store: &mut impl AsContextMut<Data = ThreadCtx>,
    func: Func,
    args: &[i32],
) -> Result<()> {
    let vals: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
    loop {
        let result = func.call(&mut *store, &vals, &mut []);
        let Some((state, data, spg)) = store
            .as_context_mut()
            .data()
            .user
            .as_ref()
            .map(|u| (u.unwinder.state, u.unwinder.data, u.stack_pointer()))
        else {
            return result;
        };
        let area = match result {
            Ok(()) if get(&mut *store, state) == UNWINDING => {
                set(&mut *store, state, NORMAL)?;
                let pending = store
                    .as_context_mut()
                    .data_mut()
                    .user
                    .as_mut()
                    .and_then(|u| u.unwinder.pending.take());
                match pending {
                    Some(Pending::Fork { child, area, skip }) => {
                        complete_fork(&mut *store, child, area, &skip)?;
                        area
                    }
                    Some(Pending::SetJmp { env, area }) => {
                        save_snapshot(&mut *store, env, area, spg)?;
                        area
                    }
                    None => wasmtime::bail!("user code unwound for no reason"),
                }
            }
            Ok(()) => return Ok(()),
            Err(e) => {
                let Some(&LongJmp { id, val }) = e.downcast_ref::<LongJmp>() else {
                    return Err(e);
                };
                restore_snapshot(&mut *store, id, val, spg)?
            }
        };
        set(&mut *store, data, area as i32)?;
        set(&mut *store, state, REWINDING)?;
    }
}

fn save_snapshot(
    store: &mut impl AsContextMut<Data = ThreadCtx>,
    env: u32,
    area: u32,
    spg: Global,
) -> Result<()> {
    let sp = get(&mut *store, spg);
    let mut ctx = store.as_context_mut();
    let Some(user) = ctx.data_mut().user.as_mut() else {
        return Ok(());
    };
    let saved = match area_header(&user.memory, area) {
        Some((pos, end)) if pos >= area + 8 && pos <= end => {
            user.memory.read(u64::from(area), u64::from(pos - area))
        }
        // A stack too deep for the area wrote past it.
        Some(_) => return Err(UserFault(SIGILL).into()),
        None => return Err(UserFault(SIGSEGV).into()),
    };
    let Ok(saved) = saved else {
        return Err(UserFault(SIGSEGV).into());
    };
    let level = user.unwinder.level;
    let id = user.unwinder.jmpbufs.insert(Snapshot {
        env,
        area,
        saved,
        sp,
        level,
    });
    if user
        .memory
        .write(u64::from(env), &jmpbuf_words(id))
        .is_err()
    {
        return Err(UserFault(SIGSEGV).into());
    }
    user.unwinder.setjmp_ret = 0;
    Ok(())
}

/// Puts the stack saved as snapshot `id` back; returns its area.
fn restore_snapshot(
    store: &mut impl AsContextMut<Data = ThreadCtx>,
    id: u32,
    val: i32,
    spg: Global,
) -> Result<u32> {
    let mut ctx = store.as_context_mut();
    let Some(user) = ctx.data_mut().user.as_mut() else {
        wasmtime::bail!("longjmp without user code");
    };
    let Some(snap) = user.unwinder.jmpbufs.get(id).cloned() else {
        return Err(UserFault(SIGSEGV).into());
    };
    if user
        .memory
        .write(u64::from(snap.area), &snap.saved)
        .is_err()
    {
        return Err(UserFault(SIGSEGV).into());
    }
    user.unwinder.setjmp_ret = val;
    set(&mut *store, spg, snap.sp)?;
    Ok(snap.area)
}

/// A fork child: waits for the parent's copy, then rewinds the parent's
/// entry in the child's instances.  Returns what the entry call to make
/// is, with the state set up, or the fault that kills the child.
pub fn fork_child(
    store: &mut impl AsContextMut<Data = ThreadCtx>,
    mm: &UserMm,
) -> Result<EntryCall> {
    let machine = store.as_context_mut().data().machine.clone();
    let image = match mm.fork.wait(|| machine.finished()) {
        ForkCopy::Ready(image) => image,
        _ => return Err(UserFault(SIGKILL).into()),
    };
    let mut ctx = store.as_context_mut();
    let Some(user) = ctx.data_mut().user.as_mut() else {
        wasmtime::bail!("a fork child without user code");
    };
    user.unwinder.jmpbufs = image.jmpbufs.clone();
    user.entry = image.entry.clone();
    let (state, data, spg) = (
        user.unwinder.state,
        user.unwinder.data,
        user.stack_pointer(),
    );
    set(&mut *store, spg, image.sp)?;
    set(&mut *store, data, image.area as i32)?;
    set(&mut *store, state, REWINDING)?;
    Ok(image.entry.clone())
}

#[cfg(test)]
mod tests {
    use super::{JmpBufs, MAX_JMPBUFS, Snapshot, copy_ranges, jmpbuf_words};

    fn snap(env: u32, sp: i32, level: u32) -> Snapshot {
        Snapshot {
            env,
            area: 0x1000,
            saved: vec![0; 8],
            sp,
            level,
        }
    }

    #[test]
    fn a_copied_jmpbuf_keeps_its_snapshot() {
        let mut bufs = JmpBufs::default();
        // setjmp(top) in an outer frame, then in a nested one after
        // the caller saved top aside.
        let outer = bufs.insert(snap(0x100, 5000, 0));
        let inner = bufs.insert(snap(0x100, 4000, 0));
        assert_ne!(outer, inner);
        assert_eq!(bufs.get(outer).map(|s| s.sp), Some(5000));
        assert_eq!(bufs.get(inner).map(|s| s.sp), Some(4000));
        // The same buffer at the same depth again replaces the nested
        // one only.
        let again = bufs.insert(snap(0x100, 4000, 0));
        assert!(bufs.get(inner).is_none());
        assert!(bufs.get(outer).is_some() && bufs.get(again).is_some());
        // Another buffer, or a handler's level, at that depth is apart.
        bufs.insert(snap(0x200, 4000, 0));
        bufs.insert(snap(0x100, 4000, 1));
        assert_eq!(bufs.by_id.len(), 4);
    }

    #[test]
    fn a_setjmp_loop_stays_bounded() {
        let mut bufs = JmpBufs::default();
        for _ in 0..10_000 {
            bufs.insert(snap(0x100, 4000, 0));
        }
        assert_eq!(bufs.by_id.len(), 1);
        let first = bufs.insert(snap(0x10, 1, 0));
        for i in 0..(2 * MAX_JMPBUFS as u32) {
            bufs.insert(snap(0x1000 + 32 * i, 4000, 0));
        }
        assert_eq!(bufs.by_id.len(), MAX_JMPBUFS);
        assert!(bufs.get(first).is_none(), "the oldest go first");
    }

    #[test]
    fn jmpbuf_words_hold_the_id_and_its_complement() {
        assert_eq!(jmpbuf_words(1), [1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
    }

    #[test]
    fn copy_ranges_leave_out_the_holes() {
        assert_eq!(copy_ranges(100, &[]), vec![(0, 100)]);
        assert_eq!(
            copy_ranges(100, &[(10, 20), (50, 60)]),
            vec![(0, 10), (20, 50), (60, 100)]
        );
        // Unsorted, overlapping, empty, past the end.
        assert_eq!(
            copy_ranges(100, &[(50, 70), (10, 20), (15, 30), (40, 40), (90, 200)]),
            vec![(0, 10), (30, 50), (70, 90)]
        );
        assert_eq!(copy_ranges(100, &[(0, 100)]), vec![]);
    }
}
