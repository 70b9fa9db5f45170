/*
 * lib/string.c, built renamed (kmemcpy, ...), checked against the C
 * library on every alignment and length that matters for a byte loop
 * or a rep movsb, and on the corner cases of each function; and
 * lib/string_helpers.c (strscpy, kstrtoull, kstrtoll).
 */
/* ISO C only: glibc's POSIX types (blkcnt_t ...) clash with types.h. */
#define _ISOC11_SOURCE 1
#include <string.h>

#define KLIBC_DECLARE_ONLY
#include "fixtures/klibc_rename.h"
#include "errno.h"
#include "string.h" /* ours, for strscpy and kstrto* */
#include "unit.h"

#define BUF 160

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

START_TEST(memcpy_all_offsets)
{
	unsigned char src[BUF], got[BUF], want[BUF];

	fill_pattern(src, BUF, 1);
	for (size_t so = 0; so < 8; so++) {
		for (size_t d = 0; d < 8; d++) {
			for (size_t n = 0; n + 8 <= BUF; n++) {
				memset(got, 0xaa, BUF);
				memset(want, 0xaa, BUF);
				ck_assert_ptr_eq(kmemcpy(got + d, src + so, n),
						 got + d);
				memcpy(want + d, src + so, n);
				ck_assert_mem_eq(got, want, BUF);
			}
		}
	}
}
END_TEST

START_TEST(memset_all_offsets)
{
	unsigned char got[BUF], want[BUF];

	for (size_t d = 0; d < 8; d++) {
		for (size_t n = 0; n + 8 <= BUF; n++) {
			memset(got, 0x11, BUF);
			memset(want, 0x11, BUF);
			/* Only the low byte of c counts. */
			ck_assert_ptr_eq(kmemset(got + d, 0x1c5, n), got + d);
			memset(want + d, 0xc5, n);
			ck_assert_mem_eq(got, want, BUF);
		}
	}
}
END_TEST

/* Every overlap direction and distance, against libc's memmove. */
START_TEST(memmove_overlaps)
{
	unsigned char got[BUF], want[BUF];

	for (size_t s = 0; s < 32; s++) {
		for (size_t d = 0; d < 32; d++) {
			for (size_t n = 0; n + 32 <= BUF; n++) {
				fill_pattern(got, BUF, 3);
				fill_pattern(want, BUF, 3);
				ck_assert_ptr_eq(kmemmove(got + d, got + s, n),
						 got + d);
				memmove(want + d, want + s, n);
				ck_assert_mem_eq(got, want, BUF);
			}
		}
	}
}
END_TEST

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

START_TEST(memcmp_sign_and_bytes_unsigned)
{
	unsigned char a[16], b[16];

	fill_pattern(a, 16, 5);
	memcpy(b, a, 16);
	ck_assert_int_eq(kmemcmp(a, b, 16), 0);
	ck_assert_int_eq(kmemcmp(a, b, 0), 0);
	for (size_t i = 0; i < 16; i++) {
		b[i] = (unsigned char)(a[i] + 1);
		ck_assert_int_eq(sign(kmemcmp(a, b, 16)),
				 sign(memcmp(a, b, 16)));
		ck_assert_int_eq(sign(kmemcmp(b, a, 16)), 1);
		/* The difference lies past n: equal. */
		ck_assert_int_eq(kmemcmp(a, b, i), 0);
		b[i] = a[i];
	}
	/* Bytes compare as unsigned char: 0x80 > 0x7f. */
	a[0] = 0x80;
	b[0] = 0x7f;
	ck_assert_int_gt(kmemcmp(a, b, 1), 0);
}
END_TEST

START_TEST(memchr_finds_first_within_n)
{
	const char s[] = "abcabc\0xyz";

	ck_assert_ptr_eq(kmemchr(s, 'c', sizeof(s)), s + 2);
	ck_assert_ptr_eq(kmemchr(s, 'x', sizeof(s)), s + 7);
	ck_assert_ptr_eq(kmemchr(s, '\0', sizeof(s)), s + 6);
	ck_assert_ptr_null(kmemchr(s, 'c', 2));
	ck_assert_ptr_null(kmemchr(s, 'q', sizeof(s)));
	ck_assert_ptr_null(kmemchr(s, 'a', 0));
	/* c is converted to unsigned char. */
	ck_assert_ptr_nonnull(kmemchr("\xff", -1, 1));
	ck_assert_ptr_nonnull(kmemchr("\xff", 0x1ff, 1));
}
END_TEST

