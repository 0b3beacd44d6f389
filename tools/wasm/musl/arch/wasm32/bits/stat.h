/* SPDX-License-Identifier: MIT */
/*
 * wasm32 has no stat/fstat/fstatat syscalls, only statx: musl fills this
 * structure field by field, so its layout is ours (64-bit times from the
 * start, no kernel layout to mirror).
 */
struct stat {
	dev_t st_dev;
	ino_t st_ino;
	mode_t st_mode;
	nlink_t st_nlink;
	uid_t st_uid;
	gid_t st_gid;
	dev_t st_rdev;
	off_t st_size;
	blksize_t st_blksize;
	int __st_pad0;
	blkcnt_t st_blocks;
	struct timespec st_atim;
	struct timespec st_mtim;
	struct timespec st_ctim;
	unsigned __unused[2];
};
