#!/usr/bin/env python3
"""Check --format=sarif against the official SARIF 2.1.0 schema.

Every sample log, and rig logs symbolized with their vmlinux and module, are
rendered as SARIF and validated with python3-jsonschema against
../shared/docs/sarif-schema-2.1.0.json. Beyond the schema: one result per
distinct report, rule ids that exist, a location at the culprit's file:line
when symbolized (the rig's ground truth) and at the log line otherwise, and
the signature as a partial fingerprint.
"""
import argparse
import glob
import json
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

import jsonschema


def sarif(cmd, args):
    out = subprocess.run(cmd.split() + ["--no-host-symbols", "-F", "sarif"] + args, capture_output=True, text=True)
    return json.loads(out.stdout), out


def check_doc(doc, validator, what, failures):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:3]:
        failures.append(f"{what}: schema: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    run = doc["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        if ids[res["ruleIndex"]] != res["ruleId"]:
            failures.append(f"{what}: result rule {res['ruleId']} is not rules[{res['ruleIndex']}]")
        if not res["partialFingerprints"]["ksplatSignature/v1"].startswith("ks-"):
            failures.append(f"{what}: no signature fingerprint")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    schema = json.load(open(os.path.join(args.shared, "docs/sarif-schema-2.1.0.json")))
    validator = jsonschema.validators.validator_for(schema)(schema)
    failures, docs = [], 0
    for log in sorted(glob.glob(os.path.join(args.samples, "*.log"))):
        doc, out = sarif(args.ksplat, [log])
        docs += 1
        check_doc(doc, validator, os.path.basename(log), failures)
        jl = subprocess.run(args.ksplat.split() + ["-F", "json", log], capture_output=True, text=True)
        distinct = json.loads(jl.stdout)["distinct"]
        results = doc["runs"][0]["results"]
        if len(results) != distinct:
            failures.append(f"{os.path.basename(log)}: {len(results)} results, {distinct} distinct reports")
        for res in results:
            loc = res["locations"][0]["physicalLocation"]
            want = ("file://" if log.startswith("/") else "") + urllib.parse.quote(log, safe="/._-~+")
            if loc["artifactLocation"]["uri"] != want:
                failures.append(f"{os.path.basename(log)}: unsymbolized location {loc}")
    rig = os.path.join(args.shared, "rig")
    tmp = tempfile.mkdtemp(prefix="ksplat-sarif-")
    try:
        fp = os.path.join(tmp, "vmlinux")
        with lzma.open(os.path.join(rig, "symbols/fp/vmlinux.xz")) as src, open(fp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        for build, vmlinux in (("orc", os.path.join(rig, "symbols/orc/vmlinux")), ("fp", fp)):
            logs = sorted(glob.glob(os.path.join(rig, "logs", f"{build}-kaslr", "*.dmesg.log")))
            doc, out = sarif(args.ksplat, ["--vmlinux", vmlinux, "--modules", os.path.join(rig, "symbols", build)]
                             + logs)
            docs += 1
            check_doc(doc, validator, f"rig {build}", failures)
            textbook = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "sleep-in-atomic"
                        and r["locations"][0].get("logicalLocations", [{}])[0].get("name") == "faulty_function"]
            loc = textbook and textbook[0]["locations"][0]["physicalLocation"]
            if not loc or not loc["artifactLocation"]["uri"].endswith("splatmod/splatmod.c") or \
                    loc["region"]["startLine"] != 44:
                failures.append(f"rig {build}: textbook case located at {loc}, want splatmod/splatmod.c:44")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL sarif: {f}")
    print(f"sarif: {docs} documents, {'valid' if not failures else f'{len(failures)} FAILED'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
