// SPDX-License-Identifier: MIT
/*
 * Smoke test of the wasm32 musl port: stdio, malloc of many sizes, a
 * thread, setjmp/longjmp, floating-point formatting.  Built with
 * tools/wasm/scripts/wasm-linux-cc; -DNO_THREADS / -DNO_SJLJ leave parts
 * out (-DNO_THREADS for a stand-in host without threads, run-node.mjs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef NO_THREADS
#include <pthread.h>
#endif
#ifndef NO_SJLJ
#include <setjmp.h>
#endif

static int failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		failures++; \
	} \
} while (0)

static _Thread_local int tls_counter = 42;

static void test_malloc(void)
{
	static void *p[200];
	size_t i, n;

	for (i = 0; i < 200; i++) {
		n = (i * 7919) % 70000 + 1;
		if (i % 50 == 49)
			n = (size_t)1 << 20;	/* a few mmap-sized ones */
		p[i] = malloc(n);
		CHECK(p[i] != NULL);
		if (p[i])
			memset(p[i], (int)i, n);
	}
	for (i = 0; i < 200; i += 2)
		free(p[i]);
	for (i = 0; i < 200; i += 2) {
		p[i] = calloc(1, i + 1);
		CHECK(p[i] != NULL);
	}
	p[1] = realloc(p[1], 100000);
	CHECK(p[1] != NULL);
	for (i = 0; i < 200; i++)
		free(p[i]);
	printf("malloc: ok\n");
}

#ifndef NO_THREADS
static void *thread_main(void *arg)
{
	tls_counter++;		/* the thread's own copy: 43 */
	return (void *)(long)(*(int *)arg * 2 + tls_counter);
}

static void test_thread(void)
{
	pthread_t t;
	int arg = 21;
	void *ret = 0;

	CHECK(pthread_create(&t, NULL, thread_main, &arg) == 0);
	CHECK(pthread_join(t, &ret) == 0);
	CHECK((long)ret == 42 + 43);
	CHECK(tls_counter == 42);
	printf("thread: returned %ld\n", (long)ret);
}
#endif

#ifndef NO_SJLJ
static jmp_buf jb;

static void jump(int v)
{
	longjmp(jb, v);
}

static void test_sjlj(void)
{
	volatile int count = 0;
	int r = setjmp(jb);

	if (r < 3) {
		count++;
		jump(r + 1);
	}
	CHECK(r == 3 && count == 3);
	printf("setjmp: %d after %d jumps\n", r, count);
}
#endif

int main(int argc, char **argv)
{
	char buf[64];

	printf("hello from wasm32 musl, argc=%d argv[0]=%s\n", argc,
	       argc > 0 ? argv[0] : "(none)");
	snprintf(buf, sizeof buf, "%.6f %g %e", 3.14159265358979, 1e100, -0.5);
	printf("double: %s\n", buf);
	CHECK(strcmp(buf, "3.141593 1e+100 -5.000000e-01") == 0);
	CHECK(tls_counter == 42);
	test_malloc();
#ifndef NO_THREADS
	test_thread();
#endif
#ifndef NO_SJLJ
	test_sjlj();
#endif
	printf("%s\n", failures ? "FAILED" : "all ok");
	return failures != 0;
}
