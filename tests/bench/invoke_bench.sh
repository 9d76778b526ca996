#!/bin/sh
# invoke_bench.sh [BUILD_DIR]: wall time of N (default 1,000) Event
# invocations of async_email_helper against one loopback Invoke endpoint
# (invoke_bench_server.c, libmicrohttpd answering 202), sent
#   - by ctl: leedz's notifyUsers_send stub through the Lambda transport
#     (curl multi, keep-alive, up to 64 in flight), then ctl_client_flush();
#   - by ctl with max_in_flight 1 (one request at a time on one kept-alive
#     connection, as boto3 sends them), to separate concurrency from cost;
#   - by boto3 (Debian's python3-boto3): the seed's exact call in a loop,
#     client.invoke(FunctionName='async_email_helper', InvocationType='Event',
#                   Payload=json.dumps(payload)), with endpoint_url and dummy
#     credentials.
# Both are whole processes (start-up included), timed by hyperfine in the
# same run against the same server; prints the means and the ratio. A
# benchmark, run by hand: it asserts only that every request was answered.
# BUILD_DIR is a Release build (default /tmp/build-bench; built here when
# missing). Needs cc, libmicrohttpd-dev, libcurl, python3-boto3, hyperfine.
# Knobs: BENCH_N (1000), BENCH_RUNS (5).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-/tmp/build-bench}
cc=${CC:-cc}
n=${BENCH_N:-1000}
runs=${BENCH_RUNS:-5}

if [ ! -x "$build/gen/ctlc" ] || [ ! -f "$build/runtime/libctl.a" ] || [ ! -f "$build/runtime/libctl_aws.a" ]; then
    echo "building $repo in $build (Release) ..."
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    ninja -C "$build" ctlc ctl ctl_part_aws >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
work=$(mktemp -d "${TMPDIR:-/tmp}/invoke_bench.XXXXXX")
trap 'exec 3>&- 2>/dev/null; rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
    "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)"
echo "libctl: $build (CMAKE_BUILD_TYPE=${build_type:-?}); $(curl-config --version); boto3 $(python3 -c 'import boto3; print(boto3.__version__)')"
[ "$build_type" = Release ] || echo "NOTE: $build is not a Release build; figures are not comparable"

# ---- build the server and our client ---------------------------------------------------
flags="-std=c11 -O2 -DNDEBUG -D_XOPEN_SOURCE=700 -Wall -Wextra -Wpedantic -Werror"
# A caller hosts no controller: addLeed's stubs, no handlers, no dispatch tables.
"$build/gen/ctlc" c --client addLeed -o "$work" "$repo/specs/leedz.ctl"
$cc $flags -o "$work/server" "$here/invoke_bench_server.c" -lmicrohttpd
$cc $flags -I"$work" -I"$repo/runtime/include" -I"$build/runtime/include" -o "$work/ctl_client" "$here/invoke_bench_client.c" \
    "$work/leedz.ctl.c" "$build/runtime/libctl_aws.a" "$build/runtime/libctl.a" -ldl $(pkg-config --libs libcurl libcjson libcrypto libmicrohttpd sqlite3) -pthread -lm

cat >"$work/boto3_loop.py" <<'PY'
import json, os, sys
import boto3
payload = {
    'function': 'notifyUsers',
    'id': '123456789',
    'trade': 'caricatures',
    'seller': 'scott.gross'
}
client = boto3.client('lambda', endpoint_url=os.environ['AWS_ENDPOINT_URL'])
for _ in range(int(sys.argv[1])):
    client.invoke(FunctionName='async_email_helper',
                  InvocationType='Event',
                  Payload=json.dumps(payload))
PY

# ---- the server, fed through fd 3 so that it ends with this script ----------------------
mkfifo "$work/in"
"$work/server" <"$work/in" >"$work/server.out" &
server=$!
exec 3>"$work/in"
i=0
while ! grep -q '^PORT' "$work/server.out" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "the server did not start"; exit 2; }
    sleep 0.05
done
port=$(sed -n 's/^PORT //p' "$work/server.out")
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench-secret
unset AWS_ENDPOINT_URL_LAMBDA AWS_SESSION_TOKEN AWS_PROFILE CTL_FUNCTION_ASYNC_EMAIL_HELPER || true

echo "server: 127.0.0.1:$port; $n Event invocations per run, $runs runs each (1 warm-up)"
hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$work/times.json" \
    -n ctl "$work/ctl_client $n" \
    -n ctl-serial "$work/ctl_client $n 1" \
    -n boto3 "python3 $work/boto3_loop.py $n" | sed -n '/Time (mean/p;/Range/p;/^Benchmark/p'

exec 3>&-
wait "$server" || true
expected=$(( (runs + 1) * n * 3 ))
got=$(sed -n 's/^REQUESTS \([0-9]*\).*/\1/p' "$work/server.out")
echo "server answered $got requests (expected $expected)"
[ "$got" = "$expected" ] || { echo "FAIL: requests went missing"; exit 1; }
python3 - "$work/times.json" "$n" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
ctl, serial, boto = r["ctl"]["mean"], r["ctl-serial"]["mean"], r["boto3"]["mean"]
print("ctl:        %.3f s for %d (%.0f invocations/s)" % (ctl, n, n / ctl))
print("ctl-serial: %.3f s for %d (%.0f invocations/s)" % (serial, n, n / serial))
print("boto3:      %.3f s for %d (%.0f invocations/s)" % (boto, n, n / boto))
print("ratio: boto3 / ctl = %.1fx less wall time (target >= 20x); boto3 / ctl-serial = %.1fx"
      % (boto / ctl, boto / serial))
PY
