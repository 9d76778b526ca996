#!/bin/sh
# run_doc_limits.sh CTLC: `ctlc doc` on specs whose smallest valid event is
# huge. It used to write a string of 10^11 characters, and to overflow its
# stack on a struct that needs a non-empty list of itself (which the checker
# now rejects: a cycle). Now it leaves such examples out, says so, and still
# shows the ones that fit; `wide` needs 10^9 strings.
set -u
ctlc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/limits.ctl" <<'SPEC'
struct Wide {
    @length(min: 1000) rows: list<Row>;
}

struct Row {
    @length(min: 1000) cells: list<Cell>;
}

struct Cell {
    @length(min: 1000) words: list<string>;
}

controller C {
    fn wide { w: Wide; }
    fn long_string { @length(min: 100000000000) s: string; }
    fn many_items { @length(min: 100000000000) l: list<json>; }
    fn fits { @length(min: 6) s: string; }
}
SPEC
"$ctlc" check "$tmp/limits.ctl" || { echo "FAIL: the spec does not check"; exit 1; }
mkdir "$tmp/out"
"$ctlc" doc -o "$tmp/out" "$tmp/limits.ctl"
status=$?
[ "$status" -eq 0 ] || { echo "FAIL: ctlc doc exited $status"; exit 1; }
md=$tmp/out/limits.md
failures=0
size=$(wc -c <"$md")
[ "$size" -lt 100000 ] || { echo "FAIL: $md is $size bytes"; failures=$((failures + 1)); }
n=$(grep -c '^No example event: the smallest one its constraints allow is too large to show\.$' "$md")
[ "$n" -eq 3 ] || { echo "FAIL: $n functions without an example, expected 3"; failures=$((failures + 1)); }
grep -qx '{"function":"fits","s":"xxxxxx"}' "$md" || { echo "FAIL: no example for fits"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || exit 1
echo "ok: examples too large to show are left out, the others are shown"
