// SPDX-License-Identifier: MIT
/*
 * The system call of fork on wasm32, for _Fork (patches/0006): clone
 * without CLONE_VM and without a stack, the sixth argument the unwind
 * area the host unwinds this thread's frames into (user-abi.rst, "fork").
 * The host copies the memory, the area with it, and rewinds both tasks
 * from it: the call returns the child's pid here and 0 in the child, on
 * a thread of its own and in new instances.  Only memory and the stack
 * pointer carry over, so the child sets the thread pointer and the TLS
 * base again, from the locals the rewind restored.
 */
#include <signal.h>
#include "syscall.h"
#include "wasm_unwind.h"
#include "../../thread/wasm32/wasm_thread.h"

hidden long __wasm_fork(void)
{
	volatile char here;
	void *tp = (void *)__wasm_get_tp();
	void *tls_base = __builtin_wasm_tls_base();
	long ret;

	ret = __syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0,
			(long)__wasm_unwind_area((const void *)&here));
	if (ret == 0) {
		__wasm_set_tp(tp);
		if (__builtin_wasm_tls_size())
			__wasm_set_tls_base(tls_base);
	}
	return ret;
}
