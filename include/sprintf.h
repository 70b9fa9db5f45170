/*
 * Formatted output into a buffer. The kernel's lib/vsprintf.c supports
 * %d %i %u %x %X %o %c %s %p %% with length modifiers hh h l ll z t j,
 * flags '-' '0' ' ' '+' '#', field width and precision (either may be
 * '*'); %p prints 0x-prefixed hex (0x0 for NULL), %s prints "(null)" for
 * NULL. No floating point. The host build uses the C library's
 * vsnprintf/snprintf; scnprintf/vscnprintf come from lib/vsprintf.c.
 */
#ifndef _SPRINTF_H
#define _SPRINTF_H

#include <stdarg.h>
#include "compiler.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* As above, but return what was stored (without the NUL): 0 if size is 0. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
