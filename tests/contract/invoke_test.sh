#!/bin/sh
# invoke_test.sh BIN: `BIN invoke` in a binary hosting two controllers
# (contract.ctl: media and audit; purge is a function of both) routes each
# event by its function; says which controllers it hosts when it cannot;
# and names the limits it enforces (64 MiB on stdin, 128 levels of nesting).
set -u
bin=$1
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS STDOUT STDERR_GREP ARGS...: the exit status, stdout
# exactly, and a fixed string stderr must hold ("" for an empty stderr).
expect() {
    name=$1 status=$2 out=$3 err=$4
    shift 4
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$status" ]; then
        echo "FAIL: $name: exit $got, expected $status"; cat "$tmp/out" "$tmp/err"; fails=$((fails + 1)); return
    fi
    if [ "$(cat "$tmp/out")" != "$out" ]; then
        echo "FAIL: $name: stdout"; echo "  got:      $(cat "$tmp/out")"; echo "  expected: $out"
        fails=$((fails + 1)); return
    fi
    if [ -z "$err" ] && [ -s "$tmp/err" ]; then
        echo "FAIL: $name: stderr is not empty:"; cat "$tmp/err"; fails=$((fails + 1)); return
    fi
    if [ -n "$err" ] && ! grep -qF -- "$err" "$tmp/err"; then
        echo "FAIL: $name: stderr lacks '$err':"; cat "$tmp/err"; fails=$((fails + 1)); return
    fi
    echo "ok: $name"
}

# The function names the controller.
expect "audit's own function" 0 'null' '' invoke '{"function":"record","what":"x"}'
expect "media's own function" 0 '{"width":3,"format":"png","label":"n"}' '' \
    invoke '{"function":"resize","quality":5,"sizes":[{"width":3,"height":4}],"format":"png","name":"n"}'
# In both: the caller chooses.
expect "a function of both" 2 '' \
    '2 of the controllers hosted here (media and audit) have a function "purge": choose one with --controller NAME' \
    invoke '{"function":"purge","name":"x"}'
expect "a function of both, chosen" 0 'null' '' invoke --controller audit '{"function":"purge","name":"x"}'
expect "--controller still wins" 1 \
    '{"errorType":"ctl.UnknownFunction","errorMessage":"controller media has no function \"record\""}' '' \
    invoke --controller media '{"function":"record","what":"x"}'
# In neither, or no function at all: the error lists what is hosted.
expect "a function of neither" 1 \
    '{"errorType":"ctl.UnknownFunction","errorMessage":"no controller hosted here has a function \"nope\"; this binary hosts media and audit (choose one with --controller NAME)"}' \
    '' invoke '{"function":"nope"}'
expect "no function" 1 \
    '{"errorType":"ctl.InvalidEvent","errorMessage":"the event has no \"function\" field naming the function to run; this binary hosts media and audit (or choose one with --controller NAME)"}' \
    '' invoke '{"name":"x"}'
# Refused before its function matters: the same whichever controller reads it.
expect "not JSON" 1 \
    '{"errorType":"ctl.InvalidJSON","errorMessage":"the event is not JSON: unexpected character at byte 0"}' '' \
    invoke 'oops'
expect "not an object" 1 \
    '{"errorType":"ctl.InvalidEvent","errorMessage":"the event must be a JSON object, got an array"}' '' invoke '[]'
expect "function twice" 1 \
    '{"errorType":"ctl.InvalidEvent","errorMessage":"$.function: duplicate key"}' '' \
    invoke '{"function":"record","function":"purge"}'
expect "unknown controller" 2 '' 'this binary hosts no controller named nobody (it hosts media and audit)' \
    invoke --controller nobody '{}'

# Nesting past the reader's limit is said as such, not "not JSON".
deep=$(awk 'BEGIN { s = "{\"function\":\"record\",\"what\":\"x\",\"d\":"; for (i = 0; i < 200; i++) s = s "["; for (i = 0; i < 200; i++) s = s "]"; print s "}" }')
expect "200 levels deep" 1 \
    '{"errorType":"ctl.InvalidJSON","errorMessage":"the event is nested deeper than 128 levels, the limit of libctl'"'"'s JSON reader (at byte 163)"}' \
    '' invoke "$deep"

# A 70 MB event on stdin: the limit is named.
head -c 73400320 /dev/zero | tr '\0' ' ' >"$tmp/big"
"$bin" invoke - <"$tmp/big" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" = 2 ] && grep -qF 'the event on stdin is larger than 64 MiB (67108864 bytes), the most invoke reads (Lambda itself takes at most 6291456 bytes for a RequestResponse call)' "$tmp/err"; then
    echo "ok: 70 MB on stdin"
else
    echo "FAIL: 70 MB on stdin: exit $got"; cat "$tmp/out" "$tmp/err"; fails=$((fails + 1))
fi
# Exactly 64 MiB is read (and is then the controller's to refuse).
head -c 67108864 /dev/zero | tr '\0' ' ' >"$tmp/big"
"$bin" invoke - <"$tmp/big" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" = 1 ] && grep -qF 'ctl.InvalidJSON' "$tmp/out"; then
    echo "ok: 64 MiB on stdin is read"
else
    echo "FAIL: 64 MiB on stdin: exit $got"; cat "$tmp/out" "$tmp/err"; fails=$((fails + 1))
fi

[ "$fails" = 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
