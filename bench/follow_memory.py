#!/usr/bin/env python3
"""Memory of ksplat following an endless stream: it must stay flat.

A writer feeds `ksplat -f -F jsonl` a generated console log through a pipe:
ordinary boot chatter between kernel reports (WARNINGs, sleeping-in-atomic
BUGs with held locks and a call trace, from a thousand different functions),
as fast as ksplat takes it. Its standard output is read and counted as it
comes. After 10^3, 10^4, 10^5 and 10^6 reports (--reports), the peak and
current resident set size of the ksplat process are read from
/proc/PID/status and printed, with the throughput so far.

Usage: follow_memory.py [--ksplat ./ksplat] [--reports 1000000]
"""
import argparse
import os
import subprocess
import sys
import threading
import time

CHATTER = [
    "usb 1-1: new high-speed USB device number %d using xhci_hcd",
    "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.",
    "systemd[1]: Started Journal Service.",
    "e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
]


def report(n, t):
    """The lines of report @n at kernel time @t (seconds)."""
    fn = f"drv{n % 1000}_work"
    if n % 2:
        return [
            "------------[ cut here ]------------",
            f"WARNING: CPU: 1 PID: {n % 30000} at drivers/x/drv{n % 1000}.c:{n % 900 + 10} {fn}+0x1c/0x40 [drv]",
            "Modules linked in: drv",
            f"CPU: 1 PID: {n % 30000} Comm: kworker/1:{n % 8} Tainted: G        W  O       6.1.0 #1",
            f"RIP: 0010:{fn}+0x1c/0x40 [drv]",
            "Call Trace:",
            " <TASK>",
            f" {fn}+0x1c/0x40 [drv]",
            " process_one_work+0x1e2/0x3b0",
            " worker_thread+0x50/0x3a0",
            " kthread+0xe6/0x110",
            " ret_from_fork+0x1f/0x30",
            " </TASK>",
            "---[ end trace 0000000000000000 ]---",
        ]
    return [
        "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
        f"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: {n % 30000}, name: insmod",
        "preempt_count: 1, expected: 0",
        "RCU nest depth: 0, expected: 0",
        f"1 lock held by insmod/{n % 30000}:",
        f" #0: ffffffffc0002000 (lock{n % 1000}){{+.+.}}-{{3:3}}, at: {fn}+0xd/0x4c [drv]",
        f"CPU: 0 PID: {n % 30000} Comm: insmod Tainted: G           O       6.1.0 #1",
        "Call Trace:",
        " <TASK>",
        " dump_stack_lvl+0x4c/0x5f",
        " __might_resched+0x250/0x273",
        " kmalloc_trace+0x1f/0x49",
        f" {fn}+0x23/0x4c [drv]",
        " do_one_initcall+0xa2/0x1bd",
        " </TASK>",
    ]


def writer(pipe, count, stop):
    t = 1.0
    try:
        for n in range(count):
            chunk = []
            for k in range(8):
                t += 0.000123
                chunk.append(f"[{t:12.6f}] " + CHATTER[k % len(CHATTER)].replace("%d", str(n % 127)))
            for line in report(n, t):
                t += 0.000011
                chunk.append(f"[{t:12.6f}] {line}")
            pipe.write(("\n".join(chunk) + "\n").encode())
            if stop.is_set():
                break
        pipe.close()
    except BrokenPipeError:
        pass


def rss_kb(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", default=os.environ.get("KSPLAT", "./ksplat"))
    ap.add_argument("--reports", type=int, default=1000000)
    args = ap.parse_args()
    proc = subprocess.Popen(args.ksplat.split() + ["-f", "-F", "jsonl", "--no-host-symbols"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    stop = threading.Event()
    feeder = threading.Thread(target=writer, args=(proc.stdin, args.reports, stop), daemon=True)
    t0 = time.monotonic()
    feeder.start()
    marks = [m for m in (10**3, 10**4, 10**5, 10**6, 10**7) if m <= args.reports]
    seen = 0
    print(f"follow memory: ksplat -f -F jsonl on an endless pipe, {args.reports} reports")
    print(f"{'reports':>10} {'seconds':>8} {'reports/s':>10} {'RSS MB':>8} {'peak RSS MB':>12}")
    while marks:
        chunk = os.read(proc.stdout.fileno(), 1 << 20)
        if not chunk:
            break
        seen += chunk.count(b"\n")
        while marks and seen >= marks[0]:
            rss, peak = rss_kb(proc.pid)
            dt = time.monotonic() - t0
            print(f"{marks[0]:>10} {dt:>8.1f} {marks[0] / dt:>10.0f} {rss / 1024:>8.1f} {peak / 1024:>12.1f}")
            sys.stdout.flush()
            marks.pop(0)
    stop.set()
    proc.stdout.close()
    proc.wait()
    if marks:
        print(f"ksplat stopped after {seen} reports")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
