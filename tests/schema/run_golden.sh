#!/bin/sh
# run_golden.sh CTLC KIND NAME SPEC [CTLC_ARGS...]: golden test of `ctlc KIND`
# (schema, asyncapi, doc, iam or sam) on SPEC. The output must equal
# tests/schema/expected/KIND/NAME/ byte for byte (CTL_BLESS=1 rewrites it for
# review with git diff), every .json file must be valid JSON, and a second
# run must write the same bytes. FILES lists what was written.
set -eu
ctlc=$1 kind=$2 name=$3 spec=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/expected/$kind/$name
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

generate() { # generate DIR [CTLC_ARGS...]
    dir=$1
    shift
    mkdir -p "$dir"
    case $kind in
    schema | doc) "$ctlc" "$kind" "$@" -o "$dir" "$spec" ;;
    asyncapi) "$ctlc" asyncapi "$@" -o "$dir/$name.asyncapi.json" "$spec" ;;
    iam)
        "$ctlc" iam "$@" "$spec" >"$dir/$name.iam.json"
        mkdir "$dir/$name.policies"
        "$ctlc" iam "$@" --region eu-west-3 --account 123456789012 --partition aws -o "$dir/$name.policies" "$spec"
        ;;
    sam)
        "$ctlc" sam "$@" "$spec" >"$dir/$name.template.json"
        "$ctlc" sam "$@" --prefix dev- --arch arm64 --code-uri lambda/all/function.zip \
            -o "$dir/$name.dev.template.json" "$spec"
        ;;
    *) echo "unknown kind $kind" >&2; exit 2 ;;
    esac
    # The list of what was written, folders included: git keeps no empty
    # folder, and "no file at all" is an outcome to compare too.
    (cd "$dir" && find . -mindepth 1 ! -name FILES | LC_ALL=C sort) >"$dir/FILES"
    find "$dir" -mindepth 1 -type d -empty -delete # FILES has them; git could not
}
gen_args="$*"
# shellcheck disable=SC2086
(set -- $gen_args; generate "$out/a" "$@")
# shellcheck disable=SC2086
(set -- $gen_args; generate "$out/b" "$@")
if ! diff -r "$out/a" "$out/b" >/dev/null; then
    echo "FAIL: two runs wrote different bytes"
    diff -r "$out/a" "$out/b" | head -40
    exit 1
fi
find "$out/a" -name '*.json' | sort | while read -r f; do
    python3 -m json.tool "$f" >/dev/null || { echo "FAIL: $f is not valid JSON"; exit 1; }
done
# git keeps no empty folder, so a checkout of expected/ has none; FILES
# already records them, and they are dropped before comparing.
find "$out/a" -mindepth 1 -type d -empty -delete
if [ "${CTL_BLESS:-0}" = 1 ]; then
    rm -rf "$expected"
    mkdir -p "$(dirname "$expected")"
    cp -r "$out/a" "$expected"
    echo "blessed $expected"
    exit 0
fi
[ -d "$expected" ] || { echo "FAIL: no $expected; run with CTL_BLESS=1 and review"; exit 1; }
diff -ru "$expected" "$out/a" | head -200
diff -r "$expected" "$out/a" >/dev/null
