/*
 * Path walk. With no dentry cache, each component is looked up by
 * asking the directory inode (i_op->lookup); ".." too, since every
 * directory on disk names its parent, except at the root, which is its
 * own parent. A symlink met on the way is read and its target walked
 * from the directory that holds it (or from the root if absolute), by
 * recursion: the depth of that recursion is the nesting MAXSYMLINKS
 * bounds, and a total count stops long chains of siblings.
 *
 * Then, as in Linux's fs/namei.c, the name-space operations: the VFS
 * resolves the parent directory, checks what POSIX says can be checked
 * without the file system (the name exists or not, its type, a
 * read-only mount, moving a directory under itself), then calls the
 * directory's inode operation; the file system checks the rest (a
 * directory is empty, space).
 */
#include "printk.h"
#include "slab.h"
#include "string.h"
#include "vfs.h"

#define MAX_TOTAL_LINKS 40

struct nameidata {
	struct inode *root;
	int depth; /* symlinks being followed now */
	int total; /* symlinks followed in all */
};

static int walk(struct nameidata *nd, struct inode *start, const char *path,
		unsigned int flags, struct inode **res);

static int follow_link(struct nameidata *nd, struct inode *dir,
		       struct inode *link, struct inode **res)
{
	char *target;
	int len, err;

	if (nd->depth >= MAXSYMLINKS || nd->total >= MAX_TOTAL_LINKS)
		return -ELOOP;
	if (!link->i_op || !link->i_op->readlink)
		return -EINVAL;
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	len = link->i_op->readlink(link, target, PATH_MAX - 1);
	if (len < 0) {
		err = len;
	} else if (len == 0) {
		err = -ENOENT;
	} else {
		target[len] = '\0';
		nd->depth++;
		nd->total++;
		err = walk(nd, dir, target, LOOKUP_FOLLOW, res);
		nd->depth--;
	}
	kfree(target);
	return err;
}

/* One component of dir: the inode (referenced) or -errno. */
static int lookup_one(struct nameidata *nd, struct inode *dir, const char *name,
		      unsigned int len, struct inode **res)
{
	struct inode *inode;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 1 && name[0] == '.') {
		*res = igrab(dir);
		return *res ? 0 : -ENOENT;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.' && dir == nd->root) {
		*res = igrab(dir);
		return *res ? 0 : -ENOENT;
	}
	if (!dir->i_op || !dir->i_op->lookup)
		return -ENOTDIR;
	inode = dir->i_op->lookup(dir, name, len);
	if (!inode)
		return -ENOENT;
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	*res = inode;
	return 0;
}

/*
 * Walk path from start (or the root, if it begins with '/'); start is
 * the caller's. *res gets the final inode, referenced.
 */
static int walk(struct nameidata *nd, struct inode *start, const char *path,
		unsigned int flags, struct inode **res)
{
	struct inode *cur;
	int err = 0;

	if (!*path)
		return -ENOENT;
	cur = igrab(*path == '/' ? nd->root : start);
	if (!cur)
		return -ENOENT;
	for (;;) {
		const char *name, *end;
		struct inode *next = NULL;
		unsigned int len;
		bool last;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		name = path;
		end = strchr(name, '/');
		len = end ? (unsigned int)(end - name) :
			    (unsigned int)strlen(name);
		path = name + len;
		while (*path == '/')
			path++;
		/* "a/" is last, but asks for a directory: follow it. */
		last = !*path;
		err = lookup_one(nd, cur, name, len, &next);
		if (err)
			break;
		if (S_ISLNK(next->i_mode) &&
		    (!last || (flags & LOOKUP_FOLLOW) || name[len] == '/')) {
			struct inode *target;

			err = follow_link(nd, cur, next, &target);
			iput(next);
			if (err)
				break;
			next = target;
		}
		iput(cur);
		cur = next;
		if (last && name[len] == '/' && !S_ISDIR(cur->i_mode)) {
			err = -ENOTDIR;
			break;
		}
	}
	if (!err && (flags & LOOKUP_DIRECTORY) && !S_ISDIR(cur->i_mode))
		err = -ENOTDIR;
	if (err) {
		iput(cur);
		return err;
	}
	*res = cur;
	return 0;
}

static int check_path(const char *path)
{
	if (!path || !*path)
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!vfs_root_sb())
		return -ENOENT;
	return 0;
}

int vfs_lookup(const char *path, unsigned int flags, struct inode **res)
{
	struct nameidata nd = { .root = NULL };
	int err = check_path(path);

	if (err)
		return err;
	nd.root = vfs_root_sb()->s_root;
	return walk(&nd, nd.root, path, flags, res);
}

