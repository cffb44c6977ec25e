#!/usr/bin/env python3
"""Accuracy of ksplat's titles on syzkaller's corpus, per family, with each miss.

For every file of ../shared/corpus/syzkaller/report: the first report ksplat
finds must carry TITLE (or one of the ALT lines) and the CORRUPTED flag; a
file without TITLE must give no report. Usage: accuracy.py [--ksplat PATH]
[--corpus DIR] [--misses].
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "shared"))
from check_syzkaller import parse  # noqa: E402

FAMILIES = [
    ("lockdep", ("possible deadlock", "inconsistent lock state", "WARNING: locking bug",
                 "WARNING: suspicious RCU usage", "INFO: suspicious RCU usage",
                 "WARNING: still has locks held", "BUG: still has locks held",
                 "INFO: trying to register non-static key", "WARNING: bad unlock balance",
                 "BUG: bad unlock balance", "WARNING: held lock freed", "BUG: held lock freed",
                 "WARNING: lock held when returning to user space",
                 "BUG: lock held when returning to user space", "BUG: Invalid wait context",
                 "WARNING: nested lock")),
    ("sleeping function", ("BUG: sleeping function",)),
    ("scheduling while atomic", ("BUG: scheduling while atomic",)),
    ("hung task", ("INFO: task hung",)),
    ("rcu stall", ("INFO: rcu detected stall",)),
    ("soft lockup", ("BUG: soft lockup",)),
    ("KASAN/KFENCE/KMSAN/KCSAN/UBSAN", ("KASAN", "KFENCE", "KMSAN", "KCSAN", "UBSAN")),
    ("warning", ("WARNING",)),
    ("fault/oops", ("BUG: unable", "general protection", "kernel BUG", "invalid opcode",
                    "divide error", "Internal error", "stack segment")),
    ("panic", ("kernel panic",)),
]


# Families whose titles must all be right.
EXACT = ("lockdep", "sleeping function", "scheduling while atomic", "hung task", "no crash")


def family(title):
    if title is None:
        return "no crash"
    for name, prefixes in FAMILIES:
        if title.startswith(prefixes):
            return name
    return "other"


def main():
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", default=os.path.join(top, "ksplat"))
    ap.add_argument("--corpus", default=os.path.join(top, "..", "shared", "corpus", "syzkaller"))
    ap.add_argument("--misses", action="store_true", help="print every miss")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 below 95 %% overall or below 100 %% for the exact families")
    args = ap.parse_args()
    rdir = os.path.join(args.corpus, "report")
    if not os.path.isdir(rdir):
        print(f"accuracy: SKIP: {rdir} not found")
        return 0
    stats = {}
    misses = []
    for name in sorted(os.listdir(rdir), key=lambda n: (len(n), n)):
        hdr, log = parse(os.path.join(rdir, name))
        title = hdr.get("TITLE")
        fam = family(title)
        out = subprocess.run(args.ksplat.split() + ["--format=jsonl", "-"], input=log, capture_output=True)
        # jsonl comes in completion order (a nested report completes first); sort by start.
        reps = sorted((json.loads(l) for l in out.stdout.decode().splitlines() if l.strip()),
                      key=lambda r: r["first_seen"]["line"])
        ok = False
        why = ""
        if out.returncode not in (0, 1):
            why = f"exit {out.returncode}"
        elif title is None:
            ok = not reps
            why = "" if ok else f"no crash expected, got {reps[0]['title']!r}"
        elif not reps:
            why = f"no report, want {title!r}"
        elif reps[0]["title"] != title and reps[0]["title"] not in hdr["ALT"]:
            why = f"title {reps[0]['title']!r} ({reps[0]['kind']}), want {title!r}"
        elif reps[0]["corrupted"] != (hdr.get("CORRUPTED") == "Y"):
            why = f"corrupted {reps[0]['corrupted']}, want {hdr.get('CORRUPTED') == 'Y'}"
        else:
            ok = True
        s = stats.setdefault(fam, [0, 0])
        s[0] += ok
        s[1] += 1
        if not ok:
            misses.append((fam, name, why))
    total_ok = sum(v[0] for v in stats.values())
    total = sum(v[1] for v in stats.values())
    for fam in sorted(stats, key=lambda f: -stats[f][1]):
        ok, n = stats[fam]
        print(f"{fam:32s} {ok:4d}/{n:<4d} {100.0 * ok / n:6.1f} %")
    print(f"{'all':32s} {total_ok:4d}/{total:<4d} {100.0 * total_ok / total:6.1f} %")
    if args.misses or args.check:
        for fam, name, why in misses:
            if args.misses or fam in EXACT:
                print(f"MISS [{fam}] {name}: {why}")
    if args.check:
        bad = [f for f in EXACT if f in stats and stats[f][0] != stats[f][1]]
        if total_ok < 0.95 * total or bad:
            print(f"accuracy: FAIL: {100.0 * total_ok / total:.1f} % overall; not exact: {bad}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
