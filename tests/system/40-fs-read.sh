#!/bin/sh
# Reading ext2 through the VFS, on virtio and AHCI, with 1, 2 and 4 KiB
# blocks: `verify` hashes every file of the image's manifest (~1000
# files: sizes around block and page boundaries, holes, indirect blocks,
# fragmented files, a directory of 1000 entries, deep paths); `ls` and
# `stat` agree with debugfs; symlinks (fast, slow, relative, absolute,
# through a directory) resolve; and the session ends in a clean unmount
# that leaves e2fsck nothing to say.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

fs_images
for img in ext2-1k ext2-2k ext2-4k; do
	nfiles=$(wc -l <"$IMAGES/$img.sha256")
	for bus in virtio ahci; do
		disk=$(fs_copy "$img")
		out=$TMP/$img-$bus
		dev=vda
		[ "$bus" = ahci ] && dev=sda
		# virtio lists every file; AHCI only failures (same work, less text).
		q=
		[ "$bus" = ahci ] && q=-q
		cat >"$TMP/cmds" <<CMDS
verify $q /MANIFEST.sha256
ls /links
ls /
stat /sizes/s_4097
stat /links/fast
stat /holes
stat /links/dir/d01/d02
sha256 /links/fast
sha256 /links/abs
sha256 /links/slow
sha256 /links/slow60
readlink /links/slow
cat /MANIFEST-big.sha256
CMDS
		boot "$out" --disk "$disk" --bus "$bus" <"$TMP/cmds"
		expect_rc 0
		expect_grep "$out" "^vfs: mounted ext2 on $dev at /( \\(read-only\\))?\$"
		expect_line "$out" "verify: $nfiles passed, 0 failed"
		if [ -z "$q" ]; then
			oks=$(grep -c ': OK$' "$out")
			[ "$oks" -eq "$nfiles" ] || fail "$oks OK lines, want $nfiles"
		fi
		fs_expect_ls "$out" "$disk" /links
		fs_expect_ls "$out" "$disk" /
		fs_expect_stat "$out" "$disk" /sizes/s_4097
		fs_expect_stat "$out" "$disk" /links/fast
		fs_expect_stat "$out" "$disk" /holes
		fs_expect_stat "$out" "$disk" /deep/d01/d02
		h4096=$(grep '  /sizes/s_4096$' "$IMAGES/$img.sha256" | cut -c1-64)
		h1=$(grep '  /sizes/s_1$' "$IMAGES/$img.sha256" | cut -c1-64)
		hleaf=$(grep '/leaf$' "$IMAGES/$img.sha256" | cut -c1-64)
		expect_line "$out" "$h4096  /links/fast"
		expect_line "$out" "$h1  /links/abs"
		expect_line "$out" "$hleaf  /links/slow"
		expect_line "$out" "$h1  /links/slow60"
		expect_line "$out" "$(debugfs -R 'stat /links/slow' "$disk" 2>/dev/null |
			sed -n 's/^Fast link dest: "\(.*\)"$/\1/p' | grep . ||
			python3 -c 'import sys; sys.path.insert(0, "tests/images"); import tree; print(tree.SYMLINKS["/links/slow"])')"
		while read -r line; do
			expect_line "$out" "$line"
		done <"$IMAGES/$img.big.sha256"
		expect_no_grep "$out" '^error:'
		fs_fsck "$disk"
	done
done
finish
