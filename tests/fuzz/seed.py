#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from samples/ and (when beside the
checkout) ../shared's real logs: logs are cut at line boundaries into pieces
of a few KiB, so that the fuzzer mutates reports, not megabytes.

seed.py OUTDIR --samples DIR [--shared DIR] [--ksplat BIN] [--fixture DIR]
"""
import argparse
import bz2
import gzip
import hashlib
import lzma
import os
import subprocess
import sys

PIECE = 6 * 1024


def pieces(data):
    """Line-aligned pieces of at most PIECE bytes (a longer line alone)."""
    out, cur = [], b""
    for line in data.splitlines(keepends=True):
        if cur and len(cur) + len(line) > PIECE:
            out.append(cur)
            cur = b""
        cur += line
    if cur:
        out.append(cur)
    return out


def files_under(top, want=lambda name: True):
    for root, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            if want(name):
                yield os.path.join(root, name)


def put(outdir, target, blob):
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(blob).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--samples", required=True)
    ap.add_argument("--shared")
    ap.add_argument("--ksplat")
    ap.add_argument("--fixture")
    a = ap.parse_args()

    logs = list(files_under(a.samples, lambda n: n.endswith(".log")))
    if a.shared and os.path.isdir(a.shared):
        rig = os.path.join(a.shared, "rig", "logs")
        for variant in ("fp-kaslr", "orc-nokaslr"):
            logs += files_under(os.path.join(rig, variant), lambda n: n.endswith(".log"))
        logs += files_under(os.path.join(a.shared, "corpus"),
                            lambda n: not n.endswith((".md", ".json", ".yaml")))
    else:
        print("seed.py: no ../shared: seeds from samples/ only", file=sys.stderr)

    text_targets = ("envelope", "detect", "assemble", "pipeline", "symbolize")
    count = 0
    for path in logs:
        with open(path, "rb") as f:
            data = f.read()
        for p in pieces(data):
            for t in text_targets:
                put(a.outdir, t, p)
            if ".kmsg." in os.path.basename(path):
                put(a.outdir, "kmsg", p)
            count += 1
    # Compressed inputs are told by their magic: a few of each codec Python has.
    for path in logs[:8]:
        with open(path, "rb") as f:
            p = pieces(f.read())[0]
        for z in (gzip.compress(p), lzma.compress(p), bz2.compress(p)):
            put(a.outdir, "pipeline", z)
    if a.fixture:
        with open(os.path.join(a.fixture, "fix.log"), "rb") as f:
            for p in pieces(f.read()):
                put(a.outdir, "symbolize", p)
    # ksplat merge reads what ksplat --format=json writes.
    if a.ksplat:
        for path in logs:
            if not path.startswith(a.samples):
                continue
            doc = subprocess.run([a.ksplat, "--format=json", "--no-host-symbols", path],
                                 stdout=subprocess.PIPE, check=False).stdout
            if doc:
                put(a.outdir, "merge", doc)
    print(f"seed.py: {count} log pieces from {len(logs)} files into {a.outdir}")


if __name__ == "__main__":
    main()
