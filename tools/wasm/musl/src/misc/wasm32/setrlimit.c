// SPDX-License-Identifier: MIT
/* wasm32: prlimit64 sets the limit for the whole process at once. */
#include <sys/resource.h>
#include "syscall.h"

int setrlimit(int resource, const struct rlimit *rlim)
{
	return syscall(SYS_prlimit64, 0, resource, rlim, 0);
}

weak_alias(setrlimit, setrlimit64);
