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
