/*
 * kmalloc: power-of-two size classes from 16 to 2048 bytes, each carved
 * from single pages. A slab page keeps its own free list threaded through
 * its free objects; pages with a free object sit on their class's
 * partial list, full pages on no list, and a page whose last object is
 * freed goes back to the page allocator. Larger requests take whole
 * pages from the buddy allocator.
 *
 * Everything kfree and ksize need is in the struct page: PG_slab, and
 * page->private = log2 of the object size (>= PAGE_SHIFT for a
 * multi-page allocation, which is then 2^(private - PAGE_SHIFT) pages).
 */
#include "kasan.h"
#include "mm.h"
#include "printk.h"
#include "slab.h"
#include "spinlock.h"
#include "string.h"

#define KMALLOC_MIN_SHIFT 4
#define KMALLOC_MAX_SHIFT 11
#define NR_CLASSES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

static struct list_head partial[NR_CLASSES];
static bool classes_ready;
static DEFINE_SPINLOCK(slab_lock);

/* Free objects are poisoned for ASan; only these touch their link. */
#define NO_ASAN __attribute__((no_sanitize_address))

static NO_ASAN void *get_link(void *obj)
{
	return *(void **)obj;
}

static NO_ASAN void set_link(void *obj, void *next)
{
	*(void **)obj = next;
}

static unsigned int size_shift(size_t size)
{
	unsigned int shift = KMALLOC_MIN_SHIFT;

	while ((1UL << shift) < size)
		shift++;
	return shift;
}

static void init_classes(void)
{
	for (int i = 0; i < NR_CLASSES; i++)
		INIT_LIST_HEAD(&partial[i]);
	classes_ready = true;
}

/* Thread every object of a fresh page onto its free list, in order. */
static void init_slab_page(struct page *page, unsigned int shift)
{
	char *base = page_address(page);
	unsigned long size = 1UL << shift, n = PAGE_SIZE >> shift;

	for (unsigned long i = 0; i < n; i++)
		set_link(base + i * size,
			 i + 1 < n ? base + (i + 1) * size : NULL);
	kasan_poison(base, PAGE_SIZE);
	page->slab_freelist = base;
	page->slab_inuse = 0;
	page->private = shift;
	SetPageSlab(page);
}

static void *take_object(struct page *page)
{
	void *obj = page->slab_freelist;

	page->slab_freelist = get_link(obj);
	page->slab_inuse++;
	if (!page->slab_freelist)
		list_del_init(&page->lru);
	return obj;
}

static void *kmalloc_small(size_t size, gfp_t gfp)
{
	unsigned int shift = size_shift(size);
	struct list_head *list;
	struct page *page;
	unsigned long flags;
	void *obj;

	spin_lock_irqsave(&slab_lock, flags);
	if (!classes_ready)
		init_classes();
	list = &partial[shift - KMALLOC_MIN_SHIFT];
	if (list_empty(list)) {
		/* The page allocator may reclaim, which may kfree: unlock. */
		spin_unlock_irqrestore(&slab_lock, flags);
		page = alloc_page(gfp & ~__GFP_ZERO);
		if (!page)
			return NULL;
		init_slab_page(page, shift);
		spin_lock_irqsave(&slab_lock, flags);
		list_add(&page->lru, list);
	}
	page = list_first_entry(list, struct page, lru);
	obj = take_object(page);
	spin_unlock_irqrestore(&slab_lock, flags);

	kasan_unpoison(obj, size);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, size);
	return obj;
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = 0;
	struct page *page;
	void *addr;

	if (size > (PAGE_SIZE << (MAX_ORDER - 1)))
		return NULL;
	while ((PAGE_SIZE << order) < size)
		order++;
	page = alloc_pages(gfp, order);
	if (!page)
		return NULL;
	SetPageSlab(page);
	page->private = PAGE_SHIFT + order;
	addr = page_address(page);
	/* What lies past the requested size is out of bounds for ASan. */
	kasan_poison(addr, PAGE_SIZE << order);
	kasan_unpoison(addr, size);
	return addr;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (size > (1UL << KMALLOC_MAX_SHIFT))
		return kmalloc_large(size, gfp);
	return kmalloc_small(size ? size : 1, gfp);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, gfp);
}

static struct page *slab_page(const void *ptr, const char *who)
{
	unsigned long pfn = (unsigned long)ptr >> PAGE_SHIFT;
	struct page *page;

	if (!pfn_valid(pfn))
		panic("%s: %p is not kmalloc memory", who, ptr);
	page = pfn_to_page(pfn);
	if (!PageSlab(page) ||
	    ((unsigned long)ptr & ((1UL << page->private) - 1)))
		panic("%s: %p is not a kmalloc object", who, ptr);
	return page;
}

static void free_slab_page(struct page *page)
{
	list_del_init(&page->lru);
	ClearPageSlab(page);
	page->private = 0;
	page->slab_freelist = NULL;
	kasan_unpoison(page_address(page), PAGE_SIZE);
}

void kfree(const void *ptr)
{
	void *obj = (void *)ptr;
	struct page *page;
	unsigned long flags;
	bool empty;

	if (!ptr)
		return;
	page = slab_page(ptr, "kfree");
	if (page->private >= PAGE_SHIFT) {
		unsigned int order = page->private - PAGE_SHIFT;

		ClearPageSlab(page);
		page->private = 0;
		__free_pages(page, order);
		return;
	}

	spin_lock_irqsave(&slab_lock, flags);
	for (void *p = page->slab_freelist; p; p = get_link(p))
		if (p == obj)
			panic("kfree: double free of %p", ptr);
	kasan_poison(obj, 1UL << page->private);
	set_link(obj, page->slab_freelist);
	if (!page->slab_freelist)
		list_add(&page->lru,
			 &partial[page->private - KMALLOC_MIN_SHIFT]);
	page->slab_freelist = obj;
	empty = --page->slab_inuse == 0;
	if (empty)
		free_slab_page(page);
	spin_unlock_irqrestore(&slab_lock, flags);
	if (empty)
		__free_page(page);
}

size_t ksize(const void *ptr)
{
	struct page *page;
	size_t size;

	if (!ptr)
		return 0;
	page = slab_page(ptr, "ksize");
	size = 1UL << page->private;
	/* The caller may now use all of it. */
	kasan_unpoison(ptr, size);
	return size;
}
