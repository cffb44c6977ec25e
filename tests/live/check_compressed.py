#!/usr/bin/env python3
"""Compressed inputs: told by content, for files and standard input.

Each sample log is compressed with gzip, xz, bzip2 (Python's own modules) and
zstd (the zstd command, when installed) and must give exactly the reports of
the plain file. A name does not decide: a plain log called .gz is read as it
is, a gzip stream called .log is decompressed. A truncated or corrupt stream
names the input and the problem, keeps what was read before, and exits 2.

Usage: check_compressed.py --ksplat CMD --samples DIR
"""
import argparse
import bz2
import gzip
import json
import lzma
import os
import random
import shutil
import subprocess
import sys
import tempfile

SAMPLES = ["atomic_kmalloc.dmesg.log", "abba.dmesg.log", "preempt_sleep.journal.log"]


def zstd(data):
    tool = shutil.which("zstd")
    if not tool:
        return None
    return subprocess.run([tool, "-q", "-c"], input=data, capture_output=True, check=True).stdout


CODECS = {
    "gzip": gzip.compress,
    "xz": lzma.compress,
    "bzip2": bz2.compress,
    "zstd": zstd,
}


def reports(cmd, args, stdin=None):
    out = subprocess.run(cmd.split() + ["-F", "jsonl"] + args, input=stdin, capture_output=True)
    return [json.loads(l) for l in out.stdout.splitlines()], out.returncode, out.stderr.decode()


def summary(reps):
    return [(r["kind"], r["culprit"] and r["culprit"]["function"], r["lock"]) for r in reps]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ksplat-z-")
    failures, checks, skipped = [], 0, set()
    try:
        for sample in SAMPLES:
            with open(os.path.join(args.samples, sample), "rb") as f:
                plain = f.read()
            want, _, _ = reports(args.ksplat, [os.path.join(args.samples, sample)])
            for codec, compress in CODECS.items():
                data = compress(plain)
                if data is None:
                    skipped.add(codec)
                    continue
                # A name that says nothing: the content decides.
                path = os.path.join(tmp, f"{sample}.{codec}.log")
                with open(path, "wb") as f:
                    f.write(data)
                for how, got in (("file", reports(args.ksplat, [path])),
                                 ("stdin", reports(args.ksplat, [], stdin=data))):
                    checks += 1
                    if summary(got[0]) != summary(want) or got[1] != 1:
                        failures.append(f"{sample} {codec} {how}: {summary(got[0])} status {got[1]}, "
                                        f"want {summary(want)}: {got[2].strip()}")
        # A plain log named .gz is read as it is.
        fake = os.path.join(tmp, "plain.gz")
        shutil.copy(os.path.join(args.samples, SAMPLES[0]), fake)
        checks += 1
        if len(reports(args.ksplat, [fake])[0]) != 1:
            failures.append("a plain file named .gz was not read as plain text")
        # Truncated: the reports before the cut, a message naming the input, status 2.
        # (The decompressor reads its input ahead in blocks: a stream cut within its
        # first block gives nothing but the message, so this one is long.)
        with open(os.path.join(args.samples, SAMPLES[0]), "rb") as f:
            splat = f.read()
        random.seed(1)
        stream = gzip.compress(b"".join(
            b"[%12.6f] chatter %x\n" % (i, random.getrandbits(64)) * 20 + splat for i in range(300)))
        cut = os.path.join(tmp, "cut.log")
        with open(cut, "wb") as f:
            f.write(stream[:len(stream) * 3 // 4])
        got, status, err = reports(args.ksplat, [cut])
        checks += 1
        if status != 2 or "cut.log" not in err or "gzip" not in err or not got:
            failures.append(f"truncated gzip: {len(got)} reports, status {status}, stderr {err.strip()!r}")
        # Garbage after a valid magic number.
        bad = os.path.join(tmp, "bad.log")
        with open(bad, "wb") as f:
            f.write(b"\xfd7zXZ\x00" + os.urandom(4096))
        got, status, err = reports(args.ksplat, [bad])
        checks += 1
        if status != 2 or "xz" not in err:
            failures.append(f"corrupt xz: status {status}, stderr {err.strip()!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL compressed: {f}")
    note = f" (skipped: {', '.join(sorted(skipped))} not installed)" if skipped else ""
    print(f"compressed: {checks - len(failures)}/{checks} checks pass{note}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
