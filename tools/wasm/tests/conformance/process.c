// SPDX-License-Identifier: GPL-2.0
/*
 * Process conformance: getpid/getppid, vfork + execve + wait4/waitpid,
 * exit statuses 0..255, death by signal, WNOHANG, waiting for any child,
 * waitid, posix_spawn with file actions and attributes, SIGCHLD with
 * siginfo, fork (ENOSYS in the wasm32 guest, user-abi.rst).
 * Prints TAP; exits 0 if all passed.
 *
 * "process --pause" is a helper mode: it waits for a signal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

extern char **environ;
static const char *self;

static pid_t spawn_sh(const char *script)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	pid_t pid;

	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ))
		return -1;
	return pid;
}

static pid_t spawn_pause(void)
{
	char *argv[] = { (char *)self, "--pause", NULL };
	pid_t pid;

	if (posix_spawn(&pid, self, NULL, NULL, argv, environ))
		return -1;
	return pid;
}

static int t_ids(void)
{
	pid_t me = getpid(), parent = getppid();
	volatile pid_t child_pid = 0, child_ppid = 0;
	pid_t pid;
	int st;

	/* getppid() is 0 when the parent is outside our pid namespace. */
	CHECK(me > 0 && parent >= 0 && me != parent);
	CHECK(getpid() == me);
	pid = vfork();
	if (pid == 0) {
		child_pid = getpid();
		child_ppid = getppid();
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(child_pid == pid && child_ppid == me);
	return 1;
}

static int t_exit_codes(void)
{
	static const int codes[] = { 0, 1, 2, 42, 127, 128, 200, 255, 256, 257, -1 };
	volatile unsigned i;
	pid_t pid;
	int st;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid = vfork();
		if (pid == 0)
			_exit(codes[i]);
		CHECK(pid > 0);
		CHECK(waitpid(pid, &st, 0) == pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != (codes[i] & 0xff))
			diag("_exit(%d): status 0x%x", codes[i], st);
		CHECK(WIFEXITED(st) && !WIFSIGNALED(st));
		CHECK(WEXITSTATUS(st) == (codes[i] & 0xff));
	}
	return 1;
}

static int t_vfork_exec(void)
{
	pid_t pid;
	int st;

	pid = vfork();
	if (pid == 0) {
		char *argv[] = { "sh", "-c", "exit $((6 * 7))", NULL };
		char *envp[] = { "PATH=/bin:/usr/bin", NULL };

		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	/* The environment given to execve reaches the program. */
	pid = vfork();
	if (pid == 0) {
		char *argv[] = { "sh", "-c", "test \"$CONF_VAR\" = hello && exit 9; exit 1", NULL };
		char *envp[] = { "CONF_VAR=hello", NULL };

		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 9);
	return 1;
}

static int t_signal_death(void)
{
	pid_t pid;
	int st;

	pid = spawn_sh("kill -TERM $$; exit 3");
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	if (!WIFSIGNALED(st))
		diag("status 0x%x", st);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WIFEXITED(st));
	/* Killed by the parent. */
	pid = spawn_pause();
	CHECK(pid > 0);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* Reaped: no such process any more. */
	errno = 0;
	CHECK(kill(pid, 0) == -1 && errno == ESRCH);
	return 1;
}

static int t_wnohang(void)
{
	pid_t pid = spawn_pause();
	int st = -1;

	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, WNOHANG) == 0);
	CHECK(kill(pid, 0) == 0);
	CHECK(kill(pid, SIGUSR1) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
	errno = 0;
	CHECK(waitpid(pid, &st, WNOHANG) == -1 && errno == ECHILD);
	return 1;
}

static int t_wait_any(void)
{
	pid_t pids[4], got;
	int seen[4] = { 0 }, st, j;
	volatile int i;

	for (i = 0; i < 4; i++) {
		pids[i] = vfork();
		if (pids[i] == 0)
			_exit(10 + i);
		CHECK(pids[i] > 0);
	}
	for (i = 0; i < 4; i++) {
		got = wait(&st);
		CHECK(got > 0);
		for (j = 0; j < 4 && pids[j] != got; j++)
			;
		CHECK(j < 4 && !seen[j]);
		seen[j] = 1;
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 10 + j);
	}
	errno = 0;
	CHECK(wait(&st) == -1 && errno == ECHILD);
	errno = 0;
	CHECK(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	return 1;
}

