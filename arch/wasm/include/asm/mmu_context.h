/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_MMU_CONTEXT_H
#define _ASM_WASM_MMU_CONTEXT_H

struct mm_struct;
struct task_struct;

/*
 * No MMU: a user process's memory is its own wasm memory, which the host
 * attaches to the process's threads; the kernel has nothing to switch.
 */
static inline void switch_mm(struct mm_struct *prev, struct mm_struct *next,
			     struct task_struct *tsk)
{
}

#include <asm-generic/mmu_context.h>

#endif /* _ASM_WASM_MMU_CONTEXT_H */
