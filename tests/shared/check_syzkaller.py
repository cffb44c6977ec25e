#!/usr/bin/env python3
"""Check ksplat's titles against syzkaller's test corpus.

Each file in report/ starts with header lines (TITLE:, ALT:, CORRUPTED: ...)
up to the first empty line; the rest is the log. For the files whose TITLE
starts with one of --prefixes, the first report ksplat finds must carry that
title (or an ALT) and the expected corrupted flag. Files without a TITLE must
give no report of the kinds under test. Prints each miss and the rates.
"""
import argparse
import json
import os
import subprocess
import sys


def parse(path):
    with open(path, "rb") as f:
        data = f.read()
    head, _, log = data.partition(b"\n\n")
    hdr = {"ALT": []}
    for line in head.decode("utf-8", "replace").splitlines():
        key, sep, val = line.partition(":")
        val = val.strip()
        if not sep:
            continue
        if key == "ALT":
            hdr["ALT"].append(val)
        elif key == "TITLE" and not val:
            continue  # an empty TITLE, like none, means the log holds no crash
        else:
            hdr[key] = val
    # syzkaller strips \r; a trailing "REPORT:" section is expected output, not log.
    log = log.replace(b"\r", b"")
    cut = log.find(b"\n\nREPORT:\n")
    if cut >= 0:
        log = log[:cut + 1]
    return hdr, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--prefixes", required=True, help="'|'-separated TITLE prefixes")
    ap.add_argument("--kinds", required=True, help="comma-separated kinds under test")
    args = ap.parse_args()
    prefixes = args.prefixes.split("|")
    kinds = set(args.kinds.split(","))
    ksplat = args.ksplat.split()
    rdir = os.path.join(args.corpus, "report")
    total = ok = neg_total = neg_ok = 0
    for name in sorted(os.listdir(rdir), key=lambda n: (len(n), n)):
        hdr, log = parse(os.path.join(rdir, name))
        title = hdr.get("TITLE")
        if title is not None and not any(title.startswith(p) for p in prefixes):
            continue
        out = subprocess.run(ksplat + ["--format=jsonl", "-"], input=log, capture_output=True)
        if out.returncode not in (0, 1):
            print(f"ERROR {name}: exit {out.returncode}: {out.stderr.decode(errors='replace').strip()}")
            total += 1
            continue
        # jsonl comes in completion order (a nested report completes first); sort by start.
        reps = sorted((json.loads(l) for l in out.stdout.decode().splitlines() if l.strip()),
                      key=lambda r: r["first_seen"]["line"])
        if title is None:
            neg_total += 1
            mine = [r for r in reps if r["kind"] in kinds]
            if mine:
                print(f"MISS {name}: no crash expected, got {mine[0]['title']!r}")
            else:
                neg_ok += 1
            continue
        total += 1
        want_corrupted = hdr.get("CORRUPTED") == "Y"
        if not reps:
            print(f"MISS {name}: no report, want {title!r}")
            continue
        got = reps[0]
        if got["title"] != title and got["title"] not in hdr["ALT"]:
            print(f"MISS {name}: title {got['title']!r}, want {title!r}")
        elif got["corrupted"] != want_corrupted:
            print(f"MISS {name}: corrupted {got['corrupted']}, want {want_corrupted}")
        else:
            ok += 1
    print(f"syzkaller: {ok}/{total} titles match; {neg_ok}/{neg_total} crash-free logs give no report")
    return 0 if ok == total and neg_ok == neg_total else 1


if __name__ == "__main__":
    sys.exit(main())
