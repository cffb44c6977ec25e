#!/usr/bin/env python3
"""Hostile inputs: each case says what ksplat must do with it.

Logs are untrusted. For garbage, NUL bytes, invalid UTF-8, huge lines, reports
cut anywhere, floods of callers and open reports, absurd numbers, terminal
escapes in names, module names that climb out of --modules, bad symbol files,
unreadable inputs and a reader that goes away, ksplat must give the right
result or a clear message, and never crash, hang, grow without bound, write a
control character to the screen or open a file outside the directories given.

Every run is bounded in time (a hang fails the case) and, with --rss-limit-mb
(not under sanitizers or valgrind), in peak memory.

Usage: check_hostile.py --ksplat CMD --samples DIR --fixture DIR [--rss-limit-mb N]
"""
import argparse
import ctypes
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 120  # seconds: a hang, not a speed target
TEXTBOOK = "atomic_kmalloc.dmesg.log"


class Run:
    """One run's status, output (kept in a file: some are hundreds of MB), peak RSS."""

    def __init__(self, rc, out_path, err, rss_kb, secs):
        self.rc, self.out_path, self.err, self.rss_kb, self.secs = rc, out_path, err, rss_kb, secs
        self._out = None

    @property
    def out(self):
        if self._out is None:
            with open(self.out_path, "rb") as f:
                self._out = f.read(64 << 20).decode("utf-8", "surrogateescape")
        return self._out

    @out.setter
    def out(self, text):
        self._out = text

    def json(self):
        return json.loads(self.out)

    def jsonl(self):
        return [json.loads(l) for l in self.out.splitlines()]

    def count_lines(self):
        with open(self.out_path, "rb") as f:
            return sum(1 for _ in f)


class Suite:
    def __init__(self, args):
        self.cmd = args.ksplat.split()
        self.samples = args.samples
        self.fixture = args.fixture
        self.rss_limit_kb = args.rss_limit_mb * 1024
        self.tmp = tempfile.mkdtemp(prefix="ksplat-hostile-")
        self.failures = []
        self.checks = 0

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def sample(self, name=TEXTBOOK):
        with open(os.path.join(self.samples, name), "rb") as f:
            return f.read()

    def run(self, args, stdin_data=None, stdin_gen=None, stdout=None, timeout=TIMEOUT):
        """Run ksplat under GNU time, whose own small process forks it: the peak RSS
        it reports is ksplat's alone (a child forked from this Python would start
        with the parent's). stdin_gen: chunks written until it ends or ksplat stops
        reading. stdout: a file object instead of the output file."""
        full = self.cmd + ["--no-host-symbols"] + args
        rss_path, out_path = self.path("rss"), self.path("stdout")
        timed = ["time", "-q", "-f", "%M", "-o", rss_path, "--"] + full
        t0 = time.monotonic()
        with open(out_path, "wb") as out:
            p = subprocess.Popen(timed, stdin=subprocess.PIPE if (stdin_data is not None or stdin_gen)
                                 else subprocess.DEVNULL, stdout=stdout or out, stderr=subprocess.PIPE)
            err = []
            reader = threading.Thread(target=lambda: err.append(p.stderr.read()))
            reader.start()

            def feeder():
                try:
                    if stdin_data is not None:
                        p.stdin.write(stdin_data)
                    else:
                        for chunk in stdin_gen:
                            p.stdin.write(chunk)
                    p.stdin.close()
                except (BrokenPipeError, ValueError, OSError):
                    pass

            if p.stdin:
                threading.Thread(target=feeder, daemon=True).start()
            try:
                rc = p.wait(timeout)
            except subprocess.TimeoutExpired:
                subprocess.run(["pkill", "-KILL", "-P", str(p.pid)], check=False)
                p.kill()
                p.wait()
                reader.join()
                raise AssertionError(f"no end after {timeout} s: {' '.join(full)}")
            reader.join()
        # GNU time exits with the command's status, or 128+N for a signal.
        with open(rss_path) as f:
            words = f.read().split()
        if words and words[0] == "Command":  # "Command terminated by signal N"
            rc = -int(words[-2])
        return Run(rc, out_path, err[0].decode("utf-8", "surrogateescape"),
                   int(words[-1]) if words else 0, time.monotonic() - t0)

    def check(self, name, cond, detail=""):
        self.checks += 1
        if not cond:
            self.failures.append(f"{name}: {detail}")
            print(f"FAIL {name}: {detail}")

    def sane(self, name, r, rcs=(0, 1), symbols=False):
        """What every run must show: a normal exit, bounded memory, a clean screen.
        Symbol files (libdw's indexes of them) may take 4 times the bound."""
        self.check(name + ": exit status", r.rc in rcs, f"{r.rc} not in {rcs}; stderr {r.err[-300:]!r}")
        limit = self.rss_limit_kb * (4 if symbols else 1)
        if limit:
            self.check(name + ": peak RSS", r.rss_kb <= limit, f"{r.rss_kb} KiB > {limit} KiB")
        for stream, text in (("stdout", r.out), ("stderr", r.err)):
            bad = controls(text)
            self.check(f"{name}: {stream} has no control characters", not bad,
                       f"{bad[:5]} in {text[:200]!r}")


