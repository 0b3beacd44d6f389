// SPDX-License-Identifier: GPL-2.0
/*
 * setjmp/longjmp as C and POSIX programs use them: the value comes back,
 * frames in between are dropped, and a jmp_buf is plain data that may be
 * copied away and back (bash saves its top-level jmp_buf this way around
 * every nested parse), used from a copy, taken again and again in a loop,
 * and left from a signal handler with siglongjmp.  Runs natively (the
 * reference) and in the guest.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static jmp_buf top;

static int t_value(void)
{
	volatile int calls = 0;
	int r = setjmp(top);

	calls++;
	if (r == 0)
		longjmp(top, 7);
	if (r == 7) {
		r = setjmp(top);
		if (r == 0)
			longjmp(top, 0);
		/* longjmp(env, 0) makes setjmp return 1. */
		return r == 1 && calls == 2;
	}
	return 0;
}

/* Always set: keeps the compiler from seeing that deep() never returns. */
static volatile int jump = 1;

static void __attribute__((noinline)) deep(int n)
{
	volatile char pad[64];

	pad[0] = (char)n;
	if (n > 0)
		deep(n - 1);
	else if (jump)
		longjmp(top, 3);
	pad[1] = pad[0];
}

static int t_frames(void)
{
	if (setjmp(top) == 3)
		return 1;
	deep(50);
	return 0;
}

/* A nested setjmp on the same buffer, with the outer one saved aside
 * and put back: a longjmp then goes to the outer site. */
static int __attribute__((noinline)) nested(void)
{
	jmp_buf saved;
	volatile int inner = 0;

	memcpy(saved, top, sizeof(jmp_buf));
	if (setjmp(top) == 0) {
		inner = 1;
		longjmp(top, 1);
	}
	memcpy(top, saved, sizeof(jmp_buf));
	return inner;
}

static int t_saved_and_restored(void)
{
	volatile int rounds = 0;

	if (setjmp(top))
		return rounds == 3;
	while (rounds < 3)
		rounds += nested();
	longjmp(top, 1);
	return 0;
}

/* A copy of a jmp_buf, at another address, works as the original. */
static int t_copy(void)
{
	static jmp_buf copy;
	volatile int back = 0;

	if (setjmp(top)) {
		back++;
		return back == 1;
	}
	memcpy(copy, top, sizeof(jmp_buf));
	memset(top, 0, sizeof(jmp_buf));
	longjmp(copy, 1);
	return 0;
}

/* setjmp again and again on one buffer and at one depth: each one is
 * the target of the next longjmp, and nothing runs out. */
static int t_loop(void)
{
	volatile int i, hits = 0;

	for (i = 0; i < 20000; i++) {
		if (setjmp(top) == 0)
			longjmp(top, i + 1);
		else
			hits++;
	}
	return hits == 20000;
}

/* Two buffers taken in one frame stay apart. */
static int t_two(void)
{
	static jmp_buf a, b;
	volatile int seen = 0;

	if (setjmp(a)) {
		seen |= 1;
		longjmp(b, 1);
	}
	if (setjmp(b)) {
		seen |= 2;
		return seen == 3;
	}
	longjmp(a, 1);
	return 0;
}

static sigjmp_buf from_handler;

static void on_usr1(int sig)
{
	(void)sig;
	siglongjmp(from_handler, 5);
}

/* siglongjmp out of a handler: back at sigsetjmp with the mask it saved. */
static int t_handler(void)
{
	struct sigaction sa, old;
	sigset_t now;
	volatile int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, &old))
		return 0;
	r = sigsetjmp(from_handler, 1);
	if (r == 0) {
		raise(SIGUSR1);
		r = -1;
	}
	sigprocmask(SIG_SETMASK, NULL, &now);
	sigaction(SIGUSR1, &old, NULL);
	return r == 5 && !sigismember(&now, SIGUSR1);
}

int main(void)
{
	plan(7);
	ok(t_value(), "setjmp returns 0, then the longjmp value (1 for 0)");
	ok(t_frames(), "longjmp drops 50 frames in between");
	ok(t_saved_and_restored(), "a jmp_buf saved with memcpy and put back after a nested setjmp goes to the outer site");
	ok(t_copy(), "a memcpy copy of a jmp_buf at another address works as the original");
	ok(t_loop(), "20000 setjmp/longjmp rounds on one buffer");
	ok(t_two(), "two buffers taken in one frame go to their own sites");
	if (in_guest())
		skip("siglongjmp from a handler restores the saved mask",
		     "not supported yet (user-abi.rst, \"setjmp and longjmp\")");
	else
		ok(t_handler(), "siglongjmp from a handler restores the saved mask");
	return done();
}
