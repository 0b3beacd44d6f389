// SPDX-License-Identifier: GPL-2.0
/*
 * Thread conformance with 8 threads: mutex-protected counters (exact
 * totals), condition-variable handoffs around a ring and a bounded
 * queue, pthread_once, __thread variables, barriers, detached threads,
 * thread ids, mutex types, timed waits, key destructors, C11 atomics,
 * semaphores, pthread_kill and stack size.  Prints TAP; exits 0 if all
 * passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define NT 8

static pthread_t th[NT];

static int start_all(void *(*fn)(void *))
{
	intptr_t i;

	for (i = 0; i < NT; i++)
		if (pthread_create(&th[i], NULL, fn, (void *)i))
			return 0;
	return 1;
}

static int join_all(void **rets)
{
	int i;

	for (i = 0; i < NT; i++)
		if (pthread_join(th[i], rets ? &rets[i] : NULL))
			return 0;
	return 1;
}

/* 1: counter under a mutex. */
#define INCS 20000
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_worker(void *arg)
{
	int i;

	for (i = 0; i < INCS; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		pthread_mutex_unlock(&count_lock);
	}
	return (void *)((intptr_t)arg * 3 + 1);
}

static int t_mutex_counter(void)
{
	void *rets[NT];
	int i;

	counter = 0;
	CHECK(start_all(count_worker));
	CHECK(join_all(rets));
	if (counter != (long)NT * INCS)
		diag("counter %ld, expected %ld", counter, (long)NT * INCS);
	CHECK(counter == (long)NT * INCS);
	for (i = 0; i < NT; i++)
		CHECK(rets[i] == (void *)((intptr_t)i * 3 + 1));
	return 1;
}

/* 2: a token passed around a ring of threads with a condvar. */
#define ROUNDS 40
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ring_cond = PTHREAD_COND_INITIALIZER;
static int turn, passes, ring_order_bad;

static void *ring_worker(void *arg)
{
	int me = (int)(intptr_t)arg, r;

	for (r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&ring_lock);
		while (turn % NT != me)
			pthread_cond_wait(&ring_cond, &ring_lock);
		if (passes != turn)
			ring_order_bad++;
		passes++;
		turn++;
		pthread_cond_broadcast(&ring_cond);
		pthread_mutex_unlock(&ring_lock);
	}
	return NULL;
}

static int t_cond_ring(void)
{
	turn = passes = ring_order_bad = 0;
	CHECK(start_all(ring_worker));
	CHECK(join_all(NULL));
	CHECK(passes == NT * ROUNDS && turn == NT * ROUNDS && ring_order_bad == 0);
	return 1;
}

/* 3: a bounded queue, 4 producers and 4 consumers, two condvars. */
#define QCAP 4
#define ITEMS 500
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_notfull = PTHREAD_COND_INITIALIZER;
static pthread_cond_t q_notempty = PTHREAD_COND_INITIALIZER;
static int q[QCAP], q_head, q_len, q_done_producers;
static long long q_sum[NT];
static int q_count[NT];

static void *q_worker(void *arg)
{
	int me = (int)(intptr_t)arg, i, v;

	if (me < NT / 2) {
		for (i = 1; i <= ITEMS; i++) {
			pthread_mutex_lock(&q_lock);
			while (q_len == QCAP)
				pthread_cond_wait(&q_notfull, &q_lock);
			q[(q_head + q_len++) % QCAP] = i;
			pthread_cond_signal(&q_notempty);
			pthread_mutex_unlock(&q_lock);
		}
		pthread_mutex_lock(&q_lock);
		q_done_producers++;
		pthread_cond_broadcast(&q_notempty);
		pthread_mutex_unlock(&q_lock);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&q_lock);
		while (q_len == 0 && q_done_producers < NT / 2)
			pthread_cond_wait(&q_notempty, &q_lock);
		if (q_len == 0) {
			pthread_mutex_unlock(&q_lock);
			return NULL;
		}
		v = q[q_head];
		q_head = (q_head + 1) % QCAP;
		q_len--;
		pthread_cond_signal(&q_notfull);
		pthread_mutex_unlock(&q_lock);
		q_sum[me] += v;
		q_count[me]++;
	}
}

