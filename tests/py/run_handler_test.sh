#!/bin/sh
# run_handler_test.sh CTLC: handler_test.py on the module `ctlc py` writes
# for tests/gen/alltypes.ctl.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$1" py -o "$out" "$here/../gen/alltypes.ctl"
exec python3 "$here/handler_test.py" "$out"
