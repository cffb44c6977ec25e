#!/usr/bin/env python3
"""Scanning speed and memory: ksplat against grep -cE and rg -c.

Inputs, generated deterministically (a fixed seed) into --dir and kept there:
- sparse.log: 1 GB of console log (boot messages, driver chatter, userspace
  lines among them) with a kernel report every ~10 MB;
- dense.log: 100 MB dense in reports (one every ~4 KB);
- rig.log: the rig's real logs (../shared) repeated to ~100 MB.

For each input it prints, from the same run, the wall time, throughput and
peak RSS (GNU time) of ksplat (text output, no symbols), of grep -cE with the
report-start patterns and of rg -c with the same patterns, then ksplat/grep.
Each figure is the best of --repeat runs, after one run that warms the page
cache. Then ksplat's peak RSS on the first 100 MB, 300 MB and all of sparse.log,
ranked and streamed (jsonl): it must not grow with the input, only with the
distinct signatures kept for the ranking.

Usage: scan.py [--ksplat ./ksplat] [--dir build/bench] [--shared ../shared] [--repeat 3]
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from follow_memory import report  # noqa: E402  (the same reports the follow bench writes)

MB = 1000 * 1000

# What someone would grep a console log for to find the kernel's reports.
PATTERNS = [
    r"BUG: ", r"WARNING: ", r"Oops", r"Kernel panic", r"general protection fault",
    r"Unable to handle kernel", r"INFO: task .* blocked for more than",
    r"rcu: INFO: rcu_(pre|s)?sched detected stall", r"watchdog: BUG: soft lockup",
    r"Watchdog detected hard LOCKUP", r"possible circular locking dependency",
    r"possible recursive locking", r"inconsistent lock state", r"Invalid wait context",
    r"scheduling while atomic", r"KASAN: ", r"UBSAN: ", r"kernel BUG at",
]

BOOT = [
    "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1",
    "Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=0b1c ro quiet console=ttyS0,115200",
    "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
    "BIOS-e820: [mem 0x0000000000100000-0x00000000bffdafff] usable",
    "ACPI: RSDP 0x00000000000F5A40 000014 (v00 BOCHS )",
    "Memory: 16305580K/16776684K available (14342K kernel code, 2330K rwdata, 9112K rodata)",
    "smpboot: CPU0: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz (family: 0x6, model: 0x4f, stepping: 0x1)",
    "pci 0000:00:1f.2: [8086:2922] type 00 class 0x010601",
    "clocksource: tsc: mask: 0xffffffffffffffff max_cycles: 0x2295bb0c5d6, max_idle_ns: 440795212019 ns",
    "Run /init as init process",
]

CHATTER = [
    "usb {a}-{b}: new high-speed USB device number {n} using xhci_hcd",
    "usb {a}-{b}: New USB device found, idVendor=0781, idProduct=5581, bcdDevice= 1.00",
    "sd {a}:0:0:0: [sd{c}] 30031872 512-byte logical blocks: (15.4 GB/14.3 GiB)",
    "EXT4-fs (sda{a}): mounted filesystem with ordered data mode. Quota mode: none.",
    "e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
    "IPv6: ADDRCONF(NETDEV_CHANGE): eth{a}: link becomes ready",
    "audit: type=1400 audit({t}:{n}): apparmor=\"STATUS\" operation=\"profile_load\" name=\"/usr/bin/man\" pid={p}",
    "nvme nvme0: {a}/0/0 default/read/poll queues",
    "Bluetooth: hci0: BCM: chip id 63",
    "br-lan: port {a}(veth{n}) entered forwarding state",
    "device veth{n} entered promiscuous mode",
    "kauditd_printk_skb: {a} callbacks suppressed",
    "TCP: request_sock_TCP: Possible SYN flooding on port {p}. Sending cookies.",
    "perf: interrupt took too long ({n} > {p}), lowering kernel.perf_event_max_sample_rate to {q}",
    "loop{a}: detected capacity change from 0 to {n}",
    "xfs filesystem being mounted at /mnt/test{a} supports timestamps until 2038 (0x7fffffff)",
    "nfs: server 10.0.{a}.{b} not responding, still trying",
    "overlayfs: upper fs does not support tmpfile.",
    "cgroup: fork rejected by pids controller in /system.slice/run-r{n}.scope",
    "virtio_net virtio{a} enp{b}s0: renamed from eth{a}",
]

USERSPACE = [
    "systemd[1]: Started Session {n} of User ci.",
    "systemd[1]: run-docker-runtime\\x2drunc-moby-{n}.mount: Deactivated successfully.",
    "systemd-journald[{p}]: Received client request to flush runtime journal.",
    "sshd[{p}]: Accepted publickey for ci from 10.0.{a}.{b} port {q} ssh2",
    "kernel-ci[{p}]: test {n} PASS",
]


def chatter_block(rnd, t0, size):
    """About @size bytes of console lines from kernel time @t0; returns (bytes, t)."""
    lines, total, t = [], 0, t0
    pool = CHATTER * 4 + USERSPACE
    while total < size:
        t += rnd.random() * 0.002
        msg = rnd.choice(pool).format(a=rnd.randrange(8), b=rnd.randrange(16), c=chr(97 + rnd.randrange(4)),
                                      n=rnd.randrange(100000), p=rnd.randrange(1, 32768),
                                      q=rnd.randrange(1000, 65536), t=int(t) + 1700000000)
        line = "[%12.6f] %s\n" % (t, msg)
        lines.append(line)
        total += len(line)
    return "".join(lines).encode(), t


def report_block(n, t):
    return "".join("[%12.6f] %s\n" % (t + i * 1e-6, l) for i, l in enumerate(report(n, t))).encode()


def generate(path, size, every, seed):
    """A log of @size bytes with a report every @every bytes, unless already there."""
    if os.path.exists(path) and os.path.getsize(path) >= size:
        return
    rnd = random.Random(seed)
    tmp = path + ".tmp"
    t, n, done = 0.0, 0, 0
    with open(tmp, "wb") as f:
        for l in BOOT:
            f.write(b"[%12.6f] %s\n" % (t, l.encode()))
        while done < size:
            block, t = chatter_block(rnd, t, every)
            rep = report_block(n, t)
            f.write(block)
            f.write(rep)
            done += len(block) + len(rep)
            n += 1
    os.rename(tmp, path)


def repeat_rig(path, shared, size):
    logs = os.path.join(shared, "rig", "logs", "fp-nokaslr")
    if not os.path.isdir(logs):
        return False
    if os.path.exists(path) and os.path.getsize(path) >= size:
        return True
    blob = b"".join(open(os.path.join(logs, n), "rb").read()
                    for n in sorted(os.listdir(logs)) if n.endswith(".log"))
    with open(path + ".tmp", "wb") as f:
        for _ in range(size // len(blob) + 1):
            f.write(blob)
    os.rename(path + ".tmp", path)
    return True


def prefix(path, src, size):
    if not (os.path.exists(path) and os.path.getsize(path) == size):
        with open(src, "rb") as i, open(path, "wb") as o:
            left = size
            while left:
                chunk = i.read(min(left, 1 << 24))
                o.write(chunk)
                left -= len(chunk)


def timed(cmd, path):
    """(wall seconds, peak RSS KiB, output) of @cmd reading @path.

    The output goes to a file, not /dev/null: GNU grep sees /dev/null and
    stops at the first match, which would not be the same work.
    """
    rss, out = path + ".rss", path + ".out"
    t0 = time.monotonic()
    with open(out, "wb") as o:
        p = subprocess.run(["time", "-q", "-f", "%M", "-o", rss, "--"] + cmd + [path],
                           stdout=o, stderr=subprocess.DEVNULL)
    secs = time.monotonic() - t0
    if p.returncode not in (0, 1):
        sys.exit(f"scan.py: {' '.join(cmd)} {path}: exit status {p.returncode}")
    with open(rss) as f:
        kb = int(f.read().split()[-1])
    with open(out, "rb") as f:
        text = f.read()
    os.unlink(rss)
    os.unlink(out)
    return secs, kb, text


def best(cmd, path, repeat):
    """(best wall seconds, largest peak RSS KiB, output) over @repeat runs after a warm-up."""
    timed(cmd, path)  # page cache
    runs = [timed(cmd, path) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[0][2]


def found(name, out):
    """What a tool found: ksplat's reports ("ksplat: N reports, ..."), grep's and rg's lines."""
    m = re.match(rb"ksplat: ([0-9]+) report", out) if name == "ksplat" else re.match(rb"\s*([0-9]+)", out)
    return int(m.group(1)) if m else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", default="./ksplat")
    ap.add_argument("--dir", default="build/bench")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    t0 = time.monotonic()
    inputs = []
    sparse = os.path.join(a.dir, "sparse.log")
    generate(sparse, 1000 * MB, 10 * MB, 1)
    inputs.append(("sparse 1 GB", sparse))
    dense = os.path.join(a.dir, "dense.log")
    generate(dense, 100 * MB, 4000, 2)
    inputs.append(("dense 100 MB", dense))
    rig = os.path.join(a.dir, "rig.log")
    if repeat_rig(rig, a.shared, 100 * MB):
        inputs.append(("rig 100 MB", rig))
    else:
        print(f"scan.py: no {a.shared}/rig: the rig's logs are left out", file=sys.stderr)
    print(f"inputs ready in {time.monotonic() - t0:.1f} s ({a.dir})\n")

    pattern = "|".join(PATTERNS)
    tools = [("ksplat", [a.ksplat, "--no-host-symbols"]), ("grep -cE", ["grep", "-cE", pattern])]
    if shutil.which("rg"):
        tools.append(("rg -c", ["rg", "-c", pattern]))
    else:
        print("scan.py: rg is not installed: ripgrep left out", file=sys.stderr)
    print(f"{'input':16} {'tool':9} {'wall s':>7} {'MB/s':>6} {'peak RSS':>9} {'found':>7}  ksplat/tool")
    for label, path in inputs:
        size = os.path.getsize(path)
        first = None
        for name, cmd in tools:
            secs, kb, out = best(cmd, path, a.repeat)
            first = first or secs
            ratio = f"{first / secs:.2f}x" if name != "ksplat" else ""
            print(f"{label:16} {name:9} {secs:7.2f} {size / MB / secs:6.0f} {kb / 1024:6.1f} MB "
                  f"{found(name, out):7}  {ratio}")
        print()

    # Ranked output keeps one report per distinct signature (each report of the
    # sparse log is a new one, 4 KB or so each); jsonl writes each and keeps nothing.
    print("ksplat's peak RSS as the input grows (must not grow but for the signatures kept):")
    print(f"  {'input':>8}  {'ranked':>8}  {'jsonl':>8}")
    for mb in (100, 300, 1000):
        p = sparse
        if mb < 1000:
            p = os.path.join(a.dir, f"sparse-{mb}.log")
            prefix(p, sparse, mb * MB)
        _, ranked, _ = timed([a.ksplat, "--no-host-symbols"], p)
        _, stream, _ = timed([a.ksplat, "--no-host-symbols", "--format=jsonl"], p)
        print(f"  {mb:5} MB  {ranked / 1024:5.1f} MB  {stream / 1024:5.1f} MB")


if __name__ == "__main__":
    main()
