// SPDX-License-Identifier: GPL-2.0
/*
 * Signal delivery.
 *
 * A handler runs when its task returns to user mode from a system call:
 * the kernel writes the frame (siginfo and ucontext) below the user's
 * stack pointer, and the host calls the handler through the user
 * module's __wasm_signal export on that stack, nested in the system call.
 * When it returns, the kernel restores the signal mask from the frame, as
 * rt_sigreturn does elsewhere, and the system call returns (or restarts).
 * So there is no return trampoline and rt_sigreturn is not used.
 *
 * User code that makes no system call enters the kernel through the
 * host's preemption tick (wasm_user_preempt, syscall.c), and its signals
 * are delivered there in the same way.
 */
#include <linux/errno.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <asm/host.h>
#include <asm/ucontext.h>
#include <asm/unistd.h>

#include "wasm.h"

struct rt_sigframe {
	struct siginfo info;
	struct ucontext uc;
};

/* Room kept between live kernel frames and a nested system call. */
#define WASM_NESTED_ENTRY_GAP	64

SYSCALL_DEFINE0(rt_sigreturn)
{
	/* Handlers return to the kernel directly; see above. */
	return -ENOSYS;
}

static int wasm_setup_frame(struct ksignal *ksig, struct pt_regs *regs,
			    unsigned long *frame_addr, unsigned long *sp)
{
	struct rt_sigframe __user *frame;
	unsigned long usp = wasm_host_user_sp();
	int err = 0;

	usp = sigsp(usp, ksig);
	frame = (struct rt_sigframe __user *)((usp - sizeof(*frame)) & ~15UL);
	if (!access_ok(frame, sizeof(*frame)))
		return -EFAULT;
	if (ksig->ka.sa.sa_flags & SA_SIGINFO)
		err |= copy_siginfo_to_user(&frame->info, &ksig->info);
	err |= __put_user(0, &frame->uc.uc_flags);
	err |= __put_user(NULL, &frame->uc.uc_link);
	err |= __save_altstack(&frame->uc.uc_stack, usp);
	err |= __copy_to_user(&frame->uc.uc_mcontext.regs, regs,
			      sizeof(frame->uc.uc_mcontext.regs));
	err |= __copy_to_user(&frame->uc.uc_sigmask, sigmask_to_save(),
			      sizeof(sigset_t));
	if (err)
		return -EFAULT;
	*frame_addr = (unsigned long)frame;
	*sp = (unsigned long)frame & ~15UL;
	return 0;
}

/* Runs the handler of @ksig now, in user mode, nested in this syscall. */
static void wasm_handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	struct pt_regs saved = *regs;
	struct rt_sigframe __user *frame;
	unsigned long addr, sp, entry_sp;
	sigset_t set;
	int ret;

	ret = wasm_setup_frame(ksig, regs, &addr, &sp);
	signal_setup_done(ret, ksig, 0);
	if (ret)
		return;
	frame = (struct rt_sigframe __user *)addr;

	/* A system call made by the handler starts below these frames. */
	entry_sp = wasm_entry_sp_swap((wasm_stack_pointer() -
				       WASM_NESTED_ENTRY_GAP) & ~15UL);
	ret = wasm_host_user_signal((unsigned long)ksig->ka.sa.sa_handler,
				    ksig->sig, (unsigned long)&frame->info,
				    (unsigned long)&frame->uc,
				    !!(ksig->ka.sa.sa_flags & SA_SIGINFO), sp);
	wasm_entry_sp_swap(entry_sp);
	*regs = saved;
	if (ret) {
		/* The image has no __wasm_signal export: it cannot take one. */
		force_sigsegv(ksig->sig);
		return;
	}

	if (copy_from_user(&set, &frame->uc.uc_sigmask, sizeof(set))) {
		force_sig(SIGSEGV);
		return;
	}
	set_current_blocked(&set);
	restore_altstack(&frame->uc.uc_stack);
}

bool wasm_do_signal(struct pt_regs *regs)
{
	bool in_syscall = regs->syscallno != -1UL;
	bool restart = false;
	struct ksignal ksig;

	if (get_signal(&ksig)) {
		if (in_syscall) {
			switch (regs->ret) {
			case -ERESTART_RESTARTBLOCK:
			case -ERESTARTNOHAND:
				regs->ret = -EINTR;
				break;
			case -ERESTARTSYS:
				if (!(ksig.ka.sa.sa_flags & SA_RESTART)) {
					regs->ret = -EINTR;
					break;
				}
				fallthrough;
			case -ERESTARTNOINTR:
				restart = true;
				break;
			}
		}
		wasm_handle_signal(&ksig, regs);
	} else if (in_syscall) {
		switch (regs->ret) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
			restart = true;
			break;
		case -ERESTART_RESTARTBLOCK:
			regs->syscallno = __NR_restart_syscall;
			restart = true;
			break;
		}
		restore_saved_sigmask();
	}
	if (restart)
		regs->args[0] = regs->orig_a0;
	return restart;
}
