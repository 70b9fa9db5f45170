/* memfs of memfs.h: a file system whose disk is a table in memory. */
/* glibc's blkcnt_t would clash with ours (see unit.h). */
#define blkcnt_t glibc_blkcnt_t
#include <stdlib.h>
#include <string.h>
#undef blkcnt_t

#include "errno.h"
#include "memfs.h"
#include "pagemap.h"
#include "slab.h"
#include "vfs.h"
#include "writeback.h"

struct memfs *memfs_disk;

static const struct inode_operations mfs_dir_iops, mfs_file_iops, mfs_link_iops;
static const struct file_operations mfs_dir_fops;
static const struct address_space_operations mfs_aops;

static struct memfs *MFS(struct super_block *sb)
{
	return sb->s_fs_info;
}

static struct mfs_node *node_of(struct inode *inode)
{
	return &MFS(inode->i_sb)->nodes[inode->i_ino];
}

static void grow(u8 **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	*buf = realloc(*buf, need);
	memset(*buf + *cap, 0, need - *cap);
	*cap = need;
}

/* ---- directories on "disk" ---- */

static struct mfs_dirent *find_ent(struct mfs_node *dir, const char *name,
				   unsigned int len)
{
	for (unsigned int i = 0; i < dir->nents; i++)
		if (strlen(dir->ents[i].name) == len &&
		    !memcmp(dir->ents[i].name, name, len))
			return &dir->ents[i];
	return NULL;
}

static void add_ent(struct mfs_node *dir, const char *name, unsigned int len,
		    unsigned long ino)
{
	if (dir->nents == dir->cap_ents) {
		dir->cap_ents = dir->cap_ents ? dir->cap_ents * 2 : 8;
		dir->ents =
			realloc(dir->ents, dir->cap_ents * sizeof(*dir->ents));
	}
	memcpy(dir->ents[dir->nents].name, name, len);
	dir->ents[dir->nents].name[len] = '\0';
	dir->ents[dir->nents].ino = ino;
	dir->nents++;
}

static void del_ent(struct mfs_node *dir, struct mfs_dirent *e)
{
	unsigned int i = (unsigned int)(e - dir->ents);

	memmove(e, e + 1, (dir->nents - i - 1) * sizeof(*e));
	dir->nents--;
}

static long new_node(struct memfs *fs, umode_t mode, unsigned int nlink)
{
	for (unsigned long i = MFS_ROOT_INO; i < MFS_MAX_INODES; i++) {
		if (!fs->nodes[i].used) {
			memset(&fs->nodes[i], 0, sizeof(fs->nodes[i]));
			fs->nodes[i].used = true;
			fs->nodes[i].mode = mode;
			fs->nodes[i].nlink = nlink;
			return (long)i;
		}
	}
	return -ENOSPC;
}

static void free_node(struct mfs_node *n)
{
	free(n->data);
	free(n->ents);
	memset(n, 0, sizeof(*n));
}

/* ---- inodes ---- */

struct inode *memfs_iget(struct super_block *sb, unsigned long ino)
{
	struct memfs *fs = MFS(sb);
	struct inode *inode;
	struct mfs_node *n;

	if (ino >= MFS_MAX_INODES)
		return ERR_PTR(-EUCLEAN);
	inode = iget_locked(sb, ino);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	n = &fs->nodes[ino];
	if (fs->fail_iget || !n->used) {
		iget_failed(inode);
		return ERR_PTR(fs->fail_iget ? -EIO : -EUCLEAN);
	}
	fs->reads++;
	inode->i_mode = n->mode;
	inode->i_nlink = n->nlink;
	inode->i_size = n->size;
	inode->i_blocks = (blkcnt_t)((n->cap + 511) / 512);
	if (S_ISDIR(n->mode)) {
		inode->i_op = &mfs_dir_iops;
		inode->i_fop = &mfs_dir_fops;
	} else if (S_ISLNK(n->mode)) {
		inode->i_op = &mfs_link_iops;
	} else {
		inode->i_op = &mfs_file_iops;
		inode->i_data.a_ops = &mfs_aops;
	}
	unlock_new_inode(inode);
	return inode;
}