int lookup_one_len(const char *name, struct inode *dir, unsigned int len,
		   struct inode **res)
{
	struct nameidata nd = { .root = NULL };

	if (!vfs_root_sb())
		return -ENOENT;
	nd.root = vfs_root_sb()->s_root;
	return lookup_one(&nd, dir, name, len, res);
}

int vfs_lookup_parent(const char *path, struct inode **dir, const char **name,
		      unsigned int *len, bool *trailing)
{
	struct nameidata nd = { .root = NULL };
	const char *end, *start;
	char *dirpath;
	int err = check_path(path);

	if (err)
		return err;
	nd.root = vfs_root_sb()->s_root;
	end = path + strlen(path);
	while (end > path && end[-1] == '/')
		end--;
	if (end == path)
		return -EBUSY; /* "/" itself */
	start = end;
	while (start > path && start[-1] != '/')
		start--;
	*name = start;
	*len = (unsigned int)(end - start);
	if (trailing)
		*trailing = *end == '/';
	if (*len > NAME_MAX)
		return -ENAMETOOLONG;
	if ((*len == 1 && start[0] == '.') ||
	    (*len == 2 && start[0] == '.' && start[1] == '.'))
		return -EINVAL;
	if (start == path) {
		*dir = igrab(nd.root);
		return *dir ? 0 : -ENOENT;
	}
	dirpath = kmalloc((size_t)(start - path) + 1, GFP_KERNEL);
	if (!dirpath)
		return -ENOMEM;
	memcpy(dirpath, path, (size_t)(start - path));
	dirpath[start - path] = '\0';
	err = walk(&nd, nd.root, dirpath, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
		   dir);
	kfree(dirpath);
	return err;
}

/* ---- name-space operations ---- */

struct parent {
	struct inode *dir;
	const char *name;
	unsigned int len;
	bool trailing;
	struct inode *child; /* the existing entry, or NULL */
};

/* Resolve path's parent and look its last component up (no follow). */
static int get_parent(const char *path, struct parent *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	err = vfs_lookup_parent(path, &p->dir, &p->name, &p->len, &p->trailing);
	if (err)
		return err;
	if (!p->dir->i_op || !p->dir->i_op->lookup) {
		iput(p->dir);
		return -ENOTDIR;
	}
	p->child = p->dir->i_op->lookup(p->dir, p->name, p->len);
	if (IS_ERR(p->child)) {
		err = (int)PTR_ERR(p->child);
		p->child = NULL;
		if (err != -ENOENT) {
			iput(p->dir);
			return err;
		}
	}
	return 0;
}

static void put_parent(struct parent *p)
{
	iput(p->child);
	iput(p->dir);
}

static int may_modify(struct inode *dir)
{
	if (sb_rdonly(dir->i_sb))
		return -EROFS;
	return 0;
}

int vfs_mkdir(const char *path, umode_t mode)
{
	struct parent p;
	int err = get_parent(path, &p);

	if (err)
		return err == -EBUSY || err == -EINVAL ? -EEXIST : err;
	if (p.child)
		err = -EEXIST;
	else if (!(err = may_modify(p.dir)) && !p.dir->i_op->mkdir)
		err = -EPERM;
	if (!err)
		err = p.dir->i_op->mkdir(p.dir, p.name, p.len,
					 S_IFDIR | (mode & 07777));
	put_parent(&p);
	return err;
}

int vfs_rmdir(const char *path)
{
	struct parent p;
	int err = get_parent(path, &p);

	if (err)
		return err;
	if (!p.child)
		err = -ENOENT;
	else if (!S_ISDIR(p.child->i_mode))
		err = -ENOTDIR;
	else if (p.child == vfs_root_sb()->s_root)
		err = -EBUSY;
	else if (!(err = may_modify(p.dir)) && !p.dir->i_op->rmdir)
		err = -EPERM;
	if (!err)
		err = p.dir->i_op->rmdir(p.dir, p.name, p.len);
	put_parent(&p);
	return err;
}

int vfs_unlink(const char *path)
{
	struct parent p;
	int err = get_parent(path, &p);

	if (err)
		return err == -EBUSY ? -EISDIR : err;
	if (!p.child)
		err = -ENOENT;
	else if (S_ISDIR(p.child->i_mode))
		err = -EISDIR;
	else if (p.trailing)
		err = -ENOTDIR;
	else if (!(err = may_modify(p.dir)) && !p.dir->i_op->unlink)
		err = -EPERM;
	if (!err)
		err = p.dir->i_op->unlink(p.dir, p.name, p.len);
	put_parent(&p);
	return err;
}