static int t_wait4_waitid(void)
{
	struct rusage ru;
	siginfo_t si;
	pid_t pid;
	int st;

	pid = vfork();
	if (pid == 0)
		_exit(77);
	CHECK(pid > 0);
	memset(&ru, 0xff, sizeof(ru));
	CHECK(wait4(pid, &st, 0, &ru) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 77);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 &&
	      ru.ru_utime.tv_usec < 1000000);
	pid = vfork();
	if (pid == 0)
		_exit(5);
	CHECK(pid > 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED) == 0);
	CHECK(si.si_pid == pid && si.si_signo == SIGCHLD &&
	      si.si_code == CLD_EXITED && si.si_status == 5);
	pid = spawn_pause();
	CHECK(pid > 0);
	CHECK(kill(pid, SIGTERM) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGTERM);
	return 1;
}

static int t_spawn_file_actions(void)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "sh", "-c", "echo spawned; echo to-err >&2; exit 4", NULL };
	char path[512], buf[64];
	pid_t pid;
	int st, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/conf-process.%d", tmp_dir(), (int)getpid());
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0600) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, 1, 2) == 0);
	CHECK(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	CHECK(n > 0);
	buf[n] = 0;
	CHECK(strcmp(buf, "spawned\nto-err\n") == 0);
	/* addclose: the child's fd 1 is closed, so echo fails. */
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, 1) == 0);
	argv[2] = "echo x 2>/dev/null || exit 6; exit 0";
	CHECK(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 6);
	return 1;
}

static int t_spawn_errors_and_attrs(void)
{
	char *argv[] = { "sh", "-c", "exit 0", NULL };
	char *argv2[] = { "sh", "-c", "kill -USR1 $$; exit 3", NULL };
	posix_spawnattr_t at;
	sigset_t mask;
	pid_t pid;
	int st;

	CHECK(posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, argv, environ) == ENOENT);
	/* posix_spawnp searches PATH. */
	CHECK(posix_spawnp(&pid, "sh", NULL, NULL, argv, environ) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* POSIX_SPAWN_SETSIGMASK: the child starts with SIGUSR1 blocked,
	 * so the shell's kill -USR1 $$ does not kill it. */
	CHECK(posix_spawnattr_init(&at) == 0);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	CHECK(posix_spawnattr_setsigmask(&at, &mask) == 0);
	CHECK(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK) == 0);
	CHECK(posix_spawn(&pid, "/bin/sh", NULL, &at, argv2, environ) == 0);
	posix_spawnattr_destroy(&at);
	CHECK(waitpid(pid, &st, 0) == pid);
	if (!WIFEXITED(st))
		diag("status 0x%x", st);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	/* Without it, SIGUSR1 kills the shell. */
	CHECK(posix_spawn(&pid, "/bin/sh", NULL, NULL, argv2, environ) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
	return 1;
}

static volatile sig_atomic_t chld_count, chld_pid, chld_code, chld_status;

static void on_sigchld(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig != SIGCHLD)
		return;
	chld_count++;
	chld_pid = si->si_pid;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

