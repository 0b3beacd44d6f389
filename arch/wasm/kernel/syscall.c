// SPDX-License-Identifier: GPL-2.0
/*
 * User mode: system call entry and exit, entering a new image, traps.
 *
 * User code runs in a module of its own over the process memory, on the
 * host thread of its task.  It enters the kernel only through the
 * wasm_syscall export (entry.S), which the host binds straight to the
 * module's syscall import, and returns to user mode by returning from it.
 * A task enters user code from the host: after exec, and when a clone
 * child starts; the kernel asks for that with the user_enter import,
 * which unwinds the thread back to the host.
 */
#include <linux/resume_user_mode.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/syscalls.h>
#include <asm/host.h>
#include <asm/mmu_context.h>
#include <asm/syscall.h>
#include <asm/uaccess.h>

#include "wasm.h"

#define WASM_EXIT_WORK	(_TIF_NEED_RESCHED | _TIF_SIGPENDING |		\
			 _TIF_NOTIFY_SIGNAL | _TIF_NOTIFY_RESUME)

void wasm_syscall_dispatch(struct pt_regs *regs)
{
	unsigned long nr = regs->syscallno;

	if (unlikely(wasm_vfork_wanted(regs)))
		regs->ret = wasm_vfork_start(regs);
	else if (nr < __NR_syscalls)
		regs->ret = sys_call_table[nr](regs);
	else
		regs->ret = -ENOSYS;
}

/*
 * Before user code runs again: reschedule, deliver signals, run task work.
 * Returns true if the interrupted system call must run again.
 */
static bool wasm_exit_to_user(struct pt_regs *regs)
{
	unsigned long flags;
	bool restart = false;

	for (;;) {
		local_irq_disable();
		flags = read_thread_flags();
		if (!(flags & WASM_EXIT_WORK))
			break;
		local_irq_enable();
		if (flags & _TIF_NEED_RESCHED)
			schedule();
		if (flags & (_TIF_SIGPENDING | _TIF_NOTIFY_SIGNAL))
			restart |= wasm_do_signal(regs);
		if (flags & _TIF_NOTIFY_RESUME)
			resume_user_mode_work(regs);
	}
	local_irq_enable();
	return restart;
}

/* Leaves the kernel for the image or clone start recorded in @regs. */
static void __noreturn wasm_enter_user(struct pt_regs *regs)
{
	current->thread.enter_user = 0;
	regs->syscallno = -1UL;
	wasm_entry_sp_reset();
	wasm_host_user_enter(wasm_user_mm(), regs->pc, regs->sp);
}

/* The way back to user mode of a task that starts or returns from exec. */
void wasm_return_to_user(void)
{
	struct pt_regs *regs = current_pt_regs();

	/*
	 * A fork child sleeps until its parent's copy is made; its signals
	 * wait for the first return to user mode after the rewind, as there
	 * is no user code to run a handler in before.
	 */
	if (regs->pc == WASM_USER_FORK) {
		if (!wasm_fork_wait())
			do_exit(SIGKILL);
	} else {
		wasm_exit_to_user(regs);
	}
	if (!current->mm || wasm_user_mm() <= 0)
		do_exit(SIGKILL);
	wasm_enter_user(regs);
}

/*
 * The end of a fork's system call in the parent: the host unwinds the
 * user code, copies the memory for the child and rewinds; the call comes
 * back to wasm_do_syscall, which then returns the pid.
 */
/* Ranges a fork's copy leaves out: the stack gap and free ranges. */
#define WASM_FORK_SKIPS		16

static void wasm_fork_return(struct pt_regs *regs)
{
	struct wasm_range skip[WASM_FORK_SKIPS];
	int child = current->thread.fork_child;
	int n;

	current->thread.fork_child = 0;
	/* A clone that failed after copy_thread() freed the child's mm. */
	if (regs->syscallno != __NR_clone || (long)regs->ret <= 0) {
		wasm_fork_done(current, false);
		return;
	}
	current->thread.rewind = 1;
	current->thread.rewind_ret = regs->ret;
	n = wasm_fork_skips(current->mm, wasm_host_user_sp(), skip,
			    ARRAY_SIZE(skip));
	wasm_host_user_fork(child, regs->args[5], skip, n);
}

long wasm_do_syscall(unsigned long nr, unsigned long a0, unsigned long a1,
		     unsigned long a2, unsigned long a3, unsigned long a4,
		     unsigned long a5)
{
	struct pt_regs *regs = current_pt_regs();

	/* The call that forked, once more as the host rewinds: its result. */
	if (unlikely(current->thread.rewind)) {
		current->thread.rewind = 0;
		/* A parent is back: its child's copy is made. */
		wasm_fork_done(current, true);
		wasm_host_user_rewound();
		return current->thread.rewind_ret;
	}

	regs->syscallno = nr;
	regs->orig_a0 = a0;
	regs->args[0] = a0;
	regs->args[1] = a1;
	regs->args[2] = a2;
	regs->args[3] = a3;
	regs->args[4] = a4;
	regs->args[5] = a5;
	/* User mode runs with interrupts on: take what is pending. */
	local_irq_enable();

	if (unlikely(current->thread.vfork)) {
		/* The parent stays in vfork while its child lives on. */
		if (wasm_vfork_call(regs))
			return regs->ret;
		wasm_exit_to_user(regs);
	} else {
		do {
			wasm_syscall_dispatch(regs);
		} while (wasm_exit_to_user(regs));
	}

	if (current->thread.enter_user)
		wasm_enter_user(regs);
	if (unlikely(current->thread.fork_child))
		wasm_fork_return(regs);
	regs->syscallno = -1UL;
	return regs->ret;
}

/*
 * The host interrupted user code that ran for a tick (wasm_user_preempt):
 * what an interrupt taken in user mode does on return.  Without it a loop
 * that makes no system call would hold its CPU forever and could not be
 * killed.  The user code may be a signal handler nested in a system call,
 * whose registers are kept.
 */
void wasm_do_user_preempt(void)
{
	struct pt_regs *regs = current_pt_regs();
	struct pt_regs saved = *regs;

	regs->syscallno = -1UL;
	/* The tick taken now charges user time (top, times(), getrusage). */
	__this_cpu_write(wasm_irq_from_user, true);
	local_irq_enable();
	__this_cpu_write(wasm_irq_from_user, false);
	if (unlikely(current->thread.vfork)) {
		/* The code is a vfork child's: the parent takes no signals. */
		if (need_resched())
			schedule();
	} else {
		wasm_exit_to_user(regs);
	}
	*regs = saved;
}

/*
 * User code trapped (out-of-bounds access, unreachable, a bad indirect
 * call): it cannot resume, so the signal is fatal whatever the handler.
 */
void wasm_do_user_trap(int sig)
{
	if (sig <= 0 || sig >= _NSIG)
		sig = SIGSEGV;
	local_irq_enable();
	wasm_vfork_trap(sig);
	force_fatal_sig(sig);
	wasm_exit_to_user(current_pt_regs());
	do_exit(sig);
}
