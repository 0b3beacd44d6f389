/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_ATOMIC_H
#define _ASM_WASM_ATOMIC_H

#include <linux/types.h>
#include <asm/barrier.h>
#include <asm/cmpxchg.h>

/*
 * All atomics are the native wasm ones, 32-bit and 64-bit alike; the full
 * set of orderings is derived by linux/atomic/atomic-arch-fallback.h.
 */
/* 32-bit, but with native 64-bit atomics (which need 8-byte alignment). */
typedef struct {
	s64 counter;
} __aligned(8) atomic64_t;

#define ATOMIC64_INIT(i)		{ (i) }

#define arch_atomic_read(v)		READ_ONCE((v)->counter)
#define arch_atomic_set(v, i)		WRITE_ONCE((v)->counter, (i))
#define arch_atomic64_read(v)		__atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define arch_atomic64_set(v, i)		__atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)

#define WASM_ATOMIC_OP(pfx, type, op, builtin)				\
static __always_inline void arch_##pfx##_##op(type i, pfx##_t *v)	\
{									\
	builtin(&v->counter, i, __ATOMIC_SEQ_CST);			\
}									\
static __always_inline type arch_##pfx##_fetch_##op(type i, pfx##_t *v)	\
{									\
	return builtin(&v->counter, i, __ATOMIC_SEQ_CST);		\
}

#define WASM_ATOMIC_OPS(pfx, type)					\
	WASM_ATOMIC_OP(pfx, type, add, __atomic_fetch_add)		\
	WASM_ATOMIC_OP(pfx, type, sub, __atomic_fetch_sub)		\
	WASM_ATOMIC_OP(pfx, type, and, __atomic_fetch_and)		\
	WASM_ATOMIC_OP(pfx, type, or, __atomic_fetch_or)		\
	WASM_ATOMIC_OP(pfx, type, xor, __atomic_fetch_xor)		\
static __always_inline type arch_##pfx##_add_return(type i, pfx##_t *v)	\
{									\
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static __always_inline type arch_##pfx##_sub_return(type i, pfx##_t *v)	\
{									\
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static __always_inline type arch_##pfx##_xchg(pfx##_t *v, type n)	\
{									\
	return arch_xchg(&v->counter, n);				\
}									\
static __always_inline type arch_##pfx##_cmpxchg(pfx##_t *v, type o,	\
						 type n)		\
{									\
	return arch_cmpxchg(&v->counter, o, n);				\
}

WASM_ATOMIC_OPS(atomic, int)
WASM_ATOMIC_OPS(atomic64, s64)

#undef WASM_ATOMIC_OPS
#undef WASM_ATOMIC_OP

#define arch_atomic_add			arch_atomic_add
#define arch_atomic_sub			arch_atomic_sub
#define arch_atomic_and			arch_atomic_and
#define arch_atomic_or			arch_atomic_or
#define arch_atomic_xor			arch_atomic_xor
#define arch_atomic_fetch_add		arch_atomic_fetch_add
#define arch_atomic_fetch_sub		arch_atomic_fetch_sub
#define arch_atomic_fetch_and		arch_atomic_fetch_and
#define arch_atomic_fetch_or		arch_atomic_fetch_or
#define arch_atomic_fetch_xor		arch_atomic_fetch_xor
#define arch_atomic_add_return		arch_atomic_add_return
#define arch_atomic_sub_return		arch_atomic_sub_return
#define arch_atomic_xchg		arch_atomic_xchg
#define arch_atomic_cmpxchg		arch_atomic_cmpxchg

#define arch_atomic64_add		arch_atomic64_add
#define arch_atomic64_sub		arch_atomic64_sub
#define arch_atomic64_and		arch_atomic64_and
#define arch_atomic64_or		arch_atomic64_or
#define arch_atomic64_xor		arch_atomic64_xor
#define arch_atomic64_fetch_add		arch_atomic64_fetch_add
#define arch_atomic64_fetch_sub		arch_atomic64_fetch_sub
#define arch_atomic64_fetch_and		arch_atomic64_fetch_and
#define arch_atomic64_fetch_or		arch_atomic64_fetch_or
#define arch_atomic64_fetch_xor		arch_atomic64_fetch_xor
#define arch_atomic64_add_return	arch_atomic64_add_return
#define arch_atomic64_sub_return	arch_atomic64_sub_return
#define arch_atomic64_xchg		arch_atomic64_xchg
#define arch_atomic64_cmpxchg		arch_atomic64_cmpxchg

#endif /* _ASM_WASM_ATOMIC_H */
