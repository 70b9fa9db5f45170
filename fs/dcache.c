/*
 * The dentry cache (include/dcache.h), after Linux's fs/dcache.c. A hash
 * of (parent, name) finds a child without the file system; the tree of
 * d_parent gives ".."; unused dentries wait on an LRU, oldest first, for
 * the shrinker that reclaim calls under memory pressure.
 *
 * One CPU and no RCU: one spinlock, dcache_lock, covers the hash, the
 * tree, the LRU and every d_count (Linux 2.6's dcache_lock, before it
 * grew d_lock and RCU walks). iput() may sleep (evicting writes an inode
 * back), so dentries are unlinked under the lock and their inodes let go
 * after it.
 *
 * Invariants: a dentry with d_count 0 is on the LRU; an unhashed dentry
 * is freed when its last reference goes; a parent is referenced by each
 * child, so only leaves are ever unused and the tree cannot lose an
 * inner node.
 */
#include "dcache.h"
#include "fs.h"
#include "mm.h"
#include "printk.h"
#include "slab.h"
#include "spinlock.h"
#include "string.h"

#define D_HASH_BITS 13

static struct list_head dentry_hashtable[1 << D_HASH_BITS];
static LIST_HEAD(dentry_lru);
static DEFINE_SPINLOCK(dcache_lock);
static bool dcache_ready;
struct dentry_stat_t dentry_stat;

static unsigned long dcache_count(struct shrinker *s);
static unsigned long dcache_scan(struct shrinker *s, unsigned long nr);

/* Reclaim frees unused dentries (and so their inodes) under pressure. */
static struct shrinker dcache_shrinker = {
	.count_objects = dcache_count,
	.scan_objects = dcache_scan,
	.seeks = DEFAULT_SEEKS,
};

static void dcache_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(dentry_hashtable); i++)
		INIT_LIST_HEAD(&dentry_hashtable[i]);
	dcache_ready = true;
	register_shrinker(&dcache_shrinker);
}

unsigned int full_name_hash(const unsigned char *name, unsigned int len)
{
	unsigned int h = 2166136261u; /* FNV-1a */

	while (len--) {
		h ^= *name++;
		h *= 16777619u;
	}
	return h;
}

static struct list_head *d_hash(const struct dentry *parent, unsigned int hash)
{
	unsigned long h = ((unsigned long)parent / 64) ^ hash;

	h = (h * 0x9e3779b97f4a7c15UL) >> (64 - D_HASH_BITS);
	return &dentry_hashtable[h];
}

/* Under dcache_lock. */
static void lru_add(struct dentry *dentry)
{
	dentry->d_flags |= DCACHE_REFERENCED;
	list_add_tail(&dentry->d_lru, &dentry_lru);
	dentry_stat.nr_unused++;
}

static void lru_del(struct dentry *dentry)
{
	list_del_init(&dentry->d_lru);
	dentry_stat.nr_unused--;
}

static bool set_name(struct dentry *dentry, const struct qstr *name)
{
	unsigned char *buf = dentry->d_iname;

	if (name->len >= DNAME_INLINE_LEN) {
		buf = kmalloc(name->len + 1, GFP_KERNEL);
		if (!buf)
			return false;
	}
	memcpy(buf, name->name, name->len);
	buf[name->len] = '\0';
	dentry->d_name.name = buf;
	dentry->d_name.len = name->len;
	dentry->d_name.hash = name->hash;
	return true;
}

static void free_name(const struct qstr *name, const struct dentry *dentry)
{
	if (name->name != dentry->d_iname)
		kfree(name->name);
}

static struct dentry *__d_alloc(struct super_block *sb, const struct qstr *name)
{
	struct dentry *dentry;

