// SPDX-License-Identifier: MIT
/*
 * faccessat on wasm32.  musl's generic version checks AT_EACCESS for a
 * set-id process in a forked child, and wasm32 has no fork; use the
 * kernel's faccessat2, which takes the flags itself.
 */
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include "syscall.h"

int faccessat(int fd, const char *filename, int amode, int flag)
{
	long r;

	if (!flag)
		return syscall(SYS_faccessat, fd, filename, amode);
	r = __syscall(SYS_faccessat2, fd, filename, amode, flag);
	if (r != -ENOSYS)
		return __syscall_ret(r);
	if (flag == AT_EACCESS && getuid() == geteuid() && getgid() == getegid())
		return syscall(SYS_faccessat, fd, filename, amode);
	return __syscall_ret(flag == AT_EACCESS ? -ENOSYS : -EINVAL);
}
