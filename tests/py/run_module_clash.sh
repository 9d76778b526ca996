#!/bin/sh
# run_module_clash.sh CTLC: `ctlc py` refuses a spec whose module would be
# named after a module the folder needs (module_clash/json.ctl: the json
# that ctl_runtime.py imports), given or imported (module_clash/line.ctl),
# exits non-zero and writes nothing; the transcript (stderr, then [exit N])
# must equal module_clash.expected.
set -u
ctlc=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../golden.sh"
out=$(mktemp -d)
actual=$(mktemp)
trap 'rm -rf "$out" "$actual"' EXIT
cd "$here/module_clash" || exit 2
for spec in json.ctl line.ctl; do
    "$ctlc" py -o "$out" "$spec" >>"$actual" 2>&1
    echo "[exit $?]" >>"$actual"
done
golden_check "$actual" "$here/module_clash.expected" "ctlc py module_clash/*.ctl" "CTL_BLESS=1 ctest -R py/module_clash"
if [ -n "$(ls -A "$out")" ]; then
    echo "FAIL: ctlc py wrote files for a spec it refused: $(ls "$out")" >&2
    exit 1
fi
