"""gdb commands for the storage stack (Linux's scripts/gdb, in small).

Loaded by the project's .gdbinit (make gdb). Each command takes a C
expression, as `print` does, and prints one object of the I/O path in
words instead of as a raw struct:

    lx-dmesg              the printk log (kernel/printk.c's log_buf ring)
    lx-page PAGE          a struct page: pfn, PG_ flags, count, mapping,
                          index, and its buffer heads if PG_private
    lx-bh BH              a buffer_head ring (b_this_page), one a line
    lx-bio BIO            a bio and its vecs
    lx-rq Q|DISK          a request queue: waiting and in-flight requests
                          (DISK: a name such as vda)
    lx-disks              every disk, its queue and counters
    lx-pagecache MAPPING  the pages of an address_space (or an inode's
                          i_mapping), by index, with their flags

e.g. `lx-page page`, `lx-bio bio`, `lx-rq vda`, `lx-pagecache inode`.
"""
import gdb

LONG = gdb.lookup_type("unsigned long")


def value(expr):
    """The value of a C expression, or of a gdb.Value already."""
    return expr if isinstance(expr, gdb.Value) else gdb.parse_and_eval(expr)


def static(name):
    """A file-static variable (printk.c's log_buf), from any frame."""
    sym = gdb.lookup_static_symbol(name) or gdb.lookup_global_symbol(name)
    if sym is None:
        raise gdb.GdbError("no symbol %s: is this kernel.elf?" % name)
    return sym.value()


def ptr(v):
    return int(v.cast(LONG)) if v.type.code == gdb.TYPE_CODE_PTR else int(v)


def deref(expr, type_name):
    """A struct from a pointer or struct expression, checked for its type."""
    v = value(expr)
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        if ptr(v) == 0:
            raise gdb.GdbError("%s is NULL" % expr)
        v = v.dereference()
    name = v.type.strip_typedefs().tag
    if name != type_name:
        raise gdb.GdbError("%s is a %s, not a struct %s"
                           % (expr, name, type_name))
    return v


def bits(word, enum_name, prefix):
    """Names of the set bits of word, from the C enum that numbers them."""
    names = []
    for f in gdb.lookup_type("enum " + enum_name).fields():
        if f.name.startswith("__"):
            continue
        if int(word) >> f.enumval & 1:
            names.append(f.name[len(prefix):].lower())
    return ",".join(names) or "-"


def symbol(addr):
    """The function at addr, by name, or hex."""
    if not addr:
        return "NULL"
    block = gdb.block_for_pc(addr)
    while block is not None and block.function is None:
        block = block.superblock
    return block.function.name if block is not None else "0x%x" % addr


