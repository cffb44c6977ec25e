#!/usr/bin/env python3
"""Symbolization speed of ksplat against decode_stacktrace.sh, llvm-symbolizer and eu-addr2line.

What is measured: every frame of every report in every ../shared/rig log is
turned into file:line by each tool, and a table gives per tool the wall time,
frames per second, peak RSS (ru_maxrss of the children, from os.wait4) and
ksplat's speed-up over it. A frame is a trace frame printed as
func+0xoff/0xsize, duplicates included; the frame set comes from one
`ksplat -F jsonl` run per build (jsonl lists every report, json folds
duplicates) and is the same for every tool. orc logs are symbolized with the
orc vmlinux and splatmod.ko, fp logs with the fp ones (the xz-compressed fp
vmlinux is unpacked into a temporary directory first). Symbol files and logs
are read once before timing so that every tool finds them in the page cache.

How each tool runs:
  ksplat            one process per build over all of its logs with --vmlinux,
                    --modules and -F json, as a user runs it. Its time also
                    covers reading, parsing, analysing and rendering the logs
                    (the same runs without symbols are timed to show how much)
                    and symbolizing lock and preemption sites.
  decode_stacktrace.sh
                    scripts/decode_stacktrace.sh of a kernel tree ($KSRC, else
                    /usr/src/linux-source-*/), one run per log fed that log's
                    frames. Without a tree its loop is emulated: per log, one
                    `addr2line -f -i -e FILE ADDR` process per distinct frame
                    (the script caches within a run). The script also runs nm
                    once per distinct function, so the emulation is a lower
                    bound. Both need many minutes for all logs, so they run on
                    --slow-logs evenly spaced logs and their time is scaled up
                    by frame count; the output says so.
  llvm-symbolizer, eu-addr2line, addr2line (one call)
                    one process per build and object file, all addresses on
                    standard input (addr2line and eu-addr2line: one per
                    section of splatmod.ko, as -j applies to every address).
  Figures for tools that run several processes are sums (wall) and maxima
  (RSS); ksplat and the one-call tools are run --runs times, median wall.

Addresses: the link-time address of the frame's function from the ELF symbol
table (the copy whose size equals the printed size when the name repeats),
plus the offset, minus 1 as trace frames are return addresses (ksplat looks
up the call the same way). vmlinux addresses are absolute. splatmod.ko is
relocatable with code in .text, .text.unlikely and .init.text: addr2line and
eu-addr2line take section offsets with -j SECTION. llvm-symbolizer cannot be
told the section of a relocatable object (it takes the first code section
that holds the address and mixes up inline chains across sections), so it
reads a copy of the module linked with `ld` at distinct addresses.

Agreement: for each tool, how many frames got the same file:line as ksplat
(paths compared by suffix; frames neither resolves agree). ksplat reports
the line in the frame's own function, so from the tool's inline chain
(addr2line -i prints the innermost level first) the innermost level named
after the frame's function is compared, else the outermost level. Frames
that differ are listed with the tool's whole chain.

Exit status 0 whatever the figures (this is a benchmark, not a test), 1 on
errors; "skipped: ..." with status 0 when ../shared is absent.

Usage: bench/symbolize.py [--slow-logs N] [--runs N] [--examples N]
       (KSPLAT=path/to/ksplat, default ./ksplat; KSRC=kernel source tree)
"""
from __future__ import annotations

import argparse
import collections
import json
import lzma
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
RIG = SHARED / "rig"
BUILDS = {"orc": ("orc-nokaslr", "orc-kaslr"), "fp": ("fp-nokaslr", "fp-kaslr")}
MODULE = "splatmod"
SPEEDUP_TARGET = 100  # ksplat against decode_stacktrace.sh
# The same output from every tool whatever the user's locale.
TOOL_ENV = dict(os.environ, LC_ALL="C")

SHT_SYMTAB = 2
SHF_EXECINSTR = 0x4
STT_NOTYPE, STT_FUNC = 0, 2


class BenchError(Exception):
    pass


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- ELF symbols

@dataclass(frozen=True)
class CodeSymbol:
    value: int      # absolute in vmlinux, offset in its section in a .ko
    size: int
    section: str
    is_func: bool   # STT_FUNC; assembler labels such as entry_SYSCALL_64 are STT_NOTYPE


