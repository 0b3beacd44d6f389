// SPDX-License-Identifier: MIT
/*
 * vfork on wasm32.  A wasm function cannot return twice, so vfork() is a
 * macro (include/unistd.h, patch 0005):
 *
 *   setjmp(__wasm_vfork_buf()) ? __wasm_vfork_parent() : __wasm_vfork_child()
 *
 * __wasm_vfork_child() asks the kernel for a vfork child with
 * clone(CLONE_VM | CLONE_VFORK | SIGCHLD) and no stack.  The kernel makes
 * the child task and returns its pid, and from then on runs every system
 * call of this thread in the child (arch/wasm/kernel/vfork.c); the caller
 * goes on as the child.  When the child has execed or exited, the system
 * call returns WASM_VFORK_RESUME instead (syscall_arch.h), and
 * __wasm_vfork_resume() longjmps back to the setjmp (the host's, which
 * rewinds the frames it saved: src/setjmp/wasm32), where
 * __wasm_vfork_parent() returns the pid.
 *
 * The function vfork(), for callers that do not see the macro (a call
 * through a pointer), cannot run the child in its caller's frames, which
 * it returns from: it forks instead, as _Fork does (no atfork handlers,
 * as vfork on Linux), and the child has a copy of the memory.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include "pthread_impl.h"
#include "syscall.h"

#undef vfork

struct __jmp_buf_tag *__wasm_vfork_buf(void)
{
	return __pthread_self()->wasm_vfork_jb;
}

pid_t __wasm_vfork_child(void)
{
	long pid = __syscall(SYS_clone, CLONE_VM | CLONE_VFORK | SIGCHLD, 0);

	if (pid < 0)
		return __syscall_ret(pid);
	__pthread_self()->wasm_vfork_pid = pid;
	return 0;
}

pid_t __wasm_vfork_parent(void)
{
	return __pthread_self()->wasm_vfork_pid;
}

hidden _Noreturn void __wasm_vfork_resume(void)
{
	longjmp(__pthread_self()->wasm_vfork_jb, 1);
}

pid_t vfork(void)
{
	return _Fork();
}
