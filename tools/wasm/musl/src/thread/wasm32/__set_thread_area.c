// SPDX-License-Identifier: MIT
/*
 * wasm32: the thread pointer is a per-instance wasm global.  A thread's
 * TLS block (dtv[1], laid out by __copy_tls) is filled in by the thread
 * itself, in its own instance: wasm-ld's __wasm_init_tls copies the
 * module's TLS image (a passive data segment, not addressable memory)
 * and points this instance's __tls_base at it.  The main thread's block
 * was set up by the module's start function and is left alone.
 */
#include "pthread_impl.h"
#include "wasm_thread.h"

int __set_thread_area(void *p)
{
	pthread_t td = p;

	__wasm_set_tp(p);
	if (__builtin_wasm_tls_size() && td->dtv && td->dtv[0] &&
	    (void *)td->dtv[1] != __builtin_wasm_tls_base())
		__wasm_init_tls((void *)td->dtv[1]);
	return 0;
}
