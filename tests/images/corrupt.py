"""Damaged copies of a good image, for the mount checks and the error paths.

Each corruption patches a few bytes of a copy of ext2-1k.img after finding
the structure: debugfs names the inode of a path, the rest (superblock,
group descriptors, inode table, indirect and directory blocks) is decoded
here, so the offsets are computed the way the kernel computes them.
corrupt/INDEX lists, tab-separated: image, when the kernel must notice
(mount / mount-ro / access), the path that must fail ("-" for the whole
file system) and what is wrong. The rest of the tree stays readable.
"""

import os
import shutil
import struct
import subprocess
import sys

SB_OFFSET = 1024


class Image:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = bytearray(f.read())
        self.block_size = 1024 << self.sb_u32(24)
        self.blocks_count = self.sb_u32(4)
        self.inodes_count = self.sb_u32(0)
        self.first_data_block = self.sb_u32(20)
        self.inodes_per_group = self.sb_u32(40)
        self.blocks_per_group = self.sb_u32(32)
        rev = self.sb_u32(76)
        self.inode_size = self.sb_u16(88) if rev else 128

    def save(self):
        with open(self.path, "wb") as f:
            f.write(self.data)

    def u32(self, off):
        return struct.unpack_from("<I", self.data, off)[0]

    def put_u32(self, off, v):
        struct.pack_into("<I", self.data, off, v)

    def u16(self, off):
        return struct.unpack_from("<H", self.data, off)[0]

    def put_u16(self, off, v):
        struct.pack_into("<H", self.data, off, v)

    def sb_u32(self, field):
        return self.u32(SB_OFFSET + field)

    def sb_u16(self, field):
        return self.u16(SB_OFFSET + field)

    def block_off(self, block):
        return block * self.block_size

    def gd_off(self, group):
        return self.block_off(self.first_data_block + 1) + 32 * group

    def inode_off(self, ino):
        group, index = divmod(ino - 1, self.inodes_per_group)
        table = self.u32(self.gd_off(group) + 8)
        return self.block_off(table) + index * self.inode_size

    def i_block(self, ino, n):
        return self.u32(self.inode_off(ino) + 40 + 4 * n)

    def ino_of(self, path):
        out = subprocess.run(["debugfs", "-R", "stat " + path, self.path],
                             capture_output=True, text=True).stdout
        for word in out.split():
            if word.isdigit():
                return int(word)
        sys.exit("corrupt: no inode for %s in %s" % (path, self.path))

    def dirent_offsets(self, dir_path):
        """Offsets of the entries in the directory's first block."""
        base = self.block_off(self.i_block(self.ino_of(dir_path), 0))
        offs, pos = [], 0
        while pos < self.block_size:
            offs.append(base + pos)
            pos += self.u16(base + pos + 4)
        return offs

    def set_bitmap_bits(self, block, count, value):
        for b in range(block, block + count):
            group, bit = divmod(b - self.first_data_block,
                                self.blocks_per_group)
            bitmap = self.block_off(self.u32(self.gd_off(group)))
            byte = bitmap + bit // 8
            if value:
                self.data[byte] |= 1 << (bit % 8)
            else:
                self.data[byte] &= ~(1 << (bit % 8)) & 0xFF


def _sb(field, fn):
    def patch(img):
        img.put_u32(SB_OFFSET + field, fn(img.sb_u32(field)))
    return patch


def _bad_magic(img):
    img.put_u16(SB_OFFSET + 56, 0x1234)


def _gd_inode_table(img):
    img.put_u32(img.gd_off(1) + 8, img.blocks_count + 10)


def _inode_block(path, n, value):
    def patch(img):
        img.put_u32(img.inode_off(img.ino_of(path)) + 40 + 4 * n,
                    value(img))
    return patch


def _indirect_entry(img):
    ind = img.i_block(img.ino_of("/indirect/dense"), 12)
    img.put_u32(img.block_off(ind), img.blocks_count + 5)


def _absurd_size(img):
    off = img.inode_off(img.ino_of("/sizes/s_1"))
    img.put_u32(off + 4, 0xFFFFFFF0)
    img.put_u32(off + 108, 0x7FFFFFFF)


def _bad_mode(img):
    off = img.inode_off(img.ino_of("/sizes/s_2048"))
    img.put_u16(off, 0xF000 | 0o644)


def _rec_len(dir_path, entry, value):
    def patch(img):
        img.put_u16(img.dirent_offsets(dir_path)[entry] + 4, value(img))
    return patch


def _dirent_inode(img):
    offs = img.dirent_offsets("/names")
    for off in offs:
        name_len = img.data[off + 6]
        if img.data[off + 8:off + 8 + name_len] == b"x":
            img.put_u32(off, img.inodes_count + 5)
            return
    sys.exit("corrupt: /names/x not in the first block")


