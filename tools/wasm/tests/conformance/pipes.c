// SPDX-License-Identifier: GPL-2.0
/*
 * Pipe conformance: pipe/pipe2, EOF, EPIPE/SIGPIPE, O_NONBLOCK and
 * EAGAIN, capacity (F_GETPIPE_SZ/F_SETPIPE_SZ), PIPE_BUF atomicity,
 * poll, select, epoll level- and edge-triggered, and a pipe between
 * processes.  Prints TAP; exits 0 if all passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

extern char **environ;

static int t_pipe_basic(void)
{
	char buf[16];
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	CHECK(write(p[1], "hello", 5) == 5);
	CHECK(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(write(p[1], "ab", 2) == 2 && write(p[1], "cd", 2) == 2);
	CHECK(read(p[0], buf, 3) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(read(p[0], buf, 3) == 1 && buf[0] == 'd');
	/* Wrong directions. */
	errno = 0;
	CHECK(write(p[0], "x", 1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(read(p[1], buf, 1) == -1 && errno == EBADF);
	CHECK(lseek(p[0], 0, SEEK_CUR) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	return 1;
}

static int t_pipe2_flags(void)
{
	int p[2];

	CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0);
	CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC);
	CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK));
	CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	CHECK((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	close(p[0]);
	close(p[1]);
	CHECK(pipe2(p, 0) == 0);
	CHECK(fcntl(p[0], F_GETFD) == 0 && !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	close(p[0]);
	close(p[1]);
	errno = 0;
	CHECK(pipe2(p, 0x7fff0000) == -1 && errno == EINVAL);
	return 1;
}

static int t_eof(void)
{
	char buf[8];
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "zz", 2) == 2);
	CHECK(close(p[1]) == 0);
	CHECK(read(p[0], buf, 8) == 2);		/* data first */
	CHECK(read(p[0], buf, 8) == 0);		/* then EOF */
	CHECK(read(p[0], buf, 8) == 0);
	close(p[0]);
	return 1;
}

static volatile sig_atomic_t pipe_signals;

static void on_sigpipe(int sig)
{
	(void)sig;
	pipe_signals++;
}

static int t_epipe(void)
{
	struct sigaction sa = { 0 };
	int p[2];

	CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	CHECK(pipe(p) == 0);
	CHECK(close(p[0]) == 0);
	errno = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
	/* With a handler: EPIPE and the handler ran once. */
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGPIPE, &sa, NULL) == 0);
	pipe_signals = 0;
	errno = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
	CHECK(pipe_signals == 1);
	CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	close(p[1]);
	return 1;
}

/* Fills a non-blocking pipe until EAGAIN: exactly its capacity. */
static int t_nonblock_capacity(void)
{
	char chunk[512], buf[512];
	long total = 0, drained = 0;
	ssize_t n;
	int p[2], size;

	memset(chunk, 'c', sizeof(chunk));
	CHECK(pipe2(p, O_NONBLOCK) == 0);
	errno = 0;
	CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN);
	size = fcntl(p[0], F_GETPIPE_SZ);
	CHECK(size >= 4096 && (size & (size - 1)) == 0);
	diag("pipe capacity %d", size);
	while ((n = write(p[1], chunk, sizeof(chunk))) > 0) {
		total += n;
		CHECK(total <= size);
	}
	CHECK(n == -1 && errno == EAGAIN);
	CHECK(total == size);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		drained += n;
	CHECK(n == -1 && errno == EAGAIN && drained == total);
	/* F_SETPIPE_SZ rounds up to a power-of-two number of pages. */
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 3 * 65536) >= 3 * 65536);
	CHECK(fcntl(p[0], F_GETPIPE_SZ) >= 3 * 65536);
	close(p[0]);
	close(p[1]);
	return 1;
}

/* Writes of at most PIPE_BUF bytes are not split (O_NONBLOCK: all or
 * EAGAIN). */
