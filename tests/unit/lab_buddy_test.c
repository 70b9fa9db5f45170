/*
 * The buddy lab's graded tests (docs/labs/buddy.md): splitting in
 * __rmqueue and coalescing in __free_one_block, seen only through the
 * allocator's interface (alloc_pages, __free_pages, free_pfn_range,
 * nr_free_pages, nr_free_blocks) on a private mem_map whose layout each
 * test chooses. Every test runs in its own process (Check forks).
 */
#define _ISOC11_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "mm.h"
#include "unit.h"

#define MAP_PAGES 1024UL /* one block of the top order */

/* Global so LeakSanitizer sees them reachable. */
void *lab_buddy_region;
struct page *lab_buddy_map;

static unsigned long base;

/*
 * A mem_map of nr pages whose first pfn is aligned to align pages, all
 * reserved until the test frees a range. Returns the first pfn.
 */
static unsigned long map_init(unsigned long nr, unsigned long align)
{
	/* A test may start over: the old map is nobody's any more. */
	free(lab_buddy_region);
	free(lab_buddy_map);
	lab_buddy_region = aligned_alloc(align * PAGE_SIZE, nr * PAGE_SIZE);
	lab_buddy_map = calloc(nr, sizeof(struct page));
	ck_assert_ptr_nonnull(lab_buddy_region);
	ck_assert_ptr_nonnull(lab_buddy_map);
	base = (unsigned long)lab_buddy_region >> PAGE_SHIFT;
	mem_map_init(lab_buddy_map, base, nr);
	return base;
}

/* The whole map free: one block of the top order. */
static void map_all_free(void)
{
	map_init(MAP_PAGES, MAP_PAGES);
	free_pfn_range(base, base + MAP_PAGES);
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES);
}

/* The free lists hold exactly want[o] blocks of each order o. */
static void expect_blocks(const unsigned long want[MAX_ORDER], const char *when)
{
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		ck_assert_msg(nr_free_blocks(o) == want[o],
			      "%s: %lu free blocks of order %u, want %lu", when,
			      nr_free_blocks(o), o, want[o]);
}

static struct page *alloc(unsigned int order)
{
	return alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
}

static unsigned long off(struct page *page)
{
	return page_to_pfn(page) - base;
}

/* Allocate every page one by one: by_off[i] is the page at base + i. */
static void alloc_all_order0(struct page **by_off)
{
	struct page *p;
	unsigned long n = 0;

	while ((p = alloc(0))) {
		ck_assert_uint_lt(off(p), MAP_PAGES);
		ck_assert_ptr_null(by_off[off(p)]);
		by_off[off(p)] = p;
		n++;
	}
	ck_assert_uint_eq(n, MAP_PAGES);
	ck_assert_uint_eq(nr_free_pages(), 0);
}

static unsigned long rng = 0x2545f4914f6cdd1dUL;

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Pages handed over at boot are counted and listed, holes are not. */
START_TEST(boot_free_lists)
{
	static const unsigned long whole[MAX_ORDER] = { [10] = 1 };
	/* 3 | 4-7 | 8-15 | 16-31 | 32-63 | 64-95 | 96-99: none are buddies */
	static const unsigned long holes[MAX_ORDER] = {
		[0] = 1, [2] = 2, [3] = 1, [4] = 1, [5] = 2
	};

	map_all_free();
	expect_blocks(whole, "whole map free");

	map_init(MAP_PAGES, MAP_PAGES);
	free_pfn_range(base + 3, base + 100);
	ck_assert_uint_eq(nr_free_pages(), 97);
	expect_blocks(holes, "pages 3-99 free");
}
END_TEST

/* The smallest block that fits is split; the halves go to the lists. */
START_TEST(alloc_splits_smallest_block)
{
	static const unsigned long after_one[MAX_ORDER] = { 1, 1, 1, 1, 1, 1,
							    1, 1, 1, 1, 0 };
	static const unsigned long after_o3[MAX_ORDER] = { 1, 1, 1, 0, 1, 1,
							   1, 1, 1, 1, 0 };
	static const unsigned long after_o3_again[MAX_ORDER] = { 1, 1, 1, 1,
								 0, 1, 1, 1,
								 1, 1, 0 };
	struct page *a, *b, *c;

	map_all_free();
	a = alloc(0);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES - 1);
	expect_blocks(after_one, "one page allocated");
	b = alloc(3);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(off(b) % 8, 0);
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES - 9);
	expect_blocks(after_o3, "then an order-3 block (one was free)");
	c = alloc(3);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(off(c) % 8, 0);
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES - 17);
	expect_blocks(after_o3_again, "then another (an order 4 split)");
	ck_assert(off(b) + 8 <= off(c) || off(c) + 8 <= off(b));
	ck_assert(off(a) < off(b) || off(a) >= off(b) + 8);
	ck_assert(off(a) < off(c) || off(a) >= off(c) + 8);
}
END_TEST

