// SPDX-License-Identifier: GPL-2.0
/*
 * Code is not in linear memory and the wasm call stack cannot be walked
 * from inside: there is no stack to show.
 */
#include <linux/printk.h>
#include <linux/sched/debug.h>
#include <asm/ptrace.h>

void show_stack(struct task_struct *task, unsigned long *sp,
		const char *loglvl)
{
	printk("%sCall Trace: not available on wasm\n", loglvl);
}

void show_regs(struct pt_regs *regs)
{
	show_regs_print_info(KERN_DEFAULT);
	pr_info("syscall %ld (%lx, %lx, %lx, %lx, %lx, %lx) ret %ld\n",
		(long)regs->syscallno, regs->args[0], regs->args[1],
		regs->args[2], regs->args[3], regs->args[4], regs->args[5],
		regs->ret);
	pr_info("user sp %08lx pc %08lx tls %08lx\n", regs->sp, regs->pc,
		regs->tls);
}
