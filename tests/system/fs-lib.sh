# Helpers for the file system tests (sourced after lib.sh).
#
#	fs_images			build $BUILD/images if missing
#	fs_copy NAME			a scratch copy of NAME.img; prints its path
#	fs_expect_stat OUT IMG PATH	OUT has the `stat PATH` line debugfs implies
#	fs_expect_ls OUT IMG DIR	OUT has the `ls DIR` lines debugfs implies
#	fs_fsck IMG			e2fsck -fn finds IMG clean

IMAGES=$BUILD/images

fs_images()
{
	[ -f "$IMAGES/ext2-4k.img" ] && [ -f "$IMAGES/corrupt/INDEX" ] && return 0
	tests/images/build "$IMAGES" >/dev/null || { echo "image build failed"; exit 1; }
}

fs_copy()
{
	cp "$IMAGES/$1.img" "$TMP/$1.img"
	echo "$TMP/$1.img"
}

# debugfs's view of an inode, in our stat format.
fs_debugfs_stat()
{
	debugfs -R "stat $2" "$1" 2>/dev/null | python3 -c '
import re, sys
t = sys.stdin.read()
types = {"regular": 0o100000, "directory": 0o040000, "symlink": 0o120000}
m = re.search(r"Inode: (\d+)\s+Type: (\w+)\s+Mode:\s+(\d+)", t)
size = re.search(r"Size: (\d+)", t).group(1)
links, blocks = re.search(r"Links: (\d+)\s+Blockcount: (\d+)", t).groups()
mode = types[m.group(2)] | int(m.group(3), 8)
print("ino=%s mode=0%06o links=%s size=%s blocks=%s" %
      (m.group(1), mode, links, size, blocks))'
}

fs_expect_stat()
{
	want=$(fs_debugfs_stat "$2" "$3")
	[ -n "$want" ] || { fail "debugfs stat $3 failed"; return; }
	expect_line "$1" "$want"
}

# debugfs `ls -l` lines -> "<type> <perm> <size> <name>", in disk order.
fs_debugfs_ls()
{
	debugfs -R "ls -l $2" "$1" 2>/dev/null | python3 -c '
import sys
letters = {0o04: "d", 0o10: "-", 0o12: "l", 0o02: "c", 0o06: "b", 0o01: "p", 0o14: "s"}
for line in sys.stdin:
    f = line.split()
    if len(f) < 9:
        continue
    mode = int(f[1], 8)
    print("%s %04o %s %s" % (letters.get(mode >> 12, "?"), mode & 0o7777,
                             f[5], " ".join(f[8:])))'
}

fs_expect_ls()
{
	fs_debugfs_ls "$2" "$3" >"$TMP/want.ls"
	[ -s "$TMP/want.ls" ] || { fail "debugfs ls $3 failed"; return; }
	# The listing is the lines right after the command's echo.
	n=$(wc -l <"$TMP/want.ls")
	start=$(line_no "$1" "\$ ls $3")
	[ "$start" -gt 0 ] || { fail "no 'ls $3' in the output"; return; }
	tail -n "+$((start + 1))" "$1" | head -n "$n" >"$TMP/got.ls"
	cmp -s "$TMP/want.ls" "$TMP/got.ls" ||
		fail "ls $3 differs from debugfs: $(diff "$TMP/want.ls" "$TMP/got.ls" | head -n 5 | tr '\n' '|')"
}

fs_fsck()
{
	e2fsck -fn "$1" >"$TMP/fsck.out" 2>&1 ||
		fail "e2fsck -fn $(basename "$1"): $(tail -n 5 "$TMP/fsck.out" | tr '\n' '|')"
}
