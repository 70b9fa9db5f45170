/* Radix tree: growth and shrinking, tags, gang lookups, against a model. */
#define _ISOC11_SOURCE 1
#include <stdlib.h>

#include "errno.h"
#include "mm.h"
#include "fixtures/platform.h"
#include "radix-tree.h"
#include "slab.h"
#include "unit.h"

static unsigned long initial_free;

static void setup(void)
{
	host_mm_init(32UL << 20);
	initial_free = nr_free_pages();
}

/* A quiet assert for hot loops: Check's ck_assert_* are slow there. */
#define expect(cond)                                        \
	do {                                                \
		if (!(cond))                                \
			ck_abort_msg("expected %s", #cond); \
	} while (0)

/* Items are fake pointers derived from the index: never NULL, checkable. */
static void *item_for(unsigned long index)
{
	return (void *)((index << 4) | 8);
}

static unsigned long rng_state = 0x2545f4914f6cdd1dUL;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

START_TEST(insert_lookup_delete)
{
	RADIX_TREE(tree, GFP_KERNEL);

	ck_assert_ptr_null(radix_tree_lookup(&tree, 0));
	ck_assert_ptr_null(radix_tree_delete(&tree, 5));
	ck_assert_int_eq(radix_tree_insert(&tree, 5, item_for(5)), 0);
	ck_assert_int_eq(radix_tree_insert(&tree, 5, item_for(6)), -EEXIST);
	ck_assert_int_eq(radix_tree_insert(&tree, 6, NULL), -EINVAL);
	ck_assert_ptr_eq(radix_tree_lookup(&tree, 5), item_for(5));
	ck_assert_ptr_null(radix_tree_lookup(&tree, 4));
	ck_assert_ptr_null(radix_tree_lookup(&tree, 64));
	ck_assert_ptr_null(radix_tree_lookup(&tree, ~0UL));
	ck_assert_uint_eq(tree.height, 1);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 1);
	ck_assert_ptr_eq(radix_tree_delete(&tree, 5), item_for(5));
	ck_assert_ptr_null(radix_tree_lookup(&tree, 5));
	ck_assert_uint_eq(tree.height, 0);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 0);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(grows_and_shrinks)
{
	RADIX_TREE(tree, GFP_KERNEL);

	radix_tree_insert(&tree, 1, item_for(1));
	ck_assert_uint_eq(tree.height, 1);
	radix_tree_insert(&tree, 64, item_for(64));
	ck_assert_uint_eq(tree.height, 2);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 3);
	radix_tree_insert(&tree, 1UL << 30, item_for(1UL << 30));
	ck_assert_uint_eq(tree.height, 6);
	ck_assert_ptr_eq(radix_tree_lookup(&tree, 1), item_for(1));
	ck_assert_ptr_eq(radix_tree_lookup(&tree, 64), item_for(64));
	radix_tree_delete(&tree, 1UL << 30);
	/* The tall top collapses back to what the largest index needs. */
	ck_assert_uint_eq(tree.height, 2);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 3);
	radix_tree_delete(&tree, 64);
	ck_assert_uint_eq(tree.height, 1);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 1);
	ck_assert_ptr_eq(radix_tree_lookup(&tree, 1), item_for(1));
	radix_tree_delete(&tree, 1);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 0);
}
END_TEST

