// SPDX-License-Identifier: GPL-2.0
/*
 * Signal conformance: raise/kill, sigaction with SA_SIGINFO (si_signo,
 * si_code, si_pid, si_uid, si_value), SA_RESETHAND, the mask in a
 * handler, sigprocmask and sigpending, sigsuspend, SIG_IGN, queued
 * real-time signals, sigtimedwait, SA_RESTART against EINTR on a blocking
 * pipe read interrupted by setitimer, signals to a process group, and
 * stop/continue of a child.  Prints TAP; exits 0 if all passed.
 *
 * "signals --pause" is a helper mode: it waits for signals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

extern char **environ;
static const char *self;

static volatile sig_atomic_t hits, last_sig, last_code, last_pid, last_uid,
	last_value, order_pos, in_handler_blocked, in_handler_other_blocked;
static volatile int order[8];

static void on_plain(int sig)
{
	hits++;
	last_sig = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_uid = si->si_uid;
	last_value = si->si_value.sival_int;
	if (order_pos < 8)
		order[order_pos++] = si->si_value.sival_int;
}

static void on_check_mask(int sig)
{
	sigset_t cur;

	hits++;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	in_handler_blocked = sigismember(&cur, sig);
	in_handler_other_blocked = sigismember(&cur, SIGUSR2);
}

static int handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static int handle_info(int sig, int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static int unblock_all(void)
{
	sigset_t none;

	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

static pid_t spawn_pause(pid_t pgroup)
{
	char *argv[] = { (char *)self, "--pause", NULL };
	posix_spawnattr_t at;
	pid_t pid;

	if (posix_spawnattr_init(&at))
		return -1;
	if (pgroup >= 0) {
		posix_spawnattr_setpgroup(&at, pgroup);
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	}
	if (posix_spawn(&pid, self, NULL, &at, argv, environ))
		pid = -1;
	posix_spawnattr_destroy(&at);
	return pid;
}

static int t_raise(void)
{
	CHECK(handle(SIGUSR1, on_plain, 0) == 0);
	hits = 0;
	CHECK(raise(SIGUSR1) == 0);
	/* raise() returns after the handler ran. */
	CHECK(hits == 1 && last_sig == SIGUSR1);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(hits == 2);
	CHECK(kill(getpid(), 0) == 0);
	errno = 0;
	CHECK(kill(getpid(), 1000) == -1 && errno == EINVAL);
	return 1;
}

static int t_siginfo(void)
{
	union sigval v = { .sival_int = 1234 };

	CHECK(handle_info(SIGUSR2, 0) == 0);
	hits = 0;
	CHECK(kill(getpid(), SIGUSR2) == 0);
	CHECK(hits == 1 && last_sig == SIGUSR2);
	CHECK(last_code == SI_USER);
	CHECK(last_pid == getpid() && last_uid == (sig_atomic_t)getuid());
	CHECK(sigqueue(getpid(), SIGUSR2, v) == 0);
	CHECK(hits == 2 && last_code == SI_QUEUE && last_value == 1234);
	CHECK(last_pid == getpid());
	/* tgkill/raise: SI_TKILL. */
	CHECK(raise(SIGUSR2) == 0);
	CHECK(hits == 3 && last_code == SI_TKILL);
	return 1;
}

static int t_sigaction_query_resethand(void)
{
	struct sigaction sa = { 0 }, old;

	CHECK(handle(SIGUSR1, on_plain, SA_RESETHAND) == 0);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0);
	CHECK(old.sa_handler == on_plain);
	hits = 0;
	CHECK(raise(SIGUSR1) == 0 && hits == 1);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
	/* SIGKILL and SIGSTOP cannot be caught. */
	sa.sa_handler = on_plain;
	errno = 0;
	CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL);
	return 1;
}

static int t_handler_mask(void)
{
	struct sigaction sa = { 0 };
	sigset_t cur;

	sa.sa_handler = on_check_mask;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	hits = 0;
	CHECK(raise(SIGUSR1) == 0 && hits == 1);
	CHECK(in_handler_blocked == 1 && in_handler_other_blocked == 1);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0);
	CHECK(!sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2));
	/* SA_NODEFER: the signal is not blocked in its handler. */
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0 && hits == 2 && in_handler_blocked == 0);
	return 1;
}

static int t_mask_pending(void)
{
	sigset_t set, pend, old;

	CHECK(handle(SIGUSR1, on_plain, 0) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
	CHECK(!sigismember(&old, SIGUSR1));
	hits = 0;
	CHECK(raise(SIGUSR1) == 0 && raise(SIGUSR1) == 0);
	CHECK(hits == 0);
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1));
	CHECK(!sigismember(&pend, SIGUSR2));
	/* Unblocking delivers it, once: standard signals do not queue. */
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
	CHECK(hits == 1);
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1));
	/* SIGKILL cannot be blocked: silently left out of the mask. */
	sigaddset(&set, SIGKILL);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &old) == 0);
	CHECK(sigismember(&old, SIGUSR1) && !sigismember(&old, SIGKILL));
	CHECK(unblock_all() == 0);
	errno = 0;
	CHECK(sigprocmask(12345, &set, NULL) == -1 && errno == EINVAL);
	return 1;
}