def container_of(node, type_name, member):
    """The struct type_name whose field member is at address node."""
    t = gdb.lookup_type("struct " + type_name)
    off = next(f.bitpos // 8 for f in t.fields() if f.name == member)
    return gdb.Value(ptr(node) - off).cast(t.pointer()).dereference()


def list_entries(head, type_name, member):
    """The structs on a list_head, in order (at most 10000)."""
    node, first = head["next"], ptr(head.address)
    for _ in range(10000):
        if ptr(node) == first:
            return
        yield container_of(node, type_name, member)
        node = node["next"]


def pfn(page):
    mem_map = gdb.parse_and_eval("mem_map")
    size = gdb.lookup_type("struct page").sizeof
    return (ptr(page.address) - ptr(mem_map)) // size + \
        int(gdb.parse_and_eval("mem_map_pfn_offset"))


def page_line(page):
    mapping = page["mapping"]
    owner = ""
    if ptr(mapping):
        host = mapping["host"]
        owner = " (ino %d)" % int(host["i_ino"]) if ptr(host) else ""
    return ("page 0x%x pfn 0x%x flags 0x%x [%s] count %d mapping 0x%x%s "
            "index %d" % (ptr(page.address), pfn(page), int(page["flags"]),
                          bits(page["flags"], "pageflags", "PG_"),
                          int(page["_count"]), ptr(mapping), owner,
                          int(page["index"])))


def bh_line(bh):
    return ("bh 0x%x block %d size %d state 0x%x [%s] count %d page 0x%x "
            "end_io %s" % (ptr(bh.address), int(bh["b_blocknr"]),
                           int(bh["b_size"]), int(bh["b_state"]),
                           bits(bh["b_state"], "bh_state_bits", "BH_"),
                           int(bh["b_count"]), ptr(bh["b_page"]),
                           symbol(ptr(bh["b_end_io"]))))


def bh_ring(bh):
    """The buffer heads of bh's page, starting at bh."""
    out, cur = [], bh
    for _ in range(64):
        out.append(cur)
        nxt = cur["b_this_page"]
        if not ptr(nxt) or ptr(nxt) == ptr(bh.address):
            break
        cur = nxt.dereference()
    return out


class Command(gdb.Command):
    """A command that prints the lines its show() returns."""

    def __init__(self, name):
        super().__init__(name, gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        for line in self.show(arg.strip()):
            gdb.write(line + "\n")

    def show(self, arg):
        raise NotImplementedError


class Dmesg(Command):
    """lx-dmesg: the printk log, oldest first (the last 64 KiB)."""

    def __init__(self):
        super().__init__("lx-dmesg")

    def show(self, arg):
        buf = static("log_buf")
        size = buf.type.sizeof
        total = int(static("log_next"))
        raw = bytes(gdb.selected_inferior().read_memory(buf.address, size))
        if total <= size:
            text = raw[:total]
        else:
            start = total % size
            text = raw[start:] + raw[:start]
        return text.decode("ascii", "replace").splitlines()


class Page(Command):
    """lx-page PAGE: a struct page and, if it has them, its buffer heads."""

    def __init__(self):
        super().__init__("lx-page")

    def show(self, arg):
        page = deref(arg, "page")
        lines = [page_line(page)]
        if int(page["flags"]) >> int(gdb.parse_and_eval("PG_private")) & 1:
            bh = gdb.Value(int(page["private"])).cast(
                gdb.lookup_type("struct buffer_head").pointer())
            lines += ["  " + bh_line(b) for b in bh_ring(bh.dereference())]
        return lines


class BufferHead(Command):
    """lx-bh BH: the ring of buffer heads BH is on (its page's buffers)."""

    def __init__(self):
        super().__init__("lx-bh")

    def show(self, arg):
        return [bh_line(b) for b in bh_ring(deref(arg, "buffer_head"))]


class Bio(Command):
    """lx-bio BIO: a bio, then each of its vecs."""

    def __init__(self):
        super().__init__("lx-bio")

    def show(self, arg):
        bio = deref(arg, "bio")
        rw = int(bio["bi_rw"])
        lines = ["bio 0x%x %s sector %d size %d vcnt %d/%d status %d cnt %d "
                 "end_io %s next 0x%x"
                 % (ptr(bio.address), "WRITE" if rw & 1 else "READ",
                    int(bio["bi_sector"]), int(bio["bi_size"]),
                    int(bio["bi_vcnt"]), int(bio["bi_max_vecs"]),
                    int(bio["bi_status"]), int(bio["bi_cnt"]),
                    symbol(ptr(bio["bi_end_io"])), ptr(bio["bi_next"]))]
        vecs = bio["bi_io_vec"]
        for i in range(min(int(bio["bi_vcnt"]), 256)):
            v = vecs[i]
            page = v["bv_page"].dereference()
            lines.append("  vec[%d] len %d offset %d %s"
                         % (i, int(v["bv_len"]), int(v["bv_offset"]),
                            page_line(page)))
        return lines


def find_disk(name):
    for d in list_entries(static("all_disks"), "gendisk", "disk_list"):
        if d["disk_name"].string() == name:
            return d
    raise gdb.GdbError("no disk %s (lx-disks lists them)" % name)


def rq_line(rq):
    flags = int(rq["cmd_flags"])
    bios, b = [], rq["bio"]
    while ptr(b) and len(bios) < 64:
        bios.append("0x%x" % ptr(b))
        b = b["bi_next"]
    return ("request 0x%x tag %d %s sector %d bytes %d segments %d bios %s"
            % (ptr(rq.address), int(rq["tag"]),
               "WRITE" if flags & 1 else "READ", int(rq["sector"]),
               int(rq["data_len"]), int(rq["nr_phys_segments"]),
               " ".join(bios) or "-"))


class Queue(Command):
    """lx-rq Q|DISK: a request queue's limits, waiting and in-flight requests."""

    def __init__(self):
        super().__init__("lx-rq")

    def show(self, arg):
        try:
            v = value(arg)
        except gdb.error:
            v = find_disk(arg)["queue"]	# a disk's name: vda
        t = v.type.strip_typedefs()
        if (t.target() if t.code == gdb.TYPE_CODE_PTR else t).tag == \
                "gendisk":
            v = deref(v, "gendisk")["queue"]
        q = deref(v, "request_queue")
        lim = q["limits"]
        depth = int(q["queue_depth"])
        lines = ["queue 0x%x depth %d in_flight %d dispatching %d hw_busy %d "
                 "max_sectors %d max_segments %d"
                 % (ptr(q.address), depth, int(q["in_flight"]),
                    int(q["dispatching"]), int(q["hw_busy"]),
                    int(lim["max_sectors"]), int(lim["max_segments"]))]
        waiting = list(list_entries(q["queue_head"], "request", "queuelist"))
        lines.append("waiting for a tag: %d" % len(waiting))
        lines += ["  " + rq_line(r) for r in waiting]
        tags = q["tags"]
        busy = [tags[i].dereference() for i in range(depth)
                if ptr(tags) and ptr(tags[i])]
        lines.append("in flight: %d" % len(busy))
        lines += ["  " + rq_line(r) for r in busy]
        return lines


class Disks(Command):
    """lx-disks: each disk, its queue and its counters."""

    def __init__(self):
        super().__init__("lx-disks")

    def show(self, arg):
        lines = []
        for d in list_entries(static("all_disks"), "gendisk", "disk_list"):
            s = d["stats"]
            lines.append("%s bus %s sectors %d queue 0x%x reads %d writes %d "
                         "in_flight %d errors %d"
                         % (d["disk_name"].string(), d["bus"].string(),
                            int(d["capacity"]), ptr(d["queue"]),
                            int(s["ios"][0]), int(s["ios"][1]),
                            int(s["in_flight"]), int(s["errors"])))
        return lines


def radix_items(root):
    """(index, item) of a radix tree, in index order."""
    node_t = gdb.lookup_type("struct radix_tree_node").pointer()
    slots = node_t.target()["slots"].type.range()[1] + 1
    shift = slots.bit_length() - 1

    def walk(node, height, base):
        for i in range(slots):
            child = node["slots"][i]
            if not ptr(child):
                continue
            index = base | i << (shift * (height - 1))
            if height == 1:
                yield index, child
            else:
                yield from walk(child.cast(node_t).dereference(), height - 1,
                                index)

    height = int(root["height"])
    if height == 0 or not ptr(root["rnode"]):
        return
    yield from walk(root["rnode"].cast(node_t).dereference(), height, 0)


class PageCache(Command):
    """lx-pagecache MAPPING|INODE: every cached page of a file, by index."""

    def __init__(self):
        super().__init__("lx-pagecache")

    def show(self, arg):
        v = value(arg)
        t = v.type.strip_typedefs()
        tag = (t.target() if t.code == gdb.TYPE_CODE_PTR else t).tag
        if tag == "inode":
            mapping = deref(arg, "inode")["i_mapping"].dereference()
        else:
            mapping = deref(arg, "address_space")
        page_t = gdb.lookup_type("struct page").pointer()
        lines = ["mapping 0x%x nrpages %d flags 0x%x"
                 % (ptr(mapping.address), int(mapping["nrpages"]),
                    int(mapping["flags"]))]
        for index, item in radix_items(mapping["page_tree"]):
            page = item.cast(page_t).dereference()
            lines.append("  [%d] %s" % (index, page_line(page)))
        return lines


for command in (Dmesg, Page, BufferHead, Bio, Queue, Disks, PageCache):
    command()
