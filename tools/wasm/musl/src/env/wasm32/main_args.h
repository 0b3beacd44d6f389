/* SPDX-License-Identifier: MIT */
#include <features.h>

hidden extern int __wasm_main_argc;
hidden extern char **__wasm_main_argv;
