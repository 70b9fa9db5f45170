"""Drive the kernel's serial shell from Python, one command at a time.

scripts/run-qemu types all its input at once and waits for the kernel to
power off; the durability tests need more: send a command, wait for its
prompt, leave the system idle, freeze QEMU to copy the disk as it is at
that instant, or kill QEMU outright (a power cut). QEMU is started with
run-qemu's own command line (imported from scripts/run-qemu), so the
machine is the one every other test boots.

    g = Guest(disk, bus="virtio", log=path)
    g.start()                      # boots, waits for "shell: ready"
    out = g.command("ls /")        # output lines of one command
    c = g.begin("write /f 0 4096 1")   # type it, do not wait...
    out = g.finish(c)              # ...until later
    g.snapshot(copy)               # SIGSTOP, copy the disk, SIGCONT
    g.kill()                       # SIGKILL: a power cut

A disk image on the host is what QEMU has written to it (QEMU's raw
files go through the host's page cache, which outlives QEMU), so a copy
taken while QEMU is stopped is the disk as a power cut at that instant
would leave it.
"""

import importlib.machinery
import os
import shutil
import signal
import subprocess
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROMPT = b"\n$ "


def _run_qemu_module():
    loader = importlib.machinery.SourceFileLoader(
        "run_qemu", os.path.join(ROOT, "scripts", "run-qemu"))
    return loader.load_module()


class GuestError(Exception):
    pass


class Guest:
    def __init__(self, disk, bus="virtio", mem="256M", log=None,
                 qemu_extra=()):
        self.disk = disk
        self.bus = bus
        self.mem = mem
        self.log_path = log
        self.qemu_extra = list(qemu_extra)
        self.proc = None
        self.buf = b""
        self.pos = 0  # how far command() has consumed buf
        self.cond = threading.Condition()
        self.reader = None

    def _args(self):
        rq = _run_qemu_module()
        args = rq.parse_args(["--disk", self.disk, "--bus", self.bus,
                              "--mem", self.mem, "--timeout", "0"] +
                             (["--"] + self.qemu_extra
                              if self.qemu_extra else []))
        return rq.qemu_command(args)

    def start(self, timeout=60):
        self.proc = subprocess.Popen(self._args(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self._wait_for(b"shell: ready", timeout)
        self._wait_for(b"$ ", timeout)
        self.pos = len(self.buf)

    def _read(self):
        log = open(self.log_path, "ab") if self.log_path else None
        fd = self.proc.stdout.fileno()
        while True:
            data = os.read(fd, 65536)
            if not data:
                break
            data = data.replace(b"\r", b"")
            if log:
                log.write(data)
                log.flush()
            with self.cond:
                self.buf += data
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()
        if log:
            log.close()

    def _wait_for(self, needle, timeout, start=0):
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                at = self.buf.find(needle, start)
                if at >= 0:
                    return at
                if self.proc.poll() is not None:
                    raise GuestError("QEMU exited (status %s) waiting for %r"
                                     % (self.proc.returncode, needle))
                left = end - time.monotonic()
                if left <= 0:
                    raise GuestError("timeout waiting for %r" % needle)
                self.cond.wait(min(left, 0.5))

    def send(self, line):
        """Type one line; return at once."""
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def begin(self, line):
        """Type one line; finish() waits for it."""
        self.send(line)
        return (self.pos, line)

    def finish(self, started, timeout=120):
        """Wait for the prompt after a begin(); the output lines."""
        start, line = started
        at = self._wait_for(PROMPT, timeout, start)
        text = self.buf[start:at].decode(errors="replace")
        self.pos = at + len(PROMPT)
        lines = text.split("\n")
        # The first line is the shell's echo of what we typed.
        return lines[1:] if lines and lines[0].endswith(line) else lines

    def done(self, started):
        """Has the command begun with started printed its prompt yet?"""
        with self.cond:
            return self.buf.find(PROMPT, started[0]) >= 0

    def command(self, line, timeout=120):
        """Type one line, wait for the next prompt; the output lines."""
        return self.finish(self.begin(line), timeout)

    def snapshot(self, dest):
        """The disk as a power cut now would leave it."""
        os.kill(self.proc.pid, signal.SIGSTOP)
        try:
            shutil.copyfile(self.disk, dest)
        finally:
            os.kill(self.proc.pid, signal.SIGCONT)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.reader:
            self.reader.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
