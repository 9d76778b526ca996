#!/usr/bin/env python3
"""lsp_bench.py CTLC SPEC [EDITS]: latency of `ctlc lsp` from a change to
its diagnostics (stdlib only; tests/bench/lsp_bench.sh runs it).

Opens SPEC, then types EDITS characters (200 by default), one
textDocument/didChange each, into a doc comment in the middle of the spec,
and times each from the moment the change is written to the moment the
publishDiagnostics of its version is read. Three runs in the same server
process line up the figures:
  incremental  each change a one-character range edit (what editors send)
  full         each change the whole text (textDocumentSync 1's way), the peer
  check        the same spec through `ctlc check` as a process, the other peer
Prints p50, p95 and max in milliseconds, the server's CPU time per change
(user + system, from /proc: what the latency would be on an idle core),
and the ratios. Asserts nothing.
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse


def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def read(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("lsp_bench.py: the server closed its output")
        line = line.strip()
        if not line:
            break
        k, _, v = line.partition(b":")
        if k.lower() == b"content-length":
            length = int(v)
    return json.loads(stream.read(length))


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ctlc, spec = sys.argv[1], os.path.abspath(sys.argv[2])
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    load = open("/proc/loadavg").read().split()[0]
    text = open(spec, encoding="utf-8").read()
    uri = "file://" + urllib.parse.quote(spec)
    lines = text.split("\n")
    # The doc comment nearest the middle: typing goes at its end.
    target = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].lstrip().startswith("///"))
    proc = subprocess.Popen([ctlc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out, inp = proc.stdout, proc.stdin

    def send(msg):
        inp.write(frame(msg))
        inp.flush()

    def wait_for(pred):
        while True:
            m = read(out)
            if pred(m):
                return m

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"capabilities": {"general": {"positionEncodings": ["utf-16"]}}}})
    wait_for(lambda m: m.get("id") == 1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "ctl", "version": 1, "text": text}}})
    first = wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    if first["params"]["diagnostics"]:
        raise SystemExit("lsp_bench.py: the spec has diagnostics: %s" % first["params"]["diagnostics"][0])

    version = [1]

    def cpu_ms():
        """The server's CPU time so far (user + system), in ms."""
        fields = open("/proc/%d/stat" % proc.pid).read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    cpu = {}

    def run(incremental):
        doc = list(lines)
        cpu0 = cpu_ms()
        col = len(doc[target])
        times = []
        for k in range(edits):
            ch = "abcdefghij"[k % 10]
            version[0] += 1
            if incremental:
                change = {"range": {"start": {"line": target, "character": col},
                                    "end": {"line": target, "character": col}}, "text": ch}
            doc[target] += ch
            if not incremental:
                change = {"text": "\n".join(doc)}
            col += 1
            msg = {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version[0]}, "contentChanges": [change]}}
            body = frame(msg)
            v = version[0]
            t0 = time.perf_counter()
            inp.write(body)
            inp.flush()
            m = wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"].get("version") == v)
            times.append((time.perf_counter() - t0) * 1000)
            if m["params"]["diagnostics"]:
                raise SystemExit("lsp_bench.py: an edit gave diagnostics: %s" % m["params"]["diagnostics"][0])
        cpu[incremental] = (cpu_ms() - cpu0) / edits
        # Back to the text as opened, for the next run.
        version[0] += 1
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version[0]}, "contentChanges": [{"text": text}]}})
        wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version[0])
        return times

    inc = run(True)
    full = run(False)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(lambda m: m.get("id") == 2)
    send({"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=30)
    check = []
    for _ in range(20):
        t0 = time.perf_counter()
        subprocess.run([ctlc, "check", spec], check=True)
        check.append((time.perf_counter() - t0) * 1000)

    def line(name, t, per_change=None):
        tail = "; the server's CPU %.2f ms a change" % per_change if per_change is not None else ""
        return "%-12s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  (%d)%s" % (
            name, percentile(t, 50), percentile(t, 95), max(t), len(t), tail)

    print("spec: %s, %d lines, %d bytes; %d one-character edits into a doc comment (line %d)"
          % (os.path.basename(spec), len(lines), len(text.encode()), edits, target + 1))
    print("load average when it started: %s" % load)
    print(line("incremental", inc, cpu[True]))
    print(line("full", full, cpu[False]))
    print(line("ctlc check", check))
    print("incremental p95 / full p95: %.2f; incremental p50 / ctlc check p50: %.2f"
          % (percentile(inc, 95) / percentile(full, 95), percentile(inc, 50) / percentile(check, 50)))
    print("target: p95 <= 20 ms from a change to its diagnostics: %s"
          % ("met" if percentile(inc, 95) <= 20 else "NOT met"))


if __name__ == "__main__":
    main()
