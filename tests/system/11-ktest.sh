#!/bin/sh
# scripts/ktest: runs the cases a glob selects and reports them with
# their diagnostics and "N passed, M failed"; exit 0 / 1 / 2 (a crash,
# named and decoded) / 4 (a glob that matches nothing); --list and
# --json. tests/run-system has --help and refuses a glob that matches
# nothing.
. "$(dirname "$0")/lib.sh"

# ktest EXPECTED-STATUS ARGS...: output in $TMP/kt
ktest()
{
	want=$1
	shift
	echo "+ ktest $*"
	rc=0
	scripts/ktest --no-build "$@" >"$TMP/kt" 2>&1 || rc=$?
	sed 's/^/  | /' "$TMP/kt"
	[ "$rc" = "$want" ] || fail "ktest $*: status $rc, expected $want"
}

ktest 0 'shell.*'
expect_line "$TMP/kt" "2 passed, 0 failed"

ktest 1 harness.must_fail 'shell.*'
expect_line "$TMP/kt" "not ok harness.must_fail"
expect_grep "$TMP/kt" '^    # harness\.must_fail: this case fails on purpose at tests/kernel/harness_test\.c:[0-9]+$'
expect_line "$TMP/kt" "2 passed, 1 failed"

ktest 4 no.such.case
expect_grep "$TMP/kt" "no case matches 'no\.such\.case'"
expect_no_grep "$TMP/kt" 'passed'

ktest 0 --list 'sched.*' harness.select
expect_line "$TMP/kt" "sched.pingpong"
expect_line "$TMP/kt" "harness.select"
[ "$(grep -cvE '^(sched\.[a-z_]+|harness\.select)$' "$TMP/kt")" -eq 0 ] ||
	fail "--list printed more than case names"
ktest 4 --list 'nothing.*'

ktest 0 --json 'shell.*'
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["passed"] == 2 and r["failed"] == 0, r
assert sorted(c["name"] for c in r["cases"]) == \
    ["shell.commands", "shell.errno_reason"], r
' "$TMP/kt" || fail "--json: not the two shell cases"

ktest 2 harness.panic
expect_grep "$TMP/kt" '^ktest: the kernel crashed in harness\.panic '
expect_grep "$TMP/kt" '\] harness_panic_test\+0x[0-9a-f]+/0x[0-9a-f]+ tests/kernel/harness_test\.c:[0-9]+$'
expect_line "$TMP/kt" "0 passed, 1 failed"

tests/run-system --help >"$TMP/rs" 2>&1 || fail "run-system --help: $?"
expect_grep "$TMP/rs" '^usage: tests/run-system'
rc=0
tests/run-system 'no-such-test-*' >"$TMP/rs" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "run-system with no match: status $rc, expected 2"
expect_grep "$TMP/rs" "no test matches 'no-such-test-\*'"
expect_no_grep "$TMP/rs" '0 passed, 0 failed'
finish
