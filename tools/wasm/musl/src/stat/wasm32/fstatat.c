// SPDX-License-Identifier: MIT
/* fstatat on wasm32: statx is the only stat syscall. */
#define _BSD_SOURCE
#include <sys/stat.h>
#include "syscall.h"
#include "statx.h"

int fstatat(int fd, const char *restrict path, struct stat *restrict st, int flag)
{
	return __syscall_ret(__wasm_statx(fd, path, st, flag));
}

weak_alias(fstatat, fstatat64);
