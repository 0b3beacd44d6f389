/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_WASM_UNISTD_H
#define _UAPI_ASM_WASM_UNISTD_H

#define __ARCH_WANT_SYS_CLONE
#define __ARCH_WANT_SYS_CLONE3
#define __ARCH_WANT_SYS_VFORK

#include <asm/unistd_32.h>

/*
 * What a system call made for a vfork child returns to the parent's thread
 * once the child has execed or exited: the C library then returns from
 * vfork() in the parent (Documentation/arch/wasm/user-abi.rst).  It is no
 * error number and no address a call returns.
 */
#define WASM_VFORK_RESUME	(-4095)

#endif /* _UAPI_ASM_WASM_UNISTD_H */