START_TEST(huge_indices)
{
	static const unsigned long idx[] = {
		0,	   63,
		64,	   (1UL << 52) - 1,
		1UL << 52, (1UL << 52) + 1,
		1UL << 60, (1UL << 63) + 12345,
		~0UL - 1,  ~0UL,
	};
	void *got[16];
	RADIX_TREE(tree, GFP_KERNEL);

	for (int i = ARRAY_SIZE(idx) - 1; i >= 0; i--)
		ck_assert_int_eq(
			radix_tree_insert(&tree, idx[i], item_for(idx[i])), 0);
	ck_assert_uint_eq(tree.height, RADIX_TREE_MAX_PATH);
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++)
		ck_assert_ptr_eq(radix_tree_lookup(&tree, idx[i]),
				 item_for(idx[i]));
	ck_assert_ptr_null(radix_tree_lookup(&tree, 1UL << 51));
	ck_assert_uint_eq(radix_tree_gang_lookup(&tree, got, 0, 16),
			  ARRAY_SIZE(idx));
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++)
		ck_assert_ptr_eq(got[i], item_for(idx[i]));
	/* Starting past the last item, and at ULONG_MAX itself. */
	ck_assert_uint_eq(radix_tree_gang_lookup(&tree, got, ~0UL, 16), 1);
	ck_assert_ptr_eq(got[0], item_for(~0UL));
	radix_tree_tag_set(&tree, ~0UL, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_set(&tree, 1UL << 52, PAGECACHE_TAG_DIRTY);
	ck_assert_uint_eq(radix_tree_gang_lookup_tag(&tree, got, 1, 16,
						     PAGECACHE_TAG_DIRTY),
			  2);
	ck_assert_ptr_eq(got[0], item_for(1UL << 52));
	ck_assert_ptr_eq(got[1], item_for(~0UL));
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++)
		ck_assert_ptr_eq(radix_tree_delete(&tree, idx[i]),
				 item_for(idx[i]));
	ck_assert_uint_eq(tree.height, 0);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 0);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(gang_lookup_across_nodes_and_holes)
{
	RADIX_TREE(tree, GFP_KERNEL);
	static unsigned long want[2000];
	void *got[7];
	int n = 0;

	for (unsigned long i = 0; i < 1000; i += 3)
		want[n++] = i;
	want[n++] = 4095;
	want[n++] = 4096;
	want[n++] = 262143;
	want[n++] = 262144;
	want[n++] = 1UL << 40;
	for (int i = 0; i < n; i++)
		radix_tree_insert(&tree, want[i], item_for(want[i]));

	for (unsigned long first = 0; first < 1100; first += 37) {
		int k = 0;

		while (k < n && want[k] < first)
			k++;
		/* Walk the rest in chunks of 7 and compare. */
		for (unsigned long at = first;;) {
			unsigned int got_n =
				radix_tree_gang_lookup(&tree, got, at, 7);

			for (unsigned int j = 0; j < got_n; j++, k++) {
				expect(k < n);
				expect(got[j] == item_for(want[k]));
			}
			if (got_n < 7)
				break;
			at = want[k - 1] + 1;
		}
		ck_assert_int_eq(k, n);
	}
	ck_assert_uint_eq(radix_tree_gang_lookup(&tree, got, 262145, 7), 1);
	ck_assert_uint_eq(
		radix_tree_gang_lookup(&tree, got, (1UL << 40) + 1, 7), 0);
	for (int i = 0; i < n; i++)
		radix_tree_delete(&tree, want[i]);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 0);
}
END_TEST

START_TEST(tags_propagate_and_clear)
{
	RADIX_TREE(tree, GFP_KERNEL);
	void *got[8];
	const unsigned int D = PAGECACHE_TAG_DIRTY, W = PAGECACHE_TAG_WRITEBACK;

	for (unsigned long i = 0; i < 4096 + 64; i += 2)
		radix_tree_insert(&tree, i, item_for(i));
	ck_assert(!radix_tree_tagged(&tree, D));
	ck_assert_ptr_null(radix_tree_tag_set(&tree, 7, D)); /* absent */
	ck_assert(!radix_tree_tagged(&tree, D));
	ck_assert_ptr_eq(radix_tree_tag_set(&tree, 4096, D), item_for(4096));
	ck_assert_ptr_eq(radix_tree_tag_set(&tree, 4098, D), item_for(4098));
	ck_assert_ptr_eq(radix_tree_tag_set(&tree, 10, W), item_for(10));
	ck_assert(radix_tree_tagged(&tree, D));
	ck_assert(radix_tree_tagged(&tree, W));
	ck_assert_int_eq(radix_tree_tag_get(&tree, 4096, D), 1);
	ck_assert_int_eq(radix_tree_tag_get(&tree, 4096, W), 0);
	ck_assert_int_eq(radix_tree_tag_get(&tree, 7, D), 0);

	ck_assert_uint_eq(radix_tree_gang_lookup_tag(&tree, got, 0, 8, D), 2);
	ck_assert_ptr_eq(got[0], item_for(4096));
	ck_assert_ptr_eq(got[1], item_for(4098));

	/* A tagged sibling keeps the parents tagged. */
	radix_tree_tag_clear(&tree, 4096, D);
	ck_assert_int_eq(radix_tree_tag_get(&tree, 4096, D), 0);
	ck_assert(radix_tree_tagged(&tree, D));
	ck_assert_uint_eq(radix_tree_gang_lookup_tag(&tree, got, 0, 8, D), 1);
	ck_assert_ptr_eq(got[0], item_for(4098));
	/* The last one clears the path to the root. */
	radix_tree_tag_clear(&tree, 4098, D);
	ck_assert(!radix_tree_tagged(&tree, D));
	ck_assert_uint_eq(radix_tree_gang_lookup_tag(&tree, got, 0, 8, D), 0);
	ck_assert(radix_tree_tagged(&tree, W));

	/* Deleting a tagged item drops its tags. */
	radix_tree_delete(&tree, 10);
	ck_assert(!radix_tree_tagged(&tree, W));
	radix_tree_insert(&tree, 10, item_for(10));
	ck_assert_int_eq(radix_tree_tag_get(&tree, 10, W), 0);
	/* Growing the tree keeps the tags of what was there. */
	radix_tree_tag_set(&tree, 4, D);
	radix_tree_insert(&tree, 1UL << 36, item_for(1UL << 36));
	ck_assert(radix_tree_tagged(&tree, D));
	ck_assert_uint_eq(radix_tree_gang_lookup_tag(&tree, got, 0, 8, D), 1);
	ck_assert_ptr_eq(got[0], item_for(4));
	ck_assert_int_eq(radix_tree_tag_get(&tree, 4, RADIX_TREE_MAX_TAGS), 0);
	ck_assert_ptr_null(radix_tree_tag_set(&tree, 4, RADIX_TREE_MAX_TAGS));

	for (unsigned long i = 0; i < 4096 + 64; i += 2)
		radix_tree_delete(&tree, i);
	radix_tree_delete(&tree, 1UL << 36);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 0);
}
END_TEST

