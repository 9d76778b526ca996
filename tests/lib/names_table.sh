#!/bin/sh
# names_table.sh PROGRAM LANGUAGE_MD: the table of generated C names in the
# language reference, between its BEGIN/END markers, must be exactly what
# gen/names.c writes (PROGRAM prints it): the names have one source.
set -eu
program=$1 doc=$2
expected=$(mktemp) actual=$(mktemp)
trap 'rm -f "$expected" "$actual"' EXIT
"$program" >"$expected"
sed -n '/^<!-- BEGIN naming table/,/^<!-- END naming table/p' "$doc" | sed '1d;$d' >"$actual"
if ! [ -s "$actual" ]; then
    echo "FAIL: $doc has no naming table between its markers"
    exit 1
fi
if ! diff -u "$expected" "$actual"; then
    echo "FAIL: the naming table of $doc differs from gen/names.c's (above: - names.c, + the doc)"
    exit 1
fi
echo "the naming table of $doc is gen/names.c's"
