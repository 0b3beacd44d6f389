// SPDX-License-Identifier: GPL-2.0
/*
 * Time: a clocksource on the host's monotonic clock, and one one-shot
 * clock event device per CPU whose deadline the CPU itself checks when it
 * enables interrupts and bounds its idle sleep with.
 */
#include <linux/clockchips.h>
#include <linux/clocksource.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/percpu.h>
#include <linux/sched_clock.h>
#include <linux/timekeeping.h>
#include <asm/host.h>
#include <asm/wasm-irq.h>

#define NO_DEADLINE	U64_MAX

static DEFINE_PER_CPU(u64, wasm_timer_deadline) = NO_DEADLINE;
static DEFINE_PER_CPU(struct clock_event_device, wasm_clockevent);

static u64 wasm_clocksource_read(struct clocksource *cs)
{
	return wasm_host_clock_monotonic();
}

static struct clocksource wasm_clocksource = {
	.name	= "wasm-host",
	.rating	= 400,
	.read	= wasm_clocksource_read,
	.mask	= CLOCKSOURCE_MASK(64),
	.flags	= CLOCK_SOURCE_IS_CONTINUOUS,
};

unsigned long long notrace sched_clock(void)
{
	return wasm_host_clock_monotonic();
}

void read_persistent_clock64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(wasm_host_clock_realtime());
}

static int wasm_set_next_event(unsigned long delta,
			       struct clock_event_device *evt)
{
	this_cpu_write(wasm_timer_deadline,
		       wasm_host_clock_monotonic() + delta);
	return 0;
}

static int wasm_timer_shutdown(struct clock_event_device *evt)
{
	this_cpu_write(wasm_timer_deadline, NO_DEADLINE);
	return 0;
}

bool wasm_timer_expired(void)
{
	u64 deadline = this_cpu_read(wasm_timer_deadline);

	return deadline != NO_DEADLINE &&
	       wasm_host_clock_monotonic() >= deadline;
}

/* Nanoseconds until this CPU's next timer event, -1 if none is armed. */
s64 wasm_timer_timeout_ns(void)
{
	u64 deadline = this_cpu_read(wasm_timer_deadline);
	u64 now;

	if (deadline == NO_DEADLINE)
		return -1;
	now = wasm_host_clock_monotonic();
	return deadline > now ? deadline - now : 0;
}

void wasm_timer_interrupt(void)
{
	struct clock_event_device *evt = this_cpu_ptr(&wasm_clockevent);

	if (!wasm_timer_expired())
		return;
	this_cpu_write(wasm_timer_deadline, NO_DEADLINE);
	if (evt->event_handler)
		evt->event_handler(evt);
}

/* Registers the clock event device of the calling CPU. */
void wasm_timer_starting_cpu(void)
{
	struct clock_event_device *evt = this_cpu_ptr(&wasm_clockevent);

	evt->name = "wasm-timer";
	evt->features = CLOCK_EVT_FEAT_ONESHOT;
	evt->rating = 400;
	evt->set_next_event = wasm_set_next_event;
	evt->set_state_shutdown = wasm_timer_shutdown;
	evt->set_state_oneshot_stopped = wasm_timer_shutdown;
	evt->cpumask = cpumask_of(smp_processor_id());
	clockevents_config_and_register(evt, NSEC_PER_SEC, 1000, ULONG_MAX);
}

void __init time_init(void)
{
	if (clocksource_register_hz(&wasm_clocksource, NSEC_PER_SEC))
		panic("wasm: cannot register the host clocksource\n");
	wasm_timer_starting_cpu();
	/* udelay() reads the clock; there is no loop to calibrate. */
	lpj_fine = 1000000 / HZ;
}
