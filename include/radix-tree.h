/*
 * Linux 2.6's radix tree, as the page cache uses it: a sparse map from
 * an unsigned long index to a non-NULL pointer. Each node has 64 slots,
 * so a tree of height h maps indices below 2^(6h); the tree grows on
 * demand and shrinks when its top is sparse. Every slot also carries
 * RADIX_TREE_MAX_TAGS tag bits, set on a node's slot when anything below
 * it is tagged, so a tagged gang lookup skips untagged subtrees (the
 * page cache's DIRTY and WRITEBACK tags).
 *
 * Callers serialize updates with their own lock; nodes come from
 * kmalloc with the root's gfp mask.
 */
#ifndef _RADIX_TREE_H
#define _RADIX_TREE_H

#include "gfp.h"
#include "types.h"

#define RADIX_TREE_MAP_SHIFT 6
#define RADIX_TREE_MAP_SIZE (1UL << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK (RADIX_TREE_MAP_SIZE - 1)
#define RADIX_TREE_MAX_TAGS 2
/* Levels needed for a 64-bit index: ceil(64 / 6). */
#define RADIX_TREE_MAX_PATH 11

#define PAGECACHE_TAG_DIRTY 0
#define PAGECACHE_TAG_WRITEBACK 1

struct radix_tree_node;

struct radix_tree_root {
	unsigned int height; /* 0 = empty */
	gfp_t gfp_mask; /* for node allocation */
	struct radix_tree_node *rnode;
};

#define RADIX_TREE_INIT(mask)                                  \
	{                                                      \
		.height = 0, .gfp_mask = (mask), .rnode = NULL \
	}
#define RADIX_TREE(name, mask) \
	struct radix_tree_root name = RADIX_TREE_INIT(mask)
#define INIT_RADIX_TREE(root, mask)        \
	do {                               \
		(root)->height = 0;        \
		(root)->gfp_mask = (mask); \
		(root)->rnode = NULL;      \
	} while (0)

/* 0, -EEXIST if index is taken, -ENOMEM, -EINVAL for a NULL item. */
int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      void *item);
void *radix_tree_lookup(struct radix_tree_root *root, unsigned long index);
/* Removes and returns the item (NULL if none), clearing its tags. */
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);

/* Set/clear return the item, or NULL (and change nothing) if absent. */
void *radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			 unsigned int tag);
void *radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			   unsigned int tag);
int radix_tree_tag_get(struct radix_tree_root *root, unsigned long index,
		       unsigned int tag);
/* Is any item in the tree tagged? */
int radix_tree_tagged(struct radix_tree_root *root, unsigned int tag);

/*
 * Up to max_items items with index >= first_index, in index order.
 * Returns how many were stored in results.
 */
unsigned int radix_tree_gang_lookup(struct radix_tree_root *root,
				    void **results, unsigned long first_index,
				    unsigned int max_items);
unsigned int radix_tree_gang_lookup_tag(struct radix_tree_root *root,
					void **results,
					unsigned long first_index,
					unsigned int max_items,
					unsigned int tag);

/*
 * The first index >= index with no item, scanning at most max_scan
 * indices (readahead uses it to size a window); returns index + max_scan
 * if every scanned index is present, or wraps past ULONG_MAX to 0.
 */
unsigned long radix_tree_next_hole(struct radix_tree_root *root,
				   unsigned long index, unsigned long max_scan);

/* Nodes currently allocated by all trees (tests, cache statistics). */
unsigned long radix_tree_nr_nodes(void);

#endif