def c_string(data, start):
    return data[start:data.index(b"\0", start)].decode(errors="replace")


def read_code_symbols(path):
    """Symbols in executable sections of an ELF64 little-endian file, by name."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise BenchError(f"{path}: not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    section_names = [c_string(data, headers[shstrndx][4] + h[0]) for h in headers]
    symbols = collections.defaultdict(list)
    for _, sh_type, _, _, offset, size, link, _, _, _ in headers:
        if sh_type != SHT_SYMTAB:
            continue
        strtab = headers[link][4]
        for name_at, info, _, shndx, value, sym_size in struct.iter_unpack(
                "<IBBHQQ", data[offset:offset + size]):
            kind = info & 0xF
            if kind not in (STT_FUNC, STT_NOTYPE) or not 0 < shndx < shnum:
                continue
            if not headers[shndx][2] & SHF_EXECINSTR:
                continue
            name = c_string(data, strtab + name_at)
            if name:
                symbols[name].append(CodeSymbol(value, sym_size, section_names[shndx],
                                                kind == STT_FUNC))
    return symbols


def pick_symbol(symbols, name, size):
    """The function a frame names, and how many copies fit it equally well.

    Static functions can share a name (17 copies of find_next_bit.constprop.0
    in vmlinux); the size the kernel printed narrows the choice, not always
    to one.
    """
    def rank(sym):
        return (sym.size != size, not sym.is_func)

    candidates = symbols.get(name)
    if not candidates:
        return None, 0
    best = min(candidates, key=rank)
    return best, sum(1 for sym in candidates if rank(sym) == rank(best))


# ---------------------------------------------------------------- frames

@dataclass(frozen=True)
class Location:
    file: str
    line: int

    def __str__(self):
        # The last three path components are enough to tell the files apart here.
        return f"{'/'.join(self.file.split('/')[-3:])}:{self.line}"


@dataclass(frozen=True)
class Frame:
    build: str
    log: str
    function: str
    module: str | None
    offset: int
    size: int
    ksplat_at: Location | None

    def __str__(self):
        module = f" [{self.module}]" if self.module else ""
        return f"{self.function}+{self.offset:#x}/{self.size:#x}{module}"

    @property
    def call_offset(self):
        """A return address points after the call: look up the call itself."""
        return self.offset - 1 if self.offset > 0 else self.offset


@dataclass(frozen=True)
class Target:
    """What one addr2line-style tool is given for one frame."""
    path: str
    section: str | None  # the address is an offset in this section (-j), else absolute
    address: int


@dataclass
class BuildSymbols:
    name: str
    vmlinux: str
    modules_dir: str
    module_ko: str
    module_linked: str | None  # splatmod.ko linked at distinct addresses, for llvm-symbolizer
    vmlinux_symbols: dict
    module_symbols: dict
    linked_symbols: dict


def rig_logs(variant):
    return sorted(str(p) for p in (RIG / "logs" / variant).glob("*.log")
                  if not p.name.endswith(".meta.log"))


def unpack_xz(src, dst):
    with lzma.open(src) as fin, open(dst, "wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)


def link_module(ko, out):
    """splatmod.ko with its sections at distinct addresses and relocations applied."""
    if not shutil.which("ld"):
        return None
    done = subprocess.run(["ld", "--unresolved-symbols=ignore-all", "-static", "-e", "0",
                           "-o", out, ko], capture_output=True, text=True, env=TOOL_ENV)
    if done.returncode != 0:
        log(f"ld could not link {ko}: {done.stderr.strip()}")
        return None
    return out


def load_symbols(build, tmp):
    symbols_dir = RIG / "symbols" / build
    vmlinux = symbols_dir / "vmlinux"
    if not vmlinux.exists():
        vmlinux = Path(tmp) / f"vmlinux-{build}"
        log(f"unpacking {symbols_dir / 'vmlinux.xz'}")
        unpack_xz(symbols_dir / "vmlinux.xz", vmlinux)
    ko = symbols_dir / f"{MODULE}.ko"
    linked = link_module(str(ko), os.path.join(tmp, f"{MODULE}-{build}.elf"))
    return BuildSymbols(build, str(vmlinux), str(symbols_dir), str(ko), linked,
                        read_code_symbols(vmlinux), read_code_symbols(ko),
                        read_code_symbols(linked) if linked else {})


def section_target(syms, frame):
    """vmlinux: absolute address; splatmod.ko: offset in the function's section."""
    if frame.module is None:
        path, table = syms.vmlinux, syms.vmlinux_symbols
    else:
        path, table = syms.module_ko, syms.module_symbols
    sym, _ = pick_symbol(table, frame.function, frame.size)
    if sym is None:
        return None
    section = sym.section if frame.module else None
    return Target(path, section, sym.value + frame.call_offset)


