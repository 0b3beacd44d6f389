// SPDX-License-Identifier: GPL-2.0

//! Spinlocks for WebAssembly, with wasm atomics.
//!
//! A wasm CPU has no `pause` and nothing preempts a lock holder, so a
//! contended waiter does not spin: it sleeps in `memory.atomic.wait32` on
//! the lock word and the unlocker wakes one waiter with
//! `memory.atomic.notify`.  The lock word is a three-state futex-style
//! mutex:
//!
//! - 0: unlocked;
//! - 1: locked, nobody waits;
//! - 2: locked, and a waiter may sleep on the word (unlock must notify).
//!
//! C reaches these functions through `asm/spinlock.h`.

use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::bindings;

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;

/// Returns the lock word of `lock` as an atomic.
///
/// # Safety
///
/// `lock` must point to a live, 4-byte aligned `arch_spinlock_t`.
unsafe fn word<'a>(lock: *mut bindings::arch_spinlock_t) -> &'a AtomicU32 {
    // SAFETY: the caller guarantees that `lock` is valid and aligned; the
    // word is only ever accessed atomically while shared.
    unsafe { AtomicU32::from_ptr(core::ptr::addr_of_mut!((*lock).lock)) }
}

/// Sleeps while the word still reads `CONTENDED`.
fn wait_contended(word: &AtomicU32) {
    // SAFETY: `word` is a valid, aligned location in the shared memory;
    // wait32 only reads it.  A timeout of -1 waits until notified, and a
    // spurious or early wake-up is handled by the caller's loop.
    unsafe {
        memory_atomic_wait32(word.as_ptr().cast::<i32>(), CONTENDED as i32, -1);
    }
}

/// Acquires `lock`, sleeping while another thread holds it.
///
/// # Safety
///
/// `lock` must point to a valid `arch_spinlock_t`.
#[no_mangle]
pub unsafe extern "C" fn arch_spin_lock(lock: *mut bindings::arch_spinlock_t) {
    // SAFETY: forwarded from the caller.
    let word = unsafe { word(lock) };

    if word
        .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
    {
        return;
    }
    // Contended: announce a sleeper, then sleep until the word is handed
    // back as unlocked.  Taking it as CONTENDED keeps later unlocks
    // notifying, as other sleepers may remain.
    while word.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
        wait_contended(word);
    }
}

/// Tries once to acquire `lock`; returns 1 on success, 0 if it is held.
///
/// # Safety
///
/// `lock` must point to a valid `arch_spinlock_t`.
#[no_mangle]
pub unsafe extern "C" fn arch_spin_trylock(lock: *mut bindings::arch_spinlock_t) -> i32 {
    // SAFETY: forwarded from the caller.
    let word = unsafe { word(lock) };

    word.compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
        .is_ok() as i32
}

/// Releases `lock` and wakes one sleeping waiter, if there may be one.
///
/// # Safety
///
/// `lock` must point to a valid `arch_spinlock_t` held by the caller.
#[no_mangle]
pub unsafe extern "C" fn arch_spin_unlock(lock: *mut bindings::arch_spinlock_t) {
    // SAFETY: forwarded from the caller.
    let word = unsafe { word(lock) };

    if word.swap(UNLOCKED, Ordering::Release) == CONTENDED {
        // SAFETY: `word` is a valid, aligned location in shared memory.
        unsafe {
            memory_atomic_notify(word.as_ptr().cast::<i32>(), 1);
        }
    }
}