static int t_sigsuspend(void)
{
	sigset_t set, empty, cur;
	int r;

	CHECK(handle(SIGUSR1, on_plain, 0) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	hits = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(hits == 0);
	sigemptyset(&empty);
	errno = 0;
	r = sigsuspend(&empty);
	CHECK(r == -1 && errno == EINTR && hits == 1);
	/* The mask is back as before the call. */
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR1));
	CHECK(unblock_all() == 0);
	return 1;
}

static int t_ignore(void)
{
	sigset_t set, pend;

	CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	/* Setting SIG_IGN discards a pending instance (POSIX sigaction). */
	CHECK(handle(SIGUSR1, on_plain, 0) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	hits = 0;
	CHECK(raise(SIGUSR1) == 0);
	CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1));
	CHECK(signal(SIGUSR1, SIG_IGN) == on_plain);
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1));
	CHECK(handle(SIGUSR1, on_plain, 0) == 0);
	CHECK(unblock_all() == 0);
	CHECK(hits == 0);
	CHECK(signal(SIGUSR1, SIG_DFL) == on_plain);
	return 1;
}

static int t_rt_queue(void)
{
	sigset_t set;
	int i;

	CHECK(SIGRTMIN + 1 <= SIGRTMAX);
	CHECK(handle_info(SIGRTMIN + 1, 0) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	hits = 0;
	order_pos = 0;
	for (i = 0; i < 5; i++)
		CHECK(sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = 100 + i }) == 0);
	CHECK(hits == 0);
	CHECK(unblock_all() == 0);
	/* Real-time signals queue, in order. */
	CHECK(hits == 5 && order_pos == 5);
	for (i = 0; i < 5; i++)
		CHECK(order[i] == 100 + i);
	return 1;
}

static int t_sigtimedwait(void)
{
	struct timespec zero = { 0, 0 }, ts = { 5, 0 };
	siginfo_t si;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	errno = 0;
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
	CHECK(sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 77 }) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(sigtimedwait(&set, &si, &ts) == SIGUSR2);
	CHECK(si.si_signo == SIGUSR2 && si.si_code == SI_QUEUE &&
	      si.si_value.sival_int == 77 && si.si_pid == getpid());
	CHECK(raise(SIGUSR2) == 0);
	CHECK(sigwaitinfo(&set, &si) == SIGUSR2);
	CHECK(unblock_all() == 0);
	return 1;
}

/* SIGALRM from setitimer during a blocking read of an empty pipe.  The
 * first tick only counts; the second writes a byte into the pipe and
 * stops the timer, so a restarted read finds data. */
static int alarm_pipe[2];
static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	(void)sig;
	if (++ticks >= 2) {
		setitimer(ITIMER_REAL, &off, NULL);
		if (write(alarm_pipe[1], "!", 1) != 1)
			ticks = 100;
	}
}