def linked_target(syms, frame):
    """Absolute addresses only: splatmod frames go to the linked copy."""
    if frame.module is None:
        return section_target(syms, frame)
    sym, _ = pick_symbol(syms.linked_symbols, frame.function, frame.size)
    if sym is None:
        return None
    return Target(syms.module_linked, None, sym.value + frame.call_offset)


def ksplat_frames(ksplat, syms, logs):
    """Every trace frame ksplat finds in @logs, with the file:line it gives."""
    run = run_child([ksplat, "--vmlinux", syms.vmlinux, "--modules", syms.modules_dir,
                     "-F", "jsonl", *logs], ok_codes=(0, 1))
    frames = []
    for text in run.stdout.splitlines():
        report = json.loads(text)
        for f in report["trace"]:
            if f["function"] is None or f["offset"] is None or f["size"] is None:
                continue  # a bare address: nothing to look up by name
            at = Location(f["file"], f["line"]) if f["file"] and f["line"] else None
            frames.append(Frame(syms.name, report["first_seen"]["input"], f["function"],
                                f["module"], f["offset"], f["size"], at))
    return frames


# ---------------------------------------------------------------- running tools

@dataclass
class Run:
    wall: float
    maxrss_kb: int
    stdout: str


def run_child(argv, stdin_text="", ok_codes=(0,)):
    """Run @argv to completion; wall time and the peak RSS of it and its children."""
    with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as fout, \
            tempfile.TemporaryFile() as ferr:
        fin.write(stdin_text.encode())
        fin.seek(0)
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=fin, stdout=fout, stderr=ferr, env=TOOL_ENV)
        # os.wait4 rather than proc.wait(): it also returns the child's rusage,
        # which on Linux covers the descendants it waited for (decode_stacktrace.sh).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok_codes:
            ferr.seek(0)
            err = ferr.read().decode(errors="replace").strip()[-800:]
            raise BenchError(f"{' '.join(argv[:6])}{' ...' if len(argv) > 6 else ''} "
                             f"exited with {proc.returncode}: {err}")
        fout.seek(0)
        return Run(wall, usage.ru_maxrss, fout.read().decode(errors="replace"))


LOCATION = re.compile(r"(?P<file>.*?):(?P<line>\d+|\?)(?::\d+)?(?: \(discriminator \d+\))?")
ADDRESS_LINE = re.compile(r"0x[0-9a-f]+")


def parse_location(text):
    m = LOCATION.fullmatch(text.strip())
    if not m or m["file"] in ("", "??") or m["line"] in ("?", "0"):
        return None
    return Location(m["file"], int(m["line"]))


@dataclass(frozen=True)
class Level:
    """One level of an inline chain: the function and where in it."""
    function: str | None
    at: Location | None


def inline_chain(lines):
    """The levels of a `-f -i` answer (function and location lines), innermost first."""
    # eu-addr2line writes "inner inlined at file:line in outer": the name comes first.
    return tuple(Level(name.split(" ")[0] if name not in ("", "??") else None,
                       parse_location(where))
                 for name, where in zip(lines[0::2], lines[1::2]))


def line_in_function(chain, function):
    """What ksplat reports: the line in the frame's own function.

    That is the innermost level naming the function rather than the outermost
    level: GCC can nest a function's body in an inlined copy of itself whose
    call line is the declaration (lock_acquire, mark_lock). Without a level
    of that name (no names, or an alias such as init_module) the outermost.
    """
    base = function.split(".")[0]  # slab_pre_alloc_hook.constprop.0 is slab_pre_alloc_hook
    for level in chain:
        if level.function and level.function.split(".")[0] == base:
            return level.at
    return chain[-1].at if chain else None


