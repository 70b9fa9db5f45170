/*
 * Self-test of the radix tree (lib/radix-tree.c) in the kernel's own
 * memory, with indices past 32 bits and the page cache's dirty tag.
 */
#include "kunit.h"
#include "pagemap.h"
#include "radix-tree.h"

static void *item(unsigned long index)
{
	return (void *)((index << 4) | 8);
}

static void lib_radix_tree_test(struct kunit *test)
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
KUNIT_CASE(lib_radix_tree_test, "lib.radix_tree");
