/*
 * What the VFS files share and nobody else (as Linux's fs/internal.h):
 * the inode cache's lock, which also guards i_state.
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include "spinlock.h"

extern spinlock_t inode_lock;

#endif
