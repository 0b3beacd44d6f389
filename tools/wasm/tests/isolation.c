// SPDX-License-Identifier: GPL-2.0
/*
 * isolation: one linear memory per process.
 *
 *   isolation            the test (TAP on stdout, exit 0 if all passed)
 *
 * The parent fills a static area and a heap buffer with a pattern, starts
 * a sibling (this program, "sibling") that fills the same static area --
 * at the same address, the program being the same -- with another pattern
 * and waits on a pipe, then a scribbler ("scribble") that overwrites every
 * byte of its own linear memory, from address 0 to memory.size, and then
 * stores past the end, which must trap (the kernel kills it with SIGSEGV
 * or SIGBUS).  The parent's and the sibling's patterns must be intact.
 * More children trap in other ways (load/store out of bounds, unreachable,
 * division by zero, a null function pointer, runaway recursion) and must
 * die of the signal user-abi.rst names; bad pointers handed to system calls
 * must give EFAULT; the kernel must still work afterwards.
 *
 * Build with -fno-delete-null-pointer-checks: the scribbler stores to
 * address 0 on purpose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The system call import (user-abi.rst), called directly. */
__attribute__((__import_module__("linux"), __import_name__("syscall")))
long raw_syscall(long, long, long, long, long, long, long);

#define AREA_SIZE (256 * 1024)
#define HEAP_SIZE (1024 * 1024)
#define SALT_PARENT 0x1111u
#define SALT_HEAP 0x2222u
#define SALT_SIBLING 0x3333u
#define SCRIBBLE 0x5a5a5a5au
/* An address past any memory of this test (all are far below 4 GiB). */
#define BAD_PTR ((void *)0xfffffff0u)

static unsigned char area[AREA_SIZE];
static const char *self;
static int tapno, failed;

static unsigned char pat(uint32_t i, uint32_t salt)
{
	uint32_t x = i * 2654435761u + salt;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

static void fill(unsigned char *p, size_t n, uint32_t salt)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pat(i, salt);
}

/* Bytes of @p that differ from the pattern. */
static size_t check(const unsigned char *p, size_t n, uint32_t salt)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += p[i] != pat(i, salt);
	return bad;
}

static uint32_t memory_bytes(void)
{
	return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

static void __attribute__((format(printf, 2, 3))) tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tapno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failed += !ok;
}

/* ---- children ---------------------------------------------------------- */

/*
 * Stores SCRIBBLE at every address of this process's memory, sends the
 * 16 bytes at 0x2000 (now SCRIBBLE) down @fd, then stores past the end.
 * Everything is in wasm locals: the memory it overwrites holds its own
 * data and stack, which it no longer uses.
 */
static __attribute__((noinline)) void scribble(long fd, uint32_t end)
{
	for (uint32_t a = 0; a < end; a += 4)
		*(volatile uint32_t *)(uintptr_t)a = SCRIBBLE;
	raw_syscall(SYS_write, fd, 0x2000, 16, 0, 0, 0);
	*(volatile uint32_t *)(uintptr_t)end = SCRIBBLE;
	/* Not reached if the store traps. */
	raw_syscall(SYS_exit_group, 42, 0, 0, 0, 0, 0);
}

static int sibling(int in, int out)
{
	char c;

	fill(area, AREA_SIZE, SALT_SIBLING);
	dprintf(out, "ready %p %u\n", (void *)area, memory_bytes());
	while (read(in, &c, 1) == 1) {
		if (c == 'c')
			dprintf(out, "bad %zu\n", check(area, AREA_SIZE, SALT_SIBLING));
		else if (c == 'q')
			return check(area, AREA_SIZE, SALT_SIBLING) ? 1 : 0;
	}
	return 2;
}

static volatile int zero, minus_one = -1, int_min = -2147483647 - 1;

static __attribute__((noinline)) int recurse(int n)
{
	volatile char frame[4096];

	if (n == 0x7fffffff)
		return 0;
	frame[0] = n;
	frame[4095] = n;
	return recurse(n + 1) + frame[0];
}

