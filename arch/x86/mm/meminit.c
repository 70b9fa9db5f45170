/*
 * Boot memory: from the firmware's memory map, map every byte of RAM
 * (the boot page tables cover only 4 GiB), put mem_map (one struct page
 * per frame, pfn 0 up to the top of RAM) right after the kernel image
 * and any boot modules, and hand every other available frame above
 * 1 MiB to the buddy allocator. The first MiB stays reserved: BIOS data,
 * the EBDA and option ROMs live there.
 */
#include "asm/meminit.h"
#include "mm.h"
#include "asm/multiboot2.h"
#include "asm/paging.h"
#include "printk.h"

#define LOW_RESERVED (1ULL << 20)
#define BOOT_MAPPED_END (4ULL << 30)

extern char _kernel_end[];

static u64 ram_top(void)
{
	u64 top = 0;

	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == MB2_MEMORY_AVAILABLE && r->base + r->len > top)
			top = r->base + r->len;
	}
	return top;
}

/* Map RAM above 4 GiB; returns the end of what is now mapped. */
static u64 map_high_ram(u64 top)
{
	u64 end = BOOT_MAPPED_END;

	for (; end < top; end += HUGE_PAGE_SIZE)
		if (paging_map_range(end, end + HUGE_PAGE_SIZE, 0))
			break;
	if (end < top)
		printk("mem: only the first %lu MiB are mapped; ignoring the "
		       "rest\n",
		       (unsigned long)(end >> 20));
	return end < top ? end : top;
}

/* Is [start, end) inside one available region? */
static bool in_available(u64 start, u64 end)
{
	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == MB2_MEMORY_AVAILABLE && start >= r->base &&
		    end <= r->base + r->len)
			return true;
	}
	return false;
}

static void free_available(u64 low, u64 top)
{
	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		u64 start = max(r->base, low);
		u64 end = min(r->base + r->len, top);

		if (r->type != MB2_MEMORY_AVAILABLE || start >= end)
			continue;
		start = ALIGN(start, PAGE_SIZE);
		end = ALIGN_DOWN(end, PAGE_SIZE);
		if (start < end)
			free_pfn_range(start >> PAGE_SHIFT, end >> PAGE_SHIFT);
	}
}

static u64 available_bytes(u64 top)
{
	u64 sum = 0;

	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == MB2_MEMORY_AVAILABLE && r->base < top)
			sum += min(r->base + r->len, top) - r->base;
	}
	return sum;
}

void meminit(void)
{
	u64 top = ALIGN_DOWN(map_high_ram(ram_top()), PAGE_SIZE);
	unsigned long nr_pages = top >> PAGE_SHIFT;
	u64 map_start =
		ALIGN(max((u64)_kernel_end, boot_info.modules_end), PAGE_SIZE);
	u64 map_end =
		ALIGN(map_start + nr_pages * sizeof(struct page), PAGE_SIZE);

	if (!nr_pages || !in_available(map_start, map_end))
		panic("mem: no room for mem_map (%lu pages) at 0x%lx", nr_pages,
		      (unsigned long)map_start);
	mem_map_init((struct page *)map_start, 0, nr_pages);
	free_available(max(map_end, LOW_RESERVED), top);
	paging_use_page_alloc();
	printk("mem: %lu MiB total, %lu MiB free (mem_map %lu KiB at 0x%lx)\n",
	       (unsigned long)(available_bytes(top) >> 20),
	       nr_free_pages() >> (20 - PAGE_SHIFT),
	       (unsigned long)((map_end - map_start) >> 10),
	       (unsigned long)map_start);
}
