// SPDX-License-Identifier: GPL-2.0
/*
 * Miscellaneous conformance: getrandom, uname, gethostname, rlimits,
 * umask, chdir/getcwd, terminal ioctls on /dev/console (skipped when it
 * is not a terminal), and EFAULT from system calls given bad user
 * pointers ((void *)16 and (void *)-64) instead of a crash.  Prints TAP;
 * exits 0 if all passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define BAD_LOW ((void *)16)
#define BAD_HIGH ((void *)-64)

static int t_getrandom(void)
{
	unsigned char a[32], b[32], big[4096];
	ssize_t r;
	int i, zeros = 0;

	CHECK(getrandom(a, sizeof(a), 0) == (ssize_t)sizeof(a));
	CHECK(getrandom(b, sizeof(b), 0) == (ssize_t)sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	r = getrandom(a, 16, GRND_NONBLOCK);
	/* EAGAIN only while the pool is not initialized (getrandom(2)). */
	if (r != 16)
		diag("getrandom GRND_NONBLOCK: %zd, errno %d", r, errno);
	CHECK(r == 16 || (r == -1 && errno == EAGAIN));
	CHECK(getrandom(big, sizeof(big), 0) == (ssize_t)sizeof(big));
	for (i = 0; i < (int)sizeof(big); i++)
		zeros += big[i] == 0;
	CHECK(zeros < 100);		/* about 16 expected */
	CHECK(getrandom(a, 0, 0) == 0);
	errno = 0;
	CHECK(getrandom(a, 8, 0x4000) == -1 && errno == EINVAL);
	return 1;
}

static int t_uname(void)
{
	struct utsname u;

	CHECK(uname(&u) == 0);
	CHECK(strcmp(u.sysname, "Linux") == 0);
	CHECK(u.machine[0] != 0 && u.release[0] != 0 && u.version[0] != 0);
	diag("%s %s %s", u.sysname, u.release, u.machine);
	return 1;
}

static int t_hostname(void)
{
	struct utsname u;
	char name[HOST_NAME_MAX + 1], tiny[2];

	CHECK(gethostname(name, sizeof(name)) == 0);
	CHECK(uname(&u) == 0 && strcmp(name, u.nodename) == 0);
	CHECK(name[0] != 0);
	/* Too small a buffer: truncated without error, or ENAMETOOLONG as
	 * glibc does (gethostname(2)). */
	if (strlen(name) >= sizeof(tiny)) {
		int r;

		errno = 0;
		memset(tiny, 0, sizeof(tiny));
		r = gethostname(tiny, sizeof(tiny));
		CHECK((r == -1 && errno == ENAMETOOLONG) ||
		      (r == 0 && tiny[0] == name[0]));
	}
	return 1;
}

static int t_rlimit(void)
{
	struct rlimit old, rl;
	int fds[80], n = 0, fd, i, base;

	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
	CHECK(old.rlim_cur <= old.rlim_max && old.rlim_cur >= 64);
	rl = old;
	rl.rlim_cur = 32;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 32);
	/* Descriptors stop at the limit with EMFILE. */
	base = open("/dev/null", O_RDONLY);
	CHECK(base >= 0);
	while (n < 80 && (fd = dup(base)) >= 0)
		fds[n++] = fd;
	CHECK(n < 80 && errno == EMFILE);
	for (i = 0; i < n; i++)
		CHECK(fds[i] < 32);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(base);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
	/* Soft above hard: EINVAL. */
	rl = old;
	if (rl.rlim_max != RLIM_INFINITY) {
		rl.rlim_cur = rl.rlim_max + 1;
		errno = 0;
		CHECK(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EINVAL);
	}
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur > 0);
	CHECK(prlimit(0, RLIMIT_CORE, NULL, &rl) == 0);
	errno = 0;
	CHECK(getrlimit(12345, &rl) == -1 && errno == EINVAL);
	return 1;
}

static int t_umask(void)
{
	char path[512];
	struct stat st;
	mode_t old;
	int fd;

	old = umask(022);
	CHECK(umask(077) == 022);
	snprintf(path, sizeof(path), "%s/conf-misc.%d", tmp_dir(), (int)getpid());
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0666);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600);
	close(fd);
	unlink(path);
	CHECK(mkdir(path, 0777) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0700);
	rmdir(path);
	CHECK(umask(old) == 077);
	return 1;
}

