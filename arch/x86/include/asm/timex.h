/*
 * get_cycles(), as Linux's asm/timex.h: the free-running count behind
 * the clocksource (the TSC), read inline where a call would cost more
 * than the reading (the time profile, kernel/prof.c). The host test
 * build has its own asm/timex.h (tests/unit/fixtures/asm/) counting the
 * fake clock's nanoseconds.
 */
#ifndef _ASM_TIMEX_H
#define _ASM_TIMEX_H

#include "asm/cpu.h"

static inline u64 get_cycles(void)
{
	return rdtsc();
}

#endif
