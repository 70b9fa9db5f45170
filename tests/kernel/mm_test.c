/*
 * Self-tests of the page allocator and kmalloc on the machine's own
 * memory map (the host suites cover the algorithms).
 */
#include "kunit.h"
#include "mm.h"
#include "radix-tree.h"
#include "slab.h"
#include "spinlock.h"
#include "string.h"

extern char _kernel_start[], _kernel_end[];

static bool overlaps(unsigned long a, unsigned long a_end, unsigned long b,
		     unsigned long b_end)
{
	return a < b_end && b < a_end;
}

/*
 * Take every free page (interrupts off, so nobody else allocates), check
 * each is real RAM outside the kernel image and mem_map by writing to
 * it, then give them all back: free counts per order must be restored.
 */
static void mm_all_free_pages_usable_test(struct kunit *test)
{
	unsigned long before[MAX_ORDER], free_before, n = 0, bad = 0, flags;
	unsigned long map = (unsigned long)mem_map;
	unsigned long map_end = map + mem_map_nr_pages * sizeof(struct page);
	struct page *page;
	void *list = NULL;

	local_irq_save(flags);
	free_before = nr_free_pages();
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		before[o] = nr_free_blocks(o);
	while ((page = alloc_page(GFP_ATOMIC | __GFP_NOWARN))) {
		unsigned long *mem = page_address(page);
		unsigned long addr = (unsigned long)mem;

		if (overlaps(addr, addr + PAGE_SIZE,
			     (unsigned long)_kernel_start,
			     (unsigned long)_kernel_end) ||
		    overlaps(addr, addr + PAGE_SIZE, map, map_end))
			bad++;
		mem[0] = (unsigned long)list;
		mem[1] = page_to_pfn(page);
		mem[PAGE_SIZE / sizeof(long) - 1] = ~page_to_pfn(page);
		list = mem;
		n++;
	}
	while (list) {
		unsigned long *mem = list;

		if (mem[1] != page_to_pfn(virt_to_page(mem)) ||
		    mem[PAGE_SIZE / sizeof(long) - 1] != ~mem[1])
			bad++;
		list = (void *)mem[0];
		__free_page(virt_to_page(mem));
	}
	local_irq_restore(flags);

	KUNIT_EXPECT_EQ(test, n, free_before);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free_before);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		KUNIT_EXPECT_EQ(test, nr_free_blocks(o), before[o]);
	KUNIT_EXPECT_TRUE(test, totalram_pages() >= free_before);
}
KUNIT_CASE(mm_all_free_pages_usable_test, "mm.all_free_pages_usable");

static void mm_kmalloc_classes_test(struct kunit *test)
{
	void *p[40];

	for (unsigned int i = 0; i < ARRAY_SIZE(p); i++) {
		size_t size = 1UL << (i % 14);

		p[i] = kmalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, p[i] != NULL);
		KUNIT_EXPECT_TRUE(test, ksize(p[i]) >= size);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p[i],
						   min(size, 16UL)));
		memset(p[i], (int)i, size);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(p); i++) {
		const unsigned char *b = p[i];

		KUNIT_EXPECT_EQ(test, b[0], i);
		KUNIT_EXPECT_EQ(test, b[(1UL << (i % 14)) - 1], i);
		kfree(p[i]);
	}
	KUNIT_EXPECT_TRUE(test, kcalloc(~0UL / 2, 4, GFP_KERNEL) == NULL);
}
KUNIT_CASE(mm_kmalloc_classes_test, "mm.kmalloc_classes");

static void mm_kmalloc_smoke_test(struct kunit *test)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 512, 2048 };
	void *p[ARRAY_SIZE(sizes)];
	struct page *pages;

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, p[i] != NULL);
		KUNIT_EXPECT_TRUE(test, ksize(p[i]) >= sizes[i]);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	/* No allocation overwrote another. */
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		const u8 *b = p[i];

		for (size_t k = 0; k < sizes[i]; k++)
			KUNIT_ASSERT_EQ(test, b[k], i + 1);
		kfree(p[i]);
	}
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	KUNIT_ASSERT_TRUE(test, pages != NULL);
	KUNIT_EXPECT_TRUE(test,
			  IS_ALIGNED((u64)page_address(pages), 8 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, ((u64 *)page_address(pages))[1000], 0);
	__free_pages(pages, 3);
}
KUNIT_CASE(mm_kmalloc_smoke_test, "mm.kmalloc_smoke");
