/*
 * Self-tests of the page tables after boot: the kernel is mapped, a
 * made-up address is not, and all RAM the firmware reported is mapped.
 */
#include "asm/io.h"
#include "asm/multiboot2.h"
#include "asm/paging.h"
#include "kunit.h"
#include "mm.h"

extern char _kernel_start[], _kernel_end[];

static void paging_map_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kernel_addr_mapped((u64)_kernel_start));
	KUNIT_EXPECT_TRUE(test, kernel_addr_mapped((u64)test));
	KUNIT_EXPECT_FALSE(test, kernel_addr_mapped(0xdead0000000ULL));
	KUNIT_EXPECT_FALSE(test, kernel_addr_mapped(1ULL << 47));
	KUNIT_EXPECT_TRUE(test,
			  ioremap(0xfee00000, 4096) == (void *)0xfee00000);
	KUNIT_EXPECT_TRUE(test, ioremap(0, 0) == NULL);
	KUNIT_EXPECT_TRUE(test, ioremap(~0ULL - 10, 4096) == NULL);
}
KUNIT_CASE(paging_map_test, "paging.map");

/* Every byte of RAM the firmware reported is mapped (above 4 GiB too). */
static void paging_ram_mapped_test(struct kunit *test)
{
	unsigned int checked = 0;

	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		u64 last = r->base + r->len - 1;

		if (r->type != MB2_MEMORY_AVAILABLE || !r->len ||
		    last >= (u64)mem_map_nr_pages << PAGE_SHIFT)
			continue;
		KUNIT_EXPECT_TRUE(test, kernel_addr_mapped(r->base));
		KUNIT_EXPECT_TRUE(test, kernel_addr_mapped(last));
		checked++;
	}
	KUNIT_EXPECT_TRUE(test, checked > 0);
	KUNIT_EXPECT_TRUE(
		test,
		kernel_addr_mapped(((u64)mem_map_nr_pages << PAGE_SHIFT) - 1));
}
KUNIT_CASE(paging_ram_mapped_test, "paging.ram_mapped");
