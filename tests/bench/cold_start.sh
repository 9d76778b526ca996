#!/bin/sh
# cold_start.sh BUILD [RUNS] [AWS_LAMBDA_CPP_SRC]: cold start of packaged
# controllers, measured as the time from exec of the process to its first
# GET /next arriving at a loopback Runtime API
# (tests/runtime_api/rtapi_double.py), and its resident memory then (VmRSS
# of /proc/PID/status, read by the double when the GET arrives, before it
# answers), medians of RUNS (default 101, at least 50) runs. The double
# answers that GET with 500, so each process exits at once. Peers, measured
# in the same run, one run of each in turn:
#   ctl leaf      BUILD/tests/runtime_api/rt_leaf.zip: a controller that
#                 answers events and calls nobody (libctl's core and loop)
#   ctl leaf_dynamic  BUILD/tests/runtime_api/rt_leaf_dynamic.zip: the same
#                 leaf packaged DYNAMIC (glibc's loader and libc.so; cJSON
#                 linked in): what the static link saves
#   ctl caller    BUILD/tests/runtime_api/rt_caller.zip: a controller whose
#                 stubs reach one it does not host (and libctl_aws: libcurl,
#                 OpenSSL), no credentials, so the transport says it is off
#   aws-lambda-cpp  awslabs/aws-lambda-cpp's examples/demo, built from
#                 AWS_LAMBDA_CPP_SRC (a checkout) under a temporary folder,
#                 static library and Release, zipped by its own packager;
#                 skipped (and said so) without AWS_LAMBDA_CPP_SRC
#   socket floor  a C program of a socket, a connect and the GET (the
#                 address read with inet_pton, as the loop reads Lambda's
#                 numeric one), compiled here (cc -O2): what exec, the
#                 loader and libc cost alone
#   static floor  the same program linked -static: what exec costs alone
#                 (the floor of the static leaf)
#   curl          the curl command line doing the same GET (a C program on libcurl)
#   python3       a minimal Python custom runtime (urllib, GET /next)
# Each zip is unpacked into a temporary folder and run as Lambda runs it:
# bootstrap with LD_LIBRARY_PATH=<unpacked>/lib and only the Lambda
# variables set. Prints the machine, each zip's size and what it bundles,
# the medians and the ratios to the leaf, and the leaves' and the caller's
# to both floors; then, for the leaf and the caller, exec to the GET /next
# after a first invocation (the caller's relays to a controller it does
# not host: its first send, where libctl_aws opens libcurl and libcrypto).
# Run it by hand on an otherwise idle machine; the timings include Python's
# fork+exec.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 BUILD [RUNS] [AWS_LAMBDA_CPP_SRC]" >&2; exit 2; }
build=$(cd "$1" && pwd)
runs=${2:-101}
awscpp_src=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
[ "$runs" -ge 50 ] 2>/dev/null || { echo "cold_start: RUNS must be a number of at least 50" >&2; exit 2; }
command -v curl >/dev/null || { echo "cold_start: needs the curl command" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(nproc) cores"
zips=""
for who in leaf leaf_dynamic caller; do
    zip=$build/tests/runtime_api/rt_$who.zip
    [ -f "$zip" ] || { echo "cold_start: $zip not found (build the tests first)" >&2; exit 2; }
    zips="$zips ctl_$who=$zip"
done

if [ -n "$awscpp_src" ]; then
    # Built here for the benchmark only: a temporary prefix, never the project.
    [ -f "$awscpp_src/CMakeLists.txt" ] || { echo "cold_start: $awscpp_src is no aws-lambda-cpp checkout" >&2; exit 2; }
    echo "building aws-lambda-cpp ($(git -C "$awscpp_src" rev-parse --short HEAD 2>/dev/null || echo '?')) under $tmp"
    b=$tmp/awscpp
    if cmake -S "$awscpp_src" -B "$b/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
            -DCMAKE_INSTALL_PREFIX="$b/prefix" >"$b.log" 2>&1 &&
        cmake --build "$b/build" >>"$b.log" 2>&1 && cmake --install "$b/build" >>"$b.log" 2>&1 &&
        cmake -S "$awscpp_src/examples/demo" -B "$b/demo" -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_PREFIX_PATH="$b/prefix" >>"$b.log" 2>&1 &&
        cmake --build "$b/demo" >>"$b.log" 2>&1 &&
        cmake --build "$b/demo" --target aws-lambda-package-demo >>"$b.log" 2>&1 &&
        [ -f "$b/demo/demo.zip" ]; then
        zips="$zips aws-lambda-cpp=$b/demo/demo.zip"
    else
        echo "cold_start: aws-lambda-cpp did not build; skipped (log: last lines)" >&2
        tail -n 15 "$b.log" >&2
    fi
else
    echo "aws-lambda-cpp: skipped (give a checkout of awslabs/aws-lambda-cpp as the third argument)"
fi

# The floor: exec, the loader, libc, one connect and the GET.
cat >"$tmp/floor.c" <<'C'
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    char host[256], req[512], buf[512];
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    const char *colon = api ? strrchr(api, ':') : NULL;
    if (!colon || (size_t)(colon - api) >= sizeof host)
        return 2;
    memcpy(host, api, (size_t)(colon - api));
    host[colon - api] = '\0';
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(colon + 1)) };
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return 2;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        return 2;
    int n = snprintf(req, sizeof req, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
    if (write(fd, req, (size_t)n) != n || read(fd, buf, sizeof buf) <= 0)
        return 1;
    /* The rest of the answer, until the double closes: leaving it unread
     * would reset the connection under the double's feet. */
    shutdown(fd, SHUT_WR);
    while (read(fd, buf, sizeof buf) > 0) {
    }
    return 0;
}
C
cc -O2 -o "$tmp/floor" "$tmp/floor.c" || { echo "cold_start: cannot compile the socket floor" >&2; exit 2; }
cc -O2 -static -o "$tmp/floor_static" "$tmp/floor.c" ||
    { echo "cold_start: cannot link the socket floor statically (glibc's libc.a: libc6-dev)" >&2; exit 2; }

