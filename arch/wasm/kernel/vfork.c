// SPDX-License-Identifier: GPL-2.0
/*
 * vfork: the child borrows its parent's host thread.
 *
 * A vfork child runs on its parent's stack, in the parent's frames, until
 * it calls execve or _exit.  A wasm thread cannot return twice from a
 * call, and the new task's host thread cannot continue the parent's wasm
 * frames.  So the C library runs the child's code on the parent's thread
 * after a setjmp (Documentation/arch/wasm/user-abi.rst), and the kernel
 * makes that thread act for the child: clone(CLONE_VM | CLONE_VFORK) with
 * no stack creates the child task, which waits in the kernel, and returns
 * the child's pid to the thread; from then on every system call the thread
 * makes runs in the child task, on the child's host thread.  When the
 * child execs (its new image starts on its own thread) or exits, the call
 * returns WASM_VFORK_RESUME on the parent's thread instead, and the C
 * library longjmps back to vfork(), which returns the pid in the parent.
 *
 * The parent stays in vfork meanwhile: signals to it wait until the child
 * is gone, and a parent killed in that time kills the child, which has no
 * other way to run user code.  The child takes fatal signals; a signal it
 * would handle stays pending until it execs, and interrupted calls return
 * -EINTR.
 */
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "wasm.h"

enum wasm_vfork_state {
	WASM_VFORK_IDLE,	/* the child waits for a call */
	WASM_VFORK_CALL,	/* the parent's thread made one */
	WASM_VFORK_RETURN,	/* the child returned from it */
	WASM_VFORK_GONE,	/* the child execed or exits */
};

/* What a parent's thread and the child it acts for share. */
struct wasm_vfork {
	refcount_t ref;
	wait_queue_head_t wq;
	enum wasm_vfork_state state;
	struct pid *pid;	/* the child's */
	unsigned long nr;
	unsigned long args[6];
	long ret;
};

static void wasm_vfork_put(struct wasm_vfork *v)
{
	if (refcount_dec_and_test(&v->ref)) {
		put_pid(v->pid);
		kfree(v);
	}
}

static void wasm_vfork_set(struct wasm_vfork *v, enum wasm_vfork_state state)
{
	/* The call or its result is written: pairs with the acquires. */
	smp_store_release(&v->state, state);
	wake_up_all(&v->wq);
}

/* Whether @regs ask for a vfork: CLONE_VM | CLONE_VFORK without a stack. */
bool wasm_vfork_wanted(const struct pt_regs *regs)
{
	unsigned long want = CLONE_VM | CLONE_VFORK;

	return regs->syscallno == __NR_clone &&
	       (regs->args[0] & want) == want && !regs->args[1];
}

/*
 * The child: runs the calls of its parent's thread until it execs, then
 * starts its image; or until it exits.
 */
static int wasm_vfork_serve(void *arg)
{
	struct pt_regs *regs = current_pt_regs();
	struct wasm_vfork *v = arg;

	for (;;) {
		/* Pairs with wasm_vfork_set(): the call is written. */
		if (wait_event_killable(v->wq, smp_load_acquire(&v->state) ==
					WASM_VFORK_CALL))
			break;
		regs->syscallno = v->nr;
		regs->orig_a0 = v->args[0];
		memcpy(regs->args, v->args, sizeof(regs->args));
		/* An exit does not return: let the parent go first. */
		if (v->nr == __NR_exit || v->nr == __NR_exit_group)
			break;
		/* The parent's thread has one vfork to return to. */
		if (wasm_vfork_wanted(regs))
			regs->ret = -EAGAIN;
		else
			wasm_syscall_dispatch(regs);
		if (current->thread.enter_user || fatal_signal_pending(current))
			break;
		/* Handlers wait until exec: do not restart, report EINTR. */
		if (regs->ret <= -ERESTARTSYS && regs->ret >= -ERESTART_RESTARTBLOCK)
			regs->ret = -EINTR;
		v->ret = regs->ret;
		wasm_vfork_set(v, WASM_VFORK_RETURN);
	}
	wasm_vfork_set(v, WASM_VFORK_GONE);
	wasm_vfork_put(v);

	if (!current->thread.enter_user && !fatal_signal_pending(current))
		wasm_syscall_dispatch(regs);	/* exit or exit_group */
	/* The new image, or the fatal signal: wasm_task_entry goes on. */
	return 0;
}

/* The parent: starts a vfork child and acts for it. */
long wasm_vfork_start(struct pt_regs *regs)
{
	unsigned long flags = regs->args[0];
	struct kernel_clone_args args = {
		.flags = flags & ~(CSIGNAL | CLONE_VFORK),
		.exit_signal = flags & CSIGNAL,
		.fn = wasm_vfork_serve,
	};
	struct wasm_vfork *v;
	pid_t pid;

	/* Only the plain vfork. */
	if (flags & ~(CSIGNAL | CLONE_VM | CLONE_VFORK))
		return -EINVAL;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	refcount_set(&v->ref, 2);
	init_waitqueue_head(&v->wq);
	args.fn_arg = v;

	pid = kernel_clone(&args);
	if (pid < 0) {
		kfree(v);
		return pid;
	}
	v->pid = find_get_pid(pid);
	current->thread.vfork = v;
	return pid;
}

/*
 * The parent's thread made a system call for its vfork child: run it
 * there.  Returns true with the result in @regs, or false once the child
 * is gone (or the parent dies), with WASM_VFORK_RESUME in @regs: the
 * thread is the parent's again.
 */
bool wasm_vfork_call(struct pt_regs *regs)
{
	struct wasm_vfork *v = current->thread.vfork;

	v->nr = regs->syscallno;
	memcpy(v->args, regs->args, sizeof(v->args));
	wasm_vfork_set(v, WASM_VFORK_CALL);
	/* Pairs with wasm_vfork_set(): the result is written. */
	if (wait_event_killable(v->wq, smp_load_acquire(&v->state) !=
				WASM_VFORK_CALL)) {
		/* No thread will run the child's user code any more. */
		kill_pid(v->pid, SIGKILL, 1);
	} else if (v->state == WASM_VFORK_RETURN) {
		regs->ret = v->ret;
		v->state = WASM_VFORK_IDLE;
		return true;
	}
	current->thread.vfork = NULL;
	wasm_vfork_put(v);
	regs->ret = WASM_VFORK_RESUME;
	return false;
}

/*
 * User code trapped on a thread acting for a vfork child: the fault is the
 * child's, and the parent's frames are gone with it.  The child gets @sig;
 * the caller kills the parent.
 */
void wasm_vfork_trap(int sig)
{
	struct wasm_vfork *v = current->thread.vfork;

	if (v) {
		current->thread.vfork = NULL;
		kill_pid(v->pid, sig, 1);
		wasm_vfork_put(v);
	}
}
