// SPDX-License-Identifier: GPL-2.0
/*
 * fork(): returns twice, both sides run at once in memories of their own,
 * the child inherits what Linux says, and setjmp/longjmp, atfork, exec,
 * wait statuses, nesting and a fork bomb behave as on any Linux.
 * Runs natively (the reference) and in the guest, static and linked
 * against libc.so (fork-shared).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static const char *self;

/* Waits for @pid; its exit status, or 128 + signal, or -1. */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

static int t_twice(void)
{
	pid_t parent = getpid(), pid;
	int fd[2], seen = 0;

	if (pipe(fd))
		return 0;
	pid = fork();
	if (pid == 0) {
		int ok = getpid() != parent && getppid() == parent;

		_exit(write(fd[1], &ok, sizeof(ok)) == sizeof(ok) ? 0 : 1);
	}
	close(fd[1]);
	if (pid <= 0 || read(fd[0], &seen, sizeof(seen)) != sizeof(seen))
		return 0;
	close(fd[0]);
	return reap(pid) == 0 && seen == 1;
}

/* 200 round trips over two pipes: both sides must run. */
static int t_ping_pong(void)
{
	int up[2], down[2], i, n = 0;
	pid_t pid;

	if (pipe(up) || pipe(down))
		return 0;
	pid = fork();
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		while (read(down[0], &i, sizeof(i)) == sizeof(i)) {
			i++;
			if (write(up[1], &i, sizeof(i)) != sizeof(i))
				_exit(1);
		}
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	for (i = 0; i < 200; i++) {
		int v = 2 * i, back;

		if (write(down[1], &v, sizeof(v)) != sizeof(v) ||
		    read(up[0], &back, sizeof(back)) != sizeof(back))
			break;
		n += back == v + 1;
	}
	close(down[1]);
	close(up[0]);
	return reap(pid) == 0 && n == 200;
}

static volatile unsigned long spin;

/* The child loops without a system call; the parent goes on, then kills it. */
static int t_parent_runs(void)
{
	struct timespec t = { 0, 20 * 1000 * 1000 };
	int i, ticks = 0;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		for (;;)
			spin++;
	}
	if (pid < 0)
		return 0;
	for (i = 0; i < 5; i++)
		ticks += nanosleep(&t, NULL) == 0;
	kill(pid, SIGKILL);
	return reap(pid) == 128 + SIGKILL && ticks == 5;
}

static int g_data = 1;
static int g_bss;
static __thread int g_tls = 1;

struct places {
	int *data, *bss, *heap, *stack, *tls, *anon, *file;
};

static void store(struct places *p, int v)
{
	*p->data = v;
	*p->bss = v;
	*p->heap = v;
	*p->stack = v;
	*p->tls = v;
	*p->anon = v;
	*p->file = v;
}

/* How many of the seven places hold @v. */
static int count(struct places *p, int v)
{
	return (*p->data == v) + (*p->bss == v) + (*p->heap == v) +
	       (*p->stack == v) + (*p->tls == v) + (*p->anon == v) +
	       (*p->file == v);
}

/*
 * Data, bss, heap, stack, TLS, an anonymous and a private file mapping:
 * the child sees the values of the moment of fork, and after that each
 * side's writes stay its own, both ways.
 */
