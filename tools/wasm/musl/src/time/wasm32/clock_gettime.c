// SPDX-License-Identifier: MIT
/* wasm32: no vDSO and no time32 fallback, just clock_gettime64. */
#include <time.h>
#include "syscall.h"

int __clock_gettime(clockid_t clk, struct timespec *ts)
{
	return __syscall_ret(__syscall(SYS_clock_gettime64, clk, ts));
}

weak_alias(__clock_gettime, clock_gettime);