def records_after_addresses(stdout):
    """addr2line -a / eu-addr2line -a: each answer follows a line with the address."""
    records = []
    for line in stdout.splitlines():
        if ADDRESS_LINE.fullmatch(line):
            records.append([])
        elif records:
            records[-1].append(line)
    return records


def records_between_blank_lines(stdout):
    """llvm-symbolizer: answers are separated by an empty line."""
    return [block.splitlines() for block in stdout.strip("\n").split("\n\n")]


@dataclass
class Result:
    tool: str
    frames: int          # frames the time is for
    wall: float
    maxrss_kb: int
    answers: dict = field(default_factory=dict)  # frame index -> inline chain, innermost first
    note: str = ""


@dataclass(frozen=True)
class BatchTool:
    name: str
    program: str
    helpers: tuple       # other programs it needs
    argv: Callable       # (program, Target) -> argv for the target's object and section
    records: Callable    # stdout -> one list of lines per address
    target: Callable     # (BuildSymbols, Frame) -> Target


BATCH_TOOLS = (
    # ld lays out splatmod.ko for it, see link_module().
    BatchTool("llvm-symbolizer", "llvm-symbolizer", ("ld",),
              lambda prog, t: [prog, f"--obj={t.path}", "-f", "-i"],
              records_between_blank_lines, linked_target),
    BatchTool("eu-addr2line", "eu-addr2line", (),
              lambda prog, t: [prog, "-a", "-f", "-i", "-e", t.path]
              + (["-j", t.section] if t.section else []),
              records_after_addresses, section_target),
    BatchTool("addr2line (one call)", "addr2line", (),
              lambda prog, t: [prog, "-a", "-f", "-i", "-e", t.path]
              + (["-j", t.section] if t.section else []),
              records_after_addresses, section_target),
)


def time_ksplat(ksplat, builds, logs_by_build, frames, runs):
    """With symbols as a user runs it, and without them to show what the rest costs."""
    walls, plain_walls, rss = [], [], 0
    for _ in range(runs):
        wall = plain_wall = 0.0
        for syms in builds:
            logs = logs_by_build[syms.name]
            run = run_child([ksplat, "--vmlinux", syms.vmlinux, "--modules", syms.modules_dir,
                             "-F", "json", *logs], ok_codes=(0, 1))
            wall += run.wall
            rss = max(rss, run.maxrss_kb)
            plain_wall += run_child([ksplat, "-F", "json", *logs], ok_codes=(0, 1)).wall
        walls.append(wall)
        plain_walls.append(plain_wall)
    answers = {i: (Level(f.function, f.ksplat_at),) for i, f in enumerate(frames)}
    note = (f"the same runs without --vmlinux and --modules (reading, parsing, analysing and "
            f"rendering only) take {statistics.median(plain_walls):.2f} s; ksplat also "
            f"symbolizes lock and preemption sites")
    return Result("ksplat", len(frames), statistics.median(walls), rss, answers, note)


def time_batch_tool(tool, builds, frames, runs):
    """One process per object file (and section), every address of the build at once."""
    program = shutil.which(tool.program)
    missing = [p for p in (tool.program, *tool.helpers) if not shutil.which(p)]
    if missing:
        return None, f"{' and '.join(missing)} not installed"
    by_build = {s.name: s for s in builds}
    groups = collections.defaultdict(list)  # (path, section) -> [(frame index, Target)]
    for i, frame in enumerate(frames):
        target = tool.target(by_build[frame.build], frame)
        if target is None:
            return None, f"no address for {frame} in the files {tool.name} reads"
        groups[(target.path, target.section)].append((i, target))
    walls, rss, answers = [], 0, {}
    for _ in range(runs):
        wall = 0.0
        for members in groups.values():
            stdin = "".join(f"{t.address:#x}\n" for _, t in members)
            run = run_child(tool.argv(program, members[0][1]), stdin)
            wall += run.wall
            rss = max(rss, run.maxrss_kb)
            records = tool.records(run.stdout)
            if len(records) != len(members):
                raise BenchError(f"{tool.name}: {len(records)} answers for {len(members)} "
                                 f"addresses in {members[0][1].path}")
            answers.update((i, inline_chain(rec)) for (i, _), rec in zip(members, records))
        walls.append(wall)
    return Result(tool.name, len(frames), statistics.median(walls), rss, answers), ""