START_TEST(next_hole)
{
	RADIX_TREE(tree, GFP_KERNEL);

	for (unsigned long i = 10; i < 100; i++)
		radix_tree_insert(&tree, i, item_for(i));
	ck_assert_uint_eq(radix_tree_next_hole(&tree, 0, 50), 0);
	ck_assert_uint_eq(radix_tree_next_hole(&tree, 10, 200), 100);
	ck_assert_uint_eq(radix_tree_next_hole(&tree, 10, 20), 30);
	radix_tree_insert(&tree, ~0UL, item_for(~0UL));
	ck_assert_uint_eq(radix_tree_next_hole(&tree, ~0UL, 5), 0);
	for (unsigned long i = 10; i < 100; i++)
		radix_tree_delete(&tree, i);
	radix_tree_delete(&tree, ~0UL);
}
END_TEST

/* ---- against a model ---- */

#define MODEL_MAX 3000

struct model_entry {
	unsigned long index;
	unsigned int tags;
};

static struct model_entry model[MODEL_MAX];
static int model_n;

static int model_find(unsigned long index)
{
	for (int i = 0; i < model_n; i++)
		if (model[i].index == index)
			return i;
	return -1;
}

static int cmp_entry(const void *a, const void *b)
{
	unsigned long x = ((const struct model_entry *)a)->index;
	unsigned long y = ((const struct model_entry *)b)->index;

	return x < y ? -1 : x > y;
}

static unsigned long random_index(void)
{
	switch (rnd() % 4) {
	case 0:
		return rnd() % 300;
	case 1:
		return 4096 * (rnd() % 8) + rnd() % 130; /* node edges */
	case 2:
		return (1UL << 52) - 100 + rnd() % 200;
	default:
		return rnd() >> (rnd() % 64);
	}
}

/* Full gang lookups, tagged and not, from a few starting points. */
static void check_against_model(struct radix_tree_root *tree)
{
	static void *got[MODEL_MAX];
	static const unsigned long starts[] = { 0,    1,	 64,	   300,
						4096, 1UL << 52, 1UL << 63 };

	qsort(model, model_n, sizeof(model[0]), cmp_entry);
	for (int tag = -1; tag < RADIX_TREE_MAX_TAGS; tag++) {
		if (tag >= 0) {
			int any = 0;

			for (int i = 0; i < model_n; i++)
				any |= model[i].tags >> tag & 1;
			expect((radix_tree_tagged(tree, tag) != 0) == any);
		}
		for (size_t s = 0; s < ARRAY_SIZE(starts); s++) {
			unsigned int n =
				tag < 0 ? radix_tree_gang_lookup(tree, got,
								 starts[s],
								 MODEL_MAX) :
					  radix_tree_gang_lookup_tag(tree, got,
								     starts[s],
								     MODEL_MAX,
								     tag);
			unsigned int k = 0;

			for (int i = 0; i < model_n; i++) {
				if (model[i].index < starts[s])
					continue;
				if (tag >= 0 && !(model[i].tags >> tag & 1))
					continue;
				expect(k < n);
				expect(got[k] == item_for(model[i].index));
				k++;
			}
			expect(k == n);
		}
	}
}

