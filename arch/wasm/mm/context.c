// SPDX-License-Identifier: GPL-2.0
/*
 * User address spaces: each mm with a user image owns a linear memory in
 * the host, created by the executable loader (binfmt_wasm) and released
 * here with the mm.
 */
#include <linux/mm_types.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/host.h>
#include <asm/mmu_context.h>
#include <asm/uaccess.h>

#include "mmap.h"

int wasm_user_mm(void)
{
	struct mm_struct *mm = current->mm;

	return mm ? mm->context.id : 0;
}
EXPORT_SYMBOL(wasm_user_mm);

void destroy_context(struct mm_struct *mm)
{
	wasm_map_free_all(mm);
	if (mm->context.id > 0)
		wasm_host_mm_free(mm->context.id);
	mm->context.id = 0;
}

/*
 * fork (clone without CLONE_VM): @mm, the child's, gets a memory of its
 * own with the image and the size of @oldmm's and the same layout.  The
 * host fills the memory when the parent's user code has unwound after
 * the system call (user_fork).  On failure destroy_context() frees what
 * was made.
 */
int wasm_fork_mm(struct mm_struct *mm, struct mm_struct *oldmm)
{
	int id, ret;

	if (oldmm->context.id <= 0)
		return -EINVAL;
	mmap_read_lock(oldmm);
	id = wasm_host_mm_fork(oldmm->context.id);
	if (id < 0) {
		ret = id;
	} else {
		mm->context.id = id;
		mm->context.end_brk = oldmm->context.end_brk;
		ret = wasm_map_copy(mm, oldmm);
	}
	mmap_read_unlock(oldmm);
	return ret;
}

/* Returns the bytes copied between @buf and @addr of @mm's memory. */
int arch_access_remote_vm(struct mm_struct *mm, unsigned long addr,
			  void *buf, int len, int write)
{
	int id = mm->context.id;
	unsigned long left;

	if (id <= 0 || len <= 0 || addr < PAGE_SIZE)
		return 0;
	if (write)
		left = wasm_host_user_copy_to(id, (void __user *)addr, buf, len);
	else
		left = wasm_host_user_copy_from(id, buf,
						(const void __user *)addr, len);
	return len - left;
}
