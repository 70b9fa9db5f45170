/*
 * The C library's memory and string functions, for the kernel. The host
 * build compiles this file with every name renamed (kmemcpy, ...) by
 * tests/unit/fixtures/klibc_rename.h so its tests can run it beside libc.
 */
#include "string.h"

/*
 * GCC turns a byte loop into a call to memcpy/memset even under
 * -ffreestanding; inside memcpy itself that call would be endless
 * recursion, so those loop rewrites are turned off for this file.
 */
#define __no_libcall \
	__attribute__((optimize("no-tree-loop-distribute-patterns")))

__no_libcall void *memcpy(void *dst, const void *src, size_t n)
{
#ifdef KERNEL
	void *ret = dst;

	/* On every x86-64 with ERMS, rep movsb is the fast generic copy. */
	__asm__ volatile("rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return ret;
#else
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
#endif
}

__no_libcall void *memset(void *s, int c, size_t n)
{
#ifdef KERNEL
	void *ret = s;

	__asm__ volatile("rep stosb" : "+D"(s), "+c"(n) : "a"(c) : "memory");
	return ret;
#else
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
#endif
}

__no_libcall void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/*
	 * Copying forwards is safe unless the destination starts inside
	 * the source; then copy from the end so no byte is read after
	 * it was overwritten. Compare as integers: the pointers may be to
	 * different objects.
	 */
	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	if (*x == *y)
		return 0;
	return *x < *y ? -1 : 1;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (!*x)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	/* The terminator counts as part of the string, as in C. */
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
