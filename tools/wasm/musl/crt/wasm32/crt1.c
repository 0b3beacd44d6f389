// SPDX-License-Identifier: MIT
/*
 * Program entry on wasm32.  The host sets __stack_pointer to p, calls
 * __wasm_apply_data_relocs() once, then the export _start(p), where p is
 * the initial stack block: argc, argv[], NULL, envp[], NULL, auxv pairs.
 * wasm-ld synthesizes __wasm_call_ctors (there is no .init_array); calling
 * it here also stops wasm-ld from wrapping every export in ctor calls.
 *
 * clang names a C main by its parameters: main(void) is __main_void,
 * main(int, char **) is __main_argc_argv, and a three-parameter main
 * stays main.  libc supplies weak fallbacks linking the three
 * (src/env/wasm32/__main_*.c); a wrapper with the type that
 * __libc_start_main calls through keeps the indirect call well-typed.
 */
#include <features.h>

void __wasm_call_ctors(void);
int __main_argc_argv(int, char **);
int __libc_start_main(int (*)(int, char **, char **), int, char **,
	void (*)(), void (*)(), void (*)());

static int start_main(int argc, char **argv, char **envp)
{
	return __main_argc_argv(argc, argv);
}

__attribute__((__visibility__("default")))
_Noreturn void _start(long *p)
{
	int argc = p[0];
	char **argv = (void *)(p + 1);

	__wasm_call_ctors();
	__libc_start_main(start_main, argc, argv, 0, 0, 0);
	for (;;) __builtin_trap();
}
