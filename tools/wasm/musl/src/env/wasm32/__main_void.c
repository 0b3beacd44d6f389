// SPDX-License-Identifier: MIT
/*
 * Used when the program defines neither main(void) (__main_void) nor
 * main(int, char **) (__main_argc_argv): main(int, char **, char **).
 */
#include <features.h>
#include "main_args.h"

extern char **__environ;
int main(int, char **, char **);

weak int __main_void(void)
{
	return main(__wasm_main_argc, __wasm_main_argv, __environ);
}
