// SPDX-License-Identifier: GPL-2.0
/*
 * CPU-bound kernels, for the code the compiler and the engine make:
 *   cpu crc32    bitwise CRC-32 (no table) over a 64 KiB buffer, MB/s
 *   cpu matmul   128x128 double matrix multiply, ms per multiply
 *   cpu calls    qsort of 16384 ints through a comparator, and a
 *                recursive function called through a pointer: call-heavy
 *                code, what fork support's instrumentation costs most
 *                (Documentation/arch/wasm/benchmarks.rst), ms per round
 * Built with clang-22 -O2 for both wasm32 and x86-64.
 * Prints "RESULT crc32 <MB/s> MB/s", "RESULT matmul <ms> ms" or
 * "RESULT calls <ms> ms".
 */
#include "bench.h"
#include <stdint.h>
#include <string.h>

#define BUF (64 * 1024)
#define N 128

static unsigned char buf[BUF];
static double a[N][N], b[N][N], c[N][N];
static volatile uint32_t sink;
static volatile double dsink;

static uint32_t crc32(const unsigned char *p, size_t len)
{
	uint32_t crc = ~0u;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void do_crc(long n, void *arg)
{
	(void)arg;
	while (n-- > 0)
		sink = crc32(buf, BUF);
}

static void matmul(void)
{
	int i, j, k;

	for (i = 0; i < N; i++) {
		for (j = 0; j < N; j++)
			c[i][j] = 0;
		for (k = 0; k < N; k++) {
			double aik = a[i][k];

			for (j = 0; j < N; j++)
				c[i][j] += aik * b[k][j];
		}
	}
}

static void do_matmul(long n, void *arg)
{
	(void)arg;
	while (n-- > 0) {
		matmul();
		dsink = c[n & (N - 1)][7];
	}
}

#define NSORT 16384
static int keys[NSORT];

static int cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;

	return (a > b) - (a < b);
}

static unsigned int walk(unsigned int n);
static unsigned int (*volatile walk_ptr)(unsigned int) = walk;

/* A binary tree of calls through a pointer, 2^(n+1) - 1 of them. */
static unsigned int walk(unsigned int n)
{
	if (n == 0)
		return 1;
	return walk_ptr(n - 1) + walk_ptr(n - 1) + 1;
}

static void do_calls(long n, void *arg)
{
	uint32_t x = 12345;
	int i;

	(void)arg;
	while (n-- > 0) {
		for (i = 0; i < NSORT; i++) {
			x = x * 1103515245u + 12345u;
			keys[i] = (int)(x >> 8);
		}
		qsort(keys, NSORT, sizeof(keys[0]), cmp_int);
		sink = walk(14) + (uint32_t)keys[NSORT / 2];
	}
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "crc32";
	size_t i;
	int j;

	for (i = 0; i < BUF; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	if (crc32((const unsigned char *)"123456789", 9) != 0xcbf43926u) {
		fprintf(stderr, "cpu: crc32 check value wrong\n");
		return 1;
	}
	if (!strcmp(what, "crc32")) {
		bench_result("crc32", BUF / bench_per_op(do_crc, 0) / 1e6, "MB/s");
	} else if (!strcmp(what, "matmul")) {
		for (i = 0; i < N; i++)
			for (j = 0; j < N; j++) {
				a[i][j] = (double)(i + j) / N;
				b[i][j] = (double)(i - j) / N;
			}
		bench_result("matmul", bench_per_op(do_matmul, 0) * 1e3, "ms");
	} else if (!strcmp(what, "calls")) {
		bench_result("calls", bench_per_op(do_calls, 0) * 1e3, "ms");
	} else {
		fprintf(stderr, "usage: cpu crc32|matmul|calls\n");
		return 2;
	}
	return 0;
}
