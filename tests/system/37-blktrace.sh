#!/bin/sh
# blktrace end to end: `run-qemu --blktrace DIR` traces the disk from
# boot; a read of a file with indirect blocks, then `blkstat`, then
# `blktrace stop`. Linux's own tools read DIR/vda.blktrace.0: blkparse
# without a warning, nor (read from a pipe) a gap in the sequence
# numbers, with one completion
# per request blkstat counted (and the same sectors); the file's data
# blocks (debugfs `stat` on the host) queued exactly once each, by
# readahead bios (RA), its indirect blocks as metadata (RM), all of
# them completed (a metadata bio may merge into a data request); btt
# prints latencies; iowatcher draws an SVG. On AHCI the disk is 8,0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fs-lib.sh"

for tool in blkparse btt iowatcher; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "note: skipped: no $tool (package blktrace: make deps installs it)"
		exit 0
	fi
done

fs_images
FILE=/indirect/dense

# trace_test BUS DEV MAJOR,MINOR
trace_test()
{
	bus=$1
	dev=$2
	disk=$(fs_copy ext2-1k)
	dir=$TMP/trace-$bus
	out=$TMP/out-$bus
	printf '%s\n' "sha256 $FILE" "blkstat" "blktrace stop" |
		boot "$out" --disk "$disk" --bus "$bus" --blktrace "$dir"
	expect_rc 0
	expect_grep "$out" "^blktrace: $dev: stopped, [0-9]+ events, 0 dropped, [0-9]+ bytes buffered, [0-9]+ sent to the host$"
	[ -s "$dir/$dev.blktrace.0" ] || { fail "$bus: no $dir/$dev.blktrace.0"; return; }

	# blkparse: text to stdout, "Input file ... added" the only other line
	blkparse -D "$dir" -i "$dev" -d "$dir/$dev.bin" >"$dir/parsed" 2>"$dir/parse.err" ||
		fail "$bus: blkparse failed"
	sed 's/^/  blkparse: /' "$dir/parse.err"
	grep -v "^Input file .*$dev.blktrace.0 added$" "$dir/parse.err" | grep -q . &&
		fail "$bus: blkparse complained"
	# only from a pipe does blkparse check the sequence numbers
	blkparse -i - <"$dir/$dev.blktrace.0" >"$dir/piped" 2>&1 ||
		fail "$bus: blkparse -i - failed"
	expect_line "$dir/piped" "Skips: 0 forward (0 -   0.0%)"
	expect_grep "$dir/parsed" "^ *$3 +0 +1 +[0-9.]+ +[0-9]+ +Q +RA? "

	stat_line=$(grep -E "^$dev [0-9]+ " "$out" | head -n 1)
	debugfs -R "stat $FILE" "$disk" 2>/dev/null >"$dir/stat"
	python3 - "$dir/parsed" "$stat_line" "$dir/stat" "$3" <<'PY' || fail "$bus: trace does not match"
import re, sys
parsed, stat_line, stat_file, devno = sys.argv[1:]
SECTORS_PER_BLOCK = 2   # 1 KiB blocks
ev = re.compile(r"^\s*(\d+),(\d+)\s+\d+\s+\d+\s+[\d.]+\s+\d+\s+(\S+)\s+(\S+)\s+(\d+) \+ (\d+) \[(-?\d+|.*)\]$")
done = {"R": [0, 0], "W": [0, 0]}
ra, rm, completed, bad = [], [], set(), 0
for line in open(parsed):
    m = ev.match(line)
    if not m:
        continue
    if "%s,%s" % (m.group(1), m.group(2)) != devno:
        print("event on device %s,%s: %s" % (m.group(1), m.group(2), line))
        bad += 1
    act, rwbs, sector, n = m.group(3), m.group(4), int(m.group(5)), int(m.group(6))
    if act == "Q" and rwbs == "RA":
        ra.extend(range(sector, sector + n))
    if act == "Q" and rwbs == "RM":
        rm.extend(range(sector, sector + n))
    if act != "C" or n == 0:
        continue
    if m.group(7) != "0":
        print("completion with error: " + line)
        bad += 1
    d = "W" if "W" in rwbs else "R"
    done[d][0] += 1
    done[d][1] += n
    if d == "R":
        completed.update(range(sector, sector + n))
f = stat_line.split()
stats = {"R": (int(f[1]), int(f[3])), "W": (int(f[5]), int(f[7]))}
for d in "RW":
    print("%s: trace %d requests %d sectors, blkstat %d requests %d sectors"
          % (d, done[d][0], done[d][1], stats[d][0], stats[d][1]))
    if tuple(done[d]) != stats[d]:
        bad += 1
# debugfs: "(0-11):846-857, (IND):858, (12-267):859-1114, (DIND):1115, ..."
blocks = open(stat_file).read().split("BLOCKS:")[1].split("TOTAL")[0]
data, meta = [], []
for kind, first, last in re.findall(r"\(([^)]*)\):(\d+)(?:-(\d+))?", blocks):
    run = range(int(first), int(last or first) + 1)
    (meta if kind in ("IND", "DIND", "TIND") else data).extend(run)
def sectors(blks):
    return sorted(s for b in blks for s in range(b * SECTORS_PER_BLOCK, (b + 1) * SECTORS_PER_BLOCK))
want = sectors(data)
print("file: %d data blocks, %d indirect; queued: readahead %d sectors, "
      "metadata %d" % (len(data), len(meta), len(ra), len(rm)))
if sorted(ra) != want:
    print("readahead bios do not cover exactly the file's data blocks")
    bad += 1
for s in sectors(meta):
    if s not in rm:
        print("indirect block sector %d not queued as metadata (RM)" % s)
        bad += 1
missing = set(want + sectors(meta)) - completed
if missing:
    print("%d sectors of the file never completed, first %d" % (len(missing), min(missing)))
    bad += 1
if len(meta) < 2:
    print("the file should reach its double indirect block")
    bad += 1
sys.exit(1 if bad else 0)
PY

	(cd "$dir" && btt -i "$dev.bin" >btt.out 2>&1) || fail "$bus: btt failed"
	for lat in Q2C D2C; do
		grep -qE "^$lat +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+$" "$dir/btt.out" ||
			fail "$bus: btt printed no $lat latency"
	done
	(cd "$dir" && iowatcher -t "$dev" -o "$dev.svg" >iowatcher.out 2>&1) ||
		fail "$bus: iowatcher failed"
	head -c 200 "$dir/$dev.svg" 2>/dev/null | grep -q "<svg" || fail "$bus: iowatcher made no SVG"
}

trace_test virtio vda 252,0
trace_test ahci sda 8,0
finish
