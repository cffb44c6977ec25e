#!/usr/bin/env python3
"""The journal, in and out: real journal files built with systemd-journal-remote.

In: export text written here (two boots of kernel-transport entries carrying
sample splats, userspace entries between them) becomes a journal file;
ksplat reads it back with --journal-file and --journal-dir, with -b and
--since/--until, and follows it (-f) while entries are appended. Out:
--format=journal-export is fed to systemd-journal-remote and the entries are
read back with journalctl, field by field. Skipped, saying so, without
systemd-journal-remote.

Usage: check_journal.py --ksplat CMD --samples DIR
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_follow import Ksplat  # noqa: E402

REMOTE = "/lib/systemd/systemd-journal-remote"
BOOTS = ["6f3b9bb2a7a64b2d9c3a1f0e5d4c3b2a", "8a1e2c3d4b5a69788796a5b4c3d2e1f0"]
MACHINE = "0123456789abcdef0123456789abcdef"
EPOCH = 1795600000  # the boots' wall clock, seconds
WAIT_S = 10


def sample_messages(samples, name):
    """(kernel time in µs, message) of each line of a sample dmesg log."""
    out = []
    for line in open(os.path.join(samples, name), encoding="latin-1"):
        m = re.match(r"\[\s*(\d+)\.(\d{6})\](?:\[\s*[TC]\d+\])? (.*)", line.rstrip("\n"))
        if m:
            out.append((int(m.group(1)) * 1000000 + int(m.group(2)), m.group(3)))
    return out


def entry(fields):
    return "".join(f"{k}={v}\n" for k, v in fields.items()) + "\n"


def kernel_entries(boot, start_s, messages):
    text = ""
    for usec, msg in messages:
        text += entry({
            "__REALTIME_TIMESTAMP": (EPOCH + start_s) * 1000000 + usec,
            "__MONOTONIC_TIMESTAMP": usec,
            "_BOOT_ID": boot,
            "_MACHINE_ID": MACHINE,
            "_HOSTNAME": "farm-node-7",
            "_TRANSPORT": "kernel",
            "SYSLOG_FACILITY": 0,
            "PRIORITY": 4,
            "_SOURCE_MONOTONIC_TIMESTAMP": usec,
            "MESSAGE": msg,
        })
        if usec % 7 == 0:  # userspace chatter in between, not the kernel's
            text += entry({"__REALTIME_TIMESTAMP": (EPOCH + start_s) * 1000000 + usec + 1,
                           "__MONOTONIC_TIMESTAMP": usec + 1, "_BOOT_ID": boot, "_TRANSPORT": "syslog",
                           "MESSAGE": "BUG: sleeping function called from invalid context (not the kernel)",
                           "_HOSTNAME": "farm-node-7", "_MACHINE_ID": MACHINE})
    return text


def remote(export, journal, log):
    subprocess.run([REMOTE, f"--output={journal}", "-"], input=export.encode("latin-1"), check=True,
                   stdout=log, stderr=log)


def reports(cmd, args):
    out = subprocess.run(cmd.split() + ["-F", "jsonl"] + args, capture_output=True, text=True, timeout=60)
    return [json.loads(l) for l in out.stdout.splitlines()], out.returncode, out.stderr


def culprits(reps):
    return sorted(r["culprit"]["function"] for r in reps if r["culprit"])


def check(failures, what, cond, detail=""):
    if not cond:
        failures.append(f"{what}{': ' + str(detail) if detail else ''}")


def test_read(cmd, samples, tmp, log, failures):
    first = sample_messages(samples, "atomic_kmalloc.dmesg.log")
    second = sample_messages(samples, "abba.dmesg.log")
    jdir = os.path.join(tmp, "j")
    os.mkdir(jdir)
    journal = os.path.join(jdir, "remote.journal")
    remote(kernel_entries(BOOTS[0], 0, first) + kernel_entries(BOOTS[1], 3600, second), journal, log)

    reps, status, err = reports(cmd, [f"--journal-file={journal}"])
    check(failures, "all boots", culprits(reps) == ["faulty_function", "splat_abba_ba"], (culprits(reps), err))
    check(failures, "status 1", status == 1, status)
    rep = next((r for r in reps if r["kind"] == "sleep-in-atomic"), None)
    check(failures, "the journal's fields reach the report",
          rep and rep["context"]["host"] == "farm-node-7" and rep["context"]["boot_id"] == BOOTS[0]
          and rep["context"]["machine_id"] == MACHINE and rep["context"]["level"] == 4,
          rep and rep["context"])
    check(failures, "kernel time from _SOURCE_MONOTONIC_TIMESTAMP",
          rep and abs(rep["first_seen"]["time"] - first[[m for _, m in first].index(
              next(m for _, m in first if m.startswith("BUG: sleeping")))][0] / 1e6) < 1e-6,
          rep and rep["first_seen"])
    reps, _, err = reports(cmd, [f"--journal-dir={jdir}", "-b"])
    check(failures, "-b: the last boot", culprits(reps) == ["splat_abba_ba"], (culprits(reps), err))
    reps, _, err = reports(cmd, [f"--journal-dir={jdir}", "-b", "-1"])
    check(failures, "-b -1: the boot before", culprits(reps) == ["faulty_function"], (culprits(reps), err))
    reps, _, err = reports(cmd, [f"--journal-file={journal}", f"--boot={BOOTS[1]}"])
    check(failures, "--boot=ID", culprits(reps) == ["splat_abba_ba"], (culprits(reps), err))
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(EPOCH + 1800))
    reps, _, err = reports(cmd, [f"--journal-file={journal}", f"--since={since}"])
    check(failures, "--since", culprits(reps) == ["splat_abba_ba"], (culprits(reps), err))
    reps, _, err = reports(cmd, [f"--journal-file={journal}", f"--until={since}"])
    check(failures, "--until", culprits(reps) == ["faulty_function"], (culprits(reps), err))
    _, status, err = reports(cmd, [f"--journal-file={journal}", "--since=yesterday-ish"])
    check(failures, "a bad --since is an error", status == 2 and "since" in err, (status, err))
    _, status, err = reports(cmd, ["--boot=-1", samples])
    check(failures, "-b without the journal is an error", status == 2, status)
    return jdir, journal


def test_follow(cmd, samples, jdir, journal, log, failures):
    k = Ksplat(cmd, ["-f", f"--journal-dir={jdir}", "-b"])
    try:
        rep = k.report()
        check(failures, "follow: the backlog first", rep and rep["kind"] == "lockdep-circular",
              rep and rep["kind"])
        later = [(usec + 10000000, m) for usec, m in sample_messages(samples, "atomic_kmalloc.dmesg.log")]
        remote(kernel_entries(BOOTS[1], 3600, later), journal, log)
        rep = k.report()
        check(failures, "follow: an appended report", rep and rep["culprit"]["function"] == "faulty_function",
              rep and rep["headline"])
        check(failures, "follow: still running", k.proc.poll() is None)
    finally:
        k.stop()


def test_export(cmd, samples, tmp, log, failures):
    out = subprocess.run(cmd.split() + ["-F", "journal-export", os.path.join(samples, "atomic_kmalloc.dmesg.log"),
                                        os.path.join(samples, "abba.dmesg.log")], capture_output=True)
    check(failures, "export: status 1", out.returncode == 1, out.returncode)
    journal = os.path.join(tmp, "out.journal")
    subprocess.run([REMOTE, f"--output={journal}", "-"], input=out.stdout, check=True, stdout=log, stderr=log)
    got = subprocess.run(["journalctl", f"--file={journal}", "-o", "json", "--no-pager"], capture_output=True,
                         text=True)
    if got.returncode != 0:
        failures.append(f"journalctl could not read the exported journal: {got.stderr.strip()}")
        return
    entries = [json.loads(l) for l in got.stdout.splitlines()]
    funcs = sorted(e.get("KSPLAT_FUNCTION") for e in entries)
    check(failures, "export: one entry per report, read back", funcs == ["faulty_function", "splat_abba_ba"], funcs)
    e = next((e for e in entries if e.get("KSPLAT_FUNCTION") == "faulty_function"), {})
    check(failures, "export: fields", e.get("MESSAGE_ID") == "c4cf7a077c134739bd3ea5a281f0eb0b" and
          e.get("KSPLAT_LOCK") == "my_lock" and e.get("KSPLAT_KIND") == "sleep-in-atomic" and
          e.get("KSPLAT_SIGNATURE", "").startswith("ks-") and
          "Call Trace:" in (e.get("KSPLAT_REPORT") or ""), {k: v for k, v in e.items() if k.startswith("KSPLAT")})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    if not os.access(REMOTE, os.X_OK):
        print(f"journal: SKIP: {REMOTE} not installed (Debian package systemd-journal-remote)")
        return 0
    tmp = tempfile.mkdtemp(prefix="ksplat-journal-")
    failures = []
    try:
        with open(os.path.join(tmp, "remote.log"), "w") as log:
            jdir, journal = test_read(args.ksplat, args.samples, tmp, log, failures)
            test_follow(args.ksplat, args.samples, jdir, journal, log, failures)
            test_export(args.ksplat, args.samples, tmp, log, failures)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL journal: {f}")
    print(f"journal: {'ok' if not failures else f'{len(failures)} FAILED'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