static int t_memory(void)
{
	char path[] = "/tmp/fork-mapXXXXXX";
	int stack_var = 1, go[2], done[2], fd, c = 0, at_fork = 0, mine = 0;
	struct places p;
	pid_t pid;

	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 4096) || pipe(go) || pipe(done))
		return 0;
	unlink(path);
	p.data = &g_data;
	p.bss = &g_bss;
	p.heap = malloc(sizeof(int));
	p.stack = &stack_var;
	p.tls = &g_tls;
	p.anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p.file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (!p.heap || p.anon == MAP_FAILED || p.file == MAP_FAILED)
		return 0;
	store(&p, 1);
	pid = fork();
	if (pid == 0) {
		int r = count(&p, 1);	/* 7: the values of the fork */

		store(&p, 3);
		/* Let the parent write, then check its writes did not come. */
		if (write(done[1], &r, sizeof(r)) != sizeof(r) ||
		    read(go[0], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		r = count(&p, 3);
		_exit(write(done[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	if (pid < 0 || read(done[0], &at_fork, sizeof(at_fork)) != sizeof(at_fork))
		return 0;
	/* The child has written 3 everywhere: still 1 here. */
	mine = count(&p, 1);
	store(&p, 2);
	if (write(go[1], &c, sizeof(c)) != sizeof(c) ||
	    read(done[0], &c, sizeof(c)) != sizeof(c))
		return 0;
	diag("child saw %d/7 at fork, parent kept %d/7, child kept %d/7",
	     at_fork, mine, c);
	return reap(pid) == 0 && at_fork == 7 && mine == 7 && c == 7 &&
	       count(&p, 2) == 7;
}

/* A descriptor is shared with its offset. */
static int t_fd_offset(void)
{
	char path[] = "/tmp/fork-fdXXXXXX";
	int fd = mkstemp(path);
	pid_t pid;
	off_t off;

	if (fd < 0)
		return 0;
	unlink(path);
	if (write(fd, "ab", 2) != 2)
		return 0;
	pid = fork();
	if (pid == 0)
		_exit(write(fd, "cd", 2) == 2 ? 0 : 1);
	if (reap(pid) != 0)
		return 0;
	off = lseek(fd, 0, SEEK_CUR);
	close(fd);
	return off == 4;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* cwd, umask, dispositions, the mask and rlimits carry over. */
static int t_inherit(void)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, h = { .sa_handler = on_usr1 };
	struct sigaction old1, old2;
	struct rlimit old_rl, rl;
	sigset_t block, oldmask;
	char cwd[256];
	mode_t oldmask_u;
	pid_t pid;

	if (!getcwd(cwd, sizeof(cwd)) || chdir("/tmp"))
		return 0;
	oldmask_u = umask(027);
	sigaction(SIGUSR1, &h, &old1);
	sigaction(SIGUSR2, &ign, &old2);
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	getrlimit(RLIMIT_NOFILE, &old_rl);
	rl = old_rl;
	rl.rlim_cur = 50;
	setrlimit(RLIMIT_NOFILE, &rl);
	pid = fork();
	if (pid == 0) {
		struct sigaction a1, a2;
		struct rlimit r;
		sigset_t m;
		char here[256];
		int bad = 0;

		bad |= !getcwd(here, sizeof(here)) || strcmp(here, "/tmp");
		bad |= (umask(0) != 027) << 1;
		sigaction(SIGUSR1, NULL, &a1);
		sigaction(SIGUSR2, NULL, &a2);
		bad |= (a1.sa_handler != on_usr1) << 2;
		bad |= (a2.sa_handler != SIG_IGN) << 3;
		sigprocmask(SIG_BLOCK, NULL, &m);
		bad |= !sigismember(&m, SIGHUP) << 4;
		getrlimit(RLIMIT_NOFILE, &r);
		bad |= (r.rlim_cur != 50) << 5;
		_exit(bad);
	}
	setrlimit(RLIMIT_NOFILE, &old_rl);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGUSR1, &old1, NULL);
	sigaction(SIGUSR2, &old2, NULL);
	umask(oldmask_u);
	if (chdir(cwd))
		return 0;
	{
		int r = reap(pid);

		if (r)
			diag("child's differences: %#x", r);
		return r == 0;
	}
}

static void *sleeper(void *arg)
{
	int *fd = arg;
	char c;

	/* Until the test closes the pipe. */
	return (void *)(intptr_t)read(*fd, &c, 1);
}

static int tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Only the calling thread goes to the child. */
static int t_one_thread(void)
{
	pthread_t th;
	int fd[2], r, before;
	pid_t pid;

	if (pipe(fd) || pthread_create(&th, NULL, sleeper, &fd[0]))
		return 0;
	before = tasks();
	pid = fork();
	if (pid == 0)
		_exit(tasks());
	r = reap(pid);
	close(fd[1]);
	pthread_join(th, NULL);
	close(fd[0]);
	diag("threads: %d in the parent, %d in the child", before, r);
	return before == 2 && r == 1;
}

static char order[8];
static int norder;

static void at_prepare(void)
{
	if (norder < 7)
		order[norder++] = 'p';
}

static void at_parent(void)
{
	if (norder < 7)
		order[norder++] = 'P';
}

static void at_child(void)
{
	if (norder < 7)
		order[norder++] = 'C';
}

static int t_atfork(void)
{
	pid_t pid;

	if (pthread_atfork(at_prepare, at_parent, at_child))
		return 0;
	pid = fork();
	if (pid == 0)
		_exit(strcmp(order, "pC") ? 1 : 0);
	return reap(pid) == 0 && !strcmp(order, "pP");
}

/* Each child forks again: the deepest exits 0, each parent adds 1. */
static int nest(int depth)
{
	pid_t pid;
	int r;

	if (depth == 0)
		return 0;
	pid = fork();
	if (pid < 0)
		return 100;
	if (pid == 0)
		_exit(nest(depth - 1));
	r = reap(pid);
	return r < 0 || r >= 100 ? 100 : r + 1;
}

static int t_nested(void)
{
	return nest(16) == 16;
}

static int t_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(self, self, "--exit", "7", (char *)NULL);
		_exit(99);
	}
	return reap(pid) == 7;
}

static volatile sig_atomic_t got_chld;

static void on_chld(int sig)
{
	(void)sig;
	got_chld++;
}

/* Exit codes, death by signal, and SIGCHLD for each. */
static int t_wait_status(void)
{
	struct sigaction sa = { .sa_handler = on_chld }, old;
	int st1 = -1, st2 = -1;
	pid_t a, b;

	sigaction(SIGCHLD, &sa, &old);
	got_chld = 0;
	a = fork();
	if (a == 0)
		_exit(42);
	b = fork();
	if (b == 0) {
		for (;;)
			pause();
	}
	if (a > 0)
		waitpid(a, &st1, 0);
	if (b > 0) {
		kill(b, SIGTERM);
		waitpid(b, &st2, 0);
	}
	sigaction(SIGCHLD, &old, NULL);
	return WIFEXITED(st1) && WEXITSTATUS(st1) == 42 &&
	       WIFSIGNALED(st2) && WTERMSIG(st2) == SIGTERM && got_chld == 2;
}

static jmp_buf top;

/* fork below a setjmp, and a longjmp in the child to it. */
static int t_setjmp(void)
{
	volatile int round = 0;
	pid_t pid;

	if (setjmp(top)) {
		/* Only the child comes back here. */
		_exit(round == 1 ? 21 : 1);
	}
	round = 1;
	pid = fork();
	if (pid == 0)
		longjmp(top, 1);
	return reap(pid) == 21 && round == 1;
}

/* vfork called through a pointer, where no macro can see it. */
static int t_vfork_pointer(void)
{
	pid_t (*volatile vf)(void) = vfork;
	pid_t pid = vf();

	if (pid == 0)
		_exit(5);
	return pid > 0 && reap(pid) == 5;
}

/*
 * A fork bomb under RLIMIT_NPROC, as a user without privileges (root is
 * exempt): fork fails with EAGAIN, and the tree is cleaned up.
 */
static int t_bomb(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit rl = { 8, 8 };
		int i, err = 0;

		setpgid(0, 0);
		if (getuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(2);
		if (setrlimit(RLIMIT_NPROC, &rl))
			_exit(3);
		for (i = 0; i < 64; i++) {
			pid_t c = fork();

			if (c == 0) {
				pause();
				_exit(0);
			}
			if (c < 0) {
				err = errno;
				break;
			}
		}
		kill(0, SIGKILL);
		_exit(err == EAGAIN ? 0 : 4);
	}
	if (pid < 0)
		return 0;
	{
		int r = reap(pid);

		/* The group's other members are killed; collect the child. */
		if (r != 128 + SIGKILL && r != 0)
			diag("fork bomb: status %d", r);
		return r == 128 + SIGKILL || r == 0;
	}
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 2 && !strcmp(argv[1], "--exit"))
		return atoi(argv[2]);
	plan(15);
	ok(t_twice(), "fork returns twice: the pid in the parent, 0 in the child");
	ok(t_ping_pong(), "parent and child run at once: 200 round trips over two pipes");
	ok(t_parent_runs(), "the parent goes on while its child loops, and kills it");
	ok(t_memory(), "data, bss, heap, stack, TLS, anonymous and file mappings are copied, then separate");
	ok(t_fd_offset(), "a descriptor is shared with its file offset");
	ok(t_inherit(), "cwd, umask, signal dispositions and mask, rlimits are inherited");
	ok(t_one_thread(), "only the calling thread is in the child");
	ok(t_atfork(), "pthread_atfork handlers run in order on both sides");
	ok(t_nested(), "forks nest 16 deep");
	ok(t_exec(), "fork then execve: the child's exit status comes back");
	ok(t_wait_status(), "waitpid: exit status, death by signal, SIGCHLD for each");
	ok(t_setjmp(), "fork below setjmp; the child longjmps back to it");
	ok(t_vfork_pointer(), "vfork called through a pointer makes a child");
	ok(t_bomb(), "a fork bomb meets RLIMIT_NPROC with EAGAIN");
	{
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		ok(pid > 0 && reap(pid) == 0, "fork still works after the bomb");
	}
	return ksft_get_fail_cnt() ? 1 : 0;
}