def _used_as_free(img):
    ino = img.ino_of("/sizes/s_16384")
    img.set_bitmap_bits(img.i_block(ino, 0), 16384 // img.block_size, 0)


def _free_as_used(img):
    # The last 20 blocks of group 1 are free in a 32 MiB image.
    end = img.first_data_block + 2 * img.blocks_per_group
    img.set_bitmap_bits(end - 20, 20, 1)


# name: (when the kernel notices, path that fails, description, patch)
CORRUPTIONS = {
    "sb-bad-magic": ("mount", "-", "s_magic is 0x1234", _bad_magic),
    "sb-bad-log-block-size": ("mount", "-", "s_log_block_size 3 (8 KiB)",
                              _sb(24, lambda v: 3)),
    "sb-incompat-extents": ("mount", "-", "INCOMPAT_EXTENTS (0x40) set",
                            _sb(96, lambda v: v | 0x40)),
    "sb-rocompat-dir-nlink": ("mount-ro", "-",
                              "RO_COMPAT_DIR_NLINK (0x20) set: read-only",
                              _sb(100, lambda v: v | 0x20)),
    "sb-blocks-past-device": ("mount", "-",
                              "s_blocks_count twice the device",
                              _sb(4, lambda v: 2 * v)),
    "gd-inode-table-past-end": ("mount", "-",
                                "group 1's bg_inode_table past the end",
                                _gd_inode_table),
    "inode-block-past-end": ("access", "/sizes/s_4096",
                             "i_block[0] past the end",
                             _inode_block("/sizes/s_4096", 0,
                                          lambda i: i.blocks_count + 1000)),
    "inode-ind-past-end": ("access", "/sizes/s_65537",
                           "i_block[12] (single indirect) past the end",
                           _inode_block("/sizes/s_65537", 12,
                                        lambda i: i.blocks_count + 7)),
    "indirect-entry-past-end": ("access", "/indirect/dense",
                                "first entry of the single indirect block "
                                "past the end", _indirect_entry),
    "inode-absurd-size": ("access", "/sizes/s_1",
                          "i_size 0x7fffffff_fffffff0", _absurd_size),
    "inode-bad-mode": ("access", "/sizes/s_2048",
                       "i_mode file type 0xf000", _bad_mode),
    "dir-reclen-zero": ("access", "/holes",
                        "third entry's rec_len 0 (a loop if trusted)",
                        _rec_len("/holes", 2, lambda i: 0)),
    "dir-reclen-overrun": ("access", "/names",
                           "'..' rec_len runs past the block end",
                           _rec_len("/names", 1,
                                    lambda i: i.block_size + 12)),
    "dir-reclen-unaligned": ("access", "/hardlink",
                             "'.' rec_len 13, not a multiple of 4",
                             _rec_len("/hardlink", 0, lambda i: 13)),
    "dir-reclen-short": ("access", "/deep/d01",
                         "'..' rec_len 8, shorter than its name needs",
                         _rec_len("/deep/d01", 1, lambda i: 8)),
    "dirent-inode-past-end": ("access", "/names/x",
                              "entry's inode number past s_inodes_count",
                              _dirent_inode),
    "bitmap-used-as-free": ("mount", "-",
                            "block bitmap says /sizes/s_16384's blocks are "
                            "free; counts unchanged", _used_as_free),
    "bitmap-free-as-used": ("mount", "-",
                            "block bitmap marks 20 free blocks used; counts "
                            "unchanged", _free_as_used),
}


FEATURES_ONLY = {"sb-incompat-extents", "sb-rocompat-dir-nlink"}


def build_all(base, outdir):
    os.makedirs(outdir, exist_ok=True)
    index = []
    for name, (when, path, what, patch) in CORRUPTIONS.items():
        img_path = os.path.join(outdir, name + ".img")
        shutil.copyfile(base, img_path)
        img = Image(img_path)
        patch(img)
        img.save()
        # A corruption e2fsck does not see is no corruption; a feature
        # flag is not damage, only something our kernel does not support.
        r = subprocess.run(["e2fsck", "-fn", img_path],
                           capture_output=True, text=True)
        if r.returncode == 0 and name not in FEATURES_ONLY:
            sys.exit("corrupt: %s: e2fsck finds it clean" % name)
        index.append("%s.img\t%s\t%s\t%s\n" % (name, when, path, what))
    with open(os.path.join(outdir, "INDEX"), "w") as f:
        f.write("# image\twhen\tpath\twhat\n")
        f.writelines(index)
