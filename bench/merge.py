#!/usr/bin/env python3
"""Time and peak memory of ksplat merge over a fleet's documents.

Generates (deterministically) one --format=json document per host, 10 hosts,
10^5 report objects in all over about 10^4 distinct signatures: each report
is the real report of `ksplat -F json samples/atomic_kmalloc.dmesg.log` with
its signature, culprit function (everywhere it is named) and input name
varied. Then times `ksplat merge` over them, `-F json` to /dev/null and
`-F text -q`, and prints the wall time, report objects read per second and
the peak resident set size (ru_maxrss from os.wait4). A last run checks the
merged totals against what was generated.

Usage: merge.py [--ksplat ./ksplat] [--samples samples] [--reports 100000]
                [--hosts 10] [--distinct 11000] [--keep DIR]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

SAMPLE = "atomic_kmalloc.dmesg.log"


def template(ksplat, samples):
    """The sample's report as a %-format string: sig, fn, host, count, line."""
    path = os.path.join(samples, SAMPLE)
    out = subprocess.run(ksplat.split() + ["-F", "json", path], capture_output=True, check=False)
    doc = json.loads(out.stdout)
    report = doc["reports"][0]
    culprit = report["culprit"]["function"]
    report.update(signature="@SIG@", count="@COUNT@", rank=1,
                  inputs=[{"input": "@HOST@", "count": "@COUNT@"}])
    report["first_seen"].update(input="@HOST@", line="@LINE@")
    report["last_seen"].update(input="@HOST@", line="@LINE@")
    text = json.dumps(report, separators=(",", ":")).replace("%", "%%")
    for old, new in (('"@COUNT@"', "%(count)d"), ('"@LINE@"', "%(line)d"), ("@SIG@", "ks-%(sig)016x"),
                     ("@HOST@", "%(host)s"), (culprit, "%(fn)s")):
        text = text.replace(old, new)
    return text, doc["version"]


def generate(tpl, version, outdir, reports, hosts, distinct):
    """One document per host; returns paths, total count, distinct signatures, bytes."""
    rng = random.Random(20240501)
    per_host = reports // hosts
    pool = max(distinct, per_host)
    paths, total, seen, size = [], 0, set(), 0
    for h in range(hosts):
        host = f"host{h:02d}/kern.log"
        picked = sorted(rng.sample(range(pool), per_host))
        counts = [rng.randint(1, 5) for _ in picked]
        parts = []
        for n, (k, count) in enumerate(zip(picked, counts)):
            parts.append(tpl % {"sig": (k * 0x9E3779B97F4A7C15) & (2**64 - 1), "fn": f"drv{k:05d}_work",
                                "host": host, "count": count, "line": 100 + 40 * n})
        head = json.dumps({"tool": "ksplat", "version": version, "inputs": [host], "total": sum(counts),
                           "distinct": len(picked), "not_kept": 0}, separators=(",", ":"))
        text = head[:-1] + ',"reports":[' + ",".join(parts) + "]}\n"
        path = os.path.join(outdir, f"host{h:02d}.json")
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)
        total += sum(counts)
        seen.update(picked)
        size += len(text)
    return paths, total, len(seen), size


def timed(cmd, stdout):
    """Wall seconds, peak RSS in MiB and status of one run."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    err = p.stderr.read().decode(errors="replace").strip()
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, p.returncode, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", default=os.environ.get("KSPLAT", "./ksplat"))
    ap.add_argument("--samples", default="samples")
    ap.add_argument("--reports", type=int, default=100000)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--distinct", type=int, default=11000)
    ap.add_argument("--keep", help="write the documents here and keep them")
    args = ap.parse_args()
    outdir = args.keep or tempfile.mkdtemp(prefix="ksplat-bench-merge-")
    os.makedirs(outdir, exist_ok=True)
    try:
        start = time.monotonic()
        tpl, version = template(args.ksplat, args.samples)
        paths, total, distinct, size = generate(tpl, version, outdir, args.reports, args.hosts, args.distinct)
        print(f"generated {len(paths)} documents, {args.reports} reports ({total} occurrences), "
              f"{distinct} distinct signatures, {size / 2**20:.0f} MiB, in {time.monotonic() - start:.1f} s")
        base = args.ksplat.split() + ["merge", f"--max-signatures={max(distinct, 1024)}"]
        print(f"{'run':<22} {'wall s':>8} {'reports/s':>10} {'MiB/s':>8} {'peak RSS MiB':>13}")
        for label, opts in (("merge -F json", ["-F", "json"]), ("merge -F text -q", ["-F", "text", "-q"])):
            with open(os.devnull, "wb") as null:
                wall, rss, status, err = timed(base + opts + paths, null)
            if status != 1:
                print(f"{label}: status {status}: {err}")
                continue
            print(f"{label:<22} {wall:8.2f} {args.reports / wall:10.0f} {size / 2**20 / wall:8.1f} {rss:13.1f}")
        out = subprocess.run(base + ["-F", "json", "--top=1"] + paths, capture_output=True)
        head = json.loads(out.stdout)
        ok = head["total"] == total and head["distinct"] == distinct and head["not_kept"] == 0
        print(f"merged: total {head['total']}, distinct {head['distinct']}, not kept {head['not_kept']}: "
              f"{'as generated' if ok else f'WRONG, generated total {total}, distinct {distinct}'}")
    finally:
        if not args.keep:
            shutil.rmtree(outdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
