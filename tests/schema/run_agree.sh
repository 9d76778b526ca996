#!/bin/sh
# run_agree.sh CTLC CTL_ECHO NPM_PREFIX: the agreement test (agree.mjs) of
# the JSON Schema of tests/gen/alltypes.ctl against ctl_echo, on the event
# corpus tests/events, the known-difference events of tests/schema/events
# and generated events.
set -eu
ctlc=$1 echo_bin=$2 npm=$3
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ctlc" schema -o "$out" "$here/../gen/alltypes.ctl"
node "$here/agree.mjs" "$npm" "$echo_bin" "$out/echo.schema.json" "$here/known-differences.txt" \
    "$here/../events" "$here/events"
