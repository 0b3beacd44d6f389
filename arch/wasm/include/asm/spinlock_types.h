/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SPINLOCK_TYPES_H
#define _ASM_WASM_SPINLOCK_TYPES_H

#include <linux/types.h>

/* 0: unlocked, 1: locked, 2: locked and a waiter may sleep on the word. */
typedef struct {
	u32 lock;
} arch_spinlock_t;

#define __ARCH_SPIN_LOCK_UNLOCKED	{ 0 }

#include <asm-generic/qrwlock_types.h>

#endif /* _ASM_WASM_SPINLOCK_TYPES_H */
