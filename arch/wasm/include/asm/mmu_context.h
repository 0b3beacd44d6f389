/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_MMU_CONTEXT_H
#define _ASM_WASM_MMU_CONTEXT_H

#include <linux/list.h>
#include <linux/mm_types.h>

struct task_struct;

/*
 * No MMU: a user process's memory is a linear memory of its own in the
 * host, named by mm->context.id, which every user access passes to the
 * host; the kernel has nothing to switch.
 */
static inline void switch_mm(struct mm_struct *prev, struct mm_struct *next,
			     struct task_struct *tsk)
{
}

/* A new mm (exec, or a copy for clone) has no memory until exec makes one. */
#define init_new_context init_new_context
static inline int init_new_context(struct task_struct *tsk,
				   struct mm_struct *mm)
{
	mm->context.id = 0;
	mm->context.map_start = 0;
	mm->context.map_end = 0;
	INIT_LIST_HEAD(&mm->context.map_free);
	return 0;
}

#define destroy_context destroy_context
void destroy_context(struct mm_struct *mm);

int wasm_fork_mm(struct mm_struct *mm, struct mm_struct *oldmm);

/* A range of user addresses, as the host reads it (user_fork). */
struct wasm_range {
	u32 start;
	u32 end;
};

int wasm_fork_skips(struct mm_struct *mm, unsigned long sp,
		    struct wasm_range *skip, int max);

/*
 * Another process's memory (/proc/<pid>/cmdline, ptrace) is reached
 * through the host too, not through VMAs (mm/nommu.c).
 */
#define arch_access_remote_vm arch_access_remote_vm
int arch_access_remote_vm(struct mm_struct *mm, unsigned long addr,
			  void *buf, int len, int write);

#include <asm-generic/mmu_context.h>

#endif /* _ASM_WASM_MMU_CONTEXT_H */
