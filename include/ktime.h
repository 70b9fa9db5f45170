/*
 * Time, after Linux's timekeeping: a clocksource registered by the arch
 * (the TSC, calibrated against the PIT) gives ktime_get_ns(), nanoseconds
 * since boot; the arch's periodic interrupt calls tick_periodic() HZ
 * times a second, which counts jiffies, runs expired timers (timer.h)
 * and wakes sleepers.
 */
#ifndef _KTIME_H
#define _KTIME_H

#include "types.h"

#define HZ 1000

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL

/* Nanoseconds since the clocksource was registered (0 before). */
u64 ktime_get_ns(void);

/* Ticks since the first tick_periodic(). */
extern volatile u64 jiffies;

/* A free-running counter of known rate. */
struct clocksource {
	const char *name;
	u64 (*read)(void);
};

/* Kernel only: make cs (counting hz a second) the clock, from now on time 0. */
void clocksource_register_hz(struct clocksource *cs, u64 hz);

/* Kernel only: the arch's timer interrupt, HZ times a second. */
void tick_periodic(void);

#endif
