// SPDX-License-Identifier: GPL-2.0
/*
 * Time conformance: clock_gettime (MONOTONIC, REALTIME, BOOTTIME,
 * PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID), clock_getres, nanosleep and
 * its remaining time on EINTR, clock_nanosleep TIMER_ABSTIME, timerfd,
 * gettimeofday and time() against clock_gettime, poll timeouts.  Lower
 * bounds are strict (sleeps never end early); upper bounds are generous
 * for a loaded machine.  Prints TAP; exits 0 if all passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define NS 1000000000LL

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * NS + ts->tv_nsec;
}

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts) != 0)
		return -1;
	return ns_of(&ts);
}

static int valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NS;
}

static int t_monotonic(void)
{
	struct timespec a, b;
	int i;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0 && valid(&a));
	for (i = 0; i < 2000; i++) {
		CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0 && valid(&b));
		CHECK(ns_of(&b) >= ns_of(&a));
		a = b;
	}
	CHECK(ns_of(&a) > 0);
	/* BOOTTIME counts suspend too: never behind MONOTONIC. */
	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	CHECK(clock_gettime(CLOCK_BOOTTIME, &b) == 0 && valid(&b));
	CHECK(ns_of(&b) >= ns_of(&a));
	CHECK(clock_gettime(CLOCK_MONOTONIC_RAW, &b) == 0 && valid(&b));
	CHECK(clock_gettime(CLOCK_MONOTONIC_COARSE, &b) == 0 && valid(&b));
	errno = 0;
	CHECK(clock_gettime((clockid_t)12345, &a) == -1 && errno == EINVAL);
	return 1;
}

static int t_realtime(void)
{
	struct timespec ts;

	CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0 && valid(&ts));
	/* After 2020-01-01 and before 2200: a wall clock, not uptime. */
	if (ts.tv_sec < 1577836800LL)
		diag("CLOCK_REALTIME %lld s", (long long)ts.tv_sec);
	CHECK(ts.tv_sec >= 1577836800LL && ts.tv_sec < 7258118400LL);
	CHECK(clock_gettime(CLOCK_REALTIME_COARSE, &ts) == 0 && ts.tv_sec >= 1577836800LL);
	return 1;
}

static int t_cputime(void)
{
	long long p0, p1, t0, t1, m0, m1;
	volatile unsigned long x = 0;
	unsigned long i;

	p0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	t0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	m0 = now_ns(CLOCK_MONOTONIC);
	CHECK(p0 >= 0 && t0 >= 0);
	/* Spin for at least 200 ms of wall time. */
	do {
		for (i = 0; i < 100000; i++)
			x += i;
		m1 = now_ns(CLOCK_MONOTONIC);
	} while (m1 - m0 < 200000000LL);
	p1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	t1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	diag("spun %lld ms wall, %lld ms process cpu, %lld ms thread cpu",
	     (m1 - m0) / 1000000, (p1 - p0) / 1000000, (t1 - t0) / 1000000);
	CHECK(p1 > p0 && t1 > t0);
	/* Some CPU time was counted (1 ms at least), never more than the
	 * wall time that passed for a single thread, plus a tick. */
	CHECK(p1 - p0 >= 1000000LL);
	CHECK(t1 - t0 <= m1 - m0 + 20000000LL);
	return 1;
}

static int t_getres(void)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
		CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };
	struct timespec res;
	unsigned i;

	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		memset(&res, 0xff, sizeof(res));
		CHECK(clock_getres(clocks[i], &res) == 0);
		if (!(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 100000000))
			diag("clock %d: resolution %lld.%09ld", (int)clocks[i],
			     (long long)res.tv_sec, (long)res.tv_nsec);
		CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 100000000);
	}
	CHECK(clock_getres(CLOCK_MONOTONIC, NULL) == 0);
	errno = 0;
	CHECK(clock_getres((clockid_t)12345, &res) == -1 && errno == EINVAL);
	return 1;
}

