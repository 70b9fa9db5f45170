/*
 * Path walk. With no dentry cache, each component is looked up by
 * asking the directory inode (i_op->lookup); ".." too, since every
 * directory on disk names its parent, except at the root, which is its
 * own parent. A symlink met on the way is read and its target walked
 * from the directory that holds it (or from the root if absolute), by
 * recursion: the depth of that recursion is the nesting MAXSYMLINKS
 * bounds, and a total count stops long chains of siblings.
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
