// SPDX-License-Identifier: GPL-2.0
/*
 * Process creation, as lmbench's lat_proc:
 *   lat_proc fork         fork + exit + waitpid
 *   lat_proc fork PROG    fork + execve(PROG) + exit + waitpid
 *   lat_proc vfork PROG   vfork + execve(PROG) + exit + waitpid
 *   lat_proc spawn PROG   posix_spawn(PROG) + waitpid
 * PROG is a small static program that exits 0 (exit0.c).  On the wasm32
 * guest vfork() is the C library's setjmp-based macro (the child runs in
 * the parent's frames until it execs); natively it is the plain call.
 * Prints "RESULT fork_exit|fork_exec|vfork_exec|spawn <us> us/op".
 */
#include "bench.h"
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *prog;

static void reap(pid_t pid)
{
	int st;

	if (pid <= 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		fprintf(stderr, "lat_proc: %s failed\n", prog);
		exit(1);
	}
}

static void do_vfork(long n, void *arg)
{
	char *args[2] = { prog, 0 };
	pid_t pid;

	(void)arg;
	while (n-- > 0) {
		pid = vfork();
		if (pid == 0) {
			execve(prog, args, environ);
			_exit(127);
		}
		reap(pid);
	}
}

static void do_fork(long n, void *arg)
{
	char *args[2] = { prog, 0 };
	pid_t pid;

	(void)arg;
	while (n-- > 0) {
		pid = fork();
		if (pid == 0) {
			if (prog)
				execve(prog, args, environ);
			_exit(prog ? 127 : 0);
		}
		reap(pid);
	}
}

static void do_spawn(long n, void *arg)
{
	char *args[2] = { prog, 0 };
	pid_t pid;

	(void)arg;
	while (n-- > 0) {
		if (posix_spawn(&pid, prog, 0, 0, args, environ))
			pid = -1;
		reap(pid);
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "fork")) {
		bench_result("fork_exit", bench_per_op(do_fork, 0) * 1e6, "us/op");
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: lat_proc fork [PROG] | vfork|spawn PROG\n");
		return 2;
	}
	prog = argv[2];
	if (!strcmp(argv[1], "fork"))
		bench_result("fork_exec", bench_per_op(do_fork, 0) * 1e6, "us/op");
	else if (!strcmp(argv[1], "vfork"))
		bench_result("vfork_exec", bench_per_op(do_vfork, 0) * 1e6, "us/op");
	else if (!strcmp(argv[1], "spawn"))
		bench_result("spawn", bench_per_op(do_spawn, 0) * 1e6, "us/op");
	else
		return 2;
	return 0;
}
