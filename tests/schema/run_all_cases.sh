#!/bin/sh
# run_all_cases.sh CTLC: `ctlc schema`, `asyncapi`, `doc`, `iam` and `sam` on every
# spec of tests/cases and specs/. A spec whose transcript shows no error must
# give exit 0 and valid JSON; one with errors must give exit 1 and write
# nothing. Under ASan/UBSan this is the memory check of the five emitters on
# every construct the cases cover.
set -eu
ctlc=$1
case $ctlc in
/*) ;;
*) ctlc=$(pwd)/$ctlc ;; # still valid after the cd below
esac
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0 n=0
cd "$here/../cases"
for spec in *.ctl "$here/../../specs/"*.ctl; do
    name=$(basename "$spec" .ctl)
    expected=${spec%.ctl}.expected
    want=0
    if [ -f "$expected" ] && grep -q "error:" "$expected"; then want=1; fi
    args=""
    first=$(head -n 1 "$spec")
    case $first in
    "// ctlc:"*)
        take=0
        for a in ${first#// ctlc:}; do
            [ $take = 1 ] && args="$args -I $a"
            take=0
            case $a in -I) take=1 ;; -I*) args="$args $a" ;; esac
        done
        ;;
    esac
    d=$out/$name
    mkdir -p "$d/schema" "$d/doc" "$d/iam"
    for cmd in schema doc asyncapi iam sam; do
        n=$((n + 1))
        case $cmd in
        schema | doc) set -- -o "$d/$cmd" ;;
        asyncapi) set -- -o "$d/asyncapi.json" ;;
        iam) set -- -o "$d/iam" ;;
        sam) set -- -o "$d/sam.json" ;;
        esac
        status=0
        # shellcheck disable=SC2086
        "$ctlc" $cmd $args "$@" "$spec" >"$d/$cmd.stdout" 2>"$d/$cmd.stderr" || status=$?
        if [ $status -ne $want ]; then
            echo "FAIL: ctlc $cmd $spec: exit $status, expected $want"
            head -5 "$d/$cmd.stderr"
            failures=$((failures + 1))
        fi
    done
    if [ $want = 1 ] && [ -n "$(find "$d" -type f ! -name '*.stdout' ! -name '*.stderr' | head -1)" ]; then
        echo "FAIL: $spec has errors, but files were written:"
        find "$d" -type f ! -name '*.stdout' ! -name '*.stderr'
        failures=$((failures + 1))
    fi
done
# Usage errors: exit 2 and a message, nothing written.
leedz=$here/../../specs/leedz.ctl
mkdir "$out/usage"
for argv in "schema $leedz" "doc $leedz" "schema -o $out/usage $leedz $leedz" "asyncapi $leedz $leedz" \
    "iam --region" "iam --account  $leedz" "iam --bogus $leedz" "doc -o" "asyncapi" \
    "asyncapi -o $out/usage/no/such/dir/x.json $leedz" "schema -o $out/usage/missing $leedz" \
    "sam --arch" "sam --arch arm $leedz" "sam --prefix a.b $leedz" "sam $leedz $leedz" \
    "sam -o $out/usage/no/such/dir/t.json $leedz"; do
    n=$((n + 1))
    status=0
    # shellcheck disable=SC2086
    "$ctlc" $argv >"$out/usage.stdout" 2>"$out/usage.stderr" || status=$?
    if [ $status -ne 2 ] || ! grep -q "ctlc: error:" "$out/usage.stderr" || [ -s "$out/usage.stdout" ]; then
        echo "FAIL: ctlc $argv: exit $status (expected 2 with a message and no output)"
        cat "$out/usage.stderr"
        failures=$((failures + 1))
    fi
done
[ -z "$(ls "$out/usage")" ] || { echo "FAIL: a usage error wrote files"; failures=$((failures + 1)); }

# Every JSON file written parses (one interpreter for all of them).
python3 - "$out" <<'PY' || failures=$((failures + 1))
import json, pathlib, sys
bad = 0
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.json"))
for f in files:
    try:
        json.loads(f.read_text(encoding="utf-8"))
    except ValueError as e:
        print(f"FAIL: {f} is not valid JSON: {e}")
        bad += 1
print(f"{len(files)} JSON files parsed")
sys.exit(1 if bad else 0)
PY
echo "$n runs, $failures failures"
[ $failures -eq 0 ]
