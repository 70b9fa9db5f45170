# Helpers for the driver system tests 30-39 (sourced after lib.sh).
#
#	make_stream_disk IMG SEED MIB		raw image of the SEED stream
#	host_sectors_sha IMG LBA COUNT		sha256 of those sectors
#	stream_sha SEED BYTES			sha256 of the stream's first BYTES
#	expect_blkread OUT IMG DEV LBA COUNT	the kernel's hash line matches

make_stream_disk()
{
	python3 scripts/stream.py "$2" $(($3 * 1024 * 1024)) >"$1"
}

host_sectors_sha()
{
	dd if="$1" bs=512 skip="$2" count="$3" status=none | sha256sum |
		cut -d' ' -f1
}

stream_sha()
{
	python3 scripts/stream.py "$1" "$2" | sha256sum | cut -d' ' -f1
}

expect_blkread()
{
	want=$(host_sectors_sha "$2" "$4" "$5")
	expect_line "$1" "$want  $3 $4 $5"
}

# A blkdebug rule failing every read (or write) that overlaps SECTOR.
blkdebug_conf()
{
	cat <<CONF
[inject-error]
event = "$2_aio"
iotype = "$2"
errno = "5"
sector = "$1"
CONF
}
