/* kmalloc: small objects from power-of-two size classes carved from pages. */
#ifndef _SLAB_H
#define _SLAB_H

#include "gfp.h"
#include "types.h"

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *ptr);
/* Usable size of an allocation. */
size_t ksize(const void *ptr);

#endif
