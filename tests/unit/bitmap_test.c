/*
 * Bitmaps: every search, range operation and count is compared with a
 * one-bit-at-a-time reference over many patterns, sizes that are and
 * are not multiples of the word, and every starting offset.
 */
#define _ISOC11_SOURCE 1
#include <string.h>

#include "bitmap.h"
#include "compiler.h"
#include "unit.h"

#define NBITS 200
#define NLONGS BITS_TO_LONGS(NBITS)

static bool ref_test(const unsigned long *map, unsigned long n)
{
	return (map[n / 64] >> (n % 64)) & 1;
}

static unsigned long ref_next(const unsigned long *map, unsigned long size,
			      unsigned long off, bool want)
{
	for (; off < size; off++)
		if (ref_test(map, off) == want)
			return off;
	return size;
}

/* A few patterns: empty, full, sparse, runs across word edges. */
static void make_pattern(unsigned long *map, int which)
{
	memset(map, 0, NLONGS * sizeof(*map));
	for (unsigned long n = 0; n < NLONGS * 64; n++) {
		bool on;

		switch (which) {
		case 0:
			on = false;
			break;
		case 1:
			on = true;
			break;
		case 2:
			on = n % 37 == 5;
			break;
		case 3:
			on = n >= 60 && n < 131;
			break;
		case 4:
			on = n % 37 != 5;
			break;
		default:
			on = (n * 2654435761u) >> 31 & 1;
			break;
		}
		if (on)
			map[n / 64] |= 1UL << (n % 64);
	}
}

START_TEST(find_next_matches_reference)
{
	unsigned long map[NLONGS];
	static const unsigned long sizes[] = { 0, 1, 63, 64, 65, 130, 200 };

	for (int pat = 0; pat < 6; pat++) {
		make_pattern(map, pat);
		for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
			unsigned long size = sizes[si];

			for (unsigned long off = 0; off <= size + 2; off++) {
				ck_assert_uint_eq(find_next_bit(map, size, off),
						  ref_next(map, size, off, 1));
				ck_assert_uint_eq(find_next_zero_bit(map, size,
								     off),
						  ref_next(map, size, off, 0));
			}
			ck_assert_uint_eq(find_first_bit(map, size),
					  ref_next(map, size, 0, 1));
			ck_assert_uint_eq(find_first_zero_bit(map, size),
					  ref_next(map, size, 0, 0));
		}
	}
}
END_TEST

/* Set bits past size must never be reported. */
START_TEST(find_ignores_bits_past_size)
{
	unsigned long map[2] = { ~0UL, ~0UL };

	ck_assert_uint_eq(find_next_zero_bit(map, 70, 0), 70);
	map[0] = 0;
	map[1] = 1UL << 10; /* bit 74 */
	ck_assert_uint_eq(find_next_bit(map, 70, 0), 70);
	ck_assert_uint_eq(find_next_bit(map, 75, 0), 74);
	ck_assert_uint_eq(find_next_bit(map, 75, 75), 75);
}
END_TEST

START_TEST(set_clear_ranges)
{
	unsigned long map[NLONGS], ref[NLONGS];

	for (unsigned long start = 0; start < 140; start += 3) {
		for (unsigned long len = 0; start + len <= NBITS; len += 7) {
			make_pattern(map, 5);
			memcpy(ref, map, sizeof(map));
			bitmap_set(map, start, len);
			for (unsigned long n = start; n < start + len; n++)
				ref[n / 64] |= 1UL << (n % 64);
			ck_assert_msg(!memcmp(map, ref, sizeof(map)),
				      "set %lu+%lu", start, len);
			bitmap_clear(map, start, len);
			for (unsigned long n = start; n < start + len; n++)
				ref[n / 64] &= ~(1UL << (n % 64));
			ck_assert_msg(!memcmp(map, ref, sizeof(map)),
				      "clear %lu+%lu", start, len);
		}
	}
	/* Exactly one whole word, and a range ending on a word edge. */
	memset(map, 0, sizeof(map));
	bitmap_set(map, 64, 64);
	ck_assert_uint_eq(map[0], 0);
	ck_assert_uint_eq(map[1], ~0UL);
	ck_assert_uint_eq(map[2], 0);
	bitmap_clear(map, 100, 28);
	ck_assert_uint_eq(map[1], (1UL << 36) - 1);
	bitmap_zero(map, NBITS);
	for (size_t i = 0; i < NLONGS; i++)
		ck_assert_uint_eq(map[i], 0);
}
END_TEST

