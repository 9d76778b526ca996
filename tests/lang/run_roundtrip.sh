#!/bin/sh
# run_roundtrip.sh CTLC CTL_ECHO: roundtrip.py on the Python module of
# tests/gen/alltypes.ctl, with the C test controller (ctl_echo) and the
# TypeScript one (tests/ts/echo_driver.mjs on the compiled module; npm's
# typescript from CTL_TS_NPM) as the other two languages: 600 values, seed 16.
set -eu
ctlc=$1 echo=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -n "${CTL_TS_NPM:-}" ] || { echo "FAIL: CTL_TS_NPM (npm's typescript) is not set" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ctlc" py -o "$out" "$root/tests/gen/alltypes.ctl"
js=$(python3 "$root/tests/ts/build_echo.py" "$ctlc" "$CTL_TS_NPM" "$out/ts")
exec python3 "$here/roundtrip.py" "python3 $here/c_driver.py $echo" "node $root/tests/ts/echo_driver.mjs $js" \
    "$out" "${CTL_ROUNDTRIP_COUNT:-600}" 16
