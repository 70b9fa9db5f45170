#!/usr/bin/env python3
"""Draw blktrace traces as one SVG picture: for each trace, where each
request went on the disk and how large its bios and requests were, over
time. Python's standard library only: the picture is a few hundred
lines and dots, which SVG says directly (docs/blktrace.md, "Pictures").

    scripts/blkplot.py -o OUT.svg [--title TEXT] [--zoom N] LABEL=TRACE...

TRACE is a trace file (vda.blktrace.0), in Linux's blktrace format from
`scripts/run-qemu --blktrace`. Each trace is a column; the columns share
their scales, so they compare at a glance:

    top     disk offset (MiB) against time (ms): a tick per request as
            the driver got it (D), as long as the request: blue for
            data, orange if it starts with metadata, grey for writes;
            an orange ring where a metadata bio (an indirect block) was
            queued, which may have merged into a data request
    zoom    (--zoom N) the same for the first N requests, close up
    bios    the size (KiB, log scale) of each bio as it was queued (Q)
    requests  the size of each request the bios were merged into (D)

Time runs from each trace's first queued bio. Also a module: read_trace()
gives the events of a file, summary() the counts the captions show.
"""

import argparse
import math
import struct
import sys

RECORD = struct.Struct("<IIQQIIIIIHH")	# struct blk_io_trace, 48 bytes
MAGIC = 0x65617400
VERSION = 0x07
TC_SHIFT = 16
TC_WRITE = 1 << 1
TC_NOTIFY = 1 << 10
TC_META = 1 << 12
ACT_QUEUE, ACT_ISSUE, ACT_COMPLETE = 1, 7, 8
SECTOR = 512
MIB = 1 << 20

COLUMN_W, PANEL_H, GAP = 440, 170, 62
PAD = 8	# room inside a log-scale panel for its dots
LEFT, TOP = 70, 60
COLORS = {"data": "#1f5fbf", "meta": "#e07000", "write": "#808080"}


class Event:
    __slots__ = ("time", "sector", "bytes", "act", "tc", "error")

    def __init__(self, time, sector, nbytes, action, error):
        self.time = time
        self.sector = sector
        self.bytes = nbytes
        self.act = action & 0xffff
        self.tc = action >> TC_SHIFT
        self.error = error

    @property
    def kind(self):
        if self.tc & TC_WRITE:
            return "write"
        return "meta" if self.tc & TC_META else "data"


def read_trace(path):
    """The I/O events of one trace file (notes left out), in file order."""
    with open(path, "rb") as f:
        raw = f.read()
    rec = RECORD
    if len(raw) >= 4 and struct.unpack_from(">I", raw)[0] >> 8 == MAGIC >> 8:
        rec = struct.Struct(">" + RECORD.format[1:])
    events, off = [], 0
    while off + rec.size <= len(raw):
        (magic, _seq, time, sector, nbytes, action, _pid, _dev, _cpu,
         error, pdu_len) = rec.unpack_from(raw, off)
        if magic & ~0xff != MAGIC or magic & 0xff != VERSION:
            raise ValueError("%s: not a blktrace v7 record at byte %d"
                             % (path, off))
        off += rec.size + pdu_len
        if not action >> TC_SHIFT & TC_NOTIFY:
            events.append(Event(time, sector, nbytes, action, error))
    return events


def summary(events):
    """bios, requests and bytes of requests issued, by kind."""
    s = {"bios": 0, "requests": 0, "bytes": 0, "meta_requests": 0}
    for e in events:
        if e.act == ACT_QUEUE and e.bytes:
            s["bios"] += 1
        elif e.act == ACT_ISSUE and e.bytes:
            s["requests"] += 1
            s["bytes"] += e.bytes
            s["meta_requests"] += e.kind == "meta"
    return s


class Svg:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.out = []

    def add(self, text):
        self.out.append(text)

    def text(self, x, y, s, size=12, anchor="start", weight="normal",
             rotate=None):
        tr = ' transform="rotate(%d %.1f %.1f)"' % (rotate, x, y) \
            if rotate else ""
        s = s.replace("&", "&amp;").replace("<", "&lt;")
        self.add('<text x="%.1f" y="%.1f" font-size="%d" '
                 'text-anchor="%s" font-weight="%s"%s>%s</text>'
                 % (x, y, size, anchor, weight, tr, s))

    def render(self):
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" '
                'height="%d" font-family="sans-serif">\n'
                '<rect width="100%%" height="100%%" fill="white"/>\n%s\n'
                '</svg>\n' % (self.width, self.height, "\n".join(self.out)))


