/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_PTRACE_H
#define _ASM_WASM_PTRACE_H

#include <uapi/asm/ptrace.h>

#ifndef __ASSEMBLY__

/*
 * A syscall enters the kernel as a call with the number and six arguments;
 * there are no other registers to save.  The entry code builds this frame
 * at the top of the task's kernel stack.
 */
struct pt_regs {
	unsigned long syscallno;	/* syscall number, -1 if none */
	unsigned long args[6];		/* arguments; args[0] also holds orig a0 */
	unsigned long orig_a0;
	long ret;			/* return value */
	unsigned long sp;		/* user stack pointer */
	unsigned long pc;		/* user entry point (new image) */
	unsigned long tls;		/* user thread pointer */
};

#define user_mode(regs)			((regs)->syscallno != -1UL || (regs)->pc != 0)
#define instruction_pointer(regs)	((regs)->pc)
#define user_stack_pointer(regs)	((regs)->sp)
#define profile_pc(regs)		instruction_pointer(regs)

static inline long regs_return_value(struct pt_regs *regs)
{
	return regs->ret;
}

static inline void regs_set_return_value(struct pt_regs *regs,
					 unsigned long val)
{
	regs->ret = val;
}

#define current_pt_regs()	task_pt_regs(current)

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_WASM_PTRACE_H */
