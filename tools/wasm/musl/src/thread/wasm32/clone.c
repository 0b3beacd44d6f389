// SPDX-License-Identifier: MIT
/*
 * wasm32 clone.  A new task cannot continue its parent's wasm frames
 * (each task is its own host thread), so clone only starts a function:
 * __clone leaves func/arg and what the child needs to know just below
 * the new stack, and passes that address as the child's stack pointer.
 * The host starts the child by setting __stack_pointer to it and calling
 * the export __wasm_clone_start(child_sp).  This is for CLONE_VM clones:
 * fork, which continues the frames in a copy of the memory, is
 * __wasm_fork (src/process/wasm32/__wasm_fork.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include "pthread_impl.h"
#include "syscall.h"
#include "wasm_thread.h"

/*
 * Argument order of the clone syscall: the kernel's generic one,
 * clone(flags, newsp, parent_tid, child_tid, tls), as the wasm port does
 * not select CONFIG_CLONE_BACKWARDS.
 */
#define WASM_CLONE(flags, sp, ptid, tls, ctid) \
	__syscall(SYS_clone, flags, sp, ptid, ctid, tls)

int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	struct __wasm_clone_args *a;
	void *ptid = 0, *tls = 0, *ctid = 0;
	uintptr_t sp;

	/* Callers pass ptid, tls, ctid only when they use one of them. */
	if (flags & (CLONE_PARENT_SETTID | CLONE_SETTLS |
		     CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		va_list ap;
		va_start(ap, arg);
		ptid = va_arg(ap, void *);
		tls = va_arg(ap, void *);
		ctid = va_arg(ap, void *);
		va_end(ap);
	}
	if (!func || !stack)
		return -EINVAL;

	sp = ((uintptr_t)stack - sizeof *a) & -(uintptr_t)16;
	a = (void *)sp;
	a->func = func;
	a->arg = arg;
	a->flags = flags;
	if (flags & CLONE_SETTLS) {
		a->tp = tls;
		a->tls_base = 0;
	} else {
		a->tp = (void *)__wasm_get_tp();
		a->tls_base = __builtin_wasm_tls_base();
	}
	a_barrier();
	return WASM_CLONE(flags, sp, ptid, tls, ctid);
}

__attribute__((__visibility__("default")))
void __wasm_clone_start(struct __wasm_clone_args *a)
{
	int (*func)(void *) = a->func;
	void *arg = a->arg;
	int ret;

	if (a->flags & CLONE_SETTLS) {
		__set_thread_area(a->tp);
	} else {
		__wasm_set_tp(a->tp);
		if (__builtin_wasm_tls_size())
			__wasm_set_tls_base(a->tls_base);
	}
	ret = func(arg);
	for (;;) __syscall(SYS_exit, ret);
}
