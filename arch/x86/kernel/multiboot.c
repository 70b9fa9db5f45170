/*
 * Multiboot2 boot information: a size header, then 8-byte aligned tags
 * (type, size, payload) up to an end tag. We keep the memory map and the
 * command line and remember where modules end, so meminit never hands
 * out their memory.
 */
#include "errno.h"
#include "asm/multiboot2.h"
#include "printk.h"
#include "string.h"

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_tag {
	struct mb2_tag tag;
	u32 entry_size;
	u32 entry_version;
};

struct mb2_mmap_entry {
	u64 base;
	u64 len;
	u32 type;
	u32 reserved;
};

struct mb2_module_tag {
	struct mb2_tag tag;
	u32 mod_start;
	u32 mod_end;
};

struct boot_info boot_info;

static void parse_mmap(const struct mb2_mmap_tag *t)
{
	const u8 *p = (const u8 *)(t + 1);
	const u8 *end = (const u8 *)t + t->tag.size;

	if (t->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (; p + t->entry_size <= end; p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		struct boot_mem_region *r;

		if (boot_info.nr_mem == BOOT_MEM_REGIONS_MAX) {
			printk("multiboot: memory map truncated\n");
			return;
		}
		r = &boot_info.mem[boot_info.nr_mem++];
		r->base = e->base;
		r->len = e->len;
		r->type = e->type;
	}
}

static void parse_tag(const struct mb2_tag *tag)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE: {
		size_t n = tag->size - sizeof(*tag);

		n = strnlen((const char *)(tag + 1), n);
		if (n >= BOOT_CMDLINE_MAX)
			n = BOOT_CMDLINE_MAX - 1;
		memcpy(boot_info.cmdline, tag + 1, n);
		boot_info.cmdline[n] = '\0';
		break;
	}
	case MB2_TAG_MMAP:
		parse_mmap((const struct mb2_mmap_tag *)tag);
		break;
	case MB2_TAG_MODULE: {
		const struct mb2_module_tag *m = (const void *)tag;

		if (m->mod_end > boot_info.modules_end)
			boot_info.modules_end = m->mod_end;
		break;
	}
	}
}

int multiboot_parse(u32 magic, u64 mbi_phys)
{
	const u8 *mbi = (const u8 *)mbi_phys;
	u32 total;

	if (magic != MULTIBOOT2_BOOTLOADER_MAGIC || !mbi_phys ||
	    !IS_ALIGNED(mbi_phys, 8))
		return -EINVAL;
	total = *(const u32 *)mbi;
	for (u32 off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *tag = (const void *)(mbi + off);

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag) ||
		    off + tag->size > total)
			break;
		parse_tag(tag);
		off += ALIGN(tag->size, 8);
	}
	return boot_info.nr_mem ? 0 : -EINVAL;
}
