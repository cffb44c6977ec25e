#!/usr/bin/env python3
"""Check ksplat on ../shared/docs/examples against tests/shared/examples.tsv.

Each example shows one report kind in one rendering or kernel version; the
first report must have the expected kind, culprit and lock.
"""
import argparse
import json
import os
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", required=True)
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--expected", required=True)
    args = ap.parse_args()
    checks = misses = 0
    for line in open(args.expected):
        if line.startswith("#") or not line.strip():
            continue
        name, kind, culprit, lock = line.rstrip("\n").split("\t")
        out = subprocess.run(args.ksplat.split() + ["--format=jsonl", os.path.join(args.examples, name)],
                             capture_output=True, text=True)
        reps = sorted((json.loads(l) for l in out.stdout.splitlines() if l.strip()),
                      key=lambda r: r["first_seen"]["line"])
        checks += 1
        got = reps[0] if reps else None
        want = (kind, culprit, None if lock == "-" else lock)
        have = got and (got["kind"], re.split(r"\.(?:constprop|isra|part|cold)", (got["culprit"] or {}).get("function") or "")[0], got["lock"])
        if have != want:
            misses += 1
            print(f"MISS {name}: got {have}, want {want}")
    print(f"examples: {checks - misses}/{checks} examples pass")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
