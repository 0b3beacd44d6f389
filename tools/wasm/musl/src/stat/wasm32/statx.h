/* SPDX-License-Identifier: MIT */
/*
 * wasm32 has statx but no stat/fstat/fstatat syscalls (the generic
 * 32-bit table keeps only the time64-clean call): every stat goes
 * through __wasm_statx, which returns 0 or -errno.
 */
#include <sys/stat.h>
#include <features.h>

hidden int __wasm_statx(int fd, const char *path, struct stat *st, int flag);
