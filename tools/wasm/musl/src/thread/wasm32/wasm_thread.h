/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the wasm32 thread support. */
#include <stdint.h>
#include <features.h>

hidden uintptr_t __wasm_get_tp(void);
hidden void __wasm_set_tp(void *);
hidden void __wasm_set_tls_base(void *);

/* Synthesized by wasm-ld: copy the TLS image to block, set __tls_base. */
void __wasm_init_tls(void *block);

/*
 * What __clone leaves for the child just below its stack, and what the
 * host hands to __wasm_clone_start (as its only argument and as the
 * child's initial __stack_pointer).  32 bytes, 16-byte aligned.
 */
struct __wasm_clone_args {
	int (*func)(void *);
	void *arg;
	int flags;
	void *tp;		/* thread pointer the child starts with */
	void *tls_base;		/* without CLONE_SETTLS: the parent's TLS */
	uintptr_t __pad[3];
};
