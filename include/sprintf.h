/*
 * Formatted output into a buffer. The kernel's lib/vsprintf.c supports
 * %d %i %u %x %X %o %lx %llu %zu %p %s %c %%, field widths, '-' and '0'
 * flags and precision for strings; the host build uses the C library.
 */
#ifndef _SPRINTF_H
#define _SPRINTF_H

#include <stdarg.h>
#include "compiler.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
