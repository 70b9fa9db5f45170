/* Leaving the machine: QEMU's isa-debug-exit device turns a code into its exit status. */
#ifndef _POWER_H
#define _POWER_H

#include "compiler.h"

/* QEMU exits with (code << 1) | 1. */
#define EXIT_SUCCESS_CODE 0x10 /* status 33 */
#define EXIT_FAILURE_CODE 0x11 /* status 35 */
#define EXIT_PANIC_CODE 0x12 /* status 37 */

__noreturn void kernel_exit(int code);

#endif
