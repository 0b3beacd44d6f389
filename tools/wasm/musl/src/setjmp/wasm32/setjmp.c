// SPDX-License-Identifier: MIT
/*
 * setjmp on wasm32.  Programs built with -mllvm -wasm-enable-sjlj (the
 * wasm-linux-cc default) never call these: the compiler turns each
 * setjmp call into __wasm_setjmp.  The plain setjmp/_setjmp functions
 * only serve code built without that lowering, or calls through a
 * pointer: they return 0 once and a later longjmp to them cannot be
 * caught, so it ends the program with an uncaught exception (a trap).
 */
#include <stdint.h>
#include "sjlj.h"

void __wasm_setjmp(void *env, uint32_t label, void *invocation_id)
{
	unsigned long *jb = ((struct __jmp_buf_tag *)env)->__jb;

	jb[SJLJ_ID] = (unsigned long)invocation_id;
	jb[SJLJ_LABEL] = label;
}

uint32_t __wasm_setjmp_test(void *env, void *invocation_id)
{
	unsigned long *jb = ((struct __jmp_buf_tag *)env)->__jb;

	if (jb[SJLJ_ID] != (unsigned long)invocation_id)
		return 0;
	return jb[SJLJ_LABEL];
}

int (setjmp)(jmp_buf env)
{
	env->__jb[SJLJ_ID] = 0;
	env->__jb[SJLJ_LABEL] = 0;
	return 0;
}

int (_setjmp)(jmp_buf env)
{
	return (setjmp)(env);
}