# Controls a terminal would obey: C0 but \n and \t, DEL, C1, and invalid UTF-8
# (shown as U+DCxx by surrogateescape).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def controls(text):
    return CONTROL.findall(text)


def lines_of(data):
    return data.splitlines(keepends=True)


def culprits(reports):
    return [r["culprit"] and r["culprit"]["function"] for r in reports]


# ---- the cases --------------------------------------------------------------------


def case_garbage(s):
    """Random bytes: nothing found, quickly; a report inside them is still found."""
    rnd = random.Random(1)
    junk = rnd.randbytes(16 << 20)
    r = s.run([s.write("garbage.bin", junk)])
    s.sane("garbage", r, rcs=(0,))
    s.check("garbage: nothing found", "no kernel reports" in r.out + r.err, r.out[:200])
    mixed = rnd.randbytes(1 << 20) + b"\n" + s.sample() + rnd.randbytes(1 << 20)
    r = s.run(["-F", "json", s.write("garbage-splat.bin", mixed)])
    s.sane("garbage around a report", r, rcs=(1,))
    s.check("garbage around a report: found", culprits(r.json()["reports"]) == ["faulty_function"],
            culprits(r.json()["reports"]))


def case_nul(s):
    """NUL bytes in and between a report's lines neither end the input nor hide the report."""
    lines = lines_of(s.sample())
    out = []
    for i, l in enumerate(lines):
        if b"Call Trace" in l:
            out.append(b"\0" * 100 + b"\n")
        if b"RSP:" in l:
            l = l.replace(b"RSP:", b"RSP:\0\0")
        out.append(l)
    out.insert(0, b"\0\0\0\0\n")
    r = s.run(["-F", "json", s.write("nul.log", b"".join(out))])
    s.sane("NUL bytes", r, rcs=(1,))
    s.check("NUL bytes: report found", culprits(r.json()["reports"]) == ["faulty_function"],
            r.out[:300])
    # No kernel prints a NUL inside a message: the text after one is noise, and a name
    # ends there; the rest of the report is read as usual.
    r = s.run(["-F", "json", s.write("nul-name.log", s.sample().replace(b"insmod", b"ins\0mod"))])
    s.sane("NUL in a comm", r, rcs=(1,))
    rep = r.json()["reports"][0]
    s.check("NUL in a comm: the name up to it, the report whole",
            rep["context"]["comm"].startswith("ins") and rep["culprit"]["function"] == "faulty_function"
            and rep["lock"] == "my_lock", r.out[:400])


def case_utf8(s):
    """Invalid UTF-8 in names: valid JSON out, escaped text out."""
    data = s.sample().replace(b"insmod", b"in\xff\xfe\xc3(smod").replace(b"my_lock", b"my\xed\xa0\x80lock")
    p = s.write("utf8.log", data)
    r = s.run(["-F", "json", p])
    s.sane("invalid UTF-8: JSON", r, rcs=(1,))
    try:
        doc = json.loads(r.out.encode("utf-8", "surrogateescape").decode("utf-8"))
        ok = doc["reports"][0]["culprit"]["function"] == "faulty_function"
    except (ValueError, KeyError, IndexError, TypeError) as e:
        ok = False
    s.check("invalid UTF-8: JSON is valid UTF-8 and complete", ok, r.out[:300])
    r = s.run([p])
    s.sane("invalid UTF-8: text", r, rcs=(1,))
    s.check("invalid UTF-8: text escapes the bytes", "in\\xff\\xfe\\xc3(smod" in r.out, r.out[:600])