START_TEST(strlen_strnlen)
{
	ck_assert_uint_eq(kstrlen(""), 0);
	ck_assert_uint_eq(kstrlen("hello"), 5);
	ck_assert_uint_eq(kstrlen("hi\0there"), 2);
	ck_assert_uint_eq(kstrnlen("hello", 3), 3);
	ck_assert_uint_eq(kstrnlen("hello", 5), 5);
	ck_assert_uint_eq(kstrnlen("hello", 99), 5);
	ck_assert_uint_eq(kstrnlen("hello", 0), 0);
	/* strnlen must not read past max: ASan guards this array's end. */
	{
		char p[4] = { 'a', 'b', 'c', 'd' };

		ck_assert_uint_eq(kstrnlen(p, 4), 4);
	}
}
END_TEST

START_TEST(strcmp_strncmp)
{
	static const char *const words[] = {
		"", "a", "ab", "abc", "abd", "b", "\x80", "\x7f", "abc\x80",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		for (size_t j = 0; j < sizeof(words) / sizeof(words[0]); j++) {
			const char *a = words[i], *b = words[j];

			ck_assert_int_eq(sign(kstrcmp(a, b)),
					 sign(strcmp(a, b)));
			for (size_t n = 0; n < 6; n++)
				ck_assert_int_eq(sign(kstrncmp(a, b, n)),
						 sign(strncmp(a, b, n)));
		}
	}
	ck_assert_int_eq(kstrncmp("abcX", "abcY", 3), 0);
	ck_assert_int_lt(kstrncmp("abcX", "abcY", 4), 0);
	/* Stops at the NUL even if n is larger. */
	ck_assert_int_eq(kstrncmp("ab\0x", "ab\0y", 10), 0);
}
END_TEST

START_TEST(strchr_strrchr)
{
	const char *s = "a/b/c";

	ck_assert_ptr_eq(kstrchr(s, '/'), s + 1);
	ck_assert_ptr_eq(kstrrchr(s, '/'), s + 3);
	ck_assert_ptr_eq(kstrchr(s, 'a'), s);
	ck_assert_ptr_eq(kstrrchr(s, 'a'), s);
	ck_assert_ptr_null(kstrchr(s, 'z'));
	ck_assert_ptr_null(kstrrchr(s, 'z'));
	/* The terminator is part of the string. */
	ck_assert_ptr_eq(kstrchr(s, '\0'), s + 5);
	ck_assert_ptr_eq(kstrrchr(s, '\0'), s + 5);
	ck_assert_ptr_null(kstrrchr("", 'a'));
}
END_TEST

START_TEST(strscpy_fits_and_truncates)
{
	char dst[8];
	char unterminated[8];

	memset(dst, 'Z', sizeof(dst));
	ck_assert_int_eq(strscpy(dst, "abc", sizeof(dst)), 3);
	ck_assert_str_eq(dst, "abc");
	ck_assert_int_eq(strscpy(dst, "1234567", sizeof(dst)), 7);
	ck_assert_str_eq(dst, "1234567");
	ck_assert_int_eq(strscpy(dst, "12345678", sizeof(dst)), -E2BIG);
	ck_assert_str_eq(dst, "1234567");
	ck_assert_int_eq(strscpy(dst, "", sizeof(dst)), 0);
	ck_assert_str_eq(dst, "");
	dst[0] = 'Z';
	ck_assert_int_eq(strscpy(dst, "abc", 0), -E2BIG);
	ck_assert_int_eq(dst[0], 'Z');
	ck_assert_int_eq(strscpy(dst, "abc", 1), -E2BIG);
	ck_assert_str_eq(dst, "");
	/* src is read no further than size bytes (ASan checks). */
	memcpy(unterminated, "abcdefgh", 8);
	ck_assert_int_eq(strscpy(dst, unterminated, 8), -E2BIG);
	ck_assert_str_eq(dst, "abcdefg");
}
END_TEST

