/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_COMPILER_H
#define _ASM_WASM_COMPILER_H

/*
 * Code is not in linear memory: a wasm function has no address that could
 * be a return address or an instruction pointer, and clang implements
 * neither __builtin_return_address() nor the address of a label for wasm.
 * Callers only use these values for diagnostics; they get 0.
 */
#define __builtin_return_address(level)	((void *)0)
#define _THIS_IP_			0UL

#endif /* _ASM_WASM_COMPILER_H */
