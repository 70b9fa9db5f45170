/*
 * lib/vsprintf.c, built renamed (ksnprintf), against the C library's
 * snprintf: every format in the table must give the same bytes and the
 * same return value, for the full buffer and for every truncated size.
 */
/* ISO C only: glibc's POSIX types (blkcnt_t ...) clash with types.h. */
#define _ISOC11_SOURCE 1
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define KLIBC_DECLARE_ONLY
#include "fixtures/klibc_rename.h"
#include "unit.h"

#define OUT 128

/*
 * Format with both, into buffers pre-filled with a canary, at every
 * size from 0 to the full length + 1, and compare whole buffers: this
 * checks the NUL, the truncation and that nothing past size is touched.
 */
#define SAME_AS_LIBC(fmt, ...)                                                 \
	do {                                                                   \
		char __k[OUT], __c[OUT];                                       \
		int __full = snprintf(__c, OUT, fmt, __VA_ARGS__);             \
		ck_assert_int_lt(__full, OUT - 1);                             \
		for (size_t __n = 0; __n <= (size_t)__full + 1; __n++) {       \
			int __rk, __rc;                                        \
			memset(__k, 'Z', OUT);                                 \
			memset(__c, 'Z', OUT);                                 \
			__rk = ksnprintf(__k, __n, fmt, __VA_ARGS__);          \
			__rc = snprintf(__c, __n, fmt, __VA_ARGS__);           \
			ck_assert_msg(__rk == __rc,                            \
				      "%s size %zu: returned %d, libc %d",     \
				      fmt, __n, __rk, __rc);                   \
			ck_assert_msg(!memcmp(__k, __c, OUT),                  \
				      "%s size %zu: got '%.*s' want '%.*s'",   \
				      fmt, __n, (int)__n, __k, (int)__n, __c); \
		}                                                              \
	} while (0)

START_TEST(signed_decimal)
{
	SAME_AS_LIBC("%d", 0);
	SAME_AS_LIBC("%d", 1);
	SAME_AS_LIBC("%d", -1);
	SAME_AS_LIBC("%i", 123456);
	SAME_AS_LIBC("%d", INT_MAX);
	SAME_AS_LIBC("%d", INT_MIN);
	SAME_AS_LIBC("%ld", LONG_MAX);
	SAME_AS_LIBC("%ld", LONG_MIN);
	SAME_AS_LIBC("%lld", LLONG_MIN);
	SAME_AS_LIBC("%lli", LLONG_MAX);
	SAME_AS_LIBC("%zd", (ssize_t)-5);
	SAME_AS_LIBC("%hd", (short)-32768);
	SAME_AS_LIBC("%hhd", (signed char)-128);
	/* h and hh truncate the promoted int argument. */
	SAME_AS_LIBC("%hd", (short)70000);
	SAME_AS_LIBC("%hhd", (signed char)300);
}
END_TEST

START_TEST(unsigned_bases)
{
	SAME_AS_LIBC("%u", 0u);
	SAME_AS_LIBC("%u", UINT_MAX);
	SAME_AS_LIBC("%x", 0xdeadbeefu);
	SAME_AS_LIBC("%X", 0xdeadbeefu);
	SAME_AS_LIBC("%o", 0777u);
	SAME_AS_LIBC("%o", 0u);
	SAME_AS_LIBC("%lu", ULONG_MAX);
	SAME_AS_LIBC("%llu", ULLONG_MAX);
	SAME_AS_LIBC("%llx", ULLONG_MAX);
	SAME_AS_LIBC("%llo", ULLONG_MAX);
	SAME_AS_LIBC("%zu", SIZE_MAX);
	SAME_AS_LIBC("%zx", (size_t)4096);
	SAME_AS_LIBC("%hu", (unsigned short)65535);
	SAME_AS_LIBC("%hhu", (unsigned char)255);
	SAME_AS_LIBC("%hhx", (unsigned char)0xab);
	SAME_AS_LIBC("%#x", 0x1fu);
	SAME_AS_LIBC("%#X", 0x1fu);
	SAME_AS_LIBC("%#x", 0u);
	SAME_AS_LIBC("%#o", 8u);
	SAME_AS_LIBC("%#o", 0u);
	SAME_AS_LIBC("%#.0o", 0u);
	SAME_AS_LIBC("%#.5o", 8u);
	SAME_AS_LIBC("%#10x", 0xabu);
	SAME_AS_LIBC("%#010x", 0xabu);
}
END_TEST

