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

/// Returns the `run` word of `task`.
///
/// # Safety
///
/// `task` must point to a live `task_struct`.
unsafe fn run_word<'a>(task: *mut bindings::task_struct) -> &'a AtomicU32 {
    // SAFETY: `task` is live; `run` is an aligned u32 that is only
    // accessed atomically once the task has been switched out.
    unsafe { AtomicU32::from_ptr(addr_of_mut!((*task).thread.run)) }
}

/// Switches the CPU from `prev`, the current task, to `next`; returns the
/// task that switched back to `prev` once `prev` runs again.
///
/// # Safety
///
/// Called only by the scheduler through `switch_to()`, with the runqueue
/// locked and interrupts disabled, `prev` being the current task.
#[no_mangle]
pub unsafe extern "C" fn __switch_to(
    prev: *mut bindings::task_struct,
    next: *mut bindings::task_struct,
) -> *mut bindings::task_struct {
    // SAFETY: the scheduler passes live tasks; `prev` is current.
    let (prev_run, next_run) = unsafe { (run_word(prev), run_word(next)) };
    // A dead task is freed by `next` in finish_task_switch(), so read
    // everything needed from it before handing over.
    // SAFETY: `prev` is live until `next` runs.
    let prev_dead = unsafe { (*prev).__state } == bindings::TASK_DEAD;

    prev_run.store(0, Ordering::Relaxed);
    // SAFETY: `next` is live and not running; nobody else writes these
    // fields while it is switched out.
    unsafe {
        (*next).thread.prev = prev;
        if (*next).thread.started == 0 {
            (*next).thread.started = 1;
            next_run.store(1, Ordering::Release);
            if host_task_spawn(next.cast()) != 0 {
                panic(c"wasm: the host could not start a task thread\n".as_ptr().cast());
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
    unsafe { (*prev).thread.prev }
}