static int t_chdir_getcwd(void)
{
	char base[PATH_MAX], dir[PATH_MAX + 64], cwd[PATH_MAX], small[4];
	int back;

	CHECK(realpath(tmp_dir(), base) != NULL);
	snprintf(dir, sizeof(dir), "%s/conf-cwd.%d", base, (int)getpid());
	CHECK(mkdir(dir, 0755) == 0);
	back = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(back >= 0);
	CHECK(chdir(dir) == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) == cwd);
	if (strcmp(cwd, dir))
		diag("getcwd %s, expected %s", cwd, dir);
	CHECK(strcmp(cwd, dir) == 0);
	/* Relative paths are resolved from here. */
	CHECK(mkdir("sub", 0755) == 0);
	CHECK(chdir("sub") == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) && strlen(cwd) == strlen(dir) + 4 &&
	      strcmp(cwd + strlen(dir), "/sub") == 0);
	CHECK(chdir("..") == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, dir) == 0);
	errno = 0;
	CHECK(getcwd(small, sizeof(small)) == NULL && errno == ERANGE);
	errno = 0;
	CHECK(chdir("no-such-dir") == -1 && errno == ENOENT);
	CHECK(rmdir("sub") == 0);
	CHECK(fchdir(back) == 0);
	close(back);
	CHECK(rmdir(dir) == 0);
	return 1;
}

/* TCGETS/TCSETS round trip and TIOCGWINSZ on /dev/console. */
static void t_tty(void)
{
	struct termios t, t2, orig;
	struct winsize ws;
	int fd = open("/dev/console", O_RDWR | O_NOCTTY | O_NONBLOCK);
	int good = 1;

	if (fd < 0 || !isatty(fd)) {
		char why[128];

		snprintf(why, sizeof(why), "/dev/console is not a terminal here (%s)",
			 fd < 0 ? strerror(errno) : "not a tty");
		skip("TCGETS/TCSETS round trip on /dev/console", why);
		skip("TIOCGWINSZ on /dev/console", why);
		if (fd >= 0)
			close(fd);
		return;
	}
	if (ioctl(fd, TCGETS, &orig) != 0) {
		diag("TCGETS: %s", strerror(errno));
		good = 0;
	}
	t = orig;
	t.c_lflag ^= ECHOE;
	t.c_cc[VMIN] = 3;
	if (good && ioctl(fd, TCSETS, &t) != 0) {
		diag("TCSETS: %s", strerror(errno));
		good = 0;
	}
	if (good && (ioctl(fd, TCGETS, &t2) != 0 || t2.c_lflag != t.c_lflag ||
		     t2.c_cc[VMIN] != 3)) {
		diag("TCGETS after TCSETS: lflag 0%o, wanted 0%o", (unsigned)t2.c_lflag,
		     (unsigned)t.c_lflag);
		good = 0;
	}
	if (ioctl(fd, TCSETS, &orig) != 0 || tcgetattr(fd, &t2) != 0 ||
	    t2.c_lflag != orig.c_lflag)
		good = 0;
	ok(good, "TCGETS/TCSETS round trip on /dev/console (and restore)");
	memset(&ws, 0xff, sizeof(ws));
	good = ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row != 0xffff && ws.ws_col != 0xffff;
	diag("console window %ux%u", ws.ws_col, ws.ws_row);
	ok(good, "TIOCGWINSZ on /dev/console");
	close(fd);
}

static int t_notty(void)
{
	struct termios t;
	int p[2], fd;

	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK(isatty(p[0]) == 0 && errno == ENOTTY);
	errno = 0;
	CHECK(tcgetattr(p[1], &t) == -1 && errno == ENOTTY);
	close(p[0]);
	close(p[1]);
	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(isatty(fd) == 0 && errno == ENOTTY);
	close(fd);
	errno = 0;
	CHECK(isatty(12345) == 0 && errno == EBADF);
	return 1;
}

/* Bad user pointers through raw system calls (the C library might touch
 * the pointer itself): each must fail with EFAULT. */
static long efault(long r)
{
	return r == -1 && errno == EFAULT;
}

