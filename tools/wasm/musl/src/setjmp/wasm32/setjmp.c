// SPDX-License-Identifier: MIT
/*
 * setjmp on wasm32.  No wasm call returns twice, so the host does it
 * (host-abi.rst, "Unwinding user code"): linux.setjmp(env, area) unwinds
 * the caller's frames (instrumented by the Asyncify step of
 * wasm-linux-cc) into this thread's unwind area, keeps a copy keyed
 * by env, rewinds and returns 0.  A later longjmp(env, val) puts the
 * copy back and rewinds again: the import, and so setjmp, returns val.
 * Locals of the callers have their values as of the setjmp, unless they
 * are volatile, as C allows.  In a program built with -mno-fork
 * (no Asyncify), the host returns 0 once without saving.
 */
#include <setjmp.h>
#include "wasm_unwind.h"

__attribute__((__import_module__("linux"), __import_name__("setjmp")))
__attribute__((__returns_twice__))
int __wasm_setjmp_host(void *env, struct wasm_unwind_area *area);

int setjmp(jmp_buf env)
{
	volatile char here;

	return __wasm_setjmp_host(env, __wasm_unwind_area((const void *)&here));
}

weak_alias(setjmp, _setjmp);