static int t_sigchld(void)
{
	struct sigaction sa = { 0 }, old;
	sigset_t block, orig, waitmask;
	pid_t pid;
	int st;

	sa.sa_sigaction = on_sigchld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGCHLD, &sa, &old) == 0);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	CHECK(sigprocmask(SIG_BLOCK, &block, &orig) == 0);
	chld_count = 0;
	pid = spawn_sh("exit 5");
	CHECK(pid > 0);
	waitmask = orig;
	sigdelset(&waitmask, SIGCHLD);
	while (!chld_count)
		sigsuspend(&waitmask);
	CHECK(sigprocmask(SIG_SETMASK, &orig, NULL) == 0);
	CHECK(chld_count == 1);
	CHECK(chld_pid == pid && chld_code == CLD_EXITED && chld_status == 5);
	CHECK(waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 5);
	/* Killed child: CLD_KILLED and the signal. */
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	chld_count = 0;
	pid = spawn_pause();
	CHECK(pid > 0);
	CHECK(kill(pid, SIGKILL) == 0);
	while (!chld_count)
		sigsuspend(&waitmask);
	CHECK(sigprocmask(SIG_SETMASK, &orig, NULL) == 0);
	CHECK(chld_pid == pid && chld_code == CLD_KILLED && chld_status == SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(sigaction(SIGCHLD, &old, NULL) == 0);
	return 1;
}

/* SIGCHLD ignored: children are reaped automatically (no zombies), and
 * wait then fails with ECHILD (wait(2)). */
static int t_sigchld_ignored(void)
{
	pid_t pid;
	int st;

	CHECK(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	pid = spawn_sh("exit 1");
	CHECK(pid > 0);
	errno = 0;
	CHECK(waitpid(pid, &st, 0) == -1 && errno == ECHILD);
	CHECK(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	return 1;
}

static int t_setsid_pgrp(void)
{
	volatile pid_t sid = 0, pgrp = 0;
	pid_t pid;
	int st;

	/*
	 * The session (and group) of a process started in a pid namespace
	 * may belong to a leader outside it: then the ids read as 0.
	 */
	CHECK(getpgrp() >= 0 && getsid(0) >= 0);
	pid = vfork();
	if (pid == 0) {
		sid = setsid();
		pgrp = getpgrp();
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(sid == pid && pgrp == pid);
	/* A process group leader cannot setsid. */
	pid = vfork();
	if (pid == 0) {
		setpgid(0, 0);
		sid = setsid();
		pgrp = errno;
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(sid == -1 && pgrp == EPERM);
	return 1;
}

static void t_fork(void)
{
	pid_t pid;
	int st;

	errno = 0;
	pid = fork();
	if (pid == 0)
		_exit(33);
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	   WEXITSTATUS(st) == 33, "fork creates a child that exits 33");
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "--pause")) {
		for (;;)
			pause();
	}
	if (!strchr(self, '/')) {
		printf("1..0 # SKIP run process with a path, not by PATH\n");
		return 1;
	}
	plan(14);
	ok(t_ids(), "getpid/getppid; a vfork child sees its own pid and its parent");
	ok(t_exit_codes(), "exit statuses 0..255 and the low 8 bits of 256, 257, -1");
	ok(t_vfork_exec(), "vfork + execve /bin/sh -c with argv and envp; wait gives its status");
	ok(t_signal_death(), "death by signal: SIGTERM from itself, SIGKILL from the parent; then ESRCH");
	ok(t_wnohang(), "WNOHANG returns 0 while the child runs, ECHILD once reaped");
	ok(t_wait_any(), "wait for any child collects four children, then ECHILD");
	ok(t_wait4_waitid(), "wait4 with rusage; waitid P_PID and P_ALL with CLD_EXITED/CLD_KILLED");
	ok(t_spawn_file_actions(), "posix_spawn file actions: addopen, adddup2, addclose");
	ok(t_spawn_errors_and_attrs(), "posix_spawn ENOENT, posix_spawnp by PATH, POSIX_SPAWN_SETSIGMASK");
	ok(t_sigchld(), "SIGCHLD delivered with si_pid, CLD_EXITED/CLD_KILLED and si_status");
	ok(t_sigchld_ignored(), "SIGCHLD ignored: children are not left to wait for (ECHILD)");
	ok(t_setsid_pgrp(), "setsid in a child makes it session and group leader; EPERM for a leader");
	t_fork();
	{
		pid_t pid = vfork();
		int st;

		if (pid == 0) {
			execl("/nonexistent", "x", (char *)0);
			_exit(errno == ENOENT ? 99 : 98);
		}
		ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		   WEXITSTATUS(st) == 99, "a failed execve in a vfork child returns ENOENT");
	}
	return done();
}
