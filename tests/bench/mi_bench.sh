#!/bin/sh
# mi_bench.sh [BUILD_DIR]: Lambda Managed Instances' concurrent pollers.
# Events per second of the Runtime API loop with one poller and with 16
# (AWS_LAMBDA_MAX_CONCURRENCY=16), in the same run, against a loopback
# Runtime API, with a handler that sleeps 10 ms (rt_main.hold of
# tests/runtime_api/rtapi.ctl, built as ctl_rtapi). Issue 15's target: 16
# pollers take at least 12x the events per second of one.
#
# Two loopback doubles, each measured with 1 and 16 pollers:
#   lean   a Runtime API of /next, /response and /error only, on one
#          asyncio event loop (below): what the loop itself does;
#   tests  tests/runtime_api/rtapi_double.py, the tests' double (Python's
#          http.server, a thread per connection): with 16 connections its
#          threads contend for the GIL, and it is the first to saturate.
# Each round runs BENCH_EVENTS (200) events per poller (200 with one, 3200
# with 16), BENCH_ROUNDS (3) rounds, alternately; a round's rate is its
# events over the time from the first request the double received to the
# last answer. Every round checks that each event was handed out once and
# answered once, with a response (nothing lost, nothing answered twice):
# a round that breaks that fails the script. It prints each round, the
# medians and their ratios; a ratio is a figure, not an assertion (the
# machine is shared: its load average is printed).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
bin=$build/tests/runtime_api/ctl_rtapi
[ -x "$bin" ] || { echo "mi_bench: $bin not found (build $build first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "mi_bench: python3 is needed" >&2; exit 2; }
exec python3 - "$bin" "$top/tests/runtime_api" "${BENCH_EVENTS:-200}" "${BENCH_ROUNDS:-3}" <<'PY'
import asyncio, json, os, statistics, subprocess, sys, threading, time
binary, here, per_poller, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, here)
from rtapi_double import API, Double, Event  # noqa: E402

EVENT = json.dumps({"function": "hold", "url": "", "ms": 10}, separators=(",", ":")).encode()


class Lean:
    """The Runtime API's /next and posts, on an asyncio loop in a thread:
    records what it hands out and what is answered, with the times."""

    def __init__(self, ids):
        self.ids, self.handed, self.answers = list(ids), [], []
        self.first = self.last = None
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def start():
            self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
            self.address = "127.0.0.1:%d" % self.server.sockets[0].getsockname()[1]
            ready.set()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self.run(start),), daemon=True)
        self.thread.start()
        ready.wait()

    async def run(self, start):
        await start()
        self.stop = asyncio.Event()
        await self.stop.wait()
        self.server.close()

    async def serve(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                now = time.monotonic()
                self.first = self.first or now
                line, _, rest = head.partition(b"\r\n")
                method, path = line.split(b" ")[:2]
                length = 0
                for h in rest.split(b"\r\n"):
                    if h[:15].lower() == b"content-length:":
                        length = int(h[15:])
                if length:
                    await reader.readexactly(length)
                if method == b"GET" and path == API.encode() + b"/invocation/next":
                    if self.ids:
                        rid = self.ids.pop(0)
                        self.handed.append(rid)
                        writer.write(b"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: %s\r\n"
                                     b"Lambda-Runtime-Deadline-Ms: %d\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: %d\r\n\r\n%s"
                                     % (rid.encode(), int(time.time() * 1000) + 900000, len(EVENT), EVENT))
                    else:
                        body = b'{"errorMessage":"no more events","errorType":"ContainerError"}'
                        writer.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: %d\r\n\r\n%s"
                                     % (len(body), body))
                else:
                    self.answers.append(path[len(API) + len("/invocation/"):].decode())
                    self.last = now
                    writer.write(b'HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{"status":"OK"}')
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    def close(self):
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join()


def one_round(kind, pollers):
    count = per_poller * pollers
    ids = [f"b{pollers}-{i}" for i in range(count)]
    env = {"PATH": "/usr/bin:/bin", "_HANDLER": "rt_main", "AWS_LAMBDA_MAX_CONCURRENCY": str(pollers)}
    if kind == "lean":
        d = Lean(ids)
        env["AWS_LAMBDA_RUNTIME_API"] = d.address
        proc = subprocess.run([binary], env=env, capture_output=True, timeout=600)
        d.close()
        handed, answered, span = d.handed, d.answers, d.last - d.first
    else:
        with Double([Event(rid, {"function": "hold", "url": "", "ms": 10}) for rid in ids]) as d:
            env["AWS_LAMBDA_RUNTIME_API"] = d.address
            proc = subprocess.run([binary], env=env, capture_output=True, timeout=600)
        log = d.requests()
        posts = [r for r in log if r.method == "POST" and r.path.startswith(API + "/invocation/")]
        handed = [r.event_id for r in log if r.event_id is not None]
        answered = [r.path[len(API + "/invocation/"):] for r in posts]
        span = max(r.time for r in posts) - min(r.time for r in log)
    want = sorted(f"{rid}/response" for rid in ids)
    if sorted(handed) != sorted(ids) or sorted(answered) != want:
        lost = set(want) - set(answered)
        twice = len(answered) - len(set(answered))
        sys.exit(f"mi_bench: {kind} double, {pollers} pollers: {len(lost)} events lost, {twice} answered twice, "
                 f"{len(handed)} handed out of {count}; stderr: {proc.stderr[-2000:]!r}")
    return count / span


print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; handler sleeps "
      f"10 ms; {per_poller} events per poller, {rounds} rounds")
rates = {(k, p): [] for k in ("lean", "tests") for p in (1, 16)}
for r in range(rounds):
    for kind in ("lean", "tests"):
        for pollers in (1, 16):
            rate = one_round(kind, pollers)
            rates[kind, pollers].append(rate)
            print(f"round {r + 1}, {kind:<5} double: {pollers:>2} {'poller ' if pollers == 1 else 'pollers'} "
                  f"{rate:8.1f} events/s ({per_poller * pollers} events, none lost, none answered twice)")
for kind in ("lean", "tests"):
    one, sixteen = statistics.median(rates[kind, 1]), statistics.median(rates[kind, 16])
    print(f"{kind:<5} double: median 1 poller {one:.1f} events/s, 16 pollers {sixteen:.1f} events/s: "
          f"ratio 16/1 {sixteen / one:.2f}x (target >= 12x)")
print(f"load average {os.getloadavg()[0]:.1f} at the end")
PY
