/*
 * Timekeeping: ktime_get_ns() scales the registered clocksource's count
 * to nanoseconds with one multiply and shift (ns = cycles * mult >> 32,
 * mult fixed at registration), and the periodic tick counts jiffies,
 * runs timers and wakes sleepers. The arch owns the hardware: which
 * counter, its rate, and the interrupt that calls tick_periodic().
 */
#include "ktime.h"
#include "sched.h"
#include "timer.h"

#define CLOCK_SHIFT 32

volatile u64 jiffies;

static struct clocksource *clock;
static u64 clock_base; /* count at registration: time 0 */
static u64 clock_mult; /* ns = (delta * clock_mult) >> CLOCK_SHIFT */

void clocksource_register_hz(struct clocksource *cs, u64 hz)
{
	clock_mult = (NSEC_PER_SEC << CLOCK_SHIFT) / hz;
	clock_base = cs->read();
	clock = cs;
}

u64 ktime_get_ns(void)
{
	u64 delta;

	if (!clock)
		return 0;
	delta = clock->read() - clock_base;
	return (u64)(((unsigned __int128)delta * clock_mult) >> CLOCK_SHIFT);
}

u64 ktime_cycles_to_ns(u64 cycles)
{
	return (u64)(((unsigned __int128)cycles * clock_mult) >> CLOCK_SHIFT);
}

void tick_periodic(void)
{
	u64 now = ktime_get_ns();

	jiffies++;
	run_timers(now);
	sched_timer_tick(now);
}