for entry in $zips; do
    name=${entry%%=*} zip=${entry#*=}
    mkdir -p "$tmp/task/$name"
    unzip -q "$zip" -d "$tmp/task/$name"
    n=$(unzip -Z1 "$zip" | grep -vc '/$')
    list=$(unzip -Z1 "$zip" | grep -v '/$' | sort | head -n 40 | tr '\n' ' ')
    [ "$n" -le 40 ] || list="$list... and $((n - 40)) more"
    echo "zip $name: $(wc -c <"$zip") bytes, $(unzip -l "$zip" | tail -1 | awk '{print $1}') unpacked, $n files: $list"
done

PYTHONPATH=$here/../runtime_api python3 - "$tmp/task" "$runs" $zips <<'EOF'
import os, random, statistics, subprocess, sys, time
from rtapi_double import API, Double, Event

task, runs = sys.argv[1], int(sys.argv[2])
names = [z.split("=", 1)[0] for z in sys.argv[3:]]


def bootstrap(name):
    root = os.path.join(task, name)
    # aws-lambda-cpp's packager writes bootstrap as a bash script that execs
    # bin/demo through its own bundled loader, from LAMBDA_TASK_ROOT (which
    # Lambda sets): the same process, so its RSS is the demo's.
    return [os.path.join(root, "bootstrap")], {"LD_LIBRARY_PATH": os.path.join(root, "lib"),
                                                 "LAMBDA_TASK_ROOT": root}


py = ("import os,urllib.request\n"
      "try: urllib.request.urlopen('http://'+os.environ['AWS_LAMBDA_RUNTIME_API']+'/2018-06-01/runtime/invocation/next')\n"
      "except Exception: pass\n")
rows = [(n,) + tuple(bootstrap(n)) for n in names]
rows += [("socket floor", [os.path.join(os.path.dirname(task), "floor")], {}),
         ("static floor", [os.path.join(os.path.dirname(task), "floor_static")], {}),
         ("curl", ["/usr/bin/curl", "-s", "http://ADDR" + API + "/invocation/next"], {}),
         ("python3", [sys.executable, "-c", py], {})]
handlers = {"ctl_leaf": "leaf_echo", "ctl_leaf_dynamic": "leaf_echo", "ctl_caller": "leaf_caller",
            "aws-lambda-cpp": "demo"}


def rss_kb(pid):
    """VmRSS of pid (kB), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


current = {"pid": None, "rss": None}


def on_next():
    # The runtime waits for this answer, so its memory stays as at the GET;
    # Popen may not have returned its pid yet when the GET comes.
    deadline = time.monotonic() + 1.0
    while current["pid"] is None and time.monotonic() < deadline:
        time.sleep(0.0002)
    if current["rss"] is None and current["pid"]:
        current["rss"] = rss_kb(current["pid"])


samples = {r[0]: [] for r in rows}
rss = {r[0]: [] for r in rows}
with Double([], next_status=500, on_next=on_next) as d:
    # One run of each peer in turn, so that a busy moment of the machine
    # falls on all of them alike; each round in its own order (the same
    # for the same RUNS), so that none always follows python3's run.
    order = random.Random(runs)
    for _ in range(runs):
        for name, argv, env_extra in order.sample(rows, len(rows)):
            env = {"AWS_LAMBDA_RUNTIME_API": d.address, "_HANDLER": handlers.get(name, "x")}
            env.update(env_extra)
            before = len(d.requests())
            current["pid"], current["rss"] = None, None
            t0 = time.monotonic()
            p = subprocess.Popen([a.replace("ADDR", d.address) for a in argv], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            current["pid"] = p.pid
            p.wait()
            reqs = d.requests()
            assert len(reqs) > before, f"{name} never asked for /next"
            samples[name].append((reqs[before].time - t0) * 1000)
            if current["rss"] is not None:
                rss[name].append(current["rss"])

base = statistics.median(samples[rows[0][0]])
print(f"cold start, exec to first GET /next, and VmRSS at that GET; medians of {runs} runs each:")
for name, _, _ in rows:
    s = samples[name]
    med = statistics.median(s)
    r = f"{statistics.median(rss[name]) / 1024:6.1f} MB" if rss[name] else "     ? MB"
    ratio = "" if name == rows[0][0] else f"  ({med / base:.1f}x {rows[0][0]}'s)"
    print(f"  {name:17s} median {med:7.2f} ms  (min {min(s):.2f}, max {max(s):.2f})  RSS {r}{ratio}")
# The leaves and the caller against both floors: what they add to an exec
# that only connects.
for name in ("ctl_leaf", "ctl_leaf_dynamic", "ctl_caller"):
    if name in samples:
        med = statistics.median(samples[name])
        floors = ", ".join(f"{med / statistics.median(samples[f]):.2f}x the {f} "
                           f"({med - statistics.median(samples[f]):+.2f} ms)" for f in ("static floor", "socket floor"))
        print(f"  {name}: {floors}")

# The first invocation: exec to the GET /next after one event, and VmRSS
# then. The leaf echoes; the caller relays to leaf_echo, which it does not
# host: its first call opens libcurl and libcrypto (libctl_aws loads them at
# the first send, not at start) and, with no credentials here, fails at once
# after, so the difference is what the libraries cost, moved from the start
# to the first send.
first = [("ctl_leaf", {"function": "echo", "text": "x"}), ("ctl_caller", {"function": "echo", "text": ">x"})]
first = [f for f in first if f[0] in names]
if first:
    later = {n: [] for n, _ in first}
    later_rss = {n: [] for n, _ in first}
    for _ in range(runs):
        for name, event in first:
            argv, env_extra = bootstrap(name)
            gets = {"n": 0}

            def on_second():
                gets["n"] += 1
                if gets["n"] == 2:
                    on_next()

            with Double([Event("first-1", event)], on_next=on_second) as d:
                env = {"AWS_LAMBDA_RUNTIME_API": d.address, "_HANDLER": handlers[name]}
                env.update(env_extra)
                current["pid"], current["rss"] = None, None
                t0 = time.monotonic()
                p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                current["pid"] = p.pid
                p.wait()
                nexts = [r for r in d.requests() if r.method == "GET"]
                assert len(nexts) >= 2, f"{name} did not ask for a second event"
                later[name].append((nexts[1].time - t0) * 1000)
                if current["rss"] is not None:
                    later_rss[name].append(current["rss"])
    print(f"the first invocation, exec to the GET /next after it, and VmRSS then; medians of {runs} runs each:")
    for name, event in first:
        s = later[name]
        r = f"{statistics.median(later_rss[name]) / 1024:6.1f} MB" if later_rss[name] else "     ? MB"
        what = "a call to a controller not hosted (its first send)" if name == "ctl_caller" else "an echo"
        print(f"  {name:17s} median {statistics.median(s):7.2f} ms  (min {min(s):.2f})  RSS {r}  {what}")
EOF
