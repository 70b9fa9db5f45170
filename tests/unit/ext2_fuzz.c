/*
 * The ext2 fuzzer's mutation engine. The seed images are small (2-4 MiB,
 * a few groups, a few dozen inodes) so that a case can walk the whole
 * tree and a random pick of metadata lands on something the walk will
 * use: the 32 MiB test images hold thousands of files, most of which a
 * bounded walk would never reach. They are filled by debugfs commands
 * in a fixed order (mke2fs -d would follow the host's readdir order),
 * so inode and block numbers, and with them each case, are the same on
 * every machine.
 *
 * The fields are found by parsing the good image here, independently
 * of fs/ext2: the superblock, every group descriptor, the used parts of
 * the bitmaps, each used inode, each entry of each directory block and
 * each entry of the indirect blocks.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ext2_fuzz.h"
#include "ext2_img.h"

#define MAX_FIELDS 8192

struct seed_spec {
	const char *name;
	const char *mkfs; /* mke2fs options */
	const char *size;
};

static const struct seed_spec specs[] = {
	{ "fuzz-1k", "-b 1024 -I 256 -g 1024 -N 128", "3M" },
	{ "fuzz-4k", "-b 4096 -I 128 -N 128", "4M" },
	{ "fuzz-r0", "-r 0 -b 1024 -g 1024 -N 128", "2M" },
};

#define NR_IMAGES (sizeof(specs) / sizeof(*specs))

static struct fz_image images[NR_IMAGES];
static bool built;

/* The same bytes every run: a file's content is a function of its size. */
static void write_host_file(const char *dir, const char *name, size_t size,
			    size_t hole_at, size_t hole_len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(2);
	}
	for (size_t i = 0; i < size; i++) {
		bool hole = i >= hole_at && i < hole_at + hole_len;

		fputc(hole ? 0 : (int)((i * 131 + size) & 0xff), f);
	}
	fclose(f);
}

/*
 * The tree: every kind of inode and map the driver has a path for.
 * Files reach the single and double indirect blocks, /sparse has holes,
 * /big has entries over several directory blocks, two symlinks (fast,
 * slow), a hard link, three levels of directories.
 */
static const char *const script[] = {
	"mkdir d1",
	"mkdir d1/d2",
	"mkdir d1/d2/d3",
	"mkdir big",
	"write %s/empty empty",
	"write %s/small small",
	"write %s/blk blk",
	"write %s/ind ind",
	"write %s/dind dind",
	"write %s/sparse sparse",
	"write %s/small d1/d2/d3/leaf",
	"write %s/blk d1/mid",
	"symlink fast small",
	"symlink slow ./././././././././././././././././././././././././././"
	"././././././././d1/d2/d3/leaf",
	"symlink d1/up ../small",
	"ln small hard",
	"sif small links_count 2",
};

static void build_one(struct fz_image *img, const struct seed_spec *s,
		      const char *dir)
{
	char cmd[8192], out[4096], path[512];
	size_t used = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.img", dir, s->name);
	snprintf(cmd, sizeof(cmd),
		 "E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext2 %s "
		 "-U 6e5a0a3c-5d5e-4f2a-9b1e-0123456789ab "
		 "-E hash_seed=6e5a0a3c-5d5e-4f2a-9b1e-0123456789ab "
		 "'%s' %s",
		 s->mkfs, path, s->size);
	if (ext2_img_run(cmd, out, sizeof(out))) {
		fprintf(stderr, "ext2_fuzz: %s\n%s", cmd, out);
		exit(2);
	}
	snprintf(cmd, sizeof(cmd), "%s/script", dir);
	f = fopen(cmd, "w");
	for (size_t i = 0; f && i < sizeof(script) / sizeof(*script); i++) {
		fprintf(f, script[i], dir);
		fputc('\n', f);
	}
	for (int i = 0; f && i < 40; i++)
		fprintf(f, "write %s/small big/entry-%0*d\n", dir, 1 + i % 30,
			i);
	if (!f || fclose(f)) {
		perror(cmd);
		exit(2);
	}
	used = (size_t)snprintf(cmd, sizeof(cmd),
				"export E2FSPROGS_FAKE_TIME=1700000000; "
				"(debugfs -w -f '%s/script' '%s' && "
				"e2fsck -fn '%s')",
				dir, path, path);
	if (used >= sizeof(cmd) || ext2_img_run(cmd, out, sizeof(out))) {
		fprintf(stderr, "ext2_fuzz: %s\n%s", cmd, out);
		exit(2);
	}
	img->name = s->name;
	img->data = ext2_img_read_path(path, &img->size);
	unlink(path);
}