int vfs_symlink(const char *target, const char *path)
{
	struct parent p;
	int err;

	if (!target || !*target)
		return -ENOENT;
	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	err = get_parent(path, &p);
	if (err)
		return err == -EBUSY || err == -EINVAL ? -EEXIST : err;
	if (p.child)
		err = -EEXIST;
	else if (p.trailing)
		err = -ENOENT;
	else if (!(err = may_modify(p.dir)) && !p.dir->i_op->symlink)
		err = -EPERM;
	if (!err)
		err = p.dir->i_op->symlink(p.dir, p.name, p.len, target);
	put_parent(&p);
	return err;
}

int vfs_readlink(const char *path, char *buf, int buflen)
{
	struct inode *inode;
	int err = vfs_lookup(path, 0, &inode);

	if (err)
		return err;
	if (!S_ISLNK(inode->i_mode))
		err = -EINVAL;
	else if (!inode->i_op || !inode->i_op->readlink)
		err = -EINVAL;
	else
		err = inode->i_op->readlink(inode, buf, buflen);
	iput(inode);
	return err;
}

/* Is dir (a directory) anc or inside it? Walks ".." up to the root. */
static int is_subdir(struct inode *dir, struct inode *anc, bool *inside)
{
	struct inode *root = vfs_root_sb()->s_root;
	struct inode *cur = igrab(dir);
	int depth = 0;

	*inside = false;
	while (cur) {
		struct inode *up;

		if (cur == anc) {
			*inside = true;
			break;
		}
		if (cur == root)
			break;
		if (++depth > 4096) {
			iput(cur);
			return -ELOOP; /* a damaged tree whose ".." cycle */
		}
		up = cur->i_op->lookup(cur, "..", 2);
		iput(cur);
		if (IS_ERR_OR_NULL(up))
			return up ? (int)PTR_ERR(up) : -ENOENT;
		cur = up;
	}
	iput(cur);
	return 0;
}

static int check_rename(struct parent *o, struct parent *n)
{
	bool inside;
	int err;

	if (!o->child)
		return -ENOENT;
	if (o->child == vfs_root_sb()->s_root)
		return -EBUSY;
	if (o->trailing && !S_ISDIR(o->child->i_mode))
		return -ENOTDIR;
	if (n->trailing && !S_ISDIR(o->child->i_mode))
		return -ENOTDIR;
	if (n->child) {
		if (S_ISDIR(o->child->i_mode) && !S_ISDIR(n->child->i_mode))
			return -ENOTDIR;
		if (!S_ISDIR(o->child->i_mode) && S_ISDIR(n->child->i_mode))
			return -EISDIR;
	}
	if (S_ISDIR(o->child->i_mode) && o->dir != n->dir) {
		err = is_subdir(n->dir, o->child, &inside);
		if (err)
			return err;
		if (inside)
			return -EINVAL;
	}
	err = may_modify(o->dir);
	if (!err && !o->dir->i_op->rename)
		err = -EPERM;
	return err;
}

int vfs_rename(const char *oldpath, const char *newpath)
{
	struct parent o, n;
	int err = get_parent(oldpath, &o);

	if (err)
		return err;
	err = get_parent(newpath, &n);
	if (err) {
		put_parent(&o);
		return err;
	}
	if (o.child && o.child == n.child)
		err = 0; /* the same file (or hard links to it): nothing to do */
	else if (!(err = check_rename(&o, &n)))
		err = o.dir->i_op->rename(o.dir, o.name, o.len, n.dir, n.name,
					  n.len);
	put_parent(&n);
	put_parent(&o);
	return err;
}

int vfs_truncate_inode(struct inode *inode, loff_t size)
{
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (size < 0)
		return -EINVAL;
	if (inode->i_sb && size > inode->i_sb->s_maxbytes)
		return -EFBIG;
	err = may_modify(inode);
	if (err)
		return err;
	if (!inode->i_op || !inode->i_op->truncate)
		return -EPERM;
	err = inode->i_op->truncate(inode, size);
	if (!err)
		mark_inode_dirty(inode);
	return err;
}

int vfs_truncate(const char *path, loff_t size)
{
	struct inode *inode;
	int err = vfs_lookup(path, LOOKUP_FOLLOW, &inode);

	if (err)
		return err;
	err = vfs_truncate_inode(inode, size);
	iput(inode);
	return err;
}
