/*
 * What GRUB tells us at boot (Multiboot2 information), copied out of its
 * structure so that its memory can be reused.
 */
#ifndef _MULTIBOOT2_H
#define _MULTIBOOT2_H

#include "types.h"

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6

#define MB2_MEMORY_AVAILABLE 1

#define BOOT_MEM_REGIONS_MAX 64
#define BOOT_CMDLINE_MAX 1024

struct boot_mem_region {
	u64 base;
	u64 len;
	u32 type; /* MB2_MEMORY_AVAILABLE, or reserved kinds */
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_mem_region mem[BOOT_MEM_REGIONS_MAX];
	unsigned int nr_mem;
	u64 modules_end; /* highest byte + 1 of any boot module, or 0 */
};

extern struct boot_info boot_info;

/* Copy what we need out of the Multiboot2 info; 0 or -EINVAL. */
int multiboot_parse(u32 magic, u64 mbi_phys);

#endif
