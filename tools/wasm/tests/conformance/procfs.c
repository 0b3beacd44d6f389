// SPDX-License-Identifier: GPL-2.0
/*
 * /proc conformance (proc(5)): /proc/self and /proc/PID, stat, status,
 * fd and fdinfo, exe, cwd, cmdline, task, meminfo, cpuinfo, uptime,
 * loadavg, version, stat, filesystems.  Prints TAP; exits 0 if all
 * passed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

static char *self_arg;

/* Reads a whole (small) file into a static buffer, NUL-terminated;
 * returns its length or -1. */
static char filebuf[65536];

static ssize_t slurp(const char *path)
{
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (got < sizeof(filebuf) - 1 &&
	       (n = read(fd, filebuf + got, sizeof(filebuf) - 1 - got)) > 0)
		got += n;
	close(fd);
	filebuf[got] = 0;
	return got;
}

/* The value after "Key:" in filebuf, as a long, or LONG_MIN. */
static long field(const char *key)
{
	char pat[64];
	char *p;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	if (!strncmp(filebuf, pat + 1, strlen(pat + 1)))
		p = filebuf + strlen(pat + 1);
	else if ((p = strstr(filebuf, pat)) != NULL)
		p += strlen(pat);
	else
		return LONG_MIN;
	return strtol(p, NULL, 10);
}

static int t_self_link(void)
{
	char buf[64], want[32];
	ssize_t n;

	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = 0;
	snprintf(want, sizeof(want), "%d", (int)getpid());
	CHECK(strcmp(buf, want) == 0);
	return 1;
}

static int t_stat(void)
{
	char comm[64], state, *base, *close_paren;
	int pid, ppid, pgrp, session;
	ssize_t n;

	n = slurp("/proc/self/stat");
	CHECK(n > 0);
	CHECK(sscanf(filebuf, "%d", &pid) == 1 && pid == getpid());
	close_paren = strrchr(filebuf, ')');
	CHECK(filebuf[strlen(filebuf) - 1] == '\n');
	CHECK(close_paren && strchr(filebuf, '('));
	n = close_paren - strchr(filebuf, '(') - 1;
	CHECK(n > 0 && n < (ssize_t)sizeof(comm));
	memcpy(comm, strchr(filebuf, '(') + 1, n);
	comm[n] = 0;
	base = strrchr(self_arg, '/') ? strrchr(self_arg, '/') + 1 : self_arg;
	CHECK(strncmp(comm, base, 15) == 0);
	CHECK(sscanf(close_paren + 1, " %c %d %d %d", &state, &ppid, &pgrp, &session) == 4);
	CHECK(state == 'R');		/* we are the one reading it */
	CHECK(ppid == getppid() && pgrp == getpgrp() && session == getsid(0));
	/* At least the 44 fields of Linux 2.6; count them. */
	{
		int fields = 2;
		char *p = close_paren + 1;

		while ((p = strchr(p, ' ')) != NULL) {
			fields++;
			p++;
		}
		CHECK(fields >= 44);
	}
	/*
	 * Another process's: our parent's pid field (unless the parent is
	 * outside our pid namespace, when getppid() is 0).
	 */
	if (getppid() > 0) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)getppid());
		CHECK(slurp(path) > 0);
		CHECK(sscanf(filebuf, "%d", &pid) == 1 && pid == getppid());
	}
	return 1;
}

static int t_status(void)
{
	char name[32], want[16];
	char *p;

	CHECK(slurp("/proc/self/status") > 0);
	CHECK(strncmp(filebuf, "Name:\t", 6) == 0);
	CHECK(sscanf(filebuf + 6, "%31s", name) == 1);
	p = strrchr(self_arg, '/') ? strrchr(self_arg, '/') + 1 : self_arg;
	snprintf(want, sizeof(want), "%.15s", p);
	CHECK(strcmp(name, want) == 0);
	CHECK(field("Pid") == getpid());
	CHECK(field("PPid") == getppid());
	CHECK(field("Tgid") == getpid());
	CHECK(field("Threads") == 1);
	CHECK(field("Uid") == (long)getuid());
	CHECK(strstr(filebuf, "\nState:\tR") != NULL);
	CHECK(strstr(filebuf, "\nSigBlk:\t") != NULL);
	return 1;
}

