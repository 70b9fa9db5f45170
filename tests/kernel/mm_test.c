/*
 * Self-tests of the page allocator, kmalloc and the radix tree on the
 * machine's own memory map (the host suites cover the algorithms).
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
static void mm_all_free_pages_usable(struct kunit *test)
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
KUNIT_CASE(mm_all_free_pages_usable, "mm.all_free_pages_usable");

static void mm_kmalloc_classes(struct kunit *test)
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
KUNIT_CASE(mm_kmalloc_classes, "mm.kmalloc_classes");

static void *item(unsigned long index)
{
	return (void *)((index << 4) | 8);
}

static void lib_radix_tree(struct kunit *test)
{
	RADIX_TREE(tree, GFP_KERNEL);
	void *got[16];
	unsigned int n;

	for (unsigned long i = 0; i < 3000; i += 3)
		KUNIT_ASSERT_EQ(test, radix_tree_insert(&tree, i, item(i)), 0);
	KUNIT_ASSERT_EQ(test, radix_tree_insert(&tree, 1UL << 50, item(1)), 0);
	KUNIT_EXPECT_TRUE(test, radix_tree_lookup(&tree, 2997) == item(2997));
	KUNIT_EXPECT_TRUE(test, radix_tree_lookup(&tree, 2998) == NULL);
	radix_tree_tag_set(&tree, 1500, PAGECACHE_TAG_DIRTY);
	radix_tree_tag_set(&tree, 1UL << 50, PAGECACHE_TAG_DIRTY);
	n = radix_tree_gang_lookup_tag(&tree, got, 0, 16, PAGECACHE_TAG_DIRTY);
	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_EXPECT_TRUE(test, got[0] == item(1500));
	n = radix_tree_gang_lookup(&tree, got, 2990, 16);
	KUNIT_EXPECT_EQ(test, n, 4); /* 2991, 2994, 2997, 2^50 */
	for (unsigned long i = 0; i < 3000; i += 3)
		KUNIT_EXPECT_TRUE(test, radix_tree_delete(&tree, i) == item(i));
	radix_tree_delete(&tree, 1UL << 50);
	KUNIT_EXPECT_EQ(test, tree.height, 0);
	KUNIT_EXPECT_FALSE(test, radix_tree_tagged(&tree, PAGECACHE_TAG_DIRTY));
}
KUNIT_CASE(lib_radix_tree, "lib.radix_tree");
