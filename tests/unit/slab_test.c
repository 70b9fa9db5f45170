/* kmalloc: size classes, alignment, reuse, large allocations, misuse. */
#define _ISOC11_SOURCE 1
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "mm.h"
#include "fixtures/platform.h"
#include "slab.h"
#include "unit.h"

static unsigned long initial_free;

static void setup(void)
{
	host_mm_init(16UL << 20);
	initial_free = nr_free_pages();
}

static unsigned long rng_state = 0x9e3779b97f4a7c15UL;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* One assertion per buffer: Check's asserts are slow in a loop. */
static bool all_bytes(const unsigned char *p, size_t n, size_t step,
		      unsigned char v)
{
	for (size_t i = 0; i < n; i += step)
		if (p[i] != v)
			return false;
	return true;
}

static size_t expected_class(size_t size)
{
	size_t c = 16;

	while (c < size)
		c <<= 1;
	return c < PAGE_SIZE ? c : ALIGN(c, PAGE_SIZE);
}

START_TEST(sizes_alignment_and_ksize)
{
	static const size_t sizes[] = { 0,     1,     8,    15,	  16,	17,
					31,    32,    33,   100,  255,	256,
					511,   513,   1000, 1024, 1025, 2047,
					2048,  2049,  4095, 4096, 4097, 12288,
					65536, 100000 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t size = sizes[i], class = expected_class(size ? size : 1);
		unsigned char *p = kmalloc(size, GFP_KERNEL);

		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(ksize(p), class);
		/* Power-of-two classes are naturally aligned. */
		ck_assert_uint_eq((uintptr_t)p & (class - 1), 0);
		ck_assert(PageSlab(virt_to_page(p)));
		memset(p, 0x5a, ksize(p));
		kfree(p);
	}
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(objects_do_not_overlap)
{
	enum { N = 600 };
	static unsigned char *obj[N];

	for (int i = 0; i < N; i++) {
		obj[i] = kmalloc(48, GFP_KERNEL); /* class 64 */
		memset(obj[i], i & 0xff, 48);
	}
	for (int i = 0; i < N; i++)
		ck_assert(all_bytes(obj[i], 48, 1, i & 0xff));
	/* 64 objects a page: ten pages, none more. */
	ck_assert_uint_eq(nr_free_pages(), initial_free - (N + 63) / 64);
	for (int i = 0; i < N; i++)
		kfree(obj[i]);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(free_and_reuse)
{
	void *a = kmalloc(100, GFP_KERNEL);
	void *b = kmalloc(100, GFP_KERNEL);

	kfree(a);
	/* The freed slot is the next one handed out in its class. */
	ck_assert_ptr_eq(kmalloc(120, GFP_KERNEL), a);
	kfree(a);
	kfree(b);
	kfree(NULL);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(zeroing_and_kcalloc)
{
	unsigned char *p = kmalloc(512, GFP_KERNEL);

	memset(p, 0xff, 512);
	kfree(p);
	p = kzalloc(512, GFP_KERNEL);
	ck_assert(all_bytes(p, 512, 1, 0));
	kfree(p);
	p = kcalloc(10, 300, GFP_KERNEL);
	ck_assert_uint_eq(ksize(p), 4096);
	ck_assert(all_bytes(p, 3000, 1, 0));
	kfree(p);
	ck_assert_ptr_null(kcalloc(SIZE_MAX / 8 + 1, 8, GFP_KERNEL));
	ck_assert_ptr_null(kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL));
	ck_assert_ptr_null(kmalloc(SIZE_MAX, GFP_KERNEL | __GFP_NOWARN));
	ck_assert_ptr_null(
		kmalloc((PAGE_SIZE << (MAX_ORDER - 1)) + 1, GFP_KERNEL));
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(large_allocations_use_pages)
{
	void *p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL); /* order 2 */

	ck_assert_uint_eq(nr_free_pages(), initial_free - 4);
	ck_assert_uint_eq(ksize(p), 4 * PAGE_SIZE);
	ck_assert_uint_eq((uintptr_t)p & (4 * PAGE_SIZE - 1), 0);
	kfree(p);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
	p = kmalloc(PAGE_SIZE << (MAX_ORDER - 1), GFP_KERNEL | __GFP_NOWARN);
	if (p) /* the arena holds max-order blocks only if 4 MiB aligned */
		kfree(p);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(freed_objects_are_poisoned)
{
	char *p = kmalloc(40, GFP_KERNEL); /* class 64 */
	char *keep = kmalloc(40, GFP_KERNEL); /* keeps the page a slab */

	ck_assert(!host_is_poisoned(p));
	ck_assert(!host_is_poisoned(p + 39));
	ck_assert(host_is_poisoned(p + 40)); /* past the request */
	ck_assert_uint_eq(ksize(p), 64);
	ck_assert(!host_is_poisoned(p + 63)); /* ksize grants it all */
	kfree(p);
	ck_assert(host_is_poisoned(p));
	kfree(keep);
}
END_TEST

#define SLOTS 512

/* Random sizes and frees against a model of what each object holds. */
START_TEST(random_against_model)
{
	static struct {
		unsigned char *p;
		size_t size;
		unsigned char tag;
	} slot[SLOTS];

	for (int step = 0; step < 40000; step++) {
		int i = rnd() % SLOTS;

		if (slot[i].p) {
			ck_assert(all_bytes(slot[i].p, slot[i].size, 7,
					    slot[i].tag));
			kfree(slot[i].p);
			slot[i].p = NULL;
			continue;
		}
		slot[i].size = (rnd() % 8 == 0) ? rnd() % 20000 : rnd() % 2100;
		slot[i].p = kmalloc(slot[i].size, GFP_KERNEL);
		if (!slot[i].p || ksize(slot[i].p) < slot[i].size)
			ck_abort_msg("kmalloc(%zu) failed or too small",
				     slot[i].size);
		slot[i].tag = (unsigned char)rnd();
		memset(slot[i].p, slot[i].tag, slot[i].size);
	}
	for (int i = 0; i < SLOTS; i++)
		kfree(slot[i].p);
	/* Every slab page went back. */
	ck_assert_uint_eq(nr_free_pages(), initial_free);
}
END_TEST

START_TEST(double_kfree_is_a_bug)
{
	void *p = kmalloc(32, GFP_KERNEL);
	void *keep = kmalloc(32, GFP_KERNEL);

	host_expect_bug("panic: kfree: double free");
	(void)keep;
	kfree(p);
	kfree(p);
}
END_TEST

START_TEST(kfree_of_foreign_pointer_is_a_bug)
{
	struct page *page = alloc_page(GFP_KERNEL);

	host_expect_bug("is not a kmalloc object");
	kfree(page_address(page));
}
END_TEST

START_TEST(kfree_of_interior_pointer_is_a_bug)
{
	char *p = kmalloc(256, GFP_KERNEL);

	host_expect_bug("is not a kmalloc object");
	kfree(p + 16);
}
END_TEST

static Suite *slab_suite(void)
{
	Suite *s = suite_create("slab");
	TCase *tc = tcase_create("kmalloc");
	TCase *bug = tcase_create("bugs");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sizes_alignment_and_ksize);
	tcase_add_test(tc, objects_do_not_overlap);
	tcase_add_test(tc, free_and_reuse);
	tcase_add_test(tc, zeroing_and_kcalloc);
	tcase_add_test(tc, large_allocations_use_pages);
	tcase_add_test(tc, freed_objects_are_poisoned);
	tcase_add_test(tc, random_against_model);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(bug, setup, NULL);
	tcase_add_test_raise_signal(bug, double_kfree_is_a_bug, SIGABRT);
	tcase_add_test_raise_signal(bug, kfree_of_foreign_pointer_is_a_bug,
				    SIGABRT);
	tcase_add_test_raise_signal(bug, kfree_of_interior_pointer_is_a_bug,
				    SIGABRT);
	suite_add_tcase(s, bug);
	return s;
}

UNIT_SUITE(slab_suite)
