// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall table: every entry has the one type syscall_fn_t, as wasm
 * checks the signature of indirect calls.
 */
#include <linux/syscalls.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#define __SYSCALL_WITH_COMPAT(nr, native, compat) __SYSCALL(nr, native)

#undef __SYSCALL
#define __SYSCALL(nr, call)	long __wasm_##call(const struct pt_regs *);
#include <asm/syscall_table_32.h>

asmlinkage long sys_ni_syscall(void);

long __wasm_sys_ni_syscall(const struct pt_regs *__unused)
{
	return sys_ni_syscall();
}

/* Mappings live in the process memory: arch/wasm/mm/mmap.c. */
long __wasm_sys_wasm_munmap(const struct pt_regs *regs);
long __wasm_sys_wasm_mremap(const struct pt_regs *regs);

/* 64-bit arguments in two slots: sys_wasm.c. */
long __wasm_sys_wasm_pread64(const struct pt_regs *regs);
long __wasm_sys_wasm_pwrite64(const struct pt_regs *regs);
long __wasm_sys_wasm_truncate64(const struct pt_regs *regs);
long __wasm_sys_wasm_ftruncate64(const struct pt_regs *regs);
long __wasm_sys_wasm_fallocate(const struct pt_regs *regs);
long __wasm_sys_wasm_sync_file_range(const struct pt_regs *regs);
long __wasm_sys_wasm_readahead(const struct pt_regs *regs);
long __wasm_sys_wasm_fadvise64_64(const struct pt_regs *regs);

#undef __SYSCALL
#define __SYSCALL(nr, call)	[nr] = __wasm_##call,

const syscall_fn_t sys_call_table[__NR_syscalls] = {
	[0 ... __NR_syscalls - 1] = __wasm_sys_ni_syscall,
#include <asm/syscall_table_32.h>
	[__NR_munmap] = __wasm_sys_wasm_munmap,
	[__NR_mremap] = __wasm_sys_wasm_mremap,
	[__NR_pread64] = __wasm_sys_wasm_pread64,
	[__NR_pwrite64] = __wasm_sys_wasm_pwrite64,
	[__NR_truncate64] = __wasm_sys_wasm_truncate64,
	[__NR_ftruncate64] = __wasm_sys_wasm_ftruncate64,
	[__NR_fallocate] = __wasm_sys_wasm_fallocate,
	[__NR_sync_file_range] = __wasm_sys_wasm_sync_file_range,
	[__NR_readahead] = __wasm_sys_wasm_readahead,
	[__NR_fadvise64_64] = __wasm_sys_wasm_fadvise64_64,
};