static int t_cond_queue(void)
{
	long long sum = 0;
	int count = 0, i;

	CHECK(start_all(q_worker));
	CHECK(join_all(NULL));
	for (i = NT / 2; i < NT; i++) {
		sum += q_sum[i];
		count += q_count[i];
	}
	CHECK(count == NT / 2 * ITEMS);
	CHECK(sum == (long long)NT / 2 * ITEMS * (ITEMS + 1) / 2);
	CHECK(q_len == 0);
	return 1;
}

/* 4: pthread_once. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;

static void once_init(void)
{
	atomic_fetch_add(&once_runs, 1);
}

static void *once_worker(void *arg)
{
	(void)arg;
	pthread_once(&once, once_init);
	return (void *)(intptr_t)atomic_load(&once_runs);
}

static int t_once(void)
{
	void *rets[NT];
	int i;

	CHECK(start_all(once_worker));
	CHECK(join_all(rets));
	CHECK(atomic_load(&once_runs) == 1);
	for (i = 0; i < NT; i++)
		CHECK(rets[i] == (void *)1);	/* init done before return */
	pthread_once(&once, once_init);
	CHECK(atomic_load(&once_runs) == 1);
	return 1;
}

/* 5: __thread, with a barrier so all threads are alive at once. */
static __thread int tls_value = 42;
static __thread char tls_buf[64];
static pthread_barrier_t tls_barrier;

static void *tls_worker(void *arg)
{
	int me = (int)(intptr_t)arg, bad = 0;

	if (tls_value != 42 || tls_buf[0] != 0)
		bad |= 1;
	tls_value = 1000 + me;
	snprintf(tls_buf, sizeof(tls_buf), "thread-%d", me);
	pthread_barrier_wait(&tls_barrier);
	if (tls_value != 1000 + me)
		bad |= 2;
	{
		char want[64];

		snprintf(want, sizeof(want), "thread-%d", me);
		if (strcmp(tls_buf, want))
			bad |= 4;
	}
	pthread_barrier_wait(&tls_barrier);
	return (void *)(intptr_t)bad;
}

static int t_tls(void)
{
	void *rets[NT];
	int i;

	tls_value = 7;
	CHECK(pthread_barrier_init(&tls_barrier, NULL, NT) == 0);
	CHECK(start_all(tls_worker));
	CHECK(join_all(rets));
	CHECK(pthread_barrier_destroy(&tls_barrier) == 0);
	for (i = 0; i < NT; i++) {
		if (rets[i])
			diag("thread %d: tls bad mask %d", i, (int)(intptr_t)rets[i]);
		CHECK(rets[i] == NULL);
	}
	CHECK(tls_value == 7);
	return 1;
}

/* 6: barrier phases; exactly one serial thread per phase. */
static pthread_barrier_t bar;
static atomic_int serials, phase_count[3], phase_bad;

static void *bar_worker(void *arg)
{
	int p, r;

	(void)arg;
	for (p = 0; p < 3; p++) {
		atomic_fetch_add(&phase_count[p], 1);
		r = pthread_barrier_wait(&bar);
		if (r == PTHREAD_BARRIER_SERIAL_THREAD)
			atomic_fetch_add(&serials, 1);
		else if (r != 0)
			atomic_fetch_add(&phase_bad, 1);
		/* Everyone arrived in this phase before anyone left. */
		if (atomic_load(&phase_count[p]) != NT)
			atomic_fetch_add(&phase_bad, 1);
	}
	return NULL;
}

static int t_barrier(void)
{
	CHECK(pthread_barrier_init(&bar, NULL, NT) == 0);
	CHECK(start_all(bar_worker));
	CHECK(join_all(NULL));
	CHECK(pthread_barrier_destroy(&bar) == 0);
	CHECK(atomic_load(&serials) == 3 && atomic_load(&phase_bad) == 0);
	CHECK(pthread_barrier_init(&bar, NULL, 0) == EINVAL);
	return 1;
}

/* 7: detached threads finish on their own. */
static sem_t det_sem;
static atomic_int det_runs;