static struct inode *mfs_alloc_inode(struct super_block *sb)
{
	MFS(sb)->alloc_calls++;
	return kzalloc(sizeof(struct inode), GFP_KERNEL);
}

static void mfs_destroy_inode(struct inode *inode)
{
	MFS(inode->i_sb)->destroy_calls++;
	kfree(inode);
}

static int mfs_write_inode(struct inode *inode, int sync)
{
	struct mfs_node *n = node_of(inode);

	(void)sync;
	MFS(inode->i_sb)->write_inode_calls++;
	n->nlink = inode->i_nlink;
	n->size = inode->i_size;
	return 0;
}

static void mfs_evict_inode(struct inode *inode)
{
	struct memfs *fs = MFS(inode->i_sb);

	fs->evict_calls++;
	if (!inode->i_nlink) {
		fs->evict_frees++;
		free_node(node_of(inode));
	}
}

static int mfs_sync_fs(struct super_block *sb, int wait)
{
	(void)wait;
	MFS(sb)->sync_fs_calls++;
	return 0;
}

static void mfs_put_super(struct super_block *sb)
{
	MFS(sb)->put_super_calls++;
}

static int mfs_statfs(struct super_block *sb, struct kstatfs *buf)
{
	struct memfs *fs = MFS(sb);

	buf->f_bsize = 4096;
	buf->f_files = MFS_MAX_INODES - 1;
	for (unsigned int i = MFS_ROOT_INO; i < MFS_MAX_INODES; i++)
		buf->f_ffree += !fs->nodes[i].used;
	return 0;
}

static const struct super_operations mfs_sops = {
	.alloc_inode = mfs_alloc_inode,
	.destroy_inode = mfs_destroy_inode,
	.write_inode = mfs_write_inode,
	.evict_inode = mfs_evict_inode,
	.put_super = mfs_put_super,
	.sync_fs = mfs_sync_fs,
	.statfs = mfs_statfs,
};

static int mfs_fill_super(struct super_block *sb)
{
	struct inode *root;

	if (!memfs_disk || sb->s_bdev)
		return -EINVAL;
	sb->s_fs_info = memfs_disk;
	sb->s_op = &mfs_sops;
	sb->s_blocksize = 4096;
	sb->s_blocksize_bits = 12;
	sb->s_maxbytes = 1LL << 40;
	root = memfs_iget(sb, MFS_ROOT_INO);
	if (IS_ERR(root))
		return (int)PTR_ERR(root);
	sb->s_root = root;
	return 0;
}

struct file_system_type memfs_type = {
	.name = "memfs",
	.fill_super = mfs_fill_super,
};

/* ---- the page cache over node data ---- */

static void fill_page(struct page *page)
{
	struct mfs_node *n = node_of(page->mapping->host);
	size_t off = (size_t)page->index << PAGE_SHIFT, nr = 0;

	if (off < n->cap)
		nr = min_t(size_t, PAGE_SIZE, n->cap - off);
	if (nr)
		memcpy(page_address(page), n->data + off, nr);
	memset((char *)page_address(page) + nr, 0, PAGE_SIZE - nr);
}

static int mfs_readpage(struct file *file, struct page *page)
{
	(void)file;
	fill_page(page);
	SetPageUptodate(page);
	unlock_page(page);
	return 0;
}

static int mfs_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	struct mfs_node *n = node_of(inode);
	loff_t off = (loff_t)page->index << PAGE_SHIFT;
	loff_t size = i_size_read(inode);

	(void)wbc;
	MFS(inode->i_sb)->writepage_calls++;
	set_page_writeback(page);
	if (MFS(inode->i_sb)->fail_writepage) {
		mapping_set_error(page->mapping, -EIO);
	} else if (off < size) {
		size_t nr = (size_t)min_t(loff_t, PAGE_SIZE, size - off);

		grow(&n->data, &n->cap, (size_t)off + nr);
		memcpy(n->data + off, page_address(page), nr);
	}
	unlock_page(page);
	end_page_writeback(page);
	return 0;
}

