/* The monotonic clock: nanoseconds since boot (LAPIC timer calibrated against the PIT). */
#ifndef _KTIME_H
#define _KTIME_H

#include "types.h"

u64 ktime_get_ns(void);

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL

#endif
