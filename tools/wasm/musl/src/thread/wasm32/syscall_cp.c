// SPDX-License-Identifier: MIT
/*
 * wasm32 cancellable syscalls.  There is no assembly window
 * (__cp_begin..__cp_end) whose PC a signal handler could test; instead a
 * thread-local flag says "inside a cancellable syscall", which the
 * SIGCANCEL handler reads (see patches/0003).  The flag is raised before
 * the last test of the cancel request, so a request is never lost in
 * between: either this test or the handler sees it.
 */
#include "pthread_impl.h"
#include "syscall.h"

hidden long __cancel();

static _Thread_local volatile int in_cp;

hidden int __wasm_cp_active(void)
{
	return in_cp;
}

hidden long __syscall_cp_asm(volatile int *cancel, syscall_arg_t nr,
			     syscall_arg_t u, syscall_arg_t v, syscall_arg_t w,
			     syscall_arg_t x, syscall_arg_t y, syscall_arg_t z)
{
	int outer = in_cp;
	long r;

	in_cp = 1;
	a_barrier();
	if (*cancel) {
		in_cp = outer;
		return __cancel();
	}
	r = __wasm_syscall(nr, u, v, w, x, y, z);
	in_cp = outer;
	return r;
}
