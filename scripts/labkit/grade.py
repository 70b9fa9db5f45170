"""Score a lab: build what it needs, run exactly its graded tests.

Host tests run as whole Check suites (CK_RUN_SUITE), each in its own
process group with a timeout; Check forks every test, so a crash or a
hang (Check's per-test timeout) fails that test alone, and the results
come from Check's TAP log (CK_TAP_LOG_FILE_NAME), which is written test
by test: a suite cut off by the grader's own timeout keeps the results
it had. In-kernel tests boot once per boot the lab names and read the
KTAP lines; a system test is its script's exit status. Whatever did not
report a pass scores 0, and the grader goes on.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

TAP_LINE = re.compile(r"^(ok|not ok) \d+ - [^:]*:[^:]*:([A-Za-z0-9_]+): ?(.*)$")
CK_FAILURE = re.compile(
    r"^(\S+?):(\d+):[FE]:[^:]*:([A-Za-z0-9_]+):\d+: ?(.*)$")
KTAP_LINE = re.compile(r"^\s*(ok|not ok) \d+ (\S+)(.*)$")

# One QEMU at a time, even when labs are graded in parallel.
qemu_lock = threading.Lock()


def run(cmd, timeout, cwd, env=None, stdin=subprocess.DEVNULL):
    """(returncode or None on timeout, output) with the whole process
    group killed on timeout, so Check's forked tests and QEMU die too."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return None, out.decode(errors="replace")


def make_targets(lab, build):
    targets = []
    if "host" in lab.build:
        targets.append(os.path.join(build, "unit-tests"))
    if "kernel" in lab.build:
        targets += [os.path.join(build, "os.iso"),
                    os.path.join(build, "disk.img")]
    if "images" in lab.build:
        # The ext2 test images (tests/images/build), under the stamp the
        # host tests look for: built here, not inside a timed test run.
        targets.append(os.path.join(build, "images", ".stamp"))
    return targets


def build_lab(lab, root, build, jobs):
    """None if the build worked, else the tail of its output."""
    cmd = ["make", "--no-print-directory", "-j%d" % jobs, "BUILD=" + build]
    rc, out = run(cmd + make_targets(lab, build), 1800, root)
    if rc == 0:
        return None
    return "\n".join(out.splitlines()[-30:])


class Result:
    def __init__(self, test):
        self.test = test
        self.passed = False
        self.why = "no result (did the test run?)"

    @property
    def got(self):
        return self.test["points"] if self.passed else 0


