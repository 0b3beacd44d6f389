// SPDX-License-Identifier: MIT
/* pclose on wasm32: reap the child through waitid (no wait4 syscall). */
#include <errno.h>
#include <unistd.h>
#include "stdio_impl.h"
#include "syscall.h"
#include "../../process/wasm32/wait4_waitid.h"

int pclose(FILE *f)
{
	pid_t pid = f->pipe_pid;
	int status = 0, r;

	fclose(f);
	do r = __wait4_waitid(pid, &status, 0, 0, 0);
	while (r == -EINTR);
	if (r < 0)
		return __syscall_ret(r);
	return status;
}
