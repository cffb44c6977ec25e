#!/usr/bin/env python3
"""Check --debuginfod: vmlinux and module fetched by the build ids the log prints.

The rig's frame-pointer build prints the vmlinux build id on every CPU: line
and the module's in every splatmod frame. A small HTTP server speaking the
debuginfod protocol (GET /buildid/HEX/debuginfo) serves the rig's files; ksplat,
given no symbol file at all, must fetch both and put the culprit and the lock
site on the ground-truth lines. A server that has nothing must give a warning
and still the report.
"""
import argparse
import http.server
import json
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import threading

BUILD_IDS = {
    "bc6790bfd007b36506c5beef3906692de584af36": "vmlinux",
    "5d917eb299ad6cc9516c20ceaf96540cebef9bbb": "splatmod.ko",
}


def serve(files):
    """A debuginfod server over @files (build id -> path); returns it and the requests seen."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            parts = self.path.strip("/").split("/")
            seen.append(self.path)
            path = files.get(parts[1]) if len(parts) == 3 and parts[0] == "buildid" \
                and parts[2] == "debuginfo" else None
            if not path:
                self.send_error(404)
                return
            with open(path, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def run(ksplat, log, url, cache):
    env = dict(os.environ, DEBUGINFOD_URLS=url, DEBUGINFOD_CACHE_PATH=cache)
    out = subprocess.run(ksplat.split() + ["--format=json", "--no-host-symbols", "--debuginfod", log],
                         capture_output=True, text=True, env=env, timeout=120)
    return json.loads(out.stdout)["reports"], out.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rig", required=True)
    ap.add_argument("--ksplat", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ksplat-dbgd-")
    failures = []
    try:
        vmlinux = os.path.join(tmp, "vmlinux")
        with lzma.open(os.path.join(args.rig, "symbols/fp/vmlinux.xz")) as src, open(vmlinux, "wb") as dst:
            shutil.copyfileobj(src, dst)
        files = {bid: vmlinux if name == "vmlinux" else os.path.join(args.rig, "symbols/fp", name)
                 for bid, name in BUILD_IDS.items()}
        log = os.path.join(args.rig, "logs/fp-kaslr/atomic_kmalloc.dmesg.log")

        server, seen = serve(files)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        reports, err = run(args.ksplat, log, url, os.path.join(tmp, "cache"))
        rep = next((r for r in reports if r["kind"] == "sleep-in-atomic"), None)
        culprit = rep and rep["culprit"] or {}
        lock = rep and rep["locks"] and rep["locks"][0]["acquired_at"] or {}
        if not (culprit.get("file") or "").endswith("splatmod/splatmod.c") or culprit.get("line") != 44:
            failures.append(f"culprit {culprit.get('file')}:{culprit.get('line')}, want splatmod.c:44")
        if lock.get("line") != 43:
            failures.append(f"lock taken at line {lock.get('line')}, want 43")
        kernel_lines = [f for f in rep["trace"] if f["module"] is None and f["file"]] if rep else []
        if not kernel_lines:
            failures.append("no kernel frame has a line: vmlinux was not fetched")
        if sorted({p.split("/")[2] for p in seen}) != sorted(BUILD_IDS):
            failures.append(f"requests {seen}, want one per build id")
        server.shutdown()

        empty, _ = serve({})
        url = f"http://127.0.0.1:{empty.server_address[1]}"
        reports, err = run(args.ksplat, log, url, os.path.join(tmp, "cache-empty"))
        if not any(r["kind"] == "sleep-in-atomic" and r["culprit"] for r in reports):
            failures.append("nothing to fetch: the report is gone")
        if "debuginfod has no" not in err:
            failures.append(f"nothing to fetch: no warning ({err.strip()!r})")
        empty.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL debuginfod: {f}")
    print(f"debuginfod: {'ok' if not failures else 'FAILED'} (fetch by build id, and a server without the files)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
