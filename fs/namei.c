/*
 * Path walk over the dentry cache (fs/dcache.c). Each component is
 * looked up in the dcache first (d_lookup); only a miss asks the
 * directory inode (i_op->lookup), and its answer is cached, an absent
 * name as a negative dentry. ".." is the dentry's parent, except at the
 * root, which is its own parent. A symlink met on the way is read and
 * its target walked from the directory that holds it (or from the root
 * if absolute), by recursion: the depth of that recursion is the
 * nesting MAXSYMLINKS bounds, and a total count stops long chains of
 * siblings.
 *
 * Then, as in Linux's fs/namei.c, the name-space operations: the VFS
 * resolves the parent directory and the child's dentry, checks what
 * POSIX says can be checked without the file system (the name exists
 * or not, its type, a read-only mount, moving a directory under
 * itself), calls the directory's inode operation (the file system
 * checks the rest: a directory is empty, space), and on success brings
 * the dcache up to date: d_instantiate for a new name, d_delete for a
 * removed one, d_move for a rename. A failure other than a refusal
 * invalidates the dentries involved: the next walk asks the file system.
 */
#include "printk.h"
#include "slab.h"
#include "string.h"
#include "vfs.h"

#define MAX_TOTAL_LINKS 40

struct nameidata {
	struct dentry *root;
	int depth; /* symlinks being followed now */
	int total; /* symlinks followed in all */
};

static int walk(struct nameidata *nd, struct dentry *start, const char *path,
		unsigned int flags, struct dentry **res);

static int follow_link(struct nameidata *nd, struct dentry *dir,
		       struct dentry *link, struct dentry **res)
{
	struct inode *inode = link->d_inode;
	char *target;
	int len, err;

	if (nd->depth >= MAXSYMLINKS || nd->total >= MAX_TOTAL_LINKS)
		return -ELOOP;
	if (!inode->i_op || !inode->i_op->readlink)
		return -EINVAL;
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	len = inode->i_op->readlink(inode, target, PATH_MAX - 1);
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

/*
 * A dcache miss: ask the file system, and cache its answer. An absent
 * name becomes a negative dentry; an error (a damaged or unreadable
 * directory) is not cached.
 */
static int lookup_real(struct dentry *dir, const struct qstr *q,
		       struct dentry **res)
{
	struct inode *inode, *dir_inode = dir->d_inode;
	struct dentry *dentry;

	if (!dir_inode->i_op || !dir_inode->i_op->lookup)
		return -ENOTDIR;
	dentry = d_alloc(dir, q);
	if (!dentry)
		return -ENOMEM;
	inode = dir_inode->i_op->lookup(dir_inode, (const char *)q->name,
					q->len);
	if (!inode || PTR_ERR(inode) == -ENOENT) {
		inode = NULL;
	} else if (IS_ERR(inode)) {
		dput(dentry); /* unhashed: freed */
		return (int)PTR_ERR(inode);
	}
	d_add(dentry, inode);
	*res = dentry;
	return 0;
}

/*
 * One component of dir: its dentry, referenced. A negative one is
 * -ENOENT unless negative_ok (the name-space operations want it).
 */
static int lookup_one(struct nameidata *nd, struct dentry *dir,
		      const char *name, unsigned int len, bool negative_ok,
		      struct dentry **res)
{
	struct dentry *dentry;
	struct qstr q;
	int err;

	if (!S_ISDIR(dir->d_inode->i_mode))
		return -ENOTDIR;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 1 && name[0] == '.') {
		*res = dget(dir);
		return 0;
	}
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*res = dget(dir == nd->root ? dir : dir->d_parent);
		return 0;
	}
	qstr_init(&q, name, len);
	dentry = d_lookup(dir, &q);
	if (!dentry) {
		err = lookup_real(dir, &q, &dentry);
		if (err)
			return err;
	}
	if (!dentry->d_inode && !negative_ok) {
		dput(dentry);
		return -ENOENT;
	}
	*res = dentry;
	return 0;
}

/*
 * Walk path from start (or the root, if it begins with '/'); start is
 * the caller's. *res gets the final dentry (positive), referenced.
 */
