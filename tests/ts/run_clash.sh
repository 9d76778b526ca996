#!/bin/sh
# run_clash.sh CTLC: `ctlc ts` on tests/ts/clash.ctl reports the name that
# TypeScript would get twice, exits 1 and writes nothing; its transcript
# (stderr, then [exit N]) must equal clash.expected.
set -u
ctlc=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../golden.sh"
out=$(mktemp -d)
actual=$(mktemp)
trap 'rm -rf "$out" "$actual"' EXIT
cd "$here" || exit 2
"$ctlc" ts -o "$out" clash.ctl >"$actual" 2>&1
echo "[exit $?]" >>"$actual"
golden_check "$actual" "$here/clash.expected" "ctlc ts clash.ctl" "CTL_BLESS=1 ctest -R ts/clash"
if [ -n "$(ls -A "$out")" ]; then
    echo "FAIL: ctlc ts wrote files for a spec it refused: $(ls "$out")" >&2
    exit 1
fi
