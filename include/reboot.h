/*
 * Power-off, after Linux's kernel/reboot.c: subsystems register hooks
 * (sync, unmount, ...) that run before the machine goes off, newest
 * first, so what was set up last is torn down first.
 */
#ifndef _REBOOT_H
#define _REBOOT_H

#include "compiler.h"

#define MAX_POWEROFF_HOOKS 16

/* fn returns 0 or -errno; -ENOSPC once MAX_POWEROFF_HOOKS are taken. */
int register_poweroff_hook(int (*fn)(void), const char *name);

/*
 * Run every hook (a failing one prints "error: poweroff: <name>: ..."),
 * print "poweroff: pass" or "poweroff: fail" (fail if failed is set or
 * a hook failed), and leave the machine with that verdict.
 */
__noreturn void kernel_power_off(bool failed);

#endif
