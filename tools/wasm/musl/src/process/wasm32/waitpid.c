// SPDX-License-Identifier: MIT
#include <sys/wait.h>
#include "syscall.h"
#include "wait4_waitid.h"

pid_t waitpid(pid_t pid, int *status, int options)
{
	return __syscall_ret(__wait4_waitid(pid, status, options, 0, 1));
}
