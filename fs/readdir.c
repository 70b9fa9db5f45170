/*
 * readdir: the file system walks its directory from f_pos (a cookie it
 * alone understands) and calls filldir per entry, leaving f_pos where
 * the next call resumes.
 *
 * On the way the VFS primes the dcache with each name and the inode its
 * number names (s_op->get_inode), as Linux's NFS client does with the
 * attributes readdirplus brings (nfs_prime_dcache): `ls` then stats
 * every name from the dcache, and the listing costs one pass over the
 * directory instead of a lookup, a scan of the directory, per name. A
 * name already cached is left alone; one whose inode cannot be read is
 * not cached (its lookup will report the error).
 */
#include "vfs.h"

struct prime_ctx {
	struct dentry *dir;
	void *ctx;
	filldir_t filldir;
};

static void prime_dcache(struct dentry *dir, const char *name, unsigned int len,
			 unsigned long ino)
{
	struct super_block *sb = dir->d_sb;
	struct dentry *dentry;
	struct inode *inode;
	struct qstr q;

	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return;
	qstr_init(&q, name, len);
	dentry = d_lookup(dir, &q);
	if (dentry) {
		dput(dentry);
		return;
	}
	inode = sb->s_op->get_inode(sb, ino);
	if (IS_ERR_OR_NULL(inode))
		return;
	dentry = d_alloc(dir, &q);
	if (!dentry) {
		iput(inode);
		return;
	}
	d_add(dentry, inode);
	dput(dentry); /* unused: cached on the LRU */
}

static int prime_filldir(void *ctx, const char *name, unsigned int len,
			 loff_t pos, unsigned long ino, unsigned int type)
{
	struct prime_ctx *p = ctx;

	prime_dcache(p->dir, name, len, ino);
	return p->filldir(p->ctx, name, len, pos, ino, type);
}

int vfs_readdir(struct file *file, void *ctx, filldir_t filldir)
{
	struct prime_ctx p = { .ctx = ctx, .filldir = filldir };

	if (IS_ERR_OR_NULL(file) || !file_readable(file))
		return -EBADF;
	if (!S_ISDIR(file->f_inode->i_mode))
		return -ENOTDIR;
	if (!file->f_op || !file->f_op->readdir)
		return -ENOTDIR;
	if (!file->f_dentry || !file->f_inode->i_sb ||
	    !file->f_inode->i_sb->s_op || !file->f_inode->i_sb->s_op->get_inode)
		return file->f_op->readdir(file, ctx, filldir);
	p.dir = file->f_dentry;
	return file->f_op->readdir(file, &p, prime_filldir);
}
