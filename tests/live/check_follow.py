#!/usr/bin/env python3
"""Following inputs: ksplat -f FILE and -f on a pipe, --kmsg on a stand-in device.

A report must be written as soon as it is complete while ksplat keeps
running: after its end marker (an x86 "</TASK>"), or, for a report without
one, after the idle timer. The followed file is appended to, truncated
(copytruncate) and replaced (logrotate's create); a pipe's writer goes away.
Every wait is bounded and waits on ksplat's output, never a fixed sleep.

Usage: check_follow.py --ksplat CMD --samples DIR
"""
import argparse
import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import time

WAIT_S = 10  # the longest a report may take to appear; normally a fraction of a second


class Ksplat:
    """A running ksplat whose JSON lines are read as they come."""

    def __init__(self, cmd, args, stdin=subprocess.DEVNULL):
        self.proc = subprocess.Popen(cmd.split() + ["-F", "jsonl"] + args, stdin=stdin,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.buf = b""

    def report(self, timeout=WAIT_S):
        """The next report, or None when none came within @timeout seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not self.sel.select(left):
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=WAIT_S)
        return self.proc.stderr.read().decode(errors="replace")


def splat_lines(samples, name):
    with open(os.path.join(samples, name), encoding="latin-1") as f:
        return f.read().splitlines(keepends=True)


def split_before(lines, marker):
    """The lines before the first that holds @marker, and the rest."""
    i = next(i for i, l in enumerate(lines) if marker in l)
    return lines[:i], lines[i:]


def split_after(lines, marker):
    """The lines up to and including the first that holds @marker, and the rest."""
    i = next(i for i, l in enumerate(lines) if marker in l)
    return lines[:i + 1], lines[i + 1:]


def append(path, lines):
    with open(path, "a", encoding="latin-1") as f:
        f.writelines(lines)


def check(failures, what, cond, detail=""):
    if not cond:
        failures.append(f"{what}{': ' + detail if detail else ''}")


def test_file(cmd, samples, tmp, failures):
    log = os.path.join(tmp, "kern.log")
    text = splat_lines(samples, "atomic_kmalloc.dmesg.log")
    before, rest = split_before(text, "BUG: sleeping function")
    splat, _ = split_after(rest, "</TASK>")
    append(log, before)
    k = Ksplat(cmd, ["-f", log])
    try:
        check(failures, "file: a report before any splat", k.report(timeout=0.5) is None)
        # Half a report, then the rest: it comes out at its "</TASK>", while ksplat runs on.
        append(log, splat[:5])
        check(failures, "file: a report from half a splat", k.report(timeout=0.5) is None)
        append(log, splat[5:])
        rep = k.report()
        check(failures, "file: report after </TASK>", rep and rep["culprit"]["function"] == "faulty_function",
              str(rep and rep["headline"]))
        # copytruncate: the file starts again from nothing.
        with open(log, "w"):
            pass
        append(log, before[-3:] + splat)
        rep = k.report()
        check(failures, "file: report after truncation", rep and rep["kind"] == "sleep-in-atomic")
        # logrotate's create: the name now holds a new file.
        os.rename(log, log + ".1")
        append(log, splat)
        rep = k.report()
        check(failures, "file: report after rotation", rep and rep["kind"] == "sleep-in-atomic")
        # Rewritten in place to the very size already read: only the modification time tells.
        with open(log, "w", encoding="latin-1") as f:
            f.writelines(splat)
        rep = k.report()
        check(failures, "file: report after a same-size rewrite", rep and rep["kind"] == "sleep-in-atomic")
        check(failures, "file: still running", k.proc.poll() is None)
    finally:
        k.stop()


def test_idle_timer(cmd, samples, tmp, failures):
    """A report with no end marker: the idle timer closes it, not the next splat."""
    text = splat_lines(samples, "hung.dmesg.log")
    start = next(i for i, l in enumerate(text) if "blocked for more than" in l)
    end = next(i for i in range(start + 1, len(text)) if "</TASK>" in text[i])
    log = os.path.join(tmp, "idle.log")
    # Only the header and the held locks: nothing says the report is over.
    append(log, [l for l in text[start:end] if "Call Trace" not in l][:6])
    k = Ksplat(cmd, ["-f", "--idle-timeout=300", log])
    try:
        t0 = time.monotonic()
        rep = k.report()
        check(failures, "idle: report closed by the timer", rep and rep["kind"] == "hung-task",
              str(rep and rep["kind"]))
        check(failures, "idle: within a few timer periods", time.monotonic() - t0 < 5)
    finally:
        k.stop()


def test_pipe(cmd, samples, failures):
    text = "".join(splat_lines(samples, "abba.dmesg.log")).encode("latin-1")
    k = Ksplat(cmd, ["-f"], stdin=subprocess.PIPE)
    try:
        k.proc.stdin.write(text)
        k.proc.stdin.flush()
        rep = k.report()
        check(failures, "pipe: report while the writer is still there", rep and rep["kind"] == "lockdep-circular")
        k.proc.stdin.close()
        status = k.proc.wait(timeout=WAIT_S)
        check(failures, "pipe: ends with its writer, status 1", status == 1, f"status {status}")
    finally:
        k.stop()


def test_kmsg(cmd, samples, tmp, failures):
    """/dev/kmsg records from a stand-in file: sequence gaps are counted, not errors."""
    recs = [l for l in splat_lines(samples, "atomic_kmalloc.kmsg.log")]
    # Drop two records in the middle of the boot, as an overrun buffer would.
    first = next(i for i, l in enumerate(recs) if l[:1].isdigit())
    dev = os.path.join(tmp, "kmsg")
    with open(dev, "w", encoding="latin-1") as f:
        f.writelines(recs[:first + 1] + recs[first + 3:])
    out = subprocess.run(cmd.split() + ["-F", "jsonl", f"--kmsg={dev}"], capture_output=True, text=True,
                         timeout=WAIT_S)
    reps = [json.loads(l) for l in out.stdout.splitlines()]
    check(failures, "kmsg: the report", any(r["culprit"] and r["culprit"]["function"] == "faulty_function"
                                           for r in reps), out.stderr)
    check(failures, "kmsg: exit status 1", out.returncode == 1, str(out.returncode))
    check(failures, "kmsg: the gap is told", "2 messages were overwritten" in out.stderr, out.stderr)
    out = subprocess.run(cmd.split() + ["--kmsg", "extra.log"], capture_output=True, text=True)
    check(failures, "kmsg: a FILE with it is a usage error", out.returncode == 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ksplat-follow-")
    failures = []
    try:
        test_file(args.ksplat, args.samples, tmp, failures)
        test_idle_timer(args.ksplat, args.samples, tmp, failures)
        test_pipe(args.ksplat, args.samples, failures)
        test_kmsg(args.ksplat, args.samples, tmp, failures)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL follow: {f}")
    print(f"follow: {'ok' if not failures else f'{len(failures)} FAILED'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
