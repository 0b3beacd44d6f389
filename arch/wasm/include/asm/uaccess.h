/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_UACCESS_H
#define _ASM_WASM_UACCESS_H

#include <asm/host.h>

/* The host's name of the current task's user memory; 0 (none) faults. */
int wasm_user_mm(void);

/*
 * A user address is an offset into the current process's own linear
 * memory, which this module cannot address: every access goes through the
 * host, which checks the bounds and returns how many bytes it could not
 * copy, as raw_copy_*_user() do on every architecture.
 */
static inline __must_check unsigned long
raw_copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return wasm_host_user_copy_from(wasm_user_mm(), to, from, n);
}

static inline __must_check unsigned long
raw_copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return wasm_host_user_copy_to(wasm_user_mm(), to, from, n);
}

#define INLINE_COPY_FROM_USER
#define INLINE_COPY_TO_USER

static inline __must_check unsigned long
__clear_user(void __user *to, unsigned long n)
{
	return wasm_host_user_clear(wasm_user_mm(), to, n);
}
#define __clear_user __clear_user

#include <asm-generic/uaccess.h>

#endif /* _ASM_WASM_UACCESS_H */
