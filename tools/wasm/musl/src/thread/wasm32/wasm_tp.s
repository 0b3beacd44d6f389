# SPDX-License-Identifier: MIT
#
# The wasm32 thread pointer.  Every thread runs in its own instance of
# the module, so a mutable wasm global is per-thread: it holds
# __pthread_self().  __wasm_set_tls_base lets a CLONE_VM child without
# CLONE_SETTLS (posix_spawn's vfork-style child) share the TLS block of
# the thread that cloned it, as it shares its thread pointer.

	.globaltype __wasm_thread_pointer, i32
	.hidden __wasm_thread_pointer
__wasm_thread_pointer:

	.globaltype __tls_base, i32

	.hidden __wasm_get_tp
	.globl __wasm_get_tp
	.type __wasm_get_tp,@function
__wasm_get_tp:
	.functype __wasm_get_tp () -> (i32)
	global.get __wasm_thread_pointer
	end_function

	.hidden __wasm_set_tp
	.globl __wasm_set_tp
	.type __wasm_set_tp,@function
__wasm_set_tp:
	.functype __wasm_set_tp (i32) -> ()
	local.get 0
	global.set __wasm_thread_pointer
	end_function

	.hidden __wasm_set_tls_base
	.globl __wasm_set_tls_base
	.type __wasm_set_tls_base,@function
__wasm_set_tls_base:
	.functype __wasm_set_tls_base (i32) -> ()
	local.get 0
	global.set __tls_base
	end_function
