/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SYSCALL_WRAPPER_H
#define _ASM_WASM_SYSCALL_WRAPPER_H

#include <asm/ptrace.h>

/*
 * Wasm checks the signature of every indirect call, so every entry of the
 * syscall table has one type: long (*)(const struct pt_regs *).  Each
 * SYSCALL_DEFINEx() emits __wasm_sys_<name>, which unpacks the arguments
 * from the frame built by the entry code.
 */
#define __WASM_ARG(i, unused)	regs->args[i]
#define __WASM_REGS_TO_ARGS(x, ...)					\
	__MAP(x, __WASM_ARG, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5)

#define __SYSCALL_DEFINEx(x, name, ...)					\
	long __wasm_sys##name(const struct pt_regs *regs);		\
	ALLOW_ERROR_INJECTION(__wasm_sys##name, ERRNO);			\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__));	\
	static inline long __do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__)); \
	long __wasm_sys##name(const struct pt_regs *regs)		\
	{								\
		return __se_sys##name(__WASM_REGS_TO_ARGS(x, __VA_ARGS__)); \
	}								\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__))	\
	{								\
		long ret = __do_sys##name(__MAP(x, __SC_CAST, __VA_ARGS__)); \
		__MAP(x, __SC_TEST, __VA_ARGS__);			\
		__PROTECT(x, ret, __MAP(x, __SC_ARGS, __VA_ARGS__));	\
		return ret;						\
	}								\
	static inline long __do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__))

#define SYSCALL_DEFINE0(sname)						\
	SYSCALL_METADATA(_##sname, 0);					\
	long __wasm_sys_##sname(const struct pt_regs *__unused);	\
	ALLOW_ERROR_INJECTION(__wasm_sys_##sname, ERRNO);		\
	long __wasm_sys_##sname(const struct pt_regs *__unused)

#define COND_SYSCALL(name)						\
	long __wasm_sys_##name(const struct pt_regs *regs);		\
	long __weak __wasm_sys_##name(const struct pt_regs *regs)	\
	{								\
		return sys_ni_syscall();				\
	}

long __wasm_sys_ni_syscall(const struct pt_regs *__unused);

#endif /* _ASM_WASM_SYSCALL_WRAPPER_H */
