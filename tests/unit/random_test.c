/*
 * splitmix64 and its byte stream: the published first outputs for seed 0,
 * chunked reads and seeks agree with one-shot reads, and the kernel's
 * bytes are exactly what scripts/stream.py (the host's copy) writes.
 */
/* POSIX for popen only: glibc's blkcnt_t is kept out by unit.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "random.h"
#include "unit.h"

START_TEST(seed_zero_first_outputs)
{
	struct splitmix64 s;

	splitmix64_seed(&s, 0);
	ck_assert_uint_eq(splitmix64_next(&s), 0xe220a8397b1dcdafULL);
	ck_assert_uint_eq(splitmix64_next(&s), 0x6e789e6aa1b965f4ULL);
	ck_assert_uint_eq(splitmix64_next(&s), 0x06c45d188009454fULL);
}
END_TEST

START_TEST(bytes_are_little_endian_words)
{
	u8 b[16];

	stream_bytes(0, 0, b, sizeof(b));
	ck_assert_uint_eq(b[0], 0xaf);
	ck_assert_uint_eq(b[7], 0xe2);
	ck_assert_uint_eq(b[8], 0xf4);
	ck_assert_uint_eq(b[15], 0x6e);
	/* An offset start is the same bytes, shifted. */
	stream_bytes(0, 5, b, 4);
	ck_assert_uint_eq(b[0], 0xa8);
	ck_assert_uint_eq(b[3], 0xf4);
}
END_TEST

#define LEN 300

START_TEST(chunked_reads_match_one_shot)
{
	static const u64 seeds[] = { 0, 1, 42, 0xffffffffffffffffULL };
	u8 want[LEN], got[LEN];
	struct stream st;

	for (size_t si = 0; si < sizeof(seeds) / sizeof(seeds[0]); si++) {
		stream_bytes(seeds[si], 0, want, LEN);
		for (size_t chunk = 1; chunk <= 20; chunk++) {
			memset(got, 0, LEN);
			stream_init(&st, seeds[si]);
			for (size_t off = 0; off < LEN; off += chunk)
				stream_read(&st, got + off,
					    off + chunk > LEN ? LEN - off :
								chunk);
			ck_assert_msg(!memcmp(got, want, LEN), "chunk %zu",
				      chunk);
			ck_assert_uint_eq(st.pos, LEN);
		}
		/* Every start position, every short length. */
		for (size_t pos = 0; pos < 40; pos++) {
			for (size_t n = 0; n <= 20; n++) {
				memset(got, 0, n + 1);
				stream_bytes(seeds[si], pos, got, n);
				ck_assert(!memcmp(got, want + pos, n));
			}
		}
	}
}
END_TEST

START_TEST(seek_far_is_o1_and_exact)
{
	struct splitmix64 s;
	struct stream st;
	u8 b[8], tail[3];
	u64 w = 0;

	/* Word 1000 the slow way. */
	splitmix64_seed(&s, 7);
	for (int i = 0; i <= 1000; i++)
		w = splitmix64_next(&s);
	stream_bytes(7, 8000, b, 8);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(b[i], (u8)(w >> (8 * i)));
	stream_seek(&st, 7, 8005);
	stream_read(&st, tail, 3);
	ck_assert(!memcmp(tail, b + 5, 3));
	/* A position past 2^64 / gamma words still wraps consistently. */
	stream_bytes(7, 1ULL << 62, b, 8);
	splitmix64_seed(&s, 7 + (1ULL << 59) * SPLITMIX64_GAMMA);
	w = splitmix64_next(&s);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(b[i], (u8)(w >> (8 * i)));
}
END_TEST

/* Runs scripts/stream.py from the repository root (as make check does). */
static size_t python_stream(const char *args, u8 *buf, size_t len)
{
	char cmd[256];
	const char *tail = strstr(__FILE__, "tests/unit/");
	int root = tail ? (int)(tail - __FILE__) : 0;
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "python3 %.*sscripts/stream.py %s", root,
		 __FILE__, args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(buf, 1, len, p);
	ck_assert_int_eq(pclose(p), 0);
	return n;
}

START_TEST(matches_host_script)
{
	static u8 want[5000], got[5001];

	stream_bytes(0x123456789abcdefULL, 13, want, sizeof(want));
	ck_assert_uint_eq(python_stream("0x123456789abcdef 5000 --skip 13", got,
					sizeof(got)),
			  sizeof(want));
	ck_assert(!memcmp(got, want, sizeof(want)));
	stream_bytes(0, 0, want, 24);
	ck_assert_uint_eq(python_stream("0 24", got, sizeof(got)), 24);
	ck_assert(!memcmp(got, want, 24));
}
END_TEST

static Suite *random_suite(void)
{
	Suite *s = suite_create("lib_random");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, seed_zero_first_outputs);
	tcase_add_test(tc, bytes_are_little_endian_words);
	tcase_add_test(tc, chunked_reads_match_one_shot);
	tcase_add_test(tc, seek_far_is_o1_and_exact);
	tcase_add_test(tc, matches_host_script);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(random_suite)
