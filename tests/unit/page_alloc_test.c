/* Buddy allocator: splitting, coalescing, alignment, holes, misuse. */
#define _ISOC11_SOURCE 1
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"
#include "fixtures/platform.h"
#include "spinlock.h"
#include "unit.h"

#define ARENA (16UL << 20)

static unsigned long initial_free;
static unsigned long initial_blocks[MAX_ORDER];

static void setup(void)
{
	host_mm_init(ARENA);
	initial_free = nr_free_pages();
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		initial_blocks[o] = nr_free_blocks(o);
}

static void assert_pristine(void)
{
	ck_assert_uint_eq(nr_free_pages(), initial_free);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		ck_assert_msg(nr_free_blocks(o) == initial_blocks[o],
			      "order %u: %lu free blocks, expected %lu", o,
			      nr_free_blocks(o), initial_blocks[o]);
}

/* Tiny xorshift so runs are repeatable. */
static unsigned long rng_state = 88172645463325252UL;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

START_TEST(arena_is_managed)
{
	ck_assert_uint_eq(totalram_pages(), ARENA >> PAGE_SHIFT);
	ck_assert_uint_eq(initial_free, ARENA >> PAGE_SHIFT);
	/* A 2 MiB-aligned 16 MiB arena forms only order 9 and 10 blocks. */
	for (unsigned int o = 0; o < MAX_ORDER - 2; o++)
		ck_assert_uint_eq(initial_blocks[o], 0);
}
END_TEST

START_TEST(all_order0_then_free_merges_back)
{
	unsigned long n = 0, max = initial_free;
	struct page **pages = calloc(max + 1, sizeof(*pages));

	while ((pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	ck_assert_uint_eq(n, initial_free);
	ck_assert_uint_eq(nr_free_pages(), 0);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		ck_assert_uint_eq(nr_free_blocks(o), 0);
	/* Free in a shuffled order so merging meets every pattern. */
	for (unsigned long i = n - 1; i > 0; i--) {
		unsigned long j = rnd() % (i + 1);
		struct page *t = pages[i];

		pages[i] = pages[j];
		pages[j] = t;
	}
	for (unsigned long i = 0; i < n; i++) {
		if (page_count(pages[i]) != 1)
			ck_abort_msg("page %lu: count %d", i,
				     page_count(pages[i]));
		__free_page(pages[i]);
	}
	assert_pristine();
	free(pages);
}
END_TEST

START_TEST(coalescing_climbs_orders)
{
	unsigned long n = 0;
	struct page **pages = calloc(initial_free + 1, sizeof(*pages));
	struct page *group[8];
	int found = 0;

	while ((pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	/* Pick the 8 pages of one 8-aligned pfn group. */
	for (unsigned long i = 0; i < n && !found; i++) {
		unsigned long pfn = page_to_pfn(pages[i]);

		if (pfn % 8 == 0) {
			for (int k = 0; k < 8; k++)
				group[k] = pfn_to_page(pfn + k);
			found = 1;
		}
	}
	ck_assert(found);
	/*
	 * Freeing pages 0..7 in order: after page k the free blocks are the
	 * binary digits of k + 1, one block per set bit.
	 */
	for (int k = 0; k < 8; k++) {
		__free_page(group[k]);
		for (unsigned int o = 0; o < 4; o++)
			ck_assert_msg(nr_free_blocks(o) ==
					      (((unsigned)k + 1) >> o & 1),
				      "after %d frees: order %u has %lu", k + 1,
				      o, nr_free_blocks(o));
	}
	for (unsigned long i = 0; i < n; i++) {
		unsigned long pfn = page_to_pfn(pages[i]);

		if (pfn < page_to_pfn(group[0]) || pfn > page_to_pfn(group[7]))
			__free_page(pages[i]);
	}
	assert_pristine();
	free(pages);
}
END_TEST

START_TEST(blocks_are_aligned_to_their_size)
{
	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);

		if (!p) /* the arena may hold no block of the top order */
			continue;
		ck_assert_uint_eq(page_to_pfn(p) & ((1UL << o) - 1), 0);
		ck_assert_uint_eq((unsigned long)page_address(p) &
					  ((PAGE_SIZE << o) - 1),
				  0);
		ck_assert_uint_eq(nr_free_pages(), initial_free - (1UL << o));
		__free_pages(p, o);
		assert_pristine();
	}
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL, MAX_ORDER));
}
END_TEST

