/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_RWONCE_H
#define _ASM_WASM_RWONCE_H

#ifndef __ASSEMBLY__

#include <linux/compiler_types.h>

/*
 * volatile does not survive into WebAssembly: a plain load in a loop may be
 * hoisted out of it by the engine's compiler (Cranelift does), turning a
 * wait for another CPU's store into an endless loop.  READ_ONCE() is a
 * relaxed atomic load instead, which no engine may hoist or merge.  Sizes
 * are 1, 2, 4 or 8 bytes (compiletime_assert_rwonce_type); wasm atomics
 * also need natural alignment.
 */
#define __WASM_LOAD_ONCE(type, p, res)					\
	(*(type *)(res) = __atomic_load_n((const volatile type *)(p),	\
					  __ATOMIC_RELAXED))

static __always_inline void __wasm_read_once(const volatile void *p, void *res,
					     int size)
{
	switch (size) {
	case 1:
		__WASM_LOAD_ONCE(unsigned char, p, res);
		break;
	case 2:
		__WASM_LOAD_ONCE(unsigned short, p, res);
		break;
	case 4:
		__WASM_LOAD_ONCE(unsigned int, p, res);
		break;
	case 8:
		__WASM_LOAD_ONCE(unsigned long long, p, res);
		break;
	default:
		/* __READ_ONCE() of other sizes may tear, as documented. */
		__builtin_memcpy(res, (const void *)p, size);
		break;
	}
}

#define __READ_ONCE(x)							\
({									\
	union {								\
		__unqual_scalar_typeof(x) __val;			\
		char __c[sizeof(x)];					\
	} __u;								\
	__wasm_read_once(&(x), __u.__c, sizeof(x));			\
	__u.__val;							\
})

#endif /* __ASSEMBLY__ */

#include <asm-generic/rwonce.h>

#endif /* _ASM_WASM_RWONCE_H */
