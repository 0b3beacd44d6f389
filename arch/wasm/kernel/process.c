// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks: creation, the first run of a task on its own host thread, idle.
 * The switch itself is in switch.rs.
 */
#include <linux/cpu.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <asm/host.h>
#include <asm/wasm-irq.h>

#include "wasm.h"

int copy_thread(struct task_struct *p, const struct kernel_clone_args *args)
{
	struct pt_regs *childregs = task_pt_regs(p);

	memset(&p->thread, 0, sizeof(p->thread));
	if (unlikely(args->fn)) {
		/* Kernel thread, or a user thread's kernel part. */
		memset(childregs, 0, sizeof(*childregs));
		childregs->syscallno = -1UL;
		p->thread.kthread_fn = (unsigned long)args->fn;
		p->thread.kthread_arg = (unsigned long)args->fn_arg;
	} else {
		/*
		 * A user clone.  Its host thread cannot continue the parent's
		 * wasm frames: it starts afresh in user code on the new stack
		 * (libc left the function to run there), in the parent's
		 * memory.  Without CLONE_VM (fork) there is no copy of the
		 * memory to run in yet.
		 */
		if (!(args->flags & CLONE_VM))
			return -ENOSYS;
		if (!args->stack)
			return -EINVAL;
		*childregs = *current_pt_regs();
		childregs->syscallno = -1UL;
		childregs->ret = 0;
		childregs->sp = args->stack;
		childregs->pc = WASM_USER_CLONE;
		if (args->flags & CLONE_SETTLS)
			childregs->tls = args->tls;
	}
	return 0;
}

/*
 * The first code a new task runs, on its new host thread (entry.S), with
 * the runqueue lock still held by the switch that started it.
 */
void wasm_task_entry(void)
{
	struct task_struct *prev = current->thread.prev;
	int (*fn)(void *) = (int (*)(void *))current->thread.kthread_fn;

	schedule_tail(prev);
	if (fn)
		fn((void *)current->thread.kthread_arg);

	/*
	 * A kernel thread that returns became a user process through
	 * kernel_execve(); a user clone child starts here.
	 */
	wasm_return_to_user();
}

void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->syscallno = -1UL;
	regs->pc = WASM_USER_EXEC;
	regs->sp = sp;
	current->thread.enter_user = 1;
}

void flush_thread(void)
{
}

unsigned long __get_wchan(struct task_struct *p)
{
	return 0;
}

/*
 * Sleep until an interrupt is pending or this CPU's timer expires.  Called
 * and returning with interrupts disabled; the idle loop enables them,
 * which takes what is pending.
 */
void arch_cpu_idle(void)
{
	wasm_wait_for_irq(wasm_timer_timeout_ns());
}
