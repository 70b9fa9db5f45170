/* The timer tick and clock calibration (kernel/time.c, kernel/pit.c). */
#ifndef _TIME_H
#define _TIME_H

#include "types.h"

#define HZ 1000

/* Calibrate TSC and LAPIC timer against the PIT and start the tick. */
void time_init(void);
/* Timer ticks since time_init(). */
extern volatile u64 jiffies;
u64 tsc_hz(void);

/*
 * Spin for the PIT to count ms milliseconds (channel 2, gate through
 * port 0x61); calls sample() right after the count starts and right
 * after it ends so the caller can read its own clock at both edges.
 */
void pit_wait_ms(unsigned int ms, void (*sample)(int edge));

#endif