/* Every page exactly once, then nothing of any order. */
START_TEST(alloc_until_empty)
{
	static struct page *by_off[MAP_PAGES];

	map_all_free();
	alloc_all_order0(by_off);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		ck_assert_ptr_null(alloc(o));
	ck_assert_ptr_null(alloc(MAX_ORDER));
}
END_TEST

/* Blocks of every order come back aligned to their own size. */
START_TEST(blocks_are_aligned)
{
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		struct page *p;

		map_all_free();
		if (o) {
			/* Take one page first, so the block comes from a split. */
			ck_assert_ptr_nonnull(alloc(0));
		}
		p = alloc(o);
		if (o == MAX_ORDER - 1) {
			ck_assert_ptr_null(p); /* the only big block is split */
			continue;
		}
		ck_assert_msg(p != NULL, "order %u: no block", o);
		ck_assert_msg(off(p) % (1UL << o) == 0,
			      "order %u block at page %lu", o, off(p));
		ck_assert_uint_eq(nr_free_pages(),
				  MAP_PAGES - (o ? 1 : 0) - (1UL << o));
	}
}
END_TEST

/* Free pages scattered one by one form no larger block. */
START_TEST(fragmented_memory_refuses_large_blocks)
{
	map_init(MAP_PAGES, MAP_PAGES);
	for (unsigned long i = 0; i < MAP_PAGES; i += 2)
		free_pfn_range(base + i, base + i + 1);
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES / 2);
	ck_assert_uint_eq(nr_free_blocks(0), MAP_PAGES / 2);
	ck_assert_ptr_null(alloc(1));
	ck_assert_ptr_null(alloc(4));
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES / 2);
	ck_assert_ptr_nonnull(alloc(0));
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES / 2 - 1);
}
END_TEST

/* Freeing 8 aligned pages in order: the free blocks spell k + 1 in binary. */
START_TEST(free_merges_with_buddy)
{
	static struct page *by_off[MAP_PAGES];
	static const unsigned long whole[MAX_ORDER] = { [10] = 1 };

	map_all_free();
	alloc_all_order0(by_off);
	for (unsigned int k = 0; k < 8; k++) {
		__free_page(by_off[64 + k]);
		ck_assert_uint_eq(nr_free_pages(), k + 1);
		for (unsigned int o = 0; o < 4; o++)
			ck_assert_msg(nr_free_blocks(o) == (((k + 1) >> o) & 1),
				      "after %u frees: %lu blocks of order %u",
				      k + 1, nr_free_blocks(o), o);
	}
	for (unsigned long i = 0; i < MAP_PAGES; i++)
		if (i < 64 || i >= 72)
			__free_page(by_off[i]);
	expect_blocks(whole, "everything freed");
}
END_TEST

