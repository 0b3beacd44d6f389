/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_WASM_UNISTD_H
#define _UAPI_ASM_WASM_UNISTD_H

#define __ARCH_WANT_SYS_CLONE
#define __ARCH_WANT_SYS_CLONE3
#define __ARCH_WANT_SYS_VFORK

#include <asm/unistd_32.h>

#endif /* _UAPI_ASM_WASM_UNISTD_H */
