/* The x86 clocks: TSC and LAPIC timer calibration against the PIT. */
#ifndef _ASM_TIME_H
#define _ASM_TIME_H

#include "types.h"

/* Calibrate TSC and LAPIC timer against the PIT and start the tick. */
void time_init(void);
u64 tsc_hz(void);

/*
 * Spin for the PIT to count ms milliseconds (channel 2, gate through
 * port 0x61); calls sample() right after the count starts and right
 * after it ends so the caller can read its own clock at both edges.
 */
void pit_wait_ms(unsigned int ms, void (*sample)(int edge));

#endif
