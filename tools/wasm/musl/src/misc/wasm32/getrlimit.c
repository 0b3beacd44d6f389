// SPDX-License-Identifier: MIT
/* wasm32 has prlimit64 only (no getrlimit/setrlimit syscalls). */
#include <sys/resource.h>
#include "syscall.h"

int getrlimit(int resource, struct rlimit *rlim)
{
	return syscall(SYS_prlimit64, 0, resource, 0, rlim);
}

weak_alias(getrlimit, getrlimit64);
