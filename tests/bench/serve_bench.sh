#!/bin/sh
# serve_bench.sh [BUILD_DIR]: requests per second of `serve`, next to nginx
# on the same machine in the same run. A benchmark, run by hand: it prints
# figures and ratios and asserts nothing.
#
#   1. nginx (Debian's), one temporary config, answering every POST with a
#      static 200 JSON body {"ok":true} (worker_processes auto);
#   2. `ctl_serve_test serve --quiet`: RequestResponse POSTs to the no-op
#      function servetest.noop, which answers {"ok":true}; then the same
#      with --no-inline (every call handed to a runner thread);
#   3. the same server, Event POSTs (X-Amz-Invocation-Type: Event) with the
#      journal on (the default; BENCH_FSYNC=1 adds --fsync): accepted (202)
#      events per second, counted by the wrk script.
# All three with wrk (Debian's), BENCH_THREADS threads (2) and
# BENCH_CONNS connections (64) for BENCH_SECONDS (10) each, on loopback;
# wrk shares the cores with the server, as the targets assume.
# BUILD_DIR is a build of this repository with tests (default build,
# Release-like: RelWithDebInfo); ctl_serve_test is built there.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
bin=$build/tests/serve/ctl_serve_test
[ -x "$bin" ] || { echo "serve_bench: $bin not found (build $build first)" >&2; exit 2; }
for tool in wrk nginx python3; do
    command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "serve_bench: $tool is needed" >&2; exit 2; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNS:-64}
secs=${BENCH_SECONDS:-10}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/serve-bench.XXXXXX")
serve_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
    [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

cat >"$tmp/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"function":"noop"}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat >"$tmp/event.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"function":"noop"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Amz-Invocation-Type"] = "Event"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) accepted = 0; other = 0 end
function response(status, headers, body)
  if status == 202 then accepted = accepted + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("accepted"); o = o + t:get("other") end
  io.write(string.format("accepted %d other %d seconds %.3f\n", a, o, summary.duration / 1e6))
end
LUA

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1); $(uname -sr)"
echo "wrk: $threads threads, $conns connections, $secs s per run, loopback"

# ---- nginx ------------------------------------------------------------------------
nport=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<NGINX
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx;
    proxy_temp_path $tmp/nginx;
    fastcgi_temp_path $tmp/nginx;
    uwsgi_temp_path $tmp/nginx;
    scgi_temp_path $tmp/nginx;
    server {
        listen 127.0.0.1:$nport;
        location / {
            default_type application/json;
            return 200 '{"ok":true}';
        }
    }
}
NGINX
"$NGINX" -c "$tmp/nginx.conf" -p "$tmp/nginx" 2>"$tmp/nginx.err" || { cat "$tmp/nginx.err" >&2; exit 1; }
sleep 0.5
path=/2015-03-31/functions/servetest/invocations
wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$tmp/post.lua" "http://127.0.0.1:$nport$path" >"$tmp/nginx.out"
kill "$(cat "$tmp/nginx.pid")"
rm -f "$tmp/nginx.pid"
nginx_rps=$(rps "$tmp/nginx.out")

# ---- serve, RequestResponse ---------------------------------------------------------
fsync=""
[ "${BENCH_FSYNC:-0}" = 1 ] && fsync=--fsync
start_serve() {
    rm -rf "$tmp/journal" "$tmp/serve.out"
    "$bin" serve --listen 127.0.0.1:0 --quiet --journal "$tmp/journal" --dead-letters "$tmp/dead.jsonl" $fsync "$@" \
        >"$tmp/serve.out" 2>"$tmp/serve.err" &
    serve_pid=$!
    i=0
    while ! grep -q '^listening on' "$tmp/serve.out" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 100 ] || { cat "$tmp/serve.err" >&2; exit 1; }; sleep 0.05
    done
    sport=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/serve.out")
}
stop_serve() {
    kill -TERM "$serve_pid"; wait "$serve_pid" || true; serve_pid=""
}
start_serve
wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$tmp/post.lua" "http://127.0.0.1:$sport$path" >"$tmp/sync.out"
grep -q "Non-2xx" "$tmp/sync.out" && { echo "serve_bench: serve answered errors:" >&2; cat "$tmp/sync.out" >&2; }
stop_serve
sync_rps=$(rps "$tmp/sync.out")
start_serve --no-inline
wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$tmp/post.lua" "http://127.0.0.1:$sport$path" >"$tmp/handoff.out"
stop_serve
handoff_rps=$(rps "$tmp/handoff.out")

# ---- serve, Event with the journal --------------------------------------------------
start_serve
wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$tmp/event.lua" "http://127.0.0.1:$sport$path" >"$tmp/event.out"
stop_serve
set -- $(sed -n 's/^accepted \([0-9]*\) other \([0-9]*\) seconds \([0-9.]*\)$/\1 \2 \3/p' "$tmp/event.out")
accepted=$1 other=$2 seconds=$3

python3 - "$nginx_rps" "$sync_rps" "$accepted" "$other" "$seconds" "${fsync:-no fsync}" "$handoff_rps" <<'PY'
import sys
nginx, sync, acc, other, secs, fs = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
handoff = float(sys.argv[7])
print("nginx, static 200 JSON:            %9.0f req/s" % nginx)
print("serve, RequestResponse no-op:      %9.0f req/s  = %.0f%% of nginx (target >= 50%%)" % (sync, 100 * sync / nginx))
print("serve --no-inline, the same:       %9.0f req/s  = %.0f%% of nginx" % (handoff, 100 * handoff / nginx))
print("serve, Event, journal on (%s): %9.0f accepted/s (%d 202s in %.1f s, %d other answers; target >= 5,000/s)"
      % (fs, acc / secs, acc, secs, other))
PY
