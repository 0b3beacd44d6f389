/* SPDX-License-Identifier: MIT */
/*
 * setjmp/longjmp on wasm32 use clang's WebAssembly SjLj lowering
 * (-mllvm -wasm-enable-sjlj): the buffer holds what __wasm_setjmp records
 * (function invocation id, label) and the {env, val} pair that
 * __wasm_longjmp throws.  Eight words leave room to spare.
 */
typedef unsigned long __jmp_buf[8];
