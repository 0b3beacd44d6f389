// SPDX-License-Identifier: GPL-2.0
/*
 * User code that makes no system call is interrupted by the host's tick
 * (wasm_user_preempt): a busy loop can be killed, takes signal handlers,
 * and shares its CPU.  Prints TAP; exits 0 if every case passed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t stop;
static int failed, n;

static void ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	if (!cond)
		failed++;
}

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t spawn(const char *self, const char *mode)
{
	char *argv[] = { (char *)self, (char *)mode, NULL };
	pid_t pid;

	if (posix_spawn(&pid, self, NULL, NULL, argv, environ))
		return -1;
	return pid;
}

/* Reaps @pid within @secs; returns its status, or -1. */
static int reap(pid_t pid, double secs)
{
	double end = now() + secs;
	int st;

	while (now() < end) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

int main(int argc, char **argv)
{
	pid_t a, b;
	double t;
	int st;

	if (argc > 1) {
		/* A child: spin without a system call until a signal. */
		if (!strcmp(argv[1], "handler"))
			signal(SIGUSR1, on_usr1);
		while (!stop)
			;
		return 0;
	}

	printf("1..4\n");
	a = spawn(argv[0], "spin");
	usleep(200000);
	kill(a, SIGKILL);
	st = reap(a, 2);
	ok(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	   "SIGKILL ends a busy loop");

	a = spawn(argv[0], "handler");
	usleep(200000);
	kill(a, SIGUSR1);
	st = reap(a, 2);
	ok(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "a busy loop runs its SIGUSR1 handler and returns");

	/* More busy loops than CPUs: this process still gets to run. */
	a = spawn(argv[0], "spin");
	b = spawn(argv[0], "spin");
	t = now();
	usleep(100000);
	t = now() - t;
	ok(t < 2.0, "a 100 ms sleep ends within 2 s beside two busy loops");
	kill(a, SIGTERM);
	kill(b, SIGTERM);
	ok(reap(a, 2) != -1 && reap(b, 2) != -1, "SIGTERM ends both");
	return failed ? 1 : 0;
}
