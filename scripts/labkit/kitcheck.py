"""The kit's own checks, run by `make test`: the labs are honest.

For every lab:
  - its manifest is valid; its handout docs/labs/NAME.md names each
    graded test with its points, the total and the expected time; the
    index, docs/labs.md, has its row with the total and the link;
  - on this tree (the reference) it scores full marks;
  - its starting point (the stubs, built in a copy of the tree) builds
    the host tests and the kernel, is clang-format clean, keeps none of
    the removed code anywhere in the tree, and scores below half: the
    graded tests really test what the lab removed.

The starting point is built cheaply: the copy gets the build directory's
objects with their timestamps, so only the stubbed files recompile. Labs
are checked `jobs` at a time; QEMU boots still go one at a time.
LAB_TIMING=1 in the environment prints how long each part took.
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import time

from . import grade as grading
from . import manifest, stubs

timing = {}


def handout_problems(lab):
    problems = []
    try:
        with open(lab.handout, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return ["no handout %s" % lab.handout]
    for t in lab.tests:
        row = re.compile(r"^\|\s*`%s`\s*\|\s*%d\s*\|" % (
            re.escape(t["name"]), t["points"]), re.M)
        if not row.search(text):
            problems.append("%s: no row | `%s` | %d | in its grading table"
                            % (lab.handout, t["name"], t["points"]))
    total = re.search(r"\*\*(\d+) points\*\*", text)
    if not total or int(total.group(1)) != lab.total:
        problems.append("%s: says **N points** with N != %d"
                        % (lab.handout, lab.total))
    if lab.hours and "Expected time: %s hours" % lab.hours not in text:
        problems.append("%s: no 'Expected time: %s hours'"
                        % (lab.handout, lab.hours))
    with open(os.path.join("docs", "labs.md"), encoding="utf-8") as f:
        index = f.read()
    row = re.compile(r"^\|\s*`%s`\s*\|.*\|\s*%d\s*\|.*\(labs/%s\.md\)" % (
        re.escape(lab.name), lab.total, re.escape(lab.name)), re.M)
    if not row.search(index):
        problems.append("docs/labs.md: no row | `%s` | ... | %d | "
                        "...(labs/%s.md)" % (lab.name, lab.total, lab.name))
    return problems


def _copy_tree(files, dst):
    for path in files:
        src = path
        if not os.path.isfile(src):
            continue
        target = os.path.join(dst, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(src, target)


def _copy_build(build, dst, lab):
    out = os.path.join(dst, build)
    os.makedirs(out, exist_ok=True)
    for sub in ("host", "kernel"):
        if os.path.isdir(os.path.join(build, sub)):
            shutil.copytree(os.path.join(build, sub), os.path.join(out, sub),
                            symlinks=True)
    if "kernel" in lab.build:
        if os.path.exists(os.path.join(build, "disk.img")):
            shutil.copy2(os.path.join(build, "disk.img"),
                         os.path.join(out, "disk.img"))
    if "images" in lab.build and os.path.isdir(os.path.join(build, "images")):
        os.symlink(os.path.abspath(os.path.join(build, "images")),
                   os.path.join(out, "images"))


def starting_point(lab, build, files):
    """(got, total, [problem]) for lab's starting point."""
    t0 = time.monotonic()
    problems = []
    dst = os.path.join(build, "lab-check", lab.name)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    _copy_tree(files, dst)
    _copy_build(build, dst, lab)
    try:
        texts, removed, bodies = stubs.apply(lab, dst)
    except stubs.StubError as e:
        return 0, lab.total, [str(e)]
    stubs.write(dst, texts)
    for path, line in stubs.leaks(dst, files, texts, removed, bodies):
        problems.append("removed code still in %s: %s" % (path, line))
    p = subprocess.run(["clang-format", "--style=file", "--dry-run",
                        "--Werror"] + list(texts), cwd=dst,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode:
        problems.append("the stubs are not clang-format clean:\n" + p.stdout)
    targets = [os.path.join(build, "unit-tests"),
               os.path.join(build, "kernel.elf")]
    targets += grading.make_targets(lab, build)
    rc, out = grading.run(["make", "--no-print-directory", "-j1",
                           "BUILD=" + build] + sorted(set(targets)), 900, dst)
    if rc != 0:
        problems.append("the starting point does not build:\n" +
                        "\n".join(out.splitlines()[-20:]))
        return 0, lab.total, problems
    timing[lab.name + " build"] = time.monotonic() - t0
    t0 = time.monotonic()
    got, total, _ = grading.grade(lab, dst, build, 1, do_build=False,
                                  until_half=True)
    timing[lab.name + " start"] = time.monotonic() - t0
    if 2 * got >= total:
        problems.append("the starting point scores %d/%d, not below half"
                        % (got, total))
    if not problems:
        shutil.rmtree(dst, ignore_errors=True)
    return got, total, problems


def system_results(build):
    """What tests/run-system proved on this build: {script: (ok, why)}.

    make test runs the system tests just before the kit check; a lab's
    system tests need not boot again for the reference to count them.
    Only results newer than the kernel they ran are taken.
    """
    path = os.path.join(build, "test-logs", "results")
    iso = os.path.join(build, "os.iso")
    known = {}
    try:
        if os.path.getmtime(path) < os.path.getmtime(iso):
            return known
        with open(path, encoding="utf-8") as f:
            for line in f:
                verdict, _, name = line.strip().rpartition(" ")
                known[name] = (verdict == "ok",
                               "tests/run-system: %s %s" % (verdict, name))
    except OSError:
        pass
    return known


def reference(lab, build, known):
    t0 = time.monotonic()
    got, total, results = grading.grade(lab, ".", build, 1, do_build=False,
                                        known=known)
    timing[lab.name + " ref"] = time.monotonic() - t0
    problems = ["reference: %s 0/%d: %s" % (r.test["name"],
                                            r.test["points"], r.why)
                for r in results if not r.passed]
    return got, total, problems


def main(names, build, jobs):
    start = time.monotonic()
    try:
        labs = manifest.load_all()
    except manifest.ManifestError as e:
        print("labs: %s" % e)
        return 1
    if names:
        labs = [lab for lab in labs if lab.name in names]
    problems = {lab.name: handout_problems(lab) for lab in labs}
    # Build once, here, what every lab's reference grading needs.
    need = manifest.Lab("all", {"build": sorted(
        {b for lab in labs for b in lab.build})}, "")
    failed = grading.build_lab(need, ".", build, jobs)
    if failed:
        print("labs: the tree does not build:\n" + failed)
        return 1
    files = stubs.tree_files(".")
    # The copies' host tests use this tree's ext2 images (make check made
    # them) instead of building their own at first run.
    images = os.path.abspath(os.path.join(build, "images"))
    if os.path.exists(os.path.join(images, ".stamp")):
        os.environ.setdefault("EXT2_IMAGES", images)
    scores = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        known = system_results(build)
        refs = {lab.name: pool.submit(reference, lab, build, known)
                for lab in labs}
        starts = {lab.name: pool.submit(starting_point, lab, build, files)
                  for lab in labs}
        for lab in labs:
            rgot, rtot, rprob = refs[lab.name].result()
            sgot, stot, sprob = starts[lab.name].result()
            problems[lab.name] += rprob + sprob
            scores[lab.name] = (rgot, rtot, sgot, stot)
    bad = 0
    for lab in labs:
        rgot, rtot, sgot, stot = scores[lab.name]
        verdict = "ok" if not problems[lab.name] else "FAIL"
        print("labs: %-12s reference %d/%d, starting point %d/%d: %s"
              % (lab.name, rgot, rtot, sgot, stot, verdict))
        for p in problems[lab.name]:
            bad += 1
            for line in p.splitlines():
                print("    # " + line)
    if os.environ.get("LAB_TIMING"):
        for k, v in sorted(timing.items()):
            print("labs: %-20s %5.1f s" % (k, v))
    print("labs: %d labs checked in %.0f s, %d problems"
          % (len(labs), time.monotonic() - start, bad))
    return 1 if bad else 0