static int t_pipe_buf_atomic(void)
{
	static char big[PIPE_BUF], buf[PIPE_BUF];
	int p[2], size;
	ssize_t n;
	long total = 0;

	CHECK(PIPE_BUF >= 512);
	CHECK(pipe2(p, O_NONBLOCK) == 0);
	size = fcntl(p[1], F_GETPIPE_SZ);
	memset(big, 'b', sizeof(big));
	/* Leave less than PIPE_BUF free. */
	while (total < size - PIPE_BUF / 2) {
		n = write(p[1], big, PIPE_BUF / 4);
		CHECK(n == PIPE_BUF / 4);
		total += n;
	}
	errno = 0;
	n = write(p[1], big, PIPE_BUF);
	CHECK(n == -1 && errno == EAGAIN);
	CHECK(read(p[0], buf, PIPE_BUF) == PIPE_BUF);
	CHECK(write(p[1], big, PIPE_BUF) == PIPE_BUF);
	close(p[0]);
	close(p[1]);
	return 1;
}

static int t_poll(void)
{
	struct pollfd pf[2];
	int p[2];

	CHECK(pipe(p) == 0);
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK(poll(pf, 2, 0) == 1);
	CHECK(pf[0].revents == 0 && pf[1].revents == POLLOUT);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll(pf, 2, 1000) == 2);
	CHECK(pf[0].revents == POLLIN);
	CHECK(close(p[1]) == 0);
	CHECK(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLHUP) &&
	      (pf[0].revents & POLLIN));
	{
		char c;

		CHECK(read(p[0], &c, 1) == 1);
	}
	CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLHUP);
	/* A closed descriptor gives POLLNVAL; a negative one is ignored. */
	pf[1].fd = p[1];
	pf[1].events = POLLIN;
	CHECK(poll(&pf[1], 1, 0) == 1 && pf[1].revents == POLLNVAL);
	pf[1].fd = -1;
	CHECK(poll(&pf[1], 1, 0) == 0 && pf[1].revents == 0);
	close(p[0]);
	return 1;
}

static int t_select(void)
{
	struct timeval tv;
	fd_set r, w;
	int p[2];

	CHECK(pipe(p) == 0);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	tv = (struct timeval){ 0, 0 };
	CHECK(select(p[1] + 1, &r, &w, NULL, &tv) == 1);
	CHECK(!FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	/* A short timeout on nothing ready returns 0 (Linux updates tv). */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 50000 };
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &r));
	/* POSIX lets the C library leave tv alone (musl does); the kernel
	 * updates the timeout it is given (select(2)). */
	if (tv.tv_sec != 0 || tv.tv_usec != 0)
		diag("select left tv at %ld.%06ld (allowed by POSIX)",
		     (long)tv.tv_sec, (long)tv.tv_usec);
	{
		long long ts[2] = { 0, 50000000 };	/* __kernel_timespec */
		long sigs[2] = { 0, 8 };		/* no mask, _NSIG / 8 */
		long r6;

		FD_ZERO(&r);
		FD_SET(p[0], &r);
#ifdef SYS_pselect6_time64
		r6 = syscall(SYS_pselect6_time64, p[0] + 1, &r, NULL, NULL, ts, sigs);
#else
		r6 = syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, ts, sigs);
#endif
		CHECK(r6 == 0 && !FD_ISSET(p[0], &r));
		CHECK(ts[0] == 0 && ts[1] == 0);
	}
	CHECK(write(p[1], "y", 1) == 1);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 5, 0 };
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &r));
	close(p[0]);
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 0 };
	errno = 0;
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == -1 && errno == EBADF);
	return 1;
}

