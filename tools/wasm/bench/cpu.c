// SPDX-License-Identifier: GPL-2.0
/*
 * CPU-bound kernels, for the code the compiler and the engine make:
 *   cpu crc32    bitwise CRC-32 (no table) over a 64 KiB buffer, MB/s
 *   cpu matmul   128x128 double matrix multiply, ms per multiply
 * Built with clang-22 -O2 for both wasm32 and x86-64.
 * Prints "RESULT crc32 <MB/s> MB/s" or "RESULT matmul <ms> ms".
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
	} else {
		fprintf(stderr, "usage: cpu crc32|matmul\n");
		return 2;
	}
	return 0;
}
