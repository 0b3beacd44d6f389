// SPDX-License-Identifier: GPL-2.0
/*
 * Thread creation: pthread_create of a thread that returns at once, then
 * pthread_join.  On the wasm32 guest every thread is a clone(CLONE_VM)
 * task on a host thread of its own.
 * Prints "RESULT thread <us> us/op".
 */
#include "bench.h"
#include <pthread.h>

static void *nothing(void *arg)
{
	return arg;
}

static void create_join(long n, void *arg)
{
	pthread_t t;

	(void)arg;
	while (n-- > 0) {
		if (pthread_create(&t, 0, nothing, 0) || pthread_join(t, 0))
			abort();
	}
}

int main(void)
{
	bench_result("thread", bench_per_op(create_join, 0) * 1e6, "us/op");
	return 0;
}
