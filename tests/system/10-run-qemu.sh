#!/bin/sh
# scripts/run-qemu's own contract: --help names every option and status;
# a setup mistake (missing image, bad or too small --mem, unreadable
# blkdebug config, a bad option) is status 4 with a message naming it,
# before any boot; QEMU killed while stdin is still open is status 3,
# and run-qemu itself never dies of a signal.
. "$(dirname "$0")/lib.sh"

RQ=${RUN_QEMU:-scripts/run-qemu}

$RQ --help >"$TMP/help" 2>&1 || fail "--help exit status $?"
for word in --disk --bus --mem --timeout --accel --iso --command \
	'-- QEMU-ARGS'; do
	grep -qF -- "$word" "$TMP/help" || fail "--help does not name $word"
done
for st in 0 1 2 3 4 124 130; do
	grep -qE "^  $st +[a-zA-Z]" "$TMP/help" || fail "--help has no status $st"
done

# setup MESSAGE-REGEX RUN-QEMU-ARGS...: status 4, the cause named.
setup()
{
	want=$1
	shift
	echo "+ run-qemu $*"
	rc=0
	$RQ --iso "$ISO" "$@" </dev/null >"$TMP/out" 2>"$TMP/err" || rc=$?
	sed 's/^/  ! /' "$TMP/err"
	[ "$rc" = 4 ] || fail "run-qemu $*: status $rc, expected 4"
	grep -qE -- "$want" "$TMP/err" || fail "run-qemu $*: no /$want/"
	! grep -q 'kernel: booting' "$TMP/out" || fail "run-qemu $*: booted"
}
setup '/nonexistent\.img: no such disk image' --disk /nonexistent.img
setup '--mem bogus: not a size' --mem bogus
setup '--mem 4M: below' --mem 4M
setup 'cannot read the blkdebug config /nonexistent\.conf' \
	--disk "blkdebug:/nonexistent.conf:$DISK"
setup "invalid choice: 'scsi'" --bus scsi
setup 'QEMU could not start' -- -no-such-qemu-option
setup 'no ISO at /nonexistent\.iso' --iso /nonexistent.iso

# QEMU killed while our stdin is still open: 3, run-qemu itself intact.
cp "$DISK" "$TMP/disk.img"
mkfifo "$TMP/in"
$RQ --iso "$ISO" --disk "$TMP/disk.img" <"$TMP/in" >"$TMP/out" \
	2>"$TMP/err" &
rq=$!
exec 3>"$TMP/in"
i=0
until grep -q 'shell ready' "$TMP/err" || [ "$i" -gt 600 ]; do
	i=$((i + 1))
	sleep 0.1
done
qemu=$(pgrep -P "$rq" | head -n 1)
if [ -n "$qemu" ]; then
	kill -9 "$qemu"
else
	fail "no QEMU under run-qemu"
fi
rc=0
wait "$rq" || rc=$?
exec 3>&-
sed 's/^/  ! /' "$TMP/err"
[ "$rc" = 3 ] || fail "QEMU killed: status $rc, expected 3"
expect_grep "$TMP/err" 'QEMU crashed \(signal 9\)'
expect_no_grep "$TMP/err" 'Fatal Python error|Traceback'
finish
