/*
 * The inode cache. Every in-memory inode of a mounted file system is on
 * its super block's s_inodes list; those with a number on disk are also
 * in a hash by (sb, ino), so iget_locked finds an inode already in
 * memory instead of reading a second copy whose changes would fight
 * the first's. An inode whose last reference goes stays cached (i_count
 * 0) while it still has links, until the cache grows past its limit,
 * unmount or drop_caches evicts it; one without links is evicted at
 * once, which is when the file system frees its blocks.
 *
 * Also the bare inodes of no file system (block devices, tests):
 * inode_init_mapping, new_inode_minimal, free_inode_minimal.
 */
#include "fs.h"
#include "internal.h"
#include "buffer_head.h"
#include "printk.h"
#include "pagemap.h"
#include "slab.h"
#include "vfs.h"
#include "wait.h"
#include "writeback.h"

#define INODE_HASH_BITS 12
/* Unused inodes kept before iput starts evicting clean ones. */
#define INODE_UNUSED_MAX 1024

static struct list_head inode_hash[1 << INODE_HASH_BITS];
static bool inode_hash_ready;
DEFINE_SPINLOCK(inode_lock);
/* Waiters for an I_NEW inode to be filled in (or to fail). */
static DECLARE_WAIT_QUEUE_HEAD(inode_new_wq);
static unsigned long nr_unused;
/* Bumped each time an evicted inode leaves the hash (see iget_locked). */
static unsigned long evict_seq;

static const struct address_space_operations empty_aops;

void inode_init_mapping(struct inode *inode,
			const struct address_space_operations *a_ops)
{
	struct address_space *mapping = &inode->i_data;

	mapping->host = inode;
	INIT_RADIX_TREE(&mapping->page_tree, GFP_ATOMIC);
	spin_lock_init(&mapping->tree_lock);
	mapping->nrpages = 0;
	mapping->a_ops = a_ops;
	mapping->flags = 0;
	mapping->backing_dev_info = &default_backing_dev_info;
	INIT_LIST_HEAD(&mapping->dirty_list);
	mapping->dirtied_when_ns = 0;
	mapping->wb_err = 0;
	INIT_LIST_HEAD(&mapping->private_list);
	inode->i_mapping = mapping;
}

struct inode *new_inode_minimal(unsigned int blkbits,
				const struct address_space_operations *a_ops)
{
	struct inode *inode;

	if (blkbits < 9 || blkbits > PAGE_SHIFT)
		return NULL;
	inode = kzalloc(sizeof(*inode), GFP_KERNEL);
	if (!inode)
		return NULL;
	inode->i_blkbits = blkbits;
	inode_init_mapping(inode, a_ops);
	return inode;
}

void free_inode_minimal(struct inode *inode)
{
	if (!inode)
		return;
	truncate_inode_pages(inode->i_mapping, 0);
	mapping_forget(inode->i_mapping);
	kfree(inode);
}

static struct list_head *hash_bucket(struct super_block *sb, unsigned long ino)
{
	unsigned long h = ino ^ ((unsigned long)sb / 64);

	if (!inode_hash_ready) {
		for (size_t i = 0; i < ARRAY_SIZE(inode_hash); i++)
			INIT_LIST_HEAD(&inode_hash[i]);
		inode_hash_ready = true;
	}
	h = (h * 0x9e3779b97f4a7c15UL) >> (64 - INODE_HASH_BITS);
	return &inode_hash[h];
}

/* Under inode_lock: the inode (sb, ino), perhaps I_FREEING, or NULL. */
static struct inode *find_inode(struct super_block *sb, unsigned long ino)
{
	struct list_head *head = hash_bucket(sb, ino), *p;

	for (p = head->next; p != head; p = p->next) {
		struct inode *inode = container_of(p, struct inode, i_hash);

		if (inode->i_sb == sb && inode->i_ino == ino)
			return inode;
	}
	return NULL;
}

/*
 * A new inode of sb, one reference, on no list. The file system's
 * alloc_inode may set up the mapping with its own a_ops; the rest of
 * the VFS fields are ours to initialise.
 */
static struct inode *alloc_inode(struct super_block *sb)
{
	struct inode *inode;

	if (sb->s_op && sb->s_op->alloc_inode)
		inode = sb->s_op->alloc_inode(sb);
	else
		inode = kzalloc(sizeof(*inode), GFP_KERNEL);
	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_blkbits = sb->s_blocksize_bits;
	inode->i_count = 1;
	inode->i_state = 0;
	inode->i_nlink = 1;
	if (!inode->i_mapping)
		inode_init_mapping(inode, &empty_aops);
	if (sb->s_bdev)
		inode->i_data.backing_dev_info = bdev_bdi(sb->s_bdev);
	INIT_LIST_HEAD(&inode->i_sb_list);
	INIT_LIST_HEAD(&inode->i_hash);
	return inode;
}

