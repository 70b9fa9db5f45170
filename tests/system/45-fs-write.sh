#!/bin/sh
# Writing ext2 from the shell, on virtio (1 KiB blocks) and AHCI (4 KiB):
# create, overwrite, append, a hole at the start, a hole in the middle,
# truncate down and up, mkdir/mv/rmdir/rm, a symlink; data synced, the
# cache dropped and read back. After power-off the host's e2fsck finds
# the file system clean and debugfs dumps equal the splitmix64 streams.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

fs_images
cat >"$TMP/cmds" <<'CMDS'
mkdir /w
write /w/create 0 100000 11
write /w/over 0 50000 12
write /w/over 0 50000 13
write /w/append 0 3000 14
write /w/append 3000 5000 15
write /w/hole 1000000 4096 16
write /w/mid 0 8192 21
write /w/mid 300000 8192 22
write /w/trunc 0 300000 17
truncate /w/trunc 70000
truncate /w/trunc 200000
mkdir /w/d1
mkdir /w/d1/d2
write /w/d1/d2/f 0 5000 18
mv /w/d1/d2/f /w/moved
rmdir /w/d1/d2
mv /w/d1 /w/d1renamed
write /w/gone 0 20000 19
rm /w/gone
write /w/victim 0 100 23
mv /w/moved /w/victim
symlink victim /w/lnk
rm /sizes/s_1
rmdir /empty_dir
fsync /w/create
sync
drop_caches
sha256 /w/over
sha256 /w/lnk
stat /w/hole
ls /w
CMDS
for case in "ext2-1k virtio" "ext2-4k ahci"; do
	set -- $case
	img=$1 bus=$2
	disk=$(fs_copy "$img")
	out=$TMP/$img-$bus
	boot "$out" --disk "$disk" --bus "$bus" <"$TMP/cmds"
	expect_rc 0
	expect_no_grep "$out" '^error:'
	expect_line "$out" "$(python3 scripts/stream.py 13 50000 | sha256sum | cut -c1-64)  /w/over"
	expect_line "$out" "$(python3 scripts/stream.py 18 5000 | sha256sum | cut -c1-64)  /w/lnk"
	expect_grep "$out" '^ino=[0-9]+ mode=0100644 links=1 size=1004096 blocks=[0-9]+$'
	fs_expect_ls "$out" "$disk" /w
	fs_fsck "$disk"
	python3 tests/system/fs-check-files.py "$disk" \
		/w/create=11:100000 /w/over=13:50000 /w/append=14:3000+15:5000 \
		/w/hole=z:1000000+16:4096 /w/mid=21:8192+z:291808+22:8192 \
		/w/trunc=17:70000+z:130000 /w/victim=18:5000 /w/moved=- \
		/w/gone=- /w/d1renamed/d2=- /sizes/s_1=- /empty_dir=- \
		>"$TMP/check" || fail "$img: $(tr '\n' '|' <"$TMP/check")"
	[ "$(debugfs -R 'stat /w/lnk' "$disk" 2>/dev/null |
		sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')" = victim ] ||
		fail "$img: /w/lnk is not a fast symlink to victim"
done
finish
