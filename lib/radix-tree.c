/*
 * The radix tree (see include/radix-tree.h). An index is split into
 * 6-bit digits, most significant first; a tree of height h uses the low
 * h digits and each node level consumes one. Invariants the code keeps:
 *
 *  - a node exists only while some slot under it holds an item, so
 *    deleting the last item frees every node;
 *  - bit `off` of node->tags[t] is set iff slot `off` holds an item
 *    tagged t (at the bottom level) or a node with any bit of tags[t]
 *    set (above it);
 *  - the root node never has a single child in slot 0 above height 1:
 *    such a top is collapsed, so the height is as small as the largest
 *    index allows.
 */
#include "errno.h"
#include "radix-tree.h"
#include "slab.h"

struct radix_tree_node {
	unsigned int count; /* non-NULL slots */
	unsigned long tags[RADIX_TREE_MAX_TAGS];
	void *slots[RADIX_TREE_MAP_SIZE];
};

/* One step of a walk from the root: the node and the slot taken in it. */
struct radix_path {
	struct radix_tree_node *node;
	unsigned int offset;
};

static unsigned long nr_nodes;

unsigned long radix_tree_nr_nodes(void)
{
	return __atomic_load_n(&nr_nodes, __ATOMIC_RELAXED);
}

static struct radix_tree_node *node_alloc(struct radix_tree_root *root)
{
	struct radix_tree_node *node =
		kzalloc(sizeof(*node), root->gfp_mask & ~__GFP_ZERO);

	if (node)
		__atomic_add_fetch(&nr_nodes, 1, __ATOMIC_RELAXED);
	return node;
}

static void node_free(struct radix_tree_node *node)
{
	__atomic_sub_fetch(&nr_nodes, 1, __ATOMIC_RELAXED);
	kfree(node);
}

static unsigned long maxindex(unsigned int height)
{
	unsigned int bits = height * RADIX_TREE_MAP_SHIFT;

	if (bits >= 64)
		return ~0UL;
	return (1UL << bits) - 1;
}

static unsigned int height_for(unsigned long index)
{
	unsigned int height = 1;

	while (index > maxindex(height))
		height++;
	return height;
}

static unsigned int offset_at(unsigned long index, unsigned int level)
{
	return (index >> (level * RADIX_TREE_MAP_SHIFT)) & RADIX_TREE_MAP_MASK;
}

static bool any_tag(const struct radix_tree_node *node, unsigned int tag)
{
	return node->tags[tag] != 0;
}

/*
 * Walk towards index, filling path[0] (the root node) down to the
 * deepest node reached. Returns the number of steps filled; the item is
 * path[height - 1]'s slot when that many were filled.
 */
static unsigned int walk(struct radix_tree_root *root, unsigned long index,
			 struct radix_path *path)
{
	struct radix_tree_node *node = root->rnode;
	unsigned int depth = 0;

	if (!node || index > maxindex(root->height))
		return 0;
	for (unsigned int level = root->height; level-- > 0;) {
		path[depth].node = node;
		path[depth].offset = offset_at(index, level);
		depth++;
		if (level == 0)
			break;
		node = node->slots[offset_at(index, level)];
		if (!node)
			break;
	}
	return depth;
}

static void *walk_item(struct radix_tree_root *root, unsigned long index,
		       struct radix_path *path, unsigned int *depth)
{
	*depth = walk(root, index, path);
	if (*depth != root->height || !*depth)
		return NULL;
	return path[*depth - 1].node->slots[path[*depth - 1].offset];
}

/* Collapse a top node whose only child sits in slot 0. */
static void shrink(struct radix_tree_root *root)
{
	while (root->height > 1) {
		struct radix_tree_node *top = root->rnode;

		if (top->count != 1 || !top->slots[0])
			break;
		root->rnode = top->slots[0];
		root->height--;
		node_free(top);
	}
}

