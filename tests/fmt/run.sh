#!/bin/sh
# run.sh CTLC NAME: one golden test of `ctlc fmt`.
#
# Runs `ctlc fmt cases/NAME.ctl` (from inside cases/, so paths in messages
# are relative); the transcript (stdout and stderr, then the exit status)
# must equal cases/NAME.expected byte for byte, formatting the output
# again must give it back unchanged, and the output must hold every comment
# of the input, in order (comments.py). With CTL_BLESS=1 the transcript is
# written to NAME.expected instead, for a person to review with `git diff`.
set -u
ctlc=$1
name=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../golden.sh"
cd "$here/cases" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
    echo "\$ ctlc fmt $name.ctl"
    "$ctlc" fmt "$name.ctl" 2>&1
    echo "[exit $?]"
} >"$tmp/actual"

golden_check "$tmp/actual" "$name.expected" "$name" tests/fmt/bless.sh
# The output, formatted again, is itself, and has every comment of the input.
if "$ctlc" fmt "$name.ctl" >"$tmp/once" 2>/dev/null; then
    python3 "$here/comments.py" "$name.ctl" "$tmp/once" || exit 1
    cp "$tmp/once" "$tmp/$name.ctl"
    "$ctlc" fmt "$tmp/$name.ctl" >"$tmp/twice" 2>/dev/null
    if ! cmp -s "$tmp/once" "$tmp/twice"; then
        echo "FAIL: $name: formatting the output again changes it" >&2
        diff -u "$tmp/once" "$tmp/twice" >&2
        exit 1
    fi
fi
