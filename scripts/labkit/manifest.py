"""Read and check the labs' manifests, labs/NAME/lab.toml.

A manifest says what the lab removes and how it is graded:

    title = "one line"             shown by `make labs`
    hours = "3-5"                  the expected time, for the handout
    build = ["host"]               what grading builds: host (the unit
                                   tests), kernel (the ISO and the default
                                   disk), images (the ext2 test images
                                   under build/images, the host tests'
                                   too: built before the timed run)

    [[stub]]                       a function whose body the student writes
    file = "mm/page_alloc.c"
    name = "__rmqueue"             (a list: the first of them the file
                                   defines, for a function being renamed)
    body = '''...'''               the new body, a comment saying what to
                                   write and code that compiles and is safe

    [[remove]]                     a helper taken out whole, with its comment
    file = "mm/page_alloc.c"
    name = "free_buddy"            or "struct NAME"

    [[keep]]                       a static helper the stubs no longer call,
    file = "mm/page_alloc.c"       marked __maybe_unused so the starting
    name = "add_free_block"        point compiles

    [[test]]                       a graded test
    name = "split_to_order"        unique in the lab; what `make grade` prints
    points = 2
    kind = "host"                  host: a Check test, suite + test (the
    suite = "lab_buddy"            function's name; default: name)
    timeout = 60                   seconds for the whole suite (host) or the
                                   boot or script (default 120)

    kind = "ktest"                 an in-kernel self-test: case (its KTAP
    case = "drivers.flush"         name) in the boot named by boot
    boot = "virtio"
    [boot.virtio]                  one QEMU boot: run-qemu arguments
    args = ["--disk", "@stream"]   (@NAME: a disk image the grader makes)
    commands = ["selftest drivers.*"]

    kind = "system"                a system test script, pass or fail
    script = "30-virtio-io"
"""

import os
import tomllib

LABS_DIR = "labs"
KINDS = ("host", "ktest", "system")
BUILDS = ("host", "kernel", "images")
DEFAULT_TIMEOUT = 120


class ManifestError(Exception):
    pass


class Lab:
    def __init__(self, name, data, path):
        self.name = name
        self.path = path
        self.title = data.get("title", "")
        self.hours = data.get("hours", "")
        self.build = data.get("build", ["host"])
        self.stubs = data.get("stub", [])
        self.removes = data.get("remove", [])
        self.keeps = data.get("keep", [])
        self.tests = data.get("test", [])
        self.boots = data.get("boot", {})
        self.handout = os.path.join("docs", "labs", name + ".md")
        for t in self.tests:
            t.setdefault("kind", "host")
            t.setdefault("timeout", DEFAULT_TIMEOUT)
            if t["kind"] == "host":
                t.setdefault("test", t.get("name"))

    @property
    def total(self):
        return sum(t["points"] for t in self.tests)

    def files(self):
        """The source files the lab changes, in a stable order."""
        seen = []
        for item in self.stubs + self.removes + self.keeps:
            if item["file"] not in seen:
                seen.append(item["file"])
        return seen


def _check(lab):
    def bad(msg):
        raise ManifestError("%s: %s" % (lab.path, msg))

    if not lab.title:
        bad("no title")
    if not lab.tests:
        bad("no [[test]]")
    if not lab.stubs:
        bad("no [[stub]]: a lab must leave the student something to write")
    for b in lab.build:
        if b not in BUILDS:
            bad("build %r is not one of %s" % (b, ", ".join(BUILDS)))
    for item in lab.stubs:
        for key in ("file", "name", "body"):
            if key not in item:
                bad("a [[stub]] without %s" % key)
    for kind, items in (("remove", lab.removes), ("keep", lab.keeps)):
        for item in items:
            for key in ("file", "name"):
                if key not in item:
                    bad("a [[%s]] without %s" % (kind, key))
    names = set()
    for t in lab.tests:
        if "name" not in t or "points" not in t:
            bad("a [[test]] without name or points")
        if t["name"] in names:
            bad("two tests named %s" % t["name"])
        names.add(t["name"])
        if t["kind"] not in KINDS:
            bad("test %s: kind %r" % (t["name"], t["kind"]))
        if t["kind"] == "host" and "suite" not in t:
            bad("test %s: a host test needs suite" % t["name"])
        if t["kind"] == "ktest":
            if "case" not in t or t.get("boot") not in lab.boots:
                bad("test %s: a ktest needs case and a known boot"
                    % t["name"])
        if t["kind"] == "system" and "script" not in t:
            bad("test %s: a system test needs script" % t["name"])
        if not isinstance(t["points"], int) or t["points"] <= 0:
            bad("test %s: points must be a positive integer" % t["name"])


def load(name, root="."):
    path = os.path.join(root, LABS_DIR, name, "lab.toml")
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ManifestError("no lab %r (see `make labs`)" % name) from None
    except tomllib.TOMLDecodeError as e:
        raise ManifestError("%s: %s" % (path, e)) from None
    lab = Lab(name, data, os.path.join(LABS_DIR, name, "lab.toml"))
    _check(lab)
    return lab


def names(root="."):
    base = os.path.join(root, LABS_DIR)
    if not os.path.isdir(base):
        return []
    return sorted(d for d in os.listdir(base)
                  if os.path.isfile(os.path.join(base, d, "lab.toml")))


def load_all(root="."):
    """Every lab, in the order `make labs` lists them (labs/ORDER)."""
    order_file = os.path.join(root, LABS_DIR, "ORDER")
    found = names(root)
    order = []
    if os.path.isfile(order_file):
        with open(order_file, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line and line in found and line not in order:
                    order.append(line)
    order += [n for n in found if n not in order]
    return [load(n, root) for n in order]
