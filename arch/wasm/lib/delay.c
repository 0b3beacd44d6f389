// SPDX-License-Identifier: GPL-2.0
/*
 * Busy delays on the host's monotonic clock.  There is no cycle counter to
 * calibrate: the clock is read in nanoseconds.
 */
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/math64.h>
#include <linux/time64.h>
#include <asm/host.h>
#include <asm/processor.h>

void __ndelay(unsigned long nsecs)
{
	u64 end = wasm_host_clock_monotonic() + nsecs;

	while (wasm_host_clock_monotonic() < end)
		cpu_relax();
}
EXPORT_SYMBOL(__ndelay);

void __udelay(unsigned long usecs)
{
	__ndelay(usecs * NSEC_PER_USEC);
}
EXPORT_SYMBOL(__udelay);

void __const_udelay(unsigned long xloops)
{
	/* xloops is usecs * 2^32 / 10^6 (see asm-generic/delay.h). */
	__ndelay(mul_u64_u32_shr(xloops, NSEC_PER_SEC, 32));
}
EXPORT_SYMBOL(__const_udelay);

void __delay(unsigned long loops)
{
	/* One "loop" is one nanosecond: lpj is set to match in time_init. */
	__ndelay(loops);
}
EXPORT_SYMBOL(__delay);