struct ull_case {
	const char *s;
	unsigned int base;
	int err;
	unsigned long long v;
};

START_TEST(kstrtoull_cases)
{
	static const struct ull_case cases[] = {
		{ "0", 0, 0, 0 },
		{ "42", 10, 0, 42 },
		{ "+42", 10, 0, 42 },
		{ "42\n", 10, 0, 42 },
		{ "0x1F", 0, 0, 31 },
		{ "0X1f", 16, 0, 31 },
		{ "1f", 16, 0, 31 },
		{ "017", 0, 0, 15 },
		{ "017", 10, 0, 17 },
		{ "101", 2, 0, 5 },
		{ "18446744073709551615", 10, 0, 18446744073709551615ULL },
		{ "0xffffffffffffffff", 0, 0, 18446744073709551615ULL },
		{ "18446744073709551616", 10, -ERANGE, 0 },
		{ "0x10000000000000000", 0, -ERANGE, 0 },
		{ "99999999999999999999999", 10, -ERANGE, 0 },
		{ "", 10, -EINVAL, 0 },
		{ "+", 10, -EINVAL, 0 },
		{ "\n", 10, -EINVAL, 0 },
		{ "-1", 10, -EINVAL, 0 },
		{ " 1", 10, -EINVAL, 0 },
		{ "1 ", 10, -EINVAL, 0 },
		{ "12a", 10, -EINVAL, 0 },
		{ "08", 0, -EINVAL, 0 },
		{ "2", 2, -EINVAL, 0 },
		{ "0x", 16, -EINVAL, 0 },
		{ "1\n\n", 10, -EINVAL, 0 },
		{ "1", 1, -EINVAL, 0 },
		{ "1", 17, -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long long v = 12345;
		int err = kstrtoull(cases[i].s, cases[i].base, &v);

		ck_assert_msg(err == cases[i].err, "'%s' base %u: err %d",
			      cases[i].s, cases[i].base, err);
		/* On error the result is left alone. */
		ck_assert_msg(v == (err ? 12345 : cases[i].v),
			      "'%s' base %u: %llu", cases[i].s, cases[i].base,
			      v);
	}
}
END_TEST

START_TEST(kstrtoll_cases)
{
	long long v;

	ck_assert_int_eq(kstrtoll("-42", 10, &v), 0);
	ck_assert_int_eq(v, -42);
	ck_assert_int_eq(kstrtoll("-0x10", 0, &v), 0);
	ck_assert_int_eq(v, -16);
	ck_assert_int_eq(kstrtoll("+7", 10, &v), 0);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(kstrtoll("-0", 10, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(kstrtoll("9223372036854775807", 10, &v), 0);
	ck_assert(v == 9223372036854775807LL);
	ck_assert_int_eq(kstrtoll("-9223372036854775808", 10, &v), 0);
	ck_assert(v == -9223372036854775807LL - 1);
	v = 5;
	ck_assert_int_eq(kstrtoll("9223372036854775808", 10, &v), -ERANGE);
	ck_assert_int_eq(kstrtoll("-9223372036854775809", 10, &v), -ERANGE);
	ck_assert_int_eq(kstrtoll("-", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("--1", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("-+1", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("x", 10, &v), -EINVAL);
	ck_assert_int_eq(v, 5);
}
END_TEST

static Suite *string_suite(void)
{
	Suite *s = suite_create("lib_string");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, memcpy_all_offsets);
	tcase_add_test(tc, memset_all_offsets);
	tcase_add_test(tc, memmove_overlaps);
	tcase_add_test(tc, memcmp_sign_and_bytes_unsigned);
	tcase_add_test(tc, memchr_finds_first_within_n);
	tcase_add_test(tc, strlen_strnlen);
	tcase_add_test(tc, strcmp_strncmp);
	tcase_add_test(tc, strchr_strrchr);
	tcase_add_test(tc, strscpy_fits_and_truncates);
	tcase_add_test(tc, kstrtoull_cases);
	tcase_add_test(tc, kstrtoll_cases);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(string_suite)
