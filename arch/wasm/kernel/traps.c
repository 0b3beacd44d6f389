// SPDX-License-Identifier: GPL-2.0
/*
 * Code is not in linear memory and the wasm call stack cannot be walked
 * from inside: there is no stack to show.
 */
#include <linux/printk.h>
#include <linux/sched/debug.h>

void show_stack(struct task_struct *task, unsigned long *sp,
		const char *loglvl)
{
	printk("%sCall Trace: not available on wasm\n", loglvl);
}
