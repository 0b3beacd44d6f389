/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SECTIONS_H
#define _ASM_WASM_SECTIONS_H

#include <asm-generic/sections.h>

/* Set by wasm-ld: the end of the static data and of the linker's stack. */
extern char __heap_base[];

#endif /* _ASM_WASM_SECTIONS_H */