def case_huge_line(s):
    """A 16 MB line is cut at the line limit; memory stays bounded; what follows is read."""
    data = b"[    1.000000] " + b"A" * (16 << 20) + b"\n" + s.sample()
    r = s.run(["-F", "json", s.write("huge-line.log", data)])
    s.sane("16 MB line", r, rcs=(1,))
    s.check("16 MB line: the report after it", culprits(r.json()["reports"]) == ["faulty_function"],
            r.out[:300])
    # Inside a report: the report is kept, marked as holding a cut line.
    lines = lines_of(s.sample())
    k = next(i for i, l in enumerate(lines) if b"RSP:" in l)
    lines[k] = lines[k].rstrip(b"\n") + b"X" * (16 << 20) + b"\n"
    r = s.run(["-F", "json", s.write("huge-line-in-report.log", b"".join(lines))])
    s.sane("16 MB line in a report", r, rcs=(1,))
    reps = r.json()["reports"]
    s.check("16 MB line in a report: found and marked", culprits(reps) == ["faulty_function"] and
            "line-cut" in reps[0]["flags"], [(rep["culprit"], rep["flags"]) for rep in reps])


def case_truncated(s):
    """Each sample cut after every line and in the middle of every line: never a crash,
    and once the report's first line is in, that report is found."""
    for name in (TEXTBOOK, "abba.dmesg.log", "atomic_kmalloc.kmsg.log", "hung.dmesg.log"):
        data = s.sample(name)
        lines = lines_of(data)
        full = s.run(["-F", "json", os.path.join(s.samples, name)]).json()["reports"]
        first = min(r["first_seen"]["line"] for r in full)
        bad = []
        for k in range(len(lines) + 1):
            head = b"".join(lines[:k])
            for cut, tail in (("line", b""), ("mid-line", lines[k][: len(lines[k]) // 2] if k < len(lines) else b"")):
                r = s.run(["-F", "json"], stdin_data=head + tail)
                try:
                    n = len(r.json()["reports"])
                except ValueError:
                    n = -1
                want_some = k >= first
                if r.rc not in (0, 1) or n < 0 or (want_some and n == 0) or controls(r.err):
                    bad.append((k, cut, r.rc, n, r.err[-200:]))
        s.check(f"{name} truncated at each of {len(lines)} lines", not bad, bad[:3])


def caller_flood(n, every):
    """n distinct task ids, one line each, interleaved with a report printed by
    another task every @every lines (its lines spread among the others)."""
    report = [re.sub(rb"^\[[^]]*\]\[[^]]*\] ", b"", l) for l in lines_of(s_textbook)]
    pid = 0
    k = 0
    buf = []
    for i in range(n):
        ts = 10.0 + i * 1e-6
        buf.append(b"[%12.6f][ T%d] usb 1-1: new device %d\n" % (ts, 100000 + i, i))
        if i % every == 0:
            pid, k = 99, 0
        if pid and k < len(report):
            buf.append(b"[%12.6f][   T%d] %s" % (ts, pid, report[k]))
            k += 1
        if len(buf) >= 4096:
            yield b"".join(buf)
            buf = []
    yield b"".join(buf)


def case_caller_flood(s):
    """10^6 caller ids interleaved with reports: all found, memory flat."""
    n, every = 10 ** 6, 20000
    r = s.run(["-F", "json"], stdin_gen=caller_flood(n, every))
    s.sane("10^6 caller ids", r, rcs=(1,))
    reps = r.json()["reports"] if r.out else []
    s.check("10^6 caller ids: every report found", reps and reps[0]["count"] == n // every and
            culprits(reps) == ["faulty_function"], [(x["count"], x["culprit"]) for x in reps][:3])


def open_flood(n):
    """n reports started at once by n tasks, then each one's trace."""
    yield b"".join(b"[%12.6f][ T%d] BUG: sleeping function called from invalid context at x.c:%d\n"
                   % (1.0 + i * 1e-6, 1000 + i, i) for i in range(n))
    body = []
    for i in range(n):
        t = 2.0 + i * 1e-6
        body.append(b"[%12.6f][ T%d] Call Trace:\n[%12.6f][ T%d]  msleep+0x1/0x2\n"
                    b"[%12.6f][ T%d]  drv_fn%d+0x1/0x2\n" % (t, 1000 + i, t, 1000 + i, t, 1000 + i, i))
        if len(body) >= 4096:
            yield b"".join(body)
            body = []
    yield b"".join(body)


def case_open_flood(s):
    """10^5 reports open at once: the oldest are closed as new ones come, memory bounded."""
    n = 10 ** 5
    r = s.run(["-F", "jsonl"], stdin_gen=open_flood(n))
    s.sane("10^5 open reports", r, rcs=(1,))
    got = r.count_lines()
    s.check("10^5 open reports: each is written once", got == n, f"{got} reports")


ABSURD = b"""\
[99999999999999999999.999999] a timestamp no kernel prints
[18446744073.709551] the largest it prints
[    1.000000] BUG: sleeping function called from invalid context at a.c:99999999999999999999
[    1.000000] in_atomic(): 99999999999999999999, irqs_disabled(): -1, non_block: 0, pid: 99999999999999999999, name: x
[    1.000000] preempt_count: ffffffffffffffffff, expected: -1
[    1.000000] RCU nest depth: -5, expected: 99999999999999999999
[    1.000000] 99999999999 locks held by x/-1:
[    1.000000]  #99999999999: ffffffffffffffffffffffff (a){+.+.}-{99999:99999}, at: f+0xffffffffffffffffffff/0x0
[    1.000000] Kernel Offset: 0xffffffffffffffffffff from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)
[    1.000000] Kernel Offset: 0x7ffffffffffff000 from 0xffffffffffffffff
[    1.000000] CPU: 4294967296 PID: -1 Comm: x Tainted: G  6.1 #1
[    1.000000] Call Trace:
[    1.000000]  [<ffffffffffffffffffffffff>] 0xffffffffffffffffffffffff
[    1.000000]  [<0000000000000000>] 0x0
[    1.000000]  f+0xffffffffffffffff/0xffffffffffffffff
[    1.000000]  g+0x10/0x5
[    1.000000]  h+0x0/0x0 [m]
[    1.000000]  culprit_fn+0xffffffffffffffff/0x5a [symmod]
[    1.000000]  mod_entry+0x99999999999999999999/0x24 [symmod]
[    1.000000]  0xffffffff81000000
[    1.000000]  ? fix_entry+0x1/0x0
[    1.000000]  main+0x7fffffffffffffff/0x8000000000000000
[    1.000000] ---[ end trace 0000000000000000 ]---
"""


def case_absurd(s):
    """Numbers out of every range, with and without symbol files: sane, parsable output."""
    p = s.write("absurd.log", ABSURD)
    fx = s.fixture
    sym = ["--vmlinux", os.path.join(fx, "symfix"), "--modules", os.path.join(fx, "mod"),
           "--kallsyms", os.path.join(fx, "kallsyms")]
    for label, extra in (("no symbols", []), ("symbols", sym)):
        r = s.run(["-F", "json"] + extra + [p])
        s.sane(f"absurd numbers, {label}", r, rcs=(1,), symbols=bool(extra))
        try:
            rep = r.json()["reports"][0]
            ok = rep["kind"] == "sleep-in-atomic" and all(
                x is None or 0 <= x < 2 ** 64 for f in rep["trace"] for x in (f["offset"], f["size"]))
        except (ValueError, KeyError, IndexError) as e:
            ok = False
        s.check(f"absurd numbers, {label}: one report, numbers in range", ok, r.out[:500])
        r = s.run(extra + [p])
        s.sane(f"absurd numbers, {label}, text", r, rcs=(1,), symbols=bool(extra))


ESCAPES = {
    "CSI": b"\x1b[2J\x1b[31m",
    "OSC 52": b"\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "BEL": b"\x07",
    "backspace": b"\x08\x08\x08",
    "C1 CSI": b"\xc2\x9b" + b"31m",
    "RLO": "\u202e".encode(),
}


def case_escapes(s):
    """Escape sequences in comm, lock, function and module names are shown escaped,
    in every format and in warnings."""
    for label, esc in ESCAPES.items():
        data = (s.sample().replace(b"insmod", b"ins" + esc + b"mod")
                .replace(b"my_lock", b"my" + esc + b"lock")
                .replace(b"faulty_function", b"faulty" + esc + b"function")
                .replace(b"[splatmod]", b"[splat" + esc + b"mod]"))
        p = s.write("escape.log", data)
        for fmt in ("text", "json", "jsonl", "sarif", "dot"):
            for extra in ([], ["--color=always"], ["-v"], ["--modules", s.tmp]):
                r = s.run(["-F", fmt] + extra + [p])
                if "--color=always" in extra:
                    r.out = re.sub("\x1b\\[[0-9;]*m", "", r.out)  # ksplat's own colors
                s.sane(f"{label} in names, {fmt} {' '.join(extra)}", r, rcs=(1,))
        r = s.run(["-v", p])
        s.check(f"{label} in names: shown as \\x bytes", "\\x" in r.out, r.out[:300])


# inotify, to see every file opened under a directory ksplat must not read.
IN_OPEN = 0x20
IN_ACCESS = 0x01


def watch_opens(dirs):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK)
    if fd < 0:
        return None
    for d in dirs:
        libc.inotify_add_watch(fd, d.encode(), IN_OPEN | IN_ACCESS)

    def opened():
        names = []
        try:
            buf = os.read(fd, 65536)
        except BlockingIOError:
            return names
        i = 0
        while i < len(buf):
            wd, mask, cookie, ln = struct.unpack_from("iIII", buf, i)
            names.append(buf[i + 16:i + 16 + ln].rstrip(b"\0").decode())
            i += 16 + ln
        return names

    return fd, opened


def case_module_paths(s):
    """Module names with '/' or '..' never open anything outside --modules: a valid
    module placed just outside it must not be read, and no line comes from it."""
    fx = s.fixture
    outside = os.path.join(s.tmp, "outside")
    inside = os.path.join(outside, "modules")
    os.makedirs(inside, exist_ok=True)
    shutil.copy(os.path.join(fx, "symmod.ko"), os.path.join(outside, "symmod.ko"))
    os.makedirs(os.path.join(outside, "abs"), exist_ok=True)
    shutil.copy(os.path.join(fx, "symmod.ko"), os.path.join(outside, "abs", "symmod.ko"))
    with open(os.path.join(fx, "fix.log"), "rb") as f:
        log = f.read()
    watch = watch_opens([outside, os.path.join(outside, "abs")])
    for name in ("../symmod", "../../symmod", "modules/../symmod", outside + "/abs/symmod", "/symmod",
                 "abs/symmod", "..", "."):
        p = s.write("modpath.log", log.replace(b"[symmod]", b"[" + name.encode() + b"]"))
        if watch:
            watch[1]()
        r = s.run(["-F", "json", "--modules", inside, p])
        s.sane(f"module name {name!r}", r, rcs=(1,), symbols=True)
        lines = [f for rep in r.json()["reports"] for f in rep["trace"] if f["module"] and f["file"]]
        s.check(f"module name {name!r}: no line from outside --modules", not lines, lines[:2])
        if watch:
            opened = [n for n in watch[1]() if n.endswith(".ko")]
            s.check(f"module name {name!r}: nothing opened outside --modules", not opened, opened)
    if watch:
        os.close(watch[0])


def case_symbol_files(s):
    """A vmlinux that is not ELF or is truncated: a clear message and status 2.
    One of another build: a warning, and none of its lines."""
    fx = s.fixture
    log = os.path.join(fx, "fix.log")
    for name, why in (("notelf", "not an ELF"), ("symfix-truncated", "")):
        r = s.run(["--vmlinux", os.path.join(fx, name), log])
        s.sane(f"--vmlinux {name}", r, rcs=(2,), symbols=True)
        s.check(f"--vmlinux {name}: says which file and why", name in r.err and why in r.err, r.err)
    r = s.run(["-F", "json", "--vmlinux", os.path.join(fx, "symfix-other"), log])
    s.sane("--vmlinux of another build", r, rcs=(1,), symbols=True)
    files = [f["file"] for rep in r.json()["reports"] for f in rep["trace"] if f["file"]]
    s.check("--vmlinux of another build: warned, no lines", "another build" in r.err and not files,
            (r.err, files[:3]))
    empty = s.write("empty", b"")
    r = s.run(["--vmlinux", empty, log])
    s.sane("--vmlinux empty file", r, rcs=(2,), symbols=True)
    s.check("--vmlinux empty file: says so", "empty" in r.err, r.err)


def case_unreadable(s):
    """Inputs that cannot be read: named with the reason, the others still read, status 2."""
    good = os.path.join(s.samples, TEXTBOOK)
    for label, path, why in (("missing", s.path("no-such.log"), "No such file"),
                             ("directory", s.tmp, "Is a directory")):
        r = s.run(["-F", "json", path, good])
        s.sane(f"{label} input", r, rcs=(2,))
        s.check(f"{label} input: named with the reason", path in r.err and why in r.err, r.err)
        s.check(f"{label} input: the other input is read",
                culprits(json.loads(r.out)["reports"]) == ["faulty_function"], r.out[:200])
    if os.geteuid() != 0:
        p = s.write("noperm.log", s.sample())
        os.chmod(p, 0)
        r = s.run([p])
        s.sane("unreadable input", r, rcs=(2,))
        s.check("unreadable input: permission denied", "Permission denied" in r.err, r.err)


def endless_reports():
    while True:
        yield s_textbook * 64


def case_reader_gone(s):
    """The reader goes away (ksplat ... | head): ksplat stops at once, quietly, status 2."""
    for fmt in ("jsonl", "text"):
        head = subprocess.Popen(["head", "-c", "100"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        args = ["-F", fmt] + (["-f", "--idle-timeout=100"] if fmt == "text" else [])
        r = s.run(args, stdin_gen=endless_reports(), stdout=head.stdin, timeout=30)
        head.stdin.close()
        head.wait()
        s.sane(f"reader gone ({fmt})", r, rcs=(2,))
        s.check(f"reader gone ({fmt}): no message", r.err == "", r.err)


def case_indented(s):
    """Long runs of indented lines, needles among them: no rescanning of a run per needle."""
    for max_line, every in ((None, 1200), (1 << 20, 40000)):
        data = b"".join(b"        INFO: line %d\n" % i if i % every == 0 else
                        b"        indented line number %d\n" % i for i in range(300000))
        args = ["--max-line=%d" % max_line] if max_line else []
        name = f"indented runs (max-line {max_line or 'default'})"
        # A hang bound, far above the time a linear scan takes.
        r = s.run(args + [s.write("indented.log", data)], timeout=20)
        s.sane(name, r, rcs=(0,))


CASES = [case_garbage, case_nul, case_utf8, case_huge_line, case_truncated, case_caller_flood,
         case_open_flood, case_absurd, case_escapes, case_module_paths, case_symbol_files,
         case_unreadable, case_reader_gone, case_indented]

s_textbook = b""


def main():
    global s_textbook
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--rss-limit-mb", type=int, default=0)
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    s = Suite(a)
    s_textbook = s.sample()
    try:
        for case in CASES:
            if a.cases and case.__name__[5:] not in a.cases:
                continue
            t0 = time.monotonic()
            n = len(s.failures)
            try:
                case(s)
            except AssertionError as e:
                s.failures.append(f"{case.__name__}: {e}")
            print(f"{'ok  ' if len(s.failures) == n else 'FAIL'} {case.__name__[5:]:14} "
                  f"{time.monotonic() - t0:5.1f} s  {case.__doc__.splitlines()[0]}")
    finally:
        shutil.rmtree(s.tmp, ignore_errors=True)
    print(f"hostile inputs: {s.checks - len(s.failures)}/{s.checks} checks passed")
    return 1 if s.failures else 0


if __name__ == "__main__":
    sys.exit(main())