	if (!dcache_ready)
		dcache_init();
	dentry = kzalloc(sizeof(*dentry), GFP_KERNEL);
	if (!dentry)
		return NULL;
	if (!set_name(dentry, name)) {
		kfree(dentry);
		return NULL;
	}
	dentry->d_count = 1;
	dentry->d_sb = sb;
	dentry->d_parent = dentry;
	INIT_LIST_HEAD(&dentry->d_hash);
	INIT_LIST_HEAD(&dentry->d_lru);
	INIT_LIST_HEAD(&dentry->d_child);
	INIT_LIST_HEAD(&dentry->d_subdirs);
	spin_lock(&dcache_lock);
	dentry_stat.nr_dentry++;
	spin_unlock(&dcache_lock);
	return dentry;
}

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *dentry = __d_alloc(parent->d_sb, name);

	if (!dentry)
		return NULL;
	spin_lock(&dcache_lock);
	if (!parent->d_count++)
		lru_del(parent);
	dentry->d_parent = parent;
	list_add(&dentry->d_child, &parent->d_subdirs);
	spin_unlock(&dcache_lock);
	return dentry;
}

struct dentry *d_make_root(struct inode *root)
{
	static const struct qstr slash = { (const unsigned char *)"/", 1, 0 };
	struct dentry *dentry;

	if (!root)
		return NULL;
	dentry = __d_alloc(root->i_sb, &slash);
	if (!dentry) {
		iput(root);
		return NULL;
	}
	d_instantiate(dentry, root);
	return dentry;
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dcache_lock);
	dentry->d_inode = inode;
	spin_unlock(&dcache_lock);
}

void d_rehash(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	if (d_unhashed(dentry))
		list_add(&dentry->d_hash,
			 d_hash(dentry->d_parent, dentry->d_name.hash));
	spin_unlock(&dcache_lock);
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	d_instantiate(dentry, inode);
	d_rehash(dentry);
}

struct dentry *dget(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	if (!dentry->d_count++)
		lru_del(dentry);
	spin_unlock(&dcache_lock);
	return dentry;
}

struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	struct list_head *head = d_hash(parent, name->hash), *p;
	struct dentry *found = NULL;

	spin_lock(&dcache_lock);
	for (p = head->next; p != head; p = p->next) {
		struct dentry *d = container_of(p, struct dentry, d_hash);

		if (d->d_parent == parent && d->d_name.hash == name->hash &&
		    d->d_name.len == name->len &&
		    !memcmp(d->d_name.name, name->name, name->len)) {
			if (!d->d_count++)
				lru_del(d);
			found = d;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

void d_drop(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	list_del_init(&dentry->d_hash);
	spin_unlock(&dcache_lock);
}

/*
 * Under dcache_lock, d_count 0 and off the LRU: unlink the dentry, then
 * (unlocked) free it and let its inode go. Returns the parent, whose
 * reference the caller drops; NULL for a root.
 */
static struct dentry *dentry_kill(struct dentry *dentry)
{
	struct dentry *parent = NULL;
	struct inode *inode = dentry->d_inode;

	list_del_init(&dentry->d_hash);
	list_del_init(&dentry->d_child);
	if (dentry->d_parent != dentry)
		parent = dentry->d_parent;
	dentry->d_inode = NULL;
	dentry_stat.nr_dentry--;
	spin_unlock(&dcache_lock);
	iput(inode);
	free_name(&dentry->d_name, dentry);
	kfree(dentry);
	return parent;
}

void dput(struct dentry *dentry)
{
	while (dentry) {
		spin_lock(&dcache_lock);
		BUG_ON(dentry->d_count <= 0);
		if (--dentry->d_count) {
			spin_unlock(&dcache_lock);
			return;
		}
		if (!d_unhashed(dentry)) {
			lru_add(dentry); /* cached for the next lookup */
			spin_unlock(&dcache_lock);
			return;
		}
		dentry = dentry_kill(dentry);
	}
}

void d_delete(struct dentry *dentry)
{
	struct inode *inode = NULL;

	spin_lock(&dcache_lock);
	if (dentry->d_count == 1) {
		inode = dentry->d_inode; /* now a negative entry */
		dentry->d_inode = NULL;
	} else {
		list_del_init(&dentry->d_hash);
	}
	spin_unlock(&dcache_lock);
	iput(inode);
}

void d_move(struct dentry *dentry, struct dentry *target)
{
	struct dentry *old_parent = NULL;
	struct qstr old_name = dentry->d_name;

	d_drop(target);
	d_drop(dentry);
	if (!set_name(dentry, &target->d_name)) {
		/* No memory for the name: left unhashed, looked up afresh. */
		dentry->d_name = old_name;
		return;
	}
	free_name(&old_name, dentry);
	spin_lock(&dcache_lock);
	if (dentry->d_parent != target->d_parent) {
		old_parent = dentry->d_parent;
		dentry->d_parent = target->d_parent;
		if (!dentry->d_parent->d_count++)
			lru_del(dentry->d_parent);
		list_move(&dentry->d_child, &dentry->d_parent->d_subdirs);
	}
	list_add(&dentry->d_hash,
		 d_hash(dentry->d_parent, dentry->d_name.hash));
	spin_unlock(&dcache_lock);
	dput(old_parent);
}

/* Under dcache_lock: an unused dentry strictly below top, or NULL. */
static struct dentry *find_unused_below(struct dentry *top)
{
	struct dentry *this = top;
	struct list_head *next = top->d_subdirs.next;

	for (;;) {
		while (next != &this->d_subdirs) {
			struct dentry *d =
				container_of(next, struct dentry, d_child);

			next = next->next;
			if (!d->d_count)
				return d;
			if (!list_empty(&d->d_subdirs)) {
				this = d;
				next = d->d_subdirs.next;
			}
		}
		if (this == top)
			return NULL;
		next = this->d_child.next;
		this = this->d_parent;
	}
}

void shrink_dcache_parent(struct dentry *parent)
{
	for (;;) {
		struct dentry *victim;

		spin_lock(&dcache_lock);
		victim = find_unused_below(parent);
		if (!victim) {
			spin_unlock(&dcache_lock);
			return;
		}
		lru_del(victim);
		dput(dentry_kill(victim));
	}
}

void d_invalidate(struct dentry *dentry)
{
	d_drop(dentry);
	shrink_dcache_parent(dentry);
}

/*
 * Free up to nr unused dentries of sb (any sb if NULL) from the old end
 * of the LRU; with second_chance, a dentry used since the last pass is
 * moved to the young end instead, once.
 */
static unsigned long prune(struct super_block *sb, unsigned long nr,
			   bool second_chance)
{
	unsigned long freed = 0, scan;

	spin_lock(&dcache_lock);
	scan = (unsigned long)dentry_stat.nr_unused * 2;
	while (freed < nr && scan--) {
		struct dentry *d = NULL, *p;

		list_for_each_entry(p, &dentry_lru, d_lru) {
			if (!sb || p->d_sb == sb) {
				d = p;
				break;
			}
		}
		if (!d)
			break;
		if (second_chance && (d->d_flags & DCACHE_REFERENCED)) {
			d->d_flags &= ~DCACHE_REFERENCED;
			list_move_tail(&d->d_lru, &dentry_lru);
			continue;
		}
		lru_del(d);
		/* The parent may become unused: it joins the LRU's tail. */
		dput(dentry_kill(d));
		freed++;
		spin_lock(&dcache_lock);
		scan = max(scan, (unsigned long)dentry_stat.nr_unused);
	}
	spin_unlock(&dcache_lock);
	return freed;
}

unsigned long prune_dcache(unsigned long nr)
{
	return prune(NULL, nr, true);
}

void shrink_dcache_sb(struct super_block *sb)
{
	prune(sb, ~0UL, false);
}

static unsigned long dcache_count(struct shrinker *s)
{
	(void)s;
	return (unsigned long)READ_ONCE(dentry_stat.nr_unused);
}

static unsigned long dcache_scan(struct shrinker *s, unsigned long nr)
{
	(void)s;
	return prune_dcache(nr);
}

bool is_subdir(struct dentry *dentry, struct dentry *dir)
{
	bool inside = false;

	spin_lock(&dcache_lock);
	for (;;) {
		if (dentry == dir) {
			inside = true;
			break;
		}
		if (dentry->d_parent == dentry)
			break;
		dentry = dentry->d_parent;
	}
	spin_unlock(&dcache_lock);
	return inside;
}