static int t_epoll_level(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x123456789abcULL }, out[4];
	int p[2], ep;
	char c;

	CHECK(pipe(p) == 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK(ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	errno = 0;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(write(p[1], "ab", 2) == 2);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1);
	CHECK(out[0].events == EPOLLIN && out[0].data.u64 == 0x123456789abcULL);
	/* Level-triggered: still reported while data remains. */
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	CHECK(read(p[0], &c, 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	CHECK(read(p[0], &c, 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	/* Writer closed: EPOLLHUP. */
	close(p[1]);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && (out[0].events & EPOLLHUP));
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	errno = 0;
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == -1 && errno == ENOENT);
	close(p[0]);
	close(ep);
	return 1;
}

static int t_epoll_edge(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.fd = 7 }, out[4];
	int p[2], ep;
	char buf[8];

	CHECK(pipe2(p, O_NONBLOCK) == 0);
	ep = epoll_create1(0);
	CHECK(ep >= 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	CHECK(write(p[1], "abc", 3) == 3);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1 && out[0].data.fd == 7);
	/* Edge-triggered: not again until new data arrives. */
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(read(p[0], buf, 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(write(p[1], "d", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(read(p[0], buf, 8) == 3);
	/* EPOLLONESHOT: reported once, then disabled until MOD. */
	ev.events = EPOLLIN | EPOLLONESHOT;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	CHECK(write(p[1], "e", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 1000) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	close(p[0]);
	close(p[1]);
	close(ep);
	return 1;
}

/* A pipe between processes: a shell writes, we read until EOF. */
static int t_between_processes(void)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "sh", "-c", "echo one; echo two", NULL };
	char buf[64];
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int p[2], st;

	CHECK(pipe(p) == 0);
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, p[1], 1) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, p[0]) == 0);
	CHECK(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	CHECK(n == 0);
	buf[got] = 0;
	CHECK(strcmp(buf, "one\ntwo\n") == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
	return 1;
}

/* A reader blocked in read() is woken by a writer in another process;
 * a blocked writer by a reader. */
static int t_blocking_wakeup(void)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "sh", "-c", "read line; echo got-$line", NULL };
	int in[2], out[2], st;
	char buf[64];
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, in[0], 0) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, out[1], 1) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, in[1]) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, out[0]) == 0);
	CHECK(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	CHECK(write(in[1], "ping\n", 5) == 5);
	close(in[1]);
	while ((n = read(out[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	CHECK(strcmp(buf, "got-ping\n") == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(out[0]);
	return 1;
}

int main(void)
{
	plan(13);
	ok(t_pipe_basic(), "pipe: bytes in order, partial reads, EBADF on wrong ends, ESPIPE");
	ok(t_pipe2_flags(), "pipe2: O_CLOEXEC and O_NONBLOCK on both ends; EINVAL flags");
	ok(t_eof(), "read returns the data, then 0 (EOF) once the writer closed");
	ok(t_epipe(), "write with no reader: EPIPE with SIGPIPE ignored and handled");
	ok(t_nonblock_capacity(), "O_NONBLOCK: EAGAIN when empty and when full at F_GETPIPE_SZ; F_SETPIPE_SZ");
	ok(t_pipe_buf_atomic(), "writes of PIPE_BUF bytes are atomic (EAGAIN, not split)");
	ok(t_poll(), "poll: POLLIN, POLLOUT, POLLHUP, POLLNVAL, negative fd ignored");
	ok(t_select(), "select: readable/writable sets, timeout (pselect6 updates it), EBADF");
	ok(t_epoll_level(), "epoll level-triggered: data, repeat reports, EPOLLHUP, DEL, EEXIST/ENOENT");
	ok(t_epoll_edge(), "epoll edge-triggered and EPOLLONESHOT");
	ok(t_between_processes(), "a pipe from a spawned shell reads its output then EOF");
	ok(t_blocking_wakeup(), "a spawned shell reads our line from one pipe and answers on another");
	{
		int p[2], r;

		r = pipe(p);
		ok(r == 0 && isatty(p[0]) == 0 && errno == ENOTTY,
		   "isatty on a pipe is false (ENOTTY)");
		close(p[0]);
		close(p[1]);
	}
	return done();
}
