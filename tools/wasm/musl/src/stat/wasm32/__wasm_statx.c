// SPDX-License-Identifier: MIT
#define _BSD_SOURCE
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdint.h>
#include "syscall.h"
#include "statx.h"

/* The kernel's struct statx (256 bytes). */
struct kstatx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, __pad1;
	uint64_t ino, size, blocks, attributes_mask;
	struct { int64_t sec; uint32_t nsec; int32_t __pad; }
		atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t __spare[14];
};

#define STATX_BASIC_STATS_MASK 0x7ffU

hidden int __wasm_statx(int fd, const char *path, struct stat *st, int flag)
{
	struct kstatx x;
	int r = __syscall(SYS_statx, fd, path, flag, STATX_BASIC_STATS_MASK, &x);

	if (r)
		return r;
	*st = (struct stat){
		.st_dev = makedev(x.dev_major, x.dev_minor),
		.st_ino = x.ino,
		.st_mode = x.mode,
		.st_nlink = x.nlink,
		.st_uid = x.uid,
		.st_gid = x.gid,
		.st_rdev = makedev(x.rdev_major, x.rdev_minor),
		.st_size = x.size,
		.st_blksize = x.blksize,
		.st_blocks = x.blocks,
		.st_atim = { .tv_sec = x.atime.sec, .tv_nsec = x.atime.nsec },
		.st_mtim = { .tv_sec = x.mtime.sec, .tv_nsec = x.mtime.nsec },
		.st_ctim = { .tv_sec = x.ctime.sec, .tv_nsec = x.ctime.nsec },
	};
	return 0;
}
