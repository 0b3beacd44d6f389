// SPDX-License-Identifier: GPL-2.0
/*
 * fork: the copy a child waits for.
 *
 * The host copies a fork child's memory once the parent's user code has
 * unwound, after the system call has returned; the parent comes back to
 * the kernel when the host rewinds it (the call once more, see
 * wasm_do_syscall()), and the copy is done by then.  Until that point
 * the child sleeps here, rather than on its CPU in the host, which on a
 * single CPU would never let the parent run.  A parent that dies first
 * (or whose clone fails) lets the child go with no copy: it is killed.
 */
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "wasm.h"

struct wasm_fork {
	struct kref ref;
	struct completion done;
	bool copied;
};

static void wasm_fork_release(struct kref *ref)
{
	kfree(container_of(ref, struct wasm_fork, ref));
}

/* Links the parent (current) and the child @p; 0 or -ENOMEM. */
int wasm_fork_link(struct task_struct *p)
{
	struct wasm_fork *f = kmalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	kref_init(&f->ref);
	kref_get(&f->ref);
	init_completion(&f->done);
	f->copied = false;
	wasm_fork_done(current, false);
	current->thread.fork = f;
	p->thread.fork_wait = f;
	return 0;
}

/* The parent @tsk is back with the copy made (@copied), or is gone. */
void wasm_fork_done(struct task_struct *tsk, bool copied)
{
	struct wasm_fork *f = tsk->thread.fork;

	if (!f)
		return;
	tsk->thread.fork = NULL;
	f->copied = copied;
	complete(&f->done);
	kref_put(&f->ref, wasm_fork_release);
}

/* The child, before it enters user mode: whether its copy was made. */
bool wasm_fork_wait(void)
{
	struct wasm_fork *f = current->thread.fork_wait;
	bool copied;

	if (!f)
		return true;
	copied = !wait_for_completion_killable(&f->done) && f->copied;
	current->thread.fork_wait = NULL;
	kref_put(&f->ref, wasm_fork_release);
	return copied;
}

void exit_thread(struct task_struct *tsk)
{
	struct wasm_fork *f = tsk->thread.fork_wait;

	wasm_fork_done(tsk, false);
	if (f) {
		tsk->thread.fork_wait = NULL;
		kref_put(&f->ref, wasm_fork_release);
	}
}
