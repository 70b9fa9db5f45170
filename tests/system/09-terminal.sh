#!/bin/sh
# A person at a terminal (tmux plays one): the line editor's keys and
# history, escape sequences that never become text, Ctrl-C stopping a
# long sha256, cat and write with the file system left clean, and the
# session's status: 0 despite a failed command, 130 after Ctrl-].
. "$(dirname "$0")/lib.sh"

command -v tmux >/dev/null || { echo "no tmux (make deps)"; exit 1; }
T="tmux -L systest-$$ -f /dev/null"
S=term
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# A 2 GiB sparse disk: room for a write that takes long enough to stop.
truncate -s 2G "$TMP/disk.img"
mke2fs -q -F -t ext2 -b 4096 "$TMP/disk.img"

screen()
{
	$T capture-pane -p -J -S -2000 -t "$S"
}

# Wait until a screen line matches the extended regex (30 s at most).
wait_for()
{
	i=0
	while ! screen | grep -qE -- "$1"; do
		i=$((i + 1))
		if [ "$i" -gt 300 ]; then
			fail "no /$1/ on the screen"
			return 1
		fi
		sleep 0.1
	done
}

# Lines matching the regex, counted.
count()
{
	screen | grep -cE -- "$1"
}

keys()
{
	$T send-keys -t "$S" "$@"
}

# Type a command line and wait for the prompt after it (nth prompt).
prompts=1
run()
{
	keys "$@" Enter
	prompts=$((prompts + 1))
	i=0
	while [ "$(count '^\$ ')" -lt "$prompts" ]; do
		i=$((i + 1))
		[ "$i" -gt 300 ] && { fail "no prompt after: $*"; return 1; }
		sleep 0.1
	done
}

start()
{
	$T new-session -d -s "$S" -x 160 -y 50 \
		"${RUN_QEMU:-scripts/run-qemu} --iso $ISO --disk $TMP/disk.img; \
		echo run-qemu-exit=\$?; sleep 600"
	wait_for '^\$ $'
}

finish_session()
{
	echo "+ the terminal:"
	screen | awk 'NF { while (blank) { print "  | "; blank-- } print "  | " $0; next } { blank++ }'
	$T kill-session -t "$S"
}

start
# Left twice, then Z: inserted, never "[D" text.
run 'echo abc' Left Left Z
expect_screen()
{
	screen | grep -qxF -- "$1" || fail "no line '$1' on the screen"
}
expect_screen 'aZbc'
# Up runs it again; Ctrl-A goes home; Ctrl-U and Ctrl-W erase.
run Up
[ "$(count '^aZbc$')" -eq 2 ] || fail "Up + Enter did not repeat the line"
run 'cho hi' C-a e
expect_screen 'hi'
run 'garbage' C-u 'echo ok'
expect_screen 'ok'
run 'echo one two' C-w 'three'
expect_screen 'one three'
# Home/End/Delete as a terminal sends them; F5 and Alt-x are swallowed.
run 'echo 12' Home Right Right Right Right Right DC End 3 F5 M-x
expect_screen '23'
# Ctrl-C at the prompt drops the line.
keys 'echo dropped' C-c
prompts=$((prompts + 1))
wait_for '^\$ echo dropped\^C$'
if screen | grep -qxF dropped; then fail "a dropped line ran"; fi

# Ctrl-C stops a long command at its next page: sha256 of a 4 GiB
# hole, cat of it, and a 1500 MiB write.
run 'write /huge 0 1 1'
run 'truncate /huge 4G'
for cmd in 'sha256 /huge' 'cat /huge' 'write /big 0 1500M 3'; do
	keys "$cmd" Enter
	sleep 2
	keys C-c
	prompts=$((prompts + 1))
	wait_for "^\\\$ $cmd"
done
i=0
while [ "$(count '^\^C$')" -lt 3 ] && [ "$i" -lt 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
[ "$(count '^\^C$')" -eq 3 ] || fail "not 3 interrupted commands"
expect_no_screen()
{
	! screen | grep -qE -- "$1" || fail "unexpected /$1/ on the screen"
}
expect_no_screen '[0-9a-f]{64}  /huge'
run 'echo after'
expect_screen 'after'
run 'stat /big'
size=$(screen | sed -n 's/^ino=.* size=\([0-9]*\) .*/\1/p' | tail -n 1)
[ -n "$size" ] && [ "$size" -lt 1572864000 ] ||
	fail "the write was not cut short (size '$size')"
expect_no_screen '^error: '
# A wrong command, then Ctrl-D: the session still exits 0.
run 'nonsense'
expect_screen 'error: nonsense: unknown command (ENOENT)'
keys C-d
wait_for '^run-qemu-exit='
expect_screen 'poweroff: fail'
expect_screen 'run-qemu-exit=0'
finish_session
e2fsck -fn "$TMP/disk.img" >"$TMP/fsck" 2>&1 ||
	fail "e2fsck after the interrupted commands: $(cat "$TMP/fsck")"

# Ctrl-] quits at once: 130.
prompts=1
start
keys C-]
wait_for '^run-qemu-exit='
expect_screen 'run-qemu-exit=130'
finish_session
finish
