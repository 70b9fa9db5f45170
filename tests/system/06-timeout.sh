#!/bin/sh
# A run that never finishes is killed at --timeout and exits 124. With
# -S QEMU never starts the CPU.
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
printf 'echo hi\n' | QEMU_TIMEOUT=2 boot "$TMP/out" -- -S
end=$(date +%s)
expect_rc 124
expect_line "$TMP/out.err" "run-qemu: timeout after 2 s"
[ $((end - start)) -lt 30 ] || fail "took $((end - start)) s to time out"
finish