static int t_fd_dir(void)
{
	char path[512], link[600], fdname[32];
	int fd, found_fd = 0, found_012 = 0, n;
	struct dirent *de;
	ssize_t len;
	DIR *d;

	snprintf(path, sizeof(path), "%s/conf-procfs.%d", tmp_dir(), (int)getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0);
	d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = atoi(de->d_name);
		if (n == fd)
			found_fd = 1;
		if (n >= 0 && n <= 2)
			found_012++;
	}
	closedir(d);
	CHECK(found_fd && found_012 == 3);
	snprintf(fdname, sizeof(fdname), "/proc/self/fd/%d", fd);
	len = readlink(fdname, link, sizeof(link) - 1);
	CHECK(len > 0);
	link[len] = 0;
	{
		char real[PATH_MAX];

		CHECK(realpath(path, real) != NULL);
		if (strcmp(link, real))
			diag("readlink %s: %s, expected %s", fdname, link, real);
		CHECK(strcmp(link, real) == 0);
	}
	/* fdinfo: pos and flags. */
	CHECK(write(fd, "12345", 5) == 5);
	snprintf(fdname, sizeof(fdname), "/proc/self/fdinfo/%d", fd);
	CHECK(slurp(fdname) > 0);
	CHECK(field("pos") == 5);
	unlink(path);
	len = readlink(fdname + 0, link, sizeof(link));	/* not a link */
	CHECK(len == -1 && errno == EINVAL);
	/* After unlink the link says "(deleted)". */
	snprintf(fdname, sizeof(fdname), "/proc/self/fd/%d", fd);
	len = readlink(fdname, link, sizeof(link) - 1);
	CHECK(len > 0);
	link[len] = 0;
	CHECK(strstr(link, " (deleted)") != NULL);
	/* Opening /proc/self/fd/N opens the file itself. */
	{
		int fd2 = open(fdname, O_RDONLY);
		char b[8];

		CHECK(fd2 >= 0 && read(fd2, b, 8) == 5 && memcmp(b, "12345", 5) == 0);
		close(fd2);
	}
	close(fd);
	return 1;
}

static int t_exe(void)
{
	char link[PATH_MAX];
	struct stat a, b;
	ssize_t n;

	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	CHECK(n > 0);
	link[n] = 0;
	CHECK(link[0] == '/');
	CHECK(stat(link, &a) == 0 && stat(self_arg, &b) == 0);
	CHECK(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	CHECK(stat("/proc/self/exe", &a) == 0 && a.st_ino == b.st_ino);
	/* A too-small buffer truncates without a NUL. */
	CHECK(readlink("/proc/self/exe", link, 3) == 3);
	return 1;
}

static int t_cwd_cmdline(void)
{
	char link[PATH_MAX], cwd[PATH_MAX];
	ssize_t n;

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	CHECK(n > 0);
	link[n] = 0;
	CHECK(strcmp(link, cwd) == 0);
	n = slurp("/proc/self/cmdline");
	if (n != (ssize_t)strlen(self_arg) + 1 + 5 + 1) {
		char shown[200];
		int i, k = 0;

		for (i = 0; i < n && i < 48; i++)
			k += snprintf(shown + k, sizeof(shown) - k,
				      filebuf[i] >= 32 && filebuf[i] < 127 ? "%c" : "\\%o",
				      (unsigned char)filebuf[i]);
		diag("/proc/self/cmdline: %zd bytes \"%s\", expected \"%s\\0extra\\0\"",
		     n, shown, self_arg);
	}
	CHECK(n == (ssize_t)strlen(self_arg) + 1 + 5 + 1);
	CHECK(strcmp(filebuf, self_arg) == 0);
	CHECK(memcmp(filebuf + strlen(self_arg) + 1, "extra", 6) == 0);
	CHECK(slurp("/proc/self/environ") >= 0);
	CHECK(slurp("/proc/self/comm") > 0 && filebuf[strlen(filebuf) - 1] == '\n');
	return 1;
}

static int t_task(void)
{
	char want[32];
	struct dirent *de;
	int found = 0, count = 0;
	DIR *d = opendir("/proc/self/task");

	CHECK(d != NULL);
	snprintf(want, sizeof(want), "%d", (int)getpid());
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		count++;
		if (!strcmp(de->d_name, want))
			found = 1;
	}
	closedir(d);
	CHECK(found && count == 1);
	/* /proc lists us among the processes. */
	d = opendir("/proc");
	CHECK(d != NULL);
	found = 0;
	while ((de = readdir(d)) != NULL)
		if (!strcmp(de->d_name, want))
			found = 1;
	closedir(d);
	CHECK(found);
	return 1;
}

