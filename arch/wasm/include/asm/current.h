/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_CURRENT_H
#define _ASM_WASM_CURRENT_H

#ifndef __ASSEMBLY__
#include <asm/wasm-global.h>

struct task_struct;

/*
 * Each task runs on a host thread of its own, in its own instance, so the
 * current task is fixed for the life of the instance and set once at entry.
 */
static __always_inline struct task_struct *get_current(void)
{
	return (struct task_struct *)WASM_GLOBAL_GET(__wasm_current_task);
}

#define current get_current()

#endif /* __ASSEMBLY__ */
#endif /* _ASM_WASM_CURRENT_H */
