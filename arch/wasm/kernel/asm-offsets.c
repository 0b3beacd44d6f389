// SPDX-License-Identifier: GPL-2.0
/*
 * Offsets and sizes that the wasm assembly entry code needs.
 */
#define COMPILE_OFFSETS

#include <linux/kbuild.h>
#include <linux/sched.h>
#include <asm/ptrace.h>
#include <asm/thread_info.h>

int main(void)
{
	DEFINE(TASK_STACK, offsetof(struct task_struct, stack));
	/* Initial stack pointer: below the pt_regs at the top of the stack. */
	DEFINE(TASK_SP_OFFSET, (THREAD_SIZE - sizeof(struct pt_regs)) & ~15);
	return 0;
}