static void *det_worker(void *arg)
{
	(void)arg;
	atomic_fetch_add(&det_runs, 1);
	sem_post(&det_sem);
	return NULL;
}

static int t_detach(void)
{
	pthread_attr_t at;
	pthread_t t;
	int i, ds;

	CHECK(sem_init(&det_sem, 0, 0) == 0);
	for (i = 0; i < NT / 2; i++) {
		CHECK(pthread_create(&t, NULL, det_worker, NULL) == 0);
		CHECK(pthread_detach(t) == 0);
	}
	CHECK(pthread_attr_init(&at) == 0);
	CHECK(pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED) == 0);
	CHECK(pthread_attr_getdetachstate(&at, &ds) == 0 && ds == PTHREAD_CREATE_DETACHED);
	for (i = 0; i < NT / 2; i++)
		CHECK(pthread_create(&t, &at, det_worker, NULL) == 0);
	pthread_attr_destroy(&at);
	for (i = 0; i < NT; i++)
		CHECK(sem_wait(&det_sem) == 0);
	CHECK(atomic_load(&det_runs) == NT);
	return 1;
}

/* 8: thread ids. */
static pid_t tids[NT];
static pid_t pids[NT];
static pthread_t selves[NT];

static void *id_worker(void *arg)
{
	int me = (int)(intptr_t)arg;

	tids[me] = (pid_t)syscall(SYS_gettid);
	pids[me] = getpid();
	selves[me] = pthread_self();
	pthread_barrier_wait(&bar);	/* all alive: tids are distinct */
	return NULL;
}

static int t_ids(void)
{
	pid_t main_tid = (pid_t)syscall(SYS_gettid);
	int i, j;

	CHECK(main_tid == getpid());
	CHECK(pthread_barrier_init(&bar, NULL, NT) == 0);
	CHECK(start_all(id_worker));
	CHECK(join_all(NULL));
	pthread_barrier_destroy(&bar);
	for (i = 0; i < NT; i++) {
		CHECK(pids[i] == getpid());
		CHECK(tids[i] > 0 && tids[i] != main_tid);
		CHECK(pthread_equal(selves[i], th[i]));
		CHECK(!pthread_equal(selves[i], pthread_self()));
		for (j = 0; j < i; j++)
			CHECK(tids[i] != tids[j]);
	}
	return 1;
}

/* 9: mutex types and trylock. */
static void *try_other(void *arg)
{
	return (void *)(intptr_t)pthread_mutex_trylock((pthread_mutex_t *)arg);
}

static int t_mutex_types(void)
{
	pthread_mutexattr_t ma;
	pthread_mutex_t m;
	pthread_t t;
	void *r;

	CHECK(pthread_mutexattr_init(&ma) == 0);
	CHECK(pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK) == 0);
	CHECK(pthread_mutex_init(&m, &ma) == 0);
	CHECK(pthread_mutex_lock(&m) == 0);
	CHECK(pthread_mutex_lock(&m) == EDEADLK);
	CHECK(pthread_create(&t, NULL, try_other, &m) == 0);
	CHECK(pthread_join(t, &r) == 0 && r == (void *)(intptr_t)EBUSY);
	CHECK(pthread_mutex_unlock(&m) == 0);
	CHECK(pthread_mutex_unlock(&m) == EPERM);
	CHECK(pthread_mutex_destroy(&m) == 0);
	CHECK(pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE) == 0);
	CHECK(pthread_mutex_init(&m, &ma) == 0);
	CHECK(pthread_mutex_lock(&m) == 0 && pthread_mutex_lock(&m) == 0);
	CHECK(pthread_mutex_trylock(&m) == 0);
	CHECK(pthread_create(&t, NULL, try_other, &m) == 0);
	CHECK(pthread_join(t, &r) == 0 && r == (void *)(intptr_t)EBUSY);
	CHECK(pthread_mutex_unlock(&m) == 0 && pthread_mutex_unlock(&m) == 0 &&
	      pthread_mutex_unlock(&m) == 0);
	CHECK(pthread_create(&t, NULL, try_other, &m) == 0);
	CHECK(pthread_join(t, &r) == 0 && r == NULL);	/* now free (locked by t, which exited) */
	pthread_mutexattr_destroy(&ma);
	return 1;
}