/* Free the empty nodes at the bottom of a walk, then shrink the top. */
static void prune(struct radix_tree_root *root, struct radix_path *path,
		  unsigned int depth)
{
	while (depth > 0 && path[depth - 1].node->count == 0) {
		struct radix_tree_node *node = path[--depth].node;

		if (depth == 0) {
			root->rnode = NULL;
		} else {
			struct radix_tree_node *parent = path[depth - 1].node;
			unsigned int off = path[depth - 1].offset;

			parent->slots[off] = NULL;
			parent->count--;
			for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
				parent->tags[t] &= ~(1UL << off);
		}
		node_free(node);
	}
	if (!root->rnode)
		root->height = 0;
	else
		shrink(root);
}

/* Grow the tree at the top until it can hold index. */
static int extend(struct radix_tree_root *root, unsigned long index)
{
	unsigned int need = height_for(index);

	if (!root->rnode) {
		root->height = need;
		return 0;
	}
	while (root->height < need) {
		struct radix_tree_node *node = node_alloc(root);

		if (!node)
			return -ENOMEM;
		node->slots[0] = root->rnode;
		node->count = 1;
		for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
			if (any_tag(root->rnode, t))
				node->tags[t] = 1;
		root->rnode = node;
		root->height++;
	}
	return 0;
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      void *item)
{
	struct radix_path path[RADIX_TREE_MAX_PATH];
	struct radix_tree_node *node = NULL, **slot;
	unsigned int depth;

	if (!item)
		return -EINVAL;
	if (extend(root, index))
		goto nomem;
	slot = &root->rnode;
	for (unsigned int level = root->height; level-- > 0;) {
		if (!*slot) {
			*slot = node_alloc(root);
			if (!*slot)
				goto nomem;
			if (node)
				node->count++;
		}
		node = *slot;
		slot = (struct radix_tree_node **)&node
			       ->slots[offset_at(index, level)];
	}
	if (*slot)
		return -EEXIST;
	*slot = item;
	node->count++;
	return 0;

nomem:
	/* Undo: nodes made for this insert hold nothing, so prune frees them. */
	depth = walk(root, index, path);
	prune(root, path, depth);
	return -ENOMEM;
}

void *radix_tree_lookup(struct radix_tree_root *root, unsigned long index)
{
	struct radix_path path[RADIX_TREE_MAX_PATH];
	unsigned int depth;

	return walk_item(root, index, path, &depth);
}

/* Clear tag on the item at the end of path, and upwards while unneeded. */
static void clear_tag_path(struct radix_path *path, unsigned int depth,
			   unsigned int tag)
{
	while (depth-- > 0) {
		struct radix_tree_node *node = path[depth].node;

		node->tags[tag] &= ~(1UL << path[depth].offset);
		if (any_tag(node, tag))
			break;
	}
}

void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	struct radix_path path[RADIX_TREE_MAX_PATH];
	struct radix_tree_node *leaf;
	unsigned int depth;
	void *item = walk_item(root, index, path, &depth);

	if (!item)
		return NULL;
	for (unsigned int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
		clear_tag_path(path, depth, t);
	leaf = path[depth - 1].node;
	leaf->slots[path[depth - 1].offset] = NULL;
	leaf->count--;
	prune(root, path, depth);
	return item;
}

void *radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			 unsigned int tag)
{
	struct radix_path path[RADIX_TREE_MAX_PATH];
	unsigned int depth;
	void *item = walk_item(root, index, path, &depth);

	if (!item || tag >= RADIX_TREE_MAX_TAGS)
		return NULL;
	for (unsigned int i = 0; i < depth; i++)
		path[i].node->tags[tag] |= 1UL << path[i].offset;
	return item;
}

void *radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			   unsigned int tag)
{
	struct radix_path path[RADIX_TREE_MAX_PATH];
	unsigned int depth;
	void *item = walk_item(root, index, path, &depth);

	if (!item || tag >= RADIX_TREE_MAX_TAGS)
		return NULL;
	clear_tag_path(path, depth, tag);
	return item;
}

