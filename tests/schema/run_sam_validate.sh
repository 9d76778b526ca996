#!/bin/sh
# run_sam_validate.sh CTLC NPM_DIR SCHEMA_DIR...: `ctlc sam` on every spec of
# specs/ and every test case whose transcript has no error, plainly and with
# --prefix/--arch/--code-uri, and every template
#   - is valid for AWS SAM's template schema (SCHEMA_DIR/sam.schema.json, the
#     first SCHEMA_DIR that has it; SKIP, 77, when none does), all in one
#     node process (sam_validate.mjs), which must also reject a broken one;
#   - agrees with its spec (sam_check.py: policies and variables name the
#     template's functions, settings from the annotations, outputs).
set -eu
ctlc=$1 npm=$2
shift 2
schema=
for dir in "$@"; do
    if [ -f "$dir/sam.schema.json" ]; then schema=$dir/sam.schema.json; break; fi
done
[ -n "$schema" ] || { echo "SKIP: no sam.schema.json in $*"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
plain="" prefixed=""
for spec in "$here/../../specs/"*.ctl "$here/../cases/"*.ctl; do
    expected=${spec%.ctl}.expected
    if [ -f "$expected" ] && grep -q "error:" "$expected"; then continue; fi
    name=$(basename "$spec" .ctl)
    args=""
    first=$(head -n 1 "$spec")
    case $first in
    "// ctlc:"*)
        take=0
        for a in ${first#// ctlc:}; do
            [ $take = 1 ] && args="$args -I $(dirname "$spec")/$a"
            take=0
            case $a in -I) take=1 ;; -I*) args="$args -I $(dirname "$spec")/${a#-I}" ;; esac
        done
        ;;
    esac
    # (warnings of the cases are theirs: shown only when ctlc fails)
    # shellcheck disable=SC2086
    "$ctlc" sam $args -o "$out/$name.json" "$spec" 2>"$out/stderr" || { cat "$out/stderr"; exit 1; }
    # shellcheck disable=SC2086
    "$ctlc" sam $args --prefix dev- --arch arm64 --code-uri build/function.zip -o "$out/$name.dev.json" \
        "$spec" 2>"$out/stderr" || { cat "$out/stderr"; exit 1; }
    plain="$plain $spec $out/$name.json"
    prefixed="$prefixed $spec $out/$name.dev.json"
done
# A template SAM refuses: a property no function has.
python3 - "$out/leedz.json" "$out/leedz.broken.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["Resources"]["BookingHelperFunction"]["Properties"]["NoSuchProperty"] = 1
json.dump(t, open(sys.argv[2], "w"))
PY
status=0
node "$here/sam_validate.mjs" "$npm" "$schema" "$out"/*.json || status=1
# shellcheck disable=SC2086
python3 "$here/sam_check.py" "" $plain || status=1
# shellcheck disable=SC2086
python3 "$here/sam_check.py" dev- $prefixed || status=1
exit $status
