// SPDX-License-Identifier: GPL-2.0
/*
 * Signal frames.  User mode does not exist yet (no executable format is
 * built in), so there is no frame to return from.
 */
#include <linux/errno.h>
#include <linux/syscalls.h>

SYSCALL_DEFINE0(rt_sigreturn)
{
	return -ENOSYS;
}
