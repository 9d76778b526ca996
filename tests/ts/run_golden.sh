#!/bin/sh
# run_golden.sh CTLC SPEC: the module `ctlc ts` writes for SPEC (a
# repository spec) must equal tests/ts/golden/NAME.ts, NAME the spec's file
# name without .ctl; CTL_BLESS=1 rewrites it (review with git diff).
set -u
ctlc=$1 spec=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../golden.sh"
name=$(basename "$spec" .ctl)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ctlc" ts -o "$out" "$spec" || exit 1
golden_check "$out/$name.ts" "$here/golden/$name.ts" "ctlc ts $name" "CTL_BLESS=1 ctest -L ts -R ts/golden"
