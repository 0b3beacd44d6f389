/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_WASM_POSIX_TYPES_H
#define _UAPI_ASM_WASM_POSIX_TYPES_H

/*
 * The wasm32 C ABI makes size_t unsigned long and ptrdiff_t long (both 32
 * bits); match it, so the kernel's declarations agree with the compiler's
 * built-in string functions.
 */
typedef unsigned long	__kernel_size_t;
typedef long		__kernel_ssize_t;
typedef long		__kernel_ptrdiff_t;
#define __kernel_size_t __kernel_size_t

#include <asm-generic/posix_types.h>

#endif /* _UAPI_ASM_WASM_POSIX_TYPES_H */
