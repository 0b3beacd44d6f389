// SPDX-License-Identifier: GPL-2.0
/*
 * System call latency, as lmbench's lat_syscall:
 *   lat_syscall null    getpid through syscall(SYS_getpid) (no libc cache)
 *   lat_syscall read    read 1 byte from /dev/zero
 *   lat_syscall write   write 1 byte to /dev/null
 * Prints "RESULT null_syscall|read_devzero|write_devnull <ns> ns/op".
 */
#include "bench.h"
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fd;

static void do_null(long n, void *arg)
{
	(void)arg;
	while (n-- > 0)
		syscall(SYS_getpid);
}

static void do_read(long n, void *arg)
{
	char c;

	(void)arg;
	while (n-- > 0)
		if (read(fd, &c, 1) != 1)
			abort();
}

static void do_write(long n, void *arg)
{
	char c = 0;

	(void)arg;
	while (n-- > 0)
		if (write(fd, &c, 1) != 1)
			abort();
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "null";

	if (!strcmp(what, "null")) {
		bench_result("null_syscall", bench_per_op(do_null, 0) * 1e9, "ns/op");
	} else if (!strcmp(what, "read")) {
		fd = open("/dev/zero", O_RDONLY);
		if (fd < 0) {
			perror("/dev/zero");
			return 1;
		}
		bench_result("read_devzero", bench_per_op(do_read, 0) * 1e9, "ns/op");
	} else if (!strcmp(what, "write")) {
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0) {
			perror("/dev/null");
			return 1;
		}
		bench_result("write_devnull", bench_per_op(do_write, 0) * 1e9, "ns/op");
	} else {
		fprintf(stderr, "usage: lat_syscall null|read|write\n");
		return 2;
	}
	return 0;
}
