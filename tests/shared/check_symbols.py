#!/usr/bin/env python3
"""Check symbolization against the rig's ground truth.

For every row of GROUND_TRUTH.tsv, variant and rendering, run ksplat with the
variant's vmlinux and module: the culprit's file:line must equal culprit_line
(compared by path suffix; "N-M" is a range), and where lock_taken_at starts
with a file:line, the lock's acquisition site too. The fp vmlinux is stored
xz-compressed: it is decompressed into a temporary directory.
"""
import argparse
import csv
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile

RENDERINGS = ["console", "dmesg", "dmesg-raw", "kmsg"]


def line_ok(frame, want):
    m = re.match(r"([\w/.-]+):(\d+)(?:-(\d+))?", want)
    if not m or not frame or not frame.get("file"):
        return False
    lo, hi = int(m.group(2)), int(m.group(3) or m.group(2))
    return frame["file"].endswith(m.group(1)) and lo <= frame["line"] <= hi


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rig", required=True)
    ap.add_argument("--ksplat", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ksplat-sym-")
    try:
        fp = os.path.join(tmp, "vmlinux")
        with lzma.open(os.path.join(args.rig, "symbols/fp/vmlinux.xz")) as src, open(fp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        vmlinux = {"orc": os.path.join(args.rig, "symbols/orc/vmlinux"), "fp": fp}
        rows = list(csv.DictReader(open(os.path.join(args.rig, "GROUND_TRUTH.tsv")), delimiter="\t"))
        checks = misses = 0
        for variant in ["orc-nokaslr", "orc-kaslr", "fp-nokaslr", "fp-kaslr"]:
            build = variant.split("-")[0]
            for rendering in RENDERINGS:
                cache = {}
                for row in rows:
                    path = os.path.join(args.rig, "logs", variant, f"{row['log']}.{rendering}.log")
                    if path not in cache:
                        out = subprocess.run(args.ksplat.split() + [
                            "--format=json", "--vmlinux", vmlinux[build],
                            "--modules", os.path.join(args.rig, "symbols", build), path],
                            capture_output=True, text=True)
                        cache[path] = json.loads(out.stdout)["reports"]
                    culprits = row["culprit_function"].split("|")
                    reps = [r for r in cache[path] if r["kind"] == row["report_kind"] and r["culprit"]
                            and re.split(r"\.constprop", r["culprit"]["function"])[0] in culprits]
                    checks += 1
                    if not reps:
                        misses += 1
                        print(f"MISS {row['scenario']} {variant} {rendering}: no report")
                        continue
                    rep = reps[0]
                    want_lock = row["lock_taken_at"].split(" ")[0]
                    why = None
                    if re.match(r"splatmod/splatmod\.c:\d+", row["culprit_line"]) and \
                            rep["culprit"]["function"].startswith(culprits[0]) and \
                            not line_ok(rep["culprit"], row["culprit_line"]):
                        why = f"culprit at {rep['culprit'].get('file')}:{rep['culprit'].get('line')}, want {row['culprit_line']}"
                    elif re.match(r"splatmod/splatmod\.c:\d+$", want_lock):
                        # The lock that matters (held, conflicting or atomic) was taken there;
                        # without a lock, the place interrupts or preemption went off.
                        if row["locks"] == "-":
                            # Only a site the log printed in the module can be checked: FP kernels
                            # print preempt_count_add, a soft lockup prints none.
                            sites = [rep[k] for k in ("irqs_disabled_at", "preempt_disabled_at")
                                     if rep[k] and rep[k]["module"] == "splatmod"]
                        else:
                            sites = [l["acquired_at"] for l in rep["locks"] if l["acquired_at"]]
                        if sites and not any(line_ok(a, want_lock) for a in sites):
                            got = [f"{a.get('file')}:{a.get('line')}" for a in sites]
                            why = f"locks taken at {got}, want {want_lock}"
                    if why:
                        misses += 1
                        print(f"MISS {row['scenario']} {variant} {rendering}: {why}")
        print(f"symbols: {checks - misses}/{checks} checks pass")
        return 1 if misses else 0
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
