#!/usr/bin/env python3
"""Shell completion: completions/ksplat.bash and completions/_ksplat.

The bash script is sourced in a bare `bash --norc --noprofile -c` with the
bash-completion package's helpers undefined, so its own fallbacks run, and
again after bash-completion's bash_completion when that is installed. Each
case sets COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as bash would for a
command line, calls _ksplat and compares COMPREPLY, once with the default
COMP_WORDBREAKS (which makes "--opt=value" three words) and once without '='.
Every option of `ksplat --help` must be completed (those announced in FUTURE
may still be missing from --help), and --fail-on must offer the kinds of the
man page's KINDS section. zsh: every option of --help must appear in
_ksplat, and `zsh -n` must accept it when zsh is installed.

Usage: check_completion.py --ksplat CMD --samples DIR
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASH_FILE = os.path.join(ROOT, "completions", "ksplat.bash")
ZSH_FILE = os.path.join(ROOT, "completions", "_ksplat")
MAN = os.path.join(ROOT, "man", "ksplat.1")
BASH_COMPLETION = [os.environ.get("KSPLAT_BASH_COMPLETION", ""),
                   "/usr/share/bash-completion/bash_completion", "/etc/bash_completion"]

# Options completed before --help lists them.
FUTURE = {"--top", "-q", "--quiet", "-v", "--verbose", "--group-by", "--baseline",
          "--write-baseline", "--suppress", "--fail-on"}
FORMATS = ["text", "json", "jsonl", "journal-export", "sarif", "dot"]
CLASSES = ["deadlock", "atomic", "crash", "lockdep", "warning"]
# bash's default COMP_WORDBREAKS without its blanks.
BREAKS = "\"'><=;|&(:"

# The working directory of every case.
FILES = ["kern.log", "vmlinux", "System.map", "my log.txt"]
DIRS = ["logs", "mods", "src tree"]


def comp_words(line, breaks):
    """COMP_WORDS for the cursor at the end of line, split as bash splits it:
    at blanks, and every run of word-break characters is a word of its own."""
    words, word = [], ""
    for ch in line:
        if ch in " \t":
            if word:
                words.append(word)
            word = ""
            continue
        if word and (word[-1] in breaks) != (ch in breaks):
            words.append(word)
            word = ""
        word += ch
    return words + [word]  # the word at the cursor, empty after a blank


def complete(line, breaks, bash_completion, cwd):
    """COMPREPLY for line, and what bash wrote on standard error."""
    words = comp_words(line, breaks)
    q = shlex.quote
    # bash passes the text readline replaces (nothing after a "=") as $2.
    cur = "" if all(c in breaks for c in words[-1]) else words[-1]
    script = "\n".join([
        f"source {q(bash_completion)}" if bash_completion else "unset -f _init_completion _filedir",
        f"source {q(BASH_FILE)}",
        f"COMP_WORDBREAKS={q(breaks + ' ' + chr(9) + chr(10))}",
        "COMP_WORDS=(" + " ".join(q(w) for w in words) + ")",
        f"COMP_CWORD={len(words) - 1} COMP_LINE={q(line)} COMP_POINT={len(line)}",
        f"COMPREPLY=(); _ksplat ksplat {q(cur)} {q(words[-2])}",
        "printf '%s\\0' \"${COMPREPLY[@]}\"",
    ])
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": cwd, "LC_ALL": "C"}
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], cwd=cwd, env=env,
                         capture_output=True, text=True)
    return sorted(w for w in out.stdout.split("\0") if w), out.stderr.strip()


def help_options(cmd):
    out = subprocess.run(shlex.split(cmd) + ["--help"], capture_output=True, text=True)
    opts = set()
    for line in out.stdout.splitlines():
        m = re.match(r"\s+(?:(-\w), )?\s*(--[a-z][a-z0-9-]*)", line)
        if m:
            opts.update(o for o in m.groups() if o)
    return opts


def man_kinds():
    with open(MAN) as f:
        section = f.read().split(".Sh KINDS", 1)[1].split("\n.Sh ", 1)[0]
    return re.findall(r"^\.It Cm (\S+)$", section, re.M)


def cases(kinds):
    """(command line, the exact COMPREPLY wanted, in any order)."""
    everything = FILES + DIRS
    return [
        ("ksplat --fo", ["--follow", "--format"]),
        ("ksplat --format ", FORMATS),
        ("ksplat --format=", FORMATS),
        ("ksplat --format=js", ["json", "jsonl"]),
        ("ksplat -F j", ["json", "jsonl", "journal-export"]),
        ("ksplat --color=", ["auto", "always", "never"]),
        ("ksplat --color n", ["never"]),
        ("ksplat --group-by=", ["signature", "function", "lock"]),
        ("ksplat --fail-on=", sorted(set(kinds + CLASSES))),
        ("ksplat --fail-on=lockdep-cir", ["lockdep-circular"]),
        ("ksplat --fail-on=sleep-in-atomic,hung", ["sleep-in-atomic,hung-task"]),
        ("ksplat --fail-on hung-task,lockdep-circular,dead", ["hung-task,lockdep-circular,deadlock"]),
        ("ksplat --fail-on=x,", [f"x,{k}" for k in sorted(set(kinds + CLASSES))]),
        ("ksplat --modules ", DIRS),
        ("ksplat --modules=m", ["mods"]),
        ("ksplat --srcdir=s", ["src tree"]),
        ("ksplat --journal-dir l", ["logs"]),
        ("ksplat --vmlinux=vm", ["vmlinux"]),
        ("ksplat --system-map S", ["System.map"]),
        ("ksplat --kallsyms=my", ["my log.txt"]),
        ("ksplat --suppress=k", ["kern.log"]),
        ("ksplat --kmsg=", everything + ["/dev/kmsg"]),
        ("ksplat --top=", []),
        ("ksplat --max-lines ", []),
        ("ksplat -b ", []),
        ("ksplat --boot=", []),
        ("ksplat ker", ["kern.log"]),
        ("ksplat -q my", ["my log.txt"]),
        ("ksplat --format json ", everything),
        ("ksplat -- --f", []),
        ("ksplat -- k", ["kern.log"]),
    ]


def check_bash(args, kinds, cwd, failures):
    modes = [("without bash-completion", None)]
    found = next((p for p in BASH_COMPLETION if p and os.path.isfile(p)), None)
    if found:
        modes.append(("with " + found, found))
    else:
        print("completion: bash-completion not installed, its helpers not tested")
    for mode, bc in modes:
        for breaks in (BREAKS, BREAKS.replace("=", "")):
            for line, want in cases(kinds):
                # Without '=' as a break, "--opt=value" is one word: its
                # replies must repeat "--opt=".
                last = line.rsplit(" ", 1)[-1]
                prefix = last.split("=", 1)[0] + "=" if "=" not in breaks and "=" in last else ""
                got, err = complete(line, breaks, bc, cwd)
                want = sorted(prefix + w for w in want)
                if got != want or err:
                    failures.append(f"bash {mode}, COMP_WORDBREAKS {breaks!r}: {line!r}: "
                                    f"{got}, want {want}{': ' + err if err else ''}")
        sources = [bc, BASH_FILE] if bc else [BASH_FILE]
        script = "".join(f"source {shlex.quote(f)}; " for f in sources) + "complete -p ksplat"
        out = subprocess.run(["bash", "--norc", "--noprofile", "-c", script],
                             capture_output=True, text=True).stdout.strip()
        if out != "complete -F _ksplat ksplat":
            failures.append(f"bash {mode}: complete -p ksplat: {out!r}")

    # Every option --help lists, and only those and the announced ones.
    helped = help_options(args.ksplat)
    if not {"--help", "--format", "-F"} <= helped:
        failures.append(f"{args.ksplat} --help: no options found")
    offered = set(complete("ksplat -", BREAKS, None, cwd)[0])
    for opt in sorted(helped - offered):
        failures.append(f"bash: {opt} (in --help) is not completed")
    for opt in sorted(FUTURE - offered):
        failures.append(f"bash: {opt} is not completed")
    for opt in sorted(offered - helped - FUTURE):
        failures.append(f"bash: {opt} is completed but not in --help")
    return helped


def check_zsh(helped, failures):
    with open(ZSH_FILE) as f:
        text = f.read()
    if not text.startswith("#compdef ksplat\n"):
        failures.append("zsh: _ksplat does not start with #compdef ksplat")
    for opt in sorted(helped | FUTURE):
        if not re.search(r"(?<![\w-])" + re.escape(opt) + r"(?![\w-])", text):
            failures.append(f"zsh: {opt} is not completed")
    zsh = shutil.which("zsh")
    if not zsh:
        print("completion: zsh not installed, zsh -n _ksplat skipped")
        return
    out = subprocess.run([zsh, "-n", ZSH_FILE], capture_output=True, text=True)
    if out.returncode:
        failures.append(f"zsh -n _ksplat: {out.stderr.strip()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksplat", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    failures = []
    kinds = man_kinds()
    if len(kinds) < 30:
        failures.append(f"man page KINDS: only {kinds}")
    tmp = tempfile.mkdtemp(prefix="ksplat-completion-")
    try:
        for name in FILES:
            open(os.path.join(tmp, name), "w").close()
        for name in DIRS:
            os.mkdir(os.path.join(tmp, name))
        helped = check_bash(args, kinds, tmp, failures)
        check_zsh(helped, failures)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL completion: {f}")
    print("completion: ok" if not failures else f"completion: {len(failures)} FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
