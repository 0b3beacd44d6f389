/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_PROCESSOR_H
#define _ASM_WASM_PROCESSOR_H

#include <linux/compiler.h>
#include <asm/ptrace.h>

/* User memory is a separate linear memory per process: all of 32 bits. */
#define TASK_SIZE		0xfffff000UL
#define TASK_UNMAPPED_BASE	0UL
#define STACK_TOP		TASK_SIZE
#define STACK_TOP_MAX		STACK_TOP

#ifndef __ASSEMBLY__

struct task_struct;

/*
 * Every task runs on a host thread of its own.  A task that is switched
 * out sleeps in memory.atomic.wait32 on @run until the task switching to
 * it stores 1 and notifies (arch/wasm/kernel/switch.rs).
 */
struct wasm_vfork;
struct wasm_fork;

struct thread_struct {
	u32 run;			/* 1: this task owns its CPU */
	u32 started;			/* host thread exists */
	struct task_struct *prev;	/* task that switched to this one */
	unsigned long kthread_fn;	/* kernel thread function, or 0 */
	unsigned long kthread_arg;
	u32 enter_user;			/* exec done: start the new image */
	struct wasm_vfork *vfork;	/* the vfork child this thread acts for */
	int fork_child;			/* memory of the child forked by this call */
	struct wasm_fork *fork;		/* parent: the copy the child waits for */
	struct wasm_fork *fork_wait;	/* child: the same, until it is made */
	u32 rewind;			/* next system call is the rewound one */
	long rewind_ret;		/* ... and returns this */
};

#define INIT_THREAD { .run = 1, .started = 1 }

/* No "pause" in wasm: there is nothing better to do than re-read. */
static inline void cpu_relax(void)
{
	barrier();
}

#define task_pt_regs(p) \
	((struct pt_regs *)(task_stack_page(p) + THREAD_SIZE) - 1)

#define KSTK_EIP(tsk)		(task_pt_regs(tsk)->pc)
#define KSTK_ESP(tsk)		(task_pt_regs(tsk)->sp)

unsigned long __get_wchan(struct task_struct *p);

void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp);

#define HAVE_ARCH_PICK_MMAP_LAYOUT

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_WASM_PROCESSOR_H */