START_TEST(flags_width_precision)
{
	SAME_AS_LIBC("[%5d]", 42);
	SAME_AS_LIBC("[%-5d]", 42);
	SAME_AS_LIBC("[%05d]", 42);
	SAME_AS_LIBC("[%05d]", -42);
	SAME_AS_LIBC("[%+d]", 42);
	SAME_AS_LIBC("[%+d]", -42);
	SAME_AS_LIBC("[%+d]", 0);
	SAME_AS_LIBC("[% d]", 42);
	SAME_AS_LIBC("[% d]", -42);
	SAME_AS_LIBC("[% 05d]", 42);
	SAME_AS_LIBC("[%+05d]", 42);
	SAME_AS_LIBC("[%.3d]", 7);
	SAME_AS_LIBC("[%.3d]", -7);
	SAME_AS_LIBC("[%8.3d]", -7);
	SAME_AS_LIBC("[%-8.3d]", -7);
	SAME_AS_LIBC("[%.0d]", 0);
	SAME_AS_LIBC("[%5.0d]", 0);
	SAME_AS_LIBC("[%.0x]", 0u);
	SAME_AS_LIBC("[%020llu]", ULLONG_MAX);
	SAME_AS_LIBC("[%025lld]", LLONG_MIN);
	SAME_AS_LIBC("[%-25lld]", LLONG_MIN);
	SAME_AS_LIBC("[%1d]", 12345);
	SAME_AS_LIBC("[%08X]", 0xbeefu);
	SAME_AS_LIBC("[%-8x]", 0xbeefu);
}
END_TEST

/*
 * Flag mixes C defines but GCC warns about ('-' beats '0', '+' beats ' ',
 * sign flags do nothing on unsigned): formats held in variables so
 * -Wformat leaves them alone.
 */
START_TEST(redundant_flags)
{
	static const char *const int_fmts[] = {
		"[%-05d]",  "[%+ d]",  "[% +d]",
		"[%-+06d]", "[%0-6d]", "[%08.3d]",
	};
	static const char *const uint_fmts[] = {
		"[%+u]",
		"[% x]",
		"[%+08X]",
		"[% o]",
	};

	for (size_t i = 0; i < sizeof(int_fmts) / sizeof(int_fmts[0]); i++) {
		SAME_AS_LIBC(int_fmts[i], 42);
		SAME_AS_LIBC(int_fmts[i], -42);
	}
	for (size_t i = 0; i < sizeof(uint_fmts) / sizeof(uint_fmts[0]); i++)
		SAME_AS_LIBC(uint_fmts[i], 0x42u);
}
END_TEST

START_TEST(star_width_and_precision)
{
	SAME_AS_LIBC("[%*d]", 6, 42);
	SAME_AS_LIBC("[%-*d]", 6, 42);
	SAME_AS_LIBC("[%*d]", -6, 42); /* negative width: left-justify */
	SAME_AS_LIBC("[%0*d]", 6, -42);
	SAME_AS_LIBC("[%.*d]", 4, 42);
	SAME_AS_LIBC("[%.*d]", -1, 42); /* negative precision: none */
	SAME_AS_LIBC("[%*.*d]", 8, 4, 42);
	SAME_AS_LIBC("[%.*s]", 3, "abcdef");
	SAME_AS_LIBC("[%*s]", 7, "ab");
	SAME_AS_LIBC("[%-*s]", 7, "ab");
}
END_TEST

START_TEST(chars_strings_percent)
{
	SAME_AS_LIBC("%c", 'A');
	SAME_AS_LIBC("[%3c]", 'x');
	SAME_AS_LIBC("[%-3c]", 'x');
	SAME_AS_LIBC("%s", "hello");
	SAME_AS_LIBC("%s", "");
	SAME_AS_LIBC("[%10s]", "hello");
	SAME_AS_LIBC("[%-10s]", "hello");
	SAME_AS_LIBC("[%.2s]", "hello");
	SAME_AS_LIBC("[%.0s]", "hello");
	SAME_AS_LIBC("[%10.2s]", "hello");
	SAME_AS_LIBC("[%2s]", "hello");
	SAME_AS_LIBC("100%% %s", "done");
	SAME_AS_LIBC("%s=%d, %s=%#llx%c", "ino", 12, "blk", 0x1234ULL, '!');
}
END_TEST

