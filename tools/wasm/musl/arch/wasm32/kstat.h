/* SPDX-License-Identifier: MIT */
/*
 * Unused: wasm32 has no fstatat/fstat syscall (no SYS_fstatat), so musl
 * only uses statx.  fstatat.c still includes this header.
 */
struct kstat {
	dev_t st_dev;
	ino_t st_ino;
	mode_t st_mode;
	nlink_t st_nlink;
	uid_t st_uid;
	gid_t st_gid;
	dev_t st_rdev;
	off_t st_size;
	blksize_t st_blksize;
	blkcnt_t st_blocks;
	long long st_atime_sec;
	long st_atime_nsec;
	long long st_mtime_sec;
	long st_mtime_nsec;
	long long st_ctime_sec;
	long st_ctime_nsec;
};
