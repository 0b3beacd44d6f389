// SPDX-License-Identifier: GPL-2.0
/*
 * User address spaces: each mm with a user image owns a linear memory in
 * the host, created by the executable loader (binfmt_wasm) and released
 * here with the mm.
 */
#include <linux/mm_types.h>
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
