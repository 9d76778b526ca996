#!/bin/sh
# run_codegen.sh CTLC CC LIBCTL RUNTIME_INCLUDE NAME SPEC... : golden test of
# `ctlc c`. Generates C for the SPECs (the first one also gets a scaffold),
# compares every NAME.ctl.h/.c byte for byte with tests/codegen/expected/NAME/
# (CTL_BLESS=1 rewrites them for review), then compiles everything with CC
# -std=c11 -Wall -Wextra -Wpedantic -Werror, links it with libctl and runs
# the program's `list`. CTL_HOSTS=C,D passes --host (a program hosting only
# some controllers: what serves only the others must not break -Werror).
set -eu
ctlc=$1 cc=$2 libctl=$3 inc=$4 name=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/codegen/expected/$name
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here/codegen"
hosts=""
[ -n "${CTL_HOSTS:-}" ] && hosts="--host $CTL_HOSTS"
# shellcheck disable=SC2086
"$ctlc" c $hosts -o "$out" "$@"
# shellcheck disable=SC2086
"$ctlc" c $hosts --scaffold -o "$out" "$1"
if [ "${CTL_BLESS:-0}" = 1 ]; then
    mkdir -p "$expected"
    rm -f "$expected"/*
    cp "$out"/*.ctl.h "$out"/*.ctl.c "$expected"/
    echo "blessed $expected"
else
    for f in "$out"/*.ctl.h "$out"/*.ctl.c; do
        diff -u "$expected/$(basename "$f")" "$f"
    done
    [ "$(ls "$expected" | wc -l)" -eq "$(ls "$out"/*.ctl.[ch] | wc -l)" ] ||
        { echo "FAIL: $expected holds other files than were generated"; exit 1; }
fi
# Reproducible: a second run writes the same bytes.
mkdir "$out/again"
# shellcheck disable=SC2086
"$ctlc" c $hosts -o "$out/again" "$@"
for f in "$out"/again/*; do cmp "$f" "$out/$(basename "$f")"; done
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror ${CTL_CC_FLAGS:-} -I"$inc" -I"$out" -o "$out/program" \
    "$out"/*.ctl.c "$out"/*_handlers.c "$libctl" -lcjson -lcurl -lcrypto -lmicrohttpd -lpthread -lm
"$out/program" list
