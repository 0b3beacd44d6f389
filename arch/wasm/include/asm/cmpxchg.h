/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_CMPXCHG_H
#define _ASM_WASM_CMPXCHG_H

#include <linux/compiler.h>

/*
 * Wasm has sequentially consistent read-modify-write instructions for 8, 16,
 * 32 and 64-bit naturally aligned locations; the compiler builtins map to
 * them directly (i32.atomic.rmw.cmpxchg and friends).
 */
#define arch_xchg(ptr, x)						\
	__atomic_exchange_n((ptr), (x), __ATOMIC_SEQ_CST)

#define arch_cmpxchg(ptr, o, n)						\
({									\
	__typeof__(*(ptr)) __old = (o);					\
	__atomic_compare_exchange_n((ptr), &__old, (n), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__old;								\
})

#define arch_cmpxchg_local(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))
#define arch_cmpxchg64(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))
#define arch_cmpxchg64_local(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))

#endif /* _ASM_WASM_CMPXCHG_H */
