#!/bin/sh
# Damaged images (tests/images/build's corrupt/INDEX): each gives an
# error line at mount (no root: file commands fail with ENOENT) or on
# access to the damaged path, never a panic or a hang (exit status 1,
# not 2 or 124), and the rest of the tree stays readable: a good file
# hashes right and verify passes all but a few files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

fs_images
good=$IMAGES/ext2-1k.img
nfiles=$(wc -l <"$IMAGES/ext2-1k.sha256")
# A small good file: the image's own list of its big files.
big1="$(sha256sum <"$IMAGES/ext2-1k.big.sha256" | cut -c1-64)  /MANIFEST-big.sha256"
n=0
grep -v '^#' "$IMAGES/corrupt/INDEX" | while IFS='	' read -r img when path what; do
	n=$((n + 1))
	cp "$IMAGES/corrupt/$img" "$TMP/$img"
	out=$TMP/${img%.img}
	echo "== $img: $when $path ($what)"
	case $when in
	mount)
		printf 'ls /\nmount\n' | QEMU_TIMEOUT=60 boot "$out" --disk "$TMP/$img"
		expect_rc 1
		expect_line "$out" "vfs: no root file system"
		expect_line "$out" "error: ls: /: no such file or directory (ENOENT)"
		;;
	mount-ro)
		printf 'write /new 0 10 1\nmkdir /newdir\nverify -q /MANIFEST.sha256\n' |
			QEMU_TIMEOUT=60 boot "$out" --disk "$TMP/$img"
		expect_rc 1
		expect_line "$out" "vfs: mounted ext2 on vda at / (read-only)"
		expect_line "$out" "error: write: /new: read-only file system (EROFS)"
		expect_line "$out" "error: mkdir: /newdir: read-only file system (EROFS)"
		expect_line "$out" "verify: $nfiles passed, 0 failed"
		;;
	access)
		if debugfs -R "stat $path" "$good" 2>/dev/null | grep -q 'Type: directory'; then
			cmd=ls
		else
			cmd=sha256
		fi
		printf '%s %s\nsha256 %s\nverify -q /MANIFEST.sha256\n' "$cmd" "$path" \
			"${big1##* }" | QEMU_TIMEOUT=60 boot "$out" --disk "$TMP/$img"
		expect_rc 1
		expect_grep "$out" "^error: $cmd: $path: .* \\(E[A-Z]+\\)\$"
		expect_line "$out" "$big1"
		passed=$(sed -n 's/^verify: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
		failed=$(sed -n 's/^verify: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
		[ -n "$passed" ] && [ "$passed" -ge $((nfiles - 100)) ] && [ "$failed" -ge 1 ] ||
			fail "$img: verify: ${passed:-?} passed, ${failed:-?} failed of $nfiles"
		;;
	*)
		fail "$img: unknown case '$when'"
		;;
	esac
	expect_no_grep "$out" 'panic|PANIC|page fault'
	echo "$failures" >"$TMP/failures"
done
failures=$(cat "$TMP/failures" 2>/dev/null || echo 1)
finish
