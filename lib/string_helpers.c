/*
 * String helpers the C library lacks, after Linux's: a bounded copy that
 * reports truncation, and strict number parsing for shell arguments and
 * the kernel command line (no trailing junk, no silent overflow).
 */
#include "errno.h"
#include "string.h"

/* 2^63: the magnitude of LLONG_MIN, which LLONG_MAX cannot hold. */
#define LLONG_MIN_MAGNITUDE ((unsigned long long)__LONG_LONG_MAX__ + 1)

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	/* Read src no further than size bytes: it may not be terminated. */
	for (i = 0; i < size - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	if (i == size - 1 && src[i])
		return -E2BIG;
	return (ssize_t)i;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Skip a 0x / 0 prefix as the base allows; returns the base to use. */
static const char *parse_prefix(const char *s, unsigned int *base)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		   digit_value(s[2]) < 16;

	if (*base == 0) {
		if (hex) {
			*base = 16;
			return s + 2;
		}
		*base = s[0] == '0' ? 8 : 10;
		return s;
	}
	if (*base == 16 && hex)
		return s + 2;
	return s;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	const char *p;

	if (!s || !res || base == 1 || base > 16)
		return -EINVAL;
	if (*s == '+')
		s++;
	p = parse_prefix(s, &base);
	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		unsigned int d = (unsigned int)digit_value(*p);

		if (d >= base) {
			/* One trailing newline is allowed, as from echo. */
			if (*p == '\n' && !p[1] && p != s)
				break;
			return -EINVAL;
		}
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	bool negative;
	int err;

	if (!s || !res)
		return -EINVAL;
	negative = *s == '-';
	if (negative && s[1] == '+')
		return -EINVAL;
	err = kstrtoull(s + negative, base, &v);
	if (err)
		return err;
	if (negative) {
		if (v > LLONG_MIN_MAGNITUDE)
			return -ERANGE;
		/* Negate v - 1 first: -(2^63) does not fit before the - 1. */
		*res = v ? -(long long)(v - 1) - 1 : 0;
	} else {
		if (v >= LLONG_MIN_MAGNITUDE)
			return -ERANGE;
		*res = (long long)v;
	}
	return 0;
}