def _host(lab, tests, root, build, results):
    by_suite = {}
    for t in tests:
        by_suite.setdefault(t["suite"], []).append(t)
    for suite, group in by_suite.items():
        with tempfile.TemporaryDirectory() as tmp:
            tap = os.path.join(tmp, "tap")
            # A failing test leaves leaks, and symbolizing ASan's report
            # of them costs seconds a test: the report is not the grade.
            asan = "symbolize=0:" + os.environ.get("ASAN_OPTIONS", "")
            env = dict(os.environ, CK_RUN_SUITE=suite, CK_FORK="yes",
                       CK_TAP_LOG_FILE_NAME=tap, ASAN_OPTIONS=asan)
            env.pop("CK_RUN_CASE", None)
            timeout = max(t["timeout"] for t in group)
            rc, out = run([os.path.join(build, "unit-tests")], timeout, root,
                          env)
            seen = {}
            if os.path.exists(tap):
                with open(tap, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        m = TAP_LINE.match(line.rstrip("\n"))
                        if m:
                            seen[m.group(2)] = (m.group(1) == "ok",
                                                m.group(3))
        where = {}
        for line in out.splitlines():
            m = CK_FAILURE.match(line)
            if m:
                where[m.group(3)] = "%s:%s: %s" % m.group(1, 2, 4)
        for t in group:
            r = results[t["name"]]
            if t["test"] in seen:
                r.passed, msg = seen[t["test"]]
                r.why = where.get(t["test"], msg)
            elif rc is None:
                r.why = "suite %s cut off after %d s" % (suite, timeout)
            else:
                r.why = "suite %s did not run test %s" % (suite, t["test"])


def _boot_args(args, build, tmp):
    out = []
    for a in args:
        a = a.replace("{BUILD}", build)
        if a.startswith("@copy:"):
            src = a[len("@copy:"):]
            dst = os.path.join(tmp, os.path.basename(src))
            shutil.copyfile(src, dst)
            a = dst
        out.append(a)
    return out


def _ktest(lab, tests, root, build, results):
    by_boot = {}
    for t in tests:
        by_boot.setdefault(t["boot"], []).append(t)
    for name, group in by_boot.items():
        boot = lab.boots[name]
        timeout = max(t["timeout"] for t in group)
        with tempfile.TemporaryDirectory() as tmp:
            cmd = ["scripts/run-qemu", "--iso",
                   os.path.join(build, "os.iso"), "--timeout", str(timeout)]
            cmd += _boot_args(boot.get("args", []), build, tmp)
            for c in boot.get("commands", []):
                cmd += ["--command", c]
            with qemu_lock:
                rc, out = run(cmd, timeout + 30, root,
                              dict(os.environ, BUILD=build))
        seen = {}
        for line in out.splitlines():
            m = KTAP_LINE.match(line)
            if m:
                skip = "# SKIP" in m.group(3)
                seen[m.group(2)] = (m.group(1) == "ok" and not skip,
                                    m.group(3).strip())
        for t in group:
            r = results[t["name"]]
            if t["case"] in seen:
                r.passed, note = seen[t["case"]]
                r.why = note or "not ok (boot %s, exit %s)" % (name, rc)
            elif rc is None or rc == 124:
                r.why = "boot %s timed out before %s ran" % (name, t["case"])
            else:
                r.why = "boot %s (exit %s) never ran %s" % (name, rc,
                                                           t["case"])


def _system(tests, root, build, results):
    logs = os.path.join(build, "test-logs")
    os.makedirs(os.path.join(root, logs), exist_ok=True)
    for t in tests:
        script = None
        for ext in (".sh", ".py"):
            cand = os.path.join("tests", "system", t["script"] + ext)
            if os.path.exists(os.path.join(root, cand)):
                script = cand
        r = results[t["name"]]
        if not script:
            r.why = "no script tests/system/%s" % t["script"]
            continue
        with qemu_lock:
            rc, out = run(["./" + script], t["timeout"], root,
                          dict(os.environ, BUILD=build))
        log = os.path.join(logs, t["script"] + ".log")
        with open(os.path.join(root, log), "w", encoding="utf-8") as f:
            f.write(out)
        r.passed = rc == 0
        fails = [ln for ln in out.splitlines() if ln.startswith("FAIL")]
        if rc is None:
            r.why = "cut off after %d s (log: %s)" % (t["timeout"], log)
        else:
            r.why = "%s (log: %s)" % (fails[0] if fails else
                                      "exit %s" % rc, log)


def grade(lab, root=".", build="build", jobs=2, do_build=True,
          report=None, diag=None, known=None, until_half=False):
    """Run lab's tests in root; returns (got, total, [Result]).

    report(line) gets each score line, diag(line) each diagnostic.
    known: {system test script: (passed, why)} already established for
    this very tree (the kit check: tests/run-system ran them). With
    until_half (the kit check of a starting point), the slower kinds
    are not run once the score can no longer reach half.
    """
    report = report or (lambda line: None)
    diag = diag or (lambda line: None)
    results = {t["name"]: Result(t) for t in lab.tests}
    failed_build = build_lab(lab, root, build, jobs) if do_build else None
    if failed_build:
        diag("build failed:")
        for line in failed_build.splitlines():
            diag("  " + line)
        for r in results.values():
            r.why = "the build failed"
    else:
        kinds = {}
        for t in lab.tests:
            if t["kind"] == "system" and known and t["script"] in known:
                r = results[t["name"]]
                r.passed, r.why = known[t["script"]]
                continue
            kinds.setdefault(t["kind"], []).append(t)
        left = sum(t["points"] for group in kinds.values() for t in group)
        for kind in ("host", "ktest", "system"):
            if kind not in kinds:
                continue
            if until_half:
                done = sum(r.got for r in results.values())
                if 2 * (done + left) < lab.total:
                    for t in kinds[kind]:
                        results[t["name"]].why = "not run: below half anyway"
                    continue
                left -= sum(t["points"] for t in kinds[kind])
            if kind == "host":
                _host(lab, kinds[kind], root, build, results)
            elif kind == "ktest":
                _ktest(lab, kinds[kind], root, build, results)
            else:
                _system(kinds[kind], root, build, results)
    got = 0
    for t in lab.tests:
        r = results[t["name"]]
        got += r.got
        report("%s: %d/%d" % (t["name"], r.got, t["points"]))
        if not r.passed:
            diag("    # " + r.why)
    report("score: %d/%d" % (got, lab.total))
    return got, lab.total, [results[t["name"]] for t in lab.tests]


def printer(lines, stream=sys.stdout):
    def out(line):
        lines.append(line)
        stream.write(line + "\n")
        stream.flush()
    return out


def diag_printer(stream=sys.stderr):
    def out(line):
        stream.write(line + "\n")
        stream.flush()
    return out
