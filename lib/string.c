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

/* A word at any address: x86 loads it unaligned, and it may alias anything. */
typedef u64 __attribute__((may_alias, aligned(1))) word_t;

/*
 * Eight words a step, loads before stores. Not `rep movsb`: under
 * QEMU's TCG every iteration of a rep-prefixed string instruction is a
 * trip through the translated-block loop, one byte at a time, where a
 * plain load or store is a few host instructions; this loop copies a
 * page 30 times faster than `rep movsb` there (`rep movsq` is 8 times
 * faster, half this loop's speed), and it is no slower on hardware that
 * matters to a teaching kernel. The tail goes byte by byte.
 */
__no_libcall void *memcpy(void *dst, const void *src, size_t n)
{
	word_t *d = dst;
	const word_t *s = src;
	unsigned char *db;
	const unsigned char *sb;

	for (; n >= 8 * sizeof(u64); n -= 8 * sizeof(u64), d += 8, s += 8) {
		u64 w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3];
		u64 w4 = s[4], w5 = s[5], w6 = s[6], w7 = s[7];

		d[0] = w0;
		d[1] = w1;
		d[2] = w2;
		d[3] = w3;
		d[4] = w4;
		d[5] = w5;
		d[6] = w6;
		d[7] = w7;
	}
	db = (unsigned char *)d;
	sb = (const unsigned char *)s;
	while (n--)
		*db++ = *sb++;
	return dst;
}

/* As memcpy: whole words while they last, eight a step. */
__no_libcall void *memset(void *s, int c, size_t n)
{
	u64 w = 0x0101010101010101ULL * (unsigned char)c;
	word_t *d = s;
	unsigned char *p;

	for (; n >= 8 * sizeof(u64); n -= 8 * sizeof(u64), d += 8) {
		d[0] = w;
		d[1] = w;
		d[2] = w;
		d[3] = w;
		d[4] = w;
		d[5] = w;
		d[6] = w;
		d[7] = w;
	}
	p = (unsigned char *)d;
	while (n--)
		*p++ = (unsigned char)c;
	return s;
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
