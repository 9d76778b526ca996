#!/bin/sh
# run_sam_args.sh CTLC: `ctlc sam` refuses what would not deploy, with a
# message and exit 2, writing nothing: an unknown --arch, a --prefix with a
# character Lambda's names lack, an empty --code-uri, a function name over
# Lambda's 64 characters (the message points at the controller), and two
# used controllers that one CTL_FUNCTION_ variable would route, an
# --idempotency-table DynamoDB would refuse.
set -eu
ctlc=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
long=$(printf 'c%.0s' $(seq 1 60))
printf 'controller %s {}\n' "$long" >"$out/long.ctl"
printf 'controller ab {}\ncontroller AB {}\ncontroller user uses ab, AB {}\n' >"$out/clash.ctl"
printf 'controller ok {}\n' >"$out/ok.ctl"
failures=0
expect() { # expect MESSAGE ARGS...: exit 2, MESSAGE on stderr, nothing written
    msg=$1
    shift
    status=0
    rm -f "$out/t.json"
    "$ctlc" sam "$@" -o "$out/t.json" >"$out/stdout" 2>"$out/stderr" || status=$?
    if [ $status -ne 2 ] || ! grep -qF "$msg" "$out/stderr" || [ -s "$out/stdout" ] || [ -e "$out/t.json" ]; then
        echo "FAIL: ctlc sam $*: exit $status, wanted 2 and '$msg'"
        cat "$out/stderr"
        failures=$((failures + 1))
    fi
}
expect "error: --arch 'x86' is not a Lambda architecture (x86_64 or arm64)" --arch x86 "$out/ok.ctl"
expect "error: --prefix 'dev.' cannot begin a Lambda function name" --prefix dev. "$out/ok.ctl"
expect "error: --prefix 'a:b' cannot begin" --prefix a:b "$out/ok.ctl"
expect "error: --code-uri needs a path" --code-uri "" "$out/ok.ctl"
expect "long.ctl:1:1: error: the function name 'prod-$long' is 65 characters long; Lambda's limit is 64" \
    --prefix prod- "$out/long.ctl"
expect "clash.ctl:3:1: error: controller 'user' uses 'ab' and 'AB', which one variable, CTL_FUNCTION_AB, routes" \
    "$out/clash.ctl"
expect "error: --idempotency-table 'ab': a DynamoDB table name is 3..255 characters" --idempotency-table ab "$out/ok.ctl"
expect "error: --idempotency-table 'my table': a DynamoDB table name" --idempotency-table "my table" "$out/ok.ctl"
# At the limit it deploys.
"$ctlc" sam --prefix dev- "$out/long.ctl" >/dev/null || { echo "FAIL: a 64-character name"; failures=$((failures + 1)); }
echo "$failures failures"
[ $failures -eq 0 ]