static int t_nanosleep(void)
{
	struct timespec req = { 0, 100000000 }, rem = { 9, 9 };
	long long t0, t1;

	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(nanosleep(&req, &rem) == 0);
	t1 = now_ns(CLOCK_MONOTONIC);
	diag("nanosleep 100 ms took %lld us", (t1 - t0) / 1000);
	CHECK(t1 - t0 >= 100000000LL);
	CHECK(t1 - t0 < 30 * NS);
	req.tv_nsec = NS;
	errno = 0;
	CHECK(nanosleep(&req, NULL) == -1 && errno == EINVAL);
	req = (struct timespec){ 0, 0 };
	CHECK(nanosleep(&req, NULL) == 0);
	return 1;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static int t_nanosleep_eintr(void)
{
	struct sigaction sa = { 0 };
	struct itimerval it = { { 0, 0 }, { 0, 300000 } };
	struct timespec req = { 20, 0 }, rem = { 0, 0 };
	long long t0, t1, left;
	int r;

	sa.sa_handler = on_alarm;	/* no SA_RESTART (nanosleep never restarts) */
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	alarms = 0;
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	errno = 0;
	r = nanosleep(&req, &rem);
	t1 = now_ns(CLOCK_MONOTONIC);
	CHECK(r == -1 && errno == EINTR && alarms == 1);
	left = ns_of(&rem);
	diag("interrupted after %lld ms, %lld ms left", (t1 - t0) / 1000000,
	     left / 1000000);
	CHECK(valid(&rem) && left > 0 && left < 20 * NS);
	/* elapsed + remaining covers the request (up to rounding). */
	CHECK((t1 - t0) + left >= 20 * NS - 1000000LL);
	/* The timer fired at 300 ms: at least that long passed. */
	CHECK(t1 - t0 >= 300000000LL);
	return 1;
}

static int t_clock_nanosleep_abs(void)
{
	struct timespec dl;
	long long t0, t1;
	int r;

	t0 = now_ns(CLOCK_MONOTONIC);
	dl.tv_sec = (t0 + 150000000LL) / NS;
	dl.tv_nsec = (t0 + 150000000LL) % NS;
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
	t1 = now_ns(CLOCK_MONOTONIC);
	if (r != 0)
		diag("clock_nanosleep(MONOTONIC, TIMER_ABSTIME, now + 150 ms) returned %d (%s) after %lld ms",
		     r, strerror(r), (t1 - t0) / 1000000);
	CHECK(r == 0);
	CHECK(t1 >= ns_of(&dl));
	/* A deadline in the past returns at once (time 1 ns: the clock
	 * has passed it; negative values are EINVAL). */
	dl = (struct timespec){ 0, 1 };
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
	if (r != 0)
		diag("clock_nanosleep with a past deadline returned %d", r);
	CHECK(r == 0);
	/* Relative, on REALTIME. */
	dl = (struct timespec){ 0, 50000000 };
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(clock_nanosleep(CLOCK_REALTIME, 0, &dl, NULL) == 0);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 50000000LL);
	/* clock_nanosleep returns the error instead of setting errno. */
	CHECK(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &dl, NULL) == EINVAL);
	return 1;
}

static int t_timerfd_periodic(void)
{
	struct itimerspec its = { { 0, 50000000 }, { 0, 50000000 } };
	struct timespec pause_ts = { 0, 300000000 };
	uint64_t exp = 0;
	long long t0, t1;
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(timerfd_settime(fd, 0, &its, NULL) == 0);
	CHECK(read(fd, &exp, sizeof(exp)) == sizeof(exp));
	t1 = now_ns(CLOCK_MONOTONIC);
	CHECK(exp >= 1);
	CHECK(t1 - t0 >= 50000000LL);
	CHECK(nanosleep(&pause_ts, NULL) == 0);
	CHECK(read(fd, &exp, sizeof(exp)) == sizeof(exp));
	diag("%llu expirations after a 300 ms sleep at 50 ms", (unsigned long long)exp);
	CHECK(exp >= 5);
	/* A buffer smaller than 8 bytes: EINVAL. */
	{
		char small[4];

		errno = 0;
		CHECK(read(fd, small, sizeof(small)) == -1 && errno == EINVAL);
	}
	close(fd);
	return 1;
}

static int t_timerfd_nonblock_gettime(void)
{
	struct itimerspec its = { { 0, 0 }, { 10, 0 } }, cur;
	uint64_t exp;
	struct pollfd pf;
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(read(fd, &exp, sizeof(exp)) == -1 && errno == EAGAIN);	/* unarmed */
	CHECK(timerfd_settime(fd, 0, &its, NULL) == 0);
	errno = 0;
	CHECK(read(fd, &exp, sizeof(exp)) == -1 && errno == EAGAIN);	/* not yet */
	CHECK(timerfd_gettime(fd, &cur) == 0);
	CHECK(ns_of(&cur.it_value) > 0 && ns_of(&cur.it_value) <= 10 * NS);
	CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);
	/* Disarm. */
	its.it_value = (struct timespec){ 0, 0 };
	CHECK(timerfd_settime(fd, 0, &its, &cur) == 0);
	CHECK(ns_of(&cur.it_value) > 0);	/* the old value */
	CHECK(timerfd_gettime(fd, &cur) == 0 && ns_of(&cur.it_value) == 0);
	/* Absolute on REALTIME, in the past: expired at once; poll sees it. */
	close(fd);
	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	CHECK(fd >= 0);
	CHECK(clock_gettime(CLOCK_REALTIME, &its.it_value) == 0);
	its.it_value.tv_sec -= 1;
	CHECK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) == 0);
	pf = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLIN));
	CHECK(read(fd, &exp, sizeof(exp)) == sizeof(exp) && exp == 1);
	close(fd);
	errno = 0;
	CHECK(timerfd_create(12345, 0) == -1 && errno == EINVAL);
	return 1;
}

