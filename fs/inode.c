/*
 * The minimum of inode life the page cache needs until the VFS proper
 * exists: setting up an inode's address_space, and a bare allocator for
 * inodes that belong to no file system (block devices, tests).
 */
#include "fs.h"
#include "pagemap.h"
#include "slab.h"
#include "writeback.h"

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