def evenly_spaced(items, n):
    if n <= 0 or n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(k * step)] for k in range(n)]


def find_decode_stacktrace():
    trees = [os.environ["KSRC"]] if os.environ.get("KSRC") else \
        sorted(str(p) for p in Path("/usr/src").glob("linux-source-*") if p.is_dir())
    for tree in trees:
        script = Path(tree) / "scripts" / "decode_stacktrace.sh"
        if script.is_file():
            return str(script)
    return None


def run_decode_stacktrace(script, syms, frames, indices):
    """The real script on one log's frames: file:line of each, as it prints them."""
    stdin = "".join(f" {frames[i]}\n" for i in indices)
    run = run_child(["bash", script, syms.vmlinux, "auto", syms.modules_dir], stdin)
    lines = run.stdout.splitlines()
    if len(lines) != len(indices):
        raise BenchError(f"decode_stacktrace.sh printed {len(lines)} lines for "
                         f"{len(indices)} frames")
    # "func (file:line file:line) [module]": inline chain innermost first.
    answers = {}
    for i, line in zip(indices, lines):
        answers[i] = tuple(Level(None, Location(path, int(line_no)))
                           for path, line_no in re.findall(r"([^\s()]+):(\d+)", line))
    return run.wall, run.maxrss_kb, answers


def run_addr2line_loop(syms_by_build, frames, indices):
    """decode_stacktrace.sh's loop: one addr2line process per distinct frame of a log."""
    wall, rss, answers, cache = 0.0, 0, {}, {}
    for i in indices:
        target = section_target(syms_by_build[frames[i].build], frames[i])
        if target not in cache:
            section = ["-j", target.section] if target.section else []
            run = run_child(["addr2line", "-f", "-i", "-e", target.path, *section,
                             f"{target.address:#x}"])
            wall += run.wall
            rss = max(rss, run.maxrss_kb)
            cache[target] = inline_chain(run.stdout.splitlines())
        answers[i] = cache[target]
    return wall, rss, answers, len(cache)


def time_slow_tool(builds, frames, slow_logs):
    """decode_stacktrace.sh, or its addr2line loop, on a sample of logs, scaled up."""
    script = find_decode_stacktrace()
    if not script and not shutil.which("addr2line"):
        return None, "neither decode_stacktrace.sh nor addr2line is available"
    by_build = {s.name: s for s in builds}
    by_log = collections.defaultdict(list)
    for i, frame in enumerate(frames):
        by_log[frame.log].append(i)
    # Scenario-major order, so that the sample spreads over scenarios, renderings and variants.
    sample = evenly_spaced(sorted(by_log, key=lambda path: (Path(path).name, path)), slow_logs)
    wall, rss, answers, processes = 0.0, 0, {}, 0
    for n, log_path in enumerate(sample, 1):
        log(f"  log {n}/{len(sample)}: {os.path.relpath(log_path, RIG / 'logs')}")
        indices = by_log[log_path]
        if script:
            syms = by_build[frames[indices[0]].build]
            log_wall, log_rss, log_answers = run_decode_stacktrace(script, syms, frames, indices)
            processes += 1
        else:
            log_wall, log_rss, log_answers, started = run_addr2line_loop(by_build, frames, indices)
            processes += started
        wall += log_wall
        rss = max(rss, log_rss)
        answers.update(log_answers)
    if script:
        name, note = "decode_stacktrace.sh", f"{script}, one run per log"
    else:
        name = "addr2line per frame"
        note = ("decode_stacktrace.sh emulated (no kernel tree found; set KSRC): one addr2line "
                "process per distinct frame of each log; the script also runs nm per distinct "
                "function, so this is a lower bound")
    if len(sample) < len(by_log):
        runs = f"{processes} runs" if script else f"{processes} addr2line processes"
        note = (f"estimated: ran on {len(sample)} of {len(by_log)} logs ({len(answers)} frames, "
                f"{runs}), wall time scaled by frame count; " + note)
        wall = wall * len(frames) / len(answers)
    return Result(name, len(frames), wall, rss, answers, note), ""


# ---------------------------------------------------------------- report