int radix_tree_tag_get(struct radix_tree_root *root, unsigned long index,
		       unsigned int tag)
{
	struct radix_path path[RADIX_TREE_MAX_PATH];
	struct radix_path *leaf;
	unsigned int depth;

	if (tag >= RADIX_TREE_MAX_TAGS || !walk_item(root, index, path, &depth))
		return 0;
	leaf = &path[depth - 1];
	return (leaf->node->tags[tag] >> leaf->offset) & 1;
}

int radix_tree_tagged(struct radix_tree_root *root, unsigned int tag)
{
	return tag < RADIX_TREE_MAX_TAGS && root->rnode &&
	       any_tag(root->rnode, tag);
}

#define NO_TAG (-1)

/* First slot >= off holding something (tag < 0) or tagged; or MAP_SIZE. */
static unsigned int next_slot(const struct radix_tree_node *node,
			      unsigned int off, int tag)
{
	if (tag >= 0) {
		unsigned long word = node->tags[tag] & (~0UL << off);

		return word ? (unsigned int)__builtin_ctzl(word) :
			      RADIX_TREE_MAP_SIZE;
	}
	while (off < RADIX_TREE_MAP_SIZE && !node->slots[off])
		off++;
	return off;
}

/*
 * The first item (tagged, if tag >= 0) at an index >= index. When a node
 * has nothing left at or after the index, skip to the end of the range
 * it covers and start again from the root.
 */
static void *find_next(struct radix_tree_root *root, unsigned long index,
		       int tag, unsigned long *found)
{
	for (;;) {
		struct radix_tree_node *node = root->rnode;
		unsigned int level, span;
		unsigned long next;

		if (!node || index > maxindex(root->height))
			return NULL;
		for (level = root->height; level-- > 0;) {
			unsigned int shift = level * RADIX_TREE_MAP_SHIFT;
			unsigned int off = offset_at(index, level);
			unsigned int hit = next_slot(node, off, tag);

			if (hit == RADIX_TREE_MAP_SIZE)
				break;
			if (hit != off) /* to the start of that slot's range */
				index = (index & ~maxindex(level + 1)) |
					((unsigned long)hit << shift);
			if (level == 0) {
				*found = index;
				return node->slots[hit];
			}
			node = node->slots[hit];
		}
		span = (level + 1) * RADIX_TREE_MAP_SHIFT;
		if (span >= 64)
			return NULL;
		next = (index | ((1UL << span) - 1)) + 1;
		if (!next)
			return NULL;
		index = next;
	}
}

static unsigned int gang_lookup(struct radix_tree_root *root, void **results,
				unsigned long index, unsigned int max_items,
				int tag)
{
	unsigned int n = 0;
	unsigned long found;

	while (n < max_items) {
		void *item = find_next(root, index, tag, &found);

		if (!item)
			break;
		results[n++] = item;
		if (found == ~0UL)
			break;
		index = found + 1;
	}
	return n;
}

unsigned int radix_tree_gang_lookup(struct radix_tree_root *root,
				    void **results, unsigned long first_index,
				    unsigned int max_items)
{
	return gang_lookup(root, results, first_index, max_items, NO_TAG);
}

unsigned int radix_tree_gang_lookup_tag(struct radix_tree_root *root,
					void **results,
					unsigned long first_index,
					unsigned int max_items,
					unsigned int tag)
{
	if (tag >= RADIX_TREE_MAX_TAGS)
		return 0;
	return gang_lookup(root, results, first_index, max_items, (int)tag);
}

unsigned long radix_tree_next_hole(struct radix_tree_root *root,
				   unsigned long index, unsigned long max_scan)
{
	for (unsigned long i = 0; i < max_scan; i++) {
		if (!radix_tree_lookup(root, index))
			break;
		index++;
		if (!index)
			break;
	}
	return index;
}
