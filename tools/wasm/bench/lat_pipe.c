// SPDX-License-Identifier: GPL-2.0
/*
 * Pipe round trip between two processes, as lmbench's lat_pipe: the
 * parent writes a word into one pipe, the child reads it and writes it back
 * through another.  The child is this program again, started with
 * posix_spawn (there is no fork() on NOMMU wasm) as
 * "lat_pipe child RFD WFD"; the pipe ends are inherited.
 * Prints "RESULT pipe_rtt <us> us/rtt".
 */
#include "bench.h"
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int to_child[2], from_child[2];

static void round_trips(long n, void *arg)
{
	int w = 0;

	(void)arg;
	while (n-- > 0) {
		if (write(to_child[1], &w, sizeof(w)) != sizeof(w) ||
		    read(from_child[0], &w, sizeof(w)) != sizeof(w))
			abort();
	}
}

static int child(int rfd, int wfd)
{
	int w;

	while (read(rfd, &w, sizeof(w)) == sizeof(w))
		if (write(wfd, &w, sizeof(w)) != sizeof(w))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char rfd[16], wfd[16];
	char *args[5];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, err;

	if (argc == 4 && !strcmp(argv[1], "child"))
		return child(atoi(argv[2]), atoi(argv[3]));

	if (pipe(to_child) || pipe(from_child)) {
		perror("pipe");
		return 1;
	}
	snprintf(rfd, sizeof(rfd), "%d", to_child[0]);
	snprintf(wfd, sizeof(wfd), "%d", from_child[1]);
	args[0] = argv[0];
	args[1] = "child";
	args[2] = rfd;
	args[3] = wfd;
	args[4] = 0;
	/* The child keeps only its two ends, so that it sees EOF at the end. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, to_child[1]);
	posix_spawn_file_actions_addclose(&fa, from_child[0]);
	err = posix_spawn(&pid, argv[0], &fa, 0, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		fprintf(stderr, "posix_spawn %s: %s\n", argv[0], strerror(err));
		return 1;
	}
	close(to_child[0]);
	close(from_child[1]);

	bench_result("pipe_rtt", bench_per_op(round_trips, 0) * 1e6, "us/rtt");

	close(to_child[1]);
	waitpid(pid, &st, 0);
	return 0;
}
