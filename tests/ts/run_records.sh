#!/bin/sh
# run_records.sh CTLC RECORDS_HOST NPM_TS: tests/py/records_test.py with the
# TypeScript module of tests/cases/ok_destinations.ctl (compiled by
# build_echo.py) answering too: @records functions in C, Python and
# TypeScript on the records of tests/py/records/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
spec=$here/../cases/ok_destinations.ctl
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
js=$(python3 "$here/build_echo.py" "$1" "$3" "$out" "$spec")
python3 "$here/../py/records_test.py" "$1" "$2" "$spec" "$here/../py/records" --ts "$js"