/* Whatever the order of the frees, memory returns to one block. */
START_TEST(free_in_any_order_merges_back)
{
	static struct page *by_off[MAP_PAGES];
	static unsigned long perm[MAP_PAGES];
	static const unsigned long whole[MAX_ORDER] = { [10] = 1 };

	map_all_free();
	alloc_all_order0(by_off);
	for (unsigned long i = 0; i < MAP_PAGES; i++)
		perm[i] = i;
	for (unsigned long i = MAP_PAGES - 1; i > 0; i--) {
		unsigned long j = rnd() % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (unsigned long i = 0; i < MAP_PAGES; i++) {
		__free_page(by_off[perm[i]]);
		ck_assert_uint_eq(nr_free_pages(), i + 1);
	}
	expect_blocks(whole, "everything freed, shuffled");
}
END_TEST

/* Adjacent is not enough: pages 1 and 2 are not buddies. */
START_TEST(neighbours_that_are_not_buddies)
{
	static struct page *by_off[MAP_PAGES];
	static const unsigned long two[MAX_ORDER] = { [0] = 2 };
	static const unsigned long then[MAX_ORDER] = { [0] = 1, [1] = 1 };
	static const unsigned long last[MAX_ORDER] = { [2] = 1 };

	map_all_free();
	alloc_all_order0(by_off);
	__free_page(by_off[1]);
	__free_page(by_off[2]);
	expect_blocks(two, "pages 1 and 2 freed");
	__free_page(by_off[0]);
	expect_blocks(then, "then page 0");
	__free_page(by_off[3]);
	expect_blocks(last, "then page 3");
	ck_assert_uint_eq(nr_free_pages(), 4);
}
END_TEST

/* A free buddy merges only if it is a whole block of the same order. */
START_TEST(buddy_of_another_order_is_not_merged)
{
	static struct page *by_off[MAP_PAGES];
	static const unsigned long mixed[MAX_ORDER] = { [0] = 1, [1] = 1 };
	static const unsigned long last[MAX_ORDER] = { [2] = 1 };

	map_all_free();
	alloc_all_order0(by_off);
	__free_page(by_off[2]); /* order 0; its buddy 3 is in use */
	__free_page(by_off[1]);
	__free_page(by_off[0]); /* 0-1 becomes order 1; 2 is only order 0 */
	expect_blocks(mixed, "pages 2, 1, 0 freed");
	__free_page(by_off[3]);
	expect_blocks(last, "then page 3");
}
END_TEST

/*
 * The map starts at an odd order-9 boundary: the buddy of its first
 * block lies before the map. The struct page there is made to look
 * like a free order-9 block; only a pfn_valid() check keeps it out.
 */
START_TEST(buddy_outside_memory_is_never_merged)
{
	static const unsigned long half[MAX_ORDER] = { [9] = 1 };
	struct page *p;

	map_init(MAP_PAGES, MAP_PAGES);
	/* Only the upper half is memory the allocator knows of. */
	mem_map_init(lab_buddy_map + MAP_PAGES / 2, base + MAP_PAGES / 2,
		     MAP_PAGES / 2);
	lab_buddy_map[0].flags = BIT(PG_buddy);
	lab_buddy_map[0].private = 9;
	INIT_LIST_HEAD(&lab_buddy_map[0].lru);
	free_pfn_range(base, base + MAP_PAGES);
	ck_assert_uint_eq(nr_free_pages(), MAP_PAGES / 2);
	expect_blocks(half, "upper half handed over");
	p = alloc(0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_ge(off(p), MAP_PAGES / 2);
	__free_page(p);
	expect_blocks(half, "a page taken and given back");
}
END_TEST

/* Two top-order blocks side by side never merge into a bigger one. */
START_TEST(merging_stops_at_the_top_order)
{
	static const unsigned long two[MAX_ORDER] = { [10] = 2 };
	struct page *p;

	map_init(2 * MAP_PAGES, 2 * MAP_PAGES);
	free_pfn_range(base, base + 2 * MAP_PAGES);
	ck_assert_uint_eq(nr_free_pages(), 2 * MAP_PAGES);
	expect_blocks(two, "8 MiB free");
	p = alloc(10);
	ck_assert_ptr_nonnull(p);
	__free_pages(p, 10);
	expect_blocks(two, "a top block taken and given back");
	ck_assert_ptr_null(alloc(MAX_ORDER));
}
END_TEST

#define SLOTS 128

/* Random traffic against a model: counts, alignment, no overlap. */
START_TEST(random_traffic_against_model)
{
	static struct page *held[SLOTS];
	static unsigned int order[SLOTS];
	static unsigned char owner[MAP_PAGES];
	static const unsigned long whole[MAX_ORDER] = { [10] = 1 };
	unsigned long model = MAP_PAGES;

	map_all_free();
	for (int step = 0; step < 20000; step++) {
		unsigned int s = rnd() % SLOTS;

		if (held[s]) {
			for (unsigned long i = 0; i < (1UL << order[s]); i++)
				owner[off(held[s]) + i] = 0;
			__free_pages(held[s], order[s]);
			model += 1UL << order[s];
			held[s] = NULL;
		} else {
			unsigned int o = rnd() % 6;
			struct page *p = alloc(o);

			if (!p)
				continue;
			if (off(p) % (1UL << o))
				ck_abort_msg("order %u block at %lu", o,
					     off(p));
			for (unsigned long i = 0; i < (1UL << o); i++) {
				if (owner[off(p) + i])
					ck_abort_msg(
						"page %lu handed out twice",
						off(p) + i);
				owner[off(p) + i] = 1;
			}
			held[s] = p;
			order[s] = o;
			model -= 1UL << o;
		}
		if (nr_free_pages() != model)
			ck_abort_msg("step %d: %lu pages free, model %lu", step,
				     nr_free_pages(), model);
	}
	for (int s = 0; s < SLOTS; s++)
		if (held[s])
			__free_pages(held[s], order[s]);
	expect_blocks(whole, "everything freed");
}
END_TEST

static Suite *lab_buddy_suite(void)
{
	Suite *s = suite_create("lab_buddy");
	TCase *tc = tcase_create("graded");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, boot_free_lists);
	tcase_add_test(tc, alloc_splits_smallest_block);
	tcase_add_test(tc, alloc_until_empty);
	tcase_add_test(tc, blocks_are_aligned);
	tcase_add_test(tc, fragmented_memory_refuses_large_blocks);
	tcase_add_test(tc, free_merges_with_buddy);
	tcase_add_test(tc, free_in_any_order_merges_back);
	tcase_add_test(tc, neighbours_that_are_not_buddies);
	tcase_add_test(tc, buddy_of_another_order_is_not_merged);
	tcase_add_test(tc, buddy_outside_memory_is_never_merged);
	tcase_add_test(tc, merging_stops_at_the_top_order);
	tcase_add_test(tc, random_traffic_against_model);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(lab_buddy_suite)
