/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_STRING_H
#define _ASM_WASM_STRING_H

/*
 * The generic C string functions (lib/string.c) are used; clang turns
 * memcpy/memset into memory.copy/memory.fill where it can (bulk memory).
 */

#endif /* _ASM_WASM_STRING_H */
