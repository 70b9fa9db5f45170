/*
 * Kernel timers, after Linux's timer_list: a function run once, in
 * interrupt context from the tick, at or after its expiry time. A timer
 * that wants to run again re-arms itself with mod_timer().
 */
#ifndef _TIMER_H
#define _TIMER_H

#include "list.h"
#include "types.h"

struct timer_list {
	struct list_head entry; /* on the pending list iff armed */
	u64 expires; /* ktime_get_ns() at or after which it runs */
	void (*function)(struct timer_list *timer);
};

void timer_setup(struct timer_list *timer,
		 void (*function)(struct timer_list *timer));
/* Arm (or move) the timer to run at expires. */
void mod_timer(struct timer_list *timer, u64 expires);
/* Disarm; 1 if it was armed. */
int del_timer(struct timer_list *timer);
/* The tick: run every timer that has expired by now. */
void run_timers(u64 now);

#endif
