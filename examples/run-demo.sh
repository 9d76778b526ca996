#!/bin/sh
# run-demo.sh: install what is missing, build, and run the Leedz demo:
# addLeed done the hand-written synchronous way and the async-controller
# way, side by side, with what the helpers did (see examples/leedz/demo.c);
# then the seed's Python caller (boto3) against the same C helpers served
# on the Lambda Invoke API by `leedz_helpers serve`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh cmake/install-deps.sh cmake ninja-build gcc re2c lemon libcjson-dev libssl-dev libcurl4-openssl-dev libmicrohttpd-dev libsqlite3-dev zip binutils patch python3 python3-boto3
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
# The same calls through the Python module ctlc writes from the spec.
echo "\$ mkdir -p build/leedz-py && build/gen/ctlc py -o build/leedz-py specs/leedz.ctl"
mkdir -p build/leedz-py
build/gen/ctlc py -o build/leedz-py specs/leedz.ctl
echo "\$ python3 examples/leedz/addleed_typed.py build/leedz-py http://127.0.0.1:$port"
python3 examples/leedz/addleed_typed.py build/leedz-py "http://127.0.0.1:$port"
# A caller's retry of the seed's notifyUsers event (after a timeout, say),
# once the first delivery has emailed: notifyUsers is @idempotent on the
# leed id, so serve's store (idempotency.sqlite beside the journal) answers
# the duplicate and nobody gets a second email.
tries=0
until [ "$(ls "$served/outbox" 2>/dev/null | wc -l)" -ge 2 ]; do
    tries=$((tries + 1))
    [ "$tries" -le 100 ] || { echo "notifyUsers sent no email" >&2; exit 1; }
    sleep 0.1
done
echo "\$ # the same notifyUsers event again, as the caller retrying it"
python3 - "http://127.0.0.1:$port" <<'EOF_PY'
import json, sys
import boto3
from botocore.config import Config
c = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='AKIDLOCAL',
                 aws_secret_access_key='local', config=Config(retries={'max_attempts': 1}))
r = c.invoke(FunctionName='async_email_helper', InvocationType='Event',
             Payload=json.dumps({'function': 'notifyUsers', 'id': '123456789', 'trade': 'caricatures',
                                 'seller': 'scott.gross'}))
print("notifyUsers (Event), a duplicate: %d" % r['StatusCode'])
EOF_PY
kill -TERM "$serve_pid"   # stop accepting, run what was accepted, exit 0
wait "$serve_pid"
trap - EXIT
echo
echo "serve's access log (a JSON line per invocation):"
grep '^{' "$served/access.log" | sed 's/^/  /'
echo "what the C handlers did (in $served/):"
ls "$served/outbox" | sed 's/^/  outbox\//'
sed 's/^/  sms.log: /' "$served/sms.log"
emails=$(ls "$served/outbox" | wc -l)
echo "notifyUsers delivered twice, $emails emails in outbox/: the duplicate was answered from serve's idempotency store, by its key (the leed id)"
[ "$emails" -eq 2 ] || { echo "the duplicate notifyUsers sent emails again" >&2; exit 1; }
