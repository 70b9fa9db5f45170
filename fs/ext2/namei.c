/*
 * ext2's name space: the directory inode operations. The VFS keeps the
 * dentry cache and calls these on a miss or a change, each with
 * (dir, name, len); they find or change the entry through fs/ext2/dir.c. Link counts follow Linux: a file
 * has one per name; a directory one for its name, one for its own ".",
 * and its parent one more for each subdirectory's "..".
 */
#include "blkdev.h"
#include "buffer_head.h"
#include "errno.h"
#include "ext2.h"
#include "string.h"

#define EXT2_LINK_MAX 32000

static struct inode *ext2_lookup(struct inode *dir, const char *name,
				 unsigned int len)
{
	u32 ino;
	int err = ext2_inode_by_name(dir, name, len, &ino);

	if (err)
		return ERR_PTR(err);
	return ext2_iget(dir->i_sb, ino);
}

/* -EEXIST if name is in dir, 0 if not, or the error looking. */
static int check_absent(struct inode *dir, const char *name, unsigned int len)
{
	struct ext2_dir_slot slot;
	int err = ext2_check_bdev_write_error(dir->i_sb);

	if (err)
		return err;
	err = ext2_find_entry(dir, name, len, &slot);
	if (!err) {
		brelse(slot.bh);
		return -EEXIST;
	}
	return err == -ENOENT ? 0 : err;
}

/* A new inode that could not be linked: free it again. */
static void discard(struct inode *inode)
{
	clear_nlink(inode);
	iput(inode);
}

static int ext2_create(struct inode *dir, const char *name, unsigned int len,
		       umode_t mode, struct inode **res)
{
	struct inode *inode;
	int err = check_absent(dir, name, len);

	if (err)
		return err;
	inode = ext2_new_inode(dir, S_IFREG | (mode & 07777));
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	err = ext2_add_link(dir, name, len, inode);
	if (err) {
		discard(inode);
		return err;
	}
	*res = inode;
	return 0;
}

