#!/bin/sh
# run_doc_dot_title.sh CTLC: the DOT file of `ctlc doc` parses whatever the
# spec's file name (the graph's title when there is no package): a '"' or a
# trailing '\' in it used to end DOT's quoted string early.
set -u
ctlc=$1
command -v dot >/dev/null 2>&1 || { echo "SKIP: Graphviz's dot is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
for name in 'we"ird' 'ends in \' 'both\"' plain; do
    rm -rf "$tmp/in" "$tmp/out"
    mkdir "$tmp/in" "$tmp/out"
    printf 'client K uses C;\ncontroller C {}\n' >"$tmp/in/$name.ctl"
    if ! "$ctlc" doc -o "$tmp/out" "$tmp/in/$name.ctl"; then
        echo "FAIL: ctlc doc failed for '$name.ctl'"
        failures=$((failures + 1))
    elif ! dot -Tsvg "$tmp/out/$name.dot" >/dev/null; then
        echo "FAIL: dot rejects the graph of '$name.ctl':"
        sed -n 4p "$tmp/out/$name.dot"
        failures=$((failures + 1))
    fi
done
[ "$failures" -eq 0 ] || exit 1
echo "ok: the DOT file parses for every file name tried"