static int t_efault_rw(void)
{
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "0123456789", 10) == 10);
	errno = 0;
	CHECK(efault(syscall(SYS_read, p[0], BAD_LOW, 10)));
	errno = 0;
	CHECK(efault(syscall(SYS_read, p[0], BAD_HIGH, 10)));
	errno = 0;
	CHECK(efault(syscall(SYS_write, p[1], BAD_HIGH, 10)));
	errno = 0;
	CHECK(efault(syscall(SYS_write, p[1], BAD_LOW, 10)));
	/* The data is still there, nothing was consumed by the failures
	 * beyond what the kernel documents (read may lose it: only check
	 * that the pipe still works). */
	{
		char buf[32];

		CHECK(write(p[1], "z", 1) == 1);
		CHECK(read(p[0], buf, sizeof(buf)) > 0);
	}
	close(p[0]);
	close(p[1]);
	return 1;
}

static int t_efault_misc(void)
{
	errno = 0;
	CHECK(efault(syscall(SYS_uname, BAD_LOW)));
	errno = 0;
	CHECK(efault(syscall(SYS_uname, BAD_HIGH)));
#ifdef SYS_clock_gettime64
	errno = 0;
	CHECK(efault(syscall(SYS_clock_gettime64, CLOCK_MONOTONIC, BAD_HIGH)));
	errno = 0;
	CHECK(efault(syscall(SYS_clock_gettime64, CLOCK_REALTIME, BAD_LOW)));
#else
	errno = 0;
	CHECK(efault(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_HIGH)));
	errno = 0;
	CHECK(efault(syscall(SYS_clock_gettime, CLOCK_REALTIME, BAD_LOW)));
#endif
	errno = 0;
	CHECK(efault(syscall(SYS_pipe2, BAD_LOW, 0)));
	errno = 0;
	CHECK(efault(syscall(SYS_pipe2, BAD_HIGH, 0)));
	errno = 0;
	CHECK(efault(syscall(SYS_getrandom, BAD_HIGH, 16, 0)));
	return 1;
}

static int t_efault_stat(void)
{
	struct stat st;

	/* statx(2) writes the result; both pointers are checked. */
	errno = 0;
	CHECK(efault(syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, BAD_LOW)));
	errno = 0;
	CHECK(efault(syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, BAD_HIGH)));
	/* A bad path pointer, through the C library too. */
	errno = 0;
	CHECK(efault(stat((const char *)BAD_HIGH, &st)));
	errno = 0;
	CHECK(efault(stat((const char *)BAD_LOW, &st)));
	errno = 0;
	CHECK(efault(open((const char *)BAD_HIGH, O_RDONLY)));
	errno = 0;
	CHECK(efault(chdir((const char *)BAD_LOW)));
	return 1;
}

int main(void)
{
	plan(14);
	ok(t_getrandom(), "getrandom: two reads differ, GRND_NONBLOCK, 4 KiB, size 0, EINVAL flags");
	ok(t_uname(), "uname: sysname Linux, machine, release and version set");
	ok(t_hostname(), "gethostname equals uname's nodename; truncation or ENAMETOOLONG");
	ok(t_rlimit(), "getrlimit/setrlimit RLIMIT_NOFILE: EMFILE at the limit, EINVAL soft > hard");
	ok(t_umask(), "umask returns the old mask and applies to files and directories");
	ok(t_chdir_getcwd(), "chdir/getcwd: absolute and relative, .., ERANGE, ENOENT, fchdir");
	t_tty();
	ok(t_notty(), "isatty/tcgetattr on a pipe and /dev/null: ENOTTY; isatty EBADF");
	ok(t_efault_rw(), "read/write with buffers at 16 and -64: EFAULT, no crash");
	ok(t_efault_misc(), "uname, clock_gettime, pipe2, getrandom with bad pointers: EFAULT");
	ok(t_efault_stat(), "statx buffer and stat/open/chdir path at bad addresses: EFAULT");
	{
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		ok(n >= 1, "sysconf(_SC_NPROCESSORS_ONLN) >= 1 (%ld)", n);
	}
	{
		uid_t u = getuid();

		ok(u == geteuid() && getgid() == getegid(),
		   "getuid == geteuid, getgid == getegid (not set-id)");
	}
	return done();
}
