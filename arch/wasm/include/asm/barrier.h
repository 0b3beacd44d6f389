/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_BARRIER_H
#define _ASM_WASM_BARRIER_H

/*
 * Wasm threads give sequentially consistent atomics and one full fence,
 * atomic.fence; ordinary loads and stores are unordered between threads.
 */
#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()		mb()
#define wmb()		mb()
#define __smp_mb()	mb()
#define __smp_rmb()	mb()
#define __smp_wmb()	mb()

#include <asm-generic/barrier.h>

#endif /* _ASM_WASM_BARRIER_H */
