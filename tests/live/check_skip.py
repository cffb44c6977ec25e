#!/usr/bin/env python3
"""Lines between reports go unread in bulk: nothing may change for that.

A sample report is buried at several depths in filler (megabytes of driver
chatter, lines of every length, some over the line limit, CRLF endings, a
multi-line record whose later lines are indented): every report must be
found, with the line number it has in the file, plain and gzip-compressed, and
the same through standard input. Then a report that starts on the indented
second line of a record, that record's first line ending a few bytes either
side of where a read of 64 KiB, 128 KiB, 256 KiB or 1 MiB ends: the first
line of the record must not be lost with the block skipped before it.

Usage: check_skip.py --ksplat CMD --samples DIR
"""
import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile

SAMPLE = "atomic_kmalloc.dmesg.log"


def filler(rnd, t, n):
    """@n console lines from kernel time @t, of every length, none that could start a report."""
    lines = []
    for _ in range(n):
        t += rnd.random() * 0.001
        width = rnd.choice((0, 1, 10, 80, 200, 5000, 70000))
        body = "".join(rnd.choice("abcdefghij klmnopqrs:[]0123456789") for _ in range(min(width, 300)))
        body = (body * (width // max(len(body), 1) + 1))[:width]
        lines.append("[%12.6f] usb 1-1: %s\n" % (t, body))
    return lines, t


def build(samples, rnd):
    """The log's lines, and the 1-based line number of each report's first line."""
    with open(os.path.join(samples, SAMPLE), encoding="latin-1") as f:
        splat = [l for l in f if "] " in l]
    start = next(i for i, l in enumerate(splat) if "BUG: sleeping function" in l)
    lines, want, t = [], [], 1.0
    for n in (0, 3, 1000, 20000, 7):
        block, t = filler(rnd, t, n)
        lines += block
        # A multi-line record: its later lines indented under the first.
        lines.append("[%12.6f] a record\n" % t)
        lines.append("               of two lines\n")
        want.append(len(lines) + start + 1)
        lines += splat
    return lines, want


KASAN = [
    "               BUG: KASAN: slab-out-of-bounds in foo+0x1/0x2\n",
    "[    2.000100] Read of size 8 at addr ffff888003a0b0c8 by task insmod/39\n",
    "[    2.000200] CPU: 0 PID: 39 Comm: insmod Tainted: G O 6.1.0 #1\n",
    "[    2.000300] Call Trace:\n",
    "[    2.000301]  <TASK>\n",
    "[    2.000302]  dump_stack_lvl+0x4c/0x5f\n",
    "[    2.000303]  foo+0x1/0x2 [m]\n",
    "[    2.000304]  </TASK>\n",
]


def at_boundary(end):
    """A log whose record holding a report on its second line has its first line end at byte @end."""
    head = "[    2.000000] a record\n"
    lines, size, i = [], 0, 0
    while True:
        line = "[%12.6f] usb 1-1: chatter line %d\n" % (1 + i * 0.001, i)
        if size + len(line) + len(head) + 40 > end:
            break
        lines.append(line)
        size += len(line)
        i += 1
    pad = "[    1.900000] p"
    lines.append(pad + "x" * (end - size - len(head) - len(pad) - 1) + "\n")
    return "".join(lines + [head] + KASAN).encode()


def run(cmd, args, data=None):
    out = subprocess.run(cmd.split() + ["-F", "jsonl", "--no-host-symbols"] + args, input=data,
                         capture_output=True)
    reps = [json.loads(l) for l in out.stdout.splitlines()]
    return [r["first_seen"]["line"] for r in reps], [r["culprit"] and r["culprit"]["function"] for r in reps]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    rnd = random.Random(7)
    lines, want = build(args.samples, rnd)
    failures = []
    with tempfile.TemporaryDirectory(prefix="ksplat-skip-") as tmp:
        variants = {
            "plain": "".join(lines).encode("latin-1"),
            "crlf": "".join(l[:-1] + "\r\n" for l in lines).encode("latin-1"),
        }
        for name, data in list(variants.items()):
            variants[name + ".gz"] = gzip.compress(data, 1)
        for name, data in variants.items():
            path = os.path.join(tmp, name + ".log")
            with open(path, "wb") as f:
                f.write(data)
            got, culprits = run(args.ksplat, [path])
            if got != want or set(culprits) != {"faulty_function"}:
                failures.append(f"{name}: lines {got} culprits {set(culprits)}, want lines {want}")
        # Through a pipe: the same reports (standard input counts lines the same way).
        got, _ = run(args.ksplat, ["-"], variants["plain"])
        if got != want:
            failures.append(f"stdin: lines {got}, want {want}")
        boundaries = [b + d for b in (1 << 16, 1 << 17, 1 << 18, 1 << 20) for d in range(-3, 4)]
        path = os.path.join(tmp, "boundary.log")
        for end in boundaries:
            with open(path, "wb") as f:
                f.write(at_boundary(end))
            _, culprits = run(args.ksplat, [path])
            if culprits != ["foo"]:
                failures.append(f"record head ending at byte {end}: culprits {culprits}, want ['foo']")
    for f in failures:
        print(f"FAIL skip: {f}")
    print(f"skip: {'ok' if not failures else f'{len(failures)} FAILED'} ({len(want)} reports, "
          f"{len(lines)} lines, {len(variants) + 1} ways; {len(boundaries)} read boundaries)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
