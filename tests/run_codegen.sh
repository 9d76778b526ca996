#!/bin/sh
# run_codegen.sh CTLC CC LIBCTL RUNTIME_INCLUDE NAME SPEC... : golden test of
# `ctlc c`. Generates C for the SPECs (the first one also gets a scaffold,
# unless the program hosts nothing), compares every NAME.ctl.h/.c byte for
# byte with tests/codegen/expected/NAME/ (CTL_BLESS=1 rewrites them for
# review), then compiles everything with CC -std=c11 -Wall -Wextra -Wpedantic
# -Werror -Wshadow -Wconversion, links it with libctl (LIBCTL, libctl.a, and
# libctl_aws.a beside it, which the C names when its stubs may leave the
# program: runtime/README.md, "Parts") and runs the program's
# `list`. The program is what the environment says:
#   CTL_HOSTS=C,D    --host: a program hosting only some controllers (what
#                    serves only the others must not break -Werror)
#   CTL_CLIENT=K     --client: a caller; with no CTL_HOSTS it hosts nothing,
#                    defines no handler and must still link (a main that only
#                    calls is added, as for a spec without controllers)
#   CTL_REFUSE=EVENT the program must answer `invoke EVENT` with exit 1 and
#                    ctl.InvalidPayload (what a hostile spec must not break)
set -eu
ctlc=$1 cc=$2 libctl=$3 inc=$4 name=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
expected=$here/codegen/expected/$name
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$here/codegen"
opts=""
[ -n "${CTL_HOSTS:-}" ] && opts="--host $CTL_HOSTS"
[ -n "${CTL_CLIENT:-}" ] && opts="$opts --client $CTL_CLIENT"
# shellcheck disable=SC2086
"$ctlc" c $opts -o "$out" "$@"
hosts_nothing=false
[ -n "${CTL_CLIENT:-}" ] && [ -z "${CTL_HOSTS:-}" ] && hosts_nothing=true
grep -qw controller "$1" || hosts_nothing=true # types only
if $hosts_nothing; then
    # A caller: its own main, and no handler anywhere.
    printf '%s\n' '#include <ctl/ctl.h>' '' 'int main(void)' '{' \
        '    return ctl_status_str(CTL_OK)[0] ? 0 : 1;' '}' >"$out/caller_main.c"
else
    # shellcheck disable=SC2086
    "$ctlc" c $opts --scaffold -o "$out" "$1"
fi
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
"$ctlc" c $opts -o "$out/again" "$@"
for f in "$out"/again/*; do cmp "$f" "$out/$(basename "$f")"; done
# No generated line passes 100 columns but where spec text makes it.
awk 'length > 100 && !/CTL_DEPRECATED|\/\*\*| \* / { print FILENAME ":" FNR ": " length " columns"; bad = 1 }
     END { exit bad }' "$out"/*.ctl.[ch]
# Every symbol the generated C defines is a name `ctlc names` lists (the
# names the checker compares): gen/names.c is the only source of them.
# (ctl_ names are libctl's inline helpers, __ ones a sanitizer's.)
for spec in "$@"; do "$ctlc" names "$spec"; done | cut -f1 | sort -u >"$out/names.txt"
for f in "$out"/*.ctl.c; do
    "$cc" -std=c11 ${CTL_CC_FLAGS:-} -O0 -I"$inc" -I"$out" -c -o "$out/symbols.o" "$f"
    nm --defined-only "$out/symbols.o" | awk '$2 ~ /^[TtDdRrBb]$/ && $3 !~ /^\./ { print $3 }' |
        grep -v -e '\.' -e '^ctl_' -e '^__' | sort -u | comm -23 - "$out/names.txt" >"$out/unlisted.txt"
    if [ -s "$out/unlisted.txt" ]; then
        echo "FAIL: $(basename "$f") defines names that ctlc names does not list:"
        cat "$out/unlisted.txt"
        exit 1
    fi
done
sources=$(ls "$out"/*.ctl.c "$out"/*_handlers.c "$out"/caller_main.c 2>/dev/null || true)
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion ${CTL_CC_FLAGS:-} -I"$inc" -I"$out" \
    -o "$out/program" $sources "$(dirname "$libctl")/libctl_aws.a" "$libctl" -lcjson -lcurl -lcrypto -lmicrohttpd -lsqlite3 -lpthread -lm
if $hosts_nothing; then
    "$out/program"
    exit 0
fi
"$out/program" list
if [ -n "${CTL_REFUSE:-}" ]; then
    status=0
    answer=$("$out/program" invoke "$CTL_REFUSE") || status=$?
    echo "invoke $CTL_REFUSE: $answer [exit $status]"
    [ "$status" = 1 ] || { echo "FAIL: expected exit 1"; exit 1; }
    case $answer in *'"errorType":"ctl.InvalidPayload"'*) ;; *) echo "FAIL: expected ctl.InvalidPayload"; exit 1 ;; esac
fi
