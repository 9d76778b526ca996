#!/bin/sh
# run_event.sh CTL_ECHO NAME: one golden test of the runtime on an event.
#
# Feeds tests/events/NAME.json (the exact event bytes, which may be invalid
# JSON or invalid UTF-8 on purpose) to `CTL_ECHO invoke -` on stdin. The
# transcript (the binary's stdout, then `[exit N]`) must equal NAME.expected
# byte for byte. Anything the binary writes to stderr (a sanitizer report, a
# usage message) is appended after `[stderr]`, so it shows in the diff and
# fails the test. What each case shows is in tests/events/README.md.
# With CTL_BLESS=1 the transcript is written to NAME.expected instead, for a
# person to review with `git diff`.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 CTL_ECHO NAME" >&2
    exit 2
fi
ctl_echo=$1
case_name=$2
case $ctl_echo in
/*) ;;
*/*) ctl_echo=$(pwd)/$ctl_echo ;; # still valid after the cd below
esac
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/events" || exit 2
event=$case_name.json
expected=$case_name.expected
if [ ! -f "$event" ]; then
    echo "no event $event in $here/events" >&2
    exit 2
fi

actual=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$actual" "$errors"' EXIT
"$ctl_echo" invoke - <"$event" >"$actual" 2>"$errors"
echo "[exit $?]" >>"$actual"
if [ -s "$errors" ]; then
    echo "[stderr]" >>"$actual"
    cat "$errors" >>"$actual"
fi

if [ "${CTL_BLESS:-0}" = 1 ]; then
    cat "$actual" >"$expected"
    echo "blessed $expected"
    exit 0
fi
if [ ! -f "$expected" ]; then
    echo "missing $expected; run with CTL_BLESS=1 and review the result" >&2
    head -c 4000 "$actual"
    exit 1
fi
if ! cmp -s "$expected" "$actual"; then
    # Show at most a screenful: some transcripts are large.
    diff -u "$expected" "$actual" | head -c 8000
    echo "FAIL: $case_name differs from its expected transcript" >&2
    exit 1
fi
