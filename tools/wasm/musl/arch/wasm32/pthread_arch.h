/* SPDX-License-Identifier: MIT */
/*
 * Each wasm32 thread runs in its own instance of the module, so a mutable
 * wasm global is per-thread storage: the thread pointer lives in
 * __wasm_thread_pointer (src/thread/wasm32/wasm_tp.s).  TLS is separate:
 * wasm-ld's __tls_base global, set by __wasm_init_tls().
 */
hidden uintptr_t __wasm_get_tp(void);

static inline uintptr_t __get_tp()
{
	return __wasm_get_tp();
}

/* Not used on wasm32 (see the patched cancel_handler), but it must name
 * a member of the GNU mcontext_t for pthread_cancel.c to compile. */
#define MC_PC regs.pc