def same_location(a, b):
    """Equal file:line; paths by suffix (decode_stacktrace.sh strips the tree prefix)."""
    if a is None or b is None:
        return a is None and b is None
    return a.line == b.line and (a.file == b.file or a.file.endswith("/" + b.file)
                                 or b.file.endswith("/" + a.file))


def disagreements(result, frames):
    return [i for i, chain in result.answers.items()
            if not same_location(line_in_function(chain, frames[i].function),
                                 frames[i].ksplat_at)]


def print_table(results, ksplat, frames):
    rows = [("tool", "frames", "wall s", "frames/s", "peak RSS MB", "ksplat speed-up",
             "file:line = ksplat")]
    for r in results:
        estimated = r.note.startswith("estimated")
        agree = "-" if r is ksplat else \
            f"{len(r.answers) - len(disagreements(r, frames))}/{len(r.answers)}"
        rows.append((r.tool + "*" * estimated, str(r.frames), f"{r.wall:.2f}",
                     f"{r.frames / r.wall:.0f}", f"{r.maxrss_kb / 1024:.1f}",
                     f"{r.wall / ksplat.wall:.1f}x", agree))
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    for row in rows:
        print("  ".join([row[0].ljust(widths[0])]
                        + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]))


def print_notes(results, skipped):
    for r in results:
        if r.note:
            print(f"  {r.tool}: {r.note}")
    for name, why in skipped:
        print(f"  {name}: skipped, {why}")


def print_targets(ksplat, slow, llvm):
    print()
    goal = f"target: ksplat >= {SPEEDUP_TARGET}x faster than decode_stacktrace.sh"
    if slow:
        ratio = slow.wall / ksplat.wall
        how = ", estimated" if slow.note.startswith("estimated") else ""
        if slow.tool != "decode_stacktrace.sh":
            how += f", against {slow.tool}"
        print(f"{goal}: {'PASS' if ratio >= SPEEDUP_TARGET else 'FAIL'} ({ratio:.0f}x{how})")
    else:
        print(f"{goal}: not measured")
    goal = "target: ksplat not slower than llvm-symbolizer"
    if llvm:
        print(f"{goal}: {'PASS' if ksplat.wall <= llvm.wall else 'FAIL'} "
              f"({ksplat.wall:.2f} s vs {llvm.wall:.2f} s, {llvm.wall / ksplat.wall:.2f}x)")
    else:
        print(f"{goal}: not measured")


def describe_chain(chain):
    """Innermost first, each file named once: "inner a.c:3162 < outer 3281 < b.c:40"."""
    parts, last_file = [], None
    for level in chain:
        at = level.at
        where = "??" if at is None else str(at.line) if at.file == last_file else str(at)
        parts.append(f"{level.function} {where}" if level.function else where)
        last_file = at and at.file
    return " < ".join(parts) or "-"


def disagreement_kind(chain, frame):
    if line_in_function(chain, frame.function) is None:
        return "only ksplat resolves"
    return "only the tool resolves" if frame.ksplat_at is None else "other line"


def print_disagreements(results, frames, examples):
    print()
    print("frames whose file:line differs from ksplat's (the tool's inline chain, "
          "innermost first):")
    for r in results[1:]:
        differing = disagreements(r, frames)
        kinds = collections.Counter(disagreement_kind(r.answers[i], frames[i]) for i in differing)
        # The same frame recurs in every rendering and variant: list it once.
        distinct = collections.Counter(
            (frames[i].build, str(frames[i]), frames[i].ksplat_at, r.answers[i]) for i in differing)
        summary = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
        print(f"  {r.tool}: {len(differing)} of {len(r.answers)} frames"
              + (f" ({summary}), {len(distinct)} distinct" if differing else ""))
        for (build, frame, ksplat_at, chain), count in list(distinct.items())[:examples]:
            print(f"    {build} {frame} ({count}x): ksplat {ksplat_at or '-'}; "
                  f"tool {describe_chain(chain)}")


def print_ambiguous(builds, frames):
    """Frames whose name and size fit several functions: no tool can know which one ran."""
    by_build = {s.name: s for s in builds}
    names = collections.Counter()
    for f in frames:
        syms = by_build[f.build]
        table = syms.vmlinux_symbols if f.module is None else syms.module_symbols
        if pick_symbol(table, f.function, f.size)[1] > 1:
            names[f"{f.build} {f.function}/{f.size:#x}"] += 1
    if names:
        listed = ", ".join(f"{n} ({c} frames)" for n, c in names.items())
        print(f"  ambiguous names, the first copy is used: {listed}")