static int walk(struct nameidata *nd, struct dentry *start, const char *path,
		unsigned int flags, struct dentry **res)
{
	struct dentry *cur;
	int err = 0;

	if (!*path)
		return -ENOENT;
	cur = dget(*path == '/' ? nd->root : start);
	for (;;) {
		const char *name, *end;
		struct dentry *next = NULL;
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
		err = lookup_one(nd, cur, name, len, false, &next);
		if (err)
			break;
		if (S_ISLNK(next->d_inode->i_mode) &&
		    (!last || (flags & LOOKUP_FOLLOW) || name[len] == '/')) {
			struct dentry *target;

			err = follow_link(nd, cur, next, &target);
			dput(next);
			if (err)
				break;
			next = target;
		}
		dput(cur);
		cur = next;
		if (last && name[len] == '/' &&
		    !S_ISDIR(cur->d_inode->i_mode)) {
			err = -ENOTDIR;
			break;
		}
	}
	if (!err && (flags & LOOKUP_DIRECTORY) &&
	    !S_ISDIR(cur->d_inode->i_mode))
		err = -ENOTDIR;
	if (err) {
		dput(cur);
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

int kern_path(const char *path, unsigned int flags, struct dentry **res)
{
	struct nameidata nd = { .root = NULL };
	int err = check_path(path);

	if (err)
		return err;
	nd.root = vfs_root_sb()->s_root;
	return walk(&nd, nd.root, path, flags, res);
}

int vfs_lookup(const char *path, unsigned int flags, struct inode **res)
{
	struct dentry *dentry;
	int err = kern_path(path, flags, &dentry);

	if (err)
		return err;
	*res = igrab(dentry->d_inode);
	dput(dentry);
	return *res ? 0 : -ENOENT;
}

int lookup_one_len(const char *name, struct dentry *base, unsigned int len,
		   struct dentry **res)
{
	struct nameidata nd = { .root = NULL };

	if (!vfs_root_sb())
		return -ENOENT;
	nd.root = vfs_root_sb()->s_root;
	return lookup_one(&nd, base, name, len, false, res);
}

int vfs_lookup_parent(const char *path, struct dentry **dir, const char **name,
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
		*dir = dget(nd.root);
		return 0;
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
	struct dentry *dir;
	const char *name;
	unsigned int len;
	bool trailing;
	struct dentry *child; /* the name's dentry: negative if absent */
};

/* Resolve path's parent and look its last component up (no follow). */
static int get_parent(const char *path, struct parent *p)
{
	struct nameidata nd = { .root = NULL };
	int err;

	memset(p, 0, sizeof(*p));
	err = vfs_lookup_parent(path, &p->dir, &p->name, &p->len, &p->trailing);
	if (err)
		return err;
	nd.root = vfs_root_sb()->s_root;
	err = lookup_one(&nd, p->dir, p->name, p->len, true, &p->child);
	if (err) {
		dput(p->dir);
		p->dir = NULL;
	}
	return err;
}

static void put_parent(struct parent *p)
{
	dput(p->child);
	dput(p->dir);
}

static struct inode *dir_of(struct parent *p)
{
	return p->dir->d_inode;
}

static struct inode *child_of(struct parent *p)
{
	return p->child->d_inode;
}

static int may_modify(struct inode *dir)
{
	if (sb_rdonly(dir->i_sb))
		return -EROFS;
	return 0;
}

/*
 * A failed operation: a refusal changed nothing and leaves the cache
 * right; any other error (-EIO, -ENOMEM, or -ENOENT/-EEXIST where the
 * dcache said otherwise) may have, so the names involved are dropped
 * and the next walk asks the file system.
 */
static void forget_on_error(struct dentry *dentry, int err)
{
	switch (err) {
	case 0:
	case -ENOTEMPTY:
	case -ENOTDIR:
	case -EISDIR:
	case -EINVAL:
	case -EMLINK:
	case -EROFS:
	case -EPERM:
	case -EBUSY:
	case -ENAMETOOLONG:
		return;
	}
	d_invalidate(dentry);
}

/* After an operation: cache the new inode, or forget what we knew. */
static int done_create(struct parent *p, int err, struct inode *inode)
{
	if (!err && !inode)
		err = -EIO;
	if (err)
		forget_on_error(p->child, err);
	else
		d_instantiate(p->child, inode);
	return err;
}

int vfs_create(const char *path, umode_t mode, struct dentry **res)
{
	struct inode *inode = NULL;
	struct parent p;
	int err = get_parent(path, &p);

	if (err)
		return err == -EBUSY ? -EISDIR : err;
	if (p.trailing)
		err = -EISDIR;
	else if (!(err = may_modify(dir_of(&p))) && !dir_of(&p)->i_op->create)
		err = -EPERM;
	else if (!err && child_of(&p))
		err = -EEXIST; /* e.g. a dangling symlink: not followed */
	if (!err) {
		err = dir_of(&p)->i_op->create(dir_of(&p), p.name, p.len,
					       S_IFREG | (mode & 07777),
					       &inode);
		err = done_create(&p, err, inode);
	}
	if (!err) {
		*res = p.child;
		p.child = NULL;
	}
	put_parent(&p);
	return err;
}

int vfs_mkdir(const char *path, umode_t mode)
{
	struct inode *inode = NULL;
	struct parent p;
	int err = get_parent(path, &p);

	if (err)
		return err == -EBUSY || err == -EINVAL ? -EEXIST : err;
	if (child_of(&p))
		err = -EEXIST;
	else if (!(err = may_modify(dir_of(&p))) && !dir_of(&p)->i_op->mkdir)
		err = -EPERM;
	if (!err) {
		err = dir_of(&p)->i_op->mkdir(dir_of(&p), p.name, p.len,
					      S_IFDIR | (mode & 07777), &inode);
		err = done_create(&p, err, inode);
	}
	put_parent(&p);
	return err;
}

/* A name is gone: its dentry turns negative (or is dropped if in use). */
static int done_remove(struct parent *p, int err)
{
	if (err)
		forget_on_error(p->child, err);
	else
		d_delete(p->child);
	return err;
}

int vfs_rmdir(const char *path)
{
	struct parent p;
	int err = get_parent(path, &p);

	if (err)
		return err;
	if (!child_of(&p))
		err = -ENOENT;
	else if (!S_ISDIR(child_of(&p)->i_mode))
		err = -ENOTDIR;
	else if (p.child == vfs_root_sb()->s_root)
		err = -EBUSY;
	else if (!(err = may_modify(dir_of(&p))) && !dir_of(&p)->i_op->rmdir)
		err = -EPERM;
	if (!err) {
		/* Negative entries inside would keep the directory alive. */
		shrink_dcache_parent(p.child);
		err = dir_of(&p)->i_op->rmdir(dir_of(&p), p.name, p.len);
		err = done_remove(&p, err);
	}
	put_parent(&p);
	return err;
}

int vfs_unlink(const char *path)
{
	struct parent p;
	int err = get_parent(path, &p);

	if (err)
		return err == -EBUSY ? -EISDIR : err;
	if (!child_of(&p))
		err = -ENOENT;
	else if (S_ISDIR(child_of(&p)->i_mode))
		err = -EISDIR;
	else if (p.trailing)
		err = -ENOTDIR;
	else if (!(err = may_modify(dir_of(&p))) && !dir_of(&p)->i_op->unlink)
		err = -EPERM;
	if (!err) {
		err = dir_of(&p)->i_op->unlink(dir_of(&p), p.name, p.len);
		err = done_remove(&p, err);
	}
	put_parent(&p);
	return err;
}

int vfs_symlink(const char *target, const char *path)
{
	struct inode *inode = NULL;
	struct parent p;
	int err;

	if (!target || !*target)
		return -ENOENT;
	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	err = get_parent(path, &p);
	if (err)
		return err == -EBUSY || err == -EINVAL ? -EEXIST : err;
	if (child_of(&p))
		err = -EEXIST;
	else if (p.trailing)
		err = -ENOENT;
	else if (!(err = may_modify(dir_of(&p))) && !dir_of(&p)->i_op->symlink)
		err = -EPERM;
	if (!err) {
		err = dir_of(&p)->i_op->symlink(dir_of(&p), p.name, p.len,
						target, &inode);
		err = done_create(&p, err, inode);
	}
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

static int check_rename(struct parent *o, struct parent *n)
{
	struct inode *old = child_of(o), *new = child_of(n);
	int err;

	if (!old)
		return -ENOENT;
	if (o->child == vfs_root_sb()->s_root)
		return -EBUSY;
	if (o->trailing && !S_ISDIR(old->i_mode))
		return -ENOTDIR;
	if (n->trailing && !S_ISDIR(old->i_mode))
		return -ENOTDIR;
	if (new) {
		if (S_ISDIR(old->i_mode) && !S_ISDIR(new->i_mode))
			return -ENOTDIR;
		if (!S_ISDIR(old->i_mode) && S_ISDIR(new->i_mode))
			return -EISDIR;
	}
	/* A directory moved into its own subtree: walk d_parent up. */
	if (S_ISDIR(old->i_mode) && o->dir != n->dir &&
	    is_subdir(n->dir, o->child))
		return -EINVAL;
	err = may_modify(dir_of(o));
	if (!err && !dir_of(o)->i_op->rename)
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
	if (child_of(&o) && child_of(&o) == child_of(&n)) {
		err = 0; /* the same file (or hard links to it): nothing to do */
	} else if (!(err = check_rename(&o, &n))) {
		if (child_of(&n) && S_ISDIR(child_of(&n)->i_mode))
			shrink_dcache_parent(n.child);
		err = dir_of(&o)->i_op->rename(dir_of(&o), o.name, o.len,
					       dir_of(&n), n.name, n.len);
		if (err) {
			forget_on_error(o.child, err);
			forget_on_error(n.child, err);
		} else {
			d_move(o.child, n.child);
		}
	}
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