static void destroy_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	truncate_inode_pages(inode->i_mapping, 0);
	mapping_forget(inode->i_mapping);
	if (sb->s_op && sb->s_op->destroy_inode)
		sb->s_op->destroy_inode(inode);
	else
		kfree(inode);
}

/*
 * The inode is off every list and I_FREEING. A linked inode's data,
 * its own metadata buffers and its fields go to disk first, in that
 * order (nothing else would write them once it is gone); an unlinked
 * one's pages are dropped unwritten before the file system frees the
 * blocks they map.
 */
static void evict(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;

	if (inode->i_state & I_BAD) {
		destroy_inode(inode);
		return;
	}
	if (inode->i_nlink) {
		filemap_write_and_wait(inode->i_mapping);
		sync_mapping_buffers(inode->i_mapping);
		write_inode_now(inode, 1);
	} else {
		truncate_inode_pages(inode->i_mapping, 0);
	}
	if (op && op->evict_inode)
		op->evict_inode(inode);
	invalidate_inode_buffers(inode);
	/* Only now may iget read the inode from disk again. */
	spin_lock(&inode_lock);
	list_del_init(&inode->i_hash);
	evict_seq++;
	spin_unlock(&inode_lock);
	wake_up(&inode_new_wq);
	destroy_inode(inode);
}

struct inode *iget_locked(struct super_block *sb, unsigned long ino)
{
	struct inode *inode, *fresh;

again:
	spin_lock(&inode_lock);
	inode = find_inode(sb, ino);
	if (inode && (inode->i_state & I_FREEING)) {
		/*
		 * Being evicted (its last changes may still be on their
		 * way to disk): wait until it is gone, never touching it,
		 * then read it afresh.
		 */
		unsigned long seq = evict_seq;

		spin_unlock(&inode_lock);
		wait_event(inode_new_wq, READ_ONCE(evict_seq) != seq);
		goto again;
	}
	if (inode) {
		if (!inode->i_count++)
			nr_unused--;
		spin_unlock(&inode_lock);
		wait_event(inode_new_wq, !(inode->i_state & I_NEW));
		if (list_empty(&inode->i_hash)) {
			/* Its reader failed (iget_failed): try afresh. */
			iput(inode);
			goto again;
		}
		return inode;
	}
	spin_unlock(&inode_lock);

	fresh = alloc_inode(sb);
	if (!fresh)
		return NULL;
	fresh->i_ino = ino;
	fresh->i_state = I_NEW;
	spin_lock(&inode_lock);
	if (find_inode(sb, ino)) {
		/* Someone read it in while we allocated: use theirs. */
		spin_unlock(&inode_lock);
		destroy_inode(fresh);
		goto again;
	}
	list_add(&fresh->i_hash, hash_bucket(sb, ino));
	list_add_tail(&fresh->i_sb_list, &sb->s_inodes);
	spin_unlock(&inode_lock);
	return fresh;
}

void unlock_new_inode(struct inode *inode)
{
	spin_lock(&inode_lock);
	inode->i_state &= ~I_NEW;
	spin_unlock(&inode_lock);
	wake_up(&inode_new_wq);
}

/*
 * The file system could not read the inode: unhash it so nobody else
 * gets it, wake whoever waits, and free it when the last waiter lets
 * go. evict_inode is not called: there is nothing on disk to free.
 */
void iget_failed(struct inode *inode)
{
	bool last;

	spin_lock(&inode_lock);
	list_del_init(&inode->i_hash);
	inode->i_state &= ~I_NEW;
	inode->i_state |= I_BAD;
	last = --inode->i_count == 0;
	if (last) {
		inode->i_state |= I_FREEING;
		list_del_init(&inode->i_sb_list);
	}
	spin_unlock(&inode_lock);
	wake_up(&inode_new_wq);
	if (last)
		destroy_inode(inode);
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = alloc_inode(sb);

	if (!inode)
		return NULL;
	spin_lock(&inode_lock);
	list_add_tail(&inode->i_sb_list, &sb->s_inodes);
	spin_unlock(&inode_lock);
	return inode;
}

void insert_inode_hash(struct inode *inode)
{
	spin_lock(&inode_lock);
	if (list_empty(&inode->i_hash))
		list_add(&inode->i_hash,
			 hash_bucket(inode->i_sb, inode->i_ino));
	spin_unlock(&inode_lock);
}

struct inode *ilookup(struct super_block *sb, unsigned long ino)
{
	struct inode *inode;

	spin_lock(&inode_lock);
	inode = find_inode(sb, ino);
	if (inode && (inode->i_state & (I_NEW | I_FREEING | I_BAD)))
		inode = NULL;
	else if (inode && !inode->i_count++)
		nr_unused--;
	spin_unlock(&inode_lock);
	return inode;
}

struct inode *igrab(struct inode *inode)
{
	spin_lock(&inode_lock);
	if (inode->i_state & I_FREEING) {
		inode = NULL;
	} else if (!inode->i_count++) {
		nr_unused--;
	}
	spin_unlock(&inode_lock);
	return inode;
}

