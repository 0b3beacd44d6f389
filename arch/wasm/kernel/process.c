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
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <asm/host.h>
#include <asm/mmu_context.h>
#include <asm/wasm-irq.h>

#include "wasm.h"

/* The most an unwind area may hold (Documentation/arch/wasm/user-abi.rst). */
#define WASM_UNWIND_MAX		SZ_1M

/*
 * An unwind area starts with two words: where saving starts (right after
 * them) and the end of the area.
 */
static int wasm_check_unwind_area(unsigned long area)
{
	u32 __user *words = (u32 __user *)area;
	u32 pos, end;

	if (!area || !IS_ALIGNED(area, 16))
		return -EINVAL;
	if (get_user(pos, &words[0]) || get_user(end, &words[1]))
		return -EINVAL;
	if (pos != area + 8 || end <= pos || end - area > WASM_UNWIND_MAX)
		return -EINVAL;
	return 0;
}

/*
 * fork: clone without CLONE_VM.  The child gets a copy of the memory as
 * it is once the parent's user code has unwound into the unwind area
 * (clone's sixth argument) after this system call; both are rewound from
 * there.  The parent's call then returns the pid, the child's 0.
 */
static int wasm_copy_fork(struct task_struct *p,
			  const struct kernel_clone_args *args)
{
	struct pt_regs *childregs = task_pt_regs(p);
	struct pt_regs *regs = current_pt_regs();
	int ret;

	/* The parent could not wait for a child that needs it to return. */
	if (args->stack || (args->flags & CLONE_VFORK))
		return -EINVAL;
	ret = wasm_check_unwind_area(regs->args[5]);
	if (ret)
		return ret;
	ret = wasm_fork_mm(p->mm, current->mm);
	if (!ret)
		ret = wasm_fork_link(p);
	if (ret)
		return ret;
	*childregs = *regs;
	childregs->syscallno = -1UL;
	childregs->ret = 0;
	childregs->sp = wasm_host_user_sp();
	childregs->pc = WASM_USER_FORK;
	if (args->flags & CLONE_SETTLS)
		childregs->tls = args->tls;
	p->thread.rewind = 1;
	p->thread.rewind_ret = 0;
	current->thread.fork_child = p->mm->context.id;
	return 0;
}

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
		 * memory.
		 */
		if (!(args->flags & CLONE_VM))
			return wasm_copy_fork(p, args);
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
