#!/usr/bin/env python3
"""ksplat merge: --format=json documents read back, folded and written again.

(a) Round trip: for every sample log S, `ksplat -F json S` is a document A;
    `ksplat merge A -F json` must give A again, member for member (no member
    may differ), and `ksplat merge A` in text and SARIF must give what ksplat
    wrote for S itself in those formats.
(b) A merged document merges again into itself.
(c) Two documents of different logs: total is the sum, the findings the union
    of both, and each finding lists the right inputs with the right counts.
    The same document given twice: every count doubles, the inputs stay.
(d) Text and SARIF of a merged set: status 1, not empty, SARIF with one
    result per finding.
(e) Bad documents (not JSON, truncated, not ksplat's, missing, empty): status
    2 and a message naming the file; the good documents beside them are
    still merged.

Two members can differ legitimately when the document itself was partial:
"total" counts the reports --top left out and "not_kept" those beyond
--max-signatures, which a merge cannot count again. And a log byte that is
not UTF-8 is written as "\\u00XX", which a JSON reader (json-c too) takes for
the character U+00XX: it comes back as that character ("\\u00e9" as "é").
The samples have none of these.

Usage: check_merge.py --ksplat CMD --samples DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, args):
    out = subprocess.run(cmd.split() + args, capture_output=True)
    return out.stdout, out.returncode, out.stderr.decode(errors="replace")


def differences(a, b, path=""):
    """Paths where two JSON values differ."""
    if type(a) is not type(b):
        return [path or "/"]
    if isinstance(a, dict):
        return [d for k in sorted(set(a) | set(b))
                for d in (differences(a[k], b[k], f"{path}.{k}") if k in a and k in b else [f"{path}.{k}"])]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}[] (length {len(a)} != {len(b)})"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [path]


def by_signature(doc):
    return {r["signature"]: r for r in doc["reports"]}


def inputs_of(report):
    return {i["input"]: i["count"] for i in report["inputs"]}


class Checks:
    def __init__(self):
        self.failures, self.count = [], 0

    def expect(self, ok, what):
        self.count += 1
        if not ok:
            self.failures.append(what)
        return ok


def round_trip(c, ksplat, tmp, samples):
    """(a) and (b); returns the documents of the logs with reports, by name."""
    docs = {}
    for sample in samples:
        log = os.path.join(tmp, sample)
        a_path = os.path.join(tmp, sample + ".json")
        a, status, _ = run(ksplat, ["-F", "json", log])
        with open(a_path, "wb") as f:
            f.write(a)
        b, bstatus, err = run(ksplat, ["merge", a_path, "-F", "json"])
        if not c.expect(bstatus == status, f"(a) {sample}: merge status {bstatus}, ksplat {status}: {err.strip()}"):
            continue
        diff = differences(json.loads(a), json.loads(b))
        c.expect(not diff, f"(a) {sample}: merged document differs at {', '.join(diff[:8])}")
        c.expect(a == b, f"(a) {sample}: same members, other bytes")
        for fmt in ("text", "sarif"):
            want, _, _ = run(ksplat, ["-F", fmt, log])
            got, _, _ = run(ksplat, ["merge", a_path, "-F", fmt])
            c.expect(got == want, f"(a) {sample}: merge -F {fmt} differs from ksplat -F {fmt}")
        b_path = os.path.join(tmp, sample + ".merged.json")
        with open(b_path, "wb") as f:
            f.write(b)
        again, _, _ = run(ksplat, ["merge", b_path, "-F", "json"])
        c.expect(again == b, f"(b) {sample}: a merged document does not merge into itself")
        if json.loads(a)["reports"]:
            docs[sample] = (a_path, json.loads(a))
    return docs


def two_documents(c, ksplat, docs):
    """(c): union and sums over two logs, doubling for one given twice."""
    names = sorted(docs, key=lambda s: -len(docs[s][1]["reports"]))[:2]
    (pa, da), (pb, db) = docs[names[0]], docs[names[1]]
    out, status, err = run(ksplat, ["merge", pa, pb, "-F", "json"])
    if not c.expect(status == 1, f"(c) merge of two: status {status}: {err.strip()}"):
        return
    m = json.loads(out)
    c.expect(m["total"] == da["total"] + db["total"], f"(c) total {m['total']} != {da['total']} + {db['total']}")
    sa, sb, sm = by_signature(da), by_signature(db), by_signature(m)
    c.expect(set(sm) == set(sa) | set(sb), "(c) findings are not the union of both documents'")
    c.expect(m["distinct"] == len(set(sa) | set(sb)), f"(c) distinct {m['distinct']}")
    c.expect(m["inputs"] == da["inputs"] + [i for i in db["inputs"] if i not in da["inputs"]],
             f"(c) inputs {m['inputs']}")
    for sig, r in sm.items():
        want = {}
        for d in (sa, sb):
            for name, n in (inputs_of(d[sig]).items() if sig in d else ()):
                want[name] = want.get(name, 0) + n
        c.expect(inputs_of(r) == want and r["count"] == sum(want.values()),
                 f"(c) {sig}: inputs {inputs_of(r)}, count {r['count']}, want {want}")
    out, status, _ = run(ksplat, ["merge", pa, pa, "-F", "json"])
    twice = json.loads(out)
    c.expect(twice["total"] == 2 * da["total"] and twice["distinct"] == da["distinct"],
             f"(c) the same document twice: total {twice['total']}, distinct {twice['distinct']}")
    for sig, r in by_signature(twice).items():
        c.expect(r["count"] == 2 * sa[sig]["count"] and
                 inputs_of(r) == {k: 2 * v for k, v in inputs_of(sa[sig]).items()},
                 f"(c) the same document twice: {sig} counted {r['count']}, inputs {inputs_of(r)}")
    top, _, _ = run(ksplat, ["merge", pa, pb, "-F", "json", "--top=1"])
    c.expect(len(json.loads(top)["reports"]) == 1, "(c) --top=1 kept more than one finding")
    return pa, pb, m


def other_formats(c, ksplat, pa, pb, merged):
    """(d): text and SARIF of the merged set."""
    for fmt in ("text", "sarif"):
        out, status, err = run(ksplat, ["merge", pa, pb, "-F", fmt])
        c.expect(status == 1 and out.strip(), f"(d) -F {fmt}: status {status}, {len(out)} bytes: {err.strip()}")
        if fmt == "sarif" and out.strip():
            results = json.loads(out)["runs"][0]["results"]
            c.expect(len(results) == merged["distinct"], f"(d) SARIF has {len(results)} results")
    quiet, status, _ = run(ksplat, ["merge", pa, pb, "-q"])
    c.expect(status == 1 and b"RANK" in quiet, f"(d) -q: status {status}")


BAD = {
    "garbage.json": b"this is not JSON\n",
    "truncated.json": None,  # the first document, cut in the middle
    "other.json": b'{"tool":"dmesg","reports":[]}\n',
    "empty.json": b"",
    "kind.json": b'{"tool":"ksplat","reports":[{"kind":"nope","signature":"ks-0000000000000001","count":1}]}',
}


def bad_documents(c, ksplat, tmp, pa):
    """(e): each bad document named, status 2, the good one still merged."""
    with open(pa, "rb") as f:
        good = f.read()
    for name, data in BAD.items():
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data if data is not None else good[:len(good) // 2])
        out, status, err = run(ksplat, ["merge", pa, path, "-F", "json"])
        c.expect(status == 2 and path in err, f"(e) {name}: status {status}, stderr {err.strip()!r}")
        c.expect(out and json.loads(out)["total"] == json.loads(good)["total"],
                 f"(e) {name}: the good document beside it was not merged")
    missing = os.path.join(tmp, "missing.json")
    _, status, err = run(ksplat, ["merge", missing])
    c.expect(status == 2 and missing in err, f"(e) missing file: status {status}, stderr {err.strip()!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ksplat-merge-")
    c = Checks()
    try:
        # The logs are copied so that every document names its input the same way.
        samples = sorted(s for s in os.listdir(args.samples) if s.endswith(".log"))
        for s in samples:
            shutil.copy(os.path.join(args.samples, s), tmp)
        docs = round_trip(c, args.ksplat, tmp, samples)
        if c.expect(len(docs) >= 2, "fewer than two sample logs have reports"):
            pa, pb, merged = two_documents(c, args.ksplat, docs)
            other_formats(c, args.ksplat, pa, pb, merged)
            bad_documents(c, args.ksplat, tmp, pa)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in c.failures:
        print(f"FAIL merge: {f}")
    print(f"merge: {c.count - len(c.failures)}/{c.count} checks pass")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