def nice_step(span, ticks=5):
    raw = span / ticks if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def axis_ticks(lo, hi):
    step = nice_step(hi - lo)
    t = math.ceil(lo / step) * step
    while t <= hi + step * 1e-9:
        yield t
        t += step


def draw_frame(svg, x0, y0, xlo, xhi, ylabel, yticks, ymap):
    svg.add('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
            'stroke="black"/>' % (x0, y0, COLUMN_W, PANEL_H))
    for t in axis_ticks(xlo, xhi):
        x = x0 + (t - xlo) / (xhi - xlo) * COLUMN_W
        svg.add('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                % (x, y0, x, y0 + PANEL_H))
        svg.text(x, y0 + PANEL_H + 14, "%g" % round(t, 6), 10, "middle")
    for v, label in yticks:
        y = ymap(v)
        svg.add('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
                % (x0, y, x0 + COLUMN_W, y))
        svg.text(x0 - 4, y + 3, label, 10, "end")
    svg.text(x0 - 45, y0 + PANEL_H / 2, ylabel, 11, "middle",
             rotate=-90)
    svg.text(x0 + COLUMN_W / 2, y0 + PANEL_H + 28, "time (ms)", 11,
             "middle")


def dots(svg, pts, color, width, opacity=1.0):
    """Round dots, one path; pts of equal pixels drawn once."""
    seen = sorted({(round(x, 1), round(y, 1)) for x, y in pts})
    if seen:
        svg.add('<path d="%s" stroke="%s" stroke-width="%s" '
                'stroke-linecap="round" fill="none" opacity="%g"/>'
                % (" ".join("M%g %gh0" % p for p in seen), color, width,
                   opacity))


class Column:
    """One trace: its bios (Q) and requests (D) from the first bio on."""

    def __init__(self, label, path):
        ev = read_trace(path)
        self.label = label
        self.qs = [e for e in ev if e.act == ACT_QUEUE and e.bytes]
        if not self.qs:
            raise ValueError("%s: no bios queued" % path)
        self.t0 = self.qs[0].time
        self.ds = [e for e in ev if e.act == ACT_ISSUE and e.bytes and
                   e.time >= self.t0]
        cs = [e for e in ev if e.act == ACT_COMPLETE and e.time >= self.t0]
        self.span = (max(e.time for e in cs + self.ds + self.qs) -
                     self.t0) / 1e6
        self.summary = summary(ev)

    def ms(self, e):
        return (e.time - self.t0) / 1e6


def offset_panel(svg, col, x0, y0, xlo, xhi, ylo, yhi, ring):
    """Requests as ticks over their sectors, metadata bios as rings (or
    dots, ring=False, where rings would hide the requests)."""
    def tx(e):
        return x0 + (col.ms(e) - xlo) / (xhi - xlo) * COLUMN_W

    def ty(mib):
        return y0 + PANEL_H - (mib - ylo) / (yhi - ylo) * PANEL_H

    ticks = [(v, "%g" % round(v, 6)) for v in axis_ticks(ylo, yhi)]
    draw_frame(svg, x0, y0, xlo, xhi, "disk offset (MiB)", ticks, ty)
    inside = [e for e in col.ds if xlo <= col.ms(e) <= xhi and
              ylo <= e.sector * SECTOR / MIB <= yhi]
    for kind in ("data", "write", "meta"):
        segs = []
        for e in inside:
            if e.kind != kind:
                continue
            top = e.sector * SECTOR + e.bytes
            y_a = ty(e.sector * SECTOR / MIB)
            y_b = min(ty(min(top / MIB, yhi)), y_a - 1.5)
            segs.append("M%.1f %.1fV%.1f" % (tx(e), y_a, y_b))
        if segs:
            svg.add('<path d="%s" stroke="%s" stroke-width="2" '
                    'fill="none"/>' % (" ".join(segs), COLORS[kind]))
    meta = [(tx(e), ty(e.sector * SECTOR / MIB)) for e in col.qs
            if e.kind == "meta" and xlo <= col.ms(e) <= xhi and
            ylo <= e.sector * SECTOR / MIB <= yhi]
    if not ring:
        dots(svg, meta, COLORS["meta"], 3)
        return
    for x, y in sorted({(round(x), round(y)) for x, y in meta}):
        svg.add('<circle cx="%d" cy="%d" r="3.5" fill="none" '
                'stroke="%s" stroke-width="1.5"/>' % (x, y, COLORS["meta"]))


def size_panel(svg, col, x0, y0, xhi, lo_kib, hi_kib, bios):
    """Sizes of the bios as queued (bios=True) or of the requests."""
    def tx(e):
        return x0 + col.ms(e) / xhi * COLUMN_W

    def ty(nbytes):
        kib = min(max(nbytes / 1024, lo_kib), hi_kib)
        return (y0 + PANEL_H - PAD -
                math.log2(kib / lo_kib) / math.log2(hi_kib / lo_kib) *
                (PANEL_H - 2 * PAD))

    ticks, kib = [], lo_kib
    step = 2 if hi_kib / lo_kib <= 64 else 4
    while kib <= hi_kib:
        ticks.append((kib * 1024, "%g" % kib))
        kib *= step
    what = "bio" if bios else "request"
    draw_frame(svg, x0, y0, 0, xhi, "%s size (KiB)" % what, ticks, ty)
    events = col.qs if bios else col.ds
    for kind, width in (("data", 4), ("write", 4), ("meta", 5)):
        dots(svg, [(tx(e), ty(e.bytes)) for e in events if e.kind == kind],
             COLORS[kind], width, 0.8)


def plot(traces, out, title, zoom):
    cols = [Column(label, path) for label, path in traces]
    xmax = max(c.span for c in cols) or 1
    top_mib = max((e.sector * SECTOR + e.bytes) / MIB
                  for c in cols for e in c.qs + c.ds)
    sizes = [e.bytes for c in cols for e in c.qs + c.ds]
    lo_kib = 2 ** math.floor(math.log2(min(sizes) / 1024))
    hi_kib = max(2 ** math.ceil(math.log2(max(sizes) / 1024)), lo_kib * 2)
    rows = 4 if zoom else 3
    width = LEFT + len(cols) * (COLUMN_W + GAP)
    height = TOP + rows * (PANEL_H + GAP) + 30
    svg = Svg(width, height)
    svg.text(width / 2, 22, title, 15, "middle", "bold")
    for i, col in enumerate(cols):
        x0 = LEFT + i * (COLUMN_W + GAP)
        s = col.summary
        avg = s["bytes"] / s["requests"] / 1024 if s["requests"] else 0
        svg.text(x0 + COLUMN_W / 2, TOP - 24, col.label, 13, "middle",
                 "bold")
        svg.text(x0 + COLUMN_W / 2, TOP - 9,
                 "%d bios, %d requests, %.1f KiB/request, %.0f ms"
                 % (s["bios"], s["requests"], avg, col.span), 11, "middle")
        offset_panel(svg, col, x0, TOP, 0, xmax, 0, top_mib, False)
        y = TOP + PANEL_H + GAP
        if zoom:
            # the first zoom requests, wherever on the disk they went
            first = col.ds[:zoom]
            lo = min(e.sector * SECTOR for e in first) / MIB
            hi = max(e.sector * SECTOR + e.bytes for e in first) / MIB
            end = col.ms(first[-1]) * 1.02 or 1
            offset_panel(svg, col, x0, y, 0, end, lo, hi, True)
            svg.text(x0 + COLUMN_W / 2, y - 6,
                     "zoom: the first %d requests" % len(first), 11,
                     "middle")
            y += PANEL_H + GAP
        size_panel(svg, col, x0, y, xmax, lo_kib, hi_kib, True)
        y += PANEL_H + GAP
        size_panel(svg, col, x0, y, xmax, lo_kib, hi_kib, False)
    ly = height - 16
    items = [(COLORS["data"], "data"),
             (COLORS["meta"], "metadata (indirect blocks)"),
             (COLORS["write"], "write")]
    x = LEFT
    for color, text in items:
        svg.add('<circle cx="%d" cy="%d" r="5" fill="%s"/>'
                % (x, ly - 4, color))
        svg.text(x + 10, ly, text, 11)
        x += 40 + 6 * len(text)
    with open(out, "w") as f:
        f.write(svg.render())


def main():
    p = argparse.ArgumentParser(
        prog="blkplot.py", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--out", required=True, metavar="OUT.svg")
    p.add_argument("--title", default="blktrace")
    p.add_argument("--zoom", type=int, default=0, metavar="N",
                   help="add a row zoomed on each trace's first N requests")
    p.add_argument("traces", nargs="+", metavar="LABEL=TRACE")
    args = p.parse_args()
    traces = []
    for t in args.traces:
        label, sep, path = t.partition("=")
        if not sep:
            label, path = t, t
        traces.append((label, path))
    try:
        plot(traces, args.out, args.title, args.zoom)
    except (OSError, ValueError) as e:
        print("blkplot: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