static int child(const char *mode)
{
	if (!strcmp(mode, "scribble")) {
		uint32_t end = memory_bytes();

		dprintf(3, "size %u area %p\n", end, (void *)area);
		scribble(3, end);
		return 42;
	}
	if (!strcmp(mode, "store-past-end"))
		*(volatile char *)(uintptr_t)memory_bytes() = 1;
	else if (!strcmp(mode, "load-past-end"))
		return *(volatile char *)BAD_PTR;
	else if (!strcmp(mode, "unreachable"))
		__builtin_trap();
	else if (!strcmp(mode, "divide-by-zero"))
		return minus_one / zero;
	else if (!strcmp(mode, "divide-overflow"))
		return int_min / minus_one;
	else if (!strcmp(mode, "null-function")) {
		void (*volatile fn)(void) = 0;

		fn();
	} else if (!strcmp(mode, "recurse"))
		return recurse(0);
	else
		return 100;
	return 42;
}

/* ---- the parent -------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* posix_spawn of this program with @mode; @in and @out become fds 3, 4. */
static pid_t start(const char *mode, int in, int out)
{
	char *argv[] = { (char *)self, (char *)mode, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	posix_spawn_file_actions_init(&fa);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 3);
	if (out >= 0)
		posix_spawn_file_actions_adddup2(&fa, out, 4);
	err = posix_spawn(&pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		errno = err;
		return -1;
	}
	return pid;
}

/* waitpid with a timeout (then SIGKILL); returns the status or -1. */
static int reap(pid_t pid, int ms)
{
	double end = now() + ms / 1000.0;
	int st, killed = 0;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return killed ? -1 : st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now() > end) {
			if (killed)
				return -1;
			kill(pid, SIGKILL);
			killed = 1;
			end = now() + 5;
		}
		usleep(2000);
	}
}

static const char *status(int st)
{
	static char s[64];

	if (st < 0)
		snprintf(s, sizeof(s), "timed out or lost");
	else if (WIFSIGNALED(st))
		snprintf(s, sizeof(s), "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(s, sizeof(s), "exit %d", WEXITSTATUS(st));
	return s;
}

/* Reads what @fd gives within @ms, up to @n - 1 bytes, NUL-terminated;
 * stops at a newline when @line. */
static size_t get(int fd, char *buf, size_t n, int ms, int line)
{
	size_t got = 0;
	double end = now() + ms / 1000.0;

	while (got + 1 < n) {
		struct pollfd p = { fd, POLLIN, 0 };
		int left = (int)((end - now()) * 1000);

		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		ssize_t r = read(fd, buf + got, line ? 1 : n - 1 - got);

		if (r <= 0)
			break;
		got += r;
		if (line && buf[got - 1] == '\n')
			break;
	}
	buf[got] = 0;
	return got;
}

struct sib {
	pid_t pid;
	int cmd, rep;
	void *addr;
	unsigned mem;
};

static int sibling_start(struct sib *s)
{
	int cmd[2], rep[2];
	char line[128];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(rep, O_CLOEXEC))
		return -1;
	s->pid = start("sibling", cmd[0], rep[1]);
	close(cmd[0]);
	close(rep[1]);
	s->cmd = cmd[1];
	s->rep = rep[0];
	if (s->pid < 0)
		return -1;
	get(s->rep, line, sizeof(line), 20000, 1);
	return sscanf(line, "ready %p %u", &s->addr, &s->mem) == 2 ? 0 : -1;
}

/* Asks the sibling to check its area: the number of bad bytes, or -1. */
static long sibling_check(struct sib *s)
{
	char line[128];
	unsigned long bad;

	if (write(s->cmd, "c", 1) != 1)
		return -1;
	get(s->rep, line, sizeof(line), 20000, 1);
	return sscanf(line, "bad %lu", &bad) == 1 ? (long)bad : -1;
}

static int sibling_quit(struct sib *s)
{
	int st;

	(void)!write(s->cmd, "q", 1);
	close(s->cmd);
	st = reap(s->pid, 20000);
	close(s->rep);
	return st;
}

/* A raw system call: the result, or -errno. */
#define sc(nr, a, b, c, d, e, f) \
	raw_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static void efault(const char *what, long r)
{
	tap(r == -EFAULT, "%s: %s", what,
	    r == -EFAULT ? "EFAULT" : r < 0 ? strerror(-r) : "succeeded");
}

