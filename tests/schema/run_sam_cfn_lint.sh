#!/bin/sh
# run_sam_cfn_lint.sh CTLC: when cfn-lint (PyPI; not in Debian) is installed,
# it finds nothing to say about the templates of `ctlc sam` (plain and with
# --prefix/--arch) for every spec of specs/ and every valid case that has
# something to deploy; cfn-lint runs SAM's own transform (samtranslator)
# first, so this is also SAM's verdict. SKIP (77) without cfn-lint: the
# project does not depend on it.
set -eu
ctlc=$1
command -v cfn-lint >/dev/null 2>&1 || { echo "SKIP: cfn-lint is not installed"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for spec in "$here/../../specs/"*.ctl "$here/../cases/"ok_*.ctl; do
    expected=${spec%.ctl}.expected
    if [ -f "$expected" ] && grep -q "error:" "$expected"; then continue; fi
    if head -n 1 "$spec" | grep -q '^// ctlc:'; then continue; fi # imports from -I folders
    name=$(basename "$spec" .ctl)
    "$ctlc" sam -o "$out/$name.json" "$spec" 2>/dev/null
    "$ctlc" sam --prefix dev- --arch arm64 -o "$out/$name.dev.json" "$spec" 2>/dev/null
done
# A template without resources is refused by design (ctlc sam warns).
python3 - "$out" <<'PY'
import json, pathlib, sys
for f in pathlib.Path(sys.argv[1]).glob("*.json"):
    if not json.loads(f.read_text())["Resources"]:
        f.unlink()
PY
n=$(ls "$out" | wc -l)
status=0
cfn-lint --regions us-east-1 -- "$out"/*.json || status=$?
echo "cfn-lint on $n templates: exit $status"
exit $status
