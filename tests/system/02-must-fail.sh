#!/bin/sh
# A failing case is reported as "not ok", and makes the session fail.
. "$(dirname "$0")/lib.sh"

printf 'selftest harness.must_fail\n' | boot "$TMP/out"
expect_rc 1
expect_line "$TMP/out" "1..1"
expect_line "$TMP/out" "not ok 1 harness.must_fail"
expect_grep "$TMP/out" '^    # harness\.must_fail: .* at tests/kernel/harness_test\.c:[0-9]+$'
expect_line "$TMP/out" "0 passed, 1 failed"
expect_line "$TMP/out" "error: selftest: 1 case failed (EIO)"
expect_line "$TMP/out" "poweroff: fail"

# Explicit-only cases never run as part of a glob.
printf 'selftest harness.*\n' | boot "$TMP/glob"
expect_rc 0
expect_ktap_pass "$TMP/glob"
expect_no_grep "$TMP/glob" 'must_fail'
finish
