/*
 * Initcalls: a subsystem registers its start-up function in a linker
 * section and kmain runs them by level, so adding a driver needs no
 * edit to kmain. Level order: core, subsys, device, fs, late.
 */
#ifndef _INIT_H
#define _INIT_H

#include "compiler.h"

typedef int (*initcall_t)(void);

#define __define_initcall(fn, level)                                        \
	static const initcall_t __initcall_##fn##_##level __used __section( \
		".initcall" #level) = fn

#define core_initcall(fn) __define_initcall(fn, 1)
#define subsys_initcall(fn) __define_initcall(fn, 2)
#define device_initcall(fn) __define_initcall(fn, 3)
#define fs_initcall(fn) __define_initcall(fn, 4)
#define late_initcall(fn) __define_initcall(fn, 5)

#endif
