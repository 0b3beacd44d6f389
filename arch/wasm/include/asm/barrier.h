/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_BARRIER_H
#define _ASM_WASM_BARRIER_H

/*
 * Wasm threads give sequentially consistent atomics and one full fence,
 * atomic.fence; ordinary loads and stores are unordered between threads.
 */
/* atomic.fence: the only, full, barrier */
#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
/* read barrier: no weaker fence exists, use the full one */
#define rmb()		mb()
/* write barrier: no weaker fence exists, use the full one */
#define wmb()		mb()
/* SMP full barrier: the same fence orders against other threads */
#define __smp_mb()	mb()
/* SMP read barrier: the full fence */
#define __smp_rmb()	mb()
/* SMP write barrier: the full fence */
#define __smp_wmb()	mb()

#include <asm-generic/barrier.h>

#endif /* _ASM_WASM_BARRIER_H */