static int ext2_mkdir(struct inode *dir, const char *name, unsigned int len,
		      umode_t mode, struct inode **res)
{
	struct inode *inode;
	int err = check_absent(dir, name, len);

	if (err)
		return err;
	if (dir->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	inode = ext2_new_inode(dir, S_IFDIR | (mode & 07777));
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	set_nlink(inode, 2);
	err = ext2_make_empty(inode, dir);
	if (!err)
		err = ext2_add_link(dir, name, len, inode);
	if (err) {
		discard(inode);
		return err;
	}
	inc_nlink(dir);
	*res = inode;
	return 0;
}

/* The entry name of dir and its inode (referenced); slot->bh held. */
static int get_entry(struct inode *dir, const char *name, unsigned int len,
		     struct ext2_dir_slot *slot, struct inode **inode)
{
	int err = ext2_check_bdev_write_error(dir->i_sb);

	if (err)
		return err;
	err = ext2_find_entry(dir, name, len, slot);
	if (err)
		return err;
	*inode = ext2_iget(dir->i_sb, slot->de->inode);
	if (IS_ERR(*inode)) {
		brelse(slot->bh);
		return (int)PTR_ERR(*inode);
	}
	return 0;
}

static int ext2_unlink(struct inode *dir, const char *name, unsigned int len)
{
	struct ext2_dir_slot slot;
	struct inode *inode;
	int err = get_entry(dir, name, len, &slot, &inode);

	if (err)
		return err;
	if (S_ISDIR(inode->i_mode)) {
		brelse(slot.bh);
		iput(inode);
		return -EISDIR;
	}
	ext2_delete_entry(dir, &slot);
	inode->i_ctime = dir->i_ctime;
	drop_nlink(inode);
	iput(inode);
	return 0;
}

static int ext2_rmdir(struct inode *dir, const char *name, unsigned int len)
{
	struct ext2_dir_slot slot;
	struct inode *inode;
	int err;

	if (len == 1 && name[0] == '.')
		return -EINVAL;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return -ENOTEMPTY;
	err = get_entry(dir, name, len, &slot, &inode);
	if (err)
		return err;
	if (!S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else if (inode == dir->i_sb->s_root->d_inode)
		err = -EBUSY;
	else
		err = ext2_empty_dir(inode);
	if (err <= 0) {
		brelse(slot.bh);
		iput(inode);
		return err ? err : -ENOTEMPTY;
	}
	ext2_delete_entry(dir, &slot);
	inode->i_ctime = dir->i_ctime;
	clear_nlink(inode);
	drop_nlink(dir);
	iput(inode); /* the last reference: evict frees it */
	return 0;
}

/*
 * Is dir inside the tree of the directory numbered ancestor (or it)?
 * Walks ".." up to the root. A loop or damage stops the walk with an
 * error rather than an endless climb.
 */
static int in_subtree(struct inode *dir, unsigned long ancestor)
{
	struct super_block *sb = dir->i_sb;
	unsigned long ino = dir->i_ino;
	int steps;

	for (steps = 0; steps < 4096; steps++) {
		struct inode *d;
		u32 parent;
		int err;

		if (ino == ancestor)
			return 1;
		if (ino == EXT2_ROOT_INO)
			return 0;
		d = ext2_iget(sb, ino);
		if (IS_ERR(d))
			return (int)PTR_ERR(d);
		err = ext2_inode_by_name(d, "..", 2, &parent);
		iput(d);
		if (err)
			return err;
		ino = parent;
	}
	return -EUCLEAN;
}

struct rename_ctx {
	struct inode *old_dir, *new_dir, *old, *target;
	const char *old_name, *new_name;
	unsigned int old_len, new_len;
	bool is_dir;
};

/* The rules before anything changes: kinds match, no dir into itself. */
static int rename_check(struct rename_ctx *r)
{
	int err;

	if (r->is_dir && r->new_dir != r->old_dir) {
		err = in_subtree(r->new_dir, r->old->i_ino);
		if (err)
			return err < 0 ? err : -EINVAL;
	}
	if (!r->target)
		return r->is_dir && r->new_dir->i_nlink >= EXT2_LINK_MAX ?
			       -EMLINK :
			       0;
	if (r->is_dir && !S_ISDIR(r->target->i_mode))
		return -ENOTDIR;
	if (!r->is_dir && S_ISDIR(r->target->i_mode))
		return -EISDIR;
	if (r->is_dir) {
		err = ext2_empty_dir(r->target);
		if (err <= 0)
			return err ? err : -ENOTEMPTY;
	}
	return 0;
}

/* Point the new name at the inode: replace the target's entry or add one. */
static int rename_link(struct rename_ctx *r)
{
	struct ext2_dir_slot slot;
	int err;

	if (!r->target) {
		err = ext2_add_link(r->new_dir, r->new_name, r->new_len,
				    r->old);
		if (!err && r->is_dir)
			inc_nlink(r->new_dir);
		return err;
	}
	err = ext2_find_entry(r->new_dir, r->new_name, r->new_len, &slot);
	if (err)
		return err;
	ext2_set_link(r->new_dir, &slot, r->old);
	EXT2_I(r->old)->i_dir_ino = (u32)r->new_dir->i_ino;
	r->target->i_ctime = ext2_now(r->target->i_sb);
	if (r->is_dir)
		clear_nlink(r->target);
	else
		drop_nlink(r->target);
	mark_inode_dirty(r->target);
	return 0;
}

/* Drop the old name; a moved directory's ".." follows it. */
static int rename_unlink_old(struct rename_ctx *r)
{
	struct ext2_dir_slot slot;
	int err;

	/* Found afresh: adding the new name may have split its block. */
	err = ext2_find_entry(r->old_dir, r->old_name, r->old_len, &slot);
	if (err)
		return err;
	ext2_delete_entry(r->old_dir, &slot);
	/* fsync of the file removes the old name too: one name, not two. */
	EXT2_I(r->old)->i_old_dir_ino = (u32)r->old_dir->i_ino;
	r->old->i_ctime = ext2_now(r->old->i_sb);
	mark_inode_dirty(r->old);
	if (!r->is_dir)
		return 0;
	if (r->new_dir != r->old_dir) {
		err = ext2_find_entry(r->old, "..", 2, &slot);
		if (err)
			return err;
		ext2_set_link(r->old, &slot, r->new_dir);
	}
	drop_nlink(r->old_dir);
	return 0;
}

static int ext2_rename(struct inode *old_dir, const char *old_name,
		       unsigned int old_len, struct inode *new_dir,
		       const char *new_name, unsigned int new_len)
{
	struct rename_ctx r = {
		.old_dir = old_dir,
		.new_dir = new_dir,
		.old_name = old_name,
		.new_name = new_name,
		.old_len = old_len,
		.new_len = new_len,
	};
	struct ext2_dir_slot slot;
	int err;

	err = get_entry(old_dir, old_name, old_len, &slot, &r.old);
	if (err)
		return err;
	brelse(slot.bh);
	r.is_dir = S_ISDIR(r.old->i_mode);
	err = get_entry(new_dir, new_name, new_len, &slot, &r.target);
	if (!err)
		brelse(slot.bh);
	else if (err == -ENOENT)
		r.target = NULL;
	else
		goto out_old;
	if (r.target == r.old) { /* the same file under both names */
		err = 0;
		goto out;
	}
	err = rename_check(&r);
	if (!err)
		err = rename_link(&r);
	if (!err)
		err = rename_unlink_old(&r);
out:
	if (r.target)
		iput(r.target);
out_old:
	iput(r.old);
	return err;
}

static int ext2_symlink(struct inode *dir, const char *name, unsigned int len,
			const char *target, struct inode **res)
{
	struct super_block *sb = dir->i_sb;
	size_t tlen = strlen(target);
	struct inode *inode;
	int err = check_absent(dir, name, len);

	if (err)
		return err;
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= sb->s_blocksize)
		return -ENAMETOOLONG;
	inode = ext2_new_inode(dir, S_IFLNK | 0777);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	if (tlen <= EXT2_FAST_SYMLINK_MAX)
		memcpy(EXT2_I(inode)->i_data, target, tlen);
	else
		err = ext2_write_slow_symlink(inode, target, tlen);
	i_size_write(inode, (loff_t)tlen);
	mark_inode_dirty(inode);
	if (!err)
		err = ext2_add_link(dir, name, len, inode);
	if (err) {
		discard(inode);
		return err;
	}
	*res = inode;
	return 0;
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.rmdir = ext2_rmdir,
	.unlink = ext2_unlink,
	.rename = ext2_rename,
	.symlink = ext2_symlink,
};
