// SPDX-License-Identifier: GPL-2.0
/*
 * Architecture-specific system calls.
 */
#include <linux/mm.h>
#include <linux/syscalls.h>

/* The generic 32-bit ABI: the offset is in 4096-byte units. */
SYSCALL_DEFINE6(mmap2, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags,
		unsigned long, fd, unsigned long, pgoff)
{
	if (pgoff & ((1UL << (PAGE_SHIFT - 12)) - 1))
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd,
			       pgoff >> (PAGE_SHIFT - 12));
}
