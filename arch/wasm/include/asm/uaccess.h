/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_UACCESS_H
#define _ASM_WASM_UACCESS_H

#include <linux/types.h>
#include <linux/unaligned.h>
#include <asm/host.h>
#include <asm/page.h>

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

/*
 * The first page of every process memory is a guard that exec leaves
 * empty, so that a null pointer handed to a system call gives -EFAULT as
 * on other architectures; the host checks the end of the memory.
 */
#define __access_ok __access_ok
static inline int __access_ok(const void __user *ptr, unsigned long size)
{
	return !size || (unsigned long)ptr >= PAGE_SIZE;
}

/*
 * Kernel memory is the kernel module's own linear memory, which plain
 * loads and stores reach.  Nothing inside its current size can fault; an
 * access past it would trap the whole kernel, so it is refused instead.
 * (The generic fallback would take kernel addresses for user ones.)
 */
#define wasm_kernel_range_ok(p, size)					\
	((u64)(unsigned long)(p) + (size) <=				\
	 (u64)__builtin_wasm_memory_size(0) * 65536)

#define __get_kernel_nofault(dst, src, type, err_label)			\
do {									\
	const type *__gk_src = (const type *)(src);			\
									\
	if (!wasm_kernel_range_ok(__gk_src, sizeof(type)))		\
		goto err_label;						\
	*((type *)(dst)) = get_unaligned(__gk_src);			\
} while (0)

#define __put_kernel_nofault(dst, src, type, err_label)			\
do {									\
	type *__pk_dst = (type *)(dst);					\
									\
	if (!wasm_kernel_range_ok(__pk_dst, sizeof(type)))		\
		goto err_label;						\
	put_unaligned(*((type *)(src)), __pk_dst);			\
} while (0)

#include <asm-generic/uaccess.h>

#endif /* _ASM_WASM_UACCESS_H */