static int mfs_write_begin(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, unsigned int flags,
			   struct page **pagep, void **fsdata)
{
	struct page *page;

	(void)file;
	(void)len;
	(void)flags;
	(void)fsdata;
	page = grab_cache_page(mapping, (pgoff_t)(pos >> PAGE_SHIFT));
	if (!page)
		return -ENOMEM;
	if (!PageUptodate(page)) {
		fill_page(page);
		SetPageUptodate(page);
	}
	*pagep = page;
	return 0;
}

static int mfs_write_end(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned int len, unsigned int copied,
			 struct page *page, void *fsdata)
{
	struct inode *inode = mapping->host;

	(void)file;
	(void)len;
	(void)fsdata;
	set_page_dirty(page);
	if (pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
	unlock_page(page);
	put_page(page);
	return (int)copied;
}

static const struct address_space_operations mfs_aops = {
	.readpage = mfs_readpage,
	.writepage = mfs_writepage,
	.set_page_dirty = __set_page_dirty_nobuffers,
	.write_begin = mfs_write_begin,
	.write_end = mfs_write_end,
};

static int mfs_truncate(struct inode *inode, loff_t size)
{
	struct mfs_node *n = node_of(inode);

	i_size_write(inode, size);
	truncate_inode_pages(inode->i_mapping, size);
	if ((size_t)size < n->cap)
		memset(n->data + size, 0, n->cap - (size_t)size);
	return 0;
}

/* ---- name space ---- */

static struct inode *mfs_lookup(struct inode *dir, const char *name,
				unsigned int len)
{
	struct mfs_dirent *e = find_ent(node_of(dir), name, len);

	if (!e)
		return ERR_PTR(-ENOENT);
	return memfs_iget(dir->i_sb, e->ino);
}

static int link_new(struct inode *dir, const char *name, unsigned int len,
		    umode_t mode, unsigned int nlink, struct inode **res)
{
	struct memfs *fs = MFS(dir->i_sb);
	long ino = new_node(fs, mode, nlink);
	struct inode *inode;

	if (ino < 0)
		return (int)ino;
	if (S_ISDIR(mode)) {
		add_ent(&fs->nodes[ino], ".", 1, (unsigned long)ino);
		add_ent(&fs->nodes[ino], "..", 2, dir->i_ino);
	}
	add_ent(node_of(dir), name, len, (unsigned long)ino);
	inode = memfs_iget(dir->i_sb, (unsigned long)ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	if (res)
		*res = inode;
	else
		iput(inode);
	return 0;
}

static int mfs_create(struct inode *dir, const char *name, unsigned int len,
		      umode_t mode, struct inode **res)
{
	return link_new(dir, name, len, mode, 1, res);
}

static int mfs_mkdir(struct inode *dir, const char *name, unsigned int len,
		     umode_t mode)
{
	int err = link_new(dir, name, len, mode, 2, NULL);

	if (!err)
		inc_nlink(dir);
	return err;
}

static int mfs_symlink(struct inode *dir, const char *name, unsigned int len,
		       const char *target)
{
	struct inode *inode;
	struct mfs_node *n;
	int err = link_new(dir, name, len, S_IFLNK | 0777, 1, &inode);

	if (err)
		return err;
	n = node_of(inode);
	grow(&n->data, &n->cap, strlen(target));
	memcpy(n->data, target, strlen(target));
	inode->i_size = n->size = (loff_t)strlen(target);
	iput(inode);
	return 0;
}

static int mfs_readlink(struct inode *inode, char *buf, int buflen)
{
	struct mfs_node *n = node_of(inode);
	int len = (int)min_t(loff_t, n->size, buflen);

	memcpy(buf, n->data, (size_t)len);
	return len;
}

static bool dir_empty(struct inode *dir)
{
	return node_of(dir)->nents <= 2;
}

/* Remove entry name of dir and drop its inode's link(s). */
static int remove_name(struct inode *dir, const char *name, unsigned int len,
		       bool want_dir)
{
	struct mfs_dirent *e = find_ent(node_of(dir), name, len);
	struct inode *victim;

	if (!e)
		return -ENOENT;
	victim = memfs_iget(dir->i_sb, e->ino);
	if (IS_ERR(victim))
		return (int)PTR_ERR(victim);
	if (want_dir && !dir_empty(victim)) {
		iput(victim);
		return -ENOTEMPTY;
	}
	del_ent(node_of(dir), e);
	if (S_ISDIR(victim->i_mode)) {
		clear_nlink(victim);
		drop_nlink(dir);
	} else {
		drop_nlink(victim);
	}
	iput(victim);
	return 0;
}

static int mfs_unlink(struct inode *dir, const char *name, unsigned int len)
{
	return remove_name(dir, name, len, false);
}

static int mfs_rmdir(struct inode *dir, const char *name, unsigned int len)
{
	return remove_name(dir, name, len, true);
}

static int mfs_rename(struct inode *odir, const char *oname, unsigned int olen,
		      struct inode *ndir, const char *nname, unsigned int nlen)
{
	struct mfs_dirent *e = find_ent(node_of(odir), oname, olen);
	unsigned long ino;
	bool is_dir;
	int err;

	if (!e)
		return -ENOENT;
	ino = e->ino;
	is_dir = S_ISDIR(MFS(odir->i_sb)->nodes[ino].mode);
	if (find_ent(node_of(ndir), nname, nlen)) {
		err = remove_name(ndir, nname, nlen, true);
		if (err)
			return err;
	}
	del_ent(node_of(odir), find_ent(node_of(odir), oname, olen));
	add_ent(node_of(ndir), nname, nlen, ino);
	if (is_dir && odir != ndir) {
		find_ent(&MFS(odir->i_sb)->nodes[ino], "..", 2)->ino =
			ndir->i_ino;
		drop_nlink(odir);
		inc_nlink(ndir);
	}
	return 0;
}

static int mfs_readdir(struct file *file, void *ctx, filldir_t filldir)
{
	struct mfs_node *n = node_of(file->f_inode);

	for (; file->f_pos < n->nents; file->f_pos++) {
		struct mfs_dirent *e = &n->ents[file->f_pos];
		umode_t m = MFS(file->f_inode->i_sb)->nodes[e->ino].mode;

		if (filldir(ctx, e->name, (unsigned int)strlen(e->name),
			    file->f_pos, e->ino,
			    S_ISDIR(m) ? DT_DIR :
			    S_ISLNK(m) ? DT_LNK :
					 DT_REG))
			break;
	}
	return 0;
}

static const struct inode_operations mfs_dir_iops = {
	.lookup = mfs_lookup,
	.create = mfs_create,
	.mkdir = mfs_mkdir,
	.rmdir = mfs_rmdir,
	.unlink = mfs_unlink,
	.rename = mfs_rename,
	.symlink = mfs_symlink,
};

static const struct inode_operations mfs_file_iops = {
	.truncate = mfs_truncate,
};

static const struct inode_operations mfs_link_iops = {
	.readlink = mfs_readlink,
};

static const struct file_operations mfs_dir_fops = {
	.readdir = mfs_readdir,
};

struct memfs *memfs_create(void)
{
	struct memfs *fs = calloc(1, sizeof(*fs));
	struct mfs_node *root = &fs->nodes[MFS_ROOT_INO];

	root->used = true;
	root->mode = S_IFDIR | 0755;
	root->nlink = 2;
	add_ent(root, ".", 1, MFS_ROOT_INO);
	add_ent(root, "..", 2, MFS_ROOT_INO);
	if (!get_fs_type("memfs"))
		register_filesystem(&memfs_type);
	memfs_disk = fs;
	return fs;
}

void memfs_destroy(struct memfs *fs)
{
	for (unsigned int i = 0; i < MFS_MAX_INODES; i++)
		free_node(&fs->nodes[i]);
	if (memfs_disk == fs)
		memfs_disk = NULL;
	free(fs);
}
