#!/usr/bin/env python3
"""Check symbolization of frames that carry only an address.

A kernel built without CONFIG_KALLSYMS prints every %pS as a bare address
("0xffffffff81234567"); old kernels print frames as
"[<ffffffff81234567>] func+0x12/0x40". ksplat must then name frames from the
address, with the KASLR offset and the module's load address taken from a
"Kernel Offset:" line, from frames that print both an address and a name, or
from a saved /proc/kallsyms. The rig's logs name every frame, so this check
rewrites them, exactly, with each boot's offset and splatmod's sections from
its meta.log, for every ground-truth row, variant and the dmesg and console
renderings (only the kernel message text changes, the envelope stays):

  raw+kallsyms    every func+off/size becomes its address and a Kernel Offset
                  line is added; with --vmlinux --modules --kallsyms the
                  culprit function, file:line and lock site must be right
                  (rules of check_symbols.py; a site that ksplat gets right
                  in the unchanged log must also be found from the address)
  raw+system-map  the same log with --system-map --kallsyms: culprit function
  mixed           old-kernel frames, "[<addr>] func+off/size" and
                  "[<addr>] 0xaddr" alternating, the culprit raw where another
                  frame tells where its section was loaded; no offset line, no
                  kallsyms: culprit function and file:line
  wrong-build     the mixed log symbolized with the other build's vmlinux and
                  splatmod.ko: no culprit or lock site file:line may be wrong,
                  and stderr must warn about "another build"

Names that System.map holds more than once (find_next_bit.constprop.0,
rcu_lock_acquire.constprop.0: never a culprit) stay as they are. The fp
vmlinux is stored xz-compressed: it is decompressed into a temporary
directory.
"""
import argparse
import csv
import json
import lzma
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

VARIANTS = ["orc-nokaslr", "orc-kaslr", "fp-nokaslr", "fp-kaslr"]
RENDERINGS = ["dmesg", "console"]
MODES = ["raw+kallsyms", "raw+system-map", "mixed", "wrong-build"]
BUILDS = ["orc", "fp"]
OTHER_BUILD = {"orc": "fp", "fp": "orc"}
START_KERNEL = 0xffffffff81000000  # __START_KERNEL: System.map _text of both builds
RELOCATION_RANGE = "0xffffffff80000000-0xffffffffbfffffff"
WARNING_WORDS = "another build"

# "func+0x1a/0x34", then maybe " [mod]" or " [mod <build id>]"; maybe "[<addr>] " before it.
SYMBOL = re.compile(r"(?:\[<(?P<addr>[0-9a-f]{16})>\] )?(?<![\w.])(?P<name>[A-Za-z_][\w.]*)"
                    r"\+0x(?P<off>[0-9a-f]+)/0x[0-9a-f]+(?: \[(?P<mod>\w+)(?: [0-9a-f]{40})?\])?")
# A kernel line: anything before (console noise), "[    2.148853]" and maybe "[   T32]".
ENVELOPE = re.compile(r"(?P<pre>.*?)(?P<env>\[ *\d+\.\d+\](?:\[ *[CT]\d+\])?(?: |$))(?P<msg>.*)")
FRAME = re.compile(r"(?P<indent> +)(?P<unreliable>\? )?(?P<sym>\S.*)")
RAW_FRAME = re.compile(r" +(?:\? )?0x[0-9a-f]+")
# A module symbol printed with its address, as old kernels print frames.
NAMED_ADDRESS = re.compile(r"\[<[0-9a-f]{16}>\] (?:\? )?([\w.]+)\+0x[0-9a-f]+/0x[0-9a-f]+ \[\w+")