START_TEST(gfp_zero_zeroes)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	unsigned char *mem = page_address(p);

	memset(mem, 0xa5, PAGE_SIZE << 2);
	__free_pages(p, 2);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	/* LIFO free lists hand the same block back: it must be cleared. */
	ck_assert_ptr_eq(page_address(p), mem);
	for (unsigned long i = 0; i < (PAGE_SIZE << 2); i++)
		if (mem[i])
			ck_abort_msg("byte %lu not zeroed", i);
	__free_pages(p, 2);
}
END_TEST

START_TEST(page_refcounts)
{
	struct page *p = alloc_page(GFP_KERNEL);

	ck_assert_int_eq(page_count(p), 1);
	ck_assert_ptr_null(p->mapping);
	ck_assert_uint_eq(p->flags, 0);
	get_page(p);
	put_page(p);
	ck_assert_uint_eq(nr_free_pages(), initial_free - 1);
	ck_assert(!PageBuddy(p));
	put_page(p);
	ck_assert_uint_eq(nr_free_pages(), initial_free);
	ck_assert_int_eq(page_count(p), 0);
	/* free_pages/__get_free_pages go through addresses. */
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1);

	ck_assert_uint_ne(addr, 0);
	ck_assert_ptr_eq(virt_to_page((void *)addr),
			 pfn_to_page(addr >> PAGE_SHIFT));
	free_pages(addr, 1);
	assert_pristine();
}
END_TEST

#define RANDOM_SLOTS 256

struct held {
	struct page *page;
	unsigned int order;
	unsigned char tag;
};

/* Random traffic against a model: counts, no overlap, no corruption. */
START_TEST(random_against_model)
{
	static struct held held[RANDOM_SLOTS];
	unsigned long npages = ARENA >> PAGE_SHIFT;
	unsigned char *owner = calloc(npages, 1);
	unsigned long base = mem_map_pfn_offset, model_free = initial_free;

	for (int step = 0; step < 20000; step++) {
		struct held *h = &held[rnd() % RANDOM_SLOTS];

		if (h->page) {
			unsigned char *mem = page_address(h->page);
			unsigned long len = PAGE_SIZE << h->order;

			for (unsigned long i = 0; i < len; i += 512)
				if (mem[i] != h->tag)
					ck_abort_msg("block corrupted");
			for (unsigned long i = 0; i < (1UL << h->order); i++)
				owner[page_to_pfn(h->page) - base + i] = 0;
			__free_pages(h->page, h->order);
			model_free += 1UL << h->order;
			h->page = NULL;
		} else {
			unsigned int order = rnd() % 6;

			h->page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
			if (!h->page) {
				if (model_free >= (1UL << order))
					ck_abort_msg("order %u failed", order);
				continue;
			}
			h->order = order;
			h->tag = (unsigned char)(rnd() | 1);
			for (unsigned long i = 0; i < (1UL << order); i++) {
				unsigned long idx =
					page_to_pfn(h->page) - base + i;

				if (owner[idx])
					ck_abort_msg("page handed out twice");
				owner[idx] = 1;
			}
			memset(page_address(h->page), h->tag,
			       PAGE_SIZE << order);
			model_free -= 1UL << order;
		}
		if (nr_free_pages() != model_free)
			ck_abort_msg("step %d: %lu free, model %lu", step,
				     nr_free_pages(), model_free);
	}
	for (int i = 0; i < RANDOM_SLOTS; i++)
		if (held[i].page)
			__free_pages(held[i].page, held[i].order);
	assert_pristine();
	free(owner);
}
END_TEST

