// SPDX-License-Identifier: MIT
/*
 * A detached thread frees its own stack and exits.  wasm keeps locals
 * and the call stack outside linear memory, and this function needs no
 * shadow-stack frame, so it can make both syscalls after the stack is
 * gone without switching stacks.
 */
#include "pthread_impl.h"
#include "syscall.h"

void __unmapself(void *base, size_t size)
{
	__wasm_syscall(SYS_munmap, (long)base, (long)size, 0, 0, 0, 0);
	for (;;) __wasm_syscall(SYS_exit, 0, 0, 0, 0, 0, 0);
}
