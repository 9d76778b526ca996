#!/bin/sh
# run_leedz_host.sh CTLC LEEDZ_CALLER [NPM_TS]: a Python controller
# generated from specs/leedz.ctl answers the C caller, or, given NPM_TS (npm's
# typescript), a TypeScript one. Starts tests/py/leedz_host.py on the module
# `ctlc py` writes (with --ts, on the compiled module of `ctlc ts`), runs
# LEEDZ_CALLER (tests/py/leedz_caller.c) with AWS_ENDPOINT_URL_LAMBDA
# pointing at it, and compares the caller's output followed by the host's
# log with tests/py/leedz_host.expected, the same for both languages
# (CTL_BLESS=1 rewrites it).
set -eu
ctlc=$1 caller=$2 npm_ts=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
cleanup() { exec 9>&- 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT
"$ctlc" py -o "$out" "$here/../../specs/leedz.ctl"
mkfifo "$out/stdin"
set -- "$out"
if [ -n "$npm_ts" ]; then
    set -- "$out" --ts "$(python3 "$here/../ts/build_echo.py" "$ctlc" "$npm_ts" "$out/ts" "$here/../../specs/leedz.ctl")"
fi
python3 "$here/leedz_host.py" "$@" <"$out/stdin" >"$out/host.log" 2>"$out/host.err" &
exec 9>"$out/stdin" # the host runs until this closes
tries=0
until grep -q '^PORT ' "$out/host.log" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -le 100 ] || { cat "$out/host.err"; echo "FAIL: the host did not start"; exit 1; }
    sleep 0.1
done
port=$(sed -n 's/^PORT //p' "$out/host.log")
AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:$port AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDLOCAL \
    AWS_SECRET_ACCESS_KEY=local "$caller" >"$out/actual" 2>"$out/caller.err" ||
    { cat "$out/caller.err"; echo "FAIL: the caller failed"; exit 1; }
exec 9>&-
wait
[ -s "$out/host.err" ] && { cat "$out/host.err"; echo "FAIL: the host wrote to stderr"; exit 1; }
echo "-- the host saw:" >>"$out/actual"
grep -v '^PORT ' "$out/host.log" >>"$out/actual"
cat "$out/actual"
. "$here/../golden.sh"
golden_check "$out/actual" "$here/leedz_host.expected" "the C caller against the ${npm_ts:+TypeScript}${npm_ts:-Python} host" \
    "CTL_BLESS=1 ctest -R py/leedz_host"