static int t_gettimeofday(void)
{
	struct timespec a, b;
	struct timeval tv;
	long long ua, ub, ut;
	time_t t;
	int i;

	for (i = 0; i < 100; i++) {
		CHECK(clock_gettime(CLOCK_REALTIME, &a) == 0);
		CHECK(gettimeofday(&tv, NULL) == 0);
		CHECK(clock_gettime(CLOCK_REALTIME, &b) == 0);
		CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
		ua = ns_of(&a) / 1000;
		ub = ns_of(&b) / 1000;
		ut = tv.tv_sec * 1000000LL + tv.tv_usec;
		if (ut < ua || ut > ub)
			diag("clock_gettime %lld us, gettimeofday %lld us, clock_gettime %lld us",
			     ua, ut, ub);
		CHECK(ua <= ut && ut <= ub);
	}
	CHECK(clock_gettime(CLOCK_REALTIME, &a) == 0);
	t = time(NULL);
	CHECK(clock_gettime(CLOCK_REALTIME, &b) == 0);
	/* time() may lag by a coarse tick. */
	CHECK(t >= a.tv_sec - 1 && t <= b.tv_sec);
	return 1;
}

static int t_poll_timeout(void)
{
	struct pollfd pf;
	long long t0, t1;
	int p[2];

	CHECK(pipe(p) == 0);
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(poll(&pf, 1, 120) == 0);
	t1 = now_ns(CLOCK_MONOTONIC);
	diag("poll 120 ms took %lld us", (t1 - t0) / 1000);
	CHECK(t1 - t0 >= 120000000LL && t1 - t0 < 30 * NS);
	close(p[0]);
	close(p[1]);
	return 1;
}

static int t_itimer_getitimer(void)
{
	struct itimerval it = { { 1, 0 }, { 5, 0 } }, cur;

	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0);
	CHECK(cur.it_value.tv_sec <= 5 && (cur.it_value.tv_sec > 0 || cur.it_value.tv_usec > 0));
	CHECK(cur.it_interval.tv_sec == 1 && cur.it_interval.tv_usec == 0);
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	CHECK(setitimer(ITIMER_REAL, &it, &cur) == 0);
	CHECK(cur.it_value.tv_sec <= 5);
	CHECK(getitimer(ITIMER_REAL, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_usec == 0);
	/* alarm() returns the seconds left of the previous one. */
	CHECK(alarm(100) == 0);
	CHECK(alarm(0) >= 99);
	return 1;
}

int main(void)
{
	plan(13);
	ok(t_monotonic(), "CLOCK_MONOTONIC never goes back; BOOTTIME >= MONOTONIC; EINVAL clock");
	ok(t_realtime(), "CLOCK_REALTIME is a wall clock (after 2020)");
	ok(t_cputime(), "PROCESS_CPUTIME_ID and THREAD_CPUTIME_ID advance while spinning");
	ok(t_getres(), "clock_getres: 0 < resolution <= 100 ms; EINVAL clock");
	ok(t_nanosleep(), "nanosleep 100 ms sleeps at least 100 ms; EINVAL for tv_nsec >= 1e9");
	ok(t_nanosleep_eintr(), "nanosleep interrupted by SIGALRM: EINTR and the remaining time");
	ok(t_clock_nanosleep_abs(), "clock_nanosleep TIMER_ABSTIME and relative; error returned");
	ok(t_timerfd_periodic(), "timerfd periodic: read blocks until expiry, counts expirations");
	ok(t_timerfd_nonblock_gettime(), "timerfd: EAGAIN, gettime, disarm, absolute REALTIME, poll");
	ok(t_gettimeofday(), "gettimeofday lies between two clock_gettime(REALTIME); time()");
	ok(t_poll_timeout(), "poll with a 120 ms timeout waits at least 120 ms");
	ok(t_itimer_getitimer(), "setitimer/getitimer ITIMER_REAL; alarm returns the time left");
	{
		struct timespec a, b;
		int r1 = clock_gettime(CLOCK_MONOTONIC, &a);
		int r2 = timespec_get(&b, TIME_UTC);

		ok(r1 == 0 && r2 == TIME_UTC && b.tv_sec > 1577836800LL,
		   "C11 timespec_get(TIME_UTC)");
	}
	return done();
}
