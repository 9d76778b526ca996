#!/bin/sh
# run_golden.sh CTLC NAME SPEC: `ctlc py` of SPEC must equal
# tests/py/golden/NAME.py byte for byte (CTL_BLESS=1 rewrites it; review the
# result with git diff), and a second run must write the same bytes.
set -eu
ctlc=$1 name=$2 spec=$3
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir "$out/again"
"$ctlc" py -o "$out" "$spec"
"$ctlc" py -o "$out/again" "$spec"
module=$(basename "$spec" .ctl).py
cmp "$out/$module" "$out/again/$module"
. "$here/../golden.sh"
golden_check "$out/$module" "$here/golden/$name.py" "ctlc py $spec" "CTL_BLESS=1 ctest -R py/golden/$name"
