// SPDX-License-Identifier: MIT
/*
 * longjmp on wasm32: the host drops the frames above, puts back what
 * setjmp(env) saved and rewinds to it, where setjmp returns val (see
 * setjmp.c).  It does not return; a longjmp to an env this thread did
 * not save kills the process.
 */
#include <setjmp.h>

__attribute__((__import_module__("linux"), __import_name__("longjmp")))
void __wasm_longjmp_host(void *env, int val);

_Noreturn void longjmp(jmp_buf env, int val)
{
	__wasm_longjmp_host(env, val ? val : 1);
	__builtin_unreachable();
}

weak_alias(longjmp, _longjmp);
