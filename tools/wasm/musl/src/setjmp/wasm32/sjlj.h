/* SPDX-License-Identifier: MIT */
/*
 * How the wasm32 setjmp/longjmp runtime uses jmp_buf's __jb words.
 * The contract with clang's WebAssembly SjLj lowering
 * (-mllvm -wasm-enable-sjlj, WebAssemblyLowerEmscriptenEHSjLj.cpp):
 *  - setjmp(env) in a function becomes
 *    __wasm_setjmp(env, label, function_invocation_id);
 *  - longjmp(env, val) becomes __wasm_longjmp(env, val), which throws a
 *    pointer to { void *env; int val; } with the __c_longjmp tag;
 *  - each function with a setjmp catches __c_longjmp, asks
 *    __wasm_setjmp_test(env, its invocation id) for the label (0: not
 *    one of mine, rethrow) and resumes after that setjmp with val.
 */
#include <setjmp.h>

#define SJLJ_ID     0	/* function invocation id of the setjmp caller */
#define SJLJ_LABEL  1	/* setjmp call site within that function, >0 */
#define SJLJ_ENV    2	/* thrown pair: env ... */
#define SJLJ_VAL    3	/* ... and the value setjmp returns */

_Static_assert(sizeof(__jmp_buf) >= 4 * sizeof(unsigned long),
	       "jmp_buf too small for the wasm SjLj runtime");
