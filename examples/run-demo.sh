#!/bin/sh
# run-demo.sh: install what is missing, build, and run the Leedz demo:
# addLeed done the hand-written synchronous way and the async-controller
# way, side by side, with what the helpers did (see examples/leedz/demo.c);
# then the seed's Python caller (boto3) against the same C helpers served
# on the Lambda Invoke API by `leedz_helpers serve`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh cmake/install-deps.sh cmake ninja-build gcc re2c lemon libcjson-dev libssl-dev libcurl4-openssl-dev libmicrohttpd-dev libsqlite3-dev zip binutils python3 python3-boto3
cmake -S . -B build -G Ninja >/dev/null
cmake --build build
echo
echo "\$ ctlc check --werror specs/leedz.ctl"
build/gen/ctlc check --werror specs/leedz.ctl
echo "specs/leedz.ctl: no errors, no warnings"
echo
out="$top/build/leedz-out"
rm -rf "$out"
echo "\$ build/examples/leedz/leedz_demo build/leedz-out"
build/examples/leedz/leedz_demo "$out"

# Part 2: the same C helpers behind the Lambda Invoke API, called by the
# seed's Python code through boto3 (only endpoint_url added).
echo
echo "== The seed's Python caller (boto3) against the C helpers, through \`leedz_helpers serve\`"
served="$top/build/leedz-served"
rm -rf "$served"
mkdir -p "$served"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LEEDZ_OUT="$served" build/examples/leedz/leedz_helpers serve --listen "127.0.0.1:$port" \
    --journal "$served/journal" --dead-letters "$served/dead-letters.jsonl" \
    >"$served/serve.out" 2>"$served/access.log" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
tries=0
until grep -q "listening on" "$served/serve.out" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$serve_pid" 2>/dev/null; then
        cat "$served/access.log" >&2
        echo "leedz_helpers serve did not start" >&2
        exit 1
    fi
    sleep 0.1
done
echo "\$ build/examples/leedz/leedz_helpers serve --listen 127.0.0.1:$port &"
echo "\$ python3 examples/leedz/addleed.py http://127.0.0.1:$port"
python3 examples/leedz/addleed.py "http://127.0.0.1:$port"
kill -TERM "$serve_pid"   # stop accepting, run what was accepted, exit 0
wait "$serve_pid"
trap - EXIT
echo
echo "serve's access log (a JSON line per invocation):"
grep '^{' "$served/access.log" | sed 's/^/  /'
echo "what the C handlers did (in $served/):"
ls "$served/outbox" | sed 's/^/  outbox\//'
sed 's/^/  sms.log: /' "$served/sms.log"
