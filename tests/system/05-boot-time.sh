#!/bin/sh
# Reports the boot time (run-qemu start to "shell: ready"); never fails
# on the figure itself, only if it is missing.
. "$(dirname "$0")/lib.sh"

printf 'uptime\n' | boot "$TMP/out"
expect_rc 0
t=$(sed -n 's/^run-qemu: shell ready after \([0-9.]*\) s$/\1/p' "$TMP/out.err")
[ -n "$t" ] || fail "no 'shell ready after' line on stderr"
expect_grep "$TMP/out" '^uptime: [0-9]+\.[0-9]{3} s$'
echo "note: boot time ${t:-?} s (run-qemu start to shell ready)"
finish
