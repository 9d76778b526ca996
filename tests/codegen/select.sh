#!/bin/sh
# select.sh CTLC: golden test of what `ctlc c` is told a program is
# (--host, --client) and of the names it refuses: an unknown controller or
# client (with a suggestion), a client given as a controller and back, an
# empty name, a spec whose file name cannot be #included. The transcript
# must equal select.expected (CTL_BLESS=1 rewrites it for review).
set -u
ctlc=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../golden.sh"
cd "$here/../../specs" || exit 2
out=$(mktemp -d)
actual=$(mktemp)
trap 'rm -rf "$out" "$actual"' EXIT
run() {
    printf '$ ctlc c'
    printf " '%s'" "$@"
    echo
    "$ctlc" c -o "$out" "$@" 2>&1
    echo "[exit $?]"
}
{
    run --host async_email_helpr leedz.ctl
    run --client addLed leedz.ctl
    run --host booking_helper,nothing_like_this_at_all leedz.ctl
    run --host addLeed leedz.ctl
    run --client booking_helper leedz.ctl
    run --host "" leedz.ctl
    run --client "" leedz.ctl
    run --host booking_helper --client buyLeed leedz.ctl
    echo "\$ ls"
    ls "$out"
    # What the program gets: booking_helper's handlers and table, and the
    # stubs of what buyLeed uses (booking_helper uses nothing).
    echo "\$ grep -o '^int [a-zA-Z_]*(\\|^ctl_status [a-zA-Z_]*\\|^extern .*' leedz.ctl.h"
    grep -o '^int [a-zA-Z_]*(\|^ctl_status [a-zA-Z_]*\|^extern .*' "$out/leedz.ctl.h"
    cp leedz.ctl "$out/quote\"d.ctl"
    cp leedz.ctl "$out/tri??-graph.ctl"
    cd "$out" || exit 2
    run 'quote"d.ctl'
    run 'tri??-graph.ctl'
} >"$actual"
golden_check "$actual" "$here/select.expected" select "CTL_BLESS=1 ctest -R codegen/select"