static void bad_pointers(void)
{
	uint32_t end = memory_bytes();
	char data[4096];
	int fd, pfd[2];
	long r;

	fd = open("/tmp/isolation.dat", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	memset(data, 'd', sizeof(data));
	if (fd < 0 || write(fd, data, sizeof(data)) != sizeof(data)) {
		tap(0, "cannot make /tmp/isolation.dat: %s", strerror(errno));
		return;
	}
	efault("write from 0xfffffff0", sc(SYS_write, fd, BAD_PTR, 64, 0, 0, 0));
	efault("write from memory.size", sc(SYS_write, fd, end, 64, 0, 0, 0));
	efault("pread into 0xfffffff0", sc(SYS_pread64, fd, BAD_PTR, 64, 0, 0, 0));
	efault("pread into memory.size", sc(SYS_pread64, fd, end, 64, 0, 0, 0));
	efault("pread into memory.size + 1 MiB", sc(SYS_pread64, fd, end + (1u << 20), 64, 0, 0, 0));
	efault("openat of a path at 0xfffffff0",
	       sc(SYS_openat, AT_FDCWD, BAD_PTR, O_RDONLY, 0, 0, 0));
	efault("statx into 0xfffffff0",
	       sc(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, BAD_PTR, 0));
	efault("uname into memory.size", sc(SYS_uname, end, 0, 0, 0, 0, 0));
	efault("clock_gettime into 0xfffffff0",
	       sc(SYS_clock_gettime64, CLOCK_MONOTONIC, BAD_PTR, 0, 0, 0, 0));
	efault("pipe2 into 0xfffffff0", sc(SYS_pipe2, BAD_PTR, 0, 0, 0, 0, 0));
	{
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		efault("futex wait on 0xfffffff0 (10 ms timeout)",
		       sc(SYS_futex_time64, BAD_PTR, 128 /* FUTEX_WAIT_PRIVATE */, 0, &ts, 0, 0));
	}
	{
		struct iovec { void *base; size_t len; } iov = { BAD_PTR, 64 };

		efault("readv with an iovec base at 0xfffffff0",
		       sc(SYS_preadv, fd, &iov, 1, 0, 0, 0));
		efault("readv with the iovec array at 0xfffffff0",
		       sc(SYS_preadv, fd, BAD_PTR, 1, 0, 0, 0));
	}
	/* Straddling the end: either EFAULT or the bytes before the end. */
	r = sc(SYS_write, fd, end - 16, 64, 0, 0, 0);
	tap(r == -EFAULT || (r >= 0 && r <= 16),
	    "write of 64 bytes from 16 before the end: %s (%ld)",
	    r == -EFAULT ? "EFAULT" : r < 0 ? strerror(-r) : "short write", r);
	{
		char *argv[] = { "x", NULL };
		pid_t pid;
		int err = posix_spawn(&pid, BAD_PTR, NULL, NULL, argv, environ);

		tap(err == EFAULT, "posix_spawn of a path at 0xfffffff0: %s",
		    err ? strerror(err) : "started");
		if (!err)
			reap(pid, 5000);
	}
	/* The first page of the memory is a guard the kernel refuses. */
	efault("write from address 0", sc(SYS_write, fd, 0, 16, 0, 0, 0));
	efault("read into address 4095", sc(SYS_read, fd, 4095, 1, 0, 0, 0));
	tap(sc(SYS_write, fd, 0, 0, 0, 0, 0) == 0, "write of 0 bytes from address 0: 0");
	close(fd);
	unlink("/tmp/isolation.dat");
	(void)pfd;
}

static int parent(void)
{
	static const struct {
		const char *mode;
		int sig, sig2;
	} traps[] = {
		{ "store-past-end", SIGSEGV, SIGBUS },
		{ "load-past-end", SIGSEGV, SIGBUS },
		{ "unreachable", SIGILL, SIGILL },
		{ "divide-by-zero", SIGFPE, SIGFPE },
		{ "divide-overflow", SIGFPE, SIGFPE },
		{ "null-function", SIGSEGV, SIGSEGV },
		{ "recurse", SIGSEGV, SIGBUS },
	};
	unsigned char *heap = malloc(HEAP_SIZE);
	struct sib s, s2;
	char buf[256];
	int rep[2], st;
	double t0 = now();

	printf("1..%d\n", 39);
	fill(area, AREA_SIZE, SALT_PARENT);
	fill(heap, HEAP_SIZE, SALT_HEAP);
	tap(!check(area, AREA_SIZE, SALT_PARENT) && !check(heap, HEAP_SIZE, SALT_HEAP),
	    "parent: patterns in its static area at %p and heap at %p, memory %u bytes",
	    (void *)area, (void *)heap, memory_bytes());

	tap(!sibling_start(&s), "sibling started, area at %p, memory %u bytes",
	    s.addr, s.mem);
	tap(s.addr == (void *)area,
	    "the sibling's area is at the same address as the parent's (%p)", s.addr);

	/* The scribbler. */
	if (pipe2(rep, O_CLOEXEC)) {
		tap(0, "pipe2: %s", strerror(errno));
		return 1;
	}
	double ts = now();
	pid_t pid = start("scribble", rep[1], -1);

	close(rep[1]);
	unsigned size = 0;
	void *addr = NULL;

	get(rep[0], buf, sizeof(buf), 20000, 1);
	tap(pid > 0 && sscanf(buf, "size %u area %p", &size, &addr) == 2 && size,
	    "scribbler started: %u bytes of memory, area at %p", size, addr);
	size_t n = get(rep[0], buf, 17, 60000, 0);
	int all5a = n == 16;

	for (size_t i = 0; i < n; i++)
		all5a &= (unsigned char)buf[i] == 0x5a;
	close(rep[0]);
	st = pid > 0 ? reap(pid, 60000) : -1;
	tap(all5a, "scribbler overwrote all its memory (it sent %zu bytes of 0x5a back)", n);
	tap(st >= 0 && WIFSIGNALED(st) &&
	    (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGBUS),
	    "scribbler's store past the end trapped: %s (%.2f s)", status(st), now() - ts);

	size_t pa = check(area, AREA_SIZE, SALT_PARENT), ph = check(heap, HEAP_SIZE, SALT_HEAP);

	tap(!pa && !ph, "parent's patterns intact (%zu + %zu bad bytes)", pa, ph);
	long sb = sibling_check(&s);

	tap(sb == 0, "sibling's pattern intact (it reports %ld bad bytes)", sb);

	for (size_t i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		double t = now();

		pid = start(traps[i].mode, -1, -1);
		st = pid > 0 ? reap(pid, 60000) : -1;
		tap(st >= 0 && WIFSIGNALED(st) &&
		    (WTERMSIG(st) == traps[i].sig || WTERMSIG(st) == traps[i].sig2),
		    "child %s: %s (%.2f s)", traps[i].mode, status(st), now() - t);
	}

	bad_pointers();

	pa = check(area, AREA_SIZE, SALT_PARENT);
	ph = check(heap, HEAP_SIZE, SALT_HEAP);
	sb = sibling_check(&s);
	tap(!pa && !ph && sb == 0,
	    "after all that: parent %zu + %zu, sibling %ld bad bytes", pa, ph, sb);
	st = sibling_quit(&s);
	tap(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "sibling quits: %s", status(st));

	/* The kernel still works. */
	int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	char mi[2048];
	ssize_t r = fd >= 0 ? read(fd, mi, sizeof(mi) - 1) : -1;
	unsigned long total = 0, avail = 0;

	if (fd >= 0)
		close(fd);
	mi[r > 0 ? r : 0] = 0;
	char *p = strstr(mi, "MemTotal:"), *q = strstr(mi, "MemFree:");

	if (p)
		sscanf(p, "MemTotal: %lu", &total);
	if (q)
		sscanf(q, "MemFree: %lu", &avail);
	tap(total > 0 && avail > 0, "/proc/meminfo: MemTotal %lu kB, MemFree %lu kB",
	    total, avail);
	tap(!sibling_start(&s2) && sibling_check(&s2) == 0,
	    "a new sibling starts and checks its pattern");
	st = sibling_quit(&s2);
	tap(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the new sibling quits: %s",
	    status(st));
	int left = waitpid(-1, NULL, WNOHANG);

	tap(left < 0 && errno == ECHILD, "no child left over");
	printf("# %d tests in %.2f s\n", tapno, now() - t0);
	free(heap);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char exe[256];
	ssize_t n;

	self = argv[0];
	if (!strchr(self, '/') && (n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = 0;
		self = exe;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "sibling"))
		return sibling(3, 4);
	if (argc > 1)
		return child(argv[1]);
	return parent();
}
