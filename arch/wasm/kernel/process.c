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
#include <asm/wasm-irq.h>

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
		*childregs = *current_pt_regs();
		childregs->ret = 0;
		if (args->stack)
			childregs->sp = args->stack;
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
	 * kernel_execve().  Running user code needs the WebAssembly
	 * executable format, which this kernel does not have yet.
	 */
	pr_err("%s[%d]: user mode is not supported yet\n", current->comm,
	       current->pid);
	do_exit(SIGKILL);
}

void start_thread(struct pt_regs *regs, unsigned long pc, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->syscallno = -1UL;
	regs->pc = pc;
	regs->sp = sp;
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
