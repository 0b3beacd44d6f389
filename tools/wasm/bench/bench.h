/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the benchmark programs of tools/wasm/bench: a monotonic clock
 * and an lmbench-style timing loop.  The same sources build for the wasm32
 * guest (wasm-linux-cc) and natively (cc), so only POSIX is used.
 *
 * Every program prints one machine-readable line per measurement:
 *
 *	RESULT <name> <value> <unit>
 *
 * BENCH_TARGET_MS (environment, default 300) is how long the measured run
 * should take; the iteration count is calibrated to it first.
 */
#ifndef WASM_BENCH_H
#define WASM_BENCH_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline double bench_target(void)
{
	const char *s = getenv("BENCH_TARGET_MS");
	double ms = s ? atof(s) : 300.0;

	return (ms > 0 ? ms : 300.0) * 1e-3;
}

/*
 * Seconds per operation of fn(n, arg), which performs n operations.  The
 * count doubles until one run takes an eighth of the target, is then scaled
 * to the target, and that last run is the one measured.
 */
static inline double bench_per_op(void (*fn)(long n, void *arg), void *arg)
{
	double target = bench_target(), t0, t;
	long n = 1, m;

	fn(1, arg);			/* warm up */
	for (;;) {
		t0 = bench_now();
		fn(n, arg);
		t = bench_now() - t0;
		if (t >= target / 8 || n >= (1L << 28))
			break;
		n *= 2;
	}
	t = n * (target / (t > 0 ? t : 1e-9));
	m = t < 1 ? 1 : t > (1L << 30) ? (1L << 30) : (long)t;
	t0 = bench_now();
	fn(m, arg);
	t = bench_now() - t0;
	return t / m;
}

/* BENCH_SUFFIX is appended to the name (run.sh: the -mno-fork build). */
static inline void bench_result(const char *name, double value, const char *unit)
{
	const char *suffix = getenv("BENCH_SUFFIX");

	printf("RESULT %s%s %.4f %s\n", name, suffix ? suffix : "", value, unit);
	fflush(stdout);
}

#endif
