/*
 * Taking pages out of a mapping: truncate (the file got shorter, or the
 * inode is going away) and invalidation of clean pages.
 */
#include "buffer_head.h"
#include "pagemap.h"
#include "printk.h"
#include "writeback.h"

#define TRUNC_BATCH 16

static void do_invalidatepage(struct page *page, unsigned long offset)
{
	const struct address_space_operations *a_ops = page->mapping->a_ops;

	if (!page_has_buffers(page))
		return;
	if (a_ops->invalidatepage)
		a_ops->invalidatepage(page, offset);
	else
		block_invalidatepage(page, offset);
}

/* The page is locked and not under writeback. */
static void truncate_complete_page(struct address_space *mapping,
				   struct page *page)
{
	if (page->mapping != mapping)
		return;
	do_invalidatepage(page, 0);
	if (page_has_buffers(page))
		try_to_free_buffers(page);
	/* Buffers still pinned by someone: the page stays, emptied. */
	if (page_has_buffers(page)) {
		cancel_dirty_page(page);
		ClearPageUptodate(page);
		return;
	}
	remove_from_page_cache(page);
}

static void truncate_partial_page(struct address_space *mapping, pgoff_t index,
				  unsigned int partial)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return;
	wait_on_page_writeback(page);
	zero_user_segment(page, partial, PAGE_SIZE);
	do_invalidatepage(page, partial);
	unlock_page(page);
	put_page(page);
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	pgoff_t start = (pgoff_t)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
	unsigned int partial = (unsigned int)(lstart & (PAGE_SIZE - 1));
	struct page *pages[TRUNC_BATCH];
	pgoff_t next = start;
	unsigned int nr;

	while ((nr = find_get_pages(mapping, next, TRUNC_BATCH, pages))) {
		for (unsigned int i = 0; i < nr; i++) {
			struct page *page = pages[i];

			next = page->index + 1;
			lock_page(page);
			wait_on_page_writeback(page);
			truncate_complete_page(mapping, page);
			unlock_page(page);
			put_page(page);
		}
		if (!next)
			break;
	}
	if (partial)
		truncate_partial_page(mapping, start - 1, partial);
	if (!lstart && !mapping->nrpages)
		mapping_forget(mapping);
}

unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end)
{
	struct page *pages[TRUNC_BATCH];
	unsigned long freed = 0;
	pgoff_t next = start;
	unsigned int nr;

	while (next <= end &&
	       (nr = find_get_pages(mapping, next, TRUNC_BATCH, pages))) {
		for (unsigned int i = 0; i < nr; i++) {
			struct page *page = pages[i];

			next = page->index + 1;
			if (page->index > end || !trylock_page(page)) {
				put_page(page);
				continue;
			}
			if (page->mapping == mapping && !PageDirty(page) &&
			    !PageWriteback(page) &&
			    (!page_has_buffers(page) ||
			     try_to_free_buffers(page)) &&
			    page_count(page) == 2) {
				remove_from_page_cache(page);
				freed++;
			}
			unlock_page(page);
			put_page(page);
		}
		if (!next)
			break;
	}
	return freed;
}
