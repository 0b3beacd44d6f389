// SPDX-License-Identifier: MIT
/*
 * longjmp on wasm32: throw the {env, val} pair (kept in env itself) as a
 * WebAssembly exception with the __c_longjmp tag; the function that
 * called the matching setjmp catches it (see sjlj.h).  Built with
 * -mexception-handling (arch.mak), and without the SjLj lowering, which
 * would rename these definitions.
 */
#include "sjlj.h"

_Noreturn void __wasm_longjmp(void *env, int val)
{
	unsigned long *jb = ((struct __jmp_buf_tag *)env)->__jb;

	jb[SJLJ_ENV] = (unsigned long)env;
	jb[SJLJ_VAL] = val ? val : 1;
	__builtin_wasm_throw(1, &jb[SJLJ_ENV]);
	__builtin_unreachable();
}

_Noreturn void longjmp(jmp_buf env, int val)
{
	__wasm_longjmp(env, val);
}

_Noreturn void _longjmp(jmp_buf env, int val)
{
	__wasm_longjmp(env, val);
}