START_TEST(random_against_model)
{
	RADIX_TREE(tree, GFP_KERNEL);

	for (int step = 0; step < 30000; step++) {
		unsigned long index = random_index();
		int at = model_find(index);
		unsigned int tag = rnd() % RADIX_TREE_MAX_TAGS;

		switch (rnd() % 6) {
		case 0:
		case 1:
			if (model_n == MODEL_MAX)
				break;
			expect(radix_tree_insert(&tree, index,
						 item_for(index)) ==
			       (at < 0 ? 0 : -EEXIST));
			if (at < 0)
				model[model_n++] =
					(struct model_entry){ index, 0 };
			break;
		case 2:
			expect(radix_tree_delete(&tree, index) ==
			       (at < 0 ? NULL : item_for(index)));
			if (at >= 0)
				model[at] = model[--model_n];
			break;
		case 3:
			expect(radix_tree_tag_set(&tree, index, tag) ==
			       (at < 0 ? NULL : item_for(index)));
			if (at >= 0)
				model[at].tags |= 1U << tag;
			break;
		case 4:
			expect(radix_tree_tag_clear(&tree, index, tag) ==
			       (at < 0 ? NULL : item_for(index)));
			if (at >= 0)
				model[at].tags &= ~(1U << tag);
			break;
		default:
			expect(radix_tree_lookup(&tree, index) ==
			       (at < 0 ? NULL : item_for(index)));
			expect(radix_tree_tag_get(&tree, index, tag) ==
			       (at < 0 ? 0 : (int)(model[at].tags >> tag & 1)));
			break;
		}
		if (step % 1000 == 999)
			check_against_model(&tree);
		/* Operate on existing entries too, not only random keys. */
		if (model_n && rnd() % 3 == 0) {
			int i = rnd() % model_n;

			expect(radix_tree_tag_set(&tree, model[i].index, tag) ==
			       item_for(model[i].index));
			model[i].tags |= 1U << tag;
		}
	}
	check_against_model(&tree);
	while (model_n) {
		model_n--;
		expect(radix_tree_delete(&tree, model[model_n].index) ==
		       item_for(model[model_n].index));
	}
	ck_assert_uint_eq(tree.height, 0);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 0);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

/* An insert that runs out of memory half-way leaves the tree as it was. */
START_TEST(enomem_leaves_tree_unchanged)
{
	RADIX_TREE(tree, GFP_KERNEL);
	static struct page *held[16384];
	static void *objs[8192];
	int nheld = 0, nobjs = 0;

	radix_tree_insert(&tree, 0, item_for(0));
	radix_tree_tag_set(&tree, 0, PAGECACHE_TAG_DIRTY);
	while ((held[nheld] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		nheld++;
	while ((objs[nobjs] = kmalloc(600, GFP_KERNEL | __GFP_NOWARN)))
		nobjs++;
	/* One page: room for fewer nodes than a 4-level insert needs. */
	__free_page(held[--nheld]);
	ck_assert_int_eq(radix_tree_insert(&tree, 1UL << 20, item_for(1)),
			 -ENOMEM);
	ck_assert_uint_eq(tree.height, 1);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 1);
	ck_assert_ptr_eq(radix_tree_lookup(&tree, 0), item_for(0));
	ck_assert(radix_tree_tagged(&tree, PAGECACHE_TAG_DIRTY));
	ck_assert_ptr_null(radix_tree_lookup(&tree, 1UL << 20));

	while (nobjs)
		kfree(objs[--nobjs]);
	ck_assert_int_eq(radix_tree_insert(&tree, 1UL << 20, item_for(1)), 0);
	ck_assert_uint_eq(tree.height, 4);
	ck_assert(radix_tree_tagged(&tree, PAGECACHE_TAG_DIRTY));
	radix_tree_delete(&tree, 1UL << 20);
	radix_tree_delete(&tree, 0);
	ck_assert_uint_eq(radix_tree_nr_nodes(), 0);
	while (nheld)
		__free_page(held[--nheld]);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

static Suite *radix_tree_suite(void)
{
	Suite *s = suite_create("radix_tree");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, insert_lookup_delete);
	tcase_add_test(tc, grows_and_shrinks);
	tcase_add_test(tc, huge_indices);
	tcase_add_test(tc, gang_lookup_across_nodes_and_holes);
	tcase_add_test(tc, tags_propagate_and_clear);
	tcase_add_test(tc, next_hole);
	tcase_add_test(tc, random_against_model);
	tcase_add_test(tc, enomem_leaves_tree_unchanged);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(radix_tree_suite)
