// SPDX-License-Identifier: MIT
/* wasm32: clock_nanosleep_time64 only (a cancellation point). */
#include <time.h>
#include <errno.h>
#include "syscall.h"

int __clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
		      struct timespec *rem)
{
	/* Pass the kernel a padding-free __kernel_timespec. */
	long long kreq[2] = { req->tv_sec, req->tv_nsec };
	long long krem[2];
	int r;

	if (clk == CLOCK_THREAD_CPUTIME_ID)
		return EINVAL;
	r = __syscall_cp(SYS_clock_nanosleep_time64, clk, flags, kreq,
			 rem ? krem : 0);
	if (r == -EINTR && rem && !(flags & TIMER_ABSTIME)) {
		rem->tv_sec = krem[0];
		rem->tv_nsec = krem[1];
	}
	return -r;
}

weak_alias(__clock_nanosleep, clock_nanosleep);