static int t_meminfo(void)
{
	long total, freemem, avail;

	CHECK(slurp("/proc/meminfo") > 0);
	CHECK(strncmp(filebuf, "MemTotal:", 9) == 0);
	total = field("MemTotal");
	freemem = field("MemFree");
	avail = field("MemAvailable");
	diag("MemTotal %ld kB, MemFree %ld kB, MemAvailable %ld kB", total, freemem, avail);
	CHECK(total > 0 && freemem > 0 && freemem <= total);
	CHECK(avail != LONG_MIN && avail <= total);
	CHECK(strstr(filebuf, " kB\n") != NULL);
	return 1;
}

static int t_cpuinfo(void)
{
	ssize_t n = slurp("/proc/cpuinfo");

	CHECK(n > 0);
	CHECK(strchr(filebuf, ':') != NULL);
	diag("/proc/cpuinfo: %zd bytes", n);
	return 1;
}

static int t_uptime(void)
{
	double up1, idle1, up2, idle2;
	struct timespec ts = { 0, 200000000 }, mono;

	CHECK(slurp("/proc/uptime") > 0);
	CHECK(sscanf(filebuf, "%lf %lf", &up1, &idle1) == 2);
	CHECK(up1 > 0 && idle1 >= 0);
	CHECK(clock_gettime(CLOCK_BOOTTIME, &mono) == 0);
	/* Agrees with CLOCK_BOOTTIME to within a second. */
	CHECK(up1 <= mono.tv_sec + 1.0 && up1 >= mono.tv_sec - 1.0);
	CHECK(nanosleep(&ts, NULL) == 0);
	CHECK(slurp("/proc/uptime") > 0);
	CHECK(sscanf(filebuf, "%lf %lf", &up2, &idle2) == 2);
	CHECK(up2 >= up1 + 0.1);
	return 1;
}

static int t_misc_files(void)
{
	double l1, l5, l15;
	int running, total, last;

	CHECK(slurp("/proc/loadavg") > 0);
	CHECK(sscanf(filebuf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running,
		     &total, &last) == 6);
	CHECK(l1 >= 0 && running >= 1 && total >= running && last > 0);
	CHECK(slurp("/proc/version") > 0 && strncmp(filebuf, "Linux version ", 14) == 0);
	CHECK(slurp("/proc/stat") > 0 && strncmp(filebuf, "cpu ", 4) == 0);
	CHECK(strstr(filebuf, "\nbtime ") != NULL);
	CHECK(slurp("/proc/filesystems") > 0 && strstr(filebuf, "\tproc\n") != NULL);
	CHECK(slurp("/proc/sys/kernel/ostype") > 0 && strcmp(filebuf, "Linux\n") == 0);
	CHECK(slurp("/proc/self/mounts") > 0 && strstr(filebuf, " /proc proc ") != NULL);
	return 1;
}

int main(int argc, char **argv)
{
	struct stat st;

	self_arg = argv[0];
	if (argc < 2 || strcmp(argv[1], "extra")) {
		/* Re-run with a known argument list for the cmdline case. */
		char *args[] = { argv[0], "extra", NULL };

		execv(argv[0], args);
		printf("1..0 # SKIP cannot re-exec %s: %s\n", argv[0], strerror(errno));
		return 1;
	}
	plan(12);
	if (stat("/proc/self", &st) != 0)
		diag("/proc is not mounted: %s", strerror(errno));
	ok(t_self_link(), "/proc/self is a link to our pid");
	ok(t_stat(), "/proc/self/stat: pid, (comm), state R, ppid, pgrp, session, >= 44 fields");
	ok(t_status(), "/proc/self/status: Name, Pid, PPid, Tgid, Threads, Uid, State, SigBlk");
	ok(t_fd_dir(), "/proc/self/fd lists 0, 1, 2 and an open file; links, fdinfo pos, (deleted)");
	ok(t_exe(), "/proc/self/exe links to the running program");
	ok(t_cwd_cmdline(), "/proc/self/cwd, cmdline (NUL-separated argv), environ, comm");
	ok(t_task(), "/proc/self/task has our one thread; /proc lists our pid");
	ok(t_meminfo(), "/proc/meminfo: MemTotal >= MemFree > 0, MemAvailable, kB units");
	ok(t_cpuinfo(), "/proc/cpuinfo is not empty");
	ok(t_uptime(), "/proc/uptime: agrees with CLOCK_BOOTTIME and advances");
	ok(t_misc_files(), "/proc/loadavg, version, stat, filesystems, sys/kernel/ostype, mounts");
	{
		char path[64];
		int r;

		snprintf(path, sizeof(path), "/proc/%d/stat", 999999);
		errno = 0;
		r = open(path, O_RDONLY);
		ok(r == -1 && errno == ENOENT, "/proc/999999/stat does not exist (ENOENT)");
	}
	return done();
}
