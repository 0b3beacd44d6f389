// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <sys/wait.h>
#include <sys/resource.h>
#include "syscall.h"
#include "../../process/wasm32/wait4_waitid.h"

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return __syscall_ret(__wait4_waitid(pid, status, options, ru, 0));
}