static int read_during_alarms(int flags, ssize_t *res, int *err, char *c)
{
	struct itimerval it = { { 0, 500000 }, { 0, 500000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	CHECK(pipe(alarm_pipe) == 0);
	CHECK(handle(SIGALRM, on_alarm, flags) == 0);
	ticks = 0;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	errno = 0;
	*res = read(alarm_pipe[0], c, 1);
	*err = errno;
	if (*res == -1) {
		/* Let the second tick come and go before cleaning up. */
		while (ticks < 2)
			pause();
	}
	setitimer(ITIMER_REAL, &off, NULL);
	close(alarm_pipe[0]);
	close(alarm_pipe[1]);
	return 1;
}

static int t_eintr(void)
{
	ssize_t r;
	int err;
	char c;

	CHECK(read_during_alarms(0, &r, &err, &c));
	if (r != -1)
		diag("read returned %zd, ticks %d", r, (int)ticks);
	CHECK(r == -1 && err == EINTR);
	CHECK(ticks >= 1);
	return 1;
}

static int t_restart(void)
{
	ssize_t r;
	int err;
	char c = 0;

	CHECK(read_during_alarms(SA_RESTART, &r, &err, &c));
	if (r != 1)
		diag("read returned %zd, errno %d, ticks %d", r, err, (int)ticks);
	CHECK(r == 1 && c == '!' && ticks == 2);
	return 1;
}

static int t_process_group(void)
{
	pid_t a, b, pids[2];
	int st, i, killed = 0;

	a = spawn_pause(0);		/* leads a new group */
	CHECK(a > 0);
	b = spawn_pause(a);		/* joins it */
	CHECK(b > 0);
	CHECK(getpgid(a) == a && getpgid(b) == a);
	CHECK(getpgrp() != a);
	CHECK(kill(-a, SIGTERM) == 0);
	pids[0] = a;
	pids[1] = b;
	for (i = 0; i < 2; i++) {
		CHECK(waitpid(pids[i], &st, 0) == pids[i]);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)
			killed++;
	}
	CHECK(killed == 2);
	errno = 0;
	CHECK(kill(-a, SIGTERM) == -1 && errno == ESRCH);
	/* killpg and kill(0, sig) to its own group, in a child that leads
	 * a group of its own (ours has our parent shell in it). */
	{
		char *args[] = { (char *)self, "--own-group", NULL };
		pid_t c;

		CHECK(posix_spawn(&c, self, NULL, NULL, args, environ) == 0);
		CHECK(waitpid(c, &st, 0) == c);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			diag("--own-group child: status 0x%x", st);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	return 1;
}

/* Helper mode --own-group: 0 if killpg and kill(0) reach this process. */
static int own_group(void)
{
	if (setpgid(0, 0) != 0 || getpgrp() != getpid())
		return 1;
	if (handle(SIGUSR1, on_plain, 0) != 0)
		return 2;
	hits = 0;
	if (killpg(getpgrp(), SIGUSR1) != 0 || hits != 1)
		return 3;
	if (kill(0, SIGUSR1) != 0 || hits != 2)
		return 4;
	if (kill(-getpid(), SIGUSR1) != 0 || hits != 3)
		return 5;
	return 0;
}

static int t_stop_continue(void)
{
	pid_t pid = spawn_pause(-1);
	int st;

	CHECK(pid > 0);
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &st, WCONTINUED) == pid);
	CHECK(WIFCONTINUED(st));
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	return 1;
}

/* The child (--ready) installs a SIGUSR1 handler that exits 0, says so
 * on its stdout, then pauses; a default SIGUSR1 would kill it. */
static int t_handler_in_child(void)
{
	posix_spawn_file_actions_t fa;
	char *args[] = { (char *)self, "--ready", NULL };
	int p[2], st;
	pid_t pid;
	char c;

	CHECK(pipe(p) == 0);
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, p[1], 1) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, p[0]) == 0);
	CHECK(posix_spawn(&pid, self, &fa, NULL, args, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1 && c == 'r');
	close(p[0]);
	CHECK(kill(pid, SIGUSR1) == 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	if (!WIFEXITED(st))
		diag("status 0x%x", st);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 1;
}

static void on_usr1_exit(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "--pause")) {
		for (;;)
			pause();
	}
	if (argc > 1 && !strcmp(argv[1], "--ready")) {
		handle(SIGUSR1, on_usr1_exit, 0);
		if (write(1, "r", 1) != 1)
			return 1;
		for (;;)
			pause();
	}
	if (argc > 1 && !strcmp(argv[1], "--own-group"))
		return own_group();
	if (!strchr(self, '/')) {
		printf("1..0 # SKIP run signals with a path, not by PATH\n");
		return 1;
	}
	plan(14);
	ok(t_raise(), "raise/kill run the handler before returning; kill 0 probes; EINVAL");
	ok(t_siginfo(), "SA_SIGINFO: si_signo, si_code SI_USER/SI_QUEUE/SI_TKILL, si_pid, si_uid, si_value");
	ok(t_sigaction_query_resethand(), "sigaction returns the old action; SA_RESETHAND; SIGKILL/SIGSTOP EINVAL");
	ok(t_handler_mask(), "in a handler its signal and sa_mask are blocked, restored after; SA_NODEFER");
	ok(t_mask_pending(), "sigprocmask blocks, sigpending shows it, unblocking delivers once");
	ok(t_sigsuspend(), "sigsuspend returns EINTR after the handler and restores the mask");
	ok(t_ignore(), "SIG_IGN: the signal has no effect; setting it discards a pending one");
	ok(t_rt_queue(), "real-time signals queue and arrive in order with their values");
	ok(t_sigtimedwait(), "sigtimedwait: EAGAIN on timeout, takes a queued signal; sigwaitinfo");
	ok(t_eintr(), "a blocking pipe read interrupted by SIGALRM (setitimer) fails with EINTR");
	ok(t_restart(), "with SA_RESTART the read restarts and gets the data");
	ok(t_process_group(), "kill(-pgrp) reaches every member of a group; killpg and kill(0)");
	ok(t_stop_continue(), "SIGSTOP/SIGCONT a child: WUNTRACED/WIFSTOPPED, WCONTINUED");
	ok(t_handler_in_child(), "a signal handled in another process runs its handler there");
	return done();
}