/* 10: pthread_cond_timedwait times out, not early. */
static int t_timedwait(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct timespec dl, now;
	int r;

	CHECK(clock_gettime(CLOCK_REALTIME, &dl) == 0);
	dl.tv_nsec += 150000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	do
		r = pthread_cond_timedwait(&c, &m, &dl);
	while (r == 0);		/* spurious wakeups are allowed */
	pthread_mutex_unlock(&m);
	CHECK(r == ETIMEDOUT);
	CHECK(clock_gettime(CLOCK_REALTIME, &now) == 0);
	CHECK(now.tv_sec > dl.tv_sec ||
	      (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
	CHECK(pthread_mutex_trylock(&m) == 0);	/* the mutex was given back */
	pthread_mutex_unlock(&m);
	return 1;
}

/* 11: thread-specific data destructors. */
static pthread_key_t key;
static atomic_int dtor_sum;

static void dtor(void *v)
{
	atomic_fetch_add(&dtor_sum, (int)(intptr_t)v);
}

static void *key_worker(void *arg)
{
	intptr_t me = (intptr_t)arg;

	if (pthread_getspecific(key) != NULL)
		return (void *)1;
	pthread_setspecific(key, (void *)(me + 1));
	return pthread_getspecific(key) == (void *)(me + 1) ? NULL : (void *)1;
}

static int t_keys(void)
{
	void *rets[NT];
	int i;

	CHECK(pthread_key_create(&key, dtor) == 0);
	CHECK(pthread_setspecific(key, (void *)1000) == 0);
	CHECK(start_all(key_worker));
	CHECK(join_all(rets));
	for (i = 0; i < NT; i++)
		CHECK(rets[i] == NULL);
	CHECK(atomic_load(&dtor_sum) == NT * (NT + 1) / 2);
	CHECK(pthread_getspecific(key) == (void *)1000);
	CHECK(pthread_key_delete(key) == 0);
	return 1;
}

/* 12: C11 atomics. */
static atomic_long acount;
static atomic_int spin;

static void *atomic_worker(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < INCS; i++) {
		int z = 0;

		atomic_fetch_add(&acount, 1);
		if (i % 4)
			continue;
		/* and every 4th time a spinlock built on compare-exchange */

		while (!atomic_compare_exchange_weak(&spin, &z, 1))
			z = 0;
		counter++;
		atomic_store(&spin, 0);
	}
	return NULL;
}

static int t_atomics(void)
{
	counter = 0;
	CHECK(start_all(atomic_worker));
	CHECK(join_all(NULL));
	CHECK(atomic_load(&acount) == (long)NT * INCS);
	CHECK(counter == (long)NT * INCS / 4);
	return 1;
}

/* 13: semaphores between threads. */
static sem_t s_ping, s_pong;
static int s_rounds;

static void *sem_worker(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 100; i++) {
		sem_wait(&s_ping);
		s_rounds++;
		sem_post(&s_pong);
	}
	return NULL;
}

static int t_semaphores(void)
{
	struct timespec dl;
	pthread_t t;
	int i, v;

	CHECK(sem_init(&s_ping, 0, 0) == 0 && sem_init(&s_pong, 0, 0) == 0);
	CHECK(pthread_create(&t, NULL, sem_worker, NULL) == 0);
	for (i = 0; i < 100; i++) {
		CHECK(sem_post(&s_ping) == 0);
		CHECK(sem_wait(&s_pong) == 0);
		CHECK(s_rounds == i + 1);
	}
	CHECK(pthread_join(t, NULL) == 0);
	errno = 0;
	CHECK(sem_trywait(&s_ping) == -1 && errno == EAGAIN);
	CHECK(clock_gettime(CLOCK_REALTIME, &dl) == 0);
	dl.tv_nsec += 50000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	errno = 0;
	CHECK(sem_timedwait(&s_ping, &dl) == -1 && errno == ETIMEDOUT);
	CHECK(sem_post(&s_ping) == 0 && sem_getvalue(&s_ping, &v) == 0 && v == 1);
	return 1;
}

