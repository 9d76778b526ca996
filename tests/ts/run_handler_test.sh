#!/bin/sh
# run_handler_test.sh CTLC NPM_TS: handler_test.mjs on the compiled
# TypeScript module of tests/gen/alltypes.ctl (build_echo.py).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
js=$(python3 "$here/build_echo.py" "$1" "$2" "$out")
node "$here/handler_test.mjs" "$js"
