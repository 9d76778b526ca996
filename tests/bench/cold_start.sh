#!/bin/sh
# cold_start.sh BUILD [RUNS]: cold start of a packaged controller, measured
# as the time from exec of the process to its first GET /next arriving at a
# loopback Runtime API (tests/runtime_api/rtapi_double.py), median of RUNS
# (default 101) runs. The double answers that GET with 500, so each process
# exits at once. Measured in the same run, as peers:
#   curl      the curl command line doing the same GET (a C program on libcurl)
#   python3   a minimal Python custom runtime (urllib, GET /next)
# The controller is BUILD/tests/runtime_api/rt_main.zip unpacked into a
# temporary folder and run as Lambda runs it: bootstrap with
# LD_LIBRARY_PATH=<unpacked>/lib and only the Lambda variables set. Prints
# the zip size, the medians and the ratios, and the machine. Run it by hand
# on an otherwise idle machine; the timings include Python's fork+exec.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 BUILD [RUNS]" >&2; exit 2; }
build=$(cd "$1" && pwd)
runs=${2:-101}
here=$(cd "$(dirname "$0")" && pwd)
zip=$build/tests/runtime_api/rt_main.zip
[ -f "$zip" ] || { echo "cold_start: $zip not found (build the tests first)" >&2; exit 2; }
command -v curl >/dev/null || { echo "cold_start: needs the curl command" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q "$zip" -d "$tmp/task"

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) cores"
echo "zip: $zip, $(wc -c <"$zip") bytes ($(unzip -l "$zip" | tail -1 | awk '{print $1}') unpacked)"

PYTHONPATH=$here/../runtime_api python3 - "$tmp/task" "$runs" <<'EOF'
import os, statistics, subprocess, sys, time
from rtapi_double import API, Double

task, runs = sys.argv[1], int(sys.argv[2])


def measure(argv, env_extra):
    """Median ms from Popen to the first /next the double sees, over runs."""
    samples = []
    with Double([], next_status=500) as d:
        for _ in range(runs):
            env = {"AWS_LAMBDA_RUNTIME_API": d.address, "_HANDLER": "rt_main"}
            env.update(env_extra)
            before = len(d.requests())
            t0 = time.monotonic()
            p = subprocess.Popen([a.replace("ADDR", d.address) for a in argv], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            p.wait()
            reqs = d.requests()
            assert len(reqs) > before, f"{argv[0]} never asked for /next"
            samples.append((reqs[before].time - t0) * 1000)
    return statistics.median(samples), min(samples), max(samples)

py = ("import os,urllib.request\n"
      "try: urllib.request.urlopen('http://'+os.environ['AWS_LAMBDA_RUNTIME_API']+'/2018-06-01/runtime/invocation/next')\n"
      "except Exception: pass\n")
rows = [
    ("ctl bootstrap", [os.path.join(task, "bootstrap")], {"LD_LIBRARY_PATH": os.path.join(task, "lib")}),
    ("curl", ["/usr/bin/curl", "-s", "http://ADDR" + API + "/invocation/next"], {}),
    ("python3", [sys.executable, "-c", py], {}),
]
results = {}
for name, argv, env in rows:
    results[name] = measure(argv, env)
base = results["ctl bootstrap"][0]
print(f"cold start, exec to first GET /next, {runs} runs each:")
for name, (med, lo, hi) in results.items():
    ratio = "" if name == "ctl bootstrap" else f"  ({med / base:.1f}x ctl's)"
    print(f"  {name:14s} median {med:7.2f} ms  (min {lo:.2f}, max {hi:.2f}){ratio}")
EOF