/* A private mem_map with holes; each test runs in its own process. */
#define SMALL 1024

/* Global so LeakSanitizer sees them reachable. */
void *small_region;
struct page *small_map;

static unsigned long small_map_init(void)
{
	void *region = aligned_alloc(SMALL * PAGE_SIZE, SMALL * PAGE_SIZE);
	struct page *map = calloc(SMALL, sizeof(*map));

	small_region = region;
	small_map = map;
	unsigned long pfn = (unsigned long)region >> PAGE_SHIFT;

	mem_map_init(map, pfn, SMALL);
	return pfn;
}

START_TEST(free_range_with_holes)
{
	unsigned long base = small_map_init(), n = 0;
	static struct page *got[SMALL];

	ck_assert_uint_eq(nr_free_pages(), 0);
	ck_assert_ptr_null(alloc_page(GFP_KERNEL | __GFP_NOWARN));
	free_pfn_range(base + 3, base + 100);
	free_pfn_range(base + 200, base + 1000);
	/* Overlap and out-of-range parts are ignored, not double-freed. */
	free_pfn_range(base + 990, base + 1010);
	free_pfn_range(base - 50, base + 1);
	ck_assert_uint_eq(nr_free_pages(), 97 + 800 + 10 + 1);
	ck_assert_uint_eq(totalram_pages(), 97 + 800 + 10 + 1);
	while ((got[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN))) {
		unsigned long off = page_to_pfn(got[n]) - base;

		if (!(off == 0 || (off >= 3 && off < 100) ||
		      (off >= 200 && off < 1010)))
			ck_abort_msg("page %lu is in a hole", off);
		n++;
	}
	ck_assert_uint_eq(n, 908);
	ck_assert(PageReserved(pfn_to_page(base + 1)));
	ck_assert(PageReserved(pfn_to_page(base + 150)));
	while (n)
		__free_page(got[--n]);
	ck_assert_uint_eq(nr_free_pages(), 908);
	/* 256 and 512 start order-8 blocks that are not buddies. */
	ck_assert_uint_eq(nr_free_blocks(8), 2);
	ck_assert_uint_eq(nr_free_blocks(9), 0);
}
END_TEST

START_TEST(double_free_is_a_bug)
{
	struct page *p = alloc_page(GFP_KERNEL);

	host_expect_bug("panic: mm: double free of page");
	__free_page(p);
	__free_page(p);
}
END_TEST

START_TEST(double_free_inside_merged_block_is_a_bug)
{
	struct page *a = alloc_pages(GFP_KERNEL, 1);

	host_expect_bug("panic: mm: double free of page");
	__free_pages(a, 1);
	__free_page(a + 1); /* not a block head any more, count 0 */
}
END_TEST

START_TEST(freeing_reserved_is_a_bug)
{
	unsigned long base = small_map_init();

	host_expect_bug("panic: mm: freeing reserved page");
	free_pfn_range(base + 1, base + SMALL);
	__free_page(pfn_to_page(base));
}
END_TEST

START_TEST(freeing_cached_page_is_a_bug)
{
	struct page *p = alloc_page(GFP_KERNEL);

	host_expect_bug("panic: mm: bad page at free");
	p->mapping = (struct address_space *)p;
	put_page(p);
}
END_TEST

START_TEST(freeing_locked_page_is_a_bug)
{
	struct page *p = alloc_page(GFP_KERNEL);

	host_expect_bug("panic: mm: bad page at free");
	SetPageLocked(p);
	put_page(p);
}
END_TEST

/* AddressSanitizer sees our arena: free pages are poisoned. */
START_TEST(free_pages_are_poisoned)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	char *mem = page_address(p);

	ck_assert(!host_is_poisoned(mem));
	ck_assert(!host_is_poisoned(mem + 2 * PAGE_SIZE - 1));
	__free_pages(p, 1);
	ck_assert(host_is_poisoned(mem));
	ck_assert(host_is_poisoned(mem + 2 * PAGE_SIZE - 1));
}
END_TEST

