// SPDX-License-Identifier: GPL-2.0
/*
 * System calls with 64-bit arguments.  A wasm32 system call passes seven
 * 32-bit slots; a 64-bit argument takes two consecutive slots, low word
 * first, with no alignment padding (Documentation/arch/wasm/user-abi.rst).
 * The generic entries read one slot per parameter, so these take the
 * halves and join them, as the compat entries of 64-bit kernels do.
 */
#include <linux/fs.h>
#include <linux/syscalls.h>

#define wasm_u64(lo, hi)	((loff_t)(((u64)(hi) << 32) | (lo)))

SYSCALL_DEFINE5(wasm_pread64, unsigned int, fd, char __user *, buf,
		size_t, count, u32, pos_lo, u32, pos_hi)
{
	return ksys_pread64(fd, buf, count, wasm_u64(pos_lo, pos_hi));
}

SYSCALL_DEFINE5(wasm_pwrite64, unsigned int, fd, const char __user *, buf,
		size_t, count, u32, pos_lo, u32, pos_hi)
{
	return ksys_pwrite64(fd, buf, count, wasm_u64(pos_lo, pos_hi));
}

SYSCALL_DEFINE3(wasm_truncate64, const char __user *, path, u32, len_lo,
		u32, len_hi)
{
	return ksys_truncate(path, wasm_u64(len_lo, len_hi));
}

SYSCALL_DEFINE3(wasm_ftruncate64, unsigned int, fd, u32, len_lo, u32, len_hi)
{
	return ksys_ftruncate(fd, wasm_u64(len_lo, len_hi));
}

SYSCALL_DEFINE6(wasm_fallocate, int, fd, int, mode, u32, off_lo, u32, off_hi,
		u32, len_lo, u32, len_hi)
{
	return ksys_fallocate(fd, mode, wasm_u64(off_lo, off_hi),
			      wasm_u64(len_lo, len_hi));
}

SYSCALL_DEFINE6(wasm_sync_file_range, int, fd, u32, off_lo, u32, off_hi,
		u32, nbytes_lo, u32, nbytes_hi, unsigned int, flags)
{
	return ksys_sync_file_range(fd, wasm_u64(off_lo, off_hi),
				    wasm_u64(nbytes_lo, nbytes_hi), flags);
}

SYSCALL_DEFINE4(wasm_readahead, int, fd, u32, off_lo, u32, off_hi,
		size_t, count)
{
	return ksys_readahead(fd, wasm_u64(off_lo, off_hi), count);
}

SYSCALL_DEFINE6(wasm_fadvise64_64, int, fd, u32, off_lo, u32, off_hi,
		u32, len_lo, u32, len_hi, int, advice)
{
	return ksys_fadvise64_64(fd, wasm_u64(off_lo, off_hi),
				 wasm_u64(len_lo, len_hi), advice);
}
