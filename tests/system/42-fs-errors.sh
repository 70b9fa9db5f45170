#!/bin/sh
# Path and name-space errors reach the shell as one error line each, with
# the errno POSIX gives, and the session goes on: symlink loops (ELOOP),
# dangling links and missing names (ENOENT), a file used as a directory
# (ENOTDIR), a directory as a file (EISDIR), a non-empty rmdir
# (ENOTEMPTY), a directory moved into itself (EINVAL); and the file
# system is still clean afterwards. (ENAMETOOLONG needs a 256-byte name,
# longer than a shell line: the host tests cover it.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

fs_images
disk=$(fs_copy ext2-4k)
out=$TMP/errors
cat >"$TMP/cmds" <<'CMDS'
cat /links/loop1
cat /links/dangling
cat /sizes/s_1/x
ls /sizes/s_1/
cat /sizes
rmdir /deep
mv /deep /deep/d01/x
mkdir /sizes
rm /nope
write /sizes 0 1 1
stat /./sizes/../sizes//s_1
echo still here
CMDS
boot "$out" --disk "$disk" <"$TMP/cmds"
expect_rc 1
expect_line "$out" "error: cat: /links/loop1: too many levels of symbolic links (ELOOP)"
expect_line "$out" "error: cat: /links/dangling: no such file or directory (ENOENT)"
expect_line "$out" "error: cat: /sizes/s_1/x: not a directory (ENOTDIR)"
expect_line "$out" "error: ls: /sizes/s_1/: not a directory (ENOTDIR)"
expect_line "$out" "error: cat: /sizes: is a directory (EISDIR)"
expect_line "$out" "error: rmdir: /deep: directory not empty (ENOTEMPTY)"
expect_line "$out" "error: mv: /deep -> /deep/d01/x: invalid argument (EINVAL)"
expect_line "$out" "error: mkdir: /sizes: file exists (EEXIST)"
expect_line "$out" "error: rm: /nope: no such file or directory (ENOENT)"
expect_line "$out" "error: write: /sizes: is a directory (EISDIR)"
fs_expect_stat "$out" "$disk" /sizes/s_1
expect_line "$out" "still here"
[ "$(grep -c '^error:' "$out")" -eq 10 ] || fail "want 10 error lines"
fs_fsck "$disk"
finish
