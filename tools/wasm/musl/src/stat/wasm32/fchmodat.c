// SPDX-License-Identifier: MIT
/*
 * fchmodat on wasm32.  AT_SYMLINK_NOFOLLOW is what fchmodat2 exists
 * for; without it, fall back to chmod through an O_PATH descriptor's
 * /proc/self/fd link after checking it is no symlink (statx for the
 * stat calls this needs).
 */
#include <sys/stat.h>
#include <fcntl.h>
#include <errno.h>
#include "syscall.h"
#include "statx.h"

int fchmodat(int fd, const char *path, mode_t mode, int flag)
{
	struct stat st;
	char proc[15+3*sizeof(int)];
	int r, fd2;

	if (!flag)
		return syscall(SYS_fchmodat, fd, path, mode);
	r = __syscall(SYS_fchmodat2, fd, path, mode, flag);
	if (r != -ENOSYS)
		return __syscall_ret(r);
	if (flag != AT_SYMLINK_NOFOLLOW)
		return __syscall_ret(-EINVAL);

	if ((r = __wasm_statx(fd, path, &st, flag)))
		return __syscall_ret(r);
	if (S_ISLNK(st.st_mode))
		return __syscall_ret(-EOPNOTSUPP);

	fd2 = __syscall(SYS_openat, fd, path,
			O_RDONLY|O_PATH|O_NOFOLLOW|O_NOCTTY|O_CLOEXEC);
	if (fd2 < 0)
		return __syscall_ret(fd2 == -ELOOP ? -EOPNOTSUPP : fd2);
	__procfdname(proc, fd2);
	r = __wasm_statx(AT_FDCWD, proc, &st, 0);
	if (!r)
		r = S_ISLNK(st.st_mode) ? -EOPNOTSUPP :
			__syscall(SYS_fchmodat, AT_FDCWD, proc, mode);
	__syscall(SYS_close, fd2);
	return __syscall_ret(r);
}
