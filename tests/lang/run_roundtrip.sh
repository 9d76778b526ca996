#!/bin/sh
# run_roundtrip.sh CTLC CTL_ECHO: roundtrip.py on the module `ctlc py` writes
# for tests/gen/alltypes.ctl, 600 values, seed 16.
set -eu
ctlc=$1 echo=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ctlc" py -o "$out" "$here/../gen/alltypes.ctl"
exec python3 "$here/roundtrip.py" "$echo" "$out" 600 16
