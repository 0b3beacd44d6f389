// SPDX-License-Identifier: GPL-2.0

//! Context switching for WebAssembly.
//!
//! Wasm cannot switch stacks, so every task runs on a host thread of its
//! own and a context switch hands the virtual CPU from one thread to the
//! other: `__switch_to` marks the next task runnable and wakes its thread
//! (or asks the host to start one for a task that never ran), then parks
//! the current thread in `memory.atomic.wait32` until some CPU switches
//! back to this task.  A dead task's thread is released instead.

use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
use core::ffi::c_void;
use core::ptr::addr_of_mut;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::bindings;

#[link(wasm_import_module = "host")]
extern "C" {
    /// Starts a host thread that runs `task` from `wasm_task_start`.
    #[link_name = "task_spawn"]
    fn host_task_spawn(task: *mut c_void) -> i32;

    /// Ends the calling host thread; does not return.
    #[link_name = "task_exit"]
    fn host_task_exit();
}

extern "C" {
    fn panic(fmt: *const u8, ...) -> !;
}

/// Returns the `run` word of a thread.
///
/// # Safety
///
/// `thread` must point to the live `thread_struct` of a task.
unsafe fn run_word<'a>(thread: *mut bindings::thread_struct) -> &'a AtomicU32 {
    // SAFETY: `thread` is live; `run` is an aligned u32 that is only
    // accessed atomically once the task has been switched out.
    unsafe { AtomicU32::from_ptr(addr_of_mut!((*thread).run)) }
}

/// Switches the CPU from `prev`, the current task, to `next`; returns the
/// task that switched back to `prev` once `prev` runs again.
///
/// `prev_thread` and `next_thread` are the tasks' `thread` members and
/// `prev_dead` tells whether `prev` is dead; C computes them (see
/// `asm/switch_to.h`), so this code needs nothing else of `task_struct`.
///
/// # Safety
///
/// Called only by the scheduler through `switch_to()`, with the runqueue
/// locked and interrupts disabled, `prev` being the current task.
#[no_mangle]
pub unsafe extern "C" fn __switch_to(
    prev: *mut bindings::task_struct,
    next: *mut bindings::task_struct,
    prev_thread: *mut bindings::thread_struct,
    next_thread: *mut bindings::thread_struct,
    prev_dead: bool,
) -> *mut bindings::task_struct {
    // SAFETY: the scheduler passes the live threads of live tasks.
    let (prev_run, next_run) = unsafe { (run_word(prev_thread), run_word(next_thread)) };

    // A dead `prev` is freed by `next` in finish_task_switch(): nothing of
    // it may be touched once `next` runs.
    prev_run.store(0, Ordering::Relaxed);
    // SAFETY: `next` is live and not running; nobody else writes these
    // fields while it is switched out.
    unsafe {
        (*next_thread).prev = prev;
        if (*next_thread).started == 0 {
            (*next_thread).started = 1;
            next_run.store(1, Ordering::Release);
            if host_task_spawn(next.cast()) != 0 {
                panic(
                    c"wasm: the host could not start a task thread\n"
                        .as_ptr()
                        .cast(),
                );
            }
        } else {
            next_run.store(1, Ordering::Release);
            memory_atomic_notify(next_run.as_ptr().cast::<i32>(), 1);
        }
    }

    if prev_dead {
        // SAFETY: this thread owns nothing any more: `prev` is dead and
        // `next` has the CPU.  The host ends the thread here.
        unsafe { host_task_exit() };
    }

    while prev_run.load(Ordering::Acquire) == 0 {
        // SAFETY: a valid aligned word in shared memory; wait32 returns on
        // notify, or at once if the word is no longer 0.
        unsafe {
            memory_atomic_wait32(prev_run.as_ptr().cast::<i32>(), 0, -1);
        }
    }
    // SAFETY: `prev` runs again; the task that woke it stored itself here.
    unsafe { (*prev_thread).prev }
}