/* 14: pthread_kill runs the handler in the target thread. */
static volatile sig_atomic_t kill_flag;
static pthread_t handler_thread;

static void on_usr1(int sig)
{
	(void)sig;
	handler_thread = pthread_self();
	kill_flag = 1;
}

static void *kill_target(void *arg)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	(void)arg;
	sem_post(&det_sem);
	/* Up to 60 s. */
	for (i = 0; i < 60000 && !kill_flag; i++)
		nanosleep(&ts, NULL);
	return NULL;
}

static int t_pthread_kill(void)
{
	struct sigaction sa = { 0 };
	pthread_t t;

	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(sem_init(&det_sem, 0, 0) == 0);
	kill_flag = 0;
	CHECK(pthread_create(&t, NULL, kill_target, NULL) == 0);
	CHECK(sem_wait(&det_sem) == 0);
	CHECK(pthread_kill(t, SIGUSR1) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(kill_flag == 1);
	CHECK(pthread_equal(handler_thread, t));
	CHECK(pthread_kill(pthread_self(), 0) == 0);
	return 1;
}

/* 15: a thread with a chosen stack size can use most of it. */
static int recurse(volatile char *prev, int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	frame[1023] = prev ? prev[0] : 0;
	if (depth == 0)
		return frame[0] + frame[1023];
	return recurse(frame, depth - 1) + frame[0];
}

static void *stack_worker(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)recurse(NULL, 400);	/* ~400 KiB */
}

static int t_stacksize(void)
{
	pthread_attr_t at;
	size_t sz = 0;
	pthread_t t;
	void *r;

	CHECK(pthread_attr_init(&at) == 0);
	CHECK(pthread_attr_setstacksize(&at, 1 << 20) == 0);
	CHECK(pthread_attr_getstacksize(&at, &sz) == 0 && sz == 1 << 20);
	CHECK(pthread_create(&t, &at, stack_worker, NULL) == 0);
	CHECK(pthread_join(t, &r) == 0);
	CHECK(r == (void *)(intptr_t)recurse(NULL, 400));
	pthread_attr_destroy(&at);
	CHECK(pthread_attr_init(&at) == 0);
	CHECK(pthread_attr_setstacksize(&at, 1) == EINVAL);
	pthread_attr_destroy(&at);
	return 1;
}

int main(void)
{
	plan(15);
	ok(t_mutex_counter(), "8 threads x %d mutex-protected increments: exact total; join values", INCS);
	ok(t_cond_ring(), "a token passed around 8 threads %d times with a condition variable", ROUNDS);
	ok(t_cond_queue(), "bounded queue, 4 producers and 4 consumers: every item once");
	ok(t_once(), "pthread_once runs its init once, before any caller returns");
	ok(t_tls(), "__thread variables: initial value per thread, private values, main's kept");
	ok(t_barrier(), "pthread_barrier: 3 phases, one PTHREAD_BARRIER_SERIAL_THREAD each");
	ok(t_detach(), "pthread_detach and PTHREAD_CREATE_DETACHED threads run to completion");
	ok(t_ids(), "gettid distinct per thread, getpid shared, pthread_self/pthread_equal");
	ok(t_mutex_types(), "errorcheck (EDEADLK, EPERM) and recursive mutexes; trylock EBUSY");
	ok(t_timedwait(), "pthread_cond_timedwait: ETIMEDOUT, not before the deadline");
	ok(t_keys(), "pthread keys: per-thread values, destructors at thread exit");
	ok(t_atomics(), "C11 atomics: fetch_add and a compare-exchange spinlock across 8 threads");
	ok(t_semaphores(), "semaphores: ping-pong, trywait EAGAIN, timedwait ETIMEDOUT, getvalue");
	ok(t_pthread_kill(), "pthread_kill runs the handler in the target thread");
	ok(t_stacksize(), "a 1 MiB thread stack holds 400 KiB of frames; EINVAL for tiny stacks");
	return done();
}