/* ---- reclaim hook ---- */

#define CACHE_MAX 8192
static struct page *cache[CACHE_MAX];
static unsigned long cached, hook_calls, hook_depth, hook_max_depth;

static unsigned long fake_shrink(unsigned long nr)
{
	unsigned long freed = 0;
	struct page *p;

	hook_calls++;
	if (++hook_depth > hook_max_depth)
		hook_max_depth = hook_depth;
	/* Reclaim may allocate; that must not re-enter the hook. */
	p = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	if (p)
		__free_page(p);
	while (freed < nr && cached) {
		__free_page(cache[--cached]);
		freed++;
	}
	hook_depth--;
	return freed;
}

static void fill_cache(void)
{
	while (cached < CACHE_MAX &&
	       (cache[cached] = alloc_page(GFP_ATOMIC | __GFP_NOWARN)))
		cached++;
	ck_assert_uint_eq(nr_free_pages(), 0);
}

START_TEST(shrink_hook_runs_for_kernel_allocations)
{
	struct page *p;

	fill_cache();
	set_shrink_memory_hook(fake_shrink);
	ck_assert_ptr_null(alloc_page(GFP_ATOMIC | __GFP_NOWARN));
	ck_assert_ptr_null(alloc_page(GFP_NOIO | __GFP_NOWARN));
	ck_assert_uint_eq(hook_calls, 0);
	p = alloc_pages(GFP_KERNEL, 3);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_ge(hook_calls, 1);
	ck_assert_uint_eq(hook_max_depth, 1);
	/* It reclaims up to the watermark, not just the 8 pages asked. */
	ck_assert_uint_ge(nr_free_pages(), 16);
	__free_pages(p, 3);
	set_shrink_memory_hook(NULL);
	while (cached)
		__free_page(cache[--cached]);
	assert_pristine();
}
END_TEST

START_TEST(shrink_hook_not_called_with_irqs_off)
{
	unsigned long flags;

	fill_cache();
	set_shrink_memory_hook(fake_shrink);
	local_irq_save(flags);
	ck_assert_ptr_null(alloc_page(GFP_KERNEL | __GFP_NOWARN));
	local_irq_restore(flags);
	ck_assert_uint_eq(hook_calls, 0);
	ck_assert_ptr_nonnull(alloc_page(GFP_KERNEL));
	ck_assert_uint_ge(hook_calls, 1);
}
END_TEST

static Suite *page_alloc_suite(void)
{
	Suite *s = suite_create("page_alloc");
	TCase *tc = tcase_create("buddy");
	TCase *bug = tcase_create("bugs");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, arena_is_managed);
	tcase_add_test(tc, all_order0_then_free_merges_back);
	tcase_add_test(tc, coalescing_climbs_orders);
	tcase_add_test(tc, blocks_are_aligned_to_their_size);
	tcase_add_test(tc, gfp_zero_zeroes);
	tcase_add_test(tc, page_refcounts);
	tcase_add_test(tc, random_against_model);
	tcase_add_test(tc, free_range_with_holes);
	tcase_add_test(tc, free_pages_are_poisoned);
	tcase_add_test(tc, shrink_hook_runs_for_kernel_allocations);
	tcase_add_test(tc, shrink_hook_not_called_with_irqs_off);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(bug, setup, NULL);
	tcase_add_test_raise_signal(bug, double_free_is_a_bug, SIGABRT);
	tcase_add_test_raise_signal(
		bug, double_free_inside_merged_block_is_a_bug, SIGABRT);
	tcase_add_test_raise_signal(bug, freeing_reserved_is_a_bug, SIGABRT);
	tcase_add_test_raise_signal(bug, freeing_cached_page_is_a_bug, SIGABRT);
	tcase_add_test_raise_signal(bug, freeing_locked_page_is_a_bug, SIGABRT);
	suite_add_tcase(s, bug);
	return s;
}

UNIT_SUITE(page_alloc_suite)