def elf_symbols(path):
    """(name, value, size, section name) of every symbol of a 64-bit little-endian ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

    def string(off):
        return data[off:data.index(b"\0", off)].decode()
    names = [string(sections[shstrndx][4] + s[0]) for s in sections]
    out = []
    for s in sections:
        if s[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[s[6]][4]
        for off in range(s[4], s[4] + s[5], 24):
            name, _, _, shndx, value, size = struct.unpack_from("<IBBHQQ", data, off)
            if name and 0 < shndx < len(sections):
                out.append((string(strtab + name), value, size, names[shndx]))
    return out


def base_name(function):
    return re.split(r"\.constprop", function or "")[0]


class Boot:
    """Runtime addresses of one boot's symbols.

    Kernel: System.map link address + the boot's KASLR offset (names that
    System.map holds more than once are left unresolved). splatmod: the boot's
    /proc/kallsyms, and for symbols it lacks (splat_init in .init.text, data)
    the section's load address from /sys/module/splatmod/sections + the
    symbol's value in splatmod.ko (ET_REL: values are section-relative).
    """

    def __init__(self, rig, variant, log, offsets, system_map):
        build = variant.split("-")[0]
        self.offset = offsets[(variant, log)]
        self.kernel = system_map
        meta = {}
        part = None
        for line in open(os.path.join(rig, "logs", variant, f"{log}.meta.log")):
            if line.startswith("# "):
                part = line[2:].strip()
                meta[part] = []
            elif part:
                meta[part].append(line.rstrip("\n"))
        self.kallsyms = meta["/proc/kallsyms (selected)"] + meta["/proc/kallsyms (splatmod)"]
        sections = dict((s.split()[0], int(s.split()[1], 16)) for s in meta["/sys/module/splatmod/sections"])
        runtime = dict((l.split()[2], int(l.split()[0], 16)) for l in meta["/proc/kallsyms (selected)"])
        self.module = dict((l.split()[2], int(l.split()[0], 16)) for l in meta["/proc/kallsyms (splatmod)"])
        ko = elf_symbols(os.path.join(rig, "symbols", build, "splatmod.ko"))
        # The arithmetic below must reproduce what this boot's kernel itself reported.
        for name, addr in runtime.items():
            assert self.kernel[name] + self.offset == addr, (variant, log, name)
        for name, value, _, section in ko:
            if section == ".text" and name in self.module:
                assert sections[".text"] + value == self.module[name], (variant, log, name)
        for name, value, _, section in ko:
            if section in sections and name not in self.module:
                self.module[name] = sections[section] + value
        # Section of each module function, by name without the clone suffix.
        self.section = dict((base_name(name), section) for name, _, _, section in ko
                            if section in (".text", ".text.unlikely"))

    def anchors(self, lines):
        """Sections of the module functions that the lines name together with their address."""
        for line in lines:
            for name in NAMED_ADDRESS.findall(line):
                if base_name(name) in self.section:
                    yield self.section[base_name(name)]

    def address(self, m):
        """Runtime address of a SYMBOL match, None if the name is ambiguous or unknown."""
        table, bias = (self.module, 0) if m["mod"] else (self.kernel, self.offset)
        start = table.get(m["name"])
        if start is None:
            return None
        addr = start + bias + int(m["off"], 16)
        # Where the kernel printed the address too, it must be the one computed.
        assert not m["addr"] or int(m["addr"], 16) == addr, (m[0], hex(addr))
        return addr


def split_line(line):
    """(text before the message, envelope, message, CR) of a kernel line, or None."""
    body = line[:-1] if line.endswith("\r") else line
    m = ENVELOPE.fullmatch(body)
    return m and (m["pre"], m["env"], m["msg"], line[len(body):])


def map_messages(lines, edit):
    """Lines with edit(message) applied to the message text of every kernel line."""
    out = []
    for line in lines:
        parts = split_line(line)
        out.append(parts[0] + parts[1] + edit(parts[2]) + parts[3] if parts else line)
    return out


def rewrite_raw(lines, boot):
    """Mode raw: the log as a kernel without CONFIG_KALLSYMS prints it.

    Every func+off/size (trace frames, RIP, lockdep "at:", "[<addr>] func"
    lines, "caller is", the WARNING line, lock keys) becomes "0x%016x" of its
    runtime address; a "[<addr>] " before it stays. As the log then names
    nothing, a "Kernel Offset:" line as a panicking kernel prints it is added
    after the first kernel line, with that line's envelope.
    """
    def edit(msg):
        return SYMBOL.sub(lambda m: raw_symbol(m, boot.address(m)), msg)
    out = map_messages(lines, edit)
    first = next(i for i, line in enumerate(out) if split_line(line))
    _, env, _, cr = split_line(out[first])
    out.insert(first + 1, f"{env}Kernel Offset: {boot.offset:#x} from {START_KERNEL:#x} "
                          f"(relocation range: {RELOCATION_RANGE}){cr}")
    return out


def raw_symbol(m, addr):
    if addr is None:
        return m[0]
    return (f"[<{m['addr']}>] " if m["addr"] else "") + f"0x{addr:016x}"


def rewrite_mixed(lines, boot, culprits):
    """Mode mixed: frames as old kernels print them, with the address first.

    Within each trace (a run of frame lines) odd frames read
    "[<addr>] func+off/size [mod]" and even ones "[<addr>] 0xaddr", so only
    some frames name their function. A reliable frame of a culprit function is
    raw, and so is the culprit wherever else it is named (RIP, lockdep "at:",
    the WARNING line): ksplat has to name it from its address, with the kernel
    offset and splatmod's load address learned from the named frames (there is
    no Kernel Offset line and no kallsyms). A module culprit is hidden only if
    another symbol of its section (.text or .text.unlikely of splatmod.ko) stays
    named with its address: otherwise nothing in the log tells where that
    section was loaded (splat_init is in .init.text, loaded apart), and the
    culprit keeps its name ("[<addr>] func+off/size" in frames).
    """
    first = old_style(lines, boot, culprits, culprits)
    anchored = set(boot.anchors(first))
    hidden = set(c for c in culprits if boot.section.get(c, "vmlinux") in anchored | {"vmlinux"})
    return first if hidden == culprits else old_style(lines, boot, culprits, hidden)


def old_style(lines, boot, culprits, hidden):
    """The mixed rewriting, with the culprits in hidden printed raw."""
    out, n = [], 0
    for line in lines:
        parts = split_line(line)
        if not parts:
            out.append(line)
            n = 0
            continue
        pre, env, msg, cr = parts
        frame = FRAME.fullmatch(msg)
        sym = frame and SYMBOL.fullmatch(frame["sym"])
        addr = sym and not sym["addr"] and boot.address(sym)
        if addr:
            n += 1
            name = base_name(sym["name"])
            raw = name in hidden if name in culprits and not frame["unreliable"] else n % 2 == 0
            msg = (f"{frame['indent']}[<{addr:016x}>] {frame['unreliable'] or ''}"
                   f"{f'0x{addr:016x}' if raw else sym[0]}")
        else:
            if not (frame and (sym or RAW_FRAME.fullmatch(msg))):
                n = 0
            msg = SYMBOL.sub(lambda m: raw_symbol(m, boot.address(m))
                             if base_name(m["name"]) in hidden else m[0], msg)
        out.append(pre + env + msg + cr)
    return out


def line_ok(frame, want):
    m = re.match(r"([\w/.-]+):(\d+)(?:-(\d+))?", want)
    if not m or not frame or not frame.get("file"):
        return False
    lo, hi = int(m.group(2)), int(m.group(3) or m.group(2))
    return frame["file"].endswith(m.group(1)) and lo <= frame["line"] <= hi


def where(frame):
    if not frame:
        return "-"
    return f"{frame.get('function') or frame.get('address')}@{frame.get('file')}:{frame.get('line')}"


def lock_sites(rep, row):
    """The lock (or irq/preempt-off) sites check_symbols.py checks, if it checks them."""
    if not re.match(r"splatmod/splatmod\.c:\d+$", row["lock_taken_at"].split(" ")[0]):
        return []
    if row["locks"] == "-":
        return [rep[k] for k in ("irqs_disabled_at", "preempt_disabled_at")
                if rep.get(k) and rep[k].get("module") == "splatmod"]
    return [lock["acquired_at"] for lock in rep["locks"] if lock.get("acquired_at")]


def named(reports, row):
    """The reports of the row's kind whose culprit is one of the row's functions."""
    culprits = row["culprit_function"].split("|")
    return [r for r in reports if r["kind"] == row["report_kind"] and r["culprit"]
            and base_name(r["culprit"].get("function")) in culprits]


def judge(mode, row, reports, stderr, reference):
    """Why the row fails in this mode, or None; reference: the reports of the unchanged log."""
    culprits = row["culprit_function"].split("|")
    want_lock = row["lock_taken_at"].split(" ")[0]
    kind = [r for r in reports if r["kind"] == row["report_kind"]]
    reps = named(reports, row)
    if mode == "wrong-build":
        why = []
        for rep in reps:
            c = rep["culprit"]
            if c.get("file") and c["function"].startswith(culprits[0]) and not line_ok(c, row["culprit_line"]):
                why.append(f"culprit {where(c)}, want {row['culprit_line']}")
            bad = [a for a in lock_sites(rep, row) if a.get("file") and not line_ok(a, want_lock)]
            if bad:
                why.append(f"locks taken at {[where(a) for a in bad]}, want {want_lock}")
        # A culprit that is none of the truth's functions but has a module file:line is a wrong line too.
        stray = [r["culprit"] for r in kind if r not in reps and r["culprit"]
                 and (r["culprit"].get("file") or "").endswith("splatmod.c")]
        why += [f"culprit {where(c)} (not {row['culprit_function']})" for c in stray]
        if WARNING_WORDS not in stderr:
            why.append(f"no \"{WARNING_WORDS}\" warning on stderr")
        return "; ".join(why) or None
    if not reps:
        return (f"no {row['report_kind']} report in {row['culprit_function']}, "
                f"culprits: {[where(r['culprit']) for r in kind]}")
    rep = reps[0]
    if mode == "raw+system-map":
        return None
    if rep["culprit"]["function"].startswith(culprits[0]) and not line_ok(rep["culprit"], row["culprit_line"]):
        return f"culprit {where(rep['culprit'])}, want {row['culprit_line']}"
    if mode == "raw+kallsyms":
        # As check_symbols.py: a site found must be right; and one the unchanged log gives right
        # must be found from the address too.
        sites = lock_sites(rep, row)
        was_right = any(line_ok(a, want_lock) for r in named(reference, row)[:1] for a in lock_sites(r, row))
        if not sites and was_right:
            return f"no lock site, want {want_lock} (the unchanged log gives it)"
        if sites and not any(line_ok(a, want_lock) for a in sites):
            return f"locks taken at {[where(a) for a in sites]}, want {want_lock}"
    return None


def ksplat(command, options, paths):
    """ksplat -F jsonl over @paths: ({path: reports}, stderr, exit status); reports None on bad output."""
    out = subprocess.run(command.split() + options + ["-F", "jsonl"] + paths, capture_output=True, text=True)
    by_input = {path: [] for path in paths}
    try:
        for line in out.stdout.splitlines():
            rep = json.loads(line)
            by_input[rep["first_seen"]["input"]].append(rep)
    except (ValueError, KeyError):
        by_input = {path: None for path in paths}
    return by_input, out.stderr, out.returncode


def load_system_maps(rig):
    """Per build: name -> link address, None for a name that repeats."""
    maps = {}
    for build in BUILDS:
        names = {}
        for line in open(os.path.join(rig, "symbols", build, "System.map")):
            addr, _, name = line.split()
            names[name] = None if name in names else int(addr, 16)
        maps[build] = names
    return maps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rig", required=True)
    ap.add_argument("--ksplat", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ksplat-rawaddr-")
    try:
        fp = os.path.join(tmp, "vmlinux")
        with lzma.open(os.path.join(args.rig, "symbols/fp/vmlinux.xz")) as src, open(fp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        vmlinux = {"orc": os.path.join(args.rig, "symbols/orc/vmlinux"), "fp": fp}
        symbols = {b: ["--no-host-symbols", "--vmlinux", vmlinux[b], "--modules", os.path.join(args.rig, "symbols", b)]
                   for b in vmlinux}
        system_maps = load_system_maps(args.rig)
        offsets = {(r["variant"], r["scenario"]): int(r["kaslr_offset"], 16) for r in
                   csv.DictReader(open(os.path.join(args.rig, "logs/kaslr_offsets.tsv")), delimiter="\t")}
        rows = [r for r in csv.DictReader(open(os.path.join(args.rig, "GROUND_TRUTH.tsv")), delimiter="\t")
                if re.match(r"splatmod/splatmod\.c:\d+", r["culprit_line"])]
        logs = sorted(set(r["log"] for r in rows))
        checks = {mode: 0 for mode in MODES}
        passed = dict(checks)

        def record(mode, log, variant, rendering, reports, stderr, status, reference):
            for row in (r for r in rows if r["log"] == log):
                checks[mode] += 1
                if reports is None:
                    why = f"exit {status}, no JSON: {stderr.strip()[:200]}"
                else:
                    why = judge(mode, row, reports, stderr, reference)
                if why:
                    print(f"MISS {row['scenario']} {variant} {rendering} {mode}: {why}")
                else:
                    passed[mode] += 1

        for variant in VARIANTS:
            build = variant.split("-")[0]
            system_map = os.path.join(args.rig, "symbols", build, "System.map")
            for rendering in RENDERINGS:
                originals, raw, mixed, kallsyms = {}, {}, {}, {}
                for log in logs:
                    culprits = set(f for r in rows if r["log"] == log for f in r["culprit_function"].split("|"))
                    boot = Boot(args.rig, variant, log, offsets, system_maps[build])
                    kallsyms[log] = os.path.join(tmp, f"{log}.kallsyms")
                    with open(kallsyms[log], "w") as f:
                        f.write("".join(line + "\n" for line in boot.kallsyms))
                    originals[log] = os.path.join(args.rig, "logs", variant, f"{log}.{rendering}.log")
                    with open(originals[log], encoding="latin-1", newline="") as f:
                        lines = f.read().split("\n")
                    for text, paths, edit in (("raw", raw, rewrite_raw(lines, boot)),
                                              ("mixed", mixed, rewrite_mixed(lines, boot, culprits))):
                        paths[log] = os.path.join(tmp, f"{log}.{text}.{rendering}.log")
                        with open(paths[log], "w", encoding="latin-1", newline="") as f:
                            f.write("\n".join(edit))
                # Logs that need no per-boot file share one run: learnt offsets are per input.
                reference = ksplat(args.ksplat, symbols[build], list(originals.values()))[0]
                batched = {"mixed": symbols[build], "wrong-build": symbols[OTHER_BUILD[build]]}
                for mode, options in batched.items():
                    reports, stderr, status = ksplat(args.ksplat, options, list(mixed.values()))
                    for log in logs:
                        record(mode, log, variant, rendering, reports[mixed[log]], stderr, status,
                               reference[originals[log]] or [])
                for log in logs:
                    per_boot = {
                        "raw+kallsyms": symbols[build] + ["--kallsyms", kallsyms[log]],
                        "raw+system-map": ["--no-host-symbols", "--system-map", system_map,
                                           "--kallsyms", kallsyms[log]],
                    }
                    for mode, options in per_boot.items():
                        reports, stderr, status = ksplat(args.ksplat, options, [raw[log]])
                        record(mode, log, variant, rendering, reports[raw[log]], stderr, status,
                               reference[originals[log]] or [])
        total, ok = sum(checks.values()), sum(passed.values())
        detail = ", ".join(f"{mode} {passed[mode]}/{checks[mode]}" for mode in MODES)
        print(f"rawaddr: {ok}/{total} checks pass ({detail})")
        return 0 if ok == total else 1
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