static void build_all(void)
{
	char dir[] = "/tmp/ext2-fuzz-XXXXXX", cmd[64], out[256];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	write_host_file(dir, "empty", 0, 0, 0);
	write_host_file(dir, "small", 100, 0, 0);
	write_host_file(dir, "blk", 5000, 0, 0);
	write_host_file(dir, "ind", 20 * 1024 + 7, 0, 0);
	write_host_file(dir, "dind", 300 * 1024, 0, 0);
	write_host_file(dir, "sparse", 1200 * 1024, 8192, 1100 * 1024);
	for (unsigned int i = 0; i < NR_IMAGES; i++)
		build_one(&images[i], &specs[i], dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ext2_img_run(cmd, out, sizeof(out));
}

/* ---- little-endian access ---- */

uint32_t fz_get(const uint8_t *data, const struct fz_field *f)
{
	uint32_t v = 0;

	for (int i = f->width - 1; i >= 0; i--)
		v = v << 8 | data[f->off + (uint32_t)i];
	return v;
}

void fz_put(uint8_t *data, uint32_t off, uint8_t width, uint32_t v)
{
	for (unsigned int i = 0; i < width; i++, v >>= 8)
		data[off + i] = (uint8_t)v;
}

static uint32_t rd(const struct fz_image *img, uint64_t off, uint8_t width)
{
	struct fz_field f = { .off = (uint32_t)off, .width = width };

	if (off + width > img->size)
		return 0;
	return fz_get(img->data, &f);
}

/* ---- finding the fields ---- */

static void add(struct fz_image *img, enum fz_kind kind, uint64_t off,
		uint8_t width, const char *name, uint32_t ino)
{
	if (img->nr_fields == MAX_FIELDS || off + width > img->size)
		return;
	img->fields[img->nr_fields++] = (struct fz_field){
		.off = (uint32_t)off,
		.width = width,
		.kind = (uint8_t)kind,
		.name = name,
		.ino = ino,
	};
	img->nr_kind[kind]++;
}

struct named {
	uint16_t off;
	uint8_t width;
	const char *name;
};

static const struct named sb_fields[] = {
	{ 0, 4, "sb.s_inodes_count" },
	{ 4, 4, "sb.s_blocks_count" },
	{ 8, 4, "sb.s_r_blocks_count" },
	{ 12, 4, "sb.s_free_blocks_count" },
	{ 16, 4, "sb.s_free_inodes_count" },
	{ 20, 4, "sb.s_first_data_block" },
	{ 24, 4, "sb.s_log_block_size" },
	{ 28, 4, "sb.s_log_frag_size" },
	{ 32, 4, "sb.s_blocks_per_group" },
	{ 36, 4, "sb.s_frags_per_group" },
	{ 40, 4, "sb.s_inodes_per_group" },
	{ 56, 2, "sb.s_magic" },
	{ 58, 2, "sb.s_state" },
	{ 60, 2, "sb.s_errors" },
	{ 76, 4, "sb.s_rev_level" },
	{ 84, 4, "sb.s_first_ino" },
	{ 88, 2, "sb.s_inode_size" },
	{ 90, 2, "sb.s_block_group_nr" },
	{ 92, 4, "sb.s_feature_compat" },
	{ 96, 4, "sb.s_feature_incompat" },
	{ 100, 4, "sb.s_feature_ro_compat" },
	{ 206, 2, "sb.s_reserved_gdt_blocks" },
};

static const struct named gd_fields[] = {
	{ 0, 4, "gd.bg_block_bitmap" },
	{ 4, 4, "gd.bg_inode_bitmap" },
	{ 8, 4, "gd.bg_inode_table" },
	{ 12, 2, "gd.bg_free_blocks_count" },
	{ 14, 2, "gd.bg_free_inodes_count" },
	{ 16, 2, "gd.bg_used_dirs_count" },
};

static const struct named inode_fields[] = {
	{ 0, 2, "inode.i_mode" },	{ 4, 4, "inode.i_size" },
	{ 20, 4, "inode.i_dtime" },	{ 26, 2, "inode.i_links_count" },
	{ 28, 4, "inode.i_blocks" },	{ 32, 4, "inode.i_flags" },
	{ 104, 4, "inode.i_file_acl" }, { 108, 4, "inode.i_size_high" },
};

static const char *const i_block_names[] = {
	"inode.i_block[0]",  "inode.i_block[1]",  "inode.i_block[2]",
	"inode.i_block[3]",  "inode.i_block[4]",  "inode.i_block[5]",
	"inode.i_block[6]",  "inode.i_block[7]",  "inode.i_block[8]",
	"inode.i_block[9]",  "inode.i_block[10]", "inode.i_block[11]",
	"inode.i_block[12]", "inode.i_block[13]", "inode.i_block[14]",
};

static uint64_t gd_off(const struct fz_image *img, uint32_t group)
{
	uint32_t first = rd(img, 1024 + 20, 4);

	return (uint64_t)(first + 1) * img->block_size + 32ull * group;
}

static uint32_t inode_size(const struct fz_image *img)
{
	return rd(img, 1024 + 76, 4) ? rd(img, 1024 + 88, 2) : 128;
}

static uint64_t inode_off(const struct fz_image *img, uint32_t ino)
{
	uint32_t group = (ino - 1) / img->inodes_per_group;
	uint32_t index = (ino - 1) % img->inodes_per_group;
	uint32_t table = rd(img, gd_off(img, group) + 8, 4);

	return (uint64_t)table * img->block_size +
	       (uint64_t)index * inode_size(img);
}

static bool inode_used(const struct fz_image *img, uint32_t ino)
{
	uint32_t group = (ino - 1) / img->inodes_per_group;
	uint32_t index = (ino - 1) % img->inodes_per_group;
	uint64_t bitmap = rd(img, gd_off(img, group) + 4, 4);

	return rd(img, bitmap * img->block_size + index / 8, 1) >> (index % 8) &
	       1;
}

static void add_dir_block(struct fz_image *img, uint32_t block, uint32_t ino)
{
	uint64_t base = (uint64_t)block * img->block_size;

	for (uint32_t pos = 0; pos + 8 <= img->block_size;) {
		uint32_t rec_len = rd(img, base + pos + 4, 2);

		add(img, FZ_DIRENT, base + pos, 4, "dirent.inode", ino);
		add(img, FZ_DIRENT, base + pos + 4, 2, "dirent.rec_len", ino);
		add(img, FZ_DIRENT, base + pos + 6, 1, "dirent.name_len", ino);
		add(img, FZ_DIRENT, base + pos + 7, 1, "dirent.file_type", ino);
		if (rec_len < 8)
			break;
		pos += rec_len;
	}
}

/* The entries of an indirect block of depth levels (1: single). */
static void add_indirect(struct fz_image *img, uint32_t block, int depth,
			 uint32_t ino, bool dir)
{
	uint64_t base = (uint64_t)block * img->block_size;

	if (!block || block >= img->blocks_count)
		return;
	for (uint32_t i = 0; i < img->block_size / 4; i++) {
		uint32_t child = rd(img, base + 4 * i, 4);

		/* The first entries and the used ones: holes become blocks too. */
		if (!child && i >= 4)
			continue;
		add(img, FZ_INDIRECT, base + 4 * i, 4, "indirect.entry", ino);
		if (depth > 1)
			add_indirect(img, child, depth - 1, ino, dir);
		else if (dir && child)
			add_dir_block(img, child, ino);
	}
}

static void add_inode(struct fz_image *img, uint32_t ino)
{
	uint64_t off = inode_off(img, ino);
	uint16_t mode = (uint16_t)rd(img, off, 2);
	bool dir = (mode & 0xf000) == 0x4000;
	bool fast = (mode & 0xf000) == 0xa000 && !rd(img, off + 28, 4);

	for (size_t i = 0; i < sizeof(inode_fields) / sizeof(*inode_fields);
	     i++)
		add(img, FZ_INODE, off + inode_fields[i].off,
		    inode_fields[i].width, inode_fields[i].name, ino);
	for (int i = 0; i < 15; i++)
		add(img, FZ_INODE, off + 40 + 4 * i, 4, i_block_names[i], ino);
	if (fast)
		return;
	for (int i = 0; i < 12 && dir; i++) {
		uint32_t b = rd(img, off + 40 + 4 * i, 4);

		if (b && b < img->blocks_count)
			add_dir_block(img, b, ino);
	}
	for (int i = 0; i < 3; i++)
		add_indirect(img, rd(img, off + 40 + 4 * (12 + i), 4), i + 1,
			     ino, dir);
}

static void add_groups(struct fz_image *img)
{
	uint32_t groups = (img->blocks_count - rd(img, 1024 + 20, 4) +
			   img->blocks_per_group - 1) /
			  img->blocks_per_group;

	for (uint32_t g = 0; g < groups; g++) {
		uint64_t gd = gd_off(img, g);

		for (size_t i = 0; i < sizeof(gd_fields) / sizeof(*gd_fields);
		     i++)
			add(img, FZ_GROUP_DESC, gd + gd_fields[i].off,
			    gd_fields[i].width, gd_fields[i].name, 0);
		for (uint32_t i = 0; i < img->blocks_per_group / 8; i += 4)
			add(img, FZ_BITMAP,
			    (uint64_t)rd(img, gd, 4) * img->block_size + i, 4,
			    "bitmap.block", 0);
		for (uint32_t i = 0; i < img->inodes_per_group / 8; i += 4)
			add(img, FZ_BITMAP,
			    (uint64_t)rd(img, gd + 4, 4) * img->block_size + i,
			    4, "bitmap.inode", 0);
	}
}

static void parse(struct fz_image *img)
{
	img->block_size = 1024u << rd(img, 1024 + 24, 4);
	img->inodes_count = rd(img, 1024, 4);
	img->blocks_count = rd(img, 1024 + 4, 4);
	img->blocks_per_group = rd(img, 1024 + 32, 4);
	img->inodes_per_group = rd(img, 1024 + 40, 4);
	img->fields = calloc(MAX_FIELDS, sizeof(*img->fields));
	if (!img->fields)
		exit(2);
	for (size_t i = 0; i < sizeof(sb_fields) / sizeof(*sb_fields); i++)
		add(img, FZ_SUPER, 1024 + sb_fields[i].off, sb_fields[i].width,
		    sb_fields[i].name, 0);
	add_groups(img);
	for (uint32_t ino = 1; ino <= img->inodes_count; ino++)
		if ((ino == 2 || ino >= 11) && inode_used(img, ino))
			add_inode(img, ino);
}

unsigned int fz_nr_images(void)
{
	return NR_IMAGES;
}

const struct fz_image *fz_image(unsigned int i)
{
	if (!built) {
		build_all();
		for (unsigned int j = 0; j < NR_IMAGES; j++)
			parse(&images[j]);
		built = true;
	}
	return i < NR_IMAGES ? &images[i] : NULL;
}

const struct fz_field *fz_find_field(const struct fz_image *img,
				     const char *name, uint32_t ino)
{
	for (unsigned int i = 0; i < img->nr_fields; i++)
		if (!strcmp(img->fields[i].name, name) &&
		    (!ino || img->fields[i].ino == ino))
			return &img->fields[i];
	return NULL;
}

/* ---- host-side lookup, for the regression tests ---- */

static uint32_t find_in_dir(const struct fz_image *img, uint32_t dir,
			    const char *name, size_t len)
{
	uint64_t off = inode_off(img, dir);

	for (int i = 0; i < 12; i++) {
		uint64_t base = (uint64_t)rd(img, off + 40 + 4 * i, 4) *
				img->block_size;

		for (uint32_t pos = 0; base && pos + 8 <= img->block_size;) {
			uint32_t rec_len = rd(img, base + pos + 4, 2);
			uint32_t name_len = rd(img, base + pos + 6, 1);

			if (name_len == len &&
			    !memcmp(img->data + base + pos + 8, name, len))
				return rd(img, base + pos, 4);
			if (rec_len < 8)
				break;
			pos += rec_len;
		}
	}
	return 0;
}

uint32_t fz_ino_of(unsigned int image, const char *path)
{
	const struct fz_image *img = fz_image(image);
	uint32_t ino = 2;

	while (ino && *path) {
		const char *end;

		while (*path == '/')
			path++;
		end = strchrnul(path, '/');
		if (end > path)
			ino = find_in_dir(img, ino, path, (size_t)(end - path));
		path = end;
	}
	return ino;
}

/* ---- corrupting ---- */

static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Values that sit on the edges the driver must check. */
static uint32_t interesting(const struct fz_image *img, uint32_t old,
			    uint8_t width, uint64_t *rs)
{
	const uint32_t v32[] = {
		0,
		1,
		2,
		0xffffffff,
		0x7fffffff,
		0x80000000,
		img->blocks_count,
		img->blocks_count - 1,
		img->blocks_count + 1,
		img->inodes_count,
		img->inodes_count + 1,
		img->block_size,
		img->block_size - 1,
		img->block_size + 1,
		img->blocks_per_group,
		img->inodes_per_group,
		11,
		12,
		0x10000,
		old + 1,
		old - 1,
	};
	const uint32_t v16[] = {
		0,
		1,
		0xffff,
		0x7fff,
		0x8000,
		(uint16_t)img->block_size,
		(uint16_t)(img->block_size + 4),
		(uint16_t)(img->block_size - 4),
		4,
		8,
		12,
		0x41ed,
		0x81a4,
		0xa1ff,
		0x1000,
		0xf000,
		old + 1,
		old - 1,
	};
	const uint32_t v8[] = { 0,    1,    2,	  7,	   8,
				0x7f, 0x80, 0xff, old + 1, old - 1 };
	uint64_t r = next(rs);

	if (width == 4)
		return v32[r % (sizeof(v32) / sizeof(*v32))];
	if (width == 2)
		return v16[r % (sizeof(v16) / sizeof(*v16))] & 0xffff;
	return v8[r % (sizeof(v8) / sizeof(*v8))] & 0xff;
}

static const struct fz_field *pick(const struct fz_image *img, uint64_t *rs)
{
	unsigned int kinds[FZ_NR_KINDS], nr = 0, kind, k;

	for (unsigned int i = 0; i < FZ_NR_KINDS; i++)
		if (img->nr_kind[i])
			kinds[nr++] = i;
	kind = kinds[next(rs) % nr];
	k = (unsigned int)(next(rs) % img->nr_kind[kind]);
	for (unsigned int i = 0; i < img->nr_fields; i++)
		if (img->fields[i].kind == kind && !k--)
			return &img->fields[i];
	return NULL;
}

static void mutate(const struct fz_image *img, uint8_t *data, uint64_t *rs,
		   struct fz_mutation *m)
{
	const struct fz_field *f = pick(img, rs);
	unsigned int how = (unsigned int)(next(rs) % 20);
	uint32_t mask;

	m->field = f;
	m->off = f->off;
	m->width = f->width;
	if (how >= 18) {
		/* Any byte of the block holding the field. */
		m->width = 1;
		m->off = f->off - f->off % img->block_size +
			 (uint32_t)(next(rs) % img->block_size);
		m->field = NULL;
	}
	{
		struct fz_field at = { .off = m->off, .width = m->width };

		m->old = fz_get(data, &at);
	}
	mask = m->width == 4 ? 0xffffffff : (1u << 8 * m->width) - 1;
	if (how < 9)
		m->new = interesting(img, m->old, m->width, rs);
	else if (how < 13)
		m->new = (uint32_t)next(rs) & mask;
	else
		m->new = m->old ^ 1u << (next(rs) % (8 * m->width));
	m->new &= mask;
	fz_put(data, m->off, m->width, m->new);
}

uint8_t *fz_corrupt(uint64_t seed, unsigned int *image, struct fz_mutation *mut,
		    unsigned int *nr_mut)
{
	uint64_t rs = seed;
	const struct fz_image *img;
	uint8_t *data;

	*image = (unsigned int)(next(&rs) % NR_IMAGES);
	img = fz_image(*image);
	data = malloc(img->size);
	if (!data)
		exit(2);
	memcpy(data, img->data, img->size);
	*nr_mut = 1 + (unsigned int)(next(&rs) % 8 == 0 ?
					     next(&rs) % FZ_MAX_MUTATIONS :
					     0);
	for (unsigned int i = 0; i < *nr_mut; i++)
		mutate(img, data, &rs, &mut[i]);
	return data;
}

void fz_describe(const struct fz_mutation *m, char *buf, size_t len)
{
	if (m->field && m->field->ino)
		snprintf(buf, len, "%s of ino %u at 0x%x: 0x%x -> 0x%x",
			 m->field->name, m->field->ino, m->off, m->old, m->new);
	else
		snprintf(buf, len, "%s at 0x%x: 0x%x -> 0x%x",
			 m->field ? m->field->name : "byte", m->off, m->old,
			 m->new);
}
