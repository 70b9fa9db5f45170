/*
 * The dentry cache, after Linux's include/linux/dcache.h: a dentry ties a
 * name in a parent directory to an inode (positive) or to nothing
 * (negative: the name is known to be absent). Dentries form a tree by
 * d_parent, so ".." needs no disk, and are hashed by (parent, name), so
 * a path walk finds each component without asking the file system.
 *
 * Sized for this kernel: one CPU and no RCU, so one spinlock
 * (dcache_lock, as Linux 2.6 had) guards the hash, the tree and the LRU,
 * and d_count is a plain int under it. A dentry holds a reference on its
 * inode and on its parent; one nobody uses (d_count 0) stays cached on
 * the LRU until memory pressure (the dcache shrinker), unmount or
 * drop_caches frees it, which lets its inode go too.
 */
#ifndef _DCACHE_H
#define _DCACHE_H

#include "list.h"
#include "types.h"

struct inode;
struct super_block;

/* A name: its bytes (not NUL-terminated), length and hash. */
struct qstr {
	const unsigned char *name;
	unsigned int len;
	unsigned int hash;
};

/* Names up to this long live in the dentry; longer ones are kmalloc'd. */
#define DNAME_INLINE_LEN 16

struct dentry {
	int d_count; /* references; 0 = unused, on the LRU */
	unsigned int d_flags; /* DCACHE_* */
	struct inode *d_inode; /* NULL: a negative dentry */
	struct dentry *d_parent; /* referenced; the root is its own */
	struct qstr d_name;
	struct list_head d_hash; /* in a hash bucket; empty = unhashed */
	struct list_head d_lru; /* on the unused list while d_count is 0 */
	struct list_head d_child; /* on the parent's d_subdirs */
	struct list_head d_subdirs; /* the children */
	struct super_block *d_sb;
	unsigned char d_iname[DNAME_INLINE_LEN];
};

#define DCACHE_REFERENCED 1 /* used since the shrinker last looked */

/* Counts for tests and the shrinker, as Linux's dentry_stat. */
struct dentry_stat_t {
	long nr_dentry; /* allocated */
	long nr_unused; /* on the LRU */
};
extern struct dentry_stat_t dentry_stat;

unsigned int full_name_hash(const unsigned char *name, unsigned int len);

static inline void qstr_init(struct qstr *q, const char *name, unsigned int len)
{
	q->name = (const unsigned char *)name;
	q->len = len;
	q->hash = full_name_hash(q->name, len);
}

static inline bool d_unhashed(const struct dentry *dentry)
{
	return list_empty(&dentry->d_hash);
}

static inline bool d_really_is_negative(const struct dentry *dentry)
{
	return !dentry->d_inode;
}

/* A new unhashed negative child of parent named name; NULL if no memory. */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
/* The root dentry of inode (its reference is taken); iput and NULL on failure. */
struct dentry *d_make_root(struct inode *root);
/* Attach inode (its reference is taken) to a negative dentry. */
void d_instantiate(struct dentry *dentry, struct inode *inode);
/* d_instantiate (inode may be NULL: negative) and hash it. */
void d_add(struct dentry *dentry, struct inode *inode);
void d_rehash(struct dentry *dentry);
/* The hashed child of parent named name, with a reference; or NULL. */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);
/* Unhash: no lookup finds it again; its holders keep it. */
void d_drop(struct dentry *dentry);
/*
 * The name was removed (unlink, rmdir): a dentry only the caller holds
 * turns negative and stays hashed; one others hold is unhashed.
 */
void d_delete(struct dentry *dentry);
/*
 * rename moved dentry to target's parent and name: target is unhashed
 * (a replaced file leaves with it), dentry is rehashed under its new
 * name and parent.
 */
void d_move(struct dentry *dentry, struct dentry *target);
/* The file system state behind dentry is unknown: drop it and its unused subtree. */
void d_invalidate(struct dentry *dentry);

struct dentry *dget(struct dentry *dentry);
/* Drop a reference: an unused hashed dentry stays cached, an unhashed one is freed. */
void dput(struct dentry *dentry);

/* Free unused dentries below parent (rmdir, d_invalidate). */
void shrink_dcache_parent(struct dentry *parent);
/* Free every unused dentry of sb (unmount, drop_caches). */
void shrink_dcache_sb(struct super_block *sb);
/* Free up to nr unused dentries, oldest first, with a second chance. */
unsigned long prune_dcache(unsigned long nr);
/* dentry is dir or below it (walks d_parent). */
bool is_subdir(struct dentry *dentry, struct dentry *dir);

#endif
