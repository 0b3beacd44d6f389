// SPDX-License-Identifier: GPL-2.0
/*
 * vfork() on the wasm32 guest: the child runs in the parent's frames and
 * memory until it execs or exits; the parent then returns with its pid.
 * Prints TAP; exits 0 if every case passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed, n;

static void ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	if (!cond)
		failed++;
}

static int status_of(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

int main(int argc, char **argv)
{
	const char *sh = argc > 1 ? argv[1] : "/bin/sh";
	volatile int shared = 0;
	volatile pid_t seen;
	pid_t parent = getpid(), pid;
	int st, i, bad;

	printf("1..9\n");

	pid = vfork();
	if (pid == 0) {
		shared = getppid() == parent ? 42 : 1;
		_exit(7);
	}
	st = status_of(pid);
	ok(pid > 0 && pid != parent && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	   "vfork + _exit(7): the parent reaps status 7");
	ok(shared == 42, "the child ran in the parent's memory, getppid() is the parent");

	seen = 0;
	pid = vfork();
	if (pid == 0) {
		seen = getpid();
		_exit(0);
	}
	status_of(pid);
	ok(seen == pid, "getpid() in the child is the pid vfork returns");

	pid = vfork();
	if (pid == 0) {
		execl(sh, "sh", "-c", "exit 3", (char *)0);
		_exit(127);
	}
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 3, "vfork + execve + wait4: exit status 3");

	errno = 0;
	pid = vfork();
	if (pid == 0) {
		execl("/nonexistent", "x", (char *)0);
		shared = errno;
		_exit(127);
	}
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 127 && shared == ENOENT,
	   "a failed execve returns ENOENT in the child, which goes on");

	pid = vfork();
	if (pid == 0) {
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	st = status_of(pid);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "a child killed by a signal");

	pid = vfork();
	if (pid == 0) {
		close(1);
		_exit(0);
	}
	status_of(pid);
	ok(fcntl(1, F_GETFD) >= 0, "the child's close(1) leaves the parent's fd 1 open");

	pid = vfork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execl(sh, "sh", "-c", "echo hidden", (char *)0);
		_exit(127);
	}
	st = status_of(pid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "dup2 in the child redirects the program it execs");

	bad = 0;
	for (i = 0; i < 200; i++) {
		pid = vfork();
		if (pid == 0)
			_exit(i & 0x7f);
		st = status_of(pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != (i & 0x7f))
			bad++;
	}
	ok(!bad, "200 vforks in a row");

	return failed ? 1 : 0;
}
