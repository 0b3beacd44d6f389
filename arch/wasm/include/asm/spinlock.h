/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SPINLOCK_H
#define _ASM_WASM_SPINLOCK_H

#include <linux/compiler.h>
#include <asm/spinlock_types.h>

/*
 * Implemented in Rust (arch/wasm/kernel/spinlock.rs): a contended waiter
 * sleeps in memory.atomic.wait32 and the unlocker notifies it.
 */
void arch_spin_lock(arch_spinlock_t *lock);
int arch_spin_trylock(arch_spinlock_t *lock);
void arch_spin_unlock(arch_spinlock_t *lock);

static inline int arch_spin_value_unlocked(arch_spinlock_t lock)
{
	return lock.lock == 0;
}

static inline int arch_spin_is_locked(arch_spinlock_t *lock)
{
	return READ_ONCE(lock->lock) != 0;
}

static inline int arch_spin_is_contended(arch_spinlock_t *lock)
{
	return READ_ONCE(lock->lock) == 2;
}

#include <asm/qrwlock.h>

#endif /* _ASM_WASM_SPINLOCK_H */
