// SPDX-License-Identifier: GPL-2.0
/*
 * A real program of the ports (tools/wasm/ports) on a file, for make bench:
 *
 *   run_prog NAME MB FILE PROG [ARGS...]
 *
 * writes FILE with MB MiB of text made up of words (deterministic: the
 * same bytes in the guest and natively; kept if it already has that size),
 * then runs PROG ARGS... with FILE as standard input and /dev/null as
 * standard output, and prints "RESULT NAME <MB/s> MB/s": MiB of input per
 * second of wall time from fork to the end of wait.  E.g.
 *
 *   run_prog gzip9 64 /tmp/text gzip -9
 *
 * Exits 1 if PROG does not exit 0.
 */
#include "bench.h"
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const words[] = {
	"the", "kernel", "of", "a", "process", "memory", "page", "and",
	"to", "in", "is", "file", "system", "call", "returns", "with",
	"wasm", "linux", "for", "each", "thread", "signal", "handler",
	"table", "module", "that", "it", "be", "on", "an", "by", "error",
};

/* Writes @mb MiB of lines of words to @path, unless it has that size. */
static int make_text(const char *path, long mb)
{
	static char buf[1 << 16];
	long long want = (long long)mb << 20, done = 0;
	uint32_t x = 12345;
	struct stat st;
	int fd;

	if (stat(path, &st) == 0 && st.st_size == want)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	while (done < want) {
		size_t n = 0;

		while (n < sizeof(buf) - 16) {
			const char *w;
			size_t len;

			x = x * 1103515245u + 12345u;
			w = words[(x >> 16) % (sizeof(words) / sizeof(words[0]))];
			len = strlen(w);
			memcpy(buf + n, w, len);
			n += len;
			buf[n++] = (x >> 8) % 11 ? ' ' : '\n';
		}
		if ((long long)n > want - done)
			n = want - done;
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
		done += n;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	double t0, t;
	long mb;
	pid_t pid;
	int st;

	if (argc < 5) {
		fprintf(stderr, "usage: run_prog NAME MB FILE PROG [ARGS...]\n");
		return 2;
	}
	mb = atol(argv[2]);
	if (mb <= 0 || make_text(argv[3], mb)) {
		perror(argv[3]);
		return 1;
	}
	t0 = bench_now();
	pid = fork();
	if (pid == 0) {
		int in = open(argv[3], O_RDONLY);
		int out = open("/dev/null", O_WRONLY);

		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0)
			_exit(126);
		execvp(argv[4], argv + 4);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		perror("run_prog");
		return 1;
	}
	t = bench_now() - t0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "run_prog: %s: status %#x\n", argv[4], st);
		return 1;
	}
	printf("RESULT %s %.3f MB/s\n", argv[1], mb / (t > 0 ? t : 1e-9));
	return 0;
}
