#!/bin/sh
# cli.sh CTLC: the options of `ctlc fmt`: -w writes in place (keeping the
# file's mode, leaving no temporary file, not touching a file with errors),
# --check names the files that would change and exits 1, and usage and I/O
# errors exit 2.
set -u
ctlc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
expect() { # expect STATUS DESCRIPTION COMMAND...
    want=$1 what=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || { fail "$what: exit $got, expected $want"; cat "$tmp/out" "$tmp/err" >&2; }
}

printf 'struct S{x:int;}\n' >"$tmp/messy.ctl"
printf 'struct S {\n    x: int;\n}\n' >"$tmp/tidy.ctl"
printf 'struct S { x int; }\n' >"$tmp/broken.ctl"
chmod 640 "$tmp/messy.ctl"
cp "$tmp/broken.ctl" "$tmp/broken.orig"

expect 1 "--check on a messy and a tidy file" "$ctlc" fmt --check "$tmp/messy.ctl" "$tmp/tidy.ctl"
[ "$(cat "$tmp/out")" = "$tmp/messy.ctl" ] || fail "--check should name only messy.ctl, printed: $(cat "$tmp/out")"
expect 0 "--check on a tidy file" "$ctlc" fmt --check "$tmp/tidy.ctl"
[ -s "$tmp/out" ] && fail "--check on a tidy file printed: $(cat "$tmp/out")"

expect 0 "-w" "$ctlc" fmt -w "$tmp/messy.ctl" "$tmp/tidy.ctl"
[ -s "$tmp/out" ] && fail "-w printed to stdout: $(cat "$tmp/out")"
cmp -s "$tmp/messy.ctl" "$tmp/tidy.ctl" || fail "-w did not write the canonical layout"
[ "$(stat -c %a "$tmp/messy.ctl")" = 640 ] || fail "-w changed the mode to $(stat -c %a "$tmp/messy.ctl")"
leftover=$(find "$tmp" -name '*.fmt-*')
[ -z "$leftover" ] || fail "-w left temporary files: $leftover"

# -w through a symbolic link rewrites the file it names and keeps the link.
mkdir "$tmp/linked"
printf 'struct S{x:int;}\n' >"$tmp/linked/real.ctl"
ln -s real.ctl "$tmp/linked/link.ctl"
expect 0 "-w on a symbolic link" "$ctlc" fmt -w "$tmp/linked/link.ctl"
[ -L "$tmp/linked/link.ctl" ] || fail "-w replaced the symbolic link with a file"
cmp -s "$tmp/linked/real.ctl" "$tmp/tidy.ctl" || fail "-w did not format the file the link names"

expect 1 "-w on a file with a syntax error" "$ctlc" fmt -w "$tmp/broken.ctl"
grep -q "error: expected" "$tmp/err" || fail "no diagnostic for the syntax error: $(cat "$tmp/err")"
cmp -s "$tmp/broken.ctl" "$tmp/broken.orig" || fail "-w changed a file with a syntax error"

expect 0 "stdout" "$ctlc" fmt "$tmp/messy.ctl"
cmp -s "$tmp/out" "$tmp/tidy.ctl" || fail "fmt to stdout differs from the canonical layout"

expect 2 "a missing file" "$ctlc" fmt "$tmp/nope.ctl"
grep -q "cannot read" "$tmp/err" || fail "no message for a missing file"
expect 2 "no files" "$ctlc" fmt
expect 2 "an unknown option" "$ctlc" fmt --frobnicate "$tmp/tidy.ctl"
expect 2 "-w with --check" "$ctlc" fmt -w --check "$tmp/tidy.ctl"
expect 0 "-- then a file" "$ctlc" fmt -- "$tmp/tidy.ctl"

[ "$failures" -eq 0 ] && echo "fmt cli: all passed"
[ "$failures" -eq 0 ]
