/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_GLOBAL_H
#define _ASM_WASM_GLOBAL_H

/*
 * Per-thread state lives in wasm globals: every CPU and every task runs its
 * own instance of vmlinux.wasm, and globals, unlike linear memory, belong to
 * the instance.  The globals are defined in arch/wasm/kernel/entry.S.
 */
#define WASM_GLOBAL_GET(name)						\
({									\
	unsigned long __v;						\
	__asm__(".globaltype " #name ", i32\n\t"			\
		"global.get " #name "\n\t"				\
		"local.set %0" : "=r" (__v));				\
	__v;								\
})

#define WASM_GLOBAL_SET(name, val)					\
do {									\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ volatile(".globaltype " #name ", i32\n\t"		\
			 "local.get %0\n\t"				\
			 "global.set " #name : : "r" (__v) : "memory");	\
} while (0)

/* Same as WASM_GLOBAL_GET, but never merged with an earlier read. */
#define WASM_GLOBAL_GET_VOLATILE(name)					\
({									\
	unsigned long __v;						\
	__asm__ volatile(".globaltype " #name ", i32\n\t"		\
			 "global.get " #name "\n\t"			\
			 "local.set %0" : "=r" (__v) : : "memory");	\
	__v;								\
})

#endif /* _ASM_WASM_GLOBAL_H */