# ---------------------------------------------------------------- main

def warm_page_cache(paths):
    for path in paths:
        with open(path, "rb") as f:
            while f.read(1 << 20):
                pass


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slow-logs", type=int, default=16, metavar="N",
                    help="logs to run decode_stacktrace.sh (or its addr2line loop) on, "
                         "evenly spaced; 0 for all (default 16)")
    ap.add_argument("--runs", type=int, default=3, metavar="N",
                    help="runs of ksplat and of each one-call tool, median wall (default 3)")
    ap.add_argument("--examples", type=int, default=4, metavar="N",
                    help="differing frames listed per tool (default 4)")
    return ap.parse_args()


def find_ksplat():
    ksplat = os.environ.get("KSPLAT") or str(REPO / "ksplat")
    if not os.access(ksplat, os.X_OK):
        raise BenchError(f"{ksplat}: not found or not executable (run make, or set KSPLAT)")
    version = run_child([ksplat, "--version"]).stdout.strip()
    return ksplat, version


def collect_frames(ksplat, builds, logs_by_build):
    """The frame set every tool gets; each frame must have an address to give them."""
    frames = []
    for syms in builds:
        frames += ksplat_frames(ksplat, syms, logs_by_build[syms.name])
    by_build = {s.name: s for s in builds}
    unknown = [f for f in frames if f.module not in (None, MODULE)
               or section_target(by_build[f.build], f) is None]
    if unknown:
        raise BenchError(f"{len(unknown)} frames have no symbol, e.g. {unknown[0]}")
    return frames


def time_tools(ksplat, builds, logs_by_build, frames, args):
    """Results (ksplat first), the slow tool's, llvm-symbolizer's, and the tools skipped."""
    log(f"timing ksplat ({args.runs} runs)")
    results = [time_ksplat(ksplat, builds, logs_by_build, frames, args.runs)]
    skipped = []
    log("timing decode_stacktrace.sh")
    slow, why = time_slow_tool(builds, frames, args.slow_logs)
    if slow:
        results.append(slow)
    else:
        skipped.append(("decode_stacktrace.sh", why))
    llvm = None
    for tool in BATCH_TOOLS:
        log(f"timing {tool.name} ({args.runs} runs)")
        result, why = time_batch_tool(tool, builds, frames, args.runs)
        if not result:
            skipped.append((tool.name, why))
            continue
        results.append(result)
        if tool.program == "llvm-symbolizer":
            llvm = result
    return results, slow, llvm, skipped


def bench(args, tmp):
    ksplat, version = find_ksplat()
    logs_by_build = {build: [path for variant in variants for path in rig_logs(variant)]
                     for build, variants in BUILDS.items()}
    builds = [load_symbols(b, tmp) for b in BUILDS]
    frames = collect_frames(ksplat, builds, logs_by_build)
    warm_page_cache([s.vmlinux for s in builds] + [s.module_ko for s in builds]
                    + [p for logs in logs_by_build.values() for p in logs])
    results, slow, llvm, skipped = time_tools(ksplat, builds, logs_by_build, frames, args)

    nlogs = sum(len(logs) for logs in logs_by_build.values())
    per_build = ", ".join(f"{b} {sum(1 for f in frames if f.build == b)}" for b in BUILDS)
    in_module = sum(1 for f in frames if f.module)
    print(f"symbolization bench: {version} ({ksplat}), {nlogs} logs, {len(frames)} frames "
          f"({per_build}; {in_module} in {MODULE}.ko)")
    print()
    print_table(results, results[0], frames)
    print_notes(results, skipped)
    print_ambiguous(builds, frames)
    print_targets(results[0], slow, llvm)
    print_disagreements(results, frames, args.examples)


def main():
    args = parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found (the rig logs live in ../shared/rig)")
        return 0
    if not (RIG / "logs").is_dir():
        print(f"skipped: {RIG / 'logs'} not found")
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="ksplat-bench-") as tmp:
            bench(args, tmp)
    except BenchError as e:
        print(f"symbolize.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