/* %.Ns must not read past N bytes: a buffer with no terminator. */
START_TEST(string_precision_reads_no_further)
{
	char raw[4] = { 'a', 'b', 'c', 'd' };
	char out[16];

	ck_assert_int_eq(ksnprintf(out, sizeof(out), "%.4s|", raw), 5);
	ck_assert_str_eq(out, "abcd|");
}
END_TEST

START_TEST(pointers)
{
	char out[OUT];
	int x;

	SAME_AS_LIBC("%p", (void *)&x);
	SAME_AS_LIBC("[%30p]", (void *)&x);
	SAME_AS_LIBC("[%-30p]", (void *)&x);
	SAME_AS_LIBC("%p", (void *)0x1000);
	/* Ours prints NULL as hex too (glibc says "(nil)"). */
	ck_assert_int_eq(ksnprintf(out, OUT, "%p", NULL), 3);
	ck_assert_str_eq(out, "0x0");
	ck_assert_int_eq(ksnprintf(out, OUT, "%p", (void *)UINTPTR_MAX), 18);
	ck_assert_str_eq(out, "0xffffffffffffffff");
	ck_assert_int_eq(ksnprintf(out, OUT, "[%6p]", (void *)0xab), 8);
	ck_assert_str_eq(out, "[  0xab]");
}
END_TEST

START_TEST(null_string_and_unknown_conversion)
{
	char out[OUT];
	const char *fmt = "a%yb"; /* not a literal: keep -Wformat quiet */
	const char *volatile null = NULL; /* hide it from -Wformat */

	ck_assert_int_eq(ksnprintf(out, OUT, "[%s]", null), 8);
	ck_assert_str_eq(out, "[(null)]");
	ck_assert_int_eq(ksnprintf(out, OUT, fmt, 1), 4);
	ck_assert_str_eq(out, "a%yb");
	fmt = "end%"; /* a lone '%' at the end must not run off */
	ck_assert_int_eq(ksnprintf(out, OUT, fmt, 1), 4);
	ck_assert_str_eq(out, "end%");
}
END_TEST

START_TEST(size_zero_touches_nothing)
{
	char out[4] = { 'Z', 'Z', 'Z', 'Z' };

	ck_assert_int_eq(ksnprintf(out, 0, "%d", 12345), 5);
	ck_assert_int_eq(out[0], 'Z');
	ck_assert_int_eq(ksnprintf(NULL, 0, "%s-%d", "abc", -1), 6);
	ck_assert_int_eq(ksnprintf(out, 1, "%d", 12345), 5);
	ck_assert_int_eq(out[0], '\0');
	ck_assert_int_eq(out[1], 'Z');
}
END_TEST

static int call_kvsnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

START_TEST(vsnprintf_and_scnprintf)
{
	char out[8];

	ck_assert_int_eq(call_kvsnprintf(out, sizeof(out), "%s/%u", "ab", 7u),
			 4);
	ck_assert_str_eq(out, "ab/7");
	/* scnprintf returns what was stored, not what would have been. */
	ck_assert_int_eq(scnprintf(out, sizeof(out), "%s", "0123456789"), 7);
	ck_assert_str_eq(out, "0123456");
	ck_assert_int_eq(scnprintf(out, sizeof(out), "%d", 42), 2);
	ck_assert_int_eq(scnprintf(out, 0, "%d", 42), 0);
	ck_assert_int_eq(scnprintf(out, 1, "%d", 42), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *vsprintf_suite(void)
{
	Suite *s = suite_create("lib_vsprintf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, signed_decimal);
	tcase_add_test(tc, unsigned_bases);
	tcase_add_test(tc, flags_width_precision);
	tcase_add_test(tc, redundant_flags);
	tcase_add_test(tc, star_width_and_precision);
	tcase_add_test(tc, chars_strings_percent);
	tcase_add_test(tc, string_precision_reads_no_further);
	tcase_add_test(tc, pointers);
	tcase_add_test(tc, null_string_and_unknown_conversion);
	tcase_add_test(tc, size_zero_touches_nothing);
	tcase_add_test(tc, vsnprintf_and_scnprintf);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vsprintf_suite)
