#!/bin/sh
# run_verdict.sh CTLC CTL_ECHO [--driver NAME=COMMAND]...: verdict.py over
# tests/events, tests/schema/events and 1000 generated events (seed 16),
# with the drivers c (CTL_ECHO) and py (the module `ctlc py` writes for
# tests/gen/alltypes.ctl) and, when CTL_TS_NPM names npm's typescript
# (tests/ts), ts (the module `ctlc ts` writes, compiled, under
# tests/ts/echo_driver.mjs), then any given.
set -eu
ctlc=$1 echo=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ctlc" py -o "$out" "$root/tests/gen/alltypes.ctl"
if [ -n "${CTL_TS_NPM:-}" ]; then
    js=$(python3 "$root/tests/ts/build_echo.py" "$ctlc" "$CTL_TS_NPM" "$out/ts")
    set -- --driver "ts=node $root/tests/ts/echo_driver.mjs $js" "$@"
fi
exec python3 "$here/verdict.py" --driver "c=python3 $here/c_driver.py $echo" \
    --driver "py=python3 $root/tests/py/echo_driver.py $out" "$@" \
    --allowed "$here/allowed-differences.txt" --generated 1000 --seed 16 \
    "$root/tests/events" "$root/tests/schema/events"
