#!/usr/bin/env python3
"""Check ksplat against the rig's ground truth (../shared/rig/GROUND_TRUTH.tsv).

For every ground-truth row of the kinds given with --kinds, every variant and
every rendering, run ksplat --format=json on the log and require a report of
that kind whose culprit is one of the accepted functions and whose locks are
the expected ones. Prints one line per miss and a summary; exit 1 on a miss.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

VARIANTS = ["orc-nokaslr", "orc-kaslr", "fp-nokaslr", "fp-kaslr"]
RENDERINGS = ["console", "dmesg", "dmesg-raw", "kmsg"]


def base(func):
    """Function name without compiler clone suffixes (.constprop.0, .cold, ...)."""
    return re.split(r"\.(?:constprop|isra|part|cold|llvm|lto_priv)", func or "")[0]


def run_ksplat(ksplat, path):
    out = subprocess.run(ksplat + ["--format=json", path], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"{path}: exit {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def lock_names(rep):
    return {l["name"] for l in rep["locks"]}


def check_row(row, doc):
    """None when a report matches the row, else the reason."""
    want_kind = row["report_kind"]
    culprits = [c for c in row["culprit_function"].split("|")]
    want_locks = [] if row["locks"] in ("-", "") else row["locks"].split(";")
    same_kind = [r for r in doc["reports"] if r["kind"] == want_kind]
    if not same_kind:
        return f"no {want_kind} report (got {[r['kind'] for r in doc['reports']]})"
    found = [r for r in same_kind if r["culprit"] and base(r["culprit"]["function"]) in culprits]
    if not found:
        got = [r["culprit"] and r["culprit"]["function"] for r in same_kind]
        return f"culprit {got}, want {culprits}"
    rep = found[0]
    if want_kind in ("sleep-in-atomic", "schedule-while-atomic"):
        got = rep["lock"]
        want = want_locks[0] if want_locks else None
        if got != want:
            return f"lock {got!r}, want {want!r}"
    else:
        missing = [l for l in want_locks if l not in lock_names(rep)]
        if missing:
            return f"locks {sorted(lock_names(rep))} lack {missing}"
    if rep["headline"] != row["title"]:
        return f"headline {rep['headline']!r}, want {row['title']!r}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rig", required=True)
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--kinds", required=True, help="comma-separated report kinds")
    args = ap.parse_args()
    kinds = set(args.kinds.split(","))
    ksplat = args.ksplat.split()
    with open(os.path.join(args.rig, "GROUND_TRUTH.tsv")) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["report_kind"] in kinds]
    checks = misses = 0
    cache = {}
    for row in rows:
        for variant in VARIANTS:
            for rendering in RENDERINGS:
                path = os.path.join(args.rig, "logs", variant, f"{row['log']}.{rendering}.log")
                if path not in cache:
                    cache[path] = run_ksplat(ksplat, path)
                checks += 1
                why = check_row(row, cache[path])
                if why:
                    misses += 1
                    print(f"MISS {row['scenario']} {variant} {rendering}: {why}")
    print(f"rig: {checks - misses}/{checks} checks pass ({len(rows)} rows x {len(VARIANTS)} variants x {len(RENDERINGS)} renderings)")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