START_TEST(weight_counts_only_nbits)
{
	unsigned long map[NLONGS];

	for (int pat = 0; pat < 6; pat++) {
		make_pattern(map, pat);
		for (unsigned long nbits = 0; nbits <= NBITS; nbits++) {
			unsigned long want = 0;

			for (unsigned long n = 0; n < nbits; n++)
				want += ref_test(map, n);
			ck_assert_uint_eq(bitmap_weight(map, nbits), want);
		}
	}
}
END_TEST

START_TEST(hweight64_counts)
{
	u64 x = 1;

	ck_assert_uint_eq(hweight64(0), 0);
	ck_assert_uint_eq(hweight64(~0ULL), 64);
	ck_assert_uint_eq(hweight64(1ULL << 63), 1);
	for (int i = 0; i < 2000; i++) {
		ck_assert_uint_eq(hweight64(x), __builtin_popcountll(x));
		x = x * 6364136223846793005ULL + 1; /* an LCG walk */
	}
}
END_TEST

START_TEST(le_bits_are_byte_order)
{
	u8 b[4] = { 0 };

	set_bit_le(0, b);
	set_bit_le(9, b);
	set_bit_le(31, b);
	ck_assert_uint_eq(b[0], 0x01);
	ck_assert_uint_eq(b[1], 0x02);
	ck_assert_uint_eq(b[3], 0x80);
	ck_assert(test_bit_le(9, b));
	ck_assert(!test_bit_le(8, b));
	clear_bit_le(9, b);
	ck_assert_uint_eq(b[1], 0);
	ck_assert(!test_and_set_bit_le(5, b));
	ck_assert(test_and_set_bit_le(5, b));
	ck_assert(test_and_clear_bit_le(5, b));
	ck_assert(!test_and_clear_bit_le(5, b));
	ck_assert_uint_eq(b[0], 0x01);
}
END_TEST

static unsigned long ref_next_le(const u8 *b, unsigned long size,
				 unsigned long off, bool want)
{
	for (; off < size; off++)
		if (((b[off / 8] >> (off % 8)) & 1) == want)
			return off;
	return size;
}

START_TEST(le_find_matches_reference)
{
	u8 b[25]; /* 200 bits, and no padding to the word */
	static const unsigned long sizes[] = { 0, 1, 7, 8, 9, 100, 200 };

	for (int pat = 0; pat < 6; pat++) {
		unsigned long map[NLONGS];

		make_pattern(map, pat);
		memcpy(b, map, sizeof(b)); /* host is little-endian */
		for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
			unsigned long size = sizes[si];

			for (unsigned long off = 0; off <= size + 2; off++) {
				ck_assert_uint_eq(find_next_zero_bit_le(b, size,
									off),
						  ref_next_le(b, size, off, 0));
				ck_assert_uint_eq(find_next_bit_le(b, size,
								   off),
						  ref_next_le(b, size, off, 1));
			}
			ck_assert_uint_eq(find_first_zero_bit_le(b, size),
					  ref_next_le(b, size, 0, 0));
		}
	}
	/* A full bitmap whose size ends mid-byte: nothing free. */
	memset(b, 0xff, sizeof(b));
	b[1] = 0x0f; /* bits 12..15 clear, but past size 12 */
	ck_assert_uint_eq(find_next_zero_bit_le(b, 12, 0), 12);
	ck_assert_uint_eq(find_next_zero_bit_le(b, 13, 0), 12);
}
END_TEST

static Suite *bitmap_suite(void)
{
	Suite *s = suite_create("lib_bitmap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, find_next_matches_reference);
	tcase_add_test(tc, find_ignores_bits_past_size);
	tcase_add_test(tc, set_clear_ranges);
	tcase_add_test(tc, weight_counts_only_nbits);
	tcase_add_test(tc, hweight64_counts);
	tcase_add_test(tc, le_bits_are_byte_order);
	tcase_add_test(tc, le_find_matches_reference);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(bitmap_suite)