/*
 * Under inode_lock: unused and, unless dirty_too, clean with no page
 * dirty or under writeback (evicting those means sleeping on I/O, which
 * the cache trims from iput should not do).
 */
static bool inode_evictable(struct inode *inode, bool dirty_too)
{
	struct address_space *mapping = inode->i_mapping;
	struct page *page;
	pgoff_t index = 0;

	if (inode->i_count || (inode->i_state & (I_NEW | I_FREEING)))
		return false;
	if (dirty_too)
		return true;
	if (inode->i_state & I_DIRTY)
		return false;
	if (!mapping->nrpages)
		return true;
	for (int tag = PAGECACHE_TAG_DIRTY; tag <= PAGECACHE_TAG_WRITEBACK;
	     tag++) {
		index = 0;
		if (find_get_pages_tag(mapping, &index, tag, 1, &page)) {
			put_page(page);
			return false;
		}
	}
	return true;
}

/* Evict up to max unused inodes of sb. */
static unsigned long prune_icache(struct super_block *sb, unsigned long max,
				  bool dirty_too)
{
	unsigned long freed = 0;

	while (freed < max) {
		struct inode *victim = NULL;
		struct list_head *head, *p;

		spin_lock(&inode_lock);
		head = &sb->s_inodes;
		for (p = head->next; p != head; p = p->next) {
			struct inode *inode =
				container_of(p, struct inode, i_sb_list);

			if (inode_evictable(inode, dirty_too)) {
				victim = inode;
				break;
			}
		}
		if (victim) {
			victim->i_state |= I_FREEING;
			list_del_init(&victim->i_sb_list);
			nr_unused--;
		}
		spin_unlock(&inode_lock);
		if (!victim)
			break;
		evict(victim);
		freed++;
	}
	return freed;
}

unsigned long evict_unused_inodes(struct super_block *sb)
{
	/* Unused dentries pin their inodes: let them go first. */
	shrink_dcache_sb(sb);
	return prune_icache(sb, ~0UL, true);
}

struct inode *sb_next_inode(struct super_block *sb, struct inode *prev)
{
	struct list_head *p;
	struct inode *inode = NULL;

	spin_lock(&inode_lock);
	for (p = prev ? prev->i_sb_list.next : sb->s_inodes.next;
	     p != &sb->s_inodes; p = p->next) {
		struct inode *i = container_of(p, struct inode, i_sb_list);

		if (i->i_state & (I_NEW | I_FREEING | I_BAD))
			continue;
		if (!i->i_count++)
			nr_unused--;
		inode = i;
		break;
	}
	spin_unlock(&inode_lock);
	return inode;
}

bool sb_busy_inodes(struct super_block *sb)
{
	struct list_head *p;
	bool busy = false;

	spin_lock(&inode_lock);
	for (p = sb->s_inodes.next; p != &sb->s_inodes && !busy; p = p->next) {
		struct inode *inode = container_of(p, struct inode, i_sb_list);

		/* The root dentry holds the root inode. */
		busy = inode->i_count >
		       (sb->s_root && inode == sb->s_root->d_inode ? 1 : 0);
	}
	spin_unlock(&inode_lock);
	return busy;
}

unsigned long nr_cached_inodes(struct super_block *sb)
{
	unsigned long n = 0;
	struct list_head *p;

	spin_lock(&inode_lock);
	for (p = sb->s_inodes.next; p != &sb->s_inodes; p = p->next)
		n++;
	spin_unlock(&inode_lock);
	return n;
}

void iput(struct inode *inode)
{
	bool gone;

	if (!inode)
		return;
	spin_lock(&inode_lock);
	BUG_ON(inode->i_count <= 0);
	if (--inode->i_count) {
		spin_unlock(&inode_lock);
		return;
	}
	/* Unlinked, or never hashed (nobody could find it again): evict. */
	gone = !inode->i_nlink || list_empty(&inode->i_hash) ||
	       (inode->i_state & I_BAD);
	if (gone) {
		inode->i_state |= I_FREEING;
		list_del_init(&inode->i_sb_list);
	} else {
		nr_unused++;
	}
	spin_unlock(&inode_lock);
	if (gone)
		evict(inode);
	else if (nr_unused > INODE_UNUSED_MAX)
		prune_icache(inode->i_sb, INODE_UNUSED_MAX / 4, false);
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
	mark_inode_dirty(inode);
}

void drop_nlink(struct inode *inode)
{
	if (inode->i_nlink)
		inode->i_nlink--;
	mark_inode_dirty(inode);
}

void clear_nlink(struct inode *inode)
{
	inode->i_nlink = 0;
	mark_inode_dirty(inode);
}

void set_nlink(struct inode *inode, unsigned int nlink)
{
	inode->i_nlink = nlink;
	mark_inode_dirty(inode);
}
