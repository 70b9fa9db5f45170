/*
 * String and memory functions. The kernel gets them from lib/string.c;
 * the host build gets the C library's, whose prototypes these match.
 * Included with quotes; the build's -iquote keeps <string.h> the host's.
 */
#ifndef _KERNEL_STRING_H
#define _KERNEL_STRING_H

#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/* Not in the C library: lib/string_helpers.c, built on both sides. */
/* Copy with truncation; returns the length or -E2BIG if truncated. */
ssize_t strscpy(char *dst, const char *src, size_t size);
/* Parse an unsigned number (base 0 = auto 0x/0 prefix); 0 or -EINVAL/-ERANGE. */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);

#endif
