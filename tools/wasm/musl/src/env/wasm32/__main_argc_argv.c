// SPDX-License-Identifier: MIT
/*
 * Used when the program's main is not main(int, char **), which clang
 * would have emitted as __main_argc_argv: hand over to __main_void
 * (main(void)), or to main(int, char **, char **) through the fallback
 * __main_void in __main_void.c.
 */
#include <features.h>
#include "main_args.h"

int __main_void(void);

hidden int __wasm_main_argc;
hidden char **__wasm_main_argv;

weak int __main_argc_argv(int argc, char **argv)
{
	__wasm_main_argc = argc;
	__wasm_main_argv = argv;
	return __main_void();
}
